/* test-theme-map.c — the theme map, the review view and the phases, in a window
 *
 * Runs under Xvfb.  Drops go through the map's real GtkDropTarget (its
 * "drop" signal with a GValue), drags through its GtkGestureDrag signals,
 * keys through its key controller, and every edit is undone through
 * win.undo.  With $TESSERA_SCREENSHOT_DIR set, pictures of the views are
 * saved there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <string.h>

#include "tessera.h"
#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-phases-button.h"
#include "tsr-review-view.h"
#include "tsr-theme-card.h"
#include "tsr-theme-map.h"
#include "tsr-themes-view.h"
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
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static void
remove_project (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_unlink (name);
    }
}

static gboolean
themes_counted (gpointer data)
{
  return tsr_themes_view_get_counts (data) != NULL;
}

/* A project: four documents, codes Hope, Fear, Joy, Grief coded by Ann;
 * themes Outlook (Hope) and Shadows (Fear), no saved positions. */
typedef struct
{
  char      *dir;
  char      *path;
  TsrWindow *window;
  TsrProject *project;
  gpointer   project_alive;
  TsrThemesView *view;
  TsrThemeMap *map;
  gint64     hope, fear, joy, grief;
  gint64     outlook, shadows;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(TsrCoder) ann = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 d[4];

  f->dir = g_dir_make_tmp ("tsr-theme-map-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "map.tessera", NULL);
  p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  ann = tsr_project_ensure_coder (p, "Ann", NULL);
  tsr_project_set_current_coder (p, tsr_entity_get_id (TSR_ENTITY (ann)), NULL);
  d[0] = tsr_project_add_document (p, "D1", "We felt hope and fear together.", "", NULL);
  d[1] = tsr_project_add_document (p, "D2", "Hope, fear and joy, all at once.", "", NULL);
  d[2] = tsr_project_add_document (p, "D3", "A child's joy.", "", NULL);
  d[3] = tsr_project_add_document (p, "D4", "Only grief.", "", NULL);
  f->hope = tsr_project_create_code (p, 0, "Hope", "#3584e4", "", NULL);
  f->fear = tsr_project_create_code (p, 0, "Fear", "#e01b24", "", NULL);
  f->joy = tsr_project_create_code (p, 0, "Joy", "#f6d32d", "", NULL);
  f->grief = tsr_project_create_code (p, 0, "Grief", "#77767b", "", NULL);
  tsr_project_add_segment (p, d[0], f->hope, 8, 12, NULL);
  tsr_project_add_segment (p, d[0], f->fear, 17, 21, NULL);
  tsr_project_add_segment (p, d[1], f->hope, 0, 4, NULL);
  tsr_project_add_segment (p, d[1], f->fear, 6, 10, NULL);
  tsr_project_add_segment (p, d[1], f->joy, 15, 18, NULL);
  tsr_project_add_segment (p, d[2], f->joy, 10, 13, NULL);
  tsr_project_add_segment (p, d[3], f->grief, 5, 10, NULL);
  f->outlook = tsr_project_create_theme (p, 0, "Outlook", NULL);
  f->shadows = tsr_project_create_theme (p, 0, "Shadows", NULL);
  tsr_project_add_code_to_theme (p, f->outlook, f->hope, NULL);
  tsr_project_add_code_to_theme (p, f->shadows, f->fear, NULL);
  g_assert_true (tsr_project_close (p, NULL));

  f->window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 780);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (is_mapped, f->window);
  file = g_file_new_for_path (f->path);
  tsr_window_open_file (f->window, file);
  wait_until (has_project, f->window);
  f->project = tsr_window_get_project (f->window);
  f->project_alive = f->project;
  g_object_add_weak_pointer (G_OBJECT (f->project), &f->project_alive);

  tsr_window_show_view (f->window, "themes");
  f->view = get_child (f->window, "themes_view");
  f->map = tsr_themes_view_get_map (f->view);
  wait_until (is_mapped, f->map);
  wait_until (themes_counted, f->view);
  run_for (100);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  run_for (50);
  g_assert_finalize_object (f->window);
  /* Counting in worker threads holds the project until it is done. */
  wait_until (is_null, &f->project_alive);
  remove_project (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
    }
  g_assert_not_reached ();
  return NULL;
}

static gboolean
drop_text (Fixture    *f,
           const char *text,
           double      x,
           double      y)
{
  GtkEventController *target = find_controller (GTK_WIDGET (f->map), GTK_TYPE_DROP_TARGET);
  GValue value = G_VALUE_INIT;
  gboolean ok = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  g_signal_emit_by_name (target, "drop", &value, x, y, &ok);
  g_value_unset (&value);
  return ok;
}

/* As the code tree drops: the code object itself. */
static gboolean
drop_code_object (Fixture *f,
                  gint64   code_id,
                  double   x,
                  double   y)
{
  GtkEventController *target = find_controller (GTK_WIDGET (f->map), GTK_TYPE_DROP_TARGET);
  g_autoptr(TsrCode) code = tsr_project_lookup_code (f->project, code_id);
  GValue value = G_VALUE_INIT;
  gboolean ok = FALSE;

  g_value_init (&value, TSR_TYPE_CODE);
  g_value_set_object (&value, code);
  g_signal_emit_by_name (target, "drop", &value, x, y, &ok);
  g_value_unset (&value);
  return ok;
}

static char *
code_drag_text (Fixture *f,
                gint64   code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (f->project, code_id);

  return g_strconcat ("tessera-code:", tsr_entity_get_uuid (TSR_ENTITY (code)), NULL);
}

static void
world_to_widget (Fixture *f,
                 double   wx,
                 double   wy,
                 double  *x,
                 double  *y)
{
  tsr_theme_map_world_to_widget (f->map, wx, wy, x, y);
}

static const TsrMapThemeBox *
box_of (Fixture *f,
        gint64   theme_id)
{
  const TsrMapThemeBox *box = tsr_map_layout_find_theme (tsr_theme_map_get_layout (f->map), theme_id);

  g_assert_nonnull (box);
  return box;
}

static gboolean
theme_has_code (Fixture *f,
                gint64   theme_id,
                gint64   code_id)
{
  g_autoptr(GArray) codes = tsr_project_get_theme_codes (f->project, theme_id);

  for (guint i = 0; i < codes->len; i++)
    if (g_array_index (codes, gint64, i) == code_id)
      return TRUE;
  return FALSE;
}

static void
undo (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  run_for (50);
}

static void
redo (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.redo", NULL));
  run_for (50);
}

/* Drags with the map's drag gesture, from and to widget coordinates. */
static void
drag (Fixture *f,
      double   x0,
      double   y0,
      double   x1,
      double   y1)
{
  GtkEventController *gesture = find_controller (GTK_WIDGET (f->map), GTK_TYPE_GESTURE_DRAG);

  g_signal_emit_by_name (gesture, "drag-begin", x0, y0);
  g_signal_emit_by_name (gesture, "drag-update", (x1 - x0) / 2, (y1 - y0) / 2);
  g_signal_emit_by_name (gesture, "drag-update", x1 - x0, y1 - y0);
  g_signal_emit_by_name (gesture, "drag-end", x1 - x0, y1 - y0);
  run_for (50);
}

static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  state)
{
  GtkEventController *keys = find_controller (GTK_WIDGET (f->map), GTK_TYPE_EVENT_CONTROLLER_KEY);
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, state, &handled);
  run_for (20);
  return handled;
}

/* Tests -------------------------------------------------------------- */

static void
test_layout_shown (Fixture       *f,
                   gconstpointer  data)
{
  const TsrMapLayout *layout = tsr_theme_map_get_layout (f->map);
  GtkListBox *bin = tsr_themes_view_get_bin (f->view);
  guint n_rows = 0;

  g_assert_nonnull (layout);
  g_assert_cmpuint (tsr_map_layout_get_n_themes (layout), ==, 2);
  g_assert_nonnull (tsr_map_layout_find_chip (layout, f->outlook, f->hope));

  /* The bin holds the codes in no theme: Joy and Grief. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (bin)); row; row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 2);

  /* The whole map is in view. */
  {
    TsrMapRect b = tsr_map_layout_get_bounds (layout);
    double x0, y0, x1, y1;

    world_to_widget (f, b.x, b.y, &x0, &y0);
    world_to_widget (f, b.x + b.width, b.y + b.height, &x1, &y1);
    g_assert_cmpfloat (x0, >=, 0);
    g_assert_cmpfloat (y0, >=, 0);
    g_assert_cmpfloat (x1, <=, gtk_widget_get_width (GTK_WIDGET (f->map)));
    g_assert_cmpfloat (y1, <=, gtk_widget_get_height (GTK_WIDGET (f->map)));
  }
}

static void
test_drop_into_theme (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *joy = code_drag_text (f, f->joy);
  const TsrMapThemeBox *box = box_of (f, f->outlook);
  double x, y;

  world_to_widget (f, box->rect.x + 20, box->rect.y + box->rect.height - 8, &x, &y);
  g_assert_true (drop_text (f, joy, x, y));
  g_assert_true (theme_has_code (f, f->outlook, f->joy));
  g_assert_nonnull (tsr_map_layout_find_chip (tsr_theme_map_get_layout (f->map), f->outlook, f->joy));

  undo (f);
  g_assert_false (theme_has_code (f, f->outlook, f->joy));
  g_assert_null (tsr_map_layout_find_chip (tsr_theme_map_get_layout (f->map), f->outlook, f->joy));
  redo (f);
  g_assert_true (theme_has_code (f, f->outlook, f->joy));

  /* From the code tree: the code object, onto Shadows. */
  box = box_of (f, f->shadows);
  world_to_widget (f, box->rect.x + 20, box->rect.y + box->rect.height - 8, &x, &y);
  g_assert_true (drop_code_object (f, f->grief, x, y));
  g_assert_true (theme_has_code (f, f->shadows, f->grief));
  undo (f);
  g_assert_false (theme_has_code (f, f->shadows, f->grief));

  /* The drop target takes both kinds. */
  {
    GtkDropTarget *target = GTK_DROP_TARGET (find_controller (GTK_WIDGET (f->map), GTK_TYPE_DROP_TARGET));
    gsize n = 0;
    const GType *types = gtk_drop_target_get_gtypes (target, &n);

    g_assert_cmpuint (n, ==, 2);
    g_assert_true (types[0] == TSR_TYPE_CODE);
    g_assert_true (types[1] == G_TYPE_STRING);
  }
}

static void
test_drop_on_empty_space (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *grief = code_drag_text (f, f->grief);
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GPtrArray) before = tsr_project_list_all_themes (f->project);
  double x, y, px, py;
  gint64 id;

  /* Below everything: a new candidate theme named after the code. */
  {
    TsrMapRect b = tsr_map_layout_get_bounds (tsr_theme_map_get_layout (f->map));
    world_to_widget (f, b.x + 40, b.y + b.height + 120, &x, &y);
  }
  g_assert_true (drop_text (f, grief, x, y));
  theme = tsr_project_find_theme (f->project, "Grief");
  g_assert_nonnull (theme);
  id = tsr_entity_get_id (TSR_ENTITY (theme));
  g_assert_cmpint (tsr_theme_get_status (theme), ==, TSR_THEME_CANDIDATE);
  g_assert_true (theme_has_code (f, id, f->grief));
  g_assert_true (tsr_project_get_map_position (f->project, TSR_MAP_ITEM_THEME, id, &px, &py));
  g_assert_false (box_of (f, id)->placed);
  g_assert_cmpfloat (box_of (f, id)->rect.x, ==, px);

  /* One step of undo takes it all back. */
  undo (f);
  g_clear_object (&theme);
  theme = tsr_project_find_theme (f->project, "Grief");
  g_assert_null (theme);
  {
    g_autoptr(GPtrArray) after = tsr_project_list_all_themes (f->project);
    g_assert_cmpuint (after->len, ==, before->len);
  }
}

static void
test_drop_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) history = tsr_project_list_history (f->project, 0);
  guint n = history->len;

  g_assert_false (drop_text (f, "just some text", 10, 10));
  g_assert_false (drop_text (f, "tessera-code:00000000-0000-0000-0000-000000000000", 10, 10));
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tsr_project_list_history (f->project, 0);
  g_assert_cmpuint (history->len, ==, n);
}

static void
test_bin_drag_source (Fixture       *f,
                      gconstpointer  data)
{
  GtkListBox *bin = tsr_themes_view_get_bin (f->view);
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (bin));
  GtkEventController *source = find_controller (row, GTK_TYPE_DRAG_SOURCE);
  g_autoptr(GdkContentProvider) content = NULL;
  GValue value = G_VALUE_INIT;
  g_autofree char *joy = code_drag_text (f, f->joy);
  g_autoptr(GError) error = NULL;

  /* The bin row offers the code as the code tree does, and as text. */
  g_signal_emit_by_name (source, "prepare", 5.0, 5.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, joy);
  g_value_unset (&value);
  g_value_init (&value, TSR_TYPE_CODE);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tsr_entity_get_id (g_value_get_object (&value)), ==, f->joy);
  g_value_unset (&value);

  /* Enter on a bin row adds the code to the selected theme. */
  {
    TsrMapHit hit = { TSR_MAP_HIT_THEME, f->shadows, 0, 0 };

    tsr_theme_map_select (f->map, &hit);
    g_signal_emit_by_name (bin, "row-activated", row);
    g_assert_true (theme_has_code (f, f->shadows, f->joy));
  }
}

static void
test_drag_chip_between_themes (Fixture       *f,
                               gconstpointer  data)
{
  const TsrMapChip *chip = tsr_map_layout_find_chip (tsr_theme_map_get_layout (f->map), f->outlook, f->hope);
  const TsrMapThemeBox *target = box_of (f, f->shadows);
  double x0, y0, x1, y1;

  g_assert_nonnull (chip);
  world_to_widget (f, chip->rect.x + 10, chip->rect.y + 10, &x0, &y0);
  world_to_widget (f, target->rect.x + 30, target->rect.y + 20, &x1, &y1);
  drag (f, x0, y0, x1, y1);

  g_assert_false (theme_has_code (f, f->outlook, f->hope));
  g_assert_true (theme_has_code (f, f->shadows, f->hope));
  undo (f);
  g_assert_true (theme_has_code (f, f->outlook, f->hope));
  g_assert_false (theme_has_code (f, f->shadows, f->hope));
}

static void
test_nest_and_move_themes (Fixture       *f,
                           gconstpointer  data)
{
  const TsrMapThemeBox *from = box_of (f, f->shadows);
  const TsrMapThemeBox *into = box_of (f, f->outlook);
  g_autoptr(TsrTheme) shadows = NULL;
  double x0, y0, x1, y1, px, py;
  double sx = from->rect.x, sy = from->rect.y;

  /* Drag Shadows by its title onto Outlook: a sub-theme. */
  world_to_widget (f, from->rect.x + 10, from->rect.y + 10, &x0, &y0);
  world_to_widget (f, into->rect.x + 20, into->rect.y + 20, &x1, &y1);
  drag (f, x0, y0, x1, y1);
  shadows = tsr_project_lookup_theme (f->project, f->shadows);
  g_assert_cmpint (tsr_theme_get_parent_id (shadows), ==, f->outlook);
  g_assert_cmpint (box_of (f, f->shadows)->parent_id, ==, f->outlook);

  /* Outlook cannot go into its own sub-theme now. */
  from = box_of (f, f->outlook);
  into = box_of (f, f->shadows);
  world_to_widget (f, from->rect.x + 10, from->rect.y + 10, &x0, &y0);
  world_to_widget (f, into->rect.x + into->rect.width - 5, into->rect.y + 20, &x1, &y1);
  g_assert_cmpint (tsr_map_layout_theme_at (tsr_theme_map_get_layout (f->map),
                                            into->rect.x + into->rect.width - 5, into->rect.y + 20, f->outlook),
                   ==, 0);
  undo (f);
  g_clear_object (&shadows);
  shadows = tsr_project_lookup_theme (f->project, f->shadows);
  g_assert_cmpint (tsr_theme_get_parent_id (shadows), ==, 0);

  /* Move Shadows on the map by 100, 60: its position is saved. */
  from = box_of (f, f->shadows);
  g_assert_cmpfloat (from->rect.x, ==, sx);
  g_assert_cmpfloat (from->rect.y, ==, sy);
  world_to_widget (f, from->rect.x + 10, from->rect.y + 10, &x0, &y0);
  drag (f, x0, y0, x0 + 100 * tsr_theme_map_get_zoom (f->map), y0 + 60 * tsr_theme_map_get_zoom (f->map));
  g_assert_true (tsr_project_get_map_position (f->project, TSR_MAP_ITEM_THEME, f->shadows, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, sx + 100, 1e-6);
  g_assert_cmpfloat_with_epsilon (py, sy + 60, 1e-6);
  g_assert_cmpfloat_with_epsilon (box_of (f, f->shadows)->rect.x, sx + 100, 1e-6);
  undo (f);
  g_assert_false (tsr_project_get_map_position (f->project, TSR_MAP_ITEM_THEME, f->shadows, &px, &py));
}

static void
test_pan_and_zoom (Fixture       *f,
                   gconstpointer  data)
{
  double ox, oy, ox2, oy2, wx, wy, wx2, wy2;
  double zoom = tsr_theme_map_get_zoom (f->map);
  g_autoptr(GPtrArray) history = tsr_project_list_history (f->project, 0);
  guint n = history->len;

  /* Dragging empty space pans, and is no edit. */
  tsr_theme_map_get_origin (f->map, &ox, &oy);
  drag (f, 5, 5, 105, 55);
  tsr_theme_map_get_origin (f->map, &ox2, &oy2);
  g_assert_cmpfloat_with_epsilon (ox2, ox - 100 / zoom, 1e-6);
  g_assert_cmpfloat_with_epsilon (oy2, oy - 50 / zoom, 1e-6);
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tsr_project_list_history (f->project, 0);
  g_assert_cmpuint (history->len, ==, n);

  /* Zooming keeps the point under the pointer. */
  tsr_theme_map_widget_to_world (f->map, 300, 200, &wx, &wy);
  tsr_theme_map_zoom_at (f->map, 2.0, 300, 200);
  g_assert_cmpfloat (tsr_theme_map_get_zoom (f->map), ==, 2.0);
  tsr_theme_map_widget_to_world (f->map, 300, 200, &wx2, &wy2);
  g_assert_cmpfloat_with_epsilon (wx, wx2, 1e-9);
  g_assert_cmpfloat_with_epsilon (wy, wy2, 1e-9);
  tsr_theme_map_zoom_at (f->map, 100, 0, 0);
  g_assert_cmpfloat (tsr_theme_map_get_zoom (f->map), ==, 4.0);

  /* The view's buttons. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "themes.zoom-reset", NULL));
  g_assert_cmpfloat (tsr_theme_map_get_zoom (f->map), ==, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "themes.zoom-in", NULL));
  g_assert_cmpfloat (tsr_theme_map_get_zoom (f->map), ==, 1.25);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "themes.zoom-fit", NULL));
  g_assert_cmpfloat (tsr_theme_map_get_zoom (f->map), <=, 1.5);
}

/* The state of a stateful widget action, which its menu items show as
 * marked; NULL for an action without state. */
static char *
dup_action_state (GtkWidget  *widget,
                  const char *action)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (widget);
  const char *name, *property;
  const GVariantType *param;
  GType owner;
  char *state = NULL;

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &param, &property); i++)
    if (g_str_equal (name, action))
      {
        if (property != NULL)
          g_object_get (widget, property, &state, NULL);
        return state;
      }

  g_assert_not_reached ();
  return NULL;
}

#define ASSERT_ACTION_STATE(widget, action, expected) G_STMT_START { \
    g_autofree char *_state = dup_action_state (GTK_WIDGET (widget), action); \
    g_assert_cmpstr (_state, ==, expected); \
  } G_STMT_END

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  TsrMapHit hit;
  double px, py;
  double x0 = box_of (f, f->outlook)->rect.x;
  GtkWidget *editor_entry = NULL;

  gtk_widget_grab_focus (GTK_WIDGET (f->map));

  /* Tab: Outlook, its chip Hope, Shadows… */
  g_assert_true (press_key (f, GDK_KEY_Tab, 0));
  hit = tsr_theme_map_get_selection (f->map);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_THEME);
  g_assert_cmpint (hit.theme_id, ==, f->outlook);
  g_assert_cmpstr (tsr_theme_map_get_selection_label (f->map), ==,
                   "Theme “Outlook”, n = 2, 1 code, 0 sub-themes, candidate");

  /* The status menu marks the selected theme's status, and follows it. */
  ASSERT_ACTION_STATE (f->map, "map.status", "candidate");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->map), "map.status", "s", "final"));
  run_for (50);
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->outlook);
    g_assert_cmpint (tsr_theme_get_status (t), ==, TSR_THEME_FINAL);
  }
  ASSERT_ACTION_STATE (f->map, "map.status", "final");
  undo (f);
  run_for (50);
  ASSERT_ACTION_STATE (f->map, "map.status", "candidate");
  g_assert_true (press_key (f, GDK_KEY_Tab, 0));
  hit = tsr_theme_map_get_selection (f->map);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_CHIP);
  g_assert_cmpint (hit.code_id, ==, f->hope);
  g_assert_cmpstr (tsr_theme_map_get_selection_label (f->map), ==, "Code “Hope” in theme “Outlook”");

  /* Shift+Tab back to Outlook; Ctrl+Right moves it by 16. */
  g_assert_true (press_key (f, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_true (press_key (f, GDK_KEY_Right, GDK_CONTROL_MASK));
  g_assert_true (tsr_project_get_map_position (f->project, TSR_MAP_ITEM_THEME, f->outlook, &px, &py));
  g_assert_cmpfloat (px, ==, x0 + 16);

  /* Right selects the nearest item to the right. */
  g_assert_true (press_key (f, GDK_KEY_Right, 0));
  hit = tsr_theme_map_get_selection (f->map);
  g_assert_cmpint (hit.kind, !=, TSR_MAP_HIT_NONE);

  /* F2 renames through the editor. */
  hit = (TsrMapHit) { TSR_MAP_HIT_THEME, f->outlook, 0, 0 };
  tsr_theme_map_select (f->map, &hit);
  g_assert_true (press_key (f, GDK_KEY_F2, 0));
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (f->map)); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_POPOVER (c) && !GTK_IS_POPOVER_MENU (c))
      {
        GtkWidget *box = gtk_popover_get_child (GTK_POPOVER (c));
        editor_entry = gtk_widget_get_last_child (box);
      }
  g_assert_true (GTK_IS_ENTRY (editor_entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_entry)), ==, "Outlook");
  gtk_editable_set_text (GTK_EDITABLE (editor_entry), "Looking ahead");
  g_signal_emit_by_name (editor_entry, "activate");
  run_for (50);
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->outlook);
    g_assert_cmpstr (tsr_theme_get_name (t), ==, "Looking ahead");
  }

  /* Delete on a chip takes the code out of its theme. */
  hit = (TsrMapHit) { TSR_MAP_HIT_CHIP, f->shadows, f->fear, 0 };
  tsr_theme_map_select (f->map, &hit);
  g_assert_true (press_key (f, GDK_KEY_Delete, 0));
  g_assert_false (theme_has_code (f, f->shadows, f->fear));
  g_assert_cmpint (tsr_theme_map_get_selection (f->map).kind, ==, TSR_MAP_HIT_NONE);
  undo (f);
  g_assert_true (theme_has_code (f, f->shadows, f->fear));
}

static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  const TsrMapThemeBox *a = box_of (f, f->outlook);
  const TsrMapThemeBox *b = box_of (f, f->shadows);
  g_autoptr(GListModel) links = tsr_project_get_map_links (f->project);
  g_autoptr(TsrMapLink) link = NULL;
  double x0, y0, x1, y1;
  TsrMapHit hit;

  /* In link mode a drag from one theme to another links them. */
  tsr_theme_map_set_link_mode (f->map, TRUE);
  world_to_widget (f, a->rect.x + 20, a->rect.y + 20, &x0, &y0);
  world_to_widget (f, b->rect.x + 20, b->rect.y + 20, &x1, &y1);
  drag (f, x0, y0, x1, y1);
  tsr_theme_map_set_link_mode (f->map, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 1);
  link = g_list_model_get_item (links, 0);
  g_assert_cmpint (tsr_map_link_get_from_theme (link), ==, f->outlook);
  g_assert_cmpint (tsr_map_link_get_to_theme (link), ==, f->shadows);
  hit = tsr_theme_map_get_selection (f->map);
  g_assert_cmpint (hit.kind, ==, TSR_MAP_HIT_LINK);

  /* Its label, then deleting it; both undo. */
  g_assert_true (tsr_project_set_map_link_label (f->project, hit.link_id, "leads to", NULL));
  run_for (20);
  g_assert_cmpstr (tsr_map_layout_find_arrow (tsr_theme_map_get_layout (f->map), hit.link_id)->label, ==, "leads to");
  tsr_theme_map_select (f->map, &hit);
  g_assert_true (press_key (f, GDK_KEY_Delete, 0));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 0);
  undo (f);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 1);
  undo (f);
  g_clear_object (&link);
  link = g_list_model_get_item (links, 0);
  g_assert_cmpstr (tsr_map_link_get_label (link), ==, "");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *png = g_build_filename (f->dir, "map.png", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "map.svg", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "map.pdf", NULL);
  g_autofree char *jpg = g_build_filename (f->dir, "map.jpg", NULL);
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  xmlDocPtr doc;

  g_assert_true (tsr_theme_map_export (f->map, png, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 400);

  g_assert_true (tsr_theme_map_export (f->map, svg, &error));
  doc = xmlReadFile (svg, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  g_assert_nonnull (doc);
  g_assert_cmpstr ((const char *) xmlDocGetRootElement (doc)->name, ==, "svg");
  xmlFreeDoc (doc);

  g_assert_true (tsr_theme_map_export (f->map, pdf, &error));
  if (pdftotext != NULL)
    {
      const char *argv[] = { pdftotext, pdf, "-", NULL };
      g_autofree char *out = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &out, NULL, NULL, &error));
      g_assert_nonnull (strstr (out, "Outlook"));
      g_assert_nonnull (strstr (out, "Shadows"));
      g_assert_nonnull (strstr (out, "Hope"));
    }

  g_assert_false (tsr_theme_map_export (f->map, jpg, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED);

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
}

static gboolean
review_has_counts (gpointer data)
{
  return tsr_review_view_get_counts (data) != NULL;
}

static void
test_review_and_card (Fixture       *f,
                      gconstpointer  data)
{
  TsrReviewView *review = get_child (f->window, "review_view");
  TsrThemeCard *card = tsr_review_view_get_card (review);
  GtkListBox *extracts = tsr_review_view_get_extracts (review);
  GtkTextView *definition;
  GtkTextIter end;
  guint n_rows = 0;

  /* Enter on a theme on the map opens its card in the review. */
  {
    TsrMapHit hit = { TSR_MAP_HIT_THEME, f->outlook, 0, 0 };

    tsr_theme_map_select (f->map, &hit);
    g_assert_true (press_key (f, GDK_KEY_Return, 0));
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_child (f->window, "view_stack")), ==, "review");
  g_assert_cmpint (tsr_review_view_get_theme (review), ==, f->outlook);
  g_assert_cmpint (tsr_theme_card_get_theme (card), ==, f->outlook);
  wait_until (review_has_counts, review);
  g_assert_cmpuint (tsr_counts_get_theme_n (tsr_review_view_get_counts (review), f->outlook), ==, 2);

  /* Hope's two extracts. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (extracts)); row; row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 2);

  /* Writing the definition saves it, as one step of undo. */
  definition = tsr_theme_card_get_field_view (card, TSR_THEME_FIELD_DEFINITION);
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (definition), &end);
  gtk_text_buffer_insert (gtk_text_view_get_buffer (definition), &end, "Looking forward.", -1);
  tsr_theme_card_save (card);
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->outlook);
    g_assert_cmpstr (tsr_theme_get_field (t, TSR_THEME_FIELD_DEFINITION), ==, "Looking forward.");
  }
  undo (f);
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->outlook);
    g_autofree char *shown = NULL;
    GtkTextIter s, e;

    g_assert_cmpstr (tsr_theme_get_field (t, TSR_THEME_FIELD_DEFINITION), ==, "");
    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (definition), &s, &e);
    shown = gtk_text_buffer_get_text (gtk_text_view_get_buffer (definition), &s, &e, FALSE);
    g_assert_cmpstr (shown, ==, "");
  }

  /* Status from the review; its menu marks the theme's status. */
  ASSERT_ACTION_STATE (review, "review.status", "candidate");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.status", "s", "reviewed"));
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->outlook);
    g_assert_cmpint (tsr_theme_get_status (t), ==, TSR_THEME_REVIEWED);
  }
  run_for (50);
  ASSERT_ACTION_STATE (review, "review.status", "reviewed");

  /* Open an extract in the document. */
  {
    g_autoptr(TsrDocument) d1 = tsr_project_find_document (f->project, "D1");
    tsr_window_show_segment (f->window, tsr_entity_get_id (TSR_ENTITY (d1)), 8, 12);
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_child (f->window, "view_stack")), ==, "code");
  g_assert_cmpstr (tsr_document_get_name (tsr_window_get_document (f->window)), ==, "D1");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (get_child (f->window, "reader")));
    GtkTextIter s, e;
    g_autofree char *selected = NULL;

    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &s, &e));
    selected = gtk_text_iter_get_text (&s, &e);
    g_assert_cmpstr (selected, ==, "hope");
  }
}


static AdwMessageDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (w) == parent)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
close_dialog (AdwMessageDialog *dialog)
{
  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_for (50);
  g_assert_finalize_object (dialog);
}

static void
test_review_split_merge (Fixture       *f,
                         gconstpointer  data)
{
  TsrReviewView *review = get_child (f->window, "review_view");
  AdwMessageDialog *dialog;
  GtkWidget *box, *entry;
  g_autoptr(TsrTheme) split = NULL;

  tsr_project_add_code_to_theme (f->project, f->outlook, f->joy, NULL);
  tsr_window_show_theme (f->window, f->outlook);

  /* Split Joy out of Outlook through the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.split", NULL));
  dialog = find_dialog (GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  box = adw_message_dialog_get_extra_child (dialog);
  entry = gtk_widget_get_first_child (box);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Bright side");
  for (GtkWidget *c = gtk_widget_get_next_sibling (entry); c; c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (c)), "Joy") == 0)
      gtk_check_button_set_active (GTK_CHECK_BUTTON (c), TRUE);
  adw_message_dialog_response (dialog, "split");
  close_dialog (dialog);

  split = tsr_project_find_theme (f->project, "Bright side");
  g_assert_nonnull (split);
  g_assert_true (theme_has_code (f, tsr_entity_get_id (TSR_ENTITY (split)), f->joy));
  g_assert_false (theme_has_code (f, f->outlook, f->joy));
  g_assert_true (theme_has_code (f, f->outlook, f->hope));
  g_assert_cmpint (tsr_review_view_get_theme (review), ==, tsr_entity_get_id (TSR_ENTITY (split)));
  undo (f);
  g_clear_object (&split);
  split = tsr_project_find_theme (f->project, "Bright side");
  g_assert_null (split);
  g_assert_true (theme_has_code (f, f->outlook, f->joy));

  /* Merge Shadows into Outlook, the one other theme offered. */
  tsr_review_view_select_theme (review, f->shadows);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.merge", NULL));
  dialog = find_dialog (GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  {
    GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
    GtkStringObject *item;

    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 1);
    item = gtk_drop_down_get_selected_item (dropdown);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Outlook");
  }
  adw_message_dialog_response (dialog, "merge");
  close_dialog (dialog);
  g_assert_null (tsr_project_lookup_theme (f->project, f->shadows));
  g_assert_true (theme_has_code (f, f->outlook, f->fear));
  undo (f);
  {
    g_autoptr(TsrTheme) back = tsr_project_lookup_theme (f->project, f->shadows);
    g_assert_nonnull (back);
  }

  /* After the merge the review shows Outlook; discard Shadows. */
  g_assert_cmpint (tsr_review_view_get_theme (review), ==, f->outlook);
  tsr_review_view_select_theme (review, f->shadows);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (review), "review.status", "s", "discarded"));
  {
    g_autoptr(TsrTheme) t = tsr_project_lookup_theme (f->project, f->shadows);
    g_assert_cmpint (tsr_theme_get_status (t), ==, TSR_THEME_DISCARDED);
  }
}

static void
test_phases_button (Fixture       *f,
                    gconstpointer  data)
{
  TsrPhasesButton *button = get_child (f->window, "phases_button");

  /* Nothing read yet: the first phase. */
  tsr_phases_button_refresh (button);
  g_assert_cmpstr (tsr_phases_button_get_summary (button), ==, "1 · Familiarising");

  /* A row leads into its view. */
  gtk_popover_popup (tsr_phases_button_get_popover (button));
  run_for (50);
  {
    GtkWidget *content = gtk_popover_get_child (tsr_phases_button_get_popover (button));
    GtkWidget *row = gtk_widget_get_next_sibling (gtk_widget_get_first_child (content));

    /* Rows: title, then phases 1… — the fourth is Reviewing. */
    for (guint i = 0; i < 3; i++)
      row = gtk_widget_get_next_sibling (row);
    g_signal_emit_by_name (row, "clicked");
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_child (f->window, "view_stack")), ==, "review");
}

/* The first label under @widget (with @text, if given). */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && (text == NULL || g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "●") != 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The demo, as a person would see it. */
static void
test_demo_map (void)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_autofree char *dir = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GFile) file = NULL;
  TsrWindow *window;
  TsrThemesView *view;
  TsrThemeMap *map;
  const TsrMapLayout *layout;
  gint64 solidarity;

  if (demo == NULL || !g_file_test (demo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("TESSERA_DEMO does not name the built demo project");
      return;
    }
  dir = g_dir_make_tmp ("tsr-demo-map-XXXXXX", NULL);
  copy = g_build_filename (dir, "demo.tessera", NULL);
  {
    g_autoptr(GFile) from = g_file_new_for_path (demo);
    g_autoptr(GFile) to = g_file_new_for_path (copy);
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
  }

  window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  file = g_file_new_for_path (copy);
  tsr_window_open_file (window, file);
  wait_until (has_project, window);

  tsr_window_show_view (window, "themes");
  view = get_child (window, "themes_view");
  map = tsr_themes_view_get_map (view);
  wait_until (themes_counted, view);
  run_for (100);

  /* The consensus counts: the reference study's n on the badges. */
  layout = tsr_theme_map_get_layout (map);
  {
    g_autoptr(TsrTheme) t = tsr_project_find_theme (tsr_window_get_project (window), "Conveying solidarity");
    solidarity = tsr_entity_get_id (TSR_ENTITY (t));
  }
  g_assert_cmpstr (tsr_map_layout_find_theme (layout, solidarity)->badge_text, ==, "n = 21");
  save_screenshot (GTK_WIDGET (window), "themes-view.png");

  /* The bin keeps the code tree's shape: the five sub-codes of Tensions
   * and logistics sit indented under it, not level with it. */
  {
    GtkListBox *bin = tsr_themes_view_get_bin (view);
    GtkWidget *parent_row = GTK_WIDGET (gtk_list_box_get_row_at_index (bin, 0));
    graphene_rect_t parent_name, child_name;
    guint n_children = 0;

    g_assert_true (gtk_widget_compute_bounds (find_label (parent_row, "Tensions and logistics"), GTK_WIDGET (bin),
                                              &parent_name));
    for (int i = 1; gtk_list_box_get_row_at_index (bin, i) != NULL; i++)
      {
        GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (bin, i));
        GtkWidget *label = find_label (row, NULL);

        g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (bin), &child_name));
        g_assert_cmpfloat (child_name.origin.x, >=, parent_name.origin.x + 12);
        n_children++;
      }
    g_assert_cmpuint (n_children, ==, 5);
  }

  /* The map opens readable: chips' 11 px text at 100 % (not fitted down
   * to 7 px), with the first theme at the top-left corner of the view,
   * not below a band of empty canvas. */
  {
    TsrMapRect b = tsr_map_layout_get_bounds (layout);
    double x, y;

    g_assert_cmpfloat (tsr_theme_map_get_zoom (map), >=, 1.0);
    tsr_theme_map_world_to_widget (map, b.x, b.y, &x, &y);
    g_assert_cmpfloat (y, >=, 0);
    g_assert_cmpfloat (y, <=, 40);
    g_assert_cmpfloat (x, >=, 0);
    g_assert_cmpfloat (x, <=, 40);

    /* Fitting shows it all, still from the top. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "themes.zoom-fit", NULL));
    tsr_theme_map_world_to_widget (map, b.x, b.y, &x, &y);
    g_assert_cmpfloat (y, <=, 40);
    tsr_theme_map_world_to_widget (map, b.x + b.width, b.y + b.height, &x, &y);
    g_assert_cmpfloat (x, <=, gtk_widget_get_width (GTK_WIDGET (map)));
    g_assert_cmpfloat (y, <=, gtk_widget_get_height (GTK_WIDGET (map)));
    save_screenshot (GTK_WIDGET (window), "themes-view-fit.png");
  }

  /* The exports, to look at. */
  if (g_getenv ("TESSERA_SCREENSHOT_DIR") != NULL)
    {
      const char *formats[] = { "png", "svg", "pdf" };

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_autofree char *name = g_strdup_printf ("demo-map.%s", formats[i]);
          g_autofree char *path = g_build_filename (g_getenv ("TESSERA_SCREENSHOT_DIR"), name, NULL);
          g_autoptr(GError) error = NULL;

          g_assert_true (tsr_theme_map_export (map, path, &error));
          g_assert_no_error (error);
        }
    }

  /* A chip selected, its companions listed beside the map. */
  {
    const TsrMapChip *chip = tsr_map_layout_get_chip (layout, 0);
    TsrMapHit hit = { TSR_MAP_HIT_CHIP, chip->theme_id, chip->code_id, 0 };

    tsr_theme_map_select (map, &hit);
    save_screenshot (GTK_WIDGET (window), "themes-view-chip.png");
  }

  {
    TsrMapHit hit = { TSR_MAP_HIT_THEME, solidarity, 0, 0 };
    tsr_theme_map_select (map, &hit);
  }
  tsr_window_show_theme (window, solidarity);
  run_for (300);
  save_screenshot (GTK_WIDGET (window), "review-view.png");

  /* Review shows a long theme name whole, in the table and above its
   * extracts. */
  {
    TsrReviewView *review = get_child (window, "review_view");
    g_autoptr(TsrTheme) t = tsr_project_find_theme (tsr_window_get_project (window),
                                                     "Opportunity to acknowledge patients");
    GtkListBox *table = tsr_review_view_get_table (review);
    guint n_labels = 0;

    tsr_window_show_theme (window, tsr_entity_get_id (TSR_ENTITY (t)));
    run_for (300);
    save_screenshot (GTK_WIDGET (window), "review-view-long-name.png");
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (table)); row; row = gtk_widget_get_next_sibling (row))
      {
        GtkWidget *name = find_label (row, "Opportunity to acknowledge patients");

        if (name == NULL)
          continue;
        n_labels++;
        g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (name))));
        g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (name)), ==, PANGO_ELLIPSIZE_NONE);
      }
    g_assert_cmpuint (n_labels, ==, 1);

    {
      GtkWidget *title = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (review), TSR_TYPE_REVIEW_VIEW, "theme_title"));

      g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (title)), "Opportunity to acknowledge patients"));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
      g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (title)), ==, PANGO_ELLIPSIZE_NONE);
    }
  }

  {
    TsrPhasesButton *button = get_child (window, "phases_button");

    /* Every essay read and coded; some codes are still to sort. */
    g_assert_cmpstr (tsr_phases_button_get_summary (button), ==, "3 · Searching for themes");
    gtk_popover_popup (tsr_phases_button_get_popover (button));
    save_screenshot (GTK_WIDGET (tsr_phases_button_get_popover (button)), "phases.png");
    gtk_popover_popdown (tsr_phases_button_get_popover (button));
  }

  {
    gpointer alive = tsr_window_get_project (window);

    g_object_add_weak_pointer (alive, &alive);
    g_object_ref (window);
    gtk_window_destroy (GTK_WINDOW (window));
    run_for (50);
    g_assert_finalize_object (window);
    wait_until (is_null, &alive);
  }
  remove_project (copy);
  g_rmdir (dir);
}

/* A newcomer's first code counts on the map at once (n = 1), as in the
 * code tree: a consensus coder that holds no coding yet (made when the
 * Agreement view was opened) must not make the map count the consensus. */
typedef struct
{
  TsrThemesView *view;
  gint64         theme;
} ThemeN;

static gboolean
theme_n_is_one (gpointer data)
{
  ThemeN *t = data;
  TsrCounts *counts = tsr_themes_view_get_counts (t->view);

  return counts != NULL && tsr_counts_get_theme_n (counts, t->theme) == 1;
}

static void
test_newcomer_counts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsr-newcomer-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pilot.tessera", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  TsrWindow *window;
  TsrProject *project;
  TsrCodeTree *tree;
  ThemeN t = { 0 };
  gint64 doc, code;

  {
    g_autoptr(TsrProject) p = tsr_project_create (path, &error);
    g_autoptr(TsrCoder) consensus = NULL;
    g_autoptr(TsrCoder) ana = NULL;

    g_assert_no_error (error);
    doc = tsr_project_add_document (p, "Interview 1", "I felt seen when the ward came to say goodbye.", "", &error);
    tsr_project_add_document (p, "Interview 2", "Nothing much happened.", "", &error);
    code = tsr_project_create_code (p, 0, "Felt seen", "#3584e4", "", &error);
    t.theme = tsr_project_create_theme (p, 0, "Being seen", &error);
    tsr_project_add_code_to_theme (p, t.theme, code, &error);
    g_assert_no_error (error);
    consensus = tsr_project_get_consensus_coder (p, &error);
    ana = tsr_project_confirm_coder (p, "Ana Ruiz", &error);
    g_assert_no_error (error);
    g_assert_true (tsr_project_close (p, NULL));
  }

  window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 780);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  file = g_file_new_for_path (path);
  tsr_window_open_file (window, file);
  wait_until (has_project, window);
  project = tsr_window_get_project (window);

  tsr_window_show_view (window, "themes");
  t.view = get_child (window, "themes_view");
  wait_until (themes_counted, t.view);
  g_assert_cmpuint (tsr_counts_get_theme_n (tsr_themes_view_get_counts (t.view), t.theme), ==, 0);

  /* Her first passage. */
  tsr_project_add_segment (project, doc, code, 2, 11, &error);
  g_assert_no_error (error);
  wait_until (theme_n_is_one, &t);
  run_for (100);
  g_assert_cmpstr (tsr_map_layout_find_theme (tsr_theme_map_get_layout (tsr_themes_view_get_map (t.view)),
                                              t.theme)->badge_text, ==, "n = 1");

  /* The code tree counts the same coding. */
  tsr_window_show_view (window, "code");
  tree = get_child (window, "code_tree");
  wait_until (is_mapped, tree);
  run_for (300);
  g_assert_nonnull (tsr_code_tree_get_counts (tree));
  g_assert_cmpuint (tsr_counts_get_code_n (tsr_code_tree_get_counts (tree), code), ==, 1);

  {
    gpointer alive = project;

    g_object_add_weak_pointer (alive, &alive);
    g_object_ref (window);
    gtk_window_destroy (GTK_WINDOW (window));
    run_for (50);
    g_assert_finalize_object (window);
    wait_until (is_null, &alive);
  }
  remove_project (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("tessera-test-home-XXXXXX", NULL);
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (on_log_fatal_cb, NULL);

  app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

#define ADD(path, func) \
  g_test_add ("/tessera/theme-map/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("layout-shown", test_layout_shown);
  ADD ("drop-into-theme", test_drop_into_theme);
  ADD ("drop-on-empty-space", test_drop_on_empty_space);
  ADD ("drop-refused", test_drop_refused);
  ADD ("bin-drag-source", test_bin_drag_source);
  ADD ("drag-chip-between-themes", test_drag_chip_between_themes);
  ADD ("nest-and-move-themes", test_nest_and_move_themes);
  ADD ("pan-and-zoom", test_pan_and_zoom);
  ADD ("keyboard", test_keyboard);
  ADD ("links", test_links);
  ADD ("export", test_export);
  ADD ("review-and-card", test_review_and_card);
  ADD ("review-split-merge", test_review_split_merge);
  ADD ("phases-button", test_phases_button);
  g_test_add_func ("/tessera/theme-map/demo", test_demo_map);
  g_test_add_func ("/tessera/theme-map/newcomer-counts", test_newcomer_counts);

  return g_test_run ();
}
