/* tsr-import-xml.c — safe XML reading for the office formats
 *
 * Every part of a DOCX, ODT or XLSX goes through here, so the rules hold
 * everywhere: no network (XML_PARSE_NONET), no entity substitution (no
 * XML_PARSE_NOENT), no external DTD (no XML_PARSE_DTDLOAD), and a part
 * with a document type declaration is refused outright — Office and
 * OpenDocument parts never carry one, while entity attacks need one.
 * libxml2's own depth and size limits stay on (no XML_PARSE_HUGE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

/* How often, in nodes, a long parse looks at its cancellable. */
#define CANCEL_CHECK_INTERVAL 4096

struct _TsrXmlReader
{
  xmlTextReaderPtr  reader;
  GBytes           *bytes;
  char             *part;
  char             *display_name;
  GCancellable     *cancellable;
  char             *error_message;
  int               error_line;
  guint             n_nodes;
};

static void
silence_generic_errors (void        *ctx,
                        const char  *msg,
                        ...)
{
}

/**
 * tsr_xml_init:
 *
 * Sets libxml2 up for the calling thread: its generic error handler is
 * per thread and would otherwise print parse errors on stderr.
 */
void
tsr_xml_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
  xmlSetGenericErrorFunc (NULL, silence_generic_errors);
}

gboolean
tsr_import_check_cancelled (GCancellable  *cancellable,
                            GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_CANCELLED, _("The import was cancelled"));
      return TRUE;
    }
  return FALSE;
}

static void
on_reader_error (void        *user_data,
                 xmlErrorPtr  error)
{
  TsrXmlReader *self = user_data;

  if (self->error_message != NULL || error == NULL || error->level < XML_ERR_ERROR)
    return;
  self->error_message = g_strstrip (g_strdup (error->message ? error->message : ""));
  self->error_line = error->line;
}

TsrXmlReader *
tsr_xml_reader_new (GBytes       *bytes,
                    const char   *part,
                    const char   *display_name,
                    GCancellable *cancellable)
{
  TsrXmlReader *self = g_new0 (TsrXmlReader, 1);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert (length <= G_MAXINT);

  tsr_xml_init ();
  self->bytes = g_bytes_ref (bytes);
  self->part = g_strdup (part);
  self->display_name = g_strdup (display_name);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  /* An empty part is not XML; libxml2 refuses a NULL buffer. */
  self->reader = xmlReaderForMemory (data ? data : "", (int) length, NULL, NULL,
                                     TSR_XML_PARSE_OPTIONS);
  if (self->reader != NULL)
    xmlTextReaderSetStructuredErrorHandler (self->reader, on_reader_error, self);
  return self;
}

void
tsr_xml_reader_free (TsrXmlReader *self)
{
  if (self == NULL)
    return;
  if (self->reader != NULL)
    xmlFreeTextReader (self->reader);
  g_bytes_unref (self->bytes);
  g_free (self->part);
  g_free (self->display_name);
  g_free (self->error_message);
  g_clear_object (&self->cancellable);
  g_free (self);
}

static void
set_doctype_error (const char  *display_name,
                   const char  *part,
                   GError     **error)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
               _("The file “%s” is damaged or unsafe: its part “%s” declares a document type "
                 "(and with it, perhaps, entities), which documents never do"),
               display_name, part);
}

gboolean
tsr_xml_reader_next (TsrXmlReader  *self,
                     gboolean       skip,
                     GError       **error)
{
  int r;

  if (self->reader == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The file “%s” is damaged: its part “%s” cannot be read"),
                   self->display_name, self->part);
      return FALSE;
    }

  r = skip ? xmlTextReaderNext (self->reader) : xmlTextReaderRead (self->reader);
  if (r == 1)
    {
      if (xmlTextReaderNodeType (self->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
        {
          set_doctype_error (self->display_name, self->part, error);
          return FALSE;
        }
      if (++self->n_nodes % CANCEL_CHECK_INTERVAL == 0 &&
          tsr_import_check_cancelled (self->cancellable, error))
        return FALSE;
      return TRUE;
    }

  if (r < 0 || self->error_message != NULL)
    {
      if (self->error_message != NULL && self->error_line > 0)
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                     _("The file “%s” is damaged: its part “%s” is not well-formed XML "
                       "(line %d: %s)"),
                     self->display_name, self->part, self->error_line, self->error_message);
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                     _("The file “%s” is damaged: its part “%s” is not well-formed XML"),
                     self->display_name, self->part);
    }
  return FALSE;
}

int
tsr_xml_reader_type (TsrXmlReader *self)
{
  return xmlTextReaderNodeType (self->reader);
}

int
tsr_xml_reader_depth (TsrXmlReader *self)
{
  return xmlTextReaderDepth (self->reader);
}

gboolean
tsr_xml_reader_is_empty (TsrXmlReader *self)
{
  return xmlTextReaderIsEmptyElement (self->reader) == 1;
}

const char *
tsr_xml_reader_local_name (TsrXmlReader *self)
{
  return (const char *) xmlTextReaderConstLocalName (self->reader);
}

const char *
tsr_xml_reader_namespace (TsrXmlReader *self)
{
  return (const char *) xmlTextReaderConstNamespaceUri (self->reader);
}

const char *
tsr_xml_reader_value (TsrXmlReader *self)
{
  return (const char *) xmlTextReaderConstValue (self->reader);
}

static gboolean
ns_matches (const char          *uri,
            const char * const  *ns)
{
  if (ns == NULL)
    return uri == NULL || *uri == '\0';
  if (uri == NULL)
    return FALSE;
  for (guint i = 0; ns[i] != NULL; i++)
    if (strcmp (uri, ns[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
tsr_xml_reader_is (TsrXmlReader        *self,
                   const char * const  *ns,
                   const char          *local)
{
  const char *name = tsr_xml_reader_local_name (self);

  return name != NULL && strcmp (name, local) == 0 &&
         ns_matches (tsr_xml_reader_namespace (self), ns);
}

char *
tsr_xml_reader_attr (TsrXmlReader        *self,
                     const char * const  *ns,
                     const char          *local)
{
  xmlChar *value = NULL;
  char *ret;

  if (ns == NULL)
    value = xmlTextReaderGetAttribute (self->reader, (const xmlChar *) local);
  else
    for (guint i = 0; ns[i] != NULL && value == NULL; i++)
      value = xmlTextReaderGetAttributeNs (self->reader, (const xmlChar *) local,
                                           (const xmlChar *) ns[i]);
  if (value == NULL)
    return NULL;
  ret = g_strdup ((const char *) value);
  xmlFree (value);
  return ret;
}

xmlNodePtr
tsr_xml_reader_expand (TsrXmlReader *self)
{
  return xmlTextReaderExpand (self->reader);
}

/**
 * tsr_xml_parse:
 *
 * Parses a small part (relationships, styles, numbering) into a tree.
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
xmlDocPtr
tsr_xml_parse (GBytes      *bytes,
               const char  *part,
               const char  *display_name,
               GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;

  g_assert (length <= G_MAXINT);
  tsr_xml_init ();

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("Out of memory"));
      return NULL;
    }
  doc = xmlCtxtReadMemory (ctxt, data ? data : "", (int) length, NULL, NULL, TSR_XML_PARSE_OPTIONS);

  if (doc != NULL && doc->intSubset != NULL)
    {
      set_doctype_error (display_name, part, error);
      xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }

  if (doc == NULL || !ctxt->wellFormed)
    {
      const xmlError *e = xmlCtxtGetLastError (ctxt);

      if (e != NULL && e->message != NULL && e->line > 0)
        {
          g_autofree char *message = g_strstrip (g_strdup (e->message));

          g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                       _("The file “%s” is damaged: its part “%s” is not well-formed XML "
                         "(line %d: %s)"),
                       display_name, part, e->line, message);
        }
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                     _("The file “%s” is damaged: its part “%s” is not well-formed XML"),
                     display_name, part);
      if (doc != NULL)
        xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }

  xmlFreeParserCtxt (ctxt);
  return doc;
}

gboolean
tsr_xml_node_is (xmlNodePtr           node,
                 const char * const  *ns,
                 const char          *local)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *) node->name, local) == 0 &&
         ns_matches (node->ns ? (const char *) node->ns->href : NULL, ns);
}

char *
tsr_xml_node_attr (xmlNodePtr           node,
                   const char * const  *ns,
                   const char          *local)
{
  xmlChar *value = NULL;
  char *ret;

  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return NULL;
  if (ns == NULL)
    value = xmlGetNoNsProp (node, (const xmlChar *) local);
  else
    for (guint i = 0; ns[i] != NULL && value == NULL; i++)
      value = xmlGetNsProp (node, (const xmlChar *) local, (const xmlChar *) ns[i]);
  if (value == NULL)
    return NULL;
  ret = g_strdup ((const char *) value);
  xmlFree (value);
  return ret;
}

xmlNodePtr
tsr_xml_node_child (xmlNodePtr           node,
                    const char * const  *ns,
                    const char          *local)
{
  if (node == NULL)
    return NULL;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (tsr_xml_node_is (child, ns, local))
      return child;
  return NULL;
}
