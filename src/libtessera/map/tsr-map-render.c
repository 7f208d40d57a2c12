/* tsr-map-render.c — drawing the theme map with cairo
 *
 * Text is shaped once per string and style and kept: panning and zooming
 * redraw hundreds of chips a frame, and shaping is the costly part.
 * Metrics are unhinted, so a name is as wide (in world units) at every
 * zoom and in every export as when the layout measured it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "tsr-error.h"
#include "tsr-export.h"
#include "tsr-map-render.h"

#define LAYOUT_CACHE_MAX 8000
#define EXPORT_MARGIN    24.0
#define EXPORT_PNG_SCALE 2.0

struct _TsrMapRenderer
{
  PangoContext         *context;
  PangoFontDescription *fonts[4];
  double                max_width[4];
  GHashTable           *layouts;   /* "style:text" → PangoLayout */
};

typedef struct
{
  double r, g, b;
} Rgb;

/* The GNOME palette's mid tones, one per top-level theme in turn. */
static const Rgb theme_hues[] = {
  { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0 },
  { 0x2e / 255.0, 0xc2 / 255.0, 0x7e / 255.0 },
  { 0xe5 / 255.0, 0xa5 / 255.0, 0x0a / 255.0 },
  { 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0 },
  { 0xc0 / 255.0, 0x1c / 255.0, 0x28 / 255.0 },
  { 0x91 / 255.0, 0x41 / 255.0, 0xac / 255.0 },
  { 0x98 / 255.0, 0x6a / 255.0, 0x44 / 255.0 },
  { 0x21 / 255.0, 0x90 / 255.0, 0xa4 / 255.0 },
};

static const Rgb accent = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0 };
static const Rgb grey = { 0x9a / 255.0, 0x99 / 255.0, 0x96 / 255.0 };

/**
 * tsr_map_renderer_new:
 * @font_family: (nullable): the family every text is set in ("Sans" if
 *   %NULL)
 *
 * Returns: (transfer full): a renderer, which also measures text for
 *   tsr_map_layout_compute()
 */
TsrMapRenderer *
tsr_map_renderer_new (const char *font_family)
{
  TsrMapRenderer *self = g_new0 (TsrMapRenderer, 1);
  static const double sizes[] = { 12.5, 14.5, 11.0, 11.5 };
  static const PangoWeight weights[] = { PANGO_WEIGHT_NORMAL, PANGO_WEIGHT_BOLD,
                                         PANGO_WEIGHT_BOLD, PANGO_WEIGHT_NORMAL };
  cairo_font_options_t *options = cairo_font_options_create ();

  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
#if PANGO_VERSION_CHECK (1, 44, 0)
  pango_context_set_round_glyph_positions (self->context, FALSE);
#endif

  for (guint i = 0; i < G_N_ELEMENTS (self->fonts); i++)
    {
      self->fonts[i] = pango_font_description_new ();
      pango_font_description_set_family (self->fonts[i], font_family ? font_family : "Sans");
      pango_font_description_set_absolute_size (self->fonts[i], sizes[i] * PANGO_SCALE);
      pango_font_description_set_weight (self->fonts[i], weights[i]);
    }
  self->max_width[TSR_MAP_TEXT_CHIP] = TSR_MAP_CHIP_MAX_TEXT;
  self->max_width[TSR_MAP_TEXT_TITLE] = TSR_MAP_TITLE_MAX_TEXT;
  self->max_width[TSR_MAP_TEXT_BADGE] = -1;
  self->max_width[TSR_MAP_TEXT_LINK] = 240;
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return self;
}

void
tsr_map_renderer_free (TsrMapRenderer *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->fonts); i++)
    pango_font_description_free (self->fonts[i]);
  g_hash_table_unref (self->layouts);
  g_object_unref (self->context);
  g_free (self);
}

static PangoLayout *
get_layout (TsrMapRenderer  *self,
            const char      *text,
            TsrMapTextStyle  style)
{
  g_autofree char *key = g_strdup_printf ("%d:%s", style, text);
  PangoLayout *layout = g_hash_table_lookup (self->layouts, key);

  if (layout != NULL)
    return layout;

  if (g_hash_table_size (self->layouts) >= LAYOUT_CACHE_MAX)
    g_hash_table_remove_all (self->layouts);

  layout = pango_layout_new (self->context);
  pango_layout_set_font_description (layout, self->fonts[style]);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_text (layout, text, -1);
  if (self->max_width[style] > 0)
    {
      pango_layout_set_width (layout, (int) (self->max_width[style] * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  g_hash_table_insert (self->layouts, g_steal_pointer (&key), layout);
  return layout;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

/**
 * tsr_map_renderer_measure:
 * @renderer: a #TsrMapRenderer
 *
 * A #TsrMapMeasureFunc measuring text as the renderer sets it.
 */
double
tsr_map_renderer_measure (const char      *text,
                          TsrMapTextStyle  style,
                          gpointer         renderer)
{
  TsrMapRenderer *self = renderer;
  PangoLayout *layout = get_layout (self, text ? text : "", style);

  /* The unellipsized width: the layout caps it where it draws. */
  if (pango_layout_is_ellipsized (layout))
    return self->max_width[style];
  return layout_width (layout);
}

/* Drawing helpers ---------------------------------------------------- */

static void
rounded_rect (cairo_t          *cr,
              const TsrMapRect *r,
              double            radius)
{
  radius = MIN (radius, MIN (r->width, r->height) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, r->x + r->width - radius, r->y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, r->x + r->width - radius, r->y + r->height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, r->x + radius, r->y + r->height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, r->x + radius, r->y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
set_rgb (cairo_t   *cr,
         const Rgb *c,
         double     alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

static void
draw_text (TsrMapRenderer  *self,
           cairo_t         *cr,
           const char      *text,
           TsrMapTextStyle  style,
           double           x,
           double           center_y)
{
  PangoLayout *layout = get_layout (self, text, style);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cr, x, center_y - (double) logical.height / PANGO_SCALE / 2);
  pango_cairo_show_layout (cr, layout);
}

static TsrMapRect
grow (TsrMapRect r,
      double     by)
{
  return (TsrMapRect) { r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by };
}

static TsrMapRect
moved (TsrMapRect r,
       double     dx,
       double     dy)
{
  return (TsrMapRect) { r.x + dx, r.y + dy, r.width, r.height };
}

typedef struct
{
  TsrMapRenderer            *self;
  const TsrMapLayout        *layout;
  const TsrMapRenderOptions *o;
  cairo_t                   *cr;
  TsrMapRect                 visible;
  Rgb                        fg;
  Rgb                        bg;
  Rgb                        chip_bg;
  gboolean                   simplified;
} Ctx;

static void
draw_outline (Ctx              *ctx,
              const TsrMapRect *rect,
              double            radius,
              gboolean          selected)
{
  cairo_t *cr = ctx->cr;
  TsrMapRect r = grow (*rect, selected ? 3 : 1.5);

  rounded_rect (cr, &r, radius + (selected ? 3 : 1.5));
  set_rgb (cr, &accent, selected ? 1.0 : 0.45);
  cairo_set_line_width (cr, selected ? 2.5 : 1.5);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_stroke (cr);
}

static void
draw_theme (Ctx                  *ctx,
            const TsrMapThemeBox *box,
            double                dx,
            double                dy)
{
  cairo_t *cr = ctx->cr;
  TsrMapRect r = moved (box->rect, dx, dy);
  TsrMapRect badge = moved (box->badge, dx, dy);
  gboolean discarded = box->status == TSR_THEME_DISCARDED;
  const Rgb *hue = discarded ? &grey : &theme_hues[box->top_index % G_N_ELEMENTS (theme_hues)];
  double radius = box->depth == 0 ? 14 : 10;
  double fill = discarded ? 0.06 : (ctx->o->dark ? 0.16 : 0.09) + 0.06 * MIN (box->depth, 3);
  TsrMapHit self_hit = { TSR_MAP_HIT_THEME, box->id, 0, 0 };
  static const double dash[] = { 7, 5 };

  rounded_rect (cr, &r, radius);
  set_rgb (cr, &ctx->bg, 1.0);
  cairo_fill_preserve (cr);
  set_rgb (cr, hue, fill);
  cairo_fill_preserve (cr);
  if (ctx->o->drop_theme == box->id)
    {
      set_rgb (cr, &accent, 0.16);
      cairo_fill_preserve (cr);
    }

  /* Candidates are drafts: dashed.  Final themes: a firm, heavier line. */
  if (box->status == TSR_THEME_CANDIDATE || discarded)
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  else
    cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_width (cr, box->status == TSR_THEME_FINAL ? 2.5 : 1.5);
  set_rgb (cr, ctx->o->drop_theme == box->id ? &accent : hue, discarded ? 0.7 : 0.85);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* Title and the n badge. */
  set_rgb (cr, discarded ? &grey : &ctx->fg, 1.0);
  draw_text (ctx->self, cr, box->name, TSR_MAP_TEXT_TITLE, r.x + TSR_MAP_PADDING,
             box->title.y + dy + box->title.height / 2);
  if (discarded)
    {
      /* Struck through, as set aside. */
      cairo_move_to (cr, r.x + TSR_MAP_PADDING, box->title.y + dy + box->title.height / 2);
      cairo_rel_line_to (cr, box->title.width, 0);
      cairo_set_line_width (cr, 1.2);
      cairo_stroke (cr);
    }

  rounded_rect (cr, &badge, badge.height / 2);
  set_rgb (cr, hue, 1.0);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  draw_text (ctx->self, cr, box->badge_text, TSR_MAP_TEXT_BADGE, badge.x + 7,
             badge.y + badge.height / 2);

  if (box->n_codes == 0 && !ctx->simplified)
    {
      gboolean has_children = FALSE;

      for (guint i = 0; i < tsr_map_layout_get_n_themes (ctx->layout) && !has_children; i++)
        has_children = tsr_map_layout_get_theme (ctx->layout, i)->parent_id == box->id;
      if (!has_children)
        {
          TsrMapRect hole = { r.x + TSR_MAP_PADDING, r.y + TSR_MAP_HEADER_HEIGHT,
                              r.width - 2 * TSR_MAP_PADDING, TSR_MAP_EMPTY_HEIGHT - 6 };
          static const double dots[] = { 3, 3 };

          rounded_rect (cr, &hole, 8);
          cairo_set_dash (cr, dots, 2, 0);
          cairo_set_line_width (cr, 1);
          set_rgb (cr, &ctx->fg, 0.3);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          set_rgb (cr, &ctx->fg, 0.5);
          draw_text (ctx->self, cr, _("Drop codes here"), TSR_MAP_TEXT_CHIP,
                     hole.x + 10, hole.y + hole.height / 2);
        }
    }

  if (tsr_map_hit_equal (&ctx->o->selection, &self_hit))
    draw_outline (ctx, &r, radius, TRUE);
  else if (tsr_map_hit_equal (&ctx->o->hover, &self_hit))
    draw_outline (ctx, &r, radius, FALSE);
}

static void
draw_chip (Ctx              *ctx,
           const TsrMapChip *chip,
           double            dx,
           double            dy,
           double            alpha)
{
  cairo_t *cr = ctx->cr;
  TsrMapRect r = moved (chip->rect, dx, dy);
  TsrMapHit self_hit = { TSR_MAP_HIT_CHIP, chip->theme_id, chip->code_id, 0 };
  Rgb color = { 0.47, 0.46, 0.48 };
  unsigned int rr, gg, bb;

  if (chip->color != NULL && sscanf (chip->color, "#%02x%02x%02x", &rr, &gg, &bb) == 3)
    color = (Rgb) { rr / 255.0, gg / 255.0, bb / 255.0 };

  if (alpha < 1)
    cairo_push_group (cr);

  rounded_rect (cr, &r, r.height / 2);
  if (ctx->simplified)
    {
      set_rgb (cr, &color, 0.75);
      cairo_fill (cr);
    }
  else
    {
      set_rgb (cr, &ctx->chip_bg, 1.0);
      cairo_fill_preserve (cr);
      set_rgb (cr, &color, 0.10);
      cairo_fill_preserve (cr);
      set_rgb (cr, &color, 0.65);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);

      cairo_arc (cr, r.x + 10 + 4, r.y + r.height / 2, 4, 0, 2 * G_PI);
      set_rgb (cr, &color, 1.0);
      cairo_fill (cr);

      set_rgb (cr, &ctx->fg, 1.0);
      draw_text (ctx->self, cr, chip->name, TSR_MAP_TEXT_CHIP, r.x + 10 + 8 + 6, r.y + r.height / 2);
    }

  if (tsr_map_hit_equal (&ctx->o->selection, &self_hit))
    draw_outline (ctx, &r, r.height / 2, TRUE);
  else if (tsr_map_hit_equal (&ctx->o->hover, &self_hit))
    draw_outline (ctx, &r, r.height / 2, FALSE);

  if (alpha < 1)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, alpha);
    }
}

static void
draw_arrow_line (cairo_t *cr,
                 double   x1,
                 double   y1,
                 double   x2,
                 double   y2,
                 double   width)
{
  double angle = atan2 (y2 - y1, x2 - x1);
  double head = 7 + 2 * width;

  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x2 - cos (angle) * head * 0.8, y2 - sin (angle) * head * 0.8);
  cairo_stroke (cr);

  cairo_move_to (cr, x2, y2);
  cairo_line_to (cr, x2 - head * cos (angle - 0.42), y2 - head * sin (angle - 0.42));
  cairo_line_to (cr, x2 - head * cos (angle + 0.42), y2 - head * sin (angle + 0.42));
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_link (Ctx               *ctx,
           const TsrMapArrow *arrow)
{
  cairo_t *cr = ctx->cr;
  TsrMapHit self_hit = { TSR_MAP_HIT_LINK, 0, 0, arrow->id };
  gboolean selected = tsr_map_hit_equal (&ctx->o->selection, &self_hit);
  gboolean hovered = tsr_map_hit_equal (&ctx->o->hover, &self_hit);

  if (selected)
    set_rgb (cr, &accent, 1.0);
  else
    set_rgb (cr, &ctx->fg, hovered ? 0.85 : 0.6);
  draw_arrow_line (cr, arrow->x1, arrow->y1, arrow->x2, arrow->y2, selected ? 2.5 : 1.6);

  if (arrow->label_rect.width > 0)
    {
      TsrMapRect r = arrow->label_rect;

      rounded_rect (cr, &r, r.height / 2);
      set_rgb (cr, &ctx->bg, 1.0);
      cairo_fill_preserve (cr);
      if (selected)
        set_rgb (cr, &accent, 1.0);
      else
        set_rgb (cr, &ctx->fg, 0.45);
      cairo_set_line_width (cr, selected ? 2 : 1);
      cairo_stroke (cr);
      set_rgb (cr, &ctx->fg, 0.9);
      draw_text (ctx->self, cr, arrow->label, TSR_MAP_TEXT_LINK, r.x + 6, r.y + r.height / 2);
    }
}

static gboolean
is_visible (Ctx              *ctx,
            const TsrMapRect *r)
{
  TsrMapRect g = grow (*r, 6);
  return tsr_map_rect_intersects (&g, &ctx->visible);
}

static void
init_colors (Ctx *ctx)
{
  if (ctx->o->dark)
    {
      ctx->fg = (Rgb) { 1, 1, 1 };
      ctx->bg = (Rgb) { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0 };
      ctx->chip_bg = (Rgb) { 0x3a / 255.0, 0x3a / 255.0, 0x3a / 255.0 };
    }
  else
    {
      ctx->fg = (Rgb) { 0x24 / 255.0, 0x1f / 255.0, 0x31 / 255.0 };
      ctx->bg = (Rgb) { 1, 1, 1 };
      ctx->chip_bg = (Rgb) { 1, 1, 1 };
    }
}

static void
union_rect (TsrMapRect       *acc,
            const TsrMapRect *r)
{
  double x0, y0, x1, y1;

  if (r->width <= 0 && r->height <= 0)
    return;
  if (acc->width <= 0 && acc->height <= 0)
    {
      *acc = *r;
      return;
    }
  x0 = MIN (acc->x, r->x);
  y0 = MIN (acc->y, r->y);
  x1 = MAX (acc->x + acc->width, r->x + r->width);
  y1 = MAX (acc->y + acc->height, r->y + r->height);
  *acc = (TsrMapRect) { x0, y0, x1 - x0, y1 - y0 };
}

/**
 * tsr_map_render_overlay_bounds:
 *
 * Returns: the world rectangle that %TSR_MAP_LAYER_OVERLAY draws on for
 *   @options; empty when there is nothing to draw
 */
TsrMapRect
tsr_map_render_overlay_bounds (const TsrMapLayout        *layout,
                               const TsrMapRenderOptions *o)
{
  TsrMapRect acc = { 0, 0, 0, 0 };
  TsrMapRect r;

  r = tsr_map_layout_hit_rect (layout, &o->selection);
  union_rect (&acc, &r);
  r = tsr_map_layout_hit_rect (layout, &o->hover);
  union_rect (&acc, &r);
  if (o->drop_theme != 0)
    {
      TsrMapHit hit = { TSR_MAP_HIT_THEME, o->drop_theme, 0, 0 };
      r = tsr_map_layout_hit_rect (layout, &hit);
      union_rect (&acc, &r);
    }
  if (o->drag.kind != TSR_MAP_HIT_NONE)
    {
      r = tsr_map_layout_hit_rect (layout, &o->drag);
      union_rect (&acc, &r);
      r = moved (r, o->drag_dx, o->drag_dy);
      union_rect (&acc, &r);
    }
  if (o->link_from != 0)
    {
      TsrMapHit hit = { TSR_MAP_HIT_THEME, o->link_from, 0, 0 };
      TsrMapRect p = { o->link_x - 12, o->link_y - 12, 24, 24 };

      r = tsr_map_layout_hit_rect (layout, &hit);
      union_rect (&acc, &r);
      union_rect (&acc, &p);
    }
  /* Outlines, arrowheads and shadows reach past the items. */
  if (acc.width > 0 || acc.height > 0)
    acc = grow (acc, 8);
  return acc;
}

/* What changes from frame to frame, drawn over a cached base: outlines
 * of the selected and hovered items, the drop target, a dragged item
 * (its place veiled) and a link being drawn. */
static void
render_overlay (TsrMapRenderer            *self,
                const TsrMapLayout        *layout,
                cairo_t                   *cr,
                const TsrMapRenderOptions *o,
                double                     device_width,
                double                     device_height)
{
  Ctx ctx = { self, layout, o, cr };
  double s = o->scale > 0 ? o->scale : 1.0;

  ctx.visible = (TsrMapRect) { o->origin_x, o->origin_y, device_width / s, device_height / s };
  ctx.simplified = s < TSR_MAP_SIMPLIFY_BELOW;
  init_colors (&ctx);

  cairo_save (cr);
  cairo_scale (cr, s, s);
  cairo_translate (cr, -o->origin_x, -o->origin_y);

  if (o->drop_theme != 0)
    {
      const TsrMapThemeBox *box = tsr_map_layout_find_theme (layout, o->drop_theme);

      if (box != NULL)
        {
          rounded_rect (cr, &box->rect, box->depth == 0 ? 14 : 10);
          set_rgb (cr, &accent, 0.14);
          cairo_fill_preserve (cr);
          set_rgb (cr, &accent, 1.0);
          cairo_set_line_width (cr, 2.5);
          cairo_stroke (cr);
        }
    }

  if (o->drag.kind == TSR_MAP_HIT_THEME)
    {
      const TsrMapThemeBox *drag_box = tsr_map_layout_find_theme (layout, o->drag.theme_id);
      guint c = 0;

      if (drag_box != NULL)
        {
          /* Veil its place, then draw it and all inside it where it goes. */
          rounded_rect (cr, &drag_box->rect, drag_box->depth == 0 ? 14 : 10);
          set_rgb (cr, &ctx.bg, 0.7);
          cairo_fill (cr);
          for (guint i = 0; i < tsr_map_layout_get_n_themes (layout); i++)
            {
              const TsrMapThemeBox *box = tsr_map_layout_get_theme (layout, i);
              gboolean dragged = tsr_map_layout_is_within (layout, box->id, drag_box->id);

              if (dragged)
                draw_theme (&ctx, box, o->drag_dx, o->drag_dy);
              for (; c < tsr_map_layout_get_n_chips (layout) &&
                     tsr_map_layout_get_chip (layout, c)->theme_id == box->id; c++)
                if (dragged)
                  draw_chip (&ctx, tsr_map_layout_get_chip (layout, c), o->drag_dx, o->drag_dy, 1.0);
            }
        }
    }
  else if (o->drag.kind == TSR_MAP_HIT_CHIP)
    {
      const TsrMapChip *chip = tsr_map_layout_find_chip (layout, o->drag.theme_id, o->drag.code_id);

      if (chip != NULL)
        {
          rounded_rect (cr, &chip->rect, chip->rect.height / 2);
          set_rgb (cr, &ctx.bg, 0.65);
          cairo_fill (cr);
          draw_chip (&ctx, chip, o->drag_dx, o->drag_dy, 0.9);
        }
    }

  /* Outlines of the hovered and the selected item. */
  for (guint pass = 0; pass < 2; pass++)
    {
      const TsrMapHit *hit = pass == 0 ? &o->hover : &o->selection;
      TsrMapRect r;
      double radius;

      if (hit->kind == TSR_MAP_HIT_NONE || (pass == 0 && tsr_map_hit_equal (&o->hover, &o->selection)))
        continue;
      r = tsr_map_layout_hit_rect (layout, hit);
      if (r.width <= 0 && r.height <= 0)
        continue;
      if (hit->kind == TSR_MAP_HIT_LINK)
        {
          const TsrMapArrow *arrow = tsr_map_layout_find_arrow (layout, hit->link_id);

          set_rgb (cr, &accent, pass == 0 ? 0.5 : 1.0);
          draw_arrow_line (cr, arrow->x1, arrow->y1, arrow->x2, arrow->y2, pass == 0 ? 1.6 : 2.5);
          if (arrow->label_rect.width > 0)
            {
              rounded_rect (cr, &arrow->label_rect, arrow->label_rect.height / 2);
              set_rgb (cr, &ctx.bg, 1.0);
              cairo_fill_preserve (cr);
              set_rgb (cr, &accent, 1.0);
              cairo_set_line_width (cr, pass == 0 ? 1 : 2);
              cairo_stroke (cr);
              set_rgb (cr, &ctx.fg, 0.9);
              draw_text (self, cr, arrow->label, TSR_MAP_TEXT_LINK, arrow->label_rect.x + 6,
                         arrow->label_rect.y + arrow->label_rect.height / 2);
            }
          continue;
        }
      if (hit->kind == TSR_MAP_HIT_CHIP)
        radius = r.height / 2;
      else
        radius = tsr_map_layout_find_theme (layout, hit->theme_id)->depth == 0 ? 14 : 10;
      draw_outline (&ctx, &r, radius, pass == 1);
    }

  if (o->link_from != 0)
    {
      const TsrMapThemeBox *from = tsr_map_layout_find_theme (layout, o->link_from);

      if (from != NULL)
        {
          static const double dash[] = { 6, 4 };

          set_rgb (cr, &accent, 1.0);
          cairo_set_dash (cr, dash, 2, 0);
          draw_arrow_line (cr, from->rect.x + from->rect.width / 2, from->rect.y + from->rect.height / 2,
                           o->link_x, o->link_y, 2);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }

  cairo_restore (cr);
}

/**
 * tsr_map_render_options_init:
 *
 * Fills @options for a plain drawing at 100 %, light, nothing selected.
 */
void
tsr_map_render_options_init (TsrMapRenderOptions *options)
{
  *options = (TsrMapRenderOptions) { 0 };
  options->scale = 1.0;
  options->background = TRUE;
}

/**
 * tsr_map_render:
 * @layout: a layout measured with @renderer
 * @device_width: the size of the area drawn on, in @cr's units
 *
 * Draws the part of the map that falls on the area; items outside it are
 * skipped.
 */
void
tsr_map_render (TsrMapRenderer            *self,
                const TsrMapLayout        *layout,
                cairo_t                   *cr,
                const TsrMapRenderOptions *o,
                double                     device_width,
                double                     device_height)
{
  Ctx ctx = { self, layout, o, cr };
  const TsrMapThemeBox *drag_box = NULL;
  double s = o->scale > 0 ? o->scale : 1.0;
  guint c = 0;
  TsrMapRenderOptions base;

  if (o->layer == TSR_MAP_LAYER_OVERLAY)
    {
      render_overlay (self, layout, cr, o, device_width, device_height);
      return;
    }
  if (o->layer == TSR_MAP_LAYER_BASE)
    {
      /* The same drawing with nothing transient in it. */
      base = *o;
      base.selection.kind = TSR_MAP_HIT_NONE;
      base.hover.kind = TSR_MAP_HIT_NONE;
      base.drag.kind = TSR_MAP_HIT_NONE;
      base.drop_theme = 0;
      base.link_from = 0;
      base.layer = TSR_MAP_LAYER_ALL;
      o = &base;
      ctx.o = o;
    }

  ctx.visible = (TsrMapRect) { o->origin_x, o->origin_y, device_width / s, device_height / s };
  ctx.simplified = s < TSR_MAP_SIMPLIFY_BELOW;
  init_colors (&ctx);

  cairo_save (cr);

  if (o->background)
    {
      if (o->dark)
        cairo_set_source_rgb (cr, 0x1e / 255.0, 0x1e / 255.0, 0x1e / 255.0);
      else
        cairo_set_source_rgb (cr, 0xfa / 255.0, 0xfa / 255.0, 0xfb / 255.0);
      cairo_rectangle (cr, 0, 0, device_width, device_height);
      cairo_fill (cr);
    }

  cairo_scale (cr, s, s);
  cairo_translate (cr, -o->origin_x, -o->origin_y);

  if (o->grid && s >= 0.3)
    {
      /* A dot every 24 units, fixed to the world so it pans with it. */
      double step = 24;
      double x0 = floor (ctx.visible.x / step) * step;
      double y0 = floor (ctx.visible.y / step) * step;

      set_rgb (cr, &ctx.fg, 0.12);
      for (double y = y0; y < ctx.visible.y + ctx.visible.height; y += step)
        for (double x = x0; x < ctx.visible.x + ctx.visible.width; x += step)
          cairo_rectangle (cr, x - 0.75, y - 0.75, 1.5, 1.5);
      cairo_fill (cr);
    }

  if (o->drag.kind == TSR_MAP_HIT_THEME)
    drag_box = tsr_map_layout_find_theme (layout, o->drag.theme_id);

  for (guint i = 0; i < tsr_map_layout_get_n_themes (layout); i++)
    {
      const TsrMapThemeBox *box = tsr_map_layout_get_theme (layout, i);
      gboolean dragged = drag_box != NULL && tsr_map_layout_is_within (layout, box->id, drag_box->id);

      if (!dragged && is_visible (&ctx, &box->rect))
        draw_theme (&ctx, box, 0, 0);

      for (; c < tsr_map_layout_get_n_chips (layout) &&
             tsr_map_layout_get_chip (layout, c)->theme_id == box->id; c++)
        {
          const TsrMapChip *chip = tsr_map_layout_get_chip (layout, c);
          TsrMapHit hit = { TSR_MAP_HIT_CHIP, chip->theme_id, chip->code_id, 0 };
          gboolean chip_dragged = tsr_map_hit_equal (&o->drag, &hit);

          if (!dragged && is_visible (&ctx, &chip->rect))
            draw_chip (&ctx, chip, 0, 0, chip_dragged ? 0.35 : 1.0);
        }
    }

  for (guint i = 0; i < tsr_map_layout_get_n_arrows (layout); i++)
    {
      const TsrMapArrow *arrow = tsr_map_layout_get_arrow (layout, i);
      TsrMapRect line = { MIN (arrow->x1, arrow->x2), MIN (arrow->y1, arrow->y2),
                          fabs (arrow->x2 - arrow->x1) + 1, fabs (arrow->y2 - arrow->y1) + 1 };

      if (is_visible (&ctx, &line) || (arrow->label_rect.width > 0 && is_visible (&ctx, &arrow->label_rect)))
        draw_link (&ctx, arrow);
    }

  /* What is being dragged goes on top of everything. */
  if (drag_box != NULL)
    {
      c = 0;
      for (guint i = 0; i < tsr_map_layout_get_n_themes (layout); i++)
        {
          const TsrMapThemeBox *box = tsr_map_layout_get_theme (layout, i);
          gboolean dragged = tsr_map_layout_is_within (layout, box->id, drag_box->id);

          if (dragged)
            draw_theme (&ctx, box, o->drag_dx, o->drag_dy);
          for (; c < tsr_map_layout_get_n_chips (layout) &&
                 tsr_map_layout_get_chip (layout, c)->theme_id == box->id; c++)
            if (dragged)
              draw_chip (&ctx, tsr_map_layout_get_chip (layout, c), o->drag_dx, o->drag_dy, 1.0);
        }
    }
  else if (o->drag.kind == TSR_MAP_HIT_CHIP)
    {
      const TsrMapChip *chip = tsr_map_layout_find_chip (layout, o->drag.theme_id, o->drag.code_id);

      if (chip != NULL)
        draw_chip (&ctx, chip, o->drag_dx, o->drag_dy, 0.9);
    }

  if (o->link_from != 0)
    {
      const TsrMapThemeBox *from = tsr_map_layout_find_theme (layout, o->link_from);

      if (from != NULL)
        {
          static const double dash[] = { 6, 4 };

          set_rgb (cr, &accent, 1.0);
          cairo_set_dash (cr, dash, 2, 0);
          draw_arrow_line (cr, from->rect.x + from->rect.width / 2, from->rect.y + from->rect.height / 2,
                           o->link_x, o->link_y, 2);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }

  cairo_restore (cr);
}

/* Exports ------------------------------------------------------------ */

/**
 * tsr_map_export_format_for_path:
 *
 * Returns: whether @path ends in .png, .svg or .pdf, and which
 */
gboolean
tsr_map_export_format_for_path (const char         *path,
                                TsrMapExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path ? path : "", -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = TSR_MAP_EXPORT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = TSR_MAP_EXPORT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = TSR_MAP_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

/* Cairo writes a PDF, an SVG or a PNG through a callback: into the
 * stream tsr_export_save_file () gives, remembering the first error. */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} MapSink;

static cairo_status_t
map_sink_write_cb (void                *closure,
                   const unsigned char *data,
                   unsigned int         length)
{
  MapSink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* A write error is the stream's own (a full disk says so); any other
 * failure is cairo's. */
static gboolean
check_surface (cairo_surface_t  *surface,
               MapSink          *sink,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (sink->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return FALSE;
    }
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
               _("The map could not be drawn: %s"), cairo_status_to_string (status));
  return FALSE;
}

typedef struct
{
  TsrMapRenderer     *renderer;
  const TsrMapLayout *layout;
  TsrMapExportFormat  format;
} MapExport;

static gboolean
write_map_cb (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  MapExport *data = user_data;
  TsrMapRect bounds = tsr_map_layout_get_bounds (data->layout);
  MapSink sink = { stream, cancellable, NULL };
  TsrMapRenderOptions options;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale = data->format == TSR_MAP_EXPORT_PNG ? EXPORT_PNG_SCALE : 1.0;
  gboolean ok;

  width = ceil (bounds.width + 2 * EXPORT_MARGIN);
  height = ceil (bounds.height + 2 * EXPORT_MARGIN);

  switch (data->format)
    {
    case TSR_MAP_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (map_sink_write_cb, &sink, width, height);
      break;
    case TSR_MAP_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (map_sink_write_cb, &sink, width, height);
      break;
    case TSR_MAP_EXPORT_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * scale), (int) (height * scale));
      break;
    }
  if (!check_surface (surface, &sink, error))
    {
      cairo_surface_destroy (surface);
      return FALSE;
    }

  tsr_map_render_options_init (&options);
  options.scale = scale;
  options.origin_x = bounds.x - EXPORT_MARGIN;
  options.origin_y = bounds.y - EXPORT_MARGIN;
  options.selection.kind = TSR_MAP_HIT_NONE;

  cr = cairo_create (surface);
  /* White, not the canvas grey: the page of a report. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  options.background = FALSE;
  tsr_map_render (data->renderer, data->layout, cr, &options, width * scale, height * scale);
  cairo_destroy (cr);

  if (data->format == TSR_MAP_EXPORT_PNG)
    cairo_surface_write_to_png_stream (surface, map_sink_write_cb, &sink);

  cairo_surface_finish (surface);
  ok = check_surface (surface, &sink, error);
  cairo_surface_destroy (surface);
  g_clear_error (&sink.error);
  return ok;
}

/**
 * tsr_map_export:
 * @layout: a layout measured with @renderer
 * @path: the file to write
 *
 * Writes the whole map, as the canvas draws it at 100 % (PNG at twice
 * that for sharp print), on a white page with a margin.  The file is
 * written whole or not at all (tsr_export_save_file ()).
 */
gboolean
tsr_map_export (TsrMapRenderer      *renderer,
                const TsrMapLayout  *layout,
                TsrMapExportFormat   format,
                const char          *path,
                GError             **error)
{
  TsrMapRect bounds;
  MapExport data = { renderer, layout, format };
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (renderer != NULL, FALSE);
  g_return_val_if_fail (layout != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bounds = tsr_map_layout_get_bounds (layout);
  if (bounds.width <= 0 || bounds.height <= 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The map is empty: there are no themes to export"));
      return FALSE;
    }

  file = g_file_new_for_path (path);
  return tsr_export_save_file (file, write_map_cb, &data, NULL, error);
}
