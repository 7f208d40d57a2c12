/* test-refi-qdpx.c — REFI-QDA projects (.qdpx) in and out
 *
 * The four real exports in $TESSERA_QDA_SAMPLES (NVivo 12 for Windows,
 * ATLAS.ti 8, NVivo 15 for Mac, the qc tool) import with the counts
 * their README gives, and every imported passage holds the text the
 * file's positions name, worked out here independently of the importer
 * (the NVivo file's UTF-16 positions sliced with GLib's UTF-16
 * conversion).  Exports validate against Project.xsd with libxml2's
 * schema validator; Tessera → .qdpx → Tessera and sample → Tessera →
 * .qdpx → Tessera compare equal in everything REFI-QDA carries (the JSON
 * export's tables, minus the list in `carried` below); hostile files
 * fail with a message and leave no project file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <math.h>
#include <string.h>

#include "tessera.h"
#include "tsr-project-private.h"
#include "tsr-refi-private.h"
#include "tsr-test-utils.h"

#define NVIVO12 "nvivo12win_oltas0517.qdpx"
#define ATLAS   "atlasti8mac_standard_project.qdpx"
#define NVIVO15 "nvivo15mac_roundtrip_qc.qdpx"
#define QC      "qc132_demo.qdpx"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tessera-qdpx-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The sample's path, or NULL (and the test skipped) without samples */
static char *
sample (const char *name)
{
  const char *dir = g_getenv ("TESSERA_QDA_SAMPLES");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, name, NULL) : NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("the REFI-QDA samples are not here (TESSERA_QDA_SAMPLES)");
      return NULL;
    }
  return g_steal_pointer (&path);
}

static TsrProject *
import_file (Fixture         *f,
             const char      *qdpx,
             const char      *name,
             TsrRefiSummary **summary)
{
  g_autofree char *target = path_in (f, name);
  g_autoptr(GFile) file = g_file_new_for_path (qdpx);
  g_autoptr(GError) error = NULL;
  TsrProject *project;

  project = tsr_project_import_qdpx (target, file, summary, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

/* A zip member by name (ASCII case ignored), read with libarchive */
static GBytes *
zip_member (const char *zip,
            const char *wanted)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GBytes *bytes = NULL;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, zip, 65536), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    if (g_ascii_strcasecmp (archive_entry_pathname (entry), wanted) == 0)
      {
        GByteArray *data = g_byte_array_new ();
        char chunk[65536];
        la_ssize_t n;

        while ((n = archive_read_data (a, chunk, sizeof chunk)) > 0)
          g_byte_array_append (data, (guint8 *) chunk, n);
        bytes = g_byte_array_free_to_bytes (data);
        break;
      }
  archive_read_free (a);
  return bytes;
}

static gboolean
validates (const char *qde_path,
           GBytes     *qde)
{
  const char *samples = g_getenv ("TESSERA_QDA_SAMPLES");
  g_autofree char *xsd = g_build_filename (samples, "refi-spec", "Project.xsd", NULL);
  xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt (xsd);
  xmlSchemaPtr schema = xmlSchemaParse (parser);
  xmlSchemaValidCtxtPtr valid;
  xmlDocPtr doc;
  int rc;

  g_assert_nonnull (schema);
  valid = xmlSchemaNewValidCtxt (schema);
  doc = xmlReadMemory (g_bytes_get_data (qde, NULL), g_bytes_get_size (qde), qde_path, NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  rc = xmlSchemaValidateDoc (valid, doc);
  xmlFreeDoc (doc);
  xmlSchemaFreeValidCtxt (valid);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (parser);
  return rc == 0;
}

/* Exports @project and checks the .qdpx against Project.xsd; returns its
 * path. */
static char *
export_valid (Fixture         *f,
              TsrProject      *project,
              const char      *name,
              TsrRefiSummary **summary)
{
  char *out = path_in (f, name);
  g_autoptr(GFile) file = g_file_new_for_path (out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) qde = NULL;

  g_assert_true (tsr_project_export_qdpx (project, file, summary, NULL, &error));
  g_assert_no_error (error);
  qde = zip_member (out, "project.qde");
  g_assert_nonnull (qde);
  if (!validates (name, qde))
    g_error ("%s does not validate against Project.xsd", name);
  return out;
}

/* What REFI-QDA carries ------------------------------------------------------
 *
 * Each table's columns compared after a round trip; a column "x>t" is a
 * reference to table t, compared by the referred row's UUID; "x/s" is a
 * time compared to the second (xsd:dateTime); "x~" a map coordinate
 * compared to the whole point.  What is not here is not carried:
 *
 *   project      uuid, created, the coders remembered per account
 *   coders       created
 *   documents    source (where the file came from), is_read
 *   segments     exemplar (the star)
 *   themes       parent_id (sub-themes are sets of their own),
 *                scope_notes, narrative, status, position, created
 *   memos        created, modified (a journal entry keeps its date)
 *   codes, cases created
 *   attributes   position, and the target of one no document or case
 *                has a value of (it comes back on documents)
 *   map_theme_positions, map_code_positions: fractions of a point
 *   resolutions  the reconciliation decisions (their consensus coding
 *                is carried, under the consensus coder)
 *   history      the undo stack and audit trail
 */
static const struct { const char *table; const char *columns; } carried[] = {
  { "coders", "uuid name is_consensus" },
  { "documents", "uuid name content_hash length position created/s" },
  { "document_texts", "document_id>documents text" },
  { "codes", "uuid parent_id>codes name color definition position" },
  { "segments", "uuid document_id>documents code_id>codes coder_id>coders start end text created/s" },
  { "themes", "uuid name definition" },
  { "theme_codes", "theme_id>themes code_id>codes position" },
  { "memos", "uuid kind document_id>documents segment_id>segments code_id>codes theme_id>themes coder_id>coders date text" },
  { "cases", "uuid name description" },
  { "case_documents", "case_id>cases document_id>documents" },
  { "attributes", "uuid target name type" },
  { "document_attribute_values", "attribute_id>attributes document_id>documents value" },
  { "case_attribute_values", "attribute_id>attributes case_id>cases value" },
  { "map_code_positions", "code_id>codes x~ y~" },
  { "map_theme_positions", "theme_id>themes x~ y~" },
  { "map_links", "uuid from_theme_id>themes to_theme_id>themes label" },
};

static char *
node_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%.17g", json_node_get_double (node));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Everything REFI-QDA carries, one sorted line per row, references as
 * UUIDs, texts escaped. */
static char *
carried_text (TsrProject *project)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) uuids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  JsonObject *tables;
  GString *text = g_string_new (NULL);

  g_assert_true (tsr_project_export_json (project, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  g_assert_true (json_parser_load_from_data (parser, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                                             &error));
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tables");

  /* table:id → uuid */
  for (guint t = 0; t < G_N_ELEMENTS (carried); t++)
    {
      JsonArray *rows = json_object_get_array_member (tables, carried[t].table);

      for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);

          if (json_object_has_member (row, "id") && json_object_has_member (row, "uuid"))
            g_hash_table_insert (uuids,
                                 g_strdup_printf ("%s:%" G_GINT64_FORMAT, carried[t].table,
                                                  json_object_get_int_member (row, "id")),
                                 g_strdup (json_object_get_string_member (row, "uuid")));
        }
    }

  {
    JsonArray *rows = json_object_get_array_member (tables, "project");

    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *row = json_array_get_object_element (rows, i);
        const char *key = json_object_get_string_member (row, "key");

        if (g_str_equal (key, "title") || g_str_equal (key, "description"))
          g_string_append_printf (text, "project %s=%s\n", key, json_object_get_string_member (row, "value"));
      }
  }

  for (guint t = 0; t < G_N_ELEMENTS (carried); t++)
    {
      JsonArray *rows = json_object_get_array_member (tables, carried[t].table);
      g_auto(GStrv) columns = g_strsplit (carried[t].columns, " ", -1);
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          GString *line = g_string_new (carried[t].table);

          for (guint c = 0; columns[c] != NULL; c++)
            {
              g_auto(GStrv) parts = g_strsplit_set (columns[c], ">/~", 2);
              JsonNode *node = json_object_get_member (row, parts[0]);
              g_autofree char *value = node_text (node);

              if (strchr (columns[c], '>') != NULL && !JSON_NODE_HOLDS_NULL (node))
                {
                  g_autofree char *key = g_strdup_printf ("%s:%s", parts[1], value);
                  const char *uuid = g_hash_table_lookup (uuids, key);

                  g_free (value);
                  value = g_strdup (uuid != NULL ? uuid : "?");
                }
              else if (strchr (columns[c], '/') != NULL)
                {
                  g_free (value);
                  value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node) / G_USEC_PER_SEC);
                }
              else if (strchr (columns[c], '~') != NULL)
                {
                  g_free (value);
                  value = g_strdup_printf ("%.0f", round (json_node_get_double (node)));
                }
              g_string_append_printf (line, "\t%s=", parts[0]);
              for (const char *p = value; *p != '\0'; p++)
                if (*p == '\n')
                  g_string_append (line, "\\n");
                else if (*p == '\t')
                  g_string_append (line, "\\t");
                else
                  g_string_append_c (line, *p);
            }
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
      g_ptr_array_sort (lines, compare_lines);
      for (guint i = 0; i < lines->len; i++)
        g_string_append_printf (text, "%s\n", (const char *) lines->pdata[i]);
    }
  return g_string_free (text, FALSE);
}

static void
assert_same_text (const char *expected,
                  const char *got)
{
  g_auto(GStrv) a = g_strsplit (expected, "\n", -1);
  g_auto(GStrv) b = g_strsplit (got, "\n", -1);

  if (g_getenv ("TESSERA_TEST_DUMP") != NULL)
    {
      g_file_set_contents ("/tmp/carried-before.txt", expected, -1, NULL);
      g_file_set_contents ("/tmp/carried-after.txt", got, -1, NULL);
    }
  for (guint i = 0; a[i] != NULL || b[i] != NULL; i++)
    if (a[i] == NULL || b[i] == NULL || !g_str_equal (a[i], b[i]))
      g_error ("line %u differs:\n  before: %s\n  after:  %s", i + 1, a[i] ? a[i] : "(end)",
               b[i] ? b[i] : "(end)");
}

/* Direct reads ---------------------------------------------------------- */

static gint64
query_int (TsrProject *project,
           const char *sql)
{
  sqlite3 *db = tsr_database_get_handle (_tsr_project_get_database (project));
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

typedef struct
{
  char   *source_path;  /* plainTextPath */
  gint64  start;
  gint64  end;
  char   *selection;
} Expected;

static void
expected_free (gpointer data)
{
  Expected *e = data;

  g_free (e->source_path);
  g_free (e->selection);
  g_free (e);
}

/* Coding GUID (lower case) → where the file puts it, read with libxml2 */
static GHashTable *
read_codings (GBytes *qde)
{
  GHashTable *codings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, expected_free);
  xmlDocPtr doc = xmlReadMemory (g_bytes_get_data (qde, NULL), g_bytes_get_size (qde), "project.qde", NULL,
                                 XML_PARSE_NONET);
  xmlNodePtr sources = NULL;

  g_assert_nonnull (doc);
  for (xmlNodePtr n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "Sources"))
      sources = n;
  for (xmlNodePtr s = sources ? sources->children : NULL; s != NULL; s = s->next)
    {
      xmlChar *path;

      if (s->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) s->name, "TextSource"))
        continue;
      path = xmlGetProp (s, BAD_CAST "plainTextPath");
      for (xmlNodePtr sel = s->children; sel != NULL; sel = sel->next)
        {
          xmlChar *start, *end, *guid;

          if (sel->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) sel->name, "PlainTextSelection"))
            continue;
          start = xmlGetProp (sel, BAD_CAST "startPosition");
          end = xmlGetProp (sel, BAD_CAST "endPosition");
          guid = xmlGetProp (sel, BAD_CAST "guid");
          for (xmlNodePtr c = sel->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && g_str_equal ((const char *) c->name, "Coding"))
              {
                xmlChar *coding = xmlGetProp (c, BAD_CAST "guid");
                Expected *e = g_new0 (Expected, 1);

                e->source_path = g_strdup ((const char *) path);
                e->start = g_ascii_strtoll ((const char *) start, NULL, 10);
                e->end = g_ascii_strtoll ((const char *) end, NULL, 10);
                e->selection = g_ascii_strdown ((const char *) guid, -1);
                g_hash_table_insert (codings, g_ascii_strdown ((const char *) coding, -1), e);
                xmlFree (coding);
              }
          xmlFree (start);
          xmlFree (end);
          xmlFree (guid);
        }
      xmlFree (path);
    }
  xmlFreeDoc (doc);
  return codings;
}

static char *
crlf_to_lf (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  return g_strjoinv ("\n", lines);
}

static gboolean
word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

typedef struct
{
  char      *text;      /* the file, without its byte order mark */
  gunichar2 *units;     /* as UTF-16 */
  glong      n_units;
  gunichar  *chars;     /* with LF line ends, as characters */
  glong      n_chars;
} SourceFile;

static void
source_file_free (gpointer data)
{
  SourceFile *file = data;

  g_free (file->text);
  g_free (file->units);
  g_free (file->chars);
  g_free (file);
}

static SourceFile *
load_source (const char *qdpx,
             const char *path)
{
  const char *name = g_str_has_prefix (path, "internal://") ? path + strlen ("internal://") : path;
  g_autofree char *member = g_strconcat ("sources/", name, NULL);
  g_autoptr(GBytes) bytes = zip_member (qdpx, member);
  SourceFile *file = g_new0 (SourceFile, 1);
  g_autofree char *lf = NULL;
  gsize len;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3, len -= 3;
  file->text = g_strndup (data, len);
  file->units = g_utf8_to_utf16 (file->text, -1, NULL, &file->n_units, NULL);
  lf = crlf_to_lf (file->text);
  file->chars = g_utf8_to_ucs4_fast (lf, -1, &file->n_chars);
  return file;
}

/* Every passage holds the text the file's positions name, sliced here
 * from the source file in the unit @utf16 says; returns how many
 * selections begin and end on word boundaries. */
static guint
check_passages (TsrProject *project,
                const char *qdpx,
                gboolean    utf16)
{
  g_autoptr(GBytes) qde = zip_member (qdpx, "project.qde");
  g_autoptr(GHashTable) codings = read_codings (qde);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, source_file_free);
  g_autoptr(GHashTable) fitting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = tsr_database_get_handle (_tsr_project_get_database (project));
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT uuid, text, start, end FROM segments", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      Expected *e = g_hash_table_lookup (codings, uuid);
      SourceFile *file;
      g_autofree char *slice = NULL;
      g_autofree char *expected = NULL;

      g_assert_nonnull (e);
      file = g_hash_table_lookup (files, e->source_path);
      if (file == NULL)
        {
          file = load_source (qdpx, e->source_path);
          g_hash_table_insert (files, g_strdup (e->source_path), file);
        }
      if (utf16)
        {
          g_assert_cmpint (e->end, <=, file->n_units);
          slice = g_utf16_to_utf8 (file->units + e->start, e->end - e->start, NULL, NULL, NULL);
        }
      else
        slice = g_utf8_substring (file->text, e->start, e->end);
      g_assert_nonnull (slice);
      expected = crlf_to_lf (slice);
      g_assert_cmpstr (text, ==, expected);

      if (!g_hash_table_contains (fitting, e->selection))
        {
          /* A boundary has no word character on both sides of it. */
          const gunichar *chars = file->chars;
          gint64 start = sqlite3_column_int64 (stmt, 2);
          gint64 end = sqlite3_column_int64 (stmt, 3);
          gboolean ok;

          ok = (start == 0 || !(word_char (chars[start - 1]) && word_char (chars[start]))) &&
               (end >= file->n_chars || !(word_char (chars[end - 1]) && word_char (chars[end])));
          g_hash_table_insert (fitting, g_strdup (e->selection), GINT_TO_POINTER (ok));
          if (ok)
            n++;
        }
    }
  sqlite3_finalize (stmt);
  return n;
}

static TsrRefiSource *
report_of (TsrRefiSummary *summary,
           const char     *name)
{
  for (guint i = 0; i < summary->sources->len; i++)
    {
      TsrRefiSource *source = summary->sources->pdata[i];

      if (g_str_equal (source->name, name))
        return source;
    }
  g_error ("no source “%s” in the summary", name);
}

static gboolean
has_line (GPtrArray  *lines,
          const char *text)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (lines->pdata[i], text) != NULL)
      return TRUE;
  return FALSE;
}

/* The samples --------------------------------------------------------------- */

/* NVivo 12: 2 users, 152 codes, 2 text sources, 303 codings in UTF-16
 * code units of a BOM/CRLF text; 300 of 303 on word boundaries. */
static void
test_nvivo12 (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *qdpx = sample (NVIVO12);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;
  TsrRefiSource *coded;

  if (qdpx == NULL)
    return;
  project = import_file (f, qdpx, "nvivo.tessera", &summary);
  g_assert_cmpuint (summary->n_coders, ==, 2);
  g_assert_cmpuint (summary->n_codes, ==, 152);
  g_assert_cmpuint (summary->n_documents, ==, 2);
  g_assert_cmpuint (summary->n_segments, ==, 303);
  g_assert_cmpuint (tsr_project_get_n_codes (project), ==, 152);
  g_assert_cmpuint (tsr_project_get_n_documents (project), ==, 2);
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM segments"), ==, 303);
  g_assert_cmpint (query_int (project, "SELECT count (DISTINCT coder_id) FROM segments"), ==, 1);
  g_assert_cmpstr (summary->origin, ==, "NVivo for Windows 12.6");
  /* The two Word versions are named, not dropped unsaid */
  g_assert_true (has_line (summary->skipped, "2 files of the project’s sources Tessera does not read"));

  coded = report_of (summary, "videos_10_selected");
  g_assert_cmpint (coded->reading, ==, TSR_REFI_READING_UTF16);
  g_assert_cmpuint (coded->n_selections, ==, 303);
  g_assert_cmpuint (coded->n_fitting, ==, 300);
  g_assert_cmpuint (coded->n_segments, ==, 303);
  g_assert_cmpuint (coded->problems->len, ==, 3);
  g_assert_cmpint (report_of (summary, "videos_selection")->reading, ==, TSR_REFI_READING_NONE);

  /* The README's example: the first selection of 68bbdc14-… */
  {
    sqlite3 *db = tsr_database_get_handle (_tsr_project_get_database (project));
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (db, "SELECT s.text FROM segments s JOIN documents d ON d.id = s.document_id"
                            " WHERE d.uuid = '68bbdc14-c361-4432-b4dd-ae1dbfc12890' ORDER BY s.start LIMIT 1",
                        -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0),
                                     "Na mi van? Nem mertétek kötelezővé tenni?"));
    sqlite3_finalize (stmt);
  }

  /* Every passage is the file's UTF-16 slice, CRLF as LF */
  g_assert_cmpuint (check_passages (project, qdpx, TRUE), ==, 300);
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM documents WHERE length > 500000"), ==, 2);
}

/* ATLAS.ti 8: every schema branch, no source files.  Its 3 users and 14
 * codes come in, its code sets as themes and its notes as journal
 * entries; the 6 text sources and 2 PDFs without their text, the
 * picture, the audio, the 2 videos, the link, the 11 sets of sources and
 * the graph are kept and written back. */
static void
test_atlas (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *qdpx = sample (ATLAS);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GBytes) qde = NULL;
  g_autoptr(RefiProject) read = NULL;
  g_autoptr(GError) error = NULL;

  if (qdpx == NULL)
    return;

  /* As read: the README's counts */
  qde = zip_member (qdpx, "Project.qde");
  read = _tsr_refi_project_read (qde, ATLAS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->users->len, ==, 3);
  g_assert_cmpuint (read->n_all_codes, ==, 14);
  g_assert_cmpuint (read->n_text_sources, ==, 6);
  g_assert_cmpuint (read->n_kept_pdfs, ==, 2);
  g_assert_cmpuint (read->n_kept_pictures, ==, 1);
  g_assert_cmpuint (read->n_kept_audio, ==, 1);
  g_assert_cmpuint (read->n_kept_video, ==, 2);
  g_assert_cmpuint (read->n_text_selections, ==, 8);
  g_assert_cmpuint (read->n_kept_selections, ==, 7);    /* 4 PDF, 1 picture, 2 video */
  g_assert_cmpuint (read->notes->len, ==, 2);
  g_assert_cmpuint (read->n_kept_links, ==, 1);
  g_assert_cmpuint (read->sets->len + read->n_kept_sets, ==, 16);
  g_assert_cmpuint (read->n_kept_graphs, ==, 1);

  project = import_file (f, qdpx, "atlas.tessera", &summary);
  g_assert_cmpuint (summary->n_coders, ==, 3);
  g_assert_cmpuint (summary->n_codes, ==, 14);
  g_assert_cmpuint (summary->n_documents, ==, 0);
  g_assert_cmpuint (summary->n_themes, ==, 5);
  g_assert_cmpuint (summary->n_memos, ==, 2);
  g_assert_true (has_line (summary->kept, "6 text sources without their text"));
  g_assert_true (has_line (summary->kept, "1 picture source"));
  g_assert_true (has_line (summary->kept, "2 video sources"));
  g_assert_true (has_line (summary->kept, "11 sets of sources"));
  g_assert_true (has_line (summary->skipped, "“Simon.docx” and its 3 selections were left out: its text"));
  g_assert_cmpuint (summary->skipped->len, >=, 8);

  /* Colours and descriptions; "Breakfast food" groups 6 codes */
  {
    g_autoptr(TsrCode) code = tsr_project_find_code (project, "cornflakes");
    g_autoptr(TsrTheme) theme = tsr_project_find_theme (project, "Breakfast food");
    g_autoptr(GArray) codes = NULL;

    g_assert_nonnull (code);
    g_assert_cmpstr (tsr_code_get_color (code), ==, "#dc0000");
    g_assert_cmpstr (tsr_code_get_definition (code), ==, "breakfast cereal made by Kellogg’s");
    g_assert_nonnull (theme);
    codes = tsr_project_get_theme_codes (project, tsr_entity_get_id (TSR_ENTITY (theme)));
    g_assert_cmpuint (codes->len, ==, 6);
  }
}

/* NVivo 15: 2 users, 262 codes, 2 sources of one line end each, no
 * coding, a stray sources/.root. */
static void
test_nvivo15 (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *qdpx = sample (NVIVO15);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;

  if (qdpx == NULL)
    return;
  project = import_file (f, qdpx, "nvivo15.tessera", &summary);
  g_assert_cmpuint (summary->n_coders, ==, 2);
  g_assert_cmpuint (summary->n_codes, ==, 262);
  g_assert_cmpuint (summary->n_documents, ==, 2);
  g_assert_cmpuint (summary->n_segments, ==, 0);
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM document_texts WHERE text = char (10)"), ==, 2);
  /* Two Word versions; the stray sources/.root is no source's file */
  g_assert_true (has_line (summary->skipped, "2 files of the project’s sources Tessera does not read"));
  /* "pedagogy" holds a "pedagogy", and siblings of one name stay apart */
  {
    g_autoptr(TsrCode) code = tsr_project_find_code (project, "rq2_curriculum_and_instruction/pedagogy/pedagogy");

    g_assert_nonnull (code);
  }
}

/* qc: 1 user, 262 codes, 158 selections with 205 codings in code points,
 * plainTextPath without internal://. */
static void
test_qc (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *qdpx = sample (QC);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrDocument) board = NULL;
  TsrRefiSource *report;

  if (qdpx == NULL)
    return;
  project = import_file (f, qdpx, "qc.tessera", &summary);
  g_assert_cmpuint (summary->n_coders, ==, 1);
  g_assert_cmpuint (summary->n_codes, ==, 262);
  g_assert_cmpuint (summary->n_documents, ==, 2);
  g_assert_cmpuint (summary->n_segments, ==, 205);
  board = tsr_project_find_document (project, "board_2017");
  g_assert_nonnull (board);
  report = report_of (summary, "board_2017");
  g_assert_cmpint (report->reading, ==, TSR_REFI_READING_CODE_POINTS);
  g_assert_cmpuint (report->n_selections, ==, 158);
  g_assert_cmpuint (report->n_fitting, ==, 158);
  g_assert_cmpuint (check_passages (project, qdpx, FALSE), ==, 158);
}

/* Each sample re-exports valid and re-imports equal. */
static void
test_samples_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const names[] = { NVIVO12, ATLAS, NVIVO15, QC };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *qdpx = sample (names[i]);
      g_autofree char *first_name = g_strdup_printf ("first-%u.tessera", i);
      g_autofree char *second_name = g_strdup_printf ("second-%u.tessera", i);
      g_autofree char *out_name = g_strdup_printf ("again-%u.qdpx", i);
      g_autoptr(TsrRefiSummary) first_summary = NULL;
      g_autoptr(TsrRefiSummary) second_summary = NULL;
      g_autoptr(TsrProject) first = NULL;
      g_autoptr(TsrProject) second = NULL;
      g_autofree char *out = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (qdpx == NULL)
        return;
      first = import_file (f, qdpx, first_name, &first_summary);
      out = export_valid (f, first, out_name, NULL);
      second = import_file (f, out, second_name, &second_summary);

      /* The title is the first project's file name, carried as the name */
      g_assert_true (tsr_project_set_title (first, tsr_project_get_title (second), NULL));
      before = carried_text (first);
      after = carried_text (second);
      assert_same_text (before, after);
      g_assert_cmpuint (first_summary->kept->len, ==, second_summary->kept->len);
      for (guint k = 0; k < first_summary->kept->len; k++)
        g_assert_cmpstr (first_summary->kept->pdata[k], ==, second_summary->kept->pdata[k]);
    }
}

/* Tessera → .qdpx → Tessera ------------------------------------------------ */

static TsrProject *
open_demo_copy (Fixture *f)
{
  g_autofree char *path = path_in (f, "demo.tessera");
  g_autoptr(GError) error = NULL;
  TsrProject *project;

  tsr_test_copy_file (g_getenv ("TESSERA_DEMO"), path);
  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_current_coder_name (project, "Ada", &error));
  return project;
}

/* Gives the demo what it lacks: a document of emoji, combining accents
 * and right-to-left text, coded; memos on a passage, a code and a
 * theme; cases with attributes of every type; the theme map. */
static void
enrich (TsrProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  gint64 code = tsr_entity_get_id (codes->pdata[0]);
  gint64 theme = tsr_entity_get_id (themes->pdata[0]);
  gint64 other_theme = tsr_entity_get_id (themes->pdata[1]);
  gint64 document, segment, dyad, attribute;
  const char *text = "Köszönöm 🙏🏽 — the team 👩‍⚕️ gathered.\nCafe\xcc\x81 talk, שלום, and "
                     "“quotes” & <angles>.\n\nA last line 😀";

  document = tsr_project_add_document (project, "Emoji ✨", text, NULL, &error);
  g_assert_no_error (error);
  segment = tsr_project_add_segment (project, document, code, 9, 30, &error);
  g_assert_no_error (error);
  tsr_project_add_segment (project, document, code, 38, 44, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_memo (project, TSR_MEMO_SEGMENT, segment, "Why the emoji matters.", &error));
  g_assert_true (tsr_project_set_memo (project, TSR_MEMO_CODE, code, "A code memo\nover two lines.", &error));
  g_assert_true (tsr_project_set_memo (project, TSR_MEMO_THEME, theme, "A theme memo.", &error));

  dyad = tsr_project_create_case (project, "Dyad 1", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_case_membership (project, dyad, document, TRUE, &error));
  {
    static const struct { const char *name; TsrAttributeType type; const char *value; } values[] = {
      { "site", TSR_ATTRIBUTE_TEXT, "Ward 7 — Nord" },
      { "years", TSR_ATTRIBUTE_INTEGER, "12" },
      { "score", TSR_ATTRIBUTE_REAL, "1e+21" },
      { "weight", TSR_ATTRIBUTE_REAL, "0.125" },
      { "consented", TSR_ATTRIBUTE_BOOLEAN, "true" },
      { "interviewed", TSR_ATTRIBUTE_DATE, "2024-02-29" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        attribute = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_CASES, values[i].name,
                                                  values[i].type, &error);
        g_assert_no_error (error);
        g_assert_true (tsr_project_set_attribute_value (project, attribute, dyad, values[i].value, &error));
      }
    attribute = tsr_project_define_attribute (project, TSR_ATTRIBUTE_ON_DOCUMENTS, "recorded",
                                              TSR_ATTRIBUTE_DATE, &error);
    g_assert_true (tsr_project_set_attribute_value (project, attribute, document, "2023-11-05", &error));
  }

  g_assert_true (tsr_project_set_map_position (project, TSR_MAP_ITEM_CODE, code, 120, -40, &error));
  g_assert_true (tsr_project_set_map_position (project, TSR_MAP_ITEM_THEME, theme, 300, 200, &error));
  g_assert_true (tsr_project_set_map_position (project, TSR_MAP_ITEM_THEME, other_theme, 600, 260, &error));
  g_assert_cmpint (tsr_project_add_map_link (project, theme, other_theme, "leads to", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_description (project, "A description & <markup>.", &error));
}

static void
test_tessera_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TsrProject) demo = open_demo_copy (f);
  g_autoptr(TsrRefiSummary) out_summary = NULL;
  g_autoptr(TsrRefiSummary) in_summary = NULL;
  g_autoptr(TsrProject) back = NULL;
  g_autofree char *out = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (g_getenv ("TESSERA_QDA_SAMPLES") == NULL ||
      !g_file_test (g_getenv ("TESSERA_QDA_SAMPLES"), G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the REFI-QDA schema is not here");
      return;
    }
  enrich (demo);
  out = export_valid (f, demo, "demo.qdpx", &out_summary);
  g_assert_cmpuint (out_summary->n_documents, ==, 23);
  g_assert_true (has_line (out_summary->skipped, "exemplar"));

  back = import_file (f, out, "back.tessera", &in_summary);
  g_assert_cmpint (report_of (in_summary, "Emoji ✨")->reading, ==, TSR_REFI_READING_CODE_POINTS);
  g_assert_cmpuint (in_summary->changed->len, ==, 0);
  before = carried_text (demo);
  after = carried_text (back);
  assert_same_text (before, after);
  g_assert_cmpuint (in_summary->n_segments, ==, query_int (demo, "SELECT count (*) FROM segments"));
}

/* The same project exported twice gives the same project.qde. */
static void
test_export_stable (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TsrProject) demo = open_demo_copy (f);
  g_autofree char *a = path_in (f, "a.qdpx");
  g_autofree char *b = path_in (f, "b.qdpx");
  g_autoptr(GFile) fa = g_file_new_for_path (a);
  g_autoptr(GFile) fb = g_file_new_for_path (b);
  g_autoptr(GBytes) qa = NULL;
  g_autoptr(GBytes) qb = NULL;
  g_autoptr(GBytes) text = NULL;

  g_assert_true (tsr_project_export_qdpx (demo, fa, NULL, NULL, NULL));
  g_assert_true (tsr_project_export_qdpx (demo, fb, NULL, NULL, NULL));
  qa = zip_member (a, "project.qde");
  qb = zip_member (b, "project.qde");
  g_assert_true (g_bytes_equal (qa, qb));

  /* Sources are the documents' text as UTF-8, named by UUID */
  {
    g_autoptr(GListModel) model = tsr_project_get_documents (demo);
    g_autoptr(TsrDocument) doc = g_list_model_get_item (model, 0);
    g_autofree char *member = g_strdup_printf ("sources/%s.txt", tsr_entity_get_uuid (TSR_ENTITY (doc)));
    g_autofree char *expected = tsr_project_get_document_text (demo, tsr_entity_get_id (TSR_ENTITY (doc)), NULL);

    text = zip_member (a, member);
    g_assert_nonnull (text);
    g_assert_cmpmem (g_bytes_get_data (text, NULL), g_bytes_get_size (text), expected, strlen (expected));
  }
}

/* An export that fails leaves the file it would replace as it was. */
static void
test_export_atomic (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TsrProject) demo = open_demo_copy (f);
  g_autofree char *target = path_in (f, "keep.qdpx");
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_true (g_file_set_contents (target, "before", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (tsr_project_export_qdpx (demo, file, NULL, cancellable, &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "before");
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".tessera-tmp"));
}

/* Offsets ------------------------------------------------------------------ */

/* "a\r\nb😀c" stored; Tessera's text is "a\nb😀c".  Worked by hand:
 *   code points:  a=0 CR=1 LF=2 b=3 😀=4 c=5 end=6
 *   UTF-16:       a=0 CR=1 LF=2 b=3 😀=4,5 c=6 end=7
 *   Tessera:      a=0 LF=1 b=2 😀=3 c=4 end=5 */
static void
test_offsets (void)
{
  const char *stored = "a\r\nb\xf0\x9f\x98\x80" "c";
  const gint64 positions[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
  static const struct { TsrRefiReading reading; gint64 expected[9]; } cases[] = {
    { TSR_REFI_READING_CODE_POINTS,    { 0, 1, 1, 2, 3, 4, 5, -1, -1 } },
    { TSR_REFI_READING_UTF16,          { 0, 1, 1, 2, 3, -1, 4, 5, -1 } },
    { TSR_REFI_READING_CODE_POINTS_LF, { 0, 1, 2, 3, 4, 5, -1, -1, -1 } },
    { TSR_REFI_READING_UTF16_LF,       { 0, 1, 2, 3, -1, 4, 5, -1, -1 } },
  };
  g_autofree char *text = _tsr_refi_normalize_text (stored);

  g_assert_cmpstr (text, ==, "a\nb\xf0\x9f\x98\x80" "c");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 offsets[9];

      _tsr_refi_resolve_offsets (stored, cases[i].reading, positions, 9, offsets);
      for (guint j = 0; j < 9; j++)
        if (offsets[j] != cases[i].expected[j])
          g_error ("reading %d, position %u: %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                   cases[i].reading, j, offsets[j], cases[i].expected[j]);
    }
}

/* Hostile and broken files ------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *data;
  gsize       length;   /* 0: strlen (data) */
} Member;

static void
write_zip (const char   *path,
           const Member *members,
           guint         n)
{
  struct archive *a = archive_write_new ();

  archive_write_set_format_zip (a);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < n; i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize length = members[i].length ? members[i].length : strlen (members[i].data);

      archive_entry_set_pathname (entry, members[i].name);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, length);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, members[i].data, length), ==, (la_ssize_t) length);
      archive_entry_free (entry);
    }
  archive_write_close (a);
  archive_write_free (a);
}

#define G1 "11111111-1111-4111-8111-111111111111"
#define G2 "22222222-2222-4222-8222-222222222222"
#define G3 "33333333-3333-4333-8333-333333333333"
#define G4 "44444444-4444-4444-8444-444444444444"
#define G5 "55555555-5555-4555-8555-555555555555"
#define G6 "66666666-6666-4666-8666-666666666666"
#define G9 "99999999-9999-4999-8999-999999999999"

#define HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
#define OPEN "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"p\">"
#define USERS "<Users><User guid=\"" G1 "\" name=\"Ann\"/></Users>"
#define CODES "<CodeBook><Codes><Code guid=\"" G2 "\" name=\"C\" isCodable=\"true\"/></Codes></CodeBook>"
#define SOURCE(path, selection) \
  "<Sources><TextSource guid=\"" G3 "\" name=\"S\" plainTextPath=\"" path "\">" selection "</TextSource></Sources>"
#define SELECTION(coding_guid, code) \
  "<PlainTextSelection guid=\"" G4 "\" startPosition=\"0\" endPosition=\"5\" creatingUser=\"" G1 "\">" \
  "<Coding guid=\"" coding_guid "\" creatingUser=\"" G1 "\"><CodeRef targetGUID=\"" code "\"/></Coding>" \
  "</PlainTextSelection>"
#define CLOSE "</Project>"

static char *
deep_codes (guint depth)
{
  GString *s = g_string_new (HEAD OPEN "<CodeBook><Codes>");

  for (guint i = 0; i < depth; i++)
    g_string_append_printf (s, "<Code guid=\"%08x-0000-4000-8000-000000000000\" name=\"c%u\" isCodable=\"true\">",
                            i + 1, i);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "</Code>");
  g_string_append (s, "</Codes></CodeBook>" CLOSE);
  return g_string_free (s, FALSE);
}

static char *
deep_xml (guint depth)
{
  GString *s = g_string_new (HEAD OPEN);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "<Description>");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "</Description>");
  g_string_append (s, CLOSE);
  return g_string_free (s, FALSE);
}

static void
expect_refused (Fixture      *f,
                const Member *members,
                guint         n,
                const char   *message)
{
  g_autofree char *qdpx = path_in (f, "hostile.qdpx");
  g_autofree char *target = path_in (f, "hostile.tessera");
  g_autoptr(GFile) file = g_file_new_for_path (qdpx);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  write_zip (qdpx, members, n);
  project = tsr_project_import_qdpx (target, file, NULL, NULL, NULL, NULL, &error);
  g_assert_null (project);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
  /* No trace: no project, no journal, no temporary */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_true (g_str_equal (name, "hostile.qdpx"));
  }
  g_unlink (qdpx);
}

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  const char *good_text = "Hello world";
  g_autofree char *bomb = g_malloc0 (40 * 1024 * 1024);
  g_autofree char *deep = deep_codes (REFI_MAX_DEPTH + 10);
  g_autofree char *deeper = deep_xml (20000);

  memset (bomb, 'a', 40 * 1024 * 1024);

  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("internal://t.txt", SELECTION (G5, G2)) CLOSE },
                         { "sources/t.txt", bomb, 40 * 1024 * 1024 } };
    expect_refused (f, m, 2, "zip bomb");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES CLOSE }, { "../evil.txt", good_text } };
    expect_refused (f, m, 2, "leaves the project’s folder");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES CLOSE }, { "/etc/evil", good_text } };
    expect_refused (f, m, 2, "leaves the project’s folder");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES CLOSE }, { "sources/..\\..\\evil", good_text } };
    expect_refused (f, m, 2, "leaves the project’s folder");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("internal://../../etc/passwd", "") CLOSE } };
    expect_refused (f, m, 1, "internal://../../etc/passwd");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("/etc/passwd", "") CLOSE } };
    expect_refused (f, m, 1, "“/etc/passwd”, a path that leaves");
  }
  {
    const Member m[] = { { "project.qde", HEAD "<!DOCTYPE Project [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                          OPEN "<Description>&e;</Description>" CLOSE } };
    expect_refused (f, m, 1, "declares a document type");
  }
  {
    const Member m[] = { { "project.qde", HEAD "<!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">"
                                          "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;\">]>" OPEN "<Description>&c;</Description>" CLOSE } };
    /* refused as a document type, or before that as a loop of entities */
    expect_refused (f, m, 1, "entit");
  }
  {
    const Member m[] = { { "project.qde", deep } };
    expect_refused (f, m, 1, "nested more than");
  }
  {
    const Member m[] = { { "project.qde", deeper } };
    expect_refused (f, m, 1, "not well-formed");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("internal://t.txt", SELECTION (G5, G9)) CLOSE },
                         { "sources/t.txt", good_text } };
    expect_refused (f, m, 2, "refers to the code " G9 ", which the file does not hold");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES
                                          "<Sources><TextSource guid=\"" G3 "\" plainTextPath=\"internal://t.txt\">"
                                          "<NoteRef targetGUID=\"" G9 "\"/></TextSource></Sources>" CLOSE },
                         { "sources/t.txt", good_text } };
    expect_refused (f, m, 2, "refers to the note " G9);
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS
                                          "<CodeBook><Codes><Code guid=\"" G2 "\" name=\"A\" isCodable=\"true\"/>"
                                          "<Code guid=\"{" G2 "}\" name=\"B\" isCodable=\"true\"/></Codes></CodeBook>" CLOSE } };
    expect_refused (f, m, 1, "is given to more than one element");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("internal://t.txt", SELECTION (G2, G2)) CLOSE },
                         { "sources/t.txt", good_text } };
    expect_refused (f, m, 2, "is given to more than one element");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN "<Users><User guid=\"not-a-guid\"/></Users>" CLOSE } };
    expect_refused (f, m, 1, "a GUID that is not one");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS CODES SOURCE ("internal://t.txt",
                           "<PlainTextSelection guid=\"" G4 "\" startPosition=\"0\" endPosition=\"5\" creatingUser=\"" G9 "\"/>")
                           CLOSE }, { "sources/t.txt", good_text } };
    expect_refused (f, m, 2, "refers to the user " G9);
  }
  {
    const Member m[] = { { "project.qde", HEAD "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>" } };
    expect_refused (f, m, 1, "is not a REFI-QDA project");
  }
  {
    const Member m[] = { { "readme.txt", good_text } };
    expect_refused (f, m, 1, "holds no project.qde");
  }
  {
    const Member m[] = { { "project.qde", HEAD OPEN USERS "<CodeBook><Codes><Code" } };
    expect_refused (f, m, 1, "not well-formed");
  }

  /* Not a zip at all */
  {
    g_autofree char *qdpx = path_in (f, "text.qdpx");
    g_autofree char *target = path_in (f, "text.tessera");
    g_autoptr(GFile) file = g_file_new_for_path (qdpx);
    g_autoptr(GError) error = NULL;
    g_autoptr(TsrProject) project = NULL;

    g_assert_true (g_file_set_contents (qdpx, "just text", -1, NULL));
    project = tsr_project_import_qdpx (target, file, NULL, NULL, NULL, NULL, &error);
    g_assert_null (project);
    g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
    g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  }
}

/* A source whose text the archive lacks is named in the summary and
 * kept, not shown; an external one (relative://) is never read. */
static void
test_missing_sources (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *qdpx = path_in (f, "missing.qdpx");
  g_autofree char *target = path_in (f, "missing.tessera");
  g_autoptr(GFile) file = g_file_new_for_path (qdpx);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  const Member m[] = {
    { "project.qde", HEAD OPEN USERS CODES
      "<Sources>"
      "<TextSource guid=\"" G3 "\" name=\"Here\" plainTextPath=\"internal://here.txt\">" SELECTION (G5, G2) "</TextSource>"
      "<TextSource guid=\"" G6 "\" name=\"Gone\" plainTextPath=\"internal://gone.txt\"/>"
      "<TextSource guid=\"" G9 "\" name=\"Outside\" plainTextPath=\"relative:///home/x/secret.txt\"/>"
      "</Sources>" CLOSE },
    { "sources/here.txt", "Hello world" },
  };

  write_zip (qdpx, m, G_N_ELEMENTS (m));
  project = tsr_project_import_qdpx (target, file, &summary, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->n_documents, ==, 1);
  g_assert_cmpuint (summary->n_segments, ==, 1);
  g_assert_true (has_line (summary->skipped, "“Gone” was left out: its text (internal://gone.txt) is not in the project"));
  g_assert_true (has_line (summary->skipped, "“Outside” was left out: its text is outside the project"));
  g_assert_true (has_line (summary->kept, "2 text sources without their text"));
  g_assert_null (tsr_project_find_document (project, "Gone"));
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM segments WHERE text = 'Hello'"), ==, 1);
}

/* A selection outside its text is left out and named; one inside a word
 * in every reading is imported where it falls, and named. */
static void
test_unfitting (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *qdpx = path_in (f, "unfit.qdpx");
  g_autofree char *target = path_in (f, "unfit.tessera");
  g_autoptr(GFile) file = g_file_new_for_path (qdpx);
  g_autoptr(TsrRefiSummary) summary = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GError) error = NULL;
  TsrRefiSource *report;
  const Member m[] = {
    { "project.qde", HEAD OPEN USERS CODES
      "<Sources><TextSource guid=\"" G3 "\" name=\"T\" plainTextPath=\"internal://t.txt\">"
      "<PlainTextSelection guid=\"" G4 "\" startPosition=\"0\" endPosition=\"5\">"
      "<Coding guid=\"" G5 "\"><CodeRef targetGUID=\"" G2 "\"/></Coding></PlainTextSelection>"
      "<PlainTextSelection guid=\"" G6 "\" startPosition=\"2\" endPosition=\"8\">"
      "<Coding guid=\"" G9 "\"><CodeRef targetGUID=\"" G2 "\"/></Coding></PlainTextSelection>"
      "<PlainTextSelection guid=\"77777777-7777-4777-8777-777777777777\" startPosition=\"6\" endPosition=\"400\">"
      "<Coding guid=\"88888888-8888-4888-8888-888888888888\"><CodeRef targetGUID=\"" G2 "\"/></Coding>"
      "</PlainTextSelection>"
      "</TextSource></Sources>" CLOSE },
    { "sources/t.txt", "Hello world" },
  };

  write_zip (qdpx, m, G_N_ELEMENTS (m));
  project = tsr_project_import_qdpx (target, file, &summary, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  report = report_of (summary, "T");
  g_assert_cmpuint (report->n_selections, ==, 3);
  g_assert_cmpuint (report->n_fitting, ==, 1);
  g_assert_cmpuint (report->n_segments, ==, 2);
  g_assert_cmpuint (report->problems->len, ==, 2);
  g_assert_true (has_line (report->problems, "positions 2–8 begin inside a word"));
  g_assert_true (has_line (report->problems, "positions 6–400 lie outside the text; left out"));
  /* Not moved: "llo wo" as the file says */
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM segments WHERE text = 'llo wo'"), ==, 1);
  /* The coding names no user: the project's only user's */
  g_assert_cmpint (query_int (project, "SELECT count (*) FROM segments s JOIN coders c ON c.id = s.coder_id"
                                       " WHERE c.name = 'Ann'"), ==, 2);
}

/* Cancelling leaves no file. */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *qdpx = sample (QC);
  g_autofree char *target = path_in (f, "cancelled.tessera");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  if (qdpx == NULL)
    return;
  file = g_file_new_for_path (qdpx);
  g_cancellable_cancel (cancellable);
  project = tsr_project_import_qdpx (target, file, NULL, cancellable, NULL, NULL, &error);
  g_assert_null (project);
  g_assert_nonnull (error);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
}

/* tessera-cli import-qdpx and export-qdpx */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *qdpx = sample (QC);
  g_autofree char *project = path_in (f, "cli.tessera");
  g_autofree char *out = path_in (f, "cli.qdpx");
  g_auto(TsrTestRun) run = { 0, };
  g_auto(TsrTestRun) again = { 0, };
  g_auto(TsrTestRun) refused = { 0, };

  if (qdpx == NULL)
    return;
  tsr_test_run_cli (&run, NULL, "import-qdpx", qdpx, project, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "From qc 1.3.2: 2 documents, 262 codes, 205 coded passages, 1 coder."));
  g_assert_nonnull (strstr (run.out, "“board_2017”: 158 of 158 selections on word boundaries"));

  tsr_test_run_cli (&again, NULL, "export-qdpx", project, "--out", out, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Written: 2 documents, 262 codes, 205 coded passages, 1 coder."));
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));

  /* An existing project is not overwritten */
  tsr_test_run_cli (&refused, NULL, "import-qdpx", qdpx, project, NULL);
  g_assert_cmpint (refused.status, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/tessera/refi/qdpx/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sample/nvivo12", test_nvivo12);
  ADD ("sample/atlas", test_atlas);
  ADD ("sample/nvivo15", test_nvivo15);
  ADD ("sample/qc", test_qc);
  ADD ("sample/round-trip", test_samples_round_trip);
  ADD ("round-trip", test_tessera_round_trip);
  ADD ("export/stable", test_export_stable);
  ADD ("export/atomic", test_export_atomic);
  ADD ("hostile", test_hostile);
  ADD ("missing-sources", test_missing_sources);
  ADD ("unfitting", test_unfitting);
  ADD ("cancelled", test_cancelled);
  ADD ("cli", test_cli);
#undef ADD
  g_test_add_func ("/tessera/refi/qdpx/offsets", test_offsets);

  return g_test_run ();
}
