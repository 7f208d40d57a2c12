/* tsr-merge-dialog.h — preview, then merge, another copy of the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_MERGE_DIALOG (tsr_merge_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsrMergeDialog, tsr_merge_dialog, TSR, MERGE_DIALOG, AdwWindow)

TsrMergeDialog *tsr_merge_dialog_new          (GtkWindow      *parent,
                                               TsrProject     *project,
                                               TsrMergePlan   *plan);
TsrMergePlan   *tsr_merge_dialog_get_plan     (TsrMergeDialog *self);
void            tsr_merge_dialog_preview_file (GtkWindow      *parent,
                                               TsrProject     *project,
                                               GFile          *file);
void            tsr_merge_dialog_choose       (GtkWindow      *parent,
                                               TsrProject     *project);

G_END_DECLS
