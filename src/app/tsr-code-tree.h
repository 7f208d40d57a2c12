/* tsr-code-tree.h — the project's codes as a tree, with their counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_CODE_TREE (tsr_code_tree_get_type ())
G_DECLARE_FINAL_TYPE (TsrCodeTree, tsr_code_tree, TSR, CODE_TREE, GtkWidget)

/* Where a code dropped on a row goes. */
typedef enum
{
  TSR_DROP_BEFORE,
  TSR_DROP_INTO,
  TSR_DROP_AFTER,
} TsrDropPlace;

GtkWidget   *tsr_code_tree_new               (void);
TsrProject  *tsr_code_tree_get_project       (TsrCodeTree  *self);
void         tsr_code_tree_set_scope         (TsrCodeTree  *self,
                                              TsrCoderMode  mode,
                                              gint64        coder_id);
TsrCounts   *tsr_code_tree_get_counts        (TsrCodeTree  *self);
TsrCode     *tsr_code_tree_get_selected_code (TsrCodeTree  *self);
gboolean     tsr_code_tree_select_code       (TsrCodeTree  *self,
                                              gint64        code_id);
void         tsr_code_tree_set_filter_text   (TsrCodeTree  *self,
                                              const char   *text);
void         tsr_code_tree_focus_search      (TsrCodeTree  *self);
void         tsr_code_tree_begin_new_code    (TsrCodeTree  *self,
                                              gboolean      inside_selected);
GtkListView *tsr_code_tree_get_list_view     (TsrCodeTree  *self);
GListModel  *tsr_code_tree_get_model         (TsrCodeTree  *self);
GtkWidget   *tsr_code_tree_get_row_widget    (TsrCodeTree  *self,
                                              gint64        code_id);
char        *tsr_code_tree_dup_row_counts    (TsrCodeTree  *self,
                                              gint64        code_id);
gboolean     tsr_code_tree_drop_code         (TsrCodeTree  *self,
                                              gint64        code_id,
                                              gint64        target_id,
                                              TsrDropPlace  place,
                                              gboolean      merge);

G_END_DECLS
