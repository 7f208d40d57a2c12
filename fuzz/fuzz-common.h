/* fuzz-common.h — what the fuzz targets share
 *
 * Formats made of several parts (a DOCX's body, numbering, styles and
 * notes) take them from one input cut at a marker line, so one fuzzer
 * exercises how the parts meet.  GLib criticals and warnings abort, so
 * a precondition the readers break is a crash the fuzzer reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "tsr-import-private.h"
#include "tsr-text-import.h"

#define FUZZ_PART_MARKER "\n--tessera-part--\n"

/* The fuzzers keep documents small so that each run is fast. */
#define FUZZ_MAX_TEXT (1024 * 1024)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  tsr_xml_init ();
}

/* Cuts @data into at most @n_parts parts at FUZZ_PART_MARKER; missing
 * parts are NULL. */
static inline void
fuzz_split (const uint8_t *data,
            size_t         size,
            GBytes       **parts,
            guint          n_parts)
{
  const char *p = (const char *) data;
  const char *end = p + size;
  gsize marker = strlen (FUZZ_PART_MARKER);

  for (guint i = 0; i < n_parts; i++)
    parts[i] = NULL;

  for (guint i = 0; i < n_parts && p <= end; i++)
    {
      const char *next = NULL;

      for (const char *q = p; q + marker <= end; q++)
        if (memcmp (q, FUZZ_PART_MARKER, marker) == 0)
          {
            next = q;
            break;
          }
      if (next == NULL || i == n_parts - 1)
        {
          parts[i] = g_bytes_new (p, end - p);
          break;
        }
      parts[i] = g_bytes_new (p, next - p);
      p = next + marker;
    }
}

static inline void
fuzz_free_parts (GBytes **parts,
                 guint    n_parts)
{
  for (guint i = 0; i < n_parts; i++)
    g_clear_pointer (&parts[i], g_bytes_unref);
}
