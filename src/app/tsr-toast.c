/* tsr-toast.c — a message to the researcher from any widget
 *
 * A widget says something through the window's "win.toast" and
 * "win.undo-toast" actions, found up its hierarchy as any action is, so
 * it needs to know nothing of the window.  A dialog, a toplevel of its
 * own, passes the window it belongs to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-toast.h"

/**
 * tsr_toast_show:
 * @widget: a widget inside a project window, or the window
 * @message: what to say, one sentence
 *
 * Shows @message in the window's toast overlay.
 *
 * Returns: whether a window took the message
 */
gboolean
tsr_toast_show (GtkWidget  *widget,
                const char *message)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  return gtk_widget_activate_action (widget, "win.toast", "s", message);
}

/**
 * tsr_toast_show_undo:
 * @widget: a widget inside a project window, or the window
 * @message: what was just done
 *
 * Shows @message with an Undo button, for an edit one might regret.
 *
 * Returns: whether a window took the message
 */
gboolean
tsr_toast_show_undo (GtkWidget  *widget,
                     const char *message)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  return gtk_widget_activate_action (widget, "win.undo-toast", "s", message);
}
