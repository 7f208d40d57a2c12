/* tsr-import-builder.c — laying out the text of an imported document
 *
 * The readers of DOCX, ODT, HTML and PDF walk very different trees but
 * end up saying the same things: a paragraph starts, here is some text,
 * a table row ends.  This builder turns those calls into the one text
 * layout every document in a project has (see tsr-import-private.h), so
 * a passage reads the same whichever format it came from.
 *
 * Structure is a stack of open containers.  Text always goes into a
 * paragraph; text outside any (an HTML body's bare text, a table cell
 * without a <p>) opens an implicit one that the next structural call
 * closes.  A paragraph or table that starts inside a paragraph (a list
 * inside a list item, a Word text box) first flushes the words written
 * so far, so the text keeps its reading order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsr-import-private.h"

typedef enum
{
  CONTAINER_ROOT,
  CONTAINER_PARAGRAPH,
  CONTAINER_TABLE,
  CONTAINER_ROW,
  CONTAINER_CELL,
  CONTAINER_NOTE,
} ContainerKind;

typedef struct
{
  ContainerKind  kind;
  GString       *text;
  /* Paragraphs */
  gboolean       implicit;
  char          *label;
  guint          level;
  gboolean       list_item;
  gconstpointer  list;
  /* Rows: cells so far */
  guint          n_cells;
  /* Notes */
  char          *mark;
  gboolean       endnote;
} Container;

struct _TsrTextBuilder
{
  GArray    *stack;        /* of Container; [0] is the root */
  GString   *out;
  gboolean   last_was_list;
  gconstpointer last_list;
  GPtrArray *footnotes;
  GPtrArray *endnotes;
  gsize      max_bytes;
  gsize      n_bytes;
  gboolean   full;
};

static void
container_clear (gpointer data)
{
  Container *c = data;

  if (c->text != NULL)
    g_string_free (c->text, TRUE);
  g_free (c->label);
  g_free (c->mark);
}

/**
 * tsr_text_builder_new:
 * @max_bytes: the most text to accept; past it tsr_text_builder_is_full()
 *   is %TRUE and further text is dropped
 */
TsrTextBuilder *
tsr_text_builder_new (gsize max_bytes)
{
  TsrTextBuilder *self = g_new0 (TsrTextBuilder, 1);
  Container root = { CONTAINER_ROOT, NULL, };

  self->stack = g_array_new (FALSE, TRUE, sizeof (Container));
  g_array_set_clear_func (self->stack, container_clear);
  g_array_append_val (self->stack, root);
  self->out = g_string_new (NULL);
  self->footnotes = g_ptr_array_new_with_free_func (g_free);
  self->endnotes = g_ptr_array_new_with_free_func (g_free);
  self->max_bytes = max_bytes;
  return self;
}

void
tsr_text_builder_free (TsrTextBuilder *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->stack);
  g_string_free (self->out, TRUE);
  g_ptr_array_unref (self->footnotes);
  g_ptr_array_unref (self->endnotes);
  g_free (self);
}

gboolean
tsr_text_builder_is_full (TsrTextBuilder *self)
{
  return self->full;
}

static Container *
top (TsrTextBuilder *self)
{
  return &g_array_index (self->stack, Container, self->stack->len - 1);
}

static Container *
push (TsrTextBuilder *self,
      ContainerKind   kind)
{
  Container c = { kind, g_string_new (NULL), };

  g_array_append_val (self->stack, c);
  return top (self);
}

/* Tabs and line ends structure rows and cells, so inside a cell they
 * become spaces. */
static void
append_flat (GString    *to,
             const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (to, *p == '\n' || *p == '\t' ? ' ' : *p);
}

static void
trim_end (GString    *s,
          const char *chars)
{
  while (s->len > 0 && strchr (chars, s->str[s->len - 1]) != NULL)
    g_string_truncate (s, s->len - 1);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n')
      return FALSE;
  return TRUE;
}

/* Hands a finished paragraph or table to the innermost container that
 * is not a paragraph. */
static void
deliver (TsrTextBuilder *self,
         const char     *text,
         gboolean        list_item,
         gconstpointer   list)
{
  Container *to = NULL;

  for (guint i = self->stack->len; i > 0; i--)
    {
      to = &g_array_index (self->stack, Container, i - 1);
      if (to->kind != CONTAINER_PARAGRAPH)
        break;
    }
  g_assert (to != NULL);

  if (is_blank (text))
    return;

  switch (to->kind)
    {
    case CONTAINER_ROOT:
      if (self->out->len > 0)
        g_string_append (self->out, list_item && self->last_was_list && list == self->last_list
                                    ? "\n" : "\n\n");
      g_string_append (self->out, text);
      self->last_was_list = list_item;
      self->last_list = list;
      break;

    case CONTAINER_CELL:
      if (to->text->len > 0)
        g_string_append_c (to->text, ' ');
      append_flat (to->text, text);
      break;

    case CONTAINER_NOTE:
    case CONTAINER_TABLE:
      if (to->text->len > 0)
        g_string_append_c (to->text, '\n');
      if (to->kind == CONTAINER_TABLE)
        {
          /* Only rows belong in a table: stray text is one more row. */
          g_autoptr(GString) line = g_string_new (NULL);

          append_flat (line, text);
          g_string_append (to->text, line->str);
        }
      else
        g_string_append (to->text, text);
      break;

    case CONTAINER_ROW:
      /* Text in a row outside any cell counts as one more cell. */
      if (to->n_cells++ > 0)
        g_string_append_c (to->text, '\t');
      append_flat (to->text, text);
      break;

    case CONTAINER_PARAGRAPH:
    default:
      g_assert_not_reached ();
    }
}

/* Delivers what a paragraph holds so far, with its list label. */
static void
flush_paragraph (TsrTextBuilder *self,
                 Container      *p)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *body = p->text->str;

  trim_end (p->text, " \t\n");
  while (*body == '\n')
    body++;

  if (*body != '\0' || (p->label != NULL && *p->label != '\0'))
    {
      if (p->list_item)
        {
          for (guint i = 0; i < p->level && i < 10; i++)
            g_string_append (text, "  ");
          if (p->label != NULL && *p->label != '\0')
            {
              g_string_append (text, p->label);
              g_string_append_c (text, ' ');
            }
        }
      g_string_append (text, body);
      if (*body != '\0')
        deliver (self, text->str, p->list_item, p->list);
    }

  g_string_truncate (p->text, 0);
  /* What follows a nested block is a continuation, not a new item. */
  g_clear_pointer (&p->label, g_free);
  p->list_item = FALSE;
}

static void
pop (TsrTextBuilder *self)
{
  g_assert (self->stack->len > 1);
  g_array_set_size (self->stack, self->stack->len - 1);
}

static void
close_implicit (TsrTextBuilder *self)
{
  Container *t = top (self);

  if (t->kind == CONTAINER_PARAGRAPH && t->implicit)
    {
      flush_paragraph (self, t);
      pop (self);
    }
}

/* Before a block starts: closes an implicit paragraph, and flushes an
 * explicit one so the block's text comes after the words before it. */
static void
before_block (TsrTextBuilder *self)
{
  Container *t;

  close_implicit (self);
  t = top (self);
  if (t->kind == CONTAINER_PARAGRAPH)
    flush_paragraph (self, t);
}

void
tsr_text_builder_begin_paragraph (TsrTextBuilder *self)
{
  before_block (self);
  push (self, CONTAINER_PARAGRAPH);
}

void
tsr_text_builder_set_list_item (TsrTextBuilder *self,
                                const char     *label,
                                guint           level,
                                gconstpointer   list)
{
  Container *t = top (self);

  if (t->kind != CONTAINER_PARAGRAPH)
    return;
  g_free (t->label);
  t->label = g_strdup (label);
  t->level = level;
  t->list_item = TRUE;
  t->list = list;
}

void
tsr_text_builder_end_paragraph (TsrTextBuilder *self)
{
  Container *t;

  close_implicit (self);
  t = top (self);
  if (t->kind != CONTAINER_PARAGRAPH)
    return;
  flush_paragraph (self, t);
  pop (self);
}

static void
account (TsrTextBuilder *self,
         gsize           length)
{
  self->n_bytes += length;
  if (self->n_bytes > self->max_bytes)
    self->full = TRUE;
}

/* Appends @text without control characters (other than tab and line
 * feed) and with CR and CRLF as LF. */
static void
append_clean (GString    *to,
              const char *text,
              gsize       length)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + length;
  const guchar *run = p;

  while (p < end)
    {
      gboolean drop = FALSE;
      gsize skip = 1;
      char replacement = 0;

      if (*p < 0x20 && *p != '\t' && *p != '\n')
        {
          if (*p == '\r')
            {
              if (p + 1 < end && p[1] == '\n')
                drop = TRUE;
              else
                replacement = '\n';
            }
          else
            drop = TRUE;
        }
      else if (*p == 0x7f)
        drop = TRUE;
      else if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] < 0xa0)
        {
          drop = TRUE;
          skip = 2;
        }

      if (drop || replacement != 0)
        {
          g_string_append_len (to, (const char *) run, p - run);
          if (replacement != 0)
            g_string_append_c (to, replacement);
          p += skip;
          run = p;
        }
      else
        p++;
    }
  g_string_append_len (to, (const char *) run, p - run);
}

void
tsr_text_builder_append (TsrTextBuilder *self,
                         const char     *text,
                         gssize          length)
{
  Container *t;

  if (text == NULL || self->full)
    return;
  if (length < 0)
    length = strlen (text);
  if (length == 0)
    return;

  t = top (self);
  if (t->kind != CONTAINER_PARAGRAPH)
    {
      t = push (self, CONTAINER_PARAGRAPH);
      t->implicit = TRUE;
    }

  account (self, length);
  if (self->full)
    return;
  append_clean (t->text, text, length);
}

void
tsr_text_builder_append_c (TsrTextBuilder *self,
                           char            c)
{
  tsr_text_builder_append (self, &c, 1);
}

void
tsr_text_builder_begin_table (TsrTextBuilder *self)
{
  before_block (self);
  push (self, CONTAINER_TABLE);
}

static gboolean
close_to (TsrTextBuilder *self,
          ContainerKind   kind)
{
  close_implicit (self);

  /* Readers end what they began, but a damaged file may not: close
   * what is still open inside, as long as @kind is open at all. */
  for (guint i = self->stack->len; i > 1; i--)
    {
      Container *c = &g_array_index (self->stack, Container, i - 1);

      if (c->kind == kind)
        {
          while (top (self)->kind != kind)
            {
              Container *t = top (self);

              switch (t->kind)
                {
                case CONTAINER_PARAGRAPH: tsr_text_builder_end_paragraph (self); break;
                case CONTAINER_TABLE: tsr_text_builder_end_table (self); break;
                case CONTAINER_ROW: tsr_text_builder_end_row (self, TRUE); break;
                case CONTAINER_CELL: tsr_text_builder_end_cell (self); break;
                case CONTAINER_NOTE: tsr_text_builder_end_note (self); break;
                case CONTAINER_ROOT:
                default:
                  g_assert_not_reached ();
                }
            }
          return TRUE;
        }
      /* A note's insides never close the block around the note. */
      if (c->kind == CONTAINER_NOTE)
        return FALSE;
    }
  return FALSE;
}

void
tsr_text_builder_end_table (TsrTextBuilder *self)
{
  g_autofree char *text = NULL;

  if (!close_to (self, CONTAINER_TABLE))
    return;
  text = g_string_free (g_steal_pointer (&top (self)->text), FALSE);
  pop (self);
  deliver (self, text, FALSE, NULL);
}

void
tsr_text_builder_begin_row (TsrTextBuilder *self)
{
  before_block (self);
  push (self, CONTAINER_ROW);
}

void
tsr_text_builder_end_row (TsrTextBuilder *self,
                          gboolean        keep)
{
  g_autofree char *text = NULL;

  if (!close_to (self, CONTAINER_ROW))
    return;
  trim_end (top (self)->text, "\t ");
  text = g_string_free (g_steal_pointer (&top (self)->text), FALSE);
  pop (self);
  if (!keep)
    return;

  if (top (self)->kind == CONTAINER_TABLE)
    {
      Container *table = top (self);

      if (!is_blank (text))
        {
          if (table->text->len > 0)
            g_string_append_c (table->text, '\n');
          g_string_append (table->text, text);
        }
    }
  else
    deliver (self, text, FALSE, NULL);
}

void
tsr_text_builder_begin_cell (TsrTextBuilder *self)
{
  before_block (self);
  push (self, CONTAINER_CELL);
}

void
tsr_text_builder_end_cell (TsrTextBuilder *self)
{
  g_autofree char *text = NULL;
  Container *row;

  if (!close_to (self, CONTAINER_CELL))
    return;
  trim_end (top (self)->text, " ");
  text = g_string_free (g_steal_pointer (&top (self)->text), FALSE);
  pop (self);

  row = top (self);
  if (row->kind == CONTAINER_ROW)
    {
      /* Empty cells keep their place in the row. */
      if (row->n_cells++ > 0)
        g_string_append_c (row->text, '\t');
      g_string_append (row->text, text);
    }
  else
    deliver (self, text, FALSE, NULL);
}

void
tsr_text_builder_begin_note (TsrTextBuilder *self,
                             const char     *mark,
                             gboolean        endnote)
{
  Container *c = push (self, CONTAINER_NOTE);

  c->mark = g_strdup (mark != NULL && *mark != '\0' ? mark : "*");
  c->endnote = endnote;
}

void
tsr_text_builder_end_note (TsrTextBuilder *self)
{
  Container *c;

  if (!close_to (self, CONTAINER_NOTE))
    return;
  c = top (self);
  trim_end (c->text, " \t\n");
  if (c->text->len > 0)
    g_ptr_array_add (c->endnote ? self->endnotes : self->footnotes,
                     g_strdup_printf ("[%s] %s", c->mark, c->text->str));
  pop (self);
}

void
tsr_text_builder_close_all (TsrTextBuilder *self)
{
  while (self->stack->len > 1)
    {
      switch (top (self)->kind)
        {
        case CONTAINER_PARAGRAPH: tsr_text_builder_end_paragraph (self); break;
        case CONTAINER_TABLE: tsr_text_builder_end_table (self); break;
        case CONTAINER_ROW: tsr_text_builder_end_row (self, TRUE); break;
        case CONTAINER_CELL: tsr_text_builder_end_cell (self); break;
        case CONTAINER_NOTE: tsr_text_builder_end_note (self); break;
        case CONTAINER_ROOT:
        default:
          g_assert_not_reached ();
        }
    }
}

/**
 * tsr_text_builder_finish:
 *
 * Returns: (transfer full): the document's text, with a final line end,
 *   or "" when it held no text
 */
char *
tsr_text_builder_finish (TsrTextBuilder *self)
{
  GPtrArray *notes[] = { self->footnotes, self->endnotes };

  tsr_text_builder_close_all (self);

  for (guint n = 0; n < G_N_ELEMENTS (notes); n++)
    for (guint i = 0; i < notes[n]->len; i++)
      {
        if (self->out->len > 0)
          g_string_append (self->out, "\n\n");
        g_string_append (self->out, notes[n]->pdata[i]);
      }

  if (self->out->len > 0)
    g_string_append_c (self->out, '\n');

  if (!g_utf8_validate_len (self->out->str, self->out->len, NULL))
    return g_utf8_make_valid (self->out->str, self->out->len);
  return g_strndup (self->out->str, self->out->len);
}

static void
append_roman (GString  *s,
              int       n,
              gboolean  upper)
{
  static const struct { int value; const char *digits; } table[] = {
    { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
    { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    while (n >= table[i].value)
      {
        for (const char *d = table[i].digits; *d; d++)
          g_string_append_c (s, upper ? g_ascii_toupper (*d) : *d);
        n -= table[i].value;
      }
}

void
tsr_import_append_number (GString *s,
                          int      n,
                          char     style)
{
  switch (style)
    {
    case 0:
      break;

    case '0':
      g_string_append_printf (s, "%02d", n);
      break;

    case 'a':
    case 'A':
      /* Word and LibreOffice go on from z with aa, bb, cc… */
      if (n <= 0 || n > 26 * 40)
        g_string_append_printf (s, "%d", n);
      else
        for (int i = 0; i <= (n - 1) / 26; i++)
          g_string_append_c (s, (char) (style + (n - 1) % 26));
      break;

    case 'i':
    case 'I':
      if (n <= 0 || n >= 4000)
        g_string_append_printf (s, "%d", n);
      else
        append_roman (s, n, style == 'I');
      break;

    case '1':
    default:
      g_string_append_printf (s, "%d", n);
      break;
    }
}
