/* tsr-entity-list-private.h — a live list of entities for views to bind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tsr-entities.h"

G_BEGIN_DECLS

/* Loads the current rows; returns NULL with @error set on failure. */
typedef GPtrArray *(*TsrEntityListLoader) (gpointer   owner,
                                           gint64     key,
                                           GError   **error);

#define TSR_TYPE_ENTITY_LIST (tsr_entity_list_get_type ())
G_DECLARE_FINAL_TYPE (TsrEntityList, tsr_entity_list, TSR, ENTITY_LIST, GObject)

TsrEntityList *tsr_entity_list_new    (GType                item_type,
                                       TsrEntityListLoader  loader,
                                       gpointer             owner,
                                       gint64               key,
                                       guint                change_mask);
guint          tsr_entity_list_get_change_mask (TsrEntityList *self);
void           tsr_entity_list_reload (TsrEntityList *self);
void           tsr_entity_list_detach (TsrEntityList *self);

G_END_DECLS
