/* tsr-project-tree.c — what the code tree and the theme tree share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

/* Is @ancestor_id @id or above it in @table's tree? */
gboolean
_tsr_project_is_ancestor_or_self (TsrProject *self,
                                  const char *table,
                                  gint64      ancestor_id,
                                  gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("WITH RECURSIVE up (id, parent_id) AS ("
                                          "  SELECT id, parent_id FROM %s WHERE id = ?1"
                                          "  UNION SELECT t.id, t.parent_id FROM %s t JOIN up ON t.id = up.parent_id"
                                          ") SELECT count(*) FROM up WHERE id = ?2",
                                          table, table);
  sqlite3_stmt *stmt = _tsr_project_prepare (self, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, ancestor_id);
  if (tsr_database_next_row (self->db, stmt))
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n > 0;
}

/* Moves a row of a tree table (codes or themes) under @new_parent_id at
 * @position (-1: last), renumbering the siblings it leaves and joins. */
gboolean
_tsr_project_move_in_tree (TsrProject  *self,
                           const char  *table,
                           gint64       id,
                           gint64       old_parent_id,
                           gint64       new_parent_id,
                           gint         position,
                           GError     **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT id FROM %s WHERE parent_id IS ? AND id <> ?"
                                                 " ORDER BY position, id", table);
  g_autofree char *update_sql = g_strdup_printf ("UPDATE %s SET parent_id = ?, position = ? WHERE id = ?",
                                                 table);
  g_autoptr(GArray) siblings = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  /* Close the gap in the old parent's list. */
  for (guint pass = 0; pass < 2; pass++)
    {
      gint64 parent = pass == 0 ? old_parent_id : new_parent_id;

      if (pass == 1 && old_parent_id == new_parent_id)
        break;

      g_array_set_size (siblings, 0);
      stmt = _tsr_project_prepare (self, select_sql, error);
      if (stmt == NULL)
        return FALSE;
      if (parent == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, parent);
      sqlite3_bind_int64 (stmt, 2, id);
      while (tsr_database_next_row (self->db, stmt))
        {
          gint64 sib = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (siblings, sib);
        }
      sqlite3_reset (stmt);

      if (parent == new_parent_id && id != 0)
        {
          guint at = position < 0 || (guint) position > siblings->len ? siblings->len : (guint) position;
          g_array_insert_val (siblings, at, id);
        }

      for (guint i = 0; i < siblings->len; i++)
        {
          gint64 sib = g_array_index (siblings, gint64, i);

          stmt = _tsr_project_prepare (self, update_sql, error);
          if (stmt == NULL)
            return FALSE;
          if (parent == 0)
            sqlite3_bind_null (stmt, 1);
          else
            sqlite3_bind_int64 (stmt, 1, parent);
          sqlite3_bind_int (stmt, 2, i);
          sqlite3_bind_int64 (stmt, 3, sib);
          if (!_tsr_project_run (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}
