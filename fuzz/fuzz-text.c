/* fuzz-text.c — plain-text and Markdown decoding
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
  char *text;

  text = tsr_decode_text ((const char *) data, size, "fuzz.txt", &error);
  g_assert ((text == NULL) != (error == NULL));
  if (text != NULL)
    {
      g_assert (g_utf8_validate (text, -1, NULL));
      g_assert (strchr (text, '\r') == NULL);
    }
  g_free (text);
  g_clear_error (&error);
  return 0;
}
