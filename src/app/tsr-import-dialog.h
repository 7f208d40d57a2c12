/* tsr-import-dialog.h — importing files into the open project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"
#include "tsr-window.h"

G_BEGIN_DECLS

#define TSR_TYPE_IMPORT_DIALOG (tsr_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsrImportDialog, tsr_import_dialog, TSR, IMPORT_DIALOG, AdwWindow)

TsrImportDialog *tsr_import_dialog_run            (TsrWindow        *window,
                                                   GListModel       *files);
void             tsr_import_dialog_choose_files   (TsrWindow        *window);
GtkDropTarget   *tsr_import_dialog_drop_target_new (TsrWindow       *window);

/* What the dialog shows: "loading", "table", "progress" or "summary". */
const char      *tsr_import_dialog_get_page       (TsrImportDialog  *self);
TsrImporter     *tsr_import_dialog_get_importer   (TsrImportDialog  *self);
TsrImportTable  *tsr_import_dialog_get_table      (TsrImportDialog  *self);
/* Picks the columns of the spreadsheet shown, as its drop-downs do;
 * @id_column -1 names the documents by row. */
void             tsr_import_dialog_choose_columns (TsrImportDialog  *self,
                                                   guint             text_column,
                                                   gint              id_column);

G_END_DECLS
