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
append_statistic_tsv (GString      *line,
                      GString      *reasons,
                      const char   *name,
                      TsrStatistic  statistic,
                      guint         decimals)
{
  g_autofree char *text = statistic.undefined == TSR_DEFINED ? tsr_agreement_format_statistic (statistic, decimals)
                                                              : g_strdup ("");

  g_string_append_printf (line, "\t%s", text);
  append_undefined (reasons, name, statistic);
}

/* The first two fields of a row: what it is about. */
static void
append_row_start (GString      *line,
                  TsrAgreement *agreement,
                  TsrProject   *project,
                  guint         index)
{
  TsrAgreementRow row;
  g_autofree char *label = tsr_agreement_dup_row_label (agreement, project, index, TRUE);

  tsr_agreement_get_row_at (agreement, index, TSR_AGREEMENT_PRESENCE, &row);
  g_string_append (line, tsr_agreement_row_kind_to_string (row.kind));
  g_string_append_c (line, '\t');
  tsr_cli_append_tsv_field (line, label);
}

static void
agreement_row_tsv (GString          *out,
                   TsrAgreement     *agreement,
                   TsrProject       *project,
                   guint             index,
                   TsrAgreementUnit  unit)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) reasons = g_string_new (NULL);
  TsrAgreementRow row;
  TsrAlphaResult alpha;

  tsr_agreement_get_row_at (agreement, index, unit, &row);
  tsr_agreement_get_alpha_at (agreement, index, &alpha);

  append_row_start (line, agreement, project, index);
  g_string_append_printf (line, "\t%u", row.n_documents);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    g_string_append_printf (line, "\t%u\t%u\t%u\t%u", row.segments_a, row.matched_a, row.segments_b, row.matched_b);
  else
    g_string_append_printf (line, "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                            "\t%" G_GUINT64_FORMAT, row.both, row.only_a, row.only_b, row.neither);

  /* An undefined value is an empty field, with the reason at the end. */
  append_statistic_tsv (line, reasons, "percent", row.percent, 1);
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      append_statistic_tsv (line, reasons, "kappa", row.kappa, 3);
      append_statistic_tsv (line, reasons, "bp_kappa", row.bp_kappa, 3);
    }
  append_statistic_tsv (line, reasons, "alpha_documents", alpha.alpha, 3);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      TsrAgreementMean mean;

      append_statistic_tsv (line, reasons, "alpha_characters", row.alpha, 3);
      tsr_agreement_get_document_mean_at (agreement, index, &mean);
      g_string_append_printf (line, "\t%u", mean.n_documents);
      append_statistic_tsv (line, reasons, "mean_percent", mean.percent, 1);
      append_statistic_tsv (line, reasons, "mean_kappa", mean.kappa, 3);
    }
  g_string_append_c (line, '\t');
  tsr_cli_append_tsv_field (line, reasons->str);
  g_string_append_c (line, '\n');
  g_string_append (out, line->str);
}

static char *
document_name (TsrProject *project,
               gint64      id)
{
  g_autoptr(TsrDocument) document = tsr_project_lookup_document (project, id);

  return g_strdup (document ? tsr_document_get_name (document) : "?");
}

/* --per-document: a row's character agreement in each document where
 * either coder applied its code(s), their mean weighted by length, and
 * the pooled row beside them. */
static void
per_document_tsv (GString      *out,
                  TsrProject   *project,
                  TsrAgreement *agreement,
                  guint         index)
{
  guint n_cells = tsr_agreement_get_n_cells_at (agreement, index);
  TsrAgreementMean mean;
  TsrAgreementRow row;

  for (guint i = 0; i < n_cells; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autoptr(GString) reasons = g_string_new (NULL);
      g_autofree char *name = NULL;
      TsrAgreementCell cell;

      tsr_agreement_get_cell_at (agreement, index, i, &cell);
      name = document_name (project, cell.document_id);
      append_row_start (line, agreement, project, index);
      g_string_append_c (line, '\t');
      tsr_cli_append_tsv_field (line, name);
      g_string_append_printf (line, "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                              "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT,
                              cell.both + cell.only_a + cell.only_b + cell.neither,
                              cell.both, cell.only_a, cell.only_b, cell.neither);
      append_statistic_tsv (line, reasons, "percent", cell.percent, 1);
      append_statistic_tsv (line, reasons, "kappa", cell.kappa, 3);
      g_string_append_c (line, '\t');
      tsr_cli_append_tsv_field (line, reasons->str);
      g_string_append_printf (out, "%s\n", line->str);
    }

  {
    g_autoptr(GString) line = g_string_new (NULL);
    g_autoptr(GString) reasons = g_string_new (NULL);
    g_autofree char *what = NULL;

    tsr_agreement_get_document_mean_at (agreement, index, &mean);
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "(mean of %u document, weighted by length)",
                                         "(mean of %u documents, weighted by length)", mean.n_documents),
                            mean.n_documents);
    append_row_start (line, agreement, project, index);
    g_string_append_c (line, '\t');
    tsr_cli_append_tsv_field (line, what);
    g_string_append_printf (line, "\t%" G_GUINT64_FORMAT "\t\t\t\t", mean.n_characters);
    append_statistic_tsv (line, reasons, "percent", mean.percent, 1);
    append_statistic_tsv (line, reasons, "kappa", mean.kappa, 3);
    g_string_append_c (line, '\t');
    tsr_cli_append_tsv_field (line, reasons->str);
    g_string_append_printf (out, "%s\n", line->str);
  }

  {
    g_autoptr(GString) line = g_string_new (NULL);
    g_autoptr(GString) reasons = g_string_new (NULL);
    g_autofree char *what = NULL;

    tsr_agreement_get_row_at (agreement, index, TSR_AGREEMENT_CHARACTERS, &row);
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "(pooled over %u document)",
                                         "(pooled over %u documents)", row.n_documents),
                            row.n_documents);
    append_row_start (line, agreement, project, index);
    g_string_append_c (line, '\t');
    tsr_cli_append_tsv_field (line, what);
    g_string_append_printf (line, "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                            "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT,
                            row.both + row.only_a + row.only_b + row.neither,
                            row.both, row.only_a, row.only_b, row.neither);
    append_statistic_tsv (line, reasons, "percent", row.percent, 1);
    append_statistic_tsv (line, reasons, "kappa", row.kappa, 3);
    g_string_append_c (line, '\t');
    tsr_cli_append_tsv_field (line, reasons->str);
    g_string_append_printf (out, "%s\n", line->str);
  }
}

static void
append_counts_json (JsonBuilder *json,
                    guint64      both,
                    guint64      only_a,
                    guint64      only_b,
                    guint64      neither)
{
  json_builder_set_member_name (json, "counts");
  json_builder_begin_object (json);
  json_builder_set_member_name (json, "both");
  json_builder_add_int_value (json, both);
  json_builder_set_member_name (json, "only_a");
  json_builder_add_int_value (json, only_a);
  json_builder_set_member_name (json, "only_b");
  json_builder_add_int_value (json, only_b);
  json_builder_set_member_name (json, "neither");
  json_builder_add_int_value (json, neither);
  json_builder_end_object (json);
}

/* The characters unit's NVivo figures for a row, and with
 * @per_document each document's. */
static void
document_figures_json (JsonBuilder  *json,
                       TsrProject   *project,
                       TsrAgreement *agreement,
                       guint         index,
                       gboolean      per_document)
{
  TsrAgreementMean mean;
  TsrAgreementRow row;

  tsr_agreement_get_document_mean_at (agreement, index, &mean);
  json_builder_set_member_name (json, "document_mean");
  json_builder_begin_object (json);
  append_statistic_json (json, "percent", mean.percent);
  append_statistic_json (json, "kappa", mean.kappa);
  json_builder_set_member_name (json, "documents");
  json_builder_add_int_value (json, mean.n_documents);
  json_builder_set_member_name (json, "characters");
  json_builder_add_int_value (json, mean.n_characters);
  if (mean.kappa.undefined != TSR_DEFINED)
    {
      json_builder_set_member_name (json, "undefined");
      json_builder_add_string_value (json, tsr_undefined_reason_to_string (mean.kappa.undefined));
    }
  json_builder_end_object (json);

  tsr_agreement_get_row_at (agreement, index, TSR_AGREEMENT_CHARACTERS, &row);
  if (!per_document || row.kind == TSR_AGREEMENT_ROW_POOLED)
    return;
  json_builder_set_member_name (json, "per_document");
  json_builder_begin_array (json);
  for (guint i = 0; i < tsr_agreement_get_n_cells_at (agreement, index); i++)
    {
      g_autofree char *name = NULL;
      TsrAgreementCell cell;

      tsr_agreement_get_cell_at (agreement, index, i, &cell);
      name = document_name (project, cell.document_id);
      json_builder_begin_object (json);
      json_builder_set_member_name (json, "document");
      json_builder_add_string_value (json, name);
      json_builder_set_member_name (json, "characters");
      json_builder_add_int_value (json, cell.both + cell.only_a + cell.only_b + cell.neither);
      append_counts_json (json, cell.both, cell.only_a, cell.only_b, cell.neither);
      append_statistic_json (json, "percent", cell.percent);
      append_statistic_json (json, "kappa", cell.kappa);
      json_builder_end_object (json);
    }
  json_builder_end_array (json);
}

static void
agreement_row_json (JsonBuilder      *json,
                    TsrProject       *project,
                    TsrAgreement     *agreement,
                    guint             index,
                    TsrAgreementUnit  unit,
                    gboolean          per_document)
{
  TsrAgreementRow row;
  TsrAlphaResult alpha;

  tsr_agreement_get_row_at (agreement, index, unit, &row);
  tsr_agreement_get_alpha_at (agreement, index, &alpha);

  json_builder_begin_object (json);
  json_builder_set_member_name (json, "kind");
  json_builder_add_string_value (json, tsr_agreement_row_kind_to_string (row.kind));
  if (row.kind != TSR_AGREEMENT_ROW_POOLED)
    {
      g_autofree char *path = tsr_agreement_dup_row_label (agreement, project, index, TRUE);

      json_builder_set_member_name (json, "path");
      json_builder_add_string_value (json, path);
      json_builder_set_member_name (json, "depth");
      json_builder_add_int_value (json, row.depth);
    }
  json_builder_set_member_name (json, "documents");
  json_builder_add_int_value (json, row.n_documents);
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
  append_statistic_json (json, "alpha_documents", alpha.alpha);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    append_statistic_json (json, "alpha_characters", row.alpha);
  json_builder_set_member_name (json, "alpha_documents_inputs");
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
  if (unit == TSR_AGREEMENT_CHARACTERS)
    document_figures_json (json, project, agreement, index, per_document);
  json_builder_set_member_name (json, "undefined");
  json_builder_begin_object (json);
  {
    const char *names[] = { "percent", "kappa", "bp_kappa", "alpha_documents", "alpha_characters" };
    TsrStatistic values[] = { row.percent, row.kappa, row.bp_kappa, alpha.alpha, row.alpha };
    guint n = unit == TSR_AGREEMENT_CHARACTERS ? 5 : 4;

    for (guint i = 0; i < n; i++)
      if (values[i].undefined != TSR_DEFINED)
        {
          json_builder_set_member_name (json, names[i]);
          json_builder_add_string_value (json, tsr_undefined_reason_to_string (values[i].undefined));
        }
  }
  json_builder_end_object (json);
  json_builder_end_object (json);
}


/* Without --coders: the project's two human coders (the consensus coder
 * is not one), in the order the Agreement view takes them; a usage error
 * naming the coders when there are not exactly two. */
static GStrv
default_coders (TsrProject *project,
                const char *command_name,
                int        *status)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (project);
  g_autoptr(GStrvBuilder) humans = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (coders); i++)
    {
      g_autoptr(TsrCoder) coder = g_list_model_get_item (coders, i);

      if (!tsr_coder_get_is_consensus (coder))
        {
          g_strv_builder_add (humans, tsr_coder_get_name (coder));
          n++;
        }
    }
  names = g_strv_builder_end (humans);
  if (n == 2)
    return g_steal_pointer (&names);

  list = g_strjoinv (", ", names);
  if (n < 2)
    *status = tsr_cli_usage_error (command_name,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "This project has %u coder besides the consensus (%s); agreement needs two",
                                                "This project has %u coders besides the consensus (%s); agreement needs two",
                                                n),
                                   n, list);
  else
    *status = tsr_cli_usage_error (command_name,
                                   _("This project has %u coders besides the consensus (%s): name the ones to "
                                     "compare with --coders A,B"),
                                   n, list);
  return NULL;
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
  gboolean merge_touching = FALSE;
  gboolean per_document = FALSE;
  gboolean fragment = FALSE;
  g_autofree char *style_arg = NULL;
  g_autofree char *paper_arg = NULL;
  TsrExportFlags export_flags = TSR_EXPORT_FLAGS_NONE;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *coders_text = NULL;
  g_auto(GStrv) names = NULL;
  TsrAgreementUnit unit = TSR_AGREEMENT_PRESENCE;
  TsrAgreementFlags flags = TSR_AGREEMENT_DEFAULT;
  AgreementFormat format = AGREEMENT_TSV;
  TsrExportFormat export_format = TSR_EXPORT_CSV;
  double overlap = 90.0;
  guint n_rows;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "coders", 0, 0, G_OPTION_ARG_FILENAME, &coders_arg, N_("The coders to compare, by name: A,B (and more for α); by default the project’s two coders, when it has two besides the consensus"), N_("A,B") },
    { "unit", 'u', 0, G_OPTION_ARG_FILENAME, &unit_arg, N_("presence (default), characters or segments"), N_("UNIT") },
    { "overlap", 0, 0, G_OPTION_ARG_FILENAME, &overlap_arg, N_("For segments: the overlap, in percent, at which two segments agree (default 90)"), N_("PERCENT") },
    { "merge-touching", 0, 0, G_OPTION_ARG_NONE, &merge_touching, N_("For segments: merge a coder’s segments of a code that only touch (one ends where the next starts), as overlapping ones are; by default they stay separate"), NULL },
    { "per-document", 0, 0, G_OPTION_ARG_NONE, &per_document, N_("For characters (implied): each code’s agreement and κ in each document where either coder applied it, their mean weighted by document length (NVivo’s figures) and the pooled values, a row each"), NULL },
    { "uncoded", 0, 0, G_OPTION_ARG_FILENAME, &uncoded_arg, N_("Compare by the coding, setting aside which documents the coders marked done; a document a coder did not code at all is then absent (the coder applied none of the codes there, as NVivo, MAXQDA and ATLAS.ti count it) or missing (left out as not yet coded, and listed)"), N_("HOW") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("tsv (default), json, markdown, csv, html, docx, odt, pdf or tex"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "style", 0, 0, G_OPTION_ARG_FILENAME, &style_arg, N_("How the table looks: apa (APA 7, the default) or classic"), N_("STYLE") },
    { "paper", 0, 0, G_OPTION_ARG_FILENAME, &paper_arg, N_("a4 or letter (default: the locale’s)"), N_("PAPER") },
    { "fragment", 0, 0, G_OPTION_ARG_NONE, &fragment, N_("tex: the table alone, to \\input into a manuscript"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Compares two coders’ coding, code by code, with the counts behind each "
                                       "statistic, and pooled in a last row over the codes either coder applied "
                                       "(a code neither applied would add only agreement that it is absent, and "
                                       "is left out of it).\n\n"
                                       "Units (--unit):\n"
                                       "  presence — one code in one document, counted in documents. A coder "
                                       "coded it when they applied the code itself to at least one segment of "
                                       "the document. The unit behind a code’s n.\n"
                                       "  characters — one character of a document, for one code, counted in "
                                       "characters. A coder coded it when it lies in at least one of their "
                                       "segments of the code (overlapping segments count once). NVivo’s unit "
                                       "(NVivo help, “How is the percentage agreement calculated?”).\n"
                                       "  segments — one coder’s segment of a code, counted in segments. A "
                                       "coder’s segments of a code in a document are first merged where they "
                                       "overlap (share a character); segments that only touch stay separate "
                                       "unless --merge-touching. A segment agrees when the other coder has a "
                                       "segment of the same code in the same document overlapping it by at "
                                       "least --overlap percent (90): the characters the two share, divided by "
                                       "the characters either covers. Agreement is the share of both coders’ "
                                       "segments that agree. After MAXQDA’s segment-level check (MAXQDA "
                                       "manual, “Intercoder agreement”).\n\n"
                                       "Cohen’s κ and Brennan and Prediger’s κ come with presence and "
                                       "characters. Every unit has α (documents): Krippendorff’s α (nominal) on "
                                       "presence in documents, for all the coders named; characters also have "
                                       "α (characters), on the characters’ 2 × 2 table of A and B.\n\n"
                                       "Rows: a code with sub-codes is rolled up as its n is (a coder applied it "
                                       "where they applied it or any code below it), with its own coding below it "
                                       "when it was applied itself (kind code); then the codes used, pooled; then "
                                       "each theme, present where any of its codes (with the codes below them) or "
                                       "of its sub-themes’ is. The first column of TSV says which: code, "
                                       "code-tree, pooled, theme or left-out.\n\n"
                                       "Documents compared: when either coder has marked documents as done "
                                       "(tessera-cli mark-done, or Done in the app), those both marked done; "
                                       "otherwise every document, one a coder did not code at all counting as one "
                                       "where that coder applied none of the codes. --uncoded sets the marks "
                                       "aside and compares by the coding (absent: every document; missing: those "
                                       "both coded). Every output says how many documents it compares and names "
                                       "those left out.\n\n"
                                       "A statistic that is undefined (a code nobody used, chance agreement of 1, "
                                       "no variation) is left empty in TSV, null in JSON and “–” in tables, with "
                                       "the reason; it is never shown as 0 or 1."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status) ||
      !tsr_cli_export_flags (command->name, style_arg, paper_arg, fragment, &export_flags, &status))
    return status;

  if (unit_arg != NULL && !tsr_agreement_unit_from_string (unit_arg, &unit))
    return tsr_cli_usage_error (command->name, _("Unknown unit “%s”: use presence, characters or segments"), unit_arg);
  if (per_document && unit_arg == NULL)
    unit = TSR_AGREEMENT_CHARACTERS;
  else if (per_document && unit != TSR_AGREEMENT_CHARACTERS)
    return tsr_cli_usage_error (command->name, _("--per-document gives characters per document; it cannot go with --unit %s"),
                                unit_arg);
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
      flags |= TSR_AGREEMENT_IGNORE_DONE;
      if (g_str_equal (uncoded_arg, "missing"))
        flags |= TSR_AGREEMENT_UNCODED_AS_MISSING;
      else if (!g_str_equal (uncoded_arg, "absent"))
        return tsr_cli_usage_error (command->name, _("Unknown value “%s” for --uncoded: use missing or absent"), uncoded_arg);
    }
  if (merge_touching)
    flags |= TSR_AGREEMENT_MERGE_TOUCHING;
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

  if (coders_arg != NULL)
    {
      if (!(coders_text = tsr_cli_argument_to_utf8 (coders_arg, &error)))
        return tsr_cli_usage_error (command->name, "%s", error->message);
      names = g_strsplit (coders_text, ",", -1);
      if (g_strv_length (names) < 2)
        return tsr_cli_usage_error (command->name, _("--coders needs at least two coders, as A,B"));
    }

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  if (names == NULL && !(names = default_coders (project, command->name, &status)))
    return tsr_cli_close_project (project, status);
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
  n_rows = tsr_agreement_get_n_rows (agreement);

  if (format == AGREEMENT_EXPORT)
    {
      g_autoptr(TsrExportDocument) doc = tsr_agreement_to_document (agreement, project, unit, per_document);

      if (!tsr_cli_check_reads (project, &status))
        return tsr_cli_close_project (project, status);
      if (out_path == NULL || g_str_equal (out_path, "-"))
        {
          g_autoptr(GOutputStream) stream = NULL;

          tsr_cli_release_output ();
          stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
          if (!tsr_export_document_write (doc, export_format, export_flags, stream, NULL, &error))
            status = tsr_cli_fail (error);
        }
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

          if (!tsr_export_document_save (doc, export_format, export_flags, file, NULL, &error))
            status = tsr_cli_fail (error);
        }
      return tsr_cli_close_project (project, status);
    }

  if (format == AGREEMENT_TSV)
    {
      const gint64 *left_out;
      guint n_left_out;

      if (per_document)
        g_string_append (out, "kind\tname\tdocument\tcharacters\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\t"
                              "undefined\n");
      else if (unit == TSR_AGREEMENT_SEGMENTS)
        g_string_append (out, "kind\tname\tdocuments\tsegments_a\tmatched_a\tsegments_b\tmatched_b\tpercent\t"
                              "alpha_documents\tundefined\n");
      else if (unit == TSR_AGREEMENT_CHARACTERS)
        g_string_append (out, "kind\tname\tdocuments\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\tbp_kappa\t"
                              "alpha_documents\talpha_characters\tmean_documents\tmean_percent\tmean_kappa\t"
                              "undefined\n");
      else
        g_string_append (out, "kind\tname\tdocuments\tboth\tonly_a\tonly_b\tneither\tpercent\tkappa\tbp_kappa\t"
                              "alpha_documents\tundefined\n");
      for (guint i = 0; i < n_rows; i++)
        {
          if (per_document)
            per_document_tsv (out, project, agreement, i);
          else
            agreement_row_tsv (out, agreement, project, i, unit);
        }

      /* The documents left out, a row each: the name is the document's,
       * the last field says why, every other field is empty. */
      left_out = tsr_agreement_get_left_out (agreement, &n_left_out);
      for (guint i = 0; i < n_left_out; i++)
        {
          g_autoptr(TsrDocument) document = tsr_project_lookup_document (project, left_out[i]);
          g_autofree char *why = tsr_agreement_describe_left_out (agreement, project, left_out[i]);
          guint n_tabs = per_document ? 9 : unit == TSR_AGREEMENT_SEGMENTS ? 8 : unit == TSR_AGREEMENT_CHARACTERS ? 14 : 10;

          g_string_append (out, "left-out\t");
          tsr_cli_append_tsv_field (out, document ? tsr_document_get_name (document) : "?");
          for (guint f = 0; f < n_tabs; f++)
            g_string_append_c (out, '\t');
          tsr_cli_append_tsv_field (out, why);
          g_string_append_c (out, '\n');
        }
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
      json_builder_set_member_name (json, "compared");
      json_builder_add_string_value (json, tsr_agreement_documents_to_string (tsr_agreement_get_documents (agreement)));
      json_builder_set_member_name (json, "uncoded");
      json_builder_add_string_value (json, (flags & TSR_AGREEMENT_UNCODED_AS_MISSING) ? "missing" : "absent");
      json_builder_set_member_name (json, "documents");
      json_builder_add_int_value (json, tsr_agreement_get_n_documents (agreement));
      json_builder_set_member_name (json, "documents_compared");
      json_builder_add_int_value (json, tsr_agreement_get_n_compared (agreement));
      json_builder_set_member_name (json, "documents_left_out");
      json_builder_begin_array (json);
      {
        guint n_left_out;
        const gint64 *left_out = tsr_agreement_get_left_out (agreement, &n_left_out);

        for (guint i = 0; i < n_left_out; i++)
          {
            g_autoptr(TsrDocument) document = tsr_project_lookup_document (project, left_out[i]);
            g_autofree char *why = tsr_agreement_describe_left_out (agreement, project, left_out[i]);

            json_builder_begin_object (json);
            json_builder_set_member_name (json, "document");
            json_builder_add_string_value (json, document ? tsr_document_get_name (document) : "");
            json_builder_set_member_name (json, "coded_by");
            json_builder_add_string_value (json, tsr_document_coding_to_string (
                                                   tsr_agreement_get_document_coding (agreement, left_out[i])));
            json_builder_set_member_name (json, "done_by");
            json_builder_add_string_value (json, tsr_document_coding_to_string (
                                                   tsr_agreement_get_document_done (agreement, left_out[i])));
            json_builder_set_member_name (json, "reason");
            json_builder_add_string_value (json, why);
            json_builder_end_object (json);
          }
      }
      json_builder_end_array (json);
      json_builder_set_member_name (json, "documents_description");
      {
        g_autofree char *description = tsr_agreement_describe_documents (agreement, project);
        json_builder_add_string_value (json, description);
      }
      json_builder_set_member_name (json, "alpha_description");
      {
        g_autofree char *description = tsr_agreement_describe_alpha (agreement, unit);
        json_builder_add_string_value (json, description);
      }
      json_builder_set_member_name (json, "codes");
      json_builder_begin_array (json);
      for (guint i = 0; i < n_rows; i++)
        {
          TsrAgreementRow row;

          tsr_agreement_get_row_at (agreement, i, unit, &row);
          if (row.kind == TSR_AGREEMENT_ROW_CODE || row.kind == TSR_AGREEMENT_ROW_CODE_TREE)
            agreement_row_json (json, project, agreement, i, unit, per_document);
        }
      json_builder_end_array (json);
      json_builder_set_member_name (json, "overall");
      agreement_row_json (json, project, agreement, tsr_agreement_find_row (agreement, TSR_AGREEMENT_ROW_POOLED, 0),
                          unit, per_document);
      json_builder_set_member_name (json, "themes");
      json_builder_begin_array (json);
      for (guint i = 0; i < n_rows; i++)
        {
          TsrAgreementRow row;

          tsr_agreement_get_row_at (agreement, i, unit, &row);
          if (row.kind == TSR_AGREEMENT_ROW_THEME)
            agreement_row_json (json, project, agreement, i, unit, per_document);
        }
      json_builder_end_array (json);
      {
        guint n_codes;
        guint n_unused;
        g_autofree gint64 *unused = tsr_agreement_get_unused_codes (agreement, &n_unused);
        g_autofree char *pooling = tsr_agreement_describe_pooling (agreement, project, TRUE);
        g_autofree char *rows = tsr_agreement_describe_rows (agreement);

        tsr_agreement_get_codes (agreement, &n_codes);
        json_builder_set_member_name (json, "codes_pooled");
        json_builder_add_int_value (json, n_codes - n_unused);
        json_builder_set_member_name (json, "codes_not_pooled");
        json_builder_begin_array (json);
        for (guint i = 0; i < n_unused; i++)
          {
            g_autofree char *path = tsr_project_get_code_path (project, unused[i]);
            json_builder_add_string_value (json, path);
          }
        json_builder_end_array (json);
        json_builder_set_member_name (json, "pooling_description");
        json_builder_add_string_value (json, pooling);
        json_builder_set_member_name (json, "rows_description");
        json_builder_add_string_value (json, rows);
      }
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
