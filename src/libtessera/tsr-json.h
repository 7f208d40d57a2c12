/* tsr-json.h — the whole project as JSON, losslessly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

gboolean    tsr_project_export_json (TsrProject    *self,
                                     GOutputStream *stream,
                                     GCancellable  *cancellable,
                                     GError       **error);
TsrProject *tsr_project_import_json (const char    *project_path,
                                     GInputStream  *stream,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
