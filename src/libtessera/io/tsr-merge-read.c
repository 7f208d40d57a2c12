/* tsr-merge-read.c — reading both sides of a merge
 *
 * The other file is opened read-only (immutable when its folder cannot
 * be written) and checked to be a Tessera project this build reads; then
 * every table a merge concerns is read, from it and from ours, into the
 * rows of tsr-merge-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-merge-private.h"

/* One side's rows -------------------------------------------------------- */

void
_tsr_merge_side_clear (Side *side)
{
  GArray **arrays[] = {
    &side->coders, &side->documents, &side->codes, &side->segments, &side->themes, &side->theme_codes,
    &side->memos, &side->cases, &side->case_documents, &side->attributes, &side->values,
    &side->positions, &side->links, &side->resolutions, &side->done,
  };

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_clear_pointer (arrays[i], g_array_unref);
  g_clear_pointer (&side->strings, g_string_chunk_free);
  g_clear_pointer (&side->title, g_free);
}

static char *
col_text (Side         *side,
          sqlite3_stmt *stmt,
          int           col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return g_string_chunk_insert_const (side->strings, s ? s : "");
}

static gint64
col_int (sqlite3_stmt *stmt,
         int           col)
{
  return sqlite3_column_int64 (stmt, col);
}

typedef void (*RowFunc) (Side *side, sqlite3_stmt *stmt, GArray *rows);

static gboolean
read_table (sqlite3     *db,
            Side        *side,
            const char  *sql,
            GArray     **rows,
            gsize        row_size,
            RowFunc      func,
            const char  *name,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *rows = g_array_new (FALSE, TRUE, row_size);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project “%s” cannot be read (%s)"), name, sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (side, stmt, *rows);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, TSR_ERROR, rc == SQLITE_INTERRUPT ? TSR_ERROR_CANCELLED : TSR_ERROR_CORRUPT,
                   _("The project “%s” cannot be read (%s)"), name, sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static void
row_coder (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Coder r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2),
              (int) col_int (stmt, 3), col_int (stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_document (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Document r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2),
                 col_text (side, stmt, 3), col_text (side, stmt, 4), col_int (stmt, 5),
                 (int) col_int (stmt, 6), col_int (stmt, 7), col_int (stmt, 8) };
  g_array_append_val (rows, r);
}

static void
row_code (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Code r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_text (side, stmt, 3),
             col_text (side, stmt, 4), col_text (side, stmt, 5), col_int (stmt, 6), col_int (stmt, 7) };
  g_array_append_val (rows, r);
}

static void
row_segment (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Segment r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
                col_int (stmt, 4), col_int (stmt, 5), col_int (stmt, 6), col_text (side, stmt, 7),
                (int) col_int (stmt, 8), col_int (stmt, 9) };
  g_array_append_val (rows, r);
}

static void
row_theme (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Theme r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_text (side, stmt, 3),
              { col_text (side, stmt, 4), col_text (side, stmt, 5), col_text (side, stmt, 6) },
              col_text (side, stmt, 7), col_int (stmt, 8), col_int (stmt, 9) };
  g_array_append_val (rows, r);
}

static void
row_theme_code (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  ThemeCode r = { col_int (stmt, 0), col_int (stmt, 1), col_int (stmt, 2) };
  g_array_append_val (rows, r);
}

static void
row_memo (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Memo r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_int (stmt, 3),
             col_int (stmt, 4), col_text (side, stmt, 5), col_text (side, stmt, 6), col_int (stmt, 7),
             col_int (stmt, 8) };
  g_array_append_val (rows, r);
}

static void
row_case (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Case r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_text (side, stmt, 3),
             col_int (stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_case_document (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  CaseDocument r = { col_int (stmt, 0), col_int (stmt, 1) };
  g_array_append_val (rows, r);
}

static void
row_attribute (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Attribute r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_text (side, stmt, 3),
                  col_text (side, stmt, 4), col_int (stmt, 5) };
  g_array_append_val (rows, r);
}

static void
row_value (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Value r = { col_int (stmt, 0), col_int (stmt, 1), (int) col_int (stmt, 2), col_text (side, stmt, 3) };
  g_array_append_val (rows, r);
}

static void
row_position (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Position r = { col_int (stmt, 0), (int) col_int (stmt, 1), sqlite3_column_double (stmt, 2),
                 sqlite3_column_double (stmt, 3) };
  g_array_append_val (rows, r);
}

static void
row_link (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Link r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
             col_text (side, stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_resolution (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Resolution r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
                   col_int (stmt, 4), col_int (stmt, 5), col_text (side, stmt, 6), col_text (side, stmt, 7),
                   col_text (side, stmt, 8), col_int (stmt, 9), col_int (stmt, 10) };
  g_array_append_val (rows, r);
}

static void
row_done (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  DoneMark r = { col_int (stmt, 0), col_int (stmt, 1), col_int (stmt, 2) };
  g_array_append_val (rows, r);
}

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return found;
}

/* Reads every table a merge concerns; works on files of every schema
 * version this build reads. */
gboolean
_tsr_merge_read_side (sqlite3     *db,
                      const char  *name,
                      Side        *side,
                      GError     **error)
{
  side->strings = g_string_chunk_new (64 * 1024);

  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (db, "SELECT value FROM project WHERE key = 'title'", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      side->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }

#define READ(sql, field, type, func) \
  if (!read_table (db, side, sql, &side->field, sizeof (type), func, name, error)) \
    return FALSE

  READ ("SELECT id, uuid, name, is_consensus, created FROM coders ORDER BY id", coders, Coder, row_coder);
  READ ("SELECT id, uuid, name, source, content_hash, length, is_read, position, created FROM documents"
        " ORDER BY position, id", documents, Document, row_document);
  /* Parents before children: by depth, then position. */
  READ ("WITH RECURSIVE t (id, depth) AS (SELECT id, 0 FROM codes WHERE parent_id IS NULL"
        " UNION ALL SELECT c.id, t.depth + 1 FROM codes c JOIN t ON c.parent_id = t.id)"
        " SELECT c.id, c.uuid, coalesce (c.parent_id, 0), c.name, c.color, c.definition, c.position, c.created"
        " FROM codes c JOIN t ON t.id = c.id ORDER BY t.depth, c.position, c.id", codes, Code, row_code);
  READ ("SELECT id, uuid, document_id, code_id, coder_id, start, end, text, exemplar, created FROM segments"
        " ORDER BY id", segments, Segment, row_segment);
  READ ("WITH RECURSIVE t (id, depth) AS (SELECT id, 0 FROM themes WHERE parent_id IS NULL"
        " UNION ALL SELECT c.id, t.depth + 1 FROM themes c JOIN t ON c.parent_id = t.id)"
        " SELECT c.id, c.uuid, coalesce (c.parent_id, 0), c.name, c.definition, c.scope_notes, c.narrative,"
        " c.status, c.position, c.created FROM themes c JOIN t ON t.id = c.id ORDER BY t.depth, c.position, c.id",
        themes, Theme, row_theme);
  READ ("SELECT theme_id, code_id, position FROM theme_codes ORDER BY theme_id, position, code_id",
        theme_codes, ThemeCode, row_theme_code);
  READ ("SELECT id, uuid, kind, coalesce (document_id, segment_id, code_id, theme_id, 0), coalesce (coder_id, 0),"
        " date, text, created, modified FROM memos ORDER BY id", memos, Memo, row_memo);
  READ ("SELECT id, uuid, name, description, created FROM cases ORDER BY id", cases, Case, row_case);
  READ ("SELECT case_id, document_id FROM case_documents ORDER BY case_id, document_id",
        case_documents, CaseDocument, row_case_document);
  READ ("SELECT id, uuid, target, name, type, position FROM attributes ORDER BY target, position, id",
        attributes, Attribute, row_attribute);
  READ ("SELECT attribute_id, document_id, 0, value FROM document_attribute_values"
        " UNION ALL SELECT attribute_id, case_id, 1, value FROM case_attribute_values",
        values, Value, row_value);
  READ ("SELECT theme_id, 1, x, y FROM map_theme_positions UNION ALL SELECT code_id, 0, x, y FROM map_code_positions",
        positions, Position, row_position);
  READ ("SELECT id, uuid, from_theme_id, to_theme_id, label FROM map_links ORDER BY id", links, Link, row_link);
  if (has_table (db, "resolutions"))
    {
      READ ("SELECT id, uuid, code_id, document_id, coder_a_id, coder_b_id, spans_a, spans_b, action,"
            " coalesce (resolved_by, 0), time FROM resolutions ORDER BY id", resolutions, Resolution, row_resolution);
    }
  else
    side->resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
  /* Project format 5 */
  if (has_table (db, "document_done"))
    {
      READ ("SELECT document_id, coder_id, time FROM document_done ORDER BY document_id, coder_id",
            done, DoneMark, row_done);
    }
  else
    side->done = g_array_new (FALSE, TRUE, sizeof (DoneMark));
#undef READ

  return TRUE;
}

/* Opening the other file -------------------------------------------------- */

static int
cancel_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

sqlite3 *
_tsr_merge_open_other (const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *uri = NULL;
  g_autofree char *immutable = NULL;
  sqlite3 *db = NULL;
  int app_id = 0, version = 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The project “%s” does not exist"), path);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("“%s” is a folder, not a Tessera project"), name);
      return NULL;
    }

  /* Read-only: the file is never written, not even to switch its
   * journal.  A file in a folder we may not write (whose write-ahead log
   * cannot be opened) is read as it is on disk. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_CORRUPT)
    {
      sqlite3_close (db);
      db = NULL;
      uri = g_filename_to_uri (path, NULL, NULL);
      immutable = g_strconcat (uri ? uri : "", "?immutable=1", NULL);
      rc = sqlite3_open_v2 (immutable, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("The file “%s” is not a Tessera project"), name);
      else if ((rc & 0xff) == SQLITE_CORRUPT)
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT, _("The project “%s” is damaged and cannot be read"), name);
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("The project “%s” cannot be opened: %s"),
                     name, db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    app_id = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (app_id != TSR_APPLICATION_ID || version < 1)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("The file “%s” is not a Tessera project"), name);
      sqlite3_close (db);
      return NULL;
    }
  if ((guint) version > tsr_database_schema_version ())
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NEWER_VERSION,
                   _("The project “%s” was saved by a newer version of Tessera. "
                     "Update Tessera to merge it; the file was not changed."), name);
      sqlite3_close (db);
      return NULL;
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, cancel_progress_cb, cancellable);
  return db;
}
