/* tsr-export-zip.c — the zip containers of DOCX and ODT, written by libarchive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

struct _TsrZip
{
  struct archive *archive;
  GOutputStream  *stream;
  GCancellable   *cancellable;
  GError         *stream_error;    /* why the stream refused bytes */
  gint64          mtime;
  gboolean        finished;
};

static la_ssize_t
write_cb (struct archive *archive,
          void           *user_data,
          const void     *buffer,
          size_t          length)
{
  TsrZip *zip = user_data;

  if (zip->stream_error != NULL)
    return -1;
  if (!g_output_stream_write_all (zip->stream, buffer, length, NULL, zip->cancellable,
                                  &zip->stream_error))
    {
      archive_set_error (archive, EIO, "%s", zip->stream_error->message);
      return -1;
    }
  return length;
}

static gboolean
archive_failed (TsrZip      *zip,
                GError     **error)
{
  if (zip->stream_error != NULL)
    g_propagate_error (error, g_steal_pointer (&zip->stream_error));
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED, _("The zip container failed: %s"),
                 archive_error_string (zip->archive) ? archive_error_string (zip->archive) : "?");
  return FALSE;
}

static TsrZip *
zip_new (GOutputStream  *stream,
         GCancellable   *cancellable,
         gboolean        fast,
         GError        **error)
{
  g_autoptr(TsrZip) zip = g_new0 (TsrZip, 1);

  zip->stream = g_object_ref (stream);
  zip->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  zip->mtime = _tsr_export_timestamp ();
  zip->archive = archive_write_new ();

  if (archive_write_set_format_zip (zip->archive) != ARCHIVE_OK ||
      (fast && archive_write_set_options (zip->archive, "zip:compression-level=1") != ARCHIVE_OK) ||
      /* Entries go out as they are written, with no padding after the
       * last one. */
      archive_write_set_bytes_per_block (zip->archive, 0) != ARCHIVE_OK ||
      archive_write_open2 (zip->archive, zip, NULL, write_cb, NULL, NULL) != ARCHIVE_OK)
    {
      archive_failed (zip, error);
      return NULL;
    }

  return g_steal_pointer (&zip);
}

TsrZip *
_tsr_zip_new (GOutputStream  *stream,
              GCancellable   *cancellable,
              GError        **error)
{
  return zip_new (stream, cancellable, FALSE, error);
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
  return zip_new (stream, cancellable, TRUE, error);
}

/**
 * _tsr_zip_add:
 * @store: store the entry uncompressed (an ODF package's mimetype)
 *
 * Adds a file to the container, with its size known up front so that
 * no entry needs Zip64 extensions.
 */
gboolean
_tsr_zip_add (TsrZip      *zip,
              const char  *name,
              GBytes      *data,
              gboolean     store,
              GError     **error)
{
  struct archive_entry *entry;
  gsize len;
  const char *bytes = g_bytes_get_data (data, &len);
  int rc;

  if (g_cancellable_set_error_if_cancelled (zip->cancellable, error))
    return FALSE;

  if (store)
    rc = archive_write_zip_set_compression_store (zip->archive);
  else
    rc = archive_write_zip_set_compression_deflate (zip->archive);
  if (rc != ARCHIVE_OK)
    return archive_failed (zip, error);

  entry = archive_entry_new ();
  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, len);
  archive_entry_set_mtime (entry, zip->mtime, 0);

  rc = archive_write_header (zip->archive, entry);
  archive_entry_free (entry);
  if (rc != ARCHIVE_OK)
    return archive_failed (zip, error);

  while (len > 0)
    {
      la_ssize_t written = archive_write_data (zip->archive, bytes, len);

      if (written <= 0)
        return archive_failed (zip, error);
      bytes += written;
      len -= written;
    }

  if (archive_write_finish_entry (zip->archive) != ARCHIVE_OK)
    return archive_failed (zip, error);
  return TRUE;
}

/* Writes the central directory; the container is complete after this. */
gboolean
_tsr_zip_finish (TsrZip  *zip,
                 GError **error)
{
  zip->finished = TRUE;
  if (archive_write_close (zip->archive) != ARCHIVE_OK)
    return archive_failed (zip, error);
  return TRUE;
}

void
_tsr_zip_free (TsrZip *zip)
{
  if (zip == NULL)
    return;
  if (zip->archive != NULL)
    {
      /* An abandoned container is not finished off: the caller's file is
       * thrown away anyway. */
      if (!zip->finished)
        archive_write_fail (zip->archive);
      archive_write_free (zip->archive);
    }
  g_clear_error (&zip->stream_error);
  g_clear_object (&zip->cancellable);
  g_clear_object (&zip->stream);
  g_free (zip);
}
