/* tsr-export-private.h — what the writers share inside the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libxml/xmlwriter.h>

#include "tsr-export.h"

G_BEGIN_DECLS

const char *_tsr_export_save_stream_get_path (GOutputStream *stream);

typedef struct
{
  char         *text;
  TsrTextStyle  style;
} TsrExportRun;

struct _TsrExportParagraph
{
  TsrParagraphStyle  style;
  GArray            *runs;        /* TsrExportRun */
  gboolean           keep_next;
};

typedef struct
{
  char               *header;
  TsrAlign            align;
  guint               width;
  gboolean            bounded;    /* values cannot exceed 1: no leading zero in APA style */
  TsrExportParagraph *heading;    /* the header as runs, made by _tsr_export_document_prepare () */
} TsrExportColumn;

typedef struct
{
  guint         indent;
  TsrTextStyle  style;
  GPtrArray   **cells;            /* n_columns arrays of TsrExportParagraph, or NULL */
} TsrExportRow;

struct _TsrExportTable
{
  guint            number;
  char            *caption;
  guint            n_columns;
  TsrExportColumn *columns;
  GArray          *rows;          /* TsrExportRow */
  GPtrArray       *notes;         /* TsrExportParagraph */
};

/* How a prepared document is set (tsr-export-style.c). */
typedef struct
{
  TsrExportFlags flags;
  gboolean       apa;             /* APA 7 tables, black text */
  gboolean       letter;          /* US Letter rather than A4 */
  double         page_width;      /* points */
  double         page_height;
} TsrExportLayout;

/* A copy of @doc made ready for the writers: every column has its
 * heading paragraph and, in APA style, statistical symbols are italic,
 * bounded values lose their leading zero and captions are in title
 * case.  The writers are given only prepared documents. */
TsrExportDocument     *_tsr_export_document_prepare (TsrExportDocument *doc,
                                                     TsrExportFlags     flags);
const TsrExportLayout *_tsr_export_document_get_layout (TsrExportDocument *doc);
void                   _tsr_export_document_set_layout (TsrExportDocument     *doc,
                                                        const TsrExportLayout *layout);

/* Whether the user's locale prints on US Letter. */
gboolean _tsr_export_locale_is_letter (void);

/* @text in APA title case (English only; other languages unchanged). */
char    *_tsr_export_title_case     (const char         *text);

/* The widths of @table's columns, in points, that add up to
 * @text_width: each at least as wide as the longest word of its header
 * and its widest number (so no header word and no number is ever broken),
 * the rest shared out as the columns' relative widths ask, text columns
 * first.  Measured in @families at @size points with @padding on each
 * side of a cell.  A table whose words cannot fit at @size is set
 * smaller, down to @min_size (APA allows 8 points in a table).
 * Returns: the size to set the table in */
double   _tsr_export_table_widths   (TsrExportTable     *table,
                                     double              text_width,
                                     const char         *families,
                                     double              size,
                                     double              min_size,
                                     gboolean            bold_header,
                                     double              padding,
                                     double             *widths);

/* The run styles a writer has to set (for a loop over the runs of a
 * paragraph with an extra style). */
#define TSR_TEXT_STYLE_MASK (TSR_TEXT_BOLD | TSR_TEXT_ITALIC | TSR_TEXT_SUPERSCRIPT)

/* The writers, one per format (tsr-export-<format>.c). */
gboolean _tsr_export_write_docx     (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_odt      (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_pdf      (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_html     (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_markdown (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_csv      (TsrExportDocument  *doc,
                                     TsrExportFlags      flags,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_latex    (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_export_write_json     (TsrExportDocument  *doc,
                                     GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);

/* Shared helpers (tsr-export.c). */

/* A paragraph outside any document (a header cell), for the writers;
 * free with _tsr_export_paragraph_free (). */
TsrExportParagraph *_tsr_export_paragraph_new  (TsrParagraphStyle   style);
void     _tsr_export_paragraph_free (TsrExportParagraph *paragraph);
TsrExportParagraph *_tsr_export_paragraph_copy (TsrExportParagraph *paragraph);

/* The label written before a caption: "Table 1". */
char    *_tsr_export_table_label    (guint               number);

/* The words of the product written into files ("Tessera 0.1.0"). */
const char *_tsr_export_generator   (void);

/* Seconds since the epoch for timestamps inside files: $SOURCE_DATE_EPOCH
 * when set, so a build or a test can make exports byte-identical. */
gint64   _tsr_export_timestamp      (void);

/* The language tag of the user's locale ("en-GB"), for the files'
 * language attributes; "en" under the C locale. */
char    *_tsr_export_language_tag   (void);

/* Whether @c belongs to a script written right to left. */
gboolean _tsr_export_char_is_rtl    (gunichar            c);

/* Whether the first letter of @text is of a right-to-left script. */
gboolean _tsr_export_text_is_rtl    (const char         *text);

/* Whether the first letter of @paragraph is of a right-to-left script. */
gboolean _tsr_export_paragraph_is_rtl (TsrExportParagraph *paragraph);

/* Writes all of @data, mapping the failure to a message naming nothing
 * (the caller names the file). */
gboolean _tsr_export_write_all      (GOutputStream      *stream,
                                     const void         *data,
                                     gsize               len,
                                     GCancellable       *cancellable,
                                     GError            **error);

/* An XML writer into memory; _tsr_xml_finish () ends the document and
 * hands back the bytes, or fails with a message about @part. */
xmlTextWriterPtr _tsr_xml_writer_new (xmlBufferPtr     *buffer);
GBytes  *_tsr_xml_finish            (xmlTextWriterPtr    writer,
                                     xmlBufferPtr        buffer,
                                     const char         *part,
                                     GError            **error);

/* Frees a writer and its buffer when a part is given up half-written
 * (the export was cancelled); returns %NULL for the caller to pass on.
 * (tsr-export-xml.c) */
GBytes  *_tsr_xml_abandon           (xmlTextWriterPtr    writer,
                                     xmlBufferPtr        buffer);

/* Elements and attributes (tsr-export-xml.c).  _tsr_xml_end () closes an
 * element without content as <name/>; HTML wants an end tag on every
 * element but the void ones, so it closes with _tsr_xml_end_full (). */
void     _tsr_xml_start             (xmlTextWriterPtr    w,
                                     const char         *name);
void     _tsr_xml_end               (xmlTextWriterPtr    w);
void     _tsr_xml_end_full          (xmlTextWriterPtr    w);
void     _tsr_xml_attr              (xmlTextWriterPtr    w,
                                     const char         *name,
                                     const char         *value);
void     _tsr_xml_attr_int          (xmlTextWriterPtr    w,
                                     const char         *name,
                                     int                 value);
/* <name/> */
void     _tsr_xml_empty             (xmlTextWriterPtr    w,
                                     const char         *name);

/* A zip container written with libarchive (tsr-export-zip.c). */
typedef struct _TsrZip TsrZip;

TsrZip  *_tsr_zip_new               (GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
TsrZip  *_tsr_zip_new_fast          (GOutputStream      *stream,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _tsr_zip_add               (TsrZip             *zip,
                                     const char         *name,
                                     GBytes             *data,
                                     gboolean            store,
                                     GError            **error);
gboolean _tsr_zip_finish            (TsrZip             *zip,
                                     GError            **error);
void     _tsr_zip_free              (TsrZip             *zip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrZip, _tsr_zip_free)

G_END_DECLS
