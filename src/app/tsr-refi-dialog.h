/* tsr-refi-dialog.h — importing and exporting REFI-QDA projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-window.h"

G_BEGIN_DECLS

void       tsr_refi_dialog_choose_import (TsrWindow *window);
void       tsr_refi_dialog_choose_export (TsrWindow *window);

/* What the choosers lead to, for tests: @target is the new project
 * (replaced, when it exists, only once the import succeeded). */
void       tsr_refi_dialog_import        (TsrWindow *window,
                                          GFile     *qdpx,
                                          GFile     *target);
void       tsr_refi_dialog_export        (TsrWindow *window,
                                          GFile     *qdpx);

G_END_DECLS
