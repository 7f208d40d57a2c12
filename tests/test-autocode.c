/* test-autocode.c — coding every hit of a search as one undoable step,
 * and tessera-cli autocode
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
  gint64      d1, d2;
  gint64      code;
} Fixture;

static const char d1_text[] = "We clapped. Then the nurses clapped again, louder!\nA new paragraph: no applause.";
static const char d2_text[] = "“They clapped,” she said. Nobody else did.";

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;

  f->dir = g_dir_make_tmp ("tsr-autocode-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "autocode.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  coder = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  f->d1 = tsr_project_add_document (f->project, "D1", d1_text, NULL, &error);
  f->d2 = tsr_project_add_document (f->project, "D2", d2_text, NULL, &error);
  g_assert_no_error (error);
  f->code = tsr_project_create_code (f->project, 0, "Applause", "#3584e4", NULL, &error);
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

/* The code's passages' texts, joined by "|". */
static char *
passages (Fixture *f)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  tsr_retrieve_query_add_code (query, f->code);
  list = tsr_project_retrieve (f->project, query, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TsrRetrievedPassage) p = g_list_model_get_item (list, i);

      g_string_append_printf (out, "%s%s", i ? "|" : "", tsr_retrieved_passage_get_text (p));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
autocode (Fixture         *f,
          const char      *query,
          TsrAutocodeUnit  unit,
          guint            expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, query, TSR_SEARCH_SUBSTRING, NULL, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_true (tsr_project_autocode (f->project, hits, f->code, unit, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected);
  return passages (f);
}

static void
test_units (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hit = NULL;
  g_autofree char *word = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *paragraph = NULL;

  hit = autocode (f, "lapp", TSR_AUTOCODE_HIT, 3);
  g_assert_cmpstr (hit, ==, "lapp|lapp|lapp");
  g_assert_true (tsr_project_undo (f->project, &error));

  word = autocode (f, "lapp", TSR_AUTOCODE_WORD, 3);
  g_assert_cmpstr (word, ==, "clapped|clapped|clapped");
  g_assert_true (tsr_project_undo (f->project, &error));

  /* The sentences with their end and closing quote. */
  sentence = autocode (f, "lapp", TSR_AUTOCODE_SENTENCE, 3);
  g_assert_cmpstr (sentence, ==, "We clapped.|Then the nurses clapped again, louder!|“They clapped,” she said.");
  g_assert_true (tsr_project_undo (f->project, &error));

  /* Two hits in one paragraph are one passage. */
  paragraph = autocode (f, "app", TSR_AUTOCODE_PARAGRAPH, 3);
  g_assert_cmpstr (paragraph, ==, "We clapped. Then the nurses clapped again, louder!|A new paragraph: no applause.|"
                                  "“They clapped,” she said. Nobody else did.");
  g_assert_no_error (error);
}

/* One step: one history entry, one undo takes all of it back, one redo
 * brings all of it again; coding again adds nothing already there. */
static void
test_one_step (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history_before = tsr_project_list_history (f->project, 100);
  g_autoptr(GPtrArray) history_after = NULL;
  g_autofree char *coded = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *again = NULL;
  g_autofree char *label = NULL;

  coded = autocode (f, "lapp", TSR_AUTOCODE_WORD, 3);
  history_after = tsr_project_list_history (f->project, 100);
  g_assert_cmpuint (history_after->len, ==, history_before->len + 1);
  label = tsr_project_get_undo_label (f->project);
  g_assert_nonnull (strstr (label, "Applause"));

  g_assert_true (tsr_project_undo (f->project, &error));
  g_assert_no_error (error);
  undone = passages (f);
  g_assert_cmpstr (undone, ==, "");
  g_assert_true (tsr_project_redo (f->project, &error));
  redone = passages (f);
  g_assert_cmpstr (redone, ==, coded);

  again = autocode (f, "clapped", TSR_AUTOCODE_WORD, 0);
  g_assert_cmpstr (again, ==, coded);
}

static void
test_no_code (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, "clapped", TSR_SEARCH_WORDS, NULL, NULL, &error);

  g_assert_false (tsr_project_autocode (f->project, hits, 999, TSR_AUTOCODE_WORD, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_auto(TsrTestRun) coded = { 0, };
  g_auto(TsrTestRun) listed = { 0, };
  g_auto(TsrTestRun) undo = { 0, };
  g_auto(TsrTestRun) after = { 0, };
  g_auto(TsrTestRun) bad = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_close (f->project, &error));
  g_clear_object (&f->project);

  tsr_test_run_cli (&coded, "Ada", "autocode", f->path, "clapped", "Applause", "--unit", "sentence", NULL);
  g_assert_cmpint (coded.status, ==, 0);
  g_assert_cmpstr (coded.out, ==, "3\n");

  tsr_test_run_cli (&listed, NULL, "retrieve", f->path, "Applause", "--context", "0", NULL);
  g_assert_nonnull (strstr (listed.out, "\tThen the nurses clapped again, louder!\t"));

  tsr_test_run_cli (&undo, "Ada", "undo", f->path, NULL);
  g_assert_cmpint (undo.status, ==, 0);
  tsr_test_run_cli (&after, NULL, "retrieve", f->path, "Applause", NULL);
  g_assert_cmpstr (after.out, ==, "document\tstart\tend\tcode\tcoder\tbefore\tpassage\tafter\tmemo\n");

  tsr_test_run_cli (&bad, "Ada", "autocode", f->path, "clapped", "Applause", "--unit", "chapter", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "Unknown unit “chapter”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/autocode/units", test_units);
  ADD ("/autocode/one-step", test_one_step);
  ADD ("/autocode/no-code", test_no_code);
  ADD ("/autocode/cli", test_cli);
#undef ADD

  return g_test_run ();
}
