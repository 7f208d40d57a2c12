/* tsr-import-item-private.h — an import's file, as its files see it
 *
 * tsr-import-item.c reads a TsrImportItem; tsr-import.c commits what it
 * prepared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-import.h"
#include "tsr-import-private.h"

G_BEGIN_DECLS

typedef struct
{
  char     *name;
  char     *text;
  char     *hash;
  guint     row;            /* the table row, for spreadsheets */
  gboolean  imported;
  gboolean  duplicate;
  char     *duplicate_of;
  gint64    id;
} PreparedDocument;

struct _TsrImportItem
{
  GObject          parent_instance;

  GFile           *file;
  char            *display_name;
  TsrImportFormat  format;
  TsrImportStatus  status;
  GError          *error;

  /* Spreadsheet choices */
  char            *sheet;
  gint             text_column;
  gint             id_column;
  char            *text_column_name;
  char            *id_column_name;

  /* What reading found */
  GPtrArray       *documents;     /* of PreparedDocument */
  TsrImportTable  *table;
  gint             used_text_column;
  gint             used_id_column;
  /* Row numbers were asked for: no id column is guessed. */
  gboolean         row_numbers;
  guint            n_skipped_rows;
};

/* Marks @self failed with @error, which it takes. */
void
_tsr_import_item_fail (TsrImportItem *self,
                       GError        *error);

guint
_tsr_import_item_count_documents (TsrImportItem *self,
                                  gboolean       imported,
                                  gboolean       duplicate);

gboolean
_tsr_import_item_read (TsrImportItem *self,
                       GCancellable  *cancellable,
                       GError       **cancel_error);

G_END_DECLS
