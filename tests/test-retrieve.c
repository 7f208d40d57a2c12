/* test-retrieve.c — every passage of a code, of several codes or of a
 * theme, and tessera-cli retrieve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
  gint64      ada, ben;
  gint64      d1, d2, d3;
  gint64      hope, hope_small, fear, other;
  gint64      theme, sub_theme;
  gint64      case_id;
  gint64      memo_segment;
} Fixture;

static const char d1_text[] = "Zoë said the ceremony gave her hope.\nThe nurses clapped; she cried.";
static const char d2_text[] = "Fear first, then a small hope. Nothing else.";
static const char d3_text[] = "東京の看護師は希望を語った。Hope again, at the end";

static gint64
add_segment (Fixture *f,
             gint64   document,
             gint64   code,
             gint64   coder,
             guint    start,
             guint    end)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_segment_for_coder (f->project, document, code, coder, start, end, &error);

  g_assert_no_error (error);
  return id;
}

static gint64
create_code (Fixture    *f,
             gint64      parent,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_create_code (f->project, parent, name, "#3584e4", NULL, &error);

  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ben = NULL;

  f->dir = g_dir_make_tmp ("tsr-retrieve-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "retrieve.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  ada = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  ben = tsr_project_ensure_coder (f->project, "Ben", &error);
  g_assert_no_error (error);
  f->ada = tsr_test_id_of (ada);
  f->ben = tsr_test_id_of (ben);

  f->d1 = tsr_project_add_document (f->project, "D1", d1_text, NULL, &error);
  g_assert_no_error (error);
  f->d2 = tsr_project_add_document (f->project, "D2", d2_text, NULL, &error);
  g_assert_no_error (error);
  f->d3 = tsr_project_add_document (f->project, "D3", d3_text, NULL, &error);
  g_assert_no_error (error);

  f->hope = create_code (f, 0, "Hope");
  f->hope_small = create_code (f, f->hope, "Small");
  f->fear = create_code (f, 0, "Fear");
  f->other = create_code (f, 0, "Other");

  /* D3 first in the passages' creation, to see the order is the
   * documents'. */
  add_segment (f, f->d3, f->hope, f->ada, 14, 24);          /* "Hope again" */
  add_segment (f, f->d1, f->hope, f->ada, 31, 35);          /* "hope" */
  add_segment (f, f->d1, f->hope, f->ben, 0, 35);           /* the whole sentence, Ben */
  add_segment (f, f->d2, f->hope_small, f->ada, 19, 29);    /* "small hope" */
  add_segment (f, f->d2, f->fear, f->ben, 0, 4);            /* "Fear" */
  add_segment (f, f->d1, f->other, f->ada, 37, 47);
  f->memo_segment = add_segment (f, f->d1, f->fear, f->ada, 48, 55);  /* "clapped" */
  g_assert_true (tsr_project_set_memo (f->project, TSR_MEMO_SEGMENT, f->memo_segment, "Applause, not fear?", &error));
  g_assert_no_error (error);

  f->theme = tsr_project_create_theme (f->project, 0, "Feelings", &error);
  g_assert_no_error (error);
  f->sub_theme = tsr_project_create_theme (f->project, f->theme, "Dread", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_add_code_to_theme (f->project, f->theme, f->hope, &error));
  g_assert_true (tsr_project_add_code_to_theme (f->project, f->sub_theme, f->fear, &error));
  g_assert_no_error (error);

  f->case_id = tsr_project_create_case (f->project, "Ward 2", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_case_membership (f->project, f->case_id, f->d2, TRUE, &error));
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

/* The passages as "document:start-end code coder" joined by "; ". */
static char *
describe (GListModel *passages)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (passages); i++)
    {
      g_autoptr(TsrRetrievedPassage) p = g_list_model_get_item (passages, i);

      g_string_append_printf (out, "%s%s:%u-%u %s %s", i ? "; " : "",
                              tsr_retrieved_passage_get_document_name (p),
                              tsr_retrieved_passage_get_start (p), tsr_retrieved_passage_get_end (p),
                              tsr_retrieved_passage_get_code_path (p),
                              tsr_retrieved_passage_get_coder_name (p));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GListModel *
retrieve (Fixture          *f,
          TsrRetrieveQuery *query)
{
  g_autoptr(GError) error = NULL;
  GListModel *passages = tsr_project_retrieve (f->project, query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (passages);
  return passages;
}

static void
test_code (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) own = NULL;
  g_autoptr(GListModel) with_subcodes = NULL;
  g_autofree char *own_text = NULL;
  g_autofree char *with_text = NULL;

  tsr_retrieve_query_add_code (query, f->hope);
  own = retrieve (f, query);
  own_text = describe (own);
  /* Document order, then position; both coders. */
  g_assert_cmpstr (own_text, ==, "D1:0-35 Hope Ben; D1:31-35 Hope Ada; D3:14-24 Hope Ada");

  tsr_retrieve_query_set_with_subcodes (query, TRUE);
  with_subcodes = retrieve (f, query);
  with_text = describe (with_subcodes);
  g_assert_cmpstr (with_text, ==, "D1:0-35 Hope Ben; D1:31-35 Hope Ada; D2:19-29 Hope/Small Ada; D3:14-24 Hope Ada");
}

/* The passage's text and its context are the document's characters
 * around it, in any script, with line ends as spaces. */
static void
test_context (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) passages = NULL;
  g_autoptr(TsrRetrievedPassage) d1 = NULL;
  g_autoptr(TsrRetrievedPassage) d3 = NULL;

  tsr_retrieve_query_add_code (query, f->hope);
  tsr_retrieve_query_set_context (query, 5);
  passages = retrieve (f, query);

  d1 = g_list_model_get_item (passages, 1);
  g_assert_cmpstr (tsr_retrieved_passage_get_text (d1), ==, "hope");
  g_assert_cmpstr (tsr_retrieved_passage_get_before (d1), ==, " her ");
  g_assert_cmpstr (tsr_retrieved_passage_get_after (d1), ==, ". The");
  g_assert_null (tsr_retrieved_passage_get_memo (d1));
  g_assert_cmpint (tsr_retrieved_passage_get_document_id (d1), ==, f->d1);
  g_assert_cmpint (tsr_retrieved_passage_get_code_id (d1), ==, f->hope);
  g_assert_cmpint (tsr_retrieved_passage_get_coder_id (d1), ==, f->ada);

  d3 = g_list_model_get_item (passages, 2);
  g_assert_cmpstr (tsr_retrieved_passage_get_text (d3), ==, "Hope again");
  g_assert_cmpstr (tsr_retrieved_passage_get_before (d3), ==, "を語った。");
  g_assert_cmpstr (tsr_retrieved_passage_get_after (d3), ==, ", at ");

  /* At the start of a document there is nothing before. */
  {
    g_autoptr(TsrRetrievedPassage) first = g_list_model_get_item (passages, 0);

    g_assert_cmpstr (tsr_retrieved_passage_get_before (first), ==, "");
    g_assert_cmpstr (tsr_retrieved_passage_get_after (first), ==, ". The");
  }
}

static void
test_several_codes_and_memo (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) passages = NULL;
  g_autofree char *text = NULL;
  g_autoptr(TsrRetrievedPassage) clapped = NULL;

  tsr_retrieve_query_add_code (query, f->fear);
  tsr_retrieve_query_add_code (query, f->other);
  passages = retrieve (f, query);
  text = describe (passages);
  g_assert_cmpstr (text, ==, "D1:37-47 Other Ada; D1:48-55 Fear Ada; D2:0-4 Fear Ben");

  clapped = g_list_model_get_item (passages, 1);
  g_assert_cmpint (tsr_retrieved_passage_get_segment_id (clapped), ==, f->memo_segment);
  g_assert_cmpstr (tsr_retrieved_passage_get_memo (clapped), ==, "Applause, not fear?");
  g_assert_cmpstr (tsr_retrieved_passage_get_text (clapped), ==, "clapped");
}

/* A theme: its codes with their sub-codes, and its sub-themes' codes. */
static void
test_theme (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(TsrRetrieveQuery) sub = tsr_retrieve_query_new ();
  g_autoptr(GListModel) passages = NULL;
  g_autoptr(GListModel) sub_passages = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sub_text = NULL;

  tsr_retrieve_query_add_theme (query, f->theme);
  passages = retrieve (f, query);
  text = describe (passages);
  g_assert_cmpstr (text, ==, "D1:0-35 Hope Ben; D1:31-35 Hope Ada; D1:48-55 Fear Ada; D2:0-4 Fear Ben; "
                             "D2:19-29 Hope/Small Ada; D3:14-24 Hope Ada");

  tsr_retrieve_query_add_theme (sub, f->sub_theme);
  sub_passages = retrieve (f, sub);
  sub_text = describe (sub_passages);
  g_assert_cmpstr (sub_text, ==, "D1:48-55 Fear Ada; D2:0-4 Fear Ben");
}

/* Whose passages and which documents come from a scope. */
static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(TsrScope) ben = tsr_scope_new (TSR_CODERS_ONE, f->ben);
  g_autoptr(TsrScope) in_case = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(GListModel) bens = NULL;
  g_autoptr(GListModel) nobody = NULL;
  g_autoptr(GListModel) every = NULL;
  g_autofree char *bens_text = NULL;
  g_autofree char *every_text = NULL;

  tsr_retrieve_query_add_theme (query, f->theme);
  tsr_retrieve_query_set_scope (query, ben);
  bens = retrieve (f, query);
  bens_text = describe (bens);
  g_assert_cmpstr (bens_text, ==, "D1:0-35 Hope Ben; D2:0-4 Fear Ben");

  /* Nobody reconciled: no consensus passages in the case's documents. */
  tsr_scope_set_case (in_case, f->case_id);
  tsr_retrieve_query_set_scope (query, in_case);
  nobody = retrieve (f, query);
  g_assert_cmpuint (g_list_model_get_n_items (nobody), ==, 0);

  /* Every coder's, in the case's documents. */
  tsr_retrieve_query_set_every_coder (query, TRUE);
  every = retrieve (f, query);
  every_text = describe (every);
  g_assert_cmpstr (every_text, ==, "D2:0-4 Fear Ben; D2:19-29 Hope/Small Ada");
}

static void
on_retrieved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GListModel **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsr_project_retrieve_finish (TSR_PROJECT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) sync = NULL;
  g_autoptr(GListModel) async = NULL;
  g_autofree char *sync_text = NULL;
  g_autofree char *async_text = NULL;

  tsr_retrieve_query_add_theme (query, f->theme);
  sync = retrieve (f, query);
  tsr_project_retrieve_async (f->project, query, NULL, on_retrieved_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  sync_text = describe (sync);
  async_text = describe (async);
  g_assert_cmpstr (sync_text, ==, async_text);
}

/* A removed passage is gone from the next retrieval, and back after
 * undo. */
static void
test_after_edits (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) before = NULL;
  g_autoptr(GListModel) after = NULL;
  g_autoptr(GListModel) undone = NULL;
  g_autoptr(TsrRetrievedPassage) first = NULL;
  g_autoptr(GError) error = NULL;

  tsr_retrieve_query_add_code (query, f->fear);
  before = retrieve (f, query);
  first = g_list_model_get_item (before, 0);
  g_assert_true (tsr_project_remove_segment (f->project, tsr_retrieved_passage_get_segment_id (first), &error));
  g_assert_no_error (error);
  after = retrieve (f, query);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, g_list_model_get_n_items (before) - 1);
  g_assert_true (tsr_project_undo (f->project, &error));
  g_assert_no_error (error);
  undone = retrieve (f, query);
  g_assert_cmpuint (g_list_model_get_n_items (undone), ==, g_list_model_get_n_items (before));
}

static void
test_document (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) passages = NULL;
  g_autoptr(TsrExportDocument) csv = NULL;
  g_autoptr(TsrExportDocument) doc = NULL;
  TsrExportTable *table;
  g_autofree char *cell = NULL;
  g_autofree char *context = NULL;

  tsr_retrieve_query_add_code (query, f->fear);
  passages = retrieve (f, query);

  csv = tsr_retrieved_passages_to_document (passages, "Passages: Fear", NULL, TSR_EXPORT_CSV);
  g_assert_cmpuint (tsr_export_document_get_n_tables (csv), ==, 1);
  table = tsr_export_document_get_table (csv, 0);
  g_assert_cmpuint (tsr_export_table_get_n_columns (table), ==, 9);
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, 2);
  g_assert_cmpstr (tsr_export_table_get_header (table, 6), ==, "Passage");
  cell = tsr_export_table_get_cell_text (table, 0, 8);
  g_assert_cmpstr (cell, ==, "Applause, not fear?");

  doc = tsr_retrieved_passages_to_document (passages, "Passages: Fear", "Coding of any coder", TSR_EXPORT_HTML);
  table = NULL;
  for (guint b = 0; table == NULL && b < tsr_export_document_get_n_blocks (doc); b++)
    table = tsr_export_document_get_table (doc, b);
  g_assert_nonnull (table);
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, 2);
  context = tsr_export_table_get_cell_text (table, 0, 2);
  g_assert_nonnull (strstr (context, "clapped"));
  {
    TsrExportParagraph *paragraph = tsr_export_table_get_cell_paragraph (table, 0, 2, 0);
    TsrTextStyle style = TSR_TEXT_PLAIN;
    gboolean found = FALSE;

    for (guint r = 0; r < tsr_export_paragraph_get_n_runs (paragraph); r++)
      if (g_str_equal (tsr_export_paragraph_get_run (paragraph, r, &style), "clapped"))
        {
          g_assert_true (style & TSR_TEXT_BOLD);
          found = TRUE;
        }
    g_assert_true (found);
  }
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_auto(TsrTestRun) tsv = { 0, };
  g_auto(TsrTestRun) ben = { 0, };
  g_auto(TsrTestRun) theme = { 0, };
  g_auto(TsrTestRun) nothing = { 0, };
  g_auto(TsrTestRun) unknown = { 0, };
  g_auto(TsrTestRun) docx = { 0, };
  g_auto(TsrTestRun) csv = { 0, };
  g_auto(TsrTestRun) in_case = { 0, };
  g_autofree char *docx_path = g_build_filename (f->dir, "fear.docx", NULL);
  g_autofree char *csv_path = g_build_filename (f->dir, "fear.csv", NULL);
  g_autofree char *csv_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_close (f->project, &error));
  g_assert_no_error (error);
  g_clear_object (&f->project);

  tsr_test_run_cli (&tsv, NULL, "retrieve", f->path, "Hope", "--with-subcodes", "--context", "5", NULL);
  g_assert_cmpint (tsv.status, ==, 0);
  lines = g_strsplit (tsv.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "document\tstart\tend\tcode\tcoder\tbefore\tpassage\tafter\tmemo");
  g_assert_cmpstr (lines[2], ==, "D1\t31\t35\tHope\tAda\t her \thope\t. The\t");
  g_assert_cmpstr (lines[3], ==, "D2\t19\t29\tHope/Small\tAda\ten a \tsmall hope\t. Not\t");
  g_assert_cmpstr (lines[5], ==, "");

  tsr_test_run_cli (&ben, NULL, "retrieve", f->path, "Hope", "Fear", "--coder", "Ben", NULL);
  g_assert_cmpint (ben.status, ==, 0);
  {
    g_auto(GStrv) ben_lines = g_strsplit (ben.out, "\n", -1);

    /* The header, two passages, the end. */
    g_assert_cmpuint (g_strv_length (ben_lines), ==, 4);
  }

  tsr_test_run_cli (&theme, NULL, "retrieve", f->path, "--theme", "Dread", NULL);
  g_assert_cmpint (theme.status, ==, 0);
  g_assert_nonnull (strstr (theme.out, "\tclapped\t"));
  g_assert_nonnull (strstr (theme.out, "Applause, not fear?"));

  tsr_test_run_cli (&in_case, NULL, "retrieve", f->path, "--theme", "Feelings", "--case", "Ward 2", NULL);
  g_assert_cmpint (in_case.status, ==, 0);
  g_assert_null (strstr (in_case.out, "D1\t"));
  g_assert_nonnull (strstr (in_case.out, "D2\t0\t4\tFear\tBen"));

  tsr_test_run_cli (&nothing, NULL, "retrieve", f->path, NULL);
  g_assert_cmpint (nothing.status, ==, 2);
  g_assert_nonnull (strstr (nothing.err, "Name at least one CODE or --theme"));

  tsr_test_run_cli (&unknown, NULL, "retrieve", f->path, "Courage", NULL);
  g_assert_cmpint (unknown.status, !=, 0);
  g_assert_nonnull (strstr (unknown.err, "There is no code “Courage”"));
  g_assert_cmpstr (unknown.out, ==, "");

  tsr_test_run_cli (&docx, NULL, "retrieve", f->path, "Fear", "--out", docx_path, NULL);
  g_assert_cmpint (docx.status, ==, 0);
  g_assert_true (g_file_test (docx_path, G_FILE_TEST_IS_REGULAR));

  tsr_test_run_cli (&csv, NULL, "retrieve", f->path, "Fear", "--format", "csv", "--out", csv_path, NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv_text, "Document,Start,End,Code,Coder,Before,Passage,After,Memo\r\n"));
  g_assert_nonnull (strstr (csv_text, "Applause, not fear?"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/retrieve/code", test_code);
  ADD ("/retrieve/context", test_context);
  ADD ("/retrieve/several-codes-and-memo", test_several_codes_and_memo);
  ADD ("/retrieve/theme", test_theme);
  ADD ("/retrieve/scope", test_scope);
  ADD ("/retrieve/async", test_async);
  ADD ("/retrieve/after-edits", test_after_edits);
  ADD ("/retrieve/document", test_document);
  ADD ("/retrieve/cli", test_cli);
#undef ADD

  return g_test_run ();
}
