/* tsr-reader-private.h — the reader's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader is written in five files: tsr-reader.c (the document, the
 * selection, coding, the public API), tsr-reader-stripes.c (highlights,
 * the coding margin's stripes and labels), tsr-reader-popover.c (the
 * coding popover), tsr-reader-menu.c (the context menu) and
 * tsr-reader-input.c (dragging, drops, the margin's clicks and
 * tooltips).  Only they include this header.
 */
#pragma once

#include "tsr-reader.h"

G_BEGIN_DECLS

/* The coding margin: narrow lanes of stripes, then a column of labels
 * set horizontally, like a marginal note. */
#define LANE_WIDTH   7
#define MAX_LANES    10
#define STRIPE_WIDTH 3
#define MARGIN_PAD   8
#define LABEL_GAP    6
#define LABEL_WIDE   176
#define LABEL_WIDTH  144
#define LABEL_NARROW 96
#define LABEL_SPACE  4     /* between a code's name and its coders */

typedef struct
{
  guint start;
  guint end;
} Run;

/* One layer of colour per code. */
typedef struct
{
  gint64      code_id;
  GdkRGBA     color;
  GArray     *all;     /* Run, merged, by start: what is highlighted */
  GArray     *mine;    /* Run: the current coder's coding */
  GArray     *other;   /* Run: others' coding not under mine */
} Layer;

/* One coding stripe per shown segment. */
typedef struct
{
  gint64   segment_id;
  gint64   code_id;
  gint64   coder_id;
  guint    start;
  guint    end;
  guint    lane;
  guint    mine : 1;
  guint    exemplar : 1;
} Stripe;

/* The coding margin: the text view's right gutter, drawn by the reader. */
#define TSR_TYPE_READER_MARGIN (tsr_reader_margin_get_type ())
G_DECLARE_FINAL_TYPE (TsrReaderMargin, tsr_reader_margin, TSR, READER_MARGIN, GtkWidget)

struct _TsrReaderMargin
{
  GtkWidget  parent_instance;
  TsrReader *reader;   /* not owned: the reader owns the margin */
};


struct _TsrReader
{
  GtkTextView  parent_instance;

  TsrProject  *project;
  TsrDocument *document;
  char        *text;

  /* The codes of the current document, in code order. */
  GArray      *layers;
  /* The shown segments by start, and the furthest end up to each. */
  GArray      *stripes;
  GArray      *max_end;
  guint        n_lanes;
  /* "code:coder:coder…" → PangoLayout of a passage's stripe label */
  GHashTable  *labels;
  /* the label column's width: narrower, then none, as the reader narrows */
  int          label_width;
  guint        label_width_idle;

  gint64       coder_id;
  gint64       selected_segment_id;
  gboolean     show_others;
  gboolean     snap_to_words;

  TsrReaderMargin *margin;
  GtkAdjustment   *vadjustment;
  gulong           vadjustment_handler;

  /* The press that may start a drag of the selection: it landed inside
   * a selection that existed before it. */
  gboolean     drag_armed;
  gboolean     drag_started;
  double       press_x;
  double       press_y;

  /* The context menu, and the passage it was opened on. */
  GtkWidget   *context_menu;
  GSimpleActionGroup *passage_actions;
  guint        context_offset;
  gint64       context_segment_id;
  GArray      *recent_codes;   /* gint64 code ids, latest first */

  GtkPopover  *popover;
  GtkWidget   *popover_box;
  guint        popover_offset;
  gint64       popover_segment_id;

  gulong       changed_handler;
  gulong       coder_handler;
};

/* tsr-reader.c */
void _tsr_reader_notify_selected_segment (TsrReader *self);
void _tsr_reader_emit_memo_requested (TsrReader *self,
                                      gint64     segment_id);
GtkTextBuffer *_tsr_reader_get_buffer (TsrReader *self);
gint64 _tsr_reader_document_id (TsrReader *self);
void _tsr_reader_show_toast (TsrReader  *self,
                             const char *message,
                             gboolean    with_undo);
void _tsr_reader_iter_at (TsrReader   *self,
                          GtkTextIter *iter,
                          guint        offset);
gboolean _tsr_reader_offset_at_point (TsrReader *self,
                                      double     x,
                                      double     y,
                                      guint     *offset);

/* tsr-reader-stripes.c */
void _tsr_reader_clear_layer (gpointer data);
void _tsr_reader_clear_highlights (TsrReader *self);
void _tsr_reader_update_margin (TsrReader *self);
void _tsr_reader_refresh_highlights (TsrReader *self);
void _tsr_reader_stripe_rect (TsrReader          *self,
                              const Stripe       *stripe,
                              graphene_rect_t    *rect);
void _tsr_reader_mark_blank_lines (TsrReader *self);
void _tsr_reader_snapshot_selected_segment (TsrReader   *self,
                                            GtkSnapshot *snapshot);
const Stripe *_tsr_reader_find_stripe (TsrReader *self,
                                       gint64     segment_id);
GArray *_tsr_reader_stripes_at (TsrReader *self,
                                guint      offset);
const Stripe *_tsr_reader_stripe_at_point (TsrReader *self,
                                           double     x,
                                           double     y);

/* tsr-reader-popover.c */
void _tsr_reader_setup_popover (TsrReader *self);
void _tsr_reader_clear_popover_box (TsrReader *self);
gboolean _tsr_reader_fill_popover (TsrReader *self);
void _tsr_reader_point_popover_at (TsrReader *self,
                                   guint      offset,
                                   gint64     segment_id);
void _tsr_reader_refresh_popover (TsrReader *self);

/* tsr-reader-menu.c */
gboolean _tsr_reader_shortcut_context_menu_cb (GtkWidget *widget,
                                               GVariant  *args,
                                               gpointer   user_data);
void _tsr_reader_setup_context_menu (TsrReader *self);

/* tsr-reader-input.c */
void _tsr_reader_setup_input (TsrReader *self);

G_END_DECLS
