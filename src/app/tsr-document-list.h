/* tsr-document-list.h — the project's documents, filtered by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_DOCUMENT_LIST (tsr_document_list_get_type ())
G_DECLARE_FINAL_TYPE (TsrDocumentList, tsr_document_list, TSR, DOCUMENT_LIST, GtkWidget)

GtkWidget   *tsr_document_list_new                   (void);
TsrProject  *tsr_document_list_get_project           (TsrDocumentList *self);
TsrDocument *tsr_document_list_get_selected_document (TsrDocumentList *self);
void         tsr_document_list_set_selected_document (TsrDocumentList *self,
                                                      TsrDocument     *document);
void         tsr_document_list_select_relative       (TsrDocumentList *self,
                                                      int              delta);
void         tsr_document_list_focus_search          (TsrDocumentList *self);
void         tsr_document_list_set_filter_text       (TsrDocumentList *self,
                                                      const char      *text);
GListModel  *tsr_document_list_get_model             (TsrDocumentList *self);
GtkListView *tsr_document_list_get_list_view         (TsrDocumentList *self);
void         tsr_document_list_set_case              (TsrDocumentList *self,
                                                      gint64           case_id);
gint64       tsr_document_list_get_case              (TsrDocumentList *self);

void             tsr_document_list_set_coder      (TsrDocumentList *self,
                                                   gint64           coder_id);
char            *tsr_document_list_dup_row_count  (TsrDocumentList *self,
                                                   TsrDocument     *document);

G_END_DECLS
