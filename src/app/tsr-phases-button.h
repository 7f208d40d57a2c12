/* tsr-phases-button.h — where the project stands in the six phases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_PHASES_BUTTON (tsr_phases_button_get_type ())
G_DECLARE_FINAL_TYPE (TsrPhasesButton, tsr_phases_button, TSR, PHASES_BUTTON, GtkWidget)

GtkWidget  *tsr_phases_button_new         (void);
void        tsr_phases_button_refresh     (TsrPhasesButton *self);
const char *tsr_phases_button_get_summary (TsrPhasesButton *self);
GtkPopover *tsr_phases_button_get_popover (TsrPhasesButton *self);

G_END_DECLS
