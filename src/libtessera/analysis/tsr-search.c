/* tsr-search.c — text search over the documents, and keyword-in-context
 *
 * The full-text index (search_words, search_trigrams; see tsr-schema.c)
 * says which documents match; the hits inside them are found here, in
 * each document's text, with the same normalisation the index applies,
 * so that every hit has character offsets in the unit segments use and
 * can be shown, counted or coded.
 *
 * A word query is rewritten before SQLite sees it: every word becomes a
 * quoted phrase, so punctuation a researcher types ("don't", "e-mail",
 * "3.5") is split into words the way the index split the text instead of
 * being an FTS5 syntax error; only OR, AND, NOT, parentheses and a
 * trailing * keep their meaning.  What SQLite still refuses (an operator
 * with nothing on one side, an unclosed parenthesis) is reported with
 * what a query may hold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"
#include "tsr-search.h"

/* A regular expression may backtrack at most this many times per match
 * attempt (PCRE2's own default is ten million, seconds of work on one
 * document), and a whole search may take this long, so a runaway
 * pattern ends with a message, never a hang. */
#define REGEX_MATCH_LIMIT 200000
#define REGEX_TIME_LIMIT_US (5 * G_USEC_PER_SEC)

typedef struct
{
  GPtrArray *tokens;   /* normalised words (char *) */
  gboolean   prefix;   /* the last word is a prefix */
} Term;

typedef struct
{
  guint  start;
  guint  end;
  char  *word;         /* normalised */
} Token;

static void
term_free (Term *term)
{
  g_ptr_array_unref (term->tokens);
  g_free (term);
}

/* Normalisation -------------------------------------------------------- */

static gboolean
is_word_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);

  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* One character as the word index compares it: lower case, without its
 * accents; 0 for a combining mark, which the index drops. */
static gunichar
fold_word_char (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  if (c < 0x80)
    return g_ascii_tolower (c);

  switch (g_unichar_type (c))
    {
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return 0;
    default:
      break;
    }

  c = g_unichar_tolower (c);
  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  return n > 0 ? decomposed[0] : c;
}

/* One character as the substring search compares it: lower case only,
 * as the trigram index does; one character for one, so offsets stay. */
static gunichar
fold_substring_char (gunichar c)
{
  return c < 0x80 ? (gunichar) g_ascii_tolower (c) : g_unichar_tolower (c);
}

/* The words of @text with their character spans. */
static GArray *
tokenize (const char *text)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  GString *word = g_string_new (NULL);
  guint offset = 0, start = 0;
  gboolean in_word = FALSE;

  for (const char *p = text;; p = g_utf8_next_char (p), offset++)
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && is_word_char (c))
        {
          gunichar folded = fold_word_char (c);

          if (!in_word)
            {
              in_word = TRUE;
              start = offset;
              g_string_truncate (word, 0);
            }
          if (folded != 0)
            g_string_append_unichar (word, folded);
        }
      else if (in_word)
        {
          Token token = { start, offset, g_strndup (word->str, word->len) };

          in_word = FALSE;
          g_array_append_val (tokens, token);
        }

      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  return tokens;
}

static void
tokens_free (GArray *tokens)
{
  for (guint i = 0; i < tokens->len; i++)
    g_free (g_array_index (tokens, Token, i).word);
  g_array_unref (tokens);
}

/* Parsing a word query ------------------------------------------------- */

static Term *
term_new (const char *text,
          gsize       len,
          gboolean    prefix)
{
  g_autofree char *copy = g_strndup (text, len);
  GArray *tokens = tokenize (copy);
  Term *term = g_new0 (Term, 1);

  term->tokens = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < tokens->len; i++)
    g_ptr_array_add (term->tokens, g_strdup (g_array_index (tokens, Token, i).word));
  term->prefix = prefix;
  tokens_free (tokens);
  return term;
}

static void
append_quoted (GString    *out,
               const char *text,
               gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, text[i]);
    }
  g_string_append_c (out, '"');
}

/* Rewrites @query for FTS5 and collects the terms whose places are hits
 * (every term but those under a NOT). */
static char *
parse_word_query (const char  *query,
                  GPtrArray   *terms,
                  GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;
  int depth = 0;
  int negated_depth = -1;   /* inside NOT's operand while depth > this */
  gboolean negate_next = FALSE;
  gboolean has_term = FALSE;

  while (*p)
    {
      const char *start;
      gboolean prefix = FALSE;
      gsize len;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }

      if (*p == '(')
        {
          if (negate_next && negated_depth < 0)
            negated_depth = depth;
          negate_next = FALSE;
          depth++;
          g_string_append (out, " (");
          p++;
          continue;
        }
      if (*p == ')')
        {
          depth--;
          if (depth <= negated_depth)
            negated_depth = -1;
          g_string_append (out, " )");
          p++;
          continue;
        }

      if (*p == '"')
        {
          const char *close = strchr (p + 1, '"');

          if (close == NULL)
            {
              g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                                   _("The search has a quotation mark that is not closed: "
                                     "put a phrase between two quotation marks"));
              return NULL;
            }
          start = p + 1;
          len = close - start;
          p = close + 1;
        }
      else
        {
          start = p;
          while (*p && !g_ascii_isspace (*p) && *p != '(' && *p != ')' && *p != '"')
            p++;
          len = p - start;

          if ((len == 2 && strncmp (start, "OR", 2) == 0) ||
              (len == 3 && strncmp (start, "AND", 3) == 0) ||
              (len == 3 && strncmp (start, "NOT", 3) == 0))
            {
              g_string_append_c (out, ' ');
              g_string_append_len (out, start, len);
              if (len == 3 && start[0] == 'N')
                negate_next = TRUE;
              continue;
            }
          if (len > 1 && start[len - 1] == '*')
            {
              prefix = TRUE;
              len--;
            }
        }

      if (*p == '*')
        {
          prefix = TRUE;
          p++;
        }

      g_string_append_c (out, ' ');
      append_quoted (out, start, len);
      if (prefix)
        g_string_append (out, " *");

      if (!negate_next && negated_depth < 0)
        {
          Term *term = term_new (start, len, prefix);

          if (term->tokens->len > 0)
            {
              g_ptr_array_add (terms, term);
              has_term = TRUE;
            }
          else
            term_free (term);
        }
      negate_next = FALSE;
    }

  if (!has_term)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The search has no word to look for (words after NOT are only left out)"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Finding the hits in a document --------------------------------------- */

static guint
term_match_at (const Term *term,
               GArray     *tokens,
               guint       i)
{
  guint n = term->tokens->len;

  if (i + n > tokens->len)
    return 0;
  for (guint k = 0; k < n; k++)
    {
      const char *want = g_ptr_array_index (term->tokens, k);
      const char *have = g_array_index (tokens, Token, i + k).word;

      if (k == n - 1 && term->prefix ? !g_str_has_prefix (have, want) : strcmp (have, want) != 0)
        return 0;
    }
  return n;
}

static void
find_word_hits (GArray     *hits,
                gint64      document_id,
                const char *text,
                GPtrArray  *terms)
{
  GArray *tokens = tokenize (text);

  for (guint i = 0; i < tokens->len;)
    {
      guint longest = 0;

      for (guint t = 0; t < terms->len; t++)
        longest = MAX (longest, term_match_at (g_ptr_array_index (terms, t), tokens, i));

      if (longest > 0)
        {
          TsrSearchHit hit = { document_id,
                               g_array_index (tokens, Token, i).start,
                               g_array_index (tokens, Token, i + longest - 1).end };
          g_array_append_val (hits, hit);
          i += longest;
        }
      else
        i++;
    }

  tokens_free (tokens);
}

static gunichar *
fold_substring (const char *text,
                glong      *len)
{
  gunichar *chars = g_utf8_to_ucs4_fast (text, -1, len);

  for (glong i = 0; i < *len; i++)
    chars[i] = fold_substring_char (chars[i]);
  return chars;
}

static void
find_substring_hits (GArray         *hits,
                     gint64          document_id,
                     const char     *text,
                     const gunichar *needle,
                     glong           needle_len)
{
  glong len;
  g_autofree gunichar *chars = fold_substring (text, &len);

  for (glong i = 0; i + needle_len <= len;)
    {
      if (chars[i] == needle[0] && memcmp (chars + i, needle, needle_len * sizeof (gunichar)) == 0)
        {
          TsrSearchHit hit = { document_id, i, i + needle_len };

          g_array_append_val (hits, hit);
          i += needle_len;
        }
      else
        i++;
    }
}

static gboolean
find_regex_hits (GArray      *hits,
                 gint64       document_id,
                 const char  *text,
                 GRegex      *regex,
                 const char  *pattern,
                 gint64       deadline,
                 GError     **error)
{
  g_autoptr(GMatchInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *cursor = text;
  guint offset = 0;

  g_regex_match_full (regex, text, -1, 0, 0, &info, &local_error);
  while (local_error == NULL && g_match_info_matches (info))
    {
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      if (end > start)
        {
          TsrSearchHit hit = { document_id, 0, 0 };

          offset += g_utf8_pointer_to_offset (cursor, text + start);
          hit.start = offset;
          offset += g_utf8_pointer_to_offset (text + start, text + end);
          hit.end = offset;
          cursor = text + end;
          g_array_append_val (hits, hit);
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                       _("The regular expression “%s” takes too long to match; make it more specific"),
                       pattern);
          return FALSE;
        }
      g_match_info_next (info, &local_error);
    }

  if (local_error != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The regular expression “%s” backtracks too much to finish "
                     "(nested repeats such as (a+)+ do this); make it more specific"),
                   pattern);
      return FALSE;
    }
  return TRUE;
}

/* The search ----------------------------------------------------------- */

static gboolean
step_error (sqlite3     *db,
            const char  *query,
            GError     **error)
{
  const char *message = sqlite3_errmsg (db);

  if (g_str_has_prefix (message, "fts5:"))
    g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                 _("The search “%s” cannot be read (%s). Use words, \"phrases\", prefix*, "
                   "and OR, AND or NOT between two words or groups in parentheses"),
                 query, message + strlen ("fts5: "));
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
                 _("The project could not be searched: %s"), message);
  return FALSE;
}

static GRegex *
compile_regex (const char  *pattern,
               GError     **error)
{
  g_autofree char *limited = g_strdup_printf ("(*LIMIT_MATCH=%d)%s", REGEX_MATCH_LIMIT, pattern);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GRegex) plain = NULL;

  /* Compiled as typed first, so that a mistake is reported at the
   * position the researcher sees, not after the limit's prefix. */
  plain = g_regex_new (pattern, G_REGEX_MULTILINE, 0, &local_error);
  if (plain == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The regular expression “%s” is not valid: %s"), pattern, local_error->message);
      return NULL;
    }
  return g_regex_new (limited, G_REGEX_MULTILINE, 0, error);
}

static GArray *
search (sqlite3        *db,
        const char     *query,
        TsrSearchMode   mode,
        const char     *regex_pattern,
        GCancellable   *cancellable,
        GError        **error)
{
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (TsrSearchHit));
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *match = NULL;
  g_autofree gunichar *needle = NULL;
  glong needle_len = 0;
  sqlite3_stmt *stmt = NULL;
  gint64 deadline = g_get_monotonic_time () + REGEX_TIME_LIMIT_US;
  const char *sql;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  if (query == NULL)
    query = "";
  while (g_ascii_isspace (*query))
    query++;

  if (regex_pattern != NULL && !(regex = compile_regex (regex_pattern, error)))
    return NULL;

  if (query[0] == '\0')
    {
      if (regex == NULL)
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                               _("The search is empty: type what to look for"));
          return NULL;
        }
      /* A regular expression alone reads every document. */
      sql = "SELECT d.id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
            " ORDER BY d.position";
    }
  else if (mode == TSR_SEARCH_SUBSTRING)
    {
      g_autoptr(GString) trigrams = g_string_new (NULL);
      const char *p = query;

      needle = fold_substring (query, &needle_len);
      if (needle_len < 3)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                       _("“%s” is too short for a substring search: type three characters or more"),
                       query);
          return NULL;
        }
      /* Every document holding the substring holds each of its
       * trigrams; the text decides.  Texts the trigram index has not
       * caught up with yet are read as they are. */
      for (glong i = 0; i + 3 <= needle_len; i++, p = g_utf8_next_char (p))
        {
          const char *end = g_utf8_offset_to_pointer (p, 3);

          if (trigrams->len > 0)
            g_string_append (trigrams, " AND ");
          append_quoted (trigrams, p, end - p);
        }
      match = g_string_free (g_steal_pointer (&trigrams), FALSE);
      sql = "SELECT d.id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
            " WHERE d.id IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ?1"
            "                UNION ALL SELECT document_id FROM search_pending)"
            " ORDER BY d.position";
    }
  else
    {
      if (!(match = parse_word_query (query, terms, error)))
        return NULL;
      sql = "SELECT d.id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
            " WHERE d.id IN (SELECT rowid FROM search_words WHERE search_words MATCH ?1)"
            " ORDER BY d.position";
    }

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return step_error (db, query, error), NULL;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The search was cancelled"));
          ok = FALSE;
        }
      else if (regex != NULL)
        ok = find_regex_hits (hits, id, text, regex, regex_pattern, deadline, error);
      else if (mode == TSR_SEARCH_SUBSTRING)
        find_substring_hits (hits, id, text, needle, needle_len);
      else
        find_word_hits (hits, id, text, terms);
    }
  if (ok && rc != SQLITE_DONE)
    ok = step_error (db, query, error);

  sqlite3_finalize (stmt);
  return ok ? g_steal_pointer (&hits) : NULL;
}

/**
 * tsr_project_search:
 * @query: words, "phrases", prefix*, OR, AND, NOT and parentheses for
 *   %TSR_SEARCH_WORDS; a piece of text for %TSR_SEARCH_SUBSTRING; may be
 *   empty when @regex is given, to search every document
 * @mode: how @query is read
 * @regex: (nullable): a regular expression: when given, the hits are its
 *   matches in the documents @query finds, instead of @query's words
 * @cancellable: (nullable): stops the search
 *
 * Searches the documents' text through the full-text index.  Hits come
 * in document order (as the document list shows them), then by position;
 * they do not overlap.  A query that cannot be read or a regular
 * expression that is invalid or runs away fails with %TSR_ERROR_INVALID
 * and a message saying why.
 *
 * Returns: (transfer full) (element-type TsrSearchHit): the hits, or
 *   %NULL with @error set
 */
GArray *
tsr_project_search (TsrProject     *self,
                    const char     *query,
                    TsrSearchMode   mode,
                    const char     *regex,
                    GCancellable   *cancellable,
                    GError        **error)
{
  TsrDatabase *db;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  /* A substring search reads the texts the trigram index has not taken
   * yet; indexing them first is quicker from the second search on.
   * Inside a caller's transaction, or if the file cannot be written,
   * the search reads them instead, which finds the same hits. */
  if (mode == TSR_SEARCH_SUBSTRING && tsr_database_get_depth (db) == 0)
    {
      guint n_left;

      if (!tsr_project_complete_index (self, 0, &n_left, cancellable, NULL))
        g_debug ("The trigram index could not catch up before a search");
    }
  return search (tsr_database_get_handle (db), query, mode, regex, cancellable, error);
}

typedef struct
{
  char          *path;
  char          *query;
  char          *regex;
  TsrSearchMode  mode;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->path);
  g_free (data->query);
  g_free (data->regex);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  GError *error = NULL;
  sqlite3 *db = tsr_database_open_reader (data->path, cancellable, &error);
  GArray *hits;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  hits = search (db, data->query, data->mode, data->regex, cancellable, &error);
  sqlite3_close (db);

  if (hits == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_array_unref);
}

/**
 * tsr_project_search_async:
 *
 * Searches as tsr_project_search() does, in a worker thread over a
 * connection of its own.
 */
void
tsr_project_search_async (TsrProject          *self,
                          const char          *query,
                          TsrSearchMode        mode,
                          const char          *regex,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (TSR_IS_PROJECT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_search_async);
  if (tsr_project_get_path (self) == NULL)
    {
      g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }
  data = g_new0 (SearchData, 1);
  data->path = g_strdup (tsr_project_get_path (self));
  data->query = g_strdup (query);
  data->regex = g_strdup (regex);
  data->mode = mode;
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * tsr_project_search_finish:
 *
 * Returns: (transfer full) (element-type TsrSearchHit): the hits, or
 *   %NULL with @error set
 */
GArray *
tsr_project_search_finish (TsrProject    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* One text ------------------------------------------------------------- */

/**
 * tsr_search_text:
 * @text: a text, such as the document in the reader
 * @query: what was typed: its words in a row, the last one a prefix
 *   (unless @query ends in a space), compared as the word search
 *   compares them, without case and accents
 *
 * Finds @query in one text as a find bar does while it is typed:
 * "whip" finds "Whipple", "quiet cou" finds "Quiet courage".  Operators
 * and quotation marks have no meaning here.  The hits' @document_id is
 * 0.
 *
 * Returns: (transfer full) (element-type TsrSearchHit): the hits in
 *   order, not overlapping; empty when @query has no word
 */
GArray *
tsr_search_text (const char *text,
                 const char *query)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (TsrSearchHit));
  gsize len;
  Term *term;

  g_return_val_if_fail (text != NULL, hits);
  g_return_val_if_fail (query != NULL, hits);

  len = strlen (query);
  term = term_new (query, len, len > 0 && !g_ascii_isspace (query[len - 1]));
  if (term->tokens->len == 0)
    {
      term_free (term);
      return hits;
    }
  g_ptr_array_add (terms, term);
  find_word_hits (hits, 0, text, terms);
  return hits;
}

/* Catching up ---------------------------------------------------------- */

/**
 * tsr_project_complete_index:
 * @max_documents: how many texts to add to the trigram index at most, or
 *   0 for all
 * @n_left: (out) (optional): how many texts are still waiting
 * @cancellable: (nullable): stops between texts
 *
 * The trigram index takes new and changed texts after the change, not
 * in its transaction (see tsr-schema.c): this adds up to @max_documents
 * of the waiting texts to it, in a transaction of its own, and merges
 * the word index's segments a little.  Call it when the project is
 * idle, in small steps, until @n_left is 0.  Searches are right
 * whether or not it has run; it only makes substring searches quicker.
 * Nothing of it is in the history.
 *
 * Returns: %TRUE, or %FALSE with @error set (the index is then as
 *   before the call)
 */
gboolean
tsr_project_complete_index (TsrProject    *self,
                            guint          max_documents,
                            guint         *n_left,
                            GCancellable  *cancellable,
                            GError       **error)
{
  TsrDatabase *db;
  sqlite3_stmt *pick, *add, *done, *count;
  gboolean has_row = TRUE;
  guint n = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }
  if (!tsr_database_begin (db, error))
    return FALSE;

  pick = tsr_database_prepare (db, "SELECT document_id FROM search_pending ORDER BY document_id LIMIT 1", error);
  add = pick ? tsr_database_prepare (db, "INSERT INTO search_trigrams (rowid, text)"
                                         " SELECT document_id, text FROM document_texts WHERE document_id = ?1", error) : NULL;
  done = add ? tsr_database_prepare (db, "DELETE FROM search_pending WHERE document_id = ?1", error) : NULL;
  if (done == NULL)
    goto failed;

  while (max_documents == 0 || n < max_documents)
    {
      gint64 id;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (!tsr_database_step_row (db, pick, &has_row, error))
        goto failed;
      if (!has_row)
        break;
      id = sqlite3_column_int64 (pick, 0);
      sqlite3_reset (pick);

      sqlite3_bind_int64 (add, 1, id);
      if (!tsr_database_run (db, add, error))
        goto failed;
      sqlite3_bind_int64 (done, 1, id);
      if (!tsr_database_run (db, done, error))
        goto failed;
      n++;
    }
  sqlite3_reset (pick);

  /* Merges up to 500 pages, only where a level holds several segments. */
  if (!tsr_database_exec (db, "INSERT INTO search_words (search_words, rank) VALUES ('merge', 500)", error))
    goto failed;
  if (!tsr_database_commit (db, error))
    goto failed;

  if (n_left != NULL)
    {
      *n_left = 0;
      count = tsr_database_prepare (db, "SELECT count(*) FROM search_pending", error);
      if (count == NULL || !tsr_database_step_row (db, count, &has_row, error))
        return FALSE;
      *n_left = has_row ? sqlite3_column_int (count, 0) : 0;
      sqlite3_reset (count);
    }
  return TRUE;

failed:
  if (pick != NULL)
    sqlite3_reset (pick);
  tsr_database_rollback (db);
  return FALSE;
}

/* Keyword in context --------------------------------------------------- */

void
tsr_concordance_line_free (TsrConcordanceLine *line)
{
  if (line == NULL)
    return;
  g_free (line->left);
  g_free (line->keyword);
  g_free (line->right);
  g_free (line);
}

static char *
one_line (const char *from,
          const char *to)
{
  char *s = g_strndup (from, to - from);

  for (char *p = s; *p; p++)
    if (*p == '\n' || *p == '\t' || *p == '\r')
      *p = ' ';
  return s;
}

/* The context of a hit whose first character is at @hit_start (a
 * pointer into the text that ends at @text_end) and @text_start before
 * it; walking from the hit keeps a concordance linear in the text. */
static TsrConcordanceLine *
context_at (const char *text_start,
            const char *hit_start,
            gint64      document_id,
            guint       start,
            guint       end,
            guint       width)
{
  TsrConcordanceLine *line = g_new0 (TsrConcordanceLine, 1);
  const char *left = hit_start, *hit_end = hit_start, *right;

  for (guint i = 0; i < width && left > text_start; i++)
    left = g_utf8_prev_char (left);
  for (guint i = start; i < end && *hit_end; i++)
    hit_end = g_utf8_next_char (hit_end);
  right = hit_end;
  for (guint i = 0; i < width && *right; i++)
    right = g_utf8_next_char (right);

  line->document_id = document_id;
  line->start = start;
  line->end = end;
  line->left = one_line (left, hit_start);
  line->keyword = one_line (hit_start, hit_end);
  line->right = one_line (hit_end, right);
  return line;
}

/**
 * tsr_search_context:
 * @text: a document's text
 * @start: the hit's first character
 * @end: the character after the hit
 * @width: how many characters of context on each side
 *
 * Returns: (transfer full): the hit in its context
 */
TsrConcordanceLine *
tsr_search_context (const char *text,
                    gint64      document_id,
                    guint       start,
                    guint       end,
                    guint       width)
{
  glong len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (start <= end, NULL);

  len = g_utf8_strlen (text, -1);
  start = MIN (start, (guint) len);
  end = MIN (end, (guint) len);
  return context_at (text, g_utf8_offset_to_pointer (text, start), document_id, start, end, width);
}

/**
 * tsr_project_concordance:
 * @hits: (element-type TsrSearchHit): hits, as tsr_project_search()
 *   gives them
 * @width: how many characters of context on each side
 *
 * Reads each document once and puts every hit in its context, in the
 * order of @hits.
 *
 * Returns: (transfer full) (element-type TsrConcordanceLine): the lines,
 *   or %NULL with @error set
 */
GPtrArray *
tsr_project_concordance (TsrProject  *self,
                         GArray      *hits,
                         guint        width,
                         GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  TsrDatabase *db;
  sqlite3_stmt *stmt;
  const char *text = NULL, *cursor = NULL;
  gint64 current = 0;
  guint cursor_offset = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (hits != NULL, NULL);

  db = _tsr_project_get_database (self);
  stmt = tsr_database_prepare (db, "SELECT text FROM document_texts WHERE document_id = ?", error);
  if (stmt == NULL)
    return NULL;

  lines = g_ptr_array_new_full (hits->len, (GDestroyNotify) tsr_concordance_line_free);
  for (guint i = 0; i < hits->len; i++)
    {
      const TsrSearchHit *hit = &g_array_index (hits, TsrSearchHit, i);

      if (hit->document_id != current || text == NULL || hit->start < cursor_offset)
        {
          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, hit->document_id);
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              sqlite3_reset (stmt);
              g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                           _("The document of a search hit no longer exists"));
              return NULL;
            }
          text = cursor = (const char *) sqlite3_column_text (stmt, 0);
          current = hit->document_id;
          cursor_offset = 0;
        }

      for (; cursor_offset < hit->start && *cursor; cursor_offset++)
        cursor = g_utf8_next_char (cursor);
      g_ptr_array_add (lines, context_at (text, cursor, current, hit->start, hit->end, width));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&lines);
}
