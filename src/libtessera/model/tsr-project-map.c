/* tsr-project-map.c — the theme map: positions and links
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

gboolean
tsr_project_set_map_position (TsrProject      *self,
                              TsrMapItemKind   kind,
                              gint64           id,
                              double           x,
                              double           y,
                              GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!isfinite (x) || !isfinite (y))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("Not a position on the map"));
      return FALSE;
    }
  if (!_tsr_project_row_exists (self, kind == TSR_MAP_ITEM_THEME ? "themes" : "codes", id))
    {
      _tsr_not_found (error, kind == TSR_MAP_ITEM_THEME ? TSR_KIND_THEME : TSR_KIND_CODE, id);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MAP, "map.move", g_strdup (_("Move on the map")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, kind == TSR_MAP_ITEM_THEME
                                 ? "INSERT INTO map_theme_positions (theme_id, x, y) VALUES (?, ?, ?)"
                                   " ON CONFLICT DO UPDATE SET x = excluded.x, y = excluded.y"
                                 : "INSERT INTO map_code_positions (code_id, x, y) VALUES (?, ?, ?)"
                                   " ON CONFLICT DO UPDATE SET x = excluded.x, y = excluded.y",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_double (stmt, 2, x);
      sqlite3_bind_double (stmt, 3, y);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_get_map_position (TsrProject      *self,
                              TsrMapItemKind   kind,
                              gint64           id,
                              double          *x,
                              double          *y)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  stmt = _tsr_project_prepare (self, kind == TSR_MAP_ITEM_THEME
                                 ? "SELECT x, y FROM map_theme_positions WHERE theme_id = ?"
                                 : "SELECT x, y FROM map_code_positions WHERE code_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (tsr_database_next_row (self->db, stmt))
    {
      *x = sqlite3_column_double (stmt, 0);
      *y = sqlite3_column_double (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

static GPtrArray *
load_map_links (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT id, uuid, from_theme_id, to_theme_id, label FROM map_links ORDER BY id",
                                 FALSE, 0, (RowReader) _tsr_read_map_link, error);
}

/**
 * tsr_project_get_map_links:
 *
 * Returns: (transfer full): a live list of #TsrMapLink
 */
GListModel *
tsr_project_get_map_links (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "map-links", 0, TSR_TYPE_MAP_LINK, load_map_links, TSR_CHANGE_MAP | TSR_CHANGE_THEMES);
}

gint64
tsr_project_add_map_link (TsrProject  *self,
                          gint64       from_theme,
                          gint64       to_theme,
                          const char  *label,
                          GError     **error)
{
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!_tsr_project_row_exists (self, "themes", from_theme) || !_tsr_project_row_exists (self, "themes", to_theme))
    {
      _tsr_not_found (error, TSR_KIND_THEME, _tsr_project_row_exists (self, "themes", from_theme) ? to_theme : from_theme);
      return 0;
    }
  if (from_theme == to_theme)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("A theme cannot be linked to itself"));
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MAP, "map.link", g_strdup (_("Link two themes")), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO map_links (uuid, from_theme_id, to_theme_id, label) VALUES (?, ?, ?, ?)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, from_theme);
      sqlite3_bind_int64 (stmt, 3, to_theme);
      sqlite3_bind_text (stmt, 4, label ? label : "", -1, SQLITE_TRANSIENT);
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_remove_map_link (TsrProject  *self,
                             gint64       id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MAP, "map.unlink", g_strdup (_("Remove a link between themes")), error))
    return FALSE;

  stmt = _tsr_project_prepare (self, "DELETE FROM map_links WHERE id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = _tsr_project_run (self, stmt, error);
      if (ok && _tsr_project_changes (self) == 0)
        {
          _tsr_not_found (error, TSR_KIND_LINK, id);
          ok = FALSE;
        }
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_set_map_link_label:
 * @label: what the link says ("leads to", "part of"…); may be empty
 *
 * Relabels a link between two themes.
 */
gboolean
tsr_project_set_map_link_label (TsrProject  *self,
                                gint64       id,
                                const char  *label,
                                GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (label != NULL && !g_utf8_validate (label, -1, NULL))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("The label is not valid text"));
      return FALSE;
    }
  clean = g_strstrip (g_strdup (label ? label : ""));
  if (!_tsr_project_row_exists (self, "map_links", id))
    {
      _tsr_not_found (error, TSR_KIND_LINK, id);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_MAP, "map.label",
                              g_strdup_printf (_("Label a link “%s”"), clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE map_links SET label = ? WHERE id = ?",
                                                               id, clean, 0, TSR_KIND_LINK, error), error);
}
