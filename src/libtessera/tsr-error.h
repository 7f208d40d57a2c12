/* tsr-error.h — errors raised by the Tessera core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSR_ERROR (tsr_error_quark ())

/**
 * TsrError:
 * @TSR_ERROR_FAILED: an unexpected storage failure (SQLite said no)
 * @TSR_ERROR_NOT_A_PROJECT: the file is not a Tessera project
 * @TSR_ERROR_NEWER_VERSION: the project was written by a newer Tessera
 * @TSR_ERROR_CORRUPT: the project file is damaged
 * @TSR_ERROR_READ_ONLY: the project file cannot be written
 * @TSR_ERROR_NOT_FOUND: the named document, code, theme… does not exist
 * @TSR_ERROR_INVALID: the request makes no sense (empty name, bad range…)
 * @TSR_ERROR_EXISTS: something of that name already exists
 * @TSR_ERROR_CYCLE: the move would put an item inside itself
 * @TSR_ERROR_EMPTY_FILE: an imported file holds no text
 * @TSR_ERROR_BINARY_FILE: an imported file is not text
 * @TSR_ERROR_UNREADABLE: an imported file cannot be read
 * @TSR_ERROR_UNSUPPORTED: the format is not supported
 * @TSR_ERROR_NOTHING_TO_UNDO: the history has nothing to undo or redo
 * @TSR_ERROR_CANCELLED: the work was cancelled
 * @TSR_ERROR_NO_SPACE: the disk is full (or the file larger than allowed)
 */
typedef enum
{
  TSR_ERROR_FAILED,
  TSR_ERROR_NOT_A_PROJECT,
  TSR_ERROR_NEWER_VERSION,
  TSR_ERROR_CORRUPT,
  TSR_ERROR_READ_ONLY,
  TSR_ERROR_NOT_FOUND,
  TSR_ERROR_INVALID,
  TSR_ERROR_EXISTS,
  TSR_ERROR_CYCLE,
  TSR_ERROR_EMPTY_FILE,
  TSR_ERROR_BINARY_FILE,
  TSR_ERROR_UNREADABLE,
  TSR_ERROR_UNSUPPORTED,
  TSR_ERROR_NOTHING_TO_UNDO,
  TSR_ERROR_CANCELLED,
  TSR_ERROR_NO_SPACE,
} TsrError;

GQuark tsr_error_quark (void);

G_END_DECLS
