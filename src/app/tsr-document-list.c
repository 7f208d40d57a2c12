/* tsr-document-list.c — the project's documents, filtered by name and
 * by text
 *
 * The search box keeps the documents whose name holds what is typed
 * (at once) or whose text matches it as a search (through the core's
 * full-text search, in a worker thread; the last word typed counts as a
 * prefix, so the list narrows while typing), and each row found by its
 * text says how many hits it holds.
 *
 * The window can narrow the list to one case's documents (chosen in the
 * case list below it).  A row can be dragged onto a case, and its menu
 * adds the document to a case or takes it out of the one shown.
 *
 * A row shows a check when the current coder marked the document as
 * done; its menu marks it, or every document shown (the whole list, a
 * case's, or what a search found) in one undoable step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tsr-color-swatch.h"
#include "tsr-document-list.h"
#include "tsr-session.h"
#include "tsr-toast.h"

struct _TsrDocumentList
{
  GtkWidget           parent_instance;

  TsrProject         *project;
  gulong              changed_handler;
  gulong              coder_handler;

  /* The coder whose passages are counted beside each document, or 0
   * for every coder. */
  gint64              coder_id;
  /* Passages counted beside each document: id → n + 1, read once per
   * row until the coding changes, and whose coding that is. */
  GHashTable         *row_counts;
  char               *whose;
  /* GtkListItem → TRUE, the rows on screen */
  GHashTable         *bound_items;
  TsrDocument        *renaming;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filter_model;
  GtkStringFilter    *filter;
  GtkAnyFilter       *any_filter;
  AdwStatusPage      *no_match_page;
  /* Documents whose text matches the search: id → hits (owned by
   * any_filter) */
  GtkCustomFilter    *text_filter;
  GHashTable         *text_hits;
  GCancellable       *search_cancellable;
  GtkPopoverMenu     *context_menu;
  GtkPopover         *rename_popover;
  GtkEntry           *rename_entry;
  GtkLabel           *rename_error;
  GtkButton          *import_button;
  AdwStatusPage      *empty_case_page;
  GMenu              *case_submenu;

  /* The case whose documents show (0: every document), and the ids of
   * its documents. */
  gint64              case_id;
  GHashTable         *case_documents;
  GtkFilterListModel *case_model;
  GtkCustomFilter    *case_filter;
};

G_DEFINE_FINAL_TYPE (TsrDocumentList, tsr_document_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_SELECTED_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrDocumentList *self,
                         TsrProject      *project);

/* Helpers ------------------------------------------------------------ */

static void
update_stack (TsrDocumentList *self)
{
  GListModel *all = gtk_filter_list_model_get_model (self->case_model);
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* Nothing to search in a project without documents. */
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry),
                          all != NULL && g_list_model_get_n_items (all) > 0);

  if (empty && search[0] != '\0')
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  else if (empty && self->case_id != 0)
    gtk_stack_set_visible_child_name (self->stack, "empty-case");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static guint
find_position (TsrDocumentList *self,
               TsrDocument     *document)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDocument) item = g_list_model_get_item (model, i);

      if (item == document)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
scroll_to (TsrDocumentList *self,
           guint            position)
{
  /* gtk_list_view_scroll_to() is GTK 4.12. */
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}


static void
show_toast (TsrDocumentList *self,
            const char      *message,
            gboolean         with_undo)
{
  if (with_undo)
    tsr_toast_show_undo (GTK_WIDGET (self), message);
  else
    tsr_toast_show (GTK_WIDGET (self), message);
}

/* The coded passages counted beside @document. */
static guint
row_count (TsrDocumentList *self,
           TsrDocument     *document)
{
  gint64 id = tsr_entity_get_id (TSR_ENTITY (document));
  gpointer cached = g_hash_table_lookup (self->row_counts, &id);
  guint n;

  /* Scrolling back and forth reads each row's count once. */
  if (cached != NULL)
    return GPOINTER_TO_UINT (cached) - 1;
  n = tsr_project_count_document_segments (self->project, id, self->coder_id);
  g_hash_table_insert (self->row_counts, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (n + 1));
  return n;
}

static gboolean
on_row_query_tooltip_cb (GtkWidget   *label,
                         int          x,
                         int          y,
                         gboolean     keyboard,
                         GtkTooltip  *tooltip,
                         GtkListItem *list_item)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (gtk_widget_get_ancestor (label, TSR_TYPE_DOCUMENT_LIST));
  TsrDocument *document = gtk_list_item_get_item (list_item);
  guint n;

  if (self == NULL || self->project == NULL || document == NULL)
    return FALSE;

  if (label == g_object_get_data (G_OBJECT (list_item), "name-label"))
    {
      gtk_tooltip_set_text (tooltip, tsr_document_get_name (document));
      return TRUE;
    }

  n = row_count (self, document);
  if (self->whose == NULL)
    {
      g_autoptr(TsrCoder) coder = self->coder_id ? tsr_project_lookup_coder (self->project, self->coder_id) : NULL;

      self->whose = g_strdup (coder ? (tsr_coder_get_is_consensus (coder) ? _("the consensus")
                                                                          : tsr_coder_get_name (coder))
                                    : _("any coder"));
    }
  {
    g_autofree char *passages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coded passage",
                                                              "%u coded passages", n), n);
    /* Translators: a document's count of coded passages, then whose
     * coding it counts ("any coder", a coder's name) */
    g_autofree char *text = g_strdup_printf (_("%s — coding by %s"), passages, self->whose);

    gtk_tooltip_set_text (tooltip, text);
  }
  return TRUE;
}

static void
update_row (TsrDocumentList *self,
            GtkListItem     *list_item)
{
  TsrDocument *document = gtk_list_item_get_item (list_item);
  GtkWidget *count = g_object_get_data (G_OBJECT (list_item), "count-label");
  GtkWidget *name = g_object_get_data (G_OBJECT (list_item), "name-label");
  GtkWidget *read = g_object_get_data (G_OBJECT (list_item), "read-icon");
  GtkWidget *done = g_object_get_data (G_OBJECT (list_item), "done-icon");
  GtkWidget *hits_label = g_object_get_data (G_OBJECT (list_item), "hits-label");
  g_autofree char *text = NULL;
  guint n;

  if (document == NULL || self->project == NULL)
    return;

  {
    gint64 id = tsr_entity_get_id (TSR_ENTITY (document));
    guint hits = GPOINTER_TO_UINT (g_hash_table_lookup (self->text_hits, &id));
    g_autofree char *hits_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hit", "%u hits", hits), hits);

    gtk_label_set_label (GTK_LABEL (hits_label), hits_text);
    gtk_widget_set_visible (hits_label, hits > 0);
  }

  n = row_count (self, document);
  text = n > 0 ? g_strdup_printf ("%u", n) : g_strdup ("");
  gtk_label_set_label (GTK_LABEL (count), text);
  /* The tooltips are made when asked for (on_row_query_tooltip_cb):
   * setting one on a row on screen asks the display where the pointer
   * is, a round trip per row bound while scrolling. */
  gtk_label_set_label (GTK_LABEL (name), tsr_document_get_name (document));

  /* Unread documents stand out, as unread mail does. */
  if (tsr_document_get_read (document))
    gtk_widget_remove_css_class (name, "tsr-unread");
  else
    gtk_widget_add_css_class (name, "tsr-unread");
  gtk_widget_set_visible (read, tsr_document_get_read (document));
  gtk_widget_set_visible (done, tsr_project_get_document_done (self->project,
                                                               tsr_entity_get_id (TSR_ENTITY (document)), 0));
}

/* The counts and whose coding they are, read again for the rows shown. */
static void
forget_counts (TsrDocumentList *self)
{
  if (self->row_counts != NULL)
    g_hash_table_remove_all (self->row_counts);
  g_clear_pointer (&self->whose, g_free);
}

static void
update_bound_rows (TsrDocumentList *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_row (self, key);
}

static void
update_menu_actions (TsrDocumentList *self)
{
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  gboolean has = document != NULL;
  gboolean read = has && tsr_document_get_read (document);
  gboolean done = has && self->project != NULL &&
                  tsr_project_get_document_done (self->project, tsr_entity_get_id (TSR_ENTITY (document)), 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.rename", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.delete", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.menu", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.toggle-read", has && !read);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.toggle-unread", read);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.mark-done", has && !done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.mark-undone", done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.mark-shown-done",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.add-to-case", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.remove-from-case", has && self->case_id != 0);
}

static gboolean
match_case (gpointer item,
            gpointer user_data)
{
  TsrDocumentList *self = user_data;
  gint64 id = tsr_entity_get_id (TSR_ENTITY (item));

  return self->case_id == 0 || g_hash_table_contains (self->case_documents, &id);
}

/* Reads the shown case's documents again (after an edit to cases). */
static void
update_case_documents (TsrDocumentList *self)
{
  g_autoptr(GArray) ids = NULL;

  g_hash_table_remove_all (self->case_documents);
  if (self->project != NULL && self->case_id != 0)
    {
      ids = tsr_project_get_case_documents (self->project, self->case_id);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (self->case_documents, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
    }
  gtk_filter_changed (GTK_FILTER (self->case_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_menu_actions (self);
  update_stack (self);
}

/* The "Add to Case" submenu: the cases the selected document is not in. */
static void
update_case_submenu (TsrDocumentList *self)
{
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  g_autoptr(GListModel) cases = NULL;
  guint added = 0;

  g_menu_remove_all (self->case_submenu);
  if (self->project == NULL || document == NULL)
    return;

  cases = tsr_project_get_cases (self->project);
  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (cases, i);
      gint64 case_id = tsr_entity_get_id (TSR_ENTITY (c));
      g_autoptr(GArray) members = tsr_project_get_case_documents (self->project, case_id);
      g_autoptr(GMenuItem) item = NULL;
      gboolean member = FALSE;

      for (guint j = 0; j < members->len && !member; j++)
        member = g_array_index (members, gint64, j) == tsr_entity_get_id (TSR_ENTITY (document));
      if (member)
        continue;

      item = g_menu_item_new (tsr_case_get_name (c), NULL);
      g_menu_item_set_action_and_target_value (item, "documents.add-to-case", g_variant_new_int64 (case_id));
      g_menu_append_item (self->case_submenu, item);
      added++;
    }

  if (added == 0)
    {
      /* A menu item with no action shows insensitive: it says why the
       * submenu is empty rather than hiding it. */
      g_menu_append (self->case_submenu,
                     g_list_model_get_n_items (cases) == 0 ? _("No Cases Yet (Create One with + under Cases)")
                                                           : _("Already in Every Case"),
                     "documents.no-case");
    }
}

static GtkWidget *
row_widget_for (TsrDocumentList *self,
                TsrDocument     *document)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (gtk_list_item_get_item (key) == (gpointer) document)
      return gtk_list_item_get_child (key);

  return NULL;
}

static void
point_at_document (TsrDocumentList *self,
                   GtkPopover      *popover,
                   TsrDocument     *document)
{
  GtkWidget *row = row_widget_for (self, document);
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
    graphene_rect_init (&bounds, 0, 0, gtk_widget_get_width (GTK_WIDGET (self)), 30);

  gtk_popover_set_pointing_to (popover, &(GdkRectangle) {
                                 bounds.origin.x, bounds.origin.y,
                                 MAX (1, bounds.size.width), MAX (1, bounds.size.height) });
}

static gboolean
match_text (gpointer item,
            gpointer user_data)
{
  TsrDocumentList *self = user_data;
  gint64 id = tsr_entity_get_id (TSR_ENTITY (item));

  return self->text_hits != NULL && g_hash_table_contains (self->text_hits, &id);
}

typedef struct
{
  TsrDocumentList *self;
  GCancellable    *cancellable;
} SearchCall;

static void
on_text_search_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SearchCall *call = user_data;
  TsrDocumentList *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search_finish (TSR_PROJECT (source), result, &error);

  if (!g_cancellable_is_cancelled (call->cancellable) && self->text_hits != NULL)
    {
      /* A query the search cannot read still filters by name; the
       * empty list says why nothing matched its text. */
      adw_status_page_set_description (self->no_match_page, hits == NULL ? error->message : NULL);
      if (hits != NULL)
        {
          for (guint i = 0; i < hits->len; i++)
            {
              gint64 id = g_array_index (hits, TsrSearchHit, i).document_id;
              guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->text_hits, &id));

              g_hash_table_insert (self->text_hits, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (n + 1));
            }
          gtk_filter_changed (GTK_FILTER (self->text_filter), GTK_FILTER_CHANGE_LESS_STRICT);
          update_bound_rows (self);
          update_stack (self);
        }
    }

  g_object_unref (call->cancellable);
  g_object_unref (call->self);
  g_free (call);
}

static void
search_text (TsrDocumentList *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *query = g_strstrip (g_strdup (typed));
  SearchCall *call;
  gsize len = strlen (query);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_hash_table_remove_all (self->text_hits);
  gtk_filter_changed (GTK_FILTER (self->text_filter), GTK_FILTER_CHANGE_MORE_STRICT);
  adw_status_page_set_description (self->no_match_page, NULL);

  if (self->project == NULL || len == 0)
    return;

  /* The word being typed is a prefix: "Whi" already finds Whipple. */
  if (g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (query + len))))
    {
      g_autofree char *prefix = g_strconcat (query, "*", NULL);

      g_free (query);
      query = g_steal_pointer (&prefix);
    }

  self->search_cancellable = g_cancellable_new ();
  call = g_new0 (SearchCall, 1);
  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->search_cancellable);
  tsr_project_search_async (self->project, query, TSR_SEARCH_WORDS, NULL, self->search_cancellable,
                            on_text_search_done_cb, call);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_search_entry_search_changed_cb (TsrDocumentList *self,
                                   GtkSearchEntry  *entry)
{
  TsrDocument *selected = tsr_document_list_get_selected_document (self);
  g_autoptr(TsrDocument) keep = selected ? g_object_ref (selected) : NULL;

  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
  search_text (self);

  /* Keep the document being read selected if it still shows. */
  if (keep != NULL)
    {
      guint position = find_position (self, keep);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, position);
    }

  update_stack (self);
}

static void
on_search_entry_stop_search_cb (TsrDocumentList *self,
                                GtkSearchEntry  *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_search_entry_activate_cb (TsrDocumentList *self,
                             GtkSearchEntry  *entry)
{
  /* Enter opens the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
    }
}

static void
on_selection_notify_selected_item_cb (TsrDocumentList    *self,
                                      GParamSpec         *pspec,
                                      GtkSingleSelection *selection)
{
  update_menu_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_DOCUMENT]);
}

static void
on_filter_model_items_changed_cb (TsrDocumentList *self,
                                  guint            position,
                                  guint            removed,
                                  guint            added,
                                  GListModel      *model)
{
  update_stack (self);
}


static void
on_row_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListItem     *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TsrDocumentList *self = TSR_DOCUMENT_LIST (gtk_widget_get_ancestor (row, TSR_TYPE_DOCUMENT_LIST));
  graphene_point_t point;

  if (self == NULL || gtk_list_item_get_item (list_item) == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));

  if (!gtk_widget_compute_point (row, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    graphene_point_init (&point, 0, 0);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { point.x, point.y, 1, 1 });
  update_case_submenu (self);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static GdkContentProvider *
on_row_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        GtkListItem   *list_item)
{
  TsrDocument *document = gtk_list_item_get_item (list_item);

  if (document == NULL)
    return NULL;
  return gdk_content_provider_new_typed (TSR_TYPE_DOCUMENT, document);
}

static void
on_row_drag_begin_cb (GtkDragSource *source,
                      GdkDrag       *drag,
                      GtkListItem   *list_item)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (gtk_list_item_get_child (list_item));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
on_factory_setup_cb (TsrDocumentList    *self,
                     GtkListItem        *list_item,
                     GtkListItemFactory *factory)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);
  GtkWidget *hits = gtk_label_new (NULL);
  GtkWidget *read = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *done = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  GtkGesture *click;
  GtkDragSource *drag;

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Document"), -1);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "tsr-document-count");
  gtk_widget_add_css_class (hits, "accent");
  gtk_widget_add_css_class (hits, "caption");
  gtk_widget_set_visible (hits, FALSE);
  gtk_widget_add_css_class (read, "dim-label");
  gtk_widget_set_tooltip_text (read, _("Read"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (read), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Read"), -1);
  gtk_widget_add_css_class (done, "success");
  gtk_widget_set_tooltip_text (done, _("Done: you finished coding it"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (done), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"), -1);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), hits);
  gtk_box_append (GTK_BOX (box), count);
  gtk_box_append (GTK_BOX (box), read);
  gtk_box_append (GTK_BOX (box), done);
  gtk_list_item_set_child (list_item, box);

  g_object_set_data (G_OBJECT (list_item), "name-label", name);
  g_object_set_data (G_OBJECT (list_item), "count-label", count);
  g_object_set_data (G_OBJECT (list_item), "hits-label", hits);
  g_object_set_data (G_OBJECT (list_item), "read-icon", read);
  gtk_widget_set_has_tooltip (name, TRUE);
  g_signal_connect (name, "query-tooltip", G_CALLBACK (on_row_query_tooltip_cb), list_item);
  gtk_widget_set_has_tooltip (count, TRUE);
  g_signal_connect (count, "query-tooltip", G_CALLBACK (on_row_query_tooltip_cb), list_item);
  g_object_set_data (G_OBJECT (list_item), "done-icon", done);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed_cb), list_item);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));

  /* A document row dragged onto a case joins it. */
  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_row_drag_prepare_cb), list_item);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_row_drag_begin_cb), list_item);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (drag));
}

static void
on_document_notify_cb (TsrDocument *document,
                       GParamSpec  *pspec,
                       GtkListItem *list_item)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  TsrDocumentList *self = row ? TSR_DOCUMENT_LIST (gtk_widget_get_ancestor (row, TSR_TYPE_DOCUMENT_LIST)) : NULL;

  if (self != NULL)
    {
      update_row (self, list_item);
      update_menu_actions (self);
    }
}

static void
on_factory_bind_cb (TsrDocumentList    *self,
                    GtkListItem        *list_item,
                    GtkListItemFactory *factory)
{
  TsrDocument *document = gtk_list_item_get_item (list_item);
  gulong handler;

  handler = g_signal_connect (document, "notify", G_CALLBACK (on_document_notify_cb), list_item);
  g_object_set_data (G_OBJECT (list_item), "notify-handler", GSIZE_TO_POINTER (handler));
  g_hash_table_add (self->bound_items, list_item);
  update_row (self, list_item);
}

static void
on_factory_unbind_cb (TsrDocumentList    *self,
                      GtkListItem        *list_item,
                      GtkListItemFactory *factory)
{
  TsrDocument *document = gtk_list_item_get_item (list_item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "notify-handler"));

  if (document != NULL && handler != 0)
    g_signal_handler_disconnect (document, handler);
  g_object_set_data (G_OBJECT (list_item), "notify-handler", NULL);
  g_hash_table_remove (self->bound_items, list_item);
}

static void
on_project_changed_cb (TsrProject      *project,
                       TsrChange        change,
                       TsrDocumentList *self)
{
  if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS | TSR_CHANGE_CODERS))
    {
      forget_counts (self);
      update_bound_rows (self);
      update_menu_actions (self);
    }
  if (self->case_id != 0 && (change & (TSR_CHANGE_CASES | TSR_CHANGE_DOCUMENTS)))
    update_case_documents (self);
  /* An imported, deleted or restored text changes what matches. */
  if (change & TSR_CHANGE_DOCUMENTS)
    search_text (self);
}

static void
on_current_coder_changed_cb (TsrDocumentList *self)
{
  update_bound_rows (self);
  update_menu_actions (self);
}

static void
on_rename_apply_cb (TsrDocumentList *self)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || self->renaming == NULL)
    return;

  if (!tsr_project_rename_document (self->project, tsr_entity_get_id (TSR_ENTITY (self->renaming)),
                                    gtk_editable_get_text (GTK_EDITABLE (self->rename_entry)), &error))
    {
      gtk_label_set_label (self->rename_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->rename_error), TRUE);
      return;
    }

  gtk_popover_popdown (self->rename_popover);
}

/* Actions ------------------------------------------------------------ */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);

  if (document == NULL)
    return;

  g_set_object (&self->renaming, document);
  gtk_editable_set_text (GTK_EDITABLE (self->rename_entry), tsr_document_get_name (document));
  gtk_widget_set_visible (GTK_WIDGET (self->rename_error), FALSE);
  point_at_document (self, self->rename_popover, document);
  gtk_popover_popup (self->rename_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->rename_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->rename_entry), 0, -1);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (document == NULL || self->project == NULL)
    return;

  message = g_strdup_printf (_("Deleted “%s”"), tsr_document_get_name (document));
  if (!tsr_project_delete_document (self->project, tsr_entity_get_id (TSR_ENTITY (document)), &error))
    show_toast (self, error->message, FALSE);
  else
    show_toast (self, message, TRUE);
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  g_autoptr(GError) error = NULL;

  if (document == NULL || self->project == NULL)
    return;

  if (!tsr_project_set_document_read (self->project, tsr_entity_get_id (TSR_ENTITY (document)),
                                      g_str_equal (action_name, "documents.toggle-read"), &error))
    show_toast (self, error->message, FALSE);
}

static void
mark_done (TsrDocumentList *self,
           GArray          *ids,
           gboolean         done)
{
  g_autoptr(GError) error = NULL;

  if (ids->len == 0 ||
      !tsr_project_set_documents_done (self->project, 0, (const gint64 *) ids->data, ids->len, done, &error))
    {
      if (error != NULL)
        show_toast (self, error->message, FALSE);
      return;
    }
  if (ids->len > 1)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Marked %u document as done",
                                                               "Marked %u documents as done", ids->len),
                                                  ids->len);
      show_toast (self, message, TRUE);
    }
}

static void
mark_done_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 id;

  if (document == NULL || self->project == NULL)
    return;
  id = tsr_entity_get_id (TSR_ENTITY (document));
  g_array_append_val (ids, id);
  mark_done (self, ids, g_str_equal (action_name, "documents.mark-done"));
}

/* Every document the list shows: all of them, a case's, or what a
 * search found. */
static void
mark_shown_done_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  GListModel *shown = G_LIST_MODEL (self->filter_model);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (self->project == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (shown, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (document));

      g_array_append_val (ids, id);
    }
  mark_done (self, ids, TRUE);
}

static TsrCase *
lookup_case (TsrDocumentList *self,
             gint64           case_id)
{
  g_autoptr(GListModel) cases = tsr_project_get_cases (self->project);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) item = g_list_model_get_item (cases, i);

      if (tsr_entity_get_id (TSR_ENTITY (item)) == case_id)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static void
add_to_case_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  gint64 case_id = g_variant_get_int64 (param);
  g_autoptr(TsrCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (document == NULL || self->project == NULL)
    return;

  c = lookup_case (self, case_id);
  if (c == NULL ||
      !tsr_project_set_case_membership (self->project, case_id, tsr_entity_get_id (TSR_ENTITY (document)),
                                        TRUE, &error))
    {
      show_toast (self, error ? error->message : _("That case is gone"), FALSE);
      return;
    }
  message = g_strdup_printf (_("Added “%s” to “%s”"), tsr_document_get_name (document), tsr_case_get_name (c));
  show_toast (self, message, TRUE);
}

static void
remove_from_case_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);
  g_autoptr(TsrCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (document == NULL || self->project == NULL || self->case_id == 0 ||
      (c = lookup_case (self, self->case_id)) == NULL)
    return;

  message = g_strdup_printf (_("Removed “%s” from “%s”"), tsr_document_get_name (document), tsr_case_get_name (c));
  if (!tsr_project_set_case_membership (self->project, self->case_id, tsr_entity_get_id (TSR_ENTITY (document)),
                                        FALSE, &error))
    show_toast (self, error->message, FALSE);
  else
    show_toast (self, message, TRUE);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);
  TsrDocument *document = tsr_document_list_get_selected_document (self);

  if (document == NULL)
    return;

  point_at_document (self, GTK_POPOVER (self->context_menu), document);
  update_case_submenu (self);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* GObject ------------------------------------------------------------ */

static void
tsr_document_list_dispose (GObject *object)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (self->case_model != NULL)
    gtk_filter_list_model_set_model (self->case_model, NULL);

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->coder_handler, self->project);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_DOCUMENT_LIST);

  {
    GtkWidget *child;

    /* Popovers are not unparented with the template. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->project);
  g_clear_object (&self->renaming);
  g_clear_pointer (&self->bound_items, g_hash_table_unref);
  g_clear_pointer (&self->row_counts, g_hash_table_unref);
  g_clear_pointer (&self->whose, g_free);
  g_clear_pointer (&self->text_hits, g_hash_table_unref);
  g_clear_pointer (&self->case_documents, g_hash_table_unref);
  g_clear_object (&self->case_model);

  G_OBJECT_CLASS (tsr_document_list_parent_class)->dispose (object);
}

static void
tsr_document_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_SELECTED_DOCUMENT:
      g_value_set_object (value, tsr_document_list_get_selected_document (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_document_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;

    case PROP_SELECTED_DOCUMENT:
      tsr_document_list_set_selected_document (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_document_list_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (widget);

  GTK_WIDGET_CLASS (tsr_document_list_parent_class)->size_allocate (widget, width, height, baseline);

  gtk_popover_present (GTK_POPOVER (self->context_menu));
  gtk_popover_present (self->rename_popover);
}

static void
tsr_document_list_class_init (TsrDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_document_list_dispose;
  object_class->get_property = tsr_document_list_get_property;
  object_class->set_property = tsr_document_list_set_property;

  widget_class->size_allocate = tsr_document_list_size_allocate;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED_DOCUMENT] =
    g_param_spec_object ("selected-document", NULL, NULL,
                         TSR_TYPE_DOCUMENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template and the row factory look the type up by name. */
  g_type_ensure (TSR_TYPE_DOCUMENT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tsrdocumentlist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-document-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, import_button);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, list_view);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, selection);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, filter_model);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, filter);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, any_filter);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, empty_case_page);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, case_submenu);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, context_menu);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, rename_popover);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, rename_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrDocumentList, rename_error);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_notify_selected_item_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_rename_apply_cb);

  gtk_widget_class_install_action (widget_class, "documents.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "documents.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "documents.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "documents.toggle-unread", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "documents.mark-done", NULL, mark_done_action);
  gtk_widget_class_install_action (widget_class, "documents.mark-undone", NULL, mark_done_action);
  gtk_widget_class_install_action (widget_class, "documents.mark-shown-done", NULL, mark_shown_done_action);
  gtk_widget_class_install_action (widget_class, "documents.menu", NULL, menu_action);
  gtk_widget_class_install_action (widget_class, "documents.add-to-case", "x", add_to_case_action);
  gtk_widget_class_install_action (widget_class, "documents.remove-from-case", NULL, remove_from_case_action);
  /* The insensitive entry of an empty "Add to Case" submenu. */
  gtk_widget_class_install_action (widget_class, "documents.no-case", NULL, NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "documents.rename", NULL);
  /* The key added last is the one menus show: the keypad's first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "documents.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "documents.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "documents.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "documents.menu", NULL);
}

static void
tsr_document_list_init (TsrDocumentList *self)
{
  self->bound_items = g_hash_table_new (NULL, NULL);
  self->row_counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->text_hits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->case_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The case narrows the documents before the search does. */
  self->case_filter = gtk_custom_filter_new (match_case, self, NULL);
  self->case_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->case_filter));
  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->case_model));

  self->text_filter = gtk_custom_filter_new (match_text, self, NULL);
  gtk_multi_filter_append (GTK_MULTI_FILTER (self->any_filter), GTK_FILTER (self->text_filter));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_model_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "documents.no-case", FALSE);
  update_menu_actions (self);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_document_list_new (void)
{
  return g_object_new (TSR_TYPE_DOCUMENT_LIST, NULL);
}

/**
 * tsr_document_list_get_project:
 *
 * Returns: (transfer none) (nullable): the project listed
 */
TsrProject *
tsr_document_list_get_project (TsrDocumentList *self)
{
  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), NULL);

  return self->project;
}

static void
set_project (TsrDocumentList *self,
             TsrProject      *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->coder_handler, self->project);
    }
  g_set_object (&self->project, project);
  forget_counts (self);
  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      /* The checks are the current coder's marks. */
      self->coder_handler = g_signal_connect_swapped (project, "notify::current-coder",
                                                      G_CALLBACK (on_current_coder_changed_cb), self);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_string_filter_set_search (self->filter, NULL);
  search_text (self);
  if (project != NULL)
    {
      g_autoptr(GListModel) documents = tsr_project_get_documents (project);

      gtk_filter_list_model_set_model (self->case_model, documents);
    }
  else
    gtk_filter_list_model_set_model (self->case_model, NULL);
  self->case_id = 0;
  update_case_documents (self);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  update_stack (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_document_list_get_selected_document:
 *
 * Returns: (transfer none) (nullable): the selected document
 */
TsrDocument *
tsr_document_list_get_selected_document (TsrDocumentList *self)
{
  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), NULL);

  return gtk_single_selection_get_selected_item (self->selection);
}

void
tsr_document_list_set_selected_document (TsrDocumentList *self,
                                         TsrDocument     *document)
{
  guint position;

  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));
  g_return_if_fail (!document || TSR_IS_DOCUMENT (document));

  if (document == tsr_document_list_get_selected_document (self))
    return;

  position = document ? find_position (self, document) : GTK_INVALID_LIST_POSITION;
  gtk_single_selection_set_selected (self->selection, position);

  if (position != GTK_INVALID_LIST_POSITION)
    scroll_to (self, position);
}

/**
 * tsr_document_list_select_relative:
 * @delta: how many rows to move, down when positive
 *
 * Selects the document @delta rows away from the selected one.
 */
void
tsr_document_list_select_relative (TsrDocumentList *self,
                                   int              delta)
{
  guint n;
  guint selected;
  gint64 position;

  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  if (n == 0)
    return;

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION)
    position = delta > 0 ? 0 : n - 1;
  else
    position = CLAMP ((gint64) selected + delta, 0, (gint64) n - 1);

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
}

void
tsr_document_list_focus_search (TsrDocumentList *self)
{
  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
tsr_document_list_set_filter_text (TsrDocumentList *self,
                                   const char      *text)
{
  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));

  /* search-changed is delayed; apply the filter at once. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  on_search_entry_search_changed_cb (self, self->search_entry);
}

/**
 * tsr_document_list_get_model:
 *
 * Returns: (transfer none): the documents shown, after filtering
 */
GListModel *
tsr_document_list_get_model (TsrDocumentList *self)
{
  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), NULL);

  return G_LIST_MODEL (self->selection);
}

/**
 * tsr_document_list_get_list_view:
 *
 * Returns: (transfer none): the list view
 */
GtkListView *
tsr_document_list_get_list_view (TsrDocumentList *self)
{
  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), NULL);

  return self->list_view;
}

/**
 * tsr_document_list_set_coder:
 * @coder_id: the coder whose passages are counted, or 0 for every coder
 */
void
tsr_document_list_set_coder (TsrDocumentList *self,
                             gint64           coder_id)
{
  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));

  if (self->coder_id == coder_id)
    return;

  self->coder_id = coder_id;
  forget_counts (self);
  update_bound_rows (self);
}

/**
 * tsr_document_list_dup_row_count:
 *
 * Returns: (transfer full) (nullable): the count of coded passages the
 *   document's row shows, if the row is on screen
 */
char *
tsr_document_list_dup_row_count (TsrDocumentList *self,
                                 TsrDocument     *document)
{
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), NULL);

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      TsrDocument *item = gtk_list_item_get_item (key);

      if (item != NULL && tsr_entity_get_id (TSR_ENTITY (item)) == tsr_entity_get_id (TSR_ENTITY (document)))
        return g_strdup (gtk_label_get_label (g_object_get_data (key, "count-label")));
    }

  return NULL;
}

/**
 * tsr_document_list_set_case:
 * @case_id: the case whose documents to show, or 0 for every document
 */
void
tsr_document_list_set_case (TsrDocumentList *self,
                            gint64           case_id)
{
  TsrDocument *selected;
  g_autoptr(TsrDocument) keep = NULL;

  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));

  if (self->case_id == case_id)
    return;

  selected = tsr_document_list_get_selected_document (self);
  keep = selected ? g_object_ref (selected) : NULL;

  self->case_id = case_id;
  update_case_documents (self);

  /* Keep the document being read selected if it still shows. */
  if (keep != NULL)
    {
      guint position = find_position (self, keep);

      if (position != GTK_INVALID_LIST_POSITION)
        gtk_single_selection_set_selected (self->selection, position);
    }
}

/**
 * tsr_document_list_get_case:
 *
 * Returns: the case whose documents show, or 0
 */
gint64
tsr_document_list_get_case (TsrDocumentList *self)
{
  g_return_val_if_fail (TSR_IS_DOCUMENT_LIST (self), 0);

  return self->case_id;
}
