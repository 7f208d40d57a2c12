/* tsr-test-utils.h — what the test programs share: temporary folders,
 * committed fixtures, entity ids and running tessera-cli
 *
 * Built once as a static library (tests/meson.build) that every test
 * program links.  No GTK here: the widget tests' helpers are in
 * ui-helpers.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>

#include "tessera.h"

G_BEGIN_DECLS

/* Removes @path and everything below it, read-only parts included,
 * without following symbolic links. */
void     tsr_test_remove_tree   (const char *path);

/* Copies @from over @to, failing the test if it cannot. */
void     tsr_test_copy_file     (const char *from,
                                 const char *to);

/* The path of the committed fixture @name under tests/fixtures/import. */
char    *tsr_test_fixture_path  (const char *name);

/* The id of a TsrEntity. */
gint64   tsr_test_id_of         (gpointer    entity);

/* What a run of tessera-cli ($TESSERA_CLI) gave back. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} TsrTestRun;

void     tsr_test_run_clear     (TsrTestRun  *r);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TsrTestRun, tsr_test_run_clear)

/* Runs $TESSERA_CLI with @first and the NULL-terminated @args in the
 * environment @envp; fails the test unless the program exits (rather
 * than being killed). */
void     tsr_test_run_cli_v     (TsrTestRun  *r,
                                 char       **envp,
                                 const char  *first,
                                 va_list      args);

/* Runs $TESSERA_CLI with the NULL-terminated arguments in the C locale,
 * with $TESSERA_CODER set to @coder (or unset for %NULL). */
void     tsr_test_run_cli       (TsrTestRun  *r,
                                 const char  *coder,
                                 const char  *first,
                                 ...) G_GNUC_NULL_TERMINATED;

/* g_test_trap_subprocess () for a child that runs a failure path (a file
 * size limit, a full disk) and is judged by its exit and output: its
 * libraries' leaks at a forced exit (fontconfig's caches) are not
 * reported, as they would turn a passing child into a failed one under
 * AddressSanitizer.  The parent's own leak check is unchanged (its
 * options were read when it started). */
void     tsr_test_trap_subprocess (guint64 usec_timeout);

G_END_DECLS
