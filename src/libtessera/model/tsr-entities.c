/* tsr-entities.c — documents, codes, segments and the other entities
 *
 * Small data classes, kept together because each is only a handful of
 * fields with read-only properties for list item bindings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tsr-entities-private.h"
#include "tsr-enum-types.h"
#include "tsr-enums-private.h"

/* TsrEntity ---------------------------------------------------------- */

G_DEFINE_TYPE_WITH_PRIVATE (TsrEntity, tsr_entity, G_TYPE_OBJECT)

enum { ENTITY_PROP_0, ENTITY_PROP_ID, ENTITY_PROP_UUID, ENTITY_N_PROPS };
static GParamSpec *entity_properties[ENTITY_N_PROPS];

static void
tsr_entity_finalize (GObject *object)
{
  TsrEntityPrivate *priv = tsr_entity_get_instance_private (TSR_ENTITY (object));

  g_free (priv->uuid);

  G_OBJECT_CLASS (tsr_entity_parent_class)->finalize (object);
}

static void
tsr_entity_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TsrEntityPrivate *priv = tsr_entity_get_instance_private (TSR_ENTITY (object));

  switch (prop_id)
    {
    case ENTITY_PROP_ID:
      g_value_set_int64 (value, priv->id);
      break;
    case ENTITY_PROP_UUID:
      g_value_set_string (value, priv->uuid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_entity_class_init (TsrEntityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_entity_finalize;
  object_class->get_property = tsr_entity_get_property;

  entity_properties[ENTITY_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  entity_properties[ENTITY_PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ENTITY_N_PROPS, entity_properties);
}

static void
tsr_entity_init (TsrEntity *self)
{
}

gint64
tsr_entity_get_id (TsrEntity *self)
{
  TsrEntityPrivate *priv;

  g_return_val_if_fail (TSR_IS_ENTITY (self), 0);

  priv = tsr_entity_get_instance_private (self);
  return priv->id;
}

const char *
tsr_entity_get_uuid (TsrEntity *self)
{
  TsrEntityPrivate *priv;

  g_return_val_if_fail (TSR_IS_ENTITY (self), NULL);

  priv = tsr_entity_get_instance_private (self);
  return priv->uuid;
}

gpointer
_tsr_entity_new (GType       type,
                 gint64      id,
                 const char *uuid)
{
  TsrEntity *self = g_object_new (type, NULL);
  TsrEntityPrivate *priv = tsr_entity_get_instance_private (self);

  priv->id = id;
  priv->uuid = g_strdup (uuid);

  return self;
}

void
_tsr_entity_update_from (TsrEntity *self,
                         TsrEntity *fresh)
{
  g_return_if_fail (G_OBJECT_TYPE (self) == G_OBJECT_TYPE (fresh));
  g_return_if_fail (tsr_entity_get_id (self) == tsr_entity_get_id (fresh));

  if (TSR_ENTITY_GET_CLASS (self)->update_from != NULL)
    TSR_ENTITY_GET_CLASS (self)->update_from (self, fresh);
}

/* Helpers for update_from: copy a field and notify if it differs. */

static void
update_string (GObject     *object,
               char       **field,
               const char  *value,
               GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      if (pspec != NULL)
        g_object_notify_by_pspec (object, pspec);
    }
}

#define UPDATE_SCALAR(object, field, value, pspec)          \
  G_STMT_START {                                            \
    if ((field) != (value))                                 \
      {                                                     \
        (field) = (value);                                  \
        if ((pspec) != NULL)                                \
          g_object_notify_by_pspec (G_OBJECT (object), (pspec)); \
      }                                                     \
  } G_STMT_END

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
int64_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
uint_pspec (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
int_pspec (const char *name)
{
  return g_param_spec_int (name, NULL, NULL, G_MININT, G_MAXINT, 0,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
boolean_pspec (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

/* TsrDocument -------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TsrDocument, tsr_document, TSR_TYPE_ENTITY)

enum { DOC_PROP_0, DOC_PROP_NAME, DOC_PROP_SOURCE, DOC_PROP_READ, DOC_PROP_LENGTH, DOC_N_PROPS };
static GParamSpec *doc_properties[DOC_N_PROPS];

static void
tsr_document_finalize (GObject *object)
{
  TsrDocument *self = TSR_DOCUMENT (object);

  g_free (self->name);
  g_free (self->source);
  g_free (self->content_hash);

  G_OBJECT_CLASS (tsr_document_parent_class)->finalize (object);
}

static void
tsr_document_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TsrDocument *self = TSR_DOCUMENT (object);

  switch (prop_id)
    {
    case DOC_PROP_NAME: g_value_set_string (value, self->name); break;
    case DOC_PROP_SOURCE: g_value_set_string (value, self->source); break;
    case DOC_PROP_READ: g_value_set_boolean (value, self->read); break;
    case DOC_PROP_LENGTH: g_value_set_uint (value, self->length); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_document_update_from (TsrEntity *entity,
                          TsrEntity *fresh_entity)
{
  TsrDocument *self = TSR_DOCUMENT (entity);
  TsrDocument *fresh = TSR_DOCUMENT (fresh_entity);

  update_string (G_OBJECT (self), &self->name, fresh->name, doc_properties[DOC_PROP_NAME]);
  update_string (G_OBJECT (self), &self->source, fresh->source, doc_properties[DOC_PROP_SOURCE]);
  update_string (G_OBJECT (self), &self->content_hash, fresh->content_hash, NULL);
  UPDATE_SCALAR (self, self->read, fresh->read, doc_properties[DOC_PROP_READ]);
  UPDATE_SCALAR (self, self->length, fresh->length, doc_properties[DOC_PROP_LENGTH]);
  self->created = fresh->created;
}

static void
tsr_document_class_init (TsrDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_document_finalize;
  object_class->get_property = tsr_document_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_document_update_from;

  doc_properties[DOC_PROP_NAME] = string_pspec ("name");
  doc_properties[DOC_PROP_SOURCE] = string_pspec ("source");
  doc_properties[DOC_PROP_READ] = boolean_pspec ("read");
  doc_properties[DOC_PROP_LENGTH] = uint_pspec ("length");
  g_object_class_install_properties (object_class, DOC_N_PROPS, doc_properties);
}

static void tsr_document_init (TsrDocument *self) { }

const char *tsr_document_get_name (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), NULL); return self->name; }
const char *tsr_document_get_source (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), NULL); return self->source; }
const char *tsr_document_get_content_hash (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), NULL); return self->content_hash; }
gboolean tsr_document_get_read (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), FALSE); return self->read; }
guint tsr_document_get_length (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), 0); return self->length; }
gint64 tsr_document_get_created (TsrDocument *self) { g_return_val_if_fail (TSR_IS_DOCUMENT (self), 0); return self->created; }

/* TsrCode ------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (TsrCode, tsr_code, TSR_TYPE_ENTITY)

enum { CODE_PROP_0, CODE_PROP_PARENT_ID, CODE_PROP_NAME, CODE_PROP_COLOR, CODE_PROP_DEFINITION,
       CODE_PROP_POSITION, CODE_PROP_N_CHILDREN, CODE_N_PROPS };
static GParamSpec *code_properties[CODE_N_PROPS];

static void
tsr_code_finalize (GObject *object)
{
  TsrCode *self = TSR_CODE (object);

  g_free (self->name);
  g_free (self->color);
  g_free (self->definition);

  G_OBJECT_CLASS (tsr_code_parent_class)->finalize (object);
}

static void
tsr_code_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TsrCode *self = TSR_CODE (object);

  switch (prop_id)
    {
    case CODE_PROP_PARENT_ID: g_value_set_int64 (value, self->parent_id); break;
    case CODE_PROP_NAME: g_value_set_string (value, self->name); break;
    case CODE_PROP_COLOR: g_value_set_string (value, self->color); break;
    case CODE_PROP_DEFINITION: g_value_set_string (value, self->definition); break;
    case CODE_PROP_POSITION: g_value_set_int (value, self->position); break;
    case CODE_PROP_N_CHILDREN: g_value_set_uint (value, self->n_children); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_code_update_from (TsrEntity *entity,
                      TsrEntity *fresh_entity)
{
  TsrCode *self = TSR_CODE (entity);
  TsrCode *fresh = TSR_CODE (fresh_entity);

  UPDATE_SCALAR (self, self->parent_id, fresh->parent_id, code_properties[CODE_PROP_PARENT_ID]);
  update_string (G_OBJECT (self), &self->name, fresh->name, code_properties[CODE_PROP_NAME]);
  update_string (G_OBJECT (self), &self->color, fresh->color, code_properties[CODE_PROP_COLOR]);
  update_string (G_OBJECT (self), &self->definition, fresh->definition, code_properties[CODE_PROP_DEFINITION]);
  UPDATE_SCALAR (self, self->position, fresh->position, code_properties[CODE_PROP_POSITION]);
  UPDATE_SCALAR (self, self->n_children, fresh->n_children, code_properties[CODE_PROP_N_CHILDREN]);
}

static void
tsr_code_class_init (TsrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_code_finalize;
  object_class->get_property = tsr_code_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_code_update_from;

  code_properties[CODE_PROP_PARENT_ID] = int64_pspec ("parent-id");
  code_properties[CODE_PROP_NAME] = string_pspec ("name");
  code_properties[CODE_PROP_COLOR] = string_pspec ("color");
  code_properties[CODE_PROP_DEFINITION] = string_pspec ("definition");
  code_properties[CODE_PROP_POSITION] = int_pspec ("position");
  code_properties[CODE_PROP_N_CHILDREN] = uint_pspec ("n-children");
  g_object_class_install_properties (object_class, CODE_N_PROPS, code_properties);
}

static void tsr_code_init (TsrCode *self) { }

gint64 tsr_code_get_parent_id (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), 0); return self->parent_id; }
const char *tsr_code_get_name (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), NULL); return self->name; }
const char *tsr_code_get_color (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), NULL); return self->color; }
const char *tsr_code_get_definition (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), NULL); return self->definition; }
gint tsr_code_get_position (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), 0); return self->position; }
guint tsr_code_get_n_children (TsrCode *self) { g_return_val_if_fail (TSR_IS_CODE (self), 0); return self->n_children; }

/* TsrCoder ----------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TsrCoder, tsr_coder, TSR_TYPE_ENTITY)

enum { CODER_PROP_0, CODER_PROP_NAME, CODER_PROP_IS_CONSENSUS, CODER_N_PROPS };
static GParamSpec *coder_properties[CODER_N_PROPS];

static void
tsr_coder_finalize (GObject *object)
{
  g_free (TSR_CODER (object)->name);
  G_OBJECT_CLASS (tsr_coder_parent_class)->finalize (object);
}

static void
tsr_coder_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TsrCoder *self = TSR_CODER (object);

  switch (prop_id)
    {
    case CODER_PROP_NAME: g_value_set_string (value, self->name); break;
    case CODER_PROP_IS_CONSENSUS: g_value_set_boolean (value, self->is_consensus); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_coder_update_from (TsrEntity *entity,
                       TsrEntity *fresh_entity)
{
  TsrCoder *self = TSR_CODER (entity);
  TsrCoder *fresh = TSR_CODER (fresh_entity);

  update_string (G_OBJECT (self), &self->name, fresh->name, coder_properties[CODER_PROP_NAME]);
  UPDATE_SCALAR (self, self->is_consensus, fresh->is_consensus, coder_properties[CODER_PROP_IS_CONSENSUS]);
}

static void
tsr_coder_class_init (TsrCoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_coder_finalize;
  object_class->get_property = tsr_coder_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_coder_update_from;

  coder_properties[CODER_PROP_NAME] = string_pspec ("name");
  coder_properties[CODER_PROP_IS_CONSENSUS] = boolean_pspec ("is-consensus");
  g_object_class_install_properties (object_class, CODER_N_PROPS, coder_properties);
}

static void tsr_coder_init (TsrCoder *self) { }

const char *tsr_coder_get_name (TsrCoder *self) { g_return_val_if_fail (TSR_IS_CODER (self), NULL); return self->name; }
gboolean tsr_coder_get_is_consensus (TsrCoder *self) { g_return_val_if_fail (TSR_IS_CODER (self), FALSE); return self->is_consensus; }

/* TsrSegment --------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TsrSegment, tsr_segment, TSR_TYPE_ENTITY)

enum { SEG_PROP_0, SEG_PROP_CODE_ID, SEG_PROP_CODER_ID, SEG_PROP_START, SEG_PROP_END,
       SEG_PROP_TEXT, SEG_PROP_EXEMPLAR, SEG_N_PROPS };
static GParamSpec *seg_properties[SEG_N_PROPS];

static void
tsr_segment_finalize (GObject *object)
{
  g_free (TSR_SEGMENT (object)->text);
  G_OBJECT_CLASS (tsr_segment_parent_class)->finalize (object);
}

static void
tsr_segment_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TsrSegment *self = TSR_SEGMENT (object);

  switch (prop_id)
    {
    case SEG_PROP_CODE_ID: g_value_set_int64 (value, self->code_id); break;
    case SEG_PROP_CODER_ID: g_value_set_int64 (value, self->coder_id); break;
    case SEG_PROP_START: g_value_set_uint (value, self->start); break;
    case SEG_PROP_END: g_value_set_uint (value, self->end); break;
    case SEG_PROP_TEXT: g_value_set_string (value, self->text); break;
    case SEG_PROP_EXEMPLAR: g_value_set_boolean (value, self->exemplar); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_segment_update_from (TsrEntity *entity,
                         TsrEntity *fresh_entity)
{
  TsrSegment *self = TSR_SEGMENT (entity);
  TsrSegment *fresh = TSR_SEGMENT (fresh_entity);

  self->document_id = fresh->document_id;
  UPDATE_SCALAR (self, self->code_id, fresh->code_id, seg_properties[SEG_PROP_CODE_ID]);
  UPDATE_SCALAR (self, self->coder_id, fresh->coder_id, seg_properties[SEG_PROP_CODER_ID]);
  UPDATE_SCALAR (self, self->start, fresh->start, seg_properties[SEG_PROP_START]);
  UPDATE_SCALAR (self, self->end, fresh->end, seg_properties[SEG_PROP_END]);
  update_string (G_OBJECT (self), &self->text, fresh->text, seg_properties[SEG_PROP_TEXT]);
  UPDATE_SCALAR (self, self->exemplar, fresh->exemplar, seg_properties[SEG_PROP_EXEMPLAR]);
  self->created = fresh->created;
}

static void
tsr_segment_class_init (TsrSegmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_segment_finalize;
  object_class->get_property = tsr_segment_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_segment_update_from;

  seg_properties[SEG_PROP_CODE_ID] = int64_pspec ("code-id");
  seg_properties[SEG_PROP_CODER_ID] = int64_pspec ("coder-id");
  seg_properties[SEG_PROP_START] = uint_pspec ("start");
  seg_properties[SEG_PROP_END] = uint_pspec ("end");
  seg_properties[SEG_PROP_TEXT] = string_pspec ("text");
  seg_properties[SEG_PROP_EXEMPLAR] = boolean_pspec ("exemplar");
  g_object_class_install_properties (object_class, SEG_N_PROPS, seg_properties);
}

static void tsr_segment_init (TsrSegment *self) { }

gint64 tsr_segment_get_document_id (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->document_id; }
gint64 tsr_segment_get_code_id (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->code_id; }
gint64 tsr_segment_get_coder_id (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->coder_id; }
guint tsr_segment_get_start (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->start; }
guint tsr_segment_get_end (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->end; }
const char *tsr_segment_get_text (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), NULL); return self->text; }
gboolean tsr_segment_get_exemplar (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), FALSE); return self->exemplar; }
gint64 tsr_segment_get_created (TsrSegment *self) { g_return_val_if_fail (TSR_IS_SEGMENT (self), 0); return self->created; }

/* TsrTheme ----------------------------------------------------------- */

const char *
tsr_theme_status_to_string (TsrThemeStatus status)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_THEME_STATUS, status);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
tsr_theme_status_from_string (const char     *str,
                              TsrThemeStatus *status)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_THEME_STATUS, str, &value))
    return FALSE;
  *status = value;
  return TRUE;
}

G_DEFINE_FINAL_TYPE (TsrTheme, tsr_theme, TSR_TYPE_ENTITY)

enum { THEME_PROP_0, THEME_PROP_PARENT_ID, THEME_PROP_NAME, THEME_PROP_DEFINITION,
       THEME_PROP_SCOPE_NOTES, THEME_PROP_NARRATIVE, THEME_PROP_STATUS, THEME_PROP_POSITION,
       THEME_N_PROPS };
static GParamSpec *theme_properties[THEME_N_PROPS];

static void
tsr_theme_finalize (GObject *object)
{
  TsrTheme *self = TSR_THEME (object);

  g_free (self->name);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    g_free (self->fields[i]);

  G_OBJECT_CLASS (tsr_theme_parent_class)->finalize (object);
}

static void
tsr_theme_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TsrTheme *self = TSR_THEME (object);

  switch (prop_id)
    {
    case THEME_PROP_PARENT_ID: g_value_set_int64 (value, self->parent_id); break;
    case THEME_PROP_NAME: g_value_set_string (value, self->name); break;
    case THEME_PROP_DEFINITION: g_value_set_string (value, self->fields[TSR_THEME_FIELD_DEFINITION]); break;
    case THEME_PROP_SCOPE_NOTES: g_value_set_string (value, self->fields[TSR_THEME_FIELD_SCOPE_NOTES]); break;
    case THEME_PROP_NARRATIVE: g_value_set_string (value, self->fields[TSR_THEME_FIELD_NARRATIVE]); break;
    case THEME_PROP_STATUS: g_value_set_int (value, self->status); break;
    case THEME_PROP_POSITION: g_value_set_int (value, self->position); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_theme_update_from (TsrEntity *entity,
                       TsrEntity *fresh_entity)
{
  TsrTheme *self = TSR_THEME (entity);
  TsrTheme *fresh = TSR_THEME (fresh_entity);

  UPDATE_SCALAR (self, self->parent_id, fresh->parent_id, theme_properties[THEME_PROP_PARENT_ID]);
  update_string (G_OBJECT (self), &self->name, fresh->name, theme_properties[THEME_PROP_NAME]);
  for (guint i = 0; i < G_N_ELEMENTS (self->fields); i++)
    update_string (G_OBJECT (self), &self->fields[i], fresh->fields[i],
                   theme_properties[THEME_PROP_DEFINITION + i]);
  UPDATE_SCALAR (self, self->status, fresh->status, theme_properties[THEME_PROP_STATUS]);
  UPDATE_SCALAR (self, self->position, fresh->position, theme_properties[THEME_PROP_POSITION]);
}

static void
tsr_theme_class_init (TsrThemeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_theme_finalize;
  object_class->get_property = tsr_theme_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_theme_update_from;

  theme_properties[THEME_PROP_PARENT_ID] = int64_pspec ("parent-id");
  theme_properties[THEME_PROP_NAME] = string_pspec ("name");
  theme_properties[THEME_PROP_DEFINITION] = string_pspec ("definition");
  theme_properties[THEME_PROP_SCOPE_NOTES] = string_pspec ("scope-notes");
  theme_properties[THEME_PROP_NARRATIVE] = string_pspec ("narrative");
  theme_properties[THEME_PROP_STATUS] = int_pspec ("status");
  theme_properties[THEME_PROP_POSITION] = int_pspec ("position");
  g_object_class_install_properties (object_class, THEME_N_PROPS, theme_properties);
}

static void tsr_theme_init (TsrTheme *self) { }

gint64 tsr_theme_get_parent_id (TsrTheme *self) { g_return_val_if_fail (TSR_IS_THEME (self), 0); return self->parent_id; }
const char *tsr_theme_get_name (TsrTheme *self) { g_return_val_if_fail (TSR_IS_THEME (self), NULL); return self->name; }
TsrThemeStatus tsr_theme_get_status (TsrTheme *self) { g_return_val_if_fail (TSR_IS_THEME (self), 0); return self->status; }
gint tsr_theme_get_position (TsrTheme *self) { g_return_val_if_fail (TSR_IS_THEME (self), 0); return self->position; }

const char *
tsr_theme_get_field (TsrTheme      *self,
                     TsrThemeField  field)
{
  g_return_val_if_fail (TSR_IS_THEME (self), NULL);
  g_return_val_if_fail (field <= TSR_THEME_FIELD_NARRATIVE, NULL);
  return self->fields[field];
}

/* TsrMemo ------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (TsrMemo, tsr_memo, TSR_TYPE_ENTITY)

enum { MEMO_PROP_0, MEMO_PROP_DATE, MEMO_PROP_TEXT, MEMO_N_PROPS };
static GParamSpec *memo_properties[MEMO_N_PROPS];

static void
tsr_memo_finalize (GObject *object)
{
  TsrMemo *self = TSR_MEMO (object);

  g_free (self->date);
  g_free (self->text);

  G_OBJECT_CLASS (tsr_memo_parent_class)->finalize (object);
}

static void
tsr_memo_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TsrMemo *self = TSR_MEMO (object);

  switch (prop_id)
    {
    case MEMO_PROP_DATE: g_value_set_string (value, self->date); break;
    case MEMO_PROP_TEXT: g_value_set_string (value, self->text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_memo_update_from (TsrEntity *entity,
                      TsrEntity *fresh_entity)
{
  TsrMemo *self = TSR_MEMO (entity);
  TsrMemo *fresh = TSR_MEMO (fresh_entity);

  self->kind = fresh->kind;
  self->target_id = fresh->target_id;
  self->coder_id = fresh->coder_id;
  self->modified = fresh->modified;
  update_string (G_OBJECT (self), &self->date, fresh->date, memo_properties[MEMO_PROP_DATE]);
  update_string (G_OBJECT (self), &self->text, fresh->text, memo_properties[MEMO_PROP_TEXT]);
}

static void
tsr_memo_class_init (TsrMemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_memo_finalize;
  object_class->get_property = tsr_memo_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_memo_update_from;

  memo_properties[MEMO_PROP_DATE] = string_pspec ("date");
  memo_properties[MEMO_PROP_TEXT] = string_pspec ("text");
  g_object_class_install_properties (object_class, MEMO_N_PROPS, memo_properties);
}

static void tsr_memo_init (TsrMemo *self) { }

TsrMemoKind tsr_memo_get_kind (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), 0); return self->kind; }
gint64 tsr_memo_get_target_id (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), 0); return self->target_id; }
gint64 tsr_memo_get_coder_id (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), 0); return self->coder_id; }
const char *tsr_memo_get_date (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), NULL); return self->date; }
const char *tsr_memo_get_text (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), NULL); return self->text; }
gint64 tsr_memo_get_modified (TsrMemo *self) { g_return_val_if_fail (TSR_IS_MEMO (self), 0); return self->modified; }

/* TsrCase ------------------------------------------------------------ */

G_DEFINE_FINAL_TYPE (TsrCase, tsr_case, TSR_TYPE_ENTITY)

enum { CASE_PROP_0, CASE_PROP_NAME, CASE_PROP_DESCRIPTION, CASE_N_PROPS };
static GParamSpec *case_properties[CASE_N_PROPS];

static void
tsr_case_finalize (GObject *object)
{
  TsrCase *self = TSR_CASE (object);

  g_free (self->name);
  g_free (self->description);

  G_OBJECT_CLASS (tsr_case_parent_class)->finalize (object);
}

static void
tsr_case_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TsrCase *self = TSR_CASE (object);

  switch (prop_id)
    {
    case CASE_PROP_NAME: g_value_set_string (value, self->name); break;
    case CASE_PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_case_update_from (TsrEntity *entity,
                      TsrEntity *fresh_entity)
{
  TsrCase *self = TSR_CASE (entity);
  TsrCase *fresh = TSR_CASE (fresh_entity);

  update_string (G_OBJECT (self), &self->name, fresh->name, case_properties[CASE_PROP_NAME]);
  update_string (G_OBJECT (self), &self->description, fresh->description, case_properties[CASE_PROP_DESCRIPTION]);
}

static void
tsr_case_class_init (TsrCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_case_finalize;
  object_class->get_property = tsr_case_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_case_update_from;

  case_properties[CASE_PROP_NAME] = string_pspec ("name");
  case_properties[CASE_PROP_DESCRIPTION] = string_pspec ("description");
  g_object_class_install_properties (object_class, CASE_N_PROPS, case_properties);
}

static void tsr_case_init (TsrCase *self) { }

const char *tsr_case_get_name (TsrCase *self) { g_return_val_if_fail (TSR_IS_CASE (self), NULL); return self->name; }
const char *tsr_case_get_description (TsrCase *self) { g_return_val_if_fail (TSR_IS_CASE (self), NULL); return self->description; }

/* TsrAttribute ------------------------------------------------------- */

const char *
tsr_attribute_type_to_string (TsrAttributeType type)
{
  const char *nick = _tsr_enum_to_nick (TSR_TYPE_ATTRIBUTE_TYPE, type);

  g_return_val_if_fail (nick != NULL, NULL);
  return nick;
}

gboolean
_tsr_attribute_type_from_string (const char       *str,
                                 TsrAttributeType *type)
{
  int value;

  if (!_tsr_enum_from_nick (TSR_TYPE_ATTRIBUTE_TYPE, str, &value))
    return FALSE;
  *type = value;
  return TRUE;
}

G_DEFINE_FINAL_TYPE (TsrAttribute, tsr_attribute, TSR_TYPE_ENTITY)

enum { ATTR_PROP_0, ATTR_PROP_NAME, ATTR_N_PROPS };
static GParamSpec *attr_properties[ATTR_N_PROPS];

static void
tsr_attribute_finalize (GObject *object)
{
  g_free (TSR_ATTRIBUTE (object)->name);
  G_OBJECT_CLASS (tsr_attribute_parent_class)->finalize (object);
}

static void
tsr_attribute_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case ATTR_PROP_NAME: g_value_set_string (value, TSR_ATTRIBUTE (object)->name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsr_attribute_update_from (TsrEntity *entity,
                           TsrEntity *fresh_entity)
{
  TsrAttribute *self = TSR_ATTRIBUTE (entity);
  TsrAttribute *fresh = TSR_ATTRIBUTE (fresh_entity);

  update_string (G_OBJECT (self), &self->name, fresh->name, attr_properties[ATTR_PROP_NAME]);
  self->type = fresh->type;
  self->target = fresh->target;
}

static void
tsr_attribute_class_init (TsrAttributeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsr_attribute_finalize;
  object_class->get_property = tsr_attribute_get_property;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_attribute_update_from;

  attr_properties[ATTR_PROP_NAME] = string_pspec ("name");
  g_object_class_install_properties (object_class, ATTR_N_PROPS, attr_properties);
}

static void tsr_attribute_init (TsrAttribute *self) { }

const char *tsr_attribute_get_name (TsrAttribute *self) { g_return_val_if_fail (TSR_IS_ATTRIBUTE (self), NULL); return self->name; }
TsrAttributeType tsr_attribute_get_value_type (TsrAttribute *self) { g_return_val_if_fail (TSR_IS_ATTRIBUTE (self), 0); return self->type; }
TsrAttributeTarget tsr_attribute_get_target (TsrAttribute *self) { g_return_val_if_fail (TSR_IS_ATTRIBUTE (self), 0); return self->target; }

/* TsrMapLink --------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TsrMapLink, tsr_map_link, TSR_TYPE_ENTITY)

static void
tsr_map_link_finalize (GObject *object)
{
  g_free (TSR_MAP_LINK (object)->label);
  G_OBJECT_CLASS (tsr_map_link_parent_class)->finalize (object);
}

static void
tsr_map_link_update_from (TsrEntity *entity,
                          TsrEntity *fresh_entity)
{
  TsrMapLink *self = TSR_MAP_LINK (entity);
  TsrMapLink *fresh = TSR_MAP_LINK (fresh_entity);

  self->from_theme = fresh->from_theme;
  self->to_theme = fresh->to_theme;
  update_string (G_OBJECT (self), &self->label, fresh->label, NULL);
}

static void
tsr_map_link_class_init (TsrMapLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_map_link_finalize;
  TSR_ENTITY_CLASS (klass)->update_from = tsr_map_link_update_from;
}

static void tsr_map_link_init (TsrMapLink *self) { }

gint64 tsr_map_link_get_from_theme (TsrMapLink *self) { g_return_val_if_fail (TSR_IS_MAP_LINK (self), 0); return self->from_theme; }
gint64 tsr_map_link_get_to_theme (TsrMapLink *self) { g_return_val_if_fail (TSR_IS_MAP_LINK (self), 0); return self->to_theme; }
const char *tsr_map_link_get_label (TsrMapLink *self) { g_return_val_if_fail (TSR_IS_MAP_LINK (self), NULL); return self->label; }

/* TsrHistoryEntry ---------------------------------------------------- */

G_DEFINE_FINAL_TYPE (TsrHistoryEntry, tsr_history_entry, TSR_TYPE_ENTITY)

static void
tsr_history_entry_finalize (GObject *object)
{
  TsrHistoryEntry *self = TSR_HISTORY_ENTRY (object);

  g_free (self->kind);
  g_free (self->description);
  g_free (self->coder_name);

  G_OBJECT_CLASS (tsr_history_entry_parent_class)->finalize (object);
}

static void
tsr_history_entry_class_init (TsrHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsr_history_entry_finalize;
}

static void tsr_history_entry_init (TsrHistoryEntry *self) { }

const char *tsr_history_entry_get_kind (TsrHistoryEntry *self) { g_return_val_if_fail (TSR_IS_HISTORY_ENTRY (self), NULL); return self->kind; }
const char *tsr_history_entry_get_description (TsrHistoryEntry *self) { g_return_val_if_fail (TSR_IS_HISTORY_ENTRY (self), NULL); return self->description; }
const char *tsr_history_entry_get_coder_name (TsrHistoryEntry *self) { g_return_val_if_fail (TSR_IS_HISTORY_ENTRY (self), NULL); return self->coder_name; }
gint64 tsr_history_entry_get_time (TsrHistoryEntry *self) { g_return_val_if_fail (TSR_IS_HISTORY_ENTRY (self), 0); return self->time; }
gboolean tsr_history_entry_get_undone (TsrHistoryEntry *self) { g_return_val_if_fail (TSR_IS_HISTORY_ENTRY (self), FALSE); return self->undone; }
