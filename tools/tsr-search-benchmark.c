/* tsr-search-benchmark.c — times the full-text index and the search
 *
 * Imports the same generated corpus (a GRand with a fixed seed; 10,000
 * documents of about 5,000 characters by default) twice: into a project
 * whose index triggers and tables were dropped, and into an ordinary
 * one, and prints what the index adds to the import's time and to the
 * file, and how long the trigram index then takes to catch up (outside
 * the import, as the first substring search does).  --index=words or
 * --index=trigrams keeps only that index, in the import's transaction,
 * to see what each costs.  Then times, on the indexed project, a word search, a phrase, a
 * substring (trigram) and the concordance of 10,000 hits.  Words the
 * searches look for are planted at known rates: "whipple" in 1 % of the
 * documents, the phrase "quiet courage" in 1 %, "keystone" ten times in
 * each of 1,000 documents.  Each figure is printed on its own line as
 * `name: value unit`; searches are the median of five runs.
 *
 * It is a program, not a timed test: timings depend on the machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tessera.h"
#include "tsr-database-private.h"
#include "tsr-project-private.h"

#define DOCUMENT_BATCH 1000
#define N_RUNS         5

static const char * const words[] = {
  "the", "a", "and", "of", "to", "in", "that", "it", "was", "for", "on", "with",
  "patient", "nurse", "doctor", "ward", "shift", "family", "team", "care", "time",
  "hope", "fear", "grief", "relief", "support", "trust", "remember", "felt", "said",
  "small", "kind", "gentle", "difficult", "together", "alone", "purpose", "dignity",
  "café", "naïve", "Zürich", "λόγος", "日本", "🙂",
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-search-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* The process's CPU time in ms: on a machine busy with other work the
 * wall-clock time is mostly waiting for a core. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  g_qsort_with_data (values, n, sizeof (double), compare_doubles, NULL);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static char *
make_text (GRand *rand,
           guint  index,
           guint  target)
{
  GString *text = g_string_sized_new (target + target / 4);
  guint chars = 0, n_words = 0;

  while (chars < target)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

      if (index % 100 == 0 && n_words == 40)
        word = "Whipple";
      else if (index % 100 == 50 && n_words == 60)
        word = "quiet courage";
      else if (index % 10 == 5 && n_words % 50 == 25 && n_words < 500)
        word = "keystone";

      if (chars > 0)
        {
          g_string_append_c (text, g_rand_int_range (rand, 0, 15) == 0 ? '\n' : ' ');
          chars++;
        }
      g_string_append (text, word);
      chars += g_utf8_strlen (word, -1);
      n_words++;
    }
  return g_string_free (text, FALSE);
}

static double
import_corpus (TsrProject *project,
               guint       n_documents,
               guint       length)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  g_autoptr(GError) error = NULL;
  double total = 0;

  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("Interview %05u", i + 1);
      g_autofree char *text = make_text (rand, i, length);
      gint64 start;

      /* Only the import is timed, not making the text. */
      start = g_get_monotonic_time ();
      if (i % DOCUMENT_BATCH == 0)
        tsr_project_begin_group (project, "Import documents");
      if (tsr_project_add_document (project, name, text, NULL, &error) == 0)
        die ("importing", error);
      if ((i % DOCUMENT_BATCH == DOCUMENT_BATCH - 1 || i == n_documents - 1) &&
          !tsr_project_end_group (project, &error))
        die ("importing", error);
      total += ms_since (start);
    }
  return total;
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return st.st_size / (1024.0 * 1024.0);
}

/* Which indexes the indexed project keeps: "both" as Tessera does, or
 * "words" or "trigrams" alone, to see what each costs. */
static const char *only_index = "both";

static TsrProject *
create (const char *path,
        gboolean    with_index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrCoder) coder = NULL;

  if (project == NULL)
    die ("creating the project", error);
  if (!(coder = tsr_project_confirm_coder (project, "Bench", &error)))
    die ("naming the coder", error);
  if (!with_index &&
      !tsr_database_exec (_tsr_project_get_database (project),
                          "DROP TRIGGER search_texts_insert; DROP TRIGGER search_texts_delete;"
                          " DROP TRIGGER search_texts_update;"
                          " DROP TABLE search_words; DROP TABLE search_trigrams", &error))
    die ("dropping the index", error);
  if (with_index && g_strcmp0 (only_index, "both") != 0)
    {
      gboolean keep_words = g_strcmp0 (only_index, "words") == 0;
      g_autofree char *sql = g_strdup_printf (
        "DROP TRIGGER search_texts_insert; DROP TRIGGER search_texts_delete;"
        " DROP TRIGGER search_texts_update; DROP TABLE %s;"
        " CREATE TRIGGER search_texts_insert AFTER INSERT ON document_texts BEGIN"
        "  INSERT INTO %s (rowid, text) VALUES (new.document_id, new.text);"
        " END;",
        keep_words ? "search_trigrams" : "search_words", keep_words ? "search_words" : "search_trigrams");

      if (!keep_words && g_strcmp0 (only_index, "trigrams") != 0)
        die ("--index must be both, words or trigrams", NULL);
      if (!tsr_database_exec (_tsr_project_get_database (project), sql, &error))
        die ("keeping one index", error);
    }
  return g_steal_pointer (&project);
}

static double
time_search (TsrProject    *project,
             const char    *query,
             TsrSearchMode  mode,
             guint         *n_hits,
             guint         *n_documents)
{
  double runs[N_RUNS];

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) hits = NULL;
      gint64 start = g_get_monotonic_time ();

      if (!(hits = tsr_project_search (project, query, mode, NULL, NULL, &error)))
        die (query, error);
      runs[r] = ms_since (start);
      *n_hits = hits->len;
      *n_documents = 0;
      for (guint i = 0; i < hits->len; i++)
        if (i == 0 || g_array_index (hits, TsrSearchHit, i).document_id !=
                      g_array_index (hits, TsrSearchHit, i - 1).document_id)
          (*n_documents)++;
    }
  return median (runs, N_RUNS);
}

/* Codes 20,000 passages (written directly: the coding itself is not
 * what is timed) and times retrieving them with 80 characters of
 * context, as the app's passages view asks. */
static void
time_retrieval (TsrProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autofree char *sql = NULL;
  TsrCoder *coder = tsr_project_get_current_coder (project);
  double runs[N_RUNS], cpu[N_RUNS];
  guint n = 0;
  gint64 code;

  {
    g_autoptr(TsrCode) kept = tsr_project_find_code (project, "Retrieved");

    /* A project kept by an earlier run has its passages already. */
    code = kept ? tsr_entity_get_id (TSR_ENTITY (kept)) : 0;
  }
  if (code == 0)
    {
      if ((code = tsr_project_create_code (project, 0, "Retrieved", "#3584e4", NULL, &error)) == 0)
        die ("creating the code", error);
      sql = g_strdup_printf ("INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                             " SELECT lower (hex (randomblob (16))), d.id, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ","
                             " k.s, k.s + 60, substr (t.text, k.s + 1, 60), 0"
                             " FROM documents d JOIN document_texts t ON t.document_id = d.id"
                             " CROSS JOIN (SELECT 500 AS s UNION ALL SELECT 3000) k"
                             " ORDER BY d.id LIMIT 20000",
                             code, tsr_entity_get_id (TSR_ENTITY (coder)));
      if (!tsr_database_exec (_tsr_project_get_database (project), sql, &error))
        die ("coding the passages", error);
    }

  tsr_retrieve_query_add_code (query, code);
  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(GListModel) passages = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();

      if (!(passages = tsr_project_retrieve (project, query, NULL, &error)))
        die ("retrieving", error);
      runs[r] = ms_since (start);
      cpu[r] = cpu_ms () - cpu_start;
      n = g_list_model_get_n_items (passages);
    }
  printf ("retrieval of a code with %u passages (80 characters each side): %.1f ms (CPU %.1f ms)\n",
          n, median (runs, N_RUNS), median (cpu, N_RUNS));
}

/* Times the word frequencies over every document, English stop words
 * left out (one run: it reads every text). */
static void
time_words (TsrProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrWordsQuery) query = tsr_words_query_new ();
  g_autoptr(GPtrArray) table = NULL;
  guint64 n_words = 0;
  gint64 start;
  double cpu_start;

  if (!tsr_words_query_add_stop_words (query, "en", &error))
    die ("stop words", error);
  start = g_get_monotonic_time ();
  cpu_start = cpu_ms ();
  if (!(table = tsr_project_count_words (project, query, &n_words, NULL, &error)))
    die ("word frequencies", error);
  printf ("word frequencies over every document (%" G_GUINT64_FORMAT " words counted, %u distinct): %.1f ms (CPU %.1f ms)\n",
          n_words, table->len, ms_since (start), cpu_ms () - cpu_start);
}

/* Times the searches and the concordance on the indexed project. */
static void
time_searches (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) indexed = NULL;
  g_autoptr(GArray) hits = NULL;
  double runs[N_RUNS];
  guint n_hits = 0, n_docs = 0;

  if (!(indexed = tsr_project_open (path, &error)))
    die ("reopening", error);

  {
    static const struct { const char *label; const char *query; TsrSearchMode mode; } searches[] = {
      { "word search (whipple)", "whipple", TSR_SEARCH_WORDS },
      { "phrase search (\"quiet courage\")", "\"quiet courage\"", TSR_SEARCH_WORDS },
      { "substring search (hippl)", "hippl", TSR_SEARCH_SUBSTRING },
      { "word search (keystone)", "keystone", TSR_SEARCH_WORDS },
    };

    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        double ms = time_search (indexed, searches[i].query, searches[i].mode, &n_hits, &n_docs);

        printf ("%s: %.1f ms (%u hits in %u documents)\n", searches[i].label, ms, n_hits, n_docs);
      }
  }

  if (!(hits = tsr_project_search (indexed, "keystone", TSR_SEARCH_WORDS, NULL, NULL, &error)))
    die ("keystone", error);
  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(GPtrArray) lines = NULL;
      gint64 start = g_get_monotonic_time ();

      if (!(lines = tsr_project_concordance (indexed, hits, 40, &error)))
        die ("concordance", error);
      runs[r] = ms_since (start);
    }
  printf ("concordance of %u hits (40 characters each side): %.1f ms\n", hits->len, median (runs, N_RUNS));

  time_retrieval (indexed);
  time_words (indexed);

  tsr_project_close (indexed, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the full-text index and search");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) plain = NULL;
  g_autoptr(TsrProject) indexed = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *plain_path = NULL;
  g_autofree char *indexed_path = NULL;
  g_autofree char *reuse = NULL;
  int n_documents = 10000, length = 5000;
  double import_plain, import_indexed, mb_plain, mb_indexed, catch_up = 0;
  const GOptionEntry entries[] = {
    { "documents", 'n', 0, G_OPTION_ARG_INT, &n_documents, "How many documents (10000)", "N" },
    { "length", 'l', 0, G_OPTION_ARG_INT, &length, "Characters per document (5000)", "N" },
    { "reuse", 0, 0, G_OPTION_ARG_FILENAME, &reuse,
      "Time only the searches and the retrieval, on a project an earlier run kept (TSR_BENCHMARK_KEEP)", "FILE" },
    { "index", 'i', 0, G_OPTION_ARG_STRING, &only_index,
      "Time the import with both indexes, or only words or trigrams (both)", "WHICH" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_documents < 1 || length < 100)
    die ("options", NULL);
  if (reuse != NULL)
    {
      time_searches (reuse);
      return 0;
    }

  if (!(dir = g_dir_make_tmp ("tsr-search-bench-XXXXXX", &error)))
    die ("temporary folder", error);
  plain_path = g_build_filename (dir, "plain.tessera", NULL);
  indexed_path = g_build_filename (dir, "indexed.tessera", NULL);

  printf ("documents: %d\n", n_documents);
  printf ("characters per document: %d\n", length);

  plain = create (plain_path, FALSE);
  import_plain = import_corpus (plain, n_documents, length);
  if (!tsr_project_close (plain, &error))
    die ("closing", error);
  mb_plain = file_mb (plain_path);

  indexed = create (indexed_path, TRUE);
  import_indexed = import_corpus (indexed, n_documents, length);
  {
    gint64 start = g_get_monotonic_time ();

    /* What the first substring search does before it searches. */
    if (g_strcmp0 (only_index, "both") == 0 &&
        !tsr_project_complete_index (indexed, 0, NULL, NULL, &error))
      die ("completing the trigram index", error);
    catch_up = ms_since (start);
  }
  if (!tsr_project_close (indexed, &error))
    die ("closing", error);
  mb_indexed = file_mb (indexed_path);
  g_clear_object (&indexed);

  printf ("import without index: %.0f ms\n", import_plain);
  printf ("import with index: %.0f ms\n", import_indexed);
  printf ("index adds to import: %.0f %%\n", 100.0 * (import_indexed - import_plain) / import_plain);
  printf ("trigram index catching up after the import: %.0f ms\n", catch_up);
  printf ("file without index: %.1f MB\n", mb_plain);
  printf ("file with index: %.1f MB\n", mb_indexed);
  printf ("index adds to file: %.1f MB\n", mb_indexed - mb_plain);

  /* The searches need both indexes. */
  if (g_strcmp0 (only_index, "both") == 0)
    time_searches (indexed_path);

  if (g_getenv ("TSR_BENCHMARK_KEEP") != NULL)
    {
      printf ("kept: %s\n", dir);
      return 0;
    }
  g_unlink (plain_path);
  g_unlink (indexed_path);
  g_rmdir (dir);
  return 0;
}
