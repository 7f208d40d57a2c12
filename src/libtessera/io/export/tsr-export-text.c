/* tsr-export-text.c — the plain-text formats: Markdown, CSV and LaTeX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-export-private.h"

static gboolean
write_string (GOutputStream  *stream,
              GString        *out,
              GCancellable   *cancellable,
              GError        **error)
{
  return _tsr_export_write_all (stream, out->str, out->len, cancellable, error);
}

/* Markdown ------------------------------------------------------------ */

/* Escapes @text for CommonMark (and GitHub's pipe tables): every
 * character that could start markup is backslash-escaped, as are the
 * ones that do so only at the start of a line.  A line break is a hard
 * break ("\" at the end of the line) in running text and <br> in a
 * table cell, where a table row must stay on one line. */
static void
md_escape (GString    *out,
           const char *text,
           gboolean    in_table,
           const char *line_prefix)
{
  gboolean line_start = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (c == '\n')
        {
          if (in_table)
            g_string_append (out, "<br>");
          else
            {
              g_string_append (out, "\\\n");
              g_string_append (out, line_prefix);
            }
          line_start = TRUE;
          continue;
        }

      if (strchr ("\\`*_[]<>|~&", c) != NULL)
        g_string_append_c (out, '\\');
      else if (line_start && strchr ("#+-=", c) != NULL)
        g_string_append_c (out, '\\');
      else if (line_start && g_ascii_isdigit (c))
        {
          /* "1." or "1)" would start an ordered list. */
          const char *q = p;

          while (g_ascii_isdigit (*q))
            q++;
          if (*q == '.' || *q == ')')
            {
              g_string_append_len (out, p, q - p);
              g_string_append_c (out, '\\');
              p = q;
              c = *q;
            }
        }

      g_string_append_c (out, c);
      if (c != ' ' && c != '\t')
        line_start = FALSE;
    }
}

/* A run with emphasis keeps its surrounding spaces outside the markers,
 * which CommonMark needs to see the emphasis. */
static void
md_run (GString      *out,
        const char   *text,
        TsrTextStyle  style,
        gboolean      in_table,
        const char   *line_prefix)
{
  const char *marker = "";
  const char *first = text;
  const char *last = text + strlen (text);
  g_autofree char *inner = NULL;

  if (style & TSR_TEXT_SUPERSCRIPT)
    {
      /* CommonMark has no superscript; pandoc and GitHub read HTML's. */
      g_string_append (out, "<sup>");
      md_escape (out, text, in_table, line_prefix);
      g_string_append (out, "</sup>");
      return;
    }
  if ((style & TSR_TEXT_BOLD) && (style & TSR_TEXT_ITALIC))
    marker = "***";
  else if (style & TSR_TEXT_BOLD)
    marker = "**";
  else if (style & TSR_TEXT_ITALIC)
    marker = "*";

  if (*marker == '\0')
    {
      md_escape (out, text, in_table, line_prefix);
      return;
    }

  while (first < last && g_ascii_isspace (*first))
    first++;
  while (last > first && g_ascii_isspace (last[-1]))
    last--;
  if (first == last)
    {
      md_escape (out, text, in_table, line_prefix);
      return;
    }

  inner = g_strndup (text, first - text);
  md_escape (out, inner, in_table, line_prefix);
  g_free (inner);
  g_string_append (out, marker);
  inner = g_strndup (first, last - first);
  md_escape (out, inner, in_table, line_prefix);
  g_string_append (out, marker);
  md_escape (out, last, in_table, line_prefix);
}

static void
md_paragraph (GString            *out,
              TsrExportParagraph *paragraph,
              TsrTextStyle        extra_style,
              gboolean            in_table,
              const char         *line_prefix)
{
  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);

      md_run (out, text, style | extra_style, in_table, line_prefix);
    }
}

static void
md_table (GString               *out,
          const TsrExportLayout *layout,
          TsrExportTable        *table)
{
  g_autofree char *label = _tsr_export_table_label (table->number);

  if (layout->apa)
    {
      /* APA: the number in bold, the title in italic below it. */
      g_string_append_printf (out, "**%s**", label);
      if (*table->caption != '\0')
        {
          g_string_append (out, "\n\n");
          md_run (out, table->caption, TSR_TEXT_ITALIC, FALSE, "");
        }
    }
  else
    {
      g_string_append_printf (out, "**%s.**", label);
      if (*table->caption != '\0')
        {
          g_string_append_c (out, ' ');
          md_escape (out, table->caption, FALSE, "");
        }
    }
  g_string_append (out, "\n\n|");

  for (guint c = 0; c < table->n_columns; c++)
    {
      g_string_append_c (out, ' ');
      md_paragraph (out, table->columns[c].heading, TSR_TEXT_PLAIN, TRUE, "");
      g_string_append (out, " |");
    }
  g_string_append (out, "\n|");
  for (guint c = 0; c < table->n_columns; c++)
    switch (table->columns[c].align)
      {
      case TSR_ALIGN_CENTER: g_string_append (out, ":---:|"); break;
      case TSR_ALIGN_END: g_string_append (out, "---:|"); break;
      case TSR_ALIGN_START:
      default: g_string_append (out, ":---|"); break;
      }
  g_string_append_c (out, '\n');

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      g_string_append_c (out, '|');
      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append_c (out, ' ');
          /* Pipe tables trim the spaces of a cell: an em space entity
           * survives every renderer, and pandoc carries it into Word. */
          if (c == 0)
            for (guint i = 0; i < row->indent; i++)
              g_string_append (out, "&emsp;");
          for (guint i = 0; row->cells[c] != NULL && i < row->cells[c]->len; i++)
            {
              if (i > 0)
                g_string_append (out, "<br>");
              md_paragraph (out, g_ptr_array_index (row->cells[c], i),
                            c == 0 ? row->style : TSR_TEXT_PLAIN, TRUE, "");
            }
          g_string_append (out, " |");
        }
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');

  for (guint i = 0; i < table->notes->len; i++)
    {
      md_paragraph (out, g_ptr_array_index (table->notes, i), TSR_TEXT_PLAIN, FALSE, "");
      g_string_append (out, "\n\n");
    }
}

gboolean
_tsr_export_write_markdown (TsrExportDocument  *doc,
                            GOutputStream      *stream,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph == NULL)
        {
          md_table (out, _tsr_export_document_get_layout (doc), tsr_export_document_get_table (doc, b));
          continue;
        }

      switch (paragraph->style)
        {
        case TSR_PARAGRAPH_TITLE: g_string_append (out, "# "); break;
        case TSR_PARAGRAPH_HEADING_1: g_string_append (out, "## "); break;
        case TSR_PARAGRAPH_HEADING_2: g_string_append (out, "### "); break;
        case TSR_PARAGRAPH_HEADING_3: g_string_append (out, "#### "); break;
        case TSR_PARAGRAPH_QUOTE: g_string_append (out, "> "); break;
        case TSR_PARAGRAPH_BODY:
        case TSR_PARAGRAPH_NOTE:
        default:
          break;
        }

      /* A heading is one line: its line breaks become spaces. */
      if (paragraph->style <= TSR_PARAGRAPH_HEADING_3)
        {
          g_autofree char *text = tsr_export_paragraph_get_text (paragraph);

          g_strdelimit (text, "\n", ' ');
          md_escape (out, text, TRUE, "");
        }
      else
        md_paragraph (out, paragraph, TSR_TEXT_PLAIN, FALSE,
                      paragraph->style == TSR_PARAGRAPH_QUOTE ? "> " : "");
      g_string_append (out, "\n\n");
    }

  /* One final line end, not a blank line. */
  while (out->len > 1 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    g_string_truncate (out, out->len - 1);

  return write_string (stream, out, cancellable, error);
}

/* CSV ----------------------------------------------------------------- */

/* Whether a spreadsheet would read @text as a formula: it begins with
 * one of the characters OWASP's CSV injection guidance lists.  A number
 * ("-0.12", "+3") is a number, not a formula, and stays one. */
static gboolean
looks_like_formula (const char *text)
{
  char *end = NULL;

  if (text[0] == '\0' || strchr ("=+-@\t\r", text[0]) == NULL)
    return FALSE;
  if (text[0] == '-' || text[0] == '+')
    {
      g_ascii_strtod (text, &end);
      if (end != text && *end == '\0')
        return FALSE;
    }
  return TRUE;
}

/* RFC 4180: a field is quoted when it holds a comma, a quote, a line end
 * or starts or ends with a space (which spreadsheets would trim); quotes
 * inside are doubled.  Records end with CRLF.  A field a spreadsheet would
 * run as a formula ("=HYPERLINK(…)" as a code name) starts with an
 * apostrophe, which spreadsheets read as "this is text", unless
 * @keep_formulas. */
static void
csv_field (GString    *out,
           const char *text,
           gboolean    keep_formulas)
{
  gsize len = strlen (text);
  gboolean neutralise = !keep_formulas && looks_like_formula (text);
  gboolean quote = neutralise || strpbrk (text, ",\"\r\n") != NULL ||
                   (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));

  if (!quote)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  if (neutralise)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gboolean
_tsr_export_write_csv (TsrExportDocument  *doc,
                       TsrExportFlags      flags,
                       GOutputStream      *stream,
                       GCancellable       *cancellable,
                       GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  TsrExportTable *table = NULL;
  guint n_tables = tsr_export_document_get_n_tables (doc);
  gboolean keep_formulas = (flags & TSR_EXPORT_CSV_KEEP_FORMULAS) != 0;

  if (n_tables != 1)
    {
      if (n_tables == 0)
        g_set_error_literal (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                             _("CSV holds a table, and this document has none; "
                               "choose DOCX, ODT, PDF, HTML or Markdown"));
      else
        g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                     _("CSV holds one table, and this document has %u; "
                       "choose DOCX, ODT, PDF, HTML or Markdown"), n_tables);
      return FALSE;
    }

  for (guint b = 0; table == NULL; b++)
    table = tsr_export_document_get_table (doc, b);

  if ((flags & TSR_EXPORT_CSV_BOM) && !(flags & TSR_EXPORT_CSV_NO_BOM))
    g_string_append (out, "\xEF\xBB\xBF");

  for (guint c = 0; c < table->n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      csv_field (out, table->columns[c].header, keep_formulas);
    }
  g_string_append (out, "\r\n");

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_autofree char *text = tsr_export_table_get_cell_text (table, r, c);

          if (c > 0)
            g_string_append_c (out, ',');
          /* The level of a row is kept as two spaces a level, as in the
           * command line's tables, so the hierarchy survives. */
          if (c == 0 && row->indent > 0)
            {
              g_autofree char *indented = g_strdup_printf ("%*s%s", 2 * row->indent, "", text);

              csv_field (out, indented, keep_formulas);
            }
          else
            csv_field (out, text, keep_formulas);
        }
      g_string_append (out, "\r\n");
    }

  return write_string (stream, out, cancellable, error);
}

/* LaTeX --------------------------------------------------------------- */

static const char * const greek_lower[] = {
  "\\alpha", "\\beta", "\\gamma", "\\delta", "\\varepsilon", "\\zeta", "\\eta", "\\theta", "\\iota",
  "\\kappa", "\\lambda", "\\mu", "\\nu", "\\xi", "o", "\\pi", "\\rho", "\\varsigma", "\\sigma", "\\tau",
  "\\upsilon", "\\varphi", "\\chi", "\\psi", "\\omega",
};
static const char * const greek_upper[] = {
  "\\mathrm{A}", "\\mathrm{B}", "\\Gamma", "\\Delta", "\\mathrm{E}", "\\mathrm{Z}", "\\mathrm{H}", "\\Theta",
  "\\mathrm{I}", "\\mathrm{K}", "\\Lambda", "\\mathrm{M}", "\\mathrm{N}", "\\Xi", "\\mathrm{O}", "\\Pi",
  "\\mathrm{P}", NULL, "\\Sigma", "\\mathrm{T}", "\\Upsilon", "\\Phi", "\\mathrm{X}", "\\Psi", "\\Omega",
};

/* What a character outside ASCII becomes, when every engine needs it
 * spelt out: Greek letters and symbols in math mode (which every TeX
 * Live has, and which sets κ and α in italic, as APA wants), sub- and
 * superscripts.  NULL when pdflatex's UTF-8 input reads it as it is
 * (Latin letters, quotation marks, dashes). */
static char *
tex_unicode (gunichar c)
{
  static const struct { gunichar c; const char *tex; } symbols[] = {
    { 0x2212, "\\ensuremath{-}" }, { 0x00B7, "\\ensuremath{\\cdot}" }, { 0x00D7, "\\ensuremath{\\times}" },
    { 0x00F7, "\\ensuremath{\\div}" }, { 0x00B1, "\\ensuremath{\\pm}" }, { 0x2264, "\\ensuremath{\\leq}" },
    { 0x2265, "\\ensuremath{\\geq}" }, { 0x2260, "\\ensuremath{\\neq}" }, { 0x2248, "\\ensuremath{\\approx}" },
    { 0x221E, "\\ensuremath{\\infty}" }, { 0x2192, "\\ensuremath{\\rightarrow}" },
    { 0x2190, "\\ensuremath{\\leftarrow}" }, { 0x00BD, "\\ensuremath{\\frac{1}{2}}" },
    { 0x00BC, "\\ensuremath{\\frac{1}{4}}" }, { 0x00BE, "\\ensuremath{\\frac{3}{4}}" },
    { 0x00B0, "\\ensuremath{^\\circ}" }, { 0x2009, "\\," }, { 0x202F, "\\," }, { 0x00A0, "~" },
    { 0x2026, "\\dots{}" }, { 0x2032, "\\ensuremath{'}" }, { 0x00B2, "\\textsuperscript{2}" },
    { 0x00B3, "\\textsuperscript{3}" }, { 0x00B9, "\\textsuperscript{1}" }, { 0x2070, "\\textsuperscript{0}" },
    { 0x1D62, "\\textsubscript{i}" }, { 0x2C7C, "\\textsubscript{j}" },
  };
  /* Subscript letters from U+2090: a e o x ə h k l m n p s t. */
  static const char sub_letters[] = "aeoxehklmnpst";

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (symbols[i].c == c)
      return g_strdup (symbols[i].tex);
  if (c >= 0x03B1 && c <= 0x03C9)
    return g_strdup_printf ("\\ensuremath{%s}", greek_lower[c - 0x03B1]);
  if (c >= 0x0391 && c <= 0x03A9 && greek_upper[c - 0x0391] != NULL)
    return g_strdup_printf ("\\ensuremath{%s}", greek_upper[c - 0x0391]);
  if (c == 0x03D5)
    return g_strdup ("\\ensuremath{\\phi}");
  if (c >= 0x2080 && c <= 0x2089)
    return g_strdup_printf ("\\textsubscript{%c}", (char) ('0' + c - 0x2080));
  if (c >= 0x2074 && c <= 0x2079)
    return g_strdup_printf ("\\textsuperscript{%c}", (char) ('4' + c - 0x2074));
  if (c >= 0x2090 && c <= 0x209C)
    return g_strdup_printf ("\\textsubscript{%c}", sub_letters[c - 0x2090]);
  return NULL;
}

/* Whether pdflatex's UTF-8 input, with T1 fonts, reads @c as it is. */
static gboolean
tex_reads (gunichar c)
{
  static const gunichar punctuation[] = {
    0x2013, 0x2014, 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022, 0x2030,
    0x2039, 0x203A, 0x20AC, 0x2122,
  };

  if (c >= 0x00A0 && c <= 0x017F)
    return c != 0x0138 && c != 0x0149 && c != 0x017F;
  for (guint i = 0; i < G_N_ELEMENTS (punctuation); i++)
    if (punctuation[i] == c)
      return TRUE;
  return FALSE;
}

/* Escapes @text for LaTeX: the ten special characters, and the ones that
 * T1 or babel could turn into something else.  Greek letters, minus
 * signs and the like go into math mode; a run of characters pdflatex
 * cannot set (Hebrew, Arabic, CJK, emoji) goes into \tsrtext{}, which
 * xelatex and lualatex set as it is and pdflatex replaces with a mark,
 * so the file compiles with every engine.  A line break is \newline; a
 * break at the start of a paragraph is dropped, as LaTeX has no line
 * there to end. */
static void
tex_escape (GString    *out,
            const char *text,
            gboolean   *at_start)
{
  gboolean in_other = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_autofree char *spelt = NULL;

      if (c >= 0x80)
        {
          spelt = tex_unicode (c);
          if (spelt == NULL && !tex_reads (c))
            {
              /* Combining marks and joiners stay with the run they are in. */
              if (!in_other)
                g_string_append (out, "\\tsrtext{");
              in_other = TRUE;
              g_string_append_unichar (out, c);
              *at_start = FALSE;
              continue;
            }
        }
      if (in_other && (c == ' ' || g_unichar_ismark (c) || c == 0x200D || c == 0xFE0F))
        {
          g_string_append_unichar (out, c);
          continue;
        }
      if (in_other)
        {
          /* Spaces inside the run went in with it; a space before what
           * follows is kept outside. */
          gsize trailing = 0;

          while (trailing < out->len && out->str[out->len - 1 - trailing] == ' ')
            trailing++;
          g_string_truncate (out, out->len - trailing);
          g_string_append_c (out, '}');
          for (gsize i = 0; i < trailing; i++)
            g_string_append_c (out, ' ');
          in_other = FALSE;
        }
      if (spelt != NULL)
        {
          g_string_append (out, spelt);
          *at_start = FALSE;
          continue;
        }
      if (c >= 0x80)
        {
          g_string_append_unichar (out, c);
          *at_start = FALSE;
          continue;
        }

      switch (*p)
        {
        case '\\': g_string_append (out, "\\textbackslash{}"); break;
        case '%': g_string_append (out, "\\%"); break;
        case '&': g_string_append (out, "\\&"); break;
        case '$': g_string_append (out, "\\$"); break;
        case '#': g_string_append (out, "\\#"); break;
        case '_': g_string_append (out, "\\_"); break;
        case '{': g_string_append (out, "\\{"); break;
        case '}': g_string_append (out, "\\}"); break;
        case '~': g_string_append (out, "\\textasciitilde{}"); break;
        case '^': g_string_append (out, "\\textasciicircum{}"); break;
        case '<': g_string_append (out, "\\textless{}"); break;
        case '>': g_string_append (out, "\\textgreater{}"); break;
        case '|': g_string_append (out, "\\textbar{}"); break;
        case '"': g_string_append (out, "\\textquotedbl{}"); break;
        /* A "[" right after \\ or \newline would be read as its
         * optional argument. */
        case '[': g_string_append (out, "{[}"); break;
        case ']': g_string_append (out, "{]}"); break;
        case '\t': g_string_append_c (out, ' '); break;
        case '\n':
          if (!*at_start)
            g_string_append (out, "\\newline{}");
          continue;
        default:
          g_string_append_c (out, *p);
          break;
        }
      *at_start = FALSE;
    }
  if (in_other)
    g_string_append_c (out, '}');
}

static char *
tex_escaped (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean at_start = TRUE;

  tex_escape (out, text, &at_start);
  return g_string_free (out, FALSE);
}

static void
tex_paragraph (GString            *out,
               TsrExportParagraph *paragraph,
               TsrTextStyle        extra_style)
{
  gboolean at_start = TRUE;

  for (guint i = 0; i < tsr_export_paragraph_get_n_runs (paragraph); i++)
    {
      TsrTextStyle style;
      const char *text = tsr_export_paragraph_get_run (paragraph, i, &style);

      style &= ~extra_style;
      if (style & TSR_TEXT_SUPERSCRIPT)
        g_string_append (out, "\\textsuperscript{");
      if (style & TSR_TEXT_BOLD)
        g_string_append (out, "\\textbf{");
      if (style & TSR_TEXT_ITALIC)
        g_string_append (out, "\\textit{");
      tex_escape (out, text, &at_start);
      if (style & TSR_TEXT_ITALIC)
        g_string_append_c (out, '}');
      if (style & TSR_TEXT_BOLD)
        g_string_append_c (out, '}');
      if (style & TSR_TEXT_SUPERSCRIPT)
        g_string_append_c (out, '}');
    }
}

static void
tex_header_row (GString               *out,
                const TsrExportLayout *layout,
                TsrExportTable        *table)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      if (c > 0)
        g_string_append (out, " & ");
      /* Header cells sit on the rule below them; APA's are not bold. */
      if (!layout->apa)
        g_string_append (out, "\\bfseries ");
      tex_paragraph (out, table->columns[c].heading, TSR_TEXT_PLAIN);
    }
  g_string_append (out, " \\\\\n");
}

/* Every table is a longtable: it breaks across pages between rows (never
 * inside one), with its header repeated, and never floats away from the
 * text that introduces it.  The notes sit in its last foot, so they stay
 * with the table's last rows. */
static void
tex_table (GString               *out,
           const TsrExportLayout *layout,
           TsrExportTable        *table)
{
  g_autoptr(GString) spec = g_string_new ("@{}");
  g_autofree double *widths = g_new0 (double, table->n_columns);
  /* Translators: beside "Table 1" above a table continued on a new page */
  g_autofree char *continued = tex_escaped (_("continued"));
  /* Translators: at the foot of a table that goes on over the page */
  g_autofree char *continued_below = tex_escaped (_("continued on the next page"));
  gboolean at_start = TRUE;
  gboolean spaced = FALSE;
  double total = 0, size;

  /* Widths measured as the word processors' are, for the text block of
   * 10 point type (\small in an 11 point document), or 9 or 8 points
   * (\footnotesize, \scriptsize) for a wide table. */
  size = _tsr_export_table_widths (table, layout->page_width - 2 * (layout->apa ? 72 : 2 * 72 / 2.54),
                                   "Latin Modern Roman, CMU Serif, DejaVu Serif, Serif", 11, 8.8,
                                   !layout->apa, 3, widths);
  /* Measured a tenth larger: TeX's fonts at small sizes are drawn wider
   * than a scaled-down Latin Modern Roman 10. */
  size = size * 10 / 11;
  for (guint c = 0; c < table->n_columns; c++)
    total += widths[c];
  for (guint c = 0; c < table->n_columns; c++)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      const char *align = table->columns[c].align == TSR_ALIGN_END ? "\\raggedleft"
                        : table->columns[c].align == TSR_ALIGN_CENTER ? "\\centering" : "\\raggedright";

      g_ascii_formatd (buffer, sizeof buffer, "%.3f", widths[c] / total);
      g_string_append_printf (spec, ">{%s\\arraybackslash}p{\\dimexpr %s\\linewidth-%s\\tabcolsep\\relax}",
                              align, buffer, c == 0 || c + 1 == table->n_columns ? "1" : "2");
    }
  g_string_append (spec, "@{}");

  for (guint r = 0; r < table->rows->len && !spaced; r++)
    for (guint c = 0; c < table->n_columns; c++)
      if (tsr_export_table_get_n_cell_paragraphs (table, r, c) > 1)
        spaced = TRUE;

  /* No word of a table is hyphenated: not a header word, not a number. */
  g_string_append (out, "\\begingroup\n");
  g_string_append (out, size < 8.99 ? "\\scriptsize\n" : size < 9.99 ? "\\footnotesize\n" : "\\small\n");
  g_string_append (out, "\\setlength{\\tabcolsep}{3pt}\n\\hyphenpenalty=10000\n\\exhyphenpenalty=10000\n");
  if (layout->apa)
    g_string_append (out, "\\captionsetup{labelfont=bf,labelsep=newline,textfont=it,"
                          "justification=raggedright,singlelinecheck=false}\n");
  else
    g_string_append (out, "\\captionsetup{labelfont=bf,labelsep=period,"
                          "justification=raggedright,singlelinecheck=false}\n");
  g_string_append_printf (out, "\\begin{longtable}{%s}\n\\caption{", spec->str);
  tex_escape (out, table->caption, &at_start);
  g_string_append_printf (out, "}\\label{tab:tessera-%u}\\\\\n\\toprule\n", table->number);
  tex_header_row (out, layout, table);
  g_string_append (out, "\\midrule\n\\endfirsthead\n");
  g_string_append_printf (out, "\\multicolumn{%u}{@{}l}{\\small\\itshape \\tablename~\\thetable{} (%s)}"
                               "\\\\[2pt]\n\\toprule\n",
                          table->n_columns, continued);
  tex_header_row (out, layout, table);
  g_string_append (out, "\\midrule\n\\endhead\n\\midrule\n");
  g_string_append_printf (out, "\\multicolumn{%u}{r@{}}{\\small\\itshape (%s)}\\\\\n\\endfoot\n"
                               "\\bottomrule\n",
                          table->n_columns, continued_below);
  for (guint i = 0; i < table->notes->len; i++)
    {
      g_string_append_printf (out, "\\multicolumn{%u}{@{}p{\\linewidth}@{}}{\\footnotesize%s ",
                              table->n_columns, i == 0 ? "\\rule{0pt}{3ex}" : "");
      tex_paragraph (out, g_ptr_array_index (table->notes, i), TSR_TEXT_PLAIN);
      g_string_append (out, "}\\\\\n");
    }
  g_string_append (out, "\\endlastfoot\n");

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

      if (r > 0 && spaced)
        g_string_append (out, "\\addlinespace[4pt]\n");
      for (guint c = 0; c < table->n_columns; c++)
        {
          if (c > 0)
            g_string_append (out, " & ");
          if (c == 0 && (row->style & TSR_TEXT_BOLD))
            g_string_append (out, "\\bfseries ");
          if (c == 0 && (row->style & TSR_TEXT_ITALIC))
            g_string_append (out, "\\itshape ");
          if (c == 0 && row->indent > 0)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              /* The whole cell is indented, its wrapped lines too. */
              g_ascii_formatd (buffer, sizeof buffer, "%.1f", 1.2 * row->indent);
              g_string_append_printf (out, "\\leftskip=%sem\\relax ", buffer);
            }
          for (guint i = 0; row->cells[c] != NULL && i < row->cells[c]->len; i++)
            {
              if (i > 0)
                g_string_append (out, "\\par\\vspace{3pt}");
              tex_paragraph (out, g_ptr_array_index (row->cells[c], i),
                             c == 0 ? row->style : TSR_TEXT_PLAIN);
            }
        }
      g_string_append (out, " \\\\\n");
    }

  g_string_append (out, "\\end{longtable}\n\\endgroup\n\n");
}

/* \tsrtext{} holds text pdflatex cannot set (see tex_escape()). */
static const char latex_tsrtext[] =
  "\\makeatletter\n"
  "\\@ifundefined{tsrtext}{%\n"
  "  \\ifdefined\\XeTeXrevision\\DeclareRobustCommand\\tsrtext[1]{#1}%\n"
  "  \\else\\ifdefined\\directlua\\DeclareRobustCommand\\tsrtext[1]{#1}%\n"
  "  \\else\\DeclareRobustCommand\\tsrtext[1]{\\textsf{[?]}}\\fi\\fi}{}\n"
  "\\makeatother\n";

static const char latex_preamble[] =
  "\\documentclass[11pt]{article}\n"
  "\\usepackage{iftex}\n"
  "\\ifPDFTeX\n"
  "  \\usepackage[T1]{fontenc}\n"
  "  \\usepackage[utf8]{inputenc}\n"
  "  \\usepackage{lmodern}\n"
  "\\else\n"
  "  \\usepackage{fontspec}\n"
  "\\fi\n"
  "\\usepackage{array}\n"
  "\\usepackage{booktabs}\n"
  "\\usepackage{longtable}\n"
  "\\usepackage{caption}\n"
  "\\setlength{\\LTcapwidth}{\\textwidth}\n";

gboolean
_tsr_export_write_latex (TsrExportDocument  *doc,
                         GOutputStream      *stream,
                         GCancellable       *cancellable,
                         GError            **error)
{
  const TsrExportLayout *layout = _tsr_export_document_get_layout (doc);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *title = tsr_export_document_get_title (doc);

  g_string_append_printf (out, "%% %s\n", _tsr_export_generator ());
  if (layout->flags & TSR_EXPORT_LATEX_FRAGMENT)
    {
      /* The tables alone, for \input in a manuscript's body. */
      g_string_append (out, "% The tables alone, to \\input in a document that loads the packages\n"
                            "% array, booktabs, longtable and caption.  It compiles with pdflatex,\n"
                            "% xelatex and lualatex; pdflatex prints text of scripts it has no\n"
                            "% fonts for (Hebrew, Arabic, CJK, emoji) as [?].\n");
      g_string_append (out, latex_tsrtext);
      g_string_append_c (out, '\n');
      for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
        if (tsr_export_document_get_table (doc, b) != NULL)
          tex_table (out, layout, tsr_export_document_get_table (doc, b));
      return write_string (stream, out, cancellable, error);
    }

  g_string_append (out, "% Compiles with pdflatex, xelatex and lualatex; pdflatex prints text of\n"
                        "% scripts it has no fonts for (Hebrew, Arabic, CJK, emoji) as [?], so\n"
                        "% compile such a document with xelatex or lualatex.\n");
  g_string_append (out, latex_preamble);
  g_string_append_printf (out, "\\usepackage[%s,margin=%s]{geometry}\n",
                          layout->letter ? "letterpaper" : "a4paper", layout->apa ? "1in" : "2cm");
  g_string_append (out, latex_tsrtext);
  if (*title != '\0')
    {
      gboolean at_start = TRUE;

      /* The title without hyperref, which xelatex needs extra fonts for. */
      g_string_append (out, "\\title{");
      tex_escape (out, title, &at_start);
      g_string_append (out, "}\n\\date{}\n");
    }
  g_string_append (out, "\n\\begin{document}\n\n");

  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph == NULL)
        {
          tex_table (out, layout, tsr_export_document_get_table (doc, b));
          continue;
        }

      switch (paragraph->style)
        {
        case TSR_PARAGRAPH_TITLE:
          g_string_append (out, "{\\LARGE\\bfseries ");
          tex_paragraph (out, paragraph, TSR_TEXT_BOLD);
          g_string_append (out, "\\par}\n\\bigskip\n\n");
          break;
        case TSR_PARAGRAPH_HEADING_1:
        case TSR_PARAGRAPH_HEADING_2:
        case TSR_PARAGRAPH_HEADING_3:
          {
            static const char * const commands[] = { "section", "subsection", "subsubsection" };

            g_string_append_printf (out, "\\%s*{", commands[paragraph->style - TSR_PARAGRAPH_HEADING_1]);
            tex_paragraph (out, paragraph, TSR_TEXT_PLAIN);
            g_string_append (out, "}\n\n");
          }
          break;
        case TSR_PARAGRAPH_QUOTE:
          g_string_append (out, "\\begin{quote}\\itshape\n");
          tex_paragraph (out, paragraph, TSR_TEXT_ITALIC);
          g_string_append (out, "\n\\end{quote}\n\n");
          break;
        case TSR_PARAGRAPH_NOTE:
          g_string_append (out, "{\\footnotesize ");
          tex_paragraph (out, paragraph, TSR_TEXT_PLAIN);
          g_string_append (out, "\\par}\n\n");
          break;
        case TSR_PARAGRAPH_BODY:
        default:
          tex_paragraph (out, paragraph, TSR_TEXT_PLAIN);
          g_string_append (out, "\n\n");
          break;
        }
    }

  g_string_append (out, "\\end{document}\n");
  return write_string (stream, out, cancellable, error);
}
