/* test-narrow.c — the window on a laptop beside Word, and on a phone
 *
 * Opens a copy of the demo and sets the window 1366, 683 (half of a
 * 1366 px laptop screen) and 360 px wide.  Every view, the welcome page
 * and the dialogs must fit the narrowest width without clipping: their
 * measured minimum widths are at most 360 px.  At 683 px the Code view
 * folds its side panes away so the reader keeps a column wide enough to
 * read.  With $TESSERA_SCREENSHOT_DIR set, pictures of every view at
 * every width are saved there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-import-dialog.h"
#include "tsr-merge-dialog.h"
#include "tsr-preferences-window.h"
#include "tsr-review-view.h"
#include "tsr-themes-view.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

static const int widths[] = { 1366, 683, 360 };
static const char *views[] = { "code", "themes", "review", "report", "agreement", "compare" };

/* Narrower than this, a column of essay text reads as a list of words. */
#define MIN_READER_WIDTH 340
#define MIN_TEXT_WIDTH   340

/* Helpers ------------------------------------------------------------ */

static int
min_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The width @widget needs at the height it has: wrapping labels and
 * rows that flow need more width when they have less height. */
static int
min_width_for_height (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, gtk_widget_get_height (widget),
                      &minimum, NULL, NULL, NULL);
  return minimum;
}

/* The window's own minimum, without the decorations and shadows the
 * window manager may or may not add around it. */
static int
content_min_width (GtkWindow *window)
{
  GtkWidget *content;

  if (ADW_IS_APPLICATION_WINDOW (window))
    content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  else if (ADW_IS_WINDOW (window))
    content = adw_window_get_content (ADW_WINDOW (window));
  else
    content = gtk_window_get_child (window);

  g_assert_nonnull (content);
  return min_width (content);
}

typedef struct
{
  GtkWidget *widget;
  int        old_width;
} WidthWait;

static gboolean
width_changed (gpointer data)
{
  WidthWait *w = data;

  return gtk_widget_get_width (w->widget) != w->old_width;
}

/* Asks for @width and runs the main loop until @widget has changed its
 * width (a busy machine takes its time) and then kept it for 200 ms. */
static int
ask_width (GtkWindow *window,
           int        asked,
           int        width)
{
  GtkWidget *widget = GTK_WIDGET (window);
  WidthWait w = { widget, gtk_widget_get_width (widget) };
  int got;

  gtk_window_set_default_size (window, asked, 760);
  /* The frame takes up to 10 px of the size asked for, and a screen
   * narrower than the width asked for may hold the window to it: wait
   * for a change up to 3 s. */
  if (ABS (w.old_width - width) > 10)
    {
      gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      while (!width_changed (&w) && g_get_monotonic_time () < end)
        run_for (50);
    }

  do
    {
      got = gtk_widget_get_width (widget);
      run_for (200);
    }
  while (gtk_widget_get_width (widget) != got);

  return got;
}

/* Resizes @window as a person dragging its edge would, and waits until
 * the new size is laid out.  Returns the width it got: a screen
 * narrower than @width holds the window to its own width. */
static int
resize_window (GtkWindow *window,
               int        width)
{
  int got = ask_width (window, width, width);

  /* Without a compositor the window's frame takes part of the size
   * asked for: ask for that much more. */
  if (got < width)
    got = ask_width (window, 2 * width - got, width);

  /* A window folds what it can once it is narrow (below 500 px): the
   * header's coder and phases buttons go.  Until then its minimum is
   * wider than a phone; a hand dragging the edge goes on, as this
   * second request does. */
  if (got > width)
    got = ask_width (window, width, width);

  g_test_message ("window asked %d px wide, is %d px", width, got);
  return got;
}

/* The demo, copied into @dir; NULL (and the test skipped) when it has not
 * been built. */
static char *
copy_demo (const char *dir,
           const char *name)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  char *copy;

  if (demo == NULL || !g_file_test (demo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      return NULL;
    }

  copy = g_build_filename (dir, name, NULL);
  tsr_test_copy_file (demo, copy);
  return copy;
}

static TsrWindow *
open_demo_window (const char *path,
                  int         width)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TsrWindow *window = tsr_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  tsr_window_open_file (window, file);
  wait_until (has_project, window);
  run_for (200);

  return window;
}

static void
destroy_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  run_for (50);
  g_assert_finalize_object (window);
}

static gpointer
find_toplevel (GType      type,
               GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) &&
          (parent == NULL || gtk_window_get_transient_for (w) == parent))
        return w;
    }
  return NULL;
}

static gboolean
accel_is_for (const char *accel,
              const char *action)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

  return actions != NULL && g_strv_contains ((const char * const *) actions, action);
}

/* Tests -------------------------------------------------------------- */

/* Each view's minimum width, at each width of the window, fits 360 px;
 * the header bar's too. */
static void
test_views_fit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-narrow-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir, "demo.tessera");
  AdwViewStack *stack;
  TsrWindow *window;

  if (path == NULL)
    return;

  window = open_demo_window (path, 1366);
  stack = get_child (window, "view_stack");

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      int width = resize_window (GTK_WINDOW (window), widths[w]);

      /* The narrow widths exactly; the wide one as wide as the screen. */
      if (widths[w] < 1000)
        g_assert_cmpint (width, ==, widths[w]);
      else
        g_assert_cmpint (width, >=, 1000);
      /* A phone's header bar has no room for the phases. */
      g_assert_true (gtk_widget_get_visible (get_child (window, "phases_button")) == (width >= 500));

      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        {
          GtkWidget *page = adw_view_stack_get_child_by_name (stack, views[v]);
          g_autofree char *shot = g_strdup_printf ("%s-%d.png", views[v], widths[w]);
          int page_min;
          int window_min;

          adw_view_stack_set_visible_child_name (stack, views[v]);
          run_for (150);

          page_min = min_width (page);
          window_min = content_min_width (GTK_WINDOW (window));
          g_test_message ("%s at %d px: the view needs %d px (%d px at its height), "
                          "the window with its header bar %d px",
                          views[v], widths[w], page_min, min_width_for_height (page), window_min);
          g_assert_cmpint (page_min, <=, 360);
          /* The header bar drops the phases' button when narrow: until
           * then the window may need more, never more than it has. */
          g_assert_cmpint (window_min, <=, width);
          /* Rows that wrap in a short window need no more width than it has. */
          g_assert_cmpint (min_width_for_height (page), <=, width);
          /* Nothing wider than the window is laid out in it. */
          g_assert_cmpint (gtk_widget_get_width (page), <=, width);

          ui_save_screenshot (GTK_WIDGET (window), shot);
        }
    }

  destroy_window (GTK_WINDOW (window));
  tsr_test_remove_tree (dir);
}

/* At half a laptop screen the Code view folds its panes away and the
 * reader keeps a column to read in; the panes come back on demand. */
static void
test_reader_keeps_width (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-narrow-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir, "demo.tessera");
  graphene_rect_t bounds;
  GdkRectangle text;
  GtkWidget *reader;
  TsrWindow *window;

  if (path == NULL)
    return;

  window = open_demo_window (path, 1366);
  g_assert_cmpint (resize_window (GTK_WINDOW (window), 683), ==, 683);
  /* The code pane slides away. */
  run_for (500);
  reader = get_child (window, "reader");
  g_assert_true (gtk_widget_get_mapped (reader));
  g_assert_true (adw_flap_get_folded (get_child (window, "code_flap")));
  g_assert_true (adw_flap_get_folded (get_child (window, "sidebar_flap")));

  /* The reader as a whole, and the column its text wraps in (less the
   * page's padding and the coding margin). */
  g_assert_true (gtk_widget_compute_bounds (reader, reader, &bounds));
  gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (reader), &text);
  g_test_message ("reader at 683 px: %g px, its text %d px", bounds.size.width, text.width);
  g_assert_cmpfloat (bounds.size.width, >=, MIN_READER_WIDTH);
  g_assert_cmpint (text.width, >=, MIN_TEXT_WIDTH);

  destroy_window (GTK_WINDOW (window));
  tsr_test_remove_tree (dir);
}

/* F9 shows and hides the documents, Ctrl+F9 the codes and memos, as
 * their buttons do; folded, they open over the reader. */
static void
test_pane_toggles (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-narrow-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir, "demo.tessera");
  AdwFlap *sidebar_flap;
  AdwFlap *code_flap;
  TsrWindow *window;

  if (path == NULL)
    return;

  g_assert_true (accel_is_for ("F9", "win.toggle-sidebar"));
  g_assert_true (accel_is_for ("<Control>F9", "win.toggle-code-pane"));

  window = open_demo_window (path, 1366);
  sidebar_flap = get_child (window, "sidebar_flap");
  code_flap = get_child (window, "code_flap");

  /* Wide: everything side by side. */
  g_assert_false (adw_flap_get_folded (sidebar_flap));
  g_assert_false (adw_flap_get_folded (code_flap));
  g_assert_true (adw_flap_get_reveal_flap (sidebar_flap));
  g_assert_true (gtk_toggle_button_get_active (get_child (window, "sidebar_button")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_assert_false (adw_flap_get_reveal_flap (sidebar_flap));
  g_assert_false (gtk_toggle_button_get_active (get_child (window, "sidebar_button")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_assert_true (adw_flap_get_reveal_flap (sidebar_flap));

  /* A laptop's screen beside another window: the documents fold away,
   * the codes stay beside the reader for coding by dragging. */
  resize_window (GTK_WINDOW (window), 960);
  g_assert_true (adw_flap_get_folded (sidebar_flap));
  g_assert_false (adw_flap_get_reveal_flap (sidebar_flap));
  g_assert_false (gtk_toggle_button_get_active (get_child (window, "sidebar_button")));
  g_assert_false (adw_flap_get_folded (code_flap));
  g_assert_true (adw_flap_get_reveal_flap (code_flap));
  ui_save_screenshot (GTK_WIDGET (window), "code-960.png");

  /* Half of it: the codes fold too; F9 brings the documents over the
   * reader. */
  resize_window (GTK_WINDOW (window), 683);
  g_assert_true (adw_flap_get_folded (code_flap));
  g_assert_false (adw_flap_get_reveal_flap (code_flap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_assert_true (adw_flap_get_reveal_flap (sidebar_flap));
  run_for (400);
  ui_save_screenshot (GTK_WIDGET (window), "documents-683.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);

  /* A phone: the panes fold, and their buttons bring them over the
   * reader. */
  resize_window (GTK_WINDOW (window), 360);
  g_assert_true (adw_flap_get_folded (code_flap));
  g_assert_true (adw_flap_get_folded (sidebar_flap));
  g_assert_false (adw_flap_get_reveal_flap (code_flap));
  g_signal_emit_by_name (get_child (window, "code_pane_button"), "clicked");
  g_assert_true (adw_flap_get_reveal_flap (code_flap));
  run_for (400);
  ui_save_screenshot (GTK_WIDGET (window), "code-pane-360.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-code-pane", NULL);
  g_assert_false (adw_flap_get_reveal_flap (code_flap));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  g_assert_true (adw_flap_get_reveal_flap (sidebar_flap));
  run_for (400);
  ui_save_screenshot (GTK_WIDGET (window), "documents-360.png");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);

  /* On the other views F9 and Ctrl+F9 show their own panes. */
  tsr_window_show_view (window, "themes");
  run_for (300);
  {
    GtkWidget *view = get_child (window, "themes_view");
    AdwFlap *bin = ADW_FLAP (gtk_widget_get_template_child (view, TSR_TYPE_THEMES_VIEW, "flap"));

    g_assert_true (adw_flap_get_folded (bin));
    g_assert_false (adw_flap_get_reveal_flap (bin));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
    g_assert_true (adw_flap_get_reveal_flap (bin));
    g_assert_false (adw_flap_get_reveal_flap (sidebar_flap));
    run_for (400);
    ui_save_screenshot (GTK_WIDGET (window), "themes-bin-360.png");
  }
  tsr_window_show_view (window, "review");
  run_for (300);
  {
    GtkWidget *view = get_child (window, "review_view");
    AdwFlap *card = ADW_FLAP (gtk_widget_get_template_child (view, TSR_TYPE_REVIEW_VIEW, "card_flap"));

    g_assert_false (adw_flap_get_reveal_flap (card));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-code-pane", NULL);
    g_assert_true (adw_flap_get_reveal_flap (card));
    g_assert_false (adw_flap_get_reveal_flap (code_flap));
  }
  tsr_window_show_view (window, "code");

  /* Searching the codes shows them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search-codes", NULL);
  g_assert_true (adw_flap_get_reveal_flap (code_flap));

  destroy_window (GTK_WINDOW (window));
  tsr_test_remove_tree (dir);
}

static gboolean
is_narrow (gpointer data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (data), "tsr-narrow");
}

/* No project open: the welcome page. */
static void
test_welcome_fits (void)
{
  TsrWindow *window = tsr_window_new (app);
  int minimum;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  /* The window folds its header once it knows it is narrow, after its
   * first allocation: slower under the sanitizers than 100 ms. */
  wait_until (is_narrow, window);
  run_for (100);

  minimum = content_min_width (GTK_WINDOW (window));
  g_test_message ("welcome: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  ui_save_screenshot (GTK_WIDGET (window), "welcome-360.png");

  destroy_window (GTK_WINDOW (window));
}

static void
check_dialog (GtkWindow  *dialog,
              const char *name)
{
  g_autofree char *shot = g_strdup_printf ("%s-360.png", name);
  int minimum;

  wait_until (is_mapped, dialog);
  minimum = content_min_width (dialog);
  g_test_message ("%s: %d px", name, minimum);
  g_assert_cmpint (minimum, <=, 360);

  /* A dialog that does not resize keeps its own width, no wider. */
  g_assert_cmpint (resize_window (dialog, 360), <=, 360);
  ui_save_screenshot (GTK_WIDGET (dialog), shot);
}

/* Preferences, importing a spreadsheet, merging a project. */
static void
test_dialogs_fit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-narrow-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir, "demo.tessera");
  g_autofree char *other = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(GListStore) files = NULL;
  g_autoptr(GFile) other_file = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;
  TsrWindow *window;

  if (path == NULL)
    return;

  window = open_demo_window (path, 683);

  dialog = GTK_WINDOW (tsr_preferences_window_new (app));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (window));
  gtk_window_present (dialog);
  check_dialog (dialog, "preferences");
  destroy_window (dialog);

  /* A spreadsheet of answers: the dialog asks which column is which. */
  csv = g_build_filename (dir, "answers.csv", NULL);
  g_file_set_contents (csv,
                       "id,Answer given by the participant about the ceremony,Ward of the participant\n"
                       "p1,The ceremony made me feel that the whole ward stood behind her.,Oncology\n"
                       "p2,I had not expected to cry; it reminded me why I chose nursing.,Cardiology\n",
                       -1, &error);
  g_assert_no_error (error);
  files = g_list_store_new (G_TYPE_FILE);
  csv_file = g_file_new_for_path (csv);
  g_list_store_append (files, csv_file);
  dialog = GTK_WINDOW (tsr_import_dialog_run (window, G_LIST_MODEL (files)));
  check_dialog (dialog, "import");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.close", NULL);
  run_for (100);
  g_assert_null (find_toplevel (TSR_TYPE_IMPORT_DIALOG, NULL));

  /* Another coder's copy of the project. */
  other = copy_demo (dir, "other.tessera");
  other_file = g_file_new_for_path (other);
  tsr_merge_dialog_preview_file (GTK_WINDOW (window), tsr_window_get_project (window), other_file);
  dialog = find_toplevel (TSR_TYPE_MERGE_DIALOG, GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  check_dialog (dialog, "merge");
  destroy_window (dialog);

  destroy_window (GTK_WINDOW (window));
  tsr_test_remove_tree (dir);
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
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  /* GNOME's and Phosh's title buttons: Close alone.  With GTK's own
   * default, Minimize, Maximize and Close, the narrowest window is
   * 376 px. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);

  g_test_add_func ("/tessera/narrow/views", test_views_fit);
  g_test_add_func ("/tessera/narrow/reader", test_reader_keeps_width);
  g_test_add_func ("/tessera/narrow/pane-toggles", test_pane_toggles);
  g_test_add_func ("/tessera/narrow/welcome", test_welcome_fits);
  g_test_add_func ("/tessera/narrow/dialogs", test_dialogs_fit);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  return ret;
}
