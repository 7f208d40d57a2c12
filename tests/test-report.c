/* test-report.c — theme tables, codebooks and write-ups, by hand and on the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tessera.h"

/* Percentages ---------------------------------------------------------- */

static void
test_percent_rounding (void)
{
  static const struct {
    guint n, total, decimals;
    const char *expected;
  } cases[] = {
    { 19, 22, 1, "86.4" },   /* 86.36… */
    { 19, 22, 0, "86" },
    { 21, 22, 1, "95.5" },   /* 95.45… */
    { 1, 8, 0, "13" },       /* 12.5 exactly: half away from zero */
    { 1, 8, 1, "12.5" },
    { 1, 16, 1, "6.3" },     /* 6.25 exactly */
    { 1, 16, 0, "6" },
    { 3, 16, 0, "19" },      /* 18.75 */
    { 1, 40, 0, "3" },       /* 2.5 exactly */
    { 249, 2000, 1, "12.5" },/* 12.45 exactly */
    { 249, 2000, 0, "12" },  /* not 13: no rounding of a rounded 12.5 */
    { 1, 3, 1, "33.3" },
    { 2, 3, 1, "66.7" },
    { 0, 5, 1, "0.0" },
    { 5, 5, 0, "100" },
    { 11, 22, 1, "50.0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tsr_report_format_percent (cases[i].n, cases[i].total, cases[i].decimals);

      g_test_message ("%u/%u with %u decimals", cases[i].n, cases[i].total, cases[i].decimals);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* A share of nothing is undefined, not 0. */
  g_assert_null (tsr_report_format_percent (0, 0, 0));
  g_assert_null (tsr_report_format_percent (0, 0, 1));
}

static void
test_prevalence_formats (void)
{
  static const struct {
    TsrPrevalenceFormat format;
    guint n, total;
    const char *expected;
  } cases[] = {
    { TSR_PREVALENCE_N, 19, 22, "n = 19" },
    { TSR_PREVALENCE_FRACTION, 19, 22, "19/22 (86%)" },
    { TSR_PREVALENCE_PERCENT, 19, 22, "19 (86.4%)" },
    { TSR_PREVALENCE_FRACTION, 1, 8, "1/8 (13%)" },
    { TSR_PREVALENCE_PERCENT, 1, 8, "1 (12.5%)" },
    { TSR_PREVALENCE_N, 0, 0, "n = 0" },
    { TSR_PREVALENCE_FRACTION, 0, 0, "0/0 (–)" },
    { TSR_PREVALENCE_PERCENT, 0, 0, "0 (–)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tsr_report_format_prevalence (cases[i].format, cases[i].n, cases[i].total);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_names (void)
{
  TsrReportKind kind;
  TsrReportOrder order;
  TsrPrevalenceFormat format;
  TsrDocumentLabels labels;

  g_assert_true (tsr_report_kind_from_string ("codebook", &kind));
  g_assert_cmpint (kind, ==, TSR_REPORT_CODEBOOK);
  g_assert_true (tsr_report_kind_from_string ("writeup", &kind));
  g_assert_cmpint (kind, ==, TSR_REPORT_WRITEUP);
  g_assert_false (tsr_report_kind_from_string ("table", &kind));
  g_assert_true (tsr_report_order_from_string ("n", &order));
  g_assert_cmpint (order, ==, TSR_REPORT_ORDER_N);
  g_assert_false (tsr_report_order_from_string ("size", &order));
  g_assert_true (tsr_prevalence_format_from_string ("fraction", &format));
  g_assert_cmpint (format, ==, TSR_PREVALENCE_FRACTION);
  g_assert_false (tsr_prevalence_format_from_string ("%", &format));
  g_assert_true (tsr_document_labels_from_string ("names", &labels));
  g_assert_cmpint (labels, ==, TSR_LABELS_NAMES);
  g_assert_false (tsr_document_labels_from_string (NULL, &labels));
  g_assert_cmpstr (tsr_report_order_to_string (TSR_REPORT_ORDER_NAME), ==, "name");
}

/* A project worked out by hand ----------------------------------------- */

typedef struct
{
  char       *dir;
  TsrProject *project;
  gint64      doc[8];
  gint64      alice, bob, consensus;
  gint64      care, touch, words, hope, other, setback;
  gint64      t_hope, t_compassion, t_touch, t_words, t_gone, t_gone_child;
} Fixture;

/*
 * Eight documents D1…D8 ("Interview 1"…), three coders.  Codes:
 *   Care ─┬─ Touch
 *         └─ Words
 *   Hope, Other, Setback
 * Themes, in this tree order:
 *   Hope {Hope}
 *   Compassion {Care} ⊃ Touch only {Care/Touch}, Kind words {Care/Words}
 *   Abandoned {Other} (discarded) ⊃ Child of discarded {Setback}
 *
 * Segments (document: code, coder, exemplar):
 *   D1: Touch consensus ★ [0,9), Touch alice ★ [0,9), Hope consensus [20,30)
 *   D2: Words consensus ★ [0,9), Care consensus [20,30), Words bob [0,9)
 *   D3: Hope consensus ★ [0,9)
 *   D4: Touch consensus [0,9)
 *   D5: Other consensus ★ [0,9), Setback consensus [20,30)
 *   D6: Hope alice ★ [0,9)
 *   D7: Care bob [0,9)
 *   D8: nothing
 *
 * Consensus n of N = 8: Hope {D1, D3} = 2; Compassion {D1, D2, D4} = 3;
 * Touch only {D1, D4} = 2; Kind words {D2} = 1.
 * Any coder adds D6 to Hope (3) and D7 to Compassion (4).
 */
static gint64
seg (Fixture  *f,
     guint     d,
     gint64    code,
     gint64    coder,
     guint     start,
     gboolean  exemplar)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_segment_for_coder (f->project, f->doc[d], code, coder, start,
                                                 start + (start == 0 ? 9 : 10), &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  if (exemplar)
    {
      tsr_project_set_segment_exemplar (f->project, id, TRUE, &error);
      g_assert_no_error (error);
    }
  return id;
}

static gint64
take_id (gpointer entity)
{
  gint64 id = tsr_entity_get_id (TSR_ENTITY (entity));

  g_object_unref (entity);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsr-report-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "Study.tessera", NULL);
  f->project = tsr_project_create (path, &error);
  g_assert_no_error (error);
  tsr_project_set_title (f->project, "Care study", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("Interview %u", i + 1);
      g_autofree char *text = g_strdup_printf ("Passage %u.  and then later some more words %u.", i + 1, i + 1);

      f->doc[i] = tsr_project_add_document (f->project, name, text, NULL, &error);
      g_assert_no_error (error);
    }

  f->alice = take_id (tsr_project_ensure_coder (f->project, "Alice", &error));
  f->bob = take_id (tsr_project_ensure_coder (f->project, "Bob", &error));
  f->consensus = take_id (tsr_project_get_consensus_coder (f->project, &error));
  g_assert_no_error (error);

  f->care = tsr_project_create_code (f->project, 0, "Care", NULL, "Acts of care", &error);
  f->touch = tsr_project_create_code (f->project, f->care, "Touch", NULL, "A hand on the shoulder", &error);
  f->words = tsr_project_create_code (f->project, f->care, "Words", NULL, NULL, &error);
  f->hope = tsr_project_create_code (f->project, 0, "Hope", NULL, "Looking forward", &error);
  f->other = tsr_project_create_code (f->project, 0, "Other", NULL, NULL, &error);
  f->setback = tsr_project_create_code (f->project, 0, "Setback", NULL, NULL, &error);
  g_assert_no_error (error);

  f->t_hope = tsr_project_create_theme (f->project, 0, "Hope", &error);
  f->t_compassion = tsr_project_create_theme (f->project, 0, "Compassion", &error);
  f->t_touch = tsr_project_create_theme (f->project, f->t_compassion, "Touch only", &error);
  f->t_words = tsr_project_create_theme (f->project, f->t_compassion, "Kind words", &error);
  f->t_gone = tsr_project_create_theme (f->project, 0, "Abandoned", &error);
  f->t_gone_child = tsr_project_create_theme (f->project, f->t_gone, "Child of discarded", &error);
  g_assert_no_error (error);
  tsr_project_add_code_to_theme (f->project, f->t_hope, f->hope, &error);
  tsr_project_add_code_to_theme (f->project, f->t_compassion, f->care, &error);
  tsr_project_add_code_to_theme (f->project, f->t_touch, f->touch, &error);
  tsr_project_add_code_to_theme (f->project, f->t_words, f->words, &error);
  tsr_project_add_code_to_theme (f->project, f->t_gone, f->other, &error);
  tsr_project_add_code_to_theme (f->project, f->t_gone_child, f->setback, &error);
  tsr_project_set_theme_status (f->project, f->t_gone, TSR_THEME_DISCARDED, &error);
  tsr_project_set_theme_field (f->project, f->t_hope, TSR_THEME_FIELD_DEFINITION, "Looking forward to home", &error);
  tsr_project_set_theme_field (f->project, f->t_hope, TSR_THEME_FIELD_SCOPE_NOTES, "Not wishful thinking", &error);
  tsr_project_set_theme_field (f->project, f->t_hope, TSR_THEME_FIELD_NARRATIVE,
                               "First paragraph.\nStill the first.\n\n  Second paragraph.  \n\n", &error);
  tsr_project_set_theme_status (f->project, f->t_hope, TSR_THEME_FINAL, &error);
  g_assert_no_error (error);

  seg (f, 0, f->touch, f->consensus, 0, TRUE);
  seg (f, 0, f->touch, f->alice, 0, TRUE);
  seg (f, 0, f->hope, f->consensus, 20, FALSE);
  seg (f, 1, f->words, f->consensus, 0, TRUE);
  seg (f, 1, f->care, f->consensus, 20, FALSE);
  seg (f, 1, f->words, f->bob, 0, FALSE);
  seg (f, 2, f->hope, f->consensus, 0, TRUE);
  seg (f, 3, f->touch, f->consensus, 0, FALSE);
  seg (f, 4, f->other, f->consensus, 0, TRUE);
  seg (f, 4, f->setback, f->consensus, 20, FALSE);
  seg (f, 5, f->hope, f->alice, 0, TRUE);
  seg (f, 6, f->care, f->bob, 0, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (tsr_project_get_path (f->project));

  g_assert_true (tsr_project_close (f->project, NULL));
  g_assert_finalize_object (f->project);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static TsrReport *
report_for (Fixture      *f,
            TsrCoderMode  mode,
            gint64        coder)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder);
  g_autoptr(GError) error = NULL;
  TsrReport *report = tsr_project_build_report (f->project, scope, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_theme_names (GPtrArray   *themes,
                    const char  *expected)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < themes->len; i++)
    {
      const TsrReportTheme *theme = themes->pdata[i];

      g_string_append_printf (names, "%s%s%s", i ? "|" : "", theme->depth ? "  " : "", theme->name);
    }
  g_assert_cmpstr (names->str, ==, expected);
}

static void
test_themes (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(GPtrArray) tree = tsr_report_list_themes (report, TSR_REPORT_ORDER_TREE);
  g_autoptr(GPtrArray) by_n = tsr_report_list_themes (report, TSR_REPORT_ORDER_N);
  g_autoptr(GPtrArray) by_name = tsr_report_list_themes (report, TSR_REPORT_ORDER_NAME);
  const TsrReportTheme *hope, *compassion, *touch, *words;

  g_assert_cmpuint (tsr_report_get_n_documents (report), ==, 8);
  g_assert_cmpstr (tsr_report_get_project_title (report), ==, "Care study");

  /* The discarded theme and its sub-theme are not reported. */
  assert_theme_names (tree, "Hope|Compassion|  Touch only|  Kind words");
  assert_theme_names (by_n, "Compassion|  Touch only|  Kind words|Hope");
  assert_theme_names (by_name, "Compassion|  Kind words|  Touch only|Hope");

  hope = tree->pdata[0];
  compassion = tree->pdata[1];
  touch = tree->pdata[2];
  words = tree->pdata[3];
  g_assert_cmpuint (hope->n, ==, 2);
  g_assert_cmpuint (compassion->n, ==, 3);
  g_assert_cmpuint (touch->n, ==, 2);
  g_assert_cmpuint (words->n, ==, 1);
  g_assert_cmpuint (touch->depth, ==, 1);
  g_assert_cmpint (touch->parent_id, ==, f->t_compassion);
  g_assert_cmpint (hope->status, ==, TSR_THEME_FINAL);
  g_assert_cmpstr (hope->definition, ==, "Looking forward to home");
  g_assert_cmpstr (hope->scope_notes, ==, "Not wishful thinking");
  g_assert_cmpstr (compassion->definition, ==, "");

  g_assert_cmpuint (compassion->n_codes, ==, 1);
  g_assert_cmpstr (compassion->codes[0], ==, "Care");
  g_assert_null (compassion->codes[1]);
  g_assert_cmpstr (touch->codes[0], ==, "Touch");

  /* Quotes: Compassion covers Care and the codes below it; the passage
   * of D1 starred by Alice and by the consensus is one quote; Hope's
   * include Alice's D6, whoever's coding is counted. */
  g_assert_cmpuint (compassion->n_quotes, ==, 2);
  g_assert_cmpstr (compassion->quotes[0].text, ==, "Passage 1");
  g_assert_cmpuint (compassion->quotes[0].document_number, ==, 1);
  g_assert_cmpstr (compassion->quotes[0].document_name, ==, "Interview 1");
  g_assert_cmpstr (compassion->quotes[1].text, ==, "Passage 2");
  g_assert_cmpuint (touch->n_quotes, ==, 1);
  g_assert_cmpuint (words->n_quotes, ==, 1);
  g_assert_cmpint (words->quotes[0].document_id, ==, f->doc[1]);
  g_assert_cmpuint (hope->n_quotes, ==, 2);
  g_assert_cmpuint (hope->quotes[0].document_number, ==, 3);
  g_assert_cmpuint (hope->quotes[1].document_number, ==, 6);
}

static void
test_coder_modes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsrReport) any = report_for (f, TSR_CODERS_ANY, 0);
  g_autoptr(TsrReport) all = report_for (f, TSR_CODERS_ALL, 0);
  g_autoptr(TsrReport) alice = report_for (f, TSR_CODERS_ONE, f->alice);
  g_autoptr(TsrReport) consensus = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(GPtrArray) any_themes = tsr_report_list_themes (any, TSR_REPORT_ORDER_TREE);
  g_autoptr(GPtrArray) all_themes = tsr_report_list_themes (all, TSR_REPORT_ORDER_TREE);
  g_autoptr(GPtrArray) alice_themes = tsr_report_list_themes (alice, TSR_REPORT_ORDER_TREE);
  g_autofree char *any_text = tsr_report_describe_coding (any);
  g_autofree char *all_text = tsr_report_describe_coding (all);
  g_autofree char *alice_text = tsr_report_describe_coding (alice);
  g_autofree char *consensus_text = tsr_report_describe_coding (consensus);

  /* Any: Hope in D1? no (Alice coded Touch there); Alice's Hope in D6,
   * so Hope {D6}; Compassion: Alice Touch D1, Bob Words D2, Bob Care D7. */
  g_assert_cmpuint (((TsrReportTheme *) any_themes->pdata[0])->n, ==, 1);
  g_assert_cmpuint (((TsrReportTheme *) any_themes->pdata[1])->n, ==, 3);
  /* All: Compassion needs both in one document: D1 Alice only, D2 Bob
   * only → 0. */
  g_assert_cmpuint (((TsrReportTheme *) all_themes->pdata[1])->n, ==, 0);
  /* Alice: Hope D6, Compassion D1. */
  g_assert_cmpuint (((TsrReportTheme *) alice_themes->pdata[0])->n, ==, 1);
  g_assert_cmpuint (((TsrReportTheme *) alice_themes->pdata[1])->n, ==, 1);

  g_assert_cmpint (tsr_report_get_coder_mode (alice), ==, TSR_CODERS_ONE);
  g_assert_cmpstr (tsr_report_get_coder_name (alice), ==, "Alice");
  g_assert_null (tsr_report_get_coder_name (any));
  g_assert_cmpstr (any_text, ==, "the coding of either coder");
  g_assert_cmpstr (all_text, ==, "the coding of both coders (a document counts when both coded the theme in it)");
  g_assert_cmpstr (alice_text, ==, "the coding of Alice");
  g_assert_cmpstr (consensus_text, ==, "the consensus coding");
}

static void
test_scope_quotes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(GPtrArray) themes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autofree char *label = NULL;
  const TsrReportTheme *hope;

  tsr_scope_set_documents (scope, f->doc, 3);
  report = tsr_project_build_report (f->project, scope, NULL, &error);
  g_assert_no_error (error);
  themes = tsr_report_list_themes (report, TSR_REPORT_ORDER_TREE);
  hope = themes->pdata[0];

  /* D6 is out of scope: its quote goes; numbers stay the project's. */
  g_assert_cmpuint (tsr_report_get_n_documents (report), ==, 3);
  g_assert_cmpuint (hope->n_quotes, ==, 1);
  g_assert_cmpuint (hope->quotes[0].document_number, ==, 3);

  label = tsr_report_quote_label (&hope->quotes[0], options);
  g_assert_cmpstr (label, ==, "E3");
  g_clear_pointer (&label, g_free);
  g_free (options->label_prefix);
  options->label_prefix = g_strdup ("P");
  label = tsr_report_quote_label (&hope->quotes[0], options);
  g_assert_cmpstr (label, ==, "P3");
  g_clear_pointer (&label, g_free);
  options->labels = TSR_LABELS_NAMES;
  label = tsr_report_quote_label (&hope->quotes[0], options);
  g_assert_cmpstr (label, ==, "Interview 3");
}

static void
test_codes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(GPtrArray) tree = tsr_report_list_codes (report, TSR_REPORT_ORDER_TREE);
  g_autoptr(GPtrArray) by_n = tsr_report_list_codes (report, TSR_REPORT_ORDER_N);
  g_autoptr(GString) names = g_string_new (NULL);
  const TsrReportCode *care = tree->pdata[0];
  const TsrReportCode *touch = tree->pdata[1];

  for (guint i = 0; i < tree->len; i++)
    g_string_append_printf (names, "%s%s", i ? "|" : "", ((TsrReportCode *) tree->pdata[i])->path);
  g_assert_cmpstr (names->str, ==, "Care|Care/Touch|Care/Words|Hope|Other|Setback");

  /* Consensus: Care {D1, D2, D4} with its children, Touch {D1, D4},
   * Words {D2}, Hope {D1, D3}, Other {D5}, Setback {D5}. */
  g_assert_cmpuint (care->n, ==, 3);
  g_assert_cmpuint (care->segments, ==, 4);
  g_assert_cmpstr (care->definition, ==, "Acts of care");
  g_assert_cmpuint (touch->n, ==, 2);
  g_assert_cmpuint (touch->depth, ==, 1);
  g_assert_cmpstr (touch->name, ==, "Touch");

  /* By n: Care (3), then Hope (2), Other (1), Setback (1) in tree order;
   * under Care, Touch (2) before Words (1). */
  g_string_truncate (names, 0);
  for (guint i = 0; i < by_n->len; i++)
    g_string_append_printf (names, "%s%s", i ? "|" : "", ((TsrReportCode *) by_n->pdata[i])->path);
  g_assert_cmpstr (names->str, ==, "Care|Care/Touch|Care/Words|Hope|Other|Setback");
}

/* The document the writers get ------------------------------------------ */

static char *
cell (TsrExportTable *table,
      guint           row,
      guint           column)
{
  return tsr_export_table_get_cell_text (table, row, column);
}

#define assert_cell(table, row, column, expected) G_STMT_START {  \
    g_autofree char *_text = cell (table, row, column);            \
    g_assert_cmpstr (_text, ==, expected);                         \
  } G_STMT_END

static TsrExportTable *
only_table (TsrExportDocument *doc)
{
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    if (tsr_export_document_get_table (doc, b) != NULL)
      return tsr_export_document_get_table (doc, b);
  g_assert_not_reached ();
}

static void
test_theme_table (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autofree char *note = NULL;
  TsrExportTable *table;

  options->codes = TRUE;
  options->noun = g_strdup ("interviews");
  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  g_assert_cmpuint (tsr_export_document_get_n_blocks (doc), ==, 1);
  table = only_table (doc);

  g_assert_cmpstr (tsr_export_table_get_caption (table), ==, "Themes identified in the interviews (N = 8)");
  g_assert_cmpuint (tsr_export_table_get_number (table), ==, 1);
  g_assert_cmpuint (tsr_export_table_get_n_columns (table), ==, 5);
  g_assert_cmpstr (tsr_export_table_get_header (table, 0), ==, "Theme");
  g_assert_cmpstr (tsr_export_table_get_header (table, 1), ==, "Codes");
  g_assert_cmpstr (tsr_export_table_get_header (table, 2), ==, "n (%)");
  g_assert_cmpstr (tsr_export_table_get_header (table, 3), ==, "Definition");
  g_assert_cmpstr (tsr_export_table_get_header (table, 4), ==, "Exemplar quotes");
  g_assert_cmpint (tsr_export_table_get_align (table, 2), ==, TSR_ALIGN_END);

  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, 4);
  assert_cell (table, 0, 0, "Hope");
  assert_cell (table, 0, 1, "Hope");
  assert_cell (table, 0, 2, "2 (25.0%)");
  assert_cell (table, 0, 3, "Looking forward to home");
  assert_cell (table, 0, 4, "“Passage 3” (E3)\n“Passage 6” (E6)");
  g_assert_cmpuint (tsr_export_table_get_n_cell_paragraphs (table, 0, 4), ==, 2);
  g_assert_cmpuint (tsr_export_table_get_row_indent (table, 0), ==, 0);
  g_assert_cmpint (tsr_export_table_get_row_style (table, 0), ==, TSR_TEXT_BOLD);
  assert_cell (table, 1, 0, "Compassion");
  assert_cell (table, 1, 2, "3 (37.5%)");
  assert_cell (table, 1, 3, "");
  assert_cell (table, 2, 0, "Touch only");
  assert_cell (table, 2, 2, "2 (25.0%)");
  assert_cell (table, 2, 4, "“Passage 1” (E1)");
  g_assert_cmpuint (tsr_export_table_get_row_indent (table, 2), ==, 1);
  g_assert_cmpint (tsr_export_table_get_row_style (table, 2), ==, TSR_TEXT_PLAIN);
  assert_cell (table, 3, 0, "Kind words");
  assert_cell (table, 3, 2, "1 (12.5%)");

  g_assert_cmpuint (tsr_export_table_get_n_notes (table), ==, 1);
  note = tsr_export_paragraph_get_text (tsr_export_table_get_note (table, 0));
  g_assert_cmpstr (note, ==,
                   "Note. n = number of interviews in which the theme occurs (a segment of any of its "
                   "codes, or of its sub-themes’ codes), by the consensus coding. Percentages are of N "
                   "and rounded half away from zero. Sub-themes are indented under their theme. Quotes "
                   "are the passages starred as exemplars; E1, … number the interviews in the "
                   "project’s order.");

  /* Fewer columns, another format, another order. */
  g_clear_pointer (&doc, tsr_export_document_unref);
  options->codes = FALSE;
  options->quotes = FALSE;
  options->definitions = FALSE;
  options->prevalence = TSR_PREVALENCE_FRACTION;
  options->order = TSR_REPORT_ORDER_N;
  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  table = only_table (doc);
  g_assert_cmpuint (tsr_export_table_get_n_columns (table), ==, 2);
  g_assert_cmpstr (tsr_export_table_get_header (table, 1), ==, "n/N (%)");
  assert_cell (table, 0, 0, "Compassion");
  assert_cell (table, 0, 1, "3/8 (38%)");
  assert_cell (table, 3, 0, "Hope");
  assert_cell (table, 3, 1, "2/8 (25%)");

  g_clear_pointer (&doc, tsr_export_document_unref);
  options->prevalence = TSR_PREVALENCE_N;
  options->quotes = TRUE;
  options->labels = TSR_LABELS_NAMES;
  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  table = only_table (doc);
  g_assert_cmpstr (tsr_export_table_get_header (table, 1), ==, "Prevalence");
  assert_cell (table, 0, 1, "n = 3");
  assert_cell (table, 0, 2, "“Passage 1” (Interview 1)\n“Passage 2” (Interview 2)");
}

static void
test_empty_scope (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  TsrExportTable *table;

  tsr_scope_set_documents (scope, (gint64[]) { 0 }, 0);
  report = tsr_project_build_report (f->project, scope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_report_get_n_documents (report), ==, 0);

  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  table = only_table (doc);
  g_assert_cmpstr (tsr_export_table_get_caption (table), ==, "Themes identified in the documents (N = 0)");
  assert_cell (table, 0, 1, "0 (–)");
  assert_cell (table, 0, 3, "");
  note = tsr_export_paragraph_get_text (tsr_export_table_get_note (table, 0));
  g_assert_true (g_str_has_prefix (note, "Note. No documents are in scope, so n is 0 and percentages are "
                                         "undefined (–)."));
}

static void
test_codebook (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = tsr_report_to_document (report, TSR_REPORT_CODEBOOK, options);
  TsrExportTable *table = only_table (doc);

  g_assert_cmpstr (tsr_export_table_get_caption (table), ==,
                   "Codes, their definitions and prevalence in the documents (N = 8)");
  g_assert_cmpuint (tsr_export_table_get_n_columns (table), ==, 3);
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, 6);
  assert_cell (table, 0, 0, "Care");
  assert_cell (table, 0, 1, "Acts of care");
  assert_cell (table, 0, 2, "3 (37.5%)");
  assert_cell (table, 1, 0, "Touch");
  assert_cell (table, 1, 1, "A hand on the shoulder");
  assert_cell (table, 1, 2, "2 (25.0%)");
  g_assert_cmpuint (tsr_export_table_get_row_indent (table, 1), ==, 1);
  assert_cell (table, 2, 0, "Words");
  assert_cell (table, 2, 2, "1 (12.5%)");
  assert_cell (table, 3, 0, "Hope");
  assert_cell (table, 3, 2, "2 (25.0%)");
  assert_cell (table, 5, 0, "Setback");
  assert_cell (table, 5, 2, "1 (12.5%)");
}

static void
test_writeup (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(GString) outline = g_string_new (NULL);
  static const char *style_letters = "T123BNQ";

  options->codes = TRUE;
  doc = tsr_report_to_document (report, TSR_REPORT_WRITEUP, options);

  /* The outline: a letter per block (T title, 1-3 headings, B body,
   * N note, Q quote, # table) and each paragraph's text. */
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);
      g_autofree char *text = paragraph ? tsr_export_paragraph_get_text (paragraph) : NULL;

      if (paragraph == NULL)
        g_string_append (outline, "# table\n");
      else
        g_string_append_printf (outline, "%c %s\n", style_letters[tsr_export_paragraph_get_style (paragraph)],
                                text);
    }

  g_assert_cmpstr (outline->str, ==,
                   "T Care study\n"
                   "B This report describes the themes identified in the documents (N = 8), counted "
                   "by the consensus coding. Table 1 gives each theme’s prevalence.\n"
                   "# table\n"
                   "1 Hope\n"
                   "B Prevalence. 2 (25.0%)\n"
                   "B Definition. Looking forward to home\n"
                   "B Scope. Not wishful thinking\n"
                   "B First paragraph.\nStill the first.\n"
                   "B Second paragraph.\n"
                   "B Codes. Hope\n"
                   "Q “Passage 3” (E3)\n"
                   "Q “Passage 6” (E6)\n"
                   "1 Compassion\n"
                   "B Prevalence. 3 (37.5%)\n"
                   "B Codes. Care\n"
                   "B Sub-themes. Touch only; Kind words\n"
                   "Q “Passage 1” (E1)\n"
                   "Q “Passage 2” (E2)\n"
                   "2 Touch only\n"
                   "B Prevalence. 2 (25.0%)\n"
                   "B Codes. Touch\n"
                   "Q “Passage 1” (E1)\n"
                   "2 Kind words\n"
                   "B Prevalence. 1 (12.5%)\n"
                   "B Codes. Words\n"
                   "Q “Passage 2” (E2)\n");

  /* The labels of labelled paragraphs are bold. */
  {
    TsrExportParagraph *prevalence = tsr_export_document_get_paragraph (doc, 4);
    TsrTextStyle style;

    g_assert_cmpstr (tsr_export_paragraph_get_run (prevalence, 0, &style), ==, "Prevalence.");
    g_assert_cmpint (style, ==, TSR_TEXT_BOLD);
    g_assert_cmpstr (tsr_export_paragraph_get_run (prevalence, 1, &style), ==, " 2 (25.0%)");
    g_assert_cmpint (style, ==, TSR_TEXT_PLAIN);
  }
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_ONE, f->alice);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *hope, *compassion, *touch, *quote;
  JsonArray *themes;

  options->order = TSR_REPORT_ORDER_NAME;
  g_assert_true (tsr_report_write_json (report, TSR_REPORT_THEMES, options, stream, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  json_parser_load_from_data (parser, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "report"), ==, "themes");
  g_assert_cmpstr (json_object_get_string_member (root, "caption"), ==,
                   "Table 1. Themes identified in the documents (N = 8)");
  g_assert_cmpint (json_object_get_int_member (root, "documents"), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "coding"), "mode"), ==, "one");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "coding"), "coder"), ==, "Alice");
  g_assert_cmpstr (json_object_get_string_member (root, "order"), ==, "name");

  /* By name: Compassion (with Kind words, Touch only), then Hope.
   * Alice: Compassion {D1} 1 of 8 = 12.5 %; Hope {D6}. */
  themes = json_object_get_array_member (root, "themes");
  g_assert_cmpuint (json_array_get_length (themes), ==, 2);
  compassion = json_array_get_object_element (themes, 0);
  hope = json_array_get_object_element (themes, 1);
  g_assert_cmpstr (json_object_get_string_member (compassion, "name"), ==, "Compassion");
  g_assert_cmpint (json_object_get_int_member (compassion, "n"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (compassion, "percent"), ==, 12.5);
  g_assert_cmpstr (json_object_get_string_member (compassion, "prevalence"), ==, "1 (12.5%)");
  touch = json_array_get_object_element (json_object_get_array_member (compassion, "subthemes"), 1);
  g_assert_cmpstr (json_object_get_string_member (touch, "name"), ==, "Touch only");
  g_assert_cmpint (json_object_get_int_member (touch, "n"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (hope, "narrative"), ==,
                   "First paragraph.\nStill the first.\n\n  Second paragraph.  \n\n");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (hope, "codes"), 0), ==, "Hope");
  quote = json_array_get_object_element (json_object_get_array_member (hope, "quotes"), 1);
  g_assert_cmpstr (json_object_get_string_member (quote, "text"), ==, "Passage 6");
  g_assert_cmpstr (json_object_get_string_member (quote, "label"), ==, "E6");
  g_assert_cmpstr (json_object_get_string_member (quote, "document"), ==, "Interview 6");
  g_assert_cmpint (json_object_get_int_member (quote, "document_number"), ==, 6);

  /* Percentages are written with one decimal, not 17 digits. */
  g_assert_nonnull (strstr (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                            "\"percent\" : 12.5,"));
}

static void
test_save_unsupported (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TsrReport) report = report_for (f, TSR_CODERS_CONSENSUS, 0);
  g_autofree char *path = g_build_filename (f->dir, "writeup.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (tsr_report_save (report, TSR_REPORT_WRITEUP, NULL, TSR_EXPORT_CSV, 0, file, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The demo project -------------------------------------------------------- */

static const struct {
  const char *theme;
  guint       depth;
  const char *percent;     /* worked out by hand from n of 22 */
} demo_rows[] = {
  { "Conveying solidarity", 0, "21 (95.5%)" },
  { "Togetherness", 1, "13 (59.1%)" },
  { "Support networks", 1, "10 (45.5%)" },
  { "Compassion", 0, "19 (86.4%)" },
  { "Connecting emotionally", 1, "14 (63.6%)" },
  { "Little means much", 1, "10 (45.5%)" },
  { "Patient-centeredness", 0, "17 (77.3%)" },
  { "Personal connection", 1, "15 (68.2%)" },
  { "Opportunity to acknowledge patients", 1, "13 (59.1%)" },
  { "Felt acknowledged", 1, "5 (22.7%)" },
  { "Motivating or inspiring", 0, "15 (68.2%)" },
  { "Renewed sense of purpose", 1, "11 (50.0%)" },
  { "Resilience", 1, "10 (45.5%)" },
};

static void
test_demo (void)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = NULL;
  TsrExportTable *table;
  gsize len;
  guint n_quotes = 0;

  g_assert_nonnull (demo);
  dir = g_dir_make_tmp ("tsr-report-demo-XXXXXX", &error);
  path = g_build_filename (dir, "demo.tessera", NULL);
  g_file_get_contents (demo, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  project = tsr_project_open (path, &error);
  g_assert_no_error (error);

  report = tsr_project_build_report (project, scope, NULL, &error);
  g_assert_no_error (error);
  options->noun = g_strdup ("essays");
  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  table = only_table (doc);

  g_assert_cmpstr (tsr_export_table_get_caption (table), ==, "Themes identified in the essays (N = 22)");
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, G_N_ELEMENTS (demo_rows));
  for (guint r = 0; r < G_N_ELEMENTS (demo_rows); r++)
    {
      assert_cell (table, r, 0, demo_rows[r].theme);
      assert_cell (table, r, 1, demo_rows[r].percent);
      g_assert_cmpuint (tsr_export_table_get_row_indent (table, r), ==, demo_rows[r].depth);
      n_quotes += tsr_export_table_get_n_cell_paragraphs (table, r, 3);
    }
  /* Thirteen starred passages, each of one theme's codes. */
  g_assert_cmpuint (n_quotes, ==, 13);

  g_assert_true (tsr_project_close (project, NULL));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/report/percent-rounding", test_percent_rounding);
  g_test_add_func ("/tessera/report/prevalence-formats", test_prevalence_formats);
  g_test_add_func ("/tessera/report/names", test_names);
  g_test_add ("/tessera/report/themes", Fixture, NULL, fixture_set_up, test_themes, fixture_tear_down);
  g_test_add ("/tessera/report/coder-modes", Fixture, NULL, fixture_set_up, test_coder_modes, fixture_tear_down);
  g_test_add ("/tessera/report/scope-quotes", Fixture, NULL, fixture_set_up, test_scope_quotes, fixture_tear_down);
  g_test_add ("/tessera/report/codes", Fixture, NULL, fixture_set_up, test_codes, fixture_tear_down);
  g_test_add ("/tessera/report/theme-table", Fixture, NULL, fixture_set_up, test_theme_table, fixture_tear_down);
  g_test_add ("/tessera/report/empty-scope", Fixture, NULL, fixture_set_up, test_empty_scope, fixture_tear_down);
  g_test_add ("/tessera/report/codebook", Fixture, NULL, fixture_set_up, test_codebook, fixture_tear_down);
  g_test_add ("/tessera/report/writeup", Fixture, NULL, fixture_set_up, test_writeup, fixture_tear_down);
  g_test_add ("/tessera/report/json", Fixture, NULL, fixture_set_up, test_json, fixture_tear_down);
  g_test_add ("/tessera/report/save-unsupported", Fixture, NULL, fixture_set_up, test_save_unsupported,
              fixture_tear_down);
  g_test_add_func ("/tessera/report/demo", test_demo);

  return g_test_run ();
}
