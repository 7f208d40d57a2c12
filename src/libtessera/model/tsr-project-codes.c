/* tsr-project-codes.c — codes: the code tree and its edits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static const char * const default_colors[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac",
  "#986a44", "#26a269", "#1c71d8", "#c64600", "#a51d2d", "#613583",
};

/* The palette colour the fewest codes have, the first such in palette
 * order: a new code stands apart from the others however the earlier
 * ones were coloured, deleted or imported. */
static const char *
least_used_color (TsrProject *self)
{
  guint uses[G_N_ELEMENTS (default_colors)] = { 0, };
  sqlite3_stmt *stmt = _tsr_project_prepare (self, "SELECT lower (color), count (*) FROM codes GROUP BY lower (color)", NULL);
  guint best = 0;

  while (stmt != NULL && tsr_database_next_row (self->db, stmt))
    {
      const char *color = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; color != NULL && i < G_N_ELEMENTS (default_colors); i++)
        if (g_str_equal (color, default_colors[i]))
          uses[i] = sqlite3_column_int (stmt, 1);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  for (guint i = 1; i < G_N_ELEMENTS (default_colors); i++)
    if (uses[i] < uses[best])
      best = i;
  return default_colors[best];
}

/* Codes -------------------------------------------------------------- */

static GPtrArray *
load_codes (gpointer owner, gint64 parent_id, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " CODE_COLUMNS " FROM codes c WHERE c.parent_id IS ? ORDER BY c.position, c.id",
                                 TRUE, parent_id, (RowReader) _tsr_read_code, error);
}

/**
 * tsr_project_get_codes:
 * @parent_id: the parent code, or 0 for the top level
 *
 * Returns: (transfer full): a live list of the #TsrCode children of @parent_id
 */
GListModel *
tsr_project_get_codes (TsrProject *self,
                       gint64      parent_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "codes", parent_id, TSR_TYPE_CODE, load_codes, TSR_CHANGE_CODES);
}

/**
 * tsr_project_list_all_codes:
 *
 * Returns: (transfer full) (element-type TsrCode): every code, parents
 *   before their children, siblings in order
 */
GPtrArray *
tsr_project_list_all_codes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return _tsr_project_load_rows (self,
                                 TREE_ORDER ("codes") "SELECT " CODE_COLUMNS " FROM codes c JOIN tree USING (id) ORDER BY tree.sort",
                                 FALSE, 0, (RowReader) _tsr_read_code, NULL);
}

guint
tsr_project_get_n_codes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  return _tsr_project_query_int (self, "SELECT count(*) FROM codes", 0, 0);
}

/**
 * tsr_project_lookup_code:
 *
 * Returns: (transfer full) (nullable): the code
 */
TsrCode *
tsr_project_lookup_code (TsrProject *self,
                         gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " CODE_COLUMNS " FROM codes c WHERE c.id = ?", id, NULL,
                                  (RowReader) _tsr_read_code);
}

/**
 * tsr_project_find_code:
 * @path: names from the top level down, separated by "/"
 *
 * Returns: (transfer full) (nullable): the code at @path
 */
TsrCode *
tsr_project_find_code (TsrProject *self,
                       const char *path)
{
  g_auto(GStrv) parts = NULL;
  gint64 parent = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = _tsr_project_prepare (self, "SELECT id FROM codes WHERE parent_id IS ? AND name = ?"
                                                       " ORDER BY position LIMIT 1", NULL);
      gint64 id = 0;

      if (stmt == NULL)
        return NULL;
      if (parent == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, parent);
      g_strstrip (parts[i]);
      sqlite3_bind_text (stmt, 2, parts[i], -1, SQLITE_TRANSIENT);
      if (tsr_database_next_row (self->db, stmt))
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (id == 0)
        return NULL;
      parent = id;
    }

  return parent ? tsr_project_lookup_code (self, parent) : NULL;
}

/**
 * tsr_project_get_code_path:
 *
 * Returns: (transfer full) (nullable): the code's names from the top
 *   level down, joined by "/"
 */
char *
tsr_project_get_code_path (TsrProject *self,
                           gint64      id)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *path;
  guint guard = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  while (id != 0 && guard++ < 10000)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self, id);

      if (code == NULL)
        return NULL;
      g_ptr_array_add (names, g_strdup (code->name));
      id = code->parent_id;
    }
  if (names->len == 0)
    return NULL;

  path = g_string_new (NULL);
  for (guint i = names->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, names->pdata[i - 1]);
    }
  return g_string_free (path, FALSE);
}

static gboolean
check_code_name (const char  *name,
                 GError     **error)
{
  if (!_tsr_check_name (name, TSR_KIND_CODE, error))
    return FALSE;
  if (strchr (name, '/') != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("A code’s name cannot contain “/”"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
sibling_name_taken (TsrProject *self,
                    const char *table,
                    gint64      parent_id,
                    const char *name,
                    gint64      except_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE parent_id IS ? AND name = ? AND id <> ?",
                                          table);
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  if (parent_id == 0)
    sqlite3_bind_null (stmt, 1);
  else
    sqlite3_bind_int64 (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, except_id);
  if (tsr_database_next_row (self->db, stmt))
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n > 0;
}

/**
 * tsr_project_create_code:
 * @parent_id: the parent code, or 0 for the top level
 * @color: (nullable): "#rrggbb", or %NULL to pick one
 * @definition: (nullable): what the code means
 *
 * Returns: the new code's id, or 0 with @error set
 */
gint64
tsr_project_create_code (TsrProject  *self,
                         gint64       parent_id,
                         const char  *name,
                         const char  *color,
                         const char  *definition,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_code_name (name, error))
    return 0;
  clean = _tsr_clean_name (name);

  if (color != NULL && !_tsr_valid_color (color))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a colour (use #rrggbb)"), color);
      return 0;
    }
  if (color == NULL)
    color = least_used_color (self);

  if (parent_id != 0 && !_tsr_project_row_exists (self, "codes", parent_id))
    {
      _tsr_not_found (error, TSR_KIND_PARENT_CODE, parent_id);
      return 0;
    }
  if (sibling_name_taken (self, "codes", parent_id, clean, 0))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” here"), clean);
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "code.create",
                              g_strdup_printf (_("Create code “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5,"
                                     "   (SELECT coalesce (max (position), -1) + 1 FROM codes WHERE parent_id IS ?2), ?6)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      g_autofree char *lower = g_ascii_strdown (color, -1);

      sqlite3_bind_text (stmt, 4, lower, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, definition ? definition : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }

  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_code (TsrProject  *self,
                         gint64       id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_code_name (name, error))
    return FALSE;
  clean = _tsr_clean_name (name);

  code = _tsr_project_require_code (self, id, error);
  if (code == NULL)
    return FALSE;
  if (sibling_name_taken (self, "codes", code->parent_id, clean, id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” here"), clean);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "code.rename",
                              g_strdup_printf (_("Rename code “%s” to “%s”"), code->name, clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE codes SET name = ? WHERE id = ?",
                                                               id, clean, 0, TSR_KIND_CODE, error), error);
}

gboolean
tsr_project_set_code_color (TsrProject  *self,
                            gint64       id,
                            const char  *color,
                            GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_valid_color (color))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a colour (use #rrggbb)"), color ? color : "");
      return FALSE;
    }
  code = _tsr_project_require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "code.recolor",
                              g_strdup_printf (_("Recolour code “%s”"), code->name), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE codes SET color = lower (?) WHERE id = ?",
                                                               id, color, 0, TSR_KIND_CODE, error), error);
}

gboolean
tsr_project_set_code_definition (TsrProject  *self,
                                 gint64       id,
                                 const char  *definition,
                                 GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = _tsr_project_require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "code.define",
                              g_strdup_printf (_("Edit the definition of “%s”"), code->name), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE codes SET definition = ? WHERE id = ?",
                                                               id, definition ? definition : "", 0, TSR_KIND_CODE, error), error);
}

/**
 * tsr_project_move_code:
 * @new_parent_id: the new parent, or 0 for the top level
 * @position: the place among the new siblings, or -1 for the end
 *
 * Moves a code with everything below it; a code cannot move inside itself.
 */
gboolean
tsr_project_move_code (TsrProject  *self,
                       gint64       id,
                       gint64       new_parent_id,
                       gint         position,
                       GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = _tsr_project_require_code (self, id, error);
  if (code == NULL)
    return FALSE;
  if (new_parent_id != 0 && !_tsr_project_row_exists (self, "codes", new_parent_id))
    {
      _tsr_not_found (error, TSR_KIND_CODE, new_parent_id);
      return FALSE;
    }
  if (new_parent_id != 0 && _tsr_project_is_ancestor_or_self (self, "codes", id, new_parent_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The code “%s” cannot be moved inside itself"), code->name);
      return FALSE;
    }
  if (new_parent_id != code->parent_id &&
      sibling_name_taken (self, "codes", new_parent_id, code->name, id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” there"), code->name);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "code.move",
                              g_strdup_printf (_("Move code “%s”"), code->name), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_move_in_tree (self, "codes", id, code->parent_id, new_parent_id, position, error),
                              error);
}

/**
 * tsr_project_merge_codes:
 * @source_id: the code that goes away
 * @target_id: the code that receives its segments, sub-codes and theme places
 *
 * Merges two codes.  Segments that would duplicate one of the target's
 * (same document, coder and span) are dropped rather than doubled.
 */
gboolean
tsr_project_merge_codes (TsrProject  *self,
                         gint64       source_id,
                         gint64       target_id,
                         GError     **error)
{
  g_autoptr(TsrCode) source = NULL;
  g_autoptr(TsrCode) target = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  source = tsr_project_lookup_code (self, source_id);
  target = tsr_project_lookup_code (self, target_id);
  if (source == NULL || target == NULL)
    {
      _tsr_not_found (error, TSR_KIND_CODE, source == NULL ? source_id : target_id);
      return FALSE;
    }
  if (source_id == target_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, _("A code cannot be merged into itself"));
      return FALSE;
    }
  if (_tsr_project_is_ancestor_or_self (self, "codes", source_id, target_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("“%s” cannot be merged into a code below it"), source->name);
      return FALSE;
    }

  {
    sqlite3_stmt *clash = _tsr_project_prepare (self, "SELECT s.name FROM codes s JOIN codes t ON t.name = s.name"
                                                      " WHERE s.parent_id = ?1 AND t.parent_id = ?2 LIMIT 1", error);
    g_autofree char *name = NULL;

    if (clash == NULL)
      return FALSE;
    sqlite3_bind_int64 (clash, 1, source_id);
    sqlite3_bind_int64 (clash, 2, target_id);
    if (tsr_database_next_row (self->db, clash))
      name = _tsr_dup_column (clash, 0);
    sqlite3_reset (clash);
    if (name != NULL)
      {
        g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                     _("“%s” and “%s” both have a sub-code “%s”: merge or rename those first"),
                     source->name, target->name, name);
        return FALSE;
      }
  }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_THEMES |
                              TSR_CHANGE_MEMOS | TSR_CHANGE_MAP,
                              "code.merge",
                              g_strdup_printf (_("Merge code “%s” into “%s”"), source->name, target->name), error))
    return FALSE;

  /* Segments: move, dropping exact duplicates of the target's. */
  stmt = _tsr_project_prepare (self, "DELETE FROM segments AS s WHERE s.code_id = ?1 AND EXISTS ("
                                     "  SELECT 1 FROM segments t WHERE t.code_id = ?2 AND t.document_id = s.document_id"
                                     "  AND t.coder_id = s.coder_id AND t.start = s.start AND t.end = s.end)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  if (ok && (stmt = _tsr_project_prepare (self, "UPDATE segments SET code_id = ?2 WHERE code_id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Sub-codes follow to the end of the target's children. */
  if (ok && (stmt = _tsr_project_prepare (self, "UPDATE codes SET parent_id = ?2,"
                                                " position = position + (SELECT coalesce (max (position), -1) + 1"
                                                "   FROM codes WHERE parent_id = ?2)"
                                                " WHERE parent_id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Theme places: the target joins the source's themes. */
  if (ok && (stmt = _tsr_project_prepare (self, "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                                                " SELECT theme_id, ?2, position FROM theme_codes WHERE code_id = ?1",
                                          error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* The source's definition is kept in the target's, not lost. */
  if (ok && source->definition[0] != '\0')
    {
      g_autofree char *merged = target->definition[0] != '\0'
        ? g_strdup_printf ("%s\n\n%s: %s", target->definition, source->name, source->definition)
        : g_strdup (source->definition);
      ok = _tsr_project_update_by_id (self, "UPDATE codes SET definition = ? WHERE id = ?",
                                      target_id, merged, 0, TSR_KIND_CODE, error);
    }

  /* The source's memo joins the target's (or becomes it): nothing written
   * about a code is lost in a merge. */
  if (ok && (stmt = _tsr_project_prepare (self, "UPDATE memos SET text = text || char (10) || char (10) || ?3 || ': ' ||"
                                                " (SELECT text FROM memos WHERE code_id = ?1)"
                                                " WHERE code_id = ?2 AND EXISTS (SELECT 1 FROM memos WHERE code_id = ?1)",
                                          error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      sqlite3_bind_text (stmt, 3, source->name, -1, SQLITE_TRANSIENT);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;
  if (ok && (stmt = _tsr_project_prepare (self, "UPDATE memos SET code_id = ?2 WHERE code_id = ?1"
                                                " AND NOT EXISTS (SELECT 1 FROM memos WHERE code_id = ?2)", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;

  if (ok && (stmt = _tsr_project_prepare (self, "DELETE FROM codes WHERE id = ?", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Close the gap the source leaves among its siblings. */
  if (ok)
    ok = _tsr_project_move_in_tree (self, "codes", 0, source->parent_id, source->parent_id, -1, error);

  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_delete_code:
 *
 * Deletes a code with its sub-codes and all their segments, memos and
 * theme places — one undoable step.
 */
gboolean
tsr_project_delete_code (TsrProject  *self,
                         gint64       id,
                         GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = _tsr_project_require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_THEMES |
                              TSR_CHANGE_MEMOS | TSR_CHANGE_MAP,
                              "code.delete", g_strdup_printf (_("Delete code “%s”"), code->name), error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM codes WHERE id = ?", id, error);
  if (ok)
    ok = _tsr_project_move_in_tree (self, "codes", 0, code->parent_id, code->parent_id, -1, error);

  return _tsr_project_op_end (self, ok, error);
}
