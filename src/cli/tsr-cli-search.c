/* tsr-cli-search.c — searching the documents' text: hits and
 * keyword-in-context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tsr-cli-private.h"

static const char query_help[] =
  N_("QUERY is words (case and accents ignored), \"a phrase\", a prefix*, and OR, AND or NOT "
     "between words or groups in parentheses; with --substring, a piece of text of three "
     "characters or more found anywhere, inside words too. With --regex, the hits are the "
     "regular expression’s matches in the documents QUERY finds (an empty QUERY: every document).");

/* The name of each document, by id, for printing. */
static GHashTable *
document_names (TsrProject *project)
{
  g_autoptr(GListModel) documents = tsr_project_get_documents (project);
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (documents); i++)
    {
      g_autoptr(TsrDocument) document = g_list_model_get_item (documents, i);
      gint64 *id = g_new (gint64, 1);

      *id = tsr_entity_get_id (TSR_ENTITY (document));
      g_hash_table_insert (names, id, g_strdup (tsr_document_get_name (document)));
    }
  return names;
}

static GArray *
run_search (TsrProject     *project,
            const char     *query_arg,
            gboolean        substring,
            const char     *regex_arg,
            int            *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *query = tsr_cli_argument_to_utf8 (query_arg, &error);
  g_autofree char *regex = NULL;
  GArray *hits;

  if (query != NULL && regex_arg != NULL)
    regex = tsr_cli_argument_to_utf8 (regex_arg, &error);
  if (error != NULL)
    {
      *status = tsr_cli_fail (error);
      return NULL;
    }

  hits = tsr_project_search (project, query, substring ? TSR_SEARCH_SUBSTRING : TSR_SEARCH_WORDS,
                             regex, NULL, &error);
  if (hits == NULL)
    *status = tsr_cli_fail (error);
  return hits;
}

int
tsr_cli_cmd_search (int    argc,
                    char **argv)
{
  const Command *command = tsr_cli_lookup_command ("search");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *regex = NULL;
  gboolean substring = FALSE, every_hit = FALSE;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "substring", 's', 0, G_OPTION_ARG_NONE, &substring, N_("Find QUERY as a piece of text, inside words too"), NULL },
    { "regex", 'r', 0, G_OPTION_ARG_STRING, &regex, N_("The hits are the matches of this regular expression"), N_("RE") },
    { "hits", 0, 0, G_OPTION_ARG_NONE, &every_hit, N_("Print every hit (document, start, end, text) instead of one line per document"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries, _(query_help));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  if (!(hits = run_search (project, argv[2], substring, regex, &status)))
    return tsr_cli_close_project (project, status);

  names = document_names (project);
  if (every_hit)
    {
      g_autoptr(GPtrArray) lines = tsr_project_concordance (project, hits, 0, &error);

      if (lines == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      tsr_cli_print_tsv_row ("document", "start", "end", "text", NULL);
      for (guint i = 0; i < lines->len; i++)
        {
          TsrConcordanceLine *line = lines->pdata[i];
          g_autofree char *start = g_strdup_printf ("%u", line->start);
          g_autofree char *end = g_strdup_printf ("%u", line->end);

          tsr_cli_print_tsv_row (g_hash_table_lookup (names, &line->document_id), start, end,
                                 line->keyword, NULL);
        }
    }
  else
    {
      tsr_cli_print_tsv_row ("document", "hits", NULL);
      for (guint i = 0; i < hits->len;)
        {
          gint64 id = g_array_index (hits, TsrSearchHit, i).document_id;
          g_autofree char *n_text = NULL;
          guint n = 0;

          for (; i < hits->len && g_array_index (hits, TsrSearchHit, i).document_id == id; i++)
            n++;
          n_text = g_strdup_printf ("%u", n);
          tsr_cli_print_tsv_row (g_hash_table_lookup (names, &id), n_text, NULL);
        }
    }

  return tsr_cli_close_project (project, status);
}

int
tsr_cli_cmd_kwic (int    argc,
                  char **argv)
{
  const Command *command = tsr_cli_lookup_command ("kwic");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *regex = NULL;
  gboolean substring = FALSE, tsv = FALSE;
  int width = 40;
  int status = EXIT_SUCCESS;
  const GOptionEntry entries[] = {
    { "width", 'w', 0, G_OPTION_ARG_INT, &width, N_("Characters of context on each side (40)"), N_("N") },
    { "substring", 's', 0, G_OPTION_ARG_NONE, &substring, N_("Find QUERY as a piece of text, inside words too"), NULL },
    { "regex", 'r', 0, G_OPTION_ARG_STRING, &regex, N_("The hits are the matches of this regular expression"), N_("RE") },
    { "tsv", 0, 0, G_OPTION_ARG_NONE, &tsv, N_("Print TSV: document, start, end, left, keyword, right"), NULL },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries, _(query_help));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 2, 2, &status))
    return status;
  if (width < 0 || width > 10000)
    return tsr_cli_usage_error (command->name, _("--width must be between 0 and 10000 characters"));

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);
  if (!(hits = run_search (project, argv[2], substring, regex, &status)))
    return tsr_cli_close_project (project, status);
  if (!(lines = tsr_project_concordance (project, hits, (guint) width, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));

  names = document_names (project);
  if (tsv)
    tsr_cli_print_tsv_row ("document", "start", "end", "left", "keyword", "right", NULL);
  for (guint i = 0; i < lines->len; i++)
    {
      TsrConcordanceLine *line = lines->pdata[i];
      const char *name = g_hash_table_lookup (names, &line->document_id);

      if (tsv)
        {
          g_autofree char *start = g_strdup_printf ("%u", line->start);
          g_autofree char *end = g_strdup_printf ("%u", line->end);

          tsr_cli_print_tsv_row (name, start, end, line->left, line->keyword, line->right, NULL);
        }
      else
        {
          /* The keyword centred: the left context right-aligned in its
           * width, counted in characters. */
          glong pad = width - g_utf8_strlen (line->left, -1);

          g_print ("%s\t%*s%s [%s] %s\n", name, (int) MAX (pad, 0), "", line->left,
                   line->keyword, line->right);
        }
    }

  return tsr_cli_close_project (project, status);
}
