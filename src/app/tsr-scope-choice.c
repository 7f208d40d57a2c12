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

/* Where the core's default scope (tsr_project_dup_default_scope) sits
 * among the choices. */
static guint
default_position (TsrProject *project,
                  GArray     *coders)
{
  g_autoptr(TsrScope) scope = tsr_project_dup_default_scope (project);

  switch (tsr_scope_get_mode (scope))
    {
    case TSR_CODERS_ALL:
      return 1;
    case TSR_CODERS_CONSENSUS:
      return 2;
    case TSR_CODERS_ONE:
      for (guint i = 0; i < coders->len; i++)
        if (g_array_index (coders, gint64, i) == tsr_scope_get_coder_id (scope))
          return N_FIXED + i;
      return 0;
    case TSR_CODERS_ANY:
    default:
      return 0;
    }
}

static void
set_selected (GtkDropDown *dropdown,
              guint        position)
{
  g_object_set_data (G_OBJECT (dropdown), "tsr-filling", GINT_TO_POINTER (TRUE));
  gtk_drop_down_set_selected (dropdown, position);
  g_object_set_data (G_OBJECT (dropdown), "tsr-filling", NULL);
}

/* A choice the researcher made is kept; until then the default follows
 * the project (the first consensus coding, a second coder). */
static void
on_notify_selected_cb (GtkDropDown *dropdown,
                       GParamSpec  *pspec,
                       gpointer     user_data)
{
  if (g_object_get_data (G_OBJECT (dropdown), "tsr-filling") == NULL)
    g_object_set_data (G_OBJECT (dropdown), "tsr-user-chose", GINT_TO_POINTER (TRUE));
}

/**
 * tsr_scope_choice_fill:
 * @project: (nullable): whose coders to offer
 *
 * Fills @dropdown with the choices, keeping the one chosen when it is
 * still offered; for a project first shown, or while nobody chose, the
 * default rule of the core chooses.
 */
void
tsr_scope_choice_fill (GtkDropDown *dropdown,
                       TsrProject  *project)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GArray *coders = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint selected = gtk_drop_down_get_selected (dropdown);
  gint64 selected_coder = tsr_scope_choice_get_coder (dropdown);
  guint new_selected = selected < N_FIXED ? selected : 0;
  gboolean new_project = g_object_get_data (G_OBJECT (dropdown), "tsr-project") != project;

  if (g_object_get_data (G_OBJECT (dropdown), "tsr-watching") == NULL)
    {
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_notify_selected_cb), NULL);
      g_object_set_data (G_OBJECT (dropdown), "tsr-watching", GINT_TO_POINTER (TRUE));
    }
  if (new_project)
    g_object_set_data (G_OBJECT (dropdown), "tsr-user-chose", NULL);

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
            continue;
          if (selected >= N_FIXED && id == selected_coder)
            new_selected = N_FIXED + coders->len;
          g_array_append_val (coders, id);
          gtk_string_list_append (list, tsr_coder_get_name (coder));
        }
    }

  if (project != NULL &&
      (new_project || g_object_get_data (G_OBJECT (dropdown), "tsr-user-chose") == NULL))
    new_selected = default_position (project, coders);
  else if (project == NULL)
    new_selected = 0;

  g_object_set_data (G_OBJECT (dropdown), "tsr-project", project);
  g_object_set_data_full (G_OBJECT (dropdown), "tsr-coders", coders, (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (dropdown), "tsr-filling", GINT_TO_POINTER (TRUE));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, new_selected);
  g_object_set_data (G_OBJECT (dropdown), "tsr-filling", NULL);
}

/**
 * tsr_scope_choice_follow_default:
 * @project: the project shown
 *
 * Selects the core's default again after the coding changed, unless the
 * researcher chose whose coding counts.
 */
void
tsr_scope_choice_follow_default (GtkDropDown *dropdown,
                                 TsrProject  *project)
{
  GArray *coders = g_object_get_data (G_OBJECT (dropdown), "tsr-coders");
  guint position;

  if (project == NULL || coders == NULL ||
      g_object_get_data (G_OBJECT (dropdown), "tsr-project") != project ||
      g_object_get_data (G_OBJECT (dropdown), "tsr-user-chose") != NULL)
    return;

  position = default_position (project, coders);
  if (position != gtk_drop_down_get_selected (dropdown))
    set_selected (dropdown, position);
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
