/* tsr-session.h — what a window's views share: the open project, who is
 * coding, whose coding counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_SESSION (tsr_session_get_type ())
G_DECLARE_FINAL_TYPE (TsrSession, tsr_session, TSR, SESSION, GObject)

typedef void (*TsrSessionProjectFunc) (gpointer    view,
                                       TsrProject *project);

TsrSession     *tsr_session_new             (void);
TsrProject     *tsr_session_get_project     (TsrSession            *self);
void            tsr_session_set_project     (TsrSession            *self,
                                             TsrProject            *project);
TsrCoder       *tsr_session_get_coder       (TsrSession            *self);
const TsrScope *tsr_session_get_scope       (TsrSession            *self);
gboolean        tsr_session_project_is_small (TsrProject           *project);
void            tsr_session_follow_project  (TsrSession            *self,
                                             gpointer               view,
                                             TsrSessionProjectFunc  func);

G_END_DECLS
