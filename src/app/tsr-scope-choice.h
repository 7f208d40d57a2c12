/* tsr-scope-choice.h — a drop-down choosing whose coding counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tessera.h"

G_BEGIN_DECLS

void      tsr_scope_choice_fill      (GtkDropDown *dropdown,
                                      TsrProject  *project);
void      tsr_scope_choice_follow_default (GtkDropDown *dropdown,
                                           TsrProject  *project);
TsrScope *tsr_scope_choice_get_scope (GtkDropDown *dropdown);
gint64    tsr_scope_choice_get_coder (GtkDropDown *dropdown);
char     *tsr_scope_choice_describe  (GtkDropDown *dropdown);

G_END_DECLS
