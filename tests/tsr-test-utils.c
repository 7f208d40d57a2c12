/* tsr-test-utils.c — what the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/wait.h>

#include <glib/gstdio.h>

#include <stdarg.h>

#include "tsr-test-utils.h"

void
tsr_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* A test may have made the folder read-only. */
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tsr_test_remove_tree (child);
        }
    }
  g_remove (path);
}

void
tsr_test_copy_file (const char *from,
                    const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

char *
tsr_test_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "import", name, NULL);
}

gint64
tsr_test_id_of (gpointer entity)
{
  return tsr_entity_get_id (TSR_ENTITY (entity));
}

void
tsr_test_run_clear (TsrTestRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

void
tsr_test_run_cli_v (TsrTestRun  *r,
                    char       **envp,
                    const char  *first,
                    va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TESSERA_CLI");
  int wait_status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);

  if (g_test_verbose ())
    g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", r->status, r->out, r->err);
}

void
tsr_test_trap_subprocess (guint64 usec_timeout)
{
  g_autofree char *saved = g_strdup (g_getenv ("LSAN_OPTIONS"));
  g_autofree char *options = saved != NULL ? g_strconcat (saved, ":detect_leaks=0", NULL)
                                           : g_strdup ("detect_leaks=0");

  g_setenv ("LSAN_OPTIONS", options, TRUE);
  g_test_trap_subprocess (NULL, usec_timeout, G_TEST_SUBPROCESS_DEFAULT);
  if (saved != NULL)
    g_setenv ("LSAN_OPTIONS", saved, TRUE);
  else
    g_unsetenv ("LSAN_OPTIONS");
}

void
tsr_test_run_cli (TsrTestRun *r,
                  const char *coder,
                  const char *first,
                  ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  va_list args;

  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = coder != NULL ? g_environ_setenv (envp, "TESSERA_CODER", coder, TRUE)
                       : g_environ_unsetenv (envp, "TESSERA_CODER");
  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}
