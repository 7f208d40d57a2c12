/* tsr-review-view.h — reviewing themes (phase 4) and their cards (phase 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"
#include "tsr-theme-card.h"

G_BEGIN_DECLS

#define TSR_TYPE_REVIEW_VIEW (tsr_review_view_get_type ())
G_DECLARE_FINAL_TYPE (TsrReviewView, tsr_review_view, TSR, REVIEW_VIEW, GtkWidget)

GtkWidget    *tsr_review_view_new          (void);
void          tsr_review_view_select_theme (TsrReviewView *self,
                                            gint64         theme_id);
gint64        tsr_review_view_get_theme    (TsrReviewView *self);
TsrCounts    *tsr_review_view_get_counts   (TsrReviewView *self);
TsrThemeCard *tsr_review_view_get_card     (TsrReviewView *self);
GtkListBox   *tsr_review_view_get_table    (TsrReviewView *self);
GtkListBox   *tsr_review_view_get_extracts (TsrReviewView *self);
double        tsr_review_view_get_last_update_ms (TsrReviewView *self);

G_END_DECLS
