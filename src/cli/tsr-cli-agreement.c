/* tsr-cli-agreement.c — tessera-cli's intercoder agreement: the agreement command
 * and its TSV, JSON and document outputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tsr-cli-private.h"

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

  tsr_cli_append_tsv_field (line, label);
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
  tsr_cli_append_tsv_field (line, reasons->str);
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

int
tsr_cli_cmd_agreement (int    argc,
                       char **argv)
{
  const Command *command = tsr_cli_lookup_command ("agreement");
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

  context = tsr_cli_command_context (command, entries,
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
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;

  if (coders_arg == NULL)
    return tsr_cli_usage_error (command->name, _("Missing --coders A,B"));
  if (unit_arg != NULL && !tsr_agreement_unit_from_string (unit_arg, &unit))
    return tsr_cli_usage_error (command->name, _("Unknown unit “%s”: use presence, characters or segments"), unit_arg);
  if (overlap_arg != NULL)
    {
      char *end = NULL;

      overlap = g_ascii_strtod (overlap_arg, &end);
      if (end == overlap_arg || *end != '\0' || !(overlap > 0 && overlap <= 100))
        return tsr_cli_usage_error (command->name, _("--overlap must be a percentage above 0 and at most 100, not “%s”"),
                                    overlap_arg);
    }
  if (uncoded_arg != NULL)
    {
      if (g_str_equal (uncoded_arg, "absent"))
        flags |= TSR_AGREEMENT_UNCODED_AS_ABSENT;
      else if (!g_str_equal (uncoded_arg, "missing"))
        return tsr_cli_usage_error (command->name, _("Unknown value “%s” for --uncoded: use missing or absent"), uncoded_arg);
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
    return tsr_cli_usage_error (command->name,
                                _("Unknown format “%s”: use tsv, json, markdown, csv, html, docx, odt, pdf or tex"),
                                format_arg);
  if (format == AGREEMENT_EXPORT && out_path == NULL &&
      (export_format == TSR_EXPORT_DOCX || export_format == TSR_EXPORT_ODT || export_format == TSR_EXPORT_PDF))
    return tsr_cli_usage_error (command->name, _("%s is not written to standard output; give --out FILE"),
                                tsr_export_format_get_display_name (export_format));

  if (!(coders_text = tsr_cli_argument_to_utf8 (coders_arg, &error)))
    return tsr_cli_usage_error (command->name, "%s", error->message);
  names = g_strsplit (coders_text, ",", -1);
  if (g_strv_length (names) < 2)
    return tsr_cli_usage_error (command->name, _("--coders needs at least two coders, as A,B"));

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));
      g_autoptr(TsrCoder) coder = tsr_project_find_coder (project, name);
      gint64 id;

      if (coder == NULL)
        {
          g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("There is no coder “%s” in this project"), name);
          return tsr_cli_close_project (project, tsr_cli_fail (error));
        }
      id = tsr_entity_get_id (TSR_ENTITY (coder));
      g_array_append_val (coder_ids, id);
    }

  agreement = tsr_project_compute_agreement (project, (const gint64 *) coder_ids->data, coder_ids->len,
                                             overlap, flags, NULL, &error);
  if (agreement == NULL)
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  codes = tsr_agreement_get_codes (agreement, &n_codes);

  if (format == AGREEMENT_EXPORT)
    {
      g_autoptr(TsrExportDocument) doc = tsr_agreement_to_document (agreement, project, unit);

      if (!tsr_cli_check_reads (project, &status))
        return tsr_cli_close_project (project, status);
      if (out_path == NULL || g_str_equal (out_path, "-"))
        {
          g_autoptr(GOutputStream) stream = NULL;

          tsr_cli_release_output ();
          stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
          if (!tsr_export_document_write (doc, export_format, TSR_EXPORT_FLAGS_NONE, stream, NULL, &error))
            status = tsr_cli_fail (error);
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

          if (!tsr_export_document_save (doc, export_format, TSR_EXPORT_FLAGS_NONE, file, NULL, &error))
            status = tsr_cli_fail (error);
        }
      return tsr_cli_close_project (project, status);
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

  if (!tsr_cli_check_reads (project, &status))
    return tsr_cli_close_project (project, status);
  if (out_path == NULL || g_str_equal (out_path, "-"))
    tsr_cli_print_text (out->str);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_export_save_file (file, write_string_cb, out->str, NULL, &error))
        status = tsr_cli_fail (error);
    }
  return tsr_cli_close_project (project, status);
}
