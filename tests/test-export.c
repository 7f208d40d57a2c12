/* test-export.c — every export format, read back as a user's tools read it
 *
 * Each format is read by something other than Tessera's writer: DOCX and
 * ODT are unzipped (libarchive) and their XML parsed (libxml2), DOCX is
 * read again with python-docx, both go through LibreOffice to PDF and
 * pdftotext; HTML goes through libxml2's HTML parser, CSV through an RFC
 * 4180 reader below, JSON through json-glib, the PDF through pdftotext.
 * Markdown and LaTeX are compared with escapes worked out by hand.  The
 * tools that are missing make their tests skip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "tessera.h"
#include "tsr-test-utils.h"

/* Text that every format must carry through. */
#define T1 "<b>Bold</b> & \"quoted\" 'single' \\back\\slash 100% $5 #1 a_b {x} ~y ^z |pipe|"
#define T2 "line one\nline two"
#define T3 "emoji 😀 and Hebrew: שלום עולם and Arabic: مرحبا"
#define T4 "  leading and  double  spaces\ttab"
#define T5 "* not a list\n# not a heading\n1. not a number\n> not a quote"

/* Helpers -------------------------------------------------------------- */

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tsr-export-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static GBytes *
write_bytes (TsrExportDocument *doc,
             TsrExportFormat    format,
             TsrExportFlags     flags)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_export_document_write (doc, format, flags, stream, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (stream, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

static GBytes *
read_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* The model's cells, header row first, one paragraph a line. */
static GPtrArray *
model_rows (TsrExportTable *table)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n = tsr_export_table_get_n_columns (table);
  GStrv header = g_new0 (char *, n + 1);

  for (guint c = 0; c < n; c++)
    header[c] = g_strdup (tsr_export_table_get_header (table, c));
  g_ptr_array_add (rows, header);
  for (guint r = 0; r < tsr_export_table_get_n_rows (table); r++)
    {
      GStrv row = g_new0 (char *, n + 1);

      for (guint c = 0; c < n; c++)
        row[c] = tsr_export_table_get_cell_text (table, r, c);
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static void
assert_rows_equal (GPtrArray  *got,
                   GPtrArray  *expected,
                   const char *what)
{
  g_test_message ("%s: %u rows", what, got->len);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint r = 0; r < got->len; r++)
    {
      char **a = got->pdata[r];
      char **b = expected->pdata[r];

      g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
      for (guint c = 0; b[c] != NULL; c++)
        {
          if (g_strcmp0 (a[c], b[c]) != 0)
            g_test_message ("%s: row %u, column %u differs", what, r, c);
          g_assert_cmpstr (a[c], ==, b[c]);
        }
    }
}

static TsrExportTable *
first_table (TsrExportDocument *doc)
{
  for (guint b = 0; b < tsr_export_document_get_n_blocks (doc); b++)
    if (tsr_export_document_get_table (doc, b) != NULL)
      return tsr_export_document_get_table (doc, b);
  g_assert_not_reached ();
}

/* The document of awkward text ------------------------------------------ */

static TsrExportDocument *
tricky_document (guint extra_rows)
{
  TsrExportDocument *doc = tsr_export_document_new ("Report <x> & y");
  TsrExportParagraph *paragraph;
  TsrExportTable *table;
  guint row;

  tsr_export_document_add_text (doc, TSR_PARAGRAPH_TITLE, T1);
  tsr_export_document_add_heading (doc, 1, "Heading | one");
  paragraph = tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY);
  tsr_export_paragraph_add_text (paragraph, "Bold part", TSR_TEXT_BOLD);
  tsr_export_paragraph_add_text (paragraph, " and ", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (paragraph, " italic part ", TSR_TEXT_ITALIC);
  tsr_export_paragraph_add_text (paragraph, T2, TSR_TEXT_PLAIN);
  tsr_export_document_add_text (doc, TSR_PARAGRAPH_QUOTE, T3);
  tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, T5);

  table = tsr_export_document_add_table (doc, 3);
  tsr_export_table_set_caption (table, T1);
  tsr_export_table_set_column (table, 0, "Name|x", TSR_ALIGN_START, 3);
  tsr_export_table_set_column (table, 1, "Text", TSR_ALIGN_START, 5);
  tsr_export_table_set_column (table, 2, "n", TSR_ALIGN_END, 1);
  row = tsr_export_table_add_row (table, 0, TSR_TEXT_BOLD);
  tsr_export_table_set_cell (table, row, 0, T1);
  tsr_export_table_set_cell (table, row, 1, T2);
  tsr_export_table_set_cell (table, row, 2, "1");
  row = tsr_export_table_add_row (table, 1, TSR_TEXT_PLAIN);
  tsr_export_table_set_cell (table, row, 0, T3);
  tsr_export_table_set_cell (table, row, 1, T4);
  tsr_export_table_set_cell (table, row, 2, "2");
  row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
  tsr_export_table_set_cell (table, row, 0, T5);
  tsr_export_paragraph_add_text (tsr_export_table_add_cell_paragraph (table, row, 1), "first", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (tsr_export_table_add_cell_paragraph (table, row, 1), "second", TSR_TEXT_PLAIN);
  for (guint i = 0; i < extra_rows; i++)
    {
      g_autofree char *name = g_strdup_printf ("Row %u", i + 4);

      row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
      tsr_export_table_set_cell (table, row, 0, name);
      tsr_export_table_set_cell (table, row, 1, "Some text in the middle column, long enough to wrap "
                                                "onto a second and a third line in a narrow column.");
      tsr_export_table_set_cell (table, row, 2, "3");
    }
  paragraph = tsr_export_table_add_note (table);
  tsr_export_paragraph_add_text (paragraph, "Note.", TSR_TEXT_ITALIC);
  tsr_export_paragraph_add_text (paragraph, " " T1, TSR_TEXT_PLAIN);

  /* Control characters are dropped; line ends become "\n". */
  tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, "a\001b\r\nc\rd");
  return doc;
}

static void
test_model (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  TsrExportParagraph *paragraph = tsr_export_document_get_paragraph (doc, 2);
  TsrExportTable *table = tsr_export_document_get_table (doc, 5);
  g_autofree char *last = tsr_export_paragraph_get_text (tsr_export_document_get_paragraph (doc, 6));
  g_autofree char *label = tsr_export_table_get_label (table);
  g_autofree char *cell = tsr_export_table_get_cell_text (table, 2, 1);
  TsrTextStyle style;

  g_assert_cmpuint (tsr_export_document_get_n_blocks (doc), ==, 7);
  g_assert_cmpuint (tsr_export_document_get_n_tables (doc), ==, 1);
  g_assert_null (tsr_export_document_get_table (doc, 0));
  g_assert_null (tsr_export_document_get_paragraph (doc, 5));
  g_assert_cmpint (tsr_export_paragraph_get_style (tsr_export_document_get_paragraph (doc, 1)), ==,
                   TSR_PARAGRAPH_HEADING_1);
  g_assert_cmpuint (tsr_export_paragraph_get_n_runs (paragraph), ==, 4);
  g_assert_cmpstr (tsr_export_paragraph_get_run (paragraph, 2, &style), ==, " italic part ");
  g_assert_cmpint (style, ==, TSR_TEXT_ITALIC);
  g_assert_cmpstr (last, ==, "ab\nc\nd");
  g_assert_cmpstr (label, ==, "Table 1");
  g_assert_cmpstr (cell, ==, "first\nsecond");
  g_assert_cmpuint (tsr_export_table_get_width (table, 1), ==, 5);
  g_assert_cmpuint (tsr_export_table_get_n_cell_paragraphs (table, 2, 2), ==, 0);

  /* Runs of one style join. */
  paragraph = tsr_export_document_add_paragraph (doc, TSR_PARAGRAPH_BODY);
  tsr_export_paragraph_add_text (paragraph, "a", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (paragraph, "b", TSR_TEXT_PLAIN);
  tsr_export_paragraph_add_text (paragraph, "", TSR_TEXT_BOLD);
  g_assert_cmpuint (tsr_export_paragraph_get_n_runs (paragraph), ==, 1);
}

static void
test_formats (void)
{
  TsrExportFormat format;

  g_assert_true (tsr_export_format_from_string ("DOCX", &format));
  g_assert_cmpint (format, ==, TSR_EXPORT_DOCX);
  g_assert_true (tsr_export_format_from_string ("markdown", &format));
  g_assert_cmpint (format, ==, TSR_EXPORT_MARKDOWN);
  g_assert_true (tsr_export_format_from_string ("latex", &format));
  g_assert_cmpint (format, ==, TSR_EXPORT_LATEX);
  g_assert_false (tsr_export_format_from_string ("rtf", &format));
  g_assert_true (tsr_export_format_from_file_name ("/a.b/Themes.tex", &format));
  g_assert_cmpint (format, ==, TSR_EXPORT_LATEX);
  g_assert_false (tsr_export_format_from_file_name ("/a.docx/themes", &format));
  g_assert_false (tsr_export_format_from_file_name ("themes", &format));
  for (guint i = 0; i < TSR_EXPORT_N_FORMATS; i++)
    {
      g_assert_true (tsr_export_format_from_string (tsr_export_format_to_string (i), &format));
      g_assert_cmpint (format, ==, i);
      g_assert_nonnull (tsr_export_format_get_mime_type (i));
      g_assert_nonnull (tsr_export_format_get_display_name (i));
    }
  g_assert_cmpstr (tsr_export_format_get_extension (TSR_EXPORT_MARKDOWN), ==, "md");
}

/* CSV --------------------------------------------------------------------- */

/* An RFC 4180 reader: records end in CRLF (a bare LF inside a quoted
 * field is data). */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *row = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        while (*p != '\0' && *p != ',' && *p != '\r')
          g_string_append_c (field, *p++);

      if (*p == ',')
        {
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else
        {
          g_assert_true (*p == '\r' && p[1] == '\n');
          g_ptr_array_add (row, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (row, NULL);
          g_ptr_array_add (rows, g_ptr_array_free (row, FALSE));
          row = g_ptr_array_new ();
          p += 2;
        }
    }
  g_string_free (field, TRUE);
  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_free (row, TRUE);
  return rows;
}

/* The model's rows as CSV carries them: two spaces a level of indent. */
static GPtrArray *
csv_expected (TsrExportTable *table)
{
  GPtrArray *rows = model_rows (table);

  for (guint r = 1; r < rows->len; r++)
    {
      char **row = rows->pdata[r];
      guint indent = tsr_export_table_get_row_indent (table, r - 1);

      if (indent > 0)
        {
          char *indented = g_strdup_printf ("%*s%s", 2 * indent, "", row[0]);

          g_free (row[0]);
          row[0] = indented;
        }
    }
  return rows;
}

/* OWASP's CSV injection guidance: a cell a spreadsheet would run as a
 * formula is written as text (a leading apostrophe, quoted); numbers stay
 * numbers; the flag keeps everything as it was. */
static void
test_csv_formulas (void)
{
  static const struct { const char *cell; const char *safe; const char *kept; } cases[] = {
    { "=1+1",                       "\"'=1+1\"",                      "=1+1" },
    { "=HYPERLINK(\"http://x\";\"y\")", "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"",
                                    "\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"" },
    { "+A1",                        "\"'+A1\"",                       "+A1" },
    { "-A1",                        "\"'-A1\"",                       "-A1" },
    { "@SUM(A1:A2)",                "\"'@SUM(A1:A2)\"",               "@SUM(A1:A2)" },
    { "\tTab",                      "\"'\tTab\"",                     "\tTab" },
    { "-0.25",                      "-0.25",                          "-0.25" },
    { "+3",                         "+3",                             "+3" },
    { "Hope",                       "Hope",                           "Hope" },
    { "a=b",                        "a=b",                            "a=b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TsrExportDocument) doc = tsr_export_document_new ("x");
      TsrExportTable *table = tsr_export_document_add_table (doc, 1);
      g_autoptr(GBytes) safe = NULL;
      g_autoptr(GBytes) kept = NULL;
      g_autofree char *safe_text = NULL;
      g_autofree char *kept_text = NULL;
      g_autofree char *safe_expected = g_strdup_printf ("Code\r\n%s\r\n", cases[i].safe);
      g_autofree char *kept_expected = g_strdup_printf ("Code\r\n%s\r\n", cases[i].kept);
      guint row;

      tsr_export_table_set_column (table, 0, "Code", TSR_ALIGN_START, 1);
      row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);
      tsr_export_table_set_cell (table, row, 0, cases[i].cell);
      safe = write_bytes (doc, TSR_EXPORT_CSV, 0);
      kept = write_bytes (doc, TSR_EXPORT_CSV, TSR_EXPORT_CSV_KEEP_FORMULAS);
      safe_text = bytes_to_string (safe);
      kept_text = bytes_to_string (kept);
      g_assert_cmpstr (safe_text, ==, safe_expected);
      g_assert_cmpstr (kept_text, ==, kept_expected);
    }
}

static void
test_csv (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) plain = write_bytes (doc, TSR_EXPORT_CSV, 0);
  g_autoptr(GBytes) with_bom = write_bytes (doc, TSR_EXPORT_CSV, TSR_EXPORT_CSV_BOM);
  g_autofree char *text = bytes_to_string (plain);
  g_autofree char *bom_text = bytes_to_string (with_bom);
  g_autoptr(GPtrArray) rows = parse_csv (text);
  g_autoptr(GPtrArray) expected = csv_expected (first_table (doc));

  assert_rows_equal (rows, expected, "CSV");

  /* Worked out by hand: quotes doubled, fields with a quote, a comma, a
   * line end or an outer space quoted. */
  g_assert_true (g_str_has_prefix (text,
                                   "Name|x,Text,n\r\n"
                                   "\"<b>Bold</b> & \"\"quoted\"\" 'single' \\back\\slash 100% $5 #1 a_b {x} "
                                   "~y ^z |pipe|\",\"line one\nline two\",1\r\n"
                                   "\"  emoji 😀 and Hebrew: שלום עולם and Arabic: مرحبا\","
                                   "\"  leading and  double  spaces\ttab\",2\r\n"));
  g_assert_true (g_str_has_suffix (text, "\"first\nsecond\",\r\n"));

  g_assert_true (g_str_has_prefix (bom_text, "\xEF\xBB\xBFName|x,"));
  g_assert_cmpstr (bom_text + 3, ==, text);
}

static void
test_csv_needs_one_table (void)
{
  g_autoptr(TsrExportDocument) none = tsr_export_document_new ("x");
  g_autoptr(TsrExportDocument) two = tsr_export_document_new ("x");
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  tsr_export_document_add_text (none, TSR_PARAGRAPH_BODY, "text");
  g_assert_false (tsr_export_document_write (none, TSR_EXPORT_CSV, 0, stream, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  tsr_export_document_add_table (two, 1);
  tsr_export_document_add_table (two, 1);
  g_assert_false (tsr_export_document_write (two, TSR_EXPORT_CSV, 0, stream, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "has 2"));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), ==, 0);
}

/* Markdown ----------------------------------------------------------------- */

#define MD_T1 "\\<b\\>Bold\\</b\\> \\& \"quoted\" 'single' \\\\back\\\\slash 100% $5 #1 a\\_b {x} \\~y ^z \\|pipe\\|"

static void
test_markdown (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) bytes = write_bytes (doc, TSR_EXPORT_MARKDOWN, TSR_EXPORT_CLASSIC_STYLE);
  g_autofree char *text = bytes_to_string (bytes);

  g_assert_cmpstr (text, ==,
                   "# " MD_T1 "\n"
                   "\n"
                   "## Heading \\| one\n"
                   "\n"
                   "**Bold part** and  *italic part* line one\\\n"
                   "line two\n"
                   "\n"
                   "> emoji 😀 and Hebrew: שלום עולם and Arabic: مرحبا\n"
                   "\n"
                   "\\* not a list\\\n"
                   "\\# not a heading\\\n"
                   "1\\. not a number\\\n"
                   "\\> not a quote\n"
                   "\n"
                   "**Table 1.** " MD_T1 "\n"
                   "\n"
                   "| Name\\|x | Text | n |\n"
                   "|:---|:---|---:|\n"
                   "| **" MD_T1 "** | line one<br>line two | 1 |\n"
                   "| &emsp;emoji 😀 and Hebrew: שלום עולם and Arabic: مرحبا |   leading and  double  spaces\ttab | 2 |\n"
                   "| \\* not a list<br>\\# not a heading<br>1\\. not a number<br>\\> not a quote | first<br>second |  |\n"
                   "\n"
                   "*Note.* " MD_T1 "\n"
                   "\n"
                   "ab\\\n"
                   "c\\\n"
                   "d\n");
}

/* Reads a Markdown pipe table back: cells split at unescaped "|",
 * escapes undone, "<br>" as line breaks, "&emsp;" indents and the bold
 * of a row's label dropped. */
static GPtrArray *
parse_markdown_table (const char *text,
                      const char *header_start)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_table = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      GPtrArray *cells;
      GString *cell;

      if (!in_table)
        {
          in_table = g_str_has_prefix (line, header_start);
          if (!in_table)
            continue;
        }
      else if (*line != '|')
        break;
      if (g_str_has_prefix (line, "|:--") || g_str_has_prefix (line, "|---"))
        continue;

      cells = g_ptr_array_new ();
      cell = NULL;
      for (const char *p = line; *p != '\0'; p++)
        {
          if (*p == '|')
            {
              if (cell != NULL)
                {
                  g_autofree char *raw = g_string_free (cell, FALSE);
                  g_autoptr(GString) clean = g_string_new (NULL);
                  const char *q = raw + 1;          /* "| x |": one space each side */
                  gsize len = strlen (raw);

                  g_assert_cmpint (raw[0], ==, ' ');
                  g_assert_cmpint (raw[len - 1], ==, ' ');
                  raw[len - 1] = '\0';
                  while (g_str_has_prefix (q, "&emsp;"))
                    q += strlen ("&emsp;");
                  if (g_str_has_prefix (q, "**") && g_str_has_suffix (q, "**") && strlen (q) >= 4)
                    {
                      raw[len - 3] = '\0';
                      q += 2;
                    }
                  for (; *q != '\0'; q++)
                    {
                      if (*q == '\\' && q[1] != '\0' && g_ascii_ispunct (q[1]))
                        g_string_append_c (clean, *++q);
                      else if (*q == '*')
                        continue;       /* emphasis: a literal "*" is escaped */
                      else if (g_str_has_prefix (q, "<br>"))
                        {
                          g_string_append_c (clean, '\n');
                          q += 3;
                        }
                      else
                        g_string_append_c (clean, *q);
                    }
                  g_ptr_array_add (cells, g_string_free (g_steal_pointer (&clean), FALSE));
                }
              cell = g_string_new (NULL);
              continue;
            }
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (cell, *p++);
          g_string_append_c (cell, *p);
        }
      if (cell != NULL)
        g_string_free (cell, TRUE);
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
    }
  return rows;
}

/* LaTeX -------------------------------------------------------------------- */

#define TEX_T1 "\\textless{}b\\textgreater{}Bold\\textless{}/b\\textgreater{} \\& \\textquotedbl{}quoted" \
               "\\textquotedbl{} 'single' \\textbackslash{}back\\textbackslash{}slash 100\\% \\$5 \\#1 " \
               "a\\_b \\{x\\} \\textasciitilde{}y \\textasciicircum{}z \\textbar{}pipe\\textbar{}"

static void
assert_braces_balance (const char *text)
{
  int depth = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == '{' || p[1] == '}' || p[1] == '\\'))
        {
          p++;
          continue;
        }
      if (*p == '%' && (p == text || p[-1] != '\\'))
        {
          /* A comment runs to the end of the line. */
          while (p[1] != '\0' && p[1] != '\n')
            p++;
          continue;
        }
      if (*p == '{')
        depth++;
      else if (*p == '}')
        depth--;
      g_assert_cmpint (depth, >=, 0);
    }
  g_assert_cmpint (depth, ==, 0);
}

static void
test_latex (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(TsrExportDocument) long_doc = tricky_document (20);
  g_autoptr(GBytes) bytes = write_bytes (doc, TSR_EXPORT_LATEX, TSR_EXPORT_CLASSIC_STYLE);
  g_autoptr(GBytes) apa_bytes = write_bytes (doc, TSR_EXPORT_LATEX, 0);
  g_autoptr(GBytes) long_bytes = write_bytes (long_doc, TSR_EXPORT_LATEX, 0);
  g_autoptr(GBytes) fragment_bytes = write_bytes (doc, TSR_EXPORT_LATEX, TSR_EXPORT_LATEX_FRAGMENT);
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *apa = bytes_to_string (apa_bytes);
  g_autofree char *long_text = bytes_to_string (long_bytes);
  g_autofree char *fragment = bytes_to_string (fragment_bytes);

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\\usepackage{booktabs}"));
  g_assert_nonnull (strstr (text, "\\usepackage{longtable}"));
  g_assert_nonnull (strstr (text, "{\\LARGE\\bfseries " TEX_T1 "\\par}"));
  g_assert_nonnull (strstr (text, "\\section*{Heading \\textbar{} one}"));
  g_assert_nonnull (strstr (text, "\\textbf{Bold part} and \\textit{ italic part }line one\\newline{}line two\n"));
  /* Every table is a longtable that never hyphenates, its widths from
   * its content. */
  g_assert_nonnull (strstr (text, "\\hyphenpenalty=10000\n"));
  g_assert_nonnull (strstr (text, "\\begin{longtable}{@{}>{\\raggedright\\arraybackslash}p{\\dimexpr "));
  g_assert_nonnull (strstr (text, "\\caption{" TEX_T1 "}\\label{tab:tessera-1}\\\\\n\\toprule\n"
                                  "\\bfseries Name\\textbar{}x & \\bfseries Text & \\bfseries n \\\\\n"
                                  "\\midrule\n\\endfirsthead\n"));
  g_assert_nonnull (strstr (text, "\\bfseries " TEX_T1 " & line one\\newline{}line two & 1 \\\\\n"));
  /* A sub-theme's whole cell is indented; scripts pdflatex cannot set
   * are in \tsrtext. */
  g_assert_nonnull (strstr (text, "\\leftskip=1.2em\\relax emoji \\tsrtext{😀} and Hebrew: "
                                  "\\tsrtext{שלום עולם} and Arabic: \\tsrtext{مرحبا} & "
                                  "  leading and  double  spaces tab & 2 \\\\\n"));
  /* Paragraphs of a cell and rows of several paragraphs are spaced. */
  g_assert_nonnull (strstr (text, "first\\par\\vspace{3pt}second &  \\\\\n"));
  g_assert_nonnull (strstr (text, "\\addlinespace[4pt]\n"));
  /* The notes are in the last foot, with the table's last rows. */
  g_assert_nonnull (strstr (text, "\\bottomrule\n\\multicolumn{3}{@{}p{\\linewidth}@{}}{\\footnotesize"
                                  "\\rule{0pt}{3ex} \\textit{Note.} " TEX_T1 "}\\\\\n\\endlastfoot\n"));
  g_assert_nonnull (strstr (text, "ab\\newline{}c\\newline{}d\n"));
  g_assert_null (strstr (text, "\\begin{table}"));
  assert_braces_balance (text);

  /* APA: the number in bold above the title in italic; n in italic. */
  g_assert_nonnull (strstr (apa, "\\captionsetup{labelfont=bf,labelsep=newline,textfont=it,"));
  g_assert_nonnull (strstr (apa, "Name\\textbar{}x & Text & \\textit{n} \\\\\n"));
  assert_braces_balance (apa);

  /* A long table breaks across pages with its header repeated. */
  g_assert_nonnull (strstr (long_text, "\\begin{longtable}{"));
  g_assert_nonnull (strstr (long_text, "\\endfirsthead\n"));
  g_assert_nonnull (strstr (long_text, "\\midrule\n\\endhead\n"));
  g_assert_nonnull (strstr (long_text, "\\endlastfoot\n"));
  g_assert_nonnull (strstr (long_text, "Row 23 & "));
  g_assert_nonnull (strstr (long_text, "\\end{longtable}\n"));
  assert_braces_balance (long_text);

  /* The fragment: the table alone, to \input. */
  g_assert_null (strstr (fragment, "\\documentclass"));
  g_assert_null (strstr (fragment, "\\begin{document}"));
  g_assert_null (strstr (fragment, "\\section*"));
  g_assert_nonnull (strstr (fragment, "\\begin{longtable}"));
  assert_braces_balance (fragment);
}

/* Greek letters and symbols go into math mode, sub- and superscripts
 * into their commands: pdflatex stopped on κ, α, ₒ and U+2212. */
static void
test_latex_unicode (void)
{
  g_autoptr(TsrExportDocument) doc = tsr_export_document_new ("κ");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  tsr_export_document_add_text (doc, TSR_PARAGRAPH_BODY, "κ α pₒ −0.5 ½ (2·pₒ − 1) Zoë Åsa ≤ ×");
  bytes = write_bytes (doc, TSR_EXPORT_LATEX, 0);
  text = bytes_to_string (bytes);
  g_assert_nonnull (strstr (text, "\\ensuremath{\\kappa} \\ensuremath{\\alpha} p\\textsubscript{o} "
                                  "\\ensuremath{-}0.5 \\ensuremath{\\frac{1}{2}} (2\\ensuremath{\\cdot}"
                                  "p\\textsubscript{o} \\ensuremath{-} 1) Zoë Åsa \\ensuremath{\\leq} "
                                  "\\ensuremath{\\times}\n"));
  g_assert_null (strstr (text, "κ"));
}

/* Zip containers and their XML ------------------------------------------------ */

static GBytes *
zip_entry (GBytes     *zip,
           const char *name,
           char      **first_entry)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GBytes *found = NULL;
  gsize len;
  const void *data = g_bytes_get_data (zip, &len);
  gboolean first = TRUE;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_memory (a, data, len), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      if (first && first_entry != NULL)
        *first_entry = g_strdup (archive_entry_pathname (entry));
      first = FALSE;
      if (g_str_equal (archive_entry_pathname (entry), name))
        {
          GByteArray *content = g_byte_array_new ();
          char buffer[8192];
          la_ssize_t n;

          while ((n = archive_read_data (a, buffer, sizeof buffer)) > 0)
            g_byte_array_append (content, (guint8 *) buffer, n);
          g_assert_cmpint (n, ==, 0);
          found = g_byte_array_free_to_bytes (content);
        }
    }
  archive_read_free (a);
  g_assert_nonnull (found);
  return found;
}

static xmlDocPtr
parse_xml (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  xmlDocPtr doc = xmlReadMemory (data, len, NULL, "UTF-8", XML_PARSE_NONET);

  g_assert_nonnull (doc);
  return doc;
}

static xmlXPathObjectPtr
xpath (xmlDocPtr   doc,
       xmlNodePtr  node,
       const char *expression)
{
  xmlXPathContextPtr context = xmlXPathNewContext (doc);
  xmlXPathObjectPtr result;

  xmlXPathRegisterNs (context, BAD_CAST "w", BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
  xmlXPathRegisterNs (context, BAD_CAST "table", BAD_CAST "urn:oasis:names:tc:opendocument:xmlns:table:1.0");
  xmlXPathRegisterNs (context, BAD_CAST "text", BAD_CAST "urn:oasis:names:tc:opendocument:xmlns:text:1.0");
  xmlXPathRegisterNs (context, BAD_CAST "office", BAD_CAST "urn:oasis:names:tc:opendocument:xmlns:office:1.0");
  xmlXPathRegisterNs (context, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
  if (node != NULL)
    context->node = node;
  result = xmlXPathEvalExpression (BAD_CAST expression, context);
  xmlXPathFreeContext (context);
  g_assert_nonnull (result);
  return result;
}

static guint
xpath_count (xmlDocPtr   doc,
             xmlNodePtr  node,
             const char *expression)
{
  xmlXPathObjectPtr result = xpath (doc, node, expression);
  guint n = result->nodesetval ? result->nodesetval->nodeNr : 0;

  xmlXPathFreeObject (result);
  return n;
}

static gboolean
is_element (xmlNodePtr  node,
            const char *prefix_uri,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         g_str_equal ((const char *) node->ns->href, prefix_uri) &&
         g_str_equal ((const char *) node->name, name);
}

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

/* A Word paragraph's text as Word shows it: w:t, with w:br and w:tab. */
static void
docx_text (xmlNodePtr  node,
           GString    *out)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (is_element (child, W_NS, "t"))
        {
          xmlChar *content = xmlNodeGetContent (child);

          g_string_append (out, (const char *) content);
          xmlFree (content);
        }
      else if (is_element (child, W_NS, "br"))
        g_string_append_c (out, '\n');
      else if (is_element (child, W_NS, "tab"))
        g_string_append_c (out, '\t');
      else if (child->type == XML_ELEMENT_NODE && !is_element (child, W_NS, "pPr") &&
               !is_element (child, W_NS, "rPr"))
        docx_text (child, out);
    }
}

/* An ODF paragraph's text: text, with text:s, text:tab, text:line-break. */
static void
odf_text (xmlNodePtr  node,
          GString    *out)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE)
        g_string_append (out, (const char *) child->content);
      else if (is_element (child, TEXT_NS, "s"))
        {
          xmlChar *c = xmlGetNsProp (child, BAD_CAST "c", BAD_CAST TEXT_NS);
          guint n = c ? (guint) g_ascii_strtoull ((const char *) c, NULL, 10) : 1;

          for (guint i = 0; i < n; i++)
            g_string_append_c (out, ' ');
          xmlFree (c);
        }
      else if (is_element (child, TEXT_NS, "tab"))
        g_string_append_c (out, '\t');
      else if (is_element (child, TEXT_NS, "line-break"))
        g_string_append_c (out, '\n');
      else if (child->type == XML_ELEMENT_NODE)
        odf_text (child, out);
    }
}

/* The rows of the @index-th table (from 1): cells' paragraphs, one a line. */
static GPtrArray *
xml_table_rows (xmlDocPtr   doc,
                gboolean    odf,
                guint       index)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *expression = odf
    ? g_strdup_printf ("(//table:table)[%u]//table:table-row", index)
    : g_strdup_printf ("(//w:tbl)[%u]/w:tr", index);
  xmlXPathObjectPtr tr = xpath (doc, NULL, expression);

  for (int r = 0; tr->nodesetval && r < tr->nodesetval->nodeNr; r++)
    {
      xmlXPathObjectPtr cells = xpath (doc, tr->nodesetval->nodeTab[r], odf ? "table:table-cell" : "w:tc");
      GPtrArray *row = g_ptr_array_new ();

      for (int c = 0; cells->nodesetval && c < cells->nodesetval->nodeNr; c++)
        {
          xmlXPathObjectPtr paragraphs = xpath (doc, cells->nodesetval->nodeTab[c], odf ? "text:p" : "w:p");
          GString *text = g_string_new (NULL);

          for (int p = 0; paragraphs->nodesetval && p < paragraphs->nodesetval->nodeNr; p++)
            {
              if (p > 0)
                g_string_append_c (text, '\n');
              if (odf)
                odf_text (paragraphs->nodesetval->nodeTab[p], text);
              else
                docx_text (paragraphs->nodesetval->nodeTab[p], text);
            }
          g_ptr_array_add (row, g_string_free (text, FALSE));
          xmlXPathFreeObject (paragraphs);
        }
      g_ptr_array_add (row, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (row, FALSE));
      xmlXPathFreeObject (cells);
    }
  xmlXPathFreeObject (tr);
  return rows;
}

static char *
xml_paragraph_text (xmlDocPtr   doc,
                    gboolean    odf,
                    const char *expression)
{
  xmlXPathObjectPtr result = xpath (doc, NULL, expression);
  GString *text = g_string_new (NULL);

  g_assert_true (result->nodesetval && result->nodesetval->nodeNr >= 1);
  if (odf)
    odf_text (result->nodesetval->nodeTab[0], text);
  else
    docx_text (result->nodesetval->nodeTab[0], text);
  xmlXPathFreeObject (result);
  return g_string_free (text, FALSE);
}

/* The texts of every paragraph @expression finds. */
static GPtrArray *
xml_paragraph_texts (xmlDocPtr   doc,
                     gboolean    odf,
                     const char *expression)
{
  xmlXPathObjectPtr result = xpath (doc, NULL, expression);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; result->nodesetval && i < result->nodesetval->nodeNr; i++)
    {
      GString *text = g_string_new (NULL);

      if (odf)
        odf_text (result->nodesetval->nodeTab[i], text);
      else
        docx_text (result->nodesetval->nodeTab[i], text);
      g_ptr_array_add (texts, g_string_free (text, FALSE));
    }
  xmlXPathFreeObject (result);
  return texts;
}

static gboolean
texts_contain (GPtrArray  *texts,
               const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (texts->pdata[i], text))
      return TRUE;
  return FALSE;
}

static void
test_docx_xml (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) docx = write_bytes (doc, TSR_EXPORT_DOCX, TSR_EXPORT_CLASSIC_STYLE);
  g_autoptr(GBytes) document = zip_entry (docx, "word/document.xml", NULL);
  g_autoptr(GBytes) core = zip_entry (docx, "docProps/core.xml", NULL);
  g_autoptr(GBytes) types = zip_entry (docx, "[Content_Types].xml", NULL);
  g_autoptr(GBytes) styles = zip_entry (docx, "word/styles.xml", NULL);
  g_autoptr(GPtrArray) expected = model_rows (first_table (doc));
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  xmlDocPtr xml = parse_xml (document);
  xmlDocPtr core_xml = parse_xml (core);
  xmlDocPtr styles_xml = parse_xml (styles);

  rows = xml_table_rows (xml, FALSE, 1);
  assert_rows_equal (rows, expected, "DOCX");

  /* The header row repeats; only it. */
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tbl/w:tr[1]/w:trPr/w:tblHeader"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tblHeader"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tbl/w:tblPr/w:tblBorders/w:top[@w:val='single']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tbl/w:tr[1]/w:tc/w:tcPr/w:shd[@w:fill]"), ==, 3);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tbl/w:tblGrid/w:gridCol"), ==, 3);

  /* The caption: a Caption paragraph with a SEQ Table field. */
  caption = xml_paragraph_text (xml, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='Caption']");
  g_assert_cmpstr (caption, ==, "Table 1. " T1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:fldSimple[@w:instr=' SEQ Table \\* ARABIC ']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:p[w:pPr/w:pStyle/@w:val='Caption']/w:pPr/w:keepNext"), ==, 1);

  title = xml_paragraph_text (xml, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='Title']");
  g_assert_cmpstr (title, ==, T1);
  body = xml_paragraph_text (xml, FALSE, "(//w:p[w:pPr/w:pStyle/@w:val='BodyText'])[1]");
  g_assert_cmpstr (body, ==, "Bold part and  italic part " T2);
  g_assert_cmpuint (xpath_count (xml, NULL, "(//w:p[w:pPr/w:pStyle/@w:val='BodyText'])[1]/w:r[w:rPr/w:b]"), ==, 1);

  /* Right-to-left runs are marked, and only they. */
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:r[w:rPr/w:rtl][contains(w:t, 'שלום')]"), >=, 2);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:r[w:rPr/w:rtl][contains(w:t, 'emoji')]"), ==, 0);

  g_assert_cmpuint (xpath_count (core_xml, NULL, "//dc:title[text()='Report <x> & y']"), ==, 1);
  g_assert_cmpuint (xpath_count (styles_xml, NULL, "//w:style[@w:styleId='Caption']"), ==, 1);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (types, NULL), g_bytes_get_size (types),
                                  "wordprocessingml.document.main+xml"));

  xmlFreeDoc (xml);
  xmlFreeDoc (core_xml);
  xmlFreeDoc (styles_xml);
}

static void
test_odt_xml (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) odt = write_bytes (doc, TSR_EXPORT_ODT, TSR_EXPORT_CLASSIC_STYLE);
  g_autofree char *first = NULL;
  g_autoptr(GBytes) mimetype = zip_entry (odt, "mimetype", &first);
  g_autoptr(GBytes) content = zip_entry (odt, "content.xml", NULL);
  g_autoptr(GBytes) manifest = zip_entry (odt, "META-INF/manifest.xml", NULL);
  g_autoptr(GPtrArray) expected = model_rows (first_table (doc));
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *last = NULL;
  const guint8 *raw = g_bytes_get_data (odt, NULL);
  xmlDocPtr xml = parse_xml (content);
  xmlDocPtr manifest_xml = parse_xml (manifest);

  /* The package: "mimetype" first, stored uncompressed. */
  g_assert_cmpstr (first, ==, "mimetype");
  g_assert_cmpmem (g_bytes_get_data (mimetype, NULL), g_bytes_get_size (mimetype),
                   "application/vnd.oasis.opendocument.text", 39);
  g_assert_cmpmem (raw, 4, "PK\003\004", 4);
  g_assert_cmpuint (raw[8] | raw[9] << 8, ==, 0);     /* compression: stored */
  g_assert_cmpmem (raw + 30, 8, "mimetype", 8);
  g_assert_cmpuint (xpath_count (manifest_xml, NULL, "//*[@*[local-name()='full-path']='content.xml']"), ==, 1);

  rows = xml_table_rows (xml, TRUE, 1);
  assert_rows_equal (rows, expected, "ODT");
  g_assert_cmpuint (xpath_count (xml, NULL, "//table:table/table:table-header-rows/table:table-row"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//table:table/table:table-row"), ==, 3);

  caption = xml_paragraph_text (xml, TRUE, "//text:p[@text:style-name='Table']");
  g_assert_cmpstr (caption, ==, "Table 1. " T1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//text:sequence[@text:name='Table']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//text:h[@text:outline-level='1']"), ==, 1);
  last = xml_paragraph_text (xml, TRUE, "(//office:text/text:p)[last()]");
  g_assert_cmpstr (last, ==, "ab\nc\nd");

  xmlFreeDoc (xml);
  xmlFreeDoc (manifest_xml);
}

/* HTML ------------------------------------------------------------------------ */

static void
html_text (xmlNodePtr  node,
           GString    *out)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE)
        g_string_append (out, (const char *) child->content);
      else if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, "br"))
        g_string_append_c (out, '\n');
      else if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, "p"))
        {
          if (child != node->children)
            g_string_append_c (out, '\n');
          html_text (child, out);
        }
      else if (child->type == XML_ELEMENT_NODE)
        html_text (child, out);
    }
}

static xmlDocPtr
parse_html (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  htmlDocPtr doc = htmlReadMemory (data, len, NULL, "UTF-8",
                                   HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);

  g_assert_nonnull (doc);
  return doc;
}

static GPtrArray *
html_table_rows (xmlDocPtr doc,
                 guint     index)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *expression = g_strdup_printf ("(//table)[%u]//tr", index);
  xmlXPathObjectPtr tr = xpath (doc, NULL, expression);

  for (int r = 0; tr->nodesetval && r < tr->nodesetval->nodeNr; r++)
    {
      xmlXPathObjectPtr cells = xpath (doc, tr->nodesetval->nodeTab[r], "th|td");
      GPtrArray *row = g_ptr_array_new ();

      for (int c = 0; cells->nodesetval && c < cells->nodesetval->nodeNr; c++)
        {
          GString *text = g_string_new (NULL);

          html_text (cells->nodesetval->nodeTab[c], text);
          g_ptr_array_add (row, g_string_free (text, FALSE));
        }
      g_ptr_array_add (row, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (row, FALSE));
      xmlXPathFreeObject (cells);
    }
  xmlXPathFreeObject (tr);
  return rows;
}

static char *
html_first_text (xmlDocPtr   doc,
                 const char *expression)
{
  xmlXPathObjectPtr result = xpath (doc, NULL, expression);
  GString *text = g_string_new (NULL);

  g_assert_true (result->nodesetval && result->nodesetval->nodeNr >= 1);
  html_text (result->nodesetval->nodeTab[0], text);
  xmlXPathFreeObject (result);
  return g_string_free (text, FALSE);
}

static void
test_html (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) bytes = write_bytes (doc, TSR_EXPORT_HTML, TSR_EXPORT_CLASSIC_STYLE);
  g_autoptr(GPtrArray) expected = model_rows (first_table (doc));
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *caption = NULL;
  g_autofree char *title = NULL;
  g_autofree char *quote = NULL;
  g_autofree char *h1 = NULL;
  xmlDocPtr html = parse_html (bytes);

  g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>\n<html lang=\""));
  rows = html_table_rows (html, 1);
  assert_rows_equal (rows, expected, "HTML");

  caption = html_first_text (html, "//table/caption");
  g_assert_cmpstr (caption, ==, "Table 1. " T1);
  title = html_first_text (html, "//head/title");
  g_assert_cmpstr (title, ==, "Report <x> & y");
  h1 = html_first_text (html, "//h1[@class='title']");
  g_assert_cmpstr (h1, ==, T1);
  quote = html_first_text (html, "//blockquote");
  g_assert_cmpstr (quote, ==, T3);

  /* Document text never becomes markup. */
  g_assert_cmpuint (xpath_count (html, NULL, "//b"), ==, 0);
  g_assert_cmpuint (xpath_count (html, NULL, "//thead/tr/th[@scope='col']"), ==, 3);
  g_assert_cmpuint (xpath_count (html, NULL, "//tbody/tr/td[@dir='auto']"), ==, 9);
  g_assert_cmpuint (xpath_count (html, NULL, "//tbody/tr[1]/td[1][contains(@class, 'bold')]"), ==, 1);
  g_assert_cmpuint (xpath_count (html, NULL, "//head/style"), ==, 1);
  g_assert_cmpuint (xpath_count (html, NULL, "//link|//script|//img"), ==, 0);
  g_assert_nonnull (strstr (text, "thead { display: table-header-group; }"));
  g_assert_nonnull (strstr (text, "@page { size: A4;"));
  xmlFreeDoc (html);
}

/* JSON ------------------------------------------------------------------------ */

static void
test_json (void)
{
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) bytes = write_bytes (doc, TSR_EXPORT_JSON, 0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = model_rows (first_table (doc));
  JsonObject *root, *table;
  JsonArray *blocks, *rows, *columns;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "title"), ==, "Report <x> & y");
  blocks = json_object_get_array_member (root, "blocks");
  g_assert_cmpuint (json_array_get_length (blocks), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 0), "text"), ==, T1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (blocks, 1), "level"), ==, 1);

  table = json_array_get_object_element (blocks, 5);
  g_assert_cmpstr (json_object_get_string_member (table, "caption"), ==, T1);
  g_assert_cmpstr (json_object_get_string_member (table, "label"), ==, "Table 1");
  columns = json_object_get_array_member (table, "columns");
  for (guint c = 0; c < 3; c++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, c), "header"), ==,
                     ((char **) expected->pdata[0])[c]);
  rows = json_object_get_array_member (table, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  for (guint r = 0; r < 3; r++)
    {
      JsonArray *cells = json_object_get_array_member (json_array_get_object_element (rows, r), "cells");

      for (guint c = 0; c < 3; c++)
        {
          JsonNode *node = json_array_get_element (cells, c);

          if (JSON_NODE_HOLDS_ARRAY (node))
            {
              JsonArray *paragraphs = json_node_get_array (node);

              g_assert_cmpstr (json_array_get_string_element (paragraphs, 0), ==, "first");
              g_assert_cmpstr (json_array_get_string_element (paragraphs, 1), ==, "second");
            }
          else
            g_assert_cmpstr (json_node_get_string (node), ==, ((char **) expected->pdata[r + 1])[c]);
        }
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 1), "indent"), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (rows, 0), "bold"));
}

/* PDF (Tessera's own) ------------------------------------------------------------ */

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* Runs of white space as one space, for text that may wrap anywhere. */
static char *
squeeze (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (regex, text, -1, 0, " ", 0, NULL);
}

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static void
save_fragment (TsrExportDocument *doc,
               const char        *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_export_document_save (doc, TSR_EXPORT_LATEX, TSR_EXPORT_LATEX_FRAGMENT, file, NULL, &error));
  g_assert_no_error (error);
}

static void
save (TsrExportDocument *doc,
      TsrExportFormat    format,
      const char        *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (tsr_export_document_save (doc, format, 0, file, NULL, &error));
  g_assert_no_error (error);
}

static guint
count_pages (const char *text)
{
  guint n = 1;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\f' && p[1] != '\0')
      n++;
  return n;
}

/* Whether every page of @text shows @header. */
static void
assert_header_on_every_page (const char *text,
                             const char *header)
{
  g_auto(GStrv) pages = g_strsplit (text, "\f", -1);
  guint n = 0;

  for (guint i = 0; pages[i] != NULL; i++)
    {
      if (*g_strstrip (pages[i]) == '\0')
        continue;
      g_test_message ("page %u", i + 1);
      g_assert_nonnull (strstr (pages[i], header));
      n++;
    }
  g_assert_cmpuint (n, >=, 2);
}

static void
test_pdf (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "tricky.pdf", NULL);
  g_autofree char *long_path = g_build_filename (dir, "long.pdf", NULL);
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(TsrExportDocument) long_doc = tricky_document (60);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *long_text = NULL;

  save (doc, TSR_EXPORT_PDF, path);
  save (long_doc, TSR_EXPORT_PDF, long_path);
  bytes = read_file_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 5, "%PDF-", 5);

  if (!have_program ("pdftotext"))
    {
      g_test_skip ("pdftotext is not installed");
      tsr_test_remove_tree (dir);
      return;
    }

  text = pdf_text (path);
  flat = squeeze (text);
  /* APA: "Table 1" on its own line, the title in title case below. */
  /* (The title's first word is capitalised, even a "b" between brackets.) */
  g_assert_true (g_regex_match_simple ("Table 1\\s*\\n\\s*<B>Bold</b>", text, 0, 0));
  g_assert_nonnull (strstr (flat, "Table 1 <B>Bold</b> & \"Quoted\" 'Single' \\Back\\Slash 100% $5 #1 a_b {x} ~y ^z |Pipe|"));
  g_assert_nonnull (strstr (flat, "Bold part and italic part line one line two"));
  g_assert_nonnull (strstr (flat, "* not a list # not a heading 1. not a number > not a quote"));
  g_assert_nonnull (strstr (flat, "Note. <b>Bold</b>"));
  g_assert_nonnull (strstr (text, "ab\n"));

  /* Sixty rows run over pages: the header row starts each of them, and
   * the footer counts them. */
  long_text = pdf_text (long_path);
  assert_header_on_every_page (long_text, "Name|x");
  {
    /* pdftotext sets "3 / 3" as "3/ 3": the spaces of a footer are its
     * own business. */
    g_autofree char *last_footer = g_strdup_printf ("\\b%u ?/ ?%u\\b", count_pages (long_text),
                                                    count_pages (long_text));

    g_assert_cmpuint (count_pages (long_text), >=, 3);
    g_assert_true (g_regex_match_simple (last_footer, long_text, 0, 0));
    g_assert_nonnull (strstr (long_text, "Row 63"));
  }
  tsr_test_remove_tree (dir);
}

/* Saving -------------------------------------------------------------------------- */

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_save_replaces (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "table.md", NULL);
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GBytes) expected = write_bytes (doc, TSR_EXPORT_MARKDOWN, 0);
  g_autoptr(GBytes) got = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_chmod (path, 0640);
  save (doc, TSR_EXPORT_MARKDOWN, path);
  got = read_file_bytes (path);
  g_assert_true (g_bytes_equal (got, expected));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  tsr_test_remove_tree (dir);
}

/* A file system that takes no more than 4 KiB: the export fails half way
 * through writing. */
static void
save_with_small_limit (void)
{
  const char *path = g_getenv ("TSR_TEST_SAVE_PATH");
  g_autoptr(TsrExportDocument) doc = tricky_document (400);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { 4096, 4096 };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (tsr_export_document_save (doc, TSR_EXPORT_PDF, 0, file, NULL, &error));
  g_assert_nonnull (error);
  /* As bytes: g_printerr () would turn the quotes into the C locale's. */
  fprintf (stderr, "%s\n", error->message);
}

static void
test_save_failure_keeps_old_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  if (g_test_subprocess ())
    {
      save_with_small_limit ();
      return;
    }

  dir = make_dir ();
  path = g_build_filename (dir, "table.pdf", NULL);

  g_assert_true (g_file_set_contents (path, "the previous export", -1, NULL));
  g_setenv ("TSR_TEST_SAVE_PATH", path, TRUE);
  tsr_test_trap_subprocess (0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Could not save “table.pdf”: *");

  /* The old file is whole and nothing else is left behind. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the previous export");
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_unsetenv ("TSR_TEST_SAVE_PATH");
  tsr_test_remove_tree (dir);
}

static void
test_save_unwritable (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *missing = g_build_filename (dir, "no such folder", "table.docx", NULL);
  g_autofree char *folder = g_build_filename (dir, "a folder.docx", NULL);
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read_only_dir = NULL;
  g_autofree char *read_only = NULL;

  file = g_file_new_for_path (missing);
  g_assert_false (tsr_export_document_save (doc, TSR_EXPORT_DOCX, 0, file, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Could not save “table.docx”: the folder “"));
  g_assert_true (g_str_has_suffix (error->message, "no such folder” does not exist"));
  g_clear_error (&error);
  g_clear_object (&file);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  file = g_file_new_for_path (folder);
  g_assert_false (tsr_export_document_save (doc, TSR_EXPORT_DOCX, 0, file, NULL, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "there is a folder of that name"));
  g_clear_error (&error);
  g_clear_object (&file);

  /* A folder that cannot be written: one we make read-only, or, for
   * root whom permissions do not stop, sysfs. */
  if (geteuid () != 0)
    {
      read_only_dir = g_build_filename (dir, "read-only", NULL);
      g_assert_cmpint (g_mkdir (read_only_dir, 0500), ==, 0);
    }
  else if (g_file_test ("/sys/kernel", G_FILE_TEST_IS_DIR) && access ("/sys/kernel", W_OK) == 0)
    read_only_dir = g_strdup ("/sys/kernel");
  if (read_only_dir != NULL)
    {
      read_only = g_build_filename (read_only_dir, "table.docx", NULL);
      file = g_file_new_for_path (read_only);
      g_assert_false (tsr_export_document_save (doc, TSR_EXPORT_DOCX, 0, file, NULL, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, TSR_ERROR, TSR_ERROR_READ_ONLY);
      g_assert_true (g_str_has_prefix (error->message, "Could not save “table.docx”: the folder “"));
      g_assert_nonnull (strstr (error->message, "” cannot be written to ("));
      g_assert_false (g_file_test (read_only, G_FILE_TEST_EXISTS));
    }
  else
    g_test_message ("no read-only folder to try");

  tsr_test_remove_tree (dir);
}

static void
test_save_cancelled (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "table.odt", NULL);
  g_autoptr(TsrExportDocument) doc = tricky_document (0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (tsr_export_document_save (doc, TSR_EXPORT_ODT, 0, file, cancellable, &error));
  g_assert_error (error, TSR_ERROR, TSR_ERROR_CANCELLED);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  tsr_test_remove_tree (dir);
}

/* The demo in every format ---------------------------------------------------------- */

static const struct {
  const char *theme;
  const char *percent;
} demo_rows[] = {
  { "Conveying solidarity", "21 (95.5%)" },
  { "Togetherness", "13 (59.1%)" },
  { "Support networks", "10 (45.5%)" },
  { "Compassion", "19 (86.4%)" },
  { "Connecting emotionally", "14 (63.6%)" },
  { "Little means much", "10 (45.5%)" },
  { "Patient-centeredness", "17 (77.3%)" },
  { "Personal connection", "15 (68.2%)" },
  { "Opportunity to acknowledge patients", "13 (59.1%)" },
  { "Felt acknowledged", "5 (22.7%)" },
  { "Motivating or inspiring", "15 (68.2%)" },
  { "Renewed sense of purpose", "11 (50.0%)" },
  { "Resilience", "10 (45.5%)" },
};

/* APA: "Table 1" in bold on its own line, the title in italic title case
 * below it. */
#define DEMO_TITLE "Themes Identified in the Essays (N = 22)"
#define DEMO_CAPTION "Table 1 " DEMO_TITLE

typedef struct
{
  char              *dir;
  TsrProject        *project;
  TsrReport         *report;
  TsrReportOptions  *options;
  TsrExportDocument *themes;
  TsrExportDocument *codebook;
  TsrExportDocument *writeup;
} Demo;

static Demo demo;

static void
demo_set_up (void)
{
  const char *path = g_getenv ("TESSERA_DEMO");
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_CONSENSUS, 0);
  gsize len;

  if (demo.report != NULL)
    return;
  g_assert_nonnull (path);
  demo.dir = make_dir ();
  copy = g_build_filename (demo.dir, "demo.tessera", NULL);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, len, &error);
  g_assert_no_error (error);
  demo.project = tsr_project_open (copy, &error);
  g_assert_no_error (error);
  demo.report = tsr_project_build_report (demo.project, scope, NULL, &error);
  g_assert_no_error (error);

  demo.options = tsr_report_options_new ();
  demo.options->codes = TRUE;
  demo.options->noun = g_strdup ("essays");
  demo.themes = tsr_report_to_document (demo.report, TSR_REPORT_THEMES, demo.options);
  demo.codebook = tsr_report_to_document (demo.report, TSR_REPORT_CODEBOOK, demo.options);
  demo.writeup = tsr_report_to_document (demo.report, TSR_REPORT_WRITEUP, demo.options);
}

static void
demo_tear_down (void)
{
  if (demo.report == NULL)
    return;
  g_clear_pointer (&demo.themes, tsr_export_document_unref);
  g_clear_pointer (&demo.codebook, tsr_export_document_unref);
  g_clear_pointer (&demo.writeup, tsr_export_document_unref);
  g_clear_pointer (&demo.options, tsr_report_options_free);
  g_clear_pointer (&demo.report, tsr_report_unref);
  g_assert_true (tsr_project_close (demo.project, NULL));
  g_clear_object (&demo.project);
  tsr_test_remove_tree (demo.dir);
  g_clear_pointer (&demo.dir, g_free);
}

static char *
demo_path (const char *name)
{
  return g_build_filename (demo.dir, name, NULL);
}

/* The percentages in reading order, as a check of every n in a text. */
static void
assert_demo_percentages (const char *text,
                         const char *what)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\b[0-9]+ \\([0-9]+\\.[0-9]%\\)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint i = 0;

  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *found = g_match_info_fetch (match, 0);

      g_test_message ("%s: %s", what, found);
      g_assert_cmpuint (i, <, G_N_ELEMENTS (demo_rows));
      g_assert_cmpstr (found, ==, demo_rows[i].percent);
      i++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (demo_rows));
}

static void
test_demo_formats (void)
{
  TsrExportTable *table;
  g_autoptr(GPtrArray) expected = NULL;

  demo_set_up ();
  table = first_table (demo.themes);
  expected = model_rows (table);

  /* The model itself holds the reference n's. */
  for (guint r = 0; r < G_N_ELEMENTS (demo_rows); r++)
    {
      char **row = expected->pdata[r + 1];

      g_assert_cmpstr (row[0], ==, demo_rows[r].theme);
      g_assert_cmpstr (row[2], ==, demo_rows[r].percent);
    }

  /* DOCX and ODT: the table's cells in the XML. */
  {
    g_autoptr(GBytes) docx = write_bytes (demo.themes, TSR_EXPORT_DOCX, 0);
    g_autoptr(GBytes) odt = write_bytes (demo.themes, TSR_EXPORT_ODT, 0);
    g_autoptr(GBytes) docx_xml = zip_entry (docx, "word/document.xml", NULL);
    g_autoptr(GBytes) odt_xml = zip_entry (odt, "content.xml", NULL);
    xmlDocPtr a = parse_xml (docx_xml);
    xmlDocPtr b = parse_xml (odt_xml);
    g_autoptr(GPtrArray) docx_rows = xml_table_rows (a, FALSE, 1);
    g_autoptr(GPtrArray) odt_rows = xml_table_rows (b, TRUE, 1);
    g_autofree char *docx_caption = xml_paragraph_text (a, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='Caption']");
    g_autofree char *odt_caption = xml_paragraph_text (b, TRUE, "//text:p[@text:style-name='Table']");
    g_autofree char *docx_title = xml_paragraph_text (a, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='TableTitle']");
    g_autofree char *odt_title = xml_paragraph_text (b, TRUE, "//text:p[@text:style-name='Table_20_title']");

    assert_rows_equal (docx_rows, expected, "demo DOCX");
    assert_rows_equal (odt_rows, expected, "demo ODT");
    g_assert_cmpstr (docx_caption, ==, "Table 1");
    g_assert_cmpstr (odt_caption, ==, "Table 1");
    g_assert_cmpstr (docx_title, ==, DEMO_TITLE);
    g_assert_cmpstr (odt_title, ==, DEMO_TITLE);
    xmlFreeDoc (a);
    xmlFreeDoc (b);
  }

  /* HTML. */
  {
    g_autoptr(GBytes) bytes = write_bytes (demo.themes, TSR_EXPORT_HTML, 0);
    xmlDocPtr html = parse_html (bytes);
    g_autoptr(GPtrArray) rows = html_table_rows (html, 1);
    g_autofree char *caption = html_first_text (html, "//table/caption");

    assert_rows_equal (rows, expected, "demo HTML");
    g_assert_cmpstr (caption, ==, "Table 1\n" DEMO_TITLE);
    xmlFreeDoc (html);
  }

  /* CSV, read back. */
  {
    g_autoptr(GBytes) bytes = write_bytes (demo.themes, TSR_EXPORT_CSV, TSR_EXPORT_CSV_BOM);
    g_autofree char *text = bytes_to_string (bytes);
    g_autoptr(GPtrArray) rows = parse_csv (text + 3);
    g_autoptr(GPtrArray) csv_rows = csv_expected (table);

    assert_rows_equal (rows, csv_rows, "demo CSV");
  }

  /* Markdown, read back. */
  {
    g_autoptr(GBytes) bytes = write_bytes (demo.themes, TSR_EXPORT_MARKDOWN, 0);
    g_autofree char *text = bytes_to_string (bytes);
    g_autoptr(GPtrArray) rows = parse_markdown_table (text, "| Theme |");

    assert_rows_equal (rows, expected, "demo Markdown");
    g_assert_true (g_str_has_prefix (text, "**Table 1**\n\n*" DEMO_TITLE "*\n"));
  }

  /* LaTeX: each row's label, then its n. */
  {
    g_autoptr(GBytes) bytes = write_bytes (demo.themes, TSR_EXPORT_LATEX, 0);
    g_autofree char *text = bytes_to_string (bytes);
    g_autofree char *percentages = g_strdup (text);

    g_assert_nonnull (strstr (text, "\\caption{" DEMO_TITLE "}"));
    for (guint r = 0; r < G_N_ELEMENTS (demo_rows); r++)
      {
        g_autofree char *n = g_strdup (demo_rows[r].percent);
        g_autofree char *escaped = NULL;
        g_autofree char *line = NULL;
        char *percent = strchr (n, '%');

        *percent = '\0';
        escaped = g_strdup_printf ("%s\\%%%s", n, percent + 1);
        line = g_strdup_printf ("%s%s & ", tsr_export_table_get_row_indent (table, r) ? "\\leftskip=1.2em\\relax "
                                                                                         : "\\bfseries ",
                                demo_rows[r].theme);
        g_assert_nonnull (strstr (text, line));
        g_assert_nonnull (strstr (strstr (text, line), escaped));
      }
    assert_braces_balance (text);
  }

  /* JSON: the report's own. */
  {
    g_autofree char *path = demo_path ("themes.json");
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *themes;
    guint r = 0;

    g_assert_true (tsr_report_save (demo.report, TSR_REPORT_THEMES, demo.options, TSR_EXPORT_JSON, 0, file,
                                    NULL, &error));
    g_assert_no_error (error);
    json_parser_load_from_file (parser, path, &error);
    g_assert_no_error (error);
    themes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "themes");
    for (guint i = 0; i < json_array_get_length (themes); i++)
      {
        JsonObject *theme = json_array_get_object_element (themes, i);
        JsonArray *subthemes = json_object_get_array_member (theme, "subthemes");

        g_assert_cmpstr (json_object_get_string_member (theme, "name"), ==, demo_rows[r].theme);
        g_assert_cmpstr (json_object_get_string_member (theme, "prevalence"), ==, demo_rows[r++].percent);
        for (guint j = 0; j < json_array_get_length (subthemes); j++)
          {
            JsonObject *sub = json_array_get_object_element (subthemes, j);

            g_assert_cmpstr (json_object_get_string_member (sub, "name"), ==, demo_rows[r].theme);
            g_assert_cmpstr (json_object_get_string_member (sub, "prevalence"), ==, demo_rows[r++].percent);
          }
      }
    g_assert_cmpuint (r, ==, G_N_ELEMENTS (demo_rows));
  }

  /* Tessera's PDF, through pdftotext. */
  if (have_program ("pdftotext"))
    {
      g_autofree char *path = demo_path ("themes.pdf");
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;

      save (demo.themes, TSR_EXPORT_PDF, path);
      text = pdf_text (path);
      flat = squeeze (text);
      assert_demo_percentages (text, "demo PDF");
      assert_header_on_every_page (text, "Exemplar quotes");
      g_assert_nonnull (strstr (flat, DEMO_CAPTION));
    }
  else
    g_test_message ("pdftotext is not installed: the PDF's text is not checked");
}

/* The codebook and the write-up, in the formats they are asked for. */
static void
test_demo_codebook_writeup (void)
{
  TsrExportTable *table;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) report_codes = NULL;

  demo_set_up ();
  table = first_table (demo.codebook);
  expected = model_rows (table);
  report_codes = tsr_report_list_codes (demo.report, TSR_REPORT_ORDER_TREE);
  g_assert_cmpuint (tsr_export_table_get_n_rows (table), ==, report_codes->len);
  for (guint r = 0; r < report_codes->len; r++)
    {
      const TsrReportCode *code = report_codes->pdata[r];
      g_autofree char *prevalence = tsr_report_format_prevalence (TSR_PREVALENCE_PERCENT, code->n, 22);

      g_assert_cmpstr (((char **) expected->pdata[r + 1])[0], ==, code->name);
      g_assert_cmpstr (((char **) expected->pdata[r + 1])[1], ==, code->definition);
      g_assert_cmpstr (((char **) expected->pdata[r + 1])[2], ==, prevalence);
    }

  {
    g_autoptr(GBytes) docx = write_bytes (demo.codebook, TSR_EXPORT_DOCX, 0);
    g_autoptr(GBytes) xml_bytes = zip_entry (docx, "word/document.xml", NULL);
    xmlDocPtr xml = parse_xml (xml_bytes);
    g_autoptr(GPtrArray) rows = xml_table_rows (xml, FALSE, 1);

    assert_rows_equal (rows, expected, "codebook DOCX");
    xmlFreeDoc (xml);
  }
  {
    g_autoptr(GBytes) csv = write_bytes (demo.codebook, TSR_EXPORT_CSV, 0);
    g_autofree char *text = bytes_to_string (csv);
    g_autoptr(GPtrArray) rows = parse_csv (text);
    g_autoptr(GPtrArray) csv_rows = csv_expected (table);

    assert_rows_equal (rows, csv_rows, "codebook CSV");
  }
  {
    g_autoptr(GBytes) md = write_bytes (demo.codebook, TSR_EXPORT_MARKDOWN, 0);
    g_autofree char *text = bytes_to_string (md);
    g_autoptr(GPtrArray) rows = parse_markdown_table (text, "| Code |");

    assert_rows_equal (rows, expected, "codebook Markdown");
  }

  /* The write-up: every theme's heading, definition and quotes, in DOCX,
   * ODT, HTML, Markdown and PDF. */
  {
    g_autoptr(GBytes) docx = write_bytes (demo.writeup, TSR_EXPORT_DOCX, 0);
    g_autoptr(GBytes) odt = write_bytes (demo.writeup, TSR_EXPORT_ODT, 0);
    g_autoptr(GBytes) html = write_bytes (demo.writeup, TSR_EXPORT_HTML, 0);
    g_autoptr(GBytes) md = write_bytes (demo.writeup, TSR_EXPORT_MARKDOWN, 0);
    g_autoptr(GBytes) docx_xml = zip_entry (docx, "word/document.xml", NULL);
    g_autoptr(GBytes) odt_xml = zip_entry (odt, "content.xml", NULL);
    g_autoptr(GPtrArray) themes = tsr_report_list_themes (demo.report, TSR_REPORT_ORDER_TREE);
    g_autofree char *md_text = bytes_to_string (md);
    xmlDocPtr a = parse_xml (docx_xml);
    xmlDocPtr b = parse_xml (odt_xml);
    xmlDocPtr c = parse_html (html);
    g_autofree char *pdf_path = demo_path ("writeup.pdf");
    g_autofree char *pdf = NULL;

    save (demo.writeup, TSR_EXPORT_PDF, pdf_path);
    if (have_program ("pdftotext"))
      {
        g_autofree char *text = pdf_text (pdf_path);

        pdf = squeeze (text);
      }

    g_autoptr(GPtrArray) docx_quotes = xml_paragraph_texts (a, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='Quote']");
    g_autoptr(GPtrArray) odt_quotes = xml_paragraph_texts (b, TRUE, "//text:p[@text:style-name='Quotations']");

    for (guint i = 0; i < themes->len; i++)
      {
        const TsrReportTheme *theme = themes->pdata[i];
        g_autofree char *docx_expression = g_strdup_printf ("//w:p[w:pPr/w:pStyle/@w:val='Heading%u']",
                                                            theme->depth + 1);
        g_autofree char *odt_expression = g_strdup_printf ("//text:h[@text:outline-level='%u']", theme->depth + 1);
        g_autofree char *html_expression = g_strdup_printf ("//h%u", theme->depth + 1);
        g_autoptr(GPtrArray) docx_headings = xml_paragraph_texts (a, FALSE, docx_expression);
        g_autoptr(GPtrArray) odt_headings = xml_paragraph_texts (b, TRUE, odt_expression);
        g_autofree char *html_heading = NULL;
        g_autofree char *md_heading = g_strdup_printf ("\n%s %s\n", theme->depth ? "###" : "##", theme->name);
        g_auto(GStrv) words = g_strsplit (theme->definition, " ", 4);
        g_autofree char *definition = g_strdup_printf ("Definition. %s %s %s", words[0], words[1], words[2]);

        g_assert_true (texts_contain (docx_headings, theme->name));
        g_assert_true (texts_contain (odt_headings, theme->name));
        g_assert_nonnull (strstr (md_text, md_heading));
        {
          xmlXPathObjectPtr result = xpath (c, NULL, html_expression);
          gboolean found = FALSE;

          for (int h = 0; result->nodesetval && h < result->nodesetval->nodeNr; h++)
            {
              GString *text = g_string_new (NULL);

              html_text (result->nodesetval->nodeTab[h], text);
              found |= g_str_equal (text->str, theme->name);
              g_string_free (text, TRUE);
            }
          xmlXPathFreeObject (result);
          g_assert_true (found);
        }
        if (pdf != NULL)
          {
            g_assert_nonnull (strstr (pdf, theme->name));
            g_assert_nonnull (strstr (pdf, definition));
          }
        for (guint q = 0; q < theme->n_quotes; q++)
          {
            g_autofree char *label = tsr_report_quote_label (&theme->quotes[q], demo.options);
            g_autofree char *quote = g_strdup_printf ("“%s” (%s)", theme->quotes[q].text, label);

            g_assert_true (texts_contain (docx_quotes, quote));
            g_assert_true (texts_contain (odt_quotes, quote));
          }
      }
    g_assert_cmpuint (docx_quotes->len, ==, 13);
    g_assert_cmpuint (odt_quotes->len, ==, 13);
    g_assert_cmpuint (xpath_count (c, NULL, "//blockquote"), ==, 13);
    xmlFreeDoc (a);
    xmlFreeDoc (b);
    xmlFreeDoc (c);
  }
}


/* A starred passage of awkward text goes through every format whole. */
#define PASSAGE "<b>Bold</b> & \"quoted\" \\back\\slash 100% $5 a_b {x} ~y ^z a|b\nsecond line 😀 שלום עולם"

static void
test_report_quotes_escaped (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "quotes.tessera", NULL);
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrReport) report = NULL;
  g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ANY, 0);
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat ("Before. ", PASSAGE, " After.", NULL);
  g_autofree char *quote = g_strdup_printf ("“%s” (E1)", PASSAGE);
  gint64 doc_id, code, theme, segment;
  guint start = g_utf8_strlen ("Before. ", -1);

  project = tsr_project_create (path, &error);
  g_assert_no_error (error);
  doc_id = tsr_project_add_document (project, "Interview <1> & \"A\"", text, NULL, &error);
  code = tsr_project_create_code (project, 0, "Odd | code & <co>", NULL, NULL, &error);
  theme = tsr_project_create_theme (project, 0, "Theme <\\> | & %", &error);
  g_assert_no_error (error);
  tsr_project_add_code_to_theme (project, theme, code, &error);
  tsr_project_set_theme_field (project, theme, TSR_THEME_FIELD_DEFINITION, "Defined \"so\" | 50% & {more}", &error);
  g_assert_no_error (error);
  segment = tsr_project_add_segment (project, doc_id, code, start, start + g_utf8_strlen (PASSAGE, -1), &error);
  g_assert_no_error (error);
  tsr_project_set_segment_exemplar (project, segment, TRUE, &error);
  g_assert_no_error (error);

  report = tsr_project_build_report (project, scope, NULL, &error);
  g_assert_no_error (error);
  options->codes = TRUE;
  doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
  expected = model_rows (first_table (doc));
  g_assert_cmpstr (((char **) expected->pdata[1])[0], ==, "Theme <\\> | & %");
  g_assert_cmpstr (((char **) expected->pdata[1])[1], ==, "Odd | code & <co>");
  g_assert_cmpstr (((char **) expected->pdata[1])[4], ==, quote);

  {
    g_autoptr(GBytes) docx = write_bytes (doc, TSR_EXPORT_DOCX, 0);
    g_autoptr(GBytes) xml = zip_entry (docx, "word/document.xml", NULL);
    xmlDocPtr parsed = parse_xml (xml);
    g_autoptr(GPtrArray) rows = xml_table_rows (parsed, FALSE, 1);

    assert_rows_equal (rows, expected, "quotes DOCX");
    xmlFreeDoc (parsed);
  }
  {
    g_autoptr(GBytes) odt = write_bytes (doc, TSR_EXPORT_ODT, 0);
    g_autoptr(GBytes) xml = zip_entry (odt, "content.xml", NULL);
    xmlDocPtr parsed = parse_xml (xml);
    g_autoptr(GPtrArray) rows = xml_table_rows (parsed, TRUE, 1);

    assert_rows_equal (rows, expected, "quotes ODT");
    xmlFreeDoc (parsed);
  }
  {
    g_autoptr(GBytes) html = write_bytes (doc, TSR_EXPORT_HTML, 0);
    xmlDocPtr parsed = parse_html (html);
    g_autoptr(GPtrArray) rows = html_table_rows (parsed, 1);

    assert_rows_equal (rows, expected, "quotes HTML");
    g_assert_cmpuint (xpath_count (parsed, NULL, "//td//b|//td//co"), ==, 0);
    xmlFreeDoc (parsed);
  }
  {
    g_autoptr(GBytes) csv = write_bytes (doc, TSR_EXPORT_CSV, 0);
    g_autofree char *csv_text = bytes_to_string (csv);
    g_autoptr(GPtrArray) rows = parse_csv (csv_text);
    g_autoptr(GPtrArray) csv_rows = csv_expected (first_table (doc));

    assert_rows_equal (rows, csv_rows, "quotes CSV");
  }
  {
    g_autoptr(GBytes) md = write_bytes (doc, TSR_EXPORT_MARKDOWN, 0);
    g_autofree char *md_text = bytes_to_string (md);
    g_autoptr(GPtrArray) rows = parse_markdown_table (md_text, "| Theme |");

    assert_rows_equal (rows, expected, "quotes Markdown");
    g_assert_nonnull (strstr (md_text, "| **Theme \\<\\\\\\> \\| \\& %** | Odd \\| code \\& \\<co\\> |"));
  }
  {
    g_autoptr(GBytes) tex = write_bytes (doc, TSR_EXPORT_LATEX, 0);
    g_autofree char *tex_text = bytes_to_string (tex);

    g_assert_nonnull (strstr (tex_text, "\\bfseries Theme \\textless{}\\textbackslash{}\\textgreater{} \\textbar{} "
                                        "\\& \\% & Odd \\textbar{} code \\& \\textless{}co\\textgreater{} & "));
    g_assert_nonnull (strstr (tex_text, "“\\textless{}b\\textgreater{}Bold\\textless{}/b\\textgreater{} \\& "
                                        "\\textquotedbl{}quoted\\textquotedbl{} \\textbackslash{}back"
                                        "\\textbackslash{}slash 100\\% \\$5 a\\_b \\{x\\} \\textasciitilde{}y "
                                        "\\textasciicircum{}z a\\textbar{}b\\newline{}second line \\tsrtext{😀 שלום עולם}” (E1)"));
    assert_braces_balance (tex_text);
  }
  {
    g_autofree char *json_path = g_build_filename (dir, "quotes.json", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (json_path);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *theme_object, *quote_object;

    g_assert_true (tsr_report_save (report, TSR_REPORT_THEMES, options, TSR_EXPORT_JSON, 0, file, NULL, &error));
    g_assert_no_error (error);
    json_parser_load_from_file (parser, json_path, &error);
    g_assert_no_error (error);
    theme_object = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "themes"), 0);
    quote_object = json_array_get_object_element (json_object_get_array_member (theme_object, "quotes"), 0);
    g_assert_cmpstr (json_object_get_string_member (theme_object, "name"), ==, "Theme <\\> | & %");
    g_assert_cmpstr (json_object_get_string_member (quote_object, "text"), ==, PASSAGE);
    g_assert_cmpstr (json_object_get_string_member (quote_object, "document"), ==, "Interview <1> & \"A\"");
  }
  if (have_program ("pdftotext"))
    {
      g_autofree char *pdf_path = g_build_filename (dir, "quotes.pdf", NULL);
      g_autofree char *pdf = NULL;
      g_autofree char *flat = NULL;

      save (doc, TSR_EXPORT_PDF, pdf_path);
      pdf = pdf_text (pdf_path);
      flat = squeeze (pdf);
      g_assert_nonnull (strstr (flat, "Theme <\\>"));
      g_assert_nonnull (strstr (flat, "<b>Bold</b>"));
      g_assert_nonnull (strstr (flat, "\"quoted\""));
    }

  g_assert_true (tsr_project_close (project, NULL));
  tsr_test_remove_tree (dir);
}

/* As Word and LibreOffice read them --------------------------------------------------- */

static JsonObject *
python_docx (JsonParser  *parser,
             const char **paths)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "test-export-docx.py", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  g_ptr_array_add (argv, (char *) "/usr/bin/python3");
  g_ptr_array_add (argv, script);
  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) paths[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, 0, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    return NULL;
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python-docx failed: %s", err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static GPtrArray *
json_rows (JsonArray *rows)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonArray *cells = json_array_get_array_element (rows, r);
      GStrv row = g_new0 (char *, json_array_get_length (cells) + 1);

      for (guint c = 0; c < json_array_get_length (cells); c++)
        row[c] = g_strdup (json_array_get_string_element (cells, c));
      g_ptr_array_add (out, row);
    }
  return out;
}

static void
test_python_docx (void)
{
  g_autofree char *themes = NULL;
  g_autofree char *codebook = NULL;
  g_autofree char *tricky = NULL;
  g_autoptr(TsrExportDocument) tricky_doc = tricky_document (0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result;
  const char *paths[4];

  demo_set_up ();
  themes = demo_path ("py-themes.docx");
  codebook = demo_path ("py-codebook.docx");
  tricky = demo_path ("py-tricky.docx");
  save (demo.themes, TSR_EXPORT_DOCX, themes);
  save (demo.codebook, TSR_EXPORT_DOCX, codebook);
  save (tricky_doc, TSR_EXPORT_DOCX, tricky);
  paths[0] = themes;
  paths[1] = codebook;
  paths[2] = tricky;
  paths[3] = NULL;

  if (!(result = python_docx (parser, paths)))
    {
      g_test_skip ("python-docx (Debian’s python3-docx) is not installed");
      return;
    }

  for (guint i = 0; i < 3; i++)
    {
      TsrExportDocument *doc = i == 0 ? demo.themes : i == 1 ? demo.codebook : tricky_doc;
      JsonObject *file = json_object_get_object_member (result, paths[i]);
      JsonArray *tables = json_object_get_array_member (file, "tables");
      JsonObject *table = json_array_get_object_element (tables, 0);
      g_autoptr(GPtrArray) rows = json_rows (json_object_get_array_member (table, "rows"));
      g_autoptr(GPtrArray) expected = model_rows (first_table (doc));
      JsonArray *paragraphs = json_object_get_array_member (file, "paragraphs");
      gboolean caption_found = FALSE;

      g_assert_cmpuint (json_array_get_length (tables), ==, 1);
      assert_rows_equal (rows, expected, paths[i]);
      g_assert_cmpint (json_object_get_int_member (table, "header_rows"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (table, "style"), ==, "Tessera Table");
      for (guint p = 0; p < json_array_get_length (paragraphs); p++)
        {
          JsonObject *paragraph = json_array_get_object_element (paragraphs, p);

          if (g_ascii_strcasecmp (json_object_get_string_member (paragraph, "style"), "caption") == 0)
            {
              g_autofree char *label = tsr_export_table_get_label (first_table (doc));

              /* APA: the label alone; the title is the next paragraph. */
              g_assert_cmpstr (json_object_get_string_member (paragraph, "text"), ==, label);
              caption_found = TRUE;
            }
        }
      g_assert_true (caption_found);
    }
}

/* One LibreOffice run converts every DOCX and ODT to PDF; their text is
 * then what a reader of the paper would see. */
static void
test_libreoffice (void)
{
  g_autoptr(TsrExportDocument) tricky_doc = tricky_document (0);
  g_autofree char *out_dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *profile_uri = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const names[] = {
    "themes-docx.docx", "themes-odt.odt", "writeup-docx.docx", "writeup-odt.odt", "tricky-docx.docx",
    "tricky-odt.odt",
  };
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int status = 0;

  if (!have_program ("soffice") || !have_program ("pdftotext"))
    {
      g_test_skip ("LibreOffice (soffice) or pdftotext is not installed");
      return;
    }

  demo_set_up ();
  out_dir = demo_path ("pdf");
  profile = demo_path ("lo-profile");
  profile_uri = g_filename_to_uri (profile, NULL, NULL);
  g_ptr_array_add (argv, g_strdup ("soffice"));
  g_ptr_array_add (argv, g_strdup_printf ("-env:UserInstallation=%s", profile_uri));
  g_ptr_array_add (argv, g_strdup ("--headless"));
  g_ptr_array_add (argv, g_strdup ("--convert-to"));
  g_ptr_array_add (argv, g_strdup ("pdf"));
  g_ptr_array_add (argv, g_strdup ("--outdir"));
  g_ptr_array_add (argv, g_strdup (out_dir));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TsrExportDocument *doc = i < 2 ? demo.themes : i < 4 ? demo.writeup : tricky_doc;
      char *path = demo_path (names[i]);

      save (doc, g_str_has_suffix (names[i], ".odt") ? TSR_EXPORT_ODT : TSR_EXPORT_DOCX, path);
      g_ptr_array_add (argv, path);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("LibreOffice failed: %s", err);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *base = g_strndup (names[i], strrchr (names[i], '.') - names[i]);
      g_autofree char *pdf_name = g_strdup_printf ("%s.pdf", base);
      g_autofree char *pdf = g_build_filename (out_dir, pdf_name, NULL);
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;

      /* The DOCX and the ODT have different names: LibreOffice names
       * each PDF after its source. */
      g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
      text = pdf_text (pdf);
      flat = squeeze (text);
      g_test_message ("%s: %u pages", names[i], count_pages (text));

      if (i < 2)
        {
          assert_demo_percentages (text, names[i]);
          assert_header_on_every_page (text, "Exemplar quotes");
          g_assert_nonnull (strstr (flat, DEMO_CAPTION));
        }
      else if (i < 4)
        {
          g_assert_nonnull (strstr (flat, DEMO_CAPTION));
          g_assert_nonnull (strstr (flat, "Prevalence. 19 (86.4%)"));
          g_assert_nonnull (strstr (flat, "Definition. Ceremonies are an expression of kindness"));
        }
      else
        {
          g_assert_nonnull (strstr (flat, "Table 1 <B>Bold</b> & \"Quoted\" 'Single' \\Back\\Slash 100% $5 #1 "
                                          "a_b {x} ~y ^z |Pipe|"));
          g_assert_nonnull (strstr (flat, "* not a list # not a heading 1. not a number > not a quote"));
          g_assert_nonnull (strstr (flat, "ab c d"));
        }
    }
}

/* APA 7 ------------------------------------------------------------------------------ */

/* An agreement-like table: a wide header, bounded κ, a note letter. */
static TsrExportDocument *
statistics_document (guint n_rows)
{
  TsrExportDocument *doc = tsr_export_document_new ("Agreement");
  TsrExportTable *table = tsr_export_document_add_table (doc, 8);
  TsrExportParagraph *paragraph;
  static const char * const headers[] = {
    "Code", "Documents", "Neither", "Agreement %", "Cohen’s κ", "α", "Mean % per document", "n",
  };

  tsr_export_table_set_caption (table, "agreement between the coders per code, on characters");
  for (guint c = 0; c < 8; c++)
    {
      tsr_export_table_set_column_bounded (table, c, c == 4 || c == 5);
      tsr_export_table_set_column (table, c, headers[c], c == 0 ? TSR_ALIGN_START : TSR_ALIGN_END, c == 0 ? 4 : 1);
    }
  for (guint r = 0; r < n_rows; r++)
    {
      g_autofree char *name = g_strdup_printf ("Code number %u with a name long enough to wrap in its column", r);
      guint row = tsr_export_table_add_row (table, r % 2, TSR_TEXT_PLAIN);

      tsr_export_table_set_cell (table, row, 0, name);
      tsr_export_table_set_cell (table, row, 1, "22");
      tsr_export_table_set_cell (table, row, 2, "36389");
      tsr_export_table_set_cell (table, row, 3, "99.2");
      tsr_export_table_set_cell (table, row, 4, r == 0 ? "−0.052" : "0.851");
      paragraph = tsr_export_table_add_cell_paragraph (table, row, 5);
      tsr_export_paragraph_add_text (paragraph, "–", TSR_TEXT_PLAIN);
      tsr_export_paragraph_add_text (paragraph, "a", TSR_TEXT_SUPERSCRIPT);
      tsr_export_table_set_cell (table, row, 6, "0.5");
      tsr_export_table_set_cell (table, row, 7, "19");
    }
  paragraph = tsr_export_table_add_note (table);
  tsr_export_paragraph_add_text (paragraph, "Note.", TSR_TEXT_ITALIC);
  tsr_export_paragraph_add_text (paragraph, " N = 22 documents; κ is Cohen’s.", TSR_TEXT_PLAIN);
  paragraph = tsr_export_table_add_note (table);
  tsr_export_paragraph_add_text (paragraph, "a", TSR_TEXT_SUPERSCRIPT);
  tsr_export_paragraph_add_text (paragraph, " No variation.", TSR_TEXT_PLAIN);
  return doc;
}

/* APA 7 in Word: the number and the title on two lines, rules only
 * above and below the header and under the table, no shading, rows
 * that never split, n and κ in italic, no leading zero before κ,
 * superscript note letters, black note text. */
static void
test_apa_docx (void)
{
  g_autoptr(TsrExportDocument) doc = statistics_document (3);
  g_autoptr(GBytes) docx = write_bytes (doc, TSR_EXPORT_DOCX, 0);
  g_autoptr(GBytes) document = zip_entry (docx, "word/document.xml", NULL);
  g_autoptr(GBytes) styles = zip_entry (docx, "word/styles.xml", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  xmlDocPtr xml = parse_xml (document);
  xmlDocPtr styles_xml = parse_xml (styles);

  label = xml_paragraph_text (xml, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='Caption']");
  title = xml_paragraph_text (xml, FALSE, "//w:p[w:pPr/w:pStyle/@w:val='TableTitle']");
  g_assert_cmpstr (label, ==, "Table 1");
  g_assert_cmpstr (title, ==, "Agreement Between the Coders per Code, on Characters");
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:p[w:pPr/w:pStyle/@w:val='Caption']//w:r[w:rPr/w:b]"), >=, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:p[w:pPr/w:pStyle/@w:val='TableTitle']//w:r[not(w:rPr/w:i)]"), ==, 0);

  g_assert_cmpuint (xpath_count (xml, NULL, "//w:shd"), ==, 0);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tblBorders/w:insideH[@w:val='nil']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tblBorders/w:top[@w:val='single']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tblBorders/w:bottom[@w:val='single']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr"), ==, 4);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr/w:trPr/w:cantSplit"), ==, 4);

  /* Statistical symbols in italic, in the header and the notes. */
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr[1]//w:r[w:rPr/w:i][w:t='κ']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr[1]//w:r[w:rPr/w:i][w:t='α']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr[1]//w:r[w:rPr/w:i][w:t='n']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:p[w:pPr/w:pStyle/@w:val='TableNote']//w:r[w:rPr/w:i][w:t='N']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:tr[1]//w:r[w:rPr/w:i][contains(w:t, 'Documents')]"), ==, 0);
  g_assert_cmpuint (xpath_count (xml, NULL, "//w:r[w:rPr/w:vertAlign/@w:val='superscript'][w:t='a']"), ==, 4);

  /* κ and α cannot exceed 1: no leading zero; a percentage keeps its. */
  rows = xml_table_rows (xml, FALSE, 1);
  g_assert_cmpstr (((char **) rows->pdata[1])[4], ==, "−.052");
  g_assert_cmpstr (((char **) rows->pdata[2])[4], ==, ".851");
  g_assert_cmpstr (((char **) rows->pdata[2])[6], ==, "0.5");
  g_assert_cmpstr (((char **) rows->pdata[0])[3], ==, "Agreement %");

  /* Black notes and headings. */
  g_assert_cmpuint (xpath_count (styles_xml, NULL, "//w:style[@w:styleId='TableNote']//w:color"), ==, 0);
  g_assert_cmpuint (xpath_count (styles_xml, NULL, "//w:style[@w:styleId='Heading1']//w:color"), ==, 0);
  xmlFreeDoc (xml);
  xmlFreeDoc (styles_xml);
}

/* Every column is at least as wide as its longest header word and its
 * widest number, in Word and OpenDocument alike. */
static void
test_apa_widths (void)
{
  g_autoptr(TsrExportDocument) doc = statistics_document (3);
  g_autoptr(GBytes) docx = write_bytes (doc, TSR_EXPORT_DOCX, 0);
  g_autoptr(GBytes) document = zip_entry (docx, "word/document.xml", NULL);
  xmlDocPtr xml = parse_xml (document);
  xmlXPathObjectPtr grid = xpath (xml, NULL, "//w:gridCol");
  TsrExportTable *table = first_table (doc);
  double total = 0;

  g_assert_cmpint (grid->nodesetval->nodeNr, ==, 8);
  for (int c = 0; c < grid->nodesetval->nodeNr; c++)
    {
      xmlChar *w = xmlGetNsProp (grid->nodesetval->nodeTab[c], BAD_CAST "w", BAD_CAST W_NS);
      double points = g_ascii_strtod ((const char *) w, NULL) / 20;

      /* "Documents", "Agreement", "document" in 8 to 9.5 point Calibri
       * need some 38 points; the relative widths asked 1/11 of 451. */
      if (c == 1 || c == 3 || c == 6)
        g_assert_cmpfloat (points, >, 40);
      total += points;
      xmlFree (w);
    }
  g_assert_cmpfloat (total, <=, 451.5);
  g_assert_cmpuint (tsr_export_table_get_width (table, 1), ==, 1);
  xmlXPathFreeObject (grid);
  xmlFreeDoc (xml);
}

/* An ODF package's first member is "mimetype", stored, with no extra
 * field and no data descriptor, so the media type is at byte 38. */
static void
test_odf_package (void)
{
  g_autoptr(TsrExportDocument) doc = statistics_document (3);
  g_autoptr(GBytes) odt = write_bytes (doc, TSR_EXPORT_ODT, 0);
  g_autoptr(GBytes) content = zip_entry (odt, "content.xml", NULL);
  const guint8 *raw = g_bytes_get_data (odt, NULL);
  static const char type[] = "application/vnd.oasis.opendocument.text";
  guint32 crc = raw[14] | raw[15] << 8 | raw[16] << 16 | (guint32) raw[17] << 24;
  xmlDocPtr xml = parse_xml (content);

  g_assert_cmpmem (raw, 4, "PK\003\004", 4);
  g_assert_cmpuint (raw[6] | raw[7] << 8, ==, 0);                /* flags: no data descriptor */
  g_assert_cmpuint (raw[8] | raw[9] << 8, ==, 0);                /* stored */
  g_assert_cmpuint (raw[18] | raw[19] << 8, ==, strlen (type));  /* compressed size */
  g_assert_cmpuint (raw[22] | raw[23] << 8, ==, strlen (type));  /* size */
  g_assert_cmpuint (raw[26] | raw[27] << 8, ==, 8);              /* name length */
  g_assert_cmpuint (raw[28] | raw[29] << 8, ==, 0);              /* no extra field */
  g_assert_cmpmem (raw + 30, 8, "mimetype", 8);
  g_assert_cmpmem (raw + 38, strlen (type), type, strlen (type));
  g_assert_cmpuint (crc, ==, 0x0c32c65e);                        /* CRC-32 of the type */

  /* APA in the content: two caption paragraphs, rows kept together, no
   * shading, a superscript style. */
  g_assert_cmpuint (xpath_count (xml, NULL, "//text:p[@text:style-name='Table_20_title']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//table:table-row[@table:style-name='Row']"), ==, 4);
  g_assert_cmpuint (xpath_count (xml, NULL, "//*[@*[local-name()='keep-together']='always']"), ==, 1);
  g_assert_cmpuint (xpath_count (xml, NULL, "//*[@*[local-name()='background-color']]"), ==, 0);
  g_assert_cmpuint (xpath_count (xml, NULL, "//*[@*[local-name()='text-position']='super 58%']"), >=, 1);
  xmlFreeDoc (xml);
}

/* The PDF: header words are never hyphenated, and a row is never split
 * across pages. */
static void
test_apa_pdf (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "stats.pdf", NULL);
  g_autoptr(TsrExportDocument) doc = statistics_document (60);
  g_autofree char *text = NULL;

  save (doc, TSR_EXPORT_PDF, path);
  if (!have_program ("pdftotext"))
    {
      g_test_skip ("pdftotext is not installed");
      tsr_test_remove_tree (dir);
      return;
    }
  text = pdf_text (path);
  g_assert_cmpuint (count_pages (text), >=, 2);
  g_assert_nonnull (strstr (text, "Documents"));
  g_assert_nonnull (strstr (text, "Agreement"));
  g_assert_nonnull (strstr (text, "Neither"));
  g_assert_null (strstr (text, "Agre-"));
  g_assert_null (strstr (text, "Docu-"));
  g_assert_null (strstr (text, "Neith-"));
  /* Every row's name, wrapped over lines, is on one page. */
  {
    g_auto(GStrv) pages = g_strsplit (text, "\f", -1);

    for (guint r = 0; r < 60; r++)
      {
        g_autofree char *start = g_strdup_printf ("Code number %u with", r);
        gboolean found = FALSE;

        for (guint p = 0; pages[p] != NULL; p++)
          {
            g_autofree char *flat = squeeze (pages[p]);
            const char *at = strstr (flat, start);

            if (at != NULL)
              {
                g_assert_nonnull (strstr (at, "its column"));
                found = TRUE;
              }
          }
        g_assert_true (found);
      }
  }
  tsr_test_remove_tree (dir);
}

/* The LaTeX of the agreement table, the theme table, the codebook and
 * the write-up compiles with every TeX engine installed, as a document
 * and as a fragment \input into one. */
static void
test_latex_compiles (void)
{
  static const char * const engines[] = { "pdflatex", "xelatex", "lualatex" };
  g_autofree char *dir = make_dir ();
  g_autoptr(TsrExportDocument) stats = statistics_document (25);
  g_autoptr(TsrExportDocument) tricky = tricky_document (3);
  guint n_engines = 0;
  struct { const char *name; TsrExportDocument *doc; } docs[] = {
    { "agreement", stats }, { "tricky", tricky },
    { "themes", NULL }, { "codebook", NULL }, { "writeup", NULL },
  };

  if (g_getenv ("TESSERA_DEMO") != NULL)
    {
      demo_set_up ();
      docs[2].doc = demo.themes;
      docs[3].doc = demo.codebook;
      docs[4].doc = demo.writeup;
    }

  for (guint e = 0; e < G_N_ELEMENTS (engines); e++)
    {
      if (!have_program (engines[e]))
        continue;
      n_engines++;
      for (guint d = 0; d < G_N_ELEMENTS (docs); d++)
        for (guint fragment = 0; fragment < 2 && docs[d].doc != NULL; fragment++)
          {
            g_autofree char *base = g_strdup_printf ("%s-%s%s", docs[d].name, engines[e], fragment ? "-fragment" : "");
            g_autofree char *tex = g_strdup_printf ("%s/%s.tex", dir, base);
            g_autofree char *main_tex = g_strdup_printf ("%s/%s-main.tex", dir, base);
            g_autofree char *out = NULL;
            g_autofree char *err = NULL;
            g_autoptr(GError) error = NULL;
            int status = -1;
            const char *argv[] = { engines[e], "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                                   fragment ? main_tex : tex, NULL };

            if (!fragment)
              save (docs[d].doc, TSR_EXPORT_LATEX, tex);
            else
              {
                g_autofree char *input = g_build_filename (dir, "fragment.tex", NULL);

                save_fragment (docs[d].doc, input);
                g_assert_true (g_file_set_contents (main_tex,
                                                    "\\documentclass{article}\n"
                                                    "\\usepackage{iftex}\n"
                                                    "\\ifPDFTeX\\usepackage[T1]{fontenc}\\fi\n"
                                                    "\\usepackage{array,booktabs,longtable,caption}\n"
                                                    "\\begin{document}\nText before.\n\n"
                                                    "\\input{./fragment.tex}\n\nText after.\n\\end{document}\n",
                                                    -1, NULL));
              }
            g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
            g_assert_no_error (error);
            if (!g_spawn_check_wait_status (status, NULL))
              {
                const char *bang = out ? strstr (out, "\n!") : NULL;

                g_test_message ("%s: %s", base, bang ? bang : out);
              }
            g_assert_true (g_spawn_check_wait_status (status, NULL));
          }
    }
  if (n_engines == 0)
    g_test_skip ("no TeX engine (pdflatex, xelatex, lualatex) is installed");
  tsr_test_remove_tree (dir);
}

static void
test_title_case (void)
{
  TsrExportTable *table;
  g_autoptr(TsrExportDocument) doc = tsr_export_document_new ("x");
  g_autoptr(GBytes) md = NULL;
  g_autofree char *text = NULL;

  table = tsr_export_document_add_table (doc, 1);
  tsr_export_table_set_caption (table, "themes identified in the essays of nurses: a study of κ and n");
  tsr_export_table_set_column (table, 0, "n", TSR_ALIGN_END, 1);
  md = write_bytes (doc, TSR_EXPORT_MARKDOWN, 0);
  text = bytes_to_string (md);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "**Table 1**\n\n*Themes Identified in the Essays of Nurses: A Study "
                                         "of κ and n*\n\n| *n* |\n"));
}

/* The command line -------------------------------------------------------------------------- */

static void
run_cli (TsrTestRun *r,
         const char *first,
         ...)
{
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "LC_ALL", "C.UTF-8", TRUE);
  va_list args;

  va_start (args, first);
  tsr_test_run_cli_v (r, envp, first, args);
  va_end (args);
}

static void
test_cli (void)
{
  g_autofree char *project = NULL;
  g_autofree char *docx = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(TsrReportOptions) options = tsr_report_options_new ();
  g_autoptr(TsrExportDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  demo_set_up ();
  project = g_strdup (tsr_project_get_path (demo.project));
  docx = demo_path ("cli.docx");
  missing = demo_path ("missing/cli.docx");

  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--what", "themes", "--format", "docx", "--out", docx,
             "--quotes", "--codes", "--noun", "essays", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_true (g_file_test (docx, G_FILE_TEST_IS_REGULAR));
  }

  /* The command line writes what the library writes: the Markdown of
   * the same options, byte for byte. */
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--out", "-", "--format", "md", "--order", "n", "--percent", "fraction",
             "--labels", "names", "--quotes", "--coders", "one", "--coder", "Rafael Ortiz", "--noun", "essays", NULL);
    g_assert_cmpint (r.status, ==, 0);

    {
      g_autoptr(TsrCoder) coder = tsr_project_find_coder (demo.project, "Rafael Ortiz");
      g_autoptr(TsrScope) scope = tsr_scope_new (TSR_CODERS_ONE, tsr_entity_get_id (TSR_ENTITY (coder)));
      g_autoptr(TsrReport) report = tsr_project_build_report (demo.project, scope, NULL, &error);

      g_assert_no_error (error);
      options->order = TSR_REPORT_ORDER_N;
      options->prevalence = TSR_PREVALENCE_FRACTION;
      options->labels = TSR_LABELS_NAMES;
      options->quotes = TRUE;
      options->noun = g_strdup ("essays");
      doc = tsr_report_to_document (report, TSR_REPORT_THEMES, options);
      tsr_export_document_write (doc, TSR_EXPORT_MARKDOWN, 0, stream, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL);
      g_assert_cmpstr (r.out, ==, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)));
      g_assert_nonnull (strstr (r.out, "by the coding of Rafael Ortiz."));
      g_assert_nonnull (strstr (r.out, "/22 ("));
    }
  }

  {
    g_auto(TsrTestRun) r = { 0 };

    /* A byte order mark by default, so Excel reads UTF-8 (κ, curly
     * quotes); --no-bom leaves it out. */
    run_cli (&r, "export", project, "--what", "codebook", "--out", "-", "--format", "csv", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "\xEF\xBB\xBF" "Code,Definition,n (%)\r\nStanding together,"));
  }
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--what", "codebook", "--out", "-", "--format", "csv", "--no-bom", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "Code,Definition,n (%)\r\nStanding together,"));
  }

  /* Mistakes on the command line: exit status 2 and a message. */
  {
    static const char * const bad[][8] = {
      { "--format", "rtf", "--out", "x.rtf", NULL },
      { "--out", "x.unknown", NULL },
      { "--format", "md", NULL },
      { "--what", "tables", "--out", "x.md", NULL },
      { "--coders", "one", "--out", "x.md", NULL },
      { "--coder", "Dana Whitfield", "--coders", "any", "--out", "x.md", NULL },
      { "--percent", "half", "--out", "x.md", NULL },
      { "--order", "random", "--out", "x.md", NULL },
      { "--labels", "initials", "--out", "x.md", NULL },
      { "--style", "mla", "--out", "x.md", NULL },
      { "--paper", "a5", "--out", "x.md", NULL },
      { "--what", "codebook", "--quotes", "--out", "x.md", NULL },
    };
    static const char * const messages[] = {
      "Unknown format “rtf”", "does not end in .docx", "Missing --out FILE", "Unknown report “tables”",
      "--coders one needs --coder NAME", "--coder goes with --coders one", "Unknown percent format “half”",
      "Unknown order “random”", "Unknown labels “initials”", "Unknown style “mla”", "Unknown paper “a5”",
      "The codebook has no quotes",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(TsrTestRun) r = { 0 };
        const char * const *a = bad[i];

        run_cli (&r, "export", project, a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL);
        g_test_message ("%s", r.err);
        g_assert_cmpint (r.status, ==, 2);
        g_assert_nonnull (strstr (r.err, messages[i]));
      }
  }

  /* Failures: exit status 1 and a message naming the problem. */
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--out", missing, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_true (g_str_has_prefix (r.err, "tessera-cli: Could not save “cli.docx”: the folder “"));
    g_assert_nonnull (strstr (r.err, "” does not exist"));
  }
  {
    g_auto(TsrTestRun) r = { 0 };
    g_autofree char *csv = demo_path ("writeup.csv");

    run_cli (&r, "export", project, "--what", "writeup", "--out", csv, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "CSV cannot hold"));
    g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--coder", "Nobody", "--out", "-", "--format", "md", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "There is no coder “Nobody” in this project"));
  }
  {
    g_auto(TsrTestRun) r = { 0 };

    run_cli (&r, "export", project, "--out", "-", "--format", "pdf", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "give --out FILE"));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  xmlInitParser ();

  g_test_add_func ("/tessera/export/model", test_model);
  g_test_add_func ("/tessera/export/formats", test_formats);
  g_test_add_func ("/tessera/export/csv", test_csv);
  g_test_add_func ("/tessera/export/csv-formulas", test_csv_formulas);
  g_test_add_func ("/tessera/export/csv-needs-one-table", test_csv_needs_one_table);
  g_test_add_func ("/tessera/export/markdown", test_markdown);
  g_test_add_func ("/tessera/export/latex", test_latex);
  g_test_add_func ("/tessera/export/latex-unicode", test_latex_unicode);
  g_test_add_func ("/tessera/export/docx-xml", test_docx_xml);
  g_test_add_func ("/tessera/export/odt-xml", test_odt_xml);
  g_test_add_func ("/tessera/export/html", test_html);
  g_test_add_func ("/tessera/export/json", test_json);
  g_test_add_func ("/tessera/export/pdf", test_pdf);
  g_test_add_func ("/tessera/export/save-replaces", test_save_replaces);
  g_test_add_func ("/tessera/export/save-failure-keeps-old-file", test_save_failure_keeps_old_file);
  g_test_add_func ("/tessera/export/save-unwritable", test_save_unwritable);
  g_test_add_func ("/tessera/export/save-cancelled", test_save_cancelled);
  g_test_add_func ("/tessera/export/demo-formats", test_demo_formats);
  g_test_add_func ("/tessera/export/demo-codebook-writeup", test_demo_codebook_writeup);
  g_test_add_func ("/tessera/export/report-quotes-escaped", test_report_quotes_escaped);
  g_test_add_func ("/tessera/export/python-docx", test_python_docx);
  g_test_add_func ("/tessera/export/libreoffice", test_libreoffice);
  g_test_add_func ("/tessera/export/cli", test_cli);
  g_test_add_func ("/tessera/export/apa-docx", test_apa_docx);
  g_test_add_func ("/tessera/export/apa-widths", test_apa_widths);
  g_test_add_func ("/tessera/export/odf-package", test_odf_package);
  g_test_add_func ("/tessera/export/apa-pdf", test_apa_pdf);
  g_test_add_func ("/tessera/export/latex-compiles", test_latex_compiles);
  g_test_add_func ("/tessera/export/title-case", test_title_case);

  status = g_test_run ();
  demo_tear_down ();
  xmlCleanupParser ();
  return status;
}
