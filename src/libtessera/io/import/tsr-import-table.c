/* tsr-import-table.c — survey spreadsheets, read but not yet imported
 *
 * A CSV or XLSX file becomes a table: a header row, data rows, and for
 * each column the attribute type its values fit.  The import dialog
 * shows the first rows and the types; the importer then makes one
 * document per row from the column the researcher picks.
 *
 * Type inference is strict so that no value is ever changed by being
 * typed: "007" stays text (a whole number would drop the zeros), "1.50"
 * is a real, and one value that does not fit makes the column text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

/* Excel's widest sheet. */
#define MAX_COLUMNS 16384

struct _TsrImportTable
{
  GObject     parent_instance;

  char       *display_name;
  GPtrArray  *headers;        /* of char* */
  GPtrArray  *rows;           /* of GStrv, n_columns long once finished */
  GArray     *row_numbers;    /* of guint */
  GArray     *types;          /* of TsrAttributeType */
  guint       n_columns;
  gboolean    finished;
  GStrv       sheets;
  char       *sheet;
};

G_DEFINE_FINAL_TYPE (TsrImportTable, tsr_import_table, G_TYPE_OBJECT)

static void
tsr_import_table_finalize (GObject *object)
{
  TsrImportTable *self = TSR_IMPORT_TABLE (object);

  g_free (self->display_name);
  g_ptr_array_unref (self->headers);
  g_ptr_array_unref (self->rows);
  g_array_unref (self->row_numbers);
  g_array_unref (self->types);
  g_strfreev (self->sheets);
  g_free (self->sheet);

  G_OBJECT_CLASS (tsr_import_table_parent_class)->finalize (object);
}

static void
tsr_import_table_class_init (TsrImportTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_import_table_finalize;
}

static void
tsr_import_table_init (TsrImportTable *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->row_numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  self->types = g_array_new (FALSE, FALSE, sizeof (TsrAttributeType));
}

TsrImportTable *
tsr_import_table_new (const char *display_name)
{
  TsrImportTable *self = g_object_new (TSR_TYPE_IMPORT_TABLE, NULL);

  self->display_name = g_strdup (display_name);
  return self;
}

/* Cells hold text as a person typed it; control characters other than
 * tab and line feed, and CR line ends, have no place in a document. */
static char *
clean_cell (const char *cell)
{
  GString *s;

  if (cell == NULL)
    return g_strdup ("");
  s = g_string_sized_new (strlen (cell));
  for (const char *p = cell; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\r')
        {
          if (p[1] != '\n')
            g_string_append_c (s, '\n');
        }
      else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
        continue;
      else
        g_string_append_c (s, (char) c);
    }
  if (!g_utf8_validate_len (s->str, s->len, NULL))
    {
      char *valid = g_utf8_make_valid (s->str, s->len);

      g_string_free (s, TRUE);
      return valid;
    }
  return g_string_free (s, FALSE);
}

/**
 * tsr_import_table_add_row:
 * @cells: (transfer full): the row's cells
 *
 * Adds the header row (the first call) or a data row.
 */
gboolean
tsr_import_table_add_row (TsrImportTable  *self,
                          char           **cells,
                          guint            row_number,
                          GError         **error)
{
  g_auto(GStrv) owned = cells;
  guint n = owned ? g_strv_length (owned) : 0;
  char **row;

  g_return_val_if_fail (!self->finished, FALSE);

  if (n > MAX_COLUMNS)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The spreadsheet “%s” has more than %u columns"),
                   self->display_name, MAX_COLUMNS);
      return FALSE;
    }

  row = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    row[i] = clean_cell (owned[i]);

  if (self->headers->len == 0 && self->rows->len == 0 && self->n_columns == 0)
    {
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (self->headers, g_strstrip (g_steal_pointer (&row[i])));
      g_free (row);
      self->n_columns = MAX (n, 1);
      return TRUE;
    }

  g_ptr_array_add (self->rows, row);
  g_array_append_val (self->row_numbers, row_number);
  self->n_columns = MAX (self->n_columns, n);
  return TRUE;
}

static gboolean
is_integer (const char *s)
{
  const char *p = s;
  char *end = NULL;

  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  /* Leading zeros are part of an identifier, not of a number. */
  if (p[0] == '0' && p[1] != '\0')
    return FALSE;
  for (const char *q = p; *q; q++)
    if (!g_ascii_isdigit (*q))
      return FALSE;
  errno = 0;
  g_ascii_strtoll (s, &end, 10);
  return errno == 0 && *end == '\0';
}

static gboolean
is_real (const char *s)
{
  const char *p = s;
  gboolean digits = FALSE;
  char *end = NULL;
  double d;

  if (*p == '+' || *p == '-')
    p++;
  if (p[0] == '0' && g_ascii_isdigit (p[1]))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;
  d = g_ascii_strtod (s, &end);
  return *end == '\0' && isfinite (d);
}

static gboolean
is_boolean (const char *s)
{
  return g_ascii_strcasecmp (s, "true") == 0 || g_ascii_strcasecmp (s, "false") == 0 ||
         g_ascii_strcasecmp (s, "yes") == 0 || g_ascii_strcasecmp (s, "no") == 0;
}

static gboolean
is_date (const char *s)
{
  guint y, m, d;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  y = atoi (s);
  m = atoi (s + 5);
  d = atoi (s + 8);
  return y >= 1 && g_date_valid_dmy (d, m, y);
}

/**
 * tsr_import_infer_value_type:
 * @value: a non-empty value, trimmed
 *
 * Returns: the narrowest type @value fits
 */
TsrAttributeType
tsr_import_infer_value_type (const char *value)
{
  if (is_integer (value))
    return TSR_ATTRIBUTE_INTEGER;
  if (is_real (value))
    return TSR_ATTRIBUTE_REAL;
  if (is_boolean (value))
    return TSR_ATTRIBUTE_BOOLEAN;
  if (is_date (value))
    return TSR_ATTRIBUTE_DATE;
  return TSR_ATTRIBUTE_TEXT;
}

static TsrAttributeType
infer_column (TsrImportTable *self,
              guint           column)
{
  gboolean any = FALSE;
  gboolean integer = TRUE, real = TRUE, boolean = TRUE, date = TRUE;

  for (guint r = 0; r < self->rows->len; r++)
    {
      g_autofree char *value = g_strstrip (g_strdup (((char **) self->rows->pdata[r])[column]));

      if (*value == '\0')
        continue;
      any = TRUE;
      integer = integer && is_integer (value);
      real = real && (is_real (value));
      boolean = boolean && is_boolean (value);
      date = date && is_date (value);
      if (!integer && !real && !boolean && !date)
        return TSR_ATTRIBUTE_TEXT;
    }

  if (!any)
    return TSR_ATTRIBUTE_TEXT;
  if (integer)
    return TSR_ATTRIBUTE_INTEGER;
  if (real)
    return TSR_ATTRIBUTE_REAL;
  if (boolean)
    return TSR_ATTRIBUTE_BOOLEAN;
  return TSR_ATTRIBUTE_DATE;
}

/**
 * tsr_import_table_finish:
 *
 * Names every column (an empty header becomes "Column N", a repeated one
 * "Name (2)"), pads short rows and infers the column types.
 */
gboolean
tsr_import_table_finish (TsrImportTable  *self,
                         GError         **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (!self->finished, FALSE);

  if (self->headers->len == 0 && self->n_columns == 0)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The spreadsheet “%s” is empty"), self->display_name);
      return FALSE;
    }
  if (self->rows->len == 0)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The spreadsheet “%s” has a header row but no rows below it"),
                   self->display_name);
      return FALSE;
    }

  while (self->headers->len < self->n_columns)
    g_ptr_array_add (self->headers, g_strdup (""));
  for (guint c = 0; c < self->n_columns; c++)
    {
      char *header = self->headers->pdata[c];
      g_autofree char *folded = NULL;

      if (*header == '\0')
        {
          g_free (header);
          header = self->headers->pdata[c] = g_strdup_printf (_("Column %u"), c + 1);
        }
      /* Names of attributes are one line. */
      g_strdelimit (header, "\t\n", ' ');

      folded = g_utf8_casefold (header, -1);
      if (g_hash_table_contains (seen, folded))
        {
          for (guint k = 2; ; k++)
            {
              g_autofree char *candidate = g_strdup_printf ("%s (%u)", header, k);
              g_autofree char *candidate_folded = g_utf8_casefold (candidate, -1);

              if (!g_hash_table_contains (seen, candidate_folded))
                {
                  g_free (self->headers->pdata[c]);
                  self->headers->pdata[c] = g_steal_pointer (&candidate);
                  g_free (folded);
                  folded = g_steal_pointer (&candidate_folded);
                  break;
                }
            }
        }
      g_hash_table_add (seen, g_steal_pointer (&folded));
    }

  for (guint r = 0; r < self->rows->len; r++)
    {
      char **row = self->rows->pdata[r];
      guint n = g_strv_length (row);

      if (n < self->n_columns)
        {
          row = g_renew (char *, row, self->n_columns + 1);
          for (guint c = n; c < self->n_columns; c++)
            row[c] = g_strdup ("");
          row[self->n_columns] = NULL;
          self->rows->pdata[r] = row;
        }
    }

  g_array_set_size (self->types, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    g_array_index (self->types, TsrAttributeType, c) = infer_column (self, c);

  self->finished = TRUE;
  return TRUE;
}

void
tsr_import_table_set_sheets (TsrImportTable *self,
                             GStrv           sheets,
                             const char     *sheet)
{
  g_strfreev (self->sheets);
  self->sheets = g_strdupv (sheets);
  g_free (self->sheet);
  self->sheet = g_strdup (sheet);
}

guint
tsr_import_table_get_n_columns (TsrImportTable *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), 0);
  return self->n_columns;
}

/**
 * tsr_import_table_get_n_rows:
 *
 * Returns: the number of data rows (the header row not counted)
 */
guint
tsr_import_table_get_n_rows (TsrImportTable *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), 0);
  return self->rows->len;
}

const char *
tsr_import_table_get_header (TsrImportTable *self,
                             guint           column)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);
  return self->headers->pdata[column];
}

/**
 * tsr_import_table_find_column:
 * @name_or_number: a header, or a column's number counted from 1
 *
 * Returns: the column's index, or -1
 */
gint
tsr_import_table_find_column (TsrImportTable *self,
                              const char     *name_or_number)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), -1);
  g_return_val_if_fail (name_or_number != NULL, -1);

  for (guint c = 0; c < self->headers->len; c++)
    if (strcmp (self->headers->pdata[c], name_or_number) == 0)
      return (gint) c;
  for (guint c = 0; c < self->headers->len; c++)
    {
      g_autofree char *a = g_utf8_casefold (self->headers->pdata[c], -1);
      g_autofree char *b = g_utf8_casefold (name_or_number, -1);

      if (strcmp (a, b) == 0)
        return (gint) c;
    }
  if (is_integer (name_or_number))
    {
      gint64 n = g_ascii_strtoll (name_or_number, NULL, 10);

      if (n >= 1 && n <= self->n_columns)
        return (gint) n - 1;
    }
  return -1;
}

/**
 * tsr_import_table_get_cell:
 *
 * Returns: the cell's text, "" when it is empty
 */
const char *
tsr_import_table_get_cell (TsrImportTable *self,
                           guint           row,
                           guint           column)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), NULL);
  g_return_val_if_fail (self->finished, NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return ((char **) self->rows->pdata[row])[column];
}

/**
 * tsr_import_table_get_row_number:
 *
 * Returns: the row's number as the spreadsheet program shows it (the
 *   header row is usually 1)
 */
guint
tsr_import_table_get_row_number (TsrImportTable *self,
                                 guint           row)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), 0);
  g_return_val_if_fail (row < self->row_numbers->len, 0);
  return g_array_index (self->row_numbers, guint, row);
}

TsrAttributeType
tsr_import_table_get_column_type (TsrImportTable *self,
                                  guint           column)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), TSR_ATTRIBUTE_TEXT);
  g_return_val_if_fail (column < self->types->len, TSR_ATTRIBUTE_TEXT);
  return g_array_index (self->types, TsrAttributeType, column);
}

/**
 * tsr_import_table_guess_id_column:
 *
 * Returns: the column that names the rows, by its header: the first
 *   called "id" or "identifier" (in any case, spaces around ignored), or
 *   -1 if none is
 */
gint
tsr_import_table_guess_id_column (TsrImportTable *self)
{
  static const char * const names[] = { "id", "identifier" };

  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), -1);

  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autofree char *header = g_utf8_casefold (tsr_import_table_get_header (self, c), -1);

      g_strstrip (header);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (g_str_equal (header, names[i]))
          return (gint) c;
    }
  return -1;
}

/**
 * tsr_import_table_guess_text_column:
 *
 * Returns: the column most likely to hold the answers: of the text
 *   columns, the one whose values are longest on average
 */
gint
tsr_import_table_guess_text_column (TsrImportTable *self)
{
  double best = -1;
  gint best_column = 0;

  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), 0);

  for (guint c = 0; c < self->n_columns; c++)
    {
      guint64 total = 0;
      guint n = 0;

      if (tsr_import_table_get_column_type (self, c) != TSR_ATTRIBUTE_TEXT)
        continue;
      for (guint r = 0; r < self->rows->len; r++)
        {
          const char *cell = ((char **) self->rows->pdata[r])[c];

          if (*cell != '\0')
            {
              total += g_utf8_strlen (cell, -1);
              n++;
            }
        }
      if (n > 0 && (double) total / n > best)
        {
          best = (double) total / n;
          best_column = (gint) c;
        }
    }
  return best_column;
}

/**
 * tsr_import_table_get_sheets:
 *
 * Returns: (nullable) (transfer none): the workbook's sheets, or %NULL for
 *   a CSV file
 */
const char * const *
tsr_import_table_get_sheets (TsrImportTable *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), NULL);
  return (const char * const *) self->sheets;
}

/**
 * tsr_import_table_get_sheet:
 *
 * Returns: (nullable): the sheet read, or %NULL for a CSV file
 */
const char *
tsr_import_table_get_sheet (TsrImportTable *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_TABLE (self), NULL);
  return self->sheet;
}
