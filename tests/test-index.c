/* test-index.c — the full-text index stays in step with the documents
 *
 * After every kind of change to the documents (import, rename, delete,
 * their undo and redo, a merge, a JSON import) each index must hold
 * exactly what rebuilding it from the texts gives: every term, in every
 * document, at every position.  An index that took a change twice or
 * missed one differs from its rebuild.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-database-private.h"
#include "tsr-project-private.h"
#include "tsr-test-utils.h"

static const char * const indexes[] = { "search_words", "search_trigrams" };

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
  TsrCoder   *coder;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsr-index-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "index.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  f->coder = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->project != NULL)
    tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  g_clear_object (&f->coder);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
query_text (TsrDatabase *db,
            const char  *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = tsr_database_prepare (db, sql, &error);
  char *s;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  s = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return s ? s : g_strdup ("");
}

static gint64
query_int (TsrDatabase *db,
           const char  *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = tsr_database_prepare (db, sql, &error);
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Every (term, document, position) the index holds, in order. */
static char *
dump_index (TsrDatabase *db,
            const char  *table)
{
  g_autofree char *create = g_strdup_printf ("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_%s"
                                             " USING fts5vocab (main, %s, instance)", table, table);
  g_autofree char *select = g_strdup_printf ("SELECT group_concat (term || ':' || doc || ':' ||"
                                             " coalesce (offset, '-'), ' ') FROM"
                                             " (SELECT * FROM temp.vocab_%s ORDER BY term, doc, offset)",
                                             table);
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_database_exec (db, create, &error));
  g_assert_no_error (error);
  return query_text (db, select);
}

static void
complete_index (TsrProject *project)
{
  g_autoptr(GError) error = NULL;
  guint n_left = G_MAXUINT;

  g_assert_true (tsr_project_complete_index (project, 0, &n_left, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_left, ==, 0);
}

/* Both indexes hold what a rebuild from the texts gives, once the
 * trigram index has caught up with the texts waiting for it. */
static void
assert_index_in_step (TsrProject *project)
{
  TsrDatabase *db = _tsr_project_get_database (project);
  g_autoptr(GError) error = NULL;

  complete_index (project);

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *before = dump_index (db, indexes[i]);
      g_autofree char *after = NULL;
      g_autofree char *rebuild = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('rebuild')", indexes[i], indexes[i]);
      g_autofree char *check = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('integrity-check')", indexes[i], indexes[i]);

      g_assert_true (tsr_database_exec (db, check, &error));
      g_assert_no_error (error);
      g_assert_true (tsr_database_exec (db, "SAVEPOINT index_check", &error));
      g_assert_true (tsr_database_exec (db, rebuild, &error));
      g_assert_no_error (error);
      after = dump_index (db, indexes[i]);
      g_assert_true (tsr_database_exec (db, "ROLLBACK TO index_check; RELEASE index_check", &error));
      g_assert_no_error (error);
      g_assert_cmpstr (before, ==, after);
    }
}

static gint64
n_matching (TsrProject *project,
            const char *table,
            const char *match)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s MATCH '%s'", table, table, match);
  return query_int (_tsr_project_get_database (project), sql);
}

static gint64
add_document (TsrProject *project,
              const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_document (project, name, text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
undo (TsrProject *project)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_undo (project, &error));
  g_assert_no_error (error);
}

static void
redo (TsrProject *project)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_redo (project, &error));
  g_assert_no_error (error);
}

static void
test_import_undo_redo (Fixture       *f,
                       gconstpointer  data)
{
  add_document (f->project, "E01", "The ceremony was short.");
  assert_index_in_step (f->project);
  add_document (f->project, "E02", "Mrs Whipple thanked the nurses; café staff cheered.");
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);
  /* Accents and case are ignored by the word index. */
  g_assert_cmpint (n_matching (f->project, "search_words", "CAFE"), ==, 1);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "hip AND ipp"), ==, 1);

  undo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 0);
  g_assert_cmpint (n_matching (f->project, "search_words", "ceremony"), ==, 1);

  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);

  undo (f->project);
  undo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "ceremony"), ==, 0);
  redo (f->project);
  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "ceremony OR whipple"), ==, 2);
}

static void
test_rename_delete_undo_redo (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 e01 = add_document (f->project, "E01", "The ceremony was short.");
  gint64 e02 = add_document (f->project, "E02", "Mrs Whipple thanked the nurses.");
  gint64 code = tsr_project_create_code (f->project, 0, "Gratitude", NULL, "", &error);

  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment (f->project, e02, code, 4, 11, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (tsr_project_rename_document (f->project, e01, "Essay one", &error));
  g_assert_no_error (error);
  assert_index_in_step (f->project);
  undo (f->project);
  assert_index_in_step (f->project);
  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "ceremony"), ==, 1);

  /* Deleting takes the text (and its segments) through cascades. */
  g_assert_true (tsr_project_delete_document (f->project, e02, &error));
  g_assert_no_error (error);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 0);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "hip AND ipp"), ==, 0);

  undo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "hip AND ipp"), ==, 1);

  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 0);
}

/* The history records edits, not the index they update: no changeset
 * holds a row of the index's tables. */
static void
test_history_leaves_index_out (Fixture       *f,
                               gconstpointer  data)
{
  TsrDatabase *db = _tsr_project_get_database (f->project);
  sqlite3_stmt *stmt;
  guint n = 0;

  add_document (f->project, "E01", "The ceremony was short.");
  stmt = tsr_database_prepare (db, "SELECT changeset FROM history WHERE changeset IS NOT NULL", NULL);
  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_changeset_iter *iter = NULL;

      g_assert_cmpint (sqlite3changeset_start (&iter, sqlite3_column_bytes (stmt, 0),
                                               (void *) sqlite3_column_blob (stmt, 0)), ==, SQLITE_OK);
      while (sqlite3changeset_next (iter) == SQLITE_ROW)
        {
          const char *table;
          int n_cols, op, indirect;

          sqlite3changeset_op (iter, &table, &n_cols, &op, &indirect);
          g_assert_false (g_str_has_prefix (table, "search_"));
          n++;
        }
      sqlite3changeset_finalize (iter);
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (n, >, 0);
}

static guint
n_substring_documents (TsrProject *project,
                       const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = NULL;
  guint n = 0;

  hits = tsr_project_search (project, query, TSR_SEARCH_SUBSTRING, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < hits->len; i++)
    if (i == 0 || g_array_index (hits, TsrSearchHit, i).document_id !=
                  g_array_index (hits, TsrSearchHit, i - 1).document_id)
      n++;
  return n;
}

static void
on_search_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GArray **hits = user_data;
  g_autoptr(GError) error = NULL;

  *hits = tsr_project_search_finish (TSR_PROJECT (source), result, &error);
  g_assert_no_error (error);
}

/* An import does not wait for the trigram index: the texts are listed
 * for it to take later.  Until it does, a substring search still finds
 * them, and whatever happens to them meanwhile (changes, undo, redo,
 * deletion), the index it then completes is the one a rebuild gives. */
static void
test_trigrams_catch_up (Fixture       *f,
                        gconstpointer  data)
{
  TsrDatabase *db = _tsr_project_get_database (f->project);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = NULL;
  gint64 e01, e02, e03;
  guint n_left = 0;

  e01 = add_document (f->project, "E01", "The ceremony was short.");
  e02 = add_document (f->project, "E02", "Mrs Whipple thanked the nurses.");
  e03 = add_document (f->project, "E03", "Whipping cream for the café.");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM search_pending"), ==, 3);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "hip AND ipp"), ==, 0);
  /* The word index is kept in the import's transaction. */
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);

  /* A search in its own connection cannot index them: it reads them. */
  tsr_project_search_async (f->project, "WHIPP", TSR_SEARCH_SUBSTRING, NULL, NULL, on_search_done_cb, &hits);
  while (hits == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpint (g_array_index (hits, TsrSearchHit, 0).document_id, ==, e02);
  g_assert_cmpuint (g_array_index (hits, TsrSearchHit, 0).start, ==, 4);
  g_assert_cmpint (g_array_index (hits, TsrSearchHit, 1).document_id, ==, e03);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM search_pending"), ==, 3);

  /* One step at a time. */
  g_assert_true (tsr_project_complete_index (f->project, 1, &n_left, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_left, ==, 2);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "cer AND ere"), ==, 1);

  /* Changes to texts indexed and not yet indexed, undone and redone. */
  g_assert_true (tsr_project_delete_document (f->project, e01, &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_delete_document (f->project, e03, &error));
  g_assert_no_error (error);
  undo (f->project);
  undo (f->project);
  redo (f->project);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM search_pending"), ==, 2);
  g_assert_cmpuint (n_substring_documents (f->project, "hip"), ==, 2);
  /* The search on the project's own connection caught the index up. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM search_pending"), ==, 0);
  g_assert_cmpint (n_matching (f->project, "search_trigrams", "hip AND ipp"), ==, 2);
  assert_index_in_step (f->project);

  undo (f->project);
  g_assert_cmpuint (n_substring_documents (f->project, "ceremony"), ==, 1);
  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpuint (n_substring_documents (f->project, "ceremony"), ==, 0);
  g_assert_cmpuint (n_substring_documents (f->project, "whipp"), ==, 2);
}

static void
test_json_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(TsrProject) copy = NULL;
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.tessera", NULL);

  add_document (f->project, "E01", "The ceremony was short.");
  add_document (f->project, "E02", "Mrs Whipple thanked the nurses.");
  g_assert_true (tsr_project_export_json (f->project, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));

  json = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  in = g_memory_input_stream_new_from_bytes (json);
  copy = tsr_project_import_json (copy_path, in, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  assert_index_in_step (copy);
  g_assert_cmpint (n_matching (copy, "search_words", "whipple"), ==, 1);
  g_assert_cmpint (n_matching (copy, "search_trigrams", "rem AND emo"), ==, 1);
  tsr_project_close (copy, NULL);
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.tessera", NULL);
  g_autoptr(TsrProject) other = tsr_project_create (other_path, &error);
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(TsrCoder) ben = NULL;

  g_assert_no_error (error);
  ben = tsr_project_confirm_coder (other, "Ben", &error);
  g_assert_no_error (error);
  add_document (f->project, "E01", "The ceremony was short.");
  add_document (other, "E02", "Mrs Whipple thanked the nurses.");
  g_assert_true (tsr_project_close (other, &error));

  plan = tsr_project_plan_merge (f->project, other_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_merge (f->project, plan, NULL, &error));
  g_assert_no_error (error);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);

  undo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 0);
  redo (f->project);
  assert_index_in_step (f->project);
  g_assert_cmpint (n_matching (f->project, "search_words", "whipple"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tessera/index/import-undo-redo", test_import_undo_redo);
  ADD ("/tessera/index/rename-delete-undo-redo", test_rename_delete_undo_redo);
  ADD ("/tessera/index/history-leaves-index-out", test_history_leaves_index_out);
  ADD ("/tessera/index/trigrams-catch-up", test_trigrams_catch_up);
  ADD ("/tessera/index/json-import", test_json_import);
  ADD ("/tessera/index/merge", test_merge);
#undef ADD

  return g_test_run ();
}
