/* test-project.c — the project file, its tables and every operation
 *
 * Files are made by the tests in a fresh temporary folder; foreign and
 * damaged files are written with SQLite directly, and results are read
 * back both through the public API and, where the public API could hide a
 * fault, straight from the file after the project is closed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tessera.h"
#include "tsr-test-utils.h"

#define APPLICATION_ID 0x54535241   /* "TSRA" */

/* Helpers ------------------------------------------------------------ */

#define CHECK(expr)                                 \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    gboolean ok_ = (expr);                          \
    g_assert_no_error (err);                        \
    g_assert_true (ok_);                            \
  } G_STMT_END

#define CHECK_ID(var, expr)                         \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    (var) = (expr);                                 \
    g_assert_no_error (err);                        \
    g_assert_cmpint ((var), >, 0);                  \
  } G_STMT_END

#define CHECK_ERROR(expr, code)                     \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    gint64 r_ = (gint64) (expr);                    \
    g_assert_error (err, TSR_ERROR, (code));        \
    g_clear_error (&err);                           \
    g_assert_cmpint (r_, ==, 0);                    \
  } G_STMT_END

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *p;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tessera-project-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "My study.tessera", NULL);
  if (data == NULL)
    {
      g_autoptr(TsrCoder) ada = NULL;

      f->p = tsr_project_create (f->path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (f->p);
      ada = tsr_project_ensure_coder (f->p, "Ada Lovelace", &error);
      g_assert_no_error (error);
      CHECK (tsr_project_set_current_coder (f->p, tsr_test_id_of (ada), &err));
    }
}

static void
close_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_close (f->p, &error));
  g_assert_no_error (error);
  g_clear_object (&f->p);
}

static void
reopen_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  close_project (f);
  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->p);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->p != NULL)
    close_project (f);
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static gboolean
sidecar_exists (const char *path,
                const char *suffix)
{
  g_autofree char *side = g_strconcat (path, suffix, NULL);
  return g_file_test (side, G_FILE_TEST_EXISTS);
}

/* Raw SQLite access, for making fixtures and checking the file itself. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 ret = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return ret;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *ret = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return ret;
}

static gint64 raw_count (sqlite3 *db, const char *format, gint64 id) G_GNUC_PRINTF (2, 0);

static gint64
raw_count (sqlite3    *db,
           const char *format,
           gint64      id)
{
  g_autofree char *sql = g_strdup_printf (format, id);
  return raw_int (db, sql);
}

static void
raw_close (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static guint
history_length (TsrProject *p)
{
  g_autoptr(GPtrArray) h = tsr_project_list_history (p, 0);
  return h->len;
}

/* Opening files that are not projects -------------------------------- */

/* Opens @path, expects @code with the file's name in the message, and
 * checks the file was left exactly as it was, with no -wal or -shm. */
static void
check_refused (const char *path,
               gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autofree char *before = file_checksum (path);
  g_autofree char *after = NULL;
  g_autofree char *name = g_path_get_basename (path);

  p = tsr_project_open (path, &error);
  g_assert_null (p);
  g_assert_error (error, TSR_ERROR, code);
  g_assert_nonnull (strstr (error->message, name));

  after = file_checksum (path);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (sidecar_exists (path, "-wal"));
  g_assert_false (sidecar_exists (path, "-shm"));
  g_assert_false (sidecar_exists (path, "-journal"));
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(TsrProject) again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db;

  p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsr_project_get_title (p), ==, "My study");
  g_assert_cmpstr (tsr_project_get_description (p), ==, "");
  g_assert_cmpstr (tsr_project_get_path (p), ==, f->path);
  g_assert_cmpuint (tsr_project_get_n_documents (p), ==, 0);
  g_assert_cmpuint (tsr_project_get_n_codes (p), ==, 0);
  g_assert_null (tsr_project_get_current_coder (p));
  g_assert_false (tsr_project_can_undo (p));
  g_assert_true (tsr_project_check_integrity (p, &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_close (p, &error));
  g_assert_no_error (error);

  /* The file is stamped as ours and with this build's schema version. */
  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, tsr_project_schema_version ());
  g_assert_cmpint (tsr_project_schema_version (), ==, 5);
  raw_close (db);

  /* Creating over an existing file is refused and leaves it alone. */
  before = file_checksum (f->path);
  again = tsr_project_create (f->path, &error);
  g_assert_null (again);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "My study.tessera"));
  after = file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_create_without_extension (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "notes", NULL);
  g_autoptr(TsrProject) p = tsr_project_create (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tsr_project_get_title (p), ==, "notes");
}

static void
test_open_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "nowhere.tessera", NULL);
  g_autoptr(TsrProject) p = tsr_project_open (path, &error);

  g_assert_null (p);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nowhere.tessera"));
  /* Opening must not create it. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_open_text_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "essay.tessera", NULL);

  g_assert_true (g_file_set_contents (path, "Dear diary,\nthis is not a database.\n", -1, NULL));
  check_refused (path, TSR_ERROR_NOT_A_PROJECT);
}

static void
test_open_random_bytes (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "noise.tessera", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260105);
  guint8 bytes[8192];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, sizeof bytes, NULL));
  check_refused (path, TSR_ERROR_NOT_A_PROJECT);
}

static void
test_open_empty_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "empty.tessera", NULL);
  GStatBuf st;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  check_refused (path, TSR_ERROR_NOT_A_PROJECT);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
}

static void
test_open_foreign_sqlite (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "notes.db", NULL);
  sqlite3 *db = raw_open (path);

  raw_exec (db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                "INSERT INTO notes (body) VALUES ('buy milk'), ('call Ada');");
  raw_close (db);
  check_refused (path, TSR_ERROR_NOT_A_PROJECT);

  /* Another application's database that also has a "project" table. */
  g_unlink (path);
  db = raw_open (path);
  raw_exec (db, "PRAGMA application_id = 1234; PRAGMA user_version = 1;"
                "CREATE TABLE project (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "INSERT INTO project VALUES ('title', 'Not ours');");
  raw_close (db);
  check_refused (path, TSR_ERROR_NOT_A_PROJECT);
}

static void
test_open_folder (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "folder.tessera", NULL);
  g_autoptr(TsrProject) p = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  p = tsr_project_open (path, &error);
  g_assert_null (p);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT);
  g_assert_nonnull (strstr (error->message, "folder.tessera"));
}

static void
test_open_newer_version (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  gint64 doc;
  sqlite3 *db;

  p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  CHECK_ID (doc, tsr_project_add_document (p, "Essay", "Text.", NULL, &err));
  g_assert_true (tsr_project_close (p, &error));
  g_clear_object (&p);

  db = raw_open (f->path);
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %u", tsr_project_schema_version () + 1);
    raw_exec (db, sql);
  }
  raw_close (db);

  check_refused (f->path, TSR_ERROR_NEWER_VERSION);

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, tsr_project_schema_version () + 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM documents"), ==, 1);
  raw_close (db);
}

/* A file stamped as a Tessera project at version 0 and holding no tables
 * is upgraded to the current schema when opened. */
static void
test_migrate_from_0 (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d", APPLICATION_ID);
  gint64 doc;
  sqlite3 *db;

  db = raw_open (f->path);
  raw_exec (db, sql);
  raw_exec (db, "PRAGMA user_version = 0");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema"), ==, 0);
  raw_close (db);

  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->p);
  g_assert_nonnull (tsr_project_get_title (f->p));

  CHECK_ID (doc, tsr_project_add_document (f->p, "Essay", "Text.", NULL, &err));
  g_assert_true (tsr_project_check_integrity (f->p, &error));
  close_project (f);

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, tsr_project_schema_version ());
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                " AND name IN ('documents', 'codes', 'segments', 'themes', 'history')"), ==, 5);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM documents"), ==, 1);
  raw_close (db);
}

/* A project file whose pages after the header are overwritten. */
static void
test_open_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gint64 doc;

  p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  CHECK_ID (doc, tsr_project_add_document (p, "Essay", "Text.", NULL, &err));
  g_assert_true (tsr_project_close (p, &error));
  g_clear_object (&p);

  /* Keep the 100-byte header, overwrite the rest of every page. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4096);
  memset (contents + 100, 0x5a, length - 100);
  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));

  p = tsr_project_open (f->path, &error);
  if (p != NULL)
    {
      /* Opened: then the integrity check must say so. */
      g_assert_false (tsr_project_check_integrity (p, &error));
    }
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "My study.tessera"));
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_open_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "missing.tessera", NULL);
  gint64 doc;

  CHECK_ID (doc, tsr_project_add_document (f->p, "Essay", "Text.", NULL, &err));
  close_project (f);

  tsr_project_open_async (f->path, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  p = tsr_project_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (p), ==, 1);
  g_assert_true (tsr_project_close (p, &error));
  g_clear_object (&result);

  tsr_project_open_async (missing, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&p);
  p = tsr_project_open_finish (result, &error);
  g_assert_null (p);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
}

/* The file on disk --------------------------------------------------- */

static void
test_wal_and_single_file (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gint64 doc;

  CHECK_ID (doc, tsr_project_add_document (f->p, "Essay", "Some text.", NULL, &err));
  g_assert_true (sidecar_exists (f->path, "-wal"));
  g_assert_true (sidecar_exists (f->path, "-shm"));

  close_project (f);
  g_assert_false (sidecar_exists (f->path, "-wal"));
  g_assert_false (sidecar_exists (f->path, "-shm"));

  /* Bytes 18 and 19 of the header are 1 for a rollback journal, 2 for
   * WAL: a closed project is a plain single-file database. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100);
  g_assert_cmpint (contents[18], ==, 1);
  g_assert_cmpint (contents[19], ==, 1);

  /* And everything made it into that one file. */
  {
    sqlite3 *db = raw_open (f->path);
    g_autofree char *name = raw_text (db, "SELECT name FROM documents");
    g_assert_cmpstr (name, ==, "Essay");
    raw_close (db);
  }
}

/* Builds a little of everything, with undo and redo in between. */
static void
fill (TsrProject *p,
      gint64     *out_doc,
      gint64     *out_seg)
{
  gint64 d1, d2, c1, c2, s1, s2, t1, t2, k, a;

  CHECK_ID (d1, tsr_project_add_document (p, "One", "First document text.", NULL, &err));
  CHECK_ID (d2, tsr_project_add_document (p, "Two", "Second document text.", NULL, &err));
  CHECK_ID (c1, tsr_project_create_code (p, 0, "Alpha", NULL, "def", &err));
  CHECK_ID (c2, tsr_project_create_code (p, c1, "Beta", NULL, NULL, &err));
  CHECK_ID (s1, tsr_project_add_segment (p, d1, c1, 0, 5, &err));
  CHECK_ID (s2, tsr_project_add_segment (p, d1, c2, 6, 14, &err));
  CHECK_ID (s2, tsr_project_add_segment (p, d2, c2, 0, 6, &err));
  CHECK_ID (t1, tsr_project_create_theme (p, 0, "Theme", &err));
  CHECK_ID (t2, tsr_project_create_theme (p, t1, "Sub", &err));
  CHECK (tsr_project_add_code_to_theme (p, t1, c1, &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_DOCUMENT, d1, "doc memo", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_SEGMENT, s1, "seg memo", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_CODE, c2, "code memo", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_THEME, t2, "theme memo", &err));
  CHECK_ID (k, tsr_project_create_case (p, "Case", &err));
  CHECK (tsr_project_set_case_membership (p, k, d1, TRUE, &err));
  CHECK_ID (a, tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Age", TSR_ATTRIBUTE_INTEGER, &err));
  CHECK (tsr_project_set_attribute_value (p, a, d1, "40", &err));
  CHECK (tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, t1, 1, 2, &err));
  CHECK (tsr_project_delete_code (p, c2, &err));
  CHECK (tsr_project_undo (p, &err));
  CHECK (tsr_project_redo (p, &err));
  CHECK (tsr_project_undo (p, &err));

  *out_doc = d1;
  *out_seg = s1;
}

static void
test_integrity (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  gint64 doc, seg;
  sqlite3 *db;

  fill (f->p, &doc, &seg);
  g_assert_true (tsr_project_check_integrity (f->p, &error));
  g_assert_no_error (error);
  close_project (f);

  db = raw_open (f->path);
  result = raw_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (result, ==, "ok");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  raw_close (db);
}

static void
test_foreign_keys (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 doc, seg;
  sqlite3 *db;

  fill (f->p, &doc, &seg);
  CHECK (tsr_project_delete_document (f->p, doc, &err));
  g_assert_true (tsr_project_check_integrity (f->p, &error));
  close_project (f);

  db = raw_open (f->path);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM documents WHERE id = %" G_GINT64_FORMAT, doc), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM document_texts WHERE document_id = %" G_GINT64_FORMAT, doc), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM segments WHERE document_id = %" G_GINT64_FORMAT, doc), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM memos WHERE document_id = %" G_GINT64_FORMAT, doc), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM memos WHERE segment_id = %" G_GINT64_FORMAT, seg), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM case_documents WHERE document_id = %" G_GINT64_FORMAT, doc), ==, 0);
  g_assert_cmpint (raw_count (db, "SELECT count(*) FROM document_attribute_values WHERE document_id = %" G_GINT64_FORMAT, doc), ==, 0);
  /* The other document, its segment and the code and theme memos stay. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM documents"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM segments"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM memos"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM cases"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM attributes"), ==, 1);
  raw_close (db);
}

static void
collect_uuids (TsrProject *p,
               GHashTable *by_key)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (p);
  g_autoptr(GListModel) docs = tsr_project_get_documents (p);
  g_autoptr(GListModel) journal = tsr_project_get_journal (p);
  g_autoptr(GListModel) cases = tsr_project_get_cases (p);
  g_autoptr(GListModel) attributes = tsr_project_get_attributes (p);
  g_autoptr(GListModel) links = tsr_project_get_map_links (p);
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (p);
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (p);
  g_autoptr(GPtrArray) history = tsr_project_list_history (p, 0);
  GListModel *models[] = { coders, docs, journal, cases, attributes, links };
  GPtrArray *arrays[] = { codes, themes, history };

#define ADD_UUID(e) \
  g_hash_table_insert (by_key, g_strdup_printf ("%s:%" G_GINT64_FORMAT, G_OBJECT_TYPE_NAME (e), tsr_test_id_of (e)), \
                       g_strdup (tsr_entity_get_uuid (TSR_ENTITY (e))))

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
      {
        g_autoptr(GObject) e = g_list_model_get_item (models[m], i);
        ADD_UUID (e);
      }
  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    for (guint i = 0; i < arrays[a]->len; i++)
      ADD_UUID (arrays[a]->pdata[i]);
  for (guint i = 0; i < g_list_model_get_n_items (docs); i++)
    {
      g_autoptr(TsrDocument) d = g_list_model_get_item (docs, i);
      g_autoptr(GListModel) segs = tsr_project_get_segments (p, tsr_test_id_of (d));

      for (guint j = 0; j < g_list_model_get_n_items (segs); j++)
        {
          g_autoptr(GObject) s = g_list_model_get_item (segs, j);
          ADD_UUID (s);
        }
    }
#undef ADD_UUID
}

static void
test_uuids (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) after = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(TsrCoder) consensus = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 doc, seg, j, t1, t2, l;
  guint kinds = 0;

  fill (f->p, &doc, &seg);
  consensus = tsr_project_get_consensus_coder (f->p, NULL);
  CHECK_ID (j, tsr_project_add_journal_entry (f->p, "2026-01-05", "Entry", &err));
  CHECK_ID (t1, tsr_project_create_theme (f->p, 0, "Linked A", &err));
  CHECK_ID (t2, tsr_project_create_theme (f->p, 0, "Linked B", &err));
  CHECK_ID (l, tsr_project_add_map_link (f->p, t1, t2, "", &err));
  collect_uuids (f->p, before);

  /* Every kind of entity is there: coder, document, memo, case,
   * attribute, map link, code, theme, history entry, segment. */
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_uuid_string_is_valid (value));
      g_assert_false (g_hash_table_contains (seen, value));
      g_hash_table_add (seen, value);
    }
  {
    const char *types[] = { "TsrCoder", "TsrDocument", "TsrMemo", "TsrCase", "TsrAttribute",
                            "TsrMapLink", "TsrCode", "TsrTheme", "TsrHistoryEntry", "TsrSegment" };
    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        g_hash_table_iter_init (&iter, before);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          if (g_str_has_prefix (key, types[i]) && ((const char *) key)[strlen (types[i])] == ':')
            {
              kinds++;
              break;
            }
      }
    g_assert_cmpuint (kinds, ==, G_N_ELEMENTS (types));
  }
  g_assert_cmpuint (g_hash_table_size (before), >, 30);

  reopen_project (f);
  collect_uuids (f->p, after);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (after, key), ==, value);
}

/* Documents ---------------------------------------------------------- */

static void
test_documents (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) docs = tsr_project_get_documents (f->p);
  g_autoptr(TsrDocument) found = NULL;
  g_autoptr(TsrDocument) by_hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "Zwei Wörter.", -1);
  gint64 d1, d2, d3;

  CHECK_ID (d1, tsr_project_add_document (f->p, " Eins ", "héllo wörld", "/tmp/eins.txt", &err));
  CHECK_ID (d2, tsr_project_add_document (f->p, "Zwei", "Zwei Wörter.", NULL, &err));
  CHECK_ID (d3, tsr_project_add_document (f->p, "Drei", "", NULL, &err));

  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 3);
  found = g_list_model_get_item (docs, 0);
  g_assert_cmpint (tsr_test_id_of (found), ==, d1);
  g_assert_cmpstr (tsr_document_get_name (found), ==, "Eins");
  g_assert_cmpstr (tsr_document_get_source (found), ==, "/tmp/eins.txt");
  g_assert_cmpuint (tsr_document_get_length (found), ==, 11);   /* characters, not bytes */
  g_assert_false (tsr_document_get_read (found));
  g_clear_object (&found);

  found = tsr_project_find_document (f->p, "Zwei");
  g_assert_cmpint (tsr_test_id_of (found), ==, d2);
  g_assert_cmpstr (tsr_document_get_source (found), ==, "");
  g_assert_cmpstr (tsr_document_get_content_hash (found), ==, hash);
  by_hash = tsr_project_find_document_by_hash (f->p, hash);
  g_assert_cmpint (tsr_test_id_of (by_hash), ==, d2);
  g_assert_null (tsr_project_find_document (f->p, "Vier"));

  text = tsr_project_get_document_text (f->p, d1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "héllo wörld");

  CHECK (tsr_project_rename_document (f->p, d3, "  Drei (leer) ", &err));
  g_clear_object (&found);
  found = tsr_project_lookup_document (f->p, d3);
  g_assert_cmpstr (tsr_document_get_name (found), ==, "Drei (leer)");
  g_assert_cmpuint (tsr_document_get_length (found), ==, 0);

  CHECK (tsr_project_set_document_read (f->p, d2, TRUE, &err));
  g_clear_object (&found);
  found = tsr_project_lookup_document (f->p, d2);
  g_assert_true (tsr_document_get_read (found));

  CHECK (tsr_project_delete_document (f->p, d2, &err));
  g_assert_null (tsr_project_lookup_document (f->p, d2));
  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 2);
  g_clear_pointer (&text, g_free);
  text = tsr_project_get_document_text (f->p, d2, &error);
  g_assert_null (text);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);

  CHECK_ERROR (tsr_project_add_document (f->p, "  ", "x", NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_document (f->p, "CR", "one\rtwo", NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_document (f->p, "Latin-1", "caf\xe9", NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_delete_document (f->p, d2, &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_set_document_read (f->p, d2, TRUE, &err), TSR_ERROR_NOT_FOUND);
  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 2);
}

static void
test_title (Fixture *f, gconstpointer data)
{
  CHECK (tsr_project_set_title (f->p, "  Care in crisis  ", &err));
  g_assert_cmpstr (tsr_project_get_title (f->p), ==, "Care in crisis");
  CHECK (tsr_project_set_description (f->p, "Line 1\nLine 2", &err));
  CHECK_ERROR (tsr_project_set_title (f->p, " \n ", &err), TSR_ERROR_INVALID);
  g_assert_cmpstr (tsr_project_get_title (f->p), ==, "Care in crisis");

  reopen_project (f);
  g_assert_cmpstr (tsr_project_get_title (f->p), ==, "Care in crisis");
  g_assert_cmpstr (tsr_project_get_description (f->p), ==, "Line 1\nLine 2");
}

/* Codes -------------------------------------------------------------- */

static void
test_code_paths (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(TsrCode) found = NULL;
  g_autofree char *path = NULL;
  gint64 care, compassion, listening, hearing, top_compassion, trust;
  const char *expected[] = { "Care", "Compassion", "Listening", "Hearing", "Compassion", "Trust" };

  CHECK_ID (care, tsr_project_create_code (f->p, 0, "Care", NULL, NULL, &err));
  CHECK_ID (compassion, tsr_project_create_code (f->p, care, "Compassion", NULL, NULL, &err));
  CHECK_ID (listening, tsr_project_create_code (f->p, compassion, "Listening", NULL, NULL, &err));
  CHECK_ID (hearing, tsr_project_create_code (f->p, compassion, "Hearing", NULL, NULL, &err));
  /* The same name under another parent is fine. */
  CHECK_ID (top_compassion, tsr_project_create_code (f->p, 0, "Compassion", NULL, NULL, &err));
  CHECK_ID (trust, tsr_project_create_code (f->p, 0, "  Trust\t", NULL, NULL, &err));

  path = tsr_project_get_code_path (f->p, listening);
  g_assert_cmpstr (path, ==, "Care/Compassion/Listening");
  g_free (path);
  path = tsr_project_get_code_path (f->p, trust);
  g_assert_cmpstr (path, ==, "Trust");
  g_free (path);
  path = tsr_project_get_code_path (f->p, 9999);
  g_assert_null (path);

  found = tsr_project_find_code (f->p, "Care/Compassion/Listening");
  g_assert_cmpint (tsr_test_id_of (found), ==, listening);
  g_clear_object (&found);
  found = tsr_project_find_code (f->p, "Compassion");
  g_assert_cmpint (tsr_test_id_of (found), ==, top_compassion);
  g_clear_object (&found);
  found = tsr_project_find_code (f->p, " Care / Compassion ");
  g_assert_cmpint (tsr_test_id_of (found), ==, compassion);
  g_assert_null (tsr_project_find_code (f->p, "Care/Nope"));
  g_assert_null (tsr_project_find_code (f->p, "Listening"));
  g_assert_null (tsr_project_find_code (f->p, ""));

  /* Parents before children, siblings in order. */
  all = tsr_project_list_all_codes (f->p);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (tsr_code_get_name (all->pdata[i]), ==, expected[i]);
  g_assert_cmpint (tsr_test_id_of (all->pdata[4]), ==, top_compassion);
  g_assert_cmpuint (tsr_code_get_n_children (all->pdata[0]), ==, 1);
  g_assert_cmpuint (tsr_code_get_n_children (all->pdata[1]), ==, 2);
  g_assert_cmpint (tsr_code_get_position (all->pdata[3]), ==, 1);
  g_assert_cmpint (tsr_code_get_position (all->pdata[5]), ==, 2);

  /* Sibling clashes: create, rename, move. */
  CHECK_ERROR (tsr_project_create_code (f->p, care, "Compassion", NULL, NULL, &err), TSR_ERROR_EXISTS);
  CHECK_ERROR (tsr_project_create_code (f->p, care, " Compassion ", NULL, NULL, &err), TSR_ERROR_EXISTS);
  CHECK_ERROR (tsr_project_rename_code (f->p, hearing, "Listening", &err), TSR_ERROR_EXISTS);
  CHECK_ERROR (tsr_project_move_code (f->p, top_compassion, care, -1, &err), TSR_ERROR_EXISTS);
  /* Renaming to its own name, and moving within its parent, are fine. */
  CHECK (tsr_project_rename_code (f->p, hearing, "Hearing", &err));
  CHECK (tsr_project_move_code (f->p, hearing, compassion, 0, &err));
  g_clear_object (&found);
  found = tsr_project_lookup_code (f->p, hearing);
  g_assert_cmpint (tsr_code_get_position (found), ==, 0);

  CHECK_ERROR (tsr_project_create_code (f->p, 0, "", NULL, NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_create_code (f->p, 0, "a/b", NULL, NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_create_code (f->p, 9999, "Orphan", NULL, NULL, &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_move_code (f->p, care, listening, -1, &err), TSR_ERROR_CYCLE);
  CHECK_ERROR (tsr_project_move_code (f->p, care, 9999, -1, &err), TSR_ERROR_NOT_FOUND);
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 6);
}

static void
test_code_colors (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) code = NULL;
  gint64 a, b, c;
  const char *bad[] = { "3584e4", "#3584e", "#3584e4f", "#xyzxyz", "", "#35 84e", "rgb(1,2,3)" };

  /* No colour given: the palette in order. */
  CHECK_ID (a, tsr_project_create_code (f->p, 0, "A", NULL, NULL, &err));
  CHECK_ID (b, tsr_project_create_code (f->p, 0, "B", NULL, NULL, &err));
  code = tsr_project_lookup_code (f->p, a);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#3584e4");
  g_clear_object (&code);
  code = tsr_project_lookup_code (f->p, b);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#33d17a");

  CHECK_ID (c, tsr_project_create_code (f->p, 0, "C", "#0a0b0c", NULL, &err));
  g_clear_object (&code);
  code = tsr_project_lookup_code (f->p, c);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#0a0b0c");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CHECK_ERROR (tsr_project_create_code (f->p, 0, "Bad", bad[i], NULL, &err), TSR_ERROR_INVALID);
      CHECK_ERROR (tsr_project_set_code_color (f->p, a, bad[i], &err), TSR_ERROR_INVALID);
    }
  CHECK_ERROR (tsr_project_set_code_color (f->p, a, NULL, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_set_code_color (f->p, 9999, "#000000", &err), TSR_ERROR_NOT_FOUND);
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 3);

  CHECK (tsr_project_set_code_color (f->p, a, "#FFAA00", &err));
  g_clear_object (&code);
  code = tsr_project_lookup_code (f->p, a);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#ffaa00");
}

/* A new code takes the palette colour fewest codes have, not the next
 * one by count: here the count would give the third colour (#f6d32d),
 * which a code already has. */
static void
test_code_color_least_used (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) code = NULL;
  gint64 a, b, c, d;

  CHECK_ID (a, tsr_project_create_code (f->p, 0, "A", "#f6d32d", NULL, &err));
  CHECK_ID (b, tsr_project_create_code (f->p, 0, "B", "#3584E4", NULL, &err));
  CHECK_ID (c, tsr_project_create_code (f->p, 0, "C", NULL, NULL, &err));
  code = tsr_project_lookup_code (f->p, c);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#33d17a");

  /* The first colour is free again once its code is gone. */
  CHECK (tsr_project_delete_code (f->p, b, &err));
  CHECK_ID (d, tsr_project_create_code (f->p, 0, "D", NULL, NULL, &err));
  g_clear_object (&code);
  code = tsr_project_lookup_code (f->p, d);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#3584e4");

  /* With every colour once, the first of them again. */
  for (guint i = 0; i < 9; i++)
    {
      g_autofree char *name = g_strdup_printf ("More %u", i);
      gint64 id;

      CHECK_ID (id, tsr_project_create_code (f->p, 0, name, NULL, NULL, &err));
    }
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 12);
  CHECK_ID (d, tsr_project_create_code (f->p, 0, "Thirteenth", NULL, NULL, &err));
  g_clear_object (&code);
  code = tsr_project_lookup_code (f->p, d);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#3584e4");
  (void) a;
}

/* A colour is stored in one form however it was given, as
 * tsr_project_set_code_color() does. */
static void
test_code_color_case (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) code = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_create_code (f->p, 0, "Upper", "#ABCDEF", NULL, &err));
  code = tsr_project_lookup_code (f->p, id);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#abcdef");
}

static void
test_merge_codes (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) target = NULL;
  g_autoptr(GPtrArray) segs = NULL;
  g_autofree char *memo = NULL;
  gint64 doc, src, dst, seg_a, seg_b, seg_c;
  g_autoptr(TsrCoder) bob = NULL;

  bob = tsr_project_ensure_coder (f->p, "Bob", NULL);
  CHECK_ID (doc, tsr_project_add_document (f->p, "Doc", "abcdefghij", NULL, &err));
  CHECK_ID (src, tsr_project_create_code (f->p, 0, "Source", NULL, "From source", &err));
  CHECK_ID (dst, tsr_project_create_code (f->p, 0, "Target", NULL, "", &err));
  CHECK_ID (seg_a, tsr_project_add_segment (f->p, doc, dst, 0, 3, &err));
  CHECK_ID (seg_b, tsr_project_add_segment (f->p, doc, src, 0, 3, &err));   /* duplicate of seg_a */
  CHECK_ID (seg_c, tsr_project_add_segment_for_coder (f->p, doc, src, tsr_test_id_of (bob), 0, 3, &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, dst, "Target memo", &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, src, "Source memo", &err));

  CHECK (tsr_project_merge_codes (f->p, src, dst, &err));
  target = tsr_project_lookup_code (f->p, dst);
  /* An empty target definition takes the source's as it is. */
  g_assert_cmpstr (tsr_code_get_definition (target), ==, "From source");
  g_assert_cmpint (tsr_code_get_position (target), ==, 0);
  segs = tsr_project_list_code_segments (f->p, dst, FALSE);
  g_assert_cmpuint (segs->len, ==, 2);
  g_assert_cmpint (tsr_test_id_of (segs->pdata[0]), ==, seg_a);
  g_assert_cmpint (tsr_test_id_of (segs->pdata[1]), ==, seg_c);   /* another coder: not a duplicate */
  g_assert_null (tsr_project_lookup_segment (f->p, seg_b));
  /* Both memos survive: the source's is appended, under its name. */
  memo = tsr_project_get_memo (f->p, TSR_MEMO_CODE, dst);
  g_assert_cmpstr (memo, ==, "Target memo\n\nSource: Source memo");
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 1);
}

/* Merging must not leave two sub-codes of the same name side by side. */
static void
test_merge_codes_sibling_names (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 src, dst, a, b;

  CHECK_ID (src, tsr_project_create_code (f->p, 0, "Hope", NULL, NULL, &err));
  CHECK_ID (dst, tsr_project_create_code (f->p, 0, "Optimism", NULL, NULL, &err));
  CHECK_ID (a, tsr_project_create_code (f->p, src, "Future", NULL, NULL, &err));
  CHECK_ID (b, tsr_project_create_code (f->p, dst, "Future", NULL, NULL, &err));

  /* Either refused, or done without a clash. */
  {
    GError *error = NULL;
    if (!tsr_project_merge_codes (f->p, src, dst, &error))
      {
        g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
        g_clear_error (&error);
        return;
      }
  }
  all = tsr_project_list_all_codes (f->p);
  for (guint i = 0; i < all->len; i++)
    {
      g_autofree char *path = tsr_project_get_code_path (f->p, tsr_test_id_of (all->pdata[i]));
      g_assert_false (g_hash_table_contains (names, path));
      g_hash_table_add (names, g_steal_pointer (&path));
    }
}

/* Segments ----------------------------------------------------------- */

/* "A 👩🏽‍⚕️ met café staff." with the é as e + U+0301; in code points:
 *   0 A, 1 space, 2–6 the emoji (U+1F469 U+1F3FD U+200D U+2695 U+FE0F),
 *   7 space, 8–10 "met", 11 space, 12–16 "cafe" + U+0301, 17 space,
 *   18–22 "staff", 23 "."  — 24 in all. */
#define EMOJI "\xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D\xE2\x9A\x95\xEF\xB8\x8F"
#define CAFE "cafe\xCC\x81"
#define OFFSET_TEXT "A " EMOJI " met " CAFE " staff."

static void
check_segment_text (TsrProject *p,
                    gint64      doc,
                    gint64      code,
                    guint       start,
                    guint       end,
                    const char *expected)
{
  g_autoptr(TsrSegment) seg = NULL;
  g_autofree char *text = tsr_project_get_document_text (p, doc, NULL);
  g_autofree char *sub = g_utf8_substring (text, start, end);
  gint64 id;

  CHECK_ID (id, tsr_project_add_segment (p, doc, code, start, end, &err));
  seg = tsr_project_lookup_segment (p, id);
  g_assert_cmpuint (tsr_segment_get_start (seg), ==, start);
  g_assert_cmpuint (tsr_segment_get_end (seg), ==, end);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, expected);
  g_assert_cmpstr (sub, ==, expected);
}

static void
test_segment_offsets (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrDocument) d = NULL;
  g_autoptr(TsrSegment) seg = NULL;
  gint64 doc, code, id;

  CHECK_ID (doc, tsr_project_add_document (f->p, "Offsets", OFFSET_TEXT, NULL, &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));
  d = tsr_project_lookup_document (f->p, doc);
  g_assert_cmpuint (tsr_document_get_length (d), ==, 24);

  check_segment_text (f->p, doc, code, 2, 7, EMOJI);
  check_segment_text (f->p, doc, code, 8, 11, "met");
  check_segment_text (f->p, doc, code, 12, 17, CAFE);
  check_segment_text (f->p, doc, code, 15, 17, "e\xCC\x81");
  check_segment_text (f->p, doc, code, 3, 4, "\xF0\x9F\x8F\xBD");   /* the skin-tone modifier alone */
  check_segment_text (f->p, doc, code, 23, 24, ".");
  check_segment_text (f->p, doc, code, 0, 24, OFFSET_TEXT);

  CHECK_ERROR (tsr_project_add_segment (f->p, doc, code, 0, 25, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_segment (f->p, doc, code, 24, 25, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_segment (f->p, doc, code, 7, 7, &err), TSR_ERROR_INVALID);

  /* Resizing keeps the covered text in step. */
  CHECK_ID (id, tsr_project_add_segment (f->p, doc, code, 12, 17, &err));
  CHECK (tsr_project_resize_segment (f->p, id, 16, 24, &err));
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "\xCC\x81 staff.");
  CHECK (tsr_project_resize_segment (f->p, id, 0, 8, &err));
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "A " EMOJI " ");
  g_assert_cmpuint (tsr_segment_get_start (seg), ==, 0);
  g_assert_cmpuint (tsr_segment_get_end (seg), ==, 8);
  CHECK_ERROR (tsr_project_resize_segment (f->p, id, 8, 30, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_resize_segment (f->p, id, 5, 5, &err), TSR_ERROR_INVALID);
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "A " EMOJI " ");

  /* Still right after a reopen. */
  reopen_project (f);
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "A " EMOJI " ");
}

static void
test_segments (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrSegment) seg = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *memo = NULL;
  gint64 d1, d2, parent, child, s1, s2, s3;

  CHECK_ID (d1, tsr_project_add_document (f->p, "D1", "0123456789", NULL, &err));
  CHECK_ID (d2, tsr_project_add_document (f->p, "D2", "abcdefghij", NULL, &err));
  CHECK_ID (parent, tsr_project_create_code (f->p, 0, "Parent", NULL, NULL, &err));
  CHECK_ID (child, tsr_project_create_code (f->p, parent, "Child", NULL, NULL, &err));
  CHECK_ID (s1, tsr_project_add_segment (f->p, d2, parent, 2, 5, &err));
  CHECK_ID (s2, tsr_project_add_segment (f->p, d1, child, 4, 6, &err));
  CHECK_ID (s3, tsr_project_add_segment (f->p, d1, parent, 1, 3, &err));

  /* By document order, then start. */
  own = tsr_project_list_code_segments (f->p, parent, FALSE);
  g_assert_cmpuint (own->len, ==, 2);
  g_assert_cmpint (tsr_test_id_of (own->pdata[0]), ==, s3);
  g_assert_cmpint (tsr_test_id_of (own->pdata[1]), ==, s1);
  all = tsr_project_list_code_segments (f->p, parent, TRUE);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpint (tsr_test_id_of (all->pdata[0]), ==, s3);
  g_assert_cmpint (tsr_test_id_of (all->pdata[1]), ==, s2);
  g_assert_cmpint (tsr_test_id_of (all->pdata[2]), ==, s1);

  seg = tsr_project_lookup_segment (f->p, s1);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "cde");
  g_assert_cmpint (tsr_segment_get_document_id (seg), ==, d2);
  g_assert_false (tsr_segment_get_exemplar (seg));
  CHECK (tsr_project_set_segment_exemplar (f->p, s1, TRUE, &err));
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, s1);
  g_assert_true (tsr_segment_get_exemplar (seg));

  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_SEGMENT, s1, "note", &err));
  CHECK (tsr_project_remove_segment (f->p, s1, &err));
  g_assert_null (tsr_project_lookup_segment (f->p, s1));
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, s1);
  g_assert_cmpstr (memo, ==, "");
  CHECK_ERROR (tsr_project_remove_segment (f->p, s1, &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_resize_segment (f->p, s1, 0, 1, &err), TSR_ERROR_NOT_FOUND);
}

/* Attributes --------------------------------------------------------- */

static void
check_value (TsrProject *p,
             gint64      attr,
             gint64      target,
             const char *value,
             const char *expected)
{
  g_autofree char *stored = NULL;

  CHECK (tsr_project_set_attribute_value (p, attr, target, value, &err));
  stored = tsr_project_get_attribute_value (p, attr, target);
  g_assert_cmpstr (stored, ==, expected);
}

static void
check_refused_value (TsrProject *p,
                     gint64      attr,
                     gint64      target,
                     const char *value)
{
  g_autofree char *before = tsr_project_get_attribute_value (p, attr, target);
  g_autofree char *after = NULL;

  CHECK_ERROR (tsr_project_set_attribute_value (p, attr, target, value, &err), TSR_ERROR_INVALID);
  after = tsr_project_get_attribute_value (p, attr, target);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  gint64 doc, text, integer, real, boolean, date;
} Attrs;

static void
define_attrs (Fixture *f,
              Attrs   *a)
{
  CHECK_ID (a->doc, tsr_project_add_document (f->p, "Doc", "Text.", NULL, &err));
  CHECK_ID (a->text, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Role", TSR_ATTRIBUTE_TEXT, &err));
  CHECK_ID (a->integer, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Years", TSR_ATTRIBUTE_INTEGER, &err));
  CHECK_ID (a->real, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Score", TSR_ATTRIBUTE_REAL, &err));
  CHECK_ID (a->boolean, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Consent", TSR_ATTRIBUTE_BOOLEAN, &err));
  CHECK_ID (a->date, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Interviewed", TSR_ATTRIBUTE_DATE, &err));
}

static void
test_attribute_types (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) attrs = tsr_project_get_attributes (f->p);
  g_autoptr(TsrAttribute) found = NULL;
  Attrs a;
  gint64 case_attr, k;

  define_attrs (f, &a);
  g_assert_cmpuint (g_list_model_get_n_items (attrs), ==, 5);
  found = tsr_project_find_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Score");
  g_assert_cmpint (tsr_test_id_of (found), ==, a.real);
  g_assert_cmpint (tsr_attribute_get_value_type (found), ==, TSR_ATTRIBUTE_REAL);
  g_assert_cmpint (tsr_attribute_get_target (found), ==, TSR_ATTRIBUTE_ON_DOCUMENTS);
  g_assert_cmpstr (tsr_attribute_type_to_string (TSR_ATTRIBUTE_BOOLEAN), ==, "boolean");

  /* Text is kept as given. */
  check_value (f->p, a.text, a.doc, " Charge nurse ", " Charge nurse ");

  check_value (f->p, a.integer, a.doc, "12", "12");
  check_value (f->p, a.integer, a.doc, " 42 ", "42");
  check_value (f->p, a.integer, a.doc, "-7", "-7");
  check_value (f->p, a.integer, a.doc, "007", "7");
  check_refused_value (f->p, a.integer, a.doc, "12a");
  check_refused_value (f->p, a.integer, a.doc, "1.5");
  check_refused_value (f->p, a.integer, a.doc, "twelve");
  check_refused_value (f->p, a.integer, a.doc, " ");

  check_value (f->p, a.real, a.doc, "1.50", "1.5");
  check_value (f->p, a.real, a.doc, "-2", "-2");
  check_value (f->p, a.real, a.doc, "1e3", "1000");
  check_value (f->p, a.real, a.doc, "0.25", "0.25");
  check_refused_value (f->p, a.real, a.doc, "1,5");
  check_refused_value (f->p, a.real, a.doc, "abc");
  check_refused_value (f->p, a.real, a.doc, "nan");
  check_refused_value (f->p, a.real, a.doc, "inf");

  check_value (f->p, a.boolean, a.doc, "yes", "true");
  check_value (f->p, a.boolean, a.doc, "No", "false");
  check_value (f->p, a.boolean, a.doc, "TRUE", "true");
  check_value (f->p, a.boolean, a.doc, "0", "false");
  check_value (f->p, a.boolean, a.doc, "1", "true");
  check_refused_value (f->p, a.boolean, a.doc, "maybe");
  check_refused_value (f->p, a.boolean, a.doc, "2");

  check_value (f->p, a.date, a.doc, "2024-02-29", "2024-02-29");
  check_value (f->p, a.date, a.doc, "2026-01-05", "2026-01-05");
  check_refused_value (f->p, a.date, a.doc, "2026-02-30");
  check_refused_value (f->p, a.date, a.doc, "2025-02-29");
  check_refused_value (f->p, a.date, a.doc, "2026-13-01");
  check_refused_value (f->p, a.date, a.doc, "05/01/2026");
  check_refused_value (f->p, a.date, a.doc, "2026-1-5");

  /* "" and NULL clear a value. */
  check_value (f->p, a.date, a.doc, "", NULL);
  check_value (f->p, a.integer, a.doc, NULL, NULL);

  /* Case attributes; the same name may describe documents and cases. */
  CHECK_ID (k, tsr_project_create_case (f->p, "Ward", &err));
  CHECK_ID (case_attr, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_CASES, "Role", TSR_ATTRIBUTE_TEXT, &err));
  check_value (f->p, case_attr, k, "Ward role", "Ward role");
  CHECK_ERROR (tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_CASES, "Role", TSR_ATTRIBUTE_INTEGER, &err),
               TSR_ERROR_EXISTS);
  CHECK_ERROR (tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_CASES, " ", TSR_ATTRIBUTE_TEXT, &err),
               TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_set_attribute_value (f->p, 9999, a.doc, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_set_attribute_value (f->p, a.text, 9999, "x", &err), TSR_ERROR_NOT_FOUND);

  /* Deleting an attribute takes its values. */
  CHECK (tsr_project_delete_attribute (f->p, a.text, &err));
  g_assert_null (tsr_project_get_attribute_value (f->p, a.text, a.doc));
  g_assert_null (tsr_project_find_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Role"));
  CHECK_ERROR (tsr_project_delete_attribute (f->p, a.text, &err), TSR_ERROR_NOT_FOUND);
}

/* A whole number too big for 64 bits is refused, not silently clamped. */
static void
test_attribute_integer_overflow (Fixture *f, gconstpointer data)
{
  Attrs a;

  define_attrs (f, &a);
  check_value (f->p, a.integer, a.doc, "9223372036854775807", "9223372036854775807");
  check_refused_value (f->p, a.integer, a.doc, "99999999999999999999");
}

/* A real keeps the short form it was typed in: 0.1 stays "0.1". */
static void
test_attribute_real_short_form (Fixture *f, gconstpointer data)
{
  Attrs a;

  define_attrs (f, &a);
  check_value (f->p, a.real, a.doc, "0.1", "0.1");
  check_value (f->p, a.real, a.doc, "3.3", "3.3");
}

/* Dates are exactly YYYY-MM-DD: nothing after the day. */
static void
test_date_trailing_garbage (Fixture *f, gconstpointer data)
{
  Attrs a;

  define_attrs (f, &a);
  check_refused_value (f->p, a.date, a.doc, "2026-01-1x");
  CHECK_ERROR (tsr_project_add_journal_entry (f->p, "2026-01-1x", "x", &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_journal_entry (f->p, "2026-1-011", "x", &err), TSR_ERROR_INVALID);
}

/* Memos and the journal ---------------------------------------------- */

static void
test_memos (Fixture *f, gconstpointer data)
{
  g_autofree char *memo = NULL;
  gint64 doc, code, seg, theme;
  sqlite3 *db;

  CHECK_ID (doc, tsr_project_add_document (f->p, "Doc", "Some text.", NULL, &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));
  CHECK_ID (seg, tsr_project_add_segment (f->p, doc, code, 0, 4, &err));
  CHECK_ID (theme, tsr_project_create_theme (f->p, 0, "Theme", &err));

  memo = tsr_project_get_memo (f->p, TSR_MEMO_DOCUMENT, doc);
  g_assert_cmpstr (memo, ==, "");
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_DOCUMENT, doc, "first", &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_DOCUMENT, doc, "second\nline", &err));
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_DOCUMENT, doc);
  g_assert_cmpstr (memo, ==, "second\nline");
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_SEGMENT, seg, "on the passage", &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, code, "on the code", &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_THEME, theme, "on the theme", &err));

  /* Each target has its own memo: same ids on different kinds do not mix. */
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_CODE, code);
  g_assert_cmpstr (memo, ==, "on the code");
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_THEME, theme);
  g_assert_cmpstr (memo, ==, "on the theme");
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, seg);
  g_assert_cmpstr (memo, ==, "on the passage");

  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, code, "", &err));
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_CODE, code);
  g_assert_cmpstr (memo, ==, "");

  CHECK_ERROR (tsr_project_set_memo (f->p, TSR_MEMO_THEME, 9999, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_set_memo (f->p, TSR_MEMO_JOURNAL, 0, "x", &err), TSR_ERROR_INVALID);
  close_project (f);

  /* One row per memo, with the current coder. */
  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM memos"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM memos WHERE kind = 'document'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM memos m JOIN coders c ON c.id = m.coder_id"
                                " WHERE c.name = 'Ada Lovelace'"), ==, 3);
  raw_close (db);
}

static void
test_journal (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) journal = tsr_project_get_journal (f->p);
  g_autoptr(TsrMemo) m = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  const char *bad[] = { "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-5", "26-01-05",
                        "2026/01/05", "2026-01-05T10:00", "", "yesterday" };
  gint64 a, b, c;

  CHECK_ID (a, tsr_project_add_journal_entry (f->p, "2026-03-01", "March", &err));
  CHECK_ID (b, tsr_project_add_journal_entry (f->p, "2026-01-15", "January", &err));
  CHECK_ID (c, tsr_project_add_journal_entry (f->p, NULL, "Today", &err));

  /* By date */
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 3);
  m = g_list_model_get_item (journal, 0);
  g_assert_cmpint (tsr_test_id_of (m), ==, b);
  g_assert_cmpint (tsr_memo_get_kind (m), ==, TSR_MEMO_JOURNAL);
  g_assert_cmpint (tsr_memo_get_target_id (m), ==, 0);
  g_assert_cmpstr (tsr_memo_get_date (m), ==, "2026-01-15");
  g_clear_object (&m);
  m = g_list_model_get_item (journal, 2);
  g_assert_cmpint (tsr_test_id_of (m), ==, c);
  g_assert_cmpstr (tsr_memo_get_date (m), ==, today);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CHECK_ERROR (tsr_project_add_journal_entry (f->p, bad[i], "x", &err), TSR_ERROR_INVALID);
      CHECK_ERROR (tsr_project_edit_journal_entry (f->p, a, bad[i], NULL, &err), TSR_ERROR_INVALID);
    }
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 3);

  CHECK (tsr_project_edit_journal_entry (f->p, a, "2026-01-01", "New year", &err));
  g_clear_object (&m);
  m = g_list_model_get_item (journal, 0);
  g_assert_cmpint (tsr_test_id_of (m), ==, a);
  g_assert_cmpstr (tsr_memo_get_text (m), ==, "New year");

  CHECK (tsr_project_delete_journal_entry (f->p, b, &err));
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 2);
  CHECK_ERROR (tsr_project_delete_journal_entry (f->p, b, &err), TSR_ERROR_NOT_FOUND);
}

/* Themes ------------------------------------------------------------- */

static void
test_themes (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GArray) codes = NULL;
  g_autoptr(TsrTheme) found = NULL;
  g_autoptr(GListModel) top = tsr_project_get_themes (f->p, 0);
  TsrThemeStatus status;
  gint64 t1, t2, t3, sub, code1, code2;
  const char *order[] = { "Connection", "Belonging", "Nested", "Kindness" };

  CHECK_ID (t1, tsr_project_create_theme (f->p, 0, "Connection", &err));
  CHECK_ID (t2, tsr_project_create_theme (f->p, 0, " Kindness ", &err));
  CHECK_ID (sub, tsr_project_create_theme (f->p, t1, "Belonging", &err));
  CHECK_ID (t3, tsr_project_create_theme (f->p, sub, "Nested", &err));
  CHECK_ID (code1, tsr_project_create_code (f->p, 0, "A", NULL, NULL, &err));
  CHECK_ID (code2, tsr_project_create_code (f->p, 0, "B", NULL, NULL, &err));

  all = tsr_project_list_all_themes (f->p);
  g_assert_cmpuint (all->len, ==, 4);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpstr (tsr_theme_get_name (all->pdata[i]), ==, order[i]);
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 2);
  found = tsr_project_find_theme (f->p, "Kindness");
  g_assert_cmpint (tsr_test_id_of (found), ==, t2);
  g_assert_cmpint (tsr_theme_get_status (found), ==, TSR_THEME_CANDIDATE);
  g_assert_cmpstr (tsr_theme_get_field (found, TSR_THEME_FIELD_NARRATIVE), ==, "");

  g_assert_cmpstr (tsr_theme_status_to_string (TSR_THEME_DISCARDED), ==, "discarded");
  g_assert_true (tsr_theme_status_from_string ("reviewed", &status));
  g_assert_cmpint (status, ==, TSR_THEME_REVIEWED);
  g_assert_false (tsr_theme_status_from_string ("done", &status));

  CHECK (tsr_project_set_theme_status (f->p, t2, TSR_THEME_DISCARDED, &err));
  CHECK (tsr_project_set_theme_field (f->p, t2, TSR_THEME_FIELD_SCOPE_NOTES, "Scope", &err));
  CHECK (tsr_project_rename_theme (f->p, t2, "Care", &err));
  g_clear_object (&found);
  found = tsr_project_lookup_theme (f->p, t2);
  g_assert_cmpint (tsr_theme_get_status (found), ==, TSR_THEME_DISCARDED);
  g_assert_cmpstr (tsr_theme_get_field (found, TSR_THEME_FIELD_SCOPE_NOTES), ==, "Scope");
  g_assert_cmpstr (tsr_theme_get_name (found), ==, "Care");

  /* Theme codes, in the order added, no doubles. */
  CHECK (tsr_project_add_code_to_theme (f->p, t1, code2, &err));
  CHECK (tsr_project_add_code_to_theme (f->p, t1, code1, &err));
  CHECK (tsr_project_add_code_to_theme (f->p, t1, code2, &err));
  codes = tsr_project_get_theme_codes (f->p, t1);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpint (g_array_index (codes, gint64, 0), ==, code2);
  g_assert_cmpint (g_array_index (codes, gint64, 1), ==, code1);

  CHECK_ERROR (tsr_project_move_theme (f->p, t1, t3, -1, &err), TSR_ERROR_CYCLE);
  CHECK_ERROR (tsr_project_create_theme (f->p, 9999, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_rename_theme (f->p, 9999, "x", &err), TSR_ERROR_NOT_FOUND);

  /* Deleting a theme deletes its sub-themes, not its codes. */
  CHECK (tsr_project_delete_theme (f->p, t1, &err));
  g_assert_null (tsr_project_lookup_theme (f->p, sub));
  g_assert_null (tsr_project_lookup_theme (f->p, t3));
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 1);
}

/* Cases -------------------------------------------------------------- */

static void
test_cases (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) cases = tsr_project_get_cases (f->p);
  g_autoptr(GArray) docs = NULL;
  g_autoptr(TsrCase) c = NULL;
  gint64 d1, d2, d3, ward_b, ward_a, attr;

  CHECK_ID (d1, tsr_project_add_document (f->p, "D1", "x", NULL, &err));
  CHECK_ID (d2, tsr_project_add_document (f->p, "D2", "y", NULL, &err));
  CHECK_ID (d3, tsr_project_add_document (f->p, "D3", "z", NULL, &err));
  CHECK_ID (ward_b, tsr_project_create_case (f->p, "ward B", &err));
  CHECK_ID (ward_a, tsr_project_create_case (f->p, "Ward A", &err));

  /* By name, ignoring case. */
  c = g_list_model_get_item (cases, 0);
  g_assert_cmpint (tsr_test_id_of (c), ==, ward_a);
  g_assert_cmpstr (tsr_case_get_description (c), ==, "");

  CHECK (tsr_project_set_case_membership (f->p, ward_a, d3, TRUE, &err));
  CHECK (tsr_project_set_case_membership (f->p, ward_a, d1, TRUE, &err));
  CHECK (tsr_project_set_case_membership (f->p, ward_a, d1, TRUE, &err));
  CHECK (tsr_project_set_case_membership (f->p, ward_b, d1, TRUE, &err));
  docs = tsr_project_get_case_documents (f->p, ward_a);
  g_assert_cmpuint (docs->len, ==, 2);
  g_assert_cmpint (g_array_index (docs, gint64, 0), ==, d1);   /* document order */
  g_assert_cmpint (g_array_index (docs, gint64, 1), ==, d3);

  CHECK (tsr_project_set_case_membership (f->p, ward_a, d3, FALSE, &err));
  CHECK (tsr_project_set_case_membership (f->p, ward_a, d2, FALSE, &err));   /* not a member: fine */
  g_array_unref (docs);
  docs = tsr_project_get_case_documents (f->p, ward_a);
  g_assert_cmpuint (docs->len, ==, 1);

  CHECK_ERROR (tsr_project_create_case (f->p, "Ward A", &err), TSR_ERROR_EXISTS);
  CHECK_ERROR (tsr_project_create_case (f->p, "", &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_rename_case (f->p, ward_b, "Ward A", &err), TSR_ERROR_EXISTS);
  CHECK (tsr_project_rename_case (f->p, ward_b, "Ward B", &err));
  g_clear_object (&c);
  c = tsr_project_find_case (f->p, "Ward B");
  g_assert_cmpint (tsr_test_id_of (c), ==, ward_b);
  CHECK_ERROR (tsr_project_set_case_membership (f->p, 9999, d1, TRUE, &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_set_case_membership (f->p, ward_a, 9999, TRUE, &err), TSR_ERROR_NOT_FOUND);

  /* Deleting a case takes its memberships and attribute values, not its
   * documents. */
  CHECK_ID (attr, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_CASES, "Beds", TSR_ATTRIBUTE_INTEGER, &err));
  CHECK (tsr_project_set_attribute_value (f->p, attr, ward_a, "24", &err));
  CHECK (tsr_project_delete_case (f->p, ward_a, &err));
  g_assert_null (tsr_project_get_attribute_value (f->p, attr, ward_a));
  g_array_unref (docs);
  docs = tsr_project_get_case_documents (f->p, ward_a);
  g_assert_cmpuint (docs->len, ==, 0);
  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (cases), ==, 1);
  CHECK_ERROR (tsr_project_delete_case (f->p, ward_a, &err), TSR_ERROR_NOT_FOUND);

  /* Deleting a document takes it out of its cases. */
  CHECK (tsr_project_delete_document (f->p, d1, &err));
  g_array_unref (docs);
  docs = tsr_project_get_case_documents (f->p, ward_b);
  g_assert_cmpuint (docs->len, ==, 0);
}

/* The map ------------------------------------------------------------ */

static void
test_map (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) links = tsr_project_get_map_links (f->p);
  g_autoptr(TsrMapLink) link = NULL;
  double x = 0, y = 0;
  gint64 t1, t2, t3, code, l1, l2;

  CHECK_ID (t1, tsr_project_create_theme (f->p, 0, "One", &err));
  CHECK_ID (t2, tsr_project_create_theme (f->p, 0, "Two", &err));
  CHECK_ID (t3, tsr_project_create_theme (f->p, 0, "Three", &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));

  g_assert_false (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, t1, &x, &y));
  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, t1, 12.5, -3.75, &err));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, t1, &x, &y));
  g_assert_cmpfloat (x, ==, 12.5);
  g_assert_cmpfloat (y, ==, -3.75);
  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, t1, 0.1, 1e6, &err));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, t1, &x, &y));
  g_assert_cmpfloat (x, ==, 0.1);
  g_assert_cmpfloat (y, ==, 1e6);
  /* Themes and codes have separate positions even with the same id. */
  g_assert_cmpint (code, ==, t1);
  g_assert_false (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_CODE, code, &x, &y));
  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_CODE, code, 5, 6, &err));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_CODE, code, &x, &y));
  g_assert_cmpfloat (x, ==, 5);
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, t1, &x, &y));
  g_assert_cmpfloat (x, ==, 0.1);

  CHECK_ERROR (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, t1, NAN, 0, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, t1, 0, INFINITY, &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, 9999, 0, 0, &err), TSR_ERROR_NOT_FOUND);
  CHECK_ERROR (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_CODE, 9999, 0, 0, &err), TSR_ERROR_NOT_FOUND);

  CHECK_ID (l1, tsr_project_add_map_link (f->p, t1, t2, "leads to", &err));
  CHECK_ID (l2, tsr_project_add_map_link (f->p, t3, t1, NULL, &err));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 2);
  link = g_list_model_get_item (links, 0);
  g_assert_cmpint (tsr_map_link_get_from_theme (link), ==, t1);
  g_assert_cmpint (tsr_map_link_get_to_theme (link), ==, t2);
  g_assert_cmpstr (tsr_map_link_get_label (link), ==, "leads to");
  g_clear_object (&link);
  link = g_list_model_get_item (links, 1);
  g_assert_cmpstr (tsr_map_link_get_label (link), ==, "");

  CHECK_ERROR (tsr_project_add_map_link (f->p, t1, t1, "", &err), TSR_ERROR_INVALID);
  CHECK_ERROR (tsr_project_add_map_link (f->p, t1, 9999, "", &err), TSR_ERROR_NOT_FOUND);
  CHECK (tsr_project_remove_map_link (f->p, l1, &err));
  CHECK_ERROR (tsr_project_remove_map_link (f->p, l1, &err), TSR_ERROR_NOT_FOUND);

  /* Deleting a theme takes its links and position. */
  CHECK (tsr_project_delete_theme (f->p, t1, &err));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 0);
  g_assert_false (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, t1, &x, &y));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_CODE, code, &x, &y));
  (void) l2;
}

/* Coders ------------------------------------------------------------- */

static void
test_coders (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (f->p);
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ada_again = NULL;
  g_autoptr(TsrCoder) bob = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  g_autoptr(TsrCoder) consensus_again = NULL;
  g_autoptr(TsrCoder) item = NULL;
  g_autoptr(GError) error = NULL;
  guint history;

  ada = tsr_project_find_coder (f->p, "Ada Lovelace");
  g_assert_nonnull (ada);
  g_assert_false (tsr_coder_get_is_consensus (ada));

  /* Idempotent, trimmed, and no second history entry. */
  history = history_length (f->p);
  ada_again = tsr_project_ensure_coder (f->p, "  Ada Lovelace ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_test_id_of (ada_again), ==, tsr_test_id_of (ada));
  g_assert_cmpuint (history_length (f->p), ==, history);

  bob = tsr_project_ensure_coder (f->p, "bob", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_test_id_of (bob), !=, tsr_test_id_of (ada));

  consensus = tsr_project_get_consensus_coder (f->p, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_coder_get_is_consensus (consensus));
  g_assert_cmpstr (tsr_coder_get_name (consensus), ==, "Consensus");
  g_assert_cmpint (tsr_test_id_of (consensus), !=, tsr_test_id_of (ada));
  g_assert_cmpint (tsr_test_id_of (consensus), !=, tsr_test_id_of (bob));
  consensus_again = tsr_project_get_consensus_coder (f->p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_test_id_of (consensus_again), ==, tsr_test_id_of (consensus));

  /* A person cannot take the consensus coder's name. */
  g_clear_object (&item);
  item = tsr_project_ensure_coder (f->p, "Consensus", &error);
  g_assert_null (item);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
  g_clear_error (&error);
  item = tsr_project_ensure_coder (f->p, "  ", &error);
  g_assert_null (item);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  /* People by name ignoring case, the consensus last. */
  g_assert_cmpuint (g_list_model_get_n_items (coders), ==, 3);
  item = g_list_model_get_item (coders, 0);
  g_assert_cmpstr (tsr_coder_get_name (item), ==, "Ada Lovelace");
  g_clear_object (&item);
  item = g_list_model_get_item (coders, 1);
  g_assert_cmpstr (tsr_coder_get_name (item), ==, "bob");
  g_clear_object (&item);
  item = g_list_model_get_item (coders, 2);
  g_assert_true (tsr_coder_get_is_consensus (item));

  g_assert_false (tsr_project_set_current_coder (f->p, 9999, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The consensus coder is still unique after a reopen. */
  reopen_project (f);
  g_clear_object (&consensus_again);
  consensus_again = tsr_project_get_consensus_coder (f->p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_test_id_of (consensus_again), ==, tsr_test_id_of (consensus));
}

static void
test_current_coder (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCoder) bob = NULL;
  g_autoptr(TsrSegment) seg = NULL;
  g_autoptr(GListModel) journal = tsr_project_get_journal (f->p);
  g_autoptr(TsrMemo) entry = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 ada_id, doc, code, s1, s2, s3, j;

  ada_id = tsr_test_id_of (tsr_project_get_current_coder (f->p));
  bob = tsr_project_ensure_coder (f->p, "Bob", NULL);
  CHECK_ID (doc, tsr_project_add_document (f->p, "Doc", "Some text.", NULL, &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));

  CHECK_ID (s1, tsr_project_add_segment (f->p, doc, code, 0, 4, &err));
  CHECK (tsr_project_set_current_coder (f->p, tsr_test_id_of (bob), &err));
  g_assert_cmpint (tsr_test_id_of (tsr_project_get_current_coder (f->p)), ==, tsr_test_id_of (bob));
  CHECK_ID (s2, tsr_project_add_segment (f->p, doc, code, 0, 4, &err));
  CHECK_ID (s3, tsr_project_add_segment_for_coder (f->p, doc, code, ada_id, 5, 9, &err));
  CHECK_ID (j, tsr_project_add_journal_entry (f->p, "2026-01-01", "Bob's note", &err));

  seg = tsr_project_lookup_segment (f->p, s1);
  g_assert_cmpint (tsr_segment_get_coder_id (seg), ==, ada_id);
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, s2);
  g_assert_cmpint (tsr_segment_get_coder_id (seg), ==, tsr_test_id_of (bob));
  entry = g_list_model_get_item (journal, 0);
  g_assert_cmpint (tsr_memo_get_coder_id (entry), ==, tsr_test_id_of (bob));

  history = tsr_project_list_history (f->p, 0);
  g_assert_cmpstr (tsr_history_entry_get_coder_name (history->pdata[0]), ==, "Bob");
  g_assert_cmpstr (tsr_history_entry_get_coder_name (history->pdata[3]), ==, "Ada Lovelace");
}

/* A closed project ------------------------------------------------- */

static void
test_closed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDocument) doc = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_add_document (f->p, "Doc", "Text.", NULL, &err));
  doc = tsr_project_lookup_document (f->p, id);
  g_assert_true (tsr_project_close (f->p, &error));
  g_assert_no_error (error);

  /* Snapshots stay readable; edits fail with an error; closing again is
   * harmless. */
  g_assert_cmpstr (tsr_document_get_name (doc), ==, "Doc");
  g_assert_false (tsr_project_rename_document (f->p, id, "New", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (tsr_project_can_undo (f->p));
  g_assert_true (tsr_project_close (f->p, &error));
  g_assert_no_error (error);
  g_clear_object (&f->p);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/project/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_BARE(path, func) \
  g_test_add ("/tessera/project/" path, Fixture, "bare", fixture_set_up, func, fixture_tear_down)

  ADD_BARE ("create", test_create);
  ADD_BARE ("create-without-extension", test_create_without_extension);
  ADD_BARE ("open-missing", test_open_missing);
  ADD_BARE ("open-text-file", test_open_text_file);
  ADD_BARE ("open-random-bytes", test_open_random_bytes);
  ADD_BARE ("open-empty-file", test_open_empty_file);
  ADD_BARE ("open-foreign-sqlite", test_open_foreign_sqlite);
  ADD_BARE ("open-folder", test_open_folder);
  ADD_BARE ("open-newer-version", test_open_newer_version);
  ADD_BARE ("migrate-from-0", test_migrate_from_0);
  ADD_BARE ("open-damaged", test_open_damaged);
  ADD ("open-async", test_open_async);
  ADD ("wal-and-single-file", test_wal_and_single_file);
  ADD ("integrity", test_integrity);
  ADD ("foreign-keys", test_foreign_keys);
  ADD ("uuids", test_uuids);
  ADD ("documents", test_documents);
  ADD ("title", test_title);
  ADD ("code-paths", test_code_paths);
  ADD ("code-colors", test_code_colors);
  ADD ("code-color-least-used", test_code_color_least_used);
  ADD ("code-color-case", test_code_color_case);
  ADD ("merge-codes", test_merge_codes);
  ADD ("merge-codes-sibling-names", test_merge_codes_sibling_names);
  ADD ("segment-offsets", test_segment_offsets);
  ADD ("segments", test_segments);
  ADD ("attribute-types", test_attribute_types);
  ADD ("attribute-integer-overflow", test_attribute_integer_overflow);
  ADD ("attribute-real-short-form", test_attribute_real_short_form);
  ADD ("date-trailing-garbage", test_date_trailing_garbage);
  ADD ("memos", test_memos);
  ADD ("journal", test_journal);
  ADD ("themes", test_themes);
  ADD ("cases", test_cases);
  ADD ("map", test_map);
  ADD ("coders", test_coders);
  ADD ("current-coder", test_current_coder);
  ADD ("closed", test_closed);

  return g_test_run ();
}
