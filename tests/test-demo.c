/* test-demo.c — the demo project reproduces the reference study's table
 *
 * Two oracles: the reference table of the study (the consensus counts), and
 * an independent reading of data/demo/demo.json for each coder's counts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tessera.h"

static const struct {
  const char *theme;
  guint       n;
} reference[] = {
  { "Conveying solidarity", 21 },
  { "Compassion", 19 },
  { "Patient-centeredness", 17 },
  { "Personal connection", 15 },
  { "Motivating or inspiring", 15 },
  { "Connecting emotionally", 14 },
  { "Togetherness", 13 },
  { "Opportunity to acknowledge patients", 13 },
  { "Renewed sense of purpose", 11 },
  { "Support networks", 10 },
  { "Little means much", 10 },
  { "Resilience", 10 },
  { "Felt acknowledged", 5 },
};

static TsrProject *
open_demo_copy (char **dir_out)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  gsize len;
  TsrProject *project;

  g_assert_nonnull (demo);
  *dir_out = g_dir_make_tmp ("tsr-demo-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir_out, "demo.tessera", NULL);
  g_file_get_contents (demo, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);

  project = tsr_project_open (path, &error);
  g_assert_no_error (error);
  return project;
}

static void
close_demo_copy (TsrProject *project,
                 char       *dir)
{
  g_autofree char *path = g_strdup (tsr_project_get_path (project));

  g_assert_true (tsr_project_close (project, NULL));
  g_object_unref (project);
  g_unlink (path);
  g_rmdir (dir);
}

static guint
theme_n (TsrProject   *project,
         TsrCounts    *counts,
         const char   *name)
{
  g_autoptr(TsrTheme) theme = tsr_project_find_theme (project, name);

  g_assert_nonnull (theme);
  return tsr_counts_get_theme_n (counts, tsr_entity_get_id (TSR_ENTITY (theme)));
}

static void
test_reference_counts (void)
{
  g_autofree char *dir = NULL;
  TsrProject *project = open_demo_copy (&dir);
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (tsr_project_get_n_documents (project), ==, 22);

  counts = tsr_project_compute_counts (project, scope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_counts_get_n_documents (counts), ==, 22);

  for (guint i = 0; i < G_N_ELEMENTS (reference); i++)
    {
      g_test_message ("%s: n = %u", reference[i].theme, theme_n (project, counts, reference[i].theme));
      g_assert_cmpuint (theme_n (project, counts, reference[i].theme), ==, reference[i].n);
    }

  /* "Compassion, n = 19 of 22 essays": 86.4 %. */
  g_assert_cmpfloat_with_epsilon (tsr_counts_percent (counts, 19), 86.363636, 1e-4);

  close_demo_copy (project, dir);
}

/* The spec read on its own terms ------------------------------------- */

static void
collect_theme_codes (JsonObject *theme,
                     GPtrArray  *paths)
{
  JsonArray *codes = json_object_get_array_member (theme, "codes");
  JsonArray *subs = json_object_get_array_member (theme, "subthemes");

  for (guint i = 0; codes && i < json_array_get_length (codes); i++)
    g_ptr_array_add (paths, (gpointer) json_array_get_string_element (codes, i));
  for (guint i = 0; subs && i < json_array_get_length (subs); i++)
    collect_theme_codes (json_array_get_object_element (subs, i), paths);
}

static gboolean
covers (GPtrArray  *paths,
        const char *code)
{
  for (guint i = 0; i < paths->len; i++)
    {
      const char *p = paths->pdata[i];
      gsize len = strlen (p);

      if (g_str_equal (code, p) || (g_str_has_prefix (code, p) && code[len] == '/'))
        return TRUE;
    }
  return FALSE;
}

/* n for @theme by the spec's codings that @accept. */
static guint
spec_theme_n (JsonObject *root,
              JsonObject *theme,
              const char *coder_key)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GHashTable) docs = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *codings = json_object_get_array_member (root, "codings");

  collect_theme_codes (theme, paths);
  for (guint i = 0; i < json_array_get_length (codings); i++)
    {
      JsonObject *c = json_array_get_object_element (codings, i);
      gboolean counted = FALSE;

      if (coder_key == NULL)
        counted = json_object_get_boolean_member (c, "consensus");
      else
        {
          JsonArray *coders = json_object_get_array_member (c, "coders");
          for (guint k = 0; k < json_array_get_length (coders); k++)
            if (g_str_equal (json_array_get_string_element (coders, k), coder_key))
              counted = TRUE;
        }
      if (counted && covers (paths, json_object_get_string_member (c, "code")))
        g_hash_table_add (docs, (gpointer) json_object_get_string_member (c, "doc"));
    }
  return g_hash_table_size (docs);
}

static void
check_themes (TsrProject *project,
              JsonObject *root,
              JsonArray  *themes,
              TsrCounts  *counts,
              const char *coder_key,
              guint      *n_checked)
{
  for (guint i = 0; i < json_array_get_length (themes); i++)
    {
      JsonObject *theme = json_array_get_object_element (themes, i);
      const char *name = json_object_get_string_member (theme, "name");
      guint expected = spec_theme_n (root, theme, coder_key);

      g_test_message ("%s (%s): spec %u", name, coder_key ? coder_key : "consensus", expected);
      g_assert_cmpuint (theme_n (project, counts, name), ==, expected);
      (*n_checked)++;
      check_themes (project, root, json_object_get_array_member (theme, "subthemes"),
                    counts, coder_key, n_checked);
    }
}

static void
test_spec_counts (void)
{
  const char *spec = g_getenv ("TESSERA_DEMO_SPEC");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  TsrProject *project;
  JsonObject *root;
  JsonArray *coders;
  guint n_checked = 0;
  guint n_differ = 0;

  g_assert_nonnull (spec);
  json_parser_load_from_file (parser, spec, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  project = open_demo_copy (&dir);

  {
    g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
    g_autoptr(TsrCounts) counts = tsr_project_compute_counts (project, scope, NULL, &error);

    g_assert_no_error (error);
    check_themes (project, root, json_object_get_array_member (root, "themes"), counts, NULL, &n_checked);
  }

  coders = json_object_get_array_member (root, "coders");
  g_assert_cmpuint (json_array_get_length (coders), ==, 2);
  for (guint i = 0; i < json_array_get_length (coders); i++)
    {
      JsonObject *c = json_array_get_object_element (coders, i);
      g_autoptr(TsrCoder) coder = tsr_project_find_coder (project, json_object_get_string_member (c, "name"));
      g_autoptr(TsrScope) scope = NULL;
      g_autoptr(TsrCounts) counts = NULL;
      g_autoptr(TsrScope) con_scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
      g_autoptr(TsrCounts) con = tsr_project_compute_counts (project, con_scope, NULL, &error);

      g_assert_nonnull (coder);
      scope = tsr_scope_new (TSR_CODERS_ONE, tsr_entity_get_id (TSR_ENTITY (coder)));
      counts = tsr_project_compute_counts (project, scope, NULL, &error);
      g_assert_no_error (error);
      check_themes (project, root, json_object_get_array_member (root, "themes"), counts,
                    json_object_get_string_member (c, "key"), &n_checked);

      /* Independent coders differ a little from the consensus. */
      for (guint r = 0; r < G_N_ELEMENTS (reference); r++)
        if (theme_n (project, counts, reference[r].theme) != theme_n (project, con, reference[r].theme))
          n_differ++;
    }

  g_assert_cmpuint (n_checked, ==, 3 * G_N_ELEMENTS (reference));
  g_assert_cmpuint (n_differ, >, 0);
  close_demo_copy (project, dir);
}

static void
test_demo_contents (void)
{
  g_autofree char *dir = NULL;
  TsrProject *project = open_demo_copy (&dir);
  g_autoptr(GListModel) docs = tsr_project_get_documents (project);
  g_autoptr(GListModel) journal = tsr_project_get_journal (project);
  g_autoptr(GError) error = NULL;
  guint n_segments = 0;

  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 22);
  for (guint i = 0; i < 22; i++)
    {
      g_autoptr(TsrDocument) doc = g_list_model_get_item (docs, i);
      g_autofree char *text = tsr_project_get_document_text (project, tsr_entity_get_id (TSR_ENTITY (doc)), &error);
      g_autofree char *prefix = g_strdup_printf ("E%02u", i + 1);
      g_autoptr(GListModel) segs = tsr_project_get_segments (project, tsr_entity_get_id (TSR_ENTITY (doc)));
      g_auto(GStrv) words = g_regex_split_simple ("\\s+", g_strstrip (text), 0, 0);
      guint n_words = g_strv_length (words);

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (tsr_document_get_name (doc), prefix));
      g_assert_cmpuint (n_words, >=, 200);
      g_assert_cmpuint (n_words, <=, 400);

      /* Every kept segment text is the document's text at its offsets. */
      for (guint s = 0; s < g_list_model_get_n_items (segs); s++)
        {
          g_autoptr(TsrSegment) seg = g_list_model_get_item (segs, s);
          const char *start = g_utf8_offset_to_pointer (text, tsr_segment_get_start (seg));
          const char *end = g_utf8_offset_to_pointer (text, tsr_segment_get_end (seg));
          g_autofree char *covered = g_strndup (start, end - start);

          g_assert_cmpstr (covered, ==, tsr_segment_get_text (seg));
          n_segments++;
        }
    }
  g_assert_cmpuint (n_segments, >, 300);
  g_assert_cmpuint (g_list_model_get_n_items (journal), >=, 5);
  g_assert_true (tsr_project_check_integrity (project, &error));
  g_assert_no_error (error);

  close_demo_copy (project, dir);
}

/* The consensus was reached by reconciling the two coders, as the
 * journal tells: every disagreement between them is resolved, and the
 * resolutions are the spec's (13 passages taken from one coder, 13 left
 * out).  Counted from the spec: 13 codings by one coder kept in the
 * consensus, 13 not. */
static void
test_demo_reconciled (void)
{
  g_autofree char *dir = NULL;
  TsrProject *project = open_demo_copy (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) dana = tsr_project_find_coder (project, "Dana Whitfield");
  g_autoptr(TsrCoder) rafael = tsr_project_find_coder (project, "Rafael Ortiz");
  g_autoptr(GListModel) disagreements = NULL;
  guint counts[TSR_RESOLUTION_REJECT + 1] = { 0, };

  g_assert_nonnull (dana);
  g_assert_nonnull (rafael);
  disagreements = tsr_project_list_disagreements (project, tsr_entity_get_id (TSR_ENTITY (dana)),
                                                  tsr_entity_get_id (TSR_ENTITY (rafael)), 0,
                                                  TSR_AGREEMENT_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (disagreements), ==, 26);
  for (guint i = 0; i < g_list_model_get_n_items (disagreements); i++)
    {
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (disagreements, i);

      counts[tsr_disagreement_get_resolution (d)]++;
    }
  g_assert_cmpuint (counts[TSR_RESOLUTION_NONE], ==, 0);
  g_assert_cmpuint (counts[TSR_RESOLUTION_ACCEPT_A] + counts[TSR_RESOLUTION_ACCEPT_B], ==, 13);
  g_assert_cmpuint (counts[TSR_RESOLUTION_REJECT], ==, 13);

  close_demo_copy (project, dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tessera/demo/reconciled", test_demo_reconciled);

  g_test_add_func ("/tessera/demo/reference-counts", test_reference_counts);
  g_test_add_func ("/tessera/demo/spec-counts", test_spec_counts);
  g_test_add_func ("/tessera/demo/contents", test_demo_contents);

  return g_test_run ();
}
