/* tsr-entities.h — the objects of a project: documents, codes, segments…
 *
 * Entities are snapshots of rows owned by a #TsrProject.  The project's
 * list models keep them current: when a row changes the same object is
 * updated in place and emits #GObject::notify, so widgets bound to a
 * property stay live and selections survive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */

#define TSR_TYPE_ENTITY (tsr_entity_get_type ())
G_DECLARE_DERIVABLE_TYPE (TsrEntity, tsr_entity, TSR, ENTITY, GObject)

struct _TsrEntityClass
{
  GObjectClass parent_class;

  /* Copies @fresh's fields into @self, notifying what changed. */
  void (*update_from) (TsrEntity *self,
                       TsrEntity *fresh);
};

gint64       tsr_entity_get_id   (TsrEntity *self);
const char  *tsr_entity_get_uuid (TsrEntity *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_DOCUMENT (tsr_document_get_type ())
G_DECLARE_FINAL_TYPE (TsrDocument, tsr_document, TSR, DOCUMENT, TsrEntity)

const char  *tsr_document_get_name         (TsrDocument *self);
const char  *tsr_document_get_source       (TsrDocument *self);
const char  *tsr_document_get_content_hash (TsrDocument *self);
gboolean     tsr_document_get_read         (TsrDocument *self);
guint        tsr_document_get_length       (TsrDocument *self);
gint64       tsr_document_get_created      (TsrDocument *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_CODE (tsr_code_get_type ())
G_DECLARE_FINAL_TYPE (TsrCode, tsr_code, TSR, CODE, TsrEntity)

gint64       tsr_code_get_parent_id  (TsrCode *self);
const char  *tsr_code_get_name       (TsrCode *self);
const char  *tsr_code_get_color      (TsrCode *self);
const char  *tsr_code_get_definition (TsrCode *self);
gint         tsr_code_get_position   (TsrCode *self);
guint        tsr_code_get_n_children (TsrCode *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_CODER (tsr_coder_get_type ())
G_DECLARE_FINAL_TYPE (TsrCoder, tsr_coder, TSR, CODER, TsrEntity)

const char  *tsr_coder_get_name         (TsrCoder *self);
gboolean     tsr_coder_get_is_consensus (TsrCoder *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_SEGMENT (tsr_segment_get_type ())
G_DECLARE_FINAL_TYPE (TsrSegment, tsr_segment, TSR, SEGMENT, TsrEntity)

gint64       tsr_segment_get_document_id (TsrSegment *self);
gint64       tsr_segment_get_code_id     (TsrSegment *self);
gint64       tsr_segment_get_coder_id    (TsrSegment *self);
guint        tsr_segment_get_start       (TsrSegment *self);
guint        tsr_segment_get_end         (TsrSegment *self);
const char  *tsr_segment_get_text        (TsrSegment *self);
gboolean     tsr_segment_get_exemplar    (TsrSegment *self);
gint64       tsr_segment_get_created     (TsrSegment *self);

/* ------------------------------------------------------------------ */

/**
 * TsrThemeStatus:
 * @TSR_THEME_CANDIDATE: being searched for (phase 3)
 * @TSR_THEME_REVIEWED: checked against extracts and data (phase 4)
 * @TSR_THEME_FINAL: defined and named (phase 5)
 * @TSR_THEME_DISCARDED: set aside, kept for the audit trail
 */
typedef enum
{
  TSR_THEME_CANDIDATE,
  TSR_THEME_REVIEWED,
  TSR_THEME_FINAL,
  TSR_THEME_DISCARDED,
} TsrThemeStatus;

const char     *tsr_theme_status_to_string   (TsrThemeStatus status);
gboolean        tsr_theme_status_from_string (const char     *str,
                                              TsrThemeStatus *status);

/**
 * TsrThemeField:
 * The free-text fields of a theme card (phase 5).
 */
typedef enum
{
  TSR_THEME_FIELD_DEFINITION,
  TSR_THEME_FIELD_SCOPE_NOTES,
  TSR_THEME_FIELD_NARRATIVE,
} TsrThemeField;

#define TSR_TYPE_THEME (tsr_theme_get_type ())
G_DECLARE_FINAL_TYPE (TsrTheme, tsr_theme, TSR, THEME, TsrEntity)

gint64          tsr_theme_get_parent_id   (TsrTheme      *self);
const char     *tsr_theme_get_name        (TsrTheme      *self);
const char     *tsr_theme_get_field       (TsrTheme      *self,
                                           TsrThemeField  field);
TsrThemeStatus  tsr_theme_get_status      (TsrTheme      *self);
gint            tsr_theme_get_position    (TsrTheme      *self);

/* ------------------------------------------------------------------ */

/**
 * TsrMemoKind:
 * What a memo is attached to.
 */
typedef enum
{
  TSR_MEMO_JOURNAL,
  TSR_MEMO_DOCUMENT,
  TSR_MEMO_SEGMENT,
  TSR_MEMO_CODE,
  TSR_MEMO_THEME,
} TsrMemoKind;

#define TSR_TYPE_MEMO (tsr_memo_get_type ())
G_DECLARE_FINAL_TYPE (TsrMemo, tsr_memo, TSR, MEMO, TsrEntity)

TsrMemoKind  tsr_memo_get_kind      (TsrMemo *self);
gint64       tsr_memo_get_target_id (TsrMemo *self);
gint64       tsr_memo_get_coder_id  (TsrMemo *self);
const char  *tsr_memo_get_date      (TsrMemo *self);
const char  *tsr_memo_get_text      (TsrMemo *self);
gint64       tsr_memo_get_modified  (TsrMemo *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_CASE (tsr_case_get_type ())
G_DECLARE_FINAL_TYPE (TsrCase, tsr_case, TSR, CASE, TsrEntity)

const char  *tsr_case_get_name        (TsrCase *self);
const char  *tsr_case_get_description (TsrCase *self);

/* ------------------------------------------------------------------ */

/**
 * TsrAttributeType:
 * The type of an attribute's values; values are stored as text in a
 * canonical form (integers in decimal, reals with '.', booleans as
 * "true"/"false", dates as YYYY-MM-DD) and checked when set.
 */
typedef enum
{
  TSR_ATTRIBUTE_TEXT,
  TSR_ATTRIBUTE_INTEGER,
  TSR_ATTRIBUTE_REAL,
  TSR_ATTRIBUTE_BOOLEAN,
  TSR_ATTRIBUTE_DATE,
} TsrAttributeType;

/**
 * TsrAttributeTarget:
 * Whether an attribute describes documents or cases.
 */
typedef enum
{
  TSR_ATTRIBUTE_ON_DOCUMENTS,
  TSR_ATTRIBUTE_ON_CASES,
} TsrAttributeTarget;

#define TSR_TYPE_ATTRIBUTE (tsr_attribute_get_type ())
G_DECLARE_FINAL_TYPE (TsrAttribute, tsr_attribute, TSR, ATTRIBUTE, TsrEntity)

const char          *tsr_attribute_get_name   (TsrAttribute *self);
TsrAttributeType     tsr_attribute_get_value_type (TsrAttribute *self);
TsrAttributeTarget   tsr_attribute_get_target (TsrAttribute *self);

const char          *tsr_attribute_type_to_string (TsrAttributeType type);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_MAP_LINK (tsr_map_link_get_type ())
G_DECLARE_FINAL_TYPE (TsrMapLink, tsr_map_link, TSR, MAP_LINK, TsrEntity)

gint64       tsr_map_link_get_from_theme (TsrMapLink *self);
gint64       tsr_map_link_get_to_theme   (TsrMapLink *self);
const char  *tsr_map_link_get_label      (TsrMapLink *self);

/* ------------------------------------------------------------------ */

#define TSR_TYPE_HISTORY_ENTRY (tsr_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (TsrHistoryEntry, tsr_history_entry, TSR, HISTORY_ENTRY, TsrEntity)

const char  *tsr_history_entry_get_kind        (TsrHistoryEntry *self);
const char  *tsr_history_entry_get_description (TsrHistoryEntry *self);
const char  *tsr_history_entry_get_coder_name  (TsrHistoryEntry *self);
gint64       tsr_history_entry_get_time        (TsrHistoryEntry *self);
gboolean     tsr_history_entry_get_undone      (TsrHistoryEntry *self);

G_END_DECLS
