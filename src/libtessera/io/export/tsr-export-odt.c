/* tsr-export-odt.c — OpenDocument text
 *
 * A package as LibreOffice writes one: "mimetype" first and stored, then
 * content, styles, meta and the manifest.  Tables have their header row
 * in table:table-header-rows, so it repeats on every page, rows kept
 * together on a page, columns as wide as their longest header word and
 * widest number need, and a caption in the "Table" caption style whose
 * number is a text:sequence field.  In APA style the number and the
 * title are two lines and the only rules are above and below the header
 * and under the last row; the classic look has a shaded header and rules
 * between rows.
 *
 * ODF collapses white space, so runs of spaces, tabs and line breaks are
 * written as text:s, text:tab and text:line-break.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE  "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT   "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE  "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO     "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_SVG    "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
#define NS_META   "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC     "http://purl.org/dc/elements/1.1/"

#define MIME_TYPE "application/vnd.oasis.opendocument.text"
#define ODF_VERSION "1.3"

/* The page: A4 or Letter, with 2.54 cm (one inch) margins as APA asks,
 * 2 cm in the classic look. */
#define PT_PER_CM     (72.0 / 2.54)
#define MARGIN_CM(l)  ((l)->apa ? 2.54 : 2.0)
#define TEXT_WIDTH_CM(l) ((l)->page_width / PT_PER_CM - 2 * MARGIN_CM (l))
#define INDENT_CM     0.5
#define CELL_PAD_CM(l) ((l)->apa ? 0.08 : 0.15)

#define FONT "Calibri"
/* What the column widths are measured in: Carlito has Calibri's metrics. */
#define MEASURE_FAMILIES "Carlito, Calibri, Liberation Sans, DejaVu Sans, Sans"
#define TABLE_SIZE 9.5

/* XML helpers --------------------------------------------------------- */

static void
attr_cm (xmlTextWriterPtr  w,
         const char       *name,
         double            cm)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", cm);
  xmlTextWriterWriteFormatAttribute (w, BAD_CAST name, "%scm", buffer);
}

static void
namespaces (xmlTextWriterPtr w)
{
  _tsr_xml_attr (w, "xmlns:office", NS_OFFICE);
  _tsr_xml_attr (w, "xmlns:style", NS_STYLE);
  _tsr_xml_attr (w, "xmlns:text", NS_TEXT);
  _tsr_xml_attr (w, "xmlns:table", NS_TABLE);
  _tsr_xml_attr (w, "xmlns:fo", NS_FO);
  _tsr_xml_attr (w, "xmlns:svg", NS_SVG);
  _tsr_xml_attr (w, "office:version", ODF_VERSION);
}

/* Text ---------------------------------------------------------------- */

/* Writes @text with ODF's white space elements; @after_space says
 * whether what comes before ends in white space (or is the start of the
 * paragraph), where a space would be lost. */
static void
write_text_after (xmlTextWriterPtr  w,
                  const char       *text,
                  gboolean         *after_space_inout)
{
  GString *pending = g_string_new (NULL);
  gboolean after_space = *after_space_inout;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        {
          guint n = 0;

          while (p[n] == ' ')
            n++;
          /* One space stays a space unless it starts the paragraph or
           * follows a break; the rest become text:s. */
          if (!after_space)
            {
              g_string_append_c (pending, ' ');
              n--;
            }
          if (n > 0)
            {
              xmlTextWriterWriteString (w, BAD_CAST pending->str);
              g_string_truncate (pending, 0);
              _tsr_xml_start (w, "text:s");
              if (n > 1)
                xmlTextWriterWriteFormatAttribute (w, BAD_CAST "text:c", "%u", n);
              _tsr_xml_end (w);
            }
          p += (after_space ? n : n + 1) - 1;
          after_space = TRUE;
          continue;
        }

      if (*p == '\n' || *p == '\t')
        {
          xmlTextWriterWriteString (w, BAD_CAST pending->str);
          g_string_truncate (pending, 0);
          _tsr_xml_start (w, *p == '\n' ? "text:line-break" : "text:tab");
          _tsr_xml_end (w);
          after_space = TRUE;
          continue;
        }

      g_string_append_c (pending, *p);
      after_space = FALSE;
    }

  xmlTextWriterWriteString (w, BAD_CAST pending->str);
  g_string_free (pending, TRUE);
  *after_space_inout = after_space;
}

static void
write_text (xmlTextWriterPtr  w,
            const char       *text,
            gboolean          at_start)
{
  gboolean after_space = at_start;

  write_text_after (w, text, &after_space);
}

/* The automatic text styles, by their TsrTextStyle flags. */
static const char * const span_styles[] = {
  NULL, "TBold", "TItalic", "TBoldItalic", "TSup", "TBoldSup", "TItalicSup", "TBoldItalicSup",
};

static const char *
span_style (TsrTextStyle style)
{
  return span_styles[style & TSR_TEXT_STYLE_MASK];
}

static void
write_runs (xmlTextWriterPtr    w,
            TsrExportParagraph *paragraph,
            TsrTextStyle        extra_style)
{
  gboolean at_start = TRUE;

  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);
      const char *name = span_style (style | extra_style);

      if (name != NULL)
        {
          _tsr_xml_start (w, "text:span");
          _tsr_xml_attr (w, "text:style-name", name);
        }
      write_text_after (w, text, &at_start);
      if (name != NULL)
        _tsr_xml_end (w);
    }
}

/* The paragraph styles a document's paragraphs use; right-to-left
 * paragraphs use an automatic style "Rtl_<name>" that sets the writing
 * mode on the named one. */
static const char * const rtl_parents[] = {
  "Text_20_body", "Quotations", "Table_20_note", "Table_20_Contents",
};

static void
write_paragraph (xmlTextWriterPtr    w,
                 TsrExportParagraph *paragraph,
                 const char         *style_name,
                 TsrTextStyle        extra_style)
{
  g_autofree char *rtl_name = NULL;
  const char *element = "text:p";
  int level = 0;

  switch (paragraph->style)
    {
    case TSR_PARAGRAPH_HEADING_1: level = 1; break;
    case TSR_PARAGRAPH_HEADING_2: level = 2; break;
    case TSR_PARAGRAPH_HEADING_3: level = 3; break;
    default: break;
    }
  if (level > 0)
    element = "text:h";

  if (_tsr_export_paragraph_is_rtl (paragraph))
    {
      for (guint i = 0; i < G_N_ELEMENTS (rtl_parents); i++)
        if (g_str_equal (style_name, rtl_parents[i]))
          style_name = rtl_name = g_strconcat ("Rtl_", style_name, NULL);
    }
  else if (paragraph->keep_next)
    {
      for (guint i = 0; i < G_N_ELEMENTS (rtl_parents); i++)
        if (g_str_equal (style_name, rtl_parents[i]))
          style_name = rtl_name = g_strconcat ("Keep_", style_name, NULL);
    }

  _tsr_xml_start (w, element);
  _tsr_xml_attr (w, "text:style-name", style_name);
  if (level > 0)
    _tsr_xml_attr_int (w, "text:outline-level", level);
  write_runs (w, paragraph, extra_style);
  _tsr_xml_end (w);
}

static const char *
paragraph_style_name (TsrParagraphStyle style)
{
  switch (style)
    {
    case TSR_PARAGRAPH_TITLE: return "Title";
    case TSR_PARAGRAPH_HEADING_1: return "Heading_20_1";
    case TSR_PARAGRAPH_HEADING_2: return "Heading_20_2";
    case TSR_PARAGRAPH_HEADING_3: return "Heading_20_3";
    case TSR_PARAGRAPH_NOTE: return "Table_20_note";
    case TSR_PARAGRAPH_QUOTE: return "Quotations";
    case TSR_PARAGRAPH_BODY:
    default:
      return "Text_20_body";
    }
}

/* content.xml --------------------------------------------------------- */

static const char align_codes[] = { 's', 'c', 'e' };
static const char * const align_values[] = { "start", "center", "end" };

static void
cell_style (xmlTextWriterPtr  w,
            double            pad_cm,
            const char       *name,
            const char       *background,
            const char       *top,
            const char       *bottom,
            const char       *vertical)
{
  _tsr_xml_start (w, "style:style");
  _tsr_xml_attr (w, "style:name", name);
  _tsr_xml_attr (w, "style:family", "table-cell");
  _tsr_xml_start (w, "style:table-cell-properties");
  if (background != NULL)
    _tsr_xml_attr (w, "fo:background-color", background);
  _tsr_xml_attr (w, "fo:padding-top", "0.08cm");
  _tsr_xml_attr (w, "fo:padding-bottom", "0.08cm");
  attr_cm (w, "fo:padding-left", pad_cm);
  attr_cm (w, "fo:padding-right", pad_cm);
  _tsr_xml_attr (w, "fo:border-left", "none");
  _tsr_xml_attr (w, "fo:border-right", "none");
  _tsr_xml_attr (w, "fo:border-top", top);
  _tsr_xml_attr (w, "fo:border-bottom", bottom);
  _tsr_xml_attr (w, "style:vertical-align", vertical);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
}

static void
paragraph_auto_style (xmlTextWriterPtr  w,
                      const char       *name,
                      const char       *parent,
                      double            indent_cm,
                      const char       *align,
                      gboolean          rtl,
                      gboolean          keep,
                      double            size)
{
  _tsr_xml_start (w, "style:style");
  _tsr_xml_attr (w, "style:name", name);
  _tsr_xml_attr (w, "style:family", "paragraph");
  _tsr_xml_attr (w, "style:parent-style-name", parent);
  _tsr_xml_start (w, "style:paragraph-properties");
  if (keep)
    _tsr_xml_attr (w, "fo:keep-with-next", "always");
  if (indent_cm > 0)
    attr_cm (w, "fo:margin-left", indent_cm);
  if (align != NULL)
    _tsr_xml_attr (w, "fo:text-align", align);
  if (rtl)
    {
      /* LibreOffice reads fo:text-align's start and end as left and
       * right whatever the writing mode, and writes a right-to-left
       * paragraph that starts on the right as "end"; so does this. */
      if (align == NULL)
        _tsr_xml_attr (w, "fo:text-align", "end");
      _tsr_xml_attr (w, "style:writing-mode", "rl-tb");
    }
  _tsr_xml_end (w);
  if (size > 0)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buffer, sizeof buffer, "%.1f", size);
      _tsr_xml_start (w, "style:text-properties");
      xmlTextWriterWriteFormatAttribute (w, BAD_CAST "fo:font-size", "%spt", buffer);
      xmlTextWriterWriteFormatAttribute (w, BAD_CAST "style:font-size-complex", "%spt", buffer);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);
}

static void
text_auto_style (xmlTextWriterPtr  w,
                 const char       *name,
                 gboolean          bold,
                 gboolean          italic,
                 gboolean          superscript)
{
  _tsr_xml_start (w, "style:style");
  _tsr_xml_attr (w, "style:name", name);
  _tsr_xml_attr (w, "style:family", "text");
  _tsr_xml_start (w, "style:text-properties");
  if (superscript)
    _tsr_xml_attr (w, "style:text-position", "super 58%");
  if (bold)
    {
      _tsr_xml_attr (w, "fo:font-weight", "bold");
      _tsr_xml_attr (w, "style:font-weight-complex", "bold");
    }
  if (italic)
    {
      _tsr_xml_attr (w, "fo:font-style", "italic");
      _tsr_xml_attr (w, "style:font-style-complex", "italic");
    }
  _tsr_xml_end (w);
  _tsr_xml_end (w);
}

/* Each table's column widths and type size, worked out once for its
 * automatic styles and its cells. */
typedef struct
{
  double *widths;                 /* points */
  double  size;                   /* points; TABLE_SIZE unless too wide */
} TableFit;

static void
table_fit_clear (gpointer data)
{
  g_free (((TableFit *) data)->widths);
}

static GArray *
fit_tables (TsrExportDocument *doc)
{
  const TsrExportLayout *layout = _tsr_export_document_get_layout (doc);
  GArray *fits = g_array_new (FALSE, TRUE, sizeof (TableFit));

  g_array_set_clear_func (fits, table_fit_clear);
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportTable *table = tsr_export_document_get_table (doc, b);
      TableFit fit;

      if (table == NULL)
        continue;
      fit.widths = g_new0 (double, table->n_columns);
      fit.size = _tsr_export_table_widths (table, TEXT_WIDTH_CM (layout) * PT_PER_CM, MEASURE_FAMILIES,
                                           TABLE_SIZE, 8.0, !layout->apa,
                                           CELL_PAD_CM (layout) * PT_PER_CM, fit.widths);
      g_array_set_size (fits, MAX (fits->len, table->number));
      g_array_index (fits, TableFit, table->number - 1) = fit;
    }
  return fits;
}

static void
write_automatic_styles (xmlTextWriterPtr   w,
                        TsrExportDocument *doc,
                        GArray            *fits)
{
  const TsrExportLayout *layout = _tsr_export_document_get_layout (doc);
  const char *rule = layout->apa ? "1pt solid #000000" : "1.5pt solid #000000";

  _tsr_xml_start (w, "office:automatic-styles");

  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportTable *table = tsr_export_document_get_table (doc, b);
      g_autofree char *table_name = NULL;
      TableFit *fit;
      guint max_indent = 0;

      if (table == NULL)
        continue;
      fit = &g_array_index (fits, TableFit, table->number - 1);

      for (guint r = 0; r < table->rows->len; r++)
        max_indent = MAX (max_indent, g_array_index (table->rows, TsrExportRow, r).indent);

      table_name = g_strdup_printf ("Tbl%u", table->number);
      _tsr_xml_start (w, "style:style");
      _tsr_xml_attr (w, "style:name", table_name);
      _tsr_xml_attr (w, "style:family", "table");
      _tsr_xml_start (w, "style:table-properties");
      attr_cm (w, "style:width", TEXT_WIDTH_CM (layout));
      _tsr_xml_attr (w, "table:align", "margins");
      _tsr_xml_attr (w, "fo:margin-top", "0cm");
      _tsr_xml_attr (w, "fo:margin-bottom", "0cm");
      _tsr_xml_attr (w, "style:may-break-between-rows", "true");
      _tsr_xml_end (w);
      _tsr_xml_end (w);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_autofree char *name = g_strdup_printf ("Tbl%u.C%u", table->number, c);

          _tsr_xml_start (w, "style:style");
          _tsr_xml_attr (w, "style:name", name);
          _tsr_xml_attr (w, "style:family", "table-column");
          _tsr_xml_start (w, "style:table-column-properties");
          attr_cm (w, "style:column-width", fit->widths[c] / PT_PER_CM);
          _tsr_xml_end (w);
          _tsr_xml_end (w);
        }

      /* Cell paragraphs: one style per indent level and alignment, in
       * the table's type size. */
      for (guint a = 0; a < G_N_ELEMENTS (align_codes); a++)
        {
          g_autofree char *head = g_strdup_printf ("T%uH%c", table->number, align_codes[a]);
          double size = fit->size < TABLE_SIZE - 0.01 ? fit->size : 0;

          paragraph_auto_style (w, head, "Table_20_Heading", 0, align_values[a], FALSE, FALSE, size);
          for (guint i = 0; i <= max_indent; i++)
            {
              g_autofree char *name = g_strdup_printf ("T%uC%u%c", table->number, i, align_codes[a]);

              paragraph_auto_style (w, name, "Table_20_Contents", INDENT_CM * i, align_values[a], FALSE,
                                    FALSE, size);
            }
        }
    }

  /* A row is never split across pages. */
  _tsr_xml_start (w, "style:style");
  _tsr_xml_attr (w, "style:name", "Row");
  _tsr_xml_attr (w, "style:family", "table-row");
  _tsr_xml_start (w, "style:table-row-properties");
  _tsr_xml_attr (w, "fo:keep-together", "always");
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  if (layout->apa)
    {
      /* APA: rules above and below the header and under the last row. */
      cell_style (w, CELL_PAD_CM (layout), "CellHead", NULL, rule, "0.5pt solid #000000", "bottom");
      cell_style (w, CELL_PAD_CM (layout), "CellBody", NULL, "none", "none", "top");
      cell_style (w, CELL_PAD_CM (layout), "CellLast", NULL, "none", rule, "top");
    }
  else
    {
      cell_style (w, CELL_PAD_CM (layout), "CellHead", "#e8eaee", rule, "1pt solid #000000", "bottom");
      cell_style (w, CELL_PAD_CM (layout), "CellBody", NULL, "none", "0.5pt solid #bfc3ca", "top");
      cell_style (w, CELL_PAD_CM (layout), "CellLast", NULL, "none", rule, "top");
    }

  for (guint i = 0; i < G_N_ELEMENTS (rtl_parents); i++)
    {
      g_autofree char *name = g_strconcat ("Rtl_", rtl_parents[i], NULL);
      g_autofree char *keep = g_strconcat ("Keep_", rtl_parents[i], NULL);

      paragraph_auto_style (w, name, rtl_parents[i], 0, NULL, TRUE, FALSE, 0);
      paragraph_auto_style (w, keep, rtl_parents[i], 0, NULL, FALSE, TRUE, 0);
    }

  for (guint i = 1; i < G_N_ELEMENTS (span_styles); i++)
    text_auto_style (w, span_styles[i], (i & TSR_TEXT_BOLD) != 0, (i & TSR_TEXT_ITALIC) != 0,
                     (i & TSR_TEXT_SUPERSCRIPT) != 0);

  _tsr_xml_end (w);
}

static void
write_caption (xmlTextWriterPtr       w,
               const TsrExportLayout *layout,
               TsrExportTable        *table)
{
  g_autofree char *label = _tsr_export_table_label (table->number);
  g_autofree char *number = g_strdup_printf ("%u", table->number);
  g_autofree char *ref = g_strdup_printf ("refTable%u", table->number - 1);
  const char *digits = strstr (label, number);

  _tsr_xml_start (w, "text:p");
  _tsr_xml_attr (w, "text:style-name", "Table");
  _tsr_xml_start (w, "text:span");
  _tsr_xml_attr (w, "text:style-name", "TBold");
  if (digits != NULL)
    {
      g_autofree char *before = g_strndup (label, digits - label);

      write_text (w, before, TRUE);
      _tsr_xml_start (w, "text:sequence");
      _tsr_xml_attr (w, "text:ref-name", ref);
      _tsr_xml_attr (w, "text:name", "Table");
      _tsr_xml_attr (w, "text:formula", "ooow:Table+1");
      _tsr_xml_attr (w, "style:num-format", "1");
      xmlTextWriterWriteString (w, BAD_CAST number);
      _tsr_xml_end (w);
      write_text (w, digits + strlen (number), FALSE);
    }
  else
    write_text (w, label, TRUE);

  if (layout->apa)
    {
      /* APA: the title in italic on the line below the number. */
      _tsr_xml_end (w);
      _tsr_xml_end (w);
      if (*table->caption == '\0')
        return;
      _tsr_xml_start (w, "text:p");
      _tsr_xml_attr (w, "text:style-name", "Table_20_title");
      write_text (w, table->caption, TRUE);
      _tsr_xml_end (w);
      return;
    }

  write_text (w, ".", FALSE);
  _tsr_xml_end (w);
  if (*table->caption != '\0')
    {
      write_text (w, " ", FALSE);
      write_text (w, table->caption, FALSE);
    }
  _tsr_xml_end (w);
}

static void
write_table (xmlTextWriterPtr       w,
             const TsrExportLayout *layout,
             TsrExportTable        *table)
{
  g_autofree char *name = g_strdup_printf ("Table%u", table->number);
  g_autofree char *style = g_strdup_printf ("Tbl%u", table->number);

  write_caption (w, layout, table);

  _tsr_xml_start (w, "table:table");
  _tsr_xml_attr (w, "table:name", name);
  _tsr_xml_attr (w, "table:style-name", style);
  for (guint c = 0; c < table->n_columns; c++)
    {
      g_autofree char *column_style = g_strdup_printf ("Tbl%u.C%u", table->number, c);

      _tsr_xml_start (w, "table:table-column");
      _tsr_xml_attr (w, "table:style-name", column_style);
      _tsr_xml_end (w);
    }

  _tsr_xml_start (w, "table:table-header-rows");
  _tsr_xml_start (w, "table:table-row");
  _tsr_xml_attr (w, "table:style-name", "Row");
  for (guint c = 0; c < table->n_columns; c++)
    {
      g_autofree char *paragraph_style = g_strdup_printf ("T%uH%c", table->number,
                                                          align_codes[table->columns[c].align]);

      _tsr_xml_start (w, "table:table-cell");
      _tsr_xml_attr (w, "table:style-name", "CellHead");
      _tsr_xml_attr (w, "office:value-type", "string");
      _tsr_xml_start (w, "text:p");
      _tsr_xml_attr (w, "text:style-name", paragraph_style);
      write_runs (w, table->columns[c].heading, layout->apa ? TSR_TEXT_PLAIN : TSR_TEXT_BOLD);
      _tsr_xml_end (w);
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      _tsr_xml_start (w, "table:table-row");
      _tsr_xml_attr (w, "table:style-name", "Row");
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_autofree char *paragraph_style = g_strdup_printf ("T%uC%u%c", table->number,
                                                              c == 0 ? row->indent : 0,
                                                              align_codes[table->columns[c].align]);

          _tsr_xml_start (w, "table:table-cell");
          _tsr_xml_attr (w, "table:style-name", r + 1 == table->rows->len ? "CellLast" : "CellBody");
          _tsr_xml_attr (w, "office:value-type", "string");
          if (row->cells[c] == NULL || row->cells[c]->len == 0)
            {
              _tsr_xml_start (w, "text:p");
              _tsr_xml_attr (w, "text:style-name", paragraph_style);
              _tsr_xml_end (w);
            }
          else
            for (guint i = 0; i < row->cells[c]->len; i++)
              {
                TsrExportParagraph *paragraph = g_ptr_array_index (row->cells[c], i);

                /* A right-to-left cell keeps its direction over the
                 * indent and alignment. */
                write_paragraph (w, paragraph,
                                 _tsr_export_paragraph_is_rtl (paragraph) ? "Table_20_Contents" : paragraph_style,
                                 c == 0 ? row->style : TSR_TEXT_PLAIN);
              }
          _tsr_xml_end (w);
        }
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);

  /* The notes stay together. */
  for (guint i = 0; i < table->notes->len; i++)
    write_paragraph (w, g_ptr_array_index (table->notes, i),
                     i + 1 < table->notes->len ? "Keep_Table_20_note" : "Table_20_note", TSR_TEXT_PLAIN);
}

static GBytes *
content_xml (TsrExportDocument  *doc,
             GCancellable       *cancellable,
             GError            **error)
{
  const TsrExportLayout *layout = _tsr_export_document_get_layout (doc);
  g_autoptr(GArray) fits = fit_tables (doc);
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "office:document-content");
  namespaces (w);
  write_automatic_styles (w, doc, fits);

  _tsr_xml_start (w, "office:body");
  _tsr_xml_start (w, "office:text");
  _tsr_xml_start (w, "text:sequence-decls");
  _tsr_xml_start (w, "text:sequence-decl");
  _tsr_xml_attr (w, "text:display-outline-level", "0");
  _tsr_xml_attr (w, "text:name", "Table");
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph != NULL)
        write_paragraph (w, paragraph, paragraph_style_name (paragraph->style), TSR_TEXT_PLAIN);
      else
        write_table (w, layout, tsr_export_document_get_table (doc, b));

      if ((b & 63) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return _tsr_xml_abandon (w, buffer);
    }

  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "content.xml", error);
}

/* styles.xml ---------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *display_name;
  const char *parent;
  const char *next;
  const char *class;
  const char *size;
  gboolean    bold;
  gboolean    italic;
  const char *color;
  const char *before;
  const char *after;
  const char *line_height;
  const char *indent;
  gboolean    keep_next;
  int         outline;
  const char *align;
} ParagraphStyle;

static const ParagraphStyle paragraph_styles[] = {
  { "Standard", NULL, NULL, NULL, "text", NULL, FALSE, FALSE, NULL, "0cm", "0.21cm", "110%", NULL, FALSE, 0, NULL },
  { "Text_20_body", "Text body", "Standard", NULL, "text", NULL, FALSE, FALSE, NULL, "0cm", "0.28cm", "115%", NULL, FALSE, 0, NULL },
  { "Heading", NULL, "Standard", "Text_20_body", "text", NULL, TRUE, FALSE, "#1f2430", "0.42cm", "0.21cm", "100%", NULL, TRUE, 0, NULL },
  { "Title", NULL, "Heading", "Text_20_body", "chapter", "20pt", TRUE, FALSE, "#1f2430", "0cm", "0.42cm", NULL, NULL, TRUE, 0, NULL },
  { "Heading_20_1", "Heading 1", "Heading", "Text_20_body", "text", "15pt", TRUE, FALSE, NULL, "0.64cm", "0.21cm", NULL, NULL, TRUE, 1, NULL },
  { "Heading_20_2", "Heading 2", "Heading", "Text_20_body", "text", "13pt", TRUE, FALSE, NULL, "0.49cm", "0.18cm", NULL, NULL, TRUE, 2, NULL },
  { "Heading_20_3", "Heading 3", "Heading", "Text_20_body", "text", "11.5pt", TRUE, TRUE, NULL, "0.39cm", "0.14cm", NULL, NULL, TRUE, 3, NULL },
  { "Caption", NULL, "Standard", NULL, "extra", "10.5pt", FALSE, FALSE, NULL, "0.42cm", "0.18cm", "100%", NULL, FALSE, 0, NULL },
  { "Table", NULL, "Caption", NULL, "extra", NULL, FALSE, FALSE, NULL, NULL, NULL, NULL, NULL, TRUE, 0, NULL },
  { "Table_20_Contents", "Table Contents", "Standard", NULL, "extra", "9.5pt", FALSE, FALSE, NULL, "0.035cm", "0.07cm", "100%", NULL, FALSE, 0, NULL },
  { "Table_20_Heading", "Table Heading", "Table_20_Contents", NULL, "extra", NULL, TRUE, FALSE, NULL, NULL, NULL, NULL, NULL, FALSE, 0, NULL },
  { "Table_20_note", "Table note", "Standard", "Text_20_body", "extra", "9pt", FALSE, FALSE, "#3a3f4a", "0.18cm", "0.42cm", "100%", NULL, FALSE, 0, NULL },
  { "Table_20_title", "Table title", "Caption", NULL, "extra", NULL, FALSE, TRUE, NULL, "0cm", "0.18cm", NULL, NULL, TRUE, 0, NULL },
  { "Quotations", NULL, "Standard", "Text_20_body", "html", "10.5pt", FALSE, TRUE, "#3a3f4a", "0.1cm", "0.21cm", "115%", "1cm", FALSE, 0, NULL },
  { "Footer", NULL, "Standard", NULL, "extra", "9pt", FALSE, FALSE, "#5e6470", "0cm", "0cm", NULL, NULL, FALSE, 0, "center" },
};

static void
write_paragraph_style (xmlTextWriterPtr      w,
                       const ParagraphStyle *s)
{
  _tsr_xml_start (w, "style:style");
  _tsr_xml_attr (w, "style:name", s->name);
  if (s->display_name != NULL)
    _tsr_xml_attr (w, "style:display-name", s->display_name);
  _tsr_xml_attr (w, "style:family", "paragraph");
  if (s->parent != NULL)
    _tsr_xml_attr (w, "style:parent-style-name", s->parent);
  if (s->next != NULL)
    _tsr_xml_attr (w, "style:next-style-name", s->next);
  if (s->outline > 0)
    _tsr_xml_attr_int (w, "style:default-outline-level", s->outline);
  _tsr_xml_attr (w, "style:class", s->class);

  _tsr_xml_start (w, "style:paragraph-properties");
  if (s->before != NULL)
    _tsr_xml_attr (w, "fo:margin-top", s->before);
  if (s->after != NULL)
    _tsr_xml_attr (w, "fo:margin-bottom", s->after);
  if (s->line_height != NULL)
    _tsr_xml_attr (w, "fo:line-height", s->line_height);
  if (s->indent != NULL)
    {
      _tsr_xml_attr (w, "fo:margin-left", s->indent);
      _tsr_xml_attr (w, "fo:margin-right", s->indent);
    }
  if (s->keep_next)
    _tsr_xml_attr (w, "fo:keep-with-next", "always");
  if (s->align != NULL)
    _tsr_xml_attr (w, "fo:text-align", s->align);
  _tsr_xml_end (w);

  _tsr_xml_start (w, "style:text-properties");
  if (s->size != NULL)
    {
      _tsr_xml_attr (w, "fo:font-size", s->size);
      _tsr_xml_attr (w, "style:font-size-complex", s->size);
    }
  if (s->bold)
    {
      _tsr_xml_attr (w, "fo:font-weight", "bold");
      _tsr_xml_attr (w, "style:font-weight-complex", "bold");
    }
  if (s->italic)
    {
      _tsr_xml_attr (w, "fo:font-style", "italic");
      _tsr_xml_attr (w, "style:font-style-complex", "italic");
    }
  if (s->color != NULL)
    _tsr_xml_attr (w, "fo:color", s->color);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
}

static GBytes *
styles_xml (const TsrExportLayout  *layout,
            GError                **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);
  g_autofree char *tag = _tsr_export_language_tag ();
  g_auto(GStrv) parts = g_strsplit (tag, "-", 2);

  _tsr_xml_start (w, "office:document-styles");
  namespaces (w);

  _tsr_xml_start (w, "office:font-face-decls");
  _tsr_xml_start (w, "style:font-face");
  _tsr_xml_attr (w, "style:name", FONT);
  _tsr_xml_attr (w, "svg:font-family", FONT);
  _tsr_xml_attr (w, "style:font-family-generic", "swiss");
  _tsr_xml_attr (w, "style:font-pitch", "variable");
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_start (w, "office:styles");
  _tsr_xml_start (w, "style:default-style");
  _tsr_xml_attr (w, "style:family", "paragraph");
  _tsr_xml_start (w, "style:paragraph-properties");
  _tsr_xml_attr (w, "fo:orphans", "2");
  _tsr_xml_attr (w, "fo:widows", "2");
  _tsr_xml_attr (w, "style:writing-mode", "page");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "style:text-properties");
  _tsr_xml_attr (w, "style:font-name", FONT);
  _tsr_xml_attr (w, "style:font-name-complex", FONT);
  _tsr_xml_attr (w, "fo:font-size", "11pt");
  _tsr_xml_attr (w, "style:font-size-complex", "11pt");
  _tsr_xml_attr (w, "fo:language", parts[0]);
  if (parts[1] != NULL)
    _tsr_xml_attr (w, "fo:country", parts[1]);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  for (guint i = 0; i < G_N_ELEMENTS (paragraph_styles); i++)
    {
      ParagraphStyle style = paragraph_styles[i];

      /* APA: black text; column headings not bold; the caption's number
       * right above its title. */
      if (layout->apa)
        {
          style.color = NULL;
          if (g_str_equal (style.name, "Table_20_Heading"))
            style.bold = FALSE;
          if (g_str_equal (style.name, "Table"))
            style.after = "0cm";
        }
      write_paragraph_style (w, &style);
    }
  _tsr_xml_end (w);

  _tsr_xml_start (w, "office:automatic-styles");
  _tsr_xml_start (w, "style:page-layout");
  _tsr_xml_attr (w, "style:name", "pm1");
  _tsr_xml_start (w, "style:page-layout-properties");
  attr_cm (w, "fo:page-width", layout->page_width / PT_PER_CM);
  attr_cm (w, "fo:page-height", layout->page_height / PT_PER_CM);
  _tsr_xml_attr (w, "style:print-orientation", "portrait");
  attr_cm (w, "fo:margin-top", MARGIN_CM (layout));
  attr_cm (w, "fo:margin-bottom", MARGIN_CM (layout) - 0.8);
  attr_cm (w, "fo:margin-left", MARGIN_CM (layout));
  attr_cm (w, "fo:margin-right", MARGIN_CM (layout));
  _tsr_xml_end (w);
  _tsr_xml_start (w, "style:footer-style");
  _tsr_xml_start (w, "style:header-footer-properties");
  _tsr_xml_attr (w, "fo:min-height", "0.8cm");
  _tsr_xml_attr (w, "fo:margin-top", "0.4cm");
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_start (w, "office:master-styles");
  _tsr_xml_start (w, "style:master-page");
  _tsr_xml_attr (w, "style:name", "Standard");
  _tsr_xml_attr (w, "style:page-layout-name", "pm1");
  _tsr_xml_start (w, "style:footer");
  _tsr_xml_start (w, "text:p");
  _tsr_xml_attr (w, "text:style-name", "Footer");
  _tsr_xml_start (w, "text:page-number");
  _tsr_xml_attr (w, "text:select-page", "current");
  xmlTextWriterWriteString (w, BAD_CAST "1");
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  _tsr_xml_end (w);

  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "styles.xml", error);
}

/* meta.xml, manifest -------------------------------------------------- */

static GBytes *
meta_xml (TsrExportDocument  *doc,
          GError            **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (_tsr_export_timestamp ());
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  _tsr_xml_start (w, "office:document-meta");
  _tsr_xml_attr (w, "xmlns:office", NS_OFFICE);
  _tsr_xml_attr (w, "xmlns:meta", NS_META);
  _tsr_xml_attr (w, "xmlns:dc", NS_DC);
  _tsr_xml_attr (w, "office:version", ODF_VERSION);
  _tsr_xml_start (w, "office:meta");
  xmlTextWriterWriteElement (w, BAD_CAST "meta:generator", BAD_CAST _tsr_export_generator ());
  if (*tsr_export_document_get_title (doc) != '\0')
    xmlTextWriterWriteElement (w, BAD_CAST "dc:title", BAD_CAST tsr_export_document_get_title (doc));
  xmlTextWriterWriteElement (w, BAD_CAST "meta:creation-date", BAD_CAST date);
  xmlTextWriterWriteElement (w, BAD_CAST "dc:date", BAD_CAST date);
  _tsr_xml_end (w);
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "meta.xml", error);
}

static GBytes *
manifest_xml (GError **error)
{
  static const char * const files[] = { "content.xml", "styles.xml", "meta.xml" };
  xmlBufferPtr buffer;
  xmlTextWriterPtr w = _tsr_xml_writer_new (&buffer);

  _tsr_xml_start (w, "manifest:manifest");
  _tsr_xml_attr (w, "xmlns:manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0");
  _tsr_xml_attr (w, "manifest:version", ODF_VERSION);
  _tsr_xml_start (w, "manifest:file-entry");
  _tsr_xml_attr (w, "manifest:full-path", "/");
  _tsr_xml_attr (w, "manifest:version", ODF_VERSION);
  _tsr_xml_attr (w, "manifest:media-type", MIME_TYPE);
  _tsr_xml_end (w);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      _tsr_xml_start (w, "manifest:file-entry");
      _tsr_xml_attr (w, "manifest:full-path", files[i]);
      _tsr_xml_attr (w, "manifest:media-type", "text/xml");
      _tsr_xml_end (w);
    }
  _tsr_xml_end (w);
  return _tsr_xml_finish (w, buffer, "META-INF/manifest.xml", error);
}

gboolean
_tsr_export_write_odt (TsrExportDocument  *doc,
                       GOutputStream      *stream,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(GBytes) mimetype = g_bytes_new_static (MIME_TYPE, strlen (MIME_TYPE));
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) styles = NULL;
  g_autoptr(GBytes) meta = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(TsrZip) zip = NULL;

  if (!(content = content_xml (doc, cancellable, error)) ||
      !(styles = styles_xml (_tsr_export_document_get_layout (doc), error)) ||
      !(meta = meta_xml (doc, error)) ||
      !(manifest = manifest_xml (error)))
    return FALSE;

  /* The mimetype entry comes first and uncompressed, so that a reader
   * can tell the package's type from its first bytes. */
  return (zip = _tsr_zip_new (stream, cancellable, error)) != NULL &&
         _tsr_zip_add (zip, "mimetype", mimetype, TRUE, error) &&
         _tsr_zip_add (zip, "content.xml", content, FALSE, error) &&
         _tsr_zip_add (zip, "styles.xml", styles, FALSE, error) &&
         _tsr_zip_add (zip, "meta.xml", meta, FALSE, error) &&
         _tsr_zip_add (zip, "META-INF/manifest.xml", manifest, FALSE, error) &&
         _tsr_zip_finish (zip, error);
}
