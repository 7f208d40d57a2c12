/* tsr-cli-report.c — tessera-cli's counts and reports: stats and export,
 * and the scope options (--coders, --coder, --case, --attribute) both take.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tsr-cli-private.h"

static char *
format_percent (double percent)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Always a point, never the locale's comma: the output is data. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", percent));
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
          tsr_cli_print_tsv_row (label->str, n_text, percent_text, segments_text, NULL);
        else
          tsr_cli_print_tsv_row (label->str, n_text, percent_text, NULL);
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

/* --coders, --coder, --case and --attribute, as stats, export, matrix
 * and retrieve take them (ScopeOptions is in tsr-cli-private.h). */

void
tsr_cli_scope_options_clear (ScopeOptions *options)
{
  g_clear_pointer (&options->coder_name, g_free);
  g_clear_pointer (&options->case_name, g_free);
  g_clear_pointer (&options->attribute_name, g_free);
  g_clear_pointer (&options->attribute_value, g_free);
}

/* Checks the scope options before the project is opened.  On a usage
 * error returns %FALSE with *@status set. */
gboolean
tsr_cli_parse_scope_options (const char   *command,
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
      *status = tsr_cli_usage_error (command, _("Unknown coder mode “%s”: use one, any, all or consensus"), mode_arg);
      return FALSE;
    }
  if (coder_arg != NULL && !options->mode_given)
    {
      options->mode = TSR_CODERS_ONE;
      options->mode_given = TRUE;
    }
  if (options->mode == TSR_CODERS_ONE && coder_arg == NULL)
    {
      *status = tsr_cli_usage_error (command, _("--coders one needs --coder NAME"));
      return FALSE;
    }
  if (options->mode != TSR_CODERS_ONE && coder_arg != NULL)
    {
      *status = tsr_cli_usage_error (command, _("--coder goes with --coders one"));
      return FALSE;
    }

  if ((coder_arg != NULL && !(options->coder_name = tsr_cli_argument_to_utf8 (coder_arg, &error))) ||
      (case_arg != NULL && !(options->case_name = tsr_cli_argument_to_utf8 (case_arg, &error))) ||
      (attribute_arg != NULL && !(options->attribute_name = tsr_cli_argument_to_utf8 (attribute_arg, &error))))
    {
      *status = tsr_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  if (options->attribute_name != NULL)
    {
      char *equals = strchr (options->attribute_name, '=');

      if (equals == NULL || equals == options->attribute_name)
        {
          *status = tsr_cli_usage_error (command, _("--attribute takes NAME=VALUE, not “%s”"),
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
TsrScope *
tsr_cli_resolve_scope (TsrProject    *project,
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

int
tsr_cli_cmd_stats (int    argc,
                   char **argv)
{
  const Command *command = tsr_cli_lookup_command ("stats");
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

  context = tsr_cli_command_context (command, entries,
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
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (format_arg == NULL || g_str_equal (format_arg, "tsv"))
    format = FORMAT_TSV;
  else if (g_str_equal (format_arg, "markdown") || g_str_equal (format_arg, "md"))
    format = FORMAT_MARKDOWN;
  else if (g_str_equal (format_arg, "json"))
    format = FORMAT_JSON;
  else
    return tsr_cli_usage_error (command->name, _("Unknown format “%s”: use tsv, markdown or json"),
                                format_arg);

  if (!tsr_cli_parse_scope_options (command->name, mode_arg, coder_arg, case_arg, attribute_arg, &scope_options, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  if (!(scope = tsr_cli_resolve_scope (project, &scope_options, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  if (!(counts = tsr_project_compute_counts (project, scope, NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

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
        tsr_cli_print_tsv_row ("code", "n", "percent", "segments", NULL);
      else
        tsr_cli_print_tsv_row ("theme", "n", "percent", NULL);
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
      tsr_cli_print_text (out->str);
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
        tsr_cli_print ("%s\n", tidy);
      }
      break;

    case FORMAT_TSV:
    default:
      break;
    }

  return tsr_cli_close_project (project, status);
}

/* export ------------------------------------------------------------- */

gboolean
tsr_cli_export_flags (const char     *command,
                      const char     *style,
                      const char     *paper,
                      gboolean        fragment,
                      TsrExportFlags *flags,
                      int            *status)
{
  if (style != NULL && g_ascii_strcasecmp (style, "classic") == 0)
    *flags |= TSR_EXPORT_CLASSIC_STYLE;
  else if (style != NULL && g_ascii_strcasecmp (style, "apa") != 0)
    {
      *status = tsr_cli_usage_error (command, _("Unknown style “%s”: use apa or classic"), style);
      return FALSE;
    }
  if (paper != NULL && g_ascii_strcasecmp (paper, "letter") == 0)
    *flags |= TSR_EXPORT_PAPER_LETTER;
  else if (paper != NULL && g_ascii_strcasecmp (paper, "a4") == 0)
    *flags |= TSR_EXPORT_PAPER_A4;
  else if (paper != NULL)
    {
      *status = tsr_cli_usage_error (command, _("Unknown paper “%s”: use a4 or letter"), paper);
      return FALSE;
    }
  if (fragment)
    *flags |= TSR_EXPORT_LATEX_FRAGMENT;
  return TRUE;
}

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

  tsr_cli_release_output ();
  stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (format == TSR_EXPORT_JSON)
    return tsr_report_write_json (report, kind, options, stream, NULL, error);

  doc = tsr_report_to_document (report, kind, options);
  return tsr_export_document_write (doc, format, flags, stream, NULL, error);
}

int
tsr_cli_cmd_export (int    argc,
                    char **argv)
{
  const Command *command = tsr_cli_lookup_command ("export");
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
  gboolean no_bom = FALSE;
  gboolean keep_formulas = FALSE;
  gboolean fragment = FALSE;
  g_autofree char *style_arg = NULL;
  g_autofree char *paper_arg = NULL;
  TsrExportFlags flags;
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
    { "bom", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &bom, N_("Start a CSV file with a byte order mark (the default)"), NULL },
    { "no-bom", 0, 0, G_OPTION_ARG_NONE, &no_bom, N_("Start a CSV file without the byte order mark Excel needs to read it as UTF-8"), NULL },
    { "style", 0, 0, G_OPTION_ARG_FILENAME, &style_arg, N_("How tables look: apa (APA 7, the default) or classic"), N_("STYLE") },
    { "paper", 0, 0, G_OPTION_ARG_FILENAME, &paper_arg, N_("a4 or letter (default: the locale’s)"), N_("PAPER") },
    { "fragment", 0, 0, G_OPTION_ARG_NONE, &fragment, N_("LaTeX: the tables alone, to \\input into a manuscript"), NULL },
    { "keep-formulas", 0, 0, G_OPTION_ARG_NONE, &keep_formulas,
      N_("Write CSV cells that begin with =, +, -, @ as they are (by default they are written as text, "
         "so a spreadsheet never runs them as formulas)"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Writes a report-ready theme table, the codebook or a full write-up "
                               "(the theme table, then each theme’s definition, scope notes, "
                               "narrative and quotes). n is counted as by “tessera-cli stats”; "
                               "percentages are of the documents in scope and rounded half away "
                               "from zero. The write-up always has its quotes.\n\n"
                               "A file is written whole or not at all: a failed export leaves an "
                               "older file of that name as it was."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (what_arg != NULL && !tsr_report_kind_from_string (what_arg, &kind))
    return tsr_cli_usage_error (command->name, _("Unknown report “%s”: use themes, codebook or writeup"), what_arg);
  if (out_path == NULL)
    return tsr_cli_usage_error (command->name, _("Missing --out FILE"));
  if (format_arg != NULL)
    {
      if (!tsr_export_format_from_string (format_arg, &format))
        return tsr_cli_usage_error (command->name,
                                    _("Unknown format “%s”: use docx, odt, pdf, html, md, csv, tex or json"),
                                    format_arg);
    }
  else if (!tsr_export_format_from_file_name (out_path, &format))
    return tsr_cli_usage_error (command->name,
                                _("Give --format: “%s” does not end in .docx, .odt, .pdf, .html, .md, "
                          ".csv, .tex or .json"), out_path);
  if (order_arg != NULL && !tsr_report_order_from_string (order_arg, &options->order))
    return tsr_cli_usage_error (command->name, _("Unknown order “%s”: use tree, n or name"), order_arg);
  if (percent_arg != NULL && !tsr_prevalence_format_from_string (percent_arg, &options->prevalence))
    return tsr_cli_usage_error (command->name, _("Unknown percent format “%s”: use n, fraction or percent"),
                                percent_arg);
  if (labels_arg != NULL && !tsr_document_labels_from_string (labels_arg, &options->labels))
    return tsr_cli_usage_error (command->name, _("Unknown labels “%s”: use names or numbers"), labels_arg);
  /* The codebook has no quotes yet: say so rather than write the same
   * file with and without --quotes. */
  if (quotes && kind == TSR_REPORT_CODEBOOK)
    return tsr_cli_usage_error (command->name,
                                _("The codebook has no quotes; --quotes goes with --what themes "
                                  "(the write-up always has its quotes)"));
  options->codes = codes;
  options->quotes = quotes;
  options->definitions = !no_definitions;
  if (prefix_arg != NULL)
    {
      g_clear_pointer (&options->label_prefix, g_free);
      if (!(options->label_prefix = tsr_cli_argument_to_utf8 (prefix_arg, &error)))
        return tsr_cli_usage_error (command->name, "%s", error->message);
    }
  if ((noun_arg != NULL && !(options->noun = tsr_cli_argument_to_utf8 (noun_arg, &error))) ||
      (title_arg != NULL && !(options->title = tsr_cli_argument_to_utf8 (title_arg, &error))))
    return tsr_cli_usage_error (command->name, "%s", error->message);

  if (!tsr_cli_parse_scope_options (command->name, mode_arg, coder_arg, case_arg, attribute_arg, &scope_options, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  if (!(scope = tsr_cli_resolve_scope (project, &scope_options, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  if (!(report = tsr_project_build_report (project, scope, NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  if (!tsr_cli_check_reads (project, &status))
    return tsr_cli_close_project (project, status);

  flags = (no_bom ? TSR_EXPORT_CSV_NO_BOM : TSR_EXPORT_CSV_BOM) |
          (keep_formulas ? TSR_EXPORT_CSV_KEEP_FORMULAS : 0);
  if (!tsr_cli_export_flags (command->name, style_arg, paper_arg, fragment, &flags, &status))
    return tsr_cli_close_project (project, status);
  if (g_str_equal (out_path, "-"))
    {
      if (!write_report_to_stdout (report, kind, options, format, flags, &error))
        status = tsr_cli_fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_report_save (report, kind, options, format, flags, file, NULL, &error))
        status = tsr_cli_fail (error);
    }

  return tsr_cli_close_project (project, status);
}

/* The comparison matrix as TSV: a header of the columns, a row "N" of
 * their sizes, then a row per code or theme by its path; transposed, a
 * column "N" and a row per case or value. */
typedef struct
{
  TsrMatrix     *matrix;
  TsrMatrixCell  cell;
  gboolean       transpose;
} MatrixTsv;

static gboolean
write_matrix_tsv (GOutputStream  *stream,
                  gpointer        user_data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  MatrixTsv *m = user_data;
  TsrMatrix *matrix = m->matrix;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_columns = tsr_matrix_get_n_columns (matrix);
  guint n_rows = tsr_matrix_get_n_rows (matrix);

  if (!m->transpose)
    {
      g_string_append (text, "path");
      for (guint c = 0; c < n_columns; c++)
        {
          g_string_append_c (text, '\t');
          tsr_cli_append_tsv_field (text, tsr_matrix_get_column_name (matrix, c));
        }
      g_string_append (text, "\nN");
      for (guint c = 0; c < n_columns; c++)
        g_string_append_printf (text, "\t%u", tsr_matrix_get_column_size (matrix, c));
      g_string_append_c (text, '\n');
      for (guint r = 0; r < n_rows; r++)
        {
          tsr_cli_append_tsv_field (text, tsr_matrix_get_row_path (matrix, r));
          for (guint c = 0; c < n_columns; c++)
            {
              g_autofree char *value = tsr_matrix_format_value (matrix, m->cell, r, c);

              g_string_append_printf (text, "\t%s", value);
            }
          g_string_append_c (text, '\n');
        }
    }
  else
    {
      g_string_append (text, "column\tN");
      for (guint r = 0; r < n_rows; r++)
        {
          g_string_append_c (text, '\t');
          tsr_cli_append_tsv_field (text, tsr_matrix_get_row_path (matrix, r));
        }
      g_string_append_c (text, '\n');
      for (guint c = 0; c < n_columns; c++)
        {
          tsr_cli_append_tsv_field (text, tsr_matrix_get_column_name (matrix, c));
          g_string_append_printf (text, "\t%u", tsr_matrix_get_column_size (matrix, c));
          for (guint r = 0; r < n_rows; r++)
            {
              g_autofree char *value = tsr_matrix_format_value (matrix, m->cell, r, c);

              g_string_append_printf (text, "\t%s", value);
            }
          g_string_append_c (text, '\n');
        }
    }
  return g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);
}

typedef struct
{
  TsrExportDocument *doc;
  TsrExportFormat    format;
} MatrixDocument;

static gboolean
write_matrix_document (GOutputStream  *stream,
                       gpointer        user_data,
                       GCancellable   *cancellable,
                       GError        **error)
{
  MatrixDocument *m = user_data;

  return tsr_export_document_write (m->doc, m->format, TSR_EXPORT_FLAGS_NONE, stream, cancellable, error);
}

int
tsr_cli_cmd_matrix (int    argc,
                    char **argv)
{
  const Command *command = tsr_cli_lookup_command ("matrix");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrScope) scope = NULL;
  g_autoptr(TsrMatrix) matrix = NULL;
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ScopeOptions) scope_options = { 0, };
  g_autofree char *rows_arg = NULL;
  g_autofree char *by_arg = NULL;
  g_autofree char *by = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *mode_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *cells_arg = NULL;
  g_autofree char *split_arg = NULL;
  gboolean transpose = FALSE;
  TsrMatrixCell cell = TSR_MATRIX_CELL_DOCUMENTS;
  TsrMatrixRows rows = TSR_MATRIX_ROWS_CODES;
  TsrExportFormat format = TSR_EXPORT_CSV;
  gboolean tsv = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "rows", 'r', 0, G_OPTION_ARG_FILENAME, &rows_arg, N_("codes (default) or themes"), N_("ROWS") },
    { "by", 'b', 0, G_OPTION_ARG_FILENAME, &by_arg, N_("A document attribute whose values are the columns (default: a column per case)"), N_("ATTRIBUTE") },
    { "split", 's', 0, G_OPTION_ARG_FILENAME, &split_arg, N_("A column per case and value of this document attribute (“Dyad 3 · patient”)"), N_("ATTRIBUTE") },
    { "cells", 0, 0, G_OPTION_ARG_FILENAME, &cells_arg, N_("What a cell shows: documents (n, the default), passages or percent"), N_("WHAT") },
    { "transpose", 't', 0, G_OPTION_ARG_NONE, &transpose, N_("A row per case or value, a column per code or theme"), NULL },
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &mode_arg, N_("Whose coding counts: one, any, all or consensus"), N_("MODE") },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("The coder for --coders one (implies it)"), N_("NAME") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("tsv (default), csv, md, html, tex, docx, odt or pdf"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Compares codes (or themes) across cases or across the values of a document "
                                       "attribute. A cell is the number of the column’s documents that hold the code "
                                       "(or one of its sub-codes) or the theme (any of its codes or sub-themes): n, "
                                       "within the column. A document in several cases counts in each; documents with "
                                       "no value for the attribute form a column of their own. In TSV the second row, "
                                       "N, gives each column’s number of documents.\n\n"
                                       "Whose coding counts is chosen as for “tessera-cli stats”."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (cells_arg != NULL && !tsr_matrix_cell_from_string (cells_arg, &cell))
    return tsr_cli_usage_error (command->name, _("Unknown cells “%s”: use documents, passages or percent"),
                                cells_arg);
  if (by_arg != NULL && split_arg != NULL)
    return tsr_cli_usage_error (command->name, _("Give --by or --split, not both"));
  if (split_arg != NULL)
    by_arg = g_steal_pointer (&split_arg), split_arg = g_strdup ("");

  if (rows_arg != NULL && g_str_equal (rows_arg, "themes"))
    rows = TSR_MATRIX_ROWS_THEMES;
  else if (rows_arg != NULL && !g_str_equal (rows_arg, "codes"))
    return tsr_cli_usage_error (command->name, _("Unknown rows “%s”: use codes or themes"), rows_arg);

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

  if (by_arg != NULL && !(by = tsr_cli_argument_to_utf8 (by_arg, &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);
  if (!tsr_cli_parse_scope_options (command->name, mode_arg, coder_arg, NULL, NULL, &scope_options, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  if (!(scope = tsr_cli_resolve_scope (project, &scope_options, &error)) ||
      !(matrix = tsr_project_build_matrix_full (project, scope, rows, by == NULL || split_arg != NULL, by,
                                                NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  doc = tsr_matrix_to_document_full (matrix, cell, transpose);
  {
    MatrixDocument m = { doc, format };
    MatrixTsv t = { matrix, cell, transpose };
    TsrExportWriteFunc write = tsv ? write_matrix_tsv : write_matrix_document;
    gpointer data = tsv ? (gpointer) &t : (gpointer) &m;

    if (out_path == NULL || g_str_equal (out_path, "-"))
      {
        g_autoptr(GOutputStream) stream = NULL;

        if (!tsv && (format == TSR_EXPORT_DOCX || format == TSR_EXPORT_ODT || format == TSR_EXPORT_PDF))
          return tsr_cli_close_project (project,
                                        tsr_cli_usage_error (command->name,
                                                             _("%s is not written to standard output; give --out FILE"),
                                                             tsr_export_format_get_display_name (format)));
        fflush (stdout);
        stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
        if (!write (stream, data, NULL, &error))
          status = tsr_cli_fail (error);
      }
    else
      {
        g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

        if (!tsr_export_save_file (file, write, data, NULL, &error))
          status = tsr_cli_fail (error);
      }
  }
  return tsr_cli_close_project (project, status);
}
