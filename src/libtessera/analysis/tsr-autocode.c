/* tsr-autocode.c — coding every hit of a search as one step
 *
 * Each hit is widened in its document's text to the unit asked for
 * (whole words, the sentence, the paragraph); widened spans that overlap
 * or touch in a document become one passage, and a passage the current
 * coder has already coded with the code is not coded twice.  All of it
 * is one operation: one entry in the history, undone in one step, and a
 * failure part-way leaves nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsr-autocode.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"
#include "tsr-search.h"

const char *
tsr_autocode_unit_to_string (TsrAutocodeUnit unit)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_AUTOCODE_UNIT, unit);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_autocode_unit_from_string (const char      *str,
                               TsrAutocodeUnit *unit)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_AUTOCODE_UNIT, str, &value))
    return FALSE;
  *unit = value;
  return TRUE;
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '\'' || c == 0x2019;
}

static gboolean
ends_sentence (gunichar c)
{
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}

static gboolean
closes_sentence (gunichar c)
{
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB;
}

/* Widens [*start, *end) of @text (@len characters) to @unit, then trims
 * white space at its ends. */
static void
widen (const gunichar  *text,
       guint            len,
       TsrAutocodeUnit  unit,
       guint           *start,
       guint           *end)
{
  guint s = MIN (*start, len), e = MIN (*end, len);

  switch (unit)
    {
    case TSR_AUTOCODE_WORD:
      while (s > 0 && is_word_char (text[s - 1]))
        s--;
      while (e < len && is_word_char (text[e]))
        e++;
      break;

    case TSR_AUTOCODE_SENTENCE:
      /* Back to just after the end of the sentence before, or the line. */
      while (s > 0 && text[s - 1] != '\n' &&
             !(g_unichar_isspace (text[s - 1]) && s > 1 &&
               (ends_sentence (text[s - 2]) || (closes_sentence (text[s - 2]) && s > 2 && ends_sentence (text[s - 3])))))
        s--;
      /* On to the end of this sentence, with its closing quote. */
      while (e < len && text[e] != '\n' && !(e > 0 && ends_sentence (text[e - 1]) && g_unichar_isspace (text[e])))
        {
          if (ends_sentence (text[e]) && (e + 1 >= len || g_unichar_isspace (text[e + 1]) || closes_sentence (text[e + 1])))
            {
              e++;
              while (e < len && closes_sentence (text[e]))
                e++;
              break;
            }
          e++;
        }
      break;

    case TSR_AUTOCODE_PARAGRAPH:
      while (s > 0 && text[s - 1] != '\n')
        s--;
      while (e < len && text[e] != '\n')
        e++;
      break;

    case TSR_AUTOCODE_HIT:
    default:
      break;
    }

  while (s < e && g_unichar_isspace (text[s]))
    s++;
  while (e > s && g_unichar_isspace (text[e - 1]))
    e--;
  *start = s;
  *end = e;
}

typedef struct
{
  gint64 document_id;
  guint  start;
  guint  end;
} Span;

/* Whether the coder has coded exactly this span with this code. */
static gboolean
already_coded (GArray *spans,
               gint64  code_id,
               gint64  coder_id,
               guint   start,
               guint   end)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const TsrSpan *span = &g_array_index (spans, TsrSpan, i);

      if (span->code_id == code_id && span->coder_id == coder_id && span->start == start && span->end == end)
        return TRUE;
    }
  return FALSE;
}

/**
 * tsr_project_autocode:
 * @hits: (element-type TsrSearchHit): what a search found, in document
 *   order (as tsr_project_search() gives them)
 * @code_id: the code to apply
 * @unit: how far to widen each hit
 * @n_coded: (out) (optional): how many passages were coded
 *
 * Codes every hit with @code_id for the current coder, widened to
 * @unit, as one undoable step recorded in the history.
 *
 * Returns: %TRUE on success (also when there was nothing new to code),
 *   %FALSE with @error set and nothing coded
 */
gboolean
tsr_project_autocode (TsrProject       *self,
                      GArray           *hits,
                      gint64            code_id,
                      TsrAutocodeUnit   unit,
                      guint            *n_coded,
                      GError          **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(TsrCode) code = NULL;
  g_autofree gunichar *text = NULL;
  g_autoptr(GArray) coded = NULL;
  TsrCoder *coder;
  gint64 coder_id, current = 0;
  glong len = 0;
  guint n = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (hits != NULL, FALSE);

  if (n_coded != NULL)
    *n_coded = 0;
  if (!(code = tsr_project_lookup_code (self, code_id)))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code to apply no longer exists"));
      return FALSE;
    }

  /* The spans, widened and merged per document, before anything is
   * written. */
  for (guint i = 0; i < hits->len; i++)
    {
      const TsrSearchHit *hit = &g_array_index (hits, TsrSearchHit, i);
      Span span = { hit->document_id, hit->start, hit->end };

      if (hit->document_id != current || text == NULL)
        {
          g_autofree char *utf8 = tsr_project_get_document_text (self, hit->document_id, error);

          if (utf8 == NULL)
            return FALSE;
          g_free (text);
          text = g_utf8_to_ucs4_fast (utf8, -1, &len);
          current = hit->document_id;
        }
      widen (text, (guint) len, unit, &span.start, &span.end);
      if (span.start >= span.end)
        continue;
      if (spans->len > 0)
        {
          Span *last = &g_array_index (spans, Span, spans->len - 1);

          if (last->document_id == span.document_id && span.start <= last->end && span.end >= last->start)
            {
              last->start = MIN (last->start, span.start);
              last->end = MAX (last->end, span.end);
              continue;
            }
        }
      g_array_append_val (spans, span);
    }

  {
    g_autofree char *description =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Code %u search hit with “%s”", "Code %u search hits with “%s”",
                                    spans->len),
                       spans->len, tsr_code_get_name (code));

    if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, "autocode", g_steal_pointer (&description), error))
      return FALSE;
  }
  /* The coder is known inside the edit: a first edit adds them. */
  coder = tsr_project_get_current_coder (self);
  coder_id = coder ? tsr_entity_get_id (TSR_ENTITY (coder)) : 0;
  current = 0;
  for (guint i = 0; ok && i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (span->document_id != current)
        {
          g_clear_pointer (&coded, g_array_unref);
          coded = tsr_project_list_document_spans (self, span->document_id);
          current = span->document_id;
        }
      if (coder_id != 0 && already_coded (coded, code_id, coder_id, span->start, span->end))
        continue;
      ok = tsr_project_add_segment (self, span->document_id, code_id, span->start, span->end, error) != 0;
      n++;
    }
  if (!_tsr_project_op_end (self, ok, ok ? error : NULL))
    return FALSE;
  if (ok && n_coded != NULL)
    *n_coded = n;
  return ok;
}
