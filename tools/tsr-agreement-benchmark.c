/* tsr-agreement-benchmark.c — times the agreement statistics on a large project
 *
 * Generates a project deterministically (a GRand with a fixed seed)
 * through the public core API — two coders whose coding partly mirrors
 * each other's with jittered boundaries, partly not, and a consensus —
 * or takes an existing project (--project, e.g. one kept by
 * tsr-benchmark), then times each agreement statistic on its own and all
 * of them together, the phases of the computation, the list of
 * disagreements, and α for three coders.  Each figure is printed on its
 * own line as `name: value unit`.
 *
 * It is a program, not a timed test: timings depend on the machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "tessera.h"
#include "tsr-agreement-private.h"

#define SEGMENT_BATCH   50000
#define DOCUMENT_BATCH  1000
#define N_RUNS          3

static const char * const words[] = {
  "the", "a", "and", "of", "to", "in", "that", "it", "was", "for", "on", "with",
  "patient", "nurse", "doctor", "ward", "shift", "family", "team", "care", "time",
  "hope", "fear", "grief", "relief", "support", "trust", "remember", "felt", "said",
  "small", "kind", "gentle", "difficult", "together", "alone", "purpose", "dignity",
  "café", "naïve", "Zürich", "λόγος", "日本", "🙂",
};

typedef struct
{
  TsrProject *project;
  GRand      *rand;
  GArray     *doc_ids;
  GArray     *doc_lengths;
  GArray     *code_ids;
  gint64      coder_a;
  gint64      coder_b;
  gint64      consensus;
} Bench;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-agreement-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
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

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* Generation ----------------------------------------------------------- */

static char *
make_text (GRand *rand,
           guint  target,
           guint *n_chars)
{
  GString *text = g_string_sized_new (target + target / 4);
  guint chars = 0;

  while (chars < target)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

      if (chars > 0)
        {
          g_string_append_c (text, g_rand_int_range (rand, 0, 15) == 0 ? '\n' : ' ');
          chars++;
        }
      g_string_append (text, word);
      chars += g_utf8_strlen (word, -1);
    }
  *n_chars = chars;
  return g_string_free (text, FALSE);
}

static void
generate (Bench *b,
          guint  n_documents,
          guint  n_segments,
          guint  n_codes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) a = NULL;
  g_autoptr(TsrCoder) bb = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  guint made = 0;

  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("Interview %05u", i + 1);
      g_autofree char *text = NULL;
      guint length;
      gint64 id;

      if (i % DOCUMENT_BATCH == 0)
        tsr_project_begin_group (b->project, "Import documents");
      text = make_text (b->rand, g_rand_int_range (b->rand, 4000, 6001), &length);
      if ((id = tsr_project_add_document (b->project, name, text, NULL, &error)) == 0)
        die ("add document", error);
      g_array_append_val (b->doc_ids, id);
      g_array_append_val (b->doc_lengths, length);
      if (i % DOCUMENT_BATCH == DOCUMENT_BATCH - 1 || i == n_documents - 1)
        if (!tsr_project_end_group (b->project, &error))
          die ("import documents", error);
    }

  tsr_project_begin_group (b->project, "Codebook");
  if ((a = tsr_project_ensure_coder (b->project, "Coder A", &error)) == NULL ||
      (bb = tsr_project_ensure_coder (b->project, "Coder B", &error)) == NULL ||
      (consensus = tsr_project_get_consensus_coder (b->project, &error)) == NULL)
    die ("add coders", error);
  b->coder_a = tsr_entity_get_id (TSR_ENTITY (a));
  b->coder_b = tsr_entity_get_id (TSR_ENTITY (bb));
  b->consensus = tsr_entity_get_id (TSR_ENTITY (consensus));
  for (guint i = 0; i < n_codes; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code %03u", i + 1);
      gint64 parent = i >= n_codes / 10 ? g_array_index (b->code_ids, gint64, i % MAX (n_codes / 10, 1)) : 0;
      gint64 id = tsr_project_create_code (b->project, parent, name, NULL, NULL, &error);

      if (id == 0)
        die ("create code", error);
      g_array_append_val (b->code_ids, id);
    }
  if (!tsr_project_end_group (b->project, &error))
    die ("codebook", error);

  /* A codes a passage; B codes the same passage with the same code 60 %
   * of the time (its boundaries exact a third of those times, otherwise
   * moved by up to a tenth of the passage), and something of its own the
   * rest; the consensus takes A's passage a tenth of the time. */
  while (made < n_segments)
    {
      guint doc = g_rand_int_range (b->rand, 0, b->doc_ids->len);
      guint length = g_array_index (b->doc_lengths, guint, doc);
      guint span = MIN ((guint) g_rand_int_range (b->rand, 20, 400), length);
      guint start = g_rand_int_range (b->rand, 0, length - span + 1);
      gint64 doc_id = g_array_index (b->doc_ids, gint64, doc);
      gint64 code = g_array_index (b->code_ids, gint64, g_rand_int_range (b->rand, 0, b->code_ids->len));
      struct { gint64 coder; gint64 code; guint start; guint end; } out[3];
      guint n_out = 0;

      out[n_out++] = (typeof (out[0])) { b->coder_a, code, start, start + span };
      if (g_rand_int_range (b->rand, 0, 10) < 6)
        {
          gint jitter = MAX (span / 10, 1);
          gint s = (gint) start, e = (gint) (start + span);

          if (g_rand_int_range (b->rand, 0, 3) != 0)
            {
              gint move_start = g_rand_int_range (b->rand, -jitter, jitter + 1);
              gint move_end = g_rand_int_range (b->rand, -jitter, jitter + 1);

              s = CLAMP (s + move_start, 0, (gint) length - 1);
              e = CLAMP (e + move_end, s + 1, (gint) length);
            }
          out[n_out++] = (typeof (out[0])) { b->coder_b, code, (guint) s, (guint) e };
        }
      else
        {
          guint other_start = g_rand_int_range (b->rand, 0, length - span + 1);
          gint64 other_code = g_array_index (b->code_ids, gint64, g_rand_int_range (b->rand, 0, b->code_ids->len));

          out[n_out++] = (typeof (out[0])) { b->coder_b, other_code, other_start, other_start + span };
        }
      if (g_rand_int_range (b->rand, 0, 10) == 0)
        out[n_out++] = (typeof (out[0])) { b->consensus, code, start, start + span };

      for (guint k = 0; k < n_out && made < n_segments; k++, made++)
        {
          if (made % SEGMENT_BATCH == 0)
            tsr_project_begin_group (b->project, "Code passages");
          if (tsr_project_add_segment_for_coder (b->project, doc_id, out[k].code, out[k].coder,
                                                 out[k].start, out[k].end, &error) == 0)
            die ("add segment", error);
          if (made % SEGMENT_BATCH == SEGMENT_BATCH - 1 || made == n_segments - 1)
            {
              if (!tsr_project_end_group (b->project, &error))
                die ("add segments", error);
              if (n_segments > SEGMENT_BATCH)
                g_printerr ("  %u / %u segments\n", made + 1, n_segments);
            }
        }
    }
}

/* Measurements --------------------------------------------------------- */

static void
time_parts (Bench             *b,
            const char        *name,
            TsrAgreementParts  parts,
            gboolean           phases)
{
  gint64 coders[2] = { b->coder_a, b->coder_b };
  double runs[N_RUNS];
  TsrAgreementTimings timings = { 0 };

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      TsrAgreement *agreement = _tsr_project_compute_agreement_parts (b->project, coders, 2, 90, 0, parts,
                                                                      &timings, &error);
      runs[r] = ms_since (start);
      if (agreement == NULL)
        die (name, error);
      tsr_agreement_unref (agreement);
    }
  g_print ("%s (median of %u): %.1f ms\n", name, N_RUNS, median (runs, N_RUNS));
  if (phases)
    {
      g_print ("  segments read: %" G_GSIZE_FORMAT "\n", timings.n_records);
      g_print ("  read (documents, codes, segments): %.1f ms\n", timings.read_ms);
      g_print ("  sort by (document, code, coder, start): %.1f ms\n", timings.sort_ms);
      g_print ("  sweep (presence, characters, segments): %.1f ms\n", timings.sweep_ms);
      g_print ("  character cells by code: %.1f ms\n", timings.cells_ms);
      g_print ("  alpha, code by code through the coders x units routine: %.1f ms\n", timings.alpha_ms);
    }
}

static void
measure (Bench *b)
{
  g_autoptr(GError) error = NULL;
  gint64 coders[2] = { b->coder_a, b->coder_b };
  gint64 three[3] = { b->coder_a, b->coder_b, b->consensus };
  gint64 start;

  /* Warm the page cache, as a window that has the project open would. */
  {
    TsrAgreement *warm = tsr_project_compute_agreement (b->project, coders, 2, 90, 0, NULL, &error);
    if (warm == NULL)
      die ("agreement", error);
    tsr_agreement_unref (warm);
  }

  time_parts (b, "presence (documents): 2x2 tables, percent, kappa, Brennan-Prediger",
              TSR_AGREEMENT_PART_PRESENCE, FALSE);
  time_parts (b, "characters: per code x document and pooled", TSR_AGREEMENT_PART_CHARACTERS, FALSE);
  time_parts (b, "segments: overlap of at least 90%", TSR_AGREEMENT_PART_SEGMENTS, FALSE);
  time_parts (b, "Krippendorff's alpha, documents x codes", TSR_AGREEMENT_PART_ALPHA, FALSE);
  time_parts (b, "all statistics together", TSR_AGREEMENT_PART_ALL, TRUE);

  {
    double runs[N_RUNS];

    for (guint r = 0; r < N_RUNS; r++)
      {
        TsrAgreement *agreement;

        start = g_get_monotonic_time ();
        agreement = tsr_project_compute_agreement (b->project, three, 3, 90, 0, NULL, &error);
        runs[r] = ms_since (start);
        if (agreement == NULL)
          die ("agreement of three coders", error);
        tsr_agreement_unref (agreement);
      }
    g_print ("all statistics, alpha over 3 coders (median of %u): %.1f ms\n", N_RUNS, median (runs, N_RUNS));
  }

  {
    GListModel *list;
    guint n;

    start = g_get_monotonic_time ();
    list = tsr_project_list_disagreements (b->project, b->coder_a, b->coder_b, 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
    if (list == NULL)
      die ("disagreements", error);
    n = g_list_model_get_n_items (list);
    g_print ("list of disagreements: %.1f ms (%u disagreements)\n", ms_since (start), n);
    g_object_unref (list);
  }

  {
    TsrAgreement *agreement = tsr_project_compute_agreement (b->project, coders, 2, 90, 0, NULL, &error);
    TsrAgreementRow row;
    TsrAlphaResult alpha;

    if (agreement == NULL)
      die ("agreement", error);
    tsr_agreement_get_row (agreement, 0, TSR_AGREEMENT_PRESENCE, &row);
    g_print ("pooled presence: both %" G_GUINT64_FORMAT ", only A %" G_GUINT64_FORMAT
             ", only B %" G_GUINT64_FORMAT ", neither %" G_GUINT64_FORMAT ", kappa %.4f\n",
             row.both, row.only_a, row.only_b, row.neither, row.kappa.value);
    tsr_agreement_get_row (agreement, 0, TSR_AGREEMENT_CHARACTERS, &row);
    g_print ("pooled characters: percent %.3f, kappa %.4f\n", row.percent.value, row.kappa.value);
    tsr_agreement_get_row (agreement, 0, TSR_AGREEMENT_SEGMENTS, &row);
    g_print ("pooled segments: %u of %u (A), %u of %u (B) matched, %.2f %%\n",
             row.matched_a, row.segments_a, row.matched_b, row.segments_b, row.percent.value);
    tsr_agreement_get_alpha (agreement, 0, &alpha);
    g_print ("pooled alpha: %.4f over %u units\n", alpha.alpha.value, alpha.n_units);
    tsr_agreement_unref (agreement);
  }
}

static gint64
find_coder (TsrProject *project,
            const char *name)
{
  g_autoptr(TsrCoder) coder = tsr_project_find_coder (project, name);

  if (coder == NULL)
    {
      g_printerr ("tsr-agreement-benchmark: the project has no coder “%s”\n", name);
      exit (1);
    }
  return tsr_entity_get_id (TSR_ENTITY (coder));
}

static void
remove_project_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_remove (name);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *project_path = NULL;
  char *existing = NULL;
  char *dir_option = NULL;
  gint n_documents = 1000, n_segments = 50000, n_codes = 200, seed = 1;
  gboolean keep = FALSE, made_dir = FALSE;
  Bench b = { 0 };
  gint64 start;
  const GOptionEntry entries[] = {
    { "documents", 0, 0, G_OPTION_ARG_INT, &n_documents, "Documents to generate (1000)", "N" },
    { "segments", 0, 0, G_OPTION_ARG_INT, &n_segments, "Segments to generate (50000)", "M" },
    { "codes", 0, 0, G_OPTION_ARG_INT, &n_codes, "Codes to generate (200)", "C" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the generator (1)", "S" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &existing, "Time an existing project with coders “Coder A” and “Coder B” instead", "FILE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option, "Where to write the generated project (a new temporary folder)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the generated project", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— time Tessera's agreement statistics");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tsr-agreement-benchmark: %s\n", error->message);
      return 2;
    }
  if (n_documents < 1 || n_segments < 0 || n_codes < 1)
    {
      g_printerr ("tsr-agreement-benchmark: --documents and --codes must be at least 1, --segments at least 0\n");
      return 2;
    }

  g_print ("tsr-agreement-benchmark (Tessera %s, SQLite %s)\n", PACKAGE_VERSION, sqlite3_libversion ());

  if (existing != NULL)
    {
      project_path = g_strdup (existing);
      if ((b.project = tsr_project_open (project_path, &error)) == NULL)
        die ("open", error);
      b.coder_a = find_coder (b.project, "Coder A");
      b.coder_b = find_coder (b.project, "Coder B");
      {
        g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (b.project, &error);
        if (consensus == NULL)
          die ("consensus coder", error);
        b.consensus = tsr_entity_get_id (TSR_ENTITY (consensus));
      }
      g_print ("project: %s\ndocuments: %u\n", project_path, tsr_project_get_n_documents (b.project));
    }
  else
    {
      if (dir_option != NULL)
        {
          dir = g_strdup (dir_option);
          if (g_mkdir_with_parents (dir, 0700) != 0)
            {
              g_printerr ("tsr-agreement-benchmark: cannot create %s: %s\n", dir, g_strerror (errno));
              return 1;
            }
        }
      else
        {
          if ((dir = g_dir_make_tmp ("tsr-agreement-benchmark-XXXXXX", &error)) == NULL)
            die ("temporary folder", error);
          made_dir = TRUE;
        }
      project_path = g_build_filename (dir, "agreement.tessera", NULL);
      g_print ("documents: %d\nsegments: %d\ncodes: %d\nseed: %d\nproject: %s\n",
               n_documents, n_segments, n_codes, seed, project_path);

      b.rand = g_rand_new_with_seed (seed);
      b.doc_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      b.doc_lengths = g_array_new (FALSE, FALSE, sizeof (guint));
      b.code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      start = g_get_monotonic_time ();
      if ((b.project = tsr_project_create (project_path, &error)) == NULL)
        die ("create the project", error);
      tsr_project_set_history_enabled (b.project, FALSE);
      generate (&b, n_documents, n_segments, n_codes);
      if (!tsr_project_close (b.project, &error))
        die ("close", error);
      g_clear_object (&b.project);
      g_print ("generation: %.1f s\n", ms_since (start) / 1000.0);

      if ((b.project = tsr_project_open (project_path, &error)) == NULL)
        die ("open", error);
    }

  measure (&b);
  g_print ("peak memory: %.1f MB\n", peak_rss_mb ());

  if (!tsr_project_close (b.project, &error))
    die ("close", error);
  g_clear_object (&b.project);

  if (existing == NULL)
    {
      if (!keep)
        {
          remove_project_files (project_path);
          if (made_dir)
            g_rmdir (dir);
        }
      else
        g_print ("kept: %s\n", project_path);
      g_array_unref (b.doc_ids);
      g_array_unref (b.doc_lengths);
      g_array_unref (b.code_ids);
      g_rand_free (b.rand);
    }
  g_free (existing);
  g_free (dir_option);
  return 0;
}
