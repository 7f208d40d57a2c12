/* tsr-project-backup.c — a copy of a project, and the rolling backups
 *
 * A copy is written by SQLite (VACUUM INTO) over a read-only connection of
 * its own, so it can run in a worker thread while the project is edited,
 * and it holds every edit committed when it starts.  It goes through
 * tsr_export_save_file (): a full disk or a cancellation leaves nothing
 * under the target name.
 *
 * Backups are such copies, kept per project (by its UUID, so a renamed or
 * moved file keeps its backups) in the user's data folder, where a
 * sandboxed app may write, named by the time they were made.  One is
 * made when the project was changed since the newest one; the oldest
 * beyond the number kept are removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-export-private.h"
#include "tsr-project-internal.h"

#define BACKUP_SUFFIX ".tessera"

/* Saving a copy ------------------------------------------------------- */

typedef struct
{
  char *source;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_free (job->source);
  g_free (job);
}

static gboolean
write_copy (GOutputStream  *stream,
            gpointer        user_data,
            GCancellable   *cancellable,
            GError        **error)
{
  CopyJob *job = user_data;
  const char *target = _tsr_export_save_stream_get_path (stream);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert (target != NULL);

  db = tsr_database_open_reader (job->source, cancellable, error);
  if (db == NULL)
    return FALSE;
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_prepare_v2 (db, "VACUUM INTO ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ;
      else if ((rc & 0xff) == SQLITE_FULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, sqlite3_errmsg (db));
      else
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, sqlite3_errmsg (db));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_DONE;
}

/* Whether @file is the project file itself (under any name). */
static gboolean
is_same_file (const char *source,
              GFile      *file)
{
  g_autofree char *target = g_file_get_path (file);
  GStatBuf a, b;

  return target != NULL && g_stat (source, &a) == 0 && g_stat (target, &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static gboolean
save_copy_of (const char    *source,
              GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  CopyJob job = { (char *) source };

  if (is_same_file (source, file))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("A copy cannot replace the project it is a copy of"));
      return FALSE;
    }
  return tsr_export_save_file (file, write_copy, &job, cancellable, error);
}

/**
 * tsr_project_save_copy:
 * @file: where to save the copy (replaced if it exists)
 *
 * Saves a copy of the project as it is now, with every edit and its
 * history; the project itself stays open where it is.  Safe to call
 * from a worker thread through tsr_project_save_copy_async ().
 *
 * Returns: %TRUE on success, %FALSE with @error set to a message naming
 *   the file (%TSR_ERROR_NO_SPACE when the disk is full)
 */
gboolean
tsr_project_save_copy (TsrProject    *self,
                       GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return save_copy_of (tsr_project_get_path (self), file, cancellable, error);
}

static void
save_copy_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CopyJob *job = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  GError *error = NULL;

  if (save_copy_of (job->source, file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tsr_project_save_copy_async:
 *
 * Saves a copy in a worker thread; see tsr_project_save_copy ().  The
 * callback's source object is %NULL: the task does not hold the project.
 */
void
tsr_project_save_copy_async (TsrProject          *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CopyJob *job;

  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (G_IS_FILE (file));

  /* The task holds the path, not the project: closing the project
   * while its copy is written releases it. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_save_copy_async);
  job = g_new0 (CopyJob, 1);
  job->source = g_strdup (tsr_project_get_path (self));
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_copy_thread);
}

gboolean
tsr_project_save_copy_finish (TsrProject    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Backups --------------------------------------------------------------- */

static char *
project_uuid (TsrProject *self)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, "SELECT value FROM project WHERE key = 'uuid'", NULL);
  char *uuid = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return uuid;
}

/**
 * tsr_project_get_backup_folder:
 *
 * Returns: (transfer full): the folder that holds this project's
 *   backups (it may not exist yet), or %NULL if the project has no id
 */
char *
tsr_project_get_backup_folder (TsrProject *self)
{
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  uuid = project_uuid (self);
  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    return NULL;
  return g_build_filename (g_get_user_data_dir (), "tessera", "backups", uuid, NULL);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  /* The names begin with the time, so later sorts higher. */
  return -g_strcmp0 (*(const char **) a, *(const char **) b);
}

static GPtrArray *
list_backups_in (const char *folder)
{
  g_autoptr(GDir) dir = NULL;
  GPtrArray *backups = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (folder == NULL || (dir = g_dir_open (folder, 0, NULL)) == NULL)
    return backups;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, BACKUP_SUFFIX) && name[0] != '.')
      g_ptr_array_add (backups, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (backups, compare_newest_first);
  return backups;
}

/**
 * tsr_project_list_backups:
 *
 * Returns: (transfer full) (element-type filename): the paths of this
 *   project's backups, newest first
 */
GPtrArray *
tsr_project_list_backups (TsrProject *self)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  folder = tsr_project_get_backup_folder (self);
  return list_backups_in (folder);
}

/* When the project file last changed: the main file or its log. */
static gint64
last_change (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;
  gint64 newest = 0;

  if (g_stat (path, &st) == 0)
    newest = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  if (g_stat (wal, &st) == 0)
    newest = MAX (newest, (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000);
  return newest;
}

typedef struct
{
  char  *source;
  char  *folder;
  guint  keep;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->source);
  g_free (job->folder);
  g_free (job);
}

static BackupJob *
backup_job_new (TsrProject *self,
                guint       keep)
{
  BackupJob *job = g_new0 (BackupJob, 1);

  job->source = g_strdup (tsr_project_get_path (self));
  job->folder = tsr_project_get_backup_folder (self);
  job->keep = MAX (keep, 1);
  return job;
}

/* Touches only files, so it runs in any thread. */
static gboolean
run_backup (BackupJob     *job,
            gboolean      *made,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  *made = FALSE;
  if (job->folder == NULL)
    return TRUE;
  if (g_mkdir_with_parents (job->folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (job->folder);

      g_set_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY,
                   _("No backup was made: the folder “%s” cannot be created (%s)"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  backups = list_backups_in (job->folder);
  if (backups->len > 0 &&
      last_change (g_ptr_array_index (backups, 0)) >= last_change (job->source))
    return TRUE;

  now = g_date_time_new_now_local ();
  /* Sortable, and readable in a file chooser; microseconds keep two
   * backups made in one second apart. */
  stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S.%f");
  name = g_strconcat (stamp, BACKUP_SUFFIX, NULL);
  path = g_build_filename (job->folder, name, NULL);
  file = g_file_new_for_path (path);
  if (!save_copy_of (job->source, file, cancellable, error))
    return FALSE;
  *made = TRUE;

  g_ptr_array_insert (backups, 0, g_steal_pointer (&path));
  for (guint i = job->keep; i < backups->len; i++)
    g_unlink (g_ptr_array_index (backups, i));
  return TRUE;
}

/**
 * tsr_project_back_up:
 * @keep: how many backups to keep (at least 1)
 * @made: (out) (optional): whether a backup was made
 *
 * Makes a backup if the project changed since its newest backup, then
 * removes the oldest backups beyond @keep.
 *
 * Returns: %TRUE on success (also when nothing needed backing up)
 */
gboolean
tsr_project_back_up (TsrProject    *self,
                     guint          keep,
                     gboolean      *made,
                     GCancellable  *cancellable,
                     GError       **error)
{
  BackupJob *job;
  gboolean made_one = FALSE;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  job = backup_job_new (self, keep);
  ok = run_backup (job, &made_one, cancellable, error);
  backup_job_free (job);
  if (made != NULL)
    *made = made_one;
  return ok;
}

static void
back_up_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  gboolean made = FALSE;
  GError *error = NULL;

  if (run_backup (task_data, &made, cancellable, &error))
    g_task_return_boolean (task, made);
  else
    g_task_return_error (task, error);
}

/**
 * tsr_project_back_up_async:
 *
 * Backs up in a worker thread; see tsr_project_back_up ().  The
 * callback's source object is %NULL: the task does not hold the project.
 */
void
tsr_project_back_up_async (TsrProject          *self,
                           guint                keep,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TSR_IS_PROJECT (self));

  /* As for a copy, the task does not keep the project alive. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tsr_project_back_up_async);
  g_task_set_task_data (task, backup_job_new (self, keep), (GDestroyNotify) backup_job_free);
  g_task_run_in_thread (task, back_up_thread);
}

/**
 * tsr_project_back_up_finish:
 * @made: (out) (optional): whether a backup was made
 */
gboolean
tsr_project_back_up_finish (TsrProject    *self,
                            GAsyncResult  *result,
                            gboolean      *made,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean was_made;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  was_made = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (made != NULL)
    *made = was_made;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
