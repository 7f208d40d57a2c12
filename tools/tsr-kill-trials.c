/* tsr-kill-trials.c — kill a busy editor and check that nothing was lost
 *
 * Each trial creates a project, starts a child process that makes a
 * seeded, endless mix of edits (coding, uncoding, new codes, renames,
 * colours, memos, themes, undo and redo) and prints the number of each
 * edit as soon as the core has returned it, and kills the child with
 * SIGKILL at a random moment.  The project must then pass SQLite's
 * integrity check, and its content must equal a replay of exactly the
 * edits the child acknowledged, or of one more (the edit in flight may
 * have committed before its acknowledgement was printed).  Anything else
 * counts as lost edits.
 *
 *   tsr-kill-trials [--trials N] [--seed S]
 *
 * prints one line per trial and ends with "N intact of N, edits lost: L";
 * the exit status is 0 only when every trial is intact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tessera.h"

#define DOCUMENT_LENGTH 2000

/* Setting up ---------------------------------------------------------- */

static TsrProject *
create_project (const char  *path,
                GError     **error)
{
  g_autoptr(TsrProject) project = tsr_project_create (path, error);
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *text = NULL;
  GString *s = g_string_new (NULL);

  if (project == NULL)
    return NULL;
  while (s->len < DOCUMENT_LENGTH)
    g_string_append (s, "We sat with her in the family room and nobody spoke. ");
  g_string_truncate (s, DOCUMENT_LENGTH);
  text = g_string_free (s, FALSE);

  if ((coder = tsr_project_confirm_coder (project, "Ada", error)) == NULL ||
      tsr_project_add_document (project, "Interview", text, NULL, error) == 0 ||
      tsr_project_create_code (project, 0, "Presence", NULL, NULL, error) == 0 ||
      tsr_project_create_code (project, 0, "Silence", NULL, NULL, error) == 0 ||
      tsr_project_create_code (project, 0, "Family", NULL, NULL, error) == 0)
    return NULL;
  return g_steal_pointer (&project);
}

/* The edits ------------------------------------------------------------ */

static TsrCode *
pick_code (TsrProject *project,
           GRand      *rand)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);

  if (codes->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (codes, g_rand_int_range (rand, 0, codes->len)));
}

static gint64
document_id (TsrProject *project)
{
  g_autoptr(TsrDocument) document = tsr_project_find_document (project, "Interview");

  return tsr_entity_get_id (TSR_ENTITY (document));
}

/* Makes edit number @step, chosen by @rand from the project's state.  An
 * edit the core refuses (an undo with nothing to undo, a rename onto a
 * name in use) is part of the sequence too: it must leave no trace. */
static void
make_edit (TsrProject *project,
           GRand      *rand,
           guint       step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCode) code = pick_code (project, rand);
  gint64 code_id = code != NULL ? tsr_entity_get_id (TSR_ENTITY (code)) : 0;
  guint op = g_rand_int_range (rand, 0, 100);

  if (op < 40)
    {
      guint start = g_rand_int_range (rand, 0, DOCUMENT_LENGTH - 40);

      tsr_project_add_segment (project, document_id (project), code_id,
                               start, start + g_rand_int_range (rand, 1, 40), &error);
    }
  else if (op < 50)
    {
      g_autoptr(GListModel) segments = tsr_project_get_segments (project, document_id (project));
      guint n = g_list_model_get_n_items (segments);

      if (n > 0)
        {
          g_autoptr(TsrSegment) segment = g_list_model_get_item (segments, g_rand_int_range (rand, 0, n));

          tsr_project_remove_segment (project, tsr_entity_get_id (TSR_ENTITY (segment)), &error);
        }
    }
  else if (op < 58)
    {
      g_autofree char *name = g_strdup_printf ("Code %u", step);

      tsr_project_create_code (project, g_rand_boolean (rand) ? code_id : 0, name, NULL, NULL, &error);
    }
  else if (op < 64)
    {
      g_autofree char *name = g_strdup_printf ("Renamed %u", g_rand_int_range (rand, 0, 50));

      tsr_project_rename_code (project, code_id, name, &error);
    }
  else if (op < 68)
    {
      static const char *colors[] = { "#e01b24", "#2ec27e", "#3584e4", "#f6d32d" };

      tsr_project_set_code_color (project, code_id, colors[g_rand_int_range (rand, 0, 4)], &error);
    }
  else if (op < 74)
    {
      g_autofree char *memo = g_strdup_printf ("Memo written at edit %u.", step);

      tsr_project_set_memo (project, TSR_MEMO_CODE, code_id, memo, &error);
    }
  else if (op < 78)
    {
      g_autofree char *name = g_strdup_printf ("Theme %u", step);

      tsr_project_create_theme (project, 0, name, &error);
    }
  else if (op < 84)
    {
      g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);

      if (themes->len > 0)
        {
          TsrTheme *theme = g_ptr_array_index (themes, g_rand_int_range (rand, 0, themes->len));

          tsr_project_add_code_to_theme (project, tsr_entity_get_id (TSR_ENTITY (theme)), code_id, &error);
        }
    }
  else if (op < 94)
    tsr_project_undo (project, &error);
  else
    tsr_project_redo (project, &error);
}

static int
run_child (const char *path,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = tsr_project_open (path, &error);
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  if (project == NULL || (coder = tsr_project_confirm_coder (project, "Ada", &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint step = 0; ; step++)
    {
      make_edit (project, rand, step);
      printf ("%u\n", step + 1);
      fflush (stdout);
    }
}

/* What a project holds ------------------------------------------------ */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
append_sorted (GString   *out,
               GPtrArray *lines)
{
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
}

/* Everything the edits touch, by name and position rather than by id, so
 * that two projects made by the same edits compare equal. */
static char *
describe (TsrProject *project)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  g_autoptr(GListModel) segments = tsr_project_get_segments (project, document_id (project));
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = g_ptr_array_index (codes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));

      g_hash_table_insert (names, g_memdup2 (&id, sizeof id), (gpointer) tsr_code_get_name (code));
    }
  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = g_ptr_array_index (codes, i);
      gint64 parent = tsr_code_get_parent_id (code);
      g_autofree char *memo = tsr_project_get_memo (project, TSR_MEMO_CODE, tsr_entity_get_id (TSR_ENTITY (code)));

      g_ptr_array_add (lines, g_strdup_printf ("code %s < %s %s memo=%s", tsr_code_get_name (code),
                                               parent ? (const char *) g_hash_table_lookup (names, &parent) : "-",
                                               tsr_code_get_color (code), memo ? memo : ""));
    }
  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(TsrSegment) segment = g_list_model_get_item (segments, i);
      gint64 code_id = tsr_segment_get_code_id (segment);

      g_ptr_array_add (lines, g_strdup_printf ("passage %u-%u %s", tsr_segment_get_start (segment),
                                               tsr_segment_get_end (segment),
                                               (const char *) g_hash_table_lookup (names, &code_id)));
    }
  for (guint i = 0; i < themes->len; i++)
    {
      TsrTheme *theme = g_ptr_array_index (themes, i);
      g_autoptr(GArray) ids = tsr_project_get_theme_codes (project, tsr_entity_get_id (TSR_ENTITY (theme)));
      g_autoptr(GPtrArray) members = g_ptr_array_new ();
      g_autofree char *joined = NULL;

      for (guint j = 0; j < ids->len; j++)
        g_ptr_array_add (members, g_hash_table_lookup (names, &g_array_index (ids, gint64, j)));
      g_ptr_array_sort (members, compare_strings);
      g_ptr_array_add (members, NULL);
      joined = g_strjoinv (",", (char **) members->pdata);
      g_ptr_array_add (lines, g_strdup_printf ("theme %s: %s", tsr_theme_get_name (theme), joined));
    }
  append_sorted (out, lines);
  return g_string_free (out, FALSE);
}

/* One trial ------------------------------------------------------------- */

typedef struct
{
  guint    acknowledged;
  gboolean intact;
  guint    lost;
  gboolean in_flight_committed;
  char    *problem;
} Trial;

static gboolean
run_trial (const char  *self_path,
           const char  *dir,
           guint32      seed,
           guint        kill_after,
           Trial       *trial,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "trial.tessera", NULL);
  g_autofree char *replay_path = g_build_filename (dir, "replay.tessera", NULL);
  g_autofree char *seed_arg = g_strdup_printf ("%u", seed);
  const char *argv[] = { self_path, "--child", path, seed_arg, NULL };
  g_autofree char *killed = NULL;
  g_autoptr(GRand) rand = NULL;
  char line[64];
  GPid pid;
  int out_fd;
  FILE *out;

  memset (trial, 0, sizeof *trial);
  {
    g_autoptr(TsrProject) project = create_project (path, error);

    if (project == NULL || !tsr_project_close (project, error))
      return FALSE;
  }
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, error))
    return FALSE;
  out = fdopen (out_fd, "r");
  while (trial->acknowledged < kill_after && fgets (line, sizeof line, out) != NULL)
    trial->acknowledged = strtoul (line, NULL, 10);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  /* Lines already written before the kill were acknowledged too. */
  while (fgets (line, sizeof line, out) != NULL)
    trial->acknowledged = strtoul (line, NULL, 10);
  fclose (out);

  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(TsrProject) project = tsr_project_open (path, &local_error);

    if (project == NULL || !tsr_project_check_integrity (project, &local_error))
      {
        trial->problem = g_strdup_printf ("the killed project does not open intact: %s", local_error->message);
        trial->lost = trial->acknowledged;
        return TRUE;
      }
    killed = describe (project);
    tsr_project_close (project, NULL);
  }

  /* Replays the same edits on a new project, comparing after each. */
  {
    g_autoptr(TsrProject) replay = create_project (replay_path, error);
    g_autoptr(TsrCoder) coder = NULL;
    guint matched = G_MAXUINT;

    if (replay == NULL)
      return FALSE;
    rand = g_rand_new_with_seed (seed);
    for (guint step = 0; step <= trial->acknowledged + 1; step++)
      {
        g_autofree char *state = describe (replay);

        if (g_str_equal (state, killed))
          matched = step;
        if (step <= trial->acknowledged)
          make_edit (replay, rand, step);
      }
    tsr_project_close (replay, NULL);
    g_unlink (replay_path);

    if (matched == trial->acknowledged || matched == trial->acknowledged + 1)
      {
        trial->intact = TRUE;
        trial->in_flight_committed = matched == trial->acknowledged + 1;
      }
    else
      {
        trial->lost = matched == G_MAXUINT ? trial->acknowledged : trial->acknowledged - matched;
        trial->problem = g_strdup (matched == G_MAXUINT
                                   ? "its content matches no replay of the acknowledged edits"
                                   : "it holds fewer edits than were acknowledged");
      }
  }

  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *self_path = NULL;
  g_autoptr(GRand) rand = NULL;
  int trials = 20;
  gint64 seed = 1;
  guint intact = 0, lost = 0;
  GOptionEntry entries[] = {
    { "trials", 'n', 0, G_OPTION_ARG_INT, &trials, "How many trials to run (20)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "The first trial's seed (1)", "S" },
    { NULL }
  };

  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], (guint32) g_ascii_strtoull (argv[3], NULL, 10));

  context = g_option_context_new ("— kill a busy editor and check that no acknowledged edit is lost");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || trials < 1)
    {
      g_printerr ("%s\n", error ? error->message : "--trials must be 1 or more");
      return 2;
    }

  self_path = g_file_read_link ("/proc/self/exe", &error);
  dir = g_dir_make_tmp ("tsr-kill-XXXXXX", &error);
  if (self_path == NULL || dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  rand = g_rand_new_with_seed ((guint32) seed);

  for (int t = 0; t < trials; t++)
    {
      Trial trial;
      guint kill_after = g_rand_int_range (rand, 20, 400);

      if (!run_trial (self_path, dir, (guint32) (seed + t), kill_after, &trial, &error))
        {
          g_printerr ("trial %d: %s\n", t + 1, error->message);
          return 2;
        }
      if (trial.intact)
        intact++;
      lost += trial.lost;
      printf ("trial %d (seed %" G_GINT64_FORMAT "): killed after %u acknowledged edits%s: %s\n",
              t + 1, seed + t, trial.acknowledged,
              trial.in_flight_committed ? " (the edit in flight had committed)" : "",
              trial.intact ? "intact" : trial.problem);
      g_free (trial.problem);
    }
  g_rmdir (dir);
  printf ("%u intact of %d, edits lost: %u\n", intact, trials, lost);
  return intact == (guint) trials ? 0 : 1;
}
