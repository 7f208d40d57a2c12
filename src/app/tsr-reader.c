/* tsr-reader.c — a document's text for reading and coding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tsr-color-swatch.h"
#include "tsr-reader-private.h"
#include "tsr-toast.h"

G_DEFINE_FINAL_TYPE (TsrReader, tsr_reader, GTK_TYPE_TEXT_VIEW)


G_DEFINE_BOXED_TYPE (TsrTextRange, tsr_text_range, tsr_text_range_copy, tsr_text_range_free)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_SELECTED_SEGMENT,
  N_PROPS
};

enum {
  CODE_APPLIED,
  MEMO_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];



/* TsrTextRange ------------------------------------------------------- */

TsrTextRange *
tsr_text_range_copy (const TsrTextRange *range)
{
  return g_memdup2 (range, sizeof *range);
}

void
tsr_text_range_free (TsrTextRange *range)
{
  g_free (range);
}

/* Helpers ------------------------------------------------------------ */

GtkTextBuffer *
_tsr_reader_get_buffer (TsrReader *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
}

gint64
_tsr_reader_document_id (TsrReader *self)
{
  return self->document ? tsr_entity_get_id (TSR_ENTITY (self->document)) : 0;
}

void
_tsr_reader_show_toast (TsrReader  *self,
            const char *message,
            gboolean    with_undo)
{
  if (with_undo)
    tsr_toast_show_undo (GTK_WIDGET (self), message);
  else
    tsr_toast_show (GTK_WIDGET (self), message);
}

/* Word boundaries ----------------------------------------------------- */

void
_tsr_reader_iter_at (TsrReader   *self,
         GtkTextIter *iter,
         guint        offset)
{
  gtk_text_buffer_get_iter_at_offset (_tsr_reader_get_buffer (self), iter, offset);
}

/* Widens [start, end) to whole words, and trims white space at its ends. */
static gboolean
shape_range (TsrReader *self,
             guint     *start,
             guint     *end)
{
  GtkTextIter s, e;

  _tsr_reader_iter_at (self, &s, *start);
  _tsr_reader_iter_at (self, &e, *end);

  while (gtk_text_iter_compare (&s, &e) < 0 && g_unichar_isspace (gtk_text_iter_get_char (&s)))
    gtk_text_iter_forward_char (&s);
  while (gtk_text_iter_compare (&s, &e) < 0)
    {
      GtkTextIter before = e;

      gtk_text_iter_backward_char (&before);
      if (!g_unichar_isspace (gtk_text_iter_get_char (&before)))
        break;
      e = before;
    }

  if (self->snap_to_words && gtk_text_iter_compare (&s, &e) < 0)
    {
      if (gtk_text_iter_inside_word (&s) && !gtk_text_iter_starts_word (&s))
        gtk_text_iter_backward_word_start (&s);
      if (gtk_text_iter_inside_word (&e) && !gtk_text_iter_starts_word (&e))
        gtk_text_iter_forward_word_end (&e);
    }

  *start = gtk_text_iter_get_offset (&s);
  *end = gtk_text_iter_get_offset (&e);

  return *start < *end;
}

/* The next or previous word start (for a passage's start) or word end
 * (for its end) from @offset. */
static gboolean
step_word (TsrReader *self,
           guint      offset,
           gboolean   start_bound,
           int        direction,
           guint     *result)
{
  GtkTextIter iter;

  _tsr_reader_iter_at (self, &iter, offset);

  if (start_bound && direction < 0)
    {
      if (!gtk_text_iter_backward_word_start (&iter))
        return FALSE;
    }
  else if (start_bound)
    {
      /* To the start of the next word. */
      if (gtk_text_iter_inside_word (&iter) || gtk_text_iter_starts_word (&iter))
        gtk_text_iter_forward_word_end (&iter);
      if (!gtk_text_iter_forward_word_end (&iter))
        return FALSE;
      gtk_text_iter_backward_word_start (&iter);
    }
  else if (direction > 0)
    {
      if (!gtk_text_iter_forward_word_end (&iter))
        return FALSE;
    }
  else
    {
      /* To the end of the previous word. */
      if (!gtk_text_iter_backward_word_start (&iter))
        return FALSE;
      if (gtk_text_iter_backward_word_start (&iter))
        gtk_text_iter_forward_word_end (&iter);
      else
        return FALSE;
    }

  if ((guint) gtk_text_iter_get_offset (&iter) == offset)
    return FALSE;

  *result = gtk_text_iter_get_offset (&iter);
  return TRUE;
}

gboolean
_tsr_reader_offset_at_point (TsrReader *self,
                 double     x,
                 double     y,
                 guint     *offset)
{
  GtkTextIter iter;
  int bx, by;
  int trailing = 0;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_position (GTK_TEXT_VIEW (self), &iter, &trailing, bx, by))
    return FALSE;

  *offset = gtk_text_iter_get_offset (&iter);
  return TRUE;
}

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject *project,
                       TsrChange   change,
                       TsrReader  *self)
{
  /* Codes may change colour or name; segments may move, be starred or
   * change hands. */
  if (change & (TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODERS))
    {
      _tsr_reader_refresh_highlights (self);
      if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODES))
        _tsr_reader_refresh_popover (self);
    }
}

static void
on_current_coder_changed_cb (TsrProject *project,
                             GParamSpec *pspec,
                             TsrReader  *self)
{
  _tsr_reader_refresh_highlights (self);
}

static void
on_vadjustment_value_changed_cb (GtkAdjustment *adjustment,
                                 TsrReader     *self)
{
  /* The margin is its own widget: it follows the text as it scrolls. */
  gtk_widget_queue_draw (GTK_WIDGET (self->margin));
}

static void
on_notify_vadjustment_cb (TsrReader  *self,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));

  if (self->vadjustment == adjustment)
    return;

  if (self->vadjustment != NULL)
    g_clear_signal_handler (&self->vadjustment_handler, self->vadjustment);
  g_set_object (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    self->vadjustment_handler = g_signal_connect (adjustment, "value-changed",
                                                  G_CALLBACK (on_vadjustment_value_changed_cb), self);
}

static gboolean
shortcut_remove_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  return tsr_reader_remove_selected_segment (TSR_READER (widget));
}

static gboolean
shortcut_escape_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  TsrReader *self = TSR_READER (widget);

  if (self->selected_segment_id == 0)
    return FALSE;

  tsr_reader_select_segment (self, 0);
  return TRUE;
}

static void
show_coding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrReader *self = TSR_READER (widget);
  GtkTextIter iter;

  if (self->selected_segment_id != 0)
    {
      const Stripe *stripe = _tsr_reader_find_stripe (self, self->selected_segment_id);

      if (stripe != NULL)
        tsr_reader_show_coding_at (self, stripe->start, stripe->segment_id);
      return;
    }

  gtk_text_buffer_get_iter_at_mark (_tsr_reader_get_buffer (self), &iter, gtk_text_buffer_get_insert (_tsr_reader_get_buffer (self)));
  if (!tsr_reader_show_coding_at (self, gtk_text_iter_get_offset (&iter), 0))
    _tsr_reader_show_toast (self, _("Nothing is coded here"), FALSE);
}


/* GObject ------------------------------------------------------------ */

static void
tsr_reader_snapshot_layer (GtkTextView      *view,
                           GtkTextViewLayer  text_layer,
                           GtkSnapshot      *snapshot)
{
  TsrReader *self = TSR_READER (view);

  if (GTK_TEXT_VIEW_CLASS (tsr_reader_parent_class)->snapshot_layer != NULL)
    GTK_TEXT_VIEW_CLASS (tsr_reader_parent_class)->snapshot_layer (view, text_layer, snapshot);

  if (text_layer == GTK_TEXT_VIEW_LAYER_BELOW_TEXT)
    {
      tsr_reader_snapshot_highlights (self, snapshot);
      if (self->selected_segment_id != 0)
        _tsr_reader_snapshot_selected_segment (self, snapshot);
    }
}

static gboolean
resize_margin_cb (gpointer user_data)
{
  TsrReader *self = user_data;

  self->label_width_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self->margin));
  return G_SOURCE_REMOVE;
}

static void
tsr_reader_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  TsrReader *self = TSR_READER (widget);
  int label_width = width >= 640 ? LABEL_WIDE : width >= 540 ? LABEL_WIDTH : width >= 440 ? LABEL_NARROW : 0;

  GTK_WIDGET_CLASS (tsr_reader_parent_class)->size_allocate (widget, width, height, baseline);

  /* A narrow reader keeps its width for the text: the margin's labels
   * narrow, then give way to the stripes alone (whose tooltips name
   * their codes). */
  if (label_width != self->label_width)
    {
      self->label_width = label_width;
      /* Not while allocating: after it, as GTK wants. */
      if (self->margin != NULL && self->label_width_idle == 0)
        self->label_width_idle = g_idle_add (resize_margin_cb, self);
    }

  /* A new width wraps the text anew: the stripes move with it. */
  if (self->margin != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->margin));

  /* A popover is sized and placed when its parent is allocated. */
  if (self->popover != NULL)
    gtk_popover_present (self->popover);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
tsr_reader_dispose (GObject *object)
{
  TsrReader *self = TSR_READER (object);

  g_clear_handle_id (&self->label_width_idle, g_source_remove);

  tsr_reader_set_document (self, NULL, NULL, NULL);

  if (self->vadjustment != NULL)
    g_clear_signal_handler (&self->vadjustment_handler, self->vadjustment);
  g_clear_object (&self->vadjustment);
  if (self->margin != NULL)
    {
      self->margin->reader = NULL;
      self->margin = NULL;
    }

  if (self->popover != NULL)
    {
      _tsr_reader_clear_popover_box (self);
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_object (&self->passage_actions);
  g_clear_pointer (&self->recent_codes, g_array_unref);

  G_OBJECT_CLASS (tsr_reader_parent_class)->dispose (object);
}

static void
tsr_reader_finalize (GObject *object)
{
  TsrReader *self = TSR_READER (object);

  g_clear_pointer (&self->layers, g_array_unref);
  g_clear_pointer (&self->stripes, g_array_unref);
  g_clear_pointer (&self->max_end, g_array_unref);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (tsr_reader_parent_class)->finalize (object);
}

static void
tsr_reader_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TsrReader *self = TSR_READER (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_SELECTED_SEGMENT:
      g_value_set_int64 (value, self->selected_segment_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_reader_class_init (TsrReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_reader_dispose;
  object_class->finalize = tsr_reader_finalize;
  object_class->get_property = tsr_reader_get_property;

  widget_class->size_allocate = tsr_reader_size_allocate;

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         TSR_TYPE_DOCUMENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED_SEGMENT] =
    g_param_spec_int64 ("selected-segment", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsrReader::code-applied:
   * @code_id: the code
   *
   * The reader coded a passage with @code_id.
   */
  signals [CODE_APPLIED] =
    g_signal_new ("code-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * TsrReader::memo-requested:
   * @segment_id: the passage, now the selected one
   *
   * The passage's memo was asked for, to write in.
   */
  signals [MEMO_REQUESTED] =
    g_signal_new ("memo-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  GTK_TEXT_VIEW_CLASS (klass)->snapshot_layer = tsr_reader_snapshot_layer;

  gtk_widget_class_install_action (widget_class, "reader.show-coding", NULL, show_coding_action);

  gtk_widget_class_set_css_name (widget_class, "textview");

}

static void
tsr_reader_init (TsrReader *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkEventController *shortcuts;

  self->layers = g_array_new (FALSE, FALSE, sizeof (Layer));
  g_array_set_clear_func (self->layers, _tsr_reader_clear_layer);
  self->stripes = g_array_new (FALSE, FALSE, sizeof (Stripe));
  self->max_end = g_array_new (FALSE, FALSE, sizeof (guint));
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->show_others = TRUE;

  gtk_widget_add_css_class (GTK_WIDGET (self), "reader");

  /* Read-only, but with a caret: the keyboard selects what to code. */
  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, TRUE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);

  /* Added to the CSS padding of textview.reader. */
  gtk_text_view_set_left_margin (view, 12);
  gtk_text_view_set_right_margin (view, 12);
  gtk_text_view_set_top_margin (view, 24);
  gtk_text_view_set_bottom_margin (view, 48);

  /* Each buffer line is a paragraph: air between paragraphs and between
   * wrapped lines, as CSS line-height cannot do it in GTK 4.8. */
  gtk_text_view_set_pixels_below_lines (view, 14);
  gtk_text_view_set_pixels_inside_wrap (view, 7);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Document text"),
                                  -1);

  /* The coding stripes, in the right gutter. */
  self->margin = g_object_new (TSR_TYPE_READER_MARGIN, NULL);
  self->margin->reader = self;
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_RIGHT, GTK_WIDGET (self->margin));

  _tsr_reader_setup_input (self);

  g_signal_connect (self, "notify::vadjustment", G_CALLBACK (on_notify_vadjustment_cb), NULL);

  /* Before the text view's own keys: Delete and Escape act on the
   * selected coded passage, if there is one. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                          gtk_callback_action_new (shortcut_remove_cb, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_callback_action_new (shortcut_escape_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  /* The context menu, also on the keyboard's Menu key and Shift+F10. */
  _tsr_reader_setup_context_menu (self);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                                                          gtk_callback_action_new (_tsr_reader_shortcut_context_menu_cb, NULL, NULL)));

  _tsr_reader_setup_popover (self);
}

/* For the reader's other files, which do not see its properties and
 * signals. */
void
_tsr_reader_notify_selected_segment (TsrReader *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_SEGMENT]);
}

void
_tsr_reader_emit_memo_requested (TsrReader *self,
                                 gint64     segment_id)
{
  g_signal_emit (self, signals [MEMO_REQUESTED], 0, segment_id);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_reader_new (void)
{
  return g_object_new (TSR_TYPE_READER, NULL);
}

/**
 * tsr_reader_set_document:
 * @project: (nullable): the project holding @document
 * @document: (nullable): the document to show, or %NULL to show nothing
 * @error: return location for an error
 *
 * Shows @document's text with its coded passages highlighted, and keeps
 * the highlights current as the coding changes.
 */
gboolean
tsr_reader_set_document (TsrReader    *self,
                         TsrProject   *project,
                         TsrDocument  *document,
                         GError      **error)
{
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  gint64 id;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);
  g_return_val_if_fail (!project || TSR_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (!document || TSR_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (!document || project, FALSE);

  buffer = _tsr_reader_get_buffer (self);

  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->coder_handler, self->project);
    }

  if (self->layers != NULL)
    _tsr_reader_clear_highlights (self);

  if (self->selected_segment_id != 0)
    {
      self->selected_segment_id = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_SEGMENT]);
    }

  g_clear_pointer (&self->text, g_free);
  g_set_object (&self->project, project);

  if (document == NULL)
    {
      gboolean notify = self->document != NULL;

      g_clear_object (&self->project);
      g_clear_object (&self->document);
      gtk_text_buffer_set_text (buffer, "", 0);
      _tsr_reader_update_margin (self);
      if (notify)
        g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
      return TRUE;
    }

  g_set_object (&self->document, document);

  id = tsr_entity_get_id (TSR_ENTITY (document));
  text = tsr_project_get_document_text (project, id, error);
  if (text == NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
      return FALSE;
    }

  gtk_text_buffer_set_text (buffer, text, -1);
  self->text = g_steal_pointer (&text);
  _tsr_reader_mark_blank_lines (self);

  self->changed_handler =
    g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  self->coder_handler =
    g_signal_connect (project, "notify::current-coder", G_CALLBACK (on_current_coder_changed_cb), self);

  _tsr_reader_refresh_highlights (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);

  return TRUE;
}

/**
 * tsr_reader_get_document:
 *
 * Returns: (transfer none) (nullable): the document shown
 */
TsrDocument *
tsr_reader_get_document (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  return self->document;
}

/**
 * tsr_reader_get_text:
 *
 * Returns: (transfer none) (nullable): the text shown
 */
const char *
tsr_reader_get_text (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  return self->text;
}

/**
 * tsr_reader_set_show_other_coders:
 * @show: whether other coders' passages show, or only the current coder's
 *
 * Hiding them lets a coder code independently.
 */
void
tsr_reader_set_show_other_coders (TsrReader *self,
                                  gboolean   show)
{
  g_return_if_fail (TSR_IS_READER (self));

  show = !!show;
  if (self->show_others == show)
    return;

  self->show_others = show;
  _tsr_reader_refresh_highlights (self);
  _tsr_reader_refresh_popover (self);
}

gboolean
tsr_reader_get_show_other_coders (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  return self->show_others;
}

/**
 * tsr_reader_set_snap_to_words:
 * @snap: whether a passage being coded widens to whole words
 */
void
tsr_reader_set_snap_to_words (TsrReader *self,
                              gboolean   snap)
{
  g_return_if_fail (TSR_IS_READER (self));

  self->snap_to_words = !!snap;
}

/**
 * tsr_reader_select_range:
 *
 * Selects [start, end) and scrolls to it.
 *
 * Returns: whether the range is in the document
 */
gboolean
tsr_reader_select_range (TsrReader *self,
                         guint      start,
                         guint      end)
{
  GtkTextBuffer *buffer;
  GtkTextIter s, e;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  buffer = _tsr_reader_get_buffer (self);
  if (end > (guint) gtk_text_buffer_get_char_count (buffer) || start > end)
    return FALSE;

  _tsr_reader_iter_at (self, &s, start);
  _tsr_reader_iter_at (self, &e, end);
  gtk_text_buffer_select_range (buffer, &e, &s);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self), &s, 0.1, FALSE, 0, 0);
  return TRUE;
}

/**
 * tsr_reader_get_coding_range:
 * @start: (out): the first character
 * @end: (out): the character after the last
 *
 * The passage the selection would code: trimmed of white space at its
 * ends and, when snapping to words, widened to whole words.
 *
 * Returns: whether there is such a passage
 */
gboolean
tsr_reader_get_coding_range (TsrReader *self,
                             guint     *start,
                             guint     *end)
{
  GtkTextIter s, e;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->document == NULL || !gtk_text_buffer_get_selection_bounds (_tsr_reader_get_buffer (self), &s, &e))
    return FALSE;

  *start = gtk_text_iter_get_offset (&s);
  *end = gtk_text_iter_get_offset (&e);
  return shape_range (self, start, end);
}

/**
 * tsr_reader_code_selection:
 * @code_id: the code to apply
 *
 * Codes the selected passage with @code_id for the current coder.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_reader_code_selection (TsrReader  *self,
                           gint64      code_id,
                           GError    **error)
{
  guint start, end;
  gint64 id;

  g_return_val_if_fail (TSR_IS_READER (self), 0);

  if (self->project == NULL || !tsr_reader_get_coding_range (self, &start, &end))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Select the words to code first"));
      return 0;
    }

  id = tsr_project_add_segment (self->project, _tsr_reader_document_id (self), code_id, start, end, error);
  if (id != 0)
    g_signal_emit (self, signals [CODE_APPLIED], 0, code_id);
  return id;
}

/**
 * tsr_reader_code_in_vivo:
 * @parent_id: where the new code goes, or 0 for the top level
 *
 * Makes a code named with the selected words and codes them with it,
 * as one undoable step.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_reader_code_in_vivo (TsrReader  *self,
                         gint64      parent_id,
                         GError    **error)
{
  guint start, end;
  gint64 id;

  g_return_val_if_fail (TSR_IS_READER (self), 0);

  if (self->project == NULL || !tsr_reader_get_coding_range (self, &start, &end))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Select the words to code in vivo first"));
      return 0;
    }

  id = tsr_project_code_in_vivo (self->project, _tsr_reader_document_id (self), parent_id, start, end, error);
  if (id != 0)
    {
      g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (self->project, id);

      if (segment != NULL)
        g_signal_emit (self, signals [CODE_APPLIED], 0, tsr_segment_get_code_id (segment));
    }
  return id;
}

gint64
tsr_reader_get_selected_segment (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), 0);

  return self->selected_segment_id;
}

/**
 * tsr_reader_select_segment:
 * @segment_id: a shown segment, or 0 for none
 *
 * Selects a coded passage — its stripe stands out and the keys for its
 * bounds, star and removal act on it — and scrolls to it.
 *
 * Returns: whether the segment is shown
 */
gboolean
tsr_reader_select_segment (TsrReader *self,
                           gint64     segment_id)
{
  const Stripe *stripe = NULL;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (segment_id != 0 && (stripe = _tsr_reader_find_stripe (self, segment_id)) == NULL)
    return FALSE;

  if (stripe != NULL)
    {
      GtkTextIter iter;

      _tsr_reader_iter_at (self, &iter, stripe->start);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self), &iter, 0.15, FALSE, 0, 0);
    }

  if (self->selected_segment_id != segment_id)
    {
      self->selected_segment_id = segment_id;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_SEGMENT]);
    }

  return TRUE;
}

/**
 * tsr_reader_select_next_segment:
 * @direction: 1 for the next passage, -1 for the previous
 *
 * Returns: whether there was one to select
 */
gboolean
tsr_reader_select_next_segment (TsrReader *self,
                                int        direction)
{
  guint index = G_MAXUINT;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->stripes->len == 0)
    return FALSE;

  for (guint i = 0; i < self->stripes->len && self->selected_segment_id != 0; i++)
    if (g_array_index (self->stripes, Stripe, i).segment_id == self->selected_segment_id)
      index = i;

  if (index == G_MAXUINT)
    index = direction > 0 ? 0 : self->stripes->len - 1;
  else if (direction > 0 && index + 1 < self->stripes->len)
    index++;
  else if (direction < 0 && index > 0)
    index--;
  else
    return FALSE;

  return tsr_reader_select_segment (self, g_array_index (self->stripes, Stripe, index).segment_id);
}

/**
 * tsr_reader_move_segment_bound:
 * @start_bound: move the start (%TRUE) or the end
 * @direction: one word earlier (-1) or later (1)
 *
 * Adjusts the selected passage by a word, as one undoable edit.
 *
 * Returns: whether it moved
 */
gboolean
tsr_reader_move_segment_bound (TsrReader *self,
                               gboolean   start_bound,
                               int        direction)
{
  const Stripe *stripe;
  g_autoptr(TsrSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  guint start, end, moved;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->project == NULL || (stripe = _tsr_reader_find_stripe (self, self->selected_segment_id)) == NULL)
    return FALSE;

  /* The stored bounds, not the ones clipped to the text. */
  segment = tsr_project_lookup_segment (self->project, stripe->segment_id);
  if (segment == NULL)
    return FALSE;
  start = tsr_segment_get_start (segment);
  end = tsr_segment_get_end (segment);

  if (!step_word (self, start_bound ? start : end, start_bound, direction, &moved))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  if (start_bound)
    start = moved;
  else
    end = moved;

  if (start >= end)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  if (!tsr_project_resize_segment (self->project, stripe->segment_id, start, end, &error))
    {
      _tsr_reader_show_toast (self, error->message, FALSE);
      return FALSE;
    }

  return TRUE;
}

/**
 * tsr_reader_remove_selected_segment:
 *
 * Removes the code from the selected passage, with a toast to undo it.
 *
 * Returns: whether a coding was removed
 */
gboolean
tsr_reader_remove_selected_segment (TsrReader *self)
{
  const Stripe *stripe;
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 id;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->project == NULL || (stripe = _tsr_reader_find_stripe (self, self->selected_segment_id)) == NULL)
    return FALSE;

  id = stripe->segment_id;
  code = tsr_project_lookup_code (self->project, stripe->code_id);
  message = g_strdup_printf (_("Removed “%s” from the passage"), code ? tsr_code_get_name (code) : "");

  if (!tsr_project_remove_segment (self->project, id, &error))
    {
      _tsr_reader_show_toast (self, error->message, FALSE);
      return FALSE;
    }

  _tsr_reader_show_toast (self, message, TRUE);
  return TRUE;
}

/**
 * tsr_reader_toggle_selected_exemplar:
 *
 * Stars the selected passage as an exemplar quote, or unstars it.
 *
 * Returns: whether there was a passage to star
 */
gboolean
tsr_reader_toggle_selected_exemplar (TsrReader *self)
{
  const Stripe *stripe;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->project == NULL || (stripe = _tsr_reader_find_stripe (self, self->selected_segment_id)) == NULL)
    return FALSE;

  if (!tsr_project_set_segment_exemplar (self->project, stripe->segment_id, !stripe->exemplar, &error))
    {
      _tsr_reader_show_toast (self, error->message, FALSE);
      return FALSE;
    }

  return TRUE;
}

/**
 * tsr_reader_show_coding_at:
 * @offset: a character of the document
 * @segment_id: the one passage to show, or 0 for every passage at @offset
 *
 * Opens the popover that shows the coding there — code, coder, memo — to
 * edit or remove it.
 *
 * Returns: whether anything is coded there
 */
gboolean
tsr_reader_show_coding_at (TsrReader *self,
                           guint      offset,
                           gint64     segment_id)
{
  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if (self->project == NULL)
    return FALSE;

  self->popover_offset = offset;
  self->popover_segment_id = segment_id;

  if (!_tsr_reader_fill_popover (self))
    return FALSE;

  _tsr_reader_point_popover_at (self, offset, segment_id);
  gtk_popover_popup (self->popover);
  return TRUE;
}

/**
 * tsr_reader_get_margin:
 *
 * Returns: (transfer none): the coding margin beside the text, where
 *   tsr_reader_get_stripe_point() points
 */
GtkWidget *
tsr_reader_get_margin (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  return GTK_WIDGET (self->margin);
}
