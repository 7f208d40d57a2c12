/* test-undo.c — undo and redo of every kind of edit
 *
 * Each test builds the same small project (documents, a code tree, two
 * coders' segments, themes, memos everywhere, the journal, cases,
 * attributes and the map), takes a snapshot of everything the public API
 * can read, makes one edit, checks the edit did what it should, and then
 * checks that undo gives back the "before" snapshot exactly, redo the
 * "after" snapshot exactly, and a second undo "before" again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tessera.h"
#include "tsr-test-utils.h"

/* Helpers ------------------------------------------------------------ */

#define CHECK(expr)                                 \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    gboolean ok_ = (expr);                          \
    g_assert_no_error (err);                        \
    g_assert_true (ok_);                            \
  } G_STMT_END

#define CHECK_ID(var, expr)                         \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    (var) = (expr);                                 \
    g_assert_no_error (err);                        \
    g_assert_cmpint ((var), >, 0);                  \
  } G_STMT_END

/* An edit that must fail with @code and leave the project as it was. */
#define CHECK_FAILS(p, expr, code)                                  \
  G_STMT_START {                                                    \
    GError *err = NULL;                                             \
    g_autofree char *before_ = snapshot (p);                        \
    guint history_ = history_length (p);                            \
    gint64 r_ = (gint64) (expr);                                    \
    g_autofree char *after_ = NULL;                                 \
    g_assert_error (err, TSR_ERROR, (code));                        \
    g_clear_error (&err);                                           \
    g_assert_cmpint (r_, ==, 0);                                    \
    after_ = snapshot (p);                                          \
    g_assert_cmpstr (after_, ==, before_);                          \
    g_assert_cmpuint (history_length (p), ==, history_);            \
  } G_STMT_END

static guint
history_length (TsrProject *p)
{
  g_autoptr(GPtrArray) h = tsr_project_list_history (p, 0);
  return h->len;
}

static char *
esc (const char *s)
{
  return g_strescape (s ? s : "(null)", NULL);
}

/* The snapshot ------------------------------------------------------- */

static void
append_memo (GString     *s,
             TsrProject  *p,
             TsrMemoKind  kind,
             gint64       id)
{
  g_autofree char *memo = tsr_project_get_memo (p, kind, id);
  g_autofree char *e = esc (memo);

  if (memo[0] != '\0')
    g_string_append_printf (s, "    memo \"%s\"\n", e);
}

static void
append_map_position (GString        *s,
                     TsrProject     *p,
                     TsrMapItemKind  kind,
                     gint64          id)
{
  double x = 0, y = 0;

  if (tsr_project_get_map_position (p, kind, id, &x, &y))
    g_string_append_printf (s, "    map %.17g,%.17g\n", x, y);
}

static void
append_id_array (GString    *s,
                 const char *what,
                 GArray     *ids)
{
  g_string_append_printf (s, "    %s [", what);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? " " : "", g_array_index (ids, gint64, i));
  g_string_append (s, "]\n");
}

static void
append_segment (GString    *s,
                TsrProject *p,
                TsrSegment *seg)
{
  g_autofree char *text = esc (tsr_segment_get_text (seg));

  g_string_append_printf (s, "  segment %" G_GINT64_FORMAT " %s doc=%" G_GINT64_FORMAT
                          " code=%" G_GINT64_FORMAT " coder=%" G_GINT64_FORMAT
                          " [%u,%u) \"%s\" exemplar=%d created=%" G_GINT64_FORMAT "\n",
                          tsr_test_id_of (seg), tsr_entity_get_uuid (TSR_ENTITY (seg)),
                          tsr_segment_get_document_id (seg), tsr_segment_get_code_id (seg),
                          tsr_segment_get_coder_id (seg), tsr_segment_get_start (seg),
                          tsr_segment_get_end (seg), text, tsr_segment_get_exemplar (seg),
                          tsr_segment_get_created (seg));
  append_memo (s, p, TSR_MEMO_SEGMENT, tsr_test_id_of (seg));
}

/* Everything the public API can read, as text. */
static char *
snapshot (TsrProject *p)
{
  GString *s = g_string_new (NULL);
  g_autoptr(GListModel) coders = tsr_project_get_coders (p);
  g_autoptr(GListModel) documents = tsr_project_get_documents (p);
  g_autoptr(GListModel) journal = tsr_project_get_journal (p);
  g_autoptr(GListModel) cases = tsr_project_get_cases (p);
  g_autoptr(GListModel) attributes = tsr_project_get_attributes (p);
  g_autoptr(GListModel) links = tsr_project_get_map_links (p);
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (p);
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (p);
  g_autofree char *title = esc (tsr_project_get_title (p));
  g_autofree char *description = esc (tsr_project_get_description (p));

  g_string_append_printf (s, "title \"%s\"\ndescription \"%s\"\n", title, description);
  g_string_append_printf (s, "n_documents %u n_codes %u\n",
                          tsr_project_get_n_documents (p), tsr_project_get_n_codes (p));

  for (guint i = 0; i < g_list_model_get_n_items (coders); i++)
    {
      g_autoptr(TsrCoder) c = g_list_model_get_item (coders, i);
      g_autofree char *name = esc (tsr_coder_get_name (c));

      g_string_append_printf (s, "coder %" G_GINT64_FORMAT " %s \"%s\" consensus=%d\n",
                              tsr_test_id_of (c), tsr_entity_get_uuid (TSR_ENTITY (c)), name,
                              tsr_coder_get_is_consensus (c));
    }

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) d = g_list_model_get_item (documents, i);
      g_autoptr(GListModel) segments = tsr_project_get_segments (p, tsr_test_id_of (d));
      g_autoptr(GError) error = NULL;
      g_autofree char *raw = tsr_project_get_document_text (p, tsr_test_id_of (d), &error);
      g_autofree char *text = esc (raw);
      g_autofree char *name = esc (tsr_document_get_name (d));
      g_autofree char *source = esc (tsr_document_get_source (d));

      g_assert_no_error (error);
      g_string_append_printf (s, "document %" G_GINT64_FORMAT " %s \"%s\" source=\"%s\" hash=%s"
                              " read=%d length=%u created=%" G_GINT64_FORMAT "\n    text \"%s\"\n",
                              tsr_test_id_of (d), tsr_entity_get_uuid (TSR_ENTITY (d)), name, source,
                              tsr_document_get_content_hash (d), tsr_document_get_read (d),
                              tsr_document_get_length (d), tsr_document_get_created (d), text);
      append_memo (s, p, TSR_MEMO_DOCUMENT, tsr_test_id_of (d));
      {
        g_autoptr(GArray) done = tsr_project_get_document_done_coders (p, tsr_test_id_of (d));

        for (guint j = 0; j < done->len; j++)
          g_string_append_printf (s, "    done by %" G_GINT64_FORMAT "\n", g_array_index (done, gint64, j));
      }
      for (guint j = 0; j < g_list_model_get_n_items (segments); j++)
        {
          g_autoptr(TsrSegment) seg = g_list_model_get_item (segments, j);
          append_segment (s, p, seg);
        }
    }

  for (guint i = 0; i < codes->len; i++)
    {
      TsrCode *c = codes->pdata[i];
      g_autofree char *path = tsr_project_get_code_path (p, tsr_test_id_of (c));
      g_autofree char *epath = esc (path);
      g_autofree char *definition = esc (tsr_code_get_definition (c));
      g_autoptr(GPtrArray) own = tsr_project_list_code_segments (p, tsr_test_id_of (c), FALSE);
      g_autoptr(GPtrArray) all = tsr_project_list_code_segments (p, tsr_test_id_of (c), TRUE);

      g_string_append_printf (s, "code %" G_GINT64_FORMAT " %s parent=%" G_GINT64_FORMAT
                              " \"%s\" color=%s definition=\"%s\" position=%d children=%u\n",
                              tsr_test_id_of (c), tsr_entity_get_uuid (TSR_ENTITY (c)),
                              tsr_code_get_parent_id (c), epath, tsr_code_get_color (c),
                              definition, tsr_code_get_position (c), tsr_code_get_n_children (c));
      g_string_append (s, "    segments");
      for (guint j = 0; j < own->len; j++)
        g_string_append_printf (s, " %" G_GINT64_FORMAT, tsr_test_id_of (own->pdata[j]));
      g_string_append (s, " / with sub-codes");
      for (guint j = 0; j < all->len; j++)
        g_string_append_printf (s, " %" G_GINT64_FORMAT, tsr_test_id_of (all->pdata[j]));
      g_string_append_c (s, '\n');
      append_memo (s, p, TSR_MEMO_CODE, tsr_test_id_of (c));
      append_map_position (s, p, TSR_MAP_ITEM_CODE, tsr_test_id_of (c));
    }

  for (guint i = 0; i < themes->len; i++)
    {
      TsrTheme *t = themes->pdata[i];
      g_autoptr(GArray) theme_codes = tsr_project_get_theme_codes (p, tsr_test_id_of (t));
      g_autofree char *name = esc (tsr_theme_get_name (t));
      g_autofree char *def = esc (tsr_theme_get_field (t, TSR_THEME_FIELD_DEFINITION));
      g_autofree char *scope = esc (tsr_theme_get_field (t, TSR_THEME_FIELD_SCOPE_NOTES));
      g_autofree char *narrative = esc (tsr_theme_get_field (t, TSR_THEME_FIELD_NARRATIVE));

      g_string_append_printf (s, "theme %" G_GINT64_FORMAT " %s parent=%" G_GINT64_FORMAT
                              " \"%s\" definition=\"%s\" scope=\"%s\" narrative=\"%s\""
                              " status=%s position=%d\n",
                              tsr_test_id_of (t), tsr_entity_get_uuid (TSR_ENTITY (t)),
                              tsr_theme_get_parent_id (t), name, def, scope, narrative,
                              tsr_theme_status_to_string (tsr_theme_get_status (t)),
                              tsr_theme_get_position (t));
      append_id_array (s, "codes", theme_codes);
      append_memo (s, p, TSR_MEMO_THEME, tsr_test_id_of (t));
      append_map_position (s, p, TSR_MAP_ITEM_THEME, tsr_test_id_of (t));
    }

  for (guint i = 0; i < g_list_model_get_n_items (journal); i++)
    {
      g_autoptr(TsrMemo) m = g_list_model_get_item (journal, i);
      g_autofree char *text = esc (tsr_memo_get_text (m));

      g_string_append_printf (s, "journal %" G_GINT64_FORMAT " %s kind=%d target=%" G_GINT64_FORMAT
                              " coder=%" G_GINT64_FORMAT " date=%s \"%s\" modified=%" G_GINT64_FORMAT "\n",
                              tsr_test_id_of (m), tsr_entity_get_uuid (TSR_ENTITY (m)), tsr_memo_get_kind (m),
                              tsr_memo_get_target_id (m), tsr_memo_get_coder_id (m),
                              tsr_memo_get_date (m), text, tsr_memo_get_modified (m));
    }

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(TsrCase) c = g_list_model_get_item (cases, i);
      g_autoptr(GArray) docs = tsr_project_get_case_documents (p, tsr_test_id_of (c));
      g_autofree char *name = esc (tsr_case_get_name (c));
      g_autofree char *case_description = esc (tsr_case_get_description (c));

      g_string_append_printf (s, "case %" G_GINT64_FORMAT " %s \"%s\" description=\"%s\"\n",
                              tsr_test_id_of (c), tsr_entity_get_uuid (TSR_ENTITY (c)), name, case_description);
      append_id_array (s, "documents", docs);
    }

  for (guint i = 0; i < g_list_model_get_n_items (attributes); i++)
    {
      g_autoptr(TsrAttribute) a = g_list_model_get_item (attributes, i);
      GListModel *targets = tsr_attribute_get_target (a) == TSR_ATTRIBUTE_ON_CASES ? cases : documents;
      g_autofree char *name = esc (tsr_attribute_get_name (a));

      g_string_append_printf (s, "attribute %" G_GINT64_FORMAT " %s \"%s\" type=%s target=%d\n",
                              tsr_test_id_of (a), tsr_entity_get_uuid (TSR_ENTITY (a)), name,
                              tsr_attribute_type_to_string (tsr_attribute_get_value_type (a)),
                              tsr_attribute_get_target (a));
      for (guint j = 0; j < g_list_model_get_n_items (targets); j++)
        {
          g_autoptr(TsrEntity) t = g_list_model_get_item (targets, j);
          g_autofree char *value = tsr_project_get_attribute_value (p, tsr_test_id_of (a), tsr_test_id_of (t));
          g_autofree char *e = NULL;

          if (value == NULL)
            continue;
          e = esc (value);
          g_string_append_printf (s, "    value %" G_GINT64_FORMAT " \"%s\"\n", tsr_test_id_of (t), e);
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(TsrMapLink) l = g_list_model_get_item (links, i);
      g_autofree char *label = esc (tsr_map_link_get_label (l));

      g_string_append_printf (s, "link %" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT
                              " \"%s\"\n",
                              tsr_test_id_of (l), tsr_entity_get_uuid (TSR_ENTITY (l)),
                              tsr_map_link_get_from_theme (l), tsr_map_link_get_to_theme (l), label);
    }

  return g_string_free (s, FALSE);
}

/* Checks that the project shows @after now, and that undo gives @before,
 * redo @after and undo @before again; @label is the undo label. */
static void
check_undo_redo (TsrProject *p,
                 const char *before,
                 const char *after,
                 const char *label)
{
  g_autofree char *now = snapshot (p);
  g_autofree char *undo_label = tsr_project_get_undo_label (p);
  g_autofree char *redo_label = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *undone_again = NULL;

  g_assert_cmpstr (now, ==, after);
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpstr (undo_label, ==, label);
  g_assert_true (tsr_project_can_undo (p));
  g_assert_false (tsr_project_can_redo (p));

  CHECK (tsr_project_undo (p, &err));
  undone = snapshot (p);
  g_assert_cmpstr (undone, ==, before);
  g_assert_true (tsr_project_can_redo (p));
  redo_label = tsr_project_get_redo_label (p);
  g_assert_cmpstr (redo_label, ==, label);

  CHECK (tsr_project_redo (p, &err));
  redone = snapshot (p);
  g_assert_cmpstr (redone, ==, after);
  g_assert_false (tsr_project_can_redo (p));

  CHECK (tsr_project_undo (p, &err));
  undone_again = snapshot (p);
  g_assert_cmpstr (undone_again, ==, before);

  {
    g_autoptr(GError) error = NULL;
    g_assert_true (tsr_project_check_integrity (p, &error));
    g_assert_no_error (error);
  }
}

/* The fixture -------------------------------------------------------- */

/* Interview 1 (48 characters):
 *   "We held hands." [0,14)  "We cried together." [15,33)  "We kept going." [34,48)
 * Interview 2 (26 characters):
 *   "Small gestures" [0,14)  "mean" [15,19)  "lot" [22,25)
 * Interview 3 (15 characters): "Nobody" [0,6) */
#define TEXT1 "We held hands. We cried together. We kept going."
#define TEXT2 "Small gestures mean a lot."
#define TEXT3 "Nobody noticed."

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *p;

  gint64 ada, bob;
  gint64 d1, d2, d3;
  gint64 solidarity, together, tears, networks, compassion, little;
  gint64 s1, s2, s3, s4, s5, s6;
  gint64 connection, belonging, kindness;
  gint64 j1, j2;
  gint64 ward_a, ward_b;
  gint64 role, years, region, urban;
  gint64 link;
} Fixture;

static void
build (Fixture *f)
{
  TsrProject *p = f->p;
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) bob = NULL;
  GError *error = NULL;

  ada = tsr_project_ensure_coder (p, "Ada Lovelace", &error);
  g_assert_no_error (error);
  bob = tsr_project_ensure_coder (p, "Bob Marley", &error);
  g_assert_no_error (error);
  f->ada = tsr_test_id_of (ada);
  f->bob = tsr_test_id_of (bob);
  CHECK (tsr_project_set_current_coder (p, f->ada, &err));

  CHECK (tsr_project_set_title (p, "Healthcare essays", &err));
  CHECK (tsr_project_set_description (p, "Pilot study", &err));

  CHECK_ID (f->d1, tsr_project_add_document (p, "Interview 1", TEXT1, "/data/i1.txt", &err));
  CHECK_ID (f->d2, tsr_project_add_document (p, "Interview 2", TEXT2, "/data/i2.md", &err));
  CHECK_ID (f->d3, tsr_project_add_document (p, "Interview 3", TEXT3, NULL, &err));
  CHECK (tsr_project_set_document_read (p, f->d1, TRUE, &err));
  CHECK (tsr_project_set_documents_done (p, f->bob, &f->d1, 1, TRUE, &err));

  CHECK_ID (f->solidarity, tsr_project_create_code (p, 0, "Solidarity", "#3584e4", "Standing together", &err));
  CHECK_ID (f->together, tsr_project_create_code (p, f->solidarity, "Togetherness", "#33d17a", NULL, &err));
  CHECK_ID (f->tears, tsr_project_create_code (p, f->together, "Shared tears", "#f6d32d", "Crying together", &err));
  CHECK_ID (f->networks, tsr_project_create_code (p, f->solidarity, "Support networks", "#ff7800", NULL, &err));
  CHECK_ID (f->compassion, tsr_project_create_code (p, 0, "Compassion", "#e01b24", "Kindness shown", &err));
  CHECK_ID (f->little, tsr_project_create_code (p, 0, "Little means much", "#9141ac", NULL, &err));

  CHECK_ID (f->s1, tsr_project_add_segment (p, f->d1, f->together, 0, 14, &err));
  CHECK_ID (f->s2, tsr_project_add_segment (p, f->d1, f->tears, 15, 33, &err));
  CHECK_ID (f->s3, tsr_project_add_segment_for_coder (p, f->d1, f->solidarity, f->bob, 0, 33, &err));
  CHECK_ID (f->s4, tsr_project_add_segment (p, f->d1, f->networks, 34, 48, &err));
  CHECK (tsr_project_set_segment_exemplar (p, f->s4, TRUE, &err));
  CHECK_ID (f->s5, tsr_project_add_segment (p, f->d2, f->little, 0, 14, &err));
  CHECK_ID (f->s6, tsr_project_add_segment_for_coder (p, f->d2, f->compassion, f->bob, 15, 19, &err));

  CHECK_ID (f->connection, tsr_project_create_theme (p, 0, "Connection", &err));
  CHECK_ID (f->belonging, tsr_project_create_theme (p, f->connection, "Belonging", &err));
  CHECK_ID (f->kindness, tsr_project_create_theme (p, 0, "Kindness", &err));
  CHECK (tsr_project_set_theme_field (p, f->connection, TSR_THEME_FIELD_DEFINITION, "Being with others", &err));
  CHECK (tsr_project_set_theme_field (p, f->connection, TSR_THEME_FIELD_SCOPE_NOTES, "Not: pity", &err));
  CHECK (tsr_project_set_theme_field (p, f->connection, TSR_THEME_FIELD_NARRATIVE, "Staff leaned\non each other", &err));
  CHECK (tsr_project_set_theme_status (p, f->connection, TSR_THEME_REVIEWED, &err));
  CHECK (tsr_project_add_code_to_theme (p, f->connection, f->solidarity, &err));
  CHECK (tsr_project_add_code_to_theme (p, f->connection, f->together, &err));
  CHECK (tsr_project_add_code_to_theme (p, f->belonging, f->networks, &err));
  CHECK (tsr_project_add_code_to_theme (p, f->kindness, f->compassion, &err));
  CHECK (tsr_project_add_code_to_theme (p, f->kindness, f->little, &err));

  CHECK (tsr_project_set_memo (p, TSR_MEMO_DOCUMENT, f->d1, "Night shift interview", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_SEGMENT, f->s2, "Tears as bonding", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_CODE, f->together, "Being with", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_CODE, f->solidarity, "Broad code", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_THEME, f->connection, "Central theme", &err));
  CHECK (tsr_project_set_memo (p, TSR_MEMO_THEME, f->belonging, "Maybe merge", &err));

  CHECK_ID (f->j1, tsr_project_add_journal_entry (p, "2026-01-05", "Started coding", &err));
  CHECK_ID (f->j2, tsr_project_add_journal_entry (p, "2026-01-06", "Second pass", &err));

  CHECK_ID (f->ward_a, tsr_project_create_case (p, "Ward A", &err));
  CHECK_ID (f->ward_b, tsr_project_create_case (p, "Ward B", &err));
  CHECK (tsr_project_set_case_membership (p, f->ward_a, f->d1, TRUE, &err));
  CHECK (tsr_project_set_case_membership (p, f->ward_a, f->d2, TRUE, &err));
  CHECK (tsr_project_set_case_membership (p, f->ward_b, f->d3, TRUE, &err));

  CHECK_ID (f->role, tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Role", TSR_ATTRIBUTE_TEXT, &err));
  CHECK_ID (f->years, tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Years", TSR_ATTRIBUTE_INTEGER, &err));
  CHECK_ID (f->region, tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_CASES, "Region", TSR_ATTRIBUTE_TEXT, &err));
  CHECK_ID (f->urban, tsr_project_define_attribute (p, TSR_ATTRIBUTE_ON_CASES, "Urban", TSR_ATTRIBUTE_BOOLEAN, &err));
  CHECK (tsr_project_set_attribute_value (p, f->role, f->d1, "Nurse", &err));
  CHECK (tsr_project_set_attribute_value (p, f->role, f->d2, "Physician", &err));
  CHECK (tsr_project_set_attribute_value (p, f->years, f->d1, "12", &err));
  CHECK (tsr_project_set_attribute_value (p, f->region, f->ward_a, "North", &err));
  CHECK (tsr_project_set_attribute_value (p, f->urban, f->ward_b, "false", &err));

  CHECK (tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, f->connection, 10, 20, &err));
  CHECK (tsr_project_set_map_position (p, TSR_MAP_ITEM_THEME, f->kindness, 30.5, -40.25, &err));
  CHECK (tsr_project_set_map_position (p, TSR_MAP_ITEM_CODE, f->together, 1, 2, &err));
  CHECK (tsr_project_set_map_position (p, TSR_MAP_ITEM_CODE, f->tears, 3, 4, &err));
  CHECK_ID (f->link, tsr_project_add_map_link (p, f->connection, f->kindness, "feeds", &err));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tessera-undo-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.tessera", NULL);
  f->p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->p);
  if (data == NULL)
    build (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->p != NULL)
    {
      g_autoptr(GError) error = NULL;
      tsr_project_close (f->p, &error);
      g_assert_no_error (error);
      g_clear_object (&f->p);
    }
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
n_segments (TsrProject *p,
            gint64      document_id)
{
  g_autoptr(GListModel) m = tsr_project_get_segments (p, document_id);
  return g_list_model_get_n_items (m);
}

static GArray *
get_theme_codes (TsrProject *p,
             gint64      theme)
{
  return tsr_project_get_theme_codes (p, theme);
}

static void
assert_ids (GArray *ids,
            guint   n,
            ...)
{
  va_list ap;

  g_assert_cmpuint (ids->len, ==, n);
  va_start (ap, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, va_arg (ap, gint64));
  va_end (ap);
}

/* Documents ---------------------------------------------------------- */

static void
test_add_document (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autoptr(TsrDocument) doc = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_add_document (f->p, "  Essay 4  ", "Line one\nLine two ☕", "/x/essay4.txt", &err));
  doc = tsr_project_lookup_document (f->p, id);
  g_assert_nonnull (doc);
  g_assert_cmpstr (tsr_document_get_name (doc), ==, "Essay 4");
  g_assert_cmpstr (tsr_document_get_source (doc), ==, "/x/essay4.txt");
  g_assert_cmpuint (tsr_document_get_length (doc), ==, 19);
  g_assert_false (tsr_document_get_read (doc));
  text = tsr_project_get_document_text (f->p, id, NULL);
  g_assert_cmpstr (text, ==, "Line one\nLine two ☕");
  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 4);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Import “Essay 4”");
  g_assert_null (tsr_project_lookup_document (f->p, id));
}

static void
test_import_file (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *file_path = g_build_filename (f->dir, "Essay five.md", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (file_path);
  gint64 id;

  g_assert_true (g_file_set_contents (file_path, "One\r\nTwo\r\n", -1, NULL));
  CHECK_ID (id, tsr_project_import_file (f->p, file, NULL, &err));
  text = tsr_project_get_document_text (f->p, id, NULL);
  g_assert_cmpstr (text, ==, "One\nTwo\n");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Import “Essay five”");
}

static void
test_rename_document (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrDocument) doc = NULL;

  CHECK (tsr_project_rename_document (f->p, f->d2, "Pharmacist essay", &err));
  doc = tsr_project_lookup_document (f->p, f->d2);
  g_assert_cmpstr (tsr_document_get_name (doc), ==, "Pharmacist essay");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Rename document to “Pharmacist essay”");
  g_clear_object (&doc);
  doc = tsr_project_lookup_document (f->p, f->d2);
  g_assert_cmpstr (tsr_document_get_name (doc), ==, "Interview 2");
}

static void
test_read_document (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrDocument) doc = NULL;

  CHECK (tsr_project_set_document_read (f->p, f->d2, TRUE, &err));
  doc = tsr_project_lookup_document (f->p, f->d2);
  g_assert_true (tsr_document_get_read (doc));
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark “Interview 2” as read");

  /* and back to unread */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_document_read (f->p, f->d1, FALSE, &err));
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark “Interview 1” as unread");
}

/* Marking documents as done is one edit for all of them, recorded
 * under the coder who marks; a document already marked stays as it was,
 * and a mark goes with its document. */
static void
test_done_documents (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(GArray) ada_done = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 all[] = { f->d1, f->d2, f->d3 };
  gint64 two[] = { f->d1, f->d2 };
  gint64 ghost[] = { f->d1, 4242 };

  g_assert_false (tsr_project_get_document_done (f->p, f->d1, 0));
  g_assert_true (tsr_project_get_document_done (f->p, f->d1, f->bob));
  CHECK (tsr_project_set_documents_done (f->p, 0, all, 3, TRUE, &err));
  g_assert_true (tsr_project_get_document_done (f->p, f->d1, 0));
  g_assert_true (tsr_project_get_document_done (f->p, f->d3, f->ada));
  ada_done = tsr_project_get_done_documents (f->p, f->ada);
  assert_ids (ada_done, 3, f->d1, f->d2, f->d3);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark 3 documents as done");
  CHECK (tsr_project_redo (f->p, &err));
  history = tsr_project_list_history (f->p, 1);
  g_assert_cmpstr (tsr_history_entry_get_coder_name (history->pdata[0]), ==, "Ada Lovelace");

  /* Taking the mark back from two of them; Bob's mark on Interview 1
   * stays. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_documents_done (f->p, 0, two, 2, FALSE, &err));
  g_assert_false (tsr_project_get_document_done (f->p, f->d1, f->ada));
  g_assert_true (tsr_project_get_document_done (f->p, f->d1, f->bob));
  g_assert_true (tsr_project_get_document_done (f->p, f->d3, f->ada));
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark 2 documents as not done");
  CHECK (tsr_project_redo (f->p, &err));

  /* One document names itself. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_documents_done (f->p, f->bob, &f->d2, 1, TRUE, &err));
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark “Interview 2” as done");
  CHECK (tsr_project_redo (f->p, &err));

  /* Marking what is marked records nothing; a document that does not
   * exist fails before anything is written. */
  {
    g_autoptr(GPtrArray) first = tsr_project_list_history (f->p, 0);
    g_autoptr(GPtrArray) again = NULL;
    guint n = first->len;

    CHECK (tsr_project_set_documents_done (f->p, f->bob, &f->d2, 1, TRUE, &err));
    again = tsr_project_list_history (f->p, 0);
    g_assert_cmpuint (again->len, ==, n);
  }
  CHECK_FAILS (f->p, tsr_project_set_documents_done (f->p, 0, ghost, 2, TRUE, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_documents_done (f->p, 4242, &f->d1, 1, TRUE, &err), TSR_ERROR_NOT_FOUND);

  /* Deleting a document takes its marks; undoing brings them back. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_delete_document (f->p, f->d1, &err));
  g_assert_false (tsr_project_get_document_done (f->p, f->d1, f->bob));
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete document “Interview 1”");
  g_assert_true (tsr_project_get_document_done (f->p, f->d1, f->bob));
}

static void
test_delete_document (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GArray) members = NULL;
  g_autoptr(GPtrArray) segs = NULL;

  /* Interview 1 has four segments, a document memo, a segment memo, a
   * case membership and two attribute values. */
  CHECK (tsr_project_delete_document (f->p, f->d1, &err));
  g_assert_null (tsr_project_lookup_document (f->p, f->d1));
  g_assert_null (tsr_project_lookup_segment (f->p, f->s1));
  g_assert_null (tsr_project_lookup_segment (f->p, f->s4));
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, f->s2);
  g_assert_cmpstr (memo, ==, "");
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_DOCUMENT, f->d1);
  g_assert_cmpstr (memo, ==, "");
  members = tsr_project_get_case_documents (f->p, f->ward_a);
  assert_ids (members, 1, f->d2);
  value = tsr_project_get_attribute_value (f->p, f->role, f->d1);
  g_assert_null (value);
  segs = tsr_project_list_code_segments (f->p, f->solidarity, TRUE);
  g_assert_cmpuint (segs->len, ==, 0);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete document “Interview 1”");
  g_assert_cmpint (n_segments (f->p, f->d1), ==, 4);
}

/* Codes -------------------------------------------------------------- */

static void
test_create_code (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsrCode) code = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_create_code (f->p, f->together, "Holding hands", "#26a269", "Touch", &err));
  code = tsr_project_lookup_code (f->p, id);
  g_assert_cmpint (tsr_code_get_parent_id (code), ==, f->together);
  g_assert_cmpint (tsr_code_get_position (code), ==, 1);   /* after Shared tears */
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#26a269");
  g_assert_cmpstr (tsr_code_get_definition (code), ==, "Touch");
  path = tsr_project_get_code_path (f->p, id);
  g_assert_cmpstr (path, ==, "Solidarity/Togetherness/Holding hands");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Create code “Holding hands”");
}

static void
test_rename_code (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *path = NULL;

  CHECK (tsr_project_rename_code (f->p, f->together, "Being together", &err));
  path = tsr_project_get_code_path (f->p, f->tears);
  g_assert_cmpstr (path, ==, "Solidarity/Being together/Shared tears");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Rename code “Togetherness” to “Being together”");
}

static void
test_recolor_code (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrCode) code = NULL;

  CHECK (tsr_project_set_code_color (f->p, f->compassion, "#A51D2D", &err));
  code = tsr_project_lookup_code (f->p, f->compassion);
  g_assert_cmpstr (tsr_code_get_color (code), ==, "#a51d2d");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Recolour code “Compassion”");
}

static void
test_redefine_code (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrCode) code = NULL;

  CHECK (tsr_project_set_code_definition (f->p, f->compassion, "Kindness shown\nto patients", &err));
  code = tsr_project_lookup_code (f->p, f->compassion);
  g_assert_cmpstr (tsr_code_get_definition (code), ==, "Kindness shown\nto patients");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Edit the definition of “Compassion”");
}

static void
test_move_code (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsrCode) solidarity = NULL;
  g_autoptr(TsrCode) little = NULL;
  g_autoptr(TsrCode) networks = NULL;
  g_autoptr(GPtrArray) segs = NULL;

  /* Togetherness (with Shared tears) moves under Compassion; Support
   * networks closes the gap under Solidarity. */
  CHECK (tsr_project_move_code (f->p, f->together, f->compassion, -1, &err));
  path = tsr_project_get_code_path (f->p, f->tears);
  g_assert_cmpstr (path, ==, "Compassion/Togetherness/Shared tears");
  networks = tsr_project_lookup_code (f->p, f->networks);
  g_assert_cmpint (tsr_code_get_position (networks), ==, 0);
  solidarity = tsr_project_lookup_code (f->p, f->solidarity);
  g_assert_cmpuint (tsr_code_get_n_children (solidarity), ==, 1);
  segs = tsr_project_list_code_segments (f->p, f->compassion, TRUE);
  g_assert_cmpuint (segs->len, ==, 3);   /* s1, s2 (Interview 1), s6 (Interview 2) */

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move code “Togetherness”");

  /* Reordering among siblings: Little means much to the front. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_move_code (f->p, f->little, 0, 0, &err));
  little = tsr_project_lookup_code (f->p, f->little);
  g_assert_cmpint (tsr_code_get_position (little), ==, 0);
  g_clear_object (&solidarity);
  solidarity = tsr_project_lookup_code (f->p, f->solidarity);
  g_assert_cmpint (tsr_code_get_position (solidarity), ==, 1);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move code “Little means much”");
}

static void
test_delete_code_with_segments (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;
  g_autoptr(GArray) connection_codes = NULL;
  g_autoptr(GArray) belonging_codes = NULL;
  g_autoptr(TsrCode) compassion = NULL;
  g_autoptr(TsrCode) little = NULL;
  double x, y;

  /* Solidarity has a segment (s3), sub-codes Togetherness (s1; memo; map
   * position; in Connection) with Shared tears (s2, which has a memo; map
   * position) and Support networks (s4; in Belonging). */
  CHECK (tsr_project_delete_code (f->p, f->solidarity, &err));

  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 2);
  g_assert_null (tsr_project_lookup_code (f->p, f->solidarity));
  g_assert_null (tsr_project_lookup_code (f->p, f->together));
  g_assert_null (tsr_project_lookup_code (f->p, f->tears));
  g_assert_null (tsr_project_lookup_code (f->p, f->networks));
  g_assert_cmpint (n_segments (f->p, f->d1), ==, 0);
  g_assert_cmpint (n_segments (f->p, f->d2), ==, 2);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, f->s2);
  g_assert_cmpstr (memo, ==, "");
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_CODE, f->together);
  g_assert_cmpstr (memo, ==, "");
  connection_codes = get_theme_codes (f->p, f->connection);
  g_assert_cmpuint (connection_codes->len, ==, 0);
  belonging_codes = get_theme_codes (f->p, f->belonging);
  g_assert_cmpuint (belonging_codes->len, ==, 0);
  g_assert_false (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_CODE, f->together, &x, &y));
  /* The remaining top-level codes close the gap. */
  compassion = tsr_project_lookup_code (f->p, f->compassion);
  little = tsr_project_lookup_code (f->p, f->little);
  g_assert_cmpint (tsr_code_get_position (compassion), ==, 0);
  g_assert_cmpint (tsr_code_get_position (little), ==, 1);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete code “Solidarity”");

  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, f->s2);
  g_assert_cmpstr (memo, ==, "Tears as bonding");
}

/* Adds what the merge tests need to the fixture:
 *   Compassion/Listening (segment on Interview 3 [0,6)),
 *   Little means much/Gestures,
 *   a Compassion segment by Ada on Interview 2 [0,14) that duplicates s5,
 *   Compassion in Connection too. */
typedef struct
{
  gint64 listening, gestures, dup, listening_seg;
} MergeExtra;

static void
merge_extra (Fixture    *f,
             MergeExtra *m)
{
  CHECK_ID (m->listening, tsr_project_create_code (f->p, f->compassion, "Listening", NULL, NULL, &err));
  CHECK_ID (m->gestures, tsr_project_create_code (f->p, f->little, "Gestures", NULL, NULL, &err));
  CHECK_ID (m->dup, tsr_project_add_segment (f->p, f->d2, f->compassion, 0, 14, &err));
  CHECK_ID (m->listening_seg, tsr_project_add_segment (f->p, f->d3, m->listening, 0, 6, &err));
  CHECK (tsr_project_add_code_to_theme (f->p, f->connection, f->compassion, &err));
  CHECK (tsr_project_set_code_definition (f->p, f->little, "Small acts", &err));
}

static void
test_merge_codes (Fixture *f, gconstpointer data)
{
  MergeExtra m;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(TsrCode) little = NULL;
  g_autoptr(TsrCode) listening = NULL;
  g_autoptr(TsrCode) gestures = NULL;
  g_autoptr(TsrSegment) moved = NULL;
  g_autoptr(GArray) connection = NULL;
  g_autoptr(GArray) kindness = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autofree char *path = NULL;

  merge_extra (f, &m);
  before = snapshot (f->p);

  CHECK (tsr_project_merge_codes (f->p, f->compassion, f->little, &err));

  g_assert_null (tsr_project_lookup_code (f->p, f->compassion));
  little = tsr_project_lookup_code (f->p, f->little);
  /* Top level was Solidarity 0, Compassion 1, Little means much 2. */
  g_assert_cmpint (tsr_code_get_position (little), ==, 1);
  g_assert_cmpstr (tsr_code_get_definition (little), ==, "Small acts\n\nCompassion: Kindness shown");
  g_assert_cmpuint (tsr_code_get_n_children (little), ==, 2);
  gestures = tsr_project_lookup_code (f->p, m.gestures);
  listening = tsr_project_lookup_code (f->p, m.listening);
  g_assert_cmpint (tsr_code_get_parent_id (listening), ==, f->little);
  g_assert_cmpint (tsr_code_get_position (gestures), ==, 0);
  g_assert_cmpint (tsr_code_get_position (listening), ==, 1);
  path = tsr_project_get_code_path (f->p, m.listening);
  g_assert_cmpstr (path, ==, "Little means much/Listening");

  /* s6 (Bob, [15,19)) moved; the duplicate of s5 (Ada, [0,14)) dropped. */
  g_assert_null (tsr_project_lookup_segment (f->p, m.dup));
  moved = tsr_project_lookup_segment (f->p, f->s6);
  g_assert_cmpint (tsr_segment_get_code_id (moved), ==, f->little);
  own = tsr_project_list_code_segments (f->p, f->little, FALSE);
  g_assert_cmpuint (own->len, ==, 2);
  g_assert_cmpint (tsr_test_id_of (own->pdata[0]), ==, f->s5);
  g_assert_cmpint (tsr_test_id_of (own->pdata[1]), ==, f->s6);
  g_assert_cmpint (n_segments (f->p, f->d2), ==, 2);

  /* Theme places: Kindness keeps one entry; Connection gains the target. */
  kindness = get_theme_codes (f->p, f->kindness);
  assert_ids (kindness, 1, f->little);
  connection = get_theme_codes (f->p, f->connection);
  g_assert_cmpuint (connection->len, ==, 3);
  g_assert_cmpint (g_array_index (connection, gint64, 2), ==, f->little);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Merge code “Compassion” into “Little means much”");
}

/* The source's memo moves to a target that has none. */
static void
test_merge_codes_memo (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;

  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, f->compassion, "Asked about in every interview", &err));
  before = snapshot (f->p);

  CHECK (tsr_project_merge_codes (f->p, f->compassion, f->little, &err));
  memo = tsr_project_get_memo (f->p, TSR_MEMO_CODE, f->little);
  g_assert_cmpstr (memo, ==, "Asked about in every interview");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Merge code “Compassion” into “Little means much”");
}

/* Merging a sub-code into a code elsewhere, which leaves its siblings. */
static void
test_merge_codes_across_parents (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrCode) networks = NULL;
  g_autoptr(TsrCode) solidarity = NULL;
  g_autoptr(GPtrArray) own = NULL;

  /* Togetherness (position 0 under Solidarity, with Shared tears) into
   * Compassion; Support networks is left alone under Solidarity. */
  CHECK (tsr_project_merge_codes (f->p, f->together, f->compassion, &err));
  solidarity = tsr_project_lookup_code (f->p, f->solidarity);
  g_assert_cmpuint (tsr_code_get_n_children (solidarity), ==, 1);
  own = tsr_project_list_code_segments (f->p, f->compassion, TRUE);
  g_assert_cmpuint (own->len, ==, 3);   /* s1, s2 via Shared tears, s6 */

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Merge code “Togetherness” into “Compassion”");

  /* Support networks closes the gap its merged sibling left, as it does
   * when a sibling is deleted or moved away. */
  CHECK (tsr_project_redo (f->p, &err));
  networks = tsr_project_lookup_code (f->p, f->networks);
  g_assert_cmpint (tsr_code_get_position (networks), ==, 0);
}

/* Segments ----------------------------------------------------------- */

static void
test_add_segment (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrSegment) seg = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_add_segment (f->p, f->d2, f->compassion, 22, 25, &err));
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "lot");
  g_assert_cmpint (tsr_segment_get_coder_id (seg), ==, f->ada);
  g_assert_false (tsr_segment_get_exemplar (seg));

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Code a passage as “Compassion”");
}

static void
test_remove_segment (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;

  CHECK (tsr_project_remove_segment (f->p, f->s2, &err));
  g_assert_null (tsr_project_lookup_segment (f->p, f->s2));
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, f->s2);
  g_assert_cmpstr (memo, ==, "");
  g_assert_cmpint (n_segments (f->p, f->d1), ==, 3);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Remove the code “Shared tears” from a passage");
  g_free (memo);
  memo = tsr_project_get_memo (f->p, TSR_MEMO_SEGMENT, f->s2);
  g_assert_cmpstr (memo, ==, "Tears as bonding");
}

static void
test_resize_segment (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrSegment) seg = NULL;

  CHECK (tsr_project_resize_segment (f->p, f->s5, 6, 19, &err));
  seg = tsr_project_lookup_segment (f->p, f->s5);
  g_assert_cmpuint (tsr_segment_get_start (seg), ==, 6);
  g_assert_cmpuint (tsr_segment_get_end (seg), ==, 19);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "gestures mean");

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Resize a coded passage");
  g_clear_object (&seg);
  seg = tsr_project_lookup_segment (f->p, f->s5);
  g_assert_cmpstr (tsr_segment_get_text (seg), ==, "Small gestures");
}

static void
test_star_exemplar (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrSegment) seg = NULL;

  CHECK (tsr_project_set_segment_exemplar (f->p, f->s1, TRUE, &err));
  seg = tsr_project_lookup_segment (f->p, f->s1);
  g_assert_true (tsr_segment_get_exemplar (seg));
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Star an exemplar quote");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_segment_exemplar (f->p, f->s4, FALSE, &err));
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Unstar an exemplar quote");
}


/* Coding at a glance ------------------------------------------------- */

static void
test_code_in_vivo (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrSegment) seg = NULL;
  g_autoptr(TsrCode) code = NULL;
  guint n_codes = tsr_project_get_n_codes (f->p);
  gint64 id;

  /* "cried together." [18,33): the code is named with the words, the
   * full stop left out; one undo step takes back both. */
  CHECK_ID (id, tsr_project_code_in_vivo (f->p, f->d1, 0, 18, 33, &err));
  seg = tsr_project_lookup_segment (f->p, id);
  g_assert_cmpuint (tsr_segment_get_start (seg), ==, 18);
  g_assert_cmpuint (tsr_segment_get_end (seg), ==, 33);
  g_assert_cmpint (tsr_segment_get_coder_id (seg), ==, f->ada);
  code = tsr_project_lookup_code (f->p, tsr_segment_get_code_id (seg));
  g_assert_cmpstr (tsr_code_get_name (code), ==, "cried together");
  g_assert_cmpint (tsr_code_get_parent_id (code), ==, 0);
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, n_codes + 1);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Code in vivo as “cried together”");
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, n_codes);
}

static void
test_code_in_vivo_existing (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrSegment) seg = NULL;
  guint n_codes;
  gint64 first, id;

  /* Under a parent, and a second time: the code made the first time is
   * reused rather than a twin made. */
  CHECK_ID (first, tsr_project_code_in_vivo (f->p, f->d2, f->compassion, 0, 14, &err));
  n_codes = tsr_project_get_n_codes (f->p);
  CHECK_ID (id, tsr_project_code_in_vivo (f->p, f->d2, f->compassion, 0, 14, &err));
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, n_codes);
  seg = tsr_project_lookup_segment (f->p, id);
  {
    g_autofree char *path = tsr_project_get_code_path (f->p, tsr_segment_get_code_id (seg));

    g_assert_cmpstr (path, ==, "Compassion/Small gestures");
  }
  g_assert_cmpint (first, !=, id);
}

static void
test_code_in_vivo_refused (Fixture *f, gconstpointer data)
{
  /* Only punctuation and spaces: no name to give; a range past the
   * end; a parent that does not exist. */
  CHECK_FAILS (f->p, tsr_project_code_in_vivo (f->p, f->d1, 0, 13, 15, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_code_in_vivo (f->p, f->d1, 0, 40, 49, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_code_in_vivo (f->p, f->d1, 9999, 0, 2, &err), TSR_ERROR_NOT_FOUND);
}

static void
on_async_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_recent_codes (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ada = NULL;
  g_autoptr(GArray) bob = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) two = NULL;
  gint64 id;

  /* Ada's coding in order: together, tears, networks, little; then
   * Solidarity now, and tears again: the latest first, each once. */
  CHECK_ID (id, tsr_project_add_segment (f->p, f->d3, f->solidarity, 0, 6, &err));
  CHECK_ID (id, tsr_project_add_segment (f->p, f->d3, f->tears, 7, 14, &err));

  ada = tsr_project_list_recent_codes (f->p, f->ada, 10);
  assert_ids (ada, 5, f->tears, f->solidarity, f->little, f->networks, f->together);
  bob = tsr_project_list_recent_codes (f->p, f->bob, 10);
  assert_ids (bob, 2, f->compassion, f->solidarity);
  two = tsr_project_list_recent_codes (f->p, f->ada, 2);
  assert_ids (two, 2, f->tears, f->solidarity);
  all = tsr_project_list_recent_codes (f->p, 0, 10);
  g_assert_cmpuint (all->len, ==, 6);

  /* In a worker, over a connection of its own: the same list, coding
   * committed before it included. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GArray) async = NULL;
    g_autoptr(GError) error = NULL;

    tsr_project_list_recent_codes_async (f->p, f->ada, 10, NULL, on_async_ready_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    async = tsr_project_list_recent_codes_finish (f->p, result, &error);
    g_assert_no_error (error);
    assert_ids (async, 5, f->tears, f->solidarity, f->little, f->networks, f->together);
  }
}

static void
test_document_spans (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) spans = tsr_project_list_document_spans (f->p, f->d1);
  g_autoptr(GArray) none = tsr_project_list_document_spans (f->p, f->d3);
  const TsrSpan *s;

  /* Interview 1 by start, the longer first: Bob's Solidarity [0,33),
   * Ada's Togetherness [0,14), Shared tears [15,33), starred Support
   * networks [34,48). */
  g_assert_cmpuint (spans->len, ==, 4);
  s = &g_array_index (spans, TsrSpan, 0);
  g_assert_cmpint (s->segment_id, ==, f->s3);
  g_assert_cmpint (s->code_id, ==, f->solidarity);
  g_assert_cmpint (s->coder_id, ==, f->bob);
  g_assert_cmpuint (s->start, ==, 0);
  g_assert_cmpuint (s->end, ==, 33);
  g_assert_false (s->exemplar);
  s = &g_array_index (spans, TsrSpan, 1);
  g_assert_cmpint (s->segment_id, ==, f->s1);
  g_assert_cmpuint (s->end, ==, 14);
  s = &g_array_index (spans, TsrSpan, 2);
  g_assert_cmpint (s->segment_id, ==, f->s2);
  g_assert_cmpint (s->coder_id, ==, f->ada);
  s = &g_array_index (spans, TsrSpan, 3);
  g_assert_cmpint (s->segment_id, ==, f->s4);
  g_assert_cmpuint (s->start, ==, 34);
  g_assert_cmpuint (s->end, ==, 48);
  g_assert_true (s->exemplar);
  g_assert_cmpuint (none->len, ==, 0);

  /* They follow edits and their undo. */
  CHECK (tsr_project_resize_segment (f->p, f->s4, 37, 48, &err));
  g_clear_pointer (&spans, g_array_unref);
  spans = tsr_project_list_document_spans (f->p, f->d1);
  g_assert_cmpuint (g_array_index (spans, TsrSpan, 3).start, ==, 37);
  CHECK (tsr_project_undo (f->p, &err));
  g_clear_pointer (&spans, g_array_unref);
  spans = tsr_project_list_document_spans (f->p, f->d1);
  g_assert_cmpuint (g_array_index (spans, TsrSpan, 3).start, ==, 34);
}

static void
test_document_segment_counts (Fixture *f, gconstpointer data)
{
  /* Interview 1: three of Ada's passages and one of Bob's. */
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d1, 0), ==, 4);
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d1, f->ada), ==, 3);
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d1, f->bob), ==, 1);
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d2, f->ada), ==, 1);
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d3, 0), ==, 0);

  CHECK (tsr_project_remove_segment (f->p, f->s1, &err));
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d1, f->ada), ==, 2);
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpuint (tsr_project_count_document_segments (f->p, f->d1, f->ada), ==, 3);
}

/* Memos and the journal ---------------------------------------------- */

static void
check_memo (Fixture     *f,
            TsrMemoKind  kind,
            gint64       target,
            const char  *text)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;

  CHECK (tsr_project_set_memo (f->p, kind, target, text, &err));
  memo = tsr_project_get_memo (f->p, kind, target);
  g_assert_cmpstr (memo, ==, text ? text : "");
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Edit memo");
}

static void
test_memos (Fixture *f, gconstpointer data)
{
  /* New memos */
  check_memo (f, TSR_MEMO_DOCUMENT, f->d2, "Short and dense");
  check_memo (f, TSR_MEMO_SEGMENT, f->s5, "Key quote");
  check_memo (f, TSR_MEMO_CODE, f->compassion, "Often with tears");
  check_memo (f, TSR_MEMO_THEME, f->kindness, "Check with Bob");
  /* Edited memos */
  check_memo (f, TSR_MEMO_DOCUMENT, f->d1, "Night shift interview, 2 a.m.");
  check_memo (f, TSR_MEMO_SEGMENT, f->s2, "Tears as bonding — cf. Interview 2");
  check_memo (f, TSR_MEMO_CODE, f->together, "Being with\nothers");
  check_memo (f, TSR_MEMO_THEME, f->connection, "Central theme?");
  /* Removed memos, by "" and by NULL */
  check_memo (f, TSR_MEMO_DOCUMENT, f->d1, "");
  check_memo (f, TSR_MEMO_SEGMENT, f->s2, NULL);
  check_memo (f, TSR_MEMO_CODE, f->solidarity, "");
  check_memo (f, TSR_MEMO_THEME, f->belonging, NULL);
}

static void
test_journal (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(GListModel) journal = tsr_project_get_journal (f->p);
  g_autoptr(TsrMemo) first = NULL;
  gint64 id;

  /* Add: dated before the others, so it comes first. */
  CHECK_ID (id, tsr_project_add_journal_entry (f->p, "2026-01-02", "Planning", &err));
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 3);
  first = g_list_model_get_item (journal, 0);
  g_assert_cmpint (tsr_test_id_of (first), ==, id);
  g_assert_cmpstr (tsr_memo_get_text (first), ==, "Planning");
  g_assert_cmpint (tsr_memo_get_coder_id (first), ==, f->ada);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Add a journal entry");
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 2);

  /* Edit the text only, then the date only. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_edit_journal_entry (f->p, f->j1, NULL, "Started coding (Ada)", &err));
  g_clear_object (&first);
  first = g_list_model_get_item (journal, 0);
  g_assert_cmpstr (tsr_memo_get_text (first), ==, "Started coding (Ada)");
  g_assert_cmpstr (tsr_memo_get_date (first), ==, "2026-01-05");
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Edit a journal entry");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_edit_journal_entry (f->p, f->j1, "2026-01-07", NULL, &err));
  g_clear_object (&first);
  first = g_list_model_get_item (journal, 0);
  g_assert_cmpint (tsr_test_id_of (first), ==, f->j2);   /* j1 now sorts after j2 */
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Edit a journal entry");

  /* Delete */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_delete_journal_entry (f->p, f->j2, &err));
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 1);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete a journal entry");
}

/* Themes ------------------------------------------------------------- */

static void
test_create_theme (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrTheme) theme = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_create_theme (f->p, f->connection, "Shared burden", &err));
  theme = tsr_project_lookup_theme (f->p, id);
  g_assert_cmpint (tsr_theme_get_parent_id (theme), ==, f->connection);
  g_assert_cmpint (tsr_theme_get_position (theme), ==, 1);
  g_assert_cmpint (tsr_theme_get_status (theme), ==, TSR_THEME_CANDIDATE);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Create theme “Shared burden”");
}

static void
test_rename_theme (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrTheme) theme = NULL;

  CHECK (tsr_project_rename_theme (f->p, f->kindness, "Compassion in action", &err));
  theme = tsr_project_lookup_theme (f->p, f->kindness);
  g_assert_cmpstr (tsr_theme_get_name (theme), ==, "Compassion in action");
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Rename theme “Kindness” to “Compassion in action”");
}

static void
test_theme_fields (Fixture *f, gconstpointer data)
{
  static const struct {
    TsrThemeField field;
    const char *text;
    const char *label;
  } cases[] = {
    { TSR_THEME_FIELD_DEFINITION, "Acts of care", "Edit the definition of “Kindness”" },
    { TSR_THEME_FIELD_SCOPE_NOTES, "Includes small acts", "Edit the scope notes of “Kindness”" },
    { TSR_THEME_FIELD_NARRATIVE, "Participants described…", "Edit the narrative of “Kindness”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *before = snapshot (f->p);
      g_autofree char *after = NULL;
      g_autoptr(TsrTheme) theme = NULL;

      CHECK (tsr_project_set_theme_field (f->p, f->kindness, cases[i].field, cases[i].text, &err));
      theme = tsr_project_lookup_theme (f->p, f->kindness);
      g_assert_cmpstr (tsr_theme_get_field (theme, cases[i].field), ==, cases[i].text);
      after = snapshot (f->p);
      check_undo_redo (f->p, before, after, cases[i].label);
    }
}

static void
test_theme_status (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrTheme) theme = NULL;

  CHECK (tsr_project_set_theme_status (f->p, f->kindness, TSR_THEME_FINAL, &err));
  theme = tsr_project_lookup_theme (f->p, f->kindness);
  g_assert_cmpint (tsr_theme_get_status (theme), ==, TSR_THEME_FINAL);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Mark theme “Kindness” as final");
}

static void
test_move_theme (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrTheme) kindness = NULL;
  g_autoptr(TsrTheme) belonging = NULL;

  /* Nest Kindness under Connection, before Belonging. */
  CHECK (tsr_project_move_theme (f->p, f->kindness, f->connection, 0, &err));
  kindness = tsr_project_lookup_theme (f->p, f->kindness);
  belonging = tsr_project_lookup_theme (f->p, f->belonging);
  g_assert_cmpint (tsr_theme_get_parent_id (kindness), ==, f->connection);
  g_assert_cmpint (tsr_theme_get_position (kindness), ==, 0);
  g_assert_cmpint (tsr_theme_get_position (belonging), ==, 1);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move theme “Kindness”");

  /* Lift Belonging to the top level. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_move_theme (f->p, f->belonging, 0, -1, &err));
  g_clear_object (&belonging);
  belonging = tsr_project_lookup_theme (f->p, f->belonging);
  g_assert_cmpint (tsr_theme_get_parent_id (belonging), ==, 0);
  g_assert_cmpint (tsr_theme_get_position (belonging), ==, 2);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move theme “Belonging”");
}

static void
test_delete_theme (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *memo = NULL;
  g_autoptr(GListModel) links = tsr_project_get_map_links (f->p);
  g_autoptr(TsrTheme) kindness = NULL;
  double x, y;

  /* Connection has a sub-theme (with a code and a memo), codes, a memo,
   * a map position and a link. */
  CHECK (tsr_project_delete_theme (f->p, f->connection, &err));
  g_assert_null (tsr_project_lookup_theme (f->p, f->connection));
  g_assert_null (tsr_project_lookup_theme (f->p, f->belonging));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 0);
  g_assert_false (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, f->connection, &x, &y));
  memo = tsr_project_get_memo (f->p, TSR_MEMO_THEME, f->belonging);
  g_assert_cmpstr (memo, ==, "");
  kindness = tsr_project_lookup_theme (f->p, f->kindness);
  g_assert_cmpint (tsr_theme_get_position (kindness), ==, 0);
  /* The codes themselves stay. */
  g_assert_cmpuint (tsr_project_get_n_codes (f->p), ==, 6);

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete theme “Connection”");
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 1);
}

static void
test_theme_codes (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(GArray) ids = NULL;

  CHECK (tsr_project_add_code_to_theme (f->p, f->kindness, f->tears, &err));
  ids = get_theme_codes (f->p, f->kindness);
  assert_ids (ids, 3, f->compassion, f->little, f->tears);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Add “Shared tears” to theme “Kindness”");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_remove_code_from_theme (f->p, f->kindness, f->compassion, &err));
  g_array_unref (ids);
  ids = get_theme_codes (f->p, f->kindness);
  assert_ids (ids, 1, f->little);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Remove a code from a theme");
}

/* Cases and attributes ----------------------------------------------- */

static void
test_cases (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GArray) docs = NULL;
  g_autoptr(TsrCase) found = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_create_case (f->p, "Ward C", &err));
  found = tsr_project_find_case (f->p, "Ward C");
  g_assert_cmpint (tsr_test_id_of (found), ==, id);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Create case “Ward C”");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_rename_case (f->p, f->ward_b, "Ward B (nights)", &err));
  g_clear_object (&found);
  found = tsr_project_find_case (f->p, "Ward B (nights)");
  g_assert_cmpint (tsr_test_id_of (found), ==, f->ward_b);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Rename case to “Ward B (nights)”");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_case_membership (f->p, f->ward_b, f->d1, TRUE, &err));
  docs = tsr_project_get_case_documents (f->p, f->ward_b);
  assert_ids (docs, 2, f->d1, f->d3);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Add a document to a case");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_case_membership (f->p, f->ward_a, f->d1, FALSE, &err));
  g_array_unref (docs);
  docs = tsr_project_get_case_documents (f->p, f->ward_a);
  assert_ids (docs, 1, f->d2);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Remove a document from a case");

  /* Deleting Ward A takes its membership and its Region value along. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_delete_case (f->p, f->ward_a, &err));
  value = tsr_project_get_attribute_value (f->p, f->region, f->ward_a);
  g_assert_null (value);
  g_array_unref (docs);
  docs = tsr_project_get_case_documents (f->p, f->ward_a);
  g_assert_cmpuint (docs->len, ==, 0);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete a case");
  value = tsr_project_get_attribute_value (f->p, f->region, f->ward_a);
  g_assert_cmpstr (value, ==, "North");
}

static void
test_attributes (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *value = NULL;
  g_autoptr(TsrAttribute) found = NULL;
  gint64 id;

  CHECK_ID (id, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Interviewed",
                                              TSR_ATTRIBUTE_DATE, &err));
  found = tsr_project_find_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Interviewed");
  g_assert_cmpint (tsr_test_id_of (found), ==, id);
  g_assert_cmpint (tsr_attribute_get_value_type (found), ==, TSR_ATTRIBUTE_DATE);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Define attribute “Interviewed”");

  /* Set a new value, change a value, clear a value. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_attribute_value (f->p, f->years, f->d2, " 7 ", &err));
  value = tsr_project_get_attribute_value (f->p, f->years, f->d2);
  g_assert_cmpstr (value, ==, "7");
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Set “Years”");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_attribute_value (f->p, f->urban, f->ward_b, "yes", &err));
  g_free (value);
  value = tsr_project_get_attribute_value (f->p, f->urban, f->ward_b);
  g_assert_cmpstr (value, ==, "true");
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Set “Urban”");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_attribute_value (f->p, f->role, f->d1, NULL, &err));
  g_free (value);
  value = tsr_project_get_attribute_value (f->p, f->role, f->d1);
  g_assert_null (value);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Set “Role”");

  /* Deleting Role takes both its values. */
  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_delete_attribute (f->p, f->role, &err));
  g_free (value);
  value = tsr_project_get_attribute_value (f->p, f->role, f->d2);
  g_assert_null (value);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Delete an attribute");
  g_free (value);
  value = tsr_project_get_attribute_value (f->p, f->role, f->d2);
  g_assert_cmpstr (value, ==, "Physician");
}

/* The map and the project -------------------------------------------- */

static void
test_map (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(GListModel) links = tsr_project_get_map_links (f->p);
  double x = 0, y = 0;
  gint64 id;

  /* A first position, and a move. */
  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, f->belonging, -5.5, 7.125, &err));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_THEME, f->belonging, &x, &y));
  g_assert_cmpfloat (x, ==, -5.5);
  g_assert_cmpfloat (y, ==, 7.125);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move on the map");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_CODE, f->tears, 100, 200, &err));
  g_assert_true (tsr_project_get_map_position (f->p, TSR_MAP_ITEM_CODE, f->tears, &x, &y));
  g_assert_cmpfloat (x, ==, 100);
  g_assert_cmpfloat (y, ==, 200);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Move on the map");

  /* Links */
  g_free (before);
  before = snapshot (f->p);
  CHECK_ID (id, tsr_project_add_map_link (f->p, f->kindness, f->belonging, "supports", &err));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 2);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Link two themes");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_remove_map_link (f->p, f->link, &err));
  g_assert_cmpuint (g_list_model_get_n_items (links), ==, 0);
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Remove a link between themes");
}

static void
test_project_fields (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;

  CHECK (tsr_project_set_title (f->p, "Care in crisis", &err));
  g_assert_cmpstr (tsr_project_get_title (f->p), ==, "Care in crisis");
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Rename project to “Care in crisis”");
  g_assert_cmpstr (tsr_project_get_title (f->p), ==, "Healthcare essays");

  g_free (before);
  before = snapshot (f->p);
  CHECK (tsr_project_set_description (f->p, "Twenty-two essays\nby staff", &err));
  g_assert_cmpstr (tsr_project_get_description (f->p), ==, "Twenty-two essays\nby staff");
  g_free (after);
  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Edit project description");
  g_assert_cmpstr (tsr_project_get_description (f->p), ==, "Pilot study");
}

static void
test_add_coder (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GError) error = NULL;

  g_autofree char *label = tsr_project_get_undo_label (f->p);
  guint history = history_length (f->p);
  g_autofree char *label_after = NULL;

  /* A coder is an identity that edits refer to, not an edit: adding one
   * records no step, so undo can never orphan edits made in that name. */
  coder = tsr_project_ensure_coder (f->p, "Chen Wei", &error);
  g_assert_no_error (error);
  g_assert_false (tsr_coder_get_is_consensus (coder));
  after = snapshot (f->p);
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpuint (history_length (f->p), ==, history);
  label_after = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label_after, ==, label);
}

/* Groups ------------------------------------------------------------- */

static void
test_group (Fixture *f, gconstpointer data)
{
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  guint history = history_length (f->p);
  gint64 code, seg;

  /* An in-vivo code: create it and apply it, one step; the inner group
   * does not make a step of its own. */
  tsr_project_begin_group (f->p, "Code “held hands” in vivo");
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "held hands", NULL, NULL, &err));
  tsr_project_begin_group (f->p, "inner");
  CHECK_ID (seg, tsr_project_add_segment (f->p, f->d1, code, 3, 13, &err));
  CHECK (tsr_project_set_segment_exemplar (f->p, seg, TRUE, &err));
  CHECK (tsr_project_end_group (f->p, &err));
  CHECK (tsr_project_end_group (f->p, &err));

  g_assert_cmpuint (history_length (f->p), ==, history + 1);
  {
    g_autoptr(TsrSegment) s = tsr_project_lookup_segment (f->p, seg);
    g_assert_cmpstr (tsr_segment_get_text (s), ==, "held hands");
  }

  after = snapshot (f->p);
  check_undo_redo (f->p, before, after, "Code “held hands” in vivo");
  g_assert_null (tsr_project_lookup_code (f->p, code));
  g_assert_null (tsr_project_lookup_segment (f->p, seg));
}

/* An empty group records nothing. */
static void
test_group_empty (Fixture *f, gconstpointer data)
{
  g_autofree char *label = tsr_project_get_undo_label (f->p);
  guint history = history_length (f->p);
  g_autofree char *label_after = NULL;

  tsr_project_begin_group (f->p, "Nothing at all");
  CHECK (tsr_project_end_group (f->p, &err));
  g_assert_cmpuint (history_length (f->p), ==, history);
  label_after = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label_after, ==, label);
}

/* The undo stack ----------------------------------------------------- */

static void
test_nothing_to_undo (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  /* A new project has nothing to undo or redo. */
  g_assert_false (tsr_project_can_undo (f->p));
  g_assert_false (tsr_project_can_redo (f->p));
  label = tsr_project_get_undo_label (f->p);
  g_assert_null (label);
  g_assert_false (tsr_project_undo (f->p, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);
  g_assert_false (tsr_project_redo (f->p, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  /* One edit, undone: undo has nothing left, redo has one step. */
  {
    gint64 id;
    CHECK_ID (id, tsr_project_create_code (f->p, 0, "Only", NULL, NULL, &err));
  }
  g_assert_true (tsr_project_can_undo (f->p));
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_false (tsr_project_can_undo (f->p));
  g_assert_true (tsr_project_can_redo (f->p));
  g_assert_false (tsr_project_undo (f->p, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_false (tsr_project_redo (f->p, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO);
}

static void
test_labels_and_order (Fixture *f, gconstpointer data)
{
  g_autofree char *label = NULL;
  g_autofree char *s0 = snapshot (f->p);
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  g_autofree char *now = NULL;
  gint64 code;

  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Hope", NULL, NULL, &err));
  s1 = snapshot (f->p);
  CHECK (tsr_project_rename_code (f->p, code, "Renewed hope", &err));
  s2 = snapshot (f->p);
  CHECK (tsr_project_set_code_color (f->p, code, "#000000", &err));
  s3 = snapshot (f->p);

  label = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label, ==, "Recolour code “Renewed hope”");
  g_free (label);
  label = tsr_project_get_redo_label (f->p);
  g_assert_null (label);

  /* Three undos walk back in order, three redos forward. */
  CHECK (tsr_project_undo (f->p, &err));
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, s2);
  label = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label, ==, "Rename code “Hope” to “Renewed hope”");
  g_free (label);
  label = tsr_project_get_redo_label (f->p);
  g_assert_cmpstr (label, ==, "Recolour code “Renewed hope”");

  CHECK (tsr_project_undo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, s1);
  CHECK (tsr_project_undo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, s0);
  g_free (label);
  label = tsr_project_get_redo_label (f->p);
  g_assert_cmpstr (label, ==, "Create code “Hope”");

  CHECK (tsr_project_redo (f->p, &err));
  CHECK (tsr_project_redo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, s2);
  CHECK (tsr_project_redo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, s3);
}

static void
test_new_edit_discards_redo (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *before = NULL;
  g_autofree char *now = NULL;

  CHECK (tsr_project_rename_code (f->p, f->compassion, "Care", &err));
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_true (tsr_project_can_redo (f->p));

  before = snapshot (f->p);
  CHECK (tsr_project_rename_document (f->p, f->d3, "Interview three", &err));
  g_assert_false (tsr_project_can_redo (f->p));
  label = tsr_project_get_redo_label (f->p);
  g_assert_null (label);
  g_assert_false (tsr_project_redo (f->p, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOTHING_TO_UNDO);

  /* Undo now undoes the new edit, then the edits before the discarded
   * one: the discarded rename never comes back. */
  CHECK (tsr_project_undo (f->p, &err));
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, before);
  g_free (label);
  label = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label, ==, "Link two themes");

  /* The audit trail keeps all three, newest first. */
  history = tsr_project_list_history (f->p, 3);
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (tsr_history_entry_get_kind (history->pdata[0]), ==, "document.rename");
  g_assert_true (tsr_history_entry_get_undone (history->pdata[0]));
  g_assert_cmpstr (tsr_history_entry_get_kind (history->pdata[1]), ==, "code.rename");
  g_assert_true (tsr_history_entry_get_undone (history->pdata[1]));
  g_assert_cmpstr (tsr_history_entry_get_kind (history->pdata[2]), ==, "map.link");
  g_assert_false (tsr_history_entry_get_undone (history->pdata[2]));
}

static void
test_survives_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->p);
  g_autofree char *after = NULL;
  g_autofree char *now = NULL;
  g_autofree char *label = NULL;

  CHECK (tsr_project_delete_code (f->p, f->solidarity, &err));
  after = snapshot (f->p);

  g_assert_true (tsr_project_close (f->p, &error));
  g_assert_no_error (error);
  g_clear_object (&f->p);
  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);

  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, after);
  label = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label, ==, "Delete code “Solidarity”");
  CHECK (tsr_project_undo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, before);

  /* The undone step is still redoable after another reopen. */
  g_assert_true (tsr_project_close (f->p, &error));
  g_clear_object (&f->p);
  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_can_redo (f->p));
  CHECK (tsr_project_redo (f->p, &err));
  g_free (now);
  now = snapshot (f->p);
  g_assert_cmpstr (now, ==, after);
}

static void
test_history_entries (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(TsrCoder) bob = NULL;
  gint64 t0, t1;
  TsrHistoryEntry *e;

  t0 = g_get_real_time ();
  CHECK (tsr_project_rename_code (f->p, f->little, "Small things", &err));
  CHECK (tsr_project_set_current_coder (f->p, f->bob, &err));
  CHECK (tsr_project_set_code_color (f->p, f->little, "#123456", &err));
  t1 = g_get_real_time ();

  history = tsr_project_list_history (f->p, 0);
  g_assert_cmpuint (history->len, >=, 2);

  e = history->pdata[0];
  g_assert_cmpstr (tsr_history_entry_get_kind (e), ==, "code.recolor");
  g_assert_cmpstr (tsr_history_entry_get_description (e), ==, "Recolour code “Small things”");
  g_assert_cmpstr (tsr_history_entry_get_coder_name (e), ==, "Bob Marley");
  g_assert_cmpint (tsr_history_entry_get_time (e), >=, t0);
  g_assert_cmpint (tsr_history_entry_get_time (e), <=, t1);
  g_assert_false (tsr_history_entry_get_undone (e));
  g_assert_true (g_uuid_string_is_valid (tsr_entity_get_uuid (TSR_ENTITY (e))));

  e = history->pdata[1];
  g_assert_cmpstr (tsr_history_entry_get_kind (e), ==, "code.rename");
  g_assert_cmpstr (tsr_history_entry_get_description (e), ==, "Rename code “Little means much” to “Small things”");
  g_assert_cmpstr (tsr_history_entry_get_coder_name (e), ==, "Ada Lovelace");
  g_assert_cmpint (tsr_history_entry_get_time (e), >=, t0);
  g_assert_cmpint (tsr_history_entry_get_time (e), <=, tsr_history_entry_get_time (history->pdata[0]));

  /* The undone flag follows undo and redo; limit limits. */
  CHECK (tsr_project_undo (f->p, &err));
  g_ptr_array_unref (history);
  history = tsr_project_list_history (f->p, 1);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_true (tsr_history_entry_get_undone (history->pdata[0]));

  /* Undoing does not rewrite who did the edit. */
  g_assert_cmpstr (tsr_history_entry_get_coder_name (history->pdata[0]), ==, "Bob Marley");

  /* The coder's name in the history is kept even if the coder object is
   * looked up again. */
  bob = tsr_project_lookup_coder (f->p, f->bob);
  g_assert_cmpstr (tsr_coder_get_name (bob), ==, "Bob Marley");
}

/* The first edit by a new user adds their coder on the fly; undoing all
 * the way back keeps that coder, and the next edit must still work. */
static void
test_implicit_coder (Fixture *f, gconstpointer data)
{
  gint64 doc, code, seg;
  guint steps = 0;

  CHECK_ID (doc, tsr_project_add_document (f->p, "Doc", "Some text here.", NULL, &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));
  CHECK_ID (seg, tsr_project_add_segment (f->p, doc, code, 0, 4, &err));
  g_assert_nonnull (tsr_project_get_current_coder (f->p));

  while (tsr_project_can_undo (f->p))
    {
      CHECK (tsr_project_undo (f->p, &err));
      steps++;
    }
  /* import, create, code the passage: the coder is not an undoable step */
  g_assert_cmpuint (steps, ==, 3);
  g_assert_cmpuint (tsr_project_get_n_documents (f->p), ==, 0);

  CHECK_ID (doc, tsr_project_add_document (f->p, "Doc", "Some text here.", NULL, &err));
  CHECK_ID (code, tsr_project_create_code (f->p, 0, "Code", NULL, NULL, &err));
  CHECK_ID (seg, tsr_project_add_segment (f->p, doc, code, 0, 4, &err));
  {
    g_autoptr(TsrSegment) s = tsr_project_lookup_segment (f->p, seg);
    g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (f->p, tsr_segment_get_coder_id (s));
    g_autofree char *proposed = tsr_coder_dup_default_name ();

    g_assert_nonnull (coder);
    /* A stand-in waiting for a name, never the login "root". */
    g_assert_cmpstr (tsr_coder_get_name (coder), ==, proposed ? proposed : "Unnamed coder");
    g_assert_cmpstr (tsr_coder_get_name (coder), !=, "root");
    g_assert_false (tsr_project_get_coder_confirmed (f->p));
  }
}

/* The changed signal ------------------------------------------------- */

static void
on_changed (TsrProject *p,
            guint       flags,
            GArray     *seen)
{
  g_array_append_val (seen, flags);
}

static void
expect_changes (GArray *seen,
                guint   flags)
{
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmphex (g_array_index (seen, guint, 0), ==, flags);
  g_array_set_size (seen, 0);
}

static void
test_changed_signal (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint doc_delete = TSR_CHANGE_DOCUMENTS | TSR_CHANGE_SEGMENTS | TSR_CHANGE_MEMOS |
                           TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES;
  gulong handler;
  gint64 id;

  handler = g_signal_connect (f->p, "changed", G_CALLBACK (on_changed), seen);

  CHECK (tsr_project_rename_code (f->p, f->little, "Small things", &err));
  expect_changes (seen, TSR_CHANGE_CODES);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_CODES);
  CHECK (tsr_project_redo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_CODES);

  CHECK_ID (id, tsr_project_add_segment (f->p, f->d3, f->little, 0, 6, &err));
  expect_changes (seen, TSR_CHANGE_SEGMENTS);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_SEGMENTS);

  /* Interview 1 has segments, memos, a case and attribute values. */
  CHECK (tsr_project_delete_document (f->p, f->d1, &err));
  expect_changes (seen, doc_delete);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, doc_delete);
  CHECK (tsr_project_redo (f->p, &err));
  expect_changes (seen, doc_delete);

  CHECK (tsr_project_set_title (f->p, "New title", &err));
  expect_changes (seen, TSR_CHANGE_PROJECT);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_PROJECT);

  CHECK (tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, f->kindness, 0, 0, &err));
  expect_changes (seen, TSR_CHANGE_MAP);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_MAP);

  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_THEME, f->kindness, "x", &err));
  expect_changes (seen, TSR_CHANGE_MEMOS);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_MEMOS);

  CHECK (tsr_project_set_case_membership (f->p, f->ward_b, f->d2, TRUE, &err));
  expect_changes (seen, TSR_CHANGE_CASES);
  CHECK (tsr_project_set_attribute_value (f->p, f->years, f->d3, "3", &err));
  expect_changes (seen, TSR_CHANGE_ATTRIBUTES);
  CHECK (tsr_project_add_code_to_theme (f->p, f->kindness, f->tears, &err));
  expect_changes (seen, TSR_CHANGE_THEMES);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_THEMES);

  /* A group reports the union of its edits, once. */
  tsr_project_begin_group (f->p, "Two things");
  CHECK_ID (id, tsr_project_create_code (f->p, 0, "New", NULL, NULL, &err));
  CHECK_ID (id, tsr_project_add_segment (f->p, f->d3, id, 0, 6, &err));
  g_assert_cmpuint (seen->len, ==, 0);
  CHECK (tsr_project_end_group (f->p, &err));
  expect_changes (seen, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS);
  CHECK (tsr_project_undo (f->p, &err));
  expect_changes (seen, TSR_CHANGE_CODES | TSR_CHANGE_SEGMENTS);

  /* A failed edit says nothing. */
  {
    GError *error = NULL;
    g_assert_false (tsr_project_rename_document (f->p, 9999, "x", &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_cmpuint (seen->len, ==, 0);
  }

  g_signal_handler_disconnect (f->p, handler);
}

/* Live models -------------------------------------------------------- */

typedef struct
{
  guint position, removed, added, calls;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *ic)
{
  ic->position = position;
  ic->removed = removed;
  ic->added = added;
  ic->calls++;
}

static GPtrArray *
model_items (GListModel *model)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return items;
}

static void
notify_count (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_live_documents (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) docs = tsr_project_get_documents (f->p);
  g_autoptr(GPtrArray) orig = model_items (docs);
  g_autoptr(GPtrArray) now = NULL;
  ItemsChanged ic = { 0 };
  guint renamed = 0;

  g_assert_cmpuint (orig->len, ==, 3);
  g_signal_connect (docs, "items-changed", G_CALLBACK (on_items_changed), &ic);
  g_signal_connect (orig->pdata[1], "notify::name", G_CALLBACK (notify_count), &renamed);

  /* Rename: the same object changes in place. */
  CHECK (tsr_project_rename_document (f->p, f->d2, "Renamed", &err));
  g_assert_cmpuint (ic.calls, ==, 0);
  g_assert_cmpuint (renamed, ==, 1);
  g_assert_cmpstr (tsr_document_get_name (orig->pdata[1]), ==, "Renamed");
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpuint (renamed, ==, 2);
  g_assert_cmpstr (tsr_document_get_name (orig->pdata[1]), ==, "Interview 2");
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpstr (tsr_document_get_name (orig->pdata[1]), ==, "Renamed");
  CHECK (tsr_project_undo (f->p, &err));

  /* Delete the middle one: one item removed at 1. */
  CHECK (tsr_project_delete_document (f->p, f->d2, &err));
  g_assert_cmpuint (ic.calls, ==, 1);
  g_assert_cmpuint (ic.position, ==, 1);
  g_assert_cmpuint (ic.removed, ==, 1);
  g_assert_cmpuint (ic.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 2);

  /* Undo: it comes back at 1; the others are the same objects. */
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpuint (ic.calls, ==, 2);
  g_assert_cmpuint (ic.position, ==, 1);
  g_assert_cmpuint (ic.removed, ==, 0);
  g_assert_cmpuint (ic.added, ==, 1);
  now = model_items (docs);
  g_assert_cmpuint (now->len, ==, 3);
  g_assert_true (now->pdata[0] == orig->pdata[0]);
  g_assert_true (now->pdata[2] == orig->pdata[2]);
  g_assert_cmpint (tsr_test_id_of (now->pdata[1]), ==, f->d2);
  g_assert_cmpstr (tsr_document_get_name (now->pdata[1]), ==, "Interview 2");

  /* Redo: gone again. */
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpuint (ic.calls, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (docs), ==, 2);
  g_ptr_array_unref (now);
  now = model_items (docs);
  g_assert_true (now->pdata[0] == orig->pdata[0]);
  g_assert_true (now->pdata[1] == orig->pdata[2]);
}

static void
test_live_codes (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) top = tsr_project_get_codes (f->p, 0);
  g_autoptr(GListModel) under = tsr_project_get_codes (f->p, f->solidarity);
  g_autoptr(GPtrArray) orig = model_items (top);
  g_autoptr(GPtrArray) orig_under = model_items (under);
  g_autoptr(GPtrArray) now = NULL;

  g_assert_cmpuint (orig->len, ==, 3);
  g_assert_cmpuint (orig_under->len, ==, 2);

  /* Move Togetherness to the top level, at the end. */
  CHECK (tsr_project_move_code (f->p, f->together, 0, -1, &err));
  g_assert_cmpuint (g_list_model_get_n_items (top), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (under), ==, 1);
  now = model_items (top);
  g_assert_true (now->pdata[0] == orig->pdata[0]);
  g_assert_true (now->pdata[1] == orig->pdata[1]);
  g_assert_true (now->pdata[2] == orig->pdata[2]);
  g_assert_cmpint (tsr_test_id_of (now->pdata[3]), ==, f->together);
  g_assert_cmpuint (tsr_code_get_n_children (orig->pdata[0]), ==, 1);

  CHECK (tsr_project_undo (f->p, &err));
  g_ptr_array_unref (now);
  now = model_items (top);
  g_assert_cmpuint (now->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_true (now->pdata[i] == orig->pdata[i]);
  g_assert_cmpuint (tsr_code_get_n_children (orig->pdata[0]), ==, 2);
  g_ptr_array_unref (now);
  now = model_items (under);
  g_assert_cmpuint (now->len, ==, 2);
  g_assert_cmpint (tsr_test_id_of (now->pdata[0]), ==, f->together);
  g_assert_true (now->pdata[1] == orig_under->pdata[1]);

  /* Recolour in place, undo, redo. */
  CHECK (tsr_project_set_code_color (f->p, f->little, "#000000", &err));
  g_assert_cmpstr (tsr_code_get_color (orig->pdata[2]), ==, "#000000");
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpstr (tsr_code_get_color (orig->pdata[2]), ==, "#9141ac");
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpstr (tsr_code_get_color (orig->pdata[2]), ==, "#000000");
}

static void
test_live_segments (Fixture *f, gconstpointer data)
{
  g_autoptr(GListModel) segs = tsr_project_get_segments (f->p, f->d1);
  g_autoptr(GPtrArray) orig = model_items (segs);
  g_autoptr(GPtrArray) now = NULL;
  guint resized = 0;
  gint64 id;

  /* Ordered by start, then longer first: s3 [0,33), s1 [0,14), s2 [15,33), s4 [34,48) */
  g_assert_cmpuint (orig->len, ==, 4);
  g_assert_cmpint (tsr_test_id_of (orig->pdata[0]), ==, f->s3);
  g_assert_cmpint (tsr_test_id_of (orig->pdata[1]), ==, f->s1);
  g_assert_cmpint (tsr_test_id_of (orig->pdata[2]), ==, f->s2);
  g_assert_cmpint (tsr_test_id_of (orig->pdata[3]), ==, f->s4);

  CHECK_ID (id, tsr_project_add_segment (f->p, f->d1, f->compassion, 20, 25, &err));
  g_assert_cmpuint (g_list_model_get_n_items (segs), ==, 5);
  CHECK (tsr_project_undo (f->p, &err));
  now = model_items (segs);
  g_assert_cmpuint (now->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (now->pdata[i] == orig->pdata[i]);
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpuint (g_list_model_get_n_items (segs), ==, 5);
  CHECK (tsr_project_undo (f->p, &err));

  g_signal_connect (orig->pdata[3], "notify::text", G_CALLBACK (notify_count), &resized);
  CHECK (tsr_project_resize_segment (f->p, f->s4, 37, 41, &err));
  g_assert_cmpuint (resized, ==, 1);
  g_assert_cmpstr (tsr_segment_get_text (orig->pdata[3]), ==, "kept");
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpuint (resized, ==, 2);
  g_assert_cmpstr (tsr_segment_get_text (orig->pdata[3]), ==, "We kept going.");

  /* Deleting a code removes its segments from the list; undo brings
   * them back, the untouched ones keep their objects. */
  CHECK (tsr_project_delete_code (f->p, f->together, &err));
  g_assert_cmpuint (g_list_model_get_n_items (segs), ==, 2);
  CHECK (tsr_project_undo (f->p, &err));
  g_ptr_array_unref (now);
  now = model_items (segs);
  g_assert_cmpuint (now->len, ==, 4);
  g_assert_true (now->pdata[0] == orig->pdata[0]);
  g_assert_cmpint (tsr_test_id_of (now->pdata[1]), ==, f->s1);
  g_assert_cmpint (tsr_test_id_of (now->pdata[2]), ==, f->s2);
  g_assert_true (now->pdata[3] == orig->pdata[3]);
}

/* Failed edits ------------------------------------------------------- */

static void
test_failed_edits (Fixture *f, gconstpointer data)
{
  gint64 child;

  /* Segments: end past the text (Interview 2 has 26 characters), empty
   * and reversed ranges, unknown document, code and coder. */
  CHECK_FAILS (f->p, tsr_project_add_segment (f->p, f->d2, f->little, 20, 27, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_segment (f->p, f->d2, f->little, 5, 5, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_segment (f->p, f->d2, f->little, 9, 4, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_segment (f->p, 9999, f->little, 0, 4, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_add_segment (f->p, f->d2, 9999, 0, 4, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_add_segment_for_coder (f->p, f->d2, f->little, 9999, 0, 4, &err),
               TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_resize_segment (f->p, f->s5, 0, 27, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_remove_segment (f->p, 9999, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_segment_exemplar (f->p, 9999, TRUE, &err), TSR_ERROR_NOT_FOUND);

  /* Codes: empty, blank and "/" names, sibling clashes, bad colours,
   * cycles. */
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 0, "", NULL, NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 0, "  \t", NULL, NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 0, "Care/Cure", NULL, NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 0, "Compassion", NULL, NULL, &err), TSR_ERROR_EXISTS);
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 0, "Red", "red", NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_create_code (f->p, 9999, "Orphan", NULL, NULL, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_rename_code (f->p, f->little, "a/b", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_rename_code (f->p, f->little, "Compassion", &err), TSR_ERROR_EXISTS);
  CHECK_FAILS (f->p, tsr_project_rename_code (f->p, 9999, "Ghost", &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_code_color (f->p, f->little, "#12345", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_set_code_color (f->p, f->little, "#12345g", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_move_code (f->p, f->solidarity, f->tears, -1, &err), TSR_ERROR_CYCLE);
  CHECK_FAILS (f->p, tsr_project_move_code (f->p, f->solidarity, f->solidarity, -1, &err), TSR_ERROR_CYCLE);
  CHECK_FAILS (f->p, tsr_project_merge_codes (f->p, f->solidarity, f->tears, &err), TSR_ERROR_CYCLE);
  CHECK_FAILS (f->p, tsr_project_merge_codes (f->p, f->little, f->little, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_delete_code (f->p, 9999, &err), TSR_ERROR_NOT_FOUND);
  /* Moving a code next to a sibling of the same name. */
  CHECK_ID (child, tsr_project_create_code (f->p, f->compassion, "Little means much", NULL, NULL, &err));
  CHECK_FAILS (f->p, tsr_project_move_code (f->p, child, 0, -1, &err), TSR_ERROR_EXISTS);

  /* Themes */
  CHECK_FAILS (f->p, tsr_project_move_theme (f->p, f->connection, f->belonging, -1, &err), TSR_ERROR_CYCLE);
  CHECK_FAILS (f->p, tsr_project_move_theme (f->p, f->connection, f->connection, -1, &err), TSR_ERROR_CYCLE);
  CHECK_FAILS (f->p, tsr_project_create_theme (f->p, 0, " ", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_remove_code_from_theme (f->p, f->kindness, f->tears, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_add_code_to_theme (f->p, f->kindness, 9999, &err), TSR_ERROR_NOT_FOUND);

  /* Documents, memos, journal */
  CHECK_FAILS (f->p, tsr_project_rename_document (f->p, 9999, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_rename_document (f->p, f->d1, "", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_document (f->p, "Bad", "a\r\nb", NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_document (f->p, "Bad", "caf\xe9", NULL, &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_set_memo (f->p, TSR_MEMO_SEGMENT, 9999, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_memo (f->p, TSR_MEMO_JOURNAL, 0, "x", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_journal_entry (f->p, "2026-13-01", "x", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_edit_journal_entry (f->p, 9999, NULL, "x", &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_delete_journal_entry (f->p, 9999, &err), TSR_ERROR_NOT_FOUND);

  /* Cases, attributes, map */
  CHECK_FAILS (f->p, tsr_project_create_case (f->p, "Ward A", &err), TSR_ERROR_EXISTS);
  CHECK_FAILS (f->p, tsr_project_rename_case (f->p, f->ward_b, "Ward A", &err), TSR_ERROR_EXISTS);
  CHECK_FAILS (f->p, tsr_project_set_case_membership (f->p, f->ward_a, 9999, TRUE, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_attribute_value (f->p, f->years, f->d2, "12a", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_set_attribute_value (f->p, f->region, 9999, "North", &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_define_attribute (f->p, TSR_ATTRIBUTE_ON_DOCUMENTS, "Role",
                                                   TSR_ATTRIBUTE_TEXT, &err), TSR_ERROR_EXISTS);
  CHECK_FAILS (f->p, tsr_project_set_map_position (f->p, TSR_MAP_ITEM_THEME, f->kindness, NAN, 0, &err),
               TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_add_map_link (f->p, f->kindness, f->kindness, "", &err), TSR_ERROR_INVALID);
  CHECK_FAILS (f->p, tsr_project_remove_map_link (f->p, 9999, &err), TSR_ERROR_NOT_FOUND);
  CHECK_FAILS (f->p, tsr_project_set_title (f->p, "", &err), TSR_ERROR_INVALID);

  /* After all that the project still takes edits and undoes them. */
  {
    g_autofree char *before = snapshot (f->p);
    g_autofree char *after = NULL;
    gint64 id;

    CHECK_ID (id, tsr_project_add_segment (f->p, f->d2, f->little, 20, 26, &err));
    after = snapshot (f->p);
    check_undo_redo (f->p, before, after, "Code a passage as “Little means much”");
  }
}

/* An edit that changes nothing records nothing. */
static void
test_no_op_edits (Fixture *f, gconstpointer data)
{
  g_autofree char *label = tsr_project_get_undo_label (f->p);
  guint history = history_length (f->p);
  g_autofree char *label_after = NULL;

  CHECK (tsr_project_set_document_read (f->p, f->d1, TRUE, &err));
  CHECK (tsr_project_rename_code (f->p, f->little, "Little means much", &err));
  CHECK (tsr_project_add_code_to_theme (f->p, f->kindness, f->little, &err));
  CHECK (tsr_project_set_memo (f->p, TSR_MEMO_CODE, f->little, "", &err));

  g_assert_cmpuint (history_length (f->p), ==, history);
  label_after = tsr_project_get_undo_label (f->p);
  g_assert_cmpstr (label_after, ==, label);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/tessera/undo/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_EMPTY(path, func) \
  g_test_add ("/tessera/undo/" path, Fixture, "empty", fixture_set_up, func, fixture_tear_down)

  ADD ("add-document", test_add_document);
  ADD ("import-file", test_import_file);
  ADD ("rename-document", test_rename_document);
  ADD ("read-document", test_read_document);
  ADD ("done-documents", test_done_documents);
  ADD ("delete-document", test_delete_document);
  ADD ("create-code", test_create_code);
  ADD ("rename-code", test_rename_code);
  ADD ("recolor-code", test_recolor_code);
  ADD ("redefine-code", test_redefine_code);
  ADD ("move-code", test_move_code);
  ADD ("delete-code-with-segments", test_delete_code_with_segments);
  ADD ("merge-codes", test_merge_codes);
  ADD ("merge-codes-memo", test_merge_codes_memo);
  ADD ("merge-codes-across-parents", test_merge_codes_across_parents);
  ADD ("add-segment", test_add_segment);
  ADD ("remove-segment", test_remove_segment);
  ADD ("resize-segment", test_resize_segment);
  ADD ("star-exemplar", test_star_exemplar);
  ADD ("code-in-vivo", test_code_in_vivo);
  ADD ("code-in-vivo-existing", test_code_in_vivo_existing);
  ADD ("code-in-vivo-refused", test_code_in_vivo_refused);
  ADD ("recent-codes", test_recent_codes);
  ADD ("document-segment-counts", test_document_segment_counts);
  ADD ("document-spans", test_document_spans);
  ADD ("memos", test_memos);
  ADD ("journal", test_journal);
  ADD ("create-theme", test_create_theme);
  ADD ("rename-theme", test_rename_theme);
  ADD ("theme-fields", test_theme_fields);
  ADD ("theme-status", test_theme_status);
  ADD ("move-theme", test_move_theme);
  ADD ("delete-theme", test_delete_theme);
  ADD ("theme-codes", test_theme_codes);
  ADD ("cases", test_cases);
  ADD ("attributes", test_attributes);
  ADD ("map", test_map);
  ADD ("project-fields", test_project_fields);
  ADD ("add-coder", test_add_coder);
  ADD ("group", test_group);
  ADD ("group-empty", test_group_empty);
  ADD_EMPTY ("nothing-to-undo", test_nothing_to_undo);
  ADD ("labels-and-order", test_labels_and_order);
  ADD ("new-edit-discards-redo", test_new_edit_discards_redo);
  ADD ("survives-reopen", test_survives_reopen);
  ADD ("history-entries", test_history_entries);
  ADD_EMPTY ("implicit-coder", test_implicit_coder);
  ADD ("changed-signal", test_changed_signal);
  ADD ("live-documents", test_live_documents);
  ADD ("live-codes", test_live_codes);
  ADD ("live-segments", test_live_segments);
  ADD ("failed-edits", test_failed_edits);
  ADD ("no-op-edits", test_no_op_edits);

  return g_test_run ();
}
