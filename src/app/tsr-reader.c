/* tsr-reader.c — a document's text for reading, coded passages highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tsr-reader.h"

/*
 * Each code present in the document has one text tag, applied to the
 * union of its segments: the tags say exactly what is coded, and there
 * are only as many tags as codes, so a long transcript with thousands of
 * segments stays quick to load.
 *
 * The tags paint nothing themselves — GtkTextView paints only the top
 * tag's background where tags overlap, which would hide overlapping
 * codes.  The reader paints each code's passages under the text in the
 * visible part of the document, translucent and in code order, so
 * overlaps show as deeper, mixed colour.  A passage several coders coded
 * with the same code is one layer, not several.
 */

/* One layer of colour per code. */
typedef struct
{
  gint64      code_id;
  GdkRGBA     color;
  GtkTextTag *tag;
} Layer;

struct _TsrReader
{
  GtkTextView  parent_instance;

  TsrProject  *project;
  TsrDocument *document;
  GListModel  *segments;
  char        *text;

  /* The codes of the current document, in code order. */
  GArray      *layers;

  gulong       segments_handler;
  gulong       changed_handler;
};

G_DEFINE_FINAL_TYPE (TsrReader, tsr_reader, GTK_TYPE_TEXT_VIEW)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GQuark code_quark;

typedef struct
{
  gint64 code_id;
  guint  start;
  guint  end;
} Span;

/* Helpers ------------------------------------------------------------ */

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *sa = a;
  const Span *sb = b;

  if (sa->code_id != sb->code_id)
    return sa->code_id < sb->code_id ? -1 : 1;
  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return 0;
}

static void
clear_highlights (TsrReader *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)));

  for (guint i = 0; i < self->layers->len; i++)
    gtk_text_tag_table_remove (table, g_array_index (self->layers, Layer, i).tag);

  g_array_set_size (self->layers, 0);
}

static Layer *
add_layer (TsrReader *self,
           gint64     code_id)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
  const char *spec = code ? tsr_code_get_color (code) : NULL;
  Layer layer = { code_id, { 0, }, NULL };

  if (spec == NULL || !gdk_rgba_parse (&layer.color, spec))
    gdk_rgba_parse (&layer.color, "#9a9996");
  layer.color.alpha = TSR_READER_HIGHLIGHT_ALPHA;

  layer.tag = gtk_text_buffer_create_tag (buffer, NULL, NULL);
  g_object_set_qdata_full (G_OBJECT (layer.tag), code_quark,
                           g_memdup2 (&code_id, sizeof code_id), g_free);

  g_array_append_val (self->layers, layer);

  return &g_array_index (self->layers, Layer, self->layers->len - 1);
}

static void
apply_span (TsrReader  *self,
            GtkTextTag *tag,
            guint       start,
            guint       end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter begin_iter;
  GtkTextIter end_iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &begin_iter, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, end);
  gtk_text_buffer_apply_tag (buffer, tag, &begin_iter, &end_iter);
}

static void
refresh_highlights (TsrReader *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GArray) spans = NULL;
  Layer *layer = NULL;
  guint length;
  guint n;
  guint run_start = 0;
  guint run_end = 0;

  clear_highlights (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->segments == NULL || self->project == NULL)
    return;

  length = gtk_text_buffer_get_char_count (buffer);
  n = g_list_model_get_n_items (self->segments);

  spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrSegment) segment = g_list_model_get_item (self->segments, i);
      Span span;

      span.code_id = tsr_segment_get_code_id (segment);
      span.start = tsr_segment_get_start (segment);
      span.end = MIN (tsr_segment_get_end (segment), length);

      if (span.start < span.end)
        g_array_append_val (spans, span);
    }

  /* By code, then by start: each code's segments merge into runs. */
  g_array_sort (spans, compare_spans);

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (layer == NULL || layer->code_id != span->code_id)
        {
          if (layer != NULL)
            apply_span (self, layer->tag, run_start, run_end);

          layer = add_layer (self, span->code_id);
          run_start = span->start;
          run_end = span->end;
        }
      else if (span->start <= run_end)
        run_end = MAX (run_end, span->end);
      else
        {
          apply_span (self, layer->tag, run_start, run_end);
          run_start = span->start;
          run_end = span->end;
        }
    }

  if (layer != NULL)
    apply_span (self, layer->tag, run_start, run_end);
}

/* Paints [start, end) one display line at a time, as a tag's background
 * would be painted. */
static void
snapshot_range (TsrReader         *self,
                GtkSnapshot       *snapshot,
                const GdkRGBA     *color,
                const GtkTextIter *start,
                const GtkTextIter *end)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextIter line = *start;

  while (gtk_text_iter_compare (&line, end) < 0)
    {
      GtkTextIter next = line;
      GtkTextIter last;
      GtkTextIter line_start = line;
      GdkRectangle first_rect;
      GdkRectangle last_rect;
      GdkRectangle line_rect;
      int x0, x1, y0, y1;

      if (!gtk_text_view_forward_display_line (view, &next))
        gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (view), &next);
      if (gtk_text_iter_compare (&next, end) > 0)
        next = *end;
      if (gtk_text_iter_compare (&next, &line) <= 0)
        break;

      last = next;
      gtk_text_iter_backward_char (&last);
      if (!gtk_text_view_starts_display_line (view, &line_start))
        gtk_text_view_backward_display_line_start (view, &line_start);

      gtk_text_view_get_iter_location (view, &line, &first_rect);
      gtk_text_view_get_iter_location (view, &last, &last_rect);
      gtk_text_view_get_iter_location (view, &line_start, &line_rect);

      /* Characters in another font (an emoji) have their own height; the
       * band spans the line's text. */
      x0 = MIN (first_rect.x, last_rect.x);
      x1 = MAX (first_rect.x + first_rect.width, last_rect.x + last_rect.width);
      y0 = MIN (MIN (first_rect.y, last_rect.y), line_rect.y);
      y1 = MAX (MAX (first_rect.y + first_rect.height, last_rect.y + last_rect.height),
                line_rect.y + line_rect.height);

      if (x1 > x0 && y1 > y0)
        gtk_snapshot_append_color (snapshot, color,
                                   &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));

      line = next;
    }
}

static void
tsr_reader_snapshot_layer (GtkTextView      *view,
                           GtkTextViewLayer  text_layer,
                           GtkSnapshot      *snapshot)
{
  if (GTK_TEXT_VIEW_CLASS (tsr_reader_parent_class)->snapshot_layer != NULL)
    GTK_TEXT_VIEW_CLASS (tsr_reader_parent_class)->snapshot_layer (view, text_layer, snapshot);

  if (text_layer == GTK_TEXT_VIEW_LAYER_BELOW_TEXT)
    tsr_reader_snapshot_highlights (TSR_READER (view), snapshot);
}

/* Texts that separate paragraphs with an empty line would get twice the
 * paragraph spacing; such lines are made short instead. */
static void
mark_blank_lines (TsrReader *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTag *tag;
  GtkTextIter iter;

  tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "blank-line");
  if (tag == NULL)
    tag = gtk_text_buffer_create_tag (buffer, "blank-line",
                                      "size-points", 4.0,
                                      "pixels-below-lines", 0,
                                      "pixels-above-lines", 0,
                                      NULL);

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      /* At the start of a line and at its end: an empty line. */
      if (gtk_text_iter_ends_line (&iter) && !gtk_text_iter_is_end (&iter))
        {
          GtkTextIter end = iter;

          gtk_text_iter_forward_char (&end);
          gtk_text_buffer_apply_tag (buffer, tag, &iter, &end);
        }
    }
  while (gtk_text_iter_forward_line (&iter));
}

/* Callbacks ---------------------------------------------------------- */

static void
on_segments_items_changed_cb (GListModel *model,
                              guint       position,
                              guint       removed,
                              guint       added,
                              TsrReader  *self)
{
  refresh_highlights (self);
}

static void
on_project_changed_cb (TsrProject *project,
                       TsrChange   change,
                       TsrReader  *self)
{
  /* Segments come through their own model; codes may change colour. */
  if (change & TSR_CHANGE_CODES)
    refresh_highlights (self);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_reader_dispose (GObject *object)
{
  TsrReader *self = TSR_READER (object);

  tsr_reader_set_document (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (tsr_reader_parent_class)->dispose (object);
}

static void
tsr_reader_finalize (GObject *object)
{
  TsrReader *self = TSR_READER (object);

  g_clear_pointer (&self->layers, g_array_unref);
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

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         TSR_TYPE_DOCUMENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  GTK_TEXT_VIEW_CLASS (klass)->snapshot_layer = tsr_reader_snapshot_layer;

  gtk_widget_class_set_css_name (widget_class, "textview");

  code_quark = g_quark_from_static_string ("tsr-reader-code-id");
}

static void
tsr_reader_init (TsrReader *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);

  self->layers = g_array_new (FALSE, FALSE, sizeof (Layer));

  gtk_widget_add_css_class (GTK_WIDGET (self), "reader");

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
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

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  if (self->segments != NULL)
    g_clear_signal_handler (&self->segments_handler, self->segments);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_clear_object (&self->segments);

  if (self->layers != NULL)
    clear_highlights (self);

  g_clear_pointer (&self->text, g_free);
  g_set_object (&self->project, project);

  if (document == NULL)
    {
      gboolean notify = self->document != NULL;

      g_clear_object (&self->project);
      g_clear_object (&self->document);
      gtk_text_buffer_set_text (buffer, "", 0);
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
  mark_blank_lines (self);

  self->segments = tsr_project_get_segments (project, id);
  self->segments_handler =
    g_signal_connect (self->segments, "items-changed",
                      G_CALLBACK (on_segments_items_changed_cb), self);
  self->changed_handler =
    g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);

  refresh_highlights (self);

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
 * tsr_reader_snapshot_highlights:
 * @snapshot: where to paint, in buffer coordinates
 *
 * Paints the coded passages of the visible part of the document: each
 * code's passages in its colour, translucent, in code order.  The reader
 * paints them under its text; tests and thumbnails may paint them alone.
 */
void
tsr_reader_snapshot_highlights (TsrReader   *self,
                                GtkSnapshot *snapshot)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GdkRectangle visible;
  GtkTextIter top;
  GtkTextIter bottom;

  g_return_if_fail (TSR_IS_READER (self));
  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));

  if (self->layers->len == 0)
    return;

  /* Only what is on screen: a long transcript costs no more to draw. */
  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_line_at_y (view, &top, visible.y, NULL);
  gtk_text_view_get_line_at_y (view, &bottom, visible.y + visible.height, NULL);
  gtk_text_iter_forward_line (&bottom);

  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *layer = &g_array_index (self->layers, Layer, i);
      GtkTextIter iter = top;

      if (!gtk_text_iter_has_tag (&iter, layer->tag) &&
          !gtk_text_iter_forward_to_tag_toggle (&iter, layer->tag))
        continue;

      while (gtk_text_iter_compare (&iter, &bottom) < 0)
        {
          GtkTextIter run_end = iter;

          gtk_text_iter_forward_to_tag_toggle (&run_end, layer->tag);
          snapshot_range (self, snapshot, &layer->color, &iter,
                          gtk_text_iter_compare (&run_end, &bottom) < 0 ? &run_end : &bottom);

          iter = run_end;
          if (!gtk_text_iter_forward_to_tag_toggle (&iter, layer->tag))
            break;
        }
    }
}

/**
 * tsr_reader_is_highlight_tag:
 * @tag: a tag of a reader's buffer
 *
 * Returns: whether @tag marks text coded with a code
 */
gboolean
tsr_reader_is_highlight_tag (GtkTextTag *tag)
{
  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), FALSE);

  return code_quark != 0 && g_object_get_qdata (G_OBJECT (tag), code_quark) != NULL;
}

/**
 * tsr_reader_get_tag_code_id:
 * @tag: a highlight tag
 *
 * Returns: the code whose passages @tag marks, or 0
 */
gint64
tsr_reader_get_tag_code_id (GtkTextTag *tag)
{
  const gint64 *code_id;

  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), 0);

  code_id = code_quark != 0 ? g_object_get_qdata (G_OBJECT (tag), code_quark) : NULL;

  return code_id ? *code_id : 0;
}
