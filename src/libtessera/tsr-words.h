/* tsr-words.h — word frequencies over the project, documents, a code's
 * passages or a case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-counts.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrWordCount:
 * @word: the word, in lower case
 * @count: how often it occurs
 * @documents: in how many documents
 *
 * One row of a word frequency table.
 */
typedef struct
{
  char  *word;
  guint  count;
  guint  documents;
} TsrWordCount;

void        tsr_word_count_free (TsrWordCount *count);

/**
 * TsrWordsQuery:
 * Which text to count (every document, some documents, a code's
 * passages, a scope's documents) and which words to leave out.
 */
typedef struct _TsrWordsQuery TsrWordsQuery;

#define TSR_TYPE_WORDS_QUERY (tsr_words_query_get_type ())
GType          tsr_words_query_get_type        (void) G_GNUC_CONST;
TsrWordsQuery *tsr_words_query_new             (void);
TsrWordsQuery *tsr_words_query_copy            (const TsrWordsQuery *query);
void           tsr_words_query_free            (TsrWordsQuery       *query);
void           tsr_words_query_set_documents   (TsrWordsQuery       *query,
                                                const gint64        *document_ids,
                                                guint                n_document_ids);
void           tsr_words_query_set_code        (TsrWordsQuery       *query,
                                                gint64               code_id,
                                                gboolean             with_subcodes);
void           tsr_words_query_set_scope       (TsrWordsQuery       *query,
                                                const TsrScope      *scope);
gboolean       tsr_words_query_add_stop_words  (TsrWordsQuery       *query,
                                                const char          *language,
                                                GError             **error);
void           tsr_words_query_exclude         (TsrWordsQuery       *query,
                                                const char          *word);
void           tsr_words_query_set_min_length  (TsrWordsQuery       *query,
                                                guint                characters);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrWordsQuery, tsr_words_query_free)

const char * const *tsr_words_stop_languages   (void);

GPtrArray     *tsr_project_count_words         (TsrProject          *self,
                                                const TsrWordsQuery *query,
                                                guint64             *n_words,
                                                GCancellable        *cancellable,
                                                GError             **error);

G_END_DECLS
