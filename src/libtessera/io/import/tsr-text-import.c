/* tsr-text-import.c — plain text and Markdown decoding
 *
 * A researcher's corpus arrives as whatever their word processor, survey
 * tool or transcription service wrote: UTF-8 with and without a byte
 * order mark, UTF-16 from Windows "Unicode" text, and Windows-1252 from
 * older tools.  This unit turns those bytes into the one form a document
 * is stored in: valid UTF-8 with "\n" line ends.
 *
 * Two things are deliberately left alone:
 *
 *  - Markdown is imported as its source, markup and all.  The researcher
 *    wrote or exported the file as they see it in their editor, quotes
 *    from it must match that text, and stripping markup would lose the
 *    emphasis and headings that often carry meaning in a transcript.
 *
 *  - The text is not normalised to NFC (or any other form).  Segments are
 *    character offsets into the text, and the text must be the one the
 *    user sees in the file: composing "e" + U+0301 into "é" would shift
 *    every offset after it and make coded passages disagree with exports
 *    and with REFI-QDA partners, which read the file as written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-text-import.h"

/* How much of the text the control-character sniffing looks at, and what
 * share of control characters makes it "not text".  Real prose has none
 * besides tabs and line ends; terminal logs with colour escapes stay well
 * under a tenth, binary formats are far above it. */
#define SNIFF_BYTES        8192
#define MAX_CONTROL_RATIO  0.10

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

typedef enum
{
  ENCODING_UTF8,
  ENCODING_UTF16LE,
  ENCODING_UTF16BE,
  ENCODING_UTF32LE,
  ENCODING_UTF32BE,
} Encoding;

static void
set_binary_error (GError     **error,
                  const char  *display_name)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_BINARY_FILE,
               _("The file “%s” is not a text file"), display_name);
}

/* Returns the encoding a byte order mark announces and the BOM's length,
 * or UTF-8 with no BOM.  UTF-32 LE's mark starts with UTF-16 LE's: a
 * UTF-16 text starting with U+0000 would be refused as binary anyway, so
 * the longer match wins. */
static Encoding
sniff_bom (const guint8 *data,
           gsize         length,
           gsize        *bom_length)
{
  static const struct {
    const char *bom;
    gsize       length;
    Encoding    encoding;
  } marks[] = {
    { "\xff\xfe\x00\x00", 4, ENCODING_UTF32LE },
    { "\x00\x00\xfe\xff", 4, ENCODING_UTF32BE },
    { "\xef\xbb\xbf", 3, ENCODING_UTF8 },
    { "\xff\xfe", 2, ENCODING_UTF16LE },
    { "\xfe\xff", 2, ENCODING_UTF16BE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    if (length >= marks[i].length && memcmp (data, marks[i].bom, marks[i].length) == 0)
      {
        *bom_length = marks[i].length;
        return marks[i].encoding;
      }

  *bom_length = 0;
  return ENCODING_UTF8;
}

static const char *
encoding_name (Encoding encoding)
{
  switch (encoding)
    {
    case ENCODING_UTF16LE: return "UTF-16LE";
    case ENCODING_UTF16BE: return "UTF-16BE";
    case ENCODING_UTF32LE: return "UTF-32LE";
    case ENCODING_UTF32BE: return "UTF-32BE";
    case ENCODING_UTF8:
    default:
      return "UTF-8";
    }
}

/* The five bytes Windows-1252 leaves undefined.  iconv refuses them; we
 * decode each to U+FFFD instead of refusing the whole file, because a
 * stray byte in an otherwise readable essay should not cost the
 * researcher the essay, and a visible "�" (one character for one byte, so
 * nothing else shifts) shows them exactly where to look.  Mapping them to
 * the invisible C1 controls U+0081… as the WHATWG decoder does would hide
 * the damage and trip the control-character check. */
static inline gboolean
is_cp1252_undefined (guint8 byte)
{
  return byte == 0x81 || byte == 0x8d || byte == 0x8f || byte == 0x90 || byte == 0x9d;
}

static char *
decode_cp1252 (const guint8  *data,
               gsize          length,
               const char    *display_name,
               GError       **error)
{
  g_autoptr(GString) out = g_string_sized_new (length + length / 8 + 1);
  gsize run_start = 0;

  for (gsize i = 0; i <= length; i++)
    {
      if (i < length && !is_cp1252_undefined (data[i]))
        continue;

      if (i > run_start)
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *converted = NULL;
          gsize written = 0;

          converted = g_convert ((const char *) data + run_start, i - run_start,
                                 "UTF-8", "WINDOWS-1252", NULL, &written, &local_error);
          if (converted == NULL)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("The file “%s” is neither UTF-8 nor Windows-1252 text (%s). "
                             "Save it as UTF-8 and import it again."),
                           display_name, local_error->message);
              return NULL;
            }
          g_string_append_len (out, converted, written);
        }

      if (i < length)
        g_string_append (out, REPLACEMENT_CHARACTER);
      run_start = i + 1;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
decode_unicode (const guint8  *data,
                gsize          length,
                Encoding       encoding,
                const char    *display_name,
                gsize         *decoded_length,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *converted;

  converted = g_convert ((const char *) data, length, "UTF-8", encoding_name (encoding),
                         NULL, decoded_length, &local_error);
  if (converted == NULL)
    {
      /* A byte order mark followed by something that does not decode is
       * a damaged file (truncated, or a lone surrogate), not a different
       * encoding we could try instead. */
      g_set_error (error, TSR_ERROR, TSR_ERROR_BINARY_FILE,
                   _("The file “%s” starts like %s text but is damaged (%s)"),
                   display_name, encoding_name (encoding), local_error->message);
      return NULL;
    }

  return converted;
}

static inline gboolean
is_control (gunichar c)
{
  if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
    return FALSE;

  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

/* @text is valid UTF-8 of @length bytes with no NUL. */
static gboolean
looks_binary (const char *text,
              gsize       length)
{
  const char *end = text + MIN (length, SNIFF_BYTES);
  guint n_chars = 0;
  guint n_control = 0;

  /* The sniffed window may end inside a multi-byte character: stop at
   * the last whole one. */
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (p + g_unichar_to_utf8 (c, NULL) > end)
        break;

      n_chars++;
      if (is_control (c))
        n_control++;
    }

  return n_chars > 0 && (double) n_control / n_chars > MAX_CONTROL_RATIO;
}

/* CRLF and lone CR (classic Mac OS, some transcription tools) become LF
 * in place; the text only shrinks. */
static void
normalize_line_ends (char *text)
{
  char *w = text;

  for (const char *r = text; *r != '\0'; r++)
    {
      if (*r == '\r')
        {
          *w++ = '\n';
          if (r[1] == '\n')
            r++;
        }
      else
        *w++ = *r;
    }

  *w = '\0';
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A zero-width space or a stray BOM inside the text shows nothing
       * either. */
      if (!g_unichar_isspace (c) && c != 0x200b && c != 0xfeff)
        return FALSE;
    }

  return TRUE;
}

/**
 * tsr_decode_text:
 * @data: (array length=length): the bytes of a plain-text or Markdown file
 * @length: the number of bytes in @data
 * @display_name: the file's name as the user knows it, for messages
 * @error: return location for a #GError
 *
 * Decodes a text file into the form documents are stored in.
 *
 * A UTF-8, UTF-16 or UTF-32 byte order mark decides the encoding and is
 * dropped.  Without one, the bytes are UTF-8 when they are valid UTF-8
 * and Windows-1252 otherwise; the five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD, one character each.  CRLF
 * and lone CR become LF.  Markdown keeps its markup, and the text is not
 * Unicode-normalised, so character offsets match the file as the user
 * sees it.
 *
 * A file holding a NUL byte, or whose first 8 KiB are more than a tenth
 * control characters, fails with %TSR_ERROR_BINARY_FILE; a file with
 * nothing but white space fails with %TSR_ERROR_EMPTY_FILE.
 *
 * Returns: (transfer full): the text as UTF-8, or %NULL with @error set
 */
char *
tsr_decode_text (const char  *data,
                 gsize        length,
                 const char  *display_name,
                 GError     **error)
{
  const guint8 *bytes = (const guint8 *) data;
  g_autofree char *text = NULL;
  Encoding encoding;
  gsize bom_length;
  gsize decoded_length = 0;
  gsize text_length;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  encoding = sniff_bom (bytes, length, &bom_length);
  bytes += bom_length;
  length -= bom_length;

  if (encoding == ENCODING_UTF8)
    {
      /* In UTF-8 and Windows-1252 alike a zero byte is U+0000, which no
       * text file holds; UTF-16 and UTF-32 are checked once decoded. */
      if (memchr (bytes, '\0', length) != NULL)
        {
          set_binary_error (error, display_name);
          return NULL;
        }

      decoded_length = length;
      if (g_utf8_validate_len ((const char *) bytes, length, NULL))
        text = g_strndup ((const char *) bytes, length);
      else if (bom_length > 0)
        {
          /* The mark makes the encoding certain, so an invalid byte is
           * local damage: show it as U+FFFD rather than lose the file. */
          text = g_utf8_make_valid ((const char *) bytes, length);
          decoded_length = strlen (text);
        }
      else
        {
          text = decode_cp1252 (bytes, length, display_name, error);
          decoded_length = text ? strlen (text) : 0;
        }
    }
  else
    text = decode_unicode (bytes, length, encoding, display_name, &decoded_length, error);

  if (text == NULL)
    return NULL;

  text_length = strlen (text);
  if (text_length != decoded_length)
    {
      /* U+0000 from a UTF-16 or UTF-32 file: no text holds one. */
      set_binary_error (error, display_name);
      return NULL;
    }

  if (looks_binary (text, text_length))
    {
      set_binary_error (error, display_name);
      return NULL;
    }

  normalize_line_ends (text);

  if (is_blank (text))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The file “%s” is empty"), display_name);
      return NULL;
    }

  return g_steal_pointer (&text);
}
