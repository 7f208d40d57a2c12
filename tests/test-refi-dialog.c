/* test-refi-dialog.c — REFI-QDA projects in and out of the window
 *
 * What the menu's choosers lead to, driven through the window: a .qdpx
 * imported as a new project (progress, then the project opens and the
 * summary shows what came in), a failed import that replaces nothing,
 * and an export whose summary says what was written.  Runs under Xvfb;
 * the sample comes from $TESSERA_QDA_SAMPLES and the import tests skip
 * without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-refi-dialog.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

typedef struct
{
  char      *dir;
  char      *path;
  TsrWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;

  f->dir = g_dir_make_tmp ("tessera-refi-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "demo.tessera", NULL);
  tsr_test_copy_file (g_getenv ("TESSERA_DEMO"), f->path);

  f->window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 740);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (is_mapped, f->window);
  file = g_file_new_for_path (f->path);
  tsr_window_open_file (f->window, file);
  wait_until (has_project, f->window);
}

/* Closes every window and dialog but the fixture's */
static void
close_others (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != GTK_WINDOW (f->window))
        gtk_window_destroy (window);
    }
  run_for (50);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_others (f);
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  run_for (50);
  g_assert_finalize_object (f->window);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The message dialog whose heading begins with @prefix */
static AdwMessageDialog *
find_message (const char *prefix)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), prefix))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_message (gpointer data)
{
  return find_message (data) != NULL;
}

/* The summary's text: the label in the dialog's scrolled extra child */
static const char *
summary_text (AdwMessageDialog *dialog)
{
  GtkWidget *scrolled = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *label = GTK_IS_VIEWPORT (viewport) ? gtk_viewport_get_child (GTK_VIEWPORT (viewport)) : viewport;

  return gtk_label_get_text (GTK_LABEL (label));
}

static char *
sample (const char *name)
{
  const char *dir = g_getenv ("TESSERA_QDA_SAMPLES");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, name, NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("the REFI-QDA samples are not here (TESSERA_QDA_SAMPLES)");
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gboolean
shows_file (gpointer data)
{
  return tsr_application_find_window (app, data) != NULL;
}

/* Only @keep is left in the folder: no temporary, no half project */
static void
assert_folder_holds (Fixture    *f,
                     const char *keep,
                     const char *also)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_str_equal (name, keep) && (also == NULL || !g_str_equal (name, also)) &&
        !g_str_has_prefix (name, "demo.tessera"))
      g_error ("“%s” was left in the folder", name);
}

/* The qc sample, imported over a file of the same name: the new project
 * opens, the summary says what came in. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *qdpx = sample ("qc132_demo.qdpx");
  g_autofree char *target_path = g_build_filename (f->dir, "qc.tessera", NULL);
  g_autoptr(GFile) target = g_file_new_for_path (target_path);
  g_autoptr(GFile) file = NULL;
  AdwMessageDialog *summary;
  TsrWindow *shown;

  if (qdpx == NULL)
    return;
  g_assert_true (g_file_set_contents (target_path, "an old file the user agreed to replace", -1, NULL));
  file = g_file_new_for_path (qdpx);
  tsr_refi_dialog_import (f->window, file, target);
  wait_until (has_message, (gpointer) "Imported");
  wait_until (shows_file, target);

  summary = find_message ("Imported “qc132_demo.qdpx”");
  g_assert_nonnull (summary);
  g_assert_nonnull (strstr (summary_text (summary), "2 documents, 262 codes, 205 coded passages, 1 coder."));
  g_assert_nonnull (strstr (summary_text (summary), "“board_2017”: 158 of 158 selections on word boundaries"));
  g_assert_null (find_message ("Importing"));

  shown = tsr_application_find_window (app, target);
  wait_until (has_project, shown);
  g_assert_cmpuint (tsr_project_get_n_documents (tsr_window_get_project (shown)), ==, 2);
  assert_folder_holds (f, "qc.tessera", NULL);
}

/* A file that is not a REFI-QDA project: a message, and the file the
 * import would have replaced is as it was. */
static void
test_import_fails (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *bad_path = g_build_filename (f->dir, "bad.qdpx", NULL);
  g_autofree char *target_path = g_build_filename (f->dir, "kept.tessera", NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) target = g_file_new_for_path (target_path);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (bad_path, "not a zip", -1, NULL));
  g_assert_true (g_file_set_contents (target_path, "before", -1, NULL));
  tsr_refi_dialog_import (f->window, bad, target);
  wait_until (has_message, (gpointer) "Could Not Import");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (find_message ("Could Not Import “bad.qdpx”")),
                            "not a complete zip archive"));
  g_assert_true (g_file_get_contents (target_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "before");
  assert_folder_holds (f, "bad.qdpx", "kept.tessera");
}

/* The demo exported: the file is there and the summary says what was
 * written and what REFI-QDA has no place for. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out_path = g_build_filename (f->dir, "demo.qdpx", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  AdwMessageDialog *summary;

  tsr_refi_dialog_export (f->window, out);
  wait_until (has_message, (gpointer) "Exported");
  summary = find_message ("Exported “demo.qdpx”");
  g_assert_nonnull (summary);
  g_assert_nonnull (strstr (summary_text (summary), "Written: 22 documents"));
  g_assert_nonnull (strstr (summary_text (summary), "exemplar"));
  g_assert_true (g_file_test (out_path, G_FILE_TEST_IS_REGULAR));
}

/* The menu's export does nothing without a project open */
static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  guint before;

  g_assert_true (tsr_window_close_project (f->window));
  before = g_list_model_get_n_items (gtk_window_get_toplevels ());
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export-refi", NULL);
  run_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  int ret;

  home = g_dir_make_tmp ("tessera-test-home-XXXXXX", NULL);
  g_assert_nonnull (home);
  data_home = g_build_filename (home, "data", NULL);
  config_home = g_build_filename (home, "config", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (on_log_fatal_cb, NULL);

  app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

#define ADD(path, func) g_test_add ("/tessera/refi-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("import", test_import);
  ADD ("import-fails", test_import_fails);
  ADD ("export", test_export);
  ADD ("actions", test_actions);
#undef ADD

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  tsr_test_remove_tree (home);
  return ret;
}
