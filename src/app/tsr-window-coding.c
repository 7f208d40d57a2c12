/* tsr-window-coding.c — coding in the window: who is coding, the Recent
 * bar, whose coding shows, the panes following the reader and the tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-coder-dialog.h"
#include "tsr-color-swatch.h"
#include "tsr-window-private.h"

/* Who is coding ------------------------------------------------------ */

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

void
_tsr_window_update_coder_button (TsrWindow *self)
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
void
_tsr_window_present_coder_dialog (TsrWindow  *self,
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
    _tsr_window_present_coder_dialog (self, NULL);
  return G_SOURCE_REMOVE;
}

/* The first edit of someone who never said who they are went to a
 * stand-in coder: ask them now, once, their name (a project opened where
 * its coder is remembered never asks). */
void
_tsr_window_maybe_ask_coder (TsrWindow *self)
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

/* The Recent bar ----------------------------------------------------- */

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
gint64
_tsr_window_nth_recent_code (TsrWindow *self,
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

void
_tsr_window_update_quick_bar (TsrWindow *self)
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

typedef struct
{
  TsrWindow    *window;
  GCancellable *cancellable;
} RecentRequest;

static void
on_recent_codes_ready_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  RecentRequest *request = user_data;
  TsrWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) recent = tsr_project_list_recent_codes_finish (TSR_PROJECT (source), result, &error);

  if (!g_cancellable_is_cancelled (request->cancellable) && self->project == TSR_PROJECT (source))
    {
      g_clear_object (&self->recent_cancellable);
      if (recent == NULL)
        g_debug ("Could not read the recent codes: %s", error->message);
      else
        {
          /* After the codes applied while they were read. */
          for (guint i = 0; i < recent->len; i++)
            {
              gint64 id = g_array_index (recent, gint64, i);
              gboolean listed = FALSE;

              for (guint j = 0; j < self->recent_codes->len && !listed; j++)
                listed = g_array_index (self->recent_codes, RecentCode, j).id == id;
              if (!listed)
                add_recent_code (self, id, FALSE);
            }
          _tsr_window_update_quick_bar (self);
        }
    }

  g_object_unref (request->window);
  g_object_unref (request->cancellable);
  g_free (request);
}

void
_tsr_window_seed_recent_codes (TsrWindow *self)
{
  g_cancellable_cancel (self->recent_cancellable);
  g_clear_object (&self->recent_cancellable);

  g_array_set_size (self->recent_codes, 0);
  if (self->project != NULL && tsr_session_project_is_small (self->project))
    {
      g_autoptr(GArray) recent = tsr_project_list_recent_codes (self->project, current_coder_id (self),
                                                                N_QUICK_CODES);

      for (guint i = 0; i < recent->len; i++)
        add_recent_code (self, g_array_index (recent, gint64, i), FALSE);
    }
  else if (self->project != NULL)
    {
      /* Reading them means reading every passage: the bar fills when
       * they come. */
      RecentRequest *request = g_new0 (RecentRequest, 1);

      self->recent_cancellable = g_cancellable_new ();
      request->window = g_object_ref (self);
      request->cancellable = g_object_ref (self->recent_cancellable);
      tsr_project_list_recent_codes_async (self->project, current_coder_id (self), N_QUICK_CODES,
                                           self->recent_cancellable, on_recent_codes_ready_cb, request);
    }
  _tsr_window_update_quick_bar (self);
}

static void
note_code_used (TsrWindow *self,
                gint64     code_id)
{
  if (self->project == NULL)
    return;
  add_recent_code (self, code_id, TRUE);
  _tsr_window_update_quick_bar (self);
}

void
_tsr_window_code_selection_with (TsrWindow *self,
                                 gint64     code_id)
{
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;

  if (tsr_reader_code_selection (self->reader, code_id, &error) == 0)
    tsr_window_show_toast (self, error->message);
}

/* Whose coding shows ------------------------------------------------- */

/* Whose coding shows and is counted: everyone's, or only mine. */
void
_tsr_window_update_scope (TsrWindow *self)
{
  gint64 coder_id = current_coder_id (self);

  tsr_reader_set_show_other_coders (self->reader, self->show_other_coders);
  /* Everyone's coding shown: counted by the rule every view follows;
   * only mine shown: only mine counted. */
  if (self->show_other_coders && self->project != NULL)
    {
      const TsrScope *scope = tsr_session_get_scope (self->session);
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

/* Callbacks ---------------------------------------------------------- */

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
  _tsr_window_code_selection_with (self, tsr_entity_get_id (TSR_ENTITY (code)));
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

void
_tsr_window_on_current_coder_changed_cb (TsrProject *project,
                                         GParamSpec *pspec,
                                         TsrWindow  *self)
{
  TsrCoder *coder = tsr_project_get_current_coder (project);

  _tsr_window_update_scope (self);
  _tsr_window_seed_recent_codes (self);
  _tsr_window_update_coder_button (self);
  /* The Done mark shown is the current coder's. */
  _tsr_window_notify_document_done (self);

  /* The name offered in the next project asked. */
  if (coder != NULL && tsr_project_get_coder_confirmed (project))
    {
      g_autofree char *stored = g_settings_get_string (self->settings, "coder-name");

      if (g_strcmp0 (stored, tsr_coder_get_name (coder)) != 0)
        g_settings_set_string (self->settings, "coder-name", tsr_coder_get_name (coder));
    }
}

static void
on_settings_snap_to_words_changed_cb (TsrWindow  *self,
                                      const char *key,
                                      GSettings  *settings)
{
  tsr_reader_set_snap_to_words (self->reader, g_settings_get_boolean (settings, "snap-to-words"));
}

/* Connects the window's coding to the settings, the reader and the code
 * tree; called once the template is built. */
void
_tsr_window_coding_init (TsrWindow *self)
{
  g_signal_connect_object (self->settings, "changed::snap-to-words",
                           G_CALLBACK (on_settings_snap_to_words_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_settings_snap_to_words_changed_cb (self, "snap-to-words", self->settings);

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
}
