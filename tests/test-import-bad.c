/* test-import-bad.c — damaged, hostile and impossible files
 *
 * Each file here is refused with a message that names it and says what
 * is wrong, and the project is exactly as it was: its whole JSON export
 * and its history are compared before and after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <unistd.h>

#include "import-helpers.h"

static const char plain_document[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  "<w:document " W_NS "><w:body><w:p><w:r><w:t>Fine.</w:t></w:r></w:p></w:body></w:document>";

/* A project with something in it, so that "unchanged" means something. */
static void
add_a_document (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  tsr_project_add_document (f->project, "Existing", "Already here.\n", NULL, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (GFile *file)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static gssize
find_bytes (GBytes     *bytes,
            const char *needle,
            gsize       needle_length,
            gsize       from)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  for (gsize i = from; i + needle_length <= length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return (gssize) i;
  return -1;
}

/* Zip containers --------------------------------------------------------- */

static void
test_zip_corrupt (Fixture       *f,
                  gconstpointer  data)
{
  /* Bytes flipped inside the compressed body of a real DOCX. */
  g_autoptr(GFile) source = fixture_file ("notes.docx");
  g_autoptr(GBytes) bytes = read_bytes (source);
  gsize length;
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &length), g_bytes_get_size (bytes));
  gssize at = find_bytes (bytes, "word/document.xml", 17, 0);
  g_autoptr(GFile) file = NULL;

  add_a_document (f);
  g_assert_cmpint (at, >, 0);
  /* Past the local header and its name, well into the data. */
  for (gsize i = (gsize) at + 17 + 40; i < (gsize) at + 17 + 140 && i < length; i++)
    copy[i] ^= 0x5a;
  file = write_file (f, "notes.docx", (const char *) copy, length);
  assert_refused (f, file, TSR_ERROR_CORRUPT, "damaged");
}

static void
test_zip_truncated (Fixture       *f,
                    gconstpointer  data)
{
  /* Cut at several places: in the middle, just before the end of the
   * central directory, one byte short. */
  g_autoptr(GFile) source = fixture_file ("lists-tables.odt");
  g_autoptr(GBytes) bytes = read_bytes (source);
  gsize length = g_bytes_get_size (bytes);
  const gsize cuts[] = { length / 2, length - 30, length - 1, 100, 4 };

  add_a_document (f);
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autofree char *name = g_strdup_printf ("cut-%u.odt", i);
      g_autoptr(GFile) file = write_file (f, name, g_bytes_get_data (bytes, NULL), cuts[i]);

      assert_refused (f, file, TSR_ERROR_CORRUPT, "damaged");
    }
}

/* Writes a DOCX whose body holds @n_filler bytes of spaces inside one
 * w:t, streamed into the deflater so the test never holds them all. */
static GFile *
write_bomb (Fixture    *f,
            const char *name,
            gsize       n_filler)
{
  static const char head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS "><w:body><w:p><w:r><w:t>";
  static const char tail[] = "</w:t></w:r></w:p></w:body></w:document>";
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *chunk = g_malloc (1 << 20);
  struct archive *a = archive_write_new ();
  struct archive_entry *entry;
  const char *names[] = { "[Content_Types].xml", "_rels/.rels" };
  const char *contents[] = { content_types_docx, package_rels_docx };

  memset (chunk, ' ', 1 << 20);
  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_zip_set_compression_deflate (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      entry = archive_entry_new ();
      archive_entry_set_pathname (entry, names[i]);
      archive_entry_set_size (entry, strlen (contents[i]));
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_write_header (a, entry);
      archive_write_data (a, contents[i], strlen (contents[i]));
      archive_entry_free (entry);
    }

  entry = archive_entry_new ();
  archive_entry_set_pathname (entry, "word/document.xml");
  archive_entry_set_size (entry, sizeof head - 1 + n_filler + sizeof tail - 1);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
  archive_write_data (a, head, sizeof head - 1);
  for (gsize done = 0; done < n_filler; )
    {
      gsize n = MIN (n_filler - done, (gsize) 1 << 20);

      g_assert_cmpint (archive_write_data (a, chunk, n), ==, (la_ssize_t) n);
      done += n;
    }
  archive_write_data (a, tail, sizeof tail - 1);
  archive_entry_free (entry);

  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_file_new_for_path (path);
}

static void
test_zip_bomb (Fixture       *f,
               gconstpointer  data)
{
  /* 600 MB of spaces deflate to under a megabyte: stopped while
   * inflating, long before the end. */
  g_autoptr(GFile) file = write_bomb (f, "bomb.docx", (gsize) 600 << 20);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  gint64 start;

  g_assert_cmpint (g_file_info_get_size (info), <, 2 << 20);
  add_a_document (f);
  start = g_get_monotonic_time ();
  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "zip bomb");
  if (g_test_verbose ())
    g_test_message ("refused in %.2f s", (g_get_monotonic_time () - start) / 1e6);
}

static void
put_le32 (guint8 *p,
          guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static void
test_zip_bomb_lying_sizes (Fixture       *f,
                           gconstpointer  data)
{
  /* The same bomb claiming its body is 200 bytes, in the local header,
   * the data descriptor and the central directory: the claim is never
   * believed — the file is refused either way. */
  g_autoptr(GFile) bomb = write_bomb (f, "honest.docx", (gsize) 64 << 20);
  g_autoptr(GBytes) bytes = read_bytes (bomb);
  gsize length = g_bytes_get_size (bytes);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), length);
  g_autoptr(GFile) file = NULL;
  gssize at;
  guint patched = 0;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TsrImporter) importer = NULL;
  const GError *error;

  /* Every header naming word/document.xml: local (PK\3\4, size at 22)
   * and central (PK\1\2, size at 24). */
  for (at = find_bytes (bytes, "word/document.xml", 17, 0); at >= 0;
       at = find_bytes (bytes, "word/document.xml", 17, at + 1))
    {
      if (at >= 30 && memcmp (copy + at - 30, "PK\x03\x04", 4) == 0)
        {
          put_le32 (copy + at - 30 + 22, 200);
          patched++;
        }
      else if (at >= 46 && memcmp (copy + at - 46, "PK\x01\x02", 4) == 0)
        {
          put_le32 (copy + at - 46 + 24, 200);
          patched++;
        }
    }
  g_assert_cmpuint (patched, ==, 2);
  /* And the data descriptor after the body, if the writer left one. */
  at = find_bytes (bytes, "PK\x07\x08", 4, 0);
  if (at >= 0)
    put_le32 (copy + at + 12, 200);

  file = write_file (f, "liar.docx", (const char *) copy, length);
  add_a_document (f);
  before = project_snapshot (f);
  importer = import_one (f, file);
  error = tsr_import_item_get_error (item_at (importer, 0));
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 0)), ==, TSR_IMPORT_FAILED);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED) ||
                 g_error_matches (error, TSR_ERROR, TSR_ERROR_CORRUPT));
  g_assert_nonnull (strstr (error->message, "liar.docx"));
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  after = project_snapshot (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_zip_not_a_document (Fixture       *f,
                         gconstpointer  data)
{
  /* Members with unsafe names are only names: nothing is written. */
  g_autoptr(GFile) file = write_zip (f, "evil.docx",
                                     "../../escape.txt", "x",
                                     "/etc/passwd", "x",
                                     NULL);
  g_autofree char *escaped = g_build_filename (f->dir, "..", "..", "escape.txt", NULL);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "zip archive, not a document");
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
}

static void
test_zip_encrypted (Fixture       *f,
                    gconstpointer  data)
{
  /* A zip with traditional encryption, and a DOCX protected by Word
   * (an OLE compound file holding "EncryptedPackage"). */
  g_autofree char *path = g_build_filename (f->dir, "locked.docx", NULL);
  g_autoptr(GFile) zip = g_file_new_for_path (path);
  struct archive *a = archive_write_new ();
  const char *names[] = { "[Content_Types].xml", "_rels/.rels", "word/document.xml" };
  const char *contents[] = { content_types_docx, package_rels_docx, plain_document };
  g_autoptr(GString) ole = g_string_new_len ("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
  g_autoptr(GFile) word = NULL;

  archive_write_set_format_zip (a);
  g_assert_cmpint (archive_write_set_options (a, "zip:encryption=zipcrypt"), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_set_passphrase (a, "secret"), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      struct archive_entry *entry = archive_entry_new ();

      archive_entry_set_pathname (entry, names[i]);
      archive_entry_set_size (entry, strlen (contents[i]));
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_write_header (a, entry);
      archive_write_data (a, contents[i], strlen (contents[i]));
      archive_entry_free (entry);
    }
  archive_write_close (a);
  archive_write_free (a);

  g_string_append_len (ole, "\0\0\0\0", 4);
  g_string_append_len (ole, "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  word = write_file (f, "protected.docx", ole->str, ole->len);

  add_a_document (f);
  assert_refused (f, zip, TSR_ERROR_UNSUPPORTED, "protected with a password");
  assert_refused (f, word, TSR_ERROR_UNSUPPORTED, "protected with a password");
}

static void
test_odt_encrypted (Fixture       *f,
                    gconstpointer  data)
{
  static const char manifest[] =
    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">"
    "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" manifest:checksum=\"x\"/>"
    "</manifest:file-entry></manifest:manifest>";
  g_autoptr(GFile) file = write_zip (f, "locked.odt",
                                     "mimetype", "application/vnd.oasis.opendocument.text",
                                     "META-INF/manifest.xml", manifest,
                                     "content.xml", "\x8f\x12\xa0 not xml at all",
                                     NULL);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "protected with a password");
}

/* XML attacks ---------------------------------------------------------------- */

static char *
secret_path (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "secret.txt", NULL);

  g_assert_true (g_file_set_contents (path, "TOP-SECRET-PASSWORD", -1, NULL));
  return g_steal_pointer (&path);
}

static void
test_xml_external_entity (Fixture       *f,
                          gconstpointer  data)
{
  /* The entity would read a local file; the part is refused before any
   * entity is used, and the secret appears nowhere. */
  g_autofree char *secret = secret_path (f);
  g_autofree char *document = g_strdup_printf (
    "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file://%s\">]>"
    "<w:document " W_NS "><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>",
    secret);
  g_autofree char *external_dtd = g_strdup_printf (
    "<?xml version=\"1.0\"?><!DOCTYPE w:document SYSTEM \"file://%s\">"
    "<w:document " W_NS "><w:body/></w:document>", secret);
  g_autoptr(GFile) docx = write_docx (f, "xxe.docx", document);
  g_autoptr(GFile) dtd = write_docx (f, "dtd.docx", external_dtd);
  g_autofree char *content = g_strdup_printf (
    "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file://%s\">]>"
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
    "<text:p>&xxe;</text:p></office:text></office:body></office:document-content>", secret);
  g_autoptr(GFile) odt = write_zip (f, "xxe.odt",
                                    "mimetype", "application/vnd.oasis.opendocument.text",
                                    "content.xml", content, NULL);

  add_a_document (f);
  assert_refused (f, docx, TSR_ERROR_CORRUPT, "declares a document type");
  assert_refused (f, dtd, TSR_ERROR_CORRUPT, "declares a document type");
  assert_refused (f, odt, TSR_ERROR_CORRUPT, "declares a document type");
}

static void
test_xml_external_entity_spreadsheet (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *secret = secret_path (f);
  g_autofree char *shared = g_strdup_printf (
    "<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file://%s\">]>"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&xxe;</t></si></sst>",
    secret);
  g_autoptr(GFile) file = write_zip (f, "xxe.xlsx",
    "xl/workbook.xml",
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
    "xl/_rels/workbook.xml.rels",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>",
    "xl/sharedStrings.xml", shared,
    "xl/worksheets/sheet1.xml",
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>text</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
    NULL);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_CORRUPT, "declares a document type");
}

static void
test_xml_billion_laughs (Fixture       *f,
                         gconstpointer  data)
{
  /* Ten levels of ten references: 10^9 "lol"s if ever expanded. */
  g_autoptr(GString) doc = g_string_new ("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY lol \"lol\">");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) numbering = NULL;
  gint64 start;

  for (guint i = 1; i <= 9; i++)
    {
      g_string_append_printf (doc, "<!ENTITY lol%u \"", i);
      for (guint k = 0; k < 10; k++)
        g_string_append_printf (doc, i == 1 ? "&lol;" : "&lol%u;", i - 1);
      g_string_append (doc, "\">");
    }
  g_string_append (doc, "]><w:document " W_NS "><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
                        "</w:body></w:document>");
  file = write_docx (f, "laughs.docx", doc->str);

  /* The same in a part read as a whole tree, the list numbering. */
  numbering = write_zip (f, "laughs-numbering.docx",
                         "[Content_Types].xml", content_types_docx,
                         "_rels/.rels", package_rels_docx,
                         "word/document.xml", plain_document,
                         "word/numbering.xml", doc->str,
                         NULL);

  add_a_document (f);
  start = g_get_monotonic_time ();
  assert_refused (f, file, TSR_ERROR_CORRUPT, "word/document.xml");
  assert_refused (f, numbering, TSR_ERROR_CORRUPT, "word/numbering.xml");
  /* Refused at once, not after expanding anything. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_xml_relationships_entity (Fixture       *f,
                               gconstpointer  data)
{
  /* Relationships with an entity are ignored (Word's usual part names
   * are used instead); the secret never reaches the text. */
  g_autofree char *secret = secret_path (f);
  g_autofree char *rels = g_strdup_printf (
    "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://%s\">]>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"&xxe;\"/>"
    "</Relationships>", secret);
  g_autoptr(GFile) file = write_zip (f, "rels.docx",
                                     "[Content_Types].xml", content_types_docx,
                                     "_rels/.rels", rels,
                                     "word/document.xml", plain_document,
                                     NULL);
  g_autofree char *text = import_text (f, file);

  g_assert_cmpstr (text, ==, "Fine.\n");
}

static void
test_html_entities (Fixture       *f,
                    gconstpointer  data)
{
  /* The HTML parser knows HTML's entities only; a declared one stays
   * text and nothing is read from disk. */
  g_autofree char *secret = secret_path (f);
  g_autofree char *html = g_strdup_printf (
    "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file://%s\">]><html><body><p>a &xxe; b &amp; c</p>"
    "</body></html>", secret);
  g_autoptr(GFile) file = write_file (f, "page.html", html, -1);
  g_autofree char *text = import_text (f, file);

  g_assert_null (strstr (text, "TOP-SECRET"));
  g_assert_nonnull (strstr (text, "b & c"));
}

static void
test_xml_deep_nesting (Fixture       *f,
                       gconstpointer  data)
{
  /* 100,000 nested elements: past libxml2's depth limit. */
  g_autoptr(GString) doc = g_string_new ("<w:document " W_NS "><w:body>");
  g_autoptr(GFile) file = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (doc, "<w:sdt><w:sdtContent>");
  g_string_append (doc, "<w:p><w:r><w:t>deep</w:t></w:r></w:p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (doc, "</w:sdtContent></w:sdt>");
  g_string_append (doc, "</w:body></w:document>");
  file = write_docx (f, "deep.docx", doc->str);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_CORRUPT, "not well-formed XML");
}

static void
test_xml_malformed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_docx (f, "broken.docx",
                                      "<w:document " W_NS "><w:body><w:p><w:r><w:t>open\n"
                                      "</w:r></w:body></w:document>");
  g_autoptr(GFile) undefined = write_docx (f, "entity.docx",
                                           "<w:document " W_NS "><w:body><w:p><w:r><w:t>&nbsp;"
                                           "</w:t></w:r></w:p></w:body></w:document>");

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_CORRUPT, "is not well-formed XML (line 2");
  assert_refused (f, undefined, TSR_ERROR_CORRUPT, "not well-formed XML");
}

/* Encodings ------------------------------------------------------------------ */

static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  data)
{
  /* XML that says UTF-8 and is not is damaged; a plain text file with
   * the same bytes is read as Windows-1252, as tsr_decode_text() reads
   * any text that is not UTF-8. */
  g_autoptr(GFile) docx = write_docx (f, "latin.docx",
                                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS ">"
                                      "<w:body><w:p><w:r><w:t>Caf\xe9 \xff</w:t></w:r></w:p></w:body></w:document>");
  g_autoptr(GFile) txt = write_file (f, "latin.txt", "Caf\xe9\n", -1);
  g_autofree char *text = NULL;

  add_a_document (f);
  assert_refused (f, docx, TSR_ERROR_CORRUPT, "not well-formed XML");
  text = import_text (f, txt);
  g_assert_cmpstr (text, ==, "Café\n");
}

/* Empty, wrong, missing, huge ------------------------------------------- */

static void
test_empty_files (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const names[] = {
    "empty.txt", "empty.md", "empty.docx", "empty.odt", "empty.pdf", "empty.html", "empty.csv",
    "empty.xlsx", "empty",
  };
  g_autoptr(GFile) no_text = write_docx (f, "blank.docx",
                                         "<w:document " W_NS "><w:body><w:p/><w:p><w:r><w:t> </w:t></w:r>"
                                         "</w:p></w:body></w:document>");
  g_autoptr(GFile) blank_html = write_file (f, "blank.html",
                                            "<html><head><title>t</title></head><body> </body></html>", -1);
  g_autoptr(GFile) headers_only = write_file (f, "headers.csv", "id,answer\n", -1);
  g_autoptr(GFile) no_answers = write_file (f, "blank-answers.csv", "id,answer\n1,\n2,  \n", -1);
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(GError) error = NULL;
  TsrImportItem *item;

  add_a_document (f);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GFile) file = write_file (f, names[i], "", 0);

      assert_refused (f, file, TSR_ERROR_EMPTY_FILE, "is empty");
    }
  assert_refused (f, no_text, TSR_ERROR_EMPTY_FILE, "holds no text");
  assert_refused (f, blank_html, TSR_ERROR_EMPTY_FILE, "holds no text");
  assert_refused (f, headers_only, TSR_ERROR_EMPTY_FILE, "no rows");

  item = tsr_importer_add_file (importer, no_answers);
  tsr_import_item_set_column_names (item, "answer", NULL);
  g_assert_true (tsr_importer_read (importer, NULL, NULL, NULL, &error));
  g_assert_error ((GError *) tsr_import_item_get_error (item), TSR_ERROR, TSR_ERROR_EMPTY_FILE);
  g_assert_cmpstr (tsr_import_item_get_error (item)->message, ==,
                   "The spreadsheet “blank-answers.csv” has no text in the column “answer”");
}

static void
test_wrong_content (Fixture       *f,
                    gconstpointer  data)
{
  /* Binary bytes under a document's name; a PDF that is no PDF. */
  static const char binary[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 binary";
  g_autoptr(GFile) pdf = write_file (f, "report.pdf", binary, sizeof binary - 1);
  g_autoptr(GFile) docx = write_file (f, "essay.docx", binary, sizeof binary - 1);
  g_autoptr(GFile) fake = write_file (f, "fake.pdf", "%PDF-1.7\nthis is not a PDF\n", -1);

  add_a_document (f);
  assert_refused (f, pdf, TSR_ERROR_BINARY_FILE, "is not the kind of document its name says");
  assert_refused (f, docx, TSR_ERROR_BINARY_FILE, "is not the kind of document its name says");
  assert_refused (f, fake, TSR_ERROR_CORRUPT, "is damaged");
}

static void
test_missing_and_folder (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *missing_path = g_build_filename (f->dir, "missing.docx", NULL);
  g_autofree char *folder_path = g_build_filename (f->dir, "folder.docx", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);

  g_assert_cmpint (g_mkdir (folder_path, 0700), ==, 0);
  add_a_document (f);
  assert_refused (f, missing, TSR_ERROR_UNREADABLE, "cannot be read");
  assert_refused (f, folder, TSR_ERROR_UNREADABLE, "it is a folder");
}

static void
test_too_much_text (Fixture       *f,
                    gconstpointer  data)
{
  /* Just over 50 MB of text, as a text file and as a CSV cell. */
  gsize n = TSR_IMPORT_MAX_TEXT_BYTES + 1024;
  g_autofree char *text = g_malloc (n + 1);
  g_autofree char *csv = NULL;
  g_autoptr(GFile) txt = NULL;
  g_autoptr(GFile) table = NULL;

  for (gsize i = 0; i < n; i++)
    text[i] = i % 80 == 79 ? '\n' : 'a' + i % 26;
  text[n] = '\0';
  txt = write_file (f, "huge.txt", text, n);
  memcpy (text, "id,answer\n1,", 12);
  table = write_file (f, "huge.csv", text, n);

  add_a_document (f);
  assert_refused (f, txt, TSR_ERROR_UNSUPPORTED, "more than 50 MB of text");
  assert_refused (f, table, TSR_ERROR_UNSUPPORTED, "more than 50 MB of text");
}

static void
test_too_large_file (Fixture       *f,
                     gconstpointer  data)
{
  /* A 300 MB file (sparse: it takes no room) is refused before it is
   * read. */
  g_autoptr(GFile) file = write_file (f, "enormous.pdf", "%PDF-1.4\n", -1);
  g_autofree char *path = g_file_get_path (file);
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 300 << 20), ==, 0);
  close (fd);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "too large to import");
}

/* Spreadsheets ----------------------------------------------------------------- */

static void
test_csv_unterminated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "open.csv", "id,answer\n1,\"never closed\n2,x\n", -1);

  add_a_document (f);
  assert_refused (f, file, TSR_ERROR_CORRUPT, "starts on line 2");
}

static void
test_xlsx_damaged (Fixture       *f,
                   gconstpointer  data)
{
  /* No sheet behind the workbook's relationship; a sheet that is not
   * XML; a shared string index out of range reads as an empty cell. */
  static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>";
  g_autoptr(GFile) no_sheet = write_zip (f, "nosheet.xlsx",
                                         "xl/workbook.xml", workbook,
                                         "xl/_rels/workbook.xml.rels", rels, NULL);
  g_autoptr(GFile) bad_sheet = write_zip (f, "badsheet.xlsx",
                                          "xl/workbook.xml", workbook,
                                          "xl/_rels/workbook.xml.rels", rels,
                                          "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>", NULL);
  g_autoptr(GFile) bad_index = write_zip (f, "badindex.xlsx",
    "xl/workbook.xml", workbook,
    "xl/_rels/workbook.xml.rels", rels,
    "xl/sharedStrings.xml",
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>answer</t></si></sst>",
    "xl/worksheets/sheet1.xml",
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>99</v></c><c r=\"B2\"><v>1</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>-1</v></c><c r=\"XFE3\"><v>1</v></c></row></sheetData></worksheet>",
    NULL);

  add_a_document (f);
  assert_refused (f, no_sheet, TSR_ERROR_CORRUPT, "no sheet to read");
  assert_refused (f, bad_sheet, TSR_ERROR_CORRUPT, "not well-formed XML");
  /* Nothing but numbers: no text to import. */
  assert_refused (f, bad_index, TSR_ERROR_EMPTY_FILE, "no text in the column");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/tessera/import-bad/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("zip/corrupt", test_zip_corrupt);
  ADD ("zip/truncated", test_zip_truncated);
  ADD ("zip/bomb", test_zip_bomb);
  ADD ("zip/bomb-lying-sizes", test_zip_bomb_lying_sizes);
  ADD ("zip/not-a-document", test_zip_not_a_document);
  ADD ("zip/encrypted", test_zip_encrypted);
  ADD ("odt/encrypted", test_odt_encrypted);
  ADD ("xml/external-entity", test_xml_external_entity);
  ADD ("xml/external-entity-xlsx", test_xml_external_entity_spreadsheet);
  ADD ("xml/billion-laughs", test_xml_billion_laughs);
  ADD ("xml/relationships-entity", test_xml_relationships_entity);
  ADD ("xml/html-entities", test_html_entities);
  ADD ("xml/deep-nesting", test_xml_deep_nesting);
  ADD ("xml/malformed", test_xml_malformed);
  ADD ("encoding/invalid-utf8", test_invalid_utf8);
  ADD ("file/empty", test_empty_files);
  ADD ("file/wrong-content", test_wrong_content);
  ADD ("file/missing-or-folder", test_missing_and_folder);
  ADD ("file/too-much-text", test_too_much_text);
  ADD ("file/too-large", test_too_large_file);
  ADD ("table/csv-unterminated", test_csv_unterminated);
  ADD ("table/xlsx-damaged", test_xlsx_damaged);
#undef ADD

  return g_test_run ();
}
