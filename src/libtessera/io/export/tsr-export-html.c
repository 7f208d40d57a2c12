/* tsr-export-html.c — one self-contained HTML page
 *
 * The page carries its style sheet inside, prints on A4 with each table's
 * header row repeated on every page, and marks every block dir="auto" so
 * right-to-left text reads in its own direction.  libxml2's writer does
 * the escaping; void elements are written as <br/>, which HTML parsers
 * read as <br>, and every other element gets an end tag.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

/* The style sheet is ours, written as it is: it holds no "<" or "&", so
 * it cannot end the style element. */
static const char style_sheet[] =
  "\n"
  ":root { color-scheme: light; }\n"
  "body { font-family: Calibri, Carlito, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif;"
  " font-size: 11pt; line-height: 1.45; color: #1f2430; background: #fff;"
  " max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }\n"
  "h1, h2, h3 { line-height: 1.25; color: #1f2430; }\n"
  "h1.title { font-size: 1.9em; margin: 0 0 0.8em; }\n"
  "h1 { font-size: 1.4em; margin: 1.6em 0 0.4em; }\n"
  "h2 { font-size: 1.2em; margin: 1.4em 0 0.35em; }\n"
  "h3 { font-size: 1.05em; font-style: italic; margin: 1.2em 0 0.3em; }\n"
  "p { margin: 0 0 0.6em; }\n"
  "blockquote { margin: 0.3em 2em 0.7em; font-style: italic; color: #3a3f4a; }\n"
  "table { width: 100%; border-collapse: collapse; border-top: 1.5pt solid #000;"
  " border-bottom: 1.5pt solid #000; margin: 0.3em 0 0.3em; font-size: 0.9em; }\n"
  "caption { caption-side: top; text-align: start; padding: 0 0 0.45em; font-size: 1.05em; }\n"
  "caption strong { font-weight: bold; }\n"
  "th { background: #e8eaee; border-bottom: 1pt solid #000; font-weight: bold;"
  " text-align: start; vertical-align: bottom; padding: 0.35em 0.5em; hyphens: manual; }\n"
  "td { border-top: 0.5pt solid #bfc3ca; padding: 0.35em 0.5em; vertical-align: top;"
  " text-align: start; }\n"
  "tbody tr:first-child td { border-top: none; }\n"
  /* APA 7: black text, no shading, rules only above and below the
   * header and under the last row; the title in italic below the
   * number. */
  "body.apa, body.apa h1, body.apa h2, body.apa h3, body.apa blockquote,"
  " body.apa p.note { color: #000; }\n"
  "body.apa table { border-top: 1pt solid #000; border-bottom: 1pt solid #000; }\n"
  "body.apa th { background: none; font-weight: normal; border-bottom: 0.5pt solid #000;"
  " padding: 0.3em 0.35em; }\n"
  "body.apa td { border-top: none; padding: 0.3em 0.35em; }\n"
  "body.apa caption em { display: block; font-style: italic; margin-top: 0.2em; }\n"
  "sup { font-size: 0.7em; line-height: 0; }\n"
  "td p { margin: 0 0 0.35em; }\n"
  "td p:last-child { margin-bottom: 0; }\n"
  ".align-center { text-align: center; }\n"
  ".align-end { text-align: end; }\n"
  "td.bold { font-weight: bold; }\n"
  "td.italic { font-style: italic; }\n"
  "p.note { font-size: 0.85em; color: #3a3f4a; margin: 0.25em 0 1.4em; }\n"

  "@media print {\n"
  "  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }\n"
  "  thead { display: table-header-group; }\n"
  "  caption, h1, h2, h3 { break-after: avoid; }\n"
  "  blockquote, p.note, tr { break-inside: avoid; }\n"
  "}\n";

/* Writes @text; line breaks become <br/>. */
static void
write_text (xmlTextWriterPtr  w,
            const char       *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        {
          _tsr_xml_empty (w, "br");
        }
      xmlTextWriterWriteString (w, BAD_CAST lines[i]);
    }
}

static void
write_runs (xmlTextWriterPtr    w,
            TsrExportParagraph *paragraph)
{
  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);

      if (style & TSR_TEXT_SUPERSCRIPT)
        _tsr_xml_start (w, "sup");
      if (style & TSR_TEXT_BOLD)
        _tsr_xml_start (w, "strong");
      if (style & TSR_TEXT_ITALIC)
        _tsr_xml_start (w, "em");
      write_text (w, text);
      if (style & TSR_TEXT_ITALIC)
        _tsr_xml_end_full (w);
      if (style & TSR_TEXT_BOLD)
        _tsr_xml_end_full (w);
      if (style & TSR_TEXT_SUPERSCRIPT)
        _tsr_xml_end_full (w);
    }
}

static void
write_paragraph (xmlTextWriterPtr    w,
                 TsrExportParagraph *paragraph)
{
  const char *element = "p";
  const char *class = NULL;

  switch (paragraph->style)
    {
    case TSR_PARAGRAPH_TITLE: element = "h1"; class = "title"; break;
    case TSR_PARAGRAPH_HEADING_1: element = "h1"; break;
    case TSR_PARAGRAPH_HEADING_2: element = "h2"; break;
    case TSR_PARAGRAPH_HEADING_3: element = "h3"; break;
    case TSR_PARAGRAPH_NOTE: class = "note"; break;
    case TSR_PARAGRAPH_QUOTE: element = "blockquote"; break;
    case TSR_PARAGRAPH_BODY:
    default:
      break;
    }

  _tsr_xml_start (w, element);
  if (class != NULL)
    _tsr_xml_attr (w, "class", class);
  _tsr_xml_attr (w, "dir", "auto");
  if (paragraph->style == TSR_PARAGRAPH_QUOTE)
    {
      _tsr_xml_start (w, "p");
      write_runs (w, paragraph);
      _tsr_xml_end_full (w);
    }
  else
    write_runs (w, paragraph);
  _tsr_xml_end_full (w);
}

static void
write_table (xmlTextWriterPtr       w,
             const TsrExportLayout *layout,
             TsrExportTable        *table)
{
  static const char * const align_classes[] = { NULL, "align-center", "align-end" };
  g_autofree char *label = _tsr_export_table_label (table->number);
  g_autofree char *id = g_strdup_printf ("table-%u", table->number);
  g_autofree double *widths = g_new0 (double, table->n_columns);
  double total = 0;

  _tsr_xml_start (w, "table");
  _tsr_xml_attr (w, "id", id);

  _tsr_xml_start (w, "caption");
  _tsr_xml_attr (w, "dir", "auto");
  _tsr_xml_start (w, "strong");
  if (layout->apa)
    xmlTextWriterWriteString (w, BAD_CAST label);
  else
    xmlTextWriterWriteFormatString (w, "%s.", label);
  _tsr_xml_end_full (w);
  if (*table->caption != '\0' && layout->apa)
    {
      _tsr_xml_empty (w, "br");
      _tsr_xml_start (w, "em");
      write_text (w, table->caption);
      _tsr_xml_end_full (w);
    }
  else if (*table->caption != '\0')
    {
      xmlTextWriterWriteString (w, BAD_CAST " ");
      write_text (w, table->caption);
    }
  _tsr_xml_end_full (w);

  /* Widths from the content, so that no header word needs breaking. */
  _tsr_export_table_widths (table, 600, "Carlito, Calibri, Liberation Sans, DejaVu Sans, Sans", 9.9, 8,
                            !layout->apa, 5, widths);
  for (guint c = 0; c < table->n_columns; c++)
    total += widths[c];
  _tsr_xml_start (w, "colgroup");
  for (guint c = 0; c < table->n_columns; c++)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buffer, sizeof buffer, "%.1f", 100.0 * widths[c] / total);
      _tsr_xml_start (w, "col");
      xmlTextWriterWriteFormatAttribute (w, BAD_CAST "style", "width: %s%%", buffer);
      _tsr_xml_end (w);
    }
  _tsr_xml_end_full (w);

  _tsr_xml_start (w, "thead");
  _tsr_xml_start (w, "tr");
  for (guint c = 0; c < table->n_columns; c++)
    {
      _tsr_xml_start (w, "th");
      _tsr_xml_attr (w, "scope", "col");
      if (align_classes[table->columns[c].align] != NULL)
        _tsr_xml_attr (w, "class", align_classes[table->columns[c].align]);
      write_runs (w, table->columns[c].heading);
      _tsr_xml_end_full (w);
    }
  _tsr_xml_end_full (w);
  _tsr_xml_end_full (w);

  _tsr_xml_start (w, "tbody");
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      _tsr_xml_start (w, "tr");
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_autoptr(GString) classes = g_string_new (align_classes[table->columns[c].align]);

          if (c == 0 && (row->style & TSR_TEXT_BOLD))
            g_string_append (classes, classes->len > 0 ? " bold" : "bold");
          if (c == 0 && (row->style & TSR_TEXT_ITALIC))
            g_string_append (classes, classes->len > 0 ? " italic" : "italic");
          _tsr_xml_start (w, "td");
          _tsr_xml_attr (w, "dir", "auto");
          if (classes->len > 0)
            _tsr_xml_attr (w, "class", classes->str);
          if (c == 0 && row->indent > 0)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_ascii_formatd (buffer, sizeof buffer, "%.1f", 0.5 + 1.2 * row->indent);
              xmlTextWriterWriteFormatAttribute (w, BAD_CAST "style", "padding-inline-start: %sem", buffer);
            }

          if (row->cells[c] != NULL && row->cells[c]->len == 1)
            write_runs (w, g_ptr_array_index (row->cells[c], 0));
          else if (row->cells[c] != NULL)
            for (guint i = 0; i < row->cells[c]->len; i++)
              {
                _tsr_xml_start (w, "p");
                write_runs (w, g_ptr_array_index (row->cells[c], i));
                _tsr_xml_end_full (w);
              }
          _tsr_xml_end_full (w);
        }
      _tsr_xml_end_full (w);
    }
  _tsr_xml_end_full (w);
  _tsr_xml_end_full (w);

  for (guint i = 0; i < table->notes->len; i++)
    write_paragraph (w, g_ptr_array_index (table->notes, i));
}

gboolean
_tsr_export_write_html (TsrExportDocument  *doc,
                        GOutputStream      *stream,
                        GCancellable       *cancellable,
                        GError            **error)
{
  xmlBufferPtr buffer = xmlBufferCreate ();
  xmlTextWriterPtr w = xmlNewTextWriterMemory (buffer, 0);
  g_autofree char *lang = _tsr_export_language_tag ();
  const char *title = tsr_export_document_get_title (doc);
  gboolean ok;

  xmlTextWriterWriteDTD (w, BAD_CAST "html", NULL, NULL, NULL);
  xmlTextWriterWriteRaw (w, BAD_CAST "\n");
  _tsr_xml_start (w, "html");
  _tsr_xml_attr (w, "lang", lang);
  _tsr_xml_start (w, "head");
  _tsr_xml_start (w, "meta");
  _tsr_xml_attr (w, "charset", "utf-8");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "meta");
  _tsr_xml_attr (w, "name", "viewport");
  _tsr_xml_attr (w, "content", "width=device-width, initial-scale=1");
  _tsr_xml_end (w);
  _tsr_xml_start (w, "meta");
  _tsr_xml_attr (w, "name", "generator");
  _tsr_xml_attr (w, "content", _tsr_export_generator ());
  _tsr_xml_end (w);
  _tsr_xml_start (w, "title");
  xmlTextWriterWriteString (w, BAD_CAST (*title != '\0' ? title : "Tessera"));
  _tsr_xml_end_full (w);
  _tsr_xml_start (w, "style");
  xmlTextWriterWriteRaw (w, BAD_CAST style_sheet);
  xmlTextWriterWriteFormatRaw (w, "@page { size: %s; margin: %s; }\n",
                               _tsr_export_document_get_layout (doc)->letter ? "letter" : "A4",
                               _tsr_export_document_get_layout (doc)->apa ? "2.54cm" : "2cm");
  _tsr_xml_end_full (w);
  _tsr_xml_end_full (w);

  _tsr_xml_start (w, "body");
  if (_tsr_export_document_get_layout (doc)->apa)
    _tsr_xml_attr (w, "class", "apa");
  _tsr_xml_start (w, "main");
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      xmlTextWriterWriteRaw (w, BAD_CAST "\n");
      if (paragraph != NULL)
        write_paragraph (w, paragraph);
      else
        write_table (w, _tsr_export_document_get_layout (doc), tsr_export_document_get_table (doc, b));
    }
  xmlTextWriterWriteRaw (w, BAD_CAST "\n");
  _tsr_xml_end_full (w);
  _tsr_xml_end_full (w);
  _tsr_xml_end_full (w);
  xmlTextWriterWriteRaw (w, BAD_CAST "\n");

  ok = xmlTextWriterFlush (w) >= 0;
  xmlFreeTextWriter (w);
  if (!ok)
    g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("Could not write the HTML page"));
  else
    ok = _tsr_export_write_all (stream, xmlBufferContent (buffer), xmlBufferLength (buffer),
                                cancellable, error);
  xmlBufferFree (buffer);
  return ok;
}
