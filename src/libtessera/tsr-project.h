/* tsr-project.h — an open Tessera project and every edit made to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-entities.h"

G_BEGIN_DECLS

/**
 * TsrChange:
 * What a committed edit, an undo or a redo touched; the detail of
 * #TsrProject::changed.
 */
typedef enum /*< flags >*/
{
  TSR_CHANGE_DOCUMENTS  = 1 << 0,
  TSR_CHANGE_CODES      = 1 << 1,
  TSR_CHANGE_CODERS     = 1 << 2,
  TSR_CHANGE_SEGMENTS   = 1 << 3,
  TSR_CHANGE_THEMES     = 1 << 4,
  TSR_CHANGE_MEMOS      = 1 << 5,
  TSR_CHANGE_CASES      = 1 << 6,
  TSR_CHANGE_ATTRIBUTES = 1 << 7,
  TSR_CHANGE_MAP        = 1 << 8,
  TSR_CHANGE_PROJECT    = 1 << 9,
  TSR_CHANGE_ALL        = (1 << 10) - 1,
} TsrChange;

#define TSR_TYPE_PROJECT (tsr_project_get_type ())
G_DECLARE_FINAL_TYPE (TsrProject, tsr_project, TSR, PROJECT, GObject)

/* Opening and closing ------------------------------------------------ */

TsrProject  *tsr_project_create          (const char    *path,
                                          GError       **error);
TsrProject  *tsr_project_open            (const char    *path,
                                          GError       **error);
TsrProject  *tsr_project_open_read_only  (const char    *path,
                                          GError       **error);
void         tsr_project_open_async      (const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
TsrProject  *tsr_project_open_finish     (GAsyncResult  *result,
                                          GError       **error);
gboolean     tsr_project_close           (TsrProject    *self,
                                          GError       **error);
const char  *tsr_project_get_path        (TsrProject    *self);
const char  *tsr_project_get_title       (TsrProject    *self);
gboolean     tsr_project_set_title       (TsrProject    *self,
                                          const char    *title,
                                          GError       **error);
const char  *tsr_project_get_description (TsrProject    *self);
gboolean     tsr_project_set_description (TsrProject    *self,
                                          const char    *description,
                                          GError       **error);
gboolean     tsr_project_check_integrity (TsrProject    *self,
                                          GError       **error);
gboolean     tsr_project_check_reads     (TsrProject    *self,
                                          GError       **error);

/* The schema version this build writes. */
guint        tsr_project_schema_version  (void);

/* Coders ------------------------------------------------------------- */

TsrCoder    *tsr_project_ensure_coder        (TsrProject  *self,
                                              const char  *name,
                                              GError     **error);
TsrCoder    *tsr_project_get_consensus_coder (TsrProject  *self,
                                              GError     **error);
gboolean     tsr_project_set_current_coder   (TsrProject  *self,
                                              gint64       coder_id,
                                              GError     **error);
gboolean     tsr_project_set_current_coder_name (TsrProject  *self,
                                                 const char  *name,
                                                 GError     **error);
TsrCoder    *tsr_project_get_current_coder   (TsrProject  *self);
gboolean     tsr_project_get_coder_confirmed (TsrProject  *self);
TsrCoder    *tsr_project_get_remembered_coder (TsrProject *self);
TsrCoder    *tsr_project_confirm_coder       (TsrProject  *self,
                                              const char  *name,
                                              GError     **error);
gboolean     tsr_project_rename_coder        (TsrProject  *self,
                                              gint64       id,
                                              const char  *name,
                                              GError     **error);
TsrCoder    *tsr_project_switch_coder        (TsrProject  *self,
                                              const char  *name,
                                              GError     **error);
char        *tsr_coder_dup_default_name      (void);
TsrCoder    *tsr_project_lookup_coder        (TsrProject  *self,
                                              gint64       id);
TsrCoder    *tsr_project_find_coder          (TsrProject  *self,
                                              const char  *name);
GListModel  *tsr_project_get_coders          (TsrProject  *self);

/* Documents ---------------------------------------------------------- */

GListModel  *tsr_project_get_documents       (TsrProject   *self);
guint        tsr_project_get_n_documents     (TsrProject   *self);
TsrDocument *tsr_project_lookup_document     (TsrProject   *self,
                                              gint64        id);
TsrDocument *tsr_project_find_document       (TsrProject   *self,
                                              const char   *name);
TsrDocument *tsr_project_find_document_by_hash (TsrProject *self,
                                                const char *content_hash);
char        *tsr_project_get_document_text   (TsrProject   *self,
                                              gint64        id,
                                              GError      **error);
gint64       tsr_project_add_document        (TsrProject   *self,
                                              const char   *name,
                                              const char   *text,
                                              const char   *source,
                                              GError      **error);
gint64       tsr_project_import_file         (TsrProject   *self,
                                              GFile        *file,
                                              GCancellable *cancellable,
                                              GError      **error);
gboolean     tsr_project_rename_document     (TsrProject   *self,
                                              gint64        id,
                                              const char   *name,
                                              GError      **error);
gboolean     tsr_project_set_document_read   (TsrProject   *self,
                                              gint64        id,
                                              gboolean      read,
                                              GError      **error);
gboolean     tsr_project_set_documents_done  (TsrProject    *self,
                                              gint64         coder_id,
                                              const gint64  *document_ids,
                                              guint          n_documents,
                                              gboolean       done,
                                              GError       **error);
gboolean     tsr_project_get_document_done   (TsrProject   *self,
                                              gint64        document_id,
                                              gint64        coder_id);
GArray      *tsr_project_get_done_documents  (TsrProject   *self,
                                              gint64        coder_id);
GArray      *tsr_project_get_document_done_coders (TsrProject *self,
                                                   gint64      document_id);
gboolean     tsr_project_delete_document     (TsrProject   *self,
                                              gint64        id,
                                              GError      **error);

/* Codes -------------------------------------------------------------- */

GListModel  *tsr_project_get_codes           (TsrProject  *self,
                                              gint64       parent_id);
GPtrArray   *tsr_project_list_all_codes      (TsrProject  *self);
guint        tsr_project_get_n_codes         (TsrProject  *self);
TsrCode     *tsr_project_lookup_code         (TsrProject  *self,
                                              gint64       id);
TsrCode     *tsr_project_find_code           (TsrProject  *self,
                                              const char  *path);
char        *tsr_project_get_code_path       (TsrProject  *self,
                                              gint64       id);
gint64       tsr_project_create_code         (TsrProject  *self,
                                              gint64       parent_id,
                                              const char  *name,
                                              const char  *color,
                                              const char  *definition,
                                              GError     **error);
gboolean     tsr_project_rename_code         (TsrProject  *self,
                                              gint64       id,
                                              const char  *name,
                                              GError     **error);
gboolean     tsr_project_set_code_color      (TsrProject  *self,
                                              gint64       id,
                                              const char  *color,
                                              GError     **error);
gboolean     tsr_project_set_code_definition (TsrProject  *self,
                                              gint64       id,
                                              const char  *definition,
                                              GError     **error);
gboolean     tsr_project_move_code           (TsrProject  *self,
                                              gint64       id,
                                              gint64       new_parent_id,
                                              gint         position,
                                              GError     **error);
gboolean     tsr_project_merge_codes         (TsrProject  *self,
                                              gint64       source_id,
                                              gint64       target_id,
                                              GError     **error);
gboolean     tsr_project_delete_code         (TsrProject  *self,
                                              gint64       id,
                                              GError     **error);

/* Segments ----------------------------------------------------------- */

GListModel  *tsr_project_get_segments        (TsrProject  *self,
                                              gint64       document_id);
TsrSegment  *tsr_project_lookup_segment      (TsrProject  *self,
                                              gint64       id);
GPtrArray   *tsr_project_list_code_segments  (TsrProject  *self,
                                              gint64       code_id,
                                              gboolean     with_descendants);
gint64       tsr_project_add_segment         (TsrProject  *self,
                                              gint64       document_id,
                                              gint64       code_id,
                                              guint        start,
                                              guint        end,
                                              GError     **error);
gint64       tsr_project_add_segment_for_coder (TsrProject *self,
                                                gint64      document_id,
                                                gint64      code_id,
                                                gint64      coder_id,
                                                guint       start,
                                                guint       end,
                                                GError    **error);
gboolean     tsr_project_remove_segment      (TsrProject  *self,
                                              gint64       id,
                                              GError     **error);
gboolean     tsr_project_resize_segment      (TsrProject  *self,
                                              gint64       id,
                                              guint        start,
                                              guint        end,
                                              GError     **error);
gboolean     tsr_project_set_segment_exemplar (TsrProject *self,
                                               gint64      id,
                                               gboolean    exemplar,
                                               GError    **error);

/* Coding at a glance ------------------------------------------------- */

/**
 * TsrSpan:
 * @segment_id: the segment
 * @code_id: its code
 * @coder_id: its coder
 * @start: its first character
 * @end: the character after its last
 * @exemplar: whether it is starred as an exemplar quote
 *
 * A segment's place in its document, without its text: what a reader
 * needs to paint a long transcript's coding.
 */
typedef struct
{
  gint64   segment_id;
  gint64   code_id;
  gint64   coder_id;
  guint    start;
  guint    end;
  gboolean exemplar;
} TsrSpan;

GArray      *tsr_project_list_document_spans (TsrProject *self,
                                              gint64      document_id);

guint        tsr_project_count_document_segments (TsrProject *self,
                                                  gint64      document_id,
                                                  gint64      coder_id);
GArray      *tsr_project_list_recent_codes   (TsrProject  *self,
                                              gint64       coder_id,
                                              guint        limit);
void         tsr_project_list_recent_codes_async  (TsrProject          *self,
                                                   gint64               coder_id,
                                                   guint                limit,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GArray      *tsr_project_list_recent_codes_finish (TsrProject    *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);
gint64       tsr_project_code_in_vivo        (TsrProject  *self,
                                              gint64       document_id,
                                              gint64       parent_id,
                                              guint        start,
                                              guint        end,
                                              GError     **error);

/* Memos and the journal ---------------------------------------------- */

char        *tsr_project_get_memo            (TsrProject  *self,
                                              TsrMemoKind  kind,
                                              gint64       target_id);
gboolean     tsr_project_set_memo            (TsrProject  *self,
                                              TsrMemoKind  kind,
                                              gint64       target_id,
                                              const char  *text,
                                              GError     **error);
GListModel  *tsr_project_get_journal         (TsrProject  *self);
gint64       tsr_project_add_journal_entry   (TsrProject  *self,
                                              const char  *date,
                                              const char  *text,
                                              GError     **error);
gboolean     tsr_project_edit_journal_entry  (TsrProject  *self,
                                              gint64       id,
                                              const char  *date,
                                              const char  *text,
                                              GError     **error);
gboolean     tsr_project_delete_journal_entry (TsrProject *self,
                                               gint64      id,
                                               GError    **error);

/* Themes ------------------------------------------------------------- */

GListModel  *tsr_project_get_themes          (TsrProject     *self,
                                              gint64          parent_id);
GPtrArray   *tsr_project_list_all_themes     (TsrProject     *self);
TsrTheme    *tsr_project_lookup_theme        (TsrProject     *self,
                                              gint64          id);
TsrTheme    *tsr_project_find_theme          (TsrProject     *self,
                                              const char     *name);
gint64       tsr_project_create_theme        (TsrProject     *self,
                                              gint64          parent_id,
                                              const char     *name,
                                              GError        **error);
gboolean     tsr_project_rename_theme        (TsrProject     *self,
                                              gint64          id,
                                              const char     *name,
                                              GError        **error);
gboolean     tsr_project_set_theme_field     (TsrProject     *self,
                                              gint64          id,
                                              TsrThemeField   field,
                                              const char     *text,
                                              GError        **error);
gboolean     tsr_project_set_theme_status    (TsrProject     *self,
                                              gint64          id,
                                              TsrThemeStatus  status,
                                              GError        **error);
gboolean     tsr_project_move_theme          (TsrProject     *self,
                                              gint64          id,
                                              gint64          new_parent_id,
                                              gint            position,
                                              GError        **error);
gboolean     tsr_project_delete_theme        (TsrProject     *self,
                                              gint64          id,
                                              GError        **error);
GArray      *tsr_project_get_theme_codes     (TsrProject     *self,
                                              gint64          theme_id);
gboolean     tsr_project_add_code_to_theme   (TsrProject     *self,
                                              gint64          theme_id,
                                              gint64          code_id,
                                              GError        **error);
gboolean     tsr_project_remove_code_from_theme (TsrProject  *self,
                                                 gint64       theme_id,
                                                 gint64       code_id,
                                                 GError     **error);

/* Cases and attributes ----------------------------------------------- */

GListModel  *tsr_project_get_cases           (TsrProject  *self);
TsrCase     *tsr_project_find_case           (TsrProject  *self,
                                              const char  *name);
gint64       tsr_project_create_case         (TsrProject  *self,
                                              const char  *name,
                                              GError     **error);
gboolean     tsr_project_rename_case         (TsrProject  *self,
                                              gint64       id,
                                              const char  *name,
                                              GError     **error);
gboolean     tsr_project_delete_case         (TsrProject  *self,
                                              gint64       id,
                                              GError     **error);
gboolean     tsr_project_set_case_membership (TsrProject  *self,
                                              gint64       case_id,
                                              gint64       document_id,
                                              gboolean     member,
                                              GError     **error);
GArray      *tsr_project_get_case_documents  (TsrProject  *self,
                                              gint64       case_id);
gboolean     tsr_project_set_case_description (TsrProject *self,
                                               gint64      id,
                                               const char *text,
                                               GError    **error);
gint         tsr_project_set_case_documents  (TsrProject    *self,
                                              gint64         case_id,
                                              const gint64  *document_ids,
                                              guint          n_documents,
                                              gboolean       member,
                                              GError       **error);
GArray      *tsr_project_list_documents_with_value (TsrProject  *self,
                                                    gint64       attribute_id,
                                                    const char  *value,
                                                    GError     **error);

GListModel  *tsr_project_get_attributes      (TsrProject         *self);
TsrAttribute *tsr_project_find_attribute     (TsrProject         *self,
                                              TsrAttributeTarget  target,
                                              const char         *name);
gint64       tsr_project_define_attribute    (TsrProject         *self,
                                              TsrAttributeTarget  target,
                                              const char         *name,
                                              TsrAttributeType    type,
                                              GError            **error);
gboolean     tsr_project_delete_attribute    (TsrProject         *self,
                                              gint64              attribute_id,
                                              GError            **error);
gboolean     tsr_project_rename_attribute    (TsrProject         *self,
                                              gint64              attribute_id,
                                              const char         *name,
                                              GError            **error);
GHashTable  *tsr_project_list_attribute_values (TsrProject       *self,
                                                gint64            attribute_id);
gboolean     tsr_project_set_attribute_value (TsrProject         *self,
                                              gint64              attribute_id,
                                              gint64              target_id,
                                              const char         *value,
                                              GError            **error);
char        *tsr_attribute_type_check_value  (TsrAttributeType    type,
                                              const char         *value,
                                              const char         *name,
                                              GError            **error);
char        *tsr_project_get_attribute_value (TsrProject         *self,
                                              gint64              attribute_id,
                                              gint64              target_id);

/* The theme map ------------------------------------------------------ */

typedef enum
{
  TSR_MAP_ITEM_THEME,
  TSR_MAP_ITEM_CODE,
} TsrMapItemKind;

gboolean     tsr_project_set_map_position    (TsrProject     *self,
                                              TsrMapItemKind  kind,
                                              gint64          id,
                                              double          x,
                                              double          y,
                                              GError        **error);
gboolean     tsr_project_get_map_position    (TsrProject     *self,
                                              TsrMapItemKind  kind,
                                              gint64          id,
                                              double         *x,
                                              double         *y);
GListModel  *tsr_project_get_map_links       (TsrProject     *self);
gint64       tsr_project_add_map_link        (TsrProject     *self,
                                              gint64          from_theme,
                                              gint64          to_theme,
                                              const char     *label,
                                              GError        **error);
gboolean     tsr_project_remove_map_link     (TsrProject     *self,
                                              gint64          id,
                                              GError        **error);

/* Themes: reviewing (split, merge), map links, the report ----------- */

gint64       tsr_project_split_theme         (TsrProject    *self,
                                              gint64         theme_id,
                                              const gint64  *code_ids,
                                              guint          n_code_ids,
                                              const char    *new_name,
                                              GError       **error);
gboolean     tsr_project_merge_themes        (TsrProject    *self,
                                              gint64         source_id,
                                              gint64         target_id,
                                              GError       **error);
gboolean     tsr_project_set_map_link_label  (TsrProject    *self,
                                              gint64         id,
                                              const char    *label,
                                              GError       **error);
gboolean     tsr_project_mark_report_exported (TsrProject   *self,
                                               const char   *format,
                                               GError      **error);
char        *tsr_project_get_report_exported (TsrProject    *self);

/* History, undo and redo --------------------------------------------- */

void         tsr_project_begin_group         (TsrProject  *self,
                                              const char  *description);
gboolean     tsr_project_end_group           (TsrProject  *self,
                                              GError     **error);
gboolean     tsr_project_can_undo            (TsrProject  *self);
gboolean     tsr_project_can_redo            (TsrProject  *self);
char        *tsr_project_get_undo_label      (TsrProject  *self);
char        *tsr_project_get_redo_label      (TsrProject  *self);
gboolean     tsr_project_undo                (TsrProject  *self,
                                              GError     **error);
gboolean     tsr_project_redo                (TsrProject  *self,
                                              GError     **error);
GPtrArray   *tsr_project_list_history        (TsrProject  *self,
                                              guint        limit);
void         tsr_project_set_history_enabled (TsrProject  *self,
                                              gboolean     enabled);

/* Copies and backups (tsr-project-backup.c) */
gboolean     tsr_project_save_copy           (TsrProject          *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GError             **error);
void         tsr_project_save_copy_async     (TsrProject          *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tsr_project_save_copy_finish    (TsrProject          *self,
                                              GAsyncResult        *result,
                                              GError             **error);
char        *tsr_project_get_backup_folder   (TsrProject          *self);
GPtrArray   *tsr_project_list_backups        (TsrProject          *self);
gboolean     tsr_project_back_up             (TsrProject          *self,
                                              guint                keep,
                                              gboolean            *made,
                                              GCancellable        *cancellable,
                                              GError             **error);
void         tsr_project_back_up_async       (TsrProject          *self,
                                              guint                keep,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tsr_project_back_up_finish      (TsrProject          *self,
                                              GAsyncResult        *result,
                                              gboolean            *made,
                                              GError             **error);

G_END_DECLS
