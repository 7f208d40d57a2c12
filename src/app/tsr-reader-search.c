/* tsr-reader-search.c — find in the document the reader shows
 *
 * A search bar over the reader, as GNOME Text Editor's: an entry, "n of
 * N", previous and next.  Every hit is highlighted, the current one
 * more strongly, selected and scrolled into view; Enter goes to the
 * next hit, Shift+Enter to the previous, Escape closes the bar and
 * gives the reader its focus back.  The hits are the core's
 * (tsr_search_text()), so the reader finds what the project search
 * finds: words without case or accents, the last one typed a prefix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tessera.h"
#include "tsr-reader-search.h"

struct _TsrReaderSearch
{
  GtkWidget     parent_instance;

  GtkWidget    *bar;
  GtkWidget    *entry;
  GtkWidget    *count;
  GtkWidget    *previous;
  GtkWidget    *next;

  TsrReader    *reader;     /* not owned */
  gulong        document_handler;
  GArray       *hits;       /* TsrSearchHit */
  guint         current;    /* index into hits, when there are some */
};

G_DEFINE_FINAL_TYPE (TsrReaderSearch, tsr_reader_search, GTK_TYPE_WIDGET)

/* Helpers ------------------------------------------------------------ */

static GtkTextBuffer *
get_buffer (TsrReaderSearch *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->reader));
}

/* The two tags, above every code's highlight. */
static GtkTextTag *
get_tag (TsrReaderSearch *self,
         gboolean         current)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  const char *name = current ? "search-current" : "search-hit";
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag == NULL)
    {
      if (current)
        tag = gtk_text_buffer_create_tag (buffer, name,
                                          "background", "#f57900",
                                          "foreground", "#ffffff", NULL);
      else
        tag = gtk_text_buffer_create_tag (buffer, name,
                                          "background", "#fce94f",
                                          "foreground", "#000000", NULL);
    }
  return tag;
}

static void
raise_tags (TsrReaderSearch *self)
{
  int top = gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (get_buffer (self))) - 1;

  gtk_text_tag_set_priority (get_tag (self, FALSE), top);
  gtk_text_tag_set_priority (get_tag (self, TRUE), top);
}

static void
clear_tags (TsrReaderSearch *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, get_tag (self, FALSE), &start, &end);
  gtk_text_buffer_remove_tag (buffer, get_tag (self, TRUE), &start, &end);
}

static void
hit_bounds (TsrReaderSearch *self,
            guint            i,
            GtkTextIter     *start,
            GtkTextIter     *end)
{
  const TsrSearchHit *hit = &g_array_index (self->hits, TsrSearchHit, i);

  gtk_text_buffer_get_iter_at_offset (get_buffer (self), start, hit->start);
  gtk_text_buffer_get_iter_at_offset (get_buffer (self), end, hit->end);
}

static void
update_count (TsrReaderSearch *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *label = NULL;
  gboolean any = self->hits != NULL && self->hits->len > 0;

  if (any)
    /* Translators: the current hit of a search in the document, of all */
    label = g_strdup_printf (_("%u of %u"), self->current + 1, self->hits->len);
  else if (query[0] != '\0')
    label = g_strdup (_("No results"));
  gtk_label_set_text (GTK_LABEL (self->count), label ? label : "");
  gtk_widget_set_sensitive (self->previous, any);
  gtk_widget_set_sensitive (self->next, any);
  if (query[0] != '\0' && !any)
    gtk_widget_add_css_class (self->entry, "error");
  else
    gtk_widget_remove_css_class (self->entry, "error");
}

/* Makes hit @i the current one: marked, selected and in view. */
static void
show_current (TsrReaderSearch *self,
              guint            i)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter start, end;

  if (self->hits == NULL || self->hits->len == 0)
    return;

  if (self->current < self->hits->len)
    {
      hit_bounds (self, self->current, &start, &end);
      gtk_text_buffer_remove_tag (buffer, get_tag (self, TRUE), &start, &end);
    }
  self->current = i;
  hit_bounds (self, i, &start, &end);
  gtk_text_buffer_apply_tag (buffer, get_tag (self, TRUE), &start, &end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->reader), gtk_text_buffer_get_insert (buffer),
                                0.1, FALSE, 0, 0);
  update_count (self);
}

/* Finds the entry's text again, keeping the hit at or after the
 * cursor current, as an editor does while one types. */
static void
refresh (TsrReaderSearch *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  const char *text;
  GtkTextBuffer *buffer;
  GtkTextIter iter, start, end;
  guint from, first = 0;

  if (self->reader == NULL)
    return;

  buffer = get_buffer (self);
  clear_tags (self);
  g_clear_pointer (&self->hits, g_array_unref);
  self->current = 0;

  text = tsr_reader_get_text (self->reader);
  if (text == NULL || query[0] == '\0')
    {
      update_count (self);
      return;
    }

  gtk_text_buffer_get_selection_bounds (buffer, &iter, NULL);
  from = gtk_text_iter_get_offset (&iter);
  self->hits = tsr_search_text (text, query);
  raise_tags (self);
  for (guint i = 0; i < self->hits->len; i++)
    {
      hit_bounds (self, i, &start, &end);
      gtk_text_buffer_apply_tag (buffer, get_tag (self, FALSE), &start, &end);
      if (g_array_index (self->hits, TsrSearchHit, i).start < from)
        first = i + 1;
    }
  if (first >= self->hits->len)
    first = 0;
  self->current = G_MAXUINT;
  if (self->hits->len > 0)
    show_current (self, first);
  else
    update_count (self);
}

static void
step (TsrReaderSearch *self,
      int              direction)
{
  guint n;

  if (self->hits == NULL || self->hits->len == 0)
    return;
  n = self->hits->len;
  show_current (self, (self->current + n + direction) % n);
}

static void
close_bar (TsrReaderSearch *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->bar), FALSE);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_entry_search_changed_cb (TsrReaderSearch *self)
{
  refresh (self);
}

static void
on_entry_activate_cb (TsrReaderSearch *self)
{
  step (self, 1);
}

static void
on_entry_next_match_cb (TsrReaderSearch *self)
{
  step (self, 1);
}

static void
on_entry_previous_match_cb (TsrReaderSearch *self)
{
  step (self, -1);
}

static void
on_entry_stop_search_cb (TsrReaderSearch *self)
{
  close_bar (self);
}

static void
on_search_mode_cb (TsrReaderSearch *self)
{
  if (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (self->bar)))
    return;

  /* Closed: the highlights go, the current hit stays selected, and the
   * reader has the focus again. */
  if (self->reader != NULL)
    {
      clear_tags (self);
      g_clear_pointer (&self->hits, g_array_unref);
      gtk_widget_grab_focus (GTK_WIDGET (self->reader));
    }
}

static void
on_reader_document_cb (TsrReaderSearch *self)
{
  g_clear_pointer (&self->hits, g_array_unref);
  if (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (self->bar)))
    refresh (self);
}

static gboolean
shortcut_previous_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  step (TSR_READER_SEARCH (user_data), -1);
  return TRUE;
}

/* GObject ------------------------------------------------------------ */

static void
tsr_reader_search_dispose (GObject *object)
{
  TsrReaderSearch *self = TSR_READER_SEARCH (object);

  /* The reader may be going too: its tags go with its buffer. */
  if (self->reader != NULL)
    g_clear_signal_handler (&self->document_handler, self->reader);
  self->reader = NULL;
  g_clear_pointer (&self->bar, gtk_widget_unparent);
  g_clear_pointer (&self->hits, g_array_unref);

  G_OBJECT_CLASS (tsr_reader_search_parent_class)->dispose (object);
}

static void
tsr_reader_search_class_init (TsrReaderSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_reader_search_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tsr_reader_search_init (TsrReaderSearch *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkEventController *shortcuts;

  self->entry = gtk_search_entry_new ();
  /* Narrow enough for a phone's width, wider when there is room. */
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 8);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->entry), 28);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Find in the document"), -1);
  g_object_set (self->entry, "placeholder-text", _("Find in the document"), NULL);
  self->count = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count, "dim-label");
  gtk_widget_add_css_class (self->count, "numeric");
  gtk_label_set_width_chars (GTK_LABEL (self->count), 6);
  self->previous = gtk_button_new_from_icon_name ("go-up-symbolic");
  gtk_widget_set_tooltip_text (self->previous, _("Previous Hit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->previous),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Previous hit"), -1);
  self->next = gtk_button_new_from_icon_name ("go-down-symbolic");
  gtk_widget_set_tooltip_text (self->next, _("Next Hit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->next),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next hit"), -1);
  gtk_widget_add_css_class (buttons, "linked");
  gtk_box_append (GTK_BOX (buttons), self->previous);
  gtk_box_append (GTK_BOX (buttons), self->next);
  gtk_box_append (GTK_BOX (box), self->entry);
  gtk_box_append (GTK_BOX (box), self->count);
  gtk_box_append (GTK_BOX (box), buttons);

  self->bar = gtk_search_bar_new ();
  gtk_search_bar_set_child (GTK_SEARCH_BAR (self->bar), box);
  gtk_search_bar_set_show_close_button (GTK_SEARCH_BAR (self->bar), TRUE);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->bar), GTK_EDITABLE (self->entry));
  gtk_widget_set_parent (self->bar, GTK_WIDGET (self));

  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (on_entry_search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect_swapped (self->entry, "next-match", G_CALLBACK (on_entry_next_match_cb), self);
  g_signal_connect_swapped (self->entry, "previous-match", G_CALLBACK (on_entry_previous_match_cb), self);
  g_signal_connect_swapped (self->entry, "stop-search", G_CALLBACK (on_entry_stop_search_cb), self);
  g_signal_connect_swapped (self->previous, "clicked", G_CALLBACK (on_entry_previous_match_cb), self);
  g_signal_connect_swapped (self->next, "clicked", G_CALLBACK (on_entry_next_match_cb), self);
  g_signal_connect_swapped (self->bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode_cb), self);

  /* Shift+Enter goes back (Ctrl+F is the window's: see
   * search_documents_action). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK)),
                                                          gtk_callback_action_new (shortcut_previous_cb, self, NULL)));
  gtk_widget_add_controller (self->entry, shortcuts);

  update_count (self);
}

/* Public API --------------------------------------------------------- */

/**
 * tsr_reader_search_set_reader:
 * @reader: (nullable): the reader to search in
 *
 * Sets the reader whose document the bar searches.
 */
void
tsr_reader_search_set_reader (TsrReaderSearch *self,
                              TsrReader       *reader)
{
  g_return_if_fail (TSR_IS_READER_SEARCH (self));
  g_return_if_fail (reader == NULL || TSR_IS_READER (reader));

  if (self->reader == reader)
    return;
  if (self->reader != NULL)
    {
      g_clear_signal_handler (&self->document_handler, self->reader);
      clear_tags (self);
    }
  self->reader = reader;
  if (reader != NULL)
    {
      self->document_handler = g_signal_connect_swapped (reader, "notify::document",
                                                         G_CALLBACK (on_reader_document_cb), self);
    }
}

/**
 * tsr_reader_search_begin:
 *
 * Opens the bar with the focus in its entry and what it holds selected,
 * so that typing replaces it; the hits of the text already there are
 * shown again.
 */
void
tsr_reader_search_begin (TsrReaderSearch *self)
{
  g_return_if_fail (TSR_IS_READER_SEARCH (self));

  if (self->reader == NULL || tsr_reader_get_document (self->reader) == NULL)
    return;
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->bar), TRUE);
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
  if (self->hits == NULL)
    refresh (self);
}
