/* tsr-theme-tally.c — theme n recounted at once after a theme edit
 *
 * Sorting codes into themes changes no segment, so the documents each
 * code is present in stay as the last #TsrCounts found them.  A theme's
 * documents are then the union of its codes' (which include the codes
 * below them) and its sub-themes': a few bit-set unions instead of a
 * scan of every segment.  That holds whenever presence is a union over
 * coders (any coder, one coder, the consensus); for "every coder" a
 * theme can be present through different codes of different coders, so
 * there the caller counts again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsr-error.h"
#include "tsr-theme-tally.h"

struct _TsrThemeTally
{
  TsrCounts  *counts;
  guint       n_docs;
  guint       n_words;
  GHashTable *code_bits;    /* gint64 code → guint64[n_words], filled as needed */
  GHashTable *theme_n;      /* gint64 theme → guint */
};

/**
 * tsr_theme_tally_supports:
 * @scope: the scope the counts were made for
 *
 * Returns: whether theme n can be tallied from code presence in that
 *   scope: not when every coder must have coded a document, where the
 *   coders may have used different codes of the theme
 */
gboolean
tsr_theme_tally_supports (const TsrScope *scope)
{
  return tsr_scope_get_mode (scope) != TSR_CODERS_ALL;
}

/**
 * tsr_theme_tally_new:
 * @counts: counts for a scope whose mode is not %TSR_CODERS_ALL
 *
 * Returns: (transfer full): a tally over the documents and coders of
 *   @counts, with theme n as in @counts until updated
 */
TsrThemeTally *
tsr_theme_tally_new (TsrCounts *counts)
{
  TsrThemeTally *tally = g_new0 (TsrThemeTally, 1);

  tally->counts = tsr_counts_ref (counts);
  tally->n_docs = tsr_counts_get_n_documents (counts);
  tally->n_words = (tally->n_docs + 63) / 64;
  tally->code_bits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  tally->theme_n = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return tally;
}

static const guint64 *code_bits (TsrThemeTally *tally,
                                 gint64         code_id);

static void
tally_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TsrThemeTally *tally = g_object_get_data (G_OBJECT (task), "tally");
  GArray *ids = task_data;

  /* The counts are read-only: this thread is their only other reader,
   * and the tally is not handed out before it is done. */
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_task_return_new_error (task, TSR_ERROR, TSR_ERROR_CANCELLED, _("The count was cancelled"));
          return;
        }
      code_bits (tally, g_array_index (ids, gint64, i));
    }
  g_object_steal_data (G_OBJECT (task), "tally");
  g_task_return_pointer (task, tally, (GDestroyNotify) tsr_theme_tally_free);
}

/**
 * tsr_theme_tally_new_async:
 * @counts: counts for a scope tsr_theme_tally_supports()
 * @project: the project they were made for
 *
 * Makes a tally with the presence of every code in a theme worked out in
 * a worker thread, so the first theme edit after counting is tallied as
 * fast as the next.
 */
void
tsr_theme_tally_new_async (TsrCounts           *counts,
                           TsrProject          *project,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (project, cancellable, callback, user_data);
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_task_set_source_tag (task, tsr_theme_tally_new_async);
  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      g_autoptr(GArray) codes = tsr_project_get_theme_codes (project, tsr_entity_get_id (g_ptr_array_index (themes, i)));

      for (guint c = 0; c < codes->len; c++)
        if (!g_hash_table_contains (seen, &g_array_index (codes, gint64, c)))
          {
            g_hash_table_add (seen, g_memdup2 (&g_array_index (codes, gint64, c), sizeof (gint64)));
            g_array_append_val (ids, g_array_index (codes, gint64, c));
          }
    }
  g_task_set_task_data (task, ids, (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (task), "tally", tsr_theme_tally_new (counts),
                          (GDestroyNotify) tsr_theme_tally_free);
  g_task_run_in_thread (task, tally_thread);
}

/**
 * tsr_theme_tally_new_finish:
 *
 * Returns: (transfer full): the tally, or %NULL with @error set
 */
TsrThemeTally *
tsr_theme_tally_new_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tsr_theme_tally_free (TsrThemeTally *tally)
{
  if (tally == NULL)
    return;
  tsr_counts_unref (tally->counts);
  g_hash_table_unref (tally->code_bits);
  g_hash_table_unref (tally->theme_n);
  g_free (tally);
}

/**
 * tsr_theme_tally_get_counts:
 *
 * Returns: (transfer none): the counts the tally started from
 */
TsrCounts *
tsr_theme_tally_get_counts (TsrThemeTally *tally)
{
  return tally->counts;
}

static const guint64 *
code_bits (TsrThemeTally *tally,
           gint64         code_id)
{
  guint64 *bits = g_hash_table_lookup (tally->code_bits, &code_id);
  guint n_docs = 0;
  const gint64 *docs;

  if (bits != NULL)
    return bits;

  bits = g_new0 (guint64, MAX (tally->n_words, 1));
  if (tsr_counts_get_code_n (tally->counts, code_id) > 0)
    {
      docs = tsr_counts_get_documents (tally->counts, &n_docs);
      for (guint d = 0; d < n_docs; d++)
        if (tsr_counts_code_in_document (tally->counts, code_id, docs[d]))
          bits[d / 64] |= G_GUINT64_CONSTANT (1) << (d % 64);
    }
  g_hash_table_insert (tally->code_bits, g_memdup2 (&code_id, sizeof code_id), bits);
  return bits;
}

/**
 * tsr_theme_tally_update:
 * @project: the project the counts were made for, after theme edits
 *
 * Recounts every theme's n from the themes and their codes as they are
 * now.  Only edits of themes may have happened since the counts were
 * made; after any other edit, compute new counts.
 */
gboolean
tsr_theme_tally_update (TsrThemeTally  *tally,
                        TsrProject     *project,
                        GError        **error)
{
  g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (project);
  g_autoptr(GHashTable) bits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  guint n_words = MAX (tally->n_words, 1);

  if (themes == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The themes could not be read"));
      return FALSE;
    }

  /* Own codes first… */
  for (guint i = 0; i < themes->len; i++)
    {
      gint64 id = tsr_entity_get_id (g_ptr_array_index (themes, i));
      g_autoptr(GArray) codes = tsr_project_get_theme_codes (project, id);
      guint64 *acc = g_new0 (guint64, n_words);

      for (guint c = 0; c < codes->len; c++)
        {
          const guint64 *cb = code_bits (tally, g_array_index (codes, gint64, c));

          for (guint w = 0; w < n_words; w++)
            acc[w] |= cb[w];
        }
      g_hash_table_insert (bits, g_memdup2 (&id, sizeof id), acc);
    }

  /* …then sub-themes into parents: the list has parents before children,
   * so walking it backwards folds the deepest first. */
  for (guint i = themes->len; i > 0; i--)
    {
      TsrTheme *theme = g_ptr_array_index (themes, i - 1);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (theme));
      gint64 parent = tsr_theme_get_parent_id (theme);
      guint64 *mine = g_hash_table_lookup (bits, &id);
      guint64 *theirs = parent != 0 ? g_hash_table_lookup (bits, &parent) : NULL;

      if (theirs != NULL)
        for (guint w = 0; w < n_words; w++)
          theirs[w] |= mine[w];
    }

  g_hash_table_remove_all (tally->theme_n);
  for (guint i = 0; i < themes->len; i++)
    {
      gint64 id = tsr_entity_get_id (g_ptr_array_index (themes, i));
      guint64 *mine = g_hash_table_lookup (bits, &id);
      guint n = 0;

      for (guint w = 0; w < tally->n_words; w++)
        n += __builtin_popcountll (mine[w]);
      g_hash_table_insert (tally->theme_n, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (n));
    }
  return TRUE;
}

/**
 * tsr_theme_tally_get_theme_n:
 *
 * Returns: the theme's n as last updated, or as in the counts before any
 *   update
 */
guint
tsr_theme_tally_get_theme_n (TsrThemeTally *tally,
                             gint64         theme_id)
{
  gpointer n;

  if (g_hash_table_lookup_extended (tally->theme_n, &theme_id, NULL, &n))
    return GPOINTER_TO_UINT (n);
  return tsr_counts_get_theme_n (tally->counts, theme_id);
}
