/* tsr-coder-dialog.h — asking who is coding, and changing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

/**
 * TsrCoderDialogKind:
 * @TSR_CODER_DIALOG_ASK: nobody said who is coding yet: the name entered
 *   becomes the coder, with any edit already made (tsr_project_confirm_coder())
 * @TSR_CODER_DIALOG_CHANGE: someone is coding: the name entered either
 *   renames them (tsr_project_rename_coder()) or starts a new coder
 *   (tsr_project_switch_coder())
 */
typedef enum
{
  TSR_CODER_DIALOG_ASK,
  TSR_CODER_DIALOG_CHANGE,
} TsrCoderDialogKind;

AdwMessageDialog *tsr_coder_dialog_new (GtkWindow          *parent,
                                        TsrProject         *project,
                                        TsrCoderDialogKind  kind,
                                        const char         *name);
GtkEditable      *tsr_coder_dialog_get_entry (AdwMessageDialog *dialog);

G_END_DECLS
