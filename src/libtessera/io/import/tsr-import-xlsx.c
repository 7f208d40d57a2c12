/* tsr-import-xlsx.c — Excel workbooks (XLSX) as tables
 *
 * One sheet is read — the one asked for, or the first visible one — with
 * each cell's value as the researcher sees it in Excel: shared and
 * inline strings, numbers (to 15 significant digits, as Excel shows
 * them), booleans, error values, and dates when the cell's number format
 * is a date format (built-in or custom), written YYYY-MM-DD so that they
 * become date attributes.  Formulas give their cached result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "tsr-error.h"
#include "tsr-import-private.h"

static const char * const S[] = {
  "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  "http://purl.oclc.org/ooxml/spreadsheetml/main",
  NULL
};
static const char * const R[] = {
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  "http://purl.oclc.org/ooxml/officeDocument/relationships",
  NULL
};
static const char * const RELS[] = {
  "http://schemas.openxmlformats.org/package/2006/relationships",
  NULL
};

#define MAX_COLUMNS 16384
#define MAX_ROWS    1048576

typedef enum
{
  VALUE_NUMBER,
  VALUE_DATE,
  VALUE_DATETIME,
  VALUE_TIME,
} ValueKind;

typedef struct
{
  const char    *display_name;
  GCancellable  *cancellable;
  GPtrArray     *shared;       /* of char* */
  GArray        *styles;       /* of ValueKind, by cellXfs index */
  gboolean       date1904;
} Xlsx;

/* Shared strings ------------------------------------------------------ */

static gboolean
read_shared_strings (Xlsx    *x,
                     GBytes  *bytes,
                     GError **error)
{
  g_autoptr(TsrXmlReader) r = tsr_xml_reader_new (bytes, "xl/sharedStrings.xml",
                                                  x->display_name, x->cancellable);
  g_autoptr(GString) current = NULL;
  GError *local_error = NULL;
  gboolean in_text = FALSE;
  gboolean skip = FALSE;

  while (tsr_xml_reader_next (r, skip, &local_error))
    {
      int type = tsr_xml_reader_type (r);

      skip = FALSE;
      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (tsr_xml_reader_is (r, S, "si"))
            {
              if (current != NULL)
                g_ptr_array_add (x->shared, g_string_free (g_steal_pointer (&current), FALSE));
              current = g_string_new (NULL);
              if (tsr_xml_reader_is_empty (r))
                g_ptr_array_add (x->shared, g_string_free (g_steal_pointer (&current), FALSE));
            }
          else if (tsr_xml_reader_is (r, S, "rPh") || tsr_xml_reader_is (r, S, "phoneticPr"))
            skip = TRUE;   /* Japanese reading aids, not the cell's text */
          else if (tsr_xml_reader_is (r, S, "t"))
            in_text = !tsr_xml_reader_is_empty (r);
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (tsr_xml_reader_is (r, S, "t"))
            in_text = FALSE;
          else if (tsr_xml_reader_is (r, S, "si") && current != NULL)
            g_ptr_array_add (x->shared, g_string_free (g_steal_pointer (&current), FALSE));
        }
      else if (in_text && current != NULL &&
               (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_WHITESPACE))
        {
          g_string_append (current, tsr_xml_reader_value (r));
          if (current->len > TSR_IMPORT_MAX_TEXT_BYTES)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("The spreadsheet “%s” holds a cell of more than %u MB of text"),
                           x->display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
              return FALSE;
            }
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Styles: which number formats are dates -------------------------------- */

static ValueKind
builtin_format_kind (int id)
{
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
      (id >= 50 && id <= 58))
    return VALUE_DATE;
  if (id == 22)
    return VALUE_DATETIME;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 33) || (id >= 45 && id <= 47))
    return VALUE_TIME;
  return VALUE_NUMBER;
}

/* A custom format is a date format when, outside quoted text, escapes
 * and [colour]/[$-locale] brackets, it uses y, d or m (month) codes. */
static ValueKind
custom_format_kind (const char *code)
{
  gboolean date = FALSE, time = FALSE, month = FALSE;

  for (const char *p = code; *p; p++)
    {
      switch (*p)
        {
        case '"':
          p++;
          while (*p && *p != '"')
            p++;
          if (*p == '\0')
            p--;
          break;
        case '\\':
        case '_':
        case '*':
          if (p[1] != '\0')
            p++;
          break;
        case '[':
          /* [h], [mm], [ss] are elapsed times; [Red], [$-409] are not codes. */
          if (p[1] == 'h' || p[1] == 'H' || p[1] == 's' || p[1] == 'S')
            time = TRUE;
          while (*p && *p != ']')
            p++;
          if (*p == '\0')
            p--;
          break;
        case ';':
          /* Only the first section decides. */
          goto done;
        case 'y': case 'Y': case 'd': case 'D':
          date = TRUE;
          break;
        case 'h': case 'H': case 's': case 'S':
          time = TRUE;
          break;
        case 'm': case 'M':
          month = TRUE;
          break;
        case 'g': case 'G':
          /* "General" is the format of plain numbers, not codes. */
          if (g_ascii_strncasecmp (p, "general", 7) == 0)
            p += 6;
          break;
        default:
          break;
        }
    }
done:
  if (date && time)
    return VALUE_DATETIME;
  if (date)
    return VALUE_DATE;
  if (time)
    return VALUE_TIME;   /* "mm" next to h or s is minutes */
  if (month)
    return VALUE_DATE;
  return VALUE_NUMBER;
}

static gboolean
read_styles (Xlsx    *x,
             GBytes  *bytes,
             GError **error)
{
  g_autoptr(GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  xmlDocPtr doc = tsr_xml_parse (bytes, "xl/styles.xml", x->display_name, error);
  xmlNodePtr root, numfmts, xfs;

  if (doc == NULL)
    return FALSE;
  root = xmlDocGetRootElement (doc);

  numfmts = tsr_xml_node_child (root, S, "numFmts");
  for (xmlNodePtr n = numfmts ? numfmts->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *id = NULL;
      g_autofree char *code = NULL;

      if (!tsr_xml_node_is (n, S, "numFmt"))
        continue;
      id = tsr_xml_node_attr (n, NULL, "numFmtId");
      code = tsr_xml_node_attr (n, NULL, "formatCode");
      if (id != NULL && code != NULL)
        g_hash_table_insert (custom, GINT_TO_POINTER (atoi (id)),
                             GINT_TO_POINTER (custom_format_kind (code) + 1));
    }

  xfs = tsr_xml_node_child (root, S, "cellXfs");
  for (xmlNodePtr n = xfs ? xfs->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *id = NULL;
      gpointer kind;
      ValueKind value_kind;
      int fmt;

      if (!tsr_xml_node_is (n, S, "xf"))
        continue;
      id = tsr_xml_node_attr (n, NULL, "numFmtId");
      fmt = id ? atoi (id) : 0;
      kind = g_hash_table_lookup (custom, GINT_TO_POINTER (fmt));
      value_kind = kind ? (ValueKind) (GPOINTER_TO_INT (kind) - 1) : builtin_format_kind (fmt);
      g_array_append_val (x->styles, value_kind);
    }

  xmlFreeDoc (doc);
  return TRUE;
}

/* Cell values --------------------------------------------------------- */

static char *
format_number (const char *v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end = NULL;
  double d = g_ascii_strtod (v, &end);

  if (end == v || *end != '\0' || !isfinite (d))
    return g_strdup (v);
  /* Excel shows 15 significant digits: 0.1 + 0.2 is 0.3 there. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", d);
  return g_strdup (buf);
}

static char *
format_serial (Xlsx       *x,
               const char *v,
               ValueKind   kind)
{
  g_autoptr(GDate) date = NULL;
  char *end = NULL;
  double serial = g_ascii_strtod (v, &end);
  double whole;
  guint seconds;
  char day[16];

  if (end == v || *end != '\0' || !isfinite (serial) || serial < 0 || serial > 2958465.0)
    return format_number (v);

  whole = floor (serial);
  seconds = (guint) llround ((serial - whole) * 86400.0);
  if (seconds >= 86400)
    {
      whole += 1;
      seconds -= 86400;
    }

  if (kind == VALUE_TIME && whole == 0)
    {
      if (seconds % 60 != 0)
        return g_strdup_printf ("%02u:%02u:%02u", seconds / 3600, seconds / 60 % 60, seconds % 60);
      return g_strdup_printf ("%02u:%02u", seconds / 3600, seconds / 60 % 60);
    }

  if (x->date1904)
    {
      date = g_date_new_dmy (1, G_DATE_JANUARY, 1904);
      g_date_add_days (date, (guint) whole);
    }
  else
    {
      /* Serial 60 is 29 February 1900, a day that never was (Lotus 1-2-3
       * thought 1900 a leap year, and Excel kept the mistake). */
      if (whole == 60)
        return format_number (v);
      if (whole < 1)
        return format_number (v);
      date = g_date_new_dmy (31, G_DATE_DECEMBER, 1899);
      g_date_add_days (date, (guint) (whole < 60 ? whole : whole - 1));
    }

  g_snprintf (day, sizeof day, "%04u-%02u-%02u", g_date_get_year (date),
              g_date_get_month (date), g_date_get_day (date));
  if (seconds == 0 || kind == VALUE_DATE)
    return g_strdup (day);
  if (seconds % 60 != 0)
    return g_strdup_printf ("%s %02u:%02u:%02u", day, seconds / 3600, seconds / 60 % 60, seconds % 60);
  return g_strdup_printf ("%s %02u:%02u", day, seconds / 3600, seconds / 60 % 60);
}

/* "BC12" → column 55 (0-based), row 12; FALSE if @ref is not a cell
 * reference. */
static gboolean
parse_reference (const char *ref,
                 guint      *column,
                 guint      *row)
{
  const char *p = ref;
  guint64 c = 0, r = 0;

  while (g_ascii_isalpha (*p))
    {
      c = c * 26 + (g_ascii_toupper (*p) - 'A' + 1);
      if (c > MAX_COLUMNS)
        return FALSE;
      p++;
    }
  while (g_ascii_isdigit (*p))
    {
      r = r * 10 + (*p - '0');
      if (r > MAX_ROWS)
        return FALSE;
      p++;
    }
  if (*p != '\0' || c == 0)
    return FALSE;
  *column = (guint) c - 1;
  *row = (guint) r;
  return TRUE;
}

typedef struct
{
  char      *type;
  int        style;
  GString   *value;     /* <v> */
  GString   *inline_text;
  gboolean   in_value;
  gboolean   in_inline;
  guint      column;
} Cell;

static char *
cell_text (Xlsx *x,
           Cell *cell)
{
  const char *type = cell->type ? cell->type : "n";
  const char *v = cell->value->str;

  if (strcmp (type, "inlineStr") == 0)
    return g_strdup (cell->inline_text->str);
  if (cell->value->len == 0)
    return g_strdup ("");

  if (strcmp (type, "s") == 0)
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (v, &end, 10);

      if (end == v || index >= x->shared->len)
        return g_strdup ("");
      return g_strdup (x->shared->pdata[index]);
    }
  if (strcmp (type, "b") == 0)
    return g_strdup (strcmp (v, "1") == 0 ? "true" : "false");
  if (strcmp (type, "str") == 0 || strcmp (type, "e") == 0)
    return g_strdup (v);
  if (strcmp (type, "d") == 0)
    {
      /* An ISO 8601 date, maybe with a time. */
      if (cell->value->len >= 10 && v[4] == '-' && v[7] == '-' &&
          (cell->value->len == 10 || v[10] == 'T'))
        {
          if (cell->value->len == 10 || g_str_has_prefix (v + 10, "T00:00:00"))
            return g_strndup (v, 10);
        }
      return g_strdup (v);
    }

  if (cell->style >= 0 && (guint) cell->style < x->styles->len)
    {
      ValueKind kind = g_array_index (x->styles, ValueKind, cell->style);

      if (kind != VALUE_NUMBER)
        return format_serial (x, v, kind);
    }
  return format_number (v);
}

static gboolean
read_sheet (Xlsx            *x,
            GBytes          *bytes,
            const char      *part,
            TsrImportTable  *table,
            GError         **error)
{
  g_autoptr(TsrXmlReader) r = tsr_xml_reader_new (bytes, part, x->display_name, x->cancellable);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  Cell cell = { NULL, -1, g_string_new (NULL), g_string_new (NULL), FALSE, FALSE, 0 };
  GError *local_error = NULL;
  gboolean in_row = FALSE;
  gboolean in_cell = FALSE;
  gboolean skip = FALSE;
  guint row_number = 0;
  guint next_column = 0;
  gsize total = 0;
  gboolean ok = TRUE;

  while (ok && tsr_xml_reader_next (r, skip, &local_error))
    {
      int type = tsr_xml_reader_type (r);

      skip = FALSE;
      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (tsr_xml_reader_is (r, S, "row"))
            {
              g_autofree char *ref = tsr_xml_reader_attr (r, NULL, "r");
              char *end = NULL;
              guint64 n = ref ? g_ascii_strtoull (ref, &end, 10) : 0;

              row_number = (ref && end != ref && n >= 1 && n <= MAX_ROWS) ? (guint) n : row_number + 1;
              g_ptr_array_set_size (cells, 0);
              next_column = 0;
              in_row = !tsr_xml_reader_is_empty (r);
            }
          else if (in_row && tsr_xml_reader_is (r, S, "c"))
            {
              g_autofree char *ref = tsr_xml_reader_attr (r, NULL, "r");
              g_autofree char *style = tsr_xml_reader_attr (r, NULL, "s");
              guint column, unused_row;

              g_free (cell.type);
              cell.type = tsr_xml_reader_attr (r, NULL, "t");
              cell.style = style ? atoi (style) : -1;
              g_string_truncate (cell.value, 0);
              g_string_truncate (cell.inline_text, 0);
              cell.column = (ref && parse_reference (ref, &column, &unused_row)) ? column : next_column;
              if (cell.column >= MAX_COLUMNS)
                {
                  skip = TRUE;
                  continue;
                }
              next_column = cell.column + 1;
              in_cell = !tsr_xml_reader_is_empty (r);
            }
          else if (in_cell && tsr_xml_reader_is (r, S, "v"))
            cell.in_value = TRUE;
          else if (in_cell && tsr_xml_reader_is (r, S, "is"))
            cell.in_inline = TRUE;
          else if (in_cell && (tsr_xml_reader_is (r, S, "rPh") || tsr_xml_reader_is (r, S, "f")))
            skip = TRUE;
          else if (!in_row && !tsr_xml_reader_is (r, S, "worksheet") &&
                   !tsr_xml_reader_is (r, S, "sheetData"))
            skip = TRUE;   /* columns, merged cells, conditional formats… */
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          if (tsr_xml_reader_is (r, S, "v"))
            cell.in_value = FALSE;
          else if (tsr_xml_reader_is (r, S, "is"))
            cell.in_inline = FALSE;
          else if (tsr_xml_reader_is (r, S, "c") && in_cell)
            {
              char *text = cell_text (x, &cell);

              in_cell = FALSE;
              total += strlen (text);
              if (total > TSR_IMPORT_MAX_TEXT_BYTES)
                {
                  g_free (text);
                  g_set_error (&local_error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                               _("The spreadsheet “%s” holds more than %u MB of text, more "
                                 "than Tessera imports from one file. Split it and import "
                                 "the parts."),
                               x->display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
                  ok = FALSE;
                  break;
                }
              while (cells->len <= cell.column)
                g_ptr_array_add (cells, g_strdup (""));
              g_free (cells->pdata[cell.column]);
              cells->pdata[cell.column] = text;
            }
          else if (tsr_xml_reader_is (r, S, "row") && in_row)
            {
              gboolean any = FALSE;

              in_row = FALSE;
              for (guint i = 0; i < cells->len && !any; i++)
                any = *(const char *) cells->pdata[i] != '\0';
              if (any)
                {
                  g_ptr_array_add (cells, NULL);
                  if (!tsr_import_table_add_row (table, (char **) g_ptr_array_steal (cells, NULL),
                                                 row_number, &local_error))
                    ok = FALSE;
                }
              g_ptr_array_set_size (cells, 0);
            }
        }
      else if (in_cell && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                           type == XML_READER_TYPE_WHITESPACE))
        {
          const char *value = tsr_xml_reader_value (r);

          if (cell.in_value)
            g_string_append (cell.value, value);
          else if (cell.in_inline)
            g_string_append (cell.inline_text, value);
          if (cell.value->len + cell.inline_text->len > TSR_IMPORT_MAX_TEXT_BYTES)
            {
              g_set_error (&local_error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                           _("The spreadsheet “%s” holds a cell of more than %u MB of text"),
                           x->display_name, TSR_IMPORT_MAX_TEXT_BYTES / (1024 * 1024));
              ok = FALSE;
            }
        }
    }

  g_free (cell.type);
  g_string_free (cell.value, TRUE);
  g_string_free (cell.inline_text, TRUE);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsr_xlsx_read_parts:
 * @workbook: (nullable): xl/workbook.xml, for the date system
 * @shared_strings: (nullable): xl/sharedStrings.xml
 * @styles: (nullable): xl/styles.xml
 * @sheet: the worksheet
 * @sheet_part: (nullable): its name, for messages
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
TsrImportTable *
tsr_xlsx_read_parts (GBytes        *workbook,
                     GBytes        *shared_strings,
                     GBytes        *styles,
                     GBytes        *sheet,
                     const char    *sheet_part,
                     const char    *display_name,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(TsrImportTable) table = tsr_import_table_new (display_name);
  Xlsx x = { display_name, cancellable, NULL, NULL, FALSE };
  gboolean ok = TRUE;

  x.shared = g_ptr_array_new_with_free_func (g_free);
  x.styles = g_array_new (FALSE, FALSE, sizeof (ValueKind));

  if (workbook != NULL)
    {
      xmlDocPtr doc = tsr_xml_parse (workbook, "xl/workbook.xml", display_name, error);
      xmlNodePtr pr;

      ok = doc != NULL;
      if (ok)
        {
          g_autofree char *date1904 = NULL;

          pr = tsr_xml_node_child (xmlDocGetRootElement (doc), S, "workbookPr");
          date1904 = tsr_xml_node_attr (pr, NULL, "date1904");
          x.date1904 = g_strcmp0 (date1904, "1") == 0 || g_strcmp0 (date1904, "true") == 0;
          xmlFreeDoc (doc);
        }
    }

  ok = ok && (shared_strings == NULL || read_shared_strings (&x, shared_strings, error));
  ok = ok && (styles == NULL || read_styles (&x, styles, error));
  ok = ok && read_sheet (&x, sheet, sheet_part ? sheet_part : "worksheet", table, error);
  ok = ok && tsr_import_table_finish (table, error);

  g_ptr_array_unref (x.shared);
  g_array_unref (x.styles);
  return ok ? g_steal_pointer (&table) : NULL;
}

typedef struct
{
  char *name;
  char *rel_id;
  gboolean hidden;
} SheetEntry;

static char *
find_relationship_by_id (GBytes     *rels,
                         const char *source,
                         const char *id)
{
  g_autofree char *base_dir = g_path_get_dirname (source);
  xmlDocPtr doc;
  xmlNodePtr root;
  char *ret = NULL;

  if (rels == NULL || id == NULL)
    return NULL;
  doc = tsr_xml_parse (rels, "relationships", "", NULL);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  for (xmlNodePtr n = root ? root->children : NULL; n != NULL && ret == NULL; n = n->next)
    {
      g_autofree char *rid = NULL;
      g_autofree char *target = NULL;

      if (!tsr_xml_node_is (n, RELS, "Relationship"))
        continue;
      rid = tsr_xml_node_attr (n, NULL, "Id");
      target = tsr_xml_node_attr (n, NULL, "Target");
      if (g_strcmp0 (rid, id) == 0 && target != NULL)
        {
          if (target[0] == '/')
            ret = g_strdup (target + 1);
          else if (strcmp (base_dir, ".") == 0)
            ret = g_strdup (target);
          else
            ret = g_strconcat (base_dir, "/", target, NULL);
        }
    }
  xmlFreeDoc (doc);
  return ret;
}

/**
 * tsr_xlsx_read:
 * @sheet: (nullable): the sheet's name, or %NULL for the first visible one
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
TsrImportTable *
tsr_xlsx_read (GBytes        *data,
               const char    *sheet,
               const char    *display_name,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(TsrZip) zip = NULL;
  g_autoptr(GBytes) workbook = NULL;
  g_autoptr(GBytes) workbook_rels = NULL;
  g_autoptr(GBytes) shared = NULL;
  g_autoptr(GBytes) styles = NULL;
  g_autoptr(GBytes) sheet_bytes = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *main_part = NULL;
  g_autofree char *rels_name = NULL;
  g_autofree char *shared_name = NULL;
  g_autofree char *styles_name = NULL;
  g_autofree char *sheet_part = NULL;
  g_autofree char *chosen_rel = NULL;
  g_autofree char *chosen_name = NULL;
  g_autofree char *first_visible_rel = NULL;
  g_autofree char *first_visible_name = NULL;
  TsrImportTable *table;
  GError *local_error = NULL;
  xmlDocPtr doc;
  xmlNodePtr sheets;

  zip = tsr_zip_open (data, display_name, error);
  if (zip == NULL)
    return NULL;
  main_part = tsr_ooxml_main_part (zip, "xl/workbook.xml", cancellable, error);
  if (main_part == NULL)
    return NULL;
  workbook = tsr_zip_read (zip, main_part, cancellable, error);
  if (workbook == NULL)
    return NULL;
  rels_name = tsr_ooxml_rels_name (main_part);
  workbook_rels = tsr_zip_read_optional (zip, rels_name, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  doc = tsr_xml_parse (workbook, main_part, display_name, error);
  if (doc == NULL)
    return NULL;
  sheets = tsr_xml_node_child (xmlDocGetRootElement (doc), S, "sheets");
  for (xmlNodePtr n = sheets ? sheets->children : NULL; n != NULL; n = n->next)
    {
      g_autofree char *name = NULL;
      g_autofree char *rid = NULL;
      g_autofree char *state = NULL;

      if (!tsr_xml_node_is (n, S, "sheet"))
        continue;
      name = tsr_xml_node_attr (n, NULL, "name");
      rid = tsr_xml_node_attr (n, R, "id");
      state = tsr_xml_node_attr (n, NULL, "state");
      if (name == NULL || rid == NULL)
        continue;
      g_ptr_array_add (names, g_strdup (name));
      if (sheet != NULL && chosen_rel == NULL && strcmp (sheet, name) == 0)
        {
          chosen_rel = g_strdup (rid);
          chosen_name = g_strdup (name);
        }
      if (first_visible_rel == NULL && (state == NULL || strcmp (state, "visible") == 0))
        {
          first_visible_rel = g_strdup (rid);
          first_visible_name = g_strdup (name);
        }
    }
  xmlFreeDoc (doc);
  g_ptr_array_add (names, NULL);

  if (sheet != NULL && chosen_rel == NULL)
    {
      g_autofree char *list = g_strjoinv ("”, “", (char **) names->pdata);

      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The workbook “%s” has no sheet “%s”; its sheets are “%s”"),
                   display_name, sheet, list);
      return NULL;
    }
  if (chosen_rel == NULL)
    {
      chosen_rel = g_steal_pointer (&first_visible_rel);
      chosen_name = g_steal_pointer (&first_visible_name);
    }
  sheet_part = find_relationship_by_id (workbook_rels, main_part, chosen_rel);
  if (sheet_part == NULL || !tsr_zip_has (zip, sheet_part))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                   _("The workbook “%s” is damaged: it has no sheet to read"), display_name);
      return NULL;
    }

  shared_name = tsr_ooxml_find_relationship (workbook_rels, main_part, "/sharedStrings");
  styles_name = tsr_ooxml_find_relationship (workbook_rels, main_part, "/styles");
  shared = tsr_zip_read_optional (zip, shared_name ? shared_name : "xl/sharedStrings.xml",
                                  cancellable, &local_error);
  if (local_error == NULL)
    styles = tsr_zip_read_optional (zip, styles_name ? styles_name : "xl/styles.xml",
                                    cancellable, &local_error);
  if (local_error == NULL)
    sheet_bytes = tsr_zip_read (zip, sheet_part, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  table = tsr_xlsx_read_parts (workbook, shared, styles, sheet_bytes, sheet_part, display_name,
                               cancellable, error);
  if (table != NULL)
    tsr_import_table_set_sheets (table, (GStrv) names->pdata, chosen_name);
  return table;
}
