/* test-json.c — the whole project as JSON and back
 *
 * The round trip is checked three ways: the export of the imported
 * project is the same text as the original's export; every entity field
 * read through the public API is equal in both projects; and the imported
 * project can undo and redo, which needs the history's changesets
 * (BLOBs) intact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tessera.h"
#include "tsr-test-utils.h"
#include "tsr-database-private.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *project;
} Fixture;

/* Helpers ------------------------------------------------------------ */

static char *
fixture_file (Fixture    *f,
              const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

#define assert_ok(expr)                             \
  G_STMT_START {                                    \
    g_autoptr(GError) _error = NULL;                \
    gboolean _ok = (expr);                          \
    g_assert_no_error (_error);                     \
    g_assert_true (_ok);                            \
  } G_STMT_END

static gint64
assert_id (gint64  id,
           GError *error)
{
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Builds a project with at least one row in every table, and values that
 * are easy to lose: non-ASCII text, line ends, NULL parents, doubles that
 * are not short decimals, a negative coordinate, undone and discarded
 * history entries. */
static TsrProject *
build_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) p = NULL;
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ben = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  gint64 doc1, doc2, doc3, support, peers, nurses, compassion, temp;
  gint64 seg1, seg2, seg3, seg4, solidarity, together, kindness, journal1;
  gint64 dyad1, dyad2, role, years, score, consent, interviewed, site;
  gboolean ok;

  p = tsr_project_create (path, &error);
  g_assert_no_error (error);

  ada = tsr_project_ensure_coder (p, "Ada Lovelace", &error);
  g_assert_no_error (error);
  ben = tsr_project_ensure_coder (p, "Bén Ñúñez", &error);
  g_assert_no_error (error);
  consensus = tsr_project_get_consensus_coder (p, &error);
  g_assert_no_error (error);
  ok = tsr_project_set_current_coder (p, tsr_test_id_of (ada), &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = tsr_project_set_title (p, "Ceremonies — “round trip” ✓", &error) &&
       tsr_project_set_description (p, "Two lines\nof description\twith a tab", &error);
  g_assert_no_error (error);

  doc1 = assert_id (tsr_project_add_document (p, "Essay 01", "Nurse 😀 said: café\nSecond line é.",
                                              "/data/essay01.txt", &error), error);
  doc2 = assert_id (tsr_project_add_document (p, "Essay 02", "Pharmacist e\xcc\x81 wrote\nthis.",
                                              "/data/essay02.md", &error), error);
  doc3 = assert_id (tsr_project_add_document (p, "Interview", "Q: Why?\nA: Because.", "", &error),
                    error);
  ok = tsr_project_set_document_read (p, doc1, TRUE, &error);
  g_assert_no_error (error);

  support = assert_id (tsr_project_create_code (p, 0, "Support", "#123456", "Help given", &error), error);
  peers = assert_id (tsr_project_create_code (p, support, "Peers", NULL, "", &error), error);
  nurses = assert_id (tsr_project_create_code (p, peers, "Nurses", "#abcdef",
                                               "Multi\nline definition", &error), error);
  compassion = assert_id (tsr_project_create_code (p, 0, "Compassion", NULL, NULL, &error), error);

  seg1 = assert_id (tsr_project_add_segment (p, doc1, nurses, 0, 5, &error), error);
  seg2 = assert_id (tsr_project_add_segment (p, doc1, compassion, 6, 7, &error), error);
  seg3 = assert_id (tsr_project_add_segment_for_coder (p, doc2, peers, tsr_test_id_of (ben), 11, 13, &error),
                    error);
  seg4 = assert_id (tsr_project_add_segment_for_coder (p, doc3, compassion, tsr_test_id_of (consensus), 0, 7,
                                                       &error), error);
  ok = tsr_project_set_segment_exemplar (p, seg1, TRUE, &error) &&
       tsr_project_resize_segment (p, seg2, 6, 8, &error);
  g_assert_no_error (error);

  /* A reconciled disagreement: Bén coded less of "Compassion" in Essay 01
   * than Ada; the consensus takes Ada's span. */
  assert_id (tsr_project_add_segment_for_coder (p, doc1, compassion, tsr_test_id_of (ben), 6, 7, &error), error);
  {
    g_autoptr(GListModel) disagreements = tsr_project_list_disagreements (p, tsr_test_id_of (ada), tsr_test_id_of (ben), compassion,
                                                                          TSR_AGREEMENT_DEFAULT, NULL, &error);
    g_autoptr(TsrDisagreement) d = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (disagreements), ==, 1);
    d = g_list_model_get_item (disagreements, 0);
    ok = tsr_project_resolve_disagreement (p, d, TSR_RESOLUTION_ACCEPT_A, &error);
    g_assert_no_error (error);
  }

  /* Both finished Essay 01; Bén also Essay 02. */
  {
    gint64 both[] = { doc1, doc2 };

    ok = tsr_project_set_documents_done (p, 0, both, 1, TRUE, &error) &&
         tsr_project_set_documents_done (p, tsr_test_id_of (ben), both, 2, TRUE, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }

  solidarity = assert_id (tsr_project_create_theme (p, 0, "Solidarity", &error), error);
  together = assert_id (tsr_project_create_theme (p, solidarity, "Togetherness", &error), error);
  kindness = assert_id (tsr_project_create_theme (p, 0, "Kindness", &error), error);
  ok = tsr_project_set_theme_field (p, solidarity, TSR_THEME_FIELD_DEFINITION, "Standing together", &error) &&
       tsr_project_set_theme_field (p, solidarity, TSR_THEME_FIELD_SCOPE_NOTES, "Not: pity", &error) &&
       tsr_project_set_theme_field (p, together, TSR_THEME_FIELD_NARRATIVE, "Long\nnarrative", &error) &&
       tsr_project_set_theme_status (p, solidarity, TSR_THEME_FINAL, &error) &&
       tsr_project_set_theme_status (p, kindness, TSR_THEME_DISCARDED, &error) &&
       tsr_project_add_code_to_theme (p, solidarity, support, &error) &&
       tsr_project_add_code_to_theme (p, together, peers, &error) &&
       tsr_project_add_code_to_theme (p, kindness, compassion, &error) &&
       tsr_project_add_code_to_theme (p, solidarity, compassion, &error);
  g_assert_no_error (error);

  ok = tsr_project_set_memo (p, TSR_MEMO_DOCUMENT, doc1, "First impressions: warm.", &error) &&
       tsr_project_set_memo (p, TSR_MEMO_SEGMENT, seg1, "Good quote", &error) &&
       tsr_project_set_memo (p, TSR_MEMO_CODE, nurses, "Only nurses", &error) &&
       tsr_project_set_memo (p, TSR_MEMO_THEME, solidarity, "Central theme", &error);
  g_assert_no_error (error);
  journal1 = assert_id (tsr_project_add_journal_entry (p, "2024-03-01", "Started reading.", &error),
                        error);
  assert_id (tsr_project_add_journal_entry (p, "2024-03-02", "Reflexive note ✍", &error), error);
  ok = tsr_project_edit_journal_entry (p, journal1, "2024-02-29", "Started reading, leap day.", &error);
  g_assert_no_error (error);

  dyad1 = assert_id (tsr_project_create_case (p, "Dyad 1", &error), error);
  dyad2 = assert_id (tsr_project_create_case (p, "Dyad 2", &error), error);
  ok = tsr_project_set_case_membership (p, dyad1, doc1, TRUE, &error) &&
       tsr_project_set_case_membership (p, dyad1, doc2, TRUE, &error) &&
       tsr_project_set_case_membership (p, dyad2, doc3, TRUE, &error);
  g_assert_no_error (error);

  role = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "role",
                                                  TSR_ATTRIBUTE_TEXT, &error), error);
  years = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "years",
                                                   TSR_ATTRIBUTE_INTEGER, &error), error);
  score = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "score",
                                                   TSR_ATTRIBUTE_REAL, &error), error);
  consent = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "consent",
                                                     TSR_ATTRIBUTE_BOOLEAN, &error), error);
  interviewed = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "interviewed",
                                                         TSR_ATTRIBUTE_DATE, &error), error);
  site = assert_id (tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_CASES, "site",
                                                  TSR_ATTRIBUTE_TEXT, &error), error);
  ok = tsr_project_set_attribute_value (p, role, doc1, "nurse", &error) &&
       tsr_project_set_attribute_value (p, role, doc2, "pharmacist", &error) &&
       tsr_project_set_attribute_value (p, years, doc1, "12", &error) &&
       tsr_project_set_attribute_value (p, score, doc1, "3.25", &error) &&
       tsr_project_set_attribute_value (p, consent, doc2, "true", &error) &&
       tsr_project_set_attribute_value (p, interviewed, doc3, "2023-11-05", &error) &&
       tsr_project_set_attribute_value (p, site, dyad1, "Tromsø", &error);
  g_assert_no_error (error);

  ok = tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, solidarity, 0.1, -240.5, &error) &&
       tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, together, 1.0 / 3.0, 1e-7, &error) &&
       tsr_project_set_map_position (p, TSR_MAP_ITEM_CODE, nurses, 300.0, 12345.678901234567, &error);
  g_assert_no_error (error);
  assert_id (tsr_project_add_map_link (p, solidarity, kindness, "contrasts with", &error), error);

  /* A group, an undone edit that a later edit discarded, and an undone
   * edit still waiting to be redone. */
  tsr_project_begin_group (p, "Rename two codes");
  ok = tsr_project_rename_code (p, compassion, "Compassion & care", &error) &&
       tsr_project_set_code_color (p, peers, "#00ff7f", &error);
  g_assert_no_error (error);
  ok = tsr_project_end_group (p, &error);
  g_assert_no_error (error);
  temp = assert_id (tsr_project_create_code (p, 0, "Discarded idea", NULL, NULL, &error), error);
  ok = tsr_project_undo (p, &error);
  g_assert_no_error (error);
  assert_id (tsr_project_create_code (p, 0, "Kept idea", NULL, NULL, &error), error);
  assert_id (tsr_project_create_code (p, 0, "Undone idea", NULL, NULL, &error), error);
  ok = tsr_project_undo (p, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (tsr_project_can_redo (p));
  (void) temp;
  (void) seg3;
  (void) seg4;

  return g_steal_pointer (&p);
}

static char *
export_to_string (TsrProject *project)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = tsr_project_export_json (project, stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_output_stream_close (stream, NULL, NULL);

  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)));
}

static TsrProject *
import_from_string (const char  *path,
                    const char  *json,
                    gssize       length,
                    GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (length < 0)
    length = strlen (json);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (json, length), length, g_free);

  return tsr_project_import_json (path, stream, NULL, error);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
generate (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tessera-json-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = fixture_file (f, "original.tessera");
  f->project = build_project (f->path);
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

/* Comparing two projects through the public API ---------------------- */

static void
compare_documents (TsrProject *a,
                   TsrProject *b)
{
  g_autoptr(GListModel) la = tsr_project_get_documents (a);
  g_autoptr(GListModel) lb = tsr_project_get_documents (b);
  guint n = g_list_model_get_n_items (la);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (lb), ==, n);
  g_assert_cmpuint (tsr_project_get_n_documents (b), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrDocument) da = g_list_model_get_item (la, i);
      g_autoptr(TsrDocument) db = g_list_model_get_item (lb, i);
      g_autofree char *ta = tsr_project_get_document_text (a, tsr_test_id_of (da), NULL);
      g_autofree char *tb = tsr_project_get_document_text (b, tsr_test_id_of (db), NULL);
      g_autofree char *ma = tsr_project_get_memo (a, TSR_MEMO_DOCUMENT, tsr_test_id_of (da));
      g_autofree char *mb = tsr_project_get_memo (b, TSR_MEMO_DOCUMENT, tsr_test_id_of (db));

      g_assert_cmpint (tsr_test_id_of (da), ==, tsr_test_id_of (db));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (da)), ==, tsr_entity_get_uuid (TSR_ENTITY (db)));
      g_assert_cmpstr (tsr_document_get_name (da), ==, tsr_document_get_name (db));
      g_assert_cmpstr (tsr_document_get_source (da), ==, tsr_document_get_source (db));
      g_assert_cmpstr (tsr_document_get_content_hash (da), ==, tsr_document_get_content_hash (db));
      g_assert_cmpint (tsr_document_get_read (da), ==, tsr_document_get_read (db));
      g_assert_cmpuint (tsr_document_get_length (da), ==, tsr_document_get_length (db));
      g_assert_cmpint (tsr_document_get_created (da), ==, tsr_document_get_created (db));
      g_assert_nonnull (ta);
      g_assert_cmpstr (ta, ==, tb);
      g_assert_cmpstr (ma, ==, mb);
    }
}

static void
compare_segments (TsrProject *a,
                  TsrProject *b,
                  gint64      document_id)
{
  g_autoptr(GListModel) la = tsr_project_get_segments (a, document_id);
  g_autoptr(GListModel) lb = tsr_project_get_segments (b, document_id);
  guint n = g_list_model_get_n_items (la);

  g_assert_cmpuint (g_list_model_get_n_items (lb), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrSegment) sa = g_list_model_get_item (la, i);
      g_autoptr(TsrSegment) sb = g_list_model_get_item (lb, i);
      g_autofree char *ma = tsr_project_get_memo (a, TSR_MEMO_SEGMENT, tsr_test_id_of (sa));
      g_autofree char *mb = tsr_project_get_memo (b, TSR_MEMO_SEGMENT, tsr_test_id_of (sb));

      g_assert_cmpint (tsr_test_id_of (sa), ==, tsr_test_id_of (sb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (sa)), ==, tsr_entity_get_uuid (TSR_ENTITY (sb)));
      g_assert_cmpint (tsr_segment_get_document_id (sa), ==, tsr_segment_get_document_id (sb));
      g_assert_cmpint (tsr_segment_get_code_id (sa), ==, tsr_segment_get_code_id (sb));
      g_assert_cmpint (tsr_segment_get_coder_id (sa), ==, tsr_segment_get_coder_id (sb));
      g_assert_cmpuint (tsr_segment_get_start (sa), ==, tsr_segment_get_start (sb));
      g_assert_cmpuint (tsr_segment_get_end (sa), ==, tsr_segment_get_end (sb));
      g_assert_cmpstr (tsr_segment_get_text (sa), ==, tsr_segment_get_text (sb));
      g_assert_cmpint (tsr_segment_get_exemplar (sa), ==, tsr_segment_get_exemplar (sb));
      g_assert_cmpint (tsr_segment_get_created (sa), ==, tsr_segment_get_created (sb));
      g_assert_cmpstr (ma, ==, mb);
    }
}

static void
compare_coders (TsrProject *a,
                TsrProject *b)
{
  g_autoptr(GListModel) la = tsr_project_get_coders (a);
  g_autoptr(GListModel) lb = tsr_project_get_coders (b);
  guint n = g_list_model_get_n_items (la);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (lb), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrCoder) ca = g_list_model_get_item (la, i);
      g_autoptr(TsrCoder) cb = g_list_model_get_item (lb, i);

      g_assert_cmpint (tsr_test_id_of (ca), ==, tsr_test_id_of (cb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ca)), ==, tsr_entity_get_uuid (TSR_ENTITY (cb)));
      g_assert_cmpstr (tsr_coder_get_name (ca), ==, tsr_coder_get_name (cb));
      g_assert_cmpint (tsr_coder_get_is_consensus (ca), ==, tsr_coder_get_is_consensus (cb));
    }
}

static void
compare_codes (TsrProject *a,
               TsrProject *b)
{
  g_autoptr(GPtrArray) la = tsr_project_list_all_codes (a);
  g_autoptr(GPtrArray) lb = tsr_project_list_all_codes (b);

  g_assert_cmpuint (la->len, ==, 5);
  g_assert_cmpuint (lb->len, ==, la->len);
  for (guint i = 0; i < la->len; i++)
    {
      TsrCode *ca = la->pdata[i];
      TsrCode *cb = lb->pdata[i];
      g_autofree char *pa = tsr_project_get_code_path (a, tsr_test_id_of (ca));
      g_autofree char *pb = tsr_project_get_code_path (b, tsr_test_id_of (cb));
      g_autofree char *ma = tsr_project_get_memo (a, TSR_MEMO_CODE, tsr_test_id_of (ca));
      g_autofree char *mb = tsr_project_get_memo (b, TSR_MEMO_CODE, tsr_test_id_of (cb));
      double xa = -1, ya = -1, xb = -2, yb = -2;
      gboolean ha, hb;

      g_assert_cmpint (tsr_test_id_of (ca), ==, tsr_test_id_of (cb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ca)), ==, tsr_entity_get_uuid (TSR_ENTITY (cb)));
      g_assert_cmpint (tsr_code_get_parent_id (ca), ==, tsr_code_get_parent_id (cb));
      g_assert_cmpstr (tsr_code_get_name (ca), ==, tsr_code_get_name (cb));
      g_assert_cmpstr (tsr_code_get_color (ca), ==, tsr_code_get_color (cb));
      g_assert_cmpstr (tsr_code_get_definition (ca), ==, tsr_code_get_definition (cb));
      g_assert_cmpint (tsr_code_get_position (ca), ==, tsr_code_get_position (cb));
      g_assert_cmpuint (tsr_code_get_n_children (ca), ==, tsr_code_get_n_children (cb));
      g_assert_cmpstr (pa, ==, pb);
      g_assert_cmpstr (ma, ==, mb);

      ha = tsr_project_get_map_position (a, TSR_MAP_ITEM_CODE, tsr_test_id_of (ca), &xa, &ya);
      hb = tsr_project_get_map_position (b, TSR_MAP_ITEM_CODE, tsr_test_id_of (cb), &xb, &yb);
      g_assert_cmpint (ha, ==, hb);
      if (ha)
        {
          /* Bit for bit, not within a tolerance. */
          g_assert_true (xa == xb);
          g_assert_true (ya == yb);
        }
    }
}

static void
compare_themes (TsrProject *a,
                TsrProject *b)
{
  g_autoptr(GPtrArray) la = tsr_project_list_all_themes (a);
  g_autoptr(GPtrArray) lb = tsr_project_list_all_themes (b);

  g_assert_cmpuint (la->len, ==, 3);
  g_assert_cmpuint (lb->len, ==, la->len);
  for (guint i = 0; i < la->len; i++)
    {
      TsrTheme *ta = la->pdata[i];
      TsrTheme *tb = lb->pdata[i];
      g_autoptr(GArray) codes_a = tsr_project_get_theme_codes (a, tsr_test_id_of (ta));
      g_autoptr(GArray) codes_b = tsr_project_get_theme_codes (b, tsr_test_id_of (tb));
      g_autofree char *ma = tsr_project_get_memo (a, TSR_MEMO_THEME, tsr_test_id_of (ta));
      g_autofree char *mb = tsr_project_get_memo (b, TSR_MEMO_THEME, tsr_test_id_of (tb));
      double xa = -1, ya = -1, xb = -2, yb = -2;
      gboolean ha, hb;

      g_assert_cmpint (tsr_test_id_of (ta), ==, tsr_test_id_of (tb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ta)), ==, tsr_entity_get_uuid (TSR_ENTITY (tb)));
      g_assert_cmpint (tsr_theme_get_parent_id (ta), ==, tsr_theme_get_parent_id (tb));
      g_assert_cmpstr (tsr_theme_get_name (ta), ==, tsr_theme_get_name (tb));
      for (TsrThemeField field = TSR_THEME_FIELD_DEFINITION; field <= TSR_THEME_FIELD_NARRATIVE; field++)
        g_assert_cmpstr (tsr_theme_get_field (ta, field), ==, tsr_theme_get_field (tb, field));
      g_assert_cmpint (tsr_theme_get_status (ta), ==, tsr_theme_get_status (tb));
      g_assert_cmpint (tsr_theme_get_position (ta), ==, tsr_theme_get_position (tb));
      g_assert_cmpmem (codes_a->data, codes_a->len * sizeof (gint64),
                       codes_b->data, codes_b->len * sizeof (gint64));
      g_assert_cmpstr (ma, ==, mb);

      ha = tsr_project_get_map_position (a, TSR_MAP_ITEM_THEME, tsr_test_id_of (ta), &xa, &ya);
      hb = tsr_project_get_map_position (b, TSR_MAP_ITEM_THEME, tsr_test_id_of (tb), &xb, &yb);
      g_assert_cmpint (ha, ==, hb);
      if (ha)
        {
          g_assert_true (xa == xb);
          g_assert_true (ya == yb);
        }
    }
}

static void
compare_journal (TsrProject *a,
                 TsrProject *b)
{
  g_autoptr(GListModel) la = tsr_project_get_journal (a);
  g_autoptr(GListModel) lb = tsr_project_get_journal (b);
  guint n = g_list_model_get_n_items (la);

  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (lb), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrMemo) ma = g_list_model_get_item (la, i);
      g_autoptr(TsrMemo) mb = g_list_model_get_item (lb, i);

      g_assert_cmpint (tsr_test_id_of (ma), ==, tsr_test_id_of (mb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ma)), ==, tsr_entity_get_uuid (TSR_ENTITY (mb)));
      g_assert_cmpint (tsr_memo_get_kind (ma), ==, tsr_memo_get_kind (mb));
      g_assert_cmpint (tsr_memo_get_target_id (ma), ==, tsr_memo_get_target_id (mb));
      g_assert_cmpint (tsr_memo_get_coder_id (ma), ==, tsr_memo_get_coder_id (mb));
      g_assert_cmpstr (tsr_memo_get_date (ma), ==, tsr_memo_get_date (mb));
      g_assert_cmpstr (tsr_memo_get_text (ma), ==, tsr_memo_get_text (mb));
      g_assert_cmpint (tsr_memo_get_modified (ma), ==, tsr_memo_get_modified (mb));
    }
}

static void
compare_cases_and_attributes (TsrProject *a,
                              TsrProject *b)
{
  g_autoptr(GListModel) ca = tsr_project_get_cases (a);
  g_autoptr(GListModel) cb = tsr_project_get_cases (b);
  g_autoptr(GListModel) aa = tsr_project_get_attributes (a);
  g_autoptr(GListModel) ab = tsr_project_get_attributes (b);
  g_autoptr(GListModel) docs = tsr_project_get_documents (a);
  guint n_cases = g_list_model_get_n_items (ca);
  guint n_attributes = g_list_model_get_n_items (aa);
  guint n_values = 0;

  g_assert_cmpuint (n_cases, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (cb), ==, n_cases);
  for (guint i = 0; i < n_cases; i++)
    {
      g_autoptr(TsrCase) xa = g_list_model_get_item (ca, i);
      g_autoptr(TsrCase) xb = g_list_model_get_item (cb, i);
      g_autoptr(GArray) da = tsr_project_get_case_documents (a, tsr_test_id_of (xa));
      g_autoptr(GArray) db = tsr_project_get_case_documents (b, tsr_test_id_of (xb));

      g_assert_cmpint (tsr_test_id_of (xa), ==, tsr_test_id_of (xb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (xa)), ==, tsr_entity_get_uuid (TSR_ENTITY (xb)));
      g_assert_cmpstr (tsr_case_get_name (xa), ==, tsr_case_get_name (xb));
      g_assert_cmpstr (tsr_case_get_description (xa), ==, tsr_case_get_description (xb));
      g_assert_cmpuint (da->len, >, 0);
      g_assert_cmpmem (da->data, da->len * sizeof (gint64), db->data, db->len * sizeof (gint64));
    }

  g_assert_cmpuint (n_attributes, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (ab), ==, n_attributes);
  for (guint i = 0; i < n_attributes; i++)
    {
      g_autoptr(TsrAttribute) xa = g_list_model_get_item (aa, i);
      g_autoptr(TsrAttribute) xb = g_list_model_get_item (ab, i);
      GListModel *targets = tsr_attribute_get_target (xa) == TSR_ATTRIBUTE_ON_CASES ? ca : docs;

      g_assert_cmpint (tsr_test_id_of (xa), ==, tsr_test_id_of (xb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (xa)), ==, tsr_entity_get_uuid (TSR_ENTITY (xb)));
      g_assert_cmpstr (tsr_attribute_get_name (xa), ==, tsr_attribute_get_name (xb));
      g_assert_cmpint (tsr_attribute_get_value_type (xa), ==, tsr_attribute_get_value_type (xb));
      g_assert_cmpint (tsr_attribute_get_target (xa), ==, tsr_attribute_get_target (xb));

      for (guint j = 0; j < g_list_model_get_n_items (targets); j++)
        {
          g_autoptr(TsrEntity) target = g_list_model_get_item (targets, j);
          g_autofree char *va = tsr_project_get_attribute_value (a, tsr_test_id_of (xa), tsr_test_id_of (target));
          g_autofree char *vb = tsr_project_get_attribute_value (b, tsr_test_id_of (xb), tsr_test_id_of (target));

          g_assert_cmpstr (va, ==, vb);
          if (va != NULL && *va != '\0')
            n_values++;
        }
    }
  g_assert_cmpuint (n_values, ==, 7);
}

static void
compare_map_links (TsrProject *a,
                   TsrProject *b)
{
  g_autoptr(GListModel) la = tsr_project_get_map_links (a);
  g_autoptr(GListModel) lb = tsr_project_get_map_links (b);
  guint n = g_list_model_get_n_items (la);

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (lb), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TsrMapLink) ma = g_list_model_get_item (la, i);
      g_autoptr(TsrMapLink) mb = g_list_model_get_item (lb, i);

      g_assert_cmpint (tsr_test_id_of (ma), ==, tsr_test_id_of (mb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ma)), ==, tsr_entity_get_uuid (TSR_ENTITY (mb)));
      g_assert_cmpint (tsr_map_link_get_from_theme (ma), ==, tsr_map_link_get_from_theme (mb));
      g_assert_cmpint (tsr_map_link_get_to_theme (ma), ==, tsr_map_link_get_to_theme (mb));
      g_assert_cmpstr (tsr_map_link_get_label (ma), ==, tsr_map_link_get_label (mb));
    }
}

static void
compare_history (TsrProject *a,
                 TsrProject *b)
{
  g_autoptr(GPtrArray) la = tsr_project_list_history (a, 0);
  g_autoptr(GPtrArray) lb = tsr_project_list_history (b, 0);
  g_autofree char *undo_a = tsr_project_get_undo_label (a);
  g_autofree char *undo_b = tsr_project_get_undo_label (b);
  g_autofree char *redo_a = tsr_project_get_redo_label (a);
  g_autofree char *redo_b = tsr_project_get_redo_label (b);
  guint n_undone = 0;

  g_assert_cmpuint (la->len, >, 40);
  g_assert_cmpuint (lb->len, ==, la->len);
  for (guint i = 0; i < la->len; i++)
    {
      TsrHistoryEntry *ha = la->pdata[i];
      TsrHistoryEntry *hb = lb->pdata[i];

      g_assert_cmpint (tsr_test_id_of (ha), ==, tsr_test_id_of (hb));
      g_assert_cmpstr (tsr_entity_get_uuid (TSR_ENTITY (ha)), ==, tsr_entity_get_uuid (TSR_ENTITY (hb)));
      g_assert_cmpstr (tsr_history_entry_get_kind (ha), ==, tsr_history_entry_get_kind (hb));
      g_assert_cmpstr (tsr_history_entry_get_description (ha), ==, tsr_history_entry_get_description (hb));
      g_assert_cmpstr (tsr_history_entry_get_coder_name (ha), ==, tsr_history_entry_get_coder_name (hb));
      g_assert_cmpint (tsr_history_entry_get_time (ha), ==, tsr_history_entry_get_time (hb));
      g_assert_cmpint (tsr_history_entry_get_undone (ha), ==, tsr_history_entry_get_undone (hb));
      n_undone += tsr_history_entry_get_undone (ha);
    }
  g_assert_cmpuint (n_undone, ==, 2);

  g_assert_cmpint (tsr_project_can_undo (a), ==, tsr_project_can_undo (b));
  g_assert_cmpint (tsr_project_can_redo (a), ==, tsr_project_can_redo (b));
  g_assert_cmpstr (undo_a, ==, undo_b);
  g_assert_cmpstr (redo_a, ==, redo_b);
}

static void
compare_projects (TsrProject *a,
                  TsrProject *b)
{
  g_autoptr(GListModel) docs = tsr_project_get_documents (a);

  g_assert_cmpstr (tsr_project_get_title (a), ==, tsr_project_get_title (b));
  g_assert_cmpstr (tsr_project_get_description (a), ==, tsr_project_get_description (b));

  compare_coders (a, b);
  compare_documents (a, b);
  for (guint i = 0; i < g_list_model_get_n_items (docs); i++)
    {
      g_autoptr(TsrDocument) doc = g_list_model_get_item (docs, i);

      compare_segments (a, b, tsr_test_id_of (doc));
    }
  compare_codes (a, b);
  compare_themes (a, b);
  compare_journal (a, b);
  compare_cases_and_attributes (a, b);
  compare_map_links (a, b);
  compare_history (a, b);
}

/* Tests -------------------------------------------------------------- */

static void
test_every_table_exported (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autoptr(JsonNode) root = parse (json);
  JsonObject *object = json_node_get_object (root);
  JsonObject *tables = json_object_get_object_member (object, "tables");
  const char * const *names = tsr_database_table_names ();
  JsonArray *history;
  guint n_blobs = 0;

  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "tessera-project");
  g_assert_cmpint (json_object_get_int_member (object, "schema_version"), ==,
                   tsr_project_schema_version ());

  /* The fixture fills every table, so nothing is round-tripped by
   * accident of being empty. */
  g_assert_cmpuint (json_object_get_size (tables), ==, g_strv_length ((char **) names));
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonArray *rows = json_object_get_array_member (tables, names[i]);

      if (g_test_verbose ())
        g_test_message ("%s: %u rows", names[i], json_array_get_length (rows));
      g_assert_nonnull (rows);
      g_assert_cmpuint (json_array_get_length (rows), >, 0);
    }

  /* Changesets are BLOBs, written as {"$blob": base64}. */
  history = json_object_get_array_member (tables, "history");
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *row = json_array_get_object_element (history, i);
      JsonNode *changeset = json_object_get_member (row, "changeset");

      if (JSON_NODE_HOLDS_OBJECT (changeset))
        {
          const char *b64 = json_object_get_string_member (json_node_get_object (changeset), "$blob");
          gsize length = 0;
          g_autofree guchar *bytes = g_base64_decode (b64, &length);

          /* An SQLite changeset starts with a table record, 'T'. */
          g_assert_cmpuint (length, >, 0);
          g_assert_cmpint (bytes[0], ==, 'T');
          n_blobs++;
        }
    }
  g_assert_cmpuint (n_blobs, ==, json_array_get_length (history));

  /* Map positions are REALs and stay JSON numbers with a fraction. */
  g_assert_nonnull (strstr (json, "-240.5"));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = export_to_string (f->project);
  g_autofree char *copy_path = fixture_file (f, "copy.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) copy = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) first_node = NULL;
  g_autoptr(JsonNode) second_node = NULL;

  copy = import_from_string (copy_path, first, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpstr (tsr_project_get_path (copy), ==, copy_path);

  second = export_to_string (copy);
  g_assert_cmpstr (first, ==, second);
  first_node = parse (first);
  second_node = parse (second);
  g_assert_true (json_node_equal (first_node, second_node));

  compare_projects (f->project, copy);

  /* Reopened from disk, it is still the same project. */
  assert_ok (tsr_project_close (copy, &_error));
  g_clear_object (&copy);
  copy = tsr_project_open (copy_path, &error);
  g_assert_no_error (error);
  compare_projects (f->project, copy);
  assert_ok (tsr_project_check_integrity (copy, &_error));
  tsr_project_close (copy, NULL);
}

static void
test_undo_after_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autofree char *copy_path = fixture_file (f, "copy.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) copy = NULL;
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(TsrCode) renamed = NULL;
  g_autoptr(TsrCode) original_name = NULL;

  copy = import_from_string (copy_path, json, -1, &error);
  g_assert_no_error (error);

  /* Redo applies a changeset read back from the JSON. */
  g_assert_null (tsr_project_find_code (copy, "Undone idea"));
  assert_ok (tsr_project_redo (copy, &_error));
  code = tsr_project_find_code (copy, "Undone idea");
  g_assert_nonnull (code);

  /* Undo twice: the redone code, then "Kept idea". */
  assert_ok (tsr_project_undo (copy, &_error));
  g_assert_null (tsr_project_find_code (copy, "Undone idea"));
  assert_ok (tsr_project_undo (copy, &_error));
  g_assert_null (tsr_project_find_code (copy, "Kept idea"));

  /* The undone-then-discarded edit is skipped: next is the group. */
  renamed = tsr_project_find_code (copy, "Compassion & care");
  g_assert_nonnull (renamed);
  assert_ok (tsr_project_undo (copy, &_error));
  original_name = tsr_project_find_code (copy, "Compassion");
  g_assert_nonnull (original_name);
  g_assert_cmpint (tsr_test_id_of (original_name), ==, tsr_test_id_of (renamed));

  tsr_project_close (copy, NULL);
}

static void
assert_no_file (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
}

static void
assert_import_fails (Fixture    *f,
                     const char *json,
                     gssize      length,
                     int         code)
{
  g_autofree char *path = fixture_file (f, "failed.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  project = import_from_string (path, json, length, &error);
  g_assert_error (error, TSR_ERROR, code);
  g_assert_null (project);
  if (g_test_verbose ())
    g_test_message ("%s", error->message);
  assert_no_file (path);
}

static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  assert_import_fails (f, "This is an essay, not JSON.\n", -1, TSR_ERROR_CORRUPT);
  assert_import_fails (f, "", -1, TSR_ERROR_NOT_A_PROJECT);
}

static void
test_wrong_format (Fixture       *f,
                   gconstpointer  data)
{
  assert_import_fails (f, "[1, 2, 3]", -1, TSR_ERROR_NOT_A_PROJECT);
  assert_import_fails (f, "{\"tables\": {}}", -1, TSR_ERROR_NOT_A_PROJECT);
  assert_import_fails (f, "{\"format\": \"refi-qda\", \"schema_version\": 1, \"tables\": {}}", -1,
                       TSR_ERROR_NOT_A_PROJECT);
  assert_import_fails (f, "{\"format\": \"tessera-project\", \"tables\": {}}", -1,
                       TSR_ERROR_CORRUPT);
  assert_import_fails (f, "{\"format\": \"tessera-project\", \"schema_version\": 1}", -1,
                       TSR_ERROR_CORRUPT);
}

static void
test_newer_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autoptr(JsonNode) root = parse (json);
  g_autofree char *newer = NULL;
  g_autofree char *path = fixture_file (f, "failed.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  json_object_set_int_member (json_node_get_object (root), "schema_version",
                              tsr_project_schema_version () + 1);
  newer = generate (root);

  project = import_from_string (path, newer, -1, &error);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version of Tessera"));
  assert_no_file (path);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  gsize length = strlen (json);

  assert_import_fails (f, json, length / 2, TSR_ERROR_CORRUPT);
  assert_import_fails (f, json, length - 3, TSR_ERROR_CORRUPT);
}

static void
test_existing_destination (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autofree char *path = fixture_file (f, "precious.tessera");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  g_file_set_contents (path, "do not touch", -1, &error);
  g_assert_no_error (error);

  project = import_from_string (path, json, -1, &error);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
  g_assert_null (project);

  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "do not touch");

  /* The original project itself is refused just the same. */
  g_clear_error (&error);
  project = import_from_string (f->path, json, -1, &error);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
  g_assert_cmpuint (tsr_project_get_n_documents (f->project), ==, 3);
}

/* Edits the export's first row of @table and imports it. */
static void
assert_edited_import_fails (Fixture    *f,
                            const char *table,
                            const char *column,
                            JsonNode   *value,
                            int         code)
{
  g_autofree char *json = export_to_string (f->project);
  g_autoptr(JsonNode) root = parse (json);
  g_autoptr(JsonNode) owned_value = value;
  JsonObject *tables = json_object_get_object_member (json_node_get_object (root), "tables");
  JsonArray *rows = json_object_get_array_member (tables, table);
  g_autofree char *edited = NULL;

  json_object_set_member (json_array_get_object_element (rows, 0), column,
                          json_node_copy (owned_value));
  edited = generate (root);
  assert_import_fails (f, edited, -1, code);
}

static void
test_damaged_content (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autoptr(JsonNode) root = parse (json);
  g_autoptr(JsonNode) dangling = json_node_init_int (json_node_alloc (), 9999);
  g_autofree char *extra_table = NULL;
  JsonObject *tables;

  /* A key is a column name only if the table has that column: nothing
   * from the file reaches the SQL otherwise. */
  assert_edited_import_fails (f, "codes", "name\") VALUES (1); DROP TABLE codes; --",
                              json_node_init_string (json_node_alloc (), "x"),
                              TSR_ERROR_CORRUPT);
  assert_edited_import_fails (f, "codes", "nickname",
                              json_node_init_string (json_node_alloc (), "x"),
                              TSR_ERROR_CORRUPT);
  /* A segment of a document that is not there. */
  assert_edited_import_fails (f, "segments", "document_id", json_node_copy (dangling),
                              TSR_ERROR_CORRUPT);
  /* A value of a kind Tessera never writes. */
  {
    JsonNode *array = json_node_new (JSON_NODE_ARRAY);

    json_node_take_array (array, json_array_new ());
    assert_edited_import_fails (f, "codes", "name", array, TSR_ERROR_CORRUPT);
  }
  /* A row breaking a CHECK constraint. */
  assert_edited_import_fails (f, "segments", "start", json_node_init_int (json_node_alloc (), -4),
                              TSR_ERROR_CORRUPT);
  /* A segment running past its document's end, and a document whose
   * length is not its text's. */
  assert_edited_import_fails (f, "segments", "end", json_node_init_int (json_node_alloc (), 1000000),
                              TSR_ERROR_CORRUPT);
  assert_edited_import_fails (f, "documents", "length", json_node_init_int (json_node_alloc (), 1000000),
                              TSR_ERROR_CORRUPT);

  tables = json_object_get_object_member (json_node_get_object (root), "tables");

  /* Without its title the project would not open again. */
  {
    g_autoptr(JsonNode) copy = json_node_copy (root);
    JsonObject *copy_tables = json_object_get_object_member (json_node_get_object (copy), "tables");
    JsonArray *project_rows = json_object_get_array_member (copy_tables, "project");
    g_autofree char *untitled = NULL;

    for (guint i = json_array_get_length (project_rows); i > 0; i--)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (project_rows, i - 1),
                                                    "key"), "title") == 0)
        json_array_remove_element (project_rows, i - 1);
    untitled = generate (copy);
    assert_import_fails (f, untitled, -1, TSR_ERROR_CORRUPT);
  }

  json_object_set_array_member (tables, "sqlite_master", json_array_new ());
  extra_table = generate (root);
  assert_import_fails (f, extra_table, -1, TSR_ERROR_CORRUPT);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autofree char *path = fixture_file (f, "cancelled.tessera");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (json, -1, NULL);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) project = NULL;

  g_cancellable_cancel (cancellable);

  project = tsr_project_import_json (path, in, cancellable, &error);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
  g_assert_null (project);
  assert_no_file (path);

  g_clear_error (&error);
  g_assert_false (tsr_project_export_json (f->project, out, cancellable, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);

  /* The project is still usable after a cancelled export. */
  g_clear_error (&error);
  tsr_project_create_code (f->project, 0, "After cancel", NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_export_deterministic (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *first = export_to_string (f->project);
  g_autofree char *second = export_to_string (f->project);
  g_autoptr(GError) error = NULL;
  g_autofree char *third = NULL;

  g_assert_cmpstr (first, ==, second);

  /* …and it does see a change. */
  tsr_project_rename_code (f->project, 1, "Support networks", &error);
  g_assert_no_error (error);
  third = export_to_string (f->project);
  g_assert_cmpstr (first, !=, third);
  g_assert_nonnull (strstr (third, "\"Support networks\""));
}

/* The reconciliation decisions come back, and still apply to the
 * disagreements they were made on. */
static void
test_resolutions_round_trip (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autofree char *copy_path = fixture_file (f, "copy.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) copy = import_from_string (copy_path, json, -1, &error);
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ben = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(TsrDisagreement) d = NULL;
  g_autoptr(JsonNode) root = parse (json);
  JsonArray *rows;
  JsonObject *row;

  g_assert_no_error (error);
  rows = json_object_get_array_member (json_object_get_object_member (json_node_get_object (root), "tables"),
                                       "resolutions");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "spans_a"), ==, "6-8");
  g_assert_cmpstr (json_object_get_string_member (row, "spans_b"), ==, "6-7");
  g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "accept_a");

  ada = tsr_project_find_coder (copy, "Ada Lovelace");
  ben = tsr_project_find_coder (copy, "Bén Ñúñez");
  list = tsr_project_list_disagreements (copy, tsr_test_id_of (ada), tsr_test_id_of (ben), 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  d = g_list_model_get_item (list, 1);
  g_assert_cmpint (tsr_disagreement_get_resolution (d), ==, TSR_RESOLUTION_ACCEPT_A);
  tsr_project_close (copy, NULL);
}

/* An export written before reconciliation was stored (project format 1,
 * no resolutions table) imports into this version. */
static void
test_import_format_1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autoptr(JsonNode) root = parse (json);
  g_autofree char *old = NULL;
  g_autofree char *copy_path = fixture_file (f, "old.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) copy = NULL;
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ben = NULL;
  g_autoptr(GListModel) list = NULL;
  JsonObject *object = json_node_get_object (root);

  json_object_set_int_member (object, "schema_version", 1);
  json_object_remove_member (json_object_get_object_member (object, "tables"), "resolutions");
  old = generate (root);

  copy = import_from_string (copy_path, old, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  compare_projects (f->project, copy);
  ada = tsr_project_find_coder (copy, "Ada Lovelace");
  ben = tsr_project_find_coder (copy, "Bén Ñúñez");
  list = tsr_project_list_disagreements (copy, tsr_test_id_of (ada), tsr_test_id_of (ben), 0, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (list, i);
      g_assert_cmpint (tsr_disagreement_get_resolution (d), ==, TSR_RESOLUTION_NONE);
    }
  g_assert_true (tsr_project_check_integrity (copy, &error));
  tsr_project_close (copy, NULL);
}

/* Which documents each coder marked done comes back; an export written
 * before the marks existed (project format 4) imports with none, and
 * agreement then compares every document. */
static void
test_done_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *json = export_to_string (f->project);
  g_autofree char *copy_path = fixture_file (f, "copy.tessera");
  g_autofree char *old_path = fixture_file (f, "old.tessera");
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrProject) copy = import_from_string (copy_path, json, -1, &error);
  g_autoptr(TsrProject) old = NULL;
  g_autoptr(JsonNode) root = parse (json);
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) ben = NULL;
  g_autoptr(TsrDocument) essay1 = NULL;
  g_autoptr(TsrDocument) essay2 = NULL;
  g_autoptr(TsrAgreement) agreement = NULL;
  g_autofree char *old_json = NULL;
  JsonObject *object = json_node_get_object (root);
  gint64 coders[2];

  g_assert_no_error (error);
  ada = tsr_project_find_coder (copy, "Ada Lovelace");
  ben = tsr_project_find_coder (copy, "Bén Ñúñez");
  essay1 = tsr_project_find_document (copy, "Essay 01");
  essay2 = tsr_project_find_document (copy, "Essay 02");
  g_assert_true (tsr_project_get_document_done (copy, tsr_test_id_of (essay1), tsr_test_id_of (ada)));
  g_assert_true (tsr_project_get_document_done (copy, tsr_test_id_of (essay1), tsr_test_id_of (ben)));
  g_assert_false (tsr_project_get_document_done (copy, tsr_test_id_of (essay2), tsr_test_id_of (ada)));
  g_assert_true (tsr_project_get_document_done (copy, tsr_test_id_of (essay2), tsr_test_id_of (ben)));
  coders[0] = tsr_test_id_of (ada);
  coders[1] = tsr_test_id_of (ben);
  agreement = tsr_project_compute_agreement (copy, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_agreement_get_documents (agreement), ==, TSR_AGREEMENT_DONE_DOCUMENTS);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 1);
  g_clear_pointer (&agreement, tsr_agreement_unref);
  tsr_project_close (copy, NULL);

  json_object_set_int_member (object, "schema_version", 4);
  json_object_remove_member (json_object_get_object_member (object, "tables"), "document_done");
  old_json = generate (root);
  old = import_from_string (old_path, old_json, -1, &error);
  g_assert_no_error (error);
  g_clear_object (&ada);
  g_clear_object (&ben);
  ada = tsr_project_find_coder (old, "Ada Lovelace");
  ben = tsr_project_find_coder (old, "Bén Ñúñez");
  coders[0] = tsr_test_id_of (ada);
  coders[1] = tsr_test_id_of (ben);
  agreement = tsr_project_compute_agreement (old, coders, 2, 90, TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsr_agreement_get_documents (agreement), ==, TSR_AGREEMENT_EVERY_DOCUMENT);
  g_assert_cmpuint (tsr_agreement_get_n_compared (agreement), ==, 3);
  g_assert_true (tsr_project_check_integrity (old, &error));
  tsr_project_close (old, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/json/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("every-table-exported", test_every_table_exported);
  ADD ("round-trip", test_round_trip);
  ADD ("undo-after-import", test_undo_after_import);
  ADD ("export-deterministic", test_export_deterministic);
  ADD ("not-json", test_not_json);
  ADD ("wrong-format", test_wrong_format);
  ADD ("newer-version", test_newer_version);
  ADD ("truncated", test_truncated);
  ADD ("existing-destination", test_existing_destination);
  ADD ("damaged-content", test_damaged_content);
  ADD ("cancelled", test_cancelled);
  ADD ("resolutions-round-trip", test_resolutions_round_trip);
  ADD ("import-format-1", test_import_format_1);
  ADD ("done-round-trip", test_done_round_trip);

#undef ADD

  return g_test_run ();
}
