/* test-import-cli.c — `tessera-cli import` as a script sees it
 *
 * The binary comes from $TESSERA_CLI; the documents are the committed
 * LibreOffice fixtures and files written here.  Output, messages and exit
 * status are compared whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "import-helpers.h"

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_get_environ ();
  va_list args;

  envp = g_environ_setenv (envp, "LC_ALL", "C", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_setenv (envp, "TESSERA_CODER", "Ada", TRUE);

  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

/* The CLI opens the project itself. */
static void
close_project (Fixture *f)
{
  tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
}

static void
test_documents (Fixture       *f,
                gconstpointer  data)
{
  /* A DOCX, an ODT with the same text (left out), a PDF with a password
   * (reported), an RTF (reported), a Markdown file: exit 1, the two new
   * documents on stdout, one line per problem on stderr. */
  g_autofree char *docx = tsr_test_fixture_path ("notes.docx");
  g_autofree char *odt = tsr_test_fixture_path ("notes.odt");
  g_autofree char *pdf = tsr_test_fixture_path ("password.pdf");
  g_autoptr(GFile) rtf = write_file (f, "old.rtf", "{\\rtf1\\ansi Hello\\par}", -1);
  g_autoptr(GFile) md = write_file (f, "memo.md", "# Memo\n\nFine.\n", -1);
  g_autofree char *rtf_path = g_file_get_path (rtf);
  g_autofree char *md_path = g_file_get_path (md);
  g_auto(TsrTestRun) r = { 0 };

  close_project (f);
  run_cli (&r, "import", f->path, docx, odt, pdf, rtf_path, md_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==,
                   "1\tnotes\t144\n"
                   "2\tmemo\t14\n");
  g_assert_cmpstr (r.err, ==,
                   "tessera-cli: notes.odt: Not imported: the same text is already in “notes”\n"
                   "tessera-cli: The PDF “password.pdf” is protected with a password. Save a copy "
                   "without the password and import that.\n"
                   "tessera-cli: The file “old.rtf” is in Rich Text Format. RTF is not supported; "
                   "save it as DOCX or ODT and import that.\n");
  tsr_test_run_clear (&r);

  /* --duplicates takes the ODT after all; the history holds two steps. */
  run_cli (&r, "import", "--duplicates", f->path, odt, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "3\tnotes\t144\n");
  g_assert_cmpstr (r.err, ==, "");
  tsr_test_run_clear (&r);

  run_cli (&r, "history", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\tImport “notes.odt”\tfalse\n"));
  g_assert_nonnull (strstr (r.out, "\tImport 2 files\tfalse\n"));
}

static void
test_spreadsheet (Fixture       *f,
                  gconstpointer  data)
{
  /* Calc's survey: the answers named by respondent, the report naming
   * the text column and the row left out. */
  g_autofree char *xlsx = tsr_test_fixture_path ("survey.xlsx");
  g_auto(TsrTestRun) r = { 0 };
  g_autoptr(TsrAttribute) age = NULL;
  g_autofree char *value = NULL;

  close_project (f);
  run_cli (&r, "import", f->path, xlsx, "--id-column", "Respondent", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==,
                   "1\tR01\t39\n"
                   "2\tR02\t41\n"
                   "3\tR04\t31\n");
  g_assert_cmpstr (r.err, ==,
                   "tessera-cli: survey.xlsx: Imported 3 rows from the column “What did the "
                   "ceremony mean to you?”; 1 row without text left out\n");
  tsr_test_run_clear (&r);

  /* Another sheet by name, the text column by number. */
  run_cli (&r, "import", f->path, xlsx, "--sheet", "Notes", "--text-column", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "4\tRow 2\t32\n");
  tsr_test_run_clear (&r);

  /* A column that is not there: the columns it has are listed. */
  run_cli (&r, "import", f->path, xlsx, "--text-column", "Answer", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==,
                   "tessera-cli: The spreadsheet “survey.xlsx” has no column “Answer” for the "
                   "text; its columns are “Respondent”, “What did the ceremony mean to you?”, "
                   "“Age”, “Hours”, “Consent”, “Answered”, “Ward”\n");
  tsr_test_run_clear (&r);

  /* The attributes are typed. */
  f->project = tsr_project_open (f->path, NULL);
  g_assert_nonnull (f->project);
  age = tsr_project_find_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "Age");
  g_assert_nonnull (age);
  g_assert_cmpint (tsr_attribute_get_value_type (age), ==, TSR_ATTRIBUTE_INTEGER);
  value = tsr_project_get_attribute_value (f->project, tsr_entity_get_id (TSR_ENTITY (age)), 2);
  g_assert_cmpstr (value, ==, "51");
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_auto(TsrTestRun) r = { 0 };

  close_project (f);
  run_cli (&r, "import", f->path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (g_str_has_prefix (r.err, "tessera-cli: Missing arguments"));
  tsr_test_run_clear (&r);

  run_cli (&r, "import", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--text-column=COLUMN"));
  g_assert_nonnull (strstr (r.out, "--id-column=COLUMN"));
  g_assert_nonnull (strstr (r.out, "--sheet=NAME"));
  g_assert_nonnull (strstr (r.out, "--duplicates"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tessera/import-cli/documents", Fixture, NULL, fixture_set_up, test_documents, fixture_tear_down);
  g_test_add ("/tessera/import-cli/spreadsheet", Fixture, NULL, fixture_set_up, test_spreadsheet, fixture_tear_down);
  g_test_add ("/tessera/import-cli/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);

  return g_test_run ();
}
