/* tsr-application.c — the Tessera application: one window per project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "tsr-application.h"
#include "tsr-preferences-window.h"
#include "tsr-window.h"

#define MAX_RECENT_PROJECTS 10

struct _TsrApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  guint           signal_sources[2];

  /* Set by --demo in the primary instance, acted on by activate/open. */
  guint           demo_pending : 1;
};

G_DEFINE_FINAL_TYPE (TsrApplication, tsr_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the bundled demo project"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

/* Helpers ------------------------------------------------------------ */

/**
 * tsr_recent_list_push:
 * @list: (nullable): the current list, most recent first
 * @path: the path to put first
 * @max: the longest list to keep
 *
 * Returns: (transfer full): a new list with @path first and no duplicate.
 */
char **
tsr_recent_list_push (const char * const *list,
                      const char         *path,
                      guint               max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (max == 0)
    return g_strv_builder_end (builder);

  g_strv_builder_add (builder, path);
  n++;

  for (guint i = 0; list != NULL && list[i] != NULL && n < max; i++)
    {
      if (g_strcmp0 (list[i], path) == 0 || list[i][0] == '\0')
        continue;
      g_strv_builder_add (builder, list[i]);
      n++;
    }

  return g_strv_builder_end (builder);
}

/**
 * tsr_demo_source_file:
 *
 * The demo project shipped with Tessera: `$TESSERA_DEMO_PATH` when set
 * (running from the build tree, tests), else the installed copy.
 *
 * Returns: (transfer full): the file
 */
GFile *
tsr_demo_source_file (void)
{
  const char *env = g_getenv ("TESSERA_DEMO_PATH");

  if (env != NULL && env[0] != '\0')
    return g_file_new_for_path (env);

  return g_file_new_build_filename (PKGDATADIR, "demo.tessera", NULL);
}

/**
 * tsr_demo_user_file:
 *
 * Where the user's own copy of the demo lives, so the installed file,
 * which may be read-only, is never modified.
 *
 * Returns: (transfer full): the file
 */
GFile *
tsr_demo_user_file (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "tessera", "Demo.tessera", NULL);
}

static gboolean
copy_file_cb (GOutputStream  *stream,
              gpointer        user_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GFileInputStream) source = g_file_read (user_data, cancellable, error);

  return source != NULL &&
         g_output_stream_splice (stream, G_INPUT_STREAM (source), G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                 cancellable, error) >= 0;
}

/**
 * tsr_demo_prepare:
 * @out_file: (out): the user's copy of the demo
 * @error: return location for an error
 *
 * Copies the demo project into the user's data folder unless a copy is
 * already there, so the user's work on the demo survives restarts.
 */
gboolean
tsr_demo_prepare (GFile  **out_file,
                  GError **error)
{
  g_autoptr(GFile) source = tsr_demo_source_file ();
  g_autoptr(GFile) target = tsr_demo_user_file ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (out_file != NULL, FALSE);

  if (g_file_query_exists (target, NULL))
    {
      *out_file = g_steal_pointer (&target);
      return TRUE;
    }

  if (!g_file_query_exists (source, NULL))
    {
      g_autofree char *path = g_file_get_path (source);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The demo project is not installed (looked for “%s”)."),
                   path);
      return FALSE;
    }

  folder = g_file_get_parent (target);
  if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Whole or not at all (a half copy would be opened at every start),
   * and with the usual permissions: the installed copy is read-only, the
   * user's copy must not be. */
  if (!tsr_export_save_file (target, copy_file_cb, source, NULL, error))
    return FALSE;

  *out_file = g_steal_pointer (&target);
  return TRUE;
}

static TsrWindow *
create_window (TsrApplication *self)
{
  return tsr_window_new (self);
}

/* A window to put a project in: @preferred or the active window if either
 * has nothing open, otherwise a new one. */
static TsrWindow *
pick_window (TsrApplication *self,
             TsrWindow      *preferred)
{
  GtkWindow *active;

  if (preferred != NULL && tsr_window_is_empty (preferred))
    return preferred;

  active = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TSR_IS_WINDOW (active) && tsr_window_is_empty (TSR_WINDOW (active)))
    return TSR_WINDOW (active);

  return create_window (self);
}

static GtkWindow *
get_parent_window (TsrApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

/* Public API --------------------------------------------------------- */

TsrApplication *
tsr_application_new (void)
{
  return g_object_new (TSR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/tessera/Tessera",
                       NULL);
}

/**
 * tsr_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
tsr_application_get_settings (TsrApplication *self)
{
  g_return_val_if_fail (TSR_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * tsr_application_find_window:
 * @file: a project file
 *
 * Returns: (transfer none) (nullable): the window showing @file, or
 *   opening it
 */
TsrWindow *
tsr_application_find_window (TsrApplication *self,
                             GFile          *file)
{
  g_return_val_if_fail (TSR_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      GFile *shown;

      if (!TSR_IS_WINDOW (l->data))
        continue;

      shown = tsr_window_get_file (l->data);
      if (shown != NULL && g_file_equal (shown, file))
        return l->data;
    }

  return NULL;
}

/**
 * tsr_application_open_project:
 * @file: the project file
 * @preferred: (nullable): the window asking, used if it shows no project
 *
 * Shows @file: focuses the window that already has it open, or opens it
 * in an empty window, or in a new one.  Failures are shown in that window.
 *
 * Returns: (transfer none): the window showing @file
 */
TsrWindow *
tsr_application_open_project (TsrApplication *self,
                              GFile          *file,
                              TsrWindow      *preferred)
{
  TsrWindow *window;

  g_return_val_if_fail (TSR_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  window = tsr_application_find_window (self, file);
  if (window == NULL)
    {
      window = pick_window (self, preferred);
      tsr_window_open_file (window, file);
    }

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

/**
 * tsr_application_open_demo:
 * @preferred: (nullable): the window asking
 *
 * Opens the user's copy of the demo project, making it first if needed.
 */
void
tsr_application_open_demo (TsrApplication *self,
                           TsrWindow      *preferred)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TSR_IS_APPLICATION (self));

  if (!tsr_demo_prepare (&file, &error))
    {
      TsrWindow *window = preferred;

      if (window == NULL)
        {
          GtkWindow *active = get_parent_window (self);

          window = TSR_IS_WINDOW (active) ? TSR_WINDOW (active) : create_window (self);
        }

      gtk_window_present (GTK_WINDOW (window));
      tsr_window_show_error (window, _("Could Not Open the Demo Project"), error->message);
      return;
    }

  tsr_application_open_project (self, file, preferred);
}

/**
 * tsr_application_add_recent:
 * @file: a project that was just opened
 *
 * Puts @file first in the recent projects.
 */
void
tsr_application_add_recent (TsrApplication *self,
                            GFile          *file)
{
  g_auto(GStrv) list = NULL;
  g_auto(GStrv) updated = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (TSR_IS_APPLICATION (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  list = g_settings_get_strv (self->settings, "recent-projects");
  updated = tsr_recent_list_push ((const char * const *) list, path, MAX_RECENT_PROJECTS);
  if (!g_strv_equal ((const char * const *) list, (const char * const *) updated))
    g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

void
tsr_application_remove_recent (TsrApplication *self,
                               const char     *path)
{
  g_auto(GStrv) list = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) updated = NULL;

  g_return_if_fail (TSR_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  list = g_settings_get_strv (self->settings, "recent-projects");
  builder = g_strv_builder_new ();
  for (guint i = 0; list[i] != NULL; i++)
    if (g_strcmp0 (list[i], path) != 0)
      g_strv_builder_add (builder, list[i]);
  updated = g_strv_builder_end (builder);

  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

/**
 * tsr_application_dup_coder_name:
 *
 * The name to offer someone asked who is coding: the name they gave last
 * (the preference), else their real name (never a system account's).
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when there is
 *   none worth offering
 */
char *
tsr_application_dup_coder_name (TsrApplication *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (TSR_IS_APPLICATION (self), NULL);

  name = g_strstrip (g_settings_get_string (self->settings, "coder-name"));
  if (name[0] != '\0')
    return g_steal_pointer (&name);

  return tsr_coder_dup_default_name ();
}

/* Callbacks ---------------------------------------------------------- */

static void
on_new_project_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            gpointer         user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  TsrWindow *window;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (chosen == NULL)
    goto out;

  path = g_file_get_path (chosen);
  if (path == NULL)
    goto out;

  if (!g_str_has_suffix (path, ".tessera"))
    {
      g_autofree char *with_suffix = g_strconcat (path, ".tessera", NULL);

      file = g_file_new_for_path (with_suffix);
    }
  else
    file = g_object_ref (chosen);

  /* The chooser already asked before replacing the chosen name. */
  window = tsr_application_find_window (self, file);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      tsr_window_show_error (window, _("Could Not Create the Project"),
                             _("That project is open in this window. Choose another name."));
      goto out;
    }

  window = pick_window (self, NULL);
  tsr_window_create_project (window, file, g_file_equal (file, chosen));
  gtk_window_present (GTK_WINDOW (window));

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_application_release (G_APPLICATION (self));
}

/**
 * tsr_application_add_project_filter:
 *
 * Offers @chooser the filter for Tessera projects, and selects it.
 */
void
tsr_application_add_project_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Tessera Projects"));
  gtk_file_filter_add_pattern (filter, "*.tessera");
  gtk_file_filter_add_mime_type (filter, "application/x-tessera");
  gtk_file_chooser_add_filter (chooser, filter);
  gtk_file_chooser_set_filter (chooser, filter);
}

/* A modal chooser for project files; its response is handled by
 * @response_cb, which releases the application's hold on it. */
static GtkFileChooserNative *
project_chooser_new (TsrApplication       *self,
                     const char           *title,
                     GtkFileChooserAction  action,
                     const char           *accept_label,
                     GCallback             response_cb)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, get_parent_window (self), action,
                                        accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  tsr_application_add_project_filter (GTK_FILE_CHOOSER (dialog));

  g_application_hold (G_APPLICATION (self));
  g_signal_connect (dialog, "response", response_cb, self);
  return dialog;
}

static void
new_project_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  dialog = project_chooser_new (self, _("New Project"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                _("_Create"), G_CALLBACK (on_new_project_response_cb));

  /* Translators: the file name offered for a new project, without ".tessera" */
  name = g_strconcat (_("Untitled"), ".tessera", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_open_project_response_cb (GtkNativeDialog *dialog,
                             int              response,
                             gpointer         user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        tsr_application_open_project (self, file, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_application_release (G_APPLICATION (self));
}

static void
open_project_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileFilter *projects;

  dialog = project_chooser_new (self, _("Open Project"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                _("_Open"), G_CALLBACK (on_open_project_response_cb));
  projects = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  if (projects != NULL)
    gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (dialog), projects);

  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);

  tsr_application_open_demo (self, NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  TsrPreferencesWindow *preferences;

  preferences = tsr_preferences_window_new (self);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), get_parent_window (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  static const char *developers[] = { "The Tessera developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_parent_window (self),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Tessera"),
                        "developer-name", _("The Tessera developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Thematic analysis of qualitative text: read, code passages, "
                                      "gather codes into themes and report them."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your name here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TsrApplication *self = TSR_APPLICATION (user_data);
  GList *windows;

  /* Close each window so each project is checkpointed and its state kept. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_list_foreach (windows, (GFunc) (void (*) (void)) g_object_ref, NULL);
  for (GList *l = windows; l; l = l->next)
    if (TSR_IS_WINDOW (l->data))
      gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "new-project", new_project_action },
  { "open-project", open_project_action },
  { "open-demo", open_demo_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* Overrides ---------------------------------------------------------- */

static gboolean
on_quit_signal_cb (gpointer user_data)
{
  /* Ctrl+C in a terminal or a session logout: close each project cleanly,
   * so it is one file again. */
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

static void
tsr_application_startup (GApplication *application)
{
  TsrApplication *self = TSR_APPLICATION (application);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.new-project", { "<Control>n", NULL } },
    { "app.open-project", { "<Control>o", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
    { "win.close-project", { "<Control>w", NULL } },
    { "win.document-read", { "<Control>m", NULL } },
    { "win.next-document", { "<Alt>Down", "<Control>Page_Down", NULL } },
    { "win.previous-document", { "<Alt>Up", "<Control>Page_Up", NULL } },
    { "win.search-documents", { "<Control>f", NULL } },
    { "win.import", { "<Control>i", NULL } },
  };

  G_APPLICATION_CLASS (tsr_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action,
                                           accels[i].accels);
  tsr_window_install_accels (GTK_APPLICATION (self));

  self->signal_sources[0] = g_unix_signal_add (SIGINT, on_quit_signal_cb, self);
  self->signal_sources[1] = g_unix_signal_add (SIGTERM, on_quit_signal_cb, self);
}

static void
tsr_application_shutdown (GApplication *application)
{
  TsrApplication *self = TSR_APPLICATION (application);

  g_clear_handle_id (&self->signal_sources[0], g_source_remove);
  g_clear_handle_id (&self->signal_sources[1], g_source_remove);

  G_APPLICATION_CLASS (tsr_application_parent_class)->shutdown (application);
}

static gboolean
is_first_run (TsrApplication *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GFile) demo = tsr_demo_user_file ();

  return recent[0] == NULL && !g_file_query_exists (demo, NULL);
}

static void
tsr_application_activate (GApplication *application)
{
  TsrApplication *self = TSR_APPLICATION (application);
  GtkWindow *window;
  g_autoptr(GFile) demo_source = NULL;

  if (self->demo_pending)
    {
      self->demo_pending = FALSE;
      tsr_application_open_demo (self, NULL);
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (create_window (self));
  gtk_window_present (window);

  /* DESIGN §6: a new user meets the demo project first. */
  demo_source = tsr_demo_source_file ();
  if (is_first_run (self) && g_file_query_exists (demo_source, NULL))
    tsr_application_open_demo (self, TSR_WINDOW (window));
}

static void
tsr_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  TsrApplication *self = TSR_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    tsr_application_open_project (self, files[i], NULL);

  if (self->demo_pending)
    {
      self->demo_pending = FALSE;
      tsr_application_open_demo (self, NULL);
    }
}

static int
tsr_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  TsrApplication *self = TSR_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("tessera %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!g_variant_dict_contains (options, "demo"))
    return -1;

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* A second instance hands the request to the first one. */
  if (g_application_get_is_remote (application))
    {
      g_action_group_activate_action (G_ACTION_GROUP (application), "open-demo", NULL);
      return 0;
    }

  self->demo_pending = TRUE;
  return -1;
}

static void
tsr_application_dispose (GObject *object)
{
  TsrApplication *self = TSR_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsr_application_parent_class)->dispose (object);
}

static void
tsr_application_class_init (TsrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tsr_application_dispose;

  app_class->startup = tsr_application_startup;
  app_class->shutdown = tsr_application_shutdown;
  app_class->activate = tsr_application_activate;
  app_class->open = tsr_application_open;
  app_class->handle_local_options = tsr_application_handle_local_options;
}

static void
tsr_application_init (TsrApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PROJECT…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Thematic analysis of qualitative text."));
}
