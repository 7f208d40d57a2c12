/* tsr-disagreement.c — where two coders' coding differs, and its reconciliation
 *
 * A disagreement is one passage of one document where two coders' coding
 * with one code differs.  For each (document, code), each coder's
 * segments are merged into coverage (overlapping segments count once);
 * the two coverages are cut into passages, stretches of text where their
 * intervals overlap one another; a passage where the two coverages are
 * not identical is a disagreement: coded by only one coder, or by both
 * over different spans.  The list covers exactly the documents the
 * agreement table compares (tsr-agreement.c): those both coders marked
 * done when either marked any, otherwise every document (a coder who
 * coded nothing in one disagrees wherever the other coded), or with
 * TSR_AGREEMENT_UNCODED_AS_MISSING those both coded.
 *
 * Resolving one (accept A, accept B, accept both, reject) sets the
 * consensus coder's coding of that code over that passage to the chosen
 * spans, and records the decision in the resolutions table under the
 * disagreement's identity — code, document, the two coders and both
 * coders' spans — so progress through the list survives closing the
 * project.  Each resolution is one undoable edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-agreement-private.h"
#include "tsr-disagreement.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-project-private.h"

/* How much text around a passage is shown as its context. */
#define CONTEXT_CHARACTERS 160

const char *
tsr_resolution_to_string (TsrResolution resolution)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_RESOLUTION, resolution);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_resolution_from_string (const char    *str,
                            TsrResolution *resolution)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_RESOLUTION, str, &value))
    return FALSE;
  *resolution = value;
  return TRUE;
}

/* TsrDisagreement ------------------------------------------------------ */

struct _TsrDisagreement
{
  GObject              parent_instance;
  gint64               code_id;
  gint64               document_id;
  gint64               coder_a;
  gint64               coder_b;
  guint                start;
  guint                end;
  guint                context_start;
  guint                context_end;
  GArray              *spans[3];   /* guint start, end pairs */
  TsrDisagreementKind  kind;
  TsrResolution        resolution;
};

G_DEFINE_FINAL_TYPE (TsrDisagreement, tsr_disagreement, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RESOLUTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tsr_disagreement_finalize (GObject *object)
{
  TsrDisagreement *self = TSR_DISAGREEMENT (object);

  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&self->spans[i], g_array_unref);

  G_OBJECT_CLASS (tsr_disagreement_parent_class)->finalize (object);
}

static void
tsr_disagreement_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsrDisagreement *self = TSR_DISAGREEMENT (object);

  switch (prop_id)
    {
    case PROP_RESOLUTION:
      g_value_set_int (value, self->resolution);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_disagreement_class_init (TsrDisagreementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_disagreement_finalize;
  object_class->get_property = tsr_disagreement_get_property;

  /**
   * TsrDisagreement:resolution:
   *
   * The #TsrResolution recorded for this disagreement.
   */
  properties[PROP_RESOLUTION] =
    g_param_spec_int ("resolution", NULL, NULL,
                      TSR_RESOLUTION_NONE, TSR_RESOLUTION_REJECT, TSR_RESOLUTION_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsr_disagreement_init (TsrDisagreement *self)
{
  for (guint i = 0; i < 3; i++)
    self->spans[i] = g_array_new (FALSE, FALSE, sizeof (guint));
}

gint64
tsr_disagreement_get_code_id (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->code_id;
}

gint64
tsr_disagreement_get_document_id (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->document_id;
}

gint64
tsr_disagreement_get_coder_a (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->coder_a;
}

gint64
tsr_disagreement_get_coder_b (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->coder_b;
}

/** tsr_disagreement_get_start: Returns: the passage's first character */
guint
tsr_disagreement_get_start (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->start;
}

/** tsr_disagreement_get_end: Returns: the character after the passage */
guint
tsr_disagreement_get_end (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->end;
}

/** tsr_disagreement_get_context_start: Returns: where the text shown around the passage starts */
guint
tsr_disagreement_get_context_start (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->context_start;
}

/** tsr_disagreement_get_context_end: Returns: where the text shown around the passage ends */
guint
tsr_disagreement_get_context_end (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->context_end;
}

/**
 * tsr_disagreement_get_spans:
 * @n_spans: (out): how many spans
 *
 * Returns: (array) (transfer none): the spans as start, end pairs of
 *   character offsets (2 × @n_spans values), in order
 */
const guint *
tsr_disagreement_get_spans (TsrDisagreement     *self,
                            TsrDisagreementSide  side,
                            guint               *n_spans)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), NULL);
  g_return_val_if_fail (side <= TSR_SIDE_CONSENSUS, NULL);

  *n_spans = self->spans[side]->len / 2;
  return (const guint *) self->spans[side]->data;
}

static void
append_spans_text (GString           *out,
                   const TsrInterval *iv,
                   guint              n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%u-%u", i > 0 ? "," : "", iv[i].start, iv[i].end);
}

/**
 * tsr_disagreement_format_spans:
 *
 * Returns: (transfer full): the spans as "start-end" pairs joined by
 *   commas, "" when there are none
 */
char *
tsr_disagreement_format_spans (TsrDisagreement     *self,
                               TsrDisagreementSide  side)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), NULL);

  append_spans_text (out, (const TsrInterval *) self->spans[side]->data, self->spans[side]->len / 2);
  return g_string_free (out, FALSE);
}

TsrDisagreementKind
tsr_disagreement_get_kind (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), 0);
  return self->kind;
}

TsrResolution
tsr_disagreement_get_resolution (TsrDisagreement *self)
{
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (self), TSR_RESOLUTION_NONE);
  return self->resolution;
}

/* Passages ------------------------------------------------------------- */

void
_tsr_find_passages (const TsrInterval *a,
                    guint              n_a,
                    const TsrInterval *b,
                    guint              n_b,
                    GArray            *passages)
{
  guint i = 0, j = 0;

  g_array_set_size (passages, 0);
  while (i < n_a || j < n_b)
    {
      TsrPassage p = { 0 };
      gboolean take_a;

      take_a = j >= n_b || (i < n_a && a[i].start <= b[j].start);
      p.a0 = p.a1 = i;
      p.b0 = p.b1 = j;
      p.start = take_a ? a[i].start : b[j].start;
      p.end = p.start;

      /* Take the interval starting first while it overlaps the passage
       * (each coder's intervals are disjoint, so only the other coder's
       * can continue it — or its own after the other's bridged a gap). */
      for (;;)
        {
          gboolean have_a = i < n_a && (p.end == p.start || a[i].start < p.end);
          gboolean have_b = j < n_b && (p.end == p.start || b[j].start < p.end);

          if (have_a && (!have_b || a[i].start <= b[j].start))
            {
              p.end = MAX (p.end, a[i].end);
              i++;
            }
          else if (have_b)
            {
              p.end = MAX (p.end, b[j].end);
              j++;
            }
          else
            break;
        }
      p.a1 = i;
      p.b1 = j;
      g_array_append_val (passages, p);
    }
}

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const TsrInterval *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

static gboolean
same_spans (const TsrInterval *a,
            guint              n_a,
            const TsrInterval *b,
            guint              n_b)
{
  return n_a == n_b && (n_a == 0 || memcmp (a, b, sizeof (TsrInterval) * n_a) == 0);
}

static char *
spans_text (const TsrInterval *iv,
            guint              n)
{
  GString *out = g_string_new (NULL);

  append_spans_text (out, iv, n);
  return g_string_free (out, FALSE);
}

/* The identity of a disagreement, the key of the resolutions table, with
 * the coders in id order. */
static char *
identity_key (gint64      code_id,
              gint64      document_id,
              const char *spans_low,
              const char *spans_high)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s/%s",
                          code_id, document_id, spans_low, spans_high);
}

static TsrResolution
swap_sides (TsrResolution resolution)
{
  switch (resolution)
    {
    case TSR_RESOLUTION_ACCEPT_A:
      return TSR_RESOLUTION_ACCEPT_B;
    case TSR_RESOLUTION_ACCEPT_B:
      return TSR_RESOLUTION_ACCEPT_A;
    default:
      return resolution;
    }
}

/* Listing -------------------------------------------------------------- */

static gint64
consensus_coder_id (TsrDatabase *db)
{
  sqlite3_stmt *stmt = tsr_database_prepare (db, "SELECT id FROM coders WHERE is_consensus = 1 ORDER BY id LIMIT 1", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  if (tsr_database_next_row (db, stmt))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

static gboolean
check_pair (TsrProject  *self,
            gint64       coder_a,
            gint64       coder_b,
            GError     **error)
{
  gint64 ids[2] = { coder_a, coder_b };

  if (_tsr_project_get_database (self) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return FALSE;
    }
  if (coder_a == coder_b)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("A coder cannot be compared with themselves: name two different coders"));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self, ids[i]);

      if (coder == NULL)
        {
          g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                       _("The coder (id %" PRId64 ") does not exist"), ids[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* The recorded decisions for a pair of coders: identity key → resolution
 * relative to (coder_a, coder_b) as given. */
static GHashTable *
load_resolutions (TsrDatabase  *db,
                  gint64        coder_a,
                  gint64        coder_b,
                  GError      **error)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean swapped = coder_a > coder_b;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  stmt = tsr_database_prepare (db, "SELECT code_id, document_id, spans_a, spans_b, action FROM resolutions"
                                   " WHERE coder_a_id = ? AND coder_b_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, MIN (coder_a, coder_b));
  sqlite3_bind_int64 (stmt, 2, MAX (coder_a, coder_b));
  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      TsrResolution resolution = TSR_RESOLUTION_NONE;

      tsr_resolution_from_string ((const char *) sqlite3_column_text (stmt, 4), &resolution);
      if (swapped)
        resolution = swap_sides (resolution);
      g_hash_table_insert (table,
                           identity_key (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                                         (const char *) sqlite3_column_text (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3)),
                           GINT_TO_POINTER (resolution));
    }
  if (!ok)
    return NULL;
  return g_steal_pointer (&table);
}

static char *
key_for (gint64             code_id,
         gint64             document_id,
         gint64             coder_a,
         gint64             coder_b,
         const TsrInterval *a,
         guint              n_a,
         const TsrInterval *b,
         guint              n_b)
{
  g_autofree char *text_a = spans_text (a, n_a);
  g_autofree char *text_b = spans_text (b, n_b);

  return coder_a < coder_b ? identity_key (code_id, document_id, text_a, text_b)
                           : identity_key (code_id, document_id, text_b, text_a);
}

typedef struct
{
  gint64      coder_a;
  gint64      coder_b;
  gint64      only_code_id;
  guint       flags;        /* TsrAgreementFlags: which documents */
  TsrAgreementDocuments basis;
  GHashTable *resolutions;
  GListStore *store;
  GArray     *passages;
  /* adopting agreements: */
  GArray     *agreed;       /* Agreed */
} ListContext;

typedef struct
{
  gint64       document_id;
  gint64       code_id;
  TsrInterval *spans;
  guint        n_spans;
  guint32      start;
  guint32      end;
} Agreed;

static void
append_intervals (GArray            *array,
                  const TsrInterval *iv,
                  guint              n)
{
  for (guint i = 0; i < n; i++)
    {
      guint pair[2] = { iv[i].start, iv[i].end };
      g_array_append_vals (array, pair, 2);
    }
}

/* The consensus coverage intervals overlapping [start, end), and whether
 * they are exactly @spans. */
static void
consensus_over (const TsrCodingGroup *group,
                guint                 consensus_index,
                guint32               start,
                guint32               end,
                const TsrInterval   **first,
                guint                *n)
{
  const TsrInterval *c = group->coverage[consensus_index];
  guint n_c = group->n_coverage[consensus_index];
  guint i = 0;

  while (i < n_c && c[i].end <= start)
    i++;
  *first = c + i;
  *n = 0;
  while (i + *n < n_c && c[i + *n].start < end)
    (*n)++;
}

static gboolean
on_list_group (const TsrCodingData  *data,
               const TsrCodingGroup *group,
               gpointer              user_data)
{
  ListContext *ctx = user_data;
  gint64 code_id = data->code_ids[group->code];
  gint64 document_id = data->document_ids[group->document];

  if ((_tsr_coding_data_judged (data, ctx->basis, group->document, group->coded_mask) & 3u) != 3u ||
      (group->present_mask & 3u) == 0)
    return TRUE;
  if (ctx->only_code_id != 0 && code_id != ctx->only_code_id)
    return TRUE;

  _tsr_find_passages (group->coverage[0], group->n_coverage[0],
                      group->coverage[1], group->n_coverage[1], ctx->passages);

  for (guint p = 0; p < ctx->passages->len; p++)
    {
      TsrPassage *passage = &g_array_index (ctx->passages, TsrPassage, p);
      const TsrInterval *a = group->coverage[0] + passage->a0;
      const TsrInterval *b = group->coverage[1] + passage->b0;
      guint n_a = passage->a1 - passage->a0;
      guint n_b = passage->b1 - passage->b0;
      const TsrInterval *cons = NULL;
      guint n_cons = 0;

      if (data->n_coders > 2)
        consensus_over (group, 2, passage->start, passage->end, &cons, &n_cons);

      if (same_spans (a, n_a, b, n_b))
        {
          if (ctx->agreed != NULL && !same_spans (a, n_a, cons, n_cons))
            {
              Agreed agreed = { document_id, code_id, g_memdup2 (a, sizeof (TsrInterval) * n_a), n_a,
                                passage->start, passage->end };
              g_array_append_val (ctx->agreed, agreed);
            }
          continue;
        }

      if (ctx->store != NULL)
        {
          g_autoptr(TsrDisagreement) d = g_object_new (TSR_TYPE_DISAGREEMENT, NULL);
          guint32 length = data->document_lengths[group->document];

          d->code_id = code_id;
          d->document_id = document_id;
          d->coder_a = ctx->coder_a;
          d->coder_b = ctx->coder_b;
          d->start = passage->start;
          d->end = passage->end;
          d->context_start = passage->start > CONTEXT_CHARACTERS ? passage->start - CONTEXT_CHARACTERS : 0;
          d->context_end = MIN ((guint64) passage->end + CONTEXT_CHARACTERS, MAX (length, passage->end));
          append_intervals (d->spans[TSR_SIDE_A], a, n_a);
          append_intervals (d->spans[TSR_SIDE_B], b, n_b);
          append_intervals (d->spans[TSR_SIDE_CONSENSUS], cons, n_cons);
          d->kind = n_b == 0 ? TSR_DISAGREEMENT_ONLY_A
                  : n_a == 0 ? TSR_DISAGREEMENT_ONLY_B
                  : TSR_DISAGREEMENT_SPANS_DIFFER;
          if (g_hash_table_size (ctx->resolutions) > 0)
            {
              g_autofree char *key = key_for (code_id, document_id, ctx->coder_a, ctx->coder_b, a, n_a, b, n_b);
              d->resolution = GPOINTER_TO_INT (g_hash_table_lookup (ctx->resolutions, key));
            }
          g_list_store_append (ctx->store, d);
        }
    }
  return TRUE;
}

static gboolean
sweep_pair (TsrProject    *self,
            gint64         coder_a,
            gint64         coder_b,
            ListContext   *ctx,
            GCancellable  *cancellable,
            GError       **error)
{
  TsrDatabase *db = _tsr_project_get_database (self);
  gint64 consensus = consensus_coder_id (db);
  gint64 coders[3] = { coder_a, coder_b, consensus };
  guint n_coders = consensus != 0 && consensus != coder_a && consensus != coder_b ? 3 : 2;
  TsrCodingData data;
  gboolean ok;

  ctx->coder_a = coder_a;
  ctx->coder_b = coder_b;
  ctx->passages = g_array_new (FALSE, FALSE, sizeof (TsrPassage));

  tsr_database_push_cancellable (db, cancellable);
  ok = _tsr_coding_data_load (tsr_database_get_handle (db), coders, n_coders, cancellable, &data, error);
  tsr_database_pop_cancellable (db);
  if (ok)
    {
      ctx->basis = _tsr_coding_data_basis (&data, ctx->flags, 3u);
      /* A passage is a stretch of text: what counts is which characters
       * each coder coded, so touching segments are one. */
      ok = _tsr_coding_data_sweep (&data, TRUE, NULL, on_list_group, ctx, cancellable, error);
    }
  _tsr_coding_data_clear (&data);
  g_clear_pointer (&ctx->passages, g_array_unref);
  return ok;
}

/**
 * tsr_project_list_disagreements:
 * @coder_a: the first coder
 * @coder_b: the second coder
 * @code_id: only this code's disagreements, or 0 for every code
 * @flags: which documents, as for tsr_project_compute_agreement(): the
 *   list covers the documents the agreement compares
 *
 * Lists the passages where the two coders' coding differs, in document
 * order, then code order, then position, each with the decision recorded
 * for it.  The list is a snapshot: list again after the project changes.
 *
 * Returns: (transfer full): a #GListModel of #TsrDisagreement, or %NULL
 *   with @error set
 */
GListModel *
tsr_project_list_disagreements (TsrProject    *self,
                                gint64         coder_a,
                                gint64         coder_b,
                                gint64         code_id,
                                TsrAgreementFlags flags,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GHashTable) resolutions = NULL;
  ListContext ctx = { 0 };

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  if (!check_pair (self, coder_a, coder_b, error))
    return NULL;
  if (!(resolutions = load_resolutions (_tsr_project_get_database (self), coder_a, coder_b, error)))
    return NULL;

  store = g_list_store_new (TSR_TYPE_DISAGREEMENT);
  ctx.only_code_id = code_id;
  ctx.flags = flags;
  ctx.resolutions = resolutions;
  ctx.store = store;
  if (!sweep_pair (self, coder_a, coder_b, &ctx, cancellable, error))
    return NULL;

  return G_LIST_MODEL (g_steal_pointer (&store));
}

/* Writing the consensus ------------------------------------------------ */

/* Sets the consensus coding of @code_id in @document_id over [start, end)
 * to @spans: the consensus segments of that code lying inside the passage
 * go, the spans come in. */
static gboolean
replace_consensus (TsrDatabase        *db,
                   gint64              document_id,
                   gint64              code_id,
                   gint64              consensus,
                   guint32             start,
                   guint32             end,
                   const TsrInterval  *spans,
                   guint               n_spans,
                   GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = tsr_database_prepare (db, "DELETE FROM segments WHERE document_id = ? AND code_id = ? AND coder_id = ?"
                                   " AND start >= ? AND end <= ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, code_id);
  sqlite3_bind_int64 (stmt, 3, consensus);
  sqlite3_bind_int64 (stmt, 4, start);
  sqlite3_bind_int64 (stmt, 5, end);
  if (!tsr_database_run (db, stmt, error))
    return FALSE;

  for (guint i = 0; i < n_spans; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      /* substr() counts characters in TEXT, the same unit as offsets. */
      stmt = tsr_database_prepare (db, "INSERT INTO segments (uuid, document_id, code_id, coder_id, start, end, text, created)"
                                       " SELECT ?1, ?2, ?3, ?4, ?5, ?6, substr (text, ?5 + 1, ?6 - ?5), ?7"
                                       " FROM document_texts WHERE document_id = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, document_id);
      sqlite3_bind_int64 (stmt, 3, code_id);
      sqlite3_bind_int64 (stmt, 4, consensus);
      sqlite3_bind_int64 (stmt, 5, spans[i].start);
      sqlite3_bind_int64 (stmt, 6, spans[i].end);
      sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
      if (!tsr_database_run (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads one coder's coverage of a code in a document. */
static GArray *
read_coverage (TsrDatabase  *db,
               gint64        document_id,
               gint64        code_id,
               gint64        coder_id,
               GError      **error)
{
  g_autoptr(GArray) iv = g_array_new (FALSE, FALSE, sizeof (TsrInterval));
  sqlite3_stmt *stmt;
  gboolean has_row;
  gboolean ok;

  stmt = tsr_database_prepare (db, "SELECT start, end FROM segments WHERE document_id = ? AND code_id = ?"
                                   " AND coder_id = ? ORDER BY start, end", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, code_id);
  sqlite3_bind_int64 (stmt, 3, coder_id);
  while ((ok = tsr_database_step_row (db, stmt, &has_row, error)) && has_row)
    {
      TsrInterval interval = { sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1) };
      g_array_append_val (iv, interval);
    }
  if (!ok)
    return NULL;
  g_array_set_size (iv, _tsr_intervals_merge ((TsrInterval *) iv->data, iv->len));
  return g_steal_pointer (&iv);
}

static gboolean
disagreement_is_current (TsrDatabase      *db,
                         TsrDisagreement  *d,
                         GError          **error)
{
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) passages = g_array_new (FALSE, FALSE, sizeof (TsrPassage));

  if (!(a = read_coverage (db, d->document_id, d->code_id, d->coder_a, error)) ||
      !(b = read_coverage (db, d->document_id, d->code_id, d->coder_b, error)))
    return FALSE;

  _tsr_find_passages ((TsrInterval *) a->data, a->len, (TsrInterval *) b->data, b->len, passages);
  for (guint i = 0; i < passages->len; i++)
    {
      TsrPassage *p = &g_array_index (passages, TsrPassage, i);

      if (p->start == d->start && p->end == d->end &&
          same_spans ((TsrInterval *) a->data + p->a0, p->a1 - p->a0,
                      (const TsrInterval *) d->spans[TSR_SIDE_A]->data, d->spans[TSR_SIDE_A]->len / 2) &&
          same_spans ((TsrInterval *) b->data + p->b0, p->b1 - p->b0,
                      (const TsrInterval *) d->spans[TSR_SIDE_B]->data, d->spans[TSR_SIDE_B]->len / 2))
        return TRUE;
    }

  g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                       _("The coding of this passage has changed since the disagreements were listed; "
                         "list them again"));
  return FALSE;
}

static char *
describe_resolution (TsrProject      *self,
                     TsrDisagreement *d,
                     TsrResolution    resolution)
{
  g_autoptr(TsrCode) code = tsr_project_lookup_code (self, d->code_id);
  g_autoptr(TsrDocument) document = tsr_project_lookup_document (self, d->document_id);
  g_autoptr(TsrCoder) coder = tsr_project_lookup_coder (self, resolution == TSR_RESOLUTION_ACCEPT_B
                                                                ? d->coder_b : d->coder_a);
  const char *code_name = code ? tsr_code_get_name (code) : "";
  const char *document_name = document ? tsr_document_get_name (document) : "";

  switch (resolution)
    {
    case TSR_RESOLUTION_ACCEPT_A:
    case TSR_RESOLUTION_ACCEPT_B:
      /* Translators: accept Dana's coding of "Hope" in "E01" */
      return g_strdup_printf (_("Accept %s’s coding of “%s” in “%s”"),
                              coder ? tsr_coder_get_name (coder) : "", code_name, document_name);
    case TSR_RESOLUTION_ACCEPT_BOTH:
      return g_strdup_printf (_("Accept both codings of “%s” in “%s”"), code_name, document_name);
    case TSR_RESOLUTION_REJECT:
    default:
      return g_strdup_printf (_("Reject the coding of “%s” in “%s”"), code_name, document_name);
    }
}

/**
 * tsr_project_resolve_disagreement:
 * @disagreement: one of tsr_project_list_disagreements()
 * @resolution: what the consensus takes
 *
 * Reconciles a disagreement: the consensus coder's coding of its code
 * over its passage becomes the first coder's spans, the second's, both
 * (every character either coded) or none, and the decision is recorded.
 * Resolving again replaces the earlier decision.  One undoable edit.
 *
 * Fails with %TSR_ERROR_INVALID when the coding of the passage changed
 * since the list was made, or when either coder is the consensus.
 */
gboolean
tsr_project_resolve_disagreement (TsrProject       *self,
                                  TsrDisagreement  *d,
                                  TsrResolution     resolution,
                                  GError          **error)
{
  g_autoptr(TsrCoder) consensus = NULL;
  g_autofree char *spans_a = NULL;
  g_autofree char *spans_b = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (TsrInterval));
  TsrCoder *current;
  TsrResolution stored = resolution;
  TsrDatabase *db;
  sqlite3_stmt *stmt;
  gint64 consensus_id;
  gboolean swapped;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (TSR_IS_DISAGREEMENT (d), FALSE);

  if (resolution < TSR_RESOLUTION_ACCEPT_A || resolution > TSR_RESOLUTION_REJECT)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("Choose how to resolve the disagreement: accept one coder, both, or neither"));
      return FALSE;
    }
  if (!check_pair (self, d->coder_a, d->coder_b, error))
    return FALSE;
  db = _tsr_project_get_database (self);

  if (!(consensus = tsr_project_get_consensus_coder (self, error)))
    return FALSE;
  consensus_id = tsr_entity_get_id (TSR_ENTITY (consensus));
  if (consensus_id == d->coder_a || consensus_id == d->coder_b)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("A comparison with the consensus coding cannot be resolved into it; "
                             "compare two coders"));
      return FALSE;
    }
  if (!disagreement_is_current (db, d, error))
    return FALSE;

  if (resolution == TSR_RESOLUTION_ACCEPT_A || resolution == TSR_RESOLUTION_ACCEPT_BOTH)
    g_array_append_vals (chosen, d->spans[TSR_SIDE_A]->data, d->spans[TSR_SIDE_A]->len / 2);
  if (resolution == TSR_RESOLUTION_ACCEPT_B || resolution == TSR_RESOLUTION_ACCEPT_BOTH)
    g_array_append_vals (chosen, d->spans[TSR_SIDE_B]->data, d->spans[TSR_SIDE_B]->len / 2);
  if (resolution == TSR_RESOLUTION_ACCEPT_BOTH)
    {
      g_array_sort (chosen, compare_intervals);
      g_array_set_size (chosen, _tsr_intervals_merge ((TsrInterval *) chosen->data, chosen->len));
    }

  swapped = d->coder_a > d->coder_b;
  spans_a = tsr_disagreement_format_spans (d, swapped ? TSR_SIDE_B : TSR_SIDE_A);
  spans_b = tsr_disagreement_format_spans (d, swapped ? TSR_SIDE_A : TSR_SIDE_B);
  if (swapped)
    stored = swap_sides (resolution);

  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, "disagreement.resolve",
                              describe_resolution (self, d, resolution), error))
    return FALSE;

  uuid = g_uuid_string_random ();
  stmt = tsr_database_prepare (db, "INSERT INTO resolutions (uuid, code_id, document_id, coder_a_id, coder_b_id,"
                                   " spans_a, spans_b, action, resolved_by, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                   " ON CONFLICT (code_id, document_id, coder_a_id, coder_b_id, spans_a, spans_b)"
                                   " DO UPDATE SET action = excluded.action, resolved_by = excluded.resolved_by,"
                                   " time = excluded.time", error);
  ok = stmt != NULL;
  if (ok)
    {
      current = tsr_project_get_current_coder (self);
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, d->code_id);
      sqlite3_bind_int64 (stmt, 3, d->document_id);
      sqlite3_bind_int64 (stmt, 4, MIN (d->coder_a, d->coder_b));
      sqlite3_bind_int64 (stmt, 5, MAX (d->coder_a, d->coder_b));
      sqlite3_bind_text (stmt, 6, spans_a, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, spans_b, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 8, tsr_resolution_to_string (stored), -1, SQLITE_STATIC);
      if (current != NULL)
        sqlite3_bind_int64 (stmt, 9, tsr_entity_get_id (TSR_ENTITY (current)));
      else
        sqlite3_bind_null (stmt, 9);
      sqlite3_bind_int64 (stmt, 10, g_get_real_time ());
      ok = tsr_database_run (db, stmt, error);
    }
  if (ok)
    ok = replace_consensus (db, d->document_id, d->code_id, consensus_id, d->start, d->end,
                            (const TsrInterval *) chosen->data, chosen->len, error);

  if (!_tsr_project_op_end (self, ok, error))
    return FALSE;

  d->resolution = resolution;
  g_object_notify_by_pspec (G_OBJECT (d), properties[PROP_RESOLUTION]);
  return TRUE;
}

static void
clear_agreed (gpointer data)
{
  g_free (((Agreed *) data)->spans);
}

/**
 * tsr_project_adopt_agreements:
 * @n_adopted: (out) (optional): how many passages the consensus took
 *
 * Copies every passage where the two coders' coding is identical into
 * the consensus coding (where the consensus does not hold exactly that
 * already): the part of reconciliation that needs no decision, in the
 * documents the agreement compares by default (those both coders marked
 * done, when either marked any).  One undoable edit; nothing is recorded
 * when there was nothing to copy.
 */
gboolean
tsr_project_adopt_agreements (TsrProject  *self,
                              gint64       coder_a,
                              gint64       coder_b,
                              guint       *n_adopted,
                              GError     **error)
{
  g_autoptr(TsrCoder) consensus = NULL;
  g_autoptr(GArray) agreed = g_array_new (FALSE, FALSE, sizeof (Agreed));
  ListContext ctx = { 0 };
  TsrDatabase *db;
  gint64 consensus_id;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (n_adopted != NULL)
    *n_adopted = 0;
  if (!check_pair (self, coder_a, coder_b, error))
    return FALSE;
  if (!(consensus = tsr_project_get_consensus_coder (self, error)))
    return FALSE;
  consensus_id = tsr_entity_get_id (TSR_ENTITY (consensus));
  if (consensus_id == coder_a || consensus_id == coder_b)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID,
                           _("A comparison with the consensus coding cannot be resolved into it; "
                             "compare two coders"));
      return FALSE;
    }

  g_array_set_clear_func (agreed, clear_agreed);
  ctx.agreed = agreed;
  if (!sweep_pair (self, coder_a, coder_b, &ctx, NULL, error))
    return FALSE;
  if (agreed->len == 0)
    return TRUE;

  db = _tsr_project_get_database (self);
  if (!_tsr_project_op_begin (self, TSR_CHANGE_SEGMENTS, "disagreement.adopt",
                              g_strdup (_("Copy the agreed coding to the consensus")), error))
    return FALSE;
  for (guint i = 0; ok && i < agreed->len; i++)
    {
      Agreed *a = &g_array_index (agreed, Agreed, i);

      ok = replace_consensus (db, a->document_id, a->code_id, consensus_id, a->start, a->end,
                              a->spans, a->n_spans, error);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return FALSE;

  if (n_adopted != NULL)
    *n_adopted = agreed->len;
  return TRUE;
}

/**
 * tsr_project_get_passage:
 * @start: the first character (Unicode character offset)
 * @end: the character after the last
 *
 * Returns: (transfer full): the text of a passage of a document, or %NULL
 *   with @error set
 */
char *
tsr_project_get_passage (TsrProject  *self,
                         gint64       document_id,
                         guint        start,
                         guint        end,
                         GError     **error)
{
  g_autoptr(TsrDocument) document = NULL;
  TsrDatabase *db;
  sqlite3_stmt *stmt;
  char *text = NULL;
  gboolean has_row;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  db = _tsr_project_get_database (self);
  if (db == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  document = tsr_project_lookup_document (self, document_id);
  if (document == NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                   _("The document (id %" PRId64 ") does not exist"), document_id);
      return NULL;
    }
  if (start > end || end > tsr_document_get_length (document))
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("Characters %u to %u are not a passage of “%s”, which has %u characters"),
                   start, end, tsr_document_get_name (document), tsr_document_get_length (document));
      return NULL;
    }

  stmt = tsr_database_prepare (db, "SELECT substr (text, ?2 + 1, ?3 - ?2) FROM document_texts WHERE document_id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  if (!tsr_database_step_row (db, stmt, &has_row, error))
    return NULL;
  if (has_row)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (text == NULL)
    text = g_strdup ("");
  return text;
}
