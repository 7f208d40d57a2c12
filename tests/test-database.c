/* test-database.c — the connection: transactions, statement cache, cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-database-private.h"

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

  stmt = tsr_database_prepare (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n_tables = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpuint (n_tables, ==, g_hash_table_size (seen));

  g_assert_true (tsr_database_close (db, NULL));
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

  return g_test_run ();
}
