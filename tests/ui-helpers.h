/* ui-helpers.h — running the main loop and finding widgets in the widget
 * tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
