/* tsr-review-view.c — reviewing themes (phase 4) and their cards (phase 5)
 *
 * Left, the live theme table: n and % for every theme and sub-theme, for
 * the coder (or consensus) chosen.  Middle, every coded extract of the
 * chosen theme with its document, coder and surrounding text: star the
 * exemplars, open one in the document.  Right, the theme card.  Themes
 * are split, merged, discarded and moved from candidate to reviewed to
 * final here; all of it can be undone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsr-review-view.h"
#include "tsr-session.h"
#include "tsr-counts-pipeline.h"
#include "tsr-scope-choice.h"
#include "tsr-theme-card.h"
#include "tsr-toast.h"
#include "tsr-window.h"

#define CONTEXT_CHARS 160

#define MAX_EXTRACTS  400

struct _TsrReviewView
{
  GtkWidget       parent_instance;

  TsrProject     *project;
  gulong          changed_handler;
  TsrCountsPipeline *counts;
  guint           extracts_source;
  gint64          theme_id;
  gboolean        with_subthemes;

  /* Template widgets */
  AdwFlap        *table_flap;
  AdwFlap        *card_flap;
  GtkDropDown    *scope_dropdown;
  GtkListBox     *table_list;
  GtkLabel       *table_footer;
  GtkLabel       *theme_title;
  GtkStack       *extracts_stack;
  AdwStatusPage  *extracts_status;
  GtkListBox     *extracts_list;
  TsrThemeCard   *card;
};

G_DEFINE_FINAL_TYPE (TsrReviewView, tsr_review_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  PROP_THEME_STATUS,
  PROP_WITH_SUBTHEMES,
  N_PROPS
};

enum {
  TABLE_UPDATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrReviewView *self,
                         TsrProject    *project);
static guint signals [N_SIGNALS];

static void refresh_table    (TsrReviewView *self);
static void refresh_extracts (TsrReviewView *self);

static void
report (TsrReviewView *self,
        GError        *error)
{
  if (error == NULL)
    return;
  if (!tsr_toast_show (GTK_WIDGET (self), error->message))
    g_message ("%s", error->message);
}

/* Counts ------------------------------------------------------------- */

static void
on_counts_changed_cb (TsrReviewView *self)
{
  tsr_theme_card_set_counts (self->card, tsr_counts_pipeline_get_counts (self->counts));
  tsr_theme_card_set_tally (self->card, NULL);
  refresh_table (self);
  g_signal_emit (self, signals [TABLE_UPDATED], 0);
}

static void
on_tally_changed_cb (TsrReviewView *self)
{
  refresh_table (self);
  tsr_theme_card_set_tally (self->card, tsr_counts_pipeline_get_tally (self->counts));
  g_signal_emit (self, signals [TABLE_UPDATED], 0);
}

/* The theme table ------------------------------------------------------ */

static GtkWidget *
make_table_row (TsrReviewView *self,
                TsrTheme      *theme,
                guint          depth)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (tsr_theme_get_name (theme));
  GtkWidget *n_label = gtk_label_new (NULL);
  GtkWidget *pct_label = gtk_label_new (NULL);
  gint64 id = tsr_entity_get_id (TSR_ENTITY (theme));
  TsrThemeStatus status = tsr_theme_get_status (theme);
  TsrCounts *counts = tsr_counts_pipeline_get_counts (self->counts);
  TsrThemeTally *tally = tsr_counts_pipeline_get_tally (self->counts);
  g_autofree char *n_text = NULL;
  g_autofree char *pct_text = NULL;
  g_autofree char *a11y = NULL;

  /* A theme's name is what the table is read for: whole, on more lines
   * when the column is narrow. */
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (name), 8);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_margin_start (name, 16 * depth);
  if (depth == 0)
    gtk_widget_add_css_class (name, "heading");
  if (status == TSR_THEME_DISCARDED)
    gtk_widget_add_css_class (name, "dim-label");
  gtk_widget_set_tooltip_text (name, tsr_theme_status_to_string (status));

  if (counts != NULL)
    {
      guint n = tally ? tsr_theme_tally_get_theme_n (tally, id) : tsr_counts_get_theme_n (counts, id);
      double pct = tsr_counts_percent (counts, n);

      n_text = g_strdup_printf ("%u", n);
      pct_text = tsr_counts_get_n_documents (counts) > 0 ? g_strdup_printf ("%.0f", pct) : g_strdup ("–");
      a11y = g_strdup_printf (_("%s, n = %u, %s %%, %s"), tsr_theme_get_name (theme), n, pct_text,
                              tsr_theme_status_to_string (status));
    }
  else
    a11y = g_strdup (tsr_theme_get_name (theme));
  gtk_label_set_text (GTK_LABEL (n_label), n_text ? n_text : "…");
  gtk_label_set_text (GTK_LABEL (pct_label), pct_text ? pct_text : "");
  gtk_label_set_xalign (GTK_LABEL (n_label), 1);
  gtk_label_set_xalign (GTK_LABEL (pct_label), 1);
  gtk_label_set_width_chars (GTK_LABEL (n_label), 5);
  gtk_label_set_width_chars (GTK_LABEL (pct_label), 5);
  gtk_widget_add_css_class (n_label, "numeric");
  gtk_widget_add_css_class (pct_label, "numeric");
  gtk_widget_add_css_class (pct_label, "dim-label");

  {
    static const char * const marks[] = { "○", "◐", "●", "✕" };
    GtkWidget *mark = gtk_label_new (marks[status]);

    gtk_widget_set_tooltip_text (mark, tsr_theme_status_to_string (status));
    gtk_widget_add_css_class (mark, "dim-label");
    gtk_accessible_update_state (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
    gtk_box_append (GTK_BOX (box), mark);
  }
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), n_label);
  gtk_box_append (GTK_BOX (box), pct_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data_full (G_OBJECT (row), "tsr-theme-id", g_memdup2 (&id, sizeof id), g_free);
  return row;
}

static gint64
row_theme (GtkListBoxRow *row)
{
  gint64 *id = row ? g_object_get_data (G_OBJECT (row), "tsr-theme-id") : NULL;
  return id ? *id : 0;
}

static void
refresh_table (TsrReviewView *self)
{
  g_autoptr(GPtrArray) themes = NULL;
  g_autoptr(GHashTable) depth = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GtkWidget *child;
  gint64 selected = self->theme_id;

  /* Rebuilding selects nothing; keep the chosen theme. */
  g_signal_handlers_block_matched (self->table_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table_list))) != NULL)
    gtk_list_box_remove (self->table_list, child);

  if (self->project != NULL)
    themes = tsr_project_list_all_themes (self->project);
  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      TsrTheme *theme = g_ptr_array_index (themes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (theme));
      gint64 parent = tsr_theme_get_parent_id (theme);
      guint d = parent == 0 ? 0 : GPOINTER_TO_UINT (g_hash_table_lookup (depth, &parent));
      GtkWidget *row;

      g_hash_table_insert (depth, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (parent == 0 ? 1 : d + 1));
      row = make_table_row (self, theme, parent == 0 ? 0 : d);
      gtk_list_box_append (self->table_list, row);
      if (id == selected)
        gtk_list_box_select_row (self->table_list, GTK_LIST_BOX_ROW (row));
    }
  g_signal_handlers_unblock_matched (self->table_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  if (tsr_counts_pipeline_get_counts (self->counts) != NULL)
    {
      g_autofree char *scope = tsr_scope_choice_describe (self->scope_dropdown);
      g_autofree char *footer = g_strdup_printf (_("n: documents holding the theme (%s); %% of %u documents"),
                                                 scope, tsr_counts_get_n_documents (tsr_counts_pipeline_get_counts (self->counts)));
      gtk_label_set_text (self->table_footer, footer);
    }
  else
    gtk_label_set_text (self->table_footer, _("Counting…"));
}

static void
on_table_row_selected_cb (TsrReviewView *self,
                          GtkListBoxRow *row)
{
  if (row != NULL)
    tsr_review_view_select_theme (self, row_theme (row));
}

static void
on_scope_notify_selected_cb (TsrReviewView *self,
                             GParamSpec    *pspec,
                             GtkDropDown   *dropdown)
{
  refresh_extracts (self);
}

/* Extracts ------------------------------------------------------------- */

typedef struct
{
  TsrReviewView *view;
  gint64         segment_id;
  gint64         document_id;
  guint          start;
  guint          end;
} ExtractRef;

static void
on_star_toggled_cb (GtkToggleButton *button,
                    ExtractRef      *ref)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_toggle_button_get_active (button);

  gtk_button_set_icon_name (GTK_BUTTON (button), active ? "starred-symbolic" : "non-starred-symbolic");
  if (!tsr_project_set_segment_exemplar (ref->view->project, ref->segment_id, active, &error))
    report (ref->view, error);
}

static void
on_open_clicked_cb (GtkButton  *button,
                    ExtractRef *ref)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (ref->view));

  if (TSR_IS_WINDOW (root))
    tsr_window_show_segment (TSR_WINDOW (root), ref->document_id, ref->start, ref->end);
}

static GtkWidget *
make_extract_row (TsrReviewView *self,
                  TsrExtract    *e)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *caption = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *star = gtk_toggle_button_new ();
  GtkWidget *open = gtk_button_new_from_icon_name ("go-jump-symbolic");
  ExtractRef *ref = g_new0 (ExtractRef, 1);
  g_autofree char *caption_text = g_strdup_printf ("%s · %s · %s", e->document_name, e->coder_name, e->code_name);
  g_autofree char *markup = g_markup_printf_escaped ("<span alpha=\"62%%\">%s%s</span><b>%s</b><span alpha=\"62%%\">%s%s</span>",
                                                     e->before[0] != '\0' ? "…" : "", e->before, e->text,
                                                     e->after, e->after[0] != '\0' ? "…" : "");
  g_autofree char *a11y = g_strdup_printf (_("Extract from %s coded “%s” by %s: %s"),
                                           e->document_name, e->code_name, e->coder_name, e->text);

  ref->view = self;
  ref->segment_id = e->segment_id;
  ref->document_id = e->document_id;
  ref->start = e->start;
  ref->end = e->end;
  g_object_set_data_full (G_OBJECT (row), "tsr-extract", ref, g_free);

  gtk_label_set_text (GTK_LABEL (caption), caption_text);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (caption, TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (star), e->exemplar);
  gtk_button_set_icon_name (GTK_BUTTON (star), e->exemplar ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_add_css_class (star, "flat");
  gtk_widget_set_tooltip_text (star, _("Exemplar quote"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Exemplar quote"), -1);
  g_signal_connect (star, "toggled", G_CALLBACK (on_star_toggled_cb), ref);

  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, _("Show in the Document"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show in the Document"), -1);
  g_signal_connect (open, "clicked", G_CALLBACK (on_open_clicked_cb), ref);

  gtk_label_set_markup (GTK_LABEL (text), markup);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);

  gtk_box_append (GTK_BOX (top), caption);
  gtk_box_append (GTK_BOX (top), star);
  gtk_box_append (GTK_BOX (top), open);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return row;
}

static void
refresh_extracts (TsrReviewView *self)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GPtrArray) extracts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_choice_get_scope (self->scope_dropdown);
  GtkWidget *child;
  gint64 coder = 0;

  g_clear_handle_id (&self->extracts_source, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->extracts_list))) != NULL)
    gtk_list_box_remove (self->extracts_list, child);

  if (self->project != NULL && self->theme_id != 0)
    theme = tsr_project_lookup_theme (self->project, self->theme_id);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.status", theme != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THEME_STATUS]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.split", theme != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.merge", theme != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.show-on-map", theme != NULL);
  if (theme == NULL)
    {
      self->theme_id = 0;
      gtk_label_set_text (self->theme_title, "");
      adw_status_page_set_title (self->extracts_status, _("No Theme Selected"));
      adw_status_page_set_description (self->extracts_status,
                                       _("Choose a theme in the table to check it against its coded extracts"));
      gtk_stack_set_visible_child_name (self->extracts_stack, "empty");
      return;
    }

  /* One coder's extracts when one coder (or the consensus) counts. */
  switch (tsr_scope_get_mode (scope))
    {
    case TSR_CODERS_ONE:
      coder = tsr_scope_choice_get_coder (self->scope_dropdown);
      break;
    case TSR_CODERS_CONSENSUS:
      {
        g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (self->project, NULL);
        coder = consensus ? tsr_entity_get_id (TSR_ENTITY (consensus)) : 0;
      }
      break;
    case TSR_CODERS_ANY:
    case TSR_CODERS_ALL:
    default:
      break;
    }

  extracts = tsr_project_list_theme_extracts (self->project, self->theme_id,
                                              self->with_subthemes,
                                              coder, CONTEXT_CHARS, &error);
  if (extracts == NULL)
    {
      report (self, error);
      return;
    }

  {
    g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %u extract", "%s — %u extracts",
                                                           extracts->len),
                                              tsr_theme_get_name (theme), extracts->len);
    gtk_label_set_text (self->theme_title, title);
  }

  if (extracts->len == 0)
    {
      adw_status_page_set_title (self->extracts_status, _("No Extracts"));
      adw_status_page_set_description (self->extracts_status,
                                       _("No passage is coded with this theme’s codes yet. Add codes to it on the theme map."));
      gtk_stack_set_visible_child_name (self->extracts_stack, "empty");
      return;
    }

  for (guint i = 0; i < extracts->len && i < MAX_EXTRACTS; i++)
    gtk_list_box_append (self->extracts_list, make_extract_row (self, g_ptr_array_index (extracts, i)));
  if (extracts->len > MAX_EXTRACTS)
    {
      g_autofree char *more = g_strdup_printf (_("The first %u of %u extracts are shown."), MAX_EXTRACTS, extracts->len);
      GtkWidget *label = gtk_label_new (more);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->extracts_list, label);
    }
  gtk_stack_set_visible_child_name (self->extracts_stack, "extracts");
}

static gboolean
refresh_extracts_cb (gpointer data)
{
  TsrReviewView *self = data;

  self->extracts_source = 0;
  refresh_extracts (self);
  return G_SOURCE_REMOVE;
}

static void
set_with_subthemes (TsrReviewView *self,
                    gboolean       with_subthemes)
{
  with_subthemes = !!with_subthemes;
  if (self->with_subthemes == with_subthemes)
    return;

  self->with_subthemes = with_subthemes;
  refresh_extracts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WITH_SUBTHEMES]);
}

static void
on_project_changed_cb (TsrProject    *project,
                       TsrChange      change,
                       TsrReviewView *self)
{
  if (change & TSR_CHANGE_CODERS)
    tsr_scope_choice_fill (self->scope_dropdown, project);
  else if (change & TSR_CHANGE_SEGMENTS)
    tsr_scope_choice_follow_default (self->scope_dropdown, project);
  /* The counts pipeline, connected first, has already tallied a theme
   * edit and refreshed the table where it could; theme names and order
   * change at once either way. */
  if ((change & TSR_CHANGE_THEMES) &&
      ((change & TSR_COUNTED_CHANGES) || tsr_counts_pipeline_get_tally (self->counts) == NULL))
    refresh_table (self);
  /* Later: a star's own toggle handler is still running. */
  if ((change & (TSR_CHANGE_CODES | TSR_CHANGE_THEMES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS)) &&
      self->extracts_source == 0)
    self->extracts_source = g_idle_add (refresh_extracts_cb, self);
}

/* Actions -------------------------------------------------------------- */

/* review.status is the theme-status property's action: stateful, so its
 * menu marks the shown theme's status. */
static const char *
get_theme_status (TsrReviewView *self)
{
  g_autoptr(TsrTheme) theme = NULL;

  if (self->project != NULL && self->theme_id != 0)
    theme = tsr_project_lookup_theme (self->project, self->theme_id);
  return theme ? tsr_theme_status_to_string (tsr_theme_get_status (theme)) : "";
}

static void
set_theme_status (TsrReviewView *self,
                  const char    *name)
{
  g_autoptr(GError) error = NULL;
  TsrThemeStatus status;

  if (self->theme_id == 0 || name == NULL || !tsr_theme_status_from_string (name, &status) ||
      g_strcmp0 (name, get_theme_status (self)) == 0)
    return;
  if (!tsr_project_set_theme_status (self->project, self->theme_id, status, &error))
    report (self, error);
}

static void
on_split_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TsrReviewView    *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *entry = gtk_widget_get_first_child (box);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (g_strcmp0 (response, "split") != 0)
    return;
  for (GtkWidget *c = gtk_widget_get_next_sibling (entry); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_CHECK_BUTTON (c) && gtk_check_button_get_active (GTK_CHECK_BUTTON (c)))
      g_array_append_val (ids, *(gint64 *) g_object_get_data (G_OBJECT (c), "tsr-code-id"));

  id = tsr_project_split_theme (self->project, self->theme_id, (gint64 *) ids->data, ids->len,
                                gtk_editable_get_text (GTK_EDITABLE (entry)), &error);
  if (id == 0)
    report (self, error);
  else
    tsr_review_view_select_theme (self, id);
}

static void
split_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (widget);
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GArray) codes = NULL;
  g_autofree char *body = NULL;
  g_autofree char *suggested = NULL;
  GtkWidget *dialog, *box, *entry;

  if (self->project == NULL || (theme = tsr_project_lookup_theme (self->project, self->theme_id)) == NULL)
    return;
  codes = tsr_project_get_theme_codes (self->project, self->theme_id);
  if (codes->len < 2)
    {
      g_autoptr(GError) error = g_error_new (TSR_ERROR, TSR_ERROR_INVALID,
                                             _("“%s” has fewer than two codes: there is nothing to split"),
                                             tsr_theme_get_name (theme));
      report (self, error);
      return;
    }

  body = g_strdup_printf (_("The codes chosen move from “%s” to a new theme beside it."), tsr_theme_get_name (theme));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Split Theme"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  suggested = g_strdup_printf (_("%s (split)"), tsr_theme_get_name (theme));
  gtk_editable_set_text (GTK_EDITABLE (entry), suggested);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name of the new theme"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 code_id = g_array_index (codes, gint64, i);
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
      GtkWidget *check = gtk_check_button_new_with_label (code ? tsr_code_get_name (code) : "?");

      g_object_set_data_full (G_OBJECT (check), "tsr-code-id", g_memdup2 (&code_id, sizeof code_id), g_free);
      gtk_box_append (GTK_BOX (box), check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "split", _("_Split"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "split", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "split");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_split_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_merge_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      TsrReviewView    *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  GArray *targets = g_object_get_data (G_OBJECT (dropdown), "tsr-targets");
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;
  gint64 target;

  if (g_strcmp0 (response, "merge") != 0 || selected >= targets->len)
    return;
  target = g_array_index (targets, gint64, selected);
  if (!tsr_project_merge_themes (self->project, self->theme_id, target, &error))
    report (self, error);
  else
    tsr_review_view_select_theme (self, target);
}

static void
merge_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (widget);
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(GPtrArray) themes = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) inside = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog, *dropdown;

  if (self->project == NULL || (theme = tsr_project_lookup_theme (self->project, self->theme_id)) == NULL)
    {
      g_array_unref (targets);
      return;
    }

  /* Any theme but itself and its own sub-themes (tree order: parents first). */
  themes = tsr_project_list_all_themes (self->project);
  g_hash_table_add (inside, g_memdup2 (&self->theme_id, sizeof (gint64)));
  for (guint i = 0; i < themes->len; i++)
    {
      TsrTheme *t = g_ptr_array_index (themes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (t));
      gint64 parent = tsr_theme_get_parent_id (t);

      if (g_hash_table_contains (inside, &id) || g_hash_table_contains (inside, &parent))
        {
          g_hash_table_add (inside, g_memdup2 (&id, sizeof id));
          continue;
        }
      g_array_append_val (targets, id);
      gtk_string_list_append (names, tsr_theme_get_name (t));
    }
  if (targets->len == 0)
    {
      g_autoptr(GError) error = g_error_new_literal (TSR_ERROR, TSR_ERROR_INVALID,
                                                     _("There is no other theme to merge into"));
      report (self, error);
      g_array_unref (targets);
      return;
    }

  body = g_strdup_printf (_("The codes, sub-themes, links and notes of “%s” join the theme chosen, and “%s” is removed."),
                          tsr_theme_get_name (theme), tsr_theme_get_name (theme));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Merge Theme"), body);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Merge into"), -1);
  g_object_set_data_full (G_OBJECT (dropdown), "tsr-targets", targets, (GDestroyNotify) g_array_unref);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), dropdown);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "merge", _("_Merge"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_merge_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_on_map_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->theme_id != 0 && TSR_IS_WINDOW (root))
    tsr_window_show_theme_on_map (TSR_WINDOW (root), self->theme_id);
}

/* GObject -------------------------------------------------------------- */

static void
tsr_review_view_dispose (GObject *object)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (object);

  set_project (self, NULL);
  g_clear_object (&self->counts);
  g_clear_handle_id (&self->extracts_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_REVIEW_VIEW);

  G_OBJECT_CLASS (tsr_review_view_parent_class)->dispose (object);
}

static void
tsr_review_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_THEME_STATUS:
      g_value_set_string (value, get_theme_status (self));
      break;
    case PROP_WITH_SUBTHEMES:
      g_value_set_boolean (value, self->with_subthemes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_review_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;
    case PROP_THEME_STATUS:
      set_theme_status (self, g_value_get_string (value));
      break;
    case PROP_WITH_SUBTHEMES:
      set_with_subthemes (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_review_view_map (GtkWidget *widget)
{
  TsrReviewView *self = TSR_REVIEW_VIEW (widget);

  GTK_WIDGET_CLASS (tsr_review_view_parent_class)->map (widget);
  tsr_counts_pipeline_view_mapped (self->counts);
}

static void
tsr_review_view_class_init (TsrReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_review_view_dispose;
  object_class->get_property = tsr_review_view_get_property;
  object_class->set_property = tsr_review_view_set_property;
  widget_class->map = tsr_review_view_map;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  /* The shown theme's status, by name ("candidate", …; "" for none). */
  properties [PROP_THEME_STATUS] =
    g_param_spec_string ("theme-status", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Whether a theme's extracts include those of its sub-themes. */
  properties [PROP_WITH_SUBTHEMES] =
    g_param_spec_boolean ("with-subthemes", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the theme table shows counts made after a change. */
  signals [TABLE_UPDATED] =
    g_signal_new ("table-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (TSR_TYPE_THEME_CARD);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-review-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, table_flap);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, card_flap);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, table_list);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, table_footer);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, theme_title);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, extracts_stack);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, extracts_status);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, extracts_list);
  gtk_widget_class_bind_template_child (widget_class, TsrReviewView, card);
  gtk_widget_class_bind_template_callback (widget_class, on_table_row_selected_cb);

  gtk_widget_class_install_property_action (widget_class, "review.status", "theme-status");
  gtk_widget_class_install_property_action (widget_class, "review.with-subthemes", "with-subthemes");
  gtk_widget_class_install_action (widget_class, "review.split", NULL, split_action);
  gtk_widget_class_install_action (widget_class, "review.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "review.show-on-map", NULL, show_on_map_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tsr_review_view_init (TsrReviewView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->with_subthemes = TRUE;

  tsr_scope_choice_fill (self->scope_dropdown, NULL);
  self->counts = tsr_counts_pipeline_new (GTK_WIDGET (self), self->scope_dropdown);
  g_signal_connect_object (self->counts, "counts-changed",
                           G_CALLBACK (on_counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->counts, "tally-changed",
                           G_CALLBACK (on_tally_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scope_dropdown, "notify::selected",
                           G_CALLBACK (on_scope_notify_selected_cb), self, G_CONNECT_SWAPPED);
  refresh_extracts (self);
}

/* Public API ----------------------------------------------------------- */

GtkWidget *
tsr_review_view_new (void)
{
  return g_object_new (TSR_TYPE_REVIEW_VIEW, NULL);
}

static void
set_project (TsrReviewView *self,
             TsrProject    *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_clear_handle_id (&self->extracts_source, g_source_remove);
  if (self->card != NULL)
    tsr_theme_card_set_tally (self->card, NULL);
  if (self->counts != NULL)
    tsr_counts_pipeline_set_project (self->counts, project);
  g_set_object (&self->project, project);
  self->theme_id = 0;

  if (self->card == NULL)
    return;

  tsr_theme_card_set_project (self->card, project);
  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  tsr_scope_choice_fill (self->scope_dropdown, project);
  refresh_table (self);
  refresh_extracts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_review_view_select_theme:
 *
 * Shows a theme's extracts and card.
 */
void
tsr_review_view_select_theme (TsrReviewView *self,
                              gint64         theme_id)
{
  g_return_if_fail (TSR_IS_REVIEW_VIEW (self));

  if (self->theme_id != theme_id)
    {
      self->theme_id = theme_id;
      refresh_extracts (self);
      tsr_theme_card_set_theme (self->card, self->theme_id);
    }

  /* The table row follows. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->table_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_theme (GTK_LIST_BOX_ROW (row)) == theme_id &&
        gtk_list_box_get_selected_row (self->table_list) != GTK_LIST_BOX_ROW (row))
      {
        g_signal_handlers_block_matched (self->table_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
        gtk_list_box_select_row (self->table_list, GTK_LIST_BOX_ROW (row));
        g_signal_handlers_unblock_matched (self->table_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      }
}

gint64
tsr_review_view_get_theme (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), 0);
  return self->theme_id;
}

/**
 * tsr_review_view_get_counts:
 *
 * Returns: (transfer none) (nullable): the counts the table shows
 */
TsrCounts *
tsr_review_view_get_counts (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), NULL);
  return tsr_counts_pipeline_get_counts (self->counts);
}

/**
 * tsr_review_view_get_card:
 *
 * Returns: (transfer none): the theme card
 */
TsrThemeCard *
tsr_review_view_get_card (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), NULL);
  return self->card;
}

/**
 * tsr_review_view_get_table:
 *
 * Returns: (transfer none): the theme table's rows
 */
GtkListBox *
tsr_review_view_get_table (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), NULL);
  return self->table_list;
}

/**
 * tsr_review_view_get_extracts:
 *
 * Returns: (transfer none): the extracts' rows
 */
GtkListBox *
tsr_review_view_get_extracts (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), NULL);
  return self->extracts_list;
}

/**
 * tsr_review_view_get_last_update_ms:
 *
 * Returns: how long the last update of the theme table took, from the
 *   change to the rows rebuilt (for the benchmark)
 */
double
tsr_review_view_get_last_update_ms (TsrReviewView *self)
{
  g_return_val_if_fail (TSR_IS_REVIEW_VIEW (self), 0);
  return tsr_counts_pipeline_get_last_ms (self->counts);
}
