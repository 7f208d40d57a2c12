/* tsr-cli-private.h — what tessera-cli's files share: the command table's
 * entry, error reporting, option parsing and opening a project
 *
 * main () and the table of commands are in tessera-cli.c; each family of
 * commands has its own file (tsr-cli-project.c, tsr-cli-io.c,
 * tsr-cli-coding.c, tsr-cli-report.c, tsr-cli-agreement.c,
 * tsr-cli-search.c, tsr-cli-cases.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <gio/gio.h>

#include "tessera.h"

G_BEGIN_DECLS

/* Exit status of a wrong command line; EXIT_FAILURE is work that failed. */
#define EXIT_USAGE 2

typedef int (*CommandFunc) (int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  const char  *parameters;
  const char  *summary;
  CommandFunc  run;
} Command;

/* tessera-cli.c: output.  Standard output is held until the command
 * ends (see tsr_cli_check_reads ()): print with these, never printf. */
void            tsr_cli_print            (const char        *format,
                                          ...) G_GNUC_PRINTF (1, 2);
void            tsr_cli_print_text       (const char        *text);
void            tsr_cli_release_output   (void);
void            tsr_cli_print_error      (const char        *message);
int             tsr_cli_fail             (GError            *error);
int             tsr_cli_usage_error      (const char        *command,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void            tsr_cli_append_tsv_field (GString           *line,
                                          const char        *value);
void            tsr_cli_print_tsv_row    (const char        *first,
                                          ...);
const char     *tsr_cli_yes_no           (gboolean           value);

/* tessera-cli.c: arguments */
char           *tsr_cli_argument_to_utf8 (const char        *argument,
                                          GError           **error);
gboolean        tsr_cli_parse_options    (GOptionContext    *context,
                                          const char        *command,
                                          int               *argc,
                                          char            ***argv,
                                          int               *status);
GOptionContext *tsr_cli_command_context  (const Command     *command,
                                          const GOptionEntry *entries,
                                          const char        *description);
gboolean        tsr_cli_check_arguments  (const Command     *command,
                                          int                argc,
                                          int                min,
                                          int                max,
                                          int               *status);
const Command  *tsr_cli_lookup_command   (const char        *name);

/* tessera-cli.c: projects */
TsrProject     *tsr_cli_open_for_reading (const char        *path,
                                          GError           **error);
/* --style, --paper and --fragment into export flags (tsr-cli-report.c);
 * FALSE with *status set on a bad value. */
gboolean        tsr_cli_export_flags     (const char        *command,
                                          const char        *style,
                                          const char        *paper,
                                          gboolean           fragment,
                                          TsrExportFlags    *flags,
                                          int               *status);
gboolean        tsr_cli_check_reads      (TsrProject        *project,
                                          int               *status);
int             tsr_cli_close_project    (TsrProject        *project,
                                          int                status);
TsrDocument    *tsr_cli_find_document    (TsrProject        *project,
                                          const char        *name_or_id,
                                          GError           **error);
gboolean        tsr_cli_set_coder        (TsrProject        *project,
                                          const char        *name,
                                          gboolean           required,
                                          GError           **error);

/* tsr-cli-report.c: --coders, --coder, --case and --attribute */
typedef struct
{
  TsrCoderMode mode;
  gboolean     mode_given;
  char        *coder_name;
  char        *case_name;
  char        *attribute_name;
  char        *attribute_value;
} ScopeOptions;

void            tsr_cli_scope_options_clear (ScopeOptions   *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScopeOptions, tsr_cli_scope_options_clear)

/* Checks the options before the project is opened; on a usage error
 * returns %FALSE with *@status set. */
gboolean        tsr_cli_parse_scope_options (const char   *command,
                                             const char   *mode_arg,
                                             const char   *coder_arg,
                                             const char   *case_arg,
                                             const char   *attribute_arg,
                                             ScopeOptions *options,
                                             int          *status);
TsrScope       *tsr_cli_resolve_scope    (TsrProject        *project,
                                          ScopeOptions      *options,
                                          GError           **error);

/* The commands, by family. */
int tsr_cli_cmd_search      (int argc, char **argv);
int tsr_cli_cmd_export_qdc  (int argc, char **argv);
int tsr_cli_cmd_import_qdc  (int argc, char **argv);
int tsr_cli_cmd_export_qdpx (int argc, char **argv);
int tsr_cli_cmd_import_qdpx (int argc, char **argv);
int tsr_cli_cmd_kwic        (int argc, char **argv);
int tsr_cli_cmd_retrieve    (int argc, char **argv);
int tsr_cli_cmd_words       (int argc, char **argv);
int tsr_cli_cmd_autocode    (int argc, char **argv);
int tsr_cli_cmd_new         (int argc, char **argv);
int tsr_cli_cmd_set_coder   (int argc, char **argv);
int tsr_cli_cmd_history     (int argc, char **argv);
int tsr_cli_cmd_undo        (int argc, char **argv);
int tsr_cli_cmd_redo        (int argc, char **argv);

int tsr_cli_cmd_import      (int argc, char **argv);
int tsr_cli_cmd_docs        (int argc, char **argv);
int tsr_cli_cmd_export_json (int argc, char **argv);
int tsr_cli_cmd_import_json (int argc, char **argv);
int tsr_cli_cmd_merge       (int argc, char **argv);
int tsr_cli_cmd_save_copy   (int argc, char **argv);
int tsr_cli_cmd_back_up     (int argc, char **argv);
int tsr_cli_cmd_backups     (int argc, char **argv);

int tsr_cli_cmd_codes       (int argc, char **argv);
int tsr_cli_cmd_add_code    (int argc, char **argv);
int tsr_cli_cmd_code        (int argc, char **argv);
int tsr_cli_cmd_mark_done   (int argc, char **argv);
int tsr_cli_cmd_mark_undone (int argc, char **argv);

int tsr_cli_cmd_stats       (int argc, char **argv);
int tsr_cli_cmd_export      (int argc, char **argv);
int tsr_cli_cmd_matrix      (int argc, char **argv);

int tsr_cli_cmd_agreement   (int argc, char **argv);

int tsr_cli_cmd_cases         (int argc, char **argv);
int tsr_cli_cmd_case_add      (int argc, char **argv);
int tsr_cli_cmd_case_assign   (int argc, char **argv);
int tsr_cli_cmd_attributes    (int argc, char **argv);
int tsr_cli_cmd_set_attribute (int argc, char **argv);

G_END_DECLS
