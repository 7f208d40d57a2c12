/* tsr-themes-view.h — searching for themes (phase 3): the map and the bin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"
#include "tsr-theme-map.h"

G_BEGIN_DECLS

#define TSR_TYPE_THEMES_VIEW (tsr_themes_view_get_type ())
G_DECLARE_FINAL_TYPE (TsrThemesView, tsr_themes_view, TSR, THEMES_VIEW, GtkWidget)

GtkWidget   *tsr_themes_view_new         (void);
TsrProject  *tsr_themes_view_get_project (TsrThemesView *self);
TsrThemeMap *tsr_themes_view_get_map     (TsrThemesView *self);
TsrCounts   *tsr_themes_view_get_counts  (TsrThemesView *self);
GtkListBox  *tsr_themes_view_get_bin     (TsrThemesView *self);

G_END_DECLS
