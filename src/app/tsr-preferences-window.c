/* tsr-preferences-window.c — the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-application.h"
#include "tsr-preferences-window.h"

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

static void
load_coder_name (TsrPreferencesWindow *self)
{
  g_autofree char *name = tsr_application_dup_coder_name (self->application);

  gtk_editable_set_text (GTK_EDITABLE (self->coder_row), name);
}

static void
on_coder_row_apply_cb (TsrPreferencesWindow *self,
                       AdwEntryRow          *row)
{
  GSettings *settings = tsr_application_get_settings (self->application);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  /* Empty, or the real name, means "follow the system's real name". */
  if (g_strcmp0 (name, g_get_real_name ()) == 0)
    name[0] = '\0';

  g_settings_set_string (settings, "coder-name", name);
  load_coder_name (self);
}

static void
tsr_preferences_window_constructed (GObject *object)
{
  TsrPreferencesWindow *self = TSR_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (tsr_preferences_window_parent_class)->constructed (object);

  load_coder_name (self);

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
