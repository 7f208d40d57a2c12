/* tsr-cooccurrence.c — which codes turn up in the same documents
 *
 * Built on the presence matrix of a #TsrCounts, so co-occurrence is
 * counted for the same coders and documents as the n beside it: each
 * code becomes a bit set over the documents in scope, and a pair's count
 * is the population count of their intersection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-cooccurrence.h"

static guint64 *
code_bits (TsrCounts *counts,
           gint64     code_id,
           guint      n_words)
{
  guint n_docs = 0;
  const gint64 *docs = tsr_counts_get_documents (counts, &n_docs);
  guint64 *bits = g_new0 (guint64, MAX (n_words, 1));

  /* Most codes are absent from most documents: skip those quickly. */
  if (tsr_counts_get_code_n (counts, code_id) == 0)
    return bits;
  for (guint d = 0; d < n_docs; d++)
    if (tsr_counts_code_in_document (counts, code_id, docs[d]))
      bits[d / 64] |= G_GUINT64_CONSTANT (1) << (d % 64);
  return bits;
}

static guint
count_both (const guint64 *a,
            const guint64 *b,
            guint          n_words)
{
  guint n = 0;

  for (guint w = 0; w < n_words; w++)
    n += __builtin_popcountll (a[w] & b[w]);
  return n;
}

static int
compare_cooccurrence (gconstpointer pa,
                      gconstpointer pb)
{
  const TsrCooccurrence *a = pa, *b = pb;

  if (a->both != b->both)
    return a->both > b->both ? -1 : 1;
  if (a->jaccard != b->jaccard)
    return a->jaccard > b->jaccard ? -1 : 1;
  return (a->code_id > b->code_id) - (a->code_id < b->code_id);
}

static gboolean
is_ancestor (GHashTable *parents,
             gint64      ancestor,
             gint64      code_id)
{
  guint guard = 0;

  for (gint64 id = code_id; id != 0 && guard++ < 10000; )
    {
      gpointer p = g_hash_table_lookup (parents, &id);

      if (p == NULL)
        return FALSE;
      id = *(gint64 *) p;
      if (id == ancestor)
        return TRUE;
    }
  return FALSE;
}

/**
 * tsr_counts_list_cooccurring:
 * @counts: the counts for the scope (coders and documents) to look in
 * @code_id: the code whose companions are wanted
 * @limit: the most to return, 0 for all
 *
 * The codes most often found in the same documents as @code_id: the most
 * shared documents first, then the higher Jaccard index.  The code
 * itself, the codes above it and below it (which share its documents by
 * construction) and codes sharing no document are left out.
 *
 * Returns: (transfer full) (element-type TsrCooccurrence): the companions
 */
GArray *
tsr_counts_list_cooccurring (TsrCounts  *counts,
                             TsrProject *project,
                             gint64      code_id,
                             guint       limit)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (TsrCooccurrence));
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  g_autoptr(GHashTable) parents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autofree guint64 *mine = NULL;
  guint n_docs = tsr_counts_get_n_documents (counts);
  guint n_words = (n_docs + 63) / 64;
  guint my_n = tsr_counts_get_code_n (counts, code_id);

  if (my_n == 0 || codes == NULL)
    return result;

  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = g_ptr_array_index (codes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
      gint64 parent = tsr_code_get_parent_id (code);

      g_hash_table_insert (parents, g_memdup2 (&id, sizeof id), g_memdup2 (&parent, sizeof parent));
    }

  mine = code_bits (counts, code_id, n_words);
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 id = tsr_entity_get_id (TSR_ENTITY (g_ptr_array_index (codes, i)));
      g_autofree guint64 *theirs = NULL;
      TsrCooccurrence c;

      if (id == code_id || tsr_counts_get_code_n (counts, id) == 0 ||
          is_ancestor (parents, id, code_id) || is_ancestor (parents, code_id, id))
        continue;

      theirs = code_bits (counts, id, n_words);
      c.code_id = id;
      c.both = count_both (mine, theirs, n_words);
      c.n = tsr_counts_get_code_n (counts, id);
      c.jaccard = (double) c.both / (my_n + c.n - c.both);
      if (c.both > 0)
        g_array_append_val (result, c);
    }

  g_array_sort (result, compare_cooccurrence);
  if (limit > 0 && result->len > limit)
    g_array_set_size (result, limit);
  return result;
}

struct _TsrCooccurrenceTable
{
  guint   n_codes;
  gint64 *code_ids;
  guint  *cells;      /* n_codes × n_codes, symmetric; the diagonal is n */
};

/**
 * tsr_cooccurrence_table_new:
 * @code_ids: (array length=n_codes): the codes for the rows and columns
 *
 * Counts, for every pair of the codes, the documents in the scope of
 * @counts that hold both; the diagonal holds each code's n.
 *
 * Returns: (transfer full): the table
 */
TsrCooccurrenceTable *
tsr_cooccurrence_table_new (TsrCounts    *counts,
                            const gint64 *code_ids,
                            guint         n_codes)
{
  TsrCooccurrenceTable *table = g_new0 (TsrCooccurrenceTable, 1);
  guint n_words = (tsr_counts_get_n_documents (counts) + 63) / 64;
  guint64 **bits = g_new0 (guint64 *, MAX (n_codes, 1));

  table->n_codes = n_codes;
  table->code_ids = g_memdup2 (code_ids, sizeof (gint64) * MAX (n_codes, 1));
  table->cells = g_new0 (guint, (gsize) MAX (n_codes, 1) * MAX (n_codes, 1));

  for (guint i = 0; i < n_codes; i++)
    bits[i] = code_bits (counts, code_ids[i], n_words);
  for (guint i = 0; i < n_codes; i++)
    for (guint j = i; j < n_codes; j++)
      {
        guint both = count_both (bits[i], bits[j], n_words);

        table->cells[(gsize) i * n_codes + j] = both;
        table->cells[(gsize) j * n_codes + i] = both;
      }

  for (guint i = 0; i < n_codes; i++)
    g_free (bits[i]);
  g_free (bits);
  return table;
}

void
tsr_cooccurrence_table_free (TsrCooccurrenceTable *table)
{
  if (table == NULL)
    return;
  g_free (table->code_ids);
  g_free (table->cells);
  g_free (table);
}

guint
tsr_cooccurrence_table_get_n_codes (TsrCooccurrenceTable *table)
{
  return table->n_codes;
}

gint64
tsr_cooccurrence_table_get_code (TsrCooccurrenceTable *table,
                                 guint                 index)
{
  g_return_val_if_fail (index < table->n_codes, 0);
  return table->code_ids[index];
}

/**
 * tsr_cooccurrence_table_get:
 *
 * Returns: the documents holding both the @row-th and the @column-th code
 */
guint
tsr_cooccurrence_table_get (TsrCooccurrenceTable *table,
                            guint                 row,
                            guint                 column)
{
  g_return_val_if_fail (row < table->n_codes && column < table->n_codes, 0);
  return table->cells[(gsize) row * table->n_codes + column];
}
