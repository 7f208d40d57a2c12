/* tsr-cli-words.c — word frequencies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "tsr-cli-private.h"

typedef struct
{
  GPtrArray       *table;
  guint            top;
  gboolean         tsv;
  TsrExportFormat  format;
} Words;

static gboolean
write_words (GOutputStream  *stream,
             gpointer        user_data,
             GCancellable   *cancellable,
             GError        **error)
{
  Words *w = user_data;
  guint n = w->top > 0 ? MIN (w->top, w->table->len) : w->table->len;

  if (w->tsv)
    {
      g_autoptr(GString) text = g_string_new ("word\tcount\tdocuments\n");

      for (guint i = 0; i < n; i++)
        {
          TsrWordCount *count = w->table->pdata[i];

          tsr_cli_append_tsv_field (text, count->word);
          g_string_append_printf (text, "\t%u\t%u\n", count->count, count->documents);
        }
      return g_output_stream_write_all (stream, text->str, text->len, NULL, cancellable, error);
    }
  else
    {
      g_autoptr(TsrExportDocument) doc = tsr_export_document_new (_("Word frequencies"));
      TsrExportTable *table = tsr_export_document_add_table (doc, 3);

      tsr_export_table_set_caption (table, _("Word frequencies"));

      tsr_export_table_set_column (table, 0, _("Word"), TSR_ALIGN_START, 3);
      tsr_export_table_set_column (table, 1, _("Count"), TSR_ALIGN_END, 1);
      tsr_export_table_set_column (table, 2, _("Documents"), TSR_ALIGN_END, 1);
      for (guint i = 0; i < n; i++)
        {
          TsrWordCount *count = w->table->pdata[i];
          g_autofree char *count_text = g_strdup_printf ("%u", count->count);
          g_autofree char *documents_text = g_strdup_printf ("%u", count->documents);
          guint row = tsr_export_table_add_row (table, 0, TSR_TEXT_PLAIN);

          tsr_export_table_set_cell (table, row, 0, count->word);
          tsr_export_table_set_cell (table, row, 1, count_text);
          tsr_export_table_set_cell (table, row, 2, documents_text);
        }
      return tsr_export_document_write (doc, w->format, TSR_EXPORT_FLAGS_NONE, stream, cancellable, error);
    }
}

/* "a,b" "c" → a, b, c */
static GPtrArray *
split_list (char **args)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (args[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (*g_strstrip (parts[j]) != '\0')
          g_ptr_array_add (items, g_strdup (parts[j]));
    }
  return items;
}

int
tsr_cli_cmd_words (int    argc,
                   char **argv)
{
  const Command *command = tsr_cli_lookup_command ("words");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(TsrProject) project = NULL;
  g_autoptr(TsrWordsQuery) query = tsr_words_query_new ();
  g_autoptr(GPtrArray) table = NULL;
  g_autoptr(GPtrArray) stop = NULL;
  g_autoptr(GPtrArray) excluded = NULL;
  g_autoptr(GArray) document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_auto(ScopeOptions) scope_options = { 0, };
  g_auto(GStrv) document_args = NULL;
  g_auto(GStrv) stop_args = NULL;
  g_auto(GStrv) exclude_args = NULL;
  g_autofree char *code_arg = NULL;
  g_autofree char *case_arg = NULL;
  g_autofree char *coder_arg = NULL;
  g_autofree char *format_arg = NULL;
  g_autofree char *out_path = NULL;
  gboolean with_subcodes = FALSE;
  int min_length = 1, top = 0;
  int status = EXIT_SUCCESS;
  Words w = { NULL, 0, TRUE, TSR_EXPORT_CSV };
  const GOptionEntry entries[] = {
    { "document", 'd', 0, G_OPTION_ARG_FILENAME_ARRAY, &document_args, N_("Count this document (by name or id); may be repeated"), N_("DOCUMENT") },
    { "code", 'c', 0, G_OPTION_ARG_FILENAME, &code_arg, N_("Count the words of this code’s passages"), N_("CODE") },
    { "with-subcodes", 's', 0, G_OPTION_ARG_NONE, &with_subcodes, N_("With --code, its sub-codes’ passages too"), NULL },
    { "coder", 0, 0, G_OPTION_ARG_FILENAME, &coder_arg, N_("With --code, this coder’s passages (default: whose coding “tessera-cli stats” counts)"), N_("NAME") },
    { "case", 0, 0, G_OPTION_ARG_FILENAME, &case_arg, N_("Count only this case’s documents"), N_("CASE") },
    { "stop", 'l', 0, G_OPTION_ARG_FILENAME_ARRAY, &stop_args, N_("Leave out the stop words of these languages: de, en, es, fr, hu, it, nl, pt"), N_("LANG,…") },
    { "exclude", 'x', 0, G_OPTION_ARG_FILENAME_ARRAY, &exclude_args, N_("Leave out these words too"), N_("WORD,…") },
    { "min-length", 'm', 0, G_OPTION_ARG_INT, &min_length, N_("Count only words of at least N characters (1)"), N_("N") },
    { "top", 'n', 0, G_OPTION_ARG_INT, &top, N_("Print only the N most frequent words"), N_("N") },
    { "format", 'f', 0, G_OPTION_ARG_FILENAME, &format_arg, N_("tsv (default), csv, md or html"), N_("FORMAT") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  context = tsr_cli_command_context (command, entries,
                                     _("Counts how often each word occurs, and in how many documents: in the whole "
                                       "project, in --documents, in a --case's documents or in a --code's passages. "
                                       "Words are compared in lower case with their accents; an apostrophe inside a "
                                       "word keeps it whole. The most frequent words come first."));
  if (!tsr_cli_parse_options (context, command->name, &argc, &argv, &status) ||
      !tsr_cli_check_arguments (command, argc, 1, 1, &status))
    return status;
  if (min_length < 1 || min_length > 1000)
    return tsr_cli_usage_error (command->name, _("--min-length must be between 1 and 1000 characters"));
  if (top < 0)
    return tsr_cli_usage_error (command->name, _("--top must be 0 or more"));
  if (format_arg != NULL && !g_str_equal (format_arg, "tsv"))
    {
      if (!tsr_export_format_from_string (format_arg, &w.format) ||
          (w.format != TSR_EXPORT_CSV && w.format != TSR_EXPORT_MARKDOWN && w.format != TSR_EXPORT_HTML))
        return tsr_cli_usage_error (command->name, _("Unknown format “%s”: use tsv, csv, md or html"), format_arg);
      w.tsv = FALSE;
    }
  if (coder_arg != NULL && code_arg == NULL)
    return tsr_cli_usage_error (command->name, _("--coder goes with --code"));
  if (!tsr_cli_parse_scope_options (command->name, NULL, coder_arg, case_arg, NULL, &scope_options, &status))
    return status;

  stop = split_list (stop_args);
  for (guint i = 0; i < stop->len; i++)
    if (!tsr_words_query_add_stop_words (query, stop->pdata[i], &error))
      return tsr_cli_usage_error (command->name, "%s", error->message);
  excluded = split_list (exclude_args);
  for (guint i = 0; i < excluded->len; i++)
    {
      g_autofree char *word = tsr_cli_argument_to_utf8 (excluded->pdata[i], &error);

      if (word == NULL)
        return tsr_cli_usage_error (command->name, "%s", error->message);
      tsr_words_query_exclude (query, word);
    }
  tsr_words_query_set_min_length (query, (guint) min_length);

  if (!(project = tsr_cli_open_for_reading (argv[1], &error)))
    return tsr_cli_fail (error);

  for (guint i = 0; document_args != NULL && document_args[i] != NULL; i++)
    {
      g_autofree char *name = tsr_cli_argument_to_utf8 (document_args[i], &error);
      g_autoptr(TsrDocument) document = name ? tsr_cli_find_document (project, name, &error) : NULL;
      gint64 id;

      if (document == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      id = tsr_entity_get_id (TSR_ENTITY (document));
      g_array_append_val (document_ids, id);
    }
  if (document_ids->len > 0)
    tsr_words_query_set_documents (query, (const gint64 *) document_ids->data, document_ids->len);

  if (code_arg != NULL)
    {
      g_autofree char *path = tsr_cli_argument_to_utf8 (code_arg, &error);
      g_autoptr(TsrCode) code = path ? tsr_project_find_code (project, path) : NULL;

      if (path == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      if (code == NULL)
        {
          g_set_error (&error, TSR_ERROR, TSR_ERROR_NOT_FOUND, _("There is no code “%s” in this project"), path);
          return tsr_cli_close_project (project, tsr_cli_fail (error));
        }
      tsr_words_query_set_code (query, tsr_entity_get_id (TSR_ENTITY (code)), with_subcodes);
    }

  /* A code's passages are those of whose coding counts, as in
   * "tessera-cli stats" (the consensus, when there is one): the same
   * passage coded by three coders is counted once, not three times. */
  if (code_arg != NULL || scope_options.case_name != NULL)
    {
      g_autoptr(TsrScope) scope = tsr_cli_resolve_scope (project, &scope_options, &error);

      if (scope == NULL)
        return tsr_cli_close_project (project, tsr_cli_fail (error));
      tsr_words_query_set_scope (query, scope);
    }

  if (!(table = tsr_project_count_words (project, query, NULL, NULL, &error)))
    return tsr_cli_close_project (project, tsr_cli_fail (error));
  if (!tsr_cli_check_reads (project, &status))
    return tsr_cli_close_project (project, status);

  w.table = table;
  w.top = (guint) top;
  if (out_path == NULL || g_str_equal (out_path, "-"))
    {
      g_autoptr(GOutputStream) stream = NULL;

      fflush (stdout);
      stream = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      if (!write_words (stream, &w, NULL, &error))
        status = tsr_cli_fail (error);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (out_path);

      if (!tsr_export_save_file (file, write_words, &w, NULL, &error))
        status = tsr_cli_fail (error);
    }
  return tsr_cli_close_project (project, status);
}
