/* tsr-window.c — a window showing one project, or the welcome page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tsr-agreement-view.h"
#include "tsr-application.h"
#include "tsr-code-tree.h"
#include "tsr-coder-dialog.h"
#include "tsr-color-swatch.h"
#include "tsr-document-list.h"
#include "tsr-import-dialog.h"
#include "tsr-memo-pane.h"
#include "tsr-merge-dialog.h"
#include "tsr-phases-button.h"
#include "tsr-reader.h"
#include "tsr-report-view.h"
#include "tsr-review-view.h"
#include "tsr-themes-view.h"
#include "tsr-welcome-page.h"
#include "tsr-window.h"

struct _TsrWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* The open project, and the file being opened while busy. */
  TsrProject           *project;
  GListModel           *documents;
  GFile                *file;
  GCancellable         *cancellable;
  gulong                changed_handler;

  TsrDocument          *document;
  gulong                document_notify_handler;

  /* RecentCode: the codes applied most recently, the latest first;
   * the first nine that exist are on Ctrl+1…9. */
  GArray               *recent_codes;
  gulong                coder_handler;

  /* Who is coding: the dialog asking or changing it while it is shown,
   * and whether this project was asked already in this window. */
  AdwMessageDialog     *coder_dialog;
  guint                 ask_coder_source;
  guint                 coder_asked : 1;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  TsrWelcomePage       *welcome_page;
  AdwViewSwitcherTitle *view_switcher_title;
  AdwViewStack         *view_stack;
  AdwViewSwitcherBar   *view_switcher_bar;
  AdwFlap              *sidebar_flap;
  GtkToggleButton      *sidebar_button;
  AdwWindowTitle       *project_title;
  TsrDocumentList      *document_list;
  AdwWindowTitle       *document_title;
  GtkButton            *undo_button;
  GtkButton            *redo_button;
  GtkButton            *coder_button;
  GtkLabel             *coder_label;
  GtkToggleButton      *read_button;
  AdwButtonContent     *read_button_content;
  GtkStack             *content_stack;
  GtkScrolledWindow    *reader_scroller;
  TsrReader            *reader;
  TsrThemesView        *themes_view;
  TsrReviewView        *review_view;
  TsrPhasesButton      *phases_button;
  AdwFlap              *code_flap;
  GtkToggleButton      *code_pane_button;
  TsrCodeTree          *code_tree;
  TsrMemoPane          *memo_pane;
  GtkToggleButton      *others_button;
  GtkRevealer          *quick_revealer;
  GtkBox               *quick_bar;

  guint                 narrow_source;

  guint                 busy : 1;
  guint                 show_other_coders : 1;
};

G_DEFINE_FINAL_TYPE (TsrWindow, tsr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_DOCUMENT,
  PROP_DOCUMENT_READ,
  PROP_BUSY,
  PROP_SHOW_OTHER_CODERS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_document     (TsrWindow   *self,
                              TsrDocument *document);
static void update_quick_bar (TsrWindow   *self);
static void update_scope     (TsrWindow   *self);

/* Helpers ------------------------------------------------------------ */

static TsrApplication *
get_application (TsrWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TSR_IS_APPLICATION (app) ? TSR_APPLICATION (app) : NULL;
}

static char *
dup_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (g_str_has_suffix (basename, ".tessera"))
    basename[strlen (basename) - strlen (".tessera")] = '\0';

  return g_steal_pointer (&basename);
}

static void
set_busy (TsrWindow *self,
          gboolean   busy)
{
  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->welcome_page), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
update_undo_redo (TsrWindow *self)
{
  gboolean can_undo = self->project != NULL && tsr_project_can_undo (self->project);
  gboolean can_redo = self->project != NULL && tsr_project_can_redo (self->project);
  g_autofree char *undo_tooltip = NULL;
  g_autofree char *redo_tooltip = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", can_undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", can_redo);

  if (can_undo)
    {
      g_autofree char *label = tsr_project_get_undo_label (self->project);

      if (label != NULL && label[0] != '\0')
        /* Translators: %s says what would be undone, e.g. "Mark “Essay 3” as read" */
        undo_tooltip = g_strdup_printf (_("Undo: %s"), label);
    }

  if (can_redo)
    {
      g_autofree char *label = tsr_project_get_redo_label (self->project);

      if (label != NULL && label[0] != '\0')
        /* Translators: %s says what would be redone */
        redo_tooltip = g_strdup_printf (_("Redo: %s"), label);
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->undo_button),
                               undo_tooltip ? undo_tooltip : _("Undo"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->redo_button),
                               redo_tooltip ? redo_tooltip : _("Redo"));
}

static void
update_titles (TsrWindow *self)
{
  const char *title = NULL;
  g_autofree char *fallback = NULL;

  if (self->project != NULL)
    {
      title = tsr_project_get_title (self->project);
      if (title == NULL || title[0] == '\0')
        title = fallback = dup_display_name (self->file);
    }

  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("Tessera"));
  adw_window_title_set_title (self->project_title, title ? title : "");
  adw_view_switcher_title_set_title (self->view_switcher_title, title ? title : "");
}

static void
update_progress (TsrWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (self->project != NULL)
    {
      GListModel *documents = self->documents;
      guint n = g_list_model_get_n_items (documents);
      guint n_read = 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);

          if (tsr_document_get_read (document))
            n_read++;
        }

      if (n > 0)
        /* Translators: reading progress, e.g. "5 of 22 read" */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u read",
                                                 "%u of %u read", n),
                                    n_read, n);
      else
        subtitle = g_strdup (_("No documents"));
    }

  adw_window_title_set_subtitle (self->project_title, subtitle ? subtitle : "");
}

static guint
count_words (const char *text)
{
  gboolean in_word = FALSE;
  guint n = 0;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean is_word = g_unichar_isalnum (c);

      if (is_word && !in_word)
        n++;
      in_word = is_word || (in_word && (c == '\'' || c == 0x2019 || c == '-'));
    }

  return n;
}

static void
update_content (TsrWindow *self)
{
  const char *page;

  if (self->project == NULL)
    page = "no-selection";
  else if (self->document != NULL)
    page = "reader";
  else if (tsr_project_get_n_documents (self->project) == 0)
    page = "no-documents";
  else
    page = "no-selection";

  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
update_document_title (TsrWindow *self)
{
  if (self->document == NULL)
    {
      adw_window_title_set_title (self->document_title, "");
      adw_window_title_set_subtitle (self->document_title, "");
      return;
    }

  adw_window_title_set_title (self->document_title, tsr_document_get_name (self->document));
}

static void
update_read_button (TsrWindow *self)
{
  gboolean read = self->document != NULL && tsr_document_get_read (self->document);

  /* The pressed button says it is read; the label says what a click does
   * only while there is something to do. */
  adw_button_content_set_label (self->read_button_content,
                                read ? _("_Read") : _("Mark as _Read"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->read_button),
                               read ? _("Mark the Document as Unread (Ctrl+M)")
                                    : _("Mark the Document as Read (Ctrl+M)"));
}

static void
save_window_state (TsrWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  if (!maximized)
    {
      int width = 0;
      int height = 0;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
}

static void
restore_window_state (TsrWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 294));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* The name to offer someone asked who is coding: the name they gave last
 * (in any project), else their real name. */
static char *
dup_proposed_coder_name (TsrWindow *self)
{
  g_autofree char *name = g_strstrip (g_settings_get_string (self->settings, "coder-name"));

  if (name[0] != '\0')
    return g_steal_pointer (&name);
  return tsr_coder_dup_default_name ();
}

static void
update_coder_button (TsrWindow *self)
{
  TsrCoder *coder = self->project ? tsr_project_get_current_coder (self->project) : NULL;
  gboolean confirmed = self->project != NULL && tsr_project_get_coder_confirmed (self->project);
  g_autofree char *tooltip = NULL;

  if (coder != NULL && confirmed)
    {
      gtk_label_set_text (self->coder_label, tsr_coder_get_name (coder));
      tooltip = g_strdup_printf (_("Coding as %s — Change Coder"), tsr_coder_get_name (coder));
      gtk_widget_remove_css_class (GTK_WIDGET (self->coder_button), "warning");
    }
  else
    {
      gtk_label_set_text (self->coder_label, _("Your Name?"));
      tooltip = g_strdup (_("Say who is coding: your name goes with your coding"));
      gtk_widget_add_css_class (GTK_WIDGET (self->coder_button), "warning");
    }
  /* A short name whole, however tight the header; a long one ellipsized. */
  gtk_label_set_width_chars (self->coder_label,
                             MIN ((int) g_utf8_strlen (gtk_label_get_text (self->coder_label), -1), 10));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->coder_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->coder_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
}

static void
on_coder_dialog_destroy_cb (GtkWidget *dialog,
                            TsrWindow *self)
{
  if (self->coder_dialog == ADW_MESSAGE_DIALOG (dialog))
    self->coder_dialog = NULL;
}

/* Asks who is coding (nobody said yet) or offers to change it. */
static void
present_coder_dialog (TsrWindow  *self,
                      const char *name)
{
  g_autofree char *proposed = NULL;
  TsrCoderDialogKind kind;

  if (self->project == NULL)
    return;
  if (self->coder_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->coder_dialog));
      return;
    }

  kind = tsr_project_get_coder_confirmed (self->project) ? TSR_CODER_DIALOG_CHANGE : TSR_CODER_DIALOG_ASK;
  if (name == NULL && kind == TSR_CODER_DIALOG_CHANGE)
    name = tsr_coder_get_name (tsr_project_get_current_coder (self->project));
  else if (name == NULL)
    name = proposed = dup_proposed_coder_name (self);

  self->coder_asked = TRUE;
  self->coder_dialog = tsr_coder_dialog_new (GTK_WINDOW (self), self->project, kind, name);
  g_signal_connect_object (self->coder_dialog, "destroy",
                           G_CALLBACK (on_coder_dialog_destroy_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->coder_dialog));
}

static gboolean
ask_coder_cb (gpointer data)
{
  TsrWindow *self = data;

  self->ask_coder_source = 0;
  if (self->project != NULL && !tsr_project_get_coder_confirmed (self->project) &&
      tsr_project_get_current_coder (self->project) != NULL)
    present_coder_dialog (self, NULL);
  return G_SOURCE_REMOVE;
}

/* The first edit of someone who never said who they are went to a
 * stand-in coder: ask them now, once, their name (a project opened where
 * its coder is remembered never asks). */
static void
maybe_ask_coder (TsrWindow *self)
{
  if (self->project == NULL || self->coder_asked || self->ask_coder_source != 0 ||
      self->coder_dialog != NULL)
    return;
  if (tsr_project_get_coder_confirmed (self->project) ||
      tsr_project_get_current_coder (self->project) == NULL)
    return;
  /* After the edit's handlers, not inside a drop or a key press. */
  self->ask_coder_source = g_idle_add (ask_coder_cb, self);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject *project,
                       TsrChange   change,
                       TsrWindow  *self)
{
  g_assert (TSR_IS_WINDOW (self));

  update_undo_redo (self);
  maybe_ask_coder (self);

  if (change & TSR_CHANGE_PROJECT)
    update_titles (self);

  /* Whose coding counts by default can change with any coding. */
  if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODERS))
    update_scope (self);

  if (change & TSR_CHANGE_CODES)
    update_quick_bar (self);

  if (change & TSR_CHANGE_DOCUMENTS)
    {
      update_progress (self);
      update_content (self);
      if (self->document != NULL)
        update_document_title (self);
    }
}

static void
on_document_notify_cb (TsrDocument *document,
                       GParamSpec  *pspec,
                       TsrWindow   *self)
{
  g_assert (TSR_IS_WINDOW (self));

  if (g_strcmp0 (pspec->name, "read") == 0)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT_READ]);
      update_progress (self);
    }
  else if (g_strcmp0 (pspec->name, "name") == 0)
    update_document_title (self);
}

static void
on_notify_document_read_cb (TsrWindow  *self,
                            GParamSpec *pspec,
                            gpointer    user_data)
{
  update_read_button (self);
}

static void
on_document_list_notify_selected_cb (TsrDocumentList *list,
                                     GParamSpec      *pspec,
                                     TsrWindow       *self)
{
  TsrDocument *document = tsr_document_list_get_selected_document (list);

  /* Filtering can hide the document being read; keep reading it. */
  if (document != NULL)
    set_document (self, document);
}

static void
on_view_stack_notify_visible_child_cb (AdwViewStack *stack,
                                       GParamSpec   *pspec,
                                       TsrWindow    *self)
{
  gboolean code = g_strcmp0 (adw_view_stack_get_visible_child_name (stack), "code") == 0;

  /* The documents belong to the Code view. */
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), code);
}

static void
on_documents_items_changed_cb (GListModel *model,
                               guint       position,
                               guint       removed,
                               guint       added,
                               TsrWindow  *self)
{
  g_assert (TSR_IS_WINDOW (self));

  /* The document being read was deleted. */
  if (self->document != NULL)
    {
      g_autoptr(TsrDocument) still = NULL;

      still = tsr_project_lookup_document (self->project,
                                           tsr_entity_get_id (TSR_ENTITY (self->document)));
      if (still == NULL)
        set_document (self, NULL);
    }

  update_progress (self);
  update_content (self);
}

typedef struct
{
  TsrWindow    *window;
  GCancellable *cancellable;
} OpenRequest;

static void
open_request_free (OpenRequest *request)
{
  g_clear_object (&request->window);
  g_clear_object (&request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenRequest, open_request_free)

static void
on_project_opened_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(OpenRequest) request = user_data;
  TsrWindow *self = request->window;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = tsr_project_open_finish (result, &error);

  /* Superseded or the window went away: a project that opened anyway is
   * closed again, so it is left as one file. */
  if (g_cancellable_is_cancelled (request->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED))
    {
      if (project != NULL)
        tsr_project_close (project, NULL);
      return;
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (project == NULL || !tsr_window_set_project (self, project, &error))
    {
      g_autofree char *name = self->file ? g_file_get_basename (self->file) : NULL;
      g_autofree char *heading = NULL;

      g_clear_object (&self->file);

      heading = g_strdup_printf (_("Could Not Open “%s”"), name ? name : "");
      tsr_window_show_error (self, heading, error->message);
    }
}

static gboolean
tsr_window_close_request (GtkWindow *window)
{
  TsrWindow *self = TSR_WINDOW (window);

  save_window_state (self);

  if (self->project != NULL && !tsr_window_close_project (self))
    return TRUE;

  return GTK_WINDOW_CLASS (tsr_window_parent_class)->close_request (window);
}

/* Actions ------------------------------------------------------------ */

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

  update_undo_redo (self);
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

  save_window_state (self);
  tsr_window_close_project (self);
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

static void
search_documents_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  TsrWindow *self = TSR_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  adw_flap_set_reveal_flap (self->sidebar_flap, TRUE);
  tsr_document_list_focus_search (self->document_list);
}

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

static void
update_actions (TsrWindow *self)
{
  gboolean has_project = self->project != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge-project", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.change-coder", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-document", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-document", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search-documents", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-sidebar", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-code-pane", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.document-read", self->document != NULL);
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
  update_undo_redo (self);
}

/* The views of the project ------------------------------------------ */

/* Each page of the view stack whose child has a "project" property is
 * given the open project, or %NULL when it closes. */
static void
set_views_project (TsrWindow  *self,
                   TsrProject *project)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), "project");

      if (pspec != NULL && g_type_is_a (pspec->value_type, TSR_TYPE_PROJECT))
        g_object_set (child, "project", project, NULL);
    }
}

/* The document being read ------------------------------------------- */

static void
set_document (TsrWindow   *self,
              TsrDocument *document)
{
  g_autoptr(GError) error = NULL;

  if (self->document == document)
    return;

  g_clear_signal_handler (&self->document_notify_handler, self->document);
  g_set_object (&self->document, document);

  if (document != NULL)
    {
      self->document_notify_handler =
        g_signal_connect (document, "notify", G_CALLBACK (on_document_notify_cb), self);

      if (!tsr_reader_set_document (self->reader, self->project, document, &error))
        tsr_window_show_toast (self, error->message);
      else
        {
          g_autofree char *subtitle = NULL;
          guint n_words = count_words (tsr_reader_get_text (self->reader));

          subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", n_words),
                                      n_words);
          adw_window_title_set_subtitle (self->document_title, subtitle);
        }

      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->reader_scroller), 0);
      tsr_document_list_set_selected_document (self->document_list, document);
    }
  else
    {
      tsr_reader_set_document (self->reader, NULL, NULL, NULL);
      adw_window_title_set_subtitle (self->document_title, "");
    }

  tsr_memo_pane_set_document (self->memo_pane, document ? tsr_entity_get_id (TSR_ENTITY (document)) : 0);

  update_document_title (self);
  update_content (self);
  update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT_READ]);
}

static TsrDocument *
find_first_unread (GListModel *documents)
{
  guint n = g_list_model_get_n_items (documents);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);

      if (!tsr_document_get_read (document))
        return g_steal_pointer (&document);
    }

  return n > 0 ? g_list_model_get_item (documents, 0) : NULL;
}

static void
set_document_read (TsrWindow *self,
                   gboolean   read)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || self->document == NULL)
    return;

  if (!!read == !!tsr_document_get_read (self->document))
    return;

  if (!tsr_project_set_document_read (self->project,
                                      tsr_entity_get_id (TSR_ENTITY (self->document)),
                                      read, &error))
    tsr_window_show_toast (self, error->message);

  /* The entity notifies "read"; this covers a failed write. */
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT_READ]);
  update_undo_redo (self);
}


/* Coding ------------------------------------------------------------- */

#define N_QUICK_CODES 9

/* A code in the Recent bar.  A code deleted (or its creation undone)
 * stays in the list, hidden, so that undoing the deletion or redoing the
 * creation puts it back where it was; the uuid tells it from a new code
 * given the same id. */
typedef struct
{
  gint64 id;
  char   uuid[40];
} RecentCode;

/* The code of @recent if it still exists. */
static TsrCode *
lookup_recent_code (TsrWindow        *self,
                    const RecentCode *recent)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, recent->id);

  if (code == NULL || g_strcmp0 (tsr_entity_get_uuid (TSR_ENTITY (code)), recent->uuid) != 0)
    return NULL;
  return g_steal_pointer (&code);
}

/* The id of the code on Ctrl+@n (from 1), or 0. */
static gint64
nth_recent_code (TsrWindow *self,
                 guint      n)
{
  for (guint i = 0, shown = 0; self->project != NULL && i < self->recent_codes->len; i++)
    {
      const RecentCode *recent = &g_array_index (self->recent_codes, RecentCode, i);
      g_autoptr(TsrCode) code = lookup_recent_code (self, recent);

      if (code != NULL && ++shown == n)
        return recent->id;
    }
  return 0;
}

static gint64
current_coder_id (TsrWindow *self)
{
  TsrCoder *coder = self->project ? tsr_project_get_current_coder (self->project) : NULL;

  return coder ? tsr_entity_get_id (TSR_ENTITY (coder)) : 0;
}

/* Whose coding shows and is counted: everyone's, or only mine. */
static void
update_scope (TsrWindow *self)
{
  gint64 coder_id = current_coder_id (self);

  tsr_reader_set_show_other_coders (self->reader, self->show_other_coders);
  /* Everyone's coding shown: counted by the rule every view follows;
   * only mine shown: only mine counted. */
  if (self->show_other_coders && self->project != NULL)
    {
      g_autoptr(TsrScope) scope = tsr_project_dup_default_scope (self->project);
      gint64 counted = tsr_scope_get_coder_id (scope);

      tsr_code_tree_set_scope (self->code_tree, tsr_scope_get_mode (scope), counted);
      /* The passages beside each document: the same coding.  (Any
       * coder's is every coder's here: the rule counts any coder only
       * where there is no consensus coding.) */
      if (tsr_scope_get_mode (scope) == TSR_CODERS_CONSENSUS)
        {
          g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (self->project, NULL);
          counted = consensus ? tsr_entity_get_id (TSR_ENTITY (consensus)) : 0;
        }
      tsr_document_list_set_coder (self->document_list, counted);
    }
  else
    {
      tsr_code_tree_set_scope (self->code_tree,
                               self->show_other_coders ? TSR_CODERS_ANY : TSR_CODERS_ONE,
                               coder_id);
      tsr_document_list_set_coder (self->document_list, self->show_other_coders ? 0 : coder_id);
    }
}

static void
update_quick_bar (TsrWindow *self)
{
  GtkWidget *child;
  guint shown = 0;

  /* The first child is the bar's label. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->quick_bar));
  while (child != NULL && gtk_widget_get_next_sibling (child) != NULL)
    gtk_box_remove (self->quick_bar, gtk_widget_get_next_sibling (child));

  for (guint i = 0; self->project != NULL && i < self->recent_codes->len && shown < N_QUICK_CODES; i++)
    {
      g_autoptr(TsrCode) code = lookup_recent_code (self, &g_array_index (self->recent_codes, RecentCode, i));
      g_autofree char *number = NULL;
      g_autofree char *tooltip = NULL;
      GtkWidget *button;
      GtkWidget *box;
      GtkWidget *key;
      GtkWidget *name;

      /* A deleted code is hidden while it is gone. */
      if (code == NULL)
        continue;

      number = g_strdup_printf ("%u", shown + 1);
      key = gtk_label_new (number);
      gtk_widget_add_css_class (key, "dim-label");
      gtk_widget_add_css_class (key, "numeric");
      name = gtk_label_new (tsr_code_get_name (code));
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 18);

      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (box), key);
      gtk_box_append (GTK_BOX (box), g_object_new (TSR_TYPE_COLOR_SWATCH,
                                                   "color", tsr_code_get_color (code), NULL));
      gtk_box_append (GTK_BOX (box), name);

      button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.quick-code");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", (int) shown + 1);
      /* Translators: %s is a code, %u a digit key */
      tooltip = g_strdup_printf (_("Code the Selection as “%s” (Ctrl+%u)"), tsr_code_get_name (code), shown + 1);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_box_append (self->quick_bar, button);

      shown++;
    }

  gtk_revealer_set_reveal_child (self->quick_revealer, shown > 0);
  tsr_reader_set_recent_codes (self->reader, self->recent_codes);
}

/* Puts @code_id last in the list (@first: first instead). */
static void
add_recent_code (TsrWindow *self,
                 gint64     code_id,
                 gboolean   first)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
  RecentCode recent = { code_id, "" };

  if (code == NULL)
    return;
  g_strlcpy (recent.uuid, tsr_entity_get_uuid (TSR_ENTITY (code)), sizeof recent.uuid);

  for (guint i = 0; i < self->recent_codes->len; i++)
    if (g_array_index (self->recent_codes, RecentCode, i).id == code_id)
      {
        g_array_remove_index (self->recent_codes, i);
        break;
      }

  if (first)
    g_array_prepend_val (self->recent_codes, recent);
  else
    g_array_append_val (self->recent_codes, recent);
  /* Room for codes hidden while deleted. */
  if (self->recent_codes->len > 4 * N_QUICK_CODES)
    g_array_set_size (self->recent_codes, 4 * N_QUICK_CODES);
}

static void
seed_recent_codes (TsrWindow *self)
{
  g_autoptr(GArray) recent = NULL;

  g_array_set_size (self->recent_codes, 0);
  if (self->project != NULL)
    {
      recent = tsr_project_list_recent_codes (self->project, current_coder_id (self), N_QUICK_CODES);
      for (guint i = 0; i < recent->len; i++)
        add_recent_code (self, g_array_index (recent, gint64, i), FALSE);
    }
  update_quick_bar (self);
}

static void
note_code_used (TsrWindow *self,
                gint64     code_id)
{
  if (self->project == NULL)
    return;
  add_recent_code (self, code_id, TRUE);
  update_quick_bar (self);
}

static void
code_selection_with (TsrWindow *self,
                     gint64     code_id)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  if (tsr_reader_code_selection (self->reader, code_id, &error) == 0)
    tsr_window_show_toast (self, error->message);
}

static void
on_code_applied_cb (GObject   *source,
                    gint64     code_id,
                    TsrWindow *self)
{
  note_code_used (self, code_id);
}

static void
on_code_tree_code_activated_cb (TsrCodeTree *tree,
                                TsrCode     *code,
                                TsrWindow   *self)
{
  code_selection_with (self, tsr_entity_get_id (TSR_ENTITY (code)));
}

static void
on_code_tree_edit_definition_cb (TsrCodeTree *tree,
                                 TsrCode     *code,
                                 TsrWindow   *self)
{
  tsr_memo_pane_set_code (self->memo_pane, tsr_entity_get_id (TSR_ENTITY (code)));
  tsr_memo_pane_show_memo (self->memo_pane, TSR_MEMO_CODE, TRUE);
}

static void
on_code_tree_notify_selected_code_cb (TsrCodeTree *tree,
                                      GParamSpec  *pspec,
                                      TsrWindow   *self)
{
  TsrCode *code = tsr_code_tree_get_selected_code (tree);

  tsr_memo_pane_set_code (self->memo_pane, code ? tsr_entity_get_id (TSR_ENTITY (code)) : 0);
}

static void
on_reader_notify_selected_segment_cb (TsrReader  *reader,
                                      GParamSpec *pspec,
                                      TsrWindow  *self)
{
  tsr_memo_pane_set_segment (self->memo_pane, tsr_reader_get_selected_segment (reader));
}

static void
on_reader_memo_requested_cb (TsrReader *reader,
                             gint64     segment_id,
                             TsrWindow *self)
{
  tsr_memo_pane_set_segment (self->memo_pane, segment_id);
  tsr_memo_pane_show_memo (self->memo_pane, TSR_MEMO_SEGMENT, TRUE);
}

static void
on_current_coder_changed_cb (TsrProject *project,
                             GParamSpec *pspec,
                             TsrWindow  *self)
{
  TsrCoder *coder = tsr_project_get_current_coder (project);

  update_scope (self);
  seed_recent_codes (self);
  update_coder_button (self);

  /* The name offered in the next project asked. */
  if (coder != NULL && tsr_project_get_coder_confirmed (project))
    {
      g_autofree char *stored = g_settings_get_string (self->settings, "coder-name");

      if (g_strcmp0 (stored, tsr_coder_get_name (coder)) != 0)
        g_settings_set_string (self->settings, "coder-name", tsr_coder_get_name (coder));
    }
}

static void
change_coder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  present_coder_dialog (TSR_WINDOW (widget), NULL);
}

static void
on_settings_snap_to_words_changed_cb (TsrWindow  *self,
                                      const char *key,
                                      GSettings  *settings)
{
  tsr_reader_set_snap_to_words (self->reader, g_settings_get_boolean (settings, "snap-to-words"));
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

  if (n < 1 || nth_recent_code (self, n) == 0)
    {
      tsr_window_show_toast (self, _("No recent code on that key yet: code a passage first"));
      return;
    }

  code_selection_with (self, nth_recent_code (self, n));
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

/* GObject ------------------------------------------------------------ */

static void
tsr_window_dispose (GObject *object)
{
  TsrWindow *self = TSR_WINDOW (object);

  g_clear_handle_id (&self->narrow_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->project != NULL)
    tsr_window_close_project (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_WINDOW);

  g_clear_handle_id (&self->ask_coder_source, g_source_remove);
  g_clear_object (&self->file);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recent_codes, g_array_unref);

  G_OBJECT_CLASS (tsr_window_parent_class)->dispose (object);
}

static void
tsr_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TsrWindow *self = TSR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    case PROP_DOCUMENT_READ:
      g_value_set_boolean (value, self->document != NULL && tsr_document_get_read (self->document));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_SHOW_OTHER_CODERS:
      g_value_set_boolean (value, self->show_other_coders);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TsrWindow *self = TSR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT_READ:
      set_document_read (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_OTHER_CODERS:
      if (self->show_other_coders != !!g_value_get_boolean (value))
        {
          self->show_other_coders = !!g_value_get_boolean (value);
          update_scope (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Below these widths of the window the Code view's panes fold over the
 * reader, so that its column of text stays about 370 px wide or more:
 * the page's padding and the coding margin take some 200 px of the
 * reader.  Left to themselves the flaps would fold only when their
 * minimum widths no longer fit, with the text squeezed to 200 px well
 * before that. */
#define FOLD_DOCUMENTS_BELOW 1100
#define FOLD_CODES_BELOW      860

/* Below this width the reader's page margins narrow (style.css) and
 * the header bar drops the phases' button. */
#define NARROW_BELOW          500

static gboolean
update_narrow_cb (gpointer data)
{
  TsrWindow *self = data;
  gboolean narrow = gtk_widget_get_width (GTK_WIDGET (self)) < NARROW_BELOW;

  self->narrow_source = 0;
  if (narrow != gtk_widget_has_css_class (GTK_WIDGET (self), "tsr-narrow"))
    {
      if (narrow)
        gtk_widget_add_css_class (GTK_WIDGET (self), "tsr-narrow");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "tsr-narrow");
    }

  /* The phases' button would show no more than "…" there, and the
   * header bar needs its room for the window's buttons. */
  gtk_widget_set_visible (GTK_WIDGET (self->phases_button), !narrow);
  /* Likewise the coder's button: the main menu's Change Coder stays. */
  gtk_widget_set_visible (GTK_WIDGET (self->coder_button), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher_bar),
                          adw_view_switcher_title_get_title_visible (self->view_switcher_title));
  return G_SOURCE_REMOVE;
}

/* A narrow header bar shows the window's title instead of the view
 * switcher, and the switcher moves to a bar at the bottom.  The title
 * changes while the header bar is laid out; revealing the bar then
 * would leave the views beside it without a size for a frame.  So
 * would restyling a narrow window then. */
static void
on_view_switcher_title_notify_title_visible_cb (AdwViewSwitcherTitle *title,
                                                GParamSpec           *pspec,
                                                TsrWindow            *self)
{
  if (self->narrow_source == 0)
    self->narrow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_narrow_cb, self, NULL);
}

static void
tsr_window_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  TsrWindow *self = TSR_WINDOW (widget);

  /* Before the panes are laid out, so that they are laid out folded or
   * not in this same pass; folding does not change a flap's minimum
   * width, so the window's own size stays as it is. */
  adw_flap_set_fold_policy (self->sidebar_flap,
                            width < FOLD_DOCUMENTS_BELOW ? ADW_FLAP_FOLD_POLICY_ALWAYS
                                                         : ADW_FLAP_FOLD_POLICY_AUTO);
  adw_flap_set_fold_policy (self->code_flap,
                            width < FOLD_CODES_BELOW ? ADW_FLAP_FOLD_POLICY_ALWAYS
                                                     : ADW_FLAP_FOLD_POLICY_AUTO);

  GTK_WIDGET_CLASS (tsr_window_parent_class)->size_allocate (widget, width, height, baseline);

  if ((width < NARROW_BELOW) != gtk_widget_has_css_class (widget, "tsr-narrow") &&
      self->narrow_source == 0)
    self->narrow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_narrow_cb, self, NULL);
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

static void
tsr_window_class_init (TsrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tsr_window_dispose;
  object_class->get_property = tsr_window_get_property;
  object_class->set_property = tsr_window_set_property;

  widget_class->size_allocate = tsr_window_size_allocate;

  window_class->close_request = tsr_window_close_request;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL,
                         TSR_TYPE_DOCUMENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Backs the stateful win.document-read action. */
  properties [PROP_DOCUMENT_READ] =
    g_param_spec_boolean ("document-read", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Backs the stateful win.show-other-coders action; bound to the
   * setting of that name. */
  properties [PROP_SHOW_OTHER_CODERS] =
    g_param_spec_boolean ("show-other-coders", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSR_TYPE_CODE_TREE);
  g_type_ensure (TSR_TYPE_MEMO_PANE);
  g_type_ensure (TSR_TYPE_COLOR_SWATCH);
  g_type_ensure (TSR_TYPE_WELCOME_PAGE);
  g_type_ensure (TSR_TYPE_AGREEMENT_VIEW);
  g_type_ensure (TSR_TYPE_DOCUMENT_LIST);
  g_type_ensure (TSR_TYPE_READER);
  g_type_ensure (TSR_TYPE_REPORT_VIEW);
  g_type_ensure (TSR_TYPE_THEMES_VIEW);
  g_type_ensure (TSR_TYPE_REVIEW_VIEW);
  g_type_ensure (TSR_TYPE_PHASES_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, view_switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, view_switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, sidebar_flap);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, project_title);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, document_list);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, document_title);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, coder_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, coder_label);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, read_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, read_button_content);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, reader_scroller);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, reader);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, themes_view);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, review_view);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, phases_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, code_flap);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, code_pane_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, code_tree);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, memo_pane);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, others_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, quick_revealer);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, quick_bar);

  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.undo-toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.change-coder", NULL, change_coder_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.close-project", NULL, close_project_action);
  gtk_widget_class_install_action (widget_class, "win.merge-project", NULL, merge_project_action);
  gtk_widget_class_install_action (widget_class, "win.next-document", NULL, next_document_action);
  gtk_widget_class_install_action (widget_class, "win.previous-document", NULL, previous_document_action);
  gtk_widget_class_install_action (widget_class, "win.search-documents", NULL, search_documents_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_property_action (widget_class, "win.document-read", "document-read");
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
  gtk_widget_class_install_action (widget_class, "win.new-journal-entry", NULL, new_journal_entry_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-code-pane", NULL, toggle_code_pane_action);
}

static void
tsr_window_init (TsrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->recent_codes = g_array_new (FALSE, FALSE, sizeof (RecentCode));
  self->show_other_coders = TRUE;

  g_signal_connect_object (self->document_list, "notify::selected-document",
                           G_CALLBACK (on_document_list_notify_selected_cb),
                           self, 0);

  g_signal_connect (self, "notify::document-read",
                    G_CALLBACK (on_notify_document_read_cb), NULL);
  g_signal_connect_object (self->settings, "changed::snap-to-words",
                           G_CALLBACK (on_settings_snap_to_words_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_settings_snap_to_words_changed_cb (self, "snap-to-words", self->settings);
  g_settings_bind (self->settings, "show-other-coders", self, "show-other-coders", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->code_tree, "code-activated",
                           G_CALLBACK (on_code_tree_code_activated_cb), self, 0);
  g_signal_connect_object (self->code_tree, "code-applied",
                           G_CALLBACK (on_code_applied_cb), self, 0);
  g_signal_connect_object (self->code_tree, "edit-definition",
                           G_CALLBACK (on_code_tree_edit_definition_cb), self, 0);
  g_signal_connect_object (self->code_tree, "notify::selected-code",
                           G_CALLBACK (on_code_tree_notify_selected_code_cb), self, 0);
  g_signal_connect_object (self->reader, "code-applied",
                           G_CALLBACK (on_code_applied_cb), self, 0);
  g_signal_connect_object (self->reader, "notify::selected-segment",
                           G_CALLBACK (on_reader_notify_selected_segment_cb), self, 0);
  g_signal_connect_object (self->reader, "memo-requested",
                           G_CALLBACK (on_reader_memo_requested_cb), self, 0);

  /* The pane buttons show and hide the Code view's panes, folded over
   * the reader or beside it. */
  g_object_bind_property (self->sidebar_flap, "reveal-flap",
                          self->sidebar_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->code_flap, "reveal-flap",
                          self->code_pane_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->view_switcher_title, "notify::title-visible",
                           G_CALLBACK (on_view_switcher_title_notify_title_visible_cb), self, 0);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_stack_notify_visible_child_cb), self, 0);
  on_view_stack_notify_visible_child_cb (self->view_stack, NULL, self);

  /* Files dropped anywhere on an open project are imported into it. */
  gtk_widget_add_controller (gtk_stack_get_child_by_name (self->stack, "project"),
                             GTK_EVENT_CONTROLLER (tsr_import_dialog_drop_target_new (self)));

  restore_window_state (self);
  update_actions (self);
}

/* Public API --------------------------------------------------------- */

TsrWindow *
tsr_window_new (TsrApplication *application)
{
  return g_object_new (TSR_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * tsr_window_get_project:
 *
 * Returns: (transfer none) (nullable): the open project
 */
TsrProject *
tsr_window_get_project (TsrWindow *self)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), NULL);

  return self->project;
}

/**
 * tsr_window_show_view:
 * @name: the name of a page of the view stack: "code", …
 *
 * Brings one of the project's views to the front.
 */
void
tsr_window_show_view (TsrWindow  *self,
                      const char *name)
{
  g_return_if_fail (TSR_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/**
 * tsr_window_get_file:
 *
 * Returns: (transfer none) (nullable): the project file shown, or being
 *   opened
 */
GFile *
tsr_window_get_file (TsrWindow *self)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), NULL);

  return self->file;
}

/**
 * tsr_window_is_empty:
 *
 * Returns: %TRUE if the window shows the welcome page and is not opening
 *   anything, so a project can be opened in it
 */
gboolean
tsr_window_is_empty (TsrWindow *self)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), FALSE);

  return self->project == NULL && !self->busy;
}

gboolean
tsr_window_get_busy (TsrWindow *self)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), FALSE);

  return self->busy;
}

/**
 * tsr_window_open_file:
 * @file: a project file
 *
 * Opens @file in the background and shows it, or shows why it could not
 * be opened.  The project open so far, if any, is closed first.
 */
void
tsr_window_open_file (TsrWindow *self,
                      GFile     *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TSR_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a local file. Copy it to this "
                                                    "computer first."), uri);

      tsr_window_show_error (self, _("Could Not Open the Project"), message);
      return;
    }

  if (self->project != NULL && !tsr_window_close_project (self))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->file, file);
  set_busy (self, TRUE);

  {
    OpenRequest *request = g_new0 (OpenRequest, 1);

    request->window = g_object_ref (self);
    request->cancellable = g_object_ref (self->cancellable);
    tsr_project_open_async (path, self->cancellable, on_project_opened_cb, request);
  }
}

/**
 * tsr_window_create_project:
 * @file: where to make the project
 * @replace: whether the user agreed to replace an existing file
 *
 * Makes a new empty project at @file and shows it.
 */
void
tsr_window_create_project (TsrWindow *self,
                           GFile     *file,
                           gboolean   replace)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (TSR_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  name = g_file_get_basename (file);

  if (path == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Projects can only be made in a folder on this computer."));
      goto fail;
    }

  if (g_file_query_exists (file, NULL))
    {
      if (!replace)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("A file named “%s” already exists. Choose another name."), name);
          goto fail;
        }

      if (!g_file_delete (file, NULL, &error))
        goto fail;
    }

  if (self->project != NULL && !tsr_window_close_project (self))
    return;

  project = tsr_project_create (path, &error);
  if (project == NULL)
    goto fail;

  g_set_object (&self->file, file);
  if (!tsr_window_set_project (self, project, &error))
    goto fail;

  return;

fail:
  {
    g_autofree char *heading = g_strdup_printf (_("Could Not Create “%s”"), name);

    tsr_window_show_error (self, heading, error->message);
  }
}

/**
 * tsr_window_set_project:
 * @project: an open project
 *
 * Shows @project in the window, which closes it when done with it.
 */
gboolean
tsr_window_set_project (TsrWindow   *self,
                        TsrProject  *project,
                        GError     **error)
{
  TsrApplication *app;
  g_autoptr(TsrDocument) first = NULL;

  g_return_val_if_fail (TSR_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (TSR_IS_PROJECT (project), FALSE);

  if (self->project == project)
    return TRUE;

  if (self->project != NULL && !tsr_window_close_project (self))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED,
                           _("The project open in this window could not be closed."));
      return FALSE;
    }

  self->project = g_object_ref (project);

  {
    g_autoptr(GFile) file = g_file_new_for_path (tsr_project_get_path (project));

    if (self->file == NULL || !g_file_equal (self->file, file))
      g_set_object (&self->file, file);
  }

  self->changed_handler =
    g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);

  self->documents = tsr_project_get_documents (project);
  g_signal_connect_object (self->documents, "items-changed",
                           G_CALLBACK (on_documents_items_changed_cb), self, 0);

  self->coder_asked = FALSE;
  self->coder_handler =
    g_signal_connect (project, "notify::current-coder", G_CALLBACK (on_current_coder_changed_cb), self);
  update_coder_button (self);

  tsr_document_list_set_project (self->document_list, project);
  tsr_reader_set_document (self->reader, NULL, NULL, NULL);
  tsr_code_tree_set_project (self->code_tree, project);
  tsr_memo_pane_set_project (self->memo_pane, project);
  update_scope (self);
  seed_recent_codes (self);
  set_views_project (self, project);
  tsr_phases_button_set_project (self->phases_button, project);
  adw_view_stack_set_visible_child_name (self->view_stack, "code");

  first = find_first_unread (self->documents);
  set_document (self, first);

  update_titles (self);
  update_progress (self);
  update_content (self);
  update_actions (self);

  gtk_stack_set_visible_child_name (self->stack, "project");

  app = get_application (self);
  if (app != NULL)
    tsr_application_add_recent (app, self->file);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);

  return TRUE;
}

/**
 * tsr_window_change_coder:
 * @name: (nullable): the name to offer
 *
 * Asks who is coding in the open project, when nobody said yet, or
 * offers to rename the current coder or start coding as a new one.
 */
void
tsr_window_change_coder (TsrWindow  *self,
                         const char *name)
{
  g_return_if_fail (TSR_IS_WINDOW (self));
  present_coder_dialog (self, name);
}

/**
 * tsr_window_close_project:
 *
 * Closes the open project — checkpointing it into a single file — and
 * shows the welcome page.
 *
 * Returns: %FALSE if closing failed (the failure was shown)
 */
gboolean
tsr_window_close_project (TsrWindow *self)
{
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ret = TRUE;

  g_return_val_if_fail (TSR_IS_WINDOW (self), FALSE);

  if (self->project == NULL)
    return TRUE;

  /* What is being typed in a memo is saved first. */
  if (self->memo_pane != NULL)
    tsr_memo_pane_flush (self->memo_pane);

  project = g_steal_pointer (&self->project);

  g_clear_signal_handler (&self->changed_handler, project);
  g_clear_signal_handler (&self->coder_handler, project);
  g_clear_handle_id (&self->ask_coder_source, g_source_remove);
  if (self->coder_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->coder_dialog));
  g_signal_handlers_disconnect_by_func (self->documents, on_documents_items_changed_cb, self);
  g_clear_object (&self->documents);

  set_document (self, NULL);
  if (self->document_list != NULL)
    tsr_document_list_set_project (self->document_list, NULL);
  if (self->code_tree != NULL)
    tsr_code_tree_set_project (self->code_tree, NULL);
  if (self->memo_pane != NULL)
    tsr_memo_pane_set_project (self->memo_pane, NULL);
  if (self->recent_codes != NULL)
    {
      g_array_set_size (self->recent_codes, 0);
      update_quick_bar (self);
    }
  if (self->view_stack != NULL)
    set_views_project (self, NULL);
  if (self->phases_button != NULL)
    tsr_phases_button_set_project (self->phases_button, NULL);

  if (!tsr_project_close (project, &error))
    {
      /* Every edit was committed already; closing only folds the journal
       * back into the file, so the project is safe either way. */
      g_autofree char *message = g_strdup_printf (_("The project was not closed cleanly: %s"),
                                                  error->message);

      if (gtk_widget_get_realized (GTK_WIDGET (self)))
        tsr_window_show_toast (self, message);
      else
        g_warning ("%s", message);
      ret = TRUE;
    }

  g_clear_object (&self->file);

  if (self->stack != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      update_titles (self);
      update_actions (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);

  return ret;
}

/**
 * tsr_window_get_document:
 *
 * Returns: (transfer none) (nullable): the document in the reader
 */
TsrDocument *
tsr_window_get_document (TsrWindow *self)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), NULL);

  return self->document;
}

void
tsr_window_select_document (TsrWindow   *self,
                            TsrDocument *document)
{
  g_return_if_fail (TSR_IS_WINDOW (self));
  g_return_if_fail (!document || TSR_IS_DOCUMENT (document));

  set_document (self, document);
}

/**
 * tsr_window_show_error:
 * @heading: what failed, as a title
 * @message: why, and what to do
 *
 * Shows a failure the user must know about in a dialog.
 */
void
tsr_window_show_error (TsrWindow  *self,
                       const char *heading,
                       const char *message)
{
  GtkWidget *dialog;

  g_return_if_fail (TSR_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * tsr_window_show_toast:
 * @message: a short message
 *
 * Shows a passing message, such as an edit that failed.
 */
void
tsr_window_show_toast (TsrWindow  *self,
                       const char *message)
{
  AdwToast *toast;

  g_return_if_fail (TSR_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Ways into the theme views ------------------------------------------ */

/**
 * tsr_window_has_view:
 * @name: the name of a page of the view stack
 *
 * Returns: whether this window has that view
 */
gboolean
tsr_window_has_view (TsrWindow  *self,
                     const char *name)
{
  g_return_val_if_fail (TSR_IS_WINDOW (self), FALSE);

  return adw_view_stack_get_child_by_name (self->view_stack, name) != NULL;
}

/**
 * tsr_window_show_theme:
 *
 * Shows a theme's extracts and card in the review view.
 */
void
tsr_window_show_theme (TsrWindow *self,
                       gint64     theme_id)
{
  g_return_if_fail (TSR_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "review");
  tsr_review_view_select_theme (self->review_view, theme_id);
}

/**
 * tsr_window_show_theme_on_map:
 *
 * Shows the theme map with a theme selected and in view.
 */
void
tsr_window_show_theme_on_map (TsrWindow *self,
                              gint64     theme_id)
{
  TsrMapHit hit = { TSR_MAP_HIT_THEME, theme_id, 0, 0 };
  TsrThemeMap *map;

  g_return_if_fail (TSR_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "themes");
  map = tsr_themes_view_get_map (self->themes_view);
  tsr_theme_map_select (map, &hit);
  gtk_widget_grab_focus (GTK_WIDGET (map));
}

/**
 * tsr_window_show_segment:
 * @start: the first character of the passage
 * @end: the character after it
 *
 * Opens a document in the reader with a passage selected and scrolled
 * into view: where an extract came from.
 */
void
tsr_window_show_segment (TsrWindow *self,
                         gint64     document_id,
                         guint      start,
                         guint      end)
{
  g_autoptr(TsrDocument) document = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter from, to;

  g_return_if_fail (TSR_IS_WINDOW (self));

  if (self->project == NULL || (document = tsr_project_lookup_document (self->project, document_id)) == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "code");
  /* The list's own copy, so the reader keeps following it. */
  {
    guint n = g_list_model_get_n_items (self->documents);

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(TsrDocument) item = g_list_model_get_item (self->documents, i);

        if (tsr_entity_get_id (TSR_ENTITY (item)) == document_id)
          {
            set_document (self, item);
            break;
          }
      }
  }

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->reader));
  gtk_text_buffer_get_iter_at_offset (buffer, &from, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &to, end);
  gtk_text_buffer_select_range (buffer, &from, &to);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->reader), gtk_text_buffer_get_insert (buffer),
                                0.1, TRUE, 0.0, 0.3);
  gtk_widget_grab_focus (GTK_WIDGET (self->reader));
}

/**
 * tsr_window_show_undo_toast:
 * @message: what was done, e.g. "Deleted “Compassion”"
 *
 * Shows a passing message after a destructive edit, with a button that
 * undoes it.
 */
void
tsr_window_show_undo_toast (TsrWindow  *self,
                            const char *message)
{
  AdwToast *toast;

  g_return_if_fail (TSR_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo");
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
