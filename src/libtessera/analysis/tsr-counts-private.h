/* tsr-counts-private.h — counting within a set of documents, for the
 * core's analyses built on a TsrCounts (the comparison matrix)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-database-private.h"

#include "tsr-counts.h"

G_BEGIN_DECLS

/* A set of the counts' documents, as bits in the counts' order; ids
 * outside the counts' scope are left out.  Free with g_free(). */
guint64 *_tsr_counts_new_document_set (TsrCounts    *counts,
                                       const gint64 *document_ids,
                                       guint         n_document_ids);
/* How many documents of @set hold the code (or one of its sub-codes), or
 * the theme (through any of its codes or sub-themes) */
guint    _tsr_counts_code_n_in        (TsrCounts     *counts,
                                       gint64         code_id,
                                       const guint64 *set);
guint    _tsr_counts_theme_n_in       (TsrCounts     *counts,
                                       gint64         theme_id,
                                       const guint64 *set);
/* How many documents @set holds */
guint    _tsr_counts_set_size         (TsrCounts     *counts,
                                       const guint64 *set);

/* What a scope covers, read on any connection (a worker's too): its
 * documents in document order, and its coders (for "any" and "all" the
 * human coders who coded anything).  %NULL with @error set on failure. */
GArray  *_tsr_scope_load_documents    (sqlite3        *db,
                                       const TsrScope *scope,
                                       GCancellable   *cancellable,
                                       GError        **error);
GArray  *_tsr_scope_load_coders       (sqlite3        *db,
                                       const TsrScope *scope,
                                       GCancellable   *cancellable,
                                       GError        **error);
/* Whether the scope leaves any document out. */
gboolean _tsr_scope_is_narrowed       (const TsrScope *scope);

G_END_DECLS
