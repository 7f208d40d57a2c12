/* tsr-session.c — what a window's views share: the open project, who is
 * coding, whose coding counts
 *
 * One per window, as Sysprof keeps one SysprofSession per window: the
 * window sets the project it opens or closes, and every view follows
 * the session's "project" instead of being handed the project one by
 * one.  The coder and the default scope are the project's own
 * (tsr_project_get_current_coder (), tsr_project_dup_default_scope ()),
 * kept here so that a view reads them without asking the project again
 * and is told when they change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tsr-session.h"

/* A project whose file (with its journal) is smaller than this holds
 * fewer passages than that, so reading all of them takes less than a
 * frame: views read it at once rather than in a worker. */
#define SMALL_PROJECT_BYTES (16 * 1024 * 1024)

struct _TsrSession
{
  GObject     parent_instance;

  TsrProject *project;
  gulong      changed_handler;
  gulong      coder_handler;

  /* The project's default scope: whose coding counts until the
   * researcher chooses. */
  TsrScope   *scope;
};

G_DEFINE_FINAL_TYPE (TsrSession, tsr_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_CODER,
  PROP_SCOPE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Helpers ------------------------------------------------------------ */

static gboolean
scope_equal (const TsrScope *a,
             const TsrScope *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return tsr_scope_get_mode (a) == tsr_scope_get_mode (b) &&
         tsr_scope_get_coder_id (a) == tsr_scope_get_coder_id (b);
}

static void
update_scope (TsrSession *self)
{
  g_autoptr(TsrScope) scope = NULL;

  if (self->project != NULL)
    scope = tsr_project_dup_default_scope (self->project);

  if (scope_equal (scope, self->scope))
    return;

  g_clear_pointer (&self->scope, tsr_scope_free);
  self->scope = g_steal_pointer (&scope);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCOPE]);
}

/* Callbacks ---------------------------------------------------------- */

static void
on_project_changed_cb (TsrProject *project,
                       TsrChange   change,
                       TsrSession *self)
{
  /* Whose coding counts by default can change with any coding. */
  if (change & (TSR_CHANGE_SEGMENTS | TSR_CHANGE_CODERS))
    update_scope (self);
}

static void
on_project_notify_current_coder_cb (TsrProject *project,
                                    GParamSpec *pspec,
                                    TsrSession *self)
{
  update_scope (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CODER]);
}

/* GObject ------------------------------------------------------------ */

static void
tsr_session_dispose (GObject *object)
{
  TsrSession *self = TSR_SESSION (object);

  tsr_session_set_project (self, NULL);

  G_OBJECT_CLASS (tsr_session_parent_class)->dispose (object);
}

static void
tsr_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TsrSession *self = TSR_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_CODER:
      g_value_set_object (value, tsr_session_get_coder (self));
      break;

    case PROP_SCOPE:
      g_value_set_boxed (value, self->scope);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TsrSession *self = TSR_SESSION (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      tsr_session_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_session_class_init (TsrSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsr_session_dispose;
  object_class->get_property = tsr_session_get_property;
  object_class->set_property = tsr_session_set_property;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TSR_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The project's current coder. */
  properties [PROP_CODER] =
    g_param_spec_object ("coder", NULL, NULL,
                         TSR_TYPE_CODER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The project's default scope; notified only when it changes. */
  properties [PROP_SCOPE] =
    g_param_spec_boxed ("scope", NULL, NULL,
                        TSR_TYPE_SCOPE,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsr_session_init (TsrSession *self)
{
}

/* Public API --------------------------------------------------------- */

TsrSession *
tsr_session_new (void)
{
  return g_object_new (TSR_TYPE_SESSION, NULL);
}

/**
 * tsr_session_get_project:
 *
 * Returns: (transfer none) (nullable): the open project
 */
TsrProject *
tsr_session_get_project (TsrSession *self)
{
  g_return_val_if_fail (TSR_IS_SESSION (self), NULL);

  return self->project;
}

/**
 * tsr_session_set_project:
 * @project: (nullable): the project opened, or %NULL when it closes
 *
 * Tells every view following the session which project to show.  The
 * window owning the session opens and closes the project; the session
 * only holds a reference.
 */
void
tsr_session_set_project (TsrSession *self,
                         TsrProject *project)
{
  g_return_if_fail (TSR_IS_SESSION (self));
  g_return_if_fail (!project || TSR_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->changed_handler, self->project);
      g_clear_signal_handler (&self->coder_handler, self->project);
    }
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      /* Connected before anyone else learns of the project, so that the
       * scope is current when their handlers of "changed" run. */
      self->changed_handler =
        g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
      self->coder_handler =
        g_signal_connect (project, "notify::current-coder",
                          G_CALLBACK (on_project_notify_current_coder_cb), self);
    }

  update_scope (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CODER]);
}

/**
 * tsr_session_get_coder:
 *
 * Returns: (transfer none) (nullable): who is coding in the open project
 */
TsrCoder *
tsr_session_get_coder (TsrSession *self)
{
  g_return_val_if_fail (TSR_IS_SESSION (self), NULL);

  return self->project ? tsr_project_get_current_coder (self->project) : NULL;
}

/**
 * tsr_session_get_scope:
 *
 * Returns: (transfer none) (nullable): whose coding counts by default
 *   in the open project (tsr_project_dup_default_scope ()), or %NULL
 *   without a project
 */
const TsrScope *
tsr_session_get_scope (TsrSession *self)
{
  g_return_val_if_fail (TSR_IS_SESSION (self), NULL);

  return self->scope;
}

/**
 * tsr_session_project_is_small:
 * @project: (nullable): a project
 *
 * Whether @project is small enough for a view to read all its
 * coding on the main thread within a frame, as tests and small projects
 * want (the numbers right from the first frame); a large one is read in
 * a worker, the view showing what it had until the result comes.
 *
 * Returns: %TRUE for a small project (or none)
 */
gboolean
tsr_session_project_is_small (TsrProject *project)
{
  static const char * const suffixes[] = { "", "-wal" };
  const char *path;
  gint64 bytes = 0;

  if (project == NULL || (path = tsr_project_get_path (project)) == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (name, &st) == 0)
        bytes += st.st_size;
    }
  return bytes < SMALL_PROJECT_BYTES;
}

typedef struct
{
  gpointer              view;
  TsrSessionProjectFunc func;
} Follower;

static void
on_follower_notify_project_cb (TsrSession *self,
                               GParamSpec *pspec,
                               Follower   *follower)
{
  follower->func (follower->view, self->project);
}

static void
follower_free (gpointer  data,
               GClosure *closure)
{
  g_free (data);
}

/**
 * tsr_session_follow_project:
 * @view: a view (any #GObject)
 * @func: shows a project in @view, or empties it for %NULL
 *
 * Shows the session's project in @view now and whenever it changes,
 * for as long as @view lives: the one way a view gets the project.
 */
void
tsr_session_follow_project (TsrSession            *self,
                            gpointer               view,
                            TsrSessionProjectFunc  func)
{
  Follower *follower;
  GClosure *closure;

  g_return_if_fail (TSR_IS_SESSION (self));
  g_return_if_fail (G_IS_OBJECT (view));
  g_return_if_fail (func != NULL);

  follower = g_new0 (Follower, 1);
  follower->view = view;
  follower->func = func;
  closure = g_cclosure_new (G_CALLBACK (on_follower_notify_project_cb), follower, follower_free);
  g_object_watch_closure (G_OBJECT (view), closure);
  g_signal_connect_closure (self, "notify::project", closure, FALSE);

  if (self->project != NULL)
    func (view, self->project);
}
