/* tsr-window-backup.c — Save a Copy…, the rolling backups and opening one
 *
 * Every edit is in the project file the moment it is made, so there is no
 * Save; what a researcher still wants is a copy to hand on or archive,
 * and a way back to yesterday's state.  A backup is made in the
 * background whenever a project that changed since its newest backup is
 * opened (the last BACKUPS_KEPT are kept); "Open a Backup…" saves the
 * chosen one as a new project and opens it, so backups themselves are
 * never edited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tsr-application.h"
#include "tsr-window-private.h"

#define BACKUPS_KEPT 10

/* Backing up on open ------------------------------------------------- */

/* The work in the background holds the window weakly: closing it does
 * not wait for a backup or a copy. */
static GWeakRef *
weak_window_new (TsrWindow *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static TsrWindow *
weak_window_steal (GWeakRef *ref)
{
  TsrWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

static void
on_backed_up_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TsrWindow) self = weak_window_steal (user_data);
  g_autoptr(GError) error = NULL;

  /* Said only when it failed: a backup that works is not news. */
  if (!tsr_project_back_up_finish (NULL, result, NULL, &error) && self != NULL)
    tsr_window_show_toast (self, error->message);
}

void
_tsr_window_back_up (TsrWindow *self)
{
  tsr_project_back_up_async (self->project, BACKUPS_KEPT, NULL, on_backed_up_cb, weak_window_new (self));
}

/* Save a Copy… -------------------------------------------------------- */

typedef struct
{
  GWeakRef *window;
  char     *name;
} CopyRequest;

static void
on_copy_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CopyRequest *request = user_data;
  g_autoptr(TsrWindow) self = weak_window_steal (request->window);
  g_autofree char *name = request->name;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_free (request);
  if (!tsr_project_save_copy_finish (NULL, result, &error))
    message = g_strdup (error->message);
  else
    message = g_strdup_printf (_("Copy saved as “%s”"), name);
  if (self != NULL)
    tsr_window_show_toast (self, message);
}

static void
on_save_copy_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  TsrWindow *self = TSR_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT && self->project != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      CopyRequest *request = g_new0 (CopyRequest, 1);

      request->window = weak_window_new (self);
      request->name = g_file_get_basename (file);
      tsr_project_save_copy_async (self->project, file, NULL, on_copy_saved_cb, request);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_tsr_window_save_copy (TsrWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->project == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Save a Copy of the Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  tsr_application_add_project_filter (GTK_FILE_CHOOSER (chooser));
  /* Translators: the suggested file name of a copy; %s is the project's title */
  name = g_strdup_printf (_("%s (copy).tessera"), tsr_project_get_title (self->project));
  /* Beside the project, unless the user goes elsewhere. */
  {
    g_autoptr(GFile) project_file = g_file_new_for_path (tsr_project_get_path (self->project));
    g_autoptr(GFile) folder = g_file_get_parent (project_file);

    if (folder != NULL)
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_copy_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Open a Backup… ------------------------------------------------------ */

static void
on_restore_as_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           gpointer         user_data)
{
  TsrWindow *self = TSR_WINDOW (user_data);
  GFile *backup = g_object_get_data (G_OBJECT (dialog), "backup");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) target = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      /* A backup is a whole project: copied as it is, then opened. */
      if (g_file_copy (backup, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        {
          GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

          tsr_application_open_project (TSR_APPLICATION (app), target, self);
        }
      else
        {
          g_autofree char *name = g_file_get_basename (target);
          g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);

          tsr_window_show_toast (self, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_backup_chosen_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  TsrWindow *self = TSR_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) backup = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *stamp = g_file_get_basename (backup);
      g_autofree char *name = NULL;
      GtkFileChooserNative *chooser;

      chooser = gtk_file_chooser_native_new (_("Save the Restored Project"), GTK_WINDOW (self),
                                             GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save and Open"), _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
      tsr_application_add_project_filter (GTK_FILE_CHOOSER (chooser));
      if (g_str_has_suffix (stamp, ".tessera"))
        stamp[strlen (stamp) - strlen (".tessera")] = '\0';
      /* Translators: the suggested file name of a restored backup; the
       * first %s is the project's title, the second the backup's date */
      name = g_strdup_printf (_("%s (backup of %s).tessera"),
                              self->project ? tsr_project_get_title (self->project) : "", stamp);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
      g_object_set_data_full (G_OBJECT (chooser), "backup", g_steal_pointer (&backup), g_object_unref);
      g_signal_connect (chooser, "response", G_CALLBACK (on_restore_as_response_cb), self);
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_tsr_window_open_backup (TsrWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *folder = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  if (self->project == NULL)
    return;

  backups = tsr_project_list_backups (self->project);
  if (backups->len == 0)
    {
      tsr_window_show_toast (self, _("This project has no backups yet"));
      return;
    }
  folder = tsr_project_get_backup_folder (self->project);
  chooser = gtk_file_chooser_native_new (_("Open a Backup"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  tsr_application_add_project_filter (GTK_FILE_CHOOSER (chooser));
  {
    g_autoptr(GFile) dir = g_file_new_for_path (folder);

    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
  }
  g_signal_connect (chooser, "response", G_CALLBACK (on_backup_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
