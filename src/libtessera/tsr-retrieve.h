/* tsr-retrieve.h — every passage of a code, of several codes or of a
 * theme, with its document, coder, memo and context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-counts.h"
#include "tsr-export.h"
#include "tsr-project.h"

G_BEGIN_DECLS

/**
 * TsrRetrievedPassage:
 * One coded passage as a retrieval shows it: the segment, where it is,
 * who coded it, its memo and the text around it.  Immutable; a snapshot
 * of the project when it was retrieved.
 */
#define TSR_TYPE_RETRIEVED_PASSAGE (tsr_retrieved_passage_get_type ())
G_DECLARE_FINAL_TYPE (TsrRetrievedPassage, tsr_retrieved_passage, TSR, RETRIEVED_PASSAGE, GObject)

gint64       tsr_retrieved_passage_get_segment_id    (TsrRetrievedPassage *self);
gint64       tsr_retrieved_passage_get_document_id   (TsrRetrievedPassage *self);
gint64       tsr_retrieved_passage_get_code_id       (TsrRetrievedPassage *self);
gint64       tsr_retrieved_passage_get_coder_id      (TsrRetrievedPassage *self);
guint        tsr_retrieved_passage_get_start         (TsrRetrievedPassage *self);
guint        tsr_retrieved_passage_get_end           (TsrRetrievedPassage *self);
gboolean     tsr_retrieved_passage_get_exemplar      (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_document_name (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_code_path     (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_coder_name    (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_text          (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_before        (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_after         (TsrRetrievedPassage *self);
const char  *tsr_retrieved_passage_get_memo          (TsrRetrievedPassage *self);

/**
 * TsrRetrieveQuery:
 * What to retrieve: codes (with or without their sub-codes), themes
 * (each with its codes, their sub-codes and its sub-themes', as a
 * theme's n counts them), whose coding and which documents (a
 * #TsrScope), and how much context.
 */
typedef struct _TsrRetrieveQuery TsrRetrieveQuery;

#define TSR_TYPE_RETRIEVE_QUERY (tsr_retrieve_query_get_type ())
GType             tsr_retrieve_query_get_type          (void) G_GNUC_CONST;
TsrRetrieveQuery *tsr_retrieve_query_new               (void);
TsrRetrieveQuery *tsr_retrieve_query_copy              (const TsrRetrieveQuery *query);
void              tsr_retrieve_query_free              (TsrRetrieveQuery       *query);
void              tsr_retrieve_query_add_code          (TsrRetrieveQuery       *query,
                                                        gint64                  code_id);
void              tsr_retrieve_query_add_theme         (TsrRetrieveQuery       *query,
                                                        gint64                  theme_id);
void              tsr_retrieve_query_set_with_subcodes (TsrRetrieveQuery       *query,
                                                        gboolean                with_subcodes);
void              tsr_retrieve_query_set_scope         (TsrRetrieveQuery       *query,
                                                        const TsrScope         *scope);
void              tsr_retrieve_query_set_every_coder   (TsrRetrieveQuery       *query,
                                                        gboolean                every_coder);
void              tsr_retrieve_query_set_context       (TsrRetrieveQuery       *query,
                                                        guint                   characters);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrRetrieveQuery, tsr_retrieve_query_free)

GListModel  *tsr_project_retrieve          (TsrProject              *self,
                                            const TsrRetrieveQuery  *query,
                                            GCancellable            *cancellable,
                                            GError                 **error);
void         tsr_project_retrieve_async    (TsrProject              *self,
                                            const TsrRetrieveQuery  *query,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
GListModel  *tsr_project_retrieve_finish   (TsrProject              *self,
                                            GAsyncResult            *result,
                                            GError                 **error);

TsrExportDocument *tsr_retrieved_passages_to_document (GListModel      *passages,
                                             const char      *title,
                                             const char      *description,
                                             TsrExportFormat  format);

G_END_DECLS
