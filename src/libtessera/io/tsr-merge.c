/* tsr-merge.c — bringing another copy of a project into this one
 *
 * Two coders each code a copy of the same project; one sends the other
 * their file, and merging brings in what it holds that this project does
 * not: coders, documents, codes, segments, memos and journal entries,
 * themes and their codes, the map, cases, attributes and reconciliation
 * decisions.  The rule is the union: nothing of either copy is lost,
 * nothing is added twice, and merging the same file again changes nothing.
 *
 * Rows are matched first by UUID (copies of one project share them),
 * then by content: a document by its text's hash, a code or theme by its
 * name under the same parent, a coder by name, a segment by (document,
 * code, coder, span), a journal entry by date and text.  Where theirs and
 * ours differ, ours is kept and the plan says so; a memo that differs
 * gets their text appended, so no text is lost.  A document whose UUID
 * matches but whose text differs cannot take their coding (offsets would
 * point at other words): its coding is left out and the plan says so.
 *
 * tsr_project_plan_merge() computes the plan without writing anything;
 * tsr_project_merge() computes it again in the transaction and applies it
 * as one undoable edit (coders included, so undo restores the project
 * exactly), refusing if the project or the file changed since the
 * preview.  The other file is opened read-only and never written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-merge.h"
#include "tsr-project-private.h"

static const char * const kind_names[] = {
  "coders", "documents", "codes", "segments", "memos", "journal", "themes", "theme-codes",
  "map", "cases", "attributes", "resolutions",
};
static const char * const action_names[] = { "add", "match", "conflict", "skip" };

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == TSR_MERGE_N_KINDS);

const char *
tsr_merge_kind_to_string (TsrMergeKind kind)
{
  g_return_val_if_fail (kind < TSR_MERGE_N_KINDS, NULL);
  return kind_names[kind];
}

const char *
tsr_merge_action_to_string (TsrMergeAction action)
{
  g_return_val_if_fail (action < TSR_MERGE_N_ACTIONS, NULL);
  return action_names[action];
}

/* One side's rows -------------------------------------------------------- */

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

typedef struct
{
  GStringChunk *strings;
  char         *title;
  GArray       *coders, *documents, *codes, *segments, *themes, *theme_codes, *memos;
  GArray       *cases, *case_documents, *attributes, *values, *positions, *links, *resolutions;
} Side;

static void
side_clear (Side *side)
{
  GArray **arrays[] = {
    &side->coders, &side->documents, &side->codes, &side->segments, &side->themes, &side->theme_codes,
    &side->memos, &side->cases, &side->case_documents, &side->attributes, &side->values,
    &side->positions, &side->links, &side->resolutions,
  };

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_clear_pointer (arrays[i], g_array_unref);
  g_clear_pointer (&side->strings, g_string_chunk_free);
  g_clear_pointer (&side->title, g_free);
}

static char *
col_text (Side         *side,
          sqlite3_stmt *stmt,
          int           col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return g_string_chunk_insert_const (side->strings, s ? s : "");
}

static gint64
col_int (sqlite3_stmt *stmt,
         int           col)
{
  return sqlite3_column_int64 (stmt, col);
}

typedef void (*RowFunc) (Side *side, sqlite3_stmt *stmt, GArray *rows);

static gboolean
read_table (sqlite3     *db,
            Side        *side,
            const char  *sql,
            GArray     **rows,
            gsize        row_size,
            RowFunc      func,
            const char  *name,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *rows = g_array_new (FALSE, TRUE, row_size);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project “%s” cannot be read (%s)"), name, sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (side, stmt, *rows);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, TSR_ERROR, rc == SQLITE_INTERRUPT ? TSR_ERROR_CANCELLED : TSR_ERROR_CORRUPT,
                   _("The project “%s” cannot be read (%s)"), name, sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static void
row_coder (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Coder r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2),
              (int) col_int (stmt, 3), col_int (stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_document (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Document r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2),
                 col_text (side, stmt, 3), col_text (side, stmt, 4), col_int (stmt, 5),
                 (int) col_int (stmt, 6), col_int (stmt, 7), col_int (stmt, 8) };
  g_array_append_val (rows, r);
}

static void
row_code (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Code r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_text (side, stmt, 3),
             col_text (side, stmt, 4), col_text (side, stmt, 5), col_int (stmt, 6), col_int (stmt, 7) };
  g_array_append_val (rows, r);
}

static void
row_segment (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Segment r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
                col_int (stmt, 4), col_int (stmt, 5), col_int (stmt, 6), col_text (side, stmt, 7),
                (int) col_int (stmt, 8), col_int (stmt, 9) };
  g_array_append_val (rows, r);
}

static void
row_theme (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Theme r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_text (side, stmt, 3),
              { col_text (side, stmt, 4), col_text (side, stmt, 5), col_text (side, stmt, 6) },
              col_text (side, stmt, 7), col_int (stmt, 8), col_int (stmt, 9) };
  g_array_append_val (rows, r);
}

static void
row_theme_code (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  ThemeCode r = { col_int (stmt, 0), col_int (stmt, 1), col_int (stmt, 2) };
  g_array_append_val (rows, r);
}

static void
row_memo (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Memo r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_int (stmt, 3),
             col_int (stmt, 4), col_text (side, stmt, 5), col_text (side, stmt, 6), col_int (stmt, 7),
             col_int (stmt, 8) };
  g_array_append_val (rows, r);
}

static void
row_case (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Case r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_text (side, stmt, 3),
             col_int (stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_case_document (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  CaseDocument r = { col_int (stmt, 0), col_int (stmt, 1) };
  g_array_append_val (rows, r);
}

static void
row_attribute (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Attribute r = { col_int (stmt, 0), col_text (side, stmt, 1), col_text (side, stmt, 2), col_text (side, stmt, 3),
                  col_text (side, stmt, 4), col_int (stmt, 5) };
  g_array_append_val (rows, r);
}

static void
row_value (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Value r = { col_int (stmt, 0), col_int (stmt, 1), (int) col_int (stmt, 2), col_text (side, stmt, 3) };
  g_array_append_val (rows, r);
}

static void
row_position (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Position r = { col_int (stmt, 0), (int) col_int (stmt, 1), sqlite3_column_double (stmt, 2),
                 sqlite3_column_double (stmt, 3) };
  g_array_append_val (rows, r);
}

static void
row_link (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Link r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
             col_text (side, stmt, 4) };
  g_array_append_val (rows, r);
}

static void
row_resolution (Side *side, sqlite3_stmt *stmt, GArray *rows)
{
  Resolution r = { col_int (stmt, 0), col_text (side, stmt, 1), col_int (stmt, 2), col_int (stmt, 3),
                   col_int (stmt, 4), col_int (stmt, 5), col_text (side, stmt, 6), col_text (side, stmt, 7),
                   col_text (side, stmt, 8), col_int (stmt, 9), col_int (stmt, 10) };
  g_array_append_val (rows, r);
}

static gboolean
has_table (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  return found;
}

/* Reads every table a merge concerns; works on files of every schema
 * version this build reads. */
static gboolean
read_side (sqlite3     *db,
           const char  *name,
           Side        *side,
           GError     **error)
{
  side->strings = g_string_chunk_new (64 * 1024);

  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (db, "SELECT value FROM project WHERE key = 'title'", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      side->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }

#define READ(sql, field, type, func) \
  if (!read_table (db, side, sql, &side->field, sizeof (type), func, name, error)) \
    return FALSE

  READ ("SELECT id, uuid, name, is_consensus, created FROM coders ORDER BY id", coders, Coder, row_coder);
  READ ("SELECT id, uuid, name, source, content_hash, length, is_read, position, created FROM documents"
        " ORDER BY position, id", documents, Document, row_document);
  /* Parents before children: by depth, then position. */
  READ ("WITH RECURSIVE t (id, depth) AS (SELECT id, 0 FROM codes WHERE parent_id IS NULL"
        " UNION ALL SELECT c.id, t.depth + 1 FROM codes c JOIN t ON c.parent_id = t.id)"
        " SELECT c.id, c.uuid, coalesce (c.parent_id, 0), c.name, c.color, c.definition, c.position, c.created"
        " FROM codes c JOIN t ON t.id = c.id ORDER BY t.depth, c.position, c.id", codes, Code, row_code);
  READ ("SELECT id, uuid, document_id, code_id, coder_id, start, end, text, exemplar, created FROM segments"
        " ORDER BY id", segments, Segment, row_segment);
  READ ("WITH RECURSIVE t (id, depth) AS (SELECT id, 0 FROM themes WHERE parent_id IS NULL"
        " UNION ALL SELECT c.id, t.depth + 1 FROM themes c JOIN t ON c.parent_id = t.id)"
        " SELECT c.id, c.uuid, coalesce (c.parent_id, 0), c.name, c.definition, c.scope_notes, c.narrative,"
        " c.status, c.position, c.created FROM themes c JOIN t ON t.id = c.id ORDER BY t.depth, c.position, c.id",
        themes, Theme, row_theme);
  READ ("SELECT theme_id, code_id, position FROM theme_codes ORDER BY theme_id, position, code_id",
        theme_codes, ThemeCode, row_theme_code);
  READ ("SELECT id, uuid, kind, coalesce (document_id, segment_id, code_id, theme_id, 0), coalesce (coder_id, 0),"
        " date, text, created, modified FROM memos ORDER BY id", memos, Memo, row_memo);
  READ ("SELECT id, uuid, name, description, created FROM cases ORDER BY id", cases, Case, row_case);
  READ ("SELECT case_id, document_id FROM case_documents ORDER BY case_id, document_id",
        case_documents, CaseDocument, row_case_document);
  READ ("SELECT id, uuid, target, name, type, position FROM attributes ORDER BY target, position, id",
        attributes, Attribute, row_attribute);
  READ ("SELECT attribute_id, document_id, 0, value FROM document_attribute_values"
        " UNION ALL SELECT attribute_id, case_id, 1, value FROM case_attribute_values",
        values, Value, row_value);
  READ ("SELECT theme_id, 1, x, y FROM map_theme_positions UNION ALL SELECT code_id, 0, x, y FROM map_code_positions",
        positions, Position, row_position);
  READ ("SELECT id, uuid, from_theme_id, to_theme_id, label FROM map_links ORDER BY id", links, Link, row_link);
  if (has_table (db, "resolutions"))
    {
      READ ("SELECT id, uuid, code_id, document_id, coder_a_id, coder_b_id, spans_a, spans_b, action,"
            " coalesce (resolved_by, 0), time FROM resolutions ORDER BY id", resolutions, Resolution, row_resolution);
    }
  else
    side->resolutions = g_array_new (FALSE, TRUE, sizeof (Resolution));
#undef READ

  return TRUE;
}

/* Opening the other file -------------------------------------------------- */

static int
cancel_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static sqlite3 *
open_other (const char    *path,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *uri = NULL;
  g_autofree char *immutable = NULL;
  sqlite3 *db = NULL;
  int app_id = 0, version = 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The project “%s” does not exist"), path);
      return NULL;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("“%s” is a folder, not a Tessera project"), name);
      return NULL;
    }

  /* Read-only: the file is never written, not even to switch its
   * journal.  A file in a folder we may not write (whose write-ahead log
   * cannot be opened) is read as it is on disk. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_CORRUPT)
    {
      sqlite3_close (db);
      db = NULL;
      uri = g_filename_to_uri (path, NULL, NULL);
      immutable = g_strconcat (uri ? uri : "", "?immutable=1", NULL);
      rc = sqlite3_open_v2 (immutable, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("The file “%s” is not a Tessera project"), name);
      else if ((rc & 0xff) == SQLITE_CORRUPT)
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT, _("The project “%s” is damaged and cannot be read"), name);
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE, _("The project “%s” cannot be opened: %s"),
                     name, db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    app_id = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (app_id != TSR_APPLICATION_ID || version < 1)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT, _("The file “%s” is not a Tessera project"), name);
      sqlite3_close (db);
      return NULL;
    }
  if ((guint) version > tsr_database_schema_version ())
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NEWER_VERSION,
                   _("The project “%s” was saved by a newer version of Tessera. "
                     "Update Tessera to merge it; the file was not changed."), name);
      sqlite3_close (db);
      return NULL;
    }

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, cancel_progress_cb, cancellable);
  return db;
}

/* Planning -------------------------------------------------------------- */

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

G_DEFINE_BOXED_TYPE (TsrMergePlan, tsr_merge_plan, tsr_merge_plan_ref, tsr_merge_plan_unref)

TsrMergePlan *
tsr_merge_plan_ref (TsrMergePlan *plan)
{
  g_atomic_ref_count_inc (&plan->ref_count);
  return plan;
}

void
tsr_merge_plan_unref (TsrMergePlan *plan)
{
  if (!g_atomic_ref_count_dec (&plan->ref_count))
    return;
  g_free (plan->other_path);
  g_free (plan->other_title);
  g_array_unref (plan->notes);
  g_free (plan);
}

static void
clear_note (gpointer data)
{
  g_free (((Note *) data)->text);
}

static TsrMergePlan *
plan_new (const char *path)
{
  TsrMergePlan *plan = g_new0 (TsrMergePlan, 1);

  g_atomic_ref_count_init (&plan->ref_count);
  plan->other_path = g_strdup (path);
  plan->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  g_array_set_clear_func (plan->notes, clear_note);
  return plan;
}

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
  GArray       *add_positions, *add_links, *add_resolutions;
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

static gint64
map_get (GHashTable *map,
         gint64      id)
{
  gpointer value;

  if (id == 0)
    return 0;
  if (!g_hash_table_lookup_extended (map, &id, NULL, &value))
    return 0;
  return *(gint64 *) value;
}

static void
map_set (GHashTable *map,
         gint64      key,
         gint64      value)
{
  gint64 *k = g_new (gint64, 1);
  gint64 *v = g_new (gint64, 1);

  *k = key;
  *v = value;
  g_hash_table_replace (map, k, v);
}

static GHashTable *
id_map_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

static void
note (Merge          *m,
      TsrMergeKind    kind,
      TsrMergeAction  action,
      const char     *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
note (Merge          *m,
      TsrMergeKind    kind,
      TsrMergeAction  action,
      const char     *format,
      ...)
{
  Note n = { kind, action, NULL };
  va_list args;

  va_start (args, format);
  n.text = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (m->plan->notes, n);
}

static void
count (Merge          *m,
       TsrMergeKind    kind,
       TsrMergeAction  action)
{
  m->plan->counts[kind][action]++;
}

static void
add_index (GArray *array,
           guint   index)
{
  g_array_append_val (array, index);
}

/* Index of ours' rows by a string key. */
static GHashTable *
index_by (GArray      *rows,
          gsize        row_size,
          gsize        key_offset)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      char *key = *(char **) (rows->data + i * row_size + key_offset);
      if (!g_hash_table_contains (index, key))
        g_hash_table_insert (index, key, GUINT_TO_POINTER (i + 1));
    }
  return index;
}

static GHashTable *
index_by_id (GArray *rows,
             gsize   row_size)
{
  GHashTable *index = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* The id is every row type's first member. */
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (index, rows->data + i * row_size, GUINT_TO_POINTER (i + 1));
  return index;
}

#define ROW(array, type, i) (&g_array_index ((array), type, (i)))

static char *
code_path (Side   *side,
           GHashTable *index,
           gint64  id)
{
  GString *path = g_string_new (NULL);
  guint depth = 0;

  while (id != 0 && depth++ < 1000)
    {
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, &id));
      Code *code;

      if (i == 0)
        break;
      code = ROW (side->codes, Code, i - 1);
      g_string_prepend (path, code->name);
      id = code->parent;
      if (id != 0)
        g_string_prepend (path, "/");
    }
  return g_string_free (path, FALSE);
}

static void
plan_coders (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.coders, sizeof (Coder), G_STRUCT_OFFSET (Coder, uuid));
  g_autoptr(GHashTable) by_name = index_by (m->ours.coders, sizeof (Coder), G_STRUCT_OFFSET (Coder, name));
  gint64 our_consensus = 0;

  for (guint i = 0; i < m->ours.coders->len; i++)
    if (ROW (m->ours.coders, Coder, i)->consensus && our_consensus == 0)
      our_consensus = ROW (m->ours.coders, Coder, i)->id;

  for (guint i = 0; i < m->theirs.coders->len; i++)
    {
      Coder *c = ROW (m->theirs.coders, Coder, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, c->uuid));
      char *name = c->name;

      if (j == 0 && c->consensus && our_consensus != 0)
        {
          /* One consensus per project: theirs is ours. */
          map_set (m->coder_map, c->id, our_consensus);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_MATCH);
          continue;
        }
      if (j == 0)
        j = GPOINTER_TO_UINT (g_hash_table_lookup (by_name, c->name));
      if (j != 0 && ROW (m->ours.coders, Coder, j - 1)->consensus == c->consensus)
        {
          map_set (m->coder_map, c->id, ROW (m->ours.coders, Coder, j - 1)->id);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_MATCH);
          continue;
        }
      if (j != 0)
        {
          /* A coder and the consensus of the same name. */
          {
            g_autofree char *renamed = g_strdup_printf (_("%s (from “%s”)"), c->name, m->other_name);
            name = g_string_chunk_insert (m->theirs.strings, renamed);
          }
          note (m, TSR_MERGE_CODERS, TSR_MERGE_CONFLICT,
                _("“%s” names a coder in one project and the consensus in the other; theirs is added as “%s”"),
                c->name, name);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_CONFLICT);
        }
      else
        {
          note (m, TSR_MERGE_CODERS, TSR_MERGE_ADD, _("New coder “%s”"), c->name);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_ADD);
        }
      map_set (m->coder_map, c->id, NEW);
      add_index (m->add_coders, i);
      g_ptr_array_add (m->coder_names, name);
    }
}

static void
plan_documents (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.documents, sizeof (Document), G_STRUCT_OFFSET (Document, uuid));
  g_autoptr(GHashTable) by_name = index_by (m->ours.documents, sizeof (Document), G_STRUCT_OFFSET (Document, name));
  g_autoptr(GHashTable) by_hash = g_hash_table_new (g_str_hash, g_str_equal);   /* hash → GSList of indices */
  g_autoptr(GHashTable) taken = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = m->ours.documents->len; i > 0; i--)
    {
      Document *d = ROW (m->ours.documents, Document, i - 1);
      g_hash_table_insert (by_hash, d->hash,
                           g_slist_prepend (g_hash_table_lookup (by_hash, d->hash), GUINT_TO_POINTER (i)));
    }
  /* Matches by UUID come first, so that a match by text cannot take a
   * document another of theirs has by UUID. */
  for (guint i = 0; i < m->theirs.documents->len; i++)
    {
      Document *d = ROW (m->theirs.documents, Document, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, d->uuid));

      if (j != 0)
        g_hash_table_add (taken, GUINT_TO_POINTER (j));
    }

  for (guint i = 0; i < m->theirs.documents->len; i++)
    {
      Document *d = ROW (m->theirs.documents, Document, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, d->uuid));

      if (j != 0)
        {
          Document *o = ROW (m->ours.documents, Document, j - 1);

          if (g_str_equal (o->hash, d->hash))
            {
              map_set (m->document_map, d->id, o->id);
              count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH);
            }
          else
            {
              g_hash_table_add (m->blocked_documents, g_memdup2 (&d->id, sizeof (gint64)));
              note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_SKIP,
                    _("“%s” has a different text in “%s”: its coding and memos there are not brought in"),
                    o->name, m->other_name);
              count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_SKIP);
            }
          continue;
        }

      for (GSList *l = g_hash_table_lookup (by_hash, d->hash); l != NULL; l = l->next)
        if (!g_hash_table_contains (taken, l->data))
          {
            j = GPOINTER_TO_UINT (l->data);
            break;
          }
      if (j != 0)
        {
          Document *o = ROW (m->ours.documents, Document, j - 1);

          g_hash_table_add (taken, GUINT_TO_POINTER (j));
          map_set (m->document_map, d->id, o->id);
          count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH);
          note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH,
                _("“%s” in “%s” has the same text as “%s” here: taken as the same document"),
                d->name, m->other_name, o->name);
          continue;
        }

      map_set (m->document_map, d->id, NEW);
      add_index (m->add_documents, i);
      count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD);
      if (g_hash_table_contains (by_name, d->name))
        note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD,
              _("New document “%s” (a different text from the document of that name here)"), d->name);
      else
        note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD, _("New document “%s”"), d->name);
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_hash);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_slist_free (value);
  }
}

static char *
child_key (gint64      parent,
           const char *name)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", parent, name);
}

static void
plan_codes (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.codes, sizeof (Code), G_STRUCT_OFFSET (Code, uuid));
  g_autoptr(GHashTable) ours_by_id = index_by_id (m->ours.codes, sizeof (Code));
  g_autoptr(GHashTable) theirs_by_id = index_by_id (m->theirs.codes, sizeof (Code));
  g_autoptr(GHashTable) by_child = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < m->ours.codes->len; i++)
    {
      Code *o = ROW (m->ours.codes, Code, i);
      g_hash_table_insert (by_child, child_key (o->parent, o->name), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < m->theirs.codes->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, ROW (m->theirs.codes, Code, i)->uuid));
      if (j != 0)
        g_hash_table_add (matched, &ROW (m->ours.codes, Code, j - 1)->id);
    }

  /* Theirs come parents first. */
  for (guint i = 0; i < m->theirs.codes->len; i++)
    {
      Code *c = ROW (m->theirs.codes, Code, i);
      gint64 parent = map_get (m->code_map, c->parent);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, c->uuid));
      g_autofree char *their_path = code_path (&m->theirs, theirs_by_id, c->id);

      if (j == 0 && parent != NEW)
        {
          g_autofree char *key = child_key (parent, c->name);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_child, key));
          if (j != 0 && g_hash_table_contains (matched, &ROW (m->ours.codes, Code, j - 1)->id))
            j = 0;
        }

      if (j != 0)
        {
          Code *o = ROW (m->ours.codes, Code, j - 1);
          g_autofree char *our_path = code_path (&m->ours, ours_by_id, o->id);

          g_hash_table_add (matched, &o->id);
          map_set (m->code_map, c->id, o->id);
          count (m, TSR_MERGE_CODES, TSR_MERGE_MATCH);
          if (!g_str_equal (our_path, their_path))
            {
              note (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT,
                    _("The code “%s” is “%s” in “%s” (renamed or moved in one copy); kept “%s”"),
                    our_path, their_path, m->other_name, our_path);
              count (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT);
            }
          if (*o->definition == '\0' && *c->definition != '\0')
            {
              add_index (m->fill_codes, i);
              note (m, TSR_MERGE_CODES, TSR_MERGE_ADD,
                    _("The definition of “%s” is taken from “%s”"), our_path, m->other_name);
            }
          else if (*c->definition != '\0' && !g_str_equal (o->definition, c->definition))
            {
              note (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT,
                    _("The definition of “%s” differs; kept ours. Theirs: “%s”"), our_path, c->definition);
              count (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT);
            }
          continue;
        }

      map_set (m->code_map, c->id, NEW);
      add_index (m->add_codes, i);
      count (m, TSR_MERGE_CODES, TSR_MERGE_ADD);
      note (m, TSR_MERGE_CODES, TSR_MERGE_ADD, _("New code “%s”"), their_path);
    }
}

static void
plan_themes (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.themes, sizeof (Theme), G_STRUCT_OFFSET (Theme, uuid));
  g_autoptr(GHashTable) by_child = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_int64_hash, g_int64_equal);
  static const char * const field_names[] = { N_("definition"), N_("scope notes"), N_("narrative") };

  for (guint i = 0; i < m->ours.themes->len; i++)
    {
      Theme *o = ROW (m->ours.themes, Theme, i);
      g_hash_table_insert (by_child, child_key (o->parent, o->name), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < m->theirs.themes->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, ROW (m->theirs.themes, Theme, i)->uuid));
      if (j != 0)
        g_hash_table_add (matched, &ROW (m->ours.themes, Theme, j - 1)->id);
    }

  for (guint i = 0; i < m->theirs.themes->len; i++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, i);
      gint64 parent = map_get (m->theme_map, t->parent);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, t->uuid));
      gboolean fill = FALSE;

      if (j == 0 && parent != NEW)
        {
          g_autofree char *key = child_key (parent, t->name);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_child, key));
          if (j != 0 && g_hash_table_contains (matched, &ROW (m->ours.themes, Theme, j - 1)->id))
            j = 0;
        }
      if (j == 0)
        {
          map_set (m->theme_map, t->id, NEW);
          add_index (m->add_themes, i);
          count (m, TSR_MERGE_THEMES, TSR_MERGE_ADD);
          note (m, TSR_MERGE_THEMES, TSR_MERGE_ADD, _("New theme “%s”"), t->name);
          continue;
        }

      {
        Theme *o = ROW (m->ours.themes, Theme, j - 1);

        g_hash_table_add (matched, &o->id);
        map_set (m->theme_map, t->id, o->id);
        count (m, TSR_MERGE_THEMES, TSR_MERGE_MATCH);
        if (!g_str_equal (o->name, t->name))
          {
            note (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT,
                  _("The theme “%s” is called “%s” in “%s”; kept “%s”"), o->name, t->name, m->other_name, o->name);
            count (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT);
          }
        for (guint f = 0; f < 3; f++)
          {
            if (*o->fields[f] == '\0' && *t->fields[f] != '\0')
              {
                fill = TRUE;
                note (m, TSR_MERGE_THEMES, TSR_MERGE_ADD, _("The %s of the theme “%s” is taken from “%s”"),
                      _(field_names[f]), o->name, m->other_name);
              }
            else if (*t->fields[f] != '\0' && !g_str_equal (o->fields[f], t->fields[f]))
              {
                note (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT,
                      _("The %s of the theme “%s” differs; kept ours. Theirs: “%s”"),
                      _(field_names[f]), o->name, t->fields[f]);
                count (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT);
              }
          }
        if (fill)
          add_index (m->fill_themes, i);
      }
    }
}

static char *
pair_key (gint64 a,
          gint64 b)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, a, b);
}

static void
plan_theme_codes (Merge *m)
{
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.theme_codes->len; i++)
    {
      ThemeCode *tc = ROW (m->ours.theme_codes, ThemeCode, i);
      g_hash_table_add (ours, pair_key (tc->theme, tc->code));
    }
  for (guint i = 0; i < m->theirs.theme_codes->len; i++)
    {
      ThemeCode *tc = ROW (m->theirs.theme_codes, ThemeCode, i);
      gint64 theme = map_get (m->theme_map, tc->theme);
      gint64 code = map_get (m->code_map, tc->code);
      g_autofree char *key = pair_key (theme, code);

      if (theme == 0 || code == 0)
        continue;
      if (theme != NEW && code != NEW && g_hash_table_contains (ours, key))
        {
          count (m, TSR_MERGE_THEME_CODES, TSR_MERGE_MATCH);
          continue;
        }
      add_index (m->add_theme_codes, i);
      count (m, TSR_MERGE_THEME_CODES, TSR_MERGE_ADD);
    }
}

static char *
segment_key (gint64 document,
             gint64 code,
             gint64 coder,
             gint64 start,
             gint64 end)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                          ":%" G_GINT64_FORMAT, document, code, coder, start, end);
}

static gboolean
blocked (GHashTable *set,
         gint64      id)
{
  return g_hash_table_contains (set, &id);
}

static void
plan_segments (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.segments, sizeof (Segment), G_STRUCT_OFFSET (Segment, uuid));
  g_autoptr(GHashTable) by_content = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint changed = 0;

  for (guint i = 0; i < m->ours.segments->len; i++)
    {
      Segment *s = ROW (m->ours.segments, Segment, i);
      g_hash_table_insert (by_content, segment_key (s->document, s->code, s->coder, s->start, s->end),
                           GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.segments->len; i++)
    {
      Segment *s = ROW (m->theirs.segments, Segment, i);
      gint64 document = map_get (m->document_map, s->document);
      gint64 code = map_get (m->code_map, s->code);
      gint64 coder = map_get (m->coder_map, s->coder);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, s->uuid));

      if (blocked (m->blocked_documents, s->document) || document == 0 || code == 0 || coder == 0)
        {
          count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_SKIP);
          continue;
        }
      if (j != 0)
        {
          Segment *o = ROW (m->ours.segments, Segment, j - 1);

          map_set (m->segment_map, s->id, o->id);
          if (o->document == document && o->code == code && o->coder == coder &&
              o->start == s->start && o->end == s->end)
            count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_MATCH);
          else
            {
              changed++;
              count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_CONFLICT);
            }
          continue;
        }
      if (document != NEW && code != NEW && coder != NEW)
        {
          g_autofree char *key = segment_key (document, code, coder, s->start, s->end);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_content, key));
          if (j != 0)
            {
              map_set (m->segment_map, s->id, ROW (m->ours.segments, Segment, j - 1)->id);
              count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_MATCH);
              continue;
            }
        }
      map_set (m->segment_map, s->id, NEW);
      add_index (m->add_segments, i);
      count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_ADD);
    }

  if (changed > 0)
    note (m, TSR_MERGE_SEGMENTS, TSR_MERGE_CONFLICT,
          g_dngettext (GETTEXT_PACKAGE, "%u coded passage was changed in both copies; kept ours",
                       "%u coded passages were changed in both copies; kept ours", changed), changed);
}

static GHashTable *
memo_map_for (Merge      *m,
              const char *kind)
{
  if (g_str_equal (kind, "document"))
    return m->document_map;
  if (g_str_equal (kind, "segment"))
    return m->segment_map;
  if (g_str_equal (kind, "code"))
    return m->code_map;
  if (g_str_equal (kind, "theme"))
    return m->theme_map;
  return NULL;
}

static void
plan_memos (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.memos, sizeof (Memo), G_STRUCT_OFFSET (Memo, uuid));
  g_autoptr(GHashTable) by_target = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) journal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.memos->len; i++)
    {
      Memo *o = ROW (m->ours.memos, Memo, i);

      if (g_str_equal (o->kind, "journal"))
        g_hash_table_add (journal, g_strconcat (o->date, "\n", o->text, NULL));
      else
        g_hash_table_insert (by_target, g_strdup_printf ("%s:%" G_GINT64_FORMAT, o->kind, o->target),
                             GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.memos->len; i++)
    {
      Memo *memo = ROW (m->theirs.memos, Memo, i);
      gboolean is_journal = g_str_equal (memo->kind, "journal");
      TsrMergeKind kind = is_journal ? TSR_MERGE_JOURNAL : TSR_MERGE_MEMOS;
      GHashTable *map = memo_map_for (m, memo->kind);
      gint64 target = map != NULL ? map_get (map, memo->target) : 0;
      Memo *o = NULL;
      guint j;

      if (is_journal)
        {
          g_autofree char *key = g_strconcat (memo->date, "\n", memo->text, NULL);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, memo->uuid));
          if (g_hash_table_contains (journal, key) ||
              (j != 0 && strstr (ROW (m->ours.memos, Memo, j - 1)->text, memo->text) != NULL))
            count (m, kind, TSR_MERGE_MATCH);
          else if (j != 0)
            {
              /* The same entry, edited in both copies: keep both texts. */
              Append append = { i, ROW (m->ours.memos, Memo, j - 1)->id };
              g_array_append_val (m->append_memos, append);
              count (m, kind, TSR_MERGE_CONFLICT);
              note (m, kind, TSR_MERGE_CONFLICT,
                    _("The journal entry of %s differs in “%s”: their text is added to ours"),
                    ROW (m->ours.memos, Memo, j - 1)->date, m->other_name);
            }
          else
            {
              add_index (m->add_memos, i);
              count (m, kind, TSR_MERGE_ADD);
              note (m, kind, TSR_MERGE_ADD, _("New journal entry of %s"), memo->date);
            }
          continue;
        }

      if (target == 0 ||
          (g_str_equal (memo->kind, "document") && blocked (m->blocked_documents, memo->target)))
        {
          count (m, kind, TSR_MERGE_SKIP);
          continue;
        }
      if (target != NEW)
        {
          g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, memo->kind, target);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_target, key));
          if (j != 0)
            o = ROW (m->ours.memos, Memo, j - 1);
        }
      if (o == NULL)
        {
          add_index (m->add_memos, i);
          count (m, kind, TSR_MERGE_ADD);
        }
      else if (strstr (o->text, memo->text) != NULL)
        count (m, kind, TSR_MERGE_MATCH);
      else
        {
          Append append = { i, o->id };

          g_array_append_val (m->append_memos, append);
          count (m, kind, TSR_MERGE_CONFLICT);
          note (m, kind, TSR_MERGE_CONFLICT,
                _("A memo on a %s differs in “%s”: their text is added below ours"),
                g_str_equal (memo->kind, "document") ? _("document")
                : g_str_equal (memo->kind, "segment") ? _("coded passage")
                : g_str_equal (memo->kind, "code") ? _("code") : _("theme"),
                m->other_name);
        }
    }
}

static void
plan_cases_and_attributes (Merge *m)
{
  g_autoptr(GHashTable) case_uuid = index_by (m->ours.cases, sizeof (Case), G_STRUCT_OFFSET (Case, uuid));
  g_autoptr(GHashTable) case_name = index_by (m->ours.cases, sizeof (Case), G_STRUCT_OFFSET (Case, name));
  g_autoptr(GHashTable) attr_uuid = index_by (m->ours.attributes, sizeof (Attribute), G_STRUCT_OFFSET (Attribute, uuid));
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) attr_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.attributes->len; i++)
    {
      Attribute *a = ROW (m->ours.attributes, Attribute, i);
      g_hash_table_insert (attr_name, g_strconcat (a->target, ":", a->name, NULL), GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.cases->len; i++)
    {
      Case *c = ROW (m->theirs.cases, Case, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (case_uuid, c->uuid));

      if (j == 0)
        j = GPOINTER_TO_UINT (g_hash_table_lookup (case_name, c->name));
      if (j != 0)
        {
          map_set (m->case_map, c->id, ROW (m->ours.cases, Case, j - 1)->id);
          count (m, TSR_MERGE_CASES, TSR_MERGE_MATCH);
          continue;
        }
      map_set (m->case_map, c->id, NEW);
      add_index (m->add_cases, i);
      count (m, TSR_MERGE_CASES, TSR_MERGE_ADD);
      note (m, TSR_MERGE_CASES, TSR_MERGE_ADD, _("New case “%s”"), c->name);
    }

  for (guint i = 0; i < m->ours.case_documents->len; i++)
    {
      CaseDocument *cd = ROW (m->ours.case_documents, CaseDocument, i);
      g_hash_table_add (members, pair_key (cd->case_id, cd->document));
    }
  for (guint i = 0; i < m->theirs.case_documents->len; i++)
    {
      CaseDocument *cd = ROW (m->theirs.case_documents, CaseDocument, i);
      gint64 case_id = map_get (m->case_map, cd->case_id);
      gint64 document = map_get (m->document_map, cd->document);
      g_autofree char *key = pair_key (case_id, document);

      if (case_id == 0 || document == 0)
        continue;
      if (case_id != NEW && document != NEW && g_hash_table_contains (members, key))
        count (m, TSR_MERGE_CASES, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_case_documents, i);
          count (m, TSR_MERGE_CASES, TSR_MERGE_ADD);
        }
    }

  for (guint i = 0; i < m->theirs.attributes->len; i++)
    {
      Attribute *a = ROW (m->theirs.attributes, Attribute, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (attr_uuid, a->uuid));

      if (j == 0)
        {
          g_autofree char *key = g_strconcat (a->target, ":", a->name, NULL);
          j = GPOINTER_TO_UINT (g_hash_table_lookup (attr_name, key));
        }
      if (j == 0)
        {
          map_set (m->attribute_map, a->id, NEW);
          add_index (m->add_attributes, i);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD);
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD, _("New attribute “%s”"), a->name);
          continue;
        }
      map_set (m->attribute_map, a->id, ROW (m->ours.attributes, Attribute, j - 1)->id);
      if (!g_str_equal (ROW (m->ours.attributes, Attribute, j - 1)->type, a->type) ||
          !g_str_equal (ROW (m->ours.attributes, Attribute, j - 1)->target, a->target))
        {
          g_hash_table_add (m->blocked_attributes, g_memdup2 (&a->id, sizeof (gint64)));
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_SKIP,
                _("The attribute “%s” has another type in “%s”: its values there are not brought in"),
                a->name, m->other_name);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_SKIP);
        }
      else
        count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_MATCH);
    }

  for (guint i = 0; i < m->ours.values->len; i++)
    {
      Value *v = ROW (m->ours.values, Value, i);
      g_hash_table_insert (values, g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                                    v->on_case, v->attribute, v->target), v->value);
    }
  for (guint i = 0; i < m->theirs.values->len; i++)
    {
      Value *v = ROW (m->theirs.values, Value, i);
      gint64 attribute = map_get (m->attribute_map, v->attribute);
      gint64 target = map_get (v->on_case ? m->case_map : m->document_map, v->target);
      g_autofree char *key = g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, v->on_case, attribute, target);
      const char *ours;

      if (attribute == 0 || target == 0 || blocked (m->blocked_attributes, v->attribute) ||
          (!v->on_case && blocked (m->blocked_documents, v->target)))
        continue;
      ours = (attribute != NEW && target != NEW) ? g_hash_table_lookup (values, key) : NULL;
      if (ours == NULL)
        {
          add_index (m->add_values, i);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD);
        }
      else if (g_str_equal (ours, v->value))
        count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_MATCH);
      else
        {
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_CONFLICT);
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_CONFLICT,
                _("An attribute value differs (“%s” here, “%s” in “%s”); kept ours"), ours, v->value, m->other_name);
        }
    }
}

static void
plan_map (Merge *m)
{
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) link_uuid = index_by (m->ours.links, sizeof (Link), G_STRUCT_OFFSET (Link, uuid));
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.positions->len; i++)
    {
      Position *p = ROW (m->ours.positions, Position, i);
      g_hash_table_add (positions, g_strdup_printf ("%d:%" G_GINT64_FORMAT, p->theme, p->id));
    }
  for (guint i = 0; i < m->theirs.positions->len; i++)
    {
      Position *p = ROW (m->theirs.positions, Position, i);
      gint64 id = map_get (p->theme ? m->theme_map : m->code_map, p->id);
      g_autofree char *key = g_strdup_printf ("%d:%" G_GINT64_FORMAT, p->theme, id);

      if (id == 0)
        continue;
      if (id != NEW && g_hash_table_contains (positions, key))
        count (m, TSR_MERGE_MAP, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_positions, i);
          count (m, TSR_MERGE_MAP, TSR_MERGE_ADD);
        }
    }

  for (guint i = 0; i < m->ours.links->len; i++)
    {
      Link *l = ROW (m->ours.links, Link, i);
      g_hash_table_add (links, g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", l->from, l->to, l->label));
    }
  for (guint i = 0; i < m->theirs.links->len; i++)
    {
      Link *l = ROW (m->theirs.links, Link, i);
      gint64 from = map_get (m->theme_map, l->from);
      gint64 to = map_get (m->theme_map, l->to);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", from, to, l->label);

      if (from == 0 || to == 0)
        continue;
      if (g_hash_table_contains (link_uuid, l->uuid) ||
          (from != NEW && to != NEW && g_hash_table_contains (links, key)))
        count (m, TSR_MERGE_MAP, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_links, i);
          count (m, TSR_MERGE_MAP, TSR_MERGE_ADD);
        }
    }
}

static char *
resolution_key (gint64      code,
                gint64      document,
                gint64      coder_a,
                gint64      coder_b,
                const char *spans_a,
                const char *spans_b)
{
  /* In coder id order, as the table stores them. */
  if (coder_a > coder_b)
    return resolution_key (code, document, coder_b, coder_a, spans_b, spans_a);
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s/%s",
                          code, document, coder_a, coder_b, spans_a, spans_b);
}

static const char *
swapped_action (const char *action,
                gboolean    swapped)
{
  if (!swapped)
    return action;
  if (g_str_equal (action, "accept_a"))
    return "accept_b";
  if (g_str_equal (action, "accept_b"))
    return "accept_a";
  return action;
}

static void
plan_resolutions (Merge *m)
{
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.resolutions->len; i++)
    {
      Resolution *r = ROW (m->ours.resolutions, Resolution, i);
      g_hash_table_insert (ours, resolution_key (r->code, r->document, r->coder_a, r->coder_b, r->spans_a, r->spans_b),
                           r->action);
    }
  for (guint i = 0; i < m->theirs.resolutions->len; i++)
    {
      Resolution *r = ROW (m->theirs.resolutions, Resolution, i);
      gint64 code = map_get (m->code_map, r->code);
      gint64 document = map_get (m->document_map, r->document);
      gint64 a = map_get (m->coder_map, r->coder_a);
      gint64 b = map_get (m->coder_map, r->coder_b);
      g_autofree char *key = NULL;
      const char *action;

      if (code == 0 || document == 0 || a == 0 || b == 0 || blocked (m->blocked_documents, r->document))
        {
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_SKIP);
          continue;
        }
      if (code == NEW || document == NEW || a == NEW || b == NEW)
        {
          add_index (m->add_resolutions, i);
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_ADD);
          continue;
        }
      key = resolution_key (code, document, a, b, r->spans_a, r->spans_b);
      action = g_hash_table_lookup (ours, key);
      if (action == NULL)
        {
          add_index (m->add_resolutions, i);
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_ADD);
        }
      else if (g_str_equal (action, swapped_action (r->action, a > b)))
        count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_MATCH);
      else
        {
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_CONFLICT);
          note (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_CONFLICT,
                _("A disagreement was resolved differently in “%s”; kept our decision"), m->other_name);
        }
    }
}

static void
merge_clear (Merge *m)
{
  GArray **arrays[] = {
    &m->add_coders, &m->add_documents, &m->add_codes, &m->add_themes, &m->add_segments, &m->add_memos,
    &m->add_theme_codes, &m->add_cases, &m->add_case_documents, &m->add_attributes, &m->add_values,
    &m->add_positions, &m->add_links, &m->add_resolutions, &m->fill_codes, &m->fill_themes, &m->append_memos,
  };
  GHashTable **maps[] = {
    &m->coder_map, &m->document_map, &m->code_map, &m->theme_map, &m->segment_map, &m->case_map,
    &m->attribute_map, &m->blocked_documents, &m->blocked_attributes, &m->our_uuids,
  };

  side_clear (&m->theirs);
  side_clear (&m->ours);
  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_clear_pointer (arrays[i], g_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    g_clear_pointer (maps[i], g_hash_table_unref);
  g_clear_pointer (&m->coder_names, g_ptr_array_unref);
  g_clear_pointer (&m->plan, tsr_merge_plan_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Merge, merge_clear)

/* Reads both projects and decides, row by row, what to add. */
static gboolean
plan (Merge         *m,
      TsrProject    *self,
      const char    *other_path,
      GCancellable  *cancellable,
      GError       **error)
{
  TsrDatabase *db = _tsr_project_get_database (self);
  g_autofree char *name = g_path_get_basename (other_path);
  g_autofree char *our_name = g_path_get_basename (tsr_project_get_path (self));
  sqlite3 *other;
  gboolean ok;

  memset (m, 0, sizeof *m);
  m->plan = plan_new (other_path);

  if (!(other = open_other (other_path, cancellable, error)))
    return FALSE;
  ok = read_side (other, name, &m->theirs, error);
  sqlite3_close (other);
  if (!ok)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
      return FALSE;
    }

  tsr_database_push_cancellable (db, cancellable);
  ok = read_side (tsr_database_get_handle (db), our_name, &m->ours, error);
  tsr_database_pop_cancellable (db);
  if (!ok)
    return FALSE;

  m->plan->other_title = g_strdup (m->theirs.title ? m->theirs.title : name);
  m->other_name = g_string_chunk_insert (m->theirs.strings, name);

  m->coder_map = id_map_new ();
  m->document_map = id_map_new ();
  m->code_map = id_map_new ();
  m->theme_map = id_map_new ();
  m->segment_map = id_map_new ();
  m->case_map = id_map_new ();
  m->attribute_map = id_map_new ();
  m->blocked_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  m->blocked_attributes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  m->coder_names = g_ptr_array_new ();
#define INDICES() g_array_new (FALSE, FALSE, sizeof (guint))
  m->add_coders = INDICES ();
  m->add_documents = INDICES ();
  m->add_codes = INDICES ();
  m->add_themes = INDICES ();
  m->add_segments = INDICES ();
  m->add_memos = INDICES ();
  m->add_theme_codes = INDICES ();
  m->add_cases = INDICES ();
  m->add_case_documents = INDICES ();
  m->add_attributes = INDICES ();
  m->add_values = INDICES ();
  m->add_positions = INDICES ();
  m->add_links = INDICES ();
  m->add_resolutions = INDICES ();
  m->fill_codes = INDICES ();
  m->fill_themes = INDICES ();
  m->append_memos = g_array_new (FALSE, FALSE, sizeof (Append));
#undef INDICES

  plan_coders (m);
  plan_documents (m);
  plan_codes (m);
  plan_themes (m);
  plan_theme_codes (m);
  plan_segments (m);
  plan_memos (m);
  plan_cases_and_attributes (m);
  plan_map (m);
  plan_resolutions (m);

  if (tsr_merge_plan_is_empty (m->plan) && m->plan->notes->len == 0)
    note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH, _("Everything in “%s” is already in this project"), name);
  return TRUE;
}

/**
 * tsr_project_plan_merge:
 * @other_path: another copy of the project (a `.tessera` file)
 *
 * Works out what merging @other_path would bring in, without writing
 * anything to either project.  The other file is opened read-only.
 *
 * Returns: (transfer full): the plan, or %NULL with @error set: the file
 *   is missing, not a project, damaged or from a newer Tessera
 */
TsrMergePlan *
tsr_project_plan_merge (TsrProject    *self,
                        const char    *other_path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_auto(Merge) m = { 0 };

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (other_path != NULL, NULL);

  if (_tsr_project_get_database (self) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  if (!plan (&m, self, other_path, cancellable, error))
    return NULL;
  return g_steal_pointer (&m.plan);
}

/* Applying -------------------------------------------------------------- */

static const char *
unique_uuid (Merge      *m,
             const char *uuid)
{
  if (m->our_uuids == NULL)
    {
      m->our_uuids = g_hash_table_new (g_str_hash, g_str_equal);
      {
        GArray *arrays[] = { m->ours.coders, m->ours.documents, m->ours.codes, m->ours.segments, m->ours.themes,
                             m->ours.memos, m->ours.cases, m->ours.attributes, m->ours.links, m->ours.resolutions };
        gsize sizes[] = { sizeof (Coder), sizeof (Document), sizeof (Code), sizeof (Segment), sizeof (Theme),
                          sizeof (Memo), sizeof (Case), sizeof (Attribute), sizeof (Link), sizeof (Resolution) };

        /* The UUID is every row type's second member. */
        for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
          for (guint i = 0; i < arrays[a]->len; i++)
            g_hash_table_add (m->our_uuids, *(char **) (arrays[a]->data + i * sizes[a] + sizeof (gint64)));
      }
    }
  if (!g_hash_table_contains (m->our_uuids, uuid))
    return uuid;
  {
    g_autofree char *fresh = g_uuid_string_random ();
    return g_string_chunk_insert (m->theirs.strings, fresh);
  }
}

typedef struct
{
  TsrDatabase  *db;
  sqlite3      *other;     /* read-only, for document texts */
  sqlite3_stmt *texts;
  GError      **error;
} Writer;

/* Their document's text. */
static char *
their_text (Writer     *w,
            Merge      *m,
            Document   *d)
{
  char *text = NULL;

  if (w->texts == NULL &&
      sqlite3_prepare_v2 (w->other, "SELECT text FROM document_texts WHERE document_id = ?", -1, &w->texts, NULL) != SQLITE_OK)
    {
      g_set_error (w->error, TSR_ERROR, TSR_ERROR_CORRUPT, _("The project “%s” cannot be read (%s)"),
                   m->other_name, sqlite3_errmsg (w->other));
      return NULL;
    }
  sqlite3_reset (w->texts);
  sqlite3_bind_int64 (w->texts, 1, d->id);
  if (sqlite3_step (w->texts) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (w->texts, 0));
  sqlite3_reset (w->texts);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (w->error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project “%s” is damaged: the document “%s” has no readable text"), m->other_name, d->name);
      g_free (text);
      return NULL;
    }
  return text;
}

static sqlite3_stmt *
stmt_for (Writer     *w,
          const char *sql)
{
  return tsr_database_prepare (w->db, sql, w->error);
}

static gint64
last_id (Writer *w)
{
  return sqlite3_last_insert_rowid (tsr_database_get_handle (w->db));
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
apply (Merge        *m,
       Writer       *w,
       GCancellable *cancellable)
{
  sqlite3_stmt *stmt = NULL;

#define PREPARE(sql) if (!(stmt = stmt_for (w, sql))) return FALSE
#define RUN() if (!tsr_database_run (w->db, stmt, w->error)) return FALSE

  for (guint k = 0; k < m->add_coders->len; k++)
    {
      Coder *c = ROW (m->theirs.coders, Coder, g_array_index (m->add_coders, guint, k));

      PREPARE ("INSERT INTO coders (uuid, name, is_consensus, created) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, m->coder_names->pdata[k], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, c->consensus);
      sqlite3_bind_int64 (stmt, 4, c->created);
      RUN ();
      map_set (m->coder_map, c->id, last_id (w));
    }

  for (guint k = 0; k < m->add_documents->len; k++)
    {
      Document *d = ROW (m->theirs.documents, Document, g_array_index (m->add_documents, guint, k));
      gint64 id;

      if ((k & 63) == 63 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (w->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }
      PREPARE ("INSERT INTO documents (uuid, name, source, content_hash, length, is_read, position, created)"
               " VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM documents), ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, d->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, d->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, d->source, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, d->hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, d->length);
      sqlite3_bind_int (stmt, 6, d->read);
      sqlite3_bind_int64 (stmt, 7, d->created);
      RUN ();
      id = last_id (w);
      map_set (m->document_map, d->id, id);

      {
        g_autofree char *text = their_text (w, m, d);

        if (text == NULL)
          return FALSE;
        PREPARE ("INSERT INTO document_texts (document_id, text) VALUES (?, ?)");
        sqlite3_bind_int64 (stmt, 1, id);
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
        RUN ();
      }
    }

  for (guint k = 0; k < m->add_codes->len; k++)
    {
      Code *c = ROW (m->theirs.codes, Code, g_array_index (m->add_codes, guint, k));
      gint64 parent = map_get (m->code_map, c->parent);

      PREPARE ("INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
               " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce (max (position), -1) + 1 FROM codes"
               " WHERE parent_id IS ?2), ?6)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 2, parent);
      sqlite3_bind_text (stmt, 3, c->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, c->color, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, c->definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, c->created);
      RUN ();
      map_set (m->code_map, c->id, last_id (w));
    }
  for (guint k = 0; k < m->fill_codes->len; k++)
    {
      Code *c = ROW (m->theirs.codes, Code, g_array_index (m->fill_codes, guint, k));

      PREPARE ("UPDATE codes SET definition = ? WHERE id = ? AND definition = ''");
      sqlite3_bind_text (stmt, 1, c->definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, map_get (m->code_map, c->id));
      RUN ();
    }

  for (guint k = 0; k < m->add_themes->len; k++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, g_array_index (m->add_themes, guint, k));

      PREPARE ("INSERT INTO themes (uuid, parent_id, name, definition, scope_notes, narrative, status, position, created)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce (max (position), -1) + 1 FROM themes"
               " WHERE parent_id IS ?2), ?8)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, t->uuid), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 2, map_get (m->theme_map, t->parent));
      sqlite3_bind_text (stmt, 3, t->name, -1, SQLITE_TRANSIENT);
      for (guint f = 0; f < 3; f++)
        sqlite3_bind_text (stmt, 4 + f, t->fields[f], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, t->status, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 8, t->created);
      RUN ();
      map_set (m->theme_map, t->id, last_id (w));
    }
  for (guint k = 0; k < m->fill_themes->len; k++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, g_array_index (m->fill_themes, guint, k));

      PREPARE ("UPDATE themes SET definition = CASE definition WHEN '' THEN ?2 ELSE definition END,"
               " scope_notes = CASE scope_notes WHEN '' THEN ?3 ELSE scope_notes END,"
               " narrative = CASE narrative WHEN '' THEN ?4 ELSE narrative END WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, map_get (m->theme_map, t->id));
      for (guint f = 0; f < 3; f++)
        sqlite3_bind_text (stmt, 2 + f, t->fields[f], -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_theme_codes->len; k++)
    {
      ThemeCode *tc = ROW (m->theirs.theme_codes, ThemeCode, g_array_index (m->add_theme_codes, guint, k));

      PREPARE ("INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
               " VALUES (?1, ?2, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes WHERE theme_id = ?1))");
      sqlite3_bind_int64 (stmt, 1, map_get (m->theme_map, tc->theme));
      sqlite3_bind_int64 (stmt, 2, map_get (m->code_map, tc->code));
      RUN ();
    }

  for (guint k = 0; k < m->add_segments->len; k++)
    {
      Segment *s = ROW (m->theirs.segments, Segment, g_array_index (m->add_segments, guint, k));

      if ((k & 4095) == 4095 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (w->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }
      PREPARE ("INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, exemplar, created)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, s->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, map_get (m->document_map, s->document));
      sqlite3_bind_int64 (stmt, 3, map_get (m->code_map, s->code));
      sqlite3_bind_int64 (stmt, 4, map_get (m->coder_map, s->coder));
      sqlite3_bind_int64 (stmt, 5, s->start);
      sqlite3_bind_int64 (stmt, 6, s->end);
      sqlite3_bind_text (stmt, 7, s->text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 8, s->exemplar);
      sqlite3_bind_int64 (stmt, 9, s->created);
      RUN ();
      map_set (m->segment_map, s->id, last_id (w));
    }

  for (guint k = 0; k < m->add_memos->len; k++)
    {
      Memo *memo = ROW (m->theirs.memos, Memo, g_array_index (m->add_memos, guint, k));
      GHashTable *map = memo_map_for (m, memo->kind);
      gint64 target = map != NULL ? map_get (map, memo->target) : 0;

      PREPARE ("INSERT INTO memos (uuid, kind, document_id, segment_id, code_id, theme_id, coder_id, date, text,"
               " created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, memo->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, memo->kind, -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 3, g_str_equal (memo->kind, "document") ? target : 0);
      bind_id_or_null (stmt, 4, g_str_equal (memo->kind, "segment") ? target : 0);
      bind_id_or_null (stmt, 5, g_str_equal (memo->kind, "code") ? target : 0);
      bind_id_or_null (stmt, 6, g_str_equal (memo->kind, "theme") ? target : 0);
      bind_id_or_null (stmt, 7, map_get (m->coder_map, memo->coder));
      sqlite3_bind_text (stmt, 8, memo->date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 9, memo->text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 10, memo->created);
      sqlite3_bind_int64 (stmt, 11, memo->modified);
      RUN ();
    }
  for (guint k = 0; k < m->append_memos->len; k++)
    {
      Append *append = &g_array_index (m->append_memos, Append, k);
      Memo *memo = ROW (m->theirs.memos, Memo, append->index);
      gint64 our_id = append->our_id;
      g_autofree char *heading = NULL;

      /* Translators: heads the text of a memo brought in by a merge */
      heading = g_strdup_printf (_("From “%s”:"), m->other_name);
      PREPARE ("UPDATE memos SET text = text || ?2, modified = ?3 WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, our_id);
      {
        g_autofree char *addition = g_strconcat ("\n\n", heading, "\n", memo->text, NULL);
        sqlite3_bind_text (stmt, 2, addition, -1, SQLITE_TRANSIENT);
      }
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      RUN ();
    }

  for (guint k = 0; k < m->add_cases->len; k++)
    {
      Case *c = ROW (m->theirs.cases, Case, g_array_index (m->add_cases, guint, k));

      PREPARE ("INSERT INTO cases (uuid, name, description, created) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, c->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, c->description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, c->created);
      RUN ();
      map_set (m->case_map, c->id, last_id (w));
    }
  for (guint k = 0; k < m->add_case_documents->len; k++)
    {
      CaseDocument *cd = ROW (m->theirs.case_documents, CaseDocument, g_array_index (m->add_case_documents, guint, k));

      PREPARE ("INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)");
      sqlite3_bind_int64 (stmt, 1, map_get (m->case_map, cd->case_id));
      sqlite3_bind_int64 (stmt, 2, map_get (m->document_map, cd->document));
      RUN ();
    }
  for (guint k = 0; k < m->add_attributes->len; k++)
    {
      Attribute *a = ROW (m->theirs.attributes, Attribute, g_array_index (m->add_attributes, guint, k));

      PREPARE ("INSERT INTO attributes (uuid, target, name, type, position)"
               " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM attributes))");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, a->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, a->target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, a->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, a->type, -1, SQLITE_TRANSIENT);
      RUN ();
      map_set (m->attribute_map, a->id, last_id (w));
    }
  for (guint k = 0; k < m->add_values->len; k++)
    {
      Value *v = ROW (m->theirs.values, Value, g_array_index (m->add_values, guint, k));

      if (v->on_case)
        {
          PREPARE ("INSERT OR IGNORE INTO case_attribute_values (attribute_id, case_id, value) VALUES (?, ?, ?)");
        }
      else
        {
          PREPARE ("INSERT OR IGNORE INTO document_attribute_values (attribute_id, document_id, value) VALUES (?, ?, ?)");
        }
      sqlite3_bind_int64 (stmt, 1, map_get (m->attribute_map, v->attribute));
      sqlite3_bind_int64 (stmt, 2, map_get (v->on_case ? m->case_map : m->document_map, v->target));
      sqlite3_bind_text (stmt, 3, v->value, -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_positions->len; k++)
    {
      Position *p = ROW (m->theirs.positions, Position, g_array_index (m->add_positions, guint, k));

      if (p->theme)
        {
          PREPARE ("INSERT OR IGNORE INTO map_theme_positions (theme_id, x, y) VALUES (?, ?, ?)");
        }
      else
        {
          PREPARE ("INSERT OR IGNORE INTO map_code_positions (code_id, x, y) VALUES (?, ?, ?)");
        }
      sqlite3_bind_int64 (stmt, 1, map_get (p->theme ? m->theme_map : m->code_map, p->id));
      sqlite3_bind_double (stmt, 2, p->x);
      sqlite3_bind_double (stmt, 3, p->y);
      RUN ();
    }
  for (guint k = 0; k < m->add_links->len; k++)
    {
      Link *l = ROW (m->theirs.links, Link, g_array_index (m->add_links, guint, k));

      PREPARE ("INSERT INTO map_links (uuid, from_theme_id, to_theme_id, label) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, l->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, map_get (m->theme_map, l->from));
      sqlite3_bind_int64 (stmt, 3, map_get (m->theme_map, l->to));
      sqlite3_bind_text (stmt, 4, l->label, -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_resolutions->len; k++)
    {
      Resolution *r = ROW (m->theirs.resolutions, Resolution, g_array_index (m->add_resolutions, guint, k));
      gint64 a = map_get (m->coder_map, r->coder_a);
      gint64 b = map_get (m->coder_map, r->coder_b);
      gboolean swapped = a > b;

      PREPARE ("INSERT OR IGNORE INTO resolutions (uuid, code_id, document_id, coder_a_id, coder_b_id, spans_a,"
               " spans_b, action, resolved_by, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, r->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, map_get (m->code_map, r->code));
      sqlite3_bind_int64 (stmt, 3, map_get (m->document_map, r->document));
      sqlite3_bind_int64 (stmt, 4, MIN (a, b));
      sqlite3_bind_int64 (stmt, 5, MAX (a, b));
      sqlite3_bind_text (stmt, 6, swapped ? r->spans_b : r->spans_a, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, swapped ? r->spans_a : r->spans_b, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, swapped_action (r->action, swapped), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 9, map_get (m->coder_map, r->resolved_by));
      sqlite3_bind_int64 (stmt, 10, r->time);
      RUN ();
    }

#undef PREPARE
#undef RUN
  return TRUE;
}

static gboolean
same_counts (TsrMergePlan *a,
             TsrMergePlan *b)
{
  return memcmp (a->counts, b->counts, sizeof a->counts) == 0;
}

/**
 * tsr_project_merge:
 * @plan: a plan from tsr_project_plan_merge(), shown to the user
 *
 * Brings in everything @plan adds, as one undoable edit.  The plan is
 * worked out again inside the edit; if the project or the other file
 * changed since @plan was made (so that it would do something else),
 * nothing is written and the error asks for a new preview.
 */
gboolean
tsr_project_merge (TsrProject    *self,
                   TsrMergePlan  *preview,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_auto(Merge) m = { 0 };
  TsrDatabase *db;
  Writer w;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (preview != NULL, FALSE);

  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }

  if (!plan (&m, self, preview->other_path, cancellable, error))
    return FALSE;
  if (!same_counts (m.plan, preview))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The project or the other file changed since the merge was previewed; "
                             "preview it again"));
      return FALSE;
    }
  if (tsr_merge_plan_is_empty (m.plan))
    return TRUE;

  w = (Writer) { db, NULL, NULL, error };
  if (!(w.other = open_other (preview->other_path, cancellable, error)))
    return FALSE;

  {
    g_autofree char *description = g_strdup_printf (_("Merge “%s”"), m.plan->other_title);

    ok = _tsr_project_op_begin (self, TSR_CHANGE_ALL, "project.merge", g_steal_pointer (&description), error);
  }
  if (ok)
    {
      _tsr_project_op_record_coders (self);
      tsr_database_push_cancellable (db, cancellable);
      ok = apply (&m, &w, cancellable);
      tsr_database_pop_cancellable (db);
      ok = _tsr_project_op_end (self, ok, error);
    }
  if (w.texts != NULL)
    sqlite3_finalize (w.texts);
  sqlite3_close (w.other);
  return ok;
}

/* Reading a plan --------------------------------------------------------- */

const char *
tsr_merge_plan_get_other_path (TsrMergePlan *plan)
{
  return plan->other_path;
}

/** tsr_merge_plan_get_other_title: Returns: the other project's title */
const char *
tsr_merge_plan_get_other_title (TsrMergePlan *plan)
{
  return plan->other_title;
}

/** tsr_merge_plan_count: Returns: how many of their rows of @kind get @action */
guint
tsr_merge_plan_count (TsrMergePlan   *plan,
                      TsrMergeKind    kind,
                      TsrMergeAction  action)
{
  g_return_val_if_fail (kind < TSR_MERGE_N_KINDS && action < TSR_MERGE_N_ACTIONS, 0);
  return plan->counts[kind][action];
}

/**
 * tsr_merge_plan_is_empty:
 *
 * Returns: %TRUE when merging would write nothing
 */
gboolean
tsr_merge_plan_is_empty (TsrMergePlan *plan)
{
  for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
    if (plan->counts[k][TSR_MERGE_ADD] > 0)
      return FALSE;
  for (guint i = 0; i < plan->notes->len; i++)
    {
      Note *n = &g_array_index (plan->notes, Note, i);
      /* Filled-in definitions and appended memos write too. */
      if (n->action == TSR_MERGE_ADD ||
          (n->action == TSR_MERGE_CONFLICT && (n->kind == TSR_MERGE_MEMOS || n->kind == TSR_MERGE_JOURNAL)))
        return FALSE;
    }
  return TRUE;
}

guint
tsr_merge_plan_get_n_notes (TsrMergePlan *plan)
{
  return plan->notes->len;
}

/**
 * tsr_merge_plan_get_note:
 * @kind: (out) (optional): what it is about
 * @action: (out) (optional): what happens
 *
 * Returns: (transfer none): one line of the plan, for a person to read
 */
const char *
tsr_merge_plan_get_note (TsrMergePlan   *plan,
                         guint           index,
                         TsrMergeKind   *kind,
                         TsrMergeAction *action)
{
  Note *n;

  g_return_val_if_fail (index < plan->notes->len, NULL);
  n = &g_array_index (plan->notes, Note, index);
  if (kind)
    *kind = n->kind;
  if (action)
    *action = n->action;
  return n->text;
}

/**
 * tsr_merge_plan_format:
 *
 * Returns: (transfer full): the plan as text: what is added, what is
 *   already here, the conflicts and what is left out
 */
char *
tsr_merge_plan_format (TsrMergePlan *plan)
{
  static const char * const kind_labels[] = {
    N_("Coders"), N_("Documents"), N_("Codes"), N_("Coded passages"), N_("Memos"), N_("Journal entries"),
    N_("Themes"), N_("Codes in themes"), N_("Map positions and links"), N_("Cases"), N_("Attributes"),
    N_("Resolved disagreements"),
  };
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, _("Merging “%s” (%s)\n"), plan->other_title, plan->other_path);
  if (tsr_merge_plan_is_empty (plan))
    g_string_append (out, _("Nothing to add: everything in it is already in this project.\n"));

  g_string_append_printf (out, "\n%-26s %8s %8s %8s %8s\n", "", _("add"), _("here"), _("conflict"), _("left out"));
  for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
    {
      guint *c = plan->counts[k];

      if (c[0] + c[1] + c[2] + c[3] == 0)
        continue;
      g_string_append_printf (out, "%-26s %8u %8u %8u %8u\n", _(kind_labels[k]), c[TSR_MERGE_ADD],
                              c[TSR_MERGE_MATCH], c[TSR_MERGE_CONFLICT], c[TSR_MERGE_SKIP]);
    }

  if (plan->notes->len > 0)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < plan->notes->len; i++)
    {
      Note *n = &g_array_index (plan->notes, Note, i);
      const char *mark = n->action == TSR_MERGE_ADD ? "+" : n->action == TSR_MERGE_MATCH ? "="
                       : n->action == TSR_MERGE_CONFLICT ? "!" : "-";

      g_string_append_printf (out, "%s %s\n", mark, n->text);
    }
  return g_string_free (out, FALSE);
}
