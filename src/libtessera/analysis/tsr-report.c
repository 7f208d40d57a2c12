/* tsr-report.c — report-ready theme tables, codebooks and write-ups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-export-private.h"
#include "tsr-project-private.h"
#include "tsr-report.h"

/* Names -------------------------------------------------------------- */

const char *
tsr_report_kind_to_string (TsrReportKind kind)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_REPORT_KIND, kind);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_report_kind_from_string:
 * @str: "themes", "codebook" or "writeup"
 */
gboolean
tsr_report_kind_from_string (const char    *str,
                             TsrReportKind *kind)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_REPORT_KIND, str, &value))
    return FALSE;
  *kind = value;
  return TRUE;
}

const char *
tsr_report_order_to_string (TsrReportOrder order)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_REPORT_ORDER, order);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_report_order_from_string:
 * @str: "tree", "n" or "name"
 */
gboolean
tsr_report_order_from_string (const char     *str,
                              TsrReportOrder *order)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_REPORT_ORDER, str, &value))
    return FALSE;
  *order = value;
  return TRUE;
}

const char *
tsr_prevalence_format_to_string (TsrPrevalenceFormat format)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_PREVALENCE_FORMAT, format);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_prevalence_format_from_string:
 * @str: "n", "fraction" or "percent"
 */
gboolean
tsr_prevalence_format_from_string (const char          *str,
                                   TsrPrevalenceFormat *format)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_PREVALENCE_FORMAT, str, &value))
    return FALSE;
  *format = value;
  return TRUE;
}

const char *
tsr_document_labels_to_string (TsrDocumentLabels labels)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_DOCUMENT_LABELS, labels);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

/**
 * tsr_document_labels_from_string:
 * @str: "names" or "numbers"
 */
gboolean
tsr_document_labels_from_string (const char        *str,
                                 TsrDocumentLabels *labels)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_DOCUMENT_LABELS, str, &value))
    return FALSE;
  *labels = value;
  return TRUE;
}

/* Percentages --------------------------------------------------------- */

/**
 * tsr_report_format_percent:
 * @n: the count
 * @total: what it is a share of
 * @decimals: 0 or 1
 *
 * Writes @n / @total as a percentage with @decimals decimals, rounded
 * half away from zero from the exact fraction: 1 of 8 is "13" with no
 * decimal and "12.5" with one, 1 of 16 is "6.3".  The arithmetic is on
 * integers, so a binary fraction never tips a half the wrong way, and
 * the two precisions never disagree through double rounding.  The
 * decimal separator is always a point.
 *
 * Returns: (transfer full) (nullable): the number without "%", or %NULL
 *   when @total is 0 (a share of nothing is undefined)
 */
char *
tsr_report_format_percent (guint n,
                           guint total,
                           guint decimals)
{
  guint64 scale = decimals == 0 ? 100 : 1000;
  guint64 scaled;

  g_return_val_if_fail (decimals <= 1, NULL);

  if (total == 0)
    return NULL;

  /* round (n × scale / total) = floor ((2 n scale + total) / (2 total)) */
  scaled = (2 * (guint64) n * scale + total) / (2 * (guint64) total);
  if (decimals == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, scaled);
  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT, scaled / 10, scaled % 10);
}

/**
 * tsr_report_format_prevalence:
 *
 * Writes a prevalence: "n = 19", "19/22 (86%)" or "19 (86.4%)"; with no
 * document in scope the percentage is "–".
 *
 * Returns: (transfer full): the text
 */
char *
tsr_report_format_prevalence (TsrPrevalenceFormat format,
                              guint               n,
                              guint               total)
{
  g_autofree char *percent = NULL;

  switch (format)
    {
    case TSR_PREVALENCE_N:
      return g_strdup_printf ("n = %u", n);

    case TSR_PREVALENCE_FRACTION:
      percent = tsr_report_format_percent (n, total, 0);
      return g_strdup_printf ("%u/%u (%s%s)", n, total, percent ? percent : "–", percent ? "%" : "");

    case TSR_PREVALENCE_PERCENT:
    default:
      percent = tsr_report_format_percent (n, total, 1);
      return g_strdup_printf ("%u (%s%s)", n, percent ? percent : "–", percent ? "%" : "");
    }
}

/* Options ------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (TsrReportOptions, tsr_report_options,
                     tsr_report_options_copy, tsr_report_options_free)

/**
 * tsr_report_options_new:
 *
 * Returns: (transfer full): the defaults: tree order, "19 (86.4%)",
 *   definitions and quotes but no codes, numbered labels "E1", …
 */
TsrReportOptions *
tsr_report_options_new (void)
{
  TsrReportOptions *options = g_new0 (TsrReportOptions, 1);

  options->order = TSR_REPORT_ORDER_TREE;
  options->prevalence = TSR_PREVALENCE_PERCENT;
  options->codes = FALSE;
  options->definitions = TRUE;
  options->quotes = TRUE;
  options->labels = TSR_LABELS_NUMBERS;
  options->label_prefix = g_strdup ("E");
  return options;
}

TsrReportOptions *
tsr_report_options_copy (const TsrReportOptions *options)
{
  TsrReportOptions *copy = g_new0 (TsrReportOptions, 1);

  *copy = *options;
  copy->label_prefix = g_strdup (options->label_prefix);
  copy->noun = g_strdup (options->noun);
  copy->title = g_strdup (options->title);
  return copy;
}

void
tsr_report_options_free (TsrReportOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->label_prefix);
  g_free (options->noun);
  g_free (options->title);
  g_free (options);
}

static const char *
options_noun (const TsrReportOptions *options)
{
  if (options->noun != NULL && *options->noun != '\0')
    return options->noun;
  return _("documents");
}

/* The report ---------------------------------------------------------- */

typedef struct _ThemeNode ThemeNode;

struct _ThemeNode
{
  TsrReportTheme  pub;
  guint           tree_index;
  ThemeNode      *parent;
  GPtrArray      *children;       /* ThemeNode */
  GPtrArray      *code_names;     /* const char *, NULL-terminated */
  GArray         *quotes;         /* TsrReportQuote */
  GHashTable     *quoted;         /* "doc:start:end" of its quotes */
};

typedef struct _CodeNode CodeNode;

struct _CodeNode
{
  TsrReportCode  pub;
  guint          tree_index;
  GPtrArray     *children;        /* CodeNode */
};

struct _TsrReport
{
  gatomicrefcount  ref_count;
  GStringChunk    *strings;
  const char      *project_title;
  guint            n_documents;
  TsrCoderMode     mode;
  const char      *coder_name;
  guint            n_human_coders;
  GPtrArray       *themes;        /* ThemeNode, parents first, siblings in order */
  GPtrArray       *theme_roots;
  GPtrArray       *codes;         /* CodeNode, likewise */
  GPtrArray       *code_roots;
};

G_DEFINE_BOXED_TYPE (TsrReport, tsr_report, tsr_report_ref, tsr_report_unref)

static void
theme_node_free (gpointer data)
{
  ThemeNode *node = data;

  g_ptr_array_unref (node->children);
  g_ptr_array_unref (node->code_names);
  g_array_unref (node->quotes);
  g_hash_table_unref (node->quoted);
  g_free (node);
}

static void
code_node_free (gpointer data)
{
  CodeNode *node = data;

  g_ptr_array_unref (node->children);
  g_free (node);
}

TsrReport *
tsr_report_ref (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
tsr_report_unref (TsrReport *report)
{
  g_return_if_fail (report != NULL);
  if (!g_atomic_ref_count_dec (&report->ref_count))
    return;
  g_ptr_array_unref (report->theme_roots);
  g_ptr_array_unref (report->themes);
  g_ptr_array_unref (report->code_roots);
  g_ptr_array_unref (report->codes);
  g_string_chunk_free (report->strings);
  g_free (report);
}

static const char *
keep (TsrReport  *report,
      const char *text)
{
  return g_string_chunk_insert_const (report->strings, text ? text : "");
}

static gboolean
load_codes (TsrReport   *report,
            TsrProject  *project,
            TsrCounts   *counts,
            GHashTable  *code_nodes)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);

  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *code = codes->pdata[i];
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
      CodeNode *node = g_new0 (CodeNode, 1);
      CodeNode *parent = g_hash_table_lookup (code_nodes, &(gint64) { tsr_code_get_parent_id (code) });

      node->pub.id = id;
      node->pub.parent_id = tsr_code_get_parent_id (code);
      node->pub.depth = parent ? parent->pub.depth + 1 : 0;
      node->pub.name = keep (report, tsr_code_get_name (code));
      if (parent != NULL)
        {
          g_autofree char *path = g_strconcat (parent->pub.path, "/", tsr_code_get_name (code), NULL);

          node->pub.path = keep (report, path);
        }
      else
        node->pub.path = node->pub.name;
      node->pub.definition = keep (report, tsr_code_get_definition (code));
      node->pub.n = tsr_counts_get_code_n (counts, id);
      node->pub.segments = tsr_counts_get_code_segments (counts, id);
      node->tree_index = i;
      node->children = g_ptr_array_new ();

      g_ptr_array_add (report->codes, node);
      g_ptr_array_add (parent ? parent->children : report->code_roots, node);
      g_hash_table_insert (code_nodes, &node->pub.id, node);
    }
  return TRUE;
}

/* Adds @code and every code below it to @covered. */
static void
cover_code (GHashTable *covered,
            CodeNode   *code)
{
  g_hash_table_add (covered, &code->pub.id);
  for (guint i = 0; i < code->children->len; i++)
    cover_code (covered, code->children->pdata[i]);
}

static void
load_themes (TsrReport   *report,
             TsrProject  *project,
             TsrCounts   *counts,
             GHashTable  *code_nodes,
             GHashTable  *themes_by_code)
{
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  g_autoptr(GHashTable) theme_nodes = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < themes->len; i++)
    {
      TsrTheme *theme = themes->pdata[i];
      gint64 parent_id = tsr_theme_get_parent_id (theme);
      ThemeNode *parent = g_hash_table_lookup (theme_nodes, &parent_id);
      g_autoptr(GArray) code_ids = NULL;
      g_autoptr(GHashTable) covered = NULL;
      GHashTableIter iter;
      gpointer key;
      ThemeNode *node;

      /* A discarded theme is kept for the audit trail, not reported, and
       * neither are its sub-themes. */
      if (tsr_theme_get_status (theme) == TSR_THEME_DISCARDED ||
          (parent_id != 0 && parent == NULL))
        continue;

      node = g_new0 (ThemeNode, 1);
      node->pub.id = tsr_entity_get_id (TSR_ENTITY (theme));
      node->pub.parent_id = parent_id;
      node->pub.depth = parent ? parent->pub.depth + 1 : 0;
      node->pub.name = keep (report, tsr_theme_get_name (theme));
      node->pub.status = tsr_theme_get_status (theme);
      node->pub.definition = keep (report, tsr_theme_get_field (theme, TSR_THEME_FIELD_DEFINITION));
      node->pub.scope_notes = keep (report, tsr_theme_get_field (theme, TSR_THEME_FIELD_SCOPE_NOTES));
      node->pub.narrative = keep (report, tsr_theme_get_field (theme, TSR_THEME_FIELD_NARRATIVE));
      node->pub.n = tsr_counts_get_theme_n (counts, node->pub.id);
      node->tree_index = i;
      node->parent = parent;
      node->children = g_ptr_array_new ();
      node->code_names = g_ptr_array_new ();
      node->quotes = g_array_new (FALSE, FALSE, sizeof (TsrReportQuote));
      node->quoted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      g_ptr_array_add (report->themes, node);
      g_ptr_array_add (parent ? parent->children : report->theme_roots, node);
      g_hash_table_insert (theme_nodes, &node->pub.id, node);

      /* Its own codes, and every code they cover, for its quotes. */
      code_ids = tsr_project_get_theme_codes (project, node->pub.id);
      covered = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint c = 0; c < code_ids->len; c++)
        {
          CodeNode *code = g_hash_table_lookup (code_nodes, &g_array_index (code_ids, gint64, c));

          if (code == NULL)
            continue;
          g_ptr_array_add (node->code_names, (gpointer) code->pub.name);
          cover_code (covered, code);
        }
      g_ptr_array_add (node->code_names, NULL);
      node->pub.n_codes = node->code_names->len - 1;
      node->pub.codes = (const char * const *) node->code_names->pdata;

      g_hash_table_iter_init (&iter, covered);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GPtrArray *list = g_hash_table_lookup (themes_by_code, key);

          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (themes_by_code, key, list);
            }
          g_ptr_array_add (list, node);
        }
    }
}

typedef struct
{
  guint       number;
  const char *name;
} DocumentInfo;

static gboolean
load_quotes (TsrReport   *report,
             TsrProject  *project,
             TsrCounts   *counts,
             GHashTable  *themes_by_code,
             GError     **error)
{
  TsrDatabase *db = _tsr_project_get_database (project);
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) in_scope = g_hash_table_new (g_int64_hash, g_int64_equal);
  const gint64 *scope_ids;
  guint n_scope;
  sqlite3_stmt *stmt;
  gboolean has_row;
  guint number = 0;
  GError *local_error = NULL;

  scope_ids = tsr_counts_get_documents (counts, &n_scope);
  for (guint i = 0; i < n_scope; i++)
    g_hash_table_add (in_scope, (gpointer) &scope_ids[i]);

  /* Every document's place in the project, for numbered labels that do
   * not change when the scope narrows. */
  if (!(stmt = tsr_database_prepare (db, "SELECT id, name FROM documents ORDER BY position, id", error)))
    return FALSE;
  while (tsr_database_step_row (db, stmt, &has_row, &local_error) && has_row)
    {
      DocumentInfo *info = g_new0 (DocumentInfo, 1);

      info->number = ++number;
      info->name = keep (report, (const char *) sqlite3_column_text (stmt, 1));
      g_hash_table_insert (documents, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                           info);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (!(stmt = tsr_database_prepare (db,
                                     "SELECT s.id, s.document_id, s.code_id, s.start, s.end, s.text"
                                     " FROM segments s JOIN documents d ON d.id = s.document_id"
                                     " WHERE s.exemplar = 1"
                                     " ORDER BY d.position, d.id, s.start, s.end, s.id", error)))
    return FALSE;
  while (tsr_database_step_row (db, stmt, &has_row, &local_error) && has_row)
    {
      gint64 document_id = sqlite3_column_int64 (stmt, 1);
      gint64 code_id = sqlite3_column_int64 (stmt, 2);
      GPtrArray *themes = g_hash_table_lookup (themes_by_code, &code_id);
      DocumentInfo *info;
      g_autofree char *trimmed = NULL;
      g_autofree char *key = NULL;
      TsrReportQuote quote;

      if (themes == NULL || !g_hash_table_contains (in_scope, &document_id) ||
          !(info = g_hash_table_lookup (documents, &document_id)))
        continue;

      trimmed = g_strstrip (g_strdup ((const char *) sqlite3_column_text (stmt, 5)));
      quote.segment_id = sqlite3_column_int64 (stmt, 0);
      quote.document_id = document_id;
      quote.document_number = info->number;
      quote.document_name = info->name;
      quote.text = keep (report, trimmed);
      key = g_strdup_printf ("%" G_GINT64_FORMAT ":%d:%d", document_id,
                             sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4));

      for (guint t = 0; t < themes->len; t++)
        {
          ThemeNode *theme = themes->pdata[t];

          /* The same passage starred by two coders, or under two of the
           * theme's codes, is one quote. */
          if (!g_hash_table_add (theme->quoted, g_strdup (key)))
            continue;
          g_array_append_val (theme->quotes, quote);
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint t = 0; t < report->themes->len; t++)
    {
      ThemeNode *theme = report->themes->pdata[t];

      theme->pub.n_quotes = theme->quotes->len;
      theme->pub.quotes = (const TsrReportQuote *) theme->quotes->data;
    }
  return TRUE;
}

static guint
count_human_coders (TsrProject *project)
{
  TsrDatabase *db = _tsr_project_get_database (project);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  guint n = 0;

  /* The coders the counts take for "any" and "all": those who coded. */
  stmt = tsr_database_prepare (db, "SELECT count(*) FROM coders c WHERE c.is_consensus = 0"
                                   " AND EXISTS (SELECT 1 FROM segments s WHERE s.coder_id = c.id)", NULL);
  if (stmt != NULL && tsr_database_step_row (db, stmt, &has_row, NULL) && has_row)
    {
      n = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  return n;
}

/**
 * tsr_report_new:
 * @scope: whose coding and which documents @counts cover
 * @counts: the counts for @scope
 *
 * Gathers what reports say about the project now.  Exemplar quotes come
 * from the documents in scope, whoever starred them: the counts say whose
 * coding is counted, the quotes illustrate.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
TsrReport *
tsr_report_new (TsrProject      *project,
                const TsrScope  *scope,
                TsrCounts       *counts,
                GError         **error)
{
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(GHashTable) code_nodes = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) themes_by_code = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                                (GDestroyNotify) g_ptr_array_unref);

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (counts != NULL, NULL);

  if (_tsr_project_get_database (project) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  /* What failed before is not this report's business; what fails while
   * it reads is (below). */
  tsr_project_check_reads (project, NULL);

  report = g_new0 (TsrReport, 1);
  g_atomic_ref_count_init (&report->ref_count);
  report->strings = g_string_chunk_new (4096);
  report->themes = g_ptr_array_new_with_free_func (theme_node_free);
  report->theme_roots = g_ptr_array_new ();
  report->codes = g_ptr_array_new_with_free_func (code_node_free);
  report->code_roots = g_ptr_array_new ();

  report->project_title = keep (report, tsr_project_get_title (project));
  report->n_documents = tsr_counts_get_n_documents (counts);
  report->mode = tsr_scope_get_mode (scope);
  report->n_human_coders = count_human_coders (project);
  if (report->mode == TSR_CODERS_ONE)
    {
      g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (project, tsr_scope_get_coder_id (scope));

      if (coder == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The coder whose coding the report counts is not in the project"));
          return NULL;
        }
      report->coder_name = keep (report, tsr_coder_get_name (coder));
    }

  load_codes (report, project, counts, code_nodes);
  load_themes (report, project, counts, code_nodes, themes_by_code);
  if (!load_quotes (report, project, counts, themes_by_code, error))
    return NULL;

  /* A list that was not read whole (a damaged page) would make a report
   * with codes or themes missing that looks complete. */
  if (!tsr_project_check_reads (project, error))
    return NULL;

  return g_steal_pointer (&report);
}

/**
 * tsr_project_build_report:
 *
 * Counts @scope and gathers the report.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
TsrReport *
tsr_project_build_report (TsrProject      *project,
                          const TsrScope  *scope,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(TsrCounts) counts = tsr_project_compute_counts (project, scope, cancellable, error);

  if (counts == NULL)
    return NULL;
  return tsr_report_new (project, scope, counts, error);
}

const char *
tsr_report_get_project_title (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return report->project_title;
}

/** tsr_report_get_n_documents: Returns: N, the documents in scope */
guint
tsr_report_get_n_documents (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->n_documents;
}

TsrCoderMode
tsr_report_get_coder_mode (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, TSR_CODERS_ANY);
  return report->mode;
}

/**
 * tsr_report_get_coder_name:
 *
 * Returns: (nullable): the coder whose coding is counted, for
 *   %TSR_CODERS_ONE
 */
const char *
tsr_report_get_coder_name (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);
  return report->coder_name;
}

/**
 * tsr_report_describe_coding:
 *
 * Returns: (transfer full): whose coding is counted, to follow "by":
 *   "the consensus coding", "the coding of either coder"…
 */
char *
tsr_report_describe_coding (TsrReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  switch (report->mode)
    {
    case TSR_CODERS_ONE:
      return g_strdup_printf (_("the coding of %s"), report->coder_name);

    case TSR_CODERS_CONSENSUS:
      return g_strdup (_("the consensus coding"));

    case TSR_CODERS_ALL:
      if (report->n_human_coders == 2)
        return g_strdup (_("the coding of both coders (a document counts when both coded the theme in it)"));
      if (report->n_human_coders <= 1)
        return g_strdup (_("the coding of the one coder"));
      return g_strdup_printf (_("the coding of all %u coders (a document counts when every coder "
                                "coded the theme in it)"), report->n_human_coders);

    case TSR_CODERS_ANY:
    default:
      if (report->n_human_coders == 2)
        return g_strdup (_("the coding of either coder"));
      if (report->n_human_coders <= 1)
        return g_strdup (_("the coding of the one coder"));
      return g_strdup_printf (_("the coding of any of the %u coders"), report->n_human_coders);
    }
}

/* Orders ------------------------------------------------------------- */

static int
compare_themes (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const ThemeNode *x = *(ThemeNode **) a;
  const ThemeNode *y = *(ThemeNode **) b;
  TsrReportOrder order = GPOINTER_TO_UINT (user_data);

  if (order == TSR_REPORT_ORDER_N && x->pub.n != y->pub.n)
    return x->pub.n > y->pub.n ? -1 : 1;
  if (order == TSR_REPORT_ORDER_NAME)
    {
      g_autofree char *fx = g_utf8_casefold (x->pub.name, -1);
      g_autofree char *fy = g_utf8_casefold (y->pub.name, -1);
      int c = g_utf8_collate (fx, fy);

      if (c != 0)
        return c;
    }
  return x->tree_index < y->tree_index ? -1 : x->tree_index > y->tree_index;
}

static int
compare_codes (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const CodeNode *x = *(CodeNode **) a;
  const CodeNode *y = *(CodeNode **) b;
  TsrReportOrder order = GPOINTER_TO_UINT (user_data);

  if (order == TSR_REPORT_ORDER_N && x->pub.n != y->pub.n)
    return x->pub.n > y->pub.n ? -1 : 1;
  if (order == TSR_REPORT_ORDER_NAME)
    {
      g_autofree char *fx = g_utf8_casefold (x->pub.name, -1);
      g_autofree char *fy = g_utf8_casefold (y->pub.name, -1);
      int c = g_utf8_collate (fx, fy);

      if (c != 0)
        return c;
    }
  return x->tree_index < y->tree_index ? -1 : x->tree_index > y->tree_index;
}

static void
flatten (GPtrArray        *siblings,
         gboolean          themes,
         TsrReportOrder    order,
         GPtrArray        *out)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (siblings, NULL, NULL);

  g_ptr_array_sort_with_data (sorted, themes ? compare_themes : compare_codes, GUINT_TO_POINTER (order));
  for (guint i = 0; i < sorted->len; i++)
    {
      if (themes)
        {
          ThemeNode *node = sorted->pdata[i];

          g_ptr_array_add (out, &node->pub);
          flatten (node->children, TRUE, order, out);
        }
      else
        {
          CodeNode *node = sorted->pdata[i];

          g_ptr_array_add (out, &node->pub);
          flatten (node->children, FALSE, order, out);
        }
    }
}

/**
 * tsr_report_list_themes:
 *
 * Returns: (transfer container) (element-type TsrReportTheme): the themes,
 *   each followed by its sub-themes, siblings in @order
 */
GPtrArray *
tsr_report_list_themes (TsrReport      *report,
                        TsrReportOrder  order)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (report != NULL, out);
  flatten (report->theme_roots, TRUE, order, out);
  return out;
}

/**
 * tsr_report_list_codes:
 *
 * Returns: (transfer container) (element-type TsrReportCode): the codes,
 *   each followed by the codes below it, siblings in @order
 */
GPtrArray *
tsr_report_list_codes (TsrReport      *report,
                       TsrReportOrder  order)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (report != NULL, out);
  flatten (report->code_roots, FALSE, order, out);
  return out;
}

/**
 * tsr_report_quote_label:
 *
 * Returns: (transfer full): how a quote names its document: the
 *   document's name, or "E3" for the third document
 */
char *
tsr_report_quote_label (const TsrReportQuote   *quote,
                        const TsrReportOptions *options)
{
  if (options->labels == TSR_LABELS_NAMES)
    return g_strdup (quote->document_name);
  return g_strdup_printf ("%s%u", options->label_prefix ? options->label_prefix : "", quote->document_number);
}

/**
 * tsr_report_get_caption:
 *
 * Returns: (transfer full): the caption of the report's table, without
 *   its "Table 1." label: "Themes identified in the essays (N = 22)"
 */
char *
tsr_report_get_caption (TsrReport              *report,
                        TsrReportKind           kind,
                        const TsrReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);

  if (kind == TSR_REPORT_CODEBOOK)
    return g_strdup_printf (_("Codes, their definitions and prevalence in the %s (N = %u)"),
                            options_noun (options), report->n_documents);
  return g_strdup_printf (_("Themes identified in the %s (N = %u)"),
                          options_noun (options), report->n_documents);
}

/* The export document ------------------------------------------------- */

static char *
quote_text (const TsrReportQuote   *quote,
            const TsrReportOptions *options)
{
  g_autofree char *label = tsr_report_quote_label (quote, options);

  /* Translators: an exemplar quote and the document it comes from */
  return g_strdup_printf (_("“%s” (%s)"), quote->text, label);
}

static const char *
prevalence_header (TsrPrevalenceFormat format)
{
  switch (format)
    {
    case TSR_PREVALENCE_N: return _("Prevalence");
    case TSR_PREVALENCE_FRACTION: return _("n/N (%)");
    case TSR_PREVALENCE_PERCENT:
    default: return _("n (%)");
    }
}

static guint
prevalence_width (TsrPrevalenceFormat format)
{
  switch (format)
    {
    case TSR_PREVALENCE_N: return 19;
    case TSR_PREVALENCE_FRACTION: return 27;
    case TSR_PREVALENCE_PERCENT:
    default: return 24;
    }
}

static void
add_labelled (TsrExportParagraph *paragraph,
              const char         *label,
              const char         *text)
{
  tsr_export_paragraph_add_text (paragraph, label, TSR_TEXT_BOLD);
  tsr_export_paragraph_add_text (paragraph, " ", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (paragraph, text, TSR_TEXT_PLAIN);
}

static void
add_note (TsrExportTable *table,
          const char     *text)
{
  TsrExportParagraph *note = tsr_export_table_add_note (table);

  /* Translators: the label of a table's note, as APA style sets it */
  tsr_export_paragraph_add_text (note, _("Note."), TSR_TEXT_ITALIC);
  tsr_export_paragraph_add_text (note, " ", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (note, text, TSR_TEXT_PLAIN);
}

static void
add_theme_table (TsrExportDocument      *doc,
                 TsrReport              *report,
                 const TsrReportOptions *options)
{
  g_autoptr(GPtrArray) themes = tsr_report_list_themes (report, options->order);
  g_autofree char *caption = tsr_report_get_caption (report, TSR_REPORT_THEMES, options);
  g_autofree char *coding = tsr_report_describe_coding (report);
  g_autoptr(GString) note = g_string_new (NULL);
  const char *noun = options_noun (options);
  guint n_columns = 2 + (options->codes != 0) + (options->definitions != 0) + (options->quotes != 0);
  guint col_codes = G_MAXUINT, col_n, col_definition = G_MAXUINT, col_quotes = G_MAXUINT;
  gboolean nested = FALSE;
  TsrExportTable *table;
  guint c = 0;

  table = tsr_export_document_add_table (doc, n_columns);
  tsr_export_table_set_caption (table, caption);

  /* Widths in tenths of a centimetre of a portrait A4 page's 17 cm: a
   * theme's longest word and "21 (95.5%)" fit on one line. */
  tsr_export_table_set_column (table, c++, _("Theme"), TSR_ALIGN_START, 33);
  if (options->codes)
    tsr_export_table_set_column (table, col_codes = c++, _("Codes"), TSR_ALIGN_START, 28);
  tsr_export_table_set_column (table, col_n = c++, prevalence_header (options->prevalence), TSR_ALIGN_END,
                               prevalence_width (options->prevalence));
  if (options->definitions)
    tsr_export_table_set_column (table, col_definition = c++, _("Definition"), TSR_ALIGN_START, 40);
  if (options->quotes)
    tsr_export_table_set_column (table, col_quotes = c++, _("Exemplar quotes"), TSR_ALIGN_START, 48);

  for (guint i = 0; i < themes->len; i++)
    {
      const TsrReportTheme *theme = themes->pdata[i];
      g_autofree char *prevalence = tsr_report_format_prevalence (options->prevalence, theme->n,
                                                                  report->n_documents);
      guint row = tsr_export_table_add_row (table, theme->depth,
                                            theme->depth == 0 ? TSR_TEXT_BOLD : TSR_TEXT_PLAIN);

      nested |= theme->depth > 0;
      tsr_export_table_set_cell (table, row, 0, theme->name);
      tsr_export_table_set_cell (table, row, col_n, prevalence);
      if (col_codes != G_MAXUINT)
        {
          g_autofree char *codes = g_strjoinv ("; ", (char **) theme->codes);

          tsr_export_table_set_cell (table, row, col_codes, codes);
        }
      if (col_definition != G_MAXUINT)
        tsr_export_table_set_cell (table, row, col_definition, theme->definition);
      for (guint q = 0; col_quotes != G_MAXUINT && q < theme->n_quotes; q++)
        {
          g_autofree char *text = quote_text (&theme->quotes[q], options);

          tsr_export_paragraph_add_text (tsr_export_table_add_cell_paragraph (table, row, col_quotes),
                                         text, TSR_TEXT_PLAIN);
        }
    }

  if (report->n_documents == 0)
    g_string_append_printf (note, _("No %s are in scope, so n is 0 and percentages are undefined (–)."),
                            noun);
  else
    {
      g_string_append_printf (note, _("n = number of %s in which the theme occurs (a segment of any of "
                                      "its codes, or of its sub-themes’ codes), by %s."),
                              noun, coding);
      if (options->prevalence != TSR_PREVALENCE_N)
        g_string_append_printf (note, " %s",
                                _("Percentages are of N and rounded half away from zero."));
    }
  if (nested)
    g_string_append_printf (note, " %s", _("Sub-themes are indented under their theme."));
  if (options->quotes && options->labels == TSR_LABELS_NUMBERS && report->n_documents > 0)
    {
      g_autofree char *first = g_strdup_printf ("%s1", options->label_prefix ? options->label_prefix : "");

      g_string_append_printf (note, " ");
      g_string_append_printf (note, _("Quotes are the passages starred as exemplars; %s, … number the "
                                      "%s in the project’s order."), first, noun);
    }
  if (themes->len == 0)
    g_string_append_printf (note, " %s", _("The project has no themes yet."));
  add_note (table, note->str);
}

static void
add_codebook_table (TsrExportDocument      *doc,
                    TsrReport              *report,
                    const TsrReportOptions *options)
{
  g_autoptr(GPtrArray) codes = tsr_report_list_codes (report, options->order);
  g_autofree char *caption = tsr_report_get_caption (report, TSR_REPORT_CODEBOOK, options);
  g_autofree char *coding = tsr_report_describe_coding (report);
  g_autoptr(GString) note = g_string_new (NULL);
  const char *noun = options_noun (options);
  TsrExportTable *table = tsr_export_document_add_table (doc, 3);
  gboolean nested = FALSE;

  tsr_export_table_set_caption (table, caption);
  tsr_export_table_set_column (table, 0, _("Code"), TSR_ALIGN_START, 50);
  tsr_export_table_set_column (table, 1, _("Definition"), TSR_ALIGN_START, 96);
  tsr_export_table_set_column (table, 2, prevalence_header (options->prevalence), TSR_ALIGN_END,
                               prevalence_width (options->prevalence));

  for (guint i = 0; i < codes->len; i++)
    {
      const TsrReportCode *code = codes->pdata[i];
      g_autofree char *prevalence = tsr_report_format_prevalence (options->prevalence, code->n,
                                                                  report->n_documents);
      guint row = tsr_export_table_add_row (table, code->depth,
                                            code->depth == 0 ? TSR_TEXT_BOLD : TSR_TEXT_PLAIN);

      nested |= code->depth > 0;
      tsr_export_table_set_cell (table, row, 0, code->name);
      tsr_export_table_set_cell (table, row, 1, code->definition);
      tsr_export_table_set_cell (table, row, 2, prevalence);
    }

  if (report->n_documents == 0)
    g_string_append_printf (note, _("No %s are in scope, so n is 0 and percentages are undefined (–)."),
                            noun);
  else
    {
      g_string_append_printf (note, _("n = number of %s in which the code occurs (a segment of it or of "
                                      "a code below it), by %s."), noun, coding);
      if (options->prevalence != TSR_PREVALENCE_N)
        g_string_append_printf (note, " %s",
                                _("Percentages are of N and rounded half away from zero."));
    }
  if (nested)
    g_string_append_printf (note, " %s", _("Codes are indented under the code they belong to."));
  if (codes->len == 0)
    g_string_append_printf (note, " %s", _("The project has no codes yet."));
  add_note (table, note->str);
}

/* Splits a narrative into paragraphs at blank lines. */
static void
add_narrative (TsrExportDocument *doc,
               const char        *text)
{
  g_auto(GStrv) paragraphs = g_regex_split_simple ("\\n[ \\t]*\\n\\s*", text, 0, 0);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autofree char *paragraph = g_strstrip (g_strdup (paragraphs[i]));

      if (*paragraph != '\0')
        tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, paragraph);
    }
}

static void
add_writeup (TsrExportDocument      *doc,
             TsrReport              *report,
             const TsrReportOptions *options)
{
  g_autoptr(GPtrArray) themes = tsr_report_list_themes (report, options->order);
  g_autofree char *coding = tsr_report_describe_coding (report);
  g_autofree char *intro = NULL;
  const char *title = options->title && *options->title ? options->title : report->project_title;

  tsr_export_document_add_text (doc, TSR_PARAGRAPH_TITLE, *title ? title : _("Themes"));
  intro = g_strdup_printf (_("This report describes the themes identified in the %s (N = %u), "
                             "counted by %s. Table 1 gives each theme’s prevalence."),
                           options_noun (options), report->n_documents, coding);
  tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, intro);

  add_theme_table (doc, report, options);

  for (guint i = 0; i < themes->len; i++)
    {
      const TsrReportTheme *theme = themes->pdata[i];
      g_autofree char *prevalence = tsr_report_format_prevalence (options->prevalence, theme->n,
                                                                  report->n_documents);
      g_autoptr(GPtrArray) subthemes = g_ptr_array_new ();

      tsr_export_document_add_heading (doc, MIN (theme->depth + 1, 3), theme->name);
      add_labelled (tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY), _("Prevalence."),
                    prevalence);
      if (*theme->definition != '\0')
        add_labelled (tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY), _("Definition."),
                      theme->definition);
      if (*theme->scope_notes != '\0')
        add_labelled (tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY), _("Scope."),
                      theme->scope_notes);
      add_narrative (doc, theme->narrative);
      if (options->codes && theme->n_codes > 0)
        {
          g_autofree char *codes = g_strjoinv ("; ", (char **) theme->codes);

          add_labelled (tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY), _("Codes."), codes);
        }
      for (guint j = i + 1; j < themes->len; j++)
        {
          const TsrReportTheme *next = themes->pdata[j];

          if (next->depth <= theme->depth)
            break;
          if (next->depth == theme->depth + 1)
            g_ptr_array_add (subthemes, (gpointer) next->name);
        }
      if (subthemes->len > 0)
        {
          g_autofree char *names = NULL;

          g_ptr_array_add (subthemes, NULL);
          names = g_strjoinv ("; ", (char **) subthemes->pdata);
          add_labelled (tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY), _("Sub-themes."),
                        names);
        }
      for (guint q = 0; q < theme->n_quotes; q++)
        {
          g_autofree char *text = quote_text (&theme->quotes[q], options);

          tsr_export_document_add_text (doc, TSR_PARAGRAPH_QUOTE, text);
        }
    }
}

/**
 * tsr_report_to_document:
 *
 * Returns: (transfer full): the report as a document for the writers
 */
TsrExportDocument *
tsr_report_to_document (TsrReport              *report,
                        TsrReportKind           kind,
                        const TsrReportOptions *options)
{
  g_autoptr(TsrReportOptions) defaults = NULL;
  TsrExportDocument *doc;
  g_autofree char *title = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  if (options == NULL)
    options = defaults = tsr_report_options_new ();

  switch (kind)
    {
    case TSR_REPORT_CODEBOOK:
      title = g_strdup_printf (_("Codebook — %s"), report->project_title);
      doc = tsr_export_document_new (title);
      add_codebook_table (doc, report, options);
      break;
    case TSR_REPORT_WRITEUP:
      doc = tsr_export_document_new (options->title && *options->title ? options->title
                                                                      : report->project_title);
      add_writeup (doc, report, options);
      break;
    case TSR_REPORT_THEMES:
    default:
      title = g_strdup_printf (_("Themes — %s"), report->project_title);
      doc = tsr_export_document_new (title);
      add_theme_table (doc, report, options);
      break;
    }
  return doc;
}

/* JSON ---------------------------------------------------------------- */

static void
add_prevalence_members (JsonBuilder            *builder,
                        TsrReport              *report,
                        const TsrReportOptions *options,
                        guint                   n)
{
  g_autofree char *percent = tsr_report_format_percent (n, report->n_documents, 1);
  g_autofree char *prevalence = tsr_report_format_prevalence (options->prevalence, n, report->n_documents);

  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, n);
  json_builder_set_member_name (builder, "percent");
  if (percent == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, g_ascii_strtod (percent, NULL));
  json_builder_set_member_name (builder, "prevalence");
  json_builder_add_string_value (builder, prevalence);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static guint
add_json_themes (JsonBuilder            *builder,
                 TsrReport              *report,
                 const TsrReportOptions *options,
                 GPtrArray              *themes,
                 guint                   i,
                 guint                   depth)
{
  json_builder_begin_array (builder);
  while (i < themes->len)
    {
      const TsrReportTheme *theme = themes->pdata[i];

      if (theme->depth < depth)
        break;

      json_builder_begin_object (builder);
      add_string_member (builder, "name", theme->name);
      add_string_member (builder, "status", tsr_theme_status_to_string (theme->status));
      add_prevalence_members (builder, report, options, theme->n);
      add_string_member (builder, "definition", theme->definition);
      add_string_member (builder, "scope_notes", theme->scope_notes);
      add_string_member (builder, "narrative", theme->narrative);
      json_builder_set_member_name (builder, "codes");
      json_builder_begin_array (builder);
      for (guint c = 0; c < theme->n_codes; c++)
        json_builder_add_string_value (builder, theme->codes[c]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "quotes");
      json_builder_begin_array (builder);
      for (guint q = 0; q < theme->n_quotes; q++)
        {
          g_autofree char *label = tsr_report_quote_label (&theme->quotes[q], options);

          json_builder_begin_object (builder);
          add_string_member (builder, "text", theme->quotes[q].text);
          add_string_member (builder, "document", theme->quotes[q].document_name);
          json_builder_set_member_name (builder, "document_number");
          json_builder_add_int_value (builder, theme->quotes[q].document_number);
          add_string_member (builder, "label", label);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "subthemes");
      i = add_json_themes (builder, report, options, themes, i + 1, depth + 1);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return i;
}

static guint
add_json_codes (JsonBuilder            *builder,
                TsrReport              *report,
                const TsrReportOptions *options,
                GPtrArray              *codes,
                guint                   i,
                guint                   depth)
{
  json_builder_begin_array (builder);
  while (i < codes->len)
    {
      const TsrReportCode *code = codes->pdata[i];

      if (code->depth < depth)
        break;

      json_builder_begin_object (builder);
      add_string_member (builder, "name", code->name);
      add_string_member (builder, "path", code->path);
      add_string_member (builder, "definition", code->definition);
      add_prevalence_members (builder, report, options, code->n);
      json_builder_set_member_name (builder, "segments");
      json_builder_add_int_value (builder, code->segments);
      json_builder_set_member_name (builder, "children");
      i = add_json_codes (builder, report, options, codes, i + 1, depth + 1);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return i;
}

static gboolean
tidy_percent_cb (const GMatchInfo *match,
                 GString          *result,
                 gpointer          user_data)
{
  g_autofree char *key = g_match_info_fetch (match, 1);
  g_autofree char *number = g_match_info_fetch (match, 2);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (result, key);
  g_string_append (result, g_ascii_formatd (buffer, sizeof buffer, "%.1f", g_ascii_strtod (number, NULL)));
  return FALSE;
}

/**
 * tsr_report_write_json:
 *
 * Writes the report as JSON for scripts: every theme with its n,
 * percentage (a number with one decimal, null when undefined), the
 * prevalence as the tables print it, definition, scope notes, narrative,
 * codes, quotes and sub-themes; or, for the codebook, every code.  The
 * options choose the order, the prevalence text and the quote labels;
 * nothing is left out.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
tsr_report_write_json (TsrReport               *report,
                       TsrReportKind            kind,
                       const TsrReportOptions  *options,
                       GOutputStream           *stream,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(TsrReportOptions) defaults = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tidy = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *label = _tsr_export_table_label (1);
  g_autofree char *coding = tsr_report_describe_coding (report);

  g_return_val_if_fail (report != NULL, FALSE);

  if (options == NULL)
    options = defaults = tsr_report_options_new ();
  caption = tsr_report_get_caption (report, kind, options);

  json_builder_begin_object (builder);
  add_string_member (builder, "generator", _tsr_export_generator ());
  add_string_member (builder, "report", tsr_report_kind_to_string (kind));
  add_string_member (builder, "project", report->project_title);
  json_builder_set_member_name (builder, "caption");
  {
    g_autofree char *full = g_strdup_printf ("%s. %s", label, caption);

    json_builder_add_string_value (builder, full);
  }
  json_builder_set_member_name (builder, "documents");
  json_builder_add_int_value (builder, report->n_documents);
  add_string_member (builder, "noun", options_noun (options));
  json_builder_set_member_name (builder, "coding");
  json_builder_begin_object (builder);
  add_string_member (builder, "mode", tsr_coder_mode_to_string (report->mode));
  json_builder_set_member_name (builder, "coder");
  if (report->coder_name != NULL)
    json_builder_add_string_value (builder, report->coder_name);
  else
    json_builder_add_null_value (builder);
  add_string_member (builder, "description", coding);
  json_builder_end_object (builder);
  add_string_member (builder, "order", tsr_report_order_to_string (options->order));

  if (kind == TSR_REPORT_CODEBOOK)
    {
      g_autoptr(GPtrArray) codes = tsr_report_list_codes (report, options->order);

      json_builder_set_member_name (builder, "codes");
      add_json_codes (builder, report, options, codes, 0, 0);
    }
  else
    {
      g_autoptr(GPtrArray) themes = tsr_report_list_themes (report, options->order);

      json_builder_set_member_name (builder, "themes");
      add_json_themes (builder, report, options, themes, 0, 0);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  /* json-glib writes doubles with 17 digits (86.4 as 86.400000000000006).
   * "percent" holds the only doubles, and a string cannot fake the key
   * (its quotes are escaped), so they are rewritten with one decimal. */
  regex = g_regex_new ("(\"percent\" : )(-?[0-9][0-9.eE+-]*)", G_REGEX_OPTIMIZE, 0, NULL);
  tidy = g_regex_replace_eval (regex, text, -1, 0, 0, tidy_percent_cb, NULL, NULL);

  return _tsr_export_write_all (stream, tidy, strlen (tidy), cancellable, error) &&
         _tsr_export_write_all (stream, "\n", 1, cancellable, error);
}

typedef struct
{
  TsrReport              *report;
  TsrReportKind           kind;
  const TsrReportOptions *options;
} JsonSave;

static gboolean
write_json_cb (GOutputStream  *stream,
               gpointer        user_data,
               GCancellable   *cancellable,
               GError        **error)
{
  JsonSave *save = user_data;

  return tsr_report_write_json (save->report, save->kind, save->options, stream, cancellable, error);
}

/**
 * tsr_report_save:
 * @flags: options of some formats (a byte order mark for CSV)
 *
 * Saves the report in @format to @file, all or nothing (see
 * tsr_export_save_file()).  A write-up is text around a table, which CSV
 * cannot hold: that combination fails with %TSR_ERROR_UNSUPPORTED.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
tsr_report_save (TsrReport               *report,
                 TsrReportKind            kind,
                 const TsrReportOptions  *options,
                 TsrExportFormat          format,
                 TsrExportFlags           flags,
                 GFile                   *file,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(TsrExportDocument) doc = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (kind == TSR_REPORT_WRITEUP && format == TSR_EXPORT_CSV)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("A write-up is text around a table, which CSV cannot hold; "
                             "choose DOCX, ODT, PDF, HTML, Markdown, LaTeX or JSON"));
      return FALSE;
    }

  if (format == TSR_EXPORT_JSON)
    {
      JsonSave save = { report, kind, options };

      return tsr_export_save_file (file, write_json_cb, &save, cancellable, error);
    }

  doc = tsr_report_to_document (report, kind, options);
  return tsr_export_document_save (doc, format, flags, file, cancellable, error);
}
