/* tsr-case-list.c — the project's cases, under the documents
 *
 * A case gathers documents (a clinician's and a patient's interview make
 * one dyad).  The list shows each case with how many documents it holds;
 * selecting one is what the window narrows the document list to, and
 * "All Documents" at the top brings every document back.  A document
 * row dragged onto a case joins it.  Creating, renaming, deleting and
 * joining are the core's operations, so each is one undoable step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsr-case-list.h"
#include "tsr-session.h"
#include "tsr-toast.h"

struct _TsrCaseList
{
  GtkWidget       parent_instance;

  TsrProject     *project;
  GListModel     *cases;
  gulong          changed_handler;
  guint           rebuild_source;

  /* The case whose documents show, 0 for all of them. */
  gint64          selected_case_id;
  /* The case the name popover renames, 0 when it creates one. */
  gint64          editing_id;
  gboolean        rebuilding;

  /* Template widgets */
  GtkButton      *new_button;
  GtkListBox     *list_box;
  GtkPopoverMenu *context_menu;
  GtkPopover     *name_popover;
  GtkLabel       *name_title;
  GtkEntry       *name_entry;
  GtkButton      *name_button;
  GtkLabel       *name_error;
};

G_DEFINE_FINAL_TYPE (TsrCaseList, tsr_case_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_SELECTED_CASE_ID,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrCaseList *self,
                         TsrProject  *project);

/* Helpers ------------------------------------------------------------ */

static gint64
row_case_id (GtkListBoxRow *row)
{
  gint64 *id = row ? g_object_get_data (G_OBJECT (row), "case-id") : NULL;

  return id ? *id : 0;
}

static const char *
row_case_name (GtkListBoxRow *row)
{
  return row ? g_object_get_data (G_OBJECT (row), "case-name") : NULL;
}

static const char *
case_name (TsrCaseList *self,
           gint64       case_id)
{
  for (guint i = 0; self->cases != NULL && i < g_list_model_get_n_items (self->cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (self->cases, i);

      if (tsr_entity_get_id (TSR_ENTITY (c)) == case_id)
        return tsr_case_get_name (c);
    }
  return "";
}

static void
set_selected_case (TsrCaseList *self,
                   gint64       case_id)
{
  if (self->selected_case_id == case_id)
    return;

  self->selected_case_id = case_id;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.rename", case_id != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.delete", case_id != 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_CASE_ID]);
}

static GtkListBoxRow *
find_row (TsrCaseList *self,
          gint64       case_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_case_id (GTK_LIST_BOX_ROW (child)) == case_id)
      return GTK_LIST_BOX_ROW (child);

  return NULL;
}

static gboolean on_row_drop_cb (GtkDropTarget *target,
                                const GValue  *value,
                                double         x,
                                double         y,
                                GtkListBoxRow *row);
static void on_row_pressed_cb (GtkGestureClick *gesture,
                               int              n_press,
                               double           x,
                               double           y,
                               GtkListBoxRow   *row);

static GtkWidget *
make_row (gint64      case_id,
          const char *name,
          const char *icon_name,
          guint       n_documents,
          gboolean    show_count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *count = gtk_label_new (NULL);
  g_autofree char *n = g_strdup_printf ("%u", n_documents);
  g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents",
                                                           n_documents), n_documents);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, name);
  gtk_label_set_label (GTK_LABEL (count), n);
  gtk_widget_set_tooltip_text (count, tooltip);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_set_visible (count, show_count);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data_full (G_OBJECT (row), "case-id", g_memdup2 (&case_id, sizeof case_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "case-name", g_strdup (name), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);

  return row;
}

static void
rebuild (TsrCaseList *self)
{
  GtkWidget *child;
  GtkListBoxRow *selected;
  guint n_all = self->project ? tsr_project_get_n_documents (self->project) : 0;

  self->rebuilding = TRUE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (self->project != NULL)
    {
      gtk_list_box_append (self->list_box,
                           make_row (0, _("All Documents"), "view-list-symbolic", n_all, TRUE));

      for (guint i = 0; i < g_list_model_get_n_items (self->cases); i++)
        {
          g_autoptr(TsrCase) c = g_list_model_get_item (self->cases, i);
          gint64 id = tsr_entity_get_id (TSR_ENTITY (c));
          g_autoptr(GArray) documents = tsr_project_get_case_documents (self->project, id);
          GtkWidget *row = make_row (id, tsr_case_get_name (c), "system-users-symbolic", documents->len, TRUE);
          GtkDropTarget *drop = gtk_drop_target_new (TSR_TYPE_DOCUMENT, GDK_ACTION_COPY);
          GtkGesture *click = gtk_gesture_click_new ();

          g_signal_connect (drop, "drop", G_CALLBACK (on_row_drop_cb), row);
          gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
          gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
          g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed_cb), row);
          gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));

          gtk_list_box_append (self->list_box, row);
        }
    }

  selected = find_row (self, self->selected_case_id);
  if (selected == NULL)
    selected = find_row (self, 0);
  gtk_list_box_select_row (self->list_box, selected);

  self->rebuilding = FALSE;

  /* A deleted case shows every document again. */
  set_selected_case (self, row_case_id (selected));
}

static gboolean
rebuild_idle_cb (gpointer user_data)
{
  TsrCaseList *self = user_data;

  self->rebuild_source = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Rows are rebuilt once the edit that changed them has returned: a drop
 * is still running on the row it was made on. */
static void
queue_rebuild (TsrCaseList *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add (rebuild_idle_cb, self);
}

static void
open_name_popover (TsrCaseList *self,
                   gint64       case_id,
                   const char  *name,
                   GtkWidget   *at)
{
  graphene_rect_t bounds;

  self->editing_id = case_id;
  gtk_label_set_label (self->name_title, case_id ? _("Rename Case") : _("New Case"));
  gtk_button_set_label (self->name_button, case_id ? _("_Rename") : _("C_reate"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_error), FALSE);

  if (at == NULL || !gtk_widget_compute_bounds (at, GTK_WIDGET (self), &bounds))
    graphene_rect_init (&bounds, 0, 0, gtk_widget_get_width (GTK_WIDGET (self)), 30);
  gtk_popover_set_pointing_to (self->name_popover, &(GdkRectangle) {
                                 bounds.origin.x, bounds.origin.y,
                                 MAX (1, bounds.size.width), MAX (1, bounds.size.height) });
  gtk_popover_popup (self->name_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject  *project,
                       TsrChange    change,
                       TsrCaseList *self)
{
  if (change & (TSR_CHANGE_CASES | TSR_CHANGE_DOCUMENTS))
    queue_rebuild (self);
}

static void
on_list_box_row_selected_cb (TsrCaseList   *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list_box)
{
  if (!self->rebuilding && row != NULL)
    set_selected_case (self, row_case_id (row));
}

static void
on_new_button_clicked_cb (TsrCaseList *self,
                          GtkButton   *button)
{
  if (self->project != NULL)
    open_name_popover (self, 0, NULL, GTK_WIDGET (button));
}

static void
on_name_apply_cb (TsrCaseList *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  gboolean ok;

  if (self->project == NULL)
    return;

  if (self->editing_id != 0)
    ok = tsr_project_rename_case (self->project, self->editing_id, name, &error);
  else
    ok = tsr_project_create_case (self->project, name, &error) != 0;

  if (!ok)
    {
      gtk_label_set_label (self->name_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->name_error), TRUE);
      return;
    }

  gtk_popover_popdown (self->name_popover);
}

static gboolean
on_row_drop_cb (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                GtkListBoxRow *row)
{
  TsrCaseList *self = TSR_CASE_LIST (gtk_widget_get_ancestor (GTK_WIDGET (row), TSR_TYPE_CASE_LIST));
  TsrDocument *document = g_value_get_object (value);
  gint64 case_id = row_case_id (row);
  g_autoptr(GError) error = NULL;

  if (self == NULL || self->project == NULL || document == NULL || case_id == 0)
    return FALSE;

  if (!tsr_case_list_add_document (self, case_id, document, &error))
    {
      tsr_toast_show (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
on_row_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListBoxRow   *row)
{
  TsrCaseList *self = TSR_CASE_LIST (gtk_widget_get_ancestor (GTK_WIDGET (row), TSR_TYPE_CASE_LIST));
  graphene_point_t point;

  if (self == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_list_box_select_row (self->list_box, row);

  if (!gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    graphene_point_init (&point, 0, 0);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { point.x, point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Actions ------------------------------------------------------------ */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCaseList *self = TSR_CASE_LIST (widget);
  GtkListBoxRow *row = find_row (self, self->selected_case_id);

  if (self->project == NULL || self->selected_case_id == 0 || row == NULL)
    return;

  open_name_popover (self, self->selected_case_id, row_case_name (row), GTK_WIDGET (row));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCaseList *self = TSR_CASE_LIST (widget);
  GtkListBoxRow *row = find_row (self, self->selected_case_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->project == NULL || self->selected_case_id == 0 || row == NULL)
    return;

  /* Its documents stay in the project: only the grouping goes. */
  message = g_strdup_printf (_("Deleted case “%s”"), row_case_name (row));
  if (!tsr_project_delete_case (self->project, self->selected_case_id, &error))
    tsr_toast_show (widget, error->message);
  else
    tsr_toast_show_undo (widget, message);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_case_list_dispose (GObject *object)
{
  TsrCaseList *self = TSR_CASE_LIST (object);
  GtkWidget *child;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_CASE_LIST);

  /* Popovers are not unparented with the template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->cases);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (tsr_case_list_parent_class)->dispose (object);
}

static void
tsr_case_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsrCaseList *self = TSR_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_SELECTED_CASE_ID:
      g_value_set_int64 (value, self->selected_case_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_case_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsrCaseList *self = TSR_CASE_LIST (object);

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
tsr_case_list_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TsrCaseList *self = TSR_CASE_LIST (widget);

  GTK_WIDGET_CLASS (tsr_case_list_parent_class)->size_allocate (widget, width, height, baseline);

  gtk_popover_present (GTK_POPOVER (self->context_menu));
  gtk_popover_present (self->name_popover);
}

static void
tsr_case_list_class_init (TsrCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_case_list_dispose;
  object_class->get_property = tsr_case_list_get_property;
  object_class->set_property = tsr_case_list_set_property;

  widget_class->size_allocate = tsr_case_list_size_allocate;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_SELECTED_CASE_ID] =
    g_param_spec_int64 ("selected-case-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tsrcaselist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-case-list.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, new_button);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, list_box);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, context_menu);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, name_popover);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, name_title);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, name_button);
  gtk_widget_class_bind_template_child (widget_class, TsrCaseList, name_error);
  gtk_widget_class_bind_template_callback (widget_class, on_list_box_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply_cb);

  gtk_widget_class_install_action (widget_class, "cases.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "cases.delete", NULL, delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "cases.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "cases.delete", NULL);
}

static void
tsr_case_list_init (TsrCaseList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.rename", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.delete", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_button), FALSE);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_case_list_new (void)
{
  return g_object_new (TSR_TYPE_CASE_LIST, NULL);
}

static void
set_project (TsrCaseList *self,
             TsrProject  *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);
  g_clear_object (&self->cases);
  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      self->cases = tsr_project_get_cases (project);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_button), project != NULL);

  self->selected_case_id = 0;
  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_CASE_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_case_list_get_project:
 *
 * Returns: (transfer none) (nullable): the project whose cases show
 */
TsrProject *
tsr_case_list_get_project (TsrCaseList *self)
{
  g_return_val_if_fail (TSR_IS_CASE_LIST (self), NULL);

  return self->project;
}

/**
 * tsr_case_list_get_selected_case_id:
 *
 * Returns: the case whose documents the list asks to show, or 0 for
 *   every document
 */
gint64
tsr_case_list_get_selected_case_id (TsrCaseList *self)
{
  g_return_val_if_fail (TSR_IS_CASE_LIST (self), 0);

  return self->selected_case_id;
}

/**
 * tsr_case_list_select_all_documents:
 *
 * Selects "All Documents", the way back from a case.
 */
void
tsr_case_list_select_all_documents (TsrCaseList *self)
{
  GtkListBoxRow *row;

  g_return_if_fail (TSR_IS_CASE_LIST (self));

  if ((row = find_row (self, 0)) != NULL)
    gtk_list_box_select_row (self->list_box, row);
  set_selected_case (self, 0);
}

/**
 * tsr_case_list_add_document:
 *
 * Puts @document in the case, as one undoable edit, and says so in a
 * toast with Undo; a document already there is left as it is.
 *
 * Returns: %FALSE with @error set if the project refused
 */
gboolean
tsr_case_list_add_document (TsrCaseList  *self,
                            gint64        case_id,
                            TsrDocument  *document,
                            GError      **error)
{
  g_autoptr(GArray) members = NULL;
  gint64 document_id;
  g_autofree char *message = NULL;

  g_return_val_if_fail (TSR_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (TSR_IS_DOCUMENT (document), FALSE);

  if (self->project == NULL)
    return FALSE;

  document_id = tsr_entity_get_id (TSR_ENTITY (document));
  members = tsr_project_get_case_documents (self->project, case_id);
  for (guint i = 0; i < members->len; i++)
    if (g_array_index (members, gint64, i) == document_id)
      {
        /* Nothing changes, so there is nothing to undo. */
        message = g_strdup_printf (_("“%s” is already in “%s”"), tsr_document_get_name (document),
                                   case_name (self, case_id));
        tsr_toast_show (GTK_WIDGET (self), message);
        return TRUE;
      }

  if (!tsr_project_set_case_membership (self->project, case_id, document_id, TRUE, error))
    return FALSE;

  message = g_strdup_printf (_("Added “%s” to “%s”"), tsr_document_get_name (document),
                             case_name (self, case_id));
  tsr_toast_show_undo (GTK_WIDGET (self), message);
  return TRUE;
}
