/* tsr-project-themes.c — themes: the theme tree, their codes, splitting and merging
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static GPtrArray *
load_themes (gpointer owner, gint64 parent_id, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " THEME_COLUMNS " FROM themes WHERE parent_id IS ? ORDER BY position, id",
                                 TRUE, parent_id, (RowReader) _tsr_read_theme, error);
}

/**
 * tsr_project_get_themes:
 * @parent_id: the parent theme, or 0 for the top level
 *
 * Returns: (transfer full): a live list of the #TsrTheme children
 */
GListModel *
tsr_project_get_themes (TsrProject *self,
                        gint64      parent_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "themes", parent_id, TSR_TYPE_THEME, load_themes, TSR_CHANGE_THEMES);
}

/**
 * tsr_project_list_all_themes:
 *
 * Returns: (transfer full) (element-type TsrTheme): every theme, parents
 *   before their sub-themes, siblings in order
 */
GPtrArray *
tsr_project_list_all_themes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return _tsr_project_load_rows (self,
                                 TREE_ORDER ("themes") "SELECT t.id, t.uuid, t.parent_id, t.name, t.definition, t.scope_notes,"
                                 " t.narrative, t.status, t.position FROM themes t JOIN tree USING (id) ORDER BY tree.sort",
                                 FALSE, 0, (RowReader) _tsr_read_theme, NULL);
}

/**
 * tsr_project_lookup_theme:
 *
 * Returns: (transfer full) (nullable): the theme
 */
TsrTheme *
tsr_project_lookup_theme (TsrProject *self,
                          gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " THEME_COLUMNS " FROM themes WHERE id = ?", id, NULL,
                                  (RowReader) _tsr_read_theme);
}

/**
 * tsr_project_find_theme:
 *
 * Returns: (transfer full) (nullable): the first theme of that name
 */
TsrTheme *
tsr_project_find_theme (TsrProject *self,
                        const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " THEME_COLUMNS " FROM themes WHERE name = ? ORDER BY id LIMIT 1",
                                  0, name, (RowReader) _tsr_read_theme);
}

/**
 * tsr_project_create_theme:
 * @parent_id: the parent theme, or 0 for a top-level theme
 *
 * Returns: the new theme's id, or 0 with @error set
 */
gint64
tsr_project_create_theme (TsrProject  *self,
                          gint64       parent_id,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!_tsr_check_name (name, TSR_KIND_THEME, error))
    return 0;
  clean = _tsr_clean_name (name);
  if (parent_id != 0 && !_tsr_project_row_exists (self, "themes", parent_id))
    {
      _tsr_not_found (error, TSR_KIND_THEME, parent_id);
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.create",
                              g_strdup_printf (_("Create theme “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO themes (uuid, parent_id, name, position, created)"
                                     " VALUES (?1, ?2, ?3, (SELECT coalesce (max (position), -1) + 1 FROM themes"
                                     "   WHERE parent_id IS ?2), ?4)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_theme (TsrProject  *self,
                          gint64       id,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_check_name (name, TSR_KIND_THEME, error))
    return FALSE;
  clean = _tsr_clean_name (name);
  theme = _tsr_project_require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.rename",
                              g_strdup_printf (_("Rename theme “%s” to “%s”"), theme->name, clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE themes SET name = ? WHERE id = ?",
                                                               id, clean, 0, TSR_KIND_THEME, error), error);
}

gboolean
tsr_project_set_theme_field (TsrProject     *self,
                             gint64          id,
                             TsrThemeField   field,
                             const char     *text,
                             GError        **error)
{
  static const char * const sql[] = {
    "UPDATE themes SET definition = ? WHERE id = ?",
    "UPDATE themes SET scope_notes = ? WHERE id = ?",
    "UPDATE themes SET narrative = ? WHERE id = ?",
  };
  static const char * const kinds[] = { "theme.define", "theme.scope", "theme.narrative" };
  g_autoptr(TsrTheme) theme = NULL;
  const char *description;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (field <= TSR_THEME_FIELD_NARRATIVE, FALSE);

  theme = _tsr_project_require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  switch (field)
    {
    case TSR_THEME_FIELD_DEFINITION: description = _("Edit the definition of “%s”"); break;
    case TSR_THEME_FIELD_SCOPE_NOTES: description = _("Edit the scope notes of “%s”"); break;
    case TSR_THEME_FIELD_NARRATIVE:
    default: description = _("Edit the narrative of “%s”"); break;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, kinds[field],
                              g_strdup_printf (description, theme->name), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, sql[field], id, text ? text : "", 0, TSR_KIND_THEME, error),
                              error);
}

gboolean
tsr_project_set_theme_status (TsrProject      *self,
                              gint64           id,
                              TsrThemeStatus   status,
                              GError         **error)
{
  g_autoptr(TsrTheme) theme = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (status <= TSR_THEME_DISCARDED, FALSE);

  theme = _tsr_project_require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.status",
                              g_strdup_printf (_("Mark theme “%s” as %s"), theme->name,
                                               tsr_theme_status_to_string (status)), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE themes SET status = ? WHERE id = ?",
                                                               id, tsr_theme_status_to_string (status), 0, TSR_KIND_THEME, error),
                              error);
}

/**
 * tsr_project_move_theme:
 * @new_parent_id: the new parent theme, or 0 for the top level
 * @position: the place among the new siblings, or -1 for the end
 *
 * Nests a theme under another (or lifts it to the top level); a theme
 * cannot be nested inside itself or its own sub-themes.
 */
gboolean
tsr_project_move_theme (TsrProject  *self,
                        gint64       id,
                        gint64       new_parent_id,
                        gint         position,
                        GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = _tsr_project_require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;
  if (new_parent_id != 0 && !_tsr_project_row_exists (self, "themes", new_parent_id))
    {
      _tsr_not_found (error, TSR_KIND_THEME, new_parent_id);
      return FALSE;
    }
  if (new_parent_id != 0 && _tsr_project_is_ancestor_or_self (self, "themes", id, new_parent_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The theme “%s” cannot be nested inside itself"), theme->name);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.move",
                              g_strdup_printf (_("Move theme “%s”"), theme->name), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_move_in_tree (self, "themes", id, theme->parent_id, new_parent_id, position, error),
                              error);
}

gboolean
tsr_project_delete_theme (TsrProject  *self,
                          gint64       id,
                          GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = _tsr_project_require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES | TSR_CHANGE_MEMOS | TSR_CHANGE_MAP, "theme.delete",
                              g_strdup_printf (_("Delete theme “%s”"), theme->name), error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM themes WHERE id = ?", id, error);
  if (ok)
    ok = _tsr_project_move_in_tree (self, "themes", 0, theme->parent_id, theme->parent_id, -1, error);
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_get_theme_codes:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the theme's
 *   own codes (not its sub-themes'), in order
 */
GArray *
tsr_project_get_theme_codes (TsrProject *self,
                             gint64      theme_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), g_array_new (FALSE, FALSE, sizeof (gint64)));
  return _tsr_project_list_ids (self, "SELECT code_id FROM theme_codes WHERE theme_id = ? ORDER BY position, code_id",
                                theme_id, 0);
}

gboolean
tsr_project_add_code_to_theme (TsrProject  *self,
                               gint64       theme_id,
                               gint64       code_id,
                               GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(TsrCode) code = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = tsr_project_lookup_theme (self, theme_id);
  code = tsr_project_lookup_code (self, code_id);
  if (theme == NULL || code == NULL)
    {
      _tsr_not_found (error, theme == NULL ? TSR_KIND_THEME : TSR_KIND_CODE, theme == NULL ? theme_id : code_id);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.add-code",
                              g_strdup_printf (_("Add “%s” to theme “%s”"), code->name, theme->name), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                                     " VALUES (?1, ?2, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes"
                                     "   WHERE theme_id = ?1))", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_remove_code_from_theme (TsrProject  *self,
                                    gint64       theme_id,
                                    gint64       code_id,
                                    GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.remove-code",
                              g_strdup (_("Remove a code from a theme")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "DELETE FROM theme_codes WHERE theme_id = ? AND code_id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_id);
      ok = _tsr_project_run (self, stmt, error);
      if (ok && _tsr_project_changes (self) == 0)
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code is not in that theme"));
          ok = FALSE;
        }
    }
  return _tsr_project_op_end (self, ok, error);
}

/* Themes: reviewing (split, merge), map links, the report ------------
 *
 * Each is one edit, and so one step of undo, however many rows it moves. */

/**
 * tsr_project_split_theme:
 * @code_ids: (array length=n_code_ids): codes of the theme to move out
 * @new_name: the name of the new theme
 *
 * Moves some of a theme's codes into a new candidate theme beside it
 * (under the same parent).
 *
 * Returns: the new theme's id, or 0 with @error set
 */
gint64
tsr_project_split_theme (TsrProject    *self,
                         gint64         theme_id,
                         const gint64  *code_ids,
                         guint          n_code_ids,
                         const char    *new_name,
                         GError       **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 new_id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  theme = _tsr_project_require_theme (self, theme_id, error);
  if (theme == NULL)
    return 0;
  if (!_tsr_check_name (new_name, TSR_KIND_THEME, error))
    return 0;
  if (n_code_ids == 0 || code_ids == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Choose the codes of “%s” that go to the new theme"), theme->name);
      return 0;
    }
  for (guint i = 0; i < n_code_ids; i++)
    {
      stmt = _tsr_project_prepare (self, "SELECT count(*) FROM theme_codes WHERE theme_id = ? AND code_id = ?", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_ids[i]);
      ok = tsr_database_next_row (self->db, stmt) && sqlite3_column_int (stmt, 0) == 1;
      sqlite3_reset (stmt);
      if (!ok)
        {
          g_autoptr(TsrCode) code = tsr_project_lookup_code (self, code_ids[i]);

          if (code == NULL)
            _tsr_not_found (error, TSR_KIND_CODE, code_ids[i]);
          else
            g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code “%s” is not in theme “%s”"),
                         code->name, theme->name);
          return 0;
        }
    }
  clean = _tsr_clean_name (new_name);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES, "theme.split",
                              g_strdup_printf (_("Split “%s” from theme “%s”"), clean, theme->name), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO themes (uuid, parent_id, name, position, created)"
                                     " VALUES (?1, ?2, ?3, (SELECT coalesce (max (position), -1) + 1 FROM themes"
                                     "   WHERE parent_id IS ?2), ?4)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (theme->parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, theme->parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      new_id = _tsr_project_last_insert_id (self);
    }

  for (guint i = 0; ok && i < n_code_ids; i++)
    {
      stmt = _tsr_project_prepare (self, "UPDATE theme_codes SET theme_id = ?1, position = ?3"
                                         " WHERE theme_id = ?2 AND code_id = ?4", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, new_id);
          sqlite3_bind_int64 (stmt, 2, theme_id);
          sqlite3_bind_int (stmt, 3, i);
          sqlite3_bind_int64 (stmt, 4, code_ids[i]);
          ok = _tsr_project_run (self, stmt, error);
        }
    }

  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return new_id;
}

/* Fills a theme's empty text field from another theme's. */
static gboolean
fill_theme_field (TsrProject  *self,
                  const char  *column,
                  gint64       target_id,
                  gint64       source_id,
                  GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE themes SET %s = (SELECT %s FROM themes WHERE id = ?2)"
                                          " WHERE id = ?1 AND trim (%s) = ''", column, column, column);
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, target_id);
  sqlite3_bind_int64 (stmt, 2, source_id);
  return _tsr_project_run (self, stmt, error);
}

static gboolean
run_with_two_ids (TsrProject  *self,
                  const char  *sql,
                  gint64       a,
                  gint64       b,
                  GError     **error)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return _tsr_project_run (self, stmt, error);
}

/**
 * tsr_project_merge_themes:
 * @source_id: the theme merged away
 * @target_id: the theme that stays
 *
 * Merges one theme into another: the source's codes (after the target's
 * own), sub-themes and links move to the target, its definition, scope
 * notes, narrative and memo fill those of the target that are empty (a
 * memo both have is joined), and the source is deleted.  Links between
 * the two disappear, as a theme is not linked to itself.
 */
gboolean
tsr_project_merge_themes (TsrProject  *self,
                          gint64       source_id,
                          gint64       target_id,
                          GError     **error)
{
  g_autoptr(TsrTheme) source = NULL;
  g_autoptr(TsrTheme) target = NULL;
  g_autoptr(GArray) children = NULL;
  g_autofree char *source_memo = NULL;
  g_autofree char *target_memo = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  source = _tsr_project_require_theme (self, source_id, error);
  if (source == NULL)
    return FALSE;
  target = _tsr_project_require_theme (self, target_id, error);
  if (target == NULL)
    return FALSE;
  if (source_id == target_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The theme “%s” cannot be merged into itself"), source->name);
      return FALSE;
    }
  if (_tsr_project_is_ancestor_or_self (self, "themes", source_id, target_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The theme “%s” cannot be merged into its own sub-theme “%s”"),
                   source->name, target->name);
      return FALSE;
    }

  source_memo = tsr_project_get_memo (self, TSR_MEMO_THEME, source_id);
  target_memo = tsr_project_get_memo (self, TSR_MEMO_THEME, target_id);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_THEMES | TSR_CHANGE_MAP | TSR_CHANGE_MEMOS, "theme.merge",
                              g_strdup_printf (_("Merge theme “%s” into “%s”"), source->name, target->name), error))
    return FALSE;

  /* Codes the target lacks, after its own, in the source's order. */
  ok = run_with_two_ids (self,
                         "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                         " SELECT ?2, code_id, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes"
                         "   WHERE theme_id = ?2) + row_number () OVER (ORDER BY position, code_id) - 1"
                         " FROM theme_codes WHERE theme_id = ?1 ORDER BY position, code_id",
                         source_id, target_id, error);

  /* Sub-themes, in order, after the target's. */
  if (ok)
    {
      children = g_array_new (FALSE, FALSE, sizeof (gint64));
      stmt = _tsr_project_prepare (self, "SELECT id FROM themes WHERE parent_id = ? ORDER BY position, id", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, source_id);
          while (tsr_database_next_row (self->db, stmt))
            {
              gint64 id = sqlite3_column_int64 (stmt, 0);
              g_array_append_val (children, id);
            }
          sqlite3_reset (stmt);
        }
      for (guint i = 0; ok && i < children->len; i++)
        ok = _tsr_project_move_in_tree (self, "themes", g_array_index (children, gint64, i), source_id, target_id, -1, error);
    }

  /* Links: the ones between the two go, the others follow the target. */
  if (ok)
    ok = run_with_two_ids (self, "DELETE FROM map_links WHERE (from_theme_id = ?1 AND to_theme_id = ?2)"
                                 " OR (from_theme_id = ?2 AND to_theme_id = ?1)", source_id, target_id, error);
  if (ok)
    ok = run_with_two_ids (self, "UPDATE map_links SET from_theme_id = ?2 WHERE from_theme_id = ?1",
                           source_id, target_id, error);
  if (ok)
    ok = run_with_two_ids (self, "UPDATE map_links SET to_theme_id = ?2 WHERE to_theme_id = ?1",
                           source_id, target_id, error);

  if (ok)
    ok = fill_theme_field (self, "definition", target_id, source_id, error) &&
         fill_theme_field (self, "scope_notes", target_id, source_id, error) &&
         fill_theme_field (self, "narrative", target_id, source_id, error);

  if (ok && source_memo != NULL && *source_memo != '\0')
    {
      g_autofree char *joined = NULL;

      if (target_memo != NULL && *target_memo != '\0')
        joined = g_strconcat (target_memo, "\n\n", source_memo, NULL);
      else
        joined = g_strdup (source_memo);
      ok = tsr_project_set_memo (self, TSR_MEMO_THEME, target_id, joined, error);
    }

  if (ok)
    ok = _tsr_project_run_with_id (self, "DELETE FROM themes WHERE id = ?", source_id, error);
  if (ok)
    ok = _tsr_project_move_in_tree (self, "themes", 0, source->parent_id, source->parent_id, -1, error);

  return _tsr_project_op_end (self, ok, error);
}
