/* tsr-refi-benchmark.c — times REFI-QDA import and export
 *
 * Imports the NVivo 12 sample (nvivo12win_oltas0517.qdpx: 1.45 MB, two
 * sources of some 600,000 characters with BOM and CRLF, 303 codings in
 * UTF-16 code units) into a new project, then generates a project of
 * --documents documents (1,000) of about 3,000 characters with
 * --segments passages (50,000) spread over 40 codes and two coders (a
 * GRand with a fixed seed, written straight into the tables) and times
 * exporting it as a .qdpx and importing that back.  Each figure is
 * printed as `name: value unit`, the median of --runs runs (5).
 *
 *   build/tools/tsr-refi-benchmark [--sample PATH] [--documents N] [--segments N]
 *
 * The sample is looked for in $TESSERA_QDA_SAMPLES; without it that
 * figure is skipped.  It is a program, not a timed test: timings depend
 * on the machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tessera.h"
#include "tsr-database-private.h"
#include "tsr-project-private.h"

static const char * const words[] = {
  "the", "a", "and", "of", "to", "in", "that", "it", "was", "for", "on", "with",
  "patient", "nurse", "doctor", "ward", "shift", "family", "team", "care", "time",
  "hope", "fear", "grief", "relief", "support", "trust", "remember", "felt", "said",
  "café", "naïve", "Zürich", "λόγος", "日本", "🙂", "köszönöm",
};

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-refi-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[n / 2];
}

static void
remove_project (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static double
time_import (const char *qdpx,
             const char *dir,
             guint       runs,
             guint      *n_segments)
{
  g_autoptr(GFile) file = g_file_new_for_path (qdpx);
  g_autofree char *target = g_build_filename (dir, "imported.tessera", NULL);
  g_autofree double *times = g_new (double, runs);

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(TsrProject) project = NULL;
      g_autoptr(TsrRefiSummary) summary = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;

      remove_project (target);
      start = g_get_monotonic_time ();
      project = tsr_project_import_qdpx (target, file, &summary, NULL, NULL, NULL, &error);
      if (project == NULL || !tsr_project_close (project, &error))
        die ("import", error);
      times[i] = ms_since (start);
      *n_segments = summary->n_segments;
    }
  remove_project (target);
  return median (times, runs);
}

static void
generate (TsrProject *project,
          guint       n_documents,
          guint       n_segments)
{
  TsrDatabase *db = _tsr_project_get_database (project);
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  g_autoptr(GError) error = NULL;
  g_autofree guint *lengths = g_new0 (guint, n_documents);
  sqlite3_stmt *stmt;

  if (!tsr_database_begin (db, &error) ||
      !tsr_database_exec (db, "INSERT INTO coders (uuid, name, created) VALUES"
                              " ('a0000000-0000-4000-8000-000000000001', 'Dana', 0),"
                              " ('a0000000-0000-4000-8000-000000000002', 'Rafael', 0)", &error))
    die ("coders", error);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Code %u", i + 1);

      stmt = tsr_database_prepare (db, "INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
                                       " VALUES (?, ?, ?, '#3584e4', 'A code.', ?, 0)", &error);
      if (stmt == NULL)
        die ("codes", error);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (i < 8)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, 1 + i % 8);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, i);
      if (!tsr_database_run (db, stmt, &error))
        die ("codes", error);
    }
  for (guint d = 0; d < n_documents; d++)
    {
      GString *text = g_string_new (NULL);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Interview %04u", d + 1);
      g_autofree char *hash = NULL;

      while (text->len < 3000)
        {
          g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append_c (text, g_rand_int_range (rand, 0, 12) == 0 ? '\n' : ' ');
        }
      lengths[d] = g_utf8_strlen (text->str, -1);
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, -1);
      stmt = tsr_database_prepare (db, "INSERT INTO documents (uuid, name, content_hash, length, position, created)"
                                       " VALUES (?, ?, ?, ?, ?, 0)", &error);
      if (stmt == NULL)
        die ("documents", error);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 4, lengths[d]);
      sqlite3_bind_int (stmt, 5, d);
      if (!tsr_database_run (db, stmt, &error))
        die ("documents", error);
      stmt = tsr_database_prepare (db, "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", &error);
      sqlite3_bind_int64 (stmt, 1, d + 1);
      sqlite3_bind_text (stmt, 2, text->str, -1, SQLITE_TRANSIENT);
      if (!tsr_database_run (db, stmt, &error))
        die ("texts", error);
      g_string_free (text, TRUE);
    }
  for (guint s = 0; s < n_segments; s++)
    {
      guint d = g_rand_int_range (rand, 0, n_documents);
      guint start = g_rand_int_range (rand, 0, lengths[d] - 200);
      guint end = start + g_rand_int_range (rand, 10, 200);
      g_autofree char *uuid = g_uuid_string_random ();

      stmt = tsr_database_prepare (db, "INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                                       " SELECT ?1, ?2, ?3, ?4, ?5, ?6, substr (text, ?5 + 1, ?6 - ?5), 1700000000000000"
                                       " FROM document_texts WHERE document_id = ?2", &error);
      if (stmt == NULL)
        die ("segments", error);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, d + 1);
      sqlite3_bind_int (stmt, 3, 1 + g_rand_int_range (rand, 0, 40));
      sqlite3_bind_int (stmt, 4, 1 + g_rand_int_range (rand, 0, 2));
      sqlite3_bind_int (stmt, 5, start);
      sqlite3_bind_int (stmt, 6, end);
      if (!tsr_database_run (db, stmt, &error))
        die ("segments", error);
    }
  if (!tsr_database_commit (db, &error))
    die ("commit", error);
  _tsr_project_reload (project);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time REFI-QDA import and export");
  g_autoptr(GError) error = NULL;
  g_autofree char *sample = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *qdpx = NULL;
  g_autoptr(TsrProject) project = NULL;
  int n_documents = 1000, n_segments = 50000, runs = 5;
  const GOptionEntry entries[] = {
    { "sample", 0, 0, G_OPTION_ARG_FILENAME, &sample, "The NVivo 12 sample", "PATH" },
    { "documents", 0, 0, G_OPTION_ARG_INT, &n_documents, "Documents to generate (1000)", "N" },
    { "segments", 0, 0, G_OPTION_ARG_INT, &n_segments, "Passages to generate (50000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each (5)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_documents < 1 || n_segments < 0 || runs < 1)
    die ("options", NULL);
  if (sample == NULL && g_getenv ("TESSERA_QDA_SAMPLES") != NULL)
    sample = g_build_filename (g_getenv ("TESSERA_QDA_SAMPLES"), "nvivo12win_oltas0517.qdpx", NULL);
  dir = g_dir_make_tmp ("tsr-refi-benchmark-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);

  if (sample != NULL && g_file_test (sample, G_FILE_TEST_IS_REGULAR))
    {
      guint n = 0;
      double ms = time_import (sample, dir, runs, &n);

      printf ("import_nvivo12_sample: %.0f ms (%u passages)\n", ms, n);
    }
  else
    printf ("import_nvivo12_sample: skipped (no sample; give --sample or TESSERA_QDA_SAMPLES)\n");

  project_path = g_build_filename (dir, "generated.tessera", NULL);
  qdpx = g_build_filename (dir, "generated.qdpx", NULL);
  if (!(project = tsr_project_create (project_path, &error)))
    die ("create", error);
  generate (project, n_documents, n_segments);
  {
    g_autoptr(GFile) file = g_file_new_for_path (qdpx);
    g_autofree double *times = g_new (double, runs);
    g_autoptr(GFileInfo) info = NULL;
    guint n_written = 0;

    for (int i = 0; i < runs; i++)
      {
        g_autoptr(TsrRefiSummary) summary = NULL;
        gint64 start = g_get_monotonic_time ();

        if (!tsr_project_export_qdpx (project, file, &summary, NULL, &error))
          die ("export", error);
        times[i] = ms_since (start);
        n_written = summary->n_segments;
      }
    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
    printf ("export_%d_documents_%u_passages: %.0f ms (%.1f MB)\n", n_documents, n_written, median (times, runs),
            info ? g_file_info_get_size (info) / 1e6 : 0.0);
  }
  {
    guint n = 0;
    double ms = time_import (qdpx, dir, runs, &n);

    printf ("import_that_export_back: %.0f ms (%u passages)\n", ms, n);
  }
  tsr_project_close (project, NULL);
  remove_project (project_path);
  g_unlink (qdpx);
  g_rmdir (dir);
  return 0;
}
