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

#include "tsr-code-tree.h"
#include "tsr-color-swatch.h"
#include "tsr-reader.h"
#include "tsr-toast.h"

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

G_DEFINE_FINAL_TYPE (TsrCodeTree, tsr_code_tree, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
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
static guint signals [N_SIGNALS];

/* The GNOME palette's middle tones: distinct, and readable as a
 * translucent highlight behind text in both light and dark styles. */
static const char * const palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac",
  "#986a44", "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#f66151",
  "#c061cb", "#cdab8f", "#1c71d8", "#26a269", "#e5a50a", "#c64600",
  "#a51d2d", "#613583", "#63452c", "#77767b", "#2ec27e", "#dc8add",
};

static void rebuild_tree_model  (TsrCodeTree *self);
static void update_code_actions (TsrCodeTree *self);

/* Helpers ------------------------------------------------------------ */

static gint64
code_id_of (TsrCode *code)
{
  return code ? tsr_entity_get_id (TSR_ENTITY (code)) : 0;
}

static TsrCode *
code_of_list_item (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);

  if (row == NULL)
    return NULL;

  /* Owned by the row, which the list item holds. */
  return TSR_CODE (g_object_get_data (G_OBJECT (list_item), "code"));
}

static void
show_toast (TsrCodeTree *self,
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
      gint64 id = code_id_of (codes->pdata[i]);

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
          gint64 id = code_id_of (code);
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

      if (code_id_of (code) == code_id)
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

      if (code_id_of (code) == code_id)
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
          gint64 id = code_id_of (code);

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
      gint64 id = code_id_of (code);

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
static gboolean
reveal_code (TsrCodeTree *self,
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
  {
    g_autoptr(TsrScope) scope = make_scope (self);
    g_autofree char *whose = tsr_scope_describe (scope, self->project);

    /* Translators: a code's counts; n is the number of documents, the
     * last %s whose coding is counted ("any coder", "the consensus",
     * "Dana Whitfield") */
    *tooltip = g_strdup_printf (_("In %u of %u documents (n), %u coded passages — coding by %s"),
                                n, tsr_counts_get_n_documents (self->counts), segments, whose);
  }
}

static void
update_row_counts (TsrCodeTree *self,
                   GtkListItem *list_item)
{
  TsrCode *code = code_of_list_item (list_item);
  GtkWidget *n_label = g_object_get_data (G_OBJECT (list_item), "n-label");
  GtkWidget *segments_label = g_object_get_data (G_OBJECT (list_item), "segments-label");
  GtkWidget *counts_box = gtk_widget_get_parent (n_label);
  g_autofree char *n_text = NULL;
  g_autofree char *segments_text = NULL;
  g_autofree char *tooltip = NULL;

  if (code == NULL)
    return;

  format_counts (self, code_id_of (code), &n_text, &segments_text, &tooltip);
  gtk_label_set_label (GTK_LABEL (n_label), n_text);
  gtk_label_set_label (GTK_LABEL (segments_label), segments_text);
  gtk_widget_set_tooltip_text (counts_box, tooltip);
}

static void
update_bound_rows (TsrCodeTree *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_row_counts (self, key);
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

  if (self->counts_duration_us < SYNC_COUNTS_LIMIT_US ||
      self->counts_segments < SYNC_COUNTS_LIMIT_SEGMENTS)
    {
      g_autoptr(TsrCounts) counts = NULL;
      g_autoptr(GError) error = NULL;
      gint64 begin = g_get_monotonic_time ();

      counts = tsr_project_compute_counts (self->project, scope, NULL, &error);
      self->counts_duration_us = g_get_monotonic_time () - begin;
      if (counts == NULL)
        g_debug ("Could not count the codes: %s", error->message);
      else
        {
          g_autoptr(GListModel) top = tsr_project_get_codes (self->project, 0);

          /* Every coded passage is under one top-level code. */
          self->counts_segments = 0;
          for (guint i = 0; i < g_list_model_get_n_items (top); i++)
            {
              g_autoptr(TsrCode) code = g_list_model_get_item (top, i);

              self->counts_segments += tsr_counts_get_code_segments (counts, code_id_of (code));
            }
          set_counts (self, counts);
        }
      return;
    }

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
  gint64 id = code_id_of (item);

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
  id = code_id_of (code);
  return g_hash_table_contains (self->filter_ids, &id);
}

static void
rebuild_tree_model (TsrCodeTree *self)
{
  g_autoptr(GHashTable) expanded = collect_expanded (self);
  TsrCode *selected = tsr_code_tree_get_selected_code (self);
  gint64 selected_id = code_id_of (selected);
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

/* Edits -------------------------------------------------------------- */

static gboolean
report_error (TsrCodeTree *self,
              GError      *error)
{
  if (error != NULL)
    show_toast (self, error->message, FALSE);
  return error == NULL;
}

static void
delete_code (TsrCodeTree *self,
             gint64       code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint n_segments = 0;

  if (code == NULL)
    return;

  name = g_strdup (tsr_code_get_name (code));
  if (self->counts != NULL)
    n_segments = tsr_counts_get_code_segments (self->counts, code_id);

  if (!tsr_project_delete_code (self->project, code_id, &error))
    {
      report_error (self, error);
      return;
    }

  if (n_segments > 0)
    /* Translators: a toast after deleting a code */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Deleted “%s” and %u coded passage",
                                            "Deleted “%s” and %u coded passages", n_segments),
                               name, n_segments);
  else
    message = g_strdup_printf (_("Deleted “%s”"), name);
  show_toast (self, message, TRUE);
}

static void
merge_codes (TsrCodeTree *self,
             gint64       source_id,
             gint64       target_id)
{
  g_autoptr(TsrCode) source = tsr_project_lookup_code (self->project, source_id);
  g_autoptr(TsrCode) target = tsr_project_lookup_code (self->project, target_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (source == NULL || target == NULL)
    return;

  message = g_strdup_printf (_("Merged “%s” into “%s”"),
                             tsr_code_get_name (source), tsr_code_get_name (target));

  if (!tsr_project_merge_codes (self->project, source_id, target_id, &error))
    {
      report_error (self, error);
      return;
    }

  reveal_code (self, target_id);
  show_toast (self, message, TRUE);
}

typedef struct
{
  TsrCodeTree *tree;
  gint64       source_id;
  gint64       target_id;
  GtkDropDown *drop_down;
  GPtrArray   *choices;   /* code ids, as gint64 *, in the drop-down's order */
} MergeRequest;

static void
merge_request_free (gpointer  data,
                    GClosure *closure)
{
  MergeRequest *request = data;

  g_clear_object (&request->tree);
  g_clear_pointer (&request->choices, g_ptr_array_unref);
  g_free (request);
}

static void
on_merge_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             MergeRequest     *request)
{
  gint64 target_id = request->target_id;

  if (g_strcmp0 (response, "merge") != 0 || request->tree->project == NULL)
    return;

  if (request->drop_down != NULL)
    {
      guint selected = gtk_drop_down_get_selected (request->drop_down);

      if (selected >= request->choices->len)
        return;
      target_id = *(gint64 *) request->choices->pdata[selected];
    }

  merge_codes (request->tree, request->source_id, target_id);
}

/* Asks before merging: a merge moves every passage and sub-code.  With
 * @target_id 0 the user picks the code to merge into. */
static void
confirm_merge (TsrCodeTree *self,
               gint64       source_id,
               gint64       target_id)
{
  g_autoptr(TsrCode) source = tsr_project_lookup_code (self->project, source_id);
  g_autoptr(TsrCode) target = target_id ? tsr_project_lookup_code (self->project, target_id) : NULL;
  MergeRequest *request;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (source == NULL || (target_id != 0 && target == NULL))
    return;

  request = g_new0 (MergeRequest, 1);
  request->tree = g_object_ref (self);
  request->source_id = source_id;
  request->target_id = target_id;

  if (target != NULL)
    heading = g_strdup_printf (_("Merge “%s” Into “%s”?"),
                               tsr_code_get_name (source), tsr_code_get_name (target));
  else
    heading = g_strdup_printf (_("Merge “%s” Into…"), tsr_code_get_name (source));
  body = g_strdup_printf (_("Its coded passages, sub-codes and places in themes move to the other code, "
                            "and “%s” is removed. You can undo this."),
                          tsr_code_get_name (source));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "merge");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (target == NULL)
    {
      g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (self->project);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      g_autoptr(GtkExpression) expression = NULL;

      request->choices = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; codes != NULL && i < codes->len; i++)
        {
          gint64 id = code_id_of (codes->pdata[i]);
          g_autofree char *path = NULL;
          gboolean below = FALSE;

          /* Not itself, nor a code below it. */
          for (gint64 up = id; up != 0 && !below; )
            {
              g_autoptr(TsrCode) c = tsr_project_lookup_code (self->project, up);

              below = up == source_id;
              up = c ? tsr_code_get_parent_id (c) : 0;
            }
          if (below)
            continue;

          path = tsr_project_get_code_path (self->project, id);
          gtk_string_list_append (names, path);
          g_ptr_array_add (request->choices, g_memdup2 (&id, sizeof id));
        }

      if (request->choices->len == 0)
        {
          show_toast (self, _("There is no other code to merge into"), FALSE);
          merge_request_free (request, NULL);
          gtk_window_destroy (GTK_WINDOW (dialog));
          return;
        }

      expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
      request->drop_down = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)),
                                                             g_steal_pointer (&expression)));
      gtk_drop_down_set_enable_search (request->drop_down, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (request->drop_down),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Code to merge into"),
                                      -1);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (request->drop_down));
    }

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_merge_dialog_response_cb),
                         request, merge_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Where @source goes when dropped before or after @target. */
static gboolean
move_beside (TsrCodeTree  *self,
             TsrCode      *source,
             TsrCode      *target,
             gboolean      after,
             GError      **error)
{
  gint64 parent_id = tsr_code_get_parent_id (target);
  gint position = tsr_code_get_position (target);

  /* The positions count the siblings without the code being moved. */
  if (tsr_code_get_parent_id (source) == parent_id &&
      tsr_code_get_position (source) < position)
    position--;
  if (after)
    position++;

  return tsr_project_move_code (self->project, code_id_of (source), parent_id, position, error);
}

/* Popovers ----------------------------------------------------------- */

static void
point_popover_at_code (TsrCodeTree *self,
                       GtkPopover  *popover,
                       gint64       code_id)
{
  GtkWidget *row = code_id ? tsr_code_tree_get_row_widget (self, code_id) : NULL;
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (row == NULL || !gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
    {
      if (!gtk_widget_compute_bounds (GTK_WIDGET (self->new_button), GTK_WIDGET (self), &bounds))
        graphene_rect_init (&bounds, 0, 0, 1, 1);
    }

  rect.x = bounds.origin.x;
  rect.y = bounds.origin.y;
  rect.width = MAX (1, bounds.size.width);
  rect.height = MAX (1, bounds.size.height);
  gtk_popover_set_pointing_to (popover, &rect);
}

static void
show_name_popover (TsrCodeTree *self,
                   gboolean     new_code,
                   gboolean     inside,
                   gint64       code_id)
{
  g_autoptr(TsrCode) code = code_id ? tsr_project_lookup_code (self->project, code_id) : NULL;

  self->naming_new = new_code;
  self->popover_code_id = code_id;

  gtk_widget_set_visible (GTK_WIDGET (self->name_error), FALSE);

  if (new_code)
    {
      gtk_label_set_label (self->name_heading, _("New Code"));
      gtk_button_set_label (self->name_apply_button, _("_Create"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_widget_set_visible (GTK_WIDGET (self->inside_check), code != NULL);
      if (code != NULL)
        {
          g_autofree char *label = g_strdup_printf (_("Inside “%s”"), tsr_code_get_name (code));

          gtk_check_button_set_label (self->inside_check, label);
        }
      gtk_check_button_set_active (self->inside_check, inside);
      point_popover_at_code (self, self->name_popover, inside ? code_id : 0);
    }
  else
    {
      if (code == NULL)
        return;
      gtk_label_set_label (self->name_heading, _("Rename Code"));
      gtk_button_set_label (self->name_apply_button, _("_Rename"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), tsr_code_get_name (code));
      gtk_widget_set_visible (GTK_WIDGET (self->inside_check), FALSE);
      point_popover_at_code (self, self->name_popover, code_id);
    }

  gtk_button_set_use_underline (self->name_apply_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_apply_button),
                            gtk_entry_get_text_length (self->name_entry) > 0);
  gtk_popover_popup (self->name_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}

static void
on_name_entry_changed_cb (TsrCodeTree *self,
                          GtkEntry    *entry)
{
  gtk_widget_set_visible (GTK_WIDGET (self->name_error), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_apply_button),
                            gtk_entry_get_text_length (entry) > 0);
}

static void
on_name_apply_cb (TsrCodeTree *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autoptr(GError) error = NULL;
  gint64 new_id = 0;

  if (self->project == NULL || name[0] == '\0')
    return;

  if (self->naming_new)
    {
      gint64 parent_id = gtk_widget_get_visible (GTK_WIDGET (self->inside_check)) &&
                         gtk_check_button_get_active (self->inside_check) ? self->popover_code_id : 0;

      new_id = tsr_project_create_code (self->project, parent_id, name, NULL, NULL, &error);
    }
  else
    tsr_project_rename_code (self->project, self->popover_code_id, name, &error);

  if (error != NULL)
    {
      /* Kept open, so the name can be corrected. */
      gtk_label_set_label (self->name_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->name_error), TRUE);
      return;
    }

  gtk_popover_popdown (self->name_popover);

  if (new_id != 0)
    reveal_code (self, new_id);
}

static void
on_name_popover_closed_cb (TsrCodeTree *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
apply_color (TsrCodeTree *self,
             const char  *color)
{
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (self->color_popover);
  if (self->project == NULL || self->popover_code_id == 0)
    return;

  tsr_project_set_code_color (self->project, self->popover_code_id, color, &error);
  report_error (self, error);
}

static void
on_palette_button_clicked_cb (GtkButton   *button,
                              TsrCodeTree *self)
{
  apply_color (self, g_object_get_data (G_OBJECT (button), "color"));
}

static void
ensure_color_chooser (TsrCodeTree *self)
{
  if (self->color_chooser != NULL)
    return;

  /* A big widget: made only for those who want a colour of their own. */
  self->color_chooser = GTK_COLOR_CHOOSER (gtk_color_chooser_widget_new ());
  gtk_color_chooser_set_use_alpha (self->color_chooser, FALSE);
  g_object_set (self->color_chooser, "show-editor", TRUE, NULL);
  gtk_box_append (self->color_chooser_box, GTK_WIDGET (self->color_chooser));
}

static void
on_custom_color_clicked_cb (TsrCodeTree *self)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, self->popover_code_id);
  GdkRGBA rgba;

  ensure_color_chooser (self);
  if (code != NULL && gdk_rgba_parse (&rgba, tsr_code_get_color (code)))
    gtk_color_chooser_set_rgba (self->color_chooser, &rgba);
  gtk_stack_set_visible_child_name (self->color_stack, "custom");
}

static void
on_custom_color_apply_cb (TsrCodeTree *self)
{
  GdkRGBA rgba;
  g_autofree char *color = NULL;

  ensure_color_chooser (self);
  gtk_color_chooser_get_rgba (self->color_chooser, &rgba);
  color = g_strdup_printf ("#%02x%02x%02x",
                           (guint) (CLAMP (rgba.red, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.green, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.blue, 0, 1) * 255 + 0.5));
  apply_color (self, color);
}

static void
show_color_popover (TsrCodeTree *self,
                    gint64       code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);

  if (code == NULL)
    return;

  self->popover_code_id = code_id;
  gtk_stack_set_visible_child_name (self->color_stack, "palette");
  point_popover_at_code (self, self->color_popover, code_id);
  gtk_popover_popup (self->color_popover);
}

static void
build_palette (TsrCodeTree *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *swatch = tsr_color_swatch_new (palette[i]);

      gtk_widget_set_size_request (swatch, 20, 20);
      gtk_button_set_child (GTK_BUTTON (button), swatch);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "tsr-palette-button");
      gtk_widget_set_tooltip_text (button, palette[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, palette[i],
                                      -1);
      g_object_set_data (G_OBJECT (button), "color", (gpointer) palette[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (on_palette_button_clicked_cb), self);
      gtk_grid_attach (self->palette_grid, button, i % 6, i / 6, 1, 1);
    }
}

static void
popup_context_menu (TsrCodeTree *self,
                    gint64       code_id,
                    double       x,
                    double       y)
{
  if (x < 0)
    point_popover_at_code (self, GTK_POPOVER (self->context_menu), code_id);
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Rows --------------------------------------------------------------- */

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    GtkListItem   *list_item)
{
  TsrCode *code = code_of_list_item (list_item);

  if (code == NULL)
    return NULL;

  return gdk_content_provider_new_typed (TSR_TYPE_CODE, code);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  GtkListItem   *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 12, 12);
}

static TsrDropPlace
drop_place_at (GtkWidget *row,
               double     y)
{
  int height = gtk_widget_get_height (row);

  if (y < height * 0.25)
    return TSR_DROP_BEFORE;
  if (y > height * 0.75)
    return TSR_DROP_AFTER;
  return TSR_DROP_INTO;
}

static void
clear_drop_classes (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "drop-before");
  gtk_widget_remove_css_class (row, "drop-into");
  gtk_widget_remove_css_class (row, "drop-after");
}

static GdkDragAction
on_drop_motion_cb (GtkDropTarget *target,
                   double         x,
                   double         y,
                   GtkListItem   *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);
  GdkContentFormats *formats = drop ? gdk_drop_get_formats (drop) : NULL;
  static const char * const classes[] = { "drop-before", "drop-into", "drop-after" };
  TsrDropPlace place;

  if (g_getenv ("TSR_DND_DEBUG")) { g_autofree char *f = formats ? gdk_content_formats_to_string (formats) : NULL; g_printerr ("DBG motion row %p y=%f formats=%s\n", row, y, f); }
  clear_drop_classes (row);

  if (formats != NULL && gdk_content_formats_contain_gtype (formats, TSR_TYPE_TEXT_RANGE))
    {
      gtk_widget_add_css_class (row, "drop-into");
      return GDK_ACTION_COPY;
    }

  place = drop_place_at (row, y);
  gtk_widget_add_css_class (row, classes[place]);

  /* Ctrl+Shift while dragging asks to merge. */
  if (drop != NULL && (gdk_drop_get_actions (drop) & GDK_ACTION_LINK) &&
      !(gdk_drop_get_actions (drop) & GDK_ACTION_MOVE))
    return GDK_ACTION_LINK;
  return GDK_ACTION_MOVE;
}

static void
on_drop_leave_cb (GtkDropTarget *target,
                  GtkListItem   *list_item)
{
  clear_drop_classes (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target)));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            GtkListItem   *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  TsrCodeTree *self = TSR_CODE_TREE (gtk_widget_get_ancestor (row, TSR_TYPE_CODE_TREE));
  TsrCode *code = code_of_list_item (list_item);
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);

  clear_drop_classes (row);

  if (self == NULL || self->project == NULL || code == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, TSR_TYPE_TEXT_RANGE))
    {
      const TsrTextRange *range = g_value_get_boxed (value);
      g_autoptr(GError) error = NULL;

      if (range == NULL ||
          tsr_project_add_segment (self->project, range->document_id, code_id_of (code),
                                   range->start, range->end, &error) == 0)
        {
          report_error (self, error);
          return FALSE;
        }

      g_signal_emit (self, signals [CODE_APPLIED], 0, code_id_of (code));
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, TSR_TYPE_CODE))
    {
      TsrCode *source = g_value_get_object (value);
      gboolean merge = drop != NULL &&
                       (gdk_drop_get_actions (drop) & GDK_ACTION_LINK) &&
                       !(gdk_drop_get_actions (drop) & GDK_ACTION_MOVE);

      if (source == NULL)
        return FALSE;

      return tsr_code_tree_drop_code (self, code_id_of (source), code_id_of (code),
                                      drop_place_at (row, y), merge);
    }

  return FALSE;
}

static void
on_row_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListItem     *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TsrCodeTree *self = TSR_CODE_TREE (gtk_widget_get_ancestor (row, TSR_TYPE_CODE_TREE));
  TsrCode *code = code_of_list_item (list_item);
  graphene_point_t point;

  if (self == NULL || code == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));

  if (!gtk_widget_compute_point (row, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    graphene_point_init (&point, 0, 0);
  popup_context_menu (self, code_id_of (code), point.x, point.y);
}

static void
on_factory_setup_cb (TsrCodeTree        *self,
                     GtkListItem        *list_item,
                     GtkListItemFactory *factory)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = tsr_color_swatch_new (NULL);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *counts = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *n_label = gtk_label_new (NULL);
  GtkWidget *segments_label = gtk_label_new (NULL);
  GtkDragSource *drag_source;
  GtkDropTarget *drop_target;
  GtkGesture *click;
  GType types[] = { TSR_TYPE_CODE, TSR_TYPE_TEXT_RANGE };

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);

  gtk_widget_add_css_class (n_label, "numeric");
  gtk_widget_add_css_class (n_label, "tsr-code-n");
  gtk_widget_add_css_class (segments_label, "numeric");
  gtk_widget_add_css_class (segments_label, "dim-label");
  gtk_widget_add_css_class (segments_label, "tsr-code-segments");
  gtk_label_set_width_chars (GTK_LABEL (n_label), 2);
  gtk_label_set_width_chars (GTK_LABEL (segments_label), 3);
  gtk_label_set_xalign (GTK_LABEL (n_label), 1);
  gtk_label_set_xalign (GTK_LABEL (segments_label), 1);

  gtk_box_append (GTK_BOX (counts), n_label);
  gtk_box_append (GTK_BOX (counts), segments_label);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), counts);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_widget_add_css_class (expander, "tsr-code-row");
  gtk_list_item_set_child (list_item, expander);

  g_object_set_data (G_OBJECT (list_item), "swatch", swatch);
  g_object_set_data (G_OBJECT (list_item), "name-label", name);
  g_object_set_data (G_OBJECT (list_item), "n-label", n_label);
  g_object_set_data (G_OBJECT (list_item), "segments-label", segments_label);
  g_object_set_data (G_OBJECT (expander), "list-item", list_item);

  drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag_source, GDK_ACTION_MOVE | GDK_ACTION_LINK);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (on_drag_prepare_cb), list_item);
  g_signal_connect (drag_source, "drag-begin", G_CALLBACK (on_drag_begin_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drag_source));

  drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE | GDK_ACTION_LINK);
  gtk_drop_target_set_gtypes (drop_target, types, G_N_ELEMENTS (types));
  g_signal_connect (drop_target, "motion", G_CALLBACK (on_drop_motion_cb), list_item);
  g_signal_connect (drop_target, "enter", G_CALLBACK (on_drop_motion_cb), list_item);
  g_signal_connect (drop_target, "leave", G_CALLBACK (on_drop_leave_cb), list_item);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drop_target));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (click));
}

static void
on_factory_bind_cb (TsrCodeTree        *self,
                    GtkListItem        *list_item,
                    GtkListItemFactory *factory)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (row);
  GBinding *name_binding;
  GBinding *color_binding;
  GBinding *tooltip_binding;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  g_object_set_data_full (G_OBJECT (list_item), "code", g_object_ref (code), g_object_unref);

  name_binding = g_object_bind_property (code, "name",
                                         g_object_get_data (G_OBJECT (list_item), "name-label"), "label",
                                         G_BINDING_SYNC_CREATE);
  tooltip_binding = g_object_bind_property (code, "definition",
                                            g_object_get_data (G_OBJECT (list_item), "name-label"), "tooltip-text",
                                            G_BINDING_SYNC_CREATE);
  color_binding = g_object_bind_property (code, "color",
                                          g_object_get_data (G_OBJECT (list_item), "swatch"), "color",
                                          G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (list_item), "name-binding", name_binding);
  g_object_set_data (G_OBJECT (list_item), "tooltip-binding", tooltip_binding);
  g_object_set_data (G_OBJECT (list_item), "color-binding", color_binding);

  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tsr_code_get_name (code),
                                  -1);

  g_hash_table_add (self->bound_items, list_item);
  update_row_counts (self, list_item);
}

static void
on_factory_unbind_cb (TsrCodeTree        *self,
                      GtkListItem        *list_item,
                      GtkListItemFactory *factory)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  static const char * const bindings[] = { "name-binding", "tooltip-binding", "color-binding" };

  g_hash_table_remove (self->bound_items, list_item);

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      GBinding *binding = g_object_get_data (G_OBJECT (list_item), bindings[i]);

      if (binding != NULL)
        g_binding_unbind (binding);
      g_object_set_data (G_OBJECT (list_item), bindings[i], NULL);
    }

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
  g_object_set_data (G_OBJECT (list_item), "code", NULL);
  clear_drop_classes (expander);
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
  gint64 id = code_id_of (tsr_code_tree_get_selected_code (self));
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

/* Actions ------------------------------------------------------------ */

static gint64
selected_id (TsrCodeTree *self)
{
  return code_id_of (tsr_code_tree_get_selected_code (self));
}

static void
new_code_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  tsr_code_tree_begin_new_code (TSR_CODE_TREE (widget), FALSE);
}

static void
new_child_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  tsr_code_tree_begin_new_code (TSR_CODE_TREE (widget), TRUE);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (selected_id (self) != 0)
    show_name_popover (self, FALSE, FALSE, selected_id (self));
}

static void
recolor_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (selected_id (self) != 0)
    show_color_popover (self, selected_id (self));
}

static void
set_color_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  self->popover_code_id = selected_id (self);
  apply_color (self, g_variant_get_string (param, NULL));
}

static void
define_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  TsrCode *code = tsr_code_tree_get_selected_code (self);

  if (code != NULL)
    g_signal_emit (self, signals [EDIT_DEFINITION], 0, code);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  guint position = gtk_single_selection_get_selected (self->selection);

  if (selected_id (self) == 0)
    return;

  delete_code (self, selected_id (self));

  /* Keep a code selected where the deleted one was, for deleting on. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0 &&
      position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection,
                                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->selection)) - 1));
}

static void
merge_into_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (selected_id (self) != 0)
    confirm_merge (self, selected_id (self), 0);
}

static void
to_top_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  g_autoptr(GError) error = NULL;
  gint64 id = selected_id (self);

  if (id == 0)
    return;

  if (tsr_project_move_code (self->project, id, 0, -1, &error))
    reveal_code (self, id);
  report_error (self, error);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  TsrCode *code = tsr_code_tree_get_selected_code (self);

  if (code != NULL)
    g_signal_emit (self, signals [CODE_ACTIVATED], 0, code);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (selected_id (self) != 0)
    popup_context_menu (self, selected_id (self), -1, -1);
}

static void
expand_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  gboolean expand = g_variant_get_boolean (param);
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (row == NULL)
    return;

  if (expand)
    {
      if (gtk_tree_list_row_is_expandable (row))
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
  else if (gtk_tree_list_row_get_expanded (row))
    gtk_tree_list_row_set_expanded (row, FALSE);
  else
    {
      /* Left on a collapsed row goes to its parent. */
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);

      if (parent != NULL)
        {
          g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (parent);

          reveal_code (self, code_id_of (code));
        }
    }
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

  tsr_code_tree_set_project (self, NULL);

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
    case PROP_PROJECT:
      tsr_code_tree_set_project (self, g_value_get_object (value));
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
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

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
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_popover_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_color_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_color_apply_cb);

  gtk_widget_class_install_action (widget_class, "code.new", NULL, new_code_action);
  gtk_widget_class_install_action (widget_class, "code.new-child", NULL, new_child_action);
  gtk_widget_class_install_action (widget_class, "code.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "code.recolor", NULL, recolor_action);
  gtk_widget_class_install_action (widget_class, "code.set-color", "s", set_color_action);
  gtk_widget_class_install_action (widget_class, "code.define", NULL, define_action);
  gtk_widget_class_install_action (widget_class, "code.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "code.merge-into", NULL, merge_into_action);
  gtk_widget_class_install_action (widget_class, "code.to-top", NULL, to_top_action);
  gtk_widget_class_install_action (widget_class, "code.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "code.menu", NULL, menu_action);
  gtk_widget_class_install_action (widget_class, "code.expand", "b", expand_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "code.rename", NULL);
  /* The key added last is the one menus show: the keypad's first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "code.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "code.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "code.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "code.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "code.expand", "b", TRUE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "code.expand", "b", FALSE);
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

  build_palette (self);
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

void
tsr_code_tree_set_project (TsrCodeTree *self,
                           TsrProject  *project)
{
  g_return_if_fail (TSR_IS_CODE_TREE (self));
  g_return_if_fail (!project || TSR_IS_PROJECT (project));

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

  return reveal_code (self, code_id);
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

  show_name_popover (self, TRUE, inside_selected && selected_id (self) != 0, selected_id (self));
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
    if (code_id_of (code_of_list_item (key)) == code_id)
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
    if (code_id_of (code_of_list_item (key)) == code_id)
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
      confirm_merge (self, code_id, target_id);
      return TRUE;
    }

  if (place == TSR_DROP_INTO)
    {
      if (tsr_code_get_parent_id (source) == target_id)
        return FALSE;
      tsr_project_move_code (self->project, code_id, target_id, -1, &error);
    }
  else
    move_beside (self, source, target, place == TSR_DROP_AFTER, &error);

  if (!report_error (self, error))
    return FALSE;

  reveal_code (self, code_id);
  return TRUE;
}
