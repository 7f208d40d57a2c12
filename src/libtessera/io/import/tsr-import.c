/* tsr-import.c — importing a batch of files into a project
 *
 * An import happens in two steps, on two threads:
 *
 *  1. Reading (tsr_importer_read(), or _async in a worker thread): each
 *     file is loaded, its format told by its content, and its text
 *     extracted — or, for a spreadsheet, its rows turned into documents.
 *     This step never touches the project, so it needs no database
 *     connection and cannot leave anything half done; cancelling it
 *     simply stops.
 *
 *  2. Committing (tsr_importer_commit(), on the thread that owns the
 *     project): the documents are added through the operations layer,
 *     each file as one edit that is rolled back whole if any part of it
 *     fails, and the batch as one undoable group.
 *
 * SQLite connections must not be shared between threads, and every edit
 * must be recorded in the history by the project's own connection;
 * writing on the project's thread keeps both true.  The slow part —
 * unzipping, parsing XML, laying out PDF text — is in step 1; adding a
 * thousand documents takes a fraction of a second (see
 * tools/tsr-import-benchmark.c).
 *
 * Duplicates (the same text as a document already in the project, or
 * earlier in the batch) are flagged, not added, unless the caller asks
 * for them in a second commit.  A spreadsheet row is a duplicate only
 * when its name matches too: two respondents may well both answer "No".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-project-private.h"
#include "tsr-text-import.h"

/* How long a document name taken from a spreadsheet cell may be. */
#define MAX_NAME_CHARS 200

/* Formats --------------------------------------------------------------- */

const char *
tsr_import_format_get_name (TsrImportFormat format)
{
  switch (format)
    {
    case TSR_IMPORT_FORMAT_TEXT: return _("Plain text");
    case TSR_IMPORT_FORMAT_MARKDOWN: return _("Markdown");
    case TSR_IMPORT_FORMAT_HTML: return _("Web page (HTML)");
    case TSR_IMPORT_FORMAT_DOCX: return _("Word document (DOCX)");
    case TSR_IMPORT_FORMAT_ODT: return _("OpenDocument text (ODT)");
    case TSR_IMPORT_FORMAT_PDF: return _("PDF");
    case TSR_IMPORT_FORMAT_RTF: return _("Rich Text Format (RTF)");
    case TSR_IMPORT_FORMAT_CSV: return _("Spreadsheet (CSV)");
    case TSR_IMPORT_FORMAT_XLSX: return _("Excel workbook (XLSX)");
    case TSR_IMPORT_FORMAT_UNKNOWN:
    default:
      return _("Unknown");
    }
}

gboolean
tsr_import_format_is_table (TsrImportFormat format)
{
  return format == TSR_IMPORT_FORMAT_CSV || format == TSR_IMPORT_FORMAT_XLSX;
}

/**
 * tsr_import_get_patterns:
 *
 * Returns: (transfer none): the file name patterns of every format
 *   Tessera imports, for a file chooser's filter
 */
const char * const *
tsr_import_get_patterns (void)
{
  static const char * const patterns[] = {
    "*.txt", "*.text", "*.md", "*.markdown", "*.htm", "*.html", "*.xhtml", "*.docx", "*.odt",
    "*.fodt", "*.pdf", "*.csv", "*.tsv", "*.xlsx",
    NULL
  };
  return patterns;
}

/**
 * tsr_import_get_mime_types:
 *
 * Returns: (transfer none): the MIME types of every format Tessera imports
 */
const char * const *
tsr_import_get_mime_types (void)
{
  static const char * const types[] = {
    "text/plain", "text/markdown", "text/html", "application/xhtml+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-flat-xml",
    "application/pdf", "text/csv", "text/tab-separated-values",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    NULL
  };
  return types;
}

static gboolean
has_extension (const char *name,
               const char *extensions)   /* "csv tsv" */
{
  const char *dot = name ? strrchr (name, '.') : NULL;
  g_auto(GStrv) list = NULL;

  if (dot == NULL || dot[1] == '\0')
    return FALSE;
  list = g_strsplit (extensions, " ", -1);
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (dot + 1, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
contains_bytes (const guint8 *data,
                gsize         length,
                const char   *needle,
                gsize         needle_length)
{
  for (gsize i = 0; i + needle_length <= length; i++)
    if (data[i] == (guint8) needle[0] && memcmp (data + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_prefix (const guint8 *data,
            gsize         length,
            const char   *prefix,
            gsize         prefix_length)
{
  return length >= prefix_length && memcmp (data, prefix, prefix_length) == 0;
}

/* What a zip archive holds, told by its members. */
typedef enum
{
  ZIP_OTHER,
  ZIP_DOCX,
  ZIP_XLSX,
  ZIP_ODT,
  ZIP_ODS,
  ZIP_PRESENTATION,
  ZIP_DAMAGED,
} ZipKind;

static ZipKind
sniff_zip (GBytes *data)
{
  g_autoptr(TsrZip) zip = tsr_zip_open (data, "", NULL);
  g_autoptr(GBytes) mimetype = NULL;

  if (zip == NULL)
    return ZIP_DAMAGED;

  if (tsr_zip_has (zip, "mimetype"))
    {
      mimetype = tsr_zip_read (zip, "mimetype", NULL, NULL);
      if (mimetype != NULL)
        {
          gsize length;
          const char *type = g_bytes_get_data (mimetype, &length);

          if (length >= 39 && memcmp (type, "application/vnd.oasis.opendocument.text", 39) == 0)
            return ZIP_ODT;
          if (length >= 46 && memcmp (type, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
            return ZIP_ODS;
          if (length >= 47 && memcmp (type, "application/vnd.oasis.opendocument.presentation", 47) == 0)
            return ZIP_PRESENTATION;
        }
    }
  if (tsr_zip_has (zip, "word/document.xml"))
    return ZIP_DOCX;
  if (tsr_zip_has (zip, "xl/workbook.xml"))
    return ZIP_XLSX;
  if (tsr_zip_has (zip, "ppt/presentation.xml"))
    return ZIP_PRESENTATION;
  if (tsr_zip_has (zip, "[Content_Types].xml"))
    {
      /* A package with its main part somewhere unusual. */
      g_autofree char *main_part = tsr_ooxml_main_part (zip, "", NULL, NULL);

      if (main_part != NULL && g_str_has_prefix (main_part, "word/"))
        return ZIP_DOCX;
      if (main_part != NULL && g_str_has_prefix (main_part, "xl/"))
        return ZIP_XLSX;
    }
  if (tsr_zip_has (zip, "content.xml"))
    return ZIP_ODT;
  return ZIP_OTHER;
}

static const char *
skip_bom_and_space (const char *p,
                    const char *end)
{
  if (end - p >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  return p;
}

static gboolean
looks_like_html (const char *data,
                 gsize       length)
{
  const char *end = data + length;
  const char *p = skip_bom_and_space (data, end);
  gsize n = MIN ((gsize) (end - p), 64);

  return (n >= 14 && g_ascii_strncasecmp (p, "<!doctype html", 14) == 0) ||
         (n >= 5 && g_ascii_strncasecmp (p, "<html", 5) == 0 &&
          (n == 5 || p[5] == '>' || g_ascii_isspace (p[5])));
}

static gboolean
looks_like_flat_odt (const char *data,
                     gsize       length)
{
  const char *end = data + length;
  const char *p = skip_bom_and_space (data, end);
  gsize n = MIN ((gsize) (end - p), 4096);

  return n >= 5 && strncmp (p, "<?xml", 5) == 0 &&
         g_strstr_len (p, n, "urn:oasis:names:tc:opendocument:xmlns:office:1.0") != NULL &&
         g_strstr_len (p, n, "application/vnd.oasis.opendocument.text") != NULL;
}

/**
 * tsr_import_sniff:
 * @filename: (nullable): the file's name, for formats that are text
 *   inside (CSV, HTML, Markdown)
 *
 * Tells a file's format by its first bytes and, for zip containers, by
 * their members.  Binary formats are told by content alone, so a PDF
 * named "essay.docx" is a PDF.  A file that is text inside is CSV when
 * named .csv or .tsv, HTML when named .htm(l) or when it starts like a
 * web page, Markdown when named .md, and plain text otherwise.
 *
 * Returns: the format, or %TSR_IMPORT_FORMAT_UNKNOWN for a binary file
 *   Tessera cannot read
 */
TsrImportFormat
tsr_import_sniff (GBytes     *data,
                  const char *filename)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);
  const char *text = (const char *) bytes;

  if (length == 0)
    return TSR_IMPORT_FORMAT_TEXT;

  if (g_strstr_len (text, MIN (length, 1024), "%PDF-") != NULL)
    return TSR_IMPORT_FORMAT_PDF;
  if (has_prefix (bytes, length, "{\\rtf", 5) ||
      has_prefix (bytes, length, "\xef\xbb\xbf{\\rtf", 8))
    return TSR_IMPORT_FORMAT_RTF;

  if (has_prefix (bytes, length, "PK\x03\x04", 4) || has_prefix (bytes, length, "PK\x05\x06", 4))
    {
      switch (sniff_zip (data))
        {
        case ZIP_DOCX: return TSR_IMPORT_FORMAT_DOCX;
        case ZIP_XLSX: return TSR_IMPORT_FORMAT_XLSX;
        case ZIP_ODT: return TSR_IMPORT_FORMAT_ODT;
        case ZIP_DAMAGED:
          /* Let the reader of the format the name promises say what is
           * wrong. */
          if (has_extension (filename, "docx docm dotx"))
            return TSR_IMPORT_FORMAT_DOCX;
          if (has_extension (filename, "xlsx xlsm"))
            return TSR_IMPORT_FORMAT_XLSX;
          if (has_extension (filename, "odt ott"))
            return TSR_IMPORT_FORMAT_ODT;
          return TSR_IMPORT_FORMAT_UNKNOWN;
        case ZIP_ODS:
        case ZIP_PRESENTATION:
        case ZIP_OTHER:
        default:
          return TSR_IMPORT_FORMAT_UNKNOWN;
        }
    }

  /* Microsoft's compound file (.doc, .xls, password-protected DOCX),
   * images: binary formats with no text to read. */
  if (has_prefix (bytes, length, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) ||
      has_prefix (bytes, length, "\x89PNG\r\n\x1a\n", 8) ||
      has_prefix (bytes, length, "\xff\xd8\xff", 3) ||
      has_prefix (bytes, length, "GIF8", 4) ||
      has_prefix (bytes, length, "II*\0", 4) || has_prefix (bytes, length, "MM\0*", 4))
    return TSR_IMPORT_FORMAT_UNKNOWN;

  if (looks_like_flat_odt (text, length))
    return TSR_IMPORT_FORMAT_ODT;
  if (has_extension (filename, "csv tsv"))
    return TSR_IMPORT_FORMAT_CSV;
  if (has_extension (filename, "htm html xhtml"))
    return TSR_IMPORT_FORMAT_HTML;
  if (has_extension (filename, "md markdown"))
    return TSR_IMPORT_FORMAT_MARKDOWN;
  if (looks_like_html (text, length))
    return TSR_IMPORT_FORMAT_HTML;
  return TSR_IMPORT_FORMAT_TEXT;
}

/* The message for a file tsr_import_sniff() could not place. */
static void
set_unsupported_error (GBytes      *data,
                       const char  *name,
                       GError     **error)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  if (has_prefix (bytes, length, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
    {
      /* "EncryptedPackage" in UTF-16: a DOCX or XLSX with a password. */
      static const char encrypted[] =
        "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

      if (contains_bytes (bytes, length, encrypted, sizeof encrypted - 1))
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                     _("The file “%s” is protected with a password. Open it in your word "
                       "processor, remove the password, save it and import it again."),
                     name);
      else if (has_extension (name, "xls xlt"))
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                     _("The file “%s” is an Excel 97–2003 workbook (.xls), which Tessera cannot "
                       "read. Save it as XLSX or CSV and import that."),
                     name);
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                     _("The file “%s” is a Word 97–2003 document (.doc), which Tessera cannot "
                       "read. Save it as DOCX or ODT and import that."),
                     name);
      return;
    }

  if (has_prefix (bytes, length, "PK", 2))
    {
      switch (sniff_zip (data))
        {
        case ZIP_ODS:
          g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                       _("The file “%s” is an OpenDocument spreadsheet (ODS). Save it as XLSX "
                         "or CSV and import that."),
                       name);
          return;
        case ZIP_PRESENTATION:
          g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                       _("The file “%s” is a presentation; Tessera imports documents and "
                         "spreadsheets. Save the text as DOCX or ODT and import that."),
                       name);
          return;
        case ZIP_DAMAGED:
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The file “%s” is a damaged zip archive and cannot be read"), name);
          return;
        case ZIP_OTHER:
        default:
          g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                       _("The file “%s” is a zip archive, not a document. Unpack it and import "
                         "the documents inside."),
                       name);
          return;
        }
    }

  g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
               _("The file “%s” is an image, not a document with text. Run it through text "
                 "recognition (OCR) and import the result."),
               name);
}

/* Loading ------------------------------------------------------------------ */

static GBytes *
load_file (GFile         *file,
           const char    *name,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  if (tsr_import_check_cancelled (cancellable, error))
    return NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    goto unreadable;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                   _("The file “%s” cannot be read: it is a folder"), name);
      return NULL;
    }
  if (g_file_info_get_size (info) > (goffset) TSR_IMPORT_MAX_FILE_BYTES)
    {
      g_autofree char *size = g_format_size_full (g_file_info_get_size (info), G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (TSR_IMPORT_MAX_FILE_BYTES, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is too large to import (%s; the limit is %s)"),
                   name, size, limit);
      return NULL;
    }

  bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (bytes == NULL)
    goto unreadable;
  if (g_bytes_get_size (bytes) > TSR_IMPORT_MAX_FILE_BYTES)
    {
      g_bytes_unref (bytes);
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is too large to import"), name);
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_bytes_unref (bytes);
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE, _("The file “%s” is empty"), name);
      return NULL;
    }
  return bytes;

unreadable:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                 _("The file “%s” cannot be read: %s"), name, local_error->message);
  return NULL;
}

static gboolean
is_blank_text (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x200b && c != 0xfeff)
        return FALSE;
    }
  return TRUE;
}

static void
set_too_much_text_error (const char  *name,
                         GError     **error)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
               _("The file “%s” holds more than %u MB of text, more than one document "
                 "may hold. Split it into smaller files and import those."),
               name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
}

/* The text of a document file already loaded. */
static char *
extract_text (GBytes           *bytes,
              const char       *name,
              TsrImportFormat  *format_out,
              GCancellable     *cancellable,
              GError          **error)
{
  TsrImportFormat format = tsr_import_sniff (bytes, name);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = NULL;

  if (format_out != NULL)
    *format_out = format;

  switch (format)
    {
    case TSR_IMPORT_FORMAT_TEXT:
    case TSR_IMPORT_FORMAT_MARKDOWN:
      {
        g_autoptr(GError) local_error = NULL;

        text = tsr_decode_text (data, length, name, &local_error);
        /* Binary content under a document's name: say what it is not. */
        if (text == NULL && g_error_matches (local_error, TSR_ERROR, TSR_ERROR_BINARY_FILE) &&
            has_extension (name, "docx docm doc odt pdf xlsx xls csv htm html rtf"))
          {
            g_set_error (error, TSR_ERROR, TSR_ERROR_BINARY_FILE,
                         _("The file “%s” is damaged, or is not the kind of document its name "
                           "says; Tessera cannot read it"),
                         name);
            return NULL;
          }
        if (text == NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }
      }
      if (strlen (text) > TSR_IMPORT_MAX_TEXT_BYTES)
        {
          set_too_much_text_error (name, error);
          return NULL;
        }
      return g_steal_pointer (&text);

    case TSR_IMPORT_FORMAT_HTML:
      text = tsr_html_extract (data, length, TSR_IMPORT_MAX_TEXT_BYTES, name, error);
      break;

    case TSR_IMPORT_FORMAT_DOCX:
      text = tsr_docx_extract (bytes, name, cancellable, error);
      break;

    case TSR_IMPORT_FORMAT_ODT:
      if (looks_like_flat_odt (data, length))
        text = tsr_fodt_extract (bytes, name, cancellable, error);
      else
        text = tsr_odt_extract (bytes, name, cancellable, error);
      break;

    case TSR_IMPORT_FORMAT_PDF:
      text = tsr_pdf_extract (bytes, name, cancellable, error);
      break;

    case TSR_IMPORT_FORMAT_RTF:
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is in Rich Text Format. RTF is not supported; save it as "
                     "DOCX or ODT and import that."),
                   name);
      return NULL;

    case TSR_IMPORT_FORMAT_CSV:
    case TSR_IMPORT_FORMAT_XLSX:
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The file “%s” is a spreadsheet: import it choosing the column that holds "
                     "the text"),
                   name);
      return NULL;

    case TSR_IMPORT_FORMAT_UNKNOWN:
    default:
      set_unsupported_error (bytes, name, error);
      return NULL;
    }

  if (text == NULL)
    return NULL;
  if (is_blank_text (text))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The file “%s” holds no text"), name);
      return NULL;
    }
  return g_steal_pointer (&text);
}

static TsrImportTable *
extract_table (GBytes           *bytes,
               const char       *name,
               const char       *sheet,
               TsrImportFormat  *format_out,
               GCancellable     *cancellable,
               GError          **error)
{
  TsrImportFormat format = tsr_import_sniff (bytes, name);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (format_out != NULL)
    *format_out = format;

  if (format == TSR_IMPORT_FORMAT_CSV)
    {
      g_autofree char *text = tsr_decode_text (data, length, name, error);

      if (text == NULL)
        return NULL;
      if (strlen (text) > TSR_IMPORT_MAX_TEXT_BYTES)
        {
          set_too_much_text_error (name, error);
          return NULL;
        }
      return tsr_csv_parse (text, strlen (text), name, error);
    }
  if (format == TSR_IMPORT_FORMAT_XLSX)
    return tsr_xlsx_read (bytes, sheet, name, cancellable, error);

  g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
               _("The file “%s” is not a spreadsheet (CSV or XLSX)"), name);
  return NULL;
}

/**
 * tsr_import_detect_format:
 *
 * Returns: the file's format, told by its content
 */
TsrImportFormat
tsr_import_detect_format (GFile         *file,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), TSR_IMPORT_FORMAT_UNKNOWN);

  name = g_file_get_basename (file);
  bytes = load_file (file, name, cancellable, error);
  if (bytes == NULL)
    return TSR_IMPORT_FORMAT_UNKNOWN;
  return tsr_import_sniff (bytes, name);
}

/**
 * tsr_import_read_text:
 * @format: (out) (optional): the format found
 *
 * Reads a document file (text, Markdown, HTML, DOCX, ODT, PDF) into the
 * form documents are stored in.
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 */
char *
tsr_import_read_text (GFile            *file,
                      TsrImportFormat  *format,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (format != NULL)
    *format = TSR_IMPORT_FORMAT_UNKNOWN;
  name = g_file_get_basename (file);
  bytes = load_file (file, name, cancellable, error);
  if (bytes == NULL)
    return NULL;
  return extract_text (bytes, name, format, cancellable, error);
}

/**
 * tsr_import_read_table:
 * @sheet: (nullable): for a workbook, the sheet to read; %NULL for the
 *   first visible one
 *
 * Reads a CSV or XLSX file: the headers, every row and each column's
 * inferred type, for the import dialog's preview and for the import.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
TsrImportTable *
tsr_import_read_table (GFile         *file,
                       const char    *sheet,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_basename (file);
  bytes = load_file (file, name, cancellable, error);
  if (bytes == NULL)
    return NULL;
  return extract_table (bytes, name, sheet, NULL, cancellable, error);
}

/* Items ------------------------------------------------------------------- */

typedef struct
{
  char     *name;
  char     *text;
  char     *hash;
  guint     row;            /* the table row, for spreadsheets */
  gboolean  imported;
  gboolean  duplicate;
  char     *duplicate_of;
  gint64    id;
} PreparedDocument;

static void
prepared_document_free (gpointer data)
{
  PreparedDocument *d = data;

  g_free (d->name);
  g_free (d->text);
  g_free (d->hash);
  g_free (d->duplicate_of);
  g_free (d);
}

struct _TsrImportItem
{
  GObject          parent_instance;

  GFile           *file;
  char            *display_name;
  TsrImportFormat  format;
  TsrImportStatus  status;
  GError          *error;

  /* Spreadsheet choices */
  char            *sheet;
  gint             text_column;
  gint             id_column;
  char            *text_column_name;
  char            *id_column_name;

  /* What reading found */
  GPtrArray       *documents;     /* of PreparedDocument */
  TsrImportTable  *table;
  gint             used_text_column;
  gint             used_id_column;
  /* Row numbers were asked for: no id column is guessed. */
  gboolean         row_numbers;
  guint            n_skipped_rows;
};

G_DEFINE_FINAL_TYPE (TsrImportItem, tsr_import_item, G_TYPE_OBJECT)

static void
tsr_import_item_finalize (GObject *object)
{
  TsrImportItem *self = TSR_IMPORT_ITEM (object);

  g_clear_object (&self->file);
  g_free (self->display_name);
  g_clear_error (&self->error);
  g_free (self->sheet);
  g_free (self->text_column_name);
  g_free (self->id_column_name);
  g_ptr_array_unref (self->documents);
  g_clear_object (&self->table);

  G_OBJECT_CLASS (tsr_import_item_parent_class)->finalize (object);
}

static void
tsr_import_item_class_init (TsrImportItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_import_item_finalize;
}

static void
tsr_import_item_init (TsrImportItem *self)
{
  self->documents = g_ptr_array_new_with_free_func (prepared_document_free);
  self->text_column = -1;
  self->id_column = -1;
  self->used_text_column = -1;
  self->used_id_column = -1;
}

GFile *
tsr_import_item_get_file (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->file;
}

const char *
tsr_import_item_get_display_name (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->display_name;
}

TsrImportFormat
tsr_import_item_get_format (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), TSR_IMPORT_FORMAT_UNKNOWN);
  return self->format;
}

TsrImportStatus
tsr_import_item_get_status (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), TSR_IMPORT_PENDING);
  return self->status;
}

/**
 * tsr_import_item_get_error:
 *
 * Returns: (nullable) (transfer none): why the file was not imported
 */
const GError *
tsr_import_item_get_error (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  return self->error;
}

static guint
count_documents (TsrImportItem *self,
                 gboolean       imported,
                 gboolean       duplicate)
{
  guint n = 0;

  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if ((imported && d->imported) || (duplicate && d->duplicate && !d->imported))
        n++;
    }
  return n;
}

/**
 * tsr_import_item_get_n_imported:
 *
 * Returns: how many documents the file gave (one, or one per row)
 */
guint
tsr_import_item_get_n_imported (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return count_documents (self, TRUE, FALSE);
}

/**
 * tsr_import_item_get_n_duplicates:
 *
 * Returns: how many of its documents were left out as duplicates
 */
guint
tsr_import_item_get_n_duplicates (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return count_documents (self, FALSE, TRUE);
}

/**
 * tsr_import_item_get_n_skipped_rows:
 *
 * Returns: for a spreadsheet, the rows left out for having no text in
 *   the text column
 */
guint
tsr_import_item_get_n_skipped_rows (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), 0);
  return self->n_skipped_rows;
}

/**
 * tsr_import_item_get_document_ids:
 *
 * Returns: (transfer full) (element-type gint64): the documents it added
 */
GArray *
tsr_import_item_get_document_ids (TsrImportItem *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), ids);
  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if (d->imported)
        g_array_append_val (ids, d->id);
    }
  return ids;
}

/**
 * tsr_import_item_get_duplicate_of:
 *
 * Returns: (nullable): for a duplicate, the name of the document it
 *   repeats
 */
const char *
tsr_import_item_get_duplicate_of (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  for (guint i = 0; i < self->documents->len; i++)
    {
      PreparedDocument *d = self->documents->pdata[i];

      if (d->duplicate && !d->imported)
        return d->duplicate_of;
    }
  return NULL;
}

/**
 * tsr_import_item_get_text_column:
 *
 * Returns: (nullable): for a spreadsheet read, the header of the column
 *   its documents' text came from
 */
const char *
tsr_import_item_get_text_column (TsrImportItem *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);
  if (self->table == NULL || self->used_text_column < 0)
    return NULL;
  return tsr_import_table_get_header (self->table, self->used_text_column);
}

/**
 * tsr_import_item_set_columns:
 * @text_column: the column holding the text, or -1 to guess it
 * @id_column: the column naming each document, or -1 for "Row N"
 *
 * Until columns are set, the text column is guessed and so is the one
 * naming the documents (a column headed "id" or "identifier").
 */
void
tsr_import_item_set_columns (TsrImportItem *self,
                             gint           text_column,
                             gint           id_column)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  self->text_column = text_column;
  self->id_column = id_column;
  self->row_numbers = id_column < 0;
  g_clear_pointer (&self->text_column_name, g_free);
  g_clear_pointer (&self->id_column_name, g_free);
}

/**
 * tsr_import_item_set_column_names:
 * @text_column: (nullable): a header or a column number from 1; %NULL to
 *   guess
 * @id_column: (nullable): a header or a column number, or %NULL to guess
 *   (a column headed "id" or "identifier", else "Row N")
 */
void
tsr_import_item_set_column_names (TsrImportItem *self,
                                  const char    *text_column,
                                  const char    *id_column)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  g_free (self->text_column_name);
  g_free (self->id_column_name);
  self->text_column_name = g_strdup (text_column);
  self->id_column_name = g_strdup (id_column);
  self->text_column = -1;
  self->id_column = -1;
  self->row_numbers = FALSE;
}

void
tsr_import_item_set_sheet (TsrImportItem *self,
                           const char    *sheet)
{
  g_return_if_fail (TSR_IS_IMPORT_ITEM (self));
  g_free (self->sheet);
  self->sheet = g_strdup (sheet);
}

/**
 * tsr_import_item_describe:
 *
 * Returns: (transfer full): one sentence on what happened to the file,
 *   for a summary
 */
char *
tsr_import_item_describe (TsrImportItem *self)
{
  guint n_imported, n_duplicates;
  g_autoptr(GString) s = g_string_new (NULL);
  gboolean table;

  g_return_val_if_fail (TSR_IS_IMPORT_ITEM (self), NULL);

  n_imported = tsr_import_item_get_n_imported (self);
  n_duplicates = tsr_import_item_get_n_duplicates (self);
  table = self->table != NULL;

  switch (self->status)
    {
    case TSR_IMPORT_PENDING:
      return g_strdup (_("Not read yet"));

    case TSR_IMPORT_READY:
      if (table)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row ready to import",
                                             "%u rows ready to import", self->documents->len),
                                self->documents->len);
      return g_strdup_printf (_("Ready to import (%s)"), tsr_import_format_get_name (self->format));

    case TSR_IMPORT_FAILED:
      return g_strdup (self->error ? self->error->message : _("Not imported"));

    case TSR_IMPORT_DUPLICATE:
      if (table)
        return g_strdup (_("Every row is already in the project; nothing was imported"));
      return g_strdup_printf (_("Not imported: the same text is already in “%s”"),
                              tsr_import_item_get_duplicate_of (self));

    case TSR_IMPORT_IMPORTED:
    default:
      if (table)
        {
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                  "Imported %u row from the column “%s”",
                                                  "Imported %u rows from the column “%s”",
                                                  n_imported),
                                  n_imported, tsr_import_item_get_text_column (self));
          if (self->n_skipped_rows > 0)
            g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                    "; %u row without text left out",
                                                    "; %u rows without text left out",
                                                    self->n_skipped_rows),
                                    self->n_skipped_rows);
          if (n_duplicates > 0)
            g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                    "; %u row already in the project left out",
                                                    "; %u rows already in the project left out",
                                                    n_duplicates),
                                    n_duplicates);
          return g_string_free (g_steal_pointer (&s), FALSE);
        }
      {
        PreparedDocument *d = self->documents->len > 0 ? self->documents->pdata[0] : NULL;

        return g_strdup_printf (_("Imported as “%s” · %s"), d ? d->name : "",
                                tsr_import_format_get_name (self->format));
      }
    }
}

static void
item_fail (TsrImportItem *self,
           GError        *error)   /* owned */
{
  g_clear_error (&self->error);
  self->error = error;
  self->status = TSR_IMPORT_FAILED;
}

static char *
document_name_from_file (const char *basename)
{
  const char *dot = strrchr (basename, '.');

  if (dot != NULL && dot != basename)
    return g_strndup (basename, dot - basename);
  return g_strdup (basename);
}

static char *
hash_text (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* A name from a cell: one line, trimmed, not too long. */
static char *
name_from_cell (const char *cell)
{
  g_autofree char *flat = g_strdup (cell);
  glong n;

  g_strdelimit (flat, "\t\n", ' ');
  g_strstrip (flat);
  n = g_utf8_strlen (flat, -1);
  if (n > MAX_NAME_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (flat, MAX_NAME_CHARS);

      *end = '\0';
    }
  return g_steal_pointer (&flat);
}

static gboolean
resolve_column (TsrImportItem   *self,
                const char      *name,
                gint             index,
                gint            *out,
                const char      *what,
                GError         **error)
{
  guint n = tsr_import_table_get_n_columns (self->table);

  if (name != NULL)
    {
      *out = tsr_import_table_find_column (self->table, name);
      if (*out < 0)
        {
          g_autoptr(GString) headers = g_string_new (NULL);

          for (guint c = 0; c < n; c++)
            g_string_append_printf (headers, c == 0 ? "“%s”" : ", “%s”",
                                    tsr_import_table_get_header (self->table, c));
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The spreadsheet “%s” has no column “%s” for the %s; its columns are %s"),
                       self->display_name, name, what, headers->str);
          return FALSE;
        }
      return TRUE;
    }
  if (index >= (gint) n)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The spreadsheet “%s” has no column %d for the %s"),
                   self->display_name, index + 1, what);
      return FALSE;
    }
  *out = index;
  return TRUE;
}

static void
read_table_item (TsrImportItem *self,
                 GBytes        *bytes,
                 GCancellable  *cancellable)
{
  GError *error = NULL;
  gint text_column = -1, id_column = -1;

  self->table = extract_table (bytes, self->display_name, self->sheet, &self->format,
                               cancellable, &error);
  if (self->table == NULL)
    {
      item_fail (self, error);
      return;
    }

  if (!resolve_column (self, self->text_column_name, self->text_column, &text_column,
                       _("text"), &error))
    {
      item_fail (self, error);
      return;
    }
  if (text_column < 0)
    text_column = tsr_import_table_guess_text_column (self->table);
  if ((self->id_column_name != NULL || self->id_column >= 0) &&
      !resolve_column (self, self->id_column_name, self->id_column, &id_column,
                       _("document names"), &error))
    {
      item_fail (self, error);
      return;
    }
  /* A survey's respondent id names its answers better than a row number. */
  if (id_column < 0 && self->id_column_name == NULL && !self->row_numbers)
    id_column = tsr_import_table_guess_id_column (self->table);
  if (id_column == text_column)
    id_column = -1;
  self->used_text_column = text_column;
  self->used_id_column = id_column;

  for (guint r = 0; r < tsr_import_table_get_n_rows (self->table); r++)
    {
      g_autofree char *text = g_strdup (tsr_import_table_get_cell (self->table, r, text_column));
      PreparedDocument *d;

      g_strstrip (text);
      if (is_blank_text (text))
        {
          self->n_skipped_rows++;
          continue;
        }

      d = g_new0 (PreparedDocument, 1);
      d->row = r;
      if (id_column >= 0)
        d->name = name_from_cell (tsr_import_table_get_cell (self->table, r, id_column));
      if (d->name == NULL || *d->name == '\0')
        {
          g_free (d->name);
          d->name = g_strdup_printf (_("Row %u"), tsr_import_table_get_row_number (self->table, r));
        }
      d->text = g_steal_pointer (&text);
      d->hash = hash_text (d->text);
      g_ptr_array_add (self->documents, d);
    }

  if (self->documents->len == 0)
    {
      item_fail (self, g_error_new (TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                                    _("The spreadsheet “%s” has no text in the column “%s”"),
                                    self->display_name,
                                    tsr_import_table_get_header (self->table, text_column)));
      return;
    }
  self->status = TSR_IMPORT_READY;
}

/* Reads the file; runs in any thread. */
static gboolean
read_item (TsrImportItem *self,
           GCancellable  *cancellable,
           GError       **cancel_error)
{
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  PreparedDocument *d;
  char *text;

  g_ptr_array_set_size (self->documents, 0);
  g_clear_object (&self->table);
  self->n_skipped_rows = 0;

  bytes = load_file (self->file, self->display_name, cancellable, &error);
  if (bytes == NULL)
    goto failed;

  self->format = tsr_import_sniff (bytes, self->display_name);
  if (tsr_import_format_is_table (self->format))
    read_table_item (self, bytes, cancellable);
  else
    {
      text = extract_text (bytes, self->display_name, &self->format, cancellable, &error);
      if (text == NULL)
        goto failed;
      d = g_new0 (PreparedDocument, 1);
      d->name = document_name_from_file (self->display_name);
      d->text = text;
      d->hash = hash_text (text);
      g_ptr_array_add (self->documents, d);
      self->status = TSR_IMPORT_READY;
    }

  if (self->status == TSR_IMPORT_FAILED &&
      g_error_matches (self->error, TSR_ERROR, TSR_ERROR_CANCELLED))
    {
      g_propagate_error (cancel_error, g_steal_pointer (&self->error));
      self->status = TSR_IMPORT_PENDING;
      return FALSE;
    }
  return TRUE;

failed:
  if (g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (cancel_error, TSR_ERROR, TSR_ERROR_CANCELLED,
                           _("The import was cancelled"));
      self->status = TSR_IMPORT_PENDING;
      return FALSE;
    }
  item_fail (self, error);
  return TRUE;
}

/* The importer --------------------------------------------------------------- */

struct _TsrImporter
{
  GObject     parent_instance;

  GListStore *items;
  gboolean    reading;
};

G_DEFINE_FINAL_TYPE (TsrImporter, tsr_importer, G_TYPE_OBJECT)

static void
tsr_importer_finalize (GObject *object)
{
  TsrImporter *self = TSR_IMPORTER (object);

  g_clear_object (&self->items);
  G_OBJECT_CLASS (tsr_importer_parent_class)->finalize (object);
}

static void
tsr_importer_class_init (TsrImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_importer_finalize;
}

static void
tsr_importer_init (TsrImporter *self)
{
  self->items = g_list_store_new (TSR_TYPE_IMPORT_ITEM);
}

TsrImporter *
tsr_importer_new (void)
{
  return g_object_new (TSR_TYPE_IMPORTER, NULL);
}

/**
 * tsr_importer_add_file:
 *
 * Returns: (transfer none): the file's item, to set spreadsheet choices
 *   on and to read the outcome from
 */
TsrImportItem *
tsr_importer_add_file (TsrImporter *self,
                       GFile       *file)
{
  g_autoptr(TsrImportItem) item = NULL;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!self->reading, NULL);

  item = g_object_new (TSR_TYPE_IMPORT_ITEM, NULL);
  item->file = g_object_ref (file);
  item->display_name = g_file_get_basename (file);
  if (item->display_name == NULL)
    item->display_name = g_file_get_uri (file);
  g_list_store_append (self->items, item);
  return item;
}

/**
 * tsr_importer_get_items:
 *
 * Returns: (transfer none): the #TsrImportItem of each file, in the order
 *   they were added
 */
GListModel *
tsr_importer_get_items (TsrImporter *self)
{
  g_return_val_if_fail (TSR_IS_IMPORTER (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
tsr_importer_count (TsrImporter     *self,
                    TsrImportStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (item->status == status)
        n++;
    }
  return n;
}

/**
 * tsr_importer_read:
 * @progress: (scope call) (nullable): called before each file
 *
 * Reads every file not read yet, in the calling thread; touches no
 * project, so it may run in a worker thread.  A file that cannot be
 * read is marked failed and the others are still read.
 *
 * Returns: %FALSE only when cancelled (%TSR_ERROR_CANCELLED)
 */
gboolean
tsr_importer_read (TsrImporter            *self,
                   GCancellable           *cancellable,
                   TsrImportProgressFunc   progress,
                   gpointer                user_data,
                   GError                **error)
{
  guint n;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (tsr_import_check_cancelled (cancellable, error))
        return FALSE;
      if (item->status != TSR_IMPORT_PENDING)
        continue;
      if (progress != NULL)
        progress (i, n, item->display_name, user_data);
      if (!read_item (item, cancellable, error))
        return FALSE;
    }
  if (progress != NULL)
    progress (n, n, NULL, user_data);
  return TRUE;
}

typedef struct
{
  gatomicrefcount        ref_count;
  TsrImportProgressFunc  func;
  gpointer               data;
  GDestroyNotify         destroy;
  GMainContext          *context;
} Progress;

typedef struct
{
  Progress *progress;
  guint     done;
  guint     total;
  char     *current;
} ProgressReport;

static Progress *
progress_ref (Progress *p)
{
  g_atomic_ref_count_inc (&p->ref_count);
  return p;
}

static void
progress_unref (Progress *p)
{
  if (g_atomic_ref_count_dec (&p->ref_count))
    {
      if (p->destroy != NULL)
        p->destroy (p->data);
      if (p->context != NULL)
        g_main_context_unref (p->context);
      g_free (p);
    }
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressReport *report = data;

  report->progress->func (report->done, report->total, report->current, report->progress->data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  progress_unref (report->progress);
  g_free (report->current);
  g_free (report);
}

/* In the worker: hands the report to the caller's main context. */
static void
report_progress (guint       done,
                 guint       total,
                 const char *current,
                 gpointer    user_data)
{
  Progress *p = user_data;
  ProgressReport *report;

  if (p->func == NULL)
    return;
  report = g_new0 (ProgressReport, 1);
  report->progress = progress_ref (p);
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (p->context, G_PRIORITY_DEFAULT, deliver_progress, report,
                              progress_report_free);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TsrImporter *self = source_object;
  GError *error = NULL;

  if (tsr_importer_read (self, cancellable, report_progress, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tsr_importer_read_async:
 * @progress: (nullable): called in the caller's main context before each
 *   file
 *
 * Reads the files in a worker thread.  Until the read finishes, do not
 * add files or look at the items.
 */
void
tsr_importer_read_async (TsrImporter           *self,
                         GCancellable          *cancellable,
                         TsrImportProgressFunc  progress,
                         gpointer               progress_data,
                         GDestroyNotify         progress_destroy,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Progress *p;

  g_return_if_fail (TSR_IS_IMPORTER (self));
  g_return_if_fail (!self->reading);

  p = g_new0 (Progress, 1);
  g_atomic_ref_count_init (&p->ref_count);
  p->func = progress;
  p->data = progress_data;
  p->destroy = progress_destroy;
  p->context = g_main_context_ref_thread_default ();

  self->reading = TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_importer_read_async);
  /* Cancellation is reported as TSR_ERROR_CANCELLED, like every error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, p, (GDestroyNotify) progress_unref);
  g_task_run_in_thread (task, read_thread);
}

gboolean
tsr_importer_read_finish (TsrImporter   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TSR_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->reading = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Committing ----------------------------------------------------------------- */

typedef struct
{
  /* content hash → the name of a document with that text */
  GHashTable *by_hash;
  /* "name\nhash" */
  GHashTable *by_name_and_hash;
} Known;

static void
known_add (Known      *known,
           const char *name,
           const char *hash)
{
  if (!g_hash_table_contains (known->by_hash, hash))
    g_hash_table_insert (known->by_hash, g_strdup (hash), g_strdup (name));
  g_hash_table_add (known->by_name_and_hash, g_strconcat (name, "\n", hash, NULL));
}

static const char *
known_duplicate (Known            *known,
                 TsrImportItem    *item,
                 PreparedDocument *d)
{
  if (item->table != NULL)
    {
      g_autofree char *key = g_strconcat (d->name, "\n", d->hash, NULL);

      return g_hash_table_contains (known->by_name_and_hash, key) ? d->name : NULL;
    }
  return g_hash_table_lookup (known->by_hash, d->hash);
}

static gboolean
attribute_accepts (TsrAttributeType existing,
                   TsrAttributeType column)
{
  return existing == column || existing == TSR_ATTRIBUTE_TEXT ||
         (existing == TSR_ATTRIBUTE_REAL && column == TSR_ATTRIBUTE_INTEGER);
}

static const char *
type_description (TsrAttributeType type)
{
  switch (type)
    {
    case TSR_ATTRIBUTE_INTEGER: return _("whole numbers");
    case TSR_ATTRIBUTE_REAL: return _("numbers");
    case TSR_ATTRIBUTE_BOOLEAN: return _("yes or no");
    case TSR_ATTRIBUTE_DATE: return _("dates");
    case TSR_ATTRIBUTE_TEXT:
    default:
      return _("text");
    }
}

/* Defines (or finds) the attributes of a spreadsheet's other columns and
 * sets the new documents' values. */
static gboolean
add_attributes (TsrImportItem  *item,
                TsrProject     *project,
                GPtrArray      *added,
                GError        **error)
{
  TsrImportTable *table = item->table;

  for (guint c = 0; c < tsr_import_table_get_n_columns (table); c++)
    {
      const char *header = tsr_import_table_get_header (table, c);
      TsrAttributeType type = tsr_import_table_get_column_type (table, c);
      g_autoptr(TsrAttribute) existing = NULL;
      gint64 attribute_id;

      if ((gint) c == item->used_text_column || (gint) c == item->used_id_column)
        continue;

      existing = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, header);
      if (existing != NULL)
        {
          TsrAttributeType existing_type = tsr_attribute_get_value_type (existing);

          if (!attribute_accepts (existing_type, type))
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The column “%s” of “%s” holds %s, but the project’s attribute "
                             "“%s” holds %s"),
                           header, item->display_name, type_description (type),
                           tsr_attribute_get_name (existing), type_description (existing_type));
              return FALSE;
            }
          attribute_id = tsr_entity_get_id (TSR_ENTITY (existing));
        }
      else
        {
          attribute_id = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS,
                                                       header, type, error);
          if (attribute_id == 0)
            return FALSE;
        }

      for (guint i = 0; i < added->len; i++)
        {
          PreparedDocument *d = added->pdata[i];
          g_autofree char *value = g_strdup (tsr_import_table_get_cell (table, d->row, c));

          g_strstrip (value);
          if (*value == '\0')
            continue;
          if (!tsr_project_set_attribute_value (project, attribute_id, d->id, value, error))
            {
              g_prefix_error (error, _("“%s”, row %u: "), item->display_name,
                              tsr_import_table_get_row_number (table, d->row));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Adds one file's documents as one edit; on failure nothing of the file
 * stays in the project. */
static gboolean
commit_item (TsrImportItem  *item,
             TsrProject     *project,
             GPtrArray      *to_add,
             GError        **error)
{
  g_autofree char *description = g_strdup_printf (_("Import “%s”"), item->display_name);
  g_autofree char *source = g_file_get_path (item->file);
  gboolean ok = TRUE;

  if (source == NULL)
    source = g_file_get_uri (item->file);

  if (!_tsr_project_op_begin (project, TSR_CHANGE_DOCUMENTS | TSR_CHANGE_ATTRIBUTES,
                              "document.import", g_strdup (description), error))
    return FALSE;

  for (guint i = 0; ok && i < to_add->len; i++)
    {
      PreparedDocument *d = to_add->pdata[i];

      d->id = tsr_project_add_document (project, d->name, d->text, source, error);
      ok = d->id > 0;
    }
  if (ok && item->table != NULL)
    ok = add_attributes (item, project, to_add, error);

  if (!_tsr_project_op_end (project, ok, ok ? error : NULL) || !ok)
    {
      for (guint i = 0; i < to_add->len; i++)
        ((PreparedDocument *) to_add->pdata[i])->id = 0;
      return FALSE;
    }
  return TRUE;
}

static void
update_status (TsrImportItem *item)
{
  if (item->status == TSR_IMPORT_FAILED || item->status == TSR_IMPORT_PENDING)
    return;
  if (count_documents (item, TRUE, FALSE) > 0)
    item->status = TSR_IMPORT_IMPORTED;
  else if (count_documents (item, FALSE, TRUE) > 0)
    item->status = TSR_IMPORT_DUPLICATE;
}

/**
 * tsr_importer_commit:
 * @project: the project to add the documents to; call from its thread
 * @include_duplicates: also add the documents found to be duplicates
 *   (by an earlier commit)
 *
 * Adds the documents read.  Each file is one edit — if any part of it
 * fails, nothing of it is added and its item says why — and all files
 * together are one step to undo.  Without @include_duplicates, a
 * document whose text is already in the project or earlier in the
 * batch is marked a duplicate and left out.
 *
 * Returns: the number of documents added; 0 with @error set only when
 *   the project itself could not be written
 */
guint
tsr_importer_commit (TsrImporter  *self,
                     TsrProject   *project,
                     gboolean      include_duplicates,
                     GError      **error)
{
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) plan_items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) label = NULL;
  Known known;
  guint n_items, n_files = 0, n_added = 0;
  GError *group_error = NULL;

  g_return_val_if_fail (TSR_IS_IMPORTER (self), 0);
  g_return_val_if_fail (TSR_IS_PROJECT (project), 0);
  g_return_val_if_fail (!self->reading, 0);

  known.by_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  known.by_name_and_hash = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  documents = tsr_project_get_documents (project);
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) doc = g_list_model_get_item (documents, i);

      known_add (&known, tsr_document_get_name (doc), tsr_document_get_content_hash (doc));
    }

  /* First decide, without writing, what each file adds. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_autoptr(GPtrArray) to_add = g_ptr_array_new ();

      if (item->status != TSR_IMPORT_READY && item->status != TSR_IMPORT_IMPORTED &&
          item->status != TSR_IMPORT_DUPLICATE)
        continue;

      for (guint k = 0; k < item->documents->len; k++)
        {
          PreparedDocument *d = item->documents->pdata[k];
          const char *original;

          if (d->imported || (d->duplicate && !include_duplicates))
            continue;
          original = include_duplicates ? NULL : known_duplicate (&known, item, d);
          if (original != NULL)
            {
              d->duplicate = TRUE;
              g_free (d->duplicate_of);
              d->duplicate_of = g_strdup (original);
              continue;
            }
          g_ptr_array_add (to_add, d);
          known_add (&known, d->name, d->hash);
        }

      if (to_add->len > 0)
        {
          g_ptr_array_add (plans, g_steal_pointer (&to_add));
          g_ptr_array_add (plan_items, g_object_ref (item));
        }
      update_status (item);
    }

  g_hash_table_unref (known.by_hash);
  g_hash_table_unref (known.by_name_and_hash);

  if (plans->len == 0)
    return 0;

  label = g_string_new (NULL);
  if (plans->len == 1)
    g_string_printf (label, _("Import “%s”"),
                     tsr_import_item_get_display_name (plan_items->pdata[0]));
  else
    g_string_printf (label, g_dngettext (GETTEXT_PACKAGE, "Import %u file", "Import %u files",
                                         plans->len),
                     plans->len);

  tsr_project_begin_group (project, label->str);
  for (guint i = 0; i < plans->len; i++)
    {
      TsrImportItem *item = plan_items->pdata[i];
      GPtrArray *to_add = plans->pdata[i];
      GError *item_error = NULL;

      if (!commit_item (item, project, to_add, &item_error))
        {
          item_fail (item, item_error);
          continue;
        }
      n_files++;
      for (guint k = 0; k < to_add->len; k++)
        {
          PreparedDocument *d = to_add->pdata[k];

          d->imported = TRUE;
          d->duplicate = FALSE;
          n_added++;
        }
      update_status (item);
    }

  if (!tsr_project_end_group (project, &group_error))
    {
      /* The whole batch is gone: say so on every file it held. */
      for (guint i = 0; i < plans->len; i++)
        {
          TsrImportItem *item = plan_items->pdata[i];
          GPtrArray *to_add = plans->pdata[i];

          for (guint k = 0; k < to_add->len; k++)
            {
              PreparedDocument *d = to_add->pdata[k];

              d->imported = FALSE;
              d->id = 0;
            }
          if (item->status != TSR_IMPORT_FAILED)
            item_fail (item, g_error_copy (group_error));
        }
      g_propagate_error (error, group_error);
      return 0;
    }

  return n_added;
}

/**
 * tsr_project_import_files:
 * @files: (array length=n_files): the files
 *
 * Reads the files and adds their documents to @project in one undoable
 * step, leaving duplicates out: tsr_importer_read() then
 * tsr_importer_commit().  Spreadsheets use their guessed text column.
 *
 * Returns: (transfer full): the importer, whose items tell what happened
 *   to each file; %NULL with @error set when cancelled or when the
 *   project could not be written
 */
TsrImporter *
tsr_project_import_files (TsrProject    *project,
                          GFile        **files,
                          guint          n_files,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  GError *local_error = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  for (guint i = 0; i < n_files; i++)
    tsr_importer_add_file (importer, files[i]);
  if (!tsr_importer_read (importer, cancellable, NULL, NULL, error))
    return NULL;
  tsr_importer_commit (importer, project, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&importer);
}
