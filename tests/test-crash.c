/* test-crash.c — an acknowledged edit survives the process being killed
 *
 * A child process makes edits as fast as it can and reports each one on
 * stdout as soon as the core has returned it; the parent kills the child
 * with SIGKILL in the middle, then opens the file: it must pass the
 * integrity check and hold every edit the child reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tessera.h"

static int
run_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_open (path, &error);
  g_autoptr(TsrDocument) doc = NULL;
  g_autoptr(TsrCode) code = NULL;

  if (project == NULL)
    return 1;
  doc = tsr_project_find_document (project, "Doc");
  code = tsr_project_find_code (project, "Code");

  for (guint i = 0; ; i++)
    {
      guint start = i % 900;
      gint64 id = tsr_project_add_segment (project, tsr_entity_get_id (TSR_ENTITY (doc)),
                                           tsr_entity_get_id (TSR_ENTITY (code)),
                                           start, start + 10, &error);
      if (id == 0)
        return 1;
      printf ("%" G_GINT64_FORMAT "\n", id);
      fflush (stdout);
    }
}

static void
test_kill_while_editing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tsr-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "crash.tessera", NULL);
  g_autofree char *text = g_strnfill (1000, 'x');
  g_autoptr(GArray) acknowledged = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-crash", NULL), "--child", path, NULL };
  GPid pid;
  int out_fd;
  FILE *out;
  char line[64];

  {
    g_autoptr(TsrProject) project = tsr_project_create (path, &error);

    g_assert_no_error (error);
    tsr_project_add_document (project, "Doc", text, NULL, &error);
    tsr_project_create_code (project, 0, "Code", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (project, &error));
  }

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");

  /* Let it get well into its stride, then kill it mid-edit. */
  while (acknowledged->len < 300 && fgets (line, sizeof line, out) != NULL)
    {
      gint64 id = g_ascii_strtoll (line, NULL, 10);
      g_array_append_val (acknowledged, id);
    }
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  /* Lines already written before the kill were acknowledged too. */
  while (fgets (line, sizeof line, out) != NULL)
    {
      gint64 id = g_ascii_strtoll (line, NULL, 10);
      g_array_append_val (acknowledged, id);
    }
  fclose (out);

  g_assert_cmpuint (acknowledged->len, >=, 300);

  {
    g_autoptr(TsrProject) project = tsr_project_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (tsr_project_check_integrity (project, &error));
    g_assert_no_error (error);
    for (guint i = 0; i < acknowledged->len; i++)
      {
        g_autoptr(TsrSegment) seg = tsr_project_lookup_segment (project, g_array_index (acknowledged, gint64, i));
        g_assert_nonnull (seg);
      }
    /* And the history can still undo the last acknowledged edit. */
    g_assert_true (tsr_project_undo (project, &error));
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (project, &error));
  }

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tessera/reliability/kill-while-editing", test_kill_while_editing);
  return g_test_run ();
}
