/* tsr-agreement-view.h — agreement between two coders, and reconciling it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tessera.h"

G_BEGIN_DECLS

#define TSR_TYPE_AGREEMENT_VIEW (tsr_agreement_view_get_type ())
G_DECLARE_FINAL_TYPE (TsrAgreementView, tsr_agreement_view, TSR, AGREEMENT_VIEW, GtkWidget)

TsrProject   *tsr_agreement_view_get_project       (TsrAgreementView *self);
gboolean      tsr_agreement_view_set_coders        (TsrAgreementView *self,
                                                    gint64            coder_a,
                                                    gint64            coder_b);
void          tsr_agreement_view_set_unit          (TsrAgreementView *self,
                                                    TsrAgreementUnit  unit);
TsrAgreement *tsr_agreement_view_get_agreement     (TsrAgreementView *self);
GListModel   *tsr_agreement_view_get_table_model   (TsrAgreementView *self);
GListModel   *tsr_agreement_view_get_disagreements (TsrAgreementView *self);
gboolean      tsr_agreement_view_get_busy          (TsrAgreementView *self);

G_END_DECLS
