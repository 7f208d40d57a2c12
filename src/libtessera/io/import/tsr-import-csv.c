/* tsr-import-csv.c — comma-separated survey exports (RFC 4180)
 *
 * Debian has no maintained CSV library worth a dependency, and the
 * format is small: this reader follows RFC 4180 — fields separated by a
 * delimiter, records by line ends, a field in double quotes may hold the
 * delimiter, line ends and doubled quotes ("") — and is fuzzed
 * (fuzz/fuzz-csv.c).  Bytes are decoded by tsr_decode_text() first, so
 * encodings and line ends are handled as for any text file.
 *
 * Survey tools are not all strict, so the reader is lenient where a
 * spreadsheet program is: a quote inside an unquoted field is text, and
 * text after a closing quote is kept.  The one thing it refuses is a
 * quoted field that never ends, because the rest of the file would be
 * swallowed into one cell.
 *
 * The delimiter is the one of ',', ';' (Excel in many European locales)
 * and tab that splits the header line, outside quotes, and splits the
 * next rows into as many fields — unless Excel's "sep=" line names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

/* How many records the delimiter sniffing looks at. */
#define SNIFF_RECORDS 20

static char
sniff_delimiter (const char *text,
                 gsize       length)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint header[G_N_ELEMENTS (candidates)] = { 0, };
  guint current[G_N_ELEMENTS (candidates)] = { 0, };
  guint consistent[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean quoted = FALSE;
  guint record = 0;
  char best = ',';
  int best_k = -1;

  for (gsize i = 0; i <= length && record < SNIFF_RECORDS; i++)
    {
      char c = i < length ? text[i] : '\n';

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && c == '\n')
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            {
              if (record == 0)
                header[k] = current[k];
              else if (current[k] == header[k])
                consistent[k]++;
              current[k] = 0;
            }
          record++;
        }
      else if (!quoted)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (c == candidates[k])
            current[k]++;
    }

  /* The delimiter splits the header, and splits the rows below it into
   * as many fields; ties go to the more frequent, then to the comma. */
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      if (header[k] == 0)
        continue;
      if (best_k < 0 || consistent[k] > consistent[best_k] ||
          (consistent[k] == consistent[best_k] && header[k] > header[best_k]))
        {
          best_k = (int) k;
          best = candidates[k];
        }
    }
  return best;
}

static gboolean
all_empty (GPtrArray *cells)
{
  for (guint i = 0; i < cells->len; i++)
    if (*(const char *) cells->pdata[i] != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
end_record (TsrImportTable  *table,
            GPtrArray       *cells,
            guint            record,
            GError         **error)
{
  char **row;

  /* A blank line holds no answer; it still counts as a row, as in a
   * spreadsheet program. */
  if (all_empty (cells))
    {
      g_ptr_array_set_size (cells, 0);
      return TRUE;
    }

  g_ptr_array_add (cells, NULL);
  row = (char **) g_ptr_array_steal (cells, NULL);
  return tsr_import_table_add_row (table, row, record, error);
}

/**
 * tsr_csv_parse:
 * @text: the file's text, decoded, with "\n" line ends
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
TsrImportTable *
tsr_csv_parse (const char  *text,
               gsize        length,
               const char  *display_name,
               GError     **error)
{
  g_autoptr(TsrImportTable) table = tsr_import_table_new (display_name);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  char delimiter;
  guint record = 1;        /* the record being read, as a spreadsheet numbers rows */
  guint line = 1;          /* the line in the file, for messages */
  guint quote_line = 0;
  gboolean quoted = FALSE;
  gboolean field_started = FALSE;
  gsize i = 0;

  /* Excel's "sep=;" first line names the delimiter and is not a row. */
  if (length >= 5 && strncmp (text, "sep=", 4) == 0 && (length == 5 || text[5] == '\n') &&
      text[4] != '"' && text[4] != '\n')
    {
      delimiter = text[4];
      i = length == 5 ? 5 : 6;
      line = 2;
    }
  else
    delimiter = sniff_delimiter (text, length);

  while (i < length)
    {
      char c = text[i];

      if (quoted)
        {
          if (c == '"')
            {
              if (i + 1 < length && text[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i += 2;
                  continue;
                }
              quoted = FALSE;
            }
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          i++;
          continue;
        }

      if (c == '"' && !field_started)
        {
          quoted = TRUE;
          quote_line = line;
          field_started = TRUE;
        }
      else if (c == delimiter || c == '\n')
        {
          g_ptr_array_add (cells, g_strndup (field->str, field->len));
          g_string_truncate (field, 0);
          field_started = FALSE;
          if (cells->len > 16384 + 1)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("The spreadsheet “%s” has more than %u columns on line %u"),
                           display_name, 16384, line);
              return NULL;
            }
          if (c == '\n')
            {
              if (!end_record (table, cells, record, error))
                return NULL;
              record++;
              line++;
            }
        }
      else
        {
          /* After a closing quote, or a quote inside an unquoted field:
           * text, as spreadsheet programs read it. */
          g_string_append_c (field, c);
          field_started = TRUE;
        }
      i++;
    }

  if (quoted)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The file “%s” ends inside a quoted field that starts on line %u: "
                     "a closing quote (\") is missing"),
                   display_name, quote_line);
      return NULL;
    }

  if (field_started || field->len > 0 || cells->len > 0)
    {
      g_ptr_array_add (cells, g_strndup (field->str, field->len));
      if (!end_record (table, cells, record, error))
        return NULL;
    }

  if (!tsr_import_table_finish (table, error))
    return NULL;
  return g_steal_pointer (&table);
}
