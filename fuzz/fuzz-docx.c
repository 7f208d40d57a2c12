/* fuzz-docx.c — the DOCX reader on its XML parts
 *
 * Input: word/document.xml, then optionally numbering, styles, footnotes
 * and endnotes, separated by FUZZ_PART_MARKER.
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
  GBytes *parts[5];
  GError *error = NULL;
  char *text;

  fuzz_split (data, size, parts, G_N_ELEMENTS (parts));
  text = tsr_docx_extract_parts (parts[0], parts[2], parts[1], parts[3], parts[4],
                                 FUZZ_MAX_TEXT, "fuzz.docx", NULL, &error);
  g_assert ((text == NULL) != (error == NULL));
  if (text != NULL)
    {
      g_assert (g_utf8_validate (text, -1, NULL));
      g_assert (strchr (text, '\r') == NULL);
    }
  g_free (text);
  g_clear_error (&error);
  fuzz_free_parts (parts, G_N_ELEMENTS (parts));
  return 0;
}
