/* test-text-import.c — decoding plain text and Markdown, importing files
 *
 * Expected texts are written out by hand (byte by byte where the point is
 * the encoding), never produced by the converter under test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-test-utils.h"

/* Helpers ------------------------------------------------------------ */

static char *
decode (const char *data,
        gsize       length,
        GError    **error)
{
  return tsr_decode_text (data, length, "essay.txt", error);
}

#define assert_decodes_to(bytes, expected)                              \
  G_STMT_START {                                                        \
    g_autoptr(GError) _error = NULL;                                    \
    g_autofree char *_text = decode (bytes, sizeof (bytes) - 1, &_error); \
    g_assert_no_error (_error);                                         \
    g_assert_cmpstr (_text, ==, expected);                              \
    g_assert_true (g_utf8_validate (_text, -1, NULL));                  \
  } G_STMT_END

#define assert_refused(bytes, length, code)                             \
  G_STMT_START {                                                        \
    g_autoptr(GError) _error = NULL;                                    \
    g_autofree char *_text = decode (bytes, length, &_error);           \
    g_assert_error (_error, TSR_ERROR, code);                           \
    g_assert_null (_text);                                              \
    g_assert_nonnull (strstr (_error->message, "essay.txt"));           \
  } G_STMT_END

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = NULL;

  f->dir = g_dir_make_tmp ("tessera-text-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "project.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);

  coder = tsr_project_ensure_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  tsr_project_set_current_coder (f->project, tsr_entity_get_id (TSR_ENTITY (coder)), &error);
  g_assert_no_error (error);
}

static void
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

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Decoding ----------------------------------------------------------- */

static void
test_utf8 (void)
{
  assert_decodes_to ("Caf\xc3\xa9 au lait, na\xc3\xafve \xe2\x80\x9cquotes\xe2\x80\x9d\n",
                     "Café au lait, naïve “quotes”\n");
}

static void
test_utf8_bom (void)
{
  /* The mark is dropped: it is not something the researcher sees, and
   * leaving it would shift every offset by one. */
  assert_decodes_to ("\xef\xbb\xbf" "Caf\xc3\xa9", "Café");
}

static void
test_utf8_bom_damaged (void)
{
  /* With a UTF-8 mark a stray invalid byte is local damage. */
  assert_decodes_to ("\xef\xbb\xbf" "a\xff" "b", "a\xef\xbf\xbd" "b");
}

static void
test_utf16_le_bom (void)
{
  /* "Hé😀\r\n!" — 😀 is U+1F600, the surrogate pair D83D DE00. */
  static const char bytes[] =
    "\xff\xfe" "H\0" "\xe9\0" "\x3d\xd8\x00\xde" "\r\0" "\n\0" "!\0";

  assert_decodes_to (bytes, "Hé😀\n!");
}

static void
test_utf16_be_bom (void)
{
  static const char bytes[] =
    "\xfe\xff" "\0H" "\0\xe9" "\xd8\x3d\xde\x00" "\0\r" "\0\n" "\0!";

  assert_decodes_to (bytes, "Hé😀\n!");
}

static void
test_utf16_damaged (void)
{
  /* An odd number of bytes, and a high surrogate with no low one. */
  static const char odd[] = "\xff\xfe" "H\0" "i\0" "!";
  static const char lone[] = "\xff\xfe" "H\0" "\x3d\xd8" "i\0";

  assert_refused (odd, sizeof odd - 1, TSR_ERROR_BINARY_FILE);
  assert_refused (lone, sizeof lone - 1, TSR_ERROR_BINARY_FILE);
}

static void
test_utf32_bom (void)
{
  static const char le[] = "\xff\xfe\0\0" "O\0\0\0" "\x00\xf6\x01\x00" "k\0\0\0";
  static const char be[] = "\0\0\xfe\xff" "\0\0\0O" "\0\x01\xf6\x00" "\0\0\0k";

  assert_decodes_to (le, "O😀k");
  assert_decodes_to (be, "O😀k");
}

static void
test_cp1252 (void)
{
  /* 0x93/0x94 curly quotes, 0xE9 é, 0x80 €, 0x97 em dash, 0x85 ellipsis:
   * not valid UTF-8, so Windows-1252. */
  assert_decodes_to ("\x93" "Caf\xe9" "\x94 cost \x80" "5 \x97 fine\x85",
                     "“Café” cost €5 — fine…");
}

static void
test_cp1252_undefined (void)
{
  /* The five bytes Windows-1252 leaves undefined each become one U+FFFD,
   * so the characters around them keep their offsets. */
  g_autoptr(GError) error = NULL;
  g_autofree char *text = decode ("a\x81" "b\x8d" "c\x8f" "d\x90" "e\x9d" "f\xe9", 12, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "a�b�c�d�e�fé");
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, 12);
}

static void
test_crlf (void)
{
  assert_decodes_to ("one\r\ntwo\r\n\r\nthree\r\n", "one\ntwo\n\nthree\n");
}

static void
test_cr (void)
{
  assert_decodes_to ("one\rtwo\r\rthree\r", "one\ntwo\n\nthree\n");
}

static void
test_mixed_line_ends (void)
{
  /* "\n\r" is two line ends (LF then a lone CR), not one. */
  assert_decodes_to ("a\r\nb\rc\nd\n\re\r\r\nf", "a\nb\nc\nd\n\ne\n\nf");
}

static void
test_cp1252_crlf (void)
{
  assert_decodes_to ("caf\xe9\r\nna\xefve\r", "café\nnaïve\n");
}

static void
test_empty (void)
{
  assert_refused ("", 0, TSR_ERROR_EMPTY_FILE);
  assert_refused ("\xef\xbb\xbf", 3, TSR_ERROR_EMPTY_FILE);
  assert_refused ("\xff\xfe", 2, TSR_ERROR_EMPTY_FILE);
}

static void
test_whitespace_only (void)
{
  static const char utf16[] = "\xff\xfe" " \0" "\t\0" "\xa0\0" "\r\0" "\n\0";

  assert_refused (" \t\r\n\n  \r\n", 9, TSR_ERROR_EMPTY_FILE);
  /* No-break and ideographic spaces are white space too. */
  assert_refused ("\xc2\xa0\xe3\x80\x80\n", 6, TSR_ERROR_EMPTY_FILE);
  assert_refused (utf16, sizeof utf16 - 1, TSR_ERROR_EMPTY_FILE);
}

static void
test_binary_nul (void)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  static const char late_nul[] = "A perfectly normal sentence.\0";
  static const char utf16_nul[] = "\xff\xfe" "a\0" "\0\0" "b\0";

  assert_refused (png, sizeof png - 1, TSR_ERROR_BINARY_FILE);
  assert_refused (late_nul, sizeof late_nul - 1, TSR_ERROR_BINARY_FILE);
  assert_refused (utf16_nul, sizeof utf16_nul - 1, TSR_ERROR_BINARY_FILE);
}

static void
test_binary_controls (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) noisy = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = NULL;

  /* 2 controls in 10 characters: refused. */
  assert_refused ("abc\x01\x02" "defgh", 10, TSR_ERROR_BINARY_FILE);
  /* C1 controls count too (here as UTF-8). */
  assert_refused ("ab\xc2\x80\xc2\x81" "cdef", 10, TSR_ERROR_BINARY_FILE);

  /* 1 control in 20 characters (a terminal colour escape): still text. */
  assert_decodes_to ("\x1b[1mbold text here ok", "\x1b[1mbold text here ok");

  /* Only the first 8 KiB are sniffed: controls after them do not count. */
  for (guint i = 0; i < 8192; i++)
    g_string_append_c (text, 'x');
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (text, '\x02');
  decoded = decode (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (decoded), ==, text->len);

  /* 911 controls in the first 8192 bytes: more than a tenth. */
  for (guint i = 0; i < 8192; i++)
    g_string_append_c (noisy, i % 9 == 0 ? '\x07' : 'y');
  assert_refused (noisy->str, noisy->len, TSR_ERROR_BINARY_FILE);
}

static void
test_markdown_kept (void)
{
  /* Markdown is imported as written, markup included. */
  assert_decodes_to ("# Week 3\r\n\r\n*She* said **no** [link](http://x).\r\n",
                     "# Week 3\n\n*She* said **no** [link](http://x).\n");
}

static void
test_no_normalisation (void)
{
  /* "e" + COMBINING ACUTE ACCENT stays two characters: NFC would make it
   * one and shift every offset after it. */
  g_autoptr(GError) error = NULL;
  g_autofree char *text = decode ("cafe\xcc\x81 ok", 9, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (text, strlen (text), "cafe\xcc\x81 ok", 9);
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, 8);
}

/* Importing files into a project ------------------------------------ */

static void
test_import_encodings (Fixture       *f,
                       gconstpointer  data)
{
  static const char utf16[] = "\xff\xfe" "N\0" "\xe9\0" "e\0" "\r\0" "\n\0" "x\0";
  static const char cp1252[] = "\x93Hi\x94\r\n";
  g_autoptr(GFile) a = write_file (f, "utf16.txt", utf16, sizeof utf16 - 1);
  g_autoptr(GFile) b = write_file (f, "notes.md", cp1252, sizeof cp1252 - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  g_autoptr(TsrDocument) doc_a = NULL;
  g_autoptr(TsrDocument) doc_b = NULL;
  gint64 id_a, id_b;

  id_a = tsr_project_import_file (f->project, a, NULL, &error);
  g_assert_no_error (error);
  id_b = tsr_project_import_file (f->project, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_a, >, 0);
  g_assert_cmpint (id_b, >, 0);
  g_assert_cmpint (id_a, !=, id_b);

  text_a = tsr_project_get_document_text (f->project, id_a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_a, ==, "Née\nx");
  doc_a = tsr_project_lookup_document (f->project, id_a);
  g_assert_nonnull (doc_a);
  g_assert_cmpuint (tsr_document_get_length (doc_a), ==, 5);

  text_b = tsr_project_get_document_text (f->project, id_b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_b, ==, "“Hi”\n");
  doc_b = tsr_project_lookup_document (f->project, id_b);
  g_assert_nonnull (doc_b);
  g_assert_cmpuint (tsr_document_get_length (doc_b), ==, 5);
  g_assert_cmpstr (tsr_document_get_name (doc_b), ==, "notes");

  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 2);
}

static void
check_segment_text (Fixture    *f,
                    gint64      document_id,
                    gint64      code_id,
                    guint       start,
                    guint       end,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrSegment) segment = NULL;
  gint64 id;

  id = tsr_project_add_segment (f->project, document_id, code_id, start, end, &error);
  g_assert_no_error (error);
  segment = tsr_project_lookup_segment (f->project, id);
  g_assert_nonnull (segment);
  g_assert_cmpuint (tsr_segment_get_start (segment), ==, start);
  g_assert_cmpuint (tsr_segment_get_end (segment), ==, end);
  g_assert_cmpstr (tsr_segment_get_text (segment), ==, expected);
}

static void
test_offsets_non_bmp (Fixture       *f,
                      gconstpointer  data)
{
  /* A😀B e◌́ C 👩‍⚕️ D, one character per offset:
   *   A0 😀1 B2 e3 U+0301 4 C5 👩6 ZWJ7 ⚕8 U+FE0F 9 D10 — 11 characters.
   * The UTF-16 file holds 😀 and 👩 as surrogate pairs, which must not
   * count twice. */
  static const char utf8[] =
    "A\xf0\x9f\x98\x80" "B" "e\xcc\x81" "C" "\xf0\x9f\x91\xa9\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f" "D";
  static const char utf16[] =
    "\xff\xfe" "A\0" "\x3d\xd8\x00\xde" "B\0" "e\0" "\x01\x03" "C\0"
    "\x3d\xd8\x69\xdc" "\x0d\x20" "\x95\x26" "\x0f\xfe" "D\0";
  g_autoptr(GFile) a = write_file (f, "emoji.txt", utf8, sizeof utf8 - 1);
  g_autoptr(GFile) b = write_file (f, "emoji-utf16.txt", utf16, sizeof utf16 - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *text_b = NULL;
  g_autoptr(TsrDocument) document_a = NULL;
  g_autoptr(TsrDocument) document_b = NULL;
  gint64 doc_a, doc_b, code;

  doc_a = tsr_project_import_file (f->project, a, NULL, &error);
  g_assert_no_error (error);
  doc_b = tsr_project_import_file (f->project, b, NULL, &error);
  g_assert_no_error (error);

  document_a = tsr_project_lookup_document (f->project, doc_a);
  document_b = tsr_project_lookup_document (f->project, doc_b);
  g_assert_cmpuint (tsr_document_get_length (document_a), ==, 11);
  g_assert_cmpuint (tsr_document_get_length (document_b), ==, 11);
  text_b = tsr_project_get_document_text (f->project, doc_b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text_b, ==, utf8);

  code = tsr_project_create_code (f->project, 0, "Emoji", NULL, NULL, &error);
  g_assert_no_error (error);

  check_segment_text (f, doc_a, code, 1, 2, "\xf0\x9f\x98\x80");
  check_segment_text (f, doc_a, code, 3, 5, "e\xcc\x81");
  check_segment_text (f, doc_a, code, 5, 6, "C");
  check_segment_text (f, doc_a, code, 6, 10, "\xf0\x9f\x91\xa9\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f");
  check_segment_text (f, doc_a, code, 10, 11, "D");
  check_segment_text (f, doc_b, code, 0, 11, utf8);
  check_segment_text (f, doc_b, code, 4, 5, "\xcc\x81");
}

typedef struct
{
  guint n_documents;
  guint n_history;
  char *newest_history;
} Snapshot;

static void
take_snapshot (Fixture  *f,
               Snapshot *s)
{
  g_autoptr(GPtrArray) history = tsr_project_list_history (f->project, 10000);

  s->n_documents = tsr_project_get_n_documents (f->project);
  s->n_history = history->len;
  s->newest_history = history->len > 0
    ? g_strdup (tsr_history_entry_get_description (history->pdata[0]))
    : NULL;
}

static void
assert_unchanged (Fixture  *f,
                  Snapshot *before)
{
  g_autoptr(GListModel) documents = tsr_project_get_documents (f->project);
  Snapshot after;

  take_snapshot (f, &after);
  g_assert_cmpuint (after.n_documents, ==, before->n_documents);
  g_assert_cmpuint (after.n_history, ==, before->n_history);
  g_assert_cmpstr (after.newest_history, ==, before->newest_history);
  g_assert_cmpuint (g_list_model_get_n_items (documents), ==, before->n_documents);
  g_free (after.newest_history);
}

static void
assert_import_fails (Fixture    *f,
                     GFile      *file,
                     const char *name,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  Snapshot before;
  gint64 id;

  take_snapshot (f, &before);
  id = tsr_project_import_file (f->project, file, NULL, &error);
  g_assert_error (error, TSR_ERROR, code);
  g_assert_cmpint (id, <=, 0);
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  assert_unchanged (f, &before);
  g_free (before.newest_history);
}

static void
test_import_failures (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) good = write_file (f, "good.txt", "Some text.\n", 11);
  g_autoptr(GFile) empty = write_file (f, "empty.txt", "", 0);
  g_autoptr(GFile) blank = write_file (f, "blank.md", " \r\n\t\n", 5);
  g_autoptr(GFile) binary = write_file (f, "photo.txt", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  g_autofree char *missing_path = g_build_filename (f->dir, "missing.txt", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autofree char *folder_path = g_build_filename (f->dir, "a-folder", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;

  /* A project with something in it, so "unchanged" means something. */
  tsr_project_import_file (f->project, good, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 1);
  g_assert_cmpint (g_mkdir (folder_path, 0700), ==, 0);

  assert_import_fails (f, empty, "empty.txt", TSR_ERROR_EMPTY_FILE);
  assert_import_fails (f, blank, "blank.md", TSR_ERROR_EMPTY_FILE);
  assert_import_fails (f, binary, "photo.txt", TSR_ERROR_BINARY_FILE);
  assert_import_fails (f, missing, "missing.txt", TSR_ERROR_UNREADABLE);
  assert_import_fails (f, folder, "a-folder", TSR_ERROR_UNREADABLE);

  /* The failures left nothing to undo: the last edit is still the
   * import of good.txt, and undoing it empties the project. */
  {
    g_autoptr(GPtrArray) history = tsr_project_list_history (f->project, 1);
    g_autofree char *label = tsr_project_get_undo_label (f->project);

    g_assert_cmpuint (history->len, ==, 1);
    g_assert_cmpstr (label, ==, tsr_history_entry_get_description (history->pdata[0]));
    g_assert_nonnull (strstr (label, "good"));
  }
  tsr_project_undo (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/text-import/utf8", test_utf8);
  g_test_add_func ("/tessera/text-import/utf8-bom", test_utf8_bom);
  g_test_add_func ("/tessera/text-import/utf8-bom-damaged", test_utf8_bom_damaged);
  g_test_add_func ("/tessera/text-import/utf16-le-bom", test_utf16_le_bom);
  g_test_add_func ("/tessera/text-import/utf16-be-bom", test_utf16_be_bom);
  g_test_add_func ("/tessera/text-import/utf16-damaged", test_utf16_damaged);
  g_test_add_func ("/tessera/text-import/utf32-bom", test_utf32_bom);
  g_test_add_func ("/tessera/text-import/cp1252-fallback", test_cp1252);
  g_test_add_func ("/tessera/text-import/cp1252-undefined-bytes", test_cp1252_undefined);
  g_test_add_func ("/tessera/text-import/crlf", test_crlf);
  g_test_add_func ("/tessera/text-import/cr", test_cr);
  g_test_add_func ("/tessera/text-import/mixed-line-ends", test_mixed_line_ends);
  g_test_add_func ("/tessera/text-import/cp1252-crlf", test_cp1252_crlf);
  g_test_add_func ("/tessera/text-import/empty", test_empty);
  g_test_add_func ("/tessera/text-import/whitespace-only", test_whitespace_only);
  g_test_add_func ("/tessera/text-import/binary-nul", test_binary_nul);
  g_test_add_func ("/tessera/text-import/binary-controls", test_binary_controls);
  g_test_add_func ("/tessera/text-import/markdown-kept", test_markdown_kept);
  g_test_add_func ("/tessera/text-import/no-normalisation", test_no_normalisation);

  g_test_add ("/tessera/text-import/import-encodings", Fixture, NULL,
              fixture_set_up, test_import_encodings, fixture_tear_down);
  g_test_add ("/tessera/text-import/offsets-non-bmp", Fixture, NULL,
              fixture_set_up, test_offsets_non_bmp, fixture_tear_down);
  g_test_add ("/tessera/text-import/failed-import-unchanged", Fixture, NULL,
              fixture_set_up, test_import_failures, fixture_tear_down);

  return g_test_run ();
}
