/* fuzz-csv.c — the CSV reader, after the text decoding it relies on
 *
 * Checks what a table promises: every row as wide as the header, every
 * cell valid UTF-8 without CR, every column named and typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  TsrImportTable *table;
  char *text;

  text = tsr_decode_text ((const char *) data, size, "fuzz.csv", &error);
  if (text == NULL)
    {
      g_clear_error (&error);
      return 0;
    }

  table = tsr_csv_parse (text, strlen (text), "fuzz.csv", &error);
  g_assert ((table == NULL) != (error == NULL));
  if (table != NULL)
    {
      guint n_columns = tsr_import_table_get_n_columns (table);

      g_assert (n_columns > 0);
      for (guint c = 0; c < n_columns; c++)
        {
          const char *header = tsr_import_table_get_header (table, c);

          g_assert (header != NULL && *header != '\0' && g_utf8_validate (header, -1, NULL));
          g_assert (tsr_import_table_get_column_type (table, c) <= TSR_ATTRIBUTE_DATE);
        }
      for (guint r = 0; r < tsr_import_table_get_n_rows (table); r++)
        for (guint c = 0; c < n_columns; c++)
          {
            const char *cell = tsr_import_table_get_cell (table, r, c);

            g_assert (cell != NULL && g_utf8_validate (cell, -1, NULL) && strchr (cell, '\r') == NULL);
          }
      g_assert (tsr_import_table_guess_text_column (table) < (gint) n_columns);
      g_object_unref (table);
    }
  g_clear_error (&error);
  g_free (text);
  return 0;
}
