/* tsr-code-tree-private.h — the code tree's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tree is written in three files: tsr-code-tree.c (the model, the
 * counts, the public API), tsr-code-tree-rows.c (a row: its widgets,
 * dragging and dropping) and tsr-code-tree-edit.c (edits, the name and
 * colour popovers, the context menu and the code.* actions).  Only they
 * include this header.
 */
#pragma once

#include "tsr-code-tree.h"

G_BEGIN_DECLS

/* Counting moves to a worker thread once it takes longer than this (µs)
 * on a project with more coded passages than that: smaller projects are
 * counted at once, so the tree never shows a stale count. */
#define SYNC_COUNTS_LIMIT_US 12000
#define SYNC_COUNTS_LIMIT_SEGMENTS 100000

struct _TsrCodeTree
{
  GtkWidget           parent_instance;

  TsrProject         *project;
  gulong              changed_handler;

  /* Codes that have children when the tree model was built: the tree
   * model asks once per row whether it can expand. */
  GHashTable         *parents;
  /* While filtering: the codes shown (matches and their ancestors). */
  GHashTable         *filter_ids;
  GtkTreeListModel   *tree_model;

  /* Counts */
  TsrCoderMode        mode;
  gint64              coder_id;
  TsrCounts          *counts;
  GCancellable       *counts_cancellable;
  gint64              counts_duration_us;
  guint               counts_segments;
  guint               counts_running : 1;
  guint               counts_dirty : 1;
  /* Whose coding the counts are, for every row's tooltip. */
  char               *whose;

  /* GtkListItem → TRUE, the rows on screen */
  GHashTable         *bound_items;

  /* The code a popover works on, and whether the name popover makes a
   * new code or renames one. */
  gint64              popover_code_id;
  gboolean            naming_new;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkLabel           *scope_label;
  GtkButton          *new_button;
  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filter_model;
  GtkPopover         *name_popover;
  GtkLabel           *name_heading;
  GtkEntry           *name_entry;
  GtkButton          *name_apply_button;
  GtkCheckButton     *inside_check;
  GtkLabel           *name_error;
  GtkPopover         *color_popover;
  GtkStack           *color_stack;
  GtkGrid            *palette_grid;
  GtkBox             *color_chooser_box;
  GtkColorChooser    *color_chooser;     /* made when first needed */
  GtkPopoverMenu     *context_menu;
};

/* tsr-code-tree.c */
gint64 _tsr_code_tree_code_id_of (TsrCode *code);
TsrCode *_tsr_code_tree_code_of_list_item (GtkListItem *list_item);
void _tsr_code_tree_show_toast (TsrCodeTree *self,
                                const char  *message,
                                gboolean     with_undo);
gboolean _tsr_code_tree_reveal_code (TsrCodeTree *self,
                                     gint64       code_id);
void _tsr_code_tree_update_row_counts (TsrCodeTree *self,
                                       GtkListItem *list_item);
gboolean _tsr_code_tree_query_counts_tooltip (GtkWidget   *counts_box,
                                              int          x,
                                              int          y,
                                              gboolean     keyboard,
                                              GtkTooltip  *tooltip,
                                              GtkListItem *list_item);

/* tsr-code-tree-rows.c */
void _tsr_code_tree_class_rows_init (GtkWidgetClass *widget_class);

/* tsr-code-tree-edit.c */
void _tsr_code_tree_class_edit_init (GtkWidgetClass *widget_class);
gboolean _tsr_code_tree_report_error (TsrCodeTree *self,
                                      GError      *error);
void _tsr_code_tree_confirm_merge (TsrCodeTree *self,
                                   gint64       source_id,
                                   gint64       target_id);
gboolean _tsr_code_tree_move_beside (TsrCodeTree  *self,
                                     TsrCode      *source,
                                     TsrCode      *target,
                                     gboolean      after,
                                     GError      **error);
void _tsr_code_tree_show_name_popover (TsrCodeTree *self,
                                       gboolean     new_code,
                                       gboolean     inside,
                                       gint64       code_id);
void _tsr_code_tree_build_palette (TsrCodeTree *self);
void _tsr_code_tree_popup_context_menu (TsrCodeTree *self,
                                        gint64       code_id,
                                        double       x,
                                        double       y);
gint64 _tsr_code_tree_selected_id (TsrCodeTree *self);

G_END_DECLS
