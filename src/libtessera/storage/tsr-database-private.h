/* tsr-database-private.h — the SQLite connection behind a project
 *
 * Only the core includes this header: the UI and the CLI never see SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

/* The history records edits with SQLite's session extension. */
#ifndef SQLITE_ENABLE_SESSION
# define SQLITE_ENABLE_SESSION 1
#endif
#ifndef SQLITE_ENABLE_PREUPDATE_HOOK
# define SQLITE_ENABLE_PREUPDATE_HOOK 1
#endif
#include <sqlite3.h>

G_BEGIN_DECLS

#define TSR_APPLICATION_ID 0x54535241 /* "TSRA" */

#define TSR_TYPE_DATABASE (tsr_database_get_type ())
G_DECLARE_FINAL_TYPE (TsrDatabase, tsr_database, TSR, DATABASE, GObject)

typedef enum
{
  TSR_DATABASE_OPEN_EXISTING,
  TSR_DATABASE_CREATE,
  TSR_DATABASE_OPEN_READ_ONLY,
} TsrDatabaseMode;

TsrDatabase   *tsr_database_open            (const char       *path,
                                             TsrDatabaseMode   mode,
                                             GError          **error);
gboolean       tsr_database_close           (TsrDatabase      *self,
                                             GError          **error);
sqlite3       *tsr_database_get_handle      (TsrDatabase      *self);
const char    *tsr_database_get_path        (TsrDatabase      *self);

/* A read-only connection of a worker thread's own to the project at
 * @path (the project's connection belongs to the main thread; WAL lets
 * this one read the last committed state while edits go on).  Queries
 * on it stop when @cancellable is cancelled.  Close it with
 * sqlite3_close(). */
sqlite3       *tsr_database_open_reader     (const char       *path,
                                             GCancellable     *cancellable,
                                             GError          **error);

/* A cached statement, reset and with its bindings cleared. Owned by the
 * database: never finalize it. */
sqlite3_stmt  *tsr_database_prepare         (TsrDatabase      *self,
                                             const char       *sql,
                                             GError          **error);
gboolean       tsr_database_exec            (TsrDatabase      *self,
                                             const char       *sql,
                                             GError          **error);
/* Steps @stmt to completion and resets it. */
gboolean       tsr_database_run             (TsrDatabase      *self,
                                             sqlite3_stmt     *stmt,
                                             GError          **error);
/* Every read steps its statement through one of these two, which tell
 * the end of the rows from an error (a damaged page, an I/O error) and
 * remember the first failure for tsr_database_check_reads (). */
gboolean       tsr_database_step_row        (TsrDatabase      *self,
                                             sqlite3_stmt     *stmt,
                                             gboolean         *has_row,
                                             GError          **error);
gboolean       tsr_database_next_row        (TsrDatabase      *self,
                                             sqlite3_stmt     *stmt);
gboolean       tsr_database_check_reads     (TsrDatabase      *self,
                                             GError          **error);

/* Nested transactions: the outermost begin takes the write lock with
 * BEGIN IMMEDIATE (after switching to write-ahead logging, which the
 * first write does), inner ones are savepoints.  A transaction that only
 * reads begins with tsr_database_begin_read (), which writes nothing. */
gboolean       tsr_database_begin           (TsrDatabase      *self,
                                             GError          **error);
gboolean       tsr_database_begin_read      (TsrDatabase      *self,
                                             GError          **error);
gboolean       tsr_database_commit          (TsrDatabase      *self,
                                             GError          **error);
void           tsr_database_rollback        (TsrDatabase      *self);
guint          tsr_database_get_depth       (TsrDatabase      *self);

/* Honour @cancellable in long statements (sqlite3_progress_handler). */
void           tsr_database_push_cancellable (TsrDatabase     *self,
                                              GCancellable    *cancellable);
void           tsr_database_pop_cancellable  (TsrDatabase     *self);

void           tsr_database_set_error       (TsrDatabase      *self,
                                             GError          **error,
                                             const char       *context);
/* The same for any connection (a worker's reader, a merge's other
 * side); @rc 0 for the connection's last error. */
void           tsr_database_set_handle_error (sqlite3         *db,
                                              int              rc,
                                              GError         **error,
                                              const char      *context);

/* Tables in an order where each row's references come first; the JSON
 * export, the import and tests walk them in this order. */
const char * const *tsr_database_table_names (void);

guint          tsr_database_schema_version  (void);

/* The SQL that upgrades a file of @from_version to the next version
 * (tests build older files with it). */
const char    *_tsr_schema_upgrade_sql      (guint             from_version);

G_END_DECLS
