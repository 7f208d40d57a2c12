/* tsr-project-done.c — which coder has finished coding which document
 *
 * A coder marks a document as done (coded) once they have applied every
 * code they mean to apply in it.  The mark is what lets agreement tell a
 * code judged absent from a document not yet coded: it compares the
 * documents both coders marked done (see tsr-agreement.c).  Marking and
 * unmarking are edits like any other — one undoable step, however many
 * documents — recorded under the coder who marks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static char *
describe_marking (TsrProject    *self,
                  const gint64  *document_ids,
                  guint          n_documents,
                  gboolean       done)
{
  if (n_documents == 1)
    {
      g_autoptr(TsrDocument) document = tsr_project_lookup_document (self, document_ids[0]);
      const char *name = document ? tsr_document_get_name (document) : "";

      return done ? g_strdup_printf (_("Mark “%s” as done"), name)
                  : g_strdup_printf (_("Mark “%s” as not done"), name);
    }
  return g_strdup_printf (done ? g_dngettext (GETTEXT_PACKAGE, "Mark %u document as done",
                                              "Mark %u documents as done", n_documents)
                               : g_dngettext (GETTEXT_PACKAGE, "Mark %u document as not done",
                                              "Mark %u documents as not done", n_documents),
                          n_documents);
}

/**
 * tsr_project_set_documents_done:
 * @coder_id: whose mark, or 0 for the current coder (added by this edit
 *   when they are not in the project yet)
 * @document_ids: (array length=n_documents): the documents
 * @done: %TRUE to mark them done, %FALSE to take the mark away
 *
 * Marks documents as coded (done) by a coder, or no longer done, as one
 * undoable edit.  A document already in that state stays as it is; when
 * none changes, nothing is recorded.  Every document is checked before
 * anything is written.
 *
 * Returns: %FALSE with @error set when a document or the coder does not
 *   exist, or the edit failed (and then nothing changed)
 */
gboolean
tsr_project_set_documents_done (TsrProject    *self,
                                gint64         coder_id,
                                const gint64  *document_ids,
                                guint          n_documents,
                                gboolean       done,
                                GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (document_ids != NULL || n_documents == 0, FALSE);

  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }
  for (guint i = 0; i < n_documents; i++)
    if (!_tsr_project_row_exists (self, "documents", document_ids[i]))
      {
        _tsr_not_found (error, TSR_KIND_DOCUMENT, document_ids[i]);
        return FALSE;
      }
  if (coder_id != 0 && !_tsr_project_row_exists (self, "coders", coder_id))
    {
      _tsr_not_found (error, TSR_KIND_CODER, coder_id);
      return FALSE;
    }
  if (n_documents == 0)
    return TRUE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_DOCUMENTS, done ? "document.done" : "document.undone",
                              describe_marking (self, document_ids, n_documents, done), error))
    return FALSE;
  if (coder_id == 0 && (coder_id = _tsr_project_current_coder_id (self, error)) == 0)
    return _tsr_project_op_end (self, FALSE, NULL);

  for (guint i = 0; ok && i < n_documents; i++)
    {
      stmt = _tsr_project_prepare (self, done ? "INSERT OR IGNORE INTO document_done (document_id, coder_id, time)"
                                                " VALUES (?, ?, ?)"
                                              : "DELETE FROM document_done WHERE document_id = ? AND coder_id = ?",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, document_ids[i]);
          sqlite3_bind_int64 (stmt, 2, coder_id);
          if (done)
            sqlite3_bind_int64 (stmt, 3, _tsr_now_us ());
          ok = _tsr_project_run (self, stmt, error);
        }
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_get_document_done:
 * @coder_id: a coder, or 0 for the current coder
 *
 * Returns: whether @coder_id marked @document_id as done (%FALSE when
 *   there is no current coder yet)
 */
gboolean
tsr_project_get_document_done (TsrProject *self,
                               gint64      document_id,
                               gint64      coder_id)
{
  sqlite3_stmt *stmt;
  gboolean done;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (coder_id == 0)
    coder_id = self->current_coder ? tsr_entity_get_id (TSR_ENTITY (self->current_coder)) : 0;
  if (coder_id == 0 || self->db == NULL)
    return FALSE;
  stmt = _tsr_project_prepare (self, "SELECT 1 FROM document_done WHERE document_id = ? AND coder_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, coder_id);
  done = tsr_database_next_row (self->db, stmt);
  sqlite3_reset (stmt);
  return done;
}

/**
 * tsr_project_get_done_documents:
 * @coder_id: a coder, or 0 for the current coder
 *
 * Returns: (transfer full) (element-type gint64): the documents
 *   @coder_id marked as done, in document order
 */
GArray *
tsr_project_get_done_documents (TsrProject *self,
                                gint64      coder_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (coder_id == 0)
    coder_id = self->current_coder ? tsr_entity_get_id (TSR_ENTITY (self->current_coder)) : 0;
  if (coder_id == 0 || self->db == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));
  return _tsr_project_list_ids (self, "SELECT d.id FROM document_done x JOIN documents d ON d.id = x.document_id"
                                      " WHERE x.coder_id = ? ORDER BY d.position, d.id", coder_id, 0);
}

/**
 * tsr_project_get_document_done_coders:
 *
 * Returns: (transfer full) (element-type gint64): the coders who marked
 *   @document_id as done, in coder order
 */
GArray *
tsr_project_get_document_done_coders (TsrProject *self,
                                      gint64      document_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (self->db == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));
  return _tsr_project_list_ids (self, "SELECT coder_id FROM document_done WHERE document_id = ? ORDER BY coder_id",
                                document_id, 0);
}
