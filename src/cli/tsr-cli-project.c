/* tsr-cli-project.c — tessera-cli's commands on the project itself:
 * new, set-coder, and its edits: history, undo, redo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "tsr-cli-private.h"

/* new ---------------------------------------------------------------- */

int
tsr_cli_cmd_new (int    argc,
                 char **argv)
{
  const Command *command = tsr_cli_lookup_command ("new");
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

  context = tsr_cli_command_context (command, entries, NULL);
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (title_arg != NULL && !(title = tsr_cli_argument_to_utf8 (title_arg, &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_create (argv[1], &error)))
    return tsr_cli_fail (error);

  if (title != NULL &&
      (!tsr_cli_set_coder (project, NULL, FALSE, &error) ||
       !tsr_project_set_title (project, title, &error)))
    status = tsr_cli_fail (error);

  return tsr_cli_close_project (project, status);
}

/* set-coder ---------------------------------------------------------- */

int
tsr_cli_cmd_set_coder (int    argc,
                       char **argv)
{
  const Command *command = tsr_cli_lookup_command ("set-coder");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("Remembers NAME in the project file as the coder of this login "
                               "on this machine: Tessera then codes as NAME here without asking "
                               "who is coding, and tessera-cli edits without --coder are NAME’s. "
                               "NAME may be a coder the project already has, or a new one. "
                               "Each login and machine is remembered apart, so a copy of the "
                               "project given to a second coder still asks them."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(name = tsr_cli_argument_to_utf8 (argv[2], &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !(coder = tsr_project_confirm_coder (project, name, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  return tsr_cli_close_project (project, status);
}

/* history, undo, redo ------------------------------------------------ */

int
tsr_cli_cmd_history (int    argc,
                     char **argv)
{
  const Command *command = tsr_cli_lookup_command ("history");
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

  context = tsr_cli_command_context (command, entries,
                                     _("Times are local, in ISO 8601. “undone” is true for an edit "
                               "that was undone."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;
  if (limit < 0)
    return tsr_cli_usage_error (command->name, _("--limit must be 0 (everything) or more"));

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  tsr_cli_print_tsv_row ("time", "coder", "description", "undone", NULL);
  entries_list = tsr_project_list_history (project, (guint) limit);
  for (guint i = 0; i < entries_list->len; i++)
    {
      TsrHistoryEntry *entry = entries_list->pdata[i];
      gint64 time = tsr_history_entry_get_time (entry);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z")
                                    : g_strdup ("");

      tsr_cli_print_tsv_row (when, tsr_history_entry_get_coder_name (entry),
                             tsr_history_entry_get_description (entry),
                             tsr_cli_yes_no (tsr_history_entry_get_undone (entry)), NULL);
    }

  return tsr_cli_close_project (project, status);
}

static int
undo_or_redo (int      argc,
              char   **argv,
              gboolean undo)
{
  const Command *command = tsr_cli_lookup_command (undo ? "undo" : "redo");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL, _("Prints what was undone or redone."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_project_open (argv[1], &error)))
    return tsr_cli_fail (error);

  label = undo ? tsr_project_get_undo_label (project) : tsr_project_get_redo_label (project);
  if (!(undo ? tsr_project_undo (project, &error) : tsr_project_redo (project, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  if (label != NULL)
    tsr_cli_print ("%s\n", label);

  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_undo (int    argc,
                  char **argv)
{
  return undo_or_redo (argc, argv, TRUE);
}

int
tsr_cli_cmd_redo (int    argc,
                  char **argv)
{
  return undo_or_redo (argc, argv, FALSE);
}

/* Copies and backups ---------------------------------------------------- */

int
tsr_cli_cmd_save_copy (int    argc,
                       char **argv)
{
  const Command *command = tsr_cli_lookup_command ("save-copy");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("The copy holds every edit and the history; an existing COPY is "
                                       "replaced, and a failed copy leaves nothing behind."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  file = g_file_new_for_commandline_arg (argv[2]);
  if (!tsr_project_save_copy (project, file, NULL, &error))
    return tsr_cli_fail (error);
  return tsr_cli_close_project (project, EXIT_SUCCESS);
}

int
tsr_cli_cmd_back_up (int    argc,
                     char **argv)
{
  const Command *command = tsr_cli_lookup_command ("back-up");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  int keep = 10;
  gboolean made = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, N_("How many backups to keep (default 10)"), N_("N") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("A backup is made only when the project changed since its newest "
                                       "backup; the oldest beyond --keep are removed. Backups live in the "
                                       "user’s data folder (tessera/backups), one folder per project."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;
  if (keep < 1)
    return tsr_cli_usage_error (command->name, _("--keep must be 1 or more"));

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  if (!tsr_project_back_up (project, keep, &made, NULL, &error))
    return tsr_cli_fail (error);
  backups = tsr_project_list_backups (project);
  if (made)
    tsr_cli_print ("%s\n", (const char *) g_ptr_array_index (backups, 0));
  else
    g_printerr ("%s\n", _("Unchanged since its newest backup: no backup was made."));
  return tsr_cli_close_project (project, EXIT_SUCCESS);
}

int
tsr_cli_cmd_backups (int    argc,
                     char **argv)
{
  const Command *command = tsr_cli_lookup_command ("backups");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("A backup is a whole project: open it, or copy it somewhere, "
                                       "to restore it."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  backups = tsr_project_list_backups (project);
  for (guint i = 0; i < backups->len; i++)
    tsr_cli_print ("%s\n", (const char *) g_ptr_array_index (backups, i));
  return tsr_cli_close_project (project, EXIT_SUCCESS);
}
