/* tsr-merge-dialog.c — preview, then merge, another copy of the project
 *
 * "Merge Project…" asks for the other file, works out the merge plan
 * without writing anything, and shows it: what will be added, what is
 * already here, the conflicts (where this project's version is kept) and
 * what is left out.  Only "Merge" writes, as one undoable step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-application.h"
#include "tsr-merge-dialog.h"
#include "tsr-toast.h"
#include "tsr-window.h"

struct _TsrMergeDialog
{
  AdwWindow       parent_instance;

  TsrProject     *project;
  TsrMergePlan   *plan;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkLabel       *summary_label;
  GtkGrid        *counts_grid;
  GtkLabel       *notes_heading;
  GtkListBox     *notes_list;
  GtkLabel       *error_label;
  GtkButton      *merge_button;
};

G_DEFINE_FINAL_TYPE (TsrMergeDialog, tsr_merge_dialog, ADW_TYPE_WINDOW)

/* Short words: the table fits a phone's width with its labels wrapped
 * between words. */
static const char * const kind_labels[TSR_MERGE_N_KINDS] = {
  N_("Coders"), N_("Documents"), N_("Codes"), N_("Coded passages"), N_("Memos"), N_("Journal entries"),
  N_("Themes"), N_("Codes in themes"), N_("Map positions and links"), N_("Cases"), N_("Attributes"),
  /* Translators: disagreements between coders, resolved into the consensus */
  N_("Resolutions"),
  /* Translators: documents a coder marked as coded (done) */
  N_("Documents marked done"),
};

/* Helpers ------------------------------------------------------------ */

static GtkWidget *
grid_label (const char *text,
            float       xalign,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  /* Headings break between words on a phone rather than widen it. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), xalign > 0.5 ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
fill_counts (TsrMergeDialog *self)
{
  static const char * const headers[] = { N_("Added"), N_("Already here"), N_("Conflicts"), N_("Left out") };
  guint row = 1;

  gtk_grid_attach (self->counts_grid, grid_label ("", 0, TRUE), 0, 0, 1, 1);
  for (guint a = 0; a < TSR_MERGE_N_ACTIONS; a++)
    gtk_grid_attach (self->counts_grid, grid_label (_(headers[a]), 1, TRUE), a + 1, 0, 1, 1);

  for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
    {
      guint total = 0;

      for (guint a = 0; a < TSR_MERGE_N_ACTIONS; a++)
        total += tsr_merge_plan_count (self->plan, k, a);
      if (total == 0)
        continue;

      gtk_grid_attach (self->counts_grid, grid_label (_(kind_labels[k]), 0, FALSE), 0, row, 1, 1);
      for (guint a = 0; a < TSR_MERGE_N_ACTIONS; a++)
        {
          g_autofree char *text = g_strdup_printf ("%u", tsr_merge_plan_count (self->plan, k, a));
          gtk_grid_attach (self->counts_grid, grid_label (text, 1, FALSE), a + 1, row, 1, 1);
        }
      row++;
    }
}

static const char *
action_icon (TsrMergeAction action)
{
  switch (action)
    {
    case TSR_MERGE_ADD:
      return "list-add-symbolic";
    case TSR_MERGE_MATCH:
      return "object-select-symbolic";
    case TSR_MERGE_CONFLICT:
      return "dialog-warning-symbolic";
    case TSR_MERGE_SKIP:
    default:
      return "action-unavailable-symbolic";
    }
}

static const char *
action_name (TsrMergeAction action)
{
  switch (action)
    {
    case TSR_MERGE_ADD:
      return _("Added");
    case TSR_MERGE_MATCH:
      return _("Already here");
    case TSR_MERGE_CONFLICT:
      return _("Conflict");
    case TSR_MERGE_SKIP:
    default:
      return _("Left out");
    }
}

static void
fill_notes (TsrMergeDialog *self)
{
  guint n = tsr_merge_plan_get_n_notes (self->plan);

  /* Conflicts and what is left out first: they need a look. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        TsrMergeAction action;
        const char *text = tsr_merge_plan_get_note (self->plan, i, NULL, &action);
        gboolean important = action == TSR_MERGE_CONFLICT || action == TSR_MERGE_SKIP;
        GtkWidget *row, *icon;

        if (important != (pass == 0))
          continue;
        row = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
        adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
        icon = gtk_image_new_from_icon_name (action_icon (action));
        gtk_widget_set_tooltip_text (icon, action_name (action));
        gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        action_name (action), -1);
        if (important)
          gtk_widget_add_css_class (icon, "warning");
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        gtk_list_box_append (self->notes_list, row);
      }

  gtk_widget_set_visible (GTK_WIDGET (self->notes_heading), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_list), n > 0);
}

static void
fill (TsrMergeDialog *self)
{
  g_autofree char *title = g_strdup_printf (_("Merge “%s”"), tsr_merge_plan_get_other_title (self->plan));
  gboolean empty = tsr_merge_plan_is_empty (self->plan);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, tsr_merge_plan_get_other_path (self->plan));

  if (empty)
    gtk_label_set_label (self->summary_label,
                         _("Everything in this file is already in the project: there is nothing to merge."));
  else
    gtk_label_set_label (self->summary_label,
                         _("Merging brings in what the other copy holds that this project does not. "
                           "Nothing here is removed; where the two copies differ, this project’s "
                           "version is kept (a memo gets the other text added below it). "
                           "The merge is one step that Undo takes back. The other file is only read."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->merge_button), !empty);
  fill_counts (self);
  fill_notes (self);
}

/* Actions ------------------------------------------------------------ */

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TsrMergeDialog *self = TSR_MERGE_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (!tsr_project_merge (self->project, self->plan, NULL, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  if (parent != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Merged “%s”"), tsr_merge_plan_get_other_title (self->plan));
      tsr_toast_show (GTK_WIDGET (parent), message);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

/* GObject ------------------------------------------------------------ */

static void
tsr_merge_dialog_dispose (GObject *object)
{
  TsrMergeDialog *self = TSR_MERGE_DIALOG (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->plan, tsr_merge_plan_unref);

  G_OBJECT_CLASS (tsr_merge_dialog_parent_class)->dispose (object);
}

static void
tsr_merge_dialog_class_init (TsrMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_merge_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-merge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, counts_grid);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, notes_heading);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, notes_list);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TsrMergeDialog, merge_button);

  gtk_widget_class_install_action (widget_class, "merge.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsr_merge_dialog_init (TsrMergeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tsr_merge_dialog_new:
 * @plan: the plan to show, from tsr_project_plan_merge()
 *
 * Returns: (transfer none): the dialog, not yet shown
 */
TsrMergeDialog *
tsr_merge_dialog_new (GtkWindow    *parent,
                      TsrProject   *project,
                      TsrMergePlan *plan)
{
  TsrMergeDialog *self = g_object_new (TSR_TYPE_MERGE_DIALOG,
                                       "transient-for", parent,
                                       NULL);

  self->project = g_object_ref (project);
  self->plan = tsr_merge_plan_ref (plan);
  fill (self);
  return self;
}

/** tsr_merge_dialog_get_plan: Returns: (transfer none): the plan shown */
TsrMergePlan *
tsr_merge_dialog_get_plan (TsrMergeDialog *self)
{
  g_return_val_if_fail (TSR_IS_MERGE_DIALOG (self), NULL);
  return self->plan;
}

/**
 * tsr_merge_dialog_preview_file:
 *
 * Works out what merging @file would do and shows the plan, or says why
 * the file cannot be merged.
 */
void
tsr_merge_dialog_preview_file (GtkWindow  *parent,
                               TsrProject *project,
                               GFile      *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    plan = tsr_project_plan_merge (project, path, NULL, &error);
  else
    g_set_error_literal (&error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("Only files on this computer can be merged"));

  if (plan == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Merge “%s”"), name);

      if (TSR_IS_WINDOW (parent))
        tsr_window_show_error (TSR_WINDOW (parent), heading, error->message);
      return;
    }

  gtk_window_present (GTK_WINDOW (tsr_merge_dialog_new (parent, project, plan)));
}

typedef struct
{
  GtkWindow  *parent;
  TsrProject *project;
} Choice;

static void
on_chooser_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  Choice *choice = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        tsr_merge_dialog_preview_file (choice->parent, choice->project, file);
    }

  g_object_unref (choice->parent);
  g_object_unref (choice->project);
  g_free (choice);
  g_object_unref (dialog);
}

/**
 * tsr_merge_dialog_choose:
 *
 * Asks for the other copy of the project, then previews the merge.
 */
void
tsr_merge_dialog_choose (GtkWindow  *parent,
                         TsrProject *project)
{
  GtkFileChooserNative *chooser;
  Choice *choice = g_new0 (Choice, 1);

  chooser = gtk_file_chooser_native_new (_("Merge Another Copy of the Project"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Preview Merge"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  tsr_application_add_project_filter (GTK_FILE_CHOOSER (chooser));

  choice->parent = g_object_ref (parent);
  choice->project = g_object_ref (project);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
