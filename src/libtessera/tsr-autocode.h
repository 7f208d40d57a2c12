/* tsr-autocode.h — coding every hit of a search as one step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrAutocodeUnit:
 * @TSR_AUTOCODE_HIT: the hit itself
 * @TSR_AUTOCODE_WORD: the hit widened to whole words
 * @TSR_AUTOCODE_SENTENCE: the sentence or sentences holding the hit
 * @TSR_AUTOCODE_PARAGRAPH: the paragraph or paragraphs holding the hit
 *
 * How much text around each hit is coded.
 */
typedef enum
{
  TSR_AUTOCODE_HIT,
  TSR_AUTOCODE_WORD,
  TSR_AUTOCODE_SENTENCE,
  TSR_AUTOCODE_PARAGRAPH,
} TsrAutocodeUnit;

const char *tsr_autocode_unit_to_string   (TsrAutocodeUnit  unit);
gboolean    tsr_autocode_unit_from_string (const char      *str,
                                           TsrAutocodeUnit *unit);

gboolean    tsr_project_autocode          (TsrProject      *self,
                                           GArray          *hits,
                                           gint64           code_id,
                                           TsrAutocodeUnit  unit,
                                           guint           *n_coded,
                                           GError         **error);

G_END_DECLS
