/* tsr-import-benchmark.c — times importing a corpus of Word essays
 *
 * Generates N DOCX essays of about W words each, deterministically, as
 * Word lays a file out: [Content_Types].xml, package and document
 * relationships, word/document.xml with runs, proofing marks and
 * paragraph properties, word/styles.xml and docProps — then imports them
 * all into a new project the way the app does: every file read (unzip,
 * parse, lay out) in one worker-style pass, then one commit on the
 * project's thread.  It also times a survey CSV of as many rows, each
 * with typed attribute columns.
 *
 * Figures are printed as `name: value unit`.  DESIGN's bar: 1,000 essays
 * of ~1,000 words in under 20 s.
 *
 *   tsr-import-benchmark [--files N] [--words W] [--keep DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "tessera.h"

static const char * const words[] = {
  "the", "ward", "was", "quiet", "when", "we", "gathered", "in", "corridor", "to", "see",
  "patient", "off", "nurses", "consultants", "porter", "family", "held", "card", "signed",
  "by", "everyone", "I", "remember", "how", "little", "it", "took", "and", "yet", "meant",
  "so", "much", "solidarity", "compassion", "felt", "acknowledged", "renewed", "purpose",
  "after", "a", "long", "week", "of", "endings", "that", "went", "wrong", "this", "one",
  "right", "café", "naïve", "résumé", "shift", "night", "morning", "together", "support",
  "colleagues", "clapped", "smiled", "cried", "hand", "wave", "lift", "doors", "opened",
};

static const char content_types[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
  "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
  "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
  "</Types>";

static const char package_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
  "</Relationships>";

static const char document_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
  "</Relationships>";

static const char styles[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
  "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme=\"minorHAnsi\"/><w:sz w:val=\"22\"/>"
  "<w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"160\" "
  "w:line=\"259\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
  "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
  "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
  "<w:next w:val=\"Normal\"/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"32\"/></w:rPr></w:style>"
  "</w:styles>";

static const char core_props[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
  "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>Benchmark</dc:creator></cp:coreProperties>";

static const char app_props[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
  "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
  "<Application>Microsoft Office Word</Application></Properties>";

/* One essay's document.xml: a heading, then paragraphs of about 100
 * words, each split into runs the way Word splits them (formatting
 * changes, proofing marks, revision ids). */
static char *
make_document (GRand *rand,
               guint  essay,
               guint  n_words)
{
  GString *s = g_string_sized_new (n_words * 40);
  guint written = 0;

  g_string_append (s,
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\"><w:body>");
  g_string_append_printf (s,
    "<w:p w14:paraId=\"%08X\" w:rsidR=\"00A1B2C3\"><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>"
    "<w:r><w:t>Reflective essay %u</w:t></w:r></w:p>", essay, essay);

  while (written < n_words)
    {
      guint n = MIN (n_words - written, 80 + (guint) g_rand_int_range (rand, 0, 40));

      g_string_append_printf (s, "<w:p w14:paraId=\"%08X\" w:rsidR=\"00A1B2C3\" w:rsidRDefault=\"00D4E5F6\">"
                                 "<w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr>",
                              g_rand_int (rand));
      for (guint i = 0; i < n; )
        {
          guint run = MIN (n - i, 3 + (guint) g_rand_int_range (rand, 0, 12));
          gboolean italic = g_rand_int_range (rand, 0, 8) == 0;

          if (g_rand_int_range (rand, 0, 10) == 0)
            g_string_append (s, "<w:proofErr w:type=\"spellStart\"/>");
          g_string_append (s, "<w:r w:rsidR=\"00B7C8D9\">");
          if (italic)
            g_string_append (s, "<w:rPr><w:i/><w:iCs/></w:rPr>");
          g_string_append (s, "<w:t xml:space=\"preserve\">");
          for (guint k = 0; k < run; k++, i++)
            {
              g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
              if ((i + 1) % 12 == 0)
                g_string_append_c (s, '.');
              if (i + 1 < n)
                g_string_append_c (s, ' ');
            }
          g_string_append (s, "</w:t></w:r>");
        }
      g_string_append (s, "</w:p>");
      written += n;
    }

  g_string_append (s, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" "
                      "w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\"/></w:sectPr></w:body></w:document>");
  return g_string_free (s, FALSE);
}

static void
add_member (struct archive *a,
            const char     *name,
            const char     *data)
{
  struct archive_entry *entry = archive_entry_new ();
  gsize length = strlen (data);

  archive_entry_set_pathname (entry, name);
  archive_entry_set_size (entry, length);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  if (archive_write_header (a, entry) != ARCHIVE_OK ||
      archive_write_data (a, data, length) != (la_ssize_t) length)
    g_error ("Cannot write %s: %s", name, archive_error_string (a));
  archive_entry_free (entry);
}

static void
write_docx (const char *path,
            const char *document)
{
  struct archive *a = archive_write_new ();

  archive_write_set_format_zip (a);
  archive_write_zip_set_compression_deflate (a);
  if (archive_write_open_filename (a, path) != ARCHIVE_OK)
    g_error ("Cannot write %s: %s", path, archive_error_string (a));
  add_member (a, "[Content_Types].xml", content_types);
  add_member (a, "_rels/.rels", package_rels);
  add_member (a, "word/document.xml", document);
  add_member (a, "word/_rels/document.xml.rels", document_rels);
  add_member (a, "word/styles.xml", styles);
  add_member (a, "docProps/core.xml", core_props);
  add_member (a, "docProps/app.xml", app_props);
  archive_write_close (a);
  archive_write_free (a);
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static TsrProject *
new_project (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  TsrProject *project = tsr_project_create (path, &error);

  if (project == NULL)
    g_error ("%s", error->message);
  coder = tsr_project_ensure_coder (project, "Benchmark", &error);
  tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (coder)), &error);
  return project;
}

/* Reads and commits @files as the app does; prints the figures under
 * @label. */
static double
time_import (const char *label,
             TsrProject *project,
             GPtrArray  *files,
             gboolean    survey)
{
  g_autoptr(TsrImporter) importer = tsr_importer_new ();
  g_autoptr(GError) error = NULL;
  gint64 start, read_start;
  double read_s, commit_s;
  guint added;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < files->len; i++)
    {
      TsrImportItem *item = tsr_importer_add_file (importer, files->pdata[i]);

      if (survey)
        tsr_import_item_set_column_names (item, "answer", "respondent");
    }
  read_start = g_get_monotonic_time ();
  if (!tsr_importer_read (importer, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  read_s = seconds_since (read_start);

  read_start = g_get_monotonic_time ();
  added = tsr_importer_commit (importer, project, FALSE, &error);
  if (error != NULL)
    g_error ("%s", error->message);
  commit_s = seconds_since (read_start);

  if (tsr_importer_count (importer, TSR_IMPORT_FAILED) > 0)
    g_error ("%u files failed", tsr_importer_count (importer, TSR_IMPORT_FAILED));

  printf ("%s_documents: %u\n", label, added);
  printf ("%s_read_time: %.2f s\n", label, read_s);
  printf ("%s_commit_time: %.2f s\n", label, commit_s);
  printf ("%s_total_time: %.2f s\n", label, seconds_since (start));
  printf ("%s_per_document: %.2f ms\n", label, 1000 * seconds_since (start) / MAX (added, 1));
  return seconds_since (start);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240301);
  g_autoptr(GPtrArray) docx_files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) csv_files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) csv = g_string_new ("respondent,answer,age,hours,consent,answered,ward\n");
  g_autoptr(TsrProject) essays = NULL;
  g_autoptr(TsrProject) survey = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *keep = NULL;
  int n_files = 1000, n_words = 1000;
  guint64 bytes = 0;
  gint64 start;
  const GOptionEntry entries[] = {
    { "files", 'n', 0, G_OPTION_ARG_INT, &n_files, "Essays to generate (default 1000)", "N" },
    { "words", 'w', 0, G_OPTION_ARG_INT, &n_words, "Words per essay (default 1000)", "W" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Write the files and projects here and keep them", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— time importing Word essays and a survey");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_files < 1 || n_words < 1)
    {
      g_printerr ("--files and --words must be positive\n");
      return 2;
    }

  if (keep != NULL)
    {
      g_mkdir_with_parents (keep, 0755);
      dir = g_strdup (keep);
    }
  else
    dir = g_dir_make_tmp ("tessera-import-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  /* Setup, not timed: the essays, and a survey with a row per essay. */
  start = g_get_monotonic_time ();
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *document = make_document (rand, i + 1, n_words);
      g_autofree char *name = g_strdup_printf ("essay-%04d.docx", i + 1);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      struct stat st;

      write_docx (path, document);
      if (g_stat (path, &st) == 0)
        bytes += st.st_size;
      g_ptr_array_add (docx_files, g_file_new_for_path (path));

      g_string_append_printf (csv, "R%04d,\"I felt %s, and %s; the %s said \"\"%s\"\".\",%d,%d.%d,%s,2024-%02d-%02d,%s\n",
                              i + 1, words[i % G_N_ELEMENTS (words)], words[(i * 7) % G_N_ELEMENTS (words)],
                              words[(i * 3) % G_N_ELEMENTS (words)], words[(i * 5) % G_N_ELEMENTS (words)],
                              20 + i % 45, 10 + i % 40, i % 10, i % 2 ? "yes" : "no",
                              1 + i % 12, 1 + i % 28, i % 3 ? "ICU" : "Oncology");
    }
  {
    g_autofree char *path = g_build_filename (dir, "survey.csv", NULL);

    if (!g_file_set_contents (path, csv->str, csv->len, &error))
      g_error ("%s", error->message);
    g_ptr_array_add (csv_files, g_file_new_for_path (path));
  }

  printf ("essays: %d\n", n_files);
  printf ("words_per_essay: %d\n", n_words);
  printf ("docx_bytes: %.1f MB\n", bytes / 1e6);
  printf ("setup_time: %.2f s\n", seconds_since (start));

  essays = new_project (dir, "essays.tessera");
  {
    double total = time_import ("docx", essays, docx_files, FALSE);

    printf ("docx_words_per_second: %.0f\n", (double) n_files * n_words / MAX (total, 1e-6));
    printf ("docx_under_20_s: %s\n", n_files >= 1000 && total < 20 ? "yes" : n_files < 1000 ? "n/a" : "NO");
  }

  survey = new_project (dir, "survey.tessera");
  time_import ("csv", survey, csv_files, TRUE);

  printf ("peak_rss: %ld MB\n", peak_rss_mb ());

  tsr_project_close (essays, NULL);
  tsr_project_close (survey, NULL);
  if (keep == NULL)
    remove_tree (dir);
  return 0;
}
