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

#include "tessera.h"

#define EXIT_USAGE 2

typedef int (*CommandFunc) (int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  const char  *parameters;
  const char  *summary;
  CommandFunc  run;
} Command;

/* The coder named before the command; edits are attributed to it. */
static char *global_coder;

/* Where open_for_reading () put a private copy of a read-only project. */
static char *reading_copy;

/* Output ------------------------------------------------------------- */

static void
print_error (const char *message)
{
  fprintf (stderr, "tessera-cli: %s\n", message);
}

static int
fail (GError *error)
{
  print_error (error->message);
  return EXIT_FAILURE;
}

static int
usage_error (const char *command,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (const char *command,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_error (message);
  if (command != NULL)
    fprintf (stderr, _("Try “tessera-cli %s --help”.\n"), command);
  else
    fprintf (stderr, _("Try “tessera-cli --help”.\n"));

  return EXIT_USAGE;
}

/* A TSV field holds no tab or line end: they are written as \t, \n, \r,
 * and a backslash as \\, the convention of PostgreSQL's and MySQL's text
 * dumps that spreadsheet and R/pandas readers can undo. */
static void
append_tsv_field (GString    *line,
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
static void
print_tsv_row (const char *first,
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
      append_tsv_field (line, field);
      field = va_arg (args, const char *);
    }
  va_end (args);

  g_string_append_c (line, '\n');
  fputs (line->str, stdout);
}

static char *
format_percent (double percent)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Always a point, never the locale's comma: the output is data. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", percent));
}

static const char *
yes_no (gboolean value)
{
  return value ? "true" : "false";
}

/* Arguments ---------------------------------------------------------- */

/* Arguments are taken as UTF-8 when they are (what every current system
 * passes) and converted from the locale's charset otherwise, so a name
 * with an accent works under LANG=C too. */
static char *
argument_to_utf8 (const char  *argument,
                  GError     **error)
{
  if (g_utf8_validate (argument, -1, NULL))
    return g_strdup (argument);

  return g_locale_to_utf8 (argument, -1, NULL, NULL, error);
}

static gboolean
parse_options (GOptionContext   *context,
               const char       *command,
               int              *argc,
               char           ***argv,
               int              *status)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;

  *status = usage_error (command, "%s", error->message);
  return FALSE;
}

static GOptionContext *
command_context (const Command      *command,
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
static gboolean
check_arguments (const Command *command,
                 int            argc,
                 int            min,
                 int            max,
                 int           *status)
{
  int n = argc - 1;

  if (n < min)
    {
      *status = usage_error (command->name, _("Missing arguments: %s"), _(command->parameters));
      return FALSE;
    }
  if (max >= 0 && n > max)
    {
      *status = usage_error (command->name, _("Too many arguments: %s"), _(command->parameters));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_offset (const char *command,
              const char *what,
              const char *text,
              guint      *offset,
              int        *status)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      *status = usage_error (command, _("%s must be a character offset (0 or more), not “%s”"),
                             what, text);
      return FALSE;
    }
  *offset = (guint) value;
  return TRUE;
}

/* Projects ----------------------------------------------------------- */

/* Opens a project for a command that only reads it.  The core opens
 * every project read-write (it switches the file to write-ahead logging),
 * so a project the user may only read, such as the demo installed under
 * /usr/share, is read from a private copy that main () deletes. */
static TsrProject *
open_for_reading (const char  *path,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  TsrProject *project;

  project = tsr_project_open (path, &local_error);
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

/* Finishes a command that opened @project: a clean close checkpoints the
 * write-ahead log so the project is one file again. */
static int
close_project (TsrProject *project,
               int         status)
{
  g_autoptr(GError) error = NULL;

  if (project != NULL && !tsr_project_close (project, &error) && status == EXIT_SUCCESS)
    return fail (error);

  return status;
}

/* Makes @name (or the global --coder, $TESSERA_CODER, the coder
 * remembered for this account with set-coder, the user's real name) the
 * coder that the project's history and new segments name.  A login name
 * such as "root" names nobody: an edit that is coding (@required) then
 * needs the coder given; other edits are recorded without a name. */
static gboolean
set_coder (TsrProject  *project,
           const char  *name,
           gboolean     required,
           GError     **error)
{
  g_autoptr(TsrCoder) coder = NULL;
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

  coder = tsr_project_ensure_coder (project, name, error);
  if (coder == NULL)
    return FALSE;

  return tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (coder)), error);
}

static TsrDocument *
find_document (TsrProject  *project,
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

static TsrCode *
find_code (TsrProject  *project,
           const char  *path,
           GError     **error)
{
  TsrCode *code = tsr_project_find_code (project, path);

  if (code == NULL)
    g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                 _("There is no code “%s” in this project (see “tessera-cli codes”)"), path);

  return code;
}

/* Commands ----------------------------------------------------------- */

static int cmd_new (int argc, char **argv);
static int cmd_import (int argc, char **argv);
static int cmd_docs (int argc, char **argv);
static int cmd_codes (int argc, char **argv);
static int cmd_add_code (int argc, char **argv);
static int cmd_code (int argc, char **argv);
static int cmd_set_coder (int argc, char **argv);
static int cmd_stats (int argc, char **argv);
static int cmd_export_json (int argc, char **argv);
static int cmd_import_json (int argc, char **argv);
static int cmd_history (int argc, char **argv);
static int cmd_undo (int argc, char **argv);
static int cmd_redo (int argc, char **argv);
static int cmd_export (int argc, char **argv);
static int cmd_merge (int argc, char **argv);
static int cmd_agreement (int argc, char **argv);

static const Command commands[] = {
  { "new", N_("PROJECT"), N_("Create a new, empty project."), cmd_new },
  { "import", N_("PROJECT FILE…"), N_("Import documents (text, Markdown, HTML, DOCX, ODT, PDF) and survey spreadsheets (CSV, XLSX)."), cmd_import },
  { "docs", N_("PROJECT"), N_("List the documents as TSV: id, name, characters, read."), cmd_docs },
  { "codes", N_("PROJECT"), N_("List the codes as TSV: path, color, definition."), cmd_codes },
  { "add-code", N_("PROJECT PATH"), N_("Create a code; its parent must exist."), cmd_add_code },
  { "code", N_("PROJECT DOCUMENT CODE START END"), N_("Code a passage of a document."), cmd_code },
  { "set-coder", N_("PROJECT NAME"), N_("Remember who codes in this project on this account (the app then does not ask)."), cmd_set_coder },
  { "stats", N_("PROJECT"), N_("Print the theme table (or the code table) with n and %."), cmd_stats },
  { "export-json", N_("PROJECT"), N_("Write the whole project as JSON."), cmd_export_json },
  { "import-json", N_("FILE PROJECT"), N_("Create a project from a JSON export."), cmd_import_json },
  { "history", N_("PROJECT"), N_("List the edits, newest first, as TSV: time, coder, description, undone."), cmd_history },
  { "undo", N_("PROJECT"), N_("Undo the last edit."), cmd_undo },
  { "redo", N_("PROJECT"), N_("Redo the last undone edit."), cmd_redo },
  { "export", N_("PROJECT"), N_("Write the theme table, codebook or write-up as DOCX, ODT, PDF, HTML, Markdown, CSV, LaTeX or JSON."), cmd_export },
  { "merge", N_("PROJECT OTHER"), N_("Bring in another copy of the project: another coder’s coding, memos, codes…"), cmd_merge },
  { "agreement", N_("PROJECT"), N_("Print intercoder agreement per code: counts, percent, Cohen’s κ, Krippendorff’s α."), cmd_agreement },
};

static const Command *
lookup_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* new ---------------------------------------------------------------- */

static int
cmd_new (int    argc,
         char **argv)
{
  const Command *command = lookup_command ("new");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_arg = NULL;
  g_autofree char *title = NULL;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "title", 't', 0, G_OPTION_ARG_FILENAME, &title_arg, N_("The project’s title (default: the file name)"), N_("TITLE") },
    { NULL }
  };

  context = command_context (command, entries, NULL);
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (title_arg != NULL && !(title = argument_to_utf8 (title_arg, &error)))
    return usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_create (argv[1], &error)))
    return fail (error);

  if (title != NULL &&
      (!set_coder (project, NULL, FALSE, &error) ||
       !tsr_project_set_title (project, title, &error)))
    status = fail (error);

  return close_project (project, status);
}

/* import ------------------------------------------------------------- */

static int
cmd_import (int    argc,
            char **argv)
{
  const Command *command = lookup_command ("import");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrImporter) importer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text_column_arg = NULL;
  g_autofree char *id_column_arg = NULL;
  g_autofree char *sheet_arg = NULL;
  g_autofree char *text_column = NULL;
  g_autofree char *id_column = NULL;
  g_autofree char *sheet = NULL;
  gboolean duplicates = FALSE;
  GListModel *items;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "text-column", 0, 0, G_OPTION_ARG_FILENAME, &text_column_arg,
      N_("Spreadsheets: the column holding the text, by header or number from 1 "
         "(default: the text column with the longest values)"), N_("COLUMN") },
    { "id-column", 0, 0, G_OPTION_ARG_FILENAME, &id_column_arg,
      N_("Spreadsheets: the column naming each document (default: “Row N”)"), N_("COLUMN") },
    { "sheet", 0, 0, G_OPTION_ARG_FILENAME, &sheet_arg,
      N_("Workbooks: the sheet to read (default: the first visible one)"), N_("NAME") },
    { "duplicates", 0, 0, G_OPTION_ARG_NONE, &duplicates,
      N_("Also import documents whose text is already in the project"), NULL },
    { NULL }
  };

  context = command_context (command, entries,
                             _("Formats are told by content: plain text, Markdown, HTML, "
                               "Word (DOCX), OpenDocument (ODT), PDF, and spreadsheets (CSV, "
                               "XLSX) whose rows each become a document, the other columns "
                               "becoming typed attributes. All files are one undoable step.\n\n"
                               "For each imported document a line “id, name, characters” is "
                               "printed. A file that cannot be imported is reported on standard "
                               "error and the others are still imported; the exit status is "
                               "then 1. A document whose text is already in the project (for "
                               "a spreadsheet row: the same text and name) is reported and "
                               "left out unless --duplicates is given."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 2, -1, &status))
    return status;

  if ((text_column_arg != NULL && !(text_column = argument_to_utf8 (text_column_arg, &error))) ||
      (id_column_arg != NULL && !(id_column = argument_to_utf8 (id_column_arg, &error))) ||
      (sheet_arg != NULL && !(sheet = argument_to_utf8 (sheet_arg, &error))))
    return usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !set_coder (project, NULL, FALSE, &error))
    return close_project (project, fail (error));

  importer = tsr_importer_new ();
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      TsrImportItem *item = tsr_importer_add_file (importer, file);

      tsr_import_item_set_column_names (item, text_column, id_column);
      tsr_import_item_set_sheet (item, sheet);
    }

  if (!tsr_importer_read (importer, NULL, NULL, NULL, &error))
    return close_project (project, fail (error));
  tsr_importer_commit (importer, project, duplicates, &error);
  if (error != NULL)
    status = fail (error);

  items = tsr_importer_get_items (importer);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (items, i);
      g_autoptr(GArray) ids = tsr_import_item_get_document_ids (item);
      g_autofree char *description = tsr_import_item_describe (item);

      for (guint k = 0; k < ids->len; k++)
        {
          gint64 document_id = g_array_index (ids, gint64, k);
          g_autoptr(TsrDocument) document = tsr_project_lookup_document (project, document_id);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, document_id);
          g_autofree char *length = g_strdup_printf ("%u", document ? tsr_document_get_length (document) : 0);

          print_tsv_row (id, document ? tsr_document_get_name (document) : "", length, NULL);
        }

      switch (tsr_import_item_get_status (item))
        {
        case TSR_IMPORT_FAILED:
          print_error (description);
          status = EXIT_FAILURE;
          break;

        case TSR_IMPORT_DUPLICATE:
          {
            g_autofree char *line = g_strdup_printf ("%s: %s", tsr_import_item_get_display_name (item),
                                                     description);
            print_error (line);
          }
          break;

        case TSR_IMPORT_IMPORTED:
          /* Plain documents need no note; a spreadsheet says which column
           * it read and what it left out. */
          if (tsr_import_format_is_table (tsr_import_item_get_format (item)))
            {
              g_autofree char *line = g_strdup_printf ("%s: %s", tsr_import_item_get_display_name (item),
                                                       description);
              print_error (line);
            }
          break;

        case TSR_IMPORT_PENDING:
        case TSR_IMPORT_READY:
        default:
          break;
        }
    }

  return close_project (project, status);
}

/* docs --------------------------------------------------------------- */

static int
cmd_docs (int    argc,
          char **argv)
{
  const Command *command = lookup_command ("docs");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = command_context (command, NULL,
                             _("Tabs, line ends and backslashes inside a field are written "
                               "as \\t, \\n, \\r and \\\\."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  print_tsv_row ("id", "name", "characters", "read", NULL);
  documents = tsr_project_get_documents (project);
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             tsr_entity_get_id (TSR_ENTITY (document)));
      g_autofree char *length = g_strdup_printf ("%u", tsr_document_get_length (document));

      print_tsv_row (id, tsr_document_get_name (document), length,
                     yes_no (tsr_document_get_read (document)), NULL);
    }

  return close_project (project, status);
}

/* codes -------------------------------------------------------------- */

static void
print_code_tree (TsrProject *project,
                 gint64      parent_id,
                 const char *parent_path,
                 guint       depth,
                 gboolean    as_tree)
{
  g_autoptr(GListModel) codes = tsr_project_get_codes (project, parent_id);

  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(TsrCode) code = g_list_model_get_item (codes, i);
      g_autofree char *path = parent_path
        ? g_strconcat (parent_path, "/", tsr_code_get_name (code), NULL)
        : g_strdup (tsr_code_get_name (code));

      if (as_tree)
        {
          g_autofree char *indent = g_strnfill (depth * 2, ' ');

          printf ("%s%s\n", indent, tsr_code_get_name (code));
        }
      else
        print_tsv_row (path, tsr_code_get_color (code), tsr_code_get_definition (code), NULL);

      print_code_tree (project, tsr_entity_get_id (TSR_ENTITY (code)), path, depth + 1, as_tree);
    }
}

static int
cmd_codes (int    argc,
           char **argv)
{
  const Command *command = lookup_command ("codes");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gboolean as_tree = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "tree", 0, 0, G_OPTION_ARG_NONE, &as_tree, N_("Print the names as an indented tree instead"), NULL },
    { NULL }
  };

  context = command_context (command, entries,
                             _("Codes are listed parents first, in the order of the code tree. "
                               "A path names a code from the top level down, separated by “/”."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  if (!as_tree)
    print_tsv_row ("path", "color", "definition", NULL);
  print_code_tree (project, 0, NULL, 0, as_tree);

  return close_project (project, status);
}

/* add-code ----------------------------------------------------------- */

static int
cmd_add_code (int    argc,
              char **argv)
{
  const Command *command = lookup_command ("add-code");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCode) parent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *color_arg = NULL;
  g_autofree char *definition_arg = NULL;
  g_autofree char *color = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *path = NULL;
  g_autofree char *parent_path = NULL;
  const char *name;
  const char *slash;
  gint64 id;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "color", 'c', 0, G_OPTION_ARG_FILENAME, &color_arg, N_("The code’s colour as #rrggbb (default: the next in the palette)"), N_("COLOR") },
    { "definition", 'd', 0, G_OPTION_ARG_FILENAME, &definition_arg, N_("What the code means and when to apply it"), N_("TEXT") },
    { NULL }
  };

  /* Only the last name is created: a typo in a parent's name would
   * otherwise quietly grow a second tree. */
  context = command_context (command, entries,
                             _("PATH names the code from the top level down, separated by "
                               "“/”, as in “Support/Peers”. Only the last name is created: "
                               "the parent must already exist. Prints the new code’s id."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(path = argument_to_utf8 (argv[2], &error)) ||
      (color_arg != NULL && !(color = argument_to_utf8 (color_arg, &error))) ||
      (definition_arg != NULL && !(definition = argument_to_utf8 (definition_arg, &error))))
    return usage_error (command->name, "%s", error->message);

  g_strstrip (path);
  slash = strrchr (path, '/');
  name = slash ? slash + 1 : path;
  if (*name == '\0' || *path == '/')
    return usage_error (command->name, _("“%s” is not a code path"), argv[2]);

  if (!(project = tsr_project_open (argv[1], &error)))
    return fail (error);

  if (slash != NULL)
    {
      parent_path = g_strndup (path, slash - path);
      if (!(parent = tsr_project_find_code (project, parent_path)))
        {
          g_autofree char *message =
            g_strdup_printf (_("There is no code “%s” to put “%s” in; create it first"),
                             parent_path, name);

          print_error (message);
          return close_project (project, EXIT_FAILURE);
        }
    }

  if (!set_coder (project, NULL, FALSE, &error) ||
      !(id = tsr_project_create_code (project,
                                      parent ? tsr_entity_get_id (TSR_ENTITY (parent)) : 0,
                                      name, color, definition, &error)))
    return close_project (project, fail (error));

  printf ("%" G_GINT64_FORMAT "\n", id);

  return close_project (project, status);
}

/* code --------------------------------------------------------------- */

static int
cmd_code (int    argc,
          char **argv)
{
  const Command *command = lookup_command ("code");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrDocument) document = NULL;
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *coder = NULL;
  g_autofree char *document_name = NULL;
  g_autofree char *code_path = NULL;
  guint start, end;
  gint64 id;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("Whose coding this is (default: the global --coder, $TESSERA_CODER or your name)"), N_("NAME") },
    { NULL }
  };

  context = command_context (command, entries,
                             _("DOCUMENT is a document’s name or id, CODE a code’s path. "
                               "START and END are character offsets into the document’s "
                               "text, counted from 0; END is not included. Prints the new "
                               "segment’s id."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 5, 5, &status) ||
      !parse_offset (command->name, "START", argv[4], &start, &status) ||
      !parse_offset (command->name, "END", argv[5], &end, &status))
    return status;

  if (!(document_name = argument_to_utf8 (argv[2], &error)) ||
      !(code_path = argument_to_utf8 (argv[3], &error)) ||
      (coder_arg != NULL && !(coder = argument_to_utf8 (coder_arg, &error))))
    return usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !(document = find_document (project, document_name, &error)) ||
      !(code = find_code (project, code_path, &error)) ||
      !set_coder (project, coder, TRUE, &error) ||
      !(id = tsr_project_add_segment (project,
                                      tsr_entity_get_id (TSR_ENTITY (document)),
                                      tsr_entity_get_id (TSR_ENTITY (code)),
                                      start, end, &error)))
    return close_project (project, fail (error));

  printf ("%" G_GINT64_FORMAT "\n", id);

  return close_project (project, status);
}

/* set-coder ---------------------------------------------------------- */

static int
cmd_set_coder (int    argc,
               char **argv)
{
  const Command *command = lookup_command ("set-coder");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int status = EXIT_SUCCESS;

  context = command_context (command, NULL,
                             _("Remembers NAME in the project file as the coder of this login "
                               "on this machine: Tessera then codes as NAME here without asking "
                               "who is coding, and tessera-cli edits without --coder are NAME’s. "
                               "NAME may be a coder the project already has, or a new one. "
                               "Each login and machine is remembered apart, so a copy of the "
                               "project given to a second coder still asks them."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(name = argument_to_utf8 (argv[2], &error)))
    return usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !(coder = tsr_project_confirm_coder (project, name, &error)))
    return close_project (project, fail (error));

  return close_project (project, status);
}

/* stats -------------------------------------------------------------- */

typedef enum
{
  FORMAT_TSV,
  FORMAT_MARKDOWN,
  FORMAT_JSON,
} OutputFormat;

typedef struct
{
  TsrProject   *project;
  TsrCounts    *counts;
  OutputFormat  format;
  GString      *out;
  JsonBuilder  *json;
} Table;

static char *
markdown_cell (const char *text)
{
  g_autoptr(GString) cell = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '|' || *p == '\\' || *p == '*' || *p == '_')
        g_string_append_c (cell, '\\');
      if (*p == '\n')
        g_string_append_c (cell, ' ');
      else
        g_string_append_c (cell, *p);
    }

  return g_string_free (g_steal_pointer (&cell), FALSE);
}

static void
table_row (Table      *table,
           guint       depth,
           const char *name,
           guint       n,
           guint       segments,
           gboolean    with_segments)
{
  double percent = tsr_counts_percent (table->counts, n);
  g_autofree char *percent_text = NULL;
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  g_autofree char *segments_text = g_strdup_printf ("%u", segments);

  /* With no document in scope a share is undefined, not 0 %. */
  if (isnan (percent))
    percent_text = g_strdup (table->format == FORMAT_MARKDOWN ? "–" : "");
  else
    percent_text = format_percent (percent);

  switch (table->format)
    {
    case FORMAT_TSV:
      {
        g_autoptr(GString) label = g_string_new (NULL);

        for (guint i = 0; i < depth; i++)
          g_string_append (label, "  ");
        g_string_append (label, name);
        if (with_segments)
          print_tsv_row (label->str, n_text, percent_text, segments_text, NULL);
        else
          print_tsv_row (label->str, n_text, percent_text, NULL);
      }
      break;

    case FORMAT_MARKDOWN:
      {
        g_autofree char *cell = markdown_cell (name);

        /* Pipe tables trim cell spaces: an em space entity survives
         * every renderer, and pandoc carries it into Word. */
        g_string_append (table->out, "| ");
        for (guint i = 0; i < depth; i++)
          g_string_append (table->out, "&emsp;");
        g_string_append_printf (table->out, "%s | %s | %s |", cell, n_text, percent_text);
        if (with_segments)
          g_string_append_printf (table->out, " %s |", segments_text);
        g_string_append_c (table->out, '\n');
      }
      break;

    case FORMAT_JSON:
    default:
      json_builder_set_member_name (table->json, "n");
      json_builder_add_int_value (table->json, n);
      json_builder_set_member_name (table->json, "percent");
      if (isnan (percent))
        json_builder_add_null_value (table->json);
      else
        json_builder_add_double_value (table->json, g_ascii_strtod (percent_text, NULL));
      json_builder_set_member_name (table->json, "segments");
      json_builder_add_int_value (table->json, segments);
      break;
    }
}

static gboolean
format_percent_cb (const GMatchInfo *match,
                   GString          *result,
                   gpointer          user_data)
{
  g_autofree char *key = g_match_info_fetch (match, 1);
  g_autofree char *number = g_match_info_fetch (match, 2);
  g_autofree char *rounded = format_percent (g_ascii_strtod (number, NULL));

  g_string_append (result, key);
  g_string_append (result, rounded);
  return FALSE;
}

/* json-glib writes every double with 17 significant digits, so 72.7
 * comes out as 72.700000000000003: the same number to a JSON reader, but
 * not what a researcher reading the file expects.  Percentages are the
 * only doubles in the document, under a key no string value can fake
 * (a quote inside a string is escaped), so they are rewritten with the
 * one decimal the other formats show. */
static char *
tidy_percentages (const char *json)
{
  g_autoptr(GRegex) regex = g_regex_new ("(\"percent\" : )(-?[0-9][0-9.eE+-]*)",
                                         G_REGEX_OPTIMIZE, 0, NULL);

  return g_regex_replace_eval (regex, json, -1, 0, 0, format_percent_cb, NULL, NULL);
}

static void
theme_rows (Table  *table,
            gint64  parent_id,
            guint   depth)
{
  g_autoptr(GListModel) themes = tsr_project_get_themes (table->project, parent_id);
  guint n_themes = g_list_model_get_n_items (themes);

  if (table->format == FORMAT_JSON && depth > 0)
    {
      json_builder_set_member_name (table->json, "subthemes");
      json_builder_begin_array (table->json);
    }

  for (guint i = 0; i < n_themes; i++)
    {
      g_autoptr(TsrTheme) theme = g_list_model_get_item (themes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (theme));

      /* A discarded theme is kept for the audit trail, not reported. */
      if (tsr_theme_get_status (theme) == TSR_THEME_DISCARDED)
        continue;

      if (table->format == FORMAT_JSON)
        {
          json_builder_begin_object (table->json);
          json_builder_set_member_name (table->json, "name");
          json_builder_add_string_value (table->json, tsr_theme_get_name (theme));
          json_builder_set_member_name (table->json, "status");
          json_builder_add_string_value (table->json,
                                         tsr_theme_status_to_string (tsr_theme_get_status (theme)));
        }

      table_row (table, depth, tsr_theme_get_name (theme),
                 tsr_counts_get_theme_n (table->counts, id),
                 tsr_counts_get_theme_segments (table->counts, id), FALSE);
      theme_rows (table, id, depth + 1);

      if (table->format == FORMAT_JSON)
        json_builder_end_object (table->json);
    }

  if (table->format == FORMAT_JSON && depth > 0)
    json_builder_end_array (table->json);
}

static void
code_rows (Table      *table,
           gint64      parent_id,
           const char *parent_path)
{
  g_autoptr(GListModel) codes = tsr_project_get_codes (table->project, parent_id);

  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(TsrCode) code = g_list_model_get_item (codes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
      g_autofree char *path = parent_path
        ? g_strconcat (parent_path, "/", tsr_code_get_name (code), NULL)
        : g_strdup (tsr_code_get_name (code));

      if (table->format == FORMAT_JSON)
        {
          json_builder_begin_object (table->json);
          json_builder_set_member_name (table->json, "path");
          json_builder_add_string_value (table->json, path);
        }

      table_row (table, 0, path,
                 tsr_counts_get_code_n (table->counts, id),
                 tsr_counts_get_code_segments (table->counts, id), TRUE);

      if (table->format == FORMAT_JSON)
        json_builder_end_object (table->json);

      code_rows (table, id, path);
    }
}

/* --coders, --coder, --case and --attribute, as stats and export take
 * them. */
typedef struct
{
  TsrCoderMode mode;
  gboolean     mode_given;
  char        *coder_name;
  char        *case_name;
  char        *attribute_name;
  char        *attribute_value;
} ScopeOptions;

static void
scope_options_clear (ScopeOptions *options)
{
  g_clear_pointer (&options->coder_name, g_free);
  g_clear_pointer (&options->case_name, g_free);
  g_clear_pointer (&options->attribute_name, g_free);
  g_clear_pointer (&options->attribute_value, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopeOptions, scope_options_clear)

/* Checks the scope options before the project is opened.  On a usage
 * error returns %FALSE with *@status set. */
static gboolean
parse_scope_options (const char   *command,
                     const char   *mode_arg,
                     const char   *coder_arg,
                     const char   *case_arg,
                     const char   *attribute_arg,
                     ScopeOptions *options,
                     int          *status)
{
  g_autoptr(GError) error = NULL;

  options->mode = TSR_CODERS_ANY;
  options->mode_given = mode_arg != NULL;
  if (options->mode_given && !tsr_coder_mode_from_string (mode_arg, &options->mode))
    {
      *status = usage_error (command, _("Unknown coder mode “%s”: use one, any, all or consensus"), mode_arg);
      return FALSE;
    }
  if (coder_arg != NULL && !options->mode_given)
    {
      options->mode = TSR_CODERS_ONE;
      options->mode_given = TRUE;
    }
  if (options->mode == TSR_CODERS_ONE && coder_arg == NULL)
    {
      *status = usage_error (command, _("--coders one needs --coder NAME"));
      return FALSE;
    }
  if (options->mode != TSR_CODERS_ONE && coder_arg != NULL)
    {
      *status = usage_error (command, _("--coder goes with --coders one"));
      return FALSE;
    }

  if ((coder_arg != NULL && !(options->coder_name = argument_to_utf8 (coder_arg, &error))) ||
      (case_arg != NULL && !(options->case_name = argument_to_utf8 (case_arg, &error))) ||
      (attribute_arg != NULL && !(options->attribute_name = argument_to_utf8 (attribute_arg, &error))))
    {
      *status = usage_error (command, "%s", error->message);
      return FALSE;
    }

  if (options->attribute_name != NULL)
    {
      char *equals = strchr (options->attribute_name, '=');

      if (equals == NULL || equals == options->attribute_name)
        {
          *status = usage_error (command, _("--attribute takes NAME=VALUE, not “%s”"),
                                 options->attribute_name);
          return FALSE;
        }
      *equals = '\0';
      options->attribute_value = g_strdup (equals + 1);
    }

  return TRUE;
}

/* The scope the options name in @project.  Without --coders, the rule
 * every view of the app follows; options->mode and ->coder_name then
 * say what it chose. */
static TsrScope *
resolve_scope (TsrProject    *project,
               ScopeOptions  *options,
               GError       **error)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(TsrScope) scope = NULL;

  if (!options->mode_given)
    {
      g_autoptr(TsrScope) default_scope = tsr_project_dup_default_scope (project);

      options->mode = tsr_scope_get_mode (default_scope);
      if (options->mode == TSR_CODERS_ONE)
        {
          coder = tsr_project_lookup_coder (project, tsr_scope_get_coder_id (default_scope));
          g_free (options->coder_name);
          options->coder_name = g_strdup (tsr_coder_get_name (coder));
        }
    }

  if (coder == NULL && options->coder_name != NULL &&
      !(coder = tsr_project_find_coder (project, options->coder_name)))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("There is no coder “%s” in this project"), options->coder_name);
      return NULL;
    }

  scope = tsr_scope_new (options->mode, coder ? tsr_entity_get_id (TSR_ENTITY (coder)) : 0);

  if (options->case_name != NULL)
    {
      g_autoptr(TsrCase) case_ = tsr_project_find_case (project, options->case_name);

      if (case_ == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("There is no case “%s” in this project"), options->case_name);
          return NULL;
        }
      tsr_scope_set_case (scope, tsr_entity_get_id (TSR_ENTITY (case_)));
    }

  if (options->attribute_name != NULL)
    {
      g_autoptr(TsrAttribute) attribute =
        tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, options->attribute_name);

      if (attribute == NULL)
        attribute = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_CASES, options->attribute_name);
      if (attribute == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("There is no attribute “%s” in this project"), options->attribute_name);
          return NULL;
        }
      tsr_scope_set_attribute (scope, tsr_entity_get_id (TSR_ENTITY (attribute)), options->attribute_value);
    }

  return g_steal_pointer (&scope);
}

static int
cmd_stats (int    argc,
           char **argv)
{
  const Command *command = lookup_command ("stats");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrScope) scope = NULL;
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ScopeOptions) scope_options = { 0, };
  g_autoptr(GString) out = NULL;
  g_autoptr(JsonBuilder) json = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *mode_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *case_arg = NULL;
  g_autofree char *attribute_arg = NULL;
  g_autofree char *coding_label = NULL;
  gboolean codes_table = FALSE;
  OutputFormat format = FORMAT_TSV;
  guint n_documents;
  Table table;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("Output as tsv (default), markdown or json"), N_("FORMAT") },
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &mode_arg, N_("Whose coding counts: one, any, all or consensus"), N_("MODE") },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("The coder for --coders one (implies it)"), N_("NAME") },
    { "case", 0, 0, G_OPTION_ARG_FILENAME, &case_arg, N_("Count only the documents of this case"), N_("NAME") },
    { "attribute", 0, 0, G_OPTION_ARG_FILENAME, &attribute_arg, N_("Count only documents (or cases) with this attribute value"), N_("NAME=VALUE") },
    { "codes", 0, 0, G_OPTION_ARG_NONE, &codes_table, N_("Print the code table instead of the theme table"), NULL },
    { NULL }
  };

  context = command_context (command, entries,
                             _("n is the number of documents in scope in which a theme occurs "
                               "(a segment of any of its codes or its sub-themes’ codes), or a "
                               "code occurs (a segment of it or of a code below it); % is n "
                               "of the documents in scope, with one decimal. Sub-themes are "
                               "indented under their theme; discarded themes are left out. "
                               "The code table also gives the number of segments.\n\n"
                               "Without --coders, the consensus coding is counted when the "
                               "project has consensus coding; otherwise the coding of the coder "
                               "remembered here (see set-coder) when nobody else has coded, "
                               "and otherwise the coding of any coder."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (format_arg == NULL || g_str_equal (format_arg, "tsv"))
    format = FORMAT_TSV;
  else if (g_str_equal (format_arg, "markdown") || g_str_equal (format_arg, "md"))
    format = FORMAT_MARKDOWN;
  else if (g_str_equal (format_arg, "json"))
    format = FORMAT_JSON;
  else
    return usage_error (command->name, _("Unknown format “%s”: use tsv, markdown or json"),
                        format_arg);

  if (!parse_scope_options (command->name, mode_arg, coder_arg, case_arg, attribute_arg, &scope_options, &status))
    return status;

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  if (!(scope = resolve_scope (project, &scope_options, &error)))
    return close_project (project, fail (error));

  if (!(counts = tsr_project_compute_counts (project, scope, NULL, &error)))
    return close_project (project, fail (error));

  n_documents = tsr_counts_get_n_documents (counts);
  switch (scope_options.mode)
    {
    case TSR_CODERS_ONE:
      coding_label = g_strdup_printf (_("coding by %s"), scope_options.coder_name);
      break;
    case TSR_CODERS_ALL:
      coding_label = g_strdup (_("coded by every coder"));
      break;
    case TSR_CODERS_CONSENSUS:
      coding_label = g_strdup (_("consensus coding"));
      break;
    case TSR_CODERS_ANY:
    default:
      coding_label = g_strdup (_("coding by any coder"));
      break;
    }

  out = g_string_new (NULL);
  json = json_builder_new ();
  table = (Table) { project, counts, format, out, json };

  switch (format)
    {
    case FORMAT_TSV:
      if (codes_table)
        print_tsv_row ("code", "n", "percent", "segments", NULL);
      else
        print_tsv_row ("theme", "n", "percent", NULL);
      break;

    case FORMAT_MARKDOWN:
      if (codes_table)
        g_string_append_printf (out, "| %s | n | %% | %s |\n|:--|--:|--:|--:|\n",
                                _("Code"), _("Segments"));
      else
        g_string_append_printf (out, "| %s | n | %% |\n|:--|--:|--:|\n", _("Theme"));
      break;

    case FORMAT_JSON:
    default:
      json_builder_begin_object (json);
      json_builder_set_member_name (json, "coders");
      json_builder_add_string_value (json, tsr_coder_mode_to_string (scope_options.mode));
      json_builder_set_member_name (json, "coder");
      if (scope_options.coder_name)
        json_builder_add_string_value (json, scope_options.coder_name);
      else
        json_builder_add_null_value (json);
      json_builder_set_member_name (json, "case");
      if (scope_options.case_name)
        json_builder_add_string_value (json, scope_options.case_name);
      else
        json_builder_add_null_value (json);
      json_builder_set_member_name (json, "attribute");
      if (scope_options.attribute_name)
        {
          json_builder_begin_object (json);
          json_builder_set_member_name (json, "name");
          json_builder_add_string_value (json, scope_options.attribute_name);
          json_builder_set_member_name (json, "value");
          json_builder_add_string_value (json, scope_options.attribute_value);
          json_builder_end_object (json);
        }
      else
        json_builder_add_null_value (json);
      json_builder_set_member_name (json, "documents");
      json_builder_add_int_value (json, n_documents);
      json_builder_set_member_name (json, codes_table ? "codes" : "themes");
      json_builder_begin_array (json);
      break;
    }

  if (codes_table)
    code_rows (&table, 0, NULL);
  else
    theme_rows (&table, 0, 0);

  switch (format)
    {
    case FORMAT_MARKDOWN:
      g_string_append_c (out, '\n');
      g_string_append_printf (out,
                              codes_table
                                ? _("n = documents in which the code occurs, of %u in scope (%s).\n")
                                : _("n = documents in which the theme occurs, of %u in scope (%s).\n"),
                              n_documents, coding_label);
      fputs (out->str, stdout);
      break;

    case FORMAT_JSON:
      {
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *text = NULL;
        g_autofree char *tidy = NULL;

        json_builder_end_array (json);
        json_builder_end_object (json);
        root = json_builder_get_root (json);
        json_generator_set_root (generator, root);
        json_generator_set_pretty (generator, TRUE);
        text = json_generator_to_data (generator, NULL);
        tidy = tidy_percentages (text);
        printf ("%s\n", tidy);
      }
      break;

    case FORMAT_TSV:
    default:
      break;
    }

  return close_project (project, status);
}

/* export-json, import-json ------------------------------------------- */

static int
cmd_export_json (int    argc,
                 char **argv)
{
  const Command *command = lookup_command ("export-json");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = NULL;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = command_context (command, entries,
                             _("The export holds every document, code, segment, theme, memo, "
                               "case, attribute and the history; “tessera-cli import-json” "
                               "turns it back into the same project."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  if (out_path == NULL || g_str_equal (out_path, "-"))
    {
      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!tsr_project_export_json (project, stream, NULL, &error))
        status = fail (error);
      return close_project (project, status);
    }

  /* Written beside the target and renamed over it on success, so a
   * failed export never leaves half a file or spoils an older one. */
  file = g_file_new_for_commandline_arg (out_path);
  stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  if (stream == NULL)
    return close_project (project, fail (error));

  if (!tsr_project_export_json (project, stream, NULL, &error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (stream, abandon, NULL);
      return close_project (project, fail (error));
    }

  if (!g_output_stream_close (stream, NULL, &error))
    status = fail (error);

  return close_project (project, status);
}

static int
cmd_import_json (int    argc,
                 char **argv)
{
  const Command *command = lookup_command ("import-json");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = command_context (command, NULL,
                             _("FILE is a JSON export (“-” reads standard input). PROJECT "
                               "must not exist yet."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 2, 2, &status))
    return status;

  if (g_str_equal (argv[1], "-"))
    stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      stream = G_INPUT_STREAM (g_file_read (file, NULL, &error));
      if (stream == NULL)
        return fail (error);
    }

  if (!(project = tsr_project_import_json (argv[2], stream, NULL, &error)))
    return fail (error);

  return close_project (project, status);
}

/* history, undo, redo ------------------------------------------------ */

static int
cmd_history (int    argc,
             char **argv)
{
  const Command *command = lookup_command ("history");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  g_autoptr(GError) error = NULL;
  int limit = 0;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show only the newest N edits"), N_("N") },
    { NULL }
  };

  context = command_context (command, entries,
                             _("Times are local, in ISO 8601. “undone” is true for an edit "
                               "that was undone."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;
  if (limit < 0)
    return usage_error (command->name, _("--limit must be 0 (everything) or more"));

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  print_tsv_row ("time", "coder", "description", "undone", NULL);
  entries_list = tsr_project_list_history (project, (guint) limit);
  for (guint i = 0; i < entries_list->len; i++)
    {
      TsrHistoryEntry *entry = entries_list->pdata[i];
      gint64 time = tsr_history_entry_get_time (entry);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z")
                                    : g_strdup ("");

      print_tsv_row (when, tsr_history_entry_get_coder_name (entry),
                     tsr_history_entry_get_description (entry),
                     yes_no (tsr_history_entry_get_undone (entry)), NULL);
    }

  return close_project (project, status);
}

static int
undo_or_redo (int      argc,
              char   **argv,
              gboolean undo)
{
  const Command *command = lookup_command (undo ? "undo" : "redo");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  int status = EXIT_SUCCESS;

  context = command_context (command, NULL, _("Prints what was undone or redone."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_project_open (argv[1], &error)))
    return fail (error);

  label = undo ? tsr_project_get_undo_label (project) : tsr_project_get_redo_label (project);
  if (!(undo ? tsr_project_undo (project, &error) : tsr_project_redo (project, &error)))
    return close_project (project, fail (error));

  if (label != NULL)
    printf ("%s\n", label);

  return close_project (project, status);
}

static int
cmd_undo (int    argc,
          char **argv)
{
  return undo_or_redo (argc, argv, TRUE);
}

static int
cmd_redo (int    argc,
          char **argv)
{
  return undo_or_redo (argc, argv, FALSE);
}

/* export ------------------------------------------------------------- */

/* Writes a report to standard output (text formats only: a zip or a PDF
 * on a terminal helps nobody). */
static gboolean
write_report_to_stdout (TsrReport               *report,
                        TsrReportKind            kind,
                        const TsrReportOptions  *options,
                        TsrExportFormat          format,
                        TsrExportFlags           flags,
                        GError                 **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(TsrExportDocument) doc = NULL;

  if (format == TSR_EXPORT_DOCX || format == TSR_EXPORT_ODT || format == TSR_EXPORT_PDF)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("%s is not written to standard output; give --out FILE"),
                   tsr_export_format_get_display_name (format));
      return FALSE;
    }
  if (kind == TSR_REPORT_WRITEUP && format == TSR_EXPORT_CSV)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("A write-up is text around a table, which CSV cannot hold; "
                             "choose DOCX, ODT, PDF, HTML, Markdown, LaTeX or JSON"));
      return FALSE;
    }

  fflush (stdout);
  stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (format == TSR_EXPORT_JSON)
    return tsr_report_write_json (report, kind, options, stream, NULL, error);

  doc = tsr_report_to_document (report, kind, options);
  return tsr_export_document_write (doc, format, flags, stream, NULL, error);
}

static int
cmd_export (int    argc,
            char **argv)
{
  const Command *command = lookup_command ("export");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrScope) scope = NULL;
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(GError) error = NULL;
  g_auto(ScopeOptions) scope_options = { 0, };
  g_autofree char *what_arg = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *mode_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *case_arg = NULL;
  g_autofree char *attribute_arg = NULL;
  g_autofree char *order_arg = NULL;
  g_autofree char *percent_arg = NULL;
  g_autofree char *labels_arg = NULL;
  g_autofree char *prefix_arg = NULL;
  g_autofree char *noun_arg = NULL;
  g_autofree char *title_arg = NULL;
  gboolean codes = FALSE;
  gboolean quotes = FALSE;
  gboolean no_definitions = FALSE;
  gboolean bom = FALSE;
  TsrReportKind kind = TSR_REPORT_THEMES;
  TsrExportFormat format;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "what", 'w', 0, G_OPTION_ARG_FILENAME, &what_arg, N_("themes (default), codebook or writeup"), N_("REPORT") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("docx, odt, pdf, html, md, csv, tex or json (default: from the file name)"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("The file to write (“-” for standard output)"), N_("FILE") },
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &mode_arg, N_("Whose coding counts: one, any, all or consensus"), N_("MODE") },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("The coder for --coders one (implies it)"), N_("NAME") },
    { "case", 0, 0, G_OPTION_ARG_FILENAME, &case_arg, N_("Count only the documents of this case"), N_("NAME") },
    { "attribute", 0, 0, G_OPTION_ARG_FILENAME, &attribute_arg, N_("Count only documents (or cases) with this attribute value"), N_("NAME=VALUE") },
    { "order", 0, 0, G_OPTION_ARG_FILENAME, &order_arg, N_("tree (default), n or name"), N_("ORDER") },
    { "percent", 0, 0, G_OPTION_ARG_FILENAME, &percent_arg, N_("How n is written: n (“n = 19”), fraction (“19/22 (86%)”) or percent (“19 (86.4%)”, default)"), N_("FORMAT") },
    { "codes", 0, 0, G_OPTION_ARG_NONE, &codes, N_("List each theme’s codes"), NULL },
    { "quotes", 0, 0, G_OPTION_ARG_NONE, &quotes, N_("Add each theme’s exemplar quotes"), NULL },
    { "no-definitions", 0, 0, G_OPTION_ARG_NONE, &no_definitions, N_("Leave out the themes’ definitions"), NULL },
    { "labels", 0, 0, G_OPTION_ARG_FILENAME, &labels_arg, N_("How quotes name their document: names, or numbers (default)"), N_("LABELS") },
    { "label-prefix", 0, 0, G_OPTION_ARG_FILENAME, &prefix_arg, N_("The letter before document numbers (default: E)"), N_("PREFIX") },
    { "noun", 0, 0, G_OPTION_ARG_FILENAME, &noun_arg, N_("What the documents are, in the plural (default: documents)"), N_("NOUN") },
    { "title", 0, 0, G_OPTION_ARG_FILENAME, &title_arg, N_("The write-up’s title (default: the project’s)"), N_("TITLE") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom, N_("Start a CSV file with a byte order mark, for Excel"), NULL },
    { NULL }
  };

  context = command_context (command, entries,
                             _("Writes a report-ready theme table, the codebook or a full write-up "
                               "(the theme table, then each theme’s definition, scope notes, "
                               "narrative and quotes). n is counted as by “tessera-cli stats”; "
                               "percentages are of the documents in scope and rounded half away "
                               "from zero. The write-up always has its quotes.\n\n"
                               "A file is written whole or not at all: a failed export leaves an "
                               "older file of that name as it was."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (what_arg != NULL && !tsr_report_kind_from_string (what_arg, &kind))
    return usage_error (command->name, _("Unknown report “%s”: use themes, codebook or writeup"), what_arg);
  if (out_path == NULL)
    return usage_error (command->name, _("Missing --out FILE"));
  if (format_arg != NULL)
    {
      if (!tsr_export_format_from_string (format_arg, &format))
        return usage_error (command->name,
                            _("Unknown format “%s”: use docx, odt, pdf, html, md, csv, tex or json"),
                            format_arg);
    }
  else if (!tsr_export_format_from_file_name (out_path, &format))
    return usage_error (command->name,
                        _("Give --format: “%s” does not end in .docx, .odt, .pdf, .html, .md, "
                          ".csv, .tex or .json"), out_path);
  if (order_arg != NULL && !tsr_report_order_from_string (order_arg, &options->order))
    return usage_error (command->name, _("Unknown order “%s”: use tree, n or name"), order_arg);
  if (percent_arg != NULL && !tsr_prevalence_format_from_string (percent_arg, &options->prevalence))
    return usage_error (command->name, _("Unknown percent format “%s”: use n, fraction or percent"),
                        percent_arg);
  if (labels_arg != NULL && !tsr_document_labels_from_string (labels_arg, &options->labels))
    return usage_error (command->name, _("Unknown labels “%s”: use names or numbers"), labels_arg);
  options->codes = codes;
  options->quotes = quotes;
  options->definitions = !no_definitions;
  if (prefix_arg != NULL)
    {
      g_clear_pointer (&options->label_prefix, g_free);
      if (!(options->label_prefix = argument_to_utf8 (prefix_arg, &error)))
        return usage_error (command->name, "%s", error->message);
    }
  if ((noun_arg != NULL && !(options->noun = argument_to_utf8 (noun_arg, &error))) ||
      (title_arg != NULL && !(options->title = argument_to_utf8 (title_arg, &error))))
    return usage_error (command->name, "%s", error->message);

  if (!parse_scope_options (command->name, mode_arg, coder_arg, case_arg, attribute_arg, &scope_options, &status))
    return status;

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);

  if (!(scope = resolve_scope (project, &scope_options, &error)))
    return close_project (project, fail (error));

  if (!(report = tsr_project_build_report (project, scope, NULL, &error)))
    return close_project (project, fail (error));

  if (g_str_equal (out_path, "-"))
    {
      if (!write_report_to_stdout (report, kind, options, format, bom ? TSR_EXPORT_CSV_BOM : 0, &error))
        status = fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_report_save (report, kind, options, format, bom ? TSR_EXPORT_CSV_BOM : 0, file, NULL, &error))
        status = fail (error);
    }

  return close_project (project, status);
}

/* merge -------------------------------------------------------------- */

static int
cmd_merge (int    argc,
           char **argv)
{
  const Command *command = lookup_command ("merge");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean dry_run = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Print what would be merged, and write nothing"), NULL },
    { NULL }
  };

  context = command_context (command, entries,
                             _("OTHER is another copy of the project, such as the file a second coder "
                               "worked on. Everything it holds that PROJECT does not is brought in: "
                               "coders, documents, codes, coded passages, memos, journal entries, "
                               "themes, cases, attributes and reconciliation decisions. Rows are "
                               "matched by their UUID, then by content (a document by its text, a "
                               "code or theme by its name under the same parent); where the copies "
                               "differ PROJECT’s version is kept and the plan says so. The plan is "
                               "printed first; the merge is one step that “tessera-cli undo” takes "
                               "back. OTHER is only read."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 2, 2, &status))
    return status;

  /* A dry run only reads, so it works on a project one may not write. */
  if (!(project = dry_run ? open_for_reading (argv[1], &error) : tsr_project_open (argv[1], &error)) ||
      (!dry_run && !set_coder (project, NULL, FALSE, &error)) ||
      !(plan = tsr_project_plan_merge (project, argv[2], NULL, &error)))
    return close_project (project, fail (error));

  text = tsr_merge_plan_format (plan);
  fputs (text, stdout);

  if (dry_run)
    printf ("\n%s\n", _("Nothing was written (--dry-run)."));
  else if (tsr_merge_plan_is_empty (plan))
    printf ("\n%s\n", _("Nothing to merge."));
  else if (!tsr_project_merge (project, plan, NULL, &error))
    return close_project (project, fail (error));
  else
    printf ("\n%s\n", _("Merged."));

  return close_project (project, status);
}

/* agreement ---------------------------------------------------------- */

typedef enum
{
  AGREEMENT_TSV,
  AGREEMENT_JSON,
  AGREEMENT_EXPORT,
} AgreementFormat;

static void
append_statistic_json (JsonBuilder  *json,
                       const char   *name,
                       TsrStatistic  statistic)
{
  json_builder_set_member_name (json, name);
  if (statistic.undefined == TSR_DEFINED)
    json_builder_add_double_value (json, statistic.value);
  else
    json_builder_add_null_value (json);
}

static void
append_undefined (GString      *reasons,
                  const char   *name,
                  TsrStatistic  statistic)
{
  if (statistic.undefined == TSR_DEFINED)
    return;
  g_string_append_printf (reasons, "%s%s: %s", reasons->len ? "; " : "", name,
                          tsr_undefined_reason_to_string (statistic.undefined));
}

static void
agreement_row_tsv (GString          *out,
                   TsrAgreement     *agreement,
                   gint64            code_id,
                   const char       *label,
                   TsrAgreementUnit  unit)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *percent = NULL;
  g_autofree char *alpha_text = NULL;
  TsrAgreementRow row;
  TsrAlphaResult alpha;

  tsr_agreement_get_row (agreement, code_id, unit, &row);
  tsr_agreement_get_alpha (agreement, code_id, &alpha);

  append_tsv_field (line, label);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    g_string_append_printf (line, "\t%u\t%u\t%u\t%u", row.segments_a, row.matched_a, row.segments_b, row.matched_b);
  else
    g_string_append_printf (line, "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                            "\t%" G_GUINT64_FORMAT, row.both, row.only_a, row.only_b, row.neither);

  /* An undefined value is an empty field, with the reason at the end. */
  percent = row.percent.undefined == TSR_DEFINED ? tsr_agreement_format_statistic (row.percent, 1) : g_strdup ("");
  g_string_append_printf (line, "\t%s", percent);
  append_undefined (reasons, "percent", row.percent);
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      g_autofree char *kappa = row.kappa.undefined == TSR_DEFINED ? tsr_agreement_format_statistic (row.kappa, 3) : g_strdup ("");
      g_autofree char *bp = row.bp_kappa.undefined == TSR_DEFINED ? tsr_agreement_format_statistic (row.bp_kappa, 3) : g_strdup ("");

      g_string_append_printf (line, "\t%s\t%s", kappa, bp);
      append_undefined (reasons, "kappa", row.kappa);
      append_undefined (reasons, "bp_kappa", row.bp_kappa);
    }
  alpha_text = alpha.alpha.undefined == TSR_DEFINED ? tsr_agreement_format_statistic (alpha.alpha, 3) : g_strdup ("");
  g_string_append_printf (line, "\t%s\t", alpha_text);
  append_undefined (reasons, "alpha", alpha.alpha);
  append_tsv_field (line, reasons->str);
  g_string_append_c (line, '\n');
  g_string_append (out, line->str);
}

static void
agreement_row_json (JsonBuilder      *json,
                    TsrAgreement     *agreement,
                    gint64            code_id,
                    const char       *path,
                    TsrAgreementUnit  unit)
{
  TsrAgreementRow row;
  TsrAlphaResult alpha;

  tsr_agreement_get_row (agreement, code_id, unit, &row);
  tsr_agreement_get_alpha (agreement, code_id, &alpha);

  json_builder_begin_object (json);
  if (path != NULL)
    {
      json_builder_set_member_name (json, "path");
      json_builder_add_string_value (json, path);
    }
  json_builder_set_member_name (json, "counts");
  json_builder_begin_object (json);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      json_builder_set_member_name (json, "segments_a");
      json_builder_add_int_value (json, row.segments_a);
      json_builder_set_member_name (json, "matched_a");
      json_builder_add_int_value (json, row.matched_a);
      json_builder_set_member_name (json, "segments_b");
      json_builder_add_int_value (json, row.segments_b);
      json_builder_set_member_name (json, "matched_b");
      json_builder_add_int_value (json, row.matched_b);
    }
  else
    {
      json_builder_set_member_name (json, "both");
      json_builder_add_int_value (json, row.both);
      json_builder_set_member_name (json, "only_a");
      json_builder_add_int_value (json, row.only_a);
      json_builder_set_member_name (json, "only_b");
      json_builder_add_int_value (json, row.only_b);
      json_builder_set_member_name (json, "neither");
      json_builder_add_int_value (json, row.neither);
    }
  json_builder_end_object (json);
  append_statistic_json (json, "percent", row.percent);
  append_statistic_json (json, "kappa", row.kappa);
  append_statistic_json (json, "bp_kappa", row.bp_kappa);
  append_statistic_json (json, "alpha", alpha.alpha);
  json_builder_set_member_name (json, "alpha_inputs");
  json_builder_begin_object (json);
  json_builder_set_member_name (json, "pairable_units");
  json_builder_add_int_value (json, alpha.n_units);
  json_builder_set_member_name (json, "pairable_values");
  json_builder_add_double_value (json, alpha.n_values);
  append_statistic_json (json, "observed_disagreement",
                         (TsrStatistic) { alpha.observed, alpha.n_units > 0 ? TSR_DEFINED : TSR_UNDEFINED_NOT_PAIRABLE });
  append_statistic_json (json, "expected_disagreement",
                         (TsrStatistic) { alpha.expected, alpha.n_units > 0 ? TSR_DEFINED : TSR_UNDEFINED_NOT_PAIRABLE });
  json_builder_end_object (json);
  json_builder_set_member_name (json, "undefined");
  json_builder_begin_object (json);
  {
    const char *names[] = { "percent", "kappa", "bp_kappa", "alpha" };
    TsrStatistic values[] = { row.percent, row.kappa, row.bp_kappa, alpha.alpha };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (values[i].undefined != TSR_DEFINED)
        {
          json_builder_set_member_name (json, names[i]);
          json_builder_add_string_value (json, tsr_undefined_reason_to_string (values[i].undefined));
        }
  }
  json_builder_end_object (json);
  json_builder_end_object (json);
}

static gboolean
write_string_cb (GOutputStream  *stream,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  const char *text = user_data;

  return g_output_stream_write_all (stream, text, strlen (text), NULL, cancellable, error);
}

static int
cmd_agreement (int    argc,
               char **argv)
{
  const Command *command = lookup_command ("agreement");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) coder_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *coders_arg = NULL;
  g_autofree char *unit_arg = NULL;
  g_autofree char *overlap_arg = NULL;
  g_autofree char *uncoded_arg = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *coders_text = NULL;
  g_auto(GStrv) names = NULL;
  TsrAgreementUnit unit = TSR_AGREEMENT_PRESENCE;
  TsrAgreementFlags flags = TSR_AGREEMENT_DEFAULT;
  AgreementFormat format = AGREEMENT_TSV;
  TsrExportFormat export_format = TSR_EXPORT_CSV;
  double overlap = 90.0;
  guint n_codes;
  const gint64 *codes;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &coders_arg, N_("The coders to compare, by name: A,B (and more for α)"), N_("A,B") },
    { "unit", 'u', 0, G_OPTION_ARG_FILENAME, &unit_arg, N_("presence (default), characters or segments"), N_("UNIT") },
    { "overlap", 0, 0, G_OPTION_ARG_FILENAME, &overlap_arg, N_("For segments: the overlap, in percent, at which two segments agree (default 90)"), N_("PERCENT") },
    { "uncoded", 0, 0, G_OPTION_ARG_FILENAME, &uncoded_arg, N_("A document a coder did not code at all: missing (default, left out) or absent (holds no code)"), N_("HOW") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("tsv (default), json, markdown, csv, html, docx, odt, pdf or tex"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = command_context (command, entries,
                             _("Compares two coders’ coding, code by code, with the counts behind each "
                               "statistic. Units: presence — whether each coder applied the code in a "
                               "document (the unit behind a theme’s n); characters — whether each coder "
                               "coded each character (NVivo’s unit); segments — whether each coder’s "
                               "segment is matched by one of the other’s overlapping it by at least "
                               "--overlap percent of the two segments’ combined extent (MAXQDA’s segment "
                               "check). Cohen’s κ and Brennan and Prediger’s κ come with presence and "
                               "characters; Krippendorff’s α (nominal, on presence, for all the coders "
                               "named) with every unit. The last row pools every code.\n\n"
                               "A statistic that is undefined (a code nobody used, chance agreement of 1, "
                               "no variation) is left empty in TSV, null in JSON and “–” in tables, with "
                               "the reason; it is never shown as 0 or 1."));
  if (!parse_options (context, command->name, &argc, &argv, &status) ||
      !check_arguments (command, argc, 1, 1, &status))
    return status;

  if (coders_arg == NULL)
    return usage_error (command->name, _("Missing --coders A,B"));
  if (unit_arg != NULL && !tsr_agreement_unit_from_string (unit_arg, &unit))
    return usage_error (command->name, _("Unknown unit “%s”: use presence, characters or segments"), unit_arg);
  if (overlap_arg != NULL)
    {
      char *end = NULL;

      overlap = g_ascii_strtod (overlap_arg, &end);
      if (end == overlap_arg || *end != '\0' || !(overlap > 0 && overlap <= 100))
        return usage_error (command->name, _("--overlap must be a percentage above 0 and at most 100, not “%s”"),
                            overlap_arg);
    }
  if (uncoded_arg != NULL)
    {
      if (g_str_equal (uncoded_arg, "absent"))
        flags |= TSR_AGREEMENT_UNCODED_AS_ABSENT;
      else if (!g_str_equal (uncoded_arg, "missing"))
        return usage_error (command->name, _("Unknown value “%s” for --uncoded: use missing or absent"), uncoded_arg);
    }
  if (format_arg == NULL || g_str_equal (format_arg, "tsv"))
    format = AGREEMENT_TSV;
  else if (g_str_equal (format_arg, "json"))
    format = AGREEMENT_JSON;
  else if (tsr_export_format_from_string (format_arg, &export_format) && export_format != TSR_EXPORT_JSON)
    format = AGREEMENT_EXPORT;
  else if (g_str_equal (format_arg, "markdown"))
    {
      format = AGREEMENT_EXPORT;
      export_format = TSR_EXPORT_MARKDOWN;
    }
  else
    return usage_error (command->name,
                        _("Unknown format “%s”: use tsv, json, markdown, csv, html, docx, odt, pdf or tex"),
                        format_arg);
  if (format == AGREEMENT_EXPORT && out_path == NULL &&
      (export_format == TSR_EXPORT_DOCX || export_format == TSR_EXPORT_ODT || export_format == TSR_EXPORT_PDF))
    return usage_error (command->name, _("%s is not written to standard output; give --out FILE"),
                        tsr_export_format_get_display_name (export_format));

  if (!(coders_text = argument_to_utf8 (coders_arg, &error)))
    return usage_error (command->name, "%s", error->message);
  names = g_strsplit (coders_text, ",", -1);
  if (g_strv_length (names) < 2)
    return usage_error (command->name, _("--coders needs at least two coders, as A,B"));

  if (!(project = open_for_reading (argv[1], &error)))
    return fail (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));
      g_autoptr(TsrCoder) coder = tsr_project_find_coder (project, name);
      gint64 id;

      if (coder == NULL)
        {
          g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("There is no coder “%s” in this project"), name);
          return close_project (project, fail (error));
        }
      id = tsr_entity_get_id (TSR_ENTITY (coder));
      g_array_append_val (coder_ids, id);
    }

  agreement = tsr_project_compute_agreement (project, (const gint64 *) coder_ids->data, coder_ids->len,
                                             overlap, flags, NULL, &error);
  if (agreement == NULL)
    return close_project (project, fail (error));
  codes = tsr_agreement_get_codes (agreement, &n_codes);

  if (format == AGREEMENT_EXPORT)
    {
      g_autoptr(TsrExportDocument) doc = tsr_agreement_to_document (agreement, project, unit);

      if (out_path == NULL || g_str_equal (out_path, "-"))
        {
          g_autoptr(GOutputStream) stream = NULL;

          fflush (stdout);
          stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
          if (!tsr_export_document_write (doc, export_format, TSR_EXPORT_FLAGS_NONE, stream, NULL, &error))
            status = fail (error);
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

          if (!tsr_export_document_save (doc, export_format, TSR_EXPORT_FLAGS_NONE, file, NULL, &error))
            status = fail (error);
        }
      return close_project (project, status);
    }

  if (format == AGREEMENT_TSV)
    {
      if (unit == TSR_AGREEMENT_SEGMENTS)
        g_string_append (out, "code\tsegments_a\tmatched_a\tsegments_b\tmatched_b\tpercent\talpha\tundefined\n");
      else
        g_string_append (out, "code\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\tbp_kappa\talpha\tundefined\n");
      for (guint i = 0; i < n_codes; i++)
        {
          g_autofree char *path = tsr_project_get_code_path (project, codes[i]);
          agreement_row_tsv (out, agreement, codes[i], path, unit);
        }
      agreement_row_tsv (out, agreement, 0, _("(all codes)"), unit);
    }
  else
    {
      g_autoptr(JsonBuilder) json = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (json);
      json_builder_set_member_name (json, "coders");
      json_builder_begin_array (json);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *name = g_strstrip (g_strdup (names[i]));
          json_builder_add_string_value (json, name);
        }
      json_builder_end_array (json);
      json_builder_set_member_name (json, "unit");
      json_builder_add_string_value (json, tsr_agreement_unit_to_string (unit));
      json_builder_set_member_name (json, "min_overlap");
      json_builder_add_double_value (json, overlap);
      json_builder_set_member_name (json, "uncoded");
      json_builder_add_string_value (json, (flags & TSR_AGREEMENT_UNCODED_AS_ABSENT) ? "absent" : "missing");
      json_builder_set_member_name (json, "documents");
      json_builder_add_int_value (json, tsr_agreement_get_n_documents (agreement));
      json_builder_set_member_name (json, "documents_compared");
      json_builder_add_int_value (json, tsr_agreement_get_n_compared (agreement));
      json_builder_set_member_name (json, "codes");
      json_builder_begin_array (json);
      for (guint i = 0; i < n_codes; i++)
        {
          g_autofree char *path = tsr_project_get_code_path (project, codes[i]);
          agreement_row_json (json, agreement, codes[i], path, unit);
        }
      json_builder_end_array (json);
      json_builder_set_member_name (json, "overall");
      agreement_row_json (json, agreement, 0, NULL, unit);
      json_builder_end_object (json);

      root = json_builder_get_root (json);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }

  if (out_path == NULL || g_str_equal (out_path, "-"))
    fputs (out->str, stdout);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_export_save_file (file, write_string_cb, out->str, NULL, &error))
        status = fail (error);
    }
  return close_project (project, status);
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
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
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
            return usage_error (NULL, _("--coder needs a NAME"));
          g_free (global_coder);
          if (!(global_coder = argument_to_utf8 (value, &error)))
            return usage_error (NULL, "%s", error->message);
        }
      else
        return usage_error (NULL, _("Unknown option %s"), argv[i]);
    }

  if (i >= argc)
    return usage_error (NULL, _("Missing command"));

  if (g_str_equal (argv[i], "help"))
    {
      if (i + 1 < argc)
        {
          g_autofree char *prgname = NULL;
          char *help_argv[] = { argv[i + 1], (char *) "--help", NULL };

          if ((command = lookup_command (argv[i + 1])) == NULL)
            return usage_error (NULL, _("Unknown command “%s”"), argv[i + 1]);

          prgname = g_strdup_printf ("tessera-cli %s", command->name);
          g_set_prgname (prgname);
          return command->run (2, help_argv);
        }
      print_help (stdout);
      return EXIT_SUCCESS;
    }

  command = lookup_command (argv[i]);
  if (command == NULL)
    return usage_error (NULL, _("Unknown command “%s”"), argv[i]);

  {
    g_autofree char *prgname = g_strdup_printf ("tessera-cli %s", command->name);
    int status;

    g_set_prgname (prgname);
    status = command->run (argc - i, argv + i);
    fflush (stdout);
    remove_reading_copy ();
    g_clear_pointer (&global_coder, g_free);
    return status;
  }
}
