/* tsr-refi-codebook.c — REFI-QDA codebooks (.qdc), out and in
 *
 * A codebook is the code tree with each code's colour and description
 * (Codebook.xsd, namespace urn:QDA-XML:codebook:1.0), the file NVivo,
 * ATLAS.ti, MAXQDA and QualCoder exchange to share a coding frame.  A
 * code's GUID is its Tessera UUID, so a codebook that comes back names
 * the same codes.  A code's definition is its Description.
 *
 * Importing reads the whole file and checks it (the root, every name,
 * GUID and colour, GUIDs unique) before it writes anything, then adds the
 * codes the project lacks in one undoable edit; a code already there
 * (same name under the same parent) is kept as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-export.h"
#include "tsr-import-private.h"
#include "tsr-project-private.h"
#include "tsr-refi-private.h"

#define CODEBOOK_NS "urn:QDA-XML:codebook:1.0"

/* A codebook is a few thousand codes at most; anything this big is not
 * one. */
#define MAX_CODEBOOK_BYTES (64 * 1024 * 1024)
#define MAX_DEPTH 64

static const char * const codebook_ns[] = { CODEBOOK_NS, NULL };

/* Writing ---------------------------------------------------------------- */

static void
write_codes (xmlTextWriterPtr  w,
             GHashTable       *children,
             gint64            parent_id)
{
  GPtrArray *codes = g_hash_table_lookup (children, &parent_id);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      TsrCode *code = codes->pdata[i];
      const char *definition = tsr_code_get_definition (code);

      xmlTextWriterStartElement (w, BAD_CAST "Code");
      xmlTextWriterWriteAttribute (w, BAD_CAST "guid", BAD_CAST tsr_entity_get_uuid (TSR_ENTITY (code)));
      xmlTextWriterWriteAttribute (w, BAD_CAST "name", BAD_CAST tsr_code_get_name (code));
      xmlTextWriterWriteAttribute (w, BAD_CAST "isCodable", BAD_CAST "true");
      xmlTextWriterWriteAttribute (w, BAD_CAST "color", BAD_CAST tsr_code_get_color (code));
      if (definition != NULL && *definition != '\0')
        xmlTextWriterWriteElement (w, BAD_CAST "Description", BAD_CAST definition);
      write_codes (w, children, tsr_entity_get_id (TSR_ENTITY (code)));
      xmlTextWriterEndElement (w);
    }
}

/**
 * tsr_project_write_codebook:
 *
 * Writes the code tree as a REFI-QDA codebook.
 *
 * Returns: %TRUE on success; %FALSE with @error set, also when the
 *   project has no code (a codebook holds at least one)
 */
gboolean
tsr_project_write_codebook (TsrProject    *self,
                            GOutputStream *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *origin = g_strdup_printf ("Tessera %s", PACKAGE_VERSION);
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  gboolean ok;
  int rc;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  codes = tsr_project_list_all_codes (self);
  if (codes == NULL || codes->len == 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("The project has no codes, and a codebook holds at least one"));
      return FALSE;
    }
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 parent_id = tsr_code_get_parent_id (codes->pdata[i]);
      GPtrArray *siblings = g_hash_table_lookup (children, &parent_id);

      if (siblings == NULL)
        {
          siblings = g_ptr_array_new ();
          g_hash_table_insert (children, g_memdup2 (&parent_id, sizeof parent_id), siblings);
        }
      g_ptr_array_add (siblings, codes->pdata[i]);
    }

  buffer = xmlBufferCreate ();
  w = buffer != NULL ? xmlNewTextWriterMemory (buffer, 0) : NULL;
  if (w == NULL)
    {
      if (buffer != NULL)
        xmlBufferFree (buffer);
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("Out of memory"));
      return FALSE;
    }
  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST "  ");
  xmlTextWriterStartDocument (w, "1.0", "utf-8", NULL);
  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "CodeBook", BAD_CAST CODEBOOK_NS);
  xmlTextWriterWriteAttribute (w, BAD_CAST "origin", BAD_CAST origin);
  xmlTextWriterStartElement (w, BAD_CAST "Codes");
  write_codes (w, children, 0);
  rc = xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);
  if (rc < 0)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("Could not write the codebook"));
      xmlBufferFree (buffer);
      return FALSE;
    }
  ok = g_output_stream_write_all (stream, xmlBufferContent (buffer), xmlBufferLength (buffer),
                                  NULL, cancellable, error);
  xmlBufferFree (buffer);
  return ok;
}

static gboolean
write_codebook_cb (GOutputStream  *stream,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return tsr_project_write_codebook (user_data, stream, cancellable, error);
}

/**
 * tsr_project_export_codebook:
 *
 * Saves the code tree as a REFI-QDA codebook (.qdc), whole or not at all.
 */
gboolean
tsr_project_export_codebook (TsrProject    *self,
                             GFile         *file,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return tsr_export_save_file (file, write_codebook_cb, self, cancellable, error);
}

/* Reading ---------------------------------------------------------------- */

typedef struct _Entry Entry;
struct _Entry
{
  char      *name;
  char      *color;
  char      *description;
  GPtrArray *children;   /* Entry */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_free (entry->color);
  g_free (entry->description);
  g_ptr_array_unref (entry->children);
  g_free (entry);
}

typedef struct
{
  const char        *display_name;
  GHashTable        *guids;
  TsrCodebookImport *result;
} ReadState;

static gboolean
read_codes (ReadState  *state,
            xmlNodePtr  parent,
            GPtrArray  *into,
            guint       depth,
            GError    **error)
{
  if (depth > MAX_DEPTH)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The codebook “%s” nests codes more than %d deep"), state->display_name, MAX_DEPTH);
      return FALSE;
    }

  for (xmlNodePtr node = parent->children; node != NULL; node = node->next)
    {
      g_autofree char *guid = NULL;
      g_autofree char *name = NULL;
      g_autofree char *color = NULL;
      Entry *entry;

      if (node->type != XML_ELEMENT_NODE || !tsr_xml_node_is (node, codebook_ns, "Code"))
        continue;

      guid = tsr_xml_node_attr (node, NULL, "guid");
      name = tsr_xml_node_attr (node, NULL, "name");
      color = tsr_xml_node_attr (node, NULL, "color");
      if (name == NULL || g_strstrip (name)[0] == '\0' || !g_utf8_validate (name, -1, NULL))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The codebook “%s” has a code without a name (line %d)"),
                       state->display_name, node->line);
          return FALSE;
        }
      if (!_tsr_refi_guid_is_valid (guid))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The code “%s” in the codebook “%s” has no valid GUID (line %d)"),
                       name, state->display_name, node->line);
          return FALSE;
        }
      if (!g_hash_table_add (state->guids, g_ascii_strdown (guid, -1)))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The codebook “%s” gives the GUID %s to more than one code (line %d)"),
                       state->display_name, guid, node->line);
          return FALSE;
        }

      entry = g_new0 (Entry, 1);
      entry->children = g_ptr_array_new_with_free_func (entry_free);
      g_ptr_array_add (into, entry);
      if (strchr (name, '/') != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (name, "/", -1);

          entry->name = g_strjoinv ("∕", parts);
          state->result->n_renamed++;
        }
      else
        entry->name = g_steal_pointer (&name);
      if (color != NULL && (entry->color = _tsr_refi_color_normalize (g_strstrip (color))) == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The code “%s” in the codebook “%s” has the colour “%s”, which is not #rrggbb (line %d)"),
                       entry->name, state->display_name, color, node->line);
          return FALSE;
        }
      {
        xmlNodePtr description = tsr_xml_node_child (node, codebook_ns, "Description");

        if (description != NULL)
          {
            xmlChar *text = xmlNodeGetContent (description);

            entry->description = g_strstrip (g_strdup ((const char *) text));
            xmlFree (text);
          }
      }
      if (!read_codes (state, node, entry->children, depth + 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_codes (TsrProject         *project,
           gint64              parent_id,
           const char         *parent_path,
           GPtrArray          *entries,
           TsrCodebookImport  *result,
           GError            **error)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];
      g_autofree char *path = parent_path != NULL ? g_strconcat (parent_path, "/", entry->name, NULL)
                                                  : g_strdup (entry->name);
      g_autoptr(TsrCode) existing = tsr_project_find_code (project, path);
      gint64 id;

      if (existing != NULL)
        {
          id = tsr_entity_get_id (TSR_ENTITY (existing));
          result->n_kept++;
        }
      else
        {
          id = tsr_project_create_code (project, parent_id, entry->name, entry->color,
                                        entry->description, error);
          if (id == 0)
            return FALSE;
          result->n_added++;
        }
      if (!add_codes (project, id, path, entry->children, result, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * tsr_project_import_codebook:
 * @result: (out) (optional): what it did
 *
 * Adds a REFI-QDA codebook's codes to the project, as one edit that one
 * undo takes back.  The file is read and checked whole first: a file that
 * is not a codebook, or has a code without a name, a missing, malformed or
 * repeated GUID or a colour that is not one, changes nothing.
 */
gboolean
tsr_project_import_codebook (TsrProject        *self,
                             GFile             *file,
                             TsrCodebookImport *result,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (entry_free);
  g_autoptr(GHashTable) guids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *display_name = NULL;
  g_autofree char *basename = NULL;
  TsrCodebookImport local = { 0, };
  ReadState state;
  xmlDocPtr doc;
  xmlNodePtr root;
  xmlNodePtr codes;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  display_name = g_file_get_parse_name (file);
  basename = g_file_get_basename (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNREADABLE,
                   _("“%s” is not a file (a folder, a device or a pipe)"), display_name);
      return FALSE;
    }
  if (g_file_info_get_size (info) > MAX_CODEBOOK_BYTES)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("“%s” is too large to be a codebook"), display_name);
      return FALSE;
    }
  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return FALSE;

  doc = tsr_xml_parse (bytes, "codebook", display_name, error);
  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);
  codes = root != NULL && tsr_xml_node_is (root, codebook_ns, "CodeBook")
          ? tsr_xml_node_child (root, codebook_ns, "Codes") : NULL;
  if (codes == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("“%s” is not a REFI-QDA codebook (no CodeBook with Codes in %s)"),
                   display_name, CODEBOOK_NS);
      xmlFreeDoc (doc);
      return FALSE;
    }

  state.display_name = display_name;
  state.guids = guids;
  state.result = &local;
  ok = read_codes (&state, codes, entries, 0, error);
  if (ok)
    {
      xmlNodePtr sets = tsr_xml_node_child (root, codebook_ns, "Sets");

      for (xmlNodePtr node = sets ? sets->children : NULL; node != NULL; node = node->next)
        if (node->type == XML_ELEMENT_NODE && tsr_xml_node_is (node, codebook_ns, "Set"))
          local.n_sets++;
    }
  xmlFreeDoc (doc);
  if (!ok)
    return FALSE;

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CODES, "codebook.import",
                              g_strdup_printf (_("Import the codebook “%s”"), basename), error))
    return FALSE;
  ok = add_codes (self, 0, NULL, entries, &local, error);
  if (!_tsr_project_op_end (self, ok, ok ? error : NULL))
    return FALSE;

  if (result != NULL)
    *result = local;
  return TRUE;
}
