/* tsr-refi-private.h — what the REFI-QDA files share
 *
 * A .qdpx project is read in three steps, each its own unit so each can
 * be tested (and the first fuzzed) alone:
 *
 *   tsr-refi-qde.c      project.qde's bytes → a RefiProject: every
 *                       element Tessera uses, checked (GUIDs well formed
 *                       and unique, every reference resolved) before
 *                       anything is written; what Tessera cannot show is
 *                       kept as XML to be written back on export
 *   tsr-refi-offsets.c  a source's positions → Tessera's character
 *                       offsets, under each reading exporters use
 *   tsr-refi-import.c   the archive, the sources' texts, and the new
 *                       project written in one transaction
 *
 * and written by tsr-refi-export.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-refi.h"

G_BEGIN_DECLS

#define REFI_PROJECT_NS  "urn:QDA-XML:project:1.0"

/* The project-table key under which the XML of what Tessera keeps but
 * does not show is stored (a <Kept> element in the project namespace
 * holding Sources, Links, Sets and Graphs elements as they came). */
#define REFI_KEPT_KEY    "refi-qda:kept"

/* Nesting deeper than this (codes in codes) is refused as hostile. */
#define REFI_MAX_DEPTH   128

/* GUIDs ------------------------------------------------------------------ */

gboolean  _tsr_refi_guid_is_valid  (const char *guid);
/* Lower case, without braces: the form Tessera stores UUIDs in. */
char     *_tsr_refi_guid_normalize (const char *guid);
/* A GUID made from @seed and @salt, the same every time (a name-based
 * UUID, version 5 shaped): GUIDs for what Tessera has no UUID of. */
char     *_tsr_refi_guid_derive    (const char *seed,
                                    const char *salt);
/* "#abc" or "#aabbcc" as "#aabbcc", or NULL */
char     *_tsr_refi_color_normalize (const char *color);
/* An xsd:dateTime as microseconds since 1970, or @fallback */
gint64    _tsr_refi_parse_time     (const char *text,
                                    gint64      fallback);

/* The project, as read -------------------------------------------------- */

typedef enum
{
  REFI_SOURCE_TEXT,
  REFI_SOURCE_PDF,
  REFI_SOURCE_PICTURE,
  REFI_SOURCE_AUDIO,
  REFI_SOURCE_VIDEO,
} RefiSourceKind;

typedef struct
{
  char  *guid;
  char  *name;
  char  *id;
} RefiUser;

typedef struct _RefiCode RefiCode;
struct _RefiCode
{
  char      *guid;
  char      *name;
  char      *color;        /* "#rrggbb" or NULL */
  char      *description;
  GPtrArray *note_refs;    /* char * GUIDs */
  GPtrArray *children;     /* RefiCode */
  int        line;
};

typedef struct
{
  char  *guid;
  char  *name;
  char  *type;             /* typeOfVariable */
  char  *description;
} RefiVariable;

typedef struct
{
  char  *variable;         /* GUID */
  char  *value;            /* as written */
} RefiValue;

typedef struct
{
  char      *guid;
  char      *name;
  char      *description;
  GPtrArray *sources;      /* char * GUIDs */
  GPtrArray *values;       /* RefiValue */
  guint      n_other_refs; /* CodeRef, SelectionRef: not carried */
  int        line;
} RefiCase;

typedef struct
{
  char      *guid;
  char      *code;         /* GUID */
  char      *user;         /* GUID or NULL */
  gint64     created;      /* µs, 0 if not given */
  GPtrArray *note_refs;
} RefiCoding;

typedef struct
{
  char      *guid;
  char      *name;
  gint64     start;
  gint64     end;
  char      *user;
  gint64     created;
  char      *description;
  GPtrArray *codings;      /* RefiCoding */
  GPtrArray *note_refs;
  int        line;
} RefiSelection;

typedef struct
{
  RefiSourceKind kind;
  char      *guid;         /* the source's (for a PDF, the PDFSource's) */
  char      *name;
  char      *path;         /* plainTextPath (a PDF's representation's) */
  char      *content;      /* PlainTextContent, or NULL */
  char      *description;
  char      *user;
  gint64     created;
  GPtrArray *selections;   /* RefiSelection */
  GPtrArray *note_refs;
  GPtrArray *values;       /* RefiValue */
  guint      n_source_codings; /* codings of the whole source */
  gboolean   has_rich_text;    /* a richTextPath, which Tessera does not read */
  struct _xmlNode *node;       /* the element, in RefiProject's document */
  struct _xmlNode *kept;       /* a PDF source's kept copy */
  int        line;
} RefiSource;

typedef struct
{
  char      *guid;
  char      *name;
  char      *description;
  char      *path;
  char      *content;
  char      *user;
  gint64     created;
  int        line;
} RefiNote;

typedef struct
{
  char      *guid;
  char      *name;
  char      *description;
  GPtrArray *codes;        /* char * */
  GPtrArray *notes;        /* char * */
} RefiSet;

typedef struct
{
  char      *represented;  /* GUID of a code or a theme (set) */
  double     x;
  double     y;
} RefiVertex;

typedef struct
{
  char      *guid;
  char      *from;         /* GUIDs of the represented sets */
  char      *to;
  char      *name;
} RefiEdge;

typedef struct
{
  char       *name;
  char       *origin;
  char       *description;
  char       *creating_user;
  GPtrArray  *note_refs;    /* the project's own notes */
  GPtrArray  *users;        /* RefiUser */
  GPtrArray  *codes;        /* RefiCode, the top level */
  GPtrArray  *variables;    /* RefiVariable */
  GPtrArray  *cases;        /* RefiCase */
  GPtrArray  *sources;      /* RefiSource: text, and PDF with a text */
  GPtrArray  *notes;        /* RefiNote */
  GPtrArray  *sets;         /* RefiSet: sets of codes, Tessera's themes */
  GPtrArray  *vertices;     /* RefiVertex of the graph that is the map */
  GPtrArray  *edges;        /* RefiEdge */
  /* The file as parsed, and what Tessera keeps without showing as a
   * <Kept> document (NULL when nothing is), with what it holds counted
   * by kind for the summary. */
  struct _xmlDoc  *doc;
  struct _xmlDoc  *kept_doc;
  struct _xmlNode *kept_sections[4];
  guint       n_kept_texts;
  guint       n_kept_pictures;
  guint       n_kept_audio;
  guint       n_kept_video;
  guint       n_kept_pdfs;
  guint       n_kept_links;
  guint       n_kept_sets;
  guint       n_kept_graphs;
  guint       n_kept_selections;  /* PDF regions, picture regions, time spans */
  /* Counted as read, for the summary and the tests */
  guint       n_text_sources;
  guint       n_text_selections;
  guint       n_codings;
  guint       n_all_codes;
} RefiProject;

void          _tsr_refi_project_free (RefiProject *project);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RefiProject, _tsr_refi_project_free)

/* Parses and checks a project.qde.  @display_name names the .qdpx in
 * messages.  Fails (TSR_ERROR_CORRUPT or _UNSUPPORTED) on XML that is not
 * well formed or declares a document type, a root that is not a REFI-QDA
 * Project, a missing, malformed or repeated GUID, a reference to a GUID
 * the file does not hold, or nesting past REFI_MAX_DEPTH. */
RefiProject  *_tsr_refi_project_read (GBytes        *qde,
                                      const char    *display_name,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* The source's text did not come in: its element is kept as it came (a
 * PDF's kept copy keeps its text representation).  Else, for a PDF, the
 * representation is dropped from the kept copy: it is a document now. */
void          _tsr_refi_project_keep_source (RefiProject *project,
                                             RefiSource  *source,
                                             gboolean     text_came_in);
/* The <Kept> document as text, or NULL when nothing is kept */
char         *_tsr_refi_project_dump_kept   (RefiProject *project);

/* Offsets --------------------------------------------------------------- */

/* Resolves @n positions of a source whose text, as stored, is @stored
 * (UTF-8 without its byte order mark, line ends as written) under
 * @reading into offsets in Tessera's text (line ends as "\n"):
 * @offsets[i] is -1 where the position lies past the end or inside a
 * character (between the halves of a UTF-16 surrogate pair). */
void          _tsr_refi_resolve_offsets (const char      *stored,
                                         TsrRefiReading   reading,
                                         const gint64    *positions,
                                         guint            n,
                                         gint64          *offsets);

/* Tessera's text of a source stored as @stored: CRLF and lone CR as LF. */
char         *_tsr_refi_normalize_text  (const char *stored);

/* Whether [start, end) of @text (as UCS-4, @length characters) begins
 * and ends on a word boundary. */
gboolean      _tsr_refi_on_boundaries   (const gunichar *text,
                                         glong           length,
                                         gint64          start,
                                         gint64          end);

G_END_DECLS
