/* test-icons.c — every icon the app names is one the icon theme has
 *
 * A missing icon shows as a broken-image placeholder, and nothing else
 * says so: this reads every icon name out of the app's .ui files and C
 * sources and asks the icon theme for each, as the running app would.
 *
 * Runs under Xvfb with in-memory GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsr-application.h"

static TsrApplication *app;

/* Adds to @names every icon name that @text gives: icon-name properties
 * of .ui files and any "…-symbolic" string in C or XML. */
static void
collect_icon_names (const char *text,
                    GHashTable *names)
{
  static const char *patterns[] = {
    "<property name=\"icon-name\">([^<]+)</property>",
    "<attribute name=\"icon\">([^<]+)</attribute>",
    "\"([A-Za-z0-9._-]+-symbolic)\"",
    ">([A-Za-z0-9._-]+-symbolic)<",
  };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (patterns[i], 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (regex, text, 0, &match);
      while (g_match_info_matches (match))
        {
          g_hash_table_add (names, g_match_info_fetch (match, 1));
          g_match_info_next (match, NULL);
        }
    }
}

static void
collect_from_dir (const char *dir,
                  GHashTable *names,
                  guint      *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;

      if (!g_str_has_suffix (name, ".ui") && !g_str_has_suffix (name, ".c"))
        continue;
      path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      collect_icon_names (text, names);
      (*n_files)++;
    }
}

static void
test_icons_resolve (void)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *app_dir = g_test_build_filename (G_TEST_DIST, "..", "src", "app", NULL);
  g_autofree char *gtk_dir = g_build_filename (app_dir, "gtk", NULL);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  const char *name;
  guint n_files = 0;

  collect_from_dir (app_dir, names, &n_files);
  collect_from_dir (gtk_dir, names, &n_files);
  g_hash_table_add (names, g_strdup (APP_ID));

  /* The scan saw the sources, and found the icons everybody can see. */
  g_assert_cmpuint (n_files, >, 20);
  g_assert_true (g_hash_table_contains (names, "list-add-symbolic"));
  g_assert_true (g_hash_table_contains (names, "edit-find-symbolic"));
  g_assert_cmpuint (g_hash_table_size (names), >, 20);

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      g_test_message ("icon %s: %s", name,
                      gtk_icon_theme_has_icon (theme, name) ? "found" : "MISSING");
      if (!gtk_icon_theme_has_icon (theme, name))
        g_string_append_printf (missing, " %s", name);
    }

  g_assert_cmpstr (missing->str, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  /* Registering runs the application's startup, which adds its bundled
   * icons (under the resource base path) to the icon theme. */
  app = tsr_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/tessera/app/icons-resolve", test_icons_resolve);

  ret = g_test_run ();
  g_clear_object (&app);

  return ret;
}
