/* tsr-theme-map-private.h — the theme map's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The map is written in four files: tsr-theme-map.c (the view, drawing,
 * edits, the public API), tsr-theme-map-input.c (pointer, keyboard and
 * drops), tsr-theme-map-edit.c (the name editor, the context menu and
 * the map.* actions) and tsr-theme-map-items.c (the accessible items
 * over what is drawn).  Only they include this header.
 */
#pragma once

#include "tsr-theme-map.h"

G_BEGIN_DECLS

#define MIN_ZOOM        0.1
#define MAX_ZOOM        4.0
#define DRAG_THRESHOLD  4.0
#define KEY_STEP       16.0
#define FIT_MARGIN     32.0
/* The map opens at its natural size, where a chip's text is set at 11 px:
 * fitting a big map instead made it unreadable (7 px at 57 %). */
#define OPEN_ZOOM       1.0
#define TILE_SIZE     256          /* logical pixels */
#define MAX_TILES     400
#define SETTLE_MS     160

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_ITEM,
  DRAG_LINK,
} DragMode;

struct _TsrThemeMap
{
  GtkWidget        parent_instance;

  TsrProject      *project;
  gulong           changed_handler;
  TsrCounts       *counts;
  TsrThemeTally   *tally;        /* not owned */

  TsrMapRenderer  *renderer;
  TsrMapModel     *model;
  TsrMapLayout    *layout;

  double           zoom;
  double           origin_x;
  double           origin_y;
  gboolean         needs_fit;

  TsrMapHit        selection;
  TsrMapHit        hover;
  char            *selection_label;

  DragMode         drag_mode;
  TsrMapHit        drag_hit;
  gboolean         drag_moved;
  double           drag_start_x;
  double           drag_start_y;
  double           drag_origin_x;
  double           drag_origin_y;
  double           drag_dx;
  double           drag_dy;
  gboolean         drag_copy;
  gint64           drop_theme;

  gboolean         link_mode;
  gint64           link_from;
  double           link_x;
  double           link_y;

  double           pointer_x;
  double           pointer_y;
  double           zoom_start;
  gboolean         defer_notify;
  guint            notify_source;

  /* The base layer, drawn once into tiles and reused while panning. */
  GHashTable      *tiles;          /* gint64 (i, j) → GdkTexture */
  double           tile_zoom;
  int              tile_scale;
  gboolean         tile_dark;
  guint            settle_source;
  guint            n_tiles_drawn;
  gint64           snapshot_us;

  GtkWidget       *editor;
  GtkWidget       *editor_entry;
  GtkWidget       *editor_label;
  TsrMapHit        editing;
  GtkWidget       *context_menu;

  /* One accessible child per theme and chip, laid over what is drawn. */
  GPtrArray       *items;
  gboolean         in_allocate;
};

/* tsr-theme-map-input.c */
void _tsr_theme_map_setup_input (TsrThemeMap *self);

/* tsr-theme-map-edit.c */
void _tsr_theme_map_setup_editor (TsrThemeMap *self);
void _tsr_theme_map_class_actions_init (GtkWidgetClass *widget_class);

/* tsr-theme-map.c */
void _tsr_theme_map_emit_activate_theme (TsrThemeMap *self,
                                         gint64       theme_id);
void _tsr_theme_map_show_message (TsrThemeMap *self,
                                  const char  *message);
void _tsr_theme_map_report (TsrThemeMap *self,
                            GError      *error);
char *_tsr_theme_map_describe (TsrThemeMap     *self,
                               const TsrMapHit *hit);
void _tsr_theme_map_set_selection (TsrThemeMap     *self,
                                   const TsrMapHit *hit);
void _tsr_theme_map_ensure_visible (TsrThemeMap     *self,
                                    const TsrMapHit *hit);
gboolean _tsr_theme_map_place_code (TsrThemeMap  *self,
                                    gint64        code_id,
                                    const char   *code_name,
                                    gint64        from_theme,
                                    gint64        target,
                                    gboolean      copy,
                                    double        wx,
                                    double        wy,
                                    GError      **error);
gboolean _tsr_theme_map_drop_code_at (TsrThemeMap  *self,
                                      TsrCode      *code,
                                      double        x,
                                      double        y,
                                      GError      **error);
void _tsr_theme_map_delete_selection (TsrThemeMap *self);
void _tsr_theme_map_nudge_selection (TsrThemeMap *self,
                                     int          dx,
                                     int          dy);

/* tsr-theme-map-items.c */
void _tsr_theme_map_clear_items (TsrThemeMap *self);
void _tsr_theme_map_rebuild_items (TsrThemeMap *self);
void _tsr_theme_map_allocate_items (TsrThemeMap *self);

/* tsr-theme-map-edit.c */
void _tsr_theme_map_open_editor (TsrThemeMap     *self,
                                 const TsrMapHit *hit);
void _tsr_theme_map_show_context_menu (TsrThemeMap *self,
                                       double       x,
                                       double       y);
const char *_tsr_theme_map_get_theme_status (TsrThemeMap *self);
void _tsr_theme_map_set_theme_status (TsrThemeMap *self,
                                      const char  *name);

G_END_DECLS
