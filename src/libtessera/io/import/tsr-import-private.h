/* tsr-import-private.h — the pieces behind document import
 *
 * Only the core, its tests and the fuzz targets include this header.
 * Every reader takes bytes already in memory and returns UTF-8 text with
 * "\n" line ends (or a table), so each can be fuzzed on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-import.h"

G_BEGIN_DECLS

/* The text builder ---------------------------------------------------
 *
 * Readers report structure — paragraphs, list items, tables, notes — and
 * the builder lays it out the one way every imported document reads:
 * paragraphs separated by a blank line, as in the demo essays; the items
 * of one list on consecutive lines; a table as one paragraph with a line
 * per row and a tab between cells; notes after the body, each "[mark]
 * text".  Text inside a table cell or a note keeps its words but not its
 * line structure, which the row and cell separators need. */

typedef struct _TsrTextBuilder TsrTextBuilder;

TsrTextBuilder *tsr_text_builder_new             (gsize            max_bytes);
void            tsr_text_builder_free            (TsrTextBuilder  *self);
void            tsr_text_builder_begin_paragraph (TsrTextBuilder  *self);
/* A list item's label ("1.", "•"), put before the paragraph's text, its
 * nesting level (0 for a top-level item) and the list it belongs to
 * (any pointer that tells lists apart): items of one list go on
 * consecutive lines, a new list starts a new paragraph. */
void            tsr_text_builder_set_list_item   (TsrTextBuilder  *self,
                                                  const char      *label,
                                                  guint            level,
                                                  gconstpointer    list);
void            tsr_text_builder_end_paragraph   (TsrTextBuilder  *self);
void            tsr_text_builder_append          (TsrTextBuilder  *self,
                                                  const char      *text,
                                                  gssize           length);
void            tsr_text_builder_append_c        (TsrTextBuilder  *self,
                                                  char             c);
void            tsr_text_builder_begin_table     (TsrTextBuilder  *self);
void            tsr_text_builder_end_table       (TsrTextBuilder  *self);
void            tsr_text_builder_begin_row       (TsrTextBuilder  *self);
/* @keep is FALSE for a row deleted with change tracking. */
void            tsr_text_builder_end_row         (TsrTextBuilder  *self,
                                                  gboolean         keep);
void            tsr_text_builder_begin_cell      (TsrTextBuilder  *self);
void            tsr_text_builder_end_cell        (TsrTextBuilder  *self);
/* Notes: what is written between begin and end goes after the body as
 * "[mark] text"; endnotes come after all footnotes. */
void            tsr_text_builder_begin_note      (TsrTextBuilder  *self,
                                                  const char      *mark,
                                                  gboolean         endnote);
void            tsr_text_builder_end_note        (TsrTextBuilder  *self);
/* Appends @n as a list or note label: @style '1' decimal, '0' decimal
 * with a leading zero, 'a'/'A' letters (z, aa, bb…), 'i'/'I' roman
 * numerals, 0 nothing. */
void            tsr_import_append_number         (GString         *s,
                                                  int              n,
                                                  char             style);
/* Ends whatever is still open, as a truncated file leaves it. */
void            tsr_text_builder_close_all       (TsrTextBuilder  *self);
gboolean        tsr_text_builder_is_full         (TsrTextBuilder  *self);
/* Returns the text, "" when the document held none. */
char           *tsr_text_builder_finish          (TsrTextBuilder  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrTextBuilder, tsr_text_builder_free)

/* Zip containers ------------------------------------------------------
 *
 * DOCX, ODT and XLSX are zip archives.  Members are inflated into memory
 * with the sizes counted as they come out of the inflater — the sizes the
 * archive claims are never trusted — and reading stops with an error as
 * soon as a member or the whole archive grows past the limits below. */

/* One member may inflate to this much. */
#define TSR_ZIP_MAX_MEMBER_BYTES   (256u * 1024 * 1024)
/* Everything read from one archive together. */
#define TSR_ZIP_MAX_TOTAL_BYTES    (512u * 1024 * 1024)
/* Past TSR_ZIP_RATIO_FLOOR bytes inflated, no more than this many times
 * the archive's own size.  Word, Excel and LibreOffice files inflate
 * about 5 to 30 times; zip bombs a thousand times and more. */
#define TSR_ZIP_RATIO_FLOOR        (16u * 1024 * 1024)
#define TSR_ZIP_MAX_RATIO          100

typedef struct _TsrZip TsrZip;

TsrZip     *tsr_zip_open      (GBytes        *data,
                               const char    *display_name,
                               GError       **error);
void        tsr_zip_free      (TsrZip        *self);
gboolean    tsr_zip_has       (TsrZip        *self,
                               const char    *name);
/* Returns the member's bytes; a missing member is %TSR_ERROR_NOT_FOUND. */
GBytes     *tsr_zip_read      (TsrZip        *self,
                               const char    *name,
                               GCancellable  *cancellable,
                               GError       **error);
/* Like tsr_zip_read() but %NULL without an error when the member is absent. */
GBytes     *tsr_zip_read_optional (TsrZip        *self,
                                   const char    *name,
                                   GCancellable  *cancellable,
                                   GError       **error);
GHashTable *tsr_zip_read_many (TsrZip             *self,
                               const char * const *names,
                               GCancellable       *cancellable,
                               GError            **error);
guint64     tsr_zip_get_inflated (TsrZip     *self);
/* The members' names, as the archive gives them (never used as paths). */
GPtrArray  *tsr_zip_get_names (TsrZip     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrZip, tsr_zip_free)

/* XML ------------------------------------------------------------------
 *
 * Office XML never has a document type declaration; one in a part is an
 * attack (external entities, "billion laughs") or damage, and the
 * readers refuse it before any entity could be used.  libxml2 is always
 * called with XML_PARSE_NONET and without XML_PARSE_NOENT or
 * XML_PARSE_DTDLOAD, so no entity is ever loaded or expanded anyway. */

#define TSR_XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT | \
                               XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

void          tsr_xml_init            (void);

typedef struct _TsrXmlReader TsrXmlReader;

/* A streaming reader over one part of @display_name.  Parts are limited
 * to TSR_ZIP_MAX_MEMBER_BYTES, well under libxml2's int sizes. */
TsrXmlReader *tsr_xml_reader_new      (GBytes        *bytes,
                                       const char    *part,
                                       const char    *display_name,
                                       GCancellable  *cancellable);
void          tsr_xml_reader_free     (TsrXmlReader  *self);
/* Moves to the next node, or past the current node's subtree when @skip;
 * returns TRUE on a node, FALSE at the end or with @error set. */
gboolean      tsr_xml_reader_next     (TsrXmlReader  *self,
                                       gboolean       skip,
                                       GError       **error);
int           tsr_xml_reader_type     (TsrXmlReader  *self);
int           tsr_xml_reader_depth    (TsrXmlReader  *self);
gboolean      tsr_xml_reader_is_empty (TsrXmlReader  *self);
/* Whether the current element is @ns:@local (@ns one of a %NULL-ended
 * list of namespace URIs that mean the same, as OOXML's transitional
 * and strict ones). */
gboolean      tsr_xml_reader_is       (TsrXmlReader        *self,
                                       const char * const  *ns,
                                       const char          *local);
const char   *tsr_xml_reader_local_name (TsrXmlReader *self);
const char   *tsr_xml_reader_namespace  (TsrXmlReader *self);
const char   *tsr_xml_reader_value    (TsrXmlReader  *self);
/* The attribute @local in any of @ns, or %NULL. */
char         *tsr_xml_reader_attr     (TsrXmlReader        *self,
                                       const char * const  *ns,
                                       const char          *local);
/* The current element's subtree as a tree owned by the reader, valid
 * until the next move. */
struct _xmlNode *tsr_xml_reader_expand (TsrXmlReader *self);

/* A whole (small) part as a tree; free it with xmlFreeDoc(). */
struct _xmlDoc *tsr_xml_parse     (GBytes        *bytes,
                                   const char    *part,
                                   const char    *display_name,
                                   GError       **error);
gboolean      tsr_xml_node_is     (struct _xmlNode     *node,
                                   const char * const  *ns,
                                   const char          *local);
char         *tsr_xml_node_attr   (struct _xmlNode     *node,
                                   const char * const  *ns,
                                   const char          *local);
struct _xmlNode *tsr_xml_node_child (struct _xmlNode     *node,
                                     const char * const  *ns,
                                     const char          *local);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrXmlReader, tsr_xml_reader_free)

gboolean      tsr_import_check_cancelled (GCancellable  *cancellable,
                                          GError       **error);

/* Readers of each format -------------------------------------------- */

/* Office Open XML packages (DOCX, XLSX) */
char       *tsr_ooxml_find_relationship (GBytes        *rels,
                                         const char    *source,
                                         const char    *type_suffix);
char       *tsr_ooxml_rels_name    (const char    *part);
char       *tsr_ooxml_main_part    (TsrZip        *zip,
                                    const char    *fallback,
                                    GCancellable  *cancellable,
                                    GError       **error);

char       *tsr_docx_extract_parts (GBytes        *document,
                                    GBytes        *styles,
                                    GBytes        *numbering,
                                    GBytes        *footnotes,
                                    GBytes        *endnotes,
                                    gsize          max_bytes,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);
char       *tsr_docx_extract       (GBytes        *data,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);

char       *tsr_odt_extract_parts  (GBytes        *content,
                                    const char    *content_part,
                                    GBytes        *styles,
                                    gsize          max_bytes,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);
/* A flat OpenDocument text (.fodt): the whole document in one XML file. */
char       *tsr_fodt_extract       (GBytes        *data,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);
char       *tsr_odt_extract        (GBytes        *data,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);

char       *tsr_html_extract       (const char    *data,
                                    gsize          length,
                                    gsize          max_bytes,
                                    const char    *display_name,
                                    GError       **error);

char       *tsr_pdf_extract        (GBytes        *data,
                                    const char    *display_name,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* @text is decoded UTF-8 (tsr_decode_text()). */
TsrImportTable *tsr_csv_parse      (const char    *text,
                                    gsize          length,
                                    const char    *display_name,
                                    GError       **error);

TsrImportTable *tsr_xlsx_read_parts (GBytes        *workbook,
                                     GBytes        *shared_strings,
                                     GBytes        *styles,
                                     GBytes        *sheet,
                                     const char    *sheet_part,
                                     const char    *display_name,
                                     GCancellable  *cancellable,
                                     GError       **error);
TsrImportTable *tsr_xlsx_read       (GBytes        *data,
                                     const char    *sheet,
                                     const char    *display_name,
                                     GCancellable  *cancellable,
                                     GError       **error);

/* Tables ----------------------------------------------------------------
 *
 * Readers hand over rows of cells; the first row holds the headers. */

TsrImportTable *tsr_import_table_new          (const char    *display_name);
/* Takes @cells (a %NULL-terminated array; a %NULL or "" cell is empty).
 * @row_number is the row as the spreadsheet program numbers it. */
gboolean        tsr_import_table_add_row      (TsrImportTable *self,
                                               char          **cells,
                                               guint           row_number,
                                               GError        **error);
/* Names the columns, infers their types; a table without data rows is
 * %TSR_ERROR_EMPTY_FILE. */
gboolean        tsr_import_table_finish       (TsrImportTable *self,
                                               GError        **error);
void            tsr_import_table_set_sheets   (TsrImportTable *self,
                                               GStrv           sheets,
                                               const char     *sheet);

TsrAttributeType tsr_import_infer_value_type  (const char     *value);

/* Detection ----------------------------------------------------------- */

TsrImportFormat tsr_import_sniff        (GBytes      *data,
                                         const char  *filename);

/* Formats (tsr-import-format.c) ---------------------------------------- */

GBytes *
_tsr_import_load_file (GFile         *file,
                       const char    *name,
                       GCancellable  *cancellable,
                       GError       **error);

gboolean
_tsr_import_is_blank_text (const char *text);

char *
_tsr_import_extract_text (GBytes           *bytes,
                          const char       *name,
                          TsrImportFormat  *format_out,
                          GCancellable     *cancellable,
                          GError          **error);

TsrImportTable *
_tsr_import_extract_table (GBytes           *bytes,
                           const char       *name,
                           const char       *sheet,
                           TsrImportFormat  *format_out,
                           GCancellable     *cancellable,
                           GError          **error);

G_END_DECLS
