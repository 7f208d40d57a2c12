/* test-coding.c — coding in the window, through its real code paths
 *
 * Every gesture of phases 1 and 2 is driven the way the user drives it:
 * drags by the content their drag sources prepare, dropped through the
 * drop targets' own "drop" signal; keys by the actions they are bound
 * to; popovers by their own widgets.  Each test checks what the project
 * stores, then undoes and checks again.
 *
 * Runs under Xvfb with in-memory GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-document-list.h"
#include "tsr-memo-pane.h"
#include "tsr-reader.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

/* Helpers ------------------------------------------------------------ */

static gpointer
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }

  g_assert_not_reached ();
  return NULL;
}


/* With $TESSERA_SCREENSHOT_DIR set, saves a picture of @widget there. */
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

  run_for (500);
  g_mkdir_with_parents (dir, 0755);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                        node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static gboolean
code_exists (TsrProject *project,
             gint64      code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (project, code_id);

  return code != NULL;
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

/* The project: three essays, a small code tree, two coders.
 *
 * Essay 1: "The ward was quiet when we clapped for her.\nShe cried, and so did I."
 *   The[0,3) ward[4,8) was[9,12) quiet[13,18) when[19,23) we[24,26)
 *   clapped[27,34) for[35,38) her[39,42) She[44,47) cried[48,53)
 *   and[55,58) so[59,61) did[62,65) I[66,67)
 */
#define ESSAY1 "The ward was quiet when we clapped for her.\nShe cried, and so did I."

typedef struct
{
  char      *dir;
  char      *path;
  TsrWindow *window;
  TsrProject *project;
  TsrReader *reader;
  TsrCodeTree *tree;
  gint64     docs[3];
  gint64     ada, bea;
  gint64     solidarity, clapping, compassion;
  gint64     s_ward, s_quiet, s_cried;
} Fixture;

static void
make_project (Fixture *f)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) bea = NULL;
  g_autoptr(GError) error = NULL;
  const char *texts[] = { ESSAY1, "A second essay about acknowledging patients.", "Nobody noticed." };

  f->dir = g_dir_make_tmp ("tessera-coding-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "coding.tessera", NULL);
  project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  tsr_project_set_title (project, "Coding Study", &error);
  g_assert_no_error (error);

  ada = tsr_project_ensure_coder (project, "Ada Lovelace", &error);
  g_assert_no_error (error);
  bea = tsr_project_ensure_coder (project, "Bea Smith", &error);
  g_assert_no_error (error);
  f->ada = tsr_test_id_of (ada);
  f->bea = tsr_test_id_of (bea);
  /* Ada codes here: remembered in the file, so the window does not ask. */
  g_clear_object (&ada);
  ada = tsr_project_confirm_coder (project, "Ada Lovelace", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_test_id_of (ada), ==, f->ada);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Essay %u", i + 1);

      f->docs[i] = tsr_project_add_document (project, name, texts[i], NULL, &error);
      g_assert_no_error (error);
    }

  f->solidarity = tsr_project_create_code (project, 0, "Solidarity", "#e01b24", "Standing together", &error);
  g_assert_no_error (error);
  f->clapping = tsr_project_create_code (project, f->solidarity, "Clapping", "#33d17a", NULL, &error);
  g_assert_no_error (error);
  f->compassion = tsr_project_create_code (project, 0, "Compassion", "#3584e4", NULL, &error);
  g_assert_no_error (error);

  /* "ward was quiet" and "quiet when we" overlap on "quiet". */
  f->s_ward = tsr_project_add_segment (project, f->docs[0], f->solidarity, 4, 18, &error);
  g_assert_no_error (error);
  f->s_quiet = tsr_project_add_segment (project, f->docs[0], f->compassion, 13, 26, &error);
  g_assert_no_error (error);
  f->s_cried = tsr_project_add_segment_for_coder (project, f->docs[0], f->compassion, f->bea, 44, 53, &error);
  g_assert_no_error (error);

  tsr_project_close (project, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GSettings *settings = tsr_application_get_settings (app);
  g_autoptr(GFile) file = NULL;

  make_project (f);

  g_settings_set_string (settings, "coder-name", "Ada Lovelace");
  g_settings_set_boolean (settings, "show-other-coders", TRUE);
  g_settings_set_boolean (settings, "snap-to-words", FALSE);

  f->window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (is_mapped, f->window);

  file = g_file_new_for_path (f->path);
  tsr_window_open_file (f->window, file);
  wait_until (has_project, f->window);

  f->project = tsr_window_get_project (f->window);
  f->reader = get_child (f->window, "reader");
  f->tree = get_child (f->window, "code_tree");
  g_assert_cmpint (tsr_test_id_of (tsr_window_get_document (f->window)), ==, f->docs[0]);
  run_for (150);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  run_for (50);
  g_assert_finalize_object (f->window);

  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The segments of a document, as "code:start-end" sorted. */
static char *
segments_of (TsrProject *project,
             gint64      document_id)
{
  g_autoptr(GListModel) segments = tsr_project_get_segments (project, document_id);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(TsrSegment) segment = g_list_model_get_item (segments, i);
      g_autoptr(TsrCode) code = tsr_project_lookup_code (project, tsr_segment_get_code_id (segment));

      g_ptr_array_add (parts, g_strdup_printf ("%s:%u-%u%s", tsr_code_get_name (code),
                                               tsr_segment_get_start (segment),
                                               tsr_segment_get_end (segment),
                                               tsr_segment_get_exemplar (segment) ? "*" : ""));
    }

  g_ptr_array_sort (parts, compare_strings);
  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, parts->pdata[i]);
    }

  return g_string_free (s, FALSE);
}

#define ASSERT_SEGMENTS(f, doc, expected)                        \
  G_STMT_START {                                                \
    g_autofree char *actual_ = segments_of ((f)->project, (doc)); \
    g_assert_cmpstr (actual_, ==, (expected));                  \
  } G_STMT_END

static void
undo (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
}

/* The row of a code, on screen. */
static GtkWidget *
row_of (Fixture *f,
        gint64   code_id)
{
  GtkWidget *row;

  g_assert_true (tsr_code_tree_select_code (f->tree, code_id));
  run_for (100);
  row = tsr_code_tree_get_row_widget (f->tree, code_id);
  g_assert_nonnull (row);
  return row;
}

/* What a code row's drag source offers. */
static TsrCode *
drag_code (Fixture *f,
           gint64   code_id)
{
  GtkWidget *row = row_of (f, code_id);
  GtkDragSource *source = find_controller (row, GTK_TYPE_DRAG_SOURCE);
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  TsrCode *code;

  g_signal_emit_by_name (source, "prepare", 10.0, 5.0, &provider);
  g_assert_nonnull (provider);

  g_value_init (&value, TSR_TYPE_CODE);
  gdk_content_provider_get_value (provider, &value, &error);
  g_assert_no_error (error);
  code = g_value_dup_object (&value);
  g_value_unset (&value);

  g_assert_cmpint (tsr_test_id_of (code), ==, code_id);
  return code;
}

/* Widget coordinates of the middle of the character at @offset. */
static void
point_at_offset (TsrReader *reader,
                 guint      offset,
                 double    *x,
                 double    *y)
{
  GtkTextIter iter;
  GdkRectangle rect;
  int wx, wy;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (GTK_TEXT_VIEW (reader)), &iter, offset);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (reader), &iter, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (reader), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x + rect.width / 2, rect.y + rect.height / 2, &wx, &wy);
  *x = wx;
  *y = wy;
}

static gboolean
drop_on (gpointer      target,
         const GValue *value,
         double        x,
         double        y)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (target, "drop", value, x, y, &handled);
  return handled;
}

/* Gestures ----------------------------------------------------------- */

static void
test_drop_code_on_selection (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) code = drag_code (f, f->clapping);
  GtkDropTarget *target = find_controller (GTK_WIDGET (f->reader), GTK_TYPE_DROP_TARGET);
  GValue value = G_VALUE_INIT;
  double x, y;

  /* "we clapped" selected, the code dropped on it. */
  g_assert_true (tsr_reader_select_range (f->reader, 24, 34));
  point_at_offset (f->reader, 28, &x, &y);
  g_value_init (&value, TSR_TYPE_CODE);
  g_value_set_object (&value, code);
  g_assert_true (drop_on (target, &value, x, y));

  ASSERT_SEGMENTS (f, f->docs[0], "Clapping:24-34 Compassion:13-26 Compassion:44-53 Solidarity:4-18");
  {
    g_autoptr(GListModel) segments = tsr_project_get_segments (f->project, f->docs[0]);
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
      {
        g_autoptr(TsrSegment) s = g_list_model_get_item (segments, i);

        if (tsr_segment_get_code_id (s) == f->clapping)
          {
            /* The current coder is recorded, with the words. */
            g_assert_cmpint (tsr_segment_get_coder_id (s), ==, f->ada);
            g_assert_cmpstr (tsr_segment_get_text (s), ==, "we clapped");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* Without a selection nothing is coded. */
  g_assert_true (tsr_reader_select_range (f->reader, 30, 30));
  g_assert_false (drop_on (target, &value, x, y));
  g_value_unset (&value);

  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");
}

static void
test_drag_selection_to_code (Fixture *f, gconstpointer data)
{
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  GValue text = G_VALUE_INIT;
  GtkWidget *row;

  /* " She cried, " with its spaces: trimmed to "She cried,". */
  g_assert_true (tsr_reader_select_range (f->reader, 43, 55));
  run_for (50);

  /* What a drag of the selection carries.  Whether a press starts the
   * drag or a selection is a gesture, tested with a real pointer
   * (tests/e2e/test-input.py). */
  provider = tsr_reader_create_drag_content (f->reader);
  g_assert_nonnull (provider);

  g_value_init (&value, TSR_TYPE_TEXT_RANGE);
  gdk_content_provider_get_value (provider, &value, &error);
  g_assert_no_error (error);
  {
    const TsrTextRange *range = g_value_get_boxed (&value);

    g_assert_cmpint (range->document_id, ==, f->docs[0]);
    g_assert_cmpuint (range->start, ==, 44);
    g_assert_cmpuint (range->end, ==, 54);
  }

  /* Other programs get the words. */
  g_value_init (&text, G_TYPE_STRING);
  gdk_content_provider_get_value (provider, &text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&text), ==, "\nShe cried, ");
  g_value_unset (&text);

  row = row_of (f, f->solidarity);
  g_assert_true (drop_on (find_controller (row, GTK_TYPE_DROP_TARGET), &value, 20, 10));
  g_value_unset (&value);

  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18 Solidarity:44-54");

  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");
}

static void
test_in_vivo (Fixture *f, gconstpointer data)
{
  guint n_codes = tsr_project_get_n_codes (f->project);
  g_autoptr(TsrCode) code = NULL;
  TsrCode *selected;

  /* "clapped for her." */
  g_assert_true (tsr_reader_select_range (f->reader, 27, 43));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.code-in-vivo", NULL));

  code = tsr_project_find_code (f->project, "clapped for her");
  g_assert_nonnull (code);
  g_assert_cmpuint (tsr_project_get_n_codes (f->project), ==, n_codes + 1);
  {
    g_autofree char *expected = g_strdup_printf ("Compassion:13-26 Compassion:44-53 Solidarity:4-18 "
                                                 "clapped for her:27-43");

    ASSERT_SEGMENTS (f, f->docs[0], expected);
  }

  /* The new code is selected in the tree. */
  selected = tsr_code_tree_get_selected_code (f->tree);
  g_assert_nonnull (selected);
  g_assert_cmpint (tsr_test_id_of (selected), ==, tsr_test_id_of (code));

  /* One undo step takes back the coding and the code. */
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");
  g_assert_cmpuint (tsr_project_get_n_codes (f->project), ==, n_codes);
  g_clear_object (&code);
  code = tsr_project_find_code (f->project, "clapped for her");
  g_assert_null (code);
}

static GtkWidget *
quick_button (Fixture *f,
              guint    n)
{
  GtkWidget *bar = get_child (f->window, "quick_bar");
  GtkWidget *child = gtk_widget_get_first_child (bar);

  for (guint i = 0; child != NULL && i < n; i++)
    child = gtk_widget_get_next_sibling (child);

  return child;
}

static void
test_quick_code (Fixture *f, gconstpointer data)
{
  GtkWidget *button;

  /* Seeded from Ada's coding, the latest first. */
  button = quick_button (f, 1);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Code the Selection as “Compassion” (Ctrl+1)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 2)), ==,
                   "Code the Selection as “Solidarity” (Ctrl+2)");
  g_assert_null (quick_button (f, 3));
  g_assert_true (gtk_revealer_get_reveal_child (get_child (f->window, "quick_revealer")));

  /* Ctrl+2 codes "so did I" as Solidarity, which becomes the latest. */
  g_assert_true (tsr_reader_select_range (f->reader, 59, 67));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.quick-code", "i", 2));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18 Solidarity:59-67");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                   "Code the Selection as “Solidarity” (Ctrl+1)");

  /* A code applied by dragging joins the list too. */
  {
    g_autoptr(TsrCode) code = drag_code (f, f->clapping);
    GValue value = G_VALUE_INIT;
    double x, y;

    g_assert_true (tsr_reader_select_range (f->reader, 0, 3));
    point_at_offset (f->reader, 1, &x, &y);
    g_value_init (&value, TSR_TYPE_CODE);
    g_value_set_object (&value, code);
    g_assert_true (drop_on (find_controller (GTK_WIDGET (f->reader), GTK_TYPE_DROP_TARGET), &value, x, y));
    g_value_unset (&value);
  }
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                   "Code the Selection as “Clapping” (Ctrl+1)");
  g_assert_nonnull (quick_button (f, 3));

  /* A key with no code yet codes nothing. */
  g_assert_true (tsr_reader_select_range (f->reader, 62, 65));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.quick-code", "i", 9));
  ASSERT_SEGMENTS (f, f->docs[0],
                   "Clapping:0-3 Compassion:13-26 Compassion:44-53 Solidarity:4-18 Solidarity:59-67");

  undo (f);
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  /* A deleted code leaves the bar. */
  {
    g_autoptr(GError) error = NULL;

    tsr_project_delete_code (f->project, f->clapping, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                     "Code the Selection as “Solidarity” (Ctrl+1)");
  }

  /* Undo brings it back where it was, redo takes it away again, and
   * the keys follow what the bar shows. */
  undo (f);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                   "Code the Selection as “Clapping” (Ctrl+1)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.redo", NULL));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                   "Code the Selection as “Solidarity” (Ctrl+1)");
  g_assert_true (tsr_reader_select_range (f->reader, 62, 65));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.quick-code", "i", 1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18 Solidarity:62-65");
  undo (f);
  undo (f);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                   "Code the Selection as “Solidarity” (Ctrl+1)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 2)), ==,
                   "Code the Selection as “Clapping” (Ctrl+2)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 3)), ==,
                   "Code the Selection as “Compassion” (Ctrl+3)");

  /* A new code made in the place of one deleted is not taken for it. */
  {
    g_autoptr(GError) error = NULL;

    tsr_project_delete_code (f->project, f->clapping, &error);
    g_assert_no_error (error);
    g_assert_cmpint (tsr_project_create_code (f->project, 0, "Applause", NULL, NULL, &error), >, 0);
    g_assert_no_error (error);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (quick_button (f, 1)), ==,
                     "Code the Selection as “Solidarity” (Ctrl+1)");
  }
}

static void
test_adjust_bounds (Fixture *f, gconstpointer data)
{
  /* "ward was quiet" [4,18): the end a word later is "when" [19,23). */
  g_assert_true (tsr_reader_select_segment (f->reader, f->s_ward));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-end", "i", 1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-23");

  /* The start a word earlier: "The". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-start", "i", -1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:0-23");

  /* And back: the start a word later, the end a word earlier. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-start", "i", 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-end", "i", -1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  /* The passage cannot shrink to nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-end", "i", -1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.segment-end", "i", -1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-8");
  g_assert_false (tsr_reader_move_segment_bound (f->reader, FALSE, -1));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-8");

  /* Each step is one undo. */
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-12");
  for (guint i = 0; i < 5; i++)
    undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");
}

static void
test_remove_and_star (Fixture *f, gconstpointer data)
{
  /* Ctrl+] selects the passages in order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-coding", NULL));
  g_assert_cmpint (tsr_reader_get_selected_segment (f->reader), ==, f->s_ward);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-coding", NULL));
  g_assert_cmpint (tsr_reader_get_selected_segment (f->reader), ==, f->s_quiet);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.star-passage", NULL));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26* Compassion:44-53 Solidarity:4-18");
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove-coding", NULL));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:44-53 Solidarity:4-18");
  g_assert_cmpint (tsr_reader_get_selected_segment (f->reader), ==, 0);
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  /* Delete in the reader removes the selected passage's coding. */
  g_assert_true (tsr_reader_select_segment (f->reader, f->s_ward));
  gtk_widget_grab_focus (GTK_WIDGET (f->reader));
  g_assert_true (tsr_reader_remove_selected_segment (f->reader));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53");
  undo (f);
}

static void
test_snap_to_words (Fixture *f, gconstpointer data)
{
  GSettings *settings = tsr_application_get_settings (app);
  g_autoptr(TsrCode) code = drag_code (f, f->compassion);
  GtkDropTarget *target = find_controller (GTK_WIDGET (f->reader), GTK_TYPE_DROP_TARGET);
  GValue value = G_VALUE_INIT;
  double x, y;

  g_value_init (&value, TSR_TYPE_CODE);
  g_value_set_object (&value, code);

  /* "lapped fo": coded as selected while snapping is off… */
  g_assert_true (tsr_reader_select_range (f->reader, 28, 37));
  point_at_offset (f->reader, 30, &x, &y);
  g_assert_true (drop_on (target, &value, x, y));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:28-37 Compassion:44-53 Solidarity:4-18");
  undo (f);

  /* …and widened to "clapped for" while it is on (the preferences'
   * switch). */
  g_settings_set_boolean (settings, "snap-to-words", TRUE);
  g_assert_true (tsr_reader_select_range (f->reader, 28, 37));
  g_assert_true (drop_on (target, &value, x, y));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:27-38 Compassion:44-53 Solidarity:4-18");
  undo (f);
  g_settings_set_boolean (settings, "snap-to-words", FALSE);
  g_value_unset (&value);
}

/* The code tree ------------------------------------------------------- */

static void
name_popover_apply (Fixture    *f,
                    const char *name)
{
  GtkEntry *entry = GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (f->tree), TSR_TYPE_CODE_TREE,
                                                              "name_entry"));
  GtkPopover *popover = GTK_POPOVER (gtk_widget_get_template_child (GTK_WIDGET (f->tree), TSR_TYPE_CODE_TREE,
                                                                    "name_popover"));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_tree_edits (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) created = NULL;
  g_autoptr(TsrCode) child = NULL;
  GtkCheckButton *inside = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (f->tree),
                                                                            TSR_TYPE_CODE_TREE, "inside_check"));
  GtkLabel *error_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->tree),
                                                                    TSR_TYPE_CODE_TREE, "name_error"));
  GListModel *rows = tsr_code_tree_get_model (f->tree);

  /* Two top-level codes, the sub-code folded away until selected. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  g_assert_true (tsr_code_tree_select_code (f->tree, f->clapping));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);

  /* New code at the top level (Ctrl+Shift+N). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-code", NULL));
  name_popover_apply (f, "Resilience");
  created = tsr_project_find_code (f->project, "Resilience");
  g_assert_nonnull (created);
  g_assert_cmpint (tsr_code_get_parent_id (created), ==, 0);
  g_assert_cmpint (tsr_test_id_of (tsr_code_tree_get_selected_code (f->tree)), ==, tsr_test_id_of (created));

  save_screenshot (GTK_WIDGET (f->window), "tree-new-code.png");

  /* A sub-code of the selected one, from its menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.new-child", NULL));
  g_assert_true (gtk_check_button_get_active (inside));
  name_popover_apply (f, "Bouncing back");
  child = tsr_project_find_code (f->project, "Resilience/Bouncing back");
  g_assert_nonnull (child);
  /* The parent, a leaf until now, opened to show it. */
  g_assert_cmpint (tsr_test_id_of (tsr_code_tree_get_selected_code (f->tree)), ==, tsr_test_id_of (child));

  /* A name taken among the siblings is refused in the popover. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.rename", NULL));
  name_popover_apply (f, "Bouncing back ");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  tsr_code_tree_select_code (f->tree, f->solidarity);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.rename", NULL));
  name_popover_apply (f, "Compassion");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "There is already a code “Compassion” here");

  /* Rename in place (F2). */
  name_popover_apply (f, "Standing together");
  {
    g_autoptr(TsrCode) renamed = tsr_project_lookup_code (f->project, f->solidarity);

    g_assert_cmpstr (tsr_code_get_name (renamed), ==, "Standing together");
  }

  /* Recolour from the palette. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.set-color", "s", "#9141ac"));
  {
    g_autoptr(TsrCode) recoloured = tsr_project_lookup_code (f->project, f->solidarity);

    g_assert_cmpstr (tsr_code_get_color (recoloured), ==, "#9141ac");
  }

  /* Delete, with its sub-code and passages; undo brings all back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.delete", NULL));
  g_assert_false (code_exists (f->project, f->solidarity));
  g_assert_false (code_exists (f->project, f->clapping));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53");
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Standing together:4-18");
  g_assert_true (code_exists (f->project, f->clapping));

  /* Filtering keeps the ancestors of a match. */
  tsr_code_tree_set_filter_text (f->tree, "clap");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  {
    g_autoptr(GtkTreeListRow) first = g_list_model_get_item (rows, 0);
    g_autoptr(GtkTreeListRow) second = g_list_model_get_item (rows, 1);
    g_autoptr(TsrCode) a = gtk_tree_list_row_get_item (first);
    g_autoptr(TsrCode) b = gtk_tree_list_row_get_item (second);

    g_assert_cmpint (tsr_test_id_of (a), ==, f->solidarity);
    g_assert_cmpint (tsr_test_id_of (b), ==, f->clapping);
  }
  tsr_code_tree_set_filter_text (f->tree, "no such code");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->tree), TSR_TYPE_CODE_TREE, "stack"))),
                   ==, "no-match");
  tsr_code_tree_set_filter_text (f->tree, "");
  g_assert_cmpuint (g_list_model_get_n_items (rows), >=, 4);

  /* Enter on a code codes the reader's selection with it. */
  tsr_code_tree_select_code (f->tree, f->compassion);
  g_assert_true (tsr_reader_select_range (f->reader, 0, 3));
  g_signal_emit_by_name (tsr_code_tree_get_list_view (f->tree), "activate",
                         gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows)));
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:0-3 Compassion:13-26 Compassion:44-53 Standing together:4-18");
}

/* Whether the code tree's context menu, opened on the selected code,
 * shows an item labelled @label. */
static gboolean
tree_menu_shows (Fixture    *f,
                 const char *label)
{
  GType model_button = g_type_from_name ("GtkModelButton");
  GtkWidget *menu = NULL;
  gboolean shown = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.menu", NULL));
  run_for (50);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (f->tree)); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER_MENU (c) && gtk_widget_get_visible (c))
      menu = c;
  g_assert_nonnull (menu);

  for (GtkWidget *w = menu; w != NULL; )
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, model_button) && gtk_widget_is_drawable (w))
        {
          g_autofree char *text = NULL;

          g_object_get (w, "text", &text, NULL);
          shown |= g_strcmp0 (text, label) == 0;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != menu && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = (w == NULL || w == menu) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }

  gtk_popover_popdown (GTK_POPOVER (menu));
  run_for (50);
  return shown;
}

static void
test_tree_moves (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCode) clapping = drag_code (f, f->clapping);
  g_autoptr(TsrCode) compassion = drag_code (f, f->compassion);
  GValue value = G_VALUE_INIT;
  GtkWidget *row;
  AdwMessageDialog *dialog;
  int height;

  /* Clapping dropped in the middle of Compassion's row: a sub-code. */
  row = row_of (f, f->compassion);
  height = gtk_widget_get_height (row);
  g_value_init (&value, TSR_TYPE_CODE);
  g_value_set_object (&value, clapping);
  g_assert_true (drop_on (find_controller (row, GTK_TYPE_DROP_TARGET), &value, 20, height / 2.0));
  {
    g_autofree char *path = tsr_project_get_code_path (f->project, f->clapping);

    g_assert_cmpstr (path, ==, "Compassion/Clapping");
  }

  /* Dropped on the upper edge of Solidarity: before it, at the top. */
  row = row_of (f, f->solidarity);
  g_assert_true (drop_on (find_controller (row, GTK_TYPE_DROP_TARGET), &value, 20, 1));
  {
    g_autoptr(GListModel) top = tsr_project_get_codes (f->project, 0);
    g_autoptr(TsrCode) first = g_list_model_get_item (top, 0);
    g_autoptr(TsrCode) second = g_list_model_get_item (top, 1);
    g_autoptr(TsrCode) third = g_list_model_get_item (top, 2);

    g_assert_cmpint (tsr_test_id_of (first), ==, f->clapping);
    g_assert_cmpint (tsr_test_id_of (second), ==, f->solidarity);
    g_assert_cmpint (tsr_test_id_of (third), ==, f->compassion);
  }

  /* Dropped on the lower edge of Compassion: after it, last. */
  row = row_of (f, f->compassion);
  height = gtk_widget_get_height (row);
  g_assert_true (drop_on (find_controller (row, GTK_TYPE_DROP_TARGET), &value, 20, height - 1));
  {
    g_autoptr(GListModel) top = tsr_project_get_codes (f->project, 0);
    g_autoptr(TsrCode) last = g_list_model_get_item (top, 2);

    g_assert_cmpint (tsr_test_id_of (last), ==, f->clapping);
  }
  g_value_unset (&value);

  /* Undo walks the moves back. */
  undo (f);
  undo (f);
  undo (f);
  {
    g_autofree char *path = tsr_project_get_code_path (f->project, f->clapping);

    g_assert_cmpstr (path, ==, "Solidarity/Clapping");
  }

  /* A code cannot go inside itself. */
  {
    g_autoptr(TsrCode) solidarity = drag_code (f, f->solidarity);

    row = row_of (f, f->clapping);
    height = gtk_widget_get_height (row);
    g_value_init (&value, TSR_TYPE_CODE);
    g_value_set_object (&value, solidarity);
    g_assert_false (drop_on (find_controller (row, GTK_TYPE_DROP_TARGET), &value, 20, height / 2.0));
    g_value_unset (&value);
  }

  /* Merging (Ctrl+Shift while dragging) asks first. */
  g_assert_true (tsr_code_tree_drop_code (f->tree, tsr_test_id_of (compassion), f->solidarity, TSR_DROP_INTO, TRUE));
  wait_until (has_message_dialog, f->window);
  dialog = find_message_dialog (GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Merge “Compassion” Into “Solidarity”?");
  /* As the Merge button does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, "merge");
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_for (50);
  g_assert_false (code_exists (f->project, f->compassion));
  ASSERT_SEGMENTS (f, f->docs[0], "Solidarity:13-26 Solidarity:4-18 Solidarity:44-53");
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  /* Move to Top Level is offered on a sub-code only. */
  tsr_code_tree_select_code (f->tree, f->solidarity);
  g_assert_true (tree_menu_shows (f, "Move to Top Level") == FALSE);
  g_assert_true (tree_menu_shows (f, "Merge Into…"));
  tsr_code_tree_select_code (f->tree, f->clapping);
  g_assert_true (tree_menu_shows (f, "Move to Top Level"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.to-top", NULL));
  run_for (50);
  {
    g_autoptr(TsrCode) moved = tsr_project_lookup_code (f->project, f->clapping);

    g_assert_cmpint (tsr_code_get_parent_id (moved), ==, 0);
  }
  tsr_code_tree_select_code (f->tree, f->clapping);
  g_assert_false (tree_menu_shows (f, "Move to Top Level"));
  undo (f);
  tsr_code_tree_select_code (f->tree, f->clapping);
  g_assert_true (tree_menu_shows (f, "Move to Top Level"));

  /* Merge Into… from the menu: pick the code, confirm. */
  tsr_code_tree_select_code (f->tree, f->clapping);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.merge-into", NULL));
  wait_until (has_message_dialog, f->window);
  dialog = find_message_dialog (GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Merge “Clapping” Into…");
  {
    GtkDropDown *drop_down = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
    GListModel *choices = gtk_drop_down_get_model (drop_down);
    guint compassion_at = G_MAXUINT;

    /* Every other code, by path; not the code itself. */
    g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 2);
    for (guint i = 0; i < 2; i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (choices), i), "Compassion") == 0)
        compassion_at = i;
    g_assert_cmpuint (compassion_at, !=, G_MAXUINT);
    gtk_drop_down_set_selected (drop_down, compassion_at);
  }
  /* As the Merge button does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, "merge");
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_for (50);
  g_assert_false (code_exists (f->project, f->clapping));
  undo (f);
  g_assert_true (code_exists (f->project, f->clapping));
}

static gboolean
counts_show (gpointer data)
{
  gpointer *args = data;
  g_autofree char *shown = tsr_code_tree_dup_row_counts (args[0], GPOINTER_TO_SIZE (args[1]));

  return g_strcmp0 (shown, args[2]) == 0;
}

static void
assert_counts_show (Fixture    *f,
                    gint64      code_id,
                    const char *expected)
{
  gpointer args[] = { f->tree, GSIZE_TO_POINTER ((gsize) code_id), (gpointer) expected };

  row_of (f, code_id);
  wait_until (counts_show, args);
}

static void
test_counts_follow_coding (Fixture *f, gconstpointer data)
{
  GSettings *settings = tsr_application_get_settings (app);
  TsrDocumentList *list = get_child (f->window, "document_list");
  g_autoptr(TsrDocument) second = tsr_project_lookup_document (f->project, f->docs[1]);
  g_autoptr(TsrDocument) first = tsr_project_lookup_document (f->project, f->docs[0]);
  g_autoptr(GError) error = NULL;

  /* n (documents) / passages, Solidarity counting its sub-code too. */
  assert_counts_show (f, f->solidarity, "1/1");
  assert_counts_show (f, f->compassion, "1/2");

  /* Coding shows in the counts at once. */
  tsr_project_add_segment (f->project, f->docs[1], f->clapping, 0, 8, &error);
  g_assert_no_error (error);
  assert_counts_show (f, f->solidarity, "2/2");
  assert_counts_show (f, f->clapping, "1/1");
  {
    g_autofree char *count = tsr_document_list_dup_row_count (list, second);

    /* Not on screen until the list shows it: then it counts. */
    g_assert_true (count == NULL || g_str_equal (count, "1"));
  }

  /* Hiding the other coders: only Ada's coding is counted and shown. */
  g_assert_cmpuint (tsr_reader_get_n_visible_segments (f->reader), ==, 3);
  g_settings_set_boolean (settings, "show-other-coders", FALSE);
  assert_counts_show (f, f->compassion, "1/1");
  g_assert_cmpuint (tsr_reader_get_n_visible_segments (f->reader), ==, 2);
  {
    g_autofree char *count = tsr_document_list_dup_row_count (list, first);

    g_assert_cmpstr (count, ==, "2");
  }
  g_assert_true (gtk_toggle_button_get_active (get_child (f->window, "others_button")) == FALSE);

  /* The window's toggle shows them again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-other-coders", NULL));
  g_assert_true (g_settings_get_boolean (settings, "show-other-coders"));
  assert_counts_show (f, f->compassion, "1/2");
  g_assert_cmpuint (tsr_reader_get_n_visible_segments (f->reader), ==, 3);

  undo (f);
  assert_counts_show (f, f->solidarity, "1/1");
}

/* The reader's margin and popover ------------------------------------ */

static gboolean
margin_is_wide (gpointer data)
{
  /* Two lanes of 18 pixels, once laid out. */
  return gtk_widget_get_width (data) >= 2 * 18;
}

static void
test_stripes_and_popover (Fixture *f, gconstpointer data)
{
  GtkPopover *popover = tsr_reader_get_coding_popover (f->reader);
  GtkWidget *margin = tsr_reader_get_margin (f->reader);
  double x, y;

  /* Overlapping passages get lanes of their own; the one after them the
   * first lane again. */
  g_assert_cmpint (tsr_reader_get_segment_lane (f->reader, f->s_ward), ==, 0);
  g_assert_cmpint (tsr_reader_get_segment_lane (f->reader, f->s_quiet), ==, 1);
  g_assert_cmpint (tsr_reader_get_segment_lane (f->reader, f->s_cried), ==, 0);
  g_assert_cmpuint (tsr_reader_get_n_lanes (f->reader), ==, 2);
  wait_until (margin_is_wide, margin);
  g_assert_cmpint (gtk_widget_get_width (margin), >=, 2 * 18);

  /* Each stripe is labelled with its code, set horizontally and whole,
   * in the margin; the two passages that start on the same line have
   * labels one under the other, not over each other. */
  run_for (100);
  {
    gint64 segments[] = { f->s_ward, f->s_quiet, f->s_cried };
    const char *expected[] = { "Solidarity", "Compassion", "Compassion · BS" };
    graphene_rect_t rects[G_N_ELEMENTS (segments)];

    for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
      {
        g_autofree char *text = NULL;
        gboolean ellipsized = TRUE;

        g_assert_true (tsr_reader_get_stripe_label (f->reader, segments[i], &rects[i], &text, &ellipsized));
        g_assert_cmpstr (text, ==, expected[i]);
        g_assert_false (ellipsized);
        /* Horizontal, at a readable size, inside the margin. */
        g_assert_cmpfloat (rects[i].size.width, >, 2 * rects[i].size.height);
        g_assert_cmpfloat (rects[i].size.height, >=, 10);
        g_assert_cmpfloat (rects[i].origin.x + rects[i].size.width, <=, gtk_widget_get_width (margin));
        for (guint j = 0; j < i; j++)
          g_assert_false (graphene_rect_intersection (&rects[i], &rects[j], NULL));
      }
  }

  /* A click on a stripe selects its passage and opens the popover. */
  g_assert_true (tsr_reader_get_stripe_point (f->reader, f->s_quiet, &x, &y));
  {
    GtkGesture *click = find_controller (margin, GTK_TYPE_GESTURE_CLICK);

    g_signal_emit_by_name (click, "pressed", 1, x + 4, y);
  }
  g_assert_cmpint (tsr_reader_get_selected_segment (f->reader), ==, f->s_quiet);
  run_for (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* The card: code, coder, memo, star, remove, bounds. */
  {
    GtkWidget *box = gtk_popover_get_child (popover);
    GtkWidget *card = gtk_widget_get_first_child (box);
    GtkWidget *header = gtk_widget_get_first_child (card);
    GtkWidget *name = gtk_widget_get_next_sibling (gtk_widget_get_first_child (header));
    GtkWidget *star = gtk_widget_get_next_sibling (name);
    GtkWidget *info = gtk_widget_get_next_sibling (header);
    GtkWidget *memo_label = gtk_widget_get_next_sibling (info);
    GtkWidget *frame = gtk_widget_get_next_sibling (memo_label);
    GtkWidget *memo = gtk_frame_get_child (GTK_FRAME (frame));

    g_assert_null (gtk_widget_get_next_sibling (card));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (name)), ==, "Compassion");
    /* The memo field is labelled on screen, and the label names it. */
    g_assert_true (GTK_IS_LABEL (memo_label));
    g_assert_true (gtk_widget_get_visible (memo_label));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (memo_label)), ==, "Memo");
    g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (memo_label)) == memo);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (info)), ==, "Ada Lovelace · 13 characters");

    /* A memo typed there is saved, at the latest when the popover
     * changes or closes. */
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (memo)), "Quiet as respect", -1);

    /* Starring there stars the passage. */
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star), TRUE);
    ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26* Compassion:44-53 Solidarity:4-18");
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  save_screenshot (GTK_WIDGET (f->window), "coding-window.png");
  save_screenshot (GTK_WIDGET (popover), "coding-popover.png");
  gtk_popover_popdown (popover);
  run_for (50);
  {
    g_autofree char *memo = tsr_project_get_memo (f->project, TSR_MEMO_SEGMENT, f->s_quiet);

    g_assert_cmpstr (memo, ==, "Quiet as respect");
  }
  undo (f);
  {
    g_autofree char *memo = tsr_project_get_memo (f->project, TSR_MEMO_SEGMENT, f->s_quiet);

    g_assert_cmpstr (memo, ==, "");
  }
  undo (f);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");

  /* Every passage at a place: "quiet" carries two codes. */
  g_assert_true (tsr_reader_show_coding_at (f->reader, 15, 0));
  {
    GtkWidget *box = gtk_popover_get_child (popover);
    guint n_cards = 0;

    for (GtkWidget *w = gtk_widget_get_first_child (box); w; w = gtk_widget_get_next_sibling (w))
      n_cards += gtk_widget_has_css_class (w, "tsr-coding-card");
    g_assert_cmpuint (n_cards, ==, 2);
  }
  gtk_popover_popdown (popover);
  g_assert_false (tsr_reader_show_coding_at (f->reader, 1, 0));

  /* Two coders' stripes over the same passage with the same code share
   * one label, naming both. */
  {
    g_autoptr(GError) error = NULL;
    gint64 same = tsr_project_add_segment_for_coder (f->project, f->docs[0], f->solidarity, f->bea, 4, 18, &error);
    graphene_rect_t mine, hers;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    run_for (100);
    g_assert_true (tsr_reader_get_stripe_label (f->reader, f->s_ward, &mine, &text, NULL));
    g_assert_cmpstr (text, ==, "Solidarity · AL BS");
    g_assert_true (tsr_reader_get_stripe_label (f->reader, same, &hers, NULL, NULL));
    g_assert_true (graphene_rect_equal (&mine, &hers));
  }
}

/* The accelerator a menu item shows for @action in @widget's menus: the
 * model button's own, as drawn beside the item's label. */
static char *
dup_menu_accel (GtkWidget  *widget,
                const char *action)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;
  char *accel = NULL;
  GType model_button = g_type_from_name ("GtkModelButton");

  g_menu_append (menu, "Item", action);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, widget);
  gtk_popover_popup (GTK_POPOVER (popover));
  run_for (50);

  g_assert_true (model_button != G_TYPE_INVALID);
  for (GtkWidget *w = popover; w != NULL && accel == NULL; )
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, model_button))
        g_object_get (w, "accel", &accel, NULL);
      /* Depth first. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != popover && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = (w == NULL || w == popover) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }

  gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_unparent (popover);
  return accel;
}

/* Menus name the main keyboard's keys, not the keypad's ("KP Delete"). */
static void
test_menu_accels (Fixture *f, gconstpointer data)
{
  struct {
    const char *widget;
    const char *action;
    const char *accel;
  } cases[] = {
    { "code_tree", "code.delete", "Delete" },
    { "code_tree", "code.rename", "F2" },
    { "document_list", "documents.delete", "Delete" },
    { "themes_view", "themes.zoom-in", "<Control>plus" },
    { "themes_view", "themes.zoom-out", "<Control>minus" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *accel = dup_menu_accel (get_child (f->window, cases[i].widget), cases[i].action);
      guint key = 0, expected_key = 0;
      GdkModifierType mods = 0, expected_mods = 0;

      g_assert_nonnull (accel);
      g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
      g_assert_true (gtk_accelerator_parse (cases[i].accel, &expected_key, &expected_mods));
      g_test_message ("%s: %s", cases[i].action, accel);
      g_assert_cmpstr (gdk_keyval_name (key), ==, gdk_keyval_name (expected_key));
      g_assert_cmpuint (mods, ==, expected_mods);
    }
}

/* Memos and the journal ---------------------------------------------- */

static void
type_into (GtkTextView *view,
           const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static void
test_memo_pane (Fixture *f, gconstpointer data)
{
  TsrMemoPane *pane = get_child (f->window, "memo_pane");
  GtkTextView *view = tsr_memo_pane_get_memo_view (pane);

  /* The document's memo first. */
  g_assert_cmpint (tsr_memo_pane_get_memo_kind (pane), ==, TSR_MEMO_DOCUMENT);
  type_into (view, "Written after the night shift");
  /* Saved a moment after typing stops. */
  run_for (1000);
  {
    g_autofree char *memo = tsr_project_get_memo (f->project, TSR_MEMO_DOCUMENT, f->docs[0]);

    g_assert_cmpstr (memo, ==, "Written after the night shift");
  }

  /* Selecting a passage shows its memo; switching away saves at once. */
  tsr_reader_select_segment (f->reader, f->s_ward);
  g_assert_cmpint (tsr_memo_pane_get_memo_kind (pane), ==, TSR_MEMO_SEGMENT);
  type_into (view, "The ward's silence");
  tsr_reader_select_segment (f->reader, 0);
  {
    g_autofree char *memo = tsr_project_get_memo (f->project, TSR_MEMO_SEGMENT, f->s_ward);

    g_assert_cmpstr (memo, ==, "The ward's silence");
  }

  /* A code's definition, from its menu's Edit Definition. */
  tsr_code_tree_select_code (f->tree, f->compassion);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "code.define", NULL));
  g_assert_cmpint (tsr_memo_pane_get_memo_kind (pane), ==, TSR_MEMO_CODE);
  type_into (view, "Kindness shown to a patient");

  save_screenshot (GTK_WIDGET (f->window), "memo-pane.png");

  /* Closing the project never loses what was being typed. */
  g_assert_true (tsr_window_close_project (f->window));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) project = tsr_project_open (f->path, &error);
    g_autoptr(TsrCode) code = NULL;

    g_assert_no_error (error);
    code = tsr_project_lookup_code (project, f->compassion);
    g_assert_cmpstr (tsr_code_get_definition (code), ==, "Kindness shown to a patient");

    /* Each save is an undoable edit. */
    g_assert_true (tsr_project_undo (project, &error));
    g_clear_object (&code);
    code = tsr_project_lookup_code (project, f->compassion);
    g_assert_cmpstr (tsr_code_get_definition (code), ==, "");
    tsr_project_close (project, &error);
    g_assert_no_error (error);
  }
}

static void
test_journal (Fixture *f, gconstpointer data)
{
  TsrMemoPane *pane = get_child (f->window, "memo_pane");
  GtkListBox *list = tsr_memo_pane_get_journal_list (pane);
  g_autoptr(GListModel) journal = tsr_project_get_journal (f->project);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkListBoxRow *row;
  GtkWidget *box, *header, *date, *remove, *text;

  /* Ctrl+J: a new entry dated today. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-journal-entry", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 1);
  {
    g_autoptr(TsrMemo) entry = g_list_model_get_item (journal, 0);

    g_assert_cmpstr (tsr_memo_get_date (entry), ==, today);
  }

  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  box = gtk_list_box_row_get_child (row);
  header = gtk_widget_get_first_child (box);
  date = gtk_widget_get_first_child (header);
  remove = gtk_widget_get_last_child (header);
  text = gtk_widget_get_next_sibling (header);

  /* Its author and the time it was written, beside the date. */
  {
    GtkWidget *byline = gtk_widget_get_next_sibling (text);
    g_autoptr(GRegex) regex = g_regex_new ("^Ada Lovelace · [0-9]{2}:[0-9]{2}$", 0, 0, NULL);

    g_assert_true (GTK_IS_LABEL (byline));
    g_assert_true (gtk_widget_get_visible (byline));
    g_assert_true (g_regex_match (regex, gtk_label_get_label (GTK_LABEL (byline)), 0, NULL));
  }

  /* Edited in place, saved when typing pauses. */
  type_into (GTK_TEXT_VIEW (text), "My own ward shapes how I read these.");
  gtk_editable_set_text (GTK_EDITABLE (date), "2026-02-01");
  tsr_memo_pane_flush (pane);
  {
    g_autoptr(TsrMemo) entry = g_list_model_get_item (journal, 0);

    g_assert_cmpstr (tsr_memo_get_text (entry), ==, "My own ward shapes how I read these.");
    g_assert_cmpstr (tsr_memo_get_date (entry), ==, "2026-02-01");
  }

  /* A date that is not one is refused and shown, the entry kept. */
  gtk_editable_set_text (GTK_EDITABLE (date), "2026-02-31");
  tsr_memo_pane_flush (pane);
  g_assert_true (gtk_widget_has_css_class (date, "error"));
  {
    g_autoptr(TsrMemo) entry = g_list_model_get_item (journal, 0);

    g_assert_cmpstr (tsr_memo_get_date (entry), ==, "2026-02-01");
  }
  gtk_editable_set_text (GTK_EDITABLE (date), "2026-02-01");

  save_screenshot (GTK_WIDGET (f->window), "journal.png");

  /* Deleted, and back with undo. */
  g_signal_emit_by_name (remove, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 0);
  undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 1);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 0));

  /* With more entries than the short pane shows, a new one (dated
   * today, so last) is scrolled into view whole. */
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (tsr_project_add_journal_entry (f->project, "2026-01-01",
                                                      "An earlier entry,\nof two lines.", &error), >, 0);
      g_assert_no_error (error);
    }
  run_for (100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-journal-entry", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 8);
  run_for (300);
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *last = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 7));
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (last, scroller, &bounds));
    g_assert_cmpfloat (bounds.size.height, >, 0);
    g_assert_cmpfloat (bounds.origin.y, >=, 0);
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
    g_assert_true (gtk_widget_has_focus (gtk_widget_get_next_sibling (gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (last))))));
  }
  save_screenshot (GTK_WIDGET (f->window), "journal-new-entry.png");
}

/* The documents ------------------------------------------------------ */

static void
test_document_list (Fixture *f, gconstpointer data)
{
  TsrDocumentList *list = get_child (f->window, "document_list");
  GtkEntry *rename_entry = GTK_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (list), TSR_TYPE_DOCUMENT_LIST,
                                                                     "rename_entry"));
  g_autoptr(TsrDocument) first = tsr_project_lookup_document (f->project, f->docs[0]);
  g_autoptr(TsrDocument) second = NULL;
  g_autoptr(GListModel) documents = tsr_project_get_documents (f->project);

  /* Passages per document beside its name. */
  {
    g_autofree char *count = tsr_document_list_dup_row_count (list, tsr_window_get_document (f->window));

    g_assert_cmpstr (count, ==, "3");
  }

  /* Mark as read from the list's menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "documents.toggle-read", NULL));
  g_assert_true (tsr_document_get_read (tsr_window_get_document (f->window)));
  g_assert_cmpstr (adw_window_title_get_subtitle (get_child (f->window, "project_title")), ==, "1 of 3 read");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "documents.toggle-unread", NULL));
  g_assert_false (tsr_document_get_read (tsr_window_get_document (f->window)));

  /* Rename (F2). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "documents.rename", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rename_entry)), ==, "Essay 1");
  gtk_editable_set_text (GTK_EDITABLE (rename_entry), "Night nurse");
  g_signal_emit_by_name (rename_entry, "activate");
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (f->window)), ==, "Night nurse");
  g_assert_cmpstr (adw_window_title_get_title (get_child (f->window, "document_title")), ==, "Night nurse");
  undo (f);
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (f->window)), ==, "Essay 1");

  /* Delete (Delete), with its coding; undo brings both back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (list), "documents.delete", NULL));
  {
    g_autoptr(TsrDocument) gone = tsr_project_lookup_document (f->project, f->docs[0]);

    g_assert_null (gone);
  }
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 2);
  undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 3);
  ASSERT_SEGMENTS (f, f->docs[0], "Compassion:13-26 Compassion:44-53 Solidarity:4-18");
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

#define ADD(path, func) \
  g_test_add ("/tessera/coding/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("drop-code-on-selection", test_drop_code_on_selection);
  ADD ("drag-selection-to-code", test_drag_selection_to_code);
  ADD ("in-vivo", test_in_vivo);
  ADD ("quick-code", test_quick_code);
  ADD ("adjust-bounds", test_adjust_bounds);
  ADD ("remove-and-star", test_remove_and_star);
  ADD ("snap-to-words", test_snap_to_words);
  ADD ("tree-edits", test_tree_edits);
  ADD ("tree-moves", test_tree_moves);
  ADD ("counts-follow-coding", test_counts_follow_coding);
  ADD ("stripes-and-popover", test_stripes_and_popover);
  ADD ("memo-pane", test_memo_pane);
  ADD ("journal", test_journal);
  ADD ("menu-accels", test_menu_accels);
  ADD ("document-list", test_document_list);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  g_rmdir (data_home);
  g_rmdir (config_home);
  g_rmdir (home);

  return ret;
}
