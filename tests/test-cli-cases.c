/* test-cli-cases.c — tessera-cli's cases and attributes as a script sees
 * them: cases, case-add, case-assign, attributes, set-attribute
 *
 * The binary comes from $TESSERA_CLI.  A project of three documents is
 * made through the library; every table expected below is written out
 * by hand.  Each edit must be one step of the history, and a command
 * that fails must leave the project exactly as it was (its JSON export
 * compared whole).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char *dir;
  char *project;
} Fixture;

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
    g_assert_cmpstr ((r)->out, ==, "");                               \
  } G_STMT_END

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(TsrCoder) ada = NULL;

  if (g_getenv ("TESSERA_CLI") == NULL)
    {
      g_test_skip ("TESSERA_CLI is not set");
      return;
    }
  f->dir = g_dir_make_tmp ("tessera-cli-cases-XXXXXX", &error);
  g_assert_no_error (error);
  f->project = g_build_filename (f->dir, "dyads.tessera", NULL);

  p = tsr_project_create (f->project, &error);
  g_assert_no_error (error);
  ada = tsr_project_confirm_coder (p, "Ada", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_document (p, "alpha", "Clinician one speaks.", NULL, &error), ==, 1);
  g_assert_cmpint (tsr_project_add_document (p, "beta", "Patient one speaks.", NULL, &error), ==, 2);
  g_assert_cmpint (tsr_project_add_document (p, "gamma", "Clinician two speaks.", NULL, &error), ==, 3);
  g_assert_no_error (error);
  tsr_project_close (p, &error);
  g_assert_no_error (error);
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

/* The command's standard output, which must succeed. */
static char *
output_of (Fixture    *f,
           const char *command)
{
  g_auto(TsrTestRun) r = { 0 };

  tsr_test_run_cli (&r, "Ada", command, f->project, NULL);
  assert_success (&r);
  return g_steal_pointer (&r.out);
}

/* The whole project as JSON, to see that a failed command changed
 * nothing, its history included. */
static char *
snapshot (Fixture *f)
{
  return output_of (f, "export-json");
}

static guint
history_length (Fixture *f)
{
  g_autofree char *out = output_of (f, "history");
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  /* A header and a final empty string. */
  return g_strv_length (lines) - 2;
}

/* Tests -------------------------------------------------------------- */

static void
test_cases (Fixture       *f,
            gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *listed = NULL;
  guint edits;

  if (f->dir == NULL)
    return;

  listed = output_of (f, "cases");
  g_assert_cmpstr (listed, ==, "name\tdocuments\n");
  g_clear_pointer (&listed, g_free);

  edits = history_length (f);
  tsr_test_run_cli (&r, "Ada", "case-add", f->project, "Dyad 2", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-add", f->project, "  Dyad 1 ", NULL);
  assert_success (&r);
  g_assert_cmpstr (r.out, ==, "2\n");
  tsr_test_run_clear (&r);
  g_assert_cmpuint (history_length (f), ==, edits + 2);

  /* Three documents into Dyad 1 in one step; by name or by id. */
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 1", "alpha", "2", "gamma", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  g_assert_cmpuint (history_length (f), ==, edits + 3);

  listed = output_of (f, "cases");
  g_assert_cmpstr (listed, ==, "name\tdocuments\nDyad 1\t3\nDyad 2\t0\n");
  g_clear_pointer (&listed, g_free);

  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "--remove", "Dyad 1", "gamma", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 2", "gamma", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  listed = output_of (f, "cases");
  g_assert_cmpstr (listed, ==, "name\tdocuments\nDyad 1\t2\nDyad 2\t1\n");
  g_clear_pointer (&listed, g_free);

  /* Undo takes back one whole command at a time. */
  tsr_test_run_cli (&r, "Ada", "undo", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "undo", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  listed = output_of (f, "cases");
  g_assert_cmpstr (listed, ==, "name\tdocuments\nDyad 1\t3\nDyad 2\t0\n");
  g_clear_pointer (&listed, g_free);
  tsr_test_run_cli (&r, "Ada", "undo", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  listed = output_of (f, "cases");
  g_assert_cmpstr (listed, ==, "name\tdocuments\nDyad 1\t0\nDyad 2\t0\n");
}

static void
test_cases_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (f->dir == NULL)
    return;

  tsr_test_run_cli (&r, "Ada", "case-add", f->project, "Dyad 1", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 1", "alpha", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  before = snapshot (f);

  tsr_test_run_cli (&r, "Ada", "case-add", f->project, "Dyad 1", NULL);
  assert_failure (&r, 1, "There is already a case “Dyad 1”");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-add", f->project, "   ", NULL);
  assert_failure (&r, 1, "case");
  tsr_test_run_clear (&r);

  /* One unknown document among known ones: nothing is assigned. */
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 1", "beta", "delta", NULL);
  assert_failure (&r, 1, "There is no document “delta”");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 9", "beta", NULL);
  assert_failure (&r, 1, "There is no case “Dyad 9”");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "case-assign", f->project, "Dyad 1", NULL);
  assert_failure (&r, 2, "Missing arguments");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "cases", f->project, "extra", NULL);
  assert_failure (&r, 2, "Too many arguments");
  tsr_test_run_clear (&r);

  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_attributes (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *listed = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(TsrAttribute) role = NULL;
  g_autoptr(TsrAttribute) years = NULL;
  g_autoptr(TsrAttribute) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  guint edits;

  if (f->dir == NULL)
    return;

  listed = output_of (f, "attributes");
  g_assert_cmpstr (listed, ==, "target\tname\ttype\n");
  g_clear_pointer (&listed, g_free);

  /* Defining and setting a new attribute is one step. */
  edits = history_length (f);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "alpha", "role", "clinician", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  g_assert_cmpuint (history_length (f), ==, edits + 1);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "beta", "role", "patient", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "integer", "alpha", "years", " 12 ", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "3", "seen", "2026-03-01", "--type=date", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);

  listed = output_of (f, "attributes");
  g_assert_cmpstr (listed, ==,
                   "target\tname\ttype\n"
                   "document\trole\ttext\n"
                   "document\tyears\tinteger\n"
                   "document\tseen\tdate\n");

  p = tsr_project_open (f->project, &error);
  g_assert_no_error (error);
  role = tsr_project_find_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "role");
  years = tsr_project_find_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "years");
  seen = tsr_project_find_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "seen");
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (role), 1);
  g_assert_cmpstr (value, ==, "clinician");
  g_clear_pointer (&value, g_free);
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (role), 2);
  g_assert_cmpstr (value, ==, "patient");
  g_clear_pointer (&value, g_free);
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (years), 1);
  g_assert_cmpstr (value, ==, "12");
  g_clear_pointer (&value, g_free);
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (seen), 3);
  g_assert_cmpstr (value, ==, "2026-03-01");
  g_clear_pointer (&value, g_free);
  tsr_project_close (p, &error);
  g_assert_no_error (error);
  g_clear_object (&p);

  /* An empty value clears it; undo brings it back. */
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "alpha", "role", "", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  p = tsr_project_open (f->project, &error);
  g_assert_no_error (error);
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (role), 1);
  g_assert_null (value);
  tsr_project_close (p, &error);
  g_assert_no_error (error);
  g_clear_object (&p);

  tsr_test_run_cli (&r, "Ada", "undo", f->project, NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  p = tsr_project_open (f->project, &error);
  g_assert_no_error (error);
  value = tsr_project_get_attribute_value (p, tsr_test_id_of (role), 1);
  g_assert_cmpstr (value, ==, "clinician");
  tsr_project_close (p, &error);
  g_assert_no_error (error);
}

static void
test_attributes_errors (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (f->dir == NULL)
    return;

  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "integer", "alpha", "years", "12", NULL);
  assert_success (&r);
  tsr_test_run_clear (&r);
  before = snapshot (f);

  /* A value of the wrong type, for an attribute that exists and for a
   * new one (which must then not be defined). */
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "beta", "years", "twelve", NULL);
  assert_failure (&r, 1, "“twelve” is not a whole number, as “years” needs");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "boolean", "beta", "consented", "maybe", NULL);
  assert_failure (&r, 1, "“maybe” is not yes or no, as “consented” needs");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "date", "beta", "seen", "1 March", NULL);
  assert_failure (&r, 1, "is not a date (YYYY-MM-DD)");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "real", "beta", "years", "1.5", NULL);
  assert_failure (&r, 1, "The attribute “years” holds integer values, not real");
  tsr_test_run_clear (&r);

  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "delta", "years", "3", NULL);
  assert_failure (&r, 1, "There is no document “delta”");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "--type", "colour", "beta", "eyes", "blue", NULL);
  assert_failure (&r, 2, "“colour” is not a type");
  tsr_test_run_clear (&r);
  tsr_test_run_cli (&r, "Ada", "set-attribute", f->project, "beta", "years", NULL);
  assert_failure (&r, 2, "Missing arguments");
  tsr_test_run_clear (&r);

  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *names[] = { "cases", "case-add", "case-assign", "attributes", "set-attribute" };
  g_auto(TsrTestRun) r = { 0 };

  if (f->dir == NULL)
    return;

  tsr_test_run_cli (&r, "Ada", "--help", NULL);
  assert_success (&r);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", names[i]);

      g_assert_nonnull (strstr (r.out, line));
    }
  tsr_test_run_clear (&r);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *usage = g_strdup_printf ("tessera-cli %s [OPTION", names[i]);

      tsr_test_run_cli (&r, "Ada", names[i], "--help", NULL);
      assert_success (&r);
      g_assert_nonnull (strstr (r.out, usage));
      tsr_test_run_clear (&r);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/cli-cases/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("help", test_help);
  ADD ("cases", test_cases);
  ADD ("cases-errors", test_cases_errors);
  ADD ("attributes", test_attributes);
  ADD ("attributes-errors", test_attributes_errors);

#undef ADD

  return g_test_run ();
}
