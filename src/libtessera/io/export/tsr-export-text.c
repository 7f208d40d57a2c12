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
md_table (GString        *out,
          TsrExportTable *table)
{
  g_autofree char *label = _tsr_export_table_label (table->number);

  g_string_append_printf (out, "**%s.**", label);
  if (*table->caption != '\0')
    {
      g_string_append_c (out, ' ');
      md_escape (out, table->caption, FALSE, "");
    }
  g_string_append (out, "\n\n|");

  for (guint c = 0; c < table->n_columns; c++)
    {
      g_string_append_c (out, ' ');
      md_escape (out, table->columns[c].header, TRUE, "");
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
          md_table (out, tsr_export_document_get_table (doc, b));
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

  if (flags & TSR_EXPORT_CSV_BOM)
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

/* Escapes @text for LaTeX: the ten special characters, and the ones that
 * T1 or babel could turn into something else.  A line break is
 * \newline; a break at the start of a paragraph is dropped, as LaTeX has
 * no line there to end. */
static void
tex_escape (GString    *out,
            const char *text,
            gboolean   *at_start)
{
  for (const char *p = text; *p != '\0'; p++)
    {
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
      if (style & TSR_TEXT_BOLD)
        g_string_append (out, "\\textbf{");
      if (style & TSR_TEXT_ITALIC)
        g_string_append (out, "\\textit{");
      tex_escape (out, text, &at_start);
      if (style & TSR_TEXT_ITALIC)
        g_string_append_c (out, '}');
      if (style & TSR_TEXT_BOLD)
        g_string_append_c (out, '}');
    }
}

static void
tex_header_row (GString        *out,
                TsrExportTable *table)
{
  for (guint c = 0; c < table->n_columns; c++)
    {
      gboolean at_start = TRUE;

      if (c > 0)
        g_string_append (out, " & ");
      g_string_append (out, "\\textbf{");
      tex_escape (out, table->columns[c].header, &at_start);
      g_string_append_c (out, '}');
    }
  g_string_append (out, " \\\\\n");
}

static gsize
table_text_length (TsrExportTable *table)
{
  gsize len = 0;

  for (guint r = 0; r < table->rows->len; r++)
    for (guint c = 0; c < table->n_columns; c++)
      {
        g_autofree char *text = tsr_export_table_get_cell_text (table, r, c);

        len += strlen (text);
      }
  return len;
}

static void
tex_table (GString        *out,
           TsrExportTable *table)
{
  /* A table that may not fit on a page breaks across pages with its
   * header repeated (longtable); a short one floats (table). */
  gboolean long_table = table->rows->len > 15 || table_text_length (table) > 1800;
  guint total = 0;
  g_autoptr(GString) spec = g_string_new (NULL);
  /* Translators: beside "Table 1" above a table continued on a new page */
  g_autofree char *continued = tex_escaped (_("continued"));
  /* Translators: at the foot of a table that goes on over the page */
  g_autofree char *continued_below = tex_escaped (_("continued on the next page"));
  gboolean at_start = TRUE;

  for (guint c = 0; c < table->n_columns; c++)
    total += table->columns[c].width;
  for (guint c = 0; c < table->n_columns; c++)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      char type = table->columns[c].align == TSR_ALIGN_END ? 'R'
                : table->columns[c].align == TSR_ALIGN_CENTER ? 'C' : 'L';

      g_ascii_formatd (buffer, sizeof buffer, "%.3f", (double) table->columns[c].width / total);
      g_string_append_printf (spec, "%c{\\dimexpr %s\\linewidth-2\\tabcolsep\\relax}", type, buffer);
    }

  if (long_table)
    {
      g_string_append_printf (out, "\\begin{longtable}{%s}\n\\caption{", spec->str);
      tex_escape (out, table->caption, &at_start);
      g_string_append_printf (out, "}\\label{tab:tessera-%u}\\\\\n\\toprule\n", table->number);
      tex_header_row (out, table);
      g_string_append (out, "\\midrule\n\\endfirsthead\n");
      g_string_append_printf (out, "\\multicolumn{%u}{@{}l}{\\small\\itshape \\tablename~\\thetable{} (%s)}"
                                   "\\\\[2pt]\n\\toprule\n",
                              table->n_columns, continued);
      tex_header_row (out, table);
      g_string_append (out, "\\midrule\n\\endhead\n\\midrule\n");
      g_string_append_printf (out, "\\multicolumn{%u}{r@{}}{\\small\\itshape (%s)}\\\\\n\\endfoot\n"
                                   "\\bottomrule\n\\endlastfoot\n",
                              table->n_columns, continued_below);
    }
  else
    {
      g_string_append (out, "\\begin{table}[htbp]\n\\caption{");
      tex_escape (out, table->caption, &at_start);
      g_string_append_printf (out, "}\\label{tab:tessera-%u}\n\\begin{tabular}{%s}\n\\toprule\n",
                              table->number, spec->str);
      tex_header_row (out, table);
      g_string_append (out, "\\midrule\n");
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      TsrExportRow *row = &g_array_index (table->rows, TsrExportRow, r);

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

              g_ascii_formatd (buffer, sizeof buffer, "%.1f", 1.2 * row->indent);
              g_string_append_printf (out, "\\hspace*{%sem}", buffer);
            }
          for (guint i = 0; row->cells[c] != NULL && i < row->cells[c]->len; i++)
            {
              if (i > 0)
                g_string_append (out, "\\par ");
              tex_paragraph (out, g_ptr_array_index (row->cells[c], i),
                             c == 0 ? row->style : TSR_TEXT_PLAIN);
            }
        }
      g_string_append (out, " \\\\\n");
    }

  if (long_table)
    g_string_append (out, "\\end{longtable}\n");
  else
    g_string_append (out, "\\bottomrule\n\\end{tabular}\n");

  for (guint i = 0; i < table->notes->len; i++)
    {
      g_string_append (out, long_table ? "\\noindent{\\footnotesize " : "\\par\\smallskip{\\footnotesize ");
      tex_paragraph (out, g_ptr_array_index (table->notes, i), TSR_TEXT_PLAIN);
      g_string_append (out, "\\par}\n");
    }
  if (!long_table)
    g_string_append (out, "\\end{table}\n");
  g_string_append_c (out, '\n');
}

static const char latex_preamble[] =
  "\\documentclass[11pt,a4paper]{article}\n"
  "\\usepackage{iftex}\n"
  "\\ifPDFTeX\n"
  "  \\usepackage[T1]{fontenc}\n"
  "  \\usepackage[utf8]{inputenc}\n"
  "  \\usepackage{lmodern}\n"
  "\\else\n"
  "  \\usepackage{fontspec}\n"
  "\\fi\n"
  "\\usepackage[margin=2cm]{geometry}\n"
  "\\usepackage{array}\n"
  "\\usepackage{booktabs}\n"
  "\\usepackage{longtable}\n"
  "\\usepackage[labelfont=bf,labelsep=period,justification=raggedright,singlelinecheck=false]{caption}\n"
  "\\setlength{\\LTcapwidth}{\\textwidth}\n"
  "\\newcolumntype{L}[1]{>{\\raggedright\\arraybackslash}p{#1}}\n"
  "\\newcolumntype{C}[1]{>{\\centering\\arraybackslash}p{#1}}\n"
  "\\newcolumntype{R}[1]{>{\\raggedleft\\arraybackslash}p{#1}}\n";

gboolean
_tsr_export_write_latex (TsrExportDocument  *doc,
                         GOutputStream      *stream,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *title = tsr_export_document_get_title (doc);

  g_string_append_printf (out, "%% %s\n", _tsr_export_generator ());
  g_string_append (out, "% pdflatex reads Latin, Greek and Cyrillic text; for other scripts\n"
                        "% (Arabic, Hebrew, emoji…) compile with lualatex or xelatex.\n");
  g_string_append (out, latex_preamble);
  if (*title != '\0')
    {
      gboolean at_start = TRUE;

      g_string_append (out, "\\usepackage[pdfusetitle]{hyperref}\n\\title{");
      tex_escape (out, title, &at_start);
      g_string_append (out, "}\n\\date{}\n");
    }
  g_string_append (out, "\n\\begin{document}\n\n");

  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    {
      TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, b);

      if (paragraph == NULL)
        {
          tex_table (out, tsr_export_document_get_table (doc, b));
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
