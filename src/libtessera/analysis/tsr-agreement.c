/* tsr-agreement.c — how far independent coders agree, per code and overall
 *
 * Three units of comparison, each reported with the counts behind it:
 *
 * Presence (documents).  For a code and a document, did each coder apply
 * the code anywhere in the document?  This is the unit behind a theme's
 * "n of 22".  The 2 × 2 table counts documents coded by both, by only
 * one, by neither; percent agreement is (both + neither) / n, Cohen's κ
 * is (p_o − p_e) / (1 − p_e) with p_e from each coder's own marginals,
 * and Brennan and Prediger's κ takes chance as 1/2 for two categories,
 * which makes it 2·p_o − 1.
 *
 * Characters.  For a code and a document, was each character coded with
 * the code by each coder?  This is NVivo's unit ("percentage agreement is
 * the percentage of the source's content where the two users agree on
 * whether the content may be coded at the node"; NVivo's help works the
 * example of a 1000-character source with 50 characters coded by both,
 * 150 by one and 800 by neither: (800 + 50) / 1000 = 85 %).  A coder's
 * overlapping segments of the same code count once.  Reported per code
 * and document (the cells) and pooled over the documents for each code.
 *
 * Segments.  MAXQDA's segment-level check: a coder's segment agrees when
 * the other coder applied the same code to a segment that overlaps it by
 * at least the chosen share (90 % by default).  Tessera defines the share
 * as the intersection of the two segments over their union (the Jaccard
 * index of the two spans): it is symmetric — whichever coder's segment one
 * starts from, a pair overlaps by the same share — and a short segment
 * inside a long one does not count as a match.  Each coder's overlapping
 * segments of one code are merged first, as for characters.  Percent
 * agreement is the share of both coders' segments that found a match.
 * There is no "coded by neither" cell at this unit, so κ is undefined
 * rather than computed on a made-up cell.
 *
 * Krippendorff's α (nominal) is computed over documents × codes: each
 * unit is one document for one code, each coder's value 1 when they
 * applied the code there and 0 when not, for any number of coders.  The
 * α routine takes a generic coders × units matrix, and the project's α
 * goes through it one code at a time, so the published examples in the
 * tests check the very code the table uses.  Each row also carries α on
 * its own 2 × 2 table of A and B (tsr_agreement_two_by_two_alpha()), which
 * for characters is α on characters; every output names the unit of each
 * α it shows.
 *
 * Which documents are compared.  A coder can mark a document as done
 * (coded): once either coder compared has marked any, the documents both
 * marked done are compared, and in them a code a coder did not apply is
 * a judgement that it is absent; the others are left out and listed by
 * name with the reason ("Ben has not marked it done"), and in α a coder
 * gives a value only for the documents they marked done.  Where nobody
 * marked any, a document a coder did not code at all (no segment of any
 * code in it) counts as one where that coder applied none of the codes:
 * every document is compared.  NVivo, MAXQDA and ATLAS.ti count it so
 * (they compare the documents the user selects, coded or not), and the
 * documents one coder left uncoded are mostly where the other found
 * something, so leaving them out flatters agreement.
 * TSR_AGREEMENT_IGNORE_DONE sets the marks aside, and
 * TSR_AGREEMENT_UNCODED_AS_MISSING then leaves uncoded documents out
 * instead, as not yet coded: the two-coder statistics compare only the
 * documents both coders coded, and in α such a coder gives no value for
 * the document — a missing value, as Krippendorff's α allows.  The list
 * of disagreements (tsr-disagreement.c) covers the same documents.
 *
 * Rows.  Each code has its own row (for a code with sub-codes, its
 * segments of the code itself, shown when a coder applied it); a code
 * with sub-codes has a row rolling them up, as its n does: a coder
 * applied it where they applied it or any code below it, and its
 * characters and segments are those of all of them merged as one code's
 * are; each theme not discarded has a row, present where any of its codes
 * (with the codes below them) or of its sub-themes' is, as its n counts.
 * The sweep passes each code's spans to the rows rolling it up, and
 * counts those rows document by document like a code's.
 *
 * The pooled row (and the pooled α) is over the codes the coders
 * applied: a code nobody applied would add only units where everyone
 * agrees it is absent, raising pooled agreement with no judgement behind
 * it, so it is left out, and every output says which codes are.
 *
 * Nothing here makes up a value: a code nobody used, a chance agreement
 * of 1, data without variation are NAN with the reason.
 *
 * All of it comes from one read of the segments, sorted by (document,
 * code, coder, start) and swept once.
 *
 * This file builds the agreement table and answers for it; the
 * statistics themselves are in tsr-agreement-statistics.c, reading and
 * sweeping the coding in tsr-agreement-coding.c, and the table as a
 * document for exports in tsr-agreement-report.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-agreement-private.h"
#include "tsr-agreement.h"
#include "tsr-database-private.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* Names --------------------------------------------------------------- */

const char *
tsr_agreement_unit_to_string (TsrAgreementUnit unit)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_AGREEMENT_UNIT, unit);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_agreement_unit_from_string (const char       *str,
                                TsrAgreementUnit *unit)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_AGREEMENT_UNIT, str, &value))
    return FALSE;
  *unit = value;
  return TRUE;
}

/**
 * tsr_document_coding_to_string:
 *
 * Returns: a stable identifier for @coding, for data files
 */
const char *
tsr_document_coding_to_string (TsrDocumentCoding coding)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_DOCUMENT_CODING, coding);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_agreement_documents_to_string:
 *
 * Returns: a stable identifier for @documents, for data files
 */
const char *
tsr_agreement_documents_to_string (TsrAgreementDocuments documents)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_AGREEMENT_DOCUMENTS, documents);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_agreement_row_kind_to_string:
 *
 * Returns: a stable identifier for @kind, for data files
 */
const char *
tsr_agreement_row_kind_to_string (TsrAgreementRowKind kind)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_AGREEMENT_ROW_KIND, kind);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_undefined_reason_to_string:
 *
 * Returns: a stable identifier for @reason, for data files
 */
const char *
tsr_undefined_reason_to_string (TsrUndefinedReason reason)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_UNDEFINED_REASON, reason);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_undefined_reason_describe:
 *
 * Returns: why a statistic is undefined, as a sentence a researcher reads
 */
const char *
tsr_undefined_reason_describe (TsrUndefinedReason reason)
{
  switch (reason)
    {
    case TSR_DEFINED:
      return "";
    case TSR_UNDEFINED_NO_UNITS:
      return _("There is nothing to compare: no document was compared.");
    case TSR_UNDEFINED_CODE_UNUSED:
      return _("Neither coder applied this code itself in the documents compared (codes below it have rows of their own).");
    case TSR_UNDEFINED_CHANCE_IS_ONE:
      return _("Agreement expected by chance is 1 (each coder put every unit in the same category), so κ is 0/0.");
    case TSR_UNDEFINED_NO_NEITHER:
      return _("Segments have no “coded by neither” count, so there is no chance agreement to correct for.");
    case TSR_UNDEFINED_NO_VARIATION:
      return _("Every value is the same, so there is no variation for α to measure.");
    case TSR_UNDEFINED_NOT_PAIRABLE:
      return _("No unit was coded by two or more coders.");
    case TSR_UNDEFINED_NONE_APPLIED:
      return _("Neither coder applied any of its codes in the documents compared.");
    default:
      g_return_val_if_reached ("");
    }
}

/* The agreement table -------------------------------------------------- */

typedef struct
{
  guint32 code;       /* a slot */
  guint32 document;
  guint32 mask;
} Presence;

G_DEFINE_BOXED_TYPE (TsrAgreement, tsr_agreement, tsr_agreement_ref, tsr_agreement_unref)

TsrAgreement *
tsr_agreement_ref (TsrAgreement *agreement)
{
  g_atomic_ref_count_inc (&agreement->ref_count);
  return agreement;
}

void
tsr_agreement_unref (TsrAgreement *agreement)
{
  if (!g_atomic_ref_count_dec (&agreement->ref_count))
    return;
  _tsr_coding_data_clear (&agreement->data);
  g_free (agreement->sums);
  g_free (agreement->alpha);
  g_free (agreement->cells);
  g_free (agreement->cell_offsets);
  g_free (agreement->coded_masks);
  g_free (agreement->judged_masks);
  g_free (agreement->left_out);
  g_free (agreement->member_offsets);
  g_free (agreement->members);
  g_free (agreement->rows);
  g_free (agreement->slot_rows);
  g_free (agreement);
}

/* One coder's span of a code in the document being swept, kept for the
 * rows that roll that code up. */
typedef struct
{
  guint32 aggregate;
  guint32 coder;
  guint32 start;
  guint32 end;
} AggregateSpan;

typedef struct
{
  TsrAgreement *agreement;
  GArray       *cells;       /* TsrPackedCell, in sweep order */
  GArray       *presence;    /* Presence, in sweep order */
  guint32      *coded_masks; /* per document */
  guint32      *judged_masks;/* per document */
  gboolean     *matched;     /* scratch */
  gsize         matched_size;
  gboolean      merge_touching;
  /* code index → the aggregates holding it */
  guint        *code_aggregate_offsets;
  guint        *code_aggregates;
  GArray       *spans;       /* AggregateSpan, the document being swept */
  guint         document;    /* the document being swept, or G_MAXUINT */
} Sweep;

/* Whether a document is compared for A and B. */
static gboolean
compared (guint32 judged_mask)
{
  return (judged_mask & 3u) == 3u;
}

/* Counts the segments of @a and of @b that the other coder matched: a
 * pair matches when their intersection is at least @min_overlap percent
 * of their union. */
static void
match_segments (Sweep             *sweep,
                const TsrInterval *a,
                guint              n_a,
                const TsrInterval *b,
                guint              n_b,
                double             min_overlap,
                guint             *matched_a,
                guint             *matched_b)
{
  gboolean *ma, *mb;
  guint j0 = 0;

  if (n_a + n_b > sweep->matched_size)
    {
      sweep->matched_size = MAX (n_a + n_b, 2 * sweep->matched_size);
      g_free (sweep->matched);
      sweep->matched = g_new (gboolean, sweep->matched_size);
    }
  ma = sweep->matched;
  mb = sweep->matched + n_a;
  memset (sweep->matched, 0, sizeof (gboolean) * (n_a + n_b));

  /* Both lists are disjoint and sorted: the intervals of b overlapping
   * a[i] are a run that only moves forward. */
  for (guint i = 0; i < n_a; i++)
    {
      while (j0 < n_b && b[j0].end <= a[i].start)
        j0++;
      for (guint j = j0; j < n_b && b[j].start < a[i].end; j++)
        {
          guint32 inter = MIN (a[i].end, b[j].end) - MAX (a[i].start, b[j].start);
          guint32 uni = MAX (a[i].end, b[j].end) - MIN (a[i].start, b[j].start);

          if (100.0 * inter >= min_overlap * uni)
            ma[i] = mb[j] = TRUE;
        }
    }

  *matched_a = *matched_b = 0;
  for (guint i = 0; i < n_a; i++)
    *matched_a += ma[i];
  for (guint j = 0; j < n_b; j++)
    *matched_b += mb[j];
}

static guint64
coverage_length (const TsrInterval *iv,
                 guint              n)
{
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    total += iv[i].end - iv[i].start;
  return total;
}

/* Counts one (document, row) group into the row's slot: a code's own
 * coding, or a rolled-up row's. */
static void
count_group (Sweep                *sweep,
             guint                 slot,
             const TsrCodingGroup *group)
{
  TsrAgreement *agreement = sweep->agreement;
  TsrAgreementSums *sums = &agreement->sums[slot];
  guint32 judged = sweep->judged_masks[group->document];
  gboolean in_a = (group->present_mask & 1u) != 0;
  gboolean in_b = (group->present_mask & 2u) != 0;

  if (agreement->parts & TSR_AGREEMENT_PART_ALPHA)
    {
      Presence presence = { slot, group->document, group->present_mask };
      g_array_append_val (sweep->presence, presence);
    }

  if (!compared (judged) || !(in_a || in_b))
    return;

  if (agreement->parts & TSR_AGREEMENT_PART_PRESENCE)
    {
      if (in_a && in_b)
        sums->p_both++;
      else if (in_a)
        sums->p_only_a++;
      else
        sums->p_only_b++;
    }

  if (agreement->parts & TSR_AGREEMENT_PART_CHARACTERS)
    {
      guint64 len_a = coverage_length (group->coverage[0], group->n_coverage[0]);
      guint64 len_b = coverage_length (group->coverage[1], group->n_coverage[1]);
      guint64 inter = _tsr_intervals_intersection (group->coverage[0], group->n_coverage[0],
                                                   group->coverage[1], group->n_coverage[1]);
      TsrPackedCell cell = { slot, group->document, (guint32) inter,
                             (guint32) (len_a - inter), (guint32) (len_b - inter) };

      sums->c_both += inter;
      sums->c_only_a += len_a - inter;
      sums->c_only_b += len_b - inter;
      g_array_append_val (sweep->cells, cell);
    }

  if (agreement->parts & TSR_AGREEMENT_PART_SEGMENTS)
    {
      guint matched_a, matched_b;

      match_segments (sweep, group->coverage[0], group->n_coverage[0],
                      group->coverage[1], group->n_coverage[1],
                      agreement->min_overlap, &matched_a, &matched_b);
      sums->s_a += group->n_coverage[0];
      sums->s_b += group->n_coverage[1];
      sums->s_matched_a += matched_a;
      sums->s_matched_b += matched_b;
    }
}

static int
compare_aggregate_spans (gconstpointer a,
                         gconstpointer b)
{
  const AggregateSpan *x = a, *y = b;

  if (x->aggregate != y->aggregate)
    return x->aggregate < y->aggregate ? -1 : 1;
  if (x->coder != y->coder)
    return x->coder < y->coder ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

/* The rows that roll codes up, for the document just swept: each
 * coder's spans of the row's codes, merged as one code's are, counted
 * as one group. */
static void
flush_aggregates (Sweep *sweep)
{
  TsrAgreement *agreement = sweep->agreement;
  GArray *spans = sweep->spans;
  g_autofree TsrInterval *scratch = NULL;
  guint i = 0;

  if (sweep->document == G_MAXUINT || spans->len == 0)
    return;

  g_array_sort (spans, compare_aggregate_spans);
  scratch = g_new (TsrInterval, spans->len);
  while (i < spans->len)
    {
      guint aggregate = g_array_index (spans, AggregateSpan, i).aggregate;
      TsrCodingGroup group = { 0 };
      guint k = i;

      group.document = sweep->document;
      group.coded_mask = sweep->coded_masks[sweep->document];
      while (k < spans->len && g_array_index (spans, AggregateSpan, k).aggregate == aggregate)
        {
          guint coder = g_array_index (spans, AggregateSpan, k).coder;
          TsrInterval *out = scratch + k;
          guint n = 0;

          for (; k < spans->len && g_array_index (spans, AggregateSpan, k).aggregate == aggregate &&
                 g_array_index (spans, AggregateSpan, k).coder == coder; k++)
            out[n++] = (TsrInterval) { g_array_index (spans, AggregateSpan, k).start,
                                       g_array_index (spans, AggregateSpan, k).end };
          group.coverage[coder] = out;
          group.n_coverage[coder] = sweep->merge_touching ? _tsr_intervals_merge (out, n)
                                                          : _tsr_intervals_merge_overlapping (out, n);
          group.present_mask |= 1u << coder;
        }
      group.code = agreement->data.n_codes + aggregate;
      count_group (sweep, group.code, &group);
      i = k;
    }
  g_array_set_size (spans, 0);
}

static void
on_document (const TsrCodingData *data,
             guint                document,
             guint32              coded_mask,
             gpointer             user_data)
{
  Sweep *sweep = user_data;
  TsrAgreement *agreement = sweep->agreement;
  guint32 judged = _tsr_coding_data_judged (data, agreement->documents, document, coded_mask);

  flush_aggregates (sweep);
  sweep->document = document;
  sweep->coded_masks[document] = coded_mask;
  sweep->judged_masks[document] = judged;
  if (compared (judged))
    {
      agreement->n_compared++;
      agreement->compared_characters += data->document_lengths[document];
    }
}

static gboolean
on_group (const TsrCodingData  *data,
          const TsrCodingGroup *group,
          gpointer              user_data)
{
  Sweep *sweep = user_data;

  count_group (sweep, group->code, group);

  /* The code's spans go to every row rolling it up. */
  for (guint k = sweep->code_aggregate_offsets[group->code]; k < sweep->code_aggregate_offsets[group->code + 1]; k++)
    for (guint c = 0; c < data->n_coders; c++)
      for (guint i = 0; i < group->n_coverage[c]; i++)
        {
          AggregateSpan span = { sweep->code_aggregates[k], c, group->coverage[c][i].start, group->coverage[c][i].end };
          g_array_append_val (sweep->spans, span);
        }
  return TRUE;
}

/* Orders the sweep's cells by slot (a counting sort: they come by
 * document, then slot). */
static void
index_cells (TsrAgreement *agreement,
             GArray       *cells)
{
  guint n_slots = agreement->n_slots;

  agreement->cell_offsets = g_new0 (guint, n_slots + 1);
  agreement->cells = g_new (TsrPackedCell, MAX (cells->len, 1));
  for (guint i = 0; i < cells->len; i++)
    agreement->cell_offsets[g_array_index (cells, TsrPackedCell, i).code + 1]++;
  for (guint c = 0; c < n_slots; c++)
    agreement->cell_offsets[c + 1] += agreement->cell_offsets[c];
  {
    g_autofree guint *next = g_memdup2 (agreement->cell_offsets, sizeof (guint) * (n_slots + 1));

    for (guint i = 0; i < cells->len; i++)
      {
        TsrPackedCell *cell = &g_array_index (cells, TsrPackedCell, i);
        agreement->cells[next[cell->code]++] = *cell;
      }
  }
}

/* α per slot, through the generic coders × units routine, then pooled
 * over the codes. */
static void
compute_alpha (TsrAgreement *agreement,
               Sweep        *sweep)
{
  const TsrCodingData *data = &agreement->data;
  guint n_coders = data->n_coders;
  guint n_codes = data->n_codes;
  guint n_slots = agreement->n_slots;
  g_autofree guint *column = g_new (guint, MAX (data->n_documents, 1));
  g_autofree gint *template = NULL;
  g_autofree gint *matrix = NULL;
  g_autofree guint *offsets = g_new0 (guint, n_slots + 1);
  g_autofree Presence *by_slot = NULL;
  g_autoptr(TsrAlphaAccumulator) pooled = tsr_alpha_accumulator_new ();
  guint n_units = 0;
  guint n_used = 0;

  /* Units: the documents where two coders or more give a value. */
  for (guint d = 0; d < data->n_documents; d++)
    {
      guint32 mask = agreement->judged_masks[d];

      if ((mask & (mask - 1)) != 0)
        column[d] = n_units++;
      else
        column[d] = G_MAXUINT;
    }

  template = g_new (gint, MAX ((gsize) n_coders * n_units, 1));
  for (guint d = 0; d < data->n_documents; d++)
    if (column[d] != G_MAXUINT)
      for (guint c = 0; c < n_coders; c++)
        template[(gsize) c * n_units + column[d]] = (agreement->judged_masks[d] & (1u << c)) ? 0 : TSR_ALPHA_MISSING;
  matrix = g_memdup2 (template, sizeof (gint) * MAX ((gsize) n_coders * n_units, 1));

  /* The presence records, by slot. */
  by_slot = g_new (Presence, MAX (sweep->presence->len, 1));
  for (guint i = 0; i < sweep->presence->len; i++)
    offsets[g_array_index (sweep->presence, Presence, i).code + 1]++;
  for (guint s = 0; s < n_slots; s++)
    offsets[s + 1] += offsets[s];
  {
    g_autofree guint *next = g_memdup2 (offsets, sizeof (guint) * (n_slots + 1));

    for (guint i = 0; i < sweep->presence->len; i++)
      {
        Presence *p = &g_array_index (sweep->presence, Presence, i);
        by_slot[next[p->code]++] = *p;
      }
  }

  agreement->alpha = g_new0 (TsrAlphaResult, MAX (n_slots, 1));
  for (guint slot = 0; slot < n_slots; slot++)
    {
      g_autoptr(TsrAlphaAccumulator) acc = tsr_alpha_accumulator_new ();
      gboolean used = FALSE;

      for (guint i = offsets[slot]; i < offsets[slot + 1]; i++)
        {
          guint col = column[by_slot[i].document];

          if (col == G_MAXUINT)
            continue;
          /* A coder gives a value only where their coding counts: a
           * document they coded but have not marked done is missing. */
          for (guint c = 0; c < n_coders; c++)
            if ((by_slot[i].mask & (1u << c)) && template[(gsize) c * n_units + col] != TSR_ALPHA_MISSING)
              {
                matrix[(gsize) c * n_units + col] = 1;
                used = TRUE;
              }
        }

      tsr_alpha_accumulator_add_units (acc, matrix, n_coders, n_units);
      tsr_alpha_accumulator_compute (acc, &agreement->alpha[slot]);
      if (!used && agreement->alpha[slot].n_units > 0)
        agreement->alpha[slot].alpha = _tsr_statistic_undefined (slot < n_codes ? TSR_UNDEFINED_CODE_UNUSED
                                                                                : TSR_UNDEFINED_NONE_APPLIED);
      /* As for the pooled κ: a code no coder applied adds only agreement
       * on its absence, and is left out of the pooled α; the rows that
       * roll codes up would count their codes twice. */
      if (used && slot < n_codes)
        {
          tsr_alpha_accumulator_merge (pooled, acc);
          n_used++;
        }

      /* Put back the template's cells this slot changed. */
      for (guint i = offsets[slot]; i < offsets[slot + 1]; i++)
        {
          guint col = column[by_slot[i].document];

          if (col == G_MAXUINT)
            continue;
          for (guint c = 0; c < n_coders; c++)
            matrix[(gsize) c * n_units + col] = template[(gsize) c * n_units + col];
        }
    }

  tsr_alpha_accumulator_compute (pooled, &agreement->alpha_pooled);
  if (n_used == 0 && n_units > 0 && n_codes > 0)
    agreement->alpha_pooled.alpha = _tsr_statistic_undefined (TSR_UNDEFINED_CODE_UNUSED);
}

static void
list_left_out (TsrAgreement *agreement)
{
  const TsrCodingData *data = &agreement->data;

  agreement->left_out = g_new (gint64, MAX (data->n_documents - agreement->n_compared, 1));
  agreement->n_left_out = 0;
  for (guint d = 0; d < data->n_documents; d++)
    if (!compared (agreement->judged_masks[d]))
      agreement->left_out[agreement->n_left_out++] = data->document_ids[d];
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The rows that roll codes up --------------------------------------------- */

typedef struct
{
  gint64 id;
  gint64 parent_id;
  gint   position;
  gboolean discarded;
} ThemeRow;

static int
compare_theme_rows (gconstpointer a,
                    gconstpointer b)
{
  const ThemeRow *x = a, *y = b;

  if (x->parent_id != y->parent_id)
    return x->parent_id < y->parent_id ? -1 : 1;
  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

typedef struct
{
  GArray     *themes;       /* ThemeRow, sorted by (parent, position, id) */
  GHashTable *first_child;  /* parent id → index + 1 */
  GArray     *order;        /* guint index into themes, in tree order */
  GArray     *depths;       /* guint, beside order */
} ThemeTree;

static void
visit_themes (ThemeTree *tree,
              gint64     parent_id,
              guint      depth)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (tree->first_child, &parent_id));

  if (first == 0)
    return;
  for (guint i = first - 1; i < tree->themes->len && g_array_index (tree->themes, ThemeRow, i).parent_id == parent_id; i++)
    {
      g_array_append_val (tree->order, i);
      g_array_append_val (tree->depths, depth);
      visit_themes (tree, g_array_index (tree->themes, ThemeRow, i).id, depth + 1);
    }
}

static gboolean
sql_error (sqlite3  *db,
           GError  **error)
{
  tsr_database_set_handle_error (db, 0, error, "agreement");
  return FALSE;
}

/* The codes each row rolls up, as a bit set over the code indices. */
static void
add_code_closure (const TsrCodingData *data,
                  guint                code,
                  guint8              *bits)
{
  bits[code] = 1;
  for (guint k = code + 1; k < data->n_codes && data->code_depths[k] > data->code_depths[code]; k++)
    bits[k] = 1;
}

/* Lays out the table: each code in tree order (a code with sub-codes as
 * its rolled-up row, then its own row when a coder compared applied it
 * itself), the pooled row, then the themes in tree order (a discarded
 * theme, and what is under it, is not reported); and reads which codes
 * each rolled-up row holds. */
static gboolean
plan_rows (TsrAgreement  *agreement,
           sqlite3       *db,
           Sweep         *sweep,
           GError       **error)
{
  const TsrCodingData *data = &agreement->data;
  guint n_codes = data->n_codes;
  ThemeTree tree = { 0 };
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (TsrAgreementRowInfo));
  g_autoptr(GArray) member_offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) aggregate_of_code = g_array_new (FALSE, FALSE, sizeof (guint));  /* per code, or G_MAXUINT */
  g_autofree guint8 *theme_bits = NULL;
  g_autofree gboolean *hidden = NULL;
  g_autoptr(GHashTable) theme_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt = NULL;
  guint n_aggregates = 0;
  guint zero = 0;
  int rc;

  tree.themes = g_array_new (FALSE, FALSE, sizeof (ThemeRow));
  tree.first_child = g_hash_table_new (g_int64_hash, g_int64_equal);
  tree.order = g_array_new (FALSE, FALSE, sizeof (guint));
  tree.depths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (member_offsets, zero);

  /* A code with sub-codes: itself and every code below it. */
  g_array_set_size (aggregate_of_code, n_codes);
  for (guint c = 0; c < n_codes; c++)
    {
      g_array_index (aggregate_of_code, guint, c) = G_MAXUINT;
      if (c + 1 < n_codes && data->code_depths[c + 1] > data->code_depths[c])
        {
          guint end = c + 1;

          while (end < n_codes && data->code_depths[end] > data->code_depths[c])
            end++;
          for (guint k = c; k < end; k++)
            g_array_append_val (members, k);
          g_array_append_val (member_offsets, members->len);
          g_array_index (aggregate_of_code, guint, c) = n_aggregates++;
        }
    }

  /* The themes, as the theme table counts them: a theme holds its codes
   * with the codes below them, and its sub-themes' codes. */
  if (sqlite3_prepare_v2 (db, "SELECT id, coalesce (parent_id, 0), position, status = 'discarded' FROM themes",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ThemeRow row = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                       sqlite3_column_int (stmt, 2), sqlite3_column_int (stmt, 3) != 0 };
      g_array_append_val (tree.themes, row);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;
  g_array_sort (tree.themes, compare_theme_rows);
  for (guint i = tree.themes->len; i > 0; i--)
    g_hash_table_insert (tree.first_child, &g_array_index (tree.themes, ThemeRow, i - 1).parent_id,
                         GUINT_TO_POINTER (i));
  visit_themes (&tree, 0, 0);
  for (guint t = 0; t < tree.order->len; t++)
    g_hash_table_insert (theme_index, &g_array_index (tree.themes, ThemeRow, g_array_index (tree.order, guint, t)).id,
                         GUINT_TO_POINTER (t + 1));

  theme_bits = g_new0 (guint8, (gsize) MAX (tree.order->len, 1) * MAX (n_codes, 1));
  if (sqlite3_prepare_v2 (db, "SELECT theme_id, code_id FROM theme_codes", -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 theme_id = sqlite3_column_int64 (stmt, 0);
      gint64 code_id = sqlite3_column_int64 (stmt, 1);
      guint t = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &theme_id));
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (data->code_index, &code_id));

      if (t != 0 && c != 0)
        add_code_closure (data, c - 1, theme_bits + (gsize) (t - 1) * n_codes);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto failed;
  /* Sub-themes join their parents: deepest first, in reverse tree order. */
  for (guint t = tree.order->len; t > 0; t--)
    {
      ThemeRow *row = &g_array_index (tree.themes, ThemeRow, g_array_index (tree.order, guint, t - 1));
      guint parent = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &row->parent_id));

      if (parent != 0)
        for (guint c = 0; c < n_codes; c++)
          theme_bits[(gsize) (parent - 1) * n_codes + c] |= theme_bits[(gsize) (t - 1) * n_codes + c];
    }

  /* The rows, in table order. */
  for (guint c = 0; c < n_codes; c++)
    {
      guint aggregate = g_array_index (aggregate_of_code, guint, c);
      gint64 id = data->code_ids[c];
      guint depth = data->code_depths[c];

      if (aggregate != G_MAXUINT)
        {
          TsrAgreementRowInfo tree_row = { TSR_AGREEMENT_ROW_CODE_TREE, n_codes + aggregate, id, depth };
          TsrAgreementRowInfo own = { TSR_AGREEMENT_ROW_CODE, c, id, depth + 1 };

          g_array_append_val (rows, tree_row);
          /* Its own row is added after the sweep, if it was applied. */
          g_array_append_val (rows, own);
        }
      else
        {
          TsrAgreementRowInfo own = { TSR_AGREEMENT_ROW_CODE, c, id, depth };
          g_array_append_val (rows, own);
        }
    }
  {
    TsrAgreementRowInfo pooled = { TSR_AGREEMENT_ROW_POOLED, G_MAXUINT, 0, 0 };
    g_array_append_val (rows, pooled);
  }
  hidden = g_new0 (gboolean, MAX (tree.order->len, 1));
  for (guint t = 0; t < tree.order->len; t++)
    {
      ThemeRow *row = &g_array_index (tree.themes, ThemeRow, g_array_index (tree.order, guint, t));
      guint depth = g_array_index (tree.depths, guint, t);
      TsrAgreementRowInfo info = { TSR_AGREEMENT_ROW_THEME, n_codes + n_aggregates, row->id, depth };
      guint parent = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &row->parent_id));

      /* What is under a discarded theme is not reported either; parents
       * come before their sub-themes. */
      hidden[t] = row->discarded || (parent != 0 && hidden[parent - 1]);
      if (hidden[t])
        continue;

      for (guint c = 0; c < n_codes; c++)
        if (theme_bits[(gsize) t * n_codes + c])
          g_array_append_val (members, c);
      g_array_append_val (member_offsets, members->len);
      n_aggregates++;
      g_array_append_val (rows, info);
    }

  agreement->n_aggregates = n_aggregates;
  agreement->n_slots = n_codes + n_aggregates;
  agreement->member_offsets = g_memdup2 (member_offsets->data, sizeof (guint) * member_offsets->len);
  agreement->members = g_memdup2 (members->data, sizeof (guint) * MAX (members->len, 1));
  agreement->n_rows = rows->len;
  agreement->rows = (TsrAgreementRowInfo *) g_array_free (g_steal_pointer (&rows), FALSE);

  /* Which rolled-up rows each code's spans go to. */
  sweep->code_aggregate_offsets = g_new0 (guint, n_codes + 1);
  for (guint i = 0; i < members->len; i++)
    sweep->code_aggregate_offsets[g_array_index (members, guint, i) + 1]++;
  for (guint c = 0; c < n_codes; c++)
    sweep->code_aggregate_offsets[c + 1] += sweep->code_aggregate_offsets[c];
  sweep->code_aggregates = g_new (guint, MAX (members->len, 1));
  {
    g_autofree guint *next = g_memdup2 (sweep->code_aggregate_offsets, sizeof (guint) * (n_codes + 1));

    for (guint a = 0; a < n_aggregates; a++)
      for (guint i = agreement->member_offsets[a]; i < agreement->member_offsets[a + 1]; i++)
        sweep->code_aggregates[next[agreement->members[i]]++] = a;
  }

  g_array_unref (tree.themes);
  g_hash_table_unref (tree.first_child);
  g_array_unref (tree.order);
  g_array_unref (tree.depths);
  return TRUE;

failed:
  sqlite3_finalize (stmt);
  g_array_unref (tree.themes);
  g_hash_table_unref (tree.first_child);
  g_array_unref (tree.order);
  g_array_unref (tree.depths);
  return sql_error (db, error);
}

/* Whether A or B applied the code (or a code of the row) in a document
 * compared. */
static gboolean
code_used (const TsrAgreementSums *sums)
{
  return sums->p_both + sums->p_only_a + sums->p_only_b > 0 ||
         sums->c_both + sums->c_only_a + sums->c_only_b > 0 ||
         sums->s_a + sums->s_b > 0;
}

/* A parent code's own row is shown when a coder compared applied the
 * code itself; otherwise its rolled-up row says everything. */
static void
finish_rows (TsrAgreement *agreement,
             Sweep        *sweep)
{
  guint n_codes = agreement->data.n_codes;
  guint out = 0;

  for (guint r = 0; r < agreement->n_rows; r++)
    {
      TsrAgreementRowInfo *row = &agreement->rows[r];
      gboolean keep = TRUE;

      if (row->kind == TSR_AGREEMENT_ROW_CODE && r > 0 &&
          agreement->rows[r - 1].kind == TSR_AGREEMENT_ROW_CODE_TREE &&
          agreement->rows[r - 1].id == row->id)
        {
          keep = code_used (&agreement->sums[row->slot]);
          /* Applied by another coder compared (for α) counts too. */
          for (guint i = 0; !keep && sweep->presence != NULL && i < sweep->presence->len; i++)
            keep = g_array_index (sweep->presence, Presence, i).code == row->slot;
        }
      if (keep)
        agreement->rows[out++] = *row;
    }
  agreement->n_rows = out;

  agreement->slot_rows = g_new (gint, MAX (agreement->n_slots, 1));
  for (guint s = 0; s < agreement->n_slots; s++)
    agreement->slot_rows[s] = -1;
  for (guint r = 0; r < agreement->n_rows; r++)
    if (agreement->rows[r].slot != G_MAXUINT)
      agreement->slot_rows[agreement->rows[r].slot] = r;
  (void) n_codes;
}

static TsrAgreement *
compute (sqlite3              *db,
         const gint64         *coder_ids,
         guint                 n_coders,
         double                min_overlap,
         TsrAgreementFlags     flags,
         TsrAgreementParts     parts,
         GCancellable         *cancellable,
         TsrAgreementTimings  *timings,
         GError              **error)
{
  g_autoptr(TsrAgreement) agreement = g_new0 (TsrAgreement, 1);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (TsrPackedCell));
  g_autoptr(GArray) presence = g_array_new (FALSE, FALSE, sizeof (Presence));
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (AggregateSpan));
  Sweep sweep = { 0 };
  gint64 started;
  gboolean ok;

  g_atomic_ref_count_init (&agreement->ref_count);
  agreement->min_overlap = min_overlap;
  agreement->flags = flags;
  agreement->parts = parts;

  if (!_tsr_coding_data_load_full (db, coder_ids, n_coders, cancellable, &agreement->data, timings, error))
    return NULL;
  agreement->documents = _tsr_coding_data_basis (&agreement->data, flags,
                                                 n_coders >= 32 ? G_MAXUINT32 : (1u << n_coders) - 1);

  sweep.agreement = agreement;
  if (!plan_rows (agreement, db, &sweep, error))
    {
      g_free (sweep.code_aggregate_offsets);
      g_free (sweep.code_aggregates);
      return NULL;
    }

  started = g_get_monotonic_time ();
  agreement->sums = g_new0 (TsrAgreementSums, MAX (agreement->n_slots, 1));
  sweep.cells = cells;
  sweep.presence = presence;
  sweep.spans = spans;
  sweep.document = G_MAXUINT;
  sweep.merge_touching = (flags & TSR_AGREEMENT_MERGE_TOUCHING) != 0;
  sweep.coded_masks = g_new0 (guint32, MAX (agreement->data.n_documents, 1));
  sweep.judged_masks = g_new0 (guint32, MAX (agreement->data.n_documents, 1));
  ok = _tsr_coding_data_sweep (&agreement->data, sweep.merge_touching,
                               on_document, on_group, &sweep, cancellable, error);
  if (ok)
    flush_aggregates (&sweep);
  g_free (sweep.matched);
  g_free (sweep.code_aggregate_offsets);
  g_free (sweep.code_aggregates);
  if (timings != NULL)
    timings->sweep_ms = ms_since (started);

  /* The records are not needed after the sweep. */
  g_clear_pointer (&agreement->data.records, g_free);
  agreement->data.n_records = 0;

  agreement->coded_masks = g_steal_pointer (&sweep.coded_masks);
  agreement->judged_masks = g_steal_pointer (&sweep.judged_masks);
  if (ok)
    {
      started = g_get_monotonic_time ();
      index_cells (agreement, cells);
      if (timings != NULL)
        timings->cells_ms = ms_since (started);

      started = g_get_monotonic_time ();
      if (parts & TSR_AGREEMENT_PART_ALPHA)
        compute_alpha (agreement, &sweep);
      else
        agreement->alpha = g_new0 (TsrAlphaResult, MAX (agreement->n_slots, 1));
      if (timings != NULL)
        timings->alpha_ms = ms_since (started);

      finish_rows (agreement, &sweep);
      list_left_out (agreement);
    }

  return ok ? g_steal_pointer (&agreement) : NULL;
}

static gboolean
check_request (const gint64  *coder_ids,
               guint          n_coders,
               double         min_overlap,
               GError       **error)
{
  if (n_coders < 2 || n_coders > TSR_AGREEMENT_MAX_CODERS)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Agreement compares 2 to %u coders, not %u"), TSR_AGREEMENT_MAX_CODERS, n_coders);
      return FALSE;
    }
  for (guint i = 0; i < n_coders; i++)
    for (guint j = i + 1; j < n_coders; j++)
      if (coder_ids[i] == coder_ids[j])
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                               _("A coder cannot be compared with themselves: name two different coders"));
          return FALSE;
        }
  if (!(min_overlap > 0.0 && min_overlap <= 100.0))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The overlap that makes two segments agree must be more than 0 %% and at most 100 %%, not %g %%"),
                   min_overlap);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_coders (TsrProject    *self,
              const gint64  *coder_ids,
              guint          n_coders,
              GError       **error)
{
  for (guint i = 0; i < n_coders; i++)
    {
      g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self, coder_ids[i]);

      if (coder == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The coder (id %" PRId64 ") does not exist"), coder_ids[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * tsr_project_compute_agreement:
 * @coder_ids: (array length=n_coders): the coders to compare; the first
 *   two are "A" and "B" of the two-coder statistics, all of them enter α
 * @min_overlap: the percentage of overlap (intersection over union) at
 *   which two segments agree, more than 0 and at most 100; MAXQDA's
 *   default is 90
 *
 * Computes every agreement statistic for every code and pooled over the
 * codes: presence, characters, segments and Krippendorff's α.
 *
 * Returns: (transfer full): the agreement, or %NULL with @error set
 */
TsrAgreement *
tsr_project_compute_agreement (TsrProject         *self,
                               const gint64       *coder_ids,
                               guint               n_coders,
                               double              min_overlap,
                               TsrAgreementFlags   flags,
                               GCancellable       *cancellable,
                               GError            **error)
{
  TsrDatabase *db;
  TsrAgreement *agreement;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!check_request (coder_ids, n_coders, min_overlap, error))
    return NULL;
  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  if (!check_coders (self, coder_ids, n_coders, error))
    return NULL;

  tsr_database_push_cancellable (db, cancellable);
  agreement = compute (tsr_database_get_handle (db), coder_ids, n_coders, min_overlap, flags,
                       TSR_AGREEMENT_PART_ALL, cancellable, NULL, error);
  tsr_database_pop_cancellable (db);
  return agreement;
}

TsrAgreement *
_tsr_project_compute_agreement_parts (TsrProject           *self,
                                      const gint64         *coder_ids,
                                      guint                 n_coders,
                                      double                min_overlap,
                                      guint                 flags,
                                      TsrAgreementParts     parts,
                                      TsrAgreementTimings  *timings,
                                      GError              **error)
{
  TsrDatabase *db = _tsr_project_get_database (self);

  if (!check_request (coder_ids, n_coders, min_overlap, error) ||
      !check_coders (self, coder_ids, n_coders, error))
    return NULL;
  return compute (tsr_database_get_handle (db), coder_ids, n_coders, min_overlap, flags,
                  parts, NULL, timings, error);
}

typedef struct
{
  char              *path;
  gint64            *coder_ids;
  guint              n_coders;
  double             min_overlap;
  TsrAgreementFlags  flags;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->path);
  g_free (request->coder_ids);
  g_free (request);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;
  TsrAgreement *agreement;
  sqlite3 *db = NULL;

  if (!(db = tsr_database_open_reader (request->path, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  agreement = compute (db, request->coder_ids, request->n_coders, request->min_overlap,
                       request->flags, TSR_AGREEMENT_PART_ALL, cancellable, NULL, &error);
  sqlite3_close (db);

  if (agreement == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, agreement, (GDestroyNotify) tsr_agreement_unref);
}

/**
 * tsr_project_compute_agreement_async:
 *
 * Computes the agreement in a worker thread over a connection of its own.
 * The callback's source object is %NULL: the task keeps no reference to
 * the project.
 */
void
tsr_project_compute_agreement_async (TsrProject          *self,
                                     const gint64        *coder_ids,
                                     guint                n_coders,
                                     double               min_overlap,
                                     TsrAgreementFlags    flags,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Request *request;

  g_return_if_fail (TSR_IS_PROJECT (self));

  /* The task does not hold the project: the work reads the file over a
   * connection of its own, and closing the project must not wait for it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_compute_agreement_async);

  if (!check_request (coder_ids, n_coders, min_overlap, &error) ||
      !check_coders (self, coder_ids, n_coders, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (_tsr_project_get_database (self) == NULL)
    {
      g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }

  request = g_new0 (Request, 1);
  request->path = g_strdup (tsr_project_get_path (self));
  request->coder_ids = g_memdup2 (coder_ids, sizeof (gint64) * n_coders);
  request->n_coders = n_coders;
  request->min_overlap = min_overlap;
  request->flags = flags;
  g_task_set_task_data (task, request, request_free);
  g_task_run_in_thread (task, compute_thread);
}

/**
 * tsr_project_compute_agreement_finish:
 * @self: (nullable): the project, which may have been closed since
 *
 * Returns: (transfer full): the agreement, or %NULL with @error set
 */
TsrAgreement *
tsr_project_compute_agreement_finish (TsrProject    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reading an agreement ------------------------------------------------- */

/**
 * tsr_agreement_get_coders:
 *
 * Returns: (array length=n_coders) (transfer none): the coders compared
 */
const gint64 *
tsr_agreement_get_coders (TsrAgreement *agreement,
                          guint        *n_coders)
{
  *n_coders = agreement->data.n_coders;
  return agreement->data.coder_ids;
}

double
tsr_agreement_get_min_overlap (TsrAgreement *agreement)
{
  return agreement->min_overlap;
}

TsrAgreementFlags
tsr_agreement_get_flags (TsrAgreement *agreement)
{
  return agreement->flags;
}

/** tsr_agreement_get_n_documents: Returns: the documents of the project */
guint
tsr_agreement_get_n_documents (TsrAgreement *agreement)
{
  return agreement->data.n_documents;
}

/**
 * tsr_agreement_get_documents:
 *
 * Returns: which documents the agreement compares: those both coders
 *   marked done when a coder compared marked any (and
 *   %TSR_AGREEMENT_IGNORE_DONE was not asked for), otherwise every
 *   document or, with %TSR_AGREEMENT_UNCODED_AS_MISSING, those both coded
 */
TsrAgreementDocuments
tsr_agreement_get_documents (TsrAgreement *agreement)
{
  return agreement->documents;
}

/**
 * tsr_agreement_get_n_compared:
 *
 * Returns: the documents the two-coder statistics compare (see
 *   tsr_agreement_get_documents())
 */
guint
tsr_agreement_get_n_compared (TsrAgreement *agreement)
{
  return agreement->n_compared;
}

static TsrDocumentCoding
coding_of_mask (guint32 mask)
{
  switch (mask & 3u)
    {
    case 3u:
      return TSR_DOCUMENT_CODED_BY_BOTH;
    case 1u:
      return TSR_DOCUMENT_CODED_BY_A_ONLY;
    case 2u:
      return TSR_DOCUMENT_CODED_BY_B_ONLY;
    default:
      return TSR_DOCUMENT_CODED_BY_NEITHER;
    }
}

/**
 * tsr_agreement_count_documents:
 *
 * Returns: how many of the project's documents A and B coded as @coding
 *   says (compared or not)
 */
guint
tsr_agreement_count_documents (TsrAgreement      *agreement,
                               TsrDocumentCoding  coding)
{
  guint n = 0;

  for (guint d = 0; d < agreement->data.n_documents; d++)
    n += coding_of_mask (agreement->coded_masks[d]) == coding;
  return n;
}

/**
 * tsr_agreement_get_document_coding:
 *
 * Returns: which of A and B coded anything in @document_id
 *   (%TSR_DOCUMENT_CODED_BY_NEITHER for a document not in the project)
 */
TsrDocumentCoding
tsr_agreement_get_document_coding (TsrAgreement *agreement,
                                   gint64        document_id)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (agreement->data.document_index, &document_id));

  if (i == 0)
    return TSR_DOCUMENT_CODED_BY_NEITHER;
  return coding_of_mask (agreement->coded_masks[i - 1]);
}

/**
 * tsr_agreement_get_document_done:
 *
 * Returns: which of A and B marked @document_id as done
 *   (%TSR_DOCUMENT_CODED_BY_NEITHER for a document not in the project)
 */
TsrDocumentCoding
tsr_agreement_get_document_done (TsrAgreement *agreement,
                                 gint64        document_id)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (agreement->data.document_index, &document_id));

  if (i == 0)
    return TSR_DOCUMENT_CODED_BY_NEITHER;
  return coding_of_mask (agreement->data.done_masks[i - 1]);
}

/**
 * tsr_agreement_get_left_out:
 * @n_left_out: (out): how many
 *
 * Returns: (array length=n_left_out) (transfer none): the documents the
 *   two-coder statistics leave out, in document order: those A or B did
 *   not mark as done when either marked any (see
 *   tsr_agreement_get_documents()), otherwise none, or with
 *   %TSR_AGREEMENT_UNCODED_AS_MISSING those A or B did not code
 */
const gint64 *
tsr_agreement_get_left_out (TsrAgreement *agreement,
                            guint        *n_left_out)
{
  *n_left_out = agreement->n_left_out;
  return agreement->left_out;
}

/**
 * tsr_agreement_get_codes:
 *
 * Returns: (array length=n_codes) (transfer none): every code, in tree order
 */
const gint64 *
tsr_agreement_get_codes (TsrAgreement *agreement,
                         guint        *n_codes)
{
  *n_codes = agreement->data.n_codes;
  return agreement->data.code_ids;
}

/* The slot of a code's own row, or G_MAXUINT for the pooled row (0), or
 * 0 when @code_id is not a code of the project; as index + 1. */
static guint
code_index (TsrAgreement *agreement,
            gint64        code_id)
{
  if (code_id == 0)
    return agreement->data.n_codes + 1;
  return GPOINTER_TO_UINT (g_hash_table_lookup (agreement->data.code_index, &code_id));
}

/** tsr_agreement_get_code_depth: Returns: 0 for a top-level code, 1 below it… */
guint
tsr_agreement_get_code_depth (TsrAgreement *agreement,
                              gint64        code_id)
{
  guint i = code_index (agreement, code_id);

  if (i == 0 || i > agreement->data.n_codes)
    return 0;
  return agreement->data.code_depths[i - 1];
}

/**
 * tsr_agreement_get_unused_codes:
 * @n_unused: (out): how many
 *
 * The codes neither A nor B applied in the documents compared.  Their
 * own rows are undefined (%TSR_UNDEFINED_CODE_UNUSED), and the pooled
 * row leaves them out: each would add only units where both coders agree
 * that the code is absent, raising pooled agreement and κ with no
 * judgement behind it.
 *
 * Returns: (array length=n_unused) (transfer full): their ids, in tree
 *   order; free with g_free()
 */
gint64 *
tsr_agreement_get_unused_codes (TsrAgreement *agreement,
                                guint        *n_unused)
{
  guint n_codes = agreement->data.n_codes;
  gint64 *unused = g_new (gint64, MAX (n_codes, 1));

  *n_unused = 0;
  for (guint c = 0; c < n_codes; c++)
    if (!code_used (&agreement->sums[c]))
      unused[(*n_unused)++] = agreement->data.code_ids[c];
  return unused;
}

static void
fill_row (TsrAgreement     *agreement,
          const TsrAgreementSums   *sums,
          guint64           n_units_presence,
          guint64           n_characters,
          TsrAgreementUnit  unit,
          TsrUndefinedReason unused,
          TsrAgreementRow  *row)
{
  memset (row, 0, sizeof *row);
  row->unit = unit;
  row->n_documents = agreement->n_compared;

  switch (unit)
    {
    case TSR_AGREEMENT_PRESENCE:
      row->both = sums->p_both;
      row->only_a = sums->p_only_a;
      row->only_b = sums->p_only_b;
      row->neither = n_units_presence - sums->p_both - sums->p_only_a - sums->p_only_b;
      tsr_agreement_two_by_two (row->both, row->only_a, row->only_b, row->neither,
                                &row->percent, &row->kappa, &row->bp_kappa);
      tsr_agreement_two_by_two_alpha (row->both, row->only_a, row->only_b, row->neither, &row->alpha);
      break;

    case TSR_AGREEMENT_CHARACTERS:
      row->both = sums->c_both;
      row->only_a = sums->c_only_a;
      row->only_b = sums->c_only_b;
      row->neither = n_characters - sums->c_both - sums->c_only_a - sums->c_only_b;
      tsr_agreement_two_by_two (row->both, row->only_a, row->only_b, row->neither,
                                &row->percent, &row->kappa, &row->bp_kappa);
      tsr_agreement_two_by_two_alpha (row->both, row->only_a, row->only_b, row->neither, &row->alpha);
      break;

    case TSR_AGREEMENT_SEGMENTS:
    default:
      row->segments_a = sums->s_a;
      row->matched_a = sums->s_matched_a;
      row->segments_b = sums->s_b;
      row->matched_b = sums->s_matched_b;
      if (agreement->n_compared == 0)
        row->percent = _tsr_statistic_undefined (TSR_UNDEFINED_NO_UNITS);
      else if (sums->s_a + sums->s_b == 0)
        row->percent = _tsr_statistic_undefined (TSR_UNDEFINED_CODE_UNUSED);
      else
        {
          row->percent = _tsr_statistic_fraction (100 * ((__int128) sums->s_matched_a + sums->s_matched_b),
                                                  (__int128) sums->s_a + sums->s_b);
          row->percent.value = 100.0 * (sums->s_matched_a + sums->s_matched_b) / (sums->s_a + sums->s_b);
        }
      row->kappa = row->bp_kappa = row->alpha =
        _tsr_statistic_undefined (row->percent.undefined == TSR_DEFINED ? TSR_UNDEFINED_NO_NEITHER
                                                                        : row->percent.undefined);
      break;
    }

  /* A row rolling several codes up says so when none was applied. */
  if (unused != TSR_UNDEFINED_CODE_UNUSED)
    {
      TsrStatistic *all[] = { &row->percent, &row->kappa, &row->bp_kappa, &row->alpha };

      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        if (all[i]->undefined == TSR_UNDEFINED_CODE_UNUSED)
          all[i]->undefined = unused;
    }
}

/* The pooled row: every code × document is a unit, for the codes A or B
 * applied; a code neither applied would only add units where both agree
 * that it is absent. */
static void
fill_pooled_row (TsrAgreement     *agreement,
                 TsrAgreementUnit  unit,
                 TsrAgreementRow  *row)
{
  TsrAgreementSums total = { 0 };
  guint n_pooled = 0;

  for (guint c = 0; c < agreement->data.n_codes; c++)
    {
      TsrAgreementSums *s = &agreement->sums[c];

      if (!code_used (s))
        continue;
      n_pooled++;

      total.p_both += s->p_both;
      total.p_only_a += s->p_only_a;
      total.p_only_b += s->p_only_b;
      total.c_both += s->c_both;
      total.c_only_a += s->c_only_a;
      total.c_only_b += s->c_only_b;
      total.s_a += s->s_a;
      total.s_b += s->s_b;
      total.s_matched_a += s->s_matched_a;
      total.s_matched_b += s->s_matched_b;
    }
  fill_row (agreement, &total, (guint64) agreement->n_compared * n_pooled,
            agreement->compared_characters * n_pooled, unit, TSR_UNDEFINED_CODE_UNUSED, row);
  if (n_pooled == 0)
    {
      row->percent = row->kappa = row->bp_kappa = row->alpha = _tsr_statistic_undefined (TSR_UNDEFINED_CODE_UNUSED);
      if (agreement->n_compared == 0)
        row->percent = row->kappa = row->bp_kappa = row->alpha = _tsr_statistic_undefined (TSR_UNDEFINED_NO_UNITS);
    }
}

/* A row by its slot (or the pooled row, G_MAXUINT). */
static void
fill_slot_row (TsrAgreement        *agreement,
               guint                slot,
               TsrAgreementUnit     unit,
               TsrAgreementRow     *row)
{
  guint n_codes = agreement->data.n_codes;
  gint r = slot != G_MAXUINT ? agreement->slot_rows[slot] : -1;

  if (slot == G_MAXUINT)
    fill_pooled_row (agreement, unit, row);
  else
    fill_row (agreement, &agreement->sums[slot], agreement->n_compared, agreement->compared_characters, unit,
              slot < n_codes ? TSR_UNDEFINED_CODE_UNUSED : TSR_UNDEFINED_NONE_APPLIED, row);

  if (slot == G_MAXUINT)
    row->kind = TSR_AGREEMENT_ROW_POOLED;
  else if (r >= 0)
    {
      row->kind = agreement->rows[r].kind;
      row->id = agreement->rows[r].id;
      row->depth = agreement->rows[r].depth;
    }
  else
    {
      /* A parent code's own row, not shown since nobody applied the code
       * itself. */
      row->kind = TSR_AGREEMENT_ROW_CODE;
      row->id = agreement->data.code_ids[slot];
      row->depth = agreement->data.code_depths[slot] + 1;
    }
}

/**
 * tsr_agreement_get_row:
 * @code_id: a code, or 0 for the code book pooled: the units of every
 *   code A or B applied in one table (the codes neither applied are left
 *   out, see tsr_agreement_get_unused_codes())
 * @row: (out caller-allocates): the counts and statistics
 *
 * The row of a code's own coding: for a code with sub-codes, its segments
 * of the code itself (its rolled-up row is
 * %TSR_AGREEMENT_ROW_CODE_TREE, see tsr_agreement_find_row()).
 *
 * Returns: %FALSE if @code_id is not a code of the project
 */
gboolean
tsr_agreement_get_row (TsrAgreement     *agreement,
                       gint64            code_id,
                       TsrAgreementUnit  unit,
                       TsrAgreementRow  *row)
{
  guint i = code_index (agreement, code_id);

  g_return_val_if_fail (unit <= TSR_AGREEMENT_SEGMENTS, FALSE);

  if (i == 0)
    return FALSE;
  fill_slot_row (agreement, i <= agreement->data.n_codes ? i - 1 : G_MAXUINT, unit, row);
  return TRUE;
}

/**
 * tsr_agreement_get_n_rows:
 *
 * Returns: how many rows the table has: every code in tree order (a code
 *   with sub-codes first as %TSR_AGREEMENT_ROW_CODE_TREE, rolled up, then
 *   as its own %TSR_AGREEMENT_ROW_CODE one level deeper when a coder
 *   compared applied the code itself), the pooled row, then every theme
 *   in tree order but the discarded ones (and what is under them)
 */
guint
tsr_agreement_get_n_rows (TsrAgreement *agreement)
{
  return agreement->n_rows;
}

/**
 * tsr_agreement_find_row:
 * @id: the code or theme; ignored for %TSR_AGREEMENT_ROW_POOLED
 *
 * Returns: the row's index, or -1 when the table has no such row
 */
gint
tsr_agreement_find_row (TsrAgreement        *agreement,
                        TsrAgreementRowKind  kind,
                        gint64               id)
{
  for (guint r = 0; r < agreement->n_rows; r++)
    if (agreement->rows[r].kind == kind && (kind == TSR_AGREEMENT_ROW_POOLED || agreement->rows[r].id == id))
      return r;
  return -1;
}

/**
 * tsr_agreement_get_row_at:
 * @index: a row, below tsr_agreement_get_n_rows()
 * @row: (out caller-allocates): what the row is about, its counts and
 *   statistics
 */
gboolean
tsr_agreement_get_row_at (TsrAgreement     *agreement,
                          guint             index,
                          TsrAgreementUnit  unit,
                          TsrAgreementRow  *row)
{
  g_return_val_if_fail (unit <= TSR_AGREEMENT_SEGMENTS, FALSE);

  if (index >= agreement->n_rows)
    return FALSE;
  fill_slot_row (agreement, agreement->rows[index].slot, unit, row);
  return TRUE;
}

static void
get_alpha_of_slot (TsrAgreement   *agreement,
                   guint           slot,
                   TsrAlphaResult *alpha)
{
  *alpha = slot == G_MAXUINT ? agreement->alpha_pooled : agreement->alpha[slot];
}

/**
 * tsr_agreement_get_alpha:
 * @code_id: a code, or 0 for the codes pooled: every code one of the
 *   coders compared applied (with two coders, the codes of the pooled
 *   row)
 * @alpha: (out caller-allocates): α with its inputs
 *
 * Krippendorff's α (nominal) over every coder compared, on presence in
 * documents: each document compared is a unit, each coder's value 1
 * where they applied the code and 0 where not (missing where their
 * coding does not count).
 *
 * Returns: %FALSE if @code_id is not a code of the project
 */
gboolean
tsr_agreement_get_alpha (TsrAgreement   *agreement,
                         gint64          code_id,
                         TsrAlphaResult *alpha)
{
  guint i = code_index (agreement, code_id);

  if (i == 0)
    return FALSE;
  get_alpha_of_slot (agreement, i <= agreement->data.n_codes ? i - 1 : G_MAXUINT, alpha);
  return TRUE;
}

/** tsr_agreement_get_alpha_at: The same as tsr_agreement_get_alpha() for a row by its index. */
gboolean
tsr_agreement_get_alpha_at (TsrAgreement   *agreement,
                            guint           index,
                            TsrAlphaResult *alpha)
{
  if (index >= agreement->n_rows)
    return FALSE;
  get_alpha_of_slot (agreement, agreement->rows[index].slot, alpha);
  return TRUE;
}

static guint
n_cells_of_slot (TsrAgreement *agreement,
                 guint         slot)
{
  if (slot >= agreement->n_slots)
    return 0;
  return agreement->cell_offsets[slot + 1] - agreement->cell_offsets[slot];
}

/**
 * tsr_agreement_get_n_cells:
 *
 * Returns: the documents where either coder applied @code_id (in the
 *   documents compared); in every other document compared, neither did
 *   and all of its characters agree
 */
guint
tsr_agreement_get_n_cells (TsrAgreement *agreement,
                           gint64        code_id)
{
  guint i = code_index (agreement, code_id);

  if (i == 0 || i > agreement->data.n_codes)
    return 0;
  return n_cells_of_slot (agreement, i - 1);
}

/** tsr_agreement_get_n_cells_at: The same as tsr_agreement_get_n_cells() for a row by its index (0 for the pooled row). */
guint
tsr_agreement_get_n_cells_at (TsrAgreement *agreement,
                              guint         index)
{
  if (index >= agreement->n_rows)
    return 0;
  return n_cells_of_slot (agreement, agreement->rows[index].slot);
}

static gboolean
get_cell_of_slot (TsrAgreement     *agreement,
                  guint             slot,
                  guint             index,
                  TsrAgreementCell *cell)
{
  const TsrPackedCell *c;

  if (index >= n_cells_of_slot (agreement, slot))
    return FALSE;

  c = &agreement->cells[agreement->cell_offsets[slot] + index];
  cell->document_id = agreement->data.document_ids[c->document];
  cell->both = c->both;
  cell->only_a = c->only_a;
  cell->only_b = c->only_b;
  cell->neither = agreement->data.document_lengths[c->document] - (guint64) c->both - c->only_a - c->only_b;
  tsr_agreement_two_by_two (cell->both, cell->only_a, cell->only_b, cell->neither,
                            &cell->percent, &cell->kappa, NULL);
  return TRUE;
}

/**
 * tsr_agreement_get_cell:
 * @index: which of tsr_agreement_get_n_cells(), in document order
 * @cell: (out caller-allocates): the counts and statistics
 */
gboolean
tsr_agreement_get_cell (TsrAgreement     *agreement,
                        gint64            code_id,
                        guint             index,
                        TsrAgreementCell *cell)
{
  guint i = code_index (agreement, code_id);

  if (i == 0 || i > agreement->data.n_codes)
    return FALSE;
  return get_cell_of_slot (agreement, i - 1, index, cell);
}

/** tsr_agreement_get_cell_at: The same as tsr_agreement_get_cell() for a row by its index. */
gboolean
tsr_agreement_get_cell_at (TsrAgreement     *agreement,
                           guint             index,
                           guint             cell_index,
                           TsrAgreementCell *cell)
{
  if (index >= agreement->n_rows)
    return FALSE;
  return get_cell_of_slot (agreement, agreement->rows[index].slot, cell_index, cell);
}

static void
add_to_mean (TsrAgreement  *agreement,
             guint          slot,
             double        *kappa_sum,
             double        *percent_sum,
             guint         *n_documents,
             guint64       *n_characters,
             guint         *n_cells)
{
  for (guint i = agreement->cell_offsets[slot]; i < agreement->cell_offsets[slot + 1]; i++)
    {
      const TsrPackedCell *c = &agreement->cells[i];
      guint64 length = agreement->data.document_lengths[c->document];
      TsrStatistic percent, kappa;

      tsr_agreement_two_by_two (c->both, c->only_a, c->only_b,
                                length - (guint64) c->both - c->only_a - c->only_b,
                                &percent, &kappa, NULL);
      (*n_cells)++;
      if (kappa.undefined != TSR_DEFINED)
        continue;
      *kappa_sum += (double) length * kappa.value;
      *percent_sum += (double) length * percent.value;
      *n_documents += 1;
      *n_characters += length;
    }
}

static void
mean_of_slot (TsrAgreement     *agreement,
              guint             slot,
              TsrAgreementMean *mean)
{
  double kappa_sum = 0.0, percent_sum = 0.0;
  guint n_cells = 0;

  memset (mean, 0, sizeof *mean);
  if (slot != G_MAXUINT)
    add_to_mean (agreement, slot, &kappa_sum, &percent_sum, &mean->n_documents, &mean->n_characters, &n_cells);
  else
    for (guint c = 0; c < agreement->data.n_codes; c++)
      if (code_used (&agreement->sums[c]))
        add_to_mean (agreement, c, &kappa_sum, &percent_sum, &mean->n_documents, &mean->n_characters, &n_cells);

  if (mean->n_characters > 0)
    {
      mean->kappa = _tsr_statistic_defined (kappa_sum / (double) mean->n_characters);
      mean->percent = _tsr_statistic_defined (percent_sum / (double) mean->n_characters);
    }
  else
    mean->kappa = mean->percent =
      _tsr_statistic_undefined (agreement->n_compared == 0 ? TSR_UNDEFINED_NO_UNITS
                                : n_cells > 0 ? TSR_UNDEFINED_CHANCE_IS_ONE
                                : slot != G_MAXUINT && slot >= agreement->data.n_codes ? TSR_UNDEFINED_NONE_APPLIED
                                : TSR_UNDEFINED_CODE_UNUSED);
}

/**
 * tsr_agreement_get_document_mean:
 * @code_id: a code, or 0 for the codes pooled (every code A or B applied,
 *   each of its documents weighing its length)
 * @mean: (out caller-allocates): the means and what they average
 *
 * The per-document character κ and percent agreement of @code_id
 * (tsr_agreement_get_cell()), averaged with each document weighted by
 * its length, as NVivo's documentation averages its per-source figures.
 * A document where neither coder applied the code has no κ (0/0) and is
 * not averaged; nor is one where both coded every character.
 *
 * Returns: %FALSE if @code_id is not a code of the project
 */
gboolean
tsr_agreement_get_document_mean (TsrAgreement     *agreement,
                                 gint64            code_id,
                                 TsrAgreementMean *mean)
{
  guint i = code_index (agreement, code_id);

  if (i == 0)
    return FALSE;
  mean_of_slot (agreement, i <= agreement->data.n_codes ? i - 1 : G_MAXUINT, mean);
  return TRUE;
}

/** tsr_agreement_get_document_mean_at: The same as tsr_agreement_get_document_mean() for a row by its index. */
gboolean
tsr_agreement_get_document_mean_at (TsrAgreement     *agreement,
                                    guint             index,
                                    TsrAgreementMean *mean)
{
  if (index >= agreement->n_rows)
    return FALSE;
  mean_of_slot (agreement, agreement->rows[index].slot, mean);
  return TRUE;
}
