/* test-export-view.c — the Report view: live preview, controls, exports
 *
 * Runs under Xvfb with in-memory GSettings; $TESSERA_DEMO names the built
 * demo project, copied before use.  With $TESSERA_SCREENSHOT_DIR set, the
 * tests save pictures of the view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-report-view.h"
#include "tsr-session.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

/* Helpers ------------------------------------------------------------ */

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("TESSERA_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL || dir[0] == '\0')
    return;

  run_for (600);
  g_mkdir_with_parents (dir, 0755);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* Every label text under @widget, one a line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
preview_text (TsrReportView *view)
{
  GString *out = g_string_new ("\n");

  collect_labels (template_child (view, TSR_TYPE_REPORT_VIEW, "page"), out);
  return g_string_free (out, FALSE);
}

static gboolean
preview_has (TsrReportView *view,
             const char    *line)
{
  g_autofree char *text = preview_text (view);
  g_autofree char *wanted = g_strdup_printf ("\n%s\n", line);

  return strstr (text, wanted) != NULL;
}

typedef struct
{
  TsrReportView *view;
  const char    *line;
} Wanted;

static gboolean
shows_line (gpointer data)
{
  Wanted *wanted = data;

  return preview_has (wanted->view, wanted->line);
}

static void
wait_for_line (TsrReportView *view,
               const char    *line)
{
  Wanted wanted = { view, line };
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, ui_on_timeout_cb, &timed_out);

  while (!shows_line (&wanted) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_autofree char *text = preview_text (view);

      g_test_message ("The preview shows:%s", text);
    }
  g_assert_false (timed_out);
  g_source_remove (id);
}

static char *
copy_demo (const char *dir)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) error = NULL;
  char *copy;

  if (demo == NULL || !g_file_test (demo, G_FILE_TEST_IS_REGULAR))
    return NULL;
  copy = g_build_filename (dir, "demo.tessera", NULL);
  source = g_file_new_for_path (demo);
  target = g_file_new_for_path (copy);
  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return copy;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} ExportResult;

static void
on_export_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ExportResult *r = user_data;

  r->ok = tsr_report_view_export_finish (TSR_REPORT_VIEW (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportResult *) data)->done;
}

/* The view on its own ---------------------------------------------------- */

static void
test_view (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-view-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir);
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrSession) session = tsr_session_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  TsrReportView *view;
  TsrExportDocument *doc;
  TsrExportTable *table;

  if (path == NULL)
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      g_rmdir (dir);
      return;
    }
  project = tsr_project_open (path, &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1240, 800);
  view = tsr_report_view_new ();
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  wait_until (is_mapped, view);
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);

  /* Nothing to report without a project; the export is off. */
  g_assert_null (tsr_report_view_get_document (view));
  g_assert_false (gtk_widget_get_sensitive (template_child (view, TSR_TYPE_REPORT_VIEW, "export_button")));

  /* The demo has a consensus: it is what the table counts at first. */
  g_object_set (view, "session", session, NULL);
  tsr_session_set_project (session, project);
  wait_for_line (view, "21 (95.5%)");
  g_assert_true (gtk_widget_get_sensitive (template_child (view, TSR_TYPE_REPORT_VIEW, "export_button")));
  g_assert_cmpint (tsr_report_get_coder_mode (tsr_report_view_get_report (view)), ==, TSR_CODERS_CONSENSUS);
  g_assert_true (preview_has (view, "Table 1. Themes identified in the documents (N = 22)"));
  g_assert_true (preview_has (view, "Conveying solidarity"));
  g_assert_true (preview_has (view, "5 (22.7%)"));
  g_assert_true (preview_has (view, "Exemplar quotes"));
  g_assert_false (preview_has (view, "Codes"));
  doc = tsr_report_view_get_document (view);
  table = tsr_export_document_get_table (doc, 0);
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, 13);

  /* Controls that only change the writing: at once, no recount. */
  {
    TsrReport *report = tsr_report_view_get_report (view);

    adw_combo_row_set_selected (template_child (view, TSR_TYPE_REPORT_VIEW, "prevalence_row"), 1);
    g_assert_true (preview_has (view, "21/22 (95%)"));
    adw_combo_row_set_selected (template_child (view, TSR_TYPE_REPORT_VIEW, "order_row"), 2);
    gtk_switch_set_active (template_child (view, TSR_TYPE_REPORT_VIEW, "codes_switch"), TRUE);
    gtk_editable_set_text (template_child (view, TSR_TYPE_REPORT_VIEW, "noun_row"), "essays");
    g_assert_true (preview_has (view, "Codes"));
    g_assert_true (preview_has (view, "Table 1. Themes identified in the essays (N = 22)"));
    table = tsr_export_document_get_table (tsr_report_view_get_document (view), 0);
    {
      g_autofree char *first = tsr_export_table_get_cell_text (table, 0, 0);

      /* Alphabetical: Compassion comes first. */
      g_assert_cmpstr (first, ==, "Compassion");
    }
    adw_combo_row_set_selected (template_child (view, TSR_TYPE_REPORT_VIEW, "labels_row"), 0);
    g_assert_true (preview_has (view, "“I think what the tunnel says to a child is: all these grown-ups are on "
                                      "your side.” (E05 – Paediatric nurse)"));
    g_assert_true (tsr_report_view_get_report (view) == report);
  }

  /* Whose coding: one coder's table is recounted. */
  {
    g_autoptr(TsrCoder) coder = tsr_project_find_coder (project, "Dana Whitfield");
    g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ONE, tsr_entity_get_id (TSR_ENTITY (coder)));
    g_autoptr(TsrReport) expected = tsr_project_build_report (project, scope, NULL, &error);
    g_autoptr(GPtrArray) themes = tsr_report_list_themes (expected, TSR_REPORT_ORDER_NAME);
    const TsrReportTheme *first = themes->pdata[0];
    g_autofree char *prevalence = tsr_report_format_prevalence (TSR_PREVALENCE_FRACTION, first->n, 22);
    AdwComboRow *coders = template_child (view, TSR_TYPE_REPORT_VIEW, "coders_row");
    GListModel *model = adw_combo_row_get_model (coders);
    guint position = GTK_INVALID_LIST_POSITION;

    g_assert_no_error (error);
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "Dana Whitfield"))
        position = i;
    g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (coders, position);
    wait_for_line (view, "Note. n = number of essays in which the theme occurs (a segment of any of its "
                         "codes, or of its sub-themes’ codes), by the coding of Dana Whitfield. "
                         "Percentages are of N and rounded half away from zero. Sub-themes are indented "
                         "under their theme.");
    g_assert_cmpint (tsr_report_get_coder_mode (tsr_report_view_get_report (view)), ==, TSR_CODERS_ONE);
    table = tsr_export_document_get_table (tsr_report_view_get_document (view), 0);
    {
      g_autofree char *cell = tsr_export_table_get_cell_text (table, 0, 2);

      g_assert_cmpstr (cell, ==, prevalence);
    }
  }

  /* The preview follows the project. */
  {
    g_autoptr(TsrTheme) theme = tsr_project_find_theme (project, "Resilience");

    tsr_project_rename_theme (project, tsr_entity_get_id (TSR_ENTITY (theme)), "Staying power", &error);
    g_assert_no_error (error);
    wait_for_line (view, "Staying power");
    g_assert_false (preview_has (view, "Resilience"));
  }

  /* The codebook and the write-up. */
  g_signal_emit_by_name (template_child (view, TSR_TYPE_REPORT_VIEW, "codebook_button"), "clicked");
  g_assert_cmpint (tsr_report_view_get_kind (view), ==, TSR_REPORT_CODEBOOK);
  g_assert_true (preview_has (view, "Table 1. Codes, their definitions and prevalence in the essays (N = 22)"));
  g_assert_true (preview_has (view, "Standing together"));
  tsr_report_view_set_kind (view, TSR_REPORT_WRITEUP);
  g_assert_true (gtk_toggle_button_get_active (template_child (view, TSR_TYPE_REPORT_VIEW, "writeup_button")));
  g_assert_false (gtk_toggle_button_get_active (template_child (view, TSR_TYPE_REPORT_VIEW, "themes_button")));
  g_assert_false (gtk_toggle_button_get_active (template_child (view, TSR_TYPE_REPORT_VIEW, "codebook_button")));
  g_assert_true (preview_has (view, "Encouragement ceremonies (demo)"));
  g_assert_true (preview_has (view, "Definition. Ceremonies are an expression of kindness and feeling: small "
                                    "concrete gestures, and emotions shared between staff, patients and "
                                    "families."));
  save_screenshot (GTK_WIDGET (window), "report-view-writeup.png");
  tsr_report_view_set_kind (view, TSR_REPORT_THEMES);

  /* Exports: the file is written, the project records it. */
  {
    g_autofree char *out = g_build_filename (dir, "Themes.docx", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (out);
    g_autofree char *exported = NULL;
    ExportResult r = { 0 };

    g_assert_null (tsr_project_get_report_exported (project));
    tsr_report_view_export_async (view, file, TSR_EXPORT_DOCX, NULL, on_export_cb, &r);
    wait_until (export_done, &r);
    g_assert_no_error (r.error);
    g_assert_true (r.ok);
    g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
    exported = tsr_project_get_report_exported (project);
    g_assert_nonnull (exported);
    g_assert_nonnull (strstr (exported, "docx"));
  }
  {
    g_autofree char *out = g_build_filename (dir, "no such folder", "Themes.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (out);
    ExportResult r = { 0 };

    tsr_report_view_export_async (view, file, TSR_EXPORT_PDF, NULL, on_export_cb, &r);
    wait_until (export_done, &r);
    g_assert_false (r.ok);
    g_assert_error (r.error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (r.error->message, "does not exist"));
    g_clear_error (&r.error);
  }

  save_screenshot (GTK_WIDGET (window), "report-view.png");

  /* Closing the project empties the view. */
  tsr_session_set_project (session, NULL);
  g_assert_null (tsr_report_view_get_document (view));
  g_assert_false (preview_has (view, "Staying power"));

  gtk_window_destroy (window);
  run_for (50);
  g_assert_null (view);

  g_assert_true (tsr_project_close (project, NULL));
  tsr_test_remove_tree (dir);
}

/* In the window ------------------------------------------------------------ */

static gboolean
has_document (gpointer data)
{
  return tsr_report_view_get_document (data) != NULL;
}

static void
test_in_window (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-view-XXXXXX", NULL);
  g_autofree char *path = copy_demo (dir);
  g_autoptr(GFile) file = NULL;
  TsrWindow *window;
  TsrReportView *view;

  if (path == NULL)
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      g_rmdir (dir);
      return;
    }

  window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  file = g_file_new_for_path (path);
  tsr_window_open_file (window, file);
  wait_until (has_project, window);

  view = TSR_REPORT_VIEW (adw_view_stack_get_child_by_name (template_child (window, TSR_TYPE_WINDOW, "view_stack"),
                                                            "report"));
  g_assert_true (tsr_report_view_get_project (view) == tsr_window_get_project (window));

  /* Counted when first shown. */
  tsr_window_show_view (window, "report");
  wait_until (has_document, view);
  wait_for_line (view, "19 (86.4%)");
  /* Let the welcome page's crossfade end. */
  run_for (1500);
  save_screenshot (GTK_WIDGET (window), "report-view-window.png");

  g_assert_true (tsr_window_close_project (window));
  run_for (100);
  g_assert_null (tsr_report_view_get_project (view));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  run_for (50);
  g_assert_finalize_object (window);
  tsr_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("tessera-test-home-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  int ret;

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/tessera/report-view/view", test_view);
  g_test_add_func ("/tessera/report-view/in-window", test_in_window);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_rmdir (data_home);
  g_rmdir (config_home);
  g_rmdir (home);
  return ret;
}
