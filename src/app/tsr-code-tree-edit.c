/* tsr-code-tree-edit.c — editing codes in the tree: deleting,
 * merging and moving, the name and colour popovers, the context menu and
 * the code.* actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "tsr-code-tree-private.h"
#include "tsr-color-swatch.h"

/* Edits -------------------------------------------------------------- */

typedef struct
{
  TsrCodeTree *tree;
  gint64       source_id;
  gint64       target_id;
  GtkDropDown *drop_down;
  GPtrArray   *choices;   /* code ids, as gint64 *, in the drop-down's order */
} MergeRequest;

gboolean
_tsr_code_tree_report_error (TsrCodeTree *self,
              GError      *error)
{
  if (error != NULL)
    _tsr_code_tree_show_toast (self, error->message, FALSE);
  return error == NULL;
}

static void
delete_code (TsrCodeTree *self,
             gint64       code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint n_segments = 0;

  if (code == NULL)
    return;

  name = g_strdup (tsr_code_get_name (code));
  if (self->counts != NULL)
    n_segments = tsr_counts_get_code_segments (self->counts, code_id);

  if (!tsr_project_delete_code (self->project, code_id, &error))
    {
      _tsr_code_tree_report_error (self, error);
      return;
    }

  if (n_segments > 0)
    /* Translators: a toast after deleting a code */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Deleted “%s” and %u coded passage",
                                            "Deleted “%s” and %u coded passages", n_segments),
                               name, n_segments);
  else
    message = g_strdup_printf (_("Deleted “%s”"), name);
  _tsr_code_tree_show_toast (self, message, TRUE);
}

static void
merge_codes (TsrCodeTree *self,
             gint64       source_id,
             gint64       target_id)
{
  g_autoptr(TsrCode) source = tsr_project_lookup_code (self->project, source_id);
  g_autoptr(TsrCode) target = tsr_project_lookup_code (self->project, target_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (source == NULL || target == NULL)
    return;

  message = g_strdup_printf (_("Merged “%s” into “%s”"),
                             tsr_code_get_name (source), tsr_code_get_name (target));

  if (!tsr_project_merge_codes (self->project, source_id, target_id, &error))
    {
      _tsr_code_tree_report_error (self, error);
      return;
    }

  _tsr_code_tree_reveal_code (self, target_id);
  _tsr_code_tree_show_toast (self, message, TRUE);
}

static void
merge_request_free (gpointer  data,
                    GClosure *closure)
{
  MergeRequest *request = data;

  g_clear_object (&request->tree);
  g_clear_pointer (&request->choices, g_ptr_array_unref);
  g_free (request);
}

static void
on_merge_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             MergeRequest     *request)
{
  gint64 target_id = request->target_id;

  if (g_strcmp0 (response, "merge") != 0 || request->tree->project == NULL)
    return;

  if (request->drop_down != NULL)
    {
      guint selected = gtk_drop_down_get_selected (request->drop_down);

      if (selected >= request->choices->len)
        return;
      target_id = *(gint64 *) request->choices->pdata[selected];
    }

  merge_codes (request->tree, request->source_id, target_id);
}

/* Asks before merging: a merge moves every passage and sub-code.  With
 * @target_id 0 the user picks the code to merge into. */
void
_tsr_code_tree_confirm_merge (TsrCodeTree *self,
               gint64       source_id,
               gint64       target_id)
{
  g_autoptr(TsrCode) source = tsr_project_lookup_code (self->project, source_id);
  g_autoptr(TsrCode) target = target_id ? tsr_project_lookup_code (self->project, target_id) : NULL;
  MergeRequest *request;
  GtkWidget *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (source == NULL || (target_id != 0 && target == NULL))
    return;

  request = g_new0 (MergeRequest, 1);
  request->tree = g_object_ref (self);
  request->source_id = source_id;
  request->target_id = target_id;

  if (target != NULL)
    heading = g_strdup_printf (_("Merge “%s” Into “%s”?"),
                               tsr_code_get_name (source), tsr_code_get_name (target));
  else
    heading = g_strdup_printf (_("Merge “%s” Into…"), tsr_code_get_name (source));
  body = g_strdup_printf (_("Its coded passages, sub-codes and places in themes move to the other code, "
                            "and “%s” is removed. You can undo this."),
                          tsr_code_get_name (source));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "merge");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  if (target == NULL)
    {
      g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (self->project);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      g_autoptr(GtkExpression) expression = NULL;

      request->choices = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; codes != NULL && i < codes->len; i++)
        {
          gint64 id = _tsr_code_tree_code_id_of (codes->pdata[i]);
          g_autofree char *path = NULL;
          gboolean below = FALSE;

          /* Not itself, nor a code below it. */
          for (gint64 up = id; up != 0 && !below; )
            {
              g_autoptr(TsrCode) c = tsr_project_lookup_code (self->project, up);

              below = up == source_id;
              up = c ? tsr_code_get_parent_id (c) : 0;
            }
          if (below)
            continue;

          path = tsr_project_get_code_path (self->project, id);
          gtk_string_list_append (names, path);
          g_ptr_array_add (request->choices, g_memdup2 (&id, sizeof id));
        }

      if (request->choices->len == 0)
        {
          _tsr_code_tree_show_toast (self, _("There is no other code to merge into"), FALSE);
          merge_request_free (request, NULL);
          gtk_window_destroy (GTK_WINDOW (dialog));
          return;
        }

      expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
      request->drop_down = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)),
                                                             g_steal_pointer (&expression)));
      gtk_drop_down_set_enable_search (request->drop_down, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (request->drop_down),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Code to merge into"),
                                      -1);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (request->drop_down));
    }

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_merge_dialog_response_cb),
                         request, merge_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Where @source goes when dropped before or after @target. */
gboolean
_tsr_code_tree_move_beside (TsrCodeTree  *self,
             TsrCode      *source,
             TsrCode      *target,
             gboolean      after,
             GError      **error)
{
  gint64 parent_id = tsr_code_get_parent_id (target);
  gint position = tsr_code_get_position (target);

  /* The positions count the siblings without the code being moved. */
  if (tsr_code_get_parent_id (source) == parent_id &&
      tsr_code_get_position (source) < position)
    position--;
  if (after)
    position++;

  return tsr_project_move_code (self->project, _tsr_code_tree_code_id_of (source), parent_id, position, error);
}

/* Popovers ----------------------------------------------------------- */

/* The GNOME palette's middle tones: distinct, and readable as a
 * translucent highlight behind text in both light and dark styles. */
static const char * const palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac",
  "#986a44", "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#f66151",
  "#c061cb", "#cdab8f", "#1c71d8", "#26a269", "#e5a50a", "#c64600",
  "#a51d2d", "#613583", "#63452c", "#77767b", "#2ec27e", "#dc8add",
};

static void
point_popover_at_code (TsrCodeTree *self,
                       GtkPopover  *popover,
                       gint64       code_id)
{
  GtkWidget *row = code_id ? tsr_code_tree_get_row_widget (self, code_id) : NULL;
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (row == NULL || !gtk_widget_compute_bounds (row, GTK_WIDGET (self), &bounds))
    {
      if (!gtk_widget_compute_bounds (GTK_WIDGET (self->new_button), GTK_WIDGET (self), &bounds))
        graphene_rect_init (&bounds, 0, 0, 1, 1);
    }

  rect.x = bounds.origin.x;
  rect.y = bounds.origin.y;
  rect.width = MAX (1, bounds.size.width);
  rect.height = MAX (1, bounds.size.height);
  gtk_popover_set_pointing_to (popover, &rect);
}

void
_tsr_code_tree_show_name_popover (TsrCodeTree *self,
                   gboolean     new_code,
                   gboolean     inside,
                   gint64       code_id)
{
  g_autoptr(TsrCode) code = code_id ? tsr_project_lookup_code (self->project, code_id) : NULL;

  self->naming_new = new_code;
  self->popover_code_id = code_id;

  gtk_widget_set_visible (GTK_WIDGET (self->name_error), FALSE);

  if (new_code)
    {
      gtk_label_set_label (self->name_heading, _("New Code"));
      gtk_button_set_label (self->name_apply_button, _("_Create"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
      gtk_widget_set_visible (GTK_WIDGET (self->inside_check), code != NULL);
      if (code != NULL)
        {
          g_autofree char *label = g_strdup_printf (_("Inside “%s”"), tsr_code_get_name (code));

          gtk_check_button_set_label (self->inside_check, label);
        }
      gtk_check_button_set_active (self->inside_check, inside);
      point_popover_at_code (self, self->name_popover, inside ? code_id : 0);
    }
  else
    {
      if (code == NULL)
        return;
      gtk_label_set_label (self->name_heading, _("Rename Code"));
      gtk_button_set_label (self->name_apply_button, _("_Rename"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_entry), tsr_code_get_name (code));
      gtk_widget_set_visible (GTK_WIDGET (self->inside_check), FALSE);
      point_popover_at_code (self, self->name_popover, code_id);
    }

  gtk_button_set_use_underline (self->name_apply_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_apply_button),
                            gtk_entry_get_text_length (self->name_entry) > 0);
  gtk_popover_popup (self->name_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}

static void
on_name_entry_changed_cb (TsrCodeTree *self,
                          GtkEntry    *entry)
{
  gtk_widget_set_visible (GTK_WIDGET (self->name_error), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_apply_button),
                            gtk_entry_get_text_length (entry) > 0);
}

static void
on_name_apply_cb (TsrCodeTree *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autoptr(GError) error = NULL;
  gint64 new_id = 0;

  if (self->project == NULL || name[0] == '\0')
    return;

  if (self->naming_new)
    {
      gint64 parent_id = gtk_widget_get_visible (GTK_WIDGET (self->inside_check)) &&
                         gtk_check_button_get_active (self->inside_check) ? self->popover_code_id : 0;

      new_id = tsr_project_create_code (self->project, parent_id, name, NULL, NULL, &error);
    }
  else
    tsr_project_rename_code (self->project, self->popover_code_id, name, &error);

  if (error != NULL)
    {
      /* Kept open, so the name can be corrected. */
      gtk_label_set_label (self->name_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->name_error), TRUE);
      return;
    }

  gtk_popover_popdown (self->name_popover);

  if (new_id != 0)
    _tsr_code_tree_reveal_code (self, new_id);
}

static void
on_name_popover_closed_cb (TsrCodeTree *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
apply_color (TsrCodeTree *self,
             const char  *color)
{
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (self->color_popover);
  if (self->project == NULL || self->popover_code_id == 0)
    return;

  tsr_project_set_code_color (self->project, self->popover_code_id, color, &error);
  _tsr_code_tree_report_error (self, error);
}

static void
on_palette_button_clicked_cb (GtkButton   *button,
                              TsrCodeTree *self)
{
  apply_color (self, g_object_get_data (G_OBJECT (button), "color"));
}

static void
ensure_color_chooser (TsrCodeTree *self)
{
  if (self->color_chooser != NULL)
    return;

  /* A big widget: made only for those who want a colour of their own. */
  self->color_chooser = GTK_COLOR_CHOOSER (gtk_color_chooser_widget_new ());
  gtk_color_chooser_set_use_alpha (self->color_chooser, FALSE);
  g_object_set (self->color_chooser, "show-editor", TRUE, NULL);
  gtk_box_append (self->color_chooser_box, GTK_WIDGET (self->color_chooser));
}

static void
on_custom_color_clicked_cb (TsrCodeTree *self)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, self->popover_code_id);
  GdkRGBA rgba;

  ensure_color_chooser (self);
  if (code != NULL && gdk_rgba_parse (&rgba, tsr_code_get_color (code)))
    gtk_color_chooser_set_rgba (self->color_chooser, &rgba);
  gtk_stack_set_visible_child_name (self->color_stack, "custom");
}

static void
on_custom_color_apply_cb (TsrCodeTree *self)
{
  GdkRGBA rgba;
  g_autofree char *color = NULL;

  ensure_color_chooser (self);
  gtk_color_chooser_get_rgba (self->color_chooser, &rgba);
  color = g_strdup_printf ("#%02x%02x%02x",
                           (guint) (CLAMP (rgba.red, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.green, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.blue, 0, 1) * 255 + 0.5));
  apply_color (self, color);
}

static void
show_color_popover (TsrCodeTree *self,
                    gint64       code_id)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, code_id);

  if (code == NULL)
    return;

  self->popover_code_id = code_id;
  gtk_stack_set_visible_child_name (self->color_stack, "palette");
  point_popover_at_code (self, self->color_popover, code_id);
  gtk_popover_popup (self->color_popover);
}

void
_tsr_code_tree_build_palette (TsrCodeTree *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *swatch = tsr_color_swatch_new (palette[i]);

      gtk_widget_set_size_request (swatch, 20, 20);
      gtk_button_set_child (GTK_BUTTON (button), swatch);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "tsr-palette-button");
      gtk_widget_set_tooltip_text (button, palette[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, palette[i],
                                      -1);
      g_object_set_data (G_OBJECT (button), "color", (gpointer) palette[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (on_palette_button_clicked_cb), self);
      gtk_grid_attach (self->palette_grid, button, i % 6, i / 6, 1, 1);
    }
}

void
_tsr_code_tree_popup_context_menu (TsrCodeTree *self,
                    gint64       code_id,
                    double       x,
                    double       y)
{
  if (x < 0)
    point_popover_at_code (self, GTK_POPOVER (self->context_menu), code_id);
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { x, y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Actions ------------------------------------------------------------ */

gint64
_tsr_code_tree_selected_id (TsrCodeTree *self)
{
  return _tsr_code_tree_code_id_of (tsr_code_tree_get_selected_code (self));
}

static void
new_code_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  tsr_code_tree_begin_new_code (TSR_CODE_TREE (widget), FALSE);
}

static void
new_child_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  tsr_code_tree_begin_new_code (TSR_CODE_TREE (widget), TRUE);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (_tsr_code_tree_selected_id (self) != 0)
    _tsr_code_tree_show_name_popover (self, FALSE, FALSE, _tsr_code_tree_selected_id (self));
}

static void
recolor_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (_tsr_code_tree_selected_id (self) != 0)
    show_color_popover (self, _tsr_code_tree_selected_id (self));
}

static void
set_color_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  self->popover_code_id = _tsr_code_tree_selected_id (self);
  apply_color (self, g_variant_get_string (param, NULL));
}

static void
define_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  TsrCode *code = tsr_code_tree_get_selected_code (self);

  if (code != NULL)
    g_signal_emit_by_name (self, "edit-definition", code);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  guint position = gtk_single_selection_get_selected (self->selection);

  if (_tsr_code_tree_selected_id (self) == 0)
    return;

  delete_code (self, _tsr_code_tree_selected_id (self));

  /* Keep a code selected where the deleted one was, for deleting on. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0 &&
      position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection,
                                       MIN (position, g_list_model_get_n_items (G_LIST_MODEL (self->selection)) - 1));
}

static void
merge_into_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (_tsr_code_tree_selected_id (self) != 0)
    _tsr_code_tree_confirm_merge (self, _tsr_code_tree_selected_id (self), 0);
}

static void
to_top_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  g_autoptr(GError) error = NULL;
  gint64 id = _tsr_code_tree_selected_id (self);

  if (id == 0)
    return;

  if (tsr_project_move_code (self->project, id, 0, -1, &error))
    _tsr_code_tree_reveal_code (self, id);
  _tsr_code_tree_report_error (self, error);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  TsrCode *code = tsr_code_tree_get_selected_code (self);

  if (code != NULL)
    g_signal_emit_by_name (self, "code-activated", code);
}

/* The window opens the passages: it owns the reader they lead to. */
static void
show_passages_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (_tsr_code_tree_selected_id (self) != 0)
    gtk_widget_activate_action (widget, "win.show-passages", NULL);
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);

  if (_tsr_code_tree_selected_id (self) != 0)
    _tsr_code_tree_popup_context_menu (self, _tsr_code_tree_selected_id (self), -1, -1);
}

static void
expand_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrCodeTree *self = TSR_CODE_TREE (widget);
  gboolean expand = g_variant_get_boolean (param);
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (row == NULL)
    return;

  if (expand)
    {
      if (gtk_tree_list_row_is_expandable (row))
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
  else if (gtk_tree_list_row_get_expanded (row))
    gtk_tree_list_row_set_expanded (row, FALSE);
  else
    {
      /* Left on a collapsed row goes to its parent. */
      g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);

      if (parent != NULL)
        {
          g_autoptr(TsrCode) code = gtk_tree_list_row_get_item (parent);

          _tsr_code_tree_reveal_code (self, _tsr_code_tree_code_id_of (code));
        }
    }
}

/* Binds the popovers' callbacks named in tsr-code-tree.ui, and installs
 * the code.* actions with their keys. */
void
_tsr_code_tree_class_edit_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_popover_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_color_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_color_apply_cb);

  gtk_widget_class_install_action (widget_class, "code.new", NULL, new_code_action);
  gtk_widget_class_install_action (widget_class, "code.new-child", NULL, new_child_action);
  gtk_widget_class_install_action (widget_class, "code.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "code.recolor", NULL, recolor_action);
  gtk_widget_class_install_action (widget_class, "code.set-color", "s", set_color_action);
  gtk_widget_class_install_action (widget_class, "code.define", NULL, define_action);
  gtk_widget_class_install_action (widget_class, "code.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "code.merge-into", NULL, merge_into_action);
  gtk_widget_class_install_action (widget_class, "code.to-top", NULL, to_top_action);
  gtk_widget_class_install_action (widget_class, "code.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "code.show-passages", NULL, show_passages_action);
  gtk_widget_class_install_action (widget_class, "code.menu", NULL, menu_action);
  gtk_widget_class_install_action (widget_class, "code.expand", "b", expand_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "code.rename", NULL);
  /* The key added last is the one menus show: the keypad's first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "code.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "code.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "code.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "code.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "code.expand", "b", TRUE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "code.expand", "b", FALSE);
}
