/* tsr-reader.h — a document's text for reading, coded passages highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_READER (tsr_reader_get_type ())
G_DECLARE_FINAL_TYPE (TsrReader, tsr_reader, TSR, READER, GtkTextView)

/* Each code's highlight opacity; overlapping codes stack. */
#define TSR_READER_HIGHLIGHT_ALPHA 0.25

GtkWidget   *tsr_reader_new                (void);
gboolean     tsr_reader_set_document       (TsrReader    *self,
                                            TsrProject   *project,
                                            TsrDocument  *document,
                                            GError      **error);
TsrDocument *tsr_reader_get_document       (TsrReader    *self);
const char  *tsr_reader_get_text           (TsrReader    *self);
void         tsr_reader_snapshot_highlights (TsrReader   *self,
                                             GtkSnapshot *snapshot);
gboolean     tsr_reader_is_highlight_tag   (GtkTextTag   *tag);
gint64       tsr_reader_get_tag_code_id    (GtkTextTag   *tag);

G_END_DECLS
