/* tsr-cli-cases.c — tessera-cli's commands on cases and attributes:
 * cases, case-add, case-assign, attributes, set-attribute.
 *
 * Each edit is one undoable step, so `tessera-cli undo` takes back a
 * whole command; every name is checked before anything is written, so a
 * command that fails changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "tsr-cli-private.h"

/* Arguments that name things ----------------------------------------- */

static TsrCase *
find_case (TsrProject  *project,
           const char  *name,
           GError     **error)
{
  TsrCase *c = tsr_project_find_case (project, name);

  if (c == NULL)
    g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                 _("There is no case “%s” in this project (see “tessera-cli cases”; "
                   "“tessera-cli case-add” creates one)"), name);

  return c;
}

/* Opens @path for an edit, with the coder the history names. */
static TsrProject *
open_for_editing (const char  *path,
                  GError     **error)
{
  g_autoptr(TsrProject) project = tsr_project_open (path, error);

  if (project == NULL)
    return NULL;
  if (!tsr_cli_set_coder (project, NULL, FALSE, error))
    {
      tsr_project_close (project, NULL);
      return NULL;
    }
  return g_steal_pointer (&project);
}

/* cases -------------------------------------------------------------- */

int
tsr_cli_cmd_cases (int    argc,
                   char **argv)
{
  const Command *command = tsr_cli_lookup_command ("cases");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GListModel) cases = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("Cases are listed by name, each with how many documents it holds."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  tsr_cli_print_tsv_row ("name", "documents", NULL);
  cases = tsr_project_get_cases (project);
  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (cases, i);
      g_autoptr(GArray) documents = tsr_project_get_case_documents (project, tsr_entity_get_id (TSR_ENTITY (c)));
      g_autofree char *n = g_strdup_printf ("%u", documents->len);

      tsr_cli_print_tsv_row (tsr_case_get_name (c), n, NULL);
    }

  return tsr_cli_close_project (project, status);
}

/* case-add ----------------------------------------------------------- */

int
tsr_cli_cmd_case_add (int    argc,
                      char **argv)
{
  const Command *command = tsr_cli_lookup_command ("case-add");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 id;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL, _("Prints the new case’s id."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(name = tsr_cli_argument_to_utf8 (argv[2], &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = open_for_editing (argv[1], &error)))
    return tsr_cli_fail (error);

  id = tsr_project_create_case (project, name, &error);
  if (id == 0)
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  printf ("%" G_GINT64_FORMAT "\n", id);
  return tsr_cli_close_project (project, status);
}

/* case-assign -------------------------------------------------------- */

int
tsr_cli_cmd_case_assign (int    argc,
                         char **argv)
{
  const Command *command = tsr_cli_lookup_command ("case-assign");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCase) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *case_name = NULL;
  g_autofree char *description = NULL;
  gboolean remove = FALSE;
  gboolean ok = TRUE;
  gint64 case_id;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "remove", 'r', 0, G_OPTION_ARG_NONE, &remove, N_("Take the documents out of the case instead"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("A DOCUMENT is a name or an id (see “tessera-cli docs”). "
                                       "All the documents are added (or removed) as one edit, "
                                       "which “tessera-cli undo” takes back."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 3, -1, &status))
    return status;

  if (!(case_name = tsr_cli_argument_to_utf8 (argv[2], &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = open_for_editing (argv[1], &error)))
    return tsr_cli_fail (error);

  /* Every name is checked before the first change. */
  if (!(c = find_case (project, case_name, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  case_id = tsr_entity_get_id (TSR_ENTITY (c));

  for (int i = 3; i < argc; i++)
    {
      g_autofree char *name = tsr_cli_argument_to_utf8 (argv[i], &error);
      g_autoptr(TsrDocument) document = NULL;
      gint64 id;

      if (name == NULL || !(document = tsr_cli_find_document (project, name, &error)))
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      id = tsr_entity_get_id (TSR_ENTITY (document));
      g_array_append_val (ids, id);
    }

  description = g_strdup_printf (remove ? _("Remove %u documents from case “%s”")
                                        : _("Add %u documents to case “%s”"),
                                 ids->len, tsr_case_get_name (c));
  tsr_project_begin_group (project, description);
  for (guint i = 0; i < ids->len && ok; i++)
    ok = tsr_project_set_case_membership (project, case_id, g_array_index (ids, gint64, i), !remove, &error);
  if (!tsr_project_end_group (project, ok ? &error : NULL) && ok)
    ok = FALSE;

  if (!ok)
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  return tsr_cli_close_project (project, status);
}

/* attributes --------------------------------------------------------- */

int
tsr_cli_cmd_attributes (int    argc,
                        char **argv)
{
  const Command *command = tsr_cli_lookup_command ("attributes");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GListModel) attributes = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_SUCCESS;

  context = tsr_cli_command_context (command, NULL,
                                     _("The target is “document” or “case”: what the attribute describes. "
                                       "The type is text, integer, real, boolean or date."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  tsr_cli_print_tsv_row ("target", "name", "type", NULL);
  attributes = tsr_project_get_attributes (project);
  for (guint i = 0; i < g_list_model_get_n_items (attributes); i++)
    {
      g_autoptr(TsrAttribute) a = g_list_model_get_item (attributes, i);

      tsr_cli_print_tsv_row (tsr_attribute_get_target (a) == TSR_ATTRIBUTE_ON_CASES ? "case" : "document",
                             tsr_attribute_get_name (a),
                             tsr_attribute_type_to_string (tsr_attribute_get_value_type (a)),
                             NULL);
    }

  return tsr_cli_close_project (project, status);
}

/* set-attribute ------------------------------------------------------ */

int
tsr_cli_cmd_set_attribute (int    argc,
                           char **argv)
{
  const Command *command = tsr_cli_lookup_command ("set-attribute");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrDocument) document = NULL;
  g_autoptr(TsrAttribute) attribute = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type_arg = NULL;
  g_autofree char *document_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GEnumClass) types = g_type_class_ref (TSR_TYPE_ATTRIBUTE_TYPE);
  TsrAttributeType type = TSR_ATTRIBUTE_TEXT;
  gint64 attribute_id;
  gint64 document_id;
  gboolean ok;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "type", 't', 0, G_OPTION_ARG_STRING, &type_arg,
      N_("The type of a new attribute: text (the default), integer, real, boolean or date"), N_("TYPE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Sets a document’s value of an attribute, defining the attribute "
                                       "(with --type) when the project has none of that name. "
                                       "An empty VALUE clears it. The value must suit the type: "
                                       "a whole number, a number, yes/no, or a date as YYYY-MM-DD."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 4, 4, &status))
    return status;

  if (type_arg != NULL)
    {
      GEnumValue *v = g_enum_get_value_by_nick (types, type_arg);

      if (v == NULL)
        return tsr_cli_usage_error (command->name,
                                    _("“%s” is not a type; use text, integer, real, boolean or date"),
                                    type_arg);
      type = v->value;
    }

  if (!(document_name = tsr_cli_argument_to_utf8 (argv[2], &error)) ||
      !(name = tsr_cli_argument_to_utf8 (argv[3], &error)) ||
      !(value = tsr_cli_argument_to_utf8 (argv[4], &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!(project = open_for_editing (argv[1], &error)))
    return tsr_cli_fail (error);

  if (!(document = tsr_cli_find_document (project, document_name, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  document_id = tsr_entity_get_id (TSR_ENTITY (document));

  attribute = tsr_project_find_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, g_strstrip (name));
  if (attribute != NULL)
    {
      if (type_arg != NULL && tsr_attribute_get_value_type (attribute) != type)
        {
          g_autofree char *message =
            g_strdup_printf (_("The attribute “%s” holds %s values, not %s; leave out --type"),
                             name, tsr_attribute_type_to_string (tsr_attribute_get_value_type (attribute)),
                             type_arg);

          tsr_cli_print_error (message);
          return tsr_cli_close_project (project, EXIT_FAILURE);
        }
      if (!tsr_project_set_attribute_value (project, tsr_entity_get_id (TSR_ENTITY (attribute)),
                                            document_id, value, &error))
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      return tsr_cli_close_project (project, status);
    }

  /* A new attribute: the value is checked before the attribute is
   * defined, and both are one edit, so a bad value leaves nothing. */
  if (*value != '\0' && !(canonical = tsr_attribute_type_check_value (type, value, name, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  description = g_strdup_printf (_("Set “%s”"), name);
  tsr_project_begin_group (project, description);
  attribute_id = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, name, type, &error);
  ok = attribute_id != 0 &&
       tsr_project_set_attribute_value (project, attribute_id, document_id, value, &error);
  if (!tsr_project_end_group (project, ok ? &error : NULL) && ok)
    ok = FALSE;

  if (!ok)
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  return tsr_cli_close_project (project, status);
}
