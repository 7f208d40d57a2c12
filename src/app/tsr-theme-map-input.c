/* tsr-theme-map-input.c — the theme map's pointer, keyboard and drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "tsr-theme-map-private.h"

static void
finish_theme_drag (TsrThemeMap *self,
                   double       wx,
                   double       wy)
{
  const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->drag_hit.theme_id);
  g_autoptr(GError) error = NULL;
  gint64 id, target;

  if (box == NULL)
    return;
  id = box->id;
  target = tsr_map_layout_theme_at (self->layout, wx, wy, id);

  if (target != 0 && target != box->parent_id)
    {
      if (!tsr_map_model_can_nest (self->model, id, target))
        _tsr_theme_map_show_message (self, _("A theme cannot be nested inside one of its own sub-themes"));
      else if (!tsr_project_move_theme (self->project, id, target, -1, &error))
        _tsr_theme_map_report (self, error);
    }
  else if (target == 0 && box->parent_id != 0)
    {
      g_autofree char *description = g_strdup_printf (_("Make “%s” a theme of its own"), box->name);
      gboolean ok;

      tsr_project_begin_group (self->project, description);
      ok = tsr_project_move_theme (self->project, id, 0, -1, &error) &&
           tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, id,
                                         box->rect.x + self->drag_dx, box->rect.y + self->drag_dy, &error);
      if (!tsr_project_end_group (self->project, ok ? &error : NULL) || !ok)
        _tsr_theme_map_report (self, error);
    }
  else if (target == 0)
    {
      if (!tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, id,
                                         box->rect.x + self->drag_dx, box->rect.y + self->drag_dy, &error))
        _tsr_theme_map_report (self, error);
    }
}

static void
finish_chip_drag (TsrThemeMap *self,
                  double       wx,
                  double       wy)
{
  const TsrMapChip *chip = tsr_map_layout_find_chip (self->layout, self->drag_hit.theme_id,
                                                     self->drag_hit.code_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 target;

  if (chip == NULL)
    return;
  name = g_strdup (chip->name);
  target = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
  if (!_tsr_theme_map_place_code (self, chip->code_id, name, chip->theme_id, target, self->drag_copy, wx, wy, &error))
    _tsr_theme_map_report (self, error);
}

static void
finish_link (TsrThemeMap *self,
             gint64       to)
{
  g_autoptr(GError) error = NULL;
  gint64 from = self->link_from;
  gint64 id;

  self->link_from = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (to == 0 || to == from)
    return;

  id = tsr_project_add_map_link (self->project, from, to, "", &error);
  if (id == 0)
    {
      _tsr_theme_map_report (self, error);
      return;
    }
  {
    TsrMapHit hit = { TSR_MAP_HIT_LINK, 0, 0, id };

    _tsr_theme_map_set_selection (self, &hit);
    _tsr_theme_map_open_editor (self, &hit);
  }
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  TsrThemeMap    *self)
{
  double wx, wy;
  TsrMapHit hit;
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->layout == NULL)
    return;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);

  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  self->drag_moved = FALSE;
  self->drag_dx = self->drag_dy = 0;
  self->drag_copy = (state & GDK_CONTROL_MASK) != 0;
  self->drag_hit = hit;
  self->drop_theme = 0;

  if (self->link_from != 0)
    {
      /* Completing "Link to…": a click on the other theme. */
      self->drag_mode = DRAG_NONE;
      finish_link (self, hit.kind == TSR_MAP_HIT_THEME ? hit.theme_id
                                                       : tsr_map_layout_theme_at (self->layout, wx, wy, 0));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (self->link_mode && hit.kind != TSR_MAP_HIT_NONE && hit.kind != TSR_MAP_HIT_LINK)
    {
      self->drag_mode = DRAG_LINK;
      self->link_from = hit.theme_id;
      self->link_x = wx;
      self->link_y = wy;
    }
  else if (hit.kind == TSR_MAP_HIT_THEME || hit.kind == TSR_MAP_HIT_CHIP)
    self->drag_mode = DRAG_ITEM;
  else
    self->drag_mode = DRAG_PAN;

  _tsr_theme_map_set_selection (self, &hit);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          dx,
                   double          dy,
                   TsrThemeMap    *self)
{
  double wx, wy;

  if (!self->drag_moved && hypot (dx, dy) < DRAG_THRESHOLD)
    return;
  self->drag_moved = TRUE;
  tsr_theme_map_widget_to_world (self, self->drag_start_x + dx, self->drag_start_y + dy, &wx, &wy);

  switch (self->drag_mode)
    {
    case DRAG_PAN:
      tsr_theme_map_set_origin (self, self->drag_origin_x - dx / self->zoom,
                                self->drag_origin_y - dy / self->zoom);
      break;
    case DRAG_ITEM:
      self->drag_dx = dx / self->zoom;
      self->drag_dy = dy / self->zoom;
      self->drop_theme = tsr_map_layout_theme_at (self->layout, wx, wy,
                                                  self->drag_hit.kind == TSR_MAP_HIT_THEME
                                                    ? self->drag_hit.theme_id : 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_LINK:
      self->link_x = wx;
      self->link_y = wy;
      self->drop_theme = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TsrThemeMap    *self)
{
  DragMode mode = self->drag_mode;
  gboolean moved = self->drag_moved;
  double wx, wy;

  self->drag_mode = DRAG_NONE;
  tsr_theme_map_widget_to_world (self, self->drag_start_x + dx, self->drag_start_y + dy, &wx, &wy);

  if (mode == DRAG_ITEM && moved)
    {
      if (self->drag_hit.kind == TSR_MAP_HIT_THEME)
        finish_theme_drag (self, wx, wy);
      else if (self->drag_hit.kind == TSR_MAP_HIT_CHIP)
        finish_chip_drag (self, wx, wy);
    }
  else if (mode == DRAG_LINK)
    finish_link (self, moved ? tsr_map_layout_theme_at (self->layout, wx, wy, 0) : 0);

  self->drag_hit.kind = TSR_MAP_HIT_NONE;
  self->drag_dx = self->drag_dy = 0;
  self->drop_theme = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     TsrThemeMap     *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double wx, wy;
  TsrMapHit hit;

  if (self->layout == NULL)
    return;
  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);

  if (button == GDK_BUTTON_SECONDARY)
    {
      _tsr_theme_map_set_selection (self, &hit);
      _tsr_theme_map_show_context_menu (self, x, y);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    {
      /* Double-click: a theme opens its card, a link edits its label. */
      if (hit.kind == TSR_MAP_HIT_THEME)
        _tsr_theme_map_emit_activate_theme (self, hit.theme_id);
      else if (hit.kind == TSR_MAP_HIT_LINK)
        _tsr_theme_map_open_editor (self, &hit);
    }
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TsrThemeMap              *self)
{
  double wx, wy;
  TsrMapHit hit;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->layout == NULL || self->drag_mode != DRAG_NONE)
    return;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  if (self->link_from != 0)
    {
      self->link_x = wx;
      self->link_y = wy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);
  if (!tsr_map_hit_equal (&hit, &self->hover))
    {
      self->hover = hit;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                       hit.kind == TSR_MAP_HIT_NONE ? "grab" : "pointer");
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             TsrThemeMap              *self)
{
  if (self->hover.kind != TSR_MAP_HIT_NONE)
    {
      self->hover.kind = TSR_MAP_HIT_NONE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              TsrThemeMap              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = pow (1.15, -dy * (wheel ? 1.0 : 0.1));

      tsr_theme_map_zoom_at (self, self->zoom * factor, self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    {
      double t = dx;
      dx = dy;
      dy = t;
    }
  if (wheel)
    {
      dx *= 48;
      dy *= 48;
    }
  tsr_theme_map_set_origin (self, self->origin_x + dx / self->zoom, self->origin_y + dy / self->zoom);
  return TRUE;
}

static void
on_zoom_begin_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  TsrThemeMap      *self)
{
  self->zoom_start = self->zoom;
}

static void
on_zoom_scale_changed_cb (GtkGestureZoom *gesture,
                          double          scale,
                          TsrThemeMap    *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  tsr_theme_map_zoom_at (self, self->zoom_start * scale, x, y);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TsrThemeMap           *self)
{
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  int dx = 0, dy = 0;

  if (self->layout == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_KP_Tab:
      {
        int step = (keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK)) ? -1 : 1;
        g_autoptr(GArray) order = tsr_map_layout_focus_order (self->layout);
        TsrMapHit next;

        if (ctrl || order->len == 0)
          return FALSE;
        /* Past the last item (or before the first), focus leaves the map. */
        if (self->selection.kind != TSR_MAP_HIT_NONE &&
            tsr_map_hit_equal (&self->selection,
                               &g_array_index (order, TsrMapHit, step > 0 ? order->len - 1 : 0)))
          {
            _tsr_theme_map_set_selection (self, NULL);
            return FALSE;
          }
        next = tsr_map_layout_step_focus (self->layout, &self->selection, step);
        _tsr_theme_map_set_selection (self, &next);
        _tsr_theme_map_ensure_visible (self, &next);
        return TRUE;
      }
    case GDK_KEY_Left: case GDK_KEY_KP_Left: dx = -1; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: dx = 1; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: dy = -1; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: dy = 1; break;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      _tsr_theme_map_delete_selection (self);
      return TRUE;
    case GDK_KEY_F2:
      _tsr_theme_map_open_editor (self, &self->selection);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->selection.kind == TSR_MAP_HIT_THEME)
        _tsr_theme_map_emit_activate_theme (self, self->selection.theme_id);
      else if (self->selection.kind == TSR_MAP_HIT_LINK)
        _tsr_theme_map_open_editor (self, &self->selection);
      return TRUE;
    case GDK_KEY_Escape:
      if (self->link_from != 0)
        {
          self->link_from = 0;
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return TRUE;
        }
      if (self->selection.kind != TSR_MAP_HIT_NONE)
        {
          _tsr_theme_map_set_selection (self, NULL);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Menu:
      if (self->selection.kind != TSR_MAP_HIT_NONE)
        {
          TsrMapRect r = tsr_map_layout_hit_rect (self->layout, &self->selection);
          double x, y;

          tsr_theme_map_world_to_widget (self, r.x + r.width / 2, r.y + r.height / 2, &x, &y);
          _tsr_theme_map_show_context_menu (self, x, y);
        }
      else
        _tsr_theme_map_show_context_menu (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
      return TRUE;
    default:
      return FALSE;
    }

  if (ctrl)
    _tsr_theme_map_nudge_selection (self, dx, dy);
  else
    {
      TsrMapHit next = tsr_map_layout_neighbour (self->layout, &self->selection, dx, dy);

      _tsr_theme_map_set_selection (self, &next);
      _tsr_theme_map_ensure_visible (self, &next);
    }
  return TRUE;
}

static GdkDragAction
on_drop_motion_cb (GtkDropTarget *target,
                   double         x,
                   double         y,
                   TsrThemeMap   *self)
{
  double wx, wy;
  gint64 theme = 0;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  if (self->layout != NULL)
    theme = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
  if (theme != self->drop_theme)
    {
      self->drop_theme = theme;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return GDK_ACTION_COPY;
}

static void
on_drop_leave_cb (GtkDropTarget *target,
                  TsrThemeMap   *self)
{
  self->drop_theme = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            TsrThemeMap   *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->drop_theme = 0;
  if (G_VALUE_HOLDS (value, TSR_TYPE_CODE) && g_value_get_object (value) != NULL)
    {
      /* From the code tree: the code itself, if it is one of this project's. */
      TsrCode *dropped = g_value_get_object (value);
      g_autoptr(TsrCode) code = self->project ? tsr_project_lookup_code (self->project,
                                                                          tsr_entity_get_id (TSR_ENTITY (dropped)))
                                              : NULL;

      if (code == NULL || g_strcmp0 (tsr_entity_get_uuid (TSR_ENTITY (code)),
                                     tsr_entity_get_uuid (TSR_ENTITY (dropped))) != 0)
        {
          _tsr_theme_map_show_message (self, _("The dropped code is not in this project"));
          return FALSE;
        }
      ok = _tsr_theme_map_drop_code_at (self, code, x, y, &error);
    }
  else if (G_VALUE_HOLDS_STRING (value))
    ok = tsr_theme_map_drop_code (self, g_value_get_string (value), x, y, &error);
  else
    return FALSE;
  if (!ok)
    _tsr_theme_map_report (self, error);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return ok;
}

/* Adds the map's controllers: dragging, clicks, pinching, the pointer's
 * motion, scrolling, keys, and drops of codes. */
void
_tsr_theme_map_setup_input (TsrThemeMap *self)
{
  GtkGesture *drag, *click, *zoom;
  GtkEventController *motion, *scroll, *key;
  GtkDropTarget *drop;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_group (click, drag);

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  /* Codes from the code tree (the object) and from the bin (as text). */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (drop, (GType[2]) { TSR_TYPE_CODE, G_TYPE_STRING }, 2);
  g_signal_connect (drop, "motion", G_CALLBACK (on_drop_motion_cb), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave_cb), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
