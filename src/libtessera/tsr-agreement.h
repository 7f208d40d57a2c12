/* tsr-agreement.h — how far independent coders agree, per code and overall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-export.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrAgreementUnit:
 * @TSR_AGREEMENT_PRESENCE: documents: whether each coder applied the code
 *   anywhere in a document (the unit behind "n of 22")
 * @TSR_AGREEMENT_CHARACTERS: characters: whether each coder coded each
 *   character of a document with the code (NVivo's unit)
 * @TSR_AGREEMENT_SEGMENTS: segments: whether each coder's segment is
 *   matched by a segment of the other coder's that overlaps it enough
 *   (MAXQDA's segment-level unit)
 *
 * What is counted as one observation when two coders are compared.
 */
typedef enum
{
  TSR_AGREEMENT_PRESENCE,
  TSR_AGREEMENT_CHARACTERS,
  TSR_AGREEMENT_SEGMENTS,
} TsrAgreementUnit;

const char *tsr_agreement_unit_to_string   (TsrAgreementUnit  unit);
gboolean    tsr_agreement_unit_from_string (const char       *str,
                                            TsrAgreementUnit *unit);

/**
 * TsrUndefinedReason:
 * @TSR_DEFINED: the value is defined
 * @TSR_UNDEFINED_NO_UNITS: there is nothing to compare (no document
 *   compared)
 * @TSR_UNDEFINED_CODE_UNUSED: neither coder applied the code
 * @TSR_UNDEFINED_CHANCE_IS_ONE: the agreement expected by chance is 1
 *   (each coder put every unit in one and the same category), so κ is 0/0
 * @TSR_UNDEFINED_NO_NEITHER: the unit has no "coded by neither" cell
 *   (segments), so there is no chance model for κ
 * @TSR_UNDEFINED_NO_VARIATION: every value in the data is the same, so α
 *   is 0/0
 * @TSR_UNDEFINED_NOT_PAIRABLE: no unit holds values from two coders
 * @TSR_UNDEFINED_NONE_APPLIED: neither coder applied any code of the row
 *   (a parent code with its sub-codes, or a theme)
 *
 * Why a statistic has no value.  An undefined statistic is NAN, never a
 * made-up 0 or 1.
 */
typedef enum
{
  TSR_DEFINED,                  /*< nick=defined >*/
  TSR_UNDEFINED_NO_UNITS,       /*< nick=no-units >*/
  TSR_UNDEFINED_CODE_UNUSED,    /*< nick=code-unused >*/
  TSR_UNDEFINED_CHANCE_IS_ONE,  /*< nick=chance-is-one >*/
  TSR_UNDEFINED_NO_NEITHER,     /*< nick=no-neither >*/
  TSR_UNDEFINED_NO_VARIATION,   /*< nick=no-variation >*/
  TSR_UNDEFINED_NOT_PAIRABLE,   /*< nick=not-pairable >*/
  TSR_UNDEFINED_NONE_APPLIED,   /*< nick=none-applied >*/
} TsrUndefinedReason;

const char *tsr_undefined_reason_to_string (TsrUndefinedReason reason);
const char *tsr_undefined_reason_describe  (TsrUndefinedReason reason);

/**
 * TsrStatistic:
 * @value: the value, or NAN when undefined
 * @undefined: %TSR_DEFINED, or why there is no value
 * @exact_num: with @exact_den, the value as an exact fraction
 * @exact_den: 0 when the value is known only as @value; otherwise @value
 *   is @exact_num / @exact_den rounded to a double, and the fraction is
 *   what tsr_agreement_format_statistic() rounds, so that a value exactly
 *   halfway is rounded away from zero whatever its binary form
 */
typedef struct
{
  double              value;
  TsrUndefinedReason  undefined;
  gint64              exact_num;
  guint64             exact_den;
} TsrStatistic;

/* The statistics of a 2 × 2 table ------------------------------------- */

void      tsr_agreement_two_by_two (guint64       both,
                                    guint64       only_a,
                                    guint64       only_b,
                                    guint64       neither,
                                    TsrStatistic *percent,
                                    TsrStatistic *kappa,
                                    TsrStatistic *bp_kappa);
void      tsr_agreement_two_by_two_alpha (guint64       both,
                                          guint64       only_a,
                                          guint64       only_b,
                                          guint64       neither,
                                          TsrStatistic *alpha);

/* Krippendorff's alpha, nominal --------------------------------------- */

/* A missing value in a coders × units matrix. */
#define TSR_ALPHA_MISSING G_MININT

/**
 * TsrAlphaResult:
 * @alpha: α = 1 − D_o / D_e
 * @n_units: units holding at least two values (pairable units)
 * @n_values: n, the number of pairable values
 * @observed: D_o, the observed disagreement (share of off-diagonal
 *   coincidences)
 * @expected: D_e, the disagreement expected by chance
 * @n_categories: the distinct values among the pairable values
 */
typedef struct
{
  TsrStatistic  alpha;
  guint         n_units;
  double        n_values;
  double        observed;
  double        expected;
  guint         n_categories;
} TsrAlphaResult;

typedef struct _TsrAlphaAccumulator TsrAlphaAccumulator;

TsrAlphaAccumulator *tsr_alpha_accumulator_new       (void);
void                 tsr_alpha_accumulator_free      (TsrAlphaAccumulator *acc);
void                 tsr_alpha_accumulator_add_units (TsrAlphaAccumulator *acc,
                                                      const gint          *values,
                                                      guint                n_coders,
                                                      guint                n_units);
void                 tsr_alpha_accumulator_merge     (TsrAlphaAccumulator       *acc,
                                                      const TsrAlphaAccumulator *other);
double               tsr_alpha_accumulator_get_coincidence (const TsrAlphaAccumulator *acc,
                                                            gint                       value_c,
                                                            gint                       value_k);
void                 tsr_alpha_accumulator_compute   (const TsrAlphaAccumulator *acc,
                                                      TsrAlphaResult            *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrAlphaAccumulator, tsr_alpha_accumulator_free)

void      tsr_krippendorff_alpha_nominal (const gint     *values,
                                          guint           n_coders,
                                          guint           n_units,
                                          TsrAlphaResult *result);

/* Agreement in a project ---------------------------------------------- */

/**
 * TsrAgreementFlags:
 * @TSR_AGREEMENT_DEFAULT: a document a coder has not coded at all (no
 *   segment of any code) counts as one where that coder applied none of
 *   the codes, as NVivo, MAXQDA and ATLAS.ti count it: every document is
 *   compared
 * @TSR_AGREEMENT_UNCODED_AS_MISSING: leave such a document out of every
 *   comparison with that coder, as not yet coded rather than judged to
 *   hold no code (the documents left out are listed by
 *   tsr_agreement_get_left_out())
 * @TSR_AGREEMENT_MERGE_TOUCHING: for the segments unit, merge a coder's
 *   segments of one code that only touch ([0, 10) and [10, 20)) into one,
 *   as well as those that overlap; by default they stay two segments
 * @TSR_AGREEMENT_IGNORE_DONE: compare by the coding even when the coders
 *   marked documents as done: by default, once either coder compared has
 *   marked a document as done, only the documents both (every coder, for
 *   α: each coder's own) marked done are compared
 *
 * Which documents are compared: when a coder compared has marked
 * documents as done (tsr_project_set_documents_done()), those both
 * coders marked done, unless %TSR_AGREEMENT_IGNORE_DONE; otherwise every
 * document, or with %TSR_AGREEMENT_UNCODED_AS_MISSING those both coded.
 */
typedef enum /*< flags >*/
{
  TSR_AGREEMENT_DEFAULT            = 0,
  TSR_AGREEMENT_UNCODED_AS_MISSING = 1 << 0,
  TSR_AGREEMENT_MERGE_TOUCHING     = 1 << 1,
  TSR_AGREEMENT_IGNORE_DONE        = 1 << 2,
} TsrAgreementFlags;

/**
 * TsrAgreementDocuments:
 * @TSR_AGREEMENT_EVERY_DOCUMENT: every document is compared; one a coder
 *   did not code at all counts as holding none of the codes for them
 * @TSR_AGREEMENT_CODED_DOCUMENTS: the documents both coders coded
 *   something in (%TSR_AGREEMENT_UNCODED_AS_MISSING)
 * @TSR_AGREEMENT_DONE_DOCUMENTS: the documents both coders marked as done
 *
 * Which documents an agreement compares, and so which it leaves out.
 */
typedef enum
{
  TSR_AGREEMENT_EVERY_DOCUMENT,   /*< nick=all >*/
  TSR_AGREEMENT_CODED_DOCUMENTS,  /*< nick=coded >*/
  TSR_AGREEMENT_DONE_DOCUMENTS,   /*< nick=done >*/
} TsrAgreementDocuments;

const char *tsr_agreement_documents_to_string (TsrAgreementDocuments documents);

/**
 * TsrAgreementRowKind:
 * @TSR_AGREEMENT_ROW_CODE: a code's own coding (for a code with sub-codes,
 *   its segments of the code itself, the sub-codes apart)
 * @TSR_AGREEMENT_ROW_CODE_TREE: a code with sub-codes, rolled up: a coder
 *   applied it where they applied it or any code below it, as a code's n
 *   counts it
 * @TSR_AGREEMENT_ROW_POOLED: the codes the coders applied, pooled
 * @TSR_AGREEMENT_ROW_THEME: a theme: a coder applied it where they applied
 *   any of its codes (with the codes below them) or of its sub-themes', as
 *   a theme's n counts it
 *
 * What one row of an agreement table is about.
 */
typedef enum
{
  TSR_AGREEMENT_ROW_CODE,       /*< nick=code >*/
  TSR_AGREEMENT_ROW_CODE_TREE,  /*< nick=code-tree >*/
  TSR_AGREEMENT_ROW_POOLED,     /*< nick=pooled >*/
  TSR_AGREEMENT_ROW_THEME,      /*< nick=theme >*/
} TsrAgreementRowKind;

const char *tsr_agreement_row_kind_to_string (TsrAgreementRowKind kind);

/**
 * TsrDocumentCoding:
 * @TSR_DOCUMENT_CODED_BY_BOTH: both coders coded something in the document
 * @TSR_DOCUMENT_CODED_BY_A_ONLY: only the first coder coded anything in it
 * @TSR_DOCUMENT_CODED_BY_B_ONLY: only the second coder coded anything in it
 * @TSR_DOCUMENT_CODED_BY_NEITHER: neither coder coded anything in it
 *
 * Which of the two coders compared coded a document at all (a segment of
 * any code).
 */
typedef enum
{
  TSR_DOCUMENT_CODED_BY_BOTH,     /*< nick=both >*/
  TSR_DOCUMENT_CODED_BY_A_ONLY,   /*< nick=a-only >*/
  TSR_DOCUMENT_CODED_BY_B_ONLY,   /*< nick=b-only >*/
  TSR_DOCUMENT_CODED_BY_NEITHER,  /*< nick=neither >*/
} TsrDocumentCoding;

const char *tsr_document_coding_to_string (TsrDocumentCoding coding);

/**
 * TsrAgreementRow:
 * @unit: what was counted
 * @both: units coded by both coders (documents or characters)
 * @only_a: units coded by the first coder only
 * @only_b: units coded by the second coder only
 * @neither: units coded by neither
 * @segments_a: the first coder's segments (overlapping ones merged, and
 *   touching ones with %TSR_AGREEMENT_MERGE_TOUCHING)
 * @matched_a: of those, how many the second coder matched
 * @segments_b: the second coder's segments
 * @matched_b: of those, how many the first coder matched
 * @n_documents: the documents compared
 * @percent: percent agreement
 * @kappa: Cohen's κ
 * @bp_kappa: Brennan and Prediger's κ for two categories, 2·p_o − 1
 * @alpha: Krippendorff's α (nominal) on the row's own 2 × 2 table, the two
 *   coders' values on the unit counted (documents or characters);
 *   undefined for segments, which have no "coded by neither" count (for
 *   α over every coder compared, on documents, see
 *   tsr_agreement_get_alpha())
 * @kind: what the row is about
 * @id: the code or theme, 0 for the pooled row
 * @depth: 0 for a top-level code or theme, 1 below it…
 *
 * One row of an agreement table: its inputs, then its statistics.  For
 * %TSR_AGREEMENT_SEGMENTS the segment fields are the inputs and the 2 × 2
 * fields are zero; otherwise the reverse.
 */
typedef struct
{
  TsrAgreementUnit  unit;
  guint64           both;
  guint64           only_a;
  guint64           only_b;
  guint64           neither;
  guint             segments_a;
  guint             matched_a;
  guint             segments_b;
  guint             matched_b;
  guint             n_documents;
  TsrStatistic      percent;
  TsrStatistic      kappa;
  TsrStatistic      bp_kappa;
  TsrStatistic      alpha;
  TsrAgreementRowKind kind;
  gint64            id;
  guint             depth;
} TsrAgreementRow;

/**
 * TsrAgreementCell:
 * @document_id: the document
 * @both: characters both coders coded with the code
 * @only_a: characters only the first coder coded
 * @only_b: characters only the second coder coded
 * @neither: the document's other characters
 * @percent: percent agreement over the document's characters
 * @kappa: Cohen's κ over the document's characters
 *
 * Character-level agreement on one code in one document.
 */
typedef struct
{
  gint64        document_id;
  guint64       both;
  guint64       only_a;
  guint64       only_b;
  guint64       neither;
  TsrStatistic  percent;
  TsrStatistic  kappa;
} TsrAgreementCell;

/**
 * TsrAgreementMean:
 * @kappa: the mean of the per-document character κ, each weighted by its
 *   document's length
 * @percent: the mean of the per-document percent agreement, weighted the
 *   same way
 * @n_documents: the documents averaged: those compared where either
 *   coder applied the code and κ is defined (where neither did, κ is 0/0)
 * @n_characters: their total length, the sum of the weights
 *
 * NVivo's figures: its coding comparison gives κ and agreement per code
 * per document, and averages them weighted by document size.  Beside the
 * pooled κ (every character of every document compared in one table)
 * they answer a different question — how well the coders agree within
 * the documents where the code occurs — and can differ a lot.
 */
typedef struct
{
  TsrStatistic  kappa;
  TsrStatistic  percent;
  guint         n_documents;
  guint64       n_characters;
} TsrAgreementMean;

typedef struct _TsrAgreement TsrAgreement;

#define TSR_TYPE_AGREEMENT (tsr_agreement_get_type ())
GType          tsr_agreement_get_type     (void) G_GNUC_CONST;

TsrAgreement  *tsr_project_compute_agreement        (TsrProject          *self,
                                                     const gint64        *coder_ids,
                                                     guint                n_coders,
                                                     double               min_overlap,
                                                     TsrAgreementFlags    flags,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void           tsr_project_compute_agreement_async  (TsrProject          *self,
                                                     const gint64        *coder_ids,
                                                     guint                n_coders,
                                                     double               min_overlap,
                                                     TsrAgreementFlags    flags,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
TsrAgreement  *tsr_project_compute_agreement_finish (TsrProject          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

TsrAgreement  *tsr_agreement_ref             (TsrAgreement *agreement);
void           tsr_agreement_unref           (TsrAgreement *agreement);

const gint64  *tsr_agreement_get_coders      (TsrAgreement *agreement,
                                              guint        *n_coders);
double         tsr_agreement_get_min_overlap (TsrAgreement *agreement);
TsrAgreementFlags tsr_agreement_get_flags    (TsrAgreement *agreement);
TsrAgreementDocuments tsr_agreement_get_documents (TsrAgreement *agreement);
guint          tsr_agreement_get_n_documents (TsrAgreement *agreement);
guint          tsr_agreement_get_n_compared  (TsrAgreement *agreement);
guint          tsr_agreement_count_documents (TsrAgreement      *agreement,
                                              TsrDocumentCoding  coding);
TsrDocumentCoding tsr_agreement_get_document_coding (TsrAgreement *agreement,
                                                     gint64        document_id);
TsrDocumentCoding tsr_agreement_get_document_done (TsrAgreement *agreement,
                                                   gint64        document_id);
const gint64  *tsr_agreement_get_left_out    (TsrAgreement *agreement,
                                              guint        *n_left_out);
gint64        *tsr_agreement_get_unused_codes (TsrAgreement *agreement,
                                               guint        *n_unused);
const gint64  *tsr_agreement_get_codes       (TsrAgreement *agreement,
                                              guint        *n_codes);
guint          tsr_agreement_get_code_depth  (TsrAgreement *agreement,
                                              gint64        code_id);
gboolean       tsr_agreement_get_row         (TsrAgreement     *agreement,
                                              gint64            code_id,
                                              TsrAgreementUnit  unit,
                                              TsrAgreementRow  *row);
gboolean       tsr_agreement_get_alpha       (TsrAgreement     *agreement,
                                              gint64            code_id,
                                              TsrAlphaResult   *alpha);
guint          tsr_agreement_get_n_cells     (TsrAgreement     *agreement,
                                              gint64            code_id);
gboolean       tsr_agreement_get_document_mean (TsrAgreement     *agreement,
                                                gint64            code_id,
                                                TsrAgreementMean *mean);
gboolean       tsr_agreement_get_cell        (TsrAgreement     *agreement,
                                              gint64            code_id,
                                              guint             index,
                                              TsrAgreementCell *cell);

guint          tsr_agreement_get_n_rows      (TsrAgreement     *agreement);
gint           tsr_agreement_find_row        (TsrAgreement        *agreement,
                                              TsrAgreementRowKind  kind,
                                              gint64               id);
gboolean       tsr_agreement_get_row_at      (TsrAgreement     *agreement,
                                              guint             index,
                                              TsrAgreementUnit  unit,
                                              TsrAgreementRow  *row);
gboolean       tsr_agreement_get_alpha_at    (TsrAgreement     *agreement,
                                              guint             index,
                                              TsrAlphaResult   *alpha);
gboolean       tsr_agreement_get_document_mean_at (TsrAgreement     *agreement,
                                                   guint             index,
                                                   TsrAgreementMean *mean);
guint          tsr_agreement_get_n_cells_at  (TsrAgreement     *agreement,
                                              guint             index);
gboolean       tsr_agreement_get_cell_at     (TsrAgreement     *agreement,
                                              guint             index,
                                              guint             cell_index,
                                              TsrAgreementCell *cell);
char          *tsr_agreement_dup_row_label   (TsrAgreement     *agreement,
                                              TsrProject       *project,
                                              guint             index,
                                              gboolean          path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrAgreement, tsr_agreement_unref)

char              *tsr_agreement_format_statistic (TsrStatistic       statistic,
                                                   guint              decimals);
char              *tsr_agreement_describe_unit      (TsrAgreement     *agreement,
                                                     TsrAgreementUnit  unit);
char              *tsr_agreement_describe_pooling  (TsrAgreement     *agreement,
                                                     TsrProject       *project,
                                                     gboolean          name_codes);
char              *tsr_agreement_describe_documents (TsrAgreement     *agreement,
                                                     TsrProject       *project);
char              *tsr_agreement_describe_documents_brief (TsrAgreement *agreement,
                                                           TsrProject   *project,
                                                           guint         max_named);
char              *tsr_agreement_describe_left_out (TsrAgreement      *agreement,
                                                    TsrProject        *project,
                                                    gint64             document_id);
char              *tsr_agreement_describe_document_mean (void);
char              *tsr_agreement_describe_rows      (TsrAgreement     *agreement);
char              *tsr_agreement_describe_alpha     (TsrAgreement     *agreement,
                                                     TsrAgreementUnit  unit);
TsrExportDocument *tsr_agreement_to_document      (TsrAgreement      *agreement,
                                                   TsrProject        *project,
                                                   TsrAgreementUnit   unit,
                                                   gboolean           per_document);

G_END_DECLS
