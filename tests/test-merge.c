/* test-merge.c — merging two coders' copies of a project
 *
 * The reference scenario: the demo project is copied twice; coder A
 * codes copy A and coder B codes copy B, each differently (new codes, a
 * new document, memos, journal entries, a theme, a case); merging B into
 * A must give exactly the union of the two, merging again must change
 * nothing, and undo must give back copy A exactly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "tessera.h"
#include "tsr-test-utils.h"

typedef struct
{
  char *dir;
  char *path_a;
  char *path_b;
} Fixture;

#define assert_ok(expr)                             \
  G_STMT_START {                                    \
    g_autoptr(GError) _error = NULL;                \
    gboolean _ok = (expr);                          \
    g_assert_no_error (_error);                     \
    g_assert_true (_ok);                            \
  } G_STMT_END

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *demo = g_getenv ("TESSERA_DEMO");

  g_assert_nonnull (demo);
  f->dir = g_dir_make_tmp ("tsr-merge-XXXXXX", &error);
  g_assert_no_error (error);
  f->path_a = g_build_filename (f->dir, "copy-a.tessera", NULL);
  f->path_b = g_build_filename (f->dir, "copy-b.tessera", NULL);
  tsr_test_copy_file (demo, f->path_a);
  tsr_test_copy_file (demo, f->path_b);
  g_chmod (f->path_a, 0600);
  g_chmod (f->path_b, 0600);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path_a);
  g_free (f->path_b);
}

static TsrProject *
open_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  TsrProject *p = tsr_project_open (path, &error);

  g_assert_no_error (error);
  return p;
}

static void
set_coder (TsrProject *p,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) coder = tsr_project_ensure_coder (p, name, &error);

  g_assert_no_error (error);
  assert_ok (tsr_project_set_current_coder (p, tsr_test_id_of (coder), &_error));
}

static TsrDocument *
nth_document (TsrProject *p,
              guint       n)
{
  g_autoptr(GListModel) docs = tsr_project_get_documents (p);

  return g_list_model_get_item (docs, n);
}

static gint64
code_id (TsrProject *p,
         const char *path)
{
  g_autoptr(TsrCode) code = tsr_project_find_code (p, path);

  g_assert_nonnull (code);
  return tsr_test_id_of (code);
}

static gint64
add_segment (TsrProject *p,
             guint       doc,
             gint64      code,
             guint       start,
             guint       end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrDocument) d = nth_document (p, doc);
  gint64 id = tsr_project_add_segment (p, tsr_test_id_of (d), code, start, end, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
first_code_path (TsrProject *p)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (p);

  return tsr_project_get_code_path (p, tsr_test_id_of (codes->pdata[codes->len - 1]));
}

/* Coder A's work on copy A. */
static void
code_copy_a (const char *path)
{
  g_autoptr(TsrProject) p = open_project (path);
  g_autofree char *some_code = first_code_path (p);
  g_autoptr(GError) error = NULL;
  gint64 own, some;

  set_coder (p, "Coder A");
  some = code_id (p, some_code);
  add_segment (p, 0, some, 0, 40);
  add_segment (p, 1, some, 10, 60);
  own = tsr_project_create_code (p, 0, "Only A's code", "#112233", "A's idea", &error);
  g_assert_no_error (error);
  add_segment (p, 2, own, 5, 25);
  g_assert_cmpint (tsr_project_add_journal_entry (p, "2025-01-02", "A: first pass done.", &error), >, 0);
  {
    g_autoptr(TsrDocument) d = nth_document (p, 3);
    assert_ok (tsr_project_set_memo (p, TSR_MEMO_DOCUMENT, tsr_test_id_of (d), "A thinks this essay is about hope.", &_error));
  }
  assert_ok (tsr_project_close (p, &_error));
}

/* Coder B's work on copy B: some of it the same as A's. */
static void
code_copy_b (const char *path)
{
  g_autoptr(TsrProject) p = open_project (path);
  g_autofree char *some_code = first_code_path (p);
  g_autoptr(GError) error = NULL;
  gint64 own, some, theme, doc, parent;

  set_coder (p, "Coder B");
  some = code_id (p, some_code);
  add_segment (p, 0, some, 0, 40);     /* the same passage as A, B's own coding */
  add_segment (p, 4, some, 100, 180);
  {
    g_autoptr(GListModel) top = tsr_project_get_codes (p, 0);
    g_autoptr(TsrCode) first = g_list_model_get_item (top, 0);
    parent = tsr_test_id_of (first);
  }
  own = tsr_project_create_code (p, parent, "Only B's sub-code", NULL, NULL, &error);
  g_assert_no_error (error);
  add_segment (p, 5, own, 0, 30);
  doc = tsr_project_add_document (p, "Interview B1", "B interviewed a porter.\nIt was about carrying hope.", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment (p, doc, own, 0, 22, &error), >, 0);
  g_assert_cmpint (tsr_project_add_journal_entry (p, "2025-01-03", "B: coded with fresh eyes.", &error), >, 0);
  {
    g_autoptr(TsrDocument) d = nth_document (p, 3);
    assert_ok (tsr_project_set_memo (p, TSR_MEMO_DOCUMENT, tsr_test_id_of (d), "B reads it as grief.", &_error));
  }
  assert_ok (tsr_project_set_memo (p, TSR_MEMO_CODE, own, "Sub-code memo by B", &_error));
  theme = tsr_project_create_theme (p, 0, "Carrying hope", &error);
  g_assert_no_error (error);
  assert_ok (tsr_project_add_code_to_theme (p, theme, own, &_error));
  {
    gint64 c = tsr_project_create_case (p, "Porter dyad", &error);
    g_assert_no_error (error);
    assert_ok (tsr_project_set_case_membership (p, c, doc, TRUE, &_error));
  }
  assert_ok (tsr_project_close (p, &_error));
}

/* Every segment as (document UUID, code path, coder name, start, end). */
static GHashTable *
segment_set (TsrProject *p)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) docs = tsr_project_get_documents (p);

  for (guint i = 0; i < g_list_model_get_n_items (docs); i++)
    {
      g_autoptr(TsrDocument) d = g_list_model_get_item (docs, i);
      g_autoptr(GListModel) segments = tsr_project_get_segments (p, tsr_test_id_of (d));

      for (guint j = 0; j < g_list_model_get_n_items (segments); j++)
        {
          g_autoptr(TsrSegment) s = g_list_model_get_item (segments, j);
          g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (p, tsr_segment_get_coder_id (s));
          g_autofree char *path = tsr_project_get_code_path (p, tsr_segment_get_code_id (s));

          g_hash_table_add (set, g_strdup_printf ("%s|%s|%s|%u|%u|%s", tsr_entity_get_uuid (TSR_ENTITY (d)), path,
                                                  tsr_coder_get_name (coder), tsr_segment_get_start (s),
                                                  tsr_segment_get_end (s), tsr_segment_get_text (s)));
        }
    }
  return set;
}

static GHashTable *
code_set (TsrProject *p)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (p);

  for (guint i = 0; i < codes->len; i++)
    g_hash_table_add (set, tsr_project_get_code_path (p, tsr_test_id_of (codes->pdata[i])));
  return set;
}

static GHashTable *
journal_set (TsrProject *p)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) journal = tsr_project_get_journal (p);

  for (guint i = 0; i < g_list_model_get_n_items (journal); i++)
    {
      g_autoptr(TsrMemo) m = g_list_model_get_item (journal, i);
      g_hash_table_add (set, g_strconcat (tsr_memo_get_date (m), " ", tsr_memo_get_text (m), NULL));
    }
  return set;
}

static GHashTable *
union_of (GHashTable *a,
          GHashTable *b)
{
  GHashTable *u = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (u, g_strdup (key));
  g_hash_table_iter_init (&iter, b);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (u, g_strdup (key));
  return u;
}

static void
assert_same_set (GHashTable *expected,
                 GHashTable *actual)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (actual, key))
      g_error ("missing after the merge: %s", (char *) key);
  g_hash_table_iter_init (&iter, actual);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (expected, key))
      g_error ("not expected after the merge: %s", (char *) key);
}

/* Every table but the history, as JSON text. */
static char *
tables_without_history (TsrProject *p)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *tables;

  assert_ok (tsr_project_export_json (p, stream, NULL, &_error));
  g_output_stream_close (stream, NULL, NULL);
  json_parser_load_from_data (parser, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), &error);
  g_assert_no_error (error);
  tables = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tables");
  json_object_remove_member (tables, "history");
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static guint
history_length (TsrProject *p)
{
  g_autoptr(GPtrArray) entries = tsr_project_list_history (p, 0);
  return entries->len;
}

/* Tests -------------------------------------------------------------- */

static void
test_union (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = NULL;
  g_autoptr(TsrProject) b = NULL;
  g_autoptr(GHashTable) segments_a = NULL, segments_b = NULL, expected_segments = NULL, merged_segments = NULL;
  g_autoptr(GHashTable) codes_a = NULL, codes_b = NULL, expected_codes = NULL, merged_codes = NULL;
  g_autoptr(GHashTable) journal_a = NULL, journal_b = NULL, expected_journal = NULL, merged_journal = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *b_before = NULL;
  g_autofree char *b_after = NULL;
  guint n_docs_a, n_docs_b;

  code_copy_a (f->path_a);
  code_copy_b (f->path_b);

  b = open_project (f->path_b);
  segments_b = segment_set (b);
  codes_b = code_set (b);
  journal_b = journal_set (b);
  n_docs_b = tsr_project_get_n_documents (b);
  assert_ok (tsr_project_close (b, &_error));
  g_clear_object (&b);
  b_before = file_checksum (f->path_b);

  a = open_project (f->path_a);
  set_coder (a, "Coder A");
  segments_a = segment_set (a);
  codes_a = code_set (a);
  journal_a = journal_set (a);
  n_docs_a = tsr_project_get_n_documents (a);
  expected_segments = union_of (segments_a, segments_b);
  expected_codes = union_of (codes_a, codes_b);
  expected_journal = union_of (journal_a, journal_b);

  /* The preview lists what will happen before anything is written. */
  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (tsr_merge_plan_is_empty (plan));
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_CODERS, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH), ==, n_docs_a);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_CODES, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_SEGMENTS, TSR_MERGE_ADD), ==, 4);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_JOURNAL, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_MEMOS, TSR_MERGE_CONFLICT), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_THEMES, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_CASES, TSR_MERGE_ADD), ==, 2);
  text = tsr_merge_plan_format (plan);
  g_assert_nonnull (strstr (text, "New document “Interview B1”"));
  g_assert_nonnull (strstr (text, "New coder “Coder B”"));
  g_assert_nonnull (strstr (text, "Only B's sub-code"));
  /* Nothing written yet. */
  g_assert_cmpuint (tsr_project_get_n_documents (a), ==, n_docs_a);

  assert_ok (tsr_project_merge (a, plan, NULL, &_error));
  {
    g_autofree char *label = tsr_project_get_undo_label (a);
    g_assert_cmpstr (label, ==, "Merge “Encouragement ceremonies (demo)”");
  }

  /* Exactly the union. */
  g_assert_cmpuint (tsr_project_get_n_documents (a), ==, n_docs_b);
  merged_segments = segment_set (a);
  merged_codes = code_set (a);
  merged_journal = journal_set (a);
  assert_same_set (expected_segments, merged_segments);
  assert_same_set (expected_codes, merged_codes);
  assert_same_set (expected_journal, merged_journal);
  {
    g_autoptr(TsrDocument) d = nth_document (a, 3);
    g_autofree char *memo = tsr_project_get_memo (a, TSR_MEMO_DOCUMENT, tsr_test_id_of (d));

    g_assert_cmpstr (memo, ==, "A thinks this essay is about hope.\n\nFrom “copy-b.tessera”:\nB reads it as grief.");
  }
  {
    g_autoptr(TsrTheme) theme = tsr_project_find_theme (a, "Carrying hope");
    g_autoptr(GArray) theme_codes = NULL;

    g_assert_nonnull (theme);
    theme_codes = tsr_project_get_theme_codes (a, tsr_test_id_of (theme));
    g_autoptr(TsrCode) code = NULL;

    g_assert_cmpuint (theme_codes->len, ==, 1);
    code = tsr_project_lookup_code (a, g_array_index (theme_codes, gint64, 0));
    g_assert_cmpstr (tsr_code_get_name (code), ==, "Only B's sub-code");
  }
  {
    g_autoptr(GObject) found = G_OBJECT (tsr_project_find_case (a, "Porter dyad"));
    g_assert_nonnull (found);
  }
  g_assert_true (tsr_project_check_integrity (a, &error));

  /* The other file was only read. */
  b_after = file_checksum (f->path_b);
  g_assert_cmpstr (b_before, ==, b_after);

  /* Merging again changes nothing. */
  {
    g_autoptr(TsrMergePlan) again = tsr_project_plan_merge (a, f->path_b, NULL, &error);
    g_autofree char *before = tables_without_history (a);
    g_autofree char *after = NULL;
    guint history = history_length (a);

    g_assert_no_error (error);
    g_assert_true (tsr_merge_plan_is_empty (again));
    for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
      g_assert_cmpuint (tsr_merge_plan_count (again, k, TSR_MERGE_ADD), ==, 0);
    assert_ok (tsr_project_merge (a, again, NULL, &_error));
    after = tables_without_history (a);
    g_assert_cmpstr (before, ==, after);
    g_assert_cmpuint (history_length (a), ==, history);
  }

  /* And merging A into B gives B the same union. */
  assert_ok (tsr_project_close (a, &_error));
  g_clear_object (&a);
  b = open_project (f->path_b);
  {
    g_autoptr(TsrMergePlan) back = tsr_project_plan_merge (b, f->path_a, NULL, &error);
    g_autoptr(GHashTable) both = NULL;

    g_assert_no_error (error);
    assert_ok (tsr_project_merge (b, back, NULL, &_error));
    both = segment_set (b);
    assert_same_set (expected_segments, both);
  }
  tsr_project_close (b, NULL);
}

static void
test_undo_restores (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after_undo = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *redone = NULL;
  guint n_coders;

  code_copy_a (f->path_a);
  code_copy_b (f->path_b);
  a = open_project (f->path_a);
  set_coder (a, "Coder A");
  before = tables_without_history (a);
  {
    g_autoptr(GListModel) coders = tsr_project_get_coders (a);
    n_coders = g_list_model_get_n_items (coders);
  }

  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  assert_ok (tsr_project_merge (a, plan, NULL, &_error));
  merged = tables_without_history (a);
  g_assert_cmpstr (merged, !=, before);

  /* One step undoes it all, coders included. */
  assert_ok (tsr_project_undo (a, &_error));
  after_undo = tables_without_history (a);
  g_assert_cmpstr (after_undo, ==, before);
  {
    g_autoptr(GListModel) coders = tsr_project_get_coders (a);
    g_assert_cmpuint (g_list_model_get_n_items (coders), ==, n_coders);
  }
  g_assert_true (tsr_project_check_integrity (a, &error));

  assert_ok (tsr_project_redo (a, &_error));
  redone = tables_without_history (a);
  g_assert_cmpstr (redone, ==, merged);
  tsr_project_close (a, NULL);
}

static void
test_read_only_other (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "sent", NULL);
  g_autofree char *sent = g_build_filename (folder, "from-b.tessera", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  code_copy_b (f->path_b);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  tsr_test_copy_file (f->path_b, sent);
  g_chmod (sent, 0444);
  g_chmod (folder, 0555);
  before = file_checksum (sent);

  a = open_project (f->path_a);
  set_coder (a, "Coder A");
  plan = tsr_project_plan_merge (a, sent, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_SEGMENTS, TSR_MERGE_ADD), ==, 4);
  assert_ok (tsr_project_merge (a, plan, NULL, &_error));
  {
    g_autoptr(GObject) found = G_OBJECT (tsr_project_find_document (a, "Interview B1"));
    g_assert_nonnull (found);
  }

  after = file_checksum (sent);
  g_assert_cmpstr (before, ==, after);
  {
    g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
    const char *name;
    guint n = 0;

    while ((name = g_dir_read_name (dir)) != NULL)
      n++;
    g_assert_cmpuint (n, ==, 1);   /* no -wal or -shm left beside it */
  }
  tsr_project_close (a, NULL);
}

static void
assert_refused (TsrProject *a,
                const char *path,
                gint        code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrMergePlan) plan = tsr_project_plan_merge (a, path, NULL, &error);

  g_assert_null (plan);
  g_assert_error (error, TSR_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_bad_files (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = open_project (f->path_a);
  g_autofree char *missing = g_build_filename (f->dir, "missing.tessera", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.tessera", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.tessera", NULL);
  g_autofree char *foreign = g_build_filename (f->dir, "other.db", NULL);
  g_autofree char *before = tables_without_history (a);
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  assert_refused (a, missing, TSR_ERROR_NOT_FOUND);
  assert_refused (a, f->dir, TSR_ERROR_NOT_A_PROJECT);

  g_assert_true (g_file_set_contents (text, "These are notes, not a project.\n", -1, NULL));
  assert_refused (a, text, TSR_ERROR_NOT_A_PROJECT);

  g_assert_cmpint (sqlite3_open (foreign, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "CREATE TABLE t (x); PRAGMA application_id = 42;", NULL, NULL, NULL);
  sqlite3_close (db);
  assert_refused (a, foreign, TSR_ERROR_NOT_A_PROJECT);

  tsr_test_copy_file (f->path_b, newer);
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %u", tsr_project_schema_version () + 1);
    sqlite3_exec (db, sql, NULL, NULL, NULL);
  }
  sqlite3_close (db);
  assert_refused (a, newer, TSR_ERROR_NEWER_VERSION);

  after = tables_without_history (a);
  g_assert_cmpstr (before, ==, after);
  tsr_project_close (a, NULL);
}

/* A document whose text differs under the same UUID cannot take their
 * coding; a document imported separately in both copies (its own UUID,
 * the same text) is one document. */
static void
test_documents_matched_by_content (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = open_project (f->path_a);
  g_autoptr(TsrProject) b = open_project (f->path_b);
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *some = first_code_path (a);
  g_autofree char *text = NULL;
  gint64 doc_a, doc_b;
  sqlite3 *db = NULL;

  set_coder (a, "Coder A");
  set_coder (b, "Coder B");
  doc_a = tsr_project_add_document (a, "Field notes", "Same words in both copies.", NULL, &error);
  doc_b = tsr_project_add_document (b, "Notes from the field", "Same words in both copies.", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_project_add_segment (b, doc_b, code_id (b, some), 0, 10, &error), >, 0);
  add_segment (b, 0, code_id (b, some), 3, 9);
  g_assert_no_error (error);
  assert_ok (tsr_project_close (b, &_error));

  /* Copy B's first essay gets another text under the same UUID. */
  g_assert_cmpint (sqlite3_open (f->path_b, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE document_texts SET text = 'Rewritten.' WHERE document_id ="
                                     " (SELECT id FROM documents ORDER BY position LIMIT 1);"
                                     "UPDATE documents SET content_hash = 'changed' WHERE id ="
                                     " (SELECT id FROM documents ORDER BY position LIMIT 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD), ==, 0);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DOCUMENTS, TSR_MERGE_SKIP), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_SEGMENTS, TSR_MERGE_ADD), ==, 1);
  text = tsr_merge_plan_format (plan);
  g_assert_nonnull (strstr (text, "has the same text as “Field notes” here"));
  g_assert_nonnull (strstr (text, "has a different text in “copy-b.tessera”"));

  assert_ok (tsr_project_merge (a, plan, NULL, &_error));
  {
    g_autoptr(GListModel) segments = tsr_project_get_segments (a, doc_a);
    g_autoptr(TsrDocument) first = nth_document (a, 0);
    g_autoptr(GListModel) first_segments = tsr_project_get_segments (a, tsr_test_id_of (first));

    g_assert_cmpuint (g_list_model_get_n_items (segments), ==, 1);
    for (guint i = 0; i < g_list_model_get_n_items (first_segments); i++)
      {
        g_autoptr(TsrSegment) s = g_list_model_get_item (first_segments, i);
        g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (a, tsr_segment_get_coder_id (s));
        g_assert_cmpstr (tsr_coder_get_name (coder), !=, "Coder B");
      }
  }
  tsr_project_close (a, NULL);
}

static void
test_stale_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  guint history;

  code_copy_b (f->path_b);
  a = open_project (f->path_a);
  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);

  /* Coder B's new document arrives in A another way meanwhile. */
  {
    g_autoptr(TsrProject) b = open_project (f->path_b);
    g_autoptr(TsrDocument) d = tsr_project_find_document (b, "Interview B1");
    g_autofree char *text = tsr_project_get_document_text (b, tsr_test_id_of (d), &error);

    g_assert_no_error (error);
    tsr_project_close (b, NULL);
    g_assert_cmpint (tsr_project_add_document (a, "Interview B1 (mine)", text, NULL, &error), >, 0);
  }
  history = history_length (a);
  g_assert_false (tsr_project_merge (a, plan, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_assert_cmpuint (history_length (a), ==, history);
  tsr_project_close (a, NULL);
}

/* Decisions on disagreements travel with the coding they were made on. */
static void
test_resolutions_merged (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) b = open_project (f->path_b);
  g_autoptr(TsrProject) a = NULL;
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) coders = tsr_project_get_coders (b);
  g_autoptr(TsrCoder) dana = tsr_project_find_coder (b, "Dana Whitfield");
  g_autoptr(TsrCoder) rafael = tsr_project_find_coder (b, "Rafael Ortiz");
  g_autoptr(GListModel) list = NULL;
  g_autoptr(TsrDisagreement) d = NULL;
  guint resolved = 0;

  g_assert_nonnull (dana);
  g_assert_nonnull (rafael);
  /* The demo comes reconciled: Rafael codes one more passage of the
   * first essay in copy B, a disagreement only B has, resolved there. */
  {
    g_autoptr(GListModel) docs = tsr_project_get_documents (b);
    g_autoptr(TsrDocument) first = g_list_model_get_item (docs, 0);
    g_autoptr(TsrCode) code = tsr_project_find_code (b, "Standing together/Across roles and ranks");

    g_assert_cmpint (tsr_project_add_segment_for_coder (b, tsr_test_id_of (first), tsr_test_id_of (code), tsr_test_id_of (rafael),
                                                        0, 9, &error), >, 0);
    g_assert_no_error (error);
  }
  list = tsr_project_list_disagreements (b, tsr_test_id_of (dana), tsr_test_id_of (rafael), 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list) && d == NULL; i++)
    {
      g_autoptr(TsrDisagreement) x = g_list_model_get_item (list, i);

      if (tsr_disagreement_get_resolution (x) == TSR_RESOLUTION_NONE)
        d = g_steal_pointer (&x);
    }
  g_assert_nonnull (d);
  g_assert_cmpuint (tsr_disagreement_get_start (d), ==, 0);
  assert_ok (tsr_project_resolve_disagreement (b, d, TSR_RESOLUTION_ACCEPT_B, &_error));
  tsr_project_close (b, NULL);

  a = open_project (f->path_a);
  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_RESOLUTIONS, TSR_MERGE_ADD), ==, 1);
  assert_ok (tsr_project_merge (a, plan, NULL, &_error));

  g_clear_object (&list);
  {
    g_autoptr(TsrCoder) dana_a = tsr_project_find_coder (a, "Dana Whitfield");
    g_autoptr(TsrCoder) rafael_a = tsr_project_find_coder (a, "Rafael Ortiz");

    list = tsr_project_list_disagreements (a, tsr_test_id_of (rafael_a), tsr_test_id_of (dana_a), 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
  }
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TsrDisagreement) x = g_list_model_get_item (list, i);

      if (tsr_disagreement_get_resolution (x) != TSR_RESOLUTION_NONE)
        resolved++;
      /* Seen from Rafael's side, "accept Rafael" is accept A. */
      if (tsr_disagreement_get_start (x) == 0)
        g_assert_cmpint (tsr_disagreement_get_resolution (x), ==, TSR_RESOLUTION_ACCEPT_A);
    }
  /* The demo's 26 and the one from B. */
  g_assert_cmpuint (resolved, ==, 27);
  tsr_project_close (a, NULL);
}

/* Which documents a coder marked done travels with their coding: marks
 * only add up, a mark both copies hold is matched, and undoing the merge
 * takes the new ones away. */
static void
test_done_merged (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = open_project (f->path_a);
  g_autoptr(TsrProject) b = open_project (f->path_b);
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) docs_a = tsr_project_get_documents (a);
  g_autoptr(GListModel) docs_b = tsr_project_get_documents (b);
  g_autoptr(TsrCoder) dana_a = tsr_project_find_coder (a, "Dana Whitfield");
  g_autoptr(TsrCoder) dana_b = tsr_project_find_coder (b, "Dana Whitfield");
  g_autoptr(TsrCoder) rafael_a = tsr_project_find_coder (a, "Rafael Ortiz");
  g_autoptr(TsrDocument) first_b = g_list_model_get_item (docs_b, 0);
  g_autoptr(TsrDocument) second_b = g_list_model_get_item (docs_b, 1);
  g_autoptr(TsrDocument) first_a = g_list_model_get_item (docs_a, 0);
  g_autoptr(TsrDocument) second_a = g_list_model_get_item (docs_a, 1);
  g_autoptr(TsrDocument) third_a = g_list_model_get_item (docs_a, 2);
  g_autoptr(GArray) done = NULL;
  gint64 in_b[2] = { tsr_test_id_of (first_b), tsr_test_id_of (second_b) };

  /* B: Dana finished the first two essays.  A: Dana the first, Rafael
   * the third. */
  assert_ok (tsr_project_set_documents_done (b, tsr_test_id_of (dana_b), in_b, 2, TRUE, &_error));
  tsr_project_close (b, NULL);
  {
    gint64 first = tsr_test_id_of (first_a), third = tsr_test_id_of (third_a);

    assert_ok (tsr_project_set_documents_done (a, tsr_test_id_of (dana_a), &first, 1, TRUE, &_error));
    assert_ok (tsr_project_set_documents_done (a, tsr_test_id_of (rafael_a), &third, 1, TRUE, &_error));
  }

  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DONE, TSR_MERGE_ADD), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_DONE, TSR_MERGE_MATCH), ==, 1);
  {
    g_autofree char *text = tsr_merge_plan_format (plan);
    g_assert_nonnull (strstr (text, "Documents marked done"));
  }
  assert_ok (tsr_project_merge (a, plan, NULL, &_error));

  done = tsr_project_get_done_documents (a, tsr_test_id_of (dana_a));
  g_assert_cmpuint (done->len, ==, 2);
  g_assert_cmpint (g_array_index (done, gint64, 1), ==, tsr_test_id_of (second_a));
  g_assert_true (tsr_project_get_document_done (a, tsr_test_id_of (third_a), tsr_test_id_of (rafael_a)));

  assert_ok (tsr_project_undo (a, &_error));
  g_assert_false (tsr_project_get_document_done (a, tsr_test_id_of (second_a), tsr_test_id_of (dana_a)));
  g_assert_true (tsr_project_get_document_done (a, tsr_test_id_of (first_a), tsr_test_id_of (dana_a)));
  tsr_project_close (a, NULL);
}

/* The same journal entry, edited differently in the two copies: both
 * texts are kept, once. */
static void
test_journal_edited_in_both (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrProject) a = open_project (f->path_a);
  g_autoptr(TsrProject) b = open_project (f->path_b);
  g_autoptr(TsrMergePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) journal_a = tsr_project_get_journal (a);
  g_autoptr(GListModel) journal_b = tsr_project_get_journal (b);
  g_autoptr(TsrMemo) entry_a = g_list_model_get_item (journal_a, 0);
  g_autoptr(TsrMemo) entry_b = g_list_model_get_item (journal_b, 0);
  g_autofree char *expected = NULL;
  gint64 id = tsr_test_id_of (entry_a);

  g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (entry_a)), ==, tsr_entity_get_uuid (TSR_ENTITY (entry_b)));
  assert_ok (tsr_project_edit_journal_entry (a, id, tsr_memo_get_date (entry_a), "A's version of the day.", &_error));
  assert_ok (tsr_project_edit_journal_entry (b, tsr_test_id_of (entry_b), tsr_memo_get_date (entry_b), "B's version.", &_error));
  assert_ok (tsr_project_close (b, &_error));

  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_JOURNAL, TSR_MERGE_CONFLICT), ==, 1);
  g_assert_cmpuint (tsr_merge_plan_count (plan, TSR_MERGE_JOURNAL, TSR_MERGE_ADD), ==, 0);
  assert_ok (tsr_project_merge (a, plan, NULL, &_error));
  {
    g_autoptr(GListModel) journal = tsr_project_get_journal (a);
    g_autoptr(TsrMemo) merged = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (journal); i++)
      {
        g_autoptr(TsrMemo) m = g_list_model_get_item (journal, i);
        if (tsr_test_id_of (m) == id)
          merged = g_object_ref (m);
      }
    g_assert_nonnull (merged);
    g_assert_cmpstr (tsr_memo_get_text (merged), ==, "A's version of the day.\n\nFrom “copy-b.tessera”:\nB's version.");
  }

  g_clear_pointer (&plan, tsr_merge_plan_unref);
  plan = tsr_project_plan_merge (a, f->path_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_merge_plan_is_empty (plan));
  tsr_project_close (a, NULL);
}

/* The command line: merge with --dry-run writes nothing. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  const char *cli = g_getenv ("TESSERA_CLI");
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "TESSERA_CODER", "Coder A", TRUE);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  code_copy_b (f->path_b);
  {
    g_autoptr(TsrProject) a = open_project (f->path_a);
    before = tables_without_history (a);
    tsr_project_close (a, NULL);
  }

  {
    const char *argv[] = { cli, "merge", f->path_a, f->path_b, "--dry-run", NULL };

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "New document “Interview B1”"));
    g_assert_nonnull (strstr (out, "Nothing was written"));
  }
  {
    g_autoptr(TsrProject) a = open_project (f->path_a);
    after = tables_without_history (a);
    tsr_project_close (a, NULL);
  }
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    const char *argv[] = { cli, "merge", f->path_a, f->path_b, NULL };

    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Merged."));
  }
  {
    g_autoptr(TsrProject) a = open_project (f->path_a);
    g_autofree char *label = tsr_project_get_undo_label (a);
    g_autoptr(GObject) found = G_OBJECT (tsr_project_find_document (a, "Interview B1"));

    g_assert_nonnull (found);
    g_assert_cmpstr (label, ==, "Merge “Encouragement ceremonies (demo)”");
    tsr_project_close (a, NULL);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A file that is not a project: a clear message, exit status 1. */
  {
    g_autofree char *text = g_build_filename (f->dir, "notes.txt", NULL);
    const char *argv[] = { cli, "merge", f->path_a, text, NULL };

    g_assert_true (g_file_set_contents (text, "notes", -1, NULL));
    g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "is not a Tessera project"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/merge/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("union", test_union);
  ADD ("undo-restores", test_undo_restores);
  ADD ("read-only-other", test_read_only_other);
  ADD ("bad-files", test_bad_files);
  ADD ("documents-matched-by-content", test_documents_matched_by_content);
  ADD ("stale-preview", test_stale_preview);
  ADD ("resolutions", test_resolutions_merged);
  ADD ("done", test_done_merged);
  ADD ("journal-edited-in-both", test_journal_edited_in_both);
  ADD ("cli", test_cli);
#undef ADD

  return g_test_run ();
}
