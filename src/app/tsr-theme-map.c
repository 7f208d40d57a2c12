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

#include "tsr-theme-map-private.h"
#include "tsr-toast.h"

G_DEFINE_FINAL_TYPE (TsrThemeMap, tsr_theme_map, GTK_TYPE_WIDGET)

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


/* The view moved or zoomed: redraw, and move the items with it. */
static void
view_changed (TsrThemeMap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (!self->in_allocate)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Helpers ------------------------------------------------------------ */

void
_tsr_theme_map_show_message (TsrThemeMap *self,
              const char  *message)
{
  if (!tsr_toast_show (GTK_WIDGET (self), message))
    g_message ("%s", message);
}

void
_tsr_theme_map_report (TsrThemeMap *self,
        GError      *error)
{
  if (error != NULL)
    _tsr_theme_map_show_message (self, error->message);
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

char *
_tsr_theme_map_describe (TsrThemeMap     *self,
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
  g_autofree char *label = _tsr_theme_map_describe (self, &self->selection);

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

void
_tsr_theme_map_set_selection (TsrThemeMap     *self,
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
  _tsr_theme_map_rebuild_items (self);

  if (!hit_exists (self, &self->selection))
    _tsr_theme_map_set_selection (self, NULL);
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

void
_tsr_theme_map_ensure_visible (TsrThemeMap     *self,
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
gboolean
_tsr_theme_map_place_code (TsrThemeMap  *self,
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
          _tsr_theme_map_set_selection (self, &hit);
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
      _tsr_theme_map_set_selection (self, &hit);
    }
  return ok;
}

/* Puts a code dropped at (@x, @y) into the theme there, or into a new
 * theme when the place is empty. */
gboolean
_tsr_theme_map_drop_code_at (TsrThemeMap  *self,
              TsrCode      *code,
              double        x,
              double        y,
              GError      **error)
{
  double wx, wy;
  gint64 target;

  tsr_theme_map_widget_to_world (self, x, y, &wx, &wy);
  target = self->layout ? tsr_map_layout_theme_at (self->layout, wx, wy, 0) : 0;
  return _tsr_theme_map_place_code (self, tsr_entity_get_id (TSR_ENTITY (code)), tsr_code_get_name (code),
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
  return _tsr_theme_map_drop_code_at (self, code, x, y, error);
}

void
_tsr_theme_map_delete_selection (TsrThemeMap *self)
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
    _tsr_theme_map_report (self, error);
}

/* Moves the selected theme by a step: top-level themes on the map,
 * sub-themes among their siblings. */
void
_tsr_theme_map_nudge_selection (TsrThemeMap *self,
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
    _tsr_theme_map_report (self, error);
  else
    _tsr_theme_map_ensure_visible (self, &self->selection);
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

/* For the map's other files, which do not see its signals: a theme's
 * card is asked for. */
void
_tsr_theme_map_emit_activate_theme (TsrThemeMap *self,
                                    gint64       theme_id)
{
  g_signal_emit (self, signals [ACTIVATE_THEME], 0, theme_id);
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
  _tsr_theme_map_allocate_items (self);
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
  _tsr_theme_map_clear_items (self);
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
      g_value_set_string (value, _tsr_theme_map_get_theme_status (self));
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
      _tsr_theme_map_set_theme_status (self, g_value_get_string (value));
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

  _tsr_theme_map_class_actions_init (widget_class);

  gtk_widget_class_set_css_name (widget_class, "thememap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tsr_theme_map_init (TsrThemeMap *self)
{
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

  _tsr_theme_map_setup_input (self);
  _tsr_theme_map_setup_editor (self);

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
  _tsr_theme_map_set_selection (self, hit);
  if (hit != NULL && hit->kind != TSR_MAP_HIT_NONE)
    _tsr_theme_map_ensure_visible (self, hit);
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

      _tsr_theme_map_set_selection (self, &hit);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        _tsr_theme_map_open_editor (self, &hit);
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
  return _tsr_theme_map_place_code (self, code_id, tsr_code_get_name (code), 0, theme_id, TRUE, wx, wy, error);
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
