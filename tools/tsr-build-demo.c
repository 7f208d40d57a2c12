/* tsr-build-demo.c — builds the demo project from data/demo/demo.json
 *
 * The demo is made at build time from the essays and the coding spec in
 * the repository, through the same core operations the app uses, so that
 * the project file is reproducible and never edited by hand.
 *
 * The consensus coding is reached as a team reaches it: the passages the
 * two coders agree on are adopted, and each disagreement is resolved
 * (accept one coder, both, or neither) to give the consensus the spec
 * names, so the Agreement view shows the reconciliation done and the
 * resolutions recorded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "tessera.h"

/* A passage the spec gives the consensus. */
typedef struct
{
  gint64   document_id;
  gint64   code_id;
  guint    start;
  guint    end;
  gboolean exemplar;
} Wanted;

typedef struct
{
  TsrProject *project;
  GHashTable *coders;     /* key → gint64 id */
  GHashTable *documents;  /* key → gint64 id */
  gint64      consensus;
  GArray     *wanted;     /* Wanted */
} Builder;

static gint64
lookup_id (GHashTable *table,
           const char *key)
{
  gint64 *id = g_hash_table_lookup (table, key);
  return id ? *id : 0;
}

static void
store_id (GHashTable *table,
          const char *key,
          gint64      id)
{
  g_hash_table_insert (table, g_strdup (key), g_memdup2 (&id, sizeof id));
}

static gboolean
add_codes (Builder    *b,
           JsonArray  *codes,
           gint64      parent,
           GError    **error)
{
  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      JsonObject *o = json_array_get_object_element (codes, i);
      gint64 id = tsr_project_create_code (b->project, parent,
                                           json_object_get_string_member (o, "name"),
                                           json_object_get_string_member (o, "color"),
                                           json_object_get_string_member_with_default (o, "definition", ""),
                                           error);
      if (id == 0)
        return FALSE;
      if (json_object_has_member (o, "children") &&
          !add_codes (b, json_object_get_array_member (o, "children"), id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_themes (Builder    *b,
            JsonArray  *themes,
            gint64      parent,
            GError    **error)
{
  for (guint i = 0; i < json_array_get_length (themes); i++)
    {
      JsonObject *o = json_array_get_object_element (themes, i);
      const char *name = json_object_get_string_member (o, "name");
      TsrThemeStatus status = TSR_THEME_CANDIDATE;
      JsonArray *codes;
      gint64 id;

      id = tsr_project_create_theme (b->project, parent, name, error);
      if (id == 0 ||
          !tsr_project_set_theme_field (b->project, id, TSR_THEME_FIELD_DEFINITION,
                                        json_object_get_string_member_with_default (o, "definition", ""),
                                        error))
        return FALSE;

      if (json_object_has_member (o, "status") &&
          !tsr_theme_status_from_string (json_object_get_string_member (o, "status"), &status))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, "theme %s: bad status", name);
          return FALSE;
        }
      if (!tsr_project_set_theme_status (b->project, id, status, error))
        return FALSE;

      codes = json_object_get_array_member (o, "codes");
      for (guint c = 0; codes && c < json_array_get_length (codes); c++)
        {
          const char *path = json_array_get_string_element (codes, c);
          g_autoptr(TsrCode) code = tsr_project_find_code (b->project, path);

          if (code == NULL)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, "theme %s: no code %s", name, path);
              return FALSE;
            }
          if (!tsr_project_add_code_to_theme (b->project, id, tsr_entity_get_id (TSR_ENTITY (code)), error))
            return FALSE;
        }

      if (json_object_has_member (o, "subthemes") &&
          !add_themes (b, json_object_get_array_member (o, "subthemes"), id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_documents (Builder     *b,
               JsonArray   *documents,
               const char  *base_dir,
               GError     **error)
{
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *o = json_array_get_object_element (documents, i);
      g_autofree char *path = g_build_filename (base_dir, json_object_get_string_member (o, "file"), NULL);
      g_autofree char *contents = NULL;
      g_autofree char *text = NULL;
      gsize length;
      gint64 id;

      if (!g_file_get_contents (path, &contents, &length, error))
        return FALSE;
      text = tsr_decode_text (contents, length, path, error);
      if (text == NULL)
        return FALSE;

      /* The source is the file's name, not the build machine's path. */
      id = tsr_project_add_document (b->project, json_object_get_string_member (o, "name"), text,
                                     json_object_get_string_member (o, "file"), error);
      if (id == 0 || !tsr_project_set_document_read (b->project, id, TRUE, error))
        return FALSE;
      store_id (b->documents, json_object_get_string_member (o, "key"), id);

      if (json_object_has_member (o, "attributes"))
        {
          JsonObject *attrs = json_object_get_object_member (o, "attributes");
          g_autoptr(GList) names = json_object_get_members (attrs);

          for (GList *l = names; l; l = l->next)
            {
              JsonNode *node = json_object_get_member (attrs, l->data);
              gboolean is_int = json_node_get_value_type (node) == G_TYPE_INT64;
              g_autoptr(TsrAttribute) attr = tsr_project_find_attribute (b->project, TSR_ATTRIBUTE_ON_DOCUMENTS, l->data);
              g_autofree char *value = is_int
                ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node))
                : g_strdup (json_node_get_string (node));
              gint64 attr_id;

              attr_id = attr ? tsr_entity_get_id (TSR_ENTITY (attr))
                             : tsr_project_define_attribute (b->project, TSR_ATTRIBUTE_ON_DOCUMENTS, l->data,
                                                             is_int ? TSR_ATTRIBUTE_INTEGER : TSR_ATTRIBUTE_TEXT,
                                                             error);
              if (attr_id == 0 || !tsr_project_set_attribute_value (b->project, attr_id, id, value, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

static gboolean
add_codings (Builder    *b,
             JsonArray  *codings,
             GError    **error)
{
  for (guint i = 0; i < json_array_get_length (codings); i++)
    {
      JsonObject *o = json_array_get_object_element (codings, i);
      const char *doc_key = json_object_get_string_member (o, "doc");
      const char *path = json_object_get_string_member (o, "code");
      const char *quote = json_object_get_string_member (o, "quote");
      gint64 doc_id = lookup_id (b->documents, doc_key);
      g_autoptr(TsrCode) code = tsr_project_find_code (b->project, path);
      g_autofree char *text = NULL;
      JsonArray *coders = json_object_get_array_member (o, "coders");
      const char *at, *again;
      guint start, end;
      gint64 code_id;

      if (doc_id == 0 || code == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, "coding %u: no %s %s",
                       i, doc_id == 0 ? "document" : "code", doc_id == 0 ? doc_key : path);
          return FALSE;
        }
      code_id = tsr_entity_get_id (TSR_ENTITY (code));

      text = tsr_project_get_document_text (b->project, doc_id, error);
      if (text == NULL)
        return FALSE;
      at = strstr (text, quote);
      again = at ? strstr (at + 1, quote) : NULL;
      if (at == NULL || again != NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID, "coding %u: the quote occurs %s in %s: %s",
                       i, at ? "more than once" : "nowhere", doc_key, quote);
          return FALSE;
        }
      start = g_utf8_pointer_to_offset (text, at);
      end = start + g_utf8_strlen (quote, -1);

      for (guint c = 0; c < json_array_get_length (coders); c++)
        {
          gint64 coder_id = lookup_id (b->coders, json_array_get_string_element (coders, c));

          if (coder_id == 0 ||
              tsr_project_add_segment_for_coder (b->project, doc_id, code_id, coder_id, start, end, error) == 0)
            {
              if (coder_id == 0)
                g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, "coding %u: unknown coder", i);
              return FALSE;
            }
        }

      /* The consensus comes later, from the reconciliation. */
      if (json_object_get_boolean_member_with_default (o, "consensus", FALSE))
        g_array_append_val (b->wanted, ((Wanted) {
          doc_id, code_id, start, end,
          json_object_get_boolean_member_with_default (o, "exemplar", FALSE),
        }));
    }
  return TRUE;
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const guint *pa = a, *pb = b;

  return pa[0] < pb[0] ? -1 : pa[0] > pb[0] ? 1 : (pa[1] > pb[1]) - (pa[1] < pb[1]);
}

/* Merged, sorted intervals as start, end pairs. */
static GArray *
merge_pairs (GArray *pairs)
{
  GArray *merged = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len / 2; i++)
    {
      guint start = g_array_index (pairs, guint, 2 * i);
      guint end = g_array_index (pairs, guint, 2 * i + 1);

      if (merged->len > 0 && start <= g_array_index (merged, guint, merged->len - 1))
        g_array_index (merged, guint, merged->len - 1) = MAX (end, g_array_index (merged, guint, merged->len - 1));
      else
        {
          g_array_append_val (merged, start);
          g_array_append_val (merged, end);
        }
    }
  return merged;
}

static gboolean
same_pairs (GArray *a,
            GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

/* What the spec gives the consensus of the disagreement's code over its
 * passage, as merged start, end pairs clipped to it. */
static GArray *
wanted_over (Builder         *b,
             TsrDisagreement *d)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  guint start = tsr_disagreement_get_start (d);
  guint end = tsr_disagreement_get_end (d);

  for (guint i = 0; i < b->wanted->len; i++)
    {
      const Wanted *w = &g_array_index (b->wanted, Wanted, i);
      guint s = MAX (w->start, start), e = MIN (w->end, end);

      if (w->document_id == tsr_disagreement_get_document_id (d) &&
          w->code_id == tsr_disagreement_get_code_id (d) && s < e)
        {
          g_array_append_val (pairs, s);
          g_array_append_val (pairs, e);
        }
    }
  return merge_pairs (pairs);
}

/* Reconciles the two coders into the consensus the spec names: the
 * agreed passages adopted, each disagreement resolved through the core,
 * then the exemplars starred.  A consensus that no resolution gives
 * (neither coder's spans, nor both, nor none) is an error in the spec. */
static gboolean
reconcile (Builder  *b,
           gint64    coder_a,
           gint64    coder_b,
           GError  **error)
{
  g_autoptr(GListModel) disagreements = NULL;

  if (!tsr_project_adopt_agreements (b->project, coder_a, coder_b, NULL, error))
    return FALSE;
  disagreements = tsr_project_list_disagreements (b->project, coder_a, coder_b, 0, TSR_AGREEMENT_DEFAULT, NULL, error);
  if (disagreements == NULL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (disagreements); i++)
    {
      g_autoptr(TsrDisagreement) d = g_list_model_get_item (disagreements, i);
      g_autoptr(GArray) wanted = wanted_over (b, d);
      g_autoptr(GArray) a = NULL;
      g_autoptr(GArray) both = NULL;
      g_autoptr(GArray) b_spans = NULL;
      TsrResolution resolution;
      const guint *spans;
      guint n;

      spans = tsr_disagreement_get_spans (d, TSR_SIDE_A, &n);
      a = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_vals (a, spans, 2 * n);
      spans = tsr_disagreement_get_spans (d, TSR_SIDE_B, &n);
      b_spans = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_vals (b_spans, spans, 2 * n);
      {
        g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));

        g_array_append_vals (all, a->data, a->len);
        g_array_append_vals (all, b_spans->data, b_spans->len);
        both = merge_pairs (all);
      }

      if (wanted->len == 0)
        resolution = TSR_RESOLUTION_REJECT;
      else if (same_pairs (wanted, a))
        resolution = TSR_RESOLUTION_ACCEPT_A;
      else if (same_pairs (wanted, b_spans))
        resolution = TSR_RESOLUTION_ACCEPT_B;
      else if (same_pairs (wanted, both))
        resolution = TSR_RESOLUTION_ACCEPT_BOTH;
      else
        {
          g_autofree char *text = tsr_disagreement_format_spans (d, TSR_SIDE_A);

          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                       "the consensus the spec gives document %" G_GINT64_FORMAT ", code %" G_GINT64_FORMAT
                       " at %u-%u is no coder's coding (first coder: %s)",
                       tsr_disagreement_get_document_id (d), tsr_disagreement_get_code_id (d),
                       tsr_disagreement_get_start (d), tsr_disagreement_get_end (d), text);
          return FALSE;
        }
      if (!tsr_project_resolve_disagreement (b->project, d, resolution, error))
        return FALSE;
    }

  /* Every passage the spec gives the consensus is now there: star the
   * exemplars among them. */
  for (guint i = 0; i < b->wanted->len; i++)
    {
      const Wanted *w = &g_array_index (b->wanted, Wanted, i);
      g_autoptr(GArray) spans = tsr_project_list_document_spans (b->project, w->document_id);
      gint64 segment = 0;

      for (guint j = 0; j < spans->len && segment == 0; j++)
        {
          const TsrSpan *span = &g_array_index (spans, TsrSpan, j);

          if (span->coder_id == b->consensus && span->code_id == w->code_id &&
              span->start == w->start && span->end == w->end)
            segment = span->segment_id;
        }
      if (segment == 0)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                       "the reconciliation did not give the consensus document %" G_GINT64_FORMAT
                       ", code %" G_GINT64_FORMAT " at %u-%u",
                       w->document_id, w->code_id, w->start, w->end);
          return FALSE;
        }
      if (w->exemplar && !tsr_project_set_segment_exemplar (b->project, segment, TRUE, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
build (const char  *spec_path,
       const char  *out_path,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrCoder) consensus = NULL;
  g_autofree char *base_dir = g_path_get_dirname (spec_path);
  g_autofree char *tmp_path = g_strconcat (out_path, ".tmp", NULL);
  JsonObject *root;
  JsonArray *coders;
  Builder b = { 0 };
  gboolean ok = FALSE;

  if (!json_parser_load_from_file (parser, spec_path, error))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));

  g_unlink (tmp_path);
  project = tsr_project_create (tmp_path, error);
  if (project == NULL)
    return FALSE;
  tsr_project_set_history_enabled (project, FALSE);

  b.project = project;
  b.coders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.wanted = g_array_new (FALSE, FALSE, sizeof (Wanted));

  if (!tsr_project_set_title (project, json_object_get_string_member (root, "name"), error) ||
      !tsr_project_set_description (project, json_object_get_string_member (root, "description"), error))
    goto out;

  coders = json_object_get_array_member (root, "coders");
  for (guint i = 0; i < json_array_get_length (coders); i++)
    {
      JsonObject *o = json_array_get_object_element (coders, i);
      g_autoptr(TsrCoder) coder = tsr_project_ensure_coder (project, json_object_get_string_member (o, "name"), error);

      if (coder == NULL)
        goto out;
      store_id (b.coders, json_object_get_string_member (o, "key"), tsr_entity_get_id (TSR_ENTITY (coder)));
      if (i == 0 && !tsr_project_set_current_coder (project, tsr_entity_get_id (TSR_ENTITY (coder)), error))
        goto out;
    }
  consensus = tsr_project_get_consensus_coder (project, error);
  if (consensus == NULL)
    goto out;
  b.consensus = tsr_entity_get_id (TSR_ENTITY (consensus));

  if (!add_documents (&b, json_object_get_array_member (root, "documents"), base_dir, error) ||
      !add_codes (&b, json_object_get_array_member (root, "codes"), 0, error) ||
      !add_themes (&b, json_object_get_array_member (root, "themes"), 0, error) ||
      !add_codings (&b, json_object_get_array_member (root, "codings"), error))
    goto out;

  /* The first two coders reconcile their coding into the consensus. */
  if (json_array_get_length (coders) >= 2)
    {
      gint64 a = lookup_id (b.coders, json_object_get_string_member (json_array_get_object_element (coders, 0), "key"));
      gint64 c = lookup_id (b.coders, json_object_get_string_member (json_array_get_object_element (coders, 1), "key"));

      if (!reconcile (&b, a, c, error))
        goto out;
    }

  if (json_object_has_member (root, "journal"))
    {
      JsonArray *journal = json_object_get_array_member (root, "journal");

      for (guint i = 0; i < json_array_get_length (journal); i++)
        {
          JsonObject *o = json_array_get_object_element (journal, i);

          if (tsr_project_add_journal_entry (project, json_object_get_string_member (o, "date"),
                                             json_object_get_string_member (o, "text"), error) == 0)
            goto out;
        }
    }

  if (json_object_has_member (root, "memos"))
    {
      JsonArray *memos = json_object_get_array_member (root, "memos");

      for (guint i = 0; i < json_array_get_length (memos); i++)
        {
          JsonObject *o = json_array_get_object_element (memos, i);
          gint64 doc_id = lookup_id (b.documents, json_object_get_string_member (o, "doc"));

          if (doc_id == 0 ||
              !tsr_project_set_memo (project, TSR_MEMO_DOCUMENT, doc_id,
                                     json_object_get_string_member (o, "text"), error))
            {
              if (doc_id == 0)
                g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, "memo %u: unknown document", i);
              goto out;
            }
        }
    }

  if (!tsr_project_check_integrity (project, error) || !tsr_project_close (project, error))
    goto out;

  ok = g_rename (tmp_path, out_path) == 0;
  if (!ok)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                 "rename to %s: %s", out_path, g_strerror (errno));

out:
  g_hash_table_unref (b.coders);
  g_hash_table_unref (b.documents);
  g_array_unref (b.wanted);
  if (!ok)
    {
      g_clear_object (&project);
      g_unlink (tmp_path);
    }
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");

  if (argc != 3)
    {
      g_printerr ("usage: tsr-build-demo SPEC.json OUT.tessera\n");
      return 2;
    }
  if (!build (argv[1], argv[2], &error))
    {
      g_printerr ("tsr-build-demo: %s\n", error->message);
      return 1;
    }
  return 0;
}
