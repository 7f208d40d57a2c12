/* tsr-report-view.h — the report builder: a live preview and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_REPORT_VIEW (tsr_report_view_get_type ())
G_DECLARE_FINAL_TYPE (TsrReportView, tsr_report_view, TSR, REPORT_VIEW, GtkWidget)

TsrReportView      *tsr_report_view_new            (void);
TsrProject         *tsr_report_view_get_project    (TsrReportView       *self);
TsrReportKind       tsr_report_view_get_kind       (TsrReportView       *self);
void                tsr_report_view_set_kind       (TsrReportView       *self,
                                                    TsrReportKind        kind);
TsrReport          *tsr_report_view_get_report     (TsrReportView       *self);
TsrExportDocument  *tsr_report_view_get_document   (TsrReportView       *self);
const TsrReportOptions *tsr_report_view_get_options (TsrReportView      *self);
void                tsr_report_view_export_async   (TsrReportView       *self,
                                                    GFile               *file,
                                                    TsrExportFormat      format,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            tsr_report_view_export_finish  (TsrReportView       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
