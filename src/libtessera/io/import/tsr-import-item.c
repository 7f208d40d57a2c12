/* tsr-import-item.c — one file of an import
 *
 * A TsrImportItem is a file being imported: its format, the spreadsheet
 * choices (sheet, text and name columns), and what reading it prepared —
 * the documents, with their names, texts and hashes — for the commit step
 * in tsr-import.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-import-item-private.h"
#include "tsr-project-private.h"
#include "tsr-text-import.h"

/* How long a document name taken from a spreadsheet cell may be. */
#define MAX_NAME_CHARS 200

/* Items ------------------------------------------------------------------- */

static void
prepared_document_free (gpointer data)
{
  PreparedDocument *d = data;

  g_free (d->name);
  g_free (d->text);
  g_free (d->hash);
  g_free (d->duplicate_of);
  g_free (d);
}

G_DEFINE_FINAL_TYPE (TsrImportItem, tsr_import_item, G_TYPE_OBJECT)

static void
tsr_import_item_finalize (GObject *object)
{
  TsrImportItem *self = TSR_IMPORT_ITEM (object);

  g_clear_object (&self->file);
  g_free (self->display_name);
  g_clear_error (&self->error);
  g_free (self->sheet);
  g_free (self->text_column_name);
  g_free (self->id_column_name);
  g_ptr_array_unref (self->documents);
  g_clear_object (&self->table);

  G_OBJECT_CLASS (tsr_import_item_parent_class)->finalize (object);
}

static void
tsr_import_item_class_init (TsrImportItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_import_item_finalize;
}

static void
tsr_import_item_init (TsrImportItem *self)
{
  self->documents = g_ptr_array_new_with_free_func (prepared_document_free);
  self->text_column = -1;
  self->id_column = -1;
  self->used_text_column = -1;
  self->used_id_column = -1;
}

GFile *
tsr_import_item_get_file (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->file;
}

const char *
tsr_import_item_get_display_name (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->display_name;
}

TsrImportFormat
tsr_import_item_get_format (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), TSR_IMPORT_FORMAT_UNKNOWN);
  return self->format;
}

TsrImportStatus
tsr_import_item_get_status (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), TSR_IMPORT_PENDING);
  return self->status;
}

/**
 * tsr_import_item_get_error:
 *
 * Returns: (nullable) (transfer none): why the file was not imported
 */
const GError *
tsr_import_item_get_error (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->error;
}

guint
_tsr_import_item_count_documents (TsrImportItem *self,
                                  gboolean       imported,
                                  gboolean       duplicate)
{
  guint n = 0;

  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if ((imported && d->imported) || (duplicate && d->duplicate && !d->imported))
        n++;
    }
  return n;
}

/**
 * tsr_import_item_get_n_imported:
 *
 * Returns: how many documents the file gave (one, or one per row)
 */
guint
tsr_import_item_get_n_imported (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return _tsr_import_item_count_documents (self, TRUE, FALSE);
}

/**
 * tsr_import_item_get_n_duplicates:
 *
 * Returns: how many of its documents were left out as duplicates
 */
guint
tsr_import_item_get_n_duplicates (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return _tsr_import_item_count_documents (self, FALSE, TRUE);
}

/**
 * tsr_import_item_get_n_skipped_rows:
 *
 * Returns: for a spreadsheet, the rows left out for having no text in
 *   the text column
 */
guint
tsr_import_item_get_n_skipped_rows (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return self->n_skipped_rows;
}

/**
 * tsr_import_item_get_document_ids:
 *
 * Returns: (transfer full) (element-type gint64): the documents it added
 */
GArray *
tsr_import_item_get_document_ids (TsrImportItem *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), ids);
  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if (d->imported)
        g_array_append_val (ids, d->id);
    }
  return ids;
}

/**
 * tsr_import_item_get_duplicate_of:
 *
 * Returns: (nullable): for a duplicate, the name of the document it
 *   repeats
 */
const char *
tsr_import_item_get_duplicate_of (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if (d->duplicate && !d->imported)
        return d->duplicate_of;
    }
  return NULL;
}

/**
 * tsr_import_item_get_text_column:
 *
 * Returns: (nullable): for a spreadsheet read, the header of the column
 *   its documents' text came from
 */
const char *
tsr_import_item_get_text_column (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  if (self->table == NULL || self->used_text_column < 0)
    return NULL;
  return tsr_import_table_get_header (self->table, self->used_text_column);
}

/**
 * tsr_import_item_set_columns:
 * @text_column: the column holding the text, or -1 to guess it
 * @id_column: the column naming each document, or -1 for "Row N"
 *
 * Until columns are set, the text column is guessed and so is the one
 * naming the documents (a column headed "id" or "identifier").
 */
void
tsr_import_item_set_columns (TsrImportItem *self,
                             gint           text_column,
                             gint           id_column)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  self->text_column = text_column;
  self->id_column = id_column;
  self->row_numbers = id_column < 0;
  g_clear_pointer (&self->text_column_name, g_free);
  g_clear_pointer (&self->id_column_name, g_free);
}

/**
 * tsr_import_item_set_column_names:
 * @text_column: (nullable): a header or a column number from 1; %NULL to
 *   guess
 * @id_column: (nullable): a header or a column number, or %NULL to guess
 *   (a column headed "id" or "identifier", else "Row N")
 */
void
tsr_import_item_set_column_names (TsrImportItem *self,
                                  const char    *text_column,
                                  const char    *id_column)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  g_free (self->text_column_name);
  g_free (self->id_column_name);
  self->text_column_name = g_strdup (text_column);
  self->id_column_name = g_strdup (id_column);
  self->text_column = -1;
  self->id_column = -1;
  self->row_numbers = FALSE;
}

void
tsr_import_item_set_sheet (TsrImportItem *self,
                           const char    *sheet)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  g_free (self->sheet);
  self->sheet = g_strdup (sheet);
}

/**
 * tsr_import_item_describe:
 *
 * Returns: (transfer full): one sentence on what happened to the file,
 *   for a summary
 */
char *
tsr_import_item_describe (TsrImportItem *self)
{
  guint n_imported, n_duplicates;
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean table;

  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);

  n_imported = tsr_import_item_get_n_imported (self);
  n_duplicates = tsr_import_item_get_n_duplicates (self);
  table = self->table != NULL;

  switch (self->status)
    {
    case TSR_IMPORT_PENDING:
      return g_strdup (_("Not read yet"));

    case TSR_IMPORT_READY:
      if (table)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row ready to import",
                                             "%u rows ready to import", self->documents->len),
                                self->documents->len);
      return g_strdup_printf (_("Ready to import (%s)"), tsr_import_format_get_name (self->format));

    case TSR_IMPORT_FAILED:
      return g_strdup (self->error ? self->error->message : _("Not imported"));

    case TSR_IMPORT_DUPLICATE:
      if (table)
        return g_strdup (_("Every row is already in the project; nothing was imported"));
      return g_strdup_printf (_("Not imported: the same text is already in “%s”"),
                              tsr_import_item_get_duplicate_of (self));

    case TSR_IMPORT_IMPORTED:
    default:
      if (table)
        {
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                  "Imported %u row from the column “%s”",
                                                  "Imported %u rows from the column “%s”",
                                                  n_imported),
                                  n_imported, tsr_import_item_get_text_column (self));
          if (self->n_skipped_rows > 0)
            g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                    "; %u row without text left out",
                                                    "; %u rows without text left out",
                                                    self->n_skipped_rows),
                                    self->n_skipped_rows);
          if (n_duplicates > 0)
            g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                    "; %u row already in the project left out",
                                                    "; %u rows already in the project left out",
                                                    n_duplicates),
                                    n_duplicates);
          return g_string_free (g_steal_pointer (&s), FALSE);
        }
      {
        PreparedDocument *d = self->documents->len > 0 ? self->documents->pdata[0] : NULL;

        return g_strdup_printf (_("Imported as “%s” · %s"), d ? d->name : "",
                                tsr_import_format_get_name (self->format));
      }
    }
}

void
_tsr_import_item_fail (TsrImportItem *self,
                       GError        *error)   /* owned */
{
  g_clear_error (&self->error);
  self->error = error;
  self->status = TSR_IMPORT_FAILED;
}

static char *
document_name_from_file (const char *basename)
{
  const char *dot = strrchr (basename, '.');

  if (dot != NULL && dot != basename)
    return g_strndup (basename, dot - basename);
  return g_strdup (basename);
}

static char *
hash_text (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* A name from a cell: one line, trimmed, not too long. */
static char *
name_from_cell (const char *cell)
{
  g_autofree char *flat = g_strdup (cell);
  glong n;

  g_strdelimit (flat, "\t\n", ' ');
  g_strstrip (flat);
  n = g_utf8_strlen (flat, -1);
  if (n > MAX_NAME_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (flat, MAX_NAME_CHARS);

      *end = '\0';
    }
  return g_steal_pointer (&flat);
}

static gboolean
resolve_column (TsrImportItem   *self,
                const char      *name,
                gint             index,
                gint            *out,
                const char      *what,
                GError         **error)
{
  guint n = tsr_import_table_get_n_columns (self->table);

  if (name != NULL)
    {
      *out = tsr_import_table_find_column (self->table, name);
      if (*out < 0)
        {
          g_autoptr(GString) headers = g_string_new (NULL);

          for (guint c = 0; c < n; c++)
            g_string_append_printf (headers, c == 0 ? "“%s”" : ", “%s”",
                                    tsr_import_table_get_header (self->table, c));
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The spreadsheet “%s” has no column “%s” for the %s; its columns are %s"),
                       self->display_name, name, what, headers->str);
          return FALSE;
        }
      return TRUE;
    }
  if (index >= (gint) n)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The spreadsheet “%s” has no column %d for the %s"),
                   self->display_name, index + 1, what);
      return FALSE;
    }
  *out = index;
  return TRUE;
}

static void
read_table_item (TsrImportItem *self,
                 GBytes        *bytes,
                 GCancellable  *cancellable)
{
  GError *error = NULL;
  gint text_column = -1, id_column = -1;

  self->table = _tsr_import_extract_table (bytes, self->display_name, self->sheet, &self->format,
                                           cancellable, &error);
  if (self->table == NULL)
    {
      _tsr_import_item_fail (self, error);
      return;
    }

  if (!resolve_column (self, self->text_column_name, self->text_column, &text_column,
                       _("text"), &error))
    {
      _tsr_import_item_fail (self, error);
      return;
    }
  if (text_column < 0)
    text_column = tsr_import_table_guess_text_column (self->table);
  if ((self->id_column_name != NULL || self->id_column >= 0) &&
      !resolve_column (self, self->id_column_name, self->id_column, &id_column,
                       _("document names"), &error))
    {
      _tsr_import_item_fail (self, error);
      return;
    }
  /* A survey's respondent id names its answers better than a row number. */
  if (id_column < 0 && self->id_column_name == NULL && !self->row_numbers)
    id_column = tsr_import_table_guess_id_column (self->table);
  if (id_column == text_column)
    id_column = -1;
  self->used_text_column = text_column;
  self->used_id_column = id_column;

  for (guint r = 0; r < tsr_import_table_get_n_rows (self->table); r++)
    {
      g_autofree char *text = g_strdup (tsr_import_table_get_cell (self->table, r, text_column));
      PreparedDocument *d;

      g_strstrip (text);
      if (_tsr_import_is_blank_text (text))
        {
          self->n_skipped_rows++;
          continue;
        }

      d = g_new0 (PreparedDocument, 1);
      d->row = r;
      if (id_column >= 0)
        d->name = name_from_cell (tsr_import_table_get_cell (self->table, r, id_column));
      if (d->name == NULL || *d->name == '\0')
        {
          g_free (d->name);
          d->name = g_strdup_printf (_("Row %u"), tsr_import_table_get_row_number (self->table, r));
        }
      d->text = g_steal_pointer (&text);
      d->hash = hash_text (d->text);
      g_ptr_array_add (self->documents, d);
    }

  if (self->documents->len == 0)
    {
      _tsr_import_item_fail (self, g_error_new (TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                                    _("The spreadsheet “%s” has no text in the column “%s”"),
                                    self->display_name,
                                    tsr_import_table_get_header (self->table, text_column)));
      return;
    }
  self->status = TSR_IMPORT_READY;
}

/* Reads the file; runs in any thread. */
gboolean
_tsr_import_item_read (TsrImportItem *self,
                       GCancellable  *cancellable,
                       GError       **cancel_error)
{
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  PreparedDocument *d;
  char *text;

  g_ptr_array_set_size (self->documents, 0);
  g_clear_object (&self->table);
  self->n_skipped_rows = 0;

  bytes = _tsr_import_load_file (self->file, self->display_name, cancellable, &error);
  if (bytes == NULL)
    goto failed;

  self->format = tsr_import_sniff (bytes, self->display_name);
  if (tsr_import_format_is_table (self->format))
    read_table_item (self, bytes, cancellable);
  else
    {
      text = _tsr_import_extract_text (bytes, self->display_name, &self->format, cancellable, &error);
      if (text == NULL)
        goto failed;
      d = g_new0 (PreparedDocument, 1);
      d->name = document_name_from_file (self->display_name);
      d->text = text;
      d->hash = hash_text (text);
      g_ptr_array_add (self->documents, d);
      self->status = TSR_IMPORT_READY;
    }

  if (self->status == TSR_IMPORT_FAILED &&
      g_error_matches (self->error, TSR_ERROR, TSR_ERROR_CANCELLED))
    {
      g_propagate_error (cancel_error, g_steal_pointer (&self->error));
      self->status = TSR_IMPORT_PENDING;
      return FALSE;
    }
  return TRUE;

failed:
  if (g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (cancel_error, TSR_ERROR, TSR_ERROR_CANCELLED,
                           _("The import was cancelled"));
      self->status = TSR_IMPORT_PENDING;
      return FALSE;
    }
  _tsr_import_item_fail (self, error);
  return TRUE;
}
