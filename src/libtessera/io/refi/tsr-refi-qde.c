/* tsr-refi-qde.c — reading a REFI-QDA project.qde
 *
 * The file is parsed whole with libxml2 (network off, no entity ever
 * loaded or expanded, a document type declaration refused: see
 * tsr_xml_parse ()) and walked once into a RefiProject.  Nothing is
 * written anywhere while reading, and the whole file is checked before
 * the caller writes anything: every GUID Tessera will store must be
 * well formed and unique, and every reference (CodeRef, NoteRef,
 * SourceRef, VariableRef, the members of a Set, a Link's ends, a graph's
 * edges, the users of codings) must name an element the file holds.  A
 * file that fails is refused with a message naming the element and its
 * line; it is never half read.
 *
 * What Tessera has no place for — picture, audio and video sources, a
 * PDF's regions, links, sets of sources, graphs that are not a map of
 * codes and themes — is copied into a <Kept> document, stored in the
 * project and written back on export, so a round trip through Tessera
 * loses it not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-refi-private.h"

/* Small helpers ---------------------------------------------------------- */

gboolean
_tsr_refi_guid_is_valid (const char *guid)
{
  const char *p = guid;
  gsize len;
  static const int groups[] = { 8, 4, 4, 4, 12 };

  if (guid == NULL)
    return FALSE;
  len = strlen (guid);
  if (len == 38)
    {
      if (guid[0] != '{' || guid[37] != '}')
        return FALSE;
      p++;
    }
  else if (len != 36)
    return FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      for (int i = 0; i < groups[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
      if (g + 1 < G_N_ELEMENTS (groups) && *p++ != '-')
        return FALSE;
    }
  return TRUE;
}

char *
_tsr_refi_guid_normalize (const char *guid)
{
  g_return_val_if_fail (_tsr_refi_guid_is_valid (guid), NULL);

  if (guid[0] == '{')
    return g_ascii_strdown (guid + 1, 36);
  return g_ascii_strdown (guid, -1);
}

char *
_tsr_refi_guid_derive (const char *seed,
                       const char *salt)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) "tessera-refi:", -1);
  g_checksum_update (checksum, (const guchar *) seed, -1);
  g_checksum_update (checksum, (const guchar *) ":", 1);
  g_checksum_update (checksum, (const guchar *) salt, -1);
  g_checksum_get_digest (checksum, digest, &len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

char *
_tsr_refi_color_normalize (const char *color)
{
  gsize len = color != NULL ? strlen (color) : 0;

  if ((len != 4 && len != 7) || color[0] != '#')
    return NULL;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isxdigit (color[i]))
      return NULL;
  if (len == 7)
    return g_ascii_strdown (color, -1);
  return g_ascii_strdown ((char[]) { '#', color[1], color[1], color[2], color[2], color[3], color[3], '\0' }, -1);
}

gint64
_tsr_refi_parse_time (const char *text,
                      gint64      fallback)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL || *text == '\0')
    return fallback;
  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL)
    return fallback;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

/* Freeing ------------------------------------------------------------------ */

static void
code_free (gpointer data)
{
  RefiCode *code = data;

  g_free (code->guid);
  g_free (code->name);
  g_free (code->color);
  g_free (code->description);
  g_ptr_array_unref (code->note_refs);
  g_ptr_array_unref (code->children);
  g_free (code);
}

static void
user_free (gpointer data)
{
  RefiUser *user = data;

  g_free (user->guid);
  g_free (user->name);
  g_free (user->id);
  g_free (user);
}

static void
variable_free (gpointer data)
{
  RefiVariable *variable = data;

  g_free (variable->guid);
  g_free (variable->name);
  g_free (variable->type);
  g_free (variable->description);
  g_free (variable);
}

static void
value_free (gpointer data)
{
  RefiValue *value = data;

  g_free (value->variable);
  g_free (value->value);
  g_free (value);
}

static void
case_free (gpointer data)
{
  RefiCase *c = data;

  g_free (c->guid);
  g_free (c->name);
  g_free (c->description);
  g_ptr_array_unref (c->sources);
  g_ptr_array_unref (c->values);
  g_free (c);
}

static void
coding_free (gpointer data)
{
  RefiCoding *coding = data;

  g_free (coding->guid);
  g_free (coding->code);
  g_free (coding->user);
  g_ptr_array_unref (coding->note_refs);
  g_free (coding);
}

static void
selection_free (gpointer data)
{
  RefiSelection *selection = data;

  g_free (selection->guid);
  g_free (selection->name);
  g_free (selection->user);
  g_free (selection->description);
  g_ptr_array_unref (selection->codings);
  g_ptr_array_unref (selection->note_refs);
  g_free (selection);
}

static void
source_free (gpointer data)
{
  RefiSource *source = data;

  g_free (source->guid);
  g_free (source->name);
  g_free (source->path);
  g_free (source->content);
  g_free (source->description);
  g_free (source->user);
  g_ptr_array_unref (source->selections);
  g_ptr_array_unref (source->note_refs);
  g_ptr_array_unref (source->values);
  g_free (source);
}

static void
note_free (gpointer data)
{
  RefiNote *note = data;

  g_free (note->guid);
  g_free (note->name);
  g_free (note->description);
  g_free (note->path);
  g_free (note->content);
  g_free (note->user);
  g_free (note);
}

static void
set_free (gpointer data)
{
  RefiSet *set = data;

  g_free (set->guid);
  g_free (set->name);
  g_free (set->description);
  g_ptr_array_unref (set->codes);
  g_ptr_array_unref (set->notes);
  g_free (set);
}

static void
vertex_free (gpointer data)
{
  RefiVertex *vertex = data;

  g_free (vertex->represented);
  g_free (vertex);
}

static void
edge_free (gpointer data)
{
  RefiEdge *edge = data;

  g_free (edge->guid);
  g_free (edge->from);
  g_free (edge->to);
  g_free (edge->name);
  g_free (edge);
}

void
_tsr_refi_project_free (RefiProject *project)
{
  if (project == NULL)
    return;
  g_free (project->name);
  g_free (project->origin);
  g_free (project->description);
  g_free (project->creating_user);
  if (project->kept_doc != NULL)
    xmlFreeDoc (project->kept_doc);
  if (project->doc != NULL)
    xmlFreeDoc (project->doc);
  g_clear_pointer (&project->note_refs, g_ptr_array_unref);
  g_clear_pointer (&project->users, g_ptr_array_unref);
  g_clear_pointer (&project->codes, g_ptr_array_unref);
  g_clear_pointer (&project->variables, g_ptr_array_unref);
  g_clear_pointer (&project->cases, g_ptr_array_unref);
  g_clear_pointer (&project->sources, g_ptr_array_unref);
  g_clear_pointer (&project->notes, g_ptr_array_unref);
  g_clear_pointer (&project->sets, g_ptr_array_unref);
  g_clear_pointer (&project->vertices, g_ptr_array_unref);
  g_clear_pointer (&project->edges, g_ptr_array_unref);
  g_free (project);
}

static RefiProject *
project_new (void)
{
  RefiProject *project = g_new0 (RefiProject, 1);

  project->note_refs = g_ptr_array_new_with_free_func (g_free);
  project->users = g_ptr_array_new_with_free_func (user_free);
  project->codes = g_ptr_array_new_with_free_func (code_free);
  project->variables = g_ptr_array_new_with_free_func (variable_free);
  project->cases = g_ptr_array_new_with_free_func (case_free);
  project->sources = g_ptr_array_new_with_free_func (source_free);
  project->notes = g_ptr_array_new_with_free_func (note_free);
  project->sets = g_ptr_array_new_with_free_func (set_free);
  project->vertices = g_ptr_array_new_with_free_func (vertex_free);
  project->edges = g_ptr_array_new_with_free_func (edge_free);
  return project;
}

/* Reading ---------------------------------------------------------------- */

/* What a GUID names, for checking references. */
typedef enum
{
  KIND_ANY,
  KIND_USER,
  KIND_CODE,
  KIND_VARIABLE,
  KIND_CASE,
  KIND_SOURCE,
  KIND_SELECTION,
  KIND_CODING,
  KIND_NOTE,
  KIND_SET,
  KIND_CODE_SET,
  KIND_LINK,
  KIND_GRAPH,
  KIND_VERTEX,
  KIND_OTHER,
} Kind;

typedef struct
{
  Kind   kind;
  char  *guid;
  char  *element;
  int    line;
} Reference;

typedef struct
{
  const char   *display_name;
  RefiProject  *project;
  /* GUIDs of what Tessera stores: each once in the file */
  GHashTable   *guids;      /* guid → Kind */
  /* every GUID in the file, for resolving references */
  GHashTable   *known;      /* guid → Kind */
  GArray       *references; /* Reference */
  GPtrArray    *graphs;     /* xmlNodePtr, decided on at the end */
  GCancellable *cancellable;
} Reader;

enum { KEPT_SOURCES, KEPT_LINKS, KEPT_SETS, KEPT_GRAPHS };
static const char * const kept_section_names[] = { "Sources", "Links", "Sets", "Graphs" };

static gboolean
is_el (xmlNodePtr  node,
       const char *local)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         node->ns != NULL && strcmp ((const char *) node->ns->href, REFI_PROJECT_NS) == 0 &&
         (local == NULL || strcmp ((const char *) node->name, local) == 0);
}

static char *
attr (xmlNodePtr  node,
      const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static char *
content (xmlNodePtr node)
{
  xmlChar *value = xmlNodeGetContent (node);
  char *copy = g_strdup (value ? (const char *) value : "");

  xmlFree (value);
  return copy;
}

/* The text of @node's child @local, or NULL */
static char *
child_text (xmlNodePtr  node,
            const char *local)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, local))
      return content (child);
  return NULL;
}

static void
set_damaged (Reader      *r,
             GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
set_damaged (Reader      *r,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: the first %s is the file, the second what is wrong */
  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT, _("The project “%s” cannot be imported: %s"),
               r->display_name, what);
}

/* Reads @node's guid, checks it and records it; @strict for what Tessera
 * stores, whose GUIDs must be unique.  Returns the normalised GUID. */
static char *
take_guid (Reader      *r,
           xmlNodePtr   node,
           Kind         kind,
           gboolean     strict,
           GError     **error)
{
  g_autofree char *raw = attr (node, "guid");
  g_autofree char *guid = NULL;

  if (!_tsr_refi_guid_is_valid (raw != NULL ? g_strstrip (raw) : NULL))
    {
      /* Translators: %s is an element's name, %d its line in the file */
      set_damaged (r, error, raw == NULL ? _("the %s on line %d has no GUID")
                                         : _("the %s on line %d has a GUID that is not one (“%s”)"),
                   (const char *) node->name, node->line, raw);
      return NULL;
    }
  guid = _tsr_refi_guid_normalize (raw);
  if (strict)
    {
      if (g_hash_table_contains (r->guids, guid))
        {
          set_damaged (r, error, _("the GUID %s is given to more than one element (again to the %s on line %d)"),
                       raw, (const char *) node->name, node->line);
          return NULL;
        }
      g_hash_table_insert (r->guids, g_strdup (guid), GINT_TO_POINTER (kind));
      g_hash_table_insert (r->known, g_strdup (guid), GINT_TO_POINTER (kind));
    }
  else if (!g_hash_table_contains (r->known, guid))
    g_hash_table_insert (r->known, g_strdup (guid), GINT_TO_POINTER (kind));
  return g_steal_pointer (&guid);
}

/* Records a reference to check once the whole file is read; returns the
 * normalised GUID (NULL, with @error set, when it is not one). */
static char *
refer (Reader      *r,
       xmlNodePtr   node,
       const char  *attribute,
       Kind         kind,
       gboolean     required,
       GError     **error)
{
  g_autofree char *raw = attr (node, attribute);
  Reference ref;

  if (raw == NULL && !required)
    return NULL;
  if (!_tsr_refi_guid_is_valid (raw != NULL ? g_strstrip (raw) : NULL))
    {
      set_damaged (r, error, raw == NULL ? _("the %s on line %d has no %s")
                                         : _("the %s on line %d has a %s that is not a GUID (“%s”)"),
                   (const char *) node->name, node->line, attribute, raw);
      return NULL;
    }
  ref.kind = kind;
  ref.guid = _tsr_refi_guid_normalize (raw);
  ref.element = g_strdup ((const char *) node->name);
  ref.line = node->line;
  g_array_append_val (r->references, ref);
  return g_strdup (ref.guid);
}

/* A user reference is optional everywhere; an empty one is no reference. */
static gboolean
refer_user (Reader      *r,
            xmlNodePtr   node,
            const char  *attribute,
            char       **out,
            GError     **error)
{
  g_autofree char *raw = attr (node, attribute);
  char *guid;

  if (raw == NULL || g_strstrip (raw)[0] == '\0')
    {
      if (out != NULL)
        *out = NULL;
      return TRUE;
    }
  guid = refer (r, node, attribute, KIND_USER, TRUE, error);
  if (guid == NULL)
    return FALSE;
  if (out != NULL)
    *out = guid;
  else
    g_free (guid);
  return TRUE;
}

static gboolean
check_cancelled (Reader  *r,
                 GError **error)
{
  return !tsr_import_check_cancelled (r->cancellable, error);
}

static gboolean
read_note_refs (Reader      *r,
                xmlNodePtr   node,
                GPtrArray   *into,
                GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "NoteRef"))
      {
        char *guid = refer (r, child, "targetGUID", KIND_NOTE, TRUE, error);

        if (guid == NULL)
          return FALSE;
        if (into != NULL)
          g_ptr_array_add (into, guid);
        else
          g_free (guid);
      }
  return TRUE;
}

static gboolean
read_value (Reader      *r,
            xmlNodePtr   node,
            GPtrArray   *into,
            GError     **error)
{
  RefiValue *value;
  xmlNodePtr ref = NULL;
  xmlNodePtr data = NULL;

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "VariableRef"))
      ref = child;
    else if (is_el (child, NULL) && g_str_has_suffix ((const char *) child->name, "Value"))
      data = child;
  if (ref == NULL)
    {
      set_damaged (r, error, _("the VariableValue on line %d names no variable"), node->line);
      return FALSE;
    }
  value = g_new0 (RefiValue, 1);
  g_ptr_array_add (into, value);
  if (!(value->variable = refer (r, ref, "targetGUID", KIND_VARIABLE, TRUE, error)))
    return FALSE;
  value->value = data != NULL ? content (data) : NULL;
  return TRUE;
}

static gboolean
read_code (Reader      *r,
           xmlNodePtr   node,
           GPtrArray   *into,
           guint        depth,
           GError     **error)
{
  RefiCode *code;
  g_autofree char *color = NULL;

  if (depth > REFI_MAX_DEPTH)
    {
      set_damaged (r, error, _("codes are nested more than %d deep (line %d)"), REFI_MAX_DEPTH, node->line);
      return FALSE;
    }
  code = g_new0 (RefiCode, 1);
  code->note_refs = g_ptr_array_new_with_free_func (g_free);
  code->children = g_ptr_array_new_with_free_func (code_free);
  code->line = node->line;
  g_ptr_array_add (into, code);
  r->project->n_all_codes++;

  if (!(code->guid = take_guid (r, node, KIND_CODE, TRUE, error)))
    return FALSE;
  code->name = attr (node, "name");
  color = attr (node, "color");
  if (color != NULL)
    code->color = _tsr_refi_color_normalize (g_strstrip (color));
  code->description = child_text (node, "Description");
  if (!read_note_refs (r, node, code->note_refs, error))
    return FALSE;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Code") && !read_code (r, child, code->children, depth + 1, error))
      return FALSE;
  return TRUE;
}

static gboolean
read_coding (Reader      *r,
             xmlNodePtr   node,
             GPtrArray   *into,
             GError     **error)
{
  RefiCoding *coding = g_new0 (RefiCoding, 1);
  xmlNodePtr ref = NULL;
  g_autofree char *created = NULL;

  coding->note_refs = g_ptr_array_new_with_free_func (g_free);
  if (into != NULL)
    g_ptr_array_add (into, coding);

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "CodeRef"))
      ref = child;

  if (!(coding->guid = take_guid (r, node, KIND_CODING, into != NULL, error)) ||
      !refer_user (r, node, "creatingUser", &coding->user, error) ||
      !read_note_refs (r, node, coding->note_refs, error))
    goto fail;
  if (ref == NULL)
    {
      set_damaged (r, error, _("the Coding on line %d names no code"), node->line);
      goto fail;
    }
  if (!(coding->code = refer (r, ref, "targetGUID", KIND_CODE, TRUE, error)))
    goto fail;
  created = attr (node, "creationDateTime");
  coding->created = _tsr_refi_parse_time (created, 0);
  if (into == NULL)
    coding_free (coding);
  return TRUE;

fail:
  if (into == NULL)
    coding_free (coding);
  return FALSE;
}

static gboolean
read_selection (Reader      *r,
                xmlNodePtr   node,
                RefiSource  *source,
                GError     **error)
{
  RefiSelection *selection = g_new0 (RefiSelection, 1);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *created = NULL;
  char *tail = NULL;

  selection->codings = g_ptr_array_new_with_free_func (coding_free);
  selection->note_refs = g_ptr_array_new_with_free_func (g_free);
  selection->line = node->line;
  g_ptr_array_add (source->selections, selection);
  r->project->n_text_selections++;

  if (!(selection->guid = take_guid (r, node, KIND_SELECTION, TRUE, error)) ||
      !refer_user (r, node, "creatingUser", &selection->user, error) ||
      !refer_user (r, node, "modifyingUser", NULL, error))
    return FALSE;
  selection->name = attr (node, "name");
  start = attr (node, "startPosition");
  end = attr (node, "endPosition");
  if (start != NULL)
    selection->start = g_ascii_strtoll (g_strstrip (start), &tail, 10);
  if (start == NULL || *start == '\0' || *tail != '\0' || selection->start < 0 || selection->start > G_MAXINT32)
    {
      set_damaged (r, error, _("the PlainTextSelection on line %d has no start position"), node->line);
      return FALSE;
    }
  if (end != NULL)
    selection->end = g_ascii_strtoll (g_strstrip (end), &tail, 10);
  if (end == NULL || *end == '\0' || *tail != '\0' || selection->end < 0 || selection->end > G_MAXINT32)
    {
      set_damaged (r, error, _("the PlainTextSelection on line %d has no end position"), node->line);
      return FALSE;
    }
  created = attr (node, "creationDateTime");
  selection->created = _tsr_refi_parse_time (created, 0);
  selection->description = child_text (node, "Description");
  if (!read_note_refs (r, node, selection->note_refs, error))
    return FALSE;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Coding"))
      {
        if (!read_coding (r, child, selection->codings, error))
          return FALSE;
        r->project->n_codings++;
      }
  return TRUE;
}

/* A TextSource, a PDF's Representation or a Note's text: where it is. */
static void
read_text_location (xmlNodePtr   node,
                    char       **path,
                    char       **text)
{
  g_autofree char *p = attr (node, "plainTextPath");

  *text = child_text (node, "PlainTextContent");
  *path = (p != NULL && g_strstrip (p)[0] != '\0') ? g_steal_pointer (&p) : NULL;
}

static RefiSource *
read_text_source (Reader          *r,
                  xmlNodePtr       node,
                  xmlNodePtr       text_node,
                  RefiSourceKind   kind,
                  GError         **error)
{
  RefiSource *source = g_new0 (RefiSource, 1);
  g_autofree char *created = NULL;

  source->kind = kind;
  source->node = node;
  source->selections = g_ptr_array_new_with_free_func (selection_free);
  source->note_refs = g_ptr_array_new_with_free_func (g_free);
  source->values = g_ptr_array_new_with_free_func (value_free);
  source->line = text_node->line;
  g_ptr_array_add (r->project->sources, source);

  if (!(source->guid = take_guid (r, text_node, KIND_SOURCE, TRUE, error)) ||
      !refer_user (r, node, "creatingUser", &source->user, error) ||
      !refer_user (r, node, "modifyingUser", NULL, error))
    return NULL;
  source->name = attr (node, "name");
  created = attr (node, "creationDateTime");
  source->created = _tsr_refi_parse_time (created, 0);
  source->description = child_text (node, "Description");
  read_text_location (text_node, &source->path, &source->content);
  source->has_rich_text = xmlHasProp (text_node, (const xmlChar *) "richTextPath") != NULL;

  if (!read_note_refs (r, node, source->note_refs, error))
    return NULL;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "VariableValue") && !read_value (r, child, source->values, error))
      return NULL;
  for (xmlNodePtr child = text_node->children; child != NULL; child = child->next)
    {
      if (is_el (child, "PlainTextSelection"))
        {
          if (!read_selection (r, child, source, error))
            return NULL;
        }
      else if (is_el (child, "Coding"))
        {
          /* A code applied to the whole source: Tessera codes passages. */
          if (!read_coding (r, child, NULL, error))
            return NULL;
          source->n_source_codings++;
        }
    }
  if (kind == REFI_SOURCE_TEXT)
    r->project->n_text_sources++;
  return source;
}

/* Checks the GUIDs and references inside an element Tessera keeps
 * without reading, and counts its selections. */
static gboolean
walk_kept (Reader      *r,
           xmlNodePtr   node,
           xmlNodePtr   skip,
           guint        depth,
           GError     **error)
{
  if (depth > REFI_MAX_DEPTH)
    {
      set_damaged (r, error, _("elements are nested more than %d deep (line %d)"), REFI_MAX_DEPTH, node->line);
      return FALSE;
    }
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      const char *name;

      if (!is_el (child, NULL) || child == skip)
        continue;
      name = (const char *) child->name;
      if (xmlHasProp (child, (const xmlChar *) "guid"))
        {
          g_autofree char *guid = take_guid (r, child, g_str_equal (name, "Coding") ? KIND_CODING : KIND_OTHER,
                                             FALSE, error);
          if (guid == NULL)
            return FALSE;
        }
      if (g_str_has_suffix (name, "Selection"))
        r->project->n_kept_selections++;
      if (g_str_equal (name, "CodeRef"))
        {
          g_autofree char *guid = refer (r, child, "targetGUID", KIND_CODE, TRUE, error);
          if (guid == NULL)
            return FALSE;
        }
      else if (g_str_equal (name, "NoteRef"))
        {
          g_autofree char *guid = refer (r, child, "targetGUID", KIND_NOTE, TRUE, error);
          if (guid == NULL)
            return FALSE;
        }
      else if (g_str_equal (name, "VariableRef"))
        {
          g_autofree char *guid = refer (r, child, "targetGUID", KIND_VARIABLE, TRUE, error);
          if (guid == NULL)
            return FALSE;
        }
      if (!refer_user (r, child, "creatingUser", NULL, error) ||
          !refer_user (r, child, "modifyingUser", NULL, error) ||
          !walk_kept (r, child, NULL, depth + 1, error))
        return FALSE;
    }
  return TRUE;
}

static xmlNodePtr
keep_node (RefiProject *project,
           xmlNodePtr   node,
           guint        section)
{
  xmlNodePtr copy;

  if (project->kept_doc == NULL)
    {
      xmlNodePtr root;
      xmlNsPtr ns;

      project->kept_doc = xmlNewDoc ((const xmlChar *) "1.0");
      root = xmlNewDocNode (project->kept_doc, NULL, (const xmlChar *) "Kept", NULL);
      ns = xmlNewNs (root, (const xmlChar *) REFI_PROJECT_NS, NULL);
      xmlSetNs (root, ns);
      xmlDocSetRootElement (project->kept_doc, root);
    }
  if (project->kept_sections[section] == NULL)
    {
      xmlNodePtr root = xmlDocGetRootElement (project->kept_doc);

      project->kept_sections[section] = xmlNewChild (root, root->ns,
                                                     (const xmlChar *) kept_section_names[section], NULL);
    }
  copy = xmlDocCopyNode (node, project->kept_doc, 1);
  xmlAddChild (project->kept_sections[section], copy);
  return copy;
}

static xmlNodePtr
keep (Reader     *r,
      xmlNodePtr  node,
      guint       section)
{
  return keep_node (r->project, node, section);
}

void
_tsr_refi_project_keep_source (RefiProject *project,
                               RefiSource  *source,
                               gboolean     text_came_in)
{
  if (source->kind == REFI_SOURCE_TEXT)
    {
      if (!text_came_in)
        {
          keep_node (project, source->node, KEPT_SOURCES);
          project->n_kept_texts++;
        }
      return;
    }
  if (source->kept == NULL || !text_came_in)
    return;
  for (xmlNodePtr child = source->kept->children; child != NULL;)
    {
      xmlNodePtr next = child->next;

      if (is_el (child, "Representation"))
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      child = next;
    }
}

char *
_tsr_refi_project_dump_kept (RefiProject *project)
{
  xmlChar *dump = NULL;
  int size = 0;
  char *text;

  if (project->kept_doc == NULL)
    return NULL;
  xmlReconciliateNs (project->kept_doc, xmlDocGetRootElement (project->kept_doc));
  xmlDocDumpMemoryEnc (project->kept_doc, &dump, &size, "UTF-8");
  text = g_strndup ((const char *) dump, size);
  xmlFree (dump);
  return text;
}

static gboolean
read_other_source (Reader      *r,
                   xmlNodePtr   node,
                   GError     **error)
{
  const char *name = (const char *) node->name;
  g_autofree char *guid = take_guid (r, node, KIND_SOURCE, TRUE, error);

  if (guid == NULL ||
      !refer_user (r, node, "creatingUser", NULL, error) ||
      !refer_user (r, node, "modifyingUser", NULL, error))
    return FALSE;

  if (g_str_equal (name, "PDFSource"))
    {
      xmlNodePtr representation = NULL;
      xmlNodePtr copy;

      for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        if (is_el (child, "Representation"))
          representation = child;

      /* The PDF's text is a document; its regions are kept (and its
       * text too, until the importer knows the text came in). */
      if (!walk_kept (r, node, representation, 0, error))
        return FALSE;
      copy = keep (r, node, KEPT_SOURCES);
      if (representation != NULL)
        {
          RefiSource *source = read_text_source (r, node, representation, REFI_SOURCE_PDF, error);

          if (source == NULL)
            return FALSE;
          source->kept = copy;
        }
      r->project->n_kept_pdfs++;
      return TRUE;
    }

  if (!walk_kept (r, node, NULL, 0, error))
    return FALSE;
  keep (r, node, KEPT_SOURCES);
  if (g_str_equal (name, "PictureSource"))
    r->project->n_kept_pictures++;
  else if (g_str_equal (name, "AudioSource"))
    r->project->n_kept_audio++;
  else
    r->project->n_kept_video++;
  return TRUE;
}

static gboolean
read_sources (Reader      *r,
              xmlNodePtr   node,
              GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (!check_cancelled (r, error))
        return FALSE;
      if (is_el (child, "TextSource"))
        {
          if (read_text_source (r, child, child, REFI_SOURCE_TEXT, error) == NULL)
            return FALSE;
        }
      else if (is_el (child, "PDFSource") || is_el (child, "PictureSource") ||
               is_el (child, "AudioSource") || is_el (child, "VideoSource"))
        {
          if (!read_other_source (r, child, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_notes (Reader      *r,
            xmlNodePtr   node,
            GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Note"))
      {
        RefiNote *note = g_new0 (RefiNote, 1);
        g_autofree char *created = NULL;

        guint n_kept_selections = r->project->n_kept_selections;

        note->line = child->line;
        g_ptr_array_add (r->project->notes, note);
        if (!(note->guid = take_guid (r, child, KIND_NOTE, TRUE, error)) ||
            !refer_user (r, child, "creatingUser", &note->user, error) ||
            !refer_user (r, child, "modifyingUser", NULL, error) ||
            !walk_kept (r, child, NULL, 0, error))
          return FALSE;
        /* A note's own coding is not kept: only sources' is counted. */
        r->project->n_kept_selections = n_kept_selections;
        note->name = attr (child, "name");
        note->description = child_text (child, "Description");
        read_text_location (child, &note->path, &note->content);
        created = attr (child, "creationDateTime");
        note->created = _tsr_refi_parse_time (created, 0);
      }
  return TRUE;
}

static gboolean
read_cases (Reader      *r,
            xmlNodePtr   node,
            GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Case"))
      {
        RefiCase *c = g_new0 (RefiCase, 1);

        c->sources = g_ptr_array_new_with_free_func (g_free);
        c->values = g_ptr_array_new_with_free_func (value_free);
        c->line = child->line;
        g_ptr_array_add (r->project->cases, c);
        if (!(c->guid = take_guid (r, child, KIND_CASE, TRUE, error)))
          return FALSE;
        c->name = attr (child, "name");
        c->description = child_text (child, "Description");
        for (xmlNodePtr item = child->children; item != NULL; item = item->next)
          {
            char *guid = NULL;

            if (is_el (item, "SourceRef"))
              {
                if (!(guid = refer (r, item, "targetGUID", KIND_SOURCE, TRUE, error)))
                  return FALSE;
                g_ptr_array_add (c->sources, guid);
              }
            else if (is_el (item, "CodeRef") || is_el (item, "SelectionRef"))
              {
                if (!(guid = refer (r, item, "targetGUID", is_el (item, "CodeRef") ? KIND_CODE : KIND_ANY,
                                    TRUE, error)))
                  return FALSE;
                g_free (guid);
                c->n_other_refs++;
              }
            else if (is_el (item, "VariableValue") && !read_value (r, item, c->values, error))
              return FALSE;
          }
      }
  return TRUE;
}

static gboolean
read_sets (Reader      *r,
           xmlNodePtr   node,
           GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Set"))
      {
        g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
        gboolean has_sources = FALSE;
        char *guid;

        for (xmlNodePtr item = child->children; item != NULL; item = item->next)
          {
            char *target;

            if (is_el (item, "MemberCode"))
              {
                if (!(target = refer (r, item, "targetGUID", KIND_CODE, TRUE, error)))
                  return FALSE;
                g_ptr_array_add (codes, target);
              }
            else if (is_el (item, "MemberSource"))
              {
                if (!(target = refer (r, item, "targetGUID", KIND_SOURCE, TRUE, error)))
                  return FALSE;
                g_free (target);
                has_sources = TRUE;
              }
            else if (is_el (item, "MemberNote"))
              {
                if (!(target = refer (r, item, "targetGUID", KIND_NOTE, TRUE, error)))
                  return FALSE;
                g_ptr_array_add (notes, target);
              }
          }

        /* A set of codes is a theme; a set holding sources is kept. */
        if (!(guid = take_guid (r, child, has_sources ? KIND_SET : KIND_CODE_SET, TRUE, error)))
          return FALSE;
        if (has_sources)
          {
            g_free (guid);
            keep (r, child, KEPT_SETS);
            r->project->n_kept_sets++;
          }
        else
          {
            RefiSet *set = g_new0 (RefiSet, 1);

            set->guid = guid;
            set->name = attr (child, "name");
            set->description = child_text (child, "Description");
            set->codes = g_steal_pointer (&codes);
            set->notes = g_steal_pointer (&notes);
            g_ptr_array_add (r->project->sets, set);
          }
      }
  return TRUE;
}

static gboolean
read_links (Reader      *r,
            xmlNodePtr   node,
            GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Link"))
      {
        g_autofree char *guid = take_guid (r, child, KIND_LINK, TRUE, error);
        g_autofree char *origin = NULL;
        g_autofree char *target = NULL;

        if (guid == NULL ||
            (xmlHasProp (child, (const xmlChar *) "originGUID") &&
             !(origin = refer (r, child, "originGUID", KIND_ANY, TRUE, error))) ||
            (xmlHasProp (child, (const xmlChar *) "targetGUID") &&
             !(target = refer (r, child, "targetGUID", KIND_ANY, TRUE, error))) ||
            !read_note_refs (r, child, NULL, error))
          return FALSE;
        keep (r, child, KEPT_LINKS);
        r->project->n_kept_links++;
      }
  return TRUE;
}

static gboolean
read_graphs (Reader      *r,
             xmlNodePtr   node,
             GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Graph"))
      {
        g_autoptr(GHashTable) vertices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        g_autofree char *guid = take_guid (r, child, KIND_GRAPH, TRUE, error);

        if (guid == NULL)
          return FALSE;
        for (xmlNodePtr item = child->children; item != NULL; item = item->next)
          if (is_el (item, "Vertex"))
            {
              char *vertex = take_guid (r, item, KIND_VERTEX, TRUE, error);

              if (vertex == NULL)
                return FALSE;
              g_hash_table_add (vertices, vertex);
              if (xmlHasProp (item, (const xmlChar *) "representedGUID"))
                {
                  g_autofree char *represented = refer (r, item, "representedGUID", KIND_ANY, TRUE, error);
                  if (represented == NULL)
                    return FALSE;
                }
            }
        for (xmlNodePtr item = child->children; item != NULL; item = item->next)
          if (is_el (item, "Edge"))
            {
              g_autofree char *edge = take_guid (r, item, KIND_OTHER, TRUE, error);
              g_autofree char *source = NULL;
              g_autofree char *target = NULL;

              if (edge == NULL ||
                  !(source = refer (r, item, "sourceVertex", KIND_VERTEX, TRUE, error)) ||
                  !(target = refer (r, item, "targetVertex", KIND_VERTEX, TRUE, error)))
                return FALSE;
              if (!g_hash_table_contains (vertices, source) || !g_hash_table_contains (vertices, target))
                {
                  set_damaged (r, error, _("the Edge on line %d joins a vertex of another graph"), item->line);
                  return FALSE;
                }
              if (xmlHasProp (item, (const xmlChar *) "representedGUID"))
                {
                  g_autofree char *represented = refer (r, item, "representedGUID", KIND_ANY, TRUE, error);
                  if (represented == NULL)
                    return FALSE;
                }
            }
        g_ptr_array_add (r->graphs, child);
      }
  return TRUE;
}

static Kind
kind_of (Reader     *r,
         const char *guid)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (r->known, guid, NULL, &value))
    return KIND_ANY;
  return GPOINTER_TO_INT (value);
}

static const char *
kind_name (Kind kind)
{
  switch (kind)
    {
    case KIND_USER: return _("user");
    case KIND_CODE: return _("code");
    case KIND_VARIABLE: return _("variable");
    case KIND_SOURCE: return _("source");
    case KIND_NOTE: return _("note");
    case KIND_VERTEX: return _("vertex");
    default: return _("element");
    }
}

static gboolean
check_references (Reader  *r,
                  GError **error)
{
  for (guint i = 0; i < r->references->len; i++)
    {
      Reference *ref = &g_array_index (r->references, Reference, i);
      gpointer value;
      Kind kind;

      if (!g_hash_table_lookup_extended (r->known, ref->guid, NULL, &value))
        {
          /* Translators: "the CodeRef on line 12 refers to the code
           * {guid}, which the file does not hold" */
          set_damaged (r, error, _("the %s on line %d refers to the %s %s, which the file does not hold"),
                       ref->element, ref->line, kind_name (ref->kind), ref->guid);
          return FALSE;
        }
      kind = GPOINTER_TO_INT (value);
      if (kind == KIND_CODE_SET || kind == KIND_SET)
        kind = KIND_SET;
      if (ref->kind != KIND_ANY && kind != ref->kind)
        {
          set_damaged (r, error, _("the %s on line %d refers to %s as a %s, but it is another kind of element"),
                       ref->element, ref->line, ref->guid, kind_name (ref->kind));
          return FALSE;
        }
    }
  return TRUE;
}

/* The first graph whose vertices show codes or themes gives the map's
 * positions; a graph showing nothing else is the map itself and is not
 * kept (it is written anew on export), any other graph is kept whole. */
static void
decide_graphs (Reader *r)
{
  gboolean have_map = FALSE;

  for (guint i = 0; i < r->graphs->len; i++)
    {
      xmlNodePtr graph = r->graphs->pdata[i];
      g_autoptr(GHashTable) vertex_targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      guint n_vertices = 0;
      guint n_mapped = 0;
      gboolean only_map = TRUE;

      for (xmlNodePtr item = graph->children; item != NULL; item = item->next)
        if (is_el (item, "Vertex"))
          {
            g_autofree char *raw = attr (item, "representedGUID");
            g_autofree char *represented = raw != NULL ? _tsr_refi_guid_normalize (g_strstrip (raw)) : NULL;
            Kind kind = represented != NULL ? kind_of (r, represented) : KIND_ANY;
            g_autofree char *vertex_raw = attr (item, "guid");

            n_vertices++;
            if (kind == KIND_CODE || kind == KIND_CODE_SET)
              {
                n_mapped++;
                g_hash_table_insert (vertex_targets, _tsr_refi_guid_normalize (g_strstrip (vertex_raw)),
                                     g_strdup (represented));
              }
            else
              only_map = FALSE;
          }

      if (!have_map && n_mapped > 0)
        {
          have_map = TRUE;
          for (xmlNodePtr item = graph->children; item != NULL; item = item->next)
            if (is_el (item, "Vertex"))
              {
                g_autofree char *vertex_raw = attr (item, "guid");
                g_autofree char *vertex = _tsr_refi_guid_normalize (g_strstrip (vertex_raw));
                const char *represented = g_hash_table_lookup (vertex_targets, vertex);
                g_autofree char *x = attr (item, "firstX");
                g_autofree char *y = attr (item, "firstY");
                RefiVertex *v;

                if (represented == NULL)
                  continue;
                v = g_new0 (RefiVertex, 1);
                v->represented = g_strdup (represented);
                v->x = x != NULL ? g_ascii_strtod (x, NULL) : 0;
                v->y = y != NULL ? g_ascii_strtod (y, NULL) : 0;
                g_ptr_array_add (r->project->vertices, v);
              }
            else if (is_el (item, "Edge"))
              {
                g_autofree char *source_raw = attr (item, "sourceVertex");
                g_autofree char *target_raw = attr (item, "targetVertex");
                g_autofree char *source = _tsr_refi_guid_normalize (g_strstrip (source_raw));
                g_autofree char *target = _tsr_refi_guid_normalize (g_strstrip (target_raw));
                const char *from = g_hash_table_lookup (vertex_targets, source);
                const char *to = g_hash_table_lookup (vertex_targets, target);
                RefiEdge *edge;

                if (from == NULL || to == NULL || kind_of (r, from) != KIND_CODE_SET ||
                    kind_of (r, to) != KIND_CODE_SET)
                  continue;
                edge = g_new0 (RefiEdge, 1);
                edge->guid = attr (item, "guid");
                {
                  char *normalized = _tsr_refi_guid_normalize (g_strstrip (edge->guid));

                  g_free (edge->guid);
                  edge->guid = normalized;
                }
                edge->from = g_strdup (from);
                edge->to = g_strdup (to);
                edge->name = attr (item, "name");
                g_ptr_array_add (r->project->edges, edge);
              }
          if (only_map && n_vertices > 0)
            continue;
        }
      keep (r, graph, KEPT_GRAPHS);
      r->project->n_kept_graphs++;
    }
}

static gboolean
read_users (Reader      *r,
            xmlNodePtr   node,
            GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "User"))
      {
        RefiUser *user = g_new0 (RefiUser, 1);

        g_ptr_array_add (r->project->users, user);
        if (!(user->guid = take_guid (r, child, KIND_USER, TRUE, error)))
          return FALSE;
        user->name = attr (child, "name");
        user->id = attr (child, "id");
      }
  return TRUE;
}

static gboolean
read_variables (Reader      *r,
                xmlNodePtr   node,
                GError     **error)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_el (child, "Variable"))
      {
        RefiVariable *variable = g_new0 (RefiVariable, 1);

        g_ptr_array_add (r->project->variables, variable);
        if (!(variable->guid = take_guid (r, child, KIND_VARIABLE, TRUE, error)))
          return FALSE;
        variable->name = attr (child, "name");
        variable->type = attr (child, "typeOfVariable");
        variable->description = child_text (child, "Description");
      }
  return TRUE;
}

static void
reference_clear (gpointer data)
{
  Reference *ref = data;

  g_free (ref->guid);
  g_free (ref->element);
}

/**
 * _tsr_refi_project_read:
 *
 * Reads a project.qde (see tsr-refi-private.h).
 */
RefiProject *
_tsr_refi_project_read (GBytes        *qde,
                        const char    *display_name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(RefiProject) project = project_new ();
  g_autoptr(GHashTable) guids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) references = g_array_new (FALSE, FALSE, sizeof (Reference));
  g_autoptr(GPtrArray) graphs = g_ptr_array_new ();
  Reader r = { 0, };
  xmlDocPtr doc;
  xmlNodePtr root;
  gboolean ok = TRUE;

  g_return_val_if_fail (qde != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  g_array_set_clear_func (references, reference_clear);
  doc = tsr_xml_parse (qde, "project.qde", display_name, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (!is_el (root, "Project"))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("“%s” is not a REFI-QDA project: its project.qde holds no Project in %s"),
                   display_name, REFI_PROJECT_NS);
      xmlFreeDoc (doc);
      return NULL;
    }

  r.display_name = display_name;
  r.project = project;
  r.guids = guids;
  r.known = known;
  r.references = references;
  r.graphs = graphs;
  r.cancellable = cancellable;

  project->name = attr (root, "name");
  project->origin = attr (root, "origin");
  {
    g_autofree char *creator = attr (root, "creatingUserGUID");

    if (creator != NULL && _tsr_refi_guid_is_valid (g_strstrip (creator)))
      project->creating_user = _tsr_refi_guid_normalize (creator);
  }

  for (xmlNodePtr child = root->children; ok && child != NULL; child = child->next)
    {
      if (is_el (child, "Users"))
        ok = read_users (&r, child, error);
      else if (is_el (child, "CodeBook"))
        {
          for (xmlNodePtr codes = child->children; ok && codes != NULL; codes = codes->next)
            if (is_el (codes, "Codes"))
              for (xmlNodePtr code = codes->children; ok && code != NULL; code = code->next)
                if (is_el (code, "Code"))
                  ok = read_code (&r, code, project->codes, 0, error);
        }
      else if (is_el (child, "Variables"))
        ok = read_variables (&r, child, error);
      else if (is_el (child, "Cases"))
        ok = read_cases (&r, child, error);
      else if (is_el (child, "Sources"))
        ok = read_sources (&r, child, error);
      else if (is_el (child, "Notes"))
        ok = read_notes (&r, child, error);
      else if (is_el (child, "Links"))
        ok = read_links (&r, child, error);
      else if (is_el (child, "Sets"))
        ok = read_sets (&r, child, error);
      else if (is_el (child, "Graphs"))
        ok = read_graphs (&r, child, error);
      else if (is_el (child, "Description"))
        {
          g_free (project->description);
          project->description = content (child);
        }
      else if (is_el (child, "NoteRef"))
        {
          char *guid = refer (&r, child, "targetGUID", KIND_NOTE, TRUE, error);

          ok = guid != NULL;
          if (ok)
            g_ptr_array_add (project->note_refs, guid);
        }
    }
  if (ok)
    ok = check_references (&r, error);
  if (ok)
    decide_graphs (&r);

  /* The sources' elements stay where the importer can keep them. */
  project->doc = doc;
  if (!ok)
    return NULL;
  return g_steal_pointer (&project);
}
