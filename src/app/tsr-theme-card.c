/* tsr-theme-card.c — defining and naming a theme (phase 5)
 *
 * The card edits the theme's name, status, definition, what it is not
 * (scope notes) and narrative, and shows its sub-themes and the exemplar
 * quotes starred among its extracts.  Text is saved through the
 * project's operations after a pause in typing or when the field is
 * left, so each burst of writing is one step of undo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsr-theme-card.h"
#include "tsr-toast.h"

#define SAVE_DELAY_MS 700

struct _TsrThemeCard
{
  GtkWidget      parent_instance;

  TsrProject    *project;
  gulong         changed_handler;
  gint64         theme_id;
  TsrCounts     *counts;
  TsrThemeTally *tally;       /* not owned */
  guint          save_source;
  gboolean       loading;

  /* Template widgets */
  GtkStack      *stack;
  GtkEntry      *name_entry;
  GtkLabel      *n_label;
  GtkDropDown   *status_dropdown;
  GtkTextView   *definition_view;
  GtkTextView   *scope_view;
  GtkTextView   *narrative_view;
  GtkLabel      *subthemes_label;
  GtkLabel      *exemplars_label;
};

G_DEFINE_FINAL_TYPE (TsrThemeCard, tsr_theme_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GtkTextView *
field_view (TsrThemeCard  *self,
            TsrThemeField  field)
{
  switch (field)
    {
    case TSR_THEME_FIELD_DEFINITION: return self->definition_view;
    case TSR_THEME_FIELD_SCOPE_NOTES: return self->scope_view;
    case TSR_THEME_FIELD_NARRATIVE:
    default: return self->narrative_view;
    }
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
report (TsrThemeCard *self,
        GError       *error)
{
  if (error == NULL)
    return;
  if (!tsr_toast_show (GTK_WIDGET (self), error->message))
    g_message ("%s", error->message);
}

/* Saves the text fields that differ from the project. */
static void
save_fields (TsrThemeCard *self)
{
  g_autoptr(TsrTheme) theme = NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->project == NULL || self->theme_id == 0)
    return;
  theme = tsr_project_lookup_theme (self->project, self->theme_id);
  if (theme == NULL)
    return;

  for (TsrThemeField field = TSR_THEME_FIELD_DEFINITION; field <= TSR_THEME_FIELD_NARRATIVE; field++)
    {
      g_autofree char *text = buffer_text (field_view (self, field));
      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (text, tsr_theme_get_field (theme, field)) != 0 &&
          !tsr_project_set_theme_field (self->project, self->theme_id, field, text, &error))
        report (self, error);
    }
}

static gboolean
save_timeout_cb (gpointer data)
{
  TsrThemeCard *self = data;

  self->save_source = 0;
  save_fields (self);
  return G_SOURCE_REMOVE;
}

static void
on_buffer_changed_cb (GtkTextBuffer *buffer,
                      TsrThemeCard  *self)
{
  if (self->loading)
    return;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
on_view_focus_leave_cb (GtkEventControllerFocus *controller,
                        TsrThemeCard            *self)
{
  if (self->save_source != 0)
    save_fields (self);
}

static void
set_buffer_text (GtkTextView *view,
                 const char  *text)
{
  g_autofree char *current = buffer_text (view);

  /* Rewriting an unchanged buffer would move the cursor. */
  if (g_strcmp0 (current, text) != 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static void
reload (TsrThemeCard *self)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GListModel) children = NULL;
  g_autoptr(GPtrArray) extracts = NULL;
  g_autoptr(GString) subthemes = g_string_new (NULL);
  g_autoptr(GString) quotes = g_string_new (NULL);

  if (self->project != NULL && self->theme_id != 0)
    theme = tsr_project_lookup_theme (self->project, self->theme_id);
  if (theme == NULL)
    {
      self->theme_id = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "card");

  self->loading = TRUE;
  if (!gtk_widget_has_focus (GTK_WIDGET (self->name_entry)) ||
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)), tsr_theme_get_name (theme)) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), tsr_theme_get_name (theme));
  gtk_drop_down_set_selected (self->status_dropdown, tsr_theme_get_status (theme));
  /* A save waiting to happen holds newer text than the project. */
  if (self->save_source == 0)
    for (TsrThemeField field = TSR_THEME_FIELD_DEFINITION; field <= TSR_THEME_FIELD_NARRATIVE; field++)
      set_buffer_text (field_view (self, field), tsr_theme_get_field (theme, field));
  self->loading = FALSE;

  if (self->counts != NULL)
    {
      guint n = self->tally ? tsr_theme_tally_get_theme_n (self->tally, self->theme_id)
                            : tsr_counts_get_theme_n (self->counts, self->theme_id);
      g_autofree char *text = g_strdup_printf (_("n = %u of %u documents (%.0f %%)"), n,
                                               tsr_counts_get_n_documents (self->counts),
                                               tsr_counts_get_n_documents (self->counts) > 0
                                                 ? tsr_counts_percent (self->counts, n) : 0.0);
      gtk_label_set_text (self->n_label, text);
    }
  else
    gtk_label_set_text (self->n_label, "");

  children = tsr_project_get_themes (self->project, self->theme_id);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(TsrTheme) child = g_list_model_get_item (children, i);

      if (i > 0)
        g_string_append_c (subthemes, '\n');
      g_string_append_printf (subthemes, "• %s", tsr_theme_get_name (child));
      if (self->counts != NULL)
        {
          gint64 child_id = tsr_entity_get_id (TSR_ENTITY (child));

          g_string_append_printf (subthemes, " (n = %u)",
                                  self->tally ? tsr_theme_tally_get_theme_n (self->tally, child_id)
                                              : tsr_counts_get_theme_n (self->counts, child_id));
        }
    }
  gtk_label_set_text (self->subthemes_label, subthemes->len > 0 ? subthemes->str : _("None"));

  extracts = tsr_project_list_theme_extracts (self->project, self->theme_id, TRUE, 0, 0, NULL);
  for (guint i = 0; extracts != NULL && i < extracts->len; i++)
    {
      TsrExtract *e = g_ptr_array_index (extracts, i);
      g_autofree char *line = NULL;

      if (!e->exemplar)
        continue;
      line = g_markup_printf_escaped ("“%s”\n<span size=\"small\" alpha=\"70%%\">— %s, %s</span>",
                                      e->text, e->document_name, e->coder_name);
      if (quotes->len > 0)
        g_string_append (quotes, "\n\n");
      g_string_append (quotes, line);
    }
  if (quotes->len == 0)
    g_string_append (quotes, _("Star extracts in the review to choose exemplar quotes."));
  gtk_label_set_markup (self->exemplars_label, quotes->str);
}

static void
on_name_activate_cb (TsrThemeCard *self,
                     GtkEntry     *entry)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->project == NULL || self->theme_id == 0 ||
      (theme = tsr_project_lookup_theme (self->project, self->theme_id)) == NULL)
    return;
  if (g_strcmp0 (text, tsr_theme_get_name (theme)) == 0)
    return;
  if (!tsr_project_rename_theme (self->project, self->theme_id, text, &error))
    {
      report (self, error);
      gtk_editable_set_text (GTK_EDITABLE (entry), tsr_theme_get_name (theme));
    }
}

static void
on_name_focus_leave_cb (GtkEventControllerFocus *controller,
                        TsrThemeCard            *self)
{
  on_name_activate_cb (self, self->name_entry);
}

static void
on_status_notify_selected_cb (TsrThemeCard *self,
                              GParamSpec   *pspec,
                              GtkDropDown  *dropdown)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->loading || self->project == NULL || self->theme_id == 0 || selected > TSR_THEME_DISCARDED)
    return;
  theme = tsr_project_lookup_theme (self->project, self->theme_id);
  if (theme == NULL || tsr_theme_get_status (theme) == (TsrThemeStatus) selected)
    return;
  if (!tsr_project_set_theme_status (self->project, self->theme_id, selected, &error))
    report (self, error);
}

static void
on_project_changed_cb (TsrProject   *project,
                       TsrChange     change,
                       TsrThemeCard *self)
{
  if (change & (TSR_CHANGE_THEMES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS | TSR_CHANGE_CODES))
    reload (self);
}

/* GObject -------------------------------------------------------------- */

static void
tsr_theme_card_dispose (GObject *object)
{
  TsrThemeCard *self = TSR_THEME_CARD (object);

  if (self->save_source != 0)
    save_fields (self);
  tsr_theme_card_set_project (self, NULL);
  g_clear_pointer (&self->counts, tsr_counts_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_THEME_CARD);

  G_OBJECT_CLASS (tsr_theme_card_parent_class)->dispose (object);
}

static void
tsr_theme_card_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TsrThemeCard *self = TSR_THEME_CARD (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_theme_card_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TsrThemeCard *self = TSR_THEME_CARD (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      tsr_theme_card_set_project (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_theme_card_class_init (TsrThemeCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_theme_card_dispose;
  object_class->get_property = tsr_theme_card_get_property;
  object_class->set_property = tsr_theme_card_set_property;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-theme-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, stack);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, name_entry);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, n_label);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, definition_view);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, scope_view);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, narrative_view);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, subthemes_label);
  gtk_widget_class_bind_template_child (widget_class, TsrThemeCard, exemplars_label);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tsr_theme_card_init (TsrThemeCard *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  for (TsrThemeField field = TSR_THEME_FIELD_DEFINITION; field <= TSR_THEME_FIELD_NARRATIVE; field++)
    {
      GtkTextView *view = field_view (self, field);

      g_signal_connect (gtk_text_view_get_buffer (view), "changed", G_CALLBACK (on_buffer_changed_cb), self);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "leave", G_CALLBACK (on_view_focus_leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (view), focus);
    }
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (on_name_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->name_entry), focus);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (on_status_notify_selected_cb), self, G_CONNECT_SWAPPED);
}

/* Public API ----------------------------------------------------------- */

GtkWidget *
tsr_theme_card_new (void)
{
  return g_object_new (TSR_TYPE_THEME_CARD, NULL);
}

void
tsr_theme_card_set_project (TsrThemeCard *self,
                            TsrProject   *project)
{
  g_return_if_fail (TSR_IS_THEME_CARD (self));

  if (self->project == project)
    return;
  if (self->save_source != 0)
    save_fields (self);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);
  self->theme_id = 0;
  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  if (self->stack != NULL)
    reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_theme_card_set_theme:
 * @theme_id: the theme to show, or 0 for none
 */
void
tsr_theme_card_set_theme (TsrThemeCard *self,
                          gint64        theme_id)
{
  g_return_if_fail (TSR_IS_THEME_CARD (self));

  if (self->theme_id == theme_id)
    return;
  /* Typing in the card of the theme left is kept. */
  if (self->save_source != 0)
    save_fields (self);
  self->theme_id = theme_id;
  self->loading = TRUE;
  for (TsrThemeField field = TSR_THEME_FIELD_DEFINITION; field <= TSR_THEME_FIELD_NARRATIVE; field++)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (field_view (self, field)), "", -1);
  self->loading = FALSE;
  reload (self);
}

gint64
tsr_theme_card_get_theme (TsrThemeCard *self)
{
  g_return_val_if_fail (TSR_IS_THEME_CARD (self), 0);
  return self->theme_id;
}

/**
 * tsr_theme_card_set_counts:
 * @counts: (nullable): the counts whose n the card shows
 */
void
tsr_theme_card_set_counts (TsrThemeCard *self,
                           TsrCounts    *counts)
{
  g_return_if_fail (TSR_IS_THEME_CARD (self));

  g_clear_pointer (&self->counts, tsr_counts_unref);
  self->tally = NULL;
  if (counts != NULL)
    self->counts = tsr_counts_ref (counts);
  reload (self);
}

/**
 * tsr_theme_card_set_tally:
 * @tally: (nullable) (transfer none): theme n tallied after theme edits,
 *   kept alive by the caller until replaced
 */
void
tsr_theme_card_set_tally (TsrThemeCard  *self,
                          TsrThemeTally *tally)
{
  g_return_if_fail (TSR_IS_THEME_CARD (self));

  self->tally = tally;
  reload (self);
}

/**
 * tsr_theme_card_save:
 *
 * Saves what is typed but not saved yet.
 */
void
tsr_theme_card_save (TsrThemeCard *self)
{
  g_return_if_fail (TSR_IS_THEME_CARD (self));
  save_fields (self);
}

/**
 * tsr_theme_card_get_field_view:
 *
 * Returns: (transfer none): the text view editing @field
 */
GtkTextView *
tsr_theme_card_get_field_view (TsrThemeCard  *self,
                               TsrThemeField  field)
{
  g_return_val_if_fail (TSR_IS_THEME_CARD (self), NULL);
  return field_view (self, field);
}

/**
 * tsr_theme_card_get_name_entry:
 *
 * Returns: (transfer none): the entry editing the theme's name
 */
GtkEntry *
tsr_theme_card_get_name_entry (TsrThemeCard *self)
{
  g_return_val_if_fail (TSR_IS_THEME_CARD (self), NULL);
  return self->name_entry;
}
