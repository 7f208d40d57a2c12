/* tsr-counts.h — n per code and theme, segment counts, presence matrix
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrCoderMode:
 * @TSR_CODERS_ONE: the coding of one coder
 * @TSR_CODERS_ANY: a document counts when any human coder coded it
 * @TSR_CODERS_ALL: a document counts when every human coder coded it
 * @TSR_CODERS_CONSENSUS: the reconciled consensus coding
 *
 * Whose coding is counted.  "Human coders" are all coders but the
 * consensus coder.
 */
typedef enum
{
  TSR_CODERS_ONE,
  TSR_CODERS_ANY,
  TSR_CODERS_ALL,
  TSR_CODERS_CONSENSUS,
} TsrCoderMode;

const char *tsr_coder_mode_to_string   (TsrCoderMode  mode);
gboolean    tsr_coder_mode_from_string (const char   *str,
                                        TsrCoderMode *mode);

/**
 * TsrScope:
 * Whose coding and which documents a count covers.
 */
typedef struct _TsrScope TsrScope;

#define TSR_TYPE_SCOPE (tsr_scope_get_type ())
GType       tsr_scope_get_type       (void) G_GNUC_CONST;
TsrScope   *tsr_scope_new            (TsrCoderMode  mode,
                                      gint64        coder_id);
TsrScope   *tsr_scope_copy           (const TsrScope *scope);
void        tsr_scope_free           (TsrScope     *scope);
void        tsr_scope_set_case       (TsrScope     *scope,
                                      gint64        case_id);
void        tsr_scope_set_attribute  (TsrScope     *scope,
                                      gint64        attribute_id,
                                      const char   *value);
void        tsr_scope_set_documents  (TsrScope     *scope,
                                      const gint64 *document_ids,
                                      guint         n_document_ids);
TsrCoderMode tsr_scope_get_mode      (const TsrScope *scope);
gint64      tsr_scope_get_coder_id   (const TsrScope *scope);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrScope, tsr_scope_free)

TsrScope   *tsr_project_dup_default_scope (TsrProject     *project);
char       *tsr_scope_describe       (const TsrScope *scope,
                                      TsrProject     *project);

/**
 * TsrCounts:
 * A snapshot of the counts for one scope.  Immutable; compute a new one
 * after the project changes.
 */
typedef struct _TsrCounts TsrCounts;

#define TSR_TYPE_COUNTS (tsr_counts_get_type ())
GType       tsr_counts_get_type            (void) G_GNUC_CONST;
TsrCounts  *tsr_project_compute_counts     (TsrProject     *self,
                                            const TsrScope *scope,
                                            GCancellable   *cancellable,
                                            GError        **error);
void        tsr_project_compute_counts_async  (TsrProject          *self,
                                               const TsrScope      *scope,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TsrCounts  *tsr_project_compute_counts_finish (TsrProject    *self,
                                               GAsyncResult  *result,
                                               GError       **error);
TsrCounts  *tsr_counts_ref                 (TsrCounts *counts);
void        tsr_counts_unref               (TsrCounts *counts);

guint       tsr_counts_get_n_documents     (TsrCounts *counts);
const gint64 *tsr_counts_get_documents     (TsrCounts *counts,
                                            guint     *n_documents);
guint       tsr_counts_get_code_n          (TsrCounts *counts,
                                            gint64     code_id);
guint       tsr_counts_get_code_segments   (TsrCounts *counts,
                                            gint64     code_id);
guint       tsr_counts_get_code_own_segments (TsrCounts *counts,
                                              gint64     code_id);
guint       tsr_counts_get_theme_n         (TsrCounts *counts,
                                            gint64     theme_id);
guint       tsr_counts_get_theme_segments  (TsrCounts *counts,
                                            gint64     theme_id);
gboolean    tsr_counts_code_in_document    (TsrCounts *counts,
                                            gint64     code_id,
                                            gint64     document_id);
gboolean    tsr_counts_theme_in_document   (TsrCounts *counts,
                                            gint64     theme_id,
                                            gint64     document_id);
double      tsr_counts_percent             (TsrCounts *counts,
                                            guint      n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrCounts, tsr_counts_unref)

G_END_DECLS
