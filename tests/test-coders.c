/* test-coders.c — who is coding, and whose coding a count covers
 *
 * The first edit of someone who has not said who they are goes to a
 * stand-in coder that their answer then names; the answer is remembered
 * in the project file for their account.  A coder can be renamed (the
 * same identity, with all their coding) or replaced by a new coder, both
 * undoable.  And one rule says whose coding a view counts until the
 * researcher chooses: the consensus when there is consensus coding, the
 * current coder's when nobody else coded, else any coder's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tessera.h"
#include "tsr-test-utils.h"

#define CHECK(expr)                                 \
  G_STMT_START {                                    \
    GError *err = NULL;                             \
    gboolean ok_ = (expr) != 0;                     \
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

typedef struct
{
  char       *dir;
  char       *path;
  TsrProject *p;
  gint64      doc1, doc2, code;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tessera-coders-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "study.tessera", NULL);
  f->p = tsr_project_create (f->path, &error);
  g_assert_no_error (error);

  CHECK_ID (f->doc1, tsr_project_add_document (f->p, "Essay 1", "We gathered round her bed and clapped.", NULL, &err));
  CHECK_ID (f->doc2, tsr_project_add_document (f->p, "Essay 2", "A card signed by the whole ward.", NULL, &err));
  CHECK_ID (f->code, tsr_project_create_code (f->p, 0, "Solidarity", NULL, NULL, &err));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->p != NULL)
    tsr_project_close (f->p, NULL);
  g_clear_object (&f->p);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  CHECK (tsr_project_close (f->p, &err));
  g_clear_object (&f->p);
  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);
}

static gint64
add_coder (Fixture    *f,
           const char *name)
{
  g_autoptr(TsrCoder) coder = NULL;
  g_autoptr(GError) error = NULL;

  coder = tsr_project_ensure_coder (f->p, name, &error);
  g_assert_no_error (error);
  return tsr_test_id_of (coder);
}

static char *
segment_coder_name (Fixture *f,
                    gint64   segment_id)
{
  g_autoptr(TsrSegment) segment = tsr_project_lookup_segment (f->p, segment_id);
  g_autoptr(TsrCoder) coder = NULL;

  g_assert_nonnull (segment);
  coder = tsr_project_lookup_coder (f->p, tsr_segment_get_coder_id (segment));
  return coder ? g_strdup (tsr_coder_get_name (coder)) : NULL;
}

static const char *
current_name (Fixture *f)
{
  TsrCoder *coder = tsr_project_get_current_coder (f->p);

  return coder ? tsr_coder_get_name (coder) : NULL;
}

static guint
n_coders (Fixture *f)
{
  g_autoptr(GListModel) coders = tsr_project_get_coders (f->p);

  return g_list_model_get_n_items (coders);
}

/* The n of the code under the default scope, and that scope. */
static guint
default_n (Fixture      *f,
           TsrCoderMode *mode,
           gint64       *coder_id)
{
  g_autoptr(TsrScope) scope = tsr_project_dup_default_scope (f->p);
  g_autoptr(TsrCounts) counts = NULL;
  g_autoptr(GError) error = NULL;

  *mode = tsr_scope_get_mode (scope);
  *coder_id = tsr_scope_get_coder_id (scope);
  counts = tsr_project_compute_counts (f->p, scope, NULL, &error);
  g_assert_no_error (error);
  return tsr_counts_get_code_n (counts, f->code);
}

/* Whose coding counts by default --------------------------------------- */

static void
test_default_scope (Fixture *f, gconstpointer data)
{
  TsrCoderMode mode;
  gint64 coder_id, ada, bea, seg;
  g_autoptr(TsrCoder) consensus = NULL;
  g_autofree char *described = NULL;

  /* Nobody coding yet, nobody coded: any coder, nothing counted. */
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 0);
  g_assert_cmpint (mode, ==, TSR_CODERS_ANY);

  /* Ada codes, alone: her coding, and her first code is n = 1 at once. */
  ada = add_coder (f, "Ada");
  CHECK (tsr_project_set_current_coder (f->p, ada, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 0);
  g_assert_cmpint (mode, ==, TSR_CODERS_ONE);
  g_assert_cmpint (coder_id, ==, ada);
  CHECK_ID (seg, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 1);
  g_assert_cmpint (mode, ==, TSR_CODERS_ONE);
  g_assert_cmpint (coder_id, ==, ada);

  /* A consensus coder that holds no coding yet changes nothing: counting
   * it would show Ada's first code as n = 0. */
  consensus = tsr_project_get_consensus_coder (f->p, NULL);
  g_assert_nonnull (consensus);
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 1);
  g_assert_cmpint (mode, ==, TSR_CODERS_ONE);

  /* Bea codes the other essay: any coder's coding, n = 2. */
  bea = add_coder (f, "Bea");
  CHECK_ID (seg, tsr_project_add_segment_for_coder (f->p, f->doc2, f->code, bea, 0, 6, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 2);
  g_assert_cmpint (mode, ==, TSR_CODERS_ANY);
  g_assert_cmpint (coder_id, ==, 0);

  /* From Bea's seat the same: someone else coded. */
  CHECK (tsr_project_set_current_coder (f->p, bea, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 2);
  g_assert_cmpint (mode, ==, TSR_CODERS_ANY);

  /* Reconciled coding of essay 1 only: the consensus, n = 1. */
  CHECK_ID (seg, tsr_project_add_segment_for_coder (f->p, f->doc1, f->code, tsr_test_id_of (consensus), 0, 11, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 1);
  g_assert_cmpint (mode, ==, TSR_CODERS_CONSENSUS);

  /* Undoing the reconciliation goes back to any coder. */
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 2);
  g_assert_cmpint (mode, ==, TSR_CODERS_ANY);

  {
    g_autoptr(TsrScope) one = tsr_scope_new (TSR_CODERS_ONE, ada);
    g_autoptr(TsrScope) any = tsr_scope_new (TSR_CODERS_ANY, 0);
    g_autoptr(TsrScope) cons = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
    g_autofree char *one_text = tsr_scope_describe (one, f->p);
    g_autofree char *any_text = tsr_scope_describe (any, f->p);
    g_autofree char *cons_text = tsr_scope_describe (cons, f->p);

    g_assert_cmpstr (one_text, ==, "Ada");
    g_assert_cmpstr (any_text, ==, "any coder");
    g_assert_cmpstr (cons_text, ==, "the consensus");
  }
}

/* A newcomer's first code, before they said who they are. */
static void
test_default_scope_newcomer (Fixture *f, gconstpointer data)
{
  TsrCoderMode mode;
  gint64 coder_id, seg;

  CHECK_ID (seg, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));
  g_assert_cmpuint (default_n (f, &mode, &coder_id), ==, 1);
  g_assert_cmpint (mode, ==, TSR_CODERS_ONE);
  g_assert_cmpint (coder_id, ==, tsr_test_id_of (tsr_project_get_current_coder (f->p)));
}

/* Who is coding ------------------------------------------------------- */

/* The first edit goes to a stand-in that is neither "root" nor anyone
 * else; the answer names it, everything it did included, and is
 * remembered in the file for this account. */
static void
test_stand_in_named (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCoder) grace = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *who = NULL;
  gint64 seg, stand_in;

  g_assert_null (tsr_project_get_current_coder (f->p));
  g_assert_false (tsr_project_get_coder_confirmed (f->p));

  CHECK_ID (seg, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));
  g_assert_nonnull (tsr_project_get_current_coder (f->p));
  g_assert_false (tsr_project_get_coder_confirmed (f->p));
  g_assert_cmpstr (current_name (f), !=, "root");
  stand_in = tsr_test_id_of (tsr_project_get_current_coder (f->p));

  CHECK (grace = tsr_project_confirm_coder (f->p, "  Grace Hopper ", &err));
  g_assert_cmpstr (tsr_coder_get_name (grace), ==, "Grace Hopper");
  g_assert_cmpint (tsr_test_id_of (grace), ==, stand_in);
  g_assert_true (tsr_project_get_coder_confirmed (f->p));
  g_assert_cmpstr (current_name (f), ==, "Grace Hopper");
  who = segment_coder_name (f, seg);
  g_assert_cmpstr (who, ==, "Grace Hopper");
  g_assert_cmpuint (n_coders (f), ==, 1);

  /* The audit trail names her too. */
  history = tsr_project_list_history (f->p, 10);
  for (guint i = 0; i < history->len; i++)
    {
      const char *name = tsr_history_entry_get_coder_name (history->pdata[i]);

      g_assert_true (name[0] == '\0' || g_str_equal (name, "Grace Hopper"));
    }

  /* Naming is not an edit: one undo takes the coding away, and she
   * stays who is coding. */
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_null (tsr_project_lookup_segment (f->p, seg));
  g_assert_cmpstr (current_name (f), ==, "Grace Hopper");
  CHECK (tsr_project_redo (f->p, &err));
  g_free (who);
  who = segment_coder_name (f, seg);
  g_assert_cmpstr (who, ==, "Grace Hopper");

  /* Remembered in the file: the next opening here does not ask. */
  reopen (f);
  g_assert_true (tsr_project_get_coder_confirmed (f->p));
  g_assert_cmpstr (current_name (f), ==, "Grace Hopper");
  {
    g_autoptr(TsrCoder) remembered = tsr_project_get_remembered_coder (f->p);

    g_assert_nonnull (remembered);
    g_assert_cmpstr (tsr_coder_get_name (remembered), ==, "Grace Hopper");
  }
}

/* Answering with the name of a coder the project already has (the same
 * person on another machine) hands the stand-in's edits over to them, in
 * one undoable step that keeps the history true. */
static void
test_stand_in_handed_over (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCoder) dana = NULL;
  g_autofree char *who = NULL;
  gint64 dana_id, old_seg, seg, stand_in;

  dana_id = add_coder (f, "Dana");
  CHECK_ID (old_seg, tsr_project_add_segment_for_coder (f->p, f->doc2, f->code, dana_id, 0, 6, &err));
  CHECK (tsr_project_set_documents_done (f->p, dana_id, &f->doc2, 1, TRUE, &err));
  reopen (f);
  g_assert_false (tsr_project_get_coder_confirmed (f->p));

  /* The stand-in finishes both documents, then codes. */
  {
    gint64 both[] = { f->doc1, f->doc2 };
    CHECK (tsr_project_set_documents_done (f->p, 0, both, 2, TRUE, &err));
  }
  CHECK_ID (seg, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));
  stand_in = tsr_test_id_of (tsr_project_get_current_coder (f->p));
  g_assert_cmpint (stand_in, !=, dana_id);
  g_assert_cmpuint (n_coders (f), ==, 2);

  CHECK (dana = tsr_project_confirm_coder (f->p, "Dana", &err));
  g_assert_cmpint (tsr_test_id_of (dana), ==, dana_id);
  g_assert_cmpstr (current_name (f), ==, "Dana");
  g_assert_true (tsr_project_get_coder_confirmed (f->p));
  who = segment_coder_name (f, seg);
  g_assert_cmpstr (who, ==, "Dana");
  g_assert_null (tsr_project_lookup_coder (f->p, stand_in));
  g_assert_cmpuint (n_coders (f), ==, 1);
  /* The documents the stand-in marked done are Dana's, doc2 once. */
  {
    g_autoptr(GArray) done = tsr_project_get_done_documents (f->p, dana_id);
    g_autoptr(GArray) doc2_coders = tsr_project_get_document_done_coders (f->p, f->doc2);

    g_assert_cmpuint (done->len, ==, 2);
    g_assert_cmpuint (doc2_coders->len, ==, 1);
  }

  /* Undo gives the passage back to the stand-in; a second undo removes
   * it; redo twice brings back Dana's passage. */
  CHECK (tsr_project_undo (f->p, &err));
  {
    g_autoptr(TsrCoder) back = tsr_project_lookup_coder (f->p, stand_in);
    g_assert_nonnull (back);
  }
  {
    g_autoptr(TsrSegment) s = tsr_project_lookup_segment (f->p, seg);
    g_assert_cmpint (tsr_segment_get_coder_id (s), ==, stand_in);
  }
  g_assert_true (tsr_project_get_document_done (f->p, f->doc1, stand_in));
  g_assert_true (tsr_project_get_document_done (f->p, f->doc2, stand_in));
  g_assert_true (tsr_project_get_document_done (f->p, f->doc2, dana_id));
  g_assert_false (tsr_project_get_document_done (f->p, f->doc1, dana_id));
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_null (tsr_project_lookup_segment (f->p, seg));
  CHECK (tsr_project_redo (f->p, &err));
  CHECK (tsr_project_redo (f->p, &err));
  g_free (who);
  who = segment_coder_name (f, seg);
  g_assert_cmpstr (who, ==, "Dana");
  g_free (who);
  who = segment_coder_name (f, old_seg);
  g_assert_cmpstr (who, ==, "Dana");
  CHECK (tsr_project_check_integrity (f->p, &err));
}

/* The remembered coder belongs to this account on this machine: a file
 * written with another account's coder does not make us code as them. */
static void
test_remembered_per_account (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrCoder) ada = NULL;
  sqlite3 *db = NULL;
  char *errmsg = NULL;

  CHECK (ada = tsr_project_confirm_coder (f->p, "Ada", &err));
  CHECK (tsr_project_close (f->p, &err));
  g_clear_object (&f->p);

  /* Make it another account's choice, as if the file came from a colleague. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE project SET key = 'coder:someone@elsewhere'"
                                     " WHERE key LIKE 'coder:%'", NULL, NULL, &errmsg), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  f->p = tsr_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (tsr_project_get_coder_confirmed (f->p));
  g_assert_null (tsr_project_get_current_coder (f->p));
  g_assert_null (tsr_project_get_remembered_coder (f->p));
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

/* Rename: the same coder, with all their coding; undo and redo. */
static void
test_rename (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCoder) ada = NULL;
  g_autofree char *who = NULL;
  gint64 seg1, seg2, bea;
  guint notified = 0;

  CHECK (ada = tsr_project_confirm_coder (f->p, "Ada", &err));
  CHECK_ID (seg1, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));
  CHECK_ID (seg2, tsr_project_add_segment (f->p, f->doc2, f->code, 0, 6, &err));
  bea = add_coder (f, "Bea");

  {
    gulong h = g_signal_connect_swapped (f->p, "notify::current-coder",
                                         G_CALLBACK (count_cb), &notified);

    CHECK (tsr_project_rename_coder (f->p, tsr_test_id_of (ada), "Ada Lovelace", &err));
    g_signal_handler_disconnect (f->p, h);
  }
  g_assert_cmpuint (notified, >=, 1);
  g_assert_cmpstr (current_name (f), ==, "Ada Lovelace");
  g_assert_cmpint (tsr_test_id_of (tsr_project_get_current_coder (f->p)), ==, tsr_test_id_of (ada));
  who = segment_coder_name (f, seg1);
  g_assert_cmpstr (who, ==, "Ada Lovelace");
  g_free (who);
  who = segment_coder_name (f, seg2);
  g_assert_cmpstr (who, ==, "Ada Lovelace");
  g_assert_cmpuint (n_coders (f), ==, 2);
  {
    g_autofree char *label = tsr_project_get_undo_label (f->p);
    g_assert_nonnull (strstr (label, "Ada Lovelace"));
  }

  /* Not to another coder's name. */
  {
    GError *error = NULL;

    g_assert_false (tsr_project_rename_coder (f->p, tsr_test_id_of (ada), "Bea", &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_cmpstr (current_name (f), ==, "Ada Lovelace");
    (void) bea;
  }

  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpstr (current_name (f), ==, "Ada");
  g_free (who);
  who = segment_coder_name (f, seg1);
  g_assert_cmpstr (who, ==, "Ada");
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpstr (current_name (f), ==, "Ada Lovelace");

  /* Still remembered: the rename kept the identity. */
  reopen (f);
  g_assert_cmpstr (current_name (f), ==, "Ada Lovelace");
  g_assert_true (tsr_project_get_coder_confirmed (f->p));
}

/* Start coding as a new coder: the old coder keeps their coding; undo
 * goes back to them and takes the new coder away. */
static void
test_switch (Fixture *f, gconstpointer data)
{
  g_autoptr(TsrCoder) ada = NULL;
  g_autoptr(TsrCoder) sam = NULL;
  g_autofree char *who = NULL;
  gint64 seg_ada, seg_sam, sam_id;

  CHECK (ada = tsr_project_confirm_coder (f->p, "Ada", &err));
  CHECK_ID (seg_ada, tsr_project_add_segment (f->p, f->doc1, f->code, 0, 11, &err));

  CHECK (sam = tsr_project_switch_coder (f->p, "Sam", &err));
  sam_id = tsr_test_id_of (sam);
  g_assert_cmpint (sam_id, !=, tsr_test_id_of (ada));
  g_assert_cmpstr (current_name (f), ==, "Sam");
  g_assert_true (tsr_project_get_coder_confirmed (f->p));
  CHECK_ID (seg_sam, tsr_project_add_segment (f->p, f->doc2, f->code, 0, 6, &err));
  who = segment_coder_name (f, seg_ada);
  g_assert_cmpstr (who, ==, "Ada");
  g_free (who);
  who = segment_coder_name (f, seg_sam);
  g_assert_cmpstr (who, ==, "Sam");
  g_assert_cmpuint (n_coders (f), ==, 2);

  /* Remembered: reopening codes as Sam. */
  reopen (f);
  g_assert_cmpstr (current_name (f), ==, "Sam");

  /* Undo Sam's passage, then the switch: Ada again, no Sam. */
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_null (tsr_project_lookup_segment (f->p, seg_sam));
  CHECK (tsr_project_undo (f->p, &err));
  g_assert_cmpstr (current_name (f), ==, "Ada");
  g_assert_null (tsr_project_lookup_coder (f->p, sam_id));
  g_assert_cmpuint (n_coders (f), ==, 1);

  /* Redo both: Sam again, with his passage. */
  CHECK (tsr_project_redo (f->p, &err));
  g_assert_cmpstr (current_name (f), ==, "Sam");
  CHECK (tsr_project_redo (f->p, &err));
  g_free (who);
  who = segment_coder_name (f, seg_sam);
  g_assert_cmpstr (who, ==, "Sam");

  /* Back to a coder the project has: no one added. */
  g_clear_object (&ada);
  CHECK (ada = tsr_project_switch_coder (f->p, "Ada", &err));
  g_assert_cmpstr (current_name (f), ==, "Ada");
  g_assert_cmpuint (n_coders (f), ==, 2);
  CHECK (tsr_project_check_integrity (f->p, &err));

  /* The consensus is not a person to code as. */
  {
    g_autoptr(TsrCoder) consensus = tsr_project_get_consensus_coder (f->p, NULL);
    GError *error = NULL;

    g_assert_null (tsr_project_switch_coder (f->p, tsr_coder_get_name (consensus), &error));
    g_assert_error (error, TSR_ERROR, TSR_ERROR_EXISTS);
    g_clear_error (&error);
  }
}

static void
test_default_name (void)
{
  g_autofree char *name = tsr_coder_dup_default_name ();

  /* Whatever the machine: never a system account's name. */
  g_assert_true (name == NULL || (name[0] != '\0' && !g_str_equal (name, "root")));
  if (g_strcmp0 (g_get_real_name (), "Unknown") != 0 && g_strcmp0 (g_get_real_name (), "root") != 0 &&
      g_get_real_name ()[0] != '\0')
    g_assert_cmpstr (name, ==, g_get_real_name ());
}

#define ADD(path, func) \
  g_test_add ("/tessera/coders/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("default-scope", test_default_scope);
  ADD ("default-scope-newcomer", test_default_scope_newcomer);
  ADD ("stand-in-named", test_stand_in_named);
  ADD ("stand-in-handed-over", test_stand_in_handed_over);
  ADD ("remembered-per-account", test_remembered_per_account);
  ADD ("rename", test_rename);
  ADD ("switch", test_switch);
  g_test_add_func ("/tessera/coders/default-name", test_default_name);

  return g_test_run ();
}
