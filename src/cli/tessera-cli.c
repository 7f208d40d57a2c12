/* tessera-cli.c — Tessera without a window, for scripts and reproducible reports
 *
 * Every command is a thin layer over the core library, the same calls the
 * app makes, so a theme table printed here is the one the app shows.
 *
 * Exit status: 0 on success, 1 when the work failed (the message says
 * why), 2 when the command line itself is wrong.  Data goes to standard
 * output as UTF-8 whatever the locale, so scripts read the same bytes
 * everywhere; messages go to standard error as "tessera-cli: message".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tsr-cli-private.h"

/* The coder named before the command; edits are attributed to it. */
static char *global_coder;

/* Where tsr_cli_open_for_reading () put a private copy of a read-only
 * project. */
static char *reading_copy;

/* Output ------------------------------------------------------------- */

/* What a command prints on standard output is held until it ends (or
 * until it streams a file there): a read that stopped part way, on a
 * damaged page, then fails the command with nothing printed, rather than
 * leaving a short table that looks whole. */
static GString *held_output;

static GString *
get_held_output (void)
{
  if (held_output == NULL)
    held_output = g_string_new (NULL);
  return held_output;
}

void
tsr_cli_print (const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (get_held_output (), format, args);
  va_end (args);
}

void
tsr_cli_print_text (const char *text)
{
  g_string_append (get_held_output (), text);
}

/* Prints what was held, for a command that writes to standard output
 * itself next, and at the end. */
void
tsr_cli_release_output (void)
{
  if (held_output != NULL && held_output->len > 0)
    fwrite (held_output->str, 1, held_output->len, stdout);
  if (held_output != NULL)
    g_string_truncate (held_output, 0);
  fflush (stdout);
}

static void
discard_output (void)
{
  if (held_output != NULL)
    g_string_truncate (held_output, 0);
}

void
tsr_cli_print_error (const char *message)
{
  fprintf (stderr, "tessera-cli: %s\n", message);
}

int
tsr_cli_fail (GError *error)
{
  tsr_cli_print_error (error->message);
  return EXIT_FAILURE;
}

int
tsr_cli_usage_error (const char *command,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  tsr_cli_print_error (message);
  if (command != NULL)
    fprintf (stderr, _("Try “tessera-cli %s --help”.\n"), command);
  else
    fprintf (stderr, _("Try “tessera-cli --help”.\n"));

  return EXIT_USAGE;
}

/* A TSV field holds no tab or line end: they are written as \t, \n, \r,
 * and a backslash as \\, the convention of PostgreSQL's and MySQL's text
 * dumps that spreadsheet and R/pandas readers can undo. */
void
tsr_cli_append_tsv_field (GString    *line,
                          const char *value)
{
  for (const char *p = value ? value : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '\t': g_string_append (line, "\\t"); break;
      case '\n': g_string_append (line, "\\n"); break;
      case '\r': g_string_append (line, "\\r"); break;
      case '\\': g_string_append (line, "\\\\"); break;
      default: g_string_append_c (line, *p); break;
      }
}

/* Prints a TSV row; fields are strings, NULL ends the list. */
void
tsr_cli_print_tsv_row (const char *first,
                       ...)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *field = first;
  va_list args;

  va_start (args, first);
  while (field != NULL)
    {
      if (line->len > 0 || field != first)
        g_string_append_c (line, '\t');
      tsr_cli_append_tsv_field (line, field);
      field = va_arg (args, const char *);
    }
  va_end (args);

  g_string_append_c (line, '\n');
  tsr_cli_print_text (line->str);
}

const char *
tsr_cli_yes_no (gboolean value)
{
  return value ? "true" : "false";
}

/* Arguments ---------------------------------------------------------- */

/* Arguments are taken as UTF-8 when they are (what every current system
 * passes) and converted from the locale's charset otherwise, so a name
 * with an accent works under LANG=C too. */
char *
tsr_cli_argument_to_utf8 (const char  *argument,
                          GError     **error)
{
  if (g_utf8_validate (argument, -1, NULL))
    return g_strdup (argument);

  return g_locale_to_utf8 (argument, -1, NULL, NULL, error);
}

gboolean
tsr_cli_parse_options (GOptionContext   *context,
                       const char       *command,
                       int              *argc,
                       char           ***argv,
                       int              *status)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;

  *status = tsr_cli_usage_error (command, "%s", error->message);
  return FALSE;
}

GOptionContext *
tsr_cli_command_context (const Command      *command,
                         const GOptionEntry *entries,
                         const char         *description)
{
  GOptionContext *context = g_option_context_new (_(command->parameters));

  g_option_context_set_summary (context, _(command->summary));
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return context;
}

/* Checks the number of positional arguments left after the options
 * (argv[0] is the command). */
gboolean
tsr_cli_check_arguments (const Command *command,
                         int            argc,
                         int            min,
                         int            max,
                         int           *status)
{
  int n = argc - 1;

  if (n < min)
    {
      *status = tsr_cli_usage_error (command->name, _("Missing arguments: %s"), _(command->parameters));
      return FALSE;
    }
  if (max >= 0 && n > max)
    {
      *status = tsr_cli_usage_error (command->name, _("Too many arguments: %s"), _(command->parameters));
      return FALSE;
    }
  return TRUE;
}

/* Projects ----------------------------------------------------------- */

/* Opens a project for a command that only reads it, read-only: its
 * bytes and modification time stay as they were.  A project that cannot
 * be read in place — one of an older version, which opening for editing
 * would upgrade — is read from a private copy that main () deletes. */
TsrProject *
tsr_cli_open_for_reading (const char  *path,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  TsrProject *project;

  project = tsr_project_open_read_only (path, &local_error);
  if (project != NULL)
    return project;
  if (!g_error_matches (local_error, TSR_ERROR, TSR_ERROR_READ_ONLY) || reading_copy != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!(dir = g_dir_make_tmp ("tessera-cli-XXXXXX", NULL)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  name = g_path_get_basename (path);
  reading_copy = g_build_filename (dir, name, NULL);
  source = g_file_new_for_path (path);
  copy = g_file_new_for_path (reading_copy);
  if (!g_file_copy (source, copy, G_FILE_COPY_TARGET_DEFAULT_PERMS, NULL, NULL, NULL, NULL))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return tsr_project_open (reading_copy, error);
}

static void
remove_reading_copy (void)
{
  g_autofree char *dir = NULL;

  if (reading_copy == NULL)
    return;

  dir = g_path_get_dirname (reading_copy);
  g_unlink (reading_copy);
  g_rmdir (dir);
  g_clear_pointer (&reading_copy, g_free);
}

/* Before printing or writing out what was read from @project: whether
 * every read was whole.  If one stopped part way (a damaged page, a
 * failing disk), what is held for standard output is dropped, the error
 * printed, *@status set to failure, and %FALSE returned. */
gboolean
tsr_cli_check_reads (TsrProject *project,
                     int        *status)
{
  g_autoptr(GError) error = NULL;

  if (project == NULL || tsr_project_check_reads (project, &error))
    return TRUE;

  discard_output ();
  if (*status == EXIT_SUCCESS)
    *status = tsr_cli_fail (error);
  return FALSE;
}

/* Finishes a command that opened @project: nothing it read is printed as
 * complete unless every read was whole, and a clean close checkpoints the
 * write-ahead log so the project is one file again. */
int
tsr_cli_close_project (TsrProject *project,
                       int         status)
{
  g_autoptr(GError) error = NULL;

  tsr_cli_check_reads (project, &status);

  if (project != NULL && !tsr_project_close (project, &error) && status == EXIT_SUCCESS)
    return tsr_cli_fail (error);

  return status;
}

/* A document named on the command line, by name or by id. */
TsrDocument *
tsr_cli_find_document (TsrProject  *project,
                       const char  *name_or_id,
                       GError     **error)
{
  TsrDocument *document;
  guint64 id;

  /* A name wins over an id, so a document called "12" can be named. */
  document = tsr_project_find_document (project, name_or_id);
  if (document == NULL &&
      g_ascii_string_to_unsigned (name_or_id, 10, 1, G_MAXINT64, &id, NULL))
    document = tsr_project_lookup_document (project, (gint64) id);

  if (document == NULL)
    g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                 _("There is no document “%s” in this project (see “tessera-cli docs”)"),
                 name_or_id);

  return document;
}

/* Makes @name (or the global --coder, $TESSERA_CODER, the coder
 * remembered for this account with set-coder, the user's real name) the
 * coder that the project's history and new segments name.  A login name
 * such as "root" names nobody: an edit that is coding (@required) then
 * needs the coder given; other edits are recorded without a name. */
gboolean
tsr_cli_set_coder (TsrProject  *project,
                   const char  *name,
                   gboolean     required,
                   GError     **error)
{
  g_autofree char *default_name = NULL;

  if (name == NULL)
    name = global_coder;
  if (name == NULL || *name == '\0')
    name = g_getenv ("TESSERA_CODER");
  if ((name == NULL || *name == '\0') && tsr_project_get_coder_confirmed (project))
    return TRUE;
  if (name == NULL || *name == '\0')
    name = default_name = tsr_coder_dup_default_name ();
  if (name == NULL && !required)
    return TRUE;
  if (name == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Who is coding? Give --coder NAME, set $TESSERA_CODER, or "
                             "remember your name in this project with “tessera-cli set-coder PROJECT NAME”"));
      return FALSE;
    }

  /* A new coder is added by the command's first edit, in its
   * transaction: a command that fails adds nobody. */
  return tsr_project_set_current_coder_name (project, name, error);
}

/* Commands ----------------------------------------------------------- */

static const Command commands[] = {
  { "new", N_("PROJECT"), N_("Create a new, empty project."), tsr_cli_cmd_new },
  { "import", N_("PROJECT FILE…"), N_("Import documents (text, Markdown, HTML, DOCX, ODT, PDF) and survey spreadsheets (CSV, XLSX)."), tsr_cli_cmd_import },
  { "docs", N_("PROJECT"), N_("List the documents as TSV: id, name, characters, read, done by."), tsr_cli_cmd_docs },
  { "codes", N_("PROJECT"), N_("List the codes as TSV: path, color, definition."), tsr_cli_cmd_codes },
  { "add-code", N_("PROJECT PATH"), N_("Create a code; its parent must exist."), tsr_cli_cmd_add_code },
  { "code", N_("PROJECT DOCUMENT CODE START END"), N_("Code a passage of a document."), tsr_cli_cmd_code },
  { "mark-done", N_("PROJECT DOCUMENT…"), N_("Mark documents as coded (done) by the coder; agreement compares the documents both coders marked done."), tsr_cli_cmd_mark_done },
  { "mark-undone", N_("PROJECT DOCUMENT…"), N_("Take back the coder’s mark that documents are done."), tsr_cli_cmd_mark_undone },
  { "set-coder", N_("PROJECT NAME"), N_("Remember who codes in this project on this account (the app then does not ask)."), tsr_cli_cmd_set_coder },
  { "stats", N_("PROJECT"), N_("Print the theme table (or the code table) with n and %."), tsr_cli_cmd_stats },
  { "export-json", N_("PROJECT"), N_("Write the whole project as JSON."), tsr_cli_cmd_export_json },
  { "import-json", N_("FILE PROJECT"), N_("Create a project from a JSON export."), tsr_cli_cmd_import_json },
  { "history", N_("PROJECT"), N_("List the edits, newest first, as TSV: time, coder, description, undone."), tsr_cli_cmd_history },
  { "undo", N_("PROJECT"), N_("Undo the last edit."), tsr_cli_cmd_undo },
  { "redo", N_("PROJECT"), N_("Redo the last undone edit."), tsr_cli_cmd_redo },
  { "export", N_("PROJECT"), N_("Write the theme table, codebook or write-up as DOCX, ODT, PDF, HTML, Markdown, CSV, LaTeX or JSON."), tsr_cli_cmd_export },
  { "cases", N_("PROJECT"), N_("List the cases as TSV: name, documents."), tsr_cli_cmd_cases },
  { "case-add", N_("PROJECT NAME"), N_("Create a case."), tsr_cli_cmd_case_add },
  { "case-assign", N_("PROJECT CASE DOCUMENT…"), N_("Put documents in a case (or take them out with --remove)."), tsr_cli_cmd_case_assign },
  { "attributes", N_("PROJECT"), N_("List the attributes as TSV: target, name, type."), tsr_cli_cmd_attributes },
  { "set-attribute", N_("PROJECT DOCUMENT ATTRIBUTE VALUE"), N_("Set a document’s attribute value, defining the attribute if it is new."), tsr_cli_cmd_set_attribute },
  { "matrix", N_("PROJECT"), N_("Compare codes or themes across cases or attribute values, as TSV, CSV or a document."), tsr_cli_cmd_matrix },
  { "export-qdc", N_("PROJECT"), N_("Write the code tree as a REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA or QualCoder."), tsr_cli_cmd_export_qdc },
  { "import-qdc", N_("PROJECT FILE"), N_("Add a REFI-QDA codebook’s codes to the project."), tsr_cli_cmd_import_qdc },
  { "save-copy", N_("PROJECT COPY"), N_("Save a copy of the project as it is now."), tsr_cli_cmd_save_copy },
  { "back-up", N_("PROJECT"), N_("Back up the project if it changed since its last backup."), tsr_cli_cmd_back_up },
  { "backups", N_("PROJECT"), N_("List the project’s backups, newest first."), tsr_cli_cmd_backups },
  { "export-qdpx", N_("PROJECT"), N_("Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder."), tsr_cli_cmd_export_qdpx },
  { "import-qdpx", N_("FILE PROJECT"), N_("Create a project from a REFI-QDA project (.qdpx) made in NVivo, ATLAS.ti, MAXQDA or QualCoder."), tsr_cli_cmd_import_qdpx },
  { "merge", N_("PROJECT OTHER"), N_("Bring in another copy of the project: another coder’s coding, memos, codes…"), tsr_cli_cmd_merge },
  { "search", N_("PROJECT QUERY"), N_("Search the documents’ text; print the hits per document as TSV: document, hits."), tsr_cli_cmd_search },
  { "kwic", N_("PROJECT QUERY"), N_("Print every hit of a search in its context (a keyword-in-context concordance)."), tsr_cli_cmd_kwic },
  { "retrieve", N_("PROJECT CODE…"), N_("List every passage of codes or themes with its document, coder, memo and context, as TSV or a document."), tsr_cli_cmd_retrieve },
  { "autocode", N_("PROJECT QUERY CODE"), N_("Code every hit of a search, widened to its word, sentence or paragraph, as one edit."), tsr_cli_cmd_autocode },
  { "words", N_("PROJECT"), N_("Print how often each word occurs, as TSV: word, count, documents."), tsr_cli_cmd_words },
  { "agreement", N_("PROJECT"), N_("Print intercoder agreement per code: counts, percent, Cohen’s κ, Krippendorff’s α."), tsr_cli_cmd_agreement },
};

const Command *
tsr_cli_lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* main --------------------------------------------------------------- */

static void
print_help (FILE *stream)
{
  fprintf (stream, "%s\n  tessera-cli [--coder NAME] COMMAND [OPTION…] ARGUMENTS\n\n",
           _("Usage:"));
  fprintf (stream, "%s\n\n", _("Thematic analysis of qualitative text, from the command line."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-13s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  %-19s %s\n", "--coder NAME",
           _("Whose edits these are (default: $TESSERA_CODER, the coder remembered with set-coder, or your real name)"));
  fprintf (stream, "  %-19s %s\n", "-h, --help", _("Show this help"));
  fprintf (stream, "  %-19s %s\n", "--version", _("Show the version"));
  fprintf (stream, "\n%s\n", _("“tessera-cli COMMAND --help” describes a command."));
}

int
main (int   argc,
      char *argv[])
{
  const Command *command;
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command. */
  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_help (stdout);
          return EXIT_SUCCESS;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("tessera-cli %s\n", PACKAGE_VERSION);
          return EXIT_SUCCESS;
        }
      else if (g_str_equal (argv[i], "--coder") || g_str_has_prefix (argv[i], "--coder="))
        {
          const char *value = argv[i][7] == '=' ? argv[i] + 8 : argv[++i];
          g_autoptr(GError) error = NULL;

          if (value == NULL)
            return tsr_cli_usage_error (NULL, _("--coder needs a NAME"));
          g_free (global_coder);
          if (!(global_coder = tsr_cli_argument_to_utf8 (value, &error)))
            return tsr_cli_usage_error (NULL, "%s", error->message);
        }
      else
        return tsr_cli_usage_error (NULL, _("Unknown option %s"), argv[i]);
    }

  if (i >= argc)
    return tsr_cli_usage_error (NULL, _("Missing command"));

  if (g_str_equal (argv[i], "help"))
    {
      if (i + 1 < argc)
        {
          g_autofree char *prgname = NULL;
          char *help_argv[] = { argv[i + 1], (char *) "--help", NULL };

          if ((command = tsr_cli_lookup_command (argv[i + 1])) == NULL)
            return tsr_cli_usage_error (NULL, _("Unknown command “%s”"), argv[i + 1]);

          prgname = g_strdup_printf ("tessera-cli %s", command->name);
          g_set_prgname (prgname);
          return command->run (2, help_argv);
        }
      print_help (stdout);
      return EXIT_SUCCESS;
    }

  command = tsr_cli_lookup_command (argv[i]);
  if (command == NULL)
    return tsr_cli_usage_error (NULL, _("Unknown command “%s”"), argv[i]);

  {
    g_autofree char *prgname = g_strdup_printf ("tessera-cli %s", command->name);
    int status;

    g_set_prgname (prgname);
    status = command->run (argc - i, argv + i);
    tsr_cli_release_output ();
    if (held_output != NULL)
      g_string_free (g_steal_pointer (&held_output), TRUE);
    remove_reading_copy ();
    g_clear_pointer (&global_coder, g_free);
    return status;
  }
}
