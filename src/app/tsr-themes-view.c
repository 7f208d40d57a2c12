/* tsr-themes-view.c — searching for themes (phase 3): the map and the bin
 *
 * The bin lists the codes not in any theme yet; they are dragged (or,
 * from the keyboard, added with Enter) onto the map.  Below it, the codes
 * found most often in the same documents as the one selected hint at
 * what belongs together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "tsr-counts-pipeline.h"
#include "tsr-scope-choice.h"
#include "tsr-theme-map.h"
#include "tsr-themes-view.h"
#include "tsr-session.h"
#include "tsr-toast.h"
#include "tsr-window.h"

#define N_HINTS          6
#define MATRIX_MAX_CODES 40

struct _TsrThemesView
{
  GtkWidget      parent_instance;

  TsrProject    *project;
  gulong         changed_handler;
  TsrCountsPipeline *pipeline;
  gint64         hint_code;
  /* The bin changed while the view was hidden: filled when shown. */
  gboolean       bin_stale;

  /* Template widgets */
  AdwFlap        *flap;
  GtkLabel       *bin_heading;
  GtkSearchEntry *bin_search;
  GtkListBox     *bin_list;
  GtkLabel       *hints_heading;
  GtkLabel       *hints_label;
  GtkToggleButton *link_button;
  GtkButton      *zoom_button;
  GtkDropDown    *scope_dropdown;
  TsrThemeMap    *map;
  GtkLabel       *status_label;
};

G_DEFINE_FINAL_TYPE (TsrThemesView, tsr_themes_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void set_project (TsrThemesView *self,
                         TsrProject    *project);

/* Counts --------------------------------------------------------------- */

static void update_hints (TsrThemesView *self);
static void refresh_bin  (TsrThemesView *self);
static void queue_refresh_bin (TsrThemesView *self);
static void update_bin_counts (TsrThemesView *self);

/* The counts shown, once made */
static TsrCounts *
view_counts (TsrThemesView *self)
{
  return self->pipeline != NULL ? tsr_counts_pipeline_get_counts (self->pipeline) : NULL;
}

static void
on_counts_changed_cb (TsrThemesView *self)
{
  tsr_theme_map_set_tally (self->map, NULL);
  tsr_theme_map_set_counts (self->map, view_counts (self));
  /* New numbers for the same rows. */
  if (!self->bin_stale)
    update_bin_counts (self);
  update_hints (self);
}

static void
on_tally_changed_cb (TsrThemesView *self,
                     gboolean       at_edit)
{
  tsr_theme_map_set_tally (self->map, tsr_counts_pipeline_get_tally (self->pipeline));
  /* At an edit the map lays itself out again anyway. */
  if (!at_edit)
    tsr_theme_map_refresh (self->map);
}

/* The bin -------------------------------------------------------------- */

static GdkContentProvider *
on_bin_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        GtkWidget     *row)
{
  const char *uuid = g_object_get_data (G_OBJECT (row), "tsr-code-uuid");
  TsrCode *code = g_object_get_data (G_OBJECT (row), "tsr-code");
  g_autofree char *text = g_strconcat (TSR_CODE_DRAG_PREFIX, uuid, NULL);
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);
  GdkContentProvider *providers[2];

  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  /* The code itself, as the code tree drags it (the reader codes a
   * selection with it), and as text. */
  providers[0] = gdk_content_provider_new_typed (TSR_TYPE_CODE, code);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, text);
  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

/* A bin row: indented under the unsorted code above it, as in the code
 * tree; a code whose parent is sorted says where it sits in a dim
 * prefix (@context, the parent's path). */
static gboolean
on_bin_row_query_tooltip_cb (GtkWidget  *row,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip,
                             gpointer    user_data)
{
  TsrCode *code = g_object_get_data (G_OBJECT (row), "tsr-code");
  const char *path = g_object_get_data (G_OBJECT (row), "tsr-code-path");
  const char *definition = code ? tsr_code_get_definition (code) : NULL;
  g_autofree char *tip = NULL;

  if (path == NULL)
    return FALSE;
  tip = definition && *definition ? g_strdup_printf ("%s\n%s", path, definition) : g_strdup (path);
  gtk_tooltip_set_text (tooltip, tip);
  return TRUE;
}

static GtkWidget *
make_bin_row (TsrThemesView *self,
              TsrCode       *code,
              guint          depth,
              const char    *context)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = gtk_label_new (NULL);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);
  g_autofree char *dot = g_markup_printf_escaped ("<span foreground=\"%s\">●</span>",
                                                  tsr_code_get_color (code));
  g_autofree char *path = tsr_project_get_code_path (self->project, tsr_entity_get_id (TSR_ENTITY (code)));
  gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
  GtkDragSource *source;

  gtk_label_set_markup (GTK_LABEL (swatch), dot);
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  if (context != NULL)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<span alpha=\"55%%\">%s › </span>%s",
                                                         context, tsr_code_get_name (code));
      gtk_label_set_markup (GTK_LABEL (name), markup);
    }
  else
    gtk_label_set_text (GTK_LABEL (name), tsr_code_get_name (code));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_margin_start (box, 18 * MIN (depth, 6));
  g_object_set_data (G_OBJECT (row), "tsr-code-depth", GUINT_TO_POINTER (depth));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  if (view_counts (self) != NULL)
    {
      g_autofree char *n = g_strdup_printf ("%u", tsr_counts_get_code_n (view_counts (self), id));
      gtk_label_set_text (GTK_LABEL (count), n);
    }
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* The tooltip is made when asked for: setting one on a row asks the
   * display where the pointer is, a round trip per row. */
  gtk_widget_set_has_tooltip (row, TRUE);
  g_signal_connect (row, "query-tooltip", G_CALLBACK (on_bin_row_query_tooltip_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, path, -1);
  g_object_set_data (G_OBJECT (row), "tsr-count-label", count);
  g_object_set_data_full (G_OBJECT (row), "tsr-code-path", g_strdup (path), g_free);

  g_object_set_data_full (G_OBJECT (row), "tsr-code-id64", g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data_full (G_OBJECT (row), "tsr-code-uuid", g_strdup (tsr_entity_get_uuid (TSR_ENTITY (code))),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "tsr-code", g_object_ref (code), g_object_unref);
  g_object_set_data_full (G_OBJECT (row), "tsr-code-name", g_utf8_casefold (path, -1), g_free);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_bin_drag_prepare_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  return row;
}

static gint64
row_code (GtkListBoxRow *row)
{
  gint64 *id = row ? g_object_get_data (G_OBJECT (row), "tsr-code-id64") : NULL;
  return id ? *id : 0;
}

static void
refresh_bin (TsrThemesView *self)
{
  g_autoptr(GHashTable) sorted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) themes = NULL;
  gint64 selected = row_code (gtk_list_box_get_selected_row (self->bin_list));
  GtkWidget *child;
  guint n = 0;

  self->bin_stale = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->bin_list))) != NULL)
    gtk_list_box_remove (self->bin_list, child);

  if (self->project == NULL)
    return;

  themes = tsr_project_list_all_themes (self->project);
  for (guint i = 0; themes != NULL && i < themes->len; i++)
    {
      g_autoptr(GArray) ids = tsr_project_get_theme_codes (self->project,
                                                           tsr_entity_get_id (g_ptr_array_index (themes, i)));
      for (guint j = 0; j < ids->len; j++)
        g_hash_table_add (sorted, g_memdup2 (&g_array_index (ids, gint64, j), sizeof (gint64)));
    }

  /* A code is sorted with a code above or below it that is in a theme:
   * the bin holds what is still to place. */
  codes = tsr_project_list_all_codes (self->project);
  {
    g_autoptr(GHashTable) parents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    g_autoptr(GHashTable) direct = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
    GHashTableIter iter;
    gpointer key;

    for (guint i = 0; codes != NULL && i < codes->len; i++)
      {
        TsrCode *code = g_ptr_array_index (codes, i);
        gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
        gint64 parent = tsr_code_get_parent_id (code);

        g_hash_table_insert (parents, g_memdup2 (&id, sizeof id), g_memdup2 (&parent, sizeof parent));
      }
    g_hash_table_iter_init (&iter, sorted);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_hash_table_add (direct, g_memdup2 (key, sizeof (gint64)));
    for (guint i = 0; codes != NULL && i < codes->len; i++)
      {
        gint64 id = tsr_entity_get_id (g_ptr_array_index (codes, i));
        gboolean in = FALSE;
        guint guard = 0;

        for (gint64 up = id; up != 0 && !in && guard++ < codes->len; )
          {
            gint64 *parent = g_hash_table_lookup (parents, &up);

            in = g_hash_table_contains (direct, &up);
            up = parent ? *parent : 0;
          }
        if (in)
          {
            /* It and every code above it are sorted. */
            for (gint64 up = id; up != 0 && guard++ < 2 * codes->len; )
              {
                gint64 *parent = g_hash_table_lookup (parents, &up);

                g_hash_table_add (sorted, g_memdup2 (&up, sizeof up));
                up = parent ? *parent : 0;
              }
          }
      }
  }
  /* In tree order, each code under the unsorted codes above it. */
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      TsrCode *code = g_ptr_array_index (codes, i);
      gint64 id = tsr_entity_get_id (TSR_ENTITY (code));
      g_autofree char *context = NULL;
      gint64 up = tsr_code_get_parent_id (code);
      guint depth = 0;
      GtkWidget *row;

      if (g_hash_table_contains (sorted, &id))
        continue;
      while (up != 0 && !g_hash_table_contains (sorted, &up) && depth < codes->len)
        {
          g_autoptr(TsrCode) parent = tsr_project_lookup_code (self->project, up);

          depth++;
          up = parent ? tsr_code_get_parent_id (parent) : 0;
        }
      if (up != 0 && depth == 0)
        context = tsr_project_get_code_path (self->project, up);
      row = make_bin_row (self, code, depth, context);
      gtk_list_box_append (self->bin_list, row);
      if (id == selected)
        gtk_list_box_select_row (self->bin_list, GTK_LIST_BOX_ROW (row));
      n++;
    }

  {
    g_autofree char *heading = g_strdup_printf (_("Unsorted Codes (%u)"), n);
    gtk_label_set_text (self->bin_heading, heading);
  }
  gtk_list_box_invalidate_filter (self->bin_list);
}

/* The n beside each unsorted code, from the counts now shown. */
static void
update_bin_counts (TsrThemesView *self)
{
  TsrCounts *counts = view_counts (self);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->bin_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = g_object_get_data (G_OBJECT (row), "tsr-count-label");
      g_autofree char *n = NULL;

      if (label == NULL)
        continue;
      if (counts != NULL)
        n = g_strdup_printf ("%u", tsr_counts_get_code_n (counts, row_code (GTK_LIST_BOX_ROW (row))));
      gtk_label_set_text (GTK_LABEL (label), n ? n : "");
    }
}

/* A row per unsorted code is a widget each: made only for a view on
 * screen, or when it is next shown. */
static void
queue_refresh_bin (TsrThemesView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_bin (self);
  else
    self->bin_stale = TRUE;
}

static gboolean
bin_filter (GtkListBoxRow *row,
            gpointer       data)
{
  TsrThemesView *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->bin_search));
  g_autofree char *needle = NULL;
  const char *name;

  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  name = g_object_get_data (G_OBJECT (row), "tsr-code-name");
  return name != NULL && strstr (name, needle) != NULL;
}

static void
on_bin_search_changed_cb (TsrThemesView  *self,
                          GtkSearchEntry *entry)
{
  gtk_list_box_invalidate_filter (self->bin_list);
}

static void
on_bin_row_activated_cb (TsrThemesView *self,
                         GtkListBoxRow *row)
{
  TsrMapHit hit = tsr_theme_map_get_selection (self->map);
  g_autoptr(GError) error = NULL;
  gint64 theme = hit.kind == TSR_MAP_HIT_THEME || hit.kind == TSR_MAP_HIT_CHIP ? hit.theme_id : 0;

  if (!tsr_theme_map_add_code (self->map, row_code (row), theme, &error))
    {
      tsr_toast_show (GTK_WIDGET (self), error->message);
    }
}

static void
on_bin_row_selected_cb (TsrThemesView *self,
                        GtkListBoxRow *row)
{
  if (row != NULL)
    {
      self->hint_code = row_code (row);
      update_hints (self);
    }
}

/* Hints ---------------------------------------------------------------- */

static void
update_hints (TsrThemesView *self)
{
  g_autoptr(TsrCode) code = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(GString) markup = g_string_new (NULL);

  if (self->project == NULL || self->hint_code == 0 ||
      (code = tsr_project_lookup_code (self->project, self->hint_code)) == NULL)
    {
      gtk_label_set_text (self->hints_heading, _("Found Together"));
      gtk_label_set_markup (self->hints_label,
                            _("<span size=\"small\">Select a code to see the codes most often found in the same documents.</span>"));
      return;
    }

  {
    g_autofree char *heading = g_strdup_printf (_("Found Together with “%s”"), tsr_code_get_name (code));
    gtk_label_set_text (self->hints_heading, heading);
  }

  if (view_counts (self) == NULL)
    {
      gtk_label_set_text (self->hints_label, _("Counting…"));
      return;
    }

  list = tsr_counts_list_cooccurring (view_counts (self), self->project, self->hint_code, N_HINTS);
  if (list->len == 0)
    g_string_append (markup, _("<span size=\"small\">No other code occurs in the same documents.</span>"));
  for (guint i = 0; i < list->len; i++)
    {
      TsrCooccurrence *c = &g_array_index (list, TsrCooccurrence, i);
      g_autoptr(TsrCode) other = tsr_project_lookup_code (self->project, c->code_id);
      g_autofree char *line = NULL;

      if (other == NULL)
        continue;
      /* Translators: a code found with the selected one: name, shared documents */
      line = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE,
                                                   "<b>%s</b> <span size=\"small\">— %u document</span>",
                                                   "<b>%s</b> <span size=\"small\">— %u documents</span>",
                                                   c->both),
                                      tsr_code_get_name (other), c->both);
      if (i > 0)
        g_string_append_c (markup, '\n');
      g_string_append (markup, line);
    }

  /* The same coding the n on the map counts, and saying whose. */
  {
    g_autoptr(TsrScope) scope = tsr_scope_choice_get_scope (self->scope_dropdown);
    g_autofree char *whose = tsr_scope_describe (scope, self->project);
    g_autofree char *line = NULL;

    /* Translators: below the codes found together; %s is whose coding
     * is counted ("any coder", "the consensus", "Dana Whitfield") */
    line = g_markup_printf_escaped (_("<span size=\"small\">Coding by %s</span>"), whose);
    g_string_append_c (markup, '\n');
    g_string_append (markup, line);
  }
  gtk_label_set_markup (self->hints_label, markup->str);
}

static void
on_map_selection_changed_cb (TsrThemesView *self,
                             TsrThemeMap   *map)
{
  TsrMapHit hit = tsr_theme_map_get_selection (map);

  if (hit.kind == TSR_MAP_HIT_CHIP)
    {
      self->hint_code = hit.code_id;
      gtk_list_box_unselect_all (self->bin_list);
      update_hints (self);
    }
}

static void
on_map_activate_theme_cb (TsrThemesView *self,
                          gint64         theme_id,
                          TsrThemeMap   *map)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TSR_IS_WINDOW (root))
    tsr_window_show_theme (TSR_WINDOW (root), theme_id);
}

static void
on_map_notify_zoom_cb (TsrThemesView *self,
                       GParamSpec    *pspec,
                       TsrThemeMap   *map)
{
  g_autofree char *label = g_strdup_printf ("%.0f %%", 100 * tsr_theme_map_get_zoom (map));

  gtk_button_set_label (self->zoom_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->zoom_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_project_changed_cb (TsrProject    *project,
                       TsrChange      change,
                       TsrThemesView *self)
{
  if (change & TSR_CHANGE_CODERS)
    tsr_scope_choice_fill (self->scope_dropdown, project);
  else if (change & TSR_CHANGE_SEGMENTS)
    tsr_scope_choice_follow_default (self->scope_dropdown, project);
  if (change & (TSR_CHANGE_CODES | TSR_CHANGE_THEMES))
    queue_refresh_bin (self);
  /* The counts pipeline counts again, or tallies a theme edit at once. */
}

/* Actions -------------------------------------------------------------- */

static void
zoom_in_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);
  tsr_theme_map_set_zoom (self->map, tsr_theme_map_get_zoom (self->map) * 1.25);
}

static void
zoom_out_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);
  tsr_theme_map_set_zoom (self->map, tsr_theme_map_get_zoom (self->map) / 1.25);
}

static void
zoom_reset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsr_theme_map_set_zoom (TSR_THEMES_VIEW (widget)->map, 1.0);
}

static void
zoom_fit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsr_theme_map_fit (TSR_THEMES_VIEW (widget)->map);
}

static void
new_theme_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (tsr_theme_map_new_theme (self->map, &error) == 0)
    {
      tsr_toast_show (widget, error->message);
    }
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TsrThemesView   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      if (path == NULL)
        g_set_error_literal (&error, TSR_ERROR, TSR_ERROR_UNSUPPORTED,
                             _("The map can only be saved in a folder on this computer"));
      else if (tsr_theme_map_export (self->map, path, &error))
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *message = g_strdup_printf (_("Map exported to “%s”"), name);

          tsr_toast_show (GTK_WIDGET (self), message);
        }
      if (error != NULL && TSR_IS_WINDOW (root))
        tsr_window_show_error (TSR_WINDOW (root), _("Could Not Export the Map"), error->message);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);
  const char *format = g_variant_get_string (param, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *suggested = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", format);

  if (self->project == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export the Theme Map"), GTK_WINDOW (root),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  suggested = g_strdup_printf ("%s – %s.%s", tsr_project_get_title (self->project), _("Themes"), format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_filter_set_name (filter, format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The co-occurrence table: the most frequent codes, row × column. */
static void
cooccurrence_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TsrCooccurrenceTable) table = NULL;
  g_autofree char *scope = tsr_scope_choice_describe (self->scope_dropdown);
  g_autofree char *subtitle = NULL;
  GtkWidget *window, *box, *header, *scroller, *grid, *note;
  guint max = 1, n_used = 0;

  if (self->project == NULL || view_counts (self) == NULL)
    return;

  codes = tsr_project_list_all_codes (self->project);
  for (guint i = 0; i < codes->len; i++)
    {
      gint64 id = tsr_entity_get_id (g_ptr_array_index (codes, i));
      if (tsr_counts_get_code_n (view_counts (self), id) > 0)
        g_array_append_val (ids, id);
    }
  n_used = ids->len;
  /* Most frequent first, up to what a screen can show. */
  for (guint i = 1; i < ids->len; i++)
    for (guint j = i; j > 0 && tsr_counts_get_code_n (view_counts (self), g_array_index (ids, gint64, j)) >
                               tsr_counts_get_code_n (view_counts (self), g_array_index (ids, gint64, j - 1)); j--)
      {
        gint64 t = g_array_index (ids, gint64, j);
        g_array_index (ids, gint64, j) = g_array_index (ids, gint64, j - 1);
        g_array_index (ids, gint64, j - 1) = t;
      }
  if (ids->len > MATRIX_MAX_CODES)
    g_array_set_size (ids, MATRIX_MAX_CODES);
  table = tsr_cooccurrence_table_new (view_counts (self), (gint64 *) ids->data, ids->len);
  for (guint i = 0; i < ids->len; i++)
    max = MAX (max, tsr_cooccurrence_table_get (table, i, i));

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Code Co-occurrence"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  subtitle = g_strdup_printf (_("Documents holding both codes · %s"), scope);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Code Co-occurrence"), subtitle));
  gtk_box_append (GTK_BOX (box), header);

  if (n_used > ids->len)
    {
      g_autofree char *text = g_strdup_printf (_("The %u most frequent of %u coded codes. The diagonal is each code’s n."),
                                               ids->len, n_used);
      note = gtk_label_new (text);
    }
  else
    note = gtk_label_new (_("The diagonal is each code’s n."));
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_set_margin_top (note, 6);
  gtk_box_append (GTK_BOX (box), note);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 2);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Code co-occurrence table"), -1);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TsrCode) code = tsr_project_lookup_code (self->project, g_array_index (ids, gint64, i));
      g_autofree char *row_text = g_strdup_printf ("%u  %s", i + 1, tsr_code_get_name (code));
      g_autofree char *col_text = g_strdup_printf ("%u", i + 1);
      GtkWidget *row_label = gtk_label_new (row_text);
      GtkWidget *col_label = gtk_label_new (col_text);

      gtk_label_set_xalign (GTK_LABEL (row_label), 0);
      gtk_widget_set_tooltip_text (col_label, tsr_code_get_name (code));
      gtk_widget_add_css_class (col_label, "heading");
      gtk_grid_attach (GTK_GRID (grid), row_label, 0, i + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), col_label, i + 1, 0, 1, 1);

      for (guint j = 0; j < ids->len; j++)
        {
          guint v = tsr_cooccurrence_table_get (table, i, j);
          g_autofree char *markup = g_strdup_printf ("<span bgcolor=\"#3584e4\" bgalpha=\"%d%%\"> %3u </span>",
                                                     v == 0 ? 1 : 8 + (int) (60.0 * v / max), v);
          GtkWidget *cell = gtk_label_new (NULL);
          g_autoptr(TsrCode) other = tsr_project_lookup_code (self->project, g_array_index (ids, gint64, j));
          g_autofree char *tip = g_strdup_printf (_("“%s” and “%s”: %u documents"),
                                                  tsr_code_get_name (code), tsr_code_get_name (other), v);

          gtk_label_set_markup (GTK_LABEL (cell), markup);
          gtk_widget_add_css_class (cell, "numeric");
          if (i == j)
            gtk_widget_add_css_class (cell, "heading");
          gtk_widget_set_tooltip_text (cell, tip);
          gtk_grid_attach (GTK_GRID (grid), cell, j + 1, i + 1, 1, 1);
        }
    }

  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

/* GObject -------------------------------------------------------------- */

static void
tsr_themes_view_dispose (GObject *object)
{
  TsrThemesView *self = TSR_THEMES_VIEW (object);

  set_project (self, NULL);
  g_clear_object (&self->pipeline);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSR_TYPE_THEMES_VIEW);

  G_OBJECT_CLASS (tsr_themes_view_parent_class)->dispose (object);
}

static void
tsr_themes_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TsrThemesView *self = TSR_THEMES_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_themes_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsrThemesView *self = TSR_THEMES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tsr_session_follow_project (g_value_get_object (value), self,
                                  (TsrSessionProjectFunc) set_project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_themes_view_map (GtkWidget *widget)
{
  TsrThemesView *self = TSR_THEMES_VIEW (widget);

  GTK_WIDGET_CLASS (tsr_themes_view_parent_class)->map (widget);
  if (self->bin_stale)
    refresh_bin (self);
  tsr_counts_pipeline_view_mapped (self->pipeline);
}

static void
tsr_themes_view_class_init (TsrThemesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsr_themes_view_dispose;
  object_class->get_property = tsr_themes_view_get_property;
  object_class->set_property = tsr_themes_view_set_property;
  widget_class->map = tsr_themes_view_map;

  properties [PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TSR_TYPE_PROJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The window's session, set once: the view shows its project. */
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TSR_TYPE_SESSION,
                         (G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSR_TYPE_THEME_MAP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tessera/Tessera/tsr-themes-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, flap);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, bin_heading);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, bin_search);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, bin_list);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, hints_heading);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, hints_label);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, link_button);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, map);
  gtk_widget_class_bind_template_child (widget_class, TsrThemesView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_bin_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_bin_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_bin_row_selected_cb);

  gtk_widget_class_install_action (widget_class, "themes.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "themes.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "themes.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "themes.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "themes.new-theme", NULL, new_theme_action);
  gtk_widget_class_install_action (widget_class, "themes.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "themes.cooccurrence", NULL, cooccurrence_action);

  /* The key added last is the one menus show: the keypad's first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "themes.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "themes.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "themes.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "themes.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "themes.zoom-out", NULL);
  /* As GNOME's image viewer: Ctrl+0 fits, Ctrl+1 is actual size. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "themes.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "themes.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "themes.new-theme", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tsr_themes_view_init (TsrThemesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_filter_func (self->bin_list, bin_filter, self, NULL);
  g_object_bind_property (self->link_button, "active", self->map, "link-mode",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->map, "selection-label", self->status_label, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->map, "selection-changed",
                           G_CALLBACK (on_map_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "activate-theme",
                           G_CALLBACK (on_map_activate_theme_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "notify::zoom",
                           G_CALLBACK (on_map_notify_zoom_cb), self, G_CONNECT_SWAPPED);
  tsr_scope_choice_fill (self->scope_dropdown, NULL);
  self->pipeline = tsr_counts_pipeline_new (GTK_WIDGET (self), self->scope_dropdown);
  g_signal_connect_object (self->pipeline, "counts-changed",
                           G_CALLBACK (on_counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pipeline, "tally-changed",
                           G_CALLBACK (on_tally_changed_cb), self, G_CONNECT_SWAPPED);
  on_map_notify_zoom_cb (self, NULL, self->map);
  update_hints (self);
}

/* Public API ----------------------------------------------------------- */

GtkWidget *
tsr_themes_view_new (void)
{
  return g_object_new (TSR_TYPE_THEMES_VIEW, NULL);
}

TsrProject *
tsr_themes_view_get_project (TsrThemesView *self)
{
  g_return_val_if_fail (TSR_IS_THEMES_VIEW (self), NULL);
  return self->project;
}

static void
set_project (TsrThemesView *self,
             TsrProject    *project)
{
  if (self->project == project)
    return;

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_handler, self->project);
  if (self->map != NULL)
    tsr_theme_map_set_tally (self->map, NULL);
  if (self->pipeline != NULL)
    tsr_counts_pipeline_set_project (self->pipeline, project);
  g_set_object (&self->project, project);
  self->hint_code = 0;

  if (self->map == NULL)
    return;

  if (project != NULL)
    self->changed_handler = g_signal_connect (project, "changed", G_CALLBACK (on_project_changed_cb), self);
  tsr_scope_choice_fill (self->scope_dropdown, project);
  tsr_theme_map_set_project (self->map, project);
  queue_refresh_bin (self);
  update_hints (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PROJECT]);
}

/**
 * tsr_themes_view_get_map:
 *
 * Returns: (transfer none): the map canvas
 */
TsrThemeMap *
tsr_themes_view_get_map (TsrThemesView *self)
{
  g_return_val_if_fail (TSR_IS_THEMES_VIEW (self), NULL);
  return self->map;
}

/**
 * tsr_themes_view_get_counts:
 *
 * Returns: (transfer none) (nullable): the counts shown, once computed
 */
TsrCounts *
tsr_themes_view_get_counts (TsrThemesView *self)
{
  g_return_val_if_fail (TSR_IS_THEMES_VIEW (self), NULL);
  return view_counts (self);
}

/**
 * tsr_themes_view_get_bin:
 *
 * Returns: (transfer none): the list of unsorted codes
 */
GtkListBox *
tsr_themes_view_get_bin (TsrThemesView *self)
{
  g_return_val_if_fail (TSR_IS_THEMES_VIEW (self), NULL);
  if (self->bin_stale)
    refresh_bin (self);
  return self->bin_list;
}
