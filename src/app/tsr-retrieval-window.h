/* tsr-retrieval-window.h — every passage of a code, read together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"
#include "tsr-window.h"

G_BEGIN_DECLS

#define TSR_TYPE_RETRIEVAL_WINDOW (tsr_retrieval_window_get_type ())
G_DECLARE_FINAL_TYPE (TsrRetrievalWindow, tsr_retrieval_window, TSR, RETRIEVAL_WINDOW, AdwWindow)

TsrRetrievalWindow *tsr_retrieval_window_new         (TsrWindow          *main_window,
                                                      TsrProject         *project,
                                                      gint64              code_id);
gint64              tsr_retrieval_window_get_code_id (TsrRetrievalWindow *self);

G_END_DECLS
