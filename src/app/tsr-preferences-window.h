/* tsr-preferences-window.h — the application's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _TsrApplication TsrApplication;

#define TSR_TYPE_PREFERENCES_WINDOW (tsr_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TsrPreferencesWindow, tsr_preferences_window, TSR, PREFERENCES_WINDOW, AdwPreferencesWindow)

TsrPreferencesWindow *tsr_preferences_window_new (TsrApplication *application);

G_END_DECLS
