/* tsr-cli-coding.c — tessera-cli's commands on codes and coding:
 * codes, add-code, code, mark-done, mark-undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "tsr-cli-private.h"

/* Arguments that name a passage -------------------------------------- */

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
      *status = tsr_cli_usage_error (command, _("%s must be a character offset (0 or more), not “%s”"),
                                     what, text);
      return FALSE;
    }
  *offset = (guint) value;
  return TRUE;
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

          tsr_cli_print ("%s%s\n", indent, tsr_code_get_name (code));
        }
      else
        tsr_cli_print_tsv_row (path, tsr_code_get_color (code), tsr_code_get_definition (code), NULL);

      print_code_tree (project, tsr_entity_get_id (TSR_ENTITY (code)), path, depth + 1, as_tree);
    }
}

int
tsr_cli_cmd_codes (int    argc,
                   char **argv)
{
  const Command *command = tsr_cli_lookup_command ("codes");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gboolean as_tree = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "tree", 0, 0, G_OPTION_ARG_NONE, &as_tree, N_("Print the names as an indented tree instead"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Codes are listed parents first, in the order of the code tree. "
                               "A path names a code from the top level down, separated by “/”."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  if (!as_tree)
    tsr_cli_print_tsv_row ("path", "color", "definition", NULL);
  print_code_tree (project, 0, NULL, 0, as_tree);

  return tsr_cli_close_project (project, status);
}

/* add-code ----------------------------------------------------------- */

int
tsr_cli_cmd_add_code (int    argc,
                      char **argv)
{
  const Command *command = tsr_cli_lookup_command ("add-code");
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
  context = tsr_cli_command_context (command, entries,
                                     _("PATH names the code from the top level down, separated by "
                               "“/”, as in “Support/Peers”. Only the last name is created: "
                               "the parent must already exist. Prints the new code’s id."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(path = tsr_cli_argument_to_utf8 (argv[2], &error)) ||
      (color_arg != NULL && !(color = tsr_cli_argument_to_utf8 (color_arg, &error))) ||
      (definition_arg != NULL && !(definition = tsr_cli_argument_to_utf8 (definition_arg, &error))))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  g_strstrip (path);
  slash = strrchr (path, '/');
  name = slash ? slash + 1 : path;
  if (*name == '\0' || *path == '/')
    return tsr_cli_usage_error (command->name, _("“%s” is not a code path"), argv[2]);

  if (!(project = tsr_project_open (argv[1], &error)))
    return tsr_cli_fail (error);

  if (slash != NULL)
    {
      parent_path = g_strndup (path, slash - path);
      if (!(parent = tsr_project_find_code (project, parent_path)))
        {
          g_autofree char *message =
            g_strdup_printf (_("There is no code “%s” to put “%s” in; create it first"),
                             parent_path, name);

          tsr_cli_print_error (message);
          return tsr_cli_close_project (project, EXIT_FAILURE);
        }
    }

  if (!tsr_cli_set_coder (project, NULL, FALSE, &error) ||
      !(id = tsr_project_create_code (project,
                                      parent ? tsr_entity_get_id (TSR_ENTITY (parent)) : 0,
                                      name, color, definition, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  tsr_cli_print ("%" G_GINT64_FORMAT "\n", id);

  return tsr_cli_close_project (project, status);
}

/* code --------------------------------------------------------------- */

int
tsr_cli_cmd_code (int    argc,
                  char **argv)
{
  const Command *command = tsr_cli_lookup_command ("code");
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

  context = tsr_cli_command_context (command, entries,
                                     _("DOCUMENT is a document’s name or id, CODE a code’s path. "
                               "START and END are character offsets into the document’s "
                               "text, counted from 0; END is not included. Prints the new "
                               "segment’s id."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 5, 5, &status) ||
      !parse_offset (command->name, "START", argv[4], &start, &status) ||
      !parse_offset (command->name, "END", argv[5], &end, &status))
    return status;

  if (!(document_name = tsr_cli_argument_to_utf8 (argv[2], &error)) ||
      !(code_path = tsr_cli_argument_to_utf8 (argv[3], &error)) ||
      (coder_arg != NULL && !(coder = tsr_cli_argument_to_utf8 (coder_arg, &error))))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)) ||
      !(document = tsr_cli_find_document (project, document_name, &error)) ||
      !(code = find_code (project, code_path, &error)) ||
      !tsr_cli_set_coder (project, coder, TRUE, &error) ||
      !(id = tsr_project_add_segment (project,
                                      tsr_entity_get_id (TSR_ENTITY (document)),
                                      tsr_entity_get_id (TSR_ENTITY (code)),
                                      start, end, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  tsr_cli_print ("%" G_GINT64_FORMAT "\n", id);

  return tsr_cli_close_project (project, status);
}

/* mark-done, mark-undone --------------------------------------------- */

static int
mark_documents (const char  *name,
                gboolean     done,
                int          argc,
                char       **argv)
{
  const Command *command = tsr_cli_lookup_command (name);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *coder_arg = NULL;
  g_autofree char *coder = NULL;
  gboolean all = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("Whose mark this is (default: the global --coder, $TESSERA_CODER or your name)"), N_("NAME") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("Every document of the project"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     done ? _("A DOCUMENT is a name or an id (see “tessera-cli docs”). A coder marks "
                                              "a document as done once they have applied every code they mean to "
                                              "apply in it; agreement then compares the documents both coders "
                                              "marked done. All the documents are marked as one edit, which "
                                              "“tessera-cli undo” takes back.")
                                          : _("A DOCUMENT is a name or an id (see “tessera-cli docs”). Takes "
                                              "back the coder’s mark that they finished coding the documents, as "
                                              "one edit."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, -1, &status))
    return status;
  if (argc == 2 && !all)
    return tsr_cli_usage_error (command->name, _("Name the documents, or give --all"));
  if (argc > 2 && all)
    return tsr_cli_usage_error (command->name, _("Name the documents or give --all, not both"));
  if (coder_arg != NULL && !(coder = tsr_cli_argument_to_utf8 (coder_arg, &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = tsr_project_open (argv[1], &error)))
    return tsr_cli_fail (error);

  /* Every name is checked before the first change. */
  if (all)
    {
      g_autoptr(GListModel) documents = tsr_project_get_documents (project);

      for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
        {
          g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);
          gint64 id = tsr_entity_get_id (TSR_ENTITY (document));

          g_array_append_val (ids, id);
        }
    }
  for (int i = 2; i < argc; i++)
    {
      g_autofree char *document_name = tsr_cli_argument_to_utf8 (argv[i], &error);
      g_autoptr(TsrDocument) document = NULL;
      gint64 id;

      if (document_name == NULL || !(document = tsr_cli_find_document (project, document_name, &error)))
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      id = tsr_entity_get_id (TSR_ENTITY (document));
      g_array_append_val (ids, id);
    }

  if (!tsr_cli_set_coder (project, coder, TRUE, &error) ||
      !tsr_project_set_documents_done (project, 0, (const gint64 *) ids->data, ids->len, done, &error))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_mark_done (int    argc,
                       char **argv)
{
  return mark_documents ("mark-done", TRUE, argc, argv);
}

int
tsr_cli_cmd_mark_undone (int    argc,
                         char **argv)
{
  return mark_documents ("mark-undone", FALSE, argc, argv);
}
