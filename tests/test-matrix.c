/* test-matrix.c — the comparison matrix against cells worked out by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdarg.h>

#include "tessera.h"
#include "tsr-test-utils.h"

/* Four documents, two cases and a numeric attribute:
 *
 *   doc  case   group   X codes   Y codes
 *   d1   A      1       C1        Q
 *   d2   A, B   2       Q
 *   d3   B      10      Q
 *   d4   –      –       P
 *
 * Codes: P with a sub-code C1, and Q.  Themes: T holds Q and has a
 * sub-theme T2 holding C1; D is discarded and holds P. */
typedef struct
{
  char       *dir;
  TsrProject *project;
  gint64      x, y;
  gint64      p, c1, q;
  gint64      t, t2;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TsrCoder) x = NULL;
  g_autoptr(TsrCoder) y = NULL;
  gint64 d[4], a, b, group, discarded;
  static const char * const groups[] = { "1", "2", "10", NULL };

  f->dir = g_dir_make_tmp ("tessera-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "m.tessera", NULL);
  f->project = tsr_project_create (path, &error);
  g_assert_no_error (error);

  x = tsr_project_ensure_coder (f->project, "X", &error);
  g_assert_no_error (error);
  y = tsr_project_ensure_coder (f->project, "Y", &error);
  g_assert_no_error (error);
  f->x = tsr_test_id_of (x);
  f->y = tsr_test_id_of (y);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%u", i + 1);

      d[i] = tsr_project_add_document (f->project, name, "Some words to code here.", NULL, &error);
      g_assert_no_error (error);
    }

  f->p = tsr_project_create_code (f->project, 0, "P", "#3584e4", NULL, &error);
  g_assert_no_error (error);
  f->c1 = tsr_project_create_code (f->project, f->p, "C1", "#33d17a", NULL, &error);
  g_assert_no_error (error);
  f->q = tsr_project_create_code (f->project, 0, "Q", "#f6d32d", NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (tsr_project_add_segment_for_coder (f->project, d[0], f->c1, f->x, 0, 4, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->project, d[0], f->q, f->y, 5, 10, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->project, d[1], f->q, f->x, 0, 4, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->project, d[2], f->q, f->x, 0, 4, &error), >, 0);
  g_assert_cmpint (tsr_project_add_segment_for_coder (f->project, d[3], f->p, f->x, 0, 4, &error), >, 0);
  g_assert_no_error (error);

  a = tsr_project_create_case (f->project, "A", &error);
  b = tsr_project_create_case (f->project, "B", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_set_case_membership (f->project, a, d[0], TRUE, &error));
  g_assert_true (tsr_project_set_case_membership (f->project, a, d[1], TRUE, &error));
  g_assert_true (tsr_project_set_case_membership (f->project, b, d[1], TRUE, &error));
  g_assert_true (tsr_project_set_case_membership (f->project, b, d[2], TRUE, &error));

  group = tsr_project_define_attribute (f->project, TSR_ATTRIBUTE_ON_DOCUMENTS, "group",
                                        TSR_ATTRIBUTE_INTEGER, &error);
  g_assert_no_error (error);
  for (guint i = 0; groups[i] != NULL; i++)
    g_assert_true (tsr_project_set_attribute_value (f->project, group, d[i], groups[i], &error));

  f->t = tsr_project_create_theme (f->project, 0, "T", &error);
  f->t2 = tsr_project_create_theme (f->project, f->t, "T2", &error);
  discarded = tsr_project_create_theme (f->project, 0, "D", &error);
  g_assert_no_error (error);
  g_assert_true (tsr_project_add_code_to_theme (f->project, f->t, f->q, &error));
  g_assert_true (tsr_project_add_code_to_theme (f->project, f->t2, f->c1, &error));
  g_assert_true (tsr_project_add_code_to_theme (f->project, discarded, f->p, &error));
  g_assert_true (tsr_project_set_theme_status (f->project, discarded, TSR_THEME_DISCARDED, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->project);
  tsr_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Every row's cells, as "path:n n n…" lines */
static char *
cells (TsrMatrix *matrix)
{
  GString *out = g_string_new (NULL);

  g_string_append (out, "N:");
  for (guint c = 0; c < tsr_matrix_get_n_columns (matrix); c++)
    g_string_append_printf (out, " %s=%u", tsr_matrix_get_column_name (matrix, c),
                            tsr_matrix_get_column_size (matrix, c));
  for (guint r = 0; r < tsr_matrix_get_n_rows (matrix); r++)
    {
      g_string_append_printf (out, "\n%s:", tsr_matrix_get_row_path (matrix, r));
      for (guint c = 0; c < tsr_matrix_get_n_columns (matrix); c++)
        g_string_append_printf (out, " %u", tsr_matrix_get_n (matrix, r, c));
    }
  return g_string_free (out, FALSE);
}

static char *
build (Fixture       *f,
       TsrCoderMode   mode,
       gint64         coder_id,
       TsrMatrixRows  rows,
       const char    *attribute)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrMatrix) matrix = tsr_project_build_matrix (f->project, scope, rows, attribute, NULL, &error);

  g_assert_no_error (error);
  return cells (matrix);
}

/* By case, any coder: P counts its sub-code C1 (d1, in A); Q is in d1
 * (Y), d2 and d3; d2 is in both cases and counts in each; d4 is in no
 * case. */
static void
test_codes_by_case (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *any = build (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, NULL);
  g_autofree char *x = build (f, TSR_CODERS_ONE, f->x, TSR_MATRIX_ROWS_CODES, NULL);

  g_assert_cmpstr (any, ==,
                   "N: A=2 B=2\n"
                   "P: 1 0\n"
                   "P/C1: 1 0\n"
                   "Q: 2 2");
  /* X alone did not code Q in d1. */
  g_assert_cmpstr (x, ==,
                   "N: A=2 B=2\n"
                   "P: 1 0\n"
                   "P/C1: 1 0\n"
                   "Q: 1 2");
}

/* By a numeric attribute: columns in numeric order (2 before 10), then
 * the documents with no value. */
static void
test_codes_by_attribute (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *any = build (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, "group");

  g_assert_cmpstr (any, ==,
                   "N: 1=1 2=1 10=1 No value=1\n"
                   "P: 1 0 0 1\n"
                   "P/C1: 1 0 0 0\n"
                   "Q: 1 1 1 0");
}

/* Themes: T holds Q and, through T2, C1; the discarded theme is left
 * out. */
static void
test_themes_by_case (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *any = build (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_THEMES, NULL);

  g_assert_cmpstr (any, ==,
                   "N: A=2 B=2\n"
                   "T: 2 2\n"
                   "T/T2: 1 0");
}

static void
test_unknown_attribute (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsrMatrix) matrix = tsr_project_build_matrix (f->project, scope, TSR_MATRIX_ROWS_CODES,
                                                          "dyad", NULL, &error);

  g_assert_null (matrix);
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "dyad"));
}

/* The table every export format writes: a column per case headed with
 * its N, rows indented by level, and the note saying what a cell is. */
static void
test_document (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(TsrMatrix) matrix = tsr_project_build_matrix (f->project, scope, TSR_MATRIX_ROWS_CODES,
                                                          NULL, NULL, NULL);
  g_autoptr(TsrExportDocument) doc = tsr_matrix_to_document (matrix);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (tsr_export_document_write (doc, TSR_EXPORT_CSV, TSR_EXPORT_FLAGS_NONE, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_cmpstr (csv, ==,
                   "Code,A (N = 2),B (N = 2)\r\n"
                   "P,1,0\r\n"
                   "\"  C1\",1,0\r\n"
                   "Q,2,2\r\n");
}

/* Every row's cells of one kind, as "path: v v…" lines. */
static char *
values (TsrMatrix     *matrix,
        TsrMatrixCell  cell)
{
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < tsr_matrix_get_n_rows (matrix); r++)
    {
      g_string_append_printf (out, "%s%s:", r > 0 ? "\n" : "", tsr_matrix_get_row_path (matrix, r));
      for (guint c = 0; c < tsr_matrix_get_n_columns (matrix); c++)
        {
          g_autofree char *v = tsr_matrix_format_value (matrix, cell, r, c);

          g_string_append_printf (out, " %s", v);
        }
    }
  return g_string_free (out, FALSE);
}

static TsrMatrix *
build_full (Fixture       *f,
            TsrCoderMode   mode,
            gint64         coder_id,
            TsrMatrixRows  rows,
            gboolean       by_case,
            const char    *attribute)
{
  g_autoptr(TsrScope) scope = tsr_scope_new (mode, coder_id);
  g_autoptr(GError) error = NULL;
  TsrMatrix *matrix = tsr_project_build_matrix_full (f->project, scope, rows, by_case, attribute, NULL, &error);

  g_assert_no_error (error);
  return matrix;
}

/* Passages: P holds C1's one passage in d1; Q has Y's in d1 and X's in
 * d2 (case A) and X's in d2 and d3 (case B).  A theme counts its codes'
 * passages, T2's C1 included in T. */
static void
test_passages (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TsrMatrix) any = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, TRUE, NULL);
  g_autoptr(TsrMatrix) x = build_full (f, TSR_CODERS_ONE, f->x, TSR_MATRIX_ROWS_CODES, TRUE, NULL);
  g_autoptr(TsrMatrix) themes = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_THEMES, TRUE, NULL);
  g_autofree char *any_passages = values (any, TSR_MATRIX_CELL_PASSAGES);
  g_autofree char *x_passages = values (x, TSR_MATRIX_CELL_PASSAGES);
  g_autofree char *theme_passages = values (themes, TSR_MATRIX_CELL_PASSAGES);
  g_autofree char *percent = values (any, TSR_MATRIX_CELL_PERCENT);

  g_assert_cmpstr (any_passages, ==, "P: 1 0\nP/C1: 1 0\nQ: 2 2");
  g_assert_cmpstr (x_passages, ==, "P: 1 0\nP/C1: 1 0\nQ: 1 2");
  g_assert_cmpstr (theme_passages, ==, "T: 3 2\nT/T2: 1 0");
  g_assert_cmpstr (percent, ==, "P: 50.0 0.0\nP/C1: 50.0 0.0\nQ: 100.0 100.0");
}

/* Cases split by an attribute: a column per case and value. */
static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TsrMatrix) m = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, TRUE, "group");
  g_autofree char *n = cells (m);
  g_autoptr(TsrExportDocument) doc = tsr_matrix_to_document (m);

  g_assert_cmpstr (n, ==,
                   "N: A · 1=1 A · 2=1 B · 2=1 B · 10=1\n"
                   "P: 1 0 0 0\n"
                   "P/C1: 1 0 0 0\n"
                   "Q: 1 1 1 1");
  g_assert_cmpstr (tsr_export_document_get_title (doc), ==, "Codes by case and group");
}

/* A cell's passages: the row's, in the column's documents, by the
 * scope's coders, in document order. */
static void
test_list_passages (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TsrMatrix) any = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, TRUE, NULL);
  g_autoptr(TsrMatrix) x = build_full (f, TSR_CODERS_ONE, f->x, TSR_MATRIX_ROWS_CODES, TRUE, NULL);
  g_autoptr(TsrMatrix) themes = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_THEMES, TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) q_a = tsr_matrix_list_passages (any, f->project, 2, 0, &error);
  g_autoptr(GPtrArray) q_a_x = tsr_matrix_list_passages (x, f->project, 2, 0, &error);
  g_autoptr(GPtrArray) p_a = tsr_matrix_list_passages (any, f->project, 0, 0, &error);
  g_autoptr(GPtrArray) t_a = tsr_matrix_list_passages (themes, f->project, 0, 0, &error);
  TsrExtract *e;

  g_assert_no_error (error);
  g_assert_cmpuint (q_a->len, ==, 2);
  e = q_a->pdata[0];
  g_assert_cmpstr (e->document_name, ==, "d1");
  g_assert_cmpstr (e->coder_name, ==, "Y");
  g_assert_cmpstr (e->text, ==, "words");
  e = q_a->pdata[1];
  g_assert_cmpstr (e->document_name, ==, "d2");
  g_assert_cmpuint (q_a_x->len, ==, 1);
  g_assert_cmpuint (p_a->len, ==, 1);
  g_assert_cmpstr (((TsrExtract *) p_a->pdata[0])->code_name, ==, "C1");
  g_assert_cmpuint (t_a->len, ==, tsr_matrix_get_passages (themes, 0, 0));
  for (guint r = 0; r < tsr_matrix_get_n_rows (any); r++)
    for (guint c = 0; c < tsr_matrix_get_n_columns (any); c++)
      {
        g_autoptr(GPtrArray) list = tsr_matrix_list_passages (any, f->project, r, c, &error);
        g_autoptr(GHashTable) docs = g_hash_table_new (g_int64_hash, g_int64_equal);

        g_assert_no_error (error);
        g_assert_cmpuint (list->len, ==, tsr_matrix_get_passages (any, r, c));
        for (guint i = 0; i < list->len; i++)
          g_hash_table_add (docs, &((TsrExtract *) list->pdata[i])->document_id);
        g_assert_cmpuint (g_hash_table_size (docs), ==, tsr_matrix_get_n (any, r, c));
      }
}

/* Transposed, in passages: a row per case, a column per code by path. */
static void
test_transposed_document (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TsrMatrix) m = build_full (f, TSR_CODERS_ANY, 0, TSR_MATRIX_ROWS_CODES, TRUE, NULL);
  g_autoptr(TsrExportDocument) doc = tsr_matrix_to_document_full (m, TSR_MATRIX_CELL_PASSAGES, TRUE);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (tsr_export_document_write (doc, TSR_EXPORT_CSV, TSR_EXPORT_FLAGS_NONE, stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_cmpstr (csv, ==,
                   "Case,P,P/C1,Q\r\n"
                   "A (N = 2),1,1,2\r\n"
                   "B (N = 2),0,0,2\r\n");
}

/* The oracle: with SQL straight on the file, the documents of each role
 * holding a segment of a top-level code or any code below it, by the
 * consensus coder (the demo's default scope). */
static guint
sql_count (sqlite3    *db,
           const char *code,
           const char *role)
{
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "WITH RECURSIVE sub (id) AS ("
    "  SELECT id FROM codes WHERE name = ?1 AND parent_id IS NULL"
    "  UNION ALL SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id)"
    " SELECT count (DISTINCT d.id) FROM documents d"
    " JOIN document_attribute_values v ON v.document_id = d.id"
    " JOIN attributes a ON a.id = v.attribute_id AND a.name = 'role'"
    " WHERE v.value = ?2 AND (?1 IS NULL OR EXISTS (SELECT 1 FROM segments s"
    "   JOIN coders k ON k.id = s.coder_id AND k.is_consensus"
    "   WHERE s.document_id = d.id AND s.code_id IN (SELECT id FROM sub)))",
    -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* tessera-cli matrix on the demo, by role, against the oracle: every
 * column's N and every top-level code's cell. */
static void
test_cli_demo (void)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_auto(TsrTestRun) r = { 0, };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) sizes = NULL;
  sqlite3 *db = NULL;
  guint checked = 0;

  if (demo == NULL)
    {
      g_test_skip ("TESSERA_DEMO is not set");
      return;
    }
  tsr_test_run_cli (&r, NULL, "matrix", demo, "--by", "role", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  header = g_strsplit (lines[0], "\t", -1);
  sizes = g_strsplit (lines[1], "\t", -1);
  g_assert_cmpstr (header[0], ==, "path");
  g_assert_cmpstr (sizes[0], ==, "N");
  g_assert_cmpuint (g_strv_length (header), >, 2);

  g_assert_cmpint (sqlite3_open_v2 (demo, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint c = 1; header[c] != NULL; c++)
    g_assert_cmpuint (g_ascii_strtoull (sizes[c], NULL, 10), ==, sql_count (db, NULL, header[c]));
  for (guint i = 2; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", -1);

      if (strchr (cells[0], '/') != NULL)
        continue;
      for (guint c = 1; header[c] != NULL; c++)
        g_assert_cmpuint (g_ascii_strtoull (cells[c], NULL, 10), ==, sql_count (db, cells[0], header[c]));
      checked++;
    }
  sqlite3_close (db);
  g_assert_cmpuint (checked, >=, 5);
}

/* Bad input: a message, no output. */
static void
test_cli_errors (void)
{
  const char *demo = g_getenv ("TESSERA_DEMO");
  g_auto(TsrTestRun) unknown = { 0, };
  g_auto(TsrTestRun) rows = { 0, };

  if (demo == NULL)
    {
      g_test_skip ("TESSERA_DEMO is not set");
      return;
    }
  tsr_test_run_cli (&unknown, NULL, "matrix", demo, "--by", "dyad", NULL);
  g_assert_cmpint (unknown.status, !=, 0);
  g_assert_nonnull (strstr (unknown.err, "There is no document attribute “dyad”"));
  g_assert_cmpstr (unknown.out, ==, "");
  tsr_test_run_cli (&rows, NULL, "matrix", demo, "--rows", "cases", NULL);
  {
    g_auto(TsrTestRun) no_cases = { 0, };

    /* The demo has attributes but no cases. */
    tsr_test_run_cli (&no_cases, NULL, "matrix", demo, NULL);
    g_assert_cmpint (no_cases.status, !=, 0);
    g_assert_nonnull (strstr (no_cases.err, "no cases to compare"));
    g_assert_cmpstr (no_cases.out, ==, "");
  }
  g_assert_cmpint (rows.status, !=, 0);
  g_assert_nonnull (strstr (rows.err, "Unknown rows"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TESSERA_CODER", "X", TRUE);

#define ADD(name, func) \
  g_test_add ("/tessera/matrix/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("codes-by-case", test_codes_by_case);
  ADD ("codes-by-attribute", test_codes_by_attribute);
  ADD ("themes-by-case", test_themes_by_case);
  ADD ("unknown-attribute", test_unknown_attribute);
  ADD ("document", test_document);
  ADD ("passages", test_passages);
  ADD ("split", test_split);
  ADD ("list-passages", test_list_passages);
  ADD ("transposed-document", test_transposed_document);
#undef ADD
  g_test_add_func ("/tessera/matrix/cli-demo", test_cli_demo);
  g_test_add_func ("/tessera/matrix/cli-errors", test_cli_errors);

  return g_test_run ();
}
