/* tsr-theme-map.c — the theme map canvas
 *
 * The geometry comes from the core (tsr-map-layout), and so does the
 * drawing (tsr-map-render): the canvas appends one cairo node of the
 * visible part, the exports draw the whole map the same way.  Every edit
 * goes through the project's operations, so all of it can be undone.
 *
 * Pointer: drag a theme to move it (onto another theme to nest it), a
 * chip to move its code to another theme (Ctrl to copy; onto empty space
 * for a new theme), empty space to pan; Ctrl+scroll or pinch to zoom.
 * Keyboard: Tab and the arrow keys select, Ctrl+arrows move, Delete
 * removes, F2 renames, Enter opens the theme's card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tsr-theme-map.h"
#include "tsr-toast.h"

#define MIN_ZOOM        0.1
#define MAX_ZOOM        4.0
#define DRAG_THRESHOLD  4.0
#define KEY_STEP       16.0
#define FIT_MARGIN     32.0
/* The map opens at its natural size, where a chip's text is set at 11 px:
 * fitting a big map instead made it unreadable (7 px at 57 %). */
#define OPEN_ZOOM       1.0
#define TILE_SIZE     256          /* logical pixels */
#define MAX_TILES     400
#define SETTLE_MS     160

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_ITEM,
  DRAG_LINK,
} DragMode;

struct _TsrThemeMap
{
  GtkWidget        parent_instance;

  TsrProject      *project;
  gulong           changed_handler;
  TsrCounts       *counts;
  TsrThemeTally   *tally;        /* not owned */

  TsrMapRenderer  *renderer;
  TsrMapModel     *model;
  TsrMapLayout    *layout;

  double           zoom;
  double           origin_x;
  double           origin_y;
  gboolean         needs_fit;

  TsrMapHit        selection;
  TsrMapHit        hover;
  char            *selection_label;

  DragMode         drag_mode;
  TsrMapHit        drag_hit;
  gboolean         drag_moved;
  double           drag_start_x;
  double           drag_start_y;
  double           drag_origin_x;
  double           drag_origin_y;
  double           drag_dx;
  double           drag_dy;
  gboolean         drag_copy;
  gint64           drop_theme;

  gboolean         link_mode;
  gint64           link_from;
  double           link_x;
  double           link_y;

  double           pointer_x;
  double           pointer_y;
  double           zoom_start;
  gboolean         defer_notify;
  guint            notify_source;

  /* The base layer, drawn once into tiles and reused while panning. */
  GHashTable      *tiles;          /* gint64 (i, j) → GdkTexture */
  double           tile_zoom;
  int              tile_scale;
  gboolean         tile_dark;
  guint            settle_source;
  guint            n_tiles_drawn;
  gint64           snapshot_us;

  GtkWidget       *editor;
  GtkWidget       *editor_entry;
  GtkWidget       *editor_label;
  TsrMapHit        editing;
  GtkWidget       *context_menu;

  /* One accessible child per theme and chip, laid over what is drawn. */
  GPtrArray       *items;
  gboolean         in_allocate;
};

G_DEFINE_FINAL_TYPE (TsrThemeMap, tsr_theme_map, GTK_TYPE_WIDGET)

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

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_ZOOM,
  PROP_LINK_MODE,
  PROP_SELECTION_LABEL,
  PROP_THEME_STATUS,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  ACTIVATE_THEME,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void open_editor (TsrThemeMap     *self,
                         const TsrMapHit *hit);


/* The accessible items ------------------------------------------------ */

static void
clear_items (TsrThemeMap *self)
{
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->items, i));
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);
}

static char *describe (TsrThemeMap     *self,
                       const TsrMapHit *hit);

static void
add_item (TsrThemeMap       *self,
          const TsrMapHit   *hit,
          guint              index,
          const char        *name,
          GtkAccessibleRole  role)
{
  TsrMapItem *item = g_object_new (TSR_TYPE_MAP_ITEM, "accessible-role", role, NULL);
  g_autofree char *label = describe (self, hit);

  item->hit = *hit;
  item->index = index;
  gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
  gtk_widget_set_parent (GTK_WIDGET (item), GTK_WIDGET (self));
  g_ptr_array_add (self->items, item);
}

static void
rebuild_items (TsrThemeMap *self)
{
  clear_items (self);
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

static void
allocate_items (TsrThemeMap *self)
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

/* The view moved or zoomed: redraw, and move the items with it. */
static void
view_changed (TsrThemeMap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (!self->in_allocate)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Helpers ------------------------------------------------------------ */

static void
show_message (TsrThemeMap *self,
              const char  *message)
{
  if (!tsr_toast_show (GTK_WIDGET (self), message))
    g_message ("%s", message);
}

static void
report (TsrThemeMap *self,
        GError      *error)
{
  if (error != NULL)
    show_message (self, error->message);
}

void
tsr_theme_map_widget_to_world (TsrThemeMap *self,
                               double       x,
                               double       y,
                               double      *wx,
                               double      *wy)
{
  *wx = self->origin_x + x / self->zoom;
  *wy = self->origin_y + y / self->zoom;
}

void
tsr_theme_map_world_to_widget (TsrThemeMap *self,
                               double       wx,
                               double       wy,
                               double      *x,
                               double      *y)
{
  *x = (wx - self->origin_x) * self->zoom;
  *y = (wy - self->origin_y) * self->zoom;
}

static char *
theme_name (TsrThemeMap *self,
            gint64       id)
{
  const TsrMapThemeBox *box = self->layout ? tsr_map_layout_find_theme (self->layout, id) : NULL;

  return g_strdup (box ? box->name : "");
}

static char *
describe (TsrThemeMap     *self,
          const TsrMapHit *hit)
{
  switch (hit->kind)
    {
    case TSR_MAP_HIT_THEME:
      {
        const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, hit->theme_id);
        guint n_sub = 0;

        if (box == NULL)
          break;
        for (guint i = 0; i < tsr_map_layout_get_n_themes (self->layout); i++)
          if (tsr_map_layout_get_theme (self->layout, i)->parent_id == box->id)
            n_sub++;
        {
          g_autofree char *codes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code", "%u codes",
                                                                 box->n_codes), box->n_codes);
          g_autofree char *subs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sub-theme", "%u sub-themes",
                                                                n_sub), n_sub);

          /* Translators: the selected theme on the map: name, n, codes, sub-themes, status */
          return g_strdup_printf (_("Theme “%s”, n = %u, %s, %s, %s"), box->name, box->n, codes, subs,
                                  tsr_theme_status_to_string (box->status));
        }
      }
    case TSR_MAP_HIT_CHIP:
      {
        const TsrMapChip *chip = tsr_map_layout_find_chip (self->layout, hit->theme_id, hit->code_id);
        g_autofree char *name = theme_name (self, hit->theme_id);

        if (chip == NULL)
          break;
        return g_strdup_printf (_("Code “%s” in theme “%s”"), chip->name, name);
      }
    case TSR_MAP_HIT_LINK:
      {
        const TsrMapArrow *arrow = tsr_map_layout_find_arrow (self->layout, hit->link_id);
        g_autofree char *from = NULL;
        g_autofree char *to = NULL;

        if (arrow == NULL)
          break;
        from = theme_name (self, arrow->from_theme);
        to = theme_name (self, arrow->to_theme);
        if (arrow->label[0] != '\0')
          return g_strdup_printf (_("Link from “%s” to “%s”: %s"), from, to, arrow->label);
        return g_strdup_printf (_("Link from “%s” to “%s”"), from, to);
      }
    case TSR_MAP_HIT_NONE:
    default:
      break;
    }
  return g_strdup (_("Nothing selected"));
}

static void
update_selection_label (TsrThemeMap *self)
{
  g_autofree char *label = describe (self, &self->selection);

  if (g_strcmp0 (label, self->selection_label) == 0)
    return;
  g_free (self->selection_label);
  self->selection_label = g_steal_pointer (&label);

  /* Custom-drawn items are not accessible objects in GTK 4.8: the
   * selected item is announced through the canvas' description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->selection_label,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTION_LABEL]);
}

static void place_view (TsrThemeMap *self,
                        gboolean     whole);

static void
update_actions (TsrThemeMap *self)
{
  TsrMapHitKind kind = self->selection.kind;
  gboolean sub = FALSE;

  if (kind == TSR_MAP_HIT_THEME && self->layout != NULL)
    {
      const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
      sub = box != NULL && box->parent_id != 0;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.rename",
                                 kind == TSR_MAP_HIT_THEME || kind == TSR_MAP_HIT_LINK);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.delete", kind != TSR_MAP_HIT_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.link-to", kind == TSR_MAP_HIT_THEME);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.lift", sub);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.open-card", kind == TSR_MAP_HIT_THEME);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.status", kind == TSR_MAP_HIT_THEME);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_THEME_STATUS]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "map.new-theme", self->project != NULL);
}

static void
set_selection (TsrThemeMap     *self,
               const TsrMapHit *hit)
{
  TsrMapHit none = { TSR_MAP_HIT_NONE, 0, 0, 0 };

  if (hit == NULL)
    hit = &none;
  if (tsr_map_hit_equal (&self->selection, hit))
    {
      update_selection_label (self);
      return;
    }
  self->selection = *hit;
  update_selection_label (self);
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals [SELECTION_CHANGED], 0);
}

static gboolean
hit_exists (TsrThemeMap     *self,
            const TsrMapHit *hit)
{
  TsrMapRect r;

  if (hit->kind == TSR_MAP_HIT_NONE)
    return TRUE;
  if (self->layout == NULL)
    return FALSE;
  if (hit->kind == TSR_MAP_HIT_LINK)
    return tsr_map_layout_find_arrow (self->layout, hit->link_id) != NULL;
  r = tsr_map_layout_hit_rect (self->layout, hit);
  return r.width > 0;
}

static void
invalidate_tiles (TsrThemeMap *self)
{
  g_hash_table_remove_all (self->tiles);
}

static void
rebuild (TsrThemeMap *self)
{
  invalidate_tiles (self);
  g_clear_pointer (&self->layout, tsr_map_layout_free);
  g_clear_pointer (&self->model, tsr_map_model_free);

  if (self->project != NULL)
    {
      self->model = tsr_map_model_new_from_project (self->project, self->counts);
      if (self->tally != NULL)
        {
          g_autoptr(GPtrArray) themes = tsr_project_list_all_themes (self->project);

          for (guint i = 0; themes != NULL && i < themes->len; i++)
            {
              gint64 id = tsr_entity_get_id (g_ptr_array_index (themes, i));
              tsr_map_model_set_n (self->model, id, tsr_theme_tally_get_theme_n (self->tally, id));
            }
        }
      self->layout = tsr_map_layout_compute (self->model, tsr_map_renderer_measure, self->renderer);
    }
  rebuild_items (self);

  if (!hit_exists (self, &self->selection))
    set_selection (self, NULL);
  else
    {
      update_selection_label (self);
      update_actions (self);
    }
  if (!hit_exists (self, &self->hover))
    self->hover.kind = TSR_MAP_HIT_NONE;

  if (self->needs_fit && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    place_view (self, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_visible (TsrThemeMap     *self,
                const TsrMapHit *hit)
{
  TsrMapRect r = tsr_map_layout_hit_rect (self->layout, hit);
  double w = gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom;
  double h = gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom;
  double x = self->origin_x, y = self->origin_y;

  if (r.width <= 0 || w <= 0)
    return;
  if (r.x < x)
    x = r.x - 16;
  else if (r.x + r.width > x + w)
    x = MIN (r.x - 16, r.x + r.width + 16 - w);
  if (r.y < y)
    y = r.y - 16;
  else if (r.y + r.height > y + h)
    y = MIN (r.y - 16, r.y + r.height + 16 - h);
  tsr_theme_map_set_origin (self, x, y);
}

static char *
unique_theme_name (TsrThemeMap *self,
                   const char  *base)
{
  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup (base) : g_strdup_printf ("%s %u", base, i);
      g_autoptr(TsrTheme) existing = tsr_project_find_theme (self->project, name);

      if (existing == NULL)
        return g_steal_pointer (&name);
    }
  return g_strdup (base);
}

/* A new candidate theme with its top-left corner near (@wx, @wy), placed
 * where it overlaps nothing; one undoable step with what @fill adds. */
static gint64
create_theme_at (TsrThemeMap  *self,
                 const char   *name,
                 double        wx,
                 double        wy,
                 gint64        code_id,
                 gint64        from_theme,
                 GError      **error)
{
  g_autofree char *description = g_strdup_printf (_("Create theme “%s”"), name);
  double x = wx, y = wy;
  gint64 id;
  gboolean ok;

  if (self->layout != NULL)
    tsr_map_layout_free_spot (self->layout, TSR_MAP_MIN_WIDTH, TSR_MAP_HEADER_HEIGHT + TSR_MAP_EMPTY_HEIGHT + 24,
                              wx, wy, &x, &y);

  tsr_project_begin_group (self->project, description);
  id = tsr_project_create_theme (self->project, 0, name, error);
  ok = id != 0 && tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, id, x, y, error);
  if (ok && code_id != 0)
    ok = tsr_project_add_code_to_theme (self->project, id, code_id, error);
  if (ok && from_theme != 0)
    ok = tsr_project_remove_code_from_theme (self->project, from_theme, code_id, error);
  if (!tsr_project_end_group (self->project, ok ? error : NULL) || !ok)
    {
      /* Take back what the group did before the failure. */
      if (id != 0 && ok == FALSE)
        tsr_project_undo (self->project, NULL);
      return 0;
    }
  return id;
}

static TsrCode *
find_code_by_uuid (TsrThemeMap *self,
                   const char  *uuid)
{
  g_autoptr(GPtrArray) codes = tsr_project_list_all_codes (self->project);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    if (g_strcmp0 (tsr_entity_get_uuid (g_ptr_array_index (codes, i)), uuid) == 0)
      return g_object_ref (g_ptr_array_index (codes, i));
  return NULL;
}

/* Moves (or with @copy, copies) a code from one theme into another, or
 * into a new theme at (@wx, @wy) when @target is 0. */
static gboolean
place_code (TsrThemeMap  *self,
            gint64        code_id,
            const char   *code_name,
            gint64        from_theme,
            gint64        target,
            gboolean      copy,
            double        wx,
            double        wy,
            GError      **error)
{
  g_autofree char *description = NULL;
  g_autofree char *target_name = NULL;
  g_autoptr(GArray) existing = NULL;
  gboolean ok, already = FALSE;

  if (target == 0)
    {
      g_autofree char *name = unique_theme_name (self, code_name);
      gint64 id = create_theme_at (self, name, wx - 20, wy - 20, code_id, copy ? 0 : from_theme, error);

      if (id != 0)
        {
          TsrMapHit hit = { TSR_MAP_HIT_THEME, id, 0, 0 };
          set_selection (self, &hit);
        }
      return id != 0;
    }

  if (target == from_theme)
    return TRUE;

  existing = tsr_project_get_theme_codes (self->project, target);
  for (guint i = 0; i < existing->len; i++)
    already |= g_array_index (existing, gint64, i) == code_id;

  target_name = theme_name (self, target);
  description = g_strdup_printf (copy || from_theme == 0 ? _("Add “%s” to theme “%s”")
                                                         : _("Move “%s” to theme “%s”"),
                                 code_name, target_name);
  tsr_project_begin_group (self->project, description);
  ok = already || tsr_project_add_code_to_theme (self->project, target, code_id, error);
  if (ok && !copy && from_theme != 0)
    ok = tsr_project_remove_code_from_theme (self->project, from_theme, code_id, error);
  ok = tsr_project_end_group (self->project, ok ? error : NULL) && ok;

  if (ok)
    {
      TsrMapHit hit = { TSR_MAP_HIT_CHIP, target, code_id, 0 };
      set_selection (self, &hit);
    }
  return ok;
}

/* Puts a code dropped at (@x, @y) into the theme there, or into a new
 * theme when the place is empty. */
static gboolean
drop_code_at (TsrThemeMap  *self,
              TsrCode      *code,
              double        x,
              double        y,
              GError      **error)
{
  double wx, wy;
  gint64 target;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  target = self->layout ? tsr_map_layout_theme_at (self->layout, wx, wy, 0) : 0;
  return place_code (self, tsr_entity_get_id (TSR_ENTITY (code)), tsr_code_get_name (code),
                     0, target, TRUE, wx, wy, error);
}

/**
 * tsr_theme_map_drop_code:
 * @drag_text: what was dropped: "tessera-code:" and a code's UUID
 * @x: where, in widget coordinates
 *
 * Puts the code into the theme under (@x, @y), or into a new candidate
 * theme there when the place is empty: what a drop from the bin (or from
 * another program, as text) does.  A #TsrCode dropped from the code tree
 * is placed the same way.
 */
gboolean
tsr_theme_map_drop_code (TsrThemeMap  *self,
                         const char   *drag_text,
                         double        x,
                         double        y,
                         GError      **error)
{
  g_autoptr(TsrCode) code = NULL;

  g_return_val_if_fail (TSR_IS_THEME_MAP (self), FALSE);

  if (self->project == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("No project is open"));
      return FALSE;
    }
  if (drag_text == NULL || !g_str_has_prefix (drag_text, TSR_CODE_DRAG_PREFIX))
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("Only codes can be dropped on the theme map"));
      return FALSE;
    }
  code = find_code_by_uuid (self, drag_text + strlen (TSR_CODE_DRAG_PREFIX));
  if (code == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_FOUND,
                           _("The dropped code is not in this project"));
      return FALSE;
    }
  return drop_code_at (self, code, x, y, error);
}

static void
finish_theme_drag (TsrThemeMap *self,
                   double       wx,
                   double       wy)
{
  const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->drag_hit.theme_id);
  g_autoptr(GError) error = NULL;
  gint64 id, target;

  if (box == NULL)
    return;
  id = box->id;
  target = tsr_map_layout_theme_at (self->layout, wx, wy, id);

  if (target != 0 && target != box->parent_id)
    {
      if (!tsr_map_model_can_nest (self->model, id, target))
        show_message (self, _("A theme cannot be nested inside one of its own sub-themes"));
      else if (!tsr_project_move_theme (self->project, id, target, -1, &error))
        report (self, error);
    }
  else if (target == 0 && box->parent_id != 0)
    {
      g_autofree char *description = g_strdup_printf (_("Make “%s” a theme of its own"), box->name);
      gboolean ok;

      tsr_project_begin_group (self->project, description);
      ok = tsr_project_move_theme (self->project, id, 0, -1, &error) &&
           tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, id,
                                         box->rect.x + self->drag_dx, box->rect.y + self->drag_dy, &error);
      if (!tsr_project_end_group (self->project, ok ? &error : NULL) || !ok)
        report (self, error);
    }
  else if (target == 0)
    {
      if (!tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, id,
                                         box->rect.x + self->drag_dx, box->rect.y + self->drag_dy, &error))
        report (self, error);
    }
}

static void
finish_chip_drag (TsrThemeMap *self,
                  double       wx,
                  double       wy)
{
  const TsrMapChip *chip = tsr_map_layout_find_chip (self->layout, self->drag_hit.theme_id,
                                                     self->drag_hit.code_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 target;

  if (chip == NULL)
    return;
  name = g_strdup (chip->name);
  target = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
  if (!place_code (self, chip->code_id, name, chip->theme_id, target, self->drag_copy, wx, wy, &error))
    report (self, error);
}

static void
finish_link (TsrThemeMap *self,
             gint64       to)
{
  g_autoptr(GError) error = NULL;
  gint64 from = self->link_from;
  gint64 id;

  self->link_from = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (to == 0 || to == from)
    return;

  id = tsr_project_add_map_link (self->project, from, to, "", &error);
  if (id == 0)
    {
      report (self, error);
      return;
    }
  {
    TsrMapHit hit = { TSR_MAP_HIT_LINK, 0, 0, id };

    set_selection (self, &hit);
    open_editor (self, &hit);
  }
}

static void
delete_selection (TsrThemeMap *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (self->selection.kind)
    {
    case TSR_MAP_HIT_THEME:
      ok = tsr_project_delete_theme (self->project, self->selection.theme_id, &error);
      break;
    case TSR_MAP_HIT_CHIP:
      ok = tsr_project_remove_code_from_theme (self->project, self->selection.theme_id,
                                               self->selection.code_id, &error);
      break;
    case TSR_MAP_HIT_LINK:
      ok = tsr_project_remove_map_link (self->project, self->selection.link_id, &error);
      break;
    case TSR_MAP_HIT_NONE:
    default:
      return;
    }
  if (!ok)
    report (self, error);
}

/* Moves the selected theme by a step: top-level themes on the map,
 * sub-themes among their siblings. */
static void
nudge_selection (TsrThemeMap *self,
                 int          dx,
                 int          dy)
{
  const TsrMapThemeBox *box;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->selection.kind != TSR_MAP_HIT_THEME)
    return;
  box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
  if (box == NULL)
    return;

  if (box->parent_id == 0)
    ok = tsr_project_set_map_position (self->project, TSR_MAP_ITEM_THEME, box->id,
                                       box->rect.x + dx * KEY_STEP, box->rect.y + dy * KEY_STEP, &error);
  else
    {
      g_autoptr(TsrTheme) theme = tsr_project_lookup_theme (self->project, box->id);
      int position = tsr_theme_get_position (theme) + (dx + dy > 0 ? 1 : -1);

      if (position < 0)
        return;
      ok = tsr_project_move_theme (self->project, box->id, box->parent_id, position, &error);
    }
  if (!ok)
    report (self, error);
  else
    ensure_visible (self, &self->selection);
}

/* The editor popover: renaming a theme, labelling a link ------------- */

static void
on_editor_activate_cb (GtkEntry    *entry,
                       TsrThemeMap *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  gboolean ok = TRUE;

  if (self->editing.kind == TSR_MAP_HIT_THEME)
    {
      const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->editing.theme_id);
      g_autofree char *clean = g_strstrip (g_strdup (text));

      if (box != NULL && g_strcmp0 (clean, box->name) != 0)
        ok = tsr_project_rename_theme (self->project, self->editing.theme_id, text, &error);
    }
  else if (self->editing.kind == TSR_MAP_HIT_LINK)
    {
      const TsrMapArrow *arrow = tsr_map_layout_find_arrow (self->layout, self->editing.link_id);

      if (arrow != NULL && g_strcmp0 (arrow->label, text) != 0)
        ok = tsr_project_set_map_link_label (self->project, self->editing.link_id, text, &error);
    }

  if (!ok)
    {
      /* Keep the editor open on a bad name: the message says why. */
      gtk_label_set_text (GTK_LABEL (self->editor_label), error->message);
      gtk_widget_add_css_class (self->editor_label, "error");
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (self->editor));
}

static void
on_editor_closed_cb (GtkPopover  *popover,
                     TsrThemeMap *self)
{
  self->editing.kind = TSR_MAP_HIT_NONE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
open_editor (TsrThemeMap     *self,
             const TsrMapHit *hit)
{
  TsrMapRect r = tsr_map_layout_hit_rect (self->layout, hit);
  const char *text = "";
  const char *heading;
  double x, y;

  if (hit->kind == TSR_MAP_HIT_THEME)
    {
      text = tsr_map_layout_find_theme (self->layout, hit->theme_id)->name;
      heading = _("Theme name");
    }
  else if (hit->kind == TSR_MAP_HIT_LINK)
    {
      text = tsr_map_layout_find_arrow (self->layout, hit->link_id)->label;
      heading = _("Link label, such as “leads to” or “part of”");
    }
  else
    return;

  self->editing = *hit;
  ensure_visible (self, hit);
  tsr_theme_map_world_to_widget (self, r.x, r.y, &x, &y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->editor),
                               &(GdkRectangle) { (int) x, (int) y,
                                                 MAX (1, (int) (r.width * self->zoom)),
                                                 MAX (1, (int) (MIN (r.height, 40) * self->zoom)) });
  gtk_label_set_text (GTK_LABEL (self->editor_label), heading);
  gtk_widget_remove_css_class (self->editor_label, "error");
  gtk_editable_set_text (GTK_EDITABLE (self->editor_entry), text);
  gtk_popover_popup (GTK_POPOVER (self->editor));
  gtk_widget_grab_focus (self->editor_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->editor_entry), 0, -1);
}

/* The context menu --------------------------------------------------- */

static void
show_context_menu (TsrThemeMap *self,
                   double       x,
                   double       y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) status = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  switch (self->selection.kind)
    {
    case TSR_MAP_HIT_THEME:
      g_menu_append (section, _("Open Theme _Card"), "map.open-card");
      g_menu_append (section, _("_Rename…"), "map.rename");
      g_menu_append (section, _("_Link to…"), "map.link-to");
      if (tsr_map_layout_find_theme (self->layout, self->selection.theme_id)->parent_id != 0)
        g_menu_append (section, _("Make a _Theme of Its Own"), "map.lift");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      g_menu_append (status, _("Candidate"), "map.status::candidate");
      g_menu_append (status, _("Reviewed"), "map.status::reviewed");
      g_menu_append (status, _("Final"), "map.status::final");
      g_menu_append (status, _("Discarded"), "map.status::discarded");
      g_menu_append_section (menu, _("Status"), G_MENU_MODEL (status));
      g_menu_append (menu, _("_Delete Theme"), "map.delete");
      break;
    case TSR_MAP_HIT_CHIP:
      g_menu_append (menu, _("_Remove from Theme"), "map.delete");
      break;
    case TSR_MAP_HIT_LINK:
      g_menu_append (menu, _("_Edit Label…"), "map.rename");
      g_menu_append (menu, _("_Delete Link"), "map.delete");
      break;
    case TSR_MAP_HIT_NONE:
    default:
      g_menu_append (menu, _("_New Theme"), "map.new-theme");
      break;
    }

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/* Actions ------------------------------------------------------------ */

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  open_editor (self, &self->selection);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  delete_selection (TSR_THEME_MAP (widget));
}

static void
link_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  if (self->selection.kind != TSR_MAP_HIT_THEME)
    return;
  self->link_from = self->selection.theme_id;
  tsr_theme_map_widget_to_world (self, self->pointer_x, self->pointer_y, &self->link_x, &self->link_y);
  show_message (self, _("Click the theme to link to, or press Escape"));
  gtk_widget_queue_draw (widget);
}

static void
lift_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);
  const TsrMapThemeBox *box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
  g_autoptr(GError) error = NULL;

  if (box == NULL || box->parent_id == 0)
    return;
  if (!tsr_project_move_theme (self->project, box->id, 0, -1, &error))
    report (self, error);
}

/* map.status is the theme-status property's action: stateful, so the
 * context menu marks the selected theme's status. */
static const char *
get_theme_status (TsrThemeMap *self)
{
  const TsrMapThemeBox *box = NULL;

  if (self->selection.kind == TSR_MAP_HIT_THEME && self->layout != NULL)
    box = tsr_map_layout_find_theme (self->layout, self->selection.theme_id);
  return box ? tsr_theme_status_to_string (box->status) : "";
}

static void
set_theme_status (TsrThemeMap *self,
                  const char  *name)
{
  g_autoptr(GError) error = NULL;
  TsrThemeStatus status;

  if (self->selection.kind != TSR_MAP_HIT_THEME || name == NULL ||
      !tsr_theme_status_from_string (name, &status) || g_strcmp0 (name, get_theme_status (self)) == 0)
    return;
  if (!tsr_project_set_theme_status (self->project, self->selection.theme_id, status, &error))
    report (self, error);
}

static void
open_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  if (self->selection.kind == TSR_MAP_HIT_THEME)
    g_signal_emit (self, signals [ACTIVATE_THEME], 0, self->selection.theme_id);
}

static void
new_theme_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);
  g_autoptr(GError) error = NULL;

  if (tsr_theme_map_new_theme (self, &error) == 0)
    report (self, error);
}

/* Event handlers ----------------------------------------------------- */

static void
on_project_changed_cb (TsrProject  *project,
                       TsrChange    change,
                       TsrThemeMap *self)
{
  if (change & (TSR_CHANGE_THEMES | TSR_CHANGE_MAP | TSR_CHANGE_CODES))
    rebuild (self);
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  TsrThemeMap    *self)
{
  double wx, wy;
  TsrMapHit hit;
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->layout == NULL)
    return;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);

  self->drag_start_x = x;
  self->drag_start_y = y;
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  self->drag_moved = FALSE;
  self->drag_dx = self->drag_dy = 0;
  self->drag_copy = (state & GDK_CONTROL_MASK) != 0;
  self->drag_hit = hit;
  self->drop_theme = 0;

  if (self->link_from != 0)
    {
      /* Completing "Link to…": a click on the other theme. */
      self->drag_mode = DRAG_NONE;
      finish_link (self, hit.kind == TSR_MAP_HIT_THEME ? hit.theme_id
                                                       : tsr_map_layout_theme_at (self->layout, wx, wy, 0));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (self->link_mode && hit.kind != TSR_MAP_HIT_NONE && hit.kind != TSR_MAP_HIT_LINK)
    {
      self->drag_mode = DRAG_LINK;
      self->link_from = hit.theme_id;
      self->link_x = wx;
      self->link_y = wy;
    }
  else if (hit.kind == TSR_MAP_HIT_THEME || hit.kind == TSR_MAP_HIT_CHIP)
    self->drag_mode = DRAG_ITEM;
  else
    self->drag_mode = DRAG_PAN;

  set_selection (self, &hit);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          dx,
                   double          dy,
                   TsrThemeMap    *self)
{
  double wx, wy;

  if (!self->drag_moved && hypot (dx, dy) < DRAG_THRESHOLD)
    return;
  self->drag_moved = TRUE;
  tsr_theme_map_widget_to_world (self, self->drag_start_x + dx, self->drag_start_y + dy, &wx, &wy);

  switch (self->drag_mode)
    {
    case DRAG_PAN:
      tsr_theme_map_set_origin (self, self->drag_origin_x - dx / self->zoom,
                                self->drag_origin_y - dy / self->zoom);
      break;
    case DRAG_ITEM:
      self->drag_dx = dx / self->zoom;
      self->drag_dy = dy / self->zoom;
      self->drop_theme = tsr_map_layout_theme_at (self->layout, wx, wy,
                                                  self->drag_hit.kind == TSR_MAP_HIT_THEME
                                                    ? self->drag_hit.theme_id : 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_LINK:
      self->link_x = wx;
      self->link_y = wy;
      self->drop_theme = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TsrThemeMap    *self)
{
  DragMode mode = self->drag_mode;
  gboolean moved = self->drag_moved;
  double wx, wy;

  self->drag_mode = DRAG_NONE;
  tsr_theme_map_widget_to_world (self, self->drag_start_x + dx, self->drag_start_y + dy, &wx, &wy);

  if (mode == DRAG_ITEM && moved)
    {
      if (self->drag_hit.kind == TSR_MAP_HIT_THEME)
        finish_theme_drag (self, wx, wy);
      else if (self->drag_hit.kind == TSR_MAP_HIT_CHIP)
        finish_chip_drag (self, wx, wy);
    }
  else if (mode == DRAG_LINK)
    finish_link (self, moved ? tsr_map_layout_theme_at (self->layout, wx, wy, 0) : 0);

  self->drag_hit.kind = TSR_MAP_HIT_NONE;
  self->drag_dx = self->drag_dy = 0;
  self->drop_theme = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     TsrThemeMap     *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double wx, wy;
  TsrMapHit hit;

  if (self->layout == NULL)
    return;
  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);

  if (button == GDK_BUTTON_SECONDARY)
    {
      set_selection (self, &hit);
      show_context_menu (self, x, y);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    }
  else if (button == GDK_BUTTON_PRIMARY && n_press == 2)
    {
      /* Double-click: a theme opens its card, a link edits its label. */
      if (hit.kind == TSR_MAP_HIT_THEME)
        g_signal_emit (self, signals [ACTIVATE_THEME], 0, hit.theme_id);
      else if (hit.kind == TSR_MAP_HIT_LINK)
        open_editor (self, &hit);
    }
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TsrThemeMap              *self)
{
  double wx, wy;
  TsrMapHit hit;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->layout == NULL || self->drag_mode != DRAG_NONE)
    return;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  if (self->link_from != 0)
    {
      self->link_x = wx;
      self->link_y = wy;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  hit = tsr_map_layout_hit (self->layout, wx, wy, 5 / self->zoom);
  if (!tsr_map_hit_equal (&hit, &self->hover))
    {
      self->hover = hit;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                       hit.kind == TSR_MAP_HIT_NONE ? "grab" : "pointer");
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             TsrThemeMap              *self)
{
  if (self->hover.kind != TSR_MAP_HIT_NONE)
    {
      self->hover.kind = TSR_MAP_HIT_NONE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              TsrThemeMap              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      double factor = pow (1.15, -dy * (wheel ? 1.0 : 0.1));

      tsr_theme_map_zoom_at (self, self->zoom * factor, self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (state & GDK_SHIFT_MASK)
    {
      double t = dx;
      dx = dy;
      dy = t;
    }
  if (wheel)
    {
      dx *= 48;
      dy *= 48;
    }
  tsr_theme_map_set_origin (self, self->origin_x + dx / self->zoom, self->origin_y + dy / self->zoom);
  return TRUE;
}

static void
on_zoom_begin_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  TsrThemeMap      *self)
{
  self->zoom_start = self->zoom;
}

static void
on_zoom_scale_changed_cb (GtkGestureZoom *gesture,
                          double          scale,
                          TsrThemeMap    *self)
{
  double x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  tsr_theme_map_zoom_at (self, self->zoom_start * scale, x, y);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TsrThemeMap           *self)
{
  gboolean ctrl = (state & GDK_CONTROL_MASK) != 0;
  int dx = 0, dy = 0;

  if (self->layout == NULL)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_KP_Tab:
      {
        int step = (keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK)) ? -1 : 1;
        g_autoptr(GArray) order = tsr_map_layout_focus_order (self->layout);
        TsrMapHit next;

        if (ctrl || order->len == 0)
          return FALSE;
        /* Past the last item (or before the first), focus leaves the map. */
        if (self->selection.kind != TSR_MAP_HIT_NONE &&
            tsr_map_hit_equal (&self->selection,
                               &g_array_index (order, TsrMapHit, step > 0 ? order->len - 1 : 0)))
          {
            set_selection (self, NULL);
            return FALSE;
          }
        next = tsr_map_layout_step_focus (self->layout, &self->selection, step);
        set_selection (self, &next);
        ensure_visible (self, &next);
        return TRUE;
      }
    case GDK_KEY_Left: case GDK_KEY_KP_Left: dx = -1; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: dx = 1; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: dy = -1; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: dy = 1; break;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      delete_selection (self);
      return TRUE;
    case GDK_KEY_F2:
      open_editor (self, &self->selection);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      if (self->selection.kind == TSR_MAP_HIT_THEME)
        g_signal_emit (self, signals [ACTIVATE_THEME], 0, self->selection.theme_id);
      else if (self->selection.kind == TSR_MAP_HIT_LINK)
        open_editor (self, &self->selection);
      return TRUE;
    case GDK_KEY_Escape:
      if (self->link_from != 0)
        {
          self->link_from = 0;
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return TRUE;
        }
      if (self->selection.kind != TSR_MAP_HIT_NONE)
        {
          set_selection (self, NULL);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Menu:
      if (self->selection.kind != TSR_MAP_HIT_NONE)
        {
          TsrMapRect r = tsr_map_layout_hit_rect (self->layout, &self->selection);
          double x, y;

          tsr_theme_map_world_to_widget (self, r.x + r.width / 2, r.y + r.height / 2, &x, &y);
          show_context_menu (self, x, y);
        }
      else
        show_context_menu (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
      return TRUE;
    default:
      return FALSE;
    }

  if (ctrl)
    nudge_selection (self, dx, dy);
  else
    {
      TsrMapHit next = tsr_map_layout_neighbour (self->layout, &self->selection, dx, dy);

      set_selection (self, &next);
      ensure_visible (self, &next);
    }
  return TRUE;
}

static GdkDragAction
on_drop_motion_cb (GtkDropTarget *target,
                   double         x,
                   double         y,
                   TsrThemeMap   *self)
{
  double wx, wy;
  gint64 theme = 0;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  if (self->layout != NULL)
    theme = tsr_map_layout_theme_at (self->layout, wx, wy, 0);
  if (theme != self->drop_theme)
    {
      self->drop_theme = theme;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return GDK_ACTION_COPY;
}

static void
on_drop_leave_cb (GtkDropTarget *target,
                  TsrThemeMap   *self)
{
  self->drop_theme = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            TsrThemeMap   *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->drop_theme = 0;
  if (G_VALUE_HOLDS (value, TSR_TYPE_CODE) && g_value_get_object (value) != NULL)
    {
      /* From the code tree: the code itself, if it is one of this project's. */
      TsrCode *dropped = g_value_get_object (value);
      g_autoptr(TsrCode) code = self->project ? tsr_project_lookup_code (self->project,
                                                                          tsr_entity_get_id (TSR_ENTITY (dropped)))
                                              : NULL;

      if (code == NULL || g_strcmp0 (tsr_entity_get_uuid (TSR_ENTITY (code)),
                                     tsr_entity_get_uuid (TSR_ENTITY (dropped))) != 0)
        {
          show_message (self, _("The dropped code is not in this project"));
          return FALSE;
        }
      ok = drop_code_at (self, code, x, y, &error);
    }
  else if (G_VALUE_HOLDS_STRING (value))
    ok = tsr_theme_map_drop_code (self, g_value_get_string (value), x, y, &error);
  else
    return FALSE;
  if (!ok)
    report (self, error);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return ok;
}

static void
on_dark_changed_cb (AdwStyleManager *manager,
                    GParamSpec      *pspec,
                    TsrThemeMap     *self)
{
  invalidate_tiles (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
settle_cb (gpointer data)
{
  TsrThemeMap *self = data;

  /* The zoom has come to rest: redraw sharp at it. */
  self->settle_source = 0;
  invalidate_tiles (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static gint64
tile_key (gint64 i,
          gint64 j)
{
  /* Unsigned: shifting a negative index is undefined. */
  return (gint64) (((guint64) (guint32) i << 32) | (guint32) j);
}

static GdkTexture *
render_tile (TsrThemeMap *self,
             gint64       i,
             gint64       j,
             gboolean     dark)
{
  int size = TILE_SIZE * self->tile_scale;
  double world = TILE_SIZE / self->tile_zoom;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  TsrMapRenderOptions options;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  cairo_t *cr;

  tsr_map_render_options_init (&options);
  options.layer = TSR_MAP_LAYER_BASE;
  options.scale = self->tile_zoom * self->tile_scale;
  options.origin_x = i * world;
  options.origin_y = j * world;
  options.dark = dark;
  options.grid = TRUE;

  cr = cairo_create (surface);
  tsr_map_render (self->renderer, self->layout, cr, &options, size, size);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * size);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

/* GtkWidget ---------------------------------------------------------- */

static void
tsr_theme_map_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  TsrMapRenderOptions options;
  double z = self->zoom, tz, world, ox, oy;
  gboolean exact;
  gint64 i0, i1, j0, j1;

  gint64 start = g_get_monotonic_time ();

  if (width <= 0 || height <= 0)
    return;

  if (self->layout == NULL)
    {
      GdkRGBA bg = { 0.98, 0.98, 0.98, 1 };

      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }

  /* Tiles are drawn at one zoom.  While the zoom moves they are scaled
   * (cheap), and drawn again sharp once it rests. */
  if (g_hash_table_size (self->tiles) == 0 || self->tile_scale != scale || self->tile_dark != dark ||
      z / self->tile_zoom > 2.0 || z / self->tile_zoom < 0.5)
    {
      g_hash_table_remove_all (self->tiles);
      self->tile_zoom = z;
      self->tile_scale = scale;
      self->tile_dark = dark;
    }
  if (self->tile_zoom != z)
    {
      g_clear_handle_id (&self->settle_source, g_source_remove);
      self->settle_source = g_timeout_add (SETTLE_MS, settle_cb, self);
    }

  tz = self->tile_zoom;
  exact = tz == z;
  world = TILE_SIZE / tz;
  /* At rest, whole pixels: tiles meet without seams. */
  ox = exact ? round (self->origin_x * z) / z : self->origin_x;
  oy = exact ? round (self->origin_y * z) / z : self->origin_y;
  i0 = (gint64) floor (ox / world);
  j0 = (gint64) floor (oy / world);
  i1 = (gint64) floor ((ox + width / z) / world);
  j1 = (gint64) floor ((oy + height / z) / world);

  if (g_hash_table_size (self->tiles) > MAX_TILES)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint64 k = *(gint64 *) key;
          gint64 i = (gint32) ((guint64) k >> 32), j = (gint32) (k & 0xffffffff);

          if (i < i0 - 2 || i > i1 + 2 || j < j0 - 2 || j > j1 + 2)
            g_hash_table_iter_remove (&iter);
        }
    }

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (gint64 j = j0; j <= j1; j++)
    for (gint64 i = i0; i <= i1; i++)
      {
        gint64 key = tile_key (i, j);
        GdkTexture *texture = g_hash_table_lookup (self->tiles, &key);
        double x = (i * world - ox) * z;
        double y = (j * world - oy) * z;
        double size = TILE_SIZE * z / tz;

        if (texture == NULL)
          {
            texture = render_tile (self, i, j, dark);
            self->n_tiles_drawn++;
            g_hash_table_insert (self->tiles, g_memdup2 (&key, sizeof key), texture);
          }
        if (exact)
          {
            x = round (x);
            y = round (y);
          }
        gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (x, y, size, size));
      }

  /* What changes from frame to frame goes over the tiles. */
  tsr_map_render_options_init (&options);
  options.layer = TSR_MAP_LAYER_OVERLAY;
  options.scale = z;
  options.origin_x = ox;
  options.origin_y = oy;
  options.dark = dark;
  options.selection = self->selection;
  options.hover = self->hover;
  options.drop_theme = self->drop_theme;
  if (self->drag_mode == DRAG_ITEM && self->drag_moved)
    {
      options.drag = self->drag_hit;
      options.drag_dx = self->drag_dx;
      options.drag_dy = self->drag_dy;
    }
  options.link_from = self->link_from;
  options.link_x = self->link_x;
  options.link_y = self->link_y;
  {
    TsrMapRect b = tsr_map_render_overlay_bounds (self->layout, &options);
    double x0 = MAX (0, floor ((b.x - ox) * z)), y0 = MAX (0, floor ((b.y - oy) * z));
    double x1 = MIN (width, ceil ((b.x + b.width - ox) * z)), y1 = MIN (height, ceil ((b.y + b.height - oy) * z));

    if (x1 > x0 && y1 > y0)
      {
        cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));

        tsr_map_render (self->renderer, self->layout, cr, &options, width, height);
        cairo_destroy (cr);
      }
  }
  gtk_snapshot_pop (snapshot);

  if (gtk_widget_has_visible_focus (widget) && self->selection.kind == TSR_MAP_HIT_NONE)
    {
      GskRoundedRect outline;
      GdkRGBA focus = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 0.6 };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (1, 1, width - 2, height - 2), 0);
      gtk_snapshot_append_border (snapshot, &outline, (float[4]) { 2, 2, 2, 2 },
                                  (GdkRGBA[4]) { focus, focus, focus, focus });
    }
  self->snapshot_us += g_get_monotonic_time () - start;
}

static gboolean
notify_zoom_cb (gpointer data)
{
  TsrThemeMap *self = data;

  self->notify_source = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
  return G_SOURCE_REMOVE;
}

static void
tsr_theme_map_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  TsrThemeMap *self = TSR_THEME_MAP (widget);

  /* Fitting the first time the map has a size.  The zoom is announced
   * after the frame: a label showing it cannot be resized in the middle
   * of allocation. */
  self->in_allocate = TRUE;
  if (self->needs_fit && self->layout != NULL && width > 0)
    {
      self->defer_notify = TRUE;
      place_view (self, FALSE);
      self->defer_notify = FALSE;
      if (self->notify_source == 0)
        self->notify_source = g_idle_add (notify_zoom_cb, self);
    }
  allocate_items (self);
  self->in_allocate = FALSE;
  gtk_popover_present (GTK_POPOVER (self->editor));
  gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
tsr_theme_map_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static gboolean
tsr_theme_map_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  /* One tab stop: Tab inside the map moves between its items. */
  if (!gtk_widget_has_focus (widget))
    return gtk_widget_grab_focus (widget);
  return FALSE;
}

/* GObject ------------------------------------------------------------ */

static void
tsr_theme_map_dispose (GObject *object)
{
  TsrThemeMap *self = TSR_THEME_MAP (object);

  tsr_theme_map_set_project (self, NULL);
  g_clear_handle_id (&self->notify_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_pointer (&self->editor, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  clear_items (self);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (tsr_theme_map_parent_class)->dispose (object);
}

static void
tsr_theme_map_finalize (GObject *object)
{
  TsrThemeMap *self = TSR_THEME_MAP (object);

  g_clear_pointer (&self->layout, tsr_map_layout_free);
  g_clear_pointer (&self->model, tsr_map_model_free);
  g_clear_pointer (&self->counts, tsr_counts_unref);
  g_clear_pointer (&self->renderer, tsr_map_renderer_free);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_free (self->selection_label);

  G_OBJECT_CLASS (tsr_theme_map_parent_class)->finalize (object);
}

static void
tsr_theme_map_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TsrThemeMap *self = TSR_THEME_MAP (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_LINK_MODE:
      g_value_set_boolean (value, self->link_mode);
      break;
    case PROP_SELECTION_LABEL:
      g_value_set_string (value, self->selection_label);
      break;
    case PROP_THEME_STATUS:
      g_value_set_string (value, get_theme_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_theme_map_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TsrThemeMap *self = TSR_THEME_MAP (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      tsr_theme_map_set_project (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      tsr_theme_map_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_LINK_MODE:
      tsr_theme_map_set_link_mode (self, g_value_get_boolean (value));
      break;
    case PROP_THEME_STATUS:
      set_theme_status (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_theme_map_class_init (TsrThemeMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_theme_map_dispose;
  object_class->finalize = tsr_theme_map_finalize;
  object_class->get_property = tsr_theme_map_get_property;
  object_class->set_property = tsr_theme_map_set_property;

  widget_class->snapshot = tsr_theme_map_snapshot;
  widget_class->size_allocate = tsr_theme_map_size_allocate;
  widget_class->measure = tsr_theme_map_measure;
  widget_class->focus = tsr_theme_map_focus;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_LINK_MODE] =
    g_param_spec_boolean ("link-mode", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SELECTION_LABEL] =
    g_param_spec_string ("selection-label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The selected theme's status, by name ("candidate", …; "" for none). */
  properties [PROP_THEME_STATUS] =
    g_param_spec_string ("theme-status", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals [ACTIVATE_THEME] =
    g_signal_new ("activate-theme", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "map.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "map.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "map.link-to", NULL, link_to_action);
  gtk_widget_class_install_action (widget_class, "map.lift", NULL, lift_action);
  gtk_widget_class_install_property_action (widget_class, "map.status", "theme-status");
  gtk_widget_class_install_action (widget_class, "map.open-card", NULL, open_card_action);
  gtk_widget_class_install_action (widget_class, "map.new-theme", NULL, new_theme_action);

  gtk_widget_class_set_css_name (widget_class, "thememap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tsr_theme_map_init (TsrThemeMap *self)
{
  GtkGesture *drag, *click, *zoom;
  GtkEventController *motion, *scroll, *key;
  GtkDropTarget *drop;
  GtkWidget *box;
  g_autofree char *font_name = NULL;
  g_autoptr(PangoFontDescription) font = NULL;

  self->zoom = 1.0;
  self->needs_fit = TRUE;
  self->items = g_ptr_array_new ();
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->tile_zoom = 1.0;

  g_object_get (gtk_settings_get_default (), "gtk-font-name", &font_name, NULL);
  font = pango_font_description_from_string (font_name ? font_name : "Sans");
  self->renderer = tsr_map_renderer_new (pango_font_description_get_family (font));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_group (click, drag);

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  /* Codes from the code tree (the object) and from the bin (as text). */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  gtk_drop_target_set_gtypes (drop, (GType[2]) { TSR_TYPE_CODE, G_TYPE_STRING }, 2);
  g_signal_connect (drop, "motion", G_CALLBACK (on_drop_motion_cb), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave_cb), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* The editor for names and labels. */
  self->editor = gtk_popover_new ();
  gtk_widget_set_parent (self->editor, GTK_WIDGET (self));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  self->editor_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->editor_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->editor_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->editor_label), 36);
  gtk_widget_add_css_class (self->editor_label, "dim-label");
  self->editor_entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (self->editor_entry), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->editor_entry), 28);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->editor_entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->editor_label, NULL,
                                  -1);
  g_signal_connect (self->editor_entry, "activate", G_CALLBACK (on_editor_activate_cb), self);
  gtk_box_append (GTK_BOX (box), self->editor_label);
  gtk_box_append (GTK_BOX (box), self->editor_entry);
  gtk_popover_set_child (GTK_POPOVER (self->editor), box);
  g_signal_connect (self->editor, "closed", G_CALLBACK (on_editor_closed_cb), self);

  self->context_menu = gtk_popover_menu_new_from_model (NULL);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Theme map"),
                                  -1);
  update_selection_label (self);
  update_actions (self);
}

/* Public API --------------------------------------------------------- */

GtkWidget *
tsr_theme_map_new (void)
{
  return g_object_new (TSR_TYPE_THEME_MAP, NULL);
}

TsrProject *
tsr_theme_map_get_project (TsrThemeMap *self)
{
  g_return_val_if_fail (TSR_IS_THEME_MAP (self), NULL);
  return self->project;
}

void
tsr_theme_map_set_project (TsrThemeMap *self,
                           TsrProject  *project)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));
  g_return_if_fail (!project || TSR_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  g_set_object (&self->project, project);
  g_clear_pointer (&self->counts, tsr_counts_unref);
  self->tally = NULL;
  self->selection.kind = TSR_MAP_HIT_NONE;
  self->hover.kind = TSR_MAP_HIT_NONE;
  self->link_from = 0;
  self->needs_fit = TRUE;

  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_theme_map_set_counts:
 * @counts: (nullable): the counts whose n the badges show
 */
void
tsr_theme_map_set_counts (TsrThemeMap *self,
                          TsrCounts   *counts)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  if (self->counts == counts)
    return;
  g_clear_pointer (&self->counts, tsr_counts_unref);
  if (counts != NULL)
    self->counts = tsr_counts_ref (counts);
  rebuild (self);
}

/**
 * tsr_theme_map_set_tally:
 * @tally: (nullable) (transfer none): theme n tallied after theme edits,
 *   kept alive by the caller until replaced
 *
 * Shows theme n from @tally rather than from the counts.
 */
void
tsr_theme_map_set_tally (TsrThemeMap   *self,
                         TsrThemeTally *tally)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  self->tally = tally;
}

/**
 * tsr_theme_map_refresh:
 *
 * Reads the project and lays the map out again.
 */
void
tsr_theme_map_refresh (TsrThemeMap *self)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));
  rebuild (self);
}

/**
 * tsr_theme_map_get_layout:
 *
 * Returns: (transfer none) (nullable): where everything is drawn
 */
const TsrMapLayout *
tsr_theme_map_get_layout (TsrThemeMap *self)
{
  g_return_val_if_fail (TSR_IS_THEME_MAP (self), NULL);
  return self->layout;
}

TsrMapHit
tsr_theme_map_get_selection (TsrThemeMap *self)
{
  return self->selection;
}

void
tsr_theme_map_select (TsrThemeMap     *self,
                      const TsrMapHit *hit)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  if (hit != NULL && !hit_exists (self, hit))
    hit = NULL;
  set_selection (self, hit);
  if (hit != NULL && hit->kind != TSR_MAP_HIT_NONE)
    ensure_visible (self, hit);
}

const char *
tsr_theme_map_get_selection_label (TsrThemeMap *self)
{
  g_return_val_if_fail (TSR_IS_THEME_MAP (self), NULL);
  return self->selection_label;
}

double
tsr_theme_map_get_zoom (TsrThemeMap *self)
{
  g_return_val_if_fail (TSR_IS_THEME_MAP (self), 1.0);
  return self->zoom;
}

/**
 * tsr_theme_map_zoom_at:
 * @x: the point that stays put, in widget coordinates
 */
void
tsr_theme_map_zoom_at (TsrThemeMap *self,
                       double       zoom,
                       double       x,
                       double       y)
{
  double wx, wy;

  g_return_if_fail (TSR_IS_THEME_MAP (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (zoom == self->zoom)
    return;
  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  self->zoom = zoom;
  self->origin_x = wx - x / zoom;
  self->origin_y = wy - y / zoom;
  self->needs_fit = FALSE;
  view_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

void
tsr_theme_map_set_zoom (TsrThemeMap *self,
                        double       zoom)
{
  tsr_theme_map_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                         gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Zooms and pans to the content: the whole of it (@whole, never above
 * 150 %), or as it opens, at OPEN_ZOOM.  Either way the content's top is
 * at the top of the view, not below a band of empty canvas, and it is
 * centred across when it fits across, else shown from its left edge. */
static void
place_view (TsrThemeMap *self,
            gboolean     whole)
{
  TsrMapRect b;
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->layout == NULL || w <= 0 || h <= 0)
    {
      self->needs_fit = TRUE;
      return;
    }
  self->needs_fit = FALSE;
  b = tsr_map_layout_get_bounds (self->layout);
  if (b.width <= 0)
    {
      self->origin_x = self->origin_y = 0;
      self->zoom = 1.0;
    }
  else
    {
      if (whole)
        self->zoom = CLAMP (MIN ((w - 2 * FIT_MARGIN) / b.width, (h - 2 * FIT_MARGIN) / b.height), MIN_ZOOM, 1.5);
      else
        self->zoom = OPEN_ZOOM;

      if (b.width * self->zoom <= w - 2 * FIT_MARGIN)
        self->origin_x = b.x + b.width / 2 - w / 2 / self->zoom;
      else
        self->origin_x = b.x - FIT_MARGIN / self->zoom;
      self->origin_y = b.y - FIT_MARGIN / self->zoom;
    }
  view_changed (self);
  if (!self->defer_notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

/**
 * tsr_theme_map_fit:
 *
 * Zooms and pans so that the whole map shows (never above 150 %).
 */
void
tsr_theme_map_fit (TsrThemeMap *self)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  place_view (self, TRUE);
}

void
tsr_theme_map_get_origin (TsrThemeMap *self,
                          double      *x,
                          double      *y)
{
  *x = self->origin_x;
  *y = self->origin_y;
}

/**
 * tsr_theme_map_set_origin:
 *
 * Pans: (@x, @y) in world units shows at the top-left corner.
 */
void
tsr_theme_map_set_origin (TsrThemeMap *self,
                          double       x,
                          double       y)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  self->origin_x = x;
  self->origin_y = y;
  self->needs_fit = FALSE;
  view_changed (self);
}

gboolean
tsr_theme_map_get_link_mode (TsrThemeMap *self)
{
  g_return_val_if_fail (TSR_IS_THEME_MAP (self), FALSE);
  return self->link_mode;
}

/**
 * tsr_theme_map_set_link_mode:
 *
 * In link mode, dragging from one theme to another links them.
 */
void
tsr_theme_map_set_link_mode (TsrThemeMap *self,
                             gboolean     link_mode)
{
  g_return_if_fail (TSR_IS_THEME_MAP (self));

  link_mode = !!link_mode;
  if (self->link_mode == link_mode)
    return;
  self->link_mode = link_mode;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), link_mode ? "crosshair" : "grab");
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LINK_MODE]);
}

/**
 * tsr_theme_map_new_theme:
 *
 * Makes a new empty candidate theme in a free place near the middle of
 * the view, selects it and opens its name for editing.
 *
 * Returns: the new theme's id, or 0 with @error set
 */
gint64
tsr_theme_map_new_theme (TsrThemeMap  *self,
                         GError      **error)
{
  g_autofree char *name = NULL;
  double wx, wy;
  gint64 id;

  g_return_val_if_fail (TSR_IS_THEME_MAP (self), 0);

  if (self->project == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("No project is open"));
      return 0;
    }

  name = unique_theme_name (self, _("New theme"));
  tsr_theme_map_widget_to_world (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0 - 100 * self->zoom,
                                 gtk_widget_get_height (GTK_WIDGET (self)) / 2.0 - 40 * self->zoom, &wx, &wy);
  id = create_theme_at (self, name, wx, wy, 0, 0, error);
  if (id != 0)
    {
      TsrMapHit hit = { TSR_MAP_HIT_THEME, id, 0, 0 };

      set_selection (self, &hit);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        open_editor (self, &hit);
    }
  return id;
}

/**
 * tsr_theme_map_add_code:
 * @theme_id: the theme, or 0 for a new theme in a free place in view
 *
 * Adds a code to a theme: what a drop does, for the keyboard.
 */
gboolean
tsr_theme_map_add_code (TsrThemeMap  *self,
                        gint64        code_id,
                        gint64        theme_id,
                        GError      **error)
{
  g_autoptr(TsrCode) code = NULL;
  double wx, wy;

  g_return_val_if_fail (TSR_IS_THEME_MAP (self), FALSE);

  if (self->project == NULL || (code = tsr_project_lookup_code (self->project, code_id)) == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("The code is not in this project"));
      return FALSE;
    }
  tsr_theme_map_widget_to_world (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                                 gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, &wx, &wy);
  return place_code (self, code_id, tsr_code_get_name (code), 0, theme_id, TRUE, wx, wy, error);
}

/**
 * tsr_theme_map_export:
 * @path: a file ending in .png, .svg or .pdf
 *
 * Writes the whole map as the canvas draws it.
 */
gboolean
tsr_theme_map_export (TsrThemeMap  *self,
                      const char   *path,
                      GError      **error)
{
  TsrMapExportFormat format;

  g_return_val_if_fail (TSR_IS_THEME_MAP (self), FALSE);

  if (!tsr_map_export_format_for_path (path, &format))
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                   _("“%s” is not a PNG, SVG or PDF file name"), name);
      return FALSE;
    }
  if (self->layout == NULL)
    {
      g_set_error_literal (error, TSR_ERROR, TSR_ERROR_INVALID, _("No project is open"));
      return FALSE;
    }
  return tsr_map_export (self->renderer, self->layout, format, path, error);
}

/**
 * _tsr_theme_map_get_stats:
 * @n_tiles: (out): how many tiles of the base layer were drawn so far
 * @snapshot_us: (out): the time spent in snapshot so far, in µs
 *
 * For the benchmark.
 */
void
_tsr_theme_map_get_stats (TsrThemeMap *self,
                          guint       *n_tiles,
                          gint64      *snapshot_us)
{
  *n_tiles = self->n_tiles_drawn;
  *snapshot_us = self->snapshot_us;
}
