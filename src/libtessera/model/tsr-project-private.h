/* tsr-project-private.h — what the core's other units need of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-database-private.h"
#include "tsr-project.h"

G_BEGIN_DECLS

TsrDatabase *_tsr_project_get_database (TsrProject *self);

/* Drops cached objects and tells every view that everything changed;
 * for code that wrote rows without the operations layer (JSON import). */
void         _tsr_project_reload       (TsrProject *self);

/* The operations layer, for the core's other units: everything between
 * begin and end is one undoable edit recorded in the history (see
 * tsr-project-history.c).  @description is taken.  On failure (@ok FALSE) end
 * rolls the edit back. */
gboolean     _tsr_project_op_begin     (TsrProject  *self,
                                        guint        flags,
                                        const char  *kind,
                                        char        *description,
                                        GError     **error);
gboolean     _tsr_project_op_end       (TsrProject  *self,
                                        gboolean     ok,
                                        GError     **error);
/* Records the coders the current edit adds, so that undo removes them;
 * call before the first one is written. */
void         _tsr_project_op_record_coders (TsrProject *self);

G_END_DECLS
