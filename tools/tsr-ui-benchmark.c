/* tsr-ui-benchmark.c — times the app: the whole process, and its real widgets
 *
 * Two projects:
 *
 *   transcript  one 2 MB transcript with 20,000 coded passages and a
 *               codebook of 2,000 codes, generated here;
 *   large (L)   10,000 documents, 1,000,000 coded passages, 200 codes and
 *               40 themes, made by the core benchmark's generator
 *               (`tsr-benchmark --generate-only`).
 *
 * For each, two parts, each in processes of their own so that each peak
 * of memory is the app's alone:
 *
 *   launch   `tessera PROJECT` started --runs times with
 *            TESSERA_BENCHMARK=1, which makes the app print when it
 *            painted the first frame of the project window and when the
 *            code tree's counts were first painted, with its main
 *            thread's CPU time.  Timed from before the process is
 *            started (this program's clock) and from the process's start
 *            time in /proc (the app's own figure); peak memory (VmHWM) at
 *            the counts.
 *   window   the real TsrWindow in a child of this program: setting the
 *            project on the window to its first frame (--runs times);
 *            scrolling the reader, the code tree and the document list;
 *            coding acts until every visible count is repainted; each
 *            view's first frame after switching to it (Themes, Review,
 *            Report, Agreement), then its numbers; the theme map's first
 *            frame; and peak memory once every view was visited.
 *
 * Figures are medians and 95th percentiles (nearest rank) of wall time
 * and of the main thread's CPU time: wall time includes waiting for the
 * CPU on a busy machine and the renderer's rasterising (software with
 * the cairo renderer, which this program asks for unless GSK_RENDERER is
 * set); the CPU time is the steadier figure of what the app costs.  A
 * frame is waited for with the frame clock, without damaging anything
 * itself, so a frame costs what the change made it cost.  The goals of
 * issue 20 are checked at the end, with the machine's load.
 *
 * Run it under a display and a session bus:
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
 *     build/tools/tsr-ui-benchmark --dir ~/.cache/tsr-ui-benchmark
 *
 * --dir keeps the generated projects for the next run (generating L takes
 * minutes); each run works on copies.  It is a program, not a timed test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tessera.h"
#include "tsr-agreement-view.h"
#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-document-list.h"
#include "tsr-reader.h"
#include "tsr-report-view.h"
#include "tsr-review-view.h"
#include "tsr-theme-map.h"
#include "tsr-themes-view.h"
#include "tsr-window.h"

#define TEXT_CHARS    2000000
#define N_SEGMENTS    20000
#define N_CODES       2000
#define N_USED_CODES  200
#define SCROLL_FRAMES 240
#define N_CODING_ACTS 10
/* How long anything is waited for before the figure is given up. */
#define TIMEOUT_S     180

/* The goals of issue 20, in ms (memory in MB). */
#define GOAL_LAUNCH_MS        1000.0
#define GOAL_SET_PROJECT_MS    300.0
#define GOAL_CODING_CPU_MS      50.0
#define GOAL_VIEW_SWITCH_MS    100.0
#define GOAL_SCROLL_CPU_MS       8.0
#define GOAL_PEAK_MB           300.0

static const char * const words[] = {
  "the", "patient", "ward", "we", "clapped", "nurse", "family", "and", "was", "quiet",
  "cried", "together", "doctor", "she", "he", "felt", "seen", "small", "gesture", "mattered",
  "team", "night", "shift", "hands", "held", "kindness", "months", "home", "leaving", "corridor",
  "café", "naïve", "ψυχή", "希望", "🙂",
};

static const char * const views[] = { "themes", "review", "report", "agreement" };

static guint n_runs = 5;
/* In the window, only these measures (--only, for profiling one). */
static char *only;
/* In the parent: every goal line, its own and its children's. */
static GPtrArray *goal_lines;

/* Helpers ------------------------------------------------------------ */

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("tsr-ui-benchmark: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* The main thread's CPU time, in µs. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
ms_between (gint64 start,
            gint64 end)
{
  return (end - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static GArray *
series_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static void
series_add (GArray *series,
            double  value)
{
  g_array_append_val (series, value);
}

/* The median, and the 95th percentile by nearest rank (the largest of
 * fewer than 20 values). */
static double
series_median (GArray *series)
{
  g_autoptr(GArray) sorted = g_array_copy (series);
  double *v = (double *) sorted->data;
  guint n = sorted->len;

  if (n == 0)
    return NAN;
  g_array_sort (sorted, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
series_p95 (GArray *series)
{
  g_autoptr(GArray) sorted = g_array_copy (series);
  guint n = sorted->len;

  if (n == 0)
    return NAN;
  g_array_sort (sorted, compare_doubles);
  return g_array_index (sorted, double, (guint) ceil (0.95 * n) - 1);
}

static double
series_max (GArray *series)
{
  double max = 0;

  for (guint i = 0; i < series->len; i++)
    max = MAX (max, g_array_index (series, double, i));
  return max;
}

static guint
series_over (GArray *series,
             double  limit)
{
  guint over = 0;

  for (guint i = 0; i < series->len; i++)
    over += g_array_index (series, double, i) > limit;
  return over;
}

/* One line: median and p95 of the wall times, and of the main thread's
 * CPU times when given. */
static void
report (const char *name,
        GArray     *wall,
        GArray     *cpu)
{
  if (wall->len == 0)
    {
      g_print ("%s: not measured\n", name);
      return;
    }
  g_print ("%s: wall median %.1f ms, p95 %.1f ms", name, series_median (wall), series_p95 (wall));
  if (cpu != NULL && cpu->len > 0)
    g_print ("; main-thread CPU median %.1f ms, p95 %.1f ms", series_median (cpu), series_p95 (cpu));
  g_print (" (%u)\n", wall->len);
}

/* A line the parent gathers into the summary: what, the figure, the goal. */
static void
goal (const char *what,
      double      value,
      const char *statistic,
      double      limit,
      const char *unit)
{
  g_autofree char *line = g_strdup_printf ("goal: %s: %.1f %s %s (goal < %.0f %s): %s", what, value, unit,
                                            statistic, limit, unit,
                                            isnan (value) ? "NOT MEASURED" : value < limit ? "met" : "MISSED");

  g_print ("%s\n", line);
  if (goal_lines != NULL)
    g_ptr_array_add (goal_lines, g_steal_pointer (&line));
}

/* The load averages of the last 1, 5 and 15 minutes. */
static char *
read_load (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL) ||
      g_strv_length (fields = g_strsplit (contents, " ", 4)) < 3)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

/* A line of /proc/PID/status, in MB; @pid 0 is this process. */
static double
status_mb (GPid        pid,
           const char *field)
{
  g_autofree char *path = pid ? g_strdup_printf ("/proc/%d/status", pid) : g_strdup ("/proc/self/status");
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (line = strstr (contents, field)) == NULL)
    return NAN;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

static void
remove_project (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

static void
copy_project (const char *from,
              const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  remove_project (to);
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    die ("copy the project", error);
}

/* Generation --------------------------------------------------------- */

static char *
make_text (GRand *rand,
           guint  target,
           guint *n_chars)
{
  GString *text = g_string_sized_new (target + target / 4);
  guint chars = 0;

  while (chars < target)
    {
      guint n_words = g_rand_int_range (rand, 30, 140);

      if (chars > 0)
        {
          g_string_append_c (text, '\n');
          chars++;
        }

      for (guint w = 0; w < n_words; w++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          if (w > 0)
            {
              g_string_append_c (text, ' ');
              chars++;
            }
          g_string_append (text, word);
          chars += g_utf8_strlen (word, -1);
        }
      g_string_append_c (text, '.');
      chars++;
    }

  *n_chars = chars;
  return g_string_free (text, FALSE);
}

/* The transcript project. */
static void
generate_transcript (const char *path)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) a = NULL;
  g_autoptr(TsrCoder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autofree char *text = NULL;
  g_autofree char *partial = g_strconcat (path, ".part", NULL);
  guint length;
  gint64 document_id;
  gint64 start = g_get_monotonic_time ();

  remove_project (partial);
  project = tsr_project_create (partial, &error);
  if (project == NULL)
    die ("create", error);
  tsr_project_set_history_enabled (project, FALSE);

  a = tsr_project_ensure_coder (project, "Coder A", &error);
  b = tsr_project_ensure_coder (project, "Coder B", &error);
  if (a == NULL || b == NULL)
    die ("coders", error);
  tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (a)), NULL);

  text = make_text (rand, TEXT_CHARS, &length);
  document_id = tsr_project_add_document (project, "Long transcript", text, NULL, &error);
  if (document_id == 0)
    die ("document", error);

  /* 2,000 codes: 100 groups of 19 sub-codes, the groups under 10
   * themes' worth of top-level codes. */
  tsr_project_begin_group (project, "Codebook");
  for (guint i = 0; i < N_CODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Code %04u", i);
      gint64 parent = i % 20 == 0 ? 0 : g_array_index (codes, gint64, i - i % 20);
      gint64 id = tsr_project_create_code (project, parent, name, NULL, NULL, &error);

      if (id == 0)
        die ("code", error);
      g_array_append_val (codes, id);
    }
  if (!tsr_project_end_group (project, &error))
    die ("codebook", error);

  tsr_project_begin_group (project, "Coding");
  for (guint i = 0; i < N_SEGMENTS; i++)
    {
      guint span = g_rand_int_range (rand, 20, 400);
      guint s = g_rand_int_range (rand, 0, length - span);
      gint64 code = g_array_index (codes, gint64, g_rand_int_range (rand, 0, N_USED_CODES) * 10 % N_CODES);
      gint64 coder = tsr_entity_get_id (TSR_ENTITY (g_rand_boolean (rand) ? a : b));

      if (tsr_project_add_segment_for_coder (project, document_id, code, coder, s, s + span, &error) == 0)
        die ("segment", error);
    }
  if (!tsr_project_end_group (project, &error))
    die ("coding", error);

  if (!tsr_project_close (project, &error))
    die ("close", error);
  if (g_rename (partial, path) != 0)
    die ("rename the generated project", NULL);

  g_print ("generated the transcript project: 1 document of %u characters (%.1f MB), %u codes, "
           "%u coded passages in %.1f s\n",
           length, strlen (text) / (1024.0 * 1024.0), N_CODES, N_SEGMENTS,
           ms_between (start, g_get_monotonic_time ()) / 1000.0);
}

/* The L project, by the core benchmark's generator. */
static void
generate_large (const char *path,
                const char *tools_dir)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *work = g_build_filename (dir, "large.part", NULL);
  g_autofree char *generator = g_build_filename (tools_dir, "tsr-benchmark", NULL);
  g_autofree char *made = g_build_filename (work, "benchmark.tessera", NULL);
  g_autoptr(GError) error = NULL;
  int status;
  gint64 start = g_get_monotonic_time ();
  const char *argv[] = {
    generator, "--generate-only", "--documents", "10000", "--segments", "1000000",
    "--codes", "200", "--dir", work, NULL
  };

  g_print ("generating the L project with %s (some minutes)…\n", generator);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    die ("generate the L project", error);
  if (g_rename (made, path) != 0)
    die ("move the generated L project", NULL);
  g_rmdir (work);
  g_print ("generated the L project: 10,000 documents, 1,000,000 coded passages, 200 codes, "
           "40 themes in %.1f s\n", ms_between (start, g_get_monotonic_time ()) / 1000.0);
}

/* The launch ---------------------------------------------------------- */

typedef struct
{
  GDataInputStream *lines;
  char             *line;
  gboolean          done;
} LineRead;

static void
on_line_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  read->done = TRUE;
}

static gboolean
on_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The next line of @lines, or %NULL at its end or after @deadline. */
static char *
read_line_until (GDataInputStream *lines,
                 GCancellable     *cancellable,
                 gint64            deadline)
{
  LineRead read = { lines, NULL, FALSE };
  guint wake = g_timeout_add (100, on_wake_cb, NULL);

  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_line_read_cb, &read);
  while (!read.done)
    {
      if (g_get_monotonic_time () > deadline)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return read.line;
}

static double
field_of (const char *line,
          const char *name)
{
  g_autofree char *key = g_strconcat (" ", name, "=", NULL);
  const char *at = strstr (line, key);

  return at ? g_ascii_strtod (at + strlen (key), NULL) : NAN;
}

static void
run_launches (const char *label,
              const char *tessera,
              const char *path,
              gboolean    is_large)
{
  g_autoptr(GArray) wall = series_new ();
  g_autoptr(GArray) own = series_new ();
  g_autoptr(GArray) cpu = series_new ();
  g_autoptr(GArray) counts_wall = series_new ();
  g_autoptr(GArray) counts_cpu = series_new ();
  g_autoptr(GArray) peak = series_new ();
  g_autofree char *name = NULL;

  for (guint r = 0; r < n_runs; r++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
      gboolean first = FALSE, counted = FALSE;
      GPid pid;
      gint64 start;
      char *line;

      g_subprocess_launcher_setenv (launcher, "TESSERA_BENCHMARK", "1", TRUE);
      start = g_get_monotonic_time ();
      process = g_subprocess_launcher_spawn (launcher, &error, tessera, path, NULL);
      if (process == NULL)
        die ("start tessera", error);
      pid = atoi (g_subprocess_get_identifier (process));
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

      while (!counted && (line = read_line_until (lines, cancellable, deadline)) != NULL)
        {
          g_autofree char *owned = line;

          if (g_str_has_prefix (line, "tessera-benchmark first-frame ") && !first)
            {
              first = TRUE;
              series_add (wall, (field_of (line, "monotonic") - start) / 1000.0);
              series_add (own, field_of (line, "since-start"));
              series_add (cpu, field_of (line, "cpu"));
            }
          else if (g_str_has_prefix (line, "tessera-benchmark counts-painted "))
            {
              counted = TRUE;
              series_add (counts_wall, (field_of (line, "monotonic") - start) / 1000.0);
              series_add (counts_cpu, field_of (line, "cpu"));
              series_add (peak, status_mb (pid, "VmHWM:"));
            }
        }
      if (!first || !counted)
        g_printerr ("launch %u of %s: %s\n", r + 1, label, first ? "no counts painted" : "no first frame");

      /* SIGTERM closes the project as quitting does. */
      g_subprocess_send_signal (process, SIGTERM);
      {
        gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

        while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < until)
          {
            g_autofree char *rest = read_line_until (lines, cancellable, until);

            if (rest == NULL)
              break;
          }
        if (g_subprocess_get_identifier (process) != NULL)
          g_subprocess_wait (process, NULL, NULL);
      }
    }

  name = g_strdup_printf ("launch %s to the first frame of the project window (from before exec)", label);
  report (name, wall, cpu);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("launch %s to the first frame, from the process start time in /proc", label);
  report (name, own, NULL);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("launch %s to the code counts painted", label);
  report (name, counts_wall, counts_cpu);
  g_clear_pointer (&name, g_free);
  g_print ("launch %s peak memory (VmHWM at the counts): median %.1f MB, max %.1f MB\n",
           label, series_median (peak), series_p95 (peak));

  if (is_large)
    goal ("launch L to first frame, whole process (wall)", series_median (wall), "median", GOAL_LAUNCH_MS, "ms");
}

/* The window ---------------------------------------------------------- */

typedef struct
{
  TsrApplication *app;
  TsrWindow      *window;
  TsrProject     *project;
  TsrReader      *reader;
  TsrCodeTree    *tree;
  TsrDocumentList *documents;
  GdkFrameClock  *clock;
  gint64          painted_at;
  guint           n_paints;
  gint64          counts_at;
  gboolean        is_large;
  const char     *label;
} Bench;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *bench)
{
  bench->painted_at = g_get_monotonic_time ();
  bench->n_paints++;
}

static void
on_tree_counts_updated_cb (TsrCodeTree *tree,
                           Bench       *bench)
{
  bench->counts_at = g_get_monotonic_time ();
}

/* Runs the main loop until the next frame is painted, without damaging
 * anything: the frame costs what was changed before it. */
static gint64
wait_for_paint (Bench *bench)
{
  guint n = bench->n_paints;
  guint wake = g_timeout_add (100, on_wake_cb, NULL);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  gdk_frame_clock_request_phase (bench->clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (bench->n_paints == n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (bench->n_paints == n)
    die ("wait for a frame", NULL);

  return bench->painted_at;
}

static void
settle (Bench *bench,
        guint  frames)
{
  /* Idle work queued by what came before runs first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < frames; i++)
    wait_for_paint (bench);
}

typedef gboolean (*Condition) (Bench *bench, gpointer data);

/* Runs the main loop until @condition holds; FALSE after TIMEOUT_S. */
static gboolean
wait_until (Bench     *bench,
            Condition  condition,
            gpointer   data)
{
  guint wake = g_timeout_add (20, on_wake_cb, NULL);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  gboolean ok;

  while (!(ok = condition (bench, data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

static gboolean
counts_since (Bench    *bench,
              gpointer  data)
{
  return bench->counts_at >= *(gint64 *) data && tsr_code_tree_get_counts (bench->tree) != NULL;
}

/* Scrolls @adjustment from top to bottom over SCROLL_FRAMES frames,
 * timing each from the change to its frame painted. */
static void
scroll_frames (Bench         *bench,
               const char    *name,
               GtkAdjustment *adjustment,
               GArray        *cpu_out)
{
  g_autoptr(GArray) wall = series_new ();
  g_autoptr(GArray) cpu = series_new ();
  double range = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  gtk_adjustment_set_value (adjustment, 0);
  settle (bench, 3);
  for (guint i = 1; i <= SCROLL_FRAMES; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 cpu_start = cpu_now ();

      gtk_adjustment_set_value (adjustment, range * i / SCROLL_FRAMES);
      series_add (wall, ms_between (start, wait_for_paint (bench)));
      series_add (cpu, ms_between (cpu_start, cpu_now ()));
    }
  report (name, wall, cpu);
  g_print ("%s: frames over 16.7 ms: %u of %u wall, %u of %u CPU; CPU max %.1f ms\n", name,
           series_over (wall, 16.7), wall->len, series_over (cpu, 16.7), cpu->len, series_max (cpu));
  if (cpu_out != NULL)
    g_array_append_vals (cpu_out, cpu->data, cpu->len);
  gtk_adjustment_set_value (adjustment, 0);
  settle (bench, 3);
}

/* Setting the project on the window, --runs times: to its first frame,
 * and to the code tree's counts painted. */
static void
measure_set_project (Bench      *bench,
                     const char *path)
{
  g_autoptr(GArray) wall = series_new ();
  g_autoptr(GArray) cpu = series_new ();
  g_autoptr(GArray) counts_wall = series_new ();
  g_autoptr(GArray) counts_cpu = series_new ();
  g_autofree char *name = NULL;

  for (guint r = 0; r < n_runs; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 cpu_start = cpu_now ();

      if (r > 0)
        {
          tsr_window_close_project (bench->window);
          g_clear_object (&bench->project);
          settle (bench, 3);
          start = g_get_monotonic_time ();
          cpu_start = cpu_now ();
        }

      bench->project = tsr_project_open (path, &error);
      if (bench->project == NULL)
        die ("open", error);
      if (!tsr_window_set_project (bench->window, bench->project, &error))
        die ("show", error);
      series_add (wall, ms_between (start, wait_for_paint (bench)));
      series_add (cpu, ms_between (cpu_start, cpu_now ()));

      if (!wait_until (bench, counts_since, &start))
        g_print ("set the project: the code counts did not come in %d s\n", TIMEOUT_S);
      else
        {
          series_add (counts_wall, ms_between (start, wait_for_paint (bench)));
          series_add (counts_cpu, ms_between (cpu_start, cpu_now ()));
        }
      settle (bench, 5);
    }

  name = g_strdup_printf ("set the %s project on the window (open + set), to first frame", bench->label);
  report (name, wall, cpu);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("set the %s project on the window, to the code counts painted", bench->label);
  report (name, counts_wall, counts_cpu);

  if (!bench->is_large)
    goal ("set the 2,000-code project on the window, to first frame (wall)", series_median (wall),
          "median", GOAL_SET_PROJECT_MS, "ms");
}

static void
expand_all (Bench *bench)
{
  GListModel *rows = tsr_code_tree_get_model (bench->tree);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);

      gtk_tree_list_row_set_expanded (row, TRUE);
    }
  settle (bench, 5);
}

static void
measure_scrolling (Bench *bench)
{
  g_autoptr(GArray) reader_cpu = series_new ();
  g_autoptr(GArray) tree_cpu = series_new ();
  g_autoptr(GArray) list_cpu = series_new ();
  g_autofree char *name = NULL;

  if (!bench->is_large)
    {
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (bench->reader));

      g_print ("passages shown in the reader: %u in %u lanes\n",
               tsr_reader_get_n_visible_segments (bench->reader), tsr_reader_get_n_lanes (bench->reader));
      /* The text view lays out lazily: the first pass pays for it. */
      scroll_frames (bench, "reader scroll, first pass (frame)", adjustment, NULL);
      scroll_frames (bench, "reader scroll (frame)", adjustment, reader_cpu);
      goal ("reader scroll, main-thread CPU per frame (2,000-code transcript)", series_p95 (reader_cpu),
            "p95", GOAL_SCROLL_CPU_MS, "ms");

      /* Selecting text across the transcript. */
      {
        g_autoptr(GArray) wall = series_new ();
        g_autoptr(GArray) cpu = series_new ();

        for (guint i = 0; i < 40; i++)
          {
            guint at = (guint) ((double) TEXT_CHARS * i / 40);
            gint64 start = g_get_monotonic_time ();
            gint64 cpu_start = cpu_now ();

            tsr_reader_select_range (bench->reader, at, at + 300);
            series_add (wall, ms_between (start, wait_for_paint (bench)));
            series_add (cpu, ms_between (cpu_start, cpu_now ()));
          }
        report ("select text in the transcript, to frame", wall, cpu);
      }
    }

  /* The code tree, every group open. */
  {
    GtkListView *list = tsr_code_tree_get_list_view (bench->tree);

    expand_all (bench);
    g_print ("code tree rows (%s): %u\n", bench->label, g_list_model_get_n_items (tsr_code_tree_get_model (bench->tree)));
    name = g_strdup_printf ("code tree scroll, %s (frame)", bench->label);
    scroll_frames (bench, name, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)), tree_cpu);
    g_clear_pointer (&name, g_free);
    name = g_strdup_printf ("code tree scroll, main-thread CPU per frame (%s)", bench->label);
    goal (name, series_p95 (tree_cpu), "p95", GOAL_SCROLL_CPU_MS, "ms");
    g_clear_pointer (&name, g_free);
  }

  /* The document list. */
  {
    GtkListView *list = tsr_document_list_get_list_view (bench->documents);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list)));

    g_print ("document list rows (%s): %u\n", bench->label, n);
    if (n > 100)
      {
        name = g_strdup_printf ("document list scroll, %s (frame)", bench->label);
        scroll_frames (bench, name, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)), list_cpu);
        g_clear_pointer (&name, g_free);
        name = g_strdup_printf ("document list scroll, main-thread CPU per frame (%s)", bench->label);
        goal (name, series_p95 (list_cpu), "p95", GOAL_SCROLL_CPU_MS, "ms");
        g_clear_pointer (&name, g_free);
      }
  }
}

/* Coding acts: from applying a code to the reader's selection until
 * every count on screen is repainted (the code tree's, counted on a
 * worker at L; the document list's and the reader's margin are updated
 * as the act is stored). */
static void
measure_coding (Bench *bench)
{
  g_autoptr(GArray) apply = series_new ();
  g_autoptr(GArray) apply_cpu = series_new ();
  g_autoptr(GArray) shown = series_new ();
  g_autoptr(GArray) cpu = series_new ();
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (bench->project);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  TsrDocument *document = tsr_window_get_document (bench->window);
  guint length = document ? g_utf8_strlen (tsr_reader_get_text (bench->reader), -1) : 0;

  if (length < 400)
    {
      g_print ("coding acts: no document to code in\n");
      return;
    }

  tsr_project_set_history_enabled (bench->project, TRUE);

  for (guint i = 0; i < N_CODING_ACTS; i++)
    {
      gint64 code_id = tsr_entity_get_id (TSR_ENTITY (codes->pdata[(i * 37) % codes->len]));
      guint at = (i * 4999) % (length - 300);
      gint64 start, cpu_start, applied;

      /* The code shown in the tree first: choosing a code can select
       * its passage in the reader. */
      tsr_code_tree_select_code (bench->tree, code_id);
      settle (bench, 2);
      tsr_reader_select_range (bench->reader, at, at + 200);
      settle (bench, 2);

      start = g_get_monotonic_time ();
      cpu_start = cpu_now ();
      if (tsr_reader_code_selection (bench->reader, code_id, &error) == 0)
        die ("code", error);
      applied = g_get_monotonic_time ();
      series_add (apply, ms_between (start, applied));
      series_add (apply_cpu, ms_between (cpu_start, cpu_now ()));
      if (!wait_until (bench, counts_since, &start))
        {
          g_print ("coding act: the code counts did not come in %d s\n", TIMEOUT_S);
          continue;
        }
      series_add (shown, ms_between (start, wait_for_paint (bench)));
      series_add (cpu, ms_between (cpu_start, cpu_now ()));
    }

  name = g_strdup_printf ("coding act, %s: stored, reader and lists updated", bench->label);
  report (name, apply, apply_cpu);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("coding act, %s: to every visible count repainted", bench->label);
  report (name, shown, cpu);
  g_clear_pointer (&name, g_free);
  name = g_strdup_printf ("coding act to every visible count repainted, main-thread CPU (%s)", bench->label);
  goal (name, series_p95 (cpu), "p95", GOAL_CODING_CPU_MS, "ms");
}

/* The view shown on the page @name of the window's view stack. */
static GtkWidget *
get_view (Bench      *bench,
          const char *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (bench->window),
                                                                       TSR_TYPE_WINDOW, "view_stack"));

  return adw_view_stack_get_child_by_name (stack, name);
}

static gboolean
view_ready (Bench    *bench,
            gpointer  data)
{
  const char *view = data;
  GtkWidget *widget = get_view (bench, view);

  if (g_str_equal (view, "themes"))
    return tsr_themes_view_get_counts (TSR_THEMES_VIEW (widget)) != NULL;
  if (g_str_equal (view, "review"))
    return tsr_review_view_get_counts (TSR_REVIEW_VIEW (widget)) != NULL;
  if (g_str_equal (view, "report"))
    return tsr_report_view_get_report (TSR_REPORT_VIEW (widget)) != NULL;
  if (g_str_equal (view, "agreement"))
    return !tsr_agreement_view_get_busy (TSR_AGREEMENT_VIEW (widget)) &&
           tsr_agreement_view_get_agreement (TSR_AGREEMENT_VIEW (widget)) != NULL;
  return TRUE;
}

static gboolean
map_drawn (Bench    *bench,
           gpointer  data)
{
  TsrThemesView *themes = TSR_THEMES_VIEW (get_view (bench, "themes"));
  guint n_tiles;
  gint64 snapshot_us;

  _tsr_theme_map_get_stats (tsr_themes_view_get_map (themes), &n_tiles, &snapshot_us);
  return n_tiles > *(guint *) data;
}

/* Each view's first frame after switching to it: the first visit (its
 * first fill), then --runs visits more from the Code view; and its
 * numbers coming in after the first visit. */
static void
measure_views (Bench *bench)
{
  TsrThemesView *themes = TSR_THEMES_VIEW (get_view (bench, "themes"));
  g_autoptr(GArray) back_wall = series_new ();
  g_autoptr(GArray) back_cpu = series_new ();
  double worst_first = 0, worst_again = 0;

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr(GArray) first_wall = series_new ();
      g_autoptr(GArray) first_cpu = series_new ();
      g_autoptr(GArray) ready_wall = series_new ();
      g_autoptr(GArray) ready_cpu = series_new ();
      g_autoptr(GArray) map_wall = series_new ();
      g_autoptr(GArray) wall = series_new ();
      g_autoptr(GArray) cpu = series_new ();
      g_autofree char *name = NULL;
      guint n_tiles = 0;
      gint64 snapshot_us;
      gint64 start, cpu_start;

      _tsr_theme_map_get_stats (tsr_themes_view_get_map (themes), &n_tiles, &snapshot_us);
      start = g_get_monotonic_time ();
      cpu_start = cpu_now ();
      tsr_window_show_view (bench->window, views[v]);
      series_add (first_wall, ms_between (start, wait_for_paint (bench)));
      series_add (first_cpu, ms_between (cpu_start, cpu_now ()));

      if (g_str_equal (views[v], "themes"))
        {
          if (!wait_until (bench, map_drawn, &n_tiles))
            g_print ("the theme map was not drawn in %d s\n", TIMEOUT_S);
          else
            series_add (map_wall, ms_between (start, bench->painted_at));
        }
      if (!wait_until (bench, view_ready, (gpointer) views[v]))
        g_print ("view %s: its numbers did not come in %d s\n", views[v], TIMEOUT_S);
      else
        {
          series_add (ready_wall, ms_between (start, wait_for_paint (bench)));
          series_add (ready_cpu, ms_between (cpu_start, cpu_now ()));
        }
      settle (bench, 3);

      name = g_strdup_printf ("switch to %s, %s, first visit: to first frame", views[v], bench->label);
      report (name, first_wall, first_cpu);
      g_clear_pointer (&name, g_free);
      if (map_wall->len > 0)
        {
          name = g_strdup_printf ("theme map, %s, first visit: to its first frame", bench->label);
          report (name, map_wall, NULL);
          g_clear_pointer (&name, g_free);
        }
      name = g_strdup_printf ("switch to %s, %s, first visit: to its numbers painted", views[v], bench->label);
      report (name, ready_wall, ready_cpu);
      g_clear_pointer (&name, g_free);
      worst_first = MAX (worst_first, series_median (first_wall));

      for (guint r = 0; r < n_runs; r++)
        {
          start = g_get_monotonic_time ();
          cpu_start = cpu_now ();
          tsr_window_show_view (bench->window, "code");
          series_add (back_wall, ms_between (start, wait_for_paint (bench)));
          series_add (back_cpu, ms_between (cpu_start, cpu_now ()));
          settle (bench, 3);

          start = g_get_monotonic_time ();
          cpu_start = cpu_now ();
          tsr_window_show_view (bench->window, views[v]);
          series_add (wall, ms_between (start, wait_for_paint (bench)));
          series_add (cpu, ms_between (cpu_start, cpu_now ()));
          wait_until (bench, view_ready, (gpointer) views[v]);
          settle (bench, 3);
        }
      name = g_strdup_printf ("switch to %s, %s, again: to first frame", views[v], bench->label);
      report (name, wall, cpu);
      worst_again = MAX (worst_again, series_median (wall));

      tsr_window_show_view (bench->window, "code");
      settle (bench, 3);
    }
  {
    g_autofree char *name = g_strdup_printf ("switch back to code, %s: to first frame", bench->label);

    report (name, back_wall, back_cpu);
  }

  if (bench->is_large)
    {
      goal ("view switch at L, first visit, slowest view (wall, median)", worst_first, "median",
            GOAL_VIEW_SWITCH_MS, "ms");
      goal ("view switch at L, later visits, slowest view (wall, median)", worst_again, "median",
            GOAL_VIEW_SWITCH_MS, "ms");
      goal ("view switch back to Code at L (wall)", series_median (back_wall), "median",
            GOAL_VIEW_SWITCH_MS, "ms");
    }
}

static int
run_window (const char *label,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  Bench bench = { 0, };
  double peak;

  gtk_init ();

  bench.label = label;
  bench.is_large = g_str_equal (label, "L");
  bench.app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (bench.app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (bench.app), NULL, &error))
    die ("register", error);
  g_settings_set_string (tsr_application_get_settings (bench.app), "coder-name", "Coder A");

  bench.window = tsr_window_new (bench.app);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);

  bench.reader = TSR_READER (gtk_widget_get_template_child (GTK_WIDGET (bench.window), TSR_TYPE_WINDOW, "reader"));
  bench.tree = TSR_CODE_TREE (gtk_widget_get_template_child (GTK_WIDGET (bench.window), TSR_TYPE_WINDOW, "code_tree"));
  bench.documents = TSR_DOCUMENT_LIST (gtk_widget_get_template_child (GTK_WIDGET (bench.window), TSR_TYPE_WINDOW, "document_list"));
  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (bench.clock, "after-paint", G_CALLBACK (on_after_paint_cb), &bench);
  g_signal_connect (bench.tree, "counts-updated", G_CALLBACK (on_tree_counts_updated_cb), &bench);
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));
  settle (&bench, 3);

  measure_set_project (&bench, path);

  if (!bench.is_large)
    {
      /* The transcript again, alone: reader and margin to the first frame. */
      g_autoptr(TsrDocument) document = g_object_ref (tsr_window_get_document (bench.window));
      g_autoptr(GArray) wall = series_new ();
      g_autoptr(GArray) cpu = series_new ();

      for (guint r = 0; r < n_runs; r++)
        {
          gint64 start, cpu_start;

          tsr_window_select_document (bench.window, NULL);
          settle (&bench, 3);
          start = g_get_monotonic_time ();
          cpu_start = cpu_now ();
          tsr_window_select_document (bench.window, document);
          series_add (wall, ms_between (start, wait_for_paint (&bench)));
          series_add (cpu, ms_between (cpu_start, cpu_now ()));
          settle (&bench, 3);
        }
      report ("open the 2 MB transcript with 20,000 passages in the reader, to first frame", wall, cpu);
    }

  if (only == NULL || strstr (only, "scroll") != NULL)
    measure_scrolling (&bench);
  if (only == NULL || strstr (only, "coding") != NULL)
    measure_coding (&bench);
  if (only == NULL || strstr (only, "views") != NULL)
    measure_views (&bench);

  peak = status_mb (0, "VmHWM:");
  g_print ("peak memory (%s, every view visited): VmHWM %.1f MB, VmRSS now %.1f MB\n",
           label, peak, status_mb (0, "VmRSS:"));
  if (bench.is_large)
    goal ("peak memory, L open and every view visited (VmHWM)", peak, "", GOAL_PEAK_MB, "MB");

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_clear_object (&bench.project);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&bench.app);
  return 0;
}

/* Runs the window part in a child, passing its output on and keeping its
 * goal lines. */
static void
run_window_child (const char *self_path,
                  const char *label,
                  const char *path,
                  GPtrArray  *goals)
{
  /* Its goal lines are gathered here, not printed twice. */
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *runs = g_strdup_printf ("--runs=%u", n_runs);
  char *line;

  {
    g_autofree char *only_arg = g_strdup_printf ("--only=%s", only ? only : "scroll,coding,views");

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                self_path, runs, only_arg, "--window-child", label, path, NULL);
  }
  if (process == NULL)
    die ("start the window part", error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)) != NULL)
    {
      g_print ("%s\n", line);
      if (g_str_has_prefix (line, "goal: "))
        g_ptr_array_add (goals, line);
      else
        g_free (line);
    }
  if (!g_subprocess_wait_check (process, NULL, &error))
    g_printerr ("the window part of %s failed: %s\n", label, error->message);
}

/* Main --------------------------------------------------------------- */

static char *
find_build_file (const char *self_dir,
                 const char *relative)
{
  /* The tools are built in build/tools; the app in build/src/app. */
  g_autofree char *top = g_path_get_dirname (self_dir);

  return g_build_filename (top, relative, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) goals = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *self_path = NULL;
  g_autofree char *self_dir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tessera = NULL;
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  char *dir_option = NULL;
  char *tessera_option = NULL;
  char *project_option = NULL;
  char *part_option = NULL;
  gboolean window_child = FALSE;
  gboolean made_dir = FALSE;
  gint runs = 5;
  const GOptionEntry entries[] = {
    { "project", 0, 0, G_OPTION_ARG_STRING, &project_option,
      "transcript, large or all (all)", "WHICH" },
    { "part", 0, 0, G_OPTION_ARG_STRING, &part_option, "launch, window or all (all)", "PART" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Launches, and repeats in the window (5)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option,
      "Keep the generated projects here for the next run (a new temporary folder)", "DIR" },
    { "tessera", 0, 0, G_OPTION_ARG_FILENAME, &tessera_option,
      "The tessera program to launch (the one built beside this program)", "PATH" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      "In the window, only some of scroll, coding and views (to profile them)", "WHAT" },
    { "window-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &window_child, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— time the Tessera app on large projects");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tsr-ui-benchmark: %s\n", error->message);
      return 2;
    }
  n_runs = MAX (1, runs);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_canonicalize_filename (argv[0], NULL);
  self_dir = g_path_get_dirname (self_path);

  /* The app's settings from the build tree, in memory (this program
   * leaves the user's alone), drawn by the cairo renderer unless told. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *schemas = find_build_file (self_dir, "data");

      g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  if (window_child)
    {
      if (argc != 3)
        {
          g_printerr ("tsr-ui-benchmark: --window-child LABEL PROJECT\n");
          return 2;
        }
      return run_window (argv[1], argv[2]);
    }

  if (dir_option != NULL)
    {
      dir = g_steal_pointer (&dir_option);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_printerr ("tsr-ui-benchmark: cannot create %s: %s\n", dir, g_strerror (errno));
          return 1;
        }
    }
  else
    {
      dir = g_dir_make_tmp ("tsr-ui-benchmark-XXXXXX", &error);
      if (dir == NULL)
        die ("temporary folder", error);
      made_dir = TRUE;
    }
  tessera = tessera_option ? g_steal_pointer (&tessera_option) : find_build_file (self_dir, "src/app/tessera");

  goal_lines = goals;
  load_before = read_load ();
  g_print ("tsr-ui-benchmark (Tessera %s): %u runs, %u processors, load average %s, GSK_RENDERER=%s\n",
           PACKAGE_VERSION, n_runs, g_get_num_processors (), load_before, g_getenv ("GSK_RENDERER"));

  for (guint p = 0; p < 2; p++)
    {
      const char *label = p == 0 ? "transcript" : "L";
      const char *which = project_option ? project_option : "all";
      g_autofree char *kept = g_build_filename (dir, p == 0 ? "transcript.tessera" : "large.tessera", NULL);
      g_autofree char *copy = g_build_filename (dir, p == 0 ? "transcript-run.tessera" : "large-run.tessera", NULL);
      const char *part = part_option ? part_option : "all";

      if (!g_str_equal (which, "all") && !g_str_equal (which, p == 0 ? "transcript" : "large"))
        continue;

      if (!g_file_test (kept, G_FILE_TEST_EXISTS))
        {
          if (p == 0)
            generate_transcript (kept);
          else
            generate_large (kept, self_dir);
        }

      g_print ("\n== %s project ==\n", p == 0 ? "transcript (1 document of 2 MB, 20,000 passages, 2,000 codes)"
                                              : "L (10,000 documents, 1,000,000 passages, 200 codes, 40 themes)");

      if (g_str_equal (part, "all") || g_str_equal (part, "launch"))
        {
          copy_project (kept, copy);
          run_launches (label, tessera, copy, p == 1);
        }
      if (g_str_equal (part, "all") || g_str_equal (part, "window"))
        {
          /* Coding acts and the coder who makes them: on a copy. */
          g_autoptr(TsrProject) project = NULL;
          g_autoptr(TsrCoder) coder = NULL;

          copy_project (kept, copy);
          if ((project = tsr_project_open (copy, &error)) == NULL ||
              (coder = tsr_project_ensure_coder (project, "Coder A", &error)) == NULL ||
              !tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (coder)), &error) ||
              !tsr_project_close (project, &error))
            die ("prepare the copy", error);

          /* Pass the goal lines on */
          run_window_child (self_path, label, copy, goals);
        }
      remove_project (copy);
    }

  load_after = read_load ();
  g_print ("\n== goals (issue 20); load average before %s, after %s ==\n", load_before, load_after);
  for (guint i = 0; i < goals->len; i++)
    g_print ("%s\n", (char *) goals->pdata[i]);

  if (made_dir)
    {
      g_autofree char *transcript = g_build_filename (dir, "transcript.tessera", NULL);
      g_autofree char *large = g_build_filename (dir, "large.tessera", NULL);

      remove_project (transcript);
      remove_project (large);
      g_rmdir (dir);
    }
  return 0;
}
