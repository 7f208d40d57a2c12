/* tsr-refi.h — exchange with other QDA tools through REFI-QDA
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

gboolean tsr_project_write_codebook  (TsrProject    *self,
                                      GOutputStream *stream,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean tsr_project_export_codebook (TsrProject    *self,
                                      GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);

/**
 * TsrCodebookImport:
 * @n_added: codes created
 * @n_kept: codes the project had already (same name under the same
 *   parent): left as they were
 * @n_renamed: codes whose name held "/", Tessera's path separator,
 *   written as "∕" (division slash)
 * @n_sets: code sets in the file, which Tessera has no place for
 *
 * What importing a codebook did.
 */
typedef struct
{
  guint n_added;
  guint n_kept;
  guint n_renamed;
  guint n_sets;
} TsrCodebookImport;

gboolean tsr_project_import_codebook (TsrProject        *self,
                                      GFile             *file,
                                      TsrCodebookImport *result,
                                      GCancellable      *cancellable,
                                      GError           **error);

G_END_DECLS
