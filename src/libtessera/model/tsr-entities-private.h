/* tsr-entities-private.h — entity fields, for the core that fills them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tsr-entities.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *uuid;
} TsrEntityPrivate;

struct _TsrDocument
{
  TsrEntity  parent_instance;
  char      *name;
  char      *source;
  char      *content_hash;
  guint      length;
  gboolean   read;
  gint64     created;
};

struct _TsrCode
{
  TsrEntity  parent_instance;
  gint64     parent_id;
  char      *name;
  char      *color;
  char      *definition;
  gint       position;
  guint      n_children;
};

struct _TsrCoder
{
  TsrEntity  parent_instance;
  char      *name;
  gboolean   is_consensus;
};

struct _TsrSegment
{
  TsrEntity  parent_instance;
  gint64     document_id;
  gint64     code_id;
  gint64     coder_id;
  guint      start;
  guint      end;
  char      *text;
  gboolean   exemplar;
  gint64     created;
};

struct _TsrTheme
{
  TsrEntity       parent_instance;
  gint64          parent_id;
  char           *name;
  char           *fields[3];
  TsrThemeStatus  status;
  gint            position;
};

struct _TsrMemo
{
  TsrEntity    parent_instance;
  TsrMemoKind  kind;
  gint64       target_id;
  gint64       coder_id;
  char        *date;
  char        *text;
  gint64       modified;
};

struct _TsrCase
{
  TsrEntity  parent_instance;
  char      *name;
  char      *description;
};

struct _TsrAttribute
{
  TsrEntity           parent_instance;
  char               *name;
  TsrAttributeType    type;
  TsrAttributeTarget  target;
};

struct _TsrMapLink
{
  TsrEntity  parent_instance;
  gint64     from_theme;
  gint64     to_theme;
  char      *label;
};

struct _TsrHistoryEntry
{
  TsrEntity  parent_instance;
  char      *kind;
  char      *description;
  char      *coder_name;
  gint64     time;
  gboolean   undone;
};

/* Creates an entity of @type with its id and uuid set. */
gpointer _tsr_entity_new (GType       type,
                          gint64      id,
                          const char *uuid);

void     _tsr_entity_update_from (TsrEntity *self,
                                  TsrEntity *fresh);

gboolean _tsr_attribute_type_from_string (const char       *str,
                                          TsrAttributeType *type);

G_END_DECLS
