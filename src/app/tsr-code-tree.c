/* tsr-code-tree.c — the project's codes as a tree, with their counts
 *
 * A GtkListView over a GtkTreeListModel whose levels are the core's live
 * lists of codes, so renames, recolouring, moves and undo show without
 * reloading.  Beside each code: n (the documents holding it or a code
 * below it) and its coded passages, recomputed when the coding changes —
 * synchronously while that is quick, in a worker thread once the project
 * is large enough for it to show.
 *
 * Rows are drag sources of their code and drop targets for codes (make a
 * sub-code, reorder, or merge with Ctrl+Shift) and for text dragged from
 * the reader (code it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "tsr-code-tree-private.h"
#include "tsr-session.h"
#include "tsr-color-swatch.h"
#include "tsr-reader.h"
#include "tsr-toast.h"

G_DEFINE_FINAL_TYPE (TsrCodeTree, tsr_code_tree, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_SELECTED_CODE,
  N_PROPS
};

enum {
  CODE_ACTIVATED,
  CODE_APPLIED,
  EDIT_DEFINITION,
  COUNTS_UPDATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrCodeTree *self,
                         TsrProject  *project);
static guint signals [N_SIGNALS];

static void rebuild_tree_model  (TsrCodeTree *self);
static void update_code_actions (TsrCodeTree *self);

/* Helpers ------------------------------------------------------------ */

gint64
_tsr_code_tree_code_id_of (TsrCode *code)
{
  return code ? tsr_entity_get_id (TSR_ENTITY (code)) : 0;
}

TsrCode *
_tsr_code_tree_code_of_list_item (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);

  if (row == NULL)
    return NULL;

  /* Owned by the row, which the list item holds. */
  return TSR_CODE (g_object_get_data (G_OBJECT (list_item), "code"));
}

void
_tsr_code_tree_show_toast (TsrCodeTree *self,
            const char  *message,
            gboolean     with_undo)
{
  if (with_undo)
    tsr_toast_show_undo (GTK_WIDGET (self), message);
  else
    tsr_toast_show (GTK_WIDGET (self), message);
}

static void
update_stack (TsrCodeTree *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean any = self->project != NULL && tsr_project_get_n_codes (self->project) > 0;
  gboolean shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0;

  if (!any)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (!shown && search[0] != '\0')
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Which codes have children now; TRUE if that changed since the tree
 * model was built. */
static gboolean
refresh_parents (TsrCodeTree *self,
                 GPtrArray   *codes)
{
  g_autoptr(GHashTable) parents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean changed;

  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = codes->pdata[i];
      gint64 parent_id = tsr_code_get_parent_id (code);

      if (parent_id != 0 && !g_hash_table_contains (parents, &parent_id))
        g_hash_table_add (parents, g_memdup2 (&parent_id, sizeof parent_id));
    }

  changed = self->parents == NULL || g_hash_table_size (parents) != g_hash_table_size (self->parents);
  if (!changed)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, parents);
      while (!changed && g_hash_table_iter_next (&iter, &key, NULL))
        changed = !g_hash_table_contains (self->parents, key);
    }

  g_clear_pointer (&self->parents, g_hash_table_unref);
  self->parents = g_steal_pointer (&parents);

  return changed;
}

static gboolean
code_matches (TsrCode    *code,
              const char *needle)
{
  g_autofree char *name = g_utf8_casefold (tsr_code_get_name (code), -1);

  return strstr (name, needle) != NULL;
}

/* The codes the filter shows: those whose name matches, with their
 * ancestors so each match shows where it sits. */
static void
refresh_filter_ids (TsrCodeTree *self,
                    GPtrArray   *codes)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autoptr(GHashTable) by_id = NULL;

  g_clear_pointer (&self->filter_ids, g_hash_table_unref);

  if (search[0] == '\0')
    return;

  needle = g_utf8_casefold (search, -1);
  by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 id = _tsr_code_tree_code_id_of (codes->pdata[i]);

      g_hash_table_insert (by_id, g_memdup2 (&id, sizeof id), codes->pdata[i]);
    }

  self->filter_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = codes->pdata[i];

      if (!code_matches (code, needle))
        continue;

      for (guint guard = 0; code != NULL && guard < 10000; guard++)
        {
          gint64 id = _tsr_code_tree_code_id_of (code);
          gint64 parent_id = tsr_code_get_parent_id (code);

          if (g_hash_table_contains (self->filter_ids, &id))
            break;
          g_hash_table_add (self->filter_ids, g_memdup2 (&id, sizeof id));
          code = parent_id != 0 ? g_hash_table_lookup (by_id, &parent_id) : NULL;
        }
    }
}

static guint
find_row_position (TsrCodeTree *self,
                   gint64       code_id)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);

      if (_tsr_code_tree_code_id_of (code) == code_id)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static GtkTreeListRow *
find_tree_row (TsrCodeTree *self,
               gint64       code_id)
{
  GListModel *model = G_LIST_MODEL (self->tree_model);
  guint n = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      GtkTreeListRow *row = gtk_tree_list_model_get_row (self->tree_model, i);
      g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);

      if (_tsr_code_tree_code_id_of (code) == code_id)
        return row;
      g_object_unref (row);
    }

  return NULL;
}

static GHashTable *
collect_expanded (TsrCodeTree *self)
{
  GHashTable *expanded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint n = self->tree_model ? g_list_model_get_n_items (G_LIST_MODEL (self->tree_model)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree_model, i);

      if (gtk_tree_list_row_get_expanded (row))
        {
          g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);
          gint64 id = _tsr_code_tree_code_id_of (code);

          g_hash_table_add (expanded, g_memdup2 (&id, sizeof id));
        }
    }

  return expanded;
}

static void
restore_expanded (TsrCodeTree *self,
                  GHashTable  *expanded)
{
  /* Expanding a row inserts its children after it; they are visited in
   * turn, so nested expansions are restored too. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tree_model)); i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree_model, i);
      g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);
      gint64 id = _tsr_code_tree_code_id_of (code);

      if (g_hash_table_contains (expanded, &id))
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
}

static void
scroll_to (TsrCodeTree *self,
           guint        position)
{
  /* gtk_list_view_scroll_to() is GTK 4.12. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* Expands the code's ancestors so it shows, then selects it. */
gboolean
_tsr_code_tree_reveal_code (TsrCodeTree *self,
             gint64       code_id)
{
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint position;
  gint64 id = code_id;

  if (self->project == NULL || code_id == 0)
    return FALSE;

  for (guint guard = 0; id != 0 && guard < 10000; guard++)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, id);

      if (code == NULL)
        return FALSE;
      id = tsr_code_get_parent_id (code);
      if (id != 0)
        g_array_prepend_val (chain, id);
    }

  for (guint i = 0; i < chain->len; i++)
    {
      g_autoptr(GtkTreeListRow) row = find_tree_row (self, g_array_index (chain, gint64, i));

      if (row == NULL)
        return FALSE;
      gtk_tree_list_row_set_expanded (row, TRUE);
    }

  position = find_row_position (self, code_id);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
  return TRUE;
}

static TsrScope *make_scope (TsrCodeTree *self);

static void
format_counts (TsrCodeTree *self,
               gint64       code_id,
               char       **n_text,
               char       **segments_text,
               char       **tooltip)
{
  guint n, segments;

  if (self->counts == NULL)
    {
      *n_text = g_strdup ("");
      *segments_text = g_strdup ("");
      *tooltip = NULL;
      return;
    }

  n = tsr_counts_get_code_n (self->counts, code_id);
  segments = tsr_counts_get_code_segments (self->counts, code_id);

  *n_text = g_strdup_printf ("%u", n);
  *segments_text = g_strdup_printf ("%u", segments);
  if (self->whose == NULL)
    {
      g_autoptr(TsrScope) scope = make_scope (self);

      self->whose = tsr_scope_describe (scope, self->project);
    }
  /* Translators: a code's counts; n is the number of documents, the
   * last %s whose coding is counted ("any coder", "the consensus",
   * "Dana Whitfield") */
  *tooltip = g_strdup_printf (_("In %u of %u documents (n), %u coded passages — coding by %s"),
                              n, tsr_counts_get_n_documents (self->counts), segments, self->whose);
}

void
_tsr_code_tree_update_row_counts (TsrCodeTree *self,
                   GtkListItem *list_item)
{
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);
  GtkWidget *n_label = g_object_get_data (G_OBJECT (list_item), "n-label");
  GtkWidget *segments_label = g_object_get_data (G_OBJECT (list_item), "segments-label");
  g_autofree char *n_text = NULL;
  g_autofree char *segments_text = NULL;
  g_autofree char *tooltip = NULL;

  if (code == NULL)
    return;

  /* The tooltip is made when asked for: setting one on a row on screen
   * asks the display where the pointer is, a round trip per row. */
  format_counts (self, _tsr_code_tree_code_id_of (code), &n_text, &segments_text, &tooltip);
  gtk_label_set_label (GTK_LABEL (n_label), n_text);
  gtk_label_set_label (GTK_LABEL (segments_label), segments_text);
}

/* The counts' tooltip of a row (its counts box's query-tooltip). */
gboolean
_tsr_code_tree_query_counts_tooltip (GtkWidget   *counts_box,
                                     int          x,
                                     int          y,
                                     gboolean     keyboard,
                                     GtkTooltip  *tooltip,
                                     GtkListItem *list_item)
{
  TsrCodeTree *self = TSR_CODE_TREE (gtk_widget_get_ancestor (counts_box, TSR_TYPE_CODE_TREE));
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);
  g_autofree char *n_text = NULL;
  g_autofree char *segments_text = NULL;
  g_autofree char *text = NULL;

  if (self == NULL || code == NULL)
    return FALSE;

  format_counts (self, _tsr_code_tree_code_id_of (code), &n_text, &segments_text, &text);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_bound_rows (TsrCodeTree *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    _tsr_code_tree_update_row_counts (self, key);
}

static TsrScope *
make_scope (TsrCodeTree *self)
{
  if (self->mode == TSR_CODERS_ONE && self->coder_id == 0)
    return tsr_scope_new (TSR_CODERS_ANY, 0);

  return tsr_scope_new (self->mode, self->coder_id);
}

/* Says whose coding the numbers count, above them. */
static void
update_scope_label (TsrCodeTree *self)
{
  g_autoptr(TsrScope) scope = make_scope (self);
  g_autofree char *whose = self->project ? tsr_scope_describe (scope, self->project) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->scope_label), whose != NULL);
  if (whose == NULL)
    return;
  /* Translators: above the code tree; %s is whose coding the numbers
   * beside each code count ("any coder", "the consensus", "Dana") */
  text = g_strdup_printf (_("Counting: %s"), whose);
  gtk_label_set_text (self->scope_label, text);
  g_free (text);
  /* Translators: %s as above */
  text = g_strdup_printf (_("The numbers beside each code: the documents (n) and the passages coded by %s"), whose);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->scope_label), text);
}

static void
set_counts (TsrCodeTree *self,
            TsrCounts   *counts)
{
  g_clear_pointer (&self->counts, tsr_counts_unref);
  self->counts = counts ? tsr_counts_ref (counts) : NULL;
  /* A coder renamed or another scope: said again. */
  g_clear_pointer (&self->whose, g_free);

  if (counts != NULL)
    {
      g_autoptr(GListModel) top = tsr_project_get_codes (self->project, 0);

      /* Every coded passage is under one top-level code. */
      self->counts_segments = 0;
      for (guint i = 0; i < g_list_model_get_n_items (top); i++)
        {
          g_autoptr(TsrCode) code = g_list_model_get_item (top, i);

          self->counts_segments += tsr_counts_get_code_segments (counts, _tsr_code_tree_code_id_of (code));
        }
    }
  update_bound_rows (self);
  g_signal_emit (self, signals [COUNTS_UPDATED], 0);
}

static void start_counts (TsrCodeTree *self);

static void
on_counts_ready_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TsrCodeTree) self = user_data;
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GError) error = NULL;

  counts = tsr_project_compute_counts_finish (TSR_PROJECT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED))
    return;

  self->counts_running = FALSE;

  if (counts == NULL)
    g_debug ("Could not count the codes: %s", error->message);
  else if (TSR_PROJECT (object) == self->project)
    set_counts (self, counts);

  if (self->counts_dirty && self->project != NULL)
    start_counts (self);
}

static void
start_counts (TsrCodeTree *self)
{
  g_autoptr(TsrScope) scope = make_scope (self);

  self->counts_dirty = FALSE;

  /* The first count of a large project goes to a worker too: the rows
   * show no numbers for a moment rather than the window none at all. */
  if ((self->counts != NULL || tsr_session_project_is_small (self->project)) &&
      (self->counts_duration_us < SYNC_COUNTS_LIMIT_US ||
       self->counts_segments < SYNC_COUNTS_LIMIT_SEGMENTS))
    {
      g_autoptr(TsrCounts) counts = NULL;
      g_autoptr(GError) error = NULL;
      gint64 begin = g_get_monotonic_time ();

      counts = tsr_project_compute_counts (self->project, scope, NULL, &error);
      self->counts_duration_us = g_get_monotonic_time () - begin;
      if (counts == NULL)
        g_debug ("Could not count the codes: %s", error->message);
      else
        set_counts (self, counts);
      return;
    }

  /* Not known to be quick until counted at once. */
  self->counts_duration_us = MAX (self->counts_duration_us, SYNC_COUNTS_LIMIT_US);
  self->counts_running = TRUE;
  g_clear_object (&self->counts_cancellable);
  self->counts_cancellable = g_cancellable_new ();
  tsr_project_compute_counts_async (self->project, scope, self->counts_cancellable,
                                    on_counts_ready_cb, g_object_ref (self));
}

static void
schedule_counts (TsrCodeTree *self)
{
  if (self->project == NULL)
    return;

  if (self->counts_running)
    {
      self->counts_dirty = TRUE;
      return;
    }

  start_counts (self);
}

static void
cancel_counts (TsrCodeTree *self)
{
  g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  self->counts_running = FALSE;
  self->counts_dirty = FALSE;
}

/* The model ---------------------------------------------------------- */

static GListModel *
create_child_model_cb (gpointer item,
                       gpointer user_data)
{
  TsrCodeTree *self = user_data;
  gint64 id = _tsr_code_tree_code_id_of (item);

  if (self->project == NULL || self->parents == NULL || !g_hash_table_contains (self->parents, &id))
    return NULL;

  return tsr_project_get_codes (self->project, id);
}

static gboolean
filter_row_cb (gpointer item,
               gpointer user_data)
{
  TsrCodeTree *self = user_data;
  g_autoptr(TsrCode) code = NULL;
  gint64 id;

  if (self->filter_ids == NULL)
    return TRUE;

  code = gtk_tree_list_row_get_item (item);
  id = _tsr_code_tree_code_id_of (code);
  return g_hash_table_contains (self->filter_ids, &id);
}

static void
rebuild_tree_model (TsrCodeTree *self)
{
  g_autoptr(GHashTable) expanded = collect_expanded (self);
  TsrCode *selected = tsr_code_tree_get_selected_code (self);
  gint64 selected_id = _tsr_code_tree_code_id_of (selected);
  GListModel *root;

  gtk_filter_list_model_set_model (self->filter_model, NULL);
  g_clear_object (&self->tree_model);

  if (self->project == NULL)
    return;

  root = tsr_project_get_codes (self->project, 0);
  /* While filtering every match shows, however deep. */
  self->tree_model = gtk_tree_list_model_new (root, FALSE, self->filter_ids != NULL,
                                              create_child_model_cb, self, NULL);
  if (self->filter_ids == NULL)
    restore_expanded (self, expanded);
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->tree_model));

  if (selected_id != 0)
    {
      guint position = find_row_position (self, selected_id);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, position);
    }
}

static void
refresh_codes (TsrCodeTree *self,
               gboolean     force_rebuild)
{
  g_autoptr(GPtrArray) codes = NULL;
  gboolean filtering;
  gboolean rebuild;

  if (self->project == NULL)
    return;

  codes = tsr_project_list_all_codes (self->project);
  if (codes == NULL)
    return;

  filtering = self->filter_ids != NULL;
  rebuild = refresh_parents (self, codes) || force_rebuild;
  refresh_filter_ids (self, codes);

  if (rebuild || filtering != (self->filter_ids != NULL))
    rebuild_tree_model (self);
  else if (self->filter_ids != NULL)
    {
      GtkFilter *filter = gtk_filter_list_model_get_filter (self->filter_model);

      gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
    }

  update_stack (self);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject  *project,
                       TsrChange    change,
                       TsrCodeTree *self)
{
  if (change & TSR_CHANGE_CODES)
    {
      refresh_codes (self, FALSE);
      update_code_actions (self);
    }
  if (change & TSR_CHANGE_CODERS)
    update_scope_label (self);

  if (change & (TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODERS | TSR_CHANGE_DOCUMENTS))
    schedule_counts (self);
}

static void
on_search_entry_search_changed_cb (TsrCodeTree    *self,
                                   GtkSearchEntry *entry)
{
  refresh_codes (self, TRUE);
}

static void
on_search_entry_stop_search_cb (TsrCodeTree    *self,
                                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  refresh_codes (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_search_entry_activate_cb (TsrCodeTree    *self,
                             GtkSearchEntry *entry)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *needle = g_utf8_casefold (search, -1);
  guint n = g_list_model_get_n_items (model);

  /* Enter selects the first code that matches (not an ancestor shown
   * only to place it). */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);

      if (search[0] == '\0' || code_matches (code, needle))
        {
          /* Selected and given the focus, so Enter then codes with it. */
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.select-item", "(ubb)", i, FALSE, FALSE);
          gtk_single_selection_set_selected (self->selection, i);
          scroll_to (self, i);
          gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
          break;
        }
    }
}

/* What the selected code allows.  Moving to the top level is for a code
 * that has a parent; its menu item hides otherwise.  The parent is read
 * from the project, as a move or an undo changes it under the row. */
static void
update_code_actions (TsrCodeTree *self)
{
  gint64 id = _tsr_code_tree_code_id_of (tsr_code_tree_get_selected_code (self));
  gboolean nested = FALSE;
  static const char * const actions[] = {
    "code.new-child", "code.rename", "code.recolor", "code.define", "code.delete",
    "code.merge-into", "code.apply", "code.menu",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], id != 0);

  if (id != 0 && self->project != NULL)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, id);

      nested = code != NULL && tsr_code_get_parent_id (code) != 0;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code.to-top", nested);
}

static void
on_selection_notify_selected_item_cb (TsrCodeTree        *self,
                                      GParamSpec         *pspec,
                                      GtkSingleSelection *selection)
{
  update_code_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_CODE]);
}

static void
on_list_view_activate_cb (TsrCodeTree *self,
                          guint        position,
                          GtkListView *list_view)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  g_autoptr(TsrCode) code = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (code != NULL)
    g_signal_emit (self, signals [CODE_ACTIVATED], 0, code);
}

static void
on_filter_model_items_changed_cb (TsrCodeTree *self,
                                  guint        position,
                                  guint        removed,
                                  guint        added,
                                  GListModel  *model)
{
  update_stack (self);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_code_tree_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  GTK_WIDGET_CLASS (tsr_code_tree_parent_class)->size_allocate (widget, width, height, baseline);

  gtk_popover_present (self->name_popover);
  gtk_popover_present (self->color_popover);
  gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
tsr_code_tree_dispose (GObject *object)
{
  TsrCodeTree *self = TSR_CODE_TREE (object);

  set_project (self, NULL);

  if (self->filter_model != NULL)
    gtk_filter_list_model_set_model (self->filter_model, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_CODE_TREE);

  {
    GtkWidget *child;

    /* Popovers are not unparented with the template. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->tree_model);

  G_OBJECT_CLASS (tsr_code_tree_parent_class)->dispose (object);
}

static void
tsr_code_tree_finalize (GObject *object)
{
  TsrCodeTree *self = TSR_CODE_TREE (object);

  g_clear_pointer (&self->parents, g_hash_table_unref);
  g_clear_pointer (&self->filter_ids, g_hash_table_unref);
  g_clear_pointer (&self->bound_items, g_hash_table_unref);
  g_clear_pointer (&self->counts, tsr_counts_unref);
  g_clear_pointer (&self->whose, g_free);

  G_OBJECT_CLASS (tsr_code_tree_parent_class)->finalize (object);
}

static void
tsr_code_tree_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsrCodeTree *self = TSR_CODE_TREE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_SELECTED_CODE:
      g_value_set_object (value, tsr_code_tree_get_selected_code (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_code_tree_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsrCodeTree *self = TSR_CODE_TREE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_code_tree_class_init (TsrCodeTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_code_tree_dispose;
  object_class->finalize = tsr_code_tree_finalize;
  object_class->get_property = tsr_code_tree_get_property;
  object_class->set_property = tsr_code_tree_set_property;

  widget_class->size_allocate = tsr_code_tree_size_allocate;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED_CODE] =
    g_param_spec_object ("selected-code", NULL, NULL,
                         TSR_TYPE_CODE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsrCodeTree::code-activated:
   * @code: the code
   *
   * The user asked to code the reader's selection with @code (Enter or a
   * double click on it).
   */
  signals [CODE_ACTIVATED] =
    g_signal_new ("code-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TSR_TYPE_CODE);

  /**
   * TsrCodeTree::code-applied:
   * @code_id: the code
   *
   * A passage was coded with @code_id by dropping it on the code's row.
   */
  signals [CODE_APPLIED] =
    g_signal_new ("code-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  signals [EDIT_DEFINITION] =
    g_signal_new ("edit-definition",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TSR_TYPE_CODE);

  /**
   * TsrCodeTree::counts-updated:
   *
   * The counts beside the codes were recomputed and are shown.
   */
  signals [COUNTS_UPDATED] =
    g_signal_new ("counts-updated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (TSR_TYPE_CODE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tsrcodetree");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-code-tree.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, scope_label);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, new_button);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, scroller);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, list_view);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, selection);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, name_popover);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, name_heading);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, name_apply_button);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, inside_check);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, name_error);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, color_popover);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, color_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, palette_grid);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, color_chooser_box);
  gtk_widget_class_bind_template_child (widget_class, TsrCodeTree, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_notify_selected_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);

  _tsr_code_tree_class_rows_init (widget_class);
  _tsr_code_tree_class_edit_init (widget_class);
}

static void
tsr_code_tree_init (TsrCodeTree *self)
{
  GtkCustomFilter *filter;

  self->bound_items = g_hash_table_new (NULL, NULL);
  self->mode = TSR_CODERS_ANY;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  filter = gtk_custom_filter_new (filter_row_cb, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (filter));
  g_object_unref (filter);

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_model_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  _tsr_code_tree_build_palette (self);
  on_selection_notify_selected_item_cb (self, NULL, self->selection);
  update_stack (self);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_code_tree_new (void)
{
  return g_object_new (TSR_TYPE_CODE_TREE, NULL);
}

/**
 * tsr_code_tree_get_project:
 *
 * Returns: (transfer none) (nullable): the project whose codes are shown
 */
TsrProject *
tsr_code_tree_get_project (TsrCodeTree *self)
{
  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  return self->project;
}

static void
set_project (TsrCodeTree *self,
             TsrProject  *project)
{
  if (self->project == project)
    return;

  cancel_counts (self);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);

  g_set_object (&self->project, project);

  g_clear_pointer (&self->parents, g_hash_table_unref);
  g_clear_pointer (&self->filter_ids, g_hash_table_unref);
  g_clear_pointer (&self->counts, tsr_counts_unref);
  self->counts_duration_us = 0;
  self->counts_segments = 0;

  if (self->search_entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  if (project != NULL)
    {
      self->changed_handler =
        g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      refresh_codes (self, TRUE);
      schedule_counts (self);
    }
  else if (self->filter_model != NULL)
    {
      gtk_filter_list_model_set_model (self->filter_model, NULL);
      g_clear_object (&self->tree_model);
    }

  if (self->stack != NULL)
    update_stack (self);
  if (self->scope_label != NULL)
    update_scope_label (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_code_tree_set_scope:
 * @mode: whose coding the counts cover
 * @coder_id: the coder, for %TSR_CODERS_ONE
 *
 * Counts only one coder's coding while the others' is hidden.
 */
void
tsr_code_tree_set_scope (TsrCodeTree  *self,
                         TsrCoderMode  mode,
                         gint64        coder_id)
{
  g_return_if_fail (TSR_IS_CODE_TREE (self));

  if (self->mode == mode && self->coder_id == coder_id)
    return;

  self->mode = mode;
  self->coder_id = coder_id;

  update_scope_label (self);
  cancel_counts (self);
  schedule_counts (self);
}

/**
 * tsr_code_tree_get_counts:
 *
 * Returns: (transfer none) (nullable): the counts shown
 */
TsrCounts *
tsr_code_tree_get_counts (TsrCodeTree *self)
{
  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  return self->counts;
}

/**
 * tsr_code_tree_get_selected_code:
 *
 * Returns: (transfer none) (nullable): the selected code
 */
TsrCode *
tsr_code_tree_get_selected_code (TsrCodeTree *self)
{
  GtkTreeListRow *row;

  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return NULL;

  /* The row holds its item, so a borrowed pointer stays valid. */
  {
    TsrCode *code = gtk_tree_list_row_get_item (row);

    g_object_unref (code);
    return code;
  }
}

/**
 * tsr_code_tree_select_code:
 *
 * Selects a code, expanding the codes above it, and scrolls to it.
 *
 * Returns: whether the code is shown and selected
 */
gboolean
tsr_code_tree_select_code (TsrCodeTree *self,
                           gint64       code_id)
{
  g_return_val_if_fail (TSR_IS_CODE_TREE (self), FALSE);

  return _tsr_code_tree_reveal_code (self, code_id);
}

void
tsr_code_tree_set_filter_text (TsrCodeTree *self,
                               const char  *text)
{
  g_return_if_fail (TSR_IS_CODE_TREE (self));

  /* search-changed is delayed; apply the filter at once. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  refresh_codes (self, TRUE);
}

void
tsr_code_tree_focus_search (TsrCodeTree *self)
{
  g_return_if_fail (TSR_IS_CODE_TREE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * tsr_code_tree_begin_new_code:
 * @inside_selected: offer to make it a sub-code of the selected code
 *
 * Asks for the name of a new code.
 */
void
tsr_code_tree_begin_new_code (TsrCodeTree *self,
                              gboolean     inside_selected)
{
  g_return_if_fail (TSR_IS_CODE_TREE (self));

  if (self->project == NULL)
    return;

  _tsr_code_tree_show_name_popover (self, TRUE, inside_selected && _tsr_code_tree_selected_id (self) != 0, _tsr_code_tree_selected_id (self));
}

GtkListView *
tsr_code_tree_get_list_view (TsrCodeTree *self)
{
  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  return self->list_view;
}

/**
 * tsr_code_tree_get_model:
 *
 * Returns: (transfer none): the rows shown, as #GtkTreeListRow items
 */
GListModel *
tsr_code_tree_get_model (TsrCodeTree *self)
{
  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  return G_LIST_MODEL (self->selection);
}

/**
 * tsr_code_tree_get_row_widget:
 *
 * Returns: (transfer none) (nullable): the row showing the code, if it is
 *   on screen; it carries the row's drag source and drop target
 */
GtkWidget *
tsr_code_tree_get_row_widget (TsrCodeTree *self,
                              gint64       code_id)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (_tsr_code_tree_code_id_of (_tsr_code_tree_code_of_list_item (key)) == code_id)
      return gtk_list_item_get_child (key);

  return NULL;
}

/**
 * tsr_code_tree_dup_row_counts:
 *
 * Returns: (transfer full) (nullable): the counts the code's row shows,
 *   as "n/segments", if the row is on screen
 */
char *
tsr_code_tree_dup_row_counts (TsrCodeTree *self,
                              gint64       code_id)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TSR_IS_CODE_TREE (self), NULL);

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (_tsr_code_tree_code_id_of (_tsr_code_tree_code_of_list_item (key)) == code_id)
      return g_strdup_printf ("%s/%s",
                              gtk_label_get_label (g_object_get_data (key, "n-label")),
                              gtk_label_get_label (g_object_get_data (key, "segments-label")));

  return NULL;
}

/**
 * tsr_code_tree_drop_code:
 * @place: before, into or after @target_id
 * @merge: merge rather than move (asks first)
 *
 * What dropping one code on another's row does.
 *
 * Returns: whether the drop was taken
 */
gboolean
tsr_code_tree_drop_code (TsrCodeTree  *self,
                         gint64        code_id,
                         gint64        target_id,
                         TsrDropPlace  place,
                         gboolean      merge)
{
  g_autoptr(TsrCode) source = NULL;
  g_autoptr(TsrCode) target = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TSR_IS_CODE_TREE (self), FALSE);

  if (self->project == NULL || code_id == target_id)
    return FALSE;

  source = tsr_project_lookup_code (self->project, code_id);
  target = tsr_project_lookup_code (self->project, target_id);
  if (source == NULL || target == NULL)
    return FALSE;

  if (merge)
    {
      _tsr_code_tree_confirm_merge (self, code_id, target_id);
      return TRUE;
    }

  if (place == TSR_DROP_INTO)
    {
      if (tsr_code_get_parent_id (source) == target_id)
        return FALSE;
      tsr_project_move_code (self->project, code_id, target_id, -1, &error);
    }
  else
    _tsr_code_tree_move_beside (self, source, target, place == TSR_DROP_AFTER, &error);

  if (!_tsr_code_tree_report_error (self, error))
    return FALSE;

  _tsr_code_tree_reveal_code (self, code_id);
  return TRUE;
}
