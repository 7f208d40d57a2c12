/* tsr-welcome-page.c — what a window shows with no project open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tsr-application.h"
#include "tsr-welcome-page.h"
#include "tsr-window.h"

struct _TsrWelcomePage
{
  AdwBin                parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
};

G_DEFINE_FINAL_TYPE (TsrWelcomePage, tsr_welcome_page, ADW_TYPE_BIN)

/* Helpers ------------------------------------------------------------ */

static char *
dup_folder_for_display (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autofree char *relative = NULL;

  if (parent == NULL)
    return g_strdup ("/");

  if (g_file_equal (parent, home))
    return g_strdup ("~");

  relative = g_file_get_relative_path (home, parent);
  if (relative != NULL)
    return g_build_filename ("~", relative, NULL);

  return g_file_get_parse_name (parent);
}

static GtkWidget *
create_recent_row (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *folder = dup_folder_for_display (file);
  g_autofree char *remove_label = NULL;
  gboolean exists = g_file_query_exists (file, NULL);
  GtkWidget *row;
  GtkWidget *remove;

  if (g_str_has_suffix (name, ".tessera") && strlen (name) > strlen (".tessera"))
    name[strlen (name) - strlen (".tessera")] = '\0';

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_tooltip_text (row, path);

  if (exists)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), folder);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "welcome.open-recent");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", path);
    }
  else
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s is the folder where a missing project was */
      subtitle = g_strdup_printf (_("Not found in %s"), folder);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (row, "dim-label");
    }

  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, _("Remove From Recent Projects"));
  /* Translators: %s is a project's name */
  remove_label = g_strdup_printf (_("Remove “%s” from recent projects"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "welcome.remove-recent");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", path);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

static void
update_recent (TsrWelcomePage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      if (!g_path_is_absolute (recent[i]))
        continue;

      gtk_list_box_append (self->recent_list, create_recent_row (recent[i]));
      n++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), n > 0);
}

static TsrApplication *
get_application (TsrWelcomePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return TSR_IS_APPLICATION (app) ? TSR_APPLICATION (app) : NULL;
}

static TsrWindow *
get_window (TsrWelcomePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return TSR_IS_WINDOW (root) ? TSR_WINDOW (root) : NULL;
}

/* Callbacks ---------------------------------------------------------- */

static void
on_settings_changed_cb (TsrWelcomePage *self,
                        const char     *key,
                        GSettings      *settings)
{
  update_recent (self);
}

static void
on_map_cb (TsrWelcomePage *self)
{
  /* Files may have come or gone since the list was made. */
  update_recent (self);
}

/* Actions ------------------------------------------------------------ */

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TsrWelcomePage *self = TSR_WELCOME_PAGE (widget);
  TsrApplication *app = get_application (self);
  TsrWindow *window = get_window (self);
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  if (app != NULL)
    tsr_application_open_project (app, file, window);
  else if (window != NULL)
    tsr_window_open_file (window, file);
}

static void
remove_recent_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TsrWelcomePage *self = TSR_WELCOME_PAGE (widget);
  TsrApplication *app = get_application (self);

  if (app != NULL)
    tsr_application_remove_recent (app, g_variant_get_string (param, NULL));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrWelcomePage *self = TSR_WELCOME_PAGE (widget);
  TsrApplication *app = get_application (self);

  if (app != NULL)
    tsr_application_open_demo (app, get_window (self));
}

/* GObject ------------------------------------------------------------ */

static void
tsr_welcome_page_dispose (GObject *object)
{
  TsrWelcomePage *self = TSR_WELCOME_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_WELCOME_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsr_welcome_page_parent_class)->dispose (object);
}

static void
tsr_welcome_page_class_init (TsrWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, TsrWelcomePage, recent_list);

  gtk_widget_class_install_action (widget_class, "welcome.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "welcome.remove-recent", "s", remove_recent_action);
  gtk_widget_class_install_action (widget_class, "welcome.open-demo", NULL, open_demo_action);
}

static void
tsr_welcome_page_init (TsrWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);

  update_recent (self);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_welcome_page_new (void)
{
  return g_object_new (TSR_TYPE_WELCOME_PAGE, NULL);
}

/**
 * tsr_welcome_page_get_recent_list:
 *
 * Returns: (transfer none): the list of recent projects
 */
GtkListBox *
tsr_welcome_page_get_recent_list (TsrWelcomePage *self)
{
  g_return_val_if_fail (TSR_IS_WELCOME_PAGE (self), NULL);

  return self->recent_list;
}
