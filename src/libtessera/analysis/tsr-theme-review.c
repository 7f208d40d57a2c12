/* tsr-theme-review.c — a theme's coded extracts, for reviewing it
 *
 * Phase 4 checks a theme against its data: every passage coded with one
 * of its codes (or a code below one), in document order, with whom it
 * was coded by and the text around it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-private.h"
#include "tsr-theme-review.h"

void
tsr_extract_free (TsrExtract *extract)
{
  if (extract == NULL)
    return;
  g_free (extract->text);
  g_free (extract->before);
  g_free (extract->after);
  g_free (extract->document_name);
  g_free (extract->coder_name);
  g_free (extract->code_name);
  g_free (extract);
}

/* The @context characters before @start, beginning at a word. */
static char *
context_before (const char *text,
                glong       length,
                guint       start,
                guint       context)
{
  glong from = (glong) start > (glong) context ? (glong) start - context : 0;
  const char *p = g_utf8_offset_to_pointer (text, MIN (from, length));
  const char *e = g_utf8_offset_to_pointer (text, MIN ((glong) start, length));

  if (from > 0)
    {
      /* Drop the cut word. */
      while (p < e && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
    }
  return g_strndup (p, e - p);
}

static char *
context_after (const char *text,
               glong       length,
               guint       end,
               guint       context)
{
  glong to = MIN ((glong) end + (glong) context, length);
  const char *p = g_utf8_offset_to_pointer (text, MIN ((glong) end, length));
  const char *e = g_utf8_offset_to_pointer (text, to);

  if (to < length)
    {
      while (e > p && !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (e))))
        e = g_utf8_prev_char (e);
    }
  return g_strndup (p, e - p);
}

/**
 * tsr_project_list_theme_extracts:
 * @with_subthemes: include the codes of its sub-themes, at any depth
 * @coder_id: only this coder's segments, or 0 for everyone's
 * @context_chars: how much text around each passage to give
 *
 * Returns: (transfer full) (element-type TsrExtract): the extracts in
 *   document order, or %NULL with @error set
 */
GPtrArray *
tsr_project_list_theme_extracts (TsrProject  *self,
                                 gint64       theme_id,
                                 gboolean     with_subthemes,
                                 gint64       coder_id,
                                 guint        context_chars,
                                 GError     **error)
{
  g_autoptr(GPtrArray) extracts = g_ptr_array_new_with_free_func ((GDestroyNotify) tsr_extract_free);
  g_autoptr(TsrTheme) theme = NULL;
  g_autofree char *doc_text = NULL;
  gint64 doc_id = 0;
  glong doc_length = 0;
  TsrDatabase *db;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  theme = tsr_project_lookup_theme (self, theme_id);
  if (theme == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The theme (id %" PRId64 ") does not exist"), theme_id);
      return NULL;
    }

  db = _tsr_project_get_database (self);
  stmt = tsr_database_prepare (db,
    "WITH RECURSIVE th (id) AS ("
    "  SELECT ?1 UNION SELECT t.id FROM themes t JOIN th ON t.parent_id = th.id WHERE ?2"
    "), cs (id) AS ("
    "  SELECT code_id FROM theme_codes WHERE theme_id IN th"
    "  UNION SELECT c.id FROM codes c JOIN cs ON c.parent_id = cs.id"
    ") SELECT s.id, s.document_id, s.code_id, s.coder_id, s.start, s.end, s.text, s.exemplar,"
    "  d.name, co.name, c.name"
    " FROM segments s JOIN documents d ON d.id = s.document_id"
    " JOIN coders co ON co.id = s.coder_id JOIN codes c ON c.id = s.code_id"
    " WHERE s.code_id IN cs AND (?3 = 0 OR s.coder_id = ?3)"
    " ORDER BY d.position, d.id, s.start, s.end, s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, theme_id);
  sqlite3_bind_int (stmt, 2, with_subthemes ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, coder_id);

  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      TsrExtract *e = g_new0 (TsrExtract, 1);

      e->segment_id = sqlite3_column_int64 (stmt, 0);
      e->document_id = sqlite3_column_int64 (stmt, 1);
      e->code_id = sqlite3_column_int64 (stmt, 2);
      e->coder_id = sqlite3_column_int64 (stmt, 3);
      e->start = sqlite3_column_int (stmt, 4);
      e->end = sqlite3_column_int (stmt, 5);
      e->text = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      e->exemplar = sqlite3_column_int (stmt, 7) != 0;
      e->document_name = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->coder_name = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      e->code_name = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
      g_ptr_array_add (extracts, e);
    }
  if (!ok)
    return NULL;

  /* Rows come by document: read each text once. */
  for (guint i = 0; i < extracts->len; i++)
    {
      TsrExtract *e = g_ptr_array_index (extracts, i);

      if (e->document_id != doc_id)
        {
          g_clear_pointer (&doc_text, g_free);
          doc_text = tsr_project_get_document_text (self, e->document_id, error);
          if (doc_text == NULL)
            return NULL;
          doc_id = e->document_id;
          doc_length = g_utf8_strlen (doc_text, -1);
        }
      e->before = context_before (doc_text, doc_length, e->start, context_chars);
      e->after = context_after (doc_text, doc_length, e->end, context_chars);
    }

  return g_steal_pointer (&extracts);
}
