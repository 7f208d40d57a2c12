/* tsr-export-style.c — what APA 7 style changes in a table, the paper of
 * the locale, and column widths measured from the content
 *
 * The writers draw; this file decides what they draw in APA style:
 * statistical symbols in italic (APA 7, 6.44: n, N, p, M, SD and Greek
 * letters), no leading zero before values that cannot exceed 1 (6.36:
 * ".71", "−.05"), captions in title case (6.17), and column widths that
 * keep every header word and every number on one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#ifdef __GLIBC__
#include <langinfo.h>
#endif

#include <pango/pangocairo.h>

#include "tsr-export-private.h"

void _tsr_export_style_table     (TsrExportTable        *table,
                                  const TsrExportLayout *layout);
void _tsr_export_style_paragraph (TsrExportParagraph    *paragraph,
                                  const TsrExportLayout *layout);

/* Paper ----------------------------------------------------------------- */

gboolean
_tsr_export_locale_is_letter (void)
{
  /* Countries on US Letter (CLDR's paper sizes). */
  static const char * const letter_countries[] = {
    "US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "PR", "PA", "BZ", "SV", "CR", "NI", "DO",
  };
  g_autofree char *tag = NULL;
  const char *country;

#if defined(__GLIBC__) && defined(_NL_PAPER_HEIGHT)
  {
    const char *paper = setlocale (LC_PAPER, NULL);

    /* The locale's own paper, when the program took the user's locale. */
    if (paper != NULL && !g_str_equal (paper, "C") && !g_str_equal (paper, "POSIX"))
      {
        union { char *string; unsigned int word; } height;

        height.string = nl_langinfo (_NL_PAPER_HEIGHT);
        if (height.word == 279)
          return TRUE;
        if (height.word == 297)
          return FALSE;
      }
  }
#endif

  tag = _tsr_export_language_tag ();
  country = strchr (tag, '-');
  if (country == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (letter_countries); i++)
    if (g_ascii_strcasecmp (country + 1, letter_countries[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Title case ------------------------------------------------------------ */

/* APA 7, 6.17: capitalise the first word, the first word after a colon
 * or a dash, and every major word; lowercase only the minor words of
 * three letters or fewer (articles, short conjunctions and short
 * prepositions).  Words that are not all lowercase (names, "κ",
 * abbreviations) are left as they are, and so are single letters. */
static const char * const minor_words[] = {
  "a", "an", "the", "and", "as", "but", "for", "if", "nor", "or", "so", "yet",
  "at", "by", "in", "of", "off", "on", "per", "to", "up", "via", "vs",
};

char *
_tsr_export_title_case (const char *text)
{
  g_autofree char *tag = _tsr_export_language_tag ();
  GString *out;
  gboolean first = TRUE;
  const char *p = text;

  if (!g_str_has_prefix (tag, "en"))
    return g_strdup (text);

  out = g_string_sized_new (strlen (text));
  while (*p != '\0')
    {
      const char *start = p;
      gboolean all_lower = TRUE;
      glong n_letters = 0;
      g_autofree char *word = NULL;
      gboolean minor = FALSE;

      if (!g_unichar_isalpha (g_utf8_get_char (p)))
        {
          gunichar c = g_utf8_get_char (p);

          if (c == ':' || c == 0x2014 || c == 0x2013 || c == '?' || c == '!')
            first = TRUE;
          g_string_append_unichar (out, c);
          p = g_utf8_next_char (p);
          continue;
        }

      /* A word: letters, with apostrophes and hyphens inside. */
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isalpha (c))
            {
              if (!g_unichar_islower (c))
                all_lower = FALSE;
              n_letters++;
            }
          else if (!((c == '\'' || c == 0x2019 || c == '-') && g_unichar_isalpha (g_utf8_get_char (g_utf8_next_char (p)))))
            break;
          p = g_utf8_next_char (p);
        }
      word = g_strndup (start, p - start);

      for (guint i = 0; i < G_N_ELEMENTS (minor_words); i++)
        if (g_str_equal (word, minor_words[i]))
          minor = TRUE;

      /* Only words of Latin letters change: a Greek κ stays a symbol. */
      if (all_lower && (n_letters > 1 || first) && (first || !minor) &&
          g_unichar_get_script (g_utf8_get_char (word)) == G_UNICODE_SCRIPT_LATIN)
        {
          gunichar c = g_utf8_get_char (word);

          g_string_append_unichar (out, g_unichar_totitle (c));
          g_string_append (out, g_utf8_next_char (word));
        }
      else
        g_string_append (out, word);
      first = FALSE;
    }
  return g_string_free (out, FALSE);
}

/* Statistical symbols ---------------------------------------------------- */

static gboolean
is_subscript (gunichar c)
{
  return (c >= 0x2080 && c <= 0x209C) || c == 0x1D62 || c == 0x2C7C;
}

/* Whether what follows @p (after spaces) is a relation: "n = 19". */
static gboolean
relation_follows (const char *p)
{
  while (*p == ' ' || (guchar) *p == 0xC2 /* no-break space */)
    p = g_utf8_next_char (p);
  return *p == '=' || *p == '<' || *p == '>' || *p == '/' ||
         g_str_has_prefix (p, "≤") || g_str_has_prefix (p, "≥") || g_str_has_prefix (p, "≠");
}

/* How many bytes at the start of the word @p (of @len bytes) are a
 * statistical symbol to set in italic: a Greek letter alone, n, N, p, M
 * or SD alone in a header or before a relation ("n = 19"), or such a
 * letter before subscripts ("pₒ"). */
static gsize
symbol_length (const char *p,
               gsize       len,
               gboolean    header)
{
  gunichar c = g_utf8_get_char (p);
  const char *after = g_utf8_next_char (p);
  gsize first = after - p;
  gboolean alone = first == len;
  gboolean subscripted = !alone && is_subscript (g_utf8_get_char (after));

  if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_GREEK && g_unichar_islower (c) && (alone || subscripted))
    return first;
  if (len == 2 && strncmp (p, "SD", 2) == 0 && (header || relation_follows (p + 2)))
    return 2;
  if (c != 'n' && c != 'N' && c != 'p' && c != 'M')
    return 0;
  if (subscripted)
    return first;
  if (alone && (header || relation_follows (p + len)))
    return first;
  return 0;
}

static void
append_run (GArray       *runs,
            const char   *text,
            gsize         len,
            TsrTextStyle  style)
{
  TsrExportRun run;

  if (len == 0)
    return;
  if (runs->len > 0)
    {
      TsrExportRun *last = &g_array_index (runs, TsrExportRun, runs->len - 1);

      if (last->style == style)
        {
          char *joined = g_strdup_printf ("%s%.*s", last->text, (int) len, text);

          g_free (last->text);
          last->text = joined;
          return;
        }
    }
  run.text = g_strndup (text, len);
  run.style = style;
  g_array_append_val (runs, run);
}

static void
run_clear (gpointer data)
{
  g_free (((TsrExportRun *) data)->text);
}

/* Sets the statistical symbols of @paragraph's upright runs in italic. */
static void
italicise_symbols (TsrExportParagraph *paragraph,
                   gboolean            header)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (TsrExportRun));

  g_array_set_clear_func (runs, run_clear);
  for (guint i = 0; i < paragraph->runs->len; i++)
    {
      TsrExportRun *run = &g_array_index (paragraph->runs, TsrExportRun, i);
      const char *p = run->text;
      const char *plain = p;

      if (run->style & (TSR_TEXT_ITALIC | TSR_TEXT_SUPERSCRIPT))
        {
          append_run (runs, run->text, strlen (run->text), run->style);
          continue;
        }

      while (*p != '\0')
        {
          const char *start = p;
          gsize symbol;

          if (!g_unichar_isalpha (g_utf8_get_char (p)))
            {
              p = g_utf8_next_char (p);
              continue;
            }
          while (*p != '\0' && g_unichar_isalpha (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          /* "Cohen's": the apostrophe belongs to the word before. */
          symbol = symbol_length (start, p - start, header);
          if (symbol > 0)
            {
              append_run (runs, plain, start - plain, run->style);
              append_run (runs, start, symbol, run->style | TSR_TEXT_ITALIC);
              plain = start + symbol;
            }
        }
      append_run (runs, plain, p - plain, run->style);
    }
  g_array_unref (paragraph->runs);
  paragraph->runs = runs;
}

/* ".713" for "0.713", "−.05" for "−0.05" (APA 7, 6.36). */
static void
drop_leading_zeros (TsrExportParagraph *paragraph)
{
  static gsize once = 0;
  static GRegex *zero;

  if (g_once_init_enter (&once))
    {
      zero = g_regex_new ("(?<![0-9.,])0(?=[.][0-9])", G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }

  for (guint i = 0; i < paragraph->runs->len; i++)
    {
      TsrExportRun *run = &g_array_index (paragraph->runs, TsrExportRun, i);
      char *replaced = g_regex_replace_literal (zero, run->text, -1, 0, "", 0, NULL);

      if (replaced != NULL)
        {
          g_free (run->text);
          run->text = replaced;
        }
    }
}

void
_tsr_export_style_paragraph (TsrExportParagraph    *paragraph,
                             const TsrExportLayout *layout)
{
  if (layout->apa && paragraph->style == TSR_PARAGRAPH_NOTE)
    italicise_symbols (paragraph, FALSE);
}

void
_tsr_export_style_table (TsrExportTable        *table,
                         const TsrExportLayout *layout)
{
  if (!layout->apa)
    return;

  if (*table->caption != '\0')
    {
      char *caption = _tsr_export_title_case (table->caption);

      g_free (table->caption);
      table->caption = caption;
    }
  for (guint c = 0; c < table->n_columns; c++)
    italicise_symbols (table->columns[c].heading, TRUE);
  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      for (guint c = 0; c < table->n_columns; c++)
        for (guint i = 0; row->cells[c] != NULL && i < row->cells[c]->len; i++)
          {
            if (table->columns[c].bounded)
              drop_leading_zeros (row->cells[c]->pdata[i]);
            if (table->columns[c].align != TSR_ALIGN_START || c == 0)
              italicise_symbols (row->cells[c]->pdata[i], FALSE);
          }
    }
  for (guint i = 0; i < table->notes->len; i++)
    italicise_symbols (table->notes->pdata[i], FALSE);
}

/* Column widths ------------------------------------------------------------ */

/* Points a column gets beyond its text and padding: word processors lay
 * out a little wider than Pango measures (kerning, rounding). */
#define SLACK 2.5

typedef struct
{
  PangoContext *context;
  PangoLayout  *layout;
} Measure;

static double
measure (Measure      *m,
         const char   *text,
         gsize         len,
         gboolean      bold)
{
  PangoFontDescription *font = pango_font_description_copy (pango_layout_get_font_description (m->layout));
  int width;

  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (m->layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (m->layout, text, len);
  pango_layout_get_size (m->layout, &width, NULL);
  return (double) width / PANGO_SCALE;
}

/* The width of the longest word of @text, and of the whole of it (its
 * longest line). */
static void
measure_words (Measure    *m,
               const char *text,
               gboolean    bold,
               double     *longest_word,
               double     *whole)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\n' && *p != '\t')
        p++;
      if (p > start)
        *longest_word = MAX (*longest_word, measure (m, start, p - start, bold));
    }
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      *whole = MAX (*whole, measure (m, lines[i], strlen (lines[i]), bold));
  }
}

double
_tsr_export_table_widths (TsrExportTable *table,
                          double          text_width,
                          const char     *families,
                          double          size,
                          double          min_size,
                          gboolean        bold_header,
                          double          padding,
                          double         *widths)
{
  guint n = table->n_columns;
  g_autofree double *min_text = g_new0 (double, n);
  g_autofree double *natural_text = g_new0 (double, n);
  g_autofree double *min = g_new0 (double, n);
  g_autofree double *natural = g_new0 (double, n);
  g_autofree gboolean *text = g_new0 (gboolean, n);
  /* One font map for the process, kept: a font map made and dropped in
   * each export's worker thread leaves Pango's per-thread data behind.
   * Pango's objects are not for two threads at once, hence the lock. */
  static GMutex lock;
  static PangoFontMap *font_map;
  PangoFontDescription *font = pango_font_description_from_string (families);
  cairo_font_options_t *options = cairo_font_options_create ();
  Measure m;
  double sum_min = 0, total_share = 0, left, scale = 1;

  g_mutex_lock (&lock);
  if (font_map == NULL)
    font_map = pango_cairo_font_map_new ();
  m.context = pango_font_map_create_context (font_map);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (m.context, options);
  pango_cairo_context_set_resolution (m.context, 72);
  cairo_font_options_destroy (options);
  m.layout = pango_layout_new (m.context);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_layout_set_font_description (m.layout, font);
  pango_font_description_free (font);

  for (guint c = 0; c < n; c++)
    {
      double header_word = 0, header_whole = 0, cell_word = 0, cell_whole = 0;
      /* A number or a short value ("21 (95.5%)", "–ᵃ") never breaks;
       * in a text column only words have to fit. */
      gboolean numeric = table->columns[c].align != TSR_ALIGN_START;

      text[c] = !numeric;
      measure_words (&m, table->columns[c].header, bold_header, &header_word, &header_whole);
      for (guint r = 0; r < table->rows->len; r++)
        {
          TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);
          double indent = c == 0 ? row->indent * size * 1.2 : 0;

          for (guint i = 0; row->cells[c] != NULL && i < row->cells[c]->len; i++)
            {
              g_autofree char *cell = tsr_export_paragraph_get_text (row->cells[c]->pdata[i]);
              gboolean bold = c == 0 && (row->style & TSR_TEXT_BOLD);
              double word = 0, whole = 0;

              measure_words (&m, cell, bold, &word, &whole);
              if (numeric && g_utf8_strlen (cell, -1) <= 14)
                word = whole;
              cell_word = MAX (cell_word, word + indent);
              cell_whole = MAX (cell_whole, whole + indent);
            }
        }
      /* A very long word (a web address in a quote) may break rather than
       * take the table. */
      min_text[c] = MIN (MAX (header_word, cell_word), text_width * 0.3);
      natural_text[c] = MAX (MAX (header_whole, cell_whole), min_text[c]);
      total_share += table->columns[c].width;
    }

  g_object_unref (m.layout);
  g_object_unref (m.context);
  g_mutex_unlock (&lock);

  /* A table too wide for the page is set smaller, down to @min_size,
   * before any word has to break (text scales with its size). */
  for (double s = size; s >= min_size - 0.01; s -= 0.5)
    {
      scale = s / size;
      sum_min = 0;
      for (guint c = 0; c < n; c++)
        sum_min += min_text[c] * scale + 2 * padding + SLACK;
      if (sum_min <= text_width)
        break;
    }
  for (guint c = 0; c < n; c++)
    {
      min[c] = min_text[c] * scale + 2 * padding + SLACK;
      natural[c] = MIN (natural_text[c] * scale + 2 * padding + SLACK, text_width);
    }

  if (sum_min >= text_width)
    {
      /* Too many columns for the page even so: shrink them all alike. */
      for (guint c = 0; c < n; c++)
        widths[c] = text_width * min[c] / sum_min;
      return size * scale;
    }

  /* Start from the widths the columns ask for; a column of numbers
   * needs no more than its widest value and header, a text column no
   * more than its longest line; none less than its minimum. */
  for (guint c = 0; c < n; c++)
    {
      widths[c] = text_width * table->columns[c].width / total_share;
      widths[c] = MAX (MIN (widths[c], natural[c]), min[c]);
    }

  /* Too wide: take the difference from the columns above their
   * minimum, in proportion to what they have above it. */
  {
    double sum = 0, slack = 0;

    for (guint c = 0; c < n; c++)
      {
        sum += widths[c];
        slack += widths[c] - min[c];
      }
    if (sum > text_width && slack > 0)
      for (guint c = 0; c < n; c++)
        widths[c] -= (sum - text_width) * (widths[c] - min[c]) / slack;
    left = text_width;
    for (guint c = 0; c < n; c++)
      left -= widths[c];
  }

  /* Room left: text columns grow first, in their shares, up to what
   * they hold; then the other columns up to a header on one line; then
   * all of them, in their shares. */
  for (int pass = 0; pass < 3 && left > 0.01; pass++)
    {
      for (int round = 0; round < 8 && left > 0.01; round++)
        {
          double share = 0, given = 0;

          for (guint c = 0; c < n; c++)
            if ((pass == 2 || text[c] == (pass == 0)) && (pass == 2 || widths[c] < natural[c] - 0.01))
              share += table->columns[c].width;
          if (share == 0)
            break;
          for (guint c = 0; c < n; c++)
            {
              double add;

              if (!((pass == 2 || text[c] == (pass == 0)) && (pass == 2 || widths[c] < natural[c] - 0.01)))
                continue;
              add = left * table->columns[c].width / share;
              if (pass < 2)
                add = MIN (add, natural[c] - widths[c]);
              widths[c] += add;
              given += add;
            }
          left -= given;
          if (pass == 2)
            break;
        }
    }
  return size * scale;
}
