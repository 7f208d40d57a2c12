/* tsr-theme-map-items.c — the theme map's accessible items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "tsr-theme-map-private.h"

/* What a screen reader (and a test moving a pointer) finds of a drawn
 * theme or chip: an empty child at the item's place, with its name and
 * role.  GTK 4.8 gives a custom-drawn widget no accessible objects of its
 * own; these take no input (the map handles every event) and draw
 * nothing. */
#define TSR_TYPE_MAP_ITEM (tsr_map_item_get_type ())
G_DECLARE_FINAL_TYPE (TsrMapItem, tsr_map_item, TSR, MAP_ITEM, GtkWidget)

struct _TsrMapItem
{
  GtkWidget parent_instance;
  TsrMapHit hit;
  guint     index;   /* of its theme box or chip in the layout */
};

G_DEFINE_FINAL_TYPE (TsrMapItem, tsr_map_item, GTK_TYPE_WIDGET)

static void
tsr_map_item_class_init (TsrMapItemClass *klass)
{
}

static void
tsr_map_item_init (TsrMapItem *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
}

void
_tsr_theme_map_clear_items (TsrThemeMap *self)
{
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->items, i));
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);
}

static void
add_item (TsrThemeMap       *self,
          const TsrMapHit   *hit,
          guint              index,
          const char        *name,
          GtkAccessibleRole  role)
{
  TsrMapItem *item = g_object_new (TSR_TYPE_MAP_ITEM, "accessible-role", role, NULL);
  g_autofree char *label = _tsr_theme_map_describe (self, hit);

  item->hit = *hit;
  item->index = index;
  gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
  gtk_widget_set_parent (GTK_WIDGET (item), GTK_WIDGET (self));
  g_ptr_array_add (self->items, item);
}

void
_tsr_theme_map_rebuild_items (TsrThemeMap *self)
{
  _tsr_theme_map_clear_items (self);
  if (self->layout == NULL)
    return;

  for (guint i = 0; i < tsr_map_layout_get_n_themes (self->layout); i++)
    {
      const TsrMapThemeBox *box = tsr_map_layout_get_theme (self->layout, i);
      TsrMapHit hit = { TSR_MAP_HIT_THEME, box->id, 0, 0 };

      add_item (self, &hit, i, box->name, GTK_ACCESSIBLE_ROLE_GROUP);
    }
  for (guint i = 0; i < tsr_map_layout_get_n_chips (self->layout); i++)
    {
      const TsrMapChip *chip = tsr_map_layout_get_chip (self->layout, i);
      TsrMapHit hit = { TSR_MAP_HIT_CHIP, chip->theme_id, chip->code_id, 0 };

      add_item (self, &hit, i, chip->name, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
_tsr_theme_map_allocate_items (TsrThemeMap *self)
{
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      TsrMapItem *item = g_ptr_array_index (self->items, i);
      const TsrMapRect *rect;
      GtkAllocation alloc;
      double x0, y0, x1, y1;

      /* The items are made anew with each layout, in its order: found by
       * index, not searched for, on every pan and zoom. */
      if (item->hit.kind == TSR_MAP_HIT_THEME)
        rect = &tsr_map_layout_get_theme (self->layout, item->index)->rect;
      else
        rect = &tsr_map_layout_get_chip (self->layout, item->index)->rect;

      tsr_theme_map_world_to_widget (self, rect->x, rect->y, &x0, &y0);
      tsr_theme_map_world_to_widget (self, rect->x + rect->width, rect->y + rect->height, &x1, &y1);
      alloc.x = (int) floor (x0);
      alloc.y = (int) floor (y0);
      alloc.width = MAX (1, (int) ceil (x1) - alloc.x);
      alloc.height = MAX (1, (int) ceil (y1) - alloc.y);
      gtk_widget_measure (GTK_WIDGET (item), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_size_allocate (GTK_WIDGET (item), &alloc, -1);
    }
}
