/* tsr-export.h — a small document model and its writers, one per format
 *
 * Reports are built as a #TsrExportDocument — a flat list of blocks, each
 * a paragraph (title, heading, body text, note, block quote) or a table
 * (a caption, a header row, rows of cells) — and then written by a writer
 * per format.  Any table Tessera produces (the theme table, the codebook,
 * the agreement statistics) goes through the same writers, so every
 * format gets the same escaping, the same table look and the same safe
 * saving.
 *
 *   g_autoptr(TsrExportDocument) doc = tsr_export_document_new ("Agreement");
 *   TsrExportTable *table = tsr_export_document_add_table (doc, 2);
 *
 *   tsr_export_table_set_caption (table, "Agreement per code (N = 22)");
 *   tsr_export_table_set_column (table, 0, "Code", TSR_ALIGN_START, 3);
 *   tsr_export_table_set_column (table, 1, "κ", TSR_ALIGN_END, 1);
 *   row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
 *   tsr_export_table_set_cell (table, row, 0, "Hope");
 *   tsr_export_table_set_cell (table, row, 1, "0.81");
 *   tsr_export_document_save (doc, TSR_EXPORT_DOCX, file, TSR_EXPORT_FLAGS_NONE,
 *                             NULL, &error);
 *
 * Tables are numbered in the order they are added.  By default the
 * writers set them in APA 7 style: the number in bold on a line of its
 * own ("Table 1"), the caption in italic title case below it, rules only
 * above and below the header row and under the last row, statistical
 * symbols (n, N, κ, α) in italic, values that cannot exceed 1 without a
 * leading zero (".71"), and the notes under the table; with
 * %TSR_EXPORT_CLASSIC_STYLE they keep Tessera's earlier look ("Table 1.
 * Caption" on one line, a shaded header, rules between rows).  DOCX and
 * ODT write the number as a real caption field, so the word processor's
 * list of tables and cross-references work.  Text is plain UTF-8: a "\n"
 * inside a text is a line break, and every writer escapes what its format
 * needs escaped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TsrExportFormat:
 * @TSR_EXPORT_DOCX: Word (Office Open XML) document
 * @TSR_EXPORT_ODT: OpenDocument text
 * @TSR_EXPORT_PDF: PDF, A4
 * @TSR_EXPORT_HTML: one self-contained HTML page
 * @TSR_EXPORT_MARKDOWN: Markdown with pipe tables
 * @TSR_EXPORT_CSV: comma-separated values (RFC 4180); one table only
 * @TSR_EXPORT_LATEX: a LaTeX document using booktabs and longtable
 * @TSR_EXPORT_JSON: JSON
 */
typedef enum
{
  TSR_EXPORT_DOCX,
  TSR_EXPORT_ODT,
  TSR_EXPORT_PDF,
  TSR_EXPORT_HTML,
  TSR_EXPORT_MARKDOWN,
  TSR_EXPORT_CSV,
  TSR_EXPORT_LATEX,
  TSR_EXPORT_JSON,
} TsrExportFormat;

#define TSR_EXPORT_N_FORMATS (TSR_EXPORT_JSON + 1)

/**
 * TsrExportFlags:
 * @TSR_EXPORT_FLAGS_NONE: nothing special
 * @TSR_EXPORT_CSV_BOM: start a CSV file with a byte order mark, which
 *   Excel needs to read it as UTF-8
 * @TSR_EXPORT_CSV_KEEP_FORMULAS: write CSV cells that begin like a
 *   spreadsheet formula (=, +, -, @, tab, carriage return) as they are;
 *   by default they are written as text, so that opening the file never
 *   runs a code name as a formula
 * @TSR_EXPORT_CLASSIC_STYLE: set tables in Tessera's earlier look rather
 *   than APA 7 style
 * @TSR_EXPORT_PAPER_A4: pages of A4 paper
 * @TSR_EXPORT_PAPER_LETTER: pages of US Letter paper; with neither paper
 *   flag, the paper of the user's locale (Letter in the United States and
 *   Canada, A4 elsewhere)
 * @TSR_EXPORT_LATEX_FRAGMENT: LaTeX of the tables alone, to \input into
 *   a manuscript (which loads array, booktabs, longtable and caption)
 * @TSR_EXPORT_CSV_NO_BOM: start a CSV file without a byte order mark
 */
typedef enum /*< flags >*/
{
  TSR_EXPORT_FLAGS_NONE         = 0,
  TSR_EXPORT_CSV_BOM            = 1 << 0,
  TSR_EXPORT_CSV_KEEP_FORMULAS  = 1 << 1,
  TSR_EXPORT_CLASSIC_STYLE      = 1 << 2,
  TSR_EXPORT_PAPER_A4           = 1 << 3,
  TSR_EXPORT_PAPER_LETTER       = 1 << 4,
  TSR_EXPORT_LATEX_FRAGMENT     = 1 << 5,
  TSR_EXPORT_CSV_NO_BOM         = 1 << 6,
} TsrExportFlags;

const char *tsr_export_format_to_string       (TsrExportFormat  format);
gboolean    tsr_export_format_from_string     (const char      *str,
                                               TsrExportFormat *format);
gboolean    tsr_export_format_from_file_name  (const char      *file_name,
                                               TsrExportFormat *format);
const char *tsr_export_format_get_extension   (TsrExportFormat  format);
const char *tsr_export_format_get_mime_type   (TsrExportFormat  format);
const char *tsr_export_format_get_display_name (TsrExportFormat format);

/**
 * TsrTextStyle:
 * How a run of text is set; %TSR_TEXT_SUPERSCRIPT raises it, as the
 * letter of a table's specific note ("–ᵃ").
 */
typedef enum /*< flags >*/
{
  TSR_TEXT_PLAIN       = 0,
  TSR_TEXT_BOLD        = 1 << 0,
  TSR_TEXT_ITALIC      = 1 << 1,
  TSR_TEXT_SUPERSCRIPT = 1 << 2,
} TsrTextStyle;

/**
 * TsrParagraphStyle:
 * @TSR_PARAGRAPH_TITLE: the document's title
 * @TSR_PARAGRAPH_HEADING_1: a section heading
 * @TSR_PARAGRAPH_HEADING_2: a subsection heading
 * @TSR_PARAGRAPH_HEADING_3: a sub-subsection heading
 * @TSR_PARAGRAPH_BODY: running text
 * @TSR_PARAGRAPH_NOTE: small print, such as a table's note
 * @TSR_PARAGRAPH_QUOTE: an indented block quote
 */
typedef enum
{
  TSR_PARAGRAPH_TITLE,
  TSR_PARAGRAPH_HEADING_1,
  TSR_PARAGRAPH_HEADING_2,
  TSR_PARAGRAPH_HEADING_3,
  TSR_PARAGRAPH_BODY,
  TSR_PARAGRAPH_NOTE,
  TSR_PARAGRAPH_QUOTE,
} TsrParagraphStyle;

/**
 * TsrAlign:
 * A column's alignment; start and end follow the text's direction.
 */
typedef enum
{
  TSR_ALIGN_START,
  TSR_ALIGN_CENTER,
  TSR_ALIGN_END,
} TsrAlign;

typedef struct _TsrExportDocument  TsrExportDocument;
typedef struct _TsrExportParagraph TsrExportParagraph;
typedef struct _TsrExportTable     TsrExportTable;

/* Building ----------------------------------------------------------- */

#define TSR_TYPE_EXPORT_DOCUMENT (tsr_export_document_get_type ())
GType               tsr_export_document_get_type      (void) G_GNUC_CONST;
TsrExportDocument  *tsr_export_document_new           (const char        *title);
TsrExportDocument  *tsr_export_document_ref           (TsrExportDocument *doc);
void                tsr_export_document_unref         (TsrExportDocument *doc);
const char         *tsr_export_document_get_title     (TsrExportDocument *doc);

TsrExportParagraph *tsr_export_document_add_paragraph (TsrExportDocument *doc,
                                                       TsrParagraphStyle  style);
TsrExportParagraph *tsr_export_document_add_heading   (TsrExportDocument *doc,
                                                       guint              level,
                                                       const char        *text);
TsrExportParagraph *tsr_export_document_add_text      (TsrExportDocument *doc,
                                                       TsrParagraphStyle  style,
                                                       const char        *text);
TsrExportTable     *tsr_export_document_add_table     (TsrExportDocument *doc,
                                                       guint              n_columns);

void                tsr_export_paragraph_add_text     (TsrExportParagraph *paragraph,
                                                       const char         *text,
                                                       TsrTextStyle        style);
void                tsr_export_paragraph_set_keep_with_next (TsrExportParagraph *paragraph,
                                                             gboolean            keep);

void                tsr_export_table_set_caption      (TsrExportTable    *table,
                                                       const char        *caption);
void                tsr_export_table_set_column       (TsrExportTable    *table,
                                                       guint              column,
                                                       const char        *header,
                                                       TsrAlign           align,
                                                       guint              width);
void                tsr_export_table_set_column_bounded (TsrExportTable  *table,
                                                         guint            column,
                                                         gboolean         bounded);
guint               tsr_export_table_add_row          (TsrExportTable    *table,
                                                       guint              indent,
                                                       TsrTextStyle       style);
void                tsr_export_table_set_cell         (TsrExportTable    *table,
                                                       guint              row,
                                                       guint              column,
                                                       const char        *text);
TsrExportParagraph *tsr_export_table_add_cell_paragraph (TsrExportTable  *table,
                                                         guint            row,
                                                         guint            column);
TsrExportParagraph *tsr_export_table_add_note         (TsrExportTable    *table);

/* Reading ------------------------------------------------------------ */

guint               tsr_export_document_get_n_blocks  (TsrExportDocument *doc);
TsrExportParagraph *tsr_export_document_get_paragraph (TsrExportDocument *doc,
                                                       guint              block);
TsrExportTable     *tsr_export_document_get_table     (TsrExportDocument *doc,
                                                       guint              block);
guint               tsr_export_document_get_n_tables  (TsrExportDocument *doc);

TsrParagraphStyle   tsr_export_paragraph_get_style    (TsrExportParagraph *paragraph);
guint               tsr_export_paragraph_get_n_runs   (TsrExportParagraph *paragraph);
const char         *tsr_export_paragraph_get_run      (TsrExportParagraph *paragraph,
                                                       guint               run,
                                                       TsrTextStyle       *style);
char               *tsr_export_paragraph_get_text     (TsrExportParagraph *paragraph);
gboolean            tsr_export_paragraph_get_keep_with_next (TsrExportParagraph *paragraph);

guint               tsr_export_table_get_number       (TsrExportTable    *table);
const char         *tsr_export_table_get_caption      (TsrExportTable    *table);
char               *tsr_export_table_get_label        (TsrExportTable    *table);
guint               tsr_export_table_get_n_columns    (TsrExportTable    *table);
const char         *tsr_export_table_get_header       (TsrExportTable    *table,
                                                       guint              column);
TsrAlign            tsr_export_table_get_align        (TsrExportTable    *table,
                                                       guint              column);
guint               tsr_export_table_get_width        (TsrExportTable    *table,
                                                       guint              column);
gboolean            tsr_export_table_get_column_bounded (TsrExportTable  *table,
                                                         guint            column);
guint               tsr_export_table_get_n_rows       (TsrExportTable    *table);
guint               tsr_export_table_get_row_indent   (TsrExportTable    *table,
                                                       guint              row);
TsrTextStyle        tsr_export_table_get_row_style    (TsrExportTable    *table,
                                                       guint              row);
guint               tsr_export_table_get_n_cell_paragraphs (TsrExportTable *table,
                                                            guint           row,
                                                            guint           column);
TsrExportParagraph *tsr_export_table_get_cell_paragraph (TsrExportTable  *table,
                                                         guint            row,
                                                         guint            column,
                                                         guint            index);
char               *tsr_export_table_get_cell_text    (TsrExportTable    *table,
                                                       guint              row,
                                                       guint              column);
guint               tsr_export_table_get_n_notes      (TsrExportTable    *table);
TsrExportParagraph *tsr_export_table_get_note         (TsrExportTable    *table,
                                                       guint              index);

/* Writing ------------------------------------------------------------ */

gboolean            tsr_export_document_write         (TsrExportDocument *doc,
                                                       TsrExportFormat    format,
                                                       TsrExportFlags     flags,
                                                       GOutputStream     *stream,
                                                       GCancellable      *cancellable,
                                                       GError           **error);
gboolean            tsr_export_document_save          (TsrExportDocument *doc,
                                                       TsrExportFormat    format,
                                                       TsrExportFlags     flags,
                                                       GFile             *file,
                                                       GCancellable      *cancellable,
                                                       GError           **error);

/**
 * TsrExportWriteFunc:
 * @stream: where to write
 * @user_data: the data given to tsr_export_save_file()
 *
 * Writes a whole file's content to @stream.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
typedef gboolean (*TsrExportWriteFunc) (GOutputStream  *stream,
                                        gpointer        user_data,
                                        GCancellable   *cancellable,
                                        GError        **error);

gboolean            tsr_export_save_file              (GFile             *file,
                                                       TsrExportWriteFunc write,
                                                       gpointer           user_data,
                                                       GCancellable      *cancellable,
                                                       GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrExportDocument, tsr_export_document_unref)

G_END_DECLS
