/* tsr-project-coders.c — coders: who codes, the consensus coder, the stand-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static GPtrArray *
load_coders (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " CODER_COLUMNS " FROM coders ORDER BY is_consensus, name COLLATE NOCASE",
                                 FALSE, 0, (RowReader) _tsr_read_coder, error);
}

/**
 * tsr_project_get_coders:
 *
 * Returns: (transfer full): a live list of #TsrCoder, the consensus coder last
 */
GListModel *
tsr_project_get_coders (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "coders", 0, TSR_TYPE_CODER, load_coders, TSR_CHANGE_CODERS);
}

/**
 * tsr_project_lookup_coder:
 *
 * Returns: (transfer full) (nullable): the coder
 */
TsrCoder *
tsr_project_lookup_coder (TsrProject *self,
                          gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE id = ?", id, NULL,
                                  (RowReader) _tsr_read_coder);
}

/**
 * tsr_project_find_coder:
 *
 * Returns: (transfer full) (nullable): the coder of that name
 */
TsrCoder *
tsr_project_find_coder (TsrProject *self,
                        const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE name = ?", 0, name,
                                  (RowReader) _tsr_read_coder);
}

static TsrCoder *
ensure_coder (TsrProject  *self,
              const char  *name,
              gboolean     consensus,
              GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  TsrCoder *coder;
  gboolean ok;

  if (!_tsr_check_name (name, TSR_KIND_CODER, error))
    return NULL;
  clean = _tsr_clean_name (name);

  coder = tsr_project_find_coder (self, clean);
  if (coder != NULL)
    {
      if (coder->is_consensus != consensus)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                       consensus ? _("“%s” is already the name of a coder")
                                 : _("“%s” is the name of the consensus coding"),
                       clean);
          g_object_unref (coder);
          return NULL;
        }
      return coder;
    }

  /* Coders are identities, not edits: adding one is not an undoable step
   * (undoing it would orphan the edits made in that name). */
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO coders (uuid, name, is_consensus, created) VALUES (?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, consensus);
      sqlite3_bind_int64 (stmt, 4, _tsr_now_us ());
      ok = tsr_database_begin (self->db, error);
      if (ok)
        {
          if (_tsr_project_run (self, stmt, error))
            ok = tsr_database_commit (self->db, error);
          else
            {
              tsr_database_rollback (self->db);
              ok = FALSE;
            }
        }
    }
  if (!ok)
    return NULL;
  /* Inside an edit (or while one commits) the edit tells the views. */
  if (self->op_depth == 0 && tsr_database_get_depth (self->db) == 0)
    _tsr_project_notify_changes (self, TSR_CHANGE_CODERS);
  else
    self->op_flags |= TSR_CHANGE_CODERS;

  return tsr_project_find_coder (self, clean);
}

/* Makes @coder, just added inside the current edit, the current coder:
 * it lasts only if that edit is kept (_tsr_project_op_coders_done ()). */
static void
take_new_coder (TsrProject *self,
                TsrCoder   *coder,
                gboolean    confirmed)
{
  g_clear_object (&self->current_coder);
  self->current_coder = coder;
  self->coder_confirmed = confirmed;
  if (tsr_database_get_depth (self->db) > 0)
    {
      self->op_new_coder_id = tsr_entity_get_id (TSR_ENTITY (coder));
      self->op_new_coder_depth = MAX (self->op_depth, 1);
    }
  _tsr_project_notify_current_coder (self);
}

/* Adds the coder named with tsr_project_set_current_coder_name (), if
 * they are still to be added; called by an edit, inside its transaction,
 * before it records who made it. */
gboolean
_tsr_project_add_pending_coder (TsrProject  *self,
                                GError     **error)
{
  TsrCoder *coder;

  if (self->current_coder != NULL || self->pending_coder_name == NULL)
    return TRUE;

  coder = ensure_coder (self, self->pending_coder_name, FALSE, error);
  if (coder == NULL)
    return FALSE;
  take_new_coder (self, coder, TRUE);
  return TRUE;
}

/* After an edit at depth self->op_depth + 1 was kept (the outermost one
 * committed) or rolled back: a coder added inside a rolled-back edit is
 * gone with it, so nobody is coding under that id any more; a coder
 * named for the edits to come will be added again by the next. */
void
_tsr_project_op_coders_done (TsrProject *self,
                             gboolean    kept)
{
  if (self->op_new_coder_id == 0)
    return;

  if (kept)
    {
      if (self->op_depth == 0)
        {
          self->op_new_coder_id = 0;
          g_clear_pointer (&self->pending_coder_name, g_free);
        }
      return;
    }

  if (self->op_new_coder_depth <= self->op_depth)
    return;

  if (self->stand_in_coder_id == self->op_new_coder_id)
    self->stand_in_coder_id = 0;
  if (self->current_coder != NULL &&
      tsr_entity_get_id (TSR_ENTITY (self->current_coder)) == self->op_new_coder_id)
    {
      g_clear_object (&self->current_coder);
      self->coder_confirmed = FALSE;
      _tsr_project_notify_current_coder (self);
    }
  self->op_new_coder_id = 0;
}

/**
 * tsr_project_ensure_coder:
 * @name: the coder's name
 *
 * Finds the coder of that name, adding them if they are new.
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_ensure_coder (TsrProject  *self,
                          const char  *name,
                          GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return ensure_coder (self, name, FALSE, error);
}

/**
 * tsr_project_get_consensus_coder:
 *
 * The coder that holds the reconciled coding, added when first needed.
 *
 * Returns: (transfer full): the consensus coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_get_consensus_coder (TsrProject  *self,
                                 GError     **error)
{
  TsrCoder *coder;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  coder = _tsr_project_lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE is_consensus = 1 ORDER BY id LIMIT ?",
                                   1, NULL, (RowReader) _tsr_read_coder);
  if (coder != NULL)
    return coder;
  return ensure_coder (self, _("Consensus"), TRUE, error);
}

/**
 * tsr_project_set_current_coder:
 *
 * Sets whose edits these are for as long as the project is open: every
 * segment and memo made from now on, and every history entry, names this
 * coder.  Nothing is remembered in the file (see
 * tsr_project_confirm_coder() for that); `tessera-cli --coder` uses this.
 */
gboolean
tsr_project_set_current_coder (TsrProject  *self,
                               gint64       coder_id,
                               GError     **error)
{
  TsrCoder *coder;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  coder = tsr_project_lookup_coder (self, coder_id);
  if (coder == NULL)
    {
      _tsr_not_found (error, TSR_KIND_CODER, coder_id);
      return FALSE;
    }
  g_clear_object (&self->current_coder);
  g_clear_pointer (&self->pending_coder_name, g_free);
  self->current_coder = coder;
  self->coder_confirmed = TRUE;
  _tsr_project_notify_current_coder (self);
  return TRUE;
}

/**
 * tsr_project_set_current_coder_name:
 * @name: the coder's name
 *
 * Makes @name the coder of the edits made from now on, as
 * tsr_project_set_current_coder() does.  A coder the project does not
 * have yet is not added now but by the first edit made in their name,
 * in that edit's transaction: if no edit is made, or the edit fails (an
 * import of nothing importable, a merge that is refused), the project is
 * left without them.  `tessera-cli --coder` uses this.
 *
 * Returns: %TRUE, or %FALSE with @error set (an empty name, the name of
 *   the consensus coding)
 */
gboolean
tsr_project_set_current_coder_name (TsrProject  *self,
                                    const char  *name,
                                    GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(TsrCoder) coder = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->op_depth == 0, FALSE);

  if (!_tsr_check_name (name, TSR_KIND_CODER, error))
    return FALSE;
  clean = _tsr_clean_name (name);

  coder = tsr_project_find_coder (self, clean);
  if (coder != NULL)
    {
      if (coder->is_consensus)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("“%s” is the name of the consensus coding"), clean);
          return FALSE;
        }
      return tsr_project_set_current_coder (self, tsr_entity_get_id (TSR_ENTITY (coder)), error);
    }

  g_clear_object (&self->current_coder);
  g_free (self->pending_coder_name);
  self->pending_coder_name = g_steal_pointer (&clean);
  self->coder_confirmed = TRUE;
  _tsr_project_notify_current_coder (self);
  return TRUE;
}

/**
 * tsr_project_get_current_coder:
 *
 * Returns: (transfer none) (nullable): the current coder
 */
TsrCoder *
tsr_project_get_current_coder (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return self->current_coder;
}

/**
 * tsr_project_get_coder_confirmed:
 *
 * Whether someone said who is coding: the coder was remembered for this
 * account in the project file, chosen with tsr_project_confirm_coder()
 * or tsr_project_switch_coder(), or set with
 * tsr_project_set_current_coder().  %FALSE while nobody is coding yet,
 * and after a first edit made under a stand-in coder that waits for a
 * name (see tsr_project_confirm_coder()).
 */
gboolean
tsr_project_get_coder_confirmed (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->current_coder != NULL && self->coder_confirmed;
}

/**
 * tsr_coder_dup_default_name:
 *
 * The name to propose to someone who starts coding: their real name, else
 * their login name — but never a system account's ("root"), which names
 * no one.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when there is
 *   none worth proposing
 */
char *
tsr_coder_dup_default_name (void)
{
  const char *real_name = g_get_real_name ();
  const char *user_name = g_get_user_name ();

  /* GLib says "Unknown" when the system has no real name. */
  if (real_name != NULL && real_name[0] != '\0' &&
      g_strcmp0 (real_name, "Unknown") != 0 && g_strcmp0 (real_name, "root") != 0)
    return g_strdup (real_name);
  if (user_name != NULL && user_name[0] != '\0' && g_strcmp0 (user_name, "root") != 0)
    return g_strdup (user_name);
  return NULL;
}

/* The project key under which the coder of this login on this machine is
 * remembered.  Per account, not per file: a project copied to a second
 * coder must not make them code silently under the first coder's name. */
static char *
dup_account_key (void)
{
  return g_strdup_printf ("coder:%s@%s", g_get_user_name (), g_get_host_name ());
}

static gint64
lookup_remembered_coder_id (TsrProject *self)
{
  g_autofree char *key = dup_account_key ();
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = _tsr_project_prepare (self, "SELECT c.id FROM project p JOIN coders c ON c.uuid = p.value"
                                     " WHERE p.key = ? AND c.is_consensus = 0", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (tsr_database_next_row (self->db, stmt))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/**
 * tsr_project_get_remembered_coder:
 *
 * Returns: (transfer full) (nullable): the coder remembered in the project
 *   file for this account, who codes whenever the project is opened here
 */
TsrCoder *
tsr_project_get_remembered_coder (TsrProject *self)
{
  gint64 id;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  id = lookup_remembered_coder_id (self);
  return id != 0 ? tsr_project_lookup_coder (self, id) : NULL;
}

static gboolean
remember_coder (TsrProject  *self,
                TsrCoder    *coder,
                GError     **error)
{
  g_autofree char *key = dup_account_key ();

  return _tsr_project_set_meta (self, key, tsr_entity_get_uuid (TSR_ENTITY (coder)), error);
}

/* Brings the current coder up to date after the coders or the remembered
 * coder changed (an edit, an undo, a redo): a newly remembered coder takes
 * over, a renamed one is read again, one taken away is no longer coding. */
void
_tsr_project_refresh_current_coder (TsrProject *self)
{
  gint64 remembered = self->db != NULL ? lookup_remembered_coder_id (self) : 0;
  gint64 old_id = self->current_coder ? tsr_entity_get_id (TSR_ENTITY (self->current_coder)) : 0;
  g_autofree char *old_name = self->current_coder ? g_strdup (self->current_coder->name) : NULL;
  gint64 id = old_id;

  if (self->db == NULL)
    return;

  if (remembered != self->remembered_coder_id)
    {
      self->remembered_coder_id = remembered;
      if (remembered != 0)
        {
          id = remembered;
          self->coder_confirmed = TRUE;
        }
    }

  g_clear_object (&self->current_coder);
  if (id != 0)
    self->current_coder = tsr_project_lookup_coder (self, id);
  if (self->current_coder == NULL)
    self->coder_confirmed = FALSE;

  if (id != old_id || self->current_coder == NULL ||
      g_strcmp0 (old_name, self->current_coder->name) != 0)
    _tsr_project_notify_current_coder (self);
}

/* The coder an edit is recorded under.  When nobody said who is coding,
 * a stand-in coder of its own (never someone else's identity, never the
 * login "root") takes the edit and waits, unconfirmed, for the name that
 * tsr_project_confirm_coder() gives it. */
gint64
_tsr_project_current_coder_id (TsrProject  *self,
                               GError     **error)
{
  if (!_tsr_project_add_pending_coder (self, error))
    return 0;
  if (self->current_coder == NULL)
    {
      g_autofree char *proposed = tsr_coder_dup_default_name ();
      g_autofree char *name = NULL;
      g_autoptr(TsrCoder) coder = NULL;

      if (proposed == NULL)
        proposed = g_strdup (_("Unnamed coder"));
      name = g_strdup (proposed);
      for (guint i = 2; (coder = tsr_project_find_coder (self, name)) != NULL; i++)
        {
          g_clear_object (&coder);
          g_free (name);
          /* TRANSLATORS: a coder's name made unique, "Unnamed coder 2" */
          name = g_strdup_printf (C_("coder name", "%s %u"), proposed, i);
        }
      coder = ensure_coder (self, name, FALSE, error);
      if (coder == NULL)
        return 0;
      self->stand_in_coder_id = tsr_entity_get_id (TSR_ENTITY (coder));
      take_new_coder (self, g_steal_pointer (&coder), FALSE);
    }
  return tsr_entity_get_id (TSR_ENTITY (self->current_coder));
}

static gboolean
check_coder_name_free (TsrProject  *self,
                       const char  *name,
                       gint64       except_id,
                       GError     **error)
{
  g_autoptr(TsrCoder) other = tsr_project_find_coder (self, name);

  if (other != NULL && tsr_entity_get_id (TSR_ENTITY (other)) != except_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   other->is_consensus ? _("“%s” is the name of the consensus coding")
                                       : _("“%s” is already the name of a coder in this project"),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* Gives the stand-in coder's edits to @target: every segment, memo,
 * document marked done and history entry, then removes the stand-in.
 * One undoable edit, so the history's changesets stay true to the rows
 * they describe. */
static gboolean
hand_over_stand_in (TsrProject  *self,
                    gint64       stand_in_id,
                    TsrCoder    *target,
                    GError     **error)
{
  gint64 target_id = tsr_entity_get_id (TSR_ENTITY (target));
  static const char * const moves[] = {
    "UPDATE segments SET coder_id = ?2 WHERE coder_id = ?1",
    "UPDATE memos SET coder_id = ?2 WHERE coder_id = ?1",
    "UPDATE resolutions SET resolved_by = ?2 WHERE resolved_by = ?1",
    /* A document both had marked done stays marked once. */
    "UPDATE OR IGNORE document_done SET coder_id = ?2 WHERE coder_id = ?1",
    "DELETE FROM document_done WHERE coder_id = ?1",
  };
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODERS | TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS | TSR_CHANGE_PROJECT |
                              TSR_CHANGE_DOCUMENTS,
                              "coder.choose", g_strdup_printf (_("Code as “%s”"), target->name), error))
    return FALSE;
  self->op_with_coders = TRUE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (moves); i++)
    {
      ok = (stmt = _tsr_project_prepare (self, moves[i], error)) != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, stand_in_id);
          sqlite3_bind_int64 (stmt, 2, target_id);
          ok = _tsr_project_run (self, stmt, error);
        }
    }
  /* The history is not an edit: its names follow without being recorded. */
  if (ok && (ok = (stmt = _tsr_project_prepare (self, "UPDATE history SET coder_id = ?2, coder_name = ?3"
                                                      " WHERE coder_id = ?1", error)) != NULL))
    {
      sqlite3_bind_int64 (stmt, 1, stand_in_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      sqlite3_bind_text (stmt, 3, target->name, -1, SQLITE_TRANSIENT);
      ok = _tsr_project_run (self, stmt, error);
    }
  ok = ok && _tsr_project_run_with_id (self, "DELETE FROM coders WHERE id = ?", stand_in_id, error);
  ok = ok && remember_coder (self, target, error);
  if (ok)
    {
      g_clear_object (&self->current_coder);
      self->current_coder = g_object_ref (target);
      self->coder_confirmed = TRUE;
      self->remembered_coder_id = target_id;
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_confirm_coder:
 * @name: who is coding
 *
 * Answers "who is coding?" for this account: makes @name the current
 * coder and remembers it in the project file, so that the question is
 * not asked again here.  When edits were already made under a stand-in
 * (see tsr_project_get_coder_confirmed()), they become @name's: the
 * stand-in is renamed, or, when @name is a coder the project already
 * has, its edits are handed over to them in one undoable step.
 * Otherwise the coder is found or added; choosing who codes is not an
 * edit of the data and is not undone.
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_confirm_coder (TsrProject  *self,
                           const char  *name,
                           GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(TsrCoder) existing = NULL;
  gint64 stand_in = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!_tsr_check_name (name, TSR_KIND_CODER, error))
    return NULL;
  clean = _tsr_clean_name (name);
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  if (self->current_coder != NULL && !self->coder_confirmed &&
      tsr_entity_get_id (TSR_ENTITY (self->current_coder)) == self->stand_in_coder_id)
    stand_in = self->stand_in_coder_id;

  existing = tsr_project_find_coder (self, clean);
  if (existing != NULL && existing->is_consensus)
    {
      check_coder_name_free (self, clean, 0, error);
      return NULL;
    }

  if (stand_in != 0 && existing != NULL && tsr_entity_get_id (TSR_ENTITY (existing)) != stand_in)
    {
      if (!hand_over_stand_in (self, stand_in, existing, error))
        return NULL;
      self->stand_in_coder_id = 0;
      _tsr_project_notify_current_coder (self);
      return g_object_ref (existing);
    }

  if (!tsr_database_begin (self->db, error))
    return NULL;
  if (stand_in != 0 && existing == NULL)
    {
      /* The stand-in was never anyone else: it takes the name, and its
       * history entries with it.  Its changesets do not hold coder names,
       * so they stay true. */
      sqlite3_stmt *stmt = _tsr_project_prepare (self, "UPDATE coders SET name = ? WHERE id = ?", error);
      gboolean ok = stmt != NULL;

      if (ok)
        {
          sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, stand_in);
          ok = _tsr_project_run (self, stmt, error);
        }
      if (ok && (ok = (stmt = _tsr_project_prepare (self, "UPDATE history SET coder_name = ? WHERE coder_id = ?", error)) != NULL))
        {
          sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, stand_in);
          ok = _tsr_project_run (self, stmt, error);
        }
      if (!ok)
        {
          tsr_database_rollback (self->db);
          return NULL;
        }
      existing = tsr_project_lookup_coder (self, stand_in);
    }
  else if (existing == NULL)
    {
      existing = ensure_coder (self, clean, FALSE, error);
      if (existing == NULL)
        {
          tsr_database_rollback (self->db);
          return NULL;
        }
    }
  if (!remember_coder (self, existing, error))
    {
      tsr_database_rollback (self->db);
      return NULL;
    }
  if (!tsr_database_commit (self->db, error))
    return NULL;

  g_clear_object (&self->current_coder);
  self->current_coder = g_object_ref (existing);
  self->coder_confirmed = TRUE;
  self->stand_in_coder_id = 0;
  self->remembered_coder_id = tsr_entity_get_id (TSR_ENTITY (existing));
  _tsr_project_notify_current_coder (self);
  if (self->op_depth == 0)
    _tsr_project_notify_changes (self, TSR_CHANGE_CODERS);
  return g_steal_pointer (&existing);
}

/**
 * tsr_project_rename_coder:
 * @id: the coder
 * @name: their new name
 *
 * Renames a coder: the same identity, with all their coding and memos.
 * An undoable edit.
 */
gboolean
tsr_project_rename_coder (TsrProject  *self,
                          gint64       id,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_check_name (name, TSR_KIND_CODER, error))
    return FALSE;
  clean = _tsr_clean_name (name);
  if ((coder = tsr_project_lookup_coder (self, id)) == NULL)
    {
      _tsr_not_found (error, TSR_KIND_CODER, id);
      return FALSE;
    }
  if (g_strcmp0 (coder->name, clean) == 0)
    return TRUE;
  if (!check_coder_name_free (self, clean, id, error))
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODERS, "coder.rename",
                              g_strdup_printf (_("Rename coder “%s” to “%s”"), coder->name, clean), error))
    return FALSE;
  self->op_with_coders = TRUE;
  ok = (stmt = _tsr_project_prepare (self, "UPDATE coders SET name = ? WHERE id = ?", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, id);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_switch_coder:
 * @name: who codes from now on
 *
 * Starts coding as another coder — a new one, or one the project already
 * has — and remembers them for this account.  Everyone's coding so far
 * stays theirs.  An undoable edit: undoing it goes back to the coder
 * before (and takes away the coder it added).
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_switch_coder (TsrProject  *self,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *clean = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!_tsr_check_name (name, TSR_KIND_CODER, error))
    return NULL;
  clean = _tsr_clean_name (name);
  coder = tsr_project_find_coder (self, clean);
  if (coder != NULL && coder->is_consensus)
    {
      check_coder_name_free (self, clean, 0, error);
      return NULL;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODERS | TSR_CHANGE_PROJECT, "coder.switch",
                              g_strdup_printf (_("Code as “%s”"), clean), error))
    return NULL;
  self->op_with_coders = TRUE;
  if (coder == NULL)
    coder = ensure_coder (self, clean, FALSE, error);
  ok = coder != NULL && remember_coder (self, coder, error);
  if (ok)
    {
      /* The history entry names the coder who starts. */
      g_clear_object (&self->current_coder);
      self->current_coder = g_object_ref (coder);
      self->coder_confirmed = TRUE;
      self->stand_in_coder_id = 0;
    }
  if (!_tsr_project_op_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&coder);
}
