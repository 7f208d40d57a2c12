/* tsr-project-history.c — the operations layer: every edit recorded,
 * undone and redone
 *
 * Every edit goes through one operations layer: _tsr_project_op_begin()
 * opens a (nested) transaction and, at the outermost level, an SQLite
 * session that records every row the edit touches — cascades included.
 * _tsr_project_op_end() stores the session's changeset in the history
 * table with the coder and the time, commits, and tells the views what
 * changed.  Undo applies the inverted changeset, redo the changeset
 * itself, so every kind of edit can be undone the same way and an undo
 * survives closing the project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static int
session_table_filter (void       *user_data,
                      const char *table)
{
  TsrProject *self = user_data;

  /* The history records edits; it is not itself an edit.  Coders are
   * identities that edits refer to, added outside the history, except
   * in an edit that brings in other coders' work wholesale (a merge),
   * whose undo takes them away again with everything they did. */
  if (strcmp (table, "coders") == 0)
    return self->op_with_coders;
  /* The full-text index (search_words, search_trigrams and their shadow
   * tables) follows document_texts through triggers, which run again
   * when a changeset is replayed: recording it too would apply its
   * changes twice. */
  if (g_str_has_prefix (table, "search_"))
    return 0;
  return strcmp (table, "history") != 0;
}

gboolean
_tsr_project_op_begin (TsrProject  *self,
                       guint        flags,
                       const char  *kind,
                       char        *description,   /* owned */
                       GError     **error)
{
  g_autofree char *owned_description = description;

  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }

  if (!tsr_database_begin (self->db, error))
    return FALSE;

  if (self->op_depth == 0)
    {
      /* An edit's session lives from its outermost begin to its end. */
      g_assert (self->session == NULL);
      self->op_flags = 0;
      g_free (self->op_kind);
      g_free (self->op_description);
      self->op_kind = g_strdup (kind);
      self->op_description = g_steal_pointer (&owned_description);
      self->op_with_coders = FALSE;

      if (self->history_enabled)
        {
          sqlite3 *db = tsr_database_get_handle (self->db);

          if (sqlite3session_create (db, "main", &self->session) != SQLITE_OK)
            {
              tsr_database_set_error (self->db, error, "session");
              tsr_database_rollback (self->db);
              return FALSE;
            }
          sqlite3session_table_filter (self->session, session_table_filter, self);
          sqlite3session_attach (self->session, NULL);
        }
    }

  /* Every nesting level is a savepoint of the database's transaction. */
  g_assert (!sqlite3_get_autocommit (tsr_database_get_handle (self->db)));
  self->op_depth++;
  self->op_flags |= flags;
  return TRUE;
}

static gboolean
record_history (TsrProject  *self,
                const void  *changeset,
                int          size,
                GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *uuid = g_uuid_string_random ();

  /* The coder named for the edits to come joins with their first. */
  if (!_tsr_project_add_pending_coder (self, error))
    return FALSE;

  stmt = tsr_database_prepare (self->db,
                               "UPDATE history SET state = 'discarded' WHERE state = 'undone'",
                               error);
  if (stmt == NULL || !tsr_database_run (self->db, stmt, error))
    return FALSE;

  stmt = tsr_database_prepare (self->db,
                               "INSERT INTO history (uuid, time, coder_id, coder_name, kind, description, changeset)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, _tsr_now_us ());
  if (self->current_coder != NULL)
    {
      sqlite3_bind_int64 (stmt, 3, tsr_entity_get_id (TSR_ENTITY (self->current_coder)));
      sqlite3_bind_text (stmt, 4, self->current_coder->name, -1, SQLITE_TRANSIENT);
    }
  else
    {
      sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, "", -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 5, self->op_kind ? self->op_kind : "edit", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, self->op_description ? self->op_description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 7, changeset, size, SQLITE_TRANSIENT);

  return tsr_database_run (self->db, stmt, error);
}

/* Ends the edit that _tsr_project_op_begin() started.  On failure (@ok is
 * FALSE, or the commit fails) everything since the matching
 * _tsr_project_op_begin() is rolled back. */
gboolean
_tsr_project_op_end (TsrProject  *self,
                     gboolean     ok,
                     GError     **error)
{
  g_return_val_if_fail (self->op_depth > 0, FALSE);

  self->op_depth--;

  if (!ok)
    {
      tsr_database_rollback (self->db);
      if (self->op_depth == 0)
        g_clear_pointer (&self->session, sqlite3session_delete);
      _tsr_project_op_coders_done (self, FALSE);
      return FALSE;
    }

  if (self->op_depth > 0)
    {
      if (tsr_database_commit (self->db, error))
        return TRUE;
      _tsr_project_op_coders_done (self, FALSE);
      return FALSE;
    }

  /* The outermost end: a session exactly when the history records. */
  g_assert ((self->session != NULL) == self->history_enabled);

  if (self->session != NULL)
    {
      void *changeset = NULL;
      int size = 0;
      int rc;

      rc = sqlite3session_changeset (self->session, &size, &changeset);
      g_clear_pointer (&self->session, sqlite3session_delete);

      if (rc != SQLITE_OK)
        {
          tsr_database_set_error (self->db, error, "changeset");
          tsr_database_rollback (self->db);
          _tsr_project_op_coders_done (self, FALSE);
          return FALSE;
        }

      if (size > 0 && !record_history (self, changeset, size, error))
        {
          sqlite3_free (changeset);
          tsr_database_rollback (self->db);
          _tsr_project_op_coders_done (self, FALSE);
          return FALSE;
        }

      if (size == 0)
        self->op_flags = 0;
      sqlite3_free (changeset);
    }

  if (!tsr_database_commit (self->db, error))
    {
      _tsr_project_op_coders_done (self, FALSE);
      return FALSE;
    }
  _tsr_project_op_coders_done (self, TRUE);

  _tsr_project_notify_changes (self, self->history_enabled ? self->op_flags : TSR_CHANGE_ALL);
  return TRUE;
}

void
_tsr_project_op_record_coders (TsrProject *self)
{
  g_return_if_fail (self->op_depth > 0);
  self->op_with_coders = TRUE;
  self->op_flags |= TSR_CHANGE_CODERS;
}

/* Runs @stmt (already bound) as part of the current edit. */
gboolean
_tsr_project_run (TsrProject    *self,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  return tsr_database_run (self->db, stmt, error);
}

sqlite3_stmt *
_tsr_project_prepare (TsrProject  *self,
                      const char  *sql,
                      GError     **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  return tsr_database_prepare (self->db, sql, error);
}

/* Runs a statement whose one parameter is an id, as part of the current edit. */
gboolean
_tsr_project_run_with_id (TsrProject  *self,
                          const char  *sql,
                          gint64       id,
                          GError     **error)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return _tsr_project_run (self, stmt, error);
}

gint64
_tsr_project_last_insert_id (TsrProject *self)
{
  return sqlite3_last_insert_rowid (tsr_database_get_handle (self->db));
}

int
_tsr_project_changes (TsrProject *self)
{
  return sqlite3_changes (tsr_database_get_handle (self->db));
}

/* Returns the single integer a query yields, or @fallback. */
gint64
_tsr_project_query_int (TsrProject *self,
                        const char *sql,
                        gint64      arg,
                        gint64      fallback)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, NULL);
  gint64 ret = fallback;

  if (stmt == NULL)
    return fallback;
  if (strchr (sql, '?') != NULL)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (tsr_database_next_row (self->db, stmt) && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}

gboolean
_tsr_project_row_exists (TsrProject *self,
                         const char *table,
                         gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", table);
  return _tsr_project_query_int (self, sql, id, 0) == 1;
}

gboolean
_tsr_project_update_by_id (TsrProject  *self,
                           const char  *sql,
                           gint64       id,
                           const char  *text,
                           gint64       value,
                           TsrKind      kind,
                           GError     **error)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!_tsr_project_run (self, stmt, error))
    return FALSE;
  if (_tsr_project_changes (self) == 0)
    {
      _tsr_not_found (error, kind, id);
      return FALSE;
    }
  return TRUE;
}

/* History, undo and redo --------------------------------------------- */

/**
 * tsr_project_begin_group:
 * @description: what the whole group does, as the undo label shows it
 *
 * Makes the edits until tsr_project_end_group() one undoable step (an
 * in-vivo code: create the code and apply it).
 */
void
tsr_project_begin_group (TsrProject *self,
                         const char *description)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TSR_IS_PROJECT (self));

  if (!_tsr_project_op_begin (self, 0, "group", g_strdup (description), &error))
    {
      g_warning ("Could not begin an edit: %s", error->message);
      return;
    }
  self->group_depth++;
}

gboolean
tsr_project_end_group (TsrProject  *self,
                       GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->group_depth > 0, FALSE);

  self->group_depth--;
  return _tsr_project_op_end (self, TRUE, error);
}

gboolean
tsr_project_can_undo (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->db != NULL &&
         _tsr_project_query_int (self, "SELECT count(*) FROM (SELECT 1 FROM history WHERE state = 'done'"
                                       " AND changeset IS NOT NULL LIMIT 1)", 0, 0) > 0;
}

gboolean
tsr_project_can_redo (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->db != NULL &&
         _tsr_project_query_int (self, "SELECT count(*) FROM (SELECT 1 FROM history WHERE state = 'undone' LIMIT 1)",
                                 0, 0) > 0;
}

static const char undo_sql[] =
  "SELECT id, description, changeset FROM history WHERE state = 'done' AND changeset IS NOT NULL"
  " ORDER BY id DESC LIMIT 1";
static const char redo_sql[] =
  "SELECT id, description, changeset FROM history WHERE state = 'undone' ORDER BY id LIMIT 1";

static char *
step_label (TsrProject *self,
            const char *sql)
{
  sqlite3_stmt *stmt;
  char *label = NULL;

  if (self->db == NULL || (stmt = _tsr_project_prepare (self, sql, NULL)) == NULL)
    return NULL;
  if (tsr_database_next_row (self->db, stmt))
    label = _tsr_dup_column (stmt, 1);
  sqlite3_reset (stmt);
  return label;
}

/**
 * tsr_project_get_undo_label:
 *
 * Returns: (transfer full) (nullable): what undo would undo
 */
char *
tsr_project_get_undo_label (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return step_label (self, undo_sql);
}

/**
 * tsr_project_get_redo_label:
 *
 * Returns: (transfer full) (nullable): what redo would redo
 */
char *
tsr_project_get_redo_label (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return step_label (self, redo_sql);
}

static int
conflict_cb (void                   *user_data,
             int                     conflict,
             sqlite3_changeset_iter *iter)
{
  /* A row an earlier step of the same changeset already removed through a
   * cascade is gone for good; anything else means the project changed
   * outside the history, and applying would clobber it. */
  if (conflict == SQLITE_CHANGESET_NOTFOUND)
    {
      const char *table;
      int n_cols, op, indirect;

      sqlite3changeset_op (iter, &table, &n_cols, &op, &indirect);
      if (op == SQLITE_DELETE)
        return SQLITE_CHANGESET_OMIT;
    }
  return SQLITE_CHANGESET_ABORT;
}

static gboolean
apply_step (TsrProject  *self,
            gboolean     undo,
            GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *description = NULL;
  g_autofree void *blob = NULL;
  void *inverted = NULL;
  int size = 0;
  gint64 id = 0;
  gboolean ok;
  gboolean has_row;
  guint flags;
  int rc;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }
  if (self->op_depth > 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("An edit is in progress"));
      return FALSE;
    }

  stmt = _tsr_project_prepare (self, undo ? undo_sql : redo_sql, error);
  if (stmt == NULL || !tsr_database_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      id = sqlite3_column_int64 (stmt, 0);
      description = _tsr_dup_column (stmt, 1);
      size = sqlite3_column_bytes (stmt, 2);
      blob = g_memdup2 (sqlite3_column_blob (stmt, 2), size);
    }
  sqlite3_reset (stmt);

  if (id == 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO,
                           undo ? _("There is nothing to undo") : _("There is nothing to redo"));
      return FALSE;
    }

  if (undo)
    {
      if (sqlite3changeset_invert (size, blob, &size, &inverted) != SQLITE_OK)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The history entry “%s” is damaged and cannot be undone"), description);
          return FALSE;
        }
    }

  /* The changeset already holds every row a cascade touched, so foreign
   * key actions must not run again while it is replayed.  References stay
   * consistent because the changeset is the exact inverse (or replay) of a
   * consistent edit of this very state: any row that differs from what it
   * expects is a conflict, and conflict_cb() aborts the whole step.  (A
   * whole-file foreign_key_check here would cost seconds at a million
   * segments.)  The pragma has no effect inside a transaction, hence before
   * BEGIN. */
  if (!tsr_database_exec (self->db, "PRAGMA foreign_keys = OFF", error))
    {
      sqlite3_free (inverted);
      return FALSE;
    }
  if (!tsr_database_begin (self->db, error))
    {
      sqlite3_free (inverted);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }

  rc = sqlite3changeset_apply (tsr_database_get_handle (self->db), size, undo ? inverted : blob,
                               NULL, conflict_cb, self);
  flags = _tsr_changes_in_changeset (undo ? inverted : blob, size);
  sqlite3_free (inverted);

  if (rc != SQLITE_OK)
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
                   undo ? _("“%s” cannot be undone: the project has changed since")
                        : _("“%s” cannot be redone: the project has changed since"),
                   description);
      return FALSE;
    }

  stmt = _tsr_project_prepare (self, "UPDATE history SET state = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, undo ? "undone" : "done", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!tsr_database_run (self->db, stmt, error))
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }

  ok = tsr_database_commit (self->db, error);
  tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
  if (!ok)
    return FALSE;

  /* Undoing a merge takes away the coders it brought in, undoing a
   * rename or a switch of coder gives back the one before: _tsr_project_notify_changes()
   * brings the current coder up to date. */
  _tsr_project_notify_changes (self, flags);
  return TRUE;
}

/**
 * tsr_project_undo:
 *
 * Undoes the last edit that is not undone yet.
 */
gboolean
tsr_project_undo (TsrProject  *self,
                  GError     **error)
{
  return apply_step (self, TRUE, error);
}

/**
 * tsr_project_redo:
 *
 * Redoes the edit undone last, unless a new edit has been made since.
 */
gboolean
tsr_project_redo (TsrProject  *self,
                  GError     **error)
{
  return apply_step (self, FALSE, error);
}

static TsrHistoryEntry *
read_history_entry (sqlite3_stmt *stmt)
{
  TsrHistoryEntry *e = _tsr_entity_new (TSR_TYPE_HISTORY_ENTRY, sqlite3_column_int64 (stmt, 0),
                                        (const char *) sqlite3_column_text (stmt, 1));
  e->time = sqlite3_column_int64 (stmt, 2);
  e->coder_name = _tsr_dup_column (stmt, 3);
  e->kind = _tsr_dup_column (stmt, 4);
  e->description = _tsr_dup_column (stmt, 5);
  e->undone = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "done") != 0;
  return e;
}

/**
 * tsr_project_list_history:
 * @limit: the most entries to return, 0 for all
 *
 * Returns: (transfer full) (element-type TsrHistoryEntry): the audit
 *   trail, newest first
 */
GPtrArray *
tsr_project_list_history (TsrProject *self,
                          guint       limit)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return _tsr_project_load_rows (self, "SELECT id, uuid, time, coder_name, kind, description, state FROM history"
                                       " ORDER BY id DESC LIMIT ?",
                                 TRUE, limit == 0 ? -1 : (gint64) limit, (RowReader) read_history_entry, NULL);
}

/**
 * tsr_project_set_history_enabled:
 *
 * Bulk loading (the demo builder, benchmarks) can skip recording edits in
 * the history; such edits cannot be undone.
 */
void
tsr_project_set_history_enabled (TsrProject *self,
                                 gboolean    enabled)
{
  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (self->op_depth == 0);

  self->history_enabled = !!enabled;
}
