/* tsr-cli-retrieve.c — every passage of codes or themes, with its
 * document, coder, memo and context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tsr-cli-private.h"

typedef struct
{
  GListModel        *passages;
  TsrExportDocument *doc;
  TsrExportFormat    format;
} Retrieval;

/* TSV: a row per passage, every field in a column, for scripts. */
static gboolean
write_tsv (GOutputStream  *stream,
           gpointer        user_data,
           GCancellable   *cancellable,
           GError        **error)
{
  Retrieval *r = user_data;
  g_autoptr(GString) text = g_string_new ("document\tstart\tend\tcode\tcoder\tbefore\tpassage\tafter\tmemo\n");
  guint n = g_list_model_get_n_items (r->passages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrRetrievedPassage) p = g_list_model_get_item (r->passages, i);
      const char *memo = tsr_retrieved_passage_get_memo (p);

      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_document_name (p));
      g_string_append_printf (text, "\t%u\t%u\t", tsr_retrieved_passage_get_start (p),
                              tsr_retrieved_passage_get_end (p));
      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_code_path (p));
      g_string_append_c (text, '\t');
      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_coder_name (p));
      g_string_append_c (text, '\t');
      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_before (p));
      g_string_append_c (text, '\t');
      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_text (p));
      g_string_append_c (text, '\t');
      tsr_cli_append_tsv_field (text, tsr_retrieved_passage_get_after (p));
      g_string_append_c (text, '\t');
      tsr_cli_append_tsv_field (text, memo ? memo : "");
      g_string_append_c (text, '\n');
    }
  return g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);
}

static gboolean
write_document (GOutputStream  *stream,
                gpointer        user_data,
                GCancellable   *cancellable,
                GError        **error)
{
  Retrieval *r = user_data;

  return tsr_export_document_write (r->doc, r->format, TSR_EXPORT_FLAGS_NONE, stream, cancellable, error);
}

/* "Hope, Fear (with sub-codes)", for the document's title. */
static char *
describe_query (GPtrArray *names,
                gboolean   with_subcodes)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, names->pdata[i]);
    }
  if (with_subcodes)
    g_string_append_printf (text, " %s", _("(with sub-codes)"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
tsr_cli_cmd_retrieve (int    argc,
                      char **argv)
{
  const Command *command = tsr_cli_lookup_command ("retrieve");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrRetrieveQuery) query = tsr_retrieve_query_new ();
  g_autoptr(GListModel) passages = NULL;
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(ScopeOptions) scope_options = { 0, };
  g_auto(GStrv) theme_args = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *mode_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *case_arg = NULL;
  g_autofree char *attribute_arg = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  gboolean with_subcodes = FALSE, tsv = FALSE;
  TsrExportFormat format = TSR_EXPORT_CSV;
  int width = 80;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "theme", 't', 0, G_OPTION_ARG_FILENAME_ARRAY, &theme_args, N_("Also the passages of this theme (its codes, their sub-codes, its sub-themes’); may be repeated"), N_("THEME") },
    { "with-subcodes", 's', 0, G_OPTION_ARG_NONE, &with_subcodes, N_("Include the passages of the codes below each CODE"), NULL },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("Only this coder’s passages"), N_("NAME") },
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &mode_arg, N_("Whose passages: one, any or all (every human coder) or consensus (default: every coder’s)"), N_("MODE") },
    { "case", 0, 0, G_OPTION_ARG_FILENAME, &case_arg, N_("Only the passages in this case’s documents"), N_("CASE") },
    { "attribute", 0, 0, G_OPTION_ARG_FILENAME, &attribute_arg, N_("Only the passages in documents whose attribute (or whose case’s) has this value"), N_("NAME=VALUE") },
    { "context", 'c', 0, G_OPTION_ARG_INT, &width, N_("Characters of context on each side (80)"), N_("N") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("tsv (default), csv, md, html, tex, docx, odt or pdf"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Lists every passage coded with the CODEs (paths such as Parent/Child) and "
                                       "the --themes, in document order, with the document, the code, the coder, the "
                                       "memo and the text around it. In TSV the columns are document, start, end, "
                                       "code, coder, before, passage, after, memo; start and end are character "
                                       "offsets."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, -1, &status))
    return status;
  if (argc < 3 && (theme_args == NULL || theme_args[0] == NULL))
    return tsr_cli_usage_error (command->name, _("Name at least one CODE or --theme"));
  if (width < 0 || width > 10000)
    return tsr_cli_usage_error (command->name, _("--context must be between 0 and 10000 characters"));

  if (format_arg == NULL && out_path != NULL && !g_str_equal (out_path, "-"))
    {
      tsv = g_str_has_suffix (out_path, ".tsv");
      if (!tsv && (!tsr_export_format_from_file_name (out_path, &format) || format == TSR_EXPORT_JSON))
        return tsr_cli_usage_error (command->name,
                                    _("Give --format: “%s” does not end in .tsv, .csv, .md, .html, .tex, "
                                      ".docx, .odt or .pdf"), out_path);
    }
  else if (format_arg == NULL || g_str_equal (format_arg, "tsv"))
    tsv = TRUE;
  else if (!tsr_export_format_from_string (format_arg, &format) || format == TSR_EXPORT_JSON)
    return tsr_cli_usage_error (command->name,
                                _("Unknown format “%s”: use tsv, csv, md, html, tex, docx, odt or pdf"),
                                format_arg);
  if (!tsv && (out_path == NULL || g_str_equal (out_path, "-")) &&
      (format == TSR_EXPORT_DOCX || format == TSR_EXPORT_ODT || format == TSR_EXPORT_PDF))
    return tsr_cli_usage_error (command->name, _("%s is not written to standard output; give --out FILE"),
                                tsr_export_format_get_display_name (format));
  if (!tsr_cli_parse_scope_options (command->name, mode_arg, coder_arg, case_arg, attribute_arg,
                                    &scope_options, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  for (int i = 2; i < argc; i++)
    {
      g_autofree char *path = tsr_cli_argument_to_utf8 (argv[i], &error);
      g_autoptr(TsrCode) code = NULL;

      if (path == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      if (!(code = tsr_project_find_code (project, path)))
        {
          g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("There is no code “%s” in this project"), path);
          return tsr_cli_close_project (project, tsr_cli_fail (error));
        }
      tsr_retrieve_query_add_code (query, tsr_entity_get_id (TSR_ENTITY (code)));
      g_ptr_array_add (names, g_steal_pointer (&path));
    }
  for (guint i = 0; theme_args != NULL && theme_args[i] != NULL; i++)
    {
      g_autofree char *name = tsr_cli_argument_to_utf8 (theme_args[i], &error);
      g_autoptr(TsrTheme) theme = NULL;

      if (name == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      if (!(theme = tsr_project_find_theme (project, name)))
        {
          g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("There is no theme “%s” in this project"), name);
          return tsr_cli_close_project (project, tsr_cli_fail (error));
        }
      tsr_retrieve_query_add_theme (query, tsr_entity_get_id (TSR_ENTITY (theme)));
      g_ptr_array_add (names, g_strdup_printf (_("theme %s"), name));
    }

  /* Without --coder or --coders, every coder's passages: a retrieval
   * reads what was coded, it does not count. */
  if (scope_options.mode_given || scope_options.case_name != NULL || scope_options.attribute_name != NULL)
    {
      g_autoptr(TsrScope) scope = NULL;
      gboolean every_coder = !scope_options.mode_given;

      if (!(scope = tsr_cli_resolve_scope (project, &scope_options, &error)))
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      tsr_retrieve_query_set_scope (query, scope);
      tsr_retrieve_query_set_every_coder (query, every_coder);
      if (!every_coder)
        {
          g_autofree char *whose = tsr_scope_describe (scope, project);

          description = g_strdup_printf (_("Coding of %s"), whose);
        }
    }
  tsr_retrieve_query_set_with_subcodes (query, with_subcodes);
  tsr_retrieve_query_set_context (query, (guint) width);

  if (!(passages = tsr_project_retrieve (project, query, NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  if (!tsr_cli_check_reads (project, &status))
    return tsr_cli_close_project (project, status);

  {
    g_autofree char *what = describe_query (names, with_subcodes);

    title = g_strdup_printf (_("Passages: %s"), what);
  }
  if (!tsv)
    doc = tsr_retrieved_passages_to_document (passages, title, description, format);

  {
    Retrieval r = { passages, doc, format };
    TsrExportWriteFunc write = tsv ? write_tsv : write_document;

    if (out_path == NULL || g_str_equal (out_path, "-"))
      {
        g_autoptr(GOutputStream) stream = NULL;

        fflush (stdout);
        stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
        if (!write (stream, &r, NULL, &error))
          status = tsr_cli_fail (error);
      }
    else
      {
        g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

        if (!tsr_export_save_file (file, write, &r, NULL, &error))
          status = tsr_cli_fail (error);
      }
  }
  return tsr_cli_close_project (project, status);
}
