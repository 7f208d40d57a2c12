/* tsr-map-layout.h — where everything sits on the theme map
 *
 * The theme map's geometry, worked out without a display: themes are
 * boxes holding their codes as chips and their sub-themes nested inside,
 * links are arrows between boxes.  Pure functions on a small model, so the
 * canvas, the exports and the tests all share the same layout.
 *
 * Coordinates are "world" units (pixels at zoom 100 %), y downwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tsr-counts.h"
#include "tsr-entities.h"

G_BEGIN_DECLS

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} TsrMapRect;

gboolean tsr_map_rect_contains   (const TsrMapRect *rect,
                                  double            x,
                                  double            y);
gboolean tsr_map_rect_intersects (const TsrMapRect *a,
                                  const TsrMapRect *b);

/**
 * TsrMapTextStyle:
 * Which text a width is asked for: chip labels, theme titles, the n
 * badges and the link labels use different fonts.
 */
typedef enum
{
  TSR_MAP_TEXT_CHIP,
  TSR_MAP_TEXT_TITLE,
  TSR_MAP_TEXT_BADGE,
  TSR_MAP_TEXT_LINK,
} TsrMapTextStyle;

/* Returns the width of @text set in @style, in world units. */
typedef double (*TsrMapMeasureFunc) (const char      *text,
                                     TsrMapTextStyle  style,
                                     gpointer         user_data);

double   tsr_map_measure_simple  (const char      *text,
                                  TsrMapTextStyle  style,
                                  gpointer         user_data);

/* The model: what is on the map ----------------------------------------- */

typedef struct _TsrMapModel TsrMapModel;

TsrMapModel *tsr_map_model_new              (void);
void         tsr_map_model_free             (TsrMapModel    *model);
void         tsr_map_model_add_theme        (TsrMapModel    *model,
                                             gint64          id,
                                             gint64          parent_id,
                                             const char     *name,
                                             TsrThemeStatus  status,
                                             guint           n);
void         tsr_map_model_set_position     (TsrMapModel    *model,
                                             gint64          theme_id,
                                             double          x,
                                             double          y);
void         tsr_map_model_set_n            (TsrMapModel    *model,
                                             gint64          theme_id,
                                             guint           n);
void         tsr_map_model_add_theme_code   (TsrMapModel    *model,
                                             gint64          theme_id,
                                             gint64          code_id,
                                             const char     *name,
                                             const char     *color);
void         tsr_map_model_add_link         (TsrMapModel    *model,
                                             gint64          id,
                                             gint64          from_theme,
                                             gint64          to_theme,
                                             const char     *label);
gboolean     tsr_map_model_can_nest         (const TsrMapModel *model,
                                             gint64             theme_id,
                                             gint64             new_parent_id);
TsrMapModel *tsr_map_model_new_from_project (TsrProject     *project,
                                             TsrCounts      *counts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMapModel, tsr_map_model_free)

/* The layout: where it all goes ----------------------------------------- */

/* Sizes of the parts, in world units. */
#define TSR_MAP_PADDING        12.0
#define TSR_MAP_HEADER_HEIGHT  40.0
#define TSR_MAP_CHIP_HEIGHT    26.0
#define TSR_MAP_CHIP_GAP        6.0
#define TSR_MAP_CHIP_MAX_TEXT 210.0
#define TSR_MAP_TITLE_MAX_TEXT 320.0
#define TSR_MAP_EMPTY_HEIGHT   40.0
#define TSR_MAP_MIN_WIDTH     200.0
#define TSR_MAP_ROW_WIDTH     560.0
#define TSR_MAP_THEME_GAP      48.0
#define TSR_MAP_ORIGIN         40.0
#define TSR_MAP_FLOW_WIDTH   1600.0

typedef struct
{
  gint64          id;
  gint64          parent_id;
  guint           depth;
  guint           top_index;     /* its top-level theme's colour slot */
  char           *name;
  TsrThemeStatus  status;
  guint           n;
  guint           n_codes;
  gboolean        placed;        /* its position was laid out, not saved */
  TsrMapRect      rect;
  TsrMapRect      title;
  TsrMapRect      badge;
  char           *badge_text;
} TsrMapThemeBox;

typedef struct
{
  gint64      theme_id;
  gint64      code_id;
  char       *name;
  char       *color;
  TsrMapRect  rect;
} TsrMapChip;

typedef struct
{
  gint64      id;
  gint64      from_theme;
  gint64      to_theme;
  char       *label;
  double      x1, y1, x2, y2;   /* from the border of one box to the other's */
  TsrMapRect  label_rect;       /* empty when there is no label */
} TsrMapArrow;

typedef struct _TsrMapLayout TsrMapLayout;

TsrMapLayout         *tsr_map_layout_compute      (const TsrMapModel *model,
                                                   TsrMapMeasureFunc  measure,
                                                   gpointer           user_data);
void                  tsr_map_layout_free         (TsrMapLayout      *layout);
guint                 tsr_map_layout_get_n_themes (const TsrMapLayout *layout);
const TsrMapThemeBox *tsr_map_layout_get_theme    (const TsrMapLayout *layout,
                                                   guint               index);
const TsrMapThemeBox *tsr_map_layout_find_theme   (const TsrMapLayout *layout,
                                                   gint64              theme_id);
guint                 tsr_map_layout_get_n_chips  (const TsrMapLayout *layout);
const TsrMapChip     *tsr_map_layout_get_chip     (const TsrMapLayout *layout,
                                                   guint               index);
const TsrMapChip     *tsr_map_layout_find_chip    (const TsrMapLayout *layout,
                                                   gint64              theme_id,
                                                   gint64              code_id);
guint                 tsr_map_layout_get_n_arrows (const TsrMapLayout *layout);
const TsrMapArrow    *tsr_map_layout_get_arrow    (const TsrMapLayout *layout,
                                                   guint               index);
const TsrMapArrow    *tsr_map_layout_find_arrow   (const TsrMapLayout *layout,
                                                   gint64              link_id);
TsrMapRect            tsr_map_layout_get_bounds   (const TsrMapLayout *layout);
gboolean              tsr_map_layout_is_within    (const TsrMapLayout *layout,
                                                   gint64              theme_id,
                                                   gint64              ancestor_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMapLayout, tsr_map_layout_free)

/* Hit-testing and navigation ------------------------------------------- */

typedef enum
{
  TSR_MAP_HIT_NONE,
  TSR_MAP_HIT_THEME,
  TSR_MAP_HIT_CHIP,
  TSR_MAP_HIT_LINK,
} TsrMapHitKind;

/**
 * TsrMapHit:
 * What is at a point, or what is selected: a theme (@theme_id), a chip
 * (@code_id inside @theme_id) or a link (@link_id).
 */
typedef struct
{
  TsrMapHitKind kind;
  gint64        theme_id;
  gint64        code_id;
  gint64        link_id;
} TsrMapHit;

gboolean   tsr_map_hit_equal            (const TsrMapHit    *a,
                                         const TsrMapHit    *b);
TsrMapHit  tsr_map_layout_hit           (const TsrMapLayout *layout,
                                         double              x,
                                         double              y,
                                         double              tolerance);
gint64     tsr_map_layout_theme_at      (const TsrMapLayout *layout,
                                         double              x,
                                         double              y,
                                         gint64              exclude_theme);
TsrMapRect tsr_map_layout_hit_rect      (const TsrMapLayout *layout,
                                         const TsrMapHit    *hit);
GArray    *tsr_map_layout_focus_order   (const TsrMapLayout *layout);
TsrMapHit  tsr_map_layout_step_focus    (const TsrMapLayout *layout,
                                         const TsrMapHit    *from,
                                         int                 step);
TsrMapHit  tsr_map_layout_neighbour     (const TsrMapLayout *layout,
                                         const TsrMapHit    *from,
                                         int                 dx,
                                         int                 dy);
void       tsr_map_layout_free_spot     (const TsrMapLayout *layout,
                                         double              width,
                                         double              height,
                                         double              near_x,
                                         double              near_y,
                                         double             *x,
                                         double             *y);

G_END_DECLS
