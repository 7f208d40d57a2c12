/* tsr-import-html.c — the visible text of web pages and HTML exports
 *
 * libxml2's HTML parser builds the tree the way a browser would from
 * real-world markup (unclosed <p>, stray tags).  The walk keeps what a
 * reader sees on the page: block elements become paragraphs, list items
 * carry their bullet or number, tables become rows of tab-separated
 * cells, <br> a line break, and white space collapses as a browser
 * collapses it (except in <pre>).  Scripts, styles, the head, forms'
 * controls, media and anything marked hidden are left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

/* How far into the file a <meta charset> may be (the HTML standard's
 * pre-scan looks at 1024 bytes). */
#define CHARSET_SCAN_BYTES 1024

typedef struct
{
  char        style;       /* 0 for a bullet list */
  int         next;        /* the next item's number */
  xmlNodePtr  outermost;   /* the list this one is nested in, or itself */
} ListFrame;

typedef struct
{
  TsrTextBuilder *b;
  GArray         *lists;
  guint           pre_depth;
  gboolean        last_space;
} Html;

typedef enum
{
  KIND_INLINE,
  KIND_SKIP,
  KIND_BLOCK,
  KIND_LIST,
  KIND_ITEM,
  KIND_TABLE,
  KIND_ROW,
  KIND_CELL,
  KIND_BREAK,
  KIND_PRE,
} Kind;

static Kind
element_kind (const char *name)
{
  static const char * const skipped[] = {
    "head", "script", "style", "noscript", "template", "title", "svg", "iframe", "object",
    "embed", "canvas", "audio", "video", "select", "datalist", "option", "optgroup", "map",
    "area", "input", "textarea", "img", "picture", "source", "track", "meta", "link",
    "base", "frameset", "frame", "noframes", "param", "applet",
  };
  static const char * const blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "address", "article",
    "aside", "section", "header", "footer", "nav", "main", "figure", "figcaption",
    "details", "summary", "dd", "dt", "hr", "form", "fieldset", "legend", "center",
    "caption", "body", "html", "hgroup", "search", "dialog",
  };

  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (g_ascii_strcasecmp (name, skipped[i]) == 0)
      return KIND_SKIP;
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (g_ascii_strcasecmp (name, blocks[i]) == 0)
      return KIND_BLOCK;
  if (g_ascii_strcasecmp (name, "ul") == 0 || g_ascii_strcasecmp (name, "ol") == 0 ||
      g_ascii_strcasecmp (name, "menu") == 0 || g_ascii_strcasecmp (name, "dir") == 0)
    return KIND_LIST;
  if (g_ascii_strcasecmp (name, "li") == 0)
    return KIND_ITEM;
  if (g_ascii_strcasecmp (name, "table") == 0)
    return KIND_TABLE;
  if (g_ascii_strcasecmp (name, "tr") == 0)
    return KIND_ROW;
  if (g_ascii_strcasecmp (name, "td") == 0 || g_ascii_strcasecmp (name, "th") == 0)
    return KIND_CELL;
  if (g_ascii_strcasecmp (name, "br") == 0)
    return KIND_BREAK;
  if (g_ascii_strcasecmp (name, "pre") == 0 || g_ascii_strcasecmp (name, "listing") == 0 ||
      g_ascii_strcasecmp (name, "xmp") == 0 || g_ascii_strcasecmp (name, "plaintext") == 0)
    return KIND_PRE;
  return KIND_INLINE;
}

static char *
attr (xmlNodePtr  node,
      const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *ret;

  if (value == NULL)
    return NULL;
  ret = g_strdup ((const char *) value);
  xmlFree (value);
  return ret;
}

static gboolean
is_hidden (xmlNodePtr node)
{
  g_autofree char *style = NULL;
  g_autoptr(GString) compact = NULL;

  if (xmlHasProp (node, (const xmlChar *) "hidden") != NULL)
    return TRUE;
  if (g_ascii_strcasecmp ((const char *) node->name, "dialog") == 0 &&
      xmlHasProp (node, (const xmlChar *) "open") == NULL)
    return TRUE;

  style = attr (node, "style");
  if (style == NULL)
    return FALSE;
  compact = g_string_new (NULL);
  for (const char *p = style; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, g_ascii_tolower (*p));
  return strstr (compact->str, "display:none") != NULL ||
         strstr (compact->str, "visibility:hidden") != NULL;
}

static int
parse_int (const char *s,
           int         fallback)
{
  char *end = NULL;
  gint64 v;

  if (s == NULL)
    return fallback;
  v = g_ascii_strtoll (s, &end, 10);
  if (end == s || v < -1000000 || v > 1000000)
    return fallback;
  return (int) v;
}

static void
append_text (Html       *h,
             const char *text)
{
  const char *run = text;

  if (h->pre_depth > 0)
    {
      tsr_text_builder_append (h->b, text, -1);
      h->last_space = FALSE;
      return;
    }

  /* A browser collapses runs of ASCII white space into one space and
   * drops it at the start of a line. */
  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
        {
          tsr_text_builder_append (h->b, run, p - run);
          if (!h->last_space)
            tsr_text_builder_append_c (h->b, ' ');
          h->last_space = TRUE;
          run = p + 1;
        }
      else
        h->last_space = FALSE;
    }
  tsr_text_builder_append (h->b, run, -1);
}

/* Returns whether to walk into @node. */
static gboolean
enter (Html       *h,
       xmlNodePtr  node)
{
  const char *name;

  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    {
      if (node->content != NULL)
        append_text (h, (const char *) node->content);
      return FALSE;
    }
  if (node->type != XML_ELEMENT_NODE && node->type != XML_DOCUMENT_NODE &&
      node->type != XML_HTML_DOCUMENT_NODE)
    return FALSE;
  if (node->type != XML_ELEMENT_NODE)
    return TRUE;

  name = (const char *) node->name;
  if (is_hidden (node))
    return FALSE;

  switch (element_kind (name))
    {
    case KIND_SKIP:
      return FALSE;

    case KIND_BLOCK:
    case KIND_PRE:
      tsr_text_builder_begin_paragraph (h->b);
      h->last_space = TRUE;
      if (element_kind (name) == KIND_PRE)
        h->pre_depth++;
      return TRUE;

    case KIND_LIST:
      {
        g_autofree char *type = attr (node, "type");
        g_autofree char *start = attr (node, "start");
        ListFrame frame = { 0, 1, node };

        if (g_ascii_strcasecmp (name, "ol") == 0)
          {
            frame.style = '1';
            if (type != NULL && strchr ("aAiI1", type[0]) != NULL && type[0] != '\0')
              frame.style = type[0];
            frame.next = parse_int (start, 1);
          }
        if (h->lists->len > 0)
          frame.outermost = g_array_index (h->lists, ListFrame, 0).outermost;
        g_array_append_val (h->lists, frame);
        return TRUE;
      }

    case KIND_ITEM:
      {
        g_autoptr(GString) label = g_string_new (NULL);
        g_autofree char *value = attr (node, "value");
        guint level = h->lists->len > 0 ? h->lists->len - 1 : 0;

        tsr_text_builder_begin_paragraph (h->b);
        h->last_space = TRUE;
        if (h->lists->len > 0)
          {
            ListFrame *frame = &g_array_index (h->lists, ListFrame, h->lists->len - 1);

            if (frame->style == 0)
              g_string_append (label, "•");
            else
              {
                frame->next = parse_int (value, frame->next);
                tsr_import_append_number (label, frame->next, frame->style);
                g_string_append_c (label, '.');
                frame->next++;
              }
          }
        else
          g_string_append (label, "•");
        tsr_text_builder_set_list_item (h->b, label->str, level,
                                        h->lists->len > 0
                                        ? g_array_index (h->lists, ListFrame, 0).outermost
                                        : NULL);
        return TRUE;
      }

    case KIND_TABLE:
      tsr_text_builder_begin_table (h->b);
      return TRUE;

    case KIND_ROW:
      tsr_text_builder_begin_row (h->b);
      return TRUE;

    case KIND_CELL:
      tsr_text_builder_begin_cell (h->b);
      h->last_space = TRUE;
      return TRUE;

    case KIND_BREAK:
      tsr_text_builder_append_c (h->b, '\n');
      h->last_space = TRUE;
      return FALSE;

    case KIND_INLINE:
    default:
      return TRUE;
    }
}

static void
leave (Html       *h,
       xmlNodePtr  node)
{
  if (node->type != XML_ELEMENT_NODE)
    return;

  switch (element_kind ((const char *) node->name))
    {
    case KIND_BLOCK:
    case KIND_ITEM:
    case KIND_PRE:
      tsr_text_builder_end_paragraph (h->b);
      h->last_space = TRUE;
      if (element_kind ((const char *) node->name) == KIND_PRE && h->pre_depth > 0)
        h->pre_depth--;
      break;

    case KIND_LIST:
      if (h->lists->len > 0)
        g_array_set_size (h->lists, h->lists->len - 1);
      break;

    case KIND_TABLE:
      tsr_text_builder_end_table (h->b);
      h->last_space = TRUE;
      break;

    case KIND_ROW:
      tsr_text_builder_end_row (h->b, TRUE);
      h->last_space = TRUE;
      break;

    case KIND_CELL:
      tsr_text_builder_end_cell (h->b);
      h->last_space = TRUE;
      break;

    case KIND_SKIP:
    case KIND_BREAK:
    case KIND_INLINE:
    default:
      break;
    }
}

/* Walks the tree without recursion: a page can nest deeper than the
 * stack would like. */
static void
walk (Html       *h,
      xmlNodePtr  root)
{
  xmlNodePtr node = root;

  while (node != NULL && !tsr_text_builder_is_full (h->b))
    {
      gboolean descend = enter (h, node);

      if (descend && node->children != NULL)
        {
          node = node->children;
          continue;
        }
      if (descend)
        leave (h, node);

      while (node != root && node->next == NULL)
        {
          node = node->parent;
          leave (h, node);
        }
      if (node == root)
        break;
      node = node->next;
    }
}

/* The encoding to read @data in, or %NULL to let libxml2 follow the
 * page's own declaration.  Undeclared pages are UTF-8 when they are valid
 * UTF-8 and Windows-1252 otherwise, as plain text files are; Latin-1 is
 * read as Windows-1252, as browsers do. */
static const char *
choose_encoding (const char *data,
                 gsize       length)
{
  g_autofree char *head = g_ascii_strdown (data ? data : "", data ? MIN (length, CHARSET_SCAN_BYTES) : 0);
  const char *charset;

  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
                      ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    return NULL;
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return "UTF-8";

  charset = strstr (head, "charset");
  if (charset != NULL)
    {
      charset += strlen ("charset");
      while (*charset == ' ' || *charset == '=' || *charset == '"' || *charset == '\'')
        charset++;
      if (g_str_has_prefix (charset, "iso-8859-1") || g_str_has_prefix (charset, "latin1") ||
          g_str_has_prefix (charset, "us-ascii") || g_str_has_prefix (charset, "windows-1252"))
        return "windows-1252";
      return NULL;
    }

  return g_utf8_validate_len (data, length, NULL) ? "UTF-8" : "windows-1252";
}

/**
 * tsr_html_extract:
 *
 * Returns: (transfer full): the visible text ("" if none), or %NULL with
 *   @error set
 */
char *
tsr_html_extract (const char  *data,
                  gsize        length,
                  gsize        max_bytes,
                  const char  *display_name,
                  GError     **error)
{
  Html h = { 0, };
  htmlDocPtr doc;
  char *text;

  if (length > G_MAXINT)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is too large to import"), display_name);
      return NULL;
    }

  tsr_xml_init ();
  doc = htmlReadMemory (data ? data : "", (int) length, NULL, choose_encoding (data, length),
                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
  if (doc == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The file “%s” cannot be read as a web page"), display_name);
      return NULL;
    }

  h.b = tsr_text_builder_new (max_bytes);
  h.lists = g_array_new (FALSE, TRUE, sizeof (ListFrame));
  h.last_space = TRUE;
  walk (&h, (xmlNodePtr) doc);

  if (tsr_text_builder_is_full (h.b))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” holds more than %u MB of text, more than one document "
                     "may hold. Split it into smaller files and import those."),
                   display_name, (guint) (max_bytes / (1024 * 1024)));
      text = NULL;
    }
  else
    text = tsr_text_builder_finish (h.b);

  tsr_text_builder_free (h.b);
  g_array_unref (h.lists);
  xmlFreeDoc (doc);
  return text;
}
