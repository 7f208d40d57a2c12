/* tsr-merge-apply.c — writing a merge plan into the project
 *
 * The plan is worked out again inside one undoable edit and, if it still
 * matches the preview, its rows are written in dependency order with their
 * ids mapped to ours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-error.h"
#include "tsr-merge-private.h"
#include "tsr-project-private.h"

/* Applying -------------------------------------------------------------- */

static const char *
unique_uuid (Merge      *m,
             const char *uuid)
{
  if (m->our_uuids == NULL)
    {
      m->our_uuids = g_hash_table_new (g_str_hash, g_str_equal);
      {
        GArray *arrays[] = { m->ours.coders, m->ours.documents, m->ours.codes, m->ours.segments, m->ours.themes,
                             m->ours.memos, m->ours.cases, m->ours.attributes, m->ours.links, m->ours.resolutions };
        gsize sizes[] = { sizeof (Coder), sizeof (Document), sizeof (Code), sizeof (Segment), sizeof (Theme),
                          sizeof (Memo), sizeof (Case), sizeof (Attribute), sizeof (Link), sizeof (Resolution) };

        /* The UUID is every row type's second member. */
        for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
          for (guint i = 0; i < arrays[a]->len; i++)
            g_hash_table_add (m->our_uuids, *(char **) (arrays[a]->data + i * sizes[a] + sizeof (gint64)));
      }
    }
  if (!g_hash_table_contains (m->our_uuids, uuid))
    return uuid;
  {
    g_autofree char *fresh = g_uuid_string_random ();
    return g_string_chunk_insert (m->theirs.strings, fresh);
  }
}

typedef struct
{
  TsrDatabase  *db;
  sqlite3      *other;     /* read-only, for document texts */
  sqlite3_stmt *texts;
  GError      **error;
} Writer;

/* Their document's text. */
static char *
their_text (Writer     *w,
            Merge      *m,
            Document   *d)
{
  char *text = NULL;

  if (w->texts == NULL &&
      sqlite3_prepare_v2 (w->other, "SELECT text FROM document_texts WHERE document_id = ?", -1, &w->texts, NULL) != SQLITE_OK)
    {
      g_set_error (w->error, TSR_ERROR, TSR_ERROR_CORRUPT, _("The project “%s” cannot be read (%s)"),
                   m->other_name, sqlite3_errmsg (w->other));
      return NULL;
    }
  sqlite3_reset (w->texts);
  sqlite3_bind_int64 (w->texts, 1, d->id);
  if (sqlite3_step (w->texts) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (w->texts, 0));
  sqlite3_reset (w->texts);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (w->error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The project “%s” is damaged: the document “%s” has no readable text"), m->other_name, d->name);
      g_free (text);
      return NULL;
    }
  return text;
}

static sqlite3_stmt *
stmt_for (Writer     *w,
          const char *sql)
{
  return tsr_database_prepare (w->db, sql, w->error);
}

static gint64
last_id (Writer *w)
{
  return sqlite3_last_insert_rowid (tsr_database_get_handle (w->db));
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
apply (Merge        *m,
       Writer       *w,
       GCancellable *cancellable)
{
  sqlite3_stmt *stmt = NULL;

#define PREPARE(sql) if (!(stmt = stmt_for (w, sql))) return FALSE
#define RUN() if (!tsr_database_run (w->db, stmt, w->error)) return FALSE

  for (guint k = 0; k < m->add_coders->len; k++)
    {
      Coder *c = ROW (m->theirs.coders, Coder, g_array_index (m->add_coders, guint, k));

      PREPARE ("INSERT INTO coders (uuid, name, is_consensus, created) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, m->coder_names->pdata[k], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, c->consensus);
      sqlite3_bind_int64 (stmt, 4, c->created);
      RUN ();
      _tsr_merge_map_set (m->coder_map, c->id, last_id (w));
    }

  for (guint k = 0; k < m->add_documents->len; k++)
    {
      Document *d = ROW (m->theirs.documents, Document, g_array_index (m->add_documents, guint, k));
      gint64 id;

      if ((k & 63) == 63 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (w->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }
      PREPARE ("INSERT INTO documents (uuid, name, source, content_hash, length, is_read, position, created)"
               " VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM documents), ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, d->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, d->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, d->source, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, d->hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, d->length);
      sqlite3_bind_int (stmt, 6, d->read);
      sqlite3_bind_int64 (stmt, 7, d->created);
      RUN ();
      id = last_id (w);
      _tsr_merge_map_set (m->document_map, d->id, id);

      {
        g_autofree char *text = their_text (w, m, d);

        if (text == NULL)
          return FALSE;
        PREPARE ("INSERT INTO document_texts (document_id, text) VALUES (?, ?)");
        sqlite3_bind_int64 (stmt, 1, id);
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
        RUN ();
      }
    }

  for (guint k = 0; k < m->add_codes->len; k++)
    {
      Code *c = ROW (m->theirs.codes, Code, g_array_index (m->add_codes, guint, k));
      gint64 parent = _tsr_merge_map_get (m->code_map, c->parent);

      PREPARE ("INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
               " VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce (max (position), -1) + 1 FROM codes"
               " WHERE parent_id IS ?2), ?6)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 2, parent);
      sqlite3_bind_text (stmt, 3, c->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, c->color, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, c->definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, c->created);
      RUN ();
      _tsr_merge_map_set (m->code_map, c->id, last_id (w));
    }
  for (guint k = 0; k < m->fill_codes->len; k++)
    {
      Code *c = ROW (m->theirs.codes, Code, g_array_index (m->fill_codes, guint, k));

      PREPARE ("UPDATE codes SET definition = ? WHERE id = ? AND definition = ''");
      sqlite3_bind_text (stmt, 1, c->definition, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->code_map, c->id));
      RUN ();
    }

  for (guint k = 0; k < m->add_themes->len; k++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, g_array_index (m->add_themes, guint, k));

      PREPARE ("INSERT INTO themes (uuid, parent_id, name, definition, scope_notes, narrative, status, position, created)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce (max (position), -1) + 1 FROM themes"
               " WHERE parent_id IS ?2), ?8)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, t->uuid), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 2, _tsr_merge_map_get (m->theme_map, t->parent));
      sqlite3_bind_text (stmt, 3, t->name, -1, SQLITE_TRANSIENT);
      for (guint f = 0; f < 3; f++)
        sqlite3_bind_text (stmt, 4 + f, t->fields[f], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, t->status, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 8, t->created);
      RUN ();
      _tsr_merge_map_set (m->theme_map, t->id, last_id (w));
    }
  for (guint k = 0; k < m->fill_themes->len; k++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, g_array_index (m->fill_themes, guint, k));

      PREPARE ("UPDATE themes SET definition = CASE definition WHEN '' THEN ?2 ELSE definition END,"
               " scope_notes = CASE scope_notes WHEN '' THEN ?3 ELSE scope_notes END,"
               " narrative = CASE narrative WHEN '' THEN ?4 ELSE narrative END WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (m->theme_map, t->id));
      for (guint f = 0; f < 3; f++)
        sqlite3_bind_text (stmt, 2 + f, t->fields[f], -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_theme_codes->len; k++)
    {
      ThemeCode *tc = ROW (m->theirs.theme_codes, ThemeCode, g_array_index (m->add_theme_codes, guint, k));

      PREPARE ("INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
               " VALUES (?1, ?2, (SELECT coalesce (max (position), -1) + 1 FROM theme_codes WHERE theme_id = ?1))");
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (m->theme_map, tc->theme));
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->code_map, tc->code));
      RUN ();
    }

  for (guint k = 0; k < m->add_segments->len; k++)
    {
      Segment *s = ROW (m->theirs.segments, Segment, g_array_index (m->add_segments, guint, k));

      if ((k & 4095) == 4095 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (w->error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
          return FALSE;
        }
      PREPARE ("INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, exemplar, created)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, s->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->document_map, s->document));
      sqlite3_bind_int64 (stmt, 3, _tsr_merge_map_get (m->code_map, s->code));
      sqlite3_bind_int64 (stmt, 4, _tsr_merge_map_get (m->coder_map, s->coder));
      sqlite3_bind_int64 (stmt, 5, s->start);
      sqlite3_bind_int64 (stmt, 6, s->end);
      sqlite3_bind_text (stmt, 7, s->text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 8, s->exemplar);
      sqlite3_bind_int64 (stmt, 9, s->created);
      RUN ();
      _tsr_merge_map_set (m->segment_map, s->id, last_id (w));
    }

  for (guint k = 0; k < m->add_memos->len; k++)
    {
      Memo *memo = ROW (m->theirs.memos, Memo, g_array_index (m->add_memos, guint, k));
      GHashTable *map = _tsr_merge_memo_map_for (m, memo->kind);
      gint64 target = map != NULL ? _tsr_merge_map_get (map, memo->target) : 0;

      PREPARE ("INSERT INTO memos (uuid, kind, document_id, segment_id, code_id, theme_id, coder_id, date, text,"
               " created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, memo->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, memo->kind, -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 3, g_str_equal (memo->kind, "document") ? target : 0);
      bind_id_or_null (stmt, 4, g_str_equal (memo->kind, "segment") ? target : 0);
      bind_id_or_null (stmt, 5, g_str_equal (memo->kind, "code") ? target : 0);
      bind_id_or_null (stmt, 6, g_str_equal (memo->kind, "theme") ? target : 0);
      bind_id_or_null (stmt, 7, _tsr_merge_map_get (m->coder_map, memo->coder));
      sqlite3_bind_text (stmt, 8, memo->date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 9, memo->text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 10, memo->created);
      sqlite3_bind_int64 (stmt, 11, memo->modified);
      RUN ();
    }
  for (guint k = 0; k < m->append_memos->len; k++)
    {
      Append *append = &g_array_index (m->append_memos, Append, k);
      Memo *memo = ROW (m->theirs.memos, Memo, append->index);
      gint64 our_id = append->our_id;
      g_autofree char *heading = NULL;

      /* Translators: heads the text of a memo brought in by a merge */
      heading = g_strdup_printf (_("From “%s”:"), m->other_name);
      PREPARE ("UPDATE memos SET text = text || ?2, modified = ?3 WHERE id = ?1");
      sqlite3_bind_int64 (stmt, 1, our_id);
      {
        g_autofree char *addition = g_strconcat ("\n\n", heading, "\n", memo->text, NULL);
        sqlite3_bind_text (stmt, 2, addition, -1, SQLITE_TRANSIENT);
      }
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      RUN ();
    }

  for (guint k = 0; k < m->add_cases->len; k++)
    {
      Case *c = ROW (m->theirs.cases, Case, g_array_index (m->add_cases, guint, k));

      PREPARE ("INSERT INTO cases (uuid, name, description, created) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, c->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, c->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, c->description, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, c->created);
      RUN ();
      _tsr_merge_map_set (m->case_map, c->id, last_id (w));
    }
  for (guint k = 0; k < m->add_case_documents->len; k++)
    {
      CaseDocument *cd = ROW (m->theirs.case_documents, CaseDocument, g_array_index (m->add_case_documents, guint, k));

      PREPARE ("INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)");
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (m->case_map, cd->case_id));
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->document_map, cd->document));
      RUN ();
    }
  for (guint k = 0; k < m->add_attributes->len; k++)
    {
      Attribute *a = ROW (m->theirs.attributes, Attribute, g_array_index (m->add_attributes, guint, k));

      PREPARE ("INSERT INTO attributes (uuid, target, name, type, position)"
               " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM attributes))");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, a->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, a->target, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, a->name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, a->type, -1, SQLITE_TRANSIENT);
      RUN ();
      _tsr_merge_map_set (m->attribute_map, a->id, last_id (w));
    }
  for (guint k = 0; k < m->add_values->len; k++)
    {
      Value *v = ROW (m->theirs.values, Value, g_array_index (m->add_values, guint, k));

      if (v->on_case)
        {
          PREPARE ("INSERT OR IGNORE INTO case_attribute_values (attribute_id, case_id, value) VALUES (?, ?, ?)");
        }
      else
        {
          PREPARE ("INSERT OR IGNORE INTO document_attribute_values (attribute_id, document_id, value) VALUES (?, ?, ?)");
        }
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (m->attribute_map, v->attribute));
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (v->on_case ? m->case_map : m->document_map, v->target));
      sqlite3_bind_text (stmt, 3, v->value, -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_positions->len; k++)
    {
      Position *p = ROW (m->theirs.positions, Position, g_array_index (m->add_positions, guint, k));

      if (p->theme)
        {
          PREPARE ("INSERT OR IGNORE INTO map_theme_positions (theme_id, x, y) VALUES (?, ?, ?)");
        }
      else
        {
          PREPARE ("INSERT OR IGNORE INTO map_code_positions (code_id, x, y) VALUES (?, ?, ?)");
        }
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (p->theme ? m->theme_map : m->code_map, p->id));
      sqlite3_bind_double (stmt, 2, p->x);
      sqlite3_bind_double (stmt, 3, p->y);
      RUN ();
    }
  for (guint k = 0; k < m->add_links->len; k++)
    {
      Link *l = ROW (m->theirs.links, Link, g_array_index (m->add_links, guint, k));

      PREPARE ("INSERT INTO map_links (uuid, from_theme_id, to_theme_id, label) VALUES (?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, l->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->theme_map, l->from));
      sqlite3_bind_int64 (stmt, 3, _tsr_merge_map_get (m->theme_map, l->to));
      sqlite3_bind_text (stmt, 4, l->label, -1, SQLITE_TRANSIENT);
      RUN ();
    }

  for (guint k = 0; k < m->add_resolutions->len; k++)
    {
      Resolution *r = ROW (m->theirs.resolutions, Resolution, g_array_index (m->add_resolutions, guint, k));
      gint64 a = _tsr_merge_map_get (m->coder_map, r->coder_a);
      gint64 b = _tsr_merge_map_get (m->coder_map, r->coder_b);
      gboolean swapped = a > b;

      PREPARE ("INSERT OR IGNORE INTO resolutions (uuid, code_id, document_id, coder_a_id, coder_b_id, spans_a,"
               " spans_b, action, resolved_by, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      sqlite3_bind_text (stmt, 1, unique_uuid (m, r->uuid), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->code_map, r->code));
      sqlite3_bind_int64 (stmt, 3, _tsr_merge_map_get (m->document_map, r->document));
      sqlite3_bind_int64 (stmt, 4, MIN (a, b));
      sqlite3_bind_int64 (stmt, 5, MAX (a, b));
      sqlite3_bind_text (stmt, 6, swapped ? r->spans_b : r->spans_a, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, swapped ? r->spans_a : r->spans_b, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, _tsr_merge_swapped_action (r->action, swapped), -1, SQLITE_TRANSIENT);
      bind_id_or_null (stmt, 9, _tsr_merge_map_get (m->coder_map, r->resolved_by));
      sqlite3_bind_int64 (stmt, 10, r->time);
      RUN ();
    }

  for (guint k = 0; k < m->add_done->len; k++)
    {
      DoneMark *d = ROW (m->theirs.done, DoneMark, g_array_index (m->add_done, guint, k));

      PREPARE ("INSERT OR IGNORE INTO document_done (document_id, coder_id, time) VALUES (?, ?, ?)");
      sqlite3_bind_int64 (stmt, 1, _tsr_merge_map_get (m->document_map, d->document));
      sqlite3_bind_int64 (stmt, 2, _tsr_merge_map_get (m->coder_map, d->coder));
      sqlite3_bind_int64 (stmt, 3, d->time);
      RUN ();
    }

#undef PREPARE
#undef RUN
  return TRUE;
}

static gboolean
same_counts (TsrMergePlan *a,
             TsrMergePlan *b)
{
  return memcmp (a->counts, b->counts, sizeof a->counts) == 0;
}

/**
 * tsr_project_merge:
 * @plan: a plan from tsr_project_plan_merge(), shown to the user
 *
 * Brings in everything @plan adds, as one undoable edit.  The plan is
 * worked out again inside the edit; if the project or the other file
 * changed since @plan was made (so that it would do something else),
 * nothing is written and the error asks for a new preview.
 */
gboolean
tsr_project_merge (TsrProject    *self,
                   TsrMergePlan  *preview,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_auto(Merge) m = { 0 };
  TsrDatabase *db;
  Writer w;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (preview != NULL, FALSE);

  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }

  if (!_tsr_merge_plan (&m, self, preview->other_path, cancellable, error))
    return FALSE;
  if (!same_counts (m.plan, preview))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The project or the other file changed since the merge was previewed; "
                             "preview it again"));
      return FALSE;
    }
  if (tsr_merge_plan_is_empty (m.plan))
    return TRUE;

  w = (Writer) { db, NULL, NULL, error };
  if (!(w.other = _tsr_merge_open_other (preview->other_path, cancellable, error)))
    return FALSE;

  {
    g_autofree char *description = g_strdup_printf (_("Merge “%s”"), m.plan->other_title);

    ok = _tsr_project_op_begin (self, TSR_CHANGE_ALL, "project.merge", g_steal_pointer (&description), error);
  }
  if (ok)
    {
      _tsr_project_op_record_coders (self);
      tsr_database_push_cancellable (db, cancellable);
      ok = apply (&m, &w, cancellable);
      tsr_database_pop_cancellable (db);
      ok = _tsr_project_op_end (self, ok, error);
    }
  if (w.texts != NULL)
    sqlite3_finalize (w.texts);
  sqlite3_close (w.other);
  return ok;
}
