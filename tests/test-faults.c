/* test-faults.c — data safety under faults and bad input
 *
 * Saving a file is all or nothing, on a full disk and when a run is
 * killed; a damaged project is an error, never a short answer; files
 * that are not files are refused before they are read; a failed
 * operation leaves no trace.  The disk is made full for real where the
 * system lets a test do it: a 64 KiB tmpfs mounted in a private user and
 * mount namespace (unshare -rm), and the file size limit (RLIMIT_FSIZE)
 * in a child process everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tessera.h"
#include "tsr-test-utils.h"

/* Helpers ------------------------------------------------------------ */

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tsr-faults-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces ("" when empty). */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* A copy of the demo project in @dir. */
static char *
copy_demo (const char *dir)
{
  char *path = g_build_filename (dir, "demo.tessera", NULL);

  tsr_test_copy_file (g_getenv ("TESSERA_DEMO"), path);
  return path;
}

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_get_environ ();
  va_list args;

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "TESSERA_CODER", "Ada", TRUE);
  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

/* Whether this system lets us mount a tmpfs in a private user and mount
 * namespace. */
static gboolean
can_mount_tmpfs (void)
{
  const char *argv[] = { "unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tsr-test /mnt", NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* Runs the shell @script in a private namespace where $1 is a fresh,
 * full-after-64-KiB tmpfs over @dir; $2… are @args. */
static int
run_on_small_disk (const char  *dir,
                   const char  *script,
                   const char **args,
                   char       **out,
                   char       **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *full_script = g_strdup_printf ("mount -t tmpfs -o size=64k tsr-test \"$1\" || exit 77\n%s",
                                                  script);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) "unshare");
  g_ptr_array_add (argv, (char *) "-rm");
  g_ptr_array_add (argv, (char *) "sh");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, full_script);
  g_ptr_array_add (argv, (char *) "sh");
  g_ptr_array_add (argv, (char *) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", WEXITSTATUS (status), *out, *err);
  return WEXITSTATUS (status);
}

/* Saving: whole or not at all ---------------------------------------- */

static gboolean
write_json_cb (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  return tsr_project_export_json (user_data, stream, cancellable, error);
}

/* The child of test_save_full_disk (), in a namespace where @dir is a
 * 64 KiB tmpfs: the demo's JSON (about 250 KB) does not fit. */
static int
full_disk_child (const char *dir,
                 const char *demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_open (demo, &error);
  g_autofree char *old = g_build_filename (dir, "old.json", NULL);
  g_autofree char *new = g_build_filename (dir, "new.json", NULL);
  g_autoptr(GFile) old_file = g_file_new_for_path (old);
  g_autoptr(GFile) new_file = g_file_new_for_path (new);
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (old, "{\"the\": \"previous export\"}", -1, NULL));

  g_assert_false (tsr_export_save_file (new_file, write_json_cb, project, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE);
  printf ("%s\n", error->message);
  g_clear_error (&error);

  g_assert_false (tsr_export_save_file (old_file, write_json_cb, project, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE);
  printf ("%s\n", error->message);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (old, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "{\"the\": \"previous export\"}");
  names = list_dir (dir);
  printf ("left: [%s]\n", names);
  g_assert_true (tsr_project_close (project, NULL));
  return 0;
}

/* A real full disk: nothing is left under the target name (nor a
 * temporary file), an older file is kept, and the message names the file
 * and says the disk is full. */
static void
test_save_full_disk (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *mount_point = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *self = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[3];

  if (!can_mount_tmpfs ())
    {
      g_test_skip ("this system does not let a test mount a small tmpfs (unshare -rm)");
      return;
    }

  dir = make_dir ();
  mount_point = g_build_filename (dir, "disk", NULL);
  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  demo = copy_demo (dir);
  self = g_test_build_filename (G_TEST_BUILT, "test-faults", NULL);
  args[0] = self;
  args[1] = demo;
  args[2] = NULL;

  g_assert_cmpint (run_on_small_disk (mount_point, "exec \"$2\" --full-disk-child \"$1\" \"$3\"", args,
                                      &out, &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "Could not save “new.json”: the disk is full. Nothing was written; "
                   "free some space or choose another place.\n"
                   "Could not save “old.json”: the disk is full. Nothing was written; "
                   "free some space or choose another place.\n"
                   "left: [old.json]\n");

  tsr_test_remove_tree (dir);
}

/* The file size limit, in a child process: writes fail with EFBIG. */
static void
test_save_size_limit (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *names = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TsrProject) project = tsr_project_open (g_getenv ("TSR_TEST_DEMO_COPY"), &error);
      g_autofree char *path = g_build_filename (g_getenv ("TSR_TEST_DIR"), "new.json", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      struct rlimit limit = { 16 * 1024, 16 * 1024 };

      g_assert_no_error (error);
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (tsr_export_save_file (file, write_json_cb, project, NULL, &error));
      g_assert_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE);
      fprintf (stderr, "%s\n", error->message);
      return;
    }

  dir = make_dir ();
  demo = copy_demo (dir);
  g_setenv ("TSR_TEST_DIR", dir, TRUE);
  g_setenv ("TSR_TEST_DEMO_COPY", demo, TRUE);
  tsr_test_trap_subprocess (0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("Could not save “new.json”: the file is larger than this system allows. "
                             "Nothing was written.\n");
  g_unsetenv ("TSR_TEST_DIR");
  g_unsetenv ("TSR_TEST_DEMO_COPY");

  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "demo.tessera");
  tsr_test_remove_tree (dir);
}

/* A writer that writes a little, then copies to /dev/full: the real
 * ENOSPC of a full device, reported through another stream (as a
 * format's writer may report it). */
static gboolean
write_to_full_device_cb (GOutputStream  *stream,
                         gpointer        user_data,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr(GOutputStream) full = NULL;
  int fd;

  if (!g_output_stream_write_all (stream, "{\"half\": ", 9, NULL, cancellable, error))
    return FALSE;

  fd = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  full = g_unix_output_stream_new (fd, TRUE);
  return g_output_stream_write_all (full, "x", 1, NULL, cancellable, error);
}

static void
test_save_device_full (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "report.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  g_assert_false (tsr_export_save_file (file, write_to_full_device_cb, NULL, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==,
                   "Could not save “report.json”: the disk is full. Nothing was written; "
                   "free some space or choose another place.");
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "");
  tsr_test_remove_tree (dir);
}

typedef struct
{
  GCancellable *cancellable;
  gboolean      fail;
} HalfWriter;

/* Writes half a file, then is cancelled (or fails) before the end. */
static gboolean
write_half_cb (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  HalfWriter *half = user_data;
  g_autofree char *text = g_strnfill (200 * 1024, 'x');

  if (!g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error))
    return FALSE;
  if (half->fail)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, "the writer gave up");
      return FALSE;
    }
  /* Cancelled after the writer's last look: it returns as if done. */
  g_cancellable_cancel (half->cancellable);
  return TRUE;
}

static void
test_save_cancelled_or_failed_midway (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "table.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  HalfWriter half = { cancellable, FALSE };

  g_assert_true (g_file_set_contents (path, "old,table\n", -1, NULL));

  g_assert_false (tsr_export_save_file (file, write_half_cb, &half, cancellable, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "“table.csv” was not saved: the export was cancelled");
  g_clear_error (&error);

  half.fail = TRUE;
  g_assert_false (tsr_export_save_file (file, write_half_cb, &half, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Could not save “table.csv”: the writer gave up");

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old,table\n");
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "table.csv");
  tsr_test_remove_tree (dir);
}

static gboolean
write_hello_cb (GOutputStream  *stream,
                gpointer        user_data,
                GCancellable   *cancellable,
                GError        **error)
{
  return g_output_stream_write_all (stream, "hello\n", 6, NULL, cancellable, error);
}

static void
save_hello (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_export_save_file (file, write_hello_cb, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The temporary files of killed runs go at the next save into their
 * folder; a save in progress (its file locked), other people's files and
 * names that only look like ours stay. */
static void
test_save_removes_stale_temporaries (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *target = g_build_filename (dir, "codebook.md", NULL);
  g_autofree char *live = g_build_filename (dir, ".tessera-tmp-Live01", NULL);
  g_autofree char *names = NULL;
  static const char * const stale[] = { ".tessera-tmp-aB3dE9", ".tessera-export-Zx81Qm" };
  static const char * const kept[] = {
    ".tessera-tmp-toolong1", ".tessera-tmp-ab.def", "tessera-tmp-aB3dE9", ".tessera-tmp-",
  };
  int live_fd;

  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *path = g_build_filename (dir, stale[i], NULL);

      g_assert_true (g_file_set_contents (path, "half an export", -1, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *path = g_build_filename (dir, kept[i], NULL);

      g_assert_true (g_file_set_contents (path, "not ours", -1, NULL));
    }
  live_fd = open (live, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (live_fd, >=, 0);
  g_assert_cmpint (flock (live_fd, LOCK_EX), ==, 0);

  save_hello (target);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==,
                   ".tessera-tmp- .tessera-tmp-Live01 .tessera-tmp-ab.def .tessera-tmp-toolong1 "
                   "codebook.md tessera-tmp-aB3dE9");

  /* Once its writer is gone, the live one is stale too. */
  close (live_fd);
  save_hello (target);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==,
                   ".tessera-tmp- .tessera-tmp-ab.def .tessera-tmp-toolong1 codebook.md tessera-tmp-aB3dE9");
  tsr_test_remove_tree (dir);
}

/* A writer that never ends: the child prints "writing" once half its
 * file is on disk and waits to be killed. */
static gboolean
write_forever_cb (GOutputStream  *stream,
                  gpointer        user_data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autofree char *text = g_strnfill (256 * 1024, 'x');

  if (!g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error) ||
      !g_output_stream_flush (stream, cancellable, error))
    return FALSE;
  printf ("writing\n");
  fflush (stdout);
  for (;;)
    pause ();
}

static int
killed_save_child (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  tsr_export_save_file (file, write_forever_cb, NULL, NULL, NULL);
  return 1;
}

/* A save killed half way leaves its temporary file, whole, beside an
 * older file that is untouched; a save into that folder while the
 * killed run still lives keeps it; the first after it died removes it. */
static void
test_save_killed_run (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *target = g_build_filename (dir, "themes.docx", NULL);
  g_autofree char *other = g_build_filename (dir, "other.md", NULL);
  g_autofree char *self = g_test_build_filename (G_TEST_BUILT, "test-faults", NULL);
  const char *argv[] = { self, "--killed-save-child", target, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *contents = NULL;
  char line[32] = "";
  GPid pid;
  int out_fd;
  FILE *out;

  g_assert_true (g_file_set_contents (target, "the old themes", -1, NULL));
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (fgets (line, sizeof line, out));
  g_assert_cmpstr (line, ==, "writing\n");

  save_hello (other);
  names = list_dir (dir);
  g_assert_true (g_str_has_prefix (names, ".tessera-tmp-"));
  g_assert_true (g_str_has_suffix (names, " other.md themes.docx"));

  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  fclose (out);

  save_hello (other);
  g_clear_pointer (&names, g_free);
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "other.md themes.docx");
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the old themes");
  tsr_test_remove_tree (dir);
}

/* tessera-cli export-json -o NEW on a full disk: exit 1, a message
 * naming the file and saying the disk is full, nothing left behind. */
static void
test_cli_export_json_full_disk (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *mount_point = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[3];

  if (!can_mount_tmpfs ())
    {
      g_test_skip ("this system does not let a test mount a small tmpfs (unshare -rm)");
      return;
    }

  dir = make_dir ();
  mount_point = g_build_filename (dir, "disk", NULL);
  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  demo = copy_demo (dir);
  args[0] = g_getenv ("TESSERA_CLI");
  args[1] = demo;
  args[2] = NULL;

  g_assert_cmpint (run_on_small_disk (mount_point,
                                      "LC_ALL=C.UTF-8 \"$2\" export-json \"$3\" -o \"$1/new.json\"\n"
                                      "status=$?\n"
                                      "ls -A \"$1\"\n"
                                      "exit $status",
                                      args, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==,
                   "tessera-cli: Could not save “new.json”: the disk is full. Nothing was written; "
                   "free some space or choose another place.\n");
  /* ls found nothing in the tmpfs. */
  g_assert_cmpstr (out, ==, "");
  tsr_test_remove_tree (dir);
}

static void
limit_file_size (gpointer user_data)
{
  /* Room for the project's write-ahead log and its index; not for the
   * demo's JSON, about 250 KB. */
  struct rlimit limit = { 128 * 1024, 128 * 1024 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

/* The same with the file size limit, which any system allows. */
static void
test_cli_export_json_size_limit (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *demo = copy_demo (dir);
  g_autofree char *target = g_build_filename (dir, "new.json", NULL);
  g_autofree char *names = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("TESSERA_CLI"), "export-json", demo, "-o", target, NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, limit_file_size, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==,
                   "tessera-cli: Could not save “new.json”: the file is larger than this system "
                   "allows. Nothing was written.\n");
  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "demo.tessera");
  tsr_test_remove_tree (dir);
}

/* A damaged project: reads fail, not stop short ------------------------ */

#define N_CODES 240

/* A project whose codes table spans several pages: a document, N_CODES
 * codes with definitions, a theme holding the first and last code, each
 * of the two coding a starred passage. */
static char *
make_project_with_many_codes (const char *dir)
{
  char *path = g_build_filename (dir, "many.tessera", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_create (path, &error);
  g_autoptr(TsrCoder) coder = NULL;
  gint64 doc, theme, first = 0, last = 0;

  g_assert_no_error (error);
  coder = tsr_project_confirm_coder (project, "Ada", &error);
  g_assert_no_error (error);
  doc = tsr_project_add_document (project, "Essay", "Kindness is remembered. Small gestures matter.", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_CODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code %03u", i);
      g_autofree char *definition = g_strdup_printf ("What code %03u means, said at some length so "
                                                     "that the table needs many pages.", i);
      gint64 id = tsr_project_create_code (project, 0, name, NULL, definition, &error);

      g_assert_no_error (error);
      if (i == 0)
        first = id;
      last = id;
    }
  theme = tsr_project_create_theme (project, 0, "Kindness", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_add_code_to_theme (project, theme, first, &error));
  g_assert_true (tsr_project_add_code_to_theme (project, theme, last, &error));
  g_assert_true (tsr_project_set_segment_exemplar (project,
                                                   tsr_project_add_segment (project, doc, first, 0, 22, &error),
                                                   TRUE, &error));
  g_assert_true (tsr_project_set_segment_exemplar (project,
                                                   tsr_project_add_segment (project, doc, last, 24, 46, &error),
                                                   TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_close (project, &error));
  return path;
}

/* Overwrites the last leaf page of @table's b-tree with garbage: the rows
 * on the pages before it are read, then the read fails. */
static void
damage_table (const char *path,
              const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = '%s'",
                                          table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint page_size, root, target;
  guint8 *page;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >=, (gsize) root * page_size);
  page = (guint8 *) contents + (gsize) (root - 1) * page_size;
  /* An interior table page (0x05) with its right-most child at byte 8. */
  g_assert_cmphex (page[0], ==, 0x05);
  target = (guint) page[8] << 24 | (guint) page[9] << 16 | (guint) page[10] << 8 | page[11];
  g_assert_cmpuint (target, >, 1);
  page = (guint8 *) contents + (gsize) (target - 1) * page_size;
  for (guint i = 0; i < page_size; i++)
    page[i] = (guint8) (i * 37 + 11);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}

static void
assert_damaged_error (const GError *error)
{
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
  g_assert_true (g_str_has_prefix (error->message, "The project “many.tessera” is damaged and cannot be read"));
}

/* The core: a list that stops on the damaged page says so through
 * tsr_project_check_reads (); the report and the JSON export fail. */
static void
test_damaged_core (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_project_with_many_codes (dir);
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  damage_table (path, "codes");

  /* Not for editing: the check at open finds the damage, and the file
   * is left as it was. */
  {
    g_autofree char *before = NULL, *after = NULL;
    gsize before_length, after_length;
    g_autoptr(TsrProject) editing = NULL;

    g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));
    editing = tsr_project_open (path, &error);
    g_assert_null (editing);
    g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
    g_assert_true (g_str_has_prefix (error->message, "The project “many.tessera” is damaged and cannot be edited ("));
    g_assert_null (strchr (error->message, '\n'));
    g_assert_null (strstr (error->message, "***"));
    g_clear_error (&error);
    g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
    g_assert_cmpmem (before, before_length, after, after_length);
  }

  /* Read-only, what can be read is read, and the damage is said. */
  project = tsr_project_open_read_only (path, &error);
  g_assert_no_error (error);

  codes = tsr_project_list_all_codes (project);
  g_assert_cmpuint (codes->len, <, N_CODES);
  g_assert_false (tsr_project_check_reads (project, &error));
  assert_damaged_error (error);
  g_clear_error (&error);
  /* Said once: the next check is about the reads after it. */
  g_assert_true (tsr_project_check_reads (project, &error));
  g_assert_no_error (error);

  report = tsr_project_build_report (project, scope, NULL, &error);
  g_assert_null (report);
  assert_damaged_error (error);
  g_clear_error (&error);

  /* One error, not one set over another (a GLib warning, fatal here). */
  g_assert_false (tsr_project_export_json (project, stream, NULL, &error));
  assert_damaged_error (error);
  g_clear_error (&error);

  g_assert_true (tsr_project_close (project, NULL));
  tsr_test_remove_tree (dir);
}

/* tessera-cli: each command that reads the damaged codes fails with the
 * message, prints nothing and writes no file. */
static void
test_damaged_cli (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_project_with_many_codes (dir);
  g_autofree char *quotes = g_build_filename (dir, "quotes.md", NULL);
  g_autofree char *json = g_build_filename (dir, "project.json", NULL);
  g_autofree char *names = NULL;
  static const char expected[] = "tessera-cli: The project “many.tessera” is damaged and cannot be read "
                                 "(database disk image is malformed)\n";

  {
    g_auto(TsrTestRun) r = { 0, };

    /* Whole before the damage. */
    run_cli (&r, "codes", path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Code 239\t"));
  }

  damage_table (path, "codes");

  {
    const char *commands[][6] = {
      { "codes", path, NULL },
      { "codes", "--tree", path, NULL },
      { "stats", "--codes", path, NULL },
      { "export", "--quotes", path, "-o", quotes, NULL },
      { "export-json", path, "-o", json, NULL },
      { "export-json", path, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_auto(TsrTestRun) r = { 0, };

        g_test_message ("tessera-cli %s %s", commands[i][0], commands[i][1]);
        run_cli (&r, commands[i][0], commands[i][1], commands[i][2], commands[i][3], commands[i][4], NULL);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_cmpstr (r.out, ==, "");
        if (g_str_equal (commands[i][0], "export-json") && commands[i][2] != NULL)
          g_assert_cmpstr (r.err, ==,
                           "tessera-cli: Could not save “project.json”: The project “many.tessera” is "
                           "damaged and cannot be read (database disk image is malformed)\n");
        else
          g_assert_cmpstr (r.err, ==, expected);
      }
  }

  /* The documents are on pages of their own: still listed. */
  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "docs", path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "\tEssay\t"));
  }

  /* An edit is refused at open, and the file keeps its bytes. */
  {
    g_auto(TsrTestRun) r = { 0, };
    g_autofree char *before = NULL, *after = NULL;
    gsize before_length, after_length;

    g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));
    run_cli (&r, "add-code", path, "Courage", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_true (g_str_has_prefix (r.err, "tessera-cli: The project “many.tessera” is damaged and cannot be edited ("));
    g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
    g_assert_cmpmem (before, before_length, after, after_length);
  }

  names = list_dir (dir);
  g_assert_cmpstr (names, ==, "many.tessera");
  tsr_test_remove_tree (dir);
}

/* A file with Tessera's id and version that lacks a table is refused,
 * for reading and for editing, and nothing is written into it. */
static void
test_missing_table (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = make_project_with_many_codes (dir);
  g_autofree char *before = NULL, *after = NULL;
  gsize before_length, after_length;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = OFF; DROP TABLE segments", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));

  for (guint read_only = 0; read_only < 2; read_only++)
    {
      g_autoptr(TsrProject) project = read_only ? tsr_project_open_read_only (path, &error)
                                                : tsr_project_open (path, &error);

      g_assert_null (project);
      g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
      g_assert_cmpstr (error->message, ==,
                       "The project “many.tessera” is damaged: its table “segments” is missing. "
                       "It was not changed.");
      g_clear_error (&error);
    }

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "add-code", path, "Courage", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "its table “segments” is missing"));
  }

  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  tsr_test_remove_tree (dir);
}

/* Files that are not files ----------------------------------------- */

typedef struct
{
  const char *name;
  const char *words;
} NotAFile;

static const NotAFile not_files[] = {
  { "pipe.txt", "it is a named pipe (FIFO), not a file" },
  { "zero.txt", "it is a device, not a file" },        /* a link to /dev/zero */
  { "folder.txt", "it is a folder" },
  { "socket.txt", "it is a socket, not a file" },
  { "loop.txt", "it is a symbolic link that leads round in a loop" },
};

/* A folder holding each of not_files. */
static char *
make_not_files (void)
{
  char *dir = make_dir ();
  g_autofree char *pipe_path = g_build_filename (dir, "pipe.txt", NULL);
  g_autofree char *zero = g_build_filename (dir, "zero.txt", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.txt", NULL);
  g_autofree char *socket_path = g_build_filename (dir, "socket.txt", NULL);
  g_autofree char *loop = g_build_filename (dir, "loop.txt", NULL);
  g_autofree char *back = g_build_filename (dir, "back.txt", NULL);
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  int fd;

  g_assert_cmpint (mkfifo (pipe_path, 0600), ==, 0);
  g_assert_cmpint (symlink ("/dev/zero", zero), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (symlink ("back.txt", loop), ==, 0);
  g_assert_cmpint (symlink ("loop.txt", back), ==, 0);
  g_assert_cmpuint (strlen (socket_path), <, sizeof address.sun_path);
  strcpy (address.sun_path, socket_path);
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  close (fd);
  return dir;
}

/* In a child with a time limit: a pipe that is read waits for ever, and
 * the test must fail, not hang. */
static void
test_not_a_file_core (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      const char *folder = g_getenv ("TSR_TEST_DIR");
      g_autofree char *project_path = g_build_filename (folder, "p.tessera", NULL);
      g_autoptr(TsrProject) project = tsr_project_create (project_path, NULL);
      g_autoptr(GFile) dev_zero = g_file_new_for_path ("/dev/zero");
      g_autoptr(GError) error = NULL;
      TsrImportFormat format;
      goffset size;

      for (guint i = 0; i < G_N_ELEMENTS (not_files); i++)
        {
          g_autofree char *path = g_build_filename (folder, not_files[i].name, NULL);
          g_autofree char *expected = g_strdup_printf ("The file “%s” cannot be read: %s",
                                                       not_files[i].name, not_files[i].words);
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_autofree char *text = tsr_import_read_text (file, &format, NULL, &error);

          g_assert_null (text);
          g_assert_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE);
          g_assert_cmpstr (error->message, ==, expected);
          g_clear_error (&error);

          g_assert_cmpint (tsr_project_import_file (project, file, NULL, &error), ==, 0);
          g_assert_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE);
          g_assert_cmpstr (error->message, ==, expected);
          g_clear_error (&error);
        }

      g_assert_null (tsr_import_open_file (dev_zero, &size, NULL, &error));
      g_assert_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE);
      g_assert_cmpstr (error->message, ==, "The file “zero” cannot be read: it is a device, not a file");
      g_assert_true (tsr_project_close (project, NULL));
      return;
    }

  dir = make_not_files ();
  g_setenv ("TSR_TEST_DIR", dir, TRUE);
  tsr_test_trap_subprocess (20 * G_USEC_PER_SEC);
  g_test_trap_assert_passed ();
  g_unsetenv ("TSR_TEST_DIR");
  tsr_test_remove_tree (dir);
}

/* Runs tessera-cli under timeout(1), which kills it after 20 s. */
static int
run_cli_with_timeout (char       **err,
                      gint64      *elapsed_us,
                      const char  *first,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) "timeout");
  g_ptr_array_add (argv, (char *) "-s");
  g_ptr_array_add (argv, (char *) "KILL");
  g_ptr_array_add (argv, (char *) "20");
  g_ptr_array_add (argv, (char *) g_getenv ("TESSERA_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err, &status, &error);
  g_assert_no_error (error);
  *elapsed_us = g_get_monotonic_time () - start;
  /* Killed by timeout(1): the import hung. */
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 124);
  g_assert_cmpint (WEXITSTATUS (status), !=, 137);
  g_assert_cmpstr (out, ==, "");
  return WEXITSTATUS (status);
}

/* tessera-cli import and import-json refuse them at once. */
static void
test_not_a_file_cli (void)
{
  g_autofree char *dir = make_not_files ();
  g_autofree char *project = g_build_filename (dir, "p.tessera", NULL);
  g_autofree char *pipe_path = g_build_filename (dir, "pipe.txt", NULL);
  g_autofree char *zero = g_build_filename (dir, "zero.txt", NULL);
  g_autofree char *imported = g_build_filename (dir, "imported.tessera", NULL);

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "new", project, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (not_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, not_files[i].name, NULL);
      g_autofree char *expected = g_strdup_printf ("tessera-cli: The file “%s” cannot be read: %s\n",
                                                   not_files[i].name, not_files[i].words);
      g_autofree char *err = NULL;
      gint64 elapsed;

      g_assert_cmpint (run_cli_with_timeout (&err, &elapsed, "import", project, path, NULL), ==, 1);
      g_assert_cmpstr (err, ==, expected);
      g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
    }

  {
    g_autofree char *err = NULL;
    gint64 elapsed;

    g_assert_cmpint (run_cli_with_timeout (&err, &elapsed, "import", project, "/dev/zero", NULL), ==, 1);
    g_assert_cmpstr (err, ==, "tessera-cli: The file “zero” cannot be read: it is a device, not a file\n");
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli_with_timeout (&err, &elapsed, "import-json", pipe_path, imported, NULL), ==, 1);
    g_assert_cmpstr (err, ==, "tessera-cli: The file “pipe.txt” cannot be read: it is a named pipe (FIFO), "
                              "not a file\n");
    g_assert_false (g_file_test (imported, G_FILE_TEST_EXISTS));
    g_clear_pointer (&err, g_free);

    g_assert_cmpint (run_cli_with_timeout (&err, &elapsed, "import-json", zero, imported, NULL), ==, 1);
    g_assert_cmpstr (err, ==, "tessera-cli: The file “zero.txt” cannot be read: it is a device, not a file\n");
    g_assert_false (g_file_test (imported, G_FILE_TEST_EXISTS));
  }

  tsr_test_remove_tree (dir);
}

/* A failed operation leaves no trace, coders included ----------------- */

static char *
coder_names (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM coders ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (names, "%s%s", names->len ? "," : "", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The core: a coder named for the edits to come, or the stand-in, is
 * added inside the first edit and goes with it when it fails. */
static void
test_failed_edit_adds_no_coder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.tessera", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  gint64 doc, code;

  {
    g_autoptr(TsrProject) project = tsr_project_create (path, &error);
    g_autoptr(TsrCoder) ada = NULL;

    g_assert_no_error (error);
    ada = tsr_project_confirm_coder (project, "Ada", &error);
    g_assert_nonnull (ada);
    doc = tsr_project_add_document (project, "Essay", "Kindness is remembered.", NULL, &error);
    code = tsr_project_create_code (project, 0, "Kindness", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (project, &error));
  }
  /* Every new segment is refused, inside the edit. */
  exec_sql (path, "CREATE TRIGGER refuse BEFORE INSERT ON segments BEGIN SELECT RAISE (ABORT, 'refused'); END");

  {
    g_autoptr(TsrProject) project = tsr_project_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (tsr_project_set_current_coder_name (project, "Zed", &error));
    g_assert_no_error (error);
    g_assert_null (tsr_project_find_coder (project, "Zed"));

    g_assert_cmpint (tsr_project_add_segment (project, doc, code, 0, 8, &error), ==, 0);
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_null (tsr_project_find_coder (project, "Zed"));
    /* Nobody codes under the id of a coder who is gone; the name waits
     * for the next edit. */
    g_assert_null (tsr_project_get_current_coder (project));
    g_assert_cmpint (tsr_project_add_segment (project, doc, code, 0, 8, &error), ==, 0);
    g_clear_error (&error);

    g_assert_cmpint (tsr_project_add_journal_entry (project, NULL, "A first thought", &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpstr (tsr_coder_get_name (tsr_project_get_current_coder (project)), ==, "Zed");
    g_assert_true (tsr_project_close (project, &error));
  }
  names = coder_names (path);
  g_assert_cmpstr (names, ==, "Ada,Zed");
  tsr_test_remove_tree (dir);
}

/* Nobody said who is coding: the stand-in made for a first edit that
 * fails goes with it. */
static void
test_failed_edit_adds_no_stand_in (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.tessera", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  gint64 doc, code;

  {
    g_autoptr(TsrProject) project = tsr_project_create (path, &error);

    g_assert_no_error (error);
    doc = tsr_project_add_document (project, "Essay", "Kindness is remembered.", NULL, &error);
    code = tsr_project_create_code (project, 0, "Kindness", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (project, &error));
  }
  exec_sql (path, "CREATE TRIGGER refuse BEFORE INSERT ON segments BEGIN SELECT RAISE (ABORT, 'refused'); END");

  {
    g_autoptr(TsrProject) project = tsr_project_open (path, &error);

    g_assert_no_error (error);
    g_assert_null (tsr_project_get_current_coder (project));
    g_assert_cmpint (tsr_project_add_segment (project, doc, code, 0, 8, &error), ==, 0);
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_null (tsr_project_get_current_coder (project));
    g_assert_false (tsr_project_get_coder_confirmed (project));
    g_assert_true (tsr_project_close (project, &error));
  }
  names = coder_names (path);
  g_assert_cmpstr (names, ==, "");
  tsr_test_remove_tree (dir);
}

/* tessera-cli import and merge with --coder NAME: a failure leaves the
 * coders as they were; a success adds NAME with the edit. */
static void
test_cli_failure_adds_no_coder (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *project = g_build_filename (dir, "p.tessera", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.txt", NULL);
  g_autofree char *binary = g_build_filename (dir, "essay.pdf", NULL);
  g_autofree char *text = g_build_filename (dir, "essay.txt", NULL);
  g_autofree char *names = NULL;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (binary, "\x01\x02\x03\x04 not a PDF", -1, NULL));
  g_assert_true (g_file_set_contents (text, "Kindness is remembered.\n", -1, NULL));

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "new", project, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_clear_pointer (&r.out, g_free);
    g_clear_pointer (&r.err, g_free);
    run_cli (&r, "set-coder", project, "Ada", NULL);
    g_assert_cmpint (r.status, ==, 0);
  }

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "--coder", "Zed", "import", project, fifo, binary, NULL);
    g_assert_cmpint (r.status, ==, 1);
    names = coder_names (project);
    g_assert_cmpstr (names, ==, "Ada");
  }

  {
    g_auto(TsrTestRun) r = { 0, };

    /* Refused: the other file is no project. */
    run_cli (&r, "--coder", "Zed", "merge", project, text, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.err, ==, "tessera-cli: The file “essay.txt” is not a Tessera project\n");
    g_clear_pointer (&names, g_free);
    names = coder_names (project);
    g_assert_cmpstr (names, ==, "Ada");
  }

  {
    g_auto(TsrTestRun) r = { 0, };

    run_cli (&r, "--coder", "Zed", "import", project, text, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_clear_pointer (&names, g_free);
    names = coder_names (project);
    g_assert_cmpstr (names, ==, "Ada,Zed");
    g_clear_pointer (&r.out, g_free);
    g_clear_pointer (&r.err, g_free);
    run_cli (&r, "history", project, NULL);
    g_assert_nonnull (strstr (r.out, "\tZed\tImport “essay.txt”\tfalse\n"));
  }

  tsr_test_remove_tree (dir);
}

/* Reads never write ------------------------------------------------ */

typedef struct
{
  GBytes *bytes;
  gint64  mtime_ns;
} FileState;

static void
file_state_get (const char *path,
                FileState  *state)
{
  g_autofree char *contents = NULL;
  gsize length;
  struct stat st;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  state->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_cmpint (stat (path, &st), ==, 0);
  state->mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
}

/* @path has the bytes and modification time of @before, and no journal,
 * log or index beside it. */
static void
assert_unchanged (const char      *path,
                  const FileState *before,
                  const char      *what)
{
  FileState after;
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  g_test_message ("after %s", what);
  file_state_get (path, &after);
  g_assert_true (g_bytes_equal (after.bytes, before->bytes));
  g_assert_cmpint (after.mtime_ns, ==, before->mtime_ns);
  g_bytes_unref (after.bytes);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (path, suffixes[i], NULL);

      g_assert_false (g_file_test (side, G_FILE_TEST_EXISTS));
    }
}

/* A copy of the demo, its time set back to 2001: any write shows. */
static char *
copy_demo_dated (const char *dir,
                 FileState  *state)
{
  char *path = copy_demo (dir);
  struct timespec times[2] = { { 978307200, 0 }, { 978307200, 0 } };

  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  file_state_get (path, state);
  return path;
}

/* The commands that only read leave the file as it was. */
static void
test_cli_reads_never_write (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *table = g_build_filename (out_dir, "themes.md", NULL);
  g_autofree char *json = g_build_filename (out_dir, "project.json", NULL);
  g_autofree char *agreement = g_build_filename (out_dir, "agreement.csv", NULL);
  FileState before;
  g_autofree char *path = copy_demo_dated (dir, &before);
  const char *commands[][9] = {
    { "docs", path },
    { "codes", path },
    { "codes", "--tree", path },
    { "stats", path },
    { "stats", "--codes", "--format", "json", path },
    { "history", path },
    { "export", path, "-o", table },
    { "export", "--what", "writeup", path, "-o", "-", "-f", "md" },
    { "export-json", path },
    { "export-json", path, "-o", json },
    { "agreement", path, "--coders", "Dana Whitfield,Rafael Ortiz" },
    { "agreement", path, "--coders", "Dana Whitfield,Rafael Ortiz", "-f", "csv", "-o", agreement },
    { "merge", "--dry-run", path, path },
    { "undo", path },   /* nothing to undo: it fails, writing nothing */
  };

  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(TsrTestRun) r = { 0, };
      g_autofree char *what = g_strjoinv (" ", (char **) commands[i]);

      run_cli (&r, commands[i][0], commands[i][1], commands[i][2], commands[i][3], commands[i][4],
               commands[i][5], commands[i][6], commands[i][7], NULL);
      if (!g_str_equal (commands[i][0], "undo"))
        {
          if (r.status != 0)
            g_error ("tessera-cli %s: %s", what, r.err);
        }
      else
        g_assert_cmpint (r.status, ==, 1);
      assert_unchanged (path, &before, what);
    }

  g_bytes_unref (before.bytes);
  tsr_test_remove_tree (dir);
}

/* Opening a project for editing, reading it as the app's views do and
 * closing it writes nothing; the first edit does, and closing leaves one
 * file again.  A project opened read-only refuses edits. */
static void
test_open_without_editing (void)
{
  g_autofree char *dir = make_dir ();
  FileState before;
  g_autofree char *path = copy_demo_dated (dir, &before);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TsrProject) project = tsr_project_open (path, &error);
    g_autoptr(GListModel) documents = NULL;
    g_autoptr(GListModel) codes = NULL;
    g_autoptr(TsrScope) scope = NULL;
    g_autoptr(TsrCounts) counts = NULL;
    g_autoptr(TsrReport) report = NULL;
    g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

    g_assert_no_error (error);
    documents = tsr_project_get_documents (project);
    codes = tsr_project_get_codes (project, 0);
    g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 22);
    g_assert_cmpuint (g_list_model_get_n_items (codes), >, 0);
    scope = tsr_project_dup_default_scope (project);
    counts = tsr_project_compute_counts (project, scope, NULL, &error);
    g_assert_no_error (error);
    report = tsr_project_build_report (project, scope, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tsr_project_export_json (project, stream, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (tsr_project_check_integrity (project, &error));
    g_assert_true (tsr_project_close (project, &error));
    g_assert_no_error (error);
  }
  assert_unchanged (path, &before, "opening, reading and closing");

  {
    g_autoptr(TsrProject) project = tsr_project_open_read_only (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (tsr_project_create_code (project, 0, "Never written", NULL, NULL, &error), ==, 0);
    g_assert_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY);
    g_clear_error (&error);
    g_assert_true (tsr_project_close (project, &error));
  }
  assert_unchanged (path, &before, "a refused edit of a read-only project");

  {
    g_autoptr(TsrProject) project = tsr_project_open (path, &error);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    FileState after;

    g_assert_no_error (error);
    g_assert_cmpint (tsr_project_create_code (project, 0, "Written", NULL, NULL, &error), >, 0);
    /* Edits go through the write-ahead log from the first. */
    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_true (tsr_project_close (project, &error));
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    file_state_get (path, &after);
    g_assert_false (g_bytes_equal (after.bytes, before.bytes));
    g_bytes_unref (after.bytes);
  }

  g_bytes_unref (before.bytes);
  tsr_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--full-disk-child"))
    return full_disk_child (argv[2], argv[3]);
  if (argc == 3 && g_str_equal (argv[1], "--killed-save-child"))
    return killed_save_child (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/faults/save/full-disk", test_save_full_disk);
  g_test_add_func ("/tessera/faults/save/size-limit", test_save_size_limit);
  g_test_add_func ("/tessera/faults/save/device-full", test_save_device_full);
  g_test_add_func ("/tessera/faults/save/cancelled-or-failed-midway", test_save_cancelled_or_failed_midway);
  g_test_add_func ("/tessera/faults/save/stale-temporaries", test_save_removes_stale_temporaries);
  g_test_add_func ("/tessera/faults/save/killed-run", test_save_killed_run);
  g_test_add_func ("/tessera/faults/cli/export-json-full-disk", test_cli_export_json_full_disk);
  g_test_add_func ("/tessera/faults/cli/export-json-size-limit", test_cli_export_json_size_limit);
  g_test_add_func ("/tessera/faults/damaged/core", test_damaged_core);
  g_test_add_func ("/tessera/faults/damaged/cli", test_damaged_cli);
  g_test_add_func ("/tessera/faults/damaged/missing-table", test_missing_table);
  g_test_add_func ("/tessera/faults/not-a-file/core", test_not_a_file_core);
  g_test_add_func ("/tessera/faults/not-a-file/cli", test_not_a_file_cli);
  g_test_add_func ("/tessera/faults/coders/failed-edit", test_failed_edit_adds_no_coder);
  g_test_add_func ("/tessera/faults/coders/failed-stand-in", test_failed_edit_adds_no_stand_in);
  g_test_add_func ("/tessera/faults/coders/cli", test_cli_failure_adds_no_coder);
  g_test_add_func ("/tessera/faults/reads/cli", test_cli_reads_never_write);
  g_test_add_func ("/tessera/faults/reads/open-without-editing", test_open_without_editing);

  return g_test_run ();
}
