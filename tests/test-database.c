/* test-database.c — the connection: transactions, statement cache, cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-database-private.h"
#include "tsr-project-private.h"

static char *
temp_path (char **dir)
{
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("tsr-db-XXXXXX", &error);
  g_assert_no_error (error);
  return g_build_filename (*dir, "db.tessera", NULL);
}

static void
remove_all (const char *dir,
            const char *path)
{
  g_unlink (path);
  g_rmdir (dir);
}

static gint64
count_rows (TsrDatabase *db)
{
  sqlite3_stmt *stmt = tsr_database_prepare (db, "SELECT count(*) FROM cases", NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
insert_case (TsrDatabase *db,
             const char  *name)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = tsr_database_prepare (db, "INSERT INTO cases (uuid, name, created) VALUES (?1, ?1, 0)", &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  g_assert_true (tsr_database_run (db, stmt, &error));
  g_assert_no_error (error);
}

static void
test_nested_transactions (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDatabase) db = tsr_database_open (path, TSR_DATABASE_CREATE, &error);

  g_assert_no_error (error);

  g_assert_true (tsr_database_begin (db, &error));
  insert_case (db, "outer");
  g_assert_true (tsr_database_begin (db, &error));
  insert_case (db, "inner, rolled back");
  g_assert_cmpuint (tsr_database_get_depth (db), ==, 2);
  tsr_database_rollback (db);
  g_assert_true (tsr_database_begin (db, &error));
  insert_case (db, "inner, kept");
  g_assert_true (tsr_database_commit (db, &error));
  g_assert_true (tsr_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_database_get_depth (db), ==, 0);
  g_assert_cmpint (count_rows (db), ==, 2);

  /* An outer rollback undoes inner commits too. */
  g_assert_true (tsr_database_begin (db, &error));
  g_assert_true (tsr_database_begin (db, &error));
  insert_case (db, "lost");
  g_assert_true (tsr_database_commit (db, &error));
  tsr_database_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 2);

  g_assert_true (tsr_database_close (db, &error));
  remove_all (dir, path);
}

static void
test_statement_cache (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDatabase) db = tsr_database_open (path, TSR_DATABASE_CREATE, &error);
  sqlite3_stmt *a, *b;

  g_assert_no_error (error);
  a = tsr_database_prepare (db, "SELECT count(*) FROM documents", &error);
  g_assert_cmpint (sqlite3_step (a), ==, SQLITE_ROW);
  /* The same text gives the same statement, reset and ready. */
  b = tsr_database_prepare (db, "SELECT count(*) FROM documents", &error);
  g_assert_true (a == b);
  g_assert_cmpint (sqlite3_step (b), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (b, 0), ==, 0);
  sqlite3_reset (b);

  /* Bad SQL is an error, not a crash. */
  g_assert_null (tsr_database_prepare (db, "SELECT nothing FROM nowhere", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_FAILED);

  g_assert_true (tsr_database_close (db, NULL));
  remove_all (dir, path);
}

static void
test_cancellable (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDatabase) db = tsr_database_open (path, TSR_DATABASE_CREATE, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  sqlite3_stmt *stmt;
  gboolean has_row;

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  tsr_database_push_cancellable (db, cancellable);
  stmt = tsr_database_prepare (db, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                   " WHERE i < 10000000) SELECT count(*) FROM n", &error);
  g_assert_nonnull (stmt);
  g_assert_false (tsr_database_step_row (db, stmt, &has_row, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
  tsr_database_pop_cancellable (db);

  g_assert_true (tsr_database_close (db, NULL));
  remove_all (dir, path);
}

static void
test_table_order (void)
{
  /* Every table of the schema is listed, each after what it references. */
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDatabase) db = tsr_database_open (path, TSR_DATABASE_CREATE, &error);
  const char * const *names = tsr_database_table_names ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  guint n_tables = 0;

  g_assert_no_error (error);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT \"table\" FROM pragma_foreign_key_list ('%s')", names[i]);

      stmt = tsr_database_prepare (db, sql, &error);
      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *ref = (const char *) sqlite3_column_text (stmt, 0);
          if (!g_str_equal (ref, names[i]))
            g_assert_true (g_hash_table_contains (seen, ref));
        }
      sqlite3_reset (stmt);
      g_hash_table_add (seen, (gpointer) names[i]);
    }

  /* The full-text index's tables (search_*) are derived from the
   * documents' text, not dumped or restored. */
  stmt = tsr_database_prepare (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                   " AND name NOT LIKE 'search\\_%' ESCAPE '\\'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_tables = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpuint (n_tables, ==, g_hash_table_size (seen));

  g_assert_true (tsr_database_close (db, NULL));
  remove_all (dir, path);
}

/* Raw SQLite, to build files the way an older Tessera wrote them. */
static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A project as Tessera 0.1 (schema version 1) wrote it: its tables made
 * from the version-1 schema, and some coding in them. */
static void
write_v1_project (const char *path)
{
  g_autofree char *stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 1",
                                            TSR_APPLICATION_ID);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  raw_exec (db, "BEGIN");
  raw_exec (db, _tsr_schema_upgrade_sql (0));
  raw_exec (db, stamp);
  raw_exec (db,
            "INSERT INTO project (key, value) VALUES ('uuid', 'p-1'), ('title', 'Old study'),"
            "  ('description', ''), ('created', '2024-01-01T00:00:00Z');"
            "INSERT INTO coders (id, uuid, name, is_consensus, created) VALUES"
            "  (1, 'c-1', 'Ada', 0, 0), (2, 'c-2', 'Ben', 0, 0);"
            "INSERT INTO documents (id, uuid, name, content_hash, length, position, created) VALUES"
            "  (1, 'd-1', 'Essay', 'h', 11, 0, 0);"
            "INSERT INTO document_texts (document_id, text) VALUES (1, 'Hello world');"
            "INSERT INTO codes (id, uuid, parent_id, name, color, position, created) VALUES"
            "  (1, 'k-1', NULL, 'Greeting', '#3584e4', 0, 0);"
            "INSERT INTO segments (id, uuid, document_id, code_id, coder_id, start, end, text, created) VALUES"
            "  (1, 's-1', 1, 1, 1, 0, 5, 'Hello', 0), (2, 's-2', 1, 1, 2, 0, 11, 'Hello world', 0);");
  raw_exec (db, "COMMIT");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'resolutions'"), ==, 0);
  sqlite3_close (db);
}

static void
test_migrate_from_v1 (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrSegment) segment = NULL;
  TsrDatabase *db;
  sqlite3_stmt *stmt;

  write_v1_project (path);

  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsr_project_get_title (project), ==, "Old study");
  db = _tsr_project_get_database (project);

  /* Upgraded: stamped with this version, the new table is there and
   * empty, and every old row is as it was. */
  stmt = tsr_database_prepare (db, "PRAGMA user_version", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, tsr_database_schema_version ());
  sqlite3_reset (stmt);
  stmt = tsr_database_prepare (db, "SELECT count(*) FROM resolutions", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
  stmt = tsr_database_prepare (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                   " AND name IN ('segments_coverage', 'resolutions_document')", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_reset (stmt);
  segment = tsr_project_lookup_segment (project, 2);
  g_assert_nonnull (segment);
  g_assert_cmpstr (tsr_segment_get_text (segment), ==, "Hello world");
  g_assert_cmpint (tsr_segment_get_coder_id (segment), ==, 2);

  /* The new table works with the rest: its references hold and a
   * decision recorded there goes when its code is deleted. */
  g_assert_true (tsr_database_exec (db, "INSERT INTO resolutions (uuid, code_id, document_id, coder_a_id,"
                                        " coder_b_id, spans_a, spans_b, action, time)"
                                        " VALUES ('r-1', 1, 1, 1, 2, '0-5', '0-11', 'accept_b', 0)", &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_check_integrity (project, &error));
  g_assert_true (tsr_project_delete_code (project, 1, &error));
  g_assert_no_error (error);
  stmt = tsr_database_prepare (db, "SELECT count(*) FROM resolutions", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);

  g_assert_true (tsr_project_close (project, &error));
  g_assert_no_error (error);
  remove_all (dir, path);
}

/* A project as Tessera wrote it at schema version 2, before the
 * full-text index: opening it builds the index from the texts already
 * there, and later edits keep it in step. */
static void
test_migrate_builds_index (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autofree char *stamp = g_strdup_printf ("PRAGMA user_version = 2");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  sqlite3 *raw = NULL;
  TsrDatabase *db;

  write_v1_project (path);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  raw_exec (raw, "BEGIN");
  raw_exec (raw, _tsr_schema_upgrade_sql (1));
  raw_exec (raw, stamp);
  raw_exec (raw, "INSERT INTO documents (id, uuid, name, content_hash, length, position, created) VALUES"
                 "  (2, 'd-2', 'Visit', 'h2', 24, 1, 0);"
                 "INSERT INTO document_texts (document_id, text) VALUES (2, 'Mrs Whipple’s café visit');");
  raw_exec (raw, "COMMIT");
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'search%'"), ==, 0);
  sqlite3_close (raw);

  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  db = _tsr_project_get_database (project);

  g_assert_cmpint (tsr_database_schema_version (), >=, 3);
  g_assert_true (tsr_database_exec (db, "INSERT INTO search_words (search_words) VALUES ('integrity-check');"
                                        "INSERT INTO search_trigrams (search_trigrams) VALUES ('integrity-check')",
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (tsr_database_get_handle (db),
                            "SELECT count(*) FROM search_words WHERE search_words MATCH 'world'"), ==, 1);
  g_assert_cmpint (raw_int (tsr_database_get_handle (db),
                            "SELECT rowid FROM search_words WHERE search_words MATCH 'cafe'"), ==, 2);
  g_assert_cmpint (raw_int (tsr_database_get_handle (db),
                            "SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH 'hip AND ipp AND ple'"), ==, 2);

  /* Edits after the upgrade reach the index. */
  g_assert_true (tsr_project_delete_document (project, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (tsr_database_get_handle (db),
                            "SELECT count(*) FROM search_words WHERE search_words MATCH 'cafe'"), ==, 0);

  g_assert_true (tsr_project_close (project, &error));
  remove_all (dir, path);
}

/* A project as Tessera wrote it at schema version 4, before coders could
 * mark documents as done: opening it adds the empty table, and a mark
 * made afterwards is an edit like any other. */
static void
test_migrate_from_v4 (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  sqlite3 *raw = NULL;
  gint64 doc = 1;

  write_v1_project (path);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  raw_exec (raw, "BEGIN");
  for (guint v = 1; v < 4; v++)
    raw_exec (raw, _tsr_schema_upgrade_sql (v));
  raw_exec (raw, "PRAGMA user_version = 4");
  raw_exec (raw, "COMMIT");
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'document_done'"), ==, 0);
  sqlite3_close (raw);

  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (tsr_database_get_handle (_tsr_project_get_database (project)),
                            "SELECT count(*) FROM document_done"), ==, 0);
  g_assert_false (tsr_project_get_document_done (project, doc, 1));
  g_assert_true (tsr_project_set_documents_done (project, 2, &doc, 1, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_get_document_done (project, doc, 2));
  g_assert_true (tsr_project_undo (project, &error));
  g_assert_false (tsr_project_get_document_done (project, doc, 2));
  g_assert_true (tsr_project_check_integrity (project, &error));
  g_assert_true (tsr_project_close (project, &error));
  g_assert_no_error (error);
  remove_all (dir, path);
}

/* An upgrade that cannot run leaves the file's contents as they were:
 * here a version-1 file already holds a table of the name version 2
 * adds.  (Opening switches the file to write-ahead logging before the
 * upgrade, so the header's journal mode may differ; the data may not.) */
static void
test_migrate_failure_changes_nothing (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  const char *dump_sql = "SELECT group_concat (type || ':' || name || ':' || sql, '|') FROM sqlite_schema";
  g_autofree char *schema_before = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  write_v1_project (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE resolutions (note TEXT); INSERT INTO resolutions VALUES ('mine')");
  g_assert_cmpint (sqlite3_prepare_v2 (db, dump_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  schema_before = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  project = tsr_project_open (path, &error);
  g_assert_null (project);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_FAILED);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM segments"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM resolutions WHERE note = 'mine'"), ==, 1);
  g_assert_cmpint (sqlite3_prepare_v2 (db, dump_sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, schema_before);
  sqlite3_finalize (stmt);
  raw_exec (db, "PRAGMA journal_mode = DELETE");
  sqlite3_close (db);
  remove_all (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/database/nested-transactions", test_nested_transactions);
  g_test_add_func ("/tessera/database/statement-cache", test_statement_cache);
  g_test_add_func ("/tessera/database/cancellable", test_cancellable);
  g_test_add_func ("/tessera/database/table-order", test_table_order);
  g_test_add_func ("/tessera/database/migrate-from-v1", test_migrate_from_v1);
  g_test_add_func ("/tessera/database/migrate-builds-index", test_migrate_builds_index);
  g_test_add_func ("/tessera/database/migrate-from-v4", test_migrate_from_v4);
  g_test_add_func ("/tessera/database/migrate-failure-changes-nothing", test_migrate_failure_changes_nothing);

  return g_test_run ();
}
