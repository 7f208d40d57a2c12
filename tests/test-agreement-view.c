/* test-agreement-view.c — the agreement view and the merge dialog, driven for real
 *
 * Runs under Xvfb on a copy of the demo project.  With
 * $TESSERA_SCREENSHOT_DIR set, it also saves pictures of the view and
 * the dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-agreement-view.h"
#include "tsr-application.h"
#include "tsr-merge-dialog.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

static gboolean
view_ready (gpointer data)
{
  return !tsr_agreement_view_get_busy (data) && tsr_agreement_view_get_agreement (data) != NULL;
}

static gboolean
merges_touching (gpointer data)
{
  return view_ready (data) &&
         (tsr_agreement_get_flags (tsr_agreement_view_get_agreement (data)) & TSR_AGREEMENT_MERGE_TOUCHING);
}

static gboolean
separates_touching (gpointer data)
{
  return view_ready (data) &&
         !(tsr_agreement_get_flags (tsr_agreement_view_get_agreement (data)) & TSR_AGREEMENT_MERGE_TOUCHING);
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

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static TsrWindow *
open_window (const char *path)
{
  TsrWindow *window = tsr_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  tsr_window_open_file (window, file);
  wait_until (has_project, window);
  return window;
}

static void
destroy_window (TsrWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  run_for (50);
  g_assert_finalize_object (window);
}

static char *
demo_copy (const char *dir,
           const char *name)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  char *path;

  if (demo == NULL || !g_file_test (demo, G_FILE_TEST_IS_REGULAR))
    return NULL;
  path = g_build_filename (dir, name, NULL);
  tsr_test_copy_file (demo, path);
  g_chmod (path, 0600);
  return path;
}

static guint
count_resolved (GListModel *list)
{
  guint resolved = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (list, i);
      resolved += tsr_disagreement_get_resolution (d) != TSR_RESOLUTION_NONE;
    }
  return resolved;
}

typedef struct
{
  TsrAgreementView *view;
  guint             resolved;
} ResolvedWait;

/* The view has listed the disagreements again and shows @resolved of
 * them as resolved. */
static gboolean
has_resolved (gpointer data)
{
  ResolvedWait *w = data;
  GListModel *list = tsr_agreement_view_get_disagreements (w->view);
  GtkLabel *progress = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (w->view), TSR_TYPE_AGREEMENT_VIEW,
                                                                 "progress_label"));
  g_autofree char *text = NULL;

  if (list == NULL || !view_ready (w->view))
    return FALSE;
  text = g_strdup_printf ("%u of %u resolved", w->resolved, g_list_model_get_n_items (list));
  return count_resolved (list) == w->resolved && g_str_equal (gtk_label_get_label (progress), text);
}

static void
test_view (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-agreement-view-XXXXXX", NULL);
  g_autofree char *path = demo_copy (dir, "demo.tessera");
  TsrWindow *window;
  TsrAgreementView *view;
  TsrProject *project;
  GListModel *rows;
  GListModel *list;
  GtkLabel *progress;
  g_autofree char *expected = NULL;
  guint n_codes, n;

  if (path == NULL)
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      return;
    }

  /* The demo comes reconciled; Rafael then codes two more passages of
   * the first essay with a code both coders used there (so no count of
   * documents changes): two new disagreements to resolve. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) p = tsr_project_open (path, &error);
    g_autoptr(GListModel) docs = NULL;
    g_autoptr(TsrDocument) first = NULL;
    g_autoptr(TsrCode) code = NULL;
    g_autoptr(TsrCoder) rafael = NULL;

    g_assert_no_error (error);
    docs = tsr_project_get_documents (p);
    first = g_list_model_get_item (docs, 0);
    code = tsr_project_find_code (p, "Standing together/Across roles and ranks");
    rafael = tsr_project_find_coder (p, "Rafael Ortiz");
    g_assert_cmpint (tsr_project_add_segment_for_coder (p, tsr_entity_get_id (TSR_ENTITY (first)),
                                                        tsr_entity_get_id (TSR_ENTITY (code)),
                                                        tsr_entity_get_id (TSR_ENTITY (rafael)), 0, 9, &error), >, 0);
    g_assert_cmpint (tsr_project_add_segment_for_coder (p, tsr_entity_get_id (TSR_ENTITY (first)),
                                                        tsr_entity_get_id (TSR_ENTITY (code)),
                                                        tsr_entity_get_id (TSR_ENTITY (rafael)), 10, 14, &error), >, 0);
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (p, &error));
  }

  window = open_window (path);
  project = tsr_window_get_project (window);
  tsr_window_show_view (window, "agreement");
  view = TSR_AGREEMENT_VIEW (adw_view_stack_get_child_by_name (template_child (window, TSR_TYPE_WINDOW, "view_stack"),
                                                              "agreement"));
  g_assert_true (tsr_agreement_view_get_project (view) == project);
  wait_until (view_ready, view);

  /* The demo's two coders: the table's rows as the core lays them out
   * (each parent code rolled up, its sub-codes, the pooled row, the
   * themes) and a heading above the themes; the pooled row matches the
   * core (and `tessera-cli agreement`). */
  {
    TsrAgreement *agreement = tsr_agreement_view_get_agreement (view);
    TsrAgreementRow last;

    n_codes = tsr_agreement_get_n_rows (agreement);
    g_assert_true (tsr_agreement_get_row_at (agreement, n_codes - 1, TSR_AGREEMENT_PRESENCE, &last));
    g_assert_cmpint (last.kind, ==, TSR_AGREEMENT_ROW_THEME);
    g_assert_cmpuint (n_codes, >, tsr_project_get_n_codes (project) + 1);
    /* The heading "Themes" is a row of the view's. */
    n_codes -= 1;
  }
  rows = tsr_agreement_view_get_table_model (view);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_codes + 2);
  {
    TsrAgreement *agreement = tsr_agreement_view_get_agreement (view);
    TsrAgreementRow row;
    guint n_coders;
    const gint64 *coders = tsr_agreement_get_coders (agreement, &n_coders);
    g_autoptr(TsrCoder) a = tsr_project_lookup_coder (project, coders[0]);
    g_autoptr(TsrCoder) b = tsr_project_lookup_coder (project, coders[1]);

    GtkLabel *caption = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "caption_label");

    /* The view compares as `tessera-cli agreement` does with no options,
     * and says how. */
    g_assert_cmpint (tsr_agreement_get_flags (agreement), ==, TSR_AGREEMENT_DEFAULT);
    g_assert_nonnull (strstr (gtk_label_get_label (caption), "22 of 22 documents are compared. A document a coder "
                                                               "did not code at all counts as one where that coder "
                                                               "applied none of the codes."));
    g_assert_cmpstr (tsr_coder_get_name (a), ==, "Dana Whitfield");
    g_assert_cmpstr (tsr_coder_get_name (b), ==, "Rafael Ortiz");
    g_assert_true (tsr_agreement_get_row (agreement, 0, TSR_AGREEMENT_PRESENCE, &row));
    g_assert_cmpuint (row.both, ==, 172);
    g_assert_cmpuint (row.only_a, ==, 13);
    g_assert_cmpuint (row.only_b, ==, 9);
  }

  list = tsr_agreement_view_get_disagreements (view);
  n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, >, 0);
  progress = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "progress_label");
  /* All but the two new ones resolved when the demo was reconciled. */
  g_assert_cmpuint (n, ==, 28);
  expected = g_strdup_printf ("26 of %u resolved", n);
  g_assert_cmpstr (gtk_label_get_label (progress), ==, expected);
  g_clear_pointer (&expected, g_free);
  save_screenshot (GTK_WIDGET (window), "agreement-view.png");

  /* Accept B from the button's action: one resolved, the next selected. */
  {
    ResolvedWait w = { view, 27 };
    GtkLabel *state = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "detail_state");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "agreement.resolve", "s", "accept_b"));
    wait_until (has_resolved, &w);
    expected = g_strdup_printf ("27 of %u resolved", n);
    g_assert_cmpstr (gtk_label_get_label (progress), ==, expected);
    g_clear_pointer (&expected, g_free);
    g_assert_cmpstr (gtk_label_get_label (state), ==, "Not resolved");
    save_screenshot (GTK_WIDGET (window), "agreement-view-resolved.png");
  }

  /* Characters: NVivo's per-document means beside the pooled κ, and
   * each document's figures below its code on demand. */
  tsr_agreement_view_set_unit (view, TSR_AGREEMENT_CHARACTERS);
  run_for (100);
  {
    GtkCheckButton *per_document = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "per_document_check");
    GtkLabel *caption = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "caption_label");
    TsrAgreement *agreement = tsr_agreement_view_get_agreement (view);
    const gint64 *codes;
    guint n_cells = 0, n_listed;

    (void) codes;
    n_listed = tsr_agreement_get_n_rows (agreement);
    for (guint i = 0; i < n_listed; i++)
      n_cells += tsr_agreement_get_n_cells_at (agreement, i);
    g_assert_cmpuint (n_cells, >, 0);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (per_document)));
    g_assert_nonnull (strstr (gtk_label_get_label (caption), "The means per document are NVivo’s figures"));
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_codes + 2);
    gtk_check_button_set_active (per_document, TRUE);
    run_for (100);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_codes + 2 + n_cells);
    save_screenshot (GTK_WIDGET (window), "agreement-view-per-document.png");
    gtk_check_button_set_active (per_document, FALSE);
    run_for (50);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_codes + 2);
  }

  /* The segments unit hides κ, names each coder's segments and says
   * that touching segments stay separate; asking joins them. */
  tsr_agreement_view_set_unit (view, TSR_AGREEMENT_SEGMENTS);
  run_for (100);
  {
    GtkLabel *caption = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "caption_label");
    GtkCheckButton *touching = template_child (view, TSR_TYPE_AGREEMENT_VIEW, "touching_check");

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (touching)));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (template_child (view, TSR_TYPE_AGREEMENT_VIEW,
                                                                        "per_document_check"))));
    g_assert_nonnull (strstr (gtk_label_get_label (caption), "segments that only touch stay separate"));
    save_screenshot (GTK_WIDGET (window), "agreement-view-segments.png");
    gtk_check_button_set_active (touching, TRUE);
    wait_until (merges_touching, view);
    g_assert_nonnull (strstr (gtk_label_get_label (caption), "merged where they overlap or touch"));
    gtk_check_button_set_active (touching, FALSE);
    wait_until (separates_touching, view);
  }

  /* Undo takes the decision back. */
  {
    ResolvedWait w = { view, 26 };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
    wait_until (has_resolved, &w);
  }

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static TsrMergeDialog *
find_merge_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (TSR_IS_MERGE_DIALOG (w) && gtk_window_get_transient_for (w) == parent)
        return TSR_MERGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
has_no_merge_dialog (gpointer data)
{
  return find_merge_dialog (data) == NULL;
}

static void
test_merge_dialog (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-merge-dialog-XXXXXX", NULL);
  g_autofree char *path = demo_copy (dir, "mine.tessera");
  g_autofree char *other = demo_copy (dir, "theirs.tessera");
  g_autoptr(GFile) other_file = NULL;
  g_autoptr(GError) error = NULL;
  TsrWindow *window;
  TsrProject *project;
  TsrMergeDialog *dialog;
  guint n_documents;

  if (path == NULL)
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      return;
    }

  /* Their copy holds one more interview. */
  {
    g_autoptr(TsrProject) theirs = tsr_project_open (other, &error);

    g_assert_no_error (error);
    g_assert_cmpint (tsr_project_add_document (theirs, "Porter interview", "A porter talks about hope.", NULL, &error), >, 0);
    g_assert_no_error (error);
    tsr_project_close (theirs, NULL);
  }

  window = open_window (path);
  project = tsr_window_get_project (window);
  n_documents = tsr_project_get_n_documents (project);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window)));

  other_file = g_file_new_for_path (other);
  tsr_merge_dialog_preview_file (GTK_WINDOW (window), project, other_file);
  dialog = find_merge_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpuint (tsr_merge_plan_count (tsr_merge_dialog_get_plan (dialog), TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD), ==, 1);
  /* Nothing is written by the preview. */
  g_assert_cmpuint (tsr_project_get_n_documents (project), ==, n_documents);
  {
    GtkWidget *merge_button = template_child (dialog, TSR_TYPE_MERGE_DIALOG, "merge_button");
    GtkListBox *notes = template_child (dialog, TSR_TYPE_MERGE_DIALOG, "notes_list");
    AdwActionRow *first;

    g_assert_true (gtk_widget_get_sensitive (merge_button));
    first = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (notes, 0));
    g_assert_nonnull (first);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, "New document “Porter interview”");
  }
  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (is_mapped, dialog);
  save_screenshot (GTK_WIDGET (dialog), "merge-dialog.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "merge.apply", NULL));
  wait_until (has_no_merge_dialog, window);
  g_assert_cmpuint (tsr_project_get_n_documents (project), ==, n_documents + 1);
  {
    g_autoptr(GObject) found = G_OBJECT (tsr_project_find_document (project, "Porter interview"));
    g_assert_nonnull (found);
  }

  /* The same file again: nothing to merge, and the button says so. */
  tsr_merge_dialog_preview_file (GTK_WINDOW (window), project, other_file);
  dialog = find_merge_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (tsr_merge_plan_is_empty (tsr_merge_dialog_get_plan (dialog)));
  g_assert_false (gtk_widget_get_sensitive (template_child (dialog, TSR_TYPE_MERGE_DIALOG, "merge_button")));
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_for (50);

  /* The window has the action behind the menu item. */
  {
    gboolean found = FALSE;
    const GVariantType *parameter_type;
    const char *property_name;
    const char *name;
    GType owner;

    for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (window), i, &owner, &name,
                                                     &parameter_type, &property_name); i++)
      if (g_str_equal (name, "win.merge-project"))
        found = TRUE;
    g_assert_true (found);
  }

  destroy_window (window);
  g_unlink (path);
  g_unlink (other);
  g_rmdir (dir);
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
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/tessera/agreement-view/table-and-reconciliation", test_view);
  g_test_add_func ("/tessera/agreement-view/merge-dialog", test_merge_dialog);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_rmdir (data_home);
  g_rmdir (config_home);
  g_rmdir (home);
  return ret;
}
