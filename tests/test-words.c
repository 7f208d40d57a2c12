/* test-words.c — word frequencies and tessera-cli words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
  gint64      d1, d2, d3;
  gint64      hope;
  gint64      case_id;
} Fixture;

static const char d1_text[] = "The nurse said: don't worry. The NURSE smiled; the café was closed.";
static const char d2_text[] = "Hope, hope and more hope. Die Krankenschwester und der Arzt.";
static const char d3_text[] = "Az ápoló mosolygott. A nővér l’hôpital 2024 hope";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;

  f->dir = g_dir_make_tmp ("tsr-words-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "words.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  coder = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  f->d1 = tsr_project_add_document (f->project, "D1", d1_text, NULL, &error);
  f->d2 = tsr_project_add_document (f->project, "D2", d2_text, NULL, &error);
  f->d3 = tsr_project_add_document (f->project, "D3", d3_text, NULL, &error);
  g_assert_no_error (error);
  f->hope = tsr_project_create_code (f->project, 0, "Hope", "#3584e4", NULL, &error);
  g_assert_no_error (error);
  /* "Hope, hope and more hope." */
  tsr_project_add_segment (f->project, f->d2, f->hope, 0, 25, &error);
  g_assert_no_error (error);
  f->case_id = tsr_project_create_case (f->project, "Hungary", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_case_membership (f->project, f->case_id, f->d3, TRUE, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->project != NULL)
    tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The table as "word=count/documents" joined by spaces. */
static char *
count (Fixture       *f,
       TsrWordsQuery *query,
       guint64       *n_words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) table = tsr_project_count_words (f->project, query, n_words, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < table->len; i++)
    {
      TsrWordCount *c = table->pdata[i];

      g_string_append_printf (out, "%s%s=%u/%u", i ? " " : "", c->word, c->count, c->documents);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_project (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TsrWordsQuery) query = tsr_words_query_new ();
  g_autofree char *all = NULL;
  guint64 n = 0;

  all = count (f, query, &n);
  /* Lower case, accents kept, an apostrophe inside a word keeps it
   * whole; the most frequent first, then alphabetical. */
  g_assert_true (g_str_has_prefix (all, "hope=4/2 the=3/1 nurse=2/1 "));
  g_assert_nonnull (strstr (all, " don't=1/1"));
  g_assert_nonnull (strstr (all, " café=1/1"));
  g_assert_nonnull (strstr (all, " l’hôpital=1/1"));
  g_assert_nonnull (strstr (all, " ápoló=1/1"));
  g_assert_nonnull (strstr (all, " 2024=1/1"));
  /* 12 + 10 + 8 words. */
  g_assert_cmpuint (n, ==, 30);
}

static void
test_stop_words_and_length (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(TsrWordsQuery) query = tsr_words_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;

  g_assert_true (tsr_words_query_add_stop_words (query, "en", &error));
  g_assert_true (tsr_words_query_add_stop_words (query, "de", &error));
  g_assert_true (tsr_words_query_add_stop_words (query, "hu", &error));
  g_assert_no_error (error);
  tsr_words_query_exclude (query, "HOPE");
  tsr_words_query_set_min_length (query, 5);
  table = count (f, query, NULL);
  g_assert_null (strstr (table, "the="));
  g_assert_null (strstr (table, "und="));
  g_assert_null (strstr (table, "az="));
  g_assert_null (strstr (table, "hope="));
  g_assert_null (strstr (table, "café="));   /* four characters */
  g_assert_nonnull (strstr (table, "nurse=2/1"));
  g_assert_nonnull (strstr (table, "krankenschwester=1/1"));

  g_assert_false (tsr_words_query_add_stop_words (query, "xx", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  for (const char * const *l = tsr_words_stop_languages (); *l != NULL; l++)
    {
      g_autoptr(GError) each = NULL;

      g_assert_true (tsr_words_query_add_stop_words (query, *l, &each));
      g_assert_no_error (each);
    }
}

static void
test_narrowed (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TsrWordsQuery) documents = tsr_words_query_new ();
  g_autoptr(TsrWordsQuery) code = tsr_words_query_new ();
  g_autoptr(TsrWordsQuery) in_case = tsr_words_query_new ();
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autofree char *documents_table = NULL;
  g_autofree char *code_table = NULL;
  g_autofree char *case_table = NULL;

  tsr_words_query_set_documents (documents, &f->d1, 1);
  documents_table = count (f, documents, NULL);
  g_assert_null (strstr (documents_table, "hope"));
  g_assert_true (g_str_has_prefix (documents_table, "the=3/1 nurse=2/1"));

  tsr_words_query_set_code (code, f->hope, FALSE);
  code_table = count (f, code, NULL);
  g_assert_cmpstr (code_table, ==, "hope=3/1 and=1/1 more=1/1");

  tsr_scope_set_case (scope, f->case_id);
  tsr_words_query_set_scope (in_case, scope);
  case_table = count (f, in_case, NULL);
  g_assert_true (g_str_has_prefix (case_table, "2024=1/1 a=1/1 az=1/1"));
  g_assert_null (strstr (case_table, "nurse"));
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_auto(TsrTestRun) top = { 0, };
  g_auto(TsrTestRun) code = { 0, };
  g_auto(TsrTestRun) bad = { 0, };
  g_auto(TsrTestRun) csv = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_close (f->project, &error));
  g_clear_object (&f->project);

  tsr_test_run_cli (&top, NULL, "words", f->path, "--top", "2", "--stop", "en,de", NULL);
  g_assert_cmpint (top.status, ==, 0);
  g_assert_cmpstr (top.out, ==, "word\tcount\tdocuments\nhope\t4\t2\nnurse\t2\t1\n");

  tsr_test_run_cli (&code, NULL, "words", f->path, "--code", "Hope", "--min-length", "4", NULL);
  g_assert_cmpint (code.status, ==, 0);
  g_assert_cmpstr (code.out, ==, "word\tcount\tdocuments\nhope\t3\t1\nmore\t1\t1\n");

  tsr_test_run_cli (&bad, NULL, "words", f->path, "--stop", "klingon", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "There is no stop-word list for “klingon”"));

  tsr_test_run_cli (&csv, NULL, "words", f->path, "--document", "D3", "--format", "csv", NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_str_has_prefix (csv.out, "Word,Count,Documents\r\n"));
  g_assert_nonnull (strstr (csv.out, "l’hôpital,1,1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/words/project", test_project);
  ADD ("/words/stop-words-and-length", test_stop_words_and_length);
  ADD ("/words/narrowed", test_narrowed);
  ADD ("/words/cli", test_cli);
#undef ADD

  return g_test_run ();
}
