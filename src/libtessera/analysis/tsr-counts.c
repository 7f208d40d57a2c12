/* tsr-counts.c — n per code and theme, segment counts, presence matrix
 *
 * n for a code is the number of distinct documents in scope holding a
 * segment of it or of any code below it; n for a theme, of any of its
 * codes (with theirs below) or of its sub-themes'.  One GROUP BY over the
 * (coder, code, document) covering index gives the presence of each code
 * in each document; the tree roll-ups and unions are then done on bit sets
 * in memory, which keeps a theme table at a million segments close to the
 * cost of that one scan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tsr-counts.h"
#include "tsr-counts-private.h"
#include "tsr-database-private.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* TsrScope ----------------------------------------------------------- */

struct _TsrScope
{
  TsrCoderMode  mode;
  gint64        coder_id;
  gint64        case_id;
  gint64        attribute_id;
  char         *attribute_value;
  GArray       *documents;
};

G_DEFINE_BOXED_TYPE (TsrScope, tsr_scope, tsr_scope_copy, tsr_scope_free)

const char *
tsr_coder_mode_to_string (TsrCoderMode mode)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_CODER_MODE, mode);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_coder_mode_from_string (const char   *str,
                            TsrCoderMode *mode)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_CODER_MODE, str, &value))
    return FALSE;
  *mode = value;
  return TRUE;
}

/**
 * tsr_scope_new:
 * @mode: whose coding counts
 * @coder_id: the coder, for %TSR_CODERS_ONE
 *
 * A scope over every document; narrow it with tsr_scope_set_case(),
 * tsr_scope_set_attribute() or tsr_scope_set_documents().
 *
 * Returns: (transfer full): a new scope
 */
TsrScope *
tsr_scope_new (TsrCoderMode mode,
               gint64       coder_id)
{
  TsrScope *scope = g_new0 (TsrScope, 1);

  scope->mode = mode;
  scope->coder_id = coder_id;
  return scope;
}

TsrScope *
tsr_scope_copy (const TsrScope *scope)
{
  TsrScope *copy = g_new0 (TsrScope, 1);

  *copy = *scope;
  copy->attribute_value = g_strdup (scope->attribute_value);
  if (scope->documents != NULL)
    {
      copy->documents = g_array_sized_new (FALSE, FALSE, sizeof (gint64), scope->documents->len);
      g_array_append_vals (copy->documents, scope->documents->data, scope->documents->len);
    }
  return copy;
}

void
tsr_scope_free (TsrScope *scope)
{
  if (scope == NULL)
    return;
  g_free (scope->attribute_value);
  g_clear_pointer (&scope->documents, g_array_unref);
  g_free (scope);
}

/**
 * tsr_scope_set_case:
 * @case_id: a case, or 0 for no restriction
 *
 * Counts only the documents of one case.
 */
void
tsr_scope_set_case (TsrScope *scope,
                    gint64    case_id)
{
  scope->case_id = case_id;
}

/**
 * tsr_scope_set_attribute:
 * @attribute_id: an attribute of documents or of cases, or 0
 * @value: the value, in canonical form
 *
 * Counts only the documents whose attribute (or whose case's attribute)
 * has @value.
 */
void
tsr_scope_set_attribute (TsrScope   *scope,
                         gint64      attribute_id,
                         const char *value)
{
  scope->attribute_id = attribute_id;
  g_free (scope->attribute_value);
  scope->attribute_value = g_strdup (value);
}

/**
 * tsr_scope_set_documents:
 * @document_ids: (array length=n_document_ids) (nullable): the documents
 *
 * Counts only these documents; %NULL for no restriction.
 */
void
tsr_scope_set_documents (TsrScope     *scope,
                         const gint64 *document_ids,
                         guint         n_document_ids)
{
  g_clear_pointer (&scope->documents, g_array_unref);
  if (document_ids != NULL)
    {
      scope->documents = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_document_ids);
      g_array_append_vals (scope->documents, document_ids, n_document_ids);
    }
}

TsrCoderMode
tsr_scope_get_mode (const TsrScope *scope)
{
  return scope->mode;
}

gint64
tsr_scope_get_coder_id (const TsrScope *scope)
{
  return scope->coder_id;
}

/**
 * tsr_project_dup_default_scope:
 * @project: a project
 *
 * Whose coding a count covers until the researcher chooses otherwise —
 * the one rule every view, the map's co-occurrence and the command line
 * follow, so that their numbers agree:
 *
 * - the consensus, when the project has consensus coding (a consensus
 *   coder without any coding does not count);
 * - else the current coder's coding, when nobody else has coded (a
 *   newcomer's first code counts at once);
 * - else the coding of any coder.
 *
 * Returns: (transfer full): the scope, over every document
 */
TsrScope *
tsr_project_dup_default_scope (TsrProject *project)
{
  TsrDatabase *db;
  TsrCoder *current;
  gint64 current_id;
  sqlite3_stmt *stmt;
  gboolean consensus = FALSE;
  gboolean others = FALSE;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  current = tsr_project_get_current_coder (project);
  current_id = current ? tsr_entity_get_id (TSR_ENTITY (current)) : 0;
  db = _tsr_project_get_database (project);

  /* One probe per coder on the (coder_id, …) index, not a segment scan. */
  stmt = db ? tsr_database_prepare (db, "SELECT id, is_consensus FROM coders c"
                                        " WHERE EXISTS (SELECT 1 FROM segments s WHERE s.coder_id = c.id)",
                                    NULL)
            : NULL;
  if (stmt != NULL)
    {
      while (tsr_database_next_row (db, stmt))
        {
          if (sqlite3_column_int (stmt, 1))
            consensus = TRUE;
          else if (sqlite3_column_int64 (stmt, 0) != current_id)
            others = TRUE;
        }
      sqlite3_reset (stmt);
    }

  if (consensus)
    return tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  if (current_id != 0 && !others)
    return tsr_scope_new (TSR_CODERS_ONE, current_id);
  return tsr_scope_new (TSR_CODERS_ANY, 0);
}

/**
 * tsr_scope_describe:
 * @scope: a scope
 * @project: (nullable): its project, to name one coder
 *
 * Says whose coding a count covers, to go with every number shown:
 * "the consensus", "any coder", "every coder", "Dana Whitfield".
 *
 * Returns: (transfer full): the phrase
 */
char *
tsr_scope_describe (const TsrScope *scope,
                    TsrProject     *project)
{
  g_return_val_if_fail (scope != NULL, NULL);

  switch (scope->mode)
    {
    case TSR_CODERS_CONSENSUS:
      return g_strdup (_("the consensus"));
    case TSR_CODERS_ALL:
      return g_strdup (_("every coder"));
    case TSR_CODERS_ONE:
      {
        g_autoptr(TsrCoder) coder = project ? tsr_project_lookup_coder (project, scope->coder_id) : NULL;

        if (coder != NULL)
          return g_strdup (tsr_coder_get_name (coder));
        return g_strdup (_("one coder"));
      }
    case TSR_CODERS_ANY:
    default:
      return g_strdup (_("any coder"));
    }
}

/* TsrCounts ---------------------------------------------------------- */

typedef struct
{
  guint64 *bits;           /* documents where the code or a descendant is */
  guint    n;              /* popcount of bits */
  guint    own_segments;
  guint    segments;       /* with descendants */
} Item;

struct _TsrCounts
{
  gatomicrefcount  ref_count;
  guint            n_docs;
  guint            n_words;
  gint64          *doc_ids;
  GHashTable      *doc_index;   /* gint64 id → index + 1 */
  GHashTable      *codes;       /* gint64 id → Item* */
  GHashTable      *themes;      /* gint64 id → Item* */
};

G_DEFINE_BOXED_TYPE (TsrCounts, tsr_counts, tsr_counts_ref, tsr_counts_unref)

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->bits);
  g_free (item);
}

TsrCounts *
tsr_counts_ref (TsrCounts *counts)
{
  g_atomic_ref_count_inc (&counts->ref_count);
  return counts;
}

void
tsr_counts_unref (TsrCounts *counts)
{
  if (!g_atomic_ref_count_dec (&counts->ref_count))
    return;

  g_free (counts->doc_ids);
  g_hash_table_unref (counts->doc_index);
  g_hash_table_unref (counts->codes);
  g_hash_table_unref (counts->themes);
  g_free (counts);
}

static guint
popcount (const guint64 *bits,
          guint          n_words)
{
  guint n = 0;

  for (guint i = 0; i < n_words; i++)
    n += __builtin_popcountll (bits[i]);
  return n;
}

/* The computation, on any connection ---------------------------------- */

typedef struct
{
  gint64  id;
  gint64  parent_id;
  guint   depth;
  guint   parent_index;    /* G_MAXUINT at the top */
} Node;

typedef struct
{
  sqlite3       *db;
  GCancellable  *cancellable;
  GError       **error;
} Ctx;

static gboolean
fail (Ctx        *ctx,
      const char *what)
{
  if (g_cancellable_is_cancelled (ctx->cancellable))
    g_set_error_literal (ctx->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The count was cancelled"));
  else
    tsr_database_set_handle_error (ctx->db, 0, ctx->error, what);
  return FALSE;
}

static sqlite3_stmt *
prepare (Ctx        *ctx,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (ctx->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (ctx, "prepare");
      return NULL;
    }
  return stmt;
}

/* Reads a tree table's (id, parent_id) rows with each row's depth. */
static GArray *
load_tree (Ctx        *ctx,
           const char *table)
{
  g_autofree char *sql = g_strdup_printf ("WITH RECURSIVE t (id, parent_id, depth) AS ("
                                          "  SELECT id, 0, 0 FROM %s WHERE parent_id IS NULL"
                                          "  UNION ALL SELECT c.id, c.parent_id, t.depth + 1"
                                          "  FROM %s c JOIN t ON c.parent_id = t.id"
                                          ") SELECT id, parent_id, depth FROM t ORDER BY depth DESC",
                                          table, table);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt = prepare (ctx, sql);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Node node = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                    sqlite3_column_int (stmt, 2), G_MAXUINT };
      g_array_append_val (nodes, node);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (ctx, table);
      return NULL;
    }

  for (guint i = 0; i < nodes->len; i++)
    g_hash_table_insert (index, &g_array_index (nodes, Node, i).id, GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < nodes->len; i++)
    {
      Node *node = &g_array_index (nodes, Node, i);
      if (node->parent_id != 0)
        node->parent_index = GPOINTER_TO_UINT (g_hash_table_lookup (index, &node->parent_id)) - 1;
    }
  return g_steal_pointer (&nodes);
}

static GArray *
load_ids (Ctx          *ctx,
          sqlite3_stmt *stmt)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (ctx, "ids");
      g_array_unref (ids);
      return NULL;
    }
  return ids;
}

static GArray *
load_scope_documents (Ctx            *ctx,
                      const TsrScope *scope)
{
  sqlite3_stmt *stmt = prepare (ctx,
    "SELECT d.id FROM documents d WHERE"
    " (?1 = 0 OR d.id IN (SELECT document_id FROM case_documents WHERE case_id = ?1))"
    " AND (?2 = 0 OR d.id IN ("
    "   SELECT document_id FROM document_attribute_values WHERE attribute_id = ?2 AND value = ?3"
    "   UNION SELECT cd.document_id FROM case_documents cd JOIN case_attribute_values v"
    "   ON v.case_id = cd.case_id WHERE v.attribute_id = ?2 AND v.value = ?3))"
    " ORDER BY d.position, d.id");
  g_autoptr(GArray) ids = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scope->case_id);
  sqlite3_bind_int64 (stmt, 2, scope->attribute_id);
  sqlite3_bind_text (stmt, 3, scope->attribute_value ? scope->attribute_value : "", -1, SQLITE_TRANSIENT);
  ids = load_ids (ctx, stmt);
  if (ids == NULL || scope->documents == NULL)
    return g_steal_pointer (&ids);

  /* Intersect with the explicit list, keeping document order. */
  {
    g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
    GArray *kept = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (guint i = 0; i < scope->documents->len; i++)
      g_hash_table_add (wanted, &g_array_index (scope->documents, gint64, i));
    for (guint i = 0; i < ids->len; i++)
      if (g_hash_table_contains (wanted, &g_array_index (ids, gint64, i)))
        g_array_append_val (kept, g_array_index (ids, gint64, i));
    return kept;
  }
}

static GArray *
load_coders (Ctx            *ctx,
             const TsrScope *scope)
{
  sqlite3_stmt *stmt;

  switch (scope->mode)
    {
    case TSR_CODERS_ONE:
      stmt = prepare (ctx, "SELECT id FROM coders WHERE id = ?");
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, scope->coder_id);
      break;
    case TSR_CODERS_CONSENSUS:
      stmt = prepare (ctx, "SELECT id FROM coders WHERE is_consensus = 1 ORDER BY id LIMIT 1");
      break;
    case TSR_CODERS_ANY:
    case TSR_CODERS_ALL:
    default:
      /* The human coders who coded anything: a coder who has not coded
       * yet (just named in the preferences) does not make every "all"
       * count zero. */
      stmt = prepare (ctx, "SELECT id FROM coders c WHERE is_consensus = 0"
                           " AND EXISTS (SELECT 1 FROM segments s WHERE s.coder_id = c.id) ORDER BY id");
      break;
    }
  if (stmt == NULL)
    return NULL;
  return load_ids (ctx, stmt);
}

GArray *
_tsr_scope_load_documents (sqlite3         *db,
                           const TsrScope  *scope,
                           GCancellable    *cancellable,
                           GError         **error)
{
  Ctx ctx = { db, cancellable, error };

  return load_scope_documents (&ctx, scope);
}

GArray *
_tsr_scope_load_coders (sqlite3         *db,
                        const TsrScope  *scope,
                        GCancellable    *cancellable,
                        GError         **error)
{
  Ctx ctx = { db, cancellable, error };

  return load_coders (&ctx, scope);
}

gboolean
_tsr_scope_is_narrowed (const TsrScope *scope)
{
  return scope->case_id != 0 || scope->attribute_id != 0 || scope->documents != NULL;
}

/* One coder set's presence: per code and per theme, a bit set and segment
 * counts. */
typedef struct
{
  guint    n_words;
  guint64 *code_bits;      /* n_codes × n_words, own then rolled up */
  guint   *code_own_segs;
  guint   *code_segs;
  guint64 *theme_bits;     /* n_themes × n_words */
  guint   *theme_segs;
} Layer;

static void
layer_clear (Layer *layer)
{
  g_free (layer->code_bits);
  g_free (layer->code_own_segs);
  g_free (layer->code_segs);
  g_free (layer->theme_bits);
  g_free (layer->theme_segs);
}

static gboolean
fill_layer (Ctx         *ctx,
            Layer       *layer,
            const gint64 *coder_ids,
            guint        n_coders,
            GArray      *codes,
            GHashTable  *code_index,
            GArray      *themes,
            GHashTable  *theme_index,
            GHashTable  *doc_index,
            guint        n_words,
            GArray      *theme_code_pairs)
{
  sqlite3_stmt *stmt;
  guint n_codes = codes->len;
  guint n_themes = themes->len;
  g_autofree guint *doc_lut = NULL;
  guint64 doc_lut_len = 0;
  int rc;

  layer->n_words = n_words;
  layer->code_bits = g_new0 (guint64, (gsize) MAX (n_codes, 1) * MAX (n_words, 1));
  layer->code_own_segs = g_new0 (guint, MAX (n_codes, 1));
  layer->code_segs = g_new0 (guint, MAX (n_codes, 1));
  layer->theme_bits = g_new0 (guint64, (gsize) MAX (n_themes, 1) * MAX (n_words, 1));
  layer->theme_segs = g_new0 (guint, MAX (n_themes, 1));

  /* The covering index yields rows already ordered by (code, document);
   * counting runs of equal pairs here is much cheaper than GROUP BY. */
  stmt = prepare (ctx, "SELECT code_id, document_id FROM segments INDEXED BY segments_counts"
                       " WHERE coder_id = ?");
  if (stmt == NULL)
    return FALSE;

  /* Document ids are rowids, dense in practice: a direct table beats a
   * hash lookup per segment (the hash stays for sparse ids). */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, doc_index);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (*(gint64 *) key >= 0 && *(gint64 *) key < 4 * (gint64) g_hash_table_size (doc_index) + 1024)
        doc_lut_len = MAX (doc_lut_len, (guint64) *(gint64 *) key + 1);
    doc_lut = g_new0 (guint, MAX (doc_lut_len, 1));
    g_hash_table_iter_init (&iter, doc_index);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if ((guint64) *(gint64 *) key < doc_lut_len)
        doc_lut[*(gint64 *) key] = GPOINTER_TO_UINT (value);
  }

  for (guint c = 0; c < n_coders; c++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, coder_ids[c]);
      gint64 last_code = -1;
      guint ci = 0;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 code_id = sqlite3_column_int64 (stmt, 0);
          gint64 doc_id = sqlite3_column_int64 (stmt, 1);
          guint di;

          /* Rows come grouped by code: look the code up once a run. */
          if (code_id != last_code)
            {
              ci = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &code_id));
              last_code = code_id;
            }
          if (doc_id >= 0 && (guint64) doc_id < doc_lut_len)
            di = doc_lut[doc_id];
          else
            di = GPOINTER_TO_UINT (g_hash_table_lookup (doc_index, &doc_id));

          if (ci == 0 || di == 0)
            continue;
          di--;
          layer->code_bits[(gsize) (ci - 1) * n_words + di / 64] |= G_GUINT64_CONSTANT (1) << (di % 64);
          layer->code_own_segs[ci - 1]++;
        }
      if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          return fail (ctx, "segments");
        }
    }
  sqlite3_finalize (stmt);

  /* Codes come deepest first: roll each up into its parent. */
  for (guint i = 0; i < n_codes; i++)
    layer->code_segs[i] += layer->code_own_segs[i];
  for (guint i = 0; i < n_codes; i++)
    {
      Node *node = &g_array_index (codes, Node, i);

      if (node->parent_index == G_MAXUINT)
        continue;
      for (guint w = 0; w < n_words; w++)
        layer->code_bits[(gsize) node->parent_index * n_words + w] |= layer->code_bits[(gsize) i * n_words + w];
      layer->code_segs[node->parent_index] += layer->code_segs[i];
    }

  /* Themes: a theme's documents are the union of its codes' (with their
   * descendants); segments are counted once per distinct code covered. */
  {
    g_autofree guint8 *covered = g_new0 (guint8, (gsize) MAX (n_themes, 1) * MAX (n_codes, 1));

    for (guint p = 0; p < theme_code_pairs->len; p += 2)
      {
        gint64 theme_id = g_array_index (theme_code_pairs, gint64, p);
        gint64 code_id = g_array_index (theme_code_pairs, gint64, p + 1);
        guint ti = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &theme_id));
        guint ci = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &code_id));

        if (ti == 0 || ci == 0)
          continue;
        covered[(gsize) (ti - 1) * n_codes + (ci - 1)] = 1;
      }

    /* A code covers its descendants; descendants come before ancestors in
     * `codes`, so walk from the top (the end) down. */
    for (guint t = 0; t < n_themes; t++)
      for (guint i = n_codes; i > 0; i--)
        {
          Node *node = &g_array_index (codes, Node, i - 1);
          if (node->parent_index != G_MAXUINT && covered[(gsize) t * n_codes + node->parent_index])
            covered[(gsize) t * n_codes + (i - 1)] = 1;
        }

    /* Sub-themes' coverage joins their parents'; themes come deepest first. */
    for (guint t = 0; t < n_themes; t++)
      {
        Node *node = &g_array_index (themes, Node, t);

        if (node->parent_index == G_MAXUINT)
          continue;
        for (guint i = 0; i < n_codes; i++)
          covered[(gsize) node->parent_index * n_codes + i] |= covered[(gsize) t * n_codes + i];
      }

    for (guint t = 0; t < n_themes; t++)
      for (guint i = 0; i < n_codes; i++)
        if (covered[(gsize) t * n_codes + i])
          {
            for (guint w = 0; w < n_words; w++)
              layer->theme_bits[(gsize) t * n_words + w] |= layer->code_bits[(gsize) i * n_words + w];
            layer->theme_segs[t] += layer->code_own_segs[i];
          }
  }

  return TRUE;
}

static TsrCounts *
compute (Ctx            *ctx,
         const TsrScope *scope)
{
  g_autoptr(GArray) docs = NULL;
  g_autoptr(GArray) codes = NULL;
  g_autoptr(GArray) themes = NULL;
  g_autoptr(GArray) coders = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) code_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) theme_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  Layer layer = { 0 };
  TsrCounts *counts;
  sqlite3_stmt *stmt;
  guint n_words;
  int rc;

  if ((docs = load_scope_documents (ctx, scope)) == NULL ||
      (codes = load_tree (ctx, "codes")) == NULL ||
      (themes = load_tree (ctx, "themes")) == NULL ||
      (coders = load_coders (ctx, scope)) == NULL)
    return NULL;

  stmt = prepare (ctx, "SELECT theme_id, code_id FROM theme_codes");
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      g_array_append_vals (pairs, pair, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (ctx, "theme codes");
      return NULL;
    }

  counts = g_new0 (TsrCounts, 1);
  g_atomic_ref_count_init (&counts->ref_count);
  counts->n_docs = docs->len;
  counts->n_words = n_words = (docs->len + 63) / 64;
  counts->doc_ids = g_memdup2 (docs->data, sizeof (gint64) * MAX (docs->len, 1));
  counts->doc_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, NULL);
  counts->codes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, item_free);
  counts->themes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, item_free);

  for (guint i = 0; i < docs->len; i++)
    g_hash_table_insert (counts->doc_index, &counts->doc_ids[i], GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < codes->len; i++)
    g_hash_table_insert (code_index, &g_array_index (codes, Node, i).id, GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < themes->len; i++)
    g_hash_table_insert (theme_index, &g_array_index (themes, Node, i).id, GUINT_TO_POINTER (i + 1));

  if (scope->mode == TSR_CODERS_ALL && coders->len > 0)
    {
      /* Present for every coder: intersect each coder's own roll-up. */
      for (guint c = 0; c < coders->len; c++)
        {
          Layer one = { 0 };

          if (!fill_layer (ctx, &one, &g_array_index (coders, gint64, c), 1, codes, code_index,
                           themes, theme_index, counts->doc_index, n_words, pairs))
            {
              layer_clear (&one);
              layer_clear (&layer);
              tsr_counts_unref (counts);
              return NULL;
            }
          if (c == 0)
            layer = one;
          else
            {
              for (gsize w = 0; w < (gsize) codes->len * n_words; w++)
                layer.code_bits[w] &= one.code_bits[w];
              for (gsize w = 0; w < (gsize) themes->len * n_words; w++)
                layer.theme_bits[w] &= one.theme_bits[w];
              for (guint i = 0; i < codes->len; i++)
                {
                  layer.code_own_segs[i] += one.code_own_segs[i];
                  layer.code_segs[i] += one.code_segs[i];
                }
              for (guint i = 0; i < themes->len; i++)
                layer.theme_segs[i] += one.theme_segs[i];
              layer_clear (&one);
            }
        }
    }
  else if (!fill_layer (ctx, &layer, (const gint64 *) coders->data, coders->len, codes, code_index,
                        themes, theme_index, counts->doc_index, n_words, pairs))
    {
      layer_clear (&layer);
      tsr_counts_unref (counts);
      return NULL;
    }

  if (layer.code_bits == NULL)
    {
      /* ALL with no human coders: nothing is coded by everyone. */
      Layer empty = { 0 };

      fill_layer (ctx, &empty, NULL, 0, codes, code_index, themes, theme_index,
                  counts->doc_index, n_words, pairs);
      layer = empty;
    }

  for (guint i = 0; i < codes->len; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->bits = g_memdup2 (layer.code_bits + (gsize) i * n_words, sizeof (guint64) * MAX (n_words, 1));
      item->n = popcount (item->bits, n_words);
      item->own_segments = layer.code_own_segs[i];
      item->segments = layer.code_segs[i];
      g_hash_table_insert (counts->codes, g_memdup2 (&g_array_index (codes, Node, i).id, sizeof (gint64)), item);
    }
  for (guint i = 0; i < themes->len; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->bits = g_memdup2 (layer.theme_bits + (gsize) i * n_words, sizeof (guint64) * MAX (n_words, 1));
      item->n = popcount (item->bits, n_words);
      item->segments = layer.theme_segs[i];
      g_hash_table_insert (counts->themes, g_memdup2 (&g_array_index (themes, Node, i).id, sizeof (gint64)), item);
    }

  layer_clear (&layer);
  return counts;
}

/* Public API ---------------------------------------------------------- */

/**
 * tsr_project_compute_counts:
 * @scope: whose coding and which documents
 *
 * Computes n and segment counts for every code and theme, and the
 * document × code presence matrix, for one scope.
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
TsrCounts *
tsr_project_compute_counts (TsrProject      *self,
                            const TsrScope  *scope,
                            GCancellable    *cancellable,
                            GError         **error)
{
  TsrDatabase *db;
  TsrCounts *counts;
  Ctx ctx;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (scope != NULL, NULL);

  db = _tsr_project_get_database (self);
  if (db == NULL || tsr_database_get_handle (db) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  ctx.db = tsr_database_get_handle (db);
  ctx.cancellable = cancellable;
  ctx.error = error;

  tsr_database_push_cancellable (db, cancellable);
  counts = compute (&ctx, scope);
  tsr_database_pop_cancellable (db);
  return counts;
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const TsrScope *scope = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  GError *error = NULL;
  TsrCounts *counts;
  sqlite3 *db = NULL;
  Ctx ctx;

  if (!(db = tsr_database_open_reader (path, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  ctx.db = db;
  ctx.cancellable = cancellable;
  ctx.error = &error;
  counts = compute (&ctx, scope);
  sqlite3_close (db);

  if (counts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, counts, (GDestroyNotify) tsr_counts_unref);
}

/**
 * tsr_project_compute_counts_async:
 *
 * Computes the counts in a worker thread over a connection of its own.
 */
void
tsr_project_compute_counts_async (TsrProject          *self,
                                  const TsrScope      *scope,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (scope != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_compute_counts_async);
  g_task_set_task_data (task, tsr_scope_copy (scope), (GDestroyNotify) tsr_scope_free);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (tsr_project_get_path (self)), g_free);
  if (tsr_project_get_path (self) == NULL)
    {
      g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }
  g_task_run_in_thread (task, compute_thread);
}

/**
 * tsr_project_compute_counts_finish:
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
TsrCounts *
tsr_project_compute_counts_finish (TsrProject    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
tsr_counts_get_n_documents (TsrCounts *counts)
{
  return counts->n_docs;
}

/**
 * tsr_counts_get_documents:
 * @n_documents: (out): how many
 *
 * Returns: (array length=n_documents) (transfer none): the documents in scope
 */
const gint64 *
tsr_counts_get_documents (TsrCounts *counts,
                          guint     *n_documents)
{
  *n_documents = counts->n_docs;
  return counts->doc_ids;
}

static Item *
code_item (TsrCounts *counts,
           gint64     code_id)
{
  return g_hash_table_lookup (counts->codes, &code_id);
}

static Item *
theme_item (TsrCounts *counts,
            gint64     theme_id)
{
  return g_hash_table_lookup (counts->themes, &theme_id);
}

/** tsr_counts_get_code_n: Returns: documents holding the code or a code below it */
guint
tsr_counts_get_code_n (TsrCounts *counts,
                       gint64     code_id)
{
  Item *item = code_item (counts, code_id);
  return item ? item->n : 0;
}

/** tsr_counts_get_code_segments: Returns: segments of the code and the codes below it */
guint
tsr_counts_get_code_segments (TsrCounts *counts,
                              gint64     code_id)
{
  Item *item = code_item (counts, code_id);
  return item ? item->segments : 0;
}

/** tsr_counts_get_code_own_segments: Returns: segments of the code itself */
guint
tsr_counts_get_code_own_segments (TsrCounts *counts,
                                  gint64     code_id)
{
  Item *item = code_item (counts, code_id);
  return item ? item->own_segments : 0;
}

/** tsr_counts_get_theme_n: Returns: documents holding any of the theme's codes */
guint
tsr_counts_get_theme_n (TsrCounts *counts,
                        gint64     theme_id)
{
  Item *item = theme_item (counts, theme_id);
  return item ? item->n : 0;
}

/** tsr_counts_get_theme_segments: Returns: distinct segments of the theme's codes */
guint
tsr_counts_get_theme_segments (TsrCounts *counts,
                               gint64     theme_id)
{
  Item *item = theme_item (counts, theme_id);
  return item ? item->segments : 0;
}

static gboolean
has_bit (TsrCounts *counts,
         Item      *item,
         gint64     document_id)
{
  guint di;

  if (item == NULL)
    return FALSE;
  di = GPOINTER_TO_UINT (g_hash_table_lookup (counts->doc_index, &document_id));
  if (di == 0)
    return FALSE;
  di--;
  return (item->bits[di / 64] >> (di % 64)) & 1;
}

/** tsr_counts_code_in_document: the presence matrix's cell */
gboolean
tsr_counts_code_in_document (TsrCounts *counts,
                             gint64     code_id,
                             gint64     document_id)
{
  return has_bit (counts, code_item (counts, code_id), document_id);
}

gboolean
tsr_counts_theme_in_document (TsrCounts *counts,
                              gint64     theme_id,
                              gint64     document_id)
{
  return has_bit (counts, theme_item (counts, theme_id), document_id);
}

/**
 * tsr_counts_percent:
 *
 * Returns: @n as a percentage of the documents in scope, or NAN when no
 *   document is in scope (a percentage of nothing is undefined, not 0)
 */
double
tsr_counts_percent (TsrCounts *counts,
                    guint      n)
{
  if (counts->n_docs == 0)
    return NAN;
  return 100.0 * n / counts->n_docs;
}

/* Counting within a set of documents ----------------------------------- */

guint64 *
_tsr_counts_new_document_set (TsrCounts    *counts,
                              const gint64 *document_ids,
                              guint         n_document_ids)
{
  guint64 *set = g_new0 (guint64, MAX (counts->n_words, 1));

  for (guint i = 0; i < n_document_ids; i++)
    {
      guint di = GPOINTER_TO_UINT (g_hash_table_lookup (counts->doc_index, &document_ids[i]));

      if (di > 0)
        set[(di - 1) / 64] |= G_GUINT64_CONSTANT (1) << ((di - 1) % 64);
    }
  return set;
}

static guint
item_n_in (TsrCounts     *counts,
           Item          *item,
           const guint64 *set)
{
  guint n = 0;

  if (item == NULL)
    return 0;
  for (guint w = 0; w < counts->n_words; w++)
    n += __builtin_popcountll (item->bits[w] & set[w]);
  return n;
}

guint
_tsr_counts_code_n_in (TsrCounts     *counts,
                       gint64         code_id,
                       const guint64 *set)
{
  return item_n_in (counts, code_item (counts, code_id), set);
}

guint
_tsr_counts_theme_n_in (TsrCounts     *counts,
                        gint64         theme_id,
                        const guint64 *set)
{
  return item_n_in (counts, theme_item (counts, theme_id), set);
}

guint
_tsr_counts_set_size (TsrCounts     *counts,
                      const guint64 *set)
{
  return popcount (set, counts->n_words);
}
