/* tsr-agreement-statistics.c — the statistics of agreement
 *
 * Percent agreement, Cohen's κ and Brennan and Prediger's κ from a 2 × 2
 * table, and Krippendorff's α (nominal) over any number of coders with
 * missing values; tsr-agreement.c says what each unit feeds them.
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

TsrStatistic
_tsr_statistic_defined (double value)
{
  return (TsrStatistic) { value, TSR_DEFINED };
}

TsrStatistic
_tsr_statistic_undefined (TsrUndefinedReason reason)
{
  return (TsrStatistic) { NAN, reason };
}

/* num / den (den > 0), keeping the exact fraction when it fits. */
TsrStatistic
_tsr_statistic_fraction (__int128 num,
                         __int128 den)
{
  TsrStatistic s = _tsr_statistic_defined ((double) num / (double) den);

  if (den > 0 && den <= G_MAXUINT64 && num >= G_MININT64 && num <= G_MAXINT64)
    {
      s.exact_num = (gint64) num;
      s.exact_den = (guint64) den;
    }
  return s;
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
    p = k = bp = _tsr_statistic_undefined (TSR_UNDEFINED_NO_UNITS);
  else if (both + only_a + only_b == 0)
    p = k = bp = _tsr_statistic_undefined (TSR_UNDEFINED_CODE_UNUSED);
  else
    {
      unsigned __int128 a1 = (unsigned __int128) both + only_a;
      unsigned __int128 b1 = (unsigned __int128) both + only_b;
      unsigned __int128 chance = a1 * b1 + (n - a1) * (n - b1);
      __int128 num = (__int128) (n * agree) - (__int128) chance;
      __int128 den = (__int128) (n * n) - (__int128) chance;

      p = _tsr_statistic_fraction ((__int128) (100 * agree), (__int128) n);
      p.value = 100.0 * (double) agree / (double) n;
      bp = _tsr_statistic_fraction ((__int128) (2 * agree) - (__int128) n, (__int128) n);
      if (den == 0)
        k = _tsr_statistic_undefined (TSR_UNDEFINED_CHANCE_IS_ONE);
      else if (den < 0)
        k = _tsr_statistic_fraction (-num, -den);
      else
        k = _tsr_statistic_fraction (num, den);
    }

  if (percent)
    *percent = p;
  if (kappa)
    *kappa = k;
  if (bp_kappa)
    *bp_kappa = bp;
}

/**
 * tsr_agreement_two_by_two_alpha:
 * @alpha: (out): Krippendorff's α (nominal) of the table
 *
 * Krippendorff's α for two coders, two values and no missing value, from
 * their 2 × 2 table: with N units, n = 2N values, d = only_a + only_b
 * units they disagree on, n₁ = 2·both + d values of 1 and n₀ = 2·neither
 * + d of 0, the coincidences are o₁₁ = 2·both, o₀₀ = 2·neither and
 * o₀₁ = o₁₀ = d, so α = 1 − (n − 1)·o₀₁ / (n₀·n₁) — the same value the
 * coders × units routine gives for those units, without listing them
 * (a table of characters has millions).  Computed in exact integer
 * arithmetic up to the final division.
 */
void
tsr_agreement_two_by_two_alpha (guint64       both,
                                guint64       only_a,
                                guint64       only_b,
                                guint64       neither,
                                TsrStatistic *alpha)
{
  unsigned __int128 units = (unsigned __int128) both + only_a + only_b + neither;
  unsigned __int128 d = (unsigned __int128) only_a + only_b;
  unsigned __int128 n1 = 2 * (unsigned __int128) both + d;
  unsigned __int128 n0 = 2 * (unsigned __int128) neither + d;
  unsigned __int128 den = n0 * n1;

  if (units == 0)
    *alpha = _tsr_statistic_undefined (TSR_UNDEFINED_NO_UNITS);
  else if (both + only_a + only_b == 0)
    *alpha = _tsr_statistic_undefined (TSR_UNDEFINED_CODE_UNUSED);
  else if (den == 0)
    *alpha = _tsr_statistic_undefined (TSR_UNDEFINED_NO_VARIATION);
  else
    *alpha = _tsr_statistic_fraction ((__int128) den - (__int128) ((2 * units - 1) * d), (__int128) den);
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
      result->alpha = _tsr_statistic_undefined (TSR_UNDEFINED_NOT_PAIRABLE);
      result->observed = result->expected = NAN;
      return;
    }

  result->observed = off / n;
  result->expected = pairs / (n * (n - 1));
  if (pairs == 0)
    result->alpha = _tsr_statistic_undefined (TSR_UNDEFINED_NO_VARIATION);
  else
    /* The same as 1 − D_o / D_e, with one rounding less. */
    result->alpha = _tsr_statistic_defined (1.0 - (n - 1) * off / pairs);
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
