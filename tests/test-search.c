/* test-search.c — searching the documents' text, keyword-in-context, and
 * tessera-cli's search and kwic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
  TsrCoder   *coder;
  gint64      e01, e02, e03, e04;
} Fixture;

static const char e01_text[] =
  "Forty-one days in the ICU. The ceremony was short,\nbut the nurses cried.";
static const char e02_text[] =
  "Zoë, a woman going for a Whipple, thanked the Café staff; \"thank you\" twice. WHIPPLE again.";
static const char e03_text[] =
  "Ceremonies matter. Ceremonial thanks. The nurse-led ceremony.";
static const char e04_text[] =
  "東京都庁の看護師。Καφέ και ΚΑΦΕ. aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";

static gint64
add_document (TsrProject *project,
              const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_document (project, name, text, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsr-search-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "search.tessera", NULL);
  f->project = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  f->coder = tsr_project_confirm_coder (f->project, "Ada", &error);
  g_assert_no_error (error);
  f->e01 = add_document (f->project, "E01", e01_text);
  f->e02 = add_document (f->project, "E02", e02_text);
  f->e03 = add_document (f->project, "E03", e03_text);
  f->e04 = add_document (f->project, "E04", e04_text);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->project != NULL)
    tsr_project_close (f->project, NULL);
  g_clear_object (&f->project);
  g_clear_object (&f->coder);
  tsr_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The hits as "document:start-end=text" joined by spaces, the text cut
 * from the document with GLib's own character offsets. */
static char *
describe (Fixture *f,
          GArray  *hits)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      const TsrSearchHit *hit = &g_array_index (hits, TsrSearchHit, i);
      const char *text = hit->document_id == f->e01 ? e01_text : hit->document_id == f->e02 ? e02_text
                       : hit->document_id == f->e03 ? e03_text : e04_text;
      const char *from = g_utf8_offset_to_pointer (text, hit->start);
      const char *to = g_utf8_offset_to_pointer (text, hit->end);
      g_autofree char *cut = g_strndup (from, to - from);
      const char *name = hit->document_id == f->e01 ? "E01" : hit->document_id == f->e02 ? "E02"
                       : hit->document_id == f->e03 ? "E03" : "E04";

      g_string_append_printf (s, "%s%s:%u-%u=%s", i ? " " : "", name, hit->start, hit->end, cut);
    }
  return g_string_free (s, FALSE);
}

static char *
search (Fixture       *f,
        const char    *query,
        TsrSearchMode  mode,
        const char    *regex)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, query, mode, regex, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return describe (f, hits);
}

#define ASSERT_SEARCH(query, mode, regex, expected)             \
  G_STMT_START {                                                \
    g_autofree char *got_ = search (f, query, mode, regex);     \
    g_assert_cmpstr (got_, ==, expected);                       \
  } G_STMT_END

static void
test_words (Fixture       *f,
            gconstpointer  data)
{
  /* Case and accents ignored; offsets are characters ("Zoë" and the
   * quotation marks before the hits are one character each). */
  ASSERT_SEARCH ("whipple", TSR_SEARCH_WORDS, NULL, "E02:25-32=Whipple E02:77-84=WHIPPLE");
  ASSERT_SEARCH ("CAFE", TSR_SEARCH_WORDS, NULL, "E02:46-50=Café");
  ASSERT_SEARCH ("zoe", TSR_SEARCH_WORDS, NULL, "E02:0-3=Zoë");
  ASSERT_SEARCH ("καφε", TSR_SEARCH_WORDS, NULL, "E04:9-13=Καφέ E04:18-22=ΚΑΦΕ");
  /* A phrase, across punctuation and a line end. */
  ASSERT_SEARCH ("\"thank you\"", TSR_SEARCH_WORDS, NULL, "E02:59-68=thank you");
  ASSERT_SEARCH ("\"short but the\"", TSR_SEARCH_WORDS, NULL, "E01:44-58=short,\nbut the");
  /* Whole words only: "ceremony" is not found in "Ceremonies". */
  ASSERT_SEARCH ("ceremony", TSR_SEARCH_WORDS, NULL, "E01:31-39=ceremony E03:52-60=ceremony");
  ASSERT_SEARCH ("ceremon*", TSR_SEARCH_WORDS, NULL,
                 "E01:31-39=ceremony E03:0-10=Ceremonies E03:19-29=Ceremonial E03:52-60=ceremony");
  /* OR, NOT, AND, parentheses. */
  ASSERT_SEARCH ("whipple OR nurses", TSR_SEARCH_WORDS, NULL,
                 "E01:59-65=nurses E02:25-32=Whipple E02:77-84=WHIPPLE");
  ASSERT_SEARCH ("ceremony NOT nurses", TSR_SEARCH_WORDS, NULL, "E03:52-60=ceremony");
  ASSERT_SEARCH ("ceremony AND (icu OR whipple)", TSR_SEARCH_WORDS, NULL, "E01:22-25=ICU E01:31-39=ceremony");
  /* Punctuation inside a word splits it as the index does. */
  ASSERT_SEARCH ("nurse-led", TSR_SEARCH_WORDS, NULL, "E03:42-51=nurse-led");
  ASSERT_SEARCH ("absent", TSR_SEARCH_WORDS, NULL, "");
}

static void
test_substring (Fixture       *f,
                gconstpointer  data)
{
  ASSERT_SEARCH ("HIPP", TSR_SEARCH_SUBSTRING, NULL, "E02:26-30=hipp E02:78-82=HIPP");
  ASSERT_SEARCH ("EMON", TSR_SEARCH_SUBSTRING, NULL,
                 "E01:34-38=emon E03:3-7=emon E03:22-26=emon E03:55-59=emon");
  /* Any script, no spaces needed. */
  ASSERT_SEARCH ("京都庁", TSR_SEARCH_SUBSTRING, NULL, "E04:1-4=京都庁");
  ASSERT_SEARCH ("αφέ", TSR_SEARCH_SUBSTRING, NULL, "E04:10-13=αφέ");
  ASSERT_SEARCH ("% _\"", TSR_SEARCH_SUBSTRING, NULL, "");
}

static void
test_regex (Fixture       *f,
            gconstpointer  data)
{
  /* The query picks the documents, the expression the hits. */
  ASSERT_SEARCH ("ceremony", TSR_SEARCH_WORDS, "[Cc]eremon[a-z]+", "E01:31-39=ceremony E03:0-10=Ceremonies E03:19-29=Ceremonial E03:52-60=ceremony");
  ASSERT_SEARCH ("nurses", TSR_SEARCH_WORDS, "[Cc]eremon[a-z]+", "E01:31-39=ceremony");
  /* No query: every document. */
  ASSERT_SEARCH ("", TSR_SEARCH_WORDS, "\\bt\\w+k", "E02:34-39=thank E02:59-64=thank E03:30-35=thank");
}

static void
assert_search_fails (Fixture       *f,
                     const char    *query,
                     TsrSearchMode  mode,
                     const char    *regex,
                     const char    *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, query, mode, regex, NULL, &error);

  g_assert_null (hits);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

static void
test_bad_queries (Fixture       *f,
                  gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  assert_search_fails (f, "", TSR_SEARCH_WORDS, NULL, "empty");
  assert_search_fails (f, "   ", TSR_SEARCH_SUBSTRING, NULL, "empty");
  assert_search_fails (f, "\"thank you", TSR_SEARCH_WORDS, NULL, "quotation mark");
  assert_search_fails (f, "ceremony OR", TSR_SEARCH_WORDS, NULL, "cannot be read");
  assert_search_fails (f, "(ceremony", TSR_SEARCH_WORDS, NULL, "cannot be read");
  assert_search_fails (f, "NOT ceremony", TSR_SEARCH_WORDS, NULL, "no word");
  assert_search_fails (f, "--- ...", TSR_SEARCH_WORDS, NULL, "no word");
  assert_search_fails (f, "ab", TSR_SEARCH_SUBSTRING, NULL, "three characters");
  assert_search_fails (f, "", TSR_SEARCH_WORDS, "[a-", "not valid");
  /* Catastrophic backtracking on the run of a's in E04 ends with a
   * message, not after minutes. */
  assert_search_fails (f, "", TSR_SEARCH_WORDS, "(a+)+$", "backtracks");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);

  /* The project is untouched and still searchable. */
  ASSERT_SEARCH ("whipple", TSR_SEARCH_WORDS, NULL, "E02:25-32=Whipple E02:77-84=WHIPPLE");
}

/* A hit's offsets are the ones a segment takes: coding it covers the
 * same text. */
static void
test_hits_code_the_same_text (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, "καφε OR café OR zoe", TSR_SEARCH_WORDS, NULL, NULL, &error);
  gint64 code = tsr_project_create_code (f->project, 0, "Names", NULL, "", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 4);
  for (guint i = 0; i < hits->len; i++)
    {
      const TsrSearchHit *hit = &g_array_index (hits, TsrSearchHit, i);
      g_autoptr(TsrConcordanceLine) line = NULL;
      g_autoptr(TsrSegment) segment = NULL;
      g_autofree char *text = tsr_project_get_document_text (f->project, hit->document_id, &error);
      gint64 id = tsr_project_add_segment (f->project, hit->document_id, code, hit->start, hit->end, &error);

      g_assert_no_error (error);
      segment = tsr_project_lookup_segment (f->project, id);
      line = tsr_search_context (text, hit->document_id, hit->start, hit->end, 0);
      g_assert_cmpstr (tsr_segment_get_text (segment), ==, line->keyword);
    }
}

static void
test_undo_import (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_autoptr(GArray) hits = NULL;

  add_document (f->project, "E05", "Another Whipple.");
  hits = tsr_project_search (f->project, "whipple", TSR_SEARCH_WORDS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_true (tsr_project_undo (f->project, &error));
  ASSERT_SEARCH ("whipple", TSR_SEARCH_WORDS, NULL, "E02:25-32=Whipple E02:77-84=WHIPPLE");
  g_assert_true (tsr_project_delete_document (f->project, f->e02, &error));
  ASSERT_SEARCH ("whipple", TSR_SEARCH_WORDS, NULL, "");
  ASSERT_SEARCH ("hipp", TSR_SEARCH_SUBSTRING, NULL, "");
  g_assert_true (tsr_project_undo (f->project, &error));
  ASSERT_SEARCH ("hipp", TSR_SEARCH_SUBSTRING, NULL, "E02:26-30=hipp E02:78-82=HIPP");
  g_assert_no_error (error);
}

static void
test_concordance (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) hits = tsr_project_search (f->project, "ceremony OR whipple", TSR_SEARCH_WORDS, NULL, NULL, &error);
  g_autoptr(GPtrArray) lines = tsr_project_concordance (f->project, hits, 6, &error);
  TsrConcordanceLine *line;

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 4);
  line = lines->pdata[0];
  g_assert_cmpint (line->document_id, ==, f->e01);
  g_assert_cmpstr (line->left, ==, ". The ");
  g_assert_cmpstr (line->keyword, ==, "ceremony");
  g_assert_cmpstr (line->right, ==, " was s");
  line = lines->pdata[1];
  g_assert_cmpstr (line->left, ==, "for a ");
  g_assert_cmpstr (line->keyword, ==, "Whipple");
  /* Context stops at the ends of the text. */
  line = lines->pdata[3];
  g_assert_cmpstr (line->keyword, ==, "ceremony");
  g_assert_cmpstr (line->right, ==, ".");
}

/* tessera-cli ------------------------------------------------------------ */

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  va_list args;

  envp = g_environ_unsetenv (envp, "LANGUAGE");
  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

static char *
demo_copy (char **dir)
{
  g_autoptr(GError) error = NULL;
  char *path;

  *dir = g_dir_make_tmp ("tsr-search-cli-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "demo.tessera", NULL);
  tsr_test_copy_file (g_getenv ("TESSERA_DEMO"), path);
  return path;
}

static void
test_cli_search_demo (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = demo_copy (&dir);
  g_auto(TsrTestRun) r = { 0 };

  run_cli (&r, "search", path, "Whipple", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "document\thits\nE02 – Surgical resident\t1\n");
  tsr_test_run_clear (&r);

  run_cli (&r, "search", path, "hipp", "--substring", "--hits", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "E02 – Surgical resident\t"));
  g_assert_nonnull (strstr (r.out, "\thipp\n"));
  tsr_test_run_clear (&r);

  /* Bad input: a readable message and the usage status or failure. */
  run_cli (&r, "search", path, "\"thank", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "quotation mark"));
  tsr_test_run_clear (&r);
  run_cli (&r, "search", path, "", "--regex", "(", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not valid"));
  tsr_test_run_clear (&r);
  run_cli (&r, "kwic", path, "care", "--width", "-3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--width"));
  tsr_test_run_clear (&r);
  run_cli (&r, "search", path, NULL);
  g_assert_cmpint (r.status, ==, 2);

  tsr_test_remove_tree (dir);
}

/* How often @word occurs as a whole word in @text, ignoring ASCII case:
 * plain string search, independent of the index and the tokenizer. */
static guint
count_word (const char *text,
            const char *word)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  gsize len = strlen (word);
  guint n = 0;

  for (const char *p = strstr (lower, word); p != NULL; p = strstr (p + 1, word))
    {
      gboolean starts = p == lower || !g_ascii_isalnum (p[-1]);
      gboolean ends = !g_ascii_isalnum (p[len]);

      if (starts && ends)
        n++;
    }
  return n;
}

static void
test_cli_kwic_counts (void)
{
  static const char * const words[] = { "whipple", "ceremony", "nurse", "patient", "we" };
  g_autofree char *dir = NULL;
  g_autofree char *path = demo_copy (&dir);
  g_auto(TsrTestRun) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  JsonObject *tables;
  JsonArray *documents, *texts;

  run_cli (&r, "export-json", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tables");
  documents = json_object_get_array_member (tables, "documents");
  texts = json_object_get_array_member (tables, "document_texts");
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *doc = json_array_get_object_element (documents, i);
      gint64 *id = g_new (gint64, 1);

      *id = json_object_get_int_member (doc, "id");
      g_hash_table_insert (names, id, g_strdup (json_object_get_string_member (doc, "name")));
    }

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      g_auto(TsrTestRun) kwic = { 0 };
      g_autoptr(GHashTable) got = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_auto(GStrv) lines = NULL;
      guint total = 0, n_lines = 0;

      run_cli (&kwic, "kwic", path, words[w], "--tsv", "--width", "20", NULL);
      g_assert_cmpint (kwic.status, ==, 0);
      lines = g_strsplit (kwic.out, "\n", -1);
      g_assert_cmpstr (lines[0], ==, "document\tstart\tend\tleft\tkeyword\tright");
      for (guint i = 1; lines[i] && lines[i][0]; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);
          guint n;

          g_assert_cmpuint (g_strv_length (fields), ==, 6);
          g_assert_cmpint (g_ascii_strcasecmp (fields[4], words[w]), ==, 0);
          n = GPOINTER_TO_UINT (g_hash_table_lookup (got, fields[0]));
          g_hash_table_insert (got, g_strdup (fields[0]), GUINT_TO_POINTER (n + 1));
          n_lines++;
        }

      for (guint i = 0; i < json_array_get_length (texts); i++)
        {
          JsonObject *row = json_array_get_object_element (texts, i);
          gint64 id = json_object_get_int_member (row, "document_id");
          const char *name = g_hash_table_lookup (names, &id);
          guint expected = count_word (json_object_get_string_member (row, "text"), words[w]);

          g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (got, name)), ==, expected);
          total += expected;
        }
      g_assert_cmpuint (n_lines, ==, total);
      g_test_message ("%s: %u hits", words[w], total);
      if (w < 3)
        g_assert_cmpuint (total, >, 0);
    }

  tsr_test_remove_tree (dir);
}

/* Find in one text: the typed words in a row, the last a prefix,
 * without case or accents; offsets in characters (é, – and ü are one
 * character each, two or three bytes). */
static void
test_one_text (void)
{
  static const char text[] = "Café staff – Quiet courage; quiet COURAGEOUS Zürich, quietly. cafe";
  static const struct { const char *query; guint n; guint starts[4]; guint ends[4]; } cases[] = {
    { "cafe", 2, { 0, 62 }, { 4, 66 } },
    { "CAF", 2, { 0, 62 }, { 4, 66 } },
    { "quiet cour", 2, { 13, 28 }, { 26, 44 } },
    { "quiet courage ", 1, { 13 }, { 26 } },
    { "zurich", 1, { 45 }, { 51 } },
    { "urich", 0, { 0 }, { 0 } },
    { "  ", 0, { 0 }, { 0 } },
    { "– ;", 0, { 0 }, { 0 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) hits = tsr_search_text (text, cases[i].query);

      g_test_message ("query “%s”", cases[i].query);
      g_assert_cmpuint (hits->len, ==, cases[i].n);
      for (guint k = 0; k < hits->len; k++)
        {
          g_assert_cmpint (g_array_index (hits, TsrSearchHit, k).document_id, ==, 0);
          g_assert_cmpuint (g_array_index (hits, TsrSearchHit, k).start, ==, cases[i].starts[k]);
          g_assert_cmpuint (g_array_index (hits, TsrSearchHit, k).end, ==, cases[i].ends[k]);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tessera/search/words", test_words);
  ADD ("/tessera/search/substring", test_substring);
  ADD ("/tessera/search/regex", test_regex);
  ADD ("/tessera/search/bad-queries", test_bad_queries);
  ADD ("/tessera/search/hits-code-the-same-text", test_hits_code_the_same_text);
  ADD ("/tessera/search/undo-import", test_undo_import);
  ADD ("/tessera/search/concordance", test_concordance);
#undef ADD
  g_test_add_func ("/tessera/search/one-text", test_one_text);
  g_test_add_func ("/tessera/search/cli-search-demo", test_cli_search_demo);
  g_test_add_func ("/tessera/search/cli-kwic-counts", test_cli_kwic_counts);

  return g_test_run ();
}
