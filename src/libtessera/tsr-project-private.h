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

/* One edit (a savepoint inside a group) that other units of the core
 * make through the operations layer; @ok FALSE rolls it back. */
gboolean     _tsr_project_begin_edit   (TsrProject  *self,
                                        guint        flags,
                                        const char  *kind,
                                        const char  *description,
                                        GError     **error);
gboolean     _tsr_project_end_edit     (TsrProject  *self,
                                        gboolean     ok,
                                        GError     **error);

G_END_DECLS
