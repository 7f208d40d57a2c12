/* tsr-enums-private.h — an enum's value and the name it has in files
 *
 * The public enums are registered with GObject (tsr-enum-types.h, made by
 * glib-mkenums); each value's nick is the name the project file, JSON and
 * the command line use.  These two turn one into the other for the
 * to_string/from_string functions of the public API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

const char *_tsr_enum_to_nick   (GType       enum_type,
                                 int         value);
gboolean    _tsr_enum_from_nick (GType       enum_type,
                                 const char *nick,
                                 int        *value);

G_END_DECLS
