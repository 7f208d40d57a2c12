/* tsr-disagreement.h — where two coders' coding differs, and its reconciliation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-agreement.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrDisagreementKind:
 * @TSR_DISAGREEMENT_ONLY_A: only the first coder coded the passage
 * @TSR_DISAGREEMENT_ONLY_B: only the second coder coded it
 * @TSR_DISAGREEMENT_SPANS_DIFFER: both coded it, over different spans
 */
typedef enum
{
  TSR_DISAGREEMENT_ONLY_A,
  TSR_DISAGREEMENT_ONLY_B,
  TSR_DISAGREEMENT_SPANS_DIFFER,
} TsrDisagreementKind;

/**
 * TsrResolution:
 * @TSR_RESOLUTION_NONE: not resolved yet
 * @TSR_RESOLUTION_ACCEPT_A: the consensus takes the first coder's spans
 * @TSR_RESOLUTION_ACCEPT_B: the consensus takes the second coder's spans
 * @TSR_RESOLUTION_ACCEPT_BOTH: the consensus takes every character either
 *   coder coded
 * @TSR_RESOLUTION_REJECT: the consensus does not code the passage
 */
typedef enum
{
  TSR_RESOLUTION_NONE,
  TSR_RESOLUTION_ACCEPT_A,    /*< nick=accept_a >*/
  TSR_RESOLUTION_ACCEPT_B,    /*< nick=accept_b >*/
  TSR_RESOLUTION_ACCEPT_BOTH, /*< nick=accept_both >*/
  TSR_RESOLUTION_REJECT,
} TsrResolution;

const char *tsr_resolution_to_string   (TsrResolution  resolution);
gboolean    tsr_resolution_from_string (const char    *str,
                                        TsrResolution *resolution);

/**
 * TsrDisagreementSide:
 * @TSR_SIDE_A: the first coder
 * @TSR_SIDE_B: the second coder
 * @TSR_SIDE_CONSENSUS: the consensus coding over the passage, as it is now
 */
typedef enum
{
  TSR_SIDE_A,
  TSR_SIDE_B,
  TSR_SIDE_CONSENSUS,
} TsrDisagreementSide;

#define TSR_TYPE_DISAGREEMENT (tsr_disagreement_get_type ())
G_DECLARE_FINAL_TYPE (TsrDisagreement, tsr_disagreement, TSR, DISAGREEMENT, GObject)

gint64               tsr_disagreement_get_code_id       (TsrDisagreement     *self);
gint64               tsr_disagreement_get_document_id   (TsrDisagreement     *self);
gint64               tsr_disagreement_get_coder_a       (TsrDisagreement     *self);
gint64               tsr_disagreement_get_coder_b       (TsrDisagreement     *self);
guint                tsr_disagreement_get_start         (TsrDisagreement     *self);
guint                tsr_disagreement_get_end           (TsrDisagreement     *self);
guint                tsr_disagreement_get_context_start (TsrDisagreement     *self);
guint                tsr_disagreement_get_context_end   (TsrDisagreement     *self);
const guint         *tsr_disagreement_get_spans         (TsrDisagreement     *self,
                                                         TsrDisagreementSide  side,
                                                         guint               *n_spans);
char                *tsr_disagreement_format_spans      (TsrDisagreement     *self,
                                                         TsrDisagreementSide  side);
TsrDisagreementKind  tsr_disagreement_get_kind          (TsrDisagreement     *self);
TsrResolution        tsr_disagreement_get_resolution    (TsrDisagreement     *self);

GListModel          *tsr_project_list_disagreements     (TsrProject          *self,
                                                         gint64               coder_a,
                                                         gint64               coder_b,
                                                         gint64               code_id,
                                                         TsrAgreementFlags    flags,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
gboolean             tsr_project_resolve_disagreement   (TsrProject          *self,
                                                         TsrDisagreement     *disagreement,
                                                         TsrResolution        resolution,
                                                         GError             **error);
gboolean             tsr_project_adopt_agreements       (TsrProject          *self,
                                                         gint64               coder_a,
                                                         gint64               coder_b,
                                                         guint               *n_adopted,
                                                         GError             **error);
char                *tsr_project_get_passage            (TsrProject          *self,
                                                         gint64               document_id,
                                                         guint                start,
                                                         guint                end,
                                                         GError             **error);

G_END_DECLS
