/* tsr-schema.c — the project file's tables and their upgrades
 *
 * Every entity has an INTEGER PRIMARY KEY for joins and a UUID that stays
 * the same across copies of a project, so merging two coders' files and
 * REFI-QDA exchange can match rows.  Every table has a primary key: the
 * history records edits with SQLite's session extension, which needs one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsr-database-private.h"

gboolean _tsr_schema_create  (TsrDatabase *self, GError **error);
const char *_tsr_schema_missing_table (TsrDatabase *self);
gboolean _tsr_schema_migrate (TsrDatabase *self, guint from_version, GError **error);

#define SCHEMA_VERSION 5

static const char schema_v1[] =
  "CREATE TABLE project ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"

  "CREATE TABLE coders ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE,"
  "  is_consensus INTEGER NOT NULL DEFAULT 0 CHECK (is_consensus IN (0, 1)),"
  "  created INTEGER NOT NULL"
  ");"

  "CREATE TABLE documents ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  source TEXT NOT NULL DEFAULT '',"
  "  content_hash TEXT NOT NULL,"
  "  length INTEGER NOT NULL CHECK (length >= 0),"
  "  is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),"
  "  position INTEGER NOT NULL,"
  "  created INTEGER NOT NULL"
  ");"
  "CREATE INDEX documents_position ON documents (position);"
  "CREATE INDEX documents_hash ON documents (content_hash);"

  /* Kept apart so that listing documents never reads their text. */
  "CREATE TABLE document_texts ("
  "  document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,"
  "  text TEXT NOT NULL"
  ");"

  "CREATE TABLE codes ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  parent_id INTEGER REFERENCES codes (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  color TEXT NOT NULL,"
  "  definition TEXT NOT NULL DEFAULT '',"
  "  position INTEGER NOT NULL,"
  "  created INTEGER NOT NULL"
  ");"
  "CREATE INDEX codes_parent ON codes (parent_id, position);"

  "CREATE TABLE segments ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,"
  "  coder_id INTEGER NOT NULL REFERENCES coders (id),"
  "  start INTEGER NOT NULL CHECK (start >= 0),"
  "  end INTEGER NOT NULL CHECK (end > start),"
  "  text TEXT NOT NULL,"
  "  exemplar INTEGER NOT NULL DEFAULT 0 CHECK (exemplar IN (0, 1)),"
  "  created INTEGER NOT NULL"
  ");"
  /* The reader loads a document's segments in order; the counts read
   * (coder, code, document) triples straight from a covering index. */
  "CREATE INDEX segments_document ON segments (document_id, start);"
  "CREATE INDEX segments_counts ON segments (coder_id, code_id, document_id);"
  "CREATE INDEX segments_code ON segments (code_id);"

  "CREATE TABLE themes ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  parent_id INTEGER REFERENCES themes (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  definition TEXT NOT NULL DEFAULT '',"
  "  scope_notes TEXT NOT NULL DEFAULT '',"
  "  narrative TEXT NOT NULL DEFAULT '',"
  "  status TEXT NOT NULL DEFAULT 'candidate'"
  "    CHECK (status IN ('candidate', 'reviewed', 'final', 'discarded')),"
  "  position INTEGER NOT NULL,"
  "  created INTEGER NOT NULL"
  ");"
  "CREATE INDEX themes_parent ON themes (parent_id, position);"

  "CREATE TABLE theme_codes ("
  "  theme_id INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,"
  "  code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (theme_id, code_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX theme_codes_code ON theme_codes (code_id);"

  "CREATE TABLE memos ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('journal', 'document', 'segment', 'code', 'theme')),"
  "  document_id INTEGER REFERENCES documents (id) ON DELETE CASCADE,"
  "  segment_id INTEGER REFERENCES segments (id) ON DELETE CASCADE,"
  "  code_id INTEGER REFERENCES codes (id) ON DELETE CASCADE,"
  "  theme_id INTEGER REFERENCES themes (id) ON DELETE CASCADE,"
  "  coder_id INTEGER REFERENCES coders (id) ON DELETE SET NULL,"
  "  date TEXT NOT NULL DEFAULT '',"
  "  text TEXT NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  modified INTEGER NOT NULL,"
  "  CHECK ((kind = 'journal') = (coalesce (document_id, segment_id, code_id, theme_id) IS NULL))"
  ");"
  "CREATE UNIQUE INDEX memos_document ON memos (document_id) WHERE document_id IS NOT NULL;"
  "CREATE UNIQUE INDEX memos_segment ON memos (segment_id) WHERE segment_id IS NOT NULL;"
  "CREATE UNIQUE INDEX memos_code ON memos (code_id) WHERE code_id IS NOT NULL;"
  "CREATE UNIQUE INDEX memos_theme ON memos (theme_id) WHERE theme_id IS NOT NULL;"
  "CREATE INDEX memos_journal ON memos (kind, date);"

  "CREATE TABLE cases ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE CHECK (name <> ''),"
  "  description TEXT NOT NULL DEFAULT '',"
  "  created INTEGER NOT NULL"
  ");"

  "CREATE TABLE case_documents ("
  "  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (case_id, document_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX case_documents_document ON case_documents (document_id);"

  "CREATE TABLE attributes ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  target TEXT NOT NULL CHECK (target IN ('document', 'case')),"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  type TEXT NOT NULL CHECK (type IN ('text', 'integer', 'real', 'boolean', 'date')),"
  "  position INTEGER NOT NULL,"
  "  UNIQUE (target, name)"
  ");"

  "CREATE TABLE document_attribute_values ("
  "  attribute_id INTEGER NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (attribute_id, document_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX document_attribute_values_document ON document_attribute_values (document_id);"

  "CREATE TABLE case_attribute_values ("
  "  attribute_id INTEGER NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,"
  "  case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  value TEXT NOT NULL,"
  "  PRIMARY KEY (attribute_id, case_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX case_attribute_values_case ON case_attribute_values (case_id);"

  "CREATE TABLE map_theme_positions ("
  "  theme_id INTEGER PRIMARY KEY REFERENCES themes (id) ON DELETE CASCADE,"
  "  x REAL NOT NULL,"
  "  y REAL NOT NULL"
  ");"

  "CREATE TABLE map_code_positions ("
  "  code_id INTEGER PRIMARY KEY REFERENCES codes (id) ON DELETE CASCADE,"
  "  x REAL NOT NULL,"
  "  y REAL NOT NULL"
  ");"

  "CREATE TABLE map_links ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  from_theme_id INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,"
  "  to_theme_id INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  CHECK (from_theme_id <> to_theme_id)"
  ");"
  "CREATE INDEX map_links_from ON map_links (from_theme_id);"
  "CREATE INDEX map_links_to ON map_links (to_theme_id);"

  /* The audit trail and the undo stack.  changeset holds the SQLite
   * session changeset of the edit; state is 'done', 'undone' (can be
   * redone) or 'discarded' (undone, then superseded by a new edit). */
  "CREATE TABLE history ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  time INTEGER NOT NULL,"
  "  coder_id INTEGER REFERENCES coders (id) ON DELETE SET NULL,"
  "  coder_name TEXT NOT NULL DEFAULT '',"
  "  kind TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  changeset BLOB,"
  "  state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'discarded'))"
  ");"
  "CREATE INDEX history_state ON history (state, id);";

/* Version 2: how two coders' disagreements were reconciled, and an index
 * for comparing coders.
 *
 * A disagreement is one passage of one document where two coders'
 * coverage of one code differs; it is identified by the code, the
 * document, the two coders (the lower id first) and each coder's spans
 * over the passage, written as "start-end" pairs of character offsets
 * joined by commas ("" when the coder did not code it).  When either
 * coder later changes their coding there, the identity no longer matches
 * and the passage shows as unresolved again: a decision is never applied
 * to coding it was not made on.  action is relative to coder_a/coder_b.
 * The consensus coding the decision produced lives in segments, under
 * the consensus coder; this table only remembers the decision, so that
 * progress through the disagreements survives closing the project. */
static const char schema_v2[] =
  "CREATE TABLE resolutions ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  code_id INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  coder_a_id INTEGER NOT NULL REFERENCES coders (id),"
  "  coder_b_id INTEGER NOT NULL REFERENCES coders (id),"
  "  spans_a TEXT NOT NULL,"
  "  spans_b TEXT NOT NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('accept_a', 'accept_b', 'accept_both', 'reject')),"
  "  resolved_by INTEGER REFERENCES coders (id) ON DELETE SET NULL,"
  "  time INTEGER NOT NULL,"
  "  CHECK (coder_a_id < coder_b_id),"
  "  UNIQUE (code_id, document_id, coder_a_id, coder_b_id, spans_a, spans_b)"
  ");"
  "CREATE INDEX resolutions_document ON resolutions (document_id);"
  "CREATE INDEX resolutions_coders ON resolutions (coder_a_id, coder_b_id);"
  /* The agreement statistics read every segment's (document, code,
   * coder, span) once; a covering index lets SQLite scan it instead of
   * the table and the passages' text (a twentieth of the pages). */
  "CREATE INDEX segments_coverage ON segments (document_id, code_id, coder_id, start, end);";

/* Version 3: the full-text index over the documents' text.
 *
 * Two FTS5 indexes read their text from document_texts (external
 * content, so the text is stored once): search_words for words, phrases
 * and prefixes, case- and accent-insensitive, and search_trigrams for
 * substrings in any script (detail = none keeps it small: a substring
 * search only needs the documents holding every trigram, and the hits
 * are found in the text itself).  Triggers keep both in step inside the
 * transaction of every change to a document's text — an import, a
 * delete (the cascade from documents), an undo or redo replaying a
 * changeset, a merge, a JSON import — so no code path can forget them.
 * The indexes are derived data: the history's session leaves their
 * shadow tables out (every table named search_*), or an undo would
 * apply their changes twice, once from the changeset and once from the
 * triggers.  The rebuilds fill the index for a file that had documents
 * before this version. */
static const char schema_v3[] =
  "CREATE VIRTUAL TABLE search_words USING fts5 ("
  "  text, content = 'document_texts', content_rowid = 'document_id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE VIRTUAL TABLE search_trigrams USING fts5 ("
  "  text, content = 'document_texts', content_rowid = 'document_id',"
  "  tokenize = 'trigram case_sensitive 0', detail = none"
  ");"
  "CREATE TRIGGER search_texts_insert AFTER INSERT ON document_texts BEGIN"
  "  INSERT INTO search_words (rowid, text) VALUES (new.document_id, new.text);"
  "  INSERT INTO search_trigrams (rowid, text) VALUES (new.document_id, new.text);"
  " END;"
  "CREATE TRIGGER search_texts_delete AFTER DELETE ON document_texts BEGIN"
  "  INSERT INTO search_words (search_words, rowid, text) VALUES ('delete', old.document_id, old.text);"
  "  INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.document_id, old.text);"
  " END;"
  "CREATE TRIGGER search_texts_update AFTER UPDATE ON document_texts BEGIN"
  "  INSERT INTO search_words (search_words, rowid, text) VALUES ('delete', old.document_id, old.text);"
  "  INSERT INTO search_trigrams (search_trigrams, rowid, text) VALUES ('delete', old.document_id, old.text);"
  "  INSERT INTO search_words (rowid, text) VALUES (new.document_id, new.text);"
  "  INSERT INTO search_trigrams (rowid, text) VALUES (new.document_id, new.text);"
  " END;"
  "INSERT INTO search_words (search_words) VALUES ('rebuild');"
  "INSERT INTO search_trigrams (search_trigrams) VALUES ('rebuild');";

/* Version 4: the index costs an import less.
 *
 * Kept in the import's own transaction, both indexes made an import
 * nearly five times slower (tools/tsr-search-benchmark: 10,000
 * documents of 5,000 characters, 3.5 s without them, 16.8 s with).
 * The trigram index alone added 330 %, the word index 155 %; only a
 * substring search needs the trigrams, so that index now catches up
 * after the change: the triggers
 * list each new or changed text in search_pending, and
 * tsr_project_complete_index() adds the listed texts to search_trigrams
 * later, in transactions of its own.  A substring search reads the
 * pending texts themselves as well, so it never misses a document.  A
 * text removed before it was indexed only leaves the list; one that was
 * indexed is taken out of search_trigrams with its old text, as before.
 * search_pending is named search_* so the history leaves it out too: an
 * undo or redo replays the documents' rows and the triggers list them
 * again.
 *
 * The word index stays in the transaction (a word search evaluates
 * AND, OR and NOT in the index), but writes bigger pages and leaves
 * merging its segments to tsr_project_complete_index() (automerge 0;
 * crisismerge bounds how many can pile up), which took its cost from
 * +155 % to about +90 % in the benchmark. */
static const char schema_v4[] =
  "CREATE TABLE search_pending (document_id INTEGER PRIMARY KEY);"
  "DROP TRIGGER search_texts_insert;"
  "DROP TRIGGER search_texts_delete;"
  "DROP TRIGGER search_texts_update;"
  "CREATE TRIGGER search_texts_insert AFTER INSERT ON document_texts BEGIN"
  "  INSERT INTO search_words (rowid, text) VALUES (new.document_id, new.text);"
  "  INSERT OR IGNORE INTO search_pending (document_id) VALUES (new.document_id);"
  " END;"
  "CREATE TRIGGER search_texts_delete AFTER DELETE ON document_texts BEGIN"
  "  INSERT INTO search_words (search_words, rowid, text) VALUES ('delete', old.document_id, old.text);"
  "  INSERT INTO search_trigrams (search_trigrams, rowid, text)"
  "   SELECT 'delete', old.document_id, old.text"
  "   WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE document_id = old.document_id);"
  "  DELETE FROM search_pending WHERE document_id = old.document_id;"
  " END;"
  "CREATE TRIGGER search_texts_update AFTER UPDATE ON document_texts BEGIN"
  "  INSERT INTO search_words (search_words, rowid, text) VALUES ('delete', old.document_id, old.text);"
  "  INSERT INTO search_words (rowid, text) VALUES (new.document_id, new.text);"
  "  INSERT INTO search_trigrams (search_trigrams, rowid, text)"
  "   SELECT 'delete', old.document_id, old.text"
  "   WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE document_id = old.document_id);"
  "  DELETE FROM search_pending WHERE document_id = old.document_id;"
  "  INSERT OR IGNORE INTO search_pending (document_id) VALUES (new.document_id);"
  " END;"
  "INSERT INTO search_words (search_words, rank) VALUES ('pgsz', 16000);"
  "INSERT INTO search_words (search_words, rank) VALUES ('automerge', 0);"
  "INSERT INTO search_words (search_words, rank) VALUES ('crisismerge', 64);";

/* Version 5: who has finished coding which document.
 *
 * A coder marks a document as done (coded) when they have read it and
 * applied every code they mean to apply there: from then on a code they
 * did not apply in it is a judgement that the code is absent, not a
 * document they have not got to.  Agreement compares the documents both
 * coders marked done (when neither marked any, every document), and
 * lists the others as left out.  One row per (document, coder); time is
 * when the mark was made.  A mark goes with its document or coder. */
static const char schema_v5[] =
  "CREATE TABLE document_done ("
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  coder_id INTEGER NOT NULL REFERENCES coders (id) ON DELETE CASCADE,"
  "  time INTEGER NOT NULL,"
  "  PRIMARY KEY (document_id, coder_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX document_done_coder ON document_done (coder_id);";

/* In the order of their references, for dumps and restores. */
static const char * const table_names[] = {
  "project",
  "coders",
  "documents",
  "document_texts",
  "codes",
  "segments",
  "themes",
  "theme_codes",
  "memos",
  "cases",
  "case_documents",
  "attributes",
  "document_attribute_values",
  "case_attribute_values",
  "map_theme_positions",
  "map_code_positions",
  "map_links",
  "resolutions",
  "document_done",
  "history",
  NULL
};

const char * const *
tsr_database_table_names (void)
{
  return table_names;
}

guint
tsr_database_schema_version (void)
{
  return SCHEMA_VERSION;
}

static gboolean
stamp (TsrDatabase  *self,
       guint         version,
       GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %u",
                                          TSR_APPLICATION_ID, version);
  return tsr_database_exec (self, sql, error);
}

/* Upgrades run in order, each from version N to N + 1, inside the one
 * transaction the caller holds: a failed upgrade leaves the file as it was.
 * A new project runs them all. */
static const char * const upgrades[SCHEMA_VERSION] = {
  /* 0 → 1 happens only for a file that was stamped but never given
   * tables, which Tessera never writes. */
  schema_v1,
  /* 1 → 2: reconciliation of disagreements */
  schema_v2,
  /* 2 → 3: the full-text index */
  schema_v3,
  /* 3 → 4: the trigram index catches up after a change */
  schema_v4,
  /* 4 → 5: documents marked as done by a coder */
  schema_v5,
};

/* The SQL that upgrades a file from @from_version to the next; tests use
 * it to build files of an older version. */
const char *
_tsr_schema_upgrade_sql (guint from_version)
{
  g_return_val_if_fail (from_version < SCHEMA_VERSION, NULL);
  return upgrades[from_version];
}

gboolean
_tsr_schema_create (TsrDatabase  *self,
                    GError      **error)
{
  for (guint v = 0; v < SCHEMA_VERSION; v++)
    if (!tsr_database_exec (self, upgrades[v], error))
      return FALSE;
  return stamp (self, SCHEMA_VERSION, error);
}

gboolean
_tsr_schema_migrate (TsrDatabase  *self,
                     guint         from_version,
                     GError      **error)
{
  for (guint v = from_version; v < SCHEMA_VERSION; v++)
    if (!tsr_database_exec (self, upgrades[v], error))
      return FALSE;

  if (from_version == 0)
    {
      /* A version-0 file has no project record yet: give it the one a
       * new project gets, titled after the file. */
      g_autofree char *base = g_path_get_basename (tsr_database_get_path (self));
      g_autofree char *title = g_str_has_suffix (base, ".tessera")
        ? g_strndup (base, strlen (base) - strlen (".tessera")) : g_strdup (base);
      g_autofree char *uuid = g_uuid_string_random ();
      sqlite3_stmt *stmt = tsr_database_prepare (self,
        "INSERT OR IGNORE INTO project (key, value) VALUES ('uuid', ?1), ('title', ?2),"
        " ('description', ''), ('created', strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'))", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
      if (!tsr_database_run (self, stmt, error))
        return FALSE;
    }

  return stamp (self, SCHEMA_VERSION, error);
}

/* The tables every project of this version holds. */
static const char * const required_tables[] = {
  "project", "coders", "documents", "document_texts", "codes", "segments",
  "themes", "theme_codes", "memos", "history", "resolutions",
  "map_code_positions", "map_theme_positions", "map_links",
  "cases", "case_documents", "attributes", "document_attribute_values",
  "case_attribute_values", "search_words", "search_trigrams", "search_pending",
};

/* Returns: the first table a project of this version must hold and
 * this file lacks, or %NULL when none is missing */
const char *
_tsr_schema_missing_table (TsrDatabase *self)
{
  sqlite3_stmt *stmt = tsr_database_prepare (self,
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", NULL);

  if (stmt == NULL)
    return required_tables[0];
  for (guint i = 0; i < G_N_ELEMENTS (required_tables); i++)
    {
      gboolean found;

      sqlite3_bind_text (stmt, 1, required_tables[i], -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!found)
        return required_tables[i];
    }
  return NULL;
}
