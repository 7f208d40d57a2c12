/* tsr-agreement-report.c — the agreement table as a document
 *
 * An agreement as the export document model, with the reasons for
 * undefined statistics as footnotes, for the app's and the CLI's exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-agreement.h"
#include "tsr-agreement-private.h"
#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* The table for reports ------------------------------------------------ */

/**
 * tsr_agreement_format_statistic:
 * @decimals: digits after the point, at most 6
 *
 * Rounds half away from zero, as the report's percentages do
 * (tsr_report_format_percent()): 6.25 % is "6.3", κ = 5/16 is "0.313".
 * A statistic that carries its exact fraction (percentages, κ) is rounded
 * from the fraction, so a value exactly halfway is rounded up whatever
 * its binary form (3 of 2000 is 0.15 %, "0.2", although the double
 * nearest 0.15 is below it); others from the double.
 *
 * Returns: (transfer full): the value with a point as decimal separator
 *   and an ASCII minus, or "–" when it is undefined
 */
char *
tsr_agreement_format_statistic (TsrStatistic statistic,
                                guint        decimals)
{
  unsigned __int128 scale = 1, scaled;
  gboolean negative;
  guint64 whole, fraction;

  g_return_val_if_fail (decimals <= 6, NULL);

  if (statistic.undefined != TSR_DEFINED)
    return g_strdup ("–");
  for (guint i = 0; i < decimals; i++)
    scale *= 10;

  if (statistic.exact_den > 0)
    {
      unsigned __int128 magnitude = statistic.exact_num < 0 ? -(__int128) statistic.exact_num
                                                            : (__int128) statistic.exact_num;

      /* round (m · scale / den) = floor ((2 m scale + den) / (2 den)) */
      negative = statistic.exact_num < 0;
      scaled = (2 * magnitude * scale + statistic.exact_den) / (2 * (unsigned __int128) statistic.exact_den);
    }
  else
    {
      /* round () rounds half away from zero. */
      negative = statistic.value < 0;
      scaled = (unsigned __int128) round (fabs (statistic.value) * (double) scale);
    }

  whole = (guint64) (scaled / scale);
  fraction = (guint64) (scaled % scale);
  /* Rounding a tiny negative value shows no sign. */
  if (scaled == 0)
    negative = FALSE;
  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, negative ? "-" : "", whole);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, negative ? "-" : "", whole,
                          (int) decimals, fraction);
}

typedef struct
{
  GPtrArray *reasons;   /* TsrUndefinedReason, as pointers, in order of use */
} Footnotes;

/* Sets the cell of a statistic: its value, or "–" with the superscript
 * letter of the note that says why (APA's specific notes). */
static void
set_statistic (TsrExportTable *table,
               guint           row,
               guint           column,
               Footnotes      *notes,
               TsrStatistic    statistic,
               guint           decimals)
{
  TsrExportParagraph *cell;
  char letter[2] = { 0, 0 };
  guint i;

  if (statistic.undefined == TSR_DEFINED)
    {
      g_autofree char *value = tsr_agreement_format_statistic (statistic, decimals);

      tsr_export_table_set_cell (table, row, column, value);
      return;
    }
  for (i = 0; i < notes->reasons->len; i++)
    if (GPOINTER_TO_UINT (notes->reasons->pdata[i]) == statistic.undefined)
      break;
  if (i == notes->reasons->len)
    g_ptr_array_add (notes->reasons, GUINT_TO_POINTER (statistic.undefined));
  letter[0] = 'a' + i;
  tsr_export_table_set_cell (table, row, column, NULL);
  cell = tsr_export_table_add_cell_paragraph (table, row, column);
  tsr_export_paragraph_add_text (cell, "–", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (cell, letter, TSR_TEXT_SUPERSCRIPT);
}

static char *
coder_name (TsrProject *project,
            gint64      id)
{
  g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (project, id);

  return g_strdup (coder ? tsr_coder_get_name (coder) : "?");
}

/**
 * tsr_agreement_describe_left_out:
 * @project: the project @agreement was computed on, for names
 * @document_id: a document of the project
 *
 * Returns: (transfer full): why the two-coder statistics leave
 *   @document_id out ("Ben has not marked it done", "Ben did not code
 *   it"), or "" when it is compared
 */
char *
tsr_agreement_describe_left_out (TsrAgreement *agreement,
                                 TsrProject   *project,
                                 gint64        document_id)
{
  g_autofree char *name_a = coder_name (project, agreement->data.coder_ids[0]);
  g_autofree char *name_b = coder_name (project, agreement->data.coder_ids[1]);

  for (guint i = 0; i < agreement->n_left_out; i++)
    if (agreement->left_out[i] == document_id && agreement->documents == TSR_AGREEMENT_DONE_DOCUMENTS)
      switch (tsr_agreement_get_document_done (agreement, document_id))
        {
        case TSR_DOCUMENT_CODED_BY_A_ONLY:
          /* Translators: why a document is left out; %s is a coder */
          return g_strdup_printf (_("%s has not marked it done"), name_b);
        case TSR_DOCUMENT_CODED_BY_B_ONLY:
          return g_strdup_printf (_("%s has not marked it done"), name_a);
        case TSR_DOCUMENT_CODED_BY_NEITHER:
        case TSR_DOCUMENT_CODED_BY_BOTH:
        default:
          /* Translators: why a document is left out; %s are coders */
          return g_strdup_printf (_("neither %s nor %s has marked it done"), name_a, name_b);
        }
    else if (agreement->left_out[i] == document_id)
      switch (tsr_agreement_get_document_coding (agreement, document_id))
        {
        case TSR_DOCUMENT_CODED_BY_A_ONLY:
          /* Translators: why a document is left out; %s is a coder */
          return g_strdup_printf (_("%s did not code it"), name_b);
        case TSR_DOCUMENT_CODED_BY_B_ONLY:
          return g_strdup_printf (_("%s did not code it"), name_a);
        case TSR_DOCUMENT_CODED_BY_NEITHER:
        case TSR_DOCUMENT_CODED_BY_BOTH:
        default:
          /* Translators: why a document is left out; %s are coders */
          return g_strdup_printf (_("neither %s nor %s coded it"), name_a, name_b);
        }
  return g_strdup ("");
}

static char *
document_name (TsrProject *project,
               gint64      id)
{
  g_autoptr(TsrDocument) document = tsr_project_lookup_document (project, id);

  return g_strdup (document ? tsr_document_get_name (document) : "?");
}

/* Names the documents left out, at most @max_named of them (0: says
 * they are listed at the end of the table). */
static void
append_left_out (GString      *text,
                 TsrAgreement *agreement,
                 TsrProject   *project,
                 guint         max_named)
{
  if (agreement->n_left_out > 0 && max_named == 0)
    {
      g_string_append (text, " ");
      g_string_append (text, _("The documents left out are listed at the end of the table."));
    }
  else if (agreement->n_left_out > 0)
    {
      g_string_append (text, " ");
      g_string_append (text, _("Left out:"));
      for (guint i = 0; i < MIN (agreement->n_left_out, max_named); i++)
        {
          g_autofree char *name = document_name (project, agreement->left_out[i]);
          g_autofree char *why = tsr_agreement_describe_left_out (agreement, project, agreement->left_out[i]);

          /* Translators: a document left out, and why: “D6” (Ben did not code it) */
          g_string_append_printf (text, _("%s “%s” (%s)"), i > 0 ? ";" : "", name, why);
        }
      if (agreement->n_left_out > max_named)
        /* Translators: after the first documents left out, how many more */
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "; and %u more", "; and %u more",
                                                   agreement->n_left_out - max_named),
                                agreement->n_left_out - max_named);
      g_string_append (text, ".");
    }
}

static char *
describe_documents (TsrAgreement *agreement,
                    TsrProject   *project,
                    guint         max_named)
{
  g_autofree char *name_a = coder_name (project, agreement->data.coder_ids[0]);
  g_autofree char *name_b = coder_name (project, agreement->data.coder_ids[1]);
  GString *text = g_string_new (NULL);
  guint n = agreement->data.n_documents;

  switch (agreement->documents)
    {
    case TSR_AGREEMENT_DONE_DOCUMENTS:
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u document is compared: those both %s and %s marked as "
                                                 "done (coded). In them, a code a coder did not apply counts as "
                                                 "absent.",
                                                 "%u of %u documents are compared: those both %s and %s marked as "
                                                 "done (coded). In them, a code a coder did not apply counts as "
                                                 "absent.",
                                                 n),
                              agreement->n_compared, n, name_a, name_b);
      append_left_out (text, agreement, project, max_named);
      break;

    case TSR_AGREEMENT_CODED_DOCUMENTS:
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u document is compared: those both %s and %s coded; "
                                                 "a document a coder did not code at all is left out as not yet coded.",
                                                 "%u of %u documents are compared: those both %s and %s coded; "
                                                 "a document a coder did not code at all is left out as not yet coded.",
                                                 n),
                              agreement->n_compared, n, name_a, name_b);
      append_left_out (text, agreement, project, max_named);
      break;

    case TSR_AGREEMENT_EVERY_DOCUMENT:
    default:
      {
        guint not_b = tsr_agreement_count_documents (agreement, TSR_DOCUMENT_CODED_BY_A_ONLY);
        guint not_a = tsr_agreement_count_documents (agreement, TSR_DOCUMENT_CODED_BY_B_ONLY);
        guint neither = tsr_agreement_count_documents (agreement, TSR_DOCUMENT_CODED_BY_NEITHER);
        g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u document is compared.",
                                                   "%u of %u documents are compared.", n),
                                agreement->n_compared, n);
        g_string_append (text, " ");
        g_string_append (text, _("A document a coder did not code at all counts as one where that coder "
                                 "applied none of the codes"));
        if (not_b > 0)
          /* Translators: "2 documents Ben did not code" */
          g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document %s did not code",
                                                                "%u documents %s did not code", not_b),
                                                   not_b, name_b));
        if (not_a > 0)
          g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document %s did not code",
                                                                "%u documents %s did not code", not_a),
                                                   not_a, name_a));
        if (neither > 0)
          g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document neither coded",
                                                                "%u documents neither coded", neither),
                                                   neither));
        if (parts->len > 0)
          {
            g_autofree char *joined = NULL;

            g_ptr_array_add (parts, NULL);
            joined = g_strjoinv (", ", (char **) parts->pdata);
            g_string_append_printf (text, " (%s)", joined);
          }
        g_string_append (text, ".");
        if (!(agreement->flags & TSR_AGREEMENT_IGNORE_DONE))
          {
            g_string_append (text, " ");
            g_string_append_printf (text, _("Neither %s nor %s has marked a document as done; once they do, "
                                            "only the documents both marked done are compared."),
                                    name_a, name_b);
          }
      }
      break;
    }
  if ((agreement->flags & TSR_AGREEMENT_IGNORE_DONE) && (agreement->data.done_coders & 3u) != 0)
    {
      g_string_append (text, " ");
      g_string_append (text, _("Which documents the coders marked as done is set aside: the comparison goes by "
                               "their coding."));
    }
  return g_string_free (text, FALSE);
}

/**
 * tsr_agreement_describe_documents:
 * @project: the project @agreement was computed on, for names
 *
 * Which documents the two-coder statistics compare, and how a document a
 * coder did not code at all counts, in sentences; the documents left out
 * are named.  Every output of an agreement says this.
 *
 * Returns: (transfer full): the text
 */
char *
tsr_agreement_describe_documents (TsrAgreement *agreement,
                                  TsrProject   *project)
{
  g_return_val_if_fail (agreement != NULL, NULL);
  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  return describe_documents (agreement, project, G_MAXUINT);
}

/**
 * tsr_agreement_describe_documents_brief:
 * @max_named: how many of the documents left out to name at most
 *
 * The same as tsr_agreement_describe_documents(), naming only the first
 * @max_named documents left out and counting the others, for a caption
 * with little room.
 *
 * Returns: (transfer full): the text
 */
char *
tsr_agreement_describe_documents_brief (TsrAgreement *agreement,
                                        TsrProject   *project,
                                        guint         max_named)
{
  g_return_val_if_fail (agreement != NULL, NULL);
  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  return describe_documents (agreement, project, MAX (max_named, 1));
}

static char *
code_name (TsrProject *project,
           gint64      id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (project, id);

  return g_strdup (code ? tsr_code_get_name (code) : "?");
}

/**
 * tsr_agreement_describe_pooling:
 * @project: the project @agreement was computed on, for names
 * @name_codes: whether to name the codes left out
 *
 * What the pooled row pools: the codes A or B applied, and how many
 * (and, with @name_codes, which) codes nobody applied it leaves out.
 *
 * Returns: (transfer full): the text
 */
char *
tsr_agreement_describe_pooling (TsrAgreement *agreement,
                                TsrProject   *project,
                                gboolean      name_codes)
{
  g_autofree char *name_a = coder_name (project, agreement->data.coder_ids[0]);
  g_autofree char *name_b = coder_name (project, agreement->data.coder_ids[1]);
  guint n_codes = agreement->data.n_codes;
  guint n_unused, n_parents = 0;
  g_autofree gint64 *unused = tsr_agreement_get_unused_codes (agreement, &n_unused);
  g_autofree gint64 *parents = g_new (gint64, MAX (n_unused, 1));
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  /* A code never applied itself whose sub-codes were is pooled through
   * them, and has a rolled-up row: said apart from the codes nobody
   * used. */
  for (guint i = 0; i < n_unused; i++)
    {
      gint tree = tsr_agreement_find_row (agreement, TSR_AGREEMENT_ROW_CODE_TREE, unused[i]);
      TsrAgreementRow row;

      if (tree >= 0 && tsr_agreement_get_row_at (agreement, tree, TSR_AGREEMENT_PRESENCE, &row) &&
          row.both + row.only_a + row.only_b > 0)
        parents[n_parents++] = unused[i];
      else
        unused[i - n_parents] = unused[i];
    }
  n_unused -= n_parents;

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                             "The pooled row pools the %u code of %u that %s or %s applied in the documents compared.",
                                             "The pooled row pools the %u codes of %u that %s or %s applied in the documents compared.",
                                             n_codes - n_unused - n_parents),
                          n_codes - n_unused - n_parents, n_codes, name_a, name_b);
  if (n_unused > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "The %u code neither applied is left out, as it would add only agreement that it is absent",
                                                 "The %u codes neither applied are left out, as they would add only agreement that they are absent",
                                                 n_unused),
                              n_unused);
      if (name_codes)
        {
          g_string_append (text, ": ");
          for (guint i = 0; i < n_unused; i++)
            {
              g_autofree char *name = code_name (project, unused[i]);

              g_string_append_printf (text, "%s“%s”", i > 0 ? ", " : "", name);
            }
        }
      g_string_append_c (text, '.');
    }
  if (n_parents > 0)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u code with sub-codes was not applied itself; its sub-codes "
                                                 "are pooled",
                                                 "%u codes with sub-codes were not applied themselves; their "
                                                 "sub-codes are pooled",
                                                 n_parents),
                              n_parents);
      if (name_codes)
        {
          g_string_append (text, ": ");
          for (guint i = 0; i < n_parents; i++)
            {
              g_autofree char *name = code_name (project, parents[i]);

              g_string_append_printf (text, "%s“%s”", i > 0 ? ", " : "", name);
            }
        }
      g_string_append_c (text, '.');
    }
  if (agreement->data.n_coders > 2)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The pooled α pools the codes any of the coders compared applied."));
    }
  return g_string_free (text, FALSE);
}

/**
 * tsr_agreement_describe_document_mean:
 *
 * Returns: (transfer full): what the per-document means are, for a note
 *   or a caption
 */
char *
tsr_agreement_describe_document_mean (void)
{
  return g_strdup (_("The means per document are NVivo’s figures: percent agreement and κ computed on the "
                     "characters of each document where either coder applied the code, then averaged with "
                     "each document weighted by its length (a document where neither applied it has no κ "
                     "and is not averaged). Agreement % and Cohen’s κ pool every character of every "
                     "document compared into one table instead."));
}

/**
 * tsr_agreement_describe_unit:
 * @unit: the unit whose table is shown
 *
 * The definition of @unit as @agreement computed it — what one
 * observation is, when a coder counts as coding it, what the counts
 * count — with the source it follows.  The view's caption, the exported
 * table's note, the README and `tessera-cli agreement --help` state the
 * same definitions.
 *
 * Returns: (transfer full): the text
 */
char *
tsr_agreement_describe_unit (TsrAgreement     *agreement,
                             TsrAgreementUnit  unit)
{
  g_return_val_if_fail (agreement != NULL, NULL);

  switch (unit)
    {
    case TSR_AGREEMENT_PRESENCE:
      return g_strdup (_("Unit: one code in one document, counted in documents. A coder coded it when "
                         "they applied the code itself to at least one segment of the document (a "
                         "sub-code’s segments count for the sub-code). This is the unit behind a "
                         "code’s n."));
    case TSR_AGREEMENT_CHARACTERS:
      return g_strdup (_("Unit: one character of a document, for one code, counted in characters. A "
                         "coder coded it when it lies in at least one of their segments of the code "
                         "(overlapping segments count once). This is NVivo’s unit (NVivo help, “How is "
                         "the percentage agreement calculated?”)."));
    case TSR_AGREEMENT_SEGMENTS:
    default:
      return g_strdup_printf ((agreement->flags & TSR_AGREEMENT_MERGE_TOUCHING)
                              ? _("Unit: one coder’s segment of a code, counted in segments. A coder’s "
                                  "segments of a code in a document are first merged where they overlap "
                                  "or touch (end where the next starts). A segment agrees when the "
                                  "other coder has a segment of the same code in the same document "
                                  "overlapping it by at least %g%%: the characters the two share, "
                                  "divided by the characters either covers. Agreement is the share of "
                                  "both coders’ segments that agree. After MAXQDA’s segment-level "
                                  "check (MAXQDA manual, “Intercoder agreement”).")
                              : _("Unit: one coder’s segment of a code, counted in segments. A coder’s "
                                  "segments of a code in a document are first merged where they overlap "
                                  "(share a character); segments that only touch stay separate. A "
                                  "segment agrees when the other coder has a segment of the same code "
                                  "in the same document overlapping it by at least %g%%: the characters "
                                  "the two share, divided by the characters either covers. Agreement is "
                                  "the share of both coders’ segments that agree. After MAXQDA’s "
                                  "segment-level check (MAXQDA manual, “Intercoder agreement”)."),
                              agreement->min_overlap);
    }
}

static gboolean
code_has_children (TsrAgreement *agreement,
                   gint64        code_id)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (agreement->data.code_index, &code_id));

  return i > 0 && i < agreement->data.n_codes &&
         agreement->data.code_depths[i] > agreement->data.code_depths[i - 1];
}

static char *
theme_path (TsrProject *project,
            gint64      id)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *path = g_string_new (NULL);
  guint guard = 0;

  while (id != 0 && guard++ < 10000)
    {
      g_autoptr(TsrTheme) theme = tsr_project_lookup_theme (project, id);

      if (theme == NULL)
        break;
      g_ptr_array_add (names, g_strdup (tsr_theme_get_name (theme)));
      id = tsr_theme_get_parent_id (theme);
    }
  for (guint i = names->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, names->pdata[i - 1]);
    }
  return g_string_free (path, FALSE);
}

/**
 * tsr_agreement_dup_row_label:
 * @project: the project @agreement was computed on, for names
 * @index: a row, below tsr_agreement_get_n_rows()
 * @path: whether to name a code or theme by its path ("Parent/Child"),
 *   for data files, or by its name, for tables that indent
 *
 * Returns: (transfer full): what the row is about, for a person to read:
 *   the code or theme; a code with sub-codes names its own row
 *   "Name (itself)"; the pooled row is "Codes used (pooled)"
 */
char *
tsr_agreement_dup_row_label (TsrAgreement *agreement,
                             TsrProject   *project,
                             guint         index,
                             gboolean      path)
{
  TsrAgreementRowInfo *row;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);
  g_return_val_if_fail (index < agreement->n_rows, NULL);

  row = &agreement->rows[index];
  switch (row->kind)
    {
    case TSR_AGREEMENT_ROW_POOLED:
      return g_strdup (_("Codes used (pooled)"));
    case TSR_AGREEMENT_ROW_THEME:
      if (path)
        return theme_path (project, row->id);
      {
        g_autoptr(TsrTheme) theme = tsr_project_lookup_theme (project, row->id);
        return g_strdup (theme ? tsr_theme_get_name (theme) : "?");
      }
    case TSR_AGREEMENT_ROW_CODE:
    case TSR_AGREEMENT_ROW_CODE_TREE:
    default:
      {
        g_autofree char *name = path ? tsr_project_get_code_path (project, row->id) : code_name (project, row->id);

        if (name == NULL)
          name = g_strdup ("?");
        if (row->kind == TSR_AGREEMENT_ROW_CODE && code_has_children (agreement, row->id))
          /* Translators: the row of a code with sub-codes that counts only
           * its segments of the code itself */
          return g_strdup_printf (_("%s (itself)"), name);
        return g_steal_pointer (&name);
      }
    }
}

/* The α columns of a unit's table: α over every coder compared on
 * documents, and for characters also α on the characters' 2 × 2 table. */
static void
add_agreement_row (TsrExportTable   *table,
                   Footnotes        *notes,
                   TsrAgreement     *agreement,
                   guint             index,
                   const char       *label,
                   guint             indent,
                   TsrTextStyle      style,
                   TsrAgreementUnit  unit)
{
  TsrAgreementRow row;
  TsrAlphaResult alpha;
  guint r = tsr_export_table_add_row (table, indent, style);
  guint c = 0;

  tsr_agreement_get_row_at (agreement, index, unit, &row);
  tsr_agreement_get_alpha_at (agreement, index, &alpha);

  tsr_export_table_set_cell (table, r, c++, label);
  {
    g_autofree char *documents = g_strdup_printf ("%u", row.n_documents);
    tsr_export_table_set_cell (table, r, c++, documents);
  }
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      guint counts[4] = { row.segments_a, row.matched_a, row.segments_b, row.matched_b };

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *text = g_strdup_printf ("%u", counts[i]);
          tsr_export_table_set_cell (table, r, c++, text);
        }
    }
  else
    {
      guint64 counts[4] = { row.both, row.only_a, row.only_b, row.neither };

      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, counts[i]);
          tsr_export_table_set_cell (table, r, c++, text);
        }
    }
  set_statistic (table, r, c++, notes, row.percent, 1);
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      set_statistic (table, r, c++, notes, row.kappa, 3);
      set_statistic (table, r, c++, notes, row.bp_kappa, 3);
    }
  set_statistic (table, r, c++, notes, alpha.alpha, 3);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      TsrAgreementMean mean;

      set_statistic (table, r, c++, notes, row.alpha, 3);
      tsr_agreement_get_document_mean_at (agreement, index, &mean);
      set_statistic (table, r, c++, notes, mean.percent, 1);
      set_statistic (table, r, c++, notes, mean.kappa, 3);
    }
}

/* A row's character agreement in each document where either coder
 * applied its code(s), a row each below the row's. */
static void
add_document_rows (TsrExportTable *table,
                   Footnotes      *notes,
                   TsrAgreement   *agreement,
                   TsrProject     *project,
                   guint           index,
                   guint           indent)
{
  for (guint i = 0; i < tsr_agreement_get_n_cells_at (agreement, index); i++)
    {
      TsrAgreementCell cell;
      g_autofree char *name = NULL;
      guint64 counts[4];
      guint r = tsr_export_table_add_row (table, indent, TSR_TEXT_ITALIC);
      guint c = 0;

      tsr_agreement_get_cell_at (agreement, index, i, &cell);
      counts[0] = cell.both;
      counts[1] = cell.only_a;
      counts[2] = cell.only_b;
      counts[3] = cell.neither;
      name = document_name (project, cell.document_id);
      tsr_export_table_set_cell (table, r, c++, name);
      tsr_export_table_set_cell (table, r, c++, "1");
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, counts[k]);
          tsr_export_table_set_cell (table, r, c++, text);
        }
      set_statistic (table, r, c++, notes, cell.percent, 1);
      set_statistic (table, r, c++, notes, cell.kappa, 3);
    }
}

/**
 * tsr_agreement_describe_rows:
 *
 * What the rows that roll codes up are, for a note or a caption: a code
 * with sub-codes, and the themes.
 *
 * Returns: (transfer full): the text, "" when the table has no such row
 */
char *
tsr_agreement_describe_rows (TsrAgreement *agreement)
{
  gboolean trees = FALSE, themes = FALSE;
  GString *text = g_string_new (NULL);

  for (guint r = 0; r < agreement->n_rows; r++)
    {
      trees |= agreement->rows[r].kind == TSR_AGREEMENT_ROW_CODE_TREE;
      themes |= agreement->rows[r].kind == TSR_AGREEMENT_ROW_THEME;
    }
  if (trees)
    g_string_append (text, _("A code with sub-codes is rolled up as its n is: a coder applied it where they "
                             "applied it or any code below it, and its characters and segments are those of "
                             "all of them together; “(itself)” below it counts the code’s own segments alone."));
  if (themes)
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, _("A theme is present where any of its codes (with the codes below them) or of "
                               "its sub-themes’ is, as its n counts; discarded themes are not shown."));
    }
  return g_string_free (text, FALSE);
}

/**
 * tsr_agreement_describe_alpha:
 * @unit: the unit whose table is shown
 *
 * Returns: (transfer full): which α the table shows, on which unit
 */
char *
tsr_agreement_describe_alpha (TsrAgreement     *agreement,
                              TsrAgreementUnit  unit)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append (text, agreement->data.n_coders > 2
                         ? _("α (documents) is Krippendorff’s α (nominal) on presence in documents, over all the "
                             "coders compared: each document compared is a unit, a coder’s value 1 where they "
                             "applied the code and 0 where not.")
                         : _("α (documents) is Krippendorff’s α (nominal) on presence in documents: each document "
                             "compared is a unit, a coder’s value 1 where they applied the code and 0 where not."));
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("α (characters) is Krippendorff’s α (nominal) on the characters’ 2 × 2 table of "
                               "A and B: each character of each document compared is a unit."));
    }
  else if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Segments have no “coded by neither” count, so there is no α on segments."));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * tsr_agreement_to_document:
 * @project: the project @agreement was computed on, for names
 * @unit: which unit's table
 * @per_document: for characters, a row for each document where either
 *   coder applied a code, below the code's row
 *
 * The agreement table per code (codes with sub-codes rolled up, and
 * their own coding below them when it was used), a row pooling the codes
 * the coders applied, then the themes, with the counts behind each
 * statistic; the documents left out, a row each; and notes that define
 * the unit and each statistic, say what is pooled and rolled up, which
 * documents are compared and why any value is undefined; for the export
 * writers (DOCX, ODT, PDF, HTML, Markdown, CSV, LaTeX, JSON).
 *
 * Returns: (transfer full): the document
 */
TsrExportDocument *
tsr_agreement_to_document (TsrAgreement     *agreement,
                           TsrProject       *project,
                           TsrAgreementUnit  unit,
                           gboolean          per_document)
{
  g_autofree char *name_a = coder_name (project, agreement->data.coder_ids[0]);
  g_autofree char *name_b = coder_name (project, agreement->data.coder_ids[1]);
  g_autofree char *title = g_strdup_printf (_("Intercoder agreement — %s"), tsr_project_get_title (project));
  g_autofree char *caption = NULL;
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  Footnotes notes = { reasons };
  TsrExportDocument *doc;
  TsrExportTable *table;
  guint n_columns = unit == TSR_AGREEMENT_SEGMENTS ? 8 : unit == TSR_AGREEMENT_CHARACTERS ? 13 : 10;
  gboolean themes_begun = FALSE;
  guint c = 0;

  g_return_val_if_fail (agreement != NULL, NULL);
  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  doc = tsr_export_document_new (title);
  table = tsr_export_document_add_table (doc, n_columns);

  switch (unit)
    {
    case TSR_AGREEMENT_PRESENCE:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code and theme, on presence in "
                                   "documents (%u of %u documents compared)"),
                                 name_a, name_b, agreement->n_compared, agreement->data.n_documents);
      break;
    case TSR_AGREEMENT_CHARACTERS:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code and theme, on characters "
                                   "(%u of %u documents compared)"),
                                 name_a, name_b, agreement->n_compared, agreement->data.n_documents);
      break;
    case TSR_AGREEMENT_SEGMENTS:
    default:
      caption = g_strdup_printf (_("Agreement between %s (A) and %s (B) per code and theme, on segments "
                                   "overlapping by at least %g%% (%u of %u documents compared)"),
                                 name_a, name_b, agreement->min_overlap, agreement->n_compared,
                                 agreement->data.n_documents);
      break;
    }
  tsr_export_table_set_caption (table, caption);

  tsr_export_table_set_column (table, c++, _("Code"), TSR_ALIGN_START, 4);
  tsr_export_table_set_column (table, c++, _("Documents"), TSR_ALIGN_END, 1);
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      tsr_export_table_set_column (table, c++, _("A’s segments"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("matched"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("B’s segments"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("matched"), TSR_ALIGN_END, 1);
    }
  else
    {
      tsr_export_table_set_column (table, c++, _("Both"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Only A"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Only B"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Neither"), TSR_ALIGN_END, 1);
    }
  tsr_export_table_set_column (table, c++, _("Agreement %"), TSR_ALIGN_END, 1);
  /* κ and α cannot exceed 1: APA writes them without a leading zero. */
  if (unit != TSR_AGREEMENT_SEGMENTS)
    {
      tsr_export_table_set_column_bounded (table, c, TRUE);
      tsr_export_table_set_column (table, c++, _("Cohen’s κ"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column_bounded (table, c, TRUE);
      tsr_export_table_set_column (table, c++, _("B–P κ"), TSR_ALIGN_END, 1);
    }
  tsr_export_table_set_column_bounded (table, c, TRUE);
  tsr_export_table_set_column (table, c++, _("α (documents)"), TSR_ALIGN_END, 1);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      tsr_export_table_set_column_bounded (table, c, TRUE);
      tsr_export_table_set_column (table, c++, _("α (characters)"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, c++, _("Mean % per document"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column_bounded (table, c, TRUE);
      tsr_export_table_set_column (table, c++, _("Mean κ per document"), TSR_ALIGN_END, 1);
    }

  for (guint i = 0; i < agreement->n_rows; i++)
    {
      TsrAgreementRowInfo *info = &agreement->rows[i];
      g_autofree char *label = tsr_agreement_dup_row_label (agreement, project, i, FALSE);

      if (info->kind == TSR_AGREEMENT_ROW_THEME && !themes_begun)
        {
          guint r = tsr_export_table_add_row (table, 0, TSR_TEXT_BOLD);

          tsr_export_table_set_cell (table, r, 0, _("Themes"));
          themes_begun = TRUE;
        }
      add_agreement_row (table, &notes, agreement, i, label, info->depth,
                         info->kind == TSR_AGREEMENT_ROW_POOLED ? TSR_TEXT_BOLD : TSR_TEXT_PLAIN, unit);
      if (per_document && unit == TSR_AGREEMENT_CHARACTERS && info->kind != TSR_AGREEMENT_ROW_POOLED)
        add_document_rows (table, &notes, agreement, project, i, info->depth + 1);
    }
  /* The documents left out, a row each, so that a format holding only the
   * table (CSV) names them too. */
  for (guint i = 0; i < agreement->n_left_out; i++)
    {
      g_autofree char *name = document_name (project, agreement->left_out[i]);
      g_autofree char *why = tsr_agreement_describe_left_out (agreement, project, agreement->left_out[i]);
      /* Translators: a row of the agreement table: Left out: “D6” (Ben did not code it) */
      g_autofree char *label = g_strdup_printf (_("Left out: “%s” (%s)"), name, why);
      guint r = tsr_export_table_add_row (table, 0, TSR_TEXT_ITALIC);

      tsr_export_table_set_cell (table, r, 0, label);
    }

  {
    g_autofree char *definition = tsr_agreement_describe_unit (agreement, unit);

    g_string_append (note, definition);
    g_string_append_c (note, ' ');
  }
  if (unit == TSR_AGREEMENT_SEGMENTS)
    g_string_append (note, _("With no count of text coded by neither, κ is not defined for this unit. "));
  g_string_append (note, _("“Documents” is the number of documents each row compares. "));
  if (unit != TSR_AGREEMENT_SEGMENTS)
    g_string_append (note, _("Cohen’s κ corrects agreement for chance from each coder’s own marginals; "
                             "Brennan and Prediger’s κ takes chance as ½ (2·pₒ − 1). "));
  {
    g_autofree char *alpha = tsr_agreement_describe_alpha (agreement, unit);

    g_string_append (note, alpha);
    g_string_append_c (note, ' ');
  }
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      g_autofree char *means = tsr_agreement_describe_document_mean ();

      g_string_append (note, means);
      g_string_append_c (note, ' ');
      if (per_document)
        g_string_append (note, _("Below each row, in italics, its agreement in each document where either "
                                 "coder applied it (“Documents” is 1). "));
    }
  {
    g_autofree char *rows = tsr_agreement_describe_rows (agreement);

    if (rows[0] != '\0')
      {
        g_string_append (note, rows);
        g_string_append_c (note, ' ');
      }
  }
  {
    g_autofree char *pooling = tsr_agreement_describe_pooling (agreement, project, TRUE);
    g_autofree char *documents = describe_documents (agreement, project, 0);

    g_string_append (note, pooling);
    g_string_append_c (note, ' ');
    g_string_append (note, documents);
  }
  {
    TsrExportParagraph *general = tsr_export_table_add_note (table);

    /* Translators: the label of a table's note, as APA style sets it */
    tsr_export_paragraph_add_text (general, _("Note."), TSR_TEXT_ITALIC);
    tsr_export_paragraph_add_text (general, " ", TSR_TEXT_PLAIN);
    tsr_export_paragraph_add_text (general, note->str, TSR_TEXT_PLAIN);
  }

  /* The specific notes: a superscript letter, then why. */
  for (guint i = 0; i < reasons->len; i++)
    {
      TsrExportParagraph *specific = tsr_export_table_add_note (table);
      char letter[2] = { 'a' + i, 0 };

      tsr_export_paragraph_add_text (specific, letter, TSR_TEXT_SUPERSCRIPT);
      tsr_export_paragraph_add_text (specific, " ", TSR_TEXT_PLAIN);
      tsr_export_paragraph_add_text (specific,
                                     tsr_undefined_reason_describe (GPOINTER_TO_UINT (reasons->pdata[i])),
                                     TSR_TEXT_PLAIN);
    }

  return doc;
}
