/* tsr-report.h — report-ready theme tables, codebooks and write-ups
 *
 * A #TsrReport is a snapshot of what a report says: the themes (not the
 * discarded ones) and codes with their n for one #TsrScope, their
 * definitions, and the exemplar quotes.  How it is shown — order,
 * prevalence format, which columns, how documents are labelled — is a
 * #TsrReportOptions given when the report is turned into a
 * #TsrExportDocument or saved, so a view can change them without
 * counting again.
 *
 * Percentages are n of the N documents in scope, rounded half away from
 * zero from the exact fraction (never from an already rounded figure),
 * and undefined — shown as "–" — when no document is in scope.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-counts.h"
#include "tsr-entities.h"
#include "tsr-export.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrReportKind:
 * @TSR_REPORT_THEMES: the theme table
 * @TSR_REPORT_CODEBOOK: the codebook: codes, hierarchy, definitions, n
 * @TSR_REPORT_WRITEUP: the theme table, then each theme's definition,
 *   scope notes, narrative and quotes
 */
typedef enum
{
  TSR_REPORT_THEMES,
  TSR_REPORT_CODEBOOK,
  TSR_REPORT_WRITEUP,
} TsrReportKind;

/**
 * TsrReportOrder:
 * @TSR_REPORT_ORDER_TREE: the order the researcher gave the themes
 * @TSR_REPORT_ORDER_N: most frequent first (ties in tree order)
 * @TSR_REPORT_ORDER_NAME: alphabetical
 *
 * Sub-themes stay under their theme and are ordered among themselves.
 */
typedef enum
{
  TSR_REPORT_ORDER_TREE,
  TSR_REPORT_ORDER_N,
  TSR_REPORT_ORDER_NAME,
} TsrReportOrder;

/**
 * TsrPrevalenceFormat:
 * @TSR_PREVALENCE_N: "n = 19"
 * @TSR_PREVALENCE_FRACTION: "19/22 (86%)"
 * @TSR_PREVALENCE_PERCENT: "19 (86.4%)"
 */
typedef enum
{
  TSR_PREVALENCE_N,
  TSR_PREVALENCE_FRACTION,
  TSR_PREVALENCE_PERCENT,
} TsrPrevalenceFormat;

/**
 * TsrDocumentLabels:
 * @TSR_LABELS_NAMES: quotes name their document
 * @TSR_LABELS_NUMBERS: quotes number their document by its place in the
 *   project ("E1", "E2", … with the prefix of the options)
 */
typedef enum
{
  TSR_LABELS_NAMES,
  TSR_LABELS_NUMBERS,
} TsrDocumentLabels;

const char *tsr_report_kind_to_string          (TsrReportKind        kind);
gboolean    tsr_report_kind_from_string        (const char          *str,
                                                TsrReportKind       *kind);
const char *tsr_report_order_to_string         (TsrReportOrder       order);
gboolean    tsr_report_order_from_string       (const char          *str,
                                                TsrReportOrder      *order);
const char *tsr_prevalence_format_to_string    (TsrPrevalenceFormat  format);
gboolean    tsr_prevalence_format_from_string  (const char          *str,
                                                TsrPrevalenceFormat *format);
const char *tsr_document_labels_to_string      (TsrDocumentLabels    labels);
gboolean    tsr_document_labels_from_string    (const char          *str,
                                                TsrDocumentLabels   *labels);

char       *tsr_report_format_percent          (guint                n,
                                                guint                total,
                                                guint                decimals);
char       *tsr_report_format_prevalence       (TsrPrevalenceFormat  format,
                                                guint                n,
                                                guint                total);

/**
 * TsrReportOptions:
 * @order: the order of themes (and codes) among their siblings
 * @prevalence: how n is written
 * @codes: a column of each theme's codes
 * @definitions: a column of each theme's definition
 * @quotes: a column of each theme's exemplar quotes
 * @labels: how a quote names its document
 * @label_prefix: the letter of numbered labels ("E" gives E1, E2, …)
 * @noun: what the documents are, in the plural ("essays"); %NULL for
 *   "documents"
 * @title: the write-up's title; %NULL for the project's
 *
 * How a report is shown.  Fields are public; strings are owned.
 */
typedef struct
{
  TsrReportOrder       order;
  TsrPrevalenceFormat  prevalence;
  gboolean             codes;
  gboolean             definitions;
  gboolean             quotes;
  TsrDocumentLabels    labels;
  char                *label_prefix;
  char                *noun;
  char                *title;
} TsrReportOptions;

#define TSR_TYPE_REPORT_OPTIONS (tsr_report_options_get_type ())
GType             tsr_report_options_get_type (void) G_GNUC_CONST;
TsrReportOptions *tsr_report_options_new      (void);
TsrReportOptions *tsr_report_options_copy     (const TsrReportOptions *options);
void              tsr_report_options_free     (TsrReportOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrReportOptions, tsr_report_options_free)

/**
 * TsrReportQuote:
 * @segment_id: the starred segment
 * @document_id: its document
 * @document_number: the document's place in the project, from 1
 * @document_name: the document's name
 * @text: the passage, trimmed of white space at its ends
 */
typedef struct
{
  gint64       segment_id;
  gint64       document_id;
  guint        document_number;
  const char  *document_name;
  const char  *text;
} TsrReportQuote;

/**
 * TsrReportTheme:
 * @id: the theme
 * @parent_id: its parent theme, or 0
 * @depth: 0 for a theme, 1 for a sub-theme, …
 * @name: the theme's name
 * @status: candidate, reviewed or final
 * @definition: what the theme is about
 * @scope_notes: what it covers and what not
 * @narrative: the analytic narrative
 * @n: documents in scope in which the theme occurs
 * @n_codes: how many codes the theme holds itself
 * @codes: their names
 * @n_quotes: how many exemplar quotes
 * @quotes: the starred segments of the theme's own codes (and the codes
 *   below them) in documents in scope, whoever coded them, in document
 *   order; a passage starred by two coders appears once
 *
 * A theme as the report has it; owned by the report.
 */
typedef struct
{
  gint64                 id;
  gint64                 parent_id;
  guint                  depth;
  const char            *name;
  TsrThemeStatus         status;
  const char            *definition;
  const char            *scope_notes;
  const char            *narrative;
  guint                  n;
  guint                  n_codes;
  const char * const    *codes;
  guint                  n_quotes;
  const TsrReportQuote  *quotes;
} TsrReportTheme;

/**
 * TsrReportCode:
 * @id: the code
 * @parent_id: its parent, or 0
 * @depth: 0 at the top of the tree
 * @name: the code's name
 * @path: its path, "Parent/Child"
 * @definition: its definition
 * @n: documents in scope holding it or a code below it
 * @segments: its segments and those of the codes below it
 *
 * A code as the codebook has it; owned by the report.
 */
typedef struct
{
  gint64       id;
  gint64       parent_id;
  guint        depth;
  const char  *name;
  const char  *path;
  const char  *definition;
  guint        n;
  guint        segments;
} TsrReportCode;

typedef struct _TsrReport TsrReport;

#define TSR_TYPE_REPORT (tsr_report_get_type ())
GType               tsr_report_get_type           (void) G_GNUC_CONST;
TsrReport          *tsr_report_new                (TsrProject              *project,
                                                   const TsrScope          *scope,
                                                   TsrCounts               *counts,
                                                   GError                 **error);
TsrReport          *tsr_project_build_report      (TsrProject              *project,
                                                   const TsrScope          *scope,
                                                   GCancellable            *cancellable,
                                                   GError                 **error);
TsrReport          *tsr_report_ref                (TsrReport               *report);
void                tsr_report_unref              (TsrReport               *report);

const char         *tsr_report_get_project_title  (TsrReport               *report);
guint               tsr_report_get_n_documents    (TsrReport               *report);
TsrCoderMode        tsr_report_get_coder_mode     (TsrReport               *report);
const char         *tsr_report_get_coder_name     (TsrReport               *report);
char               *tsr_report_describe_coding    (TsrReport               *report);
GPtrArray          *tsr_report_list_themes        (TsrReport               *report,
                                                   TsrReportOrder           order);
GPtrArray          *tsr_report_list_codes         (TsrReport               *report,
                                                   TsrReportOrder           order);
char               *tsr_report_quote_label        (const TsrReportQuote    *quote,
                                                   const TsrReportOptions  *options);
char               *tsr_report_get_caption        (TsrReport               *report,
                                                   TsrReportKind            kind,
                                                   const TsrReportOptions  *options);

TsrExportDocument  *tsr_report_to_document        (TsrReport               *report,
                                                   TsrReportKind            kind,
                                                   const TsrReportOptions  *options);
gboolean            tsr_report_write_json         (TsrReport               *report,
                                                   TsrReportKind            kind,
                                                   const TsrReportOptions  *options,
                                                   GOutputStream           *stream,
                                                   GCancellable            *cancellable,
                                                   GError                 **error);
gboolean            tsr_report_save               (TsrReport               *report,
                                                   TsrReportKind            kind,
                                                   const TsrReportOptions  *options,
                                                   TsrExportFormat          format,
                                                   TsrExportFlags           flags,
                                                   GFile                   *file,
                                                   GCancellable            *cancellable,
                                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrReport, tsr_report_unref)

G_END_DECLS
