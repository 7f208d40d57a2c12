/* test-agreement.c — agreement statistics against published and hand-worked values
 *
 * Oracles:
 * - Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability,
 *   section C: 4 coders × 12 units, nominal, with missing values:
 *   α = 0.743 (exactly 113/152; n = 40 pairable values).
 * - Wikipedia, "Krippendorff's alpha", a computational example: 3 coders
 *   × 15 units with missing values: α = 0.691 (exactly 56/81).
 * - Wikipedia, "Cohen's kappa", worked example: 20 both yes, 5 and 10
 *   disagreements, 15 both no: p_o = 0.7, p_e = 0.5, κ = 0.4.
 * - NVivo's help, "How is the percentage agreement calculated?": a
 *   1000-character source, 50 characters coded by both users, 150 by one,
 *   800 by neither: (800 + 50) / 1000 = 85 %; with the 150 split 100 / 50
 *   NVivo's κ formula, (TA − ΣEF) / (TU − ΣEF) with EF1 = 150·100/1000 and
 *   EF2 = 850·900/1000, gives 70 / 220 = 7/22.
 * Everything else is worked out by hand in the comments next to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tessera.h"
#include "tsr-database-private.h"
#include "tsr-project-private.h"
#include "tsr-test-utils.h"

#define M TSR_ALPHA_MISSING

static void
assert_value (TsrStatistic s,
              double       expected)
{
  if (s.undefined != TSR_DEFINED)
    g_error ("expected %.17g, got undefined (%s)", expected, tsr_undefined_reason_to_string (s.undefined));
  g_assert_cmpfloat_with_epsilon (s.value, expected, 1e-12);
}

/* The value as published, to three decimals. */
static void
assert_rounds_to (double      value,
                  const char *published)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert_cmpstr (g_ascii_formatd (buffer, sizeof buffer, "%.3f", value), ==, published);
}

static void
assert_undefined (TsrStatistic       s,
                  TsrUndefinedReason reason)
{
  g_assert_true (isnan (s.value));
  g_assert_cmpstr (tsr_undefined_reason_to_string (s.undefined), ==, tsr_undefined_reason_to_string (reason));
  g_assert_cmpstr (tsr_undefined_reason_describe (s.undefined), !=, "");
}

/* Two-by-two tables ----------------------------------------------------- */

static void
test_kappa_wikipedia (void)
{
  TsrStatistic percent, kappa, bp;

  tsr_agreement_two_by_two (20, 5, 10, 15, &percent, &kappa, &bp);
  assert_value (percent, 70.0);
  assert_value (kappa, 0.4);
  /* Brennan–Prediger, two categories: 2 · 0.7 − 1 */
  assert_value (bp, 0.4);
  /* Exactly, not only to 12 places: 500 / 1250 in the integer form. */
  g_assert_true (kappa.value == 0.4);
}

static void
test_kappa_by_hand (void)
{
  TsrStatistic percent, kappa, bp;

  /* Perfect agreement with both categories used: κ = 1. */
  tsr_agreement_two_by_two (10, 0, 0, 12, &percent, &kappa, &bp);
  assert_value (percent, 100.0);
  assert_value (kappa, 1.0);
  assert_value (bp, 1.0);

  /* Complete disagreement, balanced marginals: p_o = 0, p_e = 1/2,
   * κ = (0 − ½) / ½ = −1. */
  tsr_agreement_two_by_two (0, 5, 5, 0, &percent, &kappa, &bp);
  assert_value (percent, 0.0);
  assert_value (kappa, -1.0);
  assert_value (bp, -1.0);

  /* One coder codes every unit, the other none: p_o = 0, p_e = 0, κ = 0
   * (this is the "all my kappas are 0" case NVivo's help explains). */
  tsr_agreement_two_by_two (0, 22, 0, 0, &percent, &kappa, &bp);
  assert_value (percent, 0.0);
  assert_value (kappa, 0.0);
  assert_value (bp, -1.0);

  /* 1 / 1 / 1 / 2: p_o = 3/5, p_e = (2·2 + 3·3) / 25 = 13/25,
   * κ = (15 − 13) / (25 − 13) = 1/6. */
  tsr_agreement_two_by_two (1, 1, 1, 2, &percent, &kappa, &bp);
  assert_value (percent, 60.0);
  assert_value (kappa, 1.0 / 6.0);
  assert_value (bp, 0.2);

  /* Large counts stay exact: a million-character table with κ = 7/22
   * scaled by 10⁶ (NVivo's example, 10⁶ times over). */
  tsr_agreement_two_by_two (G_GUINT64_CONSTANT (50000000000), G_GUINT64_CONSTANT (100000000000),
                            G_GUINT64_CONSTANT (50000000000), G_GUINT64_CONSTANT (800000000000),
                            &percent, &kappa, &bp);
  assert_value (percent, 85.0);
  assert_value (kappa, 7.0 / 22.0);
}

static void
test_kappa_undefined (void)
{
  TsrStatistic percent, kappa, bp;

  /* Nothing compared. */
  tsr_agreement_two_by_two (0, 0, 0, 0, &percent, &kappa, &bp);
  assert_undefined (percent, TSR_UNDEFINED_NO_UNITS);
  assert_undefined (kappa, TSR_UNDEFINED_NO_UNITS);
  assert_undefined (bp, TSR_UNDEFINED_NO_UNITS);

  /* A code nobody used in 22 documents: not "100 % agreement". */
  tsr_agreement_two_by_two (0, 0, 0, 22, &percent, &kappa, &bp);
  assert_undefined (percent, TSR_UNDEFINED_CODE_UNUSED);
  assert_undefined (kappa, TSR_UNDEFINED_CODE_UNUSED);
  assert_undefined (bp, TSR_UNDEFINED_CODE_UNUSED);

  /* Both coders applied it in every document: p_e = 1, κ = 0/0; the
   * agreement itself is a fact. */
  tsr_agreement_two_by_two (22, 0, 0, 0, &percent, &kappa, &bp);
  assert_value (percent, 100.0);
  assert_undefined (kappa, TSR_UNDEFINED_CHANCE_IS_ONE);
  assert_value (bp, 1.0);
}

/* Rounding ---------------------------------------------------------------- */

static void
assert_shown (TsrStatistic  s,
              guint         decimals,
              const char   *expected)
{
  g_autofree char *text = tsr_agreement_format_statistic (s, decimals);

  g_assert_cmpstr (text, ==, expected);
}

/* Half away from zero, as tsr_report_format_percent() rounds, worked by
 * hand from the exact fractions: */
static void
test_rounding (void)
{
  TsrStatistic percent, kappa, bp;

  /* 1 unit agreeing of 16: 100/16 = 6.25 exactly → 6.3 (printf's "%.1f"
   * rounds the tie to even: 6.2). */
  tsr_agreement_two_by_two (1, 15, 0, 0, &percent, &kappa, &bp);
  assert_value (percent, 6.25);
  assert_shown (percent, 1, "6.3");

  /* 3 agreeing of 2000: 0.15 % exactly, a tie at one decimal → 0.2,
   * although the double nearest 0.15 lies below it (and "%.1f" of it
   * gives 0.1). */
  tsr_agreement_two_by_two (0, 1997, 0, 3, &percent, NULL, NULL);
  assert_shown (percent, 1, "0.2");

  /* 2 / 0 / 4 / 5: n = 11, p_o = 7/11, a₁ = 2, b₁ = 6;
   * Σ = 2·6 + 9·5 = 57; κ = (11·7 − 57) / (121 − 57) = 20/64 = 0.3125
   * → 0.313.  p_o = 63.6363… → 63.6; B–P κ = 3/11 = 0.2727… → 0.273. */
  tsr_agreement_two_by_two (2, 0, 4, 5, &percent, &kappa, &bp);
  assert_value (kappa, 0.3125);
  assert_shown (kappa, 3, "0.313");
  assert_shown (percent, 1, "63.6");
  assert_shown (bp, 3, "0.273");

  /* 0 / 1 / 5 / 1: n = 7, p_o = 1/7, a₁ = 1, b₁ = 5;
   * Σ = 1·5 + 6·2 = 17; κ = (7 − 17) / (49 − 17) = −10/32 = −0.3125
   * → −0.313, away from zero on the negative side too. */
  tsr_agreement_two_by_two (0, 1, 5, 1, &percent, &kappa, &bp);
  assert_value (kappa, -0.3125);
  assert_shown (kappa, 3, "-0.313");

  /* Values known only as doubles (α) round half away from zero too, and
   * a tiny negative value shows no sign. */
  assert_shown ((TsrStatistic) { 0.8125, TSR_DEFINED }, 3, "0.813");
  assert_shown ((TsrStatistic) { -0.8125, TSR_DEFINED }, 3, "-0.813");
  assert_shown ((TsrStatistic) { -0.0001, TSR_DEFINED }, 3, "0.000");
  assert_shown ((TsrStatistic) { 100.0, TSR_DEFINED }, 1, "100.0");
  assert_shown ((TsrStatistic) { 0.05, TSR_DEFINED }, 0, "0");
  assert_shown ((TsrStatistic) { NAN, TSR_UNDEFINED_CODE_UNUSED }, 3, "–");
}

/* Krippendorff's alpha --------------------------------------------------- */

static void
test_alpha_krippendorff_2011 (void)
{
  /* Krippendorff (2011), C: reliability data with missing values. */
  const gint data[4 * 12] = {
    1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M,   /* coder A */
    1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3,   /* coder B */
    M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M,   /* coder C */
    1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M,   /* coder D */
  };
  TsrAlphaResult r;

  tsr_krippendorff_alpha_nominal (data, 4, 12, &r);
  assert_value (r.alpha, 113.0 / 152.0);
  assert_rounds_to (r.alpha.value, "0.743");
  /* Unit 12 has one value only: 11 pairable units, 40 pairable values. */
  g_assert_cmpuint (r.n_units, ==, 11);
  g_assert_cmpfloat (r.n_values, ==, 40.0);
  g_assert_cmpuint (r.n_categories, ==, 5);
  /* D_o = 8 disagreeing coincidences of 40; D_e = 1216 / (40 · 39). */
  g_assert_cmpfloat_with_epsilon (r.observed, 0.2, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.expected, 1216.0 / 1560.0, 1e-15);
}

static void
test_alpha_wikipedia (void)
{
  /* Wikipedia, "Krippendorff's alpha", a computational example. */
  const gint data[3 * 15] = {
    M, M, M, M, M, 3, 4, 1, 2, 1, 1, 3, 3, M, 3,   /* coder A */
    1, M, 2, 1, 3, 3, 4, 3, M, M, M, M, M, M, M,   /* coder B */
    M, M, 2, 1, 3, 4, 4, M, 2, 1, 1, 3, 3, M, 4,   /* coder C */
  };
  TsrAlphaResult r;

  tsr_krippendorff_alpha_nominal (data, 3, 15, &r);
  assert_value (r.alpha, 56.0 / 81.0);
  assert_rounds_to (r.alpha.value, "0.691");
  g_assert_cmpuint (r.n_units, ==, 12);
  g_assert_cmpfloat (r.n_values, ==, 26.0);
}

static void
test_alpha_binary_by_hand (void)
{
  /* The Cohen's κ example as two coders' 0/1 values on 50 units:
   * o₁₁ = 40, o₀₀ = 30, o₀₁ = o₁₀ = 15; n = 100, n₁ = 55, n₀ = 45;
   * α = 1 − 99 · 30 / (2 · 55 · 45) = 1 − 2970/4950 = 0.4. */
  gint data[2 * 50];
  TsrAlphaResult r;

  for (guint u = 0; u < 50; u++)
    {
      data[u] = u < 25 ? 1 : 0;                              /* A: 20 + 5 yes */
      data[50 + u] = u < 20 || (u >= 25 && u < 35) ? 1 : 0;  /* B: 20 + 10 yes */
    }
  tsr_krippendorff_alpha_nominal (data, 2, 50, &r);
  assert_value (r.alpha, 0.4);

  /* Three coders with missing values, worked in the project test below
   * (code "Support"): α = 1 − 13 · 4 / (2 · 7 · 7) = 23/49. */
  {
    const gint three[3 * 6] = {
      1, 1, 0, 0, 0, 1,
      1, 0, 1, 0, 0, M,
      1, 0, M, M, M, 1,
    };
    g_autoptr(TsrAlphaAccumulator) acc = tsr_alpha_accumulator_new ();

    tsr_alpha_accumulator_add_units (acc, three, 3, 6);
    tsr_alpha_accumulator_compute (acc, &r);
    assert_value (r.alpha, 23.0 / 49.0);
    g_assert_cmpfloat (tsr_alpha_accumulator_get_coincidence (acc, 1, 1), ==, 5.0);
    g_assert_cmpfloat (tsr_alpha_accumulator_get_coincidence (acc, 0, 0), ==, 5.0);
    g_assert_cmpfloat (tsr_alpha_accumulator_get_coincidence (acc, 0, 1), ==, 2.0);
    g_assert_cmpfloat (tsr_alpha_accumulator_get_coincidence (acc, 1, 0), ==, 2.0);
    g_assert_cmpfloat (tsr_alpha_accumulator_get_coincidence (acc, 7, 1), ==, 0.0);
  }
}

static void
test_alpha_undefined (void)
{
  const gint same[2 * 4] = { 1, 1, 1, 1, 1, 1, 1, 1 };
  const gint lonely[3 * 3] = { 1, M, M, M, 2, M, M, M, 3 };
  TsrAlphaResult r;

  /* No variation: D_e = 0. */
  tsr_krippendorff_alpha_nominal (same, 2, 4, &r);
  assert_undefined (r.alpha, TSR_UNDEFINED_NO_VARIATION);
  g_assert_cmpuint (r.n_units, ==, 4);

  /* No unit holds two values. */
  tsr_krippendorff_alpha_nominal (lonely, 3, 3, &r);
  assert_undefined (r.alpha, TSR_UNDEFINED_NOT_PAIRABLE);
  g_assert_cmpuint (r.n_units, ==, 0);

  /* No units at all. */
  tsr_krippendorff_alpha_nominal (NULL, 2, 0, &r);
  assert_undefined (r.alpha, TSR_UNDEFINED_NOT_PAIRABLE);
}

/* Coincidences add over units: merging two accumulators is computing on
 * the units of both. */
static void
test_alpha_pooling (void)
{
  const gint left[4 * 6] = {
    1, 2, 3, 3, 2, 1,
    1, 2, 3, 3, 2, 2,
    M, 3, 3, 3, 2, 3,
    1, 2, 3, 3, 2, 4,
  };
  const gint right[4 * 6] = {
    4, 1, 2, M, M, M,
    4, 1, 2, 5, M, 3,
    4, 2, 2, 5, 1, M,
    4, 1, 2, 5, 1, M,
  };
  g_autoptr(TsrAlphaAccumulator) a = tsr_alpha_accumulator_new ();
  g_autoptr(TsrAlphaAccumulator) b = tsr_alpha_accumulator_new ();
  TsrAlphaResult r;

  tsr_alpha_accumulator_add_units (a, left, 4, 6);
  tsr_alpha_accumulator_add_units (b, right, 4, 6);
  tsr_alpha_accumulator_merge (a, b);
  tsr_alpha_accumulator_compute (a, &r);
  assert_value (r.alpha, 113.0 / 152.0);
}

/* A project ------------------------------------------------------------- */

static void run_cli (TsrTestRun *r,
                     const char *first,
                     ...) G_GNUC_NULL_TERMINATED;

typedef struct
{
  char       *dir;
  TsrProject *project;
  gint64      doc[6];
  gint64      ada, ben, cy;
  gint64      support, hope, unused, everywhere, edges;
} Fixture;

static gint64
coder_id (TsrCoder *coder)
{
  gint64 id;

  g_assert_nonnull (coder);
  id = tsr_entity_get_id (TSR_ENTITY (coder));
  g_object_unref (coder);
  return id;
}

static void
seg (Fixture *f,
     guint    d,
     gint64   code,
     gint64   coder,
     guint    start,
     guint    end)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_segment_for_coder (f->project, f->doc[d], code, coder, start, end, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

static char *
text_of_length (guint length)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    g_string_append_c (text, i % 10 == 9 ? ' ' : 'a' + i % 26);
  return g_string_free (text, FALSE);
}

/*
 * Documents D1–D4 of 200 characters, D5 of 1000, D6 of 200.  Coders Ada
 * (A), Ben (B), Cy (C).  Codes, in tree order: Support, Hope, Unused,
 * Everywhere, Edges.
 *
 *   Everywhere: A and B code [0, 10) in D1–D5; C in D1 and D2.
 *   Support:    D1: A [20, 60) and A [40, 80) (overlapping: A covers
 *                   [20, 80)), B [30, 80); C [0, 5)
 *               D2: A [20, 40)
 *               D3: B [100, 130)
 *               D6: A [0, 50), C [0, 50)   (B never coded D6)
 *   Hope:       D5: A [0, 150), B [100, 200)   (NVivo's example)
 *   Edges:      D4: A [0, 100), B [0, 90)      (overlap 90/100)
 *                   A [150, 200), B [150, 194) (overlap 44/50)
 *   Unused:     nobody.
 *
 * Documents compared for A and B: all six by default, D6 (which B never
 * coded) counting as holding none of the codes for B; D1–D5 (both coded
 * something in each) with TSR_AGREEMENT_UNCODED_AS_MISSING.
 */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "a.tessera", NULL);
  f->project = tsr_project_create (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("D%u", i + 1);
      g_autofree char *text = text_of_length (i == 4 ? 1000 : 200);

      f->doc[i] = tsr_project_add_document (f->project, name, text, NULL, &error);
      g_assert_no_error (error);
    }
  f->ada = coder_id (tsr_project_ensure_coder (f->project, "Ada", &error));
  f->ben = coder_id (tsr_project_ensure_coder (f->project, "Ben", &error));
  f->cy = coder_id (tsr_project_ensure_coder (f->project, "Cy", &error));
  f->support = tsr_project_create_code (f->project, 0, "Support", NULL, NULL, &error);
  f->hope = tsr_project_create_code (f->project, 0, "Hope", NULL, NULL, &error);
  f->unused = tsr_project_create_code (f->project, 0, "Unused", NULL, NULL, &error);
  f->everywhere = tsr_project_create_code (f->project, 0, "Everywhere", NULL, NULL, &error);
  f->edges = tsr_project_create_code (f->project, 0, "Edges", NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint d = 0; d < 5; d++)
    {
      seg (f, d, f->everywhere, f->ada, 0, 10);
      seg (f, d, f->everywhere, f->ben, 0, 10);
    }
  seg (f, 0, f->everywhere, f->cy, 0, 10);
  seg (f, 1, f->everywhere, f->cy, 0, 10);

  seg (f, 0, f->support, f->ada, 20, 60);
  seg (f, 0, f->support, f->ada, 40, 80);
  seg (f, 0, f->support, f->ben, 30, 80);
  seg (f, 0, f->support, f->cy, 0, 5);
  seg (f, 1, f->support, f->ada, 20, 40);
  seg (f, 2, f->support, f->ben, 100, 130);
  seg (f, 5, f->support, f->ada, 0, 50);
  seg (f, 5, f->support, f->cy, 0, 50);

  seg (f, 4, f->hope, f->ada, 0, 150);
  seg (f, 4, f->hope, f->ben, 100, 200);

  seg (f, 3, f->edges, f->ada, 0, 100);
  seg (f, 3, f->edges, f->ben, 0, 90);
  seg (f, 3, f->edges, f->ada, 150, 200);
  seg (f, 3, f->edges, f->ben, 150, 194);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
}

static TsrAgreement *
compute_ab (Fixture           *f,
            double             overlap,
            TsrAgreementFlags  flags)
{
  g_autoptr(GError) error = NULL;
  gint64 coders[2] = { f->ada, f->ben };
  TsrAgreement *agreement = tsr_project_compute_agreement (f->project, coders, 2, overlap, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (agreement);
  return agreement;
}

static TsrAgreementRow
row_of (TsrAgreement     *agreement,
        gint64            code_id,
        TsrAgreementUnit  unit)
{
  TsrAgreementRow row;

  g_assert_true (tsr_agreement_get_row (agreement, code_id, unit, &row));
  g_assert_cmpint (row.unit, ==, unit);
  return row;
}

static void
assert_table (TsrAgreementRow row,
              guint64         both,
              guint64         only_a,
              guint64         only_b,
              guint64         neither)
{
  g_assert_cmpuint (row.both, ==, both);
  g_assert_cmpuint (row.only_a, ==, only_a);
  g_assert_cmpuint (row.only_b, ==, only_b);
  g_assert_cmpuint (row.neither, ==, neither);
}

static void
test_project_codes_in_tree_order (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrAgreement) agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  g_autoptr(GError) error = NULL;
  gint64 child = tsr_project_create_code (f->project, f->support, "Peers", NULL, NULL, &error);
  g_autoptr(TsrAgreement) again = NULL;
  const gint64 *codes;
  guint n, n_coders;

  g_assert_no_error (error);
  codes = tsr_agreement_get_codes (agreement, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (codes[0], ==, f->support);
  g_assert_cmpint (codes[4], ==, f->edges);
  g_assert_cmpuint (tsr_agreement_get_n_documents (agreement), ==, 6);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 6);
  g_assert_cmpfloat (tsr_agreement_get_min_overlap (agreement), ==, 90.0);
  g_assert_cmpint (tsr_agreement_get_coders (agreement, &n_coders)[1], ==, f->ben);
  g_assert_cmpuint (n_coders, ==, 2);

  /* A sub-code comes right after its parent, one level deeper. */
  again = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  codes = tsr_agreement_get_codes (again, &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpint (codes[1], ==, child);
  g_assert_cmpuint (tsr_agreement_get_code_depth (again, child), ==, 1);
  g_assert_cmpuint (tsr_agreement_get_code_depth (again, f->support), ==, 0);
}

static void
test_project_presence (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrAgreement) agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  g_autoptr(TsrAgreement) missing = compute_ab (f, 90, TSR_AGREEMENT_UNCODED_AS_MISSING);
  TsrAgreementRow row;
  guint n_left_out;

  /* By default D6, which B never coded, counts as holding no code for B.
   * Support over D1–D6: both D1, only A D2 and D6, only B D3, neither D4,
   * D5: (1, 2, 1, 2); p_o = 3/6, a₁ = 3, b₁ = 2,
   * κ = (6·3 − (3·2 + 3·4)) / (36 − 18) = 0; B–P κ = 2 · ½ − 1 = 0. */
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 6);
  tsr_agreement_get_left_out (agreement, &n_left_out);
  g_assert_cmpuint (n_left_out, ==, 0);
  row = row_of (agreement, f->support, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 1, 2, 1, 2);
  g_assert_cmpuint (row.n_documents, ==, 6);
  assert_value (row.percent, 50.0);
  assert_value (row.kappa, 0.0);
  assert_value (row.bp_kappa, 0.0);

  /* Hope: both in D5 only: (1, 0, 0, 5), κ = (36 − 26) / (36 − 26) = 1. */
  row = row_of (agreement, f->hope, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 1, 0, 0, 5);
  assert_value (row.kappa, 1.0);

  /* Unused: undefined, with its counts still shown. */
  row = row_of (agreement, f->unused, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 0, 0, 0, 6);
  assert_undefined (row.percent, TSR_UNDEFINED_CODE_UNUSED);
  assert_undefined (row.kappa, TSR_UNDEFINED_CODE_UNUSED);
  assert_undefined (row.bp_kappa, TSR_UNDEFINED_CODE_UNUSED);

  /* Everywhere: both coders in D1–D5, neither in D6: (5, 0, 0, 1),
   * κ = (36 − 26) / (36 − 26) = 1. */
  row = row_of (agreement, f->everywhere, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 5, 0, 0, 1);
  assert_value (row.kappa, 1.0);

  /* Pooled over the 4 codes A or B applied (Unused, which neither did,
   * is left out) × 6 documents = 24 units: both 1+1+5+1 = 8, only A 2,
   * only B 1, neither 13; p_o = 21/24; a₁ = 10, b₁ = 9;
   * κ = (24·21 − (90 + 14·15)) / (576 − 300) = 204/276 = 17/23;
   * B–P κ = 2 · 21/24 − 1 = 0.75.  (Pooling Unused too would add 6
   * units of "neither" and give 10/13.) */
  row = row_of (agreement, 0, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 8, 2, 1, 13);
  assert_value (row.percent, 87.5);
  assert_value (row.kappa, 17.0 / 23.0);
  assert_value (row.bp_kappa, 0.75);
  {
    guint n_unused;
    g_autofree gint64 *unused = tsr_agreement_get_unused_codes (agreement, &n_unused);

    g_assert_cmpuint (n_unused, ==, 1);
    g_assert_cmpint (unused[0], ==, f->unused);
  }

  /* Leaving out the documents a coder did not code (D6, B's) compares
   * D1–D5.  Support: both D1, only A D2, only B D3, neither D4, D5:
   * κ = 1/6 (worked in test_kappa_by_hand). */
  g_assert_cmpuint (tsr_agreement_get_n_compared (missing), ==, 5);
  {
    const gint64 *left_out = tsr_agreement_get_left_out (missing, &n_left_out);

    g_assert_cmpuint (n_left_out, ==, 1);
    g_assert_cmpint (left_out[0], ==, f->doc[5]);
    g_assert_cmpint (tsr_agreement_get_document_coding (missing, f->doc[5]), ==, TSR_DOCUMENT_CODED_BY_A_ONLY);
    g_assert_cmpint (tsr_agreement_get_document_coding (missing, f->doc[0]), ==, TSR_DOCUMENT_CODED_BY_BOTH);
    g_assert_cmpuint (tsr_agreement_count_documents (missing, TSR_DOCUMENT_CODED_BY_BOTH), ==, 5);
    g_assert_cmpuint (tsr_agreement_count_documents (missing, TSR_DOCUMENT_CODED_BY_B_ONLY), ==, 0);
  }
  row = row_of (missing, f->support, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 1, 1, 1, 2);
  g_assert_cmpuint (row.n_documents, ==, 5);
  assert_value (row.percent, 60.0);
  assert_value (row.kappa, 1.0 / 6.0);
  assert_value (row.bp_kappa, 0.2);
  row = row_of (missing, f->hope, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 1, 0, 0, 4);
  assert_value (row.kappa, 1.0);
  row = row_of (missing, f->unused, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 0, 0, 0, 5);
  assert_undefined (row.kappa, TSR_UNDEFINED_CODE_UNUSED);

  /* Everywhere: both coders in every document compared: p_e = 1. */
  row = row_of (missing, f->everywhere, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 5, 0, 0, 0);
  assert_value (row.percent, 100.0);
  assert_undefined (row.kappa, TSR_UNDEFINED_CHANCE_IS_ONE);
  assert_value (row.bp_kappa, 1.0);

  /* Pooled over the 4 codes used × 5 documents = 20 units: both 8, only
   * A 1, only B 1, neither 10; p_o = 18/20; a₁ = b₁ = 9;
   * κ = (20·18 − (81 + 121)) / (400 − 202) = 158/198. */
  row = row_of (missing, 0, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 8, 1, 1, 10);
  assert_value (row.percent, 90.0);
  assert_value (row.kappa, 158.0 / 198.0);
  assert_value (row.bp_kappa, 0.8);
}

/* The issue's ten documents: Ada codes Hope in 1, 2, 3, 5, 8 and 10,
 * Ben in 1, 2, 4, 5, 8 and 9.  Returns Hope; fills @docs[1..10] and
 * @coders (Ada, Ben). */
static gint64
build_hope (TsrProject *project,
            gint64     *docs,
            gint64     *coders)
{
  g_autoptr(GError) error = NULL;
  const guint in_a[] = { 1, 2, 3, 5, 8, 10 };
  const guint in_b[] = { 1, 2, 4, 5, 8, 9 };
  gint64 hope;

  for (guint d = 1; d <= 10; d++)
    {
      g_autofree char *name = g_strdup_printf ("Doc %u", d);

      docs[d] = tsr_project_add_document (project, name, "Some text about the future.", NULL, &error);
      g_assert_no_error (error);
    }
  coders[0] = coder_id (tsr_project_ensure_coder (project, "Ada", &error));
  coders[1] = coder_id (tsr_project_ensure_coder (project, "Ben", &error));
  hope = tsr_project_create_code (project, 0, "Hope", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (in_a); i++)
    {
      g_assert_cmpint (tsr_project_add_segment_for_coder (project, docs[in_a[i]], hope, coders[0], 0, 4, &error), >, 0);
      g_assert_cmpint (tsr_project_add_segment_for_coder (project, docs[in_b[i]], hope, coders[1], 0, 4, &error), >, 0);
    }
  g_assert_no_error (error);
  return hope;
}

/* The issue's example: two coders code Hope in documents {1, 2, 3, 5, 8,
 * 10} and {1, 2, 4, 5, 8, 9} of ten; documents 6 and 7 nobody coded.
 * With no options every document is compared: both 1, 2, 5, 8; only A
 * 3, 10; only B 4, 9; neither 6, 7.
 *   p_o = 6/10 = 0.6
 *   p_e = 0.6 · 0.6 + 0.4 · 0.4 = 0.52   (each coder codes 6 of 10)
 *   κ   = (0.6 − 0.52) / (1 − 0.52) = 0.08 / 0.48 = 1/6 = 0.1667
 *   B–P κ = 2 · 0.6 − 1 = 0.2
 *   α: o₁₁ = 8, o₀₀ = 4, o₀₁ = o₁₀ = 4; n = 20, n₁ = 12, n₀ = 8;
 *      α = 1 − 19 · 8 / (2 · 12 · 8) = 1 − 152/192 = 5/24 = 0.208
 * Leaving out what a coder did not code compares only 1, 2, 5, 8, where
 * both coded Hope: 100 %, κ undefined (chance agreement is 1). */
static void
test_project_uncoded_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "hope.tessera", NULL);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autoptr(TsrAgreement) missing = NULL;
  gint64 docs[11];
  gint64 coders[2], hope;
  TsrAgreementRow row;
  TsrAlphaResult alpha;
  guint n_left_out;

  g_assert_no_error (error);
  hope = build_hope (project, docs, coders);

  agreement = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 10);
  tsr_agreement_get_left_out (agreement, &n_left_out);
  g_assert_cmpuint (n_left_out, ==, 0);
  row = row_of (agreement, hope, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 4, 2, 2, 2);
  assert_value (row.percent, 60.0);
  assert_value (row.kappa, 1.0 / 6.0);
  assert_rounds_to (row.kappa.value, "0.167");
  assert_value (row.bp_kappa, 0.2);
  g_assert_true (tsr_agreement_get_alpha (agreement, hope, &alpha));
  assert_value (alpha.alpha, 5.0 / 24.0);
  g_assert_cmpuint (tsr_agreement_count_documents (agreement, TSR_DOCUMENT_CODED_BY_NEITHER), ==, 2);
  g_assert_cmpuint (tsr_agreement_count_documents (agreement, TSR_DOCUMENT_CODED_BY_A_ONLY), ==, 2);
  {
    g_autofree char *text = tsr_agreement_describe_documents (agreement, project);

    g_assert_cmpstr (text, ==, "10 of 10 documents are compared. A document a coder did not code at all "
                               "counts as one where that coder applied none of the codes (2 documents Ben did "
                               "not code, 2 documents Ada did not code, 2 documents neither coded). Neither Ada "
                               "nor Ben has marked a document as done; once they do, only the documents both "
                               "marked done are compared.");
  }

  missing = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_UNCODED_AS_MISSING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_agreement_get_n_compared (missing), ==, 4);
  {
    const gint64 *left_out = tsr_agreement_get_left_out (missing, &n_left_out);
    g_autofree char *why = NULL;
    g_autofree char *text = NULL;

    /* 3, 4, 6, 7, 9, 10, in document order. */
    g_assert_cmpuint (n_left_out, ==, 6);
    g_assert_cmpint (left_out[0], ==, docs[3]);
    g_assert_cmpint (left_out[5], ==, docs[10]);
    why = tsr_agreement_describe_left_out (missing, project, docs[3]);
    g_assert_cmpstr (why, ==, "Ben did not code it");
    g_clear_pointer (&why, g_free);
    why = tsr_agreement_describe_left_out (missing, project, docs[6]);
    g_assert_cmpstr (why, ==, "neither Ada nor Ben coded it");
    g_clear_pointer (&why, g_free);
    why = tsr_agreement_describe_left_out (missing, project, docs[1]);
    g_assert_cmpstr (why, ==, "");
    text = tsr_agreement_describe_documents (missing, project);
    g_assert_cmpstr (text, ==, "4 of 10 documents are compared: those both Ada and Ben coded; a document a "
                               "coder did not code at all is left out as not yet coded. Left out: “Doc 3” "
                               "(Ben did not code it); “Doc 4” (Ada did not code it); “Doc 6” (neither Ada "
                               "nor Ben coded it); “Doc 7” (neither Ada nor Ben coded it); “Doc 9” (Ada did "
                               "not code it); “Doc 10” (Ben did not code it).");
  }
  row = row_of (missing, hope, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 4, 0, 0, 0);
  assert_value (row.percent, 100.0);
  assert_undefined (row.kappa, TSR_UNDEFINED_CHANCE_IS_ONE);

  /* A code nobody applied changes nothing pooled.  Were Fear pooled, it
   * would add ten units of "neither": (4, 2, 2, 12), p_o = 16/20,
   * a₁ = b₁ = 6, κ = (20·16 − (36 + 196)) / (400 − 232) = 88/168 = 11/21
   * = 0.524 — agreement inflated by a code nobody used.  Left out, the
   * pooled row is Hope's: κ = 1/6. */
  {
    gint64 fear = tsr_project_create_code (project, 0, "Fear", NULL, NULL, &error);
    g_autoptr(TsrAgreement) with_fear = NULL;
    g_autofree gint64 *unused = NULL;
    guint n_unused;

    g_assert_no_error (error);
    with_fear = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    row = row_of (with_fear, 0, TSR_AGREEMENT_PRESENCE);
    assert_table (row, 4, 2, 2, 2);
    assert_value (row.kappa, 1.0 / 6.0);
    g_assert_true (tsr_agreement_get_alpha (with_fear, 0, &alpha));
    assert_value (alpha.alpha, 5.0 / 24.0);
    unused = tsr_agreement_get_unused_codes (with_fear, &n_unused);
    g_assert_cmpuint (n_unused, ==, 1);
    g_assert_cmpint (unused[0], ==, fear);
    row = row_of (with_fear, fear, TSR_AGREEMENT_PRESENCE);
    assert_table (row, 0, 0, 0, 10);
    assert_undefined (row.kappa, TSR_UNDEFINED_CODE_UNUSED);
  }

  /* The command line, with no options but the coders, says the same. */
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "agreement", path, "--coders", "Ada,Ben", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t10\t4\t2\t2\t2\t60.0\t0.167\t0.200\t0.208\t\n"));
    g_assert_nonnull (strstr (r.out, "\npooled\tCodes used (pooled)\t10\t4\t2\t2\t2\t60.0\t0.167\t0.200\t0.208\t\n"));
  }

  tsr_project_close (project, NULL);
  tsr_test_remove_tree (dir);
}

/* The same ten documents, now with the coders' word on which they
 * finished: Ada marks 1–8 done, Ben 1–6, 9 and 10 (through tessera-cli
 * mark-done).  Only 1–6, which both marked, are compared; 7 and 8 wait
 * for Ben, 9 and 10 for Ada.  In 1–6, Hope: both 1, 2, 5; only Ada 3;
 * only Ben 4 (Ada marked 4 done and coded nothing in it: a judgement that
 * Hope is absent); neither 6 (nobody coded it):
 *   p_o = 4/6, a₁ = b₁ = 4, Σ = 4·4 + 2·2 = 20
 *   κ   = (6·4 − 20) / (36 − 20) = 4/16 = 0.25
 *   B–P κ = 2 · 4/6 − 1 = 1/3
 *   α: n = 12, d = 2, n₁ = 2·3 + 2 = 8, n₀ = 2·1 + 2 = 4;
 *      α = 1 − 11 · 2 / (4 · 8) = 10/32 = 0.3125 (7–10 give one value
 *      each: not pairable)
 * The disagreements are those of 1–6 only: 3 (only Ada) and 4 (only
 * Ben).  --uncoded sets the marks aside and gives κ = 1/6 again. */
static void
test_project_done (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "done.tessera", NULL);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autoptr(TsrAgreement) ignored = NULL;
  g_autoptr(GListModel) disagreements = NULL;
  gint64 docs[11];
  gint64 coders[2], hope;
  TsrAgreementRow row;
  TsrAlphaResult alpha;
  guint n_left_out;
  const gint64 *left_out;

  g_assert_no_error (error);
  hope = build_hope (project, docs, coders);
  g_assert_true (tsr_project_close (project, &error));
  g_clear_object (&project);

  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "mark-done", path, "--coder", "Ada", "Doc 1", "Doc 2", "Doc 3", "Doc 4", "Doc 5", "Doc 6",
             "Doc 7", "Doc 8", NULL);
    g_assert_cmpint (r.status, ==, 0);
    tsr_test_run_clear (&r);
    run_cli (&r, "mark-done", path, "--coder", "Ben", "--all", NULL);
    g_assert_cmpint (r.status, ==, 0);
    tsr_test_run_clear (&r);
    run_cli (&r, "mark-undone", path, "--coder", "Ben", "Doc 7", "Doc 8", NULL);
    g_assert_cmpint (r.status, ==, 0);
    tsr_test_run_clear (&r);
    run_cli (&r, "docs", path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\tDoc 6\t27\tfalse\tAda,Ben\n"));
    g_assert_nonnull (strstr (r.out, "\tDoc 7\t27\tfalse\tAda\n"));
    g_assert_nonnull (strstr (r.out, "\tDoc 9\t27\tfalse\tBen\n"));
    tsr_test_run_clear (&r);
    /* Usage errors change nothing. */
    run_cli (&r, "mark-done", path, "--coder", "Ben", NULL);
    g_assert_cmpint (r.status, ==, 2);
    tsr_test_run_clear (&r);
    run_cli (&r, "mark-done", path, "--coder", "Ben", "--all", "Doc 1", NULL);
    g_assert_cmpint (r.status, ==, 2);
    tsr_test_run_clear (&r);
    run_cli (&r, "mark-done", path, "--coder", "Ben", "Doc 7", "No such doc", NULL);
    g_assert_cmpint (r.status, ==, 1);
  }

  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (tsr_project_get_document_done (project, docs[7], coders[1]));
  agreement = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_agreement_get_documents (agreement), ==, TSR_AGREEMENT_DONE_DOCUMENTS);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 6);
  left_out = tsr_agreement_get_left_out (agreement, &n_left_out);
  g_assert_cmpuint (n_left_out, ==, 4);
  g_assert_cmpint (left_out[0], ==, docs[7]);
  g_assert_cmpint (left_out[3], ==, docs[10]);
  g_assert_cmpint (tsr_agreement_get_document_done (agreement, docs[7]), ==, TSR_DOCUMENT_CODED_BY_A_ONLY);
  g_assert_cmpint (tsr_agreement_get_document_done (agreement, docs[9]), ==, TSR_DOCUMENT_CODED_BY_B_ONLY);
  row = row_of (agreement, hope, TSR_AGREEMENT_PRESENCE);
  assert_table (row, 3, 1, 1, 1);
  g_assert_cmpuint (row.n_documents, ==, 6);
  assert_value (row.percent, 400.0 / 6.0);
  assert_value (row.kappa, 0.25);
  assert_value (row.bp_kappa, 1.0 / 3.0);
  assert_value (row.alpha, 10.0 / 32.0);
  g_assert_true (tsr_agreement_get_alpha (agreement, hope, &alpha));
  assert_value (alpha.alpha, 10.0 / 32.0);
  g_assert_cmpuint (alpha.n_units, ==, 6);
  {
    g_autofree char *why = tsr_agreement_describe_left_out (agreement, project, docs[7]);
    g_autofree char *text = tsr_agreement_describe_documents (agreement, project);

    g_assert_cmpstr (why, ==, "Ben has not marked it done");
    g_assert_cmpstr (text, ==, "6 of 10 documents are compared: those both Ada and Ben marked as done (coded). "
                               "In them, a code a coder did not apply counts as absent. Left out: “Doc 7” "
                               "(Ben has not marked it done); “Doc 8” (Ben has not marked it done); “Doc 9” "
                               "(Ada has not marked it done); “Doc 10” (Ada has not marked it done).");
  }

  /* The disagreement list shows exactly the documents compared. */
  disagreements = tsr_project_list_disagreements (project, coders[0], coders[1], 0, TSR_AGREEMENT_DEFAULT, NULL,
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (disagreements), ==, 2);
  {
    g_autoptr(TsrDisagreement) first = g_list_model_get_item (disagreements, 0);
    g_autoptr(TsrDisagreement) second = g_list_model_get_item (disagreements, 1);

    g_assert_cmpint (tsr_disagreement_get_document_id (first), ==, docs[3]);
    g_assert_cmpint (tsr_disagreement_get_kind (first), ==, TSR_DISAGREEMENT_ONLY_A);
    g_assert_cmpint (tsr_disagreement_get_document_id (second), ==, docs[4]);
    g_assert_cmpint (tsr_disagreement_get_kind (second), ==, TSR_DISAGREEMENT_ONLY_B);
  }

  /* Set aside, the marks change nothing: every document, κ = 1/6. */
  ignored = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_IGNORE_DONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_agreement_get_documents (ignored), ==, TSR_AGREEMENT_EVERY_DOCUMENT);
  row = row_of (ignored, hope, TSR_AGREEMENT_PRESENCE);
  assert_value (row.kappa, 1.0 / 6.0);
  {
    g_autofree char *text = tsr_agreement_describe_documents (ignored, project);
    g_assert_true (g_str_has_suffix (text, "Which documents the coders marked as done is set aside: the comparison "
                                           "goes by their coding."));
  }
  tsr_project_close (project, NULL);

  /* Every output format names what is left out and says how many
   * documents are compared. */
  {
    g_autofree char *csv = g_build_filename (dir, "done.csv", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_auto(TsrTestRun) r = { 0 };
    JsonObject *root, *first;

    run_cli (&r, "agreement", path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t6\t3\t1\t1\t1\t66.7\t0.250\t0.333\t0.313\t\n"));
    g_assert_nonnull (strstr (r.out, "\nleft-out\tDoc 7\t\t\t\t\t\t\t\t\t\tBen has not marked it done\n"));
    g_assert_nonnull (strstr (r.out, "\nleft-out\tDoc 10\t\t\t\t\t\t\t\t\t\tAda has not marked it done\n"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--format", "json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    json_parser_load_from_data (parser, r.out, -1, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (root, "compared"), ==, "done");
    g_assert_cmpint (json_object_get_int_member (root, "documents_compared"), ==, 6);
    first = json_array_get_object_element (json_object_get_array_member (root, "documents_left_out"), 0);
    g_assert_cmpstr (json_object_get_string_member (first, "document"), ==, "Doc 7");
    g_assert_cmpstr (json_object_get_string_member (first, "done_by"), ==, "a-only");
    g_assert_cmpstr (json_object_get_string_member (first, "reason"), ==, "Ben has not marked it done");
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--format", "csv", "--out", csv, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    /* "Documents", the second column, is the count compared. */
    g_assert_nonnull (strstr (contents, "\r\nHope,6,3,1,1,1,66.7,0.250,0.333,0.313\r\n"));
    g_assert_nonnull (strstr (contents, "\r\nLeft out: “Doc 9” (Ada has not marked it done),,,,,,,,,\r\n"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--uncoded", "absent", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t10\t4\t2\t2\t2\t60.0\t0.167\t0.200\t0.208\t\n"));
    g_assert_null (strstr (r.out, "left-out"));
  }

  tsr_test_remove_tree (dir);
}

static gint
find_row (TsrAgreement        *agreement,
          TsrAgreementRowKind  kind,
          gint64               id)
{
  gint index = tsr_agreement_find_row (agreement, kind, id);

  g_assert_cmpint (index, >=, 0);
  return index;
}

static TsrAgreementRow
row_at (TsrAgreement     *agreement,
        gint              index,
        TsrAgreementUnit  unit)
{
  TsrAgreementRow row;

  g_assert_true (tsr_agreement_get_row_at (agreement, index, unit, &row));
  return row;
}

/* Parent codes rolled up and themes, worked by hand.  Six documents of
 * 100 characters.  Codes: Support with sub-codes Peers and Family; Hope.
 * Themes: Connection (Peers) with its sub-theme Belonging (Family);
 * Outlook (Hope); Old (Hope), discarded, with a sub-theme Older.
 *
 *   Ada: Peers D1 [0, 10), Family D2 [0, 10), Support itself D3 [0, 10),
 *        Hope D4 [0, 20)
 *   Ben: Peers D1 [5, 15), Peers D2 [0, 10), Family D5 [0, 10),
 *        Hope D4 [10, 30)
 *
 * Support with its sub-codes (as n counts it: Ada's n is 3, Ben's 3):
 *   presence: both D1, D2; only Ada D3; only Ben D5; neither D4, D6:
 *     (2, 1, 1, 2), p_o = 4/6, a₁ = b₁ = 3, Σ = 9 + 9 = 18,
 *     κ = (24 − 18) / (36 − 18) = 1/3;
 *     α: n = 12, d = 2, n₁ = n₀ = 6, α = 1 − 11 · 2 / 36 = 7/18
 *   characters: D1 both [5, 10), Ada [0, 5), Ben [10, 15); D2 both 10
 *     (Family and Peers over the same characters: the same code rolled
 *     up); D3 Ada 10; D5 Ben 10: (15, 15, 15, 555) of 600,
 *     p_o = 570/600, a₁ = b₁ = 30, Σ = 900 + 570² = 325800,
 *     κ = (600 · 570 − 325800) / (600² − 325800) = 16200/34200 = 9/19
 *   segments: Ada [0, 10) in D1, D2, D3; Ben [5, 15) in D1, [0, 10) in
 *     D2, D5; only D2's pair overlaps by 90 % or more: 2 of 6 agree
 * Support itself: Ada D3 only: (0, 1, 0, 5), p_o = 5/6, a₁ = 1, b₁ = 0,
 *   Σ = 0 + 5 · 6 = 30, κ = (30 − 30) / (36 − 30) = 0
 * Connection = Peers ∪ Belonging's Family (not Support itself: a
 *   theme holds the codes it was given, with the codes below them):
 *   Ada D1, D2; Ben D1, D2, D5: (2, 0, 1, 3), p_o = 5/6, a₁ = 2, b₁ = 3,
 *   Σ = 6 + 12 = 18, κ = (30 − 18) / (36 − 18) = 2/3
 * Belonging = Family: (0, 1, 1, 4), p_o = 4/6, a₁ = b₁ = 1,
 *   Σ = 1 + 25 = 26, κ = (24 − 26) / (36 − 26) = −1/5
 * Outlook = Hope: (1, 0, 0, 5), κ = 1; Old and Older are not shown. */
static void
test_project_rolled_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tree.tessera", NULL);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autofree char *text = text_of_length (100);
  gint64 docs[7], coders[2];
  gint64 support, peers, family, hope, connection, belonging, outlook, old, older;
  TsrAgreementRow row;
  TsrAlphaResult alpha;
  TsrAgreementRowKind kinds[10];
  gint64 ids[10];
  guint depths[10];

  g_assert_no_error (error);
  for (guint d = 1; d <= 6; d++)
    {
      g_autofree char *name = g_strdup_printf ("D%u", d);

      docs[d] = tsr_project_add_document (project, name, text, NULL, &error);
      g_assert_no_error (error);
    }
  coders[0] = coder_id (tsr_project_ensure_coder (project, "Ada", &error));
  coders[1] = coder_id (tsr_project_ensure_coder (project, "Ben", &error));
  support = tsr_project_create_code (project, 0, "Support", NULL, NULL, &error);
  peers = tsr_project_create_code (project, support, "Peers", NULL, NULL, &error);
  family = tsr_project_create_code (project, support, "Family", NULL, NULL, &error);
  hope = tsr_project_create_code (project, 0, "Hope", NULL, NULL, &error);
  connection = tsr_project_create_theme (project, 0, "Connection", &error);
  belonging = tsr_project_create_theme (project, connection, "Belonging", &error);
  outlook = tsr_project_create_theme (project, 0, "Outlook", &error);
  old = tsr_project_create_theme (project, 0, "Old", &error);
  older = tsr_project_create_theme (project, old, "Older", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_add_code_to_theme (project, connection, peers, &error) &&
                 tsr_project_add_code_to_theme (project, belonging, family, &error) &&
                 tsr_project_add_code_to_theme (project, outlook, hope, &error) &&
                 tsr_project_add_code_to_theme (project, old, hope, &error) &&
                 tsr_project_add_code_to_theme (project, older, hope, &error) &&
                 tsr_project_set_theme_status (project, old, TSR_THEME_DISCARDED, &error));
  g_assert_no_error (error);
  {
    struct { guint doc; gint64 code; guint coder; guint start, end; } coding[] = {
      { 1, peers, 0, 0, 10 }, { 2, family, 0, 0, 10 }, { 3, support, 0, 0, 10 }, { 4, hope, 0, 0, 20 },
      { 1, peers, 1, 5, 15 }, { 2, peers, 1, 0, 10 }, { 5, family, 1, 0, 10 }, { 4, hope, 1, 10, 30 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (coding); i++)
      g_assert_cmpint (tsr_project_add_segment_for_coder (project, docs[coding[i].doc], coding[i].code,
                                                          coders[coding[i].coder], coding[i].start,
                                                          coding[i].end, &error), >, 0);
  }

  agreement = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  /* The rows, in order: Support rolled up, its own row (Ada applied it
   * itself), Peers, Family, Hope, the pooled row, the themes. */
  g_assert_cmpuint (tsr_agreement_get_n_rows (agreement), ==, 9);
  for (guint i = 0; i < 9; i++)
    {
      row = row_at (agreement, i, TSR_AGREEMENT_PRESENCE);
      kinds[i] = row.kind;
      ids[i] = row.id;
      depths[i] = row.depth;
    }
  g_assert_cmpint (kinds[0], ==, TSR_AGREEMENT_ROW_CODE_TREE);
  g_assert_cmpint (ids[0], ==, support);
  g_assert_cmpint (kinds[1], ==, TSR_AGREEMENT_ROW_CODE);
  g_assert_cmpint (ids[1], ==, support);
  g_assert_cmpuint (depths[1], ==, 1);
  g_assert_cmpint (ids[2], ==, peers);
  g_assert_cmpuint (depths[2], ==, 1);
  g_assert_cmpint (ids[3], ==, family);
  g_assert_cmpint (ids[4], ==, hope);
  g_assert_cmpint (kinds[5], ==, TSR_AGREEMENT_ROW_POOLED);
  g_assert_cmpint (kinds[6], ==, TSR_AGREEMENT_ROW_THEME);
  g_assert_cmpint (ids[6], ==, connection);
  g_assert_cmpint (ids[7], ==, belonging);
  g_assert_cmpuint (depths[7], ==, 1);
  g_assert_cmpint (ids[8], ==, outlook);
  g_assert_cmpint (tsr_agreement_find_row (agreement, TSR_AGREEMENT_ROW_THEME, old), ==, -1);
  g_assert_cmpint (tsr_agreement_find_row (agreement, TSR_AGREEMENT_ROW_THEME, older), ==, -1);
  {
    g_autofree char *tree_label = tsr_agreement_dup_row_label (agreement, project, 0, FALSE);
    g_autofree char *own_label = tsr_agreement_dup_row_label (agreement, project, 1, FALSE);
    g_autofree char *peers_path = tsr_agreement_dup_row_label (agreement, project, 2, TRUE);
    g_autofree char *theme_path = tsr_agreement_dup_row_label (agreement, project, 7, TRUE);

    g_assert_cmpstr (tree_label, ==, "Support");
    g_assert_cmpstr (own_label, ==, "Support (itself)");
    g_assert_cmpstr (peers_path, ==, "Support/Peers");
    g_assert_cmpstr (theme_path, ==, "Connection/Belonging");
  }

  row = row_at (agreement, find_row (agreement, TSR_AGREEMENT_ROW_CODE_TREE, support), TSR_AGREEMENT_PRESENCE);
  assert_table (row, 2, 1, 1, 2);
  assert_value (row.kappa, 1.0 / 3.0);
  assert_value (row.alpha, 7.0 / 18.0);
  g_assert_true (tsr_agreement_get_alpha_at (agreement, 0, &alpha));
  assert_value (alpha.alpha, 7.0 / 18.0);
  /* The same roll-up as n. */
  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ONE, coders[c]);
      g_autoptr(TsrCounts) counts = tsr_project_compute_counts (project, scope, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tsr_counts_get_code_n (counts, support), ==, row.both + (c == 0 ? row.only_a : row.only_b));
      g_assert_cmpuint (tsr_counts_get_theme_n (counts, connection), ==, c == 0 ? 2 : 3);
    }
  row = row_at (agreement, 0, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 15, 15, 15, 555);
  assert_value (row.kappa, 9.0 / 19.0);
  g_assert_cmpuint (tsr_agreement_get_n_cells_at (agreement, 0), ==, 4);
  row = row_at (agreement, 0, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 3);
  g_assert_cmpuint (row.matched_a, ==, 1);
  g_assert_cmpuint (row.segments_b, ==, 3);
  g_assert_cmpuint (row.matched_b, ==, 1);
  assert_value (row.percent, 100.0 / 3.0);

  /* The code itself, as before: its own row. */
  row = row_of (agreement, support, TSR_AGREEMENT_PRESENCE);
  g_assert_cmpint (row.kind, ==, TSR_AGREEMENT_ROW_CODE);
  assert_table (row, 0, 1, 0, 5);
  assert_value (row.kappa, 0.0);

  row = row_at (agreement, find_row (agreement, TSR_AGREEMENT_ROW_THEME, connection), TSR_AGREEMENT_PRESENCE);
  assert_table (row, 2, 0, 1, 3);
  assert_value (row.kappa, 2.0 / 3.0);
  row = row_at (agreement, find_row (agreement, TSR_AGREEMENT_ROW_THEME, belonging), TSR_AGREEMENT_PRESENCE);
  assert_table (row, 0, 1, 1, 4);
  assert_value (row.kappa, -0.2);
  row = row_at (agreement, find_row (agreement, TSR_AGREEMENT_ROW_THEME, outlook), TSR_AGREEMENT_PRESENCE);
  assert_table (row, 1, 0, 0, 5);
  assert_value (row.kappa, 1.0);

  /* The pooled row pools the codes' own rows only: Support itself,
   * Peers, Family, Hope × 6 documents = 24 units: both 1 + 0 + 1 = 2
   * (Peers D1, Hope D4), only Ada 1 + 0 + 1 = 2 (Support D3, Family
   * D2), only Ben 1 + 1 = 2 (Peers D2, Family D5), neither 18. */
  row = row_at (agreement, find_row (agreement, TSR_AGREEMENT_ROW_POOLED, 0), TSR_AGREEMENT_PRESENCE);
  assert_table (row, 2, 2, 2, 18);

  /* A theme none of whose codes was applied says so. */
  {
    gint64 empty = tsr_project_create_theme (project, 0, "Empty", &error);
    g_autoptr(TsrAgreement) again = NULL;

    g_assert_no_error (error);
    g_assert_true (tsr_project_add_code_to_theme (project, empty, tsr_project_create_code (project, 0, "Fear", NULL, NULL, &error), &error));
    again = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    row = row_at (again, find_row (again, TSR_AGREEMENT_ROW_THEME, empty), TSR_AGREEMENT_PRESENCE);
    assert_table (row, 0, 0, 0, 6);
    assert_undefined (row.kappa, TSR_UNDEFINED_NONE_APPLIED);
    g_assert_true (tsr_agreement_get_alpha_at (again, find_row (again, TSR_AGREEMENT_ROW_THEME, empty), &alpha));
    assert_undefined (alpha.alpha, TSR_UNDEFINED_NONE_APPLIED);
  }
  tsr_project_close (project, NULL);

  /* The command line and the export have the rows too. */
  {
    g_autofree char *csv = g_build_filename (dir, "tree.csv", NULL);
    g_autofree char *contents = NULL;
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "agreement", path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode-tree\tSupport\t6\t2\t1\t1\t2\t66.7\t0.333\t0.333\t0.389\t\n"));
    g_assert_nonnull (strstr (r.out, "\ncode\tSupport (itself)\t6\t0\t1\t0\t5\t83.3\t0.000\t"));
    g_assert_nonnull (strstr (r.out, "\ncode\tSupport/Peers\t6\t"));
    g_assert_nonnull (strstr (r.out, "\ntheme\tConnection\t6\t2\t0\t1\t3\t83.3\t0.667\t"));
    g_assert_nonnull (strstr (r.out, "\ntheme\tConnection/Belonging\t6\t0\t1\t1\t4\t66.7\t-0.200\t"));
    g_assert_null (strstr (r.out, "Old"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--format", "json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\"kind\" : \"code-tree\""));
    g_assert_nonnull (strstr (r.out, "\"themes\" : [\n    {\n      \"kind\" : \"theme\",\n      \"path\" : \"Connection\""));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--format", "csv", "--out", csv, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\r\nSupport,6,2,1,1,2,66.7,0.333,0.333,0.389\r\n"
                                        "\"  Support (itself)\",6,0,1,0,5,83.3,0.000,"));
    g_assert_nonnull (strstr (contents, "\r\nThemes,,,,,,,,,\r\nConnection,6,2,0,1,3,83.3,0.667,"));
  }

  tsr_test_remove_tree (dir);
}

static void
test_project_characters (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrAgreement) agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  TsrAgreementCell cell;
  TsrAgreementRow row;

  /* Hope in D5 is NVivo's documented example: 1000 characters, 50 coded
   * by both, 150 by one (100 by A, 50 by B), 800 by neither: 85 %;
   * κ = 7/22 by NVivo's formula and Cohen's alike. */
  g_assert_cmpuint (tsr_agreement_get_n_cells (agreement, f->hope), ==, 1);
  g_assert_true (tsr_agreement_get_cell (agreement, f->hope, 0, &cell));
  g_assert_cmpint (cell.document_id, ==, f->doc[4]);
  g_assert_cmpuint (cell.both, ==, 50);
  g_assert_cmpuint (cell.only_a, ==, 100);
  g_assert_cmpuint (cell.only_b, ==, 50);
  g_assert_cmpuint (cell.neither, ==, 800);
  assert_value (cell.percent, 85.0);
  assert_value (cell.kappa, 7.0 / 22.0);
  g_assert_false (tsr_agreement_get_cell (agreement, f->hope, 1, &cell));

  /* Support, per document: D1: A covers [20, 80) once although its two
   * segments overlap (60 characters), B [30, 80): both 50, only A 10;
   * D2: only A 20; D3: only B 30; D6 (which B never coded): only A 50. */
  g_assert_cmpuint (tsr_agreement_get_n_cells (agreement, f->support), ==, 4);
  g_assert_true (tsr_agreement_get_cell (agreement, f->support, 0, &cell));
  g_assert_cmpint (cell.document_id, ==, f->doc[0]);
  g_assert_cmpuint (cell.both, ==, 50);
  g_assert_cmpuint (cell.only_a, ==, 10);
  g_assert_cmpuint (cell.only_b, ==, 0);
  g_assert_cmpuint (cell.neither, ==, 140);
  g_assert_true (tsr_agreement_get_cell (agreement, f->support, 2, &cell));
  g_assert_cmpint (cell.document_id, ==, f->doc[2]);
  g_assert_cmpuint (cell.only_b, ==, 30);

  /* Pooled over D1–D6 (5 · 200 + 1000 = 2000 characters): both 50,
   * only A 10 + 20 + 50 = 80, only B 30, neither 1840.  p_o = 1890/2000;
   * a₁ = 130, b₁ = 80; Σ = 130 · 80 + 1870 · 1920 = 3600800;
   * κ = (2000 · 1890 − Σ) / (2000² − Σ) = 179200 / 399200 = 224/499. */
  row = row_of (agreement, f->support, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 50, 80, 30, 1840);
  assert_value (row.percent, 100.0 * 1890 / 2000);
  assert_value (row.kappa, 224.0 / 499.0);

  row = row_of (agreement, f->unused, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 0, 0, 0, 2000);
  assert_undefined (row.kappa, TSR_UNDEFINED_CODE_UNUSED);
  g_assert_cmpuint (tsr_agreement_get_n_cells (agreement, f->unused), ==, 0);

  /* Pooled over the 4 codes used (not Unused): 8000 characters.  Both:
   * Support 50, Hope 50, Everywhere 5 · 10, Edges 90 + 44 = 134 → 284.
   * Only A: 80 + 100 + 0 + 10 + 6 = 196.  Only B: 30 + 50 = 80.
   * Neither: 8000 − 560. */
  row = row_of (agreement, 0, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 284, 196, 80, 7440);
  assert_value (row.percent, 100.0 * (284 + 7440) / 8000);

  /* Leaving out D6 (B did not code it): D1–D5, 1800 characters.  Support:
   * both 50, only A 30, only B 30, neither 1690.  p_o = 1740/1800;
   * a₁ = b₁ = 80; κ = (1800 · 1740 − (80² + 1720²)) / (1800² − (80² +
   * 1720²)) = 167200 / 275200. */
  {
    g_autoptr(TsrAgreement) missing = compute_ab (f, 90, TSR_AGREEMENT_UNCODED_AS_MISSING);

    g_assert_cmpuint (tsr_agreement_get_n_cells (missing, f->support), ==, 3);
    row = row_of (missing, f->support, TSR_AGREEMENT_CHARACTERS);
    assert_table (row, 50, 30, 30, 1690);
    assert_value (row.percent, 100.0 * 1740 / 1800);
    assert_value (row.kappa, 167200.0 / 275200.0);
  }
}

/* NVivo's figures: κ per code per document, and their mean weighted by
 * document length.  Three documents, code Hope:
 *   P1, 1000 characters: NVivo's example — A [0, 150), B [100, 200):
 *       both 50, only A 100, only B 50, neither 800: 85 %, κ = 7/22
 *       (worked at the top of this file)
 *   P2, 200 characters: A and B both [0, 100): both 100, neither 100:
 *       100 %; p_e = ½·½ + ½·½ = ½, κ = (1 − ½) / (1 − ½) = 1
 *   P3, 300 characters: nobody applied Hope (A coded Fear there): κ is
 *       0/0 in P3, which is not averaged
 * Mean κ = (1000 · 7/22 + 200 · 1) / 1200 = (3500/11 + 2200/11) / 1200
 *        = 5700 / 13200 = 19/44 = 0.432
 * Mean % = (1000 · 85 + 200 · 100) / 1200 = 87.5
 * Pooled over the 1500 characters of P1–P3: both 150, only A 100, only
 * B 50, neither 1200; p_o = 1350/1500; a₁ = 250, b₁ = 200;
 * Σ = 250 · 200 + 1250 · 1300 = 1675000;
 * κ = (1500 · 1350 − Σ) / (1500² − Σ) = 350000 / 575000 = 14/23 = 0.609.
 * The two readings differ: that is why both are shown, labelled. */
static void
test_project_document_mean (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mean.tessera", NULL);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autofree char *long_text = text_of_length (1000);
  g_autofree char *short_text = text_of_length (200);
  g_autofree char *other_text = text_of_length (300);
  gint64 coders[2], hope, fear, p1, p2, p3;
  TsrAgreementMean mean;
  TsrAgreementCell cell;
  TsrAgreementRow row;

  g_assert_no_error (error);
  p1 = tsr_project_add_document (project, "P1", long_text, NULL, &error);
  p2 = tsr_project_add_document (project, "P2", short_text, NULL, &error);
  p3 = tsr_project_add_document (project, "P3", other_text, NULL, &error);
  coders[0] = coder_id (tsr_project_ensure_coder (project, "Ada", &error));
  coders[1] = coder_id (tsr_project_ensure_coder (project, "Ben", &error));
  hope = tsr_project_create_code (project, 0, "Hope", NULL, NULL, &error);
  fear = tsr_project_create_code (project, 0, "Fear", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, p1, hope, coders[0], 0, 150, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, p1, hope, coders[1], 100, 200, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, p2, hope, coders[0], 0, 100, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, p2, hope, coders[1], 0, 100, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, p3, fear, coders[0], 0, 30, &error), >, 0);
  g_assert_no_error (error);

  agreement = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (tsr_agreement_get_n_cells (agreement, hope), ==, 2);
  g_assert_true (tsr_agreement_get_cell (agreement, hope, 0, &cell));
  g_assert_cmpint (cell.document_id, ==, p1);
  assert_value (cell.percent, 85.0);
  assert_value (cell.kappa, 7.0 / 22.0);
  g_assert_true (tsr_agreement_get_cell (agreement, hope, 1, &cell));
  g_assert_cmpint (cell.document_id, ==, p2);
  g_assert_cmpuint (cell.both, ==, 100);
  g_assert_cmpuint (cell.neither, ==, 100);
  assert_value (cell.kappa, 1.0);

  g_assert_true (tsr_agreement_get_document_mean (agreement, hope, &mean));
  g_assert_cmpuint (mean.n_documents, ==, 2);
  g_assert_cmpuint (mean.n_characters, ==, 1200);
  assert_value (mean.kappa, 19.0 / 44.0);
  assert_value (mean.percent, 87.5);

  row = row_of (agreement, hope, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 150, 100, 50, 1200);
  assert_value (row.kappa, 14.0 / 23.0);

  /* Fear: A alone coded 30 characters of P3: p_o = 270/300, a₁ = 30,
   * b₁ = 0, p_e = 0.9, κ = 0 there; the mean is that one document's. */
  g_assert_true (tsr_agreement_get_document_mean (agreement, fear, &mean));
  g_assert_cmpuint (mean.n_documents, ==, 1);
  assert_value (mean.kappa, 0.0);
  assert_value (mean.percent, 90.0);

  /* Every used code pooled: (1000 · 7/22 + 200 · 1 + 300 · 0) / 1500
   * = 5700/11 / 1500 = 5700 / 16500 = 19/55; percent (85000 + 20000 +
   * 27000) / 1500 = 88. */
  g_assert_true (tsr_agreement_get_document_mean (agreement, 0, &mean));
  g_assert_cmpuint (mean.n_documents, ==, 3);
  g_assert_cmpuint (mean.n_characters, ==, 1500);
  assert_value (mean.kappa, 19.0 / 55.0);
  assert_value (mean.percent, 88.0);

  g_assert_false (tsr_agreement_get_document_mean (agreement, 4242, &mean));

  /* The command line: the means beside the pooled values in the
   * characters table, and each document's row with --per-document.
   * Hope: B–P κ = 2 · 0.9 − 1 = 0.8; α on presence: both coders in P1
   * and P2, neither in P3, α = 1. */
  {
    g_autofree char *csv = g_build_filename (dir, "mean.csv", NULL);
    g_autofree char *contents = NULL;
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "agreement", path, "--unit", "characters", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "kind\tname\tdocuments\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\t"
                                            "bp_kappa\talpha_documents\talpha_characters\tmean_documents\t"
                                            "mean_percent\tmean_kappa\tundefined\n"));
    /* α on the characters' 2 × 2 table: n = 3000 values, d = 150,
     * n₁ = 2·150 + 150 = 450, n₀ = 2·1200 + 150 = 2550;
     * α = 1 − 2999 · 150 / (2550 · 450) = 4651/7650 = 0.608. */
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t3\t150\t100\t50\t1200\t90.0\t0.609\t0.800\t1.000\t0.608\t2\t87.5\t"
                                     "0.432\t\n"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--per-document", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "kind\tname\tdocument\tcharacters\tboth\tonly_a\tonly_b\tneither\t"
                                            "percent\tkappa\tundefined\n"
                                            "code\tHope\tP1\t1000\t50\t100\t50\t800\t85.0\t0.318\t\n"
                                            "code\tHope\tP2\t200\t100\t0\t0\t100\t100.0\t1.000\t\n"
                                            "code\tHope\t(mean of 2 documents, weighted by length)\t1200\t\t\t\t\t87.5\t"
                                            "0.432\t\n"
                                            "code\tHope\t(pooled over 3 documents)\t1500\t150\t100\t50\t1200\t90.0\t"
                                            "0.609\t\n"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--per-document", "--format", "json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\"document_mean\" : {\n        \"percent\" : 87.5,"));
    g_assert_nonnull (strstr (r.out, "\"document\" : \"P2\""));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--per-document", "--format", "csv", "--out", csv, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "Code,Documents,Both,Only A,Only B,Neither,Agreement %,Cohen’s κ,"
                                               "B–P κ,α (documents),α (characters),Mean % per document,"
                                               "Mean κ per document\r\n"
                                               "Hope,3,150,100,50,1200,90.0,0.609,0.800,1.000,0.608,87.5,0.432\r\n"
                                               "\"  P1\",1,50,100,50,800,85.0,0.318,,,,,\r\n"
                                               "\"  P2\",1,100,0,0,100,100.0,1.000,,,,,\r\n"));
    tsr_test_run_clear (&r);

    run_cli (&r, "agreement", path, "--per-document", "--unit", "presence", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }

  /* A code nobody applied has no mean. */
  {
    gint64 unused = tsr_project_create_code (project, 0, "Unused", NULL, NULL, &error);
    g_autoptr(TsrAgreement) again = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT,
                                                                   NULL, &error);

    g_assert_no_error (error);
    g_assert_true (tsr_agreement_get_document_mean (again, unused, &mean));
    g_assert_cmpuint (mean.n_documents, ==, 0);
    assert_undefined (mean.kappa, TSR_UNDEFINED_CODE_UNUSED);
  }

  tsr_project_close (project, NULL);
  tsr_test_remove_tree (dir);
}

static void
test_project_segments (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrAgreement) agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  g_autoptr(TsrAgreement) loose = compute_ab (f, 80, TSR_AGREEMENT_DEFAULT);
  TsrAgreementRow row;

  /* Edges: [0, 100) and [0, 90) overlap by 90/100 = exactly 90 %: a
   * match; [150, 200) and [150, 194) by 44/50 = 88 %: not. */
  row = row_of (agreement, f->edges, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 2);
  g_assert_cmpuint (row.matched_a, ==, 1);
  g_assert_cmpuint (row.segments_b, ==, 2);
  g_assert_cmpuint (row.matched_b, ==, 1);
  assert_value (row.percent, 50.0);
  assert_undefined (row.kappa, TSR_UNDEFINED_NO_NEITHER);
  assert_undefined (row.bp_kappa, TSR_UNDEFINED_NO_NEITHER);
  g_assert_cmpuint (row.both + row.only_a + row.only_b + row.neither, ==, 0);

  /* Support: A's two overlapping segments in D1 count as one, [20, 80);
   * with B's [30, 80) it overlaps 50/60 = 83 %: no match at 90 %, a
   * match at 80 %.  D2, D3 and D6 hold one unmatched segment each. */
  row = row_of (agreement, f->support, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 3);
  g_assert_cmpuint (row.matched_a, ==, 0);
  g_assert_cmpuint (row.segments_b, ==, 2);
  g_assert_cmpuint (row.matched_b, ==, 0);
  assert_value (row.percent, 0.0);
  row = row_of (loose, f->support, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.matched_a, ==, 1);
  g_assert_cmpuint (row.matched_b, ==, 1);
  assert_value (row.percent, 40.0);

  row = row_of (agreement, f->everywhere, TSR_AGREEMENT_SEGMENTS);
  assert_value (row.percent, 100.0);
  row = row_of (agreement, f->unused, TSR_AGREEMENT_SEGMENTS);
  assert_undefined (row.percent, TSR_UNDEFINED_CODE_UNUSED);

  /* Pooled: A 3 + 1 + 5 + 2 = 11 segments, 0 + 0 + 5 + 1 matched; B 2 +
   * 1 + 5 + 2 = 10, 6 matched: 12 of 21. */
  row = row_of (agreement, 0, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 11);
  g_assert_cmpuint (row.matched_a, ==, 6);
  g_assert_cmpuint (row.segments_b, ==, 10);
  g_assert_cmpuint (row.matched_b, ==, 6);
  assert_value (row.percent, 100.0 * 12 / 21);
}

/* Segments that only touch stay two segments unless asked.  One
 * 1000-character document, one code:
 *   A: [0, 10) [10, 20) [100, 150) [300, 310) [400, 410) [500, 510) [600, 610)
 *   B: [0, 20)          [100, 150) [700, 710) [800, 810) [900, 910)
 * Touching segments separate (the default): 7 + 5 = 12 segments.  A's
 * [0, 10) and [10, 20) each share 10 of B's [0, 20)'s 20 characters:
 * 50 %, no match at 90 %.  Only [100, 150) matches on both sides:
 * 2 of 12 = 16.7 %.
 * Touching segments merged: A's first two become [0, 20), which matches
 * B's [0, 20): 6 + 5 = 11 segments, 4 matched: 4 of 11 = 36.4 %.
 * Characters are the same either way: A covers 20 + 50 + 40 = 110, B
 * 20 + 50 + 30 = 100, both 70: (70, 40, 30, 860). */
static void
test_project_touching_segments (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "touch.tessera", NULL);
  g_autofree char *text = text_of_length (1000);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrAgreement) separate = NULL;
  g_autoptr(TsrAgreement) merged = NULL;
  const guint spans_a[][2] = { { 0, 10 }, { 10, 20 }, { 100, 150 }, { 300, 310 }, { 400, 410 }, { 500, 510 }, { 600, 610 } };
  const guint spans_b[][2] = { { 0, 20 }, { 100, 150 }, { 700, 710 }, { 800, 810 }, { 900, 910 } };
  gint64 coders[2], code, doc;
  TsrAgreementRow row;

  g_assert_no_error (error);
  doc = tsr_project_add_document (project, "Long", text, NULL, &error);
  coders[0] = coder_id (tsr_project_ensure_coder (project, "Ada", &error));
  coders[1] = coder_id (tsr_project_ensure_coder (project, "Ben", &error));
  code = tsr_project_create_code (project, 0, "Hope", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (spans_a); i++)
    g_assert_cmpint (tsr_project_add_segment_for_coder (project, doc, code, coders[0], spans_a[i][0], spans_a[i][1], &error), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (spans_b); i++)
    g_assert_cmpint (tsr_project_add_segment_for_coder (project, doc, code, coders[1], spans_b[i][0], spans_b[i][1], &error), >, 0);
  g_assert_no_error (error);

  separate = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  row = row_of (separate, code, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 7);
  g_assert_cmpuint (row.matched_a, ==, 1);
  g_assert_cmpuint (row.segments_b, ==, 5);
  g_assert_cmpuint (row.matched_b, ==, 1);
  assert_value (row.percent, 100.0 * 2 / 12);
  {
    g_autofree char *shown = tsr_agreement_format_statistic (row.percent, 1);
    g_assert_cmpstr (shown, ==, "16.7");
  }
  row = row_of (separate, code, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 70, 40, 30, 860);

  merged = tsr_project_compute_agreement (project, coders, 2, 90, TSR_AGREEMENT_MERGE_TOUCHING, NULL, &error);
  g_assert_no_error (error);
  row = row_of (merged, code, TSR_AGREEMENT_SEGMENTS);
  g_assert_cmpuint (row.segments_a, ==, 6);
  g_assert_cmpuint (row.matched_a, ==, 2);
  g_assert_cmpuint (row.segments_b, ==, 5);
  g_assert_cmpuint (row.matched_b, ==, 2);
  assert_value (row.percent, 100.0 * 4 / 11);
  {
    g_autofree char *shown = tsr_agreement_format_statistic (row.percent, 1);
    g_assert_cmpstr (shown, ==, "36.4");
  }
  row = row_of (merged, code, TSR_AGREEMENT_CHARACTERS);
  assert_table (row, 70, 40, 30, 860);

  /* Each says which rule it followed. */
  {
    g_autofree char *rule = tsr_agreement_describe_unit (separate, TSR_AGREEMENT_SEGMENTS);
    g_autofree char *merged_rule = tsr_agreement_describe_unit (merged, TSR_AGREEMENT_SEGMENTS);

    g_assert_nonnull (strstr (rule, "merged where they overlap (share a character); segments that only touch "
                                    "stay separate."));
    g_assert_nonnull (strstr (rule, "by at least 90%"));
    g_assert_nonnull (strstr (merged_rule, "merged where they overlap or touch"));
  }

  /* The command line: separate unless --merge-touching. */
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--unit", "segments", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t1\t7\t1\t5\t1\t16.7\t"));
    tsr_test_run_clear (&r);
    run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--unit", "segments", "--merge-touching", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\ncode\tHope\t1\t6\t2\t5\t2\t36.4\t"));
    tsr_test_run_clear (&r);
    run_cli (&r, "agreement", "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "segments that only touch stay separate unless --merge-touching"));
  }

  tsr_project_close (project, NULL);
  tsr_test_remove_tree (dir);
}

static void
test_project_alpha (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrAgreement) agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
  g_autoptr(TsrAgreement) missing = compute_ab (f, 90, TSR_AGREEMENT_UNCODED_AS_MISSING);
  g_autoptr(GError) error = NULL;
  TsrAlphaResult alpha;

  /* Support, A and B over D1–D6 (D6 counting as 0 for B):
   * A (1, 1, 0, 0, 0, 1), B (1, 0, 1, 0, 0, 0): o₁₁ = 2, o₀₀ = 4,
   * o₀₁ = o₁₀ = 3; n = 12, n₁ = 5, n₀ = 7;
   * α = 1 − 11 · 6 / (2 · 5 · 7) = 4/70 = 2/35. */
  g_assert_true (tsr_agreement_get_alpha (agreement, f->support, &alpha));
  assert_value (alpha.alpha, 2.0 / 35.0);
  g_assert_cmpuint (alpha.n_units, ==, 6);
  g_assert_cmpfloat (alpha.n_values, ==, 12.0);

  g_assert_true (tsr_agreement_get_alpha (agreement, f->hope, &alpha));
  assert_value (alpha.alpha, 1.0);
  g_assert_true (tsr_agreement_get_alpha (agreement, f->unused, &alpha));
  assert_undefined (alpha.alpha, TSR_UNDEFINED_CODE_UNUSED);
  /* Everywhere: both 1 in D1–D5, both 0 in D6: no disagreement, α = 1. */
  g_assert_true (tsr_agreement_get_alpha (agreement, f->everywhere, &alpha));
  assert_value (alpha.alpha, 1.0);

  /* Pooled over the 4 codes used × 6 documents (Unused, all zeros, left
   * out): o₁₁ = 2 + 2 + 10 + 2 = 16, o₀₀ = 4 + 10 + 2 + 10 = 26,
   * o₀₁ = o₁₀ = 3; n = 48, n₁ = 19, n₀ = 29;
   * α = 1 − 47 · 6 / (2 · 19 · 29) = 820/1102.  (With Unused's 12
   * values of 0: 1204/1558.) */
  g_assert_true (tsr_agreement_get_alpha (agreement, 0, &alpha));
  assert_value (alpha.alpha, 820.0 / 1102.0);
  g_assert_cmpuint (alpha.n_units, ==, 24);

  /* Leaving out what a coder did not code: Support over D1–D5,
   * A (1, 1, 0, 0, 0), B (1, 0, 1, 0, 0): o₁₁ = 2, o₀₀ = 4,
   * o₀₁ = o₁₀ = 2; n = 10, n₁ = 4, n₀ = 6; α = 1 − 9 · 4 / (2 · 4 · 6)
   * = 1/4.  Everywhere: every value 1, no variation. */
  g_assert_true (tsr_agreement_get_alpha (missing, f->support, &alpha));
  assert_value (alpha.alpha, 0.25);
  g_assert_cmpuint (alpha.n_units, ==, 5);
  g_assert_cmpfloat (alpha.n_values, ==, 10.0);
  g_assert_true (tsr_agreement_get_alpha (missing, f->everywhere, &alpha));
  assert_undefined (alpha.alpha, TSR_UNDEFINED_NO_VARIATION);

  /* Pooled over the 4 codes used × 5 documents = 20 units: o₁₁ = 16,
   * o₀₀ = 20, o₀₁ = o₁₀ = 2; n = 40, n₁ = 18, n₀ = 22;
   * α = 1 − 39 · 4 / (2 · 18 · 22) = 636/792. */
  g_assert_true (tsr_agreement_get_alpha (missing, 0, &alpha));
  assert_value (alpha.alpha, 636.0 / 792.0);
  g_assert_cmpuint (alpha.n_units, ==, 20);

  /* Three coders.  By default every coder gives a value for every
   * document.  Support: A (1, 1, 0, 0, 0, 1), B (1, 0, 1, 0, 0, 0),
   * C (1, 0, 0, 0, 0, 1) (C coded [0, 5) in D1 and D6).  Each unit holds
   * three values, each ordered pair weighing ½: D1 o₁₁ += 3; D2 and D3
   * o₀₁ += 1, o₁₀ += 1, o₀₀ += 1 each; D4, D5 o₀₀ += 3 each; D6 o₁₁ += 1,
   * o₀₁ += 1, o₁₀ += 1.  o₁₁ = 4, o₀₀ = 8, o₀₁ = o₁₀ = 3; n = 18, n₁ = 7,
   * n₀ = 11; α = 1 − 17 · 6 / (2 · 7 · 11) = 52/154 = 26/77.
   * Leaving out what a coder did not code: D6 (A and C) becomes
   * pairable, D3–D5 hold no value of C's: the matrix of
   * test_alpha_binary_by_hand, 23/49. */
  {
    gint64 three[3] = { f->ada, f->ben, f->cy };
    g_autoptr(TsrAgreement) all = tsr_project_compute_agreement (f->project, three, 3, 90, TSR_AGREEMENT_DEFAULT,
                                                                 NULL, &error);
    g_autoptr(TsrAgreement) all_missing = tsr_project_compute_agreement (f->project, three, 3, 90,
                                                                         TSR_AGREEMENT_UNCODED_AS_MISSING,
                                                                         NULL, &error);
    TsrAgreementRow row;

    g_assert_no_error (error);
    g_assert_true (tsr_agreement_get_alpha (all, f->support, &alpha));
    assert_value (alpha.alpha, 26.0 / 77.0);
    g_assert_cmpuint (alpha.n_units, ==, 6);
    g_assert_true (tsr_agreement_get_alpha (all_missing, f->support, &alpha));
    assert_value (alpha.alpha, 23.0 / 49.0);
    g_assert_cmpuint (alpha.n_units, ==, 6);
    /* The two-coder statistics are still A's and B's. */
    row = row_of (all_missing, f->support, TSR_AGREEMENT_PRESENCE);
    assert_table (row, 1, 1, 1, 2);
    row = row_of (all, f->support, TSR_AGREEMENT_PRESENCE);
    assert_table (row, 1, 2, 1, 2);
  }
}

static void
test_project_no_documents_in_common (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 pair[2] = { f->ben, f->cy };
  g_autoptr(TsrAgreement) agreement = NULL;
  TsrAgreementRow row;
  TsrAlphaResult alpha;

  /* Ben and Cy both coded D1 and D2: compared there when what a coder
   * did not code is left out; every document by default. */
  agreement = tsr_project_compute_agreement (f->project, pair, 2, 90, TSR_AGREEMENT_UNCODED_AS_MISSING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 2);
  g_clear_pointer (&agreement, tsr_agreement_unref);
  agreement = tsr_project_compute_agreement (f->project, pair, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 6);
  g_clear_pointer (&agreement, tsr_agreement_unref);

  /* A coder who coded nothing, with what a coder did not code left out:
   * nothing to compare, and it says so.  By default, the coder applied
   * no code anywhere: Support (0, 3, 0, 3) for A (D1, D2, D6) against
   * nothing: p_o = ½, p_e = 3·0 + 3·6 over 36 = ½, κ = 0. */
  {
    g_autoptr(TsrCoder) dee = tsr_project_ensure_coder (f->project, "Dee", &error);
    gint64 none[2] = { f->ada, tsr_entity_get_id (TSR_ENTITY (dee)) };

    agreement = tsr_project_compute_agreement (f->project, none, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    row = row_of (agreement, f->support, TSR_AGREEMENT_PRESENCE);
    assert_table (row, 0, 3, 0, 3);
    assert_value (row.kappa, 0.0);
    g_clear_pointer (&agreement, tsr_agreement_unref);

    agreement = tsr_project_compute_agreement (f->project, none, 2, 90, TSR_AGREEMENT_UNCODED_AS_MISSING, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 0);
    row = row_of (agreement, f->support, TSR_AGREEMENT_PRESENCE);
    assert_undefined (row.percent, TSR_UNDEFINED_NO_UNITS);
    assert_undefined (row.kappa, TSR_UNDEFINED_NO_UNITS);
    row = row_of (agreement, f->support, TSR_AGREEMENT_SEGMENTS);
    assert_undefined (row.percent, TSR_UNDEFINED_NO_UNITS);
    row = row_of (agreement, 0, TSR_AGREEMENT_CHARACTERS);
    assert_undefined (row.kappa, TSR_UNDEFINED_NO_UNITS);
    g_assert_true (tsr_agreement_get_alpha (agreement, f->support, &alpha));
    assert_undefined (alpha.alpha, TSR_UNDEFINED_NOT_PAIRABLE);
  }
}

static void
test_project_bad_requests (Fixture *f, gconstpointer data)
{
  gint64 same[2] = { f->ada, f->ada };
  gint64 pair[2] = { f->ada, f->ben };
  gint64 ghost[2] = { f->ada, 999 };
  TsrAgreement *agreement;
  GError *error = NULL;

  agreement = tsr_project_compute_agreement (f->project, pair, 1, 90, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  agreement = tsr_project_compute_agreement (f->project, same, 2, 90, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  agreement = tsr_project_compute_agreement (f->project, pair, 2, 0, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  agreement = tsr_project_compute_agreement (f->project, pair, 2, 100.5, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  agreement = tsr_project_compute_agreement (f->project, pair, 2, NAN, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  agreement = tsr_project_compute_agreement (f->project, ghost, 2, 90, 0, NULL, &error);
  g_assert_null (agreement);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Unknown codes have no row. */
  agreement = compute_ab (f, 90, 0);
  {
    TsrAgreementRow row;
    TsrAlphaResult alpha;

    g_assert_false (tsr_agreement_get_row (agreement, 12345, TSR_AGREEMENT_PRESENCE, &row));
    g_assert_false (tsr_agreement_get_alpha (agreement, 12345, &alpha));
    g_assert_cmpuint (tsr_agreement_get_n_cells (agreement, 12345), ==, 0);
  }
  tsr_agreement_unref (agreement);
}

static void
on_agreement_ready_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TsrAgreement **out = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (source);
  *out = tsr_project_compute_agreement_finish (NULL, result, &error);
  g_assert_no_error (error);
}

static void
test_project_async (Fixture *f, gconstpointer data)
{
  gint64 pair[2] = { f->ada, f->ben };
  g_autoptr(TsrAgreement) sync = compute_ab (f, 90, 0);
  TsrAgreement *async = NULL;
  TsrAgreementRow a, b;

  tsr_project_compute_agreement_async (f->project, pair, 2, 90, 0, NULL, on_agreement_ready_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  for (TsrAgreementUnit unit = TSR_AGREEMENT_PRESENCE; unit <= TSR_AGREEMENT_SEGMENTS; unit++)
    {
      g_assert_true (tsr_agreement_get_row (sync, 0, unit, &a));
      g_assert_true (tsr_agreement_get_row (async, 0, unit, &b));
      g_assert_true (memcmp (&a, &b, G_STRUCT_OFFSET (TsrAgreementRow, percent)) == 0);
    }
  tsr_agreement_unref (async);
}


/* Disagreements and their reconciliation ------------------------------- */

static GListModel *
list_ab (Fixture *f,
         gint64   first,
         gint64   second)
{
  g_autoptr(GError) error = NULL;
  GListModel *list = tsr_project_list_disagreements (f->project, first, second, 0, TSR_AGREEMENT_DEFAULT, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static TsrDisagreement *
item (GListModel *list,
      guint       i)
{
  TsrDisagreement *d = g_list_model_get_item (list, i);

  g_assert_nonnull (d);
  g_object_unref (d);   /* the list keeps it */
  return d;
}

static void
assert_spans (TsrDisagreement     *d,
              TsrDisagreementSide  side,
              const char          *expected)
{
  g_autofree char *text = tsr_disagreement_format_spans (d, side);

  g_assert_cmpstr (text, ==, expected);
}

/* The consensus coder's coverage of @code in document @d, as text. */
static char *
consensus_spans (Fixture *f,
                 guint    d,
                 gint64   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (f->project, &error);
  g_autoptr(GListModel) segments = tsr_project_get_segments (f->project, f->doc[d]);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(TsrSegment) s = g_list_model_get_item (segments, i);

      if (tsr_segment_get_code_id (s) == code &&
          tsr_segment_get_coder_id (s) == tsr_entity_get_id (TSR_ENTITY (consensus)))
        g_string_append_printf (out, "%s%u-%u", out->len ? "," : "", tsr_segment_get_start (s), tsr_segment_get_end (s));
    }
  return g_string_free (out, FALSE);
}

static void
test_disagreements_listed (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) list = list_ab (f, f->ada, f->ben);
  g_autoptr(GError) error = NULL;
  TsrDisagreement *d;

  /* D1 Support: A [20, 80) (two overlapping segments), B [30, 80);
   * D2 Support: only A; D3 Support: only B; D4 Edges: two passages;
   * D5 Hope: [0, 150) against [100, 200) is one passage; D6 Support:
   * only A — B coded nothing in D6, which the table compares as holding
   * no code for B, so the list shows it too.  Everywhere agrees
   * everywhere. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 7);

  d = item (list, 0);
  g_assert_cmpint (tsr_disagreement_get_document_id (d), ==, f->doc[0]);
  g_assert_cmpint (tsr_disagreement_get_code_id (d), ==, f->support);
  g_assert_cmpint (tsr_disagreement_get_coder_a (d), ==, f->ada);
  g_assert_cmpint (tsr_disagreement_get_coder_b (d), ==, f->ben);
  g_assert_cmpint (tsr_disagreement_get_kind (d), ==, TSR_DISAGREEMENT_SPANS_DIFFER);
  g_assert_cmpuint (tsr_disagreement_get_start (d), ==, 20);
  g_assert_cmpuint (tsr_disagreement_get_end (d), ==, 80);
  assert_spans (d, TSR_SIDE_A, "20-80");
  assert_spans (d, TSR_SIDE_B, "30-80");
  assert_spans (d, TSR_SIDE_CONSENSUS, "");
  g_assert_cmpint (tsr_disagreement_get_resolution (d), ==, TSR_RESOLUTION_NONE);
  /* The context reaches 160 characters out, within the document. */
  g_assert_cmpuint (tsr_disagreement_get_context_start (d), ==, 0);
  g_assert_cmpuint (tsr_disagreement_get_context_end (d), ==, 200);

  d = item (list, 1);
  g_assert_cmpint (tsr_disagreement_get_kind (d), ==, TSR_DISAGREEMENT_ONLY_A);
  assert_spans (d, TSR_SIDE_A, "20-40");
  assert_spans (d, TSR_SIDE_B, "");
  d = item (list, 2);
  g_assert_cmpint (tsr_disagreement_get_kind (d), ==, TSR_DISAGREEMENT_ONLY_B);
  assert_spans (d, TSR_SIDE_B, "100-130");

  d = item (list, 3);
  g_assert_cmpint (tsr_disagreement_get_code_id (d), ==, f->edges);
  assert_spans (d, TSR_SIDE_A, "0-100");
  assert_spans (d, TSR_SIDE_B, "0-90");
  d = item (list, 4);
  assert_spans (d, TSR_SIDE_A, "150-200");
  assert_spans (d, TSR_SIDE_B, "150-194");

  d = item (list, 5);
  g_assert_cmpint (tsr_disagreement_get_document_id (d), ==, f->doc[4]);
  g_assert_cmpuint (tsr_disagreement_get_start (d), ==, 0);
  g_assert_cmpuint (tsr_disagreement_get_end (d), ==, 200);
  g_assert_cmpuint (tsr_disagreement_get_context_end (d), ==, 360);

  d = item (list, 6);
  g_assert_cmpint (tsr_disagreement_get_document_id (d), ==, f->doc[5]);
  g_assert_cmpint (tsr_disagreement_get_kind (d), ==, TSR_DISAGREEMENT_ONLY_A);
  assert_spans (d, TSR_SIDE_A, "0-50");
  assert_spans (d, TSR_SIDE_B, "");

  /* Leaving out what a coder did not code leaves D6 out of the list as
   * it does out of the table. */
  {
    g_autoptr(GListModel) missing = tsr_project_list_disagreements (f->project, f->ada, f->ben, 0,
                                                                    TSR_AGREEMENT_UNCODED_AS_MISSING, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (missing), ==, 6);
  }

  /* One code only. */
  {
    g_autoptr(GListModel) hope = tsr_project_list_disagreements (f->project, f->ada, f->ben, f->hope, TSR_AGREEMENT_DEFAULT,
                                                                 NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (hope), ==, 1);
  }

  /* The passage text, by character offsets. */
  {
    g_autofree char *text = tsr_project_get_passage (f->project, f->doc[0], 20, 30, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "uvwxyzabc ");
    g_assert_null (tsr_project_get_passage (f->project, f->doc[0], 20, 201, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (tsr_project_get_passage (f->project, 999, 0, 1, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  }
}

static void
test_disagreements_resolve (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) list = list_ab (f, f->ada, f->ben);
  g_autoptr(GError) error = NULL;
  g_autofree char *spans = NULL;
  TsrDisagreement *d = item (list, 0);
  gboolean ok;

  /* Accept B: the consensus takes [30, 80). */
  ok = tsr_project_resolve_disagreement (f->project, d, TSR_RESOLUTION_ACCEPT_B, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (tsr_disagreement_get_resolution (d), ==, TSR_RESOLUTION_ACCEPT_B);
  spans = consensus_spans (f, 0, f->support);
  g_assert_cmpstr (spans, ==, "30-80");
  g_clear_pointer (&spans, g_free);
  {
    g_autofree char *label = tsr_project_get_undo_label (f->project);
    g_assert_cmpstr (label, ==, "Accept Ben’s coding of “Support” in “D1”");
  }

  /* Listed again (in either coder order), it shows as decided, with the
   * consensus beside it. */
  {
    g_autoptr(GListModel) again = list_ab (f, f->ada, f->ben);
    g_autoptr(GListModel) swapped = list_ab (f, f->ben, f->ada);

    g_assert_cmpint (tsr_disagreement_get_resolution (item (again, 0)), ==, TSR_RESOLUTION_ACCEPT_B);
    assert_spans (item (again, 0), TSR_SIDE_CONSENSUS, "30-80");
    g_assert_cmpint (tsr_disagreement_get_resolution (item (again, 1)), ==, TSR_RESOLUTION_NONE);
    g_assert_cmpint (tsr_disagreement_get_resolution (item (swapped, 0)), ==, TSR_RESOLUTION_ACCEPT_A);
    assert_spans (item (swapped, 0), TSR_SIDE_A, "30-80");
  }

  /* Changing one's mind replaces the decision: both → the union. */
  ok = tsr_project_resolve_disagreement (f->project, d, TSR_RESOLUTION_ACCEPT_BOTH, &error);
  g_assert_no_error (error);
  spans = consensus_spans (f, 0, f->support);
  g_assert_cmpstr (spans, ==, "20-80");
  g_clear_pointer (&spans, g_free);

  /* Accept both where the spans do not touch: D4's Edges [150, 200) vs
   * [150, 194) → [150, 200); reject D2's only-A passage. */
  ok = tsr_project_resolve_disagreement (f->project, item (list, 1), TSR_RESOLUTION_REJECT, &error) &&
       tsr_project_resolve_disagreement (f->project, item (list, 5), TSR_RESOLUTION_ACCEPT_BOTH, &error);
  g_assert_no_error (error);
  spans = consensus_spans (f, 1, f->support);
  g_assert_cmpstr (spans, ==, "");
  g_clear_pointer (&spans, g_free);
  spans = consensus_spans (f, 4, f->hope);
  g_assert_cmpstr (spans, ==, "0-200");
  g_clear_pointer (&spans, g_free);

  /* The theme table's consensus counts see it. */
  {
    g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
    g_autoptr(TsrCounts) counts = tsr_project_compute_counts (f->project, scope, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (tsr_counts_get_code_n (counts, f->support), ==, 1);
    g_assert_cmpuint (tsr_counts_get_code_n (counts, f->hope), ==, 1);
  }

  /* Each decision is one undoable edit, undone exactly. */
  g_assert_true (tsr_project_undo (f->project, &error));   /* Hope both */
  g_assert_true (tsr_project_undo (f->project, &error));   /* D2 reject */
  g_assert_true (tsr_project_undo (f->project, &error));   /* D1 both */
  g_assert_no_error (error);
  spans = consensus_spans (f, 0, f->support);
  g_assert_cmpstr (spans, ==, "30-80");
  g_clear_pointer (&spans, g_free);
  spans = consensus_spans (f, 4, f->hope);
  g_assert_cmpstr (spans, ==, "");
  g_clear_pointer (&spans, g_free);
  {
    g_autoptr(GListModel) again = list_ab (f, f->ada, f->ben);

    g_assert_cmpint (tsr_disagreement_get_resolution (item (again, 0)), ==, TSR_RESOLUTION_ACCEPT_B);
    g_assert_cmpint (tsr_disagreement_get_resolution (item (again, 1)), ==, TSR_RESOLUTION_NONE);
  }
  g_assert_true (tsr_project_undo (f->project, &error));
  spans = consensus_spans (f, 0, f->support);
  g_assert_cmpstr (spans, ==, "");
  g_clear_pointer (&spans, g_free);
  {
    g_autoptr(GListModel) again = list_ab (f, f->ada, f->ben);
    g_assert_cmpint (tsr_disagreement_get_resolution (item (again, 0)), ==, TSR_RESOLUTION_NONE);
  }
  g_assert_true (tsr_project_redo (f->project, &error));
  spans = consensus_spans (f, 0, f->support);
  g_assert_cmpstr (spans, ==, "30-80");
}

static void
test_disagreements_saved (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) list = list_ab (f, f->ada, f->ben);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (tsr_project_get_path (f->project));
  guint resolved = 0;

  g_assert_true (tsr_project_resolve_disagreement (f->project, item (list, 2), TSR_RESOLUTION_ACCEPT_B, &error));
  g_assert_true (tsr_project_resolve_disagreement (f->project, item (list, 3), TSR_RESOLUTION_ACCEPT_A, &error));
  g_assert_no_error (error);

  /* Progress survives closing the project. */
  g_assert_true (tsr_project_close (f->project, &error));
  g_clear_object (&f->project);
  f->project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&list);
  list = list_ab (f, f->ada, f->ben);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    resolved += tsr_disagreement_get_resolution (item (list, i)) != TSR_RESOLUTION_NONE;
  g_assert_cmpuint (resolved, ==, 2);
  g_assert_cmpint (tsr_disagreement_get_resolution (item (list, 3)), ==, TSR_RESOLUTION_ACCEPT_A);

  /* A decision belongs to the coding it was made on: when B recodes D4's
   * Edges passage, it is a new disagreement, unresolved. */
  {
    g_autoptr(GListModel) segments = tsr_project_get_segments (f->project, f->doc[3]);

    for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
      {
        g_autoptr(TsrSegment) s = g_list_model_get_item (segments, i);

        if (tsr_segment_get_coder_id (s) == f->ben && tsr_segment_get_start (s) == 0 &&
            tsr_segment_get_code_id (s) == f->edges)
          g_assert_true (tsr_project_resize_segment (f->project, tsr_entity_get_id (TSR_ENTITY (s)), 0, 95, &error));
      }
    g_assert_no_error (error);
  }
  g_clear_object (&list);
  list = list_ab (f, f->ada, f->ben);
  assert_spans (item (list, 3), TSR_SIDE_B, "0-95");
  g_assert_cmpint (tsr_disagreement_get_resolution (item (list, 3)), ==, TSR_RESOLUTION_NONE);
  g_assert_cmpint (tsr_disagreement_get_resolution (item (list, 2)), ==, TSR_RESOLUTION_ACCEPT_B);
}

static void
test_disagreements_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) list = list_ab (f, f->ada, f->ben);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  TsrDisagreement *stale = item (list, 1);
  guint history = 0;

  /* A passage whose coding changed since it was listed is not resolved
   * on the old coding. */
  seg (f, 1, f->support, f->ben, 25, 40);
  {
    g_autoptr(GPtrArray) entries = tsr_project_list_history (f->project, 0);
    history = entries->len;
  }
  g_assert_false (tsr_project_resolve_disagreement (f->project, stale, TSR_RESOLUTION_ACCEPT_A, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) entries = tsr_project_list_history (f->project, 0);
    g_assert_cmpuint (entries->len, ==, history);
  }

  g_assert_false (tsr_project_resolve_disagreement (f->project, item (list, 0), TSR_RESOLUTION_NONE, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (tsr_project_list_disagreements (f->project, f->ada, f->ada, 0, TSR_AGREEMENT_DEFAULT, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tsr_project_list_disagreements (f->project, f->ada, 4242, 0, TSR_AGREEMENT_DEFAULT, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Comparing a coder with the consensus lists, but does not resolve into
   * the consensus itself. */
  consensus = tsr_project_get_consensus_coder (f->project, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GListModel) with_consensus = NULL;
    gint64 cid = tsr_entity_get_id (TSR_ENTITY (consensus));

    seg (f, 0, f->support, cid, 20, 30);
    /* Every document is compared, as the table compares them: the
     * consensus holds nothing but D1's Support, so each of A's 11
     * passages (D1 two, D2 two, D3 one, D4 three, D5 two, D6 one)
     * differs. */
    with_consensus = list_ab (f, f->ada, cid);
    g_assert_cmpuint (g_list_model_get_n_items (with_consensus), ==, 11);
    g_clear_object (&with_consensus);
    /* D1 only, the one both coded: Support differs, and Everywhere is
     * only A's. */
    with_consensus = tsr_project_list_disagreements (f->project, f->ada, cid, 0, TSR_AGREEMENT_UNCODED_AS_MISSING,
                                                     NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (with_consensus), ==, 2);
    g_assert_false (tsr_project_resolve_disagreement (f->project, item (with_consensus, 0),
                                                      TSR_RESOLUTION_ACCEPT_A, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (tsr_project_adopt_agreements (f->project, cid, f->ada, NULL, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  }
}

static void
test_adopt_agreements (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  guint n = 0;

  /* Everywhere [0, 10) in D1–D5 is the only identical coding. */
  g_assert_true (tsr_project_adopt_agreements (f->project, f->ada, f->ben, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  for (guint d = 0; d < 5; d++)
    {
      g_autofree char *spans = consensus_spans (f, d, f->everywhere);
      g_assert_cmpstr (spans, ==, "0-10");
    }
  {
    g_autofree char *label = tsr_project_get_undo_label (f->project);
    g_assert_cmpstr (label, ==, "Copy the agreed coding to the consensus");
  }

  /* Again: nothing left to copy, nothing recorded. */
  before = tsr_project_list_history (f->project, 0);
  g_assert_true (tsr_project_adopt_agreements (f->project, f->ada, f->ben, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  after = tsr_project_list_history (f->project, 0);
  g_assert_cmpuint (after->len, ==, before->len);

  g_assert_true (tsr_project_undo (f->project, &error));
  {
    g_autofree char *spans = consensus_spans (f, 2, f->everywhere);
    g_assert_cmpstr (spans, ==, "");
  }
}

/* The command line ------------------------------------------------------ */

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  va_list args;

  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

static char *
line_starting (const char *text,
               const char *start)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], start))
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_cli_table (Fixture *f, gconstpointer data)
{
  const char *path = tsr_project_get_path (f->project);
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *line = NULL;

  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "kind\tname\tdocuments\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\t"
                                          "bp_kappa\talpha_documents\tundefined\n"));
  /* The values worked out in test_project_presence and test_project_alpha
   * (α = 2/35 = 0.057; pooled κ 17/23 = 0.739, α 820/1102 = 0.744). */
  line = line_starting (r.out, "code\tSupport\t");
  g_assert_cmpstr (line, ==, "code\tSupport\t6\t1\t2\t1\t2\t50.0\t0.000\t0.000\t0.057\t");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "code\tUnused\t");
  g_assert_cmpstr (line, ==, "code\tUnused\t6\t0\t0\t0\t6\t\t\t\t\tpercent: code-unused; kappa: code-unused; "
                             "bp_kappa: code-unused; alpha_documents: code-unused");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "code\tEverywhere\t");
  g_assert_cmpstr (line, ==, "code\tEverywhere\t6\t5\t0\t0\t1\t100.0\t1.000\t1.000\t1.000\t");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "pooled\t");
  g_assert_cmpstr (line, ==, "pooled\tCodes used (pooled)\t6\t8\t2\t1\t13\t87.5\t0.739\t0.750\t0.744\t");
  g_clear_pointer (&line, g_free);
  g_assert_null (strstr (r.out, "left-out"));
  tsr_test_run_clear (&r);

  /* Leaving out what a coder did not code: D1–D5, and D6 named. */
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--uncoded", "missing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = line_starting (r.out, "code\tSupport\t");
  g_assert_cmpstr (line, ==, "code\tSupport\t5\t1\t1\t1\t2\t60.0\t0.167\t0.200\t0.250\t");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "code\tEverywhere\t");
  g_assert_cmpstr (line, ==, "code\tEverywhere\t5\t5\t0\t0\t0\t100.0\t\t1.000\t\tkappa: chance-is-one; alpha_documents: no-variation");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "pooled\t");
  g_assert_cmpstr (line, ==, "pooled\tCodes used (pooled)\t5\t8\t1\t1\t10\t90.0\t0.798\t0.800\t0.803\t");
  g_clear_pointer (&line, g_free);
  line = line_starting (r.out, "left-out\t");
  g_assert_cmpstr (line, ==, "left-out\tD6\t\t\t\t\t\t\t\t\t\tBen did not code it");
  g_clear_pointer (&line, g_free);
  tsr_test_run_clear (&r);

  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--unit", "segments", "--overlap", "80", NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = line_starting (r.out, "code\tSupport\t");
  g_assert_cmpstr (line, ==, "code\tSupport\t6\t3\t1\t2\t1\t40.0\t0.057\t");
  g_clear_pointer (&line, g_free);
  tsr_test_run_clear (&r);

  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--unit", "characters", NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = line_starting (r.out, "code\tHope\t");
  /* 7/22 would be per document; pooled over 2000 characters: both 50,
   * only A 100, only B 50, neither 1800. */
  g_assert_true (g_str_has_prefix (line, "code\tHope\t6\t50\t100\t50\t1800\t"));
  g_clear_pointer (&line, g_free);
  tsr_test_run_clear (&r);

  /* α over three coders (26/77, worked in test_project_alpha). */
  run_cli (&r, "agreement", path, "--coders", "Ada, Ben, Cy", NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = line_starting (r.out, "code\tSupport\t");
  g_assert_true (g_str_has_suffix (line, "\t0.338\t"));
  g_clear_pointer (&line, g_free);
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada, Ben, Cy", "--uncoded", "missing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  line = line_starting (r.out, "code\tSupport\t");
  g_assert_true (g_str_has_suffix (line, "\t0.469\t"));   /* 23/49 */
}

static void
test_cli_json (Fixture *f, gconstpointer data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *everywhere, *overall, *left_out;

  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben", "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "documents"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (root, "documents_compared"), ==, 6);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "documents_left_out")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "uncoded"), ==, "absent");
  g_assert_cmpstr (json_object_get_string_member (root, "compared"), ==, "all");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "documents_description"),
                                   "6 of 6 documents are compared."));
  overall = json_object_get_object_member (root, "overall");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (overall, "kappa"), 17.0 / 23.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (overall, "alpha_documents"), 820.0 / 1102.0, 1e-12);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (overall, "counts"), "neither"), ==, 13);
  g_assert_cmpint (json_object_get_int_member (root, "codes_pooled"), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "codes_not_pooled")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "codes_not_pooled"), 0),
                   ==, "Unused");
  g_assert_cmpstr (json_object_get_string_member (root, "pooling_description"), ==,
                   "The pooled row pools the 4 codes of 5 that Ada or Ben applied in the documents compared. "
                   "The 1 code neither applied is left out, as it would add only agreement that it is absent: "
                   "“Unused”.");
  tsr_test_run_clear (&r);

  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben", "--format", "json",
           "--uncoded", "missing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "documents_compared"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (root, "uncoded"), ==, "missing");
  g_assert_cmpstr (json_object_get_string_member (root, "compared"), ==, "coded");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "documents_left_out")), ==, 1);
  left_out = json_array_get_object_element (json_object_get_array_member (root, "documents_left_out"), 0);
  g_assert_cmpstr (json_object_get_string_member (left_out, "document"), ==, "D6");
  g_assert_cmpstr (json_object_get_string_member (left_out, "coded_by"), ==, "a-only");
  g_assert_cmpstr (json_object_get_string_member (left_out, "reason"), ==, "Ben did not code it");
  everywhere = json_array_get_object_element (json_object_get_array_member (root, "codes"), 3);
  g_assert_cmpstr (json_object_get_string_member (everywhere, "path"), ==, "Everywhere");
  g_assert_true (json_object_get_null_member (everywhere, "kappa"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (everywhere, "undefined"), "kappa"),
                   ==, "chance-is-one");
  overall = json_object_get_object_member (root, "overall");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (overall, "kappa"), 158.0 / 198.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (overall, "alpha_documents"), 636.0 / 792.0, 1e-12);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (overall, "counts"), "neither"), ==, 10);
}

static void
test_cli_exports (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "agreement.csv", NULL);
  g_autofree char *docx = g_build_filename (f->dir, "agreement.docx", NULL);
  g_autofree char *html = g_build_filename (f->dir, "agreement.html", NULL);
  g_autofree char *contents = NULL;
  g_auto(TsrTestRun) r = { 0 };
  gsize length;

  /* A name that CSV must quote. */
  g_assert_true (tsr_project_rename_code (f->project, f->hope, "Hope, and \"fear\"", &error));
  g_assert_no_error (error);

  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben",
           "--format", "csv", "--out", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "Code,Documents,Both,Only A,Only B,Neither,Agreement %,"));
  g_assert_nonnull (strstr (contents, "\"Hope, and \"\"fear\"\"\",6,1,0,0,5,100.0,1.000,1.000,1.000\r\n"));
  g_assert_nonnull (strstr (contents, "Support,6,1,2,1,2,50.0,0.000,0.000,0.057\r\n"));
  g_assert_null (strstr (contents, "Left out"));
  g_clear_pointer (&contents, g_free);
  tsr_test_run_clear (&r);

  /* Leaving out what a coder did not code: the count and the names are
   * in the CSV too. */
  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben", "--uncoded", "missing",
           "--format", "csv", "--out", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (csv, &contents, &length, NULL));
  g_assert_nonnull (strstr (contents, "Support,5,1,1,1,2,60.0,0.167,0.200,0.250\r\n"));
  g_assert_true (g_str_has_suffix (contents, "\r\nLeft out: “D6” (Ben did not code it),,,,,,,,,\r\n"));
  g_clear_pointer (&contents, g_free);
  tsr_test_run_clear (&r);

  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben",
           "--format", "docx", "--out", docx, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (docx, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_true (memcmp (contents, "PK\x03\x04", 4) == 0);
  g_clear_pointer (&contents, g_free);
  tsr_test_run_clear (&r);

  run_cli (&r, "agreement", tsr_project_get_path (f->project), "--coders", "Ada,Ben", "--unit", "segments",
           "--format", "html", "--out", html, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (html, &contents, &length, NULL));
  g_assert_nonnull (strstr (contents, "<table"));
  /* The caption in APA title case. */
  g_assert_nonnull (strstr (contents, "Overlapping by at Least 90%"));
  g_assert_nonnull (strstr (contents, "segments that only touch stay separate"));
  g_assert_nonnull (strstr (contents, "(6 of 6 Documents Compared)"));
  g_assert_nonnull (strstr (contents, "6 of 6 documents are compared. A document a coder did not code at all counts "
                                      "as one where that coder applied none of the codes (1 document Ben did not "
                                      "code)."));
  g_assert_nonnull (strstr (contents, "Neither coder applied this code"));
  g_assert_nonnull (strstr (contents, "The 1 code neither applied is left out"));
  g_assert_nonnull (strstr (contents, "Codes used (pooled)"));
}

/* A segment running past its document's end cannot reach the agreement:
 * importing a JSON export refuses it, naming it, and the agreement cuts
 * one it finds at the document's end rather than counting a negative
 * "coded by neither" (which TSV showed wrapped to 2⁶⁴). */
static void
test_segment_past_end (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json_path = g_build_filename (f->dir, "export.json", NULL);
  g_autofree char *edited_path = g_build_filename (f->dir, "edited.json", NULL);
  g_autofree char *imported = g_build_filename (f->dir, "imported.tessera", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(TsrTestRun) r = { 0 };
  JsonArray *segments;
  gint64 segment_id = 0;

  /* A's Hope in D5 is [0, 150) of 1000 characters: make it [0, 1500). */
  run_cli (&r, "export-json", tsr_project_get_path (f->project), "--out", json_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  tsr_test_run_clear (&r);
  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  segments = json_object_get_array_member (json_object_get_object_member (
                 json_node_get_object (json_parser_get_root (parser)), "tables"), "segments");
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *row = json_array_get_object_element (segments, i);

      if (json_object_get_int_member (row, "code_id") == f->hope &&
          json_object_get_int_member (row, "coder_id") == f->ada)
        {
          json_object_set_int_member (row, "end", 1500);
          segment_id = json_object_get_int_member (row, "id");
        }
    }
  g_assert_cmpint (segment_id, >, 0);
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, json_parser_get_root (parser));
    g_assert_true (json_generator_to_file (generator, edited_path, &error));
    g_assert_no_error (error);
  }

  run_cli (&r, "import-json", edited_path, imported, NULL);
  g_assert_cmpint (r.status, ==, 1);
  expected = g_strdup_printf ("the segment %" G_GINT64_FORMAT " of the document “D5” runs from character 0 to "
                              "1500, past the document’s end (1000 characters)", segment_id);
  g_assert_nonnull (strstr (r.err, expected));
  g_assert_false (g_file_test (imported, G_FILE_TEST_EXISTS));
  tsr_test_run_clear (&r);

  /* The same segment written behind Tessera's back: the agreement counts
   * A's Hope in D5 as [0, 1000).  D5 against B's [100, 200): both 100,
   * only A 900, only B 0, neither 0; over the 2000 characters of D1–D6,
   * neither 1000. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE segments SET end = 1500 WHERE id = %" G_GINT64_FORMAT,
                                            segment_id);
    g_autoptr(TsrAgreement) agreement = NULL;
    TsrAgreementCell cell;
    TsrAgreementRow row;

    g_assert_true (tsr_database_exec (_tsr_project_get_database (f->project), sql, &error));
    g_assert_no_error (error);
    agreement = compute_ab (f, 90, TSR_AGREEMENT_DEFAULT);
    g_assert_true (tsr_agreement_get_cell (agreement, f->hope, 0, &cell));
    g_assert_cmpuint (cell.both, ==, 100);
    g_assert_cmpuint (cell.only_a, ==, 900);
    g_assert_cmpuint (cell.only_b, ==, 0);
    g_assert_cmpuint (cell.neither, ==, 0);
    row = row_of (agreement, f->hope, TSR_AGREEMENT_CHARACTERS);
    assert_table (row, 100, 900, 0, 1000);
  }
}

/* Without --coders, the project's two coders — the consensus coder is
 * not one of them. */
static void
test_cli_default_coders (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "two.tessera", NULL);
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrCoder) consensus = NULL;
  g_auto(TsrTestRun) r = { 0 };
  gint64 doc, code, ada;

  g_assert_no_error (error);
  doc = tsr_project_add_document (project, "One", "A short text to code.", NULL, &error);
  code = tsr_project_create_code (project, 0, "Hope", NULL, NULL, &error);
  ada = coder_id (tsr_project_ensure_coder (project, "Ada", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, doc, code, ada, 0, 7, &error), >, 0);
  g_assert_true (tsr_project_close (project, &error));
  g_clear_object (&project);

  /* One coder: nothing to compare, and it says who there is. */
  run_cli (&r, "agreement", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "This project has 1 coder besides the consensus (Ada); agreement needs two"));
  tsr_test_run_clear (&r);

  /* Two coders and the consensus: the two.  Both coded Hope in the one
   * document (and the consensus too). */
  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  {
    gint64 ben = coder_id (tsr_project_ensure_coder (project, "Ben", &error));

    g_assert_cmpint (tsr_project_add_segment_for_coder (project, doc, code, ben, 0, 7, &error), >, 0);
  }
  consensus = tsr_project_get_consensus_coder (project, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment_for_coder (project, doc, code, tsr_entity_get_id (TSR_ENTITY (consensus)),
                                                      0, 3, &error), >, 0);
  g_assert_true (tsr_project_close (project, &error));
  g_clear_object (&project);

  run_cli (&r, "agreement", path, "--format", "json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"coders\" : [\n    \"Ada\",\n    \"Ben\"\n  ]"));
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\ncode\tHope\t1\t1\t0\t0\t0\t100.0\t"));

  tsr_test_remove_tree (dir);
}

static void
test_cli_errors (Fixture *f, gconstpointer data)
{
  const char *path = tsr_project_get_path (f->project);
  g_auto(TsrTestRun) r = { 0 };

  run_cli (&r, "agreement", path, "--coders", "Ada", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);
  /* Three coders: which two is the user's to say. */
  run_cli (&r, "agreement", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "This project has 3 coders besides the consensus (Ada, Ben, Cy): "
                                   "name the ones to compare with --coders A,B"));
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Nobody", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no coder “Nobody” in this project"));
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ada", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "cannot be compared with themselves"));
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--unit", "words", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--overlap", "0", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--overlap", "ninety", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--format", "docx", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);
  run_cli (&r, "agreement", path, "--coders", "Ada,Ben", "--uncoded", "maybe", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/agreement/kappa/wikipedia", test_kappa_wikipedia);
  g_test_add_func ("/tessera/agreement/kappa/by-hand", test_kappa_by_hand);
  g_test_add_func ("/tessera/agreement/kappa/undefined", test_kappa_undefined);
  g_test_add_func ("/tessera/agreement/rounding", test_rounding);
  g_test_add_func ("/tessera/agreement/alpha/krippendorff-2011", test_alpha_krippendorff_2011);
  g_test_add_func ("/tessera/agreement/alpha/wikipedia", test_alpha_wikipedia);
  g_test_add_func ("/tessera/agreement/alpha/binary-by-hand", test_alpha_binary_by_hand);
  g_test_add_func ("/tessera/agreement/alpha/undefined", test_alpha_undefined);
  g_test_add_func ("/tessera/agreement/alpha/pooling", test_alpha_pooling);

#define ADD(path, func) \
  g_test_add ("/tessera/agreement/project/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("codes-in-tree-order", test_project_codes_in_tree_order);
  ADD ("presence", test_project_presence);
  g_test_add_func ("/tessera/agreement/project/uncoded-default", test_project_uncoded_default);
  g_test_add_func ("/tessera/agreement/project/done", test_project_done);
  g_test_add_func ("/tessera/agreement/project/rolled-up", test_project_rolled_up);
  ADD ("characters", test_project_characters);
  ADD ("segments", test_project_segments);
  g_test_add_func ("/tessera/agreement/project/document-mean", test_project_document_mean);
  g_test_add_func ("/tessera/agreement/project/touching-segments", test_project_touching_segments);
  ADD ("alpha", test_project_alpha);
  ADD ("no-documents-in-common", test_project_no_documents_in_common);
  ADD ("bad-requests", test_project_bad_requests);
  ADD ("async", test_project_async);
  ADD ("disagreements/listed", test_disagreements_listed);
  ADD ("disagreements/resolve", test_disagreements_resolve);
  ADD ("disagreements/saved", test_disagreements_saved);
  ADD ("disagreements/errors", test_disagreements_errors);
  ADD ("disagreements/adopt-agreements", test_adopt_agreements);
  ADD ("cli/table", test_cli_table);
  ADD ("cli/json", test_cli_json);
  ADD ("cli/exports", test_cli_exports);
  ADD ("cli/errors", test_cli_errors);
  ADD ("segment-past-end", test_segment_past_end);
  g_test_add_func ("/tessera/agreement/cli/default-coders", test_cli_default_coders);
#undef ADD

  return g_test_run ();
}
