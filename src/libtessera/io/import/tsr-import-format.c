/* tsr-import-format.c — the formats an import reads
 *
 * The formats' names and file patterns, telling a file's format from its
 * content (sniffing), and loading a file and turning its bytes into text
 * or a table with the reader for its format (tsr-import-<format>.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-project-private.h"
#include "tsr-text-import.h"

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

/* Why a file that is not a regular file cannot be imported, or NULL. */
static const char *
not_a_file_reason (mode_t mode)
{
  if (S_ISREG (mode))
    return NULL;
  if (S_ISDIR (mode))
    return _("it is a folder");
  if (S_ISFIFO (mode))
    return _("it is a named pipe (FIFO), not a file");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("it is a device, not a file");
  if (S_ISSOCK (mode))
    return _("it is a socket, not a file");
  return _("it is not a regular file");
}

static void
set_open_error (GError     **error,
                const char  *name,
                int          saved_errno)
{
  if (saved_errno == ELOOP)
    g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                 _("The file “%s” cannot be read: it is a symbolic link that leads round in a loop"), name);
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                 _("The file “%s” cannot be read: %s"), name, g_strerror (saved_errno));
}

/* A file on another machine (a GVfs URI): its type from GIO. */
static GInputStream *
open_remote_file (GFile         *file,
                  const char    *name,
                  goffset       *size,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  GInputStream *stream;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info != NULL && g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("The file “%s” cannot be read: %s"), name,
                   g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY
                     ? _("it is a folder") : _("it is not a regular file"));
      return NULL;
    }
  if (info == NULL ||
      !(stream = G_INPUT_STREAM (g_file_read (file, cancellable, &local_error))))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                     _("The file “%s” cannot be read: %s"), name, local_error->message);
      return NULL;
    }
  *size = g_file_info_get_size (info);
  return stream;
}

static GInputStream *
open_file (GFile         *file,
           const char    *name,
           goffset       *size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = NULL;
  const char *reason;
  struct stat st;
  int fd, flags;

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
      return NULL;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    return open_remote_file (file, name, size, cancellable, error);

  /* Looked at before it is opened: opening some devices does things. */
  if (stat (path, &st) != 0)
    {
      set_open_error (error, name, errno);
      return NULL;
    }
  if ((reason = not_a_file_reason (st.st_mode)) != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("The file “%s” cannot be read: %s"), name, reason);
      return NULL;
    }

  /* Non-blocking, so that a pipe put in its place meanwhile does not
   * wait for a writer; then looked at again, as opened. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    {
      set_open_error (error, name, errno);
      return NULL;
    }
  if (fstat (fd, &st) != 0 || (reason = not_a_file_reason (st.st_mode)) != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("The file “%s” cannot be read: %s"), name,
                   reason ? reason : g_strerror (errno));
      close (fd);
      return NULL;
    }
  flags = fcntl (fd, F_GETFL);
  if (flags != -1)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);

  *size = st.st_size;
  return g_unix_input_stream_new (fd, TRUE);
}

/**
 * tsr_import_open_file:
 * @file: the file to read
 * @size: (out): its size in bytes
 *
 * Opens a file to be imported, refusing at once, before a byte is read,
 * whatever is not a regular file: a named pipe (whose reader waits for a
 * writer, or reads for ever), a device such as /dev/zero (endless), a
 * socket, a folder, a symbolic link that leads round in a loop.  The
 * checks are made on the file opened (fstat ()), so a file swapped for
 * another after the check is not read either; opening does not wait for
 * a pipe's writer.
 *
 * Returns: (transfer full): a stream on the file, or %NULL with @error
 *   set to a message naming it (%TSR_ERROR_UNREADABLE)
 */
GInputStream *
tsr_import_open_file (GFile         *file,
                      goffset       *size,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (size != NULL, NULL);

  name = g_file_get_basename (file);
  return open_file (file, name, size, cancellable, error);
}

GBytes *
_tsr_import_load_file (GFile         *file,
                       const char    *name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *data = NULL;
  goffset size = 0;
  gsize capacity, length = 0;

  if (tsr_import_check_cancelled (cancellable, error))
    return NULL;

  stream = open_file (file, name, &size, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* The limit is checked before anything is read. */
  if (size > (goffset) TSR_IMPORT_MAX_FILE_BYTES)
    {
      g_autofree char *size_text = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (TSR_IMPORT_MAX_FILE_BYTES, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is too large to import (%s; the limit is %s)"),
                   name, size_text, limit);
      return NULL;
    }

  /* Read up to one byte past the limit, in case the file grew. */
  capacity = (gsize) size + 1;
  data = g_malloc (capacity);
  for (;;)
    {
      gsize got = 0;

      if (length == capacity)
        {
          if (capacity > TSR_IMPORT_MAX_FILE_BYTES)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("The file “%s” is too large to import"), name);
              return NULL;
            }
          capacity = MIN (capacity * 2, (gsize) TSR_IMPORT_MAX_FILE_BYTES + 1);
          data = g_realloc (data, capacity);
        }
      if (!g_input_stream_read_all (stream, data + length, capacity - length, &got, cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
          else
            g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                         _("The file “%s” cannot be read: %s"), name, local_error->message);
          return NULL;
        }
      length += got;
      if (length < capacity)
        break;
    }

  if (length == 0)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE, _("The file “%s” is empty"), name);
      return NULL;
    }
  return g_bytes_new_take (g_realloc (g_steal_pointer (&data), length), length);
}

gboolean
_tsr_import_is_blank_text (const char *text)
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
char *
_tsr_import_extract_text (GBytes           *bytes,
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
  if (_tsr_import_is_blank_text (text))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The file “%s” holds no text"), name);
      return NULL;
    }
  return g_steal_pointer (&text);
}

TsrImportTable *
_tsr_import_extract_table (GBytes           *bytes,
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
  bytes = _tsr_import_load_file (file, name, cancellable, error);
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
  bytes = _tsr_import_load_file (file, name, cancellable, error);
  if (bytes == NULL)
    return NULL;
  return _tsr_import_extract_text (bytes, name, format, cancellable, error);
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
  bytes = _tsr_import_load_file (file, name, cancellable, error);
  if (bytes == NULL)
    return NULL;
  return _tsr_import_extract_table (bytes, name, sheet, NULL, cancellable, error);
}
