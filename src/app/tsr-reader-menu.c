/* tsr-reader-menu.c — the reader's context menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-reader-private.h"

/* The passage a context menu at @offset is about: the narrowest shown
 * passage there, the current coder's before another's. */
static gint64
passage_at (TsrReader *self,
            guint      offset)
{
  g_autoptr(GArray) here = _tsr_reader_stripes_at (self, offset);
  const Stripe *best = NULL;

  for (guint i = 0; i < here->len; i++)
    {
      const Stripe *stripe = &g_array_index (here, Stripe, i);

      if (best == NULL ||
          (stripe->mine && !best->mine) ||
          (stripe->mine == best->mine && stripe->end - stripe->start < best->end - best->start))
        best = stripe;
    }

  return best ? best->segment_id : 0;
}

static void
update_passage_actions (TsrReader *self)
{
  const Stripe *stripe = _tsr_reader_find_stripe (self, self->context_segment_id);
  GtkTextIter s, e;
  gboolean has_selection = gtk_text_buffer_get_selection_bounds (_tsr_reader_get_buffer (self), &s, &e);
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "code-with");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_selection && self->project != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "remove");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), stripe != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "memo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), stripe != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "star");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), stripe != NULL);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (stripe != NULL && stripe->exemplar));
  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "show-coding");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), stripe != NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "copy");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_selection || stripe != NULL);
}

static GMenuModel *
build_context_menu (TsrReader *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) coding = g_menu_new ();
  g_autoptr(GMenu) code_with = g_menu_new ();
  g_autoptr(GMenu) recent = g_menu_new ();
  g_autoptr(GMenu) passage = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();

  /* The recent codes, as on Ctrl+1…9, then the search of every code. */
  for (guint i = 0; self->project != NULL && self->recent_codes != NULL && i < self->recent_codes->len; i++)
    {
      gint64 code_id = g_array_index (self->recent_codes, gint64, i);
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
      g_autoptr(GMenuItem) item = NULL;

      if (code == NULL)
        continue;
      item = g_menu_item_new (tsr_code_get_name (code), NULL);
      g_menu_item_set_action_and_target_value (item, "passage.code-with", g_variant_new_int64 (code_id));
      if (i < 9)
        {
          g_autofree char *accel = g_strdup_printf ("<Control>%u", i + 1);
          g_menu_item_set_attribute (item, "accel", "s", accel);
        }
      g_menu_append_item (recent, item);
    }
  g_menu_append_section (code_with, NULL, G_MENU_MODEL (recent));
  g_menu_append (code_with, _("_Search Codes…"), "win.search-codes");

  g_menu_append_submenu (coding, _("Code _With"), G_MENU_MODEL (code_with));
  g_menu_append (coding, _("Code _In Vivo"), "win.code-in-vivo");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (coding));

  g_menu_append (passage, _("_Remove Coding"), "passage.remove");
  g_menu_append (passage, _("_Star as Exemplar"), "passage.star");
  g_menu_append (passage, _("_Memo…"), "passage.memo");
  g_menu_append (passage, _("Show _Coding Here"), "passage.show-coding");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (passage));

  g_menu_append (copy, _("_Copy"), "passage.copy");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));

  return G_MENU_MODEL (menu);
}

static void
popup_context_menu (TsrReader *self,
                    guint      offset,
                    double     x,
                    double     y)
{
  g_autoptr(GMenuModel) model = NULL;
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  if (self->document == NULL)
    return;

  self->context_offset = offset;
  self->context_segment_id = passage_at (self, offset);
  update_passage_actions (self);

  model = build_context_menu (self);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* A right click is the reader's own: what it offers is about the passage
 * under the pointer, and the text view's editing menu (Cut, Paste, an
 * Undo that is not the project's) has no place in a read-only text. */
static void
on_context_pressed_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       TsrReader       *self)
{
  guint offset;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (!_tsr_reader_offset_at_point (self, x, y, &offset))
    return;
  popup_context_menu (self, offset, x, y);
}

gboolean
_tsr_reader_shortcut_context_menu_cb (GtkWidget *widget,
                          GVariant  *args,
                          gpointer   user_data)
{
  TsrReader *self = TSR_READER (widget);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (_tsr_reader_get_buffer (self), &iter, gtk_text_buffer_get_insert (_tsr_reader_get_buffer (self)));
  tsr_reader_popup_context_menu (self, gtk_text_iter_get_offset (&iter));
  return TRUE;
}

static void
passage_code_with_cb (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  TsrReader *self = user_data;
  gint64 code_id = g_variant_get_int64 (param);
  g_autoptr(GError) error = NULL;

  if (tsr_reader_code_selection (self, code_id, &error) == 0)
    _tsr_reader_show_toast (self, error->message, FALSE);
}

static void
passage_remove_cb (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TsrReader *self = user_data;

  if (_tsr_reader_find_stripe (self, self->context_segment_id) == NULL)
    return;
  tsr_reader_select_segment (self, self->context_segment_id);
  tsr_reader_remove_selected_segment (self);
}

static void
passage_star_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TsrReader *self = user_data;
  const Stripe *stripe = _tsr_reader_find_stripe (self, self->context_segment_id);
  g_autoptr(GError) error = NULL;

  if (stripe == NULL || self->project == NULL)
    return;
  if (!tsr_project_set_segment_exemplar (self->project, stripe->segment_id, !stripe->exemplar, &error))
    _tsr_reader_show_toast (self, error->message, FALSE);
}

static void
passage_memo_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TsrReader *self = user_data;
  gint64 id = self->context_segment_id;

  if (_tsr_reader_find_stripe (self, id) == NULL)
    return;
  tsr_reader_select_segment (self, id);
  _tsr_reader_emit_memo_requested (self, id);
}

static void
passage_show_coding_cb (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  TsrReader *self = user_data;

  if (!tsr_reader_show_coding_at (self, self->context_offset, 0))
    _tsr_reader_show_toast (self, _("Nothing is coded here"), FALSE);
}

static void
passage_copy_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TsrReader *self = user_data;
  GtkTextIter s, e;
  const Stripe *stripe;
  g_autofree char *text = NULL;

  /* The selection if there is one, else the passage right-clicked. */
  if (!gtk_text_buffer_get_selection_bounds (_tsr_reader_get_buffer (self), &s, &e))
    {
      if ((stripe = _tsr_reader_find_stripe (self, self->context_segment_id)) == NULL)
        return;
      _tsr_reader_iter_at (self, &s, stripe->start);
      _tsr_reader_iter_at (self, &e, stripe->end);
    }
  text = gtk_text_buffer_get_text (_tsr_reader_get_buffer (self), &s, &e, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

void
_tsr_reader_setup_context_menu (TsrReader *self)
{
  static const GActionEntry entries[] = {
    { "code-with", passage_code_with_cb, "x" },
    { "remove", passage_remove_cb },
    { "star", NULL, NULL, "false", NULL },
    { "memo", passage_memo_cb },
    { "show-coding", passage_show_coding_cb },
    { "copy", passage_copy_cb },
  };
  GtkGesture *click;
  GAction *star;

  self->passage_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->passage_actions), entries, G_N_ELEMENTS (entries), self);
  /* A stateful action shows a check mark; activating it stars or
   * unstars the passage in the project, which then says its state. */
  star = g_action_map_lookup_action (G_ACTION_MAP (self->passage_actions), "star");
  g_signal_connect (star, "activate", G_CALLBACK (passage_star_cb), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "passage", G_ACTION_GROUP (self->passage_actions));

  /* Submenus open beside the menu, as a desktop context menu's do. */
  self->context_menu = gtk_popover_menu_new_from_model_full (NULL, GTK_POPOVER_MENU_NESTED);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_popover_set_position (GTK_POPOVER (self->context_menu), GTK_POS_BOTTOM);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/**
 * tsr_reader_set_recent_codes:
 * @code_ids: (element-type gint64) (nullable): the codes applied most
 *   recently, the latest first
 *
 * The codes the context menu offers first under Code With, as Ctrl+1…9
 * apply them.
 */
void
tsr_reader_set_recent_codes (TsrReader *self,
                             GArray    *code_ids)
{
  g_return_if_fail (TSR_IS_READER (self));

  g_clear_pointer (&self->recent_codes, g_array_unref);
  if (code_ids != NULL)
    {
      self->recent_codes = g_array_sized_new (FALSE, FALSE, sizeof (gint64), code_ids->len);
      g_array_append_vals (self->recent_codes, code_ids->data, code_ids->len);
    }
}

/**
 * tsr_reader_popup_context_menu:
 * @offset: the character the menu is about
 *
 * Opens the reader's context menu for the passage at @offset, as a
 * right click there does.
 */
void
tsr_reader_popup_context_menu (TsrReader *self,
                               guint      offset)
{
  GtkTextIter iter;
  GdkRectangle location;
  int wx, wy;

  g_return_if_fail (TSR_IS_READER (self));

  _tsr_reader_iter_at (self, &iter, offset);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &iter, &location);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         location.x, location.y + location.height, &wx, &wy);
  popup_context_menu (self, offset, wx, wy);
}

/**
 * tsr_reader_get_context_menu:
 *
 * Returns: (transfer none): the reader's context menu
 */
GtkPopover *
tsr_reader_get_context_menu (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  return GTK_POPOVER (self->context_menu);
}
