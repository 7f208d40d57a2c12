/* fuzz-odt.c — the ODT reader on its XML parts
 *
 * Input: content.xml (or a whole flat ODT), then optionally styles.xml,
 * separated by FUZZ_PART_MARKER.
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
  GBytes *parts[2];
  GError *error = NULL;
  char *text;

  fuzz_split (data, size, parts, G_N_ELEMENTS (parts));
  text = tsr_odt_extract_parts (parts[0], "content.xml", parts[1], FUZZ_MAX_TEXT,
                                "fuzz.odt", NULL, &error);
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
