/* test-themes-core.c — co-occurrence, phase progress, reviewing themes
 *
 * One small project, every number worked out by hand:
 *
 *   D1 "We felt hope and fear together."   Hope, Fear
 *   D2 "Hope, fear and joy, all at once."  Hope, Fear, Joy
 *   D3 "A child's joy."                    Hope/Child, Joy
 *   D4 "Only grief."                       Grief
 *   D5 "Nothing coded."
 *
 * all coded by Ann, so for any coder: Hope n = 3 (D1–D3, with Child),
 * Child 1, Fear 2, Joy 2, Grief 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tessera.h"

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *p;
  gint64      d[6];
  gint64      hope, child, fear, joy, grief;
} Fixture;

static gint64
must_id (gint64   id,
         GError  *error)
{
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const texts[] = {
    NULL,
    "We felt hope and fear together.",
    "Hope, fear and joy, all at once.",
    "A child's joy.",
    "Only grief.",
    "Nothing coded.",
  };
  g_autoptr(TsrCoder) ann = NULL;
  GError *error = NULL;

  f->dir = g_dir_make_tmp ("tsr-themes-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "t.tessera", NULL);
  f->p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  ann = tsr_project_ensure_coder (f->p, "Ann", &error);
  g_assert_no_error (error);
  tsr_project_set_current_coder (f->p, tsr_entity_get_id (TSR_ENTITY (ann)), &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("D%u", i);
      f->d[i] = must_id (tsr_project_add_document (f->p, name, texts[i], "", &error), error);
    }
  f->hope = must_id (tsr_project_create_code (f->p, 0, "Hope", NULL, "", &error), error);
  f->child = must_id (tsr_project_create_code (f->p, f->hope, "Child", NULL, "", &error), error);
  f->fear = must_id (tsr_project_create_code (f->p, 0, "Fear", NULL, "", &error), error);
  f->joy = must_id (tsr_project_create_code (f->p, 0, "Joy", NULL, "", &error), error);
  f->grief = must_id (tsr_project_create_code (f->p, 0, "Grief", NULL, "", &error), error);

  must_id (tsr_project_add_segment (f->p, f->d[1], f->hope, 8, 12, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[1], f->fear, 17, 21, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[2], f->hope, 0, 4, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[2], f->fear, 6, 10, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[2], f->joy, 15, 18, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[3], f->child, 2, 9, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[3], f->joy, 10, 13, &error), error);
  must_id (tsr_project_add_segment (f->p, f->d[4], f->grief, 5, 10, &error), error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  tsr_project_close (f->p, NULL);
  g_clear_object (&f->p);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (name);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static TsrCounts *
counts_any (Fixture *f)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(GError) error = NULL;
  TsrCounts *counts = tsr_project_compute_counts (f->p, scope, NULL, &error);

  g_assert_no_error (error);
  return counts;
}

/* Everything about themes the public API can read, as text. */
static char *
snapshot (Fixture *f)
{
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (f->p);
  g_autoptr(GListModel) links = tsr_project_get_map_links (f->p);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < themes->len; i++)
    {
      TsrTheme *t = g_ptr_array_index (themes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (t));
      g_autoptr(GArray) codes = tsr_project_get_theme_codes (f->p, id);
      g_autofree char *memo = tsr_project_get_memo (f->p, TSR_MEMO_THEME, id);

      g_string_append_printf (s, "theme %" G_GINT64_FORMAT " %s parent=%" G_GINT64_FORMAT " pos=%d %s [%s|%s|%s] memo=%s codes:",
                              id, tsr_theme_get_name (t), tsr_theme_get_parent_id (t),
                              tsr_theme_get_position (t), tsr_theme_status_to_string (tsr_theme_get_status (t)),
                              tsr_theme_get_field (t, TSR_THEME_FIELD_DEFINITION),
                              tsr_theme_get_field (t, TSR_THEME_FIELD_SCOPE_NOTES),
                              tsr_theme_get_field (t, TSR_THEME_FIELD_NARRATIVE),
                              memo ? memo : "-");
      for (guint j = 0; j < codes->len; j++)
        g_string_append_printf (s, " %" G_GINT64_FORMAT, g_array_index (codes, gint64, j));
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(TsrMapLink) link = g_list_model_get_item (links, i);

      g_string_append_printf (s, "link %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "→%" G_GINT64_FORMAT " %s\n",
                              tsr_entity_get_id (TSR_ENTITY (link)), tsr_map_link_get_from_theme (link),
                              tsr_map_link_get_to_theme (link), tsr_map_link_get_label (link));
    }
  {
    g_autofree char *exported = tsr_project_get_report_exported (f->p);
    g_string_append_printf (s, "exported %s\n", exported ? "yes" : "no");
  }
  return g_string_free (s, FALSE);
}

/* Checks that undo gives @before back, redo @after, undo @before again. */
static void
check_undo_redo (Fixture    *f,
                 const char *before,
                 const char *after)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = snapshot (f);

  g_assert_cmpstr (now, ==, after);
  g_assert_true (tsr_project_undo (f->p, &error));
  g_assert_no_error (error);
  g_free (now);
  now = snapshot (f);
  g_assert_cmpstr (now, ==, before);
  g_assert_true (tsr_project_redo (f->p, &error));
  g_assert_no_error (error);
  g_free (now);
  now = snapshot (f);
  g_assert_cmpstr (now, ==, after);
  g_assert_true (tsr_project_undo (f->p, &error));
  g_free (now);
  now = snapshot (f);
  g_assert_cmpstr (now, ==, before);
}

/* Co-occurrence ------------------------------------------------------- */

static void
test_cooccurring (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TsrCounts) counts = counts_any (f);
  g_autoptr(GArray) hope = tsr_counts_list_cooccurring (counts, f->p, f->hope, 0);
  g_autoptr(GArray) child = tsr_counts_list_cooccurring (counts, f->p, f->child, 0);
  g_autoptr(GArray) fear = tsr_counts_list_cooccurring (counts, f->p, f->fear, 0);
  g_autoptr(GArray) fear1 = tsr_counts_list_cooccurring (counts, f->p, f->fear, 1);
  g_autoptr(GArray) grief = tsr_counts_list_cooccurring (counts, f->p, f->grief, 0);
  TsrCooccurrence *c;

  /* Hope shares D1 and D2 with Fear and D2, D3 with Joy: a tie on both
   * counts (2 of 3 + 2 − 2 documents), in code order.  Child is below
   * Hope and left out; Grief shares nothing. */
  g_assert_cmpuint (hope->len, ==, 2);
  c = &g_array_index (hope, TsrCooccurrence, 0);
  g_assert_cmpint (c->code_id, ==, f->fear);
  g_assert_cmpuint (c->both, ==, 2);
  g_assert_cmpuint (c->n, ==, 2);
  g_assert_cmpfloat_with_epsilon (c->jaccard, 2.0 / 3.0, 1e-12);
  c = &g_array_index (hope, TsrCooccurrence, 1);
  g_assert_cmpint (c->code_id, ==, f->joy);
  g_assert_cmpuint (c->both, ==, 2);

  /* Child (D3 only) meets Joy there; Hope above it is left out. */
  g_assert_cmpuint (child->len, ==, 1);
  c = &g_array_index (child, TsrCooccurrence, 0);
  g_assert_cmpint (c->code_id, ==, f->joy);
  g_assert_cmpuint (c->both, ==, 1);
  g_assert_cmpfloat_with_epsilon (c->jaccard, 0.5, 1e-12);

  /* Fear: Hope (2, Jaccard 2/3) before Joy (1, Jaccard 1/3). */
  g_assert_cmpuint (fear->len, ==, 2);
  g_assert_cmpint (g_array_index (fear, TsrCooccurrence, 0).code_id, ==, f->hope);
  g_assert_cmpint (g_array_index (fear, TsrCooccurrence, 1).code_id, ==, f->joy);
  g_assert_cmpfloat_with_epsilon (g_array_index (fear, TsrCooccurrence, 1).jaccard, 1.0 / 3.0, 1e-12);
  g_assert_cmpuint (fear1->len, ==, 1);
  g_assert_cmpint (g_array_index (fear1, TsrCooccurrence, 0).code_id, ==, f->hope);

  g_assert_cmpuint (grief->len, ==, 0);
}

static void
test_cooccurrence_one_coder (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TsrCoder) bob = tsr_project_ensure_coder (f->p, "Bob", NULL);
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ONE, tsr_entity_get_id (TSR_ENTITY (bob)));
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GArray) list = NULL;

  /* Bob coded Grief with Fear in D4: only his coding counts. */
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->p, f->d[4], f->grief,
                                                      tsr_entity_get_id (TSR_ENTITY (bob)), 0, 4, NULL), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->p, f->d[4], f->fear,
                                                      tsr_entity_get_id (TSR_ENTITY (bob)), 5, 10, NULL), >, 0);
  counts = tsr_project_compute_counts (f->p, scope, NULL, NULL);
  list = tsr_counts_list_cooccurring (counts, f->p, f->grief, 0);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (g_array_index (list, TsrCooccurrence, 0).code_id, ==, f->fear);
  g_assert_cmpfloat_with_epsilon (g_array_index (list, TsrCooccurrence, 0).jaccard, 1.0, 1e-12);
}

static void
test_cooccurrence_table (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TsrCounts) counts = counts_any (f);
  gint64 ids[] = { f->hope, f->fear, f->joy, f->grief };
  g_autoptr(TsrCooccurrenceTable) table = tsr_cooccurrence_table_new (counts, ids, G_N_ELEMENTS (ids));
  const guint expected[4][4] = {
    { 3, 2, 2, 0 },
    { 2, 2, 1, 0 },
    { 2, 1, 2, 0 },
    { 0, 0, 0, 1 },
  };

  g_assert_cmpuint (tsr_cooccurrence_table_get_n_codes (table), ==, 4);
  g_assert_cmpint (tsr_cooccurrence_table_get_code (table, 2), ==, f->joy);
  for (guint i = 0; i < 4; i++)
    for (guint j = 0; j < 4; j++)
      g_assert_cmpuint (tsr_cooccurrence_table_get (table, i, j), ==, expected[i][j]);
}

/* Phase progress ------------------------------------------------------ */

static void
assert_progress (const TsrPhaseProgress *p,
                 guint                   done,
                 guint                   total)
{
  g_assert_cmpuint (p->done, ==, done);
  g_assert_cmpuint (p->total, ==, total);
}

static void
test_phases (Fixture       *f,
             gconstpointer  data)
{
  TsrPhaseProgress progress[TSR_N_PHASES];
  g_autoptr(GError) error = NULL;
  gint64 t1, t2, t3;

  g_assert_true (tsr_project_get_phase_progress (f->p, progress, &error));
  g_assert_no_error (error);
  assert_progress (&progress[TSR_PHASE_FAMILIARISING], 0, 5);
  assert_progress (&progress[TSR_PHASE_CODING], 4, 5);
  assert_progress (&progress[TSR_PHASE_SEARCHING], 0, 5);
  assert_progress (&progress[TSR_PHASE_REVIEWING], 0, 0);
  assert_progress (&progress[TSR_PHASE_DEFINING], 0, 0);
  assert_progress (&progress[TSR_PHASE_WRITING], 0, 1);
  g_assert_cmpfloat (tsr_phase_progress_fraction (&progress[TSR_PHASE_CODING]), ==, 0.8);
  g_assert_cmpfloat (tsr_phase_progress_fraction (&progress[TSR_PHASE_REVIEWING]), ==, 0.0);

  tsr_project_set_document_read (f->p, f->d[1], TRUE, NULL);
  tsr_project_set_document_read (f->p, f->d[2], TRUE, NULL);
  t1 = tsr_project_create_theme (f->p, 0, "T1", NULL);
  t2 = tsr_project_create_theme (f->p, 0, "T2", NULL);
  t3 = tsr_project_create_theme (f->p, 0, "T3", NULL);
  /* Child alone sorts Hope above it too. */
  tsr_project_add_code_to_theme (f->p, t2, f->child, NULL);
  g_assert_true (tsr_project_get_phase_progress (f->p, progress, &error));
  assert_progress (&progress[TSR_PHASE_SEARCHING], 2, 5);
  /* And Hope would bring Child with it: 3 of 5 codes sorted. */
  tsr_project_add_code_to_theme (f->p, t1, f->hope, NULL);
  tsr_project_add_code_to_theme (f->p, t2, f->fear, NULL);
  tsr_project_set_theme_status (f->p, t1, TSR_THEME_REVIEWED, NULL);
  tsr_project_set_theme_status (f->p, t3, TSR_THEME_DISCARDED, NULL);
  tsr_project_set_theme_field (f->p, t1, TSR_THEME_FIELD_DEFINITION, "What hope is.", NULL);
  /* A discarded theme's definition does not count; blank ones neither. */
  tsr_project_set_theme_field (f->p, t3, TSR_THEME_FIELD_DEFINITION, "Gone.", NULL);
  tsr_project_set_theme_field (f->p, t2, TSR_THEME_FIELD_DEFINITION, "  ", NULL);

  g_assert_true (tsr_project_get_phase_progress (f->p, progress, &error));
  assert_progress (&progress[TSR_PHASE_FAMILIARISING], 2, 5);
  assert_progress (&progress[TSR_PHASE_CODING], 4, 5);
  assert_progress (&progress[TSR_PHASE_SEARCHING], 3, 5);
  assert_progress (&progress[TSR_PHASE_REVIEWING], 2, 3);
  assert_progress (&progress[TSR_PHASE_DEFINING], 1, 2);
  assert_progress (&progress[TSR_PHASE_WRITING], 0, 1);

  g_assert_true (tsr_project_mark_report_exported (f->p, "docx", &error));
  g_assert_no_error (error);
  g_assert_true (tsr_project_get_phase_progress (f->p, progress, &error));
  assert_progress (&progress[TSR_PHASE_WRITING], 1, 1);

  g_assert_cmpstr (tsr_phase_get_name (TSR_PHASE_SEARCHING), ==, "Searching for themes");
  g_assert_cmpstr (tsr_phase_get_unit (TSR_PHASE_WRITING), ==, "report exported");
}

static void
test_report_exported (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f);
  g_autofree char *after = NULL;
  g_autofree char *value = NULL;
  g_autofree char *label = NULL;

  g_assert_null (tsr_project_get_report_exported (f->p));
  g_assert_false (tsr_project_mark_report_exported (f->p, "", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (tsr_project_mark_report_exported (f->p, "odt", &error));
  value = tsr_project_get_report_exported (f->p);
  /* "YYYY-MM-DDTHH:MM:SSZ odt" */
  g_assert_cmpuint (strlen (value), ==, 24);
  g_assert_true (g_str_has_suffix (value, "Z odt"));
  label = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label, ==, "Export the report as odt");
  after = snapshot (f);
  check_undo_redo (f, before, after);
}

/* Split and merge ---------------------------------------------------- */

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GArray) codes = NULL;
  g_autoptr(TsrTheme) fresh = NULL;
  gint64 parent, t1, split, move[2];
  gint64 missing[] = { 0 };

  parent = tsr_project_create_theme (f->p, 0, "Feelings", NULL);
  t1 = tsr_project_create_theme (f->p, parent, "Mixed", NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->hope, NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->fear, NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->joy, NULL);
  before = snapshot (f);

  move[0] = f->joy;
  move[1] = f->hope;
  split = tsr_project_split_theme (f->p, t1, move, 2, "  Bright side ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (split, >, 0);

  fresh = tsr_project_lookup_theme (f->p, split);
  g_assert_cmpstr (tsr_theme_get_name (fresh), ==, "Bright side");
  g_assert_cmpint (tsr_theme_get_parent_id (fresh), ==, parent);
  g_assert_cmpint (tsr_theme_get_status (fresh), ==, TSR_THEME_CANDIDATE);
  codes = tsr_project_get_theme_codes (f->p, split);
  g_assert_cmpuint (codes->len, ==, 2);
  g_assert_cmpint (g_array_index (codes, gint64, 0), ==, f->joy);
  g_assert_cmpint (g_array_index (codes, gint64, 1), ==, f->hope);
  g_clear_pointer (&codes, g_array_unref);
  codes = tsr_project_get_theme_codes (f->p, t1);
  g_assert_cmpuint (codes->len, ==, 1);
  g_assert_cmpint (g_array_index (codes, gint64, 0), ==, f->fear);

  /* n follows the codes: Mixed keeps Fear (D1, D2); Bright side has
   * Hope and Joy (D1, D2, D3). */
  {
    g_autoptr(TsrCounts) counts = counts_any (f);

    g_assert_cmpuint (tsr_counts_get_theme_n (counts, t1), ==, 2);
    g_assert_cmpuint (tsr_counts_get_theme_n (counts, split), ==, 3);
    g_assert_cmpuint (tsr_counts_get_theme_n (counts, parent), ==, 3);
  }

  after = snapshot (f);
  check_undo_redo (f, before, after);

  /* Errors change nothing. */
  g_assert_cmpint (tsr_project_split_theme (f->p, t1, move, 0, "X", &error), ==, 0);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tsr_project_split_theme (f->p, t1, move, 1, " ", &error), ==, 0);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);
  move[0] = f->grief;
  g_assert_cmpint (tsr_project_split_theme (f->p, t1, move, 1, "X", &error), ==, 0);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The code “Grief” is not in theme “Mixed”");
  g_clear_error (&error);
  missing[0] = 9999;
  g_assert_cmpint (tsr_project_split_theme (f->p, t1, missing, 1, "X", &error), ==, 0);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (tsr_project_split_theme (f->p, 9999, move, 1, "X", &error), ==, 0);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *still = snapshot (f);
    g_assert_cmpstr (still, ==, before);
  }
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;
  g_autoptr(GArray) codes = NULL;
  g_autoptr(TsrTheme) target = NULL;
  g_autoptr(GListModel) links = NULL;
  gint64 t1, t2, t2a, t3, other;

  t1 = tsr_project_create_theme (f->p, 0, "Hopeful", NULL);
  t2 = tsr_project_create_theme (f->p, 0, "Worried", NULL);
  t2a = tsr_project_create_theme (f->p, t2, "Dread", NULL);
  t3 = tsr_project_create_theme (f->p, 0, "Loss", NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->hope, NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->joy, NULL);
  tsr_project_add_code_to_theme (f->p, t2, f->fear, NULL);
  tsr_project_add_code_to_theme (f->p, t2, f->joy, NULL);
  tsr_project_add_code_to_theme (f->p, t2a, f->child, NULL);
  tsr_project_set_theme_field (f->p, t2, TSR_THEME_FIELD_DEFINITION, "Fear of what comes.", NULL);
  tsr_project_set_theme_field (f->p, t1, TSR_THEME_FIELD_NARRATIVE, "Kept.", NULL);
  tsr_project_set_theme_field (f->p, t2, TSR_THEME_FIELD_NARRATIVE, "Dropped.", NULL);
  tsr_project_set_memo (f->p, TSR_MEMO_THEME, t1, "First.", NULL);
  tsr_project_set_memo (f->p, TSR_MEMO_THEME, t2, "Second.", NULL);
  other = tsr_project_add_map_link (f->p, t2, t3, "leads to", NULL);
  tsr_project_add_map_link (f->p, t1, t2, "opposes", NULL);
  tsr_project_add_map_link (f->p, t3, t2, "feeds", NULL);
  before = snapshot (f);

  g_assert_true (tsr_project_merge_themes (f->p, t2, t1, &error));
  g_assert_no_error (error);
  g_assert_null (tsr_project_lookup_theme (f->p, t2));

  target = tsr_project_lookup_theme (f->p, t1);
  g_assert_cmpstr (tsr_theme_get_field (target, TSR_THEME_FIELD_DEFINITION), ==, "Fear of what comes.");
  g_assert_cmpstr (tsr_theme_get_field (target, TSR_THEME_FIELD_NARRATIVE), ==, "Kept.");
  codes = tsr_project_get_theme_codes (f->p, t1);
  g_assert_cmpuint (codes->len, ==, 3);
  g_assert_cmpint (g_array_index (codes, gint64, 0), ==, f->hope);
  g_assert_cmpint (g_array_index (codes, gint64, 1), ==, f->joy);
  g_assert_cmpint (g_array_index (codes, gint64, 2), ==, f->fear);
  {
    g_autoptr(TsrTheme) dread = tsr_project_lookup_theme (f->p, t2a);
    g_assert_cmpint (tsr_theme_get_parent_id (dread), ==, t1);
  }
  memo = tsr_project_get_memo (f->p, TSR_MEMO_THEME, t1);
  g_assert_cmpstr (memo, ==, "First.\n\nSecond.");

  /* The link between the two is gone; the others now end at Hopeful. */
  links = tsr_project_get_map_links (f->p);
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 2);
  {
    g_autoptr(TsrMapLink) a = g_list_model_get_item (links, 0);
    g_autoptr(TsrMapLink) b = g_list_model_get_item (links, 1);

    g_assert_cmpint (tsr_entity_get_id (TSR_ENTITY (a)), ==, other);
    g_assert_cmpint (tsr_map_link_get_from_theme (a), ==, t1);
    g_assert_cmpint (tsr_map_link_get_to_theme (a), ==, t3);
    g_assert_cmpint (tsr_map_link_get_from_theme (b), ==, t3);
    g_assert_cmpint (tsr_map_link_get_to_theme (b), ==, t1);
  }

  /* n of the merged theme: Hope, Joy, Fear and Dread's Child: D1–D3. */
  {
    g_autoptr(TsrCounts) counts = counts_any (f);
    g_assert_cmpuint (tsr_counts_get_theme_n (counts, t1), ==, 3);
  }

  after = snapshot (f);
  g_clear_object (&links);
  check_undo_redo (f, before, after);

  g_assert_false (tsr_project_merge_themes (f->p, t1, t1, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tsr_project_merge_themes (f->p, t2, t2a, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CYCLE);
  g_assert_cmpstr (error->message, ==, "The theme “Worried” cannot be merged into its own sub-theme “Dread”");
  g_clear_error (&error);
  g_assert_false (tsr_project_merge_themes (f->p, 9999, t1, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *still = snapshot (f);
    g_assert_cmpstr (still, ==, before);
  }

  /* A sub-theme merged into its parent: its codes go up. */
  g_assert_true (tsr_project_merge_themes (f->p, t2a, t2, &error));
  g_assert_no_error (error);
  g_clear_pointer (&codes, g_array_unref);
  codes = tsr_project_get_theme_codes (f->p, t2);
  g_assert_cmpuint (codes->len, ==, 3);
  g_assert_cmpint (g_array_index (codes, gint64, 2), ==, f->child);
}

static void
test_link_label (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 t1 = tsr_project_create_theme (f->p, 0, "A", NULL);
  gint64 t2 = tsr_project_create_theme (f->p, 0, "B", NULL);
  gint64 link = tsr_project_add_map_link (f->p, t1, t2, "", NULL);

  before = snapshot (f);
  g_assert_true (tsr_project_set_map_link_label (f->p, link, " part of ", &error));
  g_assert_no_error (error);
  after = snapshot (f);
  g_assert_nonnull (strstr (after, "→" ) );
  g_assert_true (g_str_has_suffix (after, " part of\nexported no\n"));
  check_undo_redo (f, before, after);

  g_assert_false (tsr_project_set_map_link_label (f->p, 9999, "x", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tsr_project_set_map_link_label (f->p, link, "\xff\xfe", &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
}

/* Extracts ------------------------------------------------------------ */

static void
test_extracts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TsrCoder) bob = tsr_project_ensure_coder (f->p, "Bob", NULL);
  gint64 t1 = tsr_project_create_theme (f->p, 0, "Hopeful", NULL);
  gint64 t1a = tsr_project_create_theme (f->p, t1, "Joyful", NULL);
  TsrExtract *e;

  tsr_project_add_code_to_theme (f->p, t1, f->hope, NULL);
  tsr_project_add_code_to_theme (f->p, t1a, f->joy, NULL);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->p, f->d[1], f->hope,
                                                      tsr_entity_get_id (TSR_ENTITY (bob)), 3, 12, NULL), >, 0);

  /* Hope's own and Child's, in document order: D1 (Bob's longer one
   * after Ann's, by start), D2, D3. */
  list = tsr_project_list_theme_extracts (f->p, t1, FALSE, 0, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  e = g_ptr_array_index (list, 0);
  g_assert_cmpstr (e->document_name, ==, "D1");
  g_assert_cmpstr (e->coder_name, ==, "Bob");
  g_assert_cmpstr (e->text, ==, "felt hope");
  g_assert_cmpstr (e->before, ==, "We ");
  e = g_ptr_array_index (list, 1);
  g_assert_cmpstr (e->coder_name, ==, "Ann");
  g_assert_cmpstr (e->code_name, ==, "Hope");
  g_assert_cmpstr (e->text, ==, "hope");
  /* Six characters either side, cut words dropped. */
  g_assert_cmpstr (e->before, ==, " felt ");
  g_assert_cmpstr (e->after, ==, " and ");
  g_assert_cmpuint (e->start, ==, 8);
  g_assert_cmpuint (e->end, ==, 12);
  g_assert_false (e->exemplar);
  e = g_ptr_array_index (list, 2);
  g_assert_cmpstr (e->document_name, ==, "D2");
  g_assert_cmpstr (e->before, ==, "");
  g_assert_cmpstr (e->after, ==, ", ");
  e = g_ptr_array_index (list, 3);
  g_assert_cmpstr (e->code_name, ==, "Child");
  g_assert_cmpstr (e->text, ==, "child's");
  g_assert_cmpstr (e->before, ==, "A ");
  g_assert_cmpstr (e->after, ==, " joy.");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* With the sub-theme: Joy's two join, in order. */
  list = tsr_project_list_theme_extracts (f->p, t1, TRUE, 0, 6, &error);
  g_assert_cmpuint (list->len, ==, 6);
  g_assert_cmpstr (((TsrExtract *) g_ptr_array_index (list, 3))->code_name, ==, "Joy");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* One coder's only. */
  list = tsr_project_list_theme_extracts (f->p, t1, TRUE, tsr_entity_get_id (TSR_ENTITY (bob)), 6, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Starring one shows. */
  {
    g_autoptr(GPtrArray) again = tsr_project_list_theme_extracts (f->p, t1a, FALSE, 0, 0, NULL);
    e = g_ptr_array_index (again, 0);
    g_assert_true (tsr_project_set_segment_exemplar (f->p, e->segment_id, TRUE, NULL));
  }
  list = tsr_project_list_theme_extracts (f->p, t1a, FALSE, 0, 0, &error);
  g_assert_true (((TsrExtract *) g_ptr_array_index (list, 0))->exemplar);
  g_assert_cmpstr (((TsrExtract *) g_ptr_array_index (list, 0))->before, ==, "");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_null (tsr_project_list_theme_extracts (f->p, 9999, FALSE, 0, 6, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
}


/* Theme n tallied after theme edits ----------------------------------- */

static void
test_tally (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrCoder) bob = tsr_project_ensure_coder (f->p, "Bob", NULL);
  g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (f->p, NULL);
  gint64 t1 = tsr_project_create_theme (f->p, 0, "Bright", NULL);
  gint64 t1a = tsr_project_create_theme (f->p, t1, "Brighter", NULL);
  gint64 t2 = tsr_project_create_theme (f->p, 0, "Dark", NULL);
  TsrScope *scopes[3];

  /* Bob and the consensus code a little, so each scope differs. */
  tsr_project_add_segment_for_coder (f->p, f->d[4], f->fear, tsr_entity_get_id (TSR_ENTITY (bob)), 0, 4, NULL);
  tsr_project_add_segment_for_coder (f->p, f->d[3], f->joy, tsr_entity_get_id (TSR_ENTITY (consensus)), 10, 13, NULL);
  tsr_project_add_code_to_theme (f->p, t1, f->joy, NULL);
  tsr_project_add_code_to_theme (f->p, t2, f->grief, NULL);

  scopes[0] = tsr_scope_new (TSR_CODERS_ANY, 0);
  scopes[1] = tsr_scope_new (TSR_CODERS_ONE, tsr_entity_get_id (TSR_ENTITY (bob)));
  scopes[2] = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    {
      g_autoptr(TsrCounts) before = tsr_project_compute_counts (f->p, scopes[s], NULL, NULL);
      g_autoptr(TsrThemeTally) tally = tsr_theme_tally_new (before);
      g_autoptr(TsrCounts) after = NULL;
      g_autoptr(GError) error = NULL;
      gint64 ids[] = { t1, t1a, t2 };

      g_assert_true (tsr_theme_tally_supports (scopes[s]));
      /* Sort codes: Hope into the sub-theme, Fear into Dark, Joy out. */
      tsr_project_add_code_to_theme (f->p, t1a, f->hope, NULL);
      tsr_project_add_code_to_theme (f->p, t2, f->fear, NULL);
      tsr_project_remove_code_from_theme (f->p, t1, f->joy, NULL);
      g_assert_true (tsr_theme_tally_update (tally, f->p, &error));
      g_assert_no_error (error);
      after = tsr_project_compute_counts (f->p, scopes[s], NULL, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
        g_assert_cmpuint (tsr_theme_tally_get_theme_n (tally, ids[i]), ==, tsr_counts_get_theme_n (after, ids[i]));

      /* Any coder: Bright, through Brighter's Hope and Child below it,
       * D1–D3; Dark: Fear D1, D2, D4 (Bob), Grief D4. */
      if (s == 0)
        {
          g_assert_cmpuint (tsr_theme_tally_get_theme_n (tally, t1), ==, 3);
          g_assert_cmpuint (tsr_theme_tally_get_theme_n (tally, t2), ==, 3);
        }
      tsr_project_undo (f->p, NULL);
      tsr_project_undo (f->p, NULL);
      tsr_project_undo (f->p, NULL);
    }

  {
    g_autoptr(TsrScope) all = tsr_scope_new (TSR_CODERS_ALL, 0);
    g_assert_false (tsr_theme_tally_supports (all));
  }
  for (guint s = 0; s < G_N_ELEMENTS (scopes); s++)
    tsr_scope_free (scopes[s]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/themes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("cooccurring", test_cooccurring);
  ADD ("cooccurrence-one-coder", test_cooccurrence_one_coder);
  ADD ("cooccurrence-table", test_cooccurrence_table);
  ADD ("phases", test_phases);
  ADD ("report-exported", test_report_exported);
  ADD ("split", test_split);
  ADD ("merge", test_merge);
  ADD ("link-label", test_link_label);
  ADD ("extracts", test_extracts);
  ADD ("tally", test_tally);

  return g_test_run ();
}
