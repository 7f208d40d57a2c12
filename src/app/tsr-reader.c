/* tsr-reader.c — a document's text for reading, coded passages highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tsr-reader.h"

/*
 * GtkTextView paints only the top tag's background where tags overlap, so
 * one tag per segment would hide overlaps.  Instead the text is cut at
 * every segment boundary and each piece gets one tag whose colour is the
 * segments covering it composited over each other: overlaps show as
 * deeper, mixed colour, and the number of tags and toggles stays small
 * even with thousands of segments.
 */

struct _TsrReader
{
  GtkTextView  parent_instance;

  TsrProject  *project;
  TsrDocument *document;
  GListModel  *segments;
  char        *text;

  /* Highlight tags of the current document, by the colours they layer. */
  GHashTable  *tags;

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

static GQuark highlight_quark;

typedef struct
{
  guint  offset;
  guint  is_start : 1;
  guint  index;
} Edge;

typedef struct
{
  guint   start;
  guint   end;
  gint64  code_id;
  GdkRGBA color;
} Span;

/* Helpers ------------------------------------------------------------ */

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const Edge *ea = a;
  const Edge *eb = b;

  if (ea->offset != eb->offset)
    return ea->offset < eb->offset ? -1 : 1;

  return 0;
}

static int
compare_spans_by_code (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const Span *spans = user_data;
  const Span *sa = &spans[*(const guint *) a];
  const Span *sb = &spans[*(const guint *) b];

  if (sa->code_id != sb->code_id)
    return sa->code_id < sb->code_id ? -1 : 1;

  return 0;
}

/* Composites translucent layers "over" each other, in order. */
static GdkRGBA
composite_layers (const Span  *spans,
                  const guint *layers,
                  guint        n_layers)
{
  double r = 0, g = 0, b = 0, a = 0;
  GdkRGBA out = { 0, 0, 0, 0 };

  for (guint i = 0; i < n_layers; i++)
    {
      const GdkRGBA *c = &spans[layers[i]].color;
      double la = TSR_READER_HIGHLIGHT_ALPHA;

      /* premultiplied source over destination */
      r = c->red * la + r * (1 - la);
      g = c->green * la + g * (1 - la);
      b = c->blue * la + b * (1 - la);
      a = la + a * (1 - la);
    }

  if (a > 0)
    {
      out.red = r / a;
      out.green = g / a;
      out.blue = b / a;
      out.alpha = a;
    }

  return out;
}

static void
clear_highlights (TsrReader *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tags);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    gtk_text_tag_table_remove (table, value);

  g_hash_table_remove_all (self->tags);
}

static GtkTextTag *
ensure_tag (TsrReader   *self,
            const Span  *spans,
            guint       *layers,
            guint        n_layers)
{
  g_autoptr(GString) key = g_string_new (NULL);
  GtkTextBuffer *buffer;
  GtkTextTag *tag;
  GdkRGBA color;

  /* The same codes give the same colour whatever order they began in. */
  g_qsort_with_data (layers, n_layers, sizeof (guint), compare_spans_by_code, (gpointer) spans);

  for (guint i = 0; i < n_layers; i++)
    {
      g_autofree char *c = gdk_rgba_to_string (&spans[layers[i]].color);

      if (i > 0)
        g_string_append_c (key, '|');
      g_string_append (key, c);
    }

  tag = g_hash_table_lookup (self->tags, key->str);
  if (tag != NULL)
    return tag;

  color = composite_layers (spans, layers, n_layers);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  tag = gtk_text_buffer_create_tag (buffer, NULL,
                                    "background-rgba", &color,
                                    NULL);
  g_object_set_qdata (G_OBJECT (tag), highlight_quark, GUINT_TO_POINTER (n_layers));
  g_hash_table_insert (self->tags, g_strdup (key->str), tag);

  return tag;
}

static void
apply_highlight (TsrReader  *self,
                 const Span *spans,
                 GArray     *active,
                 guint       start,
                 guint       end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autofree guint *layers = g_memdup2 (active->data, active->len * sizeof (guint));
  GtkTextTag *tag;
  GtkTextIter begin_iter;
  GtkTextIter end_iter;

  tag = ensure_tag (self, spans, layers, active->len);

  gtk_text_buffer_get_iter_at_offset (buffer, &begin_iter, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, end);
  gtk_text_buffer_apply_tag (buffer, tag, &begin_iter, &end_iter);
}

static void
refresh_highlights (TsrReader *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) edges = NULL;
  g_autoptr(GArray) active = NULL;
  g_autoptr(GHashTable) colors = NULL;
  guint length;
  guint n;
  guint previous = 0;

  clear_highlights (self);

  if (self->segments == NULL || self->project == NULL)
    return;

  length = gtk_text_buffer_get_char_count (buffer);
  n = g_list_model_get_n_items (self->segments);

  spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), n);
  edges = g_array_sized_new (FALSE, FALSE, sizeof (Edge), 2 * n);
  colors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrSegment) segment = g_list_model_get_item (self->segments, i);
      Span span;
      GdkRGBA *color;

      span.start = tsr_segment_get_start (segment);
      span.end = MIN (tsr_segment_get_end (segment), length);
      span.code_id = tsr_segment_get_code_id (segment);

      if (span.start >= span.end)
        continue;

      color = g_hash_table_lookup (colors, &span.code_id);
      if (color == NULL)
        {
          g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, span.code_id);
          const char *spec = code ? tsr_code_get_color (code) : NULL;

          color = g_new0 (GdkRGBA, 1);
          if (spec == NULL || !gdk_rgba_parse (color, spec))
            gdk_rgba_parse (color, "#9a9996");
          g_hash_table_insert (colors, g_memdup2 (&span.code_id, sizeof span.code_id), color);
        }
      span.color = *color;

      g_array_append_val (spans, span);
      g_array_append_vals (edges,
                           (Edge[]) {
                             { span.start, TRUE, spans->len - 1 },
                             { span.end, FALSE, spans->len - 1 },
                           }, 2);
    }

  if (edges->len == 0)
    return;

  g_array_sort (edges, compare_edges);

  /* Sweep the boundaries; between two of them the same segments apply. */
  active = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < edges->len; )
    {
      guint offset = g_array_index (edges, Edge, i).offset;

      if (active->len > 0 && offset > previous)
        apply_highlight (self, (const Span *) (gpointer) spans->data, active, previous, offset);

      for (; i < edges->len && g_array_index (edges, Edge, i).offset == offset; i++)
        {
          const Edge *edge = &g_array_index (edges, Edge, i);

          if (edge->is_start)
            g_array_append_val (active, edge->index);
          else
            for (guint j = 0; j < active->len; j++)
              if (g_array_index (active, guint, j) == edge->index)
                {
                  g_array_remove_index_fast (active, j);
                  break;
                }
        }

      previous = offset;
    }
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

  g_clear_pointer (&self->tags, g_hash_table_unref);
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

  gtk_widget_class_set_css_name (widget_class, "textview");

  highlight_quark = g_quark_from_static_string ("tsr-reader-highlight-layers");
}

static void
tsr_reader_init (TsrReader *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);

  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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

  if (self->tags != NULL)
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
 * tsr_reader_is_highlight_tag:
 * @tag: a tag of a reader's buffer
 *
 * Returns: whether @tag marks coded text
 */
gboolean
tsr_reader_is_highlight_tag (GtkTextTag *tag)
{
  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), FALSE);

  return highlight_quark != 0 && g_object_get_qdata (G_OBJECT (tag), highlight_quark) != NULL;
}

/**
 * tsr_reader_get_tag_layers:
 * @tag: a highlight tag
 *
 * Returns: how many coded passages overlap under @tag
 */
guint
tsr_reader_get_tag_layers (GtkTextTag *tag)
{
  g_return_val_if_fail (GTK_IS_TEXT_TAG (tag), 0);

  return highlight_quark != 0
    ? GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (tag), highlight_quark))
    : 0;
}
