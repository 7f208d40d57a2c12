/* tsr-welcome-page.h — what a window shows with no project open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSR_TYPE_WELCOME_PAGE (tsr_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (TsrWelcomePage, tsr_welcome_page, TSR, WELCOME_PAGE, AdwBin)

GtkWidget  *tsr_welcome_page_new             (void);
GtkListBox *tsr_welcome_page_get_recent_list (TsrWelcomePage *self);

G_END_DECLS
