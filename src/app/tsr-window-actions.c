/* tsr-window-actions.c — the window's actions and their keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-agreement-view.h"
#include "tsr-import-dialog.h"
#include "tsr-merge-dialog.h"
#include "tsr-refi-dialog.h"
#include "tsr-report-view.h"
#include "tsr-retrieval-window.h"
#include "tsr-toast.h"
#include "tsr-window-private.h"

/* The project and its documents ------------------------------------- */

/* Undoes or redoes one step of the project's history. */
static void
step_history (TsrWindow *self,
              gboolean   undo)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  if (!(undo ? tsr_project_undo : tsr_project_redo) (self->project, &error))
    tsr_window_show_toast (self, error->message);

  _tsr_window_update_undo_redo (self);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  step_history (TSR_WINDOW (widget), TRUE);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  step_history (TSR_WINDOW (widget), FALSE);
}

static void
close_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  _tsr_window_save_state (self);
  tsr_window_close_project (self);
}

static void
save_copy_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  _tsr_window_save_copy (TSR_WINDOW (widget));
}

static void
open_backup_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _tsr_window_open_backup (TSR_WINDOW (widget));
}

static void
merge_project_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (self->project != NULL)
    tsr_merge_dialog_choose (GTK_WINDOW (self), self->project);
}

static void
import_refi_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  tsr_refi_dialog_choose_import (TSR_WINDOW (widget));
}

static void
export_refi_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (self->project != NULL)
    tsr_refi_dialog_choose_export (self);
}

static void
next_document_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  tsr_document_list_select_relative (self->document_list, 1);
}

static void
previous_document_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  tsr_document_list_select_relative (self->document_list, -1);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  tsr_import_dialog_choose_files (TSR_WINDOW (widget));
}

/* Ctrl+F.  The application's keys are seen before the focused widget's,
 * so the window decides: with the focus in the document's text or its
 * find bar, it finds in the document; anywhere else it searches the
 * document list, as before. */
static void
search_documents_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus != NULL && self->document != NULL &&
      (focus == GTK_WIDGET (self->reader) ||
       gtk_widget_is_ancestor (focus, GTK_WIDGET (self->reader_search))))
    {
      tsr_reader_search_begin (self->reader_search);
      return;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  adw_flap_set_reveal_flap (self->sidebar_flap, TRUE);
  tsr_document_list_focus_search (self->document_list);
}

/* Panes -------------------------------------------------------------- */

/* The pane at the start (@end FALSE) or the end of the view shown: the
 * documents and the codes of the Code view, the unsorted codes of the
 * map, the theme table and card of Review, the report's options, the
 * list of disagreements.  NULL when the view has none there. */
static AdwFlap *
get_view_pane (TsrWindow *self,
               gboolean   end)
{
  static const struct {
    const char *view;
    GType     (*get_type) (void);
    const char *start;
    const char *end;
  } panes[] = {
    { "themes", tsr_themes_view_get_type, "flap", NULL },
    { "review", tsr_review_view_get_type, "table_flap", "card_flap" },
    { "report", tsr_report_view_get_type, "flap", NULL },
    { "agreement", tsr_agreement_view_get_type, "disagreement_flap", NULL },
  };
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "code") == 0)
    return end ? self->code_flap : self->sidebar_flap;

  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    if (g_strcmp0 (name, panes[i].view) == 0)
      {
        const char *id = end ? panes[i].end : panes[i].start;
        GtkWidget *view = adw_view_stack_get_child_by_name (self->view_stack, name);

        return id ? ADW_FLAP (gtk_widget_get_template_child (view, panes[i].get_type (), id)) : NULL;
      }

  return NULL;
}

static void
toggle_pane (TsrWindow *self,
             gboolean   end)
{
  AdwFlap *flap = get_view_pane (self, end);

  if (flap != NULL)
    adw_flap_set_reveal_flap (flap, !adw_flap_get_reveal_flap (flap));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  toggle_pane (TSR_WINDOW (widget), FALSE);
}

static void
toggle_code_pane_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  toggle_pane (TSR_WINDOW (widget), TRUE);
}

/* Coding ------------------------------------------------------------- */

static void
change_coder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  _tsr_window_present_coder_dialog (TSR_WINDOW (widget), NULL);
}

static void
new_code_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  tsr_code_tree_begin_new_code (self->code_tree, FALSE);
}

static void
code_in_vivo_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gint64 segment_id;

  segment_id = tsr_reader_code_in_vivo (self->reader, 0, &error);
  if (segment_id == 0)
    {
      tsr_window_show_toast (self, error->message);
      return;
    }

  {
    g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (self->project, segment_id);

    if (segment != NULL)
      tsr_code_tree_select_code (self->code_tree, tsr_segment_get_code_id (segment));
  }
}

static void
quick_code_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);
  int n = g_variant_get_int32 (param);

  if (n < 1 || _tsr_window_nth_recent_code (self, n) == 0)
    {
      tsr_window_show_toast (self, _("No recent code on that key yet: code a passage first"));
      return;
    }

  _tsr_window_code_selection_with (self, _tsr_window_nth_recent_code (self, n));
}

static void
next_coding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (!tsr_reader_select_next_segment (self->reader, g_str_equal (action_name, "win.next-coding") ? 1 : -1))
    gtk_widget_error_bell (widget);
}

static void
segment_bound_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (tsr_reader_get_selected_segment (self->reader) == 0)
    {
      tsr_window_show_toast (self, _("Select a coded passage first: click its stripe, or press Ctrl+]"));
      return;
    }

  tsr_reader_move_segment_bound (self->reader,
                                 g_str_equal (action_name, "win.segment-start"),
                                 g_variant_get_int32 (param));
}

static void
remove_coding_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (!tsr_reader_remove_selected_segment (self->reader))
    tsr_window_show_toast (self, _("Select a coded passage first: click its stripe, or press Ctrl+]"));
}

static void
star_passage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  if (!tsr_reader_toggle_selected_exemplar (self->reader))
    tsr_window_show_toast (self, _("Select a coded passage first: click its stripe, or press Ctrl+]"));
}

static void
show_coding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->reader), "reader.show-coding", NULL);
}

static void
search_codes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  adw_flap_set_reveal_flap (self->code_flap, TRUE);
  tsr_code_tree_focus_search (self->code_tree);
}

/* Every passage of the code chosen in the code tree, in a window of its
 * own; the one already open for that code comes to the front. */
static void
show_passages_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);
  TsrCode *code = tsr_code_tree_get_selected_code (self->code_tree);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  TsrRetrievalWindow *passages;
  gint64 code_id;

  if (self->project == NULL)
    return;
  if (code == NULL)
    {
      tsr_toast_show (widget, _("Choose a code to see its passages"));
      return;
    }
  code_id = tsr_entity_get_id (TSR_ENTITY (code));
  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    if (TSR_IS_RETRIEVAL_WINDOW (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (self) &&
        tsr_retrieval_window_get_code_id (l->data) == code_id)
      {
        gtk_window_present (l->data);
        return;
      }

  passages = tsr_retrieval_window_new (self, self->project, code_id);
  gtk_window_present (GTK_WINDOW (passages));
}

static void
new_journal_entry_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  adw_flap_set_reveal_flap (self->code_flap, TRUE);
  tsr_memo_pane_add_journal_entry (self->memo_pane);
}

/* Messages from the widgets of the window (tsr-toast.c). */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  const char *message = g_variant_get_string (param, NULL);

  if (g_str_equal (action_name, "win.undo-toast"))
    tsr_window_show_undo_toast (TSR_WINDOW (widget), message);
  else
    tsr_window_show_toast (TSR_WINDOW (widget), message);
}

void
_tsr_window_update_actions (TsrWindow *self)
{
  gboolean has_project = self->project != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-copy", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-backup", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-refi", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-coder", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-document", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-document", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-documents", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-sidebar", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-code-pane", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.document-read", self->document != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.document-done", self->document != NULL);
  {
    static const char * const coding_actions[] = {
      "win.new-code", "win.search-codes", "win.new-journal-entry", "win.show-other-coders",
    };
    static const char * const reading_actions[] = {
      "win.code-in-vivo", "win.quick-code", "win.next-coding", "win.previous-coding",
      "win.segment-start", "win.segment-end", "win.remove-coding", "win.star-passage",
      "win.show-coding",
    };

    for (guint i = 0; i < G_N_ELEMENTS (coding_actions); i++)
      gtk_widget_action_set_enabled (GTK_WIDGET (self), coding_actions[i], has_project);
    for (guint i = 0; i < G_N_ELEMENTS (reading_actions); i++)
      gtk_widget_action_set_enabled (GTK_WIDGET (self), reading_actions[i], self->document != NULL);
  }
  _tsr_window_update_undo_redo (self);
}

/**
 * tsr_window_install_accels:
 * @app: the application
 *
 * Gives the window's coding actions their keys.
 */
void
tsr_window_install_accels (GtkApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "win.new-code", { "<Control><Shift>n", NULL } },
    { "win.code-in-vivo", { "<Control><Shift>i", NULL } },
    { "win.search-codes", { "<Control><Shift>f", NULL } },
    { "win.show-passages", { "<Control><Shift>p", NULL } },
    { "win.next-coding", { "<Control>bracketright", NULL } },
    { "win.previous-coding", { "<Control>bracketleft", NULL } },
    { "win.segment-start(-1)", { "<Alt>Left", NULL } },
    { "win.segment-start(1)", { "<Alt>Right", NULL } },
    { "win.segment-end(-1)", { "<Alt><Shift>Left", NULL } },
    { "win.segment-end(1)", { "<Alt><Shift>Right", NULL } },
    { "win.star-passage", { "<Control>d", NULL } },
    { "win.show-coding", { "<Alt>Return", NULL } },
    { "win.show-other-coders", { "<Control><Shift>o", NULL } },
    { "win.new-journal-entry", { "<Control>j", NULL } },
    { "win.toggle-sidebar", { "F9", NULL } },
    { "win.toggle-code-pane", { "<Control>F9", NULL } },
    { "win.save-copy", { "<Control><Shift>s", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].accels);

  for (guint i = 1; i <= N_QUICK_CODES; i++)
    {
      g_autofree char *action = g_strdup_printf ("win.quick-code(%u)", i);
      g_autofree char *accel = g_strdup_printf ("<Control>%u", i);
      const char *list[] = { accel, NULL };

      gtk_application_set_accels_for_action (app, action, list);
    }
}

/* Installs the win.* actions on the window's class: the stateful
 * win.document-read, win.document-done and win.show-other-coders follow the window's
 * properties of those names. */
void
_tsr_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.undo-toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.change-coder", NULL, change_coder_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.merge-project", NULL, merge_project_action);
  gtk_widget_class_install_action (widget_class, "win.save-copy", NULL, save_copy_action);
  gtk_widget_class_install_action (widget_class, "win.open-backup", NULL, open_backup_action);
  gtk_widget_class_install_action (widget_class, "win.import-refi", NULL, import_refi_action);
  gtk_widget_class_install_action (widget_class, "win.export-refi", NULL, export_refi_action);
  gtk_widget_class_install_action (widget_class, "win.next-document", NULL, next_document_action);
  gtk_widget_class_install_action (widget_class, "win.previous-document", NULL, previous_document_action);
  gtk_widget_class_install_action (widget_class, "win.search-documents", NULL, search_documents_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_property_action (widget_class, "win.document-read", "document-read");
  gtk_widget_class_install_property_action (widget_class, "win.document-done", "document-done");
  gtk_widget_class_install_property_action (widget_class, "win.show-other-coders", "show-other-coders");
  gtk_widget_class_install_action (widget_class, "win.new-code", NULL, new_code_action);
  gtk_widget_class_install_action (widget_class, "win.code-in-vivo", NULL, code_in_vivo_action);
  gtk_widget_class_install_action (widget_class, "win.quick-code", "i", quick_code_action);
  gtk_widget_class_install_action (widget_class, "win.next-coding", NULL, next_coding_action);
  gtk_widget_class_install_action (widget_class, "win.previous-coding", NULL, next_coding_action);
  gtk_widget_class_install_action (widget_class, "win.segment-start", "i", segment_bound_action);
  gtk_widget_class_install_action (widget_class, "win.segment-end", "i", segment_bound_action);
  gtk_widget_class_install_action (widget_class, "win.remove-coding", NULL, remove_coding_action);
  gtk_widget_class_install_action (widget_class, "win.star-passage", NULL, star_passage_action);
  gtk_widget_class_install_action (widget_class, "win.show-coding", NULL, show_coding_action);
  gtk_widget_class_install_action (widget_class, "win.search-codes", NULL, search_codes_action);
  gtk_widget_class_install_action (widget_class, "win.show-passages", NULL, show_passages_action);
  gtk_widget_class_install_action (widget_class, "win.new-journal-entry", NULL, new_journal_entry_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-code-pane", NULL, toggle_code_pane_action);
}
