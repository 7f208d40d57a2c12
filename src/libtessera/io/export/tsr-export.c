/* tsr-export.c — the export document model and the formats (saving a file
 * is tsr-export-save.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

/* Formats ------------------------------------------------------------ */

static const struct
{
  const char *name;
  const char *extension;
  const char *mime_type;
  const char *display_name;
} formats[TSR_EXPORT_N_FORMATS] = {
  [TSR_EXPORT_DOCX] = { "docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        N_("Word document") },
  [TSR_EXPORT_ODT] = { "odt", "odt", "application/vnd.oasis.opendocument.text", N_("OpenDocument text") },
  [TSR_EXPORT_PDF] = { "pdf", "pdf", "application/pdf", N_("PDF document") },
  [TSR_EXPORT_HTML] = { "html", "html", "text/html", N_("Web page (HTML)") },
  [TSR_EXPORT_MARKDOWN] = { "md", "md", "text/markdown", N_("Markdown") },
  [TSR_EXPORT_CSV] = { "csv", "csv", "text/csv", N_("CSV spreadsheet") },
  [TSR_EXPORT_LATEX] = { "tex", "tex", "text/x-tex", N_("LaTeX") },
  [TSR_EXPORT_JSON] = { "json", "json", "application/json", N_("JSON") },
};

/**
 * tsr_export_format_to_string:
 *
 * Returns: the format's short name, as the command line takes it ("docx")
 */
const char *
tsr_export_format_to_string (TsrExportFormat format)
{
  g_return_val_if_fail (format < TSR_EXPORT_N_FORMATS, NULL);
  return formats[format].name;
}

/**
 * tsr_export_format_from_string:
 * @str: "docx", "odt", "pdf", "html", "md" (or "markdown"), "csv", "tex"
 *   (or "latex") or "json", in any case
 *
 * Returns: whether @str names a format
 */
gboolean
tsr_export_format_from_string (const char      *str,
                               TsrExportFormat *format)
{
  static const struct { const char *alias; TsrExportFormat format; } aliases[] = {
    { "markdown", TSR_EXPORT_MARKDOWN },
    { "latex", TSR_EXPORT_LATEX },
    { "htm", TSR_EXPORT_HTML },
  };

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < TSR_EXPORT_N_FORMATS; i++)
    if (g_ascii_strcasecmp (str, formats[i].name) == 0)
      {
        *format = i;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (str, aliases[i].alias) == 0)
      {
        *format = aliases[i].format;
        return TRUE;
      }
  return FALSE;
}

/**
 * tsr_export_format_from_file_name:
 *
 * Returns: whether @file_name ends in an extension of a format
 */
gboolean
tsr_export_format_from_file_name (const char      *file_name,
                                  TsrExportFormat *format)
{
  const char *dot;

  if (file_name == NULL || (dot = strrchr (file_name, '.')) == NULL || strchr (dot, '/') != NULL)
    return FALSE;
  return tsr_export_format_from_string (dot + 1, format);
}

const char *
tsr_export_format_get_extension (TsrExportFormat format)
{
  g_return_val_if_fail (format < TSR_EXPORT_N_FORMATS, NULL);
  return formats[format].extension;
}

const char *
tsr_export_format_get_mime_type (TsrExportFormat format)
{
  g_return_val_if_fail (format < TSR_EXPORT_N_FORMATS, NULL);
  return formats[format].mime_type;
}

/**
 * tsr_export_format_get_display_name:
 *
 * Returns: the format's name for people, translated ("Word document")
 */
const char *
tsr_export_format_get_display_name (TsrExportFormat format)
{
  g_return_val_if_fail (format < TSR_EXPORT_N_FORMATS, NULL);
  return _(formats[format].display_name);
}

/* Text --------------------------------------------------------------- */

/* Every text entering the model is made valid UTF-8 with "\n" line ends
 * and without the control characters that XML 1.0 cannot hold (which
 * Word and LibreOffice refuse), so no writer has to think about them. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\r')
        {
          g_string_append_c (clean, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if (c == '\f' || c == '\v')
        g_string_append_c (clean, ' ');
      else if (c < 0x20 && c != '\t' && c != '\n')
        continue;
      else if (c == 0xEF && (guchar) p[1] == 0xBF && ((guchar) p[2] == 0xBE || (guchar) p[2] == 0xBF))
        p += 2;   /* U+FFFE, U+FFFF: not characters */
      else
        g_string_append_c (clean, *p);
    }

  return g_string_free (clean, FALSE);
}

/* The model ----------------------------------------------------------- */

typedef struct
{
  TsrExportParagraph *paragraph;
  TsrExportTable     *table;
} Block;

struct _TsrExportDocument
{
  gatomicrefcount  ref_count;
  char            *title;
  GArray          *blocks;      /* Block */
  guint            n_tables;
  TsrExportLayout  layout;      /* set by _tsr_export_document_prepare () */
};

G_DEFINE_BOXED_TYPE (TsrExportDocument, tsr_export_document,
                     tsr_export_document_ref, tsr_export_document_unref)

static void
run_clear (gpointer data)
{
  TsrExportRun *run = data;

  g_free (run->text);
}

TsrExportParagraph *
_tsr_export_paragraph_new (TsrParagraphStyle style)
{
  TsrExportParagraph *paragraph = g_new0 (TsrExportParagraph, 1);

  paragraph->style = style;
  paragraph->runs = g_array_new (FALSE, FALSE, sizeof (TsrExportRun));
  g_array_set_clear_func (paragraph->runs, run_clear);
  return paragraph;
}

static void
paragraph_free (gpointer data)
{
  TsrExportParagraph *paragraph = data;

  g_array_unref (paragraph->runs);
  g_free (paragraph);
}

void
_tsr_export_paragraph_free (TsrExportParagraph *paragraph)
{
  if (paragraph != NULL)
    paragraph_free (paragraph);
}

TsrExportParagraph *
_tsr_export_paragraph_copy (TsrExportParagraph *paragraph)
{
  TsrExportParagraph *copy = _tsr_export_paragraph_new (paragraph->style);

  copy->keep_next = paragraph->keep_next;
  for (guint i = 0; i < paragraph->runs->len; i++)
    {
      TsrExportRun run = g_array_index (paragraph->runs, TsrExportRun, i);

      run.text = g_strdup (run.text);
      g_array_append_val (copy->runs, run);
    }
  return copy;
}

static void
row_clear (gpointer data)
{
  TsrExportRow *row = data;

  g_free (row->cells);
}

static void
table_free (TsrExportTable *table)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      for (guint c = 0; c < table->n_columns; c++)
        g_clear_pointer (&row->cells[c], g_ptr_array_unref);
    }
  g_array_unref (table->rows);
  for (guint c = 0; c < table->n_columns; c++)
    {
      g_free (table->columns[c].header);
      _tsr_export_paragraph_free (table->columns[c].heading);
    }
  g_free (table->columns);
  g_free (table->caption);
  g_ptr_array_unref (table->notes);
  g_free (table);
}

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_clear_pointer (&block->paragraph, paragraph_free);
  g_clear_pointer (&block->table, table_free);
}

/**
 * tsr_export_document_new:
 * @title: (nullable): the document's title, written into the file's
 *   properties (it is not printed unless added as a %TSR_PARAGRAPH_TITLE)
 *
 * Returns: (transfer full): an empty document
 */
TsrExportDocument *
tsr_export_document_new (const char *title)
{
  TsrExportDocument *doc = g_new0 (TsrExportDocument, 1);

  g_atomic_ref_count_init (&doc->ref_count);
  doc->title = clean_text (title);
  doc->blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  g_array_set_clear_func (doc->blocks, block_clear);
  return doc;
}

TsrExportDocument *
tsr_export_document_ref (TsrExportDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_atomic_ref_count_inc (&doc->ref_count);
  return doc;
}

void
tsr_export_document_unref (TsrExportDocument *doc)
{
  g_return_if_fail (doc != NULL);
  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;
  g_array_unref (doc->blocks);
  g_free (doc->title);
  g_free (doc);
}

const char *
tsr_export_document_get_title (TsrExportDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->title;
}

/**
 * tsr_export_document_add_paragraph:
 *
 * Appends an empty paragraph; fill it with tsr_export_paragraph_add_text().
 *
 * Returns: (transfer none): the paragraph, owned by @doc
 */
TsrExportParagraph *
tsr_export_document_add_paragraph (TsrExportDocument *doc,
                                   TsrParagraphStyle  style)
{
  Block block = { _tsr_export_paragraph_new (style), NULL };

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (style <= TSR_PARAGRAPH_QUOTE, NULL);

  g_array_append_val (doc->blocks, block);
  return block.paragraph;
}

/**
 * tsr_export_document_add_text:
 *
 * Appends a paragraph of one plain run.
 *
 * Returns: (transfer none): the paragraph, owned by @doc
 */
TsrExportParagraph *
tsr_export_document_add_text (TsrExportDocument *doc,
                              TsrParagraphStyle  style,
                              const char        *text)
{
  TsrExportParagraph *paragraph = tsr_export_document_add_paragraph (doc, style);

  tsr_export_paragraph_add_text (paragraph, text, TSR_TEXT_PLAIN);
  return paragraph;
}

/**
 * tsr_export_document_add_heading:
 * @level: 1 to 3
 *
 * Returns: (transfer none): the heading, owned by @doc
 */
TsrExportParagraph *
tsr_export_document_add_heading (TsrExportDocument *doc,
                                 guint              level,
                                 const char        *text)
{
  g_return_val_if_fail (level >= 1 && level <= 3, NULL);
  return tsr_export_document_add_text (doc, TSR_PARAGRAPH_HEADING_1 + level - 1, text);
}

/**
 * tsr_export_document_add_table:
 * @n_columns: at least one
 *
 * Appends an empty table with the next number.  Name its columns with
 * tsr_export_table_set_column(); they are the header row.
 *
 * Returns: (transfer none): the table, owned by @doc
 */
TsrExportTable *
tsr_export_document_add_table (TsrExportDocument *doc,
                               guint              n_columns)
{
  TsrExportTable *table;
  Block block = { NULL, NULL };

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (n_columns > 0, NULL);

  table = g_new0 (TsrExportTable, 1);
  table->number = ++doc->n_tables;
  table->caption = g_strdup ("");
  table->n_columns = n_columns;
  table->columns = g_new0 (TsrExportColumn, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      table->columns[c].header = g_strdup ("");
      table->columns[c].width = 1;
    }
  table->rows = g_array_new (FALSE, FALSE, sizeof (TsrExportRow));
  g_array_set_clear_func (table->rows, row_clear);
  table->notes = g_ptr_array_new_with_free_func (paragraph_free);

  block.table = table;
  g_array_append_val (doc->blocks, block);
  return table;
}

/**
 * tsr_export_paragraph_add_text:
 *
 * Appends a run of text; "\n" in @text is a line break.
 */
void
tsr_export_paragraph_add_text (TsrExportParagraph *paragraph,
                               const char         *text,
                               TsrTextStyle        style)
{
  TsrExportRun run;

  g_return_if_fail (paragraph != NULL);

  if (text == NULL || *text == '\0')
    return;

  /* Runs of the same style are one run: fewer, larger runs in every
   * format, and readers see the text as written. */
  if (paragraph->runs->len > 0)
    {
      TsrExportRun *last = &g_array_index (paragraph->runs, TsrExportRun, paragraph->runs->len - 1);

      if (last->style == style)
        {
          g_autofree char *clean = clean_text (text);
          char *joined = g_strconcat (last->text, clean, NULL);

          g_free (last->text);
          last->text = joined;
          return;
        }
    }

  run.text = clean_text (text);
  run.style = style;
  g_array_append_val (paragraph->runs, run);
}

/**
 * tsr_export_paragraph_set_keep_with_next:
 * @keep: whether the paragraph stays on the page of the one after it
 *
 * Headings and captions always keep with what follows; this keeps other
 * paragraphs too (the lines under a heading that introduce a section).
 */
void
tsr_export_paragraph_set_keep_with_next (TsrExportParagraph *paragraph,
                                         gboolean            keep)
{
  g_return_if_fail (paragraph != NULL);
  paragraph->keep_next = keep;
}

gboolean
tsr_export_paragraph_get_keep_with_next (TsrExportParagraph *paragraph)
{
  g_return_val_if_fail (paragraph != NULL, FALSE);
  return paragraph->keep_next;
}

/**
 * tsr_export_table_set_caption:
 * @caption: the caption without its label: "Themes identified in the
 *   essays (N = 22)"; the writers print "Table 1." before it
 */
void
tsr_export_table_set_caption (TsrExportTable *table,
                              const char     *caption)
{
  g_return_if_fail (table != NULL);

  g_free (table->caption);
  table->caption = clean_text (caption);
}

/**
 * tsr_export_table_set_column:
 * @header: the column's heading in the header row
 * @align: how the column's cells are aligned
 * @width: the column's share of the table's width, relative to the
 *   other columns' (1 or more)
 */
void
tsr_export_table_set_column (TsrExportTable *table,
                             guint           column,
                             const char     *header,
                             TsrAlign        align,
                             guint           width)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (column < table->n_columns);

  g_free (table->columns[column].header);
  table->columns[column].header = clean_text (header);
  table->columns[column].align = align;
  table->columns[column].width = MAX (width, 1);
}

/**
 * tsr_export_table_set_column_bounded:
 * @bounded: whether the column's values cannot exceed 1 in size (κ, α, a
 *   proportion)
 *
 * APA style writes such values without a leading zero (".71", "−.05").
 */
void
tsr_export_table_set_column_bounded (TsrExportTable *table,
                                     guint           column,
                                     gboolean        bounded)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (column < table->n_columns);
  table->columns[column].bounded = bounded;
}

gboolean
tsr_export_table_get_column_bounded (TsrExportTable *table,
                                     guint           column)
{
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (column < table->n_columns, FALSE);
  return table->columns[column].bounded;
}

/**
 * tsr_export_table_add_row:
 * @indent: how many levels the first cell is indented (a sub-theme is 1)
 * @style: the style of the row's first cell, its label (%TSR_TEXT_BOLD
 *   for a top-level theme)
 *
 * Returns: the new row's index
 */
guint
tsr_export_table_add_row (TsrExportTable *table,
                          guint           indent,
                          TsrTextStyle    style)
{
  TsrExportRow row = { indent, style, NULL };

  g_return_val_if_fail (table != NULL, 0);

  row.cells = g_new0 (GPtrArray *, table->n_columns);
  g_array_append_val (table->rows, row);
  return table->rows->len - 1;
}

/**
 * tsr_export_table_add_cell_paragraph:
 *
 * Appends a paragraph to a cell, for cells of several paragraphs (one
 * quote each, say).
 *
 * Returns: (transfer none): the paragraph, owned by the table
 */
TsrExportParagraph *
tsr_export_table_add_cell_paragraph (TsrExportTable *table,
                                     guint           row,
                                     guint           column)
{
  TsrExportRow *r;
  TsrExportParagraph *paragraph;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (row < table->rows->len, NULL);
  g_return_val_if_fail (column < table->n_columns, NULL);

  r = &g_array_index (table->rows, TsrExportRow, row);
  if (r->cells[column] == NULL)
    r->cells[column] = g_ptr_array_new_with_free_func (paragraph_free);
  paragraph = _tsr_export_paragraph_new (TSR_PARAGRAPH_BODY);
  g_ptr_array_add (r->cells[column], paragraph);
  return paragraph;
}

/**
 * tsr_export_table_set_cell:
 *
 * Sets a cell to one paragraph of plain text, replacing what it held.
 */
void
tsr_export_table_set_cell (TsrExportTable *table,
                           guint           row,
                           guint           column,
                           const char     *text)
{
  TsrExportRow *r;

  g_return_if_fail (table != NULL);
  g_return_if_fail (row < table->rows->len);
  g_return_if_fail (column < table->n_columns);

  r = &g_array_index (table->rows, TsrExportRow, row);
  g_clear_pointer (&r->cells[column], g_ptr_array_unref);
  if (text != NULL && *text != '\0')
    tsr_export_paragraph_add_text (tsr_export_table_add_cell_paragraph (table, row, column),
                                   text, TSR_TEXT_PLAIN);
}

/**
 * tsr_export_table_add_note:
 *
 * Appends a note printed under the table, in small print.
 *
 * Returns: (transfer none): the note's paragraph, owned by the table
 */
TsrExportParagraph *
tsr_export_table_add_note (TsrExportTable *table)
{
  TsrExportParagraph *paragraph;

  g_return_val_if_fail (table != NULL, NULL);

  paragraph = _tsr_export_paragraph_new (TSR_PARAGRAPH_NOTE);
  g_ptr_array_add (table->notes, paragraph);
  return paragraph;
}

/* Reading ------------------------------------------------------------ */

guint
tsr_export_document_get_n_blocks (TsrExportDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->blocks->len;
}

/**
 * tsr_export_document_get_paragraph:
 *
 * Returns: (transfer none) (nullable): the block's paragraph, or %NULL
 *   when the block is a table
 */
TsrExportParagraph *
tsr_export_document_get_paragraph (TsrExportDocument *doc,
                                   guint              block)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (block < doc->blocks->len, NULL);
  return g_array_index (doc->blocks, Block, block).paragraph;
}

/**
 * tsr_export_document_get_table:
 *
 * Returns: (transfer none) (nullable): the block's table, or %NULL when
 *   the block is a paragraph
 */
TsrExportTable *
tsr_export_document_get_table (TsrExportDocument *doc,
                               guint              block)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (block < doc->blocks->len, NULL);
  return g_array_index (doc->blocks, Block, block).table;
}

guint
tsr_export_document_get_n_tables (TsrExportDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->n_tables;
}

TsrParagraphStyle
tsr_export_paragraph_get_style (TsrExportParagraph *paragraph)
{
  g_return_val_if_fail (paragraph != NULL, TSR_PARAGRAPH_BODY);
  return paragraph->style;
}

guint
tsr_export_paragraph_get_n_runs (TsrExportParagraph *paragraph)
{
  g_return_val_if_fail (paragraph != NULL, 0);
  return paragraph->runs->len;
}

/**
 * tsr_export_paragraph_get_run:
 * @style: (out) (optional): the run's style
 *
 * Returns: (transfer none): the run's text
 */
const char *
tsr_export_paragraph_get_run (TsrExportParagraph *paragraph,
                              guint               run,
                              TsrTextStyle       *style)
{
  TsrExportRun *r;

  g_return_val_if_fail (paragraph != NULL, NULL);
  g_return_val_if_fail (run < paragraph->runs->len, NULL);

  r = &g_array_index (paragraph->runs, TsrExportRun, run);
  if (style != NULL)
    *style = r->style;
  return r->text;
}

/**
 * tsr_export_paragraph_get_text:
 *
 * Returns: (transfer full): the paragraph's runs run together
 */
char *
tsr_export_paragraph_get_text (TsrExportParagraph *paragraph)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (paragraph != NULL, g_string_free (text, FALSE));

  for (guint i = 0; i < paragraph->runs->len; i++)
    g_string_append (text, g_array_index (paragraph->runs, TsrExportRun, i).text);
  return g_string_free (text, FALSE);
}

guint
tsr_export_table_get_number (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->number;
}

const char *
tsr_export_table_get_caption (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->caption;
}

/**
 * tsr_export_table_get_label:
 *
 * Returns: (transfer full): the label the writers print before the
 *   caption, "Table 1"
 */
char *
tsr_export_table_get_label (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return _tsr_export_table_label (table->number);
}

guint
tsr_export_table_get_n_columns (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_columns;
}

const char *
tsr_export_table_get_header (TsrExportTable *table,
                             guint           column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column < table->n_columns, NULL);
  return table->columns[column].header;
}

TsrAlign
tsr_export_table_get_align (TsrExportTable *table,
                            guint           column)
{
  g_return_val_if_fail (table != NULL, TSR_ALIGN_START);
  g_return_val_if_fail (column < table->n_columns, TSR_ALIGN_START);
  return table->columns[column].align;
}

guint
tsr_export_table_get_width (TsrExportTable *table,
                            guint           column)
{
  g_return_val_if_fail (table != NULL, 1);
  g_return_val_if_fail (column < table->n_columns, 1);
  return table->columns[column].width;
}

guint
tsr_export_table_get_n_rows (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->rows->len;
}

guint
tsr_export_table_get_row_indent (TsrExportTable *table,
                                 guint           row)
{
  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (row < table->rows->len, 0);
  return g_array_index (table->rows, TsrExportRow, row).indent;
}

TsrTextStyle
tsr_export_table_get_row_style (TsrExportTable *table,
                                guint           row)
{
  g_return_val_if_fail (table != NULL, TSR_TEXT_PLAIN);
  g_return_val_if_fail (row < table->rows->len, TSR_TEXT_PLAIN);
  return g_array_index (table->rows, TsrExportRow, row).style;
}

guint
tsr_export_table_get_n_cell_paragraphs (TsrExportTable *table,
                                        guint           row,
                                        guint           column)
{
  GPtrArray *cell;

  g_return_val_if_fail (table != NULL, 0);
  g_return_val_if_fail (row < table->rows->len, 0);
  g_return_val_if_fail (column < table->n_columns, 0);

  cell = g_array_index (table->rows, TsrExportRow, row).cells[column];
  return cell ? cell->len : 0;
}

/**
 * tsr_export_table_get_cell_paragraph:
 *
 * Returns: (transfer none): a paragraph of the cell
 */
TsrExportParagraph *
tsr_export_table_get_cell_paragraph (TsrExportTable *table,
                                     guint           row,
                                     guint           column,
                                     guint           index)
{
  g_return_val_if_fail (index < tsr_export_table_get_n_cell_paragraphs (table, row, column), NULL);
  return g_ptr_array_index (g_array_index (table->rows, TsrExportRow, row).cells[column], index);
}

/**
 * tsr_export_table_get_cell_text:
 *
 * Returns: (transfer full): the cell's paragraphs, one a line
 */
char *
tsr_export_table_get_cell_text (TsrExportTable *table,
                                guint           row,
                                guint           column)
{
  guint n = tsr_export_table_get_n_cell_paragraphs (table, row, column);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *paragraph = tsr_export_paragraph_get_text (
        tsr_export_table_get_cell_paragraph (table, row, column, i));

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, paragraph);
    }
  return g_string_free (text, FALSE);
}

guint
tsr_export_table_get_n_notes (TsrExportTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->notes->len;
}

/**
 * tsr_export_table_get_note:
 *
 * Returns: (transfer none): a note under the table
 */
TsrExportParagraph *
tsr_export_table_get_note (TsrExportTable *table,
                           guint           index)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (index < table->notes->len, NULL);
  return g_ptr_array_index (table->notes, index);
}

/* Shared helpers ------------------------------------------------------ */

char *
_tsr_export_table_label (guint number)
{
  /* Translators: the label before a table's caption, "Table 1" */
  return g_strdup_printf (_("Table %u"), number);
}

const char *
_tsr_export_generator (void)
{
  return "Tessera " PACKAGE_VERSION;
}

gint64
_tsr_export_timestamp (void)
{
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 value;

  if (epoch != NULL && g_ascii_string_to_unsigned (epoch, 10, 0, G_MAXINT64, &value, NULL))
    return (gint64) value;
  return g_get_real_time () / G_USEC_PER_SEC;
}

char *
_tsr_export_language_tag (void)
{
  const char * const *names = g_get_language_names ();
  g_autofree char *tag = g_strdup (names != NULL && names[0] != NULL ? names[0] : "C");
  char *p;

  /* "en_GB.UTF-8@euro" → "en-GB"; the C locale is English. */
  if ((p = strpbrk (tag, ".@")) != NULL)
    *p = '\0';
  if (*tag == '\0' || g_str_equal (tag, "C") || g_str_equal (tag, "POSIX"))
    return g_strdup ("en");
  g_strdelimit (tag, "_", '-');
  return g_steal_pointer (&tag);
}

gboolean
_tsr_export_char_is_rtl (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_ARABIC:
    case G_UNICODE_SCRIPT_HEBREW:
    case G_UNICODE_SCRIPT_SYRIAC:
    case G_UNICODE_SCRIPT_THAANA:
    case G_UNICODE_SCRIPT_NKO:
    case G_UNICODE_SCRIPT_SAMARITAN:
    case G_UNICODE_SCRIPT_MANDAIC:
    case G_UNICODE_SCRIPT_ADLAM:
    case G_UNICODE_SCRIPT_HANIFI_ROHINGYA:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
_tsr_export_text_is_rtl (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (_tsr_export_char_is_rtl (c))
        return TRUE;
      if (g_unichar_isalpha (c))
        return FALSE;
    }
  return FALSE;
}

gboolean
_tsr_export_paragraph_is_rtl (TsrExportParagraph *paragraph)
{
  g_autofree char *text = tsr_export_paragraph_get_text (paragraph);

  return _tsr_export_text_is_rtl (text);
}

gboolean
_tsr_export_write_all (GOutputStream  *stream,
                       const void     *data,
                       gsize           len,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return g_output_stream_write_all (stream, data, len, NULL, cancellable, error);
}

xmlTextWriterPtr
_tsr_xml_writer_new (xmlBufferPtr *buffer)
{
  xmlTextWriterPtr writer;

  *buffer = xmlBufferCreate ();
  writer = xmlNewTextWriterMemory (*buffer, 0);
  xmlTextWriterStartDocument (writer, "1.0", "UTF-8", "yes");
  return writer;
}

GBytes *
_tsr_xml_finish (xmlTextWriterPtr   writer,
                 xmlBufferPtr       buffer,
                 const char        *part,
                 GError           **error)
{
  GBytes *bytes = NULL;

  if (xmlTextWriterEndDocument (writer) < 0)
    g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, _("Could not write the XML of %s"), part);
  xmlFreeTextWriter (writer);
  if (error == NULL || *error == NULL)
    bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return bytes;
}

/* Preparing ---------------------------------------------------------- */

static TsrExportTable *
table_copy (TsrExportTable *table)
{
  TsrExportTable *copy = g_new0 (TsrExportTable, 1);

  copy->number = table->number;
  copy->caption = g_strdup (table->caption);
  copy->n_columns = table->n_columns;
  copy->columns = g_new0 (TsrExportColumn, table->n_columns);
  for (guint c = 0; c < table->n_columns; c++)
    {
      copy->columns[c] = table->columns[c];
      copy->columns[c].header = g_strdup (table->columns[c].header);
      copy->columns[c].heading = _tsr_export_paragraph_new (TSR_PARAGRAPH_BODY);
      tsr_export_paragraph_add_text (copy->columns[c].heading, table->columns[c].header, TSR_TEXT_PLAIN);
    }
  copy->rows = g_array_new (FALSE, FALSE, sizeof (TsrExportRow));
  g_array_set_clear_func (copy->rows, row_clear);
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);
      TsrExportRow new_row = { row->indent, row->style, g_new0 (GPtrArray *, table->n_columns) };

      for (guint c = 0; c < table->n_columns; c++)
        if (row->cells[c] != NULL)
          {
            new_row.cells[c] = g_ptr_array_new_with_free_func (paragraph_free);
            for (guint i = 0; i < row->cells[c]->len; i++)
              g_ptr_array_add (new_row.cells[c], _tsr_export_paragraph_copy (row->cells[c]->pdata[i]));
          }
      g_array_append_val (copy->rows, new_row);
    }
  copy->notes = g_ptr_array_new_with_free_func (paragraph_free);
  for (guint i = 0; i < table->notes->len; i++)
    g_ptr_array_add (copy->notes, _tsr_export_paragraph_copy (table->notes->pdata[i]));
  return copy;
}

/* Declared in tsr-export-style.c. */
void _tsr_export_style_table     (TsrExportTable        *table,
                                  const TsrExportLayout *layout);
void _tsr_export_style_paragraph (TsrExportParagraph    *paragraph,
                                  const TsrExportLayout *layout);

TsrExportDocument *
_tsr_export_document_prepare (TsrExportDocument *doc,
                              TsrExportFlags     flags)
{
  TsrExportDocument *copy = tsr_export_document_new (doc->title);

  copy->n_tables = doc->n_tables;
  copy->layout.flags = flags;
  copy->layout.apa = !(flags & TSR_EXPORT_CLASSIC_STYLE);
  if (flags & TSR_EXPORT_PAPER_LETTER)
    copy->layout.letter = TRUE;
  else if (flags & TSR_EXPORT_PAPER_A4)
    copy->layout.letter = FALSE;
  else
    copy->layout.letter = _tsr_export_locale_is_letter ();
  copy->layout.page_width = copy->layout.letter ? 612.0 : 21.0 * 72.0 / 2.54;
  copy->layout.page_height = copy->layout.letter ? 792.0 : 29.7 * 72.0 / 2.54;

  for (guint b = 0; b < doc->blocks->len; b++)
    {
      Block *block = &g_array_index (doc->blocks, Block, b);
      Block new_block = { NULL, NULL };

      if (block->paragraph != NULL)
        {
          new_block.paragraph = _tsr_export_paragraph_copy (block->paragraph);
          _tsr_export_style_paragraph (new_block.paragraph, &copy->layout);
        }
      else
        {
          new_block.table = table_copy (block->table);
          _tsr_export_style_table (new_block.table, &copy->layout);
        }
      g_array_append_val (copy->blocks, new_block);
    }
  return copy;
}

const TsrExportLayout *
_tsr_export_document_get_layout (TsrExportDocument *doc)
{
  return &doc->layout;
}

void
_tsr_export_document_set_layout (TsrExportDocument     *doc,
                                 const TsrExportLayout *layout)
{
  doc->layout = *layout;
}

/* Writing ------------------------------------------------------------ */

/**
 * tsr_export_document_write:
 * @flags: options of some formats
 *
 * Writes @doc in @format to @stream.  CSV holds one table: a document of
 * several tables, or of none, cannot be written as CSV.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
tsr_export_document_write (TsrExportDocument  *doc,
                           TsrExportFormat     format,
                           TsrExportFlags      flags,
                           GOutputStream      *stream,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (format < TSR_EXPORT_N_FORMATS, FALSE);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The export was cancelled"));
      return FALSE;
    }

  if (!doc->layout.page_width)
    {
      /* CSV and JSON are data: values as they are, not as APA prints them. */
      TsrExportFlags style = format == TSR_EXPORT_CSV || format == TSR_EXPORT_JSON ? TSR_EXPORT_CLASSIC_STYLE : 0;
      g_autoptr(TsrExportDocument) prepared = _tsr_export_document_prepare (doc, flags | style);

      return tsr_export_document_write (prepared, format, flags, stream, cancellable, error);
    }

  switch (format)
    {
    case TSR_EXPORT_DOCX:
      return _tsr_export_write_docx (doc, stream, cancellable, error);
    case TSR_EXPORT_ODT:
      return _tsr_export_write_odt (doc, stream, cancellable, error);
    case TSR_EXPORT_PDF:
      return _tsr_export_write_pdf (doc, stream, cancellable, error);
    case TSR_EXPORT_HTML:
      return _tsr_export_write_html (doc, stream, cancellable, error);
    case TSR_EXPORT_MARKDOWN:
      return _tsr_export_write_markdown (doc, stream, cancellable, error);
    case TSR_EXPORT_CSV:
      return _tsr_export_write_csv (doc, flags, stream, cancellable, error);
    case TSR_EXPORT_LATEX:
      return _tsr_export_write_latex (doc, stream, cancellable, error);
    case TSR_EXPORT_JSON:
    default:
      return _tsr_export_write_json (doc, stream, cancellable, error);
    }
}

typedef struct
{
  TsrExportDocument *doc;
  TsrExportFormat    format;
  TsrExportFlags     flags;
} SaveData;

static gboolean
write_document_cb (GOutputStream  *stream,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  SaveData *data = user_data;

  return tsr_export_document_write (data->doc, data->format, data->flags, stream, cancellable, error);
}

/**
 * tsr_export_document_save:
 *
 * Writes @doc to @file as tsr_export_save_file() does: all or nothing.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
tsr_export_document_save (TsrExportDocument  *doc,
                          TsrExportFormat     format,
                          TsrExportFlags      flags,
                          GFile              *file,
                          GCancellable       *cancellable,
                          GError            **error)
{
  SaveData data = { doc, format, flags };

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return tsr_export_save_file (file, write_document_cb, &data, cancellable, error);
}
