/* fuzz-xlsx.c — the XLSX reader on its XML parts
 *
 * Input: the worksheet, then optionally the shared strings, the styles
 * and the workbook, separated by FUZZ_PART_MARKER.
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
  GBytes *parts[4];
  GError *error = NULL;
  TsrImportTable *table;

  fuzz_split (data, size, parts, G_N_ELEMENTS (parts));
  table = tsr_xlsx_read_parts (parts[3], parts[1], parts[2], parts[0], "sheet.xml",
                               "fuzz.xlsx", NULL, &error);
  g_assert ((table == NULL) != (error == NULL));
  if (table != NULL)
    {
      guint n_columns = tsr_import_table_get_n_columns (table);

      for (guint r = 0; r < tsr_import_table_get_n_rows (table); r++)
        for (guint c = 0; c < n_columns; c++)
          g_assert (g_utf8_validate (tsr_import_table_get_cell (table, r, c), -1, NULL));
      g_object_unref (table);
    }
  g_clear_error (&error);
  fuzz_free_parts (parts, G_N_ELEMENTS (parts));
  return 0;
}
