/* tsr-reader.c — a document's text for reading and coding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tsr-color-swatch.h"
#include "tsr-reader.h"
#include "tsr-toast.h"

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

/* The coding margin: narrow lanes of stripes, then a column of labels
 * set horizontally, like a marginal note. */
#define LANE_WIDTH   7
#define MAX_LANES    10
#define STRIPE_WIDTH 3
#define MARGIN_PAD   8
#define LABEL_GAP    6
#define LABEL_WIDE   176
#define LABEL_WIDTH  144
#define LABEL_NARROW 96
#define LABEL_SPACE  4     /* between a code's name and its coders */

typedef struct
{
  guint start;
  guint end;
} Run;

/* One layer of colour per code. */
typedef struct
{
  gint64      code_id;
  GdkRGBA     color;
  GArray     *all;     /* Run, merged, by start: what is highlighted */
  GArray     *mine;    /* Run: the current coder's coding */
  GArray     *other;   /* Run: others' coding not under mine */
} Layer;

/* One coding stripe per shown segment. */
typedef struct
{
  gint64   segment_id;
  gint64   code_id;
  gint64   coder_id;
  guint    start;
  guint    end;
  guint    lane;
  guint    mine : 1;
  guint    exemplar : 1;
} Stripe;

/* The coding margin: the text view's right gutter, drawn by the reader. */
#define TSR_TYPE_READER_MARGIN (tsr_reader_margin_get_type ())
G_DECLARE_FINAL_TYPE (TsrReaderMargin, tsr_reader_margin, TSR, READER_MARGIN, GtkWidget)

struct _TsrReaderMargin
{
  GtkWidget  parent_instance;
  TsrReader *reader;   /* not owned: the reader owns the margin */
};


struct _TsrReader
{
  GtkTextView  parent_instance;

  TsrProject  *project;
  TsrDocument *document;
  char        *text;

  /* The codes of the current document, in code order. */
  GArray      *layers;
  /* The shown segments by start, and the furthest end up to each. */
  GArray      *stripes;
  GArray      *max_end;
  guint        n_lanes;
  /* "code:coder:coder…" → PangoLayout of a passage's stripe label */
  GHashTable  *labels;
  /* the label column's width: narrower, then none, as the reader narrows */
  int          label_width;
  guint        label_width_idle;

  gint64       coder_id;
  gint64       selected_segment_id;
  gboolean     show_others;
  gboolean     snap_to_words;

  TsrReaderMargin *margin;
  GtkAdjustment   *vadjustment;
  gulong           vadjustment_handler;

  /* The press that may start a drag of the selection: it landed inside
   * a selection that existed before it. */
  gboolean     drag_armed;
  gboolean     drag_started;
  double       press_x;
  double       press_y;

  /* The context menu, and the passage it was opened on. */
  GtkWidget   *context_menu;
  GSimpleActionGroup *passage_actions;
  guint        context_offset;
  gint64       context_segment_id;
  GArray      *recent_codes;   /* gint64 code ids, latest first */

  GtkPopover  *popover;
  GtkWidget   *popover_box;
  guint        popover_offset;
  gint64       popover_segment_id;

  gulong       changed_handler;
  gulong       coder_handler;
};

G_DEFINE_FINAL_TYPE (TsrReader, tsr_reader, GTK_TYPE_TEXT_VIEW)
G_DEFINE_FINAL_TYPE (TsrReaderMargin, tsr_reader_margin, GTK_TYPE_WIDGET)


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


typedef struct
{
  gint64 segment_id;
  gint64 code_id;
  gint64 coder_id;
  guint  start;
  guint  end;
  gboolean exemplar;
} Span;

static void refresh_popover (TsrReader *self);

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

static GtkTextBuffer *
get_buffer (TsrReader *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
}

static gint64
document_id (TsrReader *self)
{
  return self->document ? tsr_entity_get_id (TSR_ENTITY (self->document)) : 0;
}

static void
show_toast (TsrReader  *self,
            const char *message,
            gboolean    with_undo)
{
  if (with_undo)
    tsr_toast_show_undo (GTK_WIDGET (self), message);
  else
    tsr_toast_show (GTK_WIDGET (self), message);
}

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

static void
clear_layer (gpointer data)
{
  Layer *layer = data;

  g_clear_pointer (&layer->all, g_array_unref);
  g_clear_pointer (&layer->mine, g_array_unref);
  g_clear_pointer (&layer->other, g_array_unref);
}

static void
clear_highlights (TsrReader *self)
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

static void
update_margin (TsrReader *self)
{
  if (self->margin == NULL)
    return;

  gtk_widget_queue_resize (GTK_WIDGET (self->margin));
  gtk_widget_queue_draw (GTK_WIDGET (self->margin));
}

static void
refresh_highlights (TsrReader *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GArray) others = NULL;
  Layer *layer = NULL;
  guint length;
  guint n;
  gboolean selected_seen = FALSE;

  clear_highlights (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->document == NULL || self->project == NULL)
    {
      update_margin (self);
      return;
    }

  {
    TsrCoder *coder = tsr_project_get_current_coder (self->project);

    self->coder_id = coder ? tsr_entity_get_id (TSR_ENTITY (coder)) : 0;
  }

  length = gtk_text_buffer_get_char_count (buffer);
  stored = tsr_project_list_document_spans (self->project, document_id (self));
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
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_SEGMENT]);
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
  update_margin (self);
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
  GtkTextBuffer *buffer = get_buffer (self);

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
static void
stripe_rect (TsrReader          *self,
             const Stripe       *stripe,
             graphene_rect_t    *rect)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = get_buffer (self);
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

/* Where the label of one passage's stripes goes (one stripe, or several
 * coders' of the same passage with the same code), in the margin's
 * coordinates. */
typedef struct
{
  guint           first;    /* index into self->stripes */
  guint           n;
  graphene_rect_t rect;
} LabelPlace;

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

      stripe_rect (self, stripe, &rect);
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
      stripe_rect (self, stripe, &rect);

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
      stripe_rect (self, stripe, &rect);
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

static void
snapshot_selected_segment (TsrReader   *self,
                           GtkSnapshot *snapshot)
{
  GtkTextBuffer *buffer = get_buffer (self);

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
        snapshot_selected_segment (self, snapshot);
    }
}

/* Texts that separate paragraphs with an empty line would get twice the
 * paragraph spacing; such lines are made short instead. */
static void
mark_blank_lines (TsrReader *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
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

/* Word boundaries ----------------------------------------------------- */

static void
iter_at (TsrReader   *self,
         GtkTextIter *iter,
         guint        offset)
{
  gtk_text_buffer_get_iter_at_offset (get_buffer (self), iter, offset);
}

/* Widens [start, end) to whole words, and trims white space at its ends. */
static gboolean
shape_range (TsrReader *self,
             guint     *start,
             guint     *end)
{
  GtkTextIter s, e;

  iter_at (self, &s, *start);
  iter_at (self, &e, *end);

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

  iter_at (self, &iter, offset);

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

/* Segments under a point ---------------------------------------------- */

static const Stripe *
find_stripe (TsrReader *self,
             gint64     segment_id)
{
  for (guint i = 0; i < self->stripes->len; i++)
    if (g_array_index (self->stripes, Stripe, i).segment_id == segment_id)
      return &g_array_index (self->stripes, Stripe, i);

  return NULL;
}

/* The shown segments covering @offset. */
static GArray *
stripes_at (TsrReader *self,
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
static const Stripe *
stripe_at_point (TsrReader *self,
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

      stripe_rect (self, stripe, &rect);
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

static gboolean
offset_at_point (TsrReader *self,
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

/* The coding popover -------------------------------------------------- */

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
      show_toast (editor->reader, error->message, FALSE);
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
    show_toast (self, error->message, FALSE);
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

static void
clear_popover_box (TsrReader *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->popover_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->popover_box), child);
}

/* Fills the popover with the passages at the popover's place: the one
 * segment it was opened on, or every segment covering the offset. */
static gboolean
fill_popover (TsrReader *self)
{
  g_autoptr(GArray) found = NULL;
  guint n = 0;

  clear_popover_box (self);

  if (self->popover_segment_id != 0)
    {
      const Stripe *stripe = find_stripe (self, self->popover_segment_id);

      found = g_array_new (FALSE, FALSE, sizeof (Stripe));
      if (stripe != NULL)
        g_array_append_val (found, *stripe);
    }
  else
    found = stripes_at (self, self->popover_offset);

  for (guint i = 0; i < found->len && n < 8; i++, n++)
    {
      if (n > 0)
        gtk_box_append (GTK_BOX (self->popover_box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (GTK_BOX (self->popover_box), make_segment_card (self, &g_array_index (found, Stripe, i)));
    }

  return n > 0;
}

static void
point_popover_at (TsrReader *self,
                  guint      offset,
                  gint64     segment_id)
{
  const Stripe *stripe = segment_id ? find_stripe (self, segment_id) : NULL;
  GdkRectangle rect;
  int wx, wy;

  if (stripe != NULL)
    {
      graphene_rect_t bounds;
      graphene_point_t point;

      stripe_rect (self, stripe, &bounds);
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

      iter_at (self, &iter, offset);
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

static void
refresh_popover (TsrReader *self)
{
  if (self->popover == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return;

  /* Keep a memo being typed in: only rebuild when the passages changed. */
  if (!fill_popover (self))
    gtk_popover_popdown (self->popover);
  else
    point_popover_at (self, self->popover_offset, self->popover_segment_id);
}

static void
on_popover_closed_cb (GtkPopover *popover,
                      TsrReader  *self)
{
  /* Saves any memo being typed. */
  clear_popover_box (self);
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
      refresh_highlights (self);
      if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODES))
        refresh_popover (self);
    }
}

static void
on_current_coder_changed_cb (TsrProject *project,
                             GParamSpec *pspec,
                             TsrReader  *self)
{
  refresh_highlights (self);
}

/* Whether the point (widget coordinates) lies inside the selection. */
static gboolean
point_in_selection (TsrReader *self,
                    double     x,
                    double     y)
{
  GtkTextIter sel_start, sel_end, iter;
  int bx, by, trailing;

  if (!gtk_text_buffer_get_selection_bounds (get_buffer (self), &sel_start, &sel_end))
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
          gtk_text_buffer_place_cursor (get_buffer (self), &iter);
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
  gtk_text_buffer_get_selection_bounds (get_buffer (self), &start, &end);
  text = gtk_text_buffer_get_text (get_buffer (self), &start, &end, FALSE);
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
      show_toast (self, error->message, FALSE);
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
  const Stripe *stripe = stripe_at_point (self, x, y);

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
                                   stripe_at_point (self, x, y) ? "pointer" : "default");
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

  if (self->project == NULL || keyboard || !offset_at_point (self, x, y, &offset))
    return FALSE;

  found = stripes_at (self, offset);
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

  if (self->project == NULL || keyboard || (stripe = stripe_at_point (self, x, y)) == NULL)
    return FALSE;

  g_array_append_val (found, *stripe);
  return set_coding_tooltip (self, found, tooltip);
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
      const Stripe *stripe = find_stripe (self, self->selected_segment_id);

      if (stripe != NULL)
        tsr_reader_show_coding_at (self, stripe->start, stripe->segment_id);
      return;
    }

  gtk_text_buffer_get_iter_at_mark (get_buffer (self), &iter, gtk_text_buffer_get_insert (get_buffer (self)));
  if (!tsr_reader_show_coding_at (self, gtk_text_iter_get_offset (&iter), 0))
    show_toast (self, _("Nothing is coded here"), FALSE);
}


/* The context menu ---------------------------------------------------- */

/* The passage a context menu at @offset is about: the narrowest shown
 * passage there, the current coder's before another's. */
static gint64
passage_at (TsrReader *self,
            guint      offset)
{
  g_autoptr(GArray) here = stripes_at (self, offset);
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
  const Stripe *stripe = find_stripe (self, self->context_segment_id);
  GtkTextIter s, e;
  gboolean has_selection = gtk_text_buffer_get_selection_bounds (get_buffer (self), &s, &e);
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
  if (!offset_at_point (self, x, y, &offset))
    return;
  popup_context_menu (self, offset, x, y);
}

static gboolean
shortcut_context_menu_cb (GtkWidget *widget,
                          GVariant  *args,
                          gpointer   user_data)
{
  TsrReader *self = TSR_READER (widget);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (get_buffer (self), &iter, gtk_text_buffer_get_insert (get_buffer (self)));
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
    show_toast (self, error->message, FALSE);
}

static void
passage_remove_cb (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TsrReader *self = user_data;

  if (find_stripe (self, self->context_segment_id) == NULL)
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
  const Stripe *stripe = find_stripe (self, self->context_segment_id);
  g_autoptr(GError) error = NULL;

  if (stripe == NULL || self->project == NULL)
    return;
  if (!tsr_project_set_segment_exemplar (self->project, stripe->segment_id, !stripe->exemplar, &error))
    show_toast (self, error->message, FALSE);
}

static void
passage_memo_cb (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TsrReader *self = user_data;
  gint64 id = self->context_segment_id;

  if (find_stripe (self, id) == NULL)
    return;
  tsr_reader_select_segment (self, id);
  g_signal_emit (self, signals [MEMO_REQUESTED], 0, id);
}

static void
passage_show_coding_cb (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  TsrReader *self = user_data;

  if (!tsr_reader_show_coding_at (self, self->context_offset, 0))
    show_toast (self, _("Nothing is coded here"), FALSE);
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
  if (!gtk_text_buffer_get_selection_bounds (get_buffer (self), &s, &e))
    {
      if ((stripe = find_stripe (self, self->context_segment_id)) == NULL)
        return;
      iter_at (self, &s, stripe->start);
      iter_at (self, &e, stripe->end);
    }
  text = gtk_text_buffer_get_text (get_buffer (self), &s, &e, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
setup_context_menu (TsrReader *self)
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

/* GObject ------------------------------------------------------------ */

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
      clear_popover_box (self);
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
  GtkDragSource *drag_source;
  GtkDropTarget *drop_target;
  GtkGesture *click;
  GtkEventController *motion;
  GtkEventController *shortcuts;

  self->layers = g_array_new (FALSE, FALSE, sizeof (Layer));
  g_array_set_clear_func (self->layers, clear_layer);
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

  /* The coding stripes, in the right gutter. */
  self->margin = g_object_new (TSR_TYPE_READER_MARGIN, NULL);
  self->margin->reader = self;
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_RIGHT, GTK_WIDGET (self->margin));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_margin_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->margin), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_margin_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->margin), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->margin), TRUE);
  g_signal_connect (self->margin, "query-tooltip", G_CALLBACK (on_margin_query_tooltip_cb), self);

  g_signal_connect (self, "notify::vadjustment", G_CALLBACK (on_notify_vadjustment_cb), NULL);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);

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
  setup_context_menu (self);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                                                          gtk_callback_action_new (shortcut_context_menu_cb, NULL, NULL)));

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

  buffer = get_buffer (self);

  if (self->popover != NULL)
    gtk_popover_popdown (self->popover);

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->coder_handler, self->project);
    }

  if (self->layers != NULL)
    clear_highlights (self);

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
      update_margin (self);
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

  self->changed_handler =
    g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  self->coder_handler =
    g_signal_connect (project, "notify::current-coder", G_CALLBACK (on_current_coder_changed_cb), self);

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
  refresh_highlights (self);
  refresh_popover (self);
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

  buffer = get_buffer (self);
  if (end > (guint) gtk_text_buffer_get_char_count (buffer) || start > end)
    return FALSE;

  iter_at (self, &s, start);
  iter_at (self, &e, end);
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

  if (self->document == NULL || !gtk_text_buffer_get_selection_bounds (get_buffer (self), &s, &e))
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

  id = tsr_project_add_segment (self->project, document_id (self), code_id, start, end, error);
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

  id = tsr_project_code_in_vivo (self->project, document_id (self), parent_id, start, end, error);
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

  if (segment_id != 0 && (stripe = find_stripe (self, segment_id)) == NULL)
    return FALSE;

  if (stripe != NULL)
    {
      GtkTextIter iter;

      iter_at (self, &iter, stripe->start);
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

  if (self->project == NULL || (stripe = find_stripe (self, self->selected_segment_id)) == NULL)
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
      show_toast (self, error->message, FALSE);
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

  if (self->project == NULL || (stripe = find_stripe (self, self->selected_segment_id)) == NULL)
    return FALSE;

  id = stripe->segment_id;
  code = tsr_project_lookup_code (self->project, stripe->code_id);
  message = g_strdup_printf (_("Removed “%s” from the passage"), code ? tsr_code_get_name (code) : "");

  if (!tsr_project_remove_segment (self->project, id, &error))
    {
      show_toast (self, error->message, FALSE);
      return FALSE;
    }

  show_toast (self, message, TRUE);
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

  if (self->project == NULL || (stripe = find_stripe (self, self->selected_segment_id)) == NULL)
    return FALSE;

  if (!tsr_project_set_segment_exemplar (self->project, stripe->segment_id, !stripe->exemplar, &error))
    {
      show_toast (self, error->message, FALSE);
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

  if (!fill_popover (self))
    return FALSE;

  point_popover_at (self, offset, segment_id);
  gtk_popover_popup (self->popover);
  return TRUE;
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

  stripe = find_stripe (self, segment_id);
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

  if ((stripe = find_stripe (self, segment_id)) == NULL)
    return FALSE;

  stripe_rect (self, stripe, &rect);
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

/* The margin --------------------------------------------------------- */

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

  iter_at (self, &iter, offset);
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

  buffer = get_buffer (self);
  if (self->document == NULL ||
      !gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end) ||
      !tsr_reader_get_coding_range (self, &range.start, &range.end))
    return NULL;
  range.document_id = document_id (self);

  text = gtk_text_buffer_get_text (buffer, &sel_start, &sel_end, FALSE);
  providers[0] = gdk_content_provider_new_typed (TSR_TYPE_TEXT_RANGE, &range);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, text);

  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

