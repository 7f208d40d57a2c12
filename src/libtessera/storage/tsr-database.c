/* tsr-database.c — the SQLite connection behind a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tsr-database-private.h"
#include "tsr-error.h"

struct _TsrDatabase
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  guint       depth;        /* transaction nesting */
  GPtrArray  *cancellables;
  GError     *read_error;   /* the first read that failed, until taken */
  gboolean    read_only;    /* opened with SQLITE_OPEN_READONLY */
  gboolean    wal;          /* in write-ahead logging since a write */
};

G_DEFINE_FINAL_TYPE (TsrDatabase, tsr_database, G_TYPE_OBJECT)

/* Defined in tsr-schema.c */
gboolean _tsr_schema_create  (TsrDatabase *self, GError **error);
gboolean _tsr_schema_migrate (TsrDatabase *self, guint from_version, GError **error);
const char *_tsr_schema_missing_table (TsrDatabase *self);

/* How long opening a project for editing may spend checking it. */
#define QUICK_CHECK_BUDGET_US (100 * G_TIME_SPAN_MILLISECOND)

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
tsr_database_finalize (GObject *object)
{
  TsrDatabase *self = (TsrDatabase *)object;

  if (self->db != NULL)
    tsr_database_close (self, NULL);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->cancellables, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_error (&self->read_error);

  G_OBJECT_CLASS (tsr_database_parent_class)->finalize (object);
}

static void
tsr_database_class_init (TsrDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_database_finalize;
}

static void
tsr_database_init (TsrDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->cancellables = g_ptr_array_new ();
}

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      return TSR_ERROR_NOT_A_PROJECT;
    case SQLITE_CORRUPT:
      return TSR_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return TSR_ERROR_READ_ONLY;
    case SQLITE_INTERRUPT:
      return TSR_ERROR_CANCELLED;
    default:
      return TSR_ERROR_FAILED;
    }
}

/**
 * tsr_database_set_handle_error:
 * @db: a connection
 * @rc: what SQLite returned, or 0 for the connection's last error
 * @context: what was being done, for the message
 *
 * Turns an SQLite error into a #GError whose message names the project
 * file: for connections of the core's own (worker threads' readers, the
 * other side of a merge) as much as for the project's.
 */
void
tsr_database_set_handle_error (sqlite3     *db,
                               int          rc,
                               GError     **error,
                               const char  *context)
{
  const char *path = db ? sqlite3_db_filename (db, "main") : NULL;
  g_autofree char *name = g_path_get_basename (path && *path ? path : "");
  const char *message;
  int code;

  if (rc == 0 && db != NULL)
    rc = sqlite3_extended_errcode (db);
  code = error_code_for (rc);
  /* The connection's message, when it is still about @rc. */
  if (db != NULL && (sqlite3_errcode (db) & 0xff) == (rc & 0xff))
    message = sqlite3_errmsg (db);
  else
    message = sqlite3_errstr (rc);

  switch (code)
    {
    case TSR_ERROR_CANCELLED:
      g_set_error_literal (error, TSR_ERROR, code, _("The operation was cancelled"));
      break;
    case TSR_ERROR_NOT_A_PROJECT:
      g_set_error (error, TSR_ERROR, code, _("The file “%s” is not a Tessera project"), name);
      break;
    case TSR_ERROR_CORRUPT:
      g_set_error (error, TSR_ERROR, code,
                   _("The project “%s” is damaged and cannot be read (%s)"),
                   name, message);
      break;
    case TSR_ERROR_READ_ONLY:
      g_set_error (error, TSR_ERROR, code,
                   _("The project “%s” cannot be written: %s"),
                   name, message);
      break;
    default:
      if ((rc & 0xff) == SQLITE_FULL)
        g_set_error (error, TSR_ERROR, code,
                     _("The disk is full: the change to “%s” was not saved"), name);
      else if ((rc & 0xff) == SQLITE_IOERR)
        g_set_error (error, TSR_ERROR, code,
                     _("The disk failed while reading or writing the project “%s” (%s)"),
                     name, message);
      else
        g_set_error (error, TSR_ERROR, code, "%s: %s", context, message);
      break;
    }
}

/**
 * tsr_database_set_error:
 * @context: what was being done, for the message
 *
 * Turns the connection's last SQLite error into a #GError.
 */
void
tsr_database_set_error (TsrDatabase  *self,
                        GError      **error,
                        const char   *context)
{
  if (self->db == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }
  tsr_database_set_handle_error (self->db, 0, error, context);
}

/* Remembers the first read that failed, for tsr_database_check_reads ():
 * a read that has no error to return (a list, a lookup) or whose caller
 * keeps what it had must not pass for the end of the table.  A
 * cancellation is its caller's to report. */
static void
record_read_error (TsrDatabase *self,
                   const char  *context)
{
  if (self->read_error != NULL || (sqlite3_errcode (self->db) & 0xff) == SQLITE_INTERRUPT)
    return;

  tsr_database_set_error (self, &self->read_error, context);
  g_debug ("Reading “%s” failed: %s", self->path, self->read_error->message);
}

/**
 * tsr_database_check_reads:
 *
 * Whether every read since the last call got all its rows.  A damaged
 * page, an I/O error or a locked file stops a read part way; the rows
 * read before are all a caller that returns no error could give, so
 * whoever shows or writes out what was read asks here first.
 *
 * Returns: %TRUE, or %FALSE with @error set to the first failure (which
 *   is then forgotten)
 */
gboolean
tsr_database_check_reads (TsrDatabase  *self,
                          GError      **error)
{
  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);

  if (self->read_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&self->read_error));
  return FALSE;
}

static int
progress_cb (void *user_data)
{
  TsrDatabase *self = user_data;

  for (guint i = 0; i < self->cancellables->len; i++)
    if (g_cancellable_is_cancelled (self->cancellables->pdata[i]))
      return 1;

  return 0;
}

void
tsr_database_push_cancellable (TsrDatabase  *self,
                               GCancellable *cancellable)
{
  g_return_if_fail (TSR_IS_DATABASE (self));

  g_ptr_array_add (self->cancellables, cancellable ? g_object_ref (cancellable) : NULL);
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, 1000, progress_cb, self);
}

void
tsr_database_pop_cancellable (TsrDatabase *self)
{
  gpointer c;

  g_return_if_fail (TSR_IS_DATABASE (self));
  g_return_if_fail (self->cancellables->len > 0);

  c = g_ptr_array_steal_index (self->cancellables, self->cancellables->len - 1);
  g_clear_object (&c);
  for (guint i = 0; i < self->cancellables->len; i++)
    if (self->cancellables->pdata[i] != NULL)
      return;
  sqlite3_progress_handler (self->db, 0, NULL, NULL);
}

static gboolean
pragma_int (TsrDatabase  *self,
            const char   *pragma,
            int          *value,
            GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", pragma);
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsr_database_set_error (self, error, pragma);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      tsr_database_set_error (self, error, pragma);
      return FALSE;
    }
  return TRUE;
}

/* Runs a journal_mode pragma and notes whether the file is (now) in
 * write-ahead logging. */
static gboolean
journal_mode (TsrDatabase  *self,
              const char   *sql,
              GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsr_database_set_error (self, error, "journal_mode");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    self->wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      tsr_database_set_error (self, error, "journal_mode");
      return FALSE;
    }
  return TRUE;
}

/* Switches to write-ahead logging, before the first write.  (A file
 * system without shared memory keeps the rollback journal, as safe if
 * slower with readers about.) */
static gboolean
use_wal (TsrDatabase  *self,
         GError      **error)
{
  if (self->wal || self->read_only)
    return TRUE;
  return journal_mode (self, "PRAGMA journal_mode = WAL", error);
}

static gboolean
prepare_schema (TsrDatabase      *self,
                TsrDatabaseMode   mode,
                GError          **error)
{
  int version = 0;
  gboolean ok;

  if (!pragma_int (self, "user_version", &version, error))
    return FALSE;

  if (mode != TSR_DATABASE_CREATE &&
      (guint) version == tsr_database_schema_version ())
    return TRUE;

  if (mode == TSR_DATABASE_OPEN_READ_ONLY)
    {
      g_autofree char *name = g_path_get_basename (self->path);

      g_set_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY,
                   _("The project “%s” was saved by an older version of Tessera and is upgraded "
                     "when it is opened for editing"), name);
      return FALSE;
    }

  if (!tsr_database_begin (self, error))
    return FALSE;
  if (mode == TSR_DATABASE_CREATE)
    ok = _tsr_schema_create (self, error);
  else
    ok = _tsr_schema_migrate (self, version, error);
  if (!ok)
    {
      tsr_database_rollback (self);
      return FALSE;
    }
  return tsr_database_commit (self, error);
}

/* A file with Tessera's id that lacks a table is refused, not repaired
 * by writing into it. */
static gboolean
check_tables (TsrDatabase  *self,
              const char   *name,
              GError      **error)
{
  const char *missing = _tsr_schema_missing_table (self);

  if (missing == NULL)
    return TRUE;
  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
               _("The project “%s” is damaged: its table “%s” is missing. It was not changed."),
               name, missing);
  return FALSE;
}

static int
deadline_cb (void *user_data)
{
  return g_get_monotonic_time () > *(gint64 *) user_data;
}

/* Runs SQLite's quick check for at most QUICK_CHECK_BUDGET_US: a small
 * or middling project is checked whole, a big one as far as the budget
 * reaches (every read after that is still checked as it happens).
 *
 * Returns: %FALSE with @error set when the check found damage */
static gboolean
check_for_damage (TsrDatabase  *self,
                  const char   *name,
                  GError      **error)
{
  gint64 deadline = g_get_monotonic_time () + QUICK_CHECK_BUDGET_US;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *problem = NULL;
  int rc;

  sqlite3_progress_handler (self->db, 1000, deadline_cb, &deadline);
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW &&
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      /* "*** in database main ***\nPage 12: …": the finding, on one line. */
      g_auto(GStrv) lines = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "\n", -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0' && !g_str_has_prefix (lines[i], "***"))
          g_ptr_array_add (kept, lines[i]);
      g_ptr_array_add (kept, NULL);
      problem = g_strjoinv ("; ", (char **) kept->pdata);
    }
  else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    problem = g_strdup (sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (problem == NULL)
    return TRUE;
  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
               _("The project “%s” is damaged and cannot be edited (%s). It was not changed; "
                 "open it read-only to copy out what can be read."),
               name, problem);
  return FALSE;
}

/**
 * tsr_database_open:
 * @path: the project file
 * @mode: whether to create a new project (the file must not exist)
 *
 * Opens the connection, checks the file is a Tessera project of a version
 * this build understands, and upgrades an older schema in one transaction.
 *
 * Returns: (transfer full): the database, or %NULL with @error set
 */
TsrDatabase *
tsr_database_open (const char       *path,
                   TsrDatabaseMode   mode,
                   GError          **error)
{
  g_autoptr(TsrDatabase) self = NULL;
  g_autofree char *name = NULL;
  int flags = SQLITE_OPEN_NOMUTEX;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_path_get_basename (path);

  if (mode == TSR_DATABASE_CREATE)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                       _("The file “%s” already exists"), name);
          return NULL;
        }
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    }
  else
    {
      flags |= mode == TSR_DATABASE_OPEN_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The project “%s” does not exist"), path);
          return NULL;
        }
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT,
                       _("“%s” is a folder, not a Tessera project"), name);
          return NULL;
        }
    }

  self = g_object_new (TSR_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);
  self->read_only = mode == TSR_DATABASE_OPEN_READ_ONLY;

  rc = sqlite3_open_v2 (path, &self->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      if (mode == TSR_DATABASE_CREATE)
        g_set_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY,
                     _("The project “%s” cannot be created: %s"), name,
                     self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                     _("The project “%s” cannot be opened: %s"), name,
                     self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  /* Reading the header tells a foreign file from a project before we
   * write anything (journal_mode=WAL writes). */
  {
    int app_id = 0;
    GError *local_error = NULL;

    if (!pragma_int (self, "application_id", &app_id, &local_error))
      {
        g_propagate_error (error, local_error);
        sqlite3_close (self->db);
        self->db = NULL;
        return NULL;
      }
    if (mode != TSR_DATABASE_CREATE && app_id != TSR_APPLICATION_ID)
      {
        g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT,
                     _("The file “%s” is not a Tessera project"), name);
        sqlite3_close (self->db);
        self->db = NULL;
        return NULL;
      }
  }

  {
    int version = 0;

    if (mode != TSR_DATABASE_CREATE &&
        pragma_int (self, "user_version", &version, NULL) &&
        (guint) version > tsr_database_schema_version ())
      {
        g_set_error (error, TSR_ERROR, TSR_ERROR_NEWER_VERSION,
                     _("The project “%s” was saved by a newer version of Tessera. "
                       "Update Tessera to open it; the file was not changed."),
                     name);
        sqlite3_close (self->db);
        self->db = NULL;
        return NULL;
      }
  }

  /* A damaged project is not edited: an edit on a damaged page can
   * spread the damage.  Reading one is still allowed, and each read
   * that meets the damage says so (tsr_database_check_reads ()). */
  if (mode == TSR_DATABASE_OPEN_EXISTING && !check_for_damage (self, name, error))
    {
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }

  /* Opening writes nothing: write-ahead logging, which rewrites the
   * file's header, begins with the first write (tsr_database_begin ()),
   * so a project that is only read keeps its bytes and its time. */
  if (!tsr_database_exec (self, "PRAGMA foreign_keys = ON", error) ||
      (mode == TSR_DATABASE_CREATE && !use_wal (self, error)) ||
      /* A file left in write-ahead logging by a run that was killed
       * goes back to one file when it is closed. */
      (mode != TSR_DATABASE_CREATE && !journal_mode (self, "PRAGMA journal_mode", error)) ||
      !tsr_database_exec (self, "PRAGMA synchronous = FULL", error) ||
      !tsr_database_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      !tsr_database_exec (self, "PRAGMA cache_size = -32768", error) ||
      !prepare_schema (self, mode, error) ||
      !check_tables (self, name, error))
    {
      g_hash_table_remove_all (self->statements);
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * tsr_database_close:
 *
 * Checkpoints the write-ahead log and closes, so that the project is one
 * file again.
 */
gboolean
tsr_database_close (TsrDatabase  *self,
                    GError      **error)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);

  if (self->db == NULL)
    return TRUE;

  while (self->depth > 0)
    tsr_database_rollback (self);

  g_hash_table_remove_all (self->statements);

  /* Leaving WAL mode checkpoints and removes the -wal and -shm files; a
   * project that was only read was never in it. */
  if (self->wal && !self->read_only && sqlite3_db_readonly (self->db, "main") == 0)
    {
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_exec (self->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    }

  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      tsr_database_set_error (self, error, "close");
      sqlite3_close_v2 (self->db);
      ret = FALSE;
    }
  self->db = NULL;

  return ret;
}

sqlite3 *
tsr_database_get_handle (TsrDatabase *self)
{
  g_return_val_if_fail (TSR_IS_DATABASE (self), NULL);
  return self->db;
}

static int
on_reader_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

sqlite3 *
tsr_database_open_reader (const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  sqlite3 *db = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, "%s", db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, on_reader_progress_cb, cancellable);

  return db;
}

const char *
tsr_database_get_path (TsrDatabase *self)
{
  g_return_val_if_fail (TSR_IS_DATABASE (self), NULL);
  return self->path;
}

sqlite3_stmt *
tsr_database_prepare (TsrDatabase  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_DATABASE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      record_read_error (self, "prepare");
      tsr_database_set_error (self, error, "prepare");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
tsr_database_exec (TsrDatabase  *self,
                   const char   *sql,
                   GError      **error)
{
  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      tsr_database_set_error (self, error, "exec");
      return FALSE;
    }
  return TRUE;
}

gboolean
tsr_database_run (TsrDatabase   *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      tsr_database_set_error (self, error, "step");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * tsr_database_step_row:
 * @has_row: (out): whether @stmt gave a row
 *
 * Steps @stmt once, telling the end of its rows (%TRUE, *@has_row
 * %FALSE, the statement reset) from an error (%FALSE with @error set, the
 * statement reset, and the failure remembered for
 * tsr_database_check_reads ()).  A loop over the rows keeps the return
 * value, not @has_row, to know how it ended:
 *
 * |[
 *   while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
 *     …
 *   if (!ok)
 *     return FALSE;
 * ]|
 *
 * Returns: %FALSE on an error
 */
gboolean
tsr_database_step_row (TsrDatabase   *self,
                       sqlite3_stmt  *stmt,
                       gboolean      *has_row,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *has_row = TRUE;
      return TRUE;
    }
  *has_row = FALSE;
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  record_read_error (self, "step");
  tsr_database_set_error (self, error, "step");
  sqlite3_reset (stmt);
  return FALSE;
}

/**
 * tsr_database_next_row:
 *
 * Steps @stmt for a read that has no error to return: %TRUE on a row,
 * %FALSE at the end of the rows or on an error, which is remembered for
 * tsr_database_check_reads ().  The statement is reset when it ends.
 *
 * Returns: whether there is a row
 */
gboolean
tsr_database_next_row (TsrDatabase  *self,
                       sqlite3_stmt *stmt)
{
  gboolean has_row;

  return tsr_database_step_row (self, stmt, &has_row, NULL) && has_row;
}

gboolean
tsr_database_begin (TsrDatabase  *self,
                    GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);

  if (self->depth == 0)
    {
      /* A read-only project takes no write lock: its "transactions" are
       * reads as of one moment. */
      if (!use_wal (self, error) ||
          !tsr_database_exec (self, self->read_only ? "BEGIN" : "BEGIN IMMEDIATE", error))
        return FALSE;
    }
  else
    {
      sql = g_strdup_printf ("SAVEPOINT tsr%u", self->depth);
      if (!tsr_database_exec (self, sql, error))
        return FALSE;
    }
  self->depth++;
  return TRUE;
}

/**
 * tsr_database_begin_read:
 *
 * Begins a transaction that only reads (everything it reads is as of one
 * moment) and so writes nothing, not even the switch to write-ahead
 * logging; inside a transaction, a savepoint.  Ended with
 * tsr_database_commit () or tsr_database_rollback ().
 */
gboolean
tsr_database_begin_read (TsrDatabase  *self,
                         GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);

  if (self->depth == 0)
    sql = g_strdup ("BEGIN");
  else
    sql = g_strdup_printf ("SAVEPOINT tsr%u", self->depth);
  if (!tsr_database_exec (self, sql, error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
tsr_database_commit (TsrDatabase  *self,
                     GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TSR_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    {
      if (!tsr_database_exec (self, "COMMIT", error))
        {
          tsr_database_rollback (self);
          return FALSE;
        }
    }
  else
    {
      sql = g_strdup_printf ("RELEASE tsr%u", self->depth - 1);
      if (!tsr_database_exec (self, sql, error))
        return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
tsr_database_rollback (TsrDatabase *self)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (TSR_IS_DATABASE (self));
  g_return_if_fail (self->depth > 0);

  if (self->depth == 1)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  else
    {
      sql = g_strdup_printf ("ROLLBACK TO tsr%u; RELEASE tsr%u", self->depth - 1, self->depth - 1);
      sqlite3_exec (self->db, sql, NULL, NULL, NULL);
    }
  self->depth--;
}

guint
tsr_database_get_depth (TsrDatabase *self)
{
  return self->depth;
}
