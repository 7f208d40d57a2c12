/* tsr-merge.h — bringing another copy of a project into this one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrMergeKind:
 * What a line of a merge plan is about.
 */
typedef enum
{
  TSR_MERGE_CODERS,
  TSR_MERGE_DOCUMENTS,
  TSR_MERGE_CODES,
  TSR_MERGE_SEGMENTS,
  TSR_MERGE_MEMOS,
  TSR_MERGE_JOURNAL,
  TSR_MERGE_THEMES,
  TSR_MERGE_THEME_CODES,
  TSR_MERGE_MAP,
  TSR_MERGE_CASES,
  TSR_MERGE_ATTRIBUTES,
  TSR_MERGE_RESOLUTIONS,
  TSR_MERGE_DONE,
  TSR_MERGE_N_KINDS,   /*< skip >*/
} TsrMergeKind;

/**
 * TsrMergeAction:
 * @TSR_MERGE_ADD: theirs is new here and will be added
 * @TSR_MERGE_MATCH: theirs is already here (the same item, matched by its
 *   UUID, its content or its name); nothing to add
 * @TSR_MERGE_CONFLICT: theirs is here but differs; ours is kept (a memo
 *   gets theirs appended, so no text is lost) and the line says how
 * @TSR_MERGE_SKIP: theirs cannot be brought in (its document's text
 *   differs from ours); the line says why
 */
typedef enum
{
  TSR_MERGE_ADD,
  TSR_MERGE_MATCH,
  TSR_MERGE_CONFLICT,
  TSR_MERGE_SKIP,
  TSR_MERGE_N_ACTIONS, /*< skip >*/
} TsrMergeAction;

const char *tsr_merge_kind_to_string   (TsrMergeKind   kind);
const char *tsr_merge_action_to_string (TsrMergeAction action);

typedef struct _TsrMergePlan TsrMergePlan;

#define TSR_TYPE_MERGE_PLAN (tsr_merge_plan_get_type ())
GType          tsr_merge_plan_get_type        (void) G_GNUC_CONST;

TsrMergePlan  *tsr_project_plan_merge         (TsrProject     *self,
                                               const char     *other_path,
                                               GCancellable   *cancellable,
                                               GError        **error);
gboolean       tsr_project_merge              (TsrProject     *self,
                                               TsrMergePlan   *plan,
                                               GCancellable   *cancellable,
                                               GError        **error);

TsrMergePlan  *tsr_merge_plan_ref             (TsrMergePlan   *plan);
void           tsr_merge_plan_unref           (TsrMergePlan   *plan);
const char    *tsr_merge_plan_get_other_path  (TsrMergePlan   *plan);
const char    *tsr_merge_plan_get_other_title (TsrMergePlan   *plan);
guint          tsr_merge_plan_count           (TsrMergePlan   *plan,
                                               TsrMergeKind    kind,
                                               TsrMergeAction  action);
gboolean       tsr_merge_plan_is_empty        (TsrMergePlan   *plan);
guint          tsr_merge_plan_get_n_notes     (TsrMergePlan   *plan);
const char    *tsr_merge_plan_get_note        (TsrMergePlan   *plan,
                                               guint           index,
                                               TsrMergeKind   *kind,
                                               TsrMergeAction *action);
char          *tsr_merge_plan_format          (TsrMergePlan   *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrMergePlan, tsr_merge_plan_unref)

G_END_DECLS
