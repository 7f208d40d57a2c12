/* tsr-agreement-private.h — the coding of some coders, read once and sorted
 *
 * The agreement statistics and the list of disagreements both read the
 * segments of the coders being compared in one pass, sort them by
 * (document, code, coder, start) and sweep them, merging each coder's
 * overlapping segments of one code into coverage: a list of disjoint
 * intervals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-agreement.h"
#include "tsr-database-private.h"

G_BEGIN_DECLS

/* More coders than this cannot be compared at once (coder sets are bit
 * masks). */
#define TSR_AGREEMENT_MAX_CODERS 32

typedef struct
{
  guint32 start;
  guint32 end;
} TsrInterval;

typedef struct
{
  guint64 key;        /* ((document × n_codes) + code) × n_coders + coder */
  guint32 start;
  guint32 end;
} TsrSpanRecord;

typedef struct
{
  guint          n_coders;
  gint64        *coder_ids;
  guint          n_documents;
  gint64        *document_ids;     /* in document order */
  guint32       *document_lengths;
  guint          n_codes;
  gint64        *code_ids;         /* in tree order */
  guint         *code_depths;
  GHashTable    *code_index;       /* gint64 id → index + 1 */
  GHashTable    *document_index;   /* gint64 id → index + 1 */
  TsrSpanRecord *records;          /* sorted */
  gsize          n_records;
  guint32       *done_masks;       /* per document: the coders who marked it done */
  guint32        done_coders;      /* the coders who marked any document done */
} TsrCodingData;

gboolean _tsr_coding_data_load  (sqlite3        *db,
                                 const gint64   *coder_ids,
                                 guint           n_coders,
                                 GCancellable   *cancellable,
                                 TsrCodingData  *data,
                                 GError        **error);
void     _tsr_coding_data_clear (TsrCodingData  *data);

/* Which documents are compared, for the coders in @coders (a mask):
 * those they marked done when one of them marked any (unless @flags
 * say TSR_AGREEMENT_IGNORE_DONE), else every document or, with
 * TSR_AGREEMENT_UNCODED_AS_MISSING, those they coded. */
TsrAgreementDocuments _tsr_coding_data_basis  (const TsrCodingData  *data,
                                               guint                 flags,
                                               guint32               coders);
/* The coders whose coding of @document counts (who give it a value): by
 * the basis, those who marked it done, who coded in it (@coded_mask) or
 * every coder. */
guint32  _tsr_coding_data_judged (const TsrCodingData  *data,
                                  TsrAgreementDocuments basis,
                                  guint                 document,
                                  guint32               coded_mask);

/* One passage of a (document, code) group where two coders' coverages
 * overlap into one stretch of text: [start, end), holding the intervals
 * [a0, a1) of the first coder's coverage and [b0, b1) of the second's.
 * Intervals that only touch start a new passage. */
typedef struct
{
  guint32 start;
  guint32 end;
  guint   a0, a1;
  guint   b0, b1;
} TsrPassage;

void     _tsr_find_passages     (const TsrInterval *a,
                                 guint              n_a,
                                 const TsrInterval *b,
                                 guint              n_b,
                                 GArray            *passages);

/* Merges sorted, possibly overlapping or touching spans into disjoint
 * intervals that do not touch either, in place; returns how many remain.
 * The characters they cover are the same. */
guint    _tsr_intervals_merge   (TsrInterval    *intervals,
                                 guint           n);
/* The same, merging only spans that share a character: [0, 10) and
 * [10, 20) stay two. */
guint    _tsr_intervals_merge_overlapping (TsrInterval *intervals,
                                           guint        n);
/* The length of the intersection of two lists of disjoint sorted
 * intervals. */
guint64  _tsr_intervals_intersection (const TsrInterval *a,
                                      guint              n_a,
                                      const TsrInterval *b,
                                      guint              n_b);

/* One (document, code) group of the sweep: each coder's coverage, their
 * segments of the code with overlapping ones merged (and touching ones
 * too when the sweep is asked to). */
typedef struct
{
  guint        document;     /* index */
  guint        code;         /* index */
  guint32      coded_mask;   /* coders who coded anything in the document */
  guint32      present_mask; /* coders who applied this code in it */
  TsrInterval *coverage[TSR_AGREEMENT_MAX_CODERS];
  guint        n_coverage[TSR_AGREEMENT_MAX_CODERS];
} TsrCodingGroup;

typedef gboolean (*TsrCodingGroupFunc) (const TsrCodingData  *data,
                                        const TsrCodingGroup *group,
                                        gpointer              user_data);
/* Called once per document, before its groups, with the coders who coded
 * anything in it (also for documents nobody coded). */
typedef void     (*TsrCodingDocumentFunc) (const TsrCodingData *data,
                                           guint                document,
                                           guint32              coded_mask,
                                           gpointer             user_data);

gboolean _tsr_coding_data_sweep (const TsrCodingData   *data,
                                 gboolean               merge_touching,
                                 TsrCodingDocumentFunc  document_func,
                                 TsrCodingGroupFunc     group_func,
                                 gpointer               user_data,
                                 GCancellable          *cancellable,
                                 GError               **error);

/* For the benchmark: which statistics to compute, and how long each
 * phase took. */
typedef enum
{
  TSR_AGREEMENT_PART_PRESENCE   = 1 << 0,
  TSR_AGREEMENT_PART_CHARACTERS = 1 << 1,
  TSR_AGREEMENT_PART_SEGMENTS   = 1 << 2,
  TSR_AGREEMENT_PART_ALPHA      = 1 << 3,
  TSR_AGREEMENT_PART_ALL        = (1 << 4) - 1,
} TsrAgreementParts;

typedef struct
{
  double read_ms;    /* documents, codes and segments read */
  double sort_ms;    /* segments sorted */
  double sweep_ms;   /* the sweep: presence, characters, segments */
  double alpha_ms;   /* α, code by code through the generic routine */
  double cells_ms;   /* character cells ordered by code */
  gsize  n_records;  /* segments of the coders compared */
} TsrAgreementTimings;

struct _TsrAgreement;
struct _TsrProject;

struct _TsrAgreement *_tsr_project_compute_agreement_parts (struct _TsrProject   *self,
                                                            const gint64         *coder_ids,
                                                            guint                 n_coders,
                                                            double                min_overlap,
                                                            guint                 flags,
                                                            TsrAgreementParts     parts,
                                                            TsrAgreementTimings  *timings,
                                                            GError              **error);

/* The agreement's innards, for its files (tsr-agreement*.c). */

typedef struct
{
  guint64 p_both, p_only_a, p_only_b;
  guint64 c_both, c_only_a, c_only_b;
  guint   s_a, s_matched_a, s_b, s_matched_b;
} TsrAgreementSums;

/* A row of the table, in the order tables show them.  Each row but the
 * pooled one has a slot: its index into the sums, α and cells.  A code's
 * own row has the code's index as slot; a row that rolls several codes
 * up (a code with its sub-codes, a theme) has n_codes + its aggregate's
 * index. */
typedef struct
{
  TsrAgreementRowKind kind;
  guint               slot;   /* G_MAXUINT for the pooled row */
  gint64              id;
  guint               depth;
} TsrAgreementRowInfo;

typedef struct
{
  guint32 code;
  guint32 document;
  guint32 both;
  guint32 only_a;
  guint32 only_b;
} TsrPackedCell;

struct _TsrAgreement
{
  gatomicrefcount    ref_count;
  TsrCodingData      data;         /* without its records */
  double             min_overlap;
  TsrAgreementFlags  flags;
  guint              n_compared;   /* documents compared for A and B */
  guint64            compared_characters;
  TsrAgreementDocuments documents;
  guint32           *coded_masks;  /* per document: the coders who coded in it */
  guint32           *judged_masks; /* per document: the coders whose coding counts */
  gint64            *left_out;     /* documents not compared, in document order */
  guint              n_left_out;
  /* Rows that roll codes up: n_aggregates of them, aggregate a holding
   * the code indices members[member_offsets[a] .. member_offsets[a + 1]). */
  guint              n_aggregates;
  guint             *member_offsets;
  guint             *members;
  guint              n_slots;      /* n_codes + n_aggregates */
  TsrAgreementRowInfo *rows;       /* in table order */
  guint              n_rows;
  gint              *slot_rows;    /* slot → its row, or -1 when not shown */
  TsrAgreementSums  *sums;         /* per slot */
  TsrAlphaResult    *alpha;        /* per slot */
  TsrAlphaResult     alpha_pooled;
  TsrPackedCell     *cells;        /* by slot, then document order */
  guint             *cell_offsets; /* n_slots + 1 */
  TsrAgreementParts  parts;
};

TsrStatistic
_tsr_statistic_defined (double value);

TsrStatistic
_tsr_statistic_undefined (TsrUndefinedReason reason);

TsrStatistic
_tsr_statistic_fraction (__int128 num,
                         __int128 den);

gboolean
_tsr_coding_data_load_full (sqlite3              *db,
                            const gint64         *coder_ids,
                            guint                 n_coders,
                            GCancellable         *cancellable,
                            TsrCodingData        *data,
                            TsrAgreementTimings  *timings,
                            GError              **error);

G_END_DECLS
