/* tsr-map-layout.c — where everything sits on the theme map
 *
 * A theme is laid out inside-out: its sub-themes first, then the width
 * they and the header need, then its chips wrapped at that width.  Top-
 * level themes keep the position saved in the project; those without one
 * are packed in rows around them, so nothing new lands on top of
 * something the researcher placed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tsr-map-layout.h"
#include "tsr-project.h"

#define BADGE_HEIGHT   18.0
#define BADGE_PAD       7.0
#define TITLE_TOP       9.0
#define TITLE_HEIGHT   22.0
#define CHIP_PAD_X     10.0
#define CHIP_DOT        8.0
#define SUB_GAP        10.0
#define LABEL_HEIGHT   18.0
#define LABEL_PAD       6.0
#define SPOT_STEP      24.0
#define SPOT_RINGS     80

gboolean
tsr_map_rect_contains (const TsrMapRect *rect,
                       double            x,
                       double            y)
{
  return x >= rect->x && y >= rect->y &&
         x < rect->x + rect->width && y < rect->y + rect->height;
}

gboolean
tsr_map_rect_intersects (const TsrMapRect *a,
                         const TsrMapRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static TsrMapRect
inflate (TsrMapRect r,
         double     by)
{
  return (TsrMapRect) { r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by };
}

/**
 * tsr_map_measure_simple:
 *
 * A stand-in for real text measuring: a fixed advance per character and
 * style, so a layout can be worked out (and checked) with no fonts.
 */
double
tsr_map_measure_simple (const char      *text,
                        TsrMapTextStyle  style,
                        gpointer         user_data)
{
  static const double advance[] = { 7.0, 8.5, 6.5, 6.5 };

  return advance[style] * g_utf8_strlen (text ? text : "", -1);
}

/* The model ---------------------------------------------------------- */

typedef struct
{
  gint64  code_id;
  char   *name;
  char   *color;
} ModelCode;

typedef struct
{
  gint64          id;
  gint64          parent_id;
  char           *name;
  TsrThemeStatus  status;
  guint           n;
  gboolean        has_position;
  double          x;
  double          y;
  GArray         *codes;     /* ModelCode */
} ModelTheme;

typedef struct
{
  gint64  id;
  gint64  from;
  gint64  to;
  char   *label;
} ModelLink;

struct _TsrMapModel
{
  GPtrArray  *themes;        /* ModelTheme*, in the order added */
  GHashTable *index;         /* gint64 id → ModelTheme* */
  GArray     *links;         /* ModelLink */
};

static void
model_code_clear (gpointer data)
{
  ModelCode *code = data;

  g_free (code->name);
  g_free (code->color);
}

static void
model_theme_free (gpointer data)
{
  ModelTheme *theme = data;

  g_free (theme->name);
  g_array_unref (theme->codes);
  g_free (theme);
}

static void
model_link_clear (gpointer data)
{
  ModelLink *link = data;

  g_free (link->label);
}

/**
 * tsr_map_model_new:
 *
 * Returns: (transfer full): an empty map
 */
TsrMapModel *
tsr_map_model_new (void)
{
  TsrMapModel *model = g_new0 (TsrMapModel, 1);

  model->themes = g_ptr_array_new_with_free_func (model_theme_free);
  model->index = g_hash_table_new (g_int64_hash, g_int64_equal);
  model->links = g_array_new (FALSE, TRUE, sizeof (ModelLink));
  g_array_set_clear_func (model->links, model_link_clear);
  return model;
}

void
tsr_map_model_free (TsrMapModel *model)
{
  if (model == NULL)
    return;
  g_hash_table_unref (model->index);
  g_ptr_array_unref (model->themes);
  g_array_unref (model->links);
  g_free (model);
}

/**
 * tsr_map_model_add_theme:
 * @parent_id: the parent theme, or 0 at the top level
 * @n: the theme's n, shown on its badge
 *
 * Adds a theme; siblings keep the order they are added in.
 */
void
tsr_map_model_add_theme (TsrMapModel    *model,
                         gint64          id,
                         gint64          parent_id,
                         const char     *name,
                         TsrThemeStatus  status,
                         guint           n)
{
  ModelTheme *theme;

  g_return_if_fail (model != NULL);
  g_return_if_fail (!g_hash_table_contains (model->index, &id));

  theme = g_new0 (ModelTheme, 1);
  theme->id = id;
  theme->parent_id = parent_id;
  theme->name = g_strdup (name ? name : "");
  theme->status = status;
  theme->n = n;
  theme->codes = g_array_new (FALSE, TRUE, sizeof (ModelCode));
  g_array_set_clear_func (theme->codes, model_code_clear);
  g_ptr_array_add (model->themes, theme);
  g_hash_table_insert (model->index, &theme->id, theme);
}

/**
 * tsr_map_model_set_position:
 *
 * Gives a top-level theme the position saved for it (its top-left
 * corner).  Sub-themes are always laid out inside their parent.
 */
void
tsr_map_model_set_position (TsrMapModel *model,
                            gint64       theme_id,
                            double       x,
                            double       y)
{
  ModelTheme *theme;

  g_return_if_fail (model != NULL);

  theme = g_hash_table_lookup (model->index, &theme_id);
  g_return_if_fail (theme != NULL);
  theme->has_position = TRUE;
  theme->x = x;
  theme->y = y;
}

/**
 * tsr_map_model_set_n:
 *
 * Changes the n a theme's badge shows.
 */
void
tsr_map_model_set_n (TsrMapModel *model,
                     gint64       theme_id,
                     guint        n)
{
  ModelTheme *theme;

  g_return_if_fail (model != NULL);

  theme = g_hash_table_lookup (model->index, &theme_id);
  g_return_if_fail (theme != NULL);
  theme->n = n;
}

void
tsr_map_model_add_theme_code (TsrMapModel *model,
                              gint64       theme_id,
                              gint64       code_id,
                              const char  *name,
                              const char  *color)
{
  ModelTheme *theme;
  ModelCode code;

  g_return_if_fail (model != NULL);

  theme = g_hash_table_lookup (model->index, &theme_id);
  g_return_if_fail (theme != NULL);
  code.code_id = code_id;
  code.name = g_strdup (name ? name : "");
  code.color = g_strdup (color ? color : "#77767b");
  g_array_append_val (theme->codes, code);
}

void
tsr_map_model_add_link (TsrMapModel *model,
                        gint64       id,
                        gint64       from_theme,
                        gint64       to_theme,
                        const char  *label)
{
  ModelLink link;

  g_return_if_fail (model != NULL);

  link.id = id;
  link.from = from_theme;
  link.to = to_theme;
  link.label = g_strdup (label ? label : "");
  g_array_append_val (model->links, link);
}

/**
 * tsr_map_model_can_nest:
 * @new_parent_id: the theme to nest into, or 0 for the top level
 *
 * Returns: whether @theme_id may become a sub-theme of @new_parent_id:
 *   never inside itself or one of its own sub-themes
 */
gboolean
tsr_map_model_can_nest (const TsrMapModel *model,
                        gint64             theme_id,
                        gint64             new_parent_id)
{
  guint guard = 0;

  g_return_val_if_fail (model != NULL, FALSE);

  if (!g_hash_table_contains (model->index, &theme_id))
    return FALSE;
  if (new_parent_id == 0)
    return TRUE;
  if (!g_hash_table_contains (model->index, &new_parent_id))
    return FALSE;

  for (gint64 id = new_parent_id; id != 0 && guard <= model->themes->len; guard++)
    {
      ModelTheme *t = g_hash_table_lookup (model->index, &id);

      if (id == theme_id)
        return FALSE;
      if (t == NULL)
        break;
      id = t->parent_id;
    }
  return TRUE;
}

/**
 * tsr_map_model_new_from_project:
 * @counts: (nullable): the counts whose theme n the badges show
 *
 * Reads every theme with its codes, saved positions and links.
 *
 * Returns: (transfer full): the map of @project
 */
TsrMapModel *
tsr_map_model_new_from_project (TsrProject *project,
                                TsrCounts  *counts)
{
  TsrMapModel *model = tsr_map_model_new ();
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  g_autoptr(GHashTable) code_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GListModel) links = tsr_project_get_map_links (project);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      TsrCode *code = g_ptr_array_index (codes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));

      g_hash_table_insert (code_index, g_memdup2 (&id, sizeof id), code);
    }

  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      TsrTheme *theme = g_ptr_array_index (themes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (theme));
      g_autoptr(GArray) ids = tsr_project_get_theme_codes (project, id);
      double x, y;

      tsr_map_model_add_theme (model, id, tsr_theme_get_parent_id (theme), tsr_theme_get_name (theme),
                               tsr_theme_get_status (theme),
                               counts ? tsr_counts_get_theme_n (counts, id) : 0);
      if (tsr_theme_get_parent_id (theme) == 0 &&
          tsr_project_get_map_position (project, TSR_MAP_ITEM_THEME, id, &x, &y))
        tsr_map_model_set_position (model, id, x, y);

      for (guint j = 0; j < ids->len; j++)
        {
          gint64 code_id = g_array_index (ids, gint64, j);
          TsrCode *code = g_hash_table_lookup (code_index, &code_id);

          if (code != NULL)
            tsr_map_model_add_theme_code (model, id, code_id, tsr_code_get_name (code),
                                          tsr_code_get_color (code));
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(TsrMapLink) link = g_list_model_get_item (links, i);

      tsr_map_model_add_link (model, tsr_entity_get_id (TSR_ENTITY (link)),
                              tsr_map_link_get_from_theme (link), tsr_map_link_get_to_theme (link),
                              tsr_map_link_get_label (link));
    }

  return model;
}

/* The layout --------------------------------------------------------- */

/* One theme while it is laid out: sizes first, then positions. */
typedef struct _Work Work;
struct _Work
{
  ModelTheme *theme;
  Work       *parent;
  GPtrArray  *children;      /* Work* */
  guint       depth;
  guint       top_index;
  double      width;
  double      height;
  double      title_width;
  double      badge_width;
  char       *badge_text;
  GArray     *chip_rects;    /* TsrMapRect, relative to the box */
  GArray     *child_offsets; /* double x, y pairs, relative */
  double      x;
  double      y;
  gboolean    placed;
};

struct _TsrMapLayout
{
  GArray     *themes;        /* TsrMapThemeBox, parents before children */
  GArray     *chips;         /* TsrMapChip, grouped by theme in theme order */
  GArray     *arrows;        /* TsrMapArrow */
  GHashTable *theme_index;   /* gint64 id → index + 1 */
  TsrMapRect  bounds;
};

static void
work_free (gpointer data)
{
  Work *w = data;

  g_ptr_array_unref (w->children);
  g_free (w->badge_text);
  g_array_unref (w->chip_rects);
  g_array_unref (w->child_offsets);
  g_free (w);
}

/* Works out a theme's size and the places of its chips and sub-themes
 * relative to its top-left corner. */
static void
size_theme (Work              *w,
            TsrMapMeasureFunc  measure,
            gpointer           user_data)
{
  ModelTheme *t = w->theme;
  double content = TSR_MAP_MIN_WIDTH - 2 * TSR_MAP_PADDING;
  double header, y, x, row_height, total_chips = 0, children_total = 0, widest_child = 0;
  g_autofree double *chip_widths = g_new0 (double, MAX (t->codes->len, 1));

  for (guint i = 0; i < w->children->len; i++)
    size_theme (g_ptr_array_index (w->children, i), measure, user_data);

  w->title_width = MIN (measure (t->name, TSR_MAP_TEXT_TITLE, user_data), TSR_MAP_TITLE_MAX_TEXT);
  w->badge_text = g_strdup_printf ("n = %u", t->n);
  w->badge_width = measure (w->badge_text, TSR_MAP_TEXT_BADGE, user_data) + 2 * BADGE_PAD;
  header = w->title_width + 12 + w->badge_width;
  content = MAX (content, header);

  for (guint i = 0; i < t->codes->len; i++)
    {
      ModelCode *code = &g_array_index (t->codes, ModelCode, i);
      double text = MIN (measure (code->name, TSR_MAP_TEXT_CHIP, user_data), TSR_MAP_CHIP_MAX_TEXT);

      chip_widths[i] = CHIP_PAD_X + CHIP_DOT + 6 + text + CHIP_PAD_X;
      content = MAX (content, chip_widths[i]);
      total_chips += chip_widths[i] + TSR_MAP_CHIP_GAP;
    }
  /* About three chips a row, up to a comfortable width. */
  if (t->codes->len >= 3)
    content = MAX (content, MIN (TSR_MAP_ROW_WIDTH - 2 * TSR_MAP_PADDING,
                                 3 * total_chips / t->codes->len));

  for (guint i = 0; i < w->children->len; i++)
    {
      Work *child = g_ptr_array_index (w->children, i);

      widest_child = MAX (widest_child, child->width);
      children_total += child->width + (i > 0 ? SUB_GAP : 0);
    }
  /* Sub-themes side by side while they fit in two rows' width. */
  if (w->children->len > 0)
    content = MAX (content, MAX (widest_child, MIN (children_total, 2 * TSR_MAP_ROW_WIDTH)));

  y = TSR_MAP_HEADER_HEIGHT;
  x = 0;
  for (guint i = 0; i < t->codes->len; i++)
    {
      TsrMapRect r;

      if (x > 0 && x + chip_widths[i] > content + 0.01)
        {
          x = 0;
          y += TSR_MAP_CHIP_HEIGHT + TSR_MAP_CHIP_GAP;
        }
      r = (TsrMapRect) { TSR_MAP_PADDING + x, y, chip_widths[i], TSR_MAP_CHIP_HEIGHT };
      g_array_append_val (w->chip_rects, r);
      x += chip_widths[i] + TSR_MAP_CHIP_GAP;
    }
  if (t->codes->len > 0)
    y += TSR_MAP_CHIP_HEIGHT;
  else if (w->children->len == 0)
    y += TSR_MAP_EMPTY_HEIGHT;

  if (w->children->len > 0)
    {
      if (t->codes->len > 0)
        y += SUB_GAP + 2;
      x = 0;
      row_height = 0;
      for (guint i = 0; i < w->children->len; i++)
        {
          Work *child = g_ptr_array_index (w->children, i);
          double offset[2];

          if (x > 0 && x + child->width > content + 0.01)
            {
              x = 0;
              y += row_height + SUB_GAP;
              row_height = 0;
            }
          offset[0] = TSR_MAP_PADDING + x;
          offset[1] = y;
          g_array_append_vals (w->child_offsets, offset, 2);
          x += child->width + SUB_GAP;
          row_height = MAX (row_height, child->height);
        }
      y += row_height;
    }

  w->width = content + 2 * TSR_MAP_PADDING;
  w->height = y + TSR_MAP_PADDING;
}

static TsrMapRect
work_rect (Work *w)
{
  return (TsrMapRect) { w->x, w->y, w->width, w->height };
}

static gboolean
overlaps_any (GPtrArray        *placed,
              const TsrMapRect *r,
              TsrMapRect       *hit)
{
  for (guint i = 0; i < placed->len; i++)
    {
      Work *other = g_ptr_array_index (placed, i);
      TsrMapRect o = inflate (work_rect (other), TSR_MAP_THEME_GAP / 2);

      if (tsr_map_rect_intersects (r, &o))
        {
          if (hit != NULL)
            *hit = o;
          return TRUE;
        }
    }
  return FALSE;
}

/* Packs the top-level themes that have no saved position in rows, around
 * those that have one. */
static void
place_roots (GPtrArray *roots)
{
  g_autoptr(GPtrArray) placed = g_ptr_array_new ();
  double flow = TSR_MAP_FLOW_WIDTH;
  double x = TSR_MAP_ORIGIN, y = TSR_MAP_ORIGIN, row_height = 0;

  for (guint i = 0; i < roots->len; i++)
    {
      Work *w = g_ptr_array_index (roots, i);

      flow = MAX (flow, w->width + 2 * TSR_MAP_ORIGIN);
      if (w->theme->has_position)
        {
          w->x = w->theme->x;
          w->y = w->theme->y;
          g_ptr_array_add (placed, w);
        }
    }

  for (guint i = 0; i < roots->len; i++)
    {
      Work *w = g_ptr_array_index (roots, i);

      if (w->theme->has_position)
        continue;

      for (;;)
        {
          TsrMapRect r, hit;

          if (x > TSR_MAP_ORIGIN && x + w->width > flow)
            {
              x = TSR_MAP_ORIGIN;
              y += row_height + TSR_MAP_THEME_GAP;
              row_height = 0;
            }
          r = (TsrMapRect) { x, y, w->width, w->height };
          r = inflate (r, TSR_MAP_THEME_GAP / 2 - 0.01);
          if (!overlaps_any (placed, &r, &hit))
            break;
          /* Step past what is in the way; its right edge is beyond x. */
          x = MAX (x + SPOT_STEP, hit.x + hit.width + TSR_MAP_THEME_GAP / 2);
          if (x > flow + TSR_MAP_ORIGIN)
            {
              x = TSR_MAP_ORIGIN;
              y += MAX (row_height, SPOT_STEP) + TSR_MAP_THEME_GAP;
              row_height = 0;
            }
        }

      w->x = x;
      w->y = y;
      w->placed = TRUE;
      g_ptr_array_add (placed, w);
      x += w->width + TSR_MAP_THEME_GAP;
      row_height = MAX (row_height, w->height);
    }
}

/* Fixes the absolute positions below @w and writes its boxes and chips. */
static void
emit_theme (TsrMapLayout *layout,
            Work         *w)
{
  ModelTheme *t = w->theme;
  TsrMapThemeBox box = { 0 };

  box.id = t->id;
  box.parent_id = w->parent ? w->parent->theme->id : 0;
  box.depth = w->depth;
  box.top_index = w->top_index;
  box.name = g_strdup (t->name);
  box.status = t->status;
  box.n = t->n;
  box.n_codes = t->codes->len;
  box.placed = w->placed;
  box.rect = work_rect (w);
  box.badge = (TsrMapRect) { w->x + w->width - TSR_MAP_PADDING - w->badge_width,
                             w->y + TITLE_TOP + (TITLE_HEIGHT - BADGE_HEIGHT) / 2,
                             w->badge_width, BADGE_HEIGHT };
  box.title = (TsrMapRect) { w->x + TSR_MAP_PADDING, w->y + TITLE_TOP,
                             MIN (w->title_width, box.badge.x - 12 - (w->x + TSR_MAP_PADDING)),
                             TITLE_HEIGHT };
  box.badge_text = g_strdup (w->badge_text);
  g_array_append_val (layout->themes, box);
  /* Keys of their own: the array moves as it grows. */
  g_hash_table_insert (layout->theme_index, g_memdup2 (&t->id, sizeof t->id),
                       GUINT_TO_POINTER (layout->themes->len));

  for (guint i = 0; i < t->codes->len; i++)
    {
      ModelCode *code = &g_array_index (t->codes, ModelCode, i);
      TsrMapRect r = g_array_index (w->chip_rects, TsrMapRect, i);
      TsrMapChip chip;

      chip.theme_id = t->id;
      chip.code_id = code->code_id;
      chip.name = g_strdup (code->name);
      chip.color = g_strdup (code->color);
      chip.rect = (TsrMapRect) { w->x + r.x, w->y + r.y, r.width, r.height };
      g_array_append_val (layout->chips, chip);
    }

  for (guint i = 0; i < w->children->len; i++)
    {
      Work *child = g_ptr_array_index (w->children, i);

      child->x = w->x + g_array_index (w->child_offsets, double, 2 * i);
      child->y = w->y + g_array_index (w->child_offsets, double, 2 * i + 1);
      emit_theme (layout, child);
    }
}

/* Where the line from the centre of @r towards (dx, dy) leaves @r. */
static void
border_point (const TsrMapRect *r,
              double            dx,
              double            dy,
              double           *x,
              double           *y)
{
  double cx = r->x + r->width / 2, cy = r->y + r->height / 2;
  double t = G_MAXDOUBLE;

  if (fabs (dx) > 1e-9)
    t = MIN (t, (r->width / 2) / fabs (dx));
  if (fabs (dy) > 1e-9)
    t = MIN (t, (r->height / 2) / fabs (dy));
  if (t == G_MAXDOUBLE)
    t = 0;
  *x = cx + t * dx;
  *y = cy + t * dy;
}

static void
box_clear (gpointer data)
{
  TsrMapThemeBox *box = data;

  g_free (box->name);
  g_free (box->badge_text);
}

static void
chip_clear (gpointer data)
{
  TsrMapChip *chip = data;

  g_free (chip->name);
  g_free (chip->color);
}

static void
arrow_clear (gpointer data)
{
  TsrMapArrow *arrow = data;

  g_free (arrow->label);
}

/**
 * tsr_map_layout_compute:
 * @measure: (nullable): how wide text is; %NULL for
 *   tsr_map_measure_simple()
 *
 * Returns: (transfer full): the layout of @model
 */
TsrMapLayout *
tsr_map_layout_compute (const TsrMapModel *model,
                        TsrMapMeasureFunc  measure,
                        gpointer           user_data)
{
  TsrMapLayout *layout;
  g_autoptr(GPtrArray) works = g_ptr_array_new_with_free_func (work_free);
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  g_return_val_if_fail (model != NULL, NULL);

  if (measure == NULL)
    measure = tsr_map_measure_simple;

  layout = g_new0 (TsrMapLayout, 1);
  layout->themes = g_array_new (FALSE, TRUE, sizeof (TsrMapThemeBox));
  g_array_set_clear_func (layout->themes, box_clear);
  layout->chips = g_array_new (FALSE, TRUE, sizeof (TsrMapChip));
  g_array_set_clear_func (layout->chips, chip_clear);
  layout->arrows = g_array_new (FALSE, TRUE, sizeof (TsrMapArrow));
  g_array_set_clear_func (layout->arrows, arrow_clear);
  layout->theme_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < model->themes->len; i++)
    {
      Work *w = g_new0 (Work, 1);

      w->theme = g_ptr_array_index (model->themes, i);
      w->children = g_ptr_array_new ();
      w->chip_rects = g_array_new (FALSE, FALSE, sizeof (TsrMapRect));
      w->child_offsets = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (works, w);
      g_hash_table_insert (by_id, &w->theme->id, w);
    }

  /* A theme whose parent is missing (or that would close a loop) shows
   * at the top level rather than nowhere. */
  for (guint i = 0; i < works->len; i++)
    {
      Work *w = g_ptr_array_index (works, i);
      Work *parent = g_hash_table_lookup (by_id, &w->theme->parent_id);

      if (parent != NULL && parent != w &&
          tsr_map_model_can_nest (model, w->theme->id, w->theme->parent_id))
        {
          w->parent = parent;
          g_ptr_array_add (parent->children, w);
        }
      else
        g_ptr_array_add (roots, w);
    }

  for (guint i = 0; i < roots->len; i++)
    {
      Work *root = g_ptr_array_index (roots, i);
      g_autoptr(GPtrArray) stack = g_ptr_array_new ();

      g_ptr_array_add (stack, root);
      while (stack->len > 0)
        {
          Work *w = g_ptr_array_steal_index (stack, stack->len - 1);

          w->top_index = i;
          w->depth = w->parent ? w->parent->depth + 1 : 0;
          for (guint j = 0; j < w->children->len; j++)
            g_ptr_array_add (stack, g_ptr_array_index (w->children, j));
        }
      size_theme (root, measure, user_data);
    }

  place_roots (roots);
  for (guint i = 0; i < roots->len; i++)
    emit_theme (layout, g_ptr_array_index (roots, i));

  for (guint i = 0; i < model->links->len; i++)
    {
      ModelLink *ml = &g_array_index (model->links, ModelLink, i);
      const TsrMapThemeBox *from = tsr_map_layout_find_theme (layout, ml->from);
      const TsrMapThemeBox *to = tsr_map_layout_find_theme (layout, ml->to);
      TsrMapArrow arrow = { 0 };
      double dx, dy;

      if (from == NULL || to == NULL)
        continue;

      dx = (to->rect.x + to->rect.width / 2) - (from->rect.x + from->rect.width / 2);
      dy = (to->rect.y + to->rect.height / 2) - (from->rect.y + from->rect.height / 2);
      arrow.id = ml->id;
      arrow.from_theme = ml->from;
      arrow.to_theme = ml->to;
      arrow.label = g_strdup (ml->label);
      border_point (&from->rect, dx, dy, &arrow.x1, &arrow.y1);
      border_point (&to->rect, -dx, -dy, &arrow.x2, &arrow.y2);
      if (ml->label[0] != '\0')
        {
          double w = measure (ml->label, TSR_MAP_TEXT_LINK, user_data) + 2 * LABEL_PAD;

          arrow.label_rect = (TsrMapRect) { (arrow.x1 + arrow.x2) / 2 - w / 2,
                                            (arrow.y1 + arrow.y2) / 2 - LABEL_HEIGHT / 2,
                                            w, LABEL_HEIGHT };
        }
      g_array_append_val (layout->arrows, arrow);
    }

  for (guint i = 0; i < layout->themes->len; i++)
    {
      TsrMapRect r = g_array_index (layout->themes, TsrMapThemeBox, i).rect;

      x0 = MIN (x0, r.x);
      y0 = MIN (y0, r.y);
      x1 = MAX (x1, r.x + r.width);
      y1 = MAX (y1, r.y + r.height);
    }
  for (guint i = 0; i < layout->arrows->len; i++)
    {
      TsrMapRect r = g_array_index (layout->arrows, TsrMapArrow, i).label_rect;

      if (r.width <= 0)
        continue;
      x0 = MIN (x0, r.x);
      y0 = MIN (y0, r.y);
      x1 = MAX (x1, r.x + r.width);
      y1 = MAX (y1, r.y + r.height);
    }
  if (layout->themes->len > 0)
    layout->bounds = (TsrMapRect) { x0, y0, x1 - x0, y1 - y0 };

  return layout;
}

void
tsr_map_layout_free (TsrMapLayout *layout)
{
  if (layout == NULL)
    return;
  g_hash_table_unref (layout->theme_index);
  g_array_unref (layout->themes);
  g_array_unref (layout->chips);
  g_array_unref (layout->arrows);
  g_free (layout);
}

guint
tsr_map_layout_get_n_themes (const TsrMapLayout *layout)
{
  return layout->themes->len;
}

/**
 * tsr_map_layout_get_theme:
 *
 * Returns: (transfer none): the @index-th theme box; parents come before
 *   their sub-themes, siblings in order
 */
const TsrMapThemeBox *
tsr_map_layout_get_theme (const TsrMapLayout *layout,
                          guint               index)
{
  g_return_val_if_fail (index < layout->themes->len, NULL);
  return &g_array_index (layout->themes, TsrMapThemeBox, index);
}

/**
 * tsr_map_layout_find_theme:
 *
 * Returns: (transfer none) (nullable): the box of a theme
 */
const TsrMapThemeBox *
tsr_map_layout_find_theme (const TsrMapLayout *layout,
                           gint64              theme_id)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (layout->theme_index, &theme_id));

  return i > 0 ? &g_array_index (layout->themes, TsrMapThemeBox, i - 1) : NULL;
}

guint
tsr_map_layout_get_n_chips (const TsrMapLayout *layout)
{
  return layout->chips->len;
}

const TsrMapChip *
tsr_map_layout_get_chip (const TsrMapLayout *layout,
                         guint               index)
{
  g_return_val_if_fail (index < layout->chips->len, NULL);
  return &g_array_index (layout->chips, TsrMapChip, index);
}

/**
 * tsr_map_layout_find_chip:
 *
 * Returns: (transfer none) (nullable): the chip of a code in a theme
 */
const TsrMapChip *
tsr_map_layout_find_chip (const TsrMapLayout *layout,
                          gint64              theme_id,
                          gint64              code_id)
{
  for (guint i = 0; i < layout->chips->len; i++)
    {
      const TsrMapChip *chip = &g_array_index (layout->chips, TsrMapChip, i);

      if (chip->theme_id == theme_id && chip->code_id == code_id)
        return chip;
    }
  return NULL;
}

guint
tsr_map_layout_get_n_arrows (const TsrMapLayout *layout)
{
  return layout->arrows->len;
}

const TsrMapArrow *
tsr_map_layout_get_arrow (const TsrMapLayout *layout,
                          guint               index)
{
  g_return_val_if_fail (index < layout->arrows->len, NULL);
  return &g_array_index (layout->arrows, TsrMapArrow, index);
}

const TsrMapArrow *
tsr_map_layout_find_arrow (const TsrMapLayout *layout,
                           gint64              link_id)
{
  for (guint i = 0; i < layout->arrows->len; i++)
    {
      const TsrMapArrow *arrow = &g_array_index (layout->arrows, TsrMapArrow, i);

      if (arrow->id == link_id)
        return arrow;
    }
  return NULL;
}

/**
 * tsr_map_layout_get_bounds:
 *
 * Returns: the rectangle holding every box and link label; empty (all
 *   zero) when the map is empty
 */
TsrMapRect
tsr_map_layout_get_bounds (const TsrMapLayout *layout)
{
  return layout->bounds;
}

/**
 * tsr_map_layout_is_within:
 *
 * Returns: whether @theme_id is @ancestor_id or one of its sub-themes, at
 *   any depth
 */
gboolean
tsr_map_layout_is_within (const TsrMapLayout *layout,
                          gint64              theme_id,
                          gint64              ancestor_id)
{
  guint guard = 0;

  while (theme_id != 0 && guard++ <= layout->themes->len)
    {
      const TsrMapThemeBox *box;

      if (theme_id == ancestor_id)
        return TRUE;
      box = tsr_map_layout_find_theme (layout, theme_id);
      if (box == NULL)
        return FALSE;
      theme_id = box->parent_id;
    }
  return FALSE;
}

/* Hit-testing and navigation ----------------------------------------- */

gboolean
tsr_map_hit_equal (const TsrMapHit *a,
                   const TsrMapHit *b)
{
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case TSR_MAP_HIT_THEME: return a->theme_id == b->theme_id;
    case TSR_MAP_HIT_CHIP: return a->theme_id == b->theme_id && a->code_id == b->code_id;
    case TSR_MAP_HIT_LINK: return a->link_id == b->link_id;
    case TSR_MAP_HIT_NONE:
    default: return TRUE;
    }
}

static double
distance_to_segment (double px, double py,
                     double x1, double y1,
                     double x2, double y2)
{
  double dx = x2 - x1, dy = y2 - y1;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / len2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - (x1 + t * dx), py - (y1 + t * dy));
}

/**
 * tsr_map_layout_hit:
 * @tolerance: how far from a link's line a point still hits it
 *
 * Returns: the topmost thing at (@x, @y): a link's label, a chip, a
 *   link's line, then the innermost theme
 */
TsrMapHit
tsr_map_layout_hit (const TsrMapLayout *layout,
                    double              x,
                    double              y,
                    double              tolerance)
{
  TsrMapHit hit = { TSR_MAP_HIT_NONE, 0, 0, 0 };

  for (guint i = layout->arrows->len; i > 0; i--)
    {
      const TsrMapArrow *a = &g_array_index (layout->arrows, TsrMapArrow, i - 1);

      if (a->label_rect.width > 0 && tsr_map_rect_contains (&a->label_rect, x, y))
        return (TsrMapHit) { TSR_MAP_HIT_LINK, 0, 0, a->id };
    }

  for (guint i = layout->chips->len; i > 0; i--)
    {
      const TsrMapChip *c = &g_array_index (layout->chips, TsrMapChip, i - 1);

      if (tsr_map_rect_contains (&c->rect, x, y))
        return (TsrMapHit) { TSR_MAP_HIT_CHIP, c->theme_id, c->code_id, 0 };
    }

  for (guint i = layout->arrows->len; i > 0; i--)
    {
      const TsrMapArrow *a = &g_array_index (layout->arrows, TsrMapArrow, i - 1);

      if (distance_to_segment (x, y, a->x1, a->y1, a->x2, a->y2) <= tolerance)
        return (TsrMapHit) { TSR_MAP_HIT_LINK, 0, 0, a->id };
    }

  hit.theme_id = tsr_map_layout_theme_at (layout, x, y, 0);
  if (hit.theme_id != 0)
    hit.kind = TSR_MAP_HIT_THEME;
  return hit;
}

/**
 * tsr_map_layout_theme_at:
 * @exclude_theme: a theme to look through, with its sub-themes (the one
 *   being dragged), or 0
 *
 * Returns: the innermost theme at (@x, @y), or 0
 */
gint64
tsr_map_layout_theme_at (const TsrMapLayout *layout,
                         double              x,
                         double              y,
                         gint64              exclude_theme)
{
  for (guint i = layout->themes->len; i > 0; i--)
    {
      const TsrMapThemeBox *box = &g_array_index (layout->themes, TsrMapThemeBox, i - 1);

      if (exclude_theme != 0 && tsr_map_layout_is_within (layout, box->id, exclude_theme))
        continue;
      if (tsr_map_rect_contains (&box->rect, x, y))
        return box->id;
    }
  return 0;
}

/**
 * tsr_map_layout_hit_rect:
 *
 * Returns: the rectangle a theme, chip or link label occupies; for a link
 *   without a label, the box around its line
 */
TsrMapRect
tsr_map_layout_hit_rect (const TsrMapLayout *layout,
                         const TsrMapHit    *hit)
{
  TsrMapRect none = { 0, 0, 0, 0 };

  switch (hit->kind)
    {
    case TSR_MAP_HIT_THEME:
      {
        const TsrMapThemeBox *box = tsr_map_layout_find_theme (layout, hit->theme_id);
        return box ? box->rect : none;
      }
    case TSR_MAP_HIT_CHIP:
      {
        const TsrMapChip *chip = tsr_map_layout_find_chip (layout, hit->theme_id, hit->code_id);
        return chip ? chip->rect : none;
      }
    case TSR_MAP_HIT_LINK:
      {
        const TsrMapArrow *a = tsr_map_layout_find_arrow (layout, hit->link_id);

        if (a == NULL)
          return none;
        if (a->label_rect.width > 0)
          return a->label_rect;
        return (TsrMapRect) { MIN (a->x1, a->x2), MIN (a->y1, a->y2),
                              fabs (a->x2 - a->x1), fabs (a->y2 - a->y1) };
      }
    case TSR_MAP_HIT_NONE:
    default:
      return none;
    }
}

/**
 * tsr_map_layout_focus_order:
 *
 * Returns: (transfer full) (element-type TsrMapHit): every item in the
 *   order Tab visits them: each theme, then its chips, then its
 *   sub-themes; the links last
 */
GArray *
tsr_map_layout_focus_order (const TsrMapLayout *layout)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (TsrMapHit));
  guint c = 0;

  for (guint i = 0; i < layout->themes->len; i++)
    {
      const TsrMapThemeBox *box = &g_array_index (layout->themes, TsrMapThemeBox, i);
      TsrMapHit hit = { TSR_MAP_HIT_THEME, box->id, 0, 0 };

      g_array_append_val (order, hit);
      /* Chips come grouped by theme, in theme order. */
      for (; c < layout->chips->len &&
             g_array_index (layout->chips, TsrMapChip, c).theme_id == box->id; c++)
        {
          const TsrMapChip *chip = &g_array_index (layout->chips, TsrMapChip, c);
          TsrMapHit chip_hit = { TSR_MAP_HIT_CHIP, chip->theme_id, chip->code_id, 0 };

          g_array_append_val (order, chip_hit);
        }
    }
  for (guint i = 0; i < layout->arrows->len; i++)
    {
      TsrMapHit hit = { TSR_MAP_HIT_LINK, 0, 0, g_array_index (layout->arrows, TsrMapArrow, i).id };
      g_array_append_val (order, hit);
    }
  return order;
}

/**
 * tsr_map_layout_step_focus:
 * @step: 1 for the next item, -1 for the previous one
 *
 * Returns: the item before or after @from in focus order, wrapping
 *   around; the first (or last) item when @from is on none
 */
TsrMapHit
tsr_map_layout_step_focus (const TsrMapLayout *layout,
                           const TsrMapHit    *from,
                           int                 step)
{
  g_autoptr(GArray) order = tsr_map_layout_focus_order (layout);
  TsrMapHit none = { TSR_MAP_HIT_NONE, 0, 0, 0 };
  guint n = order->len;

  if (n == 0)
    return none;
  for (guint i = 0; i < n; i++)
    if (tsr_map_hit_equal (&g_array_index (order, TsrMapHit, i), from))
      return g_array_index (order, TsrMapHit, (i + n + (step >= 0 ? 1 : n - 1)) % n);
  return g_array_index (order, TsrMapHit, step >= 0 ? 0 : n - 1);
}

/**
 * tsr_map_layout_neighbour:
 * @dx: -1, 0 or 1
 * @dy: -1, 0 or 1
 *
 * Returns: the nearest item in the direction (@dx, @dy) from @from, for
 *   arrow-key navigation, or @from itself when there is none
 */
TsrMapHit
tsr_map_layout_neighbour (const TsrMapLayout *layout,
                          const TsrMapHit    *from,
                          int                 dx,
                          int                 dy)
{
  g_autoptr(GArray) order = tsr_map_layout_focus_order (layout);
  TsrMapRect r0 = tsr_map_layout_hit_rect (layout, from);
  double cx = r0.x + r0.width / 2, cy = r0.y + r0.height / 2;
  double best_score = G_MAXDOUBLE;
  TsrMapHit best = *from;

  if (from->kind == TSR_MAP_HIT_NONE)
    return tsr_map_layout_step_focus (layout, from, 1);

  for (guint i = 0; i < order->len; i++)
    {
      const TsrMapHit *h = &g_array_index (order, TsrMapHit, i);
      TsrMapRect r = tsr_map_layout_hit_rect (layout, h);
      double ox = r.x + r.width / 2 - cx, oy = r.y + r.height / 2 - cy;
      double along = ox * dx + oy * dy;
      double across = fabs (ox * dy) + fabs (oy * dx);
      double score;

      if (tsr_map_hit_equal (h, from) || along <= 0.5)
        continue;
      score = along + 2 * across;
      if (score < best_score)
        {
          best_score = score;
          best = *h;
        }
    }
  return best;
}

/**
 * tsr_map_layout_free_spot:
 * @near_x: where the new box would best go (its top-left corner)
 *
 * Finds the place nearest (@near_x, @near_y) where a box of that size
 * overlaps no top-level theme.
 */
void
tsr_map_layout_free_spot (const TsrMapLayout *layout,
                          double              width,
                          double              height,
                          double              near_x,
                          double              near_y,
                          double             *x,
                          double             *y)
{
  for (int k = 0; k <= SPOT_RINGS; k++)
    {
      double best = G_MAXDOUBLE, bx = 0, by = 0;

      for (int i = -k; i <= k; i++)
        for (int j = -k; j <= k; j++)
          {
            TsrMapRect r;
            gboolean free = TRUE;

            if (MAX (ABS (i), ABS (j)) != k)
              continue;
            r = (TsrMapRect) { near_x + i * SPOT_STEP, near_y + j * SPOT_STEP, width, height };
            for (guint t = 0; t < layout->themes->len && free; t++)
              {
                const TsrMapThemeBox *box = &g_array_index (layout->themes, TsrMapThemeBox, t);
                TsrMapRect o = inflate (box->rect, TSR_MAP_THEME_GAP / 2);

                if (box->depth == 0 && tsr_map_rect_intersects (&r, &o))
                  free = FALSE;
              }
            if (free && hypot (i, j) < best)
              {
                best = hypot (i, j);
                bx = r.x;
                by = r.y;
              }
          }
      if (best < G_MAXDOUBLE)
        {
          *x = bx;
          *y = by;
          return;
        }
    }

  /* Crowded beyond the search: below everything. */
  *x = layout->bounds.x;
  *y = layout->bounds.y + layout->bounds.height + TSR_MAP_THEME_GAP;
}
