/* tsr-export-zip.c — the zip containers of DOCX and ODT
 *
 * Written here rather than by a zip library, because an ODF package has
 * rules a general writer does not keep: its "mimetype" member comes
 * first, stored, with no extra field and no data descriptor, so that a
 * reader (or `file`) finds the media type at byte 38.  Every member is
 * written whole with its sizes and CRC in its local header (no data
 * descriptors, no extra fields, no Zip64: members are far below 4 GiB),
 * deflated with zlib through GZlibCompressor unless stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

typedef struct
{
  char    *name;
  guint32  crc;
  guint32  compressed;
  guint32  size;
  guint16  method;
  guint16  flags;
  guint32  offset;
} Member;

struct _TsrZip
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GArray        *members;         /* Member */
  guint64        offset;
  guint16        dos_time;
  guint16        dos_date;
  gboolean       finished;
  int            level;           /* zlib's compression level */
};

static void
member_clear (gpointer data)
{
  g_free (((Member *) data)->name);
}

/* CRC-32 (ISO 3309), as zip wants it, from zlib. */
static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  while (len > 0)
    {
      uInt chunk = (uInt) MIN (len, (gsize) G_MAXUINT32);

      crc = crc32 (crc, data, chunk);
      data += chunk;
      len -= chunk;
    }
  return (guint32) crc;
}

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint8 bytes[2] = { value & 0xFF, value >> 8 };

  g_byte_array_append (out, bytes, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 bytes[4] = { value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, value >> 24 };

  g_byte_array_append (out, bytes, 4);
}

static gboolean
write_bytes (TsrZip      *zip,
             const void  *data,
             gsize        len,
             GError     **error)
{
  if (!g_output_stream_write_all (zip->stream, data, len, NULL, zip->cancellable, error))
    return FALSE;
  zip->offset += len;
  return TRUE;
}

static TsrZip *
zip_new (GOutputStream  *stream,
         GCancellable   *cancellable,
         int             level)
{
  TsrZip *zip = g_new0 (TsrZip, 1);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (_tsr_export_timestamp ());
  int year = when ? g_date_time_get_year (when) : 1980;

  zip->stream = g_object_ref (stream);
  zip->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  zip->members = g_array_new (FALSE, FALSE, sizeof (Member));
  zip->level = level;
  g_array_set_clear_func (zip->members, member_clear);

  /* MS-DOS time: from 1980, in two-second steps. */
  if (when == NULL || year < 1980)
    zip->dos_date = (1 << 5) | 1;
  else
    {
      zip->dos_date = ((MIN (year, 2107) - 1980) << 9) | (g_date_time_get_month (when) << 5) |
                      g_date_time_get_day_of_month (when);
      zip->dos_time = (g_date_time_get_hour (when) << 11) | (g_date_time_get_minute (when) << 5) |
                      (g_date_time_get_second (when) / 2);
    }
  return zip;
}

TsrZip *
_tsr_zip_new (GOutputStream  *stream,
              GCancellable   *cancellable,
              GError        **error)
{
  return zip_new (stream, cancellable, 9);
}

/**
 * _tsr_zip_new_fast:
 *
 * A container whose entries are deflated at zlib's fastest level, for
 * one of many megabytes (a REFI-QDA project) where the time matters more
 * than the last few percent of size.
 */
TsrZip *
_tsr_zip_new_fast (GOutputStream  *stream,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return zip_new (stream, cancellable, 1);
}

static GBytes *
deflate_bytes (GBytes  *data,
               int      level,
               GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, level);
  GByteArray *out = g_byte_array_new ();
  gsize len;
  const guint8 *in = g_bytes_get_data (data, &len);
  guint8 buffer[16384];
  GConverterResult result;

  do
    {
      gsize read = 0, written = 0;

      result = g_converter_convert (G_CONVERTER (compressor), in, len, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        {
          g_byte_array_unref (out);
          return NULL;
        }
      g_byte_array_append (out, buffer, written);
      in += read;
      len -= read;
    }
  while (result != G_CONVERTER_FINISHED);
  return g_byte_array_free_to_bytes (out);
}

/**
 * _tsr_zip_add:
 * @store: store the entry uncompressed (an ODF package's mimetype)
 *
 * Adds a file to the container: its local header with its sizes and
 * CRC, and its data.
 */
gboolean
_tsr_zip_add (TsrZip      *zip,
              const char  *name,
              GBytes      *data,
              gboolean     store,
              GError     **error)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GBytes) body = NULL;
  Member member = { 0 };
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  gboolean ascii = TRUE;

  if (g_cancellable_set_error_if_cancelled (zip->cancellable, error))
    return FALSE;
  if (len > G_MAXUINT32 / 2 || zip->offset > G_MAXUINT32 / 2)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The document is too large to write"));
      return FALSE;
    }

  body = store ? g_bytes_ref (data) : deflate_bytes (data, zip->level, error);
  if (body == NULL)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      ascii = FALSE;

  member.name = g_strdup (name);
  member.crc = crc32_of (bytes, len);
  member.size = len;
  member.compressed = g_bytes_get_size (body);
  member.method = store ? 0 : 8;
  member.flags = ascii ? 0 : 0x0800;          /* bit 11: the name is UTF-8 */
  member.offset = zip->offset;

  put32 (header, 0x04034b50);
  put16 (header, 20);                          /* version needed: 2.0 */
  put16 (header, member.flags);
  put16 (header, member.method);
  put16 (header, zip->dos_time);
  put16 (header, zip->dos_date);
  put32 (header, member.crc);
  put32 (header, member.compressed);
  put32 (header, member.size);
  put16 (header, strlen (name));
  put16 (header, 0);                           /* no extra field */
  g_byte_array_append (header, (const guint8 *) name, strlen (name));

  g_array_append_val (zip->members, member);
  return write_bytes (zip, header->data, header->len, error) &&
         write_bytes (zip, g_bytes_get_data (body, NULL), g_bytes_get_size (body), error);
}

/* Writes the central directory; the container is complete after this. */
gboolean
_tsr_zip_finish (TsrZip  *zip,
                 GError **error)
{
  g_autoptr(GByteArray) directory = g_byte_array_new ();
  guint64 start = zip->offset;

  zip->finished = TRUE;
  for (guint i = 0; i < zip->members->len; i++)
    {
      Member *m = &g_array_index (zip->members, Member, i);

      put32 (directory, 0x02014b50);
      put16 (directory, (3 << 8) | 20);        /* made by: Unix, zip 2.0 */
      put16 (directory, 20);
      put16 (directory, m->flags);
      put16 (directory, m->method);
      put16 (directory, zip->dos_time);
      put16 (directory, zip->dos_date);
      put32 (directory, m->crc);
      put32 (directory, m->compressed);
      put32 (directory, m->size);
      put16 (directory, strlen (m->name));
      put16 (directory, 0);                    /* extra field */
      put16 (directory, 0);                    /* comment */
      put16 (directory, 0);                    /* disk */
      put16 (directory, 0);                    /* internal attributes */
      put32 (directory, (guint32) 0100644 << 16);
      put32 (directory, m->offset);
      g_byte_array_append (directory, (const guint8 *) m->name, strlen (m->name));
    }
  put32 (directory, 0x06054b50);
  put16 (directory, 0);
  put16 (directory, 0);
  put16 (directory, zip->members->len);
  put16 (directory, zip->members->len);
  put32 (directory, 0);                        /* the directory's size, set below */
  put32 (directory, start);
  put16 (directory, 0);

  /* The directory's size: everything before the end record (22 bytes). */
  {
    guint32 size = directory->len - 22;
    guint8 *p = directory->data + directory->len - 22 + 12;

    p[0] = size & 0xFF;
    p[1] = (size >> 8) & 0xFF;
    p[2] = (size >> 16) & 0xFF;
    p[3] = size >> 24;
  }
  return write_bytes (zip, directory->data, directory->len, error);
}

void
_tsr_zip_free (TsrZip *zip)
{
  if (zip == NULL)
    return;
  g_clear_pointer (&zip->members, g_array_unref);
  g_clear_object (&zip->cancellable);
  g_clear_object (&zip->stream);
  g_free (zip);
}
