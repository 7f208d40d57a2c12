/* tsr-json.c — the whole project as JSON, losslessly
 *
 * The export is a dump of every table, row by row and column by column,
 * rather than a hand-designed document of entities: that way nothing the
 * schema holds can be forgotten (a new column is exported the day it is
 * added), and importing it back gives a file whose tables are identical —
 * ids, UUIDs, timestamps and the history's changesets included, so undo
 * works in the imported project too.
 *
 *   {
 *     "format": "tessera-project",
 *     "schema_version": 1,
 *     "generator": "Tessera 0.1.0",
 *     "tables": {
 *       "coders": [
 *         {"id": 1, "uuid": "…", "name": "Ada", …},
 *         …
 *       ],
 *       …
 *     }
 *   }
 *
 * Every table is written, so the decisions of a reconciliation (the
 * resolutions table, added in project format 2) travel with the coding
 * they were made on.  An export of an older format is read into this
 * version's schema: the tables it does not have simply stay empty.
 *
 * Values keep SQLite's storage class: INTEGER as a JSON integer, REAL as a
 * JSON number, TEXT as a string, NULL as null and BLOB as {"$blob":
 * "<base64>"}.  JSON has no infinities, so a non-finite REAL is written as
 * {"$real": "inf"} (or "-inf").
 *
 * The writer produces the frame itself and has json-glib serialise one row
 * at a time, so exporting a project of a million segments never holds more
 * than one row as a JSON tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tsr-error.h"
#include "tsr-json.h"
#include "tsr-project-private.h"

#define FORMAT_NAME  "tessera-project"
#define FLUSH_BYTES  (64 * 1024)

/* Columns ------------------------------------------------------------ */

static char *
quote_identifier (const char *name)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

typedef struct
{
  GPtrArray *names;       /* the table's ordinary columns, in schema order */
  GPtrArray *primary_key; /* its primary key's columns, in key order */
} Columns;

static void
columns_clear (Columns *columns)
{
  g_clear_pointer (&columns->names, g_ptr_array_unref);
  g_clear_pointer (&columns->primary_key, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Columns, columns_clear)

/* Reads the table's columns from PRAGMA table_xinfo; generated and
 * hidden columns are left out since they cannot be inserted. */
static gboolean
read_columns (TsrDatabase  *db,
              const char   *table,
              Columns      *columns,
              GError      **error)
{
  g_autofree char *quoted = quote_identifier (table);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_xinfo (%s)", quoted);
  g_autoptr(GArray) key_order = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  columns->names = g_ptr_array_new_with_free_func (g_free);
  columns->primary_key = g_ptr_array_new_with_free_func (g_free);

  if (!(stmt = tsr_database_prepare (db, sql, error)))
    return FALSE;

  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      /* cid, name, type, notnull, dflt_value, pk, hidden */
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      int pk = sqlite3_column_int (stmt, 5);
      int hidden = sqlite3_column_int (stmt, 6);

      if (hidden != 0)
        continue;

      g_ptr_array_add (columns->names, g_strdup (name));
      if (pk > 0)
        {
          guint i;

          for (i = 0; i < key_order->len; i++)
            if (g_array_index (key_order, int, i) > pk)
              break;
          g_array_insert_val (key_order, i, pk);
          g_ptr_array_insert (columns->primary_key, i, g_strdup (name));
        }
    }
  if (!ok)
    return FALSE;

  if (columns->names->len == 0)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_FAILED,
                   _("The project has no table “%s”"), table);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_cancelled_error (GCancellable  *cancellable,
                     GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED,
                       _("The operation was cancelled"));
  return TRUE;
}

/* Export ------------------------------------------------------------- */

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
  JsonGenerator *generator;
} Writer;

static gboolean
writer_flush (Writer  *w,
              GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (w->buffer->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (w->stream, w->buffer->str, w->buffer->len,
                                  NULL, w->cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED,
                             _("The operation was cancelled"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_string_truncate (w->buffer, 0);
  return TRUE;
}

static void
writer_append_node (Writer   *w,
                    JsonNode *node)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (w->generator, node);
  text = json_generator_to_data (w->generator, &length);
  g_string_append_len (w->buffer, text, length);
}

static void
writer_append_string (Writer     *w,
                      const char *string)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), string);

  writer_append_node (w, node);
}

static JsonNode *
column_to_node (sqlite3_stmt *stmt,
                int           column)
{
  JsonNode *node = json_node_alloc ();

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      return json_node_init_int (node, sqlite3_column_int64 (stmt, column));

    case SQLITE_FLOAT:
      {
        double value = sqlite3_column_double (stmt, column);
        JsonObject *wrapper;

        if (isfinite (value))
          return json_node_init_double (node, value);

        wrapper = json_object_new ();
        json_object_set_string_member (wrapper, "$real", value > 0 ? "inf" : "-inf");
        json_node_init (node, JSON_NODE_OBJECT);
        json_node_take_object (node, wrapper);
        return node;
      }

    case SQLITE_TEXT:
      return json_node_init_string (node, (const char *) sqlite3_column_text (stmt, column));

    case SQLITE_BLOB:
      {
        const guchar *data = sqlite3_column_blob (stmt, column);
        int length = sqlite3_column_bytes (stmt, column);
        g_autofree char *encoded = g_base64_encode (data, length);
        JsonObject *wrapper = json_object_new ();

        json_object_set_string_member (wrapper, "$blob", encoded);
        json_node_init (node, JSON_NODE_OBJECT);
        json_node_take_object (node, wrapper);
        return node;
      }

    case SQLITE_NULL:
    default:
      return json_node_init_null (node);
    }
}

static gboolean
export_table (Writer       *w,
              TsrDatabase  *db,
              const char   *table,
              GError      **error)
{
  g_auto(Columns) columns = { NULL, NULL };
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autofree char *quoted_table = quote_identifier (table);
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;
  gboolean first = TRUE;

  if (!read_columns (db, table, &columns, error))
    return FALSE;

  for (guint i = 0; i < columns.names->len; i++)
    {
      g_autofree char *quoted = quote_identifier (columns.names->pdata[i]);

      g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", quoted);
    }
  g_string_append_printf (sql, " FROM %s ORDER BY ", quoted_table);
  /* Rows in key order make two exports of equal projects equal text. */
  if (columns.primary_key->len == 0)
    g_string_append (sql, "rowid");
  for (guint i = 0; i < columns.primary_key->len; i++)
    {
      g_autofree char *quoted = quote_identifier (columns.primary_key->pdata[i]);

      g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", quoted);
    }

  if (!(stmt = tsr_database_prepare (db, sql->str, error)))
    return FALSE;

  g_string_append (w->buffer, "    ");
  writer_append_string (w, table);
  g_string_append (w->buffer, ": [");

  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      g_autoptr(JsonNode) row = NULL;
      JsonObject *object;

      if (set_cancelled_error (w->cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }

      row = json_node_new (JSON_NODE_OBJECT);
      object = json_object_new ();

      for (guint i = 0; i < columns.names->len; i++)
        json_object_set_member (object, columns.names->pdata[i], column_to_node (stmt, i));
      json_node_take_object (row, object);

      g_string_append (w->buffer, first ? "\n      " : ",\n      ");
      writer_append_node (w, row);
      first = FALSE;

      if (w->buffer->len >= FLUSH_BYTES && !writer_flush (w, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  if (!ok)
    return FALSE;

  g_string_append (w->buffer, first ? "]" : "\n    ]");
  return TRUE;
}

/**
 * tsr_project_export_json:
 * @self: a #TsrProject
 * @stream: where to write the JSON; left open
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the whole project — every row of every table, the history and
 * its undo information included — as one JSON document that
 * tsr_project_import_json() turns back into an identical project.
 *
 * Rows are written in primary-key order and columns in schema order, so
 * exporting the same project twice gives the same bytes: exports can be
 * compared with diff and kept under version control.
 *
 * Returns: %TRUE on success
 */
gboolean
tsr_project_export_json (TsrProject     *self,
                         GOutputStream  *stream,
                         GCancellable   *cancellable,
                         GError        **error)
{
  const char * const *tables = tsr_database_table_names ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GString) buffer = NULL;
  TsrDatabase *db;
  Writer w;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _tsr_project_get_database (self);
  generator = json_generator_new ();
  buffer = g_string_sized_new (FLUSH_BYTES + 4096);
  w = (Writer) { stream, cancellable, buffer, generator };

  /* One transaction: the tables are read as of one moment. */
  if (!tsr_database_begin_read (db, error))
    return FALSE;
  tsr_database_push_cancellable (db, cancellable);

  g_string_append_printf (buffer,
                          "{\n"
                          "  \"format\": \"" FORMAT_NAME "\",\n"
                          "  \"schema_version\": %u,\n"
                          "  \"generator\": \"Tessera " PACKAGE_VERSION "\",\n"
                          "  \"tables\": {",
                          tsr_database_schema_version ());

  for (guint i = 0; ok && tables[i] != NULL; i++)
    {
      g_string_append (buffer, i > 0 ? ",\n" : "\n");
      ok = export_table (&w, db, tables[i], error);
    }

  if (ok)
    {
      g_string_append (buffer, "\n  }\n}\n");
      ok = writer_flush (&w, error) &&
           g_output_stream_flush (stream, cancellable, error);
    }

  tsr_database_pop_cancellable (db);
  if (ok)
    ok = tsr_database_commit (db, error);
  else
    tsr_database_rollback (db);

  return ok;
}

/* Import ------------------------------------------------------------- */

static void
set_damaged_error (GError     **error,
                   const char  *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
set_damaged_error (GError     **error,
                   const char  *format,
                   ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
               _("The project export is damaged: %s"), detail);
}

/* Checks the frame of the document before anything is written. */
static JsonObject *
check_document (JsonNode  *root,
                GError   **error)
{
  JsonObject *object;
  JsonNode *node;
  JsonObjectIter iter;
  const char *name;
  gint64 version;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(object = json_node_get_object (root)) ||
      !(node = json_object_get_member (object, "format")) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (node), FORMAT_NAME) != 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_A_PROJECT,
                           _("This JSON file is not a Tessera project export"));
      return NULL;
    }

  node = json_object_get_member (object, "schema_version");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (version = json_node_get_int (node)) < 1)
    {
      set_damaged_error (error, _("it does not say which version of Tessera wrote it"));
      return NULL;
    }
  if (version > tsr_database_schema_version ())
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NEWER_VERSION,
                   _("The project export was written by a newer version of Tessera "
                     "(project format %" PRId64 "; this version reads up to %u). "
                     "Update Tessera to import it."),
                   version, tsr_database_schema_version ());
      return NULL;
    }

  node = json_object_get_member (object, "tables");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_damaged_error (error, _("it holds no tables"));
      return NULL;
    }

  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!g_strv_contains (tsr_database_table_names (), name))
        {
          set_damaged_error (error, _("it has a table “%s” that Tessera does not know"), name);
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_damaged_error (error, _("the table “%s” is not a list of rows"), name);
          return NULL;
        }
    }

  return json_object_get_object_member (object, "tables");
}

static gboolean
bind_value (sqlite3_stmt  *stmt,
            int            index,
            JsonNode      *value,
            const char    *table,
            const char    *column,
            GError       **error)
{
  int rc = SQLITE_MISUSE;

  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_NULL:
      rc = sqlite3_bind_null (stmt, index);
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (value))
        {
        case G_TYPE_INT64:
          rc = sqlite3_bind_int64 (stmt, index, json_node_get_int (value));
          break;
        case G_TYPE_DOUBLE:
          rc = sqlite3_bind_double (stmt, index, json_node_get_double (value));
          break;
        case G_TYPE_BOOLEAN:
          rc = sqlite3_bind_int (stmt, index, json_node_get_boolean (value) ? 1 : 0);
          break;
        case G_TYPE_STRING:
          rc = sqlite3_bind_text (stmt, index, json_node_get_string (value), -1,
                                  SQLITE_TRANSIENT);
          break;
        default:
          break;
        }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *wrapper = json_node_get_object (value);
        JsonNode *blob = json_object_get_member (wrapper, "$blob");
        JsonNode *real = json_object_get_member (wrapper, "$real");

        if (json_object_get_size (wrapper) != 1)
          break;

        if (blob != NULL && json_node_get_value_type (blob) == G_TYPE_STRING)
          {
            g_autofree guchar *data = NULL;
            gsize length = 0;

            data = g_base64_decode (json_node_get_string (blob), &length);
            rc = sqlite3_bind_blob64 (stmt, index, data ? (const void *) data : "",
                                      length, SQLITE_TRANSIENT);
          }
        else if (real != NULL && json_node_get_value_type (real) == G_TYPE_STRING)
          {
            const char *text = json_node_get_string (real);

            if (g_str_equal (text, "inf"))
              rc = sqlite3_bind_double (stmt, index, INFINITY);
            else if (g_str_equal (text, "-inf"))
              rc = sqlite3_bind_double (stmt, index, -INFINITY);
          }
      }
      break;

    case JSON_NODE_ARRAY:
    default:
      break;
    }

  if (rc != SQLITE_OK)
    {
      set_damaged_error (error, _("the value of “%s” in the table “%s” is not one Tessera stores"),
                         column, table);
      return FALSE;
    }

  return TRUE;
}

static gboolean
import_row (TsrDatabase  *db,
            const char   *table,
            const char   *quoted_table,
            GHashTable   *known_columns,
            JsonNode     *row,
            guint         row_number,
            GError      **error)
{
  g_autoptr(GString) sql = NULL;
  g_autoptr(GString) placeholders = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  JsonObject *object;
  const char *column;
  JsonNode *value;
  sqlite3_stmt *stmt;
  int index = 0;

  if (!JSON_NODE_HOLDS_OBJECT (row) ||
      json_object_get_size (object = json_node_get_object (row)) == 0)
    {
      set_damaged_error (error, _("row %u of the table “%s” is not a row"), row_number, table);
      return FALSE;
    }

  sql = g_string_new ("INSERT INTO ");
  g_string_append (sql, quoted_table);
  g_string_append (sql, " (");
  placeholders = g_string_new (") VALUES (");

  /* Column names are keys from the file: only the table's own columns
   * may reach the SQL text. */
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &column, &value))
    {
      g_autofree char *quoted = NULL;

      if (!g_hash_table_contains (known_columns, column))
        {
          set_damaged_error (error, _("the table “%s” has no column “%s”"), table, column);
          return FALSE;
        }
      quoted = quote_identifier (column);
      g_string_append_printf (sql, "%s%s", index > 0 ? ", " : "", quoted);
      g_string_append (placeholders, index > 0 ? ", ?" : "?");
      index++;
    }
  g_string_append (sql, placeholders->str);
  g_string_append_c (sql, ')');

  if (!(stmt = tsr_database_prepare (db, sql->str, error)))
    return FALSE;

  index = 0;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &column, &value))
    if (!bind_value (stmt, ++index, value, table, column, error))
      return FALSE;

  if (!tsr_database_run (db, stmt, &local_error))
    {
      if (local_error->code == TSR_ERROR_CANCELLED)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_damaged_error (error, _("row %u of the table “%s” cannot be restored (%s)"),
                           row_number, table, sqlite3_errmsg (tsr_database_get_handle (db)));
      return FALSE;
    }

  return TRUE;
}

static gboolean
import_table (TsrDatabase   *db,
              const char    *table,
              JsonArray     *rows,
              GCancellable  *cancellable,
              GError       **error)
{
  g_auto(Columns) columns = { NULL, NULL };
  g_autoptr(GHashTable) known = NULL;
  g_autofree char *quoted_table = quote_identifier (table);
  guint n_rows = json_array_get_length (rows);

  if (!read_columns (db, table, &columns, error))
    return FALSE;

  known = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < columns.names->len; i++)
    g_hash_table_add (known, columns.names->pdata[i]);

  for (guint i = 0; i < n_rows; i++)
    {
      if (set_cancelled_error (cancellable, error))
        return FALSE;
      if (!import_row (db, table, quoted_table, known, json_array_get_element (rows, i),
                       i + 1, error))
        return FALSE;
    }

  return TRUE;
}

/* Runs the deferred reference checks before COMMIT would, to say which
 * table is at fault. */
static gboolean
check_references (TsrDatabase  *db,
                  GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (!(stmt = tsr_database_prepare (db, "PRAGMA foreign_key_check", error)) ||
      !tsr_database_step_row (db, stmt, &has_row, error))
    return FALSE;

  if (has_row)
    {
      /* table, rowid, parent, fkid */
      set_damaged_error (error, _("a row of the table “%s” refers to a row of “%s” "
                                  "that the export does not hold"),
                         (const char *) sqlite3_column_text (stmt, 0),
                         (const char *) sqlite3_column_text (stmt, 2));
      sqlite3_reset (stmt);
      return FALSE;
    }

  return TRUE;
}

/* tsr_project_open () refuses a project without a title as damaged:
 * never write one. */
static gboolean
check_title (TsrDatabase  *db,
             GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (!(stmt = tsr_database_prepare (db, "SELECT 1 FROM project WHERE key = 'title'", error)) ||
      !tsr_database_step_row (db, stmt, &has_row, error))
    return FALSE;

  if (!has_row)
    {
      set_damaged_error (error, _("it does not hold the project’s title"));
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

/* Offsets are characters of a document's text: a document whose length
 * is not its text's, or a segment running past its document's end, would
 * make every count that subtracts from the length wrong (agreement's
 * "coded by neither" went negative).  Refuse them, naming the first. */
static gboolean
check_lengths (TsrDatabase  *db,
               GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row;

  if (!(stmt = tsr_database_prepare (db, "SELECT d.name, d.length, length (t.text)"
                                         " FROM documents d JOIN document_texts t ON t.document_id = d.id"
                                         " WHERE d.length <> length (t.text) LIMIT 1", error)) ||
      !tsr_database_step_row (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      set_damaged_error (error, _("the document “%s” says it has %" PRId64 " characters, "
                                  "but its text has %" PRId64),
                         (const char *) sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1),
                         (gint64) sqlite3_column_int64 (stmt, 2));
      sqlite3_reset (stmt);
      return FALSE;
    }

  if (!(stmt = tsr_database_prepare (db, "SELECT s.id, d.name, s.start, s.end, d.length"
                                         " FROM segments s JOIN documents d ON d.id = s.document_id"
                                         " WHERE s.end > d.length ORDER BY s.id LIMIT 1", error)) ||
      !tsr_database_step_row (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      set_damaged_error (error, _("the segment %" PRId64 " of the document “%s” runs from character "
                                  "%" PRId64 " to %" PRId64 ", past the document’s end "
                                  "(%" PRId64 " characters)"),
                         (gint64) sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
                         (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3),
                         (gint64) sqlite3_column_int64 (stmt, 4));
      sqlite3_reset (stmt);
      return FALSE;
    }

  return TRUE;
}

static gboolean
restore_tables (TsrDatabase   *db,
                JsonObject    *tables,
                GCancellable  *cancellable,
                GError       **error)
{
  const char * const *names = tsr_database_table_names ();
  guint n_names = g_strv_length ((char **) names);

  /* A code may have been moved under a parent created after it, so rows
   * of one table can refer forward: check references at commit, once
   * every row is in. */
  if (!tsr_database_exec (db, "PRAGMA defer_foreign_keys = ON", error))
    return FALSE;

  /* A new project starts with rows of its own (its UUID, its creation
   * time…); the export's replace them. */
  for (guint i = n_names; i > 0; i--)
    {
      g_autofree char *quoted = quote_identifier (names[i - 1]);
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", quoted);

      if (!tsr_database_exec (db, sql, error))
        return FALSE;
    }

  for (guint i = 0; i < n_names; i++)
    {
      JsonNode *rows = json_object_get_member (tables, names[i]);

      if (rows != NULL &&
          !import_table (db, names[i], json_node_get_array (rows), cancellable, error))
        return FALSE;
    }

  return check_references (db, error) && check_title (db, error) && check_lengths (db, error);
}

static void
delete_project_file (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static JsonParser *
parse_stream (GInputStream  *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (json_parser_load_from_stream (parser, stream, cancellable, &local_error))
    return g_steal_pointer (&parser);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED,
                         _("The operation was cancelled"));
  else if (local_error->domain == JSON_PARSER_ERROR)
    g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                 _("The project export is not valid JSON; it may be incomplete or damaged (%s)"),
                 local_error->message);
  else
    g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                 _("The project export cannot be read: %s"), local_error->message);

  return NULL;
}

/**
 * tsr_project_import_json:
 * @project_path: where to create the project; the file must not exist
 * @stream: a JSON document written by tsr_project_export_json()
 * @cancellable: (nullable): a #GCancellable, checked between rows
 * @error: return location for a #GError
 *
 * Creates a new project at @project_path holding exactly what the export
 * holds: every row of every table, with the same ids, UUIDs, times and
 * history, so undo and redo carry on where they were.
 *
 * The document is checked before the file is created; an export written
 * by a newer Tessera fails with %TSR_ERROR_NEWER_VERSION, anything that
 * is not an export with %TSR_ERROR_NOT_A_PROJECT, and a damaged one with
 * %TSR_ERROR_CORRUPT.  On any failure no file is left at @project_path.
 *
 * Returns: (transfer full): the open project, or %NULL with @error set
 */
TsrProject *
tsr_project_import_json (const char    *project_path,
                         GInputStream  *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(TsrProject) project = NULL;
  JsonObject *tables;
  TsrDatabase *db;
  gboolean ok;

  g_return_val_if_fail (project_path != NULL, NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(parser = parse_stream (stream, cancellable, error)) ||
      !(tables = check_document (json_parser_get_root (parser), error)))
    return NULL;

  /* tsr_project_create () refuses an existing file, so everything below
   * only ever deletes a file this call made. */
  if (!(project = tsr_project_create (project_path, error)))
    return NULL;

  db = _tsr_project_get_database (project);
  ok = tsr_database_begin (db, error);
  if (ok)
    {
      tsr_database_push_cancellable (db, cancellable);
      ok = restore_tables (db, tables, cancellable, error);
      tsr_database_pop_cancellable (db);

      if (ok)
        ok = tsr_database_commit (db, error);
      else
        tsr_database_rollback (db);
    }

  if (!ok)
    {
      tsr_project_close (project, NULL);
      g_clear_object (&project);
      delete_project_file (project_path);
      return NULL;
    }

  _tsr_project_reload (project);

  return g_steal_pointer (&project);
}
