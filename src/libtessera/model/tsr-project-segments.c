/* tsr-project-segments.c — segments: coding passages, and coding at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static GPtrArray *
load_segments (gpointer owner, gint64 document_id, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " SEGMENT_COLUMNS " FROM segments WHERE document_id = ?"
                                        " ORDER BY start, end DESC, id",
                                 TRUE, document_id, (RowReader) _tsr_read_segment, error);
}

/**
 * tsr_project_get_segments:
 *
 * Returns: (transfer full): a live list of the document's #TsrSegment
 *   of every coder, by start
 */
GListModel *
tsr_project_get_segments (TsrProject *self,
                          gint64      document_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "segments", document_id, TSR_TYPE_SEGMENT, load_segments,
                                 TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS);
}

/**
 * tsr_project_lookup_segment:
 *
 * Returns: (transfer full) (nullable): the segment
 */
TsrSegment *
tsr_project_lookup_segment (TsrProject *self,
                            gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " SEGMENT_COLUMNS " FROM segments WHERE id = ?", id, NULL,
                                  (RowReader) _tsr_read_segment);
}

/**
 * tsr_project_list_code_segments:
 * @with_descendants: include the segments of the codes below it
 *
 * Returns: (transfer full) (element-type TsrSegment): the code's segments
 *   by document order and position
 */
GPtrArray *
tsr_project_list_code_segments (TsrProject *self,
                                gint64      code_id,
                                gboolean    with_descendants)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!with_descendants)
    return _tsr_project_load_rows (self, "SELECT s.id, s.uuid, s.document_id, s.code_id, s.coder_id, s.start, s.end,"
                                         " s.text, s.exemplar, s.created FROM segments s"
                                         " JOIN documents d ON d.id = s.document_id"
                                         " WHERE s.code_id = ? ORDER BY d.position, s.start, s.id",
                                   TRUE, code_id, (RowReader) _tsr_read_segment, NULL);

  return _tsr_project_load_rows (self, "WITH RECURSIVE sub (id) AS ("
                                       "  SELECT ?1 UNION SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id"
                                       ") SELECT s.id, s.uuid, s.document_id, s.code_id, s.coder_id, s.start, s.end,"
                                       " s.text, s.exemplar, s.created FROM segments s"
                                       " JOIN documents d ON d.id = s.document_id"
                                       " WHERE s.code_id IN sub ORDER BY d.position, s.start, s.id",
                                 TRUE, code_id, (RowReader) _tsr_read_segment, NULL);
}

static gboolean
check_range (TsrProject  *self,
             gint64       document_id,
             guint        start,
             guint        end,
             GError     **error)
{
  g_autoptr(TsrDocument) doc = tsr_project_lookup_document (self, document_id);

  if (doc == NULL)
    {
      _tsr_not_found (error, TSR_KIND_DOCUMENT, document_id);
      return FALSE;
    }
  if (start >= end || end > doc->length)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Characters %u to %u are not a passage of “%s”, which has %u characters"),
                   start, end, doc->name, doc->length);
      return FALSE;
    }
  return TRUE;
}

/* Codes a passage for @coder_id, or for the current coder when it is 0:
 * then the current coder is looked up (and a new one added) inside the
 * edit, so a failed edit adds nobody. */
static gint64
add_segment (TsrProject  *self,
             gint64       document_id,
             gint64       code_id,
             gint64       coder_id,
             guint        start,
             guint        end,
             GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  if (!check_range (self, document_id, start, end, error))
    return 0;
  code = tsr_project_lookup_code (self, code_id);
  if (code == NULL)
    {
      _tsr_not_found (error, TSR_KIND_CODE, code_id);
      return 0;
    }
  if (coder_id != 0 && !_tsr_project_row_exists (self, "coders", coder_id))
    {
      _tsr_not_found (error, TSR_KIND_CODER, coder_id);
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, "segment.add",
                              g_strdup_printf (_("Code a passage as “%s”"), code->name), error))
    return 0;
  if (coder_id == 0 && (coder_id = _tsr_project_current_coder_id (self, error)) == 0)
    {
      _tsr_project_op_end (self, FALSE, NULL);
      return 0;
    }

  uuid = g_uuid_string_random ();
  /* substr() counts characters in TEXT, the same unit as the offsets. */
  stmt = _tsr_project_prepare (self, "INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                                     " SELECT ?1, ?2, ?3, ?4, ?5, ?6, substr (text, ?5 + 1, ?6 - ?5), ?7"
                                     " FROM document_texts WHERE document_id = ?2",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, document_id);
      sqlite3_bind_int64 (stmt, 3, code_id);
      sqlite3_bind_int64 (stmt, 4, coder_id);
      sqlite3_bind_int64 (stmt, 5, start);
      sqlite3_bind_int64 (stmt, 6, end);
      sqlite3_bind_int64 (stmt, 7, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }

  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

/**
 * tsr_project_add_segment_for_coder:
 * @start: the first character (Unicode character offset)
 * @end: the character after the last (end exclusive)
 *
 * Codes a passage for a given coder (for merging and the consensus).
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_add_segment_for_coder (TsrProject  *self,
                                   gint64       document_id,
                                   gint64       code_id,
                                   gint64       coder_id,
                                   guint        start,
                                   guint        end,
                                   GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (coder_id == 0)
    {
      _tsr_not_found (error, TSR_KIND_CODER, coder_id);
      return 0;
    }
  return add_segment (self, document_id, code_id, coder_id, start, end, error);
}

/**
 * tsr_project_add_segment:
 *
 * Codes a passage for the current coder.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_add_segment (TsrProject  *self,
                         gint64       document_id,
                         gint64       code_id,
                         guint        start,
                         guint        end,
                         GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  return add_segment (self, document_id, code_id, 0, start, end, error);
}

gboolean
tsr_project_remove_segment (TsrProject  *self,
                            gint64       id,
                            GError     **error)
{
  g_autoptr(TsrSegment) seg = NULL;
  g_autoptr(TsrCode) code = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  seg = tsr_project_lookup_segment (self, id);
  if (seg == NULL)
    {
      _tsr_not_found (error, TSR_KIND_SEGMENT, id);
      return FALSE;
    }
  code = tsr_project_lookup_code (self, seg->code_id);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS, "segment.remove",
                              g_strdup_printf (_("Remove the code “%s” from a passage"), code ? code->name : ""),
                              error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM segments WHERE id = ?", id, error);
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_resize_segment (TsrProject  *self,
                            gint64       id,
                            guint        start,
                            guint        end,
                            GError     **error)
{
  g_autoptr(TsrSegment) seg = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  seg = tsr_project_lookup_segment (self, id);
  if (seg == NULL)
    {
      _tsr_not_found (error, TSR_KIND_SEGMENT, id);
      return FALSE;
    }
  if (!check_range (self, seg->document_id, start, end, error))
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, "segment.resize",
                              g_strdup (_("Resize a coded passage")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "UPDATE segments SET start = ?2, end = ?3,"
                                     " text = (SELECT substr (text, ?2 + 1, ?3 - ?2) FROM document_texts"
                                     "         WHERE document_id = segments.document_id)"
                                     " WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, start);
      sqlite3_bind_int64 (stmt, 3, end);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_set_segment_exemplar (TsrProject  *self,
                                  gint64       id,
                                  gboolean     exemplar,
                                  GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, exemplar ? "segment.star" : "segment.unstar",
                              g_strdup (exemplar ? _("Star an exemplar quote") : _("Unstar an exemplar quote")),
                              error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE segments SET exemplar = ? WHERE id = ?",
                                                               id, NULL, exemplar ? 1 : 0, TSR_KIND_SEGMENT, error), error);
}

/* Coding at a glance ------------------------------------------------- */

/**
 * tsr_project_list_document_spans:
 *
 * The places of a document's segments, of every coder, by start (and the
 * longer first where two start together).  Much lighter than
 * tsr_project_get_segments() on a long transcript: no texts, no objects.
 *
 * Returns: (transfer full) (element-type TsrSpan): the spans
 */
GArray *
tsr_project_list_document_spans (TsrProject *self,
                                 gint64      document_id)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TsrSpan));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), spans);

  stmt = _tsr_project_prepare (self, "SELECT id, code_id, coder_id, start, end, exemplar FROM segments"
                                     " WHERE document_id = ? ORDER BY start, end DESC, id", NULL);
  if (stmt == NULL)
    return spans;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while (tsr_database_next_row (self->db, stmt))
    {
      TsrSpan span;

      span.segment_id = sqlite3_column_int64 (stmt, 0);
      span.code_id = sqlite3_column_int64 (stmt, 1);
      span.coder_id = sqlite3_column_int64 (stmt, 2);
      span.start = sqlite3_column_int (stmt, 3);
      span.end = sqlite3_column_int (stmt, 4);
      span.exemplar = sqlite3_column_int (stmt, 5) != 0;
      g_array_append_val (spans, span);
    }
  sqlite3_reset (stmt);
  return spans;
}

/**
 * tsr_project_count_document_segments:
 * @coder_id: a coder, or 0 for every coder
 *
 * Returns: how many coded passages the document holds
 */
guint
tsr_project_count_document_segments (TsrProject *self,
                                     gint64      document_id,
                                     gint64      coder_id)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  stmt = _tsr_project_prepare (self, "SELECT count(*) FROM segments WHERE document_id = ?1"
                                     " AND (?2 = 0 OR coder_id = ?2)", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, coder_id);
  if (tsr_database_next_row (self->db, stmt))
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/**
 * tsr_project_list_recent_codes:
 * @coder_id: a coder, or 0 for every coder
 * @limit: the most codes to list
 *
 * The codes the coder applied most recently, the latest first: what a
 * quick-code key offers.
 *
 * Returns: (transfer full) (element-type gint64): code ids
 */
/* Every passage is read once, in the table's order: through the index on
 * code_id (which the GROUP BY would choose) each passage would be its own
 * page read, some five times slower on a million passages. */
#define RECENT_CODES_SQL \
  "SELECT code_id FROM segments NOT INDEXED WHERE (?1 = 0 OR coder_id = ?1)" \
  " GROUP BY code_id ORDER BY max (created) DESC, max (id) DESC LIMIT ?2"

GArray *
tsr_project_list_recent_codes (TsrProject *self,
                               gint64      coder_id,
                               guint       limit)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), g_array_new (FALSE, FALSE, sizeof (gint64)));
  return _tsr_project_list_ids (self, RECENT_CODES_SQL, coder_id, limit);
}

typedef struct
{
  char   *path;
  gint64  coder_id;
  guint   limit;
} RecentData;

static void
recent_data_free (RecentData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
recent_codes_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  RecentData *data = task_data;
  GError *error = NULL;
  sqlite3 *db = tsr_database_open_reader (data->path, cancellable, &error);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  rc = sqlite3_prepare_v2 (db, RECENT_CODES_SQL, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, data->coder_id);
      sqlite3_bind_int64 (stmt, 2, data->limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
    }
  if (rc != SQLITE_DONE)
    tsr_database_set_handle_error (db, rc, &error, _("Could not read the recent codes"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_array_unref);
}

/**
 * tsr_project_list_recent_codes_async:
 *
 * Lists the recent codes as tsr_project_list_recent_codes() does, in a
 * worker thread over a connection of its own: on a large project it
 * reads every passage.
 */
void
tsr_project_list_recent_codes_async (TsrProject          *self,
                                     gint64               coder_id,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecentData *data;

  g_return_if_fail (TSR_IS_PROJECT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_list_recent_codes_async);
  if (tsr_project_get_path (self) == NULL)
    {
      g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }
  data = g_new0 (RecentData, 1);
  data->path = g_strdup (tsr_project_get_path (self));
  data->coder_id = coder_id;
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) recent_data_free);
  g_task_run_in_thread (task, recent_codes_thread);
}

/**
 * tsr_project_list_recent_codes_finish:
 *
 * Returns: (transfer full) (element-type gint64): code ids, or %NULL
 *   with @error set
 */
GArray *
tsr_project_list_recent_codes_finish (TsrProject    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The words of [start, end) as a code's name: one line, spaces
 * collapsed, outer punctuation trimmed, "/" (the path separator)
 * replaced, and at most 60 characters. */
static char *
in_vivo_name (const char *passage)
{
  GString *name = g_string_new (NULL);
  gboolean space = FALSE;
  guint n_chars = 0;

  for (const char *p = passage; *p != '\0' && n_chars < 60; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '/')
        {
          space = name->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (name, ' ');
          n_chars++;
          space = FALSE;
        }
      g_string_append_unichar (name, c);
      n_chars++;
    }

  /* Quotes and sentence marks around the words are not part of them. */
  while (name->len > 0)
    {
      const char *last = g_utf8_find_prev_char (name->str, name->str + name->len);
      gunichar c = g_utf8_get_char (last);

      if (!g_unichar_ispunct (c))
        break;
      g_string_truncate (name, last - name->str);
    }
  while (name->len > 0 && g_unichar_ispunct (g_utf8_get_char (name->str)))
    g_string_erase (name, 0, g_utf8_next_char (name->str) - name->str);

  return g_string_free (name, FALSE);
}

/**
 * tsr_project_code_in_vivo:
 * @parent_id: where the new code goes, or 0 for the top level
 *
 * Makes a code named with the passage's own words and codes the passage
 * with it — one undoable step.  When a code of that name already exists
 * there, the passage is coded with it instead.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_code_in_vivo (TsrProject  *self,
                          gint64       document_id,
                          gint64       parent_id,
                          guint        start,
                          guint        end,
                          GError     **error)
{
  g_autofree char *passage = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  sqlite3_stmt *stmt;
  gint64 code_id;
  gint64 segment_id;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_range (self, document_id, start, end, error))
    return 0;

  stmt = _tsr_project_prepare (self, "SELECT substr (text, ?2 + 1, ?3 - ?2) FROM document_texts WHERE document_id = ?1",
                               error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  if (tsr_database_next_row (self->db, stmt))
    passage = _tsr_dup_column (stmt, 0);
  sqlite3_reset (stmt);

  name = in_vivo_name (passage ? passage : "");
  if (name[0] == '\0')
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("An in-vivo code is named with the passage’s words; select some words"));
      return 0;
    }
  if (parent_id != 0 && !_tsr_project_row_exists (self, "codes", parent_id))
    {
      _tsr_not_found (error, TSR_KIND_PARENT_CODE, parent_id);
      return 0;
    }

  description = g_strdup_printf (_("Code in vivo as “%s”"), name);
  if (!_tsr_project_op_begin (self, 0, "code.in-vivo", g_steal_pointer (&description), error))
    return 0;

  /* Checked above, so the steps below fail only on a storage error, and
   * then the whole group is rolled back. */
  {
    g_autofree char *path_name = NULL;
    g_autoptr(TsrCode) existing = NULL;

    if (parent_id != 0)
      {
        g_autofree char *parent_path = tsr_project_get_code_path (self, parent_id);
        path_name = g_strconcat (parent_path, "/", name, NULL);
      }
    existing = tsr_project_find_code (self, path_name ? path_name : name);
    code_id = existing ? tsr_entity_get_id (TSR_ENTITY (existing))
                       : tsr_project_create_code (self, parent_id, name, NULL, NULL, error);
  }
  segment_id = code_id != 0 ? tsr_project_add_segment (self, document_id, code_id, start, end, error) : 0;

  if (!_tsr_project_op_end (self, segment_id != 0, segment_id != 0 ? error : NULL))
    return 0;
  return segment_id;
}
