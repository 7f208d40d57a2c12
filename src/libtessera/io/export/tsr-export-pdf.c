/* tsr-export-pdf.c — PDF on A4 or Letter, laid out with Pango and drawn
 * with cairo
 *
 * The document goes through twice: once to lay it out and count the
 * pages (for the "2 / 5" footer), once to draw the same layouts.
 * Paragraphs flow line by line across pages, never leaving one line of a
 * paragraph alone at the foot or the top of a page; a heading or a
 * caption is kept with what follows it.  A table row that does not fit
 * on the rest of a page moves to the next one (only a row taller than a
 * whole page is split between lines); every page a table continues on
 * starts with its header row again.  Header words never break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

#define PT_PER_CM    (72.0 / 2.54)
/* One inch margins as APA asks, 2 cm in the classic look. */
#define PAGE_WIDTH   (pdf->layout->page_width)
#define PAGE_HEIGHT  (pdf->layout->page_height)
#define MARGIN       (pdf->layout->apa ? 72.0 : 2.0 * PT_PER_CM)
#define TOP          MARGIN
#define BOTTOM       (PAGE_HEIGHT - MARGIN)
#define LEFT         MARGIN
#define TEXT_WIDTH   (PAGE_WIDTH - 2 * MARGIN)

#define CELL_PAD_X   (pdf->layout->apa ? 3.0 : 4.5)
#define CELL_PAD_Y   3.0
#define INDENT_STEP  12.0
#define PARA_GAP     3.0

#define FAMILIES "Carlito, Calibri, Noto Sans, Liberation Sans, DejaVu Sans, Sans"

typedef struct
{
  double r, g, b;
} Color;

static const Color ink = { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 };
static const Color grey_ink = { 0x5e / 255.0, 0x64 / 255.0, 0x70 / 255.0 };
static const Color black = { 0, 0, 0 };
static const Color rule_grey = { 0xbf / 255.0, 0xc3 / 255.0, 0xca / 255.0 };
static const Color header_fill = { 0xe8 / 255.0, 0xea / 255.0, 0xee / 255.0 };

typedef struct
{
  double  size;
  gboolean bold;
  gboolean italic;
  Color   color;
  double  before;
  double  after;
  double  indent;           /* left and right */
  gboolean keep_next;
} Look;

/* Indexed by TsrParagraphStyle. */
static const Look looks[] = {
  [TSR_PARAGRAPH_TITLE] = { 20, TRUE, FALSE, { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 }, 0, 12, 0, TRUE },
  [TSR_PARAGRAPH_HEADING_1] = { 15, TRUE, FALSE, { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 }, 16, 6, 0, TRUE },
  [TSR_PARAGRAPH_HEADING_2] = { 12.5, TRUE, FALSE, { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 }, 13, 5, 0, TRUE },
  [TSR_PARAGRAPH_HEADING_3] = { 11, TRUE, TRUE, { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 }, 10, 4, 0, TRUE },
  [TSR_PARAGRAPH_BODY] = { 10.5, FALSE, FALSE, { 0x1f / 255.0, 0x24 / 255.0, 0x30 / 255.0 }, 0, 7, 0, FALSE },
  [TSR_PARAGRAPH_NOTE] = { 8.5, FALSE, FALSE, { 0x3a / 255.0, 0x3f / 255.0, 0x4a / 255.0 }, 4, 12, 0, FALSE },
  [TSR_PARAGRAPH_QUOTE] = { 10, FALSE, TRUE, { 0x3a / 255.0, 0x3f / 255.0, 0x4a / 255.0 }, 2, 7, 28, FALSE },
};

#define TABLE_SIZE   9.0
#define CAPTION_SIZE 10.5
#define FOOTER_SIZE  8.0

typedef struct
{
  const TsrExportLayout *layout;
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoContext    *context;
  gboolean         draw;
  guint            page;          /* 1-based */
  guint            n_pages;       /* known in the drawing pass */
  double           y;
  GCancellable    *cancellable;
  GPtrArray       *cache;         /* Block, in the order they were laid out */
  guint            cache_pos;
  double           table_size;    /* the size of the table being written */
} Pdf;

/* The colour of text: black in APA style, Tessera's ink in the classic
 * look. */
static Color
text_color (Pdf         *pdf,
            const Color *classic)
{
  Color black_ink = { 0, 0, 0 };

  return pdf->layout->apa ? black_ink : *classic;
}

/* A laid-out line of a block of paragraphs (a cell, or a paragraph of
 * running text), in the block's coordinates. */
typedef struct
{
  PangoLayout *layout;            /* owned by the block */
  int          index;
  double       x;
  double       top;
  double       bottom;
  double       baseline;
  Color        color;
} Line;

typedef struct
{
  GPtrArray *layouts;
  GArray    *lines;               /* Line */
  double     height;
  guint      next;                /* the first line not drawn yet */
} Block;

/* Layouts ------------------------------------------------------------- */

static PangoLayout *
make_layout_full (Pdf                *pdf,
                  TsrExportParagraph *paragraph,
                  double              size,
                  TsrTextStyle        extra_style,
                  double              width,
                  TsrAlign            align,
                  gboolean            whole_words)
{
  PangoLayout *layout = pango_layout_new (pdf->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FAMILIES);
  PangoAttrList *attrs = pango_attr_list_new ();
  GString *text = g_string_new (NULL);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (extra_style & TSR_TEXT_BOLD)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (extra_style & TSR_TEXT_ITALIC)
    pango_font_description_set_style (font, PANGO_STYLE_ITALIC);

  for (guint i = 0; paragraph != NULL && i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *run = tsr_export_paragraph_get_run (paragraph, i, &style);
      guint start = text->len;

      g_string_append (text, run);
      if (style & TSR_TEXT_BOLD)
        {
          PangoAttribute *a = pango_attr_weight_new (PANGO_WEIGHT_BOLD);

          a->start_index = start;
          a->end_index = text->len;
          pango_attr_list_insert (attrs, a);
        }
      if (style & TSR_TEXT_ITALIC)
        {
          PangoAttribute *a = pango_attr_style_new (PANGO_STYLE_ITALIC);

          a->start_index = start;
          a->end_index = text->len;
          pango_attr_list_insert (attrs, a);
        }
      if (style & TSR_TEXT_SUPERSCRIPT)
        {
          PangoAttribute *a = pango_attr_rise_new ((int) (size * 0.35 * PANGO_SCALE));
          PangoAttribute *b = pango_attr_size_new_absolute ((int) (size * 0.65 * PANGO_SCALE));

          a->start_index = b->start_index = start;
          a->end_index = b->end_index = text->len;
          pango_attr_list_insert (attrs, a);
          pango_attr_list_insert (attrs, b);
        }
    }
  if (whole_words)
    {
      /* A header word or a number never breaks, and never with a hyphen. */
      PangoAttribute *a = pango_attr_insert_hyphens_new (FALSE);

      pango_attr_list_insert (attrs, a);
    }

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (MAX (width, 1) * PANGO_SCALE));
  pango_layout_set_wrap (layout, whole_words ? PANGO_WRAP_WORD : PANGO_WRAP_WORD_CHAR);
  pango_layout_set_auto_dir (layout, TRUE);
  pango_layout_set_alignment (layout, align == TSR_ALIGN_END ? PANGO_ALIGN_RIGHT
                                      : align == TSR_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                      : PANGO_ALIGN_LEFT);
  pango_layout_set_text (layout, text->str, text->len);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  g_string_free (text, TRUE);
  return layout;
}

static PangoLayout *
make_layout (Pdf                *pdf,
             TsrExportParagraph *paragraph,
             double              size,
             TsrTextStyle        extra_style,
             double              width,
             TsrAlign            align)
{
  return make_layout_full (pdf, paragraph, size, extra_style, width, align, FALSE);
}

static PangoLayout *
make_plain_layout (Pdf         *pdf,
                   const char  *text,
                   double       size,
                   TsrTextStyle style,
                   double       width,
                   TsrAlign     align)
{
  TsrExportParagraph paragraph = { TSR_PARAGRAPH_BODY, g_array_new (FALSE, FALSE, sizeof (TsrExportRun)) };
  TsrExportRun run = { (char *) text, TSR_TEXT_PLAIN };
  PangoLayout *layout;

  g_array_append_val (paragraph.runs, run);
  layout = make_layout (pdf, &paragraph, size, style, width, align);
  g_array_unref (paragraph.runs);
  return layout;
}

static void
block_init (Block *block)
{
  block->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  block->lines = g_array_new (FALSE, FALSE, sizeof (Line));
  block->height = 0;
  block->next = 0;
}

static void
block_clear (Block *block)
{
  g_clear_pointer (&block->layouts, g_ptr_array_unref);
  g_clear_pointer (&block->lines, g_array_unref);
}

static void
block_free (gpointer data)
{
  block_clear (data);
  g_free (data);
}

/* The counting pass lays every block out; the drawing pass, which runs
 * through the document in the same order, takes the same blocks back
 * instead of laying them out again.  @fresh says whether the block is
 * new and must be filled. */
static Block *
next_block (Pdf      *pdf,
            gboolean *fresh)
{
  Block *block;

  if (pdf->draw)
    {
      g_assert (pdf->cache_pos < pdf->cache->len);
      block = g_ptr_array_index (pdf->cache, pdf->cache_pos++);
      block->next = 0;
      *fresh = FALSE;
      return block;
    }

  block = g_new0 (Block, 1);
  block_init (block);
  g_ptr_array_add (pdf->cache, block);
  *fresh = TRUE;
  return block;
}

/* Appends @layout's lines below what the block holds. */
static void
block_add (Block       *block,
           PangoLayout *layout,
           double       x,
           Color        color)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double offset = block->layouts->len > 0 ? block->height + PARA_GAP : 0;
  int index = 0;
  int width, height;

  g_ptr_array_add (block->layouts, layout);
  do
    {
      PangoRectangle logical;
      int y0, y1;
      Line line;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      line.layout = layout;
      line.index = index++;
      line.x = x + (double) logical.x / PANGO_SCALE;
      line.top = offset + (double) y0 / PANGO_SCALE;
      line.bottom = offset + (double) y1 / PANGO_SCALE;
      line.baseline = offset + (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      line.color = color;
      g_array_append_val (block->lines, line);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  pango_layout_get_size (layout, &width, &height);
  block->height = offset + (double) height / PANGO_SCALE;
}

static double
block_remaining (Block *block)
{
  if (block->next >= block->lines->len)
    return 0;
  return block->height - g_array_index (block->lines, Line, block->next).top;
}

/* How much of the rest of @block fits in @avail: the height of the
 * lines that do, and how many. */
static double
block_fit (Block  *block,
           double  avail,
           guint  *n_lines)
{
  double start, fit = 0;
  guint i;

  *n_lines = 0;
  if (block->next >= block->lines->len)
    return 0;

  start = g_array_index (block->lines, Line, block->next).top;
  for (i = block->next; i < block->lines->len; i++)
    {
      Line *line = &g_array_index (block->lines, Line, i);

      if (line->bottom - start > avail + 0.01)
        break;
      fit = line->bottom - start;
    }
  *n_lines = i - block->next;
  /* What follows the last line of a paragraph up to the block's end
   * (nothing, or the gap before a next paragraph) is not counted. */
  if (i == block->lines->len)
    fit = block->height - start;
  return fit;
}

/* Draws the next @n_lines of @block with their top at (x, y). */
static void
block_draw (Pdf    *pdf,
            Block  *block,
            guint   n_lines,
            double  x,
            double  y)
{
  double start;

  if (n_lines == 0)
    return;
  start = g_array_index (block->lines, Line, block->next).top;
  for (guint i = block->next; i < block->next + n_lines; i++)
    {
      Line *line = &g_array_index (block->lines, Line, i);

      if (pdf->draw)
        {
          PangoLayoutLine *layout_line = pango_layout_get_line_readonly (line->layout, line->index);

          cairo_set_source_rgb (pdf->cr, line->color.r, line->color.g, line->color.b);
          cairo_move_to (pdf->cr, x + line->x, y + line->baseline - start);
          pango_cairo_show_layout_line (pdf->cr, layout_line);
        }
    }
  block->next += n_lines;
}

/* Pages --------------------------------------------------------------- */

static void
draw_footer (Pdf *pdf)
{
  /* Translators: the page footer of a PDF export, "2 / 5" */
  g_autofree char *text = g_strdup_printf (_("%u / %u"), pdf->page, pdf->n_pages);
  g_autoptr(PangoLayout) layout = make_plain_layout (pdf, text, FOOTER_SIZE, TSR_TEXT_PLAIN,
                                                     TEXT_WIDTH, TSR_ALIGN_CENTER);

  Color color = text_color (pdf, &grey_ink);

  cairo_set_source_rgb (pdf->cr, color.r, color.g, color.b);
  cairo_move_to (pdf->cr, LEFT, PAGE_HEIGHT - MARGIN / 2 - FOOTER_SIZE);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
finish_page (Pdf *pdf)
{
  if (pdf->draw)
    {
      draw_footer (pdf);
      cairo_show_page (pdf->cr);
    }
}

static void
new_page (Pdf *pdf)
{
  finish_page (pdf);
  pdf->page++;
  pdf->y = TOP;
}

static gboolean
at_page_top (Pdf *pdf)
{
  return pdf->y <= TOP + 0.01;
}

static void
rule (Pdf         *pdf,
      double       y,
      double       width,
      const Color *color)
{
  if (!pdf->draw)
    return;
  cairo_set_source_rgb (pdf->cr, color->r, color->g, color->b);
  cairo_set_line_width (pdf->cr, width);
  cairo_move_to (pdf->cr, LEFT, y);
  cairo_line_to (pdf->cr, LEFT + TEXT_WIDTH, y);
  cairo_stroke (pdf->cr);
}

/* Running text -------------------------------------------------------- */

static double
line_height (Pdf    *pdf,
             double  size)
{
  g_autoptr(PangoLayout) layout = NULL;
  int height;

  layout = make_plain_layout (pdf, "Ag", size, TSR_TEXT_PLAIN, TEXT_WIDTH, TSR_ALIGN_START);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* Flows a block down the page, line by line, starting new pages as it
 * goes.  No line is left alone: a paragraph of two or more lines puts
 * at least two on a page (no orphan) and leaves at least two for the
 * next (no widow); @whole keeps the block on one page if it fits on
 * one (a table's note). */
static void
flow_block (Pdf      *pdf,
            Block    *block,
            double    x,
            gboolean  whole)
{
  while (block->next < block->lines->len)
    {
      guint n, left = block->lines->len - block->next;

      block_fit (block, BOTTOM - pdf->y, &n);
      if (!at_page_top (pdf) && n < left &&
          (whole ? block_remaining (block) <= BOTTOM - TOP : (n == 1 && left > 1)))
        n = 0;
      else if (n + 1 == left && n >= 3)
        n--;                     /* the last line goes over with one more */
      else if (n + 1 == left && n > 0 && !at_page_top (pdf))
        n = 0;
      if (n == 0)
        {
          if (at_page_top (pdf))
            n = 1;   /* a line taller than a page: let it overflow */
          else
            {
              new_page (pdf);
              continue;
            }
        }
      {
        double start = g_array_index (block->lines, Line, block->next).top;
        double stop = g_array_index (block->lines, Line, block->next + n - 1).bottom;

        block_draw (pdf, block, n, x, pdf->y);
        pdf->y += stop - start;
      }
      if (block->next < block->lines->len)
        new_page (pdf);
    }
}

static void
write_paragraph (Pdf                *pdf,
                 TsrExportParagraph *paragraph)
{
  const Look *look = &looks[paragraph->style];
  TsrTextStyle style = (look->bold ? TSR_TEXT_BOLD : 0) | (look->italic ? TSR_TEXT_ITALIC : 0);
  gboolean fresh;
  Block *block = next_block (pdf, &fresh);

  if (fresh)
    block_add (block, make_layout (pdf, paragraph, look->size, style, TEXT_WIDTH - 2 * look->indent,
                                   TSR_ALIGN_START),
               0, text_color (pdf, &look->color));

  if (!at_page_top (pdf))
    pdf->y += look->before;

  /* A heading (or a paragraph kept with the next) stays with at least
   * three lines of what follows. */
  if ((look->keep_next || paragraph->keep_next) &&
      pdf->y + block->height + look->after + 3 * line_height (pdf, looks[TSR_PARAGRAPH_BODY].size) > BOTTOM &&
      !at_page_top (pdf))
    new_page (pdf);

  flow_block (pdf, block, LEFT + look->indent, paragraph->style == TSR_PARAGRAPH_NOTE);
  pdf->y += look->after;
}

/* Tables -------------------------------------------------------------- */

typedef struct
{
  TsrExportTable *table;
  double         *x;              /* each column's left edge */
  double         *width;          /* each column's width */
  Block         **header;         /* one per column, laid out once */
  double          header_height;
} TableLayout;

static void
header_block (Pdf         *pdf,
              TableLayout *t,
              guint        c,
              Block       *block)
{
  block_add (block, make_layout_full (pdf, t->table->columns[c].heading, pdf->table_size,
                                      pdf->layout->apa ? TSR_TEXT_PLAIN : TSR_TEXT_BOLD,
                                      t->width[c] - 2 * CELL_PAD_X, t->table->columns[c].align, TRUE),
             0, text_color (pdf, &ink));
}

/* Draws the rule above a table, the header row and the rule below it. */
static void
draw_header (Pdf         *pdf,
             TableLayout *t)
{
  double top = pdf->y;

  if (pdf->draw && !pdf->layout->apa)
    {
      cairo_set_source_rgb (pdf->cr, header_fill.r, header_fill.g, header_fill.b);
      cairo_rectangle (pdf->cr, LEFT, top, TEXT_WIDTH, t->header_height);
      cairo_fill (pdf->cr);
    }
  for (guint c = 0; c < t->table->n_columns; c++)
    {
      Block *block = t->header[c];

      /* Header cells sit on the rule below them. */
      block->next = 0;
      block_draw (pdf, block, block->lines->len, t->x[c] + CELL_PAD_X,
                  top + t->header_height - CELL_PAD_Y - block->height);
    }
  rule (pdf, top, pdf->layout->apa ? 1.0 : 1.5, &black);
  rule (pdf, top + t->header_height, pdf->layout->apa ? 0.5 : 0.9, &black);
  pdf->y = top + t->header_height;
}

static void
write_caption (Pdf            *pdf,
               TsrExportTable *table,
               double          keep_height)
{
  g_autofree char *label = _tsr_export_table_label (table->number);
  g_autofree char *bold = g_strdup_printf ("%s.", label);
  TsrExportParagraph paragraph = { TSR_PARAGRAPH_BODY, g_array_new (FALSE, FALSE, sizeof (TsrExportRun)), FALSE };
  TsrExportRun runs[] = { { bold, TSR_TEXT_BOLD }, { (char *) " ", TSR_TEXT_PLAIN },
                          { table->caption, TSR_TEXT_PLAIN } };
  TsrExportRun apa_runs[] = { { label, TSR_TEXT_BOLD }, { (char *) "\n", TSR_TEXT_PLAIN },
                              { table->caption, TSR_TEXT_ITALIC } };
  gboolean fresh;
  Block *block = next_block (pdf, &fresh);

  /* APA: the number in bold, the title in italic on the next line. */
  if (pdf->layout->apa)
    g_array_append_vals (paragraph.runs, apa_runs, *table->caption != '\0' ? 3 : 1);
  else
    g_array_append_vals (paragraph.runs, runs, *table->caption != '\0' ? 3 : 1);
  if (fresh)
    block_add (block, make_layout (pdf, &paragraph, CAPTION_SIZE, TSR_TEXT_PLAIN, TEXT_WIDTH,
                                   TSR_ALIGN_START),
               0, text_color (pdf, &ink));
  g_array_unref (paragraph.runs);

  if (!at_page_top (pdf))
    pdf->y += 10;
  /* The caption stays with the header and the first row. */
  if (pdf->y + block->height + 5 + keep_height > BOTTOM && !at_page_top (pdf))
    new_page (pdf);
  flow_block (pdf, block, LEFT, TRUE);
  pdf->y += 5;
}

static void
row_blocks (Pdf          *pdf,
            TableLayout  *t,
            TsrExportRow *row,
            Block       **cells)
{
  for (guint c = 0; c < t->table->n_columns; c++)
    {
      double indent = c == 0 ? INDENT_STEP * row->indent : 0;
      GPtrArray *paragraphs = row->cells[c];
      gboolean fresh;

      cells[c] = next_block (pdf, &fresh);
      for (guint i = 0; fresh && paragraphs != NULL && i < paragraphs->len; i++)
        block_add (cells[c],
                   make_layout_full (pdf, g_ptr_array_index (paragraphs, i), pdf->table_size,
                                     c == 0 ? row->style : TSR_TEXT_PLAIN,
                                     t->width[c] - 2 * CELL_PAD_X - indent, t->table->columns[c].align,
                                     t->table->columns[c].align != TSR_ALIGN_START),
                   indent, text_color (pdf, &ink));
    }
}

static double
row_remaining (TableLayout *t,
               Block      **cells)
{
  double height = 0;

  for (guint c = 0; c < t->table->n_columns; c++)
    height = MAX (height, block_remaining (cells[c]));
  return height + 2 * CELL_PAD_Y;
}

static gboolean
row_done (TableLayout *t,
          Block      **cells)
{
  for (guint c = 0; c < t->table->n_columns; c++)
    if (cells[c]->next < cells[c]->lines->len)
      return FALSE;
  return TRUE;
}

static void
continue_table (Pdf         *pdf,
                TableLayout *t)
{
  /* The part of the table on this page is closed by a rule. */
  rule (pdf, pdf->y, 0.9, &black);
  new_page (pdf);
  draw_header (pdf, t);
}

static void
write_row (Pdf          *pdf,
           TableLayout  *t,
           TsrExportRow *row,
           gboolean      first)
{
  g_autofree Block **cells = g_new0 (Block *, t->table->n_columns);
  double page_room = BOTTOM - TOP - t->header_height;

  row_blocks (pdf, t, row, cells);

  /* A row of empty cells still takes a line. */
  if (row_done (t, cells))
    {
      double height = line_height (pdf, pdf->table_size) + 2 * CELL_PAD_Y;

      if (pdf->y + height > BOTTOM)
        continue_table (pdf, t);
      else if (!first && !pdf->layout->apa)
        rule (pdf, pdf->y, 0.4, &rule_grey);
      pdf->y += height;
    }

  /* A row that does not fit on the rest of the page moves to the next
   * one; only a row taller than a page is split between lines. */
  if (pdf->y + row_remaining (t, cells) > BOTTOM && row_remaining (t, cells) <= page_room)
    continue_table (pdf, t);
  else if (!first && !row_done (t, cells) && !pdf->layout->apa)
    rule (pdf, pdf->y, 0.4, &rule_grey);

  while (!row_done (t, cells))
    {
      double avail = BOTTOM - pdf->y - 2 * CELL_PAD_Y;
      g_autofree guint *n = g_new0 (guint, t->table->n_columns);
      double piece = 0;
      guint total = 0;

      for (guint c = 0; c < t->table->n_columns; c++)
        {
          piece = MAX (piece, block_fit (cells[c], avail, &n[c]));
          total += n[c];
        }

      if (total == 0)
        {
          /* Not a line fits: on a fresh page that is a line taller than
           * the page, which is drawn anyway so the export ends. */
          if (pdf->y <= TOP + t->header_height + 0.01)
            for (guint c = 0; c < t->table->n_columns; c++)
              if (cells[c]->next < cells[c]->lines->len)
                {
                  Line *line = &g_array_index (cells[c]->lines, Line, cells[c]->next);

                  n[c] = 1;
                  piece = MAX (piece, line->bottom - line->top);
                }
          if (piece == 0)
            {
              continue_table (pdf, t);
              continue;
            }
        }

      for (guint c = 0; c < t->table->n_columns; c++)
        block_draw (pdf, cells[c], n[c], t->x[c] + CELL_PAD_X, pdf->y + CELL_PAD_Y);
      pdf->y += piece + 2 * CELL_PAD_Y;

      if (!row_done (t, cells))
        continue_table (pdf, t);
    }
}

static void
write_table (Pdf            *pdf,
             TsrExportTable *table)
{
  TableLayout t = { table, NULL, NULL, NULL, 0 };
  double x = LEFT;
  double keep = 0;

  t.x = g_new0 (double, table->n_columns);
  t.width = g_new0 (double, table->n_columns);
  t.header = g_new0 (Block *, table->n_columns);
  pdf->table_size = _tsr_export_table_widths (table, TEXT_WIDTH, FAMILIES, TABLE_SIZE, 7.5,
                                              !pdf->layout->apa, CELL_PAD_X, t.width);
  for (guint c = 0; c < table->n_columns; c++)
    {
      t.x[c] = x;
      x += t.width[c];
      {
        gboolean fresh;

        t.header[c] = next_block (pdf, &fresh);
        if (fresh)
          header_block (pdf, &t, c, t.header[c]);
      }
      t.header_height = MAX (t.header_height, t.header[c]->height + 2 * CELL_PAD_Y);
    }

  /* The caption keeps the header and two lines of the first row. */
  keep = t.header_height + 2 * CELL_PAD_Y + 2 * line_height (pdf, pdf->table_size);
  write_caption (pdf, table, keep);
  draw_header (pdf, &t);

  for (guint r = 0; r < table->rows->len; r++)
    {
      write_row (pdf, &t, &g_array_index (table->rows, TsrExportRow, r), r == 0);
      if ((r & 15) == 0 && g_cancellable_is_cancelled (pdf->cancellable))
        break;
    }
  rule (pdf, pdf->y, pdf->layout->apa ? 1.0 : 1.5, &black);
  pdf->y += 2;

  for (guint i = 0; i < table->notes->len; i++)
    write_paragraph (pdf, g_ptr_array_index (table->notes, i));
  if (table->notes->len == 0)
    pdf->y += 12;

  g_free (t.header);
  g_free (t.width);
  g_free (t.x);
}

/* The document -------------------------------------------------------- */

static void
write_pages (Pdf               *pdf,
             TsrExportDocument *doc)
{
  pdf->page = 1;
  pdf->y = TOP;
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph != NULL)
        write_paragraph (pdf, paragraph);
      else
        write_table (pdf, tsr_export_document_get_table (doc, b));
      if (g_cancellable_is_cancelled (pdf->cancellable))
        return;
    }
  finish_page (pdf);
}

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GError        *error;
} Sink;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
_tsr_export_write_pdf (TsrExportDocument  *doc,
                       GOutputStream      *stream,
                       GCancellable       *cancellable,
                       GError            **error)
{
  Sink sink = { stream, cancellable, NULL };
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (_tsr_export_timestamp ());
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  cairo_font_options_t *options;
  cairo_status_t status;
  Pdf pdf = { 0 };

  pdf.layout = _tsr_export_document_get_layout (doc);
  pdf.cancellable = cancellable;
  pdf.cache = g_ptr_array_new_with_free_func (block_free);
  pdf.surface = cairo_pdf_surface_create_for_stream (write_cb, &sink, pdf.layout->page_width,
                                                     pdf.layout->page_height);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATOR, _tsr_export_generator ());
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_MOD_DATE, date);
  if (*tsr_export_document_get_title (doc) != '\0')
    cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_TITLE,
                                    tsr_export_document_get_title (doc));
  pdf.cr = cairo_create (pdf.surface);

  /* Outline metrics, unhinted: the same layout at any zoom. */
  pdf.context = pango_cairo_create_context (pdf.cr);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pdf.context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (pdf.context, 72);

  /* Count the pages, then draw them. */
  pdf.draw = FALSE;
  write_pages (&pdf, doc);
  pdf.n_pages = pdf.page;
  pdf.draw = TRUE;
  pdf.cache_pos = 0;
  if (!g_cancellable_is_cancelled (cancellable))
    write_pages (&pdf, doc);

  g_ptr_array_unref (pdf.cache);
  g_object_unref (pdf.context);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (pdf.surface);
  status = cairo_surface_status (pdf.surface);
  cairo_surface_destroy (pdf.surface);

  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, _("Could not draw the PDF: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
