/* tsr-cli-refi.c — tessera-cli's exchange with other QDA tools:
 * REFI-QDA codebooks (.qdc) and projects (.qdpx).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tsr-cli-private.h"

int
tsr_cli_cmd_export_qdc (int    argc,
                        char **argv)
{
  const Command *command = tsr_cli_lookup_command ("export-qdc");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = NULL;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Writes the code tree as a REFI-QDA codebook (.qdc), the file NVivo, "
                                       "ATLAS.ti, MAXQDA and QualCoder import: every code with its colour, "
                                       "its definition as the description, and its Tessera id as the GUID."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  if (out_path == NULL || g_str_equal (out_path, "-"))
    {
      g_autoptr(GOutputStream) stream = NULL;

      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!tsr_project_write_codebook (project, stream, NULL, &error))
        status = tsr_cli_fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_project_export_codebook (project, file, NULL, &error))
        status = tsr_cli_fail (error);
    }
  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_import_qdc (int    argc,
                        char **argv)
{
  const Command *command = tsr_cli_lookup_command ("import-qdc");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  TsrCodebookImport result;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Adds a REFI-QDA codebook’s codes to the project as one undoable "
                                       "step: codes with their colours and descriptions (as definitions), "
                                       "in their tree. A code the project already has (the same name under "
                                       "the same parent) is kept as it is. A file that is not a codebook, or "
                                       "has a code without a name, a missing or repeated GUID or a colour "
                                       "that is not one, changes nothing.\n\n"
                                       "Prints what was added and kept; code sets, which Tessera has no "
                                       "place for, are counted and left out."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  file = g_file_new_for_commandline_arg (argv[2]);
  if (!(project = tsr_project_open (argv[1], &error)) ||
      !tsr_cli_set_coder (project, NULL, FALSE, &error) ||
      !tsr_project_import_codebook (project, file, &result, NULL, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  /* Translators: what importing a codebook did, for scripts and people */
  printf (_("added\t%u\nkept\t%u\n"), result.n_added, result.n_kept);
  if (result.n_renamed > 0)
    /* Translators: codes whose names held "/", written as "∕" */
    printf (_("renamed\t%u\n"), result.n_renamed);
  if (result.n_sets > 0)
    printf (_("sets left out\t%u\n"), result.n_sets);
  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_import_qdpx (int    argc,
                         char **argv)
{
  const Command *command = tsr_cli_lookup_command ("import-qdpx");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("Creates PROJECT (which must not exist yet) from FILE, a REFI-QDA project "
                                       "exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or Tessera: users become "
                                       "coders, the codebook codes (with colours and descriptions), text sources "
                                       "and the text of PDF sources documents, their codings coded passages, "
                                       "notes memos and journal entries, cases and variables cases and "
                                       "attributes, sets of codes themes, and a graph of codes and themes the "
                                       "theme map. Pictures, audio, video, PDF regions, links and sets of "
                                       "sources are kept in the project and written back by export-qdpx.\n\n"
                                       "Each source's positions are read the way its selections fit (Unicode "
                                       "characters, as the standard says, or UTF-16 code units, as NVivo "
                                       "writes them); a selection that fits no reading is imported where it "
                                       "falls and listed. A damaged or unsafe file, a repeated GUID or a "
                                       "reference to something the file does not hold creates nothing.\n\n"
                                       "Prints what came in, what was kept, left out and changed."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  file = g_file_new_for_commandline_arg (argv[1]);
  if (!(project = tsr_project_import_qdpx (argv[2], file, &summary, NULL, NULL, NULL, &error)))
    return tsr_cli_fail (error);

  text = tsr_refi_summary_to_text (summary, FALSE);
  tsr_cli_print_text (text);
  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_export_qdpx (int    argc,
                         char **argv)
{
  const Command *command = tsr_cli_lookup_command ("export-qdpx");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *text = NULL;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE (required; a .qdpx is a zip)"), N_("FILE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Writes the project as a REFI-QDA project (.qdpx) that validates against "
                                       "the standard's Project.xsd: coders as users, the code tree as the "
                                       "codebook, documents as UTF-8 text sources under sources/, coded "
                                       "passages as selections with their codings, memos and the journal as "
                                       "notes, cases and attributes as cases and variables, themes as sets of "
                                       "codes (what ATLAS.ti shows as code groups, MAXQDA as code sets and "
                                       "NVivo as sets) and the theme map as a graph. Tessera's UUIDs are the "
                                       "GUIDs, so a project that comes back names the same things. What an "
                                       "import kept (pictures, audio, video, links…) is written back.\n\n"
                                       "Prints what was written and what REFI-QDA has no place for."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;
  if (out_path == NULL)
    return tsr_cli_usage_error (command->name, _("Say where to write the project with --out FILE"));

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

    if (!tsr_project_export_qdpx (project, file, &summary, NULL, &error))
      return tsr_cli_close_project (project, tsr_cli_fail (error));
  }
  text = tsr_refi_summary_to_text (summary, TRUE);
  tsr_cli_print_text (text);
  return tsr_cli_close_project (project, status);
}
