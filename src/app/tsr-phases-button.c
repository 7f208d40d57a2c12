/* tsr-phases-button.c — where the project stands in the six phases
 *
 * A header button naming the phase the project has reached (the first
 * not complete); its popover shows the progress of all six, counted by
 * the core from the project, each a way into the view for that phase.
 * The phases are recursive, not a wizard: every row is always open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-phases-button.h"
#include "tsr-session.h"
#include "tsr-window.h"

#define REFRESH_DELAY_MS 250

struct _TsrPhasesButton
{
  GtkWidget     parent_instance;

  TsrProject   *project;
  gulong        changed_handler;
  guint         refresh_source;
  char         *summary;

  GtkWidget    *menu_button;
  GtkWidget    *label;
  GtkWidget    *popover;
  GtkWidget    *rows[TSR_N_PHASES];
  GtkWidget    *bars[TSR_N_PHASES];
  GtkWidget    *counts[TSR_N_PHASES];
};

G_DEFINE_FINAL_TYPE (TsrPhasesButton, tsr_phases_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrPhasesButton *self,
                         TsrProject      *project);

/* The view each phase is done in. */
static const char * const phase_views[TSR_N_PHASES] = {
  "code", "code", "themes", "review", "review", "report",
};

static void
on_row_clicked_cb (GtkButton       *button,
                   TsrPhasesButton *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint phase = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tsr-phase"));

  gtk_popover_popdown (GTK_POPOVER (self->popover));
  if (TSR_IS_WINDOW (root) && phase < TSR_N_PHASES)
    tsr_window_show_view (TSR_WINDOW (root), phase_views[phase]);
}

void
tsr_phases_button_refresh (TsrPhasesButton *self)
{
  TsrPhaseProgress progress[TSR_N_PHASES];
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint current = TSR_N_PHASES;

  g_return_if_fail (TSR_IS_PHASES_BUTTON (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->project == NULL || !tsr_project_get_phase_progress (self->project, progress, &error))
    return;

  for (guint i = 0; i < TSR_N_PHASES; i++)
    {
      double fraction = tsr_phase_progress_fraction (&progress[i]);
      g_autofree char *text = NULL;
      g_autofree char *a11y = NULL;
      gboolean reachable = !TSR_IS_WINDOW (root) || tsr_window_has_view (TSR_WINDOW (root), phase_views[i]);

      if (i == TSR_PHASE_WRITING)
        text = g_strdup (progress[i].done > 0 ? _("A report has been exported") : _("No report exported yet"));
      else
        /* Translators: progress of a phase, e.g. "5 of 22 documents read" */
        text = g_strdup_printf (_("%u of %u %s"), progress[i].done, progress[i].total,
                                _(tsr_phase_get_unit (i)));
      gtk_label_set_text (GTK_LABEL (self->counts[i]), text);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bars[i]), fraction);
      gtk_widget_set_sensitive (self->rows[i], reachable);
      gtk_widget_set_tooltip_text (self->rows[i], reachable ? NULL : _("This view is not part of this version"));
      a11y = g_strdup_printf ("%u %s: %s", i + 1, _(tsr_phase_get_name (i)), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->rows[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

      if (current == TSR_N_PHASES && (progress[i].total == 0 || fraction < 1.0))
        current = i;
    }

  g_free (self->summary);
  if (current == TSR_N_PHASES)
    self->summary = g_strdup (_("All Phases Done"));
  else
    /* Translators: the phase reached, e.g. "3 · Searching for themes" */
    self->summary = g_strdup_printf (_("%u · %s"), current + 1, _(tsr_phase_get_name (current)));
  gtk_label_set_text (GTK_LABEL (self->label), self->summary);
  {
    g_autofree char *a11y = g_strdup_printf (_("Phases of the analysis: %s"), self->summary);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  }
}

static gboolean
refresh_cb (gpointer data)
{
  TsrPhasesButton *self = data;

  self->refresh_source = 0;
  tsr_phases_button_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_project_changed_cb (TsrProject      *project,
                       TsrChange        change,
                       TsrPhasesButton *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static void
on_popover_show_cb (GtkWidget       *popover,
                    TsrPhasesButton *self)
{
  tsr_phases_button_refresh (self);
}

static void
tsr_phases_button_dispose (GObject *object)
{
  TsrPhasesButton *self = TSR_PHASES_BUTTON (object);

  set_project (self, NULL);
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (tsr_phases_button_parent_class)->dispose (object);
}

static void
tsr_phases_button_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsrPhasesButton *self = TSR_PHASES_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_phases_button_class_init (TsrPhasesButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_phases_button_dispose;
  object_class->set_property = tsr_phases_button_set_property;

  /* The window's session, set once: the button shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tsr_phases_button_init (TsrPhasesButton *self)
{
  GtkWidget *box, *content, *title;

  self->menu_button = gtk_menu_button_new ();
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));
  gtk_widget_set_tooltip_text (self->menu_button, _("Phases of the Analysis"));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("view-list-ordered-symbolic"));
  self->label = gtk_label_new (NULL);
  /* A narrow header bar shortens the phase's name, not the window. */
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), self->label);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->menu_button), box);

  self->popover = gtk_popover_new ();
  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (content, 6);
  gtk_widget_set_margin_end (content, 6);
  gtk_widget_set_margin_top (content, 6);
  gtk_widget_set_margin_bottom (content, 6);
  title = gtk_label_new (_("Phases of the Analysis"));
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_margin_bottom (title, 6);
  gtk_box_append (GTK_BOX (content), title);

  for (guint i = 0; i < TSR_N_PHASES; i++)
    {
      GtkWidget *grid = gtk_grid_new ();
      g_autofree char *name = g_strdup_printf ("%u  %s", i + 1, _(tsr_phase_get_name (i)));
      GtkWidget *name_label = gtk_label_new (name);

      gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
      gtk_label_set_xalign (GTK_LABEL (name_label), 0);
      gtk_widget_add_css_class (name_label, "heading");
      self->counts[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->counts[i]), 0);
      gtk_widget_add_css_class (self->counts[i], "caption");
      gtk_widget_add_css_class (self->counts[i], "dim-label");
      self->bars[i] = gtk_progress_bar_new ();
      gtk_widget_set_size_request (self->bars[i], 240, -1);
      gtk_grid_attach (GTK_GRID (grid), name_label, 0, 0, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->bars[i], 0, 1, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->counts[i], 0, 2, 1, 1);

      self->rows[i] = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (self->rows[i]), grid);
      gtk_widget_add_css_class (self->rows[i], "flat");
      g_object_set_data (G_OBJECT (self->rows[i]), "tsr-phase", GUINT_TO_POINTER (i));
      g_signal_connect (self->rows[i], "clicked", G_CALLBACK (on_row_clicked_cb), self);
      gtk_box_append (GTK_BOX (content), self->rows[i]);
    }
  gtk_popover_set_child (GTK_POPOVER (self->popover), content);
  g_signal_connect (self->popover, "show", G_CALLBACK (on_popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), self->popover);
}

GtkWidget *
tsr_phases_button_new (void)
{
  return g_object_new (TSR_TYPE_PHASES_BUTTON, NULL);
}

static void
set_project (TsrPhasesButton *self,
             TsrProject      *project)
{
  if (self->project == project)
    return;
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      tsr_phases_button_refresh (self);
    }
}

/**
 * tsr_phases_button_get_summary:
 *
 * Returns: (nullable): the phase reached, as the button says it
 */
const char *
tsr_phases_button_get_summary (TsrPhasesButton *self)
{
  g_return_val_if_fail (TSR_IS_PHASES_BUTTON (self), NULL);
  return self->summary;
}

/**
 * tsr_phases_button_get_popover:
 *
 * Returns: (transfer none): the popover listing the phases
 */
GtkPopover *
tsr_phases_button_get_popover (TsrPhasesButton *self)
{
  g_return_val_if_fail (TSR_IS_PHASES_BUTTON (self), NULL);
  return GTK_POPOVER (self->popover);
}
