/* tsr-merge-plan.c — deciding, row by row, what a merge brings in
 *
 * Their rows are matched to ours by UUID, then by content; each is
 * added, matched, kept as ours where the two differ (a conflict, which the
 * plan notes), or left out.  Nothing here writes to either project.
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

/* Planning -------------------------------------------------------------- */

gint64
_tsr_merge_map_get (GHashTable *map,
                    gint64      id)
{
  gpointer value;

  if (id == 0)
    return 0;
  if (!g_hash_table_lookup_extended (map, &id, NULL, &value))
    return 0;
  return *(gint64 *) value;
}

void
_tsr_merge_map_set (GHashTable *map,
                    gint64      key,
                    gint64      value)
{
  gint64 *k = g_new (gint64, 1);
  gint64 *v = g_new (gint64, 1);

  *k = key;
  *v = value;
  g_hash_table_replace (map, k, v);
}

static GHashTable *
id_map_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

static void
note (Merge          *m,
      TsrMergeKind    kind,
      TsrMergeAction  action,
      const char     *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
note (Merge          *m,
      TsrMergeKind    kind,
      TsrMergeAction  action,
      const char     *format,
      ...)
{
  Note n = { kind, action, NULL };
  va_list args;

  va_start (args, format);
  n.text = g_strdup_vprintf (format, args);
  va_end (args);
  g_array_append_val (m->plan->notes, n);
}

static void
count (Merge          *m,
       TsrMergeKind    kind,
       TsrMergeAction  action)
{
  m->plan->counts[kind][action]++;
}

static void
add_index (GArray *array,
           guint   index)
{
  g_array_append_val (array, index);
}

/* Index of ours' rows by a string key. */
static GHashTable *
index_by (GArray      *rows,
          gsize        row_size,
          gsize        key_offset)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      char *key = *(char **) (rows->data + i * row_size + key_offset);
      if (!g_hash_table_contains (index, key))
        g_hash_table_insert (index, key, GUINT_TO_POINTER (i + 1));
    }
  return index;
}

static GHashTable *
index_by_id (GArray *rows,
             gsize   row_size)
{
  GHashTable *index = g_hash_table_new (g_int64_hash, g_int64_equal);

  /* The id is every row type's first member. */
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (index, rows->data + i * row_size, GUINT_TO_POINTER (i + 1));
  return index;
}

static char *
code_path (Side   *side,
           GHashTable *index,
           gint64  id)
{
  GString *path = g_string_new (NULL);
  guint depth = 0;

  while (id != 0 && depth++ < 1000)
    {
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, &id));
      Code *code;

      if (i == 0)
        break;
      code = ROW (side->codes, Code, i - 1);
      g_string_prepend (path, code->name);
      id = code->parent;
      if (id != 0)
        g_string_prepend (path, "/");
    }
  return g_string_free (path, FALSE);
}

static void
plan_coders (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.coders, sizeof (Coder), G_STRUCT_OFFSET (Coder, uuid));
  g_autoptr(GHashTable) by_name = index_by (m->ours.coders, sizeof (Coder), G_STRUCT_OFFSET (Coder, name));
  gint64 our_consensus = 0;

  for (guint i = 0; i < m->ours.coders->len; i++)
    if (ROW (m->ours.coders, Coder, i)->consensus && our_consensus == 0)
      our_consensus = ROW (m->ours.coders, Coder, i)->id;

  for (guint i = 0; i < m->theirs.coders->len; i++)
    {
      Coder *c = ROW (m->theirs.coders, Coder, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, c->uuid));
      char *name = c->name;

      if (j == 0 && c->consensus && our_consensus != 0)
        {
          /* One consensus per project: theirs is ours. */
          _tsr_merge_map_set (m->coder_map, c->id, our_consensus);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_MATCH);
          continue;
        }
      if (j == 0)
        j = GPOINTER_TO_UINT (g_hash_table_lookup (by_name, c->name));
      if (j != 0 && ROW (m->ours.coders, Coder, j - 1)->consensus == c->consensus)
        {
          _tsr_merge_map_set (m->coder_map, c->id, ROW (m->ours.coders, Coder, j - 1)->id);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_MATCH);
          continue;
        }
      if (j != 0)
        {
          /* A coder and the consensus of the same name. */
          {
            g_autofree char *renamed = g_strdup_printf (_("%s (from “%s”)"), c->name, m->other_name);
            name = g_string_chunk_insert (m->theirs.strings, renamed);
          }
          note (m, TSR_MERGE_CODERS, TSR_MERGE_CONFLICT,
                _("“%s” names a coder in one project and the consensus in the other; theirs is added as “%s”"),
                c->name, name);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_CONFLICT);
        }
      else
        {
          note (m, TSR_MERGE_CODERS, TSR_MERGE_ADD, _("New coder “%s”"), c->name);
          count (m, TSR_MERGE_CODERS, TSR_MERGE_ADD);
        }
      _tsr_merge_map_set (m->coder_map, c->id, NEW);
      add_index (m->add_coders, i);
      g_ptr_array_add (m->coder_names, name);
    }
}

static void
plan_documents (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.documents, sizeof (Document), G_STRUCT_OFFSET (Document, uuid));
  g_autoptr(GHashTable) by_name = index_by (m->ours.documents, sizeof (Document), G_STRUCT_OFFSET (Document, name));
  g_autoptr(GHashTable) by_hash = g_hash_table_new (g_str_hash, g_str_equal);   /* hash → GSList of indices */
  g_autoptr(GHashTable) taken = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = m->ours.documents->len; i > 0; i--)
    {
      Document *d = ROW (m->ours.documents, Document, i - 1);
      g_hash_table_insert (by_hash, d->hash,
                           g_slist_prepend (g_hash_table_lookup (by_hash, d->hash), GUINT_TO_POINTER (i)));
    }
  /* Matches by UUID come first, so that a match by text cannot take a
   * document another of theirs has by UUID. */
  for (guint i = 0; i < m->theirs.documents->len; i++)
    {
      Document *d = ROW (m->theirs.documents, Document, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, d->uuid));

      if (j != 0)
        g_hash_table_add (taken, GUINT_TO_POINTER (j));
    }

  for (guint i = 0; i < m->theirs.documents->len; i++)
    {
      Document *d = ROW (m->theirs.documents, Document, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, d->uuid));

      if (j != 0)
        {
          Document *o = ROW (m->ours.documents, Document, j - 1);

          if (g_str_equal (o->hash, d->hash))
            {
              _tsr_merge_map_set (m->document_map, d->id, o->id);
              count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH);
            }
          else
            {
              g_hash_table_add (m->blocked_documents, g_memdup2 (&d->id, sizeof (gint64)));
              note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_SKIP,
                    _("“%s” has a different text in “%s”: its coding and memos there are not brought in"),
                    o->name, m->other_name);
              count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_SKIP);
            }
          continue;
        }

      for (GSList *l = g_hash_table_lookup (by_hash, d->hash); l != NULL; l = l->next)
        if (!g_hash_table_contains (taken, l->data))
          {
            j = GPOINTER_TO_UINT (l->data);
            break;
          }
      if (j != 0)
        {
          Document *o = ROW (m->ours.documents, Document, j - 1);

          g_hash_table_add (taken, GUINT_TO_POINTER (j));
          _tsr_merge_map_set (m->document_map, d->id, o->id);
          count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH);
          note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH,
                _("“%s” in “%s” has the same text as “%s” here: taken as the same document"),
                d->name, m->other_name, o->name);
          continue;
        }

      _tsr_merge_map_set (m->document_map, d->id, NEW);
      add_index (m->add_documents, i);
      count (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD);
      if (g_hash_table_contains (by_name, d->name))
        note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD,
              _("New document “%s” (a different text from the document of that name here)"), d->name);
      else
        note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_ADD, _("New document “%s”"), d->name);
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_hash);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_slist_free (value);
  }
}

static char *
child_key (gint64      parent,
           const char *name)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", parent, name);
}

static void
plan_codes (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.codes, sizeof (Code), G_STRUCT_OFFSET (Code, uuid));
  g_autoptr(GHashTable) ours_by_id = index_by_id (m->ours.codes, sizeof (Code));
  g_autoptr(GHashTable) theirs_by_id = index_by_id (m->theirs.codes, sizeof (Code));
  g_autoptr(GHashTable) by_child = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < m->ours.codes->len; i++)
    {
      Code *o = ROW (m->ours.codes, Code, i);
      g_hash_table_insert (by_child, child_key (o->parent, o->name), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < m->theirs.codes->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, ROW (m->theirs.codes, Code, i)->uuid));
      if (j != 0)
        g_hash_table_add (matched, &ROW (m->ours.codes, Code, j - 1)->id);
    }

  /* Theirs come parents first. */
  for (guint i = 0; i < m->theirs.codes->len; i++)
    {
      Code *c = ROW (m->theirs.codes, Code, i);
      gint64 parent = _tsr_merge_map_get (m->code_map, c->parent);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, c->uuid));
      g_autofree char *their_path = code_path (&m->theirs, theirs_by_id, c->id);

      if (j == 0 && parent != NEW)
        {
          g_autofree char *key = child_key (parent, c->name);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_child, key));
          if (j != 0 && g_hash_table_contains (matched, &ROW (m->ours.codes, Code, j - 1)->id))
            j = 0;
        }

      if (j != 0)
        {
          Code *o = ROW (m->ours.codes, Code, j - 1);
          g_autofree char *our_path = code_path (&m->ours, ours_by_id, o->id);

          g_hash_table_add (matched, &o->id);
          _tsr_merge_map_set (m->code_map, c->id, o->id);
          count (m, TSR_MERGE_CODES, TSR_MERGE_MATCH);
          if (!g_str_equal (our_path, their_path))
            {
              note (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT,
                    _("The code “%s” is “%s” in “%s” (renamed or moved in one copy); kept “%s”"),
                    our_path, their_path, m->other_name, our_path);
              count (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT);
            }
          if (*o->definition == '\0' && *c->definition != '\0')
            {
              add_index (m->fill_codes, i);
              note (m, TSR_MERGE_CODES, TSR_MERGE_ADD,
                    _("The definition of “%s” is taken from “%s”"), our_path, m->other_name);
            }
          else if (*c->definition != '\0' && !g_str_equal (o->definition, c->definition))
            {
              note (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT,
                    _("The definition of “%s” differs; kept ours. Theirs: “%s”"), our_path, c->definition);
              count (m, TSR_MERGE_CODES, TSR_MERGE_CONFLICT);
            }
          continue;
        }

      _tsr_merge_map_set (m->code_map, c->id, NEW);
      add_index (m->add_codes, i);
      count (m, TSR_MERGE_CODES, TSR_MERGE_ADD);
      note (m, TSR_MERGE_CODES, TSR_MERGE_ADD, _("New code “%s”"), their_path);
    }
}

static void
plan_themes (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.themes, sizeof (Theme), G_STRUCT_OFFSET (Theme, uuid));
  g_autoptr(GHashTable) by_child = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_int64_hash, g_int64_equal);
  static const char * const field_names[] = { N_("definition"), N_("scope notes"), N_("narrative") };

  for (guint i = 0; i < m->ours.themes->len; i++)
    {
      Theme *o = ROW (m->ours.themes, Theme, i);
      g_hash_table_insert (by_child, child_key (o->parent, o->name), GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < m->theirs.themes->len; i++)
    {
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, ROW (m->theirs.themes, Theme, i)->uuid));
      if (j != 0)
        g_hash_table_add (matched, &ROW (m->ours.themes, Theme, j - 1)->id);
    }

  for (guint i = 0; i < m->theirs.themes->len; i++)
    {
      Theme *t = ROW (m->theirs.themes, Theme, i);
      gint64 parent = _tsr_merge_map_get (m->theme_map, t->parent);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, t->uuid));
      gboolean fill = FALSE;

      if (j == 0 && parent != NEW)
        {
          g_autofree char *key = child_key (parent, t->name);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_child, key));
          if (j != 0 && g_hash_table_contains (matched, &ROW (m->ours.themes, Theme, j - 1)->id))
            j = 0;
        }
      if (j == 0)
        {
          _tsr_merge_map_set (m->theme_map, t->id, NEW);
          add_index (m->add_themes, i);
          count (m, TSR_MERGE_THEMES, TSR_MERGE_ADD);
          note (m, TSR_MERGE_THEMES, TSR_MERGE_ADD, _("New theme “%s”"), t->name);
          continue;
        }

      {
        Theme *o = ROW (m->ours.themes, Theme, j - 1);

        g_hash_table_add (matched, &o->id);
        _tsr_merge_map_set (m->theme_map, t->id, o->id);
        count (m, TSR_MERGE_THEMES, TSR_MERGE_MATCH);
        if (!g_str_equal (o->name, t->name))
          {
            note (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT,
                  _("The theme “%s” is called “%s” in “%s”; kept “%s”"), o->name, t->name, m->other_name, o->name);
            count (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT);
          }
        for (guint f = 0; f < 3; f++)
          {
            if (*o->fields[f] == '\0' && *t->fields[f] != '\0')
              {
                fill = TRUE;
                note (m, TSR_MERGE_THEMES, TSR_MERGE_ADD, _("The %s of the theme “%s” is taken from “%s”"),
                      _(field_names[f]), o->name, m->other_name);
              }
            else if (*t->fields[f] != '\0' && !g_str_equal (o->fields[f], t->fields[f]))
              {
                note (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT,
                      _("The %s of the theme “%s” differs; kept ours. Theirs: “%s”"),
                      _(field_names[f]), o->name, t->fields[f]);
                count (m, TSR_MERGE_THEMES, TSR_MERGE_CONFLICT);
              }
          }
        if (fill)
          add_index (m->fill_themes, i);
      }
    }
}

static char *
pair_key (gint64 a,
          gint64 b)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, a, b);
}

static void
plan_theme_codes (Merge *m)
{
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.theme_codes->len; i++)
    {
      ThemeCode *tc = ROW (m->ours.theme_codes, ThemeCode, i);
      g_hash_table_add (ours, pair_key (tc->theme, tc->code));
    }
  for (guint i = 0; i < m->theirs.theme_codes->len; i++)
    {
      ThemeCode *tc = ROW (m->theirs.theme_codes, ThemeCode, i);
      gint64 theme = _tsr_merge_map_get (m->theme_map, tc->theme);
      gint64 code = _tsr_merge_map_get (m->code_map, tc->code);
      g_autofree char *key = pair_key (theme, code);

      if (theme == 0 || code == 0)
        continue;
      if (theme != NEW && code != NEW && g_hash_table_contains (ours, key))
        {
          count (m, TSR_MERGE_THEME_CODES, TSR_MERGE_MATCH);
          continue;
        }
      add_index (m->add_theme_codes, i);
      count (m, TSR_MERGE_THEME_CODES, TSR_MERGE_ADD);
    }
}

static char *
segment_key (gint64 document,
             gint64 code,
             gint64 coder,
             gint64 start,
             gint64 end)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT
                          ":%" G_GINT64_FORMAT, document, code, coder, start, end);
}

static gboolean
blocked (GHashTable *set,
         gint64      id)
{
  return g_hash_table_contains (set, &id);
}

static void
plan_segments (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.segments, sizeof (Segment), G_STRUCT_OFFSET (Segment, uuid));
  g_autoptr(GHashTable) by_content = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint changed = 0;

  for (guint i = 0; i < m->ours.segments->len; i++)
    {
      Segment *s = ROW (m->ours.segments, Segment, i);
      g_hash_table_insert (by_content, segment_key (s->document, s->code, s->coder, s->start, s->end),
                           GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.segments->len; i++)
    {
      Segment *s = ROW (m->theirs.segments, Segment, i);
      gint64 document = _tsr_merge_map_get (m->document_map, s->document);
      gint64 code = _tsr_merge_map_get (m->code_map, s->code);
      gint64 coder = _tsr_merge_map_get (m->coder_map, s->coder);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, s->uuid));

      if (blocked (m->blocked_documents, s->document) || document == 0 || code == 0 || coder == 0)
        {
          count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_SKIP);
          continue;
        }
      if (j != 0)
        {
          Segment *o = ROW (m->ours.segments, Segment, j - 1);

          _tsr_merge_map_set (m->segment_map, s->id, o->id);
          if (o->document == document && o->code == code && o->coder == coder &&
              o->start == s->start && o->end == s->end)
            count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_MATCH);
          else
            {
              changed++;
              count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_CONFLICT);
            }
          continue;
        }
      if (document != NEW && code != NEW && coder != NEW)
        {
          g_autofree char *key = segment_key (document, code, coder, s->start, s->end);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_content, key));
          if (j != 0)
            {
              _tsr_merge_map_set (m->segment_map, s->id, ROW (m->ours.segments, Segment, j - 1)->id);
              count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_MATCH);
              continue;
            }
        }
      _tsr_merge_map_set (m->segment_map, s->id, NEW);
      add_index (m->add_segments, i);
      count (m, TSR_MERGE_SEGMENTS, TSR_MERGE_ADD);
    }

  if (changed > 0)
    note (m, TSR_MERGE_SEGMENTS, TSR_MERGE_CONFLICT,
          g_dngettext (GETTEXT_PACKAGE, "%u coded passage was changed in both copies; kept ours",
                       "%u coded passages were changed in both copies; kept ours", changed), changed);
}

GHashTable *
_tsr_merge_memo_map_for (Merge      *m,
                         const char *kind)
{
  if (g_str_equal (kind, "document"))
    return m->document_map;
  if (g_str_equal (kind, "segment"))
    return m->segment_map;
  if (g_str_equal (kind, "code"))
    return m->code_map;
  if (g_str_equal (kind, "theme"))
    return m->theme_map;
  return NULL;
}


static void
plan_memos (Merge *m)
{
  g_autoptr(GHashTable) by_uuid = index_by (m->ours.memos, sizeof (Memo), G_STRUCT_OFFSET (Memo, uuid));
  g_autoptr(GHashTable) by_target = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) journal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.memos->len; i++)
    {
      Memo *o = ROW (m->ours.memos, Memo, i);

      if (g_str_equal (o->kind, "journal"))
        g_hash_table_add (journal, g_strconcat (o->date, "\n", o->text, NULL));
      else
        g_hash_table_insert (by_target, g_strdup_printf ("%s:%" G_GINT64_FORMAT, o->kind, o->target),
                             GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.memos->len; i++)
    {
      Memo *memo = ROW (m->theirs.memos, Memo, i);
      gboolean is_journal = g_str_equal (memo->kind, "journal");
      TsrMergeKind kind = is_journal ? TSR_MERGE_JOURNAL : TSR_MERGE_MEMOS;
      GHashTable *map = _tsr_merge_memo_map_for (m, memo->kind);
      gint64 target = map != NULL ? _tsr_merge_map_get (map, memo->target) : 0;
      Memo *o = NULL;
      guint j;

      if (is_journal)
        {
          g_autofree char *key = g_strconcat (memo->date, "\n", memo->text, NULL);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_uuid, memo->uuid));
          if (g_hash_table_contains (journal, key) ||
              (j != 0 && strstr (ROW (m->ours.memos, Memo, j - 1)->text, memo->text) != NULL))
            count (m, kind, TSR_MERGE_MATCH);
          else if (j != 0)
            {
              /* The same entry, edited in both copies: keep both texts. */
              Append append = { i, ROW (m->ours.memos, Memo, j - 1)->id };
              g_array_append_val (m->append_memos, append);
              count (m, kind, TSR_MERGE_CONFLICT);
              note (m, kind, TSR_MERGE_CONFLICT,
                    _("The journal entry of %s differs in “%s”: their text is added to ours"),
                    ROW (m->ours.memos, Memo, j - 1)->date, m->other_name);
            }
          else
            {
              add_index (m->add_memos, i);
              count (m, kind, TSR_MERGE_ADD);
              note (m, kind, TSR_MERGE_ADD, _("New journal entry of %s"), memo->date);
            }
          continue;
        }

      if (target == 0 ||
          (g_str_equal (memo->kind, "document") && blocked (m->blocked_documents, memo->target)))
        {
          count (m, kind, TSR_MERGE_SKIP);
          continue;
        }
      if (target != NEW)
        {
          g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, memo->kind, target);

          j = GPOINTER_TO_UINT (g_hash_table_lookup (by_target, key));
          if (j != 0)
            o = ROW (m->ours.memos, Memo, j - 1);
        }
      if (o == NULL)
        {
          add_index (m->add_memos, i);
          count (m, kind, TSR_MERGE_ADD);
        }
      else if (strstr (o->text, memo->text) != NULL)
        count (m, kind, TSR_MERGE_MATCH);
      else
        {
          Append append = { i, o->id };

          g_array_append_val (m->append_memos, append);
          count (m, kind, TSR_MERGE_CONFLICT);
          /* One full sentence per kind of target, for translators. */
          if (g_str_equal (memo->kind, "document"))
            note (m, kind, TSR_MERGE_CONFLICT,
                  _("A memo on a document differs in “%s”: their text is added below ours"), m->other_name);
          else if (g_str_equal (memo->kind, "segment"))
            note (m, kind, TSR_MERGE_CONFLICT,
                  _("A memo on a coded passage differs in “%s”: their text is added below ours"), m->other_name);
          else if (g_str_equal (memo->kind, "code"))
            note (m, kind, TSR_MERGE_CONFLICT,
                  _("A memo on a code differs in “%s”: their text is added below ours"), m->other_name);
          else
            note (m, kind, TSR_MERGE_CONFLICT,
                  _("A memo on a theme differs in “%s”: their text is added below ours"), m->other_name);
        }
    }
}

static void
plan_cases_and_attributes (Merge *m)
{
  g_autoptr(GHashTable) case_uuid = index_by (m->ours.cases, sizeof (Case), G_STRUCT_OFFSET (Case, uuid));
  g_autoptr(GHashTable) case_name = index_by (m->ours.cases, sizeof (Case), G_STRUCT_OFFSET (Case, name));
  g_autoptr(GHashTable) attr_uuid = index_by (m->ours.attributes, sizeof (Attribute), G_STRUCT_OFFSET (Attribute, uuid));
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) attr_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.attributes->len; i++)
    {
      Attribute *a = ROW (m->ours.attributes, Attribute, i);
      g_hash_table_insert (attr_name, g_strconcat (a->target, ":", a->name, NULL), GUINT_TO_POINTER (i + 1));
    }

  for (guint i = 0; i < m->theirs.cases->len; i++)
    {
      Case *c = ROW (m->theirs.cases, Case, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (case_uuid, c->uuid));

      if (j == 0)
        j = GPOINTER_TO_UINT (g_hash_table_lookup (case_name, c->name));
      if (j != 0)
        {
          _tsr_merge_map_set (m->case_map, c->id, ROW (m->ours.cases, Case, j - 1)->id);
          count (m, TSR_MERGE_CASES, TSR_MERGE_MATCH);
          continue;
        }
      _tsr_merge_map_set (m->case_map, c->id, NEW);
      add_index (m->add_cases, i);
      count (m, TSR_MERGE_CASES, TSR_MERGE_ADD);
      note (m, TSR_MERGE_CASES, TSR_MERGE_ADD, _("New case “%s”"), c->name);
    }

  for (guint i = 0; i < m->ours.case_documents->len; i++)
    {
      CaseDocument *cd = ROW (m->ours.case_documents, CaseDocument, i);
      g_hash_table_add (members, pair_key (cd->case_id, cd->document));
    }
  for (guint i = 0; i < m->theirs.case_documents->len; i++)
    {
      CaseDocument *cd = ROW (m->theirs.case_documents, CaseDocument, i);
      gint64 case_id = _tsr_merge_map_get (m->case_map, cd->case_id);
      gint64 document = _tsr_merge_map_get (m->document_map, cd->document);
      g_autofree char *key = pair_key (case_id, document);

      if (case_id == 0 || document == 0)
        continue;
      if (case_id != NEW && document != NEW && g_hash_table_contains (members, key))
        count (m, TSR_MERGE_CASES, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_case_documents, i);
          count (m, TSR_MERGE_CASES, TSR_MERGE_ADD);
        }
    }

  for (guint i = 0; i < m->theirs.attributes->len; i++)
    {
      Attribute *a = ROW (m->theirs.attributes, Attribute, i);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (attr_uuid, a->uuid));

      if (j == 0)
        {
          g_autofree char *key = g_strconcat (a->target, ":", a->name, NULL);
          j = GPOINTER_TO_UINT (g_hash_table_lookup (attr_name, key));
        }
      if (j == 0)
        {
          _tsr_merge_map_set (m->attribute_map, a->id, NEW);
          add_index (m->add_attributes, i);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD);
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD, _("New attribute “%s”"), a->name);
          continue;
        }
      _tsr_merge_map_set (m->attribute_map, a->id, ROW (m->ours.attributes, Attribute, j - 1)->id);
      if (!g_str_equal (ROW (m->ours.attributes, Attribute, j - 1)->type, a->type) ||
          !g_str_equal (ROW (m->ours.attributes, Attribute, j - 1)->target, a->target))
        {
          g_hash_table_add (m->blocked_attributes, g_memdup2 (&a->id, sizeof (gint64)));
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_SKIP,
                _("The attribute “%s” has another type in “%s”: its values there are not brought in"),
                a->name, m->other_name);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_SKIP);
        }
      else
        count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_MATCH);
    }

  for (guint i = 0; i < m->ours.values->len; i++)
    {
      Value *v = ROW (m->ours.values, Value, i);
      g_hash_table_insert (values, g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                                    v->on_case, v->attribute, v->target), v->value);
    }
  for (guint i = 0; i < m->theirs.values->len; i++)
    {
      Value *v = ROW (m->theirs.values, Value, i);
      gint64 attribute = _tsr_merge_map_get (m->attribute_map, v->attribute);
      gint64 target = _tsr_merge_map_get (v->on_case ? m->case_map : m->document_map, v->target);
      g_autofree char *key = g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, v->on_case, attribute, target);
      const char *ours;

      if (attribute == 0 || target == 0 || blocked (m->blocked_attributes, v->attribute) ||
          (!v->on_case && blocked (m->blocked_documents, v->target)))
        continue;
      ours = (attribute != NEW && target != NEW) ? g_hash_table_lookup (values, key) : NULL;
      if (ours == NULL)
        {
          add_index (m->add_values, i);
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_ADD);
        }
      else if (g_str_equal (ours, v->value))
        count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_MATCH);
      else
        {
          count (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_CONFLICT);
          note (m, TSR_MERGE_ATTRIBUTES, TSR_MERGE_CONFLICT,
                _("An attribute value differs (“%s” here, “%s” in “%s”); kept ours"), ours, v->value, m->other_name);
        }
    }
}

static void
plan_map (Merge *m)
{
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) link_uuid = index_by (m->ours.links, sizeof (Link), G_STRUCT_OFFSET (Link, uuid));
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.positions->len; i++)
    {
      Position *p = ROW (m->ours.positions, Position, i);
      g_hash_table_add (positions, g_strdup_printf ("%d:%" G_GINT64_FORMAT, p->theme, p->id));
    }
  for (guint i = 0; i < m->theirs.positions->len; i++)
    {
      Position *p = ROW (m->theirs.positions, Position, i);
      gint64 id = _tsr_merge_map_get (p->theme ? m->theme_map : m->code_map, p->id);
      g_autofree char *key = g_strdup_printf ("%d:%" G_GINT64_FORMAT, p->theme, id);

      if (id == 0)
        continue;
      if (id != NEW && g_hash_table_contains (positions, key))
        count (m, TSR_MERGE_MAP, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_positions, i);
          count (m, TSR_MERGE_MAP, TSR_MERGE_ADD);
        }
    }

  for (guint i = 0; i < m->ours.links->len; i++)
    {
      Link *l = ROW (m->ours.links, Link, i);
      g_hash_table_add (links, g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", l->from, l->to, l->label));
    }
  for (guint i = 0; i < m->theirs.links->len; i++)
    {
      Link *l = ROW (m->theirs.links, Link, i);
      gint64 from = _tsr_merge_map_get (m->theme_map, l->from);
      gint64 to = _tsr_merge_map_get (m->theme_map, l->to);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", from, to, l->label);

      if (from == 0 || to == 0)
        continue;
      if (g_hash_table_contains (link_uuid, l->uuid) ||
          (from != NEW && to != NEW && g_hash_table_contains (links, key)))
        count (m, TSR_MERGE_MAP, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_links, i);
          count (m, TSR_MERGE_MAP, TSR_MERGE_ADD);
        }
    }
}

static char *
resolution_key (gint64      code,
                gint64      document,
                gint64      coder_a,
                gint64      coder_b,
                const char *spans_a,
                const char *spans_b)
{
  /* In coder id order, as the table stores them. */
  if (coder_a > coder_b)
    return resolution_key (code, document, coder_b, coder_a, spans_b, spans_a);
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s/%s",
                          code, document, coder_a, coder_b, spans_a, spans_b);
}

const char *
_tsr_merge_swapped_action (const char *action,
                           gboolean    swapped)
{
  if (!swapped)
    return action;
  if (g_str_equal (action, "accept_a"))
    return "accept_b";
  if (g_str_equal (action, "accept_b"))
    return "accept_a";
  return action;
}

static void
plan_resolutions (Merge *m)
{
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.resolutions->len; i++)
    {
      Resolution *r = ROW (m->ours.resolutions, Resolution, i);
      g_hash_table_insert (ours, resolution_key (r->code, r->document, r->coder_a, r->coder_b, r->spans_a, r->spans_b),
                           r->action);
    }
  for (guint i = 0; i < m->theirs.resolutions->len; i++)
    {
      Resolution *r = ROW (m->theirs.resolutions, Resolution, i);
      gint64 code = _tsr_merge_map_get (m->code_map, r->code);
      gint64 document = _tsr_merge_map_get (m->document_map, r->document);
      gint64 a = _tsr_merge_map_get (m->coder_map, r->coder_a);
      gint64 b = _tsr_merge_map_get (m->coder_map, r->coder_b);
      g_autofree char *key = NULL;
      const char *action;

      if (code == 0 || document == 0 || a == 0 || b == 0 || blocked (m->blocked_documents, r->document))
        {
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_SKIP);
          continue;
        }
      if (code == NEW || document == NEW || a == NEW || b == NEW)
        {
          add_index (m->add_resolutions, i);
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_ADD);
          continue;
        }
      key = resolution_key (code, document, a, b, r->spans_a, r->spans_b);
      action = g_hash_table_lookup (ours, key);
      if (action == NULL)
        {
          add_index (m->add_resolutions, i);
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_ADD);
        }
      else if (g_str_equal (action, _tsr_merge_swapped_action (r->action, a > b)))
        count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_MATCH);
      else
        {
          count (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_CONFLICT);
          note (m, TSR_MERGE_RESOLUTIONS, TSR_MERGE_CONFLICT,
                _("A disagreement was resolved differently in “%s”; kept our decision"), m->other_name);
        }
    }
}

/* A document marked done on their side is marked done here too: marks
 * only add up (a merge never takes one away), like coding. */
static void
plan_done (Merge *m)
{
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < m->ours.done->len; i++)
    {
      DoneMark *d = ROW (m->ours.done, DoneMark, i);
      g_hash_table_add (ours, pair_key (d->document, d->coder));
    }
  for (guint i = 0; i < m->theirs.done->len; i++)
    {
      DoneMark *d = ROW (m->theirs.done, DoneMark, i);
      gint64 document = _tsr_merge_map_get (m->document_map, d->document);
      gint64 coder = _tsr_merge_map_get (m->coder_map, d->coder);
      g_autofree char *key = pair_key (document, coder);

      /* A document whose text differs keeps their coding out, and so
       * their word that the coding is complete. */
      if (document == 0 || coder == 0 || blocked (m->blocked_documents, d->document))
        count (m, TSR_MERGE_DONE, TSR_MERGE_SKIP);
      else if (document != NEW && coder != NEW && g_hash_table_contains (ours, key))
        count (m, TSR_MERGE_DONE, TSR_MERGE_MATCH);
      else
        {
          add_index (m->add_done, i);
          count (m, TSR_MERGE_DONE, TSR_MERGE_ADD);
        }
    }
}

void
_tsr_merge_clear (Merge *m)
{
  GArray **arrays[] = {
    &m->add_coders, &m->add_documents, &m->add_codes, &m->add_themes, &m->add_segments, &m->add_memos,
    &m->add_theme_codes, &m->add_cases, &m->add_case_documents, &m->add_attributes, &m->add_values,
    &m->add_positions, &m->add_links, &m->add_resolutions, &m->add_done, &m->fill_codes, &m->fill_themes,
    &m->append_memos,
  };
  GHashTable **maps[] = {
    &m->coder_map, &m->document_map, &m->code_map, &m->theme_map, &m->segment_map, &m->case_map,
    &m->attribute_map, &m->blocked_documents, &m->blocked_attributes, &m->our_uuids,
  };

  _tsr_merge_side_clear (&m->theirs);
  _tsr_merge_side_clear (&m->ours);
  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_clear_pointer (arrays[i], g_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    g_clear_pointer (maps[i], g_hash_table_unref);
  g_clear_pointer (&m->coder_names, g_ptr_array_unref);
  g_clear_pointer (&m->plan, tsr_merge_plan_unref);
}

/* Reads both projects and decides, row by row, what to add. */
gboolean
_tsr_merge_plan (Merge         *m,
                 TsrProject    *self,
                 const char    *other_path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  TsrDatabase *db = _tsr_project_get_database (self);
  g_autofree char *name = g_path_get_basename (other_path);
  g_autofree char *our_name = g_path_get_basename (tsr_project_get_path (self));
  sqlite3 *other;
  gboolean ok;

  memset (m, 0, sizeof *m);
  m->plan = _tsr_merge_plan_new (other_path);

  if (!(other = _tsr_merge_open_other (other_path, cancellable, error)))
    return FALSE;
  ok = _tsr_merge_read_side (other, name, &m->theirs, error);
  sqlite3_close (other);
  if (!ok)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The operation was cancelled"));
      return FALSE;
    }

  tsr_database_push_cancellable (db, cancellable);
  ok = _tsr_merge_read_side (tsr_database_get_handle (db), our_name, &m->ours, error);
  tsr_database_pop_cancellable (db);
  if (!ok)
    return FALSE;

  m->plan->other_title = g_strdup (m->theirs.title ? m->theirs.title : name);
  m->other_name = g_string_chunk_insert (m->theirs.strings, name);

  m->coder_map = id_map_new ();
  m->document_map = id_map_new ();
  m->code_map = id_map_new ();
  m->theme_map = id_map_new ();
  m->segment_map = id_map_new ();
  m->case_map = id_map_new ();
  m->attribute_map = id_map_new ();
  m->blocked_documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  m->blocked_attributes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  m->coder_names = g_ptr_array_new ();
#define INDICES() g_array_new (FALSE, FALSE, sizeof (guint))
  m->add_coders = INDICES ();
  m->add_documents = INDICES ();
  m->add_codes = INDICES ();
  m->add_themes = INDICES ();
  m->add_segments = INDICES ();
  m->add_memos = INDICES ();
  m->add_theme_codes = INDICES ();
  m->add_cases = INDICES ();
  m->add_case_documents = INDICES ();
  m->add_attributes = INDICES ();
  m->add_values = INDICES ();
  m->add_positions = INDICES ();
  m->add_links = INDICES ();
  m->add_resolutions = INDICES ();
  m->add_done = INDICES ();
  m->fill_codes = INDICES ();
  m->fill_themes = INDICES ();
  m->append_memos = g_array_new (FALSE, FALSE, sizeof (Append));
#undef INDICES

  plan_coders (m);
  plan_documents (m);
  plan_codes (m);
  plan_themes (m);
  plan_theme_codes (m);
  plan_segments (m);
  plan_memos (m);
  plan_cases_and_attributes (m);
  plan_map (m);
  plan_resolutions (m);
  plan_done (m);

  if (tsr_merge_plan_is_empty (m->plan) && m->plan->notes->len == 0)
    note (m, TSR_MERGE_DOCUMENTS, TSR_MERGE_MATCH, _("Everything in “%s” is already in this project"), name);
  return TRUE;
}
