/* tsr-reader.h — a document's text for reading and coding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

/**
 * TsrTextRange:
 * @document_id: the document
 * @start: the first character (Unicode character offset)
 * @end: the character after the last
 *
 * A passage of a document, as the reader offers it when its selection
 * is dragged.
 */
typedef struct
{
  gint64 document_id;
  guint  start;
  guint  end;
} TsrTextRange;

#define TSR_TYPE_TEXT_RANGE (tsr_text_range_get_type ())
GType         tsr_text_range_get_type (void) G_GNUC_CONST;
TsrTextRange *tsr_text_range_copy     (const TsrTextRange *range);
void          tsr_text_range_free     (TsrTextRange       *range);

#define TSR_TYPE_READER (tsr_reader_get_type ())
G_DECLARE_FINAL_TYPE (TsrReader, tsr_reader, TSR, READER, GtkTextView)

/* Each code's highlight opacity; overlapping codes stack. */
#define TSR_READER_HIGHLIGHT_ALPHA 0.25
/* Other coders' passages, when shown: lighter, with a dashed underline. */
#define TSR_READER_OTHER_ALPHA     0.10

GtkWidget   *tsr_reader_new                (void);
gboolean     tsr_reader_set_document       (TsrReader    *self,
                                            TsrProject   *project,
                                            TsrDocument  *document,
                                            GError      **error);
TsrDocument *tsr_reader_get_document       (TsrReader    *self);
const char  *tsr_reader_get_text           (TsrReader    *self);
void         tsr_reader_snapshot_highlights (TsrReader   *self,
                                             GtkSnapshot *snapshot);
GArray      *tsr_reader_dup_codes_at       (TsrReader    *self,
                                            guint         offset);
GArray      *tsr_reader_dup_highlight_runs (TsrReader    *self,
                                            gint64        code_id);

/* Whose coding shows */
void         tsr_reader_set_show_other_coders (TsrReader *self,
                                               gboolean   show);
gboolean     tsr_reader_get_show_other_coders (TsrReader *self);
void         tsr_reader_set_snap_to_words     (TsrReader *self,
                                               gboolean   snap);

/* Coding */
gboolean     tsr_reader_select_range       (TsrReader    *self,
                                            guint         start,
                                            guint         end);
gboolean     tsr_reader_get_coding_range   (TsrReader    *self,
                                            guint        *start,
                                            guint        *end);
gint64       tsr_reader_code_selection     (TsrReader    *self,
                                            gint64        code_id,
                                            GError      **error);
gint64       tsr_reader_code_in_vivo       (TsrReader    *self,
                                            gint64        parent_id,
                                            GError      **error);

/* The selected coded passage */
gint64       tsr_reader_get_selected_segment (TsrReader  *self);
gboolean     tsr_reader_select_segment     (TsrReader    *self,
                                            gint64        segment_id);
gboolean     tsr_reader_select_next_segment (TsrReader   *self,
                                             int          direction);
gboolean     tsr_reader_move_segment_bound (TsrReader    *self,
                                            gboolean      start_bound,
                                            int           direction);
gboolean     tsr_reader_remove_selected_segment (TsrReader *self);
gboolean     tsr_reader_toggle_selected_exemplar (TsrReader *self);
gboolean     tsr_reader_show_coding_at     (TsrReader    *self,
                                            guint         offset,
                                            gint64        segment_id);
GtkPopover  *tsr_reader_get_coding_popover (TsrReader    *self);

/* The coding stripes */
guint        tsr_reader_get_n_lanes        (TsrReader    *self);
int          tsr_reader_get_segment_lane   (TsrReader    *self,
                                            gint64        segment_id);
guint        tsr_reader_get_n_visible_segments (TsrReader *self);
GtkWidget   *tsr_reader_get_margin         (TsrReader    *self);
gboolean     tsr_reader_get_stripe_point   (TsrReader    *self,
                                            gint64        segment_id,
                                            double       *x,
                                            double       *y);
gboolean     tsr_reader_get_stripe_label   (TsrReader       *self,
                                            gint64           segment_id,
                                            graphene_rect_t *rect,
                                            char           **text,
                                            gboolean        *ellipsized);

void          tsr_reader_set_recent_codes      (TsrReader    *self,
                                                GArray       *code_ids);
void          tsr_reader_popup_context_menu    (TsrReader    *self,
                                                guint         offset);
GtkPopover   *tsr_reader_get_context_menu      (TsrReader    *self);
GdkContentProvider *tsr_reader_create_drag_content (TsrReader *self);

G_END_DECLS
