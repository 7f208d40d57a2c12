/* tsr-cooccurrence.h — which codes turn up in the same documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-counts.h"

G_BEGIN_DECLS

/**
 * TsrCooccurrence:
 * @code_id: the other code
 * @both: documents in scope holding both codes
 * @n: documents in scope holding the other code
 * @jaccard: @both over the documents holding either code
 *
 * One code's co-occurrence with another.  A code is present in a
 * document as it counts for n: its own segments or those of codes below it.
 */
typedef struct
{
  gint64 code_id;
  guint  both;
  guint  n;
  double jaccard;
} TsrCooccurrence;

GArray   *tsr_counts_list_cooccurring   (TsrCounts    *counts,
                                         TsrProject   *project,
                                         gint64        code_id,
                                         guint         limit);

typedef struct _TsrCooccurrenceTable TsrCooccurrenceTable;

TsrCooccurrenceTable *tsr_cooccurrence_table_new   (TsrCounts            *counts,
                                                    const gint64         *code_ids,
                                                    guint                 n_codes);
void                  tsr_cooccurrence_table_free  (TsrCooccurrenceTable *table);
guint                 tsr_cooccurrence_table_get_n_codes (TsrCooccurrenceTable *table);
gint64                tsr_cooccurrence_table_get_code    (TsrCooccurrenceTable *table,
                                                          guint                 index);
guint                 tsr_cooccurrence_table_get   (TsrCooccurrenceTable *table,
                                                    guint                 row,
                                                    guint                 column);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrCooccurrenceTable, tsr_cooccurrence_table_free)

G_END_DECLS
