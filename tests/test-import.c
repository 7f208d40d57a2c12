/* test-import.c — importing documents and spreadsheets
 *
 * The documents are made by LibreOffice: small ones committed under
 * tests/fixtures/import (remade by make-fixtures.sh from the sources
 * beside them) and, when soffice is installed, a set converted at the
 * start of this program from text and HTML written here and from the
 * demo essays.  Every expected text is written out by hand from what
 * the document says, never produced by the importer under test; the
 * demo essays' PDFs must give back the essays' own text files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "import-helpers.h"

/* What the committed fixtures say (see tests/fixtures/import/src). */
static const char tracked_changes_text[] =
  "The team was tired but proud.\n"
  "\n"
  "We left at six and nobody spoke.\n";

static const char notes_text[] =
  "Ceremonies matter.[1] They cost little.[i]\n"
  "\n"
  "Staff agreed.[2]\n"
  "\n"
  "[1] See the ward’s own survey.\n"
  "\n"
  "[2] Two nurses disagreed.\n"
  "\n"
  "[i] Figures from 2023.\n";

static const char lists_tables_text[] =
  "Findings\n"
  "\n"
  "• Support\n"
  "  ◦ Peers\n"
  "  ◦ Family\n"
  "• Compassion\n"
  "\n"
  "1. First point\n"
  "2. Second point\n"
  "\n"
  "An aside.\n"
  "\n"
  "3. Third point\n"
  "\n"
  "Role\tYears\tNotes\n"
  "Nurse\t12\tNight shifts, often alone\n"
  "Porter\t\tJoined in 2019\n";

/* Documents LibreOffice makes while this program runs ------------------ */

static const char essay_html[] =
  "<!DOCTYPE html>\n"
  "<html><head><meta charset=\"utf-8\"><title>Essay</title></head>\n"
  "<body>\n"
  "<h1>Seeing Samuel off</h1>\n"
  "<p>Forty-one days. That is how long Samuel was with us.</p>\n"
  "<p>It was nothing elaborate — nurses, two consultants and Marguerite.</p>\n"
  "<ul><li>A card</li><li>A corridor</li></ul>\n"
  "<ol><li>First</li><li>Second</li></ol>\n"
  "<table><tr><th>Role</th><th>Years</th></tr><tr><td>Nurse</td><td>12</td></tr></table>\n"
  "<p>Café “quotes” and naïve 😀.</p>\n"
  "</body></html>\n";

static const char essay_text[] =
  "Seeing Samuel off\n"
  "\n"
  "Forty-one days. That is how long Samuel was with us.\n"
  "\n"
  "It was nothing elaborate — nurses, two consultants and Marguerite.\n"
  "\n"
  "• A card\n"
  "• A corridor\n"
  "\n"
  "1. First\n"
  "2. Second\n"
  "\n"
  "Role\tYears\n"
  "Nurse\t12\n"
  "\n"
  "Café “quotes” and naïve 😀.\n";

static const char * const demo_essays[] = { "e01", "e02", "e03", "e04", "e05" };

/* Where the converted documents are, or NULL without LibreOffice. */
static char *converted_dir;

static gboolean
run_soffice (const char  *profile,
             const char  *target,
             const char  *infilter,
             const char  *outdir,
             GPtrArray   *inputs)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, g_strdup ("soffice"));
  g_ptr_array_add (argv, g_strconcat ("-env:UserInstallation=file://", profile, NULL));
  g_ptr_array_add (argv, g_strdup ("--headless"));
  if (infilter != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--infilter=%s", infilter));
  g_ptr_array_add (argv, g_strdup ("--convert-to"));
  g_ptr_array_add (argv, g_strdup (target));
  g_ptr_array_add (argv, g_strdup ("--outdir"));
  g_ptr_array_add (argv, g_strdup (outdir));
  for (guint i = 0; i < inputs->len; i++)
    g_ptr_array_add (argv, g_strdup (inputs->pdata[i]));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("# soffice --convert-to %s failed: %s\n", target,
                  error ? error->message : "exit status");
      return FALSE;
    }
  return TRUE;
}

/* Converts, in one soffice call per format, the essay and the demo
 * essays to DOCX, ODT and PDF. */
static void
convert_with_libreoffice (void)
{
  g_autofree char *soffice = g_find_program_in_path ("soffice");
  g_autofree char *dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) html_only = g_ptr_array_new_with_free_func (g_free);

  if (soffice == NULL)
    return;

  dir = g_dir_make_tmp ("tessera-lo-XXXXXX", NULL);
  g_assert_nonnull (dir);
  profile = g_build_filename (dir, "profile", NULL);
  html = g_build_filename (dir, "essay.html", NULL);
  g_assert_true (g_file_set_contents (html, essay_html, -1, NULL));
  g_ptr_array_add (html_only, g_strdup (html));

  for (guint i = 0; i < G_N_ELEMENTS (demo_essays); i++)
    {
      g_autofree char *name = g_strconcat (demo_essays[i], ".txt", NULL);
      g_autofree char *source = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "essays",
                                                        name, NULL);
      g_autofree char *copy = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (copy, contents, length, NULL));
      g_ptr_array_add (texts, g_steal_pointer (&copy));
    }

  {
    g_autofree char *out = g_build_filename (dir, "out", NULL);
    g_autoptr(GPtrArray) all = g_ptr_array_new ();

    for (guint i = 0; i < texts->len; i++)
      g_ptr_array_add (all, texts->pdata[i]);

    if (!run_soffice (profile, "docx", "HTML (StarWriter)", out, html_only) ||
        !run_soffice (profile, "odt", "HTML (StarWriter)", out, html_only) ||
        !run_soffice (profile, "pdf", "HTML (StarWriter)", out, html_only) ||
        !run_soffice (profile, "docx", NULL, out, all) ||
        !run_soffice (profile, "odt", NULL, out, all) ||
        !run_soffice (profile, "pdf", NULL, out, all))
      {
        tsr_test_remove_tree (dir);
        return;
      }
  }

  converted_dir = g_steal_pointer (&dir);
}

static GFile *
converted_file (const char *name)
{
  g_autofree char *path = g_build_filename (converted_dir, "out", name, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_file_new_for_path (path);
}

static char *
demo_essay_text (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".txt", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "essays",
                                                  file, NULL);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* Word and LibreOffice documents -------------------------------------- */

static void
check_fixture (Fixture    *f,
               const char *name,
               const char *expected)
{
  g_autoptr(GFile) file = fixture_file (name);
  g_autofree char *text = NULL;

  fixture_reset (f);
  text = import_text (f, file);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_tracked_changes (Fixture       *f,
                      gconstpointer  data)
{
  /* Deletions (one across a paragraph break) left out, insertions kept. */
  check_fixture (f, "tracked-changes.docx", tracked_changes_text);
  check_fixture (f, "tracked-changes.odt", tracked_changes_text);
  check_fixture (f, "src/tracked-changes.fodt", tracked_changes_text);
}

static void
test_notes (Fixture       *f,
            gconstpointer  data)
{
  check_fixture (f, "notes.docx", notes_text);
  check_fixture (f, "notes.odt", notes_text);
  check_fixture (f, "src/notes.fodt", notes_text);
}

static void
test_lists_tables (Fixture       *f,
                   gconstpointer  data)
{
  check_fixture (f, "lists-tables.docx", lists_tables_text);
  check_fixture (f, "lists-tables.odt", lists_tables_text);
  check_fixture (f, "src/lists-tables.fodt", lists_tables_text);
}

static void
test_same_text_is_duplicate (Fixture       *f,
                             gconstpointer  data)
{
  /* The DOCX and the ODT say the same, so the second is a duplicate. */
  GFile *files[] = { fixture_file ("notes.docx"), fixture_file ("notes.odt") };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImporter) importer = NULL;

  importer = tsr_project_import_files (f->project, files, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 0)), ==, TSR_IMPORT_IMPORTED);
  g_assert_cmpint (tsr_import_item_get_format (item_at (importer, 0)), ==, TSR_IMPORT_FORMAT_DOCX);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 1)), ==, TSR_IMPORT_DUPLICATE);
  g_assert_cmpint (tsr_import_item_get_format (item_at (importer, 1)), ==, TSR_IMPORT_FORMAT_ODT);
  g_assert_cmpstr (tsr_import_item_get_duplicate_of (item_at (importer, 1)), ==, "notes");
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_object_unref (files[i]);
}

static void
test_libreoffice_html (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const names[] = { "essay.docx", "essay.odt" };

  if (converted_dir == NULL)
    {
      g_test_skip ("LibreOffice (soffice) is not installed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GFile) file = converted_file (names[i]);
      g_autofree char *text = NULL;

      /* Each its own project: they hold the same text. */
      fixture_reset (f);
      text = import_text (f, file);
      g_assert_cmpstr (text, ==, essay_text);
    }
}

static void
test_libreoffice_pdf (Fixture       *f,
                      gconstpointer  data)
{
  /* A PDF has lines, not paragraphs: the paragraphs, the headings and
   * the lists come back from the layout; the table, whose cells are
   * laid out side by side, comes back a line at a time. */
  static const char expected[] =
    "Seeing Samuel off\n"
    "\n"
    "Forty-one days. That is how long Samuel was with us.\n"
    "\n"
    "It was nothing elaborate — nurses, two consultants and Marguerite.\n"
    "\n"
    "• A card\n"
    "\n"
    "• A corridor\n"
    "\n"
    "1. First\n"
    "\n"
    "2. Second\n"
    "\n"
    "Role Years\n"
    "\n"
    "Nurse 12\n"
    "\n"
    "Café “quotes” and naïve 😀.\n";
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;

  if (converted_dir == NULL)
    {
      g_test_skip ("LibreOffice (soffice) is not installed");
      return;
    }
  file = converted_file ("essay.pdf");
  text = import_text (f, file);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_libreoffice_essays (Fixture       *f,
                         gconstpointer  data)
{
  /* The demo essays written to DOCX, ODT and PDF by LibreOffice come back
   * as the essays' own text, paragraph for paragraph — from the PDF too,
   * where every paragraph is rebuilt from the layout of wrapped lines. */
  static const char * const extensions[] = { "docx", "odt", "pdf" };

  if (converted_dir == NULL)
    {
      g_test_skip ("LibreOffice (soffice) is not installed");
      return;
    }

  for (guint e = 0; e < G_N_ELEMENTS (extensions); e++)
    for (guint i = 0; i < G_N_ELEMENTS (demo_essays); i++)
      {
        g_autofree char *name = g_strconcat (demo_essays[i], ".", extensions[e], NULL);
        g_autoptr(GFile) file = converted_file (name);
        g_autofree char *expected = demo_essay_text (demo_essays[i]);
        g_autoptr(TsrImporter) importer = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(GArray) ids = NULL;
        g_autofree char *text = NULL;

        importer = tsr_project_import_files (f->project, &file, 1, NULL, &error);
        g_assert_no_error (error);
        ids = tsr_import_item_get_document_ids (item_at (importer, 0));
        if (e == 0)
          {
            g_assert_cmpuint (ids->len, ==, 1);
            text = document_text (f, g_array_index (ids, gint64, 0));
            g_assert_cmpstr (text, ==, expected);
          }
        else
          {
            /* The same text again: a duplicate of the DOCX's document. */
            g_assert_cmpuint (ids->len, ==, 0);
            g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 0)), ==,
                             TSR_IMPORT_DUPLICATE);
            g_assert_cmpstr (tsr_import_item_get_duplicate_of (item_at (importer, 0)), ==,
                             demo_essays[i]);
          }
      }
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, G_N_ELEMENTS (demo_essays));
}

static void
test_word_template (Fixture       *f,
                    gconstpointer  data)
{
  /* python-docx writes documents on Word's own default template, whose
   * "List Bullet" and "List Number" styles carry the numbering: lists
   * numbered through paragraph styles, as Word users make them. */
  static const char script[] =
    "import sys, docx\n"
    "d = docx.Document()\n"
    "d.add_heading('Findings', level=1)\n"
    "d.add_paragraph('First paragraph with ').add_run('bold').bold = True\n"
    "d.add_paragraph('Support', style='List Bullet')\n"
    "d.add_paragraph('Compassion', style='List Bullet')\n"
    "d.add_paragraph('Step one', style='List Number')\n"
    "d.add_paragraph('Step two', style='List Number')\n"
    "t = d.add_table(rows=2, cols=2)\n"
    "t.cell(0, 0).text = 'Role'; t.cell(0, 1).text = 'Years'\n"
    "t.cell(1, 0).text = 'Nurse'; t.cell(1, 1).text = '12'\n"
    "d.add_paragraph('End.')\n"
    "d.save(sys.argv[1])\n";
  static const char expected[] =
    "Findings\n"
    "\n"
    "First paragraph with bold\n"
    "\n"
    "• Support\n"
    "• Compassion\n"
    "\n"
    "1. Step one\n"
    "2. Step two\n"
    "\n"
    "Role\tYears\n"
    "Nurse\t12\n"
    "\n"
    "End.\n";
  g_autofree char *path = g_build_filename (f->dir, "word.docx", NULL);
  const char *argv[] = { "/usr/bin/python3", "-c", script, path, NULL };
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("python3-docx is not installed");
      return;
    }

  file = g_file_new_for_path (path);
  text = import_text (f, file);
  g_assert_cmpstr (text, ==, expected);
}

/* PDF ---------------------------------------------------------------- */

static void
test_pdf_password (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("password.pdf");

  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "protected with a password");
}

static void
test_pdf_scanned (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("scanned.pdf");

  assert_refused (f, file, TSR_ERROR_EMPTY_FILE, "no text layer");
}

/* Detection by content ------------------------------------------------- */

static GFile *
copy_fixture (Fixture    *f,
              const char *fixture,
              const char *name)
{
  g_autoptr(GFile) source = fixture_file (fixture);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  GFile *copy = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return copy;
}

static void
test_wrong_extension (Fixture       *f,
                      gconstpointer  data)
{
  /* The content decides: a Word document named .pdf is read as Word, an
   * ODT named .docx as ODT, and a spreadsheet named .txt is a table only
   * when its content says so (XLSX) — CSV has no signature. */
  g_autoptr(GFile) docx = copy_fixture (f, "tracked-changes.docx", "changes.pdf");
  g_autoptr(GFile) odt = copy_fixture (f, "notes.odt", "notes.docx");
  g_autoptr(GFile) xlsx = copy_fixture (f, "survey.xlsx", "survey.txt");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TsrImportFormat format;

  text = tsr_import_read_text (docx, &format, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, TSR_IMPORT_FORMAT_DOCX);
  g_assert_cmpstr (text, ==, tracked_changes_text);
  g_clear_pointer (&text, g_free);

  text = tsr_import_read_text (odt, &format, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, TSR_IMPORT_FORMAT_ODT);
  g_assert_cmpstr (text, ==, notes_text);

  g_assert_cmpint (tsr_import_detect_format (xlsx, NULL, &error), ==, TSR_IMPORT_FORMAT_XLSX);
  g_assert_no_error (error);
}

static void
test_rtf (Fixture       *f,
          gconstpointer  data)
{
  /* As WordPad writes it. */
  static const char rtf[] =
    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}}\r\n"
    "\\pard\\sa200\\sl276\\slmult1\\f0\\fs22 We stood together.\\par\r\n}\r\n";
  g_autoptr(GFile) file = write_file (f, "reflection.rtf", rtf, -1);
  g_autoptr(GFile) misnamed = write_file (f, "reflection.txt", rtf, -1);

  assert_refused (f, file, TSR_ERROR_UNSUPPORTED, "RTF is not supported; save it as DOCX or ODT");
  assert_refused (f, misnamed, TSR_ERROR_UNSUPPORTED, "RTF is not supported");
}

static void
test_other_formats_refused (Fixture       *f,
                            gconstpointer  data)
{
  /* Word 97–2003, an image, a zip that is no document, an ODS. */
  static const char doc[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0";
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  g_autoptr(GFile) old_word = write_file (f, "old.doc", doc, sizeof doc - 1);
  g_autoptr(GFile) image = write_file (f, "scan.png", png, sizeof png - 1);
  g_autoptr(GFile) zip = write_zip (f, "essays.zip", "essay.txt", "Some text.", NULL);
  g_autoptr(GFile) ods = write_zip (f, "survey.ods",
                                    "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                                    "content.xml", "<x/>", NULL);

  assert_refused (f, old_word, TSR_ERROR_UNSUPPORTED, "Word 97–2003");
  assert_refused (f, image, TSR_ERROR_UNSUPPORTED, "image");
  assert_refused (f, zip, TSR_ERROR_UNSUPPORTED, "zip archive, not a document");
  assert_refused (f, ods, TSR_ERROR_UNSUPPORTED, "XLSX or CSV");
}

/* DOCX details -------------------------------------------------------- */

static void
test_docx_structure (Fixture       *f,
                     gconstpointer  data)
{
  /* What Word writes that LibreOffice's fixtures do not: runs split mid
   * word, tabs and breaks, hidden text, field codes, a text box with
   * its VML fallback copy, a content control, a deleted table row, a
   * moved paragraph, symbols. */
  static const char document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<w:document " W_NS " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
    " xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""
    " xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>"
    "<w:p><w:r><w:t>Kind</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>ness</w:t></w:r>"
    "<w:r><w:tab/><w:t>matters</w:t><w:br/><w:t xml:space=\"preserve\"> a lot</w:t></w:r></w:p>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Seen </w:t></w:r>"
    "<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret </w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    "<w:r><w:noBreakHyphen/><w:t>x</w:t><w:sym w:font=\"Wingdings\" w:char=\"F04A\"/>"
    "<w:sym w:font=\"Arial\" w:char=\"00E9\"/></w:r></w:p>"
    "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
    "<w:txbxContent><w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent>"
    "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Anchor</w:t></w:r></w:p>"
    "<w:sdt><w:sdtPr><w:alias w:val=\"Name\"/></w:sdtPr><w:sdtContent>"
    "<w:p><w:r><w:t>In a control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    "<w:tbl><w:tblPr/><w:tblGrid/>"
    "<w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>"
    "<w:tr><w:trPr><w:del w:id=\"9\" w:author=\"Ada\"/></w:trPr>"
    "<w:tc><w:p><w:r><w:delText>gone</w:delText></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"
    "<w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>nested</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>table</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc>"
    "<w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "<w:p><w:moveFrom w:id=\"1\" w:author=\"Ada\"><w:r><w:t>Moved away</w:t></w:r></w:moveFrom></w:p>"
    "<w:p><w:moveTo w:id=\"2\" w:author=\"Ada\"><w:r><w:t>Moved here</w:t></w:r></w:moveTo></w:p>"
    "<w:p/><w:p><w:r><w:t xml:space=\"preserve\">   </w:t></w:r></w:p>"
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>"
    "</w:body></w:document>";
  static const char expected[] =
    "Kindness\tmatters\n a lot\n"
    "\n"
    "Seen 7-xé\n"
    "\n"
    "In the box\n"
    "\n"
    "Anchor\n"
    "\n"
    "In a control\n"
    "\n"
    "a\tb\n"
    "nested table\tc\n"
    "\n"
    "Moved here\n";
  g_autoptr(GFile) file = write_docx (f, "word.docx", document);
  g_autofree char *text = import_text (f, file);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_docx_numbering (Fixture       *f,
                     gconstpointer  data)
{
  /* Numbering as Word writes it: an abstract list with letters under
   * numbers, a list started again by a w:num override, a paragraph
   * style that carries numbering, and Word's Symbol-font bullet. */
  static const char document[] =
    "<w:document " W_NS "><w:body>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>One</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Sub a</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Sub b</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Two</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Sub again</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Between.</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr><w:r><w:t>Restarted</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/></w:pPr><w:r><w:t>By style</w:t></w:r></w:p>"
    "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>Not a list</w:t></w:r></w:p>"
    "</w:body></w:document>";
  static const char numbering[] =
    "<w:numbering " W_NS ">"
    "<w:abstractNum w:abstractNumId=\"0\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl>"
    "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"lowerLetter\"/><w:lvlText w:val=\"(%2)\"/></w:lvl>"
    "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId=\"1\">"
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xef\x82\xb7\"/></w:lvl>"
    "</w:abstractNum>"
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
    "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/>"
    "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"4\"/></w:lvlOverride></w:num>"
    "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/></w:num>"
    "</w:numbering>";
  static const char styles[] =
    "<w:styles " W_NS ">"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:basedOn w:val=\"Normal\"/>"
    "<w:pPr><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:style>"
    "</w:styles>";
  static const char expected[] =
    "1. One\n"
    "  (a) Sub a\n"
    "  (b) Sub b\n"
    "2. Two\n"
    "  (a) Sub again\n"
    "\n"
    "Between.\n"
    "\n"
    "4. Restarted\n"
    "\n"
    "• By style\n"
    "\n"
    "Not a list\n";
  g_autoptr(GBytes) d = g_bytes_new_static (document, sizeof document - 1);
  g_autoptr(GBytes) n = g_bytes_new_static (numbering, sizeof numbering - 1);
  g_autoptr(GBytes) s = g_bytes_new_static (styles, sizeof styles - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = tsr_docx_extract_parts (d, s, n, NULL, NULL, TSR_IMPORT_MAX_TEXT_BYTES, "list.docx",
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected);
}

/* HTML ----------------------------------------------------------------- */

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  static const char html[] =
    "<!DOCTYPE html><html><head><title>Not shown</title>"
    "<style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>\n"
    "<body>\n  <nav hidden>Menu</nav>\n"
    "  <h2>  Week   3 </h2>\n"
    "  Loose text <b>in   bold</b>&nbsp;and&amp;more\n"
    "  <div>Outer <p>inner</p> after</div>\n"
    "  <p style=\"display: none\">invisible</p>\n"
    "  <p>Line one<br>line two</p>\n"
    "  <pre>  keep   this\n  spacing</pre>\n"
    "  <ol start=\"3\" type=\"a\"><li>third<ul><li>nested</li></ul></li><li>fourth</li></ol>\n"
    "  <table><caption>Staff</caption><thead><tr><th>Role</th><th>Years</th></tr></thead>"
    "<tbody><tr><td>Nurse <p>on nights</p></td><td></td><td>x</td></tr></tbody></table>\n"
    "  <noscript>Enable scripts</noscript><template><p>template</p></template>\n"
    "  <!-- a comment -->\n"
    "  <p>Caf&eacute; &#x1F600;</p>\n"
    "</body></html>\n";
  static const char expected[] =
    "Week 3\n"
    "\n"
    "Loose text in bold\xc2\xa0" "and&more\n"
    "\n"
    "Outer\n"
    "\n"
    "inner\n"
    "\n"
    "after\n"
    "\n"
    "Line one\n"
    "line two\n"
    "\n"
    "  keep   this\n"
    "  spacing\n"
    "\n"
    "c. third\n"
    "  • nested\n"
    "d. fourth\n"
    "\n"
    "Staff\n"
    "Role\tYears\n"
    "Nurse on nights\t\tx\n"
    "\n"
    "Café 😀\n";
  g_autoptr(GFile) file = write_file (f, "page.html", html, -1);
  g_autofree char *text = import_text (f, file);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_html_encodings (Fixture       *f,
                     gconstpointer  data)
{
  /* Declared Latin-1 is read as Windows-1252 (curly quotes at 0x93,
   * 0x94), as browsers do; undeclared bytes that are not UTF-8 too; a
   * page saved as .txt is still a page. */
  static const char latin1[] =
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
    "</head><body><p>\x93" "Caf\xe9\x94</p></body></html>";
  static const char undeclared[] = "<html><body><p>na\xefve</p></body></html>";
  static const char utf8[] = "<!doctype html><p>na\xc3\xafve</p>";
  g_autoptr(GFile) a = write_file (f, "a.htm", latin1, -1);
  g_autoptr(GFile) b = write_file (f, "b.html", undeclared, -1);
  g_autoptr(GFile) c = write_file (f, "c.txt", utf8, -1);
  g_autofree char *ta = import_text (f, a);
  g_autofree char *tb = import_text (f, b);
  g_autoptr(GError) error = NULL;
  g_autofree char *tc = NULL;
  TsrImportFormat format;

  g_assert_cmpstr (ta, ==, "“Café”\n");
  g_assert_cmpstr (tb, ==, "naïve\n");
  tc = tsr_import_read_text (c, &format, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, TSR_IMPORT_FORMAT_HTML);
  g_assert_cmpstr (tc, ==, "naïve\n");
}

/* Text and Markdown keep working ------------------------------------- */

static void
test_plain_text (Fixture       *f,
                 gconstpointer  data)
{
  /* Through tsr_decode_text(): Windows-1252, CRLF, Markdown kept as written. */
  g_autoptr(GFile) txt = write_file (f, "memo.txt", "\x93Hi\x94\r\nthere", -1);
  g_autoptr(GFile) md = write_file (f, "notes.md", "# Week 3\n\n*She* said <b>no</b>.\n", -1);
  g_autofree char *t1 = import_text (f, txt);
  g_autofree char *t2 = import_text (f, md);

  g_assert_cmpstr (t1, ==, "“Hi”\nthere");
  g_assert_cmpstr (t2, ==, "# Week 3\n\n*She* said <b>no</b>.\n");
}

/* Spreadsheets ---------------------------------------------------------- */

static void
check_survey_table (TsrImportTable *table)
{
  static const char * const headers[] = {
    "Respondent", "What did the ceremony mean to you?", "Age", "Hours", "Consent", "Answered", "Ward",
  };
  static const char * const rows[][7] = {
    { "R01", "It reminded me why I came into nursing.", "34", "37.5", "1", "2024-03-01", "ICU" },
    { "R02", "Honestly? Not much.\nBut the family cried.", "51", "20", "0", "2024-02-29", "Oncology" },
    { "R03", "", "29", "0.1", "1", "2023-12-31", "" },
    { "R04", "Solidarity — we were all there.", "", "12.25", "0", "1999-01-02", "ICU" },
  };
  /* Calc writes its booleans to XLSX and CSV as 1 and 0. */
  static const TsrAttributeType types[] = {
    TSR_ATTRIBUTE_TEXT, TSR_ATTRIBUTE_TEXT, TSR_ATTRIBUTE_INTEGER, TSR_ATTRIBUTE_REAL,
    TSR_ATTRIBUTE_INTEGER, TSR_ATTRIBUTE_DATE, TSR_ATTRIBUTE_TEXT,
  };

  g_assert_cmpuint (tsr_import_table_get_n_columns (table), ==, 7);
  g_assert_cmpuint (tsr_import_table_get_n_rows (table), ==, 4);
  for (guint c = 0; c < 7; c++)
    {
      g_assert_cmpstr (tsr_import_table_get_header (table, c), ==, headers[c]);
      g_assert_cmpint (tsr_import_table_get_column_type (table, c), ==, types[c]);
      for (guint r = 0; r < 4; r++)
        g_assert_cmpstr (tsr_import_table_get_cell (table, r, c), ==, rows[r][c]);
    }
  for (guint r = 0; r < 4; r++)
    g_assert_cmpuint (tsr_import_table_get_row_number (table, r), ==, r + 2);
  g_assert_cmpint (tsr_import_table_guess_text_column (table), ==, 1);
  g_assert_cmpint (tsr_import_table_find_column (table, "age"), ==, 2);
  g_assert_cmpint (tsr_import_table_find_column (table, "7"), ==, 6);
  g_assert_cmpint (tsr_import_table_find_column (table, "8"), ==, -1);
}

static void
test_xlsx_table (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("survey.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImportTable) table = tsr_import_read_table (file, NULL, NULL, &error);
  g_autoptr(TsrImportTable) notes = NULL;
  const char * const *sheets;

  g_assert_no_error (error);
  check_survey_table (table);
  sheets = tsr_import_table_get_sheets (table);
  g_assert_nonnull (sheets);
  g_assert_cmpstr (sheets[0], ==, "Answers");
  g_assert_cmpstr (sheets[1], ==, "Notes");
  g_assert_null (sheets[2]);
  g_assert_cmpstr (tsr_import_table_get_sheet (table), ==, "Answers");

  notes = tsr_import_read_table (file, "Notes", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_import_table_get_n_rows (notes), ==, 1);
  g_assert_cmpstr (tsr_import_table_get_cell (notes, 0, 0), ==, "Collected on the ward in spring.");

  g_assert_null (tsr_import_read_table (file, "Missing", NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“Answers”, “Notes”"));
}

static void
test_csv_table (Fixture       *f,
                gconstpointer  data)
{
  /* Calc's CSV of the same sheet, in Windows-1252 with a quoted line
   * break, reads the same. */
  g_autoptr(GFile) file = fixture_file ("survey.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImportTable) table = tsr_import_read_table (file, NULL, NULL, &error);

  g_assert_no_error (error);
  check_survey_table (table);
  g_assert_null (tsr_import_table_get_sheets (table));
}

typedef struct
{
  const char *name;
  const char *text;
} Expected;

static void
check_survey_import (Fixture    *f,
                     const char *fixture)
{
  static const Expected documents[] = {
    { "R01", "It reminded me why I came into nursing." },
    { "R02", "Honestly? Not much.\nBut the family cried." },
    { "R04", "Solidarity — we were all there." },
  };
  /* Attribute, type, and the value of each document (NULL: not set). */
  static const struct {
    const char *name;
    TsrAttributeType type;
    const char *values[3];
  } attributes[] = {
    { "Age", TSR_ATTRIBUTE_INTEGER, { "34", "51", NULL } },
    { "Hours", TSR_ATTRIBUTE_REAL, { "37.5", "20", "12.25" } },
    { "Consent", TSR_ATTRIBUTE_INTEGER, { "1", "0", "0" } },
    { "Answered", TSR_ATTRIBUTE_DATE, { "2024-03-01", "2024-02-29", "1999-01-02" } },
    { "Ward", TSR_ATTRIBUTE_TEXT, { "ICU", "Oncology", "ICU" } },
  };
  g_autoptr(GFile) file = fixture_file (fixture);
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GListModel) all_attributes = NULL;
  g_autofree char *description = NULL;
  TsrImportItem *item;

  item = tsr_importer_add_file (importer, file);
  tsr_import_item_set_column_names (item, NULL, "Respondent");
  g_assert_true (tsr_importer_read (importer, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_importer_commit (importer, f->project, FALSE, &error), ==, 3);
  g_assert_no_error (error);

  g_assert_cmpint (tsr_import_item_get_status (item), ==, TSR_IMPORT_IMPORTED);
  g_assert_cmpuint (tsr_import_item_get_n_imported (item), ==, 3);
  g_assert_cmpuint (tsr_import_item_get_n_skipped_rows (item), ==, 1);
  g_assert_cmpstr (tsr_import_item_get_text_column (item), ==, "What did the ceremony mean to you?");
  description = tsr_import_item_describe (item);
  g_assert_cmpstr (description, ==, "Imported 3 rows from the column “What did the ceremony mean "
                                    "to you?”; 1 row without text left out");

  ids = tsr_import_item_get_document_ids (item);
  g_assert_cmpuint (ids->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(TsrDocument) doc = tsr_project_lookup_document (f->project, id);
      g_autofree char *text = document_text (f, id);

      g_assert_cmpstr (tsr_document_get_name (doc), ==, documents[i].name);
      g_assert_cmpstr (text, ==, documents[i].text);
    }

  /* The respondent names the documents; it is no attribute. */
  all_attributes = tsr_project_get_attributes (f->project);
  g_assert_cmpuint (g_list_model_get_n_items (all_attributes), ==, G_N_ELEMENTS (attributes));
  for (guint a = 0; a < G_N_ELEMENTS (attributes); a++)
    {
      g_autoptr(TsrAttribute) attr = tsr_project_find_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS,
                                                                 attributes[a].name);

      g_assert_nonnull (attr);
      g_assert_cmpint (tsr_attribute_get_value_type (attr), ==, attributes[a].type);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *value = tsr_project_get_attribute_value (f->project,
                                                                    tsr_entity_get_id (TSR_ENTITY (attr)),
                                                                    g_array_index (ids, gint64, i));

          g_assert_cmpstr (value, ==, attributes[a].values[i]);
        }
    }

  /* One step to undo: documents and attributes go together. */
  tsr_project_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 0);
  g_clear_object (&all_attributes);
  all_attributes = tsr_project_get_attributes (f->project);
  g_assert_cmpuint (g_list_model_get_n_items (all_attributes), ==, 0);
}

static void
test_xlsx_import (Fixture       *f,
                  gconstpointer  data)
{
  check_survey_import (f, "survey.xlsx");
}

static void
test_csv_import (Fixture       *f,
                 gconstpointer  data)
{
  check_survey_import (f, "survey.csv");
}

static void
test_table_rows_named (Fixture       *f,
                       gconstpointer  data)
{
  /* Without an id column, rows are named as the spreadsheet numbers
   * them; identical short answers from different rows are not
   * duplicates, the same row imported again is. */
  static const char csv[] = "answer,ward\nNot really,ICU\n\nNot really,ICU\nYes indeed,\n";
  g_autoptr(GFile) file = write_file (f, "short.csv", csv, -1);
  g_autoptr(TsrImporter) first = import_one (f, file);
  g_autoptr(TsrImporter) again = NULL;
  g_autoptr(GListModel) documents = tsr_project_get_documents (f->project);
  static const char * const names[] = { "Row 2", "Row 4", "Row 5" };

  g_assert_cmpuint (tsr_import_item_get_n_imported (item_at (first, 0)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TsrDocument) doc = g_list_model_get_item (documents, i);

      g_assert_cmpstr (tsr_document_get_name (doc), ==, names[i]);
    }

  again = import_one (f, file);
  g_assert_cmpint (tsr_import_item_get_status (item_at (again, 0)), ==, TSR_IMPORT_DUPLICATE);
  g_assert_cmpuint (tsr_import_item_get_n_duplicates (item_at (again, 0)), ==, 3);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 3);
}

static void
test_table_id_guessed (Fixture       *f,
                       gconstpointer  data)
{
  /* A column headed id, ID or identifier names the documents unless
   * row numbers are asked for; the text is still the long answers. */
  static const struct {
    const char *csv;
    const char *first;
  } cases[] = {
    { "id,answer,ward\nR07,It was moving to see,ICU\nR12,We lined the corridor,ICU\n", "R07" },
    { "ward,answer,ID\nICU,It was moving to see,R07\nICU,We lined the corridor,R12\n", "R07" },
    { "answer, Identifier \nIt was moving to see,P-3\nWe lined the corridor,P-4\n", "P-3" },
    /* Not an id: a column merely containing the word. */
    { "answer,idea\nIt was moving to see,x\nWe lined the corridor,y\n", "Row 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("ids-%u.csv", i);
      g_autofree char *suffix = g_strdup_printf (" %u", i);
      g_autoptr(GString) csv = g_string_new (cases[i].csv);
      g_autofree char *expected = g_strconcat ("It was moving to see", suffix, NULL);
      g_autoptr(GFile) file = NULL;
      g_autoptr(TsrImporter) importer = NULL;

      /* Each file's own answers: not duplicates of the one before. */
      g_string_replace (csv, "It was moving to see", expected, 0);
      {
        g_autofree char *second = g_strconcat ("We lined the corridor", suffix, NULL);

        g_string_replace (csv, "We lined the corridor", second, 0);
      }
      file = write_file (f, name, csv->str, -1);
      importer = import_one (f, file);
      g_autoptr(GArray) ids = tsr_import_item_get_document_ids (item_at (importer, 0));
      g_autoptr(TsrDocument) doc = NULL;
      g_autofree char *text = NULL;

      g_assert_cmpuint (ids->len, ==, 2);
      doc = tsr_project_lookup_document (f->project, g_array_index (ids, gint64, 0));
      g_assert_cmpstr (tsr_document_get_name (doc), ==, cases[i].first);
      text = document_text (f, g_array_index (ids, gint64, 0));
      g_assert_cmpstr (text, ==, expected);
    }

  /* Row numbers when asked for, though there is an id column; the CLI's
   * way (names, none for the ids) guesses too. */
  {
    static const char csv[] = "id,answer\nR07,Quiet in the bay\nR12,Clapping at the lift\n";
    g_autoptr(GFile) file = write_file (f, "rows.csv", csv, -1);
    g_autoptr(TsrImporter) importer = tsr_importer_new ();
    g_autoptr(TsrImporter) by_name = tsr_importer_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) ids = NULL;
    g_autoptr(TsrDocument) doc = NULL;
    TsrImportItem *item;

    item = tsr_importer_add_file (importer, file);
    tsr_import_item_set_columns (item, 1, -1);
    g_assert_true (tsr_importer_read (importer, NULL, NULL, NULL, &error));
    tsr_importer_commit (importer, f->project, FALSE, &error);
    g_assert_no_error (error);
    ids = tsr_import_item_get_document_ids (item);
    doc = tsr_project_lookup_document (f->project, g_array_index (ids, gint64, 0));
    g_assert_cmpstr (tsr_document_get_name (doc), ==, "Row 2");

    {
      static const char csv2[] = "id,answer\nR08,Quiet in the side room\n";
      g_autoptr(GFile) file2 = write_file (f, "names.csv", csv2, -1);

      item = tsr_importer_add_file (by_name, file2);
      tsr_import_item_set_column_names (item, "answer", NULL);
      g_assert_true (tsr_importer_read (by_name, NULL, NULL, NULL, &error));
      tsr_importer_commit (by_name, f->project, FALSE, &error);
      g_assert_no_error (error);
      g_array_unref (ids);
      ids = tsr_import_item_get_document_ids (item);
      g_clear_object (&doc);
      doc = tsr_project_lookup_document (f->project, g_array_index (ids, gint64, 0));
      g_assert_cmpstr (tsr_document_get_name (doc), ==, "R08");
    }
  }
}

static void
test_table_attribute_conflict (Fixture       *f,
                               gconstpointer  data)
{
  /* The project already has "Age" as dates: the file is refused whole —
   * no document of it stays — with a message saying why. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = fixture_file ("survey.csv");

  tsr_project_define_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "Age", TSR_ATTRIBUTE_DATE, &error);
  g_assert_no_error (error);
  assert_refused (f, file, TSR_ERROR_INVALID, "The column “Age” of “survey.csv” holds whole numbers, "
                                              "but the project’s attribute “Age” holds dates");
}

static void
test_table_existing_attribute (Fixture       *f,
                               gconstpointer  data)
{
  /* An existing text attribute takes any column; a real one takes whole
   * numbers. */
  static const char csv[] = "text,Age,Ward\nYes,34,7\n";
  g_autoptr(GFile) file = write_file (f, "s.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImporter) importer = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *age = NULL;
  g_autofree char *ward = NULL;
  gint64 age_id, ward_id;

  age_id = tsr_project_define_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "Age", TSR_ATTRIBUTE_REAL, &error);
  g_assert_no_error (error);
  ward_id = tsr_project_define_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "Ward", TSR_ATTRIBUTE_TEXT, &error);
  g_assert_no_error (error);

  importer = import_one (f, file);
  ids = tsr_import_item_get_document_ids (item_at (importer, 0));
  g_assert_cmpuint (ids->len, ==, 1);
  age = tsr_project_get_attribute_value (f->project, age_id, g_array_index (ids, gint64, 0));
  ward = tsr_project_get_attribute_value (f->project, ward_id, g_array_index (ids, gint64, 0));
  g_assert_cmpstr (age, ==, "34");
  g_assert_cmpstr (ward, ==, "7");
}

static void
test_table_columns (Fixture       *f,
                    gconstpointer  data)
{
  /* Choosing columns by number, and an id column that is the text
   * column too (ignored); an unknown column fails the file. */
  static const char csv[] = "a,b,c\n1,first answer,x\n2,second,y\n";
  g_autoptr(GFile) file = write_file (f, "cols.csv", csv, -1);
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(TsrImporter) bad = tsr_importer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(TsrDocument) doc = NULL;
  TsrImportItem *item;

  item = tsr_importer_add_file (importer, file);
  tsr_import_item_set_columns (item, 2, 2);
  g_assert_true (tsr_importer_read (importer, NULL, NULL, NULL, &error));
  tsr_importer_commit (importer, f->project, FALSE, &error);
  g_assert_no_error (error);
  ids = tsr_import_item_get_document_ids (item);
  g_assert_cmpuint (ids->len, ==, 2);
  doc = tsr_project_lookup_document (f->project, g_array_index (ids, gint64, 0));
  g_assert_cmpstr (tsr_document_get_name (doc), ==, "Row 2");
  {
    g_autofree char *text = document_text (f, g_array_index (ids, gint64, 0));
    g_assert_cmpstr (text, ==, "x");
  }

  item = tsr_importer_add_file (bad, file);
  tsr_import_item_set_column_names (item, "answer", NULL);
  g_assert_true (tsr_importer_read (bad, NULL, NULL, NULL, &error));
  g_assert_cmpint (tsr_import_item_get_status (item), ==, TSR_IMPORT_FAILED);
  g_assert_error ((GError *) tsr_import_item_get_error (item), TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_cmpstr (tsr_import_item_get_error (item)->message, ==,
                   "The spreadsheet “cols.csv” has no column “answer” for the text; its columns "
                   "are “a”, “b”, “c”");
}

/* CSV, RFC 4180 ---------------------------------------------------------- */

static TsrImportTable *
parse_csv (const char  *text,
           GError     **error)
{
  return tsr_csv_parse (text, strlen (text), "test.csv", error);
}

static void
assert_row (TsrImportTable      *table,
            guint                row,
            const char * const  *cells)
{
  for (guint c = 0; cells[c] != NULL; c++)
    g_assert_cmpstr (tsr_import_table_get_cell (table, row, c), ==, cells[c]);
}

static void
test_csv_rfc4180 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImportTable) t = NULL;

  /* Quotes: the delimiter, doubled quotes, line ends inside; a final
   * field with no line end after it. */
  t = parse_csv ("id,text,n\n"
                 "1,\"a, b\",2\n"
                 "2,\"she said \"\"no\"\"\",3\n"
                 "3,\"two\nlines\",4\n"
                 "4,\"\",\"\"", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_import_table_get_n_rows (t), ==, 4);
  assert_row (t, 0, (const char *[]) { "1", "a, b", "2", NULL });
  assert_row (t, 1, (const char *[]) { "2", "she said \"no\"", "3", NULL });
  assert_row (t, 2, (const char *[]) { "3", "two\nlines", "4", NULL });
  assert_row (t, 3, (const char *[]) { "4", "", "", NULL });
  /* Rows are numbered as records, however many lines they take. */
  g_assert_cmpuint (tsr_import_table_get_row_number (t, 3), ==, 5);
  g_clear_object (&t);

  /* Lenient where spreadsheet programs are: quotes inside an unquoted
   * field, text after a closing quote; short rows padded, long rows
   * add columns; blank lines skipped. */
  t = parse_csv ("a,b\n"
                 "x\"y,\"q\"z\n"
                 "\n"
                 "only\n"
                 "1,2,3\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_import_table_get_n_columns (t), ==, 3);
  g_assert_cmpstr (tsr_import_table_get_header (t, 2), ==, "Column 3");
  assert_row (t, 0, (const char *[]) { "x\"y", "qz", "", NULL });
  assert_row (t, 1, (const char *[]) { "only", "", "", NULL });
  assert_row (t, 2, (const char *[]) { "1", "2", "3", NULL });
  g_assert_cmpuint (tsr_import_table_get_row_number (t, 1), ==, 4);
  g_clear_object (&t);

  /* Semicolons (Excel in much of Europe) and tabs, told from the header. */
  t = parse_csv ("name;comment\nA;\"x, y; z\"\n", &error);
  g_assert_no_error (error);
  assert_row (t, 0, (const char *[]) { "A", "x, y; z", NULL });
  g_clear_object (&t);
  t = parse_csv ("name\tcomment, with comma\nB\tfine\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsr_import_table_get_header (t, 1), ==, "comment, with comma");
  assert_row (t, 0, (const char *[]) { "B", "fine", NULL });
  g_clear_object (&t);

  /* Excel's "sep=" line names the delimiter and is no row. */
  t = parse_csv ("sep=;\nname;comment, with comma\nC;ok\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsr_import_table_get_header (t, 1), ==, "comment, with comma");
  assert_row (t, 0, (const char *[]) { "C", "ok", NULL });
  g_assert_cmpuint (tsr_import_table_get_row_number (t, 0), ==, 2);
  g_clear_object (&t);

  /* Empty and repeated headers get names of their own. */
  t = parse_csv ("Age,,age,Age\n1,2,3,4\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsr_import_table_get_header (t, 0), ==, "Age");
  g_assert_cmpstr (tsr_import_table_get_header (t, 1), ==, "Column 2");
  g_assert_cmpstr (tsr_import_table_get_header (t, 2), ==, "age (2)");
  g_assert_cmpstr (tsr_import_table_get_header (t, 3), ==, "Age (3)");
  g_clear_object (&t);

  /* A quoted field that never ends is refused, saying where it began. */
  g_assert_null (parse_csv ("a,b\n1,\"open\n2,3\n", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, "The file “test.csv” ends inside a quoted field that starts "
                                       "on line 2: a closing quote (\") is missing");
  g_clear_error (&error);

  /* Headers without rows, and nothing at all. */
  g_assert_null (parse_csv ("a,b\n", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE);
  g_clear_error (&error);
  g_assert_null (parse_csv ("\n\n", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE);
}

static void
test_type_inference (void)
{
  static const struct { const char *value; TsrAttributeType type; } cases[] = {
    { "42", TSR_ATTRIBUTE_INTEGER },
    { "-7", TSR_ATTRIBUTE_INTEGER },
    { "+7", TSR_ATTRIBUTE_INTEGER },
    { "0", TSR_ATTRIBUTE_INTEGER },
    { "007", TSR_ATTRIBUTE_TEXT },             /* an identifier: zeros would be lost */
    { "99999999999999999999", TSR_ATTRIBUTE_REAL },   /* too big for a whole number */
    { "3.5", TSR_ATTRIBUTE_REAL },
    { "-0.25", TSR_ATTRIBUTE_REAL },
    { ".5", TSR_ATTRIBUTE_REAL },
    { "1e3", TSR_ATTRIBUTE_REAL },
    { "1e", TSR_ATTRIBUTE_TEXT },
    { "nan", TSR_ATTRIBUTE_TEXT },
    { "inf", TSR_ATTRIBUTE_TEXT },
    { "0x1A", TSR_ATTRIBUTE_TEXT },
    { "3,5", TSR_ATTRIBUTE_TEXT },
    { "yes", TSR_ATTRIBUTE_BOOLEAN },
    { "FALSE", TSR_ATTRIBUTE_BOOLEAN },
    { "2024-02-29", TSR_ATTRIBUTE_DATE },
    { "2023-02-29", TSR_ATTRIBUTE_TEXT },      /* no such day */
    { "2024-2-9", TSR_ATTRIBUTE_TEXT },
    { "01/02/2024", TSR_ATTRIBUTE_TEXT },      /* ambiguous order of day and month */
    { "ICU", TSR_ATTRIBUTE_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (tsr_import_infer_value_type (cases[i].value) != cases[i].type)
        g_error ("“%s”: expected type %d, got %d", cases[i].value, cases[i].type,
                 tsr_import_infer_value_type (cases[i].value));
    }
}

static void
test_column_types (void)
{
  /* One value that does not fit makes the column text; whole numbers
   * and reals together are reals; empty cells do not count. */
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImportTable) t = parse_csv ("a,b,c,d,e\n1,1,yes,2024-01-01,\n2,2.5,no,,\nx,3,Yes,2024-12-31,\n",
                                           &error);

  g_assert_no_error (error);
  g_assert_cmpint (tsr_import_table_get_column_type (t, 0), ==, TSR_ATTRIBUTE_TEXT);
  g_assert_cmpint (tsr_import_table_get_column_type (t, 1), ==, TSR_ATTRIBUTE_REAL);
  g_assert_cmpint (tsr_import_table_get_column_type (t, 2), ==, TSR_ATTRIBUTE_BOOLEAN);
  g_assert_cmpint (tsr_import_table_get_column_type (t, 3), ==, TSR_ATTRIBUTE_DATE);
  g_assert_cmpint (tsr_import_table_get_column_type (t, 4), ==, TSR_ATTRIBUTE_TEXT);
}

/* XLSX details ------------------------------------------------------------- */

static void
test_xlsx_cells (Fixture       *f,
                 gconstpointer  data)
{
  /* What Excel writes that Calc's fixture does not: inline strings, rich
   * text runs with phonetic guides, booleans, errors, formulas' cached
   * results, gaps in rows and columns, dates by built-in and custom
   * formats, a time, the 1904 date system, a hidden first sheet. */
  static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr date1904=\"1\"/><sheets>"
    "<sheet name=\"Hidden\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
    "<sheet name=\"Data\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  static const char workbook_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
  static const char rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
  static const char shared[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>text</t></si><si><t>when</t></si>"
    "<si><r><t>Ka</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">nji </t></r><rPh sb=\"0\" eb=\"1\"><t>かな</t></rPh></si>"
    "</sst>";
  static const char styles[] =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"[$-409]d\\-mmm\\-yyyy;@\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00E+00\"/></numFmts>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"20\"/></cellXfs></styleSheet>";
  static const char hidden[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>secret</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>no</t></is></c></row></sheetData></worksheet>";
  static const char data_sheet[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<cols><col min=\"1\" max=\"3\" width=\"9\"/></cols><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c>"
    "<c r=\"D1\" t=\"inlineStr\"><is><t>flag</t></is></c><c r=\"E1\" t=\"inlineStr\"><is><t>n</t></is></c>"
    "<c r=\"F1\" t=\"inlineStr\"><is><t>at</t></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"C3\" s=\"1\"><v>0</v></c>"
    "<c r=\"D3\" t=\"b\"><v>1</v></c><c r=\"E3\" s=\"3\"><v>1234.5</v></c><c r=\"F3\" s=\"4\"><v>0.5</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>inline </t></r><r><t>rich</t></r></is></c>"
    "<c r=\"C4\" s=\"2\"><v>45351.75</v></c><c r=\"D4\" t=\"b\"><v>0</v></c>"
    "<c r=\"E4\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"F4\" t=\"str\"><f>A1&amp;\"!\"</f><v>text!</v></c></row>"
    "<row r=\"5\"><c r=\"A5\"><f>1/3</f><v>0.33333333333333331</v></c><c r=\"E5\"><v>0.30000000000000004</v></c></row>"
    "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";
  g_autoptr(GFile) file = write_zip (f, "excel.xlsx",
                                     "_rels/.rels", rels,
                                     "xl/workbook.xml", workbook,
                                     "xl/_rels/workbook.xml.rels", workbook_rels,
                                     "xl/sharedStrings.xml", shared,
                                     "xl/styles.xml", styles,
                                     "xl/worksheets/sheet1.xml", hidden,
                                     "xl/worksheets/data.xml", data_sheet,
                                     NULL);
  static const char * const expected[][6] = {
    { "Kanji ", "", "1904-01-01", "true", "1234.5", "12:00" },
    { "inline rich", "", "2028-03-01", "false", "#DIV/0!", "text!" },
    { "0.333333333333333", "", "", "", "0.3", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImportTable) table = tsr_import_read_table (file, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tsr_import_table_get_sheet (table), ==, "Data");
  g_assert_cmpuint (tsr_import_table_get_n_columns (table), ==, 6);
  g_assert_cmpstr (tsr_import_table_get_header (table, 1), ==, "Column 2");
  g_assert_cmpstr (tsr_import_table_get_header (table, 2), ==, "when");
  g_assert_cmpuint (tsr_import_table_get_n_rows (table), ==, 3);
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 6; c++)
      g_assert_cmpstr (tsr_import_table_get_cell (table, r, c), ==, expected[r][c]);
  g_assert_cmpuint (tsr_import_table_get_row_number (table, 0), ==, 3);
  g_assert_cmpint (tsr_import_table_get_column_type (table, 3), ==, TSR_ATTRIBUTE_BOOLEAN);
}

/* Batches ------------------------------------------------------------------ */

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  /* Four files: a good one, a broken one, a copy of the first, another
   * good one.  The broken one is reported, the copy flagged, the rest
   * added as one step to undo; asking for duplicates then adds the copy
   * as a step of its own. */
  g_autoptr(GFile) a = write_file (f, "a.txt", "Alpha.\n", -1);
  g_autoptr(GFile) broken = write_file (f, "broken.docx", "PK\x03\x04garbage", 11);
  g_autoptr(GFile) copy = write_file (f, "copy-of-a.md", "Alpha.\n", -1);
  g_autoptr(GFile) b = fixture_file ("notes.odt");
  GFile *files[] = { a, broken, copy, b };
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrImporter) importer = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *description = NULL;

  importer = tsr_project_import_files (f->project, files, G_N_ELEMENTS (files), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 0)), ==, TSR_IMPORT_IMPORTED);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 1)), ==, TSR_IMPORT_FAILED);
  g_assert_error ((GError *) tsr_import_item_get_error (item_at (importer, 1)), TSR_ERROR, TSR_ERROR_CORRUPT);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 2)), ==, TSR_IMPORT_DUPLICATE);
  description = tsr_import_item_describe (item_at (importer, 2));
  g_assert_cmpstr (description, ==, "Not imported: the same text is already in “a”");
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 3)), ==, TSR_IMPORT_IMPORTED);
  g_assert_cmpuint (tsr_importer_count (importer, TSR_IMPORT_IMPORTED), ==, 2);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 2);

  undo = tsr_project_get_undo_label (f->project);
  g_assert_cmpstr (undo, ==, "Import 2 files");

  g_assert_cmpuint (tsr_importer_commit (importer, f->project, TRUE, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 2)), ==, TSR_IMPORT_IMPORTED);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 3);
  /* Nothing left to add: no empty step. */
  g_assert_cmpuint (tsr_importer_commit (importer, f->project, TRUE, &error), ==, 0);
  g_assert_no_error (error);

  tsr_project_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 2);
  tsr_project_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 0);
  tsr_project_redo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 2);
}

typedef struct
{
  GMainLoop    *loop;
  GPtrArray    *reports;
  gboolean      done;
  GError       *error;
  GCancellable *cancel_at_second;
} AsyncState;

static void
on_progress (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  AsyncState *s = user_data;

  g_ptr_array_add (s->reports, g_strdup_printf ("%u/%u %s", done, total, current ? current : "-"));
  if (s->cancel_at_second != NULL && done == 1)
    g_cancellable_cancel (s->cancel_at_second);
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState *s = user_data;

  s->done = tsr_importer_read_finish (TSR_IMPORTER (object), result, &s->error);
  g_main_loop_quit (s->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  /* Read in a worker thread, progress in the main context, written on
   * the project's thread. */
  g_autoptr(GFile) a = write_file (f, "one.txt", "One.\n", -1);
  g_autoptr(GFile) b = fixture_file ("notes.docx");
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  AsyncState s = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func (g_free), };
  g_autoptr(GError) error = NULL;

  tsr_importer_add_file (importer, a);
  tsr_importer_add_file (importer, b);
  tsr_importer_read_async (importer, NULL, on_progress, &s, NULL, on_read, &s);
  g_main_loop_run (s.loop);
  /* Progress reports queued before the result have all arrived. */
  g_assert_no_error (s.error);
  g_assert_true (s.done);
  g_assert_cmpuint (s.reports->len, ==, 3);
  g_assert_cmpstr (s.reports->pdata[0], ==, "0/2 one.txt");
  g_assert_cmpstr (s.reports->pdata[1], ==, "1/2 notes.docx");
  g_assert_cmpstr (s.reports->pdata[2], ==, "2/2 -");
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 0);

  g_assert_cmpuint (tsr_importer_commit (importer, f->project, FALSE, &error), ==, 2);
  g_assert_no_error (error);

  g_main_loop_unref (s.loop);
  g_ptr_array_unref (s.reports);
}

static void
test_async_cancel (Fixture       *f,
                   gconstpointer  data)
{
  /* Cancelled before the worker starts: the read fails as cancelled,
   * and there is nothing to commit. */
  g_autoptr(GFile) a = write_file (f, "one.txt", "One.\n", -1);
  g_autoptr(GFile) b = write_file (f, "two.txt", "Two.\n", -1);
  g_autoptr(GFile) c = write_file (f, "three.txt", "Three.\n", -1);
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *before = project_snapshot (f);
  g_autofree char *after = NULL;
  AsyncState s = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func (g_free), };
  g_autoptr(GError) error = NULL;

  tsr_importer_add_file (importer, a);
  tsr_importer_add_file (importer, b);
  tsr_importer_add_file (importer, c);
  g_cancellable_cancel (cancellable);
  tsr_importer_read_async (importer, cancellable, on_progress, &s, NULL, on_read, &s);
  g_main_loop_run (s.loop);
  g_assert_error (s.error, TSR_ERROR, TSR_ERROR_CANCELLED);
  g_assert_false (s.done);
  g_assert_cmpuint (tsr_importer_count (importer, TSR_IMPORT_PENDING), ==, 3);
  g_assert_cmpuint (tsr_importer_commit (importer, f->project, FALSE, &error), ==, 0);
  g_assert_no_error (error);
  after = project_snapshot (f);
  g_assert_cmpstr (after, ==, before);

  g_clear_error (&s.error);
  g_main_loop_unref (s.loop);
  g_ptr_array_unref (s.reports);
}

static void
test_sync_cancel_midway (Fixture       *f,
                         gconstpointer  data)
{
  /* Cancelled from the progress callback after the first file. */
  g_autoptr(GFile) a = write_file (f, "one.txt", "One.\n", -1);
  g_autoptr(GFile) b = write_file (f, "two.txt", "Two.\n", -1);
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncState s = { NULL, g_ptr_array_new_with_free_func (g_free), FALSE, NULL, cancellable };
  g_autoptr(GError) error = NULL;

  tsr_importer_add_file (importer, a);
  tsr_importer_add_file (importer, b);
  g_assert_false (tsr_importer_read (importer, cancellable, on_progress, &s, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 0)), ==, TSR_IMPORT_READY);
  g_assert_cmpint (tsr_import_item_get_status (item_at (importer, 1)), ==, TSR_IMPORT_PENDING);
  g_ptr_array_unref (s.reports);
}

static void
test_legacy_import_file (Fixture       *f,
                         gconstpointer  data)
{
  /* tsr_project_import_file() still takes text and Markdown. */
  g_autoptr(GFile) file = write_file (f, "old.txt", "Old way.\n", -1);
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_import_file (f->project, file, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = document_text (f, id);
  g_assert_cmpstr (text, ==, "Old way.\n");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  convert_with_libreoffice ();

#define ADD(path, func) g_test_add ("/tessera/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("docx-odt/tracked-changes", test_tracked_changes);
  ADD ("docx-odt/notes", test_notes);
  ADD ("docx-odt/lists-tables", test_lists_tables);
  ADD ("docx-odt/same-text-duplicate", test_same_text_is_duplicate);
  ADD ("docx/structure", test_docx_structure);
  ADD ("docx/numbering", test_docx_numbering);
  ADD ("libreoffice/html-to-docx-odt", test_libreoffice_html);
  ADD ("libreoffice/html-to-pdf", test_libreoffice_pdf);
  ADD ("libreoffice/essays", test_libreoffice_essays);
  ADD ("docx/word-template", test_word_template);
  ADD ("pdf/password", test_pdf_password);
  ADD ("pdf/scanned", test_pdf_scanned);
  ADD ("detect/wrong-extension", test_wrong_extension);
  ADD ("detect/rtf", test_rtf);
  ADD ("detect/other-formats", test_other_formats_refused);
  ADD ("html/visible-text", test_html);
  ADD ("html/encodings", test_html_encodings);
  ADD ("text/plain-and-markdown", test_plain_text);
  ADD ("table/xlsx-read", test_xlsx_table);
  ADD ("table/xlsx-cells", test_xlsx_cells);
  ADD ("table/csv-read", test_csv_table);
  ADD ("table/xlsx-import", test_xlsx_import);
  ADD ("table/csv-import", test_csv_import);
  ADD ("table/rows-named", test_table_rows_named);
  ADD ("table/id-guessed", test_table_id_guessed);
  ADD ("table/attribute-conflict", test_table_attribute_conflict);
  ADD ("table/existing-attribute", test_table_existing_attribute);
  ADD ("table/columns", test_table_columns);
  ADD ("batch/one-step", test_batch);
  ADD ("batch/async", test_async);
  ADD ("batch/async-cancel", test_async_cancel);
  ADD ("batch/cancel-midway", test_sync_cancel_midway);
  ADD ("legacy/import-file", test_legacy_import_file);
#undef ADD
  g_test_add_func ("/tessera/import/csv/rfc4180", test_csv_rfc4180);
  g_test_add_func ("/tessera/import/table/value-types", test_type_inference);
  g_test_add_func ("/tessera/import/table/column-types", test_column_types);

  status = g_test_run ();
  if (converted_dir != NULL)
    tsr_test_remove_tree (converted_dir);
  return status;
}
