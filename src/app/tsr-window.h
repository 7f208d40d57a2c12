/* tsr-window.h — a window showing one project, or the welcome page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

typedef struct _TsrApplication TsrApplication;

#define TSR_TYPE_WINDOW (tsr_window_get_type ())
G_DECLARE_FINAL_TYPE (TsrWindow, tsr_window, TSR, WINDOW, AdwApplicationWindow)

TsrWindow   *tsr_window_new                (TsrApplication *application);
TsrProject  *tsr_window_get_project        (TsrWindow      *self);
GFile       *tsr_window_get_file           (TsrWindow      *self);
gboolean     tsr_window_is_empty           (TsrWindow      *self);
gboolean     tsr_window_get_busy           (TsrWindow      *self);
void         tsr_window_open_file          (TsrWindow      *self,
                                            GFile          *file);
void         tsr_window_create_project     (TsrWindow      *self,
                                            GFile          *file,
                                            gboolean        replace);
gboolean     tsr_window_set_project        (TsrWindow      *self,
                                            TsrProject     *project,
                                            GError        **error);
gboolean     tsr_window_close_project      (TsrWindow      *self);
void         tsr_window_show_view          (TsrWindow      *self,
                                            const char     *name);
TsrDocument *tsr_window_get_document       (TsrWindow      *self);
void         tsr_window_select_document    (TsrWindow      *self,
                                            TsrDocument    *document);
void         tsr_window_show_error         (TsrWindow      *self,
                                            const char     *heading,
                                            const char     *message);
void         tsr_window_change_coder       (TsrWindow      *self,
                                            const char     *name);
void         tsr_window_show_toast         (TsrWindow      *self,
                                            const char     *message);
void         tsr_window_show_undo_toast    (TsrWindow      *self,
                                            const char     *message);
void         tsr_window_install_accels     (GtkApplication *app);

/* Ways into the theme views */
gboolean     tsr_window_has_view           (TsrWindow      *self,
                                            const char     *name);
void         tsr_window_show_theme         (TsrWindow      *self,
                                            gint64          theme_id);
void         tsr_window_show_theme_on_map  (TsrWindow      *self,
                                            gint64          theme_id);
void         tsr_window_show_segment       (TsrWindow      *self,
                                            gint64          document_id,
                                            guint           start,
                                            guint           end);

G_END_DECLS
