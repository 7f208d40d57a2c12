/* test-backup.c — saving a copy of a project, and the rolling backups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
  TsrCoder   *coder;
  gint64      code;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 document;

  f->dir = g_dir_make_tmp ("tsr-backup-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "study.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  f->coder = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  document = tsr_project_add_document (f->project, "E01", "Mrs Whipple thanked the nurses.", NULL, &error);
  g_assert_no_error (error);
  f->code = tsr_project_create_code (f->project, 0, "Gratitude", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment (f->project, document, f->code, 0, 11, &error), >, 0);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->project != NULL)
    tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  g_clear_object (&f->coder);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
json_of (TsrProject *project)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_project_export_json (project, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static char *
json_of_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_open_read_only (path, &error);
  char *json;

  g_assert_no_error (error);
  json = json_of (project);
  tsr_project_close (project, NULL);
  return json;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static char *
names_in (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* A copy holds everything, the history included, and the project stays
 * open and editable where it is. */
static void
test_copy_equal (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.tessera", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *ours = json_of (f->project);
  g_autofree char *theirs = NULL;

  g_assert_true (tsr_project_save_copy (f->project, copy, NULL, &error));
  g_assert_no_error (error);
  theirs = json_of_file (copy_path);
  g_assert_cmpstr (theirs, ==, ours);

  /* Replacing an older copy, after another edit. */
  g_assert_cmpint (tsr_project_create_code (f->project, 0, "Hope", NULL, NULL, &error), >, 0);
  g_assert_true (tsr_project_save_copy (f->project, copy, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&theirs, g_free);
  g_clear_pointer (&ours, g_free);
  ours = json_of (f->project);
  theirs = json_of_file (copy_path);
  g_assert_cmpstr (theirs, ==, ours);
  g_assert_nonnull (strstr (theirs, "\"Hope\""));

  /* The copy's history undoes like the project's. */
  {
    g_autoptr(TsrProject) reopened = tsr_project_open (copy_path, &error);

    g_assert_no_error (error);
    g_assert_true (tsr_project_undo (reopened, &error));
    g_assert_no_error (error);
    g_assert_null (tsr_project_find_code (reopened, "Hope"));
    tsr_project_close (reopened, NULL);
  }
}

/* A copy never replaces its project, by any name; a copy into a missing
 * folder or a cancelled one leaves nothing behind. */
static void
test_copy_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *link = g_build_filename (f->dir, "link.tessera", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no such folder", "copy.tessera", NULL);
  g_autofree char *cancelled_path = g_build_filename (f->dir, "cancelled.tessera", NULL);
  g_autofree char *before = json_of (f->project);
  g_autofree char *after = NULL;
  g_autofree char *names = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink ("study.tessera", link), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (i == 0 ? f->path : link);

      g_assert_false (tsr_project_save_copy (f->project, file, NULL, &error));
      g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, "A copy cannot replace the project it is a copy of");
      g_clear_error (&error);
    }

  {
    g_autoptr(GFile) file = g_file_new_for_path (missing);

    g_assert_false (tsr_project_save_copy (f->project, file, NULL, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  {
    g_autoptr(GFile) file = g_file_new_for_path (cancelled_path);

    g_cancellable_cancel (cancellable);
    g_assert_false (tsr_project_save_copy (f->project, file, cancellable, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  names = names_in (f->dir);
  /* The project is open: its log files are there too. */
  g_assert_cmpstr (names, ==, "link.tessera study.tessera study.tessera-shm study.tessera-wal");
  after = json_of (f->project);
  g_assert_cmpstr (after, ==, before);
}

static void
on_copy_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (source);
  g_assert_true (tsr_project_save_copy_finish (f->project, result, &error));
  g_assert_no_error (error);
  *(gboolean *) g_object_get_data (G_OBJECT (f->project), "done") = TRUE;
}

static void
test_copy_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.tessera", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *ours = json_of (f->project);
  g_autofree char *theirs = NULL;
  gboolean done = FALSE;

  g_object_set_data (G_OBJECT (f->project), "done", &done);
  tsr_project_save_copy_async (f->project, copy, NULL, on_copy_saved_cb, f);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  theirs = json_of_file (copy_path);
  g_assert_cmpstr (theirs, ==, ours);
}

/* A backup is made when the project changed since the newest one; the
 * oldest beyond the number kept go; each backup is the project as it was. */
static void
test_backups (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *folder = tsr_project_get_backup_folder (f->project);
  g_autofree char *first_state = json_of (f->project);
  g_autofree char *second_state = NULL;
  g_autofree char *restored = NULL;
  gboolean made = FALSE;

  g_assert_true (g_str_has_prefix (folder, g_get_user_data_dir ()));
  backups = tsr_project_list_backups (f->project);
  g_assert_cmpuint (backups->len, ==, 0);
  g_clear_pointer (&backups, g_ptr_array_unref);

  g_assert_true (tsr_project_back_up (f->project, 2, &made, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (made);
  /* Unchanged: none. */
  g_assert_true (tsr_project_back_up (f->project, 2, &made, NULL, &error));
  g_assert_false (made);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code %u", i);

      /* The file's time has a fine grain, but not finer than a tick. */
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
      g_assert_cmpint (tsr_project_create_code (f->project, 0, name, NULL, NULL, &error), >, 0);
      if (i == 0)
        second_state = json_of (f->project);
      g_assert_true (tsr_project_back_up (f->project, 2, &made, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (made);
    }

  backups = tsr_project_list_backups (f->project);
  g_assert_cmpuint (backups->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (backups, 0), >, g_ptr_array_index (backups, 1));
  /* The older one kept is the project after "Code 0". */
  restored = json_of_file (g_ptr_array_index (backups, 1));
  g_assert_cmpstr (restored, ==, second_state);
  g_assert_cmpstr (restored, !=, first_state);
}

/* tessera-cli in the C locale, with this test's data folder. */
static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  va_list args;

  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

/* tessera-cli save-copy, back-up and backups. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *copy_path = g_build_filename (f->dir, "copy.tessera", NULL);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;

  tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "save-copy", f->path, copy_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    ours = json_of_file (f->path);
    theirs = json_of_file (copy_path);
    g_assert_cmpstr (theirs, ==, ours);
  }
  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "save-copy", f->path, f->path, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "tessera-cli: A copy cannot replace the project it is a copy of\n");
  }
  {
    g_auto(TsrTestRun) made = { 0, };
    g_auto(TsrTestRun) again = { 0, };
    g_auto(TsrTestRun) list = { 0, };

    run_cli (&made, "back-up", f->path, NULL);
    g_assert_cmpint (made.status, ==, 0);
    g_assert_true (g_str_has_suffix (made.out, ".tessera\n"));
    run_cli (&again, "back-up", f->path, NULL);
    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpstr (again.out, ==, "");
    g_assert_cmpstr (again.err, ==, "Unchanged since its newest backup: no backup was made.\n");
    run_cli (&list, "backups", f->path, NULL);
    g_assert_cmpint (list.status, ==, 0);
    g_assert_cmpstr (list.out, ==, made.out);
  }
  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "back-up", f->path, "--keep", "0", NULL);
    g_assert_cmpint (r.status, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("tsr-backup-data-XXXXXX", NULL);
  int status;

  /* The backups go to a data folder of this run's own (set before GLib
   * first reads it; GLib's per-test isolation leaks the old folders). */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tessera/backup/copy-equal", test_copy_equal);
  ADD ("/tessera/backup/copy-refused", test_copy_refused);
  ADD ("/tessera/backup/copy-async", test_copy_async);
  ADD ("/tessera/backup/rolling", test_backups);
  ADD ("/tessera/backup/cli", test_cli);
#undef ADD
  status = g_test_run ();
  tsr_test_remove_tree (data_home);
  return status;
}
