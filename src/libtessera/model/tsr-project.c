/* tsr-project.c — an open Tessera project and every edit made to it
 *
 * Every edit goes through one operations layer: op_begin() opens a
 * (nested) transaction and, at the outermost level, an SQLite session
 * that records every row the edit touches — cascades included.  op_end()
 * stores the session's changeset in the history table with the coder and
 * the time, commits, and tells the views what changed.  Undo applies the
 * inverted changeset, redo the changeset itself, so every kind of edit can
 * be undone the same way and an undo survives closing the project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-entities-private.h"
#include "tsr-entity-list-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"
#include "tsr-text-import.h"

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

G_DEFINE_FINAL_TYPE (TsrProject, tsr_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_TITLE,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_CURRENT_CODER,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const default_colors[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac",
  "#986a44", "#26a269", "#1c71d8", "#c64600", "#a51d2d", "#613583",
};

/* Helpers ------------------------------------------------------------ */

static gint64
now_us (void)
{
  return g_get_real_time ();
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return g_strdup (s ? s : "");
}

static gboolean
check_name (const char  *name,
            const char  *what,
            GError     **error)
{
  const char *p;

  for (p = name; p != NULL && *p != '\0' && g_ascii_isspace (*p); p++)
    ;
  if (p == NULL || *p == '\0')
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, _("A %s needs a name"), what);
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, _("The name is not valid text"));
      return FALSE;
    }
  return TRUE;
}

static char *
clean_name (const char *name)
{
  return g_strstrip (g_strdup (name));
}

static gboolean
valid_color (const char *color)
{
  if (color == NULL || color[0] != '#' || strlen (color) != 7)
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static void
not_found (GError     **error,
           const char  *what,
           gint64       id)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
               _("The %s (id %" G_GINT64_FORMAT ") does not exist"), what, id);
}

/* Change notification ------------------------------------------------ */

static const struct {
  const char *table;
  TsrChange   change;
} table_changes[] = {
  { "project", TSR_CHANGE_PROJECT },
  { "coders", TSR_CHANGE_CODERS },
  { "documents", TSR_CHANGE_DOCUMENTS },
  { "document_texts", TSR_CHANGE_DOCUMENTS },
  { "codes", TSR_CHANGE_CODES },
  { "segments", TSR_CHANGE_SEGMENTS },
  { "themes", TSR_CHANGE_THEMES },
  { "theme_codes", TSR_CHANGE_THEMES },
  { "memos", TSR_CHANGE_MEMOS },
  { "cases", TSR_CHANGE_CASES },
  { "case_documents", TSR_CHANGE_CASES },
  { "attributes", TSR_CHANGE_ATTRIBUTES },
  { "document_attribute_values", TSR_CHANGE_ATTRIBUTES },
  { "case_attribute_values", TSR_CHANGE_ATTRIBUTES },
  { "map_theme_positions", TSR_CHANGE_MAP },
  { "map_code_positions", TSR_CHANGE_MAP },
  { "map_links", TSR_CHANGE_MAP },
  /* Decisions on disagreements go with the consensus coding they make. */
  { "resolutions", TSR_CHANGE_SEGMENTS },
};

static guint
changes_in_changeset (const void *data,
                      int         size)
{
  sqlite3_changeset_iter *iter = NULL;
  guint flags = 0;

  if (sqlite3changeset_start (&iter, size, (void *) data) != SQLITE_OK)
    return TSR_CHANGE_ALL;

  while (sqlite3changeset_next (iter) == SQLITE_ROW)
    {
      const char *table;
      int n_cols, op, indirect;

      sqlite3changeset_op (iter, &table, &n_cols, &op, &indirect);
      for (guint i = 0; i < G_N_ELEMENTS (table_changes); i++)
        if (strcmp (table, table_changes[i].table) == 0)
          flags |= table_changes[i].change;
    }
  sqlite3changeset_finalize (iter);

  return flags;
}

static void refresh_current_coder (TsrProject *self);

static void
reload_project_cache (TsrProject *self)
{
  sqlite3_stmt *stmt;

  stmt = tsr_database_prepare (self->db, "SELECT key, value FROM project", NULL);
  if (stmt == NULL)
    return;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (key, "title") == 0)
        {
          g_free (self->title);
          self->title = dup_column (stmt, 1);
        }
      else if (g_strcmp0 (key, "description") == 0)
        {
          g_free (self->description);
          self->description = dup_column (stmt, 1);
        }
    }
  sqlite3_reset (stmt);
}

static void
notify_changes (TsrProject *self,
                guint       flags)
{
  GHashTableIter iter;
  gpointer value;

  if (flags == 0)
    return;

  if (flags & TSR_CHANGE_PROJECT)
    {
      reload_project_cache (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (flags & (TSR_CHANGE_PROJECT | TSR_CHANGE_CODERS))
    refresh_current_coder (self);

  /* Lists first, so handlers of ::changed see them current.  A view
   * reacting to one list may open or drop others (a tree opening a
   * branch), so the lists are gathered before any is reloaded. */
  {
    g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_object_unref);

    g_hash_table_iter_init (&iter, self->models);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (tsr_entity_list_get_change_mask (value) & flags)
        g_ptr_array_add (lists, g_object_ref (value));

    for (guint i = 0; i < lists->len; i++)
      tsr_entity_list_reload (lists->pdata[i]);
  }

  g_signal_emit (self, signals[CHANGED], 0, flags);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* The operations layer ----------------------------------------------- */

static int
session_table_filter (void       *user_data,
                      const char *table)
{
  TsrProject *self = user_data;

  /* The history records edits; it is not itself an edit.  Coders are
   * identities that edits refer to, added outside the history, except
   * in an edit that brings in other coders' work wholesale (a merge),
   * whose undo takes them away again with everything they did. */
  if (strcmp (table, "coders") == 0)
    return self->op_with_coders;
  return strcmp (table, "history") != 0;
}

static gboolean
op_begin (TsrProject  *self,
          guint        flags,
          const char  *kind,
          char        *description,   /* owned */
          GError     **error)
{
  g_autofree char *owned_description = description;

  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }

  if (!tsr_database_begin (self->db, error))
    return FALSE;

  if (self->op_depth == 0)
    {
      self->op_flags = 0;
      g_free (self->op_kind);
      g_free (self->op_description);
      self->op_kind = g_strdup (kind);
      self->op_description = g_steal_pointer (&owned_description);
      self->op_with_coders = FALSE;

      if (self->history_enabled)
        {
          sqlite3 *db = tsr_database_get_handle (self->db);

          if (sqlite3session_create (db, "main", &self->session) != SQLITE_OK)
            {
              tsr_database_set_error (self->db, error, "session");
              tsr_database_rollback (self->db);
              return FALSE;
            }
          sqlite3session_table_filter (self->session, session_table_filter, self);
          sqlite3session_attach (self->session, NULL);
        }
    }

  self->op_depth++;
  self->op_flags |= flags;
  return TRUE;
}

static gboolean
record_history (TsrProject  *self,
                const void  *changeset,
                int          size,
                GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *uuid = g_uuid_string_random ();

  stmt = tsr_database_prepare (self->db,
                               "UPDATE history SET state = 'discarded' WHERE state = 'undone'",
                               error);
  if (stmt == NULL || !tsr_database_run (self->db, stmt, error))
    return FALSE;

  stmt = tsr_database_prepare (self->db,
                               "INSERT INTO history (uuid, time, coder_id, coder_name, kind, description, changeset)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_us ());
  if (self->current_coder != NULL)
    {
      sqlite3_bind_int64 (stmt, 3, tsr_entity_get_id (TSR_ENTITY (self->current_coder)));
      sqlite3_bind_text (stmt, 4, self->current_coder->name, -1, SQLITE_TRANSIENT);
    }
  else
    {
      sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, "", -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 5, self->op_kind ? self->op_kind : "edit", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, self->op_description ? self->op_description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 7, changeset, size, SQLITE_TRANSIENT);

  return tsr_database_run (self->db, stmt, error);
}

/* Ends the edit that op_begin() started.  On failure (@ok is FALSE, or the
 * commit fails) everything since the matching op_begin() is rolled back. */
static gboolean
op_end (TsrProject  *self,
        gboolean     ok,
        GError     **error)
{
  g_return_val_if_fail (self->op_depth > 0, FALSE);

  self->op_depth--;

  if (!ok)
    {
      tsr_database_rollback (self->db);
      if (self->op_depth == 0)
        g_clear_pointer (&self->session, sqlite3session_delete);
      return FALSE;
    }

  if (self->op_depth > 0)
    return tsr_database_commit (self->db, error);

  if (self->session != NULL)
    {
      void *changeset = NULL;
      int size = 0;
      int rc;

      rc = sqlite3session_changeset (self->session, &size, &changeset);
      g_clear_pointer (&self->session, sqlite3session_delete);

      if (rc != SQLITE_OK)
        {
          tsr_database_set_error (self->db, error, "changeset");
          tsr_database_rollback (self->db);
          return FALSE;
        }

      if (size > 0 && !record_history (self, changeset, size, error))
        {
          sqlite3_free (changeset);
          tsr_database_rollback (self->db);
          return FALSE;
        }

      if (size == 0)
        self->op_flags = 0;
      sqlite3_free (changeset);
    }

  if (!tsr_database_commit (self->db, error))
    return FALSE;

  notify_changes (self, self->history_enabled ? self->op_flags : TSR_CHANGE_ALL);
  return TRUE;
}

gboolean
_tsr_project_op_begin (TsrProject  *self,
                       guint        flags,
                       const char  *kind,
                       char        *description,
                       GError     **error)
{
  return op_begin (self, flags, kind, description, error);
}

gboolean
_tsr_project_op_end (TsrProject  *self,
                     gboolean     ok,
                     GError     **error)
{
  return op_end (self, ok, error);
}

void
_tsr_project_op_record_coders (TsrProject *self)
{
  g_return_if_fail (self->op_depth > 0);
  self->op_with_coders = TRUE;
  self->op_flags |= TSR_CHANGE_CODERS;
}

/* Runs @stmt (already bound) as part of the current edit. */
static gboolean
run (TsrProject    *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  return tsr_database_run (self->db, stmt, error);
}

static sqlite3_stmt *
prepare (TsrProject  *self,
         const char  *sql,
         GError     **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  return tsr_database_prepare (self->db, sql, error);
}

/* Runs a statement whose one parameter is an id, as part of the current edit. */
static gboolean
run_with_id (TsrProject  *self,
             const char  *sql,
             gint64       id,
             GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return run (self, stmt, error);
}

static gint64
last_insert_id (TsrProject *self)
{
  return sqlite3_last_insert_rowid (tsr_database_get_handle (self->db));
}

static int
changes (TsrProject *self)
{
  return sqlite3_changes (tsr_database_get_handle (self->db));
}

/* Returns the single integer a query yields, or @fallback. */
static gint64
query_int (TsrProject *self,
           const char *sql,
           gint64      arg,
           gint64      fallback)
{
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 ret = fallback;

  if (stmt == NULL)
    return fallback;
  if (strchr (sql, '?') != NULL)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}

static gboolean
row_exists (TsrProject *self,
            const char *table,
            gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", table);
  return query_int (self, sql, id, 0) == 1;
}

/* The palette colour the fewest codes have, the first such in palette
 * order: a new code stands apart from the others however the earlier
 * ones were coloured, deleted or imported. */
static const char *
least_used_color (TsrProject *self)
{
  guint uses[G_N_ELEMENTS (default_colors)] = { 0, };
  sqlite3_stmt *stmt = prepare (self, "SELECT lower (color), count (*) FROM codes GROUP BY lower (color)", NULL);
  guint best = 0;

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *color = (const char *) sqlite3_column_text (stmt, 0);

      for (guint i = 0; color != NULL && i < G_N_ELEMENTS (default_colors); i++)
        if (g_str_equal (color, default_colors[i]))
          uses[i] = sqlite3_column_int (stmt, 1);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  for (guint i = 1; i < G_N_ELEMENTS (default_colors); i++)
    if (uses[i] < uses[best])
      best = i;
  return default_colors[best];
}

/* GObject ------------------------------------------------------------ */

static void unref_models_weakly (TsrProject *self);

static void
detach_model (gpointer data)
{
  tsr_entity_list_detach (data);
}

static void
tsr_project_dispose (GObject *object)
{
  TsrProject *self = (TsrProject *)object;

  if (self->db != NULL)
    tsr_project_close (self, NULL);

  G_OBJECT_CLASS (tsr_project_parent_class)->dispose (object);
}

static void
tsr_project_finalize (GObject *object)
{
  TsrProject *self = (TsrProject *)object;

  unref_models_weakly (self);
  g_clear_pointer (&self->models, g_hash_table_unref);
  g_clear_object (&self->current_coder);
  g_clear_object (&self->db);
  g_free (self->path);
  g_free (self->title);
  g_free (self->description);
  g_free (self->op_kind);
  g_free (self->op_description);

  G_OBJECT_CLASS (tsr_project_parent_class)->finalize (object);
}

static void
tsr_project_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TsrProject *self = TSR_PROJECT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, tsr_project_get_path (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, tsr_project_get_title (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, tsr_project_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, tsr_project_can_redo (self));
      break;
    case PROP_CURRENT_CODER:
      g_value_set_object (value, self->current_coder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_project_class_init (TsrProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsr_project_dispose;
  object_class->finalize = tsr_project_finalize;
  object_class->get_property = tsr_project_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_CODER] =
    g_param_spec_object ("current-coder", NULL, NULL, TSR_TYPE_CODER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsrProject::changed:
   * @flags: the #TsrChange flags of what changed
   *
   * Emitted after an edit, an undo or a redo has been committed, once the
   * project's list models are current.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tsr_project_init (TsrProject *self)
{
  self->history_enabled = TRUE;
  self->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Opening and closing ------------------------------------------------ */

static TsrProject *
project_new (TsrDatabase *db)
{
  TsrProject *self = g_object_new (TSR_TYPE_PROJECT, NULL);

  self->db = db;
  self->path = g_strdup (tsr_database_get_path (db));
  reload_project_cache (self);
  refresh_current_coder (self);
  return self;
}

static gboolean
set_meta (TsrProject  *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO project (key, value) VALUES (?, ?)"
                                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return run (self, stmt, error);
}

/**
 * tsr_project_create:
 * @path: where to create the project; the file must not exist
 *
 * Creates a new, empty project.
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
TsrProject *
tsr_project_create (const char  *path,
                    GError     **error)
{
  g_autoptr(TsrProject) self = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *created = NULL;
  g_autofree char *title = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TsrDatabase *db;

  g_return_val_if_fail (path != NULL, NULL);

  db = tsr_database_open (path, TSR_DATABASE_CREATE, error);
  if (db == NULL)
    return NULL;

  self = project_new (db);
  basename = g_path_get_basename (path);
  title = g_str_has_suffix (basename, ".tessera")
    ? g_strndup (basename, strlen (basename) - strlen (".tessera"))
    : g_strdup (basename);
  created = g_date_time_format_iso8601 (now);

  if (!tsr_database_begin (db, error))
    return NULL;
  if (!set_meta (self, "uuid", uuid, error) ||
      !set_meta (self, "title", title, error) ||
      !set_meta (self, "description", "", error) ||
      !set_meta (self, "created", created, error))
    {
      tsr_database_rollback (db);
      return NULL;
    }
  if (!tsr_database_commit (db, error))
    return NULL;

  reload_project_cache (self);
  return g_steal_pointer (&self);
}

/**
 * tsr_project_open:
 * @path: the project file
 *
 * Opens a project.  A file from a newer Tessera, a file that is not a
 * project, and a damaged file are refused with a clear error and left
 * unchanged.
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
TsrProject *
tsr_project_open (const char  *path,
                  GError     **error)
{
  TsrDatabase *db;
  TsrProject *self;

  g_return_val_if_fail (path != NULL, NULL);

  db = tsr_database_open (path, TSR_DATABASE_OPEN_EXISTING, error);
  if (db == NULL)
    return NULL;

  self = project_new (db);
  if (self->title == NULL)
    {
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project “%s” is damaged: it has no title"), name);
      g_object_unref (self);
      return NULL;
    }
  return self;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TsrProject *project = tsr_project_open (task_data, &error);

  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

/**
 * tsr_project_open_async:
 *
 * Opens a project in a worker thread.  The project may be used from the
 * calling thread once tsr_project_open_finish() returns it.
 */
void
tsr_project_open_async (const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsr_project_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * tsr_project_open_finish:
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
TsrProject *
tsr_project_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tsr_project_close:
 *
 * Closes the project's file, leaving one file on disk.  The project's
 * objects stay usable as snapshots; edits fail.
 */
gboolean
tsr_project_close (TsrProject  *self,
                   GError     **error)
{
  GHashTableIter iter;
  gpointer value;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (self->db == NULL)
    return TRUE;

  g_clear_pointer (&self->session, sqlite3session_delete);

  g_hash_table_iter_init (&iter, self->models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    detach_model (value);

  ok = tsr_database_close (self->db, error);
  g_clear_object (&self->db);
  return ok;
}

const char *
tsr_project_get_path (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return self->path;
}

const char *
tsr_project_get_title (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return self->title;
}

const char *
tsr_project_get_description (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return self->description ? self->description : "";
}

gboolean
tsr_project_set_title (TsrProject  *self,
                       const char  *title,
                       GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_name (title, _("project"), error))
    return FALSE;
  clean = clean_name (title);

  if (!op_begin (self, TSR_CHANGE_PROJECT, "project.title",
                 g_strdup_printf (_("Rename project to “%s”"), clean), error))
    return FALSE;
  return op_end (self, set_meta (self, "title", clean, error), error);
}

gboolean
tsr_project_set_description (TsrProject  *self,
                             const char  *description,
                             GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!op_begin (self, TSR_CHANGE_PROJECT, "project.description",
                 g_strdup (_("Edit project description")), error))
    return FALSE;
  return op_end (self, set_meta (self, "description", description ? description : "", error), error);
}

/**
 * tsr_project_check_integrity:
 *
 * Runs SQLite's integrity and foreign key checks.
 */
gboolean
tsr_project_check_integrity (TsrProject  *self,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *result = NULL;
  gboolean fk_ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  stmt = prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = dup_column (stmt, 0);
  sqlite3_reset (stmt);

  stmt = prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return FALSE;
  fk_ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_reset (stmt);

  if (g_strcmp0 (result, "ok") != 0 || !fk_ok)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project is damaged: %s"),
                   result && g_strcmp0 (result, "ok") != 0 ? result : _("broken references"));
      return FALSE;
    }
  return TRUE;
}

guint
tsr_project_schema_version (void)
{
  return tsr_database_schema_version ();
}

TsrDatabase *
_tsr_project_get_database (TsrProject *self)
{
  return self->db;
}

void
_tsr_project_reload (TsrProject *self)
{
  reload_project_cache (self);
  notify_changes (self, TSR_CHANGE_ALL);
}

/* Live models -------------------------------------------------------- */

static void
on_model_finalized (gpointer  data,
                    GObject  *where_the_object_was)
{
  TsrProject *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

static GListModel *
get_model (TsrProject          *self,
           const char          *kind,
           gint64               key,
           GType                item_type,
           TsrEntityListLoader  loader,
           guint                change_mask)
{
  g_autofree char *name = g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, key);
  TsrEntityList *model = g_hash_table_lookup (self->models, name);

  if (model != NULL)
    return G_LIST_MODEL (g_object_ref (model));

  model = tsr_entity_list_new (item_type, loader, self, key, change_mask);
  if (self->db == NULL)
    tsr_entity_list_detach (model);
  g_hash_table_insert (self->models, g_steal_pointer (&name), model);
  g_object_weak_ref (G_OBJECT (model), on_model_finalized, self);
  return G_LIST_MODEL (model);
}

static void
unref_models_weakly (TsrProject *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->models);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (value, on_model_finalized, self);
}

/* Row readers -------------------------------------------------------- */

#define CODER_COLUMNS "id, uuid, name, is_consensus"

static TsrCoder *
read_coder (sqlite3_stmt *stmt)
{
  TsrCoder *coder = _tsr_entity_new (TSR_TYPE_CODER, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  coder->name = dup_column (stmt, 2);
  coder->is_consensus = sqlite3_column_int (stmt, 3);
  return coder;
}

#define DOCUMENT_COLUMNS "id, uuid, name, source, content_hash, length, is_read, created"

static TsrDocument *
read_document (sqlite3_stmt *stmt)
{
  TsrDocument *doc = _tsr_entity_new (TSR_TYPE_DOCUMENT, sqlite3_column_int64 (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1));
  doc->name = dup_column (stmt, 2);
  doc->source = dup_column (stmt, 3);
  doc->content_hash = dup_column (stmt, 4);
  doc->length = sqlite3_column_int (stmt, 5);
  doc->read = sqlite3_column_int (stmt, 6);
  doc->created = sqlite3_column_int64 (stmt, 7);
  return doc;
}

#define CODE_COLUMNS \
  "c.id, c.uuid, c.parent_id, c.name, c.color, c.definition, c.position," \
  " (SELECT count(*) FROM codes k WHERE k.parent_id = c.id)"

static TsrCode *
read_code (sqlite3_stmt *stmt)
{
  TsrCode *code = _tsr_entity_new (TSR_TYPE_CODE, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  code->parent_id = sqlite3_column_int64 (stmt, 2);
  code->name = dup_column (stmt, 3);
  code->color = dup_column (stmt, 4);
  code->definition = dup_column (stmt, 5);
  code->position = sqlite3_column_int (stmt, 6);
  code->n_children = sqlite3_column_int (stmt, 7);
  return code;
}

#define SEGMENT_COLUMNS \
  "id, uuid, document_id, code_id, coder_id, start, end, text, exemplar, created"

static TsrSegment *
read_segment (sqlite3_stmt *stmt)
{
  TsrSegment *seg = _tsr_entity_new (TSR_TYPE_SEGMENT, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  seg->document_id = sqlite3_column_int64 (stmt, 2);
  seg->code_id = sqlite3_column_int64 (stmt, 3);
  seg->coder_id = sqlite3_column_int64 (stmt, 4);
  seg->start = sqlite3_column_int (stmt, 5);
  seg->end = sqlite3_column_int (stmt, 6);
  seg->text = dup_column (stmt, 7);
  seg->exemplar = sqlite3_column_int (stmt, 8);
  seg->created = sqlite3_column_int64 (stmt, 9);
  return seg;
}

#define THEME_COLUMNS \
  "id, uuid, parent_id, name, definition, scope_notes, narrative, status, position"

static TsrTheme *
read_theme (sqlite3_stmt *stmt)
{
  TsrTheme *theme = _tsr_entity_new (TSR_TYPE_THEME, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  theme->parent_id = sqlite3_column_int64 (stmt, 2);
  theme->name = dup_column (stmt, 3);
  theme->fields[TSR_THEME_FIELD_DEFINITION] = dup_column (stmt, 4);
  theme->fields[TSR_THEME_FIELD_SCOPE_NOTES] = dup_column (stmt, 5);
  theme->fields[TSR_THEME_FIELD_NARRATIVE] = dup_column (stmt, 6);
  if (!tsr_theme_status_from_string ((const char *) sqlite3_column_text (stmt, 7), &theme->status))
    theme->status = TSR_THEME_CANDIDATE;
  theme->position = sqlite3_column_int (stmt, 8);
  return theme;
}

#define MEMO_COLUMNS \
  "id, uuid, kind, coalesce (document_id, segment_id, code_id, theme_id, 0)," \
  " coalesce (coder_id, 0), date, text, modified"

static const char * const memo_kind_names[] = { "journal", "document", "segment", "code", "theme" };

static TsrMemo *
read_memo (sqlite3_stmt *stmt)
{
  TsrMemo *memo = _tsr_entity_new (TSR_TYPE_MEMO, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  const char *kind = (const char *) sqlite3_column_text (stmt, 2);

  for (guint i = 0; i < G_N_ELEMENTS (memo_kind_names); i++)
    if (g_strcmp0 (kind, memo_kind_names[i]) == 0)
      memo->kind = i;
  memo->target_id = sqlite3_column_int64 (stmt, 3);
  memo->coder_id = sqlite3_column_int64 (stmt, 4);
  memo->date = dup_column (stmt, 5);
  memo->text = dup_column (stmt, 6);
  memo->modified = sqlite3_column_int64 (stmt, 7);
  return memo;
}

static TsrCase *
read_case (sqlite3_stmt *stmt)
{
  TsrCase *c = _tsr_entity_new (TSR_TYPE_CASE, sqlite3_column_int64 (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1));
  c->name = dup_column (stmt, 2);
  c->description = dup_column (stmt, 3);
  return c;
}

static TsrAttribute *
read_attribute (sqlite3_stmt *stmt)
{
  TsrAttribute *a = _tsr_entity_new (TSR_TYPE_ATTRIBUTE, sqlite3_column_int64 (stmt, 0),
                                     (const char *) sqlite3_column_text (stmt, 1));
  a->target = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "case") == 0
    ? TSR_ATTRIBUTE_ON_CASES : TSR_ATTRIBUTE_ON_DOCUMENTS;
  a->name = dup_column (stmt, 3);
  _tsr_attribute_type_from_string ((const char *) sqlite3_column_text (stmt, 4), &a->type);
  return a;
}

static TsrMapLink *
read_map_link (sqlite3_stmt *stmt)
{
  TsrMapLink *l = _tsr_entity_new (TSR_TYPE_MAP_LINK, sqlite3_column_int64 (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1));
  l->from_theme = sqlite3_column_int64 (stmt, 2);
  l->to_theme = sqlite3_column_int64 (stmt, 3);
  l->label = dup_column (stmt, 4);
  return l;
}

/* A CTE "tree (id, sort)" over a tree table whose sort key puts parents
 * before their children and siblings in order; join it to list a tree. */
#define TREE_ORDER(table) \
  "WITH RECURSIVE tree (id, sort) AS (" \
  "  SELECT id, printf ('%08d.%012d', position, id) FROM " table " WHERE parent_id IS NULL" \
  "  UNION ALL" \
  "  SELECT x.id, tree.sort || '/' || printf ('%08d.%012d', x.position, x.id)" \
  "  FROM " table " x JOIN tree ON x.parent_id = tree.id" \
  ") "

typedef gpointer (*RowReader) (sqlite3_stmt *stmt);

/* Runs @sql with an optional integer parameter and reads every row. */
static GPtrArray *
load_rows (TsrProject  *self,
           const char  *sql,
           gboolean     bind_key,
           gint64       key,
           RowReader    reader,
           GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = prepare (self, sql, error);
  gboolean has_row;

  if (stmt == NULL)
    return NULL;
  if (bind_key)
    {
      if (key == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, key);
    }

  for (;;)
    {
      if (!tsr_database_step_row (self->db, stmt, &has_row, error))
        return NULL;
      if (!has_row)
        break;
      g_ptr_array_add (rows, reader (stmt));
    }
  return g_steal_pointer (&rows);
}

static gpointer
lookup_one (TsrProject *self,
            const char *sql,
            gint64      id,
            const char *text,
            RowReader   reader)
{
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gpointer ret = NULL;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = reader (stmt);
  sqlite3_reset (stmt);
  return ret;
}

/* Looks up an entity that an edit needs, failing with a clear error. */
static TsrDocument *
require_document (TsrProject  *self,
                  gint64       id,
                  GError     **error)
{
  TsrDocument *doc = tsr_project_lookup_document (self, id);

  if (doc == NULL)
    not_found (error, _("document"), id);
  return doc;
}

static TsrCode *
require_code (TsrProject  *self,
              gint64       id,
              GError     **error)
{
  TsrCode *code = tsr_project_lookup_code (self, id);

  if (code == NULL)
    not_found (error, _("code"), id);
  return code;
}

static TsrTheme *
require_theme (TsrProject  *self,
               gint64       id,
               GError     **error)
{
  TsrTheme *theme = tsr_project_lookup_theme (self, id);

  if (theme == NULL)
    not_found (error, _("theme"), id);
  return theme;
}

/* Coders ------------------------------------------------------------- */

static GPtrArray *
load_coders (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT " CODER_COLUMNS " FROM coders ORDER BY is_consensus, name COLLATE NOCASE",
                    FALSE, 0, (RowReader) read_coder, error);
}

/**
 * tsr_project_get_coders:
 *
 * Returns: (transfer full): a live list of #TsrCoder, the consensus coder last
 */
GListModel *
tsr_project_get_coders (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "coders", 0, TSR_TYPE_CODER, load_coders, TSR_CHANGE_CODERS);
}

/**
 * tsr_project_lookup_coder:
 *
 * Returns: (transfer full) (nullable): the coder
 */
TsrCoder *
tsr_project_lookup_coder (TsrProject *self,
                          gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE id = ?", id, NULL,
                     (RowReader) read_coder);
}

/**
 * tsr_project_find_coder:
 *
 * Returns: (transfer full) (nullable): the coder of that name
 */
TsrCoder *
tsr_project_find_coder (TsrProject *self,
                        const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE name = ?", 0, name,
                     (RowReader) read_coder);
}

static TsrCoder *
ensure_coder (TsrProject  *self,
              const char  *name,
              gboolean     consensus,
              GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  TsrCoder *coder;
  gboolean ok;

  if (!check_name (name, _("coder"), error))
    return NULL;
  clean = clean_name (name);

  coder = tsr_project_find_coder (self, clean);
  if (coder != NULL)
    {
      if (coder->is_consensus != consensus)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                       consensus ? _("“%s” is already the name of a coder")
                                 : _("“%s” is the name of the consensus coding"),
                       clean);
          g_object_unref (coder);
          return NULL;
        }
      return coder;
    }

  /* Coders are identities, not edits: adding one is not an undoable step
   * (undoing it would orphan the edits made in that name). */
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO coders (uuid, name, is_consensus, created) VALUES (?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, consensus);
      sqlite3_bind_int64 (stmt, 4, now_us ());
      ok = tsr_database_begin (self->db, error);
      if (ok)
        {
          if (run (self, stmt, error))
            ok = tsr_database_commit (self->db, error);
          else
            {
              tsr_database_rollback (self->db);
              ok = FALSE;
            }
        }
    }
  if (!ok)
    return NULL;
  if (self->op_depth == 0)
    notify_changes (self, TSR_CHANGE_CODERS);
  else
    self->op_flags |= TSR_CHANGE_CODERS;

  return tsr_project_find_coder (self, clean);
}

/**
 * tsr_project_ensure_coder:
 * @name: the coder's name
 *
 * Finds the coder of that name, adding them if they are new.
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_ensure_coder (TsrProject  *self,
                          const char  *name,
                          GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return ensure_coder (self, name, FALSE, error);
}

/**
 * tsr_project_get_consensus_coder:
 *
 * The coder that holds the reconciled coding, added when first needed.
 *
 * Returns: (transfer full): the consensus coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_get_consensus_coder (TsrProject  *self,
                                 GError     **error)
{
  TsrCoder *coder;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  coder = lookup_one (self, "SELECT " CODER_COLUMNS " FROM coders WHERE is_consensus = 1 ORDER BY id LIMIT ?",
                      1, NULL, (RowReader) read_coder);
  if (coder != NULL)
    return coder;
  return ensure_coder (self, _("Consensus"), TRUE, error);
}

/**
 * tsr_project_set_current_coder:
 *
 * Sets whose edits these are for as long as the project is open: every
 * segment and memo made from now on, and every history entry, names this
 * coder.  Nothing is remembered in the file (see
 * tsr_project_confirm_coder() for that); `tessera-cli --coder` uses this.
 */
gboolean
tsr_project_set_current_coder (TsrProject  *self,
                               gint64       coder_id,
                               GError     **error)
{
  TsrCoder *coder;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  coder = tsr_project_lookup_coder (self, coder_id);
  if (coder == NULL)
    {
      not_found (error, _("coder"), coder_id);
      return FALSE;
    }
  g_clear_object (&self->current_coder);
  self->current_coder = coder;
  self->coder_confirmed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
  return TRUE;
}

/**
 * tsr_project_get_current_coder:
 *
 * Returns: (transfer none) (nullable): the current coder
 */
TsrCoder *
tsr_project_get_current_coder (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return self->current_coder;
}

/**
 * tsr_project_get_coder_confirmed:
 *
 * Whether someone said who is coding: the coder was remembered for this
 * account in the project file, chosen with tsr_project_confirm_coder()
 * or tsr_project_switch_coder(), or set with
 * tsr_project_set_current_coder().  %FALSE while nobody is coding yet,
 * and after a first edit made under a stand-in coder that waits for a
 * name (see tsr_project_confirm_coder()).
 */
gboolean
tsr_project_get_coder_confirmed (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->current_coder != NULL && self->coder_confirmed;
}

/**
 * tsr_coder_dup_default_name:
 *
 * The name to propose to someone who starts coding: their real name, else
 * their login name — but never a system account's ("root"), which names
 * no one.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when there is
 *   none worth proposing
 */
char *
tsr_coder_dup_default_name (void)
{
  const char *real_name = g_get_real_name ();
  const char *user_name = g_get_user_name ();

  /* GLib says "Unknown" when the system has no real name. */
  if (real_name != NULL && real_name[0] != '\0' &&
      g_strcmp0 (real_name, "Unknown") != 0 && g_strcmp0 (real_name, "root") != 0)
    return g_strdup (real_name);
  if (user_name != NULL && user_name[0] != '\0' && g_strcmp0 (user_name, "root") != 0)
    return g_strdup (user_name);
  return NULL;
}

/* The project key under which the coder of this login on this machine is
 * remembered.  Per account, not per file: a project copied to a second
 * coder must not make them code silently under the first coder's name. */
static char *
dup_account_key (void)
{
  return g_strdup_printf ("coder:%s@%s", g_get_user_name (), g_get_host_name ());
}

static gint64
lookup_remembered_coder_id (TsrProject *self)
{
  g_autofree char *key = dup_account_key ();
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = prepare (self, "SELECT c.id FROM project p JOIN coders c ON c.uuid = p.value"
                        " WHERE p.key = ? AND c.is_consensus = 0", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/**
 * tsr_project_get_remembered_coder:
 *
 * Returns: (transfer full) (nullable): the coder remembered in the project
 *   file for this account, who codes whenever the project is opened here
 */
TsrCoder *
tsr_project_get_remembered_coder (TsrProject *self)
{
  gint64 id;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  id = lookup_remembered_coder_id (self);
  return id != 0 ? tsr_project_lookup_coder (self, id) : NULL;
}

static gboolean
remember_coder (TsrProject  *self,
                TsrCoder    *coder,
                GError     **error)
{
  g_autofree char *key = dup_account_key ();

  return set_meta (self, key, tsr_entity_get_uuid (TSR_ENTITY (coder)), error);
}

/* Brings the current coder up to date after the coders or the remembered
 * coder changed (an edit, an undo, a redo): a newly remembered coder takes
 * over, a renamed one is read again, one taken away is no longer coding. */
static void
refresh_current_coder (TsrProject *self)
{
  gint64 remembered = self->db != NULL ? lookup_remembered_coder_id (self) : 0;
  gint64 old_id = self->current_coder ? tsr_entity_get_id (TSR_ENTITY (self->current_coder)) : 0;
  g_autofree char *old_name = self->current_coder ? g_strdup (self->current_coder->name) : NULL;
  gint64 id = old_id;

  if (self->db == NULL)
    return;

  if (remembered != self->remembered_coder_id)
    {
      self->remembered_coder_id = remembered;
      if (remembered != 0)
        {
          id = remembered;
          self->coder_confirmed = TRUE;
        }
    }

  g_clear_object (&self->current_coder);
  if (id != 0)
    self->current_coder = tsr_project_lookup_coder (self, id);
  if (self->current_coder == NULL)
    self->coder_confirmed = FALSE;

  if (id != old_id || self->current_coder == NULL ||
      g_strcmp0 (old_name, self->current_coder->name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
}

/* The coder an edit is recorded under.  When nobody said who is coding,
 * a stand-in coder of its own (never someone else's identity, never the
 * login "root") takes the edit and waits, unconfirmed, for the name that
 * tsr_project_confirm_coder() gives it. */
static gint64
current_coder_id (TsrProject  *self,
                  GError     **error)
{
  if (self->current_coder == NULL)
    {
      g_autofree char *proposed = tsr_coder_dup_default_name ();
      g_autofree char *name = NULL;
      g_autoptr(TsrCoder) coder = NULL;

      if (proposed == NULL)
        proposed = g_strdup (_("Unnamed coder"));
      name = g_strdup (proposed);
      for (guint i = 2; (coder = tsr_project_find_coder (self, name)) != NULL; i++)
        {
          g_clear_object (&coder);
          g_free (name);
          /* TRANSLATORS: a coder's name made unique, "Unnamed coder 2" */
          name = g_strdup_printf (C_("coder name", "%s %u"), proposed, i);
        }
      coder = ensure_coder (self, name, FALSE, error);
      if (coder == NULL)
        return 0;
      self->current_coder = g_steal_pointer (&coder);
      self->coder_confirmed = FALSE;
      self->stand_in_coder_id = tsr_entity_get_id (TSR_ENTITY (self->current_coder));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
    }
  return tsr_entity_get_id (TSR_ENTITY (self->current_coder));
}

static gboolean
check_coder_name_free (TsrProject  *self,
                       const char  *name,
                       gint64       except_id,
                       GError     **error)
{
  g_autoptr(TsrCoder) other = tsr_project_find_coder (self, name);

  if (other != NULL && tsr_entity_get_id (TSR_ENTITY (other)) != except_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   other->is_consensus ? _("“%s” is the name of the consensus coding")
                                       : _("“%s” is already the name of a coder in this project"),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* Gives the stand-in coder's edits to @target: every segment, memo and
 * history entry, then removes the stand-in.  One undoable edit, so the
 * history's changesets stay true to the rows they describe. */
static gboolean
hand_over_stand_in (TsrProject  *self,
                    gint64       stand_in_id,
                    TsrCoder    *target,
                    GError     **error)
{
  gint64 target_id = tsr_entity_get_id (TSR_ENTITY (target));
  static const char * const moves[] = {
    "UPDATE segments SET coder_id = ?2 WHERE coder_id = ?1",
    "UPDATE memos SET coder_id = ?2 WHERE coder_id = ?1",
    "UPDATE resolutions SET resolved_by = ?2 WHERE resolved_by = ?1",
  };
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!op_begin (self, TSR_CHANGE_CODERS | TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS | TSR_CHANGE_PROJECT,
                 "coder.choose", g_strdup_printf (_("Code as “%s”"), target->name), error))
    return FALSE;
  self->op_with_coders = TRUE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (moves); i++)
    {
      ok = (stmt = prepare (self, moves[i], error)) != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, stand_in_id);
          sqlite3_bind_int64 (stmt, 2, target_id);
          ok = run (self, stmt, error);
        }
    }
  /* The history is not an edit: its names follow without being recorded. */
  if (ok && (ok = (stmt = prepare (self, "UPDATE history SET coder_id = ?2, coder_name = ?3"
                                         " WHERE coder_id = ?1", error)) != NULL))
    {
      sqlite3_bind_int64 (stmt, 1, stand_in_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      sqlite3_bind_text (stmt, 3, target->name, -1, SQLITE_TRANSIENT);
      ok = run (self, stmt, error);
    }
  ok = ok && run_with_id (self, "DELETE FROM coders WHERE id = ?", stand_in_id, error);
  ok = ok && remember_coder (self, target, error);
  if (ok)
    {
      g_clear_object (&self->current_coder);
      self->current_coder = g_object_ref (target);
      self->coder_confirmed = TRUE;
      self->remembered_coder_id = target_id;
    }
  return op_end (self, ok, error);
}

/**
 * tsr_project_confirm_coder:
 * @name: who is coding
 *
 * Answers "who is coding?" for this account: makes @name the current
 * coder and remembers it in the project file, so that the question is
 * not asked again here.  When edits were already made under a stand-in
 * (see tsr_project_get_coder_confirmed()), they become @name's: the
 * stand-in is renamed, or, when @name is a coder the project already
 * has, its edits are handed over to them in one undoable step.
 * Otherwise the coder is found or added; choosing who codes is not an
 * edit of the data and is not undone.
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_confirm_coder (TsrProject  *self,
                           const char  *name,
                           GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(TsrCoder) existing = NULL;
  gint64 stand_in = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!check_name (name, _("coder"), error))
    return NULL;
  clean = clean_name (name);
  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }

  if (self->current_coder != NULL && !self->coder_confirmed &&
      tsr_entity_get_id (TSR_ENTITY (self->current_coder)) == self->stand_in_coder_id)
    stand_in = self->stand_in_coder_id;

  existing = tsr_project_find_coder (self, clean);
  if (existing != NULL && existing->is_consensus)
    {
      check_coder_name_free (self, clean, 0, error);
      return NULL;
    }

  if (stand_in != 0 && existing != NULL && tsr_entity_get_id (TSR_ENTITY (existing)) != stand_in)
    {
      if (!hand_over_stand_in (self, stand_in, existing, error))
        return NULL;
      self->stand_in_coder_id = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
      return g_object_ref (existing);
    }

  if (!tsr_database_begin (self->db, error))
    return NULL;
  if (stand_in != 0 && existing == NULL)
    {
      /* The stand-in was never anyone else: it takes the name, and its
       * history entries with it.  Its changesets do not hold coder names,
       * so they stay true. */
      sqlite3_stmt *stmt = prepare (self, "UPDATE coders SET name = ? WHERE id = ?", error);
      gboolean ok = stmt != NULL;

      if (ok)
        {
          sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, stand_in);
          ok = run (self, stmt, error);
        }
      if (ok && (ok = (stmt = prepare (self, "UPDATE history SET coder_name = ? WHERE coder_id = ?", error)) != NULL))
        {
          sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, stand_in);
          ok = run (self, stmt, error);
        }
      if (!ok)
        {
          tsr_database_rollback (self->db);
          return NULL;
        }
      existing = tsr_project_lookup_coder (self, stand_in);
    }
  else if (existing == NULL)
    {
      existing = ensure_coder (self, clean, FALSE, error);
      if (existing == NULL)
        {
          tsr_database_rollback (self->db);
          return NULL;
        }
    }
  if (!remember_coder (self, existing, error))
    {
      tsr_database_rollback (self->db);
      return NULL;
    }
  if (!tsr_database_commit (self->db, error))
    return NULL;

  g_clear_object (&self->current_coder);
  self->current_coder = g_object_ref (existing);
  self->coder_confirmed = TRUE;
  self->stand_in_coder_id = 0;
  self->remembered_coder_id = tsr_entity_get_id (TSR_ENTITY (existing));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
  if (self->op_depth == 0)
    notify_changes (self, TSR_CHANGE_CODERS);
  return g_steal_pointer (&existing);
}

/**
 * tsr_project_rename_coder:
 * @id: the coder
 * @name: their new name
 *
 * Renames a coder: the same identity, with all their coding and memos.
 * An undoable edit.
 */
gboolean
tsr_project_rename_coder (TsrProject  *self,
                          gint64       id,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_name (name, _("coder"), error))
    return FALSE;
  clean = clean_name (name);
  if ((coder = tsr_project_lookup_coder (self, id)) == NULL)
    {
      not_found (error, _("coder"), id);
      return FALSE;
    }
  if (g_strcmp0 (coder->name, clean) == 0)
    return TRUE;
  if (!check_coder_name_free (self, clean, id, error))
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_CODERS, "coder.rename",
                 g_strdup_printf (_("Rename coder “%s” to “%s”"), coder->name, clean), error))
    return FALSE;
  self->op_with_coders = TRUE;
  ok = (stmt = prepare (self, "UPDATE coders SET name = ? WHERE id = ?", error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, id);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

/**
 * tsr_project_switch_coder:
 * @name: who codes from now on
 *
 * Starts coding as another coder — a new one, or one the project already
 * has — and remembers them for this account.  Everyone's coding so far
 * stays theirs.  An undoable edit: undoing it goes back to the coder
 * before (and takes away the coder it added).
 *
 * Returns: (transfer full): the coder, or %NULL with @error set
 */
TsrCoder *
tsr_project_switch_coder (TsrProject  *self,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *clean = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!check_name (name, _("coder"), error))
    return NULL;
  clean = clean_name (name);
  coder = tsr_project_find_coder (self, clean);
  if (coder != NULL && coder->is_consensus)
    {
      check_coder_name_free (self, clean, 0, error);
      return NULL;
    }

  if (!op_begin (self, TSR_CHANGE_CODERS | TSR_CHANGE_PROJECT, "coder.switch",
                 g_strdup_printf (_("Code as “%s”"), clean), error))
    return NULL;
  self->op_with_coders = TRUE;
  if (coder == NULL)
    coder = ensure_coder (self, clean, FALSE, error);
  ok = coder != NULL && remember_coder (self, coder, error);
  if (ok)
    {
      /* The history entry names the coder who starts. */
      g_clear_object (&self->current_coder);
      self->current_coder = g_object_ref (coder);
      self->coder_confirmed = TRUE;
      self->stand_in_coder_id = 0;
    }
  if (!op_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&coder);
}

/* Documents ---------------------------------------------------------- */

static GPtrArray *
load_documents (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT " DOCUMENT_COLUMNS " FROM documents ORDER BY position, id",
                    FALSE, 0, (RowReader) read_document, error);
}

/**
 * tsr_project_get_documents:
 *
 * Returns: (transfer full): a live list of every #TsrDocument, in order
 */
GListModel *
tsr_project_get_documents (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "documents", 0, TSR_TYPE_DOCUMENT, load_documents, TSR_CHANGE_DOCUMENTS);
}

guint
tsr_project_get_n_documents (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  return query_int (self, "SELECT count(*) FROM documents", 0, 0);
}

/**
 * tsr_project_lookup_document:
 *
 * Returns: (transfer full) (nullable): the document
 */
TsrDocument *
tsr_project_lookup_document (TsrProject *self,
                             gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE id = ?", id, NULL,
                     (RowReader) read_document);
}

/**
 * tsr_project_find_document:
 *
 * Returns: (transfer full) (nullable): the first document of that name
 */
TsrDocument *
tsr_project_find_document (TsrProject *self,
                           const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE name = ? ORDER BY position LIMIT 1",
                     0, name, (RowReader) read_document);
}

/**
 * tsr_project_find_document_by_hash:
 *
 * Returns: (transfer full) (nullable): a document with that text
 */
TsrDocument *
tsr_project_find_document_by_hash (TsrProject *self,
                                   const char *content_hash)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE content_hash = ? ORDER BY position LIMIT 1",
                     0, content_hash, (RowReader) read_document);
}

/**
 * tsr_project_get_document_text:
 *
 * Returns: (transfer full): the document's text, or %NULL with @error set
 */
char *
tsr_project_get_document_text (TsrProject  *self,
                               gint64       id,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = prepare (self, "SELECT text FROM document_texts WHERE document_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = dup_column (stmt, 0);
  sqlite3_reset (stmt);

  if (text == NULL)
    not_found (error, _("document"), id);
  return text;
}

static char *
content_hash (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/**
 * tsr_project_add_document:
 * @name: the document's name
 * @text: its text: valid UTF-8 with `\n` line ends
 * @source: (nullable): where it came from (a path), for the record
 *
 * Adds a document at the end of the list.
 *
 * Returns: the new document's id, or 0 with @error set
 */
gint64
tsr_project_add_document (TsrProject  *self,
                          const char  *name,
                          const char  *text,
                          const char  *source,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  if (!check_name (name, _("document"), error))
    return 0;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The text of “%s” is not valid UTF-8"), name);
      return 0;
    }
  if (strchr (text, '\r') != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The text of “%s” has carriage returns; line ends must be normalised"), name);
      return 0;
    }

  clean = clean_name (name);
  uuid = g_uuid_string_random ();
  hash = content_hash (text);

  if (!op_begin (self, TSR_CHANGE_DOCUMENTS, "document.import",
                 g_strdup_printf (_("Import “%s”"), clean), error))
    return 0;

  stmt = prepare (self, "INSERT INTO documents (uuid, name, source, content_hash, length, position, created)"
                        " VALUES (?, ?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM documents), ?)",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, source ? source : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, g_utf8_strlen (text, -1));
      sqlite3_bind_int64 (stmt, 6, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (ok)
    {
      stmt = prepare (self, "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
          ok = run (self, stmt, error);
        }
    }

  if (!op_end (self, ok, error))
    return 0;
  return id;
}

static gboolean
importable_name (const char *basename)
{
  const char *dot = strrchr (basename, '.');
  static const char * const extensions[] = { ".txt", ".text", ".md", ".markdown", NULL };

  if (dot == NULL)
    return TRUE;
  for (guint i = 0; extensions[i]; i++)
    if (g_ascii_strcasecmp (dot, extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tsr_project_import_file:
 * @file: a plain-text or Markdown file
 *
 * Reads, decodes and adds a file as a document named after it.  A file
 * that cannot be read, is empty or is not text is refused with an error
 * naming it, and the project is left unchanged.
 *
 * Returns: the new document's id, or 0 with @error set
 */
gint64
tsr_project_import_file (TsrProject    *self,
                         GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *basename = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  const char *dot;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (G_IS_FILE (file), 0);

  basename = g_file_get_basename (file);
  path = g_file_get_path (file);

  if (!importable_name (basename))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("Tessera cannot import “%s”: only plain text (.txt) and Markdown (.md) files can be imported"),
                   basename);
      return 0;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                     _("The file “%s” cannot be read: %s"), basename, local_error->message);
      return 0;
    }

  text = tsr_decode_text (contents, length, basename, error);
  if (text == NULL)
    return 0;

  dot = strrchr (basename, '.');
  name = dot && dot != basename ? g_strndup (basename, dot - basename) : g_strdup (basename);

  return tsr_project_add_document (self, name, text, path ? path : basename, error);
}

static gboolean
update_by_id (TsrProject  *self,
              const char  *sql,
              gint64       id,
              const char  *text,
              gint64       value,
              const char  *what,
              GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!run (self, stmt, error))
    return FALSE;
  if (changes (self) == 0)
    {
      not_found (error, what, id);
      return FALSE;
    }
  return TRUE;
}

gboolean
tsr_project_rename_document (TsrProject  *self,
                             gint64       id,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_name (name, _("document"), error))
    return FALSE;
  clean = clean_name (name);

  if (!op_begin (self, TSR_CHANGE_DOCUMENTS, "document.rename",
                 g_strdup_printf (_("Rename document to “%s”"), clean), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE documents SET name = ? WHERE id = ?",
                                     id, clean, 0, _("document"), error), error);
}

gboolean
tsr_project_set_document_read (TsrProject  *self,
                               gint64       id,
                               gboolean     read,
                               GError     **error)
{
  g_autoptr(TsrDocument) doc = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  doc = require_document (self, id, error);
  if (doc == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_DOCUMENTS, read ? "document.read" : "document.unread",
                 read ? g_strdup_printf (_("Mark “%s” as read"), doc->name)
                      : g_strdup_printf (_("Mark “%s” as unread"), doc->name),
                 error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE documents SET is_read = ? WHERE id = ?",
                                     id, NULL, read ? 1 : 0, _("document"), error), error);
}

gboolean
tsr_project_delete_document (TsrProject  *self,
                             gint64       id,
                             GError     **error)
{
  g_autoptr(TsrDocument) doc = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  doc = require_document (self, id, error);
  if (doc == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_DOCUMENTS | TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS |
                 TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES,
                 "document.delete", g_strdup_printf (_("Delete document “%s”"), doc->name), error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM documents WHERE id = ?", id, error);
  return op_end (self, ok, error);
}

/* Codes -------------------------------------------------------------- */

static GPtrArray *
load_codes (gpointer owner, gint64 parent_id, GError **error)
{
  return load_rows (owner, "SELECT " CODE_COLUMNS " FROM codes c WHERE c.parent_id IS ? ORDER BY c.position, c.id",
                    TRUE, parent_id, (RowReader) read_code, error);
}

/**
 * tsr_project_get_codes:
 * @parent_id: the parent code, or 0 for the top level
 *
 * Returns: (transfer full): a live list of the #TsrCode children of @parent_id
 */
GListModel *
tsr_project_get_codes (TsrProject *self,
                       gint64      parent_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "codes", parent_id, TSR_TYPE_CODE, load_codes, TSR_CHANGE_CODES);
}

/**
 * tsr_project_list_all_codes:
 *
 * Returns: (transfer full) (element-type TsrCode): every code, parents
 *   before their children, siblings in order
 */
GPtrArray *
tsr_project_list_all_codes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return load_rows (self,
                    TREE_ORDER ("codes") "SELECT " CODE_COLUMNS " FROM codes c JOIN tree USING (id) ORDER BY tree.sort",
                    FALSE, 0, (RowReader) read_code, NULL);
}

guint
tsr_project_get_n_codes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  return query_int (self, "SELECT count(*) FROM codes", 0, 0);
}

/**
 * tsr_project_lookup_code:
 *
 * Returns: (transfer full) (nullable): the code
 */
TsrCode *
tsr_project_lookup_code (TsrProject *self,
                         gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " CODE_COLUMNS " FROM codes c WHERE c.id = ?", id, NULL,
                     (RowReader) read_code);
}

/**
 * tsr_project_find_code:
 * @path: names from the top level down, separated by "/"
 *
 * Returns: (transfer full) (nullable): the code at @path
 */
TsrCode *
tsr_project_find_code (TsrProject *self,
                       const char *path)
{
  g_auto(GStrv) parts = NULL;
  gint64 parent = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = prepare (self, "SELECT id FROM codes WHERE parent_id IS ? AND name = ?"
                                          " ORDER BY position LIMIT 1", NULL);
      gint64 id = 0;

      if (stmt == NULL)
        return NULL;
      if (parent == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, parent);
      g_strstrip (parts[i]);
      sqlite3_bind_text (stmt, 2, parts[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (id == 0)
        return NULL;
      parent = id;
    }

  return parent ? tsr_project_lookup_code (self, parent) : NULL;
}

/**
 * tsr_project_get_code_path:
 *
 * Returns: (transfer full) (nullable): the code's names from the top
 *   level down, joined by "/"
 */
char *
tsr_project_get_code_path (TsrProject *self,
                           gint64      id)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *path;
  guint guard = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  while (id != 0 && guard++ < 10000)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self, id);

      if (code == NULL)
        return NULL;
      g_ptr_array_add (names, g_strdup (code->name));
      id = code->parent_id;
    }
  if (names->len == 0)
    return NULL;

  path = g_string_new (NULL);
  for (guint i = names->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, names->pdata[i - 1]);
    }
  return g_string_free (path, FALSE);
}

static gboolean
check_code_name (const char  *name,
                 GError     **error)
{
  if (!check_name (name, _("code"), error))
    return FALSE;
  if (strchr (name, '/') != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("A code’s name cannot contain “/”"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
sibling_name_taken (TsrProject *self,
                    const char *table,
                    gint64      parent_id,
                    const char *name,
                    gint64      except_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE parent_id IS ? AND name = ? AND id <> ?",
                                          table);
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  if (parent_id == 0)
    sqlite3_bind_null (stmt, 1);
  else
    sqlite3_bind_int64 (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, except_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n > 0;
}

/**
 * tsr_project_create_code:
 * @parent_id: the parent code, or 0 for the top level
 * @color: (nullable): "#rrggbb", or %NULL to pick one
 * @definition: (nullable): what the code means
 *
 * Returns: the new code's id, or 0 with @error set
 */
gint64
tsr_project_create_code (TsrProject  *self,
                         gint64       parent_id,
                         const char  *name,
                         const char  *color,
                         const char  *definition,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_code_name (name, error))
    return 0;
  clean = clean_name (name);

  if (color != NULL && !valid_color (color))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a colour (use #rrggbb)"), color);
      return 0;
    }
  if (color == NULL)
    color = least_used_color (self);

  if (parent_id != 0 && !row_exists (self, "codes", parent_id))
    {
      not_found (error, _("parent code"), parent_id);
      return 0;
    }
  if (sibling_name_taken (self, "codes", parent_id, clean, 0))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” here"), clean);
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_CODES, "code.create",
                 g_strdup_printf (_("Create code “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
                        " VALUES (?1, ?2, ?3, ?4, ?5,"
                        "   (SELECT coalesce (max (position), -1) + 1 FROM codes WHERE parent_id IS ?2), ?6)",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      g_autofree char *lower = g_ascii_strdown (color, -1);

      sqlite3_bind_text (stmt, 4, lower, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, definition ? definition : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }

  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_code (TsrProject  *self,
                         gint64       id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_code_name (name, error))
    return FALSE;
  clean = clean_name (name);

  code = require_code (self, id, error);
  if (code == NULL)
    return FALSE;
  if (sibling_name_taken (self, "codes", code->parent_id, clean, id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” here"), clean);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_CODES, "code.rename",
                 g_strdup_printf (_("Rename code “%s” to “%s”"), code->name, clean), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE codes SET name = ? WHERE id = ?",
                                     id, clean, 0, _("code"), error), error);
}

gboolean
tsr_project_set_code_color (TsrProject  *self,
                            gint64       id,
                            const char  *color,
                            GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!valid_color (color))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a colour (use #rrggbb)"), color ? color : "");
      return FALSE;
    }
  code = require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_CODES, "code.recolor",
                 g_strdup_printf (_("Recolour code “%s”"), code->name), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE codes SET color = lower (?) WHERE id = ?",
                                     id, color, 0, _("code"), error), error);
}

gboolean
tsr_project_set_code_definition (TsrProject  *self,
                                 gint64       id,
                                 const char  *definition,
                                 GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_CODES, "code.define",
                 g_strdup_printf (_("Edit the definition of “%s”"), code->name), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE codes SET definition = ? WHERE id = ?",
                                     id, definition ? definition : "", 0, _("code"), error), error);
}

/* Is @ancestor_id @id or above it in @table's tree? */
static gboolean
is_ancestor_or_self (TsrProject *self,
                     const char *table,
                     gint64      ancestor_id,
                     gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("WITH RECURSIVE up (id, parent_id) AS ("
                                          "  SELECT id, parent_id FROM %s WHERE id = ?1"
                                          "  UNION SELECT t.id, t.parent_id FROM %s t JOIN up ON t.id = up.parent_id"
                                          ") SELECT count(*) FROM up WHERE id = ?2",
                                          table, table);
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, ancestor_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n > 0;
}

/* Moves a row of a tree table (codes or themes) under @new_parent_id at
 * @position (-1: last), renumbering the siblings it leaves and joins. */
static gboolean
move_in_tree (TsrProject  *self,
              const char  *table,
              gint64       id,
              gint64       old_parent_id,
              gint64       new_parent_id,
              gint         position,
              GError     **error)
{
  g_autofree char *select_sql = g_strdup_printf ("SELECT id FROM %s WHERE parent_id IS ? AND id <> ?"
                                                 " ORDER BY position, id", table);
  g_autofree char *update_sql = g_strdup_printf ("UPDATE %s SET parent_id = ?, position = ? WHERE id = ?",
                                                 table);
  g_autoptr(GArray) siblings = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  /* Close the gap in the old parent's list. */
  for (guint pass = 0; pass < 2; pass++)
    {
      gint64 parent = pass == 0 ? old_parent_id : new_parent_id;

      if (pass == 1 && old_parent_id == new_parent_id)
        break;

      g_array_set_size (siblings, 0);
      stmt = prepare (self, select_sql, error);
      if (stmt == NULL)
        return FALSE;
      if (parent == 0)
        sqlite3_bind_null (stmt, 1);
      else
        sqlite3_bind_int64 (stmt, 1, parent);
      sqlite3_bind_int64 (stmt, 2, id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 sib = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (siblings, sib);
        }
      sqlite3_reset (stmt);

      if (parent == new_parent_id && id != 0)
        {
          guint at = position < 0 || (guint) position > siblings->len ? siblings->len : (guint) position;
          g_array_insert_val (siblings, at, id);
        }

      for (guint i = 0; i < siblings->len; i++)
        {
          gint64 sib = g_array_index (siblings, gint64, i);

          stmt = prepare (self, update_sql, error);
          if (stmt == NULL)
            return FALSE;
          if (parent == 0)
            sqlite3_bind_null (stmt, 1);
          else
            sqlite3_bind_int64 (stmt, 1, parent);
          sqlite3_bind_int (stmt, 2, i);
          sqlite3_bind_int64 (stmt, 3, sib);
          if (!run (self, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * tsr_project_move_code:
 * @new_parent_id: the new parent, or 0 for the top level
 * @position: the place among the new siblings, or -1 for the end
 *
 * Moves a code with everything below it; a code cannot move inside itself.
 */
gboolean
tsr_project_move_code (TsrProject  *self,
                       gint64       id,
                       gint64       new_parent_id,
                       gint         position,
                       GError     **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = require_code (self, id, error);
  if (code == NULL)
    return FALSE;
  if (new_parent_id != 0 && !row_exists (self, "codes", new_parent_id))
    {
      not_found (error, _("code"), new_parent_id);
      return FALSE;
    }
  if (new_parent_id != 0 && is_ancestor_or_self (self, "codes", id, new_parent_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The code “%s” cannot be moved inside itself"), code->name);
      return FALSE;
    }
  if (new_parent_id != code->parent_id &&
      sibling_name_taken (self, "codes", new_parent_id, code->name, id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                   _("There is already a code “%s” there"), code->name);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_CODES, "code.move",
                 g_strdup_printf (_("Move code “%s”"), code->name), error))
    return FALSE;
  return op_end (self, move_in_tree (self, "codes", id, code->parent_id, new_parent_id, position, error),
                 error);
}

/**
 * tsr_project_merge_codes:
 * @source_id: the code that goes away
 * @target_id: the code that receives its segments, sub-codes and theme places
 *
 * Merges two codes.  Segments that would duplicate one of the target's
 * (same document, coder and span) are dropped rather than doubled.
 */
gboolean
tsr_project_merge_codes (TsrProject  *self,
                         gint64       source_id,
                         gint64       target_id,
                         GError     **error)
{
  g_autoptr(TsrCode) source = NULL;
  g_autoptr(TsrCode) target = NULL;
  g_autofree char *source_definition = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  source = tsr_project_lookup_code (self, source_id);
  target = tsr_project_lookup_code (self, target_id);
  if (source == NULL || target == NULL)
    {
      not_found (error, _("code"), source == NULL ? source_id : target_id);
      return FALSE;
    }
  if (source_id == target_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, _("A code cannot be merged into itself"));
      return FALSE;
    }
  if (is_ancestor_or_self (self, "codes", source_id, target_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("“%s” cannot be merged into a code below it"), source->name);
      return FALSE;
    }

  {
    sqlite3_stmt *clash = prepare (self, "SELECT s.name FROM codes s JOIN codes t ON t.name = s.name"
                                         " WHERE s.parent_id = ?1 AND t.parent_id = ?2 LIMIT 1", error);
    g_autofree char *name = NULL;

    if (clash == NULL)
      return FALSE;
    sqlite3_bind_int64 (clash, 1, source_id);
    sqlite3_bind_int64 (clash, 2, target_id);
    if (sqlite3_step (clash) == SQLITE_ROW)
      name = dup_column (clash, 0);
    sqlite3_reset (clash);
    if (name != NULL)
      {
        g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS,
                     _("“%s” and “%s” both have a sub-code “%s”: merge or rename those first"),
                     source->name, target->name, name);
        return FALSE;
      }
  }

  if (!op_begin (self, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_THEMES |
                 TSR_CHANGE_MEMOS | TSR_CHANGE_MAP,
                 "code.merge",
                 g_strdup_printf (_("Merge code “%s” into “%s”"), source->name, target->name), error))
    return FALSE;

  /* Segments: move, dropping exact duplicates of the target's. */
  stmt = prepare (self, "DELETE FROM segments AS s WHERE s.code_id = ?1 AND EXISTS ("
                        "  SELECT 1 FROM segments t WHERE t.code_id = ?2 AND t.document_id = s.document_id"
                        "  AND t.coder_id = s.coder_id AND t.start = s.start AND t.end = s.end)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = run (self, stmt, error);
    }
  if (ok && (stmt = prepare (self, "UPDATE segments SET code_id = ?2 WHERE code_id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Sub-codes follow to the end of the target's children. */
  if (ok && (stmt = prepare (self, "UPDATE codes SET parent_id = ?2,"
                                   " position = position + (SELECT coalesce (max (position), -1) + 1"
                                   "   FROM codes WHERE parent_id = ?2)"
                                   " WHERE parent_id = ?1", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Theme places: the target joins the source's themes. */
  if (ok && (stmt = prepare (self, "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                                   " SELECT theme_id, ?2, position FROM theme_codes WHERE code_id = ?1",
                             error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* The source's definition is kept in the target's, not lost. */
  if (ok && source->definition[0] != '\0')
    {
      g_autofree char *merged = target->definition[0] != '\0'
        ? g_strdup_printf ("%s\n\n%s: %s", target->definition, source->name, source->definition)
        : g_strdup (source->definition);
      ok = update_by_id (self, "UPDATE codes SET definition = ? WHERE id = ?",
                         target_id, merged, 0, _("code"), error);
    }

  /* The source's memo joins the target's (or becomes it): nothing written
   * about a code is lost in a merge. */
  if (ok && (stmt = prepare (self, "UPDATE memos SET text = text || char (10) || char (10) || ?3 || ': ' ||"
                                   " (SELECT text FROM memos WHERE code_id = ?1)"
                                   " WHERE code_id = ?2 AND EXISTS (SELECT 1 FROM memos WHERE code_id = ?1)",
                             error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      sqlite3_bind_text (stmt, 3, source->name, -1, SQLITE_TRANSIENT);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;
  if (ok && (stmt = prepare (self, "UPDATE memos SET code_id = ?2 WHERE code_id = ?1"
                                   " AND NOT EXISTS (SELECT 1 FROM memos WHERE code_id = ?2)", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;

  if (ok && (stmt = prepare (self, "DELETE FROM codes WHERE id = ?", error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, source_id);
      ok = run (self, stmt, error);
    }
  else
    ok = FALSE;

  /* Close the gap the source leaves among its siblings. */
  if (ok)
    ok = move_in_tree (self, "codes", 0, source->parent_id, source->parent_id, -1, error);

  return op_end (self, ok, error);
}

/**
 * tsr_project_delete_code:
 *
 * Deletes a code with its sub-codes and all their segments, memos and
 * theme places — one undoable step.
 */
gboolean
tsr_project_delete_code (TsrProject  *self,
                         gint64       id,
                         GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  code = require_code (self, id, error);
  if (code == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS | TSR_CHANGE_THEMES |
                 TSR_CHANGE_MEMOS | TSR_CHANGE_MAP,
                 "code.delete", g_strdup_printf (_("Delete code “%s”"), code->name), error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM codes WHERE id = ?", id, error);
  if (ok)
    ok = move_in_tree (self, "codes", 0, code->parent_id, code->parent_id, -1, error);

  return op_end (self, ok, error);
}

/* Segments ----------------------------------------------------------- */

static GPtrArray *
load_segments (gpointer owner, gint64 document_id, GError **error)
{
  return load_rows (owner, "SELECT " SEGMENT_COLUMNS " FROM segments WHERE document_id = ?"
                           " ORDER BY start, end DESC, id",
                    TRUE, document_id, (RowReader) read_segment, error);
}

/**
 * tsr_project_get_segments:
 *
 * Returns: (transfer full): a live list of the document's #TsrSegment
 *   of every coder, by start
 */
GListModel *
tsr_project_get_segments (TsrProject *self,
                          gint64      document_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "segments", document_id, TSR_TYPE_SEGMENT, load_segments,
                    TSR_CHANGE_SEGMENTS | TSR_CHANGE_DOCUMENTS);
}

/**
 * tsr_project_lookup_segment:
 *
 * Returns: (transfer full) (nullable): the segment
 */
TsrSegment *
tsr_project_lookup_segment (TsrProject *self,
                            gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " SEGMENT_COLUMNS " FROM segments WHERE id = ?", id, NULL,
                     (RowReader) read_segment);
}

/**
 * tsr_project_list_code_segments:
 * @with_descendants: include the segments of the codes below it
 *
 * Returns: (transfer full) (element-type TsrSegment): the code's segments
 *   by document order and position
 */
GPtrArray *
tsr_project_list_code_segments (TsrProject *self,
                                gint64      code_id,
                                gboolean    with_descendants)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!with_descendants)
    return load_rows (self, "SELECT s.id, s.uuid, s.document_id, s.code_id, s.coder_id, s.start, s.end,"
                            " s.text, s.exemplar, s.created FROM segments s"
                            " JOIN documents d ON d.id = s.document_id"
                            " WHERE s.code_id = ? ORDER BY d.position, s.start, s.id",
                      TRUE, code_id, (RowReader) read_segment, NULL);

  return load_rows (self, "WITH RECURSIVE sub (id) AS ("
                          "  SELECT ?1 UNION SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id"
                          ") SELECT s.id, s.uuid, s.document_id, s.code_id, s.coder_id, s.start, s.end,"
                          " s.text, s.exemplar, s.created FROM segments s"
                          " JOIN documents d ON d.id = s.document_id"
                          " WHERE s.code_id IN sub ORDER BY d.position, s.start, s.id",
                    TRUE, code_id, (RowReader) read_segment, NULL);
}

static gboolean
check_range (TsrProject  *self,
             gint64       document_id,
             guint        start,
             guint        end,
             GError     **error)
{
  g_autoptr(TsrDocument) doc = tsr_project_lookup_document (self, document_id);

  if (doc == NULL)
    {
      not_found (error, _("document"), document_id);
      return FALSE;
    }
  if (start >= end || end > doc->length)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Characters %u to %u are not a passage of “%s”, which has %u characters"),
                   start, end, doc->name, doc->length);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_project_add_segment_for_coder:
 * @start: the first character (Unicode character offset)
 * @end: the character after the last (end exclusive)
 *
 * Codes a passage for a given coder (for merging and the consensus).
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_add_segment_for_coder (TsrProject  *self,
                                   gint64       document_id,
                                   gint64       code_id,
                                   gint64       coder_id,
                                   guint        start,
                                   guint        end,
                                   GError     **error)
{
  g_autoptr(TsrCode) code = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_range (self, document_id, start, end, error))
    return 0;
  code = tsr_project_lookup_code (self, code_id);
  if (code == NULL)
    {
      not_found (error, _("code"), code_id);
      return 0;
    }
  if (!row_exists (self, "coders", coder_id))
    {
      not_found (error, _("coder"), coder_id);
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_SEGMENTS, "segment.add",
                 g_strdup_printf (_("Code a passage as “%s”"), code->name), error))
    return 0;

  uuid = g_uuid_string_random ();
  /* substr() counts characters in TEXT, the same unit as the offsets. */
  stmt = prepare (self, "INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, substr (text, ?5 + 1, ?6 - ?5), ?7"
                        " FROM document_texts WHERE document_id = ?2",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, document_id);
      sqlite3_bind_int64 (stmt, 3, code_id);
      sqlite3_bind_int64 (stmt, 4, coder_id);
      sqlite3_bind_int64 (stmt, 5, start);
      sqlite3_bind_int64 (stmt, 6, end);
      sqlite3_bind_int64 (stmt, 7, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }

  if (!op_end (self, ok, error))
    return 0;
  return id;
}

/**
 * tsr_project_add_segment:
 *
 * Codes a passage for the current coder.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_add_segment (TsrProject  *self,
                         gint64       document_id,
                         gint64       code_id,
                         guint        start,
                         guint        end,
                         GError     **error)
{
  gint64 coder_id;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  coder_id = current_coder_id (self, error);
  if (coder_id == 0)
    return 0;
  return tsr_project_add_segment_for_coder (self, document_id, code_id, coder_id, start, end, error);
}

gboolean
tsr_project_remove_segment (TsrProject  *self,
                            gint64       id,
                            GError     **error)
{
  g_autoptr(TsrSegment) seg = NULL;
  g_autoptr(TsrCode) code = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  seg = tsr_project_lookup_segment (self, id);
  if (seg == NULL)
    {
      not_found (error, _("coded passage"), id);
      return FALSE;
    }
  code = tsr_project_lookup_code (self, seg->code_id);

  if (!op_begin (self, TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS, "segment.remove",
                 g_strdup_printf (_("Remove the code “%s” from a passage"), code ? code->name : ""),
                 error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM segments WHERE id = ?", id, error);
  return op_end (self, ok, error);
}

gboolean
tsr_project_resize_segment (TsrProject  *self,
                            gint64       id,
                            guint        start,
                            guint        end,
                            GError     **error)
{
  g_autoptr(TsrSegment) seg = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  seg = tsr_project_lookup_segment (self, id);
  if (seg == NULL)
    {
      not_found (error, _("coded passage"), id);
      return FALSE;
    }
  if (!check_range (self, seg->document_id, start, end, error))
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_SEGMENTS, "segment.resize",
                 g_strdup (_("Resize a coded passage")), error))
    return FALSE;

  stmt = prepare (self, "UPDATE segments SET start = ?2, end = ?3,"
                        " text = (SELECT substr (text, ?2 + 1, ?3 - ?2) FROM document_texts"
                        "         WHERE document_id = segments.document_id)"
                        " WHERE id = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, start);
      sqlite3_bind_int64 (stmt, 3, end);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

gboolean
tsr_project_set_segment_exemplar (TsrProject  *self,
                                  gint64       id,
                                  gboolean     exemplar,
                                  GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!op_begin (self, TSR_CHANGE_SEGMENTS, exemplar ? "segment.star" : "segment.unstar",
                 g_strdup (exemplar ? _("Star an exemplar quote") : _("Unstar an exemplar quote")),
                 error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE segments SET exemplar = ? WHERE id = ?",
                                     id, NULL, exemplar ? 1 : 0, _("coded passage"), error), error);
}

/* Coding at a glance ------------------------------------------------- */

/**
 * tsr_project_list_document_spans:
 *
 * The places of a document's segments, of every coder, by start (and the
 * longer first where two start together).  Much lighter than
 * tsr_project_get_segments() on a long transcript: no texts, no objects.
 *
 * Returns: (transfer full) (element-type TsrSpan): the spans
 */
GArray *
tsr_project_list_document_spans (TsrProject *self,
                                 gint64      document_id)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (TsrSpan));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), spans);

  stmt = prepare (self, "SELECT id, code_id, coder_id, start, end, exemplar FROM segments"
                        " WHERE document_id = ? ORDER BY start, end DESC, id", NULL);
  if (stmt == NULL)
    return spans;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TsrSpan span;

      span.segment_id = sqlite3_column_int64 (stmt, 0);
      span.code_id = sqlite3_column_int64 (stmt, 1);
      span.coder_id = sqlite3_column_int64 (stmt, 2);
      span.start = sqlite3_column_int (stmt, 3);
      span.end = sqlite3_column_int (stmt, 4);
      span.exemplar = sqlite3_column_int (stmt, 5) != 0;
      g_array_append_val (spans, span);
    }
  sqlite3_reset (stmt);
  return spans;
}

/**
 * tsr_project_count_document_segments:
 * @coder_id: a coder, or 0 for every coder
 *
 * Returns: how many coded passages the document holds
 */
guint
tsr_project_count_document_segments (TsrProject *self,
                                     gint64      document_id,
                                     gint64      coder_id)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  stmt = prepare (self, "SELECT count(*) FROM segments WHERE document_id = ?1"
                        " AND (?2 = 0 OR coder_id = ?2)", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, coder_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/**
 * tsr_project_list_recent_codes:
 * @coder_id: a coder, or 0 for every coder
 * @limit: the most codes to list
 *
 * The codes the coder applied most recently, the latest first: what a
 * quick-code key offers.
 *
 * Returns: (transfer full) (element-type gint64): code ids
 */
GArray *
tsr_project_list_recent_codes (TsrProject *self,
                               gint64      coder_id,
                               guint       limit)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), ids);

  stmt = prepare (self, "SELECT code_id FROM segments WHERE (?1 = 0 OR coder_id = ?1)"
                        " GROUP BY code_id ORDER BY max (created) DESC, max (id) DESC LIMIT ?2", NULL);
  if (stmt == NULL)
    return ids;
  sqlite3_bind_int64 (stmt, 1, coder_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

/* The words of [start, end) as a code's name: one line, spaces
 * collapsed, outer punctuation trimmed, "/" (the path separator)
 * replaced, and at most 60 characters. */
static char *
in_vivo_name (const char *passage)
{
  GString *name = g_string_new (NULL);
  gboolean space = FALSE;
  guint n_chars = 0;

  for (const char *p = passage; *p != '\0' && n_chars < 60; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '/')
        {
          space = name->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (name, ' ');
          n_chars++;
          space = FALSE;
        }
      g_string_append_unichar (name, c);
      n_chars++;
    }

  /* Quotes and sentence marks around the words are not part of them. */
  while (name->len > 0)
    {
      const char *last = g_utf8_find_prev_char (name->str, name->str + name->len);
      gunichar c = g_utf8_get_char (last);

      if (!g_unichar_ispunct (c))
        break;
      g_string_truncate (name, last - name->str);
    }
  while (name->len > 0 && g_unichar_ispunct (g_utf8_get_char (name->str)))
    g_string_erase (name, 0, g_utf8_next_char (name->str) - name->str);

  return g_string_free (name, FALSE);
}

/**
 * tsr_project_code_in_vivo:
 * @parent_id: where the new code goes, or 0 for the top level
 *
 * Makes a code named with the passage's own words and codes the passage
 * with it — one undoable step.  When a code of that name already exists
 * there, the passage is coded with it instead.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
tsr_project_code_in_vivo (TsrProject  *self,
                          gint64       document_id,
                          gint64       parent_id,
                          guint        start,
                          guint        end,
                          GError     **error)
{
  g_autofree char *passage = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  sqlite3_stmt *stmt;
  gint64 code_id;
  gint64 segment_id;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_range (self, document_id, start, end, error))
    return 0;
  if (current_coder_id (self, error) == 0)
    return 0;

  stmt = prepare (self, "SELECT substr (text, ?2 + 1, ?3 - ?2) FROM document_texts WHERE document_id = ?1",
                  error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    passage = dup_column (stmt, 0);
  sqlite3_reset (stmt);

  name = in_vivo_name (passage ? passage : "");
  if (name[0] == '\0')
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("An in-vivo code is named with the passage’s words; select some words"));
      return 0;
    }
  if (parent_id != 0 && !row_exists (self, "codes", parent_id))
    {
      not_found (error, _("parent code"), parent_id);
      return 0;
    }

  description = g_strdup_printf (_("Code in vivo as “%s”"), name);
  if (!op_begin (self, 0, "code.in-vivo", g_steal_pointer (&description), error))
    return 0;

  /* Checked above, so the steps below fail only on a storage error, and
   * then the whole group is rolled back. */
  {
    g_autofree char *path_name = NULL;
    g_autoptr(TsrCode) existing = NULL;

    if (parent_id != 0)
      {
        g_autofree char *parent_path = tsr_project_get_code_path (self, parent_id);
        path_name = g_strconcat (parent_path, "/", name, NULL);
      }
    existing = tsr_project_find_code (self, path_name ? path_name : name);
    code_id = existing ? tsr_entity_get_id (TSR_ENTITY (existing))
                       : tsr_project_create_code (self, parent_id, name, NULL, NULL, error);
  }
  segment_id = code_id != 0 ? tsr_project_add_segment (self, document_id, code_id, start, end, error) : 0;

  if (!op_end (self, segment_id != 0, segment_id != 0 ? error : NULL))
    return 0;
  return segment_id;
}

/* Memos and the journal ---------------------------------------------- */

static const char *
memo_column (TsrMemoKind kind)
{
  switch (kind)
    {
    case TSR_MEMO_DOCUMENT: return "document_id";
    case TSR_MEMO_SEGMENT: return "segment_id";
    case TSR_MEMO_CODE: return "code_id";
    case TSR_MEMO_THEME: return "theme_id";
    case TSR_MEMO_JOURNAL:
    default:
      return NULL;
    }
}

static const char *
memo_target_table (TsrMemoKind kind)
{
  switch (kind)
    {
    case TSR_MEMO_DOCUMENT: return "documents";
    case TSR_MEMO_SEGMENT: return "segments";
    case TSR_MEMO_CODE: return "codes";
    case TSR_MEMO_THEME: return "themes";
    case TSR_MEMO_JOURNAL:
    default:
      return NULL;
    }
}

/**
 * tsr_project_get_memo:
 * @kind: what the memo is on; not %TSR_MEMO_JOURNAL
 *
 * Returns: (transfer full): the memo's text, "" if there is none
 */
char *
tsr_project_get_memo (TsrProject  *self,
                      TsrMemoKind  kind,
                      gint64       target_id)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *text = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (memo_column (kind) != NULL, NULL);

  sql = g_strdup_printf ("SELECT text FROM memos WHERE %s = ?", memo_column (kind));
  stmt = prepare (self, sql, NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, target_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = dup_column (stmt, 0);
      sqlite3_reset (stmt);
    }
  return text ? text : g_strdup ("");
}

/**
 * tsr_project_set_memo:
 * @kind: what the memo is on; not %TSR_MEMO_JOURNAL
 * @text: (nullable): the memo; empty or %NULL removes it
 *
 * Writes the memo on a document, passage, code or theme.
 */
gboolean
tsr_project_set_memo (TsrProject   *self,
                      TsrMemoKind   kind,
                      gint64        target_id,
                      const char   *text,
                      GError      **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *uuid = NULL;
  const char *column;
  sqlite3_stmt *stmt;
  gint64 coder_id;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  column = memo_column (kind);
  if (column == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Journal entries are added with their date"));
      return FALSE;
    }
  if (!row_exists (self, memo_target_table (kind), target_id))
    {
      not_found (error, memo_kind_names[kind], target_id);
      return FALSE;
    }
  coder_id = current_coder_id (self, error);
  if (coder_id == 0)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_MEMOS, "memo.edit", g_strdup (_("Edit memo")), error))
    return FALSE;

  if (text == NULL || *text == '\0')
    {
      sql = g_strdup_printf ("DELETE FROM memos WHERE %s = ?", column);
      stmt = prepare (self, sql, error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, target_id);
          ok = run (self, stmt, error);
        }
      return op_end (self, ok, error);
    }

  uuid = g_uuid_string_random ();
  sql = g_strdup_printf ("INSERT INTO memos (uuid, kind, %s, coder_id, text, created, modified)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                         " ON CONFLICT (%s) WHERE %s IS NOT NULL DO UPDATE SET"
                         "   text = excluded.text, coder_id = excluded.coder_id, modified = excluded.modified",
                         column, column, column);
  stmt = prepare (self, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, memo_kind_names[kind], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, target_id);
      sqlite3_bind_int64 (stmt, 4, coder_id);
      sqlite3_bind_text (stmt, 5, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, now_us ());
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

static GPtrArray *
load_journal (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT " MEMO_COLUMNS " FROM memos WHERE kind = 'journal' ORDER BY date, id",
                    FALSE, 0, (RowReader) read_memo, error);
}

/**
 * tsr_project_get_journal:
 *
 * Returns: (transfer full): a live list of the journal's #TsrMemo entries
 *   by date
 */
GListModel *
tsr_project_get_journal (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "journal", 0, TSR_TYPE_MEMO, load_journal, TSR_CHANGE_MEMOS);
}

static gboolean
check_date (const char  *date,
            GError     **error)
{
  gboolean shape = date != NULL && strlen (date) == 10;

  for (guint i = 0; shape && i < 10; i++)
    shape = (i == 4 || i == 7) ? date[i] == '-' : g_ascii_isdigit (date[i]);

  if (!shape ||
      !g_date_valid_dmy (atoi (date + 8), atoi (date + 5), atoi (date)))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a date (use YYYY-MM-DD)"), date ? date : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_project_add_journal_entry:
 * @date: (nullable): "YYYY-MM-DD", or %NULL for today
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
tsr_project_add_journal_entry (TsrProject  *self,
                               const char  *date,
                               const char  *text,
                               GError     **error)
{
  g_autofree char *today = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 coder_id;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      date = today = g_date_time_format (now, "%Y-%m-%d");
    }
  if (!check_date (date, error))
    return 0;
  coder_id = current_coder_id (self, error);
  if (coder_id == 0)
    return 0;

  if (!op_begin (self, TSR_CHANGE_MEMOS, "journal.add", g_strdup (_("Add a journal entry")), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO memos (uuid, kind, coder_id, date, text, created, modified)"
                        " VALUES (?, 'journal', ?, ?, ?, ?6, ?6)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, coder_id);
      sqlite3_bind_text (stmt, 3, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, text ? text : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_edit_journal_entry (TsrProject  *self,
                                gint64       id,
                                const char  *date,
                                const char  *text,
                                GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (date != NULL && !check_date (date, error))
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_MEMOS, "journal.edit", g_strdup (_("Edit a journal entry")), error))
    return FALSE;

  stmt = prepare (self, "UPDATE memos SET date = coalesce (?2, date), text = coalesce (?3, text), modified = ?4"
                        " WHERE id = ?1 AND kind = 'journal'", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (date)
        sqlite3_bind_text (stmt, 2, date, -1, SQLITE_TRANSIENT);
      if (text)
        sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, now_us ());
      ok = run (self, stmt, error);
      if (ok && changes (self) == 0)
        {
          not_found (error, _("journal entry"), id);
          ok = FALSE;
        }
    }
  return op_end (self, ok, error);
}

gboolean
tsr_project_delete_journal_entry (TsrProject  *self,
                                  gint64       id,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!op_begin (self, TSR_CHANGE_MEMOS, "journal.delete", g_strdup (_("Delete a journal entry")), error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM memos WHERE id = ? AND kind = 'journal'", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = run (self, stmt, error);
      if (ok && changes (self) == 0)
        {
          not_found (error, _("journal entry"), id);
          ok = FALSE;
        }
    }
  return op_end (self, ok, error);
}

/* Themes ------------------------------------------------------------- */

static GPtrArray *
load_themes (gpointer owner, gint64 parent_id, GError **error)
{
  return load_rows (owner, "SELECT " THEME_COLUMNS " FROM themes WHERE parent_id IS ? ORDER BY position, id",
                    TRUE, parent_id, (RowReader) read_theme, error);
}

/**
 * tsr_project_get_themes:
 * @parent_id: the parent theme, or 0 for the top level
 *
 * Returns: (transfer full): a live list of the #TsrTheme children
 */
GListModel *
tsr_project_get_themes (TsrProject *self,
                        gint64      parent_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "themes", parent_id, TSR_TYPE_THEME, load_themes, TSR_CHANGE_THEMES);
}

/**
 * tsr_project_list_all_themes:
 *
 * Returns: (transfer full) (element-type TsrTheme): every theme, parents
 *   before their sub-themes, siblings in order
 */
GPtrArray *
tsr_project_list_all_themes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return load_rows (self,
                    TREE_ORDER ("themes") "SELECT t.id, t.uuid, t.parent_id, t.name, t.definition, t.scope_notes,"
                    " t.narrative, t.status, t.position FROM themes t JOIN tree USING (id) ORDER BY tree.sort",
                    FALSE, 0, (RowReader) read_theme, NULL);
}

/**
 * tsr_project_lookup_theme:
 *
 * Returns: (transfer full) (nullable): the theme
 */
TsrTheme *
tsr_project_lookup_theme (TsrProject *self,
                          gint64      id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " THEME_COLUMNS " FROM themes WHERE id = ?", id, NULL,
                     (RowReader) read_theme);
}

/**
 * tsr_project_find_theme:
 *
 * Returns: (transfer full) (nullable): the first theme of that name
 */
TsrTheme *
tsr_project_find_theme (TsrProject *self,
                        const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT " THEME_COLUMNS " FROM themes WHERE name = ? ORDER BY id LIMIT 1",
                     0, name, (RowReader) read_theme);
}

/**
 * tsr_project_create_theme:
 * @parent_id: the parent theme, or 0 for a top-level theme
 *
 * Returns: the new theme's id, or 0 with @error set
 */
gint64
tsr_project_create_theme (TsrProject  *self,
                          gint64       parent_id,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_name (name, _("theme"), error))
    return 0;
  clean = clean_name (name);
  if (parent_id != 0 && !row_exists (self, "themes", parent_id))
    {
      not_found (error, _("theme"), parent_id);
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.create",
                 g_strdup_printf (_("Create theme “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO themes (uuid, parent_id, name, position, created)"
                        " VALUES (?1, ?2, ?3, (SELECT coalesce (max (position), -1) + 1 FROM themes"
                        "   WHERE parent_id IS ?2), ?4)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_theme (TsrProject  *self,
                          gint64       id,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_name (name, _("theme"), error))
    return FALSE;
  clean = clean_name (name);
  theme = require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.rename",
                 g_strdup_printf (_("Rename theme “%s” to “%s”"), theme->name, clean), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE themes SET name = ? WHERE id = ?",
                                     id, clean, 0, _("theme"), error), error);
}

gboolean
tsr_project_set_theme_field (TsrProject     *self,
                             gint64          id,
                             TsrThemeField   field,
                             const char     *text,
                             GError        **error)
{
  static const char * const sql[] = {
    "UPDATE themes SET definition = ? WHERE id = ?",
    "UPDATE themes SET scope_notes = ? WHERE id = ?",
    "UPDATE themes SET narrative = ? WHERE id = ?",
  };
  static const char * const kinds[] = { "theme.define", "theme.scope", "theme.narrative" };
  g_autoptr(TsrTheme) theme = NULL;
  const char *description;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (field <= TSR_THEME_FIELD_NARRATIVE, FALSE);

  theme = require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  switch (field)
    {
    case TSR_THEME_FIELD_DEFINITION: description = _("Edit the definition of “%s”"); break;
    case TSR_THEME_FIELD_SCOPE_NOTES: description = _("Edit the scope notes of “%s”"); break;
    case TSR_THEME_FIELD_NARRATIVE:
    default: description = _("Edit the narrative of “%s”"); break;
    }

  if (!op_begin (self, TSR_CHANGE_THEMES, kinds[field],
                 g_strdup_printf (description, theme->name), error))
    return FALSE;
  return op_end (self, update_by_id (self, sql[field], id, text ? text : "", 0, _("theme"), error),
                 error);
}

gboolean
tsr_project_set_theme_status (TsrProject      *self,
                              gint64           id,
                              TsrThemeStatus   status,
                              GError         **error)
{
  g_autoptr(TsrTheme) theme = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (status <= TSR_THEME_DISCARDED, FALSE);

  theme = require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.status",
                 g_strdup_printf (_("Mark theme “%s” as %s"), theme->name,
                                  tsr_theme_status_to_string (status)), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE themes SET status = ? WHERE id = ?",
                                     id, tsr_theme_status_to_string (status), 0, _("theme"), error),
                 error);
}

/**
 * tsr_project_move_theme:
 * @new_parent_id: the new parent theme, or 0 for the top level
 * @position: the place among the new siblings, or -1 for the end
 *
 * Nests a theme under another (or lifts it to the top level); a theme
 * cannot be nested inside itself or its own sub-themes.
 */
gboolean
tsr_project_move_theme (TsrProject  *self,
                        gint64       id,
                        gint64       new_parent_id,
                        gint         position,
                        GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;
  if (new_parent_id != 0 && !row_exists (self, "themes", new_parent_id))
    {
      not_found (error, _("theme"), new_parent_id);
      return FALSE;
    }
  if (new_parent_id != 0 && is_ancestor_or_self (self, "themes", id, new_parent_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The theme “%s” cannot be nested inside itself"), theme->name);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.move",
                 g_strdup_printf (_("Move theme “%s”"), theme->name), error))
    return FALSE;
  return op_end (self, move_in_tree (self, "themes", id, theme->parent_id, new_parent_id, position, error),
                 error);
}

gboolean
tsr_project_delete_theme (TsrProject  *self,
                          gint64       id,
                          GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = require_theme (self, id, error);
  if (theme == NULL)
    return FALSE;

  if (!op_begin (self, TSR_CHANGE_THEMES | TSR_CHANGE_MEMOS | TSR_CHANGE_MAP, "theme.delete",
                 g_strdup_printf (_("Delete theme “%s”"), theme->name), error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM themes WHERE id = ?", id, error);
  if (ok)
    ok = move_in_tree (self, "themes", 0, theme->parent_id, theme->parent_id, -1, error);
  return op_end (self, ok, error);
}

/**
 * tsr_project_get_theme_codes:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the theme's
 *   own codes (not its sub-themes'), in order
 */
GArray *
tsr_project_get_theme_codes (TsrProject *self,
                             gint64      theme_id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), ids);

  stmt = prepare (self, "SELECT code_id FROM theme_codes WHERE theme_id = ? ORDER BY position, code_id", NULL);
  if (stmt == NULL)
    return ids;
  sqlite3_bind_int64 (stmt, 1, theme_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

gboolean
tsr_project_add_code_to_theme (TsrProject  *self,
                               gint64       theme_id,
                               gint64       code_id,
                               GError     **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autoptr(TsrCode) code = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  theme = tsr_project_lookup_theme (self, theme_id);
  code = tsr_project_lookup_code (self, code_id);
  if (theme == NULL || code == NULL)
    {
      not_found (error, theme == NULL ? _("theme") : _("code"), theme == NULL ? theme_id : code_id);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.add-code",
                 g_strdup_printf (_("Add “%s” to theme “%s”"), code->name, theme->name), error))
    return FALSE;

  stmt = prepare (self, "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                        " VALUES (?1, ?2, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes"
                        "   WHERE theme_id = ?1))", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_id);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

gboolean
tsr_project_remove_code_from_theme (TsrProject  *self,
                                    gint64       theme_id,
                                    gint64       code_id,
                                    GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.remove-code",
                 g_strdup (_("Remove a code from a theme")), error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM theme_codes WHERE theme_id = ? AND code_id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_id);
      ok = run (self, stmt, error);
      if (ok && changes (self) == 0)
        {
          g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code is not in that theme"));
          ok = FALSE;
        }
    }
  return op_end (self, ok, error);
}

/* Cases and attributes ----------------------------------------------- */

static GPtrArray *
load_cases (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT id, uuid, name, description FROM cases ORDER BY name COLLATE NOCASE, id",
                    FALSE, 0, (RowReader) read_case, error);
}

/**
 * tsr_project_get_cases:
 *
 * Returns: (transfer full): a live list of #TsrCase by name
 */
GListModel *
tsr_project_get_cases (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "cases", 0, TSR_TYPE_CASE, load_cases, TSR_CHANGE_CASES);
}

/**
 * tsr_project_find_case:
 *
 * Returns: (transfer full) (nullable): the case of that name
 */
TsrCase *
tsr_project_find_case (TsrProject *self,
                       const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return lookup_one (self, "SELECT id, uuid, name, description FROM cases WHERE name = ?", 0, name,
                     (RowReader) read_case);
}

gint64
tsr_project_create_case (TsrProject  *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(TsrCase) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!check_name (name, _("case"), error))
    return 0;
  clean = clean_name (name);
  existing = tsr_project_find_case (self, clean);
  if (existing != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already a case “%s”"), clean);
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_CASES, "case.create",
                 g_strdup_printf (_("Create case “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO cases (uuid, name, created) VALUES (?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, now_us ());
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_case (TsrProject  *self,
                         gint64       id,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(TsrCase) existing = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!check_name (name, _("case"), error))
    return FALSE;
  clean = clean_name (name);
  existing = tsr_project_find_case (self, clean);
  if (existing != NULL && tsr_entity_get_id (TSR_ENTITY (existing)) != id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already a case “%s”"), clean);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_CASES, "case.rename",
                 g_strdup_printf (_("Rename case to “%s”"), clean), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE cases SET name = ? WHERE id = ?",
                                     id, clean, 0, _("case"), error), error);
}

gboolean
tsr_project_delete_case (TsrProject  *self,
                         gint64       id,
                         GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!row_exists (self, "cases", id))
    {
      not_found (error, _("case"), id);
      return FALSE;
    }
  if (!op_begin (self, TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES, "case.delete",
                 g_strdup (_("Delete a case")), error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM cases WHERE id = ?", id, error);
  return op_end (self, ok, error);
}

gboolean
tsr_project_set_case_membership (TsrProject  *self,
                                 gint64       case_id,
                                 gint64       document_id,
                                 gboolean     member,
                                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!row_exists (self, "cases", case_id))
    {
      not_found (error, _("case"), case_id);
      return FALSE;
    }
  if (!row_exists (self, "documents", document_id))
    {
      not_found (error, _("document"), document_id);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_CASES, member ? "case.add-document" : "case.remove-document",
                 g_strdup (member ? _("Add a document to a case") : _("Remove a document from a case")),
                 error))
    return FALSE;

  stmt = prepare (self, member
                    ? "INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)"
                    : "DELETE FROM case_documents WHERE case_id = ? AND document_id = ?",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, case_id);
      sqlite3_bind_int64 (stmt, 2, document_id);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

/**
 * tsr_project_get_case_documents:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the case's
 *   documents, in document order
 */
GArray *
tsr_project_get_case_documents (TsrProject *self,
                                gint64      case_id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), ids);

  stmt = prepare (self, "SELECT d.id FROM case_documents cd JOIN documents d ON d.id = cd.document_id"
                        " WHERE cd.case_id = ? ORDER BY d.position", NULL);
  if (stmt == NULL)
    return ids;
  sqlite3_bind_int64 (stmt, 1, case_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

static GPtrArray *
load_attributes (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT id, uuid, target, name, type FROM attributes ORDER BY target, position, id",
                    FALSE, 0, (RowReader) read_attribute, error);
}

/**
 * tsr_project_get_attributes:
 *
 * Returns: (transfer full): a live list of every #TsrAttribute
 */
GListModel *
tsr_project_get_attributes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "attributes", 0, TSR_TYPE_ATTRIBUTE, load_attributes, TSR_CHANGE_ATTRIBUTES);
}

static const char *
target_name (TsrAttributeTarget target)
{
  return target == TSR_ATTRIBUTE_ON_CASES ? "case" : "document";
}

/**
 * tsr_project_find_attribute:
 *
 * Returns: (transfer full) (nullable): the attribute
 */
TsrAttribute *
tsr_project_find_attribute (TsrProject         *self,
                            TsrAttributeTarget  target,
                            const char         *name)
{
  sqlite3_stmt *stmt;
  TsrAttribute *ret = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = prepare (self, "SELECT id, uuid, target, name, type FROM attributes WHERE target = ? AND name = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target_name (target), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = read_attribute (stmt);
  sqlite3_reset (stmt);
  return ret;
}

gint64
tsr_project_define_attribute (TsrProject          *self,
                              TsrAttributeTarget   target,
                              const char          *name,
                              TsrAttributeType     type,
                              GError             **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(TsrAttribute) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (type <= TSR_ATTRIBUTE_DATE, 0);

  if (!check_name (name, _("attribute"), error))
    return 0;
  clean = clean_name (name);
  existing = tsr_project_find_attribute (self, target, clean);
  if (existing != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already an attribute “%s”"), clean);
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.define",
                 g_strdup_printf (_("Define attribute “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO attributes (uuid, target, name, type, position)"
                        " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM attributes))",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, target_name (target), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, tsr_attribute_type_to_string (type), -1, SQLITE_STATIC);
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_delete_attribute (TsrProject  *self,
                              gint64       attribute_id,
                              GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!row_exists (self, "attributes", attribute_id))
    {
      not_found (error, _("attribute"), attribute_id);
      return FALSE;
    }
  if (!op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.delete",
                 g_strdup (_("Delete an attribute")), error))
    return FALSE;

  ok = run_with_id (self, "DELETE FROM attributes WHERE id = ?", attribute_id, error);
  return op_end (self, ok, error);
}

/* Checks @value against @type and returns it in canonical form. */
static char *
canonical_value (TsrAttributeType   type,
                 const char        *value,
                 const char        *name,
                 GError           **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  char *end = NULL;

  switch (type)
    {
    case TSR_ATTRIBUTE_TEXT:
      return g_strdup (value);

    case TSR_ATTRIBUTE_INTEGER:
      {
        gint64 n;

        errno = 0;
        n = g_ascii_strtoll (v, &end, 10);
        if (*v != '\0' && end != NULL && *end == '\0' && errno == 0)
          return g_strdup_printf ("%" G_GINT64_FORMAT, n);
        g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                     _("“%s” is not a whole number, as “%s” needs"), value, name);
        return NULL;
      }

    case TSR_ATTRIBUTE_REAL:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        double d = g_ascii_strtod (v, &end);

        if (*v != '\0' && end != NULL && *end == '\0' && isfinite (d))
          {
            /* The shortest form that reads back as the same number. */
            for (const char *fmt = "%.15g"; ; fmt = fmt[3] == '5' ? "%.16g" : "%.17g")
              {
                g_ascii_formatd (buf, sizeof buf, fmt, d);
                if (g_ascii_strtod (buf, NULL) == d || fmt[3] == '7')
                  return g_strdup (buf);
              }
          }
        g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                     _("“%s” is not a number, as “%s” needs"), value, name);
        return NULL;
      }

    case TSR_ATTRIBUTE_BOOLEAN:
      if (g_ascii_strcasecmp (v, "true") == 0 || g_ascii_strcasecmp (v, "yes") == 0 || g_strcmp0 (v, "1") == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0 || g_strcmp0 (v, "0") == 0)
        return g_strdup ("false");
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not yes or no, as “%s” needs"), value, name);
      return NULL;

    case TSR_ATTRIBUTE_DATE:
      if (check_date (v, NULL))
        return g_strdup (v);
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD), as “%s” needs"), value, name);
      return NULL;

    default:
      g_assert_not_reached ();
    }
}

/**
 * tsr_project_set_attribute_value:
 * @target_id: the document or case
 * @value: (nullable): the value as text; %NULL or "" clears it
 *
 * Sets an attribute's value, checked against its type.
 */
gboolean
tsr_project_set_attribute_value (TsrProject  *self,
                                 gint64       attribute_id,
                                 gint64       target_id,
                                 const char  *value,
                                 GError     **error)
{
  g_autoptr(TsrAttribute) attr = NULL;
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;
  gboolean on_cases;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  attr = lookup_one (self, "SELECT id, uuid, target, name, type FROM attributes WHERE id = ?",
                     attribute_id, NULL, (RowReader) read_attribute);
  if (attr == NULL)
    {
      not_found (error, _("attribute"), attribute_id);
      return FALSE;
    }
  on_cases = attr->target == TSR_ATTRIBUTE_ON_CASES;
  if (!row_exists (self, on_cases ? "cases" : "documents", target_id))
    {
      not_found (error, on_cases ? _("case") : _("document"), target_id);
      return FALSE;
    }
  if (value != NULL && *value != '\0')
    {
      canonical = canonical_value (attr->type, value, attr->name, error);
      if (canonical == NULL)
        return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.set",
                 g_strdup_printf (_("Set “%s”"), attr->name), error))
    return FALSE;

  if (canonical == NULL)
    stmt = prepare (self, on_cases
                      ? "DELETE FROM case_attribute_values WHERE attribute_id = ? AND case_id = ?"
                      : "DELETE FROM document_attribute_values WHERE attribute_id = ? AND document_id = ?",
                    error);
  else
    stmt = prepare (self, on_cases
                      ? "INSERT INTO case_attribute_values (attribute_id, case_id, value) VALUES (?, ?, ?)"
                        " ON CONFLICT DO UPDATE SET value = excluded.value"
                      : "INSERT INTO document_attribute_values (attribute_id, document_id, value) VALUES (?, ?, ?)"
                        " ON CONFLICT DO UPDATE SET value = excluded.value",
                    error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, attribute_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      if (canonical != NULL)
        sqlite3_bind_text (stmt, 3, canonical, -1, SQLITE_TRANSIENT);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

/**
 * tsr_project_get_attribute_value:
 *
 * Returns: (transfer full) (nullable): the value in canonical form, or
 *   %NULL if it is not set
 */
char *
tsr_project_get_attribute_value (TsrProject *self,
                                 gint64      attribute_id,
                                 gint64      target_id)
{
  sqlite3_stmt *stmt;
  char *ret = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = prepare (self, "SELECT value FROM document_attribute_values v JOIN attributes a ON a.id = v.attribute_id"
                        " WHERE a.target = 'document' AND v.attribute_id = ?1 AND v.document_id = ?2"
                        " UNION ALL"
                        " SELECT value FROM case_attribute_values v JOIN attributes a ON a.id = v.attribute_id"
                        " WHERE a.target = 'case' AND v.attribute_id = ?1 AND v.case_id = ?2", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, attribute_id);
  sqlite3_bind_int64 (stmt, 2, target_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = dup_column (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}

/* The theme map ------------------------------------------------------ */

gboolean
tsr_project_set_map_position (TsrProject      *self,
                              TsrMapItemKind   kind,
                              gint64           id,
                              double           x,
                              double           y,
                              GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!isfinite (x) || !isfinite (y))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("Not a position on the map"));
      return FALSE;
    }
  if (!row_exists (self, kind == TSR_MAP_ITEM_THEME ? "themes" : "codes", id))
    {
      not_found (error, kind == TSR_MAP_ITEM_THEME ? _("theme") : _("code"), id);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_MAP, "map.move", g_strdup (_("Move on the map")), error))
    return FALSE;

  stmt = prepare (self, kind == TSR_MAP_ITEM_THEME
                    ? "INSERT INTO map_theme_positions (theme_id, x, y) VALUES (?, ?, ?)"
                      " ON CONFLICT DO UPDATE SET x = excluded.x, y = excluded.y"
                    : "INSERT INTO map_code_positions (code_id, x, y) VALUES (?, ?, ?)"
                      " ON CONFLICT DO UPDATE SET x = excluded.x, y = excluded.y",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_double (stmt, 2, x);
      sqlite3_bind_double (stmt, 3, y);
      ok = run (self, stmt, error);
    }
  return op_end (self, ok, error);
}

gboolean
tsr_project_get_map_position (TsrProject      *self,
                              TsrMapItemKind   kind,
                              gint64           id,
                              double          *x,
                              double          *y)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  stmt = prepare (self, kind == TSR_MAP_ITEM_THEME
                    ? "SELECT x, y FROM map_theme_positions WHERE theme_id = ?"
                    : "SELECT x, y FROM map_code_positions WHERE code_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *x = sqlite3_column_double (stmt, 0);
      *y = sqlite3_column_double (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  return found;
}

static GPtrArray *
load_map_links (gpointer owner, gint64 key, GError **error)
{
  return load_rows (owner, "SELECT id, uuid, from_theme_id, to_theme_id, label FROM map_links ORDER BY id",
                    FALSE, 0, (RowReader) read_map_link, error);
}

/**
 * tsr_project_get_map_links:
 *
 * Returns: (transfer full): a live list of #TsrMapLink
 */
GListModel *
tsr_project_get_map_links (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return get_model (self, "map-links", 0, TSR_TYPE_MAP_LINK, load_map_links, TSR_CHANGE_MAP | TSR_CHANGE_THEMES);
}

gint64
tsr_project_add_map_link (TsrProject  *self,
                          gint64       from_theme,
                          gint64       to_theme,
                          const char  *label,
                          GError     **error)
{
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!row_exists (self, "themes", from_theme) || !row_exists (self, "themes", to_theme))
    {
      not_found (error, _("theme"), row_exists (self, "themes", from_theme) ? to_theme : from_theme);
      return 0;
    }
  if (from_theme == to_theme)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("A theme cannot be linked to itself"));
      return 0;
    }

  if (!op_begin (self, TSR_CHANGE_MAP, "map.link", g_strdup (_("Link two themes")), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO map_links (uuid, from_theme_id, to_theme_id, label) VALUES (?, ?, ?, ?)",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, from_theme);
      sqlite3_bind_int64 (stmt, 3, to_theme);
      sqlite3_bind_text (stmt, 4, label ? label : "", -1, SQLITE_TRANSIENT);
      ok = run (self, stmt, error);
      id = last_insert_id (self);
    }
  if (!op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_remove_map_link (TsrProject  *self,
                             gint64       id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!op_begin (self, TSR_CHANGE_MAP, "map.unlink", g_strdup (_("Remove a link between themes")), error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM map_links WHERE id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = run (self, stmt, error);
      if (ok && changes (self) == 0)
        {
          not_found (error, _("link"), id);
          ok = FALSE;
        }
    }
  return op_end (self, ok, error);
}

/* History, undo and redo --------------------------------------------- */

/**
 * tsr_project_begin_group:
 * @description: what the whole group does, as the undo label shows it
 *
 * Makes the edits until tsr_project_end_group() one undoable step (an
 * in-vivo code: create the code and apply it).
 */
void
tsr_project_begin_group (TsrProject *self,
                         const char *description)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TSR_IS_PROJECT (self));

  if (!op_begin (self, 0, "group", g_strdup (description), &error))
    {
      g_warning ("Could not begin an edit: %s", error->message);
      return;
    }
  self->group_depth++;
}

gboolean
tsr_project_end_group (TsrProject  *self,
                       GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->group_depth > 0, FALSE);

  self->group_depth--;
  return op_end (self, TRUE, error);
}

gboolean
tsr_project_can_undo (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->db != NULL &&
         query_int (self, "SELECT count(*) FROM (SELECT 1 FROM history WHERE state = 'done'"
                          " AND changeset IS NOT NULL LIMIT 1)", 0, 0) > 0;
}

gboolean
tsr_project_can_redo (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  return self->db != NULL &&
         query_int (self, "SELECT count(*) FROM (SELECT 1 FROM history WHERE state = 'undone' LIMIT 1)",
                    0, 0) > 0;
}

static const char undo_sql[] =
  "SELECT id, description, changeset FROM history WHERE state = 'done' AND changeset IS NOT NULL"
  " ORDER BY id DESC LIMIT 1";
static const char redo_sql[] =
  "SELECT id, description, changeset FROM history WHERE state = 'undone' ORDER BY id LIMIT 1";

static char *
step_label (TsrProject *self,
            const char *sql)
{
  sqlite3_stmt *stmt;
  char *label = NULL;

  if (self->db == NULL || (stmt = prepare (self, sql, NULL)) == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    label = dup_column (stmt, 1);
  sqlite3_reset (stmt);
  return label;
}

/**
 * tsr_project_get_undo_label:
 *
 * Returns: (transfer full) (nullable): what undo would undo
 */
char *
tsr_project_get_undo_label (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return step_label (self, undo_sql);
}

/**
 * tsr_project_get_redo_label:
 *
 * Returns: (transfer full) (nullable): what redo would redo
 */
char *
tsr_project_get_redo_label (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return step_label (self, redo_sql);
}

static int
conflict_cb (void                   *user_data,
             int                     conflict,
             sqlite3_changeset_iter *iter)
{
  /* A row an earlier step of the same changeset already removed through a
   * cascade is gone for good; anything else means the project changed
   * outside the history, and applying would clobber it. */
  if (conflict == SQLITE_CHANGESET_NOTFOUND)
    {
      const char *table;
      int n_cols, op, indirect;

      sqlite3changeset_op (iter, &table, &n_cols, &op, &indirect);
      if (op == SQLITE_DELETE)
        return SQLITE_CHANGESET_OMIT;
    }
  return SQLITE_CHANGESET_ABORT;
}

static gboolean
apply_step (TsrProject  *self,
            gboolean     undo,
            GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *description = NULL;
  g_autofree void *blob = NULL;
  void *inverted = NULL;
  int size = 0;
  gint64 id = 0;
  gboolean ok;
  guint flags;
  int rc;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (self->db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }
  if (self->op_depth > 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("An edit is in progress"));
      return FALSE;
    }

  stmt = prepare (self, undo ? undo_sql : redo_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      description = dup_column (stmt, 1);
      size = sqlite3_column_bytes (stmt, 2);
      blob = g_memdup2 (sqlite3_column_blob (stmt, 2), size);
    }
  sqlite3_reset (stmt);

  if (id == 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO,
                           undo ? _("There is nothing to undo") : _("There is nothing to redo"));
      return FALSE;
    }

  if (undo)
    {
      if (sqlite3changeset_invert (size, blob, &size, &inverted) != SQLITE_OK)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The history entry “%s” is damaged and cannot be undone"), description);
          return FALSE;
        }
    }

  /* The changeset already holds every row a cascade touched, so foreign
   * key actions must not run again while it is replayed.  References stay
   * consistent because the changeset is the exact inverse (or replay) of a
   * consistent edit of this very state: any row that differs from what it
   * expects is a conflict, and conflict_cb() aborts the whole step.  (A
   * whole-file foreign_key_check here would cost seconds at a million
   * segments.)  The pragma has no effect inside a transaction, hence before
   * BEGIN. */
  if (!tsr_database_exec (self->db, "PRAGMA foreign_keys = OFF", error))
    {
      sqlite3_free (inverted);
      return FALSE;
    }
  if (!tsr_database_begin (self->db, error))
    {
      sqlite3_free (inverted);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }

  rc = sqlite3changeset_apply (tsr_database_get_handle (self->db), size, undo ? inverted : blob,
                               NULL, conflict_cb, self);
  flags = changes_in_changeset (undo ? inverted : blob, size);
  sqlite3_free (inverted);

  if (rc != SQLITE_OK)
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
                   undo ? _("“%s” cannot be undone: the project has changed since")
                        : _("“%s” cannot be redone: the project has changed since"),
                   description);
      return FALSE;
    }

  stmt = prepare (self, "UPDATE history SET state = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, undo ? "undone" : "done", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!tsr_database_run (self->db, stmt, error))
    {
      tsr_database_rollback (self->db);
      tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
      return FALSE;
    }

  ok = tsr_database_commit (self->db, error);
  tsr_database_exec (self->db, "PRAGMA foreign_keys = ON", NULL);
  if (!ok)
    return FALSE;

  /* Undoing a merge takes away the coders it brought in, undoing a
   * rename or a switch of coder gives back the one before: notify_changes()
   * brings the current coder up to date. */
  notify_changes (self, flags);
  return TRUE;
}

/**
 * tsr_project_undo:
 *
 * Undoes the last edit that is not undone yet.
 */
gboolean
tsr_project_undo (TsrProject  *self,
                  GError     **error)
{
  return apply_step (self, TRUE, error);
}

/**
 * tsr_project_redo:
 *
 * Redoes the edit undone last, unless a new edit has been made since.
 */
gboolean
tsr_project_redo (TsrProject  *self,
                  GError     **error)
{
  return apply_step (self, FALSE, error);
}

static TsrHistoryEntry *
read_history_entry (sqlite3_stmt *stmt)
{
  TsrHistoryEntry *e = _tsr_entity_new (TSR_TYPE_HISTORY_ENTRY, sqlite3_column_int64 (stmt, 0),
                                        (const char *) sqlite3_column_text (stmt, 1));
  e->time = sqlite3_column_int64 (stmt, 2);
  e->coder_name = dup_column (stmt, 3);
  e->kind = dup_column (stmt, 4);
  e->description = dup_column (stmt, 5);
  e->undone = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "done") != 0;
  return e;
}

/**
 * tsr_project_list_history:
 * @limit: the most entries to return, 0 for all
 *
 * Returns: (transfer full) (element-type TsrHistoryEntry): the audit
 *   trail, newest first
 */
GPtrArray *
tsr_project_list_history (TsrProject *self,
                          guint       limit)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  return load_rows (self, "SELECT id, uuid, time, coder_name, kind, description, state FROM history"
                          " ORDER BY id DESC LIMIT ?",
                    TRUE, limit == 0 ? -1 : (gint64) limit, (RowReader) read_history_entry, NULL);
}

/**
 * tsr_project_set_history_enabled:
 *
 * Bulk loading (the demo builder, benchmarks) can skip recording edits in
 * the history; such edits cannot be undone.
 */
void
tsr_project_set_history_enabled (TsrProject *self,
                                 gboolean    enabled)
{
  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (self->op_depth == 0);

  self->history_enabled = !!enabled;
}

/* Themes: reviewing (split, merge), map links, the report ------------
 *
 * Each is one edit, and so one step of undo, however many rows it moves. */

/**
 * tsr_project_split_theme:
 * @code_ids: (array length=n_code_ids): codes of the theme to move out
 * @new_name: the name of the new theme
 *
 * Moves some of a theme's codes into a new candidate theme beside it
 * (under the same parent).
 *
 * Returns: the new theme's id, or 0 with @error set
 */
gint64
tsr_project_split_theme (TsrProject    *self,
                         gint64         theme_id,
                         const gint64  *code_ids,
                         guint          n_code_ids,
                         const char    *new_name,
                         GError       **error)
{
  g_autoptr(TsrTheme) theme = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 new_id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  theme = require_theme (self, theme_id, error);
  if (theme == NULL)
    return 0;
  if (!check_name (new_name, _("theme"), error))
    return 0;
  if (n_code_ids == 0 || code_ids == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Choose the codes of “%s” that go to the new theme"), theme->name);
      return 0;
    }
  for (guint i = 0; i < n_code_ids; i++)
    {
      stmt = prepare (self, "SELECT count(*) FROM theme_codes WHERE theme_id = ? AND code_id = ?", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, theme_id);
      sqlite3_bind_int64 (stmt, 2, code_ids[i]);
      ok = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 1;
      sqlite3_reset (stmt);
      if (!ok)
        {
          g_autoptr(TsrCode) code = tsr_project_lookup_code (self, code_ids[i]);

          if (code == NULL)
            not_found (error, _("code"), code_ids[i]);
          else
            g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code “%s” is not in theme “%s”"),
                         code->name, theme->name);
          return 0;
        }
    }
  clean = clean_name (new_name);

  if (!op_begin (self, TSR_CHANGE_THEMES, "theme.split",
                 g_strdup_printf (_("Split “%s” from theme “%s”"), clean, theme->name), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = prepare (self, "INSERT INTO themes (uuid, parent_id, name, position, created)"
                        " VALUES (?1, ?2, ?3, (SELECT coalesce (max (position), -1) + 1 FROM themes"
                        "   WHERE parent_id IS ?2), ?4)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      if (theme->parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, theme->parent_id);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, now_us ());
      ok = run (self, stmt, error);
      new_id = last_insert_id (self);
    }

  for (guint i = 0; ok && i < n_code_ids; i++)
    {
      stmt = prepare (self, "UPDATE theme_codes SET theme_id = ?1, position = ?3"
                            " WHERE theme_id = ?2 AND code_id = ?4", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, new_id);
          sqlite3_bind_int64 (stmt, 2, theme_id);
          sqlite3_bind_int (stmt, 3, i);
          sqlite3_bind_int64 (stmt, 4, code_ids[i]);
          ok = run (self, stmt, error);
        }
    }

  if (!op_end (self, ok, error))
    return 0;
  return new_id;
}

/* Fills a theme's empty text field from another theme's. */
static gboolean
fill_theme_field (TsrProject  *self,
                  const char  *column,
                  gint64       target_id,
                  gint64       source_id,
                  GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE themes SET %s = (SELECT %s FROM themes WHERE id = ?2)"
                                          " WHERE id = ?1 AND trim (%s) = ''", column, column, column);
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, target_id);
  sqlite3_bind_int64 (stmt, 2, source_id);
  return run (self, stmt, error);
}

static gboolean
run_with_two_ids (TsrProject  *self,
                  const char  *sql,
                  gint64       a,
                  gint64       b,
                  GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  return run (self, stmt, error);
}

/**
 * tsr_project_merge_themes:
 * @source_id: the theme merged away
 * @target_id: the theme that stays
 *
 * Merges one theme into another: the source's codes (after the target's
 * own), sub-themes and links move to the target, its definition, scope
 * notes, narrative and memo fill those of the target that are empty (a
 * memo both have is joined), and the source is deleted.  Links between
 * the two disappear, as a theme is not linked to itself.
 */
gboolean
tsr_project_merge_themes (TsrProject  *self,
                          gint64       source_id,
                          gint64       target_id,
                          GError     **error)
{
  g_autoptr(TsrTheme) source = NULL;
  g_autoptr(TsrTheme) target = NULL;
  g_autoptr(GArray) children = NULL;
  g_autofree char *source_memo = NULL;
  g_autofree char *target_memo = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  source = require_theme (self, source_id, error);
  if (source == NULL)
    return FALSE;
  target = require_theme (self, target_id, error);
  if (target == NULL)
    return FALSE;
  if (source_id == target_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("The theme “%s” cannot be merged into itself"), source->name);
      return FALSE;
    }
  if (is_ancestor_or_self (self, "themes", source_id, target_id))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CYCLE,
                   _("The theme “%s” cannot be merged into its own sub-theme “%s”"),
                   source->name, target->name);
      return FALSE;
    }

  source_memo = tsr_project_get_memo (self, TSR_MEMO_THEME, source_id);
  target_memo = tsr_project_get_memo (self, TSR_MEMO_THEME, target_id);

  if (!op_begin (self, TSR_CHANGE_THEMES | TSR_CHANGE_MAP | TSR_CHANGE_MEMOS, "theme.merge",
                 g_strdup_printf (_("Merge theme “%s” into “%s”"), source->name, target->name), error))
    return FALSE;

  /* Codes the target lacks, after its own, in the source's order. */
  ok = run_with_two_ids (self,
                         "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                         " SELECT ?2, code_id, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes"
                         "   WHERE theme_id = ?2) + row_number () OVER (ORDER BY position, code_id) - 1"
                         " FROM theme_codes WHERE theme_id = ?1 ORDER BY position, code_id",
                         source_id, target_id, error);

  /* Sub-themes, in order, after the target's. */
  if (ok)
    {
      children = g_array_new (FALSE, FALSE, sizeof (gint64));
      stmt = prepare (self, "SELECT id FROM themes WHERE parent_id = ? ORDER BY position, id", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, source_id);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              gint64 id = sqlite3_column_int64 (stmt, 0);
              g_array_append_val (children, id);
            }
          sqlite3_reset (stmt);
        }
      for (guint i = 0; ok && i < children->len; i++)
        ok = move_in_tree (self, "themes", g_array_index (children, gint64, i), source_id, target_id, -1, error);
    }

  /* Links: the ones between the two go, the others follow the target. */
  if (ok)
    ok = run_with_two_ids (self, "DELETE FROM map_links WHERE (from_theme_id = ?1 AND to_theme_id = ?2)"
                                 " OR (from_theme_id = ?2 AND to_theme_id = ?1)", source_id, target_id, error);
  if (ok)
    ok = run_with_two_ids (self, "UPDATE map_links SET from_theme_id = ?2 WHERE from_theme_id = ?1",
                           source_id, target_id, error);
  if (ok)
    ok = run_with_two_ids (self, "UPDATE map_links SET to_theme_id = ?2 WHERE to_theme_id = ?1",
                           source_id, target_id, error);

  if (ok)
    ok = fill_theme_field (self, "definition", target_id, source_id, error) &&
         fill_theme_field (self, "scope_notes", target_id, source_id, error) &&
         fill_theme_field (self, "narrative", target_id, source_id, error);

  if (ok && source_memo != NULL && *source_memo != '\0')
    {
      g_autofree char *joined = NULL;

      if (target_memo != NULL && *target_memo != '\0')
        joined = g_strconcat (target_memo, "\n\n", source_memo, NULL);
      else
        joined = g_strdup (source_memo);
      ok = tsr_project_set_memo (self, TSR_MEMO_THEME, target_id, joined, error);
    }

  if (ok)
    ok = run_with_id (self, "DELETE FROM themes WHERE id = ?", source_id, error);
  if (ok)
    ok = move_in_tree (self, "themes", 0, source->parent_id, source->parent_id, -1, error);

  return op_end (self, ok, error);
}

/**
 * tsr_project_set_map_link_label:
 * @label: what the link says ("leads to", "part of"…); may be empty
 *
 * Relabels a link between two themes.
 */
gboolean
tsr_project_set_map_link_label (TsrProject  *self,
                                gint64       id,
                                const char  *label,
                                GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (label != NULL && !g_utf8_validate (label, -1, NULL))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("The label is not valid text"));
      return FALSE;
    }
  clean = g_strstrip (g_strdup (label ? label : ""));
  if (!row_exists (self, "map_links", id))
    {
      not_found (error, _("link"), id);
      return FALSE;
    }

  if (!op_begin (self, TSR_CHANGE_MAP, "map.label",
                 g_strdup_printf (_("Label a link “%s”"), clean), error))
    return FALSE;
  return op_end (self, update_by_id (self, "UPDATE map_links SET label = ? WHERE id = ?",
                                     id, clean, 0, _("link"), error), error);
}

/**
 * tsr_project_mark_report_exported:
 * @format: what was exported ("docx", "pdf"…)
 *
 * Records that a report was exported, with the time and format: the last
 * phase's progress.  Exporters call it after writing their file.
 */
gboolean
tsr_project_mark_report_exported (TsrProject  *self,
                                  const char  *format,
                                  GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *value = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (format == NULL || *format == '\0' || !g_utf8_validate (format, -1, NULL))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("Say which format the report was exported as"));
      return FALSE;
    }
  value = g_strdup_printf ("%s %s", stamp, format);

  if (!op_begin (self, TSR_CHANGE_PROJECT, "report.exported",
                 g_strdup_printf (_("Export the report as %s"), format), error))
    return FALSE;
  return op_end (self, set_meta (self, "report-exported", value, error), error);
}

/**
 * tsr_project_get_report_exported:
 *
 * Returns: (transfer full) (nullable): when and as what the report was
 *   last exported ("2024-05-01T10:00:00Z docx"), or %NULL if never
 */
char *
tsr_project_get_report_exported (TsrProject *self)
{
  sqlite3_stmt *stmt;
  char *ret = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = prepare (self, "SELECT value FROM project WHERE key = 'report-exported'", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = dup_column (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}
