/* test-cli.c — tessera-cli as a script sees it: output, messages, exit status
 *
 * The binary comes from $TESSERA_CLI.  One small project is built through
 * the CLI; themes, a case and an attribute (which the CLI does not edit)
 * are added through the library; the expected tables are worked out by
 * hand in the comments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char *dir;
  char *project;
} Fixture;

/* Runs the CLI with @args (NULL-terminated) in the C locale, with
 * $TESSERA_CODER set to @env_coder or unset.  run_cli () sets it to "Ada"
 * so that no edit falls back to the user's real name, which would add a
 * third coder to the project. */
static void
run_cli_v (TsrTestRun  *r,
           const char  *env_coder,
           const char  *first,
           va_list      args)
{
  g_auto(GStrv) envp = g_get_environ ();

  envp = g_environ_setenv (envp, "LC_ALL", "C", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  if (env_coder != NULL)
    envp = g_environ_setenv (envp, "TESSERA_CODER", env_coder, TRUE);
  else
    envp = g_environ_unsetenv (envp, "TESSERA_CODER");

  tsr_test_run_cli_v (r, envp, first, args);
}

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  va_list args;

  va_start (args, first);
  run_cli_v (r, "Ada", first, args);
  va_end (args);
}

static void
run_cli_env (TsrTestRun *r,
             const char *env_coder,
             const char *first,
             ...)
{
  va_list args;

  va_start (args, first);
  run_cli_v (r, env_coder, first, args);
  va_end (args);
}

#define assert_success(r)                       \
  G_STMT_START {                                \
    g_assert_cmpstr ((r)->err, ==, "");         \
    g_assert_cmpint ((r)->status, ==, 0);       \
  } G_STMT_END

#define assert_failure(r, code, message)                              \
  G_STMT_START {                                                      \
    g_assert_cmpint ((r)->status, ==, code);                          \
    g_assert_true (g_str_has_prefix ((r)->err, "tessera-cli: "));     \
    g_assert_nonnull (strstr ((r)->err, message));                    \
  } G_STMT_END

static char *
write_file (Fixture    *f,
            const char *name,
            const char *data,
            gssize      length)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (g_getenv ("TESSERA_CLI") == NULL)
    {
      g_test_skip ("TESSERA_CLI is not set");
      return;
    }
  f->dir = g_dir_make_tmp ("tessera-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->dir, "pilot.tessera", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir != NULL)
    tsr_test_remove_tree (f->dir);
  g_free (f->project);
  g_free (f->dir);
}

/* The small project
 * -----------------
 * Documents (4 in scope, the empty file is refused):
 *   1 alpha  "We stood together as a team.\r\nEveryone helped."  45 characters
 *   2 beta   "# Notes\n\nKindness *matters*.\n"                    29
 *   3 gamma  "Caf\xe9 talk\x85\n" (Windows-1252) = "Café talk…\n"       11
 *   4 delta  "Laughter 😀 helps.\n"                                 18
 * Codes: Support, Support/Peers, Care, Humour.
 * Segments:
 *   Ada  alpha Support/Peers 3–8 "stood"     Ben  alpha Care 0–2 "We"
 *   Ada  alpha Care 29–37 "Everyone"         Ben  delta Humour 9–10 "😀"
 *   Ada  beta  Care 9–17 "Kindness"          Ben  beta  Support/Peers 0–1 "#"
 *   Ada  gamma Support 0–4 "Café"            Ben  delta Care 0–8 "Laughter"
 */
static void
build_project (Fixture *f)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *alpha = write_file (f, "alpha.txt", "We stood together as a team.\r\nEveryone helped.", -1);
  g_autofree char *beta = write_file (f, "beta.md", "# Notes\n\nKindness *matters*.\n", -1);
  g_autofree char *empty = write_file (f, "empty.txt", "", 0);
  g_autofree char *gamma = write_file (f, "gamma.txt", "Caf\xe9 talk\x85\n", -1);
  g_autofree char *delta = write_file (f, "delta.txt", "Laughter \xf0\x9f\x98\x80 helps.\n", -1);
  g_autofree char *wal = g_strconcat (f->project, "-wal", NULL);
  run_cli (&r, "new", f->project, "--title", "Pilot study", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_file_test (f->project, G_FILE_TEST_IS_REGULAR));
  tsr_test_run_clear (&r);

  /* The empty file is reported, the others still imported: exit 1. */
  run_cli (&r, "--coder", "Ada", "import", f->project, alpha, beta, empty, gamma, delta, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==,
                   "1\talpha\t45\n"
                   "2\tbeta\t29\n"
                   "3\tgamma\t11\n"
                   "4\tdelta\t18\n");
  assert_failure (&r, 1, "empty.txt");
  g_assert_nonnull (strstr (r.err, "is empty"));
  tsr_test_run_clear (&r);

  run_cli (&r, "add-code", f->project, "Support", "--color", "#111111", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "1\n");
  tsr_test_run_clear (&r);
  run_cli (&r, "add-code", f->project, "Support/Peers", "--color", "#33aa55",
           "--definition", "Colleagues\tand friends", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "2\n");
  tsr_test_run_clear (&r);
  run_cli (&r, "add-code", f->project, "Care", "-c", "#222222", "-d", "Acts of care", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli (&r, "add-code", f->project, "Humour", "--color=#333333", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);

  /* Ada by the global option, even with $TESSERA_CODER saying Ben. */
  run_cli_env (&r, "Ben", "--coder", "Ada", "code", f->project, "alpha", "Support/Peers", "3", "8", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "1\n");
  tsr_test_run_clear (&r);
  run_cli (&r, "--coder=Ada", "code", f->project, "alpha", "Care", "29", "37", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  /* A document by id. */
  run_cli (&r, "--coder", "Ada", "code", f->project, "2", "Care", "9", "17", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  /* The command's --coder wins over the global one. */
  run_cli (&r, "--coder", "Ben", "code", f->project, "gamma", "Support", "0", "4", "--coder", "Ada", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);

  run_cli (&r, "code", "--coder", "Ben", f->project, "alpha", "Care", "0", "2", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli (&r, "code", f->project, "delta", "Humour", "9", "10", "--coder", "Ben", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli (&r, "code", f->project, "beta", "Support/Peers", "0", "1", "--coder", "Ben", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  /* Ben from $TESSERA_CODER. */
  run_cli_env (&r, "Ben", "code", f->project, "delta", "Care", "0", "8", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "8\n");
  tsr_test_run_clear (&r);

  /* Every command closed the project cleanly: one file, no log. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* Adds what the CLI does not edit: themes, a case, an attribute.
 *   Solidarity  [Support]       Compassion [Care]
 *     Togetherness [Humour]     Old idea [Humour] (discarded)
 *   case "Dyad A" = alpha, delta; case "Dyad B" has no documents
 *   role: alpha = nurse, beta = nurse, gamma = physician */
static void
add_themes_and_scope (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = tsr_project_open (f->project, &error);
  g_autoptr(TsrCode) support = NULL;
  g_autoptr(TsrCode) care = NULL;
  g_autoptr(TsrCode) humour = NULL;
  g_autoptr(TsrDocument) alpha = NULL;
  g_autoptr(TsrDocument) beta = NULL;
  g_autoptr(TsrDocument) gamma = NULL;
  g_autoptr(TsrDocument) delta = NULL;
  gint64 solidarity, together, compassion, old, dyad, role;

  g_assert_no_error (error);
  g_assert_cmpstr (tsr_project_get_title (p), ==, "Pilot study");

  support = tsr_project_find_code (p, "Support");
  care = tsr_project_find_code (p, "Care");
  humour = tsr_project_find_code (p, "Humour");
  alpha = tsr_project_find_document (p, "alpha");
  beta = tsr_project_find_document (p, "beta");
  gamma = tsr_project_find_document (p, "gamma");
  delta = tsr_project_find_document (p, "delta");
  g_assert_true (support && care && humour && alpha && beta && gamma && delta);

  solidarity = tsr_project_create_theme (p, 0, "Solidarity", &error);
  together = tsr_project_create_theme (p, solidarity, "Togetherness", &error);
  compassion = tsr_project_create_theme (p, 0, "Compassion", &error);
  old = tsr_project_create_theme (p, 0, "Old idea", &error);
  g_assert_no_error (error);
  tsr_project_add_code_to_theme (p, solidarity, tsr_entity_get_id (TSR_ENTITY (support)), &error);
  tsr_project_add_code_to_theme (p, together, tsr_entity_get_id (TSR_ENTITY (humour)), &error);
  tsr_project_add_code_to_theme (p, compassion, tsr_entity_get_id (TSR_ENTITY (care)), &error);
  tsr_project_add_code_to_theme (p, old, tsr_entity_get_id (TSR_ENTITY (humour)), &error);
  tsr_project_set_theme_status (p, old, TSR_THEME_DISCARDED, &error);
  g_assert_no_error (error);

  tsr_project_create_case (p, "Dyad B", &error);
  dyad = tsr_project_create_case (p, "Dyad A", &error);
  tsr_project_set_case_membership (p, dyad, tsr_entity_get_id (TSR_ENTITY (alpha)), TRUE, &error);
  tsr_project_set_case_membership (p, dyad, tsr_entity_get_id (TSR_ENTITY (delta)), TRUE, &error);
  role = tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "role", TSR_ATTRIBUTE_TEXT, &error);
  tsr_project_set_attribute_value (p, role, tsr_entity_get_id (TSR_ENTITY (alpha)), "nurse", &error);
  tsr_project_set_attribute_value (p, role, tsr_entity_get_id (TSR_ENTITY (beta)), "nurse", &error);
  tsr_project_set_attribute_value (p, role, tsr_entity_get_id (TSR_ENTITY (gamma)), "physician", &error);
  g_assert_no_error (error);

  tsr_project_close (p, &error);
  g_assert_no_error (error);
}

/* Tests -------------------------------------------------------------- */

static const char * const command_names[] = {
  "new", "import", "docs", "codes", "add-code", "code", "stats",
  "export-json", "import-json", "history", "undo", "redo",
};

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };

  if (f->dir == NULL)
    return;

  run_cli (&r, "--help", NULL);
  assert_success (&r);
  g_assert_nonnull (strstr (r.out, "Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (command_names); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", command_names[i]);

      g_assert_nonnull (strstr (r.out, line));
    }
  tsr_test_run_clear (&r);

  for (guint i = 0; i < G_N_ELEMENTS (command_names); i++)
    {
      g_autofree char *usage = g_strdup_printf ("tessera-cli %s [OPTION", command_names[i]);

      run_cli (&r, command_names[i], "--help", NULL);
      assert_success (&r);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, usage));
      tsr_test_run_clear (&r);

      run_cli (&r, "help", command_names[i], NULL);
      assert_success (&r);
      g_assert_nonnull (strstr (r.out, usage));
      tsr_test_run_clear (&r);
    }

  run_cli (&r, "--version", NULL);
  assert_success (&r);
  g_assert_true (g_str_has_prefix (r.out, "tessera-cli "));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };

  if (f->dir == NULL)
    return;

  run_cli (&r, NULL);
  assert_failure (&r, 2, "Missing command");
  g_assert_nonnull (strstr (r.err, "tessera-cli --help"));
  tsr_test_run_clear (&r);

  run_cli (&r, "frobnicate", NULL);
  assert_failure (&r, 2, "Unknown command “frobnicate”");
  tsr_test_run_clear (&r);

  run_cli (&r, "help", "frobnicate", NULL);
  assert_failure (&r, 2, "Unknown command “frobnicate”");
  tsr_test_run_clear (&r);

  run_cli (&r, "--frob", "docs", f->project, NULL);
  assert_failure (&r, 2, "--frob");
  tsr_test_run_clear (&r);

  run_cli (&r, "docs", NULL);
  assert_failure (&r, 2, "Missing arguments");
  g_assert_nonnull (strstr (r.err, "tessera-cli docs --help"));
  tsr_test_run_clear (&r);

  run_cli (&r, "docs", f->project, "extra", NULL);
  assert_failure (&r, 2, "Too many arguments");
  tsr_test_run_clear (&r);

  run_cli (&r, "docs", "--frob", f->project, NULL);
  assert_failure (&r, 2, "--frob");
  tsr_test_run_clear (&r);

  run_cli (&r, "import", f->project, NULL);
  assert_failure (&r, 2, "Missing arguments");
  tsr_test_run_clear (&r);

  run_cli (&r, "code", f->project, "alpha", "Care", "x", "5", NULL);
  assert_failure (&r, 2, "START must be a character offset");
  tsr_test_run_clear (&r);

  run_cli (&r, "code", f->project, "alpha", "Care", "0", "-5", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);

  run_cli (&r, "code", f->project, "alpha", "Care", "3", NULL);
  assert_failure (&r, 2, "Missing arguments");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--format", "xml", NULL);
  assert_failure (&r, 2, "Unknown format “xml”");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--coders", "some", NULL);
  assert_failure (&r, 2, "Unknown coder mode “some”");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--coders", "one", NULL);
  assert_failure (&r, 2, "--coders one needs --coder");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--coders", "any", "--coder", "Ada", NULL);
  assert_failure (&r, 2, "--coder goes with --coders one");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--attribute", "role", NULL);
  assert_failure (&r, 2, "NAME=VALUE");
  tsr_test_run_clear (&r);

  run_cli (&r, "history", f->project, "--limit", "many", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tsr_test_run_clear (&r);

  /* Nothing was created by any of that. */
  g_assert_false (g_file_test (f->project, G_FILE_TEST_EXISTS));
}

static void
test_missing_project (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const commands[] = { "docs", "codes", "stats", "export-json", "history", "undo", "redo" };
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *folder = NULL;
  g_autofree char *not_project = NULL;

  if (f->dir == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      run_cli (&r, commands[i], f->project, NULL);
      assert_failure (&r, 1, "does not exist");
      g_assert_nonnull (strstr (r.err, "pilot.tessera"));
      g_assert_cmpstr (r.out, ==, "");
      tsr_test_run_clear (&r);
    }

  run_cli (&r, "add-code", f->project, "Care", NULL);
  assert_failure (&r, 1, "does not exist");
  tsr_test_run_clear (&r);
  g_assert_false (g_file_test (f->project, G_FILE_TEST_EXISTS));

  not_project = write_file (f, "notes.tessera", "just some notes", -1);
  run_cli (&r, "docs", not_project, NULL);
  assert_failure (&r, 1, "is not a Tessera project");
  tsr_test_run_clear (&r);

  folder = g_build_filename (f->dir, "folder.tessera", NULL);
  g_mkdir (folder, 0700);
  run_cli (&r, "docs", folder, NULL);
  assert_failure (&r, 1, "folder");
  tsr_test_run_clear (&r);

  /* new refuses to overwrite. */
  run_cli (&r, "new", not_project, NULL);
  assert_failure (&r, 1, "already exists");
  tsr_test_run_clear (&r);
}

static void
test_build_and_list (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };

  if (f->dir == NULL)
    return;

  build_project (f);

  run_cli (&r, "docs", f->project, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "id\tname\tcharacters\tread\tdone_by\n"
                   "1\talpha\t45\tfalse\t\n"
                   "2\tbeta\t29\tfalse\t\n"
                   "3\tgamma\t11\tfalse\t\n"
                   "4\tdelta\t18\tfalse\t\n");
  tsr_test_run_clear (&r);

  /* The tab in a definition is escaped, so each row keeps 3 fields. */
  run_cli (&r, "codes", f->project, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "path\tcolor\tdefinition\n"
                   "Support\t#111111\t\n"
                   "Support/Peers\t#33aa55\tColleagues\\tand friends\n"
                   "Care\t#222222\tActs of care\n"
                   "Humour\t#333333\t\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "codes", f->project, "--tree", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "Support\n  Peers\nCare\nHumour\n");
  tsr_test_run_clear (&r);

  /* A parent must exist; a code cannot be made twice. */
  run_cli (&r, "add-code", f->project, "Missing/Child", NULL);
  assert_failure (&r, 1, "There is no code “Missing”");
  tsr_test_run_clear (&r);
  run_cli (&r, "add-code", f->project, "Support/Peers", NULL);
  assert_failure (&r, 1, "Peers");
  tsr_test_run_clear (&r);
  run_cli (&r, "add-code", f->project, "Bad", "--color", "red", NULL);
  assert_failure (&r, 1, "red");
  tsr_test_run_clear (&r);

  /* Run-time errors of code: exit 1, nothing added. */
  run_cli (&r, "code", f->project, "omega", "Care", "0", "2", NULL);
  assert_failure (&r, 1, "There is no document “omega”");
  tsr_test_run_clear (&r);
  run_cli (&r, "code", f->project, "alpha", "Nothing", "0", "2", NULL);
  assert_failure (&r, 1, "There is no code “Nothing”");
  tsr_test_run_clear (&r);
  run_cli (&r, "code", f->project, "alpha", "Care", "5", "2", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "tessera-cli: "));
  tsr_test_run_clear (&r);
  run_cli (&r, "code", f->project, "alpha", "Care", "40", "46", NULL);
  g_assert_cmpint (r.status, ==, 1);
  tsr_test_run_clear (&r);

  /* The non-BMP offsets through the CLI: delta 9–10 is the emoji. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) p = tsr_project_open (f->project, &error);
    g_autoptr(TsrSegment) emoji = NULL;
    g_autoptr(TsrSegment) peers = NULL;
    g_autoptr(TsrCoder) ada = NULL;

    g_assert_no_error (error);
    emoji = tsr_project_lookup_segment (p, 6);
    peers = tsr_project_lookup_segment (p, 1);
    ada = tsr_project_find_coder (p, "Ada");
    g_assert_cmpstr (tsr_segment_get_text (emoji), ==, "\xf0\x9f\x98\x80");
    g_assert_cmpstr (tsr_segment_get_text (peers), ==, "stood");
    g_assert_cmpint (tsr_segment_get_coder_id (peers), ==, tsr_entity_get_id (TSR_ENTITY (ada)));
    tsr_project_close (p, NULL);
  }

  run_cli (&r, "history", f->project, "--limit", "2", NULL);
  assert_success (&r);
  {
    g_auto(GStrv) lines = g_strsplit (r.out, "\n", -1);
    g_auto(GStrv) newest = NULL;

    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_cmpstr (lines[0], ==, "time\tcoder\tdescription\tundone");
    g_assert_cmpstr (lines[3], ==, "");
    newest = g_strsplit (lines[1], "\t", -1);
    g_assert_cmpuint (g_strv_length (newest), ==, 4);
    g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$",
                                         newest[0], 0, 0));
    g_assert_cmpstr (newest[1], ==, "Ben");
    g_assert_cmpstr (newest[3], ==, "false");
  }
  tsr_test_run_clear (&r);

  /* Undo and redo the last coding, and say what they did. */
  run_cli (&r, "undo", f->project, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, !=, "");
  tsr_test_run_clear (&r);
  run_cli (&r, "history", f->project, "-n", "1", NULL);
  assert_success (&r);
  g_assert_true (g_str_has_suffix (r.out, "\ttrue\n"));
  tsr_test_run_clear (&r);
  run_cli (&r, "redo", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli (&r, "redo", f->project, NULL);
  assert_failure (&r, 1, "nothing to redo");
  tsr_test_run_clear (&r);
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };

  if (f->dir == NULL)
    return;

  build_project (f);
  add_themes_and_scope (f);

  /* No consensus coding yet: any coder.  Solidarity = Support's {alpha,
   * beta, gamma} ∪ Togetherness' {delta} = 4 of 4; Compassion = Care's
   * {alpha, beta, delta} = 3 of 4; "Old idea" is discarded. */
  run_cli (&r, "stats", f->project, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t4\t100.0\n"
                   "  Togetherness\t1\t25.0\n"
                   "Compassion\t3\t75.0\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--format", "markdown", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "| Theme | n | % |\n"
                   "|:--|--:|--:|\n"
                   "| Solidarity | 4 | 100.0 |\n"
                   "| &emsp;Togetherness | 1 | 25.0 |\n"
                   "| Compassion | 3 | 75.0 |\n"
                   "\n"
                   "n = documents in which the theme occurs, of 4 in scope (coding by any coder).\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--format", "json", NULL);
  assert_success (&r);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *root, *theme, *sub;
    JsonArray *themes, *subthemes;

    json_parser_load_from_data (parser, r.out, -1, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (root, "coders"), ==, "any");
    g_assert_cmpint (json_object_get_int_member (root, "documents"), ==, 4);
    themes = json_object_get_array_member (root, "themes");
    g_assert_cmpuint (json_array_get_length (themes), ==, 2);

    theme = json_array_get_object_element (themes, 0);
    g_assert_cmpstr (json_object_get_string_member (theme, "name"), ==, "Solidarity");
    g_assert_cmpint (json_object_get_int_member (theme, "n"), ==, 4);
    g_assert_cmpfloat (json_object_get_double_member (theme, "percent"), ==, 100.0);
    subthemes = json_object_get_array_member (theme, "subthemes");
    g_assert_cmpuint (json_array_get_length (subthemes), ==, 1);
    sub = json_array_get_object_element (subthemes, 0);
    g_assert_cmpstr (json_object_get_string_member (sub, "name"), ==, "Togetherness");
    g_assert_cmpint (json_object_get_int_member (sub, "n"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (sub, "percent"), ==, 25.0);

    theme = json_array_get_object_element (themes, 1);
    g_assert_cmpstr (json_object_get_string_member (theme, "name"), ==, "Compassion");
    g_assert_cmpint (json_object_get_int_member (theme, "n"), ==, 3);
    g_assert_cmpfloat (json_object_get_double_member (theme, "percent"), ==, 75.0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (theme, "subthemes")), ==, 0);

    /* One decimal in the text too, not json-glib's 17 digits. */
    g_assert_nonnull (strstr (r.out, "\"percent\" : 75.0,"));
    g_assert_nonnull (strstr (r.out, "\"percent\" : 100.0,"));
  }
  tsr_test_run_clear (&r);

  /* With no document in scope a percentage is undefined. */
  run_cli (&r, "stats", f->project, "--case", "Dyad B", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t0\t\n"
                   "  Togetherness\t0\t\n"
                   "Compassion\t0\t\n");
  tsr_test_run_clear (&r);
  run_cli (&r, "stats", f->project, "--case", "Dyad B", "--format", "json", NULL);
  assert_success (&r);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *root, *theme;

    json_parser_load_from_data (parser, r.out, -1, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (root, "documents"), ==, 0);
    theme = json_array_get_object_element (json_object_get_array_member (root, "themes"), 0);
    g_assert_true (json_object_get_null_member (theme, "percent"));
  }
  tsr_test_run_clear (&r);

  /* Codes, any coder: Support {alpha, beta, gamma} with 3 segments (its
   * own and Peers'), Peers {alpha, beta} 2, Care {alpha, beta, delta} 4,
   * Humour {delta} 1. */
  run_cli (&r, "stats", f->project, "--codes", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "code\tn\tpercent\tsegments\n"
                   "Support\t3\t75.0\t3\n"
                   "Support/Peers\t2\t50.0\t2\n"
                   "Care\t3\t75.0\t4\n"
                   "Humour\t1\t25.0\t1\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--codes", "--format", "markdown", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "| Code | n | % | Segments |\n"
                   "|:--|--:|--:|--:|\n"
                   "| Support | 3 | 75.0 | 3 |\n"
                   "| Support/Peers | 2 | 50.0 | 2 |\n"
                   "| Care | 3 | 75.0 | 4 |\n"
                   "| Humour | 1 | 25.0 | 1 |\n"
                   "\n"
                   "n = documents in which the code occurs, of 4 in scope (coding by any coder).\n");
  tsr_test_run_clear (&r);

  /* Ada alone: Support {alpha, gamma}, Peers {alpha}, Care {alpha, beta}. */
  run_cli (&r, "stats", f->project, "--codes", "--coder", "Ada", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "code\tn\tpercent\tsegments\n"
                   "Support\t2\t50.0\t2\n"
                   "Support/Peers\t1\t25.0\t1\n"
                   "Care\t2\t50.0\t2\n"
                   "Humour\t0\t0.0\t0\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--coders", "one", "--coder", "Ada", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t2\t50.0\n"
                   "  Togetherness\t0\t0.0\n"
                   "Compassion\t2\t50.0\n");
  tsr_test_run_clear (&r);

  /* Both coders: only Care in alpha was coded by Ada and by Ben. */
  run_cli (&r, "stats", f->project, "--codes", "--coders", "all", "--format", "tsv", NULL);
  assert_success (&r);
  {
    g_auto(GStrv) lines = g_strsplit (r.out, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 6);
    g_assert_true (g_str_has_prefix (lines[1], "Support\t0\t0.0\t"));
    g_assert_true (g_str_has_prefix (lines[2], "Support/Peers\t0\t0.0\t"));
    g_assert_true (g_str_has_prefix (lines[3], "Care\t1\t25.0\t"));
    g_assert_true (g_str_has_prefix (lines[4], "Humour\t0\t0.0\t"));
  }
  tsr_test_run_clear (&r);

  /* Dyad A = alpha, delta: Solidarity {alpha (Support), delta
   * (Togetherness)} 2 of 2, Togetherness {delta} 1, Compassion {alpha,
   * delta} 2. */
  run_cli (&r, "stats", f->project, "--case", "Dyad A", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t2\t100.0\n"
                   "  Togetherness\t1\t50.0\n"
                   "Compassion\t2\t100.0\n");
  tsr_test_run_clear (&r);

  /* role = nurse: alpha, beta. */
  run_cli (&r, "stats", f->project, "--attribute", "role=nurse", "--format", "markdown", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "| Theme | n | % |\n"
                   "|:--|--:|--:|\n"
                   "| Solidarity | 2 | 100.0 |\n"
                   "| &emsp;Togetherness | 0 | 0.0 |\n"
                   "| Compassion | 2 | 100.0 |\n"
                   "\n"
                   "n = documents in which the theme occurs, of 2 in scope (coding by any coder).\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", f->project, "--coder", "Nobody", NULL);
  assert_failure (&r, 1, "There is no coder “Nobody”");
  tsr_test_run_clear (&r);
  run_cli (&r, "stats", f->project, "--case", "Dyad Z", NULL);
  assert_failure (&r, 1, "There is no case “Dyad Z”");
  tsr_test_run_clear (&r);
  run_cli (&r, "stats", f->project, "--attribute", "age=3", NULL);
  assert_failure (&r, 1, "There is no attribute “age”");
  tsr_test_run_clear (&r);

  /* Once there is a consensus coding, it is the default: the consensus
   * coded only gamma with Care. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) p = tsr_project_open (f->project, &error);
    g_autoptr(TsrCoder) consensus = NULL;
    g_autoptr(TsrDocument) gamma = NULL;
    g_autoptr(TsrCode) care = NULL;

    g_assert_no_error (error);
    consensus = tsr_project_get_consensus_coder (p, &error);
    g_assert_no_error (error);
    gamma = tsr_project_find_document (p, "gamma");
    care = tsr_project_find_code (p, "Care");
    tsr_project_add_segment_for_coder (p, tsr_entity_get_id (TSR_ENTITY (gamma)),
                                       tsr_entity_get_id (TSR_ENTITY (care)),
                                       tsr_entity_get_id (TSR_ENTITY (consensus)), 0, 4, &error);
    g_assert_no_error (error);
    tsr_project_close (p, NULL);
  }

  run_cli (&r, "stats", f->project, "--format", "markdown", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "| Theme | n | % |\n"
                   "|:--|--:|--:|\n"
                   "| Solidarity | 0 | 0.0 |\n"
                   "| &emsp;Togetherness | 0 | 0.0 |\n"
                   "| Compassion | 1 | 25.0 |\n"
                   "\n"
                   "n = documents in which the theme occurs, of 4 in scope (consensus coding).\n");
  tsr_test_run_clear (&r);

  /* The consensus coder is not a human coder: "any" is unchanged. */
  run_cli (&r, "stats", f->project, "--coders", "any", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t4\t100.0\n"
                   "  Togetherness\t1\t25.0\n"
                   "Compassion\t3\t75.0\n");
  tsr_test_run_clear (&r);
}

static void
test_json_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *json_path = g_build_filename (f->dir ? f->dir : "", "pilot.json", NULL);
  g_autofree char *copy = g_build_filename (f->dir ? f->dir : "", "copy.tessera", NULL);
  g_autofree char *bad_dir_out = g_build_filename (f->dir ? f->dir : "", "no", "such", "x.json", NULL);
  g_autofree char *garbage = NULL;
  g_autofree char *from_file = NULL;
  g_autofree char *from_stdout = NULL;

  if (f->dir == NULL)
    return;

  build_project (f);
  add_themes_and_scope (f);

  run_cli (&r, "export-json", f->project, "--out", json_path, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_file_get_contents (json_path, &from_file, NULL, NULL));
  tsr_test_run_clear (&r);

  run_cli (&r, "export-json", f->project, NULL);
  assert_success (&r);
  from_stdout = g_steal_pointer (&r.out);
  g_assert_cmpstr (from_stdout, ==, from_file);
  g_assert_true (g_str_has_prefix (from_stdout, "{"));
  tsr_test_run_clear (&r);

  run_cli (&r, "import-json", json_path, copy, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);

  /* The copy exports to the same JSON and gives the same tables. */
  run_cli (&r, "export-json", copy, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, from_stdout);
  tsr_test_run_clear (&r);

  run_cli (&r, "stats", copy, NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==,
                   "theme\tn\tpercent\n"
                   "Solidarity\t4\t100.0\n"
                   "  Togetherness\t1\t25.0\n"
                   "Compassion\t3\t75.0\n");
  tsr_test_run_clear (&r);

  /* Undo in the copy undoes the last edit made to the original. */
  run_cli (&r, "undo", copy, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);

  run_cli (&r, "import-json", json_path, copy, NULL);
  assert_failure (&r, 1, "already exists");
  tsr_test_run_clear (&r);

  garbage = write_file (f, "garbage.json", "{\"format\": \"tessera-project\", \"schema_ver", -1);
  run_cli (&r, "import-json", garbage, f->project, NULL);
  assert_failure (&r, 1, "");
  tsr_test_run_clear (&r);
  g_clear_pointer (&copy, g_free);
  copy = g_build_filename (f->dir, "from-garbage.tessera", NULL);
  run_cli (&r, "import-json", garbage, copy, NULL);
  assert_failure (&r, 1, "not valid JSON");
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  tsr_test_run_clear (&r);

  run_cli (&r, "import-json", "/nonexistent/export.json", copy, NULL);
  assert_failure (&r, 1, "export.json");
  tsr_test_run_clear (&r);

  /* A failed export to a file leaves nothing behind. */
  run_cli (&r, "export-json", f->project, "-o", bad_dir_out, NULL);
  assert_failure (&r, 1, "");
  g_assert_false (g_file_test (bad_dir_out, G_FILE_TEST_EXISTS));
  tsr_test_run_clear (&r);
}

/* Whether the user "nobody" passes `test TEST PATH`. */
static gboolean
nobody_can (const char *setpriv,
            const char *test,
            const char *path)
{
  const char *argv[] = { setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                         "test", test, path, NULL };
  int wait_status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &wait_status, NULL) &&
         g_spawn_check_wait_status (wait_status, NULL);
}

/* The demo is installed read-only under /usr/share; reading commands
 * must still work on it, and editing ones must say why they cannot.
 * Root can write any file, so as root the CLI runs as "nobody". */
static void
test_read_only_project (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int wait_status;

  if (f->dir == NULL)
    return;

  build_project (f);
  run_cli (&r, "stats", f->project, NULL);
  assert_success (&r);

  g_assert_cmpint (g_chmod (f->project, 0444), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);

  if (getuid () == 0)
    {
      if (setpriv == NULL)
        {
          g_chmod (f->dir, 0700);
          g_test_skip ("running as root without setpriv");
          return;
        }
      g_ptr_array_add (argv, setpriv);
      g_ptr_array_add (argv, (char *) "--reuid=65534");
      g_ptr_array_add (argv, (char *) "--regid=65534");
      g_ptr_array_add (argv, (char *) "--clear-groups");
    }
  g_ptr_array_add (argv, (char *) g_getenv ("TESSERA_CLI"));
  g_ptr_array_add (argv, (char *) "stats");
  g_ptr_array_add (argv, f->project);
  g_ptr_array_add (argv, NULL);

  if (getuid () == 0 &&
      (!nobody_can (setpriv, "-r", f->project) ||
       !nobody_can (setpriv, "-x", g_getenv ("TESSERA_CLI"))))
    {
      g_chmod (f->dir, 0700);
      g_test_skip ("“nobody” cannot reach the test project or the CLI here");
      return;
    }

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_chmod (f->dir, 0700);

  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_cmpstr (out, ==, r.out);

  /* The project is untouched and no copy is left behind. */
  g_assert_false (g_file_test (f->project, G_FILE_TEST_IS_SYMLINK));
  {
    g_autofree char *wal = g_strconcat (f->project, "-wal", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

/* Coding names its coder: without --coder, $TESSERA_CODER, a remembered
 * coder or a real name (a "root" login has none), it is refused with
 * what to do; edits that are not coding still work. */
static void
test_code_needs_coder (Fixture *f, gconstpointer data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *proposed = tsr_coder_dup_default_name ();

  if (f->dir == NULL)
    return;
  text = write_file (f, "alpha.txt", "We stood together as a team.", -1);

  run_cli_env (&r, NULL, "new", f->project, "--title", "Pilot", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "import", f->project, text, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "add-code", f->project, "Care", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "code", f->project, "alpha", "Care", "3", "8", NULL);
  if (proposed == NULL)
    {
      assert_failure (&r, 1, "Who is coding?");
      g_assert_nonnull (strstr (r.err, "set-coder"));
    }
  else
    assert_success (&r);
}

/* set-coder remembers who codes here: later edits without --coder are
 * theirs, --coder still wins for one command, and the app (the same
 * account) finds the coder chosen. */
static void
test_set_coder (Fixture *f, gconstpointer data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *text = write_file (f, "alpha.txt", "We stood together as a team.", -1);
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(GError) error = NULL;

  if (f->dir == NULL)
    return;

  run_cli (&r, "--help", NULL);
  assert_success (&r);
  g_assert_nonnull (strstr (r.out, "set-coder"));
  tsr_test_run_clear (&r);

  run_cli (&r, "new", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "set-coder", f->project, "Grace Hopper", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "");
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "import", f->project, text, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "add-code", f->project, "Care", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "code", f->project, "alpha", "Care", "3", "8", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "1\n");
  tsr_test_run_clear (&r);
  /* Grace alone: her coding counts. */
  run_cli_env (&r, NULL, "stats", "--codes", "--format", "markdown", f->project, NULL);
  assert_success (&r);
  g_assert_nonnull (strstr (r.out, "(coding by Grace Hopper)"));
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "--coder", "Ben", "code", f->project, "alpha", "Care", "0", "2", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "2\n");
  tsr_test_run_clear (&r);
  run_cli_env (&r, NULL, "set-coder", f->project, NULL);
  g_assert_cmpint (r.status, !=, 0);
  tsr_test_run_clear (&r);

  p = tsr_project_open (f->project, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_get_coder_confirmed (p));
  g_assert_cmpstr (tsr_coder_get_name (tsr_project_get_current_coder (p)), ==, "Grace Hopper");
  for (gint64 id = 1; id <= 2; id++)
    {
      g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (p, id);
      g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (p, tsr_segment_get_coder_id (segment));

      g_assert_cmpstr (tsr_coder_get_name (coder), ==, id == 1 ? "Grace Hopper" : "Ben");
    }
  tsr_project_close (p, NULL);

  /* Ben coded too: any coder's coding counts. */
  run_cli_env (&r, NULL, "stats", "--codes", "--format", "markdown", f->project, NULL);
  assert_success (&r);
  g_assert_nonnull (strstr (r.out, "(coding by any coder)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("help", test_help);
  ADD ("usage-errors", test_usage_errors);
  ADD ("missing-project", test_missing_project);
  ADD ("build-and-list", test_build_and_list);
  ADD ("stats", test_stats);
  ADD ("json-round-trip", test_json_round_trip);
  ADD ("read-only-project", test_read_only_project);
  ADD ("set-coder", test_set_coder);
  ADD ("code-needs-coder", test_code_needs_coder);

#undef ADD

  return g_test_run ();
}
