/* tsr-import-zip.c — reading members of DOCX, ODT and XLSX containers
 *
 * libarchive reads the archive from memory through its seekable zip
 * reader, which trusts the central directory — the zip's table of
 * contents, at its end — as Word and LibreOffice do, so a truncated file
 * fails at once instead of yielding whatever members came first.
 *
 * Nothing is ever written to disk, so member names like "../../x" cannot
 * escape anywhere: they are only compared with the names we look for.
 * Sizes are counted as bytes come out of the inflater; the sizes in the
 * archive's headers are never used, so a zip bomb that lies about them
 * is stopped by the same limits as one that does not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

#define READ_CHUNK (64 * 1024)

struct _TsrZip
{
  GBytes    *data;
  char      *display_name;
  GPtrArray *names;
  guint64    inflated;
};

static struct archive *
open_archive (TsrZip  *self,
              GError **error)
{
  struct archive *a = archive_read_new ();
  gsize length;
  const void *data = g_bytes_get_data (self->data, &length);

  archive_read_support_format_zip_seekable (a);
  if (archive_read_open_memory (a, data, length) != ARCHIVE_OK)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The file “%s” is damaged: it is not a complete zip archive (%s)"),
                   self->display_name,
                   archive_error_string (a) ? archive_error_string (a) : _("unknown error"));
      archive_read_free (a);
      return NULL;
    }
  return a;
}

static void
set_damaged (TsrZip          *self,
             struct archive  *a,
             GError         **error)
{
  const char *why = archive_error_string (a);

  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
               _("The file “%s” is damaged and cannot be read (%s)"),
               self->display_name, why ? why : _("unknown error"));
}

/* Part names in Office files are compared without regard to ASCII case
 * and without a leading slash (ECMA-376 part 2, §9.1.1.1). */
static gboolean
same_name (const char *member,
           const char *wanted)
{
  while (*member == '/')
    member++;
  while (*wanted == '/')
    wanted++;
  return g_ascii_strcasecmp (member, wanted) == 0;
}

/**
 * tsr_zip_open:
 *
 * Reads the archive's list of members.  Fails with %TSR_ERROR_CORRUPT if
 * the data is not a complete zip archive.
 */
TsrZip *
tsr_zip_open (GBytes      *data,
              const char  *display_name,
              GError     **error)
{
  g_autoptr(TsrZip) self = g_new0 (TsrZip, 1);
  struct archive *a;
  struct archive_entry *entry;
  int r;

  self->data = g_bytes_ref (data);
  self->display_name = g_strdup (display_name);
  self->names = g_ptr_array_new_with_free_func (g_free);

  a = open_archive (self, error);
  if (a == NULL)
    return NULL;

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = archive_entry_pathname_utf8 (entry);

      if (name == NULL)
        name = archive_entry_pathname (entry);
      g_ptr_array_add (self->names, g_strdup (name ? name : ""));
      /* 65,535 entries is the most a zip without ZIP64 holds; an Office
       * file has a few dozen. */
      if (self->names->len > 100000)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                       _("The file “%s” holds more than 100,000 files inside; it is not a document"),
                       display_name);
          archive_read_free (a);
          return NULL;
        }
    }

  if (r != ARCHIVE_EOF)
    {
      set_damaged (self, a, error);
      archive_read_free (a);
      return NULL;
    }

  archive_read_free (a);
  return g_steal_pointer (&self);
}

void
tsr_zip_free (TsrZip *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->data, g_bytes_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_free (self->display_name);
  g_free (self);
}

gboolean
tsr_zip_has (TsrZip     *self,
             const char *name)
{
  for (guint i = 0; i < self->names->len; i++)
    if (same_name (self->names->pdata[i], name))
      return TRUE;
  return FALSE;
}

/**
 * tsr_zip_get_names:
 *
 * Returns: (transfer none) (element-type utf8): the members' names as the
 *   archive gives them
 */
GPtrArray *
tsr_zip_get_names (TsrZip *self)
{
  return self->names;
}

guint64
tsr_zip_get_inflated (TsrZip *self)
{
  return self->inflated;
}

static gboolean
check_limits (TsrZip       *self,
              guint64       member_bytes,
              GError      **error)
{
  gsize archive_bytes = g_bytes_get_size (self->data);

  if (member_bytes > TSR_ZIP_MAX_MEMBER_BYTES ||
      self->inflated > TSR_ZIP_MAX_TOTAL_BYTES ||
      (self->inflated > TSR_ZIP_RATIO_FLOOR &&
       self->inflated / MAX (archive_bytes, 1) > TSR_ZIP_MAX_RATIO))
    {
      g_autofree char *size = g_format_size_full (self->inflated, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” unpacks to more than %s, far more than a document of its "
                     "size holds; it may be a “zip bomb” and was not imported"),
                   self->display_name, size);
      return FALSE;
    }
  return TRUE;
}

/* The current entry's bytes, counted against the limits as they come
 * out of the inflater. */
static GBytes *
read_entry (TsrZip                *self,
            struct archive        *a,
            struct archive_entry  *entry,
            GCancellable          *cancellable,
            GError               **error)
{
  g_autoptr(GByteArray) buffer = NULL;

  if (archive_entry_is_encrypted (entry))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is protected with a password. Open it in your word "
                     "processor, remove the password, save it and import it again."),
                   self->display_name);
      return NULL;
    }

  buffer = g_byte_array_new ();
  for (;;)
    {
      guint8 chunk[READ_CHUNK];
      la_ssize_t n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      n = archive_read_data (a, chunk, sizeof chunk);
      if (n == 0)
        break;
      if (n < 0)
        {
          set_damaged (self, a, error);
          return NULL;
        }

      self->inflated += n;
      if (!check_limits (self, (guint64) buffer->len + n, error))
        return NULL;
      g_byte_array_append (buffer, chunk, n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static GBytes *
read_member (TsrZip        *self,
             const char    *name,
             gboolean       optional,
             GCancellable  *cancellable,
             GError       **error)
{
  struct archive *a;
  struct archive_entry *entry;
  gboolean found = FALSE;
  GBytes *bytes;
  int r;

  if (!tsr_zip_has (self, name))
    {
      if (!optional)
        g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                     _("The file “%s” is damaged: the part “%s” is missing"),
                     self->display_name, name);
      return NULL;
    }

  a = open_archive (self, error);
  if (a == NULL)
    return NULL;

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *member = archive_entry_pathname_utf8 (entry);

      if (member == NULL)
        member = archive_entry_pathname (entry);
      if (member != NULL && same_name (member, name))
        {
          found = TRUE;
          break;
        }
    }

  if (!found)
    {
      set_damaged (self, a, error);
      archive_read_free (a);
      return NULL;
    }

  bytes = read_entry (self, a, entry, cancellable, error);
  archive_read_free (a);
  return bytes;
}

/**
 * tsr_zip_read_many:
 * @names: the members wanted, each as tsr_zip_has () would find it
 *
 * Reads the members of @names in one pass over the archive, under the
 * same limits as tsr_zip_read (); a project's hundreds of sources are
 * read without going through the archive once for each.
 *
 * Returns: (transfer full): the members found, by the name asked for
 *   (GBytes), or %NULL with @error set
 */
GHashTable *
tsr_zip_read_many (TsrZip             *self,
                   const char * const *names,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  struct archive *a;
  struct archive_entry *entry;
  int r;

  a = open_archive (self, error);
  if (a == NULL)
    return NULL;
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *member = archive_entry_pathname_utf8 (entry);

      if (member == NULL)
        member = archive_entry_pathname (entry);
      for (guint i = 0; member != NULL && names[i] != NULL; i++)
        if (same_name (member, names[i]) && !g_hash_table_contains (found, names[i]))
          {
            GBytes *bytes = read_entry (self, a, entry, cancellable, error);

            if (bytes == NULL)
              {
                archive_read_free (a);
                return NULL;
              }
            g_hash_table_insert (found, g_strdup (names[i]), bytes);
            break;
          }
    }
  if (r != ARCHIVE_EOF)
    {
      set_damaged (self, a, error);
      archive_read_free (a);
      return NULL;
    }
  archive_read_free (a);
  return g_steal_pointer (&found);
}

/**
 * tsr_zip_read:
 *
 * Returns: (transfer full): the member's bytes, or %NULL with @error set
 */
GBytes *
tsr_zip_read (TsrZip        *self,
              const char    *name,
              GCancellable  *cancellable,
              GError       **error)
{
  return read_member (self, name, FALSE, cancellable, error);
}

GBytes *
tsr_zip_read_optional (TsrZip        *self,
                       const char    *name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return read_member (self, name, TRUE, cancellable, error);
}
