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
 * applied the code there and 0 when not, for any number of coders.  A
 * coder who did not code a document at all (no segment of any code in
 * it) gives no value for it — a missing value, as Krippendorff's α
 * allows — since a document nobody has read yet is not a judgement that
 * it holds nothing.  The same rule leaves such documents out of the
 * two-coder statistics; TSR_AGREEMENT_UNCODED_AS_ABSENT counts them as
 * holding no code instead.  The α routine takes a generic coders × units
 * matrix, and the project's α goes through it one code at a time, so the
 * published examples in the tests check the very code the table uses.
 *
 * Nothing here makes up a value: a code nobody used, a chance agreement
 * of 1, data without variation are NAN with the reason.
 *
 * All of it comes from one read of the segments, sorted by (document,
 * code, coder, start) and swept once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-agreement.h"
#include "tsr-agreement-private.h"
#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* Names --------------------------------------------------------------- */

static const char * const unit_names[] = { "presence", "characters", "segments" };

const char *
tsr_agreement_unit_to_string (TsrAgreementUnit unit)
{
  g_return_val_if_fail (unit <= TSR_AGREEMENT_SEGMENTS, NULL);
  return unit_names[unit];
}

gboolean
tsr_agreement_unit_from_string (const char       *str,
                                TsrAgreementUnit *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (unit_names); i++)
    if (g_strcmp0 (str, unit_names[i]) == 0)
      {
        *unit = i;
        return TRUE;
      }
  return FALSE;
}

static const char * const reason_names[] = {
  "defined", "no-units", "code-unused", "chance-is-one", "no-neither", "no-variation", "not-pairable",
};

/**
 * tsr_undefined_reason_to_string:
 *
 * Returns: a stable identifier for @reason, for data files
 */
const char *
tsr_undefined_reason_to_string (TsrUndefinedReason reason)
{
  g_return_val_if_fail (reason <= TSR_UNDEFINED_NOT_PAIRABLE, NULL);
  return reason_names[reason];
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
      return _("There is nothing to compare: no document was coded by both coders.");
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
    default:
      g_return_val_if_reached ("");
    }
}

static TsrStatistic
defined (double value)
{
  return (TsrStatistic) { value, TSR_DEFINED };
}

static TsrStatistic
undefined (TsrUndefinedReason reason)
{
  return (TsrStatistic) { NAN, reason };
}

/* 2 × 2 tables -------------------------------------------------------- */

/**
 * tsr_agreement_two_by_two:
 * @both: units both coders coded
 * @only_a: units only the first coder coded
 * @only_b: units only the second coder coded
 * @neither: units neither coded
 * @percent: (out) (optional): percent agreement, 100 · (both + neither) / n
 * @kappa: (out) (optional): Cohen's κ
 * @bp_kappa: (out) (optional): Brennan and Prediger's κ, 2·p_o − 1
 *
 * The statistics of one 2 × 2 table.  With no units everything is
 * undefined; with no unit coded by anyone, too (a code nobody used does
 * not have perfect agreement); κ is undefined when chance agreement is 1.
 *
 * κ is computed in exact integer arithmetic up to the final division:
 * κ = (n·(both + neither) − Σ) / (n² − Σ), Σ = a₁b₁ + a₀b₀.
 */
void
tsr_agreement_two_by_two (guint64       both,
                          guint64       only_a,
                          guint64       only_b,
                          guint64       neither,
                          TsrStatistic *percent,
                          TsrStatistic *kappa,
                          TsrStatistic *bp_kappa)
{
  unsigned __int128 n = (unsigned __int128) both + only_a + only_b + neither;
  unsigned __int128 agree = (unsigned __int128) both + neither;
  TsrStatistic p, k, bp;

  if (n == 0)
    p = k = bp = undefined (TSR_UNDEFINED_NO_UNITS);
  else if (both + only_a + only_b == 0)
    p = k = bp = undefined (TSR_UNDEFINED_CODE_UNUSED);
  else
    {
      unsigned __int128 a1 = (unsigned __int128) both + only_a;
      unsigned __int128 b1 = (unsigned __int128) both + only_b;
      unsigned __int128 chance = a1 * b1 + (n - a1) * (n - b1);
      __int128 num = (__int128) (n * agree) - (__int128) chance;
      __int128 den = (__int128) (n * n) - (__int128) chance;

      p = defined (100.0 * (double) agree / (double) n);
      bp = defined ((2.0 * (double) agree - (double) n) / (double) n);
      if (den == 0)
        k = undefined (TSR_UNDEFINED_CHANCE_IS_ONE);
      else
        k = defined ((double) num / (double) den);
    }

  if (percent)
    *percent = p;
  if (kappa)
    *kappa = k;
  if (bp_kappa)
    *bp_kappa = bp;
}

/* Krippendorff's alpha ------------------------------------------------ */

struct _TsrAlphaAccumulator
{
  GArray  *values;    /* gint, sorted: the categories seen */
  double  *matrix;    /* V × V coincidences, row-major */
  guint    n_units;   /* pairable units */
  gint8    small[64]; /* value v in [0, 64) → index + 1, for speed */
};

/**
 * tsr_alpha_accumulator_new:
 *
 * Coincidences of nominal values, added up over units.  Coincidence
 * matrices add over units, so the units of several codes can be pooled
 * by merging their accumulators.
 *
 * Returns: (transfer full): an empty accumulator
 */
TsrAlphaAccumulator *
tsr_alpha_accumulator_new (void)
{
  TsrAlphaAccumulator *acc = g_new0 (TsrAlphaAccumulator, 1);

  acc->values = g_array_new (FALSE, FALSE, sizeof (gint));
  return acc;
}

void
tsr_alpha_accumulator_free (TsrAlphaAccumulator *acc)
{
  if (acc == NULL)
    return;
  g_array_unref (acc->values);
  g_free (acc->matrix);
  g_free (acc);
}

/* Returns the index of @value, adding it as a category if new. */
static guint
value_index (TsrAlphaAccumulator *acc,
             gint                 value)
{
  guint lo = 0, hi = acc->values->len;
  guint v_old, v_new;
  double *matrix;

  if (value >= 0 && value < 64 && acc->small[value] != 0)
    return acc->small[value] - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      gint x = g_array_index (acc->values, gint, mid);

      if (x == value)
        return mid;
      if (x < value)
        lo = mid + 1;
      else
        hi = mid;
    }

  /* A new category at lo: grow the matrix around it. */
  v_old = acc->values->len;
  v_new = v_old + 1;
  g_array_insert_val (acc->values, lo, value);
  matrix = g_new0 (double, (gsize) v_new * v_new);
  for (guint c = 0; c < v_old; c++)
    for (guint k = 0; k < v_old; k++)
      matrix[(c + (c >= lo)) * v_new + (k + (k >= lo))] = acc->matrix[c * v_old + k];
  g_free (acc->matrix);
  acc->matrix = matrix;

  memset (acc->small, 0, sizeof acc->small);
  for (guint i = 0; i < v_new; i++)
    {
      gint x = g_array_index (acc->values, gint, i);
      if (x >= 0 && x < 64 && i < 127)
        acc->small[x] = i + 1;
    }
  return lo;
}

/**
 * tsr_alpha_accumulator_add_units:
 * @values: (array): a coders × units matrix, row by row: the value coder
 *   c gave unit u is `values[c * n_units + u]`, %TSR_ALPHA_MISSING where
 *   the coder gave none
 *
 * Adds the units' coincidences: within a unit holding m ≥ 2 values, each
 * ordered pair of values from two different coders adds 1 / (m − 1) to
 * its cell (Krippendorff 2011, section C).  Units with fewer than two
 * values are not pairable and add nothing.
 */
void
tsr_alpha_accumulator_add_units (TsrAlphaAccumulator *acc,
                                 const gint          *values,
                                 guint                n_coders,
                                 guint                n_units)
{
  g_autofree guint *index = g_new (guint, MAX (n_coders, 1));

  g_return_if_fail (acc != NULL);
  g_return_if_fail (values != NULL || n_units == 0 || n_coders == 0);

  for (guint u = 0; u < n_units; u++)
    {
      guint m = 0;
      double weight;
      guint v;

      guint n_categories = acc->values->len;

      for (guint c = 0; c < n_coders; c++)
        {
          gint value = values[(gsize) c * n_units + u];

          if (value != TSR_ALPHA_MISSING)
            index[m++] = value_index (acc, value);
        }
      if (m < 2)
        continue;

      /* A new category shifts the indices taken before it: take them
       * again (no category is new the second time). */
      if (acc->values->len != n_categories)
        {
          m = 0;
          for (guint c = 0; c < n_coders; c++)
            {
              gint value = values[(gsize) c * n_units + u];

              if (value != TSR_ALPHA_MISSING)
                index[m++] = value_index (acc, value);
            }
        }

      acc->n_units++;
      v = acc->values->len;
      weight = 1.0 / (m - 1);
      for (guint i = 0; i < m; i++)
        for (guint j = 0; j < m; j++)
          if (i != j)
            acc->matrix[index[i] * v + index[j]] += weight;
    }
}

/**
 * tsr_alpha_accumulator_merge:
 *
 * Adds @other's units to @acc.
 */
void
tsr_alpha_accumulator_merge (TsrAlphaAccumulator       *acc,
                             const TsrAlphaAccumulator *other)
{
  guint vo = other->values->len;

  for (guint c = 0; c < vo; c++)
    value_index (acc, g_array_index (other->values, gint, c));
  for (guint c = 0; c < vo; c++)
    for (guint k = 0; k < vo; k++)
      {
        guint ic = value_index (acc, g_array_index (other->values, gint, c));
        guint ik = value_index (acc, g_array_index (other->values, gint, k));

        acc->matrix[ic * acc->values->len + ik] += other->matrix[c * vo + k];
      }
  acc->n_units += other->n_units;
}

/**
 * tsr_alpha_accumulator_get_coincidence:
 *
 * Returns: o_ck, the coincidences of values @value_c and @value_k
 */
double
tsr_alpha_accumulator_get_coincidence (const TsrAlphaAccumulator *acc,
                                       gint                       value_c,
                                       gint                       value_k)
{
  gint ic = -1, ik = -1;

  for (guint i = 0; i < acc->values->len; i++)
    {
      if (g_array_index (acc->values, gint, i) == value_c)
        ic = i;
      if (g_array_index (acc->values, gint, i) == value_k)
        ik = i;
    }
  if (ic < 0 || ik < 0)
    return 0.0;
  return acc->matrix[ic * acc->values->len + ik];
}

/**
 * tsr_alpha_accumulator_compute:
 * @result: (out caller-allocates): α and its inputs
 *
 * α = 1 − D_o / D_e with, for nominal values,
 * D_o = Σ_{c≠k} o_ck / n and D_e = Σ_{c≠k} n_c · n_k / (n · (n − 1)).
 * Undefined when no unit is pairable or when D_e is 0 (one value only).
 */
void
tsr_alpha_accumulator_compute (const TsrAlphaAccumulator *acc,
                               TsrAlphaResult            *result)
{
  guint v = acc->values->len;
  g_autofree double *marginal = g_new0 (double, MAX (v, 1));
  double n = 0.0, off = 0.0, pairs = 0.0;

  memset (result, 0, sizeof *result);
  result->n_units = acc->n_units;

  for (guint c = 0; c < v; c++)
    for (guint k = 0; k < v; k++)
      {
        double o = acc->matrix[c * v + k];

        marginal[c] += o;
        n += o;
        if (c != k)
          off += o;
      }
  for (guint c = 0; c < v; c++)
    {
      if (marginal[c] > 0)
        result->n_categories++;
      for (guint k = 0; k < v; k++)
        if (c != k)
          pairs += marginal[c] * marginal[k];
    }
  result->n_values = n;

  if (acc->n_units == 0 || n < 2)
    {
      result->alpha = undefined (TSR_UNDEFINED_NOT_PAIRABLE);
      result->observed = result->expected = NAN;
      return;
    }

  result->observed = off / n;
  result->expected = pairs / (n * (n - 1));
  if (pairs == 0)
    result->alpha = undefined (TSR_UNDEFINED_NO_VARIATION);
  else
    /* The same as 1 − D_o / D_e, with one rounding less. */
    result->alpha = defined (1.0 - (n - 1) * off / pairs);
}

/**
 * tsr_krippendorff_alpha_nominal:
 * @values: (array): a coders × units matrix (see
 *   tsr_alpha_accumulator_add_units()), %TSR_ALPHA_MISSING for no value
 * @result: (out caller-allocates): α and its inputs
 *
 * Krippendorff's α for nominal data with missing values.
 */
void
tsr_krippendorff_alpha_nominal (const gint     *values,
                                guint           n_coders,
                                guint           n_units,
                                TsrAlphaResult *result)
{
  g_autoptr(TsrAlphaAccumulator) acc = tsr_alpha_accumulator_new ();

  tsr_alpha_accumulator_add_units (acc, values, n_coders, n_units);
  tsr_alpha_accumulator_compute (acc, result);
}

/* Intervals ----------------------------------------------------------- */

guint
_tsr_intervals_merge (TsrInterval *iv,
                      guint        n)
{
  guint out = 0;

  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && iv[i].start <= iv[out - 1].end)
        {
          if (iv[i].end > iv[out - 1].end)
            iv[out - 1].end = iv[i].end;
        }
      else
        iv[out++] = iv[i];
    }
  return out;
}

guint64
_tsr_intervals_intersection (const TsrInterval *a,
                             guint              n_a,
                             const TsrInterval *b,
                             guint              n_b)
{
  guint64 total = 0;
  guint i = 0, j = 0;

  while (i < n_a && j < n_b)
    {
      guint32 lo = MAX (a[i].start, b[j].start);
      guint32 hi = MIN (a[i].end, b[j].end);

      if (hi > lo)
        total += hi - lo;
      if (a[i].end < b[j].end)
        i++;
      else
        j++;
    }
  return total;
}

/* Reading the coding --------------------------------------------------- */

static gboolean
sql_failed (sqlite3       *db,
            GCancellable  *cancellable,
            GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, "%s", sqlite3_errmsg (db));
  return FALSE;
}

typedef struct
{
  gint64 id;
  gint64 parent_id;
  gint   position;
} CodeRow;

static int
compare_code_rows (gconstpointer a,
                   gconstpointer b)
{
  const CodeRow *x = a, *y = b;

  if (x->parent_id != y->parent_id)
    return x->parent_id < y->parent_id ? -1 : 1;
  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static void
visit_codes (GArray        *rows,
             GHashTable    *first_child,
             gint64         parent_id,
             guint          depth,
             TsrCodingData *data)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (first_child, &parent_id));

  if (first == 0)
    return;
  for (guint i = first - 1; i < rows->len && g_array_index (rows, CodeRow, i).parent_id == parent_id; i++)
    {
      CodeRow *row = &g_array_index (rows, CodeRow, i);

      data->code_ids[data->n_codes] = row->id;
      data->code_depths[data->n_codes] = depth;
      data->n_codes++;
      visit_codes (rows, first_child, row->id, depth + 1, data);
    }
}

/* Codes in tree order: each code, then its children by position. */
static gboolean
load_codes (sqlite3        *db,
            TsrCodingData  *data,
            GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CodeRow));
  g_autoptr(GHashTable) first_child = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, coalesce (parent_id, 0), position FROM codes", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CodeRow row = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                      sqlite3_column_int (stmt, 2) };
      g_array_append_val (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (db, NULL, error);

  /* Sorted by (parent, position, id): each parent's children are a run. */
  g_array_sort (rows, compare_code_rows);
  for (guint i = rows->len; i > 0; i--)
    g_hash_table_insert (first_child, &g_array_index (rows, CodeRow, i - 1).parent_id, GUINT_TO_POINTER (i));

  data->n_codes = 0;
  data->code_ids = g_new (gint64, MAX (rows->len, 1));
  data->code_depths = g_new (guint, MAX (rows->len, 1));
  /* Codes caught in a cycle (never written by Tessera) cannot be reached
   * from the top level and are not reported. */
  visit_codes (rows, first_child, 0, 0, data);

  data->code_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < data->n_codes; i++)
    g_hash_table_insert (data->code_index, &data->code_ids[i], GUINT_TO_POINTER (i + 1));
  return TRUE;
}

static gboolean
load_documents (sqlite3        *db,
                TsrCodingData  *data,
                GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (guint32));
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, length FROM documents ORDER BY position, id", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint32 length = (guint32) MIN (sqlite3_column_int64 (stmt, 1), G_MAXUINT32);

      g_array_append_val (ids, id);
      g_array_append_val (lengths, length);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (db, NULL, error);

  data->n_documents = ids->len;
  data->document_ids = g_memdup2 (ids->data, sizeof (gint64) * MAX (ids->len, 1));
  data->document_lengths = g_memdup2 (lengths->data, sizeof (guint32) * MAX (lengths->len, 1));
  data->document_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < data->n_documents; i++)
    g_hash_table_insert (data->document_index, &data->document_ids[i], GUINT_TO_POINTER (i + 1));
  return TRUE;
}

/* Ids are rowids, dense in practice: a direct table beats hashing once
 * per segment; sparse ids fall back to the hash. */
typedef struct
{
  guint      *table;
  gint64      length;
  GHashTable *hash;
} IdLookup;

static void
id_lookup_init (IdLookup   *lookup,
                GHashTable *hash)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 limit = 4 * (gint64) g_hash_table_size (hash) + 1024;

  lookup->hash = hash;
  lookup->length = 0;
  g_hash_table_iter_init (&iter, hash);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key >= 0 && *(gint64 *) key < limit)
      lookup->length = MAX (lookup->length, *(gint64 *) key + 1);
  lookup->table = g_new0 (guint, MAX (lookup->length, 1));
  g_hash_table_iter_init (&iter, hash);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key >= 0 && *(gint64 *) key < lookup->length)
      lookup->table[*(gint64 *) key] = GPOINTER_TO_UINT (value);
}

static inline guint
id_lookup (const IdLookup *lookup,
           gint64          id)
{
  if (id >= 0 && id < lookup->length)
    return lookup->table[id];
  return GPOINTER_TO_UINT (g_hash_table_lookup (lookup->hash, &id));
}

static int
compare_records (const void *a,
                 const void *b)
{
  const TsrSpanRecord *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

/**
 * _tsr_coding_data_load:
 *
 * Reads the documents, the code tree and the segments of @coder_ids (in
 * that order: coder index i is @coder_ids[i]), sorted for the sweep.
 */
static gboolean
coding_data_load (sqlite3              *db,
                  const gint64         *coder_ids,
                  guint                 n_coders,
                  GCancellable         *cancellable,
                  TsrCodingData        *data,
                  TsrAgreementTimings  *timings,
                  GError              **error)
{
  gint64 started = g_get_monotonic_time ();
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) records = NULL;
  IdLookup docs = { 0 }, codes = { 0 };
  guint64 n_codes;
  gsize n_rows = 0;
  int rc;

  g_return_val_if_fail (n_coders >= 1 && n_coders <= TSR_AGREEMENT_MAX_CODERS, FALSE);

  memset (data, 0, sizeof *data);
  data->n_coders = n_coders;
  data->coder_ids = g_memdup2 (coder_ids, sizeof (gint64) * n_coders);

  if (!load_documents (db, data, error) || !load_codes (db, data, error))
    return FALSE;

  {
    sqlite3_stmt *count = NULL;

    if (sqlite3_prepare_v2 (db, "SELECT max (id) FROM segments", -1, &count, NULL) == SQLITE_OK &&
        sqlite3_step (count) == SQLITE_ROW)
      n_rows = (gsize) MAX (sqlite3_column_int64 (count, 0), 0);
    sqlite3_finalize (count);
  }

  if (sqlite3_prepare_v2 (db, "SELECT document_id, code_id, coder_id, start, end FROM segments",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, cancellable, error);

  records = g_array_sized_new (FALSE, FALSE, sizeof (TsrSpanRecord), MIN (n_rows, 64u * 1024 * 1024));
  id_lookup_init (&docs, data->document_index);
  id_lookup_init (&codes, data->code_index);
  n_codes = MAX (data->n_codes, 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 coder_id = sqlite3_column_int64 (stmt, 2);
      TsrSpanRecord record;
      guint coder, doc, code;

      for (coder = 0; coder < n_coders; coder++)
        if (coder_ids[coder] == coder_id)
          break;
      if (coder == n_coders)
        continue;

      doc = id_lookup (&docs, sqlite3_column_int64 (stmt, 0));
      code = id_lookup (&codes, sqlite3_column_int64 (stmt, 1));
      if (doc == 0 || code == 0)
        continue;

      record.key = ((guint64) (doc - 1) * n_codes + (code - 1)) * n_coders + coder;
      record.start = (guint32) sqlite3_column_int64 (stmt, 3);
      record.end = (guint32) sqlite3_column_int64 (stmt, 4);
      g_array_append_val (records, record);
    }
  sqlite3_finalize (stmt);
  g_free (docs.table);
  g_free (codes.table);
  if (rc != SQLITE_DONE)
    return sql_failed (db, cancellable, error);

  if (timings != NULL)
    {
      timings->read_ms = (g_get_monotonic_time () - started) / 1000.0;
      started = g_get_monotonic_time ();
    }
  if (records->len > 1)
    qsort (records->data, records->len, sizeof (TsrSpanRecord), compare_records);
  if (timings != NULL)
    {
      timings->sort_ms = (g_get_monotonic_time () - started) / 1000.0;
      timings->n_records = records->len;
    }
  data->n_records = records->len;
  data->records = (TsrSpanRecord *) g_array_free (g_steal_pointer (&records), FALSE);
  return TRUE;
}

gboolean
_tsr_coding_data_load (sqlite3        *db,
                       const gint64   *coder_ids,
                       guint           n_coders,
                       GCancellable   *cancellable,
                       TsrCodingData  *data,
                       GError        **error)
{
  return coding_data_load (db, coder_ids, n_coders, cancellable, data, NULL, error);
}

void
_tsr_coding_data_clear (TsrCodingData *data)
{
  g_free (data->coder_ids);
  g_free (data->document_ids);
  g_free (data->document_lengths);
  g_free (data->code_ids);
  g_free (data->code_depths);
  g_clear_pointer (&data->code_index, g_hash_table_unref);
  g_clear_pointer (&data->document_index, g_hash_table_unref);
  g_free (data->records);
  memset (data, 0, sizeof *data);
}

gboolean
_tsr_coding_data_sweep (const TsrCodingData   *data,
                        TsrCodingDocumentFunc  document_func,
                        TsrCodingGroupFunc     group_func,
                        gpointer               user_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  guint n_coders = data->n_coders;
  guint64 n_codes = MAX (data->n_codes, 1);
  guint64 per_document = n_codes * n_coders;
  g_autofree TsrInterval *scratch = NULL;
  gsize scratch_size = 0;
  gsize i = 0;

  for (guint doc = 0; doc < data->n_documents; doc++)
    {
      guint64 doc_end_key = (guint64) (doc + 1) * per_document;
      guint32 coded_mask = 0;
      gsize j;

      if ((doc & 1023) == 1023 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }

      for (j = i; j < data->n_records && data->records[j].key < doc_end_key; j++)
        coded_mask |= 1u << (data->records[j].key % n_coders);

      if (document_func != NULL)
        document_func (data, doc, coded_mask, user_data);

      while (i < j)
        {
          guint64 group_key = data->records[i].key / n_coders;
          TsrCodingGroup group = { 0 };
          gsize g, k;

          for (g = i; g < j && data->records[g].key / n_coders == group_key; g++)
            ;
          if (g - i > scratch_size)
            {
              scratch_size = MAX (g - i, 2 * scratch_size);
              g_free (scratch);
              scratch = g_new (TsrInterval, scratch_size);
            }

          group.document = doc;
          group.code = group_key % n_codes;
          group.coded_mask = coded_mask;
          k = i;
          while (k < g)
            {
              guint coder = data->records[k].key % n_coders;
              TsrInterval *out = scratch + (k - i);
              guint n = 0;

              for (; k < g && data->records[k].key % n_coders == coder; k++)
                out[n++] = (TsrInterval) { data->records[k].start, data->records[k].end };
              group.coverage[coder] = out;
              group.n_coverage[coder] = _tsr_intervals_merge (out, n);
              group.present_mask |= 1u << coder;
            }

          if (group_func != NULL && !group_func (data, &group, user_data))
            return FALSE;
          i = g;
        }
    }
  return TRUE;
}

/* The agreement table -------------------------------------------------- */

typedef struct
{
  guint64 p_both, p_only_a, p_only_b;
  guint64 c_both, c_only_a, c_only_b;
  guint   s_a, s_matched_a, s_b, s_matched_b;
} CodeSums;

typedef struct
{
  guint32 code;
  guint32 document;
  guint32 both;
  guint32 only_a;
  guint32 only_b;
} Cell;

typedef struct
{
  guint32 code;
  guint32 document;
  guint32 mask;
} Presence;

struct _TsrAgreement
{
  gatomicrefcount    ref_count;
  TsrCodingData      data;         /* without its records */
  double             min_overlap;
  TsrAgreementFlags  flags;
  guint              n_compared;   /* documents both A and B coded */
  guint64            compared_characters;
  CodeSums          *sums;         /* per code */
  TsrAlphaResult    *alpha;        /* per code, then the pooled one */
  Cell              *cells;        /* by code, then document order */
  guint             *cell_offsets; /* n_codes + 1 */
  TsrAgreementParts  parts;
};

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
  g_free (agreement);
}

typedef struct
{
  TsrAgreement *agreement;
  GArray       *cells;       /* Cell, in sweep order */
  GArray       *presence;    /* Presence, in sweep order */
  guint32      *coded_masks; /* per document */
  gboolean     *matched;     /* scratch */
  gsize         matched_size;
} Sweep;

static gboolean
compared (const TsrAgreement *agreement,
          guint32             coded_mask)
{
  return (agreement->flags & TSR_AGREEMENT_UNCODED_AS_ABSENT) ||
         (coded_mask & 3u) == 3u;
}

static void
on_document (const TsrCodingData *data,
             guint                document,
             guint32              coded_mask,
             gpointer             user_data)
{
  Sweep *sweep = user_data;

  sweep->coded_masks[document] = coded_mask;
  if (compared (sweep->agreement, coded_mask))
    {
      sweep->agreement->n_compared++;
      sweep->agreement->compared_characters += data->document_lengths[document];
    }
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

static gboolean
on_group (const TsrCodingData  *data,
          const TsrCodingGroup *group,
          gpointer              user_data)
{
  Sweep *sweep = user_data;
  TsrAgreement *agreement = sweep->agreement;
  CodeSums *sums = &agreement->sums[group->code];
  gboolean in_a = (group->present_mask & 1u) != 0;
  gboolean in_b = (group->present_mask & 2u) != 0;

  if (agreement->parts & TSR_AGREEMENT_PART_ALPHA)
    {
      Presence presence = { group->code, group->document, group->present_mask };
      g_array_append_val (sweep->presence, presence);
    }

  if (!compared (agreement, group->coded_mask) || !(in_a || in_b))
    return TRUE;

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
      Cell cell = { group->code, group->document, (guint32) inter,
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

  return TRUE;
}

/* Orders the sweep's cells by code (a counting sort: they come by
 * document, then code). */
static void
index_cells (TsrAgreement *agreement,
             GArray       *cells)
{
  guint n_codes = agreement->data.n_codes;

  agreement->cell_offsets = g_new0 (guint, n_codes + 1);
  agreement->cells = g_new (Cell, MAX (cells->len, 1));
  for (guint i = 0; i < cells->len; i++)
    agreement->cell_offsets[g_array_index (cells, Cell, i).code + 1]++;
  for (guint c = 0; c < n_codes; c++)
    agreement->cell_offsets[c + 1] += agreement->cell_offsets[c];
  {
    g_autofree guint *next = g_memdup2 (agreement->cell_offsets, sizeof (guint) * (n_codes + 1));

    for (guint i = 0; i < cells->len; i++)
      {
        Cell *cell = &g_array_index (cells, Cell, i);
        agreement->cells[next[cell->code]++] = *cell;
      }
  }
}

/* α per code, through the generic coders × units routine, then pooled. */
static void
compute_alpha (TsrAgreement *agreement,
               Sweep        *sweep)
{
  const TsrCodingData *data = &agreement->data;
  guint n_coders = data->n_coders;
  guint n_codes = data->n_codes;
  g_autofree guint *column = g_new (guint, MAX (data->n_documents, 1));
  g_autofree gint *template = NULL;
  g_autofree gint *matrix = NULL;
  g_autofree guint *offsets = g_new0 (guint, n_codes + 1);
  g_autofree Presence *by_code = NULL;
  g_autoptr(TsrAlphaAccumulator) pooled = tsr_alpha_accumulator_new ();
  gboolean absent = (agreement->flags & TSR_AGREEMENT_UNCODED_AS_ABSENT) != 0;
  guint n_units = 0;

  /* Units: the documents where two coders or more can give a value. */
  for (guint d = 0; d < data->n_documents; d++)
    {
      guint32 mask = sweep->coded_masks[d];

      if (absent || (mask & (mask - 1)) != 0)
        column[d] = n_units++;
      else
        column[d] = G_MAXUINT;
    }

  template = g_new (gint, MAX ((gsize) n_coders * n_units, 1));
  for (guint d = 0; d < data->n_documents; d++)
    if (column[d] != G_MAXUINT)
      for (guint c = 0; c < n_coders; c++)
        template[(gsize) c * n_units + column[d]] =
          (absent || (sweep->coded_masks[d] & (1u << c))) ? 0 : TSR_ALPHA_MISSING;
  matrix = g_memdup2 (template, sizeof (gint) * MAX ((gsize) n_coders * n_units, 1));

  /* The presence records, by code. */
  by_code = g_new (Presence, MAX (sweep->presence->len, 1));
  for (guint i = 0; i < sweep->presence->len; i++)
    offsets[g_array_index (sweep->presence, Presence, i).code + 1]++;
  for (guint c = 0; c < n_codes; c++)
    offsets[c + 1] += offsets[c];
  {
    g_autofree guint *next = g_memdup2 (offsets, sizeof (guint) * (n_codes + 1));

    for (guint i = 0; i < sweep->presence->len; i++)
      {
        Presence *p = &g_array_index (sweep->presence, Presence, i);
        by_code[next[p->code]++] = *p;
      }
  }

  agreement->alpha = g_new0 (TsrAlphaResult, n_codes + 1);
  for (guint code = 0; code < n_codes; code++)
    {
      g_autoptr(TsrAlphaAccumulator) acc = tsr_alpha_accumulator_new ();
      gboolean used = FALSE;

      for (guint i = offsets[code]; i < offsets[code + 1]; i++)
        {
          guint col = column[by_code[i].document];

          if (col == G_MAXUINT)
            continue;
          for (guint c = 0; c < n_coders; c++)
            if (by_code[i].mask & (1u << c))
              {
                matrix[(gsize) c * n_units + col] = 1;
                used = TRUE;
              }
        }

      tsr_alpha_accumulator_add_units (acc, matrix, n_coders, n_units);
      tsr_alpha_accumulator_compute (acc, &agreement->alpha[code]);
      if (!used && agreement->alpha[code].n_units > 0)
        agreement->alpha[code].alpha = undefined (TSR_UNDEFINED_CODE_UNUSED);
      tsr_alpha_accumulator_merge (pooled, acc);

      /* Put back the template's cells this code changed. */
      for (guint i = offsets[code]; i < offsets[code + 1]; i++)
        {
          guint col = column[by_code[i].document];

          if (col == G_MAXUINT)
            continue;
          for (guint c = 0; c < n_coders; c++)
            matrix[(gsize) c * n_units + col] = template[(gsize) c * n_units + col];
        }
    }

  tsr_alpha_accumulator_compute (pooled, &agreement->alpha[n_codes]);
  if (sweep->presence->len == 0 && agreement->alpha[n_codes].n_units > 0)
    agreement->alpha[n_codes].alpha = undefined (TSR_UNDEFINED_CODE_UNUSED);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
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
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autoptr(GArray) presence = g_array_new (FALSE, FALSE, sizeof (Presence));
  Sweep sweep = { 0 };
  gint64 started;
  gboolean ok;

  g_atomic_ref_count_init (&agreement->ref_count);
  agreement->min_overlap = min_overlap;
  agreement->flags = flags;
  agreement->parts = parts;

  if (!coding_data_load (db, coder_ids, n_coders, cancellable, &agreement->data, timings, error))
    return NULL;

  started = g_get_monotonic_time ();
  agreement->sums = g_new0 (CodeSums, MAX (agreement->data.n_codes, 1));
  sweep.agreement = agreement;
  sweep.cells = cells;
  sweep.presence = presence;
  sweep.coded_masks = g_new0 (guint32, MAX (agreement->data.n_documents, 1));
  ok = _tsr_coding_data_sweep (&agreement->data, on_document, on_group, &sweep, cancellable, error);
  g_free (sweep.matched);
  if (timings != NULL)
    timings->sweep_ms = ms_since (started);

  /* The records are not needed after the sweep. */
  g_clear_pointer (&agreement->data.records, g_free);
  agreement->data.n_records = 0;

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
        agreement->alpha = g_new0 (TsrAlphaResult, agreement->data.n_codes + 1);
      if (timings != NULL)
        timings->alpha_ms = ms_since (started);
    }
  g_free (sweep.coded_masks);

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
                       _("The coder (id %" G_GINT64_FORMAT ") does not exist"), coder_ids[i]);
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

/** tsr_agreement_get_n_compared: Returns: the documents both A and B coded */
guint
tsr_agreement_get_n_compared (TsrAgreement *agreement)
{
  return agreement->n_compared;
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

static void
fill_row (TsrAgreement     *agreement,
          const CodeSums   *sums,
          guint64           n_units_presence,
          guint64           n_characters,
          TsrAgreementUnit  unit,
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
      break;

    case TSR_AGREEMENT_CHARACTERS:
      row->both = sums->c_both;
      row->only_a = sums->c_only_a;
      row->only_b = sums->c_only_b;
      row->neither = n_characters - sums->c_both - sums->c_only_a - sums->c_only_b;
      tsr_agreement_two_by_two (row->both, row->only_a, row->only_b, row->neither,
                                &row->percent, &row->kappa, &row->bp_kappa);
      break;

    case TSR_AGREEMENT_SEGMENTS:
    default:
      row->segments_a = sums->s_a;
      row->matched_a = sums->s_matched_a;
      row->segments_b = sums->s_b;
      row->matched_b = sums->s_matched_b;
      if (agreement->n_compared == 0)
        row->percent = undefined (TSR_UNDEFINED_NO_UNITS);
      else if (sums->s_a + sums->s_b == 0)
        row->percent = undefined (TSR_UNDEFINED_CODE_UNUSED);
      else
        row->percent = defined (100.0 * (sums->s_matched_a + sums->s_matched_b) / (sums->s_a + sums->s_b));
      row->kappa = row->bp_kappa = undefined (row->percent.undefined == TSR_DEFINED
                                              ? TSR_UNDEFINED_NO_NEITHER : row->percent.undefined);
      break;
    }
}

/**
 * tsr_agreement_get_row:
 * @code_id: a code, or 0 for the whole code book (every code's units
 *   pooled into one table)
 * @row: (out caller-allocates): the counts and statistics
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
  guint n_codes = agreement->data.n_codes;

  g_return_val_if_fail (unit <= TSR_AGREEMENT_SEGMENTS, FALSE);

  if (i == 0)
    return FALSE;

  if (i <= n_codes)
    {
      fill_row (agreement, &agreement->sums[i - 1], agreement->n_compared,
                agreement->compared_characters, unit, row);
      return TRUE;
    }

  /* Pooled: every code × document is a unit. */
  {
    CodeSums total = { 0 };

    for (guint c = 0; c < n_codes; c++)
      {
        CodeSums *s = &agreement->sums[c];

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
    fill_row (agreement, &total, (guint64) agreement->n_compared * n_codes,
              agreement->compared_characters * n_codes, unit, row);
    if (n_codes == 0)
      {
        row->percent = row->kappa = row->bp_kappa = undefined (TSR_UNDEFINED_CODE_UNUSED);
        if (agreement->n_compared == 0)
          row->percent = row->kappa = row->bp_kappa = undefined (TSR_UNDEFINED_NO_UNITS);
      }
  }
  return TRUE;
}

/**
 * tsr_agreement_get_alpha:
 * @code_id: a code, or 0 for every code pooled
 * @alpha: (out caller-allocates): α with its inputs
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
  *alpha = agreement->alpha[MIN (i, agreement->data.n_codes + 1) - 1];
  return TRUE;
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
  return agreement->cell_offsets[i] - agreement->cell_offsets[i - 1];
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
  const Cell *c;

  if (i == 0 || i > agreement->data.n_codes ||
      index >= agreement->cell_offsets[i] - agreement->cell_offsets[i - 1])
    return FALSE;

  c = &agreement->cells[agreement->cell_offsets[i - 1] + index];
  cell->document_id = agreement->data.document_ids[c->document];
  cell->both = c->both;
  cell->only_a = c->only_a;
  cell->only_b = c->only_b;
  cell->neither = agreement->data.document_lengths[c->document] - (guint64) c->both - c->only_a - c->only_b;
  tsr_agreement_two_by_two (cell->both, cell->only_a, cell->only_b, cell->neither,
                            &cell->percent, &cell->kappa, NULL);
  return TRUE;
}

/* The table for reports ------------------------------------------------ */

/**
 * tsr_agreement_format_statistic:
 * @decimals: digits after the point
 *
 * Returns: (transfer full): the value with a point as decimal separator
 *   and an ASCII minus, or "–" when it is undefined
 */
char *
tsr_agreement_format_statistic (TsrStatistic statistic,
                                guint        decimals)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = NULL;

  if (statistic.undefined != TSR_DEFINED)
    return g_strdup ("–");
  format = g_strdup_printf ("%%.%uf", decimals);
  g_ascii_formatd (buffer, sizeof buffer, format, statistic.value);
  /* Rounding a tiny negative value shows no sign. */
  if (g_str_has_prefix (buffer, "-") && g_ascii_strtod (buffer, NULL) == 0.0)
    return g_strdup (buffer + 1);
  return g_strdup (buffer);
}

typedef struct
{
  GPtrArray *reasons;   /* TsrUndefinedReason, as pointers, in order of use */
} Footnotes;

/* The cell of a statistic: its value, or "–" with the letter of the note
 * that says why. */
static char *
statistic_cell (Footnotes    *notes,
                TsrStatistic  statistic,
                guint         decimals)
{
  guint i;

  if (statistic.undefined == TSR_DEFINED)
    return tsr_agreement_format_statistic (statistic, decimals);
  for (i = 0; i < notes->reasons->len; i++)
    if (GPOINTER_TO_UINT (notes->reasons->pdata[i]) == statistic.undefined)
      break;
  if (i == notes->reasons->len)
    g_ptr_array_add (notes->reasons, GUINT_TO_POINTER (statistic.undefined));
  return g_strdup_printf ("– (%c)", 'a' + i);
}

static char *
coder_name (TsrProject *project,
            gint64      id)
{
  g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (project, id);

  return g_strdup (coder ? tsr_coder_get_name (coder) : "?");
}

static void
add_agreement_row (TsrExportTable   *table,
                   Footnotes        *notes,
                   TsrAgreement     *agreement,
                   gint64            code_id,
                   const char       *label,
                   guint             indent,
                   TsrTextStyle      style,
                   TsrAgreementUnit  unit)
{
  TsrAgreementRow row;
  TsrAlphaResult alpha;
  guint r = tsr_export_table_add_row (table, indent, style);
  guint c = 0;

  tsr_agreement_get_row (agreement, code_id, unit, &row);
  tsr_agreement_get_alpha (agreement, code_id, &alpha);

  tsr_export_table_set_cell (table, r, c++, label);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      guint counts[4] = { row.segments_a, row.matched_a, row.segments_b, row.matched_b };

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *text = g_strdup_printf ("%u", counts[i]);
          tsr_export_table_set_cell (table, r, c++, text);
        }
    }
  else
    {
      guint64 counts[4] = { row.both, row.only_a, row.only_b, row.neither };

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, counts[i]);
          tsr_export_table_set_cell (table, r, c++, text);
        }
    }
  {
    g_autofree char *percent = statistic_cell (notes, row.percent, 1);
    tsr_export_table_set_cell (table, r, c++, percent);
  }
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      g_autofree char *kappa = statistic_cell (notes, row.kappa, 3);
      g_autofree char *bp = statistic_cell (notes, row.bp_kappa, 3);

      tsr_export_table_set_cell (table, r, c++, kappa);
      tsr_export_table_set_cell (table, r, c++, bp);
    }
  {
    g_autofree char *value = statistic_cell (notes, alpha.alpha, 3);
    tsr_export_table_set_cell (table, r, c++, value);
  }
}

/**
 * tsr_agreement_to_document:
 * @project: the project @agreement was computed on, for names
 * @unit: which unit's table
 *
 * The agreement table per code, with the counts behind each statistic, a
 * last row pooling every code, and notes that define the unit and the
 * statistics and say why any value is undefined; for the export writers
 * (DOCX, ODT, PDF, HTML, Markdown, CSV, LaTeX, JSON).
 *
 * Returns: (transfer full): the document
 */
TsrExportDocument *
tsr_agreement_to_document (TsrAgreement     *agreement,
                           TsrProject       *project,
                           TsrAgreementUnit  unit)
{
  g_autofree char *name_a = coder_name (project, agreement->data.coder_ids[0]);
  g_autofree char *name_b = coder_name (project, agreement->data.coder_ids[1]);
  g_autofree char *title = g_strdup_printf (_("Intercoder agreement — %s"), tsr_project_get_title (project));
  g_autofree char *caption = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  Footnotes notes = { reasons };
  TsrExportDocument *doc;
  TsrExportTable *table;
  guint n_columns = unit == TSR_AGREEMENT_SEGMENTS ? 7 : 9;
  guint c = 0;

  g_return_val_if_fail (agreement != NULL, NULL);
  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  doc = tsr_export_document_new (title);
  table = tsr_export_document_add_table (doc, n_columns);

  switch (unit)
    {
    case TSR_AGREEMENT_PRESENCE:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code, on presence in documents "
                                   "(%u of %u documents compared)"),
                                 name_a, name_b, agreement->n_compared, agreement->data.n_documents);
      break;
    case TSR_AGREEMENT_CHARACTERS:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code, on characters "
                                   "(%u of %u documents compared)"),
                                 name_a, name_b, agreement->n_compared, agreement->data.n_documents);
      break;
    case TSR_AGREEMENT_SEGMENTS:
    default:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code, on segments overlapping "
                                   "by at least %g%% (%u of %u documents compared)"),
                                 name_a, name_b, agreement->min_overlap, agreement->n_compared,
                                 agreement->data.n_documents);
      break;
    }
  tsr_export_table_set_caption (table, caption);

  tsr_export_table_set_column (table, c++, _("Code"), TSR_ALIGN_START, 4);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      tsr_export_table_set_column (table, c++, _("A’s segments"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("matched"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("B’s segments"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("matched"), TSR_ALIGN_END, 1);
    }
  else
    {
      tsr_export_table_set_column (table, c++, _("Both"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Only A"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Only B"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Neither"), TSR_ALIGN_END, 1);
    }
  tsr_export_table_set_column (table, c++, _("Agreement %"), TSR_ALIGN_END, 1);
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      tsr_export_table_set_column (table, c++, _("Cohen’s κ"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("B–P κ"), TSR_ALIGN_END, 1);
    }
  tsr_export_table_set_column (table, c++, _("α"), TSR_ALIGN_END, 1);

  for (guint i = 0; i < agreement->data.n_codes; i++)
    {
      gint64 id = agreement->data.code_ids[i];
      g_autoptr(TsrCode) code = tsr_project_lookup_code (project, id);

      add_agreement_row (table, &notes, agreement, id, code ? tsr_code_get_name (code) : "?",
                         agreement->data.code_depths[i], TSR_TEXT_PLAIN, unit);
    }
  add_agreement_row (table, &notes, agreement, 0, _("All codes (pooled)"), 0, TSR_TEXT_BOLD, unit);

  switch (unit)
    {
    case TSR_AGREEMENT_PRESENCE:
      g_string_append (note, _("Each unit is one document: whether each coder applied the code anywhere "
                               "in it. Counts are documents. "));
      break;
    case TSR_AGREEMENT_CHARACTERS:
      g_string_append (note, _("Each unit is one character of a document: whether each coder coded it "
                               "with the code (overlapping segments of one coder count once). Counts are "
                               "characters. "));
      break;
    case TSR_AGREEMENT_SEGMENTS:
    default:
      g_string_append_printf (note, _("A segment agrees when the other coder applied the same code to a "
                                      "segment overlapping it by at least %g%% (the overlap is the shared "
                                      "characters divided by the characters either segment covers). Each "
                                      "coder’s overlapping segments of one code are merged first. Agreement "
                                      "is the share of both coders’ segments that agree; with no count of "
                                      "text coded by neither, κ is not defined for this unit. "),
                              agreement->min_overlap);
      break;
    }
  if (unit != TSR_AGREEMENT_SEGMENTS)
    g_string_append (note, _("Cohen’s κ corrects agreement for chance from each coder’s own marginals; "
                             "Brennan and Prediger’s κ takes chance as ½ (2·pₒ − 1). "));
  g_string_append (note, _("α is Krippendorff’s α (nominal) on presence in documents, over the coders "
                           "compared. "));
  if (agreement->flags & TSR_AGREEMENT_UNCODED_AS_ABSENT)
    g_string_append (note, _("A document a coder did not code at all counts as holding none of the codes."));
  else
    g_string_append (note, _("Documents a coder did not code at all are left out as not yet coded."));
  tsr_export_paragraph_add_text (tsr_export_table_add_note (table), note->str, TSR_TEXT_PLAIN);

  for (guint i = 0; i < reasons->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("(%c) %s", 'a' + i,
                                               tsr_undefined_reason_describe (GPOINTER_TO_UINT (reasons->pdata[i])));
      tsr_export_paragraph_add_text (tsr_export_table_add_note (table), text, TSR_TEXT_PLAIN);
    }

  return doc;
}
