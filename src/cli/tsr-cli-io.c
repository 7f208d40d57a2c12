/* tsr-cli-io.c — tessera-cli's commands that bring data in and out:
 * import and docs, export-json and import-json, merge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tsr-cli-private.h"

/* import ------------------------------------------------------------- */

int
tsr_cli_cmd_import (int    argc,
                    char **argv)
{
  const Command *command = tsr_cli_lookup_command ("import");
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

  context = tsr_cli_command_context (command, entries,
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
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, -1, &status))
    return status;

  if ((text_column_arg != NULL && !(text_column = tsr_cli_argument_to_utf8 (text_column_arg, &error))) ||
      (id_column_arg != NULL && !(id_column = tsr_cli_argument_to_utf8 (id_column_arg, &error))) ||
      (sheet_arg != NULL && !(sheet = tsr_cli_argument_to_utf8 (sheet_arg, &error))))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !tsr_cli_set_coder (project, NULL, FALSE, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  importer = tsr_importer_new ();
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      TsrImportItem *item = tsr_importer_add_file (importer, file);

      tsr_import_item_set_column_names (item, text_column, id_column);
      tsr_import_item_set_sheet (item, sheet);
    }

  if (!tsr_importer_read (importer, NULL, NULL, NULL, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  tsr_importer_commit (importer, project, duplicates, &error);
  if (error != NULL)
    status = tsr_cli_fail (error);

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

          tsr_cli_print_tsv_row (id, document ? tsr_document_get_name (document) : "", length, NULL);
        }

      switch (tsr_import_item_get_status (item))
        {
        case TSR_IMPORT_FAILED:
          tsr_cli_print_error (description);
          status = EXIT_FAILURE;
          break;

        case TSR_IMPORT_DUPLICATE:
          {
            g_autofree char *line = g_strdup_printf ("%s: %s", tsr_import_item_get_display_name (item),
                                                     description);
            tsr_cli_print_error (line);
          }
          break;

        case TSR_IMPORT_IMPORTED:
          /* Plain documents need no note; a spreadsheet says which column
           * it read and what it left out. */
          if (tsr_import_format_is_table (tsr_import_item_get_format (item)))
            {
              g_autofree char *line = g_strdup_printf ("%s: %s", tsr_import_item_get_display_name (item),
                                                       description);
              tsr_cli_print_error (line);
            }
          break;

        case TSR_IMPORT_PENDING:
        case TSR_IMPORT_READY:
        default:
          break;
        }
    }

  return tsr_cli_close_project (project, status);
}

/* docs --------------------------------------------------------------- */

int
tsr_cli_cmd_docs (int    argc,
                  char **argv)
{
  const Command *command = tsr_cli_lookup_command ("docs");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GListModel) documents = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("Tabs, line ends and backslashes inside a field are written "
                               "as \\t, \\n, \\r and \\\\."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  tsr_cli_print_tsv_row ("id", "name", "characters", "read", "done_by", NULL);
  documents = tsr_project_get_documents (project);
  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             tsr_entity_get_id (TSR_ENTITY (document)));
      g_autofree char *length = g_strdup_printf ("%u", tsr_document_get_length (document));
      g_autoptr(GArray) done = tsr_project_get_document_done_coders (project, tsr_entity_get_id (TSR_ENTITY (document)));
      g_autoptr(GString) done_by = g_string_new (NULL);

      /* The coders who marked it done, by name, joined by commas. */
      for (guint k = 0; k < done->len; k++)
        {
          g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (project, g_array_index (done, gint64, k));

          g_string_append_printf (done_by, "%s%s", done_by->len > 0 ? "," : "", coder ? tsr_coder_get_name (coder) : "?");
        }
      tsr_cli_print_tsv_row (id, tsr_document_get_name (document), length,
                             tsr_cli_yes_no (tsr_document_get_read (document)), done_by->str, NULL);
    }

  return tsr_cli_close_project (project, status);
}

/* export-json, import-json ------------------------------------------- */

static gboolean
write_json_cb (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  return tsr_project_export_json (user_data, stream, cancellable, error);
}

int
tsr_cli_cmd_export_json (int    argc,
                         char **argv)
{
  const Command *command = tsr_cli_lookup_command ("export-json");
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

  context = tsr_cli_command_context (command, entries,
                                     _("The export holds every document, code, segment, theme, memo, "
                               "case, attribute and the history; “tessera-cli import-json” "
                               "turns it back into the same project."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  if (out_path == NULL || g_str_equal (out_path, "-"))
    {
      tsr_cli_release_output ();
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!tsr_project_export_json (project, stream, NULL, &error))
        status = tsr_cli_fail (error);
      return tsr_cli_close_project (project, status);
    }

  /* Written whole or not at all: a failed export never leaves half a
   * file or spoils an older one. */
  file = g_file_new_for_commandline_arg (out_path);
  if (!tsr_export_save_file (file, write_json_cb, project, NULL, &error))
    status = tsr_cli_fail (error);

  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_import_json (int    argc,
                         char **argv)
{
  const Command *command = tsr_cli_lookup_command ("import-json");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("FILE is a JSON export (“-” reads standard input). PROJECT "
                               "must not exist yet."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (g_str_equal (argv[1], "-"))
    stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);
      goffset size;

      /* A pipe or a device is refused, not read for ever. */
      stream = tsr_import_open_file (file, &size, NULL, &error);
      if (stream == NULL)
        return tsr_cli_fail (error);
    }

  if (!(project = tsr_project_import_json (argv[2], stream, NULL, &error)))
    return tsr_cli_fail (error);

  return tsr_cli_close_project (project, status);
}

/* merge -------------------------------------------------------------- */

int
tsr_cli_cmd_merge (int    argc,
                   char **argv)
{
  const Command *command = tsr_cli_lookup_command ("merge");
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

  context = tsr_cli_command_context (command, entries,
                                     _("OTHER is another copy of the project, such as the file a second coder "
                               "worked on. Everything it holds that PROJECT does not is brought in: "
                               "coders, documents, codes, coded passages, memos, journal entries, "
                               "themes, cases, attributes and reconciliation decisions. Rows are "
                               "matched by their UUID, then by content (a document by its text, a "
                               "code or theme by its name under the same parent); where the copies "
                               "differ PROJECT’s version is kept and the plan says so. The plan is "
                               "printed first; the merge is one step that “tessera-cli undo” takes "
                               "back. OTHER is only read."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  /* A dry run only reads, so it works on a project one may not write. */
  if (!(project = dry_run ? tsr_cli_open_for_reading (argv[1], &error) : tsr_project_open (argv[1], &error)) ||
      (!dry_run && !tsr_cli_set_coder (project, NULL, FALSE, &error)) ||
      !(plan = tsr_project_plan_merge (project, argv[2], NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  text = tsr_merge_plan_format (plan);
  tsr_cli_print_text (text);

  if (dry_run)
    tsr_cli_print ("\n%s\n", _("Nothing was written (--dry-run)."));
  else if (tsr_merge_plan_is_empty (plan))
    tsr_cli_print ("\n%s\n", _("Nothing to merge."));
  else if (!tsr_project_merge (project, plan, NULL, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  else
    tsr_cli_print ("\n%s\n", _("Merged."));

  return tsr_cli_close_project (project, status);
}
