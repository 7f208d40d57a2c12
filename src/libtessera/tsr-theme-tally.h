/* tsr-theme-tally.h — theme n recounted at once after a theme edit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-counts.h"

G_BEGIN_DECLS

typedef struct _TsrThemeTally TsrThemeTally;

gboolean       tsr_theme_tally_supports     (const TsrScope *scope);
TsrThemeTally *tsr_theme_tally_new          (TsrCounts     *counts);
void           tsr_theme_tally_new_async    (TsrCounts           *counts,
                                             TsrProject          *project,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TsrThemeTally *tsr_theme_tally_new_finish   (GAsyncResult  *result,
                                             GError       **error);
void           tsr_theme_tally_free         (TsrThemeTally *tally);
gboolean       tsr_theme_tally_update       (TsrThemeTally *tally,
                                             TsrProject    *project,
                                             GError       **error);
guint          tsr_theme_tally_get_theme_n  (TsrThemeTally *tally,
                                             gint64         theme_id);
TsrCounts     *tsr_theme_tally_get_counts   (TsrThemeTally *tally);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrThemeTally, tsr_theme_tally_free)

G_END_DECLS
