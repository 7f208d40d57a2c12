/* test-window.c — the application window, driven through its real code paths
 *
 * Runs under Xvfb with in-memory GSettings.  $TESSERA_DEMO names the
 * built demo project; it is copied before use, so the build's copy is
 * never touched.  With $TESSERA_SCREENSHOT_DIR set, the tests also save
 * pictures of what the window shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-application.h"
#include "tsr-coder-dialog.h"
#include "tsr-document-list.h"
#include "tsr-reader.h"
#include "tsr-welcome-page.h"
#include "tsr-window.h"
#include "ui-helpers.h"

static TsrApplication *app;

/* Helpers ------------------------------------------------------------ */

static gboolean
is_not_busy (gpointer data)
{
  return !tsr_window_get_busy (data);
}

static const char *
visible_page (TsrWindow *window)
{
  return gtk_stack_get_visible_child_name (get_child (window, "stack"));
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tessera-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The demo, copied out of the build tree; NULL (and the test skipped)
 * when it has not been built. */
static char *
prepare_demo_source (const char *dir)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  char *copy;

  if (demo == NULL || !g_file_test (demo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      return NULL;
    }

  copy = g_build_filename (dir, "demo-source.tessera", NULL);
  tsr_test_copy_file (demo, copy);
  g_setenv ("TESSERA_DEMO_PATH", copy, TRUE);

  return copy;
}

static TsrWindow *
new_window (void)
{
  TsrWindow *window = tsr_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 780);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);

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

static void
open_and_wait (TsrWindow  *window,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  tsr_window_open_file (window, file);
  wait_until (has_project, window);
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog (data) != NULL;
}

static void
close_message_dialog (AdwMessageDialog *dialog)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  /* As Escape or the Close button would. */
  g_object_ref (dialog);
  gtk_window_close (GTK_WINDOW (dialog));
  run_for (50);
  g_assert_null (find_message_dialog (parent));
  g_assert_finalize_object (dialog);
}

/* A small project with overlapping coding, and a character outside the
 * Basic Multilingual Plane, so offsets in characters and bytes differ. */
typedef struct
{
  char   *path;
  gint64  doc_ids[3];
  gint64  red;
  gint64  blue;
} Fixture;

static gboolean
has_one_item (gpointer data)
{
  return g_list_model_get_n_items (data) == 1;
}

static const char *fixture_texts[] = {
  "The ward was quiet 💙 when we clapped for her.\nShe cried, and so did I.",
  "A second essay about acknowledging patients.",
  "A third, with no coding at all.",
};

static void
make_fixture (Fixture    *fixture,
              const char *dir)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GError) error = NULL;

  fixture->path = g_build_filename (dir, "fixture.tessera", NULL);
  project = tsr_project_create (fixture->path, &error);
  g_assert_no_error (error);

  tsr_project_set_title (project, "Fixture Study", &error);
  g_assert_no_error (error);

  /* Ada codes here, remembered in the file: the window does not ask. */
  coder = tsr_project_confirm_coder (project, "Ada", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (fixture_texts); i++)
    {
      g_autofree char *name = g_strdup_printf ("Essay %u", i + 1);

      fixture->doc_ids[i] = tsr_project_add_document (project, name, fixture_texts[i], NULL, &error);
      g_assert_no_error (error);
    }

  fixture->red = tsr_project_create_code (project, 0, "Solidarity", "#ff0000", NULL, &error);
  g_assert_no_error (error);
  fixture->blue = tsr_project_create_code (project, 0, "Compassion", "#0000ff", NULL, &error);
  g_assert_no_error (error);

  /* "ward was quiet 💙" red, "quiet 💙 when we" blue: they overlap on
   * "quiet 💙"; a second red passage touches nothing. */
  tsr_project_add_segment (project, fixture->doc_ids[0], fixture->red, 4, 20, &error);
  g_assert_no_error (error);
  tsr_project_add_segment (project, fixture->doc_ids[0], fixture->blue, 13, 28, &error);
  g_assert_no_error (error);
  tsr_project_add_segment (project, fixture->doc_ids[0], fixture->red, 47, 57, &error);
  g_assert_no_error (error);
  tsr_project_add_segment (project, fixture->doc_ids[1], fixture->blue, 17, 43, &error);
  g_assert_no_error (error);

  /* A second coder agrees on "was" being red: still one red layer. */
  {
    g_autoptr(TsrCoder) second = tsr_project_ensure_coder (project, "Bea", &error);

    g_assert_no_error (error);
    tsr_project_add_segment_for_coder (project, fixture->doc_ids[0], fixture->red,
                                       tsr_entity_get_id (TSR_ENTITY (second)), 9, 12, &error);
    g_assert_no_error (error);
  }

  tsr_project_close (project, &error);
  g_assert_no_error (error);
}

static void
clear_fixture (Fixture *fixture)
{
  g_clear_pointer (&fixture->path, g_free);
}

static TsrDocument *
document_at (TsrWindow *window,
             guint      position)
{
  g_autoptr(GListModel) documents = tsr_project_get_documents (tsr_window_get_project (window));

  return g_list_model_get_item (documents, position);
}

/* Which codes cover each character, worked out from the segments alone:
 * code id → array of gboolean, one per character. */
static GHashTable *
compute_coverage (TsrProject *project,
                  gint64      document_id,
                  guint       length)
{
  g_autoptr(GListModel) segments = tsr_project_get_segments (project, document_id);
  GHashTable *by_code = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(TsrSegment) segment = g_list_model_get_item (segments, i);
      gint64 code_id = tsr_segment_get_code_id (segment);
      gboolean *covered = g_hash_table_lookup (by_code, &code_id);

      if (covered == NULL)
        {
          covered = g_new0 (gboolean, length + 1);
          g_hash_table_insert (by_code, g_memdup2 (&code_id, sizeof code_id), covered);
        }

      for (guint o = tsr_segment_get_start (segment); o < tsr_segment_get_end (segment) && o < length; o++)
        covered[o] = TRUE;
    }

  return by_code;
}

/* The codes whose highlight covers the character at @offset. */
static guint
codes_at (TsrReader  *reader,
          guint       offset,
          GHashTable *coverage)
{
  g_autoptr(GArray) codes = tsr_reader_dup_codes_at (reader, offset);

  for (guint i = 0; i < codes->len; i++)
    {
      gint64 code_id = g_array_index (codes, gint64, i);

      g_assert_cmpint (code_id, >, 0);
      /* Only codes that really cover it. */
      if (coverage != NULL)
        {
          gboolean *covered = g_hash_table_lookup (coverage, &code_id);

          g_assert_nonnull (covered);
          g_assert_true (covered[offset]);
        }
    }

  return codes->len;
}

/* Whether a code's highlight begins or ends at @offset. */
static gboolean
toggles_code (TsrReader *reader,
              guint      offset,
              gint64     code_id)
{
  g_autoptr(GArray) runs = tsr_reader_dup_highlight_runs (reader, code_id);

  for (guint i = 0; i < runs->len; i++)
    if (g_array_index (runs, guint, i) == offset)
      return TRUE;

  return FALSE;
}

/* Checks the reader marks exactly the document's coding: at each
 * character the highlighted codes are the codes covering it, and each
 * code's highlight begins and ends exactly where its coverage does. */
static void
assert_highlights_match (TsrWindow *window,
                         gint64     document_id)
{
  TsrReader *reader = get_child (window, "reader");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (reader));
  guint length = gtk_text_buffer_get_char_count (buffer);
  g_autoptr(GHashTable) coverage = compute_coverage (tsr_window_get_project (window), document_id, length);
  GHashTableIter iter;
  gpointer key, value;

  for (guint o = 0; o < length; o++)
    {
      guint expected = 0;

      g_hash_table_iter_init (&iter, coverage);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        expected += ((gboolean *) value)[o] ? 1 : 0;

      g_assert_cmpuint (codes_at (reader, o, coverage), ==, expected);
    }

  g_hash_table_iter_init (&iter, coverage);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gboolean *covered = value;

      for (guint o = 0; o <= length; o++)
        {
          gboolean here = o < length && covered[o];
          gboolean before = o > 0 && covered[o - 1];

          g_assert_true (toggles_code (reader, o, *(gint64 *) key) == (here != before));
        }
    }
}

/* The colour the reader paints behind the character at @offset, over a
 * white page: its highlights are rendered and the pixel read back. */
static void
color_at (TsrWindow *window,
          guint      offset,
          guchar     rgb[3])
{
  TsrReader *reader = get_child (window, "reader");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (reader));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  GdkRectangle visible;
  GdkRectangle rect;
  GtkTextIter iter;
  int x, y;

  /* Laid out, and any page transition over. */
  run_for (600);

  gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (reader), &visible);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (reader), &iter, &rect);
  x = rect.x + rect.width / 2 - visible.x;
  y = rect.y + rect.height / 2 - visible.y;
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, visible.width);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, visible.height);

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 1, 1, 1, 1 },
                             &GRAPHENE_RECT_INIT (visible.x, visible.y, visible.width, visible.height));
  tsr_reader_snapshot_highlights (reader, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (reader))),
                                        node,
                                        &GRAPHENE_RECT_INIT (visible.x, visible.y,
                                                             visible.width, visible.height));

  /* gdk_texture_download() gives premultiplied B, G, R, A bytes; the
   * page is opaque, so no unpremultiplying is needed. */
  pixels = g_malloc (visible.width * visible.height * 4);
  gdk_texture_download (texture, pixels, visible.width * 4);
  rgb[0] = pixels[(y * visible.width + x) * 4 + 2];
  rgb[1] = pixels[(y * visible.width + x) * 4 + 1];
  rgb[2] = pixels[(y * visible.width + x) * 4 + 0];
}

/* How many pixels of the reader as shown on screen are within 2 of @rgb. */
static guint
count_shown_pixels (TsrWindow    *window,
                    const guchar  rgb[3])
{
  GtkWidget *reader = get_child (window, "reader");
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (reader);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (reader);
  int height = gtk_widget_get_height (reader);
  guint n = 0;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (reader)),
                                        node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc (width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);

  for (int i = 0; i < width * height; i++)
    if (ABS (pixels[i * 4 + 2] - rgb[0]) <= 2 &&
        ABS (pixels[i * 4 + 1] - rgb[1]) <= 2 &&
        ABS (pixels[i * 4 + 0] - rgb[2]) <= 2)
      n++;

  return n;
}

/* @background with each colour laid over it at the highlight opacity. */
static void
expected_color (const guchar  background[3],
                const char   *colors[],
                guchar        rgb[3])
{
  double c[3] = { background[0], background[1], background[2] };

  for (guint i = 0; colors[i] != NULL; i++)
    {
      GdkRGBA layer;
      double a = TSR_READER_HIGHLIGHT_ALPHA;

      g_assert_true (gdk_rgba_parse (&layer, colors[i]));
      c[0] = c[0] * (1 - a) + layer.red * 255 * a;
      c[1] = c[1] * (1 - a) + layer.green * 255 * a;
      c[2] = c[2] * (1 - a) + layer.blue * 255 * a;
    }

  for (guint i = 0; i < 3; i++)
    rgb[i] = (guchar) (c[i] + 0.5);
}

static void
assert_color_near (const guchar actual[3],
                   const guchar expected[3])
{
  g_test_message ("colour %u,%u,%u expected %u,%u,%u",
                  actual[0], actual[1], actual[2], expected[0], expected[1], expected[2]);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (ABS ((int) actual[i] - (int) expected[i]), <=, 3);
}

/* Tests -------------------------------------------------------------- */

static void
test_recent_list_push (void)
{
  const char *list[] = { "/a.tessera", "/b.tessera", "/c.tessera", NULL };
  g_auto(GStrv) pushed = NULL;
  g_auto(GStrv) moved = NULL;
  g_auto(GStrv) capped = NULL;
  g_auto(GStrv) from_empty = NULL;

  pushed = tsr_recent_list_push (list, "/d.tessera", 10);
  g_assert_cmpstrv (pushed, ((const char *[]) { "/d.tessera", "/a.tessera", "/b.tessera", "/c.tessera", NULL }));

  moved = tsr_recent_list_push (list, "/c.tessera", 10);
  g_assert_cmpstrv (moved, ((const char *[]) { "/c.tessera", "/a.tessera", "/b.tessera", NULL }));

  capped = tsr_recent_list_push (list, "/d.tessera", 2);
  g_assert_cmpstrv (capped, ((const char *[]) { "/d.tessera", "/a.tessera", NULL }));

  from_empty = tsr_recent_list_push (NULL, "/a.tessera", 10);
  g_assert_cmpstrv (from_empty, ((const char *[]) { "/a.tessera", NULL }));
}

static void
test_welcome_page (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *present = g_build_filename (dir, "Thesis.tessera", NULL);
  g_autofree char *missing = g_build_filename (dir, "Gone.tessera", NULL);
  GSettings *settings = tsr_application_get_settings (app);
  TsrWindow *window;
  TsrWelcomePage *welcome;
  GtkListBox *recent;
  GtkListBoxRow *row;

  g_settings_set_strv (settings, "recent-projects", NULL);
  window = new_window ();

  g_assert_cmpstr (visible_page (window), ==, "welcome");
  g_assert_null (tsr_window_get_project (window));
  g_assert_true (tsr_window_is_empty (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Tessera");

  welcome = get_child (window, "welcome_page");
  recent = tsr_welcome_page_get_recent_list (welcome);
  g_assert_null (gtk_list_box_get_row_at_index (recent, 0));

  /* The recent projects follow the settings, the missing one dimmed. */
  g_assert_true (g_file_set_contents (present, "", 0, NULL));
  g_settings_set_strv (settings, "recent-projects",
                       (const char * const[]) { present, missing, NULL });

  row = gtk_list_box_get_row_at_index (recent, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Thesis");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, dir);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, "welcome.open-recent");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "dim-label"));

  row = gtk_list_box_get_row_at_index (recent, 1);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Gone");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "dim-label"));
  g_assert_null (gtk_list_box_get_row_at_index (recent, 2));

  /* Forgetting one goes through the row's own action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.remove-recent", "s", missing));
  {
    g_auto(GStrv) now = g_settings_get_strv (settings, "recent-projects");

    g_assert_cmpstrv (now, ((const char *[]) { present, NULL }));
  }
  g_assert_null (gtk_list_box_get_row_at_index (recent, 1));

  ui_save_screenshot (GTK_WIDGET (window), "welcome.png");

  g_settings_set_strv (settings, "recent-projects", NULL);
  destroy_window (window);
  g_unlink (present);
  g_rmdir (dir);
}

static void
test_fixture_window (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *wal = NULL;
  Fixture fixture = { 0 };
  TsrWindow *window;
  TsrProject *project;
  TsrDocumentList *list;
  GListModel *model;
  TsrReader *reader;
  GtkTextBuffer *buffer;
  AdwWindowTitle *project_title;
  g_auto(GStrv) recent = NULL;

  make_fixture (&fixture, dir);
  window = new_window ();
  open_and_wait (window, fixture.path);

  project = tsr_window_get_project (window);
  g_object_add_weak_pointer (G_OBJECT (project), (gpointer *) &project);

  g_assert_cmpstr (visible_page (window), ==, "project");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Fixture Study");
  project_title = get_child (window, "project_title");
  g_assert_cmpstr (adw_window_title_get_title (project_title), ==, "Fixture Study");
  g_assert_cmpstr (adw_window_title_get_subtitle (project_title), ==, "0 of 3 read");

  /* Opened means recorded first among the recent projects. */
  recent = g_settings_get_strv (tsr_application_get_settings (app), "recent-projects");
  g_assert_cmpstr (recent[0], ==, fixture.path);

  /* The coder is the one the project remembers, shown in the header;
   * the name offered to new projects does not silently replace them.
   * The coding is "mine", so it is painted at full strength. */
  g_settings_set_string (tsr_application_get_settings (app), "coder-name", "Grace Hopper");
  {
    TsrCoder *coder = tsr_project_get_current_coder (project);
    GtkLabel *label = get_child (window, "coder_label");

    g_assert_nonnull (coder);
    g_assert_cmpstr (tsr_coder_get_name (coder), ==, "Ada");
    g_assert_true (tsr_project_get_coder_confirmed (project));
    g_assert_cmpstr (gtk_label_get_text (label), ==, "Ada");
  }

  list = get_child (window, "document_list");
  model = tsr_document_list_get_model (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* The first unread document is shown at once, with its exact text. */
  reader = get_child (window, "reader");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (reader));
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (window)), ==, "Essay 1");
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
    g_assert_cmpstr (text, ==, fixture_texts[0]);
  }
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (reader)));

  /* Highlights: red alone, red and blue layered, blue alone. */
  assert_highlights_match (window, fixture.doc_ids[0]);
  g_assert_cmpuint (codes_at (reader, 3, NULL), ==, 0);
  g_assert_cmpuint (codes_at (reader, 4, NULL), ==, 1);
  /* Two coders' red on "was" is one red, not two. */
  g_assert_cmpuint (codes_at (reader, 10, NULL), ==, 1);
  g_assert_cmpuint (codes_at (reader, 19, NULL), ==, 2);
  g_assert_cmpuint (codes_at (reader, 20, NULL), ==, 1);
  g_assert_cmpuint (codes_at (reader, 28, NULL), ==, 0);

  /* What is painted: each code at 25 % over the page, red under blue
   * where they overlap.  Sampled on spaces, where no glyph covers it. */
  {
    const guchar page[3] = { 255, 255, 255 };
    guchar actual[3], expected[3];

    color_at (window, 3, actual);                       /* "The▮ward" */
    assert_color_near (actual, page);

    color_at (window, 8, actual);                       /* "ward▮was" */
    expected_color (page, (const char *[]) { "#ff0000", NULL }, expected);
    assert_color_near (actual, expected);

    color_at (window, 18, actual);                      /* "quiet▮💙" */
    expected_color (page, (const char *[]) { "#ff0000", "#0000ff", NULL }, expected);
    assert_color_near (actual, expected);

    color_at (window, 25, actual);                      /* "when▮we" */
    expected_color (page, (const char *[]) { "#0000ff", NULL }, expected);
    assert_color_near (actual, expected);

    color_at (window, 36, actual);                      /* "clapped▮for" */
    assert_color_near (actual, page);

    /* And the reader on screen paints them: the overlap's colour is
     * there, over the view's white page. */
    expected_color (page, (const char *[]) { "#ff0000", "#0000ff", NULL }, expected);
    g_assert_cmpuint (count_shown_pixels (window, expected), >, 100);
  }

  /* The character after 💙 is offset 19 + 1: offsets count characters. */
  {
    GtkTextIter iter;

    gtk_text_buffer_get_iter_at_offset (buffer, &iter, 19);
    g_assert_cmpuint (gtk_text_iter_get_char (&iter), ==, 0x1F499);
  }

  /* Coding made elsewhere shows at once, and so does its undo. */
  {
    g_autoptr(GError) error = NULL;

    tsr_project_add_segment (project, fixture.doc_ids[0], fixture.blue, 0, 3, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (codes_at (reader, 0, NULL), ==, 1);
    assert_highlights_match (window, fixture.doc_ids[0]);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
    g_assert_cmpuint (codes_at (reader, 0, NULL), ==, 0);
    assert_highlights_match (window, fixture.doc_ids[0]);
  }

  /* A code's new colour repaints its passages. */
  {
    g_autoptr(GError) error = NULL;
    const guchar page[3] = { 255, 255, 255 };
    guchar actual[3], expected[3];

    tsr_project_set_code_color (project, fixture.red, "#00ff00", &error);
    g_assert_no_error (error);
    color_at (window, 8, actual);
    expected_color (page, (const char *[]) { "#00ff00", NULL }, expected);
    assert_color_near (actual, expected);
  }

  ui_save_screenshot (GTK_WIDGET (window), "fixture.png");

  /* Selecting a document in the list shows it. */
  {
    g_autoptr(TsrDocument) second = document_at (window, 1);
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 1, TRUE);
    g_assert_true (tsr_window_get_document (window) == second);
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
    g_assert_cmpstr (text, ==, fixture_texts[1]);
    assert_highlights_match (window, fixture.doc_ids[1]);
  }

  /* The third has no coding. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-document", NULL));
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (window)), ==, "Essay 3");
  assert_highlights_match (window, fixture.doc_ids[2]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-document", NULL));
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (window)), ==, "Essay 2");

  /* Filtering by name. */
  tsr_document_list_set_filter_text (list, "essay 3");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  tsr_document_list_set_filter_text (list, "nothing like this");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  /* The document being read stays in the reader. */
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (window)), ==, "Essay 2");

  /* Searching finds documents by their text too, once the search in
   * the background is back; the word being typed is a prefix. */
  tsr_document_list_set_filter_text (list, "CLAPPED");
  wait_until (has_one_item, model);
  {
    g_autoptr(TsrDocument) found = g_list_model_get_item (model, 0);
    g_assert_cmpstr (tsr_document_get_name (found), ==, "Essay 1");
  }
  tsr_document_list_set_filter_text (list, "acknowledging patie");
  wait_until (has_one_item, model);
  {
    g_autoptr(TsrDocument) found = g_list_model_get_item (model, 0);
    g_assert_cmpstr (tsr_document_get_name (found), ==, "Essay 2");
  }
  tsr_document_list_set_filter_text (list, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Closing the window closes the project: the journal is folded back
   * and the project object goes away. */
  wal = g_strconcat (fixture.path, "-wal", NULL);
  destroy_window (window);
  g_assert_null (project);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) reopened = tsr_project_open (fixture.path, &error);

    g_assert_no_error (error);
    g_assert_true (tsr_project_check_integrity (reopened, &error));
    g_assert_no_error (error);
    tsr_project_close (reopened, &error);
    g_assert_no_error (error);
  }

  g_unlink (fixture.path);
  g_rmdir (dir);
  clear_fixture (&fixture);
}

static void
test_mark_as_read (void)
{
  g_autofree char *dir = make_temp_dir ();
  Fixture fixture = { 0 };
  TsrWindow *window;
  TsrProject *project;
  GtkToggleButton *read_button;
  AdwWindowTitle *project_title;
  gint64 id;

  make_fixture (&fixture, dir);
  window = new_window ();
  open_and_wait (window, fixture.path);
  project = tsr_window_get_project (window);
  project_title = get_child (window, "project_title");
  read_button = get_child (window, "read_button");

  id = tsr_entity_get_id (TSR_ENTITY (tsr_window_get_document (window)));
  g_assert_cmpint (id, ==, fixture.doc_ids[0]);
  g_assert_false (tsr_document_get_read (tsr_window_get_document (window)));

  /* Through the action, as the toggle button and Ctrl+M do. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.document-read", NULL));
  {
    g_autoptr(TsrDocument) stored = tsr_project_lookup_document (project, id);

    g_assert_true (tsr_document_get_read (stored));
  }
  run_for (50);
  g_assert_true (gtk_toggle_button_get_active (read_button));
  g_assert_cmpstr (adw_window_title_get_subtitle (project_title), ==, "1 of 3 read");
  g_assert_true (tsr_project_can_undo (project));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (get_child (window, "undo_button")), ==,
                   "Undo: Mark “Essay 1” as read");

  ui_save_screenshot (GTK_WIDGET (window), "fixture-read.png");

  /* Undo restores it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  {
    g_autoptr(TsrDocument) stored = tsr_project_lookup_document (project, id);

    g_assert_false (tsr_document_get_read (stored));
  }
  run_for (50);
  g_assert_false (gtk_toggle_button_get_active (read_button));
  g_assert_cmpstr (adw_window_title_get_subtitle (project_title), ==, "0 of 3 read");

  /* And redo makes it read again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  {
    g_autoptr(TsrDocument) stored = tsr_project_lookup_document (project, id);

    g_assert_true (tsr_document_get_read (stored));
  }

  /* The toggle is stateful: activating again marks it unread. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.document-read", NULL));
  {
    g_autoptr(TsrDocument) stored = tsr_project_lookup_document (project, id);

    g_assert_false (tsr_document_get_read (stored));
  }

  destroy_window (window);
  g_unlink (fixture.path);
  g_rmdir (dir);
  clear_fixture (&fixture);
}

static void
test_close_project_shows_welcome (void)
{
  g_autofree char *dir = make_temp_dir ();
  Fixture fixture = { 0 };
  TsrWindow *window;
  TsrProject *project;

  make_fixture (&fixture, dir);
  window = new_window ();
  open_and_wait (window, fixture.path);

  project = tsr_window_get_project (window);
  g_object_add_weak_pointer (G_OBJECT (project), (gpointer *) &project);

  /* Opening the same file again focuses this window, not a new one. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (fixture.path);

    g_assert_true (tsr_application_open_project (app, file, NULL) == window);
    g_assert_true (tsr_application_find_window (app, file) == window);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close-project", NULL));
  g_assert_null (project);
  g_assert_null (tsr_window_get_project (window));
  g_assert_cmpstr (visible_page (window), ==, "welcome");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Tessera");

  destroy_window (window);
  g_unlink (fixture.path);
  g_rmdir (dir);
  clear_fixture (&fixture);
}

static void
test_close_while_opening (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *wal = NULL;
  Fixture fixture = { 0 };
  TsrWindow *window;

  make_fixture (&fixture, dir);
  wal = g_strconcat (fixture.path, "-wal", NULL);

  window = new_window ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  {
    g_autoptr(GFile) file = g_file_new_for_path (fixture.path);

    tsr_window_open_file (window, file);
  }
  g_assert_true (tsr_window_get_busy (window));
  gtk_window_destroy (GTK_WINDOW (window));

  /* The open finishes in the background; the project it opened is
   * closed again and the window goes away. */
  run_for (1000);
  g_assert_null (window);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_unlink (fixture.path);
  g_rmdir (dir);
  clear_fixture (&fixture);
}

static void
test_not_a_project (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.tessera", NULL);
  const char *contents = "These are my interview notes, not a project.\n";
  g_autoptr(GBytes) after = NULL;
  TsrWindow *window;
  AdwMessageDialog *dialog;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  window = new_window ();
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    tsr_window_open_file (window, file);
  }
  wait_until (is_not_busy, window);
  wait_until (has_message_dialog, window);

  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open “notes.tessera”");
  g_assert_nonnull (adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");

  ui_save_screenshot (GTK_WIDGET (dialog), "error-not-a-project.png");

  /* Nothing opened, nothing changed, and the window still works. */
  g_assert_null (tsr_window_get_project (window));
  g_assert_null (tsr_window_get_file (window));
  g_assert_cmpstr (visible_page (window), ==, "welcome");
  g_assert_true (tsr_window_is_empty (window));
  after = read_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   contents, strlen (contents));

  close_message_dialog (dialog);
  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_newer_version_refused (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "future.tessera", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  TsrWindow *window;
  AdwMessageDialog *dialog;

  /* A project as a later Tessera would write it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) project = tsr_project_create (path, &error);
    g_autofree char *sql = NULL;
    sqlite3 *db = NULL;

    g_assert_no_error (error);
    tsr_project_close (project, &error);
    g_assert_no_error (error);

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    sql = g_strdup_printf ("PRAGMA user_version = %u", tsr_project_schema_version () + 1);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  }
  before = read_bytes (path);

  window = new_window ();
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    tsr_window_open_file (window, file);
  }
  wait_until (is_not_busy, window);
  wait_until (has_message_dialog, window);

  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Open “future.tessera”");
  g_test_message ("Newer version: %s", adw_message_dialog_get_body (dialog));
  g_assert_null (tsr_window_get_project (window));
  g_assert_cmpstr (visible_page (window), ==, "welcome");

  /* Refused without touching the file. */
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  close_message_dialog (dialog);
  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_demo (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *source = prepare_demo_source (dir);
  g_autoptr(GBytes) source_before = NULL;
  g_autoptr(GBytes) source_after = NULL;
  g_autoptr(GFile) user_copy = NULL;
  g_autoptr(GListModel) documents = NULL;
  TsrWindow *window;
  TsrProject *project;
  TsrDocumentList *list;
  GListModel *model;
  TsrReader *reader;
  GtkTextBuffer *buffer;
  guint n;
  guint n_segments_seen = 0;

  if (source == NULL)
    return;

  source_before = read_bytes (source);
  user_copy = tsr_demo_user_file ();
  g_assert_false (g_file_query_exists (user_copy, NULL));

  /* Through the welcome page's button. */
  window = new_window ();
  g_assert_true (gtk_widget_activate_action (get_child (window, "welcome_page"),
                                             "welcome.open-demo", NULL));
  wait_until (has_project, window);

  project = tsr_window_get_project (window);
  g_object_add_weak_pointer (G_OBJECT (project), (gpointer *) &project);

  /* The user's own copy was opened; the shipped file was not touched. */
  g_assert_true (g_file_query_exists (user_copy, NULL));
  {
    g_autofree char *copy_path = g_file_get_path (user_copy);

    g_assert_cmpstr (tsr_project_get_path (project), ==, copy_path);
  }

  /* 22 essays, listed by name in the project's order. */
  g_assert_cmpuint (tsr_project_get_n_documents (project), ==, 22);
  list = get_child (window, "document_list");
  model = tsr_document_list_get_model (list);
  documents = tsr_project_get_documents (project);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, 22);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDocument) shown = g_list_model_get_item (model, i);
      g_autoptr(TsrDocument) stored = g_list_model_get_item (documents, i);

      g_assert_cmpstr (tsr_document_get_name (shown), ==, tsr_document_get_name (stored));
    }

  /* The rows on screen carry the names. */
  run_for (200);
  {
    g_autoptr(TsrDocument) first = g_list_model_get_item (documents, 0);
    GtkWidget *view = GTK_WIDGET (tsr_document_list_get_list_view (list));
    gboolean found = FALSE;
    GtkWidget *child;

    for (child = gtk_widget_get_first_child (view); child; child = gtk_widget_get_next_sibling (child))
      {
        GtkWidget *box = gtk_widget_get_first_child (child);

        for (GtkWidget *w = box ? gtk_widget_get_first_child (box) : NULL; w; w = gtk_widget_get_next_sibling (w))
          if (GTK_IS_LABEL (w) &&
              g_strcmp0 (gtk_label_get_label (GTK_LABEL (w)), tsr_document_get_name (first)) == 0)
            found = TRUE;
      }
    g_assert_true (found);
  }

  ui_save_screenshot (GTK_WIDGET (window), "demo.png");

  /* Every essay: its exact text, and its coding exactly highlighted. */
  reader = get_child (window, "reader");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (reader));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (document));
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = tsr_project_get_document_text (project, id, &error);
      g_autofree char *text = NULL;
      g_autoptr(GListModel) segments = tsr_project_get_segments (project, id);
      GtkTextIter start, end;

      g_assert_no_error (error);
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, TRUE);
      g_assert_true (tsr_window_get_document (window) == document);

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_assert_cmpstr (text, ==, expected);

      assert_highlights_match (window, id);
      n_segments_seen += g_list_model_get_n_items (segments);
    }
  /* The demo is coded: the check above did check highlights. */
  g_assert_cmpuint (n_segments_seen, >, 22);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), 0, TRUE);
  run_for (100);
  ui_save_screenshot (GTK_WIDGET (window), "demo-first.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_save_screenshot (GTK_WIDGET (window), "demo-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Opening the demo again finds this window. */
  tsr_application_open_demo (app, NULL);
  g_assert_true (tsr_application_find_window (app, user_copy) == window);

  destroy_window (window);
  g_assert_null (project);

  source_after = read_bytes (source);
  g_assert_true (g_bytes_equal (source_before, source_after));

  /* Opening the demo again reuses the user's copy rather than the
   * shipped file. */
  {
    g_autoptr(GFile) again = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (tsr_demo_prepare (&again, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_equal (again, user_copy));
  }

  g_file_delete (user_copy, NULL, NULL);
  g_unlink (source);
  g_rmdir (dir);
}

static void
test_window_state (void)
{
  GSettings *settings = tsr_application_get_settings (app);
  TsrWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = tsr_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);

  /* Closing the window saves its size. */
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  run_for (50);
  g_assert_finalize_object (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static gboolean
has_toplevel_of_type (gpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }

  return FALSE;
}

static GtkWindow *
find_toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }

  return NULL;
}

static void
close_toplevel_of_type (GType type)
{
  GtkWindow *window = find_toplevel_of_type (type);

  g_assert_nonnull (window);
  g_object_ref (window);
  gtk_window_destroy (window);
  run_for (50);
  g_assert_finalize_object (window);
}

static gboolean
accel_is_registered (const char *accel)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

  return actions != NULL && actions[0] != NULL;
}

/* The shortcuts window lists only shortcuts that work, and every action
 * shortcut is listed. */
static void
test_shortcuts (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/tessera/Tessera/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  TsrWindow *window;
  guint n = 0;

  g_assert_nonnull (overlay);

  for (GtkWidget *w = overlay; w != NULL; )
    {
      if (GTK_IS_SHORTCUTS_SHORTCUT (w))
        {
          g_autofree char *accel = NULL;
          GtkShortcutType type;
          /* Keys of one widget (the code tree, the document, the find
           * bar), handled by the widget itself rather than the
           * application. */
          static const char * const local[] = {
            "Delete", "Escape", "Return", "<Shift>Return", "F2", "Menu", "Right", "Left", NULL,
          };

          g_object_get (w, "accelerator", &accel, "shortcut-type", &type, NULL);
          if (type != GTK_SHORTCUT_ACCELERATOR || g_strv_contains (local, accel))
            g_test_message ("listed %s, handled by its widget", accel ? accel : "a gesture");
          else
            {
              g_auto(GStrv) parts = g_strsplit (accel, " ", -1);

              for (guint p = 0; parts[p] != NULL; p++)
                {
                  g_auto(GStrv) range = g_strsplit (parts[p], "...", 2);
                  guint first_key = 0, last_key = 0;
                  GdkModifierType first_mods = 0, last_mods = 0;

                  gtk_accelerator_parse (range[0], &first_key, &first_mods);
                  if (range[1] != NULL)
                    gtk_accelerator_parse (range[1], &last_key, &last_mods);
                  else
                    last_key = first_key, last_mods = first_mods;
                  g_assert_cmpuint (first_key, !=, 0);
                  g_assert_cmpuint (first_mods, ==, last_mods);
                  g_assert_cmpuint (first_key, <=, last_key);

                  /* A range such as Ctrl+1…9 lists every key in it. */
                  for (guint key = first_key; key <= last_key; key++)
                    {
                      g_autofree char *one = gtk_accelerator_name (key, first_mods);

                      /* Ctrl+? belongs to GTK's own win.show-help-overlay. */
                      if (g_strcmp0 (one, "<Control>question") != 0)
                        {
                          g_test_message ("listed %s", one);
                          g_assert_true (accel_is_registered (one));
                        }
                      g_ptr_array_add (listed, g_steal_pointer (&one));
                    }
                }
            }
          n++;
        }

      /* Walk the widget tree in order. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != overlay && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = (w == NULL || w == overlay) ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_cmpuint (n, >=, 10);

  /* Every action's first accelerator is listed. */
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);
      gboolean found = FALSE;

      if (accels[0] == NULL)
        continue;

      for (guint j = 0; j < listed->len; j++)
        {
          guint key_a, key_b;
          GdkModifierType mods_a, mods_b;

          gtk_accelerator_parse (accels[0], &key_a, &mods_a);
          gtk_accelerator_parse (g_ptr_array_index (listed, j), &key_b, &mods_b);
          found |= key_a == key_b && mods_a == mods_b;
        }

      if (!found)
        g_test_message ("%s (%s) is not in the shortcuts window", actions[i], accels[0]);
      g_assert_true (found);
    }

  gtk_window_destroy (GTK_WINDOW (overlay));

  /* And the menu's Keyboard Shortcuts item opens it. */
  window = new_window ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  wait_until (has_toplevel_of_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW));
  ui_save_screenshot (GTK_WIDGET (find_toplevel_of_type (GTK_TYPE_SHORTCUTS_WINDOW)), "shortcuts.png");
  gtk_window_destroy (find_toplevel_of_type (GTK_TYPE_SHORTCUTS_WINDOW));
  destroy_window (window);
}

static void
test_preferences_and_about (void)
{
  GSettings *settings = tsr_application_get_settings (app);
  TsrWindow *window;
  GtkWindow *preferences;
  AdwEntryRow *row = NULL;

  g_settings_set_string (settings, "coder-name", "");
  window = new_window ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_until (has_toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_PREFERENCES_WINDOW));
  preferences = find_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);
  row = (AdwEntryRow *) gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                       g_type_from_name ("TsrPreferencesWindow"), "coder_row");
  g_assert_nonnull (row);

  /* Empty setting, no project: the user's real name is offered (none
   * for a system account such as root). */
  {
    g_autofree char *expected = tsr_application_dup_coder_name (app);

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, expected ? expected : "");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), !=, "root");
  }

  ui_save_screenshot (GTK_WIDGET (preferences), "preferences.png");

  gtk_editable_set_text (GTK_EDITABLE (row), "  Ada Lovelace ");
  g_signal_emit_by_name (row, "apply");
  {
    g_autofree char *stored = g_settings_get_string (settings, "coder-name");
    g_autofree char *used = tsr_application_dup_coder_name (app);

    g_assert_cmpstr (stored, ==, "Ada Lovelace");
    g_assert_cmpstr (used, ==, "Ada Lovelace");
  }

  /* Clearing it goes back to the real name. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  {
    g_autofree char *stored = g_settings_get_string (settings, "coder-name");

    g_assert_cmpstr (stored, ==, "");
  }
  /* The coding switches are the settings the window follows. */
  {
    GtkSwitch *snap = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                 g_type_from_name ("TsrPreferencesWindow"),
                                                                 "snap_switch"));
    GtkSwitch *others = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                                   g_type_from_name ("TsrPreferencesWindow"),
                                                                   "others_switch"));

    g_settings_set_boolean (settings, "snap-to-words", FALSE);
    g_settings_set_boolean (settings, "show-other-coders", TRUE);
    g_assert_false (gtk_switch_get_active (snap));
    g_assert_true (gtk_switch_get_active (others));
    gtk_switch_set_active (snap, TRUE);
    gtk_switch_set_active (others, FALSE);
    g_assert_true (g_settings_get_boolean (settings, "snap-to-words"));
    g_assert_false (g_settings_get_boolean (settings, "show-other-coders"));
    g_settings_reset (settings, "snap-to-words");
    g_settings_reset (settings, "show-other-coders");
  }

  close_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_until (has_toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (find_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW))),
                   ==, PACKAGE_VERSION);
  close_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW);

  destroy_window (window);
}

static void
test_new_project (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "Interviews.tessera", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TsrWindow *window;
  TsrWindow *second;
  AdwMessageDialog *dialog;

  window = new_window ();
  tsr_window_create_project (window, file, FALSE);

  g_assert_nonnull (tsr_window_get_project (window));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (visible_page (window), ==, "project");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (get_child (window, "content_stack")), ==, "no-documents");
  g_assert_cmpuint (tsr_project_get_n_documents (tsr_window_get_project (window)), ==, 0);
  g_assert_cmpstr (adw_window_title_get_subtitle (get_child (window, "project_title")), ==, "No documents");
  g_assert_null (tsr_window_get_document (window));
  g_assert_false (gtk_widget_get_sensitive (get_child (window, "read_button")));
  {
    TsrDocumentList *list = get_child (window, "document_list");
    GtkWidget *search = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (list), TSR_TYPE_DOCUMENT_LIST,
                                                       "search_entry");

    g_assert_false (gtk_widget_get_visible (search));
  }

  ui_save_screenshot (GTK_WIDGET (window), "new-project.png");

  /* Another project goes to a new window; this one keeps its own. */
  {
    g_autofree char *other = g_build_filename (dir, "Other.tessera", NULL);
    g_autoptr(GFile) other_file = g_file_new_for_path (other);
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) project = tsr_project_create (other, &error);

    g_assert_no_error (error);
    tsr_project_close (project, &error);
    g_assert_no_error (error);

    second = tsr_application_open_project (app, other_file, window);
    g_assert_true (second != window);
    wait_until (has_project, second);
    g_assert_true (g_file_equal (tsr_window_get_file (window), file));
    destroy_window (second);
    g_unlink (other);
  }

  /* Creating over an existing file the user did not agree to replace is
   * refused, and the file is kept. */
  destroy_window (window);
  window = new_window ();
  tsr_window_create_project (window, file, FALSE);
  wait_until (has_message_dialog, window);
  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Create “Interviews.tessera”");
  g_assert_null (tsr_window_get_project (window));
  close_message_dialog (dialog);

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Who is coding ------------------------------------------------------ */

/* A project nobody said they code in: two essays, one code. */
static char *
make_unclaimed_project (const char *dir,
                        gint64     *doc_id,
                        gint64     *code_id)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "unclaimed.tessera", NULL);

  project = tsr_project_create (path, &error);
  g_assert_no_error (error);
  *doc_id = tsr_project_add_document (project, "Essay 1", "We clapped her out of the ward.", NULL, &error);
  g_assert_no_error (error);
  *code_id = tsr_project_create_code (project, 0, "Solidarity", "#ff0000", NULL, &error);
  g_assert_no_error (error);
  tsr_project_close (project, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
has_coder_dialog (gpointer data)
{
  return has_toplevel_of_type (GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
has_no_coder_dialog (gpointer data)
{
  return !has_coder_dialog (data);
}

/* What a click on a response button does: the response, then closing. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static char *
coder_of_segment (TsrProject *project,
                  gint64      segment_id)
{
  g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (project, segment_id);
  g_autoptr(TsrCoder) coder = NULL;

  g_assert_nonnull (segment);
  coder = tsr_project_lookup_coder (project, tsr_segment_get_coder_id (segment));
  return g_strdup (tsr_coder_get_name (coder));
}

/* The first edit asks, offering the name given last; Enter in the entry
 * answers; the coding carries the name, the header shows it, the file
 * remembers it, and nothing asks again. */
static void
test_who_is_coding_first_edit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-window-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *who = NULL;
  GSettings *settings = tsr_application_get_settings (app);
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  GtkLabel *label;
  TsrWindow *window;
  TsrProject *project;
  gint64 doc, code, seg;
  GError *error = NULL;

  path = make_unclaimed_project (dir, &doc, &code);
  g_settings_set_string (settings, "coder-name", "Grace Hopper");
  window = new_window ();
  open_and_wait (window, path);
  project = tsr_window_get_project (window);
  label = get_child (window, "coder_label");

  /* Opening asks nothing; the header says nobody said yet. */
  run_for (100);
  g_assert_false (has_coder_dialog (NULL));
  g_assert_null (tsr_project_get_current_coder (project));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Your Name?");

  /* The first edit. */
  seg = tsr_project_add_segment (project, doc, code, 3, 10, &error);
  g_assert_no_error (error);
  wait_until (has_coder_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Who Is Coding?");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  entry = tsr_coder_dialog_get_entry (dialog);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Grace Hopper");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "start"));

  /* An empty name cannot start. */
  gtk_editable_set_text (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "start"));

  gtk_editable_set_text (entry, "Mina Park");
  ui_save_screenshot (GTK_WIDGET (dialog), "who-is-coding.png");
  /* Enter in the entry's text: the default response. */
  g_signal_emit_by_name (gtk_editable_get_delegate (entry), "activate");
  wait_until (has_no_coder_dialog, NULL);

  who = coder_of_segment (project, seg);
  g_assert_cmpstr (who, ==, "Mina Park");
  g_assert_true (tsr_project_get_coder_confirmed (project));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Mina Park");
  {
    g_autofree char *offered = g_settings_get_string (settings, "coder-name");
    g_assert_cmpstr (offered, ==, "Mina Park");
  }

  /* The next edit asks nothing. */
  tsr_project_add_segment (project, doc, code, 11, 14, &error);
  g_assert_no_error (error);
  run_for (100);
  g_assert_false (has_coder_dialog (NULL));

  destroy_window (window);

  /* Remembered in the file for this account. */
  {
    g_autoptr(TsrProject) reopened = tsr_project_open (path, &error);
    g_autoptr(TsrCoder) remembered = NULL;

    g_assert_no_error (error);
    remembered = tsr_project_get_remembered_coder (reopened);
    g_assert_nonnull (remembered);
    g_assert_cmpstr (tsr_coder_get_name (remembered), ==, "Mina Park");
    tsr_project_close (reopened, NULL);
  }

  g_settings_reset (settings, "coder-name");
  g_remove (path);
  g_rmdir (dir);
}

/* "Not Now": the stand-in keeps the coding, the header keeps asking, and
 * the window does not interrupt every edit; the header button asks again. */
static void
test_who_is_coding_not_now (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-window-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *who = NULL;
  AdwMessageDialog *dialog;
  TsrWindow *window;
  TsrProject *project;
  gint64 doc, code, seg;
  GError *error = NULL;

  path = make_unclaimed_project (dir, &doc, &code);
  window = new_window ();
  open_and_wait (window, path);
  project = tsr_window_get_project (window);

  seg = tsr_project_add_segment (project, doc, code, 3, 10, &error);
  g_assert_no_error (error);
  wait_until (has_coder_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  respond (dialog, "later");
  wait_until (has_no_coder_dialog, NULL);
  g_assert_false (tsr_project_get_coder_confirmed (project));
  g_assert_cmpstr (gtk_label_get_text (get_child (window, "coder_label")), ==, "Your Name?");

  tsr_project_add_segment (project, doc, code, 11, 14, &error);
  g_assert_no_error (error);
  run_for (100);
  g_assert_false (has_coder_dialog (NULL));

  /* The header button asks. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.change-coder", NULL);
  wait_until (has_coder_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Who Is Coding?");
  gtk_editable_set_text (tsr_coder_dialog_get_entry (dialog), "Mina Park");
  respond (dialog, "start");
  wait_until (has_no_coder_dialog, NULL);
  who = coder_of_segment (project, seg);
  g_assert_cmpstr (who, ==, "Mina Park");

  destroy_window (window);
  g_remove (path);
  g_rmdir (dir);
}

/* Changing the name from the header or the preferences: rename (the same
 * coder, undoable) or a new coder (the old one keeps their coding). */
static void
test_change_coder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tessera-window-XXXXXX", NULL);
  g_autofree char *who = NULL;
  Fixture fixture = { 0 };
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  TsrWindow *window;
  TsrProject *project;
  GtkWindow *preferences;
  AdwEntryRow *row;
  gint64 ada_id, seg;
  GError *error = NULL;

  make_fixture (&fixture, dir);
  window = new_window ();
  open_and_wait (window, fixture.path);
  project = tsr_window_get_project (window);
  ada_id = tsr_entity_get_id (TSR_ENTITY (tsr_project_get_current_coder (project)));

  /* From the header: the current name offered; nothing to do until it
   * changes. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.change-coder", NULL);
  wait_until (has_coder_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Change Coder");
  entry = tsr_coder_dialog_get_entry (dialog);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Ada");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "switch"));
  /* Another coder's name: code as them, not take it. */
  gtk_editable_set_text (entry, "Bea");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "switch"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "switch"), ==, "Code as “Bea”");

  gtk_editable_set_text (entry, "Ada Lovelace");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  ui_save_screenshot (GTK_WIDGET (dialog), "change-coder.png");
  respond (dialog, "rename");
  wait_until (has_no_coder_dialog, NULL);
  g_assert_cmpstr (tsr_coder_get_name (tsr_project_get_current_coder (project)), ==, "Ada Lovelace");
  g_assert_cmpint (tsr_entity_get_id (TSR_ENTITY (tsr_project_get_current_coder (project))), ==, ada_id);
  g_assert_cmpstr (gtk_label_get_text (get_child (window, "coder_label")), ==, "Ada Lovelace");

  /* The window's undo takes the rename back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpstr (tsr_coder_get_name (tsr_project_get_current_coder (project)), ==, "Ada");
  g_assert_cmpstr (gtk_label_get_text (get_child (window, "coder_label")), ==, "Ada");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_cmpstr (gtk_label_get_text (get_child (window, "coder_label")), ==, "Ada Lovelace");

  /* From the preferences: a new coder. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_until (has_toplevel_of_type, GSIZE_TO_POINTER (ADW_TYPE_PREFERENCES_WINDOW));
  preferences = find_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);
  row = (AdwEntryRow *) gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                       g_type_from_name ("TsrPreferencesWindow"), "coder_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Ada Lovelace");
  gtk_editable_set_text (GTK_EDITABLE (row), "Sam Okafor");
  g_signal_emit_by_name (row, "apply");
  wait_until (has_coder_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (gtk_editable_get_text (tsr_coder_dialog_get_entry (dialog)), ==, "Sam Okafor");
  respond (dialog, "switch");
  wait_until (has_no_coder_dialog, NULL);
  g_assert_cmpstr (tsr_coder_get_name (tsr_project_get_current_coder (project)), ==, "Sam Okafor");
  g_assert_cmpint (tsr_entity_get_id (TSR_ENTITY (tsr_project_get_current_coder (project))), !=, ada_id);

  /* Ada's coding stays hers; Sam's is his. */
  seg = tsr_project_add_segment (project, fixture.doc_ids[2], fixture.red, 0, 5, &error);
  g_assert_no_error (error);
  who = coder_of_segment (project, seg);
  g_assert_cmpstr (who, ==, "Sam Okafor");
  {
    g_autoptr(GListModel) segments = tsr_project_get_segments (project, fixture.doc_ids[0]);
    g_autoptr(TsrSegment) first = g_list_model_get_item (segments, 0);

    g_assert_cmpint (tsr_segment_get_coder_id (first), ==, ada_id);
  }

  close_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);
  destroy_window (window);
  g_settings_reset (tsr_application_get_settings (app), "coder-name");
  g_unlink (fixture.path);
  g_rmdir (dir);
  clear_fixture (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  int ret;

  /* G_TEST_OPTION_ISOLATE_DIRS would also hide the system's MIME database,
   * without which GdkPixbuf cannot load SVG icons: isolate only the
   * user's own folders, where the demo copy goes. */
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

  g_test_add_func ("/tessera/app/recent-list", test_recent_list_push);
  g_test_add_func ("/tessera/window/welcome", test_welcome_page);
  g_test_add_func ("/tessera/window/fixture", test_fixture_window);
  g_test_add_func ("/tessera/window/mark-as-read", test_mark_as_read);
  g_test_add_func ("/tessera/window/close-project", test_close_project_shows_welcome);
  g_test_add_func ("/tessera/window/close-while-opening", test_close_while_opening);
  g_test_add_func ("/tessera/window/not-a-project", test_not_a_project);
  g_test_add_func ("/tessera/window/newer-version", test_newer_version_refused);
  g_test_add_func ("/tessera/window/demo", test_demo);
  g_test_add_func ("/tessera/window/state", test_window_state);
  g_test_add_func ("/tessera/window/new-project", test_new_project);
  g_test_add_func ("/tessera/app/shortcuts", test_shortcuts);
  g_test_add_func ("/tessera/app/preferences-and-about", test_preferences_and_about);
  g_test_add_func ("/tessera/window/who-is-coding", test_who_is_coding_first_edit);
  g_test_add_func ("/tessera/window/who-is-coding-not-now", test_who_is_coding_not_now);
  g_test_add_func ("/tessera/window/change-coder", test_change_coder);

  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);

  {
    g_autofree char *demo_dir = g_build_filename (data_home, "tessera", NULL);

    g_rmdir (demo_dir);
    g_rmdir (data_home);
    g_rmdir (config_home);
    g_rmdir (home);
  }

  return ret;
}
