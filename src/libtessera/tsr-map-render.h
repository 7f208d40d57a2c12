/* tsr-map-render.h — drawing the theme map with cairo
 *
 * One renderer draws the map on screen (through a cairo node) and into
 * PNG, SVG and PDF files, so an export looks like what the canvas shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "tsr-map-layout.h"

G_BEGIN_DECLS

typedef struct _TsrMapRenderer TsrMapRenderer;

TsrMapRenderer *tsr_map_renderer_new     (const char      *font_family);
void            tsr_map_renderer_free    (TsrMapRenderer  *renderer);
double          tsr_map_renderer_measure (const char      *text,
                                          TsrMapTextStyle  style,
                                          gpointer         renderer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMapRenderer, tsr_map_renderer_free)

/* Below this zoom, chips are drawn as coloured bars without their names. */
#define TSR_MAP_SIMPLIFY_BELOW 0.45

/**
 * TsrMapLayer:
 * @TSR_MAP_LAYER_ALL: everything (exports)
 * @TSR_MAP_LAYER_BASE: the map without selection, hover, drop target,
 *   dragged items or the link being drawn: what a canvas can cache
 * @TSR_MAP_LAYER_OVERLAY: only those, to draw over a cached base
 */
typedef enum
{
  TSR_MAP_LAYER_ALL,
  TSR_MAP_LAYER_BASE,
  TSR_MAP_LAYER_OVERLAY,
} TsrMapLayer;

typedef struct
{
  TsrMapLayer    layer;
  double         scale;          /* device units per world unit */
  double         origin_x;       /* the world point at device (0, 0) */
  double         origin_y;
  gboolean       dark;
  gboolean       grid;           /* dots in the background (the canvas) */
  gboolean       background;     /* fill the background first */
  TsrMapHit      selection;
  TsrMapHit      hover;
  gint64         drop_theme;     /* highlighted as where a drop lands */
  TsrMapHit      drag;           /* a theme or chip being dragged… */
  double         drag_dx;        /* …drawn this far from its place */
  double         drag_dy;
  gint64         link_from;      /* a link being drawn from this theme… */
  double         link_x;         /* …to this world point */
  double         link_y;
} TsrMapRenderOptions;

void     tsr_map_render_options_init (TsrMapRenderOptions      *options);
TsrMapRect tsr_map_render_overlay_bounds (const TsrMapLayout        *layout,
                                          const TsrMapRenderOptions *options);
void     tsr_map_render              (TsrMapRenderer           *renderer,
                                      const TsrMapLayout       *layout,
                                      cairo_t                  *cr,
                                      const TsrMapRenderOptions *options,
                                      double                    device_width,
                                      double                    device_height);

typedef enum
{
  TSR_MAP_EXPORT_PNG,
  TSR_MAP_EXPORT_SVG,
  TSR_MAP_EXPORT_PDF,
} TsrMapExportFormat;

gboolean tsr_map_export_format_for_path (const char         *path,
                                         TsrMapExportFormat *format);
gboolean tsr_map_export                 (TsrMapRenderer     *renderer,
                                         const TsrMapLayout *layout,
                                         TsrMapExportFormat  format,
                                         const char         *path,
                                         GError            **error);

G_END_DECLS
