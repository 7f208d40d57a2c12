/* tsr-words.c — word frequencies over the project, documents, a code's
 * passages or a case
 *
 * The texts are read once and split into words here: letters, digits
 * and combining marks, with an apostrophe inside a word kept ("don't",
 * "l’hôpital" stays one word, as a reader sees it), in lower case with
 * its accents (a frequency table shows words as they are written).  A
 * word is counted in a hash table keyed by its bytes; runs of ASCII,
 * most of the text in most languages, take a fast path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-counts-private.h"
#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"
#include "tsr-retrieve.h"
#include "tsr-stopwords-resources.h"
#include "tsr-words.h"

static const char * const languages[] = { "de", "en", "es", "fr", "hu", "it", "nl", "pt", NULL };

void
tsr_word_count_free (TsrWordCount *count)
{
  if (count == NULL)
    return;
  g_free (count->word);
  g_free (count);
}

/* TsrWordsQuery ----------------------------------------------------------- */

struct _TsrWordsQuery
{
  GArray     *documents;      /* NULL: every document */
  gint64      code_id;
  gboolean    with_subcodes;
  TsrScope   *scope;
  GHashTable *excluded;       /* lower-case words */
  guint       min_length;
};

G_DEFINE_BOXED_TYPE (TsrWordsQuery, tsr_words_query, tsr_words_query_copy, tsr_words_query_free)

/**
 * tsr_words_query_new:
 *
 * Every word of every document, of any length, none left out.
 *
 * Returns: (transfer full): a new query
 */
TsrWordsQuery *
tsr_words_query_new (void)
{
  TsrWordsQuery *query = g_new0 (TsrWordsQuery, 1);

  query->excluded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  query->min_length = 1;
  return query;
}

TsrWordsQuery *
tsr_words_query_copy (const TsrWordsQuery *query)
{
  TsrWordsQuery *copy = tsr_words_query_new ();
  GHashTableIter iter;
  gpointer word;

  if (query->documents != NULL)
    tsr_words_query_set_documents (copy, (const gint64 *) query->documents->data, query->documents->len);
  copy->code_id = query->code_id;
  copy->with_subcodes = query->with_subcodes;
  copy->scope = query->scope ? tsr_scope_copy (query->scope) : NULL;
  copy->min_length = query->min_length;
  g_hash_table_iter_init (&iter, query->excluded);
  while (g_hash_table_iter_next (&iter, &word, NULL))
    g_hash_table_add (copy->excluded, g_strdup (word));
  return copy;
}

void
tsr_words_query_free (TsrWordsQuery *query)
{
  if (query == NULL)
    return;
  g_clear_pointer (&query->documents, g_array_unref);
  tsr_scope_free (query->scope);
  g_hash_table_unref (query->excluded);
  g_free (query);
}

/**
 * tsr_words_query_set_documents:
 * @document_ids: (array length=n_document_ids) (nullable): the documents,
 *   %NULL for every document
 */
void
tsr_words_query_set_documents (TsrWordsQuery *query,
                               const gint64  *document_ids,
                               guint          n_document_ids)
{
  g_return_if_fail (query != NULL);

  g_clear_pointer (&query->documents, g_array_unref);
  if (document_ids != NULL)
    {
      query->documents = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_document_ids);
      g_array_append_vals (query->documents, document_ids, n_document_ids);
    }
}

/**
 * tsr_words_query_set_code:
 * @code_id: a code, or 0 for whole documents
 *
 * Counts the words of the code's passages (every coder's, unless the
 * scope names whose) rather than of whole documents.
 */
void
tsr_words_query_set_code (TsrWordsQuery *query,
                          gint64         code_id,
                          gboolean       with_subcodes)
{
  g_return_if_fail (query != NULL);
  query->code_id = code_id;
  query->with_subcodes = with_subcodes;
}

/**
 * tsr_words_query_set_scope:
 * @scope: (nullable): a case or attribute value keeps its documents; with
 *   a code, the scope's coders are whose passages count
 */
void
tsr_words_query_set_scope (TsrWordsQuery  *query,
                           const TsrScope *scope)
{
  g_return_if_fail (query != NULL);
  g_clear_pointer (&query->scope, tsr_scope_free);
  if (scope != NULL)
    query->scope = tsr_scope_copy (scope);
}

/**
 * tsr_words_stop_languages:
 *
 * Returns: (transfer none): the language codes with a stop-word list
 */
const char * const *
tsr_words_stop_languages (void)
{
  return languages;
}

/**
 * tsr_words_query_add_stop_words:
 * @language: a code from tsr_words_stop_languages()
 *
 * Leaves out the language's stop words (articles, pronouns,
 * prepositions…).
 *
 * Returns: %FALSE with @error set for a language without a list
 */
gboolean
tsr_words_query_add_stop_words (TsrWordsQuery  *query,
                                const char     *language,
                                GError        **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *known = NULL;

  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (language != NULL, FALSE);

  if (g_strv_contains (languages, language))
    {
      static gsize registered = 0;

      /* The library is static: its resources are registered when first
       * needed, not by a constructor the linker may leave out. */
      if (g_once_init_enter (&registered))
        {
          tsr_stopwords_register_resource ();
          g_once_init_leave (&registered, 1);
        }
      path = g_strdup_printf ("/io/github/tessera/Tessera/stopwords/%s.txt", language);
      bytes = g_resource_lookup_data (tsr_stopwords_get_resource (), path, 0, NULL);
    }
  if (bytes == NULL)
    {
      known = g_strjoinv (", ", (char **) languages);
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("There is no stop-word list for “%s”; there are lists for %s"), language, known);
      return FALSE;
    }

  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && lines[i][0] != '#')
        tsr_words_query_exclude (query, lines[i]);
    }
  return TRUE;
}

/**
 * tsr_words_query_exclude:
 * @word: a word to leave out, in any case
 */
void
tsr_words_query_exclude (TsrWordsQuery *query,
                         const char    *word)
{
  g_return_if_fail (query != NULL);
  g_return_if_fail (word != NULL);

  if (g_utf8_validate (word, -1, NULL) && *word != '\0')
    g_hash_table_add (query->excluded, g_utf8_strdown (word, -1));
}

/**
 * tsr_words_query_set_min_length:
 * @characters: the shortest word counted (1)
 */
void
tsr_words_query_set_min_length (TsrWordsQuery *query,
                                guint          characters)
{
  g_return_if_fail (query != NULL);
  query->min_length = MAX (characters, 1);
}

/* Counting ----------------------------------------------------------------- */

typedef struct
{
  guint  count;
  guint  documents;
  gint64 last_document;
} Entry;

typedef struct
{
  const TsrWordsQuery *query;
  GHashTable          *entries;   /* word (in chunk) → Entry (in entries array) */
  GStringChunk        *chunk;
  GString             *word;
  guint64              n_words;
} Counter;

static gboolean
is_word_char (gunichar c)
{
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
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
count_word (Counter *counter,
            guint    length,
            gint64   document_id)
{
  const char *word = counter->word->str;
  Entry *entry;

  if (length < counter->query->min_length || g_hash_table_contains (counter->query->excluded, word))
    return;
  counter->n_words++;
  entry = g_hash_table_lookup (counter->entries, word);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      g_hash_table_insert (counter->entries, g_string_chunk_insert_len (counter->chunk, word, counter->word->len), entry);
    }
  entry->count++;
  if (entry->last_document != document_id || entry->documents == 0)
    {
      entry->documents++;
      entry->last_document = document_id;
    }
}

static void
count_text (Counter    *counter,
            const char *text,
            gsize       n_bytes,
            gint64      document_id)
{
  const char *p = text, *end = text + n_bytes;
  GString *word = counter->word;
  guint length = 0;

  g_string_truncate (word, 0);
  while (p < end)
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          /* ASCII: a letter or digit, an apostrophe inside a word, or a
           * word's end. */
          if (g_ascii_isalnum (b))
            {
              g_string_append_c (word, g_ascii_tolower (b));
              length++;
            }
          else if (b == '\'' && length > 0 && p + 1 < end && is_word_char (g_utf8_get_char (p + 1)))
            {
              g_string_append_c (word, '\'');
              length++;
            }
          else if (length > 0)
            {
              count_word (counter, length, document_id);
              g_string_truncate (word, 0);
              length = 0;
            }
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char (p);
          const char *next = g_utf8_next_char (p);

          if (is_word_char (c))
            {
              g_string_append_unichar (word, g_unichar_tolower (c));
              length++;
            }
          else if (c == 0x2019 && length > 0 && next < end && is_word_char (g_utf8_get_char (next)))
            {
              g_string_append_unichar (word, c);
              length++;
            }
          else if (length > 0)
            {
              count_word (counter, length, document_id);
              g_string_truncate (word, 0);
              length = 0;
            }
          p = next;
        }
    }
  if (length > 0)
    count_word (counter, length, document_id);
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  const TsrWordCount *x = *(TsrWordCount * const *) a;
  const TsrWordCount *y = *(TsrWordCount * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->word, y->word);
}

/* The documents to count: the query's, within the scope's. */
static GHashTable *
wanted_documents (sqlite3              *db,
                  const TsrWordsQuery  *query,
                  GCancellable         *cancellable,
                  GError              **error)
{
  GHashTable *wanted = NULL;

  if (query->scope != NULL && _tsr_scope_is_narrowed (query->scope))
    {
      g_autoptr(GArray) ids = _tsr_scope_load_documents (db, query->scope, cancellable, error);

      if (ids == NULL)
        return NULL;
      wanted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (wanted, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
    }
  if (query->documents != NULL)
    {
      GHashTable *listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

      for (guint i = 0; i < query->documents->len; i++)
        {
          gint64 *id = &g_array_index (query->documents, gint64, i);

          if (wanted == NULL || g_hash_table_contains (wanted, id))
            g_hash_table_add (listed, g_memdup2 (id, sizeof (gint64)));
        }
      g_clear_pointer (&wanted, g_hash_table_unref);
      wanted = listed;
    }
  if (wanted == NULL)
    wanted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return wanted;
}

/**
 * tsr_project_count_words:
 * @query: what to count
 * @n_words: (out) (optional): how many words were counted, all told
 *
 * How often each word occurs in the query's text, and in how many
 * documents; the most frequent first, then in alphabetical order.
 *
 * Returns: (transfer full) (element-type TsrWordCount): the table, or
 *   %NULL with @error set
 */
GPtrArray *
tsr_project_count_words (TsrProject           *self,
                         const TsrWordsQuery  *query,
                         guint64              *n_words,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GString) word = g_string_sized_new (64);
  g_autoptr(GPtrArray) table = NULL;
  GStringChunk *chunk = g_string_chunk_new (1 << 16);
  Counter counter = { query, entries, chunk, word, 0 };
  GHashTableIter iter;
  gpointer key, value;
  TsrDatabase *db;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  db = _tsr_project_get_database (self);
  if (db == NULL || tsr_database_get_handle (db) == NULL)
    {
      g_string_chunk_free (chunk);
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  if (query->code_id != 0)
    {
      /* A code's passages: the retrieval's, without context. */
      g_autoptr(TsrRetrieveQuery) retrieval = tsr_retrieve_query_new ();
      g_autoptr(GListModel) passages = NULL;

      tsr_retrieve_query_add_code (retrieval, query->code_id);
      tsr_retrieve_query_set_with_subcodes (retrieval, query->with_subcodes);
      tsr_retrieve_query_set_context (retrieval, 0);
      if (query->scope != NULL)
        tsr_retrieve_query_set_scope (retrieval, query->scope);
      if (!(passages = tsr_project_retrieve (self, retrieval, cancellable, error)))
        ok = FALSE;
      else
        {
          g_autoptr(GHashTable) listed = NULL;

          if (query->documents != NULL)
            {
              listed = g_hash_table_new (g_int64_hash, g_int64_equal);
              for (guint i = 0; i < query->documents->len; i++)
                g_hash_table_add (listed, &g_array_index (query->documents, gint64, i));
            }
          for (guint i = 0; i < g_list_model_get_n_items (passages); i++)
            {
              g_autoptr(TsrRetrievedPassage) passage = g_list_model_get_item (passages, i);
              gint64 document_id = tsr_retrieved_passage_get_document_id (passage);
              const char *text = tsr_retrieved_passage_get_text (passage);

              if (listed == NULL || g_hash_table_contains (listed, &document_id))
                count_text (&counter, text, strlen (text), document_id);
            }
        }
    }
  else
    {
      sqlite3 *handle = tsr_database_get_handle (db);
      gboolean every = query->documents == NULL && (query->scope == NULL || !_tsr_scope_is_narrowed (query->scope));
      g_autoptr(GHashTable) wanted = NULL;
      sqlite3_stmt *stmt = NULL;
      int rc = SQLITE_DONE;

      if (!every && !(wanted = wanted_documents (handle, query, cancellable, error)))
        ok = FALSE;
      else if (!tsr_database_begin_read (db, error))
        ok = FALSE;
      else
        {
          tsr_database_push_cancellable (db, cancellable);
          if (sqlite3_prepare_v2 (handle, "SELECT document_id, text FROM document_texts", -1, &stmt, NULL) == SQLITE_OK)
            {
              while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
                {
                  gint64 document_id = sqlite3_column_int64 (stmt, 0);

                  if (wanted != NULL && !g_hash_table_contains (wanted, &document_id))
                    continue;
                  count_text (&counter, (const char *) sqlite3_column_text (stmt, 1),
                              sqlite3_column_bytes (stmt, 1), document_id);
                }
            }
          else
            rc = SQLITE_ERROR;
          if (rc != SQLITE_DONE)
            {
              if (g_cancellable_is_cancelled (cancellable))
                g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The count was cancelled"));
              else
                tsr_database_set_handle_error (handle, 0, error, "document texts");
              ok = FALSE;
            }
          sqlite3_finalize (stmt);
          tsr_database_pop_cancellable (db);
          tsr_database_commit (db, NULL);
        }
    }

  if (!ok)
    {
      g_string_chunk_free (chunk);
      return NULL;
    }

  table = g_ptr_array_new_full (g_hash_table_size (entries), (GDestroyNotify) tsr_word_count_free);
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TsrWordCount *count = g_new (TsrWordCount, 1);
      Entry *entry = value;

      count->word = g_strdup (key);
      count->count = entry->count;
      count->documents = entry->documents;
      g_ptr_array_add (table, count);
    }
  g_hash_table_remove_all (entries);
  g_string_chunk_free (chunk);
  g_ptr_array_sort (table, compare_counts);
  if (n_words != NULL)
    *n_words = counter.n_words;
  return g_steal_pointer (&table);
}
