/* tsr-reader-stripes.c — the reader's highlights and its coding margin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-reader-private.h"

/*
 * Each code present in the document is one layer: the union of its shown
 * segments as sorted runs of characters, kept beside the text rather than
 * as text tags.  Tags would make GtkTextView lay the text out again
 * wherever one is applied or removed, which on a long transcript with
 * thousands of segments costs seconds per coding act; runs cost a sort.
 *
 * The reader paints each code's passages under the text in the visible
 * part of the document — found by binary search in the runs —
 * translucent and in code order, so overlaps show as deeper, mixed
 * colour (GtkTextView would paint only the top tag's background).  A passage several coders coded
 * with the same code is one layer, not several; where only other coders
 * coded it, the layer is lighter and underlined with dashes.
 *
 * In the right margin each segment has a coding stripe labelled with its
 * code (and, for another coder's, their initials).  Stripes that overlap
 * get different lanes, assigned once per change by a sweep over the
 * segments in start order; painting looks up only the stripes on screen.
 * Labels are set horizontally in a column right of the lanes, each at
 * the top of its stripe or pushed down below the label above, never
 * over it.
 * Everything is painted in the text view's own layers, in buffer
 * coordinates, so the margin scrolls with the text by construction.
 */

G_DEFINE_FINAL_TYPE (TsrReaderMargin, tsr_reader_margin, GTK_TYPE_WIDGET)

typedef struct
{
  gint64 segment_id;
  gint64 code_id;
  gint64 coder_id;
  guint  start;
  guint  end;
  gboolean exemplar;
} Span;

/* Where the label of one passage's stripes goes (one stripe, or several
 * coders' of the same passage with the same code), in the margin's
 * coordinates. */
typedef struct
{
  guint           first;    /* index into self->stripes */
  guint           n;
  graphene_rect_t rect;
} LabelPlace;

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

static int
compare_stripes (gconstpointer a,
                 gconstpointer b)
{
  const Stripe *sa = a;
  const Stripe *sb = b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  /* Longer first, so enclosing passages take the outer lanes. */
  if (sa->end != sb->end)
    return sa->end > sb->end ? -1 : 1;
  if (sa->code_id != sb->code_id)
    return sa->code_id < sb->code_id ? -1 : 1;
  return sa->segment_id < sb->segment_id ? -1 : sa->segment_id > sb->segment_id;
}

void
_tsr_reader_clear_layer (gpointer data)
{
  Layer *layer = data;

  g_clear_pointer (&layer->all, g_array_unref);
  g_clear_pointer (&layer->mine, g_array_unref);
  g_clear_pointer (&layer->other, g_array_unref);
}

void
_tsr_reader_clear_highlights (TsrReader *self)
{
  g_array_set_size (self->layers, 0);
  g_array_set_size (self->stripes, 0);
  g_array_set_size (self->max_end, 0);
  g_hash_table_remove_all (self->labels);
  self->n_lanes = 0;
}

static Layer *
add_layer (TsrReader *self,
           gint64     code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
  const char *spec = code ? tsr_code_get_color (code) : NULL;
  Layer layer = { code_id, { 0, }, NULL, NULL, NULL };

  if (spec == NULL || !gdk_rgba_parse (&layer.color, spec))
    gdk_rgba_parse (&layer.color, "#9a9996");

  layer.all = g_array_new (FALSE, FALSE, sizeof (Run));
  layer.mine = g_array_new (FALSE, FALSE, sizeof (Run));
  layer.other = g_array_new (FALSE, FALSE, sizeof (Run));

  g_array_append_val (self->layers, layer);

  return &g_array_index (self->layers, Layer, self->layers->len - 1);
}

static void
append_run (GArray *runs,
            guint   start,
            guint   end)
{
  if (runs->len > 0)
    {
      Run *last = &g_array_index (runs, Run, runs->len - 1);

      if (start <= last->end)
        {
          last->end = MAX (last->end, end);
          return;
        }
    }

  g_array_append_val (runs, ((Run) { start, end }));
}

/* @others minus @mine; both merged and by start. */
static GArray *
subtract_runs (GArray *others,
               GArray *mine)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (Run));
  guint j = 0;

  for (guint i = 0; i < others->len; i++)
    {
      Run run = g_array_index (others, Run, i);

      while (j < mine->len && g_array_index (mine, Run, j).end <= run.start)
        j++;

      for (guint k = j; k < mine->len && run.start < run.end; k++)
        {
          const Run *m = &g_array_index (mine, Run, k);

          if (m->start >= run.end)
            break;
          if (m->start > run.start)
            g_array_append_val (result, ((Run) { run.start, m->start }));
          run.start = MAX (run.start, m->end);
        }

      if (run.start < run.end)
        g_array_append_val (result, run);
    }

  return result;
}

/* Gives each stripe the first lane free at its start. */
static void
assign_lanes (TsrReader *self)
{
  guint lane_end[MAX_LANES] = { 0, };
  guint furthest = 0;

  g_array_sort (self->stripes, compare_stripes);
  g_array_set_size (self->max_end, self->stripes->len);
  self->n_lanes = 0;

  for (guint i = 0; i < self->stripes->len; i++)
    {
      Stripe *stripe = &g_array_index (self->stripes, Stripe, i);
      guint lane = MAX_LANES - 1;

      for (guint l = 0; l < MAX_LANES; l++)
        if (lane_end[l] <= stripe->start)
          {
            lane = l;
            break;
          }

      stripe->lane = lane;
      lane_end[lane] = MAX (lane_end[lane], stripe->end);
      self->n_lanes = MAX (self->n_lanes, lane + 1);

      furthest = MAX (furthest, stripe->end);
      g_array_index (self->max_end, guint, i) = furthest;
    }
}

void
_tsr_reader_update_margin (TsrReader *self)
{
  if (self->margin == NULL)
    return;

  gtk_widget_queue_resize (GTK_WIDGET (self->margin));
  gtk_widget_queue_draw (GTK_WIDGET (self->margin));
}

void
_tsr_reader_refresh_highlights (TsrReader *self)
{
  GtkTextBuffer *buffer = _tsr_reader_get_buffer (self);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) others = NULL;
  Layer *layer = NULL;
  guint length;
  guint n;
  gboolean selected_seen = FALSE;

  _tsr_reader_clear_highlights (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->document == NULL || self->project == NULL)
    {
      _tsr_reader_update_margin (self);
      return;
    }

  {
    TsrCoder *coder = tsr_project_get_current_coder (self->project);

    self->coder_id = coder ? tsr_entity_get_id (TSR_ENTITY (coder)) : 0;
  }

  length = gtk_text_buffer_get_char_count (buffer);
  stored = tsr_project_list_document_spans (self->project, _tsr_reader_document_id (self));
  n = stored->len;

  spans = g_array_sized_new (FALSE, FALSE, sizeof (Span), n);
  g_array_set_size (self->stripes, 0);
  for (guint i = 0; i < n; i++)
    {
      const TsrSpan *segment = &g_array_index (stored, TsrSpan, i);
      Span span;

      span.segment_id = segment->segment_id;
      span.code_id = segment->code_id;
      span.coder_id = segment->coder_id;
      span.start = segment->start;
      span.end = MIN (segment->end, length);
      span.exemplar = segment->exemplar;

      if (span.start >= span.end)
        continue;
      if (!self->show_others && span.coder_id != self->coder_id)
        continue;

      g_array_append_val (spans, span);
      g_array_append_val (self->stripes, ((Stripe) {
        span.segment_id, span.code_id, span.coder_id, span.start, span.end, 0,
        span.coder_id == self->coder_id, span.exemplar,
      }));
      selected_seen |= span.segment_id == self->selected_segment_id;
    }

  if (!selected_seen && self->selected_segment_id != 0)
    {
      self->selected_segment_id = 0;
      _tsr_reader_notify_selected_segment (self);
    }

  /* By code, then by start: each code's segments merge into runs, mine
   * and the others' apart. */
  g_array_sort (spans, compare_spans);
  others = g_array_new (FALSE, FALSE, sizeof (Run));

  for (guint i = 0; i <= spans->len; i++)
    {
      const Span *span = i < spans->len ? &g_array_index (spans, Span, i) : NULL;

      if (layer != NULL && (span == NULL || layer->code_id != span->code_id))
        {
          /* Finish the layer: highlighted is what either covers, and the
           * others' runs are what mine do not already cover. */
          GArray *all = layer->all;
          guint a = 0, b = 0;

          while (a < layer->mine->len || b < others->len)
            {
              const Run *ra = a < layer->mine->len ? &g_array_index (layer->mine, Run, a) : NULL;
              const Run *rb = b < others->len ? &g_array_index (others, Run, b) : NULL;
              const Run *next = (rb == NULL || (ra != NULL && ra->start <= rb->start)) ? ra : rb;

              append_run (all, next->start, next->end);
              if (next == ra)
                a++;
              else
                b++;
            }

          g_clear_pointer (&layer->other, g_array_unref);
          layer->other = subtract_runs (others, layer->mine);
          g_array_set_size (others, 0);
          layer = NULL;
        }

      if (span == NULL)
        break;

      if (layer == NULL)
        layer = add_layer (self, span->code_id);

      append_run (span->coder_id == self->coder_id ? layer->mine : others, span->start, span->end);
    }

  assign_lanes (self);
  _tsr_reader_update_margin (self);
}

/* Paints [start, end) one display line at a time, as a tag's background
 * would be painted; with @underline, as a dashed line under the text. */
static void
snapshot_range (TsrReader         *self,
                GtkSnapshot       *snapshot,
                const GdkRGBA     *color,
                const GtkTextIter *start,
                const GtkTextIter *end,
                gboolean           underline)
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
        {
          if (!underline)
            gtk_snapshot_append_color (snapshot, color,
                                       &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
          else
            for (int x = x0; x < x1; x += 6)
              gtk_snapshot_append_color (snapshot, color,
                                         &GRAPHENE_RECT_INIT (x, y1 - 2, MIN (3, x1 - x), 1.5));
        }

      line = next;
    }
}

/* The first run that ends after @offset. */
static guint
first_run_after (GArray *runs,
                 guint   offset)
{
  guint lo = 0, hi = runs->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (runs, Run, mid).end <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
snapshot_runs (TsrReader     *self,
               GtkSnapshot   *snapshot,
               GArray        *runs,
               const GdkRGBA *color,
               guint          top,
               guint          bottom,
               gboolean       underline)
{
  GtkTextBuffer *buffer = _tsr_reader_get_buffer (self);

  for (guint i = first_run_after (runs, top); i < runs->len; i++)
    {
      const Run *run = &g_array_index (runs, Run, i);
      GtkTextIter start, end;

      if (run->start >= bottom)
        break;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, MAX (run->start, top));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, MIN (run->end, bottom));
      snapshot_range (self, snapshot, color, &start, &end, underline);
    }
}

/* The first stripe that may reach @offset. */
static guint
first_stripe_reaching (TsrReader *self,
                       guint      offset)
{
  guint lo = 0, hi = self->max_end->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->max_end, guint, mid) <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
get_visible_offsets (TsrReader *self,
                     guint     *top,
                     guint     *bottom)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GdkRectangle visible;
  GtkTextIter top_iter;
  GtkTextIter bottom_iter;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_line_at_y (view, &top_iter, visible.y, NULL);
  gtk_text_view_get_line_at_y (view, &bottom_iter, visible.y + visible.height, NULL);
  gtk_text_iter_forward_line (&bottom_iter);

  *top = gtk_text_iter_get_offset (&top_iter);
  *bottom = gtk_text_iter_is_end (&bottom_iter) ? G_MAXUINT : (guint) gtk_text_iter_get_offset (&bottom_iter);
}

/* A stripe's place in the margin's coordinates. */
void
_tsr_reader_stripe_rect (TsrReader          *self,
             const Stripe       *stripe,
             graphene_rect_t    *rect)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = _tsr_reader_get_buffer (self);
  GtkTextIter start, last;
  GdkRectangle start_rect, last_rect;
  int y0, y1;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, stripe->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &last, stripe->end > 0 ? stripe->end - 1 : 0);
  gtk_text_view_get_iter_location (view, &start, &start_rect);
  gtk_text_view_get_iter_location (view, &last, &last_rect);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_RIGHT, 0, start_rect.y, NULL, &y0);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_RIGHT, 0, last_rect.y + last_rect.height, NULL, &y1);

  graphene_rect_init (rect, MARGIN_PAD + stripe->lane * LANE_WIDTH, y0, LANE_WIDTH, MAX (y1 - y0, 4));
}

static char *
dup_initials (const char *name)
{
  GString *initials = g_string_new (NULL);
  gboolean at_start = TRUE;

  for (const char *p = name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-')
        at_start = TRUE;
      else if (at_start)
        {
          g_string_append_unichar (initials, g_unichar_toupper (c));
          at_start = FALSE;
        }
    }

  return g_string_free (initials, FALSE);
}

/* Whether stripes @a and @b mark one passage with one code. */
static gboolean
same_passage (const Stripe *a,
              const Stripe *b)
{
  return a->code_id == b->code_id && a->start == b->start && a->end == b->end;
}

static PangoLayout *
new_label_layout (TsrReader  *self,
                  const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.75));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

/* The label of the stripes [@first, @first + @n), one passage coded with
 * one code by one coder or several, in two parts: the code's name
 * (returned), and (@coders, %NULL when the current coder alone coded it)
 * the coders' initials, which follow the name and are never cut. */
static PangoLayout *
get_label_layout (TsrReader    *self,
                  guint         first,
                  guint         n,
                  PangoLayout **coders)
{
  const Stripe *stripe = &g_array_index (self->stripes, Stripe, first);
  g_autofree char *name_key = g_strdup_printf ("%" G_GINT64_FORMAT, stripe->code_id);
  g_autoptr(GString) key = g_string_new (name_key);
  gboolean only_mine = TRUE;
  PangoLayout *name;

  name = g_hash_table_lookup (self->labels, name_key);
  if (name == NULL)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, stripe->code_id);

      name = new_label_layout (self, code ? tsr_code_get_name (code) : "");
      g_hash_table_insert (self->labels, g_strdup (name_key), name);
    }

  for (guint i = first; i < first + n; i++)
    {
      const Stripe *s = &g_array_index (self->stripes, Stripe, i);

      g_string_append_printf (key, ":%" G_GINT64_FORMAT, s->coder_id);
      only_mine &= s->mine;
    }
  *coders = NULL;
  if (only_mine)
    return name;

  *coders = g_hash_table_lookup (self->labels, key->str);
  if (*coders == NULL)
    {
      g_autoptr(GString) initials = g_string_new ("·");

      for (guint i = first; i < first + n; i++)
        {
          g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self->project,
                                                                g_array_index (self->stripes, Stripe, i).coder_id);
          g_autofree char *letters = dup_initials (coder ? tsr_coder_get_name (coder) : "");

          g_string_append_printf (initials, " %s", letters);
        }
      *coders = new_label_layout (self, initials->str);
      g_hash_table_insert (self->labels, g_strdup (key->str), *coders);
    }
  return name;
}

static const Layer *
find_layer (TsrReader *self,
            gint64     code_id)
{
  for (guint i = 0; i < self->layers->len; i++)
    if (g_array_index (self->layers, Layer, i).code_id == code_id)
      return &g_array_index (self->layers, Layer, i);

  return NULL;
}

/* Places the labels of the stripes on screen, in start order, one for
 * the stripes of several coders over the same passage: each at the top
 * of its stripe (or of the margin, for a stripe that began above), or
 * just below the label above when that one is in the way.  A label that
 * would then start past the end of its stripe goes without; the
 * stripe's tooltip and popover still name its code. */
static GArray *
place_labels (TsrReader *self)
{
  GArray *places = g_array_new (FALSE, FALSE, sizeof (LabelPlace));
  double x = MARGIN_PAD + self->n_lanes * LANE_WIDTH + LABEL_GAP;
  double free_y = 0;
  guint top, bottom;

  if (self->stripes->len == 0 || self->project == NULL || self->label_width == 0)
    return places;

  get_visible_offsets (self, &top, &bottom);
  for (guint i = first_stripe_reaching (self, top), n; i < self->stripes->len; i += n)
    {
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, i);
      graphene_rect_t rect;
      PangoLayout *layout, *coders;
      int width, height, coders_width = 0;
      double y;

      for (n = 1; i + n < self->stripes->len; n++)
        if (!same_passage (stripe, &g_array_index (self->stripes, Stripe, i + n)))
          break;

      if (stripe->start >= bottom)
        break;
      if (stripe->end <= top)
        continue;

      _tsr_reader_stripe_rect (self, stripe, &rect);
      layout = get_label_layout (self, i, n, &coders);
      if (coders != NULL)
        pango_layout_get_pixel_size (coders, &coders_width, NULL);
      pango_layout_set_width (layout, MAX (self->label_width - coders_width - LABEL_SPACE, 24) * PANGO_SCALE);
      pango_layout_get_pixel_size (layout, &width, &height);
      if (coders != NULL)
        width += LABEL_SPACE + coders_width;

      /* The label must start beside its stripe. */
      y = MAX (MAX (rect.origin.y, 0), free_y);
      if (y >= rect.origin.y + rect.size.height - 2)
        continue;

      g_array_append_val (places, ((LabelPlace) { i, n, GRAPHENE_RECT_INIT (x, y, width, height) }));
      free_y = y + height + 1;
    }

  return places;
}

static void
snapshot_stripes (TsrReader   *self,
                  GtkSnapshot *snapshot)
{
  g_autoptr(GArray) places = NULL;
  GdkRGBA text_color;
  guint top, bottom;

  if (self->stripes->len == 0)
    return;

  get_visible_offsets (self, &top, &bottom);
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &text_color);

  for (guint i = first_stripe_reaching (self, top); i < self->stripes->len; i++)
    {
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, i);
      const Layer *layer;
      graphene_rect_t rect;
      GdkRGBA color;
      gboolean selected = stripe->segment_id == self->selected_segment_id;
      double bar_width = selected ? STRIPE_WIDTH + 2 : STRIPE_WIDTH;

      if (stripe->start >= bottom)
        break;
      if (stripe->end <= top)
        continue;

      layer = find_layer (self, stripe->code_id);
      color = layer ? layer->color : (GdkRGBA) { 0.6, 0.6, 0.6, 1 };
      _tsr_reader_stripe_rect (self, stripe, &rect);

      if (stripe->mine)
        gtk_snapshot_append_color (snapshot, &color,
                                   &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y, bar_width, rect.size.height));
      else
        for (double y = rect.origin.y; y < rect.origin.y + rect.size.height; y += 6)
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (rect.origin.x, y, bar_width,
                                                          MIN (3, rect.origin.y + rect.size.height - y)));

      if (stripe->exemplar)
        {
          /* A dot at the top marks an exemplar quote. */
          GskRoundedRect dot;

          gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (rect.origin.x - 2, rect.origin.y - 3, 7, 7), 3.5);
          gtk_snapshot_push_rounded_clip (snapshot, &dot);
          gtk_snapshot_append_color (snapshot, &color, &dot.bounds);
          gtk_snapshot_pop (snapshot);
        }

    }

  /* The labels, each tied to its stripe by a thin line in its colour. */
  places = place_labels (self);
  for (guint i = 0; i < places->len; i++)
    {
      const LabelPlace *place = &g_array_index (places, LabelPlace, i);
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, place->first);
      const Layer *layer = find_layer (self, stripe->code_id);
      GdkRGBA color = layer ? layer->color : (GdkRGBA) { 0.6, 0.6, 0.6, 1 };
      GdkRGBA label_color = text_color;
      guint lane = stripe->lane;
      gboolean mine = FALSE;
      double bar_x;
      graphene_rect_t rect;
      double mid_y;

      /* The line starts at the leftmost of the passage's stripes and
       * runs through the label's middle, or as near as they reach. */
      for (guint j = place->first; j < place->first + place->n; j++)
        {
          lane = MIN (lane, g_array_index (self->stripes, Stripe, j).lane);
          mine |= g_array_index (self->stripes, Stripe, j).mine;
        }
      bar_x = MARGIN_PAD + lane * LANE_WIDTH + STRIPE_WIDTH;
      _tsr_reader_stripe_rect (self, stripe, &rect);
      mid_y = MIN (place->rect.origin.y + place->rect.size.height / 2,
                   rect.origin.y + rect.size.height - 1);

      color.alpha *= mine ? 0.7 : 0.45;
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (bar_x, floor (mid_y), place->rect.origin.x - 2 - bar_x, 1));

      label_color.alpha *= mine ? 0.85 : 0.6;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &place->rect.origin);
      {
        PangoLayout *coders;
        PangoLayout *name = get_label_layout (self, place->first, place->n, &coders);
        int name_width;

        gtk_snapshot_append_layout (snapshot, name, &label_color);
        if (coders != NULL)
          {
            pango_layout_get_pixel_size (name, &name_width, NULL);
            gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (name_width + LABEL_SPACE, 0));
            gtk_snapshot_append_layout (snapshot, coders, &label_color);
          }
      }
      gtk_snapshot_restore (snapshot);
    }
}

void
_tsr_reader_snapshot_selected_segment (TsrReader   *self,
                           GtkSnapshot *snapshot)
{
  GtkTextBuffer *buffer = _tsr_reader_get_buffer (self);

  for (guint i = 0; i < self->stripes->len; i++)
    {
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, i);

      if (stripe->segment_id == self->selected_segment_id)
        {
          const Layer *layer = find_layer (self, stripe->code_id);
          GdkRGBA color = layer ? layer->color : (GdkRGBA) { 0.5, 0.5, 0.5, 1 };
          GtkTextIter start, end;

          color.alpha = 0.18;
          gtk_text_buffer_get_iter_at_offset (buffer, &start, stripe->start);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, stripe->end);
          snapshot_range (self, snapshot, &color, &start, &end, FALSE);
          color.alpha = 1;
          snapshot_range (self, snapshot, &color, &start, &end, TRUE);
          return;
        }
    }
}

/* Texts that separate paragraphs with an empty line would get twice the
 * paragraph spacing; such lines are made short instead. */
void
_tsr_reader_mark_blank_lines (TsrReader *self)
{
  GtkTextBuffer *buffer = _tsr_reader_get_buffer (self);
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

const Stripe *
_tsr_reader_find_stripe (TsrReader *self,
             gint64     segment_id)
{
  for (guint i = 0; i < self->stripes->len; i++)
    if (g_array_index (self->stripes, Stripe, i).segment_id == segment_id)
      return &g_array_index (self->stripes, Stripe, i);

  return NULL;
}

/* The shown segments covering @offset. */
GArray *
_tsr_reader_stripes_at (TsrReader *self,
            guint      offset)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (Stripe));

  for (guint i = first_stripe_reaching (self, offset); i < self->stripes->len; i++)
    {
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, i);

      if (stripe->start > offset)
        break;
      if (stripe->end > offset)
        g_array_append_val (found, *stripe);
    }

  return found;
}

/* The stripe under a point in the margin, if any. */
const Stripe *
_tsr_reader_stripe_at_point (TsrReader *self,
                 double     x,
                 double     y)
{
  guint top, bottom;

  get_visible_offsets (self, &top, &bottom);
  for (guint i = first_stripe_reaching (self, top); i < self->stripes->len; i++)
    {
      const Stripe *stripe = &g_array_index (self->stripes, Stripe, i);
      graphene_rect_t rect;

      if (stripe->start >= bottom)
        break;
      if (stripe->end <= top)
        continue;

      _tsr_reader_stripe_rect (self, stripe, &rect);
      if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        return stripe;
    }

  /* A label stands for its stripe. */
  {
    g_autoptr(GArray) places = place_labels (self);

    for (guint i = 0; i < places->len; i++)
      {
        const LabelPlace *place = &g_array_index (places, LabelPlace, i);

        if (graphene_rect_contains_point (&place->rect, &GRAPHENE_POINT_INIT (x, y)))
          return &g_array_index (self->stripes, Stripe, place->first);
      }
  }

  return NULL;
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
  guint top, bottom;

  g_return_if_fail (TSR_IS_READER (self));
  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));

  if (self->layers->len == 0)
    return;

  /* Only what is on screen: a long transcript costs no more to draw. */
  get_visible_offsets (self, &top, &bottom);

  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *layer = &g_array_index (self->layers, Layer, i);
      GdkRGBA color = layer->color;

      color.alpha = TSR_READER_HIGHLIGHT_ALPHA;
      snapshot_runs (self, snapshot, layer->mine, &color, top, bottom, FALSE);

      if (layer->other->len > 0)
        {
          color.alpha = TSR_READER_OTHER_ALPHA;
          snapshot_runs (self, snapshot, layer->other, &color, top, bottom, FALSE);
          color.alpha = 0.8;
          snapshot_runs (self, snapshot, layer->other, &color, top, bottom, TRUE);
        }
    }
}

/**
 * tsr_reader_dup_codes_at:
 * @offset: a character of the document
 *
 * Returns: (transfer full) (element-type gint64): the codes highlighted
 *   at @offset, in code order
 */
GArray *
tsr_reader_dup_codes_at (TsrReader *self,
                         guint      offset)
{
  GArray *codes;

  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < self->layers->len; i++)
    {
      const Layer *layer = &g_array_index (self->layers, Layer, i);
      guint r = first_run_after (layer->all, offset);

      if (r < layer->all->len && g_array_index (layer->all, Run, r).start <= offset)
        g_array_append_val (codes, layer->code_id);
    }

  return codes;
}

/**
 * tsr_reader_dup_highlight_runs:
 * @code_id: a code
 *
 * Returns: (transfer full) (element-type guint): the passages highlighted
 *   in the code's colour, as start and end offsets in pairs, by start
 */
GArray *
tsr_reader_dup_highlight_runs (TsrReader *self,
                               gint64     code_id)
{
  const Layer *layer;
  GArray *runs;

  g_return_val_if_fail (TSR_IS_READER (self), NULL);

  runs = g_array_new (FALSE, FALSE, sizeof (guint));
  layer = find_layer (self, code_id);
  for (guint i = 0; layer != NULL && i < layer->all->len; i++)
    {
      const Run *run = &g_array_index (layer->all, Run, i);

      g_array_append_val (runs, run->start);
      g_array_append_val (runs, run->end);
    }

  return runs;
}

guint
tsr_reader_get_n_lanes (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), 0);

  return self->n_lanes;
}

/**
 * tsr_reader_get_segment_lane:
 *
 * Returns: the lane of the segment's coding stripe, or -1 if not shown
 */
int
tsr_reader_get_segment_lane (TsrReader *self,
                             gint64     segment_id)
{
  const Stripe *stripe;

  g_return_val_if_fail (TSR_IS_READER (self), -1);

  stripe = _tsr_reader_find_stripe (self, segment_id);
  return stripe ? (int) stripe->lane : -1;
}

guint
tsr_reader_get_n_visible_segments (TsrReader *self)
{
  g_return_val_if_fail (TSR_IS_READER (self), 0);

  return self->stripes->len;
}

/**
 * tsr_reader_get_stripe_point:
 * @x: (out): the middle of the segment's stripe, in widget coordinates
 * @y: (out)
 *
 * Returns: whether the segment has a stripe
 */
gboolean
tsr_reader_get_stripe_point (TsrReader *self,
                             gint64     segment_id,
                             double    *x,
                             double    *y)
{
  const Stripe *stripe;
  graphene_rect_t rect;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  if ((stripe = _tsr_reader_find_stripe (self, segment_id)) == NULL)
    return FALSE;

  _tsr_reader_stripe_rect (self, stripe, &rect);
  *x = rect.origin.x + 1;
  *y = rect.origin.y + rect.size.height / 2;
  return TRUE;
}

/**
 * tsr_reader_get_stripe_label:
 * @rect: (out): where the label of the segment's stripe is drawn, in the
 *   margin's coordinates
 * @text: (out) (transfer full) (optional): its text
 * @ellipsized: (out) (optional): whether it was cut short
 *
 * Returns: whether the segment's stripe is on screen with its label
 */
gboolean
tsr_reader_get_stripe_label (TsrReader       *self,
                             gint64           segment_id,
                             graphene_rect_t *rect,
                             char           **text,
                             gboolean        *ellipsized)
{
  g_autoptr(GArray) places = NULL;

  g_return_val_if_fail (TSR_IS_READER (self), FALSE);

  places = place_labels (self);
  for (guint i = 0; i < places->len; i++)
    {
      const LabelPlace *place = &g_array_index (places, LabelPlace, i);

      for (guint j = place->first; j < place->first + place->n; j++)
        {
          PangoLayout *layout, *coders;

          if (g_array_index (self->stripes, Stripe, j).segment_id != segment_id)
            continue;
          layout = get_label_layout (self, place->first, place->n, &coders);
          *rect = place->rect;
          if (text != NULL)
            *text = coders ? g_strdup_printf ("%s %s", pango_layout_get_text (layout), pango_layout_get_text (coders))
                           : g_strdup (pango_layout_get_text (layout));
          if (ellipsized != NULL)
            *ellipsized = pango_layout_is_ellipsized (layout);
          return TRUE;
        }
    }

  return FALSE;
}

static void
tsr_reader_margin_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  TsrReaderMargin *self = TSR_READER_MARGIN (widget);
  guint n_lanes = self->reader ? self->reader->n_lanes : 0;
  int label_width = self->reader ? self->reader->label_width : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = n_lanes > 0
                          ? MARGIN_PAD + (int) n_lanes * LANE_WIDTH + (label_width > 0 ? LABEL_GAP + label_width : 0) + MARGIN_PAD
                          : MARGIN_PAD;
  else
    *minimum = *natural = 0;
}

static void
tsr_reader_margin_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TsrReaderMargin *self = TSR_READER_MARGIN (widget);

  if (self->reader != NULL)
    snapshot_stripes (self->reader, snapshot);
}

static void
tsr_reader_margin_class_init (TsrReaderMarginClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = tsr_reader_margin_measure;
  widget_class->snapshot = tsr_reader_margin_snapshot;

  gtk_widget_class_set_css_name (widget_class, "tsrcodingmargin");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
tsr_reader_margin_init (TsrReaderMargin *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}
