/* tsr-matrix.c — codes or themes across cases or attribute values
 *
 * The comparison a case study ends with (NVivo's framework and matrix
 * queries, MAXQDA's document-variable crosstabs): rows are the codes or
 * themes, columns the cases or the values of a document attribute, and a
 * cell the number of the column's documents that hold the row.  It is
 * read off one TsrCounts, so a cell counts what n counts — the same
 * coders, a code with its sub-codes, a theme through its codes — only
 * within the column's documents.  Beside n, a cell has the number of
 * the row's passages in the column's documents, from one more pass over
 * the (coder, code, document) index, and lists those passages on demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-counts-private.h"
#include "tsr-database-private.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-matrix.h"
#include "tsr-project-private.h"

struct _TsrMatrix
{
  gatomicrefcount  ref_count;
  TsrMatrixRows    rows;
  gboolean         by_case;
  char            *column_title;
  char            *scope_text;
  guint            n_documents;
  GArray          *row_ids;       /* gint64 */
  GArray          *row_depths;    /* guint */
  GPtrArray       *row_names;
  GPtrArray       *row_paths;
  GPtrArray       *column_names;
  GArray          *column_sizes;  /* guint */
  GPtrArray       *column_docs;   /* GArray of gint64: the column's documents in scope */
  GArray          *coder_ids;     /* gint64: whose passages count */
  guint           *cells;         /* n_rows × n_columns */
  guint           *passages;      /* n_rows × n_columns */
};

G_DEFINE_BOXED_TYPE (TsrMatrix, tsr_matrix, tsr_matrix_ref, tsr_matrix_unref)

const char *
tsr_matrix_cell_to_string (TsrMatrixCell cell)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_MATRIX_CELL, cell);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_matrix_cell_from_string (const char    *str,
                             TsrMatrixCell *cell)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_MATRIX_CELL, str, &value))
    return FALSE;
  *cell = value;
  return TRUE;
}

TsrMatrix *
tsr_matrix_ref (TsrMatrix *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tsr_matrix_unref (TsrMatrix *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->column_title);
  g_free (self->scope_text);
  g_array_unref (self->row_ids);
  g_array_unref (self->row_depths);
  g_ptr_array_unref (self->row_names);
  g_ptr_array_unref (self->row_paths);
  g_ptr_array_unref (self->column_names);
  g_array_unref (self->column_sizes);
  g_ptr_array_unref (self->column_docs);
  g_array_unref (self->coder_ids);
  g_free (self->cells);
  g_free (self->passages);
  g_free (self);
}

/* Rows ------------------------------------------------------------------ */

static void
add_row (TsrMatrix  *self,
         gint64      id,
         guint       depth,
         const char *name,
         char       *path)    /* owned */
{
  g_array_append_val (self->row_ids, id);
  g_array_append_val (self->row_depths, depth);
  g_ptr_array_add (self->row_names, g_strdup (name));
  g_ptr_array_add (self->row_paths, path);
}

/* Parents come before their children in the lists the project gives, so
 * a row's depth and path follow from its parent's. */
static void
add_rows (TsrMatrix  *self,
          TsrProject *project)
{
  g_autoptr(GHashTable) depth_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) path_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) items = self->rows == TSR_MATRIX_ROWS_CODES
                               ? tsr_project_list_all_codes (project)
                               : tsr_project_list_all_themes (project);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      gint64 id = tsr_entity_get_id (items->pdata[i]);
      gint64 parent_id;
      const char *name;
      const char *parent_path;
      gpointer parent_depth;
      guint depth = 0;
      char *path;

      if (self->rows == TSR_MATRIX_ROWS_CODES)
        {
          parent_id = tsr_code_get_parent_id (items->pdata[i]);
          name = tsr_code_get_name (items->pdata[i]);
        }
      else
        {
          /* A discarded theme is not reported; nor is what is under it. */
          if (tsr_theme_get_status (items->pdata[i]) == TSR_THEME_DISCARDED)
            continue;
          parent_id = tsr_theme_get_parent_id (items->pdata[i]);
          name = tsr_theme_get_name (items->pdata[i]);
        }

      parent_path = parent_id != 0 ? g_hash_table_lookup (path_of, &parent_id) : NULL;
      if (parent_id != 0 && parent_path == NULL)
        continue;
      if (parent_id != 0 && g_hash_table_lookup_extended (depth_of, &parent_id, NULL, &parent_depth))
        depth = GPOINTER_TO_UINT (parent_depth) + 1;
      path = parent_path != NULL ? g_strconcat (parent_path, "/", name, NULL) : g_strdup (name);

      g_hash_table_insert (depth_of, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (depth));
      g_hash_table_insert (path_of, g_memdup2 (&id, sizeof id), g_strdup (path));
      add_row (self, id, depth, name, path);
    }
}

/* Columns --------------------------------------------------------------- */

typedef struct
{
  char   *name;
  GArray *documents;   /* gint64 */
  double  number;      /* for numeric attributes */
} Column;

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_array_unref (column->documents);
  g_free (column);
}

static Column *
column_new (const char *name)
{
  Column *column = g_new0 (Column, 1);

  column->name = g_strdup (name);
  column->documents = g_array_new (FALSE, FALSE, sizeof (gint64));
  return column;
}

static GPtrArray *
case_columns (TsrProject *project)
{
  g_autoptr(GListModel) cases = tsr_project_get_cases (project);
  GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (cases, i);
      g_autoptr(GArray) documents = tsr_project_get_case_documents (project, tsr_entity_get_id (TSR_ENTITY (c)));
      Column *column = column_new (tsr_case_get_name (c));

      g_array_append_vals (column->documents, documents->data, documents->len);
      g_ptr_array_add (columns, column);
    }
  return columns;
}

static int
compare_columns_numeric (gconstpointer a,
                         gconstpointer b)
{
  const Column *x = *(Column * const *) a;
  const Column *y = *(Column * const *) b;

  return (x->number > y->number) - (x->number < y->number);
}

static int
compare_columns_text (gconstpointer a,
                      gconstpointer b)
{
  const Column *x = *(Column * const *) a;
  const Column *y = *(Column * const *) b;

  return g_utf8_collate (x->name, y->name);
}

/* A column per value the attribute takes among @documents, numbers in
 * numeric order, then the documents that have none; @prefix (a case's
 * name) heads each column's name when given. */
static GPtrArray *
attribute_columns (GHashTable    *values,
                   TsrAttribute  *attribute,
                   const gint64  *documents,
                   guint          n_documents,
                   const char    *prefix)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);
  g_autoptr(GHashTable) by_value = g_hash_table_new (g_str_hash, g_str_equal);
  TsrAttributeType type = tsr_attribute_get_value_type (attribute);
  Column *none = column_new (_("No value"));

  for (guint i = 0; i < n_documents; i++)
    {
      const char *value = g_hash_table_lookup (values, &documents[i]);
      Column *column;

      if (value == NULL || *value == '\0')
        {
          g_array_append_val (none->documents, documents[i]);
          continue;
        }
      column = g_hash_table_lookup (by_value, value);
      if (column == NULL)
        {
          column = column_new (value);
          column->number = g_ascii_strtod (value, NULL);
          g_hash_table_insert (by_value, column->name, column);
          g_ptr_array_add (columns, column);
        }
      g_array_append_val (column->documents, documents[i]);
    }

  g_ptr_array_sort (columns, type == TSR_ATTRIBUTE_INTEGER || type == TSR_ATTRIBUTE_REAL
                             ? compare_columns_numeric : compare_columns_text);
  if (none->documents->len > 0)
    g_ptr_array_add (columns, none);
  else
    column_free (none);

  if (prefix != NULL)
    for (guint c = 0; c < columns->len; c++)
      {
        Column *column = columns->pdata[c];
        /* Translators: a column of a case's documents with one value of
         * an attribute: "Dyad 3 · clinician" */
        char *name = g_strdup_printf (_("%s · %s"), prefix, column->name);

        g_free (column->name);
        column->name = name;
      }
  return columns;
}

/* A column per case and value: each case's documents split by the value
 * they have. */
static GPtrArray *
split_columns (TsrProject   *project,
               GHashTable   *values,
               TsrAttribute *attribute)
{
  g_autoptr(GListModel) cases = tsr_project_get_cases (project);
  GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (cases, i);
      g_autoptr(GArray) documents = tsr_project_get_case_documents (project, tsr_entity_get_id (TSR_ENTITY (c)));
      g_autoptr(GPtrArray) split = attribute_columns (values, attribute, (const gint64 *) documents->data,
                                                      documents->len, tsr_case_get_name (c));

      /* A case without documents still has its column. */
      if (split->len == 0)
        g_ptr_array_add (columns, column_new (tsr_case_get_name (c)));
      while (split->len > 0)
        g_ptr_array_add (columns, g_ptr_array_steal_index (split, 0));
    }
  return columns;
}

/* Passages --------------------------------------------------------------- */

/* The entities' ids, in order, each indexed (id → position + 1) in
 * @index, whose keys point into the array returned. */
static GArray *
entity_ids (GPtrArray  *entities,
            GHashTable *index)
{
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), entities->len);

  for (guint i = 0; i < entities->len; i++)
    {
      gint64 id = tsr_entity_get_id (entities->pdata[i]);

      g_array_append_val (ids, id);
    }
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (index, &g_array_index (ids, gint64, i), GUINT_TO_POINTER (i + 1));
  return ids;
}

/* The coders whose passages a cell counts: as the counts choose them. */
static GArray *
scope_coders (TsrDatabase    *db,
              const TsrScope *scope,
              GError        **error)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  switch (tsr_scope_get_mode (scope))
    {
    case TSR_CODERS_ONE:
      {
        gint64 id = tsr_scope_get_coder_id (scope);

        g_array_append_val (ids, id);
        return ids;
      }
    case TSR_CODERS_CONSENSUS:
      stmt = tsr_database_prepare (db, "SELECT id FROM coders WHERE is_consensus = 1 ORDER BY id LIMIT 1", error);
      break;
    case TSR_CODERS_ANY:
    case TSR_CODERS_ALL:
    default:
      stmt = tsr_database_prepare (db, "SELECT id FROM coders WHERE is_consensus = 0 ORDER BY id", error);
      break;
    }
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (!ok)
    {
      g_array_unref (ids);
      return NULL;
    }
  return ids;
}

/* Which codes each theme covers: its own, those of its sub-themes at any
 * depth, and every code below those — as the counts roll a theme up.
 * Returns n_themes × n_codes flags, themes in @themes' order. */
static guint8 *
theme_coverage (TsrProject *project,
                GPtrArray  *themes,
                GPtrArray  *codes,
                GHashTable *code_index)
{
  guint n_codes = codes->len;
  guint8 *covered = g_new0 (guint8, (gsize) MAX (themes->len, 1) * MAX (n_codes, 1));
  g_autoptr(GHashTable) theme_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) theme_ids = entity_ids (themes, theme_index);

  for (guint t = 0; t < themes->len; t++)
    {
      g_autoptr(GArray) linked = tsr_project_get_theme_codes (project, g_array_index (theme_ids, gint64, t));

      for (guint i = 0; i < linked->len; i++)
        {
          guint ci = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &g_array_index (linked, gint64, i)));

          if (ci > 0)
            covered[(gsize) t * n_codes + ci - 1] = 1;
        }
    }

  /* Codes come parents first: a covered parent covers its children. */
  for (guint t = 0; t < themes->len; t++)
    for (guint i = 0; i < n_codes; i++)
      {
        gint64 parent = tsr_code_get_parent_id (codes->pdata[i]);
        guint pi = parent != 0 ? GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &parent)) : 0;

        if (pi > 0 && covered[(gsize) t * n_codes + pi - 1])
          covered[(gsize) t * n_codes + i] = 1;
      }

  /* Themes come parents first too: children join their parents from the
   * bottom up. */
  for (guint t = themes->len; t > 0; t--)
    {
      gint64 parent = tsr_theme_get_parent_id (themes->pdata[t - 1]);
      guint pi = parent != 0 ? GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &parent)) : 0;

      if (pi == 0)
        continue;
      for (guint i = 0; i < n_codes; i++)
        covered[(gsize) (pi - 1) * n_codes + i] |= covered[(gsize) (t - 1) * n_codes + i];
    }
  return covered;
}

/* Counts each row's passages in each column: one pass over the coders'
 * (code, document) pairs, a document adding to every column it is in. */
static gboolean
count_passages (TsrMatrix     *self,
                TsrProject    *project,
                GPtrArray     *columns,
                GCancellable  *cancellable,
                GError       **error)
{
  TsrDatabase *db = _tsr_project_get_database (project);
  guint n_columns = columns->len;
  guint n_rows = self->row_ids->len;
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  g_autoptr(GHashTable) code_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) code_ids = NULL;
  g_autoptr(GHashTable) doc_slot = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) slot_first = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) slot_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *own = NULL;
  g_autofree guint *lut = NULL;
  gint64 lut_len = 0;
  sqlite3_stmt *stmt;
  guint n_codes;

  if (codes == NULL)
    codes = g_ptr_array_new_with_free_func (g_object_unref);
  n_codes = codes->len;
  code_ids = entity_ids (codes, code_index);

  /* Each document's columns, as a slot: slot_columns[first[s] … first[s + 1]). */
  {
    g_autoptr(GHashTable) columns_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                              (GDestroyNotify) g_array_unref);
    GHashTableIter iter;
    gpointer key, value;
    guint zero = 0;

    for (guint c = 0; c < n_columns; c++)
      {
        GArray *docs = self->column_docs->pdata[c];

        for (guint i = 0; i < docs->len; i++)
          {
            gint64 *id = &g_array_index (docs, gint64, i);
            GArray *list = g_hash_table_lookup (columns_of, id);

            if (list == NULL)
              g_hash_table_insert (columns_of, id, list = g_array_new (FALSE, FALSE, sizeof (guint)));
            g_array_append_val (list, c);
          }
      }
    g_array_append_val (slot_first, zero);
    g_hash_table_iter_init (&iter, columns_of);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        GArray *list = value;
        guint end;

        g_array_append_vals (slot_columns, list->data, list->len);
        end = slot_columns->len;
        g_array_append_val (slot_first, end);
        g_hash_table_insert (doc_slot, key, GUINT_TO_POINTER (slot_first->len - 1));
        lut_len = MAX (lut_len, *(gint64 *) key + 1);
      }

    /* Document ids are rowids, dense in practice: a table beats a hash
     * lookup per passage. */
    if (lut_len > 4 * (gint64) g_hash_table_size (doc_slot) + 1024)
      lut_len = 0;
    lut = g_new0 (guint, MAX (lut_len, 1));
    g_hash_table_iter_init (&iter, doc_slot);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (*(gint64 *) key >= 0 && *(gint64 *) key < lut_len)
        lut[*(gint64 *) key] = GPOINTER_TO_UINT (value);

  }

  own = g_new0 (guint, (gsize) MAX (n_codes, 1) * MAX (n_columns, 1));
  stmt = tsr_database_prepare (db, "SELECT code_id, document_id FROM segments INDEXED BY segments_counts"
                                   " WHERE coder_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  for (guint k = 0; k < self->coder_ids->len; k++)
    {
      gint64 last_code = -1;
      guint ci = 0;
      gboolean has_row;
      gboolean ok;
      guint step = 0;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (self->coder_ids, gint64, k));
      while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
        {
          gint64 code_id = sqlite3_column_int64 (stmt, 0);
          gint64 doc_id = sqlite3_column_int64 (stmt, 1);
          guint slot;

          if (code_id != last_code)
            {
              ci = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &code_id));
              last_code = code_id;
            }
          if (doc_id >= 0 && doc_id < lut_len)
            slot = lut[doc_id];
          else
            slot = GPOINTER_TO_UINT (g_hash_table_lookup (doc_slot, &doc_id));
          if (ci == 0 || slot == 0)
            continue;
          for (guint j = g_array_index (slot_first, guint, slot - 1); j < g_array_index (slot_first, guint, slot); j++)
            own[(gsize) (ci - 1) * n_columns + g_array_index (slot_columns, guint, j)]++;

          if (++step % 65536 == 0 && g_cancellable_is_cancelled (cancellable))
            {
              sqlite3_reset (stmt);
              g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The count was cancelled"));
              return FALSE;
            }
        }
      sqlite3_reset (stmt);
      if (!ok)
        return FALSE;
    }

  if (self->rows == TSR_MATRIX_ROWS_CODES)
    {
      g_autofree guint *rolled = g_memdup2 (own, sizeof (guint) * MAX (n_codes, 1) * MAX (n_columns, 1));

      /* Parents come first: add each code into its parent from the end. */
      for (guint i = n_codes; i > 0; i--)
        {
          gint64 parent = tsr_code_get_parent_id (codes->pdata[i - 1]);
          guint pi = parent != 0 ? GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &parent)) : 0;

          if (pi == 0)
            continue;
          for (guint c = 0; c < n_columns; c++)
            rolled[(gsize) (pi - 1) * n_columns + c] += rolled[(gsize) (i - 1) * n_columns + c];
        }
      for (guint r = 0; r < n_rows; r++)
        {
          gint64 id = g_array_index (self->row_ids, gint64, r);
          guint ci = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &id));

          if (ci > 0)
            memcpy (self->passages + (gsize) r * n_columns, rolled + (gsize) (ci - 1) * n_columns,
                    sizeof (guint) * n_columns);
        }
    }
  else
    {
      g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
      g_autofree guint8 *covered = NULL;
      g_autoptr(GHashTable) theme_index = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) theme_ids = NULL;

      if (themes == NULL)
        themes = g_ptr_array_new_with_free_func (g_object_unref);
      covered = theme_coverage (project, themes, codes, code_index);
      theme_ids = entity_ids (themes, theme_index);
      for (guint r = 0; r < n_rows; r++)
        {
          gint64 id = g_array_index (self->row_ids, gint64, r);
          guint ti = GPOINTER_TO_UINT (g_hash_table_lookup (theme_index, &id));

          if (ti == 0)
            continue;
          for (guint i = 0; i < n_codes; i++)
            if (covered[(gsize) (ti - 1) * n_codes + i])
              for (guint c = 0; c < n_columns; c++)
                self->passages[(gsize) r * n_columns + c] += own[(gsize) i * n_columns + c];
        }
    }
  return TRUE;
}

/* Building -------------------------------------------------------------- */

/* Every document's value of @attribute, read in one query. */
static GHashTable *
attribute_values (TsrProject   *project,
                  TsrAttribute *attribute)
{
  return tsr_project_list_attribute_values (project, tsr_entity_get_id (TSR_ENTITY (attribute)));
}

/**
 * tsr_project_build_matrix:
 * @scope: whose coding counts (and which documents), as for n
 * @rows: codes or themes
 * @attribute: (nullable): the name of a document attribute whose values
 *   are the columns, or %NULL for a column per case
 *
 * A document belongs to every case it was assigned to; a document outside
 * @scope is in no column.
 *
 * Returns: (transfer full): the matrix, or %NULL with @error set
 */
TsrMatrix *
tsr_project_build_matrix (TsrProject     *self,
                          const TsrScope *scope,
                          TsrMatrixRows   rows,
                          const char     *attribute,
                          GCancellable   *cancellable,
                          GError        **error)
{
  return tsr_project_build_matrix_full (self, scope, rows, attribute == NULL, attribute, cancellable, error);
}

/**
 * tsr_project_build_matrix_full:
 * @scope: whose coding counts (and which documents), as for n
 * @rows: codes or themes
 * @by_case: a column per case
 * @attribute: (nullable): the name of a document attribute whose values
 *   are the columns; with @by_case, each case's documents are split by
 *   it ("Dyad 3 · clinician", "Dyad 3 · patient")
 *
 * One of @by_case and @attribute is needed.
 *
 * Returns: (transfer full): the matrix, or %NULL with @error set
 */
TsrMatrix *
tsr_project_build_matrix_full (TsrProject     *self,
                               const TsrScope *scope,
                               TsrMatrixRows   rows,
                               gboolean        by_case,
                               const char     *attribute,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(TsrAttribute) attr = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(TsrMatrix) matrix = NULL;
  guint n_rows;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (by_case || attribute != NULL, NULL);

  if (attribute != NULL)
    {
      attr = tsr_project_find_attribute (self, TSR_ATTRIBUTE_ON_DOCUMENTS, attribute);
      if (attr == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("There is no document attribute “%s”"), attribute);
          return NULL;
        }
    }

  if (by_case)
    {
      g_autoptr(GListModel) cases = tsr_project_get_cases (self);

      if (g_list_model_get_n_items (cases) == 0)
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                               _("The project has no cases to compare; compare by a document attribute instead"));
          return NULL;
        }
    }

  counts = tsr_project_compute_counts (self, scope, cancellable, error);
  if (counts == NULL)
    return NULL;

  matrix = g_new0 (TsrMatrix, 1);
  g_atomic_ref_count_init (&matrix->ref_count);
  matrix->rows = rows;
  matrix->scope_text = tsr_scope_describe (scope, self);
  matrix->n_documents = tsr_counts_get_n_documents (counts);
  matrix->by_case = by_case;
  matrix->column_title = attr != NULL ? g_strdup (tsr_attribute_get_name (attr)) : NULL;
  matrix->row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  matrix->row_depths = g_array_new (FALSE, FALSE, sizeof (guint));
  matrix->row_names = g_ptr_array_new_with_free_func (g_free);
  matrix->row_paths = g_ptr_array_new_with_free_func (g_free);
  matrix->column_names = g_ptr_array_new_with_free_func (g_free);
  matrix->column_sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  matrix->column_docs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  matrix->coder_ids = scope_coders (_tsr_project_get_database (self), scope, error);
  if (matrix->coder_ids == NULL)
    {
      matrix->coder_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      return NULL;
    }

  add_rows (matrix, self);
  if (attr != NULL)
    values = attribute_values (self, attr);
  if (attr != NULL && by_case)
    columns = split_columns (self, values, attr);
  else if (attr != NULL)
    {
      guint n_documents;
      const gint64 *documents = tsr_counts_get_documents (counts, &n_documents);

      columns = attribute_columns (values, attr, documents, n_documents, NULL);
    }
  else
    columns = case_columns (self);
  n_rows = matrix->row_ids->len;
  matrix->cells = g_new0 (guint, (gsize) MAX (n_rows, 1) * MAX (columns->len, 1));
  matrix->passages = g_new0 (guint, (gsize) MAX (n_rows, 1) * MAX (columns->len, 1));

  {
    guint n_documents;
    const gint64 *documents = tsr_counts_get_documents (counts, &n_documents);
    g_autoptr(GHashTable) in_scope = g_hash_table_new (g_int64_hash, g_int64_equal);

    for (guint i = 0; i < n_documents; i++)
      g_hash_table_add (in_scope, (gpointer) &documents[i]);

    for (guint c = 0; c < columns->len; c++)
      {
        Column *column = columns->pdata[c];
        g_autofree guint64 *set = _tsr_counts_new_document_set (counts, (const gint64 *) column->documents->data,
                                                                column->documents->len);
        guint size = _tsr_counts_set_size (counts, set);
        GArray *docs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), size);

        for (guint i = 0; i < column->documents->len; i++)
          if (g_hash_table_contains (in_scope, &g_array_index (column->documents, gint64, i)))
            g_array_append_val (docs, g_array_index (column->documents, gint64, i));
        g_ptr_array_add (matrix->column_docs, docs);
        g_ptr_array_add (matrix->column_names, g_strdup (column->name));
        g_array_append_val (matrix->column_sizes, size);
        for (guint r = 0; r < n_rows; r++)
          {
            gint64 id = g_array_index (matrix->row_ids, gint64, r);

            matrix->cells[(gsize) r * columns->len + c] = rows == TSR_MATRIX_ROWS_CODES
                                                          ? _tsr_counts_code_n_in (counts, id, set)
                                                          : _tsr_counts_theme_n_in (counts, id, set);
          }
      }
  }

  if (!count_passages (matrix, self, columns, cancellable, error))
    return NULL;
  return g_steal_pointer (&matrix);
}

/* Reading ---------------------------------------------------------------- */

guint
tsr_matrix_get_n_rows (TsrMatrix *self)
{
  return self->row_ids->len;
}

guint
tsr_matrix_get_n_columns (TsrMatrix *self)
{
  return self->column_names->len;
}

gint64
tsr_matrix_get_row_id (TsrMatrix *self,
                       guint      row)
{
  g_return_val_if_fail (row < self->row_ids->len, 0);
  return g_array_index (self->row_ids, gint64, row);
}

const char *
tsr_matrix_get_row_name (TsrMatrix *self,
                         guint      row)
{
  g_return_val_if_fail (row < self->row_names->len, NULL);
  return self->row_names->pdata[row];
}

/**
 * tsr_matrix_get_row_path:
 *
 * Returns: the row's names from the top of its tree down, joined by "/"
 */
const char *
tsr_matrix_get_row_path (TsrMatrix *self,
                         guint      row)
{
  g_return_val_if_fail (row < self->row_paths->len, NULL);
  return self->row_paths->pdata[row];
}

guint
tsr_matrix_get_row_depth (TsrMatrix *self,
                          guint      row)
{
  g_return_val_if_fail (row < self->row_depths->len, 0);
  return g_array_index (self->row_depths, guint, row);
}

const char *
tsr_matrix_get_column_name (TsrMatrix *self,
                            guint      column)
{
  g_return_val_if_fail (column < self->column_names->len, NULL);
  return self->column_names->pdata[column];
}

/**
 * tsr_matrix_get_column_size:
 *
 * Returns: how many of the counted documents the column holds
 */
guint
tsr_matrix_get_column_size (TsrMatrix *self,
                            guint      column)
{
  g_return_val_if_fail (column < self->column_sizes->len, 0);
  return g_array_index (self->column_sizes, guint, column);
}

/**
 * tsr_matrix_get_n:
 *
 * Returns: how many of the column's documents hold the row
 */
guint
tsr_matrix_get_n (TsrMatrix *self,
                  guint      row,
                  guint      column)
{
  g_return_val_if_fail (row < self->row_ids->len && column < self->column_names->len, 0);
  return self->cells[(gsize) row * self->column_names->len + column];
}

/**
 * tsr_matrix_get_passages:
 *
 * Returns: how many passages of the row the column's documents hold,
 *   by the coders the scope counts (every human coder's for any and
 *   every coder)
 */
guint
tsr_matrix_get_passages (TsrMatrix *self,
                         guint      row,
                         guint      column)
{
  g_return_val_if_fail (row < self->row_ids->len && column < self->column_names->len, 0);
  return self->passages[(gsize) row * self->column_names->len + column];
}

/**
 * tsr_matrix_get_value:
 * @cell: what the cell shows
 *
 * Returns: the cell's value as a number: n, passages, or n as a
 *   percentage of the column's documents (NAN for an empty column)
 */
double
tsr_matrix_get_value (TsrMatrix     *self,
                      TsrMatrixCell  cell,
                      guint          row,
                      guint          column)
{
  guint size;

  g_return_val_if_fail (row < self->row_ids->len && column < self->column_names->len, 0);

  switch (cell)
    {
    case TSR_MATRIX_CELL_PASSAGES:
      return tsr_matrix_get_passages (self, row, column);
    case TSR_MATRIX_CELL_PERCENT:
      size = g_array_index (self->column_sizes, guint, column);
      return size > 0 ? 100.0 * tsr_matrix_get_n (self, row, column) / size : NAN;
    case TSR_MATRIX_CELL_DOCUMENTS:
    default:
      return tsr_matrix_get_n (self, row, column);
    }
}

/**
 * tsr_matrix_format_value:
 *
 * Returns: (transfer full): the cell as a table shows it: "3", "60.0",
 *   or "–" for a percentage of an empty column
 */
char *
tsr_matrix_format_value (TsrMatrix     *self,
                         TsrMatrixCell  cell,
                         guint          row,
                         guint          column)
{
  double value = tsr_matrix_get_value (self, cell, row, column);

  if (cell != TSR_MATRIX_CELL_PERCENT)
    return g_strdup_printf ("%.0f", value);
  if (isnan (value))
    return g_strdup ("–");
  return g_strdup_printf ("%.1f", value);
}

TsrMatrixRows
tsr_matrix_get_rows_kind (TsrMatrix *self)
{
  return self->rows;
}

/**
 * tsr_matrix_get_column_title:
 *
 * Returns: (nullable): the attribute whose values are the columns, or
 *   %NULL for a column per case
 */
const char *
tsr_matrix_get_column_title (TsrMatrix *self)
{
  return self->column_title;
}

/**
 * tsr_matrix_get_column_documents:
 *
 * Returns: (transfer none) (element-type gint64): the column's documents
 *   within the scope, in document order
 */
const GArray *
tsr_matrix_get_column_documents (TsrMatrix *self,
                                 guint      column)
{
  g_return_val_if_fail (column < self->column_docs->len, NULL);
  return self->column_docs->pdata[column];
}

/* A list of ids as JSON, for json_each() in a query. */
static char *
ids_json (const GArray *ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/**
 * tsr_matrix_list_passages:
 * @project: the project the matrix was built from
 *
 * The passages a cell counts in passages: the row's (a code's with its
 * sub-codes', a theme's through its codes and sub-themes) in the
 * column's documents, by the coders the scope counts.  Their documents
 * are the cell's n, except for every coder, where n counts only the
 * documents each coder coded.
 *
 * Returns: (transfer full) (element-type TsrExtract): the passages in
 *   document order, without context, or %NULL with @error set
 */
GPtrArray *
tsr_matrix_list_passages (TsrMatrix   *self,
                          TsrProject  *project,
                          guint        row,
                          guint        column,
                          GError     **error)
{
  g_autoptr(GPtrArray) extracts = g_ptr_array_new_with_free_func ((GDestroyNotify) tsr_extract_free);
  g_autofree char *coders = NULL;
  g_autofree char *documents = NULL;
  TsrDatabase *db;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);
  g_return_val_if_fail (row < self->row_ids->len && column < self->column_names->len, NULL);

  db = _tsr_project_get_database (project);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  stmt = tsr_database_prepare (db, self->rows == TSR_MATRIX_ROWS_CODES
    ? "WITH RECURSIVE cs (id) AS ("
      "  SELECT ?1 UNION SELECT c.id FROM codes c JOIN cs ON c.parent_id = cs.id"
      ") SELECT s.id, s.document_id, s.code_id, s.coder_id, s.start, s.end, s.text, s.exemplar,"
      "  d.name, co.name, c.name"
      " FROM segments s JOIN documents d ON d.id = s.document_id"
      " JOIN coders co ON co.id = s.coder_id JOIN codes c ON c.id = s.code_id"
      " WHERE s.code_id IN cs AND s.coder_id IN (SELECT value FROM json_each (?2))"
      " AND s.document_id IN (SELECT value FROM json_each (?3))"
      " ORDER BY d.position, d.id, s.start, s.end, s.id"
    : "WITH RECURSIVE th (id) AS ("
      "  SELECT ?1 UNION SELECT t.id FROM themes t JOIN th ON t.parent_id = th.id"
      "), cs (id) AS ("
      "  SELECT code_id FROM theme_codes WHERE theme_id IN th"
      "  UNION SELECT c.id FROM codes c JOIN cs ON c.parent_id = cs.id"
      ") SELECT s.id, s.document_id, s.code_id, s.coder_id, s.start, s.end, s.text, s.exemplar,"
      "  d.name, co.name, c.name"
      " FROM segments s JOIN documents d ON d.id = s.document_id"
      " JOIN coders co ON co.id = s.coder_id JOIN codes c ON c.id = s.code_id"
      " WHERE s.code_id IN cs AND s.coder_id IN (SELECT value FROM json_each (?2))"
      " AND s.document_id IN (SELECT value FROM json_each (?3))"
      " ORDER BY d.position, d.id, s.start, s.end, s.id", error);
  if (stmt == NULL)
    return NULL;
  coders = ids_json (self->coder_ids);
  documents = ids_json (self->column_docs->pdata[column]);
  sqlite3_bind_int64 (stmt, 1, g_array_index (self->row_ids, gint64, row));
  sqlite3_bind_text (stmt, 2, coders, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, documents, -1, SQLITE_STATIC);

  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      TsrExtract *e = g_new0 (TsrExtract, 1);

      e->segment_id = sqlite3_column_int64 (stmt, 0);
      e->document_id = sqlite3_column_int64 (stmt, 1);
      e->code_id = sqlite3_column_int64 (stmt, 2);
      e->coder_id = sqlite3_column_int64 (stmt, 3);
      e->start = sqlite3_column_int (stmt, 4);
      e->end = sqlite3_column_int (stmt, 5);
      e->text = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      e->exemplar = sqlite3_column_int (stmt, 7) != 0;
      e->document_name = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      e->coder_name = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      e->code_name = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
      e->before = g_strdup ("");
      e->after = g_strdup ("");
      g_ptr_array_add (extracts, e);
    }
  sqlite3_reset (stmt);
  if (!ok)
    return NULL;
  return g_steal_pointer (&extracts);
}

/**
 * tsr_matrix_get_scope_text:
 *
 * Returns: whose coding the cells count, as a reader reads it
 */
const char *
tsr_matrix_get_scope_text (TsrMatrix *self)
{
  return self->scope_text;
}

/* The matrix's title */
static char *
matrix_title (TsrMatrix *self)
{
  /* Translators: the title of a table of codes (rows) by cases (columns) */
  if (self->by_case && self->column_title == NULL)
    return g_strdup (self->rows == TSR_MATRIX_ROWS_CODES ? _("Codes by case") : _("Themes by case"));
  if (self->by_case)
    /* Translators: the title of a table of codes by cases split by the
     * values of a document attribute; %s is the attribute's name */
    return g_strdup_printf (self->rows == TSR_MATRIX_ROWS_CODES ? _("Codes by case and %s")
                                                                : _("Themes by case and %s"),
                            self->column_title);
  /* Translators: the title of a table of codes (rows) by the values of a
   * document attribute (columns); %s is the attribute's name */
  if (self->rows == TSR_MATRIX_ROWS_CODES)
    return g_strdup_printf (_("Codes by %s"), self->column_title);
  /* Translators: as "Codes by %s", with themes as the rows */
  return g_strdup_printf (_("Themes by %s"), self->column_title);
}

/* What a cell counts, for the table's note. */
static char *
matrix_note (TsrMatrix     *self,
             TsrMatrixCell  cell)
{
  gboolean codes = self->rows == TSR_MATRIX_ROWS_CODES;

  switch (cell)
    {
    case TSR_MATRIX_CELL_PASSAGES:
      return g_strdup_printf (codes
                              ? _("Each cell: how many passages coded with the code or one of its sub-codes the "
                                  "column’s N documents hold, coded by %s. A document in several cases counts in each.")
                              : _("Each cell: how many passages coded with any of the theme’s codes the column’s N "
                                  "documents hold, coded by %s. A document in several cases counts in each."),
                              self->scope_text);
    case TSR_MATRIX_CELL_PERCENT:
      return g_strdup_printf (codes
                              ? _("Each cell: the percentage of the column’s N documents that hold the code or one "
                                  "of its sub-codes, counting %s. A document in several cases counts in each.")
                              : _("Each cell: the percentage of the column’s N documents that hold the theme (any of "
                                  "its codes or sub-themes), counting %s. A document in several cases counts in each."),
                              self->scope_text);
    case TSR_MATRIX_CELL_DOCUMENTS:
    default:
      return g_strdup_printf (codes
                              ? _("Each cell: how many of the column’s N documents hold the code or one of "
                                  "its sub-codes, counting %s. A document in several cases counts in each.")
                              : _("Each cell: how many of the column’s N documents hold the theme (any of its "
                                  "codes or sub-themes), counting %s. A document in several cases counts in each."),
                              self->scope_text);
    }
}

/**
 * tsr_matrix_to_document:
 *
 * The matrix as a table of n, as tsr_matrix_to_document_full() makes it.
 *
 * Returns: (transfer full): the document
 */
TsrExportDocument *
tsr_matrix_to_document (TsrMatrix *self)
{
  return tsr_matrix_to_document_full (self, TSR_MATRIX_CELL_DOCUMENTS, FALSE);
}

/**
 * tsr_matrix_to_document_full:
 * @cell: what each cell shows
 * @transpose: a row per case or value and a column per code or theme
 *
 * The matrix as a table, for every export format: a column per case or
 * value headed with its number of documents, rows indented by level, and
 * a note saying what a cell counts.  Transposed, the codes or themes
 * head the columns by their paths and each row names its N.
 *
 * Returns: (transfer full): the document
 */
TsrExportDocument *
tsr_matrix_to_document_full (TsrMatrix     *self,
                             TsrMatrixCell  cell,
                             gboolean       transpose)
{
  const char *row_title = self->rows == TSR_MATRIX_ROWS_CODES ? _("Code") : _("Theme");
  const char *column_title = self->column_title == NULL ? _("Case")
                             : self->by_case ? _("Case and value") : self->column_title;
  g_autofree char *title = matrix_title (self);
  TsrExportDocument *doc = tsr_export_document_new (title);
  guint n_columns = self->column_names->len;
  guint n_rows = self->row_ids->len;
  TsrExportTable *table = tsr_export_document_add_table (doc, (transpose ? n_rows : n_columns) + 1);
  TsrExportParagraph *note;
  g_autofree char *note_text = matrix_note (self, cell);

  tsr_export_table_set_caption (table, title);
  if (!transpose)
    {
      tsr_export_table_set_column (table, 0, row_title, TSR_ALIGN_START, 3);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *header = g_strdup_printf ("%s (N = %u)", (char *) self->column_names->pdata[c],
                                                     g_array_index (self->column_sizes, guint, c));

          tsr_export_table_set_column (table, c + 1, header, TSR_ALIGN_END, 1);
        }
      for (guint r = 0; r < n_rows; r++)
        {
          guint depth = g_array_index (self->row_depths, guint, r);
          guint row = tsr_export_table_add_row (table, depth, depth == 0 ? TSR_TEXT_BOLD : TSR_TEXT_PLAIN);

          tsr_export_table_set_cell (table, row, 0, self->row_names->pdata[r]);
          for (guint c = 0; c < n_columns; c++)
            {
              g_autofree char *value = tsr_matrix_format_value (self, cell, r, c);

              tsr_export_table_set_cell (table, row, c + 1, value);
            }
        }
    }
  else
    {
      tsr_export_table_set_column (table, 0, column_title, TSR_ALIGN_START, 3);
      for (guint r = 0; r < n_rows; r++)
        tsr_export_table_set_column (table, r + 1, self->row_paths->pdata[r], TSR_ALIGN_END, 1);
      for (guint c = 0; c < n_columns; c++)
        {
          guint row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
          g_autofree char *header = g_strdup_printf ("%s (N = %u)", (char *) self->column_names->pdata[c],
                                                     g_array_index (self->column_sizes, guint, c));

          tsr_export_table_set_cell (table, row, 0, header);
          for (guint r = 0; r < n_rows; r++)
            {
              g_autofree char *value = tsr_matrix_format_value (self, cell, r, c);

              tsr_export_table_set_cell (table, row, r + 1, value);
            }
        }
    }

  note = tsr_export_table_add_note (table);
  tsr_export_paragraph_add_text (note, note_text, TSR_TEXT_PLAIN);
  return doc;
}
