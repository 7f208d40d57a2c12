/* test-counts.c — n per code and theme, against values worked out by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>

#include "tessera.h"

typedef struct
{
  char       *dir;
  TsrProject *project;
  gint64      doc[5];
  gint64      alice, bob, consensus;
  gint64      care, care_touch, care_words, hope, other;
  gint64      t_compassion, t_touch, t_hope;
} Fixture;

/*
 * Five documents, three human/consensus coders.  Codes:
 *   Care (own segments)        ─┬─ Touch
 *                               └─ Words
 *   Hope
 *   Other
 * Themes: Compassion {Care} ⊃ sub-theme "Touch only" {Care/Touch};
 *         Hope {Hope}.
 *
 * Segments (doc: code, coder):
 *   D1: Care/Touch alice, Care/Touch bob, Hope alice
 *   D2: Care/Words alice, Care bob (twice)
 *   D3: Hope bob, Other consensus, Care consensus
 *   D4: Care/Touch consensus
 *   D5: nothing
 */
static gint64
seg (Fixture *f, guint d, gint64 code, gint64 coder, guint start)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tsr_project_add_segment_for_coder (f->project, f->doc[d], code, coder, start, start + 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
coder_id (TsrCoder *coder)
{
  gint64 id = tsr_entity_get_id (TSR_ENTITY (coder));
  g_object_unref (coder);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsr-counts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "c.tessera", NULL);
  f->project = tsr_project_create (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("D%u", i + 1);
      f->doc[i] = tsr_project_add_document (f->project, name, "Twenty characters, then some more text here.", NULL, &error);
      g_assert_no_error (error);
    }

  f->alice = coder_id (tsr_project_ensure_coder (f->project, "Alice", &error));
  f->bob = coder_id (tsr_project_ensure_coder (f->project, "Bob", &error));
  f->consensus = coder_id (tsr_project_get_consensus_coder (f->project, &error));
  g_assert_no_error (error);

  f->care = tsr_project_create_code (f->project, 0, "Care", NULL, NULL, &error);
  f->care_touch = tsr_project_create_code (f->project, f->care, "Touch", NULL, NULL, &error);
  f->care_words = tsr_project_create_code (f->project, f->care, "Words", NULL, NULL, &error);
  f->hope = tsr_project_create_code (f->project, 0, "Hope", NULL, NULL, &error);
  f->other = tsr_project_create_code (f->project, 0, "Other", NULL, NULL, &error);
  g_assert_no_error (error);

  f->t_compassion = tsr_project_create_theme (f->project, 0, "Compassion", &error);
  f->t_touch = tsr_project_create_theme (f->project, f->t_compassion, "Touch only", &error);
  f->t_hope = tsr_project_create_theme (f->project, 0, "Hope", &error);
  g_assert_no_error (error);
  tsr_project_add_code_to_theme (f->project, f->t_compassion, f->care, &error);
  tsr_project_add_code_to_theme (f->project, f->t_touch, f->care_touch, &error);
  tsr_project_add_code_to_theme (f->project, f->t_hope, f->hope, &error);
  g_assert_no_error (error);

  seg (f, 0, f->care_touch, f->alice, 0);
  seg (f, 0, f->care_touch, f->bob, 2);
  seg (f, 0, f->hope, f->alice, 10);
  seg (f, 1, f->care_words, f->alice, 0);
  seg (f, 1, f->care, f->bob, 0);
  seg (f, 1, f->care, f->bob, 20);
  seg (f, 2, f->hope, f->bob, 0);
  seg (f, 2, f->other, f->consensus, 0);
  seg (f, 2, f->care, f->consensus, 10);
  seg (f, 3, f->care_touch, f->consensus, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "c.tessera", NULL);

  g_assert_true (tsr_project_close (f->project, NULL));
  g_assert_finalize_object (f->project);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static TsrCounts *
counts_for (Fixture *f, TsrCoderMode mode, gint64 coder)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder);
  g_autoptr(GError) error = NULL;
  TsrCounts *counts = tsr_project_compute_counts (f->project, scope, NULL, &error);

  g_assert_no_error (error);
  return counts;
}

static void
test_one_coder (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCounts) a = counts_for (f, TSR_CODERS_ONE, f->alice);
  g_autoptr(TsrCounts) b = counts_for (f, TSR_CODERS_ONE, f->bob);

  g_assert_cmpuint (tsr_counts_get_n_documents (a), ==, 5);

  /* Alice: Touch in D1, Words in D2, Hope in D1 → Care n = 2 (D1, D2). */
  g_assert_cmpuint (tsr_counts_get_code_n (a, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (a, f->care_touch), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (a, f->care_words), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (a, f->hope), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (a, f->other), ==, 0);
  g_assert_cmpuint (tsr_counts_get_code_own_segments (a, f->care), ==, 0);
  g_assert_cmpuint (tsr_counts_get_code_segments (a, f->care), ==, 2);

  /* Bob: Touch D1, Care ×2 in D2, Hope D3 → Care n = 2, 3 segments. */
  g_assert_cmpuint (tsr_counts_get_code_n (b, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_segments (b, f->care), ==, 3);
  g_assert_cmpuint (tsr_counts_get_code_own_segments (b, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (b, f->hope), ==, 1);

  /* Themes: Compassion covers Care and below (via its code and its
   * sub-theme); Touch only covers Touch. */
  g_assert_cmpuint (tsr_counts_get_theme_n (a, f->t_compassion), ==, 2);
  g_assert_cmpuint (tsr_counts_get_theme_n (a, f->t_touch), ==, 1);
  g_assert_cmpuint (tsr_counts_get_theme_n (a, f->t_hope), ==, 1);
  g_assert_cmpuint (tsr_counts_get_theme_segments (b, f->t_compassion), ==, 3);

  g_assert_true (tsr_counts_code_in_document (a, f->care, f->doc[1]));
  g_assert_false (tsr_counts_code_in_document (a, f->care, f->doc[2]));
  g_assert_true (tsr_counts_theme_in_document (b, f->t_hope, f->doc[2]));
  g_assert_false (tsr_counts_theme_in_document (b, f->t_hope, f->doc[0]));
}

static void
test_any_all_consensus (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCounts) any = counts_for (f, TSR_CODERS_ANY, 0);
  g_autoptr(TsrCounts) all = counts_for (f, TSR_CODERS_ALL, 0);
  g_autoptr(TsrCounts) con = counts_for (f, TSR_CODERS_CONSENSUS, 0);

  /* Any human coder: Care in D1, D2; Hope in D1 (A), D3 (B). The
   * consensus coder's segments never count as a human coder's. */
  g_assert_cmpuint (tsr_counts_get_code_n (any, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (any, f->hope), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (any, f->other), ==, 0);
  g_assert_cmpuint (tsr_counts_get_theme_n (any, f->t_hope), ==, 2);

  /* Both coders: Care in D1 (both Touch) and D2 (A Words, B Care: both
   * under Care); Touch only in D1; Hope nowhere (A D1, B D3). */
  g_assert_cmpuint (tsr_counts_get_code_n (all, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (all, f->care_touch), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (all, f->care_words), ==, 0);
  g_assert_cmpuint (tsr_counts_get_code_n (all, f->hope), ==, 0);
  g_assert_cmpuint (tsr_counts_get_theme_n (all, f->t_hope), ==, 0);
  g_assert_cmpuint (tsr_counts_get_theme_n (all, f->t_compassion), ==, 2);

  /* Consensus: Other D3, Care D3, Touch D4 → Care n = 2 (D3, D4). */
  g_assert_cmpuint (tsr_counts_get_code_n (con, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (con, f->other), ==, 1);
  g_assert_cmpuint (tsr_counts_get_theme_n (con, f->t_compassion), ==, 2);
  g_assert_cmpuint (tsr_counts_get_theme_n (con, f->t_touch), ==, 1);
  g_assert_cmpuint (tsr_counts_get_theme_n (con, f->t_hope), ==, 0);

  /* 2 of 5 documents. */
  g_assert_cmpfloat_with_epsilon (tsr_counts_percent (con, 2), 40.0, 1e-9);
}

static void
test_scope_case_and_attribute (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(TsrCounts) by_attr = NULL;
  g_autoptr(TsrCounts) by_list = NULL;
  gint64 dyad, role;

  /* Case "Dyad 1" = D2, D3. */
  dyad = tsr_project_create_case (f->project, "Dyad 1", &error);
  g_assert_no_error (error);
  tsr_project_set_case_membership (f->project, dyad, f->doc[1], TRUE, &error);
  tsr_project_set_case_membership (f->project, dyad, f->doc[2], TRUE, &error);
  g_assert_no_error (error);

  tsr_scope_set_case (scope, dyad);
  counts = tsr_project_compute_counts (f->project, scope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_counts_get_n_documents (counts), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (counts, f->care), ==, 1);     /* D2 */
  g_assert_cmpuint (tsr_counts_get_code_n (counts, f->hope), ==, 1);     /* D3 */
  g_assert_cmpfloat_with_epsilon (tsr_counts_percent (counts, 1), 50.0, 1e-9);

  /* Attribute role = patient on D1 directly, and on the case (D2, D3). */
  role = tsr_project_define_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "role", TSR_ATTRIBUTE_TEXT, &error);
  g_assert_no_error (error);
  tsr_project_set_attribute_value (f->project, role, f->doc[0], "patient", &error);
  tsr_project_set_attribute_value (f->project, role, f->doc[3], "clinician", &error);
  g_assert_no_error (error);

  tsr_scope_set_case (scope, 0);
  tsr_scope_set_attribute (scope, role, "patient");
  by_attr = tsr_project_compute_counts (f->project, scope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_counts_get_n_documents (by_attr), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (by_attr, f->hope), ==, 1);
  g_assert_cmpuint (tsr_counts_get_code_n (by_attr, f->care), ==, 1);

  {
    gint64 some[] = { f->doc[2], f->doc[4] };

    tsr_scope_set_attribute (scope, 0, NULL);
    tsr_scope_set_documents (scope, some, G_N_ELEMENTS (some));
    by_list = tsr_project_compute_counts (f->project, scope, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tsr_counts_get_n_documents (by_list), ==, 2);
    g_assert_cmpuint (tsr_counts_get_code_n (by_list, f->hope), ==, 1);
    g_assert_cmpuint (tsr_counts_get_code_n (by_list, f->care), ==, 0);
  }
}

static void
test_empty_scope (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GError) error = NULL;

  tsr_scope_set_documents (scope, NULL, 0);
  tsr_scope_set_documents (scope, (gint64[]) { -1 }, 1);
  counts = tsr_project_compute_counts (f->project, scope, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsr_counts_get_n_documents (counts), ==, 0);
  g_assert_cmpuint (tsr_counts_get_code_n (counts, f->care), ==, 0);
  /* A share of nothing is undefined, not 0 %. */
  g_assert_true (isnan (tsr_counts_percent (counts, 0)));
}

static void
test_follows_edits (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCounts) before = counts_for (f, TSR_CODERS_ONE, f->alice);
  g_autoptr(TsrCounts) after = NULL;
  g_autoptr(TsrCounts) undone = NULL;

  g_assert_cmpuint (tsr_counts_get_code_n (before, f->hope), ==, 1);
  seg (f, 4, f->hope, f->alice, 0);
  after = counts_for (f, TSR_CODERS_ONE, f->alice);
  g_assert_cmpuint (tsr_counts_get_code_n (after, f->hope), ==, 2);
  g_assert_cmpuint (tsr_counts_get_theme_n (after, f->t_hope), ==, 2);

  /* Moving a code changes the roll-up: Hope under Care adds D5 to Care. */
  g_assert_true (tsr_project_move_code (f->project, f->hope, f->care, -1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, tsr_counts_unref);
  after = counts_for (f, TSR_CODERS_ONE, f->alice);
  g_assert_cmpuint (tsr_counts_get_code_n (after, f->care), ==, 3);

  g_assert_true (tsr_project_undo (f->project, &error));
  g_assert_true (tsr_project_undo (f->project, &error));
  g_assert_no_error (error);
  undone = counts_for (f, TSR_CODERS_ONE, f->alice);
  g_assert_cmpuint (tsr_counts_get_code_n (undone, f->care), ==, 2);
  g_assert_cmpuint (tsr_counts_get_code_n (undone, f->hope), ==, 1);
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TsrCounts **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tsr_project_compute_counts_finish (TSR_PROJECT (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  g_autoptr(TsrCounts) sync = counts_for (f, TSR_CODERS_CONSENSUS, 0);
  TsrCounts *async = NULL;

  tsr_project_compute_counts_async (f->project, scope, NULL, on_counted, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (tsr_counts_get_theme_n (async, f->t_compassion), ==,
                    tsr_counts_get_theme_n (sync, f->t_compassion));
  g_assert_cmpuint (tsr_counts_get_code_n (async, f->other), ==, 1);
  tsr_counts_unref (async);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/counts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("one-coder", test_one_coder);
  ADD ("any-all-consensus", test_any_all_consensus);
  ADD ("scope-case-attribute", test_scope_case_and_attribute);
  ADD ("empty-scope", test_empty_scope);
  ADD ("follows-edits", test_follows_edits);
  ADD ("async", test_async);
#undef ADD

  return g_test_run ();
}
