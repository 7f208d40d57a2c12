/* tsr-import-pdf.c — the text of PDF files
 *
 * poppler gives each page's text in reading order, a line at a time, and
 * where each character sits.  A PDF has no paragraphs, only lines, so
 * they are rebuilt from the layout: a new paragraph starts after a
 * vertical gap clearly larger than the usual line spacing, at a first-
 * line indent, or where the text jumps up (a new column).  Lines of one
 * paragraph are joined with a space; a word hyphenated at the end of a
 * line keeps its hyphen ("well-known", but also "exam-ple": removing it
 * would break the many compounds that happen to end a line).  A
 * paragraph that runs on to the next page is joined when the page ends
 * mid-sentence and the next one starts in lower case.
 *
 * What cannot be read is said so: a scan without a text layer, a PDF
 * that asks for a password, a damaged file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

/* A gap this many times the usual line pitch starts a paragraph. */
#define PARAGRAPH_GAP_RATIO 1.3

typedef struct
{
  GString *text;
  double   x1, y1, x2, y2;
  gboolean blank;
} Line;

static void
line_clear (gpointer data)
{
  Line *line = data;

  g_string_free (line->text, TRUE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

/* Latin ligatures (ﬁ, ﬂ…) as the letters they stand for, so that words
 * set with them can be found. */
static void
append_char (GString  *s,
             gunichar  c)
{
  static const char * const ligatures[] = { "ff", "fi", "fl", "ffi", "ffl", "st", "st" };

  if (c >= 0xfb00 && c <= 0xfb06)
    g_string_append (s, ligatures[c - 0xfb00]);
  else
    g_string_append_unichar (s, c);
}

/* Splits a page's text into lines with their bounding boxes.  Without a
 * usable layout the boxes stay empty. */
static GArray *
split_lines (const char       *text,
             PopplerRectangle *rects,
             guint             n_rects)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  Line line = { g_string_new (NULL), G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, TRUE };
  guint i = 0;

  g_array_set_clear_func (lines, line_clear);

  for (const char *p = text; ; p = g_utf8_next_char (p), i++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\0')
        {
          while (line.text->len > 0 && line.text->str[line.text->len - 1] == ' ')
            g_string_truncate (line.text, line.text->len - 1);
          g_array_append_val (lines, line);
          if (c == '\0')
            break;
          line = (Line) { g_string_new (NULL), G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, TRUE };
          continue;
        }

      if (g_unichar_isspace (c))
        {
          if (line.text->len > 0 && line.text->str[line.text->len - 1] != ' ')
            g_string_append_c (line.text, ' ');
          continue;
        }
      if (c < 0x20 || c == 0xfffe || c == 0xffff)
        continue;

      append_char (line.text, c);
      line.blank = FALSE;
      if (rects != NULL && i < n_rects)
        {
          PopplerRectangle *r = &rects[i];

          line.x1 = MIN (line.x1, MIN (r->x1, r->x2));
          line.x2 = MAX (line.x2, MAX (r->x1, r->x2));
          line.y1 = MIN (line.y1, MIN (r->y1, r->y2));
          line.y2 = MAX (line.y2, MAX (r->y1, r->y2));
        }
    }

  return lines;
}

static gboolean
ends_sentence (const GString *s)
{
  const char *last;

  if (s->len == 0)
    return TRUE;
  last = g_utf8_find_prev_char (s->str, s->str + s->len);
  return last != NULL && g_utf8_strchr (".!?:;\"”’)»…", -1, g_utf8_get_char (last)) != NULL;
}

static gboolean
starts_lower (const GString *s)
{
  return s->len > 0 && g_unichar_islower (g_utf8_get_char (s->str));
}

/* Joins @line onto the paragraph @para. */
static void
join_line (GString    *para,
           const char *line)
{
  if (para->len == 0)
    {
      g_string_append (para, line);
      return;
    }
  /* A soft hyphen at the end of a line only marks where the word broke. */
  if (g_str_has_suffix (para->str, "\xc2\xad"))
    {
      g_string_truncate (para, para->len - 2);
      g_string_append (para, line);
      return;
    }
  if (para->str[para->len - 1] == '-' && para->len >= 2 &&
      g_unichar_isalpha (g_utf8_get_char (g_utf8_find_prev_char (para->str, para->str + para->len - 1))) &&
      g_unichar_islower (g_utf8_get_char (line)))
    {
      g_string_append (para, line);
      return;
    }
  g_string_append_c (para, ' ');
  g_string_append (para, line);
}

static void
deliver (TsrTextBuilder *b,
         GString        *para)
{
  if (para->len == 0)
    return;
  tsr_text_builder_begin_paragraph (b);
  tsr_text_builder_append (b, para->str, para->len);
  tsr_text_builder_end_paragraph (b);
  g_string_truncate (para, 0);
}

static double
percentile (GArray *values,
            double  fraction)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) (fraction * (values->len - 1)));
}

/* Whether the first word of @next would have fitted at the end of
 * @prev: if so, the line was broken on purpose, and a paragraph ends
 * there.  The word's width is estimated from @prev's mean character
 * width. */
static gboolean
next_word_would_fit (Line   *prev,
                     Line   *next,
                     double  right)
{
  glong n_chars = g_utf8_strlen (prev->text->str, -1);
  const char *space;
  glong word_chars;
  double char_width;

  if (n_chars == 0 || prev->x2 <= prev->x1)
    return FALSE;
  /* "exam-" / "ple": the word did not fit, it was split. */
  if (g_str_has_suffix (prev->text->str, "-") || g_str_has_suffix (prev->text->str, "\xc2\xad"))
    return FALSE;

  char_width = (prev->x2 - prev->x1) / n_chars;
  space = strchr (next->text->str, ' ');
  word_chars = space ? g_utf8_strlen (next->text->str, space - next->text->str)
                     : g_utf8_strlen (next->text->str, -1);
  return right - prev->x2 > (word_chars + 1.5) * char_width;
}

/* Adds one page's lines to the text; @para holds the paragraph still
 * open at the end of the previous page. */
static void
add_page (TsrTextBuilder *b,
          GArray         *lines,
          gboolean        have_layout,
          double          page_width,
          GString        *para,
          gboolean       *first_on_page)
{
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lefts = g_array_new (FALSE, FALSE, sizeof (double));
  double height, gap_ref, left, right = -G_MAXDOUBLE, margin = G_MAXDOUBLE;
  gboolean columns = FALSE;
  Line *prev = NULL;

  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      double h = line->y2 - line->y1;

      if (line->blank)
        continue;
      g_array_append_val (heights, h);
      g_array_append_val (lefts, line->x1);
      right = MAX (right, line->x2);
      margin = MIN (margin, line->x1);
      if (page_width > 0 && line->x1 > page_width * 0.45)
        columns = TRUE;
      if (prev != NULL && line->y1 > prev->y1)
        {
          double gap = line->y1 - prev->y2;

          g_array_append_val (gaps, gap);
        }
      prev = line;
    }
  height = median (heights);
  left = median (lefts);
  /* The space between lines of one paragraph: the common small gap. */
  gap_ref = percentile (gaps, 0.25);
  /* When every line is short, the longest one does not show where the
   * text column ends; on a one-column page the right margin mirrors the
   * left one. */
  if (!columns && page_width > 0 && margin < page_width / 2)
    right = MAX (right, page_width - margin);

  prev = NULL;
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = &g_array_index (lines, Line, i);
      gboolean new_paragraph = FALSE;

      if (line->blank)
        {
          deliver (b, para);
          prev = NULL;
          continue;
        }

      if (*first_on_page)
        {
          /* Across a page break, only a sentence cut in two runs on. */
          new_paragraph = ends_sentence (para) || !starts_lower (line->text);
          *first_on_page = FALSE;
        }
      else if (prev == NULL)
        new_paragraph = TRUE;
      else if (have_layout)
        {
          double h = line->y2 - line->y1;
          double prev_h = prev->y2 - prev->y1;

          if (line->y1 < prev->y1 - height / 2)
            new_paragraph = TRUE;   /* up the page: a new column */
          else if (fabs (h - prev_h) > 0.25 * MAX (h, prev_h))
            new_paragraph = TRUE;   /* another size: a heading */
          else if (line->y1 - prev->y2 > gap_ref + 0.4 * height)
            new_paragraph = TRUE;   /* space between paragraphs */
          else if (line->x1 > left + height && prev->x1 <= left + height / 2)
            new_paragraph = TRUE;   /* a first-line indent */
          else if (next_word_would_fit (prev, line, right))
            new_paragraph = TRUE;   /* a line ended early */
        }

      if (new_paragraph)
        deliver (b, para);
      join_line (para, line->text->str);
      prev = line;
    }
  *first_on_page = TRUE;
}

/**
 * tsr_pdf_extract:
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 */
char *
tsr_pdf_extract (GBytes        *data,
                 const char    *display_name,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TsrTextBuilder) b = NULL;
  g_autoptr(GString) para = g_string_new (NULL);
  /* poppler-glib of Debian 12 has no g_autoptr() support. */
  PopplerDocument *doc;
  gboolean first_on_page = TRUE;
  gboolean cancelled = FALSE;
  gsize total = 0;
  char *result;
  int n_pages;

  doc = poppler_document_new_from_bytes (data, NULL, &local_error);
  if (doc == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                     _("The PDF “%s” is protected with a password. Save a copy without the "
                       "password and import that."),
                     display_name);
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                     _("The PDF “%s” is damaged and cannot be read (%s)"),
                     display_name, local_error ? local_error->message : _("unknown error"));
      return NULL;
    }

  b = tsr_text_builder_new (TSR_IMPORT_MAX_TEXT_BYTES);
  n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < n_pages && total <= TSR_IMPORT_MAX_TEXT_BYTES; i++)
    {
      PopplerPage *page;
      g_autofree char *text = NULL;
      g_autofree PopplerRectangle *rects = NULL;
      g_autoptr(GArray) lines = NULL;
      guint n_rects = 0;
      gboolean have_layout;
      double width = 0, page_height = 0;

      if (tsr_import_check_cancelled (cancellable, error))
        {
          cancelled = TRUE;
          break;
        }

      page = poppler_document_get_page (doc, i);
      if (page == NULL)
        continue;
      text = poppler_page_get_text (page);
      if (text != NULL && *text != '\0' && g_utf8_validate (text, -1, NULL))
        {
          total += strlen (text);
          have_layout = poppler_page_get_text_layout (page, &rects, &n_rects) &&
                        n_rects == (guint) g_utf8_strlen (text, -1);
          lines = split_lines (text, have_layout ? rects : NULL, have_layout ? n_rects : 0);
          poppler_page_get_size (page, &width, &page_height);
          add_page (b, lines, have_layout, width, para, &first_on_page);
        }
      g_object_unref (page);
    }
  g_object_unref (doc);
  if (cancelled)
    return NULL;
  deliver (b, para);

  if (total > TSR_IMPORT_MAX_TEXT_BYTES || tsr_text_builder_is_full (b))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("The file “%s” holds more than %u MB of text, more than one document "
                     "may hold. Split it into smaller files and import those."),
                   display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
      return NULL;
    }

  result = tsr_text_builder_finish (b);
  if (*result == '\0')
    {
      g_free (result);
      g_set_error (error, TSR_ERROR, TSR_ERROR_EMPTY_FILE,
                   _("The PDF “%s” has no text layer: it looks like a scanned image. Run "
                     "it through text recognition (OCR), for example with OCRmyPDF, and "
                     "import the result."),
                   display_name);
      return NULL;
    }
  return result;
}
