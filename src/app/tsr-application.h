/* tsr-application.h — the Tessera application: one window per project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tsr-window.h"

G_BEGIN_DECLS

#define TSR_TYPE_APPLICATION (tsr_application_get_type ())
G_DECLARE_FINAL_TYPE (TsrApplication, tsr_application, TSR, APPLICATION, AdwApplication)

TsrApplication *tsr_application_new               (void);
GSettings      *tsr_application_get_settings      (TsrApplication *self);
TsrWindow      *tsr_application_find_window       (TsrApplication *self,
                                                   GFile          *file);
void            tsr_application_add_project_filter (GtkFileChooser *chooser);
TsrWindow      *tsr_application_open_project      (TsrApplication *self,
                                                   GFile          *file,
                                                   TsrWindow      *preferred);
void            tsr_application_open_demo         (TsrApplication *self,
                                                   TsrWindow      *preferred);
void            tsr_application_add_recent        (TsrApplication *self,
                                                   GFile          *file);
void            tsr_application_remove_recent     (TsrApplication *self,
                                                   const char     *path);
char           *tsr_application_dup_coder_name    (TsrApplication *self);

/* Helpers shared inside the app, exposed for the tests. */
char          **tsr_recent_list_push              (const char * const *list,
                                                   const char         *path,
                                                   guint               max);
GFile          *tsr_demo_source_file              (void);
GFile          *tsr_demo_user_file                (void);
gboolean        tsr_demo_prepare                  (GFile         **out_file,
                                                   GError        **error);

G_END_DECLS
