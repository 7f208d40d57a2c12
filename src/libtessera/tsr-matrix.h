/* tsr-matrix.h — codes or themes across cases or attribute values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-counts.h"
#include "tsr-export.h"
#include "tsr-project.h"

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
const char  *tsr_matrix_get_scope_text     (TsrMatrix *self);
TsrExportDocument *tsr_matrix_to_document  (TsrMatrix *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMatrix, tsr_matrix_unref)

G_END_DECLS
