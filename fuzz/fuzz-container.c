/* fuzz-container.c — whole files through the zip layer and detection
 *
 * The input is a file: its format is sniffed and the DOCX, ODT and XLSX
 * readers run on it, so broken archives reach the member limits and
 * libarchive through our code.  PDF is left to poppler's own fuzzing.
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
  GBytes *bytes = g_bytes_new (data, size);
  GError *error = NULL;
  TsrImportTable *table;
  char *text;

  (void) tsr_import_sniff (bytes, "fuzz.docx");

  text = tsr_docx_extract (bytes, "fuzz.docx", NULL, &error);
  g_assert ((text == NULL) != (error == NULL));
  g_free (text);
  g_clear_error (&error);

  text = tsr_odt_extract (bytes, "fuzz.odt", NULL, &error);
  g_assert ((text == NULL) != (error == NULL));
  g_free (text);
  g_clear_error (&error);

  table = tsr_xlsx_read (bytes, NULL, "fuzz.xlsx", NULL, &error);
  g_assert ((table == NULL) != (error == NULL));
  g_clear_object (&table);
  g_clear_error (&error);

  g_bytes_unref (bytes);
  return 0;
}
