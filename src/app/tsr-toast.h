/* tsr-toast.h — a message to the researcher from any widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean tsr_toast_show      (GtkWidget  *widget,
                              const char *message);
gboolean tsr_toast_show_undo (GtkWidget  *widget,
                              const char *message);

G_END_DECLS
