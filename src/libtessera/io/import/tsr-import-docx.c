/* tsr-import-docx.c — the text of Word documents (DOCX)
 *
 * The body (word/document.xml) is read as a stream; the small parts that
 * give it meaning — list numbering, paragraph styles, footnotes and
 * endnotes — are read first.  What the reader keeps, in reading order:
 *
 *  - paragraphs and headings, list items with the label Word shows
 *    ("1.", "a)", "•"), tables as rows of tab-separated cells, text in
 *    text boxes (once: the VML fallback copy is skipped);
 *  - tracked changes as if accepted: insertions and moves' destinations
 *    are kept, deletions (w:del, w:delText, deleted rows, deleted
 *    paragraph marks) and moves' sources are left out;
 *  - footnote and endnote references as "[1]" and "[i]", as Word numbers
 *    them by default, with the notes' text after the body.
 *
 * Left out on purpose: field instructions (the result is kept), hidden
 * text (w:vanish), comments, headers and footers — page furniture, not
 * what the author wrote.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

static const char * const W[] = {
  "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
  "http://purl.oclc.org/ooxml/wordprocessingml/main",
  NULL
};
static const char * const MC[] = {
  "http://schemas.openxmlformats.org/markup-compatibility/2006",
  NULL
};
static const char * const RELS[] = {
  "http://schemas.openxmlformats.org/package/2006/relationships",
  NULL
};

#define MAX_LEVELS 9

/* Numbering ----------------------------------------------------------- */

typedef struct
{
  char  style;    /* as tsr_import_append_number(); 'b' a bullet */
  char *text;     /* w:lvlText, "%1." */
  int   start;
} Level;

typedef struct
{
  Level levels[MAX_LEVELS];
} AbstractNum;

typedef struct
{
  char     *abstract_id;
  int       start_override[MAX_LEVELS];   /* -1: none */
  int       counters[MAX_LEVELS];
  gboolean  started[MAX_LEVELS];
} Num;

typedef struct
{
  char *num_id;     /* NULL: none set */
  int   level;      /* -1: none set */
  char *based_on;
} StyleNumbering;

static void
abstract_num_free (gpointer data)
{
  AbstractNum *a = data;

  for (guint i = 0; i < MAX_LEVELS; i++)
    g_free (a->levels[i].text);
  g_free (a);
}

static void
num_free (gpointer data)
{
  Num *n = data;

  g_free (n->abstract_id);
  g_free (n);
}

static void
style_numbering_free (gpointer data)
{
  StyleNumbering *s = data;

  g_free (s->num_id);
  g_free (s->based_on);
  g_free (s);
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
  if (end == s || v < 0 || v > 100000)
    return fallback;
  return (int) v;
}

static char
parse_format (const char *fmt)
{
  static const struct { const char *name; char style; } formats[] = {
    { "decimal", '1' },
    { "decimalZero", '0' },
    { "lowerLetter", 'a' },
    { "upperLetter", 'A' },
    { "lowerRoman", 'i' },
    { "upperRoman", 'I' },
    { "bullet", 'b' },
    { "none", 0 },
  };

  if (fmt == NULL)
    return '1';
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (strcmp (fmt, formats[i].name) == 0)
      return formats[i].style;
  /* Ordinals, Chinese counting and the rest: the number itself. */
  return '1';
}

/* Word's default bullets are private-use characters of the Symbol and
 * Wingdings fonts, which no other font draws; they read as "•". */
static char *
bullet_text (const char *text)
{
  g_autoptr(GString) s = g_string_new (NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("•");
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xe000 && c <= 0xf8ff)
        g_string_append (s, "•");
      else
        g_string_append_unichar (s, c);
    }
  return s->len > 0 ? g_string_free (g_steal_pointer (&s), FALSE) : g_strdup ("•");
}

/* Reading state ------------------------------------------------------- */

typedef struct
{
  gboolean  mark_deleted;   /* runs on into the next paragraph */
  gboolean  continued;      /* runs on from the previous one */
} ParagraphState;

typedef struct
{
  const char     *display_name;
  GCancellable   *cancellable;
  TsrTextBuilder *b;

  GHashTable     *abstract_nums;   /* id → AbstractNum */
  GHashTable     *nums;            /* id → Num */
  GHashTable     *styles;          /* id → StyleNumbering */
  char           *default_style;

  /* Footnotes and endnotes, read before the body: id → text */
  GHashTable     *footnotes;
  GHashTable     *endnotes;
  /* As referenced in the body: marks and ids in order */
  GPtrArray      *note_refs;       /* of NoteRef */
  guint           n_footnotes;
  guint           n_endnotes;

  /* Where the reader is */
  GArray         *paragraphs;      /* of ParagraphState */
  gboolean        merge_next;      /* the last paragraph mark was deleted */
  GArray         *row_deleted;     /* of gboolean, one per open row */
  gboolean        in_text;
  gboolean        run_hidden;
} Docx;

typedef struct
{
  char     *mark;
  char     *id;
  gboolean  endnote;
} NoteRef;

static void
note_ref_free (gpointer data)
{
  NoteRef *r = data;

  g_free (r->mark);
  g_free (r->id);
  g_free (r);
}

static void
docx_clear (Docx *d)
{
  g_clear_pointer (&d->abstract_nums, g_hash_table_unref);
  g_clear_pointer (&d->nums, g_hash_table_unref);
  g_clear_pointer (&d->styles, g_hash_table_unref);
  g_clear_pointer (&d->footnotes, g_hash_table_unref);
  g_clear_pointer (&d->endnotes, g_hash_table_unref);
  g_clear_pointer (&d->note_refs, g_ptr_array_unref);
  g_clear_pointer (&d->paragraphs, g_array_unref);
  g_clear_pointer (&d->row_deleted, g_array_unref);
  g_clear_pointer (&d->default_style, g_free);
}

static char *
w_val (xmlNodePtr node)
{
  return tsr_xml_node_attr (node, W, "val");
}

/* An on/off property (w:vanish, w:del's presence is enough) is on unless
 * its w:val says otherwise. */
static gboolean
is_on (xmlNodePtr node)
{
  g_autofree char *val = NULL;

  if (node == NULL)
    return FALSE;
  val = w_val (node);
  return val == NULL || !(strcmp (val, "0") == 0 || strcmp (val, "false") == 0 ||
                          strcmp (val, "off") == 0);
}

static gboolean
read_numbering (Docx      *d,
                GBytes    *bytes,
                GError   **error)
{
  xmlDocPtr doc = tsr_xml_parse (bytes, "word/numbering.xml", d->display_name, error);
  xmlNodePtr root;

  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);

  for (xmlNodePtr n = root ? root->children : NULL; n != NULL; n = n->next)
    {
      if (tsr_xml_node_is (n, W, "abstractNum"))
        {
          char *id = tsr_xml_node_attr (n, W, "abstractNumId");
          AbstractNum *a;

          if (id == NULL)
            continue;
          a = g_new0 (AbstractNum, 1);
          for (guint i = 0; i < MAX_LEVELS; i++)
            {
              a->levels[i].start = 1;
              a->levels[i].style = '1';
            }

          for (xmlNodePtr l = n->children; l != NULL; l = l->next)
            {
              g_autofree char *ilvl = NULL;
              g_autofree char *fmt = NULL;
              g_autofree char *start = NULL;
              int level;

              if (!tsr_xml_node_is (l, W, "lvl"))
                continue;
              ilvl = tsr_xml_node_attr (l, W, "ilvl");
              level = parse_int (ilvl, -1);
              if (level < 0 || level >= MAX_LEVELS)
                continue;
              fmt = w_val (tsr_xml_node_child (l, W, "numFmt"));
              start = w_val (tsr_xml_node_child (l, W, "start"));
              a->levels[level].style = parse_format (fmt);
              a->levels[level].start = parse_int (start, 1);
              g_free (a->levels[level].text);
              a->levels[level].text = w_val (tsr_xml_node_child (l, W, "lvlText"));
            }
          g_hash_table_replace (d->abstract_nums, id, a);
        }
      else if (tsr_xml_node_is (n, W, "num"))
        {
          char *id = tsr_xml_node_attr (n, W, "numId");
          Num *num;

          if (id == NULL)
            continue;
          num = g_new0 (Num, 1);
          for (guint i = 0; i < MAX_LEVELS; i++)
            num->start_override[i] = -1;
          num->abstract_id = w_val (tsr_xml_node_child (n, W, "abstractNumId"));

          for (xmlNodePtr o = n->children; o != NULL; o = o->next)
            {
              g_autofree char *ilvl = NULL;
              g_autofree char *start = NULL;
              int level;

              if (!tsr_xml_node_is (o, W, "lvlOverride"))
                continue;
              ilvl = tsr_xml_node_attr (o, W, "ilvl");
              level = parse_int (ilvl, -1);
              start = w_val (tsr_xml_node_child (o, W, "startOverride"));
              if (level >= 0 && level < MAX_LEVELS && start != NULL)
                num->start_override[level] = parse_int (start, 1);
            }
          g_hash_table_replace (d->nums, id, num);
        }
    }

  xmlFreeDoc (doc);
  return TRUE;
}

static gboolean
read_styles (Docx    *d,
             GBytes  *bytes,
             GError **error)
{
  xmlDocPtr doc = tsr_xml_parse (bytes, "word/styles.xml", d->display_name, error);
  xmlNodePtr root;

  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);

  for (xmlNodePtr n = root ? root->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *type = NULL;
      g_autofree char *is_default = NULL;
      xmlNodePtr ppr, numpr;
      StyleNumbering *s;
      char *id;

      if (!tsr_xml_node_is (n, W, "style"))
        continue;
      type = tsr_xml_node_attr (n, W, "type");
      if (g_strcmp0 (type, "paragraph") != 0)
        continue;
      id = tsr_xml_node_attr (n, W, "styleId");
      if (id == NULL)
        continue;

      s = g_new0 (StyleNumbering, 1);
      s->level = -1;
      s->based_on = w_val (tsr_xml_node_child (n, W, "basedOn"));
      ppr = tsr_xml_node_child (n, W, "pPr");
      numpr = tsr_xml_node_child (ppr, W, "numPr");
      if (numpr != NULL)
        {
          g_autofree char *ilvl = w_val (tsr_xml_node_child (numpr, W, "ilvl"));

          s->num_id = w_val (tsr_xml_node_child (numpr, W, "numId"));
          s->level = parse_int (ilvl, -1);
        }

      is_default = tsr_xml_node_attr (n, W, "default");
      if (g_strcmp0 (is_default, "1") == 0 || g_strcmp0 (is_default, "true") == 0)
        {
          g_free (d->default_style);
          d->default_style = g_strdup (id);
        }
      g_hash_table_replace (d->styles, id, s);
    }

  xmlFreeDoc (doc);
  return TRUE;
}

/* The label Word shows for a paragraph of list @num_id at @level, which
 * also counts the paragraph. */
static char *
list_label (Docx       *d,
            const char *num_id,
            int         level)
{
  g_autoptr(GString) label = g_string_new (NULL);
  AbstractNum *a;
  Num *num;
  Level *lvl;

  num = g_hash_table_lookup (d->nums, num_id);
  if (num == NULL || num->abstract_id == NULL)
    return NULL;
  a = g_hash_table_lookup (d->abstract_nums, num->abstract_id);
  if (a == NULL)
    return NULL;

  for (int i = 0; i < MAX_LEVELS; i++)
    if (!num->started[i])
      num->counters[i] = num->start_override[i] >= 0 ? num->start_override[i] : a->levels[i].start;

  if (num->started[level])
    num->counters[level]++;
  num->started[level] = TRUE;
  /* A deeper level starts again after each item above it. */
  for (int i = level + 1; i < MAX_LEVELS; i++)
    num->started[i] = FALSE;

  lvl = &a->levels[level];
  if (lvl->style == 'b')
    return bullet_text (lvl->text);
  if (lvl->text == NULL)
    return g_strdup ("");

  for (const char *p = lvl->text; *p; p++)
    {
      if (p[0] == '%' && p[1] >= '1' && p[1] <= '9')
        {
          int k = p[1] - '1';
          char style = a->levels[k].style == 'b' ? 0 : a->levels[k].style;

          tsr_import_append_number (label, num->counters[k], style);
          p++;
        }
      else
        g_string_append_c (label, *p);
    }
  return g_string_free (g_steal_pointer (&label), FALSE);
}

/* The numbering a paragraph style gives, through its w:basedOn chain. */
static void
style_numbering (Docx        *d,
                 const char  *style_id,
                 const char **num_id,
                 int         *level)
{
  for (guint depth = 0; style_id != NULL && depth < 32; depth++)
    {
      StyleNumbering *s = g_hash_table_lookup (d->styles, style_id);

      if (s == NULL)
        return;
      if (*level < 0 && s->level >= 0)
        *level = s->level;
      if (s->num_id != NULL)
        {
          *num_id = s->num_id;
          return;
        }
      style_id = s->based_on;
    }
}

/* Reads a paragraph's properties: list numbering and whether its mark
 * (its end) was deleted with change tracking. */
static void
read_paragraph_properties (Docx           *d,
                           xmlNodePtr      ppr,
                           ParagraphState *state,
                           gboolean        continued)
{
  g_autofree char *style = w_val (tsr_xml_node_child (ppr, W, "pStyle"));
  xmlNodePtr numpr = tsr_xml_node_child (ppr, W, "numPr");
  xmlNodePtr rpr = tsr_xml_node_child (ppr, W, "rPr");
  g_autofree char *own_num_id = NULL;
  g_autofree char *label = NULL;
  const char *num_id = NULL;
  int level = -1;

  if (tsr_xml_node_child (rpr, W, "del") != NULL || tsr_xml_node_child (rpr, W, "moveFrom") != NULL)
    state->mark_deleted = TRUE;

  if (continued)
    return;

  if (numpr != NULL)
    {
      g_autofree char *ilvl = w_val (tsr_xml_node_child (numpr, W, "ilvl"));

      own_num_id = w_val (tsr_xml_node_child (numpr, W, "numId"));
      num_id = own_num_id;
      level = parse_int (ilvl, -1);
    }
  if (num_id == NULL)
    style_numbering (d, style ? style : d->default_style, &num_id, &level);

  /* numId 0 takes away the numbering a style would give. */
  if (num_id == NULL || strcmp (num_id, "0") == 0)
    return;
  if (level < 0 || level >= MAX_LEVELS)
    level = 0;

  label = list_label (d, num_id, level);
  if (label != NULL)
    tsr_text_builder_set_list_item (d->b, label, level, g_hash_table_lookup (d->nums, num_id));
}

/* A paragraph whose mark was deleted runs on into the next one; anything
 * else that comes first ends it. */
static void
settle_merge (Docx *d)
{
  if (d->merge_next)
    {
      d->merge_next = FALSE;
      if (d->b != NULL)
        tsr_text_builder_end_paragraph (d->b);
    }
}

static void
append_note_ref (Docx     *d,
                 gboolean  endnote,
                 char     *id)   /* owned */
{
  NoteRef *ref = g_new0 (NoteRef, 1);
  g_autoptr(GString) mark = g_string_new (NULL);

  if (endnote)
    tsr_import_append_number (mark, (int) ++d->n_endnotes, 'i');
  else
    tsr_import_append_number (mark, (int) ++d->n_footnotes, '1');

  ref->mark = g_strdup (mark->str);
  ref->id = id;
  ref->endnote = endnote;
  g_ptr_array_add (d->note_refs, ref);

  tsr_text_builder_append_c (d->b, '[');
  tsr_text_builder_append (d->b, mark->str, -1);
  tsr_text_builder_append_c (d->b, ']');
}

static void
append_symbol (Docx       *d,
               const char *hex)
{
  char buf[8];
  guint64 c;
  char *end = NULL;

  if (hex == NULL)
    return;
  c = g_ascii_strtoull (hex, &end, 16);
  /* Symbol-font code points (F0xx) mean nothing outside that font. */
  if (end == hex || c < 0x20 || c > 0x10ffff || (c >= 0xe000 && c <= 0xf8ff) ||
      !g_unichar_validate ((gunichar) c))
    return;
  buf[g_unichar_to_utf8 ((gunichar) c, buf)] = '\0';
  tsr_text_builder_append (d->b, buf, -1);
}

/* Elements whose whole content is left out. */
static gboolean
skipped_element (const char *name)
{
  static const char * const names[] = {
    "del", "moveFrom", "delText", "delInstrText", "instrText", "tblPr", "tblGrid",
    "tcPr", "sectPr", "sdtPr", "sdtEndPr", "customXmlPr", "fldData", "commentReference",
    "annotationRef", "footnoteRef", "endnoteRef", "separator", "continuationSeparator",
    "pPrChange", "rPrChange", "tblPrChange", "tcPrChange", "trPrChange", "sectPrChange",
    "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
note_text (char *text)   /* owned */
{
  g_autoptr(GString) s = g_string_new (g_strstrip (text));

  g_free (text);
  /* A note's paragraphs stay together under its mark. */
  g_string_replace (s, "\n\n", "\n", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
handle_start (Docx          *d,
              TsrXmlReader  *r,
              gboolean       in_notes,
              char         **note_id,
              gboolean      *skip,
              GError       **error)
{
  const char *name = tsr_xml_reader_local_name (r);
  gboolean empty = tsr_xml_reader_is_empty (r);

  if (tsr_xml_reader_is (r, MC, "Fallback"))
    {
      *skip = TRUE;
      return TRUE;
    }
  if (!tsr_xml_reader_is (r, W, name))
    return TRUE;

  if (in_notes && (strcmp (name, "footnote") == 0 || strcmp (name, "endnote") == 0))
    {
      g_autofree char *type = tsr_xml_reader_attr (r, W, "type");

      /* Separators and continuation notices are page furniture. */
      if ((type != NULL && strcmp (type, "normal") != 0) || empty)
        {
          *skip = TRUE;
          return TRUE;
        }
      g_free (*note_id);
      *note_id = tsr_xml_reader_attr (r, W, "id");
      g_clear_pointer (&d->b, tsr_text_builder_free);
      d->b = tsr_text_builder_new (TSR_IMPORT_MAX_TEXT_BYTES);
      return TRUE;
    }

  if (d->b == NULL)
    return TRUE;

  if (skipped_element (name))
    *skip = TRUE;
  else if (strcmp (name, "p") == 0)
    {
      ParagraphState state = { FALSE, d->merge_next };

      d->merge_next = FALSE;
      if (!state.continued)
        tsr_text_builder_begin_paragraph (d->b);
      if (empty)
        tsr_text_builder_end_paragraph (d->b);
      else
        g_array_append_val (d->paragraphs, state);
    }
  else if (strcmp (name, "pPr") == 0)
    {
      xmlNodePtr ppr = tsr_xml_reader_expand (r);

      if (d->paragraphs->len > 0 && ppr != NULL)
        {
          ParagraphState *state = &g_array_index (d->paragraphs, ParagraphState,
                                                  d->paragraphs->len - 1);

          read_paragraph_properties (d, ppr, state, state->continued);
        }
      *skip = TRUE;
    }
  else if (strcmp (name, "r") == 0)
    d->run_hidden = FALSE;
  else if (strcmp (name, "rPr") == 0)
    {
      xmlNodePtr rpr = tsr_xml_reader_expand (r);

      if (is_on (tsr_xml_node_child (rpr, W, "vanish")) ||
          is_on (tsr_xml_node_child (rpr, W, "webHidden")))
        d->run_hidden = TRUE;
      *skip = TRUE;
    }
  else if (strcmp (name, "t") == 0)
    d->in_text = !empty;
  else if (d->run_hidden)
    {
      if (strcmp (name, "footnoteReference") == 0 || strcmp (name, "endnoteReference") == 0)
        *skip = TRUE;
    }
  else if (strcmp (name, "tab") == 0 || strcmp (name, "ptab") == 0)
    tsr_text_builder_append_c (d->b, '\t');
  else if (strcmp (name, "br") == 0 || strcmp (name, "cr") == 0)
    tsr_text_builder_append_c (d->b, '\n');
  else if (strcmp (name, "noBreakHyphen") == 0)
    tsr_text_builder_append_c (d->b, '-');
  else if (strcmp (name, "sym") == 0)
    {
      g_autofree char *hex = tsr_xml_reader_attr (r, W, "char");

      append_symbol (d, hex);
    }
  else if (!in_notes && strcmp (name, "footnoteReference") == 0)
    append_note_ref (d, FALSE, tsr_xml_reader_attr (r, W, "id"));
  else if (!in_notes && strcmp (name, "endnoteReference") == 0)
    append_note_ref (d, TRUE, tsr_xml_reader_attr (r, W, "id"));
  else if (strcmp (name, "tbl") == 0)
    {
      settle_merge (d);
      tsr_text_builder_begin_table (d->b);
      if (empty)
        tsr_text_builder_end_table (d->b);
    }
  else if (strcmp (name, "tr") == 0)
    {
      gboolean deleted = FALSE;

      settle_merge (d);
      tsr_text_builder_begin_row (d->b);
      if (empty)
        tsr_text_builder_end_row (d->b, TRUE);
      else
        g_array_append_val (d->row_deleted, deleted);
    }
  else if (strcmp (name, "trPr") == 0)
    {
      xmlNodePtr trpr = tsr_xml_reader_expand (r);

      if (d->row_deleted->len > 0 && tsr_xml_node_child (trpr, W, "del") != NULL)
        g_array_index (d->row_deleted, gboolean, d->row_deleted->len - 1) = TRUE;
      *skip = TRUE;
    }
  else if (strcmp (name, "tc") == 0)
    {
      settle_merge (d);
      tsr_text_builder_begin_cell (d->b);
      if (empty)
        tsr_text_builder_end_cell (d->b);
    }

  if (tsr_text_builder_is_full (d->b))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” holds more than %u MB of text, more than one document "
                     "may hold. Split it into smaller files and import those."),
                   d->display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
      return FALSE;
    }
  return TRUE;
}

static void
handle_end (Docx        *d,
            TsrXmlReader *r,
            gboolean     in_notes,
            char       **note_id)
{
  const char *name = tsr_xml_reader_local_name (r);

  if (!tsr_xml_reader_is (r, W, name))
    return;

  if (in_notes && (strcmp (name, "footnote") == 0 || strcmp (name, "endnote") == 0))
    {
      if (d->b != NULL && *note_id != NULL)
        {
          settle_merge (d);
          g_hash_table_replace (strcmp (name, "footnote") == 0 ? d->footnotes : d->endnotes,
                                g_steal_pointer (note_id),
                                note_text (tsr_text_builder_finish (d->b)));
        }
      g_clear_pointer (&d->b, tsr_text_builder_free);
      g_clear_pointer (note_id, g_free);
      d->merge_next = FALSE;
      g_array_set_size (d->paragraphs, 0);
      g_array_set_size (d->row_deleted, 0);
      return;
    }

  if (d->b == NULL)
    return;

  if (strcmp (name, "p") == 0)
    {
      ParagraphState state = { FALSE, FALSE };

      if (d->paragraphs->len > 0)
        {
          state = g_array_index (d->paragraphs, ParagraphState, d->paragraphs->len - 1);
          g_array_set_size (d->paragraphs, d->paragraphs->len - 1);
        }
      if (state.mark_deleted)
        d->merge_next = TRUE;
      else
        tsr_text_builder_end_paragraph (d->b);
    }
  else if (strcmp (name, "t") == 0)
    d->in_text = FALSE;
  else if (strcmp (name, "r") == 0)
    d->run_hidden = FALSE;
  else if (strcmp (name, "tbl") == 0)
    {
      settle_merge (d);
      tsr_text_builder_end_table (d->b);
    }
  else if (strcmp (name, "tr") == 0)
    {
      gboolean deleted = FALSE;

      settle_merge (d);
      if (d->row_deleted->len > 0)
        {
          deleted = g_array_index (d->row_deleted, gboolean, d->row_deleted->len - 1);
          g_array_set_size (d->row_deleted, d->row_deleted->len - 1);
        }
      tsr_text_builder_end_row (d->b, !deleted);
    }
  else if (strcmp (name, "tc") == 0)
    {
      settle_merge (d);
      tsr_text_builder_end_cell (d->b);
    }
  else if (strcmp (name, "body") == 0 || strcmp (name, "txbxContent") == 0)
    settle_merge (d);
}

static gboolean
walk_part (Docx        *d,
           GBytes      *bytes,
           const char  *part,
           gboolean     in_notes,
           GError     **error)
{
  g_autoptr(TsrXmlReader) r = tsr_xml_reader_new (bytes, part, d->display_name, d->cancellable);
  g_autofree char *note_id = NULL;
  GError *local_error = NULL;
  gboolean skip = FALSE;

  while (tsr_xml_reader_next (r, skip, &local_error))
    {
      skip = FALSE;
      switch (tsr_xml_reader_type (r))
        {
        case XML_READER_TYPE_ELEMENT:
          if (!handle_start (d, r, in_notes, &note_id, &skip, &local_error))
            goto out;
          break;

        case XML_READER_TYPE_END_ELEMENT:
          handle_end (d, r, in_notes, &note_id);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        case XML_READER_TYPE_WHITESPACE:
          if (d->b != NULL && d->in_text && !d->run_hidden)
            tsr_text_builder_append (d->b, tsr_xml_reader_value (r), -1);
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

static void
docx_init (Docx         *d,
           const char   *display_name,
           GCancellable *cancellable)
{
  memset (d, 0, sizeof *d);
  d->display_name = display_name;
  d->cancellable = cancellable;
  d->abstract_nums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, abstract_num_free);
  d->nums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, num_free);
  d->styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, style_numbering_free);
  d->footnotes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  d->endnotes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  d->note_refs = g_ptr_array_new_with_free_func (note_ref_free);
  d->paragraphs = g_array_new (FALSE, TRUE, sizeof (ParagraphState));
  d->row_deleted = g_array_new (FALSE, TRUE, sizeof (gboolean));
}

/**
 * tsr_docx_extract_parts:
 * @document: word/document.xml
 * @styles: (nullable): word/styles.xml
 * @numbering: (nullable): word/numbering.xml
 * @footnotes: (nullable): word/footnotes.xml
 * @endnotes: (nullable): word/endnotes.xml
 *
 * Returns: (transfer full): the text ("" if none), or %NULL with @error set
 */
char *
tsr_docx_extract_parts (GBytes        *document,
                        GBytes        *styles,
                        GBytes        *numbering,
                        GBytes        *footnotes,
                        GBytes        *endnotes,
                        gsize          max_bytes,
                        const char    *display_name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  Docx d;
  char *text = NULL;

  docx_init (&d, display_name, cancellable);

  if ((numbering != NULL && !read_numbering (&d, numbering, error)) ||
      (styles != NULL && !read_styles (&d, styles, error)) ||
      (footnotes != NULL && !walk_part (&d, footnotes, "word/footnotes.xml", TRUE, error)) ||
      (endnotes != NULL && !walk_part (&d, endnotes, "word/endnotes.xml", TRUE, error)))
    goto out;

  g_clear_pointer (&d.b, tsr_text_builder_free);
  d.b = tsr_text_builder_new (max_bytes);
  d.merge_next = FALSE;
  g_array_set_size (d.paragraphs, 0);
  g_array_set_size (d.row_deleted, 0);
  if (!walk_part (&d, document, "word/document.xml", FALSE, error))
    goto out;
  settle_merge (&d);

  for (guint i = 0; i < d.note_refs->len; i++)
    {
      NoteRef *ref = d.note_refs->pdata[i];
      const char *note = ref->id ? g_hash_table_lookup (ref->endnote ? d.endnotes : d.footnotes,
                                                        ref->id)
                                 : NULL;

      tsr_text_builder_begin_note (d.b, ref->mark, ref->endnote);
      tsr_text_builder_append (d.b, note, -1);
      tsr_text_builder_end_note (d.b);
    }

  if (tsr_text_builder_is_full (d.b))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” holds more than %u MB of text, more than one document "
                     "may hold. Split it into smaller files and import those."),
                   display_name, (guint) (max_bytes / (1024 * 1024)));
      goto out;
    }
  text = tsr_text_builder_finish (d.b);

out:
  g_clear_pointer (&d.b, tsr_text_builder_free);
  docx_clear (&d);
  return text;
}

/* Package relationships ------------------------------------------------ */

/* Resolves a relationship's target against the folder of its source
 * part, as a part name without a leading slash. */
static char *
resolve_target (const char *base_dir,
                const char *target)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (target[0] == '/')
    joined = g_strdup (target + 1);
  else if (base_dir != NULL && *base_dir != '\0')
    joined = g_strconcat (base_dir, "/", target, NULL);
  else
    joined = g_strdup (target);

  segments = g_strsplit (joined, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (*segments[i] == '\0' || strcmp (segments[i], ".") == 0)
        continue;
      if (strcmp (segments[i], "..") == 0)
        {
          if (parts->len > 0)
            g_ptr_array_set_size (parts, parts->len - 1);
          continue;
        }
      g_ptr_array_add (parts, segments[i]);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("/", (char **) parts->pdata);
}

/**
 * tsr_ooxml_find_relationship:
 * @rels: (nullable): a .rels part
 * @source: the part the relationships belong to ("" for the package)
 * @type_suffix: the end of the relationship type ("/officeDocument")
 *
 * Returns: (transfer full) (nullable): the target part's name
 */
char *
tsr_ooxml_find_relationship (GBytes     *rels,
                             const char *source,
                             const char *type_suffix)
{
  g_autofree char *base_dir = NULL;
  char *ret = NULL;
  xmlDocPtr doc;
  xmlNodePtr root;

  if (rels == NULL)
    return NULL;
  doc = tsr_xml_parse (rels, "relationships", "", NULL);
  if (doc == NULL)
    return NULL;

  base_dir = strchr (source, '/') ? g_path_get_dirname (source) : g_strdup ("");
  root = xmlDocGetRootElement (doc);
  for (xmlNodePtr n = root ? root->children : NULL; n != NULL && ret == NULL; n = n->next)
    {
      g_autofree char *type = NULL;
      g_autofree char *target = NULL;
      g_autofree char *mode = NULL;

      if (!tsr_xml_node_is (n, RELS, "Relationship"))
        continue;
      type = tsr_xml_node_attr (n, NULL, "Type");
      target = tsr_xml_node_attr (n, NULL, "Target");
      mode = tsr_xml_node_attr (n, NULL, "TargetMode");
      if (type != NULL && target != NULL && g_str_has_suffix (type, type_suffix) &&
          g_strcmp0 (mode, "External") != 0)
        ret = resolve_target (base_dir, target);
    }

  xmlFreeDoc (doc);
  return ret;
}

/* The .rels part of @part: "word/document.xml" → "word/_rels/document.xml.rels". */
char *
tsr_ooxml_rels_name (const char *part)
{
  g_autofree char *dir = g_path_get_dirname (part);
  g_autofree char *base = g_path_get_basename (part);

  if (strcmp (dir, ".") == 0)
    return g_strconcat ("_rels/", base, ".rels", NULL);
  return g_strconcat (dir, "/_rels/", base, ".rels", NULL);
}

/**
 * tsr_ooxml_main_part:
 * @fallback: the usual name of the main part ("word/document.xml")
 *
 * Finds the package's main part through its relationships, as Office
 * does, or @fallback when they do not name one that exists.
 *
 * Returns: (transfer full): the part's name, or %NULL with @error set
 */
char *
tsr_ooxml_main_part (TsrZip        *zip,
                     const char    *fallback,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) rels = NULL;
  GError *local_error = NULL;
  char *name;

  rels = tsr_zip_read_optional (zip, "_rels/.rels", cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  name = tsr_ooxml_find_relationship (rels, "", "/officeDocument");
  if (name == NULL || !tsr_zip_has (zip, name))
    {
      g_free (name);
      name = g_strdup (fallback);
    }
  return name;
}

/**
 * tsr_docx_extract:
 * @data: the bytes of a DOCX file
 *
 * Returns: (transfer full): the text ("" if none), or %NULL with @error set
 */
char *
tsr_docx_extract (GBytes        *data,
                  const char    *display_name,
                  GCancellable  *cancellable,
                  GError       **error)
{
  static const struct { const char *suffix; const char *fallback; } related[] = {
    { "/styles", "word/styles.xml" },
    { "/numbering", "word/numbering.xml" },
    { "/footnotes", "word/footnotes.xml" },
    { "/endnotes", "word/endnotes.xml" },
  };
  g_autoptr(TsrZip) zip = NULL;
  g_autoptr(GBytes) document_rels = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autofree char *main_part = NULL;
  g_autofree char *rels_name = NULL;
  GBytes *parts[G_N_ELEMENTS (related)] = { NULL, };
  GError *local_error = NULL;
  char *text = NULL;

  zip = tsr_zip_open (data, display_name, error);
  if (zip == NULL)
    return NULL;

  main_part = tsr_ooxml_main_part (zip, "word/document.xml", cancellable, error);
  if (main_part == NULL)
    return NULL;
  if (!tsr_zip_has (zip, main_part))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” is not a Word document: it has no document body"),
                   display_name);
      return NULL;
    }

  document = tsr_zip_read (zip, main_part, cancellable, error);
  if (document == NULL)
    return NULL;

  rels_name = tsr_ooxml_rels_name (main_part);
  document_rels = tsr_zip_read_optional (zip, rels_name, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (related); i++)
    {
      g_autofree char *name = tsr_ooxml_find_relationship (document_rels, main_part,
                                                           related[i].suffix);

      parts[i] = tsr_zip_read_optional (zip, name ? name : related[i].fallback,
                                        cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          goto out;
        }
    }

  text = tsr_docx_extract_parts (document, parts[0], parts[1], parts[2], parts[3],
                                 TSR_IMPORT_MAX_TEXT_BYTES, display_name, cancellable, error);

out:
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_clear_pointer (&parts[i], g_bytes_unref);
  return text;
}
