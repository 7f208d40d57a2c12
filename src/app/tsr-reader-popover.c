/* tsr-reader-popover.c — the reader's coding popover: a card per passage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-color-swatch.h"
#include "tsr-reader-private.h"

typedef struct
{
  TsrReader     *reader;
  gint64         segment_id;
  GtkTextBuffer *memo;
  char          *saved;
  guint          timeout;
} MemoEditor;

static void
save_memo (MemoEditor *editor)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&editor->timeout, g_source_remove);

  if (editor->reader->project == NULL)
    return;

  gtk_text_buffer_get_bounds (editor->memo, &start, &end);
  text = gtk_text_buffer_get_text (editor->memo, &start, &end, FALSE);
  if (g_strcmp0 (text, editor->saved) == 0)
    return;

  if (!tsr_project_set_memo (editor->reader->project, TSR_MEMO_SEGMENT, editor->segment_id, text, &error))
    {
      _tsr_reader_show_toast (editor->reader, error->message, FALSE);
      return;
    }

  g_free (editor->saved);
  editor->saved = g_steal_pointer (&text);
}

static void
memo_editor_free (MemoEditor *editor)
{
  /* Never lost: whatever was typed is saved when the popover goes. */
  save_memo (editor);
  g_clear_object (&editor->memo);
  g_free (editor->saved);
  g_free (editor);
}

static gboolean
on_memo_timeout_cb (gpointer user_data)
{
  MemoEditor *editor = user_data;

  editor->timeout = 0;
  save_memo (editor);
  return G_SOURCE_REMOVE;
}

static void
on_memo_changed_cb (GtkTextBuffer *buffer,
                    MemoEditor    *editor)
{
  g_clear_handle_id (&editor->timeout, g_source_remove);
  editor->timeout = g_timeout_add (700, on_memo_timeout_cb, editor);
}

static gint64
segment_id_of_widget (GtkWidget *widget)
{
  gint64 *id = g_object_get_data (G_OBJECT (widget), "segment-id");

  return id ? *id : 0;
}

static void
on_star_toggled_cb (GtkToggleButton *button,
                    TsrReader       *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = segment_id_of_widget (GTK_WIDGET (button));

  if (self->project == NULL || id == 0)
    return;

  if (!tsr_project_set_segment_exemplar (self->project, id, gtk_toggle_button_get_active (button), &error))
    _tsr_reader_show_toast (self, error->message, FALSE);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      TsrReader *self)
{
  gint64 id = segment_id_of_widget (GTK_WIDGET (button));

  self->selected_segment_id = id;
  tsr_reader_remove_selected_segment (self);
}

static void
on_bound_clicked_cb (GtkButton *button,
                     TsrReader *self)
{
  gint64 id = segment_id_of_widget (GTK_WIDGET (button));
  int which = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "bound"));

  /* 0: start earlier, 1: start later, 2: end earlier, 3: end later */
  self->selected_segment_id = id;
  tsr_reader_move_segment_bound (self, which < 2, which % 2 == 0 ? -1 : 1);
}

static GtkWidget *
make_bound_button (TsrReader  *self,
                   gint64      segment_id,
                   int         which,
                   const char *icon,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "segment-id", g_memdup2 (&segment_id, sizeof segment_id), g_free);
  g_object_set_data (G_OBJECT (button), "bound", GINT_TO_POINTER (which));
  g_signal_connect (button, "clicked", G_CALLBACK (on_bound_clicked_cb), self);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static GtkWidget *
make_segment_card (TsrReader    *self,
                   const Stripe *stripe)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, stripe->code_id);
  g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self->project, stripe->coder_id);
  g_autofree char *memo = tsr_project_get_memo (self->project, TSR_MEMO_SEGMENT, stripe->segment_id);
  g_autofree char *details = NULL;
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (code ? tsr_code_get_name (code) : "");
  GtkWidget *star = gtk_toggle_button_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *info = NULL;
  GtkWidget *memo_view = gtk_text_view_new ();
  GtkWidget *memo_frame = gtk_frame_new (NULL);
  GtkWidget *bounds = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *start_label = gtk_label_new (_("Start"));
  GtkWidget *end_label = gtk_label_new (_("End"));
  MemoEditor *editor;
  guint n_chars = stripe->end - stripe->start;

  gtk_widget_add_css_class (card, "tsr-coding-card");

  gtk_box_append (GTK_BOX (header), tsr_color_swatch_new (code ? tsr_code_get_color (code) : NULL));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (header), name);

  gtk_button_set_icon_name (GTK_BUTTON (star), stripe->exemplar ? "starred-symbolic" : "non-starred-symbolic");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star), stripe->exemplar);
  gtk_widget_set_tooltip_text (star, stripe->exemplar ? _("An Exemplar Quote (Ctrl+D)")
                                                      : _("Star as an Exemplar Quote (Ctrl+D)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Exemplar quote"), -1);
  gtk_widget_add_css_class (star, "flat");
  g_object_set_data_full (G_OBJECT (star), "segment-id", g_memdup2 (&stripe->segment_id, sizeof (gint64)), g_free);
  g_signal_connect (star, "toggled", G_CALLBACK (on_star_toggled_cb), self);
  gtk_box_append (GTK_BOX (header), star);

  gtk_widget_set_tooltip_text (remove, _("Remove This Coding (Delete)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this coding"), -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "segment-id", g_memdup2 (&stripe->segment_id, sizeof (gint64)), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), remove);
  gtk_box_append (GTK_BOX (card), header);

  /* Translators: who coded a passage and how long it is */
  details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u character", "%s · %u characters", n_chars),
                             coder ? tsr_coder_get_name (coder) : _("Unknown coder"), n_chars);
  info = gtk_label_new (details);
  gtk_label_set_xalign (GTK_LABEL (info), 0);
  gtk_widget_add_css_class (info, "dim-label");
  gtk_widget_add_css_class (info, "caption");
  gtk_box_append (GTK_BOX (card), info);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (memo_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (memo_view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (memo_view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (memo_view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (memo_view), 4);
  gtk_widget_set_size_request (memo_view, 260, 56);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (memo_view)), memo, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (memo_view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Memo on this passage"), -1);
  gtk_widget_set_tooltip_text (memo_view, _("Memo on this passage"));
  gtk_frame_set_child (GTK_FRAME (memo_frame), memo_view);
  /* A field says what it is for, not only in a tooltip. */
  {
    GtkWidget *memo_label = gtk_label_new_with_mnemonic (_("_Memo"));

    gtk_label_set_mnemonic_widget (GTK_LABEL (memo_label), memo_view);
    gtk_label_set_xalign (GTK_LABEL (memo_label), 0);
    gtk_widget_add_css_class (memo_label, "caption-heading");
    gtk_widget_add_css_class (memo_label, "dim-label");
    gtk_box_append (GTK_BOX (card), memo_label);
  }
  gtk_box_append (GTK_BOX (card), memo_frame);

  editor = g_new0 (MemoEditor, 1);
  editor->reader = self;
  editor->segment_id = stripe->segment_id;
  editor->memo = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (memo_view)));
  editor->saved = g_strdup (memo);
  g_signal_connect (editor->memo, "changed", G_CALLBACK (on_memo_changed_cb), editor);
  g_object_set_data_full (G_OBJECT (memo_view), "memo-editor", editor, (GDestroyNotify) memo_editor_free);

  gtk_widget_add_css_class (start_label, "dim-label");
  gtk_widget_add_css_class (end_label, "dim-label");
  gtk_widget_set_margin_end (start_label, 2);
  gtk_widget_set_margin_start (end_label, 12);
  gtk_widget_set_margin_end (end_label, 2);
  gtk_box_append (GTK_BOX (bounds), start_label);
  gtk_box_append (GTK_BOX (bounds), make_bound_button (self, stripe->segment_id, 0, "go-previous-symbolic",
                                                       _("Start a Word Earlier (Alt+Left)")));
  gtk_box_append (GTK_BOX (bounds), make_bound_button (self, stripe->segment_id, 1, "go-next-symbolic",
                                                       _("Start a Word Later (Alt+Right)")));
  gtk_box_append (GTK_BOX (bounds), end_label);
  gtk_box_append (GTK_BOX (bounds), make_bound_button (self, stripe->segment_id, 2, "go-previous-symbolic",
                                                       _("End a Word Earlier (Alt+Shift+Left)")));
  gtk_box_append (GTK_BOX (bounds), make_bound_button (self, stripe->segment_id, 3, "go-next-symbolic",
                                                       _("End a Word Later (Alt+Shift+Right)")));
  gtk_box_append (GTK_BOX (card), bounds);

  return card;
}

void
_tsr_reader_clear_popover_box (TsrReader *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->popover_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->popover_box), child);
}

/* Fills the popover with the passages at the popover's place: the one
 * segment it was opened on, or every segment covering the offset. */
gboolean
_tsr_reader_fill_popover (TsrReader *self)
{
  g_autoptr(GArray) found = NULL;
  guint n = 0;

  _tsr_reader_clear_popover_box (self);

  if (self->popover_segment_id != 0)
    {
      const Stripe *stripe = _tsr_reader_find_stripe (self, self->popover_segment_id);

      found = g_array_new (FALSE, FALSE, sizeof (Stripe));
      if (stripe != NULL)
        g_array_append_val (found, *stripe);
    }
  else
    found = _tsr_reader_stripes_at (self, self->popover_offset);

  for (guint i = 0; i < found->len && n < 8; i++, n++)
    {
      if (n > 0)
        gtk_box_append (GTK_BOX (self->popover_box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (GTK_BOX (self->popover_box), make_segment_card (self, &g_array_index (found, Stripe, i)));
    }

  return n > 0;
}

void
_tsr_reader_point_popover_at (TsrReader *self,
                              guint      offset,
                              gint64     segment_id)
{
  const Stripe *stripe = segment_id ? _tsr_reader_find_stripe (self, segment_id) : NULL;
  GdkRectangle rect;
  int wx, wy;

  if (stripe != NULL)
    {
      graphene_rect_t bounds;
      graphene_point_t point;

      _tsr_reader_stripe_rect (self, stripe, &bounds);
      if (!gtk_widget_compute_point (GTK_WIDGET (self->margin), GTK_WIDGET (self),
                                     &GRAPHENE_POINT_INIT (bounds.origin.x, bounds.origin.y), &point))
        graphene_point_init (&point, 0, 0);
      rect.x = point.x;
      rect.y = point.y;
      rect.width = STRIPE_WIDTH;
      rect.height = MIN (bounds.size.height, 40);
      gtk_popover_set_pointing_to (self->popover, &rect);
      return;
    }
  else
    {
      GtkTextIter iter;

      _tsr_reader_iter_at (self, &iter, offset);
      gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &iter, &rect);
    }

  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &wx, &wy);
  rect.x = wx;
  rect.y = wy;
  rect.width = MAX (rect.width, 1);
  rect.height = MAX (rect.height, 1);
  gtk_popover_set_pointing_to (self->popover, &rect);
}

void
_tsr_reader_refresh_popover (TsrReader *self)
{
  if (self->popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return;

  /* Keep a memo being typed in: only rebuild when the passages changed. */
  if (!_tsr_reader_fill_popover (self))
    gtk_popover_popdown (self->popover);
  else
    _tsr_reader_point_popover_at (self, self->popover_offset, self->popover_segment_id);
}

static void
on_popover_closed_cb (GtkPopover *popover,
                      TsrReader  *self)
{
  /* Saves any memo being typed. */
  _tsr_reader_clear_popover_box (self);
}

/**
 * tsr_reader_get_coding_popover:
 *
 * Returns: (transfer none): the popover showing the coding at a place
 */
GtkPopover *
tsr_reader_get_coding_popover (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  return self->popover;
}

/* Makes the coding popover, empty until a passage is shown in it. */
void
_tsr_reader_setup_popover (TsrReader *self)
{
  self->popover = GTK_POPOVER (gtk_popover_new ());
  self->popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_set_margin_start (self->popover_box, 4);
  gtk_widget_set_margin_end (self->popover_box, 4);
  gtk_widget_set_margin_top (self->popover_box, 4);
  gtk_widget_set_margin_bottom (self->popover_box, 4);
  gtk_popover_set_child (self->popover, self->popover_box);
  gtk_popover_set_position (self->popover, GTK_POS_LEFT);
  gtk_widget_add_css_class (GTK_WIDGET (self->popover), "tsr-coding-popover");
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect (self->popover, "closed", G_CALLBACK (on_popover_closed_cb), self);
}
