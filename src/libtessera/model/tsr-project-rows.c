/* tsr-project-rows.c — reading rows into entity objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

TsrCoder *
_tsr_read_coder (sqlite3_stmt *stmt)
{
  TsrCoder *coder = _tsr_entity_new (TSR_TYPE_CODER, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  coder->name = _tsr_dup_column (stmt, 2);
  coder->is_consensus = sqlite3_column_int (stmt, 3);
  return coder;
}

TsrDocument *
_tsr_read_document (sqlite3_stmt *stmt)
{
  TsrDocument *doc = _tsr_entity_new (TSR_TYPE_DOCUMENT, sqlite3_column_int64 (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1));
  doc->name = _tsr_dup_column (stmt, 2);
  doc->source = _tsr_dup_column (stmt, 3);
  doc->content_hash = _tsr_dup_column (stmt, 4);
  doc->length = sqlite3_column_int (stmt, 5);
  doc->read = sqlite3_column_int (stmt, 6);
  doc->created = sqlite3_column_int64 (stmt, 7);
  return doc;
}

TsrCode *
_tsr_read_code (sqlite3_stmt *stmt)
{
  TsrCode *code = _tsr_entity_new (TSR_TYPE_CODE, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  code->parent_id = sqlite3_column_int64 (stmt, 2);
  code->name = _tsr_dup_column (stmt, 3);
  code->color = _tsr_dup_column (stmt, 4);
  code->definition = _tsr_dup_column (stmt, 5);
  code->position = sqlite3_column_int (stmt, 6);
  code->n_children = sqlite3_column_int (stmt, 7);
  return code;
}

TsrSegment *
_tsr_read_segment (sqlite3_stmt *stmt)
{
  TsrSegment *seg = _tsr_entity_new (TSR_TYPE_SEGMENT, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  seg->document_id = sqlite3_column_int64 (stmt, 2);
  seg->code_id = sqlite3_column_int64 (stmt, 3);
  seg->coder_id = sqlite3_column_int64 (stmt, 4);
  seg->start = sqlite3_column_int (stmt, 5);
  seg->end = sqlite3_column_int (stmt, 6);
  seg->text = _tsr_dup_column (stmt, 7);
  seg->exemplar = sqlite3_column_int (stmt, 8);
  seg->created = sqlite3_column_int64 (stmt, 9);
  return seg;
}

TsrTheme *
_tsr_read_theme (sqlite3_stmt *stmt)
{
  TsrTheme *theme = _tsr_entity_new (TSR_TYPE_THEME, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  theme->parent_id = sqlite3_column_int64 (stmt, 2);
  theme->name = _tsr_dup_column (stmt, 3);
  theme->fields[TSR_THEME_FIELD_DEFINITION] = _tsr_dup_column (stmt, 4);
  theme->fields[TSR_THEME_FIELD_SCOPE_NOTES] = _tsr_dup_column (stmt, 5);
  theme->fields[TSR_THEME_FIELD_NARRATIVE] = _tsr_dup_column (stmt, 6);
  if (!tsr_theme_status_from_string ((const char *) sqlite3_column_text (stmt, 7), &theme->status))
    theme->status = TSR_THEME_CANDIDATE;
  theme->position = sqlite3_column_int (stmt, 8);
  return theme;
}

const char * const _tsr_memo_kind_names[] = { "journal", "document", "segment", "code", "theme" };

TsrMemo *
_tsr_read_memo (sqlite3_stmt *stmt)
{
  TsrMemo *memo = _tsr_entity_new (TSR_TYPE_MEMO, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  const char *kind = (const char *) sqlite3_column_text (stmt, 2);

  for (guint i = 0; i < G_N_ELEMENTS (_tsr_memo_kind_names); i++)
    if (g_strcmp0 (kind, _tsr_memo_kind_names[i]) == 0)
      memo->kind = i;
  memo->target_id = sqlite3_column_int64 (stmt, 3);
  memo->coder_id = sqlite3_column_int64 (stmt, 4);
  memo->date = _tsr_dup_column (stmt, 5);
  memo->text = _tsr_dup_column (stmt, 6);
  memo->modified = sqlite3_column_int64 (stmt, 7);
  return memo;
}

TsrCase *
_tsr_read_case (sqlite3_stmt *stmt)
{
  TsrCase *c = _tsr_entity_new (TSR_TYPE_CASE, sqlite3_column_int64 (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
  c->name = _tsr_dup_column (stmt, 2);
  c->description = _tsr_dup_column (stmt, 3);
  return c;
}

TsrAttribute *
_tsr_read_attribute (sqlite3_stmt *stmt)
{
  TsrAttribute *a = _tsr_entity_new (TSR_TYPE_ATTRIBUTE, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  a->target = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "case") == 0
    ? TSR_ATTRIBUTE_ON_CASES : TSR_ATTRIBUTE_ON_DOCUMENTS;
  a->name = _tsr_dup_column (stmt, 3);
  _tsr_attribute_type_from_string ((const char *) sqlite3_column_text (stmt, 4), &a->type);
  return a;
}

TsrMapLink *
_tsr_read_map_link (sqlite3_stmt *stmt)
{
  TsrMapLink *l = _tsr_entity_new (TSR_TYPE_MAP_LINK, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  l->from_theme = sqlite3_column_int64 (stmt, 2);
  l->to_theme = sqlite3_column_int64 (stmt, 3);
  l->label = _tsr_dup_column (stmt, 4);
  return l;
}

/* A CTE "tree (id, sort)" over a tree table whose sort key puts parents
 * before their children and siblings in order; join it to list a tree. */

/* Runs @sql with an optional integer parameter and reads every row.  A
 * read that fails gives %NULL with @error set; for a caller that passes
 * no @error (a public list), an empty array, the failure left for
 * tsr_project_check_reads (). */
GPtrArray *
_tsr_project_load_rows (TsrProject  *self,
                        const char  *sql,
                        gboolean     bind_key,
                        gint64       key,
                        RowReader    reader,
                        GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return error ? NULL : g_ptr_array_new_with_free_func (g_object_unref);
  if (bind_key)
    {
      if (key == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, key);
    }

  for (;;)
    {
      if (!tsr_database_step_row (self->db, stmt, &has_row, error))
        return error ? NULL : g_ptr_array_new_with_free_func (g_object_unref);
      if (!has_row)
        break;
      g_ptr_array_add (rows, reader (stmt));
    }
  return g_steal_pointer (&rows);
}

gpointer
_tsr_project_lookup_one (TsrProject *self,
                         const char *sql,
                         gint64      id,
                         const char *text,
                         RowReader   reader)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, NULL);
  gpointer ret = NULL;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (tsr_database_next_row (self->db, stmt))
    ret = reader (stmt);
  sqlite3_reset (stmt);
  return ret;
}

/* Looks up an entity that an edit needs, failing with a clear error. */
TsrDocument *
_tsr_project_require_document (TsrProject  *self,
                               gint64       id,
                               GError     **error)
{
  TsrDocument *doc = tsr_project_lookup_document (self, id);

  if (doc == NULL)
    _tsr_not_found (error, TSR_KIND_DOCUMENT, id);
  return doc;
}

TsrCode *
_tsr_project_require_code (TsrProject  *self,
                           gint64       id,
                           GError     **error)
{
  TsrCode *code = tsr_project_lookup_code (self, id);

  if (code == NULL)
    _tsr_not_found (error, TSR_KIND_CODE, id);
  return code;
}

TsrTheme *
_tsr_project_require_theme (TsrProject  *self,
                            gint64       id,
                            GError     **error)
{
  TsrTheme *theme = tsr_project_lookup_theme (self, id);

  if (theme == NULL)
    _tsr_not_found (error, TSR_KIND_THEME, id);
  return theme;
}

/* The ids the first column of @sql yields, with ?1 and ?2 bound to @arg1
 * and @arg2 where the statement has them. */
GArray *
_tsr_project_list_ids (TsrProject *self,
                       const char *sql,
                       gint64      arg1,
                       gint64      arg2)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, NULL);
  int n_params;

  if (stmt == NULL)
    return ids;
  n_params = sqlite3_bind_parameter_count (stmt);
  if (n_params >= 1)
    sqlite3_bind_int64 (stmt, 1, arg1);
  if (n_params >= 2)
    sqlite3_bind_int64 (stmt, 2, arg2);
  while (tsr_database_next_row (self->db, stmt))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}
