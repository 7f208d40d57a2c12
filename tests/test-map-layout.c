/* test-map-layout.c — the theme map's geometry, hit-testing and exports
 *
 * Layouts are measured with tsr_map_measure_simple() (a fixed advance per
 * character), so every position below is worked out by hand from the
 * sizes in tsr-map-layout.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <cairo.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"

#define assert_rect(r, ex, ey, ew, eh)                 \
  G_STMT_START {                                       \
    g_assert_cmpfloat_with_epsilon ((r).x, (ex), 1e-6);      \
    g_assert_cmpfloat_with_epsilon ((r).y, (ey), 1e-6);      \
    g_assert_cmpfloat_with_epsilon ((r).width, (ew), 1e-6);  \
    g_assert_cmpfloat_with_epsilon ((r).height, (eh), 1e-6); \
  } G_STMT_END

/* Alpha (1) holds "one", "two", "three"; Beta (2) holds nothing but its
 * sub-theme Gamma (3), which holds "x".  A link "leads to" goes from
 * Alpha to Beta. */
static TsrMapModel *
make_model (void)
{
  TsrMapModel *model = tsr_map_model_new ();

  tsr_map_model_add_theme (model, 1, 0, "Alpha", TSR_THEME_CANDIDATE, 3);
  tsr_map_model_add_theme_code (model, 1, 11, "one", "#3584e4");
  tsr_map_model_add_theme_code (model, 1, 12, "two", "#33d17a");
  tsr_map_model_add_theme_code (model, 1, 13, "three", "#e01b24");
  tsr_map_model_add_theme (model, 2, 0, "Beta", TSR_THEME_FINAL, 7);
  tsr_map_model_add_theme (model, 3, 2, "Gamma", TSR_THEME_REVIEWED, 0);
  tsr_map_model_add_theme_code (model, 3, 14, "x", "#f6d32d");
  tsr_map_model_add_link (model, 1, 1, 2, "leads to");
  return model;
}

static void
test_layout_boxes (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = tsr_map_layout_compute (model, NULL, NULL);
  const TsrMapThemeBox *a, *b, *c;

  g_assert_cmpuint (tsr_map_layout_get_n_themes (layout), ==, 3);
  g_assert_cmpuint (tsr_map_layout_get_n_chips (layout), ==, 4);

  /* Parents come before their sub-themes. */
  g_assert_cmpint (tsr_map_layout_get_theme (layout, 0)->id, ==, 1);
  g_assert_cmpint (tsr_map_layout_get_theme (layout, 1)->id, ==, 2);
  g_assert_cmpint (tsr_map_layout_get_theme (layout, 2)->id, ==, 3);

  /* Alpha: title 5 × 8.5 = 42.5, badge "n = 3" 5 × 6.5 + 14 = 46.5; chips
   * 34 + 7 a character: 55, 55, 69; three chips ask for a row of
   * 3 × (55 + 6 + 55 + 6 + 69 + 6) / 3 = 197 inside 12 of padding. */
  a = tsr_map_layout_find_theme (layout, 1);
  assert_rect (a->rect, 40, 40, 221, 78);
  assert_rect (a->badge, 202.5, 51, 46.5, 18);
  assert_rect (a->title, 52, 49, 42.5, 22);
  g_assert_cmpstr (a->badge_text, ==, "n = 3");
  g_assert_true (a->placed);
  g_assert_cmpuint (a->depth, ==, 0);
  g_assert_cmpuint (a->n_codes, ==, 3);
  assert_rect (tsr_map_layout_find_chip (layout, 1, 11)->rect, 52, 80, 55, 26);
  assert_rect (tsr_map_layout_find_chip (layout, 1, 12)->rect, 113, 80, 55, 26);
  assert_rect (tsr_map_layout_find_chip (layout, 1, 13)->rect, 174, 80, 69, 26);

  /* Gamma is 200 wide (the minimum), 40 + 26 + 12 high; Beta wraps it
   * with its padding, right of Alpha after a gap of 48. */
  b = tsr_map_layout_find_theme (layout, 2);
  c = tsr_map_layout_find_theme (layout, 3);
  assert_rect (b->rect, 309, 40, 224, 130);
  assert_rect (c->rect, 321, 80, 200, 78);
  g_assert_cmpint (c->parent_id, ==, 2);
  g_assert_cmpuint (c->depth, ==, 1);
  g_assert_cmpuint (c->top_index, ==, 1);
  g_assert_false (c->placed);
  assert_rect (tsr_map_layout_find_chip (layout, 3, 14)->rect, 333, 120, 41, 26);

  assert_rect (tsr_map_layout_get_bounds (layout), 40, 40, 493, 130);
  g_assert_true (tsr_map_layout_is_within (layout, 3, 2));
  g_assert_true (tsr_map_layout_is_within (layout, 2, 2));
  g_assert_false (tsr_map_layout_is_within (layout, 2, 3));
  g_assert_false (tsr_map_layout_is_within (layout, 1, 2));
}

static void
test_layout_empty_theme (void)
{
  g_autoptr(TsrMapModel) model = tsr_map_model_new ();
  g_autoptr(TsrMapLayout) layout = NULL;
  g_autoptr(TsrMapLayout) empty = NULL;

  /* Room to drop codes into: the header, a 40-high hole, padding. */
  tsr_map_model_add_theme (model, 5, 0, "New theme", TSR_THEME_CANDIDATE, 0);
  layout = tsr_map_layout_compute (model, NULL, NULL);
  assert_rect (tsr_map_layout_find_theme (layout, 5)->rect, 40, 40, 200, 92);

  {
    g_autoptr(TsrMapModel) nothing = tsr_map_model_new ();

    empty = tsr_map_layout_compute (nothing, NULL, NULL);
    assert_rect (tsr_map_layout_get_bounds (empty), 0, 0, 0, 0);
    g_assert_cmpuint (tsr_map_layout_get_n_themes (empty), ==, 0);
  }
}

static void
test_layout_saved_positions (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = NULL;

  /* A saved position is kept; the unsaved theme takes the first free
   * place from the origin. */
  tsr_map_model_set_position (model, 1, 500, 500);
  layout = tsr_map_layout_compute (model, NULL, NULL);
  assert_rect (tsr_map_layout_find_theme (layout, 1)->rect, 500, 500, 221, 78);
  g_assert_false (tsr_map_layout_find_theme (layout, 1)->placed);
  assert_rect (tsr_map_layout_find_theme (layout, 2)->rect, 40, 40, 224, 130);
  assert_rect (tsr_map_layout_find_theme (layout, 3)->rect, 52, 80, 200, 78);
  g_clear_pointer (&layout, tsr_map_layout_free);

  /* Alpha saved where Beta would go: Beta steps past it, keeping the gap
   * (Alpha's right edge 281, + 48). */
  tsr_map_model_set_position (model, 1, 60, 40);
  layout = tsr_map_layout_compute (model, NULL, NULL);
  assert_rect (tsr_map_layout_find_theme (layout, 2)->rect, 329, 40, 224, 130);

  /* No two top-level boxes overlap. */
  g_assert_false (tsr_map_rect_intersects (&tsr_map_layout_find_theme (layout, 1)->rect,
                                           &tsr_map_layout_find_theme (layout, 2)->rect));
}

static void
test_layout_many_themes_no_overlap (void)
{
  g_autoptr(TsrMapModel) model = tsr_map_model_new ();
  g_autoptr(TsrMapLayout) layout = NULL;

  /* 50 themes of 10 codes, one saved in the middle of where the rows go. */
  for (guint t = 1; t <= 50; t++)
    {
      g_autofree char *name = g_strdup_printf ("Theme %u", t);

      tsr_map_model_add_theme (model, t, 0, name, TSR_THEME_CANDIDATE, t);
      for (guint c = 0; c < 10; c++)
        {
          g_autofree char *code = g_strdup_printf ("Code %u of theme %u", c, t);
          tsr_map_model_add_theme_code (model, t, 1000 * t + c, code, "#3584e4");
        }
    }
  tsr_map_model_set_position (model, 25, 300, 120);
  layout = tsr_map_layout_compute (model, NULL, NULL);

  for (guint i = 0; i < 50; i++)
    for (guint j = i + 1; j < 50; j++)
      {
        const TsrMapThemeBox *a = tsr_map_layout_get_theme (layout, i);
        const TsrMapThemeBox *b = tsr_map_layout_get_theme (layout, j);
        TsrMapRect ga = { a->rect.x - 23, a->rect.y - 23, a->rect.width + 46, a->rect.height + 46 };

        /* Apart by (nearly) the whole gap, not just not overlapping. */
        g_assert_false (tsr_map_rect_intersects (&ga, &b->rect));
      }
  g_assert_cmpuint (tsr_map_layout_get_n_chips (layout), ==, 500);
}

static void
test_layout_arrows (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = NULL;
  const TsrMapArrow *arrow;

  /* A link to a theme that is not on the map is left out. */
  tsr_map_model_add_link (model, 2, 1, 99, "gone");
  layout = tsr_map_layout_compute (model, NULL, NULL);
  g_assert_cmpuint (tsr_map_layout_get_n_arrows (layout), ==, 1);
  arrow = tsr_map_layout_find_arrow (layout, 1);
  g_assert_nonnull (arrow);
  g_assert_null (tsr_map_layout_find_arrow (layout, 2));

  /* From Alpha's right edge (centre 150.5, 79) to Beta's left edge
   * (centre 421, 105): the line leaves through the sides. */
  g_assert_cmpfloat_with_epsilon (arrow->x1, 261, 1e-9);
  g_assert_cmpfloat_with_epsilon (arrow->y1, 79 + 26 * 110.5 / 270.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (arrow->x2, 309, 1e-9);
  g_assert_cmpfloat_with_epsilon (arrow->y2, 105 - 26 * 112 / 270.5, 1e-9);
  /* "leads to": 8 × 6.5 + 12 wide, 18 high, centred on the line. */
  g_assert_cmpfloat_with_epsilon (arrow->label_rect.width, 64, 1e-9);
  g_assert_cmpfloat_with_epsilon (arrow->label_rect.x, 285 - 32, 1e-9);
  g_assert_cmpfloat_with_epsilon (arrow->label_rect.y + 9, (arrow->y1 + arrow->y2) / 2, 1e-9);
}

static void
test_hit (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = NULL;
  TsrMapHit hit;

  tsr_map_model_add_link (model, 5, 3, 1, "");
  layout = tsr_map_layout_compute (model, NULL, NULL);

  hit = tsr_map_layout_hit (layout, 60, 90, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_CHIP);
  g_assert_cmpint (hit.theme_id, ==, 1);
  g_assert_cmpint (hit.code_id, ==, 11);

  hit = tsr_map_layout_hit (layout, 45, 45, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_THEME);
  g_assert_cmpint (hit.theme_id, ==, 1);

  /* The innermost theme wins. */
  hit = tsr_map_layout_hit (layout, 480, 150, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_THEME);
  g_assert_cmpint (hit.theme_id, ==, 3);
  hit = tsr_map_layout_hit (layout, 315, 60, 4);
  g_assert_cmpint (hit.theme_id, ==, 2);

  /* The label of the link between Alpha and Beta. */
  hit = tsr_map_layout_hit (layout, 285, 92, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_LINK);
  g_assert_cmpint (hit.link_id, ==, 1);

  hit = tsr_map_layout_hit (layout, 5, 5, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_NONE);
  hit = tsr_map_layout_hit (layout, 270, 200, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_NONE);

  /* Looking through a dragged theme and its sub-themes. */
  g_assert_cmpint (tsr_map_layout_theme_at (layout, 330, 90, 0), ==, 3);
  g_assert_cmpint (tsr_map_layout_theme_at (layout, 330, 90, 3), ==, 2);
  g_assert_cmpint (tsr_map_layout_theme_at (layout, 330, 90, 2), ==, 0);
}

static void
test_hit_link_line (void)
{
  g_autoptr(TsrMapModel) model = tsr_map_model_new ();
  g_autoptr(TsrMapLayout) layout = NULL;
  TsrMapHit hit;

  /* Two empty themes side by side, linked without a label. */
  tsr_map_model_add_theme (model, 1, 0, "A", TSR_THEME_CANDIDATE, 0);
  tsr_map_model_add_theme (model, 2, 0, "B", TSR_THEME_CANDIDATE, 0);
  tsr_map_model_add_link (model, 7, 2, 1, NULL);
  layout = tsr_map_layout_compute (model, NULL, NULL);

  /* A at (40, 40, 200, 92), B at (288, 40): a level line at y = 86. */
  g_assert_cmpfloat (tsr_map_layout_get_arrow (layout, 0)->x1, ==, 288);
  g_assert_cmpfloat (tsr_map_layout_get_arrow (layout, 0)->x2, ==, 240);
  g_assert_cmpfloat (tsr_map_layout_get_arrow (layout, 0)->label_rect.width, ==, 0);
  hit = tsr_map_layout_hit (layout, 264, 89, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_LINK);
  g_assert_cmpint (hit.link_id, ==, 7);
  hit = tsr_map_layout_hit (layout, 264, 91, 4);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_NONE);
}

static void
test_nesting_rules (void)
{
  g_autoptr(TsrMapModel) model = make_model ();

  g_assert_false (tsr_map_model_can_nest (model, 2, 3));   /* into its own sub-theme */
  g_assert_false (tsr_map_model_can_nest (model, 2, 2));   /* into itself */
  g_assert_true (tsr_map_model_can_nest (model, 3, 1));
  g_assert_true (tsr_map_model_can_nest (model, 1, 3));
  g_assert_true (tsr_map_model_can_nest (model, 3, 0));
  g_assert_false (tsr_map_model_can_nest (model, 99, 1));  /* no such theme */
  g_assert_false (tsr_map_model_can_nest (model, 1, 99));

  /* Deeper: 4 under 3 under 2; 2 cannot go under 4. */
  tsr_map_model_add_theme (model, 4, 3, "Delta", TSR_THEME_CANDIDATE, 0);
  g_assert_false (tsr_map_model_can_nest (model, 2, 4));
  g_assert_true (tsr_map_model_can_nest (model, 4, 1));
}

static void
test_focus_order (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = tsr_map_layout_compute (model, NULL, NULL);
  g_autoptr(GArray) order = tsr_map_layout_focus_order (layout);
  const TsrMapHit expected[] = {
    { TSR_MAP_HIT_THEME, 1, 0, 0 },
    { TSR_MAP_HIT_CHIP, 1, 11, 0 },
    { TSR_MAP_HIT_CHIP, 1, 12, 0 },
    { TSR_MAP_HIT_CHIP, 1, 13, 0 },
    { TSR_MAP_HIT_THEME, 2, 0, 0 },
    { TSR_MAP_HIT_THEME, 3, 0, 0 },
    { TSR_MAP_HIT_CHIP, 3, 14, 0 },
    { TSR_MAP_HIT_LINK, 0, 0, 1 },
  };
  TsrMapHit none = { TSR_MAP_HIT_NONE, 0, 0, 0 };
  TsrMapHit hit;

  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < order->len; i++)
    g_assert_true (tsr_map_hit_equal (&g_array_index (order, TsrMapHit, i), &expected[i]));

  hit = tsr_map_layout_step_focus (layout, &expected[0], 1);
  g_assert_true (tsr_map_hit_equal (&hit, &expected[1]));
  hit = tsr_map_layout_step_focus (layout, &expected[7], 1);
  g_assert_true (tsr_map_hit_equal (&hit, &expected[0]));
  hit = tsr_map_layout_step_focus (layout, &expected[0], -1);
  g_assert_true (tsr_map_hit_equal (&hit, &expected[7]));
  hit = tsr_map_layout_step_focus (layout, &none, 1);
  g_assert_true (tsr_map_hit_equal (&hit, &expected[0]));
  hit = tsr_map_layout_step_focus (layout, &none, -1);
  g_assert_true (tsr_map_hit_equal (&hit, &expected[7]));
}

static void
test_neighbour (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = tsr_map_layout_compute (model, NULL, NULL);
  TsrMapHit alpha = { TSR_MAP_HIT_THEME, 1, 0, 0 };
  TsrMapHit three = { TSR_MAP_HIT_CHIP, 1, 13, 0 };
  TsrMapHit one = { TSR_MAP_HIT_CHIP, 1, 11, 0 };
  TsrMapHit hit;

  /* Right of Alpha's centre (150.5, 79), "three" (208.5, 93) is nearest:
   * 58 along, 14 across. */
  hit = tsr_map_layout_neighbour (layout, &alpha, 1, 0);
  g_assert_true (tsr_map_hit_equal (&hit, &three));
  /* Right of "three", the link's label (285, 91.9) beats the chip "x". */
  hit = tsr_map_layout_neighbour (layout, &three, 1, 0);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_LINK);
  /* Nothing left of "one" but Alpha itself, whose centre is to its right:
   * the selection stays. */
  hit = tsr_map_layout_neighbour (layout, &one, -1, 0);
  g_assert_true (tsr_map_hit_equal (&hit, &one));
  /* Up from "x" (353.5, 133): Gamma's centre (421, 119). */
  {
    TsrMapHit x = { TSR_MAP_HIT_CHIP, 3, 14, 0 };

    hit = tsr_map_layout_neighbour (layout, &x, 0, -1);
    g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_THEME);
    g_assert_cmpint (hit.theme_id, ==, 3);
  }
}

static void
test_free_spot (void)
{
  g_autoptr(TsrMapModel) model = make_model ();
  g_autoptr(TsrMapLayout) layout = tsr_map_layout_compute (model, NULL, NULL);
  double x, y;

  /* A free place is taken as it is. */
  tsr_map_layout_free_spot (layout, 100, 50, 40, 400, &x, &y);
  g_assert_cmpfloat (x, ==, 40);
  g_assert_cmpfloat (y, ==, 400);

  /* On top of Alpha: moved to the nearest place clear of every box. */
  tsr_map_layout_free_spot (layout, 100, 50, 60, 60, &x, &y);
  for (guint i = 0; i < tsr_map_layout_get_n_themes (layout); i++)
    {
      TsrMapRect r = { x, y, 100, 50 };
      TsrMapRect o = tsr_map_layout_get_theme (layout, i)->rect;

      o.x -= 24; o.y -= 24; o.width += 48; o.height += 48;
      g_assert_false (tsr_map_rect_intersects (&r, &o));
    }
  /* Straight up is nearest: four 24-unit steps clear Alpha's top with
   * its gap (60 - 96 + 50 = 14 < 40 - 24); straight down would take as
   * many, and up is tried first. */
  g_assert_cmpfloat (x, ==, 60);
  g_assert_cmpfloat (y, ==, -36);
}

/* Exports ------------------------------------------------------------ */

static TsrMapLayout *
make_rendered_layout (TsrMapRenderer *renderer)
{
  g_autoptr(TsrMapModel) model = make_model ();

  return tsr_map_layout_compute (model, tsr_map_renderer_measure, renderer);
}

static void
test_renderer_measure (void)
{
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  double short_w = tsr_map_renderer_measure ("one", TSR_MAP_TEXT_CHIP, renderer);
  double long_w = tsr_map_renderer_measure ("one two three four five six seven eight nine ten eleven",
                                            TSR_MAP_TEXT_CHIP, renderer);

  g_assert_cmpfloat (short_w, >, 5);
  g_assert_cmpfloat (short_w, <, 60);
  /* Long names are cut at the chip's widest text. */
  g_assert_cmpfloat (long_w, ==, TSR_MAP_CHIP_MAX_TEXT);
  /* Bold titles are wider than chip text of the same words. */
  g_assert_cmpfloat (tsr_map_renderer_measure ("one", TSR_MAP_TEXT_TITLE, renderer), >, short_w);
}

static void
test_export_png (void)
{
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  g_autoptr(TsrMapLayout) layout = make_rendered_layout (renderer);
  g_autofree char *dir = g_dir_make_tmp ("tsr-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "map.png", NULL);
  g_autoptr(GError) error = NULL;
  TsrMapRect bounds = tsr_map_layout_get_bounds (layout);
  cairo_surface_t *image;
  unsigned char *data;
  int stride;
  guint32 corner;
  gboolean coloured = FALSE;

  g_assert_true (tsr_map_export (renderer, layout, TSR_MAP_EXPORT_PNG, path, &error));
  g_assert_no_error (error);

  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  /* The map's bounds with a 24-unit margin, at twice the size. */
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 2 * (int) ceil (bounds.width + 48));
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 2 * (int) ceil (bounds.height + 48));

  /* White paper in the corner; the first theme's blue somewhere. */
  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  corner = *(guint32 *) data;
  g_assert_cmphex (corner & 0xffffff, ==, 0xffffff);
  for (int y = 0; y < cairo_image_surface_get_height (image) && !coloured; y++)
    for (int x = 0; x < cairo_image_surface_get_width (image) && !coloured; x++)
      {
        guint32 px = *(guint32 *) (data + y * stride + 4 * x);
        coloured = (px & 0xffffff) == 0x3584e4;
      }
  g_assert_true (coloured);
  cairo_surface_destroy (image);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_svg (void)
{
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  g_autoptr(TsrMapLayout) layout = make_rendered_layout (renderer);
  g_autofree char *dir = g_dir_make_tmp ("tsr-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "map.svg", NULL);
  g_autoptr(GError) error = NULL;
  TsrMapRect bounds = tsr_map_layout_get_bounds (layout);
  g_autofree char *expected_width = g_strdup_printf ("%d", (int) ceil (bounds.width + 48));
  xmlDocPtr doc;
  xmlNodePtr root;
  xmlChar *width;

  g_assert_true (tsr_map_export (renderer, layout, TSR_MAP_EXPORT_SVG, path, &error));
  g_assert_no_error (error);

  doc = xmlReadFile (path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->name, ==, "svg");
  width = xmlGetProp (root, (const xmlChar *) "width");
  g_assert_true (g_str_has_prefix ((const char *) width, expected_width));
  xmlFree (width);
  xmlFreeDoc (doc);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_pdf (void)
{
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  g_autoptr(TsrMapLayout) layout = make_rendered_layout (renderer);
  g_autofree char *dir = g_dir_make_tmp ("tsr-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "map.pdf", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_assert_true (tsr_map_export (renderer, layout, TSR_MAP_EXPORT_PDF, path, &error));
  g_assert_no_error (error);

  if (pdftotext == NULL)
    {
      g_unlink (path);
      g_rmdir (dir);
      g_test_skip ("pdftotext is not installed");
      return;
    }

  {
    const char *argv[] = { pdftotext, path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (out, "Alpha"));
  g_assert_nonnull (strstr (out, "Beta"));
  g_assert_nonnull (strstr (out, "Gamma"));
  g_assert_nonnull (strstr (out, "three"));
  g_assert_nonnull (strstr (out, "leads to"));
  /* pdftotext drops the thin spaces of the badges. */
  {
    g_autoptr(GString) squeezed = g_string_new (NULL);

    for (const char *c = out; *c; c++)
      if (*c != ' ')
        g_string_append_c (squeezed, *c);
    g_assert_nonnull (strstr (squeezed->str, "n=7"));
    g_assert_nonnull (strstr (squeezed->str, "n=3"));
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_errors (void)
{
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  g_autoptr(TsrMapLayout) layout = make_rendered_layout (renderer);
  g_autoptr(TsrMapModel) nothing = tsr_map_model_new ();
  g_autoptr(TsrMapLayout) empty = tsr_map_layout_compute (nothing, tsr_map_renderer_measure, renderer);
  g_autoptr(GError) error = NULL;
  TsrMapExportFormat format;

  g_assert_false (tsr_map_export (renderer, empty, TSR_MAP_EXPORT_PNG, "/tmp/never.png", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  for (TsrMapExportFormat f = TSR_MAP_EXPORT_PNG; f <= TSR_MAP_EXPORT_PDF; f++)
    {
      g_assert_false (tsr_map_export (renderer, layout, f, "/nonexistent-folder/map.out", &error));
      g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, "“map.out”"));
      g_assert_nonnull (strstr (error->message, "“/nonexistent-folder” does not exist"));
      g_clear_error (&error);
    }

  g_assert_true (tsr_map_export_format_for_path ("a/Map.SVG", &format));
  g_assert_cmpint (format, ==, TSR_MAP_EXPORT_SVG);
  g_assert_true (tsr_map_export_format_for_path ("map.pdf", &format));
  g_assert_cmpint (format, ==, TSR_MAP_EXPORT_PDF);
  g_assert_true (tsr_map_export_format_for_path ("map.png", &format));
  g_assert_cmpint (format, ==, TSR_MAP_EXPORT_PNG);
  g_assert_false (tsr_map_export_format_for_path ("map.jpg", &format));
}

/* A disk that takes no more than 1 KiB (the file size limit, in a child
 * process): each format fails half way, leaving nothing under the target
 * name, and an older map of that name is kept. */
static void
export_with_small_limit (void)
{
  const char *dir = g_getenv ("TSR_TEST_MAP_DIR");
  g_autoptr(TsrMapRenderer) renderer = tsr_map_renderer_new (NULL);
  g_autoptr(TsrMapLayout) layout = make_rendered_layout (renderer);
  struct rlimit limit = { 1024, 1024 };
  static const char * const names[] = { "map.png", "map.svg", "map.pdf" };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  for (TsrMapExportFormat f = TSR_MAP_EXPORT_PNG; f <= TSR_MAP_EXPORT_PDF; f++)
    {
      g_autofree char *path = g_build_filename (dir, names[f], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (tsr_map_export (renderer, layout, f, path, &error));
      g_assert_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE);
      fprintf (stderr, "%s\n", error->message);
    }
}

static void
test_export_fails_whole (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *old = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) listing = NULL;
  guint n = 0;

  if (g_test_subprocess ())
    {
      export_with_small_limit ();
      return;
    }

  dir = g_dir_make_tmp ("tsr-map-XXXXXX", NULL);
  old = g_build_filename (dir, "map.svg", NULL);
  g_assert_true (g_file_set_contents (old, "<svg/>", -1, NULL));
  g_setenv ("TSR_TEST_MAP_DIR", dir, TRUE);
  tsr_test_trap_subprocess (0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not save “map.png”: the file is larger than this system allows*"
                             "Could not save “map.svg”: *Could not save “map.pdf”: *");
  g_unsetenv ("TSR_TEST_MAP_DIR");

  g_assert_true (g_file_get_contents (old, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "<svg/>");
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1);
  g_unlink (old);
  g_rmdir (dir);
}

/* The model read from a project ------------------------------------- */

static void
test_model_from_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-map-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "p.tessera", NULL);
  g_autoptr(TsrProject) p = tsr_project_create (path, NULL);
  g_autoptr(TsrScope) scope = NULL;
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(TsrMapModel) model = NULL;
  g_autoptr(TsrMapLayout) layout = NULL;
  g_autoptr(TsrCoder) coder = tsr_project_ensure_coder (p, "Ann", NULL);
  gint64 d1, d2, c1, c2, t1, t2;

  tsr_project_set_current_coder (p, tsr_entity_get_id (TSR_ENTITY (coder)), NULL);
  d1 = tsr_project_add_document (p, "D1", "Some words here.", "", NULL);
  d2 = tsr_project_add_document (p, "D2", "Other words there.", "", NULL);
  c1 = tsr_project_create_code (p, 0, "Hope", "#3584e4", "", NULL);
  c2 = tsr_project_create_code (p, 0, "Fear", "#e01b24", "", NULL);
  tsr_project_add_segment (p, d1, c1, 0, 4, NULL);
  tsr_project_add_segment (p, d2, c1, 0, 5, NULL);
  tsr_project_add_segment (p, d2, c2, 6, 11, NULL);
  t1 = tsr_project_create_theme (p, 0, "Outlook", NULL);
  t2 = tsr_project_create_theme (p, t1, "Worry", NULL);
  tsr_project_add_code_to_theme (p, t1, c1, NULL);
  tsr_project_add_code_to_theme (p, t2, c2, NULL);
  g_assert_true (tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, t1, 300, 200, NULL));
  g_assert_cmpint (tsr_project_add_map_link (p, t2, t1, "part of", NULL), >, 0);

  scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  counts = tsr_project_compute_counts (p, scope, NULL, NULL);
  model = tsr_map_model_new_from_project (p, counts);
  layout = tsr_map_layout_compute (model, NULL, NULL);

  g_assert_cmpuint (tsr_map_layout_get_n_themes (layout), ==, 2);
  g_assert_cmpstr (tsr_map_layout_find_theme (layout, t1)->badge_text, ==, "n = 2");
  g_assert_cmpstr (tsr_map_layout_find_theme (layout, t2)->badge_text, ==, "n = 1");
  g_assert_cmpfloat (tsr_map_layout_find_theme (layout, t1)->rect.x, ==, 300);
  g_assert_cmpfloat (tsr_map_layout_find_theme (layout, t1)->rect.y, ==, 200);
  g_assert_cmpint (tsr_map_layout_find_theme (layout, t2)->parent_id, ==, t1);
  g_assert_cmpstr (tsr_map_layout_find_chip (layout, t1, c1)->name, ==, "Hope");
  g_assert_cmpstr (tsr_map_layout_find_chip (layout, t2, c2)->color, ==, "#e01b24");
  g_assert_cmpuint (tsr_map_layout_get_n_arrows (layout), ==, 1);
  g_assert_cmpstr (tsr_map_layout_get_arrow (layout, 0)->label, ==, "part of");

  tsr_project_close (p, NULL);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/map-layout/boxes", test_layout_boxes);
  g_test_add_func ("/tessera/map-layout/empty-theme", test_layout_empty_theme);
  g_test_add_func ("/tessera/map-layout/saved-positions", test_layout_saved_positions);
  g_test_add_func ("/tessera/map-layout/many-themes-no-overlap", test_layout_many_themes_no_overlap);
  g_test_add_func ("/tessera/map-layout/arrows", test_layout_arrows);
  g_test_add_func ("/tessera/map-layout/hit", test_hit);
  g_test_add_func ("/tessera/map-layout/hit-link-line", test_hit_link_line);
  g_test_add_func ("/tessera/map-layout/nesting-rules", test_nesting_rules);
  g_test_add_func ("/tessera/map-layout/focus-order", test_focus_order);
  g_test_add_func ("/tessera/map-layout/neighbour", test_neighbour);
  g_test_add_func ("/tessera/map-layout/free-spot", test_free_spot);
  g_test_add_func ("/tessera/map-layout/model-from-project", test_model_from_project);
  g_test_add_func ("/tessera/map-render/measure", test_renderer_measure);
  g_test_add_func ("/tessera/map-render/export-png", test_export_png);
  g_test_add_func ("/tessera/map-render/export-svg", test_export_svg);
  g_test_add_func ("/tessera/map-render/export-pdf", test_export_pdf);
  g_test_add_func ("/tessera/map-render/export-errors", test_export_errors);
  g_test_add_func ("/tessera/map-render/export-fails-whole", test_export_fails_whole);

  return g_test_run ();
}
