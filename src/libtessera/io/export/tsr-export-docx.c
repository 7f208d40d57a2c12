/* tsr-export-docx.c — Word documents (Office Open XML, transitional)
 *
 * The package holds the document, its styles, a footer with page numbers,
 * settings that keep Word out of compatibility mode, and the core and
 * application properties.  Tables are real tables: a header row that
 * Word and LibreOffice repeat on every page (w:tblHeader), rows that
 * never split across pages (w:cantSplit), columns as wide as their
 * longest header word and widest number need, and a caption with a SEQ
 * Table field kept with the table.  In APA style the number and the
 * title are two lines and the only rules are above and below the header
 * and under the last row; the classic look has a shaded header and rules
 * between rows.  Right-to-left runs are marked (w:rtl), which Word needs
 * to lay them out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

#define NS_W   "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL "http://schemas.openxmlformats.org/package/2006/relationships"

/* The page, in twentieths of a point: A4 or Letter, with 2.54 cm (one
 * inch) margins as APA asks, 2 cm in the classic look. */
#define PAGE_WIDTH   ((int) (layout->page_width * 20 + 0.5))
#define PAGE_HEIGHT  ((int) (layout->page_height * 20 + 0.5))
#define MARGIN       (layout->apa ? 1440 : 1134)
#define TEXT_WIDTH   (PAGE_WIDTH - 2 * MARGIN)
#define INDENT_STEP  283        /* 0.5 cm per level of a table row */
#define CELL_MARGIN  (layout->apa ? 45 : 85)   /* left and right of a cell's text */

#define FONT "Calibri"
/* What the column widths are measured in: Carlito has Calibri's metrics. */
#define MEASURE_FAMILIES "Carlito, Calibri, Liberation Sans, DejaVu Sans, Sans"
#define TABLE_SIZE 9.5

/* XML helpers --------------------------------------------------------- */

/* <name w:val="value"/> */
static void
val (xmlTextWriterPtr  w,
     const char       *name,
     const char       *value)
{
  _tsr_xml_start (w, name);
  _tsr_xml_attr (w, "w:val", value);
  _tsr_xml_end (w);
}

static void
val_int (xmlTextWriterPtr  w,
         const char       *name,
         int               value)
{
  _tsr_xml_start (w, name);
  _tsr_xml_attr_int (w, "w:val", value);
  _tsr_xml_end (w);
}

/* <name w:w="twips" w:type="dxa"/>: a width or a cell margin */
static void
twips (xmlTextWriterPtr  w,
       const char       *name,
       int               value)
{
  _tsr_xml_start (w, name);
  _tsr_xml_attr_int (w, "w:w", value);
  _tsr_xml_attr (w, "w:type", "dxa");
  _tsr_xml_end (w);
}

static void
border (xmlTextWriterPtr  w,
        const char       *side,
        int               eighths,
        const char       *color)
{
  _tsr_xml_start (w, side);
  if (eighths == 0)
    _tsr_xml_attr (w, "w:val", "nil");
  else
    {
      _tsr_xml_attr (w, "w:val", "single");
      _tsr_xml_attr_int (w, "w:sz", eighths);
      _tsr_xml_attr (w, "w:space", "0");
      _tsr_xml_attr (w, "w:color", color);
    }
  _tsr_xml_end (w);
}

/* Text runs ----------------------------------------------------------- */

/* Writes @text (no line breaks or tabs inside) as w:t. */
static void
write_t (xmlTextWriterPtr  w,
         const char       *text,
         gsize             len)
{
  g_autofree char *piece = g_strndup (text, len);

  if (len == 0)
    return;
  _tsr_xml_start (w, "w:t");
  _tsr_xml_attr (w, "xml:space", "preserve");
  xmlTextWriterWriteString (w, BAD_CAST piece);
  _tsr_xml_end (w);
}

/* Inside this file a style may carry a font size in half-points above
 * its flags, for the cells of a table set smaller than the style's. */
#define WITH_SIZE(style, half_points) ((TsrTextStyle) ((style) | ((half_points) << 8)))
#define SIZE_OF(style) ((int) ((guint) (style) >> 8))

/* One w:r of a single direction; line breaks and tabs become w:br and
 * w:tab inside it. */
static void
write_run (xmlTextWriterPtr  w,
           const char       *text,
           gsize             len,
           TsrTextStyle      style,
           gboolean          rtl)
{
  const char *p = text;
  const char *stop = text + len;

  _tsr_xml_start (w, "w:r");
  if ((style & TSR_TEXT_STYLE_MASK) != TSR_TEXT_PLAIN || rtl || SIZE_OF (style) > 0)
    {
      _tsr_xml_start (w, "w:rPr");
      if (style & TSR_TEXT_BOLD)
        {
          _tsr_xml_empty (w, "w:b");
          _tsr_xml_empty (w, "w:bCs");
        }
      if (style & TSR_TEXT_ITALIC)
        {
          _tsr_xml_empty (w, "w:i");
          _tsr_xml_empty (w, "w:iCs");
        }
      if (SIZE_OF (style) > 0)
        {
          val_int (w, "w:sz", SIZE_OF (style));
          val_int (w, "w:szCs", SIZE_OF (style));
        }
      if (style & TSR_TEXT_SUPERSCRIPT)
        val (w, "w:vertAlign", "superscript");
      if (rtl)
        _tsr_xml_empty (w, "w:rtl");
      _tsr_xml_end (w);
    }

  while (p < stop)
    {
      const char *q = p;

      while (q < stop && *q != '\n' && *q != '\t')
        q++;
      write_t (w, p, q - p);
      if (q < stop)
        _tsr_xml_empty (w, *q == '\n' ? "w:br" : "w:tab");
      p = q < stop ? q + 1 : q;
    }
  _tsr_xml_end (w);
}

/* Splits @text into runs of one direction: characters of right-to-left
 * scripts go in runs marked w:rtl; neutral characters (spaces, digits,
 * punctuation) stay with the run they are in. */
static void
write_text (xmlTextWriterPtr  w,
            const char       *text,
            TsrTextStyle      style)
{
  const char *run_start = text;
  int run_dir = -1;            /* -1 neutral so far, 0 LTR, 1 RTL */

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int dir;

      if (_tsr_export_char_is_rtl (c))
        dir = 1;
      else if (g_unichar_isalpha (c))
        dir = 0;
      else
        continue;

      if (run_dir == -1)
        run_dir = dir;
      else if (dir != run_dir)
        {
          write_run (w, run_start, p - run_start, style, run_dir == 1);
          run_start = p;
          run_dir = dir;
        }
    }
  if (*run_start != '\0')
    write_run (w, run_start, strlen (run_start), style, run_dir == 1);
}

static const char *
paragraph_style_id (TsrParagraphStyle style,
                    gboolean          in_table)
{
  switch (style)
    {
    case TSR_PARAGRAPH_TITLE: return "Title";
    case TSR_PARAGRAPH_HEADING_1: return "Heading1";
    case TSR_PARAGRAPH_HEADING_2: return "Heading2";
    case TSR_PARAGRAPH_HEADING_3: return "Heading3";
    case TSR_PARAGRAPH_NOTE: return "TableNote";
    case TSR_PARAGRAPH_QUOTE: return "Quote";
    case TSR_PARAGRAPH_BODY:
    default:
      return in_table ? "TableText" : "BodyText";
    }
}

/* Writes a paragraph.  @extra_style is added to every run (a bold table
 * row); @indent is a left indent in twips; @align a table column's. */
static void
write_paragraph (xmlTextWriterPtr    w,
                 TsrExportParagraph *paragraph,
                 const char         *style_id,
                 TsrTextStyle        extra_style,
                 int                 indent,
                 TsrAlign            align,
                 gboolean            keep_next)
{
  gboolean rtl = _tsr_export_paragraph_is_rtl (paragraph);

  _tsr_xml_start (w, "w:p");
  _tsr_xml_start (w, "w:pPr");
  val (w, "w:pStyle", style_id);
  if (keep_next || paragraph->keep_next)
    _tsr_xml_empty (w, "w:keepNext");
  if (rtl)
    _tsr_xml_empty (w, "w:bidi");
  if (indent > 0)
    {
      _tsr_xml_start (w, "w:ind");
      _tsr_xml_attr_int (w, "w:left", indent);
      _tsr_xml_end (w);
    }
  if (align == TSR_ALIGN_CENTER)
    val (w, "w:jc", "center");
  else if (align == TSR_ALIGN_END)
    val (w, "w:jc", rtl ? "left" : "right");
  _tsr_xml_end (w);

  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);

      write_text (w, text, style | extra_style);
    }
  _tsr_xml_end (w);
}

/* The document -------------------------------------------------------- */

static void
write_caption (xmlTextWriterPtr       w,
               const TsrExportLayout *layout,
               TsrExportTable        *table)
{
  g_autofree char *label = _tsr_export_table_label (table->number);
  g_autofree char *number = g_strdup_printf ("%u", table->number);
  g_autofree char *before = NULL;
  const char *digits = strstr (label, number);

  _tsr_xml_start (w, "w:p");
  _tsr_xml_start (w, "w:pPr");
  val (w, "w:pStyle", "Caption");
  _tsr_xml_empty (w, "w:keepNext");
  _tsr_xml_end (w);

  /* "Table 1" with the number as a SEQ field: Word's own captions, so
   * its list of tables and cross-references find this one. */
  if (digits != NULL)
    {
      before = g_strndup (label, digits - label);
      write_text (w, before, TSR_TEXT_BOLD);
      _tsr_xml_start (w, "w:fldSimple");
      _tsr_xml_attr (w, "w:instr", " SEQ Table \\* ARABIC ");
      write_text (w, number, TSR_TEXT_BOLD);
      _tsr_xml_end (w);
      write_text (w, digits + strlen (number), TSR_TEXT_BOLD);
    }
  else
    write_text (w, label, TSR_TEXT_BOLD);

  if (layout->apa)
    {
      /* APA: the title in italic on the line below the number. */
      _tsr_xml_end (w);
      if (*table->caption == '\0')
        return;
      _tsr_xml_start (w, "w:p");
      _tsr_xml_start (w, "w:pPr");
      val (w, "w:pStyle", "TableTitle");
      _tsr_xml_empty (w, "w:keepNext");
      _tsr_xml_end (w);
      write_text (w, table->caption, TSR_TEXT_ITALIC);
      _tsr_xml_end (w);
      return;
    }

  write_text (w, ".", TSR_TEXT_BOLD);
  if (*table->caption != '\0')
    {
      write_text (w, " ", TSR_TEXT_PLAIN);
      write_text (w, table->caption, TSR_TEXT_PLAIN);
    }
  _tsr_xml_end (w);
}

static void
write_cell (xmlTextWriterPtr       w,
            const TsrExportLayout *layout,
            TsrExportTable        *table,
            TsrExportRow          *row,
            guint                  column,
            int                    width,
            gboolean               header,
            gboolean               keep,
            int                    half_points)
{
  _tsr_xml_start (w, "w:tc");
  _tsr_xml_start (w, "w:tcPr");
  twips (w, "w:tcW", width);
  if (header)
    {
      _tsr_xml_start (w, "w:tcBorders");
      border (w, "w:bottom", layout->apa ? 4 : 8, "000000");
      _tsr_xml_end (w);
      if (!layout->apa)
        {
          _tsr_xml_start (w, "w:shd");
          _tsr_xml_attr (w, "w:val", "clear");
          _tsr_xml_attr (w, "w:color", "auto");
          _tsr_xml_attr (w, "w:fill", "E8EAEE");
          _tsr_xml_end (w);
        }
      val (w, "w:vAlign", "bottom");
    }
  _tsr_xml_end (w);

  if (header)
    write_paragraph (w, table->columns[column].heading, "TableHeading",
                     WITH_SIZE (layout->apa ? TSR_TEXT_PLAIN : TSR_TEXT_BOLD, half_points), 0,
                     table->columns[column].align, FALSE);
  else if (row->cells[column] == NULL || row->cells[column]->len == 0)
    {
      /* Every cell needs a paragraph. */
      _tsr_xml_start (w, "w:p");
      _tsr_xml_start (w, "w:pPr");
      val (w, "w:pStyle", "TableText");
      _tsr_xml_end (w);
      _tsr_xml_end (w);
    }
  else
    for (guint i = 0; i < row->cells[column]->len; i++)
      write_paragraph (w, g_ptr_array_index (row->cells[column], i), "TableText",
                       WITH_SIZE (column == 0 ? row->style : TSR_TEXT_PLAIN, half_points),
                       column == 0 ? (int) row->indent * INDENT_STEP : 0,
                       table->columns[column].align, keep);
  _tsr_xml_end (w);
}

static void
write_table (xmlTextWriterPtr       w,
             const TsrExportLayout *layout,
             TsrExportTable        *table)
{
  g_autofree int *widths = g_new0 (int, table->n_columns);
  g_autofree double *points = g_new0 (double, table->n_columns);
  int used = 0;
  double size = _tsr_export_table_widths (table, TEXT_WIDTH / 20.0, MEASURE_FAMILIES, TABLE_SIZE, 8.0,
                                          !layout->apa, CELL_MARGIN / 20.0, points);
  int half_points = size < TABLE_SIZE - 0.01 ? (int) (size * 2 + 0.5) : 0;
  for (guint c = 0; c < table->n_columns; c++)
    {
      widths[c] = c + 1 < table->n_columns ? (int) (points[c] * 20) : TEXT_WIDTH - used;
      used += widths[c];
    }

  write_caption (w, layout, table);

  _tsr_xml_start (w, "w:tbl");
  _tsr_xml_start (w, "w:tblPr");
  val (w, "w:tblStyle", "TesseraTable");
  twips (w, "w:tblW", TEXT_WIDTH);
  val (w, "w:tblLayout", "fixed");
  _tsr_xml_start (w, "w:tblBorders");
  border (w, "w:top", layout->apa ? 8 : 12, "000000");
  border (w, "w:left", 0, NULL);
  border (w, "w:bottom", layout->apa ? 8 : 12, "000000");
  border (w, "w:right", 0, NULL);
  border (w, "w:insideH", layout->apa ? 0 : 4, "BFC3CA");
  border (w, "w:insideV", 0, NULL);
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:tblCellMar");
  twips (w, "w:top", 57);
  twips (w, "w:left", CELL_MARGIN);
  twips (w, "w:bottom", 57);
  twips (w, "w:right", CELL_MARGIN);
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:tblLook");
  _tsr_xml_attr (w, "w:val", "0420");
  _tsr_xml_attr (w, "w:firstRow", "1");
  _tsr_xml_attr (w, "w:lastRow", "0");
  _tsr_xml_attr (w, "w:firstColumn", "0");
  _tsr_xml_attr (w, "w:lastColumn", "0");
  _tsr_xml_attr (w, "w:noHBand", "1");
  _tsr_xml_attr (w, "w:noVBand", "1");
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_start (w, "w:tblGrid");
  for (guint c = 0; c < table->n_columns; c++)
    {
      _tsr_xml_start (w, "w:gridCol");
      _tsr_xml_attr_int (w, "w:w", widths[c]);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);

  /* The header row, repeated at the top of every page. */
  _tsr_xml_start (w, "w:tr");
  _tsr_xml_start (w, "w:trPr");
  _tsr_xml_empty (w, "w:cantSplit");
  _tsr_xml_empty (w, "w:tblHeader");
  _tsr_xml_end (w);
  for (guint c = 0; c < table->n_columns; c++)
    write_cell (w, layout, table, NULL, c, widths[c], TRUE, FALSE, half_points);
  _tsr_xml_end (w);

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      /* A row stays on one page. */
      _tsr_xml_start (w, "w:tr");
      _tsr_xml_start (w, "w:trPr");
      _tsr_xml_empty (w, "w:cantSplit");
      _tsr_xml_end (w);
      /* The last row keeps with the notes below it. */
      for (guint c = 0; c < table->n_columns; c++)
        write_cell (w, layout, table, row, c, widths[c], FALSE,
                    r + 1 == table->rows->len && table->notes->len > 0, half_points);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);

  /* The notes stay together. */
  for (guint i = 0; i < table->notes->len; i++)
    write_paragraph (w, g_ptr_array_index (table->notes, i), "TableNote", TSR_TEXT_PLAIN, 0,
                     TSR_ALIGN_START, i + 1 < table->notes->len);
  if (table->notes->len == 0)
    {
      /* Word merges two tables that touch; a spacing paragraph keeps
       * them apart. */
      _tsr_xml_start (w, "w:p");
      _tsr_xml_start (w, "w:pPr");
      val (w, "w:pStyle", "TableNote");
      _tsr_xml_end (w);
      _tsr_xml_end (w);
    }
}

static GBytes *
document_xml (TsrExportDocument  *doc,
              GCancellable       *cancellable,
              GError            **error)
{
  const TsrExportLayout *layout = _tsr_export_document_get_layout (doc);
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);
  guint n = tsr_export_document_get_n_blocks (doc);

  _tsr_xml_start (w, "w:document");
  _tsr_xml_attr (w, "xmlns:w", NS_W);
  _tsr_xml_attr (w, "xmlns:r", NS_R);
  _tsr_xml_start (w, "w:body");

  for (guint i = 0; i < n; i++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, i);
      TsrExportTable *table = tsr_export_document_get_table (doc, i);

      if (paragraph != NULL)
        write_paragraph (w, paragraph, paragraph_style_id (paragraph->style, FALSE),
                         TSR_TEXT_PLAIN, 0, TSR_ALIGN_START, FALSE);
      else
        write_table (w, layout, table);

      if ((i & 63) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return _tsr_xml_abandon (w, buffer);
    }

  _tsr_xml_start (w, "w:sectPr");
  _tsr_xml_start (w, "w:footerReference");
  _tsr_xml_attr (w, "w:type", "default");
  _tsr_xml_attr (w, "r:id", "rIdFooter");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:pgSz");
  _tsr_xml_attr_int (w, "w:w", PAGE_WIDTH);
  _tsr_xml_attr_int (w, "w:h", PAGE_HEIGHT);
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:pgMar");
  _tsr_xml_attr_int (w, "w:top", MARGIN);
  _tsr_xml_attr_int (w, "w:right", MARGIN);
  _tsr_xml_attr_int (w, "w:bottom", MARGIN);
  _tsr_xml_attr_int (w, "w:left", MARGIN);
  _tsr_xml_attr_int (w, "w:header", 567);
  _tsr_xml_attr_int (w, "w:footer", 567);
  _tsr_xml_attr_int (w, "w:gutter", 0);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "word/document.xml", error);
}

/* Styles --------------------------------------------------------------- */

typedef struct
{
  const char *id;
  const char *name;
  const char *based_on;
  const char *next;
  int         size;             /* half-points, 0 to inherit */
  gboolean    bold;
  gboolean    italic;
  const char *color;
  int         before;           /* twips */
  int         after;
  int         line;             /* 240ths of a line, 0 to inherit */
  int         indent;           /* left and right, twips */
  gboolean    keep_next;
  int         outline;          /* 0 for none, else level + 1 */
} ParagraphStyle;

static const ParagraphStyle paragraph_styles[] = {
  { "Normal", "Normal", NULL, NULL, 0, FALSE, FALSE, NULL, 0, 120, 264, 0, FALSE, 0 },
  { "BodyText", "Body Text", "Normal", NULL, 0, FALSE, FALSE, NULL, 0, 160, 276, 0, FALSE, 0 },
  { "Title", "Title", "Normal", "BodyText", 40, TRUE, FALSE, "1F2430", 0, 240, 240, 0, TRUE, 0 },
  { "Heading1", "heading 1", "Normal", "BodyText", 30, TRUE, FALSE, "1F2430", 360, 120, 240, 0, TRUE, 1 },
  { "Heading2", "heading 2", "Normal", "BodyText", 26, TRUE, FALSE, "1F2430", 280, 100, 240, 0, TRUE, 2 },
  { "Heading3", "heading 3", "Normal", "BodyText", 23, TRUE, TRUE, "1F2430", 220, 80, 240, 0, TRUE, 3 },
  { "Caption", "caption", "Normal", NULL, 21, FALSE, FALSE, NULL, 240, 100, 240, 0, TRUE, 0 },
  { "TableText", "Table Text", "Normal", NULL, 19, FALSE, FALSE, NULL, 20, 40, 240, 0, FALSE, 0 },
  { "TableHeading", "Table Heading", "TableText", NULL, 19, TRUE, FALSE, NULL, 20, 40, 240, 0, TRUE, 0 },
  { "TableNote", "Table Note", "Normal", "BodyText", 18, FALSE, FALSE, "3A3F4A", 100, 240, 240, 0, FALSE, 0 },
  { "Quote", "Quote", "Normal", "BodyText", 21, FALSE, TRUE, "3A3F4A", 60, 120, 264, 567, FALSE, 0 },
  { "TableTitle", "Table Title", "Caption", NULL, 21, FALSE, TRUE, NULL, 0, 100, 240, 0, TRUE, 0 },
};

static void
write_run_properties (xmlTextWriterPtr  w,
                      int               size,
                      gboolean          bold,
                      gboolean          italic,
                      const char       *color)
{
  _tsr_xml_start (w, "w:rPr");
  if (bold)
    {
      _tsr_xml_empty (w, "w:b");
      _tsr_xml_empty (w, "w:bCs");
    }
  if (italic)
    {
      _tsr_xml_empty (w, "w:i");
      _tsr_xml_empty (w, "w:iCs");
    }
  if (color != NULL)
    val (w, "w:color", color);
  if (size > 0)
    {
      val_int (w, "w:sz", size);
      val_int (w, "w:szCs", size);
    }
  _tsr_xml_end (w);
}

static GBytes *
styles_xml (const TsrExportLayout  *layout,
            GError                **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);
  g_autofree char *lang = _tsr_export_language_tag ();

  _tsr_xml_start (w, "w:styles");
  _tsr_xml_attr (w, "xmlns:w", NS_W);

  _tsr_xml_start (w, "w:docDefaults");
  _tsr_xml_start (w, "w:rPrDefault");
  _tsr_xml_start (w, "w:rPr");
  _tsr_xml_start (w, "w:rFonts");
  _tsr_xml_attr (w, "w:ascii", FONT);
  _tsr_xml_attr (w, "w:hAnsi", FONT);
  _tsr_xml_attr (w, "w:eastAsia", FONT);
  _tsr_xml_attr (w, "w:cs", FONT);
  _tsr_xml_end (w);
  val_int (w, "w:sz", 22);
  val_int (w, "w:szCs", 22);
  _tsr_xml_start (w, "w:lang");
  _tsr_xml_attr (w, "w:val", lang);
  _tsr_xml_attr (w, "w:bidi", "ar-SA");
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:pPrDefault");
  _tsr_xml_start (w, "w:pPr");
  /* No line of a paragraph alone at the top or foot of a page. */
  _tsr_xml_empty (w, "w:widowControl");
  _tsr_xml_start (w, "w:spacing");
  _tsr_xml_attr_int (w, "w:after", 120);
  _tsr_xml_attr_int (w, "w:line", 264);
  _tsr_xml_attr (w, "w:lineRule", "auto");
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  for (guint i = 0; i < G_N_ELEMENTS (paragraph_styles); i++)
    {
      ParagraphStyle apa = paragraph_styles[i];
      const ParagraphStyle *s = &paragraph_styles[i];

      /* APA: black text; column headings not bold; the caption's
       * number sits right above its title. */
      if (layout->apa)
        {
          apa.color = NULL;
          if (g_str_equal (apa.id, "TableHeading"))
            apa.bold = FALSE;
          if (g_str_equal (apa.id, "Caption"))
            apa.after = 0;
          s = &apa;
        }

      _tsr_xml_start (w, "w:style");
      _tsr_xml_attr (w, "w:type", "paragraph");
      if (i == 0)
        _tsr_xml_attr (w, "w:default", "1");
      _tsr_xml_attr (w, "w:styleId", s->id);
      val (w, "w:name", s->name);
      if (s->based_on != NULL)
        val (w, "w:basedOn", s->based_on);
      if (s->next != NULL)
        val (w, "w:next", s->next);
      _tsr_xml_empty (w, "w:qFormat");

      _tsr_xml_start (w, "w:pPr");
      if (s->keep_next)
        _tsr_xml_empty (w, "w:keepNext");
      _tsr_xml_start (w, "w:spacing");
      _tsr_xml_attr_int (w, "w:before", s->before);
      _tsr_xml_attr_int (w, "w:after", s->after);
      if (s->line > 0)
        {
          _tsr_xml_attr_int (w, "w:line", s->line);
          _tsr_xml_attr (w, "w:lineRule", "auto");
        }
      _tsr_xml_end (w);
      if (s->indent > 0)
        {
          _tsr_xml_start (w, "w:ind");
          _tsr_xml_attr_int (w, "w:left", s->indent);
          _tsr_xml_attr_int (w, "w:right", s->indent);
          _tsr_xml_end (w);
        }
      if (s->outline > 0)
        val_int (w, "w:outlineLvl", s->outline - 1);
      _tsr_xml_end (w);

      write_run_properties (w, s->size, s->bold, s->italic, s->color);
      _tsr_xml_end (w);
    }

  /* The table style: cell margins; the rules are set on each table so
   * that LibreOffice, which reads table styles only in part, draws them
   * as Word does. */
  _tsr_xml_start (w, "w:style");
  _tsr_xml_attr (w, "w:type", "table");
  _tsr_xml_attr (w, "w:styleId", "TesseraTable");
  val (w, "w:name", "Tessera Table");
  _tsr_xml_start (w, "w:tblPr");
  _tsr_xml_start (w, "w:tblCellMar");
  twips (w, "w:left", 85);
  twips (w, "w:right", 85);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_start (w, "w:style");
  _tsr_xml_attr (w, "w:type", "paragraph");
  _tsr_xml_attr (w, "w:styleId", "Footer");
  val (w, "w:name", "footer");
  val (w, "w:basedOn", "Normal");
  _tsr_xml_start (w, "w:pPr");
  val (w, "w:jc", "center");
  _tsr_xml_start (w, "w:spacing");
  _tsr_xml_attr_int (w, "w:after", 0);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  write_run_properties (w, 18, FALSE, FALSE, layout->apa ? NULL : "5E6470");
  _tsr_xml_end (w);

  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "word/styles.xml", error);
}

/* The other parts ------------------------------------------------------ */

static GBytes *
footer_xml (GError **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "w:ftr");
  _tsr_xml_attr (w, "xmlns:w", NS_W);
  _tsr_xml_start (w, "w:p");
  _tsr_xml_start (w, "w:pPr");
  val (w, "w:pStyle", "Footer");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "w:fldSimple");
  _tsr_xml_attr (w, "w:instr", " PAGE ");
  write_text (w, "1", TSR_TEXT_PLAIN);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "word/footer1.xml", error);
}

static GBytes *
settings_xml (GError **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "w:settings");
  _tsr_xml_attr (w, "xmlns:w", NS_W);
  val_int (w, "w:defaultTabStop", 720);
  val (w, "w:characterSpacingControl", "doNotCompress");
  _tsr_xml_start (w, "w:compat");
  _tsr_xml_start (w, "w:compatSetting");
  _tsr_xml_attr (w, "w:name", "compatibilityMode");
  _tsr_xml_attr (w, "w:uri", "http://schemas.microsoft.com/office/word");
  _tsr_xml_attr (w, "w:val", "15");
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "word/settings.xml", error);
}

static GBytes *
content_types_xml (GError **error)
{
  static const struct { const char *part; const char *type; } overrides[] = {
    { "/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" },
    { "/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml" },
    { "/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml" },
    { "/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" },
    { "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml" },
    { "/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml" },
  };
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "Types");
  _tsr_xml_attr (w, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
  _tsr_xml_start (w, "Default");
  _tsr_xml_attr (w, "Extension", "rels");
  _tsr_xml_attr (w, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "Default");
  _tsr_xml_attr (w, "Extension", "xml");
  _tsr_xml_attr (w, "ContentType", "application/xml");
  _tsr_xml_end (w);
  for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
    {
      _tsr_xml_start (w, "Override");
      _tsr_xml_attr (w, "PartName", overrides[i].part);
      _tsr_xml_attr (w, "ContentType", overrides[i].type);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "[Content_Types].xml", error);
}

typedef struct
{
  const char *id;
  const char *type;
  const char *target;
} Relationship;

static GBytes *
relationships_xml (const Relationship *rels,
                   guint               n_rels,
                   const char         *part,
                   GError            **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "Relationships");
  _tsr_xml_attr (w, "xmlns", NS_REL);
  for (guint i = 0; i < n_rels; i++)
    {
      _tsr_xml_start (w, "Relationship");
      _tsr_xml_attr (w, "Id", rels[i].id);
      _tsr_xml_attr (w, "Type", rels[i].type);
      _tsr_xml_attr (w, "Target", rels[i].target);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, part, error);
}

static GBytes *
core_xml (TsrExportDocument  *doc,
          GError            **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (_tsr_export_timestamp ());
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  _tsr_xml_start (w, "cp:coreProperties");
  _tsr_xml_attr (w, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
  _tsr_xml_attr (w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  _tsr_xml_attr (w, "xmlns:dcterms", "http://purl.org/dc/terms/");
  _tsr_xml_attr (w, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  if (*tsr_export_document_get_title (doc) != '\0')
    xmlTextWriterWriteElement (w, BAD_CAST "dc:title", BAD_CAST tsr_export_document_get_title (doc));
  _tsr_xml_start (w, "dcterms:created");
  _tsr_xml_attr (w, "xsi:type", "dcterms:W3CDTF");
  xmlTextWriterWriteString (w, BAD_CAST date);
  _tsr_xml_end (w);
  _tsr_xml_start (w, "dcterms:modified");
  _tsr_xml_attr (w, "xsi:type", "dcterms:W3CDTF");
  xmlTextWriterWriteString (w, BAD_CAST date);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "docProps/core.xml", error);
}

static GBytes *
app_xml (GError **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "Properties");
  _tsr_xml_attr (w, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
  xmlTextWriterWriteElement (w, BAD_CAST "Application", BAD_CAST _tsr_export_generator ());
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "docProps/app.xml", error);
}

gboolean
_tsr_export_write_docx (TsrExportDocument  *doc,
                        GOutputStream      *stream,
                        GCancellable       *cancellable,
                        GError            **error)
{
  static const Relationship package_rels[] = {
    { "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
      "word/document.xml" },
    { "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
      "docProps/core.xml" },
    { "rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
      "docProps/app.xml" },
  };
  static const Relationship document_rels[] = {
    { "rIdStyles", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
      "styles.xml" },
    { "rIdSettings", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings",
      "settings.xml" },
    { "rIdFooter", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
      "footer1.xml" },
  };
  g_autoptr(TsrZip) zip = NULL;
  g_autoptr(GBytes) document = NULL;
  struct { const char *name; GBytes *bytes; } parts[8] = { { NULL, NULL } };
  gboolean ok = TRUE;
  guint n_parts = 0;

  if (!(document = document_xml (doc, cancellable, error)))
    return FALSE;

#define PART(n, expr) G_STMT_START {                           \
    parts[n_parts].name = (n);                                 \
    if (ok && (parts[n_parts].bytes = (expr)) == NULL)         \
      ok = FALSE;                                              \
    n_parts++;                                                 \
  } G_STMT_END

  PART ("[Content_Types].xml", content_types_xml (error));
  PART ("_rels/.rels", relationships_xml (package_rels, G_N_ELEMENTS (package_rels), "_rels/.rels", error));
  PART ("word/document.xml", g_bytes_ref (document));
  PART ("word/_rels/document.xml.rels",
        relationships_xml (document_rels, G_N_ELEMENTS (document_rels), "word/_rels/document.xml.rels", error));
  PART ("word/styles.xml", styles_xml (_tsr_export_document_get_layout (doc), error));
  PART ("word/settings.xml", settings_xml (error));
  PART ("word/footer1.xml", footer_xml (error));
  PART ("docProps/core.xml", core_xml (doc, error));
#undef PART
  G_STATIC_ASSERT (G_N_ELEMENTS (parts) == 8);

  if (ok)
    ok = (zip = _tsr_zip_new (stream, cancellable, error)) != NULL;
  for (guint i = 0; ok && i < n_parts; i++)
    ok = _tsr_zip_add (zip, parts[i].name, parts[i].bytes, FALSE, error);
  if (ok)
    {
      g_autoptr(GBytes) app = app_xml (error);

      ok = app != NULL && _tsr_zip_add (zip, "docProps/app.xml", app, FALSE, error);
    }
  if (ok)
    ok = _tsr_zip_finish (zip, error);

  for (guint i = 0; i < n_parts; i++)
    g_clear_pointer (&parts[i].bytes, g_bytes_unref);
  return ok;
}
