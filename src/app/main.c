/* main.c — the tessera executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-window.h"

/* Benchmark mode ------------------------------------------------------
 *
 * With TESSERA_BENCHMARK=1 in the environment, tessera prints on its
 * standard output when the first frame of a window showing a project is
 * painted, and when the code tree's first counts are painted, measured
 * from the start of the process (its start time in /proc/self/stat):
 *
 *   tessera-benchmark first-frame since-start=812.4 cpu=640.2 monotonic=…
 *
 * cpu is the main thread's CPU time so far, monotonic the time on
 * CLOCK_MONOTONIC (g_get_monotonic_time ()) so that the program that
 * started tessera can measure from its own clock too.  For
 * tools/tsr-ui-benchmark; nothing else changes. */

typedef struct
{
  TsrWindow *window;
  gboolean   first_frame;
  gboolean   counts_updated;
  gboolean   counts_painted;
} BenchWindow;

/* Milliseconds since the process started, from its start time in clock
 * ticks since boot (a resolution of 10 ms), or -1. */
static double
ms_since_process_start (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  struct timespec now;
  guint64 start_ticks = 0;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (p = strrchr (stat, ')')) == NULL)
    return -1;

  /* After the command's name: the state (field 3) … starttime (field 22). */
  p++;
  for (guint field = 3; field <= 22 && p != NULL; field++)
    {
      while (*p == ' ')
        p++;
      if (field == 22)
        start_ticks = g_ascii_strtoull (p, NULL, 10);
      p = strchr (p, ' ');
    }

  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec / 1e9) * 1000.0 - start_ticks * 1000.0 / sysconf (_SC_CLK_TCK);
}

static void
bench_print (const char *event)
{
  struct timespec cpu;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu);
  printf ("tessera-benchmark %s since-start=%.1f cpu=%.1f monotonic=%" G_GINT64_FORMAT "\n",
          event, ms_since_process_start (), cpu.tv_sec * 1000.0 + cpu.tv_nsec / 1e6,
          g_get_monotonic_time ());
  fflush (stdout);
}

static void
on_bench_after_paint_cb (GdkFrameClock *clock,
                         BenchWindow   *bench)
{
  if (tsr_window_get_project (bench->window) == NULL)
    return;

  if (!bench->first_frame)
    {
      bench->first_frame = TRUE;
      bench_print ("first-frame");
    }
  if (bench->counts_updated && !bench->counts_painted)
    {
      bench->counts_painted = TRUE;
      bench_print ("counts-painted");
    }
}

static void
on_bench_counts_updated_cb (TsrCodeTree *tree,
                            BenchWindow *bench)
{
  if (tsr_code_tree_get_counts (tree) != NULL)
    bench->counts_updated = TRUE;
}

static void
on_bench_window_realize_cb (GtkWidget   *widget,
                            BenchWindow *bench)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_bench_after_paint_cb), bench);
}

static void
on_bench_window_added_cb (GtkApplication *app,
                          GtkWindow      *window,
                          gpointer        user_data)
{
  BenchWindow *bench;

  if (!TSR_IS_WINDOW (window))
    return;

  bench = g_new0 (BenchWindow, 1);
  bench->window = TSR_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "tsr-benchmark", bench, g_free);
  g_signal_connect (gtk_widget_get_template_child (GTK_WIDGET (window), TSR_TYPE_WINDOW, "code_tree"),
                    "counts-updated", G_CALLBACK (on_bench_counts_updated_cb), bench);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    on_bench_window_realize_cb (GTK_WIDGET (window), bench);
  else
    g_signal_connect (window, "realize", G_CALLBACK (on_bench_window_realize_cb), bench);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TsrApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Tessera"));

  app = tsr_application_new ();

  if (g_strcmp0 (g_getenv ("TESSERA_BENCHMARK"), "1") == 0)
    g_signal_connect (app, "window-added", G_CALLBACK (on_bench_window_added_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
