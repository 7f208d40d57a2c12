/* tsr-refi.h — exchange with other QDA tools through REFI-QDA
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-import.h"
#include "tsr-project.h"

G_BEGIN_DECLS

gboolean tsr_project_write_codebook  (TsrProject    *self,
                                      GOutputStream *stream,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean tsr_project_export_codebook (TsrProject    *self,
                                      GFile         *file,
                                      GCancellable  *cancellable,
                                      GError       **error);

/**
 * TsrCodebookImport:
 * @n_added: codes created
 * @n_kept: codes the project had already (same name under the same
 *   parent): left as they were
 * @n_renamed: codes whose name held "/", Tessera's path separator,
 *   written as "∕" (division slash)
 * @n_sets: code sets in the file, which Tessera has no place for
 *
 * What importing a codebook did.
 */
typedef struct
{
  guint n_added;
  guint n_kept;
  guint n_renamed;
  guint n_sets;
} TsrCodebookImport;

gboolean tsr_project_import_codebook (TsrProject        *self,
                                      GFile             *file,
                                      TsrCodebookImport *result,
                                      GCancellable      *cancellable,
                                      GError           **error);

/* Projects (.qdpx) ------------------------------------------------------ */

/**
 * TsrRefiReading:
 * @TSR_REFI_READING_NONE: the source has no selections to read
 * @TSR_REFI_READING_CODE_POINTS: Unicode code points into the text as
 *   stored, a line end of two characters counting two: the
 *   specification's reading
 * @TSR_REFI_READING_UTF16: UTF-16 code units into the text as stored
 *   (an emoji counts two, CRLF two): what NVivo writes
 * @TSR_REFI_READING_CODE_POINTS_LF: code points into the text with
 *   every line end counted as one character
 * @TSR_REFI_READING_UTF16_LF: UTF-16 code units, every line end one
 *
 * How a source's startPosition and endPosition were read.
 */
typedef enum
{
  TSR_REFI_READING_NONE,            /*< nick=none >*/
  TSR_REFI_READING_CODE_POINTS,     /*< nick=code-points >*/
  TSR_REFI_READING_UTF16,           /*< nick=utf16 >*/
  TSR_REFI_READING_CODE_POINTS_LF,  /*< nick=code-points-lf >*/
  TSR_REFI_READING_UTF16_LF,        /*< nick=utf16-lf >*/
} TsrRefiReading;

const char *tsr_refi_reading_describe (TsrRefiReading reading);

/**
 * TsrRefiSource:
 * @name: the source's name, as its document is named
 * @guid: its GUID
 * @reading: how its positions were read
 * @n_selections: its text selections in the file
 * @n_fitting: those that begin and end on word boundaries under @reading
 * @n_segments: the passages made from them (one per coding)
 * @problems: (element-type utf8): one line for each selection that fits
 *   no reading (imported where @reading puts it, not moved) or could not
 *   be placed at all (left out)
 *
 * How one source's coding came in.
 */
typedef struct
{
  char           *name;
  char           *guid;
  TsrRefiReading  reading;
  guint           n_selections;
  guint           n_fitting;
  guint           n_segments;
  GPtrArray      *problems;
} TsrRefiSource;

/**
 * TsrRefiSummary:
 * @origin: the program that wrote the file (its origin attribute)
 * @n_coders: coders (REFI users)
 * @n_codes: codes
 * @n_documents: documents (text sources)
 * @n_segments: coded passages (codings)
 * @n_memos: memos and journal entries (notes)
 * @n_cases: cases
 * @n_attributes: attributes (variables)
 * @n_themes: themes (sets of codes)
 * @n_map_items: codes and themes placed on the theme map (graph vertices)
 * @sources: (element-type TsrRefiSource): per text source, how its
 *   positions were read
 * @kept: (element-type utf8): what Tessera keeps without showing and
 *   writes back on export ("1 picture source")
 * @skipped: (element-type utf8): what was left out, and why
 * @changed: (element-type utf8): what was changed to fit Tessera (a
 *   name made unique, a "/" in a code's name)
 *
 * What importing or exporting a REFI-QDA project did.  For an export the
 * counts are what was written, @kept what was written back, and @skipped
 * what REFI-QDA has no place for.
 */
typedef struct
{
  char      *origin;
  guint      n_coders;
  guint      n_codes;
  guint      n_documents;
  guint      n_segments;
  guint      n_memos;
  guint      n_cases;
  guint      n_attributes;
  guint      n_themes;
  guint      n_map_items;
  GPtrArray *sources;
  GPtrArray *kept;
  GPtrArray *skipped;
  GPtrArray *changed;
} TsrRefiSummary;

TsrRefiSummary *tsr_refi_summary_new     (void);
void            tsr_refi_summary_free    (TsrRefiSummary       *summary);
char           *tsr_refi_summary_to_text (const TsrRefiSummary *summary,
                                          gboolean              export);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsrRefiSummary, tsr_refi_summary_free)

/* The largest .qdpx Tessera reads (media included). */
#define TSR_REFI_MAX_FILE_BYTES TSR_IMPORT_MAX_FILE_BYTES

TsrProject *tsr_project_import_qdpx        (const char             *project_path,
                                            GFile                  *file,
                                            TsrRefiSummary        **summary,
                                            GCancellable           *cancellable,
                                            TsrImportProgressFunc   progress,
                                            gpointer                progress_data,
                                            GError                **error);
void        tsr_project_import_qdpx_async  (const char             *project_path,
                                            GFile                  *file,
                                            GCancellable           *cancellable,
                                            TsrImportProgressFunc   progress,
                                            gpointer                progress_data,
                                            GDestroyNotify          progress_destroy,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
gboolean    tsr_project_import_qdpx_finish (GAsyncResult           *result,
                                            TsrRefiSummary        **summary,
                                            GError                **error);

gboolean    tsr_project_write_qdpx         (TsrProject             *self,
                                            GOutputStream          *stream,
                                            TsrRefiSummary        **summary,
                                            GCancellable           *cancellable,
                                            GError                **error);
gboolean    tsr_project_export_qdpx        (TsrProject             *self,
                                            GFile                  *file,
                                            TsrRefiSummary        **summary,
                                            GCancellable           *cancellable,
                                            GError                **error);
void        tsr_project_export_qdpx_async  (TsrProject             *self,
                                            GFile                  *file,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
gboolean    tsr_project_export_qdpx_finish (TsrProject             *self,
                                            GAsyncResult           *result,
                                            TsrRefiSummary        **summary,
                                            GError                **error);

G_END_DECLS
