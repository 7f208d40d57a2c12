/* tsr-phases.c — where a project stands in the six phases of analysis
 *
 * Each phase's progress is counted from the project itself:
 *  1 Familiarising: documents marked as read, of all documents;
 *  2 Coding: documents holding at least one segment, of all documents;
 *  3 Searching for themes: codes sorted into a theme, of all codes; a
 *    code counts when it, a code above it or a code below it is in a
 *    theme (a parent code that only groups its children is sorted with
 *    them), as the theme map's bin of unsorted codes shows;
 *  4 Reviewing: themes no longer candidates (reviewed, final or
 *    discarded), of all themes;
 *  5 Defining and naming: themes with a definition, of the themes kept
 *    (all but the discarded);
 *  6 Writing up: whether a report has been exported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-phases.h"
#include "tsr-project-private.h"

static const char * const phase_names[] = {
  N_("Familiarising"),
  N_("Coding"),
  N_("Searching for themes"),
  N_("Reviewing themes"),
  N_("Defining and naming"),
  N_("Writing up"),
};

static const char * const phase_units[] = {
  N_("documents read"),
  N_("documents coded"),
  N_("codes in themes"),
  N_("themes reviewed"),
  N_("themes defined"),
  N_("report exported"),
};

/**
 * tsr_phase_get_name:
 *
 * Returns: the phase's name, untranslated (translate with _())
 */
const char *
tsr_phase_get_name (TsrPhase phase)
{
  g_return_val_if_fail (phase < TSR_N_PHASES, NULL);
  return phase_names[phase];
}

/**
 * tsr_phase_get_unit:
 *
 * Returns: what the phase's progress counts, untranslated
 */
const char *
tsr_phase_get_unit (TsrPhase phase)
{
  g_return_val_if_fail (phase < TSR_N_PHASES, NULL);
  return phase_units[phase];
}

/**
 * tsr_phase_progress_fraction:
 *
 * Returns: @done over @total, 0 when there is nothing to count
 */
double
tsr_phase_progress_fraction (const TsrPhaseProgress *progress)
{
  return progress->total > 0 ? (double) progress->done / progress->total : 0.0;
}

static gboolean
query_pair (sqlite3     *db,
            const char  *sql,
            guint       *done,
            guint       *total,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsr_database_set_handle_error (db, 0, error, "progress");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *done = sqlite3_column_int (stmt, 0);
      *total = sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      tsr_database_set_handle_error (db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, error, "progress");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_project_get_phase_progress:
 * @progress: (out caller-allocates) (array fixed-size=6): filled in
 *
 * Counts how far the project has come in each phase.
 */
gboolean
tsr_project_get_phase_progress (TsrProject        *self,
                                TsrPhaseProgress   progress[TSR_N_PHASES],
                                GError           **error)
{
  static const char * const queries[TSR_N_PHASES] = {
    "SELECT (SELECT count(*) FROM documents WHERE is_read = 1), (SELECT count(*) FROM documents)",
    /* The document index answers "has a segment" without reading them all. */
    "SELECT (SELECT count(*) FROM documents d WHERE EXISTS"
    "   (SELECT 1 FROM segments s INDEXED BY segments_document WHERE s.document_id = d.id)),"
    " (SELECT count(*) FROM documents)",
    "WITH RECURSIVE down (id) AS ("
    "  SELECT code_id FROM theme_codes"
    "  UNION SELECT c.id FROM codes c JOIN down ON c.parent_id = down.id"
    "), up (id) AS ("
    "  SELECT code_id FROM theme_codes"
    "  UNION SELECT c.parent_id FROM codes c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL"
    ") SELECT (SELECT count(*) FROM (SELECT id FROM down UNION SELECT id FROM up)), (SELECT count(*) FROM codes)",
    "SELECT (SELECT count(*) FROM themes WHERE status <> 'candidate'), (SELECT count(*) FROM themes)",
    "SELECT (SELECT count(*) FROM themes WHERE status <> 'discarded' AND trim (definition) <> ''),"
    " (SELECT count(*) FROM themes WHERE status <> 'discarded')",
    "SELECT (SELECT count(*) FROM project WHERE key = 'report-exported'), 1",
  };
  TsrDatabase *db;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  db = _tsr_project_get_database (self);
  if (db == NULL || tsr_database_get_handle (db) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }

  for (guint i = 0; i < TSR_N_PHASES; i++)
    {
      progress[i] = (TsrPhaseProgress) { 0, 0 };
      if (!query_pair (tsr_database_get_handle (db), queries[i], &progress[i].done, &progress[i].total, error))
        return FALSE;
    }
  return TRUE;
}
