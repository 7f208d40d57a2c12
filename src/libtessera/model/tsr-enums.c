/* tsr-enums.c — an enum's value and the name it has in files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tsr-enums-private.h"

/* Enum classes of static types live as long as the program, so the nicks
 * they hand out do too. */
static GEnumClass *
enum_class (GType enum_type)
{
  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);
  return g_type_class_ref (enum_type);
}

/* Returns: (nullable): the nick of @value, or %NULL for a value the enum
 * does not have */
const char *
_tsr_enum_to_nick (GType enum_type,
                   int   value)
{
  GEnumValue *ev = g_enum_get_value (enum_class (enum_type), value);

  return ev != NULL ? ev->value_nick : NULL;
}

/* Returns: whether @nick names a value; @value is left alone if not */
gboolean
_tsr_enum_from_nick (GType       enum_type,
                     const char *nick,
                     int        *value)
{
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;
  ev = g_enum_get_value_by_nick (enum_class (enum_type), nick);
  if (ev == NULL)
    return FALSE;
  *value = ev->value;
  return TRUE;
}
