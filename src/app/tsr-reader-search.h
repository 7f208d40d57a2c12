/* tsr-reader-search.h — find in the document the reader shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tsr-reader.h"

G_BEGIN_DECLS

#define TSR_TYPE_READER_SEARCH (tsr_reader_search_get_type ())
G_DECLARE_FINAL_TYPE (TsrReaderSearch, tsr_reader_search, TSR, READER_SEARCH, GtkWidget)

void tsr_reader_search_set_reader (TsrReaderSearch *self,
                                   TsrReader       *reader);
void tsr_reader_search_begin      (TsrReaderSearch *self);

G_END_DECLS
