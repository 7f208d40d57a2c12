/* tsr-matrix.h — codes or themes across cases or attribute values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-counts.h"
#include "tsr-export.h"
#include "tsr-project.h"
#include "tsr-theme-review.h"

G_BEGIN_DECLS

/**
 * TsrMatrixRows:
 * @TSR_MATRIX_ROWS_CODES: a row per code, in the code tree's order
 * @TSR_MATRIX_ROWS_THEMES: a row per theme and sub-theme (discarded
 *   themes left out), in the theme tree's order
 */
typedef enum
{
  TSR_MATRIX_ROWS_CODES,
  TSR_MATRIX_ROWS_THEMES,
} TsrMatrixRows;

/**
 * TsrMatrixCell:
 * @TSR_MATRIX_CELL_DOCUMENTS: n, how many of the column's documents hold
 *   the row
 * @TSR_MATRIX_CELL_PASSAGES: how many passages of the row (a code with
 *   its sub-codes, a theme through its codes) the column's documents hold
 * @TSR_MATRIX_CELL_PERCENT: n as a percentage of the column's documents
 *
 * What a cell of a matrix shows.
 */
typedef enum
{
  TSR_MATRIX_CELL_DOCUMENTS,
  TSR_MATRIX_CELL_PASSAGES,
  TSR_MATRIX_CELL_PERCENT,
} TsrMatrixCell;

/**
 * TsrMatrix:
 * A comparison matrix: for each row (a code or a theme) and column (a
 * case, or a value of a document attribute) the number of the column's
 * documents that hold the row — a code counting its sub-codes, a theme
 * its codes and sub-themes, exactly as n does in the theme table.
 * Immutable.
 */
typedef struct _TsrMatrix TsrMatrix;

#define TSR_TYPE_MATRIX (tsr_matrix_get_type ())
GType        tsr_matrix_get_type           (void) G_GNUC_CONST;
TsrMatrix   *tsr_project_build_matrix      (TsrProject     *self,
                                            const TsrScope *scope,
                                            TsrMatrixRows   rows,
                                            const char     *attribute,
                                            GCancellable   *cancellable,
                                            GError        **error);
TsrMatrix   *tsr_project_build_matrix_full (TsrProject     *self,
                                            const TsrScope *scope,
                                            TsrMatrixRows   rows,
                                            gboolean        by_case,
                                            const char     *attribute,
                                            GCancellable   *cancellable,
                                            GError        **error);
TsrMatrix   *tsr_matrix_ref                (TsrMatrix *self);
void         tsr_matrix_unref              (TsrMatrix *self);

guint        tsr_matrix_get_n_rows         (TsrMatrix *self);
guint        tsr_matrix_get_n_columns      (TsrMatrix *self);
gint64       tsr_matrix_get_row_id         (TsrMatrix *self,
                                            guint      row);
const char  *tsr_matrix_get_row_name       (TsrMatrix *self,
                                            guint      row);
const char  *tsr_matrix_get_row_path       (TsrMatrix *self,
                                            guint      row);
guint        tsr_matrix_get_row_depth      (TsrMatrix *self,
                                            guint      row);
const char  *tsr_matrix_get_column_name    (TsrMatrix *self,
                                            guint      column);
guint        tsr_matrix_get_column_size    (TsrMatrix *self,
                                            guint      column);
guint        tsr_matrix_get_n              (TsrMatrix *self,
                                            guint      row,
                                            guint      column);
guint        tsr_matrix_get_passages       (TsrMatrix *self,
                                            guint      row,
                                            guint      column);
double       tsr_matrix_get_value          (TsrMatrix     *self,
                                            TsrMatrixCell  cell,
                                            guint          row,
                                            guint          column);
char        *tsr_matrix_format_value       (TsrMatrix     *self,
                                            TsrMatrixCell  cell,
                                            guint          row,
                                            guint          column);
TsrMatrixRows tsr_matrix_get_rows_kind     (TsrMatrix *self);
const char  *tsr_matrix_get_column_title   (TsrMatrix *self);
const GArray *tsr_matrix_get_column_documents (TsrMatrix *self,
                                               guint      column);
GPtrArray   *tsr_matrix_list_passages      (TsrMatrix     *self,
                                            TsrProject    *project,
                                            guint          row,
                                            guint          column,
                                            GError       **error);
const char  *tsr_matrix_get_scope_text     (TsrMatrix *self);
TsrExportDocument *tsr_matrix_to_document  (TsrMatrix *self);
TsrExportDocument *tsr_matrix_to_document_full (TsrMatrix     *self,
                                                TsrMatrixCell  cell,
                                                gboolean       transpose);
const char  *tsr_matrix_cell_to_string     (TsrMatrixCell  cell);
gboolean     tsr_matrix_cell_from_string   (const char    *str,
                                            TsrMatrixCell *cell);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMatrix, tsr_matrix_unref)

G_END_DECLS
