/* tsr-retrieval-window.c — every passage of a code, read together
 *
 * A window beside the main one, so the passages can be read while the
 * reader shows where each came from: a click on a passage opens its
 * document in the main window with the passage selected.  The list is
 * retrieved on a worker thread (tsr_project_retrieve_async ()) and again
 * after every edit of the project, so a passage removed here, or its
 * removal undone, shows at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-retrieval-window.h"
#include "tsr-window.h"

struct _TsrRetrievalWindow
{
  AdwWindow        parent_instance;

  TsrProject      *project;
  gulong           changed_handler;
  TsrWindow       *main_window;      /* weak */
  gint64           code_id;
  char            *code_path;
  GCancellable    *cancellable;
  GListStore      *passages;
  GArray          *coder_ids;        /* per row of the coder menu; 0: every coder */
  guint            n_documents;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkCheckButton  *subcodes_check;
  GtkDropDown     *coder_dropdown;
  GtkLabel        *summary_label;
  GtkStack        *stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;
  GtkMenuButton   *export_button;
};

G_DEFINE_FINAL_TYPE (TsrRetrievalWindow, tsr_retrieval_window, ADW_TYPE_WINDOW)

static void retrieve (TsrRetrievalWindow *self);

static void
show_toast (TsrRetrievalWindow *self,
            const char         *message,
            gboolean            undo)
{
  AdwToast *toast = adw_toast_new (message);

  if (undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "passages.undo");
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gint64
selected_coder (TsrRetrievalWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->coder_dropdown);

  if (self->coder_ids == NULL || i == GTK_INVALID_LIST_POSITION || i >= self->coder_ids->len)
    return 0;
  return g_array_index (self->coder_ids, gint64, i);
}

static TsrRetrieveQuery *
build_query (TsrRetrievalWindow *self)
{
  TsrRetrieveQuery *query = tsr_retrieve_query_new ();
  gint64 coder = selected_coder (self);

  tsr_retrieve_query_add_code (query, self->code_id);
  tsr_retrieve_query_set_with_subcodes (query, gtk_check_button_get_active (self->subcodes_check));
  tsr_retrieve_query_set_context (query, 80);
  if (coder != 0)
    {
      g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ONE, coder);

      tsr_retrieve_query_set_scope (query, scope);
    }
  return query;
}

/* The coder menu: every coder, then each coder by name.  Keeps the
 * chosen coder when the list is made again. */
static void
fill_coders (TsrRetrievalWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GListModel) coders = tsr_project_get_coders (self->project);
  gint64 chosen = selected_coder (self);
  guint selected = 0;

  g_clear_pointer (&self->coder_ids, g_array_unref);
  self->coder_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  gtk_string_list_append (names, _("Every Coder"));
  g_array_set_size (self->coder_ids, 1);
  for (guint i = 0; i < g_list_model_get_n_items (coders); i++)
    {
      g_autoptr(TsrCoder) coder = g_list_model_get_item (coders, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (coder));

      gtk_string_list_append (names, tsr_coder_get_name (coder));
      g_array_append_val (self->coder_ids, id);
      if (id == chosen)
        selected = self->coder_ids->len - 1;
    }
  g_signal_handlers_block_matched (self->coder_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->coder_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->coder_dropdown, selected);
  g_signal_handlers_unblock_matched (self->coder_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
update_title (TsrRetrievalWindow *self)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, self->code_id);

  if (code == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  g_free (self->code_path);
  self->code_path = tsr_project_get_code_path (self->project, self->code_id);
  adw_window_title_set_title (self->window_title, tsr_code_get_name (code));
  /* The code's place in the tree, when it has one above it. */
  if (tsr_code_get_parent_id (code) != 0)
    adw_window_title_set_subtitle (self->window_title, self->code_path);
  else
    adw_window_title_set_subtitle (self->window_title, _("Passages"));
  {
    g_autofree char *title = g_strdup_printf (_("Passages of “%s”"), tsr_code_get_name (code));

    gtk_window_set_title (GTK_WINDOW (self), title);
  }
}

static void
show_passages (TsrRetrievalWindow *self,
               GListModel         *passages)
{
  guint n = g_list_model_get_n_items (passages);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;
  gint64 last_document = 0;

  self->n_documents = 0;
  for (guint i = 0; i < n; i++)
    {
      TsrRetrievedPassage *passage = g_list_model_get_item (passages, i);

      if (tsr_retrieved_passage_get_document_id (passage) != last_document)
        self->n_documents++;
      last_document = tsr_retrieved_passage_get_document_id (passage);
      g_ptr_array_add (items, passage);
    }
  g_list_store_splice (self->passages, 0, g_list_model_get_n_items (G_LIST_MODEL (self->passages)),
                       items->pdata, items->len);

  if (n == 0)
    summary = g_strdup (_("No passages"));
  else
    {
      g_autofree char *passages_text = g_strdup_printf (ngettext ("%u passage", "%u passages", n), n);
      g_autofree char *documents_text = g_strdup_printf (ngettext ("%u document", "%u documents", self->n_documents),
                                                         self->n_documents);

      /* Translators: "12 passages in 5 documents" */
      summary = g_strdup_printf (C_("passages in documents", "%s in %s"), passages_text, documents_text);
    }
  gtk_label_set_text (self->summary_label, summary);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), n > 0);
}

static void
on_retrieved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsrRetrievalWindow) self = user_data;
  g_autoptr(GListModel) passages = NULL;
  g_autoptr(GError) error = NULL;

  passages = tsr_project_retrieve_finish (TSR_PROJECT (source), result, &error);
  if (passages == NULL)
    {
      if (!g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message, FALSE);
      return;
    }
  show_passages (self, passages);
}

static void
retrieve (TsrRetrievalWindow *self)
{
  g_autoptr(TsrRetrieveQuery) query = NULL;

  if (self->project == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  query = build_query (self);
  tsr_project_retrieve_async (self->project, query, self->cancellable, on_retrieved_cb, g_object_ref (self));
}

static void
on_project_changed_cb (TsrProject         *project,
                       TsrChange           change,
                       TsrRetrievalWindow *self)
{
  if (change & TSR_CHANGE_CODERS)
    fill_coders (self);
  if (change & TSR_CHANGE_CODES)
    update_title (self);
  if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODES | TSR_CHANGE_DOCUMENTS | TSR_CHANGE_MEMOS | TSR_CHANGE_CODERS))
    retrieve (self);
}

/* Passages of a project that is no longer shown lead nowhere. */
static void
on_main_window_project_cb (GObject            *main_window,
                           GParamSpec         *pspec,
                           TsrRetrievalWindow *self)
{
  if (tsr_window_get_project (TSR_WINDOW (main_window)) != self->project)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_filter_changed_cb (TsrRetrievalWindow *self)
{
  retrieve (self);
}

/* Rows ------------------------------------------------------------------ */

static void
on_remove_clicked_cb (GtkButton          *button,
                      TsrRetrievalWindow *self)
{
  TsrRetrievedPassage *passage = g_object_get_data (G_OBJECT (button), "passage");
  g_autoptr(GError) error = NULL;

  if (passage == NULL)
    return;
  if (!tsr_project_remove_segment (self->project, tsr_retrieved_passage_get_segment_id (passage), &error))
    show_toast (self, error->message, FALSE);
  else
    {
      g_autofree char *message = g_strdup_printf (_("Removed “%s” from a passage of %s"),
                                                  tsr_retrieved_passage_get_code_path (passage),
                                                  tsr_retrieved_passage_get_document_name (passage));
      show_toast (self, message, TRUE);
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              TsrRetrievalWindow       *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *where = gtk_label_new (NULL);
  GtkWidget *context = gtk_label_new (NULL);
  GtkWidget *memo = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (where, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (context), 0);
  gtk_label_set_wrap (GTK_LABEL (context), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (context), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (memo), 0);
  gtk_label_set_wrap (GTK_LABEL (memo), TRUE);
  gtk_widget_add_css_class (memo, "dim-label");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, _("Remove This Coding"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self);

  gtk_box_append (GTK_BOX (texts), where);
  gtk_box_append (GTK_BOX (texts), context);
  gtk_box_append (GTK_BOX (texts), memo);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             TsrRetrievalWindow       *self)
{
  TsrRetrievedPassage *passage = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *texts = gtk_widget_get_first_child (box);
  GtkWidget *where = gtk_widget_get_first_child (texts);
  GtkWidget *context = gtk_widget_get_next_sibling (where);
  GtkWidget *memo = gtk_widget_get_next_sibling (context);
  GtkWidget *remove = gtk_widget_get_next_sibling (texts);
  const char *before = tsr_retrieved_passage_get_before (passage);
  const char *after = tsr_retrieved_passage_get_after (passage);
  const char *memo_text = tsr_retrieved_passage_get_memo (passage);
  g_autofree char *heading = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *accessible = NULL;

  /* The document and coder; the code too when it is a sub-code. */
  if (g_strcmp0 (tsr_retrieved_passage_get_code_path (passage), self->code_path) == 0)
    heading = g_strdup_printf ("%s · %s", tsr_retrieved_passage_get_document_name (passage),
                               tsr_retrieved_passage_get_coder_name (passage));
  else
    heading = g_strdup_printf ("%s · %s · %s", tsr_retrieved_passage_get_document_name (passage),
                               tsr_retrieved_passage_get_coder_name (passage),
                               tsr_retrieved_passage_get_code_path (passage));
  gtk_label_set_text (GTK_LABEL (where), heading);

  markup = g_markup_printf_escaped ("<span alpha=\"60%%\">%s%s</span><b>%s</b><span alpha=\"60%%\">%s%s</span>",
                                    *before ? "…" : "", before, tsr_retrieved_passage_get_text (passage),
                                    after, *after ? "…" : "");
  gtk_label_set_markup (GTK_LABEL (context), markup);

  gtk_widget_set_visible (memo, memo_text != NULL);
  if (memo_text != NULL)
    {
      g_autofree char *memo_line = g_strdup_printf (_("Memo: %s"), memo_text);

      gtk_label_set_text (GTK_LABEL (memo), memo_line);
    }

  g_object_set_data_full (G_OBJECT (remove), "passage", g_object_ref (passage), g_object_unref);
  accessible = g_strdup_printf (_("Remove the coding of this passage of %s"),
                                tsr_retrieved_passage_get_document_name (passage));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               TsrRetrievalWindow       *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *remove = gtk_widget_get_last_child (box);

  g_object_set_data (G_OBJECT (remove), "passage", NULL);
}

static void
on_list_view_activate_cb (GtkListView        *view,
                          guint               position,
                          TsrRetrievalWindow *self)
{
  g_autoptr(TsrRetrievedPassage) passage = g_list_model_get_item (G_LIST_MODEL (self->passages), position);

  if (passage == NULL || self->main_window == NULL)
    return;
  tsr_window_show_segment (self->main_window, tsr_retrieved_passage_get_document_id (passage),
                           tsr_retrieved_passage_get_start (passage), tsr_retrieved_passage_get_end (passage));
}

/* Actions ---------------------------------------------------------------- */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrRetrievalWindow *self = TSR_RETRIEVAL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->project != NULL && tsr_project_can_undo (self->project) && !tsr_project_undo (self->project, &error))
    show_toast (self, error->message, FALSE);
}

typedef struct
{
  TsrRetrievalWindow *self;
  TsrExportDocument  *document;
  TsrExportFormat     format;
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
        show_toast (request->self, error->message, FALSE);
      else if (file != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

          show_toast (request->self, message, FALSE);
        }
    }

  g_object_unref (request->self);
  tsr_export_document_unref (request->document);
  g_free (request);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrRetrievalWindow *self = TSR_RETRIEVAL_WINDOW (widget);
  GtkFileChooserNative *chooser;
  ExportRequest *request;
  TsrExportFormat format;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *name = NULL;
  gint64 coder = selected_coder (self);

  if (!tsr_export_format_from_string (g_variant_get_string (param, NULL), &format) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->passages)) == 0)
    return;

  title = g_strdup_printf (_("Passages of “%s”"), self->code_path);
  if (coder != 0)
    {
      g_autoptr(TsrCoder) who = tsr_project_lookup_coder (self->project, coder);

      description = g_strdup_printf (_("Coded by %s"), who ? tsr_coder_get_name (who) : "");
    }
  else
    description = g_strdup (_("Every coder’s coding"));
  if (gtk_check_button_get_active (self->subcodes_check))
    {
      g_autofree char *with = g_strdup_printf ("%s; %s", description, _("with sub-codes"));

      g_free (description);
      description = g_steal_pointer (&with);
    }

  request = g_new0 (ExportRequest, 1);
  request->self = g_object_ref (self);
  request->document = tsr_retrieved_passages_to_document (G_LIST_MODEL (self->passages), title, description, format);
  request->format = format;

  chooser = gtk_file_chooser_native_new (_("Export the Passages"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  {
    g_autofree char *base = g_strdelimit (g_strdup (self->code_path), "/\\:", '-');

    /* Translators: the file name offered for a code's passages, without extension */
    name = g_strdup_printf (_("Passages – %s.%s"), base, tsr_export_format_get_extension (format));
  }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* The object -------------------------------------------------------------- */

static void
tsr_retrieval_window_dispose (GObject *object)
{
  TsrRetrievalWindow *self = TSR_RETRIEVAL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->changed_handler, self->project);
  g_clear_object (&self->project);
  g_clear_weak_pointer (&self->main_window);
  g_clear_object (&self->passages);
  g_clear_pointer (&self->coder_ids, g_array_unref);

  G_OBJECT_CLASS (tsr_retrieval_window_parent_class)->dispose (object);
}

static void
tsr_retrieval_window_finalize (GObject *object)
{
  TsrRetrievalWindow *self = TSR_RETRIEVAL_WINDOW (object);

  g_free (self->code_path);

  G_OBJECT_CLASS (tsr_retrieval_window_parent_class)->finalize (object);
}

static void
tsr_retrieval_window_class_init (TsrRetrievalWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_retrieval_window_dispose;
  object_class->finalize = tsr_retrieval_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-retrieval-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, subcodes_check);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, coder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TsrRetrievalWindow, export_button);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "passages.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "passages.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "passages.undo", NULL);
}

static void
tsr_retrieval_window_init (TsrRetrievalWindow *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->passages = g_list_store_new (TSR_TYPE_RETRIEVED_PASSAGE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->passages)))));
  g_object_unref (gtk_list_view_get_model (self->list_view));

  g_signal_connect_swapped (self->subcodes_check, "toggled", G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (self->coder_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb), self);
}

/**
 * tsr_retrieval_window_new:
 * @main_window: the window whose reader shows a passage when it is clicked
 * @project: the open project
 * @code_id: the code whose passages to show
 *
 * Returns: (transfer full): a new window, not yet shown
 */
TsrRetrievalWindow *
tsr_retrieval_window_new (TsrWindow  *main_window,
                          TsrProject *project,
                          gint64      code_id)
{
  TsrRetrievalWindow *self;

  g_return_val_if_fail (TSR_IS_WINDOW (main_window), NULL);
  g_return_val_if_fail (TSR_IS_PROJECT (project), NULL);

  self = g_object_new (TSR_TYPE_RETRIEVAL_WINDOW,
                       "transient-for", main_window,
                       "application", gtk_window_get_application (GTK_WINDOW (main_window)),
                       NULL);
  g_set_weak_pointer (&self->main_window, main_window);
  self->project = g_object_ref (project);
  self->code_id = code_id;
  self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  g_signal_connect_object (main_window, "notify::project", G_CALLBACK (on_main_window_project_cb), self, 0);
  fill_coders (self);
  update_title (self);
  retrieve (self);
  return self;
}

/**
 * tsr_retrieval_window_get_code_id:
 *
 * Returns: the code whose passages the window shows
 */
gint64
tsr_retrieval_window_get_code_id (TsrRetrievalWindow *self)
{
  g_return_val_if_fail (TSR_IS_RETRIEVAL_WINDOW (self), 0);
  return self->code_id;
}
