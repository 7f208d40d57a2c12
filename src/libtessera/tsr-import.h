/* tsr-import.h — importing documents and survey spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-entities.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TSR_IMPORT_MAX_FILE_BYTES:
 * The largest file Tessera reads for import (256 MiB).
 */
#define TSR_IMPORT_MAX_FILE_BYTES (256u * 1024 * 1024)

/**
 * TSR_IMPORT_MAX_TEXT_BYTES:
 * The most text one file may yield (50 MiB of UTF-8, some 8 million
 * words); a spreadsheet counts all its cells together.
 */
#define TSR_IMPORT_MAX_TEXT_BYTES (50u * 1024 * 1024)

/**
 * TsrImportFormat:
 * A file's format, told by its content (magic bytes, zip members) and,
 * for formats that are plain text inside (CSV, HTML), by its name.
 */
typedef enum
{
  TSR_IMPORT_FORMAT_UNKNOWN,
  TSR_IMPORT_FORMAT_TEXT,
  TSR_IMPORT_FORMAT_MARKDOWN,
  TSR_IMPORT_FORMAT_HTML,
  TSR_IMPORT_FORMAT_DOCX,
  TSR_IMPORT_FORMAT_ODT,
  TSR_IMPORT_FORMAT_PDF,
  TSR_IMPORT_FORMAT_RTF,
  TSR_IMPORT_FORMAT_CSV,
  TSR_IMPORT_FORMAT_XLSX,
} TsrImportFormat;

const char      *tsr_import_format_get_name   (TsrImportFormat  format);
gboolean         tsr_import_format_is_table   (TsrImportFormat  format);

/* The patterns of every name a file chooser should offer, NULL-terminated. */
const char * const *tsr_import_get_patterns   (void);
const char * const *tsr_import_get_mime_types (void);

TsrImportFormat  tsr_import_detect_format     (GFile          *file,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* Reading one file ---------------------------------------------------- */

GInputStream    *tsr_import_open_file         (GFile          *file,
                                               goffset        *size,
                                               GCancellable   *cancellable,
                                               GError        **error);

char            *tsr_import_read_text         (GFile          *file,
                                               TsrImportFormat *format,
                                               GCancellable   *cancellable,
                                               GError        **error);

/* Tables: CSV and XLSX ------------------------------------------------ */

#define TSR_TYPE_IMPORT_TABLE (tsr_import_table_get_type ())
G_DECLARE_FINAL_TYPE (TsrImportTable, tsr_import_table, TSR, IMPORT_TABLE, GObject)

TsrImportTable  *tsr_import_read_table             (GFile          *file,
                                                    const char     *sheet,
                                                    GCancellable   *cancellable,
                                                    GError        **error);
guint            tsr_import_table_get_n_columns    (TsrImportTable *self);
guint            tsr_import_table_get_n_rows       (TsrImportTable *self);
const char      *tsr_import_table_get_header       (TsrImportTable *self,
                                                    guint           column);
gint             tsr_import_table_find_column      (TsrImportTable *self,
                                                    const char     *name_or_number);
const char      *tsr_import_table_get_cell         (TsrImportTable *self,
                                                    guint           row,
                                                    guint           column);
guint            tsr_import_table_get_row_number   (TsrImportTable *self,
                                                    guint           row);
TsrAttributeType tsr_import_table_get_column_type  (TsrImportTable *self,
                                                    guint           column);
gint             tsr_import_table_guess_text_column (TsrImportTable *self);
gint             tsr_import_table_guess_id_column   (TsrImportTable *self);
const char * const *tsr_import_table_get_sheets    (TsrImportTable *self);
const char      *tsr_import_table_get_sheet        (TsrImportTable *self);

/* A batch of files ---------------------------------------------------- */

/**
 * TsrImportStatus:
 * @TSR_IMPORT_PENDING: not read yet
 * @TSR_IMPORT_READY: read; its documents are waiting to be added
 * @TSR_IMPORT_IMPORTED: its documents were added (some may have been
 *   duplicates, see tsr_import_item_get_n_duplicates())
 * @TSR_IMPORT_DUPLICATE: every document it holds is already in the
 *   project or earlier in the batch, so nothing was added
 * @TSR_IMPORT_FAILED: it could not be imported; see
 *   tsr_import_item_get_error()
 */
typedef enum
{
  TSR_IMPORT_PENDING,
  TSR_IMPORT_READY,
  TSR_IMPORT_IMPORTED,
  TSR_IMPORT_DUPLICATE,
  TSR_IMPORT_FAILED,
} TsrImportStatus;

#define TSR_TYPE_IMPORT_ITEM (tsr_import_item_get_type ())
G_DECLARE_FINAL_TYPE (TsrImportItem, tsr_import_item, TSR, IMPORT_ITEM, GObject)

GFile           *tsr_import_item_get_file          (TsrImportItem  *self);
const char      *tsr_import_item_get_display_name  (TsrImportItem  *self);
TsrImportFormat  tsr_import_item_get_format        (TsrImportItem  *self);
TsrImportStatus  tsr_import_item_get_status        (TsrImportItem  *self);
const GError    *tsr_import_item_get_error         (TsrImportItem  *self);
guint            tsr_import_item_get_n_imported    (TsrImportItem  *self);
guint            tsr_import_item_get_n_duplicates  (TsrImportItem  *self);
guint            tsr_import_item_get_n_skipped_rows (TsrImportItem *self);
GArray          *tsr_import_item_get_document_ids  (TsrImportItem  *self);
const char      *tsr_import_item_get_duplicate_of  (TsrImportItem  *self);
char            *tsr_import_item_describe          (TsrImportItem  *self);
/* For spreadsheets, before the batch is read: the column holding the
 * text, the one naming the documents (-1: "Row N") and the sheet. */
void             tsr_import_item_set_columns       (TsrImportItem  *self,
                                                    gint            text_column,
                                                    gint            id_column);
void             tsr_import_item_set_column_names  (TsrImportItem  *self,
                                                    const char     *text_column,
                                                    const char     *id_column);
void             tsr_import_item_set_sheet         (TsrImportItem  *self,
                                                    const char     *sheet);
const char      *tsr_import_item_get_text_column   (TsrImportItem  *self);

/**
 * TsrImportProgressFunc:
 * @done: files read so far
 * @total: files in the batch
 * @current: (nullable): the name of the file being read
 */
typedef void (*TsrImportProgressFunc) (guint        done,
                                       guint        total,
                                       const char  *current,
                                       gpointer     user_data);

#define TSR_TYPE_IMPORTER (tsr_importer_get_type ())
G_DECLARE_FINAL_TYPE (TsrImporter, tsr_importer, TSR, IMPORTER, GObject)

TsrImporter     *tsr_importer_new             (void);
TsrImportItem   *tsr_importer_add_file        (TsrImporter           *self,
                                               GFile                 *file);
GListModel      *tsr_importer_get_items       (TsrImporter           *self);
guint            tsr_importer_count           (TsrImporter           *self,
                                               TsrImportStatus        status);
gboolean         tsr_importer_read            (TsrImporter           *self,
                                               GCancellable          *cancellable,
                                               TsrImportProgressFunc  progress,
                                               gpointer               user_data,
                                               GError               **error);
void             tsr_importer_read_async      (TsrImporter           *self,
                                               GCancellable          *cancellable,
                                               TsrImportProgressFunc  progress,
                                               gpointer               progress_data,
                                               GDestroyNotify         progress_destroy,
                                               GAsyncReadyCallback    callback,
                                               gpointer               user_data);
gboolean         tsr_importer_read_finish     (TsrImporter           *self,
                                               GAsyncResult          *result,
                                               GError               **error);
guint            tsr_importer_commit          (TsrImporter           *self,
                                               TsrProject            *project,
                                               gboolean               include_duplicates,
                                               GError               **error);

TsrImporter     *tsr_project_import_files     (TsrProject            *project,
                                               GFile                **files,
                                               guint                  n_files,
                                               GCancellable          *cancellable,
                                               GError               **error);

G_END_DECLS
