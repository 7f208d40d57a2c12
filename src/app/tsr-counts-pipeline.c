/* tsr-counts-pipeline.c — a view's counts, kept up to date off the main thread
 *
 * The Themes and Review views show the same numbers: every code's and
 * theme's n for the coder (or consensus) chosen in the view's scope
 * menu.  A pipeline counts them on a worker thread whenever an edit can
 * change them, and only while its view is on screen (a hidden view counts
 * when it is shown again).  Once counts are in, it makes a theme tally
 * from them, so that sorting codes into themes — which changes no coding
 * — gives new theme n at once, without counting again.
 *
 * The view listens to two signals: "counts-changed" (new counts; the
 * tally is gone until "tally-changed") and "tally-changed" (theme n
 * tallied again after a theme edit, or a tally made ready).  The pipeline
 * connects to the project before its view does, so a theme edit is
 * tallied before the view's own handlers see it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tsr-counts-pipeline.h"
#include "tsr-scope-choice.h"

struct _TsrCountsPipeline
{
  GObject         parent_instance;

  /* Not owned: the view owns the pipeline */
  GtkWidget      *view;
  GtkDropDown    *scope_choice;

  TsrProject     *project;
  gulong          changed_handler;
  TsrCounts      *counts;
  TsrThemeTally  *tally;
  gboolean        tally_pending;
  gboolean        tally_stale;
  GCancellable   *cancellable;
  guint           source;
  gboolean        stale;
  gint64          started;
  double          last_ms;
};

G_DEFINE_FINAL_TYPE (TsrCountsPipeline, tsr_counts_pipeline, G_TYPE_OBJECT)

enum {
  COUNTS_CHANGED,
  TALLY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void
finish (TsrCountsPipeline *self,
        guint              signal_id,
        gboolean           at_edit)
{
  self->last_ms = (g_get_monotonic_time () - self->started) / 1000.0;
  if (signal_id == TALLY_CHANGED)
    g_signal_emit (self, signals[signal_id], 0, at_edit);
  else
    g_signal_emit (self, signals[signal_id], 0);
}

static void
on_tally_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TsrCountsPipeline) self = user_data;
  g_autoptr(TsrThemeTally) tally = tsr_theme_tally_new_finish (result, NULL);

  /* Only for the counts shown now. */
  if (tally == NULL || self->project != TSR_PROJECT (source) ||
      tsr_theme_tally_get_counts (tally) != self->counts || self->tally != NULL)
    return;
  self->tally_pending = FALSE;
  self->tally = g_steal_pointer (&tally);

  /* Themes were edited while it was made: code presence is unchanged,
   * so it tallies them. */
  if (self->tally_stale && tsr_theme_tally_update (self->tally, self->project, NULL))
    {
      self->tally_stale = FALSE;
      finish (self, TALLY_CHANGED, FALSE);
    }
}

static void
on_counts_ready_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TsrCountsPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCounts) counts = tsr_project_compute_counts_finish (TSR_PROJECT (source), result, &error);
  g_autoptr(TsrScope) scope = NULL;

  if (counts == NULL)
    {
      if (!g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->project != NULL)
        g_warning ("Could not count the themes: %s", error->message);
      return;
    }
  if (self->project != TSR_PROJECT (source))
    return;

  g_clear_pointer (&self->counts, tsr_counts_unref);
  self->counts = g_steal_pointer (&counts);
  g_clear_pointer (&self->tally, tsr_theme_tally_free);

  /* Ready for theme edits in a moment; until then they count again. */
  scope = tsr_scope_choice_get_scope (self->scope_choice);
  self->tally_pending = tsr_theme_tally_supports (scope);
  self->tally_stale = FALSE;
  if (self->tally_pending)
    tsr_theme_tally_new_async (self->counts, self->project, self->cancellable,
                               on_tally_ready_cb, g_object_ref (self));
  finish (self, COUNTS_CHANGED, FALSE);
}

static gboolean
compute_cb (gpointer data)
{
  TsrCountsPipeline *self = data;
  g_autoptr(TsrScope) scope = NULL;

  self->source = 0;
  self->stale = FALSE;
  if (self->project == NULL)
    return G_SOURCE_REMOVE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->tally_pending = self->tally_stale = FALSE;
  scope = tsr_scope_choice_get_scope (self->scope_choice);
  tsr_project_compute_counts_async (self->project, scope, self->cancellable,
                                    on_counts_ready_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/**
 * tsr_counts_pipeline_queue:
 *
 * Counts again soon: at once if the view is on screen, else when it is
 * shown (tsr_counts_pipeline_view_mapped()).
 */
void
tsr_counts_pipeline_queue (TsrCountsPipeline *self)
{
  g_return_if_fail (TSR_IS_COUNTS_PIPELINE (self));

  if (self->project == NULL)
    return;
  if (!gtk_widget_get_mapped (self->view))
    {
      self->stale = TRUE;
      return;
    }
  if (self->source == 0)
    {
      self->started = g_get_monotonic_time ();
      self->source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, compute_cb, self, NULL);
    }
}

/**
 * tsr_counts_pipeline_view_mapped:
 *
 * For the view's map(): counts what changed while it was hidden.
 */
void
tsr_counts_pipeline_view_mapped (TsrCountsPipeline *self)
{
  g_return_if_fail (TSR_IS_COUNTS_PIPELINE (self));

  if (self->project != NULL && (self->stale || self->counts == NULL))
    tsr_counts_pipeline_queue (self);
}

static void
on_project_changed_cb (TsrProject        *project,
                       TsrChange          change,
                       TsrCountsPipeline *self)
{
  if (change & TSR_COUNTED_CHANGES)
    tsr_counts_pipeline_queue (self);
  else if (change & TSR_CHANGE_THEMES)
    {
      /* Sorting codes changes no segment: theme n are tallied at once
       * from the code presence already counted. */
      gint64 start = g_get_monotonic_time ();

      if (self->tally != NULL && tsr_theme_tally_update (self->tally, project, NULL))
        {
          self->started = start;
          finish (self, TALLY_CHANGED, TRUE);
        }
      else if (self->tally_pending)
        {
          /* The tally on its way takes this edit in when it comes. */
          if (!self->tally_stale)
            self->started = start;
          self->tally_stale = TRUE;
        }
      else
        tsr_counts_pipeline_queue (self);
    }
}

static void
on_scope_notify_selected_cb (TsrCountsPipeline *self)
{
  tsr_counts_pipeline_queue (self);
}

/**
 * tsr_counts_pipeline_set_project:
 *
 * Drops the counts of the project before and counts @project's.
 */
void
tsr_counts_pipeline_set_project (TsrCountsPipeline *self,
                                 TsrProject        *project)
{
  g_return_if_fail (TSR_IS_COUNTS_PIPELINE (self));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->source, g_source_remove);
  g_clear_pointer (&self->tally, tsr_theme_tally_free);
  self->tally_pending = self->tally_stale = self->stale = FALSE;
  g_clear_pointer (&self->counts, tsr_counts_unref);
  g_set_object (&self->project, project);

  if (project != NULL)
    {
      self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      tsr_counts_pipeline_queue (self);
    }
}

/**
 * tsr_counts_pipeline_get_counts:
 *
 * Returns: (transfer none) (nullable): the latest counts
 */
TsrCounts *
tsr_counts_pipeline_get_counts (TsrCountsPipeline *self)
{
  g_return_val_if_fail (TSR_IS_COUNTS_PIPELINE (self), NULL);
  return self->counts;
}

/**
 * tsr_counts_pipeline_get_tally:
 *
 * Returns: (transfer none) (nullable): the theme tally of the latest
 *   counts, once made
 */
TsrThemeTally *
tsr_counts_pipeline_get_tally (TsrCountsPipeline *self)
{
  g_return_val_if_fail (TSR_IS_COUNTS_PIPELINE (self), NULL);
  return self->tally;
}

/**
 * tsr_counts_pipeline_get_last_ms:
 *
 * Returns: how long the latest update took, from the edit (or the
 *   request) to its numbers, in milliseconds
 */
double
tsr_counts_pipeline_get_last_ms (TsrCountsPipeline *self)
{
  g_return_val_if_fail (TSR_IS_COUNTS_PIPELINE (self), 0);
  return self->last_ms;
}

static void
tsr_counts_pipeline_dispose (GObject *object)
{
  TsrCountsPipeline *self = TSR_COUNTS_PIPELINE (object);

  tsr_counts_pipeline_set_project (self, NULL);
  if (self->scope_choice != NULL)
    g_signal_handlers_disconnect_by_data (self->scope_choice, self);
  g_clear_weak_pointer (&self->scope_choice);
  g_clear_weak_pointer (&self->view);

  G_OBJECT_CLASS (tsr_counts_pipeline_parent_class)->dispose (object);
}

static void
tsr_counts_pipeline_class_init (TsrCountsPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsr_counts_pipeline_dispose;

  /* New counts: the tally is gone until tally-changed. */
  signals[COUNTS_CHANGED] =
    g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Theme n tallied again from the same counts; at_edit is TRUE while
   * the project's changed signal for the theme edit is still being
   * emitted (handlers connected after the pipeline's see the new n). */
  signals[TALLY_CHANGED] =
    g_signal_new ("tally-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
tsr_counts_pipeline_init (TsrCountsPipeline *self)
{
}

/**
 * tsr_counts_pipeline_new:
 * @view: the view that shows the counts: they are made while it is mapped
 * @scope_choice: the view's scope menu (tsr-scope-choice.h): whose coding
 *   counts; choosing another counts again
 *
 * Returns: (transfer full): a pipeline with no project yet
 */
TsrCountsPipeline *
tsr_counts_pipeline_new (GtkWidget   *view,
                         GtkDropDown *scope_choice)
{
  TsrCountsPipeline *self = g_object_new (TSR_TYPE_COUNTS_PIPELINE, NULL);

  g_set_weak_pointer (&self->view, view);
  g_set_weak_pointer (&self->scope_choice, scope_choice);
  g_signal_connect_object (scope_choice, "notify::selected",
                           G_CALLBACK (on_scope_notify_selected_cb), self, G_CONNECT_SWAPPED);
  return self;
}
