/* test-refi.c — REFI-QDA codebooks out and in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char       *dir;
  TsrProject *demo;
  TsrProject *empty;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = NULL;
  g_autofree char *empty = NULL;

  f->dir = g_dir_make_tmp ("tessera-refi-XXXXXX", &error);
  g_assert_no_error (error);
  demo = g_build_filename (f->dir, "demo.tessera", NULL);
  empty = g_build_filename (f->dir, "empty.tessera", NULL);
  tsr_test_copy_file (g_getenv ("TESSERA_DEMO"), demo);
  f->demo = tsr_project_open (demo, &error);
  g_assert_no_error (error);
  f->empty = tsr_project_create (empty, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->demo);
  g_clear_object (&f->empty);
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
}

static GFile *
file_in (Fixture    *f,
         const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  return g_file_new_for_path (path);
}

static GFile *
write_text (Fixture    *f,
            const char *name,
            const char *text)
{
  GFile *file = file_in (f, name);
  g_autoptr(GError) error = NULL;

  g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error);
  g_assert_no_error (error);
  return file;
}

/* Every code as "path|colour|definition", in tree order */
static char *
code_lines (TsrProject *project)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (project);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *path = tsr_project_get_code_path (project, tsr_entity_get_id (codes->pdata[i]));

      g_string_append_printf (out, "%s|%s|%s\n", path, tsr_code_get_color (codes->pdata[i]),
                              tsr_code_get_definition (codes->pdata[i]));
    }
  return g_string_free (out, FALSE);
}

/* The demo's codebook validates against the REFI-QDA schema, carries
 * every code with its GUID, and comes back into an empty project the
 * same; a second import adds nothing. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = file_in (f, "demo.qdc");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (f->demo);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TsrCodebookImport first = { 0, }, second = { 0, };

  g_assert_true (tsr_project_export_codebook (f->demo, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  for (guint i = 0; i < codes->len; i++)
    {
      g_autofree char *guid = g_strdup_printf ("guid=\"%s\"", tsr_entity_get_uuid (codes->pdata[i]));

      g_assert_nonnull (strstr (contents, guid));
    }

  g_assert_true (tsr_project_import_codebook (f->empty, file, &first, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (first.n_added, ==, codes->len);
  g_assert_cmpuint (first.n_kept, ==, 0);
  before = code_lines (f->demo);
  after = code_lines (f->empty);
  g_assert_cmpstr (after, ==, before);

  g_assert_true (tsr_project_import_codebook (f->empty, file, &second, NULL, &error));
  g_assert_cmpuint (second.n_added, ==, 0);
  g_assert_cmpuint (second.n_kept, ==, codes->len);
}

static void
test_schema (Fixture       *f,
             gconstpointer  data)
{
  const char *samples = g_getenv ("TESSERA_QDA_SAMPLES");
  g_autofree char *xsd = samples ? g_build_filename (samples, "refi-spec", "Codebook.xsd", NULL) : NULL;
  g_autoptr(GFile) file = file_in (f, "demo.qdc");
  g_autofree char *path = g_file_get_path (file);
  xmlSchemaParserCtxtPtr parser;
  xmlSchemaPtr schema;
  xmlSchemaValidCtxtPtr valid;
  xmlDocPtr doc;

  if (xsd == NULL || !g_file_test (xsd, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the REFI-QDA schemas are not here");
      return;
    }
  g_assert_true (tsr_project_export_codebook (f->demo, file, NULL, NULL));

  parser = xmlSchemaNewParserCtxt (xsd);
  schema = xmlSchemaParse (parser);
  g_assert_nonnull (schema);
  valid = xmlSchemaNewValidCtxt (schema);
  doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
  g_assert_nonnull (doc);
  g_assert_cmpint (xmlSchemaValidateDoc (valid, doc), ==, 0);
  xmlFreeDoc (doc);
  xmlSchemaFreeValidCtxt (valid);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (parser);
}

#define GUID_A "{0E6A2D1C-5B7F-4C34-9E1B-3A8D0F6E9C21}"
#define GUID_B "7f3c1b2a-9d4e-4f60-8a1b-2c3d4e5f6a7b"
#define GUID_C "11111111-2222-4333-8444-555555555555"

/* Another tool's codebook: braces and capitals in GUIDs, #rgb colours, a
 * code without colour, a "/" in a name, a code that is not codable, a set;
 * one undo takes it all back. */
static void
test_foreign (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) file = write_text (f, "other.qdc",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"Another tool\">\n"
    " <Codes>\n"
    "  <Code guid=\"" GUID_A "\" name=\" Hope \" isCodable=\"false\" color=\"#F0A\">\n"
    "   <Description>  Looking forward.  </Description>\n"
    "   <Code guid=\"" GUID_B "\" name=\"Small/large\" isCodable=\"true\"/>\n"
    "  </Code>\n"
    "  <Code guid=\"" GUID_C "\" name=\"Trust\" isCodable=\"true\" color=\"#112233\"/>\n"
    " </Codes>\n"
    " <Sets><Set guid=\"" GUID_B "\" name=\"S\"><MemberCode guid=\"" GUID_C "\"/></Set></Sets>\n"
    "</CodeBook>\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *lines = NULL;
  g_autoptr(TsrCode) child = NULL;
  TsrCodebookImport result = { 0, };

  g_assert_true (tsr_project_import_codebook (f->empty, file, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_added, ==, 3);
  g_assert_cmpuint (result.n_renamed, ==, 1);
  g_assert_cmpuint (result.n_sets, ==, 1);

  lines = code_lines (f->empty);
  child = tsr_project_find_code (f->empty, "Hope/Small∕large");
  g_assert_nonnull (child);
  g_assert_true (g_str_has_prefix (lines, "Hope|#ff00aa|Looking forward.\nHope/Small∕large|#"));
  g_assert_true (g_str_has_suffix (lines, "Trust|#112233|\n"));

  g_assert_true (tsr_project_undo (f->empty, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_codes (f->empty), ==, 0);
}

/* Bad files: a message naming what is wrong, and the project unchanged
 * (no code, nothing to undo). */
static void
test_bad (Fixture       *f,
          gconstpointer  data)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
      "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"" GUID_C "\" name=\"&e;\" "
      "isCodable=\"true\"/></Codes></CodeBook>", "external entity" },
    { "<Project xmlns=\"urn:QDA-XML:project:1.0\"/>", "is not a REFI-QDA codebook" },
    { "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"" GUID_C "\" name=\"A\" isCodable=\"true\"/>"
      "<Code guid=\"" GUID_C "\" name=\"B\" isCodable=\"true\"/></Codes></CodeBook>", "more than one code" },
    { "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"" GUID_C "\" name=\"A\" isCodable=\"true\">"
      "<Code guid=\"not-a-guid\" name=\"B\" isCodable=\"true\"/></Code></Codes></CodeBook>", "no valid GUID" },
    { "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"" GUID_C "\" name=\"  \" "
      "isCodable=\"true\"/></Codes></CodeBook>", "without a name" },
    { "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"" GUID_C "\" name=\"A\" "
      "isCodable=\"true\" color=\"red\"/></Codes></CodeBook>", "is not #rrggbb" },
    { "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code", "not well-formed" },
    { "", "not well-formed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u.qdc", i);
      g_autoptr(GFile) file = write_text (f, name, cases[i].text);
      g_autoptr(GError) error = NULL;

      g_assert_false (tsr_project_import_codebook (f->empty, file, NULL, NULL, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].message);
      g_assert_cmpuint (tsr_project_get_n_codes (f->empty), ==, 0);
      g_assert_false (tsr_project_can_undo (f->empty));
    }

  {
    g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
    g_autoptr(GError) error = NULL;

    g_assert_false (tsr_project_import_codebook (f->empty, dir, NULL, NULL, &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE);
  }
}

/* A project without codes has no codebook to give. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = file_in (f, "none.qdc");
  g_autoptr(GError) error = NULL;

  g_assert_false (tsr_project_export_codebook (f->empty, file, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_assert_false (g_file_query_exists (file, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TESSERA_CODER", "Ada", TRUE);

#define ADD(name, func) \
  g_test_add ("/tessera/refi/codebook/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("schema", test_schema);
  ADD ("foreign", test_foreign);
  ADD ("bad", test_bad);
  ADD ("empty", test_empty);
#undef ADD

  return g_test_run ();
}
