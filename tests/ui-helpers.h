/* ui-helpers.h — running the main loop and finding widgets in the widget
 * tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "tsr-window.h"

static gboolean
ui_on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; fails after 30 s (a busy
 * machine running the sanitizers is slow). */
G_GNUC_UNUSED static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, ui_on_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

/* Runs the main loop for @ms milliseconds, letting frames be drawn. */
G_GNUC_UNUSED static void
run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, ui_on_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

G_GNUC_UNUSED static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Whether a window has finished opening its project. */
G_GNUC_UNUSED static gboolean
has_project (gpointer data)
{
  return tsr_window_get_project (data) != NULL && !tsr_window_get_busy (data);
}

/* A child of the window's template, by its id. */
G_GNUC_UNUSED static gpointer
get_child (TsrWindow  *window,
           const char *name)
{
  gpointer child = gtk_widget_get_template_child (GTK_WIDGET (window), TSR_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

/* Saves a picture of @widget as @name in $TESSERA_SCREENSHOT_DIR, when
 * that is set: what a person would see, to look at. */
G_GNUC_UNUSED static void
ui_save_screenshot (GtkWidget  *widget,
                    const char *name)
{
  const char *dir = g_getenv ("TESSERA_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL || dir[0] == '\0')
    return;

  /* Let list views fill, fonts settle and page transitions end. */
  run_for (600);

  g_mkdir_with_parents (dir, 0755);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                        &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* g_test_init() makes warnings fatal; this one is the machine's, not
 * Tessera's. */
G_GNUC_UNUSED static gboolean
on_log_fatal_cb (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  /* Without a session bus (plain xvfb-run) GTK says so; not our concern. */
  if (g_strcmp0 (log_domain, "Gtk") == 0 &&
      strstr (message, "Unable to acquire session bus") != NULL)
    return FALSE;

  return TRUE;
}
