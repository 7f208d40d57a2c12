/* tsr-theme-map-edit.c — the theme map's name editor, context menu
 * and actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-theme-map-private.h"

/* The editor popover: renaming a theme, labelling a link ------------- */

static void
on_editor_activate_cb (GtkEntry    *entry,
                       TsrThemeMap *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  gboolean ok = TRUE;

  if (self->editing.kind == TSR_MAP_HIT_THEME)
    {
      const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->editing.theme_id);
      g_autofree char *clean = g_strstrip (g_strdup (text));

      if (box != NULL && g_strcmp0 (clean, box->name) != 0)
        ok = tsr_project_rename_theme (self->project, self->editing.theme_id, text, &error);
    }
  else if (self->editing.kind == TSR_MAP_HIT_LINK)
    {
      const TsrMapArrow *arrow = tsr_map_layout_find_arrow (self->layout, self->editing.link_id);

      if (arrow != NULL && g_strcmp0 (arrow->label, text) != 0)
        ok = tsr_project_set_map_link_label (self->project, self->editing.link_id, text, &error);
    }

  if (!ok)
    {
      /* Keep the editor open on a bad name: the message says why. */
      gtk_label_set_text (GTK_LABEL (self->editor_label), error->message);
      gtk_widget_add_css_class (self->editor_label, "error");
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (self->editor));
}

static void
on_editor_closed_cb (GtkPopover  *popover,
                     TsrThemeMap *self)
{
  self->editing.kind = TSR_MAP_HIT_NONE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
_tsr_theme_map_open_editor (TsrThemeMap     *self,
             const TsrMapHit *hit)
{
  TsrMapRect r = tsr_map_layout_hit_rect (self->layout, hit);
  const char *text = "";
  const char *heading;
  double x, y;

  if (hit->kind == TSR_MAP_HIT_THEME)
    {
      text = tsr_map_layout_find_theme (self->layout, hit->theme_id)->name;
      heading = _("Theme name");
    }
  else if (hit->kind == TSR_MAP_HIT_LINK)
    {
      text = tsr_map_layout_find_arrow (self->layout, hit->link_id)->label;
      heading = _("Link label, such as “leads to” or “part of”");
    }
  else
    return;

  self->editing = *hit;
  _tsr_theme_map_ensure_visible (self, hit);
  tsr_theme_map_world_to_widget (self, r.x, r.y, &x, &y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->editor),
                               &(GdkRectangle) { (int) x, (int) y,
                                                 MAX (1, (int) (r.width * self->zoom)),
                                                 MAX (1, (int) (MIN (r.height, 40) * self->zoom)) });
  gtk_label_set_text (GTK_LABEL (self->editor_label), heading);
  gtk_widget_remove_css_class (self->editor_label, "error");
  gtk_editable_set_text (GTK_EDITABLE (self->editor_entry), text);
  gtk_popover_popup (GTK_POPOVER (self->editor));
  gtk_widget_grab_focus (self->editor_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->editor_entry), 0, -1);
}

/* The context menu --------------------------------------------------- */

void
_tsr_theme_map_show_context_menu (TsrThemeMap *self,
                   double       x,
                   double       y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) status = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  switch (self->selection.kind)
    {
    case TSR_MAP_HIT_THEME:
      g_menu_append (section, _("Open Theme _Card"), "map.open-card");
      g_menu_append (section, _("_Rename…"), "map.rename");
      g_menu_append (section, _("_Link to…"), "map.link-to");
      if (tsr_map_layout_find_theme (self->layout, self->selection.theme_id)->parent_id != 0)
        g_menu_append (section, _("Make a _Theme of Its Own"), "map.lift");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      g_menu_append (status, _("Candidate"), "map.status::candidate");
      g_menu_append (status, _("Reviewed"), "map.status::reviewed");
      g_menu_append (status, _("Final"), "map.status::final");
      g_menu_append (status, _("Discarded"), "map.status::discarded");
      g_menu_append_section (menu, _("Status"), G_MENU_MODEL (status));
      g_menu_append (menu, _("_Delete Theme"), "map.delete");
      break;
    case TSR_MAP_HIT_CHIP:
      g_menu_append (menu, _("_Remove from Theme"), "map.delete");
      break;
    case TSR_MAP_HIT_LINK:
      g_menu_append (menu, _("_Edit Label…"), "map.rename");
      g_menu_append (menu, _("_Delete Link"), "map.delete");
      break;
    case TSR_MAP_HIT_NONE:
    default:
      g_menu_append (menu, _("_New Theme"), "map.new-theme");
      break;
    }

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Actions ------------------------------------------------------------ */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  _tsr_theme_map_open_editor (self, &self->selection);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  _tsr_theme_map_delete_selection (TSR_THEME_MAP (widget));
}

static void
link_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  if (self->selection.kind != TSR_MAP_HIT_THEME)
    return;
  self->link_from = self->selection.theme_id;
  tsr_theme_map_widget_to_world (self, self->pointer_x, self->pointer_y, &self->link_x, &self->link_y);
  _tsr_theme_map_show_message (self, _("Click the theme to link to, or press Escape"));
  gtk_widget_queue_draw (widget);
}

static void
lift_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);
  const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
  g_autoptr(GError) error = NULL;

  if (box == NULL || box->parent_id == 0)
    return;
  if (!tsr_project_move_theme (self->project, box->id, 0, -1, &error))
    _tsr_theme_map_report (self, error);
}

/* map.status is the theme-status property's action: stateful, so the
 * context menu marks the selected theme's status. */
const char *
_tsr_theme_map_get_theme_status (TsrThemeMap *self)
{
  const TsrMapThemeBox *box = NULL;

  if (self->selection.kind == TSR_MAP_HIT_THEME && self->layout != NULL)
    box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
  return box ? tsr_theme_status_to_string (box->status) : "";
}

void
_tsr_theme_map_set_theme_status (TsrThemeMap *self,
                  const char  *name)
{
  g_autoptr(GError) error = NULL;
  TsrThemeStatus status;

  if (self->selection.kind != TSR_MAP_HIT_THEME || name == NULL ||
      !tsr_theme_status_from_string (name, &status) || g_strcmp0 (name, _tsr_theme_map_get_theme_status (self)) == 0)
    return;
  if (!tsr_project_set_theme_status (self->project, self->selection.theme_id, status, &error))
    _tsr_theme_map_report (self, error);
}

static void
open_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  if (self->selection.kind == TSR_MAP_HIT_THEME)
    _tsr_theme_map_emit_activate_theme (self, self->selection.theme_id);
}

static void
new_theme_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);
  g_autoptr(GError) error = NULL;

  if (tsr_theme_map_new_theme (self, &error) == 0)
    _tsr_theme_map_report (self, error);
}

/* Makes the name editor and the context menu, hidden until used. */
void
_tsr_theme_map_setup_editor (TsrThemeMap *self)
{
  GtkWidget *box;

  /* The editor for names and labels. */
  self->editor = gtk_popover_new ();
  gtk_widget_set_parent (self->editor, GTK_WIDGET (self));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->editor_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->editor_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->editor_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->editor_label), 36);
  gtk_widget_add_css_class (self->editor_label, "dim-label");
  self->editor_entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (self->editor_entry), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->editor_entry), 28);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->editor_entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->editor_label, NULL,
                                  -1);
  g_signal_connect (self->editor_entry, "activate", G_CALLBACK (on_editor_activate_cb), self);
  gtk_box_append (GTK_BOX (box), self->editor_label);
  gtk_box_append (GTK_BOX (box), self->editor_entry);
  gtk_popover_set_child (GTK_POPOVER (self->editor), box);
  g_signal_connect (self->editor, "closed", G_CALLBACK (on_editor_closed_cb), self);

  self->context_menu = gtk_popover_menu_new_from_model (NULL);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
}

void
_tsr_theme_map_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "map.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "map.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "map.link-to", NULL, link_to_action);
  gtk_widget_class_install_action (widget_class, "map.lift", NULL, lift_action);
  gtk_widget_class_install_property_action (widget_class, "map.status", "theme-status");
  gtk_widget_class_install_action (widget_class, "map.open-card", NULL, open_card_action);
  gtk_widget_class_install_action (widget_class, "map.new-theme", NULL, new_theme_action);
}
