/* tsr-document-list.c — the project's documents, filtered by name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-document-list.h"

struct _TsrDocumentList
{
  GtkWidget           parent_instance;

  TsrProject         *project;

  /* Template widgets */
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSingleSelection *selection;
  GtkFilterListModel *filter_model;
  GtkStringFilter    *filter;
  GtkButton          *import_button;
};

G_DEFINE_FINAL_TYPE (TsrDocumentList, tsr_document_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SELECTED_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Helpers ------------------------------------------------------------ */

static void
update_stack (TsrDocumentList *self)
{
  GListModel *all = gtk_filter_list_model_get_model (self->filter_model);
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* Nothing to search in a project without documents. */
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry),
                          all != NULL && g_list_model_get_n_items (all) > 0);

  gtk_stack_set_visible_child_name (self->stack,
                                    empty && search[0] != '\0' ? "no-match" : "list");
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

/* Callbacks ---------------------------------------------------------- */

static void
on_search_entry_search_changed_cb (TsrDocumentList *self,
                                   GtkSearchEntry  *entry)
{
  TsrDocument *selected = tsr_document_list_get_selected_document (self);
  g_autoptr(TsrDocument) keep = selected ? g_object_ref (selected) : NULL;

  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));

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

/* GObject ------------------------------------------------------------ */

static void
tsr_document_list_dispose (GObject *object)
{
  TsrDocumentList *self = TSR_DOCUMENT_LIST (object);

  if (self->filter_model != NULL)
    gtk_filter_list_model_set_model (self->filter_model, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_DOCUMENT_LIST);

  g_clear_object (&self->project);

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
    case PROP_PROJECT:
      tsr_document_list_set_project (self, g_value_get_object (value));
      break;

    case PROP_SELECTED_DOCUMENT:
      tsr_document_list_set_selected_document (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_document_list_class_init (TsrDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_document_list_dispose;
  object_class->get_property = tsr_document_list_get_property;
  object_class->set_property = tsr_document_list_set_property;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

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
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_notify_selected_item_cb);
}

static void
tsr_document_list_init (TsrDocumentList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_model_items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
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

void
tsr_document_list_set_project (TsrDocumentList *self,
                               TsrProject      *project)
{
  g_return_if_fail (TSR_IS_DOCUMENT_LIST (self));
  g_return_if_fail (!project || TSR_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_string_filter_set_search (self->filter, NULL);
  if (project != NULL)
    {
      g_autoptr(GListModel) documents = tsr_project_get_documents (project);

      gtk_filter_list_model_set_model (self->filter_model, documents);
    }
  else
    gtk_filter_list_model_set_model (self->filter_model, NULL);
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
