/* tsr-refi-export.c — a Tessera project as a REFI-QDA project (.qdpx)
 *
 * The .qdpx is a zip of project.qde (Project.xsd, namespace
 * urn:QDA-XML:project:1.0) and each document's text as UTF-8 under
 * sources/, named after its UUID.  Tessera's UUIDs are the GUIDs, so a
 * project that comes back through an import names the same coders,
 * codes, documents, passages, memos, cases and themes.
 *
 *   coders            Users (the consensus coder's id is
 *                     "tessera:consensus", which an import reads back)
 *   codes             the CodeBook's nested Codes, colour and definition
 *   documents         TextSources with plainTextPath internal://<uuid>.txt;
 *                     the text has "\n" line ends and no byte order
 *                     mark, so positions in code points are Tessera's
 *                     offsets unchanged
 *   segments          a PlainTextSelection each (its GUID made from the
 *                     segment's UUID) holding one Coding whose GUID is
 *                     the segment's UUID, by its coder, at its time
 *   memos, journal    Notes, referred to from what they are on (NoteRef
 *                     in the Code, TextSource or selection; MemberNote
 *                     in a theme's Set; the journal from the Project)
 *   cases, attributes Cases with SourceRefs and VariableValues;
 *                     Variables
 *   themes            Sets of codes (MemberCode): what ATLAS.ti shows as
 *                     code groups, MAXQDA as code sets and NVivo as sets
 *                     — the one grouping of codes across the code tree
 *                     every tool reads; the definition is the Set's
 *                     Description
 *   theme map         a Graph whose Vertices are the placed codes and
 *                     themes and whose Edges are the links
 *
 * What an import kept without showing (tsr-refi-qde.c) is written back,
 * with any reference to something since deleted taken out so the file
 * still validates.  The project is read through a connection of the
 * caller's (the project's own, or a worker's reader) and the file is
 * saved whole or not at all (tsr_export_save_file ()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-export-private.h"
#include "tsr-project-private.h"
#include "tsr-refi-private.h"

/* Selections are named after the start of their text, as ATLAS.ti names
 * quotations. */
#define SELECTION_NAME_CHARS 60

typedef struct
{
  sqlite3         *db;
  const char      *path;          /* for messages */
  TsrRefiSummary  *summary;
  GCancellable    *cancellable;
  xmlTextWriterPtr w;
  TsrZip          *zip;
  /* Everything written, for checking what kept elements refer to */
  GHashTable      *guids;         /* guid → kind letter */
  GHashTable      *coders;        /* id → uuid */
  GHashTable      *codes;         /* id → uuid */
  /* Memos by target: "d:<id>", "s:<id>", "c:<id>", "t:<id>" → uuid */
  GHashTable      *memo_of;
  char            *project_uuid;
} Export;

/* Reading ---------------------------------------------------------------- */

static sqlite3_stmt *
prepare (Export      *ex,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (ex->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      tsr_database_set_handle_error (ex->db, rc, error, ex->path);
      return NULL;
    }
  return stmt;
}

/* Ends a loop of sqlite3_step (): a step that failed is an error, not the
 * end of the rows. */
static gboolean
finish (Export        *ex,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsr_database_set_handle_error (ex->db, rc, error, ex->path);
      return FALSE;
    }
  return TRUE;
}

static const char *
column (sqlite3_stmt *stmt,
        int           i)
{
  const char *text = (const char *) sqlite3_column_text (stmt, i);

  return text != NULL ? text : "";
}

static char *
read_meta (Export     *ex,
           const char *key)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT value FROM project WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (column (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Writing helpers -------------------------------------------------------- */

static void
start (Export     *ex,
       const char *name)
{
  xmlTextWriterStartElement (ex->w, BAD_CAST name);
}

static void
end (Export *ex)
{
  xmlTextWriterEndElement (ex->w);
}

static void
attr (Export     *ex,
      const char *name,
      const char *value)
{
  if (value != NULL)
    xmlTextWriterWriteAttribute (ex->w, BAD_CAST name, BAD_CAST value);
}

static void
element (Export     *ex,
         const char *name,
         const char *text)
{
  xmlTextWriterWriteElement (ex->w, BAD_CAST name, BAD_CAST text);
}

static void
ref (Export     *ex,
     const char *name,
     const char *guid)
{
  start (ex, name);
  attr (ex, "targetGUID", guid);
  end (ex);
}

/* An xsd:dateTime, in UTC.  Written for every passage, so without a
 * GDateTime each time. */
static char *
format_time (gint64 us)
{
  time_t seconds = (time_t) (us / G_USEC_PER_SEC);
  struct tm tm;

  if (us < 0 || gmtime_r (&seconds, &tm) == NULL || tm.tm_year + 1900 > 9999)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A Tessera UUID as a GUID: itself when it is one (always, for UUIDs
 * Tessera made), else one made from it. */
static char *
guid_for (const char *uuid,
          const char *salt)
{
  if (_tsr_refi_guid_is_valid (uuid))
    return _tsr_refi_guid_normalize (uuid);
  return _tsr_refi_guid_derive (uuid, salt);
}

static void
note_guid (Export     *ex,
           const char *guid,
           char        kind)
{
  g_hash_table_insert (ex->guids, g_strdup (guid), GINT_TO_POINTER ((int) kind));
}

static char *
id_key (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
add_skipped (Export     *ex,
             guint       n,
             const char *singular,
             const char *plural)
{
  if (n > 0)
    g_ptr_array_add (ex->summary->skipped,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, singular, plural, n), n));
}

static gint64
count (Export     *ex,
       const char *sql)
{
  sqlite3_stmt *stmt = prepare (ex, sql, NULL);
  gint64 n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  return n;
}

/* The parts ---------------------------------------------------------------- */

static gboolean
write_users (Export  *ex,
             GError **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT id, uuid, name, is_consensus FROM coders ORDER BY id", error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guid = guid_for (column (stmt, 1), "coder");

      if (!any)
        start (ex, "Users");
      any = TRUE;
      start (ex, "User");
      attr (ex, "guid", guid);
      attr (ex, "name", column (stmt, 2));
      if (sqlite3_column_int (stmt, 3))
        attr (ex, "id", "tessera:consensus");
      end (ex);
      note_guid (ex, guid, 'u');
      g_hash_table_insert (ex->coders, id_key (sqlite3_column_int64 (stmt, 0)), g_steal_pointer (&guid));
      ex->summary->n_coders++;
    }
  if (any)
    end (ex);
  return finish (ex, stmt, rc, error);
}

typedef struct
{
  gint64  id;
  char   *guid;
  char   *name;
  char   *color;
  char   *definition;
} Code;

static void
code_free (gpointer data)
{
  Code *code = data;

  g_free (code->guid);
  g_free (code->name);
  g_free (code->color);
  g_free (code->definition);
  g_free (code);
}

static void
write_code_tree (Export     *ex,
                 GHashTable *children,
                 gint64      parent)
{
  GPtrArray *codes = g_hash_table_lookup (children, &parent);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      Code *code = codes->pdata[i];
      g_autofree char *key = g_strdup_printf ("c:%" G_GINT64_FORMAT, code->id);
      const char *memo = g_hash_table_lookup (ex->memo_of, key);
      g_autofree char *color = _tsr_refi_color_normalize (code->color);

      start (ex, "Code");
      attr (ex, "guid", code->guid);
      attr (ex, "name", code->name);
      attr (ex, "isCodable", "true");
      if (color != NULL)
        {
          g_autofree char *upper = g_ascii_strup (color, -1);

          attr (ex, "color", upper);
        }
      if (code->definition != NULL && *code->definition != '\0')
        element (ex, "Description", code->definition);
      if (memo != NULL)
        ref (ex, "NoteRef", memo);
      write_code_tree (ex, children, code->id);
      end (ex);
    }
}

static gboolean
write_codebook (Export  *ex,
                GError **error)
{
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *stmt = prepare (ex, "SELECT id, uuid, coalesce (parent_id, 0), name, color, definition"
                                    " FROM codes ORDER BY parent_id, position, id", error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Code *code = g_new0 (Code, 1);
      gint64 parent = sqlite3_column_int64 (stmt, 2);
      GPtrArray *siblings = g_hash_table_lookup (children, &parent);

      code->id = sqlite3_column_int64 (stmt, 0);
      code->guid = guid_for (column (stmt, 1), "code");
      code->name = g_strdup (column (stmt, 3));
      code->color = g_strdup (column (stmt, 4));
      code->definition = g_strdup (column (stmt, 5));
      if (siblings == NULL)
        {
          siblings = g_ptr_array_new_with_free_func (code_free);
          g_hash_table_insert (children, g_memdup2 (&parent, sizeof parent), siblings);
        }
      g_ptr_array_add (siblings, code);
      note_guid (ex, code->guid, 'c');
      g_hash_table_insert (ex->codes, id_key (code->id), g_strdup (code->guid));
      n++;
    }
  if (!finish (ex, stmt, rc, error))
    return FALSE;

  ex->summary->n_codes = n;
  if (n == 0)
    return TRUE;
  start (ex, "CodeBook");
  start (ex, "Codes");
  write_code_tree (ex, children, 0);
  end (ex);
  end (ex);
  return TRUE;
}

/* Memos are written as Notes at the end; their GUIDs are needed first. */
static gboolean
read_memo_targets (Export  *ex,
                   GError **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT uuid, kind, coalesce (document_id, segment_id, code_id, theme_id, 0)"
                                    " FROM memos", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = column (stmt, 1);
      g_autofree char *guid = guid_for (column (stmt, 0), "memo");

      note_guid (ex, guid, 'n');
      if (!g_str_equal (kind, "journal"))
        g_hash_table_insert (ex->memo_of,
                             g_strdup_printf ("%c:%" G_GINT64_FORMAT, kind[0], (gint64) sqlite3_column_int64 (stmt, 2)),
                             g_steal_pointer (&guid));
    }
  return finish (ex, stmt, rc, error);
}

static const char *
variable_type (const char *type)
{
  if (g_str_equal (type, "integer"))
    return "Integer";
  if (g_str_equal (type, "real"))
    return "Float";
  if (g_str_equal (type, "boolean"))
    return "Boolean";
  if (g_str_equal (type, "date"))
    return "Date";
  return "Text";
}

static const char *
value_element (const char *type)
{
  if (g_str_equal (type, "integer"))
    return "IntegerValue";
  if (g_str_equal (type, "real"))
    return "FloatValue";
  if (g_str_equal (type, "boolean"))
    return "BooleanValue";
  if (g_str_equal (type, "date"))
    return "DateValue";
  return "TextValue";
}

/* A real as xsd:decimal, which has no exponent: "1e+20" is
 * "100000000000000000000". */
static char *
decimal (const char *value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE * 4];
  double d;
  char *dot;
  gsize len;

  if (strpbrk (value, "eE") == NULL)
    return g_strdup (value);
  d = g_ascii_strtod (value, NULL);
  g_ascii_formatd (buf, sizeof buf, "%.20f", d);
  dot = strchr (buf, '.');
  len = strlen (buf);
  while (dot != NULL && len > 0 && buf[len - 1] == '0')
    buf[--len] = '\0';
  if (len > 0 && buf[len - 1] == '.')
    buf[--len] = '\0';
  return g_strdup (buf);
}

static gboolean
write_values (Export      *ex,
              const char  *sql,
              gint64       target,
              GError     **error)
{
  sqlite3_stmt *stmt = prepare (ex, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, target);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guid = guid_for (column (stmt, 0), "attribute");
      const char *type = column (stmt, 1);
      g_autofree char *value = g_str_equal (type, "real") ? decimal (column (stmt, 2)) : g_strdup (column (stmt, 2));

      start (ex, "VariableValue");
      ref (ex, "VariableRef", guid);
      element (ex, value_element (type), value);
      end (ex);
    }
  return finish (ex, stmt, rc, error);
}

static gboolean
write_variables (Export  *ex,
                 GError **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT uuid, name, type FROM attributes ORDER BY position, id", error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guid = guid_for (column (stmt, 0), "attribute");

      if (!any)
        start (ex, "Variables");
      any = TRUE;
      start (ex, "Variable");
      attr (ex, "guid", guid);
      attr (ex, "name", column (stmt, 1));
      attr (ex, "typeOfVariable", variable_type (column (stmt, 2)));
      end (ex);
      note_guid (ex, guid, 'v');
      ex->summary->n_attributes++;
    }
  if (any)
    end (ex);
  return finish (ex, stmt, rc, error);
}

static gboolean
write_cases (Export  *ex,
             GError **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT id, uuid, name, description FROM cases ORDER BY name, id", error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *guid = guid_for (column (stmt, 1), "case");
      const char *description = column (stmt, 3);
      sqlite3_stmt *members;
      int mrc;

      if (!any)
        start (ex, "Cases");
      any = TRUE;
      start (ex, "Case");
      attr (ex, "guid", guid);
      attr (ex, "name", column (stmt, 2));
      if (*description != '\0')
        element (ex, "Description", description);
      if (!write_values (ex, "SELECT a.uuid, a.type, v.value FROM case_attribute_values v"
                             " JOIN attributes a ON a.id = v.attribute_id WHERE v.case_id = ?"
                             " ORDER BY a.position, a.id", id, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      members = prepare (ex, "SELECT d.uuid FROM case_documents m JOIN documents d ON d.id = m.document_id"
                             " WHERE m.case_id = ? ORDER BY d.position, d.id", error);
      if (members == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_bind_int64 (members, 1, id);
      while ((mrc = sqlite3_step (members)) == SQLITE_ROW)
        {
          g_autofree char *document = guid_for (column (members, 0), "document");

          ref (ex, "SourceRef", document);
        }
      if (!finish (ex, members, mrc, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      end (ex);
      note_guid (ex, guid, 'k');
      ex->summary->n_cases++;
    }
  if (any)
    end (ex);
  return finish (ex, stmt, rc, error);
}

/* A selection's name: the start of its text on one line. */
static char *
selection_name (const char *text)
{
  GString *out = g_string_new (NULL);
  guint n = 0;
  const char *p;
  gboolean space = FALSE;

  for (p = text; *p != '\0' && n < SELECTION_NAME_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n++;
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static gboolean
write_selections (Export  *ex,
                  gint64   document,
                  GError **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT id, uuid, code_id, coder_id, start, end, text, created"
                                    " FROM segments WHERE document_id = ? ORDER BY start, end, id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *segment = id_key (sqlite3_column_int64 (stmt, 0));
      g_autofree char *coding = guid_for (column (stmt, 1), "segment");
      g_autofree char *selection = _tsr_refi_guid_derive (coding, "selection");
      g_autofree char *code = id_key (sqlite3_column_int64 (stmt, 2));
      g_autofree char *coder = id_key (sqlite3_column_int64 (stmt, 3));
      g_autofree char *name = selection_name (column (stmt, 6));
      g_autofree char *created = format_time (sqlite3_column_int64 (stmt, 7));
      g_autofree char *memo_key = g_strdup_printf ("s:%s", segment);
      const char *memo = g_hash_table_lookup (ex->memo_of, memo_key);
      const char *user = g_hash_table_lookup (ex->coders, coder);

      start (ex, "PlainTextSelection");
      attr (ex, "guid", selection);
      attr (ex, "name", name);
      xmlTextWriterWriteFormatAttribute (ex->w, BAD_CAST "startPosition", "%" G_GINT64_FORMAT,
                                         (gint64) sqlite3_column_int64 (stmt, 4));
      xmlTextWriterWriteFormatAttribute (ex->w, BAD_CAST "endPosition", "%" G_GINT64_FORMAT,
                                         (gint64) sqlite3_column_int64 (stmt, 5));
      attr (ex, "creatingUser", user);
      attr (ex, "creationDateTime", created);
      start (ex, "Coding");
      attr (ex, "guid", coding);
      attr (ex, "creatingUser", user);
      attr (ex, "creationDateTime", created);
      ref (ex, "CodeRef", g_hash_table_lookup (ex->codes, code));
      end (ex);
      if (memo != NULL)
        ref (ex, "NoteRef", memo);
      end (ex);
      note_guid (ex, selection, 's');
      note_guid (ex, coding, 'g');
      ex->summary->n_segments++;
    }
  return finish (ex, stmt, rc, error);
}

static gboolean
write_sources (Export    *ex,
               gboolean  *opened,
               GError   **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT d.id, d.uuid, d.name, d.created, t.text FROM documents d"
                                    " JOIN document_texts t ON t.document_id = d.id ORDER BY d.position, d.id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *guid = guid_for (column (stmt, 1), "document");
      g_autofree char *member = g_strdup_printf ("sources/%s.txt", guid);
      g_autofree char *path = g_strdup_printf ("internal://%s.txt", guid);
      g_autofree char *created = format_time (sqlite3_column_int64 (stmt, 3));
      g_autofree char *memo_key = g_strdup_printf ("d:%" G_GINT64_FORMAT, id);
      const char *memo = g_hash_table_lookup (ex->memo_of, memo_key);
      g_autoptr(GBytes) text = g_bytes_new (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4));

      if (g_cancellable_set_error_if_cancelled (ex->cancellable, error) ||
          !_tsr_zip_add (ex->zip, member, text, FALSE, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (!*opened)
        start (ex, "Sources");
      *opened = TRUE;
      start (ex, "TextSource");
      attr (ex, "guid", guid);
      attr (ex, "name", column (stmt, 2));
      attr (ex, "plainTextPath", path);
      attr (ex, "creationDateTime", created);
      if (!write_selections (ex, id, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (memo != NULL)
        ref (ex, "NoteRef", memo);
      if (!write_values (ex, "SELECT a.uuid, a.type, v.value FROM document_attribute_values v"
                             " JOIN attributes a ON a.id = v.attribute_id WHERE v.document_id = ?"
                             " ORDER BY a.position, a.id", id, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      end (ex);
      note_guid (ex, guid, 'd');
      ex->summary->n_documents++;
    }
  return finish (ex, stmt, rc, error);
}

/* A memo's note's name: its first line, shortened. */
static char *
note_name (const char *text)
{
  const char *newline = strchr (text, '\n');
  g_autofree char *line = newline != NULL ? g_strndup (text, newline - text) : g_strdup (text);

  return selection_name (line);
}

static gboolean
write_notes (Export     *ex,
             GPtrArray  *journal,
             GError    **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT m.uuid, m.kind, m.date, m.text, m.created, m.modified, c.uuid"
                                    " FROM memos m LEFT JOIN coders c ON c.id = m.coder_id"
                                    " ORDER BY m.kind = 'journal' DESC, m.date, m.id", error);
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guid = guid_for (column (stmt, 0), "memo");
      const char *kind = column (stmt, 1);
      const char *date = column (stmt, 2);
      const char *text = column (stmt, 3);
      gint64 created = sqlite3_column_int64 (stmt, 4);
      g_autofree char *when = format_time (created);
      g_autofree char *modified = format_time (sqlite3_column_int64 (stmt, 5));
      g_autofree char *user = sqlite3_column_type (stmt, 6) != SQLITE_NULL ? guid_for (column (stmt, 6), "coder")
                                                                           : NULL;
      g_autofree char *name = note_name (text);

      /* A journal entry's date is its note's creation date. */
      if (g_str_equal (kind, "journal") && strlen (date) == 10 && (when == NULL || !g_str_has_prefix (when, date)))
        {
          g_free (when);
          when = g_strdup_printf ("%sT12:00:00Z", date);
        }
      if (!any)
        start (ex, "Notes");
      any = TRUE;
      start (ex, "Note");
      attr (ex, "guid", guid);
      attr (ex, "name", *name != '\0' ? name : date);
      attr (ex, "creatingUser", user);
      attr (ex, "creationDateTime", when);
      attr (ex, "modifiedDateTime", modified);
      element (ex, "PlainTextContent", text);
      end (ex);
      if (g_str_equal (kind, "journal"))
        g_ptr_array_add (journal, g_steal_pointer (&guid));
      ex->summary->n_memos++;
    }
  if (any)
    end (ex);
  return finish (ex, stmt, rc, error);
}

static gboolean
write_themes (Export   *ex,
              gboolean *opened,
              GError  **error)
{
  /* The top-level themes, then each theme's sub-themes */
  sqlite3_stmt *stmt = prepare (ex, "SELECT id, uuid, name, definition FROM themes"
                                    " ORDER BY coalesce (parent_id, 0), position, id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *guid = guid_for (column (stmt, 1), "theme");
      const char *definition = column (stmt, 3);
      g_autofree char *memo_key = g_strdup_printf ("t:%" G_GINT64_FORMAT, id);
      const char *memo = g_hash_table_lookup (ex->memo_of, memo_key);
      sqlite3_stmt *members;
      int mrc;

      if (!*opened)
        start (ex, "Sets");
      *opened = TRUE;
      start (ex, "Set");
      attr (ex, "guid", guid);
      attr (ex, "name", column (stmt, 2));
      if (*definition != '\0')
        element (ex, "Description", definition);
      members = prepare (ex, "SELECT code_id FROM theme_codes WHERE theme_id = ? ORDER BY position, code_id", error);
      if (members == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_bind_int64 (members, 1, id);
      while ((mrc = sqlite3_step (members)) == SQLITE_ROW)
        {
          g_autofree char *code = id_key (sqlite3_column_int64 (members, 0));

          ref (ex, "MemberCode", g_hash_table_lookup (ex->codes, code));
        }
      if (!finish (ex, members, mrc, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (memo != NULL)
        ref (ex, "MemberNote", memo);
      end (ex);
      note_guid (ex, guid, 't');
      ex->summary->n_themes++;
    }
  return finish (ex, stmt, rc, error);
}

static gboolean
write_map (Export   *ex,
           gboolean *opened,
           GError  **error)
{
  sqlite3_stmt *stmt = prepare (ex, "SELECT 'c', c.uuid, c.name, p.x, p.y FROM map_code_positions p"
                                    " JOIN codes c ON c.id = p.code_id"
                                    " UNION ALL"
                                    " SELECT 't', t.uuid, t.name, p.x, p.y FROM map_theme_positions p"
                                    " JOIN themes t ON t.id = p.theme_id"
                                    " ORDER BY 1, 2", error);
  g_autoptr(GHashTable) vertices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *graph = _tsr_refi_guid_derive (ex->project_uuid, "theme-map");
  gboolean any = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *represented = guid_for (column (stmt, 1), column (stmt, 0)[0] == 'c' ? "code" : "theme");
      g_autofree char *vertex = _tsr_refi_guid_derive (represented, "vertex");
      double x = sqlite3_column_double (stmt, 3);
      double y = sqlite3_column_double (stmt, 4);

      if (!isfinite (x) || !isfinite (y))
        continue;
      if (!any)
        {
          if (!*opened)
            start (ex, "Graphs");
          *opened = TRUE;
          start (ex, "Graph");
          attr (ex, "guid", graph);
          attr (ex, "name", _("Theme map"));
          note_guid (ex, graph, 'm');
        }
      any = TRUE;
      start (ex, "Vertex");
      attr (ex, "guid", vertex);
      attr (ex, "representedGUID", represented);
      attr (ex, "name", column (stmt, 2));
      xmlTextWriterWriteFormatAttribute (ex->w, BAD_CAST "firstX", "%" G_GINT64_FORMAT, (gint64) llround (x));
      xmlTextWriterWriteFormatAttribute (ex->w, BAD_CAST "firstY", "%" G_GINT64_FORMAT, (gint64) llround (y));
      attr (ex, "shape", column (stmt, 0)[0] == 'c' ? "RoundedRectangle" : "Oval");
      end (ex);
      note_guid (ex, vertex, 'x');
      ex->summary->n_map_items++;
      g_hash_table_insert (vertices, g_steal_pointer (&represented), g_steal_pointer (&vertex));
    }
  if (!finish (ex, stmt, rc, error))
    return FALSE;
  if (!any)
    return TRUE;

  stmt = prepare (ex, "SELECT l.uuid, a.uuid, b.uuid, l.label FROM map_links l"
                      " JOIN themes a ON a.id = l.from_theme_id JOIN themes b ON b.id = l.to_theme_id"
                      " ORDER BY l.id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *guid = guid_for (column (stmt, 0), "link");
      g_autofree char *from = guid_for (column (stmt, 1), "theme");
      g_autofree char *to = guid_for (column (stmt, 2), "theme");
      const char *source = g_hash_table_lookup (vertices, from);
      const char *target = g_hash_table_lookup (vertices, to);
      const char *label = column (stmt, 3);

      if (source == NULL || target == NULL)
        continue;
      start (ex, "Edge");
      attr (ex, "guid", guid);
      if (*label != '\0')
        attr (ex, "name", label);
      attr (ex, "sourceVertex", source);
      attr (ex, "targetVertex", target);
      attr (ex, "direction", "OneWay");
      end (ex);
      note_guid (ex, guid, 'e');
    }
  if (!finish (ex, stmt, rc, error))
    return FALSE;
  end (ex);
  return TRUE;
}

/* What an import kept ----------------------------------------------------- */

static gboolean
is_refi (xmlNodePtr  node,
         const char *local)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_str_equal ((const char *) node->ns->href, REFI_PROJECT_NS) &&
         (local == NULL || g_str_equal ((const char *) node->name, local));
}

static char *
node_guid (xmlNodePtr  node,
           const char *attribute)
{
  xmlChar *raw = xmlGetNoNsProp (node, BAD_CAST attribute);
  g_autofree char *copy = raw != NULL ? g_strstrip (g_strdup ((const char *) raw)) : NULL;
  char *guid = NULL;

  if (copy != NULL && _tsr_refi_guid_is_valid (copy))
    guid = _tsr_refi_guid_normalize (copy);
  xmlFree (raw);
  return guid;
}

static gboolean
written (Export     *ex,
         const char *guid,
         char        kind)
{
  gpointer value;

  if (guid == NULL || !g_hash_table_lookup_extended (ex->guids, guid, NULL, &value))
    return FALSE;
  return kind == 0 || GPOINTER_TO_INT (value) == kind;
}

/* Whether a kept element still stands: what it needs is still there. */
static gboolean
kept_element_stands (Export     *ex,
                     xmlNodePtr  node)
{
  const char *name = (const char *) node->name;
  g_autofree char *target = node_guid (node, "targetGUID");

  if (g_str_equal (name, "Coding"))
    {
      for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        if (is_refi (child, "CodeRef"))
          {
            g_autofree char *code = node_guid (child, "targetGUID");

            return written (ex, code, 'c');
          }
      return FALSE;
    }
  if (g_str_equal (name, "VariableValue"))
    {
      for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        if (is_refi (child, "VariableRef"))
          {
            g_autofree char *variable = node_guid (child, "targetGUID");

            return written (ex, variable, 'v');
          }
      return FALSE;
    }
  if (g_str_equal (name, "NoteRef") || g_str_equal (name, "MemberNote"))
    return written (ex, target, 'n');
  if (g_str_equal (name, "MemberCode") || g_str_equal (name, "CodeRef"))
    return written (ex, target, 'c');
  if (g_str_equal (name, "MemberSource") || g_str_equal (name, "SourceRef") ||
      g_str_equal (name, "SelectionRef"))
    return written (ex, target, 0);
  return TRUE;
}

static void
write_kept_node (Export     *ex,
                 xmlNodePtr  node)
{
  const char *name = (const char *) node->name;

  start (ex, name);
  for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
    {
      xmlChar *value;

      if (a->ns != NULL)
        continue;
      value = xmlNodeListGetString (node->doc, a->children, 1);
      /* A reference to what is gone is dropped where REFI-QDA lets it be
       * missing. */
      if (g_str_equal ((const char *) a->name, "creatingUser") ||
          g_str_equal ((const char *) a->name, "modifyingUser") ||
          g_str_equal ((const char *) a->name, "representedGUID") ||
          g_str_equal ((const char *) a->name, "originGUID") ||
          (g_str_equal ((const char *) a->name, "targetGUID") && g_str_equal (name, "Link")))
        {
          g_autofree char *guid = node_guid (node, (const char *) a->name);
          char kind = g_str_has_suffix ((const char *) a->name, "User") ? 'u' : 0;

          if (!written (ex, guid, kind))
            {
              xmlFree (value);
              continue;
            }
        }
      attr (ex, (const char *) a->name, (const char *) value);
      xmlFree (value);
    }
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        xmlTextWriterWriteString (ex->w, child->content);
      else if (is_refi (child, NULL) && kept_element_stands (ex, child))
        write_kept_node (ex, child);
    }
  end (ex);
}

/* Notes every GUID a kept element holds, so references between kept
 * elements (a link to a video's selection) still resolve. */
static void
note_kept_guids (Export     *ex,
                 xmlNodePtr  node,
                 guint       depth)
{
  g_autofree char *guid = node_guid (node, "guid");

  if (depth > REFI_MAX_DEPTH)
    return;
  if (guid != NULL && !g_hash_table_contains (ex->guids, guid))
    note_guid (ex, guid, g_str_has_suffix ((const char *) node->name, "Source") ? 'k' : 0);
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_refi (child, NULL))
      note_kept_guids (ex, child, depth + 1);
}

static xmlNodePtr
kept_section (xmlDocPtr   kept,
              const char *name)
{
  xmlNodePtr root = kept != NULL ? xmlDocGetRootElement (kept) : NULL;

  for (xmlNodePtr child = root != NULL ? root->children : NULL; child != NULL; child = child->next)
    if (is_refi (child, name))
      return child;
  return NULL;
}

/* Writes the kept elements of @section whose own GUID was not written
 * by Tessera already. */
static guint
write_kept (Export     *ex,
            xmlDocPtr   kept,
            const char *section,
            gboolean   *opened)
{
  xmlNodePtr parent = kept_section (kept, section);
  guint n = 0;

  for (xmlNodePtr child = parent != NULL ? parent->children : NULL; child != NULL; child = child->next)
    {
      if (!is_refi (child, NULL))
        continue;
      if (opened != NULL && !*opened)
        {
          start (ex, section);
          *opened = TRUE;
        }
      write_kept_node (ex, child);
      n++;
    }
  return n;
}

/* Only what Tessera made has a GUID in ex->guids before the kept ones
 * are noted; a kept element clashing with one is left out. */
static void
prune_kept (Export    *ex,
            xmlDocPtr  kept)
{
  static const char * const sections[] = { "Sources", "Links", "Sets", "Graphs" };

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      xmlNodePtr parent = kept_section (kept, sections[i]);

      for (xmlNodePtr child = parent != NULL ? parent->children : NULL; child != NULL;)
        {
          xmlNodePtr next = child->next;
          g_autofree char *guid = is_refi (child, NULL) ? node_guid (child, "guid") : NULL;

          if (guid != NULL && g_hash_table_contains (ex->guids, guid))
            {
              xmlUnlinkNode (child);
              xmlFreeNode (child);
            }
          child = next;
        }
      for (xmlNodePtr child = parent != NULL ? parent->children : NULL; child != NULL; child = child->next)
        if (is_refi (child, NULL))
          note_kept_guids (ex, child, 0);
    }
}

static void
count_kept (Export    *ex,
            xmlDocPtr  kept)
{
  static const struct { const char *section; const char *element; const char *one; const char *many; } kinds[] = {
    { "Sources", "TextSource", N_("%u text source without its text"), N_("%u text sources without their text") },
    { "Sources", "PictureSource", N_("%u picture source"), N_("%u picture sources") },
    { "Sources", "AudioSource", N_("%u audio source"), N_("%u audio sources") },
    { "Sources", "VideoSource", N_("%u video source"), N_("%u video sources") },
    { "Sources", "PDFSource", N_("%u PDF source"), N_("%u PDF sources") },
    { "Links", "Link", N_("%u link"), N_("%u links") },
    { "Sets", "Set", N_("%u set of sources"), N_("%u sets of sources") },
    { "Graphs", "Graph", N_("%u graph"), N_("%u graphs") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      xmlNodePtr parent = kept_section (kept, kinds[i].section);
      guint n = 0;

      for (xmlNodePtr child = parent != NULL ? parent->children : NULL; child != NULL; child = child->next)
        if (is_refi (child, kinds[i].element))
          n++;
      if (n > 0)
        g_ptr_array_add (ex->summary->kept,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, kinds[i].one, kinds[i].many, n), n));
    }
}

/* What REFI-QDA has no place for, counted for the summary. */
static void
describe_not_written (Export *ex)
{
  add_skipped (ex, count (ex, "SELECT count (*) FROM segments WHERE exemplar"),
               N_("%u passage starred as an exemplar quote (the star)"),
               N_("%u passages starred as exemplar quotes (the stars)"));
  add_skipped (ex, count (ex, "SELECT count (*) FROM themes WHERE status <> 'candidate' OR scope_notes <> ''"
                              " OR narrative <> ''"),
               N_("%u theme’s status, scope notes or narrative"),
               N_("%u themes’ status, scope notes or narratives"));
  add_skipped (ex, count (ex, "SELECT count (*) FROM themes WHERE parent_id IS NOT NULL"),
               N_("%u sub-theme’s place under its theme (it is a set of its own)"),
               N_("%u sub-themes’ places under their themes (each is a set of its own)"));
  add_skipped (ex, count (ex, "SELECT count (*) FROM documents WHERE is_read"),
               N_("%u document’s “read” mark"), N_("%u documents’ “read” marks"));
  add_skipped (ex, count (ex, "SELECT count (*) FROM resolutions"),
               N_("%u reconciliation decision (the consensus coding itself is written)"),
               N_("%u reconciliation decisions (the consensus coding itself is written)"));
  add_skipped (ex, count (ex, "SELECT count (*) FROM history"),
               N_("%u step of the history (undo and the audit trail)"),
               N_("%u steps of the history (undo and the audit trail)"));
}

static gboolean
write_project (Export  *ex,
               GError **error)
{
  g_autofree char *title = read_meta (ex, "title");
  g_autofree char *description = read_meta (ex, "description");
  g_autofree char *created = read_meta (ex, "created");
  g_autofree char *kept_xml = read_meta (ex, REFI_KEPT_KEY);
  g_autoptr(GPtrArray) journal = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *origin = g_strdup_printf ("Tessera %s", PACKAGE_VERSION);
  xmlDocPtr kept = NULL;
  xmlBufferPtr buffer = NULL;
  gboolean sets_open = FALSE;
  gboolean graphs_open = FALSE;
  gboolean ok;

  ex->project_uuid = read_meta (ex, "uuid");
  if (ex->project_uuid == NULL)
    ex->project_uuid = g_strdup ("");
  if (kept_xml != NULL)
    {
      /* Tessera wrote it; a project someone tampered with loses it (and
       * no entity or network is ever used). */
      kept = xmlReadMemory (kept_xml, strlen (kept_xml), NULL, "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      if (kept != NULL && kept->intSubset != NULL)
        g_clear_pointer (&kept, xmlFreeDoc);
    }

  ex->w = _tsr_xml_writer_new (&buffer);
  /* A project.qde runs to megabytes: grow the buffer by doubling, not by
   * what each write needs, which copies it over and over. */
  xmlBufferSetAllocationScheme (buffer, XML_BUFFER_ALLOC_DOUBLEIT);
  xmlTextWriterStartElementNS (ex->w, NULL, BAD_CAST "Project", BAD_CAST REFI_PROJECT_NS);
  attr (ex, "name", title != NULL && *title != '\0' ? title : _("Untitled"));
  attr (ex, "origin", origin);
  {
    g_autoptr(GDateTime) when = created != NULL ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
    g_autofree char *iso = when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : NULL;

    attr (ex, "creationDateTime", iso);
  }

  ok = write_users (ex, error) &&
       read_memo_targets (ex, error) &&
       write_codebook (ex, error) &&
       write_variables (ex, error) &&
       write_cases (ex, error);
  if (ok)
    {
      /* The GUIDs of what Tessera wrote are known but for the sources,
       * sets and graphs, written below; documents' come first. */
      sqlite3_stmt *stmt = prepare (ex, "SELECT uuid FROM documents UNION ALL SELECT uuid FROM themes", error);
      int rc;

      ok = stmt != NULL;
      while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *guid = guid_for (column (stmt, 0), "document");

          note_guid (ex, guid, 'p');
        }
      if (ok)
        ok = finish (ex, stmt, rc, error);
      if (ok && kept != NULL)
        prune_kept (ex, kept);
    }
  if (ok)
    {
      gboolean sources_open = FALSE;

      ok = write_sources (ex, &sources_open, error);
      if (ok)
        write_kept (ex, kept, "Sources", &sources_open);
      if (sources_open)
        end (ex);
    }
  if (ok)
    ok = write_notes (ex, journal, error);
  if (ok)
    {
      gboolean links_open = FALSE;

      write_kept (ex, kept, "Links", &links_open);
      if (links_open)
        end (ex);
    }
  if (ok)
    ok = write_themes (ex, &sets_open, error);
  if (ok)
    {
      write_kept (ex, kept, "Sets", &sets_open);
      if (sets_open)
        end (ex);
      ok = write_map (ex, &graphs_open, error);
    }
  if (ok)
    {
      write_kept (ex, kept, "Graphs", &graphs_open);
      if (graphs_open)
        end (ex);
      if (description != NULL && *description != '\0')
        element (ex, "Description", description);
      for (guint i = 0; i < journal->len; i++)
        ref (ex, "NoteRef", journal->pdata[i]);
      if (kept != NULL)
        count_kept (ex, kept);
      describe_not_written (ex);
    }
  if (kept != NULL)
    xmlFreeDoc (kept);

  if (!ok)
    {
      _tsr_xml_abandon (ex->w, buffer);
      return FALSE;
    }
  {
    g_autoptr(GBytes) qde = NULL;

    xmlTextWriterEndElement (ex->w);
    qde = _tsr_xml_finish (ex->w, buffer, "project.qde", error);
    if (qde == NULL)
      return FALSE;
    return _tsr_zip_add (ex->zip, "project.qde", qde, FALSE, error);
  }
}

/* Saving ---------------------------------------------------------------- */

static gboolean
write_qdpx (sqlite3         *db,
            const char      *path,
            GOutputStream   *stream,
            TsrRefiSummary  *summary,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GHashTable) guids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) coders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) memo_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(TsrZip) zip = NULL;
  Export ex = { 0, };
  gboolean ok;

  /* project.qde of 50,000 passages is some 30 MB of XML: deflated fast
   * rather than small. */
  if (!(zip = _tsr_zip_new_fast (stream, cancellable, error)))
    return FALSE;
  ex.db = db;
  ex.path = path;
  ex.summary = summary;
  ex.cancellable = cancellable;
  ex.zip = zip;
  ex.guids = guids;
  ex.coders = coders;
  ex.codes = codes;
  ex.memo_of = memo_of;
  summary->origin = g_strdup_printf ("Tessera %s", PACKAGE_VERSION);

  ok = write_project (&ex, error) && _tsr_zip_finish (zip, error);
  g_free (ex.project_uuid);
  return ok;
}

typedef struct
{
  sqlite3        *db;
  const char     *path;
  TsrRefiSummary *summary;
} SaveData;

static gboolean
save_cb (GOutputStream  *stream,
         gpointer        user_data,
         GCancellable   *cancellable,
         GError        **error)
{
  SaveData *data = user_data;

  return write_qdpx (data->db, data->path, stream, data->summary, cancellable, error);
}

/**
 * tsr_project_write_qdpx:
 * @summary: (out) (optional) (transfer full): what was written
 *
 * Writes the project as a REFI-QDA project (.qdpx) to @stream.
 */
gboolean
tsr_project_write_qdpx (TsrProject       *self,
                        GOutputStream    *stream,
                        TsrRefiSummary  **summary,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(TsrRefiSummary) result = tsr_refi_summary_new ();
  TsrDatabase *db;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  db = _tsr_project_get_database (self);
  /* One snapshot of the project, whatever else happens meanwhile */
  if (!tsr_database_begin_read (db, error))
    return FALSE;
  ok = write_qdpx (tsr_database_get_handle (db), tsr_project_get_path (self), stream, result, cancellable, error);
  if (!tsr_database_commit (db, ok ? error : NULL))
    ok = FALSE;
  if (ok && summary != NULL)
    *summary = g_steal_pointer (&result);
  return ok;
}

/**
 * tsr_project_export_qdpx:
 * @file: the .qdpx to write
 * @summary: (out) (optional) (transfer full): what was written, what was
 *   written back as an import kept it, and what REFI-QDA has no place for
 *
 * Saves the project as a REFI-QDA project, whole or not at all (see the
 * top of this file for what goes where).
 */
gboolean
tsr_project_export_qdpx (TsrProject       *self,
                         GFile            *file,
                         TsrRefiSummary  **summary,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_autoptr(TsrRefiSummary) result = tsr_refi_summary_new ();
  TsrDatabase *db;
  SaveData data;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  db = _tsr_project_get_database (self);
  if (!tsr_database_begin_read (db, error))
    return FALSE;
  data.db = tsr_database_get_handle (db);
  data.path = tsr_project_get_path (self);
  data.summary = result;
  ok = tsr_export_save_file (file, save_cb, &data, cancellable, error);
  if (!tsr_database_commit (db, ok ? error : NULL))
    ok = FALSE;
  if (ok && summary != NULL)
    *summary = g_steal_pointer (&result);
  return ok;
}

typedef struct
{
  char           *project_path;
  GFile          *file;
  TsrRefiSummary *summary;
} ExportTask;

static void
export_task_free (gpointer data)
{
  ExportTask *task = data;

  g_free (task->project_path);
  g_clear_object (&task->file);
  tsr_refi_summary_free (task->summary);
  g_free (task);
}

static void
export_thread (GTask        *gtask,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportTask *task = task_data;
  GError *error = NULL;
  SaveData data;
  sqlite3 *reader;
  gboolean ok;

  /* The project's connection is the main thread's: a reader of our own
   * sees the last committed state, in one read transaction. */
  reader = tsr_database_open_reader (task->project_path, cancellable, &error);
  if (reader == NULL)
    {
      g_task_return_error (gtask, error);
      return;
    }
  ok = sqlite3_exec (reader, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    tsr_database_set_handle_error (reader, 0, &error, task->project_path);
  if (ok)
    {
      task->summary = tsr_refi_summary_new ();
      data.db = reader;
      data.path = task->project_path;
      data.summary = task->summary;
      ok = tsr_export_save_file (task->file, save_cb, &data, cancellable, &error);
      sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL);
    }
  sqlite3_close (reader);
  if (ok)
    g_task_return_boolean (gtask, TRUE);
  else
    g_task_return_error (gtask, error);
}

/**
 * tsr_project_export_qdpx_async:
 *
 * Runs tsr_project_export_qdpx () in a worker thread, reading the project
 * as last committed through a connection of its own.
 */
void
tsr_project_export_qdpx_async (TsrProject          *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) gtask = NULL;
  ExportTask *task;

  g_return_if_fail (TSR_IS_PROJECT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_new0 (ExportTask, 1);
  task->project_path = g_strdup (tsr_project_get_path (self));
  task->file = g_object_ref (file);
  gtask = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, tsr_project_export_qdpx_async);
  g_task_set_task_data (gtask, task, export_task_free);
  g_task_run_in_thread (gtask, export_thread);
}

gboolean
tsr_project_export_qdpx_finish (TsrProject       *self,
                                GAsyncResult     *result,
                                TsrRefiSummary  **summary,
                                GError          **error)
{
  ExportTask *task;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  task = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = g_steal_pointer (&task->summary);
  return TRUE;
}
