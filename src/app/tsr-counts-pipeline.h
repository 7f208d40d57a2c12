/* tsr-counts-pipeline.h — a view's counts, kept up to date off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

/* The edits that can change a code's n: the pipeline counts again */
#define TSR_COUNTED_CHANGES (TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS | \
                             TSR_CHANGE_CODERS | TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES)

#define TSR_TYPE_COUNTS_PIPELINE (tsr_counts_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (TsrCountsPipeline, tsr_counts_pipeline, TSR, COUNTS_PIPELINE, GObject)

TsrCountsPipeline *tsr_counts_pipeline_new             (GtkWidget         *view,
                                                        GtkDropDown       *scope_choice);
void               tsr_counts_pipeline_set_project     (TsrCountsPipeline *self,
                                                        TsrProject        *project);
void               tsr_counts_pipeline_queue           (TsrCountsPipeline *self);
void               tsr_counts_pipeline_view_mapped     (TsrCountsPipeline *self);
TsrCounts         *tsr_counts_pipeline_get_counts      (TsrCountsPipeline *self);
TsrThemeTally     *tsr_counts_pipeline_get_tally       (TsrCountsPipeline *self);
double             tsr_counts_pipeline_get_last_ms     (TsrCountsPipeline *self);

G_END_DECLS
