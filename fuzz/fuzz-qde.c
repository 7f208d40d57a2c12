/* fuzz-qde.c — the REFI-QDA project.qde reader and the offset readings
 *
 * Input: a project.qde, then optionally a source's text after
 * FUZZ_PART_MARKER, whose positions every selection's are resolved in
 * under each reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz-common.h"
#include "tsr-refi-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
resolve_all (RefiProject *project,
             GBytes      *text)
{
  g_autofree char *stored = NULL;
  g_autofree char *normalized = NULL;
  g_autofree gunichar *chars = NULL;
  glong length = 0;

  if (text == NULL || !g_utf8_validate_len (g_bytes_get_data (text, NULL), g_bytes_get_size (text), NULL))
    return;
  stored = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  normalized = _tsr_refi_normalize_text (stored);
  chars = g_utf8_to_ucs4_fast (normalized, -1, &length);

  for (guint i = 0; i < project->sources->len; i++)
    {
      RefiSource *source = project->sources->pdata[i];
      guint n = source->selections->len;
      g_autofree gint64 *positions = g_new (gint64, 2 * n + 1);
      g_autofree gint64 *offsets = g_new (gint64, 2 * n + 1);

      for (guint j = 0; j < n; j++)
        {
          RefiSelection *selection = source->selections->pdata[j];

          positions[2 * j] = selection->start;
          positions[2 * j + 1] = selection->end;
        }
      for (int r = TSR_REFI_READING_CODE_POINTS; r <= TSR_REFI_READING_UTF16_LF; r++)
        {
          _tsr_refi_resolve_offsets (stored, r, positions, 2 * n, offsets);
          for (guint j = 0; j < 2 * n; j++)
            {
              g_assert (offsets[j] >= -1 && offsets[j] <= length);
              if (j % 2 == 1)
                (void) _tsr_refi_on_boundaries (chars, length, offsets[j - 1], offsets[j]);
            }
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GBytes *parts[2];
  GError *error = NULL;
  RefiProject *project;

  fuzz_split (data, size, parts, G_N_ELEMENTS (parts));
  project = _tsr_refi_project_read (parts[0], "fuzz.qdpx", NULL, &error);
  g_assert ((project == NULL) != (error == NULL));
  if (project != NULL)
    {
      char *kept;

      for (guint i = 0; i < project->sources->len; i++)
        _tsr_refi_project_keep_source (project, project->sources->pdata[i], i % 2 == 0);
      kept = _tsr_refi_project_dump_kept (project);
      g_assert (kept == NULL || g_utf8_validate (kept, -1, NULL));
      g_free (kept);
      resolve_all (project, parts[1]);
    }
  _tsr_refi_project_free (project);
  g_clear_error (&error);
  fuzz_free_parts (parts, G_N_ELEMENTS (parts));
  return 0;
}
