/* tsr-phases.h — where a project stands in the six phases of analysis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrPhase:
 * Braun and Clarke's six phases of thematic analysis.
 */
typedef enum
{
  TSR_PHASE_FAMILIARISING,
  TSR_PHASE_CODING,
  TSR_PHASE_SEARCHING,
  TSR_PHASE_REVIEWING,
  TSR_PHASE_DEFINING,
  TSR_PHASE_WRITING,
  TSR_N_PHASES,  /*< skip >*/
} TsrPhase;

/**
 * TsrPhaseProgress:
 * @done: how many of the phase's items are done
 * @total: how many there are (0 when there is nothing to do yet)
 */
typedef struct
{
  guint done;
  guint total;
} TsrPhaseProgress;

const char *tsr_phase_get_name        (TsrPhase          phase);
const char *tsr_phase_get_unit        (TsrPhase          phase);
double      tsr_phase_progress_fraction (const TsrPhaseProgress *progress);
gboolean    tsr_project_get_phase_progress (TsrProject       *self,
                                            TsrPhaseProgress  progress[TSR_N_PHASES],
                                            GError          **error);

G_END_DECLS
