/* tsr-matrix.c — codes or themes across cases or attribute values
 *
 * The comparison a case study ends with (NVivo's framework and matrix
 * queries, MAXQDA's document-variable crosstabs): rows are the codes or
 * themes, columns the cases or the values of a document attribute, and a
 * cell the number of the column's documents that hold the row.  It is
 * read off one TsrCounts, so a cell counts what n counts — the same
 * coders, a code with its sub-codes, a theme through its codes — only
 * within the column's documents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "tsr-counts-private.h"
#include "tsr-error.h"
#include "tsr-matrix.h"

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
  guint           *cells;         /* n_rows × n_columns */
};

G_DEFINE_BOXED_TYPE (TsrMatrix, tsr_matrix, tsr_matrix_ref, tsr_matrix_unref)

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
  g_free (self->cells);
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

/* A column per value the attribute takes among the counted documents,
 * numbers in numeric order, then the documents that have none. */
static GPtrArray *
attribute_columns (TsrProject    *project,
                   TsrCounts     *counts,
                   TsrAttribute  *attribute)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (column_free);
  g_autoptr(GHashTable) by_value = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 attribute_id = tsr_entity_get_id (TSR_ENTITY (attribute));
  TsrAttributeType type = tsr_attribute_get_value_type (attribute);
  Column *none = column_new (_("No value"));
  guint n_documents;
  const gint64 *documents = tsr_counts_get_documents (counts, &n_documents);

  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *value = tsr_project_get_attribute_value (project, attribute_id, documents[i]);
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
  return columns;
}

/* Building -------------------------------------------------------------- */

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
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(TsrAttribute) attr = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  TsrMatrix *matrix;
  guint n_rows;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (scope != NULL, NULL);

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

  else
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
  matrix->by_case = attr == NULL;
  matrix->column_title = attr != NULL ? g_strdup (tsr_attribute_get_name (attr)) : NULL;
  matrix->row_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  matrix->row_depths = g_array_new (FALSE, FALSE, sizeof (guint));
  matrix->row_names = g_ptr_array_new_with_free_func (g_free);
  matrix->row_paths = g_ptr_array_new_with_free_func (g_free);
  matrix->column_names = g_ptr_array_new_with_free_func (g_free);
  matrix->column_sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  add_rows (matrix, self);
  columns = attr != NULL ? attribute_columns (self, counts, attr) : case_columns (self);
  n_rows = matrix->row_ids->len;
  matrix->cells = g_new0 (guint, (gsize) MAX (n_rows, 1) * MAX (columns->len, 1));

  for (guint c = 0; c < columns->len; c++)
    {
      Column *column = columns->pdata[c];
      g_autofree guint64 *set = _tsr_counts_new_document_set (counts, (const gint64 *) column->documents->data,
                                                              column->documents->len);
      guint size = _tsr_counts_set_size (counts, set);

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
  return matrix;
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
 * tsr_matrix_get_scope_text:
 *
 * Returns: whose coding the cells count, as a reader reads it
 */
const char *
tsr_matrix_get_scope_text (TsrMatrix *self)
{
  return self->scope_text;
}

/**
 * tsr_matrix_to_document:
 *
 * The matrix as a table, for every export format: a column per case or
 * value headed with its number of documents, rows indented by level, and
 * a note saying what a cell counts.
 *
 * Returns: (transfer full): the document
 */
/* The matrix's title */
static char *
matrix_title (TsrMatrix *self)
{
  /* Translators: the title of a table of codes (rows) by cases (columns) */
  if (self->by_case)
    return g_strdup (self->rows == TSR_MATRIX_ROWS_CODES ? _("Codes by case") : _("Themes by case"));
  /* Translators: the title of a table of codes (rows) by the values of a
   * document attribute (columns); %s is the attribute's name */
  if (self->rows == TSR_MATRIX_ROWS_CODES)
    return g_strdup_printf (_("Codes by %s"), self->column_title);
  /* Translators: as "Codes by %s", with themes as the rows */
  return g_strdup_printf (_("Themes by %s"), self->column_title);
}

TsrExportDocument *
tsr_matrix_to_document (TsrMatrix *self)
{
  const char *row_title = self->rows == TSR_MATRIX_ROWS_CODES ? _("Code") : _("Theme");
  g_autofree char *title = matrix_title (self);
  TsrExportDocument *doc = tsr_export_document_new (title);
  guint n_columns = self->column_names->len;
  TsrExportTable *table = tsr_export_document_add_table (doc, n_columns + 1);
  TsrExportParagraph *note;
  g_autofree char *note_text = NULL;

  tsr_export_table_set_caption (table, title);
  tsr_export_table_set_column (table, 0, row_title, TSR_ALIGN_START, 3);
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *header = g_strdup_printf ("%s (N = %u)", (char *) self->column_names->pdata[c],
                                                 g_array_index (self->column_sizes, guint, c));

      tsr_export_table_set_column (table, c + 1, header, TSR_ALIGN_END, 1);
    }
  for (guint r = 0; r < self->row_ids->len; r++)
    {
      guint depth = g_array_index (self->row_depths, guint, r);
      guint row = tsr_export_table_add_row (table, depth, depth == 0 ? TSR_TEXT_BOLD : TSR_TEXT_PLAIN);

      tsr_export_table_set_cell (table, row, 0, self->row_names->pdata[r]);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *n = g_strdup_printf ("%u", self->cells[(gsize) r * n_columns + c]);

          tsr_export_table_set_cell (table, row, c + 1, n);
        }
    }

  note = tsr_export_table_add_note (table);
  note_text = self->rows == TSR_MATRIX_ROWS_CODES
              ? g_strdup_printf (_("Each cell: how many of the column’s N documents hold the code or one of "
                                   "its sub-codes, counting %s. A document in several cases counts in each."),
                                 self->scope_text)
              : g_strdup_printf (_("Each cell: how many of the column’s N documents hold the theme (any of its "
                                   "codes or sub-themes), counting %s. A document in several cases counts in each."),
                                 self->scope_text);
  tsr_export_paragraph_add_text (note, note_text, TSR_TEXT_PLAIN);
  return doc;
}
