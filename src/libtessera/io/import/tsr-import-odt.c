/* tsr-import-odt.c — the text of OpenDocument text files (ODT, FODT)
 *
 * content.xml is read as a stream.  What the reader keeps, in reading
 * order: paragraphs and headings with ODF's white-space rules (runs of
 * spaces collapse unless written as <text:s/>), list items with the
 * label LibreOffice shows, tables as rows of tab-separated cells, text in
 * frames and shapes, and notes as "[citation]" with their text after the
 * body.
 *
 * Tracked changes are read as if accepted: LibreOffice keeps deleted
 * text only inside <text:tracked-changes>, which is skipped, while
 * insertions sit in the body between change marks.  Comments, generated
 * tables of contents and indexes, and hidden text are left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

static const char * const OFFICE[] = { "urn:oasis:names:tc:opendocument:xmlns:office:1.0", NULL };
static const char * const TEXT[] = { "urn:oasis:names:tc:opendocument:xmlns:text:1.0", NULL };
static const char * const TABLE[] = { "urn:oasis:names:tc:opendocument:xmlns:table:1.0", NULL };
static const char * const STYLE[] = { "urn:oasis:names:tc:opendocument:xmlns:style:1.0", NULL };
static const char * const DRAW[] = { "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", NULL };
static const char * const SVG[] = { "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0", NULL };
static const char * const XMLNS[] = { "http://www.w3.org/XML/1998/namespace", NULL };

#define MAX_LEVELS 10
/* The most cells one repeated table cell stands for. */
#define MAX_REPEAT 64

/* List styles ----------------------------------------------------------- */

typedef struct
{
  char   style;      /* as tsr_import_append_number(); 'b' a bullet */
  char  *prefix;
  char  *suffix;
  char  *bullet;
  int    start;
  int    display;    /* how many levels the label shows */
} ListLevel;

typedef struct
{
  ListLevel levels[MAX_LEVELS];
} ListStyle;

static void
list_style_free (gpointer data)
{
  ListStyle *s = data;

  for (guint i = 0; i < MAX_LEVELS; i++)
    {
      g_free (s->levels[i].prefix);
      g_free (s->levels[i].suffix);
      g_free (s->levels[i].bullet);
    }
  g_free (s);
}

/* The counters of one list, shared by its nested lists and by lists
 * that continue it. */
typedef struct
{
  int       counters[MAX_LEVELS];
  gboolean  started[MAX_LEVELS];
} ListCounters;

typedef struct
{
  char         *style;       /* borrowed from Odt.list_styles keys or NULL */
  int           level;
  ListCounters *counters;    /* owned by Odt.all_counters */
} ListFrame;

typedef struct
{
  const char     *display_name;
  GCancellable   *cancellable;
  TsrTextBuilder *b;

  GHashTable     *list_styles;        /* name → ListStyle */
  GHashTable     *paragraph_lists;    /* paragraph style → list style name */
  GHashTable     *paragraph_parents;  /* paragraph style → parent style */

  GArray         *lists;              /* of ListFrame */
  GPtrArray      *all_counters;
  ListCounters   *last_counters;      /* of the last top-level list */
  GHashTable     *list_ids;           /* xml:id → ListCounters */
  char           *pending_label;      /* for the next paragraph of an item */
  int             pending_level;
  ListCounters   *pending_list;
  gboolean        in_item;

  guint           paragraph_depth;
  gboolean        last_space;
  GArray          *cell_repeats;      /* of guint, one per open cell */
} Odt;

static int
parse_int (const char *s,
           int         fallback,
           int         max)
{
  char *end = NULL;
  gint64 v;

  if (s == NULL)
    return fallback;
  v = g_ascii_strtoll (s, &end, 10);
  if (end == s || v < 0 || v > max)
    return fallback;
  return (int) v;
}

static char
parse_num_format (const char *format)
{
  if (format == NULL || *format == '\0')
    return 0;
  switch (format[0])
    {
    case 'a': case 'A': case 'i': case 'I': case '1':
      return format[0];
    default:
      return '1';
    }
}

static void
read_list_style (Odt        *o,
                 xmlNodePtr  node)
{
  char *name = tsr_xml_node_attr (node, STYLE, "name");
  ListStyle *s;

  if (name == NULL)
    return;
  s = g_new0 (ListStyle, 1);
  for (guint i = 0; i < MAX_LEVELS; i++)
    {
      s->levels[i].style = 'b';
      s->levels[i].start = 1;
      s->levels[i].display = 1;
    }

  for (xmlNodePtr l = node->children; l != NULL; l = l->next)
    {
      g_autofree char *level_attr = NULL;
      ListLevel *level;
      int n;

      if (l->type != XML_ELEMENT_NODE)
        continue;
      level_attr = tsr_xml_node_attr (l, TEXT, "level");
      n = parse_int (level_attr, 0, MAX_LEVELS);
      if (n < 1)
        continue;
      level = &s->levels[n - 1];

      if (tsr_xml_node_is (l, TEXT, "list-level-style-number"))
        {
          g_autofree char *format = tsr_xml_node_attr (l, STYLE, "num-format");
          g_autofree char *start = tsr_xml_node_attr (l, TEXT, "start-value");
          g_autofree char *display = tsr_xml_node_attr (l, TEXT, "display-levels");

          level->style = parse_num_format (format);
          level->start = parse_int (start, 1, 1000000);
          level->display = CLAMP (parse_int (display, 1, MAX_LEVELS), 1, n);
          g_free (level->prefix);
          g_free (level->suffix);
          level->prefix = tsr_xml_node_attr (l, STYLE, "num-prefix");
          level->suffix = tsr_xml_node_attr (l, STYLE, "num-suffix");
        }
      else if (tsr_xml_node_is (l, TEXT, "list-level-style-bullet"))
        {
          level->style = 'b';
          g_free (level->bullet);
          level->bullet = tsr_xml_node_attr (l, TEXT, "bullet-char");
        }
      else if (tsr_xml_node_is (l, TEXT, "list-level-style-image"))
        level->style = 'b';
    }

  g_hash_table_replace (o->list_styles, name, s);
}

/* Reads the list styles and the paragraph styles' lists from a styles
 * container (office:styles, office:automatic-styles). */
static void
read_styles_container (Odt        *o,
                       xmlNodePtr  container)
{
  for (xmlNodePtr n = container ? container->children : NULL; n != NULL; n = n->next)
    {
      if (tsr_xml_node_is (n, TEXT, "list-style"))
        read_list_style (o, n);
      else if (tsr_xml_node_is (n, STYLE, "style"))
        {
          g_autofree char *family = tsr_xml_node_attr (n, STYLE, "family");
          g_autofree char *name = NULL;
          char *list = NULL;
          char *parent = NULL;

          if (g_strcmp0 (family, "paragraph") != 0)
            continue;
          name = tsr_xml_node_attr (n, STYLE, "name");
          if (name == NULL)
            continue;
          list = tsr_xml_node_attr (n, STYLE, "list-style-name");
          parent = tsr_xml_node_attr (n, STYLE, "parent-style-name");
          if (list != NULL)
            g_hash_table_replace (o->paragraph_lists, g_strdup (name), list);
          if (parent != NULL)
            g_hash_table_replace (o->paragraph_parents, g_strdup (name), parent);
        }
    }
}

static gboolean
read_styles_part (Odt      *o,
                  GBytes   *bytes,
                  GError  **error)
{
  xmlDocPtr doc = tsr_xml_parse (bytes, "styles.xml", o->display_name, error);
  xmlNodePtr root;

  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);
  for (xmlNodePtr n = root ? root->children : NULL; n != NULL; n = n->next)
    if (tsr_xml_node_is (n, OFFICE, "styles") || tsr_xml_node_is (n, OFFICE, "automatic-styles"))
      read_styles_container (o, n);
  xmlFreeDoc (doc);
  return TRUE;
}

/* Lists ----------------------------------------------------------------- */

static ListCounters *
new_counters (Odt *o)
{
  ListCounters *c = g_new0 (ListCounters, 1);

  g_ptr_array_add (o->all_counters, c);
  return c;
}

static void
begin_list (Odt          *o,
            TsrXmlReader *r)
{
  g_autofree char *style_name = tsr_xml_reader_attr (r, TEXT, "style-name");
  g_autofree char *continue_numbering = tsr_xml_reader_attr (r, TEXT, "continue-numbering");
  g_autofree char *continue_list = tsr_xml_reader_attr (r, TEXT, "continue-list");
  g_autofree char *xml_id = tsr_xml_reader_attr (r, XMLNS, "id");
  ListFrame frame = { NULL, 0, NULL };
  char *key = NULL;

  if (style_name != NULL && g_hash_table_lookup_extended (o->list_styles, style_name,
                                                          (gpointer *) &key, NULL))
    frame.style = key;

  if (o->lists->len > 0)
    {
      ListFrame *outer = &g_array_index (o->lists, ListFrame, o->lists->len - 1);

      frame.level = MIN (outer->level + 1, MAX_LEVELS - 1);
      frame.counters = outer->counters;
      if (frame.style == NULL)
        frame.style = outer->style;
    }
  else
    {
      if (continue_list != NULL)
        frame.counters = g_hash_table_lookup (o->list_ids, continue_list);
      if (frame.counters == NULL && g_strcmp0 (continue_numbering, "true") == 0)
        frame.counters = o->last_counters;
      if (frame.counters == NULL)
        frame.counters = new_counters (o);
      o->last_counters = frame.counters;
    }

  if (xml_id != NULL)
    g_hash_table_replace (o->list_ids, g_steal_pointer (&xml_id), frame.counters);

  g_array_append_val (o->lists, frame);
}

static void
end_list (Odt *o)
{
  if (o->lists->len > 0)
    g_array_set_size (o->lists, o->lists->len - 1);
}

/* The style of a list without one: its paragraph style's list. */
static const char *
paragraph_list_style (Odt        *o,
                      const char *paragraph_style)
{
  for (guint depth = 0; paragraph_style != NULL && depth < 32; depth++)
    {
      const char *list = g_hash_table_lookup (o->paragraph_lists, paragraph_style);

      if (list != NULL)
        return list;
      paragraph_style = g_hash_table_lookup (o->paragraph_parents, paragraph_style);
    }
  return NULL;
}

static void
begin_item (Odt          *o,
            TsrXmlReader *r,
            gboolean      header)
{
  g_autofree char *start_value = NULL;
  g_autoptr(GString) label = g_string_new (NULL);
  ListFrame *frame;
  ListStyle *style;
  ListLevel *level;
  int n;

  g_clear_pointer (&o->pending_label, g_free);
  o->in_item = TRUE;
  if (o->lists->len == 0)
    return;
  frame = &g_array_index (o->lists, ListFrame, o->lists->len - 1);
  n = frame->level;
  o->pending_level = n;
  o->pending_list = frame->counters;

  if (header)
    {
      o->pending_label = g_strdup ("");
      return;
    }

  style = frame->style ? g_hash_table_lookup (o->list_styles, frame->style) : NULL;
  level = style ? &style->levels[n] : NULL;

  for (int i = 0; i < MAX_LEVELS; i++)
    if (!frame->counters->started[i])
      frame->counters->counters[i] = style ? style->levels[i].start : 1;
  if (frame->counters->started[n])
    frame->counters->counters[n]++;
  frame->counters->started[n] = TRUE;
  for (int i = n + 1; i < MAX_LEVELS; i++)
    frame->counters->started[i] = FALSE;

  start_value = tsr_xml_reader_attr (r, TEXT, "start-value");
  if (start_value != NULL)
    frame->counters->counters[n] = parse_int (start_value, frame->counters->counters[n], 1000000);

  if (level == NULL || level->style == 'b')
    g_string_append (label, level && level->bullet && *level->bullet ? level->bullet : "•");
  else if (level->style != 0)
    {
      if (level->prefix)
        g_string_append (label, level->prefix);
      for (int i = n - level->display + 1; i <= n; i++)
        {
          if (i < n)
            {
              tsr_import_append_number (label, frame->counters->counters[i],
                                        style->levels[i].style == 'b' ? '1' : style->levels[i].style);
              g_string_append_c (label, '.');
            }
          else
            tsr_import_append_number (label, frame->counters->counters[i], level->style);
        }
      if (level->suffix)
        g_string_append (label, level->suffix);
    }
  o->pending_label = g_string_free (g_steal_pointer (&label), FALSE);
}

/* Body ----------------------------------------------------------------- */

static void
append_collapsed (Odt        *o,
                  const char *text)
{
  const char *run = text;

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        {
          tsr_text_builder_append (o->b, run, p - run);
          if (!o->last_space)
            tsr_text_builder_append_c (o->b, ' ');
          o->last_space = TRUE;
          run = p + 1;
        }
      else
        o->last_space = FALSE;
    }
  tsr_text_builder_append (o->b, run, -1);
}

static gboolean
skipped_element (TsrXmlReader *r)
{
  static const char * const text_names[] = {
    "tracked-changes", "table-of-content", "illustration-index", "alphabetical-index",
    "object-index", "user-index", "table-index", "bibliography", "sequence-decls",
    "variable-decls", "user-field-decls", "dde-connection-decls", "section-source",
    "bookmark", "bookmark-start", "bookmark-end", "reference-mark-start",
    "reference-mark-end", "soft-page-break", "change", "change-start", "change-end",
    "hidden-paragraph", "hidden-text",
  };
  const char *name = tsr_xml_reader_local_name (r);

  if (tsr_xml_reader_is (r, OFFICE, "annotation") || tsr_xml_reader_is (r, OFFICE, "annotation-end") ||
      tsr_xml_reader_is (r, OFFICE, "forms") || tsr_xml_reader_is (r, OFFICE, "scripts") ||
      tsr_xml_reader_is (r, OFFICE, "font-face-decls") || tsr_xml_reader_is (r, OFFICE, "meta") ||
      tsr_xml_reader_is (r, OFFICE, "settings") || tsr_xml_reader_is (r, OFFICE, "master-styles") ||
      tsr_xml_reader_is (r, TABLE, "table-columns") || tsr_xml_reader_is (r, TABLE, "table-column") ||
      tsr_xml_reader_is (r, DRAW, "image") || tsr_xml_reader_is (r, SVG, "title") ||
      tsr_xml_reader_is (r, SVG, "desc"))
    return TRUE;

  if (!tsr_xml_reader_is (r, TEXT, name))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (text_names); i++)
    if (strcmp (name, text_names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
set_full_error (Odt     *o,
                GError **error)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
               _("The file “%s” holds more than %u MB of text, more than one document "
                 "may hold. Split it into smaller files and import those."),
               o->display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
  return FALSE;
}

static void
begin_paragraph (Odt          *o,
                 TsrXmlReader *r)
{
  tsr_text_builder_begin_paragraph (o->b);
  o->paragraph_depth++;
  o->last_space = TRUE;

  if (o->pending_label != NULL)
    {
      tsr_text_builder_set_list_item (o->b, o->pending_label, o->pending_level, o->pending_list);
      /* Further paragraphs of the item are part of it, unlabelled. */
      g_free (o->pending_label);
      o->pending_label = g_strdup ("");
    }
  else if (o->lists->len > 0 && o->in_item)
    tsr_text_builder_set_list_item (o->b, "", o->pending_level, o->pending_list);
}

static void
end_paragraph (Odt *o)
{
  tsr_text_builder_end_paragraph (o->b);
  if (o->paragraph_depth > 0)
    o->paragraph_depth--;
  o->last_space = FALSE;
}

static gboolean
handle_start (Odt           *o,
              TsrXmlReader  *r,
              gboolean      *skip,
              GError       **error)
{
  gboolean empty = tsr_xml_reader_is_empty (r);

  if (skipped_element (r))
    {
      *skip = TRUE;
      return TRUE;
    }

  if (tsr_xml_reader_is (r, OFFICE, "automatic-styles") || tsr_xml_reader_is (r, OFFICE, "styles"))
    {
      read_styles_container (o, tsr_xml_reader_expand (r));
      *skip = TRUE;
    }
  else if (tsr_xml_reader_is (r, TEXT, "p") || tsr_xml_reader_is (r, TEXT, "h"))
    {
      begin_paragraph (o, r);
      if (o->lists->len > 0 && o->pending_label != NULL)
        {
          /* A list without a style of its own takes its paragraphs'. */
          ListFrame *frame = &g_array_index (o->lists, ListFrame, o->lists->len - 1);

          if (frame->style == NULL)
            {
              g_autofree char *pstyle = tsr_xml_reader_attr (r, TEXT, "style-name");
              const char *list = paragraph_list_style (o, pstyle);
              char *key = NULL;

              if (list != NULL && g_hash_table_lookup_extended (o->list_styles, list,
                                                                (gpointer *) &key, NULL))
                frame->style = key;
            }
        }
      if (empty)
        end_paragraph (o);
    }
  else if (tsr_xml_reader_is (r, TEXT, "s"))
    {
      g_autofree char *count = tsr_xml_reader_attr (r, TEXT, "c");
      int n = parse_int (count, 1, 1000);

      for (int i = 0; i < n; i++)
        tsr_text_builder_append_c (o->b, ' ');
      o->last_space = FALSE;
      *skip = TRUE;
    }
  else if (tsr_xml_reader_is (r, TEXT, "tab"))
    {
      tsr_text_builder_append_c (o->b, '\t');
      o->last_space = FALSE;
      *skip = TRUE;
    }
  else if (tsr_xml_reader_is (r, TEXT, "line-break"))
    {
      tsr_text_builder_append_c (o->b, '\n');
      o->last_space = TRUE;
      *skip = TRUE;
    }
  else if (tsr_xml_reader_is (r, TEXT, "note"))
    {
      g_autofree char *note_class = tsr_xml_reader_attr (r, TEXT, "note-class");
      xmlNodePtr note = tsr_xml_reader_expand (r);
      xmlNodePtr citation = tsr_xml_node_child (note, TEXT, "note-citation");
      xmlNodePtr body = tsr_xml_node_child (note, TEXT, "note-body");
      xmlChar *mark = citation ? xmlNodeGetContent (citation) : NULL;
      g_autofree char *mark_text = g_strstrip (g_strdup (mark ? (const char *) mark : ""));
      gboolean endnote = g_strcmp0 (note_class, "endnote") == 0;

      if (mark != NULL)
        xmlFree (mark);
      if (*mark_text == '\0')
        {
          g_free (mark_text);
          mark_text = g_strdup ("*");
        }
      tsr_text_builder_append_c (o->b, '[');
      tsr_text_builder_append (o->b, mark_text, -1);
      tsr_text_builder_append_c (o->b, ']');
      o->last_space = FALSE;

      /* The note's body is read from the expanded tree: the stream has
       * to skip it, and notes are short. */
      tsr_text_builder_begin_note (o->b, mark_text, endnote);
      for (xmlNodePtr p = body ? body->children : NULL; p != NULL; p = p->next)
        {
          xmlChar *content;

          if (!tsr_xml_node_is (p, TEXT, "p") && !tsr_xml_node_is (p, TEXT, "h") &&
              !tsr_xml_node_is (p, TEXT, "list"))
            continue;
          content = xmlNodeGetContent (p);
          tsr_text_builder_begin_paragraph (o->b);
          if (content != NULL)
            {
              g_auto(GStrv) words = g_strsplit_set ((const char *) content, " \t\n\r", -1);
              g_autoptr(GString) line = g_string_new (NULL);

              for (guint i = 0; words[i] != NULL; i++)
                if (*words[i] != '\0')
                  {
                    if (line->len > 0)
                      g_string_append_c (line, ' ');
                    g_string_append (line, words[i]);
                  }
              tsr_text_builder_append (o->b, line->str, line->len);
              xmlFree (content);
            }
          tsr_text_builder_end_paragraph (o->b);
        }
      tsr_text_builder_end_note (o->b);
      *skip = TRUE;
    }
  else if (tsr_xml_reader_is (r, TEXT, "list"))
    {
      begin_list (o, r);
      if (empty)
        end_list (o);
    }
  else if (tsr_xml_reader_is (r, TEXT, "list-item") || tsr_xml_reader_is (r, TEXT, "list-header"))
    {
      begin_item (o, r, tsr_xml_reader_is (r, TEXT, "list-header"));
      if (empty)
        {
          o->in_item = FALSE;
          g_clear_pointer (&o->pending_label, g_free);
        }
    }
  else if (tsr_xml_reader_is (r, TABLE, "table"))
    {
      tsr_text_builder_begin_table (o->b);
      if (empty)
        tsr_text_builder_end_table (o->b);
    }
  else if (tsr_xml_reader_is (r, TABLE, "table-row"))
    {
      tsr_text_builder_begin_row (o->b);
      if (empty)
        tsr_text_builder_end_row (o->b, TRUE);
    }
  else if (tsr_xml_reader_is (r, TABLE, "table-cell") ||
           tsr_xml_reader_is (r, TABLE, "covered-table-cell"))
    {
      g_autofree char *repeat = tsr_xml_reader_attr (r, TABLE, "number-columns-repeated");
      guint n = (guint) CLAMP (parse_int (repeat, 1, 1 << 20), 1, MAX_REPEAT);

      tsr_text_builder_begin_cell (o->b);
      if (empty)
        {
          tsr_text_builder_end_cell (o->b);
          for (guint i = 1; i < n; i++)
            {
              tsr_text_builder_begin_cell (o->b);
              tsr_text_builder_end_cell (o->b);
            }
        }
      else
        g_array_append_val (o->cell_repeats, n);
    }

  if (tsr_text_builder_is_full (o->b))
    return set_full_error (o, error);
  return TRUE;
}

static void
handle_end (Odt          *o,
            TsrXmlReader *r)
{
  if (tsr_xml_reader_is (r, TEXT, "p") || tsr_xml_reader_is (r, TEXT, "h"))
    end_paragraph (o);
  else if (tsr_xml_reader_is (r, TEXT, "list"))
    end_list (o);
  else if (tsr_xml_reader_is (r, TEXT, "list-item") || tsr_xml_reader_is (r, TEXT, "list-header"))
    {
      o->in_item = FALSE;
      g_clear_pointer (&o->pending_label, g_free);
      /* Back in an outer item: its further paragraphs stay indented. */
      if (o->lists->len > 1)
        {
          o->in_item = TRUE;
          o->pending_level = g_array_index (o->lists, ListFrame, o->lists->len - 2).level;
        }
    }
  else if (tsr_xml_reader_is (r, TABLE, "table"))
    tsr_text_builder_end_table (o->b);
  else if (tsr_xml_reader_is (r, TABLE, "table-row"))
    tsr_text_builder_end_row (o->b, TRUE);
  else if (tsr_xml_reader_is (r, TABLE, "table-cell") ||
           tsr_xml_reader_is (r, TABLE, "covered-table-cell"))
    {
      guint n = 1;

      if (o->cell_repeats->len > 0)
        {
          n = g_array_index (o->cell_repeats, guint, o->cell_repeats->len - 1);
          g_array_set_size (o->cell_repeats, o->cell_repeats->len - 1);
        }
      tsr_text_builder_end_cell (o->b);
      /* Repeated cells in a text table are empty in practice; they keep
       * the columns in place. */
      for (guint i = 1; i < n; i++)
        {
          tsr_text_builder_begin_cell (o->b);
          tsr_text_builder_end_cell (o->b);
        }
    }
}

static gboolean
walk_content (Odt         *o,
              GBytes      *content,
              const char  *part,
              GError     **error)
{
  g_autoptr(TsrXmlReader) r = tsr_xml_reader_new (content, part, o->display_name, o->cancellable);
  GError *local_error = NULL;
  gboolean skip = FALSE;
  gboolean in_body = FALSE;
  int body_depth = -1;

  while (tsr_xml_reader_next (r, skip, &local_error))
    {
      int type = tsr_xml_reader_type (r);

      skip = FALSE;

      if (type == XML_READER_TYPE_ELEMENT && !in_body)
        {
          /* Outside office:body only the styles matter. */
          if (tsr_xml_reader_is (r, OFFICE, "automatic-styles") ||
              tsr_xml_reader_is (r, OFFICE, "styles"))
            {
              read_styles_container (o, tsr_xml_reader_expand (r));
              skip = TRUE;
            }
          else if (tsr_xml_reader_is (r, OFFICE, "body"))
            {
              in_body = TRUE;
              body_depth = tsr_xml_reader_depth (r);
            }
          else if (tsr_xml_reader_depth (r) > 0 && !tsr_xml_reader_is (r, OFFICE, "document"))
            skip = TRUE;
          continue;
        }
      if (!in_body)
        continue;

      switch (type)
        {
        case XML_READER_TYPE_ELEMENT:
          if (!handle_start (o, r, &skip, &local_error))
            goto out;
          break;

        case XML_READER_TYPE_END_ELEMENT:
          if (tsr_xml_reader_depth (r) == body_depth)
            in_body = FALSE;
          else
            handle_end (o, r);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        case XML_READER_TYPE_WHITESPACE:
          if (o->paragraph_depth > 0)
            append_collapsed (o, tsr_xml_reader_value (r));
          if (tsr_text_builder_is_full (o->b))
            {
              set_full_error (o, &local_error);
              goto out;
            }
          break;

        default:
          break;
        }
    }

out:
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_odt_extract_parts:
 * @content: content.xml, or a whole flat ODT
 * @content_part: its name, for messages
 * @styles: (nullable): styles.xml
 *
 * Returns: (transfer full): the text ("" if none), or %NULL with @error set
 */
char *
tsr_odt_extract_parts (GBytes        *content,
                       const char    *content_part,
                       GBytes        *styles,
                       gsize          max_bytes,
                       const char    *display_name,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Odt o = { 0, };
  char *text = NULL;

  o.display_name = display_name;
  o.cancellable = cancellable;
  o.b = tsr_text_builder_new (max_bytes);
  o.list_styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, list_style_free);
  o.paragraph_lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  o.paragraph_parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  o.lists = g_array_new (FALSE, TRUE, sizeof (ListFrame));
  o.all_counters = g_ptr_array_new_with_free_func (g_free);
  o.list_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  o.cell_repeats = g_array_new (FALSE, TRUE, sizeof (guint));

  if ((styles == NULL || read_styles_part (&o, styles, error)) &&
      walk_content (&o, content, content_part, error))
    text = tsr_text_builder_finish (o.b);

  tsr_text_builder_free (o.b);
  g_hash_table_unref (o.list_styles);
  g_hash_table_unref (o.paragraph_lists);
  g_hash_table_unref (o.paragraph_parents);
  g_array_unref (o.lists);
  g_ptr_array_unref (o.all_counters);
  g_hash_table_unref (o.list_ids);
  g_array_unref (o.cell_repeats);
  g_free (o.pending_label);
  return text;
}

/**
 * tsr_odt_extract:
 * @data: the bytes of an ODT file
 *
 * Returns: (transfer full): the text ("" if none), or %NULL with @error set
 */
char *
tsr_odt_extract (GBytes        *data,
                 const char    *display_name,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(TsrZip) zip = NULL;
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) styles = NULL;
  GError *local_error = NULL;

  zip = tsr_zip_open (data, display_name, error);
  if (zip == NULL)
    return NULL;

  /* A password-protected ODT keeps its manifest readable and says there
   * which parts are encrypted. */
  manifest = tsr_zip_read_optional (zip, "META-INF/manifest.xml", cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (manifest != NULL &&
      g_strstr_len (g_bytes_get_data (manifest, NULL), g_bytes_get_size (manifest),
                    "encryption-data") != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is protected with a password. Open it in LibreOffice, "
                     "remove the password, save it and import it again."),
                   display_name);
      return NULL;
    }

  if (!tsr_zip_has (zip, "content.xml"))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is not an OpenDocument text: it has no content"),
                   display_name);
      return NULL;
    }
  content = tsr_zip_read (zip, "content.xml", cancellable, error);
  if (content == NULL)
    return NULL;
  styles = tsr_zip_read_optional (zip, "styles.xml", cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return tsr_odt_extract_parts (content, "content.xml", styles, TSR_IMPORT_MAX_TEXT_BYTES,
                                display_name, cancellable, error);
}

char *
tsr_fodt_extract (GBytes        *data,
                  const char    *display_name,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return tsr_odt_extract_parts (data, "document", NULL, TSR_IMPORT_MAX_TEXT_BYTES,
                                display_name, cancellable, error);
}
