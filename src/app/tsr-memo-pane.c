/* tsr-memo-pane.c — memos on the document, passage and code, and the journal
 *
 * Memos are saved through the core while typing, a moment after the
 * last key, and at once when the memo shown changes, the pane loses
 * focus or the project closes: nothing typed is lost.  Each save is an
 * undoable edit; an undo from elsewhere shows here when the memo is not
 * being typed in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsr-memo-pane.h"
#include "tsr-session.h"
#include "tsr-toast.h"

#define SAVE_DELAY_MS 700

struct _TsrMemoPane
{
  GtkWidget        parent_instance;

  TsrProject      *project;
  gulong           changed_handler;
  GListModel      *journal;

  gint64           document_id;
  gint64           segment_id;
  gint64           code_id;

  /* The memo in the view: what it is on, and what was last saved. */
  TsrMemoKind      kind;
  gint64           target_id;
  char            *saved;
  guint            save_timeout;
  gboolean         loading;

  /* Template widgets */
  GtkStack        *stack;
  GtkToggleButton *document_button;
  GtkToggleButton *segment_button;
  GtkToggleButton *code_button;
  GtkLabel        *target_label;
  GtkTextView     *memo_view;
  GtkLabel        *placeholder;
  GtkButton       *add_entry_button;
  GtkScrolledWindow *journal_scroller;
  GtkListBox      *journal_list;
};

G_DEFINE_FINAL_TYPE (TsrMemoPane, tsr_memo_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrMemoPane *self,
                         TsrProject  *project);

/* Helpers ------------------------------------------------------------ */

static void
show_error (TsrMemoPane *self,
            GError      *error)
{
  if (!tsr_toast_show (GTK_WIDGET (self), error->message))
    g_warning ("%s", error->message);
}

static char *
dup_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
load_memo (TsrMemoPane *self,
           TsrMemoKind  kind,
           gint64       target_id)
{
  if (self->project == NULL || target_id == 0)
    return g_strdup ("");

  if (kind == TSR_MEMO_CODE)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, target_id);

      return g_strdup (code ? tsr_code_get_definition (code) : "");
    }

  return tsr_project_get_memo (self->project, kind, target_id);
}

static void
update_placeholder (TsrMemoPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->memo_view);
  const char *text;

  if (self->target_id == 0)
    text = self->kind == TSR_MEMO_SEGMENT ? _("Select a coded passage to write about it")
         : self->kind == TSR_MEMO_CODE ? _("Select a code to define it")
         : _("Open a document to write about it");
  else if (self->kind == TSR_MEMO_CODE)
    text = _("What the code means, and when to apply it");
  else
    text = _("First ideas, questions, connections…");

  gtk_label_set_label (self->placeholder, text);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder),
                          gtk_text_buffer_get_char_count (buffer) == 0);
}

static void
update_target_label (TsrMemoPane *self)
{
  g_autofree char *label = NULL;

  if (self->project != NULL && self->target_id != 0)
    {
      if (self->kind == TSR_MEMO_DOCUMENT)
        {
          g_autoptr(TsrDocument) document = tsr_project_lookup_document (self->project, self->target_id);

          label = g_strdup (document ? tsr_document_get_name (document) : "");
        }
      else if (self->kind == TSR_MEMO_CODE)
        {
          g_autofree char *path = tsr_project_get_code_path (self->project, self->target_id);

          /* Translators: the code whose definition is edited */
          label = g_strdup_printf (_("Definition of “%s”"), path ? path : "");
        }
      else
        {
          g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (self->project, self->target_id);
          g_autoptr(TsrCode) code = segment ? tsr_project_lookup_code (self->project, tsr_segment_get_code_id (segment)) : NULL;

          /* Translators: a passage coded with the code %s */
          label = g_strdup_printf (_("Passage coded “%s”"), code ? tsr_code_get_name (code) : "");
        }
    }

  gtk_label_set_label (self->target_label, label ? label : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->target_label), label);
}

/* Saves the memo in the view, if it changed. */
static void
save_memo (TsrMemoPane *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_clear_handle_id (&self->save_timeout, g_source_remove);

  if (self->project == NULL || self->target_id == 0)
    return;

  text = dup_view_text (self->memo_view);
  if (g_strcmp0 (text, self->saved) == 0)
    return;

  if (self->kind == TSR_MEMO_CODE)
    ok = tsr_project_set_code_definition (self->project, self->target_id, text, &error);
  else
    ok = tsr_project_set_memo (self->project, self->kind, self->target_id, text, &error);

  if (!ok)
    {
      show_error (self, error);
      return;
    }

  g_free (self->saved);
  self->saved = g_steal_pointer (&text);
}

static void
set_view_text (TsrMemoPane *self,
               const char  *text)
{
  self->loading = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->memo_view), text, -1);
  self->loading = FALSE;
  update_placeholder (self);
}

/* Shows the memo on @kind's current target. */
static void
load_target (TsrMemoPane *self,
             TsrMemoKind  kind)
{
  gint64 target_id = kind == TSR_MEMO_DOCUMENT ? self->document_id
                   : kind == TSR_MEMO_SEGMENT ? self->segment_id
                   : self->code_id;

  if (self->kind == kind && self->target_id == target_id && self->saved != NULL)
    return;

  save_memo (self);

  self->kind = kind;
  self->target_id = target_id;
  g_free (self->saved);
  self->saved = load_memo (self, kind, target_id);

  set_view_text (self, self->saved);
  gtk_text_view_set_editable (self->memo_view, target_id != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->memo_view), target_id != 0);
  update_target_label (self);
}

static void
update_buttons (TsrMemoPane *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->document_button), self->document_id != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->segment_button), self->segment_id != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->code_button), self->code_id != 0);
}

static void
reload_if_idle (TsrMemoPane *self)
{
  g_autofree char *stored = NULL;
  g_autofree char *shown = NULL;

  /* Being typed in: the typing wins, and is saved soon. */
  if (self->save_timeout != 0)
    return;

  stored = load_memo (self, self->kind, self->target_id);
  shown = dup_view_text (self->memo_view);
  g_free (self->saved);
  self->saved = g_strdup (stored);
  if (g_strcmp0 (stored, shown) != 0)
    set_view_text (self, stored);
  update_target_label (self);
}

/* The journal -------------------------------------------------------- */

typedef struct
{
  TsrMemoPane *pane;
  TsrMemo     *entry;
  GtkEntry    *date;
  GtkTextView *text;
  GtkLabel    *byline;
  /* Held, as the row's widgets may go before the editor does. */
  GtkTextBuffer *buffer;
  char        *date_text;
  char        *saved_text;
  char        *saved_date;
  guint        timeout;
  gulong       notify_handler;
} EntryEditor;

static void
save_entry (EntryEditor *editor)
{
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&editor->timeout, g_source_remove);

  if (editor->pane->project == NULL)
    return;

  {
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (editor->buffer, &start, &end);
    text = gtk_text_buffer_get_text (editor->buffer, &start, &end, FALSE);
  }
  /* A copy: saving notifies, and the notification may set the field. */
  date = g_strdup (editor->date_text);
  if (g_strcmp0 (text, editor->saved_text) == 0 && g_strcmp0 (date, editor->saved_date) == 0)
    return;

  if (!tsr_project_edit_journal_entry (editor->pane->project,
                                       tsr_entity_get_id (TSR_ENTITY (editor->entry)),
                                       date, text, &error))
    {
      /* A bad date is shown on the field and kept for correcting. */
      if (g_error_matches (error, TSR_ERROR, TSR_ERROR_INVALID) && editor->date != NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (editor->date), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (editor->date), error->message);
        }
      else
        show_error (editor->pane, error);
      return;
    }

  if (editor->date != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editor->date), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (editor->date), _("Date (YYYY-MM-DD)"));
    }
  g_free (editor->saved_text);
  editor->saved_text = g_steal_pointer (&text);
  g_free (editor->saved_date);
  editor->saved_date = g_strdup (date);
}

/* Who wrote the entry and when it was last written in: the entry's date
 * is the day it is about, which the writer may set to another. */
static void
update_byline (EntryEditor *editor)
{
  TsrProject *project = editor->pane->project;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;
  g_autofree char *when = NULL;
  g_autofree char *byline = NULL;
  const char *name;

  if (editor->byline == NULL || project == NULL)
    return;

  if (tsr_memo_get_coder_id (editor->entry) != 0)
    coder = tsr_project_lookup_coder (project, tsr_memo_get_coder_id (editor->entry));
  name = coder ? tsr_coder_get_name (coder) : _("Unknown coder");

  modified = g_date_time_new_from_unix_local (tsr_memo_get_modified (editor->entry) / G_USEC_PER_SEC);
  if (modified == NULL)
    {
      gtk_label_set_text (editor->byline, name);
      return;
    }
  day = g_date_time_format (modified, "%Y-%m-%d");
  time = g_date_time_format (modified, "%H:%M");
  when = g_strcmp0 (day, tsr_memo_get_date (editor->entry)) == 0
         ? g_strdup (time)
         /* Translators: a date and a time */
         : g_strdup_printf (_("edited %s %s"), day, time);
  /* Translators: who wrote a journal entry, and when */
  byline = g_strdup_printf (_("%s · %s"), name, when);
  gtk_label_set_text (editor->byline, byline);
}

static void
entry_editor_free (EntryEditor *editor)
{
  editor->date = NULL;
  editor->text = NULL;
  editor->byline = NULL;
  save_entry (editor);
  g_clear_signal_handler (&editor->notify_handler, editor->entry);
  g_clear_object (&editor->entry);
  g_clear_object (&editor->buffer);
  g_free (editor->date_text);
  g_free (editor->saved_text);
  g_free (editor->saved_date);
  g_free (editor);
}

static gboolean
on_entry_timeout_cb (gpointer user_data)
{
  EntryEditor *editor = user_data;

  editor->timeout = 0;
  save_entry (editor);
  return G_SOURCE_REMOVE;
}

static void
on_entry_changed_cb (EntryEditor *editor)
{
  if (editor->date != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editor->date), "error");
      g_free (editor->date_text);
      editor->date_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor->date)));
    }

  g_clear_handle_id (&editor->timeout, g_source_remove);
  editor->timeout = g_timeout_add (SAVE_DELAY_MS, on_entry_timeout_cb, editor);
}

static void
on_entry_notify_cb (TsrMemo     *entry,
                    GParamSpec  *pspec,
                    EntryEditor *editor)
{
  update_byline (editor);

  /* An undo or another window changed it; not while being typed in. */
  if (editor->timeout != 0)
    return;

  if (g_strcmp0 (tsr_memo_get_text (entry), editor->saved_text) != 0)
    {
      g_free (editor->saved_text);
      editor->saved_text = g_strdup (tsr_memo_get_text (entry));
      gtk_text_buffer_set_text (editor->buffer, editor->saved_text, -1);
    }
  if (g_strcmp0 (tsr_memo_get_date (entry), editor->saved_date) != 0)
    {
      g_free (editor->saved_date);
      editor->saved_date = g_strdup (tsr_memo_get_date (entry));
      if (editor->date != NULL)
        gtk_editable_set_text (GTK_EDITABLE (editor->date), editor->saved_date);
    }
  g_clear_handle_id (&editor->timeout, g_source_remove);
}

static void
on_delete_entry_clicked_cb (GtkButton   *button,
                            TsrMemoPane *self)
{
  TsrMemo *entry = g_object_get_data (G_OBJECT (button), "entry");
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || entry == NULL)
    return;

  if (!tsr_project_delete_journal_entry (self->project, tsr_entity_get_id (TSR_ENTITY (entry)), &error))
    show_error (self, error);
  else
    tsr_toast_show_undo (GTK_WIDGET (self), _("Deleted a journal entry"));
}

static GtkWidget *
create_entry_row (gpointer item,
                  gpointer user_data)
{
  TsrMemoPane *self = user_data;
  TsrMemo *entry = item;
  EntryEditor *editor = g_new0 (EntryEditor, 1);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *date = gtk_entry_new ();
  GtkWidget *byline = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *text = gtk_text_view_new ();

  editor->pane = self;
  editor->entry = g_object_ref (entry);
  editor->date = GTK_ENTRY (date);
  editor->text = GTK_TEXT_VIEW (text);
  editor->byline = GTK_LABEL (byline);
  editor->saved_text = g_strdup (tsr_memo_get_text (entry));
  editor->saved_date = g_strdup (tsr_memo_get_date (entry));
  editor->date_text = g_strdup (editor->saved_date);
  editor->buffer = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)));

  gtk_editable_set_text (GTK_EDITABLE (date), editor->saved_date ? editor->saved_date : "");
  gtk_editable_set_width_chars (GTK_EDITABLE (date), 10);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (date), 10);
  gtk_widget_set_tooltip_text (date, _("Date (YYYY-MM-DD)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (date), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Entry date"), -1);
  gtk_widget_add_css_class (date, "flat");
  gtk_widget_set_hexpand (date, TRUE);
  gtk_widget_set_halign (date, GTK_ALIGN_START);

  gtk_label_set_ellipsize (GTK_LABEL (byline), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (byline), 0);
  gtk_widget_set_margin_start (byline, 6);
  gtk_widget_add_css_class (byline, "dim-label");
  gtk_widget_add_css_class (byline, "caption");
  update_byline (editor);

  gtk_widget_set_tooltip_text (remove, _("Delete Entry"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete entry"), -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "entry", g_object_ref (entry), g_object_unref);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_delete_entry_clicked_cb), self);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (text), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text), 6);
  gtk_widget_set_size_request (text, -1, 48);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), editor->saved_text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Journal entry"), -1);
  gtk_widget_add_css_class (text, "tsr-journal-text");

  gtk_box_append (GTK_BOX (header), date);
  gtk_box_append (GTK_BOX (header), remove);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), byline);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  g_signal_connect_swapped (date, "changed", G_CALLBACK (on_entry_changed_cb), editor);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), "changed",
                            G_CALLBACK (on_entry_changed_cb), editor);
  editor->notify_handler = g_signal_connect (entry, "notify", G_CALLBACK (on_entry_notify_cb), editor);
  g_object_set_data_full (G_OBJECT (row), "editor", editor, (GDestroyNotify) entry_editor_free);

  return row;
}

/* Frames for which a new entry is kept in view: the rows above it may
 * still be settling their wrapped heights, and the page switching in. */
#define REVEAL_FRAMES 20

/* Scrolls the journal so that @row shows whole, or its top if it is
 * taller than the pane, on each of the first frames after it was added. */
static gboolean
reveal_row_cb (GtkWidget     *row,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  TsrMemoPane *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->journal_scroller);
  guint frames = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "reveal-frames"));
  graphene_rect_t bounds;
  double top, bottom, value, page;

  g_object_set_data (G_OBJECT (row), "reveal-frames", GUINT_TO_POINTER (frames + 1));
  if (gtk_widget_get_parent (row) == NULL || frames >= REVEAL_FRAMES)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_height (row) == 0 ||
      !gtk_widget_compute_bounds (row, GTK_WIDGET (self->journal_list), &bounds))
    return G_SOURCE_CONTINUE;

  top = bounds.origin.y + gtk_widget_get_margin_top (GTK_WIDGET (self->journal_list));
  bottom = top + bounds.size.height + gtk_widget_get_margin_bottom (GTK_WIDGET (self->journal_list));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (bottom > value + page)
    value = bottom - page;
  if (top < value)
    value = top;
  gtk_adjustment_set_value (adjustment, value);
  return G_SOURCE_CONTINUE;
}

static void
flush_journal (TsrMemoPane *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->journal_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      EntryEditor *editor = g_object_get_data (G_OBJECT (row), "editor");

      if (editor != NULL)
        save_entry (editor);
    }
}

/* Callbacks ---------------------------------------------------------- */

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  TsrMemoPane *self = user_data;

  self->save_timeout = 0;
  save_memo (self);
  return G_SOURCE_REMOVE;
}

static void
on_memo_buffer_changed_cb (TsrMemoPane   *self,
                           GtkTextBuffer *buffer)
{
  update_placeholder (self);

  if (self->loading)
    return;

  g_clear_handle_id (&self->save_timeout, g_source_remove);
  self->save_timeout = g_timeout_add (SAVE_DELAY_MS, on_save_timeout_cb, self);
}

static void
on_focus_leave_cb (TsrMemoPane *self)
{
  save_memo (self);
  flush_journal (self);
}

static void
on_target_toggled_cb (TsrMemoPane     *self,
                      GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  load_target (self,
               button == self->code_button ? TSR_MEMO_CODE
               : button == self->segment_button ? TSR_MEMO_SEGMENT
               : TSR_MEMO_DOCUMENT);
}

static void
on_add_entry_clicked_cb (TsrMemoPane *self)
{
  tsr_memo_pane_add_journal_entry (self);
}

static void
on_project_changed_cb (TsrProject  *project,
                       TsrChange    change,
                       TsrMemoPane *self)
{
  /* A deleted passage or code has no memo left to write. */
  if (change & TSR_CHANGE_SEGMENTS && self->segment_id != 0)
    {
      g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (project, self->segment_id);

      if (segment == NULL)
        tsr_memo_pane_set_segment (self, 0);
    }
  if (change & TSR_CHANGE_CODES && self->code_id != 0)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (project, self->code_id);

      if (code == NULL)
        tsr_memo_pane_set_code (self, 0);
    }

  if (change & (TSR_CHANGE_MEMOS | TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS))
    reload_if_idle (self);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_memo_pane_dispose (GObject *object)
{
  TsrMemoPane *self = TSR_MEMO_PANE (object);

  set_project (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_MEMO_PANE);

  {
    GtkWidget *child;

    /* Popovers are not unparented with the template. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (tsr_memo_pane_parent_class)->dispose (object);
}

static void
tsr_memo_pane_finalize (GObject *object)
{
  TsrMemoPane *self = TSR_MEMO_PANE (object);

  g_clear_pointer (&self->saved, g_free);

  G_OBJECT_CLASS (tsr_memo_pane_parent_class)->finalize (object);
}

static void
tsr_memo_pane_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsrMemoPane *self = TSR_MEMO_PANE (object);

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

static void
tsr_memo_pane_class_init (TsrMemoPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_memo_pane_dispose;
  object_class->finalize = tsr_memo_pane_finalize;
  object_class->set_property = tsr_memo_pane_set_property;

  /* The window's session, set once: the pane shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tsrmemopane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-memo-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, document_button);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, segment_button);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, code_button);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, target_label);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, memo_view);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, placeholder);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, add_entry_button);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, journal_scroller);
  gtk_widget_class_bind_template_child (widget_class, TsrMemoPane, journal_list);
  gtk_widget_class_bind_template_callback (widget_class, on_target_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_entry_clicked_cb);
}

static void
tsr_memo_pane_init (TsrMemoPane *self)
{
  GtkEventController *focus;
  GtkWidget *empty;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->kind = TSR_MEMO_DOCUMENT;
  gtk_toggle_button_set_active (self->document_button, TRUE);

  g_signal_connect_object (gtk_text_view_get_buffer (self->memo_view), "changed",
                           G_CALLBACK (on_memo_buffer_changed_cb), self, G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  empty = gtk_label_new (_("No entries yet. Note what you notice about your own part in the analysis, day by day."));
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_label_set_justify (GTK_LABEL (empty), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_top (empty, 18);
  gtk_widget_set_margin_bottom (empty, 18);
  gtk_widget_set_margin_start (empty, 12);
  gtk_widget_set_margin_end (empty, 12);
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_list_box_set_placeholder (self->journal_list, empty);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_entry_button), _("New Journal Entry (Ctrl+J)"));

  update_buttons (self);
  update_placeholder (self);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_memo_pane_new (void)
{
  return g_object_new (TSR_TYPE_MEMO_PANE, NULL);
}

static void
set_project (TsrMemoPane *self,
             TsrProject  *project)
{
  if (self->project == project)
    return;

  /* Whatever was typed goes into the project it was typed for. */
  tsr_memo_pane_flush (self);

  if (self->journal_list != NULL)
    gtk_list_box_bind_model (self->journal_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->journal);

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);

  self->document_id = self->segment_id = self->code_id = 0;
  self->target_id = 0;
  g_clear_pointer (&self->saved, g_free);

  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      self->journal = tsr_project_get_journal (project);
      gtk_list_box_bind_model (self->journal_list, self->journal, create_entry_row, self, NULL);
    }

  if (self->memo_view != NULL)
    {
      load_target (self, self->kind);
      update_buttons (self);
    }
}

void
tsr_memo_pane_set_document (TsrMemoPane *self,
                            gint64       document_id)
{
  g_return_if_fail (TSR_IS_MEMO_PANE (self));

  if (self->document_id == document_id)
    return;

  if (self->kind == TSR_MEMO_DOCUMENT)
    save_memo (self);
  self->document_id = document_id;
  update_buttons (self);
  if (self->kind == TSR_MEMO_DOCUMENT)
    load_target (self, TSR_MEMO_DOCUMENT);
}

void
tsr_memo_pane_set_segment (TsrMemoPane *self,
                           gint64       segment_id)
{
  g_return_if_fail (TSR_IS_MEMO_PANE (self));

  if (self->segment_id == segment_id)
    return;

  if (self->kind == TSR_MEMO_SEGMENT)
    save_memo (self);
  self->segment_id = segment_id;
  update_buttons (self);

  /* A passage just selected is what one wants to write about. */
  if (segment_id != 0)
    tsr_memo_pane_show_memo (self, TSR_MEMO_SEGMENT, FALSE);
  else if (self->kind == TSR_MEMO_SEGMENT)
    tsr_memo_pane_show_memo (self, TSR_MEMO_DOCUMENT, FALSE);
}

void
tsr_memo_pane_set_code (TsrMemoPane *self,
                        gint64       code_id)
{
  g_return_if_fail (TSR_IS_MEMO_PANE (self));

  if (self->code_id == code_id)
    return;

  if (self->kind == TSR_MEMO_CODE)
    save_memo (self);
  self->code_id = code_id;
  update_buttons (self);
  if (self->kind == TSR_MEMO_CODE)
    {
      if (code_id != 0)
        load_target (self, TSR_MEMO_CODE);
      else
        tsr_memo_pane_show_memo (self, TSR_MEMO_DOCUMENT, FALSE);
    }
}

/**
 * tsr_memo_pane_show_memo:
 * @kind: the document's, the passage's or the code's
 * @focus: put the keyboard focus in it, to write
 *
 * Shows one of the memos.
 */
void
tsr_memo_pane_show_memo (TsrMemoPane *self,
                         TsrMemoKind  kind,
                         gboolean     focus)
{
  GtkToggleButton *button;

  g_return_if_fail (TSR_IS_MEMO_PANE (self));
  g_return_if_fail (kind == TSR_MEMO_DOCUMENT || kind == TSR_MEMO_SEGMENT || kind == TSR_MEMO_CODE);

  button = kind == TSR_MEMO_CODE ? self->code_button
         : kind == TSR_MEMO_SEGMENT ? self->segment_button
         : self->document_button;

  gtk_stack_set_visible_child_name (self->stack, "memo");
  if (gtk_toggle_button_get_active (button))
    load_target (self, kind);
  else
    gtk_toggle_button_set_active (button, TRUE);

  if (focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->memo_view));
}

TsrMemoKind
tsr_memo_pane_get_memo_kind (TsrMemoPane *self)
{
  g_return_val_if_fail (TSR_IS_MEMO_PANE (self), TSR_MEMO_DOCUMENT);

  return self->kind;
}

GtkTextView *
tsr_memo_pane_get_memo_view (TsrMemoPane *self)
{
  g_return_val_if_fail (TSR_IS_MEMO_PANE (self), NULL);

  return self->memo_view;
}

void
tsr_memo_pane_show_journal (TsrMemoPane *self)
{
  g_return_if_fail (TSR_IS_MEMO_PANE (self));

  save_memo (self);
  gtk_stack_set_visible_child_name (self->stack, "journal");
}

/**
 * tsr_memo_pane_add_journal_entry:
 *
 * Adds an empty entry dated today at the journal's end and puts the
 * focus in it.
 *
 * Returns: the entry's id, or 0 if it could not be added (shown)
 */
gint64
tsr_memo_pane_add_journal_entry (TsrMemoPane *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_return_val_if_fail (TSR_IS_MEMO_PANE (self), 0);

  if (self->project == NULL)
    return 0;

  tsr_memo_pane_show_journal (self);
  flush_journal (self);

  id = tsr_project_add_journal_entry (self->project, NULL, "", &error);
  if (id == 0)
    {
      show_error (self, error);
      return 0;
    }

  /* The new entry's row: focus its text, and scroll it into view once
   * it has a place (the pane is short, and the entry goes by date). */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->journal_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      EntryEditor *editor = g_object_get_data (G_OBJECT (row), "editor");

      if (editor != NULL && editor->text != NULL && tsr_entity_get_id (TSR_ENTITY (editor->entry)) == id)
        {
          gtk_widget_grab_focus (GTK_WIDGET (editor->text));
          gtk_widget_add_tick_callback (row, reveal_row_cb, g_object_ref (self), g_object_unref);
        }
    }

  return id;
}

GtkListBox *
tsr_memo_pane_get_journal_list (TsrMemoPane *self)
{
  g_return_val_if_fail (TSR_IS_MEMO_PANE (self), NULL);

  return self->journal_list;
}

/**
 * tsr_memo_pane_flush:
 *
 * Saves whatever is being typed, now.
 */
void
tsr_memo_pane_flush (TsrMemoPane *self)
{
  g_return_if_fail (TSR_IS_MEMO_PANE (self));

  if (self->memo_view == NULL)
    return;

  save_memo (self);
  flush_journal (self);
}
