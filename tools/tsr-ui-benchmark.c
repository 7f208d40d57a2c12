/* tsr-ui-benchmark.c — times the coding view's real widgets
 *
 * Builds a project with one 2 MB transcript carrying 20,000 coded
 * passages and a codebook of 2,000 codes, opens it in a real window, and
 * measures what DESIGN §7 and the coding view promise:
 *
 *   - opening the transcript in the reader, to its first painted frame;
 *   - frame times while the reader scrolls through it, and while the
 *     code tree scrolls through the 2,000 codes (each frame: the scroll,
 *     the layout and the paint, timed with the frame clock);
 *   - selecting text (selection set to frame painted);
 *   - a coding act: from applying a code to the code tree showing the
 *     new count.
 *
 * Run it under a display (xvfb-run); each figure is printed on its own
 * line as `name: value unit`.  Wall times include waiting for the CPU on
 * a busy machine and the renderer's rasterising (software under Xvfb);
 * the main thread's CPU time per frame is printed beside them, as the
 * steadier figure of what the widgets themselves cost.  It is a
 * program, not a timed test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include "tessera.h"
#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-reader.h"
#include "tsr-window.h"

#define TEXT_CHARS    2000000
#define N_SEGMENTS    20000
#define N_CODES       2000
#define N_USED_CODES  200
#define SCROLL_FRAMES 240

static const char * const words[] = {
  "the", "patient", "ward", "we", "clapped", "nurse", "family", "and", "was", "quiet",
  "cried", "together", "doctor", "she", "he", "felt", "seen", "small", "gesture", "mattered",
  "team", "night", "shift", "hands", "held", "kindness", "months", "home", "leaving", "corridor",
  "café", "naïve", "ψυχή", "希望", "🙂",
};

typedef struct
{
  TsrWindow     *window;
  TsrReader     *reader;
  TsrCodeTree   *tree;
  GdkFrameClock *clock;
  gint64         painted_at;
  guint          n_paints;
} Bench;

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

static void
report_frames (const char *name,
               GArray     *frames)
{
  double *v = (double *) frames->data;
  guint n = frames->len;
  guint over = 0;

  g_array_sort (frames, compare_doubles);
  for (guint i = 0; i < n; i++)
    over += v[i] > 16.7;

  g_print ("%s frames: %u\n", name, n);
  g_print ("%s frame time median: %.2f ms\n", name, v[n / 2]);
  g_print ("%s frame time p95: %.2f ms\n", name, v[(guint) (n * 0.95)]);
  g_print ("%s frame time max: %.2f ms\n", name, v[n - 1]);
  g_print ("%s frames over 16.7 ms: %u of %u\n", name, over, n);
}

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("%s: %s\n", what, error ? error->message : "failed");
  exit (1);
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

static char *
generate (const char *dir,
          gint64     *document_id)
{
  g_autofree char *path = g_build_filename (dir, "ui-bench.tessera", NULL);
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) a = NULL;
  g_autoptr(TsrCoder) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autofree char *text = NULL;
  guint length;
  gint64 start = g_get_monotonic_time ();

  project = tsr_project_create (path, &error);
  if (project == NULL)
    die ("create", error);
  tsr_project_set_history_enabled (project, FALSE);

  a = tsr_project_ensure_coder (project, "Coder A", &error);
  b = tsr_project_ensure_coder (project, "Coder B", &error);
  if (a == NULL || b == NULL)
    die ("coders", error);
  tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (a)), NULL);

  text = make_text (rand, TEXT_CHARS, &length);
  *document_id = tsr_project_add_document (project, "Long transcript", text, NULL, &error);
  if (*document_id == 0)
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

      if (tsr_project_add_segment_for_coder (project, *document_id, code, coder, s, s + span, &error) == 0)
        die ("segment", error);
    }
  if (!tsr_project_end_group (project, &error))
    die ("coding", error);

  if (!tsr_project_close (project, &error))
    die ("close", error);

  g_print ("generated: 1 document of %u characters (%.1f MB), %u codes, %u coded passages in %.1f s\n",
           length, strlen (text) / (1024.0 * 1024.0), N_CODES, N_SEGMENTS,
           ms_between (start, g_get_monotonic_time ()) / 1000.0);

  return g_steal_pointer (&path);
}

/* Frames ------------------------------------------------------------- */

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *bench)
{
  bench->painted_at = g_get_monotonic_time ();
  bench->n_paints++;
}

/* Runs the main loop until a frame is painted after @since. */
static gint64
wait_for_paint (Bench *bench)
{
  guint n = bench->n_paints;

  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  while (bench->n_paints == n)
    g_main_context_iteration (NULL, TRUE);

  return bench->painted_at;
}

static void
settle (Bench *bench,
        guint  frames)
{
  for (guint i = 0; i < frames; i++)
    wait_for_paint (bench);
}

/* Scrolls @adjustment from top to bottom over SCROLL_FRAMES frames,
 * timing each from the change to its frame painted. */
static GArray *
scroll_frames (Bench         *bench,
               GtkAdjustment *adjustment,
               GArray        *cpu)
{
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (double));
  double range = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  for (guint i = 1; i <= SCROLL_FRAMES; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 cpu_start = cpu_now ();
      double ms;

      gtk_adjustment_set_value (adjustment, range * i / SCROLL_FRAMES);
      ms = ms_between (start, wait_for_paint (bench));
      g_array_append_val (frames, ms);
      ms = ms_between (cpu_start, cpu_now ());
      g_array_append_val (cpu, ms);
    }

  return frames;
}

static void
on_counts_updated_cb (TsrCodeTree *tree,
                      gint64      *updated_at)
{
  *updated_at = g_get_monotonic_time ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsrApplication) app = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  Bench bench = { 0, };
  gint64 document_id = 0;
  gint64 start;

  setlocale (LC_ALL, "");
  gtk_init ();

  dir = g_dir_make_tmp ("tessera-ui-bench-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);
  /* $TSR_UI_BENCH_KEEP keeps the generated project there for the next
   * run (profiling the widgets without generating again). */
  if (g_getenv ("TSR_UI_BENCH_KEEP") != NULL &&
      g_file_test (g_getenv ("TSR_UI_BENCH_KEEP"), G_FILE_TEST_EXISTS))
    {
      g_autoptr(TsrProject) kept = tsr_project_open (g_getenv ("TSR_UI_BENCH_KEEP"), &error);
      g_autoptr(TsrDocument) first = NULL;
      g_autoptr(GListModel) documents = NULL;

      if (kept == NULL)
        die ("open the kept project", error);
      documents = tsr_project_get_documents (kept);
      first = g_list_model_get_item (documents, 0);
      document_id = tsr_entity_get_id (TSR_ENTITY (first));
      tsr_project_close (kept, NULL);
      path = g_strdup (g_getenv ("TSR_UI_BENCH_KEEP"));
    }
  else
    {
      path = generate (dir, &document_id);
      if (g_getenv ("TSR_UI_BENCH_KEEP") != NULL)
        {
          g_autoptr(GFile) from = g_file_new_for_path (path);
          g_autoptr(GFile) to = g_file_new_for_path (g_getenv ("TSR_UI_BENCH_KEEP"));

          g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
        }
    }

  app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    die ("register", error);
  /* Half the passages are this coder's own. */
  g_settings_set_string (tsr_application_get_settings (app), "coder-name", "Coder A");

  bench.window = tsr_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (bench.window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);

  bench.reader = TSR_READER (gtk_widget_get_template_child (GTK_WIDGET (bench.window), TSR_TYPE_WINDOW, "reader"));
  bench.tree = TSR_CODE_TREE (gtk_widget_get_template_child (GTK_WIDGET (bench.window), TSR_TYPE_WINDOW, "code_tree"));
  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (bench.clock, "after-paint", G_CALLBACK (on_after_paint_cb), &bench);
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));

  /* The project opens with the transcript in the reader. */
  start = g_get_monotonic_time ();
  project = tsr_project_open (path, &error);
  if (project == NULL)
    die ("open", error);
  if (!tsr_window_set_project (bench.window, project, &error))
    die ("show", error);
  g_print ("open project with the transcript shown (to first frame): %.1f ms\n",
           ms_between (start, wait_for_paint (&bench)));
  settle (&bench, 5);

  /* The transcript again, alone: reader and margin to the first frame. */
  document = tsr_project_lookup_document (project, document_id);
  tsr_window_select_document (bench.window, NULL);
  settle (&bench, 3);
  {
    gint64 cpu_start = cpu_now ();

    start = g_get_monotonic_time ();
    tsr_window_select_document (bench.window, document);
    g_print ("open the 2 MB transcript with %u passages (to first frame): %.1f ms\n",
             N_SEGMENTS, ms_between (start, wait_for_paint (&bench)));
    g_print ("open the 2 MB transcript, main thread CPU: %.1f ms\n", ms_between (cpu_start, cpu_now ()));
  }
  g_print ("passages shown: %u in %u lanes\n",
           tsr_reader_get_n_visible_segments (bench.reader), tsr_reader_get_n_lanes (bench.reader));
  settle (&bench, 5);

  /* Scrolling the transcript from top to bottom. */
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (bench.reader));
    g_autoptr(GArray) frames = NULL;
    g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));

    /* The text view lays out lazily: the first pass pays for it. */
    frames = scroll_frames (&bench, adjustment, cpu);
    report_frames ("reader scroll (first pass)", frames);
    report_frames ("reader scroll (first pass), CPU", cpu);
    g_clear_pointer (&frames, g_array_unref);
    g_array_set_size (cpu, 0);
    gtk_adjustment_set_value (adjustment, 0);
    settle (&bench, 3);
    frames = scroll_frames (&bench, adjustment, cpu);
    report_frames ("reader scroll", frames);
    report_frames ("reader scroll, CPU", cpu);
    gtk_adjustment_set_value (adjustment, 0);
    settle (&bench, 3);
  }

  /* Selecting text across the transcript. */
  {
    g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < 40; i++)
      {
        guint at = (guint) ((double) TEXT_CHARS * i / 40);
        double ms;

        start = g_get_monotonic_time ();
        tsr_reader_select_range (bench.reader, at, at + 300);
        ms = ms_between (start, wait_for_paint (&bench));
        g_array_append_val (frames, ms);
      }
    report_frames ("select text", frames);
  }

  /* Scrolling the 2,000 codes, every group open. */
  {
    GtkListView *list = tsr_code_tree_get_list_view (bench.tree);
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
    GListModel *rows = tsr_code_tree_get_model (bench.tree);
    g_autoptr(GArray) frames = NULL;
    g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);

        gtk_tree_list_row_set_expanded (row, TRUE);
      }
    settle (&bench, 5);
    g_print ("code tree rows: %u\n", g_list_model_get_n_items (rows));

    frames = scroll_frames (&bench, adjustment, cpu);
    report_frames ("code tree scroll", frames);
    report_frames ("code tree scroll, CPU", cpu);
    gtk_adjustment_set_value (adjustment, 0);
    settle (&bench, 3);
  }

  /* Coding acts: from applying a code to the tree showing the count. */
  {
    g_autoptr(GArray) apply = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
    gint64 updated_at = 0;
    gulong handler;

    handler = g_signal_connect (bench.tree, "counts-updated", G_CALLBACK (on_counts_updated_cb), &updated_at);
    tsr_project_set_history_enabled (project, TRUE);

    for (guint i = 0; i < 10; i++)
      {
        gint64 code_id = tsr_entity_get_id (TSR_ENTITY (codes->pdata[(i * 37) % codes->len]));
        gint64 applied, painted;
        double ms;

        tsr_reader_select_range (bench.reader, 1000 + i * 5000, 1200 + i * 5000);
        settle (&bench, 2);
        tsr_code_tree_select_code (bench.tree, code_id);
        settle (&bench, 2);

        updated_at = 0;
        start = g_get_monotonic_time ();
        {
          gint64 cpu_start = cpu_now ();
        if (tsr_reader_code_selection (bench.reader, code_id, &error) == 0)
          die ("code", error);
        applied = g_get_monotonic_time ();
        while (updated_at == 0)
          g_main_context_iteration (NULL, TRUE);
        painted = wait_for_paint (&bench);

        ms = ms_between (start, applied);
        g_array_append_val (apply, ms);
        ms = ms_between (start, MAX (painted, updated_at));
        g_array_append_val (shown, ms);
        ms = ms_between (cpu_start, cpu_now ());
        g_array_append_val (cpu, ms);
        }
      }

    g_signal_handler_disconnect (bench.tree, handler);
    report_frames ("coding act (store and reader updated)", apply);
    report_frames ("coding act to the new count painted", shown);
    report_frames ("coding act to the new count painted, CPU", cpu);
  }

  {
    g_autoptr(TsrCounts) counts = NULL;
    g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);

    start = g_get_monotonic_time ();
    counts = tsr_project_compute_counts (project, scope, NULL, &error);
    g_print ("count all codes once (synchronously): %.2f ms\n", ms_between (start, g_get_monotonic_time ()));
  }

  g_object_ref (bench.window);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_object_unref (bench.window);
  g_clear_object (&project);

  if (g_getenv ("TSR_UI_BENCH_KEEP") == NULL)
  {
    static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

        g_unlink (name);
      }
    g_rmdir (dir);
  }

  return 0;
}
