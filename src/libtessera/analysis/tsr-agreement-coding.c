/* tsr-agreement-coding.c — the coding that agreement compares
 *
 * The segments of the coders compared, read once, sorted by (document,
 * code, coder, start) and swept once: each (document, code) group gives
 * each coder's coverage as disjoint intervals, from which the character
 * and segment units are counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-agreement.h"
#include "tsr-agreement-private.h"
#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* Intervals ----------------------------------------------------------- */

guint
_tsr_intervals_merge (TsrInterval *iv,
                      guint        n)
{
  guint out = 0;

  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && iv[i].start <= iv[out - 1].end)
        {
          if (iv[i].end > iv[out - 1].end)
            iv[out - 1].end = iv[i].end;
        }
      else
        iv[out++] = iv[i];
    }
  return out;
}

guint
_tsr_intervals_merge_overlapping (TsrInterval *iv,
                                  guint        n)
{
  guint out = 0;

  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && iv[i].start < iv[out - 1].end)
        {
          if (iv[i].end > iv[out - 1].end)
            iv[out - 1].end = iv[i].end;
        }
      else
        iv[out++] = iv[i];
    }
  return out;
}

guint64
_tsr_intervals_intersection (const TsrInterval *a,
                             guint              n_a,
                             const TsrInterval *b,
                             guint              n_b)
{
  guint64 total = 0;
  guint i = 0, j = 0;

  while (i < n_a && j < n_b)
    {
      guint32 lo = MAX (a[i].start, b[j].start);
      guint32 hi = MIN (a[i].end, b[j].end);

      if (hi > lo)
        total += hi - lo;
      if (a[i].end < b[j].end)
        i++;
      else
        j++;
    }
  return total;
}

/* Reading the coding --------------------------------------------------- */

static gboolean
sql_failed (sqlite3       *db,
            GCancellable  *cancellable,
            GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
  else
    tsr_database_set_handle_error (db, 0, error, "agreement");
  return FALSE;
}

typedef struct
{
  gint64 id;
  gint64 parent_id;
  gint   position;
} CodeRow;

static int
compare_code_rows (gconstpointer a,
                   gconstpointer b)
{
  const CodeRow *x = a, *y = b;

  if (x->parent_id != y->parent_id)
    return x->parent_id < y->parent_id ? -1 : 1;
  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

static void
visit_codes (GArray        *rows,
             GHashTable    *first_child,
             gint64         parent_id,
             guint          depth,
             TsrCodingData *data)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (first_child, &parent_id));

  if (first == 0)
    return;
  for (guint i = first - 1; i < rows->len && g_array_index (rows, CodeRow, i).parent_id == parent_id; i++)
    {
      CodeRow *row = &g_array_index (rows, CodeRow, i);

      data->code_ids[data->n_codes] = row->id;
      data->code_depths[data->n_codes] = depth;
      data->n_codes++;
      visit_codes (rows, first_child, row->id, depth + 1, data);
    }
}

/* Codes in tree order: each code, then its children by position. */
static gboolean
load_codes (sqlite3        *db,
            TsrCodingData  *data,
            GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CodeRow));
  g_autoptr(GHashTable) first_child = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, coalesce (parent_id, 0), position FROM codes", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CodeRow row = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                      sqlite3_column_int (stmt, 2) };
      g_array_append_val (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (db, NULL, error);

  /* Sorted by (parent, position, id): each parent's children are a run. */
  g_array_sort (rows, compare_code_rows);
  for (guint i = rows->len; i > 0; i--)
    g_hash_table_insert (first_child, &g_array_index (rows, CodeRow, i - 1).parent_id, GUINT_TO_POINTER (i));

  data->n_codes = 0;
  data->code_ids = g_new (gint64, MAX (rows->len, 1));
  data->code_depths = g_new (guint, MAX (rows->len, 1));
  /* Codes caught in a cycle (never written by Tessera) cannot be reached
   * from the top level and are not reported. */
  visit_codes (rows, first_child, 0, 0, data);

  data->code_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < data->n_codes; i++)
    g_hash_table_insert (data->code_index, &data->code_ids[i], GUINT_TO_POINTER (i + 1));
  return TRUE;
}

static gboolean
load_documents (sqlite3        *db,
                TsrCodingData  *data,
                GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (guint32));
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, length FROM documents ORDER BY position, id", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint32 length = (guint32) MIN (sqlite3_column_int64 (stmt, 1), G_MAXUINT32);

      g_array_append_val (ids, id);
      g_array_append_val (lengths, length);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (db, NULL, error);

  data->n_documents = ids->len;
  data->document_ids = g_memdup2 (ids->data, sizeof (gint64) * MAX (ids->len, 1));
  data->document_lengths = g_memdup2 (lengths->data, sizeof (guint32) * MAX (lengths->len, 1));
  data->document_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < data->n_documents; i++)
    g_hash_table_insert (data->document_index, &data->document_ids[i], GUINT_TO_POINTER (i + 1));
  return TRUE;
}

/* Which of the coders compared marked which document as done. */
static gboolean
load_done (sqlite3        *db,
           TsrCodingData  *data,
           GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  data->done_masks = g_new0 (guint32, MAX (data->n_documents, 1));
  data->done_coders = 0;
  if (sqlite3_prepare_v2 (db, "SELECT document_id, coder_id FROM document_done", -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 document_id = sqlite3_column_int64 (stmt, 0);
      gint64 coder_id = sqlite3_column_int64 (stmt, 1);
      guint doc = GPOINTER_TO_UINT (g_hash_table_lookup (data->document_index, &document_id));

      if (doc == 0)
        continue;
      for (guint c = 0; c < data->n_coders; c++)
        if (data->coder_ids[c] == coder_id)
          {
            data->done_masks[doc - 1] |= 1u << c;
            data->done_coders |= 1u << c;
          }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (db, NULL, error);
  return TRUE;
}

TsrAgreementDocuments
_tsr_coding_data_basis (const TsrCodingData *data,
                        guint                flags,
                        guint32              coders)
{
  if (!(flags & TSR_AGREEMENT_IGNORE_DONE) && (data->done_coders & coders) != 0)
    return TSR_AGREEMENT_DONE_DOCUMENTS;
  if (flags & TSR_AGREEMENT_UNCODED_AS_MISSING)
    return TSR_AGREEMENT_CODED_DOCUMENTS;
  return TSR_AGREEMENT_EVERY_DOCUMENT;
}

guint32
_tsr_coding_data_judged (const TsrCodingData   *data,
                         TsrAgreementDocuments  basis,
                         guint                  document,
                         guint32                coded_mask)
{
  switch (basis)
    {
    case TSR_AGREEMENT_DONE_DOCUMENTS:
      return data->done_masks[document];
    case TSR_AGREEMENT_CODED_DOCUMENTS:
      return coded_mask;
    case TSR_AGREEMENT_EVERY_DOCUMENT:
    default:
      return data->n_coders >= 32 ? G_MAXUINT32 : (1u << data->n_coders) - 1;
    }
}

/* Ids are rowids, dense in practice: a direct table beats hashing once
 * per segment; sparse ids fall back to the hash. */
typedef struct
{
  guint      *table;
  gint64      length;
  GHashTable *hash;
} IdLookup;

static void
id_lookup_init (IdLookup   *lookup,
                GHashTable *hash)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 limit = 4 * (gint64) g_hash_table_size (hash) + 1024;

  lookup->hash = hash;
  lookup->length = 0;
  g_hash_table_iter_init (&iter, hash);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key >= 0 && *(gint64 *) key < limit)
      lookup->length = MAX (lookup->length, *(gint64 *) key + 1);
  lookup->table = g_new0 (guint, MAX (lookup->length, 1));
  g_hash_table_iter_init (&iter, hash);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key >= 0 && *(gint64 *) key < lookup->length)
      lookup->table[*(gint64 *) key] = GPOINTER_TO_UINT (value);
}

static inline guint
id_lookup (const IdLookup *lookup,
           gint64          id)
{
  if (id >= 0 && id < lookup->length)
    return lookup->table[id];
  return GPOINTER_TO_UINT (g_hash_table_lookup (lookup->hash, &id));
}

static int
compare_records (const void *a,
                 const void *b)
{
  const TsrSpanRecord *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

/**
 * _tsr_coding_data_load:
 *
 * Reads the documents, the code tree, which documents @coder_ids marked
 * done and their segments (in that order: coder index i is
 * @coder_ids[i]), sorted for the sweep.
 */
gboolean
_tsr_coding_data_load_full (sqlite3              *db,
                            const gint64         *coder_ids,
                            guint                 n_coders,
                            GCancellable         *cancellable,
                            TsrCodingData        *data,
                            TsrAgreementTimings  *timings,
                            GError              **error)
{
  gint64 started = g_get_monotonic_time ();
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) records = NULL;
  IdLookup docs = { 0 }, codes = { 0 };
  guint64 n_codes;
  gsize n_rows = 0;
  int rc;

  g_return_val_if_fail (n_coders >= 1 && n_coders <= TSR_AGREEMENT_MAX_CODERS, FALSE);

  memset (data, 0, sizeof *data);
  data->n_coders = n_coders;
  data->coder_ids = g_memdup2 (coder_ids, sizeof (gint64) * n_coders);

  if (!load_documents (db, data, error) || !load_codes (db, data, error) || !load_done (db, data, error))
    return FALSE;

  {
    sqlite3_stmt *count = NULL;

    if (sqlite3_prepare_v2 (db, "SELECT max (id) FROM segments", -1, &count, NULL) == SQLITE_OK &&
        sqlite3_step (count) == SQLITE_ROW)
      n_rows = (gsize) MAX (sqlite3_column_int64 (count, 0), 0);
    sqlite3_finalize (count);
  }

  if (sqlite3_prepare_v2 (db, "SELECT document_id, code_id, coder_id, start, end FROM segments",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sql_failed (db, cancellable, error);

  records = g_array_sized_new (FALSE, FALSE, sizeof (TsrSpanRecord), MIN (n_rows, 64u * 1024 * 1024));
  id_lookup_init (&docs, data->document_index);
  id_lookup_init (&codes, data->code_index);
  n_codes = MAX (data->n_codes, 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 coder_id = sqlite3_column_int64 (stmt, 2);
      TsrSpanRecord record;
      guint coder, doc, code;

      for (coder = 0; coder < n_coders; coder++)
        if (coder_ids[coder] == coder_id)
          break;
      if (coder == n_coders)
        continue;

      doc = id_lookup (&docs, sqlite3_column_int64 (stmt, 0));
      code = id_lookup (&codes, sqlite3_column_int64 (stmt, 1));
      if (doc == 0 || code == 0)
        continue;

      {
        gint64 start = sqlite3_column_int64 (stmt, 3);
        gint64 end = sqlite3_column_int64 (stmt, 4);
        gint64 length = data->document_lengths[doc - 1];

        /* A segment past its document's end (Tessera never writes one, and
         * importing refuses one) is cut at the end, so that no count
         * subtracted from the length can go below zero. */
        end = MIN (end, length);
        if (start < 0 || start >= end)
          continue;
        record.start = (guint32) start;
        record.end = (guint32) end;
      }
      record.key = ((guint64) (doc - 1) * n_codes + (code - 1)) * n_coders + coder;
      g_array_append_val (records, record);
    }
  sqlite3_finalize (stmt);
  g_free (docs.table);
  g_free (codes.table);
  if (rc != SQLITE_DONE)
    return sql_failed (db, cancellable, error);

  if (timings != NULL)
    {
      timings->read_ms = (g_get_monotonic_time () - started) / 1000.0;
      started = g_get_monotonic_time ();
    }
  if (records->len > 1)
    qsort (records->data, records->len, sizeof (TsrSpanRecord), compare_records);
  if (timings != NULL)
    {
      timings->sort_ms = (g_get_monotonic_time () - started) / 1000.0;
      timings->n_records = records->len;
    }
  data->n_records = records->len;
  data->records = (TsrSpanRecord *) g_array_free (g_steal_pointer (&records), FALSE);
  return TRUE;
}

gboolean
_tsr_coding_data_load (sqlite3        *db,
                       const gint64   *coder_ids,
                       guint           n_coders,
                       GCancellable   *cancellable,
                       TsrCodingData  *data,
                       GError        **error)
{
  return _tsr_coding_data_load_full (db, coder_ids, n_coders, cancellable, data, NULL, error);
}

void
_tsr_coding_data_clear (TsrCodingData *data)
{
  g_free (data->coder_ids);
  g_free (data->document_ids);
  g_free (data->document_lengths);
  g_free (data->code_ids);
  g_free (data->code_depths);
  g_clear_pointer (&data->code_index, g_hash_table_unref);
  g_clear_pointer (&data->document_index, g_hash_table_unref);
  g_free (data->records);
  g_free (data->done_masks);
  memset (data, 0, sizeof *data);
}

gboolean
_tsr_coding_data_sweep (const TsrCodingData   *data,
                        gboolean               merge_touching,
                        TsrCodingDocumentFunc  document_func,
                        TsrCodingGroupFunc     group_func,
                        gpointer               user_data,
                        GCancellable          *cancellable,
                        GError               **error)
{
  guint n_coders = data->n_coders;
  guint64 n_codes = MAX (data->n_codes, 1);
  guint64 per_document = n_codes * n_coders;
  g_autofree TsrInterval *scratch = NULL;
  gsize scratch_size = 0;
  gsize i = 0;

  for (guint doc = 0; doc < data->n_documents; doc++)
    {
      guint64 doc_end_key = (guint64) (doc + 1) * per_document;
      guint32 coded_mask = 0;
      gsize j;

      if ((doc & 1023) == 1023 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }

      for (j = i; j < data->n_records && data->records[j].key < doc_end_key; j++)
        coded_mask |= 1u << (data->records[j].key % n_coders);

      if (document_func != NULL)
        document_func (data, doc, coded_mask, user_data);

      while (i < j)
        {
          guint64 group_key = data->records[i].key / n_coders;
          TsrCodingGroup group = { 0 };
          gsize g, k;

          for (g = i; g < j && data->records[g].key / n_coders == group_key; g++)
            ;
          if (g - i > scratch_size)
            {
              scratch_size = MAX (g - i, 2 * scratch_size);
              g_free (scratch);
              scratch = g_new (TsrInterval, scratch_size);
            }

          group.document = doc;
          group.code = group_key % n_codes;
          group.coded_mask = coded_mask;
          k = i;
          while (k < g)
            {
              guint coder = data->records[k].key % n_coders;
              TsrInterval *out = scratch + (k - i);
              guint n = 0;

              for (; k < g && data->records[k].key % n_coders == coder; k++)
                out[n++] = (TsrInterval) { data->records[k].start, data->records[k].end };
              group.coverage[coder] = out;
              group.n_coverage[coder] = merge_touching ? _tsr_intervals_merge (out, n)
                                                       : _tsr_intervals_merge_overlapping (out, n);
              group.present_mask |= 1u << coder;
            }

          if (group_func != NULL && !group_func (data, &group, user_data))
            return FALSE;
          i = g;
        }
    }
  return TRUE;
}
