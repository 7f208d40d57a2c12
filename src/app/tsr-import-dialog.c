/* tsr-import-dialog.c — importing files into the open project
 *
 * The dialog walks the researcher through one import:
 *
 *  1. for each spreadsheet (CSV, XLSX), a preview — the first rows, the
 *     attribute type each column will get — where they pick the column
 *     holding the text, the one naming the documents, and the sheet;
 *  2. reading every file in a worker thread (tsr_importer_read_async()),
 *     with a progress bar and Cancel;
 *  3. adding the documents on the main thread, the project's, as one
 *     step to undo (tsr_importer_commit()), and a summary saying for
 *     each file what was imported or why not, with a way to import the
 *     duplicates after all.
 *
 * The window opens it from the file chooser (win.import) and from files
 * dropped on the project page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tsr-import-dialog.h"

/* Rows of a spreadsheet shown in its preview. */
#define PREVIEW_ROWS 8

/* A spreadsheet's name column before it was shown: guessed then. */
#define ID_UNCHOSEN (-2)

typedef struct
{
  GFile    *file;
  gboolean  table;
  char     *sheet;
  gint      text_column;
  gint      id_column;
  gboolean  skip;
} Choice;

struct _TsrImportDialog
{
  AdwWindow        parent_instance;

  TsrWindow       *window;           /* weak */
  TsrProject      *project;
  GPtrArray       *choices;          /* of Choice, one per file */
  guint            current;          /* the spreadsheet being previewed */
  TsrImportTable  *table;
  GCancellable    *cancellable;
  TsrImporter     *importer;
  gint64           first_document;
  gboolean         updating;
  gboolean         closed;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  GtkSpinner      *loading_spinner;
  GtkLabel        *loading_label;
  AdwActionRow    *sheet_row;
  GtkDropDown     *sheet_dropdown;
  GtkDropDown     *text_dropdown;
  GtkDropDown     *id_dropdown;
  GtkLabel        *attributes_label;
  AdwPreferencesGroup *preview_group;
  GtkGrid         *preview_grid;
  GtkButton       *next_button;
  AdwStatusPage   *progress_page;
  GtkProgressBar  *progress_bar;
  GtkLabel        *summary_title;
  GtkLabel        *summary_description;
  GtkListBox      *summary_list;
  GtkButton       *duplicates_button;
  GtkButton       *close_button;
};

G_DEFINE_FINAL_TYPE (TsrImportDialog, tsr_import_dialog, ADW_TYPE_WINDOW)

static void show_next_spreadsheet (TsrImportDialog *self);
static void start_reading         (TsrImportDialog *self);

/* Helpers ------------------------------------------------------------ */

static void
choice_free (gpointer data)
{
  Choice *c = data;

  g_object_unref (c->file);
  g_free (c->sheet);
  g_free (c);
}

/* Spreadsheets are told by name here, to ask about their columns before
 * anything is read; the import itself tells every format by content. */
static gboolean
is_table_name (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  const char *dot = name ? strrchr (name, '.') : NULL;

  return dot != NULL && (g_ascii_strcasecmp (dot, ".csv") == 0 ||
                         g_ascii_strcasecmp (dot, ".tsv") == 0 ||
                         g_ascii_strcasecmp (dot, ".xlsx") == 0 ||
                         g_ascii_strcasecmp (dot, ".xlsm") == 0);
}

static const char *
type_label (TsrAttributeType type)
{
  switch (type)
    {
    case TSR_ATTRIBUTE_INTEGER: return _("Whole number");
    case TSR_ATTRIBUTE_REAL: return _("Number");
    case TSR_ATTRIBUTE_BOOLEAN: return _("Yes or no");
    case TSR_ATTRIBUTE_DATE: return _("Date");
    case TSR_ATTRIBUTE_TEXT:
    default:
      return _("Text");
    }
}

static Choice *
current_choice (TsrImportDialog *self)
{
  g_assert (self->current < self->choices->len);
  return self->choices->pdata[self->current];
}

static guint
count_tables (TsrImportDialog *self,
              guint           *position)
{
  guint n = 0;

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *c = self->choices->pdata[i];

      if (c->table)
        {
          n++;
          if (i == self->current && position != NULL)
            *position = n;
        }
    }
  return n;
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static GtkWidget *
cell_label (const char *text,
            const char *style)
{
  g_autofree char *flat = g_strdup (text);
  GtkWidget *label;

  g_strdelimit (flat, "\n\t", ' ');
  label = gtk_label_new (flat);
  /* Wide enough to read; the preview scrolls sideways. */
  gtk_label_set_width_chars (GTK_LABEL (label), (int) MIN (g_utf8_strlen (flat, -1), 14));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

/* The spreadsheet page -------------------------------------------------- */

static void
update_table_details (TsrImportDialog *self)
{
  Choice *c = current_choice (self);
  g_autoptr(GString) attributes = g_string_new (NULL);
  guint n_columns = tsr_import_table_get_n_columns (self->table);
  guint n_rows = tsr_import_table_get_n_rows (self->table);
  g_autofree char *description = NULL;

  clear_grid (self->preview_grid);
  for (guint col = 0; col < n_columns; col++)
    {
      gboolean is_text = (gint) col == c->text_column;
      gboolean is_name = (gint) col == c->id_column;
      const char *role = is_text ? _("Text to analyse")
                         : is_name ? _("Document names")
                         : type_label (tsr_import_table_get_column_type (self->table, col));
      GtkWidget *header = cell_label (tsr_import_table_get_header (self->table, col), "heading");
      GtkWidget *type = cell_label (role, "caption");

      if (is_text || is_name)
        {
          gtk_widget_add_css_class (header, "accent");
          gtk_widget_add_css_class (type, "accent");
        }
      else
        gtk_widget_add_css_class (type, "dim-label");
      gtk_grid_attach (self->preview_grid, header, col, 0, 1, 1);
      gtk_grid_attach (self->preview_grid, type, col, 1, 1, 1);

      for (guint row = 0; row < MIN (n_rows, PREVIEW_ROWS); row++)
        gtk_grid_attach (self->preview_grid,
                         cell_label (tsr_import_table_get_cell (self->table, row, col), NULL),
                         col, row + 2, 1, 1);

      if (!is_text && !is_name)
        g_string_append_printf (attributes, attributes->len ? "\n%s — %s" : "%s — %s",
                                tsr_import_table_get_header (self->table, col),
                                type_label (tsr_import_table_get_column_type (self->table, col)));
    }

  if (attributes->len == 0)
    g_string_append (attributes, _("None: every column is the text or the names."));
  gtk_label_set_text (self->attributes_label, attributes->str);

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The first rows of %u",
                                              "The first rows of %u", n_rows), n_rows);
  adw_preferences_group_set_description (self->preview_group, description);
}

static void
set_string_model (GtkDropDown  *dropdown,
                  const char  **strings,
                  guint         selected)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (strings);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, selected);
}

static void
show_table (TsrImportDialog *self)
{
  Choice *c = current_choice (self);
  guint n_columns = tsr_import_table_get_n_columns (self->table);
  const char * const *sheets = tsr_import_table_get_sheets (self->table);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint position = 0, n_tables;

  self->updating = TRUE;

  if (c->text_column < 0 || c->text_column >= (gint) n_columns)
    c->text_column = tsr_import_table_guess_text_column (self->table);
  if (c->id_column == ID_UNCHOSEN || c->id_column >= (gint) n_columns)
    c->id_column = tsr_import_table_guess_id_column (self->table);
  if (c->id_column == c->text_column)
    c->id_column = -1;

  g_ptr_array_add (names, (gpointer) _("Row number"));
  for (guint i = 0; i < n_columns; i++)
    {
      g_ptr_array_add (headers, (gpointer) tsr_import_table_get_header (self->table, i));
      g_ptr_array_add (names, (gpointer) tsr_import_table_get_header (self->table, i));
    }
  g_ptr_array_add (headers, NULL);
  g_ptr_array_add (names, NULL);
  set_string_model (self->text_dropdown, (const char **) headers->pdata, c->text_column);
  set_string_model (self->id_dropdown, (const char **) names->pdata, c->id_column + 1);

  gtk_widget_set_visible (GTK_WIDGET (self->sheet_row), sheets != NULL);
  if (sheets != NULL)
    {
      guint selected = 0;

      for (guint i = 0; sheets[i] != NULL; i++)
        if (g_strcmp0 (sheets[i], tsr_import_table_get_sheet (self->table)) == 0)
          selected = i;
      set_string_model (self->sheet_dropdown, (const char **) sheets, selected);
    }

  self->updating = FALSE;
  update_table_details (self);

  n_tables = count_tables (self, &position);
  {
    g_autofree char *name = g_file_get_basename (c->file);
    g_autofree char *subtitle = n_tables > 1
      ? g_strdup_printf (_("%s (spreadsheet %u of %u)"), name, position, n_tables)
      : g_strdup (name);

    adw_window_title_set_subtitle (self->window_title, subtitle);
  }

  /* The last spreadsheet's button starts the import. */
  {
    gboolean more = FALSE;

    for (guint i = self->current + 1; i < self->choices->len; i++)
      more = more || ((Choice *) self->choices->pdata[i])->table;
    gtk_button_set_label (self->next_button, more ? _("_Next") : _("_Import"));
  }

  gtk_stack_set_visible_child_name (self->stack, "table");
  gtk_widget_grab_focus (GTK_WIDGET (self->text_dropdown));
}

static void
read_table_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Choice *c = task_data;
  GError *error = NULL;
  TsrImportTable *table = tsr_import_read_table (c->file, c->sheet, cancellable, &error);

  if (table != NULL)
    g_task_return_pointer (task, table, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_table_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TsrImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  TsrImportTable *table;

  table = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->closed)
    {
      g_clear_object (&table);
      return;
    }
  gtk_spinner_stop (self->loading_spinner);

  if (table == NULL)
    {
      /* It stays in the batch: the summary will say what is wrong. */
      self->current++;
      show_next_spreadsheet (self);
      return;
    }

  g_set_object (&self->table, table);
  g_object_unref (table);
  show_table (self);
}

static void
load_table (TsrImportDialog *self)
{
  Choice *c = current_choice (self);
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = g_file_get_basename (c->file);
  g_autofree char *message = g_strdup_printf (_("Reading “%s”…"), name);

  gtk_label_set_text (self->loading_label, message);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (NULL, self->cancellable, on_table_read_cb, g_object_ref (self));
  g_task_set_source_tag (task, load_table);
  g_task_set_task_data (task, c, NULL);
  g_task_run_in_thread (task, read_table_thread);
}

static void
show_next_spreadsheet (TsrImportDialog *self)
{
  while (self->current < self->choices->len && !current_choice (self)->table)
    self->current++;

  g_clear_object (&self->table);
  if (self->current < self->choices->len)
    load_table (self);
  else
    start_reading (self);
}

static void
on_sheet_dropdown_notify_selected_cb (TsrImportDialog *self)
{
  const char * const *sheets;
  guint selected;
  Choice *c;

  if (self->updating || self->table == NULL)
    return;
  sheets = tsr_import_table_get_sheets (self->table);
  selected = gtk_drop_down_get_selected (self->sheet_dropdown);
  if (sheets == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length ((char **) sheets))
    return;

  c = current_choice (self);
  if (g_strcmp0 (c->sheet, sheets[selected]) == 0)
    return;
  g_free (c->sheet);
  c->sheet = g_strdup (sheets[selected]);
  /* Another sheet has other columns. */
  c->text_column = -1;
  c->id_column = ID_UNCHOSEN;
  load_table (self);
}

static void
on_column_dropdown_notify_selected_cb (TsrImportDialog *self)
{
  Choice *c;
  guint text, id;

  if (self->updating || self->table == NULL)
    return;
  c = current_choice (self);
  text = gtk_drop_down_get_selected (self->text_dropdown);
  id = gtk_drop_down_get_selected (self->id_dropdown);
  if (text != GTK_INVALID_LIST_POSITION)
    c->text_column = (gint) text;
  c->id_column = id == GTK_INVALID_LIST_POSITION ? -1 : (gint) id - 1;
  /* The text names nothing: the same column for both means row numbers. */
  if (c->id_column == c->text_column)
    {
      c->id_column = -1;
      self->updating = TRUE;
      gtk_drop_down_set_selected (self->id_dropdown, 0);
      self->updating = FALSE;
    }
  update_table_details (self);
}

/* Reading and adding ------------------------------------------------------ */

static void
show_summary (TsrImportDialog *self,
              const GError    *commit_error)
{
  GListModel *items = self->importer ? tsr_importer_get_items (self->importer) : NULL;
  guint n_documents = 0, n_failed = 0, n_duplicates = 0;
  GtkWidget *child;
  g_autofree char *title = NULL;
  g_autoptr(GString) description = g_string_new (NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_list))) != NULL)
    gtk_list_box_remove (self->summary_list, child);

  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(TsrImportItem) item = g_list_model_get_item (items, i);
      g_autofree char *subtitle = tsr_import_item_describe (item);
      TsrImportStatus status = tsr_import_item_get_status (item);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      const char *icon_name, *style;

      n_documents += tsr_import_item_get_n_imported (item);
      n_duplicates += tsr_import_item_get_n_duplicates (item);
      if (status == TSR_IMPORT_FAILED)
        n_failed++;

      switch (status)
        {
        case TSR_IMPORT_IMPORTED:
          icon_name = "object-select-symbolic";
          style = "success";
          break;
        case TSR_IMPORT_DUPLICATE:
          icon_name = "edit-copy-symbolic";
          style = "dim-label";
          break;
        case TSR_IMPORT_FAILED:
          icon_name = "dialog-warning-symbolic";
          style = "error";
          break;
        case TSR_IMPORT_PENDING:
        case TSR_IMPORT_READY:
        default:
          icon_name = "content-loading-symbolic";
          style = "dim-label";
          break;
        }

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tsr_import_item_get_display_name (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      icon = gtk_image_new_from_icon_name (icon_name);
      gtk_widget_add_css_class (icon, style);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->summary_list, row);

      if (self->first_document == 0 && tsr_import_item_get_n_imported (item) > 0)
        {
          g_autoptr(GArray) ids = tsr_import_item_get_document_ids (item);

          self->first_document = g_array_index (ids, gint64, 0);
        }
    }

  if (commit_error != NULL)
    {
      title = g_strdup (_("The Project Could Not Be Changed"));
      g_string_append (description, commit_error->message);
    }
  else
    {
      if (n_documents == 0)
        title = g_strdup (_("Nothing Imported"));
      else
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Document Imported",
                                              "%u Documents Imported", n_documents),
                                 n_documents);
      if (n_failed > 0)
        g_string_append_printf (description, g_dngettext (GETTEXT_PACKAGE,
                                                          "%u file could not be imported.",
                                                          "%u files could not be imported.",
                                                          n_failed),
                                n_failed);
      if (n_duplicates > 0)
        {
          if (description->len > 0)
            g_string_append_c (description, ' ');
          g_string_append_printf (description, g_dngettext (GETTEXT_PACKAGE,
                                                            "%u document was already in the project and was left out.",
                                                            "%u documents were already in the project and were left out.",
                                                            n_duplicates),
                                  n_duplicates);
        }
      if (n_documents > 0 && description->len == 0)
        g_string_append (description, _("Undo takes the whole import back."));
    }

  gtk_label_set_text (self->summary_title, title);
  gtk_label_set_text (self->summary_description, description->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_description), description->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_button), n_duplicates > 0 && commit_error == NULL);
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
}

static void
show_cancelled (TsrImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->summary_list))) != NULL)
    gtk_list_box_remove (self->summary_list, child);
  gtk_label_set_text (self->summary_title, _("Import Cancelled"));
  gtk_label_set_text (self->summary_description, _("Nothing was added to the project."));
  gtk_widget_set_visible (GTK_WIDGET (self->summary_description), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->duplicates_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "summary");
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
}

static void
on_progress (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  TsrImportDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->closed)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 1.0);
  if (current != NULL)
    text = g_strdup_printf (_("Reading “%s” (%u of %u)"), current, done + 1, total);
  else
    text = g_strdup (_("Adding the documents…"));
  adw_status_page_set_description (self->progress_page, text);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TsrImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tsr_importer_read_finish (TSR_IMPORTER (object), result, &error))
    {
      if (!self->closed)
        show_cancelled (self);
      return;
    }
  if (self->closed)
    return;

  /* On the main thread: the project's connection lives here. */
  tsr_importer_commit (self->importer, self->project, FALSE, &error);
  show_summary (self, error);
}

static void
start_reading (TsrImportDialog *self)
{
  g_clear_object (&self->importer);
  self->importer = tsr_importer_new ();

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *c = self->choices->pdata[i];
      TsrImportItem *item;

      if (c->skip)
        continue;
      item = tsr_importer_add_file (self->importer, c->file);
      if (c->table)
        {
          tsr_import_item_set_sheet (item, c->sheet);
          if (c->id_column != ID_UNCHOSEN)
            tsr_import_item_set_columns (item, c->text_column, c->id_column);
        }
    }

  if (g_list_model_get_n_items (tsr_importer_get_items (self->importer)) == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  adw_status_page_set_description (self->progress_page, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", TRUE);
  gtk_stack_set_visible_child_name (self->stack, "progress");

  tsr_importer_read_async (self->importer, self->cancellable, on_progress,
                           g_object_ref (self), g_object_unref, on_read_cb, g_object_ref (self));
}

/* Actions ------------------------------------------------------------- */

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "table") != 0)
    return;
  self->current++;
  show_next_spreadsheet (self);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "table") != 0)
    return;
  current_choice (self)->skip = TRUE;
  self->current++;
  show_next_spreadsheet (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (widget);

  gtk_widget_action_set_enabled (widget, "import.cancel", FALSE);
  adw_status_page_set_description (self->progress_page, _("Cancelling…"));
  g_cancellable_cancel (self->cancellable);
}

static void
duplicates_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->importer == NULL)
    return;
  tsr_importer_commit (self->importer, self->project, TRUE, &error);
  show_summary (self, error);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* GObject ------------------------------------------------------------- */

static gboolean
tsr_import_dialog_close_request (GtkWindow *window)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (window);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);

  /* Show the researcher what came in. */
  if (self->window != NULL && self->first_document > 0 &&
      tsr_window_get_project (self->window) == self->project)
    {
      g_autoptr(TsrDocument) document = tsr_project_lookup_document (self->project, self->first_document);

      if (document != NULL)
        tsr_window_select_document (self->window, document);
    }

  return GTK_WINDOW_CLASS (tsr_import_dialog_parent_class)->close_request (window);
}

static void
tsr_import_dialog_dispose (GObject *object)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (tsr_import_dialog_parent_class)->dispose (object);
}

static void
tsr_import_dialog_finalize (GObject *object)
{
  TsrImportDialog *self = TSR_IMPORT_DIALOG (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_object (&self->table);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->importer);

  G_OBJECT_CLASS (tsr_import_dialog_parent_class)->finalize (object);
}

static void
tsr_import_dialog_class_init (TsrImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tsr_import_dialog_dispose;
  object_class->finalize = tsr_import_dialog_finalize;
  window_class->close_request = tsr_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, loading_label);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, sheet_row);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, sheet_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, text_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, id_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, attributes_label);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, summary_title);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, summary_description);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, summary_list);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, duplicates_button);
  gtk_widget_class_bind_template_child (widget_class, TsrImportDialog, close_button);

  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "import.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.duplicates", NULL, duplicates_action);
  gtk_widget_class_install_action (widget_class, "import.close", NULL, close_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
setup_ellipsized_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_list_item_set_child (item, label);
}

static void
bind_string_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static void
tsr_import_dialog_init (TsrImportDialog *self)
{
  GtkDropDown *dropdowns[3];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->choices = g_ptr_array_new_with_free_func (choice_free);
  self->cancellable = g_cancellable_new ();

  dropdowns[0] = self->sheet_dropdown;
  dropdowns[1] = self->text_dropdown;
  dropdowns[2] = self->id_dropdown;
  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    {
      /* Long headers ("What did the ceremony mean to you?") are cut in
       * the button and shown whole in the list. */
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_ellipsized_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_string_cb), NULL);
      g_signal_connect (list_factory, "setup", G_CALLBACK (setup_ellipsized_cb), NULL);
      g_signal_connect (list_factory, "bind", G_CALLBACK (bind_string_cb), NULL);
      gtk_drop_down_set_factory (dropdowns[i], factory);
      gtk_drop_down_set_list_factory (dropdowns[i], list_factory);
    }

  g_signal_connect_swapped (self->sheet_dropdown, "notify::selected",
                            G_CALLBACK (on_sheet_dropdown_notify_selected_cb), self);
  g_signal_connect_swapped (self->text_dropdown, "notify::selected",
                            G_CALLBACK (on_column_dropdown_notify_selected_cb), self);
  g_signal_connect_swapped (self->id_dropdown, "notify::selected",
                            G_CALLBACK (on_column_dropdown_notify_selected_cb), self);
}

/* Public API ------------------------------------------------------------ */

/**
 * tsr_import_dialog_run:
 * @window: a window with a project open
 * @files: (element-type GFile): the files to import
 *
 * Opens the import dialog for @files over @window and starts it.
 *
 * Returns: (transfer none): the dialog, owned by GTK until it closes
 */
TsrImportDialog *
tsr_import_dialog_run (TsrWindow  *window,
                       GListModel *files)
{
  TsrImportDialog *self;
  TsrProject *project;

  g_return_val_if_fail (TSR_IS_WINDOW (window), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (files), NULL);

  project = tsr_window_get_project (window);
  g_return_val_if_fail (project != NULL, NULL);

  self = g_object_new (TSR_TYPE_IMPORT_DIALOG,
                       "transient-for", window,
                       "application", gtk_window_get_application (GTK_WINDOW (window)),
                       NULL);
  g_set_weak_pointer (&self->window, window);
  self->project = g_object_ref (project);

  for (guint i = 0; i < g_list_model_get_n_items (files); i++)
    {
      Choice *c = g_new0 (Choice, 1);

      c->file = g_list_model_get_item (files, i);
      c->table = is_table_name (c->file);
      c->text_column = -1;
      c->id_column = ID_UNCHOSEN;
      g_ptr_array_add (self->choices, c);
    }

  gtk_window_present (GTK_WINDOW (self));
  self->current = 0;
  show_next_spreadsheet (self);
  return self;
}

const char *
tsr_import_dialog_get_page (TsrImportDialog *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * tsr_import_dialog_get_importer:
 *
 * Returns: (transfer none) (nullable): the import once it has started
 */
TsrImporter *
tsr_import_dialog_get_importer (TsrImportDialog *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_DIALOG (self), NULL);
  return self->importer;
}

/**
 * tsr_import_dialog_get_table:
 *
 * Returns: (transfer none) (nullable): the spreadsheet being previewed
 */
TsrImportTable *
tsr_import_dialog_get_table (TsrImportDialog *self)
{
  g_return_val_if_fail (TSR_IS_IMPORT_DIALOG (self), NULL);
  return self->table;
}

void
tsr_import_dialog_choose_columns (TsrImportDialog *self,
                                  guint            text_column,
                                  gint             id_column)
{
  g_return_if_fail (TSR_IS_IMPORT_DIALOG (self));
  g_return_if_fail (self->table != NULL);

  gtk_drop_down_set_selected (self->text_dropdown, text_column);
  gtk_drop_down_set_selected (self->id_dropdown, (guint) (id_column + 1));
}

/* From the window ---------------------------------------------------------- */

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        gpointer         user_data)
{
  TsrWindow *window = TSR_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT && tsr_window_get_project (window) != NULL)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      if (g_list_model_get_n_items (files) > 0)
        tsr_import_dialog_run (window, files);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
add_filter (GtkFileChooser      *chooser,
            const char          *name,
            const char * const  *patterns,
            const char * const  *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns && patterns[i]; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types && mime_types[i]; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

/**
 * tsr_import_dialog_choose_files:
 *
 * Asks for files to import into @window's project, then imports them.
 */
void
tsr_import_dialog_choose_files (TsrWindow *window)
{
  static const char * const office[] = { "*.docx", "*.odt", "*.fodt", NULL };
  static const char * const office_types[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text", NULL
  };
  static const char * const pdf[] = { "*.pdf", NULL };
  static const char * const pdf_types[] = { "application/pdf", NULL };
  static const char * const web[] = { "*.htm", "*.html", "*.xhtml", NULL };
  static const char * const web_types[] = { "text/html", "application/xhtml+xml", NULL };
  static const char * const text[] = { "*.txt", "*.text", "*.md", "*.markdown", NULL };
  static const char * const text_types[] = { "text/plain", "text/markdown", NULL };
  static const char * const tables[] = { "*.csv", "*.tsv", "*.xlsx", NULL };
  static const char * const table_types[] = {
    "text/csv", "text/tab-separated-values",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", NULL
  };
  GtkFileChooserNative *chooser;

  g_return_if_fail (TSR_IS_WINDOW (window));

  chooser = gtk_file_chooser_native_new (_("Import Documents"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Documents and Spreadsheets"),
              tsr_import_get_patterns (), tsr_import_get_mime_types ());
  add_filter (GTK_FILE_CHOOSER (chooser), _("Word and OpenDocument Texts"), office, office_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("PDF Documents"), pdf, pdf_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Web Pages"), web, web_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Plain Text and Markdown"), text, text_types);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Survey Spreadsheets (CSV, XLSX)"), tables, table_types);

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response_cb), window, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            gpointer       user_data)
{
  TsrWindow *window = TSR_WINDOW (user_data);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GSList) list = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || tsr_window_get_project (window) == NULL)
    return FALSE;

  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;

  tsr_import_dialog_run (window, G_LIST_MODEL (files));
  return TRUE;
}

/**
 * tsr_import_dialog_drop_target_new:
 *
 * Returns: (transfer full): a drop target that imports the files dropped
 *   on it into @window's project
 */
GtkDropTarget *
tsr_import_dialog_drop_target_new (TsrWindow *window)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop_cb), window, 0);
  return target;
}
