/* tsr-project.c — an open Tessera project: opening, closing, what it
 * tells its watchers, and its live models
 *
 * The project object is written in several files that share
 * tsr-project-internal.h:
 *
 *   tsr-project.c            this: the GObject, open/close, notifications,
 *                            live models, the project's own settings
 *   tsr-project-history.c    the operations layer every edit goes through,
 *                            the history, undo and redo
 *   tsr-project-rows.c       reading rows into entity objects
 *   tsr-project-<entity>.c   the operations on one family of entities:
 *                            coders, documents, codes, segments, memos,
 *                            themes, cases (and attributes), map; with
 *                            tsr-project-tree.c for what the code and
 *                            theme trees share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsr-enum-types.h"
#include "tsr-error.h"
#include "tsr-project-internal.h"

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

/* Helpers ------------------------------------------------------------ */

gint64
_tsr_now_us (void)
{
  return g_get_real_time ();
}

char *
_tsr_dup_column (sqlite3_stmt *stmt,
                 int           col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return g_strdup (s ? s : "");
}

gboolean
_tsr_check_name (const char  *name,
                 TsrKind      kind,
                 GError     **error)
{
  const char *p;

  for (p = name; p != NULL && *p != '\0' && g_ascii_isspace (*p); p++)
    ;
  if (p == NULL || *p == '\0')
    {
      const char *message;

      switch (kind)
        {
        case TSR_KIND_PROJECT: message = _("A project needs a name"); break;
        case TSR_KIND_CODER: message = _("A coder needs a name"); break;
        case TSR_KIND_DOCUMENT: message = _("A document needs a name"); break;
        case TSR_KIND_CODE:
        case TSR_KIND_PARENT_CODE: message = _("A code needs a name"); break;
        case TSR_KIND_THEME: message = _("A theme needs a name"); break;
        case TSR_KIND_CASE: message = _("A case needs a name"); break;
        case TSR_KIND_ATTRIBUTE: message = _("An attribute needs a name"); break;
        case TSR_KIND_LINK:
        case TSR_KIND_JOURNAL_ENTRY:
        case TSR_KIND_SEGMENT:
        default: message = _("A name is needed"); break;
        }
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, message);
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, _("The name is not valid text"));
      return FALSE;
    }
  return TRUE;
}

char *
_tsr_clean_name (const char *name)
{
  return g_strstrip (g_strdup (name));
}

gboolean
_tsr_valid_color (const char *color)
{
  if (color == NULL || color[0] != '#' || strlen (color) != 7)
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

void
_tsr_not_found (GError     **error,
                TsrKind      kind,
                gint64       id)
{
  switch (kind)
    {
    case TSR_KIND_PROJECT:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The project (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_CODER:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The coder (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_DOCUMENT:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The document (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_CODE:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The code (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_PARENT_CODE:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The parent code (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_THEME:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The theme (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_CASE:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The case (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_ATTRIBUTE:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The attribute (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_LINK:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The link (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_JOURNAL_ENTRY:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The journal entry (id %" PRId64 ") does not exist"), id);
      break;
    case TSR_KIND_SEGMENT:
    default:
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The coded passage (id %" PRId64 ") does not exist"), id);
      break;
    }
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
  /* A document marked done changes what agreement compares, and the
   * document list shows it. */
  { "document_done", TSR_CHANGE_DOCUMENTS },
};

guint
_tsr_changes_in_changeset (const void *data,
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


static void
reload_project_cache (TsrProject *self)
{
  sqlite3_stmt *stmt;

  stmt = tsr_database_prepare (self->db, "SELECT key, value FROM project", NULL);
  if (stmt == NULL)
    return;

  while (tsr_database_next_row (self->db, stmt))
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (key, "title") == 0)
        {
          g_free (self->title);
          self->title = _tsr_dup_column (stmt, 1);
        }
      else if (g_strcmp0 (key, "description") == 0)
        {
          g_free (self->description);
          self->description = _tsr_dup_column (stmt, 1);
        }
    }
  sqlite3_reset (stmt);
}

void
_tsr_project_notify_changes (TsrProject *self,
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
    _tsr_project_refresh_current_coder (self);

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

/* Tells whoever watches that the current coder changed (see
 * tsr-project-coders.c). */
void
_tsr_project_notify_current_coder (TsrProject *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CODER]);
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
  g_clear_pointer (&self->pending_coder_name, g_free);
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
                  G_TYPE_NONE, 1, TSR_TYPE_CHANGE);
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
  _tsr_project_refresh_current_coder (self);
  return self;
}

gboolean
_tsr_project_set_meta (TsrProject  *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  sqlite3_stmt *stmt = _tsr_project_prepare (self, "INSERT INTO project (key, value) VALUES (?, ?)"
                                                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _tsr_project_run (self, stmt, error);
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
  if (!_tsr_project_set_meta (self, "uuid", uuid, error) ||
      !_tsr_project_set_meta (self, "title", title, error) ||
      !_tsr_project_set_meta (self, "description", "", error) ||
      !_tsr_project_set_meta (self, "created", created, error))
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
static TsrProject *
open_project (const char       *path,
              TsrDatabaseMode   mode,
              GError          **error)
{
  TsrDatabase *db;
  TsrProject *self;

  db = tsr_database_open (path, mode, error);
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

/**
 * tsr_project_open:
 * @path: the project file
 *
 * Opens a project to read and edit it.  Opening writes nothing (a
 * project opened, read and closed keeps its bytes and its modification
 * time); an older project is upgraded, in one transaction.
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
TsrProject *
tsr_project_open (const char  *path,
                  GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_project (path, TSR_DATABASE_OPEN_EXISTING, error);
}

/**
 * tsr_project_open_read_only:
 * @path: the project file
 *
 * Opens a project only to read it: SQLite opens the file read-only, so
 * nothing that happens while it is open can change it.  Edits fail with
 * %TSR_ERROR_READ_ONLY; so does opening a project of an older version,
 * which would need upgrading.
 *
 * Returns: (transfer full): the project, or %NULL with @error set
 */
TsrProject *
tsr_project_open_read_only (const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_project (path, TSR_DATABASE_OPEN_READ_ONLY, error);
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

  if (!_tsr_check_name (title, TSR_KIND_PROJECT, error))
    return FALSE;
  clean = _tsr_clean_name (title);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_PROJECT, "project.title",
                              g_strdup_printf (_("Rename project to “%s”"), clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_set_meta (self, "title", clean, error), error);
}

gboolean
tsr_project_set_description (TsrProject  *self,
                             const char  *description,
                             GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_PROJECT, "project.description",
                              g_strdup (_("Edit project description")), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_set_meta (self, "description", description ? description : "", error), error);
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
  gboolean has_row;
  gboolean fk_ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  stmt = _tsr_project_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL || !tsr_database_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    result = _tsr_dup_column (stmt, 0);
  sqlite3_reset (stmt);

  stmt = _tsr_project_prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL || !tsr_database_step_row (self->db, stmt, &has_row, error))
    return FALSE;
  fk_ok = !has_row;
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

/**
 * tsr_project_check_reads:
 *
 * Whether everything read from the project since the last call was read
 * whole.  A damaged page or a failing disk stops a read part way, and
 * what returns no error — a list of codes, a lookup — then holds only
 * the rows read before; so whoever prints, exports or shows what was read
 * as complete asks here first.  tessera-cli fails with this error rather
 * than print a short table.
 *
 * Returns: %TRUE, or %FALSE with @error set to the first failure, naming
 *   the file (%TSR_ERROR_CORRUPT for a damaged one); it is then forgotten
 */
gboolean
tsr_project_check_reads (TsrProject  *self,
                         GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (self->db == NULL)
    return TRUE;
  return tsr_database_check_reads (self->db, error);
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
  _tsr_project_notify_changes (self, TSR_CHANGE_ALL);
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

GListModel *
_tsr_project_get_model (TsrProject          *self,
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

  if (!_tsr_project_op_begin (self, TSR_CHANGE_PROJECT, "report.exported",
                              g_strdup_printf (_("Export the report as %s"), format), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_set_meta (self, "report-exported", value, error), error);
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

  stmt = _tsr_project_prepare (self, "SELECT value FROM project WHERE key = 'report-exported'", NULL);
  if (stmt == NULL)
    return NULL;
  if (tsr_database_next_row (self->db, stmt))
    ret = _tsr_dup_column (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}
