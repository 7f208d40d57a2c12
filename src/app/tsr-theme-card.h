/* tsr-theme-card.h — defining and naming a theme (phase 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_THEME_CARD (tsr_theme_card_get_type ())
G_DECLARE_FINAL_TYPE (TsrThemeCard, tsr_theme_card, TSR, THEME_CARD, GtkWidget)

GtkWidget   *tsr_theme_card_new            (void);
void         tsr_theme_card_set_project    (TsrThemeCard  *self,
                                            TsrProject    *project);
void         tsr_theme_card_set_theme      (TsrThemeCard  *self,
                                            gint64         theme_id);
gint64       tsr_theme_card_get_theme      (TsrThemeCard  *self);
void         tsr_theme_card_set_counts     (TsrThemeCard  *self,
                                            TsrCounts     *counts);
void         tsr_theme_card_set_tally      (TsrThemeCard  *self,
                                            TsrThemeTally *tally);
void         tsr_theme_card_save           (TsrThemeCard  *self);
GtkTextView *tsr_theme_card_get_field_view (TsrThemeCard  *self,
                                            TsrThemeField  field);
GtkEntry    *tsr_theme_card_get_name_entry (TsrThemeCard  *self);

G_END_DECLS
