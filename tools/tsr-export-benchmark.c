/* tsr-export-benchmark.c — times the report exports
 *
 * Generates a project deterministically (a GRand with a fixed seed)
 * through the public core API: documents of a few hundred words, a code
 * tree, 50 themes (10 themes of 4 sub-themes each) and segments by two
 * coders and the consensus, some of them starred as exemplar quotes.
 * Then it times, as medians of several runs, gathering the report
 * (counting included) and saving the theme table with definitions, codes
 * and quotes in every format, and the codebook and the write-up in DOCX
 * and PDF.  Each figure is printed as `name: value unit`.
 *
 *   tsr-export-benchmark [--documents N] [--segments N] [--quotes N] [--runs N] [--keep DIR]
 *
 * DESIGN asks for a 50-theme table with quotes in under a second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tessera.h"

#define N_TOP_THEMES     10
#define N_SUBTHEMES      4
#define N_PARENT_CODES   25
#define N_CHILD_CODES    6
#define BATCH            20000

typedef struct
{
  guint  n_documents;
  guint  n_segments;
  guint  n_quotes_per_theme;
  guint  n_runs;
  char  *keep;
} Params;

static const char * const words[] = {
  "the", "a", "and", "of", "to", "in", "that", "it", "was", "for", "on", "with", "as", "at",
  "patient", "nurse", "ward", "shift", "family", "team", "care", "time", "moment", "hospital",
  "hand", "voice", "story", "work", "support", "trust", "fear", "hope", "grief", "relief", "joy",
  "tired", "grateful", "proud", "alone", "together", "remember", "felt", "thought", "said",
  "listened", "stayed", "held", "helped", "small", "kind", "gentle", "difficult", "important",
  "purpose", "meaning", "dignity", "routine", "café", "naïve", "λόγος", "日本", "🙂",
  "<b>", "&", "\"quoted\"", "100%", "a|b", "\\", "שלום",
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-export-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
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
median (GArray *values)
{
  g_array_sort_with_data (values, compare_doubles, NULL);
  return g_array_index (values, double, values->len / 2);
}

static char *
make_text (GRand *rand,
           guint  n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % 60 == 0 ? '\n' : ' ');
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  g_string_append_c (text, '.');
  return g_string_free (text, FALSE);
}

static void
generate (TsrProject   *project,
          const Params *p)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  g_autoptr(GArray) docs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) theme_codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) a = NULL;
  g_autoptr(TsrCoder) b = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  gint64 coders[3];

  tsr_project_set_history_enabled (project, FALSE);

  tsr_project_begin_group (project, "Documents");
  for (guint i = 0; i < p->n_documents; i++)
    {
      g_autofree char *name = g_strdup_printf ("E%04u – participant", i + 1);
      g_autofree char *text = make_text (rand, g_rand_int_range (rand, 200, 400));
      gint64 id = tsr_project_add_document (project, name, text, NULL, &error);
      guint length = g_utf8_strlen (text, -1);

      if (id == 0)
        die ("add document", error);
      g_array_append_val (docs, id);
      g_array_append_val (lengths, length);
    }

  if (!(a = tsr_project_ensure_coder (project, "Coder A", &error)) ||
      !(b = tsr_project_ensure_coder (project, "Coder B", &error)) ||
      !(consensus = tsr_project_get_consensus_coder (project, &error)))
    die ("coders", error);
  coders[0] = tsr_entity_get_id (TSR_ENTITY (a));
  coders[1] = tsr_entity_get_id (TSR_ENTITY (b));
  coders[2] = tsr_entity_get_id (TSR_ENTITY (consensus));

  for (guint i = 0; i < N_PARENT_CODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code group %u", i + 1);
      g_autofree char *definition = make_text (rand, 25);
      gint64 parent = tsr_project_create_code (project, 0, name, NULL, definition, &error);

      if (parent == 0)
        die ("code", error);
      for (guint j = 0; j < N_CHILD_CODES; j++)
        {
          g_autofree char *child_name = g_strdup_printf ("Code %u.%u", i + 1, j + 1);
          g_autofree char *child_definition = make_text (rand, 20);
          gint64 id = tsr_project_create_code (project, parent, child_name, NULL, child_definition, &error);

          if (id == 0)
            die ("code", error);
          g_array_append_val (codes, id);
        }
    }

  /* Ten themes of four sub-themes: every sub-theme holds three codes,
   * every theme one of its own. */
  for (guint t = 0, c = 0; t < N_TOP_THEMES; t++)
    {
      g_autofree char *name = g_strdup_printf ("Theme %u", t + 1);
      g_autofree char *definition = make_text (rand, 40);
      gint64 theme = tsr_project_create_theme (project, 0, name, &error);

      if (theme == 0 ||
          !tsr_project_set_theme_field (project, theme, TSR_THEME_FIELD_DEFINITION, definition, &error) ||
          !tsr_project_add_code_to_theme (project, theme, g_array_index (codes, gint64, c++ % codes->len), &error))
        die ("theme", error);
      g_array_append_val (theme_codes, g_array_index (codes, gint64, (c - 1) % codes->len));
      for (guint s = 0; s < N_SUBTHEMES; s++)
        {
          g_autofree char *sub_name = g_strdup_printf ("Sub-theme %u.%u", t + 1, s + 1);
          g_autofree char *sub_definition = make_text (rand, 30);
          gint64 sub = tsr_project_create_theme (project, theme, sub_name, &error);

          if (sub == 0 ||
              !tsr_project_set_theme_field (project, sub, TSR_THEME_FIELD_DEFINITION, sub_definition, &error))
            die ("sub-theme", error);
          for (guint k = 0; k < 3; k++)
            {
              gint64 code = g_array_index (codes, gint64, c++ % codes->len);

              if (!tsr_project_add_code_to_theme (project, sub, code, &error))
                die ("theme code", error);
              if (k == 0)
                g_array_append_val (theme_codes, code);
            }
        }
    }
  if (!tsr_project_end_group (project, &error))
    die ("generate", error);

  for (guint i = 0; i < p->n_segments; i++)
    {
      guint d = g_rand_int_range (rand, 0, docs->len);
      guint length = g_array_index (lengths, guint, d);
      guint start = g_rand_int_range (rand, 0, length - 40);
      guint end = start + g_rand_int_range (rand, 10, 40);
      gint64 code = g_array_index (codes, gint64, g_rand_int_range (rand, 0, codes->len));
      gint64 coder = coders[g_rand_int_range (rand, 0, 3)];

      if (i % BATCH == 0)
        tsr_project_begin_group (project, "Segments");
      if (tsr_project_add_segment_for_coder (project, g_array_index (docs, gint64, d), code, coder,
                                             start, end, &error) == 0)
        die ("segment", error);
      if (i % BATCH == BATCH - 1 || i + 1 == p->n_segments)
        if (!tsr_project_end_group (project, &error))
          die ("segments", error);
    }

  /* Exemplar quotes: long consensus passages of each theme's codes. */
  tsr_project_begin_group (project, "Quotes");
  for (guint t = 0; t < theme_codes->len; t++)
    for (guint q = 0; q < p->n_quotes_per_theme; q++)
      {
        guint d = g_rand_int_range (rand, 0, docs->len);
        guint length = g_array_index (lengths, guint, d);
        guint start = g_rand_int_range (rand, 0, length - 250);
        gint64 id = tsr_project_add_segment_for_coder (project, g_array_index (docs, gint64, d),
                                                       g_array_index (theme_codes, gint64, t), coders[2],
                                                       start, start + 240, &error);

        if (id == 0 || !tsr_project_set_segment_exemplar (project, id, TRUE, &error))
          die ("quote", error);
      }
  if (!tsr_project_end_group (project, &error))
    die ("quotes", error);
}

typedef struct
{
  TsrReport              *report;
  TsrReportKind           kind;
  const TsrReportOptions *options;
  TsrExportFormat         format;
  GFile                  *file;
} Job;

static double
time_export (const Job    *job,
             const Params *p,
             goffset      *size)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r < p->n_runs; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFileInfo) info = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (!tsr_report_save (job->report, job->kind, job->options, job->format, 0, job->file, NULL, &error))
        die ("export", error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
      info = g_file_query_info (job->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
      *size = info ? g_file_info_get_size (info) : 0;
    }
  return median (times);
}

int
main (int   argc,
      char *argv[])
{
  Params p = { 1000, 100000, 4, 5, NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  int documents = 1000, segments = 100000, quotes = 4, runs = 5;
  guint n_quotes = 0;
  const GOptionEntry entries[] = {
    { "documents", 0, 0, G_OPTION_ARG_INT, &documents, "Documents to generate (1000)", "N" },
    { "segments", 0, 0, G_OPTION_ARG_INT, &segments, "Segments to generate (100000)", "N" },
    { "quotes", 0, 0, G_OPTION_ARG_INT, &quotes, "Exemplar quotes per theme (4)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure, for the median (5)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &p.keep, "Keep the exports in DIR", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (documents < 1 || segments < 0 || quotes < 0 || runs < 1)
    die ("options", NULL);
  p.n_documents = documents;
  p.n_segments = segments;
  p.n_quotes_per_theme = quotes;
  p.n_runs = runs;

  dir = p.keep ? g_strdup (p.keep) : g_dir_make_tmp ("tsr-export-benchmark-XXXXXX", &error);
  if (dir == NULL || g_mkdir_with_parents (dir, 0700) != 0)
    die ("folder", error);
  path = g_build_filename (dir, "benchmark.tessera", NULL);
  g_unlink (path);
  if (!(project = tsr_project_create (path, &error)))
    die ("create", error);

  {
    gint64 start = g_get_monotonic_time ();

    generate (project, &p);
    printf ("project: %u documents, %u segments, %u themes, %u codes (generated in %.1f s)\n",
            p.n_documents, p.n_segments + 50 * p.n_quotes_per_theme, N_TOP_THEMES * (1 + N_SUBTHEMES),
            N_PARENT_CODES * (1 + N_CHILD_CODES), (g_get_monotonic_time () - start) / 1e6);
  }

  /* Gathering the report: the counts and the quotes. */
  for (guint r = 0; r < p.n_runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      g_clear_pointer (&report, tsr_report_unref);
      if (!(report = tsr_project_build_report (project, scope, NULL, &error)))
        die ("report", error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (times, ms);
    }
  {
    g_autoptr(GPtrArray) themes = tsr_report_list_themes (report, TSR_REPORT_ORDER_TREE);

    for (guint i = 0; i < themes->len; i++)
      n_quotes += ((TsrReportTheme *) themes->pdata[i])->n_quotes;
    printf ("report: %u themes, %u quotes\n", themes->len, n_quotes);
  }
  printf ("build report: %.1f ms\n", median (times));

  options->codes = TRUE;
  options->quotes = TRUE;
  options->noun = g_strdup ("essays");

  for (guint f = 0; f < TSR_EXPORT_N_FORMATS; f++)
    {
      g_autofree char *name = g_strdup_printf ("themes.%s", tsr_export_format_get_extension (f));
      g_autofree char *out = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (out);
      Job job = { report, TSR_REPORT_THEMES, options, f, file };
      goffset size = 0;
      double ms = time_export (&job, &p, &size);

      printf ("export themes %s: %.1f ms (%" G_GOFFSET_FORMAT " bytes)\n",
              tsr_export_format_to_string (f), ms, size);
    }

  for (guint k = TSR_REPORT_CODEBOOK; k <= TSR_REPORT_WRITEUP; k++)
    for (guint f = TSR_EXPORT_DOCX; f <= TSR_EXPORT_PDF; f += TSR_EXPORT_PDF - TSR_EXPORT_DOCX)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", tsr_report_kind_to_string (k),
                                                 tsr_export_format_get_extension (f));
        g_autofree char *out = g_build_filename (dir, name, NULL);
        g_autoptr(GFile) file = g_file_new_for_path (out);
        Job job = { report, k, options, f, file };
        goffset size = 0;
        double ms = time_export (&job, &p, &size);

        printf ("export %s %s: %.1f ms (%" G_GOFFSET_FORMAT " bytes)\n", tsr_report_kind_to_string (k),
                tsr_export_format_to_string (f), ms, size);
      }

  if (!tsr_project_close (project, &error))
    die ("close", error);

  if (p.keep == NULL)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *entry;

      while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *file = g_build_filename (dir, entry, NULL);

          g_unlink (file);
        }
      g_rmdir (dir);
    }
  g_free (p.keep);
  return 0;
}
