/* tsr-project-documents.c — documents: adding, importing, renaming, deleting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-import.h"
#include "tsr-project-internal.h"
#include "tsr-text-import.h"

static GPtrArray *
load_documents (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT " DOCUMENT_COLUMNS " FROM documents ORDER BY position, id",
                                 FALSE, 0, (RowReader) _tsr_read_document, error);
}

/**
 * tsr_project_get_documents:
 *
 * Returns: (transfer full): a live list of every #TsrDocument, in order
 */
GListModel *
tsr_project_get_documents (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "documents", 0, TSR_TYPE_DOCUMENT, load_documents, TSR_CHANGE_DOCUMENTS);
}

guint
tsr_project_get_n_documents (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  return _tsr_project_query_int (self, "SELECT count(*) FROM documents", 0, 0);
}

/**
 * tsr_project_lookup_document:
 *
 * Returns: (transfer full) (nullable): the document
 */
TsrDocument *
tsr_project_lookup_document (TsrProject *self,
                             gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE id = ?", id, NULL,
                                  (RowReader) _tsr_read_document);
}

/**
 * tsr_project_find_document:
 *
 * Returns: (transfer full) (nullable): the first document of that name
 */
TsrDocument *
tsr_project_find_document (TsrProject *self,
                           const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE name = ? ORDER BY position LIMIT 1",
                                  0, name, (RowReader) _tsr_read_document);
}

/**
 * tsr_project_find_document_by_hash:
 *
 * Returns: (transfer full) (nullable): a document with that text
 */
TsrDocument *
tsr_project_find_document_by_hash (TsrProject *self,
                                   const char *content_hash)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE content_hash = ? ORDER BY position LIMIT 1",
                                  0, content_hash, (RowReader) _tsr_read_document);
}

/**
 * tsr_project_get_document_text:
 *
 * Returns: (transfer full): the document's text, or %NULL with @error set
 */
char *
tsr_project_get_document_text (TsrProject  *self,
                               gint64       id,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = _tsr_project_prepare (self, "SELECT text FROM document_texts WHERE document_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (tsr_database_next_row (self->db, stmt))
    text = _tsr_dup_column (stmt, 0);
  sqlite3_reset (stmt);

  if (text == NULL)
    _tsr_not_found (error, TSR_KIND_DOCUMENT, id);
  return text;
}

static char *
content_hash (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/**
 * tsr_project_add_document:
 * @name: the document's name
 * @text: its text: valid UTF-8 with `\n` line ends
 * @source: (nullable): where it came from (a path), for the record
 *
 * Adds a document at the end of the list.
 *
 * Returns: the new document's id, or 0 with @error set
 */
gint64
tsr_project_add_document (TsrProject  *self,
                          const char  *name,
                          const char  *text,
                          const char  *source,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  if (!_tsr_check_name (name, TSR_KIND_DOCUMENT, error))
    return 0;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The text of “%s” is not valid UTF-8"), name);
      return 0;
    }
  if (strchr (text, '\r') != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The text of “%s” has carriage returns; line ends must be normalised"), name);
      return 0;
    }

  clean = _tsr_clean_name (name);
  uuid = g_uuid_string_random ();
  hash = content_hash (text);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_DOCUMENTS, "document.import",
                              g_strdup_printf (_("Import “%s”"), clean), error))
    return 0;

  stmt = _tsr_project_prepare (self, "INSERT INTO documents (uuid, name, source, content_hash, length, position, created)"
                                     " VALUES (?, ?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM documents), ?)",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, source ? source : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, g_utf8_strlen (text, -1));
      sqlite3_bind_int64 (stmt, 6, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (ok)
    {
      stmt = _tsr_project_prepare (self, "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
          ok = _tsr_project_run (self, stmt, error);
        }
    }

  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

static gboolean
importable_name (const char *basename)
{
  const char *dot = strrchr (basename, '.');
  static const char * const extensions[] = { ".txt", ".text", ".md", ".markdown", NULL };

  if (dot == NULL)
    return TRUE;
  for (guint i = 0; extensions[i]; i++)
    if (g_ascii_strcasecmp (dot, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tsr_project_import_file:
 * @file: a plain-text or Markdown file
 *
 * Reads, decodes and adds a file as a document named after it.  A file
 * that cannot be read, is empty or is not text is refused with an error
 * naming it, and the project is left unchanged.
 *
 * Returns: the new document's id, or 0 with @error set
 */
gint64
tsr_project_import_file (TsrProject    *self,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  goffset size = 0;
  gsize length = 0;
  const char *dot;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (G_IS_FILE (file), 0);

  basename = g_file_get_basename (file);
  path = g_file_get_path (file);

  if (!importable_name (basename))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("Tessera cannot import “%s”: only plain text (.txt) and Markdown (.md) files can be imported"),
                   basename);
      return 0;
    }

  /* A pipe, a device or a folder is refused before it is read, and so
   * is a file over the limit. */
  if (!(stream = tsr_import_open_file (file, &size, cancellable, error)))
    return 0;
  if (size > (goffset) TSR_IMPORT_MAX_FILE_BYTES)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED, _("The file “%s” is too large to import"), basename);
      return 0;
    }
  contents = g_malloc ((gsize) size + 1);
  if (!g_input_stream_read_all (stream, contents, (gsize) size, &length, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                     _("The file “%s” cannot be read: %s"), basename, local_error->message);
      return 0;
    }
  contents[length] = '\0';

  text = tsr_decode_text (contents, length, basename, error);
  if (text == NULL)
    return 0;

  dot = strrchr (basename, '.');
  name = dot && dot != basename ? g_strndup (basename, dot - basename) : g_strdup (basename);

  return tsr_project_add_document (self, name, text, path ? path : basename, error);
}

gboolean
tsr_project_rename_document (TsrProject  *self,
                             gint64       id,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_check_name (name, TSR_KIND_DOCUMENT, error))
    return FALSE;
  clean = _tsr_clean_name (name);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_DOCUMENTS, "document.rename",
                              g_strdup_printf (_("Rename document to “%s”"), clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE documents SET name = ? WHERE id = ?",
                                                               id, clean, 0, TSR_KIND_DOCUMENT, error), error);
}

gboolean
tsr_project_set_document_read (TsrProject  *self,
                               gint64       id,
                               gboolean     read,
                               GError     **error)
{
  g_autoptr(TsrDocument) doc = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  doc = _tsr_project_require_document (self, id, error);
  if (doc == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_DOCUMENTS, read ? "document.read" : "document.unread",
                              read ? g_strdup_printf (_("Mark “%s” as read"), doc->name)
                                   : g_strdup_printf (_("Mark “%s” as unread"), doc->name),
                              error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE documents SET is_read = ? WHERE id = ?",
                                                               id, NULL, read ? 1 : 0, TSR_KIND_DOCUMENT, error), error);
}

gboolean
tsr_project_delete_document (TsrProject  *self,
                             gint64       id,
                             GError     **error)
{
  g_autoptr(TsrDocument) doc = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  doc = _tsr_project_require_document (self, id, error);
  if (doc == NULL)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_DOCUMENTS | TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS |
                              TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES,
                              "document.delete", g_strdup_printf (_("Delete document “%s”"), doc->name), error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM documents WHERE id = ?", id, error);
  return _tsr_project_op_end (self, ok, error);
}
