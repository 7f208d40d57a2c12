/* tsr-project-memos.c — memos and the journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static const char *
memo_column (TsrMemoKind kind)
{
  switch (kind)
    {
    case TSR_MEMO_DOCUMENT: return "document_id";
    case TSR_MEMO_SEGMENT: return "segment_id";
    case TSR_MEMO_CODE: return "code_id";
    case TSR_MEMO_THEME: return "theme_id";
    case TSR_MEMO_JOURNAL:
    default:
      return NULL;
    }
}

static const char *
memo_target_table (TsrMemoKind kind)
{
  switch (kind)
    {
    case TSR_MEMO_DOCUMENT: return "documents";
    case TSR_MEMO_SEGMENT: return "segments";
    case TSR_MEMO_CODE: return "codes";
    case TSR_MEMO_THEME: return "themes";
    case TSR_MEMO_JOURNAL:
    default:
      return NULL;
    }
}

/**
 * tsr_project_get_memo:
 * @kind: what the memo is on; not %TSR_MEMO_JOURNAL
 *
 * Returns: (transfer full): the memo's text, "" if there is none
 */
char *
tsr_project_get_memo (TsrProject  *self,
                      TsrMemoKind  kind,
                      gint64       target_id)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (memo_column (kind) != NULL, NULL);

  sql = g_strdup_printf ("SELECT text FROM memos WHERE %s = ?", memo_column (kind));
  stmt = _tsr_project_prepare (self, sql, NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, target_id);
      if (tsr_database_next_row (self->db, stmt))
        text = _tsr_dup_column (stmt, 0);
      sqlite3_reset (stmt);
    }
  return text ? text : g_strdup ("");
}

/**
 * tsr_project_set_memo:
 * @kind: what the memo is on; not %TSR_MEMO_JOURNAL
 * @text: (nullable): the memo; empty or %NULL removes it
 *
 * Writes the memo on a document, passage, code or theme.
 */
gboolean
tsr_project_set_memo (TsrProject   *self,
                      TsrMemoKind   kind,
                      gint64        target_id,
                      const char   *text,
                      GError      **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *uuid = NULL;
  const char *column;
  sqlite3_stmt *stmt;
  gint64 coder_id;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  column = memo_column (kind);
  if (column == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Journal entries are added with their date"));
      return FALSE;
    }
  if (!_tsr_project_row_exists (self, memo_target_table (kind), target_id))
    {
      _tsr_not_found (error,
                      kind == TSR_MEMO_DOCUMENT ? TSR_KIND_DOCUMENT
                      : kind == TSR_MEMO_SEGMENT ? TSR_KIND_SEGMENT
                      : kind == TSR_MEMO_CODE ? TSR_KIND_CODE
                      : kind == TSR_MEMO_THEME ? TSR_KIND_THEME : TSR_KIND_JOURNAL_ENTRY,
                      target_id);
      return FALSE;
    }
  /* The coder is looked up (a new one added) inside the edit, so a
   * failed edit adds nobody. */
  if (!_tsr_project_op_begin (self, TSR_CHANGE_MEMOS, "memo.edit", g_strdup (_("Edit memo")), error))
    return FALSE;
  coder_id = _tsr_project_current_coder_id (self, error);
  if (coder_id == 0)
    return _tsr_project_op_end (self, FALSE, NULL);

  if (text == NULL || *text == '\0')
    {
      sql = g_strdup_printf ("DELETE FROM memos WHERE %s = ?", column);
      stmt = _tsr_project_prepare (self, sql, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, target_id);
          ok = _tsr_project_run (self, stmt, error);
        }
      return _tsr_project_op_end (self, ok, error);
    }

  uuid = g_uuid_string_random ();
  sql = g_strdup_printf ("INSERT INTO memos (uuid, kind, %s, coder_id, text, created, modified)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                         " ON CONFLICT (%s) WHERE %s IS NOT NULL DO UPDATE SET"
                         "   text = excluded.text, coder_id = excluded.coder_id, modified = excluded.modified",
                         column, column, column);
  stmt = _tsr_project_prepare (self, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, _tsr_memo_kind_names[kind], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, target_id);
      sqlite3_bind_int64 (stmt, 4, coder_id);
      sqlite3_bind_text (stmt, 5, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

static GPtrArray *
load_journal (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " MEMO_COLUMNS " FROM memos WHERE kind = 'journal' ORDER BY date, id",
                                 FALSE, 0, (RowReader) _tsr_read_memo, error);
}

/**
 * tsr_project_get_journal:
 *
 * Returns: (transfer full): a live list of the journal's #TsrMemo entries
 *   by date
 */
GListModel *
tsr_project_get_journal (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "journal", 0, TSR_TYPE_MEMO, load_journal, TSR_CHANGE_MEMOS);
}

gboolean
_tsr_check_date (const char  *date,
                 GError     **error)
{
  gboolean shape = date != NULL && strlen (date) == 10;

  for (guint i = 0; shape && i < 10; i++)
    shape = (i == 4 || i == 7) ? date[i] == '-' : g_ascii_isdigit (date[i]);

  if (!shape ||
      !g_date_valid_dmy (atoi (date + 8), atoi (date + 5), atoi (date)))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a date (use YYYY-MM-DD)"), date ? date : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_project_add_journal_entry:
 * @date: (nullable): "YYYY-MM-DD", or %NULL for today
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
tsr_project_add_journal_entry (TsrProject  *self,
                               const char  *date,
                               const char  *text,
                               GError     **error)
{
  g_autofree char *today = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 coder_id;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      date = today = g_date_time_format (now, "%Y-%m-%d");
    }
  if (!_tsr_check_date (date, error))
    return 0;
  if (!_tsr_project_op_begin (self, TSR_CHANGE_MEMOS, "journal.add", g_strdup (_("Add a journal entry")), error))
    return 0;
  coder_id = _tsr_project_current_coder_id (self, error);
  if (coder_id == 0)
    {
      _tsr_project_op_end (self, FALSE, NULL);
      return 0;
    }

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO memos (uuid, kind, coder_id, date, text, created, modified)"
                                     " VALUES (?, 'journal', ?, ?, ?, ?6, ?6)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, coder_id);
      sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, text ? text : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_edit_journal_entry (TsrProject  *self,
                                gint64       id,
                                const char  *date,
                                const char  *text,
                                GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (date != NULL && !_tsr_check_date (date, error))
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MEMOS, "journal.edit", g_strdup (_("Edit a journal entry")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "UPDATE memos SET date = coalesce (?2, date), text = coalesce (?3, text), modified = ?4"
                                     " WHERE id = ?1 AND kind = 'journal'", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (date)
        sqlite3_bind_text (stmt, 2, date, -1, SQLITE_TRANSIENT);
      if (text)
        sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      if (ok && _tsr_project_changes (self) == 0)
        {
          _tsr_not_found (error, TSR_KIND_JOURNAL_ENTRY, id);
          ok = FALSE;
        }
    }
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_delete_journal_entry (TsrProject  *self,
                                  gint64       id,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MEMOS, "journal.delete", g_strdup (_("Delete a journal entry")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "DELETE FROM memos WHERE id = ? AND kind = 'journal'", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = _tsr_project_run (self, stmt, error);
      if (ok && _tsr_project_changes (self) == 0)
        {
          _tsr_not_found (error, TSR_KIND_JOURNAL_ENTRY, id);
          ok = FALSE;
        }
    }
  return _tsr_project_op_end (self, ok, error);
}
