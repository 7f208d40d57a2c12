/* tsr-export-save.c — the one way Tessera writes a file: whole or not at all
 *
 * Every file Tessera writes — the exports, the project as JSON, the
 * agreement tables, the theme map's images, tessera-cli's -o — is saved by
 * tsr_export_save_file():
 *
 *   1. the content is written into a temporary file in the target's
 *      folder (so the rename below stays on one file system), named
 *      .tessera-tmp-XXXXXX and locked with flock() while it is written;
 *   2. it is flushed and fsync()ed;
 *   3. it is renamed over the target, and the folder is synced.
 *
 * If anything fails — a writer's error, a full disk, a cancellation — the
 * temporary file is removed and the target is left as it was: a new file
 * does not appear, an old one is not touched.  A run that is killed
 * cannot remove its temporary file; the next save into that folder does:
 * a .tessera-tmp-XXXXXX file (or an older .tessera-export-XXXXXX) of ours
 * that nobody holds locked was left by a dead run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

#define TEMP_PREFIX "tessera-tmp-"

/* The temporary names of this and earlier versions. */
static const char * const temp_prefixes[] = { "." TEMP_PREFIX, ".tessera-export-" };

/* The file descriptor as a stream ------------------------------------ */

/* Writes to the temporary file's descriptor and remembers the errno of a
 * failed write, so the message can say the disk is full however the
 * format's writer reported the failure (some wrap it in their own
 * error). */
#define TSR_TYPE_SAVE_STREAM (tsr_save_stream_get_type ())
G_DECLARE_FINAL_TYPE (TsrSaveStream, tsr_save_stream, TSR, SAVE_STREAM, GOutputStream)

struct _TsrSaveStream
{
  GOutputStream parent_instance;

  int   fd;
  int   failed_errno;
  char *path;         /* the temporary file's path */
};

G_DEFINE_FINAL_TYPE (TsrSaveStream, tsr_save_stream, G_TYPE_OUTPUT_STREAM)

static gssize
tsr_save_stream_write (GOutputStream  *stream,
                       const void     *buffer,
                       gsize           count,
                       GCancellable   *cancellable,
                       GError        **error)
{
  TsrSaveStream *self = TSR_SAVE_STREAM (stream);
  gssize written;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  do
    written = write (self->fd, buffer, MIN (count, G_MAXSSIZE));
  while (written < 0 && errno == EINTR);

  if (written < 0)
    {
      int saved_errno = errno;

      if (self->failed_errno == 0)
        self->failed_errno = saved_errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
    }
  return written;
}

static void
tsr_save_stream_finalize (GObject *object)
{
  g_free (TSR_SAVE_STREAM (object)->path);
  G_OBJECT_CLASS (tsr_save_stream_parent_class)->finalize (object);
}

static void
tsr_save_stream_class_init (TsrSaveStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_save_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = tsr_save_stream_write;
}

static void
tsr_save_stream_init (TsrSaveStream *self)
{
  self->fd = -1;
}

/**
 * _tsr_export_save_stream_get_path:
 * @stream: the stream tsr_export_save_file() gives its writer
 *
 * For a writer that fills the file by name rather than through @stream
 * (SQLite writing a copy of a project): the temporary file's path.  It
 * exists and is empty; whatever is written there is synced and renamed
 * like the stream's content.
 *
 * Returns: the path, or %NULL when @stream is not such a stream
 */
const char *
_tsr_export_save_stream_get_path (GOutputStream *stream)
{
  while (G_IS_FILTER_OUTPUT_STREAM (stream))
    stream = g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (stream));
  return TSR_IS_SAVE_STREAM (stream) ? TSR_SAVE_STREAM (stream)->path : NULL;
}

/* Temporary files ---------------------------------------------------- */

/* Whether @name is one of our temporary names: a known prefix and
 * mkstemp's six letters and digits. */
static gboolean
is_temporary_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (temp_prefixes); i++)
    {
      gsize len = strlen (temp_prefixes[i]);
      const char *rest = name + len;

      if (strncmp (name, temp_prefixes[i], len) != 0 || strlen (rest) != 6)
        continue;
      for (const char *p = rest; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

/* Removes the temporary files that runs killed while saving left in
 * @dir.  A live save holds its file locked, so a file we can lock is
 * nobody's; only our own files are removed. */
static void
remove_stale_temporaries (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat opened, named;
      int fd;

      if (!is_temporary_name (name))
        continue;

      path = g_build_filename (dir, name, NULL);
      fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0)
        continue;

      /* Still the file we opened once locked: the name was not taken by
       * a new temporary meanwhile. */
      if (fstat (fd, &opened) == 0 && S_ISREG (opened.st_mode) && opened.st_uid == geteuid () &&
          flock (fd, LOCK_EX | LOCK_NB) == 0 &&
          lstat (path, &named) == 0 && named.st_dev == opened.st_dev && named.st_ino == opened.st_ino)
        {
          g_debug ("Removing “%s”, left by a save that did not finish", path);
          g_unlink (path);
        }
      close (fd);
    }
}

/* Creates and locks a temporary file in @dir; its path in @tmp_path. */
static int
create_temporary (const char  *dir,
                  char       **tmp_path)
{
  for (guint attempt = 0; attempt < 4; attempt++)
    {
      g_autofree char *path = g_build_filename (dir, "." TEMP_PREFIX "XXXXXX", NULL);
      struct stat st;
      int fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0666);

      if (fd < 0)
        return -1;

      /* Another process's clean-up may have taken the file for stale in
       * the instant before our lock: then it is gone, and we start
       * again.  A file system without locks keeps everyone's files. */
      if (flock (fd, LOCK_EX) != 0 || (fstat (fd, &st) == 0 && st.st_nlink > 0))
        {
          *tmp_path = g_steal_pointer (&path);
          return fd;
        }
      close (fd);
    }

  errno = EEXIST;
  return -1;
}

static void
sync_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Errors ------------------------------------------------------------- */

static void
set_errno_error (GError **error,
                 int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
}

/* Turns a failure to save into an error naming the file.  @failed_errno
 * is what the file system said when a write failed, if one did. */
static void
prefix_error (GError     **error,
              const char  *display_name,
              int          failed_errno)
{
  g_autoptr(GError) inner = NULL;
  int code = TSR_ERROR_FAILED;

  if (error == NULL || *error == NULL)
    return;

  inner = g_steal_pointer (error);
  if (inner->domain == TSR_ERROR)
    code = inner->code;
  else if (g_error_matches (inner, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = TSR_ERROR_CANCELLED;

  if (failed_errno == ENOSPC || failed_errno == EDQUOT ||
      g_error_matches (inner, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE,
                 _("Could not save “%s”: the disk is full. Nothing was written; "
                   "free some space or choose another place."), display_name);
  else if (failed_errno == EFBIG)
    g_set_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE,
                 _("Could not save “%s”: the file is larger than this system allows. "
                   "Nothing was written."), display_name);
  else if (code == TSR_ERROR_CANCELLED)
    g_set_error (error, TSR_ERROR, code, _("“%s” was not saved: the export was cancelled"), display_name);
  else
    g_set_error (error, TSR_ERROR, code, _("Could not save “%s”: %s"), display_name, inner->message);
}

/* Saving ------------------------------------------------------------- */

/**
 * tsr_export_save_file:
 * @file: a local file
 * @write: writes the content
 *
 * Saves a file so that a failure never leaves half a file: @write writes
 * into a hidden temporary file in the destination folder, which is
 * flushed to disk and then renamed over @file.  If anything fails or
 * @cancellable is cancelled before the rename, the temporary file is
 * removed and an older @file is left as it was.  A replaced file keeps
 * its permissions.  Temporary files that killed runs left in the folder
 * are removed.
 *
 * Every file Tessera writes is written through this function.
 *
 * Returns: %TRUE on success, %FALSE with @error set to a message naming
 *   the file (%TSR_ERROR_NO_SPACE when the disk is full)
 */
gboolean
tsr_export_save_file (GFile               *file,
                      TsrExportWriteFunc   write,
                      gpointer             user_data,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *display_dir = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr(TsrSaveStream) raw = NULL;
  g_autoptr(GOutputStream) buffered = NULL;
  GError *local_error = NULL;
  GStatBuf st;
  int fd;
  gboolean ok;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (write != NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_parse_name (file);

      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("Could not save “%s”: exports are saved to a folder on this computer"), uri);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  display_name = g_filename_display_basename (path);
  display_dir = g_filename_display_name (dir);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Could not save “%s”: there is a folder of that name in “%s”"),
                   display_name, display_dir);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("Could not save “%s”: the folder “%s” does not exist"),
                   display_name, display_dir);
      return FALSE;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CANCELLED,
                   _("“%s” was not saved: the export was cancelled"), display_name);
      return FALSE;
    }

  remove_stale_temporaries (dir);

  fd = create_temporary (dir, &tmp_path);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
        g_set_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY,
                     _("Could not save “%s”: the folder “%s” cannot be written to (%s). "
                       "Choose another folder."),
                     display_name, display_dir, g_strerror (saved_errno));
      else if (saved_errno == ENOSPC || saved_errno == EDQUOT)
        {
          set_errno_error (&local_error, saved_errno);
          prefix_error (&local_error, display_name, saved_errno);
          g_propagate_error (error, local_error);
        }
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
                     _("Could not save “%s” in “%s”: %s"),
                     display_name, display_dir, g_strerror (saved_errno));
      return FALSE;
    }

  /* A replaced file keeps its permissions; a new one gets the usual
   * ones (mkstemp's 0600 would hide a report from the user's group). */
  if (g_stat (path, &st) == 0)
    fchmod (fd, st.st_mode & 07777);
  else
    {
      mode_t mask = umask (0);

      umask (mask);
      fchmod (fd, 0666 & ~mask);
    }

  raw = g_object_new (TSR_TYPE_SAVE_STREAM, NULL);
  raw->fd = fd;
  raw->path = g_strdup (tmp_path);
  buffered = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (raw), 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);

  ok = write (buffered, user_data, cancellable, &local_error) &&
       g_output_stream_close (buffered, cancellable, &local_error);
  if (ok && fsync (fd) != 0)
    {
      int saved_errno = errno;

      raw->failed_errno = saved_errno;
      set_errno_error (&local_error, saved_errno);
      ok = FALSE;
    }

  /* Cancelled while writing, after the writer's last look: the caller
   * has been told it will not get the file. */
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    ok = FALSE;

  /* Renamed (or removed) while still open, so still locked: another
   * save's clean-up never takes it for stale. */
  if (ok && g_rename (tmp_path, path) != 0)
    {
      set_errno_error (&local_error, errno);
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (tmp_path);
      close (fd);
      raw->fd = -1;
      if (local_error == NULL)
        g_set_error_literal (&local_error, TSR_ERROR, TSR_ERROR_FAILED, _("The file could not be written"));
      g_propagate_error (error, local_error);
      prefix_error (error, display_name, raw->failed_errno);
      return FALSE;
    }

  /* Written and synced: an error closing it says nothing new. */
  close (fd);
  raw->fd = -1;
  sync_folder (dir);
  return TRUE;
}
