/* tsr-benchmark.c — times the core on a large generated project
 *
 * Generates a project deterministically (a GRand with a fixed seed: the
 * same parameters give the same texts, codes, themes and segments) through
 * the public core API, then times what DESIGN §7 sets bars for: opening
 * to an interactive window, the code and theme counts, the presence
 * matrix, JSON export, and the latency of one coding act with undo and
 * redo.  Each figure is printed on its own line as `name: value unit`.
 *
 * It is a program, not a timed test: timings depend on the machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tessera.h"

/* Segments added per transaction while generating; bounds the WAL. */
#define SEGMENT_BATCH   50000
/* Documents added per transaction while generating. */
#define DOCUMENT_BATCH  1000
/* Runs for the medians. */
#define N_RUNS          5

typedef struct
{
  guint       n_documents;
  guint       n_segments;
  guint       n_codes;
  guint       seed;
} Params;

typedef struct
{
  TsrProject *project;
  GRand      *rand;
  GArray     *doc_ids;      /* gint64 */
  GArray     *doc_lengths;  /* guint, in characters */
  GArray     *code_ids;     /* gint64, every code */
  gint64      coder_a;
  gint64      coder_b;
  gint64      consensus;
} Bench;

/* Words for the texts: plain English, plus a few non-ASCII words (Latin
 * accents, Greek, CJK, and one emoji outside the BMP) so that character
 * offsets and byte offsets differ as they do in real transcripts. */
static const char * const words[] = {
  "the", "a", "and", "of", "to", "in", "that", "it", "was", "for", "on", "with",
  "as", "at", "by", "from", "but", "not", "this", "we", "they", "she", "he", "I",
  "you", "my", "our", "their", "had", "have", "were", "is", "be", "been", "would",
  "could", "when", "then", "there", "what", "which", "who", "all", "one", "some",
  "patient", "patients", "nurse", "nurses", "doctor", "ward", "shift", "night",
  "family", "families", "team", "colleague", "colleagues", "care", "caring",
  "time", "moment", "day", "week", "hospital", "clinic", "home", "room", "bed",
  "hand", "voice", "face", "words", "letter", "story", "work", "job", "role",
  "support", "trust", "fear", "hope", "grief", "loss", "relief", "anger", "joy",
  "tired", "exhausted", "grateful", "proud", "alone", "together", "quietly",
  "remember", "remembered", "felt", "feel", "thought", "knew", "saw", "heard",
  "said", "told", "asked", "listened", "stayed", "left", "came", "went", "held",
  "helped", "needed", "wanted", "tried", "learned", "changed", "kept", "made",
  "small", "little", "long", "hard", "good", "kind", "gentle", "difficult",
  "different", "important", "simple", "real", "whole", "every", "nothing",
  "something", "everyone", "nobody", "always", "never", "still", "again",
  "really", "perhaps", "maybe", "because", "although", "while", "after",
  "before", "during", "about", "through", "between", "without", "enough",
  "purpose", "meaning", "connection", "compassion", "solidarity", "resilience",
  "acknowledged", "recognition", "dignity", "burden", "routine", "protocol",
  "medication", "pharmacy", "chaplain", "social", "worker", "physician",
  "café", "naïve", "déjà", "señora", "über", "façade", "Zürich", "Øresund",
  "λόγος", "ψυχή", "日本", "🙂",
};

static guint word_lengths[G_N_ELEMENTS (words)];

/* Helpers ------------------------------------------------------------ */

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-benchmark: %s: %s\n", what, error ? error->message : "failed");
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
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  g_qsort_with_data (values, n, sizeof (double), compare_doubles, NULL);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
report_ms (const char *name,
           double      ms)
{
  g_print ("%s: %.3f ms\n", name, ms);
}

static void
report_s (const char *name,
          double      ms)
{
  g_print ("%s: %.2f s\n", name, ms / 1000.0);
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_maxrss / 1024.0;   /* kilobytes on Linux */
}

/* Forgets the peak so far, so that the next reading is the peak of what
 * follows (the generation's is not what a user of the app pays for).
 * Linux only; returns FALSE where it cannot. */
static gboolean
reset_peak_rss (void)
{
#ifdef __linux__
  FILE *file;
  gboolean ok;

#ifdef __GLIBC__
  malloc_trim (0);
#endif
  /* g_file_set_contents() writes a new file and renames it: not for /proc. */
  file = fopen ("/proc/self/clear_refs", "w");
  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  ok = (fclose (file) == 0) && ok;
  return ok;
#else
  return FALSE;
#endif
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size / (1024.0 * 1024.0);
}

/* Generation --------------------------------------------------------- */

/* About @target characters of text in paragraphs of sentences; returns
 * the text and its length in characters. */
static char *
make_text (GRand *rand,
           guint  target,
           guint *n_chars)
{
  GString *text = g_string_sized_new (target + target / 4);
  guint chars = 0;

  while (chars < target)
    {
      guint n_sentences = g_rand_int_range (rand, 2, 8);

      if (chars > 0)
        {
          g_string_append (text, "\n\n");
          chars += 2;
        }

      for (guint s = 0; s < n_sentences && chars < target; s++)
        {
          guint n_words = g_rand_int_range (rand, 5, 22);

          if (s > 0)
            {
              g_string_append_c (text, ' ');
              chars++;
            }
          for (guint w = 0; w < n_words; w++)
            {
              guint i = g_rand_int_range (rand, 0, G_N_ELEMENTS (words));
              const char *word = words[i];

              if (w > 0)
                {
                  if (g_rand_int_range (rand, 0, 12) == 0)
                    {
                      g_string_append_c (text, ',');
                      chars++;
                    }
                  g_string_append_c (text, ' ');
                  chars++;
                  g_string_append (text, word);
                }
              else
                {
                  g_string_append_c (text, g_ascii_toupper (word[0]));
                  g_string_append (text, word + 1);
                }
              chars += word_lengths[i];
            }
          g_string_append_c (text, g_rand_int_range (rand, 0, 10) == 0 ? '?' : '.');
          chars++;
        }
    }

  *n_chars = chars;
  return g_string_free (text, FALSE);
}

static void
generate_documents (Bench        *b,
                    const Params *p)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < p->n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("Interview %05u", i + 1);
      g_autofree char *text = NULL;
      guint length;
      gint64 id;

      if (i % DOCUMENT_BATCH == 0)
        tsr_project_begin_group (b->project, "Import documents");

      /* 4,000 to 6,000 characters: about 5,000 on average. */
      text = make_text (b->rand, g_rand_int_range (b->rand, 4000, 6001), &length);
      id = tsr_project_add_document (b->project, name, text, NULL, &error);
      if (id == 0)
        die ("add document", error);
      g_array_append_val (b->doc_ids, id);
      g_array_append_val (b->doc_lengths, length);

      if (i % DOCUMENT_BATCH == DOCUMENT_BATCH - 1 || i == p->n_documents - 1)
        if (!tsr_project_end_group (b->project, &error))
          die ("import documents", error);
    }
}

/* Coders, and a two-level code tree: a tenth of the codes are parents,
 * the rest their children (200 codes: 20 parents × 9 children). */
static void
generate_codebook (Bench        *b,
                   const Params *p)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) a = NULL;
  g_autoptr(TsrCoder) bb = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  guint n_parents = MAX (1, p->n_codes / 10);
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) top_themes = g_array_new (FALSE, FALSE, sizeof (gint64));

  tsr_project_begin_group (b->project, "Codebook");

  if ((a = tsr_project_ensure_coder (b->project, "Coder A", &error)) == NULL ||
      (bb = tsr_project_ensure_coder (b->project, "Coder B", &error)) == NULL ||
      (consensus = tsr_project_get_consensus_coder (b->project, &error)) == NULL)
    die ("add coders", error);
  b->coder_a = tsr_entity_get_id (TSR_ENTITY (a));
  b->coder_b = tsr_entity_get_id (TSR_ENTITY (bb));
  b->consensus = tsr_entity_get_id (TSR_ENTITY (consensus));

  for (guint i = 0; i < n_parents && i < p->n_codes; i++)
    {
      g_autofree char *name = g_strdup_printf ("Category %02u", i + 1);
      gint64 id = tsr_project_create_code (b->project, 0, name, NULL,
                                           "A group of related codes.", &error);
      if (id == 0)
        die ("create code", error);
      g_array_append_val (parents, id);
      g_array_append_val (b->code_ids, id);
    }
  for (guint i = 0; parents->len + i < p->n_codes; i++)
    {
      guint parent = i % parents->len;
      g_autofree char *name = g_strdup_printf ("Code %02u.%u", parent + 1, i / parents->len + 1);
      gint64 id = tsr_project_create_code (b->project, g_array_index (parents, gint64, parent),
                                           name, NULL, "What the passage is about.", &error);
      if (id == 0)
        die ("create code", error);
      g_array_append_val (b->code_ids, id);
    }

  /* 10 themes with 3 sub-themes each; a theme holds a parent code, each
   * sub-theme 2 to 5 codes of any level. */
  for (guint t = 0; t < 10; t++)
    {
      g_autofree char *name = g_strdup_printf ("Theme %02u", t + 1);
      gint64 theme = tsr_project_create_theme (b->project, 0, name, &error);

      if (theme == 0 ||
          !tsr_project_add_code_to_theme (b->project, theme,
                                          g_array_index (parents, gint64, t % parents->len), &error))
        die ("create theme", error);
      g_array_append_val (top_themes, theme);

      for (guint s = 0; s < 3; s++)
        {
          g_autofree char *sub_name = g_strdup_printf ("Theme %02u.%u", t + 1, s + 1);
          gint64 sub = tsr_project_create_theme (b->project, theme, sub_name, &error);
          guint n_links = g_rand_int_range (b->rand, 2, 6);

          if (sub == 0)
            die ("create theme", error);
          for (guint k = 0; k < n_links; k++)
            {
              gint64 code = g_array_index (b->code_ids, gint64,
                                           g_rand_int_range (b->rand, 0, b->code_ids->len));
              if (!tsr_project_add_code_to_theme (b->project, sub, code, &error))
                die ("link a code to a theme", error);
            }
        }
    }

  if (!tsr_project_end_group (b->project, &error))
    die ("codebook", error);
}

static void
random_span (Bench  *b,
             guint   doc,
             guint  *start,
             guint  *end)
{
  guint length = g_array_index (b->doc_lengths, guint, doc);
  guint span = MIN ((guint) g_rand_int_range (b->rand, 20, 400), length);

  *start = g_rand_int_range (b->rand, 0, length - span + 1);
  *end = *start + span;
}

/* 45% coder A, 45% coder B, 10% consensus; random code, document and
 * passage. */
static void
generate_segments (Bench        *b,
                   const Params *p)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < p->n_segments; i++)
    {
      guint who = g_rand_int_range (b->rand, 0, 100);
      gint64 coder = who < 45 ? b->coder_a : who < 90 ? b->coder_b : b->consensus;
      gint64 code = g_array_index (b->code_ids, gint64, g_rand_int_range (b->rand, 0, b->code_ids->len));
      guint doc = g_rand_int_range (b->rand, 0, b->doc_ids->len);
      guint start, end;

      if (i % SEGMENT_BATCH == 0)
        tsr_project_begin_group (b->project, "Code passages");

      random_span (b, doc, &start, &end);
      if (tsr_project_add_segment_for_coder (b->project, g_array_index (b->doc_ids, gint64, doc),
                                             code, coder, start, end, &error) == 0)
        die ("add segment", error);

      if (i % SEGMENT_BATCH == SEGMENT_BATCH - 1 || i == p->n_segments - 1)
        {
          if (!tsr_project_end_group (b->project, &error))
            die ("add segments", error);
          if (p->n_segments > SEGMENT_BATCH)
            g_printerr ("  %u / %u segments\n", i + 1, p->n_segments);
        }
    }
}

/* Measurements ------------------------------------------------------- */

static TsrCounts *
timed_counts (TsrProject   *project,
              TsrCoderMode  mode,
              gint64        coder_id,
              double       *ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder_id);
  gint64 start = g_get_monotonic_time ();
  TsrCounts *counts = tsr_project_compute_counts (project, scope, NULL, &error);

  *ms = ms_since (start);
  if (counts == NULL)
    die ("compute counts", error);
  return counts;
}

static void
on_counts_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TsrCounts **counts = user_data;
  g_autoptr(GError) error = NULL;

  *counts = tsr_project_compute_counts_finish (TSR_PROJECT (source), result, &error);
  if (*counts == NULL)
    die ("compute counts in a thread", error);
}

/* The way a window computes them: in a worker thread, on a connection of
 * its own (opened, and its cache cold, on every call). */
static TsrCounts *
timed_counts_async (TsrProject   *project,
                    TsrCoderMode  mode,
                    gint64        coder_id,
                    double       *ms)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder_id);
  TsrCounts *counts = NULL;
  gint64 start = g_get_monotonic_time ();

  tsr_project_compute_counts_async (project, scope, NULL, on_counts_ready_cb, &counts);
  while (counts == NULL)
    g_main_context_iteration (NULL, TRUE);
  *ms = ms_since (start);
  return counts;
}

/* What the theme table shows: the counts, then n and % of every theme
 * and code.  Returns a checksum so the reads cannot be dropped. */
static guint
read_table (TsrCounts *counts,
            GPtrArray *themes,
            GArray    *code_ids)
{
  guint sum = 0;
  double percent = 0;

  for (guint i = 0; i < themes->len; i++)
    {
      gint64 id = tsr_entity_get_id (g_ptr_array_index (themes, i));
      guint n = tsr_counts_get_theme_n (counts, id);

      sum += n + tsr_counts_get_theme_segments (counts, id);
      percent += tsr_counts_percent (counts, n);
    }
  for (guint i = 0; i < code_ids->len; i++)
    {
      gint64 id = g_array_index (code_ids, gint64, i);
      guint n = tsr_counts_get_code_n (counts, id);

      sum += n + tsr_counts_get_code_segments (counts, id);
      percent += tsr_counts_percent (counts, n);
    }
  return sum + (percent > 0);
}

static void
measure_counts (Bench *b)
{
  g_autoptr(TsrCounts) consensus = NULL;
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (b->project);
  const gint64 *docs;
  double runs[N_RUNS];
  double ms;
  guint n_docs, n_cells = 0, n_segments = 0;
  gint64 start;

  consensus = timed_counts (b->project, TSR_CODERS_CONSENSUS, 0, &ms);
  report_ms ("code counts, consensus (first call)", ms);
  g_clear_pointer (&consensus, tsr_counts_unref);

  {
    g_autoptr(TsrCounts) counts = timed_counts (b->project, TSR_CODERS_ANY, 0, &ms);
    report_ms ("code counts, any coder", ms);
  }
  {
    g_autoptr(TsrCounts) counts = timed_counts (b->project, TSR_CODERS_ALL, 0, &ms);
    report_ms ("code counts, all coders", ms);
  }
  {
    g_autoptr(TsrCounts) counts = timed_counts (b->project, TSR_CODERS_ONE, b->coder_a, &ms);
    report_ms ("code counts, one coder", ms);
  }

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_clear_pointer (&consensus, tsr_counts_unref);
      consensus = timed_counts (b->project, TSR_CODERS_CONSENSUS, 0, &runs[r]);
    }
  report_ms ("code counts, consensus (median of 5)", median (runs, N_RUNS));

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(TsrCounts) counts = NULL;
      volatile guint sink;

      start = g_get_monotonic_time ();
      counts = timed_counts (b->project, TSR_CODERS_CONSENSUS, 0, &ms);
      sink = read_table (counts, themes, b->code_ids);
      (void) sink;
      runs[r] = ms_since (start);
    }
  report_ms ("theme table, consensus (counts + n and % of every theme and code, median of 5)",
             median (runs, N_RUNS));

  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(TsrCounts) counts = timed_counts_async (b->project, TSR_CODERS_CONSENSUS, 0, &runs[r]);
    }
  report_ms ("code counts, consensus, async (median of 5)", median (runs, N_RUNS));
  for (guint r = 0; r < N_RUNS; r++)
    {
      g_autoptr(TsrCounts) counts = timed_counts_async (b->project, TSR_CODERS_ANY, 0, &runs[r]);
    }
  report_ms ("code counts, any coder, async (median of 5)", median (runs, N_RUNS));

  /* The presence matrix: every code × every document in scope. */
  docs = tsr_counts_get_documents (consensus, &n_docs);
  start = g_get_monotonic_time ();
  for (guint c = 0; c < b->code_ids->len; c++)
    {
      gint64 code = g_array_index (b->code_ids, gint64, c);

      for (guint d = 0; d < n_docs; d++)
        n_cells += tsr_counts_code_in_document (consensus, code, docs[d]);
    }
  ms = ms_since (start);
  g_print ("presence matrix (%u codes × %u documents): %.3f ms\n", b->code_ids->len, n_docs, ms);
  g_print ("presence matrix cells set: %u cells\n", n_cells);

  for (guint c = 0; c < b->code_ids->len; c++)
    n_segments += tsr_counts_get_code_own_segments (consensus, g_array_index (b->code_ids, gint64, c));
  g_print ("segments counted, consensus: %u segments\n", n_segments);

  g_print ("raw SQLite GROUP BY baseline: skipped (not reachable through the public API)\n");
}

static void
measure_export (Bench      *b,
                const char *json_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (json_path);
  g_autoptr(GFileOutputStream) stream = NULL;
  gint64 start = g_get_monotonic_time ();

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &error);
  if (stream == NULL ||
      !tsr_project_export_json (b->project, G_OUTPUT_STREAM (stream), NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    die ("export JSON", error);
  report_s ("JSON export", ms_since (start));
  g_print ("JSON export size: %.1f MB\n", file_mb (json_path));
}

/* One coding act, its undo and its redo, with history on and the live
 * models a window holds (documents, top-level codes, and the segments of
 * the document being read, which every one of these reloads). */
static void
measure_latency (Bench *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) segments = NULL;
  double add[N_RUNS], undo[N_RUNS], redo[N_RUNS];
  guint doc = g_rand_int_range (b->rand, 0, b->doc_ids->len);
  gint64 doc_id = g_array_index (b->doc_ids, gint64, doc);

  tsr_project_set_history_enabled (b->project, TRUE);
  if (!tsr_project_set_current_coder (b->project, b->coder_a, &error))
    die ("set the coder", error);
  segments = tsr_project_get_segments (b->project, doc_id);

  for (guint r = 0; r < N_RUNS; r++)
    {
      gint64 code = g_array_index (b->code_ids, gint64, g_rand_int_range (b->rand, 0, b->code_ids->len));
      guint start_char, end_char;
      gint64 start;

      random_span (b, doc, &start_char, &end_char);

      start = g_get_monotonic_time ();
      if (tsr_project_add_segment (b->project, doc_id, code, start_char, end_char, &error) == 0)
        die ("add segment", error);
      add[r] = ms_since (start);

      start = g_get_monotonic_time ();
      if (!tsr_project_undo (b->project, &error))
        die ("undo", error);
      undo[r] = ms_since (start);

      start = g_get_monotonic_time ();
      if (!tsr_project_redo (b->project, &error))
        die ("redo", error);
      redo[r] = ms_since (start);
    }

  report_ms ("add segment, history on (first)", add[0]);
  report_ms ("undo add segment (first)", undo[0]);
  report_ms ("redo add segment (first)", redo[0]);
  report_ms ("add segment, history on (median of 5)", median (add, N_RUNS));
  report_ms ("undo add segment (median of 5)", median (undo, N_RUNS));
  report_ms ("redo add segment (median of 5)", median (redo, N_RUNS));
}

/* Main --------------------------------------------------------------- */

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
  g_autofree char *json_path = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GListModel) codes = NULL;
  gint n_documents = 1000, n_segments = 50000, n_codes = 200, seed = 1;
  char *dir_option = NULL;
  gboolean keep = FALSE, generate_only = FALSE, made_dir = FALSE, peak_reset;
  Params p;
  Bench b = { 0 };
  double generation_peak_mb, ms, project_mb;
  gint64 start;
  const GOptionEntry entries[] = {
    { "documents", 0, 0, G_OPTION_ARG_INT, &n_documents, "Documents to generate (1000)", "N" },
    { "segments", 0, 0, G_OPTION_ARG_INT, &n_segments, "Segments to generate (50000)", "M" },
    { "codes", 0, 0, G_OPTION_ARG_INT, &n_codes, "Codes to generate (200)", "C" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the generator (1)", "S" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option, "Where to write the project (a new temporary folder)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the project and the export", NULL },
    { "generate-only", 0, 0, G_OPTION_ARG_NONE, &generate_only,
      "Only generate the project, and keep it (for tsr-ui-benchmark)", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— time the Tessera core on a generated project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tsr-benchmark: %s\n", error->message);
      return 2;
    }
  if (n_documents < 1 || n_segments < 0 || n_codes < 1)
    {
      g_printerr ("tsr-benchmark: --documents and --codes must be at least 1, --segments at least 0\n");
      return 2;
    }

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    word_lengths[i] = g_utf8_strlen (words[i], -1);

  if (dir_option != NULL)
    {
      dir = g_steal_pointer (&dir_option);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_printerr ("tsr-benchmark: cannot create %s: %s\n", dir, g_strerror (errno));
          return 1;
        }
    }
  else
    {
      dir = g_dir_make_tmp ("tsr-benchmark-XXXXXX", &error);
      if (dir == NULL)
        die ("temporary folder", error);
      made_dir = TRUE;
    }
  project_path = g_build_filename (dir, "benchmark.tessera", NULL);
  json_path = g_build_filename (dir, "benchmark.json", NULL);

  p = (Params) { n_documents, n_segments, n_codes, seed };
  b.rand = g_rand_new_with_seed (p.seed);
  b.doc_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), p.n_documents);
  b.doc_lengths = g_array_sized_new (FALSE, FALSE, sizeof (guint), p.n_documents);
  b.code_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), p.n_codes);

  g_print ("tsr-benchmark (Tessera %s, SQLite %s)\n", PACKAGE_VERSION, sqlite3_libversion ());
  g_print ("documents: %u\nsegments: %u\ncodes: %u\nthemes: 40\n"
           "coders: 2 + consensus (45%% / 45%% / 10%% of segments)\nseed: %u\nproject: %s\n",
           p.n_documents, p.n_segments, p.n_codes, p.seed, project_path);

  /* Generation, history off: bulk edits need no undo. */
  start = g_get_monotonic_time ();
  b.project = tsr_project_create (project_path, &error);
  if (b.project == NULL)
    die ("create the project", error);
  tsr_project_set_history_enabled (b.project, FALSE);
  generate_documents (&b, &p);
  report_s ("create+import (documents)", ms_since (start));

  start = g_get_monotonic_time ();
  generate_codebook (&b, &p);
  report_ms ("codebook (coders, codes, themes)", ms_since (start));

  start = g_get_monotonic_time ();
  generate_segments (&b, &p);
  ms = ms_since (start);
  report_s ("segment generation", ms);
  g_print ("segment generation rate: %.0f segments/s\n", ms > 0 ? p.n_segments / (ms / 1000.0) : 0);

  start = g_get_monotonic_time ();
  if (!tsr_project_close (b.project, &error))
    die ("close", error);
  g_clear_object (&b.project);
  report_ms ("close", ms_since (start));
  project_mb = file_mb (project_path);

  if (generate_only)
    {
      g_print ("file size: %.1f MB\nkept: %s\n", project_mb, project_path);
      g_array_unref (b.doc_ids);
      g_array_unref (b.doc_lengths);
      g_array_unref (b.code_ids);
      g_rand_free (b.rand);
      return 0;
    }

  generation_peak_mb = peak_rss_mb ();
  peak_reset = reset_peak_rss ();

  /* Open: what the window needs to be interactive. */
  start = g_get_monotonic_time ();
  b.project = tsr_project_open (project_path, &error);
  if (b.project == NULL)
    die ("open", error);
  report_ms ("open (tsr_project_open)", ms_since (start));
  documents = tsr_project_get_documents (b.project);
  codes = tsr_project_get_codes (b.project, 0);
  report_ms ("open (+ documents model + top-level codes)", ms_since (start));
  if (g_list_model_get_n_items (documents) != p.n_documents)
    die ("open: the documents model is incomplete", NULL);

  measure_counts (&b);
  measure_export (&b, json_path);
  measure_latency (&b);

  g_clear_object (&documents);
  g_clear_object (&codes);
  if (!tsr_project_close (b.project, &error))
    die ("close", error);
  g_clear_object (&b.project);

  g_print ("peak memory: %.1f MB\n", MAX (generation_peak_mb, peak_rss_mb ()));
  g_print ("peak memory, generation: %.1f MB\n", generation_peak_mb);
  if (peak_reset)
    g_print ("peak memory, open to end: %.1f MB\n", peak_rss_mb ());
  g_print ("file size: %.1f MB\n", project_mb);

  if (!keep)
    {
      remove_project_files (project_path);
      g_remove (json_path);
      if (made_dir)
        g_rmdir (dir);
    }
  else
    g_print ("kept: %s\n", dir);

  g_array_unref (b.doc_ids);
  g_array_unref (b.doc_lengths);
  g_array_unref (b.code_ids);
  g_rand_free (b.rand);
  return 0;
}
