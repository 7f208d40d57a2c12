/* tsr-scope-choice.c — a drop-down choosing whose coding counts
 *
 * Offers any coder, every coder, the consensus, then each coder by name:
 * the choices of TsrCoderMode.  The n on the map and in the theme table
 * follow it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-scope-choice.h"

#define N_FIXED 3

/**
 * tsr_scope_choice_fill:
 * @project: (nullable): whose coders to offer
 *
 * Fills @dropdown with the choices, keeping the one chosen when it is
 * still offered.
 */
void
tsr_scope_choice_fill (GtkDropDown *dropdown,
                       TsrProject  *project)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GArray *coders = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *old = g_object_get_data (G_OBJECT (dropdown), "tsr-coders");
  guint selected = gtk_drop_down_get_selected (dropdown);
  gint64 selected_coder = tsr_scope_choice_get_coder (dropdown);
  guint new_selected = selected < N_FIXED ? selected : 0;
  gboolean has_consensus = FALSE;

  gtk_string_list_append (list, _("Any Coder"));
  gtk_string_list_append (list, _("Every Coder"));
  gtk_string_list_append (list, _("Consensus"));

  if (project != NULL)
    {
      g_autoptr(GListModel) model = tsr_project_get_coders (project);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(TsrCoder) coder = g_list_model_get_item (model, i);
          gint64 id = tsr_entity_get_id (TSR_ENTITY (coder));

          if (tsr_coder_get_is_consensus (coder))
            {
              has_consensus = TRUE;
              continue;
            }
          if (selected >= N_FIXED && id == selected_coder)
            new_selected = N_FIXED + coders->len;
          g_array_append_val (coders, id);
          gtk_string_list_append (list, tsr_coder_get_name (coder));
        }
    }

  /* A project first shown counts the reconciled coding once there is one:
   * that is the n a report gives. */
  if ((old == NULL || project == NULL || g_object_get_data (G_OBJECT (dropdown), "tsr-project") != project) &&
      has_consensus)
    new_selected = 2;
  g_object_set_data (G_OBJECT (dropdown), "tsr-project", project);
  g_object_set_data_full (G_OBJECT (dropdown), "tsr-coders", coders, (GDestroyNotify) g_array_unref);
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, new_selected);
}

/**
 * tsr_scope_choice_get_scope:
 *
 * Returns: (transfer full): the scope chosen, over every document
 */
TsrScope *
tsr_scope_choice_get_scope (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  switch (selected)
    {
    case 0:
    case GTK_INVALID_LIST_POSITION:
      return tsr_scope_new (TSR_CODERS_ANY, 0);
    case 1:
      return tsr_scope_new (TSR_CODERS_ALL, 0);
    case 2:
      return tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
    default:
      return tsr_scope_new (TSR_CODERS_ONE, tsr_scope_choice_get_coder (dropdown));
    }
}

/**
 * tsr_scope_choice_get_coder:
 *
 * Returns: the one coder chosen, or 0 when the choice is not one coder
 */
gint64
tsr_scope_choice_get_coder (GtkDropDown *dropdown)
{
  GArray *coders = g_object_get_data (G_OBJECT (dropdown), "tsr-coders");
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (coders == NULL || selected == GTK_INVALID_LIST_POSITION || selected < N_FIXED ||
      selected - N_FIXED >= coders->len)
    return 0;
  return g_array_index (coders, gint64, selected - N_FIXED);
}

/**
 * tsr_scope_choice_describe:
 *
 * Returns: (transfer full): the choice as a phrase ("any coder", "Dana")
 */
char *
tsr_scope_choice_describe (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return g_strdup (item ? gtk_string_object_get_string (item) : _("Any Coder"));
}
