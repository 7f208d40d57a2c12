/* tsr-text-import.h — plain text and Markdown decoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tsr_decode_text (const char  *data,
                       gsize        length,
                       const char  *display_name,
                       GError     **error);

G_END_DECLS
