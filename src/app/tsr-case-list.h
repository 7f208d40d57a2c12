/* tsr-case-list.h — the project's cases, under the documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_CASE_LIST (tsr_case_list_get_type ())
G_DECLARE_FINAL_TYPE (TsrCaseList, tsr_case_list, TSR, CASE_LIST, GtkWidget)

GtkWidget  *tsr_case_list_new                  (void);
TsrProject *tsr_case_list_get_project          (TsrCaseList  *self);
gint64      tsr_case_list_get_selected_case_id (TsrCaseList  *self);
void        tsr_case_list_select_all_documents (TsrCaseList  *self);
gboolean    tsr_case_list_add_document         (TsrCaseList  *self,
                                                gint64        case_id,
                                                TsrDocument  *document,
                                                GError      **error);

G_END_DECLS
