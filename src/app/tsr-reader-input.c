/* tsr-reader-input.c — pointer input on the reader: dragging the
 * selection to a code, drops, clicks and tooltips on the margin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-reader-private.h"

/* Whether the point (widget coordinates) lies inside the selection. */
static gboolean
point_in_selection (TsrReader *self,
                    double     x,
                    double     y)
{
  GtkTextIter sel_start, sel_end, iter;
  int bx, by, trailing;

  if (!gtk_text_buffer_get_selection_bounds (_tsr_reader_get_buffer (self), &sel_start, &sel_end))
    return FALSE;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_position (GTK_TEXT_VIEW (self), &iter, &trailing, bx, by))
    return FALSE;
  return gtk_text_iter_in_range (&iter, &sel_start, &sel_end);
}

/* The press decides, once, what a drag from it does.  GtkDragSource asks
 * "prepare" again on every motion past the threshold, always with the
 * press point: asking there whether that point is in the selection
 * would start a drag as soon as a selection growing under the same
 * press covered it (a left-to-right selection, after one character).
 * So a drag of the selection is armed only when the press lands inside
 * a selection made before it, as GtkTextView's own text drag decides;
 * the reader then takes the press from the text view, whose own drag
 * of the text would carry no passage.  Any other press is left to the
 * text view, which selects. */
static void
on_drag_source_begin_cb (GtkGesture       *gesture,
                         GdkEventSequence *sequence,
                         TsrReader        *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  self->drag_started = FALSE;
  gtk_gesture_get_point (gesture, sequence, &self->press_x, &self->press_y);
  self->drag_armed = self->document != NULL &&
                     (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) == 0 &&
                     point_in_selection (self, self->press_x, self->press_y);

  gtk_gesture_set_state (gesture, self->drag_armed ? GTK_EVENT_SEQUENCE_CLAIMED
                                                   : GTK_EVENT_SEQUENCE_DENIED);
}

/* A press inside the selection that never became a drag is a click:
 * it puts the caret there, as it would in any text. */
static void
on_drag_source_end_cb (GtkGesture       *gesture,
                       GdkEventSequence *sequence,
                       TsrReader        *self)
{
  GtkTextIter iter;
  int bx, by, trailing;

  if (self->drag_armed && !self->drag_started)
    {
      gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                             self->press_x, self->press_y, &bx, &by);
      if (gtk_text_view_get_iter_at_position (GTK_TEXT_VIEW (self), &iter, &trailing, bx, by))
        {
          gtk_text_iter_forward_chars (&iter, trailing);
          gtk_text_buffer_place_cursor (_tsr_reader_get_buffer (self), &iter);
        }
      gtk_widget_grab_focus (GTK_WIDGET (self));
    }
  self->drag_armed = FALSE;
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    TsrReader     *self)
{
  GdkContentProvider *content;

  if (!self->drag_armed)
    return NULL;

  content = tsr_reader_create_drag_content (self);
  self->drag_started = content != NULL;
  return content;
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  TsrReader     *self)
{
  GtkWidget *label = gtk_label_new (NULL);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  /* The drag shows the words being coded, shortened with an ellipsis
   * when they are many, on a card as the code tree's rows are dragged. */
  gtk_text_buffer_get_selection_bounds (_tsr_reader_get_buffer (self), &start, &end);
  text = gtk_text_buffer_get_text (_tsr_reader_get_buffer (self), &start, &end, FALSE);
  g_strdelimit (text, "\n\t", ' ');
  gtk_label_set_text (GTK_LABEL (label), g_strstrip (text));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_widget_add_css_class (label, "tsr-drag-text");
  gtk_widget_add_css_class (label, "card");
  gtk_drag_icon_set_child (GTK_DRAG_ICON (gtk_drag_icon_get_for_drag (drag)), label);
  gdk_drag_set_hotspot (drag, -12, -12);
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            TsrReader     *self)
{
  g_autoptr(GError) error = NULL;
  TsrCode *code;

  if (!G_VALUE_HOLDS (value, TSR_TYPE_CODE) || (code = g_value_get_object (value)) == NULL)
    return FALSE;

  if (tsr_reader_code_selection (self, tsr_entity_get_id (TSR_ENTITY (code)), &error) == 0)
    {
      _tsr_reader_show_toast (self, error->message, FALSE);
      return FALSE;
    }

  return TRUE;
}

static void
on_margin_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      TsrReader       *self)
{
  const Stripe *stripe = _tsr_reader_stripe_at_point (self, x, y);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (stripe == NULL)
    {
      tsr_reader_select_segment (self, 0);
      return;
    }

  tsr_reader_select_segment (self, stripe->segment_id);
  tsr_reader_show_coding_at (self, stripe->start, stripe->segment_id);
}

static void
on_margin_motion_cb (GtkEventControllerMotion *motion,
                     double                    x,
                     double                    y,
                     TsrReader                *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->margin),
                                   _tsr_reader_stripe_at_point (self, x, y) ? "pointer" : "default");
}

static gboolean
set_coding_tooltip (TsrReader  *self,
                    GArray     *found,
                    GtkTooltip *tooltip)
{
  g_autoptr(GString) text = NULL;

  if (found->len == 0)
    return FALSE;

  text = g_string_new (NULL);
  for (guint i = 0; i < found->len && i < 10; i++)
    {
      const Stripe *s = &g_array_index (found, Stripe, i);
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, s->code_id);
      g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self->project, s->coder_id);
      g_autofree char *memo = tsr_project_get_memo (self->project, TSR_MEMO_SEGMENT, s->segment_id);
      g_autofree char *name = g_markup_escape_text (code ? tsr_code_get_name (code) : "", -1);
      g_autofree char *who = g_markup_escape_text (coder ? tsr_coder_get_name (coder) : "", -1);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "<b>%s</b>%s — %s", name, s->exemplar ? " ★" : "", who);
      if (memo[0] != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (memo, MIN (strlen (memo), 120));

          g_string_append_printf (text, "\n<i>%s</i>", escaped);
        }
    }

  gtk_tooltip_set_markup (tooltip, text->str);
  return TRUE;
}

static gboolean
on_query_tooltip_cb (TsrReader  *self,
                     int         x,
                     int         y,
                     gboolean    keyboard,
                     GtkTooltip *tooltip)
{
  g_autoptr(GArray) found = NULL;
  guint offset;

  if (self->project == NULL || keyboard || !_tsr_reader_offset_at_point (self, x, y, &offset))
    return FALSE;

  found = _tsr_reader_stripes_at (self, offset);
  return set_coding_tooltip (self, found, tooltip);
}

static gboolean
on_margin_query_tooltip_cb (GtkWidget  *margin,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip,
                            TsrReader  *self)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Stripe));
  const Stripe *stripe;

  if (self->project == NULL || keyboard || (stripe = _tsr_reader_stripe_at_point (self, x, y)) == NULL)
    return FALSE;

  g_array_append_val (found, *stripe);
  return set_coding_tooltip (self, found, tooltip);
}

/**
 * tsr_reader_create_drag_content:
 *
 * What a drag of the selection carries: the passage (a #TsrTextRange,
 * trimmed as coding trims it) for a code's row, and its words for any
 * other program.
 *
 * Returns: (transfer full) (nullable): the content, or %NULL without a
 *   selection to code
 */
GdkContentProvider *
tsr_reader_create_drag_content (TsrReader *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter sel_start, sel_end;
  TsrTextRange range = { 0, };
  g_autofree char *text = NULL;
  GdkContentProvider *providers[2];

  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  buffer = _tsr_reader_get_buffer (self);
  if (self->document == NULL ||
      !gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end) ||
      !tsr_reader_get_coding_range (self, &range.start, &range.end))
    return NULL;
  range.document_id = _tsr_reader_document_id (self);

  text = gtk_text_buffer_get_text (buffer, &sel_start, &sel_end, FALSE);
  providers[0] = gdk_content_provider_new_typed (TSR_TYPE_TEXT_RANGE, &range);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, text);

  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

/* Adds the reader's pointer controllers: on the text, dragging the
 * selection out, drops of codes and tooltips; on the margin (made
 * already), clicks, motion and tooltips. */
void
_tsr_reader_setup_input (TsrReader *self)
{
  GtkDragSource *drag_source;
  GtkDropTarget *drop_target;
  GtkGesture *click;
  GtkEventController *motion;

  /* Dragging the selection out codes it where it lands (a code's row);
   * claiming the drag first keeps the text view from starting its own. */
  drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag_source), GTK_PHASE_CAPTURE);
  g_signal_connect (drag_source, "begin", G_CALLBACK (on_drag_source_begin_cb), self);
  g_signal_connect (drag_source, "end", G_CALLBACK (on_drag_source_end_cb), self);
  g_signal_connect (drag_source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (drag_source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag_source));

  /* A code dropped on the text codes the selection. */
  drop_target = gtk_drop_target_new (TSR_TYPE_CODE, GDK_ACTION_COPY | GDK_ACTION_MOVE | GDK_ACTION_LINK);
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_margin_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->margin), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_margin_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->margin), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->margin), TRUE);
  g_signal_connect (self->margin, "query-tooltip", G_CALLBACK (on_margin_query_tooltip_cb), self);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
}
