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
#include "tsr-color-swatch.h"
#include "tsr-case-list.h"
#include "tsr-document-list.h"
#include "tsr-import-dialog.h"
#include "tsr-matrix-view.h"
#include "tsr-memo-pane.h"
#include "tsr-phases-button.h"
#include "tsr-reader.h"
#include "tsr-report-view.h"
#include "tsr-review-view.h"
#include "tsr-themes-view.h"
#include "tsr-welcome-page.h"
#include "tsr-window-private.h"

G_DEFINE_FINAL_TYPE (TsrWindow, tsr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_DOCUMENT,
  PROP_DOCUMENT_READ,
  PROP_DOCUMENT_DONE,
  PROP_BUSY,
  PROP_SHOW_OTHER_CODERS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_document (TsrWindow   *self,
                          TsrDocument *document);

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

void
_tsr_window_update_undo_redo (TsrWindow *self)
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

static gboolean
document_done (TsrWindow *self)
{
  return self->project != NULL && self->document != NULL &&
         tsr_project_get_document_done (self->project, tsr_entity_get_id (TSR_ENTITY (self->document)), 0);
}

static void
update_done_button (TsrWindow *self)
{
  gboolean done = document_done (self);
  TsrCoder *coder = self->project ? tsr_project_get_current_coder (self->project) : NULL;
  g_autofree char *tooltip = NULL;

  /* Each coder marks their own: the tooltip says whose mark it is. */
  if (coder != NULL)
    tooltip = done ? g_strdup_printf (_("%s finished coding this document; agreement compares it. Click to "
                                        "take the mark back"), tsr_coder_get_name (coder))
                   : g_strdup_printf (_("Mark the document as coded by %s: agreement then compares it as "
                                        "finished"), tsr_coder_get_name (coder));
  else
    tooltip = g_strdup (_("Mark the document as coded by you: agreement then compares it as finished"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->done_button), tooltip);
}

/* Called when the document, the current coder or the marks change. */
void
_tsr_window_notify_document_done (TsrWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT_DONE]);
  update_done_button (self);
}

static void
set_document_done (TsrWindow *self,
                   gboolean   done)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->project == NULL || self->document == NULL || !!done == document_done (self))
    return;

  id = tsr_entity_get_id (TSR_ENTITY (self->document));
  if (!tsr_project_set_documents_done (self->project, 0, &id, 1, done, &error))
    tsr_window_show_toast (self, error->message);

  /* The project notifies the change; this covers a failed write. */
  _tsr_window_notify_document_done (self);
  _tsr_window_update_undo_redo (self);
}

void
_tsr_window_save_state (TsrWindow *self)
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

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject *project,
                       TsrChange   change,
                       TsrWindow  *self)
{
  g_assert (TSR_IS_WINDOW (self));

  _tsr_window_update_undo_redo (self);
  _tsr_window_maybe_ask_coder (self);

  if (change & TSR_CHANGE_PROJECT)
    update_titles (self);

  /* Whose coding counts by default can change with any coding. */
  if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODERS))
    _tsr_window_update_scope (self);

  if (change & TSR_CHANGE_CODES)
    _tsr_window_update_quick_bar (self);

  if (change & TSR_CHANGE_DOCUMENTS)
    {
      update_progress (self);
      update_content (self);
      if (self->document != NULL)
        update_document_title (self);
      _tsr_window_notify_document_done (self);
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

/* Choosing a case (or All Documents) under Cases narrows the documents. */
static void
on_case_list_notify_selected_cb (TsrCaseList *list,
                                 GParamSpec  *pspec,
                                 TsrWindow   *self)
{
  tsr_document_list_set_case (self->document_list, tsr_case_list_get_selected_case_id (list));
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

  _tsr_window_save_state (self);

  if (self->project != NULL && !tsr_window_close_project (self))
    return TRUE;

  return GTK_WINDOW_CLASS (tsr_window_parent_class)->close_request (window);
}

/* The views of the project ------------------------------------------ */

/* The views follow the window's session for the project they show: the
 * panes of the Code view, the phases' button, and each page of the view
 * stack whose child has a "session" property. */
static void
set_views_session (TsrWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  g_object_set (self->document_list, "session", self->session, NULL);
  g_object_set (self->case_list, "session", self->session, NULL);
  g_object_set (self->code_tree, "session", self->session, NULL);
  g_object_set (self->memo_pane, "session", self->session, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), "session");

      if (pspec != NULL && g_type_is_a (pspec->value_type, TSR_TYPE_SESSION))
        g_object_set (child, "session", self->session, NULL);
    }

  g_object_set (self->phases_button, "session", self->session, NULL);
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
  _tsr_window_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DOCUMENT_READ]);
  _tsr_window_notify_document_done (self);
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
  _tsr_window_update_undo_redo (self);
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
  g_clear_object (&self->session);
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

    case PROP_DOCUMENT_DONE:
      g_value_set_boolean (value, document_done (self));
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

    case PROP_DOCUMENT_DONE:
      set_document_done (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_OTHER_CODERS:
      if (self->show_other_coders != !!g_value_get_boolean (value))
        {
          self->show_other_coders = !!g_value_get_boolean (value);
          _tsr_window_update_scope (self);
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
  /* On a phone's width Done keeps its icon; its name stays for screen
   * readers and in its tooltip. */
  adw_button_content_set_label (self->done_button_content, narrow ? "" : _("_Done"));
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

  /* Backs the stateful win.document-done action: whether the current
   * coder marked the document shown as done. */
  properties [PROP_DOCUMENT_DONE] =
    g_param_spec_boolean ("document-done", NULL, NULL,
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
  g_type_ensure (TSR_TYPE_CASE_LIST);
  g_type_ensure (TSR_TYPE_READER);
  g_type_ensure (TSR_TYPE_READER_SEARCH);
  g_type_ensure (TSR_TYPE_REPORT_VIEW);
  g_type_ensure (TSR_TYPE_MATRIX_VIEW);
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
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, case_list);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, document_title);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, coder_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, coder_label);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, read_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, read_button_content);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, done_button);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, done_button_content);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, reader_scroller);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, reader);
  gtk_widget_class_bind_template_child (widget_class, TsrWindow, reader_search);
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


  _tsr_window_class_actions_init (widget_class);
}

static void
tsr_window_init (TsrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->session = tsr_session_new ();
  set_views_session (self);
  self->recent_codes = g_array_new (FALSE, FALSE, sizeof (RecentCode));
  self->show_other_coders = TRUE;
  tsr_reader_search_set_reader (self->reader_search, self->reader);

  g_signal_connect_object (self->document_list, "notify::selected-document",
                           G_CALLBACK (on_document_list_notify_selected_cb),
                           self, 0);

  g_signal_connect_object (self->case_list, "notify::selected-case-id",
                           G_CALLBACK (on_case_list_notify_selected_cb),
                           self, 0);

  g_signal_connect (self, "notify::document-read",
                    G_CALLBACK (on_notify_document_read_cb), NULL);
  g_settings_bind (self->settings, "show-other-coders", self, "show-other-coders", G_SETTINGS_BIND_DEFAULT);

  _tsr_window_coding_init (self);

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
  _tsr_window_update_actions (self);
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
  /* Before the window's own handlers: the views follow the session, and
   * its scope is current when the window's handlers of the project read
   * it. */
  tsr_session_set_project (self->session, project);

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
    g_signal_connect (project, "notify::current-coder", G_CALLBACK (_tsr_window_on_current_coder_changed_cb), self);
  _tsr_window_update_coder_button (self);

  tsr_reader_set_document (self->reader, NULL, NULL, NULL);
  _tsr_window_update_scope (self);
  _tsr_window_seed_recent_codes (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "code");

  first = find_first_unread (self->documents);
  set_document (self, first);

  update_titles (self);
  update_progress (self);
  update_content (self);
  _tsr_window_update_actions (self);

  gtk_stack_set_visible_child_name (self->stack, "project");

  app = get_application (self);
  if (app != NULL)
    tsr_application_add_recent (app, self->file);

  _tsr_window_back_up (self);

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
  _tsr_window_present_coder_dialog (self, name);
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
  g_cancellable_cancel (self->recent_cancellable);
  g_clear_object (&self->recent_cancellable);
  if (self->coder_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->coder_dialog));
  g_signal_handlers_disconnect_by_func (self->documents, on_documents_items_changed_cb, self);
  g_clear_object (&self->documents);

  set_document (self, NULL);
  tsr_session_set_project (self->session, NULL);
  if (self->recent_codes != NULL)
    {
      g_array_set_size (self->recent_codes, 0);
      _tsr_window_update_quick_bar (self);
    }

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
      _tsr_window_update_actions (self);
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
