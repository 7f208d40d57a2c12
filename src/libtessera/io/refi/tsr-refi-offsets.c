/* tsr-refi-offsets.c — a REFI-QDA source's positions as Tessera's offsets
 *
 * The specification counts a selection's startPosition and endPosition in
 * Unicode code points of the source's plain text.  Not every exporter
 * does: NVivo 12 counts UTF-16 code units (an emoji is two) of the text
 * as it stored it, CRLF line ends counting two and the byte order mark
 * not at all; a tool that read the text with universal newlines counts a
 * line end as one.  Tessera's text has "\n" line ends and its offsets
 * count code points.  Each reading is resolved here by one walk along the
 * stored text that keeps the count the reading uses beside Tessera's; the
 * importer tries them all and keeps, per source, the one its selections
 * fit (see tsr-refi-import.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tsr-refi-private.h"

typedef struct
{
  gint64 position;
  guint  index;
} Query;

static int
compare_queries (const void *a,
                 const void *b)
{
  const Query *qa = a;
  const Query *qb = b;

  if (qa->position != qb->position)
    return qa->position < qb->position ? -1 : 1;
  return qa->index < qb->index ? -1 : (qa->index > qb->index);
}

/**
 * _tsr_refi_resolve_offsets:
 *
 * See tsr-refi-private.h.
 */
void
_tsr_refi_resolve_offsets (const char      *stored,
                           TsrRefiReading   reading,
                           const gint64    *positions,
                           guint            n,
                           gint64          *offsets)
{
  g_autofree Query *queries = NULL;
  gboolean utf16 = reading == TSR_REFI_READING_UTF16 || reading == TSR_REFI_READING_UTF16_LF;
  gboolean crlf_one = reading == TSR_REFI_READING_CODE_POINTS_LF || reading == TSR_REFI_READING_UTF16_LF;
  gint64 count = 0;   /* the reading's count before the current character */
  gint64 t = 0;       /* Tessera's offset before it */
  guint k = 0;

  if (n == 0)
    return;
  queries = g_new (Query, n);
  for (guint i = 0; i < n; i++)
    {
      queries[i].position = positions[i];
      queries[i].index = i;
    }
  qsort (queries, n, sizeof *queries, compare_queries);

  for (const char *p = stored; *p != '\0' && k < n; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean cr_of_crlf = c == '\r' && p[1] == '\n';
      gint64 width;

      /* Positions the walk has passed lie inside the last character. */
      while (k < n && queries[k].position < count)
        offsets[queries[k++].index] = -1;
      while (k < n && queries[k].position == count)
        offsets[queries[k++].index] = t;

      if (cr_of_crlf)
        width = crlf_one ? 0 : 1;
      else
        width = (utf16 && c > 0xffff) ? 2 : 1;
      count += width;
      /* A CRLF's CR is gone from Tessera's text, its LF stays; a lone
       * CR became a LF. */
      t += cr_of_crlf ? 0 : 1;
    }

  while (k < n && queries[k].position < count)
    offsets[queries[k++].index] = -1;
  while (k < n && queries[k].position == count)
    offsets[queries[k++].index] = t;
  while (k < n)
    offsets[queries[k++].index] = -1;
}

/**
 * _tsr_refi_normalize_text:
 *
 * CRLF and lone CR as LF, the one form Tessera stores text in.
 */
char *
_tsr_refi_normalize_text (const char *stored)
{
  char *text = g_strdup (stored);
  char *w = text;

  for (const char *r = text; *r != '\0'; r++)
    {
      if (*r == '\r')
        {
          *w++ = '\n';
          if (r[1] == '\n')
            r++;
        }
      else
        *w++ = *r;
    }
  *w = '\0';
  return text;
}

static inline gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static inline gboolean
is_boundary (const gunichar *text,
             glong           length,
             gint64          at)
{
  return at <= 0 || at >= length || !(is_word_char (text[at - 1]) && is_word_char (text[at]));
}

gboolean
_tsr_refi_on_boundaries (const gunichar *text,
                         glong           length,
                         gint64          start,
                         gint64          end)
{
  return start >= 0 && start < end && end <= length &&
         is_boundary (text, length, start) && is_boundary (text, length, end);
}
