/* tsr-color-swatch.c — a code's colour as a small round dot
 *
 * Drawn rather than styled: a list of thousands of codes would otherwise
 * need a style provider per row.  A faint ring keeps pale colours visible
 * on a light background and dark ones on a dark background.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-color-swatch.h"

struct _TsrColorSwatch
{
  GtkWidget  parent_instance;

  char      *color;
  GdkRGBA    rgba;
};

G_DEFINE_FINAL_TYPE (TsrColorSwatch, tsr_color_swatch, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
tsr_color_swatch_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = 12;
}

static void
tsr_color_swatch_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  TsrColorSwatch *self = TSR_COLOR_SWATCH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float size = MIN (width, height);
  GskRoundedRect outline;
  GdkRGBA ring;

  if (size <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &ring);
  ring.alpha *= 0.25;

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT ((width - size) / 2, (height - size) / 2, size, size),
                                   size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &self->rgba, &outline.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &outline,
                              (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { ring, ring, ring, ring });
}

static void
tsr_color_swatch_finalize (GObject *object)
{
  TsrColorSwatch *self = TSR_COLOR_SWATCH (object);

  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (tsr_color_swatch_parent_class)->finalize (object);
}

static void
tsr_color_swatch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TsrColorSwatch *self = TSR_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_color_swatch_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TsrColorSwatch *self = TSR_COLOR_SWATCH (object);

  switch (prop_id)
    {
    case PROP_COLOR:
      tsr_color_swatch_set_color (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_color_swatch_class_init (TsrColorSwatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tsr_color_swatch_finalize;
  object_class->get_property = tsr_color_swatch_get_property;
  object_class->set_property = tsr_color_swatch_set_property;

  widget_class->measure = tsr_color_swatch_measure;
  widget_class->snapshot = tsr_color_swatch_snapshot;

  properties [PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "tsrcolorswatch");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tsr_color_swatch_init (TsrColorSwatch *self)
{
  gdk_rgba_parse (&self->rgba, "#9a9996");
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
tsr_color_swatch_new (const char *color)
{
  return g_object_new (TSR_TYPE_COLOR_SWATCH, "color", color, NULL);
}

const char *
tsr_color_swatch_get_color (TsrColorSwatch *self)
{
  g_return_val_if_fail (TSR_IS_COLOR_SWATCH (self), NULL);

  return self->color;
}

void
tsr_color_swatch_set_color (TsrColorSwatch *self,
                            const char     *color)
{
  g_return_if_fail (TSR_IS_COLOR_SWATCH (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;

  g_free (self->color);
  self->color = g_strdup (color);
  if (color == NULL || !gdk_rgba_parse (&self->rgba, color))
    gdk_rgba_parse (&self->rgba, "#9a9996");

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COLOR]);
}
