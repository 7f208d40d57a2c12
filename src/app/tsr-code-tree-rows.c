/* tsr-code-tree-rows.c — a row of the code tree: its widgets, and
 * dragging codes and passages onto it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "tsr-code-tree-private.h"
#include "tsr-color-swatch.h"
#include "tsr-reader.h"

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    GtkListItem   *list_item)
{
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);

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
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);
  GdkDrop *drop = gtk_drop_target_get_current_drop (target);

  clear_drop_classes (row);

  if (self == NULL || self->project == NULL || code == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, TSR_TYPE_TEXT_RANGE))
    {
      const TsrTextRange *range = g_value_get_boxed (value);
      g_autoptr(GError) error = NULL;

      if (range == NULL ||
          tsr_project_add_segment (self->project, range->document_id, _tsr_code_tree_code_id_of (code),
                                   range->start, range->end, &error) == 0)
        {
          _tsr_code_tree_report_error (self, error);
          return FALSE;
        }

      g_signal_emit_by_name (self, "code-applied", _tsr_code_tree_code_id_of (code));
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

      return tsr_code_tree_drop_code (self, _tsr_code_tree_code_id_of (source), _tsr_code_tree_code_id_of (code),
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
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);
  graphene_point_t point;

  if (self == NULL || code == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));

  if (!gtk_widget_compute_point (row, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    graphene_point_init (&point, 0, 0);
  _tsr_code_tree_popup_context_menu (self, _tsr_code_tree_code_id_of (code), point.x, point.y);
}

static gboolean
on_name_query_tooltip_cb (GtkWidget   *label,
                          int          x,
                          int          y,
                          gboolean     keyboard,
                          GtkTooltip  *tooltip,
                          GtkListItem *list_item)
{
  TsrCode *code = _tsr_code_tree_code_of_list_item (list_item);
  const char *definition = code ? tsr_code_get_definition (code) : NULL;

  if (definition == NULL || definition[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, definition);
  return TRUE;
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
  /* The code's definition, made when asked for (a tooltip set on a row
   * on screen asks the display where the pointer is). */
  gtk_widget_set_has_tooltip (name, TRUE);
  g_signal_connect (name, "query-tooltip", G_CALLBACK (on_name_query_tooltip_cb), list_item);
  gtk_widget_set_has_tooltip (counts, TRUE);
  g_signal_connect (counts, "query-tooltip", G_CALLBACK (_tsr_code_tree_query_counts_tooltip), list_item);
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

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  g_object_set_data_full (G_OBJECT (list_item), "code", g_object_ref (code), g_object_unref);

  name_binding = g_object_bind_property (code, "name",
                                         g_object_get_data (G_OBJECT (list_item), "name-label"), "label",
                                         G_BINDING_SYNC_CREATE);
  color_binding = g_object_bind_property (code, "color",
                                          g_object_get_data (G_OBJECT (list_item), "swatch"), "color",
                                          G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (list_item), "name-binding", name_binding);
  g_object_set_data (G_OBJECT (list_item), "color-binding", color_binding);

  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tsr_code_get_name (code),
                                  -1);

  g_hash_table_add (self->bound_items, list_item);
  _tsr_code_tree_update_row_counts (self, list_item);
}

static void
on_factory_unbind_cb (TsrCodeTree        *self,
                      GtkListItem        *list_item,
                      GtkListItemFactory *factory)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  static const char * const bindings[] = { "name-binding", "color-binding" };

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

/* Binds the row factory's callbacks named in tsr-code-tree.ui. */
void
_tsr_code_tree_class_rows_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind_cb);
}
