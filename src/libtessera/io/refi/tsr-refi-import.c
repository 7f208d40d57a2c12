/* tsr-refi-import.c — a REFI-QDA project (.qdpx) as a new Tessera project
 *
 * A .qdpx is a zip holding project.qde and the sources' files under
 * sources/.  The archive is read in memory through the importers' zip
 * reader (sizes counted as they inflate, the same zip-bomb limits as a
 * Word file's); no member is ever written to disk, and a member name or
 * a plainTextPath that climbs out of its folder ("../", an absolute path,
 * "internal://../") is refused, not resolved.
 *
 * Everything is read and checked before the project file exists: the
 * .qde (tsr-refi-qde.c), each source's text, and each source's positions
 * under every reading exporters use (tsr-refi-offsets.c).  For each
 * source the reading its selections fit best is kept — a selection
 * fits when it begins and ends on word boundaries, and fits better when
 * the text there begins with the selection's name, as ATLAS.ti names
 * quotations — and the summary says which.  A selection that fits no
 * reading is imported where the chosen reading puts it, never nudged to
 * a boundary, and named in the summary; one that falls outside the text
 * is left out and named.
 *
 * The project is then created and written in one transaction, row by row
 * with the file's GUIDs as UUIDs; any failure rolls it back and deletes
 * the file, so a failed import leaves nothing behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-import-private.h"
#include "tsr-project-private.h"
#include "tsr-refi-private.h"

/* Tessera's palette (tsr-project-codes.c), for codes without a colour */
static const char * const palette[] = {
  "#3584e4", "#33d17a", "#f6d32d", "#ff7800", "#e01b24", "#9141ac",
  "#986a44", "#26a269", "#1c71d8", "#c64600", "#a51d2d", "#613583",
};

static const TsrRefiReading readings[] = {
  TSR_REFI_READING_CODE_POINTS,
  TSR_REFI_READING_UTF16,
  TSR_REFI_READING_CODE_POINTS_LF,
  TSR_REFI_READING_UTF16_LF,
};

/* The summary ------------------------------------------------------------ */

const char *
tsr_refi_reading_describe (TsrRefiReading reading)
{
  switch (reading)
    {
    case TSR_REFI_READING_NONE:
      return _("no selections to read");
    case TSR_REFI_READING_CODE_POINTS:
      return _("Unicode characters, as the REFI-QDA specification counts");
    case TSR_REFI_READING_UTF16:
      return _("UTF-16 code units, as NVivo counts (an emoji counts two, a Windows line end two)");
    case TSR_REFI_READING_CODE_POINTS_LF:
      return _("Unicode characters, with each line end counted as one");
    case TSR_REFI_READING_UTF16_LF:
      return _("UTF-16 code units, with each line end counted as one");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
refi_source_free (gpointer data)
{
  TsrRefiSource *source = data;

  g_free (source->name);
  g_free (source->guid);
  g_ptr_array_unref (source->problems);
  g_free (source);
}

TsrRefiSummary *
tsr_refi_summary_new (void)
{
  TsrRefiSummary *summary = g_new0 (TsrRefiSummary, 1);

  summary->sources = g_ptr_array_new_with_free_func (refi_source_free);
  summary->kept = g_ptr_array_new_with_free_func (g_free);
  summary->skipped = g_ptr_array_new_with_free_func (g_free);
  summary->changed = g_ptr_array_new_with_free_func (g_free);
  return summary;
}

void
tsr_refi_summary_free (TsrRefiSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->origin);
  g_ptr_array_unref (summary->sources);
  g_ptr_array_unref (summary->kept);
  g_ptr_array_unref (summary->skipped);
  g_ptr_array_unref (summary->changed);
  g_free (summary);
}

static void
append_count (GString    *out,
              guint       n,
              const char *singular,
              const char *plural)
{
  if (out->len > 0)
    g_string_append (out, ", ");
  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, singular, plural, n), n);
}

/**
 * tsr_refi_summary_to_text:
 * @export: whether the summary is of an export
 *
 * The summary as lines a person reads: what came in (or went out), how
 * each source's positions were read, what was kept, skipped or changed.
 *
 * Returns: (transfer full): the text
 */
char *
tsr_refi_summary_to_text (const TsrRefiSummary *summary,
                          gboolean              export)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) counts = g_string_new (NULL);

  g_return_val_if_fail (summary != NULL, NULL);

  append_count (counts, summary->n_documents, N_("%u document"), N_("%u documents"));
  append_count (counts, summary->n_codes, N_("%u code"), N_("%u codes"));
  append_count (counts, summary->n_segments, N_("%u coded passage"), N_("%u coded passages"));
  append_count (counts, summary->n_coders, N_("%u coder"), N_("%u coders"));
  if (summary->n_memos > 0)
    append_count (counts, summary->n_memos, N_("%u memo"), N_("%u memos"));
  if (summary->n_themes > 0)
    append_count (counts, summary->n_themes, N_("%u theme"), N_("%u themes"));
  if (summary->n_cases > 0)
    append_count (counts, summary->n_cases, N_("%u case"), N_("%u cases"));
  if (summary->n_attributes > 0)
    append_count (counts, summary->n_attributes, N_("%u attribute"), N_("%u attributes"));
  if (summary->n_map_items > 0)
    append_count (counts, summary->n_map_items, N_("%u place on the theme map"), N_("%u places on the theme map"));

  if (export)
    g_string_append_printf (out, _("Written: %s."), counts->str);
  else if (summary->origin != NULL && *summary->origin != '\0')
    /* Translators: the first %s is a program ("NVivo for Windows 12.6"),
     * the second a list of counts */
    g_string_append_printf (out, _("From %s: %s."), summary->origin, counts->str);
  else
    g_string_append_printf (out, _("Came in: %s."), counts->str);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < summary->sources->len; i++)
    {
      TsrRefiSource *source = summary->sources->pdata[i];

      if (source->reading == TSR_REFI_READING_NONE)
        continue;
      /* Translators: a source's name, then how many of its selections
       * begin and end on word boundaries, then how they were read */
      g_string_append_printf (out, _("“%s”: %u of %u selections on word boundaries, positions read as %s.\n"),
                              source->name, source->n_fitting, source->n_selections,
                              tsr_refi_reading_describe (source->reading));
      for (guint j = 0; j < source->problems->len; j++)
        g_string_append_printf (out, "    %s\n", (const char *) source->problems->pdata[j]);
    }

  if (summary->kept->len > 0)
    {
      g_string_append (out, export ? _("Written back as they came:") : _("Kept but not shown (written back on export):"));
      for (guint i = 0; i < summary->kept->len; i++)
        g_string_append_printf (out, "%s %s", i > 0 ? "," : "", (const char *) summary->kept->pdata[i]);
      g_string_append (out, ".\n");
    }
  if (summary->skipped->len > 0)
    {
      g_string_append (out, export ? _("Not written (REFI-QDA has no place for it):\n") : _("Left out:\n"));
      for (guint i = 0; i < summary->skipped->len; i++)
        g_string_append_printf (out, "    %s\n", (const char *) summary->skipped->pdata[i]);
    }
  if (summary->changed->len > 0)
    {
      g_string_append (out, _("Changed to fit:\n"));
      for (guint i = 0; i < summary->changed->len; i++)
        g_string_append_printf (out, "    %s\n", (const char *) summary->changed->pdata[i]);
    }
  return g_string_free (out, FALSE);
}

/* Reading the archive ---------------------------------------------------- */

typedef struct
{
  RefiSelection *selection;
  gint64         start;
  gint64         end;
} Placed;

typedef struct
{
  RefiSource    *source;
  char          *name;       /* the document's, unique */
  char          *stored;     /* the text as the file holds it */
  char          *text;       /* Tessera's text */
  char          *origin;     /* where it came from, for the record */
  TsrRefiSource *report;
  GArray        *placed;     /* Placed */
  gint64         document_id;
} Text;

static void
text_free (gpointer data)
{
  Text *text = data;

  g_free (text->name);
  g_free (text->stored);
  g_free (text->text);
  g_free (text->origin);
  g_array_unref (text->placed);
  g_free (text);
}

typedef struct
{
  const char      *display_name;
  RefiProject     *project;
  TsrRefiSummary  *summary;
  TsrZip          *zip;
  GCancellable    *cancellable;
  GPtrArray       *texts;         /* Text */
  GHashTable      *note_texts;    /* note GUID → text */
  GHashTable      *members;       /* sources/… → GBytes, read in one pass */
  TsrDatabase     *db;
  gint64           now;
  /* GUID → Tessera id */
  GHashTable      *coders;
  GHashTable      *codes;
  GHashTable      *documents;
  GHashTable      *segments_of_selection;  /* the first segment made of it */
  GHashTable      *segment_of_coding;
  GHashTable      *themes;
  GHashTable      *cases;
  GHashTable      *variables;     /* guid → RefiVariable */
  GHashTable      *attributes;    /* "d:" or "c:" + guid → id */
  GHashTable      *used_names;    /* "table:parent:name" */
  gint64           fallback_coder;
  guint            n_colors;
} Import;

static gint64
lookup_id (GHashTable *map,
           const char *guid)
{
  gpointer value = guid != NULL ? g_hash_table_lookup (map, guid) : NULL;

  return value != NULL ? *(gint64 *) value : 0;
}

static void
remember_id (GHashTable *map,
             const char *guid,
             gint64      id)
{
  g_hash_table_insert (map, g_strdup (guid), g_memdup2 (&id, sizeof id));
}

static GHashTable *
id_map_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* "x", "x (2)", "x (3)"… the first not yet taken in @scope */
static char *
unique_name (Import     *im,
             const char *scope,
             const char *name,
             const char *what)
{
  g_autofree char *key = g_strconcat (scope, "\x1f", name, NULL);
  char *candidate;

  if (g_hash_table_add (im->used_names, g_strdup (key)))
    return g_strdup (name);
  for (guint n = 2; ; n++)
    {
      g_autofree char *attempt = g_strdup_printf ("%s (%u)", name, n);

      g_free (key);
      key = g_strconcat (scope, "\x1f", attempt, NULL);
      if (g_hash_table_add (im->used_names, g_strdup (key)))
        {
          candidate = g_steal_pointer (&attempt);
          break;
        }
    }
  /* Translators: "the second code “x” here is now “x (2)”" */
  g_ptr_array_add (im->summary->changed,
                   g_strdup_printf (_("A second %s named “%s” is now “%s”"), what, name, candidate));
  return candidate;
}

/* A name as Tessera stores it: trimmed, never empty. */
static char *
clean_name (const char *name,
            const char *fallback)
{
  g_autofree char *copy = g_strdup (name != NULL ? name : "");

  g_strstrip (copy);
  if (*copy == '\0' || !g_utf8_validate (copy, -1, NULL))
    return g_strdup (fallback);
  return g_steal_pointer (&copy);
}

static void
refuse_path (Import      *im,
             const char  *path,
             GError     **error)
{
  g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
               _("The project “%s” names a file “%s”, a path that leaves the project’s folder; "
                 "Tessera does not open such projects"),
               im->display_name, path);
}

/* Whether @path, relative to the sources folder, stays inside it. */
static gboolean
path_stays_inside (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0' || path[0] == '/' || strchr (path, '\\') != NULL ||
      strchr (path, ':') != NULL || !g_utf8_validate (path, -1, NULL))
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* The archive member a plainTextPath names: "internal://x" and a bare "x"
 * (as the qc tool writes) are sources/x.  Sets @member to NULL for a file
 * outside the archive (relative://, absolute://, file:), which Tessera
 * does not read.  Fails on a path that climbs out. */
static gboolean
resolve_path (Import      *im,
              const char  *path,
              char       **member,
              GError     **error)
{
  const char *rest = path;

  *member = NULL;
  if (g_str_has_prefix (path, "internal://"))
    rest = path + strlen ("internal://");
  else if (strstr (path, "://") != NULL || g_str_has_prefix (path, "file:"))
    {
      g_autofree char *scheme = g_uri_parse_scheme (path);

      if (scheme != NULL)
        return TRUE;
      refuse_path (im, path, error);
      return FALSE;
    }
  if (!path_stays_inside (rest))
    {
      refuse_path (im, path, error);
      return FALSE;
    }
  *member = g_strconcat ("sources/", rest, NULL);
  return TRUE;
}

/* A source file's bytes as UTF-8 text without its byte order mark, or
 * NULL with a reason in @why. */
static char *
decode_source (GBytes  *bytes,
               char   **why)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = NULL;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  else if (length >= 2 && (memcmp (data, "\xff\xfe", 2) == 0 || memcmp (data, "\xfe\xff", 2) == 0))
    {
      gsize written = 0;

      text = g_convert (data + 2, length - 2, "UTF-8", data[0] == '\xff' ? "UTF-16LE" : "UTF-16BE",
                        NULL, &written, NULL);
      if (text == NULL || strlen (text) != written)
        {
          *why = g_strdup (_("it is not text"));
          return NULL;
        }
      return g_steal_pointer (&text);
    }
  if (memchr (data, '\0', length) != NULL)
    {
      *why = g_strdup (_("it is not text"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      *why = g_strdup (_("it is not UTF-8 text, as REFI-QDA requires"));
      return NULL;
    }
  return g_strndup (data, length);
}

/* Reads the text at @path (a plainTextPath) or NULL with a reason in
 * @why; fails only on a hostile path or a hostile archive. */
static char *
read_text_file (Import      *im,
                const char  *path,
                char       **why,
                GError     **error)
{
  g_autofree char *member = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!resolve_path (im, path, &member, error))
    return NULL;
  if (member == NULL)
    {
      *why = g_strdup_printf (_("its text is outside the project (%s), and Tessera reads only what the "
                                "project holds"), path);
      return NULL;
    }
  bytes = im->members != NULL ? g_hash_table_lookup (im->members, member) : NULL;
  if (bytes == NULL)
    bytes = tsr_zip_read_optional (im->zip, member, im->cancellable, &local_error);
  else
    g_bytes_ref (bytes);
  if (bytes == NULL && local_error == NULL)
    {
      *why = g_strdup_printf (_("its text (%s) is not in the project"), path);
      return NULL;
    }
  if (bytes == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return decode_source (bytes, why);
}

/* Whitespace-insensitive: does @text at @start begin with @name's first
 * characters?  Names like "line:6" or a GUID match nothing and count for
 * nothing. */
static gboolean
name_matches (const gunichar *text,
              glong           length,
              gint64          start,
              const char     *name)
{
  guint matched = 0;
  gint64 t = start;
  const char *p;

  if (name == NULL || start < 0 || start >= length)
    return FALSE;
  for (p = name; *p != '\0' && matched < 24; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2026)        /* … : the name was cut there */
        break;
      if (g_unichar_isspace (c))
        {
          while (t < length && g_unichar_isspace (text[t]))
            t++;
          continue;
        }
      while (t < length && g_unichar_isspace (text[t]) && !g_unichar_isspace (c))
        {
          if (matched == 0)
            return FALSE;
          t++;
        }
      if (t >= length || text[t] != c)
        return FALSE;
      t++;
      matched++;
    }
  return matched >= 4;
}

/* A few characters either side of @at, with "|" where it falls. */
static char *
context_at (const gunichar *text,
            glong           length,
            gint64          at)
{
  GString *out = g_string_new ("“");
  gint64 from = MAX (0, at - 12);
  gint64 to = MIN (length, at + 12);

  if (from > 0)
    g_string_append (out, "…");
  for (gint64 i = from; i <= to; i++)
    {
      if (i == at)
        g_string_append_c (out, '|');
      if (i < to)
        g_string_append_unichar (out, text[i] == '\n' ? 0x21b5 : text[i]);
    }
  if (to < length)
    g_string_append (out, "…");
  g_string_append (out, "”");
  return g_string_free (out, FALSE);
}

static void
place_selections (Import *im,
                  Text   *text)
{
  RefiSource *source = text->source;
  guint n = source->selections->len;
  g_autofree gint64 *positions = NULL;
  gint64 *offsets[G_N_ELEMENTS (readings)] = { NULL, };
  g_autofree gunichar *chars = NULL;
  glong length = 0;
  guint scores[G_N_ELEMENTS (readings)] = { 0, };
  guint best = 0;
  gboolean all_same = TRUE;
  gint64 *chosen;

  text->report->n_selections = n;
  if (n == 0)
    return;

  chars = g_utf8_to_ucs4_fast (text->text, -1, &length);
  positions = g_new (gint64, 2 * n);
  for (guint i = 0; i < n; i++)
    {
      RefiSelection *selection = source->selections->pdata[i];

      positions[2 * i] = selection->start;
      positions[2 * i + 1] = selection->end;
    }

  for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
    {
      offsets[r] = g_new (gint64, 2 * n);
      _tsr_refi_resolve_offsets (text->stored, readings[r], positions, 2 * n, offsets[r]);
      for (guint i = 0; i < n; i++)
        {
          RefiSelection *selection = source->selections->pdata[i];
          gint64 start = offsets[r][2 * i];
          gint64 end = offsets[r][2 * i + 1];

          if (_tsr_refi_on_boundaries (chars, length, start, end))
            scores[r] += 1;
          if (name_matches (chars, length, start, selection->name))
            scores[r] += 2;
        }
      if (r > 0 && memcmp (offsets[r], offsets[0], 2 * n * sizeof (gint64)) != 0)
        all_same = FALSE;
      if (scores[r] > scores[best])
        best = r;
    }

  /* When every reading places every selection alike (a text of LF line
   * ends without emoji) the specification's is the one to name. */
  if (all_same)
    best = 0;
  text->report->reading = readings[best];
  chosen = offsets[best];

  for (guint i = 0; i < n; i++)
    {
      RefiSelection *selection = source->selections->pdata[i];
      gint64 start = chosen[2 * i];
      gint64 end = chosen[2 * i + 1];
      Placed placed;

      if (start < 0 || end < 0 || start >= end)
        {
          /* Translators: a selection that cannot be placed in its text */
          g_ptr_array_add (text->report->problems,
                           g_strdup_printf (start >= 0 && end >= 0 && start >= end
                                              ? _("Line %d: positions %" PRId64 "–%" PRId64
                                                  " select nothing; left out")
                                              : _("Line %d: positions %" PRId64 "–%" PRId64
                                                  " lie outside the text; left out"),
                                            selection->line, selection->start, selection->end));
          continue;
        }
      if (_tsr_refi_on_boundaries (chars, length, start, end))
        text->report->n_fitting++;
      else
        {
          gboolean fits_other = FALSE;
          gboolean start_ok;
          g_autofree char *where = NULL;

          for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
            if (r != best && _tsr_refi_on_boundaries (chars, length, offsets[r][2 * i], offsets[r][2 * i + 1]))
              fits_other = TRUE;
          /* [start, end of text) fits when start is on a boundary */
          start_ok = _tsr_refi_on_boundaries (chars, length, start, length);
          where = context_at (chars, length, start_ok ? end : start);
          g_ptr_array_add (text->report->problems,
                           g_strdup_printf (fits_other
                                              ? _("Line %d: positions %" PRId64 "–%" PRId64
                                                  " %s inside a word, %s (another reading would fit it, but not "
                                                  "the source’s other selections); imported as placed, not moved")
                                              : _("Line %d: positions %" PRId64 "–%" PRId64
                                                  " %s inside a word, %s, in every reading; imported as placed, "
                                                  "not moved"),
                                            selection->line, selection->start, selection->end,
                                            start_ok ? _("end") : _("begin"), where));
        }
      placed.selection = selection;
      placed.start = start;
      placed.end = end;
      g_array_append_val (text->placed, placed);
    }

  for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
    g_free (offsets[r]);
}

/* Members named "../x", "/x" or "C:\x" cannot do harm here (nothing is
 * written to disk), but no tool writes them: the archive was made to
 * attack whatever unpacks it. */
static gboolean
check_member_names (Import  *im,
                    GError **error)
{
  GPtrArray *names = tsr_zip_get_names (im->zip);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *trimmed = g_strdup (name);
      gsize len = strlen (trimmed);

      /* A folder's entry ends in "/". */
      while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
      if (len > 0 && !path_stays_inside (trimmed))
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                       _("The project “%s” holds a file named “%s”, a path that leaves the project’s "
                         "folder; Tessera does not open such projects"),
                       im->display_name, name);
          return FALSE;
        }
    }
  return TRUE;
}

static GBytes *
read_qde (Import  *im,
          GError **error)
{
  GPtrArray *names = tsr_zip_get_names (im->zip);
  const char *found = NULL;

  if (tsr_zip_has (im->zip, "project.qde"))
    return tsr_zip_read (im->zip, "project.qde", im->cancellable, error);
  /* ATLAS.ti 26 names it after the project ("Trial.qde"). */
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];

      if (strchr (name, '/') == NULL && g_str_has_suffix (name, ".qde"))
        {
          if (found != NULL)
            {
              g_set_error (error, TSR_ERROR, TSR_ERROR_CORRUPT,
                           _("The project “%s” holds two projects, “%s” and “%s”"),
                           im->display_name, found, name);
              return NULL;
            }
          found = name;
        }
    }
  if (found == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("“%s” is not a REFI-QDA project: it holds no project.qde"), im->display_name);
      return NULL;
    }
  return tsr_zip_read (im->zip, found, im->cancellable, error);
}

static const char *
source_kind_name (RefiSourceKind kind)
{
  return kind == REFI_SOURCE_PDF ? _("PDF source") : _("source");
}

/* A source without a name (the qc tool writes none) is named after its
 * file: "board_2017.txt" is "board_2017". */
static char *
source_fallback_name (RefiSource *source,
                      guint       index)
{
  if (source->path != NULL)
    {
      const char *slash = strrchr (source->path, '/');
      const char *base = slash != NULL ? slash + 1 : source->path;
      const char *dot = strrchr (base, '.');
      g_autofree char *name = dot != NULL && dot > base ? g_strndup (base, dot - base) : g_strdup (base);

      if (*g_strstrip (name) != '\0' && g_utf8_validate (name, -1, NULL))
        return g_steal_pointer (&name);
    }
  return g_strdup_printf (_("Source %u"), index + 1);
}

static gboolean
read_texts (Import                 *im,
            TsrImportProgressFunc   progress,
            gpointer                progress_data,
            GError                **error)
{
  GPtrArray *sources = im->project->sources;
  guint n_whole = 0;
  guint n_rich = 0;
  g_autoptr(GStrvBuilder) wanted = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  /* Every text file the project names, read in one pass: a path that
   * climbs out fails here, before anything is read. */
  for (guint i = 0; i < sources->len + im->project->notes->len; i++)
    {
      const char *path = i < sources->len ? ((RefiSource *) sources->pdata[i])->path
                                          : ((RefiNote *) im->project->notes->pdata[i - sources->len])->path;
      const char *content = i < sources->len ? ((RefiSource *) sources->pdata[i])->content
                                             : ((RefiNote *) im->project->notes->pdata[i - sources->len])->content;
      g_autofree char *member = NULL;

      if (path == NULL || content != NULL)
        continue;
      if (!resolve_path (im, path, &member, error))
        return FALSE;
      if (member != NULL)
        g_strv_builder_add (wanted, member);
    }
  names = g_strv_builder_end (wanted);
  im->members = tsr_zip_read_many (im->zip, (const char * const *) names, im->cancellable, error);
  if (im->members == NULL)
    return FALSE;

  for (guint i = 0; i < sources->len; i++)
    {
      RefiSource *source = sources->pdata[i];
      g_autofree char *fallback = source_fallback_name (source, i);
      g_autofree char *name = clean_name (source->name, fallback);
      g_autofree char *why = NULL;
      char *stored = NULL;
      Text *text;

      if (progress != NULL)
        progress (i, sources->len, name, progress_data);
      if (tsr_import_check_cancelled (im->cancellable, error))
        return FALSE;

      n_whole += source->n_source_codings;
      if (source->content != NULL)
        stored = g_strdup (source->content);
      else if (source->path != NULL)
        {
          stored = read_text_file (im, source->path, &why, error);
          if (stored == NULL && why == NULL)
            return FALSE;
        }
      else
        why = g_strdup (_("it has no text"));

      if (stored != NULL && strlen (stored) > TSR_IMPORT_MAX_TEXT_BYTES)
        {
          g_clear_pointer (&stored, g_free);
          why = g_strdup (_("its text is longer than Tessera takes"));
        }
      _tsr_refi_project_keep_source (im->project, source, stored != NULL);
      if (stored == NULL)
        {
          /* Translators: "The source “x” (3 selections) was left out: its
           * text (internal://….txt) is not in the project" */
          if (source->selections->len == 0)
            g_ptr_array_add (im->summary->skipped,
                             g_strdup_printf (_("The %s “%s” was left out: %s"),
                                              source_kind_name (source->kind), name, why));
          else
            g_ptr_array_add (im->summary->skipped,
                             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "The %s “%s” and its %u selection were left out: %s",
                                                           "The %s “%s” and its %u selections were left out: %s",
                                                           source->selections->len),
                                              source_kind_name (source->kind), name, source->selections->len, why));
          continue;
        }

      if (source->has_rich_text)
        n_rich++;
      text = g_new0 (Text, 1);
      text->source = source;
      text->stored = stored;
      text->text = _tsr_refi_normalize_text (stored);
      text->placed = g_array_new (FALSE, FALSE, sizeof (Placed));
      text->name = unique_name (im, "document", name, _("document"));
      text->origin = g_strdup_printf ("%s: %s", im->display_name,
                                      source->path != NULL ? source->path : name);
      text->report = g_new0 (TsrRefiSource, 1);
      text->report->name = g_strdup (text->name);
      text->report->guid = g_strdup (source->guid);
      text->report->problems = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (im->summary->sources, text->report);
      g_ptr_array_add (im->texts, text);
      place_selections (im, text);
    }

  if (n_rich > 0)
    g_ptr_array_add (im->summary->skipped,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u source’s formatted version (rich text): Tessera keeps its plain text",
                                                   "%u sources’ formatted versions (rich text): Tessera keeps their plain text",
                                                   n_rich), n_rich));
  /* Files of the sources folder no text came from: Word versions,
   * pictures, audio, video, PDFs.  Tessera does not store them, so say
   * so rather than write back sources whose files went missing unsaid. */
  {
    GPtrArray *all = tsr_zip_get_names (im->zip);
    guint n_files = 0;

    for (guint i = 0; i < all->len; i++)
      {
        const char *name = all->pdata[i];
        const char *base = strrchr (name, '/');
        gboolean read = FALSE;

        if (g_ascii_strncasecmp (name, "sources/", strlen ("sources/")) != 0 ||
            g_str_has_suffix (name, "/") || (base != NULL && base[1] == '.'))
          continue;
        for (guint j = 0; names[j] != NULL && !read; j++)
          read = g_ascii_strcasecmp (names[j], name) == 0;
        if (!read)
          n_files++;
      }
    if (n_files > 0)
      g_ptr_array_add (im->summary->skipped,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u file of the project’s sources Tessera does not read (a "
                                                     "Word version, a picture, audio, video or a PDF) is not kept; "
                                                     "what refers to it is written back without it",
                                                     "%u files of the project’s sources Tessera does not read (Word "
                                                     "versions, pictures, audio, video or PDFs) are not kept; what "
                                                     "refers to them is written back without them",
                                                     n_files), n_files));
  }
  if (n_whole > 0)
    g_ptr_array_add (im->summary->skipped,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u code applied to a whole source (Tessera codes passages)",
                                                   "%u codes applied to whole sources (Tessera codes passages)",
                                                   n_whole), n_whole));

  for (guint i = 0; i < im->project->notes->len; i++)
    {
      RefiNote *note = im->project->notes->pdata[i];
      g_autofree char *why = NULL;
      char *stored = NULL;

      if (note->content != NULL)
        stored = g_strdup (note->content);
      else if (note->path != NULL)
        {
          stored = read_text_file (im, note->path, &why, error);
          if (stored == NULL && why == NULL)
            return FALSE;
          if (stored == NULL)
            g_ptr_array_add (im->summary->skipped,
                             g_strdup_printf (_("The text of the note “%s”: %s"), note->name ? note->name : "", why));
        }
      if (stored != NULL)
        g_hash_table_insert (im->note_texts, g_strdup (note->guid), _tsr_refi_normalize_text (stored));
      g_free (stored);
    }

  if (progress != NULL)
    progress (sources->len, sources->len, NULL, progress_data);
  return TRUE;
}

/* Writing the project ---------------------------------------------------- */

static gboolean
run (Import        *im,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  return stmt != NULL && tsr_database_run (im->db, stmt, error);
}

static gint64
last_id (Import *im)
{
  return sqlite3_last_insert_rowid (tsr_database_get_handle (im->db));
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  sqlite3_bind_text (stmt, column, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

static gint64
insert_coder (Import      *im,
              const char  *uuid,
              const char  *name,
              gboolean     consensus,
              GError     **error)
{
  g_autofree char *unique = unique_name (im, "coder", name, _("coder"));
  sqlite3_stmt *stmt = tsr_database_prepare (im->db, "INSERT INTO coders (uuid, name, is_consensus, created)"
                                                     " VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, uuid);
  bind_text (stmt, 2, unique);
  sqlite3_bind_int (stmt, 3, consensus ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, im->now);
  if (!run (im, stmt, error))
    return 0;
  im->summary->n_coders++;
  return last_id (im);
}

static gboolean
write_coders (Import  *im,
              GError **error)
{
  for (guint i = 0; i < im->project->users->len; i++)
    {
      RefiUser *user = im->project->users->pdata[i];
      g_autofree char *fallback = g_strdup_printf (_("User %u"), i + 1);
      g_autofree char *name = clean_name (user->name != NULL && *user->name != '\0' ? user->name : user->id,
                                          fallback);
      gint64 id = insert_coder (im, user->guid, name, g_strcmp0 (user->id, "tessera:consensus") == 0, error);

      if (id == 0)
        return FALSE;
      remember_id (im->coders, user->guid, id);
    }
  /* Whose coding a coding without a user is: the project's creator's,
   * else the first user's. */
  im->fallback_coder = lookup_id (im->coders, im->project->creating_user);
  if (im->fallback_coder == 0 && im->project->users->len > 0)
    im->fallback_coder = lookup_id (im->coders, ((RefiUser *) im->project->users->pdata[0])->guid);
  return TRUE;
}

/* The coder of a coding, a selection, a note: the first of @guids the
 * file names, else the fallback, made when first needed. */
static gint64
coder_for (Import      *im,
           const char  *first,
           const char  *second,
           const char  *third,
           GError     **error)
{
  const char *guids[] = { first, second, third };

  for (guint i = 0; i < G_N_ELEMENTS (guids); i++)
    {
      gint64 id = lookup_id (im->coders, guids[i]);

      if (id != 0)
        return id;
    }
  if (im->fallback_coder == 0)
    {
      g_autofree char *uuid = _tsr_refi_guid_derive (im->display_name, "unknown-coder");

      im->fallback_coder = insert_coder (im, uuid, _("Unknown coder"), FALSE, error);
      if (im->fallback_coder != 0)
        g_ptr_array_add (im->summary->changed,
                         g_strdup (_("Coding the project names no coder for is given to “Unknown coder”")));
    }
  return im->fallback_coder;
}

static gboolean
write_codes (Import      *im,
             GPtrArray   *codes,
             gint64       parent_id,
             GError     **error)
{
  for (guint i = 0; i < codes->len; i++)
    {
      RefiCode *code = codes->pdata[i];
      g_autofree char *name = clean_name (code->name, _("Untitled code"));
      g_autofree char *scope = g_strdup_printf ("code:%" G_GINT64_FORMAT, parent_id);
      g_autofree char *unique = NULL;
      g_autofree char *description = code->description != NULL ? g_strdup (code->description) : NULL;
      sqlite3_stmt *stmt;
      gint64 id;

      if (strchr (name, '/') != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (name, "/", -1);
          g_autofree char *renamed = g_strjoinv ("∕", parts);

          /* Translators: "/" separates codes in a path, so a name holding
           * it is written with "∕" (division slash) */
          g_ptr_array_add (im->summary->changed,
                           g_strdup_printf (_("The code “%s” is now “%s” (“/” separates codes in Tessera)"),
                                            name, renamed));
          g_free (name);
          name = g_steal_pointer (&renamed);
        }
      unique = unique_name (im, scope, name, _("code"));
      if (description != NULL)
        g_strchomp (description);

      stmt = tsr_database_prepare (im->db, "INSERT INTO codes (uuid, parent_id, name, color, definition, position, created)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, code->guid);
      if (parent_id == 0)
        sqlite3_bind_null (stmt, 2);
      else
        sqlite3_bind_int64 (stmt, 2, parent_id);
      bind_text (stmt, 3, unique);
      bind_text (stmt, 4, code->color != NULL ? code->color : palette[im->n_colors++ % G_N_ELEMENTS (palette)]);
      bind_text (stmt, 5, description);
      sqlite3_bind_int (stmt, 6, i);
      sqlite3_bind_int64 (stmt, 7, im->now);
      if (!run (im, stmt, error))
        return FALSE;
      id = last_id (im);
      remember_id (im->codes, code->guid, id);
      im->summary->n_codes++;
      if (!write_codes (im, code->children, id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_documents (Import  *im,
                 GError **error)
{
  for (guint i = 0; i < im->texts->len; i++)
    {
      Text *text = im->texts->pdata[i];
      RefiSource *source = text->source;
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->text, -1);
      sqlite3_stmt *stmt;

      if (tsr_import_check_cancelled (im->cancellable, error))
        return FALSE;
      stmt = tsr_database_prepare (im->db, "INSERT INTO documents (uuid, name, source, content_hash, length, position, created)"
                                           " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, source->guid);
      bind_text (stmt, 2, text->name);
      bind_text (stmt, 3, text->origin);
      bind_text (stmt, 4, hash);
      sqlite3_bind_int64 (stmt, 5, g_utf8_strlen (text->text, -1));
      sqlite3_bind_int (stmt, 6, i);
      sqlite3_bind_int64 (stmt, 7, source->created != 0 ? source->created : im->now);
      if (!run (im, stmt, error))
        return FALSE;
      text->document_id = last_id (im);
      remember_id (im->documents, source->guid, text->document_id);
      im->summary->n_documents++;

      stmt = tsr_database_prepare (im->db, "INSERT INTO document_texts (document_id, text) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, text->document_id);
      sqlite3_bind_text (stmt, 2, text->text, -1, SQLITE_STATIC);
      if (!run (im, stmt, error))
        return FALSE;

      for (guint j = 0; j < text->placed->len; j++)
        {
          Placed *placed = &g_array_index (text->placed, Placed, j);
          RefiSelection *selection = placed->selection;

          for (guint k = 0; k < selection->codings->len; k++)
            {
              RefiCoding *coding = selection->codings->pdata[k];
              gint64 coder = coder_for (im, coding->user, selection->user, source->user, error);
              gint64 created = coding->created != 0 ? coding->created
                               : selection->created != 0 ? selection->created : im->now;
              gint64 id;

              if (coder == 0)
                return FALSE;
              /* substr () counts characters, the offsets' unit. */
              stmt = tsr_database_prepare (im->db,
                                           "INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                                           " SELECT ?1, ?2, ?3, ?4, ?5, ?6, substr (text, ?5 + 1, ?6 - ?5), ?7"
                                           " FROM document_texts WHERE document_id = ?2", error);
              if (stmt == NULL)
                return FALSE;
              bind_text (stmt, 1, coding->guid);
              sqlite3_bind_int64 (stmt, 2, text->document_id);
              sqlite3_bind_int64 (stmt, 3, lookup_id (im->codes, coding->code));
              sqlite3_bind_int64 (stmt, 4, coder);
              sqlite3_bind_int64 (stmt, 5, placed->start);
              sqlite3_bind_int64 (stmt, 6, placed->end);
              sqlite3_bind_int64 (stmt, 7, created);
              if (!run (im, stmt, error))
                return FALSE;
              id = last_id (im);
              remember_id (im->segment_of_coding, coding->guid, id);
              if (lookup_id (im->segments_of_selection, selection->guid) == 0)
                remember_id (im->segments_of_selection, selection->guid, id);
              text->report->n_segments++;
              im->summary->n_segments++;
            }
          if (selection->codings->len == 0)
            g_ptr_array_add (text->report->problems,
                             g_strdup_printf (_("Line %d: a selection without a code; left out (a passage in "
                                                "Tessera is coded)"), selection->line));
        }
    }
  return TRUE;
}

static gboolean
write_themes (Import  *im,
              GError **error)
{
  for (guint i = 0; i < im->project->sets->len; i++)
    {
      RefiSet *set = im->project->sets->pdata[i];
      g_autofree char *name = clean_name (set->name, _("Untitled theme"));
      g_autofree char *unique = unique_name (im, "theme", name, _("theme"));
      sqlite3_stmt *stmt;
      gint64 id;

      stmt = tsr_database_prepare (im->db, "INSERT INTO themes (uuid, name, definition, position, created)"
                                           " VALUES (?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, set->guid);
      bind_text (stmt, 2, unique);
      bind_text (stmt, 3, set->description);
      sqlite3_bind_int (stmt, 4, i);
      sqlite3_bind_int64 (stmt, 5, im->now);
      if (!run (im, stmt, error))
        return FALSE;
      id = last_id (im);
      remember_id (im->themes, set->guid, id);
      im->summary->n_themes++;

      for (guint j = 0; j < set->codes->len; j++)
        {
          stmt = tsr_database_prepare (im->db, "INSERT OR IGNORE INTO theme_codes (theme_id, code_id, position)"
                                               " VALUES (?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, lookup_id (im->codes, set->codes->pdata[j]));
          sqlite3_bind_int (stmt, 3, j);
          if (!run (im, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static TsrAttributeType
attribute_type (const char *type)
{
  if (g_strcmp0 (type, "Integer") == 0)
    return TSR_ATTRIBUTE_INTEGER;
  if (g_strcmp0 (type, "Float") == 0)
    return TSR_ATTRIBUTE_REAL;
  if (g_strcmp0 (type, "Boolean") == 0)
    return TSR_ATTRIBUTE_BOOLEAN;
  if (g_strcmp0 (type, "Date") == 0)
    return TSR_ATTRIBUTE_DATE;
  return TSR_ATTRIBUTE_TEXT;
}

/* The attribute a variable is on documents (@on_cases FALSE) or cases:
 * one variable used on both is two attributes. */
static gint64
attribute_for (Import      *im,
               const char  *variable_guid,
               gboolean     on_cases,
               GError     **error)
{
  g_autofree char *key = g_strconcat (on_cases ? "c:" : "d:", variable_guid, NULL);
  RefiVariable *variable = g_hash_table_lookup (im->variables, variable_guid);
  g_autofree char *name = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *uuid = NULL;
  TsrAttributeType type;
  sqlite3_stmt *stmt;
  gint64 id = lookup_id (im->attributes, key);

  if (id != 0)
    return id;
  name = clean_name (variable->name, _("Untitled attribute"));
  unique = unique_name (im, on_cases ? "attribute:case" : "attribute:document", name, _("attribute"));
  type = attribute_type (variable->type);
  if (g_strcmp0 (variable->type, "DateTime") == 0)
    g_ptr_array_add (im->summary->changed,
                     g_strdup_printf (_("The variable “%s” holds dates with times, which Tessera keeps as text"),
                                      unique));
  /* The variable's GUID goes to its first use; a second use on the
   * other kind of target gets one made from it. */
  {
    g_autofree char *other = g_strconcat (on_cases ? "d:" : "c:", variable_guid, NULL);

    uuid = g_hash_table_contains (im->attributes, other)
           ? _tsr_refi_guid_derive (variable_guid, on_cases ? "case" : "document")
           : g_strdup (variable_guid);
  }

  stmt = tsr_database_prepare (im->db, "INSERT INTO attributes (uuid, target, name, type, position)"
                                       " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM attributes))",
                               error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, uuid);
  bind_text (stmt, 2, on_cases ? "case" : "document");
  bind_text (stmt, 3, unique);
  bind_text (stmt, 4, tsr_attribute_type_to_string (type));
  if (!run (im, stmt, error))
    return 0;
  id = last_id (im);
  remember_id (im->attributes, key, id);
  im->summary->n_attributes++;
  return id;
}

static gboolean
write_values (Import      *im,
              GPtrArray   *values,
              gboolean     on_cases,
              gint64       target_id,
              const char  *target_name,
              GError     **error)
{
  for (guint i = 0; i < values->len; i++)
    {
      RefiValue *value = values->pdata[i];
      RefiVariable *variable = g_hash_table_lookup (im->variables, value->variable);
      g_autofree char *canonical = NULL;
      g_autoptr(GError) invalid = NULL;
      sqlite3_stmt *stmt;
      gint64 attribute;

      if (value->value == NULL || *value->value == '\0')
        continue;
      attribute = attribute_for (im, value->variable, on_cases, error);
      if (attribute == 0)
        return FALSE;
      canonical = tsr_attribute_type_check_value (attribute_type (variable->type), value->value,
                                                  variable->name ? variable->name : "", &invalid);
      if (canonical == NULL)
        {
          g_ptr_array_add (im->summary->skipped,
                           g_strdup_printf (_("The value of “%s” for “%s”: %s"), variable->name, target_name,
                                            invalid->message));
          continue;
        }
      stmt = tsr_database_prepare (im->db, on_cases
                                     ? "INSERT OR REPLACE INTO case_attribute_values (attribute_id, case_id, value) VALUES (?, ?, ?)"
                                     : "INSERT OR REPLACE INTO document_attribute_values (attribute_id, document_id, value) VALUES (?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, attribute);
      sqlite3_bind_int64 (stmt, 2, target_id);
      bind_text (stmt, 3, canonical);
      if (!run (im, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_cases_and_attributes (Import  *im,
                            GError **error)
{
  guint n_other_refs = 0;
  guint n_missing = 0;

  for (guint i = 0; i < im->texts->len; i++)
    {
      Text *text = im->texts->pdata[i];

      if (!write_values (im, text->source->values, FALSE, text->document_id, text->name, error))
        return FALSE;
    }

  for (guint i = 0; i < im->project->cases->len; i++)
    {
      RefiCase *c = im->project->cases->pdata[i];
      g_autofree char *fallback = g_strdup_printf (_("Case %u"), i + 1);
      g_autofree char *name = clean_name (c->name, fallback);
      g_autofree char *unique = unique_name (im, "case", name, _("case"));
      sqlite3_stmt *stmt;
      gint64 id;

      stmt = tsr_database_prepare (im->db, "INSERT INTO cases (uuid, name, description, created) VALUES (?, ?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, c->guid);
      bind_text (stmt, 2, unique);
      bind_text (stmt, 3, c->description);
      sqlite3_bind_int64 (stmt, 4, im->now);
      if (!run (im, stmt, error))
        return FALSE;
      id = last_id (im);
      remember_id (im->cases, c->guid, id);
      im->summary->n_cases++;
      n_other_refs += c->n_other_refs;

      for (guint j = 0; j < c->sources->len; j++)
        {
          gint64 document = lookup_id (im->documents, c->sources->pdata[j]);

          if (document == 0)
            {
              n_missing++;
              continue;
            }
          stmt = tsr_database_prepare (im->db, "INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)",
                                       error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          sqlite3_bind_int64 (stmt, 2, document);
          if (!run (im, stmt, error))
            return FALSE;
        }
      if (!write_values (im, c->values, TRUE, id, unique, error))
        return FALSE;
    }

  /* Variables no value uses are still the project's: on documents. */
  for (guint i = 0; i < im->project->variables->len; i++)
    {
      RefiVariable *variable = im->project->variables->pdata[i];
      g_autofree char *d = g_strconcat ("d:", variable->guid, NULL);
      g_autofree char *c = g_strconcat ("c:", variable->guid, NULL);

      if (!g_hash_table_contains (im->attributes, d) && !g_hash_table_contains (im->attributes, c) &&
          attribute_for (im, variable->guid, FALSE, error) == 0)
        return FALSE;
    }

  if (n_other_refs > 0)
    g_ptr_array_add (im->summary->skipped,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u code or selection in a case (Tessera’s cases hold documents)",
                                                   "%u codes or selections in cases (Tessera’s cases hold documents)",
                                                   n_other_refs), n_other_refs));
  if (n_missing > 0)
    g_ptr_array_add (im->summary->skipped,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u source of a case that did not come in",
                                                   "%u sources of cases that did not come in",
                                                   n_missing), n_missing));
  return TRUE;
}

/* Memos ------------------------------------------------------------------ */

typedef struct
{
  const char *kind;       /* the memos table's kind */
  gint64      target;     /* 0 for the journal */
  char       *uuid;
  GString    *text;
  gint64      coder;
  gint64      created;
  char       *date;
} Memo;

static void
memo_free (gpointer data)
{
  Memo *memo = data;

  g_free (memo->uuid);
  g_string_free (memo->text, TRUE);
  g_free (memo->date);
  g_free (memo);
}

typedef struct
{
  GPtrArray  *memos;      /* Memo, in order */
  GHashTable *by_target;  /* "kind:id" → Memo */
  GHashTable *uses;       /* note GUID → times used */
} Memos;

/* A note's text as a memo: its name first, unless the text begins with
 * it, then its description and text. */
static char *
note_text (Import   *im,
           RefiNote *note)
{
  const char *body = g_hash_table_lookup (im->note_texts, note->guid);
  g_autofree char *name = note->name != NULL ? g_strstrip (g_strdup (note->name)) : g_strdup ("");
  GString *out = g_string_new (NULL);
  gsize name_len = strlen (name);

  if (g_str_has_suffix (name, "…"))
    name_len -= strlen ("…");
  if (name_len > 0 && (body == NULL || strncmp (body, name, name_len) != 0))
    g_string_append (out, name);
  if (note->description != NULL && *g_strstrip (note->description) != '\0')
    {
      if (out->len > 0)
        g_string_append (out, "\n\n");
      g_string_append (out, note->description);
    }
  if (body != NULL && *body != '\0')
    {
      if (out->len > 0)
        g_string_append (out, "\n\n");
      g_string_append (out, body);
    }
  return g_string_free (out, FALSE);
}

static RefiNote *
find_note (Import     *im,
           const char *guid)
{
  for (guint i = 0; i < im->project->notes->len; i++)
    {
      RefiNote *note = im->project->notes->pdata[i];

      if (g_str_equal (note->guid, guid))
        return note;
    }
  return NULL;
}

/* Adds @text to the memo on @kind:@target, the first text making it;
 * @uuid_seed is the GUID the memo takes when it is the first use. */
static Memo *
add_to_memo (Import      *im,
             Memos       *memos,
             const char  *kind,
             gint64       target,
             const char  *text,
             const char  *uuid_seed,
             gint64       coder,
             gint64       created)
{
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, kind, target);
  Memo *memo = target != 0 ? g_hash_table_lookup (memos->by_target, key) : NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  if (memo != NULL)
    {
      g_string_append (memo->text, "\n\n");
      g_string_append (memo->text, text);
      return memo;
    }
  memo = g_new0 (Memo, 1);
  memo->kind = kind;
  memo->target = target;
  memo->text = g_string_new (text);
  memo->coder = coder;
  memo->created = created != 0 ? created : im->now;
  {
    guint uses = GPOINTER_TO_UINT (g_hash_table_lookup (memos->uses, uuid_seed));

    memo->uuid = uses == 0 ? g_strdup (uuid_seed) : _tsr_refi_guid_derive (uuid_seed, key);
    g_hash_table_insert (memos->uses, g_strdup (uuid_seed), GUINT_TO_POINTER (uses + 1));
  }
  g_ptr_array_add (memos->memos, memo);
  if (target != 0)
    g_hash_table_insert (memos->by_target, g_steal_pointer (&key), memo);
  return memo;
}

static gboolean
add_note_refs (Import      *im,
               Memos       *memos,
               GPtrArray   *refs,
               const char  *kind,
               gint64       target,
               GError     **error)
{
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      RefiNote *note = find_note (im, refs->pdata[i]);
      g_autofree char *text = NULL;
      gint64 coder;

      /* A note on what did not come in goes to the journal instead. */
      if (note == NULL || target == 0)
        continue;
      text = note_text (im, note);
      coder = coder_for (im, note->user, NULL, NULL, error);
      if (coder == 0)
        return FALSE;
      add_to_memo (im, memos, kind, target, text, note->guid, coder, note->created);
    }
  return TRUE;
}

static void
collect_code_notes (Import     *im,
                    Memos      *memos,
                    GPtrArray  *codes,
                    GError    **error,
                    gboolean   *ok)
{
  for (guint i = 0; *ok && i < codes->len; i++)
    {
      RefiCode *code = codes->pdata[i];

      *ok = add_note_refs (im, memos, code->note_refs, "code", lookup_id (im->codes, code->guid), error);
      if (*ok)
        collect_code_notes (im, memos, code->children, error, ok);
    }
}

static gboolean
write_memos (Import  *im,
             GError **error)
{
  Memos memos;
  gboolean ok = TRUE;
  g_autoptr(GPtrArray) memo_list = g_ptr_array_new_with_free_func (memo_free);
  g_autoptr(GHashTable) by_target = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) uses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  memos.memos = memo_list;
  memos.by_target = by_target;
  memos.uses = uses;

  /* Notes on documents, passages and codings, with the selections' own
   * descriptions (ATLAS.ti's quotation comments). */
  for (guint i = 0; ok && i < im->texts->len; i++)
    {
      Text *text = im->texts->pdata[i];
      RefiSource *source = text->source;

      if (source->description != NULL && *g_strstrip (source->description) != '\0')
        {
          g_autofree char *seed = _tsr_refi_guid_derive (source->guid, "description");
          gint64 coder = coder_for (im, source->user, NULL, NULL, error);

          if (coder == 0)
            return FALSE;
          add_to_memo (im, &memos, "document", text->document_id, source->description, seed, coder, source->created);
        }
      ok = add_note_refs (im, &memos, source->note_refs, "document", text->document_id, error);
      for (guint j = 0; ok && j < text->placed->len; j++)
        {
          RefiSelection *selection = g_array_index (text->placed, Placed, j).selection;
          gint64 segment = lookup_id (im->segments_of_selection, selection->guid);

          if (segment == 0)
            continue;
          if (selection->description != NULL && *g_strstrip (selection->description) != '\0')
            {
              g_autofree char *seed = _tsr_refi_guid_derive (selection->guid, "description");
              gint64 coder = coder_for (im, selection->user, source->user, NULL, error);

              if (coder == 0)
                return FALSE;
              add_to_memo (im, &memos, "segment", segment, selection->description, seed, coder,
                           selection->created);
            }
          ok = add_note_refs (im, &memos, selection->note_refs, "segment", segment, error);
          for (guint k = 0; ok && k < selection->codings->len; k++)
            {
              RefiCoding *coding = selection->codings->pdata[k];

              ok = add_note_refs (im, &memos, coding->note_refs, "segment",
                                  lookup_id (im->segment_of_coding, coding->guid), error);
            }
        }
    }
  if (ok)
    collect_code_notes (im, &memos, im->project->codes, error, &ok);
  for (guint i = 0; ok && i < im->project->sets->len; i++)
    {
      RefiSet *set = im->project->sets->pdata[i];

      ok = add_note_refs (im, &memos, set->notes, "theme", lookup_id (im->themes, set->guid), error);
    }
  if (!ok)
    return FALSE;

  /* Every note no memo took — the project's own, those on what Tessera
   * keeps, those on nothing — is a journal entry, under its own GUID so
   * what is kept still finds it. */
  for (guint i = 0; i < im->project->notes->len; i++)
    {
      RefiNote *note = im->project->notes->pdata[i];
      g_autofree char *text = NULL;
      gint64 coder;
      Memo *memo;

      if (g_hash_table_contains (uses, note->guid))
        continue;
      text = note_text (im, note);
      if (*text == '\0')
        {
          g_free (text);
          text = g_strdup (note->name != NULL && *note->name != '\0' ? note->name : _("(an empty note)"));
        }
      coder = coder_for (im, note->user, NULL, NULL, error);
      if (coder == 0)
        return FALSE;
      memo = add_to_memo (im, &memos, "journal", 0, text, note->guid, coder, note->created);
      if (memo != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (memo->created / G_USEC_PER_SEC);

          memo->date = when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("1970-01-01");
        }
    }

  for (guint i = 0; i < memo_list->len; i++)
    {
      Memo *memo = memo_list->pdata[i];
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (memo->target == 0 && !g_str_equal (memo->kind, "journal"))
        continue;
      sql = g_str_equal (memo->kind, "journal")
            ? g_strdup ("INSERT INTO memos (uuid, kind, coder_id, date, text, created, modified)"
                        " VALUES (?1, 'journal', ?3, ?4, ?5, ?6, ?6)")
            : g_strdup_printf ("INSERT INTO memos (uuid, kind, %s_id, coder_id, text, created, modified)"
                               " VALUES (?1, ?7, ?2, ?3, ?5, ?6, ?6)", memo->kind);
      stmt = tsr_database_prepare (im->db, sql, error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, memo->uuid);
      if (memo->target != 0)
        sqlite3_bind_int64 (stmt, 2, memo->target);
      sqlite3_bind_int64 (stmt, 3, memo->coder);
      if (memo->date != NULL)
        bind_text (stmt, 4, memo->date);
      bind_text (stmt, 5, memo->text->str);
      sqlite3_bind_int64 (stmt, 6, memo->created);
      if (memo->target != 0)
        bind_text (stmt, 7, memo->kind);
      if (!run (im, stmt, error))
        return FALSE;
      im->summary->n_memos++;
    }
  return TRUE;
}

static gboolean
write_map (Import  *im,
           GError **error)
{
  for (guint i = 0; i < im->project->vertices->len; i++)
    {
      RefiVertex *vertex = im->project->vertices->pdata[i];
      gint64 code = lookup_id (im->codes, vertex->represented);
      gint64 theme = lookup_id (im->themes, vertex->represented);
      sqlite3_stmt *stmt;

      if (code == 0 && theme == 0)
        continue;
      stmt = tsr_database_prepare (im->db, code != 0
                                     ? "INSERT OR REPLACE INTO map_code_positions (code_id, x, y) VALUES (?, ?, ?)"
                                     : "INSERT OR REPLACE INTO map_theme_positions (theme_id, x, y) VALUES (?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, code != 0 ? code : theme);
      sqlite3_bind_double (stmt, 2, vertex->x);
      sqlite3_bind_double (stmt, 3, vertex->y);
      if (!run (im, stmt, error))
        return FALSE;
      im->summary->n_map_items++;
    }
  for (guint i = 0; i < im->project->edges->len; i++)
    {
      RefiEdge *edge = im->project->edges->pdata[i];
      gint64 from = lookup_id (im->themes, edge->from);
      gint64 to = lookup_id (im->themes, edge->to);
      g_autofree char *uuid = NULL;
      sqlite3_stmt *stmt;

      if (from == 0 || to == 0 || from == to)
        continue;
      uuid = g_strdup (edge->guid);
      stmt = tsr_database_prepare (im->db, "INSERT OR IGNORE INTO map_links (uuid, from_theme_id, to_theme_id, label)"
                                           " VALUES (?, ?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, uuid);
      sqlite3_bind_int64 (stmt, 2, from);
      sqlite3_bind_int64 (stmt, 3, to);
      bind_text (stmt, 4, edge->name);
      if (!run (im, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_meta (Import      *im,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = tsr_database_prepare (im->db, "INSERT OR REPLACE INTO project (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return run (im, stmt, error);
}

static gboolean
write_project (Import  *im,
               GError **error)
{
  RefiProject *project = im->project;
  g_autofree char *title = clean_name (project->name, "");
  g_autofree char *kept_xml = _tsr_refi_project_dump_kept (project);

  /* NVivo calls a project it was not told the name of "Untitled": the
   * file's name, which the new project has, says more. */
  if (g_ascii_strcasecmp (title, "Untitled") == 0)
    title[0] = '\0';

  if (!write_coders (im, error) ||
      !write_codes (im, project->codes, 0, error) ||
      !write_documents (im, error) ||
      !write_themes (im, error) ||
      !write_cases_and_attributes (im, error) ||
      !write_memos (im, error) ||
      !write_map (im, error))
    return FALSE;
  if (*title != '\0' && !set_meta (im, "title", title, error))
    return FALSE;
  if (project->description != NULL && *g_strstrip (project->description) != '\0' &&
      !set_meta (im, "description", project->description, error))
    return FALSE;
  if (kept_xml != NULL && !set_meta (im, REFI_KEPT_KEY, kept_xml, error))
    return FALSE;
  return TRUE;
}

static void
describe_kept (Import *im)
{
  RefiProject *p = im->project;
  const struct { guint n; const char *one; const char *many; } kinds[] = {
    { p->n_kept_texts, N_("%u text source without its text"), N_("%u text sources without their text") },
    { p->n_kept_pictures, N_("%u picture source"), N_("%u picture sources") },
    { p->n_kept_audio, N_("%u audio source"), N_("%u audio sources") },
    { p->n_kept_video, N_("%u video source"), N_("%u video sources") },
    { p->n_kept_pdfs, N_("%u PDF source (its pages and regions)"), N_("%u PDF sources (their pages and regions)") },
    { p->n_kept_selections, N_("%u region or time span coded in them"), N_("%u regions and time spans coded in them") },
    { p->n_kept_links, N_("%u link"), N_("%u links") },
    { p->n_kept_sets, N_("%u set of sources"), N_("%u sets of sources") },
    { p->n_kept_graphs, N_("%u graph"), N_("%u graphs") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].n > 0)
      g_ptr_array_add (im->summary->kept,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, kinds[i].one, kinds[i].many, kinds[i].n),
                                        kinds[i].n));
}

static void
delete_project_file (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/**
 * tsr_project_import_qdpx:
 * @project_path: where to create the project; the file must not exist
 * @file: a REFI-QDA project (.qdpx)
 * @summary: (out) (optional) (transfer full): what came in, what was
 *   kept, skipped and changed, and how each source's positions were read
 * @cancellable: (nullable): a #GCancellable
 * @progress: (scope call) (nullable): called before each source is read
 * @error: return location for a #GError
 *
 * Creates a new project at @project_path from a REFI-QDA project: users
 * as coders, the codebook as codes, text sources (and PDF sources' text)
 * as documents, their codings as segments, notes as memos, cases and
 * variables as cases and attributes, sets of codes as themes, and the
 * first graph of codes and themes as the theme map.  What Tessera cannot
 * show is kept and written back on export.
 *
 * The whole file is checked before the project is created, and the
 * project is written in one transaction: on any failure (a damaged or
 * hostile file, a reference to nothing, a repeated GUID, cancellation)
 * no file is left at @project_path.
 *
 * Returns: (transfer full): the open project, or %NULL with @error set
 */
TsrProject *
tsr_project_import_qdpx (const char             *project_path,
                         GFile                  *file,
                         TsrRefiSummary        **summary,
                         GCancellable           *cancellable,
                         TsrImportProgressFunc   progress,
                         gpointer                progress_data,
                         GError                **error)
{
  g_autoptr(TsrRefiSummary) result = tsr_refi_summary_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) qde = NULL;
  g_autoptr(TsrZip) zip = NULL;
  g_autoptr(RefiProject) project = NULL;
  g_autoptr(TsrProject) tessera = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (text_free);
  g_autoptr(GHashTable) note_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) coders = id_map_new ();
  g_autoptr(GHashTable) codes = id_map_new ();
  g_autoptr(GHashTable) documents = id_map_new ();
  g_autoptr(GHashTable) segments_of_selection = id_map_new ();
  g_autoptr(GHashTable) segment_of_coding = id_map_new ();
  g_autoptr(GHashTable) themes = id_map_new ();
  g_autoptr(GHashTable) cases = id_map_new ();
  g_autoptr(GHashTable) variables = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) attributes = id_map_new ();
  g_autoptr(GHashTable) used_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *display_name = NULL;
  Import im = { 0, };
  gboolean ok;

  g_return_val_if_fail (project_path != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display_name = g_file_get_basename (file);
  im.display_name = display_name;
  im.summary = result;
  im.cancellable = cancellable;
  im.texts = texts;
  im.note_texts = note_texts;
  im.coders = coders;
  im.codes = codes;
  im.documents = documents;
  im.segments_of_selection = segments_of_selection;
  im.segment_of_coding = segment_of_coding;
  im.themes = themes;
  im.cases = cases;
  im.variables = variables;
  im.attributes = attributes;
  im.used_names = used_names;
  im.now = g_get_real_time ();


  /* Everything is read and checked before the project file exists. */
  if (!(bytes = _tsr_import_load_file (file, display_name, cancellable, error)) ||
      !(zip = tsr_zip_open (bytes, display_name, error)))
    return NULL;
  im.zip = zip;
  if (!check_member_names (&im, error) ||
      !(qde = read_qde (&im, error)) ||
      !(project = _tsr_refi_project_read (qde, display_name, cancellable, error)))
    return NULL;
  im.project = project;
  result->origin = g_strdup (project->origin);
  for (guint i = 0; i < project->variables->len; i++)
    {
      RefiVariable *variable = project->variables->pdata[i];

      g_hash_table_insert (variables, variable->guid, variable);
    }
  if (!read_texts (&im, progress, progress_data, error))
    {
      g_clear_pointer (&im.members, g_hash_table_unref);
      return NULL;
    }
  g_clear_pointer (&im.members, g_hash_table_unref);

  /* tsr_project_create () refuses an existing file, so the clean-up
   * below only ever deletes a file this call made. */
  if (!(tessera = tsr_project_create (project_path, error)))
    return NULL;
  im.db = _tsr_project_get_database (tessera);
  ok = tsr_database_begin (im.db, error);
  if (ok)
    {
      tsr_database_push_cancellable (im.db, cancellable);
      ok = write_project (&im, error);
      tsr_database_pop_cancellable (im.db);
      if (ok)
        ok = tsr_database_commit (im.db, error);
      else
        tsr_database_rollback (im.db);
    }
  if (!ok)
    {
      tsr_project_close (tessera, NULL);
      g_clear_object (&tessera);
      delete_project_file (project_path);
      return NULL;
    }
  _tsr_project_reload (tessera);

  describe_kept (&im);
  if (summary != NULL)
    *summary = g_steal_pointer (&result);
  return g_steal_pointer (&tessera);
}

/* In a worker ------------------------------------------------------------- */

typedef struct
{
  char           *project_path;
  GFile          *file;
  TsrRefiSummary *summary;
  /* Progress, delivered in the caller's main context */
  GMainContext          *context;
  TsrImportProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  gint                   ref_count;
} ImportTask;

static ImportTask *
import_task_ref (ImportTask *task)
{
  g_atomic_int_inc (&task->ref_count);
  return task;
}

static void
import_task_unref (gpointer data)
{
  ImportTask *task = data;

  if (!g_atomic_int_dec_and_test (&task->ref_count))
    return;
  g_free (task->project_path);
  g_clear_object (&task->file);
  tsr_refi_summary_free (task->summary);
  if (task->progress_destroy != NULL)
    task->progress_destroy (task->progress_data);
  g_main_context_unref (task->context);
  g_free (task);
}

typedef struct
{
  ImportTask *task;
  guint       done;
  guint       total;
  char       *current;
} ProgressReport;

static gboolean
deliver_progress (gpointer data)
{
  ProgressReport *report = data;

  report->task->progress (report->done, report->total, report->current, report->task->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  import_task_unref (report->task);
  g_free (report->current);
  g_free (report);
}

static void
report_progress (guint       done,
                 guint       total,
                 const char *current,
                 gpointer    user_data)
{
  ImportTask *task = user_data;
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->task = import_task_ref (task);
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (task->context, G_PRIORITY_DEFAULT, deliver_progress, report, progress_report_free);
}

static void
import_thread (GTask        *gtask,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportTask *task = task_data;
  g_autoptr(TsrProject) project = NULL;
  GError *error = NULL;

  project = tsr_project_import_qdpx (task->project_path, task->file, &task->summary, cancellable,
                                     task->progress != NULL ? report_progress : NULL, task, &error);
  /* The project's connection stays on this thread: the caller opens the
   * file anew. */
  if (project != NULL && !tsr_project_close (project, &error))
    {
      g_clear_object (&project);
      delete_project_file (task->project_path);
      g_task_return_error (gtask, error);
      return;
    }
  if (project == NULL)
    g_task_return_error (gtask, error);
  else
    g_task_return_boolean (gtask, TRUE);
}

/**
 * tsr_project_import_qdpx_async:
 * @progress: (nullable): called in the caller's main context before each
 *   source is read
 *
 * Runs tsr_project_import_qdpx () in a worker thread.  The project it
 * makes is closed when it is done: open @project_path to show it.
 */
void
tsr_project_import_qdpx_async (const char             *project_path,
                               GFile                  *file,
                               GCancellable           *cancellable,
                               TsrImportProgressFunc   progress,
                               gpointer                progress_data,
                               GDestroyNotify          progress_destroy,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) gtask = NULL;
  ImportTask *task;

  g_return_if_fail (project_path != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_new0 (ImportTask, 1);
  task->ref_count = 1;
  task->project_path = g_strdup (project_path);
  task->file = g_object_ref (file);
  task->context = g_main_context_ref_thread_default ();
  task->progress = progress;
  task->progress_data = progress_data;
  task->progress_destroy = progress_destroy;

  gtask = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (gtask, tsr_project_import_qdpx_async);
  g_task_set_task_data (gtask, task, import_task_unref);
  g_task_run_in_thread (gtask, import_thread);
}

/**
 * tsr_project_import_qdpx_finish:
 * @summary: (out) (optional) (transfer full): what came in
 *
 * Returns: %TRUE when the project was made, else %FALSE with @error set
 */
gboolean
tsr_project_import_qdpx_finish (GAsyncResult     *result,
                                TsrRefiSummary  **summary,
                                GError          **error)
{
  ImportTask *task;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  task = g_task_get_task_data (G_TASK (result));
  if (summary != NULL)
    *summary = g_steal_pointer (&task->summary);
  return TRUE;
}
