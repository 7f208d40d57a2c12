/* tsr-preferences-window.c — the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-application.h"
#include "tsr-preferences-window.h"
#include "tsr-window.h"

struct _TsrPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TsrApplication       *application;

  /* Template widgets */
  AdwEntryRow          *coder_row;
  GtkSwitch            *snap_switch;
  GtkSwitch            *others_switch;
};

G_DEFINE_FINAL_TYPE (TsrPreferencesWindow, tsr_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The window whose project the coder's name is changed in, if any. */
static TsrWindow *
get_project_window (TsrPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (TSR_IS_WINDOW (parent) && tsr_window_get_project (TSR_WINDOW (parent)) != NULL)
    return TSR_WINDOW (parent);
  return NULL;
}

/* The coder of the open project, else the name offered in projects
 * asking who is coding. */
static void
load_coder_name (TsrPreferencesWindow *self)
{
  TsrWindow *window = get_project_window (self);
  TsrProject *project = window ? tsr_window_get_project (window) : NULL;
  g_autofree char *name = NULL;

  if (project != NULL && tsr_project_get_coder_confirmed (project))
    name = g_strdup (tsr_coder_get_name (tsr_project_get_current_coder (project)));
  else
    name = tsr_application_dup_coder_name (self->application);

  gtk_editable_set_text (GTK_EDITABLE (self->coder_row), name ? name : "");
}

static void
on_coder_row_apply_cb (TsrPreferencesWindow *self,
                       AdwEntryRow          *row)
{
  TsrWindow *window = get_project_window (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  /* In an open project, the same person renamed or a new coder: asked. */
  if (window != NULL)
    {
      tsr_window_change_coder (window, name);
      return;
    }

  g_settings_set_string (tsr_application_get_settings (self->application), "coder-name", name);
  load_coder_name (self);
}

static void
on_notify_transient_for_cb (TsrPreferencesWindow *self,
                            GParamSpec           *pspec,
                            gpointer              user_data)
{
  load_coder_name (self);
}

static void
tsr_preferences_window_constructed (GObject *object)
{
  TsrPreferencesWindow *self = TSR_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (tsr_preferences_window_parent_class)->constructed (object);

  load_coder_name (self);
  g_signal_connect (self, "notify::transient-for", G_CALLBACK (on_notify_transient_for_cb), NULL);

  {
    GSettings *settings = tsr_application_get_settings (self->application);

    g_settings_bind (settings, "snap-to-words", self->snap_switch, "active", G_SETTINGS_BIND_DEFAULT);
    g_settings_bind (settings, "show-other-coders", self->others_switch, "active", G_SETTINGS_BIND_DEFAULT);
  }
}

static void
tsr_preferences_window_dispose (GObject *object)
{
  TsrPreferencesWindow *self = TSR_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (tsr_preferences_window_parent_class)->dispose (object);
}

static void
tsr_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TsrPreferencesWindow *self = TSR_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_preferences_window_class_init (TsrPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tsr_preferences_window_constructed;
  object_class->dispose = tsr_preferences_window_dispose;
  object_class->set_property = tsr_preferences_window_set_property;

  /* Not GtkWindow:application: a preferences window is not one of the
   * application's main windows. */
  properties [PROP_APPLICATION] =
    g_param_spec_object ("tsr-application", NULL, NULL,
                         TSR_TYPE_APPLICATION,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tessera/Tessera/tsr-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrPreferencesWindow, coder_row);
  gtk_widget_class_bind_template_child (widget_class, TsrPreferencesWindow, snap_switch);
  gtk_widget_class_bind_template_child (widget_class, TsrPreferencesWindow, others_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_coder_row_apply_cb);
}

static void
tsr_preferences_window_init (TsrPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TsrPreferencesWindow *
tsr_preferences_window_new (TsrApplication *application)
{
  g_return_val_if_fail (TSR_IS_APPLICATION (application), NULL);

  return g_object_new (TSR_TYPE_PREFERENCES_WINDOW,
                       "tsr-application", application,
                       NULL);
}
