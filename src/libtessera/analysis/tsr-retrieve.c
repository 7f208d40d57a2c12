/* tsr-retrieve.c — every passage of a code, of several codes or of a
 * theme, with its document, coder, memo and context
 *
 * The codes asked for are widened in memory (sub-codes, a theme's codes
 * and sub-themes) from one read of each tree; each code's segments are
 * read through the segments_code index, filtered by the scope's coders
 * and documents, and sorted into document order.  Each document's text
 * is then read once and walked from passage to passage, so the context
 * costs one pass over the documents that hold a passage, as the
 * concordance does.
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

#define DEFAULT_CONTEXT 80

/* TsrRetrievedPassage ------------------------------------------------------------ */

/* The names passages point into are shared by every passage of one
 * retrieval: a chunk with a reference count of its own. */
typedef struct
{
  gatomicrefcount  ref_count;
  GStringChunk    *chunk;
} Names;

static Names *
names_new (void)
{
  Names *names = g_new0 (Names, 1);

  g_atomic_ref_count_init (&names->ref_count);
  names->chunk = g_string_chunk_new (4096);
  return names;
}

static Names *
names_ref (Names *names)
{
  g_atomic_ref_count_inc (&names->ref_count);
  return names;
}

static void
names_unref (Names *names)
{
  if (names == NULL || !g_atomic_ref_count_dec (&names->ref_count))
    return;
  g_string_chunk_free (names->chunk);
  g_free (names);
}

struct _TsrRetrievedPassage
{
  GObject   parent_instance;

  gint64    segment_id;
  gint64    document_id;
  gint64    code_id;
  gint64    coder_id;
  guint     start;
  guint     end;
  gboolean  exemplar;
  guint     document_position;   /* for sorting */
  const char *document_name;     /* interned in the retrieval's names */
  const char *code_path;
  const char *coder_name;
  char     *text;
  char     *before;
  char     *after;
  char     *memo;
  Names    *names;               /* where the names above are kept */
};

G_DEFINE_FINAL_TYPE (TsrRetrievedPassage, tsr_retrieved_passage, G_TYPE_OBJECT)

static void
tsr_retrieved_passage_finalize (GObject *object)
{
  TsrRetrievedPassage *self = TSR_RETRIEVED_PASSAGE (object);

  g_free (self->text);
  g_free (self->before);
  g_free (self->after);
  g_free (self->memo);
  names_unref (self->names);

  G_OBJECT_CLASS (tsr_retrieved_passage_parent_class)->finalize (object);
}

static void
tsr_retrieved_passage_class_init (TsrRetrievedPassageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_retrieved_passage_finalize;
}

static void
tsr_retrieved_passage_init (TsrRetrievedPassage *self)
{
}

gint64 tsr_retrieved_passage_get_segment_id (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->segment_id; }
gint64 tsr_retrieved_passage_get_document_id (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->document_id; }
gint64 tsr_retrieved_passage_get_code_id (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->code_id; }
gint64 tsr_retrieved_passage_get_coder_id (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->coder_id; }
guint tsr_retrieved_passage_get_start (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->start; }
guint tsr_retrieved_passage_get_end (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), 0); return self->end; }
gboolean tsr_retrieved_passage_get_exemplar (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), FALSE); return self->exemplar; }
const char *tsr_retrieved_passage_get_document_name (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->document_name; }
/** tsr_retrieved_passage_get_code_path: Returns: the code's names from the top down, joined by "/" */
const char *tsr_retrieved_passage_get_code_path (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->code_path; }
const char *tsr_retrieved_passage_get_coder_name (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->coder_name; }
/** tsr_retrieved_passage_get_text: Returns: the passage's text, as it was coded */
const char *tsr_retrieved_passage_get_text (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->text; }
/** tsr_retrieved_passage_get_before: Returns: up to the context's characters before the passage */
const char *tsr_retrieved_passage_get_before (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->before ? self->before : ""; }
/** tsr_retrieved_passage_get_after: Returns: up to the context's characters after the passage */
const char *tsr_retrieved_passage_get_after (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->after ? self->after : ""; }
/** tsr_retrieved_passage_get_memo: Returns: (nullable): the passage's memo, %NULL when it has none */
const char *tsr_retrieved_passage_get_memo (TsrRetrievedPassage *self) { g_return_val_if_fail (TSR_IS_RETRIEVED_PASSAGE (self), NULL); return self->memo; }

/* TsrRetrieveQuery ------------------------------------------------------ */

struct _TsrRetrieveQuery
{
  GArray   *codes;
  GArray   *themes;
  gboolean  with_subcodes;
  TsrScope *scope;
  gboolean  every_coder;
  guint     context;
};

G_DEFINE_BOXED_TYPE (TsrRetrieveQuery, tsr_retrieve_query, tsr_retrieve_query_copy, tsr_retrieve_query_free)

/**
 * tsr_retrieve_query_new:
 *
 * An empty query: add codes or themes.  Without a scope it retrieves
 * every coder's passages in every document, with 80 characters of
 * context on each side.
 *
 * Returns: (transfer full): a new query
 */
TsrRetrieveQuery *
tsr_retrieve_query_new (void)
{
  TsrRetrieveQuery *query = g_new0 (TsrRetrieveQuery, 1);

  query->codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  query->themes = g_array_new (FALSE, FALSE, sizeof (gint64));
  query->context = DEFAULT_CONTEXT;
  return query;
}

TsrRetrieveQuery *
tsr_retrieve_query_copy (const TsrRetrieveQuery *query)
{
  TsrRetrieveQuery *copy = tsr_retrieve_query_new ();

  g_array_append_vals (copy->codes, query->codes->data, query->codes->len);
  g_array_append_vals (copy->themes, query->themes->data, query->themes->len);
  copy->with_subcodes = query->with_subcodes;
  copy->scope = query->scope ? tsr_scope_copy (query->scope) : NULL;
  copy->every_coder = query->every_coder;
  copy->context = query->context;
  return copy;
}

void
tsr_retrieve_query_free (TsrRetrieveQuery *query)
{
  if (query == NULL)
    return;
  g_array_unref (query->codes);
  g_array_unref (query->themes);
  tsr_scope_free (query->scope);
  g_free (query);
}

void
tsr_retrieve_query_add_code (TsrRetrieveQuery *query,
                             gint64            code_id)
{
  g_return_if_fail (query != NULL);
  g_array_append_val (query->codes, code_id);
}

/**
 * tsr_retrieve_query_add_theme:
 *
 * Adds the passages of a theme: of each code of it and of its
 * sub-themes, with the codes' sub-codes.
 */
void
tsr_retrieve_query_add_theme (TsrRetrieveQuery *query,
                              gint64            theme_id)
{
  g_return_if_fail (query != NULL);
  g_array_append_val (query->themes, theme_id);
}

/**
 * tsr_retrieve_query_set_with_subcodes:
 *
 * Whether a code's passages include those of the codes below it.
 */
void
tsr_retrieve_query_set_with_subcodes (TsrRetrieveQuery *query,
                                      gboolean          with_subcodes)
{
  g_return_if_fail (query != NULL);
  query->with_subcodes = with_subcodes;
}

/**
 * tsr_retrieve_query_set_scope:
 * @scope: (nullable): whose passages, in which documents; %NULL for
 *   every coder's in every document
 *
 * With a scope, "one" retrieves that coder's passages, "consensus" the
 * consensus's, "any" and "all" every human coder's; a case or an
 * attribute value keeps the passages of its documents.
 */
void
tsr_retrieve_query_set_scope (TsrRetrieveQuery *query,
                              const TsrScope   *scope)
{
  g_return_if_fail (query != NULL);
  g_clear_pointer (&query->scope, tsr_scope_free);
  if (scope != NULL)
    query->scope = tsr_scope_copy (scope);
}

/**
 * tsr_retrieve_query_set_every_coder:
 *
 * Retrieves every coder's passages, the consensus's too, whatever the
 * scope says about whose coding; the scope still chooses the documents.
 */
void
tsr_retrieve_query_set_every_coder (TsrRetrieveQuery *query,
                                    gboolean          every_coder)
{
  g_return_if_fail (query != NULL);
  query->every_coder = every_coder;
}

/**
 * tsr_retrieve_query_set_context:
 * @characters: how many characters of context on each side (80)
 */
void
tsr_retrieve_query_set_context (TsrRetrieveQuery *query,
                                guint             characters)
{
  g_return_if_fail (query != NULL);
  query->context = characters;
}

/* The retrieval, on any connection ---------------------------------------- */

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
    g_set_error_literal (ctx->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The retrieval was cancelled"));
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

typedef struct
{
  gint64  id;
  gint64  parent_id;
  char   *name;
} TreeRow;

static void
tree_row_clear (gpointer data)
{
  g_free (((TreeRow *) data)->name);
}

/* A tree table's rows, and an index from id to row + 1. */
static GArray *
load_tree (Ctx         *ctx,
           const char  *sql,
           GHashTable **index)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (TreeRow));
  sqlite3_stmt *stmt = prepare (ctx, sql);
  int rc;

  if (stmt == NULL)
    return NULL;
  g_array_set_clear_func (rows, tree_row_clear);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TreeRow row = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                      g_strdup ((const char *) sqlite3_column_text (stmt, 2)) };
      g_array_append_val (rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (ctx, "tree");
      return NULL;
    }

  *index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (*index, &g_array_index (rows, TreeRow, i).id, GUINT_TO_POINTER (i + 1));
  return g_steal_pointer (&rows);
}

/* Marks @code and, with @descendants, every code below it, in @wanted
 * (indexed like @codes).  @children maps a row to its children's rows. */
static void
mark_code (GArray   *codes,
           GPtrArray *children,
           guint     row,
           gboolean  descendants,
           guint8   *wanted)
{
  GArray *kids;

  if (wanted[row])
    return;
  wanted[row] = 1;
  if (!descendants || (kids = children->pdata[row]) == NULL)
    return;
  for (guint i = 0; i < kids->len; i++)
    mark_code (codes, children, g_array_index (kids, guint, i), TRUE, wanted);
}

static void
children_free (gpointer data)
{
  if (data != NULL)
    g_array_unref (data);
}

static GPtrArray *
children_of (GArray     *rows,
             GHashTable *index)
{
  GPtrArray *children = g_ptr_array_new_full (rows->len, children_free);

  g_ptr_array_set_size (children, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      TreeRow *row = &g_array_index (rows, TreeRow, i);
      guint parent = GPOINTER_TO_UINT (g_hash_table_lookup (index, &row->parent_id));

      if (row->parent_id == 0 || parent == 0)
        continue;
      if (children->pdata[parent - 1] == NULL)
        children->pdata[parent - 1] = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val ((GArray *) children->pdata[parent - 1], i);
    }
  return children;
}

/* A theme's codes and its sub-themes', with their sub-codes. */
static gboolean
mark_themes (Ctx        *ctx,
             GArray     *query_themes,
             GArray     *codes,
             GHashTable *code_index,
             GPtrArray  *code_children,
             guint8     *wanted)
{
  g_autoptr(GArray) themes = NULL;
  g_autoptr(GHashTable) theme_index = NULL;
  g_autoptr(GPtrArray) theme_children = NULL;
  g_autofree guint8 *theme_wanted = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (query_themes->len == 0)
    return TRUE;
  if (!(themes = load_tree (ctx, "SELECT id, coalesce (parent_id, 0), name FROM themes", &theme_index)))
    return FALSE;
  theme_children = children_of (themes, theme_index);
  theme_wanted = g_new0 (guint8, MAX (themes->len, 1));
  for (guint i = 0; i < query_themes->len; i++)
    {
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &g_array_index (query_themes, gint64, i)));

      if (row > 0)
        mark_code (themes, theme_children, row - 1, TRUE, theme_wanted);
    }

  if (!(stmt = prepare (ctx, "SELECT theme_id, code_id FROM theme_codes")))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 theme_id = sqlite3_column_int64 (stmt, 0);
      gint64 code_id = sqlite3_column_int64 (stmt, 1);
      guint theme_row = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &theme_id));
      guint code_row = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &code_id));

      if (theme_row > 0 && code_row > 0 && theme_wanted[theme_row - 1])
        mark_code (codes, code_children, code_row - 1, TRUE, wanted);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (ctx, "theme codes");
  return TRUE;
}

/* Each code's path, "Parent/Child". */
static char *
code_path (GArray     *codes,
           GHashTable *index,
           guint       row)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *path = g_string_new (NULL);
  guint guard = 0;

  while (row > 0 && guard++ < 10000)
    {
      TreeRow *r = &g_array_index (codes, TreeRow, row - 1);

      g_ptr_array_add (names, r->name);
      row = r->parent_id ? GPOINTER_TO_UINT (g_hash_table_lookup (index, &r->parent_id)) : 0;
    }
  for (guint i = names->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, names->pdata[i - 1]);
    }
  return g_string_free (path, FALSE);
}

typedef struct
{
  guint        position;
  const char  *name;
} DocumentInfo;

static int
compare_passages (gconstpointer a,
                  gconstpointer b)
{
  const TsrRetrievedPassage *x = *(TsrRetrievedPassage * const *) a;
  const TsrRetrievedPassage *y = *(TsrRetrievedPassage * const *) b;

  if (x->document_position != y->document_position)
    return x->document_position < y->document_position ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return (x->segment_id > y->segment_id) - (x->segment_id < y->segment_id);
}

/* Context keeps to the passage's surroundings on the page: line ends and
 * tabs become spaces, as in a concordance. */
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

/* @p moved on by @n characters, at most to @end.  Runs of ASCII, most of
 * the text in most languages, are skipped eight bytes at a time: walking
 * to each passage is most of a retrieval's work. */
static const char *
skip_chars (const char *p,
            const char *end,
            guint       n)
{
  while (n > 0 && p < end)
    {
      if (n >= 8 && end - p >= 8)
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          if ((word & G_GUINT64_CONSTANT (0x8080808080808080)) == 0)
            {
              p += 8;
              n -= 8;
              continue;
            }
        }
      p = g_utf8_next_char (p);
      n--;
    }
  return MIN (p, end);
}

static gboolean
add_context (Ctx       *ctx,
             GPtrArray *passages,
             guint      width)
{
  sqlite3_stmt *stmt = prepare (ctx, "SELECT text FROM document_texts WHERE document_id = ?");
  const char *text = NULL, *cursor = NULL, *text_end = NULL;
  gint64 current = 0;
  guint cursor_offset = 0;

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < passages->len; i++)
    {
      TsrRetrievedPassage *passage = passages->pdata[i];
      const char *left, *end, *right;

      if (passage->document_id != current || text == NULL || passage->start < cursor_offset)
        {
          int rc;

          if (i % 64 == 0 && g_cancellable_is_cancelled (ctx->cancellable))
            {
              sqlite3_finalize (stmt);
              return fail (ctx, "context");
            }
          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, passage->document_id);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            {
              fail (ctx, "document text");
              sqlite3_finalize (stmt);
              return FALSE;
            }
          text = cursor = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : "";
          text_end = text + (rc == SQLITE_ROW ? sqlite3_column_bytes (stmt, 0) : 0);
          current = passage->document_id;
          cursor_offset = 0;
        }

      if (passage->start > cursor_offset)
        {
          cursor = skip_chars (cursor, text_end, passage->start - cursor_offset);
          cursor_offset = passage->start;
        }
      left = cursor;
      for (guint n = 0; n < width && left > text; n++)
        left = g_utf8_prev_char (left);
      end = skip_chars (cursor, text_end, passage->end - passage->start);
      right = skip_chars (end, text_end, width);
      passage->before = one_line (left, cursor);
      passage->after = one_line (end, right);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static GListModel *
retrieve (Ctx                    *ctx,
          const TsrRetrieveQuery *query)
{
  g_autoptr(GArray) codes = NULL;
  g_autoptr(GHashTable) code_index = NULL;
  g_autoptr(GPtrArray) code_children = NULL;
  g_autofree guint8 *wanted = NULL;
  g_autoptr(GHashTable) coders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) allowed_coders = NULL;
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) allowed_documents = NULL;
  g_autoptr(GHashTable) memos = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) passages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree const char **paths = NULL;
  GListStore *store;
  Names *names = names_new ();
  sqlite3_stmt *stmt;
  int rc;

  /* The codes asked for, widened. */
  if (!(codes = load_tree (ctx, "SELECT id, coalesce (parent_id, 0), name FROM codes", &code_index)))
    goto failed;
  code_children = children_of (codes, code_index);
  wanted = g_new0 (guint8, MAX (codes->len, 1));
  for (guint i = 0; i < query->codes->len; i++)
    {
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &g_array_index (query->codes, gint64, i)));

      if (row > 0)
        mark_code (codes, code_children, row - 1, query->with_subcodes, wanted);
    }
  if (!mark_themes (ctx, query->themes, codes, code_index, code_children, wanted))
    goto failed;
  paths = g_new0 (const char *, MAX (codes->len, 1));
  for (guint i = 0; i < codes->len; i++)
    if (wanted[i])
      {
        g_autofree char *path = code_path (codes, code_index, i + 1);

        paths[i] = g_string_chunk_insert_const (names->chunk, path);
      }

  /* Whose passages, and in which documents. */
  if (!(stmt = prepare (ctx, "SELECT id, name FROM coders")))
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (coders, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                         g_string_chunk_insert_const (names->chunk, (const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && !fail (ctx, "coders"))
    goto failed;

  if (!(stmt = prepare (ctx, "SELECT id, name, position FROM documents ORDER BY position, id")))
    goto failed;
  for (guint position = 0; (rc = sqlite3_step (stmt)) == SQLITE_ROW; position++)
    {
      DocumentInfo *info = g_new (DocumentInfo, 1);

      info->position = position;
      info->name = g_string_chunk_insert (names->chunk, (const char *) sqlite3_column_text (stmt, 1));
      g_hash_table_insert (documents, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)), info);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && !fail (ctx, "documents"))
    goto failed;

  if (query->scope != NULL && !query->every_coder)
    {
      g_autoptr(GArray) ids = _tsr_scope_load_coders (ctx->db, query->scope, ctx->cancellable, ctx->error);

      if (ids == NULL)
        goto failed;
      allowed_coders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (allowed_coders, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
    }
  if (query->scope != NULL && _tsr_scope_is_narrowed (query->scope))
    {
      g_autoptr(GArray) ids = _tsr_scope_load_documents (ctx->db, query->scope, ctx->cancellable, ctx->error);

      if (ids == NULL)
        goto failed;
      allowed_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (allowed_documents, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
    }

  /* Memos of passages are few; one read of them all is cheaper than a
   * lookup per passage. */
  if (!(stmt = prepare (ctx, "SELECT segment_id, text FROM memos WHERE kind = 'segment' AND text <> ''")))
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (memos, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && !fail (ctx, "memos"))
    goto failed;

  /* The passages, code by code. */
  if (!(stmt = prepare (ctx, "SELECT id, document_id, coder_id, start, end, text, exemplar"
                             " FROM segments INDEXED BY segments_code WHERE code_id = ?")))
    goto failed;
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 code_id = g_array_index (codes, TreeRow, i).id;

      if (!wanted[i])
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, code_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 document_id = sqlite3_column_int64 (stmt, 1);
          gint64 coder_id = sqlite3_column_int64 (stmt, 2);
          DocumentInfo *info;
          TsrRetrievedPassage *passage;

          if ((allowed_coders != NULL && !g_hash_table_contains (allowed_coders, &coder_id)) ||
              (allowed_documents != NULL && !g_hash_table_contains (allowed_documents, &document_id)) ||
              (info = g_hash_table_lookup (documents, &document_id)) == NULL)
            continue;

          passage = g_object_new (TSR_TYPE_RETRIEVED_PASSAGE, NULL);
          passage->segment_id = sqlite3_column_int64 (stmt, 0);
          passage->document_id = document_id;
          passage->code_id = code_id;
          passage->coder_id = coder_id;
          passage->start = sqlite3_column_int (stmt, 3);
          passage->end = sqlite3_column_int (stmt, 4);
          passage->text = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
          passage->exemplar = sqlite3_column_int (stmt, 6) != 0;
          passage->document_position = info->position;
          passage->document_name = info->name;
          passage->code_path = paths[i];
          passage->coder_name = g_hash_table_lookup (coders, &coder_id);
          if (passage->coder_name == NULL)
            passage->coder_name = "";
          passage->memo = g_strdup (g_hash_table_lookup (memos, &passage->segment_id));
          passage->names = names_ref (names);
          g_ptr_array_add (passages, passage);
        }
      if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          fail (ctx, "segments");
          goto failed;
        }
    }
  sqlite3_finalize (stmt);

  g_ptr_array_sort (passages, compare_passages);
  if (!add_context (ctx, passages, query->context))
    goto failed;

  store = g_list_store_new (TSR_TYPE_RETRIEVED_PASSAGE);
  g_list_store_splice (store, 0, 0, passages->pdata, passages->len);
  names_unref (names);
  return G_LIST_MODEL (store);

failed:
  names_unref (names);
  return NULL;
}

/* Public API ------------------------------------------------------------- */

/**
 * tsr_project_retrieve:
 * @query: the codes or themes, the scope, the context
 *
 * Every passage the query names, in document order (then by position),
 * each with its document's name, its code's path, its coder, its memo
 * and up to the query's context of characters on each side.  A passage
 * coded with two of the codes asked for appears once for each.
 *
 * Returns: (transfer full) (element-type TsrRetrievedPassage): the passages, or
 *   %NULL with @error set
 */
GListModel *
tsr_project_retrieve (TsrProject              *self,
                      const TsrRetrieveQuery  *query,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  TsrDatabase *db;
  GListModel *passages;
  Ctx ctx;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  db = _tsr_project_get_database (self);
  if (db == NULL || tsr_database_get_handle (db) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  ctx.db = tsr_database_get_handle (db);
  ctx.cancellable = cancellable;
  ctx.error = error;

  /* One snapshot: an edit between two of the reads cannot mix states. */
  if (!tsr_database_begin_read (db, error))
    return NULL;
  tsr_database_push_cancellable (db, cancellable);
  passages = retrieve (&ctx, query);
  tsr_database_pop_cancellable (db);
  tsr_database_commit (db, NULL);
  return passages;
}

static void
retrieve_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const TsrRetrieveQuery *query = task_data;
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  GError *error = NULL;
  GListModel *passages;
  sqlite3 *db;
  Ctx ctx;

  if (!(db = tsr_database_open_reader (path, cancellable, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  ctx.db = db;
  ctx.cancellable = cancellable;
  ctx.error = &error;
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  passages = retrieve (&ctx, query);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  if (passages == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, passages, g_object_unref);
}

/**
 * tsr_project_retrieve_async:
 *
 * Retrieves in a worker thread over a connection of its own, from the
 * last committed state of the project.
 */
void
tsr_project_retrieve_async (TsrProject              *self,
                            const TsrRetrieveQuery  *query,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_retrieve_async);
  g_task_set_task_data (task, tsr_retrieve_query_copy (query), (GDestroyNotify) tsr_retrieve_query_free);
  if (tsr_project_get_path (self) == NULL)
    {
      g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (tsr_project_get_path (self)), g_free);
  g_task_run_in_thread (task, retrieve_thread);
}

/**
 * tsr_project_retrieve_finish:
 *
 * Returns: (transfer full) (element-type TsrRetrievedPassage): the passages, or
 *   %NULL with @error set
 */
GListModel *
tsr_project_retrieve_finish (TsrProject    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* As a document ---------------------------------------------------------- */

/**
 * tsr_retrieved_passages_to_document:
 * @passages: (element-type TsrRetrievedPassage): a retrieval
 * @title: the document's title
 * @description: (nullable): a line under the title (what was retrieved,
 *   whose coding)
 * @format: what it will be written as
 *
 * The passages as a table.  For CSV, a row per passage with every field
 * in a column of its own (document, start, end, code, coder, before,
 * passage, after, memo); for the other formats, the passage in bold
 * inside its context, with the document, the code, the coder and the
 * memo beside it.
 *
 * Returns: (transfer full): the document
 */
TsrExportDocument *
tsr_retrieved_passages_to_document (GListModel      *passages,
                          const char      *title,
                          const char      *description,
                          TsrExportFormat  format)
{
  g_autoptr(TsrExportDocument) doc = NULL;
  TsrExportTable *table;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (passages), NULL);
  g_return_val_if_fail (title != NULL, NULL);

  n = g_list_model_get_n_items (passages);
  doc = tsr_export_document_new (title);
  if (format != TSR_EXPORT_CSV)
    {
      tsr_export_document_add_text (doc, TSR_PARAGRAPH_TITLE, title);
      if (description != NULL && *description != '\0')
        tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, description);
    }

  if (format == TSR_EXPORT_CSV)
    {
      static const char * const headers[] = {
        N_("Document"), N_("Start"), N_("End"), N_("Code"), N_("Coder"),
        N_("Before"), N_("Passage"), N_("After"), N_("Memo"),
      };

      table = tsr_export_document_add_table (doc, G_N_ELEMENTS (headers));
      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        tsr_export_table_set_column (table, c, _(headers[c]), c == 1 || c == 2 ? TSR_ALIGN_END : TSR_ALIGN_START, 1);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TsrRetrievedPassage) p = g_list_model_get_item (passages, i);
          g_autofree char *start = g_strdup_printf ("%u", p->start);
          g_autofree char *end = g_strdup_printf ("%u", p->end);
          guint row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);

          tsr_export_table_set_cell (table, row, 0, p->document_name);
          tsr_export_table_set_cell (table, row, 1, start);
          tsr_export_table_set_cell (table, row, 2, end);
          tsr_export_table_set_cell (table, row, 3, p->code_path);
          tsr_export_table_set_cell (table, row, 4, p->coder_name);
          tsr_export_table_set_cell (table, row, 5, tsr_retrieved_passage_get_before (p));
          tsr_export_table_set_cell (table, row, 6, p->text);
          tsr_export_table_set_cell (table, row, 7, tsr_retrieved_passage_get_after (p));
          tsr_export_table_set_cell (table, row, 8, p->memo ? p->memo : "");
        }
      return g_steal_pointer (&doc);
    }

  table = tsr_export_document_add_table (doc, 4);
  {
    g_autofree char *caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u passage", "%u passages", n), n);

    tsr_export_table_set_caption (table, caption);
  }
  tsr_export_table_set_column (table, 0, _("Document"), TSR_ALIGN_START, 2);
  tsr_export_table_set_column (table, 1, _("Code and coder"), TSR_ALIGN_START, 2);
  tsr_export_table_set_column (table, 2, _("Passage in context"), TSR_ALIGN_START, 6);
  tsr_export_table_set_column (table, 3, _("Memo"), TSR_ALIGN_START, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrRetrievedPassage) p = g_list_model_get_item (passages, i);
      g_autofree char *where = g_strdup_printf ("%s (%u–%u)", p->document_name, p->start, p->end);
      g_autofree char *who = g_strdup_printf ("%s\n%s", p->code_path, p->coder_name);
      guint row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
      TsrExportParagraph *paragraph;
      const char *before = tsr_retrieved_passage_get_before (p), *after = tsr_retrieved_passage_get_after (p);

      tsr_export_table_set_cell (table, row, 0, where);
      tsr_export_table_set_cell (table, row, 1, who);
      paragraph = tsr_export_table_add_cell_paragraph (table, row, 2);
      if (*before != '\0')
        {
          g_autofree char *text = g_strconcat ("…", before, NULL);

          tsr_export_paragraph_add_text (paragraph, text, TSR_TEXT_PLAIN);
        }
      tsr_export_paragraph_add_text (paragraph, p->text, TSR_TEXT_BOLD);
      if (*after != '\0')
        {
          g_autofree char *text = g_strconcat (after, "…", NULL);

          tsr_export_paragraph_add_text (paragraph, text, TSR_TEXT_PLAIN);
        }
      tsr_export_table_set_cell (table, row, 3, p->memo ? p->memo : "");
    }
  return g_steal_pointer (&doc);
}
