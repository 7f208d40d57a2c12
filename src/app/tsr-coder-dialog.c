/* tsr-coder-dialog.c — asking who is coding, and changing it
 *
 * Two questions in one AdwMessageDialog with a name entry.  Asked at the
 * first edit of someone who never said who they are ("Who Is Coding?"):
 * the name becomes the coder, edits made so far included.  Asked from the
 * header's coder button or the preferences ("Change Coder"): the same
 * person under another name (rename, with all their coding) or another
 * person (a new coder; the coding so far stays the old coder's).  The
 * responses' labels follow the name typed, so the choice reads plainly.
 * Every change goes through the core, which remembers the coder in the
 * project file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-coder-dialog.h"
#include "tsr-toast.h"

typedef struct
{
  TsrProject         *project;
  TsrCoderDialogKind  kind;
  GtkEditable        *entry;
  GtkLabel           *note;
} DialogData;

static void
dialog_data_free (DialogData *data)
{
  g_clear_object (&data->project);
  g_free (data);
}

/* Helpers ------------------------------------------------------------ */

static DialogData *
get_data (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "tsr-coder-dialog");
}

static char *
dup_entered_name (DialogData *data)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (data->entry)));
}

static void
show_error (AdwMessageDialog *dialog,
            const char       *message)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (parent == NULL || !tsr_toast_show (GTK_WIDGET (parent), message))
    g_warning ("%s", message);
}

/* The names of the project's coders, "Dana Whitfield, Rafael Ortiz", or
 * NULL when it has none but @except. */
static char *
dup_other_coders (TsrProject *project,
                  gint64      except)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (project);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (coders); i++)
    {
      g_autoptr(TsrCoder) coder = g_list_model_get_item (coders, i);

      if (tsr_coder_get_is_consensus (coder) || tsr_entity_get_id (TSR_ENTITY (coder)) == except)
        continue;
      if (names->len > 0)
        g_string_append (names, _(", "));
      g_string_append (names, tsr_coder_get_name (coder));
    }
  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* Enables the responses the name typed allows, and words them for it. */
static void
update_responses (AdwMessageDialog *dialog)
{
  DialogData *data = get_data (dialog);
  g_autofree char *name = dup_entered_name (data);
  TsrCoder *current = tsr_project_get_current_coder (data->project);
  g_autoptr(TsrCoder) existing = name[0] ? tsr_project_find_coder (data->project, name) : NULL;
  gboolean is_current = current != NULL && g_strcmp0 (tsr_coder_get_name (current), name) == 0;
  gboolean is_consensus = existing != NULL && tsr_coder_get_is_consensus (existing);
  g_autofree char *note = NULL;

  if (data->kind == TSR_CODER_DIALOG_ASK)
    {
      adw_message_dialog_set_response_enabled (dialog, "start", name[0] != '\0' && !is_consensus);
      if (is_consensus)
        note = g_strdup (_("That is the name of the consensus coding."));
      else if (existing != NULL && !is_current)
        note = g_strdup_printf (_("You will code as “%s”, who has already coded in this project."),
                                tsr_coder_get_name (existing));
    }
  else
    {
      g_autofree char *switch_label = NULL;

      adw_message_dialog_set_response_enabled (dialog, "rename",
                                               name[0] != '\0' && !is_current && existing == NULL);
      adw_message_dialog_set_response_enabled (dialog, "switch",
                                               name[0] != '\0' && !is_current && !is_consensus);
      switch_label = existing != NULL && !is_consensus && !is_current
        ? g_strdup_printf (_("Code as “%s”"), tsr_coder_get_name (existing))
        : g_strdup (_("_New Coder"));
      adw_message_dialog_set_response_label (dialog, "switch", switch_label);
      if (is_consensus)
        note = g_strdup (_("That is the name of the consensus coding."));
      else if (existing != NULL && !is_current)
        note = g_strdup_printf (_("“%s” is already a coder in this project: you can code as them, but not take their name."),
                                tsr_coder_get_name (existing));
    }

  gtk_label_set_text (data->note, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (data->note), note != NULL);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_entry_changed_cb (GtkEditable      *entry,
                     AdwMessageDialog *dialog)
{
  update_responses (dialog);
}

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  DialogData *data = get_data (dialog);
  g_autofree char *name = dup_entered_name (data);
  g_autoptr(GError) error = NULL;
  TsrCoder *current = tsr_project_get_current_coder (data->project);
  gboolean ok = TRUE;

  if (g_str_equal (response, "start"))
    {
      g_autoptr(TsrCoder) coder = tsr_project_confirm_coder (data->project, name, &error);
      ok = coder != NULL;
    }
  else if (g_str_equal (response, "rename") && current != NULL)
    ok = tsr_project_rename_coder (data->project, tsr_entity_get_id (TSR_ENTITY (current)), name, &error);
  else if (g_str_equal (response, "switch"))
    {
      g_autoptr(TsrCoder) coder = tsr_project_switch_coder (data->project, name, &error);
      ok = coder != NULL;
    }

  if (!ok)
    show_error (dialog, error->message);
}

/* Public API --------------------------------------------------------- */

/**
 * tsr_coder_dialog_new:
 * @parent: the window asking
 * @project: the project being coded
 * @kind: asking at a first edit, or changing the coder
 * @name: (nullable): the name to offer in the entry
 *
 * Returns: (transfer floating): the dialog, to present
 */
AdwMessageDialog *
tsr_coder_dialog_new (GtkWindow          *parent,
                      TsrProject         *project,
                      TsrCoderDialogKind  kind,
                      const char         *name)
{
  AdwMessageDialog *dialog;
  DialogData *data;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *note;
  TsrCoder *current;
  g_autofree char *others = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  current = tsr_project_get_current_coder (project);

  if (kind == TSR_CODER_DIALOG_ASK)
    {
      others = dup_other_coders (project, current ? tsr_entity_get_id (TSR_ENTITY (current)) : 0);
      if (others != NULL)
        body = g_strdup_printf (_("Your name goes with every passage you code and every memo you write in “%s”, "
                                  "so that each coder’s work can be compared. Tessera remembers it for this project.\n\n"
                                  "Coders in this project: %s."),
                                tsr_project_get_title (project), others);
      else
        body = g_strdup_printf (_("Your name goes with every passage you code and every memo you write in “%s”, "
                                  "so that each coder’s work can be compared. Tessera remembers it for this project."),
                                tsr_project_get_title (project));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Who Is Coding?"), body));
      adw_message_dialog_add_responses (dialog,
                                        "later", _("_Not Now"),
                                        "start", _("_Start Coding"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "start", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "start");
      adw_message_dialog_set_close_response (dialog, "later");
    }
  else
    {
      body = g_strdup_printf (_("Rename “%s” when you are the same person under another name: every passage "
                                "and memo of theirs goes with the new name. Start a new coder when someone "
                                "else codes from now on: the coding so far stays with “%s”."),
                              current ? tsr_coder_get_name (current) : "",
                              current ? tsr_coder_get_name (current) : "");
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Change Coder"), body));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "switch", _("_New Coder"),
                                        "rename", _("_Rename"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "rename");
      adw_message_dialog_set_close_response (dialog, "cancel");
    }
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Your name"));
  gtk_editable_set_text (GTK_EDITABLE (entry), name ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Your name"),
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);
  note = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (box), note);
  adw_message_dialog_set_extra_child (dialog, box);

  data = g_new0 (DialogData, 1);
  data->project = g_object_ref (project);
  data->kind = kind;
  data->entry = GTK_EDITABLE (entry);
  data->note = GTK_LABEL (note);
  g_object_set_data_full (G_OBJECT (dialog), "tsr-coder-dialog", data, (GDestroyNotify) dialog_data_free);

  g_signal_connect_object (entry, "changed", G_CALLBACK (on_entry_changed_cb), dialog, 0);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response_cb), NULL);
  update_responses (dialog);

  gtk_widget_grab_focus (entry);
  return dialog;
}

/**
 * tsr_coder_dialog_get_entry:
 *
 * Returns: (transfer none): the dialog's name entry
 */
GtkEditable *
tsr_coder_dialog_get_entry (AdwMessageDialog *dialog)
{
  DialogData *data = get_data (dialog);

  g_return_val_if_fail (data != NULL, NULL);
  return data->entry;
}
