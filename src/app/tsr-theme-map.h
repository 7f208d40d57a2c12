/* tsr-theme-map.h — the theme map canvas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

/* What a drag of a code carries, between the code tree, the bin and the map. */
#define TSR_CODE_DRAG_PREFIX "tessera-code:"

#define TSR_TYPE_THEME_MAP (tsr_theme_map_get_type ())
G_DECLARE_FINAL_TYPE (TsrThemeMap, tsr_theme_map, TSR, THEME_MAP, GtkWidget)

GtkWidget          *tsr_theme_map_new             (void);
TsrProject         *tsr_theme_map_get_project     (TsrThemeMap        *self);
void                tsr_theme_map_set_project     (TsrThemeMap        *self,
                                                   TsrProject         *project);
void                tsr_theme_map_set_counts      (TsrThemeMap        *self,
                                                   TsrCounts          *counts);
void                tsr_theme_map_set_tally       (TsrThemeMap        *self,
                                                   TsrThemeTally      *tally);
void                tsr_theme_map_refresh         (TsrThemeMap        *self);
const TsrMapLayout *tsr_theme_map_get_layout      (TsrThemeMap        *self);
TsrMapHit           tsr_theme_map_get_selection   (TsrThemeMap        *self);
void                tsr_theme_map_select          (TsrThemeMap        *self,
                                                   const TsrMapHit    *hit);
const char         *tsr_theme_map_get_selection_label (TsrThemeMap    *self);
double              tsr_theme_map_get_zoom        (TsrThemeMap        *self);
void                tsr_theme_map_set_zoom        (TsrThemeMap        *self,
                                                   double              zoom);
void                tsr_theme_map_zoom_at         (TsrThemeMap        *self,
                                                   double              zoom,
                                                   double              x,
                                                   double              y);
void                tsr_theme_map_fit             (TsrThemeMap        *self);
void                tsr_theme_map_get_origin      (TsrThemeMap        *self,
                                                   double             *x,
                                                   double             *y);
void                tsr_theme_map_set_origin      (TsrThemeMap        *self,
                                                   double              x,
                                                   double              y);
gboolean            tsr_theme_map_get_link_mode   (TsrThemeMap        *self);
void                tsr_theme_map_set_link_mode   (TsrThemeMap        *self,
                                                   gboolean            link_mode);
gint64              tsr_theme_map_new_theme       (TsrThemeMap        *self,
                                                   GError            **error);
gboolean            tsr_theme_map_drop_code       (TsrThemeMap        *self,
                                                   const char         *drag_text,
                                                   double              x,
                                                   double              y,
                                                   GError            **error);
gboolean            tsr_theme_map_add_code        (TsrThemeMap        *self,
                                                   gint64              code_id,
                                                   gint64              theme_id,
                                                   GError            **error);
gboolean            tsr_theme_map_export          (TsrThemeMap        *self,
                                                   const char         *path,
                                                   GError            **error);
void                tsr_theme_map_widget_to_world (TsrThemeMap        *self,
                                                   double              x,
                                                   double              y,
                                                   double             *wx,
                                                   double             *wy);
void                tsr_theme_map_world_to_widget (TsrThemeMap        *self,
                                                   double              wx,
                                                   double              wy,
                                                   double             *x,
                                                   double             *y);

/* For the benchmark. */
void                _tsr_theme_map_get_stats      (TsrThemeMap        *self,
                                                   guint              *n_tiles,
                                                   gint64             *snapshot_us);

G_END_DECLS
