/* tsr-map-benchmark.c — frame times of the theme map, latency of the theme table
 *
 *   tsr-map-benchmark frames [--themes 50] [--codes 500] [--frames 240]
 *     Builds a project with that many themes and codes (codes spread over
 *     the themes), shows the map in a window and pans, then zooms, one
 *     step a frame, timing every frame with the frame clock: the interval
 *     between frames and the paint phase (snapshot and render).  Run it
 *     under Xvfb; GSK_RENDERER picks the renderer as usual.
 *
 *   tsr-map-benchmark table PROJECT
 *     Opens a project (such as one tsr-benchmark --keep made at 10,000
 *     documents and 1,000,000 segments) and times how long after an edit
 *     to a theme the theme table shows the new n and %: the core's count
 *     and table read, the same off the main thread, and the review view's
 *     table in a window: after a theme edit (tallied at once) and after a
 *     passage is coded (counted again in a worker thread).
 *
 * Figures are printed as `name: value unit`.  Timings depend on the
 * machine; this is a program, not a test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "tessera.h"
#include "tsr-review-view.h"
#include "tsr-session.h"
#include "tsr-theme-map.h"

#define N_TABLE_RUNS 9

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-map-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Prints the median, 95th percentile and maximum of @values (sorted). */
static void
report_spread (const char *name,
               GArray     *values)
{
  double *v = (double *) values->data;
  guint n = values->len;

  if (n == 0)
    {
      g_print ("%s: no samples\n", name);
      return;
    }
  g_array_sort (values, compare_doubles);
  g_print ("%s: median %.2f ms, p95 %.2f ms, max %.2f ms (%u samples)\n",
           name, v[n / 2], v[MIN (n - 1, (guint) ceil (0.95 * n) - 1)], v[n - 1], n);
}

/* Frames ------------------------------------------------------------- */

typedef enum
{
  PHASE_SETTLE,
  PHASE_PAN,
  PHASE_ZOOM,
  PHASE_PAN_FAR,
  PHASE_DONE,
} Phase;

typedef struct
{
  TsrThemeMap *map;
  GMainLoop   *loop;
  Phase        phase;
  guint        frame;
  guint        n_frames;
  gint64       paint_start;
  gint64       last_frame;
  double       zoom0;
  double       x0;
  double       y0;
  GArray      *interval[PHASE_DONE];
  GArray      *paint[PHASE_DONE];
  guint        tiles0;
  gint64       snap0;
  GString     *stats;
} Frames;

/* Tiles drawn and time in the map's snapshot since the last call. */
static void
report_stats (Frames     *f,
              const char *name)
{
  guint tiles;
  gint64 us;

  _tsr_theme_map_get_stats (f->map, &tiles, &us);
  g_string_append_printf (f->stats, "tiles drawn, %s: %u; map snapshot, %s: %.2f ms a frame\n",
                          name, tiles - f->tiles0, name, (us - f->snap0) / 1000.0 / MAX (f->frame, 1));
  f->tiles0 = tiles;
  f->snap0 = us;
}

static void
on_update_cb (GdkFrameClock *clock,
              Frames        *f)
{
  f->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Frames        *f)
{
  gint64 now = g_get_monotonic_time ();

  if (f->phase != PHASE_SETTLE && f->phase != PHASE_DONE && f->frame > 1)
    {
      double paint = (now - f->paint_start) / 1000.0;
      double interval = (now - f->last_frame) / 1000.0;

      g_array_append_val (f->paint[f->phase], paint);
      g_array_append_val (f->interval[f->phase], interval);
    }
  f->last_frame = now;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Frames *f = data;
  double t;

  f->frame++;
  switch (f->phase)
    {
    case PHASE_SETTLE:
      if (f->frame < 30)
        return G_SOURCE_CONTINUE;
      tsr_theme_map_fit (f->map);
      tsr_theme_map_set_zoom (f->map, 1.0);
      tsr_theme_map_get_origin (f->map, &f->x0, &f->y0);
      f->phase = PHASE_PAN;
      f->frame = 0;
      break;

    case PHASE_PAN:
      if (f->frame == 1)
        _tsr_theme_map_get_stats (f->map, &f->tiles0, &f->snap0);
      /* A circle of 400 units at 100 %: every frame shows new chips. */
      t = 2 * G_PI * f->frame / f->n_frames;
      tsr_theme_map_set_origin (f->map, f->x0 + 400 * sin (t), f->y0 + 400 * (1 - cos (t)));
      if (f->frame >= f->n_frames)
        {
          report_stats (f, "pan at 100 %");
          f->phase = PHASE_ZOOM;
          f->frame = 0;
          tsr_theme_map_fit (f->map);
          f->zoom0 = tsr_theme_map_get_zoom (f->map);
        }
      break;

    case PHASE_ZOOM:
      /* From the whole map to 150 % and back, around the middle. */
      t = (1 - cos (2 * G_PI * f->frame / f->n_frames)) / 2;
      tsr_theme_map_set_zoom (f->map, f->zoom0 * pow (1.5 / f->zoom0, t));
      if (f->frame >= f->n_frames)
        {
          report_stats (f, "zoom");
          f->phase = PHASE_PAN_FAR;
          f->frame = 0;
          tsr_theme_map_fit (f->map);
          tsr_theme_map_get_origin (f->map, &f->x0, &f->y0);
        }
      break;

    case PHASE_PAN_FAR:
      /* Panning with the whole map in view: every item drawn. */
      t = 2 * G_PI * f->frame / f->n_frames;
      tsr_theme_map_set_origin (f->map, f->x0 + 200 * sin (t), f->y0 + 200 * (1 - cos (t)));
      if (f->frame >= f->n_frames)
        {
          report_stats (f, "pan with the whole map in view");
          f->phase = PHASE_DONE;
          g_main_loop_quit (f->loop);
          return G_SOURCE_REMOVE;
        }
      break;

    case PHASE_DONE:
    default:
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static char *
make_map_project (const char *dir,
                  guint       n_themes,
                  guint       n_codes)
{
  char *path = g_build_filename (dir, "map.tessera", NULL);
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) themes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) docs = g_array_new (FALSE, FALSE, sizeof (gint64));
  static const char * const words[] = {
    "hope", "fear", "family", "support", "routine", "dignity", "trust", "loss", "purpose",
    "team", "recognition", "small gestures", "waiting", "humour", "fatigue", "faith",
  };

  p = tsr_project_create (path, &error);
  if (p == NULL)
    die ("create the project", error);
  tsr_project_set_history_enabled (p, FALSE);
  coder = tsr_project_ensure_coder (p, "Bench", NULL);
  tsr_project_set_current_coder (p, tsr_entity_get_id (TSR_ENTITY (coder)), NULL);

  for (guint d = 0; d < 200; d++)
    {
      g_autofree char *name = g_strdup_printf ("Interview %03u", d + 1);
      gint64 id = tsr_project_add_document (p, name, "Some words that were said in an interview, and more of them.", "", &error);

      if (id == 0)
        die ("add a document", error);
      g_array_append_val (docs, id);
    }

  /* A fifth of the themes are sub-themes of the theme before. */
  for (guint t = 0; t < n_themes; t++)
    {
      g_autofree char *name = g_strdup_printf ("Theme %u: %s", t + 1, words[t % G_N_ELEMENTS (words)]);
      gint64 parent = (t % 5 == 4) ? g_array_index (themes, gint64, t - 1) : 0;
      gint64 id = tsr_project_create_theme (p, parent, name, &error);

      if (id == 0)
        die ("create a theme", error);
      g_array_append_val (themes, id);
    }

  for (guint c = 0; c < n_codes; c++)
    {
      g_autofree char *name = g_strdup_printf ("%s and %s %u", words[c % G_N_ELEMENTS (words)],
                                               words[(c / 7) % G_N_ELEMENTS (words)], c + 1);
      gint64 id = tsr_project_create_code (p, 0, name, NULL, "", &error);

      if (id == 0 ||
          !tsr_project_add_code_to_theme (p, g_array_index (themes, gint64, c % n_themes), id, &error))
        die ("create a code", error);
      for (guint s = 0; s < 3; s++)
        tsr_project_add_segment (p, g_array_index (docs, gint64, g_rand_int_range (rand, 0, docs->len)),
                                 id, 0, 4, NULL);
    }

  if (!tsr_project_close (p, &error))
    die ("close", error);
  return path;
}

static int
run_frames (int    argc,
            char **argv)
{
  gint n_themes = 50, n_codes = 500, n_frames = 240;
  gboolean baseline = FALSE;
  const GOptionEntry entries[] = {
    { "baseline", 0, 0, G_OPTION_ARG_NONE, &baseline, "An empty canvas, for what the display alone costs", NULL },
    { "themes", 0, 0, G_OPTION_ARG_INT, &n_themes, "Themes on the map (50)", "N" },
    { "codes", 0, 0, G_OPTION_ARG_INT, &n_codes, "Codes on the map (500)", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames per phase (240)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("frames");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsrProject) project = NULL;
  GtkWidget *window;
  GdkFrameClock *clock;
  Frames f = { 0 };
  static const char * const names[] = { NULL, "pan at 100 %", "zoom between the whole map and 150 %",
                                        "pan with the whole map in view" };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_themes < 1 || n_codes < 0 || n_frames < 10)
    die ("options", NULL);

  adw_init ();
  dir = g_dir_make_tmp ("tsr-map-benchmark-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);
  path = make_map_project (dir, n_themes, n_codes);
  project = tsr_project_open (path, &error);
  if (project == NULL)
    die ("open", error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  f.map = TSR_THEME_MAP (tsr_theme_map_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (f.map));
  if (!baseline)
    tsr_theme_map_set_project (f.map, project);
  {
    g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
    g_autoptr(TsrCounts) counts = tsr_project_compute_counts (project, scope, NULL, &error);

    if (counts == NULL)
      die ("counts", error);
    tsr_theme_map_set_counts (f.map, counts);
  }
  gtk_window_present (GTK_WINDOW (window));

  f.loop = g_main_loop_new (NULL, FALSE);
  f.stats = g_string_new (NULL);
  f.n_frames = n_frames;
  for (guint i = 0; i < PHASE_DONE; i++)
    {
      f.interval[i] = g_array_new (FALSE, FALSE, sizeof (double));
      f.paint[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  while (!gtk_widget_get_mapped (GTK_WIDGET (f.map)))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f.map));
  g_signal_connect (clock, "update", G_CALLBACK (on_update_cb), &f);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &f);
  gtk_widget_add_tick_callback (GTK_WIDGET (f.map), tick_cb, &f, NULL);
  g_main_loop_run (f.loop);

  g_print ("tsr-map-benchmark frames (GTK %u.%u.%u, renderer %s)\n",
           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  if (baseline)
    g_print ("baseline: an empty canvas of the same size\n");
  else
    g_print ("themes: %d\ncodes: %d\nchips: %u\nwindow: 1280 × 800\n", n_themes, n_codes,
             tsr_map_layout_get_n_chips (tsr_theme_map_get_layout (f.map)));
  for (guint i = PHASE_PAN; i < PHASE_DONE; i++)
    {
      g_autofree char *a = g_strdup_printf ("frame interval, %s", names[i]);
      g_autofree char *b = g_strdup_printf ("paint (snapshot + render), %s", names[i]);
      guint over = 0;

      for (guint j = 0; j < f.interval[i]->len; j++)
        over += g_array_index (f.interval[i], double, j) > 1000.0 / 60 * 1.5;
      report_spread (a, f.interval[i]);
      report_spread (b, f.paint[i]);
      g_print ("frames over 25 ms, %s: %u of %u\n", names[i], over, f.interval[i]->len);
      g_array_unref (f.interval[i]);
      g_array_unref (f.paint[i]);
    }

  g_print ("%s", f.stats->str);
  g_string_free (f.stats, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  tsr_project_close (project, NULL);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
        g_unlink (name);
      }
  }
  g_rmdir (dir);
  g_main_loop_unref (f.loop);
  return 0;
}

/* The theme table ---------------------------------------------------- */

/* What the table shows: n and % of every theme. */
static guint64
read_table (TsrCounts *counts,
            GPtrArray *themes)
{
  guint64 sum = 0;

  for (guint i = 0; i < themes->len; i++)
    {
      guint n = tsr_counts_get_theme_n (counts, tsr_entity_get_id (g_ptr_array_index (themes, i)));
      sum += n + (guint64) tsr_counts_percent (counts, n);
    }
  return sum;
}

typedef struct
{
  TsrCounts *counts;
  gboolean   done;
} AsyncResult;

static void
on_counts_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  AsyncResult *r = data;
  g_autoptr(GError) error = NULL;

  r->counts = tsr_project_compute_counts_finish (TSR_PROJECT (source), result, &error);
  if (r->counts == NULL)
    die ("counts", error);
  r->done = TRUE;
}

static void
on_table_updated_cb (TsrReviewView *view,
                     gboolean      *updated)
{
  *updated = TRUE;
}

/* Adds @code to @theme, or takes it out again: an edit of the theme. */
static double
toggle (TsrProject *p,
        gint64      theme,
        gint64      code,
        guint       i)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean ok = i % 2 == 0 ? tsr_project_add_code_to_theme (p, theme, code, &error)
                           : tsr_project_remove_code_from_theme (p, theme, code, &error);

  if (!ok)
    die ("edit a theme", error);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
run_table (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(GPtrArray) themes = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(GArray) edit = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sync_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) async_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) view_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) view_total_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) view_segment_ms = g_array_new (FALSE, FALSE, sizeof (double));
  volatile guint64 sink = 0;
  gint64 theme, code;
  GtkWidget *window;
  TsrReviewView *view;
  g_autoptr(TsrSession) session = NULL;
  gboolean updated = FALSE;

  p = tsr_project_open (path, &error);
  if (p == NULL)
    die ("open", error);
  tsr_project_set_history_enabled (p, TRUE);
  themes = tsr_project_list_all_themes (p);
  codes = tsr_project_list_all_codes (p);
  if (themes->len == 0 || codes->len == 0)
    die ("the project has no themes or no codes", NULL);

  theme = tsr_entity_get_id (g_ptr_array_index (themes, 0));
  /* A code in no theme yet, so adding it changes the theme's n. */
  code = tsr_entity_get_id (g_ptr_array_index (codes, codes->len - 1));
  {
    g_autoptr(GArray) in = tsr_project_get_theme_codes (p, theme);
    for (guint i = 0; i < in->len; i++)
      if (g_array_index (in, gint64, i) == code)
        die ("the last code is already in the first theme", NULL);
  }

  g_print ("tsr-map-benchmark table (Tessera %s)\nproject: %s\ndocuments: %u\ncodes: %u\nthemes: %u\n",
           PACKAGE_VERSION, path, tsr_project_get_n_documents (p), codes->len, themes->len);

  /* The core: edit, count, read the table. */
  for (guint i = 0; i < N_TABLE_RUNS; i++)
    {
      g_autoptr(TsrCounts) counts = NULL;
      g_autoptr(GPtrArray) fresh = NULL;
      double ms;
      gint64 start;

      ms = toggle (p, theme, code, i);
      g_array_append_val (edit, ms);
      start = g_get_monotonic_time ();
      counts = tsr_project_compute_counts (p, scope, NULL, &error);
      if (counts == NULL)
        die ("counts", error);
      fresh = tsr_project_list_all_themes (p);
      sink += read_table (counts, fresh);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (sync_ms, ms);
    }

  /* Off the main thread, as the views count. */
  for (guint i = 0; i < N_TABLE_RUNS; i++)
    {
      AsyncResult r = { NULL, FALSE };
      g_autoptr(GPtrArray) fresh = NULL;
      gint64 start;
      double ms;

      toggle (p, theme, code, i + N_TABLE_RUNS);
      start = g_get_monotonic_time ();
      tsr_project_compute_counts_async (p, scope, NULL, on_counts_cb, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      fresh = tsr_project_list_all_themes (p);
      sink += read_table (r.counts, fresh);
      tsr_counts_unref (r.counts);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (async_ms, ms);
    }

  /* The review view's theme table in a window: from the edit's change
   * signal to the rows rebuilt with the new n. */
  adw_init ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  view = TSR_REVIEW_VIEW (tsr_review_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  g_signal_connect (view, "table-updated", G_CALLBACK (on_table_updated_cb), &updated);
  session = tsr_session_new ();
  g_object_set (view, "session", session, NULL);
  tsr_session_set_project (session, p);
  gtk_window_present (GTK_WINDOW (window));
  while (!updated)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < N_TABLE_RUNS; i++)
    {
      gint64 start;
      double ms, edit_ms;

      updated = FALSE;
      start = g_get_monotonic_time ();
      edit_ms = toggle (p, theme, code, i);
      while (!updated)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (view_total_ms, ms);
      ms = tsr_review_view_get_last_update_ms (view);
      g_array_append_val (view_ms, ms);
      (void) edit_ms;
    }

  /* A segment coded changes code presence: the view counts again. */
  {
    g_autoptr(GListModel) docs = tsr_project_get_documents (p);
    g_autoptr(TsrDocument) doc = g_list_model_get_item (docs, 0);
    gint64 doc_id = tsr_entity_get_id (TSR_ENTITY (doc));

    for (guint i = 0; i < N_TABLE_RUNS; i++)
      {
        gint64 start;
        double ms;

        updated = FALSE;
        if (i % 2 == 0)
          {
            if (tsr_project_add_segment (p, doc_id, code, 0, 1, &error) == 0)
              die ("code a passage", error);
          }
        else if (!tsr_project_undo (p, &error))
          die ("undo", error);
        start = g_get_monotonic_time ();
        while (!updated)
          g_main_context_iteration (NULL, TRUE);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (view_segment_ms, ms);
      }
  }

  report_spread ("edit (add or remove a code of a theme)", edit);
  report_spread ("theme table after an edit, core (count + n and % of every theme)", sync_ms);
  report_spread ("theme table after an edit, counted in a worker thread", async_ms);
  report_spread ("theme table after a theme edit, review view (change signal to rows rebuilt, n tallied)", view_ms);
  report_spread ("theme edit and theme table, review view (edit started to rows rebuilt)", view_total_ms);
  report_spread ("theme table after a passage is coded or uncoded, review view (recount in a worker thread)", view_segment_ms);
  g_print ("(sink %" G_GUINT64_FORMAT ")\n", (guint64) sink);

  gtk_window_destroy (GTK_WINDOW (window));
  tsr_session_set_project (session, NULL);
  if (!tsr_project_close (p, &error))
    die ("close", error);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  if (argc >= 2 && g_strcmp0 (argv[1], "frames") == 0)
    return run_frames (argc - 1, argv + 1);
  if (argc == 3 && g_strcmp0 (argv[1], "table") == 0)
    return run_table (argv[2]);

  g_printerr ("usage: tsr-map-benchmark frames [--themes N] [--codes N] [--frames N]\n"
              "       tsr-map-benchmark table PROJECT\n");
  return 2;
}
