/* tsr-agreement-view.c — agreement between two coders, and reconciling it
 *
 * The top half is the agreement table: one row per code (and a last row
 * pooling the codes the coders applied) with the counts behind each
 * statistic, for the
 * chosen unit — documents, characters or segments.  An undefined value
 * shows as "–" with its reason as the tooltip.  The table is computed in
 * a worker thread and recomputed when the coding changes.
 *
 * The bottom half lists the disagreements; the selected one shows both
 * coders' spans side by side in their context, and four buttons resolve
 * it into the consensus coding.  After a decision the next unresolved
 * disagreement is selected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-agreement-view.h"
#include "tsr-session.h"
#include "tsr-toast.h"

/* Table rows ----------------------------------------------------------- */

enum {
  COLUMN_CODE,
  COLUMN_COUNT_1,
  COLUMN_COUNT_2,
  COLUMN_COUNT_3,
  COLUMN_COUNT_4,
  COLUMN_PERCENT,
  COLUMN_KAPPA,
  COLUMN_BP_KAPPA,
  COLUMN_ALPHA,
  COLUMN_ALPHA_CHARACTERS,
  COLUMN_MEAN_PERCENT,
  COLUMN_MEAN_KAPPA,
  N_COLUMNS
};

#define TSR_TYPE_AGREEMENT_TABLE_ROW (tsr_agreement_table_row_get_type ())
G_DECLARE_FINAL_TYPE (TsrAgreementTableRow, tsr_agreement_table_row, TSR, AGREEMENT_TABLE_ROW, GObject)

struct _TsrAgreementTableRow
{
  GObject   parent_instance;
  char     *cells[N_COLUMNS];
  char     *tooltips[N_COLUMNS];
  guint     depth;
  gboolean  pooled;     /* the pooled row, or the heading of the themes */
  gboolean  document;   /* one document's figures for the row above */
};

G_DEFINE_FINAL_TYPE (TsrAgreementTableRow, tsr_agreement_table_row, G_TYPE_OBJECT)

static void
tsr_agreement_table_row_finalize (GObject *object)
{
  TsrAgreementTableRow *self = TSR_AGREEMENT_TABLE_ROW (object);

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_free (self->cells[i]);
      g_free (self->tooltips[i]);
    }
  G_OBJECT_CLASS (tsr_agreement_table_row_parent_class)->finalize (object);
}

static void
tsr_agreement_table_row_class_init (TsrAgreementTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_agreement_table_row_finalize;
}

static void
tsr_agreement_table_row_init (TsrAgreementTableRow *self)
{
}

/* The view ------------------------------------------------------------- */

struct _TsrAgreementView
{
  GtkWidget          parent_instance;

  TsrProject        *project;
  gulong             changed_handler;
  guint              refresh_source;
  GCancellable      *cancellable;
  TsrAgreement      *agreement;
  GListStore        *table_rows;
  GListModel        *disagreements;
  GtkSingleSelection *selection;
  GArray            *coder_ids;        /* gint64, in the dropdowns' order */
  guint              advance_from;     /* select the next unresolved from here */
  gboolean           busy;
  gboolean           updating;
  gboolean           stale;            /* changed while not shown */

  /* Template widgets */
  GtkStack          *stack;
  GtkDropDown       *coder_a_dropdown;
  GtkDropDown       *coder_b_dropdown;
  GtkDropDown       *unit_dropdown;
  GtkLabel          *overlap_label;
  GtkSpinButton     *overlap_spin;
  GtkCheckButton    *touching_check;
  GtkCheckButton    *per_document_check;
  GtkSpinner        *spinner;
  GtkLabel          *caption_label;
  GtkColumnView     *table_view;
  GtkProgressBar    *progress_bar;
  GtkLabel          *progress_label;
  GtkListView       *disagreement_list;
  GtkStack          *detail_stack;
  AdwStatusPage     *none_page;
  GtkLabel          *detail_title;
  GtkLabel          *detail_state;
  GtkLabel          *side_a_title;
  GtkLabel          *side_a_text;
  GtkLabel          *side_b_title;
  GtkLabel          *side_b_text;
  AdwFlap           *disagreement_flap;
  GtkButton         *accept_a_button;
  GtkButton         *accept_b_button;

  GtkColumnViewColumn *columns[N_COLUMNS];
};

G_DEFINE_FINAL_TYPE (TsrAgreementView, tsr_agreement_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrAgreementView *self,
                         TsrProject       *project);

static void schedule_refresh (TsrAgreementView *self);
static void update_none_page (TsrAgreementView *self);

/* Helpers ------------------------------------------------------------ */

static void
show_toast (TsrAgreementView *self,
            const char       *message)
{
  if (!tsr_toast_show (GTK_WIDGET (self), message))
    g_message ("%s", message);
}

static gint64
selected_coder (TsrAgreementView *self,
                GtkDropDown      *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i == GTK_INVALID_LIST_POSITION || i >= self->coder_ids->len)
    return 0;
  return g_array_index (self->coder_ids, gint64, i);
}

static TsrAgreementUnit
selected_unit (TsrAgreementView *self)
{
  guint i = gtk_drop_down_get_selected (self->unit_dropdown);

  return i <= TSR_AGREEMENT_SEGMENTS ? (TsrAgreementUnit) i : TSR_AGREEMENT_PRESENCE;
}

static char *
coder_name (TsrAgreementView *self,
            gint64            id)
{
  g_autoptr(TsrCoder) coder = self->project ? tsr_project_lookup_coder (self->project, id) : NULL;

  return g_strdup (coder ? tsr_coder_get_name (coder) : "");
}

static void
set_busy (TsrAgreementView *self,
          gboolean          busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The coders ----------------------------------------------------------- */

/* Fills the two dropdowns with the project's coders; keeps the chosen
 * pair when both still exist, otherwise takes the first two human
 * coders.  Returns whether there are two coders to compare. */
static gboolean
load_coders (TsrAgreementView *self)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (self->project);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gint64 keep_a = selected_coder (self, self->coder_a_dropdown);
  gint64 keep_b = selected_coder (self, self->coder_b_dropdown);
  guint n = g_list_model_get_n_items (coders);
  guint pick_a = GTK_INVALID_LIST_POSITION, pick_b = GTK_INVALID_LIST_POSITION;
  guint n_humans = 0;

  g_array_set_size (self->coder_ids, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrCoder) coder = g_list_model_get_item (coders, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (coder));

      g_array_append_val (self->coder_ids, id);
      gtk_string_list_append (names, tsr_coder_get_name (coder));
      if (!tsr_coder_get_is_consensus (coder))
        {
          n_humans++;
          if (pick_a == GTK_INVALID_LIST_POSITION)
            pick_a = i;
          else if (pick_b == GTK_INVALID_LIST_POSITION)
            pick_b = i;
        }
    }
  for (guint i = 0; i < self->coder_ids->len; i++)
    {
      if (g_array_index (self->coder_ids, gint64, i) == keep_a)
        pick_a = i;
      if (g_array_index (self->coder_ids, gint64, i) == keep_b)
        pick_b = i;
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->coder_a_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->coder_b_dropdown, G_LIST_MODEL (names));
  if (pick_a != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (self->coder_a_dropdown, pick_a);
  if (pick_b != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (self->coder_b_dropdown, pick_b);
  self->updating = FALSE;

  return n_humans >= 2 || (n >= 2 && keep_a != 0 && keep_b != 0);
}

/* The table ------------------------------------------------------------ */

static void
set_cell (TsrAgreementTableRow *row,
          guint                 column,
          TsrStatistic          statistic,
          guint                 decimals)
{
  row->cells[column] = tsr_agreement_format_statistic (statistic, decimals);
  if (statistic.undefined != TSR_DEFINED)
    row->tooltips[column] = g_strdup (tsr_undefined_reason_describe (statistic.undefined));
}

static TsrAgreementTableRow *
make_row (TsrAgreementView *self,
          guint             index,
          TsrAgreementUnit  unit)
{
  TsrAgreementTableRow *row = g_object_new (TSR_TYPE_AGREEMENT_TABLE_ROW, NULL);
  TsrAgreementRow r;
  TsrAlphaResult alpha;

  tsr_agreement_get_row_at (self->agreement, index, unit, &r);
  tsr_agreement_get_alpha_at (self->agreement, index, &alpha);

  row->depth = r.depth;
  row->pooled = r.kind == TSR_AGREEMENT_ROW_POOLED;
  row->cells[COLUMN_CODE] = tsr_agreement_dup_row_label (self->agreement, self->project, index, FALSE);
  switch (r.kind)
    {
    case TSR_AGREEMENT_ROW_CODE_TREE:
      row->tooltips[COLUMN_CODE] = g_strdup (_("With its sub-codes: a coder applied it where they applied it or "
                                               "any code below it, as its n counts"));
      break;
    case TSR_AGREEMENT_ROW_THEME:
      row->tooltips[COLUMN_CODE] = g_strdup (_("A theme: present where any of its codes, or of its sub-themes’, "
                                               "is, as its n counts"));
      break;
    case TSR_AGREEMENT_ROW_POOLED:
      /* The codes left out, by name, where the pooled row is. */
      row->tooltips[COLUMN_CODE] = tsr_agreement_describe_pooling (self->agreement, self->project, TRUE);
      break;
    case TSR_AGREEMENT_ROW_CODE:
    default:
      if (r.depth > 0 && g_str_has_suffix (row->cells[COLUMN_CODE], _(" (itself)")))
        row->tooltips[COLUMN_CODE] = g_strdup (_("The code’s own segments, without its sub-codes"));
      break;
    }
  if (unit == TSR_AGREEMENT_SEGMENTS)
    {
      row->cells[COLUMN_COUNT_1] = g_strdup_printf ("%u", r.segments_a);
      row->cells[COLUMN_COUNT_2] = g_strdup_printf ("%u", r.matched_a);
      row->cells[COLUMN_COUNT_3] = g_strdup_printf ("%u", r.segments_b);
      row->cells[COLUMN_COUNT_4] = g_strdup_printf ("%u", r.matched_b);
    }
  else
    {
      row->cells[COLUMN_COUNT_1] = g_strdup_printf ("%" G_GUINT64_FORMAT, r.both);
      row->cells[COLUMN_COUNT_2] = g_strdup_printf ("%" G_GUINT64_FORMAT, r.only_a);
      row->cells[COLUMN_COUNT_3] = g_strdup_printf ("%" G_GUINT64_FORMAT, r.only_b);
      row->cells[COLUMN_COUNT_4] = g_strdup_printf ("%" G_GUINT64_FORMAT, r.neither);
    }
  set_cell (row, COLUMN_PERCENT, r.percent, 1);
  set_cell (row, COLUMN_KAPPA, r.kappa, 3);
  set_cell (row, COLUMN_BP_KAPPA, r.bp_kappa, 3);
  set_cell (row, COLUMN_ALPHA, alpha.alpha, 3);
  if (alpha.alpha.undefined == TSR_DEFINED)
    row->tooltips[COLUMN_ALPHA] = g_strdup_printf (_("α on documents: %u documents, %g values; "
                                                     "observed disagreement %.4f, expected %.4f"),
                                                   alpha.n_units, alpha.n_values, alpha.observed, alpha.expected);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      TsrAgreementMean mean;

      set_cell (row, COLUMN_ALPHA_CHARACTERS, r.alpha, 3);
      tsr_agreement_get_document_mean_at (self->agreement, index, &mean);
      set_cell (row, COLUMN_MEAN_PERCENT, mean.percent, 1);
      set_cell (row, COLUMN_MEAN_KAPPA, mean.kappa, 3);
      if (mean.kappa.undefined == TSR_DEFINED)
        row->tooltips[COLUMN_MEAN_KAPPA] =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The mean of κ in %u document where either coder applied the code, "
                                        "weighted by length (%" G_GUINT64_FORMAT " characters)",
                                        "The mean of κ in %u documents where either coder applied the code, "
                                        "each weighted by its length (%" G_GUINT64_FORMAT " characters)",
                                        mean.n_documents),
                           mean.n_documents, mean.n_characters);
    }
  return row;
}

/* The heading above the themes' rows. */
static TsrAgreementTableRow *
make_heading_row (const char *label)
{
  TsrAgreementTableRow *row = g_object_new (TSR_TYPE_AGREEMENT_TABLE_ROW, NULL);

  row->pooled = TRUE;
  row->cells[COLUMN_CODE] = g_strdup (label);
  return row;
}

/* A code's character agreement in one document, below the code's row. */
static TsrAgreementTableRow *
make_document_row (TsrAgreementView       *self,
                   const TsrAgreementCell *cell,
                   guint                   depth)
{
  TsrAgreementTableRow *row = g_object_new (TSR_TYPE_AGREEMENT_TABLE_ROW, NULL);
  g_autoptr(TsrDocument) document = tsr_project_lookup_document (self->project, cell->document_id);

  row->depth = depth;
  row->document = TRUE;
  row->cells[COLUMN_CODE] = g_strdup (document ? tsr_document_get_name (document) : "");
  row->cells[COLUMN_COUNT_1] = g_strdup_printf ("%" G_GUINT64_FORMAT, cell->both);
  row->cells[COLUMN_COUNT_2] = g_strdup_printf ("%" G_GUINT64_FORMAT, cell->only_a);
  row->cells[COLUMN_COUNT_3] = g_strdup_printf ("%" G_GUINT64_FORMAT, cell->only_b);
  row->cells[COLUMN_COUNT_4] = g_strdup_printf ("%" G_GUINT64_FORMAT, cell->neither);
  set_cell (row, COLUMN_PERCENT, cell->percent, 1);
  set_cell (row, COLUMN_KAPPA, cell->kappa, 3);
  row->tooltips[COLUMN_CODE] = g_strdup (_("This document alone: its characters, and κ on them"));
  return row;
}

static void
update_columns (TsrAgreementView *self,
                TsrAgreementUnit  unit)
{
  gboolean segments = unit == TSR_AGREEMENT_SEGMENTS;
  g_autofree char *a = coder_name (self, selected_coder (self, self->coder_a_dropdown));
  g_autofree char *b = coder_name (self, selected_coder (self, self->coder_b_dropdown));

  if (segments)
    {
      g_autofree char *segments_a = g_strdup_printf (_("%s’s segments"), a);
      g_autofree char *segments_b = g_strdup_printf (_("%s’s segments"), b);

      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_1], segments_a);
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_2], _("Matched"));
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_3], segments_b);
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_4], _("Matched"));
    }
  else
    {
      g_autofree char *only_a = g_strdup_printf (_("Only %s"), a);
      g_autofree char *only_b = g_strdup_printf (_("Only %s"), b);

      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_1], _("Both"));
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_2], only_a);
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_3], only_b);
      gtk_column_view_column_set_title (self->columns[COLUMN_COUNT_4], _("Neither"));
    }
  gtk_column_view_column_set_visible (self->columns[COLUMN_KAPPA], !segments);
  gtk_column_view_column_set_visible (self->columns[COLUMN_BP_KAPPA], !segments);
  gtk_widget_set_visible (GTK_WIDGET (self->overlap_label), segments);
  gtk_widget_set_visible (GTK_WIDGET (self->overlap_spin), segments);
  gtk_widget_set_visible (GTK_WIDGET (self->touching_check), segments);
  gtk_widget_set_visible (GTK_WIDGET (self->per_document_check), unit == TSR_AGREEMENT_CHARACTERS);
  gtk_column_view_column_set_visible (self->columns[COLUMN_ALPHA_CHARACTERS], unit == TSR_AGREEMENT_CHARACTERS);
  gtk_column_view_column_set_visible (self->columns[COLUMN_MEAN_PERCENT], unit == TSR_AGREEMENT_CHARACTERS);
  gtk_column_view_column_set_visible (self->columns[COLUMN_MEAN_KAPPA], unit == TSR_AGREEMENT_CHARACTERS);
}

static void
fill_table (TsrAgreementView *self)
{
  TsrAgreementUnit unit = selected_unit (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean themes_begun = FALSE;
  g_autofree char *caption = NULL;
  g_autofree char *documents = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *pooling = NULL;
  gboolean per_document;
  g_autofree char *alpha_text = NULL;
  g_autofree char *rows_text = NULL;

  update_columns (self, unit);
  if (self->agreement == NULL)
    {
      g_list_store_remove_all (self->table_rows);
      gtk_label_set_label (self->caption_label, "");
      return;
    }

  per_document = unit == TSR_AGREEMENT_CHARACTERS && gtk_check_button_get_active (self->per_document_check);
  for (guint i = 0; i < tsr_agreement_get_n_rows (self->agreement); i++)
    {
      TsrAgreementRow r;

      tsr_agreement_get_row_at (self->agreement, i, TSR_AGREEMENT_PRESENCE, &r);
      if (r.kind == TSR_AGREEMENT_ROW_THEME && !themes_begun)
        {
          g_ptr_array_add (rows, make_heading_row (_("Themes")));
          themes_begun = TRUE;
        }
      g_ptr_array_add (rows, make_row (self, i, unit));
      if (per_document && r.kind != TSR_AGREEMENT_ROW_POOLED)
        for (guint k = 0; k < tsr_agreement_get_n_cells_at (self->agreement, i); k++)
          {
            TsrAgreementCell cell;

            tsr_agreement_get_cell_at (self->agreement, i, k, &cell);
            g_ptr_array_add (rows, make_document_row (self, &cell, r.depth + 1));
          }
    }
  g_list_store_splice (self->table_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->table_rows)),
                       rows->pdata, rows->len);

  documents = tsr_agreement_describe_documents_brief (self->agreement, self->project, 3);
  definition = tsr_agreement_describe_unit (self->agreement, unit);
  pooling = tsr_agreement_describe_pooling (self->agreement, self->project, FALSE);
  alpha_text = tsr_agreement_describe_alpha (self->agreement, unit);
  rows_text = tsr_agreement_describe_rows (self->agreement);
  if (unit == TSR_AGREEMENT_CHARACTERS)
    {
      g_autofree char *means = tsr_agreement_describe_document_mean ();
      g_autofree char *both = g_strdup_printf ("%s %s", alpha_text, means);

      g_free (alpha_text);
      alpha_text = g_steal_pointer (&both);
    }
  caption = g_strdup_printf ("%s %s %s%s%s %s", definition, alpha_text, rows_text, rows_text[0] ? " " : "",
                             pooling, documents);
  gtk_label_set_label (self->caption_label, caption);
  /* Every document left out, by name, on demand. */
  {
    g_autofree char *all = tsr_agreement_describe_documents (self->agreement, self->project);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->caption_label), all);
  }
  update_none_page (self);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_CODE ? 0.0 : 1.0);
  if (column != COLUMN_CODE)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      /* A narrow window scrolls the table rather than cut the names. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  TsrAgreementTableRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), row->cells[column] ? row->cells[column] : "");
  gtk_widget_set_tooltip_text (label, row->tooltips[column]);
  gtk_widget_set_margin_start (label, column == COLUMN_CODE ? 18 * row->depth : 0);
  if (row->pooled)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
  if (row->document)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static void
add_columns (TsrAgreementView *self)
{
  const char *titles[N_COLUMNS] = {
    _("Code"), _("Both"), _("Only A"), _("Only B"), _("Neither"),
    _("Agreement %"), _("Cohen’s κ"), _("B–P κ"), _("α (documents)"), _("α (characters)"),
    _("Mean % per document"), _("Mean κ per document"),
  };

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
      column = gtk_column_view_column_new (titles[c], factory);
      gtk_column_view_column_set_expand (column, c == COLUMN_CODE);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->table_view, column);
      self->columns[c] = column;
      g_object_unref (column);
    }
}

/* What the empty list of disagreements says: that nothing is compared
 * when nothing is, rather than that the coders agree. */
static void
update_none_page (TsrAgreementView *self)
{
  if (self->agreement != NULL && tsr_agreement_get_n_compared (self->agreement) == 0)
    {
      adw_status_page_set_title (self->none_page, _("No Documents Compared"));
      adw_status_page_set_description (self->none_page,
                                       tsr_agreement_get_documents (self->agreement) == TSR_AGREEMENT_DONE_DOCUMENTS
                                       ? _("A document is compared once both coders mark it Done in the Code view.")
                                       : _("Both coders need documents to compare."));
      return;
    }
  adw_status_page_set_title (self->none_page, _("No Disagreements"));
  adw_status_page_set_description (self->none_page, _("In the documents compared, their coding is identical."));
}

/* The disagreements ---------------------------------------------------- */

static const char *
resolution_label (TsrResolution resolution)
{
  switch (resolution)
    {
    case TSR_RESOLUTION_ACCEPT_A:
      return _("A accepted");
    case TSR_RESOLUTION_ACCEPT_B:
      return _("B accepted");
    case TSR_RESOLUTION_ACCEPT_BOTH:
      return _("Both accepted");
    case TSR_RESOLUTION_REJECT:
      return _("Rejected");
    case TSR_RESOLUTION_NONE:
    default:
      return _("Not resolved");
    }
}

static const char *
kind_label (TsrDisagreementKind kind)
{
  switch (kind)
    {
    case TSR_DISAGREEMENT_ONLY_A:
      return _("only A coded it");
    case TSR_DISAGREEMENT_ONLY_B:
      return _("only B coded it");
    case TSR_DISAGREEMENT_SPANS_DIFFER:
    default:
      return _("different spans");
    }
}

static void
setup_disagreement_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (item, box);
}

static void
bind_disagreement_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  TsrAgreementView *self = user_data;
  TsrDisagreement *d = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, tsr_disagreement_get_code_id (d));
  g_autoptr(TsrDocument) document = tsr_project_lookup_document (self->project, tsr_disagreement_get_document_id (d));
  TsrResolution resolution = tsr_disagreement_get_resolution (d);
  g_autofree char *line = g_strdup_printf ("%s · %s · %s", document ? tsr_document_get_name (document) : "",
                                           kind_label (tsr_disagreement_get_kind (d)),
                                           resolution_label (resolution));

  gtk_label_set_label (GTK_LABEL (title), code ? tsr_code_get_name (code) : "");
  gtk_label_set_label (GTK_LABEL (subtitle), line);
  if (resolution == TSR_RESOLUTION_NONE)
    gtk_widget_remove_css_class (title, "dim-label");
  else
    gtk_widget_add_css_class (title, "dim-label");
}

/* The context of a passage, with @spans highlighted. */
static char *
context_markup (const char  *text,
                guint        context_start,
                const guint *spans,
                guint        n_spans,
                gboolean     cut_before,
                gboolean     cut_after)
{
  GString *markup = g_string_new (cut_before ? "… " : "");
  guint length = g_utf8_strlen (text, -1);
  guint at = 0;

  for (guint i = 0; i <= n_spans; i++)
    {
      guint start = i < n_spans ? MIN (spans[2 * i] - context_start, length) : length;
      guint end = i < n_spans ? MIN (spans[2 * i + 1] - context_start, length) : length;
      const char *from = g_utf8_offset_to_pointer (text, at);
      const char *to = g_utf8_offset_to_pointer (text, MAX (start, at));
      g_autofree char *plain = g_markup_escape_text (from, to - from);

      g_string_append (markup, plain);
      if (i < n_spans && end > start)
        {
          const char *span_to = g_utf8_offset_to_pointer (text, end);
          g_autofree char *coded = g_markup_escape_text (to, span_to - to);

          g_string_append_printf (markup, "<span background=\"#f5c21199\" underline=\"single\">%s</span>", coded);
        }
      at = MAX (at, end);
    }
  if (cut_after)
    g_string_append (markup, " …");
  return g_string_free (markup, FALSE);
}

static TsrDisagreement *
selected_disagreement (TsrAgreementView *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static void
show_detail (TsrAgreementView *self)
{
  TsrDisagreement *d = selected_disagreement (self);
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(TsrDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name_a = NULL;
  g_autofree char *name_b = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  const guint *spans;
  guint n_spans, ctx_start, ctx_end;

  if (d == NULL)
    {
      gboolean any = self->disagreements != NULL && g_list_model_get_n_items (self->disagreements) > 0;

      if (any)
        adw_status_page_set_title (self->none_page, _("No Disagreement Selected"));
      else
        update_none_page (self);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.resolve", FALSE);
      return;
    }

  code = tsr_project_lookup_code (self->project, tsr_disagreement_get_code_id (d));
  document = tsr_project_lookup_document (self->project, tsr_disagreement_get_document_id (d));
  name_a = coder_name (self, tsr_disagreement_get_coder_a (d));
  name_b = coder_name (self, tsr_disagreement_get_coder_b (d));
  ctx_start = tsr_disagreement_get_context_start (d);
  ctx_end = tsr_disagreement_get_context_end (d);
  text = tsr_project_get_passage (self->project, tsr_disagreement_get_document_id (d), ctx_start, ctx_end, &error);
  if (text == NULL)
    {
      show_toast (self, error->message);
      text = g_strdup ("");
    }

  title = g_strdup_printf (_("“%s” in %s"), code ? tsr_code_get_name (code) : "",
                           document ? tsr_document_get_name (document) : "");
  gtk_label_set_label (self->detail_title, title);
  gtk_label_set_label (self->detail_state, resolution_label (tsr_disagreement_get_resolution (d)));

  for (guint side = TSR_SIDE_A; side <= TSR_SIDE_B; side++)
    {
      g_autofree char *markup = NULL;
      g_autofree char *heading = NULL;

      spans = tsr_disagreement_get_spans (d, side, &n_spans);
      markup = context_markup (text, ctx_start, spans, n_spans, ctx_start > 0,
                               document && ctx_end < tsr_document_get_length (document));
      heading = n_spans == 0
        ? g_strdup_printf (_("%s did not code it"), side == TSR_SIDE_A ? name_a : name_b)
        : g_strdup (side == TSR_SIDE_A ? name_a : name_b);
      gtk_label_set_markup (side == TSR_SIDE_A ? self->side_a_text : self->side_b_text, markup);
      gtk_label_set_label (side == TSR_SIDE_A ? self->side_a_title : self->side_b_title, heading);
    }

  /* Translators: a button; %s is a coder's name */
  label = g_strdup_printf (_("Accept %s"), name_a);
  gtk_button_set_label (self->accept_a_button, label);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf (_("Accept %s"), name_b);
  gtk_button_set_label (self->accept_b_button, label);

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.resolve", TRUE);
}

static void
update_progress (TsrAgreementView *self)
{
  guint n = self->disagreements ? g_list_model_get_n_items (self->disagreements) : 0;
  guint resolved = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (self->disagreements, i);
      resolved += tsr_disagreement_get_resolution (d) != TSR_RESOLUTION_NONE;
    }

  /* Translators: progress through the disagreements, "12 of 40 resolved" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u resolved", "%u of %u resolved", n), resolved, n);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) resolved / n : 1.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

static void
on_selection_changed_cb (TsrAgreementView *self)
{
  show_detail (self);
}

static void
select_next_unresolved (TsrAgreementView *self,
                        guint             from)
{
  guint n = g_list_model_get_n_items (self->disagreements);

  for (guint k = 0; k < n; k++)
    {
      guint i = (from + k) % n;
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (self->disagreements, i);

      if (tsr_disagreement_get_resolution (d) == TSR_RESOLUTION_NONE)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->disagreement_list), "list.scroll-to-item", "u", i);
          return;
        }
    }
  if (n > 0)
    gtk_single_selection_set_selected (self->selection, MIN (from, n - 1));
}

static void
load_disagreements (TsrAgreementView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 a = selected_coder (self, self->coder_a_dropdown);
  gint64 b = selected_coder (self, self->coder_b_dropdown);
  guint keep = self->selection ? gtk_single_selection_get_selected (self->selection) : GTK_INVALID_LIST_POSITION;
  GListModel *list = NULL;

  if (self->project != NULL && a != 0 && b != 0 && a != b)
    {
      list = tsr_project_list_disagreements (self->project, a, b, 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
      if (list == NULL)
        show_toast (self, error->message);
    }
  if (list == NULL)
    list = G_LIST_MODEL (g_list_store_new (TSR_TYPE_DISAGREEMENT));

  g_clear_object (&self->disagreements);
  self->disagreements = list;

  g_signal_handlers_disconnect_by_func (self->selection, on_selection_changed_cb, self);
  gtk_single_selection_set_model (self->selection, g_object_ref (list));
  g_object_unref (list);
  if (self->advance_from != GTK_INVALID_LIST_POSITION)
    {
      select_next_unresolved (self, self->advance_from);
      self->advance_from = GTK_INVALID_LIST_POSITION;
    }
  else if (keep != GTK_INVALID_LIST_POSITION && keep < g_list_model_get_n_items (list))
    gtk_single_selection_set_selected (self->selection, keep);
  else
    select_next_unresolved (self, 0);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_selection_changed_cb), self);

  update_progress (self);
  show_detail (self);
  if (a == b)
    adw_status_page_set_description (self->none_page, _("Choose two different coders."));
}

/* Computing ------------------------------------------------------------ */

typedef struct
{
  TsrAgreementView *view;
  GCancellable     *cancellable;
} Computation;

static void
on_agreement_ready_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Computation *computation = user_data;
  TsrAgreementView *self = computation->view;
  g_autoptr(GError) error = NULL;
  TsrAgreement *agreement = tsr_project_compute_agreement_finish (NULL, result, &error);
  gboolean current = !g_cancellable_is_cancelled (computation->cancellable);

  g_object_unref (computation->cancellable);
  g_free (computation);

  /* A computation that was replaced, or whose project closed. */
  if (!current)
    {
      g_clear_pointer (&agreement, tsr_agreement_unref);
      g_object_unref (self);
      return;
    }

  if (agreement == NULL)
    {
      set_busy (self, FALSE);
      show_toast (self, error->message);
      g_object_unref (self);
      return;
    }

  g_clear_pointer (&self->agreement, tsr_agreement_unref);
  self->agreement = agreement;
  fill_table (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.export", TRUE);
  set_busy (self, FALSE);
  g_object_unref (self);
}

static void
refresh (TsrAgreementView *self)
{
  gint64 coders[2];

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->project == NULL || !load_coders (self))
    {
      gtk_stack_set_visible_child_name (self->stack, "no-coders");
      g_clear_pointer (&self->agreement, tsr_agreement_unref);
      set_busy (self, FALSE);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "agreement");

  coders[0] = selected_coder (self, self->coder_a_dropdown);
  coders[1] = selected_coder (self, self->coder_b_dropdown);
  load_disagreements (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.adopt", coders[0] != coders[1]);

  if (coders[0] == coders[1])
    {
      g_clear_pointer (&self->agreement, tsr_agreement_unref);
      fill_table (self);
      gtk_label_set_label (self->caption_label, _("Choose two different coders to compare."));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.export", FALSE);
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  {
    Computation *computation = g_new0 (Computation, 1);

    computation->view = g_object_ref (self);
    computation->cancellable = g_object_ref (self->cancellable);
    tsr_project_compute_agreement_async (self->project, coders, 2, gtk_spin_button_get_value (self->overlap_spin),
                                         gtk_check_button_get_active (self->touching_check)
                                           ? TSR_AGREEMENT_MERGE_TOUCHING : TSR_AGREEMENT_DEFAULT,
                                         self->cancellable, on_agreement_ready_cb, computation);
  }
}

static gboolean
on_refresh_timeout_cb (gpointer user_data)
{
  TsrAgreementView *self = user_data;

  self->refresh_source = 0;
  self->stale = FALSE;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (TsrAgreementView *self)
{
  if (self->refresh_source != 0 || self->updating)
    return;
  /* While another view is shown, coding goes on there: compute when this
   * view is shown again rather than after every edit. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->refresh_source = g_idle_add (on_refresh_timeout_cb, self);
}

static void
tsr_agreement_view_map (GtkWidget *widget)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (widget);

  GTK_WIDGET_CLASS (tsr_agreement_view_parent_class)->map (widget);
  if (self->stale)
    {
      self->stale = FALSE;
      schedule_refresh (self);
    }
}

static void
on_project_changed_cb (TsrProject       *project,
                       guint             flags,
                       TsrAgreementView *self)
{
  if (flags & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODES | TSR_CHANGE_CODERS | TSR_CHANGE_DOCUMENTS))
    schedule_refresh (self);
}

static void
on_choice_changed_cb (TsrAgreementView *self)
{
  if (self->updating)
    return;
  self->advance_from = GTK_INVALID_LIST_POSITION;
  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  schedule_refresh (self);
}

static void
on_unit_changed_cb (TsrAgreementView *self)
{
  /* The unit only changes which rows are shown. */
  if (self->agreement != NULL)
    fill_table (self);
  else
    update_columns (self, selected_unit (self));
}

static void
on_overlap_changed_cb (TsrAgreementView *self)
{
  schedule_refresh (self);
}

/* Actions -------------------------------------------------------------- */

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (widget);
  TsrDisagreement *d = selected_disagreement (self);
  g_autoptr(GError) error = NULL;
  TsrResolution resolution;

  if (d == NULL || !tsr_resolution_from_string (g_variant_get_string (param, NULL), &resolution))
    return;

  self->advance_from = gtk_single_selection_get_selected (self->selection);
  if (!tsr_project_resolve_disagreement (self->project, d, resolution, &error))
    {
      self->advance_from = GTK_INVALID_LIST_POSITION;
      show_toast (self, error->message);
      /* The coding changed under the list: list again. */
      schedule_refresh (self);
    }
}

static void
adopt_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (!tsr_project_adopt_agreements (self->project, selected_coder (self, self->coder_a_dropdown),
                                     selected_coder (self, self->coder_b_dropdown), &n, &error))
    {
      show_toast (self, error->message);
      return;
    }
  if (n == 0)
    message = g_strdup (_("The consensus already holds every agreed passage"));
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied %u agreed passage to the consensus",
                                            "Copied %u agreed passages to the consensus", n), n);
  show_toast (self, message);
}

typedef struct
{
  TsrAgreementView  *view;
  TsrExportDocument *document;
  TsrExportFormat    format;
} ExportRequest;

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  ExportRequest *request = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (file != NULL &&
          !tsr_export_document_save (request->document, request->format,
                                     request->format == TSR_EXPORT_CSV ? TSR_EXPORT_CSV_BOM : TSR_EXPORT_FLAGS_NONE,
                                     file, NULL, &error))
        show_toast (request->view, error->message);
      else if (file != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);
          show_toast (request->view, message);
        }
    }

  g_object_unref (request->view);
  tsr_export_document_unref (request->document);
  g_free (request);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (widget);
  GtkFileChooserNative *chooser;
  ExportRequest *request;
  TsrExportFormat format;
  g_autofree char *name = NULL;

  if (self->agreement == NULL || !tsr_export_format_from_string (g_variant_get_string (param, NULL), &format))
    return;

  request = g_new0 (ExportRequest, 1);
  request->view = g_object_ref (self);
  request->document = tsr_agreement_to_document (self->agreement, self->project, selected_unit (self),
                                                 gtk_check_button_get_active (self->per_document_check));
  request->format = format;

  chooser = gtk_file_chooser_native_new (_("Export the Agreement Table"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file name offered for the agreement table, without extension */
  name = g_strconcat (_("Agreement"), ".", tsr_export_format_get_extension (format), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (widget);
  guint n = self->disagreements ? g_list_model_get_n_items (self->disagreements) : 0;
  guint i = gtk_single_selection_get_selected (self->selection);
  gboolean forward = g_str_equal (action_name, "agreement.next");

  if (n == 0)
    return;
  if (i == GTK_INVALID_LIST_POSITION)
    i = 0;
  else
    i = forward ? MIN (i + 1, n - 1) : (i > 0 ? i - 1 : 0);
  gtk_single_selection_set_selected (self->selection, i);
  gtk_widget_activate_action (GTK_WIDGET (self->disagreement_list), "list.scroll-to-item", "u", i);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_agreement_view_dispose (GObject *object)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (object);

  set_project (self, NULL);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->agreement, tsr_agreement_unref);
  g_clear_object (&self->disagreements);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_AGREEMENT_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->table_rows);

  G_OBJECT_CLASS (tsr_agreement_view_parent_class)->dispose (object);
}

static void
tsr_agreement_view_finalize (GObject *object)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (object);

  g_array_unref (self->coder_ids);

  G_OBJECT_CLASS (tsr_agreement_view_parent_class)->finalize (object);
}

static void
tsr_agreement_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_agreement_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TsrAgreementView *self = TSR_AGREEMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A button whose label wraps rather than widen a narrow window; later
 * gtk_button_set_label() calls keep the label. */
static void
wrap_button_label (GtkButton *button)
{
  GtkWidget *label;

  gtk_button_set_label (button, "");
  gtk_button_set_use_underline (button, TRUE);
  label = gtk_button_get_child (button);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
}

static void
tsr_agreement_view_class_init (TsrAgreementViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_agreement_view_dispose;
  object_class->finalize = tsr_agreement_view_finalize;
  object_class->get_property = tsr_agreement_view_get_property;
  object_class->set_property = tsr_agreement_view_set_property;
  widget_class->map = tsr_agreement_view_map;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The window's session, set once: the view shows its project. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-agreement-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, coder_a_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, coder_b_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, overlap_label);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, overlap_spin);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, touching_check);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, per_document_check);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, caption_label);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, table_view);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, disagreement_list);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, none_page);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, detail_state);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, side_a_title);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, side_a_text);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, side_b_title);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, side_b_text);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, disagreement_flap);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, accept_a_button);
  gtk_widget_class_bind_template_child (widget_class, TsrAgreementView, accept_b_button);

  gtk_widget_class_install_action (widget_class, "agreement.resolve", "s", resolve_action);
  gtk_widget_class_install_action (widget_class, "agreement.adopt", NULL, adopt_action);
  gtk_widget_class_install_action (widget_class, "agreement.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "agreement.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "agreement.previous", NULL, next_action);

  /* Deciding from the keyboard: Alt+1 to Alt+4, Alt+Down / Alt+Up. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "agreement.resolve", "s", "accept_a");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "agreement.resolve", "s", "accept_b");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "agreement.resolve", "s", "accept_both");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "agreement.resolve", "s", "reject");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "agreement.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "agreement.previous", NULL);
}

static void
tsr_agreement_view_init (TsrAgreementView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  wrap_button_label (self->accept_a_button);
  wrap_button_label (self->accept_b_button);

  self->coder_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->advance_from = GTK_INVALID_LIST_POSITION;

  self->table_rows = g_list_store_new (TSR_TYPE_AGREEMENT_TABLE_ROW);
  gtk_column_view_set_model (self->table_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->table_rows)))));
  add_columns (self);

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_list_store_new (TSR_TYPE_DISAGREEMENT)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->disagreement_list, GTK_SELECTION_MODEL (self->selection));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_disagreement_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_disagreement_cb), self);
  gtk_list_view_set_factory (self->disagreement_list, factory);
  g_object_unref (factory);

  g_signal_connect_swapped (self->coder_a_dropdown, "notify::selected", G_CALLBACK (on_choice_changed_cb), self);
  g_signal_connect_swapped (self->coder_b_dropdown, "notify::selected", G_CALLBACK (on_choice_changed_cb), self);
  g_signal_connect_swapped (self->unit_dropdown, "notify::selected", G_CALLBACK (on_unit_changed_cb), self);
  g_signal_connect_swapped (self->overlap_spin, "value-changed", G_CALLBACK (on_overlap_changed_cb), self);
  g_signal_connect_swapped (self->touching_check, "toggled", G_CALLBACK (on_overlap_changed_cb), self);
  g_signal_connect_swapped (self->per_document_check, "toggled", G_CALLBACK (on_unit_changed_cb), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.resolve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agreement.export", FALSE);
  update_columns (self, TSR_AGREEMENT_PRESENCE);
  gtk_stack_set_visible_child_name (self->stack, "no-coders");
}

/* Public API --------------------------------------------------------- */

TsrProject *
tsr_agreement_view_get_project (TsrAgreementView *self)
{
  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), NULL);
  return self->project;
}

static void
set_project (TsrAgreementView *self,
             TsrProject       *project)
{
  if (self->project == project)
    return;

  g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);
  g_clear_pointer (&self->agreement, tsr_agreement_unref);
  g_array_set_size (self->coder_ids, 0);
  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        refresh (self);
      else
        {
          /* Computed when the view is first shown. */
          g_list_store_remove_all (self->table_rows);
          self->stale = TRUE;
        }
    }
  else
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_handle_id (&self->refresh_source, g_source_remove);
      if (self->table_rows != NULL)
        g_list_store_remove_all (self->table_rows);
      if (self->selection != NULL)
        {
          GListModel *empty = G_LIST_MODEL (g_list_store_new (TSR_TYPE_DISAGREEMENT));

          g_signal_handlers_disconnect_by_func (self->selection, on_selection_changed_cb, self);
          gtk_single_selection_set_model (self->selection, empty);
          g_object_unref (empty);
        }
      g_clear_object (&self->disagreements);
      set_busy (self, FALSE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

/**
 * tsr_agreement_view_set_coders:
 *
 * Compares @coder_a with @coder_b.
 *
 * Returns: %FALSE if either is not a coder of the project
 */
gboolean
tsr_agreement_view_set_coders (TsrAgreementView *self,
                               gint64            coder_a,
                               gint64            coder_b)
{
  guint ia = GTK_INVALID_LIST_POSITION, ib = GTK_INVALID_LIST_POSITION;

  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), FALSE);

  for (guint i = 0; i < self->coder_ids->len; i++)
    {
      if (g_array_index (self->coder_ids, gint64, i) == coder_a)
        ia = i;
      if (g_array_index (self->coder_ids, gint64, i) == coder_b)
        ib = i;
    }
  if (ia == GTK_INVALID_LIST_POSITION || ib == GTK_INVALID_LIST_POSITION)
    return FALSE;

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->coder_a_dropdown, ia);
  gtk_drop_down_set_selected (self->coder_b_dropdown, ib);
  self->updating = FALSE;
  refresh (self);
  return TRUE;
}

void
tsr_agreement_view_set_unit (TsrAgreementView *self,
                             TsrAgreementUnit  unit)
{
  g_return_if_fail (TSR_IS_AGREEMENT_VIEW (self));
  gtk_drop_down_set_selected (self->unit_dropdown, unit);
}

/** tsr_agreement_view_get_agreement: Returns: (transfer none) (nullable): the agreement shown */
TsrAgreement *
tsr_agreement_view_get_agreement (TsrAgreementView *self)
{
  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), NULL);
  return self->agreement;
}

/** tsr_agreement_view_get_table_model: Returns: (transfer none): the table's rows */
GListModel *
tsr_agreement_view_get_table_model (TsrAgreementView *self)
{
  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), NULL);
  return G_LIST_MODEL (self->table_rows);
}

/** tsr_agreement_view_get_disagreements: Returns: (transfer none) (nullable): the disagreements listed */
GListModel *
tsr_agreement_view_get_disagreements (TsrAgreementView *self)
{
  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), NULL);
  return self->disagreements;
}

gboolean
tsr_agreement_view_get_busy (TsrAgreementView *self)
{
  g_return_val_if_fail (TSR_IS_AGREEMENT_VIEW (self), FALSE);
  return self->busy;
}
