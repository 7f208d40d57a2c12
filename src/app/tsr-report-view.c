/* tsr-report-view.c — the report builder: a live preview and exports
 *
 * The view keeps one #TsrReport, the counts and quotes for the chosen
 * coding, and recounts it in a worker thread when the project changes
 * or another coding is chosen.  The other choices (order, prevalence,
 * columns, wording) only change how the report is written, so the
 * preview is rebuilt from the same report at once.  The preview shows
 * the #TsrExportDocument the exports write, drawn with widgets; exports
 * are written in a worker thread to a temporary file renamed over the
 * target, and end in a toast.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-report-view.h"
#include "tsr-session.h"

struct _TsrReportView
{
  GtkWidget           parent_instance;

  TsrProject         *project;
  gulong              changed_handler;
  TsrReportKind       kind;
  TsrReportOptions   *options;
  TsrReport          *report;
  TsrExportDocument  *document;
  GCancellable       *count_cancellable;
  GArray             *coder_ids;       /* gint64 per coders_row item after the first three */
  guint               recount_source;
  gboolean            dirty;           /* the report is out of date */
  gboolean            updating_coders;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  AdwComboRow        *coders_row;
  AdwComboRow        *order_row;
  AdwComboRow        *prevalence_row;
  GtkSwitch          *codes_switch;
  GtkSwitch          *definitions_switch;
  GtkSwitch          *quotes_switch;
  AdwComboRow        *labels_row;
  AdwEntryRow        *prefix_row;
  AdwEntryRow        *noun_row;
  GtkSwitch          *bom_switch;
  AdwFlap            *flap;
  GtkButton          *export_button;
  GtkToggleButton    *themes_button;
  GtkToggleButton    *codebook_button;
  GtkToggleButton    *writeup_button;
  GtkStack           *preview_stack;
  GtkBox             *page;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (TsrReportView, tsr_report_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_KIND,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrReportView *self,
                         TsrProject    *project);

/* The first items of the coders row; the human coders follow. */
enum {
  CODERS_CONSENSUS,
  CODERS_ANY,
  CODERS_ALL,
  CODERS_FIRST_NAMED,
};

static void rebuild_document (TsrReportView *self);
static void recount          (TsrReportView *self);

/* Helpers ------------------------------------------------------------ */

static void
show_toast (TsrReportView *self,
            const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static TsrScope *
current_scope (TsrReportView *self)
{
  guint selected = adw_combo_row_get_selected (self->coders_row);

  switch (selected)
    {
    case CODERS_CONSENSUS:
      return tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
    case CODERS_ALL:
      return tsr_scope_new (TSR_CODERS_ALL, 0);
    case CODERS_ANY:
    case GTK_INVALID_LIST_POSITION:
      return tsr_scope_new (TSR_CODERS_ANY, 0);
    default:
      if (selected - CODERS_FIRST_NAMED < self->coder_ids->len)
        return tsr_scope_new (TSR_CODERS_ONE,
                              g_array_index (self->coder_ids, gint64, selected - CODERS_FIRST_NAMED));
      return tsr_scope_new (TSR_CODERS_ANY, 0);
    }
}

/* Where the core's default (tsr_project_dup_default_scope), the rule
 * every view and the command line follow, sits in the coders row. */
static guint
default_coders_position (TsrReportView *self)
{
  g_autoptr(TsrScope) scope = tsr_project_dup_default_scope (self->project);

  switch (tsr_scope_get_mode (scope))
    {
    case TSR_CODERS_CONSENSUS:
      return CODERS_CONSENSUS;
    case TSR_CODERS_ALL:
      return CODERS_ALL;
    case TSR_CODERS_ONE:
      for (guint i = 0; i < self->coder_ids->len; i++)
        if (g_array_index (self->coder_ids, gint64, i) == tsr_scope_get_coder_id (scope))
          return CODERS_FIRST_NAMED + i;
      return CODERS_ANY;
    case TSR_CODERS_ANY:
    default:
      return CODERS_ANY;
    }
}

/* Fills the coders row: the consensus, any coder, every coder, then each
 * human coder by name, keeping the choice when it still exists. */
static void
update_coders (TsrReportView *self,
               gboolean       choose_default)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  gint64 chosen_coder = 0;
  guint chosen = adw_combo_row_get_selected (self->coders_row);
  guint select = CODERS_ANY;

  if (chosen >= CODERS_FIRST_NAMED && chosen - CODERS_FIRST_NAMED < self->coder_ids->len)
    chosen_coder = g_array_index (self->coder_ids, gint64, chosen - CODERS_FIRST_NAMED);
  else if (chosen != GTK_INVALID_LIST_POSITION)
    select = chosen;

  gtk_string_list_append (model, _("The Consensus"));
  gtk_string_list_append (model, _("Any Coder"));
  gtk_string_list_append (model, _("Every Coder"));
  g_array_set_size (self->coder_ids, 0);

  if (self->project != NULL)
    {
      g_autoptr(GListModel) coders = tsr_project_get_coders (self->project);

      for (guint i = 0; i < g_list_model_get_n_items (coders); i++)
        {
          g_autoptr(TsrCoder) coder = g_list_model_get_item (coders, i);
          gint64 id = tsr_entity_get_id (TSR_ENTITY (coder));

          if (tsr_coder_get_is_consensus (coder))
            continue;
          g_array_append_val (self->coder_ids, id);
          gtk_string_list_append (model, tsr_coder_get_name (coder));
          if (id == chosen_coder)
            select = CODERS_FIRST_NAMED + self->coder_ids->len - 1;
        }
      if (choose_default)
        select = default_coders_position (self);
    }

  self->updating_coders = TRUE;
  adw_combo_row_set_model (self->coders_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->coders_row, select);
  self->updating_coders = FALSE;
}

static void
read_options (TsrReportView *self)
{
  TsrReportOptions *o = self->options;
  const char *prefix = gtk_editable_get_text (GTK_EDITABLE (self->prefix_row));
  const char *noun = gtk_editable_get_text (GTK_EDITABLE (self->noun_row));

  o->order = MIN (adw_combo_row_get_selected (self->order_row), TSR_REPORT_ORDER_NAME);
  o->prevalence = MIN (adw_combo_row_get_selected (self->prevalence_row), TSR_PREVALENCE_PERCENT);
  o->codes = gtk_switch_get_active (self->codes_switch);
  o->definitions = gtk_switch_get_active (self->definitions_switch);
  o->quotes = gtk_switch_get_active (self->quotes_switch);
  o->labels = adw_combo_row_get_selected (self->labels_row) == 0 ? TSR_LABELS_NAMES : TSR_LABELS_NUMBERS;
  g_free (o->label_prefix);
  o->label_prefix = g_strstrip (g_strdup (prefix));
  g_free (o->noun);
  o->noun = *noun != '\0' ? g_strstrip (g_strdup (noun)) : NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->prefix_row), o->labels == TSR_LABELS_NUMBERS);
}

/* The preview --------------------------------------------------------- */

static char *
runs_markup (TsrExportParagraph *paragraph,
             TsrTextStyle        extra_style)
{
  GString *markup = g_string_new (NULL);

  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      style |= extra_style;
      g_string_append_printf (markup, "%s%s%s%s%s",
                              style & TSR_TEXT_BOLD ? "<b>" : "",
                              style & TSR_TEXT_ITALIC ? "<i>" : "",
                              escaped,
                              style & TSR_TEXT_ITALIC ? "</i>" : "",
                              style & TSR_TEXT_BOLD ? "</b>" : "");
    }
  return g_string_free (markup, FALSE);
}

static GtkWidget *
text_label (const char *markup,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (label, GTK_ALIGN_FILL);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
paragraph_widget (TsrExportParagraph *paragraph)
{
  /* libadwaita's type classes, and space around as the exports have it:
   * above, below, and each side of a quote. */
  static const struct {
    const char *css_class;
    int         above;
    int         below;
    int         sides;
  } looks[] = {
    [TSR_PARAGRAPH_TITLE] = { "title-1", 0, 12, 0 },
    [TSR_PARAGRAPH_HEADING_1] = { "title-2", 18, 6, 0 },
    [TSR_PARAGRAPH_HEADING_2] = { "title-3", 14, 4, 0 },
    [TSR_PARAGRAPH_HEADING_3] = { "title-4", 10, 4, 0 },
    [TSR_PARAGRAPH_BODY] = { NULL, 0, 8, 0 },
    [TSR_PARAGRAPH_NOTE] = { "caption", 6, 14, 0 },
    [TSR_PARAGRAPH_QUOTE] = { "dim-label", 2, 8, 28 },
  };
  TsrParagraphStyle style = tsr_export_paragraph_get_style (paragraph);
  g_autofree char *markup = runs_markup (paragraph, style == TSR_PARAGRAPH_QUOTE ? TSR_TEXT_ITALIC : 0);
  GtkWidget *label = text_label (markup, looks[style].css_class);

  gtk_widget_set_margin_top (label, looks[style].above);
  gtk_widget_set_margin_bottom (label, looks[style].below);
  gtk_widget_set_margin_start (label, looks[style].sides);
  gtk_widget_set_margin_end (label, looks[style].sides);

  if (style <= TSR_PARAGRAPH_HEADING_3)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL,
                                      style == TSR_PARAGRAPH_TITLE ? 1 : style - TSR_PARAGRAPH_HEADING_1 + 1, -1);
      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
    }
  return label;
}

static GtkWidget *
cell_widget (TsrExportTable *table,
             guint           row,
             guint           column)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  guint n = tsr_export_table_get_n_cell_paragraphs (table, row, column);
  TsrTextStyle style = column == 0 ? tsr_export_table_get_row_style (table, row) : TSR_TEXT_PLAIN;
  TsrAlign align = tsr_export_table_get_align (table, column);

  /* The first row sits on the header's rule: it has the cells' padding
   * but not their rule. */
  if (row > 0)
    gtk_widget_add_css_class (box, "tsr-report-cell");
  else
    {
      gtk_widget_set_margin_top (box, 5);
      gtk_widget_set_margin_bottom (box, 5);
      gtk_widget_set_margin_start (box, 7);
      gtk_widget_set_margin_end (box, 7);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *markup = runs_markup (tsr_export_table_get_cell_paragraph (table, row, column, i), style);
      GtkWidget *label = text_label (markup, NULL);

      /* Inside the cell, so the rule above runs the whole width. */
      if (column == 0)
        gtk_widget_set_margin_start (label, 18 * tsr_export_table_get_row_indent (table, row));

      if (align == TSR_ALIGN_END)
        gtk_label_set_xalign (GTK_LABEL (label), 1);
      else if (align == TSR_ALIGN_CENTER)
        gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_box_append (GTK_BOX (box), label);
    }
  return box;
}

static GtkWidget *
table_widget (TsrExportTable *table)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *label = tsr_export_table_get_label (table);
  g_autofree char *caption_text = g_markup_escape_text (tsr_export_table_get_caption (table), -1);
  g_autofree char *caption = g_strdup_printf ("<b>%s.</b> %s", label, caption_text);
  guint n_columns = tsr_export_table_get_n_columns (table);
  guint total = 0;

  {
    GtkWidget *caption_label = text_label (caption, NULL);

    gtk_widget_set_margin_top (caption_label, 10);
    gtk_widget_set_margin_bottom (caption_label, 6);
    gtk_box_append (GTK_BOX (box), caption_label);
  }
  gtk_widget_add_css_class (grid, "tsr-report-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, caption_text, -1);
  gtk_box_append (GTK_BOX (box), grid);

  for (guint c = 0; c < n_columns; c++)
    total += tsr_export_table_get_width (table, c);

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *header = g_markup_escape_text (tsr_export_table_get_header (table, c), -1);
      GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *text = text_label (header, NULL);
      /* Columns share the width as the exports' do: a wrapping label
       * asks for its column's share of about 130 characters. */
      int chars = MAX (6, 130 * (int) tsr_export_table_get_width (table, c) / (int) total);

      gtk_widget_add_css_class (cell, "tsr-report-header");
      gtk_label_set_width_chars (GTK_LABEL (text), MIN (chars, 12));
      gtk_label_set_max_width_chars (GTK_LABEL (text), chars);
      if (tsr_export_table_get_align (table, c) == TSR_ALIGN_END)
        gtk_label_set_xalign (GTK_LABEL (text), 1);
      gtk_widget_set_hexpand (cell, TRUE);
      gtk_box_append (GTK_BOX (cell), text);
      gtk_grid_attach (GTK_GRID (grid), cell, c, 0, 1, 1);
    }

  for (guint r = 0; r < tsr_export_table_get_n_rows (table); r++)
    for (guint c = 0; c < n_columns; c++)
      {
        GtkWidget *cell = cell_widget (table, r, c);
        int chars = MAX (6, 130 * (int) tsr_export_table_get_width (table, c) / (int) total);

        for (GtkWidget *child = gtk_widget_get_first_child (cell); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          gtk_label_set_max_width_chars (GTK_LABEL (child), chars);
        gtk_grid_attach (GTK_GRID (grid), cell, c, r + 1, 1, 1);
      }

  for (guint i = 0; i < tsr_export_table_get_n_notes (table); i++)
    gtk_box_append (GTK_BOX (box), paragraph_widget (tsr_export_table_get_note (table, i)));

  return box;
}

static void
render_preview (TsrReportView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->page))) != NULL)
    gtk_box_remove (self->page, child);

  if (self->document == NULL)
    return;

  for (guint b = 0; b < tsr_export_document_get_n_blocks (self->document); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (self->document, b);

      if (paragraph != NULL)
        gtk_box_append (self->page, paragraph_widget (paragraph));
      else
        gtk_box_append (self->page, table_widget (tsr_export_document_get_table (self->document, b)));
    }
}

static void
rebuild_document (TsrReportView *self)
{
  g_clear_pointer (&self->document, tsr_export_document_unref);
  if (self->report != NULL)
    self->document = tsr_report_to_document (self->report, self->kind, self->options);
  render_preview (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
}

/* Counting ------------------------------------------------------------ */

typedef struct
{
  TsrReportView *self;
  TsrScope      *scope;
  GCancellable  *cancellable;
} CountData;

static void
on_counts_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CountData *data = user_data;
  TsrReportView *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCounts) counts = tsr_project_compute_counts_finish (TSR_PROJECT (source), result, &error);
  g_autoptr(TsrScope) scope = data->scope;
  g_autoptr(GCancellable) cancellable = data->cancellable;

  g_free (data);

  /* A count overtaken by a newer one is dropped, finished or not. */
  if (cancellable != self->count_cancellable || g_cancellable_is_cancelled (cancellable))
    {
      g_object_unref (self);
      return;
    }

  g_clear_object (&self->count_cancellable);
  gtk_spinner_stop (self->spinner);

  /* The project may have closed or changed while the worker counted. */
  if (self->project != TSR_PROJECT (source))
    {
      g_object_unref (self);
      return;
    }

  if (counts != NULL)
    {
      g_clear_pointer (&self->report, tsr_report_unref);
      self->report = tsr_report_new (self->project, scope, counts, &error);
    }

  if (self->report == NULL || error != NULL)
    {
      adw_status_page_set_description (self->error_page, error ? error->message : NULL);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
    }
  else
    gtk_stack_set_visible_child_name (self->preview_stack, "preview");

  rebuild_document (self);
  g_object_unref (self);
}

static void
recount (TsrReportView *self)
{
  CountData *data;

  g_clear_handle_id (&self->recount_source, g_source_remove);
  if (self->count_cancellable != NULL)
    {
      g_cancellable_cancel (self->count_cancellable);
      g_clear_object (&self->count_cancellable);
    }
  self->dirty = FALSE;

  if (self->project == NULL)
    {
      g_clear_pointer (&self->report, tsr_report_unref);
      rebuild_document (self);
      return;
    }

  /* A first count shows a spinner; a recount keeps the old preview up
   * until the new one is ready. */
  if (self->report == NULL)
    {
      gtk_stack_set_visible_child_name (self->preview_stack, "loading");
      gtk_spinner_start (self->spinner);
    }

  data = g_new0 (CountData, 1);
  data->self = g_object_ref (self);
  data->scope = current_scope (self);
  self->count_cancellable = g_cancellable_new ();
  data->cancellable = g_object_ref (self->count_cancellable);
  tsr_project_compute_counts_async (self->project, data->scope, self->count_cancellable,
                                    on_counts_ready_cb, data);
}

static gboolean
on_recount_timeout_cb (gpointer user_data)
{
  TsrReportView *self = user_data;

  self->recount_source = 0;
  recount (self);
  return G_SOURCE_REMOVE;
}

/* Recounts soon, or when the view is next shown: a burst of edits is
 * counted once. */
static void
queue_recount (TsrReportView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->recount_source == 0)
    self->recount_source = g_timeout_add (150, on_recount_timeout_cb, self);
}

/* Exporting ----------------------------------------------------------- */

typedef struct
{
  TsrReport        *report;
  TsrReportKind     kind;
  TsrReportOptions *options;
  TsrExportFormat   format;
  TsrExportFlags    flags;
  GFile            *file;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *e = data;

  tsr_report_unref (e->report);
  tsr_report_options_free (e->options);
  g_object_unref (e->file);
  g_free (e);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *e = task_data;
  GError *error = NULL;

  if (tsr_report_save (e->report, e->kind, e->options, e->format, e->flags, e->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsrReportView *self = TSR_REPORT_VIEW (source);
  ExportData *e = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  {
    g_autofree char *name = g_file_get_basename (e->file);
    g_autofree char *uri = g_file_get_uri (e->file);
    g_autofree char *message = g_strdup_printf (_("Exported “%s”"), name);
    g_autofree char *escaped = g_markup_escape_text (message, -1);
    AdwToast *toast = adw_toast_new (escaped);

    adw_toast_set_button_label (toast, _("_Open"));
    adw_toast_set_action_name (toast, "report.open-export");
    adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }

  /* The last phase's progress: a report went out. */
  if (self->project != NULL)
    {
      g_autoptr(GError) mark_error = NULL;

      if (!tsr_project_mark_report_exported (self->project, tsr_export_format_to_string (e->format),
                                             &mark_error))
        g_debug ("Could not record the export: %s", mark_error->message);
    }

  g_task_return_boolean (outer, TRUE);
}

/**
 * tsr_report_view_export_async:
 * @file: where to save
 * @format: the format
 *
 * Saves what the preview shows to @file in a worker thread, then shows a
 * toast saying how it went and records the export in the project.
 */
void
tsr_report_view_export_async (TsrReportView       *self,
                              GFile               *file,
                              TsrExportFormat      format,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  ExportData *e;

  g_return_if_fail (TSR_IS_REPORT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tsr_report_view_export_async);

  if (self->report == NULL)
    {
      g_task_return_new_error (outer, TSR_ERROR, TSR_ERROR_FAILED, _("The report is not ready yet"));
      return;
    }

  e = g_new0 (ExportData, 1);
  e->report = tsr_report_ref (self->report);
  e->kind = self->kind;
  e->options = tsr_report_options_copy (self->options);
  e->format = format;
  e->flags = gtk_switch_get_active (self->bom_switch) ? TSR_EXPORT_CSV_BOM : TSR_EXPORT_FLAGS_NONE;
  e->file = g_object_ref (file);

  task = g_task_new (self, cancellable, on_export_done_cb, g_steal_pointer (&outer));
  g_task_set_task_data (task, e, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tsr_report_view_export_finish (TsrReportView  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const char *
kind_file_name (TsrReportKind kind)
{
  switch (kind)
    {
    case TSR_REPORT_CODEBOOK: return _("Codebook");
    case TSR_REPORT_WRITEUP: return _("Write-up");
    case TSR_REPORT_THEMES:
    default: return _("Themes");
    }
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  TsrReportView *self = TSR_REPORT_VIEW (user_data);
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  GtkFileFilter *filter;
  TsrExportFormat format = TSR_EXPORT_DOCX;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      if (filter != NULL)
        format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (filter), "tsr-format"));

      /* A name that ends in a format's extension says the format;
       * otherwise the chosen filter's extension is added. */
      name = g_file_get_basename (file);
      if (!tsr_export_format_from_file_name (name, &format))
        {
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *full = g_strdup_printf ("%s.%s", name, tsr_export_format_get_extension (format));

          g_set_object (&file, g_file_get_child (parent, full));
        }
      tsr_report_view_export_async (self, file, format, NULL, NULL, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrReportView *self = TSR_REPORT_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->report == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  for (guint f = 0; f < TSR_EXPORT_N_FORMATS; f++)
    {
      g_autoptr(GtkFileFilter) filter = NULL;
      g_autofree char *pattern = NULL;
      g_autofree char *title = NULL;

      /* A write-up is text around a table, which CSV cannot hold. */
      if (self->kind == TSR_REPORT_WRITEUP && f == TSR_EXPORT_CSV)
        continue;

      filter = gtk_file_filter_new ();
      pattern = g_strdup_printf ("*.%s", tsr_export_format_get_extension (f));
      /* Translators: a file type in the export dialog, "Word document (.docx)" */
      title = g_strdup_printf (_("%s (.%s)"), tsr_export_format_get_display_name (f),
                               tsr_export_format_get_extension (f));
      gtk_file_filter_set_name (filter, title);
      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_filter_add_mime_type (filter, tsr_export_format_get_mime_type (f));
      g_object_set_data (G_OBJECT (filter), "tsr-format", GUINT_TO_POINTER (f));
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      if (f == TSR_EXPORT_DOCX)
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
    }

  name = g_strdup_printf ("%s.docx", kind_file_name (self->kind));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_export_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_autoptr(GError) error = NULL;
  const char *uri = g_variant_get_string (param, NULL);

  /* GtkUriLauncher is GTK 4.10. */
  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    show_toast (TSR_REPORT_VIEW (widget), error->message);
}

/* Callbacks ----------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject    *project,
                       TsrChange      change,
                       TsrReportView *self)
{
  if (change & TSR_CHANGE_CODERS)
    update_coders (self, FALSE);

  /* What a report says: documents (N, labels), codes, segments (n,
   * quotes), themes, the project's title. */
  if (change & (TSR_CHANGE_DOCUMENTS | TSR_CHANGE_CODES | TSR_CHANGE_CODERS | TSR_CHANGE_SEGMENTS |
                TSR_CHANGE_THEMES | TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES | TSR_CHANGE_PROJECT))
    queue_recount (self);
}

static void
on_coders_row_notify_selected_cb (TsrReportView *self)
{
  if (self->updating_coders || self->project == NULL)
    return;
  recount (self);
}

static void
on_option_changed_cb (TsrReportView *self)
{
  if (self->options == NULL)
    return;
  read_options (self);
  rebuild_document (self);
}

static void
on_kind_button_toggled_cb (TsrReportView   *self,
                           GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->codebook_button)
    tsr_report_view_set_kind (self, TSR_REPORT_CODEBOOK);
  else if (button == self->writeup_button)
    tsr_report_view_set_kind (self, TSR_REPORT_WRITEUP);
  else
    tsr_report_view_set_kind (self, TSR_REPORT_THEMES);
}

/* GtkWidget ----------------------------------------------------------- */

static void
tsr_report_view_map (GtkWidget *widget)
{
  TsrReportView *self = TSR_REPORT_VIEW (widget);

  GTK_WIDGET_CLASS (tsr_report_view_parent_class)->map (widget);

  if (self->dirty)
    recount (self);
}

/* GObject ------------------------------------------------------------- */

static void
tsr_report_view_dispose (GObject *object)
{
  TsrReportView *self = TSR_REPORT_VIEW (object);

  set_project (self, NULL);
  g_clear_handle_id (&self->recount_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_REPORT_VIEW);

  G_OBJECT_CLASS (tsr_report_view_parent_class)->dispose (object);
}

static void
tsr_report_view_finalize (GObject *object)
{
  TsrReportView *self = TSR_REPORT_VIEW (object);

  g_clear_pointer (&self->document, tsr_export_document_unref);
  g_clear_pointer (&self->report, tsr_report_unref);
  g_clear_pointer (&self->options, tsr_report_options_free);
  g_clear_pointer (&self->coder_ids, g_array_unref);

  G_OBJECT_CLASS (tsr_report_view_parent_class)->finalize (object);
}

static void
tsr_report_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsrReportView *self = TSR_REPORT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;

    case PROP_DOCUMENT:
      g_value_set_boxed (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_report_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsrReportView *self = TSR_REPORT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;

    case PROP_KIND:
      tsr_report_view_set_kind (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_report_view_class_init (TsrReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_report_view_dispose;
  object_class->finalize = tsr_report_view_finalize;
  object_class->get_property = tsr_report_view_get_property;
  object_class->set_property = tsr_report_view_set_property;

  widget_class->map = tsr_report_view_map;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL,
                       TSR_REPORT_THEMES, TSR_REPORT_WRITEUP, TSR_REPORT_THEMES,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DOCUMENT] =
    g_param_spec_boxed ("document", NULL, NULL,
                        TSR_TYPE_EXPORT_DOCUMENT,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, coders_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, order_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, prevalence_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, codes_switch);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, definitions_switch);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, quotes_switch);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, labels_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, noun_row);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, bom_switch);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, flap);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, export_button);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, themes_button);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, codebook_button);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, writeup_button);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, page);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsrReportView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_coders_row_notify_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_button_toggled_cb);

  gtk_widget_class_install_action (widget_class, "report.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "report.open-export", "s", open_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "report.export", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/tessera/Tessera/tsr-report-view.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
tsr_report_view_init (TsrReportView *self)
{
  load_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->coder_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->kind = TSR_REPORT_THEMES;
  gtk_editable_set_text (GTK_EDITABLE (self->noun_row), _("documents"));
  self->options = tsr_report_options_new ();
  read_options (self);
  update_coders (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", FALSE);
}

/* Public API ----------------------------------------------------------- */

TsrReportView *
tsr_report_view_new (void)
{
  return g_object_new (TSR_TYPE_REPORT_VIEW, NULL);
}

/**
 * tsr_report_view_get_project:
 *
 * Returns: (transfer none) (nullable): the project reported on
 */
TsrProject *
tsr_report_view_get_project (TsrReportView *self)
{
  g_return_val_if_fail (TSR_IS_REPORT_VIEW (self), NULL);
  return self->project;
}

static void
set_project (TsrReportView *self,
             TsrProject    *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  if (self->count_cancellable != NULL)
    {
      g_cancellable_cancel (self->count_cancellable);
      g_clear_object (&self->count_cancellable);
    }
  g_set_object (&self->project, project);
  g_clear_pointer (&self->report, tsr_report_unref);

  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);

  update_coders (self, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", project != NULL);

  if (project == NULL)
    {
      self->dirty = FALSE;
      rebuild_document (self);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    recount (self);
  else
    self->dirty = TRUE;

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

TsrReportKind
tsr_report_view_get_kind (TsrReportView *self)
{
  g_return_val_if_fail (TSR_IS_REPORT_VIEW (self), TSR_REPORT_THEMES);
  return self->kind;
}

/**
 * tsr_report_view_set_kind:
 *
 * Shows the theme table, the codebook or the write-up.
 */
void
tsr_report_view_set_kind (TsrReportView *self,
                          TsrReportKind  kind)
{
  g_return_if_fail (TSR_IS_REPORT_VIEW (self));
  g_return_if_fail (kind <= TSR_REPORT_WRITEUP);

  if (self->kind == kind)
    return;

  self->kind = kind;
  gtk_toggle_button_set_active (kind == TSR_REPORT_CODEBOOK ? self->codebook_button
                                : kind == TSR_REPORT_WRITEUP ? self->writeup_button
                                : self->themes_button, TRUE);
  rebuild_document (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KIND]);
}

/**
 * tsr_report_view_get_report:
 *
 * Returns: (transfer none) (nullable): the report the preview shows
 */
TsrReport *
tsr_report_view_get_report (TsrReportView *self)
{
  g_return_val_if_fail (TSR_IS_REPORT_VIEW (self), NULL);
  return self->report;
}

/**
 * tsr_report_view_get_document:
 *
 * Returns: (transfer none) (nullable): the document the preview shows and
 *   an export writes
 */
TsrExportDocument *
tsr_report_view_get_document (TsrReportView *self)
{
  g_return_val_if_fail (TSR_IS_REPORT_VIEW (self), NULL);
  return self->document;
}

/**
 * tsr_report_view_get_options:
 *
 * Returns: (transfer none): the choices made in the view
 */
const TsrReportOptions *
tsr_report_view_get_options (TsrReportView *self)
{
  g_return_val_if_fail (TSR_IS_REPORT_VIEW (self), NULL);
  return self->options;
}
