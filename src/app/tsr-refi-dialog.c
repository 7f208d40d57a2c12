/* tsr-refi-dialog.c — importing and exporting REFI-QDA projects
 *
 * Import REFI-QDA Project… asks for the .qdpx, then where to save the new
 * Tessera project, and imports it in a worker thread while a dialog shows
 * each source as it is read (and can cancel).  The project is made under
 * a temporary name beside the target and renamed over it only once it is
 * whole, so a failed or cancelled import replaces nothing.  The new
 * project opens and the summary — what came in, how each source's
 * positions were read, what was kept, left out and changed — is shown.
 *
 * Export as REFI-QDA… asks where to save the .qdpx and writes it from a
 * worker's reader of the project; the summary says what was written and
 * what REFI-QDA has no place for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tsr-application.h"
#include "tsr-refi-dialog.h"
#include "tsr-window-private.h"

/* Progress ---------------------------------------------------------------- */

typedef struct
{
  TsrWindow    *window;
  GtkWidget    *dialog;      /* the progress dialog, until it is closed */
  GtkWidget    *bar;
  GCancellable *cancellable;
  GFile        *qdpx;
  GFile        *target;
  char         *temporary;   /* where the import makes the project */
  guint         pulse;
} Job;

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->pulse, g_source_remove);
  if (job->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (job->dialog));
  g_clear_object (&job->window);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->qdpx);
  g_clear_object (&job->target);
  g_free (job->temporary);
  g_free (job);
}

static void
on_progress_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  Job *job = user_data;

  /* The dialog closes itself; the job ends when the work does. */
  job->dialog = NULL;
  g_cancellable_cancel (job->cancellable);
}

static gboolean
pulse_cb (gpointer user_data)
{
  Job *job = user_data;

  if (job->bar != NULL)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (job->bar));
  return G_SOURCE_CONTINUE;
}

static Job *
job_new (TsrWindow  *window,
         const char *heading,
         const char *body)
{
  Job *job = g_new0 (Job, 1);

  job->window = g_object_ref (window);
  job->cancellable = g_cancellable_new ();
  job->dialog = adw_message_dialog_new (GTK_WINDOW (window), heading, body);
  job->bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (job->bar), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (job->bar), "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (job->bar), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (job->dialog), job->bar);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (job->dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (job->dialog), "cancel");
  g_signal_connect (job->dialog, "response", G_CALLBACK (on_progress_response_cb), job);
  /* Until the first source is read, and for an export, it only pulses. */
  job->pulse = g_timeout_add (100, pulse_cb, job);
  gtk_window_present (GTK_WINDOW (job->dialog));
  return job;
}

static void
close_progress (Job *job)
{
  g_clear_handle_id (&job->pulse, g_source_remove);
  if (job->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_func (job->dialog, on_progress_response_cb, job);
      gtk_window_destroy (GTK_WINDOW (job->dialog));
      job->dialog = NULL;
      job->bar = NULL;
    }
}

/* The summary, in a dialog that scrolls when a source has many
 * selections to name. */
static void
show_summary (TsrWindow      *window,
              const char     *heading,
              TsrRefiSummary *summary,
              gboolean        export)
{
  g_autofree char *text = tsr_refi_summary_to_text (summary, export);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (window), heading, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "body");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  /* A wrapped label's natural height is measured narrower than the
   * dialog shows it: ask for room for a few lines whatever it says. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), MIN (240, 18 * (1 + (int) strlen (text) / 50)));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, -1);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import ------------------------------------------------------------------ */

static void
on_import_progress_cb (guint       done,
                       guint       total,
                       const char *current,
                       gpointer    user_data)
{
  Job *job = user_data;

  if (job->bar == NULL || total == 0)
    return;
  g_clear_handle_id (&job->pulse, g_source_remove);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (job->bar), (double) done / total);
  if (current != NULL)
    {
      /* Translators: the source being read, then how far the import is */
      g_autofree char *text = g_strdup_printf (_("“%s” (%u of %u)"), current, done + 1, total);

      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (job->bar), text);
    }
}

static void
on_imported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_file_get_path (job->target);
  g_autofree char *name = g_file_get_basename (job->qdpx);
  GtkApplication *app;

  close_progress (job);
  if (!tsr_project_import_qdpx_finish (result, &summary, &error))
    {
      if (!g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *heading = g_strdup_printf (_("Could Not Import “%s”"), name);

          tsr_window_show_error (job->window, heading, error->message);
        }
      job_free (job);
      return;
    }

  /* The new project takes the chosen name only now it is whole. */
  if (g_rename (job->temporary, target) != 0)
    {
      int saved = errno;
      g_autofree char *heading = g_strdup_printf (_("Could Not Import “%s”"), name);

      g_unlink (job->temporary);
      tsr_window_show_error (job->window, heading, g_strerror (saved));
      job_free (job);
      return;
    }

  app = gtk_window_get_application (GTK_WINDOW (job->window));
  if (TSR_IS_APPLICATION (app))
    tsr_application_open_project (TSR_APPLICATION (app), job->target, job->window);
  else
    tsr_window_open_file (job->window, job->target);
  {
    /* Translators: %s is the file imported */
    g_autofree char *heading = g_strdup_printf (_("Imported “%s”"), name);

    show_summary (job->window, heading, summary, FALSE);
  }
  job_free (job);
}

/**
 * tsr_refi_dialog_import:
 *
 * Imports @qdpx as a new project at @target, showing progress, then opens
 * it and shows what came in.
 */
void
tsr_refi_dialog_import (TsrWindow *window,
                        GFile     *qdpx,
                        GFile     *target)
{
  g_autofree char *path = g_file_get_path (target);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = g_file_get_basename (qdpx);
  g_autofree char *heading = NULL;
  GtkApplication *app;
  Job *job;

  g_return_if_fail (TSR_IS_WINDOW (window));

  if (path == NULL)
    {
      tsr_window_show_error (window, _("Could Not Import the Project"),
                             _("Projects can only be made in a folder on this computer."));
      return;
    }
  app = gtk_window_get_application (GTK_WINDOW (window));
  if (TSR_IS_APPLICATION (app) && tsr_application_find_window (TSR_APPLICATION (app), target) != NULL)
    {
      tsr_window_show_error (window, _("Could Not Import the Project"),
                             _("That project is open. Choose another name."));
      return;
    }

  /* Translators: %s is the file being imported */
  heading = g_strdup_printf (_("Importing “%s”"), name);
  job = job_new (window, heading, _("Reading its sources and coding into a new project"));
  job->qdpx = g_object_ref (qdpx);
  job->target = g_object_ref (target);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  job->temporary = g_strdup_printf ("%s/.%s.%08x.importing", dir, base, g_random_int ());
  tsr_project_import_qdpx_async (job->temporary, qdpx, job->cancellable, on_import_progress_cb, job, NULL,
                                 on_imported_cb, job);
}

typedef struct
{
  TsrWindow *window;
  GFile     *qdpx;
} ImportChoice;

static void
on_target_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  ImportChoice *choice = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;

      if (path != NULL)
        {
          g_autofree char *with_suffix = g_str_has_suffix (path, ".tessera") ? g_strdup (path)
                                                                               : g_strconcat (path, ".tessera", NULL);
          g_autoptr(GFile) target = g_file_new_for_path (with_suffix);

          tsr_refi_dialog_import (choice->window, choice->qdpx, target);
        }
    }
  g_object_unref (choice->window);
  g_object_unref (choice->qdpx);
  g_free (choice);
  g_object_unref (dialog);
}

static void
on_qdpx_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  TsrWindow *window = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) qdpx = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (qdpx != NULL)
        {
          GtkFileChooserNative *chooser;
          g_autoptr(GFile) folder = g_file_get_parent (qdpx);
          g_autofree char *base = g_file_get_basename (qdpx);
          g_autofree char *stem = g_str_has_suffix (base, ".qdpx") ? g_strndup (base, strlen (base) - 5)
                                                                   : g_strdup (base);
          g_autofree char *name = g_strconcat (stem, ".tessera", NULL);
          ImportChoice *choice = g_new0 (ImportChoice, 1);

          chooser = gtk_file_chooser_native_new (_("Save the Imported Project"), GTK_WINDOW (window),
                                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Import"), _("_Cancel"));
          gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
          tsr_application_add_project_filter (GTK_FILE_CHOOSER (chooser));
          if (folder != NULL)
            gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
          gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
          choice->window = g_object_ref (window);
          choice->qdpx = g_steal_pointer (&qdpx);
          g_signal_connect (chooser, "response", G_CALLBACK (on_target_response_cb), choice);
          gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
        }
    }
  g_object_unref (window);
  g_object_unref (dialog);
}

static GtkFileFilter *
qdpx_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("REFI-QDA Projects"));
  gtk_file_filter_add_pattern (filter, "*.qdpx");
  gtk_file_filter_add_pattern (filter, "*.QDPX");
  return filter;
}

/**
 * tsr_refi_dialog_choose_import:
 *
 * Asks for a REFI-QDA project and where to save it, then imports it.
 */
void
tsr_refi_dialog_choose_import (TsrWindow *window)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = qdpx_filter ();

  g_return_if_fail (TSR_IS_WINDOW (window));

  chooser = gtk_file_chooser_native_new (_("Import a REFI-QDA Project"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_qdpx_response_cb), g_object_ref (window));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Export ------------------------------------------------------------------ */

static void
on_exported_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->qdpx);

  close_progress (job);
  if (!tsr_project_export_qdpx_finish (TSR_PROJECT (object), result, &summary, &error))
    {
      if (!g_error_matches (error, TSR_ERROR, TSR_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *heading = g_strdup_printf (_("Could Not Export “%s”"), name);

          tsr_window_show_error (job->window, heading, error->message);
        }
      job_free (job);
      return;
    }
  {
    /* Translators: %s is the file written */
    g_autofree char *heading = g_strdup_printf (_("Exported “%s”"), name);

    show_summary (job->window, heading, summary, TRUE);
  }
  job_free (job);
}

/**
 * tsr_refi_dialog_export:
 *
 * Writes the window's project to @qdpx, then shows what was written.
 */
void
tsr_refi_dialog_export (TsrWindow *window,
                        GFile     *qdpx)
{
  TsrProject *project;
  g_autofree char *name = g_file_get_basename (qdpx);
  g_autofree char *heading = NULL;
  Job *job;

  g_return_if_fail (TSR_IS_WINDOW (window));

  project = tsr_window_get_project (window);
  if (project == NULL)
    return;
  heading = g_strdup_printf (_("Exporting “%s”"), name);
  job = job_new (window, heading, _("Writing the project for NVivo, ATLAS.ti, MAXQDA and QualCoder"));
  job->qdpx = g_object_ref (qdpx);
  tsr_project_export_qdpx_async (project, qdpx, job->cancellable, on_exported_cb, job);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       gpointer         user_data)
{
  TsrWindow *window = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;

      if (path != NULL)
        {
          g_autofree char *with_suffix = g_str_has_suffix (path, ".qdpx") ? g_strdup (path)
                                                                            : g_strconcat (path, ".qdpx", NULL);
          g_autoptr(GFile) file = g_file_new_for_path (with_suffix);

          tsr_refi_dialog_export (window, file);
        }
    }
  g_object_unref (window);
  g_object_unref (dialog);
}

/**
 * tsr_refi_dialog_choose_export:
 *
 * Asks where to save the project as REFI-QDA, then writes it.
 */
void
tsr_refi_dialog_choose_export (TsrWindow *window)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = qdpx_filter ();
  TsrProject *project;
  g_autofree char *name = NULL;

  g_return_if_fail (TSR_IS_WINDOW (window));

  project = tsr_window_get_project (window);
  if (project == NULL)
    return;
  name = g_strconcat (tsr_project_get_title (project), ".qdpx", NULL);
  g_strdelimit (name, "/\\", '-');
  chooser = gtk_file_chooser_native_new (_("Export as REFI-QDA"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response_cb), g_object_ref (window));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
