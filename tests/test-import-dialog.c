/* test-import-dialog.c — importing from the window, as a researcher does
 *
 * Drops files on the project page (the window's GtkDropTarget, with a
 * real GdkFileList), goes through the spreadsheet previews with the
 * dialog's own actions, cancels a read that is held (a file whose
 * reading waits until it is cancelled), and checks what lands in the
 * project.  Runs under Xvfb; with
 * $TESSERA_SCREENSHOT_DIR set it saves pictures of each page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-import-dialog.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

/* Helpers ------------------------------------------------------------ */

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
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                        node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

typedef struct
{
  char       *dir;
  char       *path;
  TsrWindow  *window;
} Fixture;

/* A window with a new, empty project open. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GFile) file = NULL;

  f->dir = g_dir_make_tmp ("tessera-import-ui-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "study.tessera", NULL);
  project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  coder = tsr_project_ensure_coder (project, "Ada", &error);
  g_assert_no_error (error);
  tsr_project_close (project, &error);
  g_assert_no_error (error);

  f->window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 740);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (is_mapped, f->window);

  file = g_file_new_for_path (f->path);
  tsr_window_open_file (f->window, file);
  wait_until (has_project, f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  run_for (50);
  g_assert_finalize_object (f->window);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static TsrImportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TSR_IS_IMPORT_DIALOG (window))
        return TSR_IMPORT_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

typedef struct
{
  TsrImportDialog *dialog;
  const char      *page;
} PageWait;

static gboolean
shows_page (gpointer data)
{
  PageWait *w = data;

  return g_strcmp0 (tsr_import_dialog_get_page (w->dialog), w->page) == 0;
}

static void
wait_for_page (TsrImportDialog *dialog,
               const char      *page)
{
  PageWait w = { dialog, page };

  wait_until (shows_page, &w);
}

static gpointer
dialog_child (TsrImportDialog *dialog,
              const char      *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (dialog), TSR_TYPE_IMPORT_DIALOG, name);

  g_assert_nonnull (child);
  return child;
}

static void
close_dialog (TsrImportDialog *dialog)
{
  g_object_ref (dialog);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.close", NULL);
  run_for (100);
  g_assert_null (find_dialog ());
  g_assert_finalize_object (dialog);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* Drops @paths on the window's project page, as a file manager would. */
static void
drop_files (Fixture            *f,
            const char * const *paths)
{
  GtkWidget *stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), TSR_TYPE_WINDOW, "stack"));
  GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (stack), "project");
  GtkDropTarget *target = find_drop_target (page);
  g_autoptr(GSList) files = NULL;
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_assert_nonnull (target);
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (target), GDK_TYPE_FILE_LIST));

  for (guint i = 0; paths[i] != NULL; i++)
    files = g_slist_append (files, g_file_new_for_path (paths[i]));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &handled);
  g_value_unset (&value);
  g_slist_free_full (g_steal_pointer (&files), g_object_unref);
  g_assert_true (handled);
}

static GListModel *
documents (Fixture *f)
{
  return tsr_project_get_documents (tsr_window_get_project (f->window));
}

static char *
text_of (Fixture     *f,
         TsrDocument *document)
{
  g_autoptr(GError) error = NULL;
  char *text = tsr_project_get_document_text (tsr_window_get_project (f->window),
                                              tsr_entity_get_id (TSR_ENTITY (document)), &error);

  g_assert_no_error (error);
  return text;
}

/* Tests ----------------------------------------------------------------- */

static void
test_drop_documents (Fixture       *f,
                     gconstpointer  data)
{
  /* A DOCX, an ODT, a PDF with a password and the same notes as ODT:
   * two documents come in, the PDF is explained, the copy flagged and
   * then taken after all; Done shows the first new document. */
  g_autofree char *docx = tsr_test_fixture_path ("notes.docx");
  g_autofree char *odt = tsr_test_fixture_path ("lists-tables.odt");
  g_autofree char *pdf = tsr_test_fixture_path ("password.pdf");
  g_autofree char *copy = tsr_test_fixture_path ("notes.odt");
  const char *paths[] = { docx, odt, pdf, copy, NULL };
  g_autoptr(GListModel) docs = NULL;
  TsrImportDialog *dialog;
  GtkListBox *list;
  guint n_rows = 0;

  drop_files (f, paths);
  wait_until (has_dialog, NULL);
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  wait_for_page (dialog, "summary");

  docs = documents (f);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 2);
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_title")), ==, "2 Documents Imported");
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_description")), ==,
                   "1 file could not be imported. 1 document was already in the project and was left out.");
  list = dialog_child (dialog, "summary_list");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row; row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 4);
  {
    GtkWidget *third = gtk_widget_get_next_sibling (gtk_widget_get_next_sibling (gtk_widget_get_first_child (GTK_WIDGET (list))));

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (third)), ==, "password.pdf");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (third)), ==,
                     "The PDF “password.pdf” is protected with a password. Save a copy without "
                     "the password and import that.");
  }
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "duplicates_button")));
  save_screenshot (GTK_WIDGET (dialog), "import-summary.png");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.duplicates", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 3);
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_title")), ==, "3 Documents Imported");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "duplicates_button")));

  close_dialog (dialog);
  g_assert_nonnull (tsr_window_get_document (f->window));
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (f->window)), ==, "notes");
  save_screenshot (GTK_WIDGET (f->window), "import-window.png");

  /* Two steps to undo: the duplicate, then the batch. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 0);
}

static void
test_spreadsheets (Fixture       *f,
                   gconstpointer  data)
{
  /* The survey as XLSX then as CSV: each previewed, columns chosen with
   * the drop-downs; the CSV's rows are the same respondents, so they are
   * left out. */
  g_autofree char *xlsx = tsr_test_fixture_path ("survey.xlsx");
  g_autofree char *csv = tsr_test_fixture_path ("survey.csv");
  g_autofree char *essay = tsr_test_fixture_path ("notes.docx");
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) a = g_file_new_for_path (xlsx);
  g_autoptr(GFile) b = g_file_new_for_path (essay);
  g_autoptr(GFile) c = g_file_new_for_path (csv);
  g_autoptr(GListModel) docs = NULL;
  g_autoptr(TsrAttribute) age = NULL;
  TsrImportDialog *dialog;
  TsrImportTable *table;
  GtkDropDown *text_dropdown, *id_dropdown;

  g_list_store_append (files, a);
  g_list_store_append (files, b);
  g_list_store_append (files, c);
  dialog = tsr_import_dialog_run (f->window, G_LIST_MODEL (files));
  wait_for_page (dialog, "table");

  table = tsr_import_dialog_get_table (dialog);
  g_assert_nonnull (table);
  g_assert_cmpstr (tsr_import_table_get_sheet (table), ==, "Answers");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "sheet_row")));
  text_dropdown = dialog_child (dialog, "text_dropdown");
  id_dropdown = dialog_child (dialog, "id_dropdown");
  /* The guess: the long answers; names by row until asked. */
  g_assert_cmpuint (gtk_drop_down_get_selected (text_dropdown), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (id_dropdown), ==, 0);
  g_assert_cmpstr (gtk_button_get_label (dialog_child (dialog, "next_button")), ==, "_Next");

  tsr_import_dialog_choose_columns (dialog, 1, 0);
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "attributes_label")), ==,
                   "Age — Whole number\nHours — Number\nConsent — Whole number\n"
                   "Answered — Date\nWard — Text");
  save_screenshot (GTK_WIDGET (dialog), "import-spreadsheet.png");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL);
  wait_for_page (dialog, "table");
  g_assert_null (tsr_import_table_get_sheets (tsr_import_dialog_get_table (dialog)));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "sheet_row")));
  g_assert_cmpstr (gtk_button_get_label (dialog_child (dialog, "next_button")), ==, "_Import");
  tsr_import_dialog_choose_columns (dialog, 1, 0);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL);
  wait_for_page (dialog, "summary");

  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_title")), ==, "4 Documents Imported");
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_description")), ==,
                   "3 documents were already in the project and were left out.");

  docs = documents (f);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 4);
  {
    g_autoptr(TsrDocument) first = g_list_model_get_item (docs, 0);
    g_autofree char *text = text_of (f, first);

    g_assert_cmpstr (tsr_document_get_name (first), ==, "R01");
    g_assert_cmpstr (text, ==, "It reminded me why I came into nursing.");
  }
  age = tsr_project_find_attribute (tsr_window_get_project (f->window), TSR_ATTRIBUTE_ON_DOCUMENTS, "Age");
  g_assert_nonnull (age);
  g_assert_cmpint (tsr_attribute_get_value_type (age), ==, TSR_ATTRIBUTE_INTEGER);

  close_dialog (dialog);
}

static void
test_id_column (Fixture       *f,
                gconstpointer  data)
{
  /* A column headed ID is offered for the names at once, and names the
   * documents if left so. */
  g_autofree char *csv = g_build_filename (f->dir, "answers.csv", NULL);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GListModel) docs = NULL;
  TsrImportDialog *dialog;

  g_assert_true (g_file_set_contents (csv, "Ward,What did the ceremony mean to you?,ID\n"
                                           "ICU,It reminded me why I came into nursing.,R07\n"
                                           "Oncology,A quiet moment in a loud week.,R12\n", -1, NULL));
  g_list_store_append (files, file);
  dialog = tsr_import_dialog_run (f->window, G_LIST_MODEL (files));
  wait_for_page (dialog, "table");
  g_assert_cmpuint (gtk_drop_down_get_selected (dialog_child (dialog, "text_dropdown")), ==, 1);
  /* "Row number", then the columns: ID is the third. */
  g_assert_cmpuint (gtk_drop_down_get_selected (dialog_child (dialog, "id_dropdown")), ==, 3);
  save_screenshot (GTK_WIDGET (dialog), "import-id-column.png");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.next", NULL);
  wait_for_page (dialog, "summary");
  docs = documents (f);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 2);
  {
    g_autoptr(TsrDocument) first = g_list_model_get_item (docs, 0);

    g_assert_cmpstr (tsr_document_get_name (first), ==, "R07");
  }
  close_dialog (dialog);
}

static void
test_skip_spreadsheet (Fixture       *f,
                       gconstpointer  data)
{
  /* Skipping the only file imports nothing and closes the dialog. */
  g_autofree char *csv = tsr_test_fixture_path ("survey.csv");
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(GListModel) docs = NULL;
  TsrImportDialog *dialog;

  g_list_store_append (files, file);
  dialog = tsr_import_dialog_run (f->window, G_LIST_MODEL (files));
  g_object_ref (dialog);
  wait_for_page (dialog, "table");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.skip", NULL);
  wait_until (no_dialog, NULL);
  run_for (50);
  g_assert_finalize_object (dialog);

  docs = documents (f);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 0);
}

/* A file whose reading is held until it is cancelled: a file on a slow
 * network share, as GIO sees one (no local path, so Tessera asks GIO for
 * its type and opens it with g_file_read ()). */
#define HELD_TYPE_STREAM (held_stream_get_type ())
G_DECLARE_FINAL_TYPE (HeldStream, held_stream, HELD, STREAM, GInputStream)

struct _HeldStream
{
  GInputStream parent_instance;
};

G_DEFINE_FINAL_TYPE (HeldStream, held_stream, G_TYPE_INPUT_STREAM)

static gssize
held_stream_read (GInputStream  *stream,
                  void          *buffer,
                  gsize          count,
                  GCancellable  *cancellable,
                  GError       **error)
{
  /* At most half a minute, so a cancel that never comes fails the test. */
  for (guint i = 0; i < 3000; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      g_usleep (10 * 1000);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The read was never cancelled");
  return -1;
}

static gboolean
held_stream_close (GInputStream  *stream,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return TRUE;
}

static void
held_stream_class_init (HeldStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = held_stream_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = held_stream_close;
}

static void
held_stream_init (HeldStream *self)
{
}

#define HELD_TYPE_FILE (held_file_get_type ())
G_DECLARE_FINAL_TYPE (HeldFile, held_file, HELD, FILE, GObject)

struct _HeldFile
{
  GObject parent_instance;
};

static void held_file_iface_init (GFileIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HeldFile, held_file, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_FILE, held_file_iface_init))

#define HELD_URI "held:///essay.txt"

static GFile *
held_file_dup (GFile *file)
{
  return g_object_ref (file);
}

static guint
held_file_hash (GFile *file)
{
  return g_str_hash (HELD_URI);
}

static gboolean
held_file_equal (GFile *a,
                 GFile *b)
{
  return a == b;
}

static gboolean
held_file_is_native (GFile *file)
{
  return FALSE;
}

static gboolean
held_file_has_uri_scheme (GFile      *file,
                          const char *scheme)
{
  return g_strcmp0 (scheme, "held") == 0;
}

static char *
held_file_get_uri_scheme (GFile *file)
{
  return g_strdup ("held");
}

static char *
held_file_get_basename (GFile *file)
{
  return g_strdup ("essay.txt");
}

static char *
held_file_get_path (GFile *file)
{
  return NULL;
}

static char *
held_file_get_uri (GFile *file)
{
  return g_strdup (HELD_URI);
}

static GFile *
held_file_get_parent (GFile *file)
{
  return NULL;
}

static GFileInfo *
held_file_query_info (GFile                *file,
                      const char           *attributes,
                      GFileQueryInfoFlags   flags,
                      GCancellable         *cancellable,
                      GError              **error)
{
  GFileInfo *info = g_file_info_new ();

  g_file_info_set_file_type (info, G_FILE_TYPE_REGULAR);
  g_file_info_set_size (info, 1024);
  g_file_info_set_name (info, "essay.txt");
  g_file_info_set_display_name (info, "essay.txt");
  return info;
}

static GFileInputStream *
held_file_read (GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  /* A GFileInputStream is wanted: a plain one will do for read_all. */
  return (GFileInputStream *) g_object_new (HELD_TYPE_STREAM, NULL);
}

static void
held_file_iface_init (GFileIface *iface)
{
  iface->dup = held_file_dup;
  iface->hash = held_file_hash;
  iface->equal = held_file_equal;
  iface->is_native = held_file_is_native;
  iface->has_uri_scheme = held_file_has_uri_scheme;
  iface->get_uri_scheme = held_file_get_uri_scheme;
  iface->get_basename = held_file_get_basename;
  iface->get_path = held_file_get_path;
  iface->get_uri = held_file_get_uri;
  iface->get_parse_name = held_file_get_uri;
  iface->get_parent = held_file_get_parent;
  iface->query_info = held_file_query_info;
  iface->read_fn = held_file_read;
}

static void
held_file_class_init (HeldFileClass *klass)
{
}

static void
held_file_init (HeldFile *self)
{
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  /* The first file's read is held: the progress page shows, Cancel is
   * pressed, the read stops.  Nothing is added. */
  g_autofree char *essay = tsr_test_fixture_path ("notes.docx");
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) held = g_object_new (HELD_TYPE_FILE, NULL);
  g_autoptr(GFile) second = g_file_new_for_path (essay);
  g_autoptr(GListModel) docs = NULL;
  TsrImportDialog *dialog;

  g_list_store_append (files, held);
  g_list_store_append (files, second);
  dialog = tsr_import_dialog_run (f->window, G_LIST_MODEL (files));
  wait_for_page (dialog, "progress");
  run_for (200);
  g_assert_cmpstr (adw_status_page_get_description (dialog_child (dialog, "progress_page")), ==,
                   "Reading “essay.txt” (1 of 2)");
  save_screenshot (GTK_WIDGET (dialog), "import-progress.png");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL);

  wait_for_page (dialog, "summary");
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_title")), ==, "Import Cancelled");
  g_assert_cmpstr (gtk_label_get_text (dialog_child (dialog, "summary_description")), ==,
                   "Nothing was added to the project.");
  docs = documents (f);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 0);
  g_assert_false (tsr_project_can_undo (tsr_window_get_project (f->window)));
  close_dialog (dialog);
}

static void
test_import_button (Fixture       *f,
                    gconstpointer  data)
{
  /* The sidebar's Import button and the empty project's one both run
   * win.import, enabled while a project is open. */
  GtkWidget *widget = GTK_WIDGET (f->window);
  guint n_buttons = 0;
  GPtrArray *stack = g_ptr_array_new ();

  g_ptr_array_add (stack, widget);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.import") == 0)
        {
          n_buttons++;
          g_assert_true (gtk_widget_is_sensitive (w));
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  g_assert_cmpuint (n_buttons, ==, 2);
  save_screenshot (widget, "import-empty-project.png");
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

#define ADD(path, func) g_test_add ("/tessera/import-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("drop-documents", test_drop_documents);
  ADD ("spreadsheets", test_spreadsheets);
  ADD ("skip-spreadsheet", test_skip_spreadsheet);
  ADD ("id-column", test_id_column);
  ADD ("cancel", test_cancel);
  ADD ("import-buttons", test_import_button);
#undef ADD

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  tsr_test_remove_tree (home);
  return ret;
}
