/* tsr-memo-pane.h — memos on the document, passage and code, and the journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_MEMO_PANE (tsr_memo_pane_get_type ())
G_DECLARE_FINAL_TYPE (TsrMemoPane, tsr_memo_pane, TSR, MEMO_PANE, GtkWidget)

GtkWidget   *tsr_memo_pane_new            (void);
void         tsr_memo_pane_set_document   (TsrMemoPane *self,
                                           gint64       document_id);
void         tsr_memo_pane_set_segment    (TsrMemoPane *self,
                                           gint64       segment_id);
void         tsr_memo_pane_set_code       (TsrMemoPane *self,
                                           gint64       code_id);
void         tsr_memo_pane_show_memo      (TsrMemoPane *self,
                                           TsrMemoKind  kind,
                                           gboolean     focus);
TsrMemoKind  tsr_memo_pane_get_memo_kind  (TsrMemoPane *self);
GtkTextView *tsr_memo_pane_get_memo_view  (TsrMemoPane *self);
void         tsr_memo_pane_show_journal   (TsrMemoPane *self);
gint64       tsr_memo_pane_add_journal_entry (TsrMemoPane *self);
GtkListBox  *tsr_memo_pane_get_journal_list (TsrMemoPane *self);
void         tsr_memo_pane_flush          (TsrMemoPane *self);

G_END_DECLS
