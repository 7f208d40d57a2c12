/* tsr-matrix-view.c — the comparison matrix: codes or themes across cases
 * or attribute values
 *
 * The Compare view shows one #TsrMatrix from the core: rows are the codes
 * or themes as a tree (a row with rows below it folds them away), columns
 * the cases, the values of a document attribute, or each case split by
 * an attribute's values.  A cell shows n, the passages or n as a
 * percentage of its column, shaded by its value against the largest in
 * the table; a click on a cell lists its passages beside the matrix, and
 * a passage opens in the Code view.  The table can be transposed and
 * exported in every format the reports have, through the same document
 * model and writers.
 *
 * The matrix is rebuilt on the main thread when the project changes and
 * the view is shown (the core builds one for 10,000 documents and
 * 1,000,000 passages in about a fifth of a second), after a short pause
 * so that a burst of edits rebuilds once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tsr-matrix-view.h"
#include "tsr-scope-choice.h"
#include "tsr-session.h"
#include "tsr-window.h"

/* Shown at most in the passages pane; the rest are counted. */
#define MAX_PASSAGES_SHOWN 300
/* Shading steps: tsr-shade-0 (empty) … tsr-shade-5 (the largest). */
#define N_SHADES 5

struct _TsrMatrixView
{
  GtkWidget           parent_instance;

  TsrProject         *project;
  gulong              changed_handler;
  TsrMatrix          *matrix;
  guint               rebuild_source;
  gboolean            dirty;
  gboolean            filling;
  GPtrArray          *column_choices;    /* char*: "" for cases, else an attribute; see choice_* */
  GArray             *row_widgets;       /* GPtrArray* per matrix row: the widgets of its grid row */
  GArray             *folded;            /* gboolean per matrix row */
  guint               shown_row;         /* the cell whose passages show */
  guint               shown_column;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkDropDown        *rows_dropdown;
  GtkDropDown        *columns_dropdown;
  GtkDropDown        *cells_dropdown;
  GtkDropDown        *scope_dropdown;
  GtkToggleButton    *transpose_button;
  GtkStack           *stack;
  GtkLabel           *caption_label;
  GtkGrid            *grid;
  AdwStatusPage      *empty_page;
  GtkWidget          *passages_pane;
  GtkLabel           *passages_title;
  GtkLabel           *passages_subtitle;
  GtkListBox         *passages_list;
};

G_DEFINE_FINAL_TYPE (TsrMatrixView, tsr_matrix_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_MATRIX,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void rebuild      (TsrMatrixView *self);
static void render       (TsrMatrixView *self);

/* A column choice is "" (a column per case), "=NAME" (the values of the
 * document attribute NAME) or "+NAME" (each case split by NAME). */
static const char *
current_choice (TsrMatrixView *self)
{
  guint selected = gtk_drop_down_get_selected (self->columns_dropdown);

  if (self->column_choices == NULL || selected >= self->column_choices->len)
    return "";
  return self->column_choices->pdata[selected];
}

static void
show_toast (TsrMatrixView *self,
            const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static TsrMatrixCell
current_cell (TsrMatrixView *self)
{
  return MIN (gtk_drop_down_get_selected (self->cells_dropdown), TSR_MATRIX_CELL_PERCENT);
}

/* The choices of columns: cases, then each document attribute's values,
 * then cases split by each; the choice made is kept when still there. */
static void
fill_columns (TsrMatrixView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_strdup (current_choice (self));
  GPtrArray *choices = g_ptr_array_new_with_free_func (g_free);
  guint select = 0;

  gtk_string_list_append (list, _("Cases"));
  g_ptr_array_add (choices, g_strdup (""));
  if (self->project != NULL)
    {
      g_autoptr(GListModel) attributes = tsr_project_get_attributes (self->project);
      guint n = g_list_model_get_n_items (attributes);

      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n; i++)
          {
            g_autoptr(TsrAttribute) a = g_list_model_get_item (attributes, i);
            g_autofree char *label = NULL;

            if (tsr_attribute_get_target (a) != TSR_ATTRIBUTE_ON_DOCUMENTS)
              continue;
            /* Translators: a choice of columns: the values of an attribute */
            label = pass == 0 ? g_strdup_printf (_("By %s"), tsr_attribute_get_name (a))
                              /* Translators: a choice of columns: each case split by an attribute */
                              : g_strdup_printf (_("Cases by %s"), tsr_attribute_get_name (a));
            gtk_string_list_append (list, label);
            g_ptr_array_add (choices, g_strconcat (pass == 0 ? "=" : "+", tsr_attribute_get_name (a), NULL));
          }
    }
  for (guint i = 0; i < choices->len; i++)
    if (g_str_equal (choices->pdata[i], chosen))
      select = i;

  self->filling = TRUE;
  g_clear_pointer (&self->column_choices, g_ptr_array_unref);
  self->column_choices = choices;
  gtk_drop_down_set_model (self->columns_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->columns_dropdown, select);
  self->filling = FALSE;
}

/* Building ------------------------------------------------------------ */

static void
rebuild (TsrMatrixView *self)
{
  g_autoptr(TsrScope) scope = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) cases = NULL;
  const char *choice;
  TsrMatrixRows rows;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  self->dirty = FALSE;
  g_clear_pointer (&self->matrix, tsr_matrix_unref);

  if (self->project == NULL)
    {
      render (self);
      return;
    }

  choice = current_choice (self);
  rows = gtk_drop_down_get_selected (self->rows_dropdown) == 1 ? TSR_MATRIX_ROWS_THEMES : TSR_MATRIX_ROWS_CODES;
  scope = tsr_scope_choice_get_scope (self->scope_dropdown);
  cases = tsr_project_get_cases (self->project);

  if (*choice != '=' && g_list_model_get_n_items (cases) == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Cases Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Create cases under the documents in the Code view and drag documents "
                                         "onto them, or compare by a document attribute."));
    }
  else
    {
      self->matrix = tsr_project_build_matrix_full (self->project, scope, rows, *choice != '=',
                                                    *choice != '\0' ? choice + 1 : NULL, NULL, &error);
      if (self->matrix == NULL)
        {
          adw_status_page_set_title (self->empty_page, _("Nothing to Compare"));
          adw_status_page_set_description (self->empty_page, error->message);
        }
      else if (tsr_matrix_get_n_rows (self->matrix) == 0)
        {
          adw_status_page_set_title (self->empty_page, rows == TSR_MATRIX_ROWS_THEMES ? _("No Themes Yet")
                                                                                      : _("No Codes Yet"));
          adw_status_page_set_description (self->empty_page,
                                           rows == TSR_MATRIX_ROWS_THEMES
                                           ? _("Gather codes into themes in the Themes view to compare them.")
                                           : _("Code passages in the Code view to compare them."));
        }
    }
  render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MATRIX]);
}

static gboolean
on_rebuild_timeout_cb (gpointer user_data)
{
  TsrMatrixView *self = user_data;

  self->rebuild_source = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (TsrMatrixView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->rebuild_source == 0)
    self->rebuild_source = g_timeout_add (150, on_rebuild_timeout_cb, self);
}

/* Drawing the grid ----------------------------------------------------- */

static void
clear_grid (TsrMatrixView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  for (guint i = 0; i < self->row_widgets->len; i++)
    g_ptr_array_unref (g_array_index (self->row_widgets, GPtrArray *, i));
  g_array_set_size (self->row_widgets, 0);
}

/* "2 documents", "3 passages", "50.0%" */
static char *
describe_value (TsrMatrixView *self,
                TsrMatrixCell  cell,
                guint          row,
                guint          column)
{
  g_autofree char *text = tsr_matrix_format_value (self->matrix, cell, row, column);
  guint n = (guint) tsr_matrix_get_value (self->matrix, cell, row, column);

  switch (cell)
    {
    case TSR_MATRIX_CELL_PASSAGES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u passage", "%u passages", n), n);
    case TSR_MATRIX_CELL_PERCENT:
      /* Translators: a cell's value, a percentage of the column's documents */
      return g_strdup_printf (_("%s%% of the documents"), text);
    case TSR_MATRIX_CELL_DOCUMENTS:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", n), n);
    }
}

static GtkWidget *
header_label (const char *text,
              const char *tooltip,
              gboolean    bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_widget_set_tooltip_text (label, tooltip);
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void on_cell_clicked_cb (GtkButton     *button,
                                TsrMatrixView *self);

static GtkWidget *
cell_button (TsrMatrixView *self,
             TsrMatrixCell  cell,
             guint          row,
             guint          column,
             double         max)
{
  g_autofree char *text = tsr_matrix_format_value (self->matrix, cell, row, column);
  g_autofree char *what = describe_value (self, cell, row, column);
  /* Translators: a matrix cell as a screen reader reads it and its
   * tooltip: "Compassion in Dyad 3: 2 documents" */
  g_autofree char *label = g_strdup_printf (_("%s in %s: %s"), tsr_matrix_get_row_name (self->matrix, row),
                                            tsr_matrix_get_column_name (self->matrix, column), what);
  double value = tsr_matrix_get_value (self->matrix, cell, row, column);
  GtkWidget *button = gtk_button_new_with_label (text);
  g_autofree char *shade = NULL;
  guint step = 0;

  if (!isnan (value) && value > 0 && max > 0)
    step = MAX (1, (guint) ceil (N_SHADES * value / max));
  shade = g_strdup_printf ("tsr-shade-%u", MIN (step, N_SHADES));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "tsr-matrix-cell");
  gtk_widget_add_css_class (button, shade);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "tsr-row", GUINT_TO_POINTER (row));
  g_object_set_data (G_OBJECT (button), "tsr-column", GUINT_TO_POINTER (column));
  g_signal_connect (button, "clicked", G_CALLBACK (on_cell_clicked_cb), self);
  return button;
}

/* Whether a row is hidden: one of its ancestors is folded. */
static gboolean
row_hidden (TsrMatrixView *self,
            guint          row)
{
  guint depth = tsr_matrix_get_row_depth (self->matrix, row);

  for (guint r = row; r > 0 && depth > 0; r--)
    {
      guint d = tsr_matrix_get_row_depth (self->matrix, r - 1);

      if (d < depth)
        {
          if (g_array_index (self->folded, gboolean, r - 1))
            return TRUE;
          depth = d;
        }
    }
  return FALSE;
}

static void
update_folding (TsrMatrixView *self)
{
  for (guint r = 0; r < self->row_widgets->len; r++)
    {
      GPtrArray *widgets = g_array_index (self->row_widgets, GPtrArray *, r);
      gboolean visible = !row_hidden (self, r);

      for (guint i = 0; i < widgets->len; i++)
        gtk_widget_set_visible (widgets->pdata[i], visible);
    }
}

static void
on_fold_toggled_cb (GtkToggleButton *button,
                    TsrMatrixView   *self)
{
  guint row = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-row"));
  gboolean open = gtk_toggle_button_get_active (button);

  if (self->matrix == NULL || row >= self->folded->len)
    return;
  g_array_index (self->folded, gboolean, row) = !open;
  gtk_button_set_icon_name (GTK_BUTTON (button), open ? "pan-down-symbolic" : "pan-end-symbolic");
  update_folding (self);
}

/* A row's header: folded away or not, indented by its level. */
static GtkWidget *
row_header (TsrMatrixView *self,
            guint          row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  guint depth = tsr_matrix_get_row_depth (self->matrix, row);
  gboolean parent = row + 1 < tsr_matrix_get_n_rows (self->matrix) &&
                    tsr_matrix_get_row_depth (self->matrix, row + 1) > depth;

  gtk_widget_set_margin_start (box, 18 * depth);
  if (parent)
    {
      GtkWidget *fold = gtk_toggle_button_new ();
      g_autofree char *label = g_strdup_printf (_("Show the rows under “%s”"),
                                                tsr_matrix_get_row_name (self->matrix, row));
      gboolean open = !g_array_index (self->folded, gboolean, row);

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (fold), open);
      gtk_button_set_icon_name (GTK_BUTTON (fold), open ? "pan-down-symbolic" : "pan-end-symbolic");
      gtk_widget_add_css_class (fold, "flat");
      gtk_widget_add_css_class (fold, "circular");
      gtk_widget_set_valign (fold, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (fold), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (fold), "tsr-row", GUINT_TO_POINTER (row));
      g_signal_connect (fold, "toggled", G_CALLBACK (on_fold_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), fold);
    }
  else
    gtk_widget_set_margin_start (box, 18 * depth + 34);
  gtk_box_append (GTK_BOX (box), header_label (tsr_matrix_get_row_name (self->matrix, row),
                                               tsr_matrix_get_row_path (self->matrix, row), depth == 0));
  return box;
}

static void
render (TsrMatrixView *self)
{
  TsrMatrixCell cell = current_cell (self);
  gboolean transpose = gtk_toggle_button_get_active (self->transpose_button);
  guint n_rows, n_columns;
  double max = 0;
  g_autofree char *caption = NULL;

  clear_grid (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "matrix.export", self->matrix != NULL);

  if (self->matrix == NULL || tsr_matrix_get_n_rows (self->matrix) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, self->project != NULL ? "empty" : "matrix");
      gtk_widget_set_visible (self->passages_pane, FALSE);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "matrix");

  n_rows = tsr_matrix_get_n_rows (self->matrix);
  n_columns = tsr_matrix_get_n_columns (self->matrix);
  if (self->folded->len != n_rows)
    {
      g_array_set_size (self->folded, 0);
      g_array_set_size (self->folded, n_rows);
    }
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        double v = tsr_matrix_get_value (self->matrix, cell, r, c);

        if (!isnan (v))
          max = MAX (max, v);
      }

  caption = g_strdup_printf (cell == TSR_MATRIX_CELL_PASSAGES
                             ? _("Passages coded by %s. Click a cell to read its passages.")
                             : cell == TSR_MATRIX_CELL_PERCENT
                             ? _("The percentage of each column’s N documents, counting %s. Click a cell to read its passages.")
                             : _("Documents of each column holding the row, counting %s. Click a cell to read its passages."),
                             tsr_matrix_get_scope_text (self->matrix));
  gtk_label_set_text (self->caption_label, caption);

  /* The headers of the other axis. */
  for (guint c = 0; c < (transpose ? n_rows : n_columns); c++)
    {
      g_autofree char *title = NULL;
      GtkWidget *label;

      if (!transpose)
        title = g_strdup_printf ("%s\nN = %u", tsr_matrix_get_column_name (self->matrix, c),
                                 tsr_matrix_get_column_size (self->matrix, c));
      label = header_label (transpose ? tsr_matrix_get_row_name (self->matrix, c) : title,
                            transpose ? tsr_matrix_get_row_path (self->matrix, c)
                                      : tsr_matrix_get_column_name (self->matrix, c), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_widget_add_css_class (label, "tsr-matrix-header");
      gtk_grid_attach (self->grid, label, c + 1, 0, 1, 1);
    }

  if (!transpose)
    for (guint r = 0; r < n_rows; r++)
      {
        GPtrArray *widgets = g_ptr_array_new ();
        GtkWidget *header = row_header (self, r);

        gtk_grid_attach (self->grid, header, 0, r + 1, 1, 1);
        g_ptr_array_add (widgets, header);
        for (guint c = 0; c < n_columns; c++)
          {
            GtkWidget *button = cell_button (self, cell, r, c, max);

            gtk_grid_attach (self->grid, button, c + 1, r + 1, 1, 1);
            g_ptr_array_add (widgets, button);
          }
        g_array_append_val (self->row_widgets, widgets);
      }
  else
    for (guint c = 0; c < n_columns; c++)
      {
        g_autofree char *title = g_strdup_printf ("%s (N = %u)", tsr_matrix_get_column_name (self->matrix, c),
                                                  tsr_matrix_get_column_size (self->matrix, c));

        gtk_grid_attach (self->grid, header_label (title, NULL, TRUE), 0, c + 1, 1, 1);
        for (guint r = 0; r < n_rows; r++)
          gtk_grid_attach (self->grid, cell_button (self, cell, r, c, max), r + 1, c + 1, 1, 1);
      }
  if (!transpose)
    update_folding (self);

  /* The passages shown follow the rebuilt matrix when their cell is
   * still there. */
  if (gtk_widget_get_visible (self->passages_pane))
    {
      if (self->shown_row < n_rows && self->shown_column < n_columns)
        gtk_widget_activate_action (GTK_WIDGET (self), "matrix.show-cell", "(uu)",
                                    self->shown_row, self->shown_column);
      else
        gtk_widget_set_visible (self->passages_pane, FALSE);
    }
}

/* A cell's passages ---------------------------------------------------- */

static void
on_show_passage_clicked_cb (GtkButton     *button,
                            TsrMatrixView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 document = *(gint64 *) g_object_get_data (G_OBJECT (button), "tsr-document");
  guint start = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-start"));
  guint end = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-end"));

  if (TSR_IS_WINDOW (root))
    tsr_window_show_segment (TSR_WINDOW (root), document, start, end);
}

static GtkWidget *
passage_row (TsrMatrixView *self,
             TsrExtract    *e)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (e->document_name);
  GtkWidget *text = gtk_label_new (e->text);
  g_autofree char *who = g_strdup_printf ("%s · %s", e->code_name, e->coder_name);
  GtkWidget *meta = gtk_label_new (who);
  GtkWidget *open = gtk_button_new_from_icon_name ("go-jump-symbolic");
  g_autofree char *open_label = g_strdup_printf (_("Show in “%s”"), e->document_name);
  GtkWidget *row;

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (top), name);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_valign (open, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (open, open_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  g_object_set_data_full (G_OBJECT (open), "tsr-document", g_memdup2 (&e->document_id, sizeof (gint64)), g_free);
  g_object_set_data (G_OBJECT (open), "tsr-start", GUINT_TO_POINTER (e->start));
  g_object_set_data (G_OBJECT (open), "tsr-end", GUINT_TO_POINTER (e->end));
  g_signal_connect (open, "clicked", G_CALLBACK (on_show_passage_clicked_cb), self);
  gtk_box_append (GTK_BOX (top), open);
  gtk_box_append (GTK_BOX (box), top);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_wrap (GTK_LABEL (meta), TRUE);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "caption");
  gtk_box_append (GTK_BOX (box), meta);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
show_cell (TsrMatrixView *self,
           guint          row,
           guint          column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) passages = NULL;
  g_autoptr(GHashTable) documents = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *child;

  if (self->matrix == NULL || row >= tsr_matrix_get_n_rows (self->matrix) ||
      column >= tsr_matrix_get_n_columns (self->matrix))
    return;

  passages = tsr_matrix_list_passages (self->matrix, self->project, row, column, &error);
  if (passages == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  self->shown_row = row;
  self->shown_column = column;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->passages_list))) != NULL)
    gtk_list_box_remove (self->passages_list, child);
  for (guint i = 0; i < passages->len; i++)
    {
      TsrExtract *e = passages->pdata[i];

      g_hash_table_add (documents, &e->document_id);
      if (i < MAX_PASSAGES_SHOWN)
        gtk_list_box_append (self->passages_list, passage_row (self, e));
    }

  /* Translators: the passages pane's title: a row (a code or theme) and a
   * column (a case or value) of the matrix */
  title = g_strdup_printf (_("%s × %s"), tsr_matrix_get_row_name (self->matrix, row),
                           tsr_matrix_get_column_name (self->matrix, column));
  if (passages->len == 0)
    subtitle = g_strdup_printf (_("No passages, coded by %s"), tsr_matrix_get_scope_text (self->matrix));
  else
    {
      g_autofree char *p = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u passage", "%u passages",
                                                         passages->len), passages->len);
      guint n_docs = g_hash_table_size (documents);
      g_autofree char *d = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", n_docs),
                                            n_docs);

      /* Translators: "12 passages in 3 documents, coded by the consensus" */
      subtitle = g_strdup_printf (_("%s in %s, coded by %s"), p, d, tsr_matrix_get_scope_text (self->matrix));
      if (passages->len > MAX_PASSAGES_SHOWN)
        {
          g_autofree char *more = g_strdup_printf (_("%s; the first %u are shown"), subtitle, MAX_PASSAGES_SHOWN);

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }
    }
  gtk_label_set_text (self->passages_title, title);
  gtk_label_set_text (self->passages_subtitle, subtitle);
  gtk_widget_set_visible (self->passages_pane, TRUE);
}

static void
on_cell_clicked_cb (GtkButton     *button,
                    TsrMatrixView *self)
{
  show_cell (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-row")),
             GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-column")));
}

static void
show_cell_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  guint row, column;

  g_variant_get (param, "(uu)", &row, &column);
  show_cell (TSR_MATRIX_VIEW (widget), row, column);
}

static void
close_passages_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  gtk_widget_set_visible (TSR_MATRIX_VIEW (widget)->passages_pane, FALSE);
}

/* Exporting ----------------------------------------------------------- */

typedef struct
{
  TsrExportDocument *document;
  TsrExportFormat    format;
  GFile             *file;
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *e = data;

  tsr_export_document_unref (e->document);
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

  if (tsr_export_document_save (e->document, e->format, TSR_EXPORT_FLAGS_NONE, e->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (source);
  ExportData *e = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_toast (self, error->message);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  name = g_file_get_basename (e->file);
  message = g_strdup_printf (_("Exported “%s”"), name);
  show_toast (self, message);
  g_task_return_boolean (outer, TRUE);
}

/**
 * tsr_matrix_view_dup_document:
 *
 * Returns: (transfer full) (nullable): the matrix as the exports write
 *   it: the cells and the orientation shown
 */
TsrExportDocument *
tsr_matrix_view_dup_document (TsrMatrixView *self)
{
  g_return_val_if_fail (TSR_IS_MATRIX_VIEW (self), NULL);

  if (self->matrix == NULL)
    return NULL;
  return tsr_matrix_to_document_full (self->matrix, current_cell (self),
                                      gtk_toggle_button_get_active (self->transpose_button));
}

/**
 * tsr_matrix_view_export_async:
 *
 * Saves the matrix as shown to @file in a worker thread, then says how
 * it went in a toast.
 */
void
tsr_matrix_view_export_async (TsrMatrixView       *self,
                              GFile               *file,
                              TsrExportFormat      format,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  ExportData *e;

  g_return_if_fail (TSR_IS_MATRIX_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tsr_matrix_view_export_async);
  if (self->matrix == NULL)
    {
      g_task_return_new_error (outer, TSR_ERROR, TSR_ERROR_FAILED, _("There is no matrix to export"));
      return;
    }

  e = g_new0 (ExportData, 1);
  e->document = tsr_matrix_view_dup_document (self);
  e->format = format;
  e->file = g_object_ref (file);
  task = g_task_new (self, cancellable, on_export_done_cb, g_steal_pointer (&outer));
  g_task_set_task_data (task, e, export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tsr_matrix_view_export_finish (TsrMatrixView  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (user_data);
  g_autoptr(GFile) file = NULL;
  TsrExportFormat format = TSR_EXPORT_DOCX;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      g_autofree char *name = g_file_get_basename (file);

      if (filter != NULL)
        format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (filter), "tsr-format"));
      /* A name ending in a format's extension says the format; otherwise
       * the chosen filter's extension is added. */
      if (!tsr_export_format_from_file_name (name, &format) || format == TSR_EXPORT_JSON)
        {
          g_autoptr(GFile) parent = g_file_get_parent (file);
          g_autofree char *full = NULL;

          if (format == TSR_EXPORT_JSON)
            format = TSR_EXPORT_DOCX;
          full = g_strdup_printf ("%s.%s", name, tsr_export_format_get_extension (format));
          g_set_object (&file, g_file_get_child (parent, full));
        }
      tsr_matrix_view_export_async (self, file, format, NULL, NULL, NULL);
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
  TsrMatrixView *self = TSR_MATRIX_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  if (self->matrix == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the Matrix"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint f = 0; f < TSR_EXPORT_N_FORMATS; f++)
    {
      g_autoptr(GtkFileFilter) filter = NULL;
      g_autofree char *pattern = NULL;
      g_autofree char *title = NULL;

      /* A matrix is a table: JSON is the project's format, not a table's. */
      if (f == TSR_EXPORT_JSON)
        continue;
      filter = gtk_file_filter_new ();
      pattern = g_strdup_printf ("*.%s", tsr_export_format_get_extension (f));
      title = g_strdup_printf (_("%s (.%s)"), tsr_export_format_get_display_name (f),
                               tsr_export_format_get_extension (f));
      gtk_file_filter_set_name (filter, title);
      gtk_file_filter_add_pattern (filter, pattern);
      g_object_set_data (G_OBJECT (filter), "tsr-format", GUINT_TO_POINTER (f));
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      if (f == TSR_EXPORT_DOCX)
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("Matrix.docx"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Callbacks ----------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject    *project,
                       TsrChange      change,
                       TsrMatrixView *self)
{
  if (change & TSR_CHANGE_CODERS)
    {
      self->filling = TRUE;
      tsr_scope_choice_fill (self->scope_dropdown, project);
      self->filling = FALSE;
    }
  if (change & TSR_CHANGE_ATTRIBUTES)
    fill_columns (self);
  if (change & (TSR_CHANGE_DOCUMENTS | TSR_CHANGE_CODES | TSR_CHANGE_CODERS | TSR_CHANGE_SEGMENTS |
                TSR_CHANGE_THEMES | TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES))
    queue_rebuild (self);
}

static void
on_choice_changed_cb (TsrMatrixView *self)
{
  if (self->filling || self->project == NULL)
    return;
  gtk_widget_set_visible (self->passages_pane, FALSE);
  rebuild (self);
}

static void
on_cells_changed_cb (TsrMatrixView *self)
{
  if (self->filling)
    return;
  render (self);
}

static void
set_project (TsrMatrixView *self,
             TsrProject    *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);
  g_clear_pointer (&self->matrix, tsr_matrix_unref);
  gtk_widget_set_visible (self->passages_pane, FALSE);
  g_array_set_size (self->folded, 0);

  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);

  self->filling = TRUE;
  tsr_scope_choice_fill (self->scope_dropdown, project);
  self->filling = FALSE;
  fill_columns (self);

  if (project == NULL)
    {
      self->dirty = FALSE;
      render (self);
    }
  else if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rebuild (self);
  else
    self->dirty = TRUE;

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/* GtkWidget ----------------------------------------------------------- */

static void
tsr_matrix_view_map (GtkWidget *widget)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (widget);

  GTK_WIDGET_CLASS (tsr_matrix_view_parent_class)->map (widget);
  if (self->dirty)
    rebuild (self);
}

/* GObject ------------------------------------------------------------- */

static void
tsr_matrix_view_dispose (GObject *object)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (object);

  set_project (self, NULL);
  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  if (self->grid != NULL)
    clear_grid (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_MATRIX_VIEW);

  G_OBJECT_CLASS (tsr_matrix_view_parent_class)->dispose (object);
}

static void
tsr_matrix_view_finalize (GObject *object)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (object);

  g_clear_pointer (&self->matrix, tsr_matrix_unref);
  g_clear_pointer (&self->column_choices, g_ptr_array_unref);
  g_clear_pointer (&self->row_widgets, g_array_unref);
  g_clear_pointer (&self->folded, g_array_unref);

  G_OBJECT_CLASS (tsr_matrix_view_parent_class)->finalize (object);
}

static void
tsr_matrix_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_MATRIX:
      g_value_set_boxed (value, self->matrix);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_matrix_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsrMatrixView *self = TSR_MATRIX_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self, (TsrSessionProjectFunc) set_project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  gtk_css_provider_load_from_resource (provider, "/io/github/tessera/Tessera/tsr-matrix-view.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
tsr_matrix_view_class_init (TsrMatrixViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_matrix_view_dispose;
  object_class->finalize = tsr_matrix_view_finalize;
  object_class->get_property = tsr_matrix_view_get_property;
  object_class->set_property = tsr_matrix_view_set_property;
  widget_class->map = tsr_matrix_view_map;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_MATRIX] =
    g_param_spec_boxed ("matrix", NULL, NULL, TSR_TYPE_MATRIX,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-matrix-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, rows_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, columns_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, cells_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, transpose_button);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, caption_label);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, grid);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, passages_pane);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, passages_title);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, passages_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TsrMatrixView, passages_list);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cells_changed_cb);

  gtk_widget_class_install_action (widget_class, "matrix.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "matrix.show-cell", "(uu)", show_cell_action);
  gtk_widget_class_install_action (widget_class, "matrix.close-passages", NULL, close_passages_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "matrix.export", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tsr_matrix_view_init (TsrMatrixView *self)
{
  g_type_ensure (TSR_TYPE_MATRIX);
  load_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->row_widgets = g_array_new (FALSE, FALSE, sizeof (GPtrArray *));
  self->folded = g_array_new (FALSE, TRUE, sizeof (gboolean));
  fill_columns (self);
  tsr_scope_choice_fill (self->scope_dropdown, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "matrix.export", FALSE);
}

/**
 * tsr_matrix_view_get_matrix:
 *
 * Returns: (transfer none) (nullable): the matrix shown
 */
TsrMatrix *
tsr_matrix_view_get_matrix (TsrMatrixView *self)
{
  g_return_val_if_fail (TSR_IS_MATRIX_VIEW (self), NULL);
  return self->matrix;
}
