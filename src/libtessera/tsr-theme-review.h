/* tsr-theme-review.h — a theme's coded extracts, for reviewing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrExtract:
 * One coded passage of a theme's code, with the text around it.
 * Offsets are in characters, end exclusive.
 */
typedef struct
{
  gint64    segment_id;
  gint64    document_id;
  gint64    code_id;
  gint64    coder_id;
  guint     start;
  guint     end;
  gboolean  exemplar;
  char     *text;
  char     *before;          /* up to the context asked for, from a word start */
  char     *after;           /* up to the context asked for, to a word end */
  char     *document_name;
  char     *coder_name;
  char     *code_name;
} TsrExtract;

void       tsr_extract_free                 (TsrExtract  *extract);
GPtrArray *tsr_project_list_theme_extracts  (TsrProject  *self,
                                             gint64       theme_id,
                                             gboolean     with_subthemes,
                                             gint64       coder_id,
                                             guint        context_chars,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrExtract, tsr_extract_free)

G_END_DECLS
