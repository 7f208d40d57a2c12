/* tsr-search.h — text search over the project's documents, with
 * keyword-in-context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrSearchMode:
 * @TSR_SEARCH_WORDS: words, "phrases", prefix*, OR, NOT and parentheses,
 *   ignoring case and accents (the word index)
 * @TSR_SEARCH_SUBSTRING: the query as a piece of text anywhere, inside
 *   words too, in any script, ignoring case (the trigram index); three
 *   characters or more
 *
 * How a query is read.
 */
typedef enum
{
  TSR_SEARCH_WORDS,
  TSR_SEARCH_SUBSTRING,
} TsrSearchMode;

/**
 * TsrSearchHit:
 * @document_id: the document
 * @start: the first character of the hit, a character offset as segments
 *   use
 * @end: the character after the hit (end exclusive)
 *
 * One place a query matched.
 */
typedef struct
{
  gint64 document_id;
  guint  start;
  guint  end;
} TsrSearchHit;

/**
 * TsrConcordanceLine:
 * @document_id: the document
 * @start: the hit's first character
 * @end: the character after the hit
 * @left: up to the width's characters before the hit
 * @keyword: the hit's text
 * @right: up to the width's characters after the hit
 *
 * One line of a keyword-in-context concordance.  Line ends and tabs in
 * the context are shown as spaces, so a line stays one line.
 */
typedef struct
{
  gint64  document_id;
  guint   start;
  guint   end;
  char   *left;
  char   *keyword;
  char   *right;
} TsrConcordanceLine;

void        tsr_concordance_line_free  (TsrConcordanceLine *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrConcordanceLine, tsr_concordance_line_free)

GArray     *tsr_project_search         (TsrProject          *self,
                                        const char          *query,
                                        TsrSearchMode        mode,
                                        const char          *regex,
                                        GCancellable        *cancellable,
                                        GError             **error);
void        tsr_project_search_async   (TsrProject          *self,
                                        const char          *query,
                                        TsrSearchMode        mode,
                                        const char          *regex,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GArray     *tsr_project_search_finish  (TsrProject          *self,
                                        GAsyncResult        *result,
                                        GError             **error);

GArray     *tsr_search_text            (const char          *text,
                                        const char          *query);

gboolean    tsr_project_complete_index (TsrProject          *self,
                                        guint                max_documents,
                                        guint               *n_left,
                                        GCancellable        *cancellable,
                                        GError             **error);

GPtrArray  *tsr_project_concordance    (TsrProject          *self,
                                        GArray              *hits,
                                        guint                width,
                                        GError             **error);

TsrConcordanceLine *tsr_search_context (const char          *text,
                                        gint64               document_id,
                                        guint                start,
                                        guint                end,
                                        guint                width);

G_END_DECLS
