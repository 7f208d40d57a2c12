/* tsr-cli-autocode.c — coding every hit of a search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "tsr-cli-private.h"

int
tsr_cli_cmd_autocode (int    argc,
                      char **argv)
{
  const Command *command = tsr_cli_lookup_command ("autocode");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autofree char *regex_arg = NULL;
  g_autofree char *regex = NULL;
  g_autofree char *unit_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *coder = NULL;
  gboolean substring = FALSE;
  TsrAutocodeUnit unit = TSR_AUTOCODE_HIT;
  guint n_coded = 0;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "unit", 'u', 0, G_OPTION_ARG_FILENAME, &unit_arg, N_("Code the hit, or widen it to its word, sentence or paragraph (hit)"), N_("UNIT") },
    { "substring", 's', 0, G_OPTION_ARG_NONE, &substring, N_("Find QUERY as a piece of text, inside words too"), NULL },
    { "regex", 'r', 0, G_OPTION_ARG_FILENAME, &regex_arg, N_("The hits are the matches of this regular expression"), N_("RE") },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("Whose coding this is (default: the global --coder, $TESSERA_CODER or your name)"), N_("NAME") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Searches the documents as “tessera-cli search” does and codes every hit "
                                       "with CODE, widened to the --unit; hits that fall in one word, sentence or "
                                       "paragraph become one passage. It is one edit: “tessera-cli undo” takes all "
                                       "of it back. Prints how many passages were coded."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 3, 3, &status))
    return status;
  if (unit_arg != NULL && !tsr_autocode_unit_from_string (unit_arg, &unit))
    return tsr_cli_usage_error (command->name, _("Unknown unit “%s”: use hit, word, sentence or paragraph"), unit_arg);
  if (!(query = tsr_cli_argument_to_utf8 (argv[2], &error)) ||
      !(path = tsr_cli_argument_to_utf8 (argv[3], &error)) ||
      (regex_arg != NULL && !(regex = tsr_cli_argument_to_utf8 (regex_arg, &error))) ||
      (coder_arg != NULL && !(coder = tsr_cli_argument_to_utf8 (coder_arg, &error))))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !tsr_cli_set_coder (project, coder, TRUE, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  if (!(code = tsr_project_find_code (project, path)))
    {
      g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("There is no code “%s” in this project"), path);
      return tsr_cli_close_project (project, tsr_cli_fail (error));
    }
  if (!(hits = tsr_project_search (project, query, substring ? TSR_SEARCH_SUBSTRING : TSR_SEARCH_WORDS,
                                   regex, NULL, &error)) ||
      !tsr_project_autocode (project, hits, tsr_entity_get_id (TSR_ENTITY (code)), unit, &n_coded, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  tsr_cli_print ("%u\n", n_coded);
  return tsr_cli_close_project (project, status);
}
