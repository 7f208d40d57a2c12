/* tsr-merge-private.h — what the merge's files share: the rows of a
 * side, the plan's innards and the merge in progress
 *
 * tsr-merge-read.c reads the two sides, tsr-merge-plan.c decides what to
 * bring in, tsr-merge-apply.c writes it; tsr-merge.c is the plan object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tsr-merge.h"
#include "tsr-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  int     consensus;
  gint64  created;
} Coder;

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  char   *source;
  char   *hash;
  gint64  length;
  int     read;
  gint64  position;
  gint64  created;
} Document;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  parent;
  char   *name;
  char   *color;
  char   *definition;
  gint64  position;
  gint64  created;
} Code;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  document;
  gint64  code;
  gint64  coder;
  gint64  start;
  gint64  end;
  char   *text;
  int     exemplar;
  gint64  created;
} Segment;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  parent;
  char   *name;
  char   *fields[3];
  char   *status;
  gint64  position;
  gint64  created;
} Theme;

typedef struct
{
  gint64 theme;
  gint64 code;
  gint64 position;
} ThemeCode;

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *kind;
  gint64  target;      /* document, segment, code or theme; 0 for the journal */
  gint64  coder;
  char   *date;
  char   *text;
  gint64  created;
  gint64  modified;
} Memo;

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  char   *description;
  gint64  created;
} Case;

typedef struct
{
  gint64 case_id;
  gint64 document;
} CaseDocument;

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *target;
  char   *name;
  char   *type;
  gint64  position;
} Attribute;

typedef struct
{
  gint64  attribute;
  gint64  target;
  int     on_case;
  char   *value;
} Value;

typedef struct
{
  gint64 id;
  int    theme;
  double x;
  double y;
} Position;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  from;
  gint64  to;
  char   *label;
} Link;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  code;
  gint64  document;
  gint64  coder_a;
  gint64  coder_b;
  char   *spans_a;
  char   *spans_b;
  char   *action;
  gint64  resolved_by;
  gint64  time;
} Resolution;

/* A document a coder marked as done. */
typedef struct
{
  gint64 document;
  gint64 coder;
  gint64 time;
} DoneMark;

typedef struct
{
  GStringChunk *strings;
  char         *title;
  GArray       *coders, *documents, *codes, *segments, *themes, *theme_codes, *memos;
  GArray       *cases, *case_documents, *attributes, *values, *positions, *links, *resolutions;
  GArray       *done;
} Side;

typedef struct
{
  TsrMergeKind    kind;
  TsrMergeAction  action;
  char           *text;
} Note;

struct _TsrMergePlan
{
  gatomicrefcount  ref_count;
  char            *other_path;
  char            *other_title;
  guint            counts[TSR_MERGE_N_KINDS][TSR_MERGE_N_ACTIONS];
  GArray          *notes;   /* Note */
};

/* What "new" maps to before the row exists. */
#define NEW ((gint64) -1)

typedef struct
{
  Side          theirs;
  Side          ours;
  TsrMergePlan *plan;
  const char   *other_name;

  /* theirs' id → ours' id, or NEW */
  GHashTable   *coder_map, *document_map, *code_map, *theme_map, *segment_map;
  GHashTable   *case_map, *attribute_map;
  /* documents whose text differs: their coding stays out */
  GHashTable   *blocked_documents;
  /* attributes whose type differs: their values stay out */
  GHashTable   *blocked_attributes;
  GHashTable   *our_uuids;   /* every UUID ours holds, to keep added ones unique */

  /* What to write, in order */
  GArray       *add_coders;       /* guint index into theirs.coders */
  GPtrArray    *coder_names;      /* name to give each (renamed on a clash) */
  GArray       *add_documents, *add_codes, *add_themes, *add_segments, *add_memos;
  GArray       *add_theme_codes, *add_cases, *add_case_documents, *add_attributes, *add_values;
  GArray       *add_positions, *add_links, *add_resolutions, *add_done;
  GArray       *fill_codes;       /* guint index into theirs.codes: take their definition */
  GArray       *fill_themes;      /* guint: take their empty-in-ours fields */
  GArray       *append_memos;     /* Append */
} Merge;

/* Their memo's text goes below ours. */
typedef struct
{
  guint  index;    /* into theirs.memos */
  gint64 our_id;
} Append;

#define ROW(array, type, i) (&g_array_index ((array), type, (i)))

void
_tsr_merge_side_clear (Side *side);

gboolean
_tsr_merge_read_side (sqlite3     *db,
                      const char  *name,
                      Side        *side,
                      GError     **error);

sqlite3 *
_tsr_merge_open_other (const char    *path,
                       GCancellable  *cancellable,
                       GError       **error);

TsrMergePlan *
_tsr_merge_plan_new (const char *path);

gint64
_tsr_merge_map_get (GHashTable *map,
                    gint64      id);

void
_tsr_merge_map_set (GHashTable *map,
                    gint64      key,
                    gint64      value);

GHashTable *
_tsr_merge_memo_map_for (Merge      *m,
                         const char *kind);

const char *
_tsr_merge_swapped_action (const char *action,
                           gboolean    swapped);

void
_tsr_merge_clear (Merge *m);

gboolean
_tsr_merge_plan (Merge         *m,
                 TsrProject    *self,
                 const char    *other_path,
                 GCancellable  *cancellable,
                 GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Merge, _tsr_merge_clear)

G_END_DECLS
