/* tsr-project-internal.h — what the files of the project object share
 *
 * The project object is one GObject written in several files: opening,
 * closing and notifications in tsr-project.c, the operations layer and
 * history in tsr-project-history.c, and the operations by entity in
 * tsr-project-<entity>.c.  This header is for those files only; the
 * core's other units use tsr-project-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tsr-database-private.h"
#include "tsr-entities-private.h"
#include "tsr-entity-list-private.h"
#include "tsr-project-private.h"

G_BEGIN_DECLS

struct _TsrProject
{
  GObject          parent_instance;

  TsrDatabase     *db;
  char            *path;
  char            *title;
  char            *description;
  TsrCoder        *current_coder;
  /* Whether someone said who codes (see tsr_project_get_coder_confirmed),
   * the coder remembered for this account, and the stand-in made for a
   * first edit while nobody had said. */
  gboolean         coder_confirmed;
  gint64           remembered_coder_id;
  gint64           stand_in_coder_id;
  /* A coder named for the edits to come who is not in the project yet:
   * added by the first edit, in its transaction (see
   * tsr_project_set_current_coder_name).  A coder added inside an edit
   * (that one, or the stand-in) and the depth of the edit that added it:
   * forgotten if that edit is rolled back. */
  char            *pending_coder_name;
  gint64           op_new_coder_id;
  guint            op_new_coder_depth;

  /* The edit in progress */
  guint            op_depth;
  guint            op_flags;
  char            *op_kind;
  char            *op_description;
  sqlite3_session *session;
  gboolean         op_with_coders;
  guint            group_depth;
  gboolean         history_enabled;

  /* "kind:key" → TsrEntityList, weak */
  GHashTable      *models;
};

/* Row readers and the columns they read (tsr-project-rows.c) */

#define CODER_COLUMNS "id, uuid, name, is_consensus"

#define DOCUMENT_COLUMNS "id, uuid, name, source, content_hash, length, is_read, created"

#define CODE_COLUMNS \
  "c.id, c.uuid, c.parent_id, c.name, c.color, c.definition, c.position," \
  " (SELECT count(*) FROM codes k WHERE k.parent_id = c.id)"

#define SEGMENT_COLUMNS \
  "id, uuid, document_id, code_id, coder_id, start, end, text, exemplar, created"

#define THEME_COLUMNS \
  "id, uuid, parent_id, name, definition, scope_notes, narrative, status, position"

#define MEMO_COLUMNS \
  "id, uuid, kind, coalesce (document_id, segment_id, code_id, theme_id, 0)," \
  " coalesce (coder_id, 0), date, text, modified"

#define TREE_ORDER(table) \
  "WITH RECURSIVE tree (id, sort) AS (" \
  "  SELECT id, printf ('%08d.%012d', position, id) FROM " table " WHERE parent_id IS NULL" \
  "  UNION ALL" \
  "  SELECT x.id, tree.sort || '/' || printf ('%08d.%012d', x.position, x.id)" \
  "  FROM " table " x JOIN tree ON x.parent_id = tree.id" \
  ") "

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

extern const char * const _tsr_memo_kind_names[];

/* What a message is about.  Each kind has its own full sentences in
 * _tsr_check_name() and _tsr_not_found(), so that a translator never
 * has to fit a translated noun into a translated frame. */
typedef enum
{
  TSR_KIND_PROJECT,
  TSR_KIND_CODER,
  TSR_KIND_DOCUMENT,
  TSR_KIND_CODE,
  TSR_KIND_PARENT_CODE,
  TSR_KIND_THEME,
  TSR_KIND_CASE,
  TSR_KIND_ATTRIBUTE,
  TSR_KIND_LINK,
  TSR_KIND_JOURNAL_ENTRY,
  TSR_KIND_SEGMENT,
} TsrKind;

/* tsr-project.c */
guint       _tsr_changes_in_changeset   (const void *data,
                                         int         size);
gboolean    _tsr_check_name             (const char  *name,
                                         TsrKind      kind,
                                         GError     **error);
char       *_tsr_clean_name             (const char *name);
char       *_tsr_dup_column             (sqlite3_stmt *stmt,
                                         int           col);
void        _tsr_not_found              (GError     **error,
                                         TsrKind      kind,
                                         gint64       id);
gint64      _tsr_now_us                 (void);
GListModel *_tsr_project_get_model      (TsrProject          *self,
                                         const char          *kind,
                                         gint64               key,
                                         GType                item_type,
                                         TsrEntityListLoader  loader,
                                         guint                change_mask);
void        _tsr_project_notify_changes (TsrProject *self,
                                         guint       flags);
void        _tsr_project_notify_current_coder
                                        (TsrProject *self);
gboolean    _tsr_project_set_meta       (TsrProject  *self,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);
gboolean    _tsr_valid_color            (const char *color);

/* tsr-project-history.c */
int           _tsr_project_changes        (TsrProject *self);
gint64        _tsr_project_last_insert_id (TsrProject *self);
sqlite3_stmt *_tsr_project_prepare        (TsrProject  *self,
                                           const char  *sql,
                                           GError     **error);
gint64        _tsr_project_query_int      (TsrProject *self,
                                           const char *sql,
                                           gint64      arg,
                                           gint64      fallback);
gboolean      _tsr_project_row_exists     (TsrProject *self,
                                           const char *table,
                                           gint64      id);
gboolean      _tsr_project_run            (TsrProject    *self,
                                           sqlite3_stmt  *stmt,
                                           GError       **error);
gboolean      _tsr_project_run_with_id    (TsrProject  *self,
                                           const char  *sql,
                                           gint64       id,
                                           GError     **error);
gboolean      _tsr_project_update_by_id   (TsrProject  *self,
                                           const char  *sql,
                                           gint64       id,
                                           const char  *text,
                                           gint64       value,
                                           TsrKind      kind,
                                           GError     **error);

/* tsr-project-rows.c */
GPtrArray    *_tsr_project_load_rows        (TsrProject  *self,
                                             const char  *sql,
                                             gboolean     bind_key,
                                             gint64       key,
                                             RowReader    reader,
                                             GError     **error);
gpointer      _tsr_project_lookup_one       (TsrProject *self,
                                             const char *sql,
                                             gint64      id,
                                             const char *text,
                                             RowReader   reader);
TsrCode      *_tsr_project_require_code     (TsrProject  *self,
                                             gint64       id,
                                             GError     **error);
TsrDocument  *_tsr_project_require_document (TsrProject  *self,
                                             gint64       id,
                                             GError     **error);
TsrTheme     *_tsr_project_require_theme    (TsrProject  *self,
                                             gint64       id,
                                             GError     **error);
GArray       *_tsr_project_list_ids         (TsrProject *self,
                                            const char *sql,
                                            gint64      arg1,
                                            gint64      arg2);
TsrAttribute *_tsr_read_attribute           (sqlite3_stmt *stmt);
TsrCase      *_tsr_read_case                (sqlite3_stmt *stmt);
TsrCode      *_tsr_read_code                (sqlite3_stmt *stmt);
TsrCoder     *_tsr_read_coder               (sqlite3_stmt *stmt);
TsrDocument  *_tsr_read_document            (sqlite3_stmt *stmt);
TsrMapLink   *_tsr_read_map_link            (sqlite3_stmt *stmt);
TsrMemo      *_tsr_read_memo                (sqlite3_stmt *stmt);
TsrSegment   *_tsr_read_segment             (sqlite3_stmt *stmt);
TsrTheme     *_tsr_read_theme               (sqlite3_stmt *stmt);

/* tsr-project-coders.c */
gint64   _tsr_project_current_coder_id      (TsrProject  *self,
                                             GError     **error);
gboolean _tsr_project_add_pending_coder     (TsrProject  *self,
                                             GError     **error);
void     _tsr_project_op_coders_done        (TsrProject  *self,
                                             gboolean     kept);
void     _tsr_project_refresh_current_coder (TsrProject *self);

/* tsr-project-tree.c */
gboolean _tsr_project_is_ancestor_or_self (TsrProject *self,
                                           const char *table,
                                           gint64      ancestor_id,
                                           gint64      id);
gboolean _tsr_project_move_in_tree        (TsrProject  *self,
                                           const char  *table,
                                           gint64       id,
                                           gint64       old_parent_id,
                                           gint64       new_parent_id,
                                           gint         position,
                                           GError     **error);

/* tsr-project-memos.c */
gboolean _tsr_check_date (const char  *date,
                          GError     **error);

G_END_DECLS
