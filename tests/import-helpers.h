/* import-helpers.h — what the import tests share
 *
 * A throw-away project per test, files written on the fly (zip
 * containers with libarchive, as a test can make a broken or hostile
 * one), and a snapshot of the whole project (its JSON export and its
 * history) to show that a refused file changed nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-import-private.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
} Fixture;

G_GNUC_UNUSED static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;

  f->dir = g_dir_make_tmp ("tessera-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "project.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);

  coder = tsr_project_ensure_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  tsr_project_set_current_coder (f->project, tsr_entity_get_id (TSR_ENTITY (coder)), &error);
  g_assert_no_error (error);
}

G_GNUC_UNUSED static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->project != NULL)
    tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A fresh, empty project for the next check of the same test. */
G_GNUC_UNUSED static void
fixture_reset (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autofree char *path = NULL;
  static guint n;

  tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  path = g_strdup_printf ("%s/project-%u.tessera", f->dir, ++n);
  f->project = tsr_project_create (path, &error);
  g_assert_no_error (error);
  coder = tsr_project_ensure_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  tsr_project_set_current_coder (f->project, tsr_entity_get_id (TSR_ENTITY (coder)), &error);
  g_assert_no_error (error);
}

G_GNUC_UNUSED static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *data,
            gssize      length)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A committed fixture under tests/fixtures/import. */
G_GNUC_UNUSED static GFile *
fixture_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "import", name, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return g_file_new_for_path (path);
}

/* Writes a zip archive; @members are name, content pairs, NULL-ended.
 * A content of length -1 is a C string. */
G_GNUC_UNUSED static GFile *
write_zip_members (Fixture            *f,
                   const char         *name,
                   const char * const *names,
                   const char * const *contents,
                   const gsize        *lengths,
                   guint               n)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  struct archive *a = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_zip_set_compression_deflate (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);

  for (guint i = 0; i < n; i++)
    {
      struct archive_entry *entry = archive_entry_new ();

      archive_entry_set_pathname (entry, names[i]);
      archive_entry_set_size (entry, lengths[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, contents[i], lengths[i]), ==, (la_ssize_t) lengths[i]);
      archive_entry_free (entry);
    }

  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_file_new_for_path (path);
}

G_GNUC_UNUSED static GFile *
write_zip (Fixture    *f,
           const char *name,
           ...)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) contents = g_ptr_array_new ();
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  const char *member;
  va_list args;

  va_start (args, name);
  while ((member = va_arg (args, const char *)) != NULL)
    {
      const char *content = va_arg (args, const char *);
      gsize length = strlen (content);

      g_ptr_array_add (names, (gpointer) member);
      g_ptr_array_add (contents, (gpointer) content);
      g_array_append_val (lengths, length);
    }
  va_end (args);

  return write_zip_members (f, name, (const char * const *) names->pdata,
                            (const char * const *) contents->pdata,
                            (const gsize *) lengths->data, names->len);
}

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static const char content_types_docx[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "</Types>";

static const char package_rels_docx[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
  "</Relationships>";

/* A DOCX with Word's package structure around @document_xml. */
G_GNUC_UNUSED static GFile *
write_docx (Fixture    *f,
            const char *name,
            const char *document_xml)
{
  return write_zip (f, name,
                    "[Content_Types].xml", content_types_docx,
                    "_rels/.rels", package_rels_docx,
                    "word/document.xml", document_xml,
                    NULL);
}

/* The whole project, to compare before and after a refused import. */
G_GNUC_UNUSED static char *
project_snapshot (Fixture *f)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = tsr_project_list_history (f->project, 100000);
  g_autoptr(GString) s = g_string_new (NULL);

  tsr_project_export_json (f->project, stream, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  g_string_append_len (s, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                       g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
  g_string_append_printf (s, "\nhistory: %u", history->len);
  for (guint i = 0; i < history->len; i++)
    g_string_append_printf (s, "\n%s %d", tsr_history_entry_get_description (history->pdata[i]),
                            tsr_history_entry_get_undone (history->pdata[i]));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

G_GNUC_UNUSED static TsrImportItem *
item_at (TsrImporter *importer,
         guint        i)
{
  g_autoptr(TsrImportItem) item = g_list_model_get_item (tsr_importer_get_items (importer), i);

  g_assert_nonnull (item);
  return item;   /* owned by the importer */
}

/* Imports @file alone (read, then commit) and returns the importer. */
G_GNUC_UNUSED static TsrImporter *
import_one (Fixture *f,
            GFile   *file)
{
  g_autoptr(GError) error = NULL;
  TsrImporter *importer = tsr_project_import_files (f->project, &file, 1, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (importer);
  return importer;
}

G_GNUC_UNUSED static char *
document_text (Fixture *f,
               gint64   id)
{
  g_autoptr(GError) error = NULL;
  char *text = tsr_project_get_document_text (f->project, id, &error);

  g_assert_no_error (error);
  return text;
}

/* Imports @file, which must give exactly one document, and returns its
 * text. */
G_GNUC_UNUSED static char *
import_text (Fixture *f,
             GFile   *file)
{
  g_autoptr(TsrImporter) importer = import_one (f, file);
  TsrImportItem *item = item_at (importer, 0);
  g_autoptr(GArray) ids = NULL;

  if (tsr_import_item_get_status (item) == TSR_IMPORT_FAILED)
    g_error ("%s", tsr_import_item_get_error (item)->message);
  g_assert_cmpint (tsr_import_item_get_status (item), ==, TSR_IMPORT_IMPORTED);
  ids = tsr_import_item_get_document_ids (item);
  g_assert_cmpuint (ids->len, ==, 1);
  return document_text (f, g_array_index (ids, gint64, 0));
}

/* Imports @file, which must be refused with @code and a message naming
 * it and containing @words, and checks the project did not change. */
G_GNUC_UNUSED static void
assert_refused (Fixture    *f,
                GFile      *file,
                int         code,
                const char *words)
{
  g_autofree char *before = project_snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(TsrImporter) importer = import_one (f, file);
  TsrImportItem *item = item_at (importer, 0);
  const GError *error = tsr_import_item_get_error (item);

  g_assert_cmpint (tsr_import_item_get_status (item), ==, TSR_IMPORT_FAILED);
  g_assert_nonnull (error);
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  if (!g_error_matches (error, TSR_ERROR, code))
    g_error ("expected error %d, got %d: %s", code, error->code, error->message);
  g_assert_nonnull (strstr (error->message, name));
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("“%s” is not in “%s”", words, error->message);

  after = project_snapshot (f);
  g_assert_cmpstr (after, ==, before);
}
