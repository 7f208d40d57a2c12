/* tsr-matrix-view.h — the comparison matrix: codes or themes across cases
 * or attribute values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_MATRIX_VIEW (tsr_matrix_view_get_type ())
G_DECLARE_FINAL_TYPE (TsrMatrixView, tsr_matrix_view, TSR, MATRIX_VIEW, GtkWidget)

TsrMatrix          *tsr_matrix_view_get_matrix     (TsrMatrixView       *self);
TsrExportDocument  *tsr_matrix_view_dup_document   (TsrMatrixView       *self);
void                tsr_matrix_view_export_async   (TsrMatrixView       *self,
                                                    GFile               *file,
                                                    TsrExportFormat      format,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            tsr_matrix_view_export_finish  (TsrMatrixView       *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
