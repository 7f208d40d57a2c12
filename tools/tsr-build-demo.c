/* tsr-build-demo.c — builds the demo project from data/demo/demo.json
 *
 * The demo is made at build time from the essays and the coding spec in
 * the repository, through the same core operations the app uses, so that
 * the project file is reproducible and never edited by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "tessera.h"

typedef struct
{
  TsrProject *project;
  GHashTable *coders;     /* key → gint64 id */
  GHashTable *documents;  /* key → gint64 id */
  gint64      consensus;
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

      if (json_object_get_boolean_member_with_default (o, "consensus", FALSE))
        {
          gint64 seg = tsr_project_add_segment_for_coder (b->project, doc_id, code_id, b->consensus,
                                                          start, end, error);
          if (seg == 0)
            return FALSE;
          if (json_object_get_boolean_member_with_default (o, "exemplar", FALSE) &&
              !tsr_project_set_segment_exemplar (b->project, seg, TRUE, error))
            return FALSE;
        }
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
