/* tsr-color-swatch.h — a code's colour as a small round dot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TSR_TYPE_COLOR_SWATCH (tsr_color_swatch_get_type ())
G_DECLARE_FINAL_TYPE (TsrColorSwatch, tsr_color_swatch, TSR, COLOR_SWATCH, GtkWidget)

GtkWidget   *tsr_color_swatch_new       (const char     *color);
const char  *tsr_color_swatch_get_color (TsrColorSwatch *self);
void         tsr_color_swatch_set_color (TsrColorSwatch *self,
                                         const char     *color);

G_END_DECLS
