/* tsr-entity-list.c — a live list of entities for views to bind
 *
 * On reload, rows whose id is already in the list keep their object,
 * updated in place, so that widgets bound to it and selections in list
 * views survive an edit; only the run of items that really changed is
 * spliced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-entities-private.h"
#include "tsr-entity-list-private.h"

struct _TsrEntityList
{
  GObject              parent_instance;

  GType                item_type;
  TsrEntityListLoader  loader;
  gpointer             owner;     /* not owned: the project detaches us */
  gint64               key;
  guint                change_mask;
  GPtrArray           *items;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsrEntityList, tsr_entity_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return TSR_ENTITY_LIST (model)->item_type;
}

static guint
get_n_items (GListModel *model)
{
  return TSR_ENTITY_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TsrEntityList *self = TSR_ENTITY_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
tsr_entity_list_finalize (GObject *object)
{
  TsrEntityList *self = TSR_ENTITY_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (tsr_entity_list_parent_class)->finalize (object);
}

static void
tsr_entity_list_class_init (TsrEntityListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_entity_list_finalize;
}

static void
tsr_entity_list_init (TsrEntityList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

TsrEntityList *
tsr_entity_list_new (GType                item_type,
                     TsrEntityListLoader  loader,
                     gpointer             owner,
                     gint64               key,
                     guint                change_mask)
{
  TsrEntityList *self = g_object_new (TSR_TYPE_ENTITY_LIST, NULL);

  self->item_type = item_type;
  self->loader = loader;
  self->owner = owner;
  self->key = key;
  self->change_mask = change_mask;

  tsr_entity_list_reload (self);

  return self;
}

guint
tsr_entity_list_get_change_mask (TsrEntityList *self)
{
  return self->change_mask;
}

void
tsr_entity_list_detach (TsrEntityList *self)
{
  self->owner = NULL;
}

static gboolean
same_id (gpointer a,
         gpointer b)
{
  return tsr_entity_get_id (a) == tsr_entity_get_id (b);
}

void
tsr_entity_list_reload (TsrEntityList *self)
{
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) old_by_id = NULL;
  guint old_len = self->items->len;
  guint prefix = 0;
  guint suffix = 0;
  guint removed, added;

  if (self->owner == NULL)
    return;

  fresh = self->loader (self->owner, self->key, &error);
  if (fresh == NULL)
    {
      /* A failing read leaves the last good list in place. */
      g_debug ("Could not reload list: %s", error->message);
      return;
    }

  while (prefix < old_len && prefix < fresh->len &&
         same_id (self->items->pdata[prefix], fresh->pdata[prefix]))
    {
      _tsr_entity_update_from (self->items->pdata[prefix], fresh->pdata[prefix]);
      prefix++;
    }
  while (suffix < old_len - prefix && suffix < fresh->len - prefix &&
         same_id (self->items->pdata[old_len - 1 - suffix], fresh->pdata[fresh->len - 1 - suffix]))
    {
      _tsr_entity_update_from (self->items->pdata[old_len - 1 - suffix],
                               fresh->pdata[fresh->len - 1 - suffix]);
      suffix++;
    }

  removed = old_len - prefix - suffix;
  added = fresh->len - prefix - suffix;
  if (removed == 0 && added == 0)
    return;

  /* Objects that moved keep their identity. */
  old_by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = prefix; i < prefix + removed; i++)
    {
      gint64 id = tsr_entity_get_id (self->items->pdata[i]);
      g_hash_table_insert (old_by_id, g_memdup2 (&id, sizeof id), self->items->pdata[i]);
    }

  {
    g_autoptr(GPtrArray) middle = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = prefix; i < prefix + added; i++)
      {
        TsrEntity *f = fresh->pdata[i];
        gint64 id = tsr_entity_get_id (f);
        TsrEntity *old = g_hash_table_lookup (old_by_id, &id);

        if (old != NULL)
          {
            _tsr_entity_update_from (old, f);
            g_ptr_array_add (middle, g_object_ref (old));
          }
        else
          g_ptr_array_add (middle, g_object_ref (f));
      }

    g_ptr_array_remove_range (self->items, prefix, removed);
    for (guint i = 0; i < middle->len; i++)
      g_ptr_array_insert (self->items, prefix + i, g_object_ref (middle->pdata[i]));
  }

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}
