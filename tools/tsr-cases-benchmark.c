/* tsr-cases-benchmark.c — times cases, attributes and the comparison
 * matrix on a large project
 *
 * Takes a project that tools/tsr-benchmark made and kept (10,000
 * documents and 1,000,000 segments for the figures in the README), adds
 * 100 cases of 100 documents each and 5 document attributes unless the
 * project has them already (deterministically: the same project gets the
 * same cases and values), then times what issue 16 sets bars for: the
 * code × case matrix (under 300 ms), the other matrices, the passages of
 * one cell, reading a sheet's values, and a recount in a case's scope
 * (under 150 ms).  Each figure is printed as `name: value unit`.
 *
 *   build/tools/tsr-benchmark --documents 10000 --segments 1000000 --keep --dir /tmp/bench
 *   build/tools/tsr-cases-benchmark /tmp/bench/benchmark.tessera
 *
 * It writes to the project: run it on a copy you can spare.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "tessera.h"

#define N_CASES       100
#define N_RUNS        5

static const char * const attribute_names[] = { "dyad", "role", "specialty", "years", "interviewed" };
static const TsrAttributeType attribute_types[] = {
  TSR_ATTRIBUTE_INTEGER, TSR_ATTRIBUTE_TEXT, TSR_ATTRIBUTE_TEXT, TSR_ATTRIBUTE_INTEGER, TSR_ATTRIBUTE_DATE,
};
static const char * const roles[] = { "clinician", "patient" };
static const char * const specialties[] = { "family medicine", "internal medicine", "pediatrics", "geriatrics" };

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-cases-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* 100 cases of consecutive documents, and the 5 attributes, in a few
 * large edits with history off. */
static void
add_cases_and_attributes (TsrProject *project)
{
  g_autoptr(GListModel) documents = tsr_project_get_documents (project);
  g_autoptr(GListModel) cases = tsr_project_get_cases (project);
  g_autoptr(GError) error = NULL;
  guint n_documents = g_list_model_get_n_items (documents);
  guint per_case = MAX (1, n_documents / N_CASES);
  gint64 attribute_ids[G_N_ELEMENTS (attribute_names)];
  g_autoptr(GArray) doc_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (g_list_model_get_n_items (cases) >= N_CASES)
    return;

  for (guint i = 0; i < n_documents; i++)
    {
      g_autoptr(TsrDocument) d = g_list_model_get_item (documents, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (d));

      g_array_append_val (doc_ids, id);
    }

  tsr_project_set_history_enabled (project, FALSE);
  tsr_project_begin_group (project, "Cases");
  for (guint c = 0; c < N_CASES; c++)
    {
      g_autofree char *name = g_strdup_printf ("Dyad %03u", c + 1);
      gint64 id = tsr_project_create_case (project, name, &error);
      guint first = c * per_case;
      guint n = MIN (per_case, n_documents > first ? n_documents - first : 0);

      if (id == 0)
        die ("create a case", error);
      if (n > 0 && tsr_project_set_case_documents (project, id, &g_array_index (doc_ids, gint64, first), n,
                                                   TRUE, &error) < 0)
        die ("assign documents", error);
    }
  if (!tsr_project_end_group (project, &error))
    die ("cases", error);

  tsr_project_begin_group (project, "Attributes");
  for (guint a = 0; a < G_N_ELEMENTS (attribute_names); a++)
    {
      attribute_ids[a] = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, attribute_names[a],
                                                       attribute_types[a], &error);
      if (attribute_ids[a] == 0)
        die ("define an attribute", error);
    }
  for (guint i = 0; i < doc_ids->len; i++)
    {
      gint64 id = g_array_index (doc_ids, gint64, i);
      g_autofree char *dyad = g_strdup_printf ("%u", i / per_case + 1);
      g_autofree char *years = g_strdup_printf ("%u", 1 + (i * 7) % 35);
      g_autofree char *date = g_strdup_printf ("2024-%02u-%02u", 1 + i % 12, 1 + i % 28);
      const char *values[] = { dyad, roles[i % 2], specialties[(i / 2) % 4], years, date };

      for (guint a = 0; a < G_N_ELEMENTS (attribute_names); a++)
        if (!tsr_project_set_attribute_value (project, attribute_ids[a], id, values[a], &error))
          die ("set a value", error);
    }
  if (!tsr_project_end_group (project, &error))
    die ("attributes", error);
  tsr_project_set_history_enabled (project, TRUE);
}

typedef struct
{
  TsrCoderMode  mode;
  TsrMatrixRows rows;
  gboolean      by_case;
  const char   *attribute;
} MatrixRun;

static TsrMatrix *
timed_matrix (TsrProject      *project,
              const MatrixRun *run,
              const char      *name)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (run->mode, 0);
  TsrMatrix *matrix = NULL;
  double ms[N_RUNS];

  for (guint i = 0; i < N_RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&matrix, tsr_matrix_unref);
      matrix = tsr_project_build_matrix_full (project, scope, run->rows, run->by_case, run->attribute, NULL, &error);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (matrix == NULL)
        die (name, error);
    }
  g_print ("%s (%u × %u, median of %u): %.3f ms\n", name, tsr_matrix_get_n_rows (matrix),
           tsr_matrix_get_n_columns (matrix), N_RUNS, median (ms, N_RUNS));
  return matrix;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrMatrix) matrix = NULL;
  g_autoptr(GListModel) cases = NULL;
  g_autoptr(GListModel) attributes = NULL;
  static const MatrixRun runs[] = {
    { TSR_CODERS_CONSENSUS, TSR_MATRIX_ROWS_CODES, TRUE, NULL },
    { TSR_CODERS_CONSENSUS, TSR_MATRIX_ROWS_THEMES, TRUE, NULL },
    { TSR_CODERS_CONSENSUS, TSR_MATRIX_ROWS_CODES, FALSE, "role" },
    { TSR_CODERS_CONSENSUS, TSR_MATRIX_ROWS_CODES, TRUE, "role" },
    { TSR_CODERS_ANY, TSR_MATRIX_ROWS_CODES, TRUE, NULL },
  };
  static const char * const run_names[] = {
    "matrix codes × cases, consensus",
    "matrix themes × cases, consensus",
    "matrix codes × role, consensus",
    "matrix codes × cases split by role, consensus",
    "matrix codes × cases, any coder",
  };
  double ms[N_RUNS];
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc != 2)
    {
      g_printerr ("usage: tsr-cases-benchmark PROJECT (made by tsr-benchmark --keep)\n");
      return 2;
    }

  project = tsr_project_open (argv[1], &error);
  if (project == NULL)
    die ("open", error);
  if (!tsr_project_set_current_coder_name (project, "Coder A", &error))
    die ("coder", error);

  start = g_get_monotonic_time ();
  add_cases_and_attributes (project);
  g_print ("tsr-cases-benchmark (Tessera %s)\n", PACKAGE_VERSION);
  g_print ("adding %u cases and %u attributes (once): %.2f s\n", N_CASES, (guint) G_N_ELEMENTS (attribute_names),
           (g_get_monotonic_time () - start) / 1e6);
  cases = tsr_project_get_cases (project);
  attributes = tsr_project_get_attributes (project);
  g_print ("cases: %u\nattributes: %u\n", g_list_model_get_n_items (cases), g_list_model_get_n_items (attributes));

  /* Warm the page cache once, as an open project's would be. */
  tsr_matrix_unref (timed_matrix (project, &runs[0], "warm-up"));

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_clear_pointer (&matrix, tsr_matrix_unref);
      matrix = timed_matrix (project, &runs[r], run_names[r]);
    }

  /* The passages behind one cell of the last matrix: its busiest. */
  {
    guint best_r = 0, best_c = 0;
    g_autoptr(GPtrArray) passages = NULL;

    for (guint r = 0; r < tsr_matrix_get_n_rows (matrix); r++)
      for (guint c = 0; c < tsr_matrix_get_n_columns (matrix); c++)
        if (tsr_matrix_get_passages (matrix, r, c) > tsr_matrix_get_passages (matrix, best_r, best_c))
          best_r = r, best_c = c;
    for (guint i = 0; i < N_RUNS; i++)
      {
        start = g_get_monotonic_time ();
        g_clear_pointer (&passages, g_ptr_array_unref);
        passages = tsr_matrix_list_passages (matrix, project, best_r, best_c, &error);
        ms[i] = (g_get_monotonic_time () - start) / 1000.0;
        if (passages == NULL)
          die ("list a cell's passages", error);
      }
    g_print ("a cell's passages (%u passages, median of %u): %.3f ms\n", passages->len, N_RUNS, median (ms, N_RUNS));
  }

  /* The sheet: every value of every attribute. */
  for (guint i = 0; i < N_RUNS; i++)
    {
      guint n = 0;

      start = g_get_monotonic_time ();
      for (guint a = 0; a < g_list_model_get_n_items (attributes); a++)
        {
          g_autoptr(TsrAttribute) attr = g_list_model_get_item (attributes, a);
          g_autoptr(GHashTable) values = tsr_project_list_attribute_values (project, tsr_entity_get_id (TSR_ENTITY (attr)));

          n += g_hash_table_size (values);
        }
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (i == 0)
        g_print ("sheet values: %u\n", n);
    }
  g_print ("sheet values, every attribute (median of %u): %.3f ms\n", N_RUNS, median (ms, N_RUNS));

  /* A scope change: the counts of one case, then of one attribute value. */
  {
    g_autoptr(TsrCase) c = g_list_model_get_item (cases, 3);
    g_autoptr(TsrAttribute) role = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, "role");
    g_autoptr(TsrScope) by_case = tsr_project_dup_default_scope (project);
    g_autoptr(TsrScope) by_value = tsr_project_dup_default_scope (project);

    tsr_scope_set_case (by_case, tsr_entity_get_id (TSR_ENTITY (c)));
    tsr_scope_set_attribute (by_value, tsr_entity_get_id (TSR_ENTITY (role)), "patient");
    for (guint k = 0; k < 2; k++)
      {
        for (guint i = 0; i < N_RUNS; i++)
          {
            g_autoptr(TsrCounts) counts = NULL;

            start = g_get_monotonic_time ();
            counts = tsr_project_compute_counts (project, k == 0 ? by_case : by_value, NULL, &error);
            ms[i] = (g_get_monotonic_time () - start) / 1000.0;
            if (counts == NULL)
              die ("counts", error);
          }
        g_print ("%s (median of %u): %.3f ms\n",
                 k == 0 ? "recount in one case's scope" : "recount in one attribute value's scope",
                 N_RUNS, median (ms, N_RUNS));
      }
  }

  /* The rule "every document whose dyad is 3". */
  {
    g_autoptr(TsrAttribute) dyad = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, "dyad");
    g_autoptr(GArray) ids = NULL;

    start = g_get_monotonic_time ();
    ids = tsr_project_list_documents_with_value (project, tsr_entity_get_id (TSR_ENTITY (dyad)), "3", &error);
    if (ids == NULL)
      die ("rule", error);
    g_print ("documents whose dyad is 3 (%u): %.3f ms\n", ids->len, (g_get_monotonic_time () - start) / 1000.0);
  }

  if (!tsr_project_close (project, &error))
    die ("close", error);
  return 0;
}
