/* tsr-merge.c — bringing another copy of a project into this one
 *
 * Two coders each code a copy of the same project; one sends the other
 * their file, and merging brings in what it holds that this project does
 * not: coders, documents, codes, segments, memos and journal entries,
 * themes and their codes, the map, cases, attributes and reconciliation
 * decisions.  The rule is the union: nothing of either copy is lost,
 * nothing is added twice, and merging the same file again changes nothing.
 *
 * Rows are matched first by UUID (copies of one project share them),
 * then by content: a document by its text's hash, a code or theme by its
 * name under the same parent, a coder by name, a segment by (document,
 * code, coder, span), a journal entry by date and text.  Where theirs and
 * ours differ, ours is kept and the plan says so; a memo that differs
 * gets their text appended, so no text is lost.  A document whose UUID
 * matches but whose text differs cannot take their coding (offsets would
 * point at other words): its coding is left out and the plan says so.
 *
 * tsr_project_plan_merge() computes the plan without writing anything;
 * tsr_project_merge() computes it again in the transaction and applies it
 * as one undoable edit (coders included, so undo restores the project
 * exactly), refusing if the project or the file changed since the
 * preview.  The other file is opened read-only and never written.
 *
 * This file is the plan object and the public calls; reading the two
 * sides is in tsr-merge-read.c, deciding what to bring in in
 * tsr-merge-plan.c, writing it in tsr-merge-apply.c, and what they share
 * in tsr-merge-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsr-database-private.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"
#include "tsr-error.h"
#include "tsr-merge-private.h"
#include "tsr-merge.h"
#include "tsr-project-private.h"

const char *
tsr_merge_kind_to_string (TsrMergeKind kind)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_MERGE_KIND, kind);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

const char *
tsr_merge_action_to_string (TsrMergeAction action)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_MERGE_ACTION, action);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

G_DEFINE_BOXED_TYPE (TsrMergePlan, tsr_merge_plan, tsr_merge_plan_ref, tsr_merge_plan_unref)

TsrMergePlan *
tsr_merge_plan_ref (TsrMergePlan *plan)
{
  g_atomic_ref_count_inc (&plan->ref_count);
  return plan;
}

void
tsr_merge_plan_unref (TsrMergePlan *plan)
{
  if (!g_atomic_ref_count_dec (&plan->ref_count))
    return;
  g_free (plan->other_path);
  g_free (plan->other_title);
  g_array_unref (plan->notes);
  g_free (plan);
}

static void
clear_note (gpointer data)
{
  g_free (((Note *) data)->text);
}

TsrMergePlan *
_tsr_merge_plan_new (const char *path)
{
  TsrMergePlan *plan = g_new0 (TsrMergePlan, 1);

  g_atomic_ref_count_init (&plan->ref_count);
  plan->other_path = g_strdup (path);
  plan->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  g_array_set_clear_func (plan->notes, clear_note);
  return plan;
}

/**
 * tsr_project_plan_merge:
 * @other_path: another copy of the project (a `.tessera` file)
 *
 * Works out what merging @other_path would bring in, without writing
 * anything to either project.  The other file is opened read-only.
 *
 * Returns: (transfer full): the plan, or %NULL with @error set: the file
 *   is missing, not a project, damaged or from a newer Tessera
 */
TsrMergePlan *
tsr_project_plan_merge (TsrProject    *self,
                        const char    *other_path,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_auto(Merge) m = { 0 };

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (other_path != NULL, NULL);

  if (_tsr_project_get_database (self) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_FAILED, _("The project is closed"));
      return NULL;
    }
  if (!_tsr_merge_plan (&m, self, other_path, cancellable, error))
    return NULL;
  return g_steal_pointer (&m.plan);
}

/* Reading a plan --------------------------------------------------------- */

const char *
tsr_merge_plan_get_other_path (TsrMergePlan *plan)
{
  return plan->other_path;
}

/** tsr_merge_plan_get_other_title: Returns: the other project's title */
const char *
tsr_merge_plan_get_other_title (TsrMergePlan *plan)
{
  return plan->other_title;
}

/** tsr_merge_plan_count: Returns: how many of their rows of @kind get @action */
guint
tsr_merge_plan_count (TsrMergePlan   *plan,
                      TsrMergeKind    kind,
                      TsrMergeAction  action)
{
  g_return_val_if_fail (kind < TSR_MERGE_N_KINDS && action < TSR_MERGE_N_ACTIONS, 0);
  return plan->counts[kind][action];
}

/**
 * tsr_merge_plan_is_empty:
 *
 * Returns: %TRUE when merging would write nothing
 */
gboolean
tsr_merge_plan_is_empty (TsrMergePlan *plan)
{
  for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
    if (plan->counts[k][TSR_MERGE_ADD] > 0)
      return FALSE;
  for (guint i = 0; i < plan->notes->len; i++)
    {
      Note *n = &g_array_index (plan->notes, Note, i);
      /* Filled-in definitions and appended memos write too. */
      if (n->action == TSR_MERGE_ADD ||
          (n->action == TSR_MERGE_CONFLICT && (n->kind == TSR_MERGE_MEMOS || n->kind == TSR_MERGE_JOURNAL)))
        return FALSE;
    }
  return TRUE;
}

guint
tsr_merge_plan_get_n_notes (TsrMergePlan *plan)
{
  return plan->notes->len;
}

/**
 * tsr_merge_plan_get_note:
 * @kind: (out) (optional): what it is about
 * @action: (out) (optional): what happens
 *
 * Returns: (transfer none): one line of the plan, for a person to read
 */
const char *
tsr_merge_plan_get_note (TsrMergePlan   *plan,
                         guint           index,
                         TsrMergeKind   *kind,
                         TsrMergeAction *action)
{
  Note *n;

  g_return_val_if_fail (index < plan->notes->len, NULL);
  n = &g_array_index (plan->notes, Note, index);
  if (kind)
    *kind = n->kind;
  if (action)
    *action = n->action;
  return n->text;
}

/**
 * tsr_merge_plan_format:
 *
 * Returns: (transfer full): the plan as text: what is added, what is
 *   already here, the conflicts and what is left out
 */
char *
tsr_merge_plan_format (TsrMergePlan *plan)
{
  static const char * const kind_labels[] = {
    N_("Coders"), N_("Documents"), N_("Codes"), N_("Coded passages"), N_("Memos"), N_("Journal entries"),
    N_("Themes"), N_("Codes in themes"), N_("Map positions and links"), N_("Cases"), N_("Attributes"),
    N_("Resolved disagreements"), N_("Documents marked done"),
  };
  GString *out = g_string_new (NULL);

  G_STATIC_ASSERT (G_N_ELEMENTS (kind_labels) == TSR_MERGE_N_KINDS);
  g_string_append_printf (out, _("Merging “%s” (%s)\n"), plan->other_title, plan->other_path);
  if (tsr_merge_plan_is_empty (plan))
    g_string_append (out, _("Nothing to add: everything in it is already in this project.\n"));

  g_string_append_printf (out, "\n%-26s %8s %8s %8s %8s\n", "", _("add"), _("here"), _("conflict"), _("left out"));
  for (guint k = 0; k < TSR_MERGE_N_KINDS; k++)
    {
      guint *c = plan->counts[k];

      if (c[0] + c[1] + c[2] + c[3] == 0)
        continue;
      g_string_append_printf (out, "%-26s %8u %8u %8u %8u\n", _(kind_labels[k]), c[TSR_MERGE_ADD],
                              c[TSR_MERGE_MATCH], c[TSR_MERGE_CONFLICT], c[TSR_MERGE_SKIP]);
    }

  if (plan->notes->len > 0)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < plan->notes->len; i++)
    {
      Note *n = &g_array_index (plan->notes, Note, i);
      const char *mark = n->action == TSR_MERGE_ADD ? "+" : n->action == TSR_MERGE_MATCH ? "="
                       : n->action == TSR_MERGE_CONFLICT ? "!" : "-";

      g_string_append_printf (out, "%s %s\n", mark, n->text);
    }
  return g_string_free (out, FALSE);
}
