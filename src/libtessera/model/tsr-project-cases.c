/* tsr-project-cases.c — cases and attributes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tsr-error.h"
#include "tsr-project-internal.h"

static GPtrArray *
load_cases (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT id, uuid, name, description FROM cases ORDER BY name COLLATE NOCASE, id",
                                 FALSE, 0, (RowReader) _tsr_read_case, error);
}

/**
 * tsr_project_get_cases:
 *
 * Returns: (transfer full): a live list of #TsrCase by name
 */
GListModel *
tsr_project_get_cases (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "cases", 0, TSR_TYPE_CASE, load_cases, TSR_CHANGE_CASES);
}

/**
 * tsr_project_find_case:
 *
 * Returns: (transfer full) (nullable): the case of that name
 */
TsrCase *
tsr_project_find_case (TsrProject *self,
                       const char *name)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_lookup_one (self, "SELECT id, uuid, name, description FROM cases WHERE name = ?", 0, name,
                                  (RowReader) _tsr_read_case);
}

gint64
tsr_project_create_case (TsrProject  *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(TsrCase) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);

  if (!_tsr_check_name (name, TSR_KIND_CASE, error))
    return 0;
  clean = _tsr_clean_name (name);
  existing = tsr_project_find_case (self, clean);
  if (existing != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already a case “%s”"), clean);
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES, "case.create",
                              g_strdup_printf (_("Create case “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO cases (uuid, name, created) VALUES (?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, _tsr_now_us ());
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_rename_case (TsrProject  *self,
                         gint64       id,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(TsrCase) existing = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_check_name (name, TSR_KIND_CASE, error))
    return FALSE;
  clean = _tsr_clean_name (name);
  existing = tsr_project_find_case (self, clean);
  if (existing != NULL && tsr_entity_get_id (TSR_ENTITY (existing)) != id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already a case “%s”"), clean);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES, "case.rename",
                              g_strdup_printf (_("Rename case to “%s”"), clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE cases SET name = ? WHERE id = ?",
                                                               id, clean, 0, TSR_KIND_CASE, error), error);
}

gboolean
tsr_project_delete_case (TsrProject  *self,
                         gint64       id,
                         GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_row_exists (self, "cases", id))
    {
      _tsr_not_found (error, TSR_KIND_CASE, id);
      return FALSE;
    }
  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES | TSR_CHANGE_ATTRIBUTES, "case.delete",
                              g_strdup (_("Delete a case")), error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM cases WHERE id = ?", id, error);
  return _tsr_project_op_end (self, ok, error);
}

gboolean
tsr_project_set_case_membership (TsrProject  *self,
                                 gint64       case_id,
                                 gint64       document_id,
                                 gboolean     member,
                                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_row_exists (self, "cases", case_id))
    {
      _tsr_not_found (error, TSR_KIND_CASE, case_id);
      return FALSE;
    }
  if (!_tsr_project_row_exists (self, "documents", document_id))
    {
      _tsr_not_found (error, TSR_KIND_DOCUMENT, document_id);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES, member ? "case.add-document" : "case.remove-document",
                              g_strdup (member ? _("Add a document to a case") : _("Remove a document from a case")),
                              error))
    return FALSE;

  stmt = _tsr_project_prepare (self, member
                                 ? "INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)"
                                 : "DELETE FROM case_documents WHERE case_id = ? AND document_id = ?",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, case_id);
      sqlite3_bind_int64 (stmt, 2, document_id);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_get_case_documents:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the case's
 *   documents, in document order
 */
GArray *
tsr_project_get_case_documents (TsrProject *self,
                                gint64      case_id)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), g_array_new (FALSE, FALSE, sizeof (gint64)));
  return _tsr_project_list_ids (self, "SELECT d.id FROM case_documents cd JOIN documents d ON d.id = cd.document_id"
                                " WHERE cd.case_id = ? ORDER BY d.position", case_id, 0);
}

static GPtrArray *
load_attributes (gpointer owner, gint64 key, GError **error)
{
  return _tsr_project_load_rows (owner, "SELECT id, uuid, target, name, type FROM attributes ORDER BY target, position, id",
                                 FALSE, 0, (RowReader) _tsr_read_attribute, error);
}

/**
 * tsr_project_get_attributes:
 *
 * Returns: (transfer full): a live list of every #TsrAttribute
 */
GListModel *
tsr_project_get_attributes (TsrProject *self)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  return _tsr_project_get_model (self, "attributes", 0, TSR_TYPE_ATTRIBUTE, load_attributes, TSR_CHANGE_ATTRIBUTES);
}

static const char *
target_name (TsrAttributeTarget target)
{
  return target == TSR_ATTRIBUTE_ON_CASES ? "case" : "document";
}

/**
 * tsr_project_find_attribute:
 *
 * Returns: (transfer full) (nullable): the attribute
 */
TsrAttribute *
tsr_project_find_attribute (TsrProject         *self,
                            TsrAttributeTarget  target,
                            const char         *name)
{
  sqlite3_stmt *stmt;
  TsrAttribute *ret = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = _tsr_project_prepare (self, "SELECT id, uuid, target, name, type FROM attributes WHERE target = ? AND name = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target_name (target), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  if (tsr_database_next_row (self->db, stmt))
    ret = _tsr_read_attribute (stmt);
  sqlite3_reset (stmt);
  return ret;
}

gint64
tsr_project_define_attribute (TsrProject          *self,
                              TsrAttributeTarget   target,
                              const char          *name,
                              TsrAttributeType     type,
                              GError             **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(TsrAttribute) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), 0);
  g_return_val_if_fail (type <= TSR_ATTRIBUTE_DATE, 0);

  if (!_tsr_check_name (name, TSR_KIND_ATTRIBUTE, error))
    return 0;
  clean = _tsr_clean_name (name);
  existing = tsr_project_find_attribute (self, target, clean);
  if (existing != NULL)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already an attribute “%s”"), clean);
      return 0;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.define",
                              g_strdup_printf (_("Define attribute “%s”"), clean), error))
    return 0;

  uuid = g_uuid_string_random ();
  stmt = _tsr_project_prepare (self, "INSERT INTO attributes (uuid, target, name, type, position)"
                                     " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM attributes))",
                               error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, target_name (target), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, tsr_attribute_type_to_string (type), -1, SQLITE_STATIC);
      ok = _tsr_project_run (self, stmt, error);
      id = _tsr_project_last_insert_id (self);
    }
  if (!_tsr_project_op_end (self, ok, error))
    return 0;
  return id;
}

gboolean
tsr_project_delete_attribute (TsrProject  *self,
                              gint64       attribute_id,
                              GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  if (!_tsr_project_row_exists (self, "attributes", attribute_id))
    {
      _tsr_not_found (error, TSR_KIND_ATTRIBUTE, attribute_id);
      return FALSE;
    }
  if (!_tsr_project_op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.delete",
                              g_strdup (_("Delete an attribute")), error))
    return FALSE;

  ok = _tsr_project_run_with_id (self, "DELETE FROM attributes WHERE id = ?", attribute_id, error);
  return _tsr_project_op_end (self, ok, error);
}

/* Checks @value against @type and returns it in canonical form. */
static char *
canonical_value (TsrAttributeType   type,
                 const char        *value,
                 const char        *name,
                 GError           **error)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  char *end = NULL;

  switch (type)
    {
    case TSR_ATTRIBUTE_TEXT:
      return g_strdup (value);

    case TSR_ATTRIBUTE_INTEGER:
      {
        gint64 n;

        errno = 0;
        n = g_ascii_strtoll (v, &end, 10);
        if (*v != '\0' && end != NULL && *end == '\0' && errno == 0)
          return g_strdup_printf ("%" G_GINT64_FORMAT, n);
        g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                     _("“%s” is not a whole number, as “%s” needs"), value, name);
        return NULL;
      }

    case TSR_ATTRIBUTE_REAL:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        double d = g_ascii_strtod (v, &end);

        if (*v != '\0' && end != NULL && *end == '\0' && isfinite (d))
          {
            /* The shortest form that reads back as the same number. */
            for (const char *fmt = "%.15g"; ; fmt = fmt[3] == '5' ? "%.16g" : "%.17g")
              {
                g_ascii_formatd (buf, sizeof buf, fmt, d);
                if (g_ascii_strtod (buf, NULL) == d || fmt[3] == '7')
                  return g_strdup (buf);
              }
          }
        g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                     _("“%s” is not a number, as “%s” needs"), value, name);
        return NULL;
      }

    case TSR_ATTRIBUTE_BOOLEAN:
      if (g_ascii_strcasecmp (v, "true") == 0 || g_ascii_strcasecmp (v, "yes") == 0 || g_strcmp0 (v, "1") == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0 || g_strcmp0 (v, "0") == 0)
        return g_strdup ("false");
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not yes or no, as “%s” needs"), value, name);
      return NULL;

    case TSR_ATTRIBUTE_DATE:
      if (_tsr_check_date (v, NULL))
        return g_strdup (v);
      g_set_error (error, TSR_ERROR, TSR_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD), as “%s” needs"), value, name);
      return NULL;

    default:
      g_assert_not_reached ();
    }
}

/**
 * tsr_attribute_type_check_value:
 * @type: the attribute's type
 * @value: a value as text
 * @name: the attribute's name, for the message
 *
 * Checks @value against @type without writing anything, so a caller that
 * defines an attribute for a value can refuse a bad value first.
 *
 * Returns: (transfer full) (nullable): the value as it would be stored,
 *   or %NULL with @error set
 */
char *
tsr_attribute_type_check_value (TsrAttributeType   type,
                                const char        *value,
                                const char        *name,
                                GError           **error)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (type <= TSR_ATTRIBUTE_DATE, NULL);
  return canonical_value (type, value, name, error);
}

/**
 * tsr_project_set_attribute_value:
 * @target_id: the document or case
 * @value: (nullable): the value as text; %NULL or "" clears it
 *
 * Sets an attribute's value, checked against its type.
 */
gboolean
tsr_project_set_attribute_value (TsrProject  *self,
                                 gint64       attribute_id,
                                 gint64       target_id,
                                 const char  *value,
                                 GError     **error)
{
  g_autoptr(TsrAttribute) attr = NULL;
  g_autofree char *canonical = NULL;
  sqlite3_stmt *stmt;
  gboolean on_cases;
  gboolean ok;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  attr = _tsr_project_lookup_one (self, "SELECT id, uuid, target, name, type FROM attributes WHERE id = ?",
                                  attribute_id, NULL, (RowReader) _tsr_read_attribute);
  if (attr == NULL)
    {
      _tsr_not_found (error, TSR_KIND_ATTRIBUTE, attribute_id);
      return FALSE;
    }
  on_cases = attr->target == TSR_ATTRIBUTE_ON_CASES;
  if (!_tsr_project_row_exists (self, on_cases ? "cases" : "documents", target_id))
    {
      _tsr_not_found (error, on_cases ? TSR_KIND_CASE : TSR_KIND_DOCUMENT, target_id);
      return FALSE;
    }
  if (value != NULL && *value != '\0')
    {
      canonical = canonical_value (attr->type, value, attr->name, error);
      if (canonical == NULL)
        return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.set",
                              g_strdup_printf (_("Set “%s”"), attr->name), error))
    return FALSE;

  if (canonical == NULL)
    stmt = _tsr_project_prepare (self, on_cases
                                   ? "DELETE FROM case_attribute_values WHERE attribute_id = ? AND case_id = ?"
                                   : "DELETE FROM document_attribute_values WHERE attribute_id = ? AND document_id = ?",
                                 error);
  else
    stmt = _tsr_project_prepare (self, on_cases
                                   ? "INSERT INTO case_attribute_values (attribute_id, case_id, value) VALUES (?, ?, ?)"
                                     " ON CONFLICT DO UPDATE SET value = excluded.value"
                                   : "INSERT INTO document_attribute_values (attribute_id, document_id, value) VALUES (?, ?, ?)"
                                     " ON CONFLICT DO UPDATE SET value = excluded.value",
                                 error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, attribute_id);
      sqlite3_bind_int64 (stmt, 2, target_id);
      if (canonical != NULL)
        sqlite3_bind_text (stmt, 3, canonical, -1, SQLITE_TRANSIENT);
      ok = _tsr_project_run (self, stmt, error);
    }
  return _tsr_project_op_end (self, ok, error);
}

/**
 * tsr_project_get_attribute_value:
 *
 * Returns: (transfer full) (nullable): the value in canonical form, or
 *   %NULL if it is not set
 */
char *
tsr_project_get_attribute_value (TsrProject *self,
                                 gint64      attribute_id,
                                 gint64      target_id)
{
  sqlite3_stmt *stmt;
  char *ret = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);

  stmt = _tsr_project_prepare (self, "SELECT value FROM document_attribute_values v JOIN attributes a ON a.id = v.attribute_id"
                                     " WHERE a.target = 'document' AND v.attribute_id = ?1 AND v.document_id = ?2"
                                     " UNION ALL"
                                     " SELECT value FROM case_attribute_values v JOIN attributes a ON a.id = v.attribute_id"
                                     " WHERE a.target = 'case' AND v.attribute_id = ?1 AND v.case_id = ?2", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, attribute_id);
  sqlite3_bind_int64 (stmt, 2, target_id);
  if (tsr_database_next_row (self->db, stmt))
    ret = _tsr_dup_column (stmt, 0);
  sqlite3_reset (stmt);
  return ret;
}

/**
 * tsr_project_set_case_description:
 * @text: the case's memo: what the case is, what stands out in it
 *
 * Sets a case's memo, as one undoable edit.
 */
gboolean
tsr_project_set_case_description (TsrProject  *self,
                                  gint64       id,
                                  const char  *text,
                                  GError     **error)
{
  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!_tsr_project_row_exists (self, "cases", id))
    {
      _tsr_not_found (error, TSR_KIND_CASE, id);
      return FALSE;
    }
  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES, "case.describe",
                              g_strdup (_("Edit a case’s memo")), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE cases SET description = ? WHERE id = ?",
                                                               id, text, 0, TSR_KIND_CASE, error), error);
}

/**
 * tsr_project_set_case_documents:
 * @document_ids: (array length=n_documents): documents
 * @member: add them, or take them out
 *
 * Adds several documents to a case (or takes them out) as one undoable
 * edit; documents already in (or out of) the case are left as they are.
 *
 * Returns: how many documents changed, or -1 with @error set
 */
gint
tsr_project_set_case_documents (TsrProject    *self,
                                gint64         case_id,
                                const gint64  *document_ids,
                                guint          n_documents,
                                gboolean       member,
                                GError       **error)
{
  g_autoptr(TsrCase) c = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  gint changed = 0;

  g_return_val_if_fail (TSR_IS_PROJECT (self), -1);

  c = _tsr_project_lookup_one (self, "SELECT id, uuid, name, description FROM cases WHERE id = ?", case_id, NULL,
                               (RowReader) _tsr_read_case);
  if (c == NULL)
    {
      _tsr_not_found (error, TSR_KIND_CASE, case_id);
      return -1;
    }
  for (guint i = 0; i < n_documents; i++)
    if (!_tsr_project_row_exists (self, "documents", document_ids[i]))
      {
        _tsr_not_found (error, TSR_KIND_DOCUMENT, document_ids[i]);
        return -1;
      }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_CASES, member ? "case.add-documents" : "case.remove-documents",
                              g_strdup_printf (member ? g_dngettext (GETTEXT_PACKAGE, "Add %u document to “%s”",
                                                                     "Add %u documents to “%s”", n_documents)
                                                      : g_dngettext (GETTEXT_PACKAGE, "Remove %u document from “%s”",
                                                                     "Remove %u documents from “%s”", n_documents),
                                               n_documents, tsr_case_get_name (c)),
                              error))
    return -1;

  for (guint i = 0; i < n_documents && ok; i++)
    {
      stmt = _tsr_project_prepare (self, member
                                     ? "INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)"
                                     : "DELETE FROM case_documents WHERE case_id = ? AND document_id = ?",
                                   error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, case_id);
          sqlite3_bind_int64 (stmt, 2, document_ids[i]);
          ok = _tsr_project_run (self, stmt, error);
          changed += _tsr_project_changes (self);
        }
    }
  if (!_tsr_project_op_end (self, ok, error))
    return -1;
  return changed;
}

/**
 * tsr_project_list_documents_with_value:
 * @attribute_id: a document attribute
 * @value: a value, checked against the attribute's type and compared in
 *   canonical form ("3" finds "3" and "03" of an integer attribute)
 *
 * The rule "every document whose dyad is 3".
 *
 * Returns: (transfer full) (element-type gint64): the documents, in
 *   document order, or %NULL with @error set (an unknown attribute, a
 *   value of the wrong type)
 */
GArray *
tsr_project_list_documents_with_value (TsrProject  *self,
                                       gint64       attribute_id,
                                       const char  *value,
                                       GError     **error)
{
  g_autoptr(TsrAttribute) attr = NULL;
  g_autofree char *canonical = NULL;
  GArray *ids;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  attr = _tsr_project_lookup_one (self, "SELECT id, uuid, target, name, type FROM attributes WHERE id = ?",
                                  attribute_id, NULL, (RowReader) _tsr_read_attribute);
  if (attr == NULL || attr->target != TSR_ATTRIBUTE_ON_DOCUMENTS)
    {
      _tsr_not_found (error, TSR_KIND_ATTRIBUTE, attribute_id);
      return NULL;
    }
  canonical = canonical_value (attr->type, value, attr->name, error);
  if (canonical == NULL)
    return NULL;

  stmt = _tsr_project_prepare (self, "SELECT d.id FROM document_attribute_values v JOIN documents d ON d.id = v.document_id"
                                     " WHERE v.attribute_id = ? AND v.value = ? ORDER BY d.position, d.id", error);
  if (stmt == NULL)
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_bind_int64 (stmt, 1, attribute_id);
  sqlite3_bind_text (stmt, 2, canonical, -1, SQLITE_TRANSIENT);
  while (tsr_database_next_row (self->db, stmt))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  return ids;
}

/**
 * tsr_project_rename_attribute:
 *
 * Renames an attribute, as one undoable edit; its values stay.
 */
gboolean
tsr_project_rename_attribute (TsrProject  *self,
                              gint64       attribute_id,
                              const char  *name,
                              GError     **error)
{
  g_autoptr(TsrAttribute) attr = NULL;
  g_autoptr(TsrAttribute) existing = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (TSR_IS_PROJECT (self), FALSE);

  attr = _tsr_project_lookup_one (self, "SELECT id, uuid, target, name, type FROM attributes WHERE id = ?",
                                  attribute_id, NULL, (RowReader) _tsr_read_attribute);
  if (attr == NULL)
    {
      _tsr_not_found (error, TSR_KIND_ATTRIBUTE, attribute_id);
      return FALSE;
    }
  if (!_tsr_check_name (name, TSR_KIND_ATTRIBUTE, error))
    return FALSE;
  clean = _tsr_clean_name (name);
  existing = tsr_project_find_attribute (self, attr->target, clean);
  if (existing != NULL && tsr_entity_get_id (TSR_ENTITY (existing)) != attribute_id)
    {
      g_set_error (error, TSR_ERROR, TSR_ERROR_EXISTS, _("There is already an attribute “%s”"), clean);
      return FALSE;
    }

  if (!_tsr_project_op_begin (self, TSR_CHANGE_ATTRIBUTES, "attribute.rename",
                              g_strdup_printf (_("Rename attribute to “%s”"), clean), error))
    return FALSE;
  return _tsr_project_op_end (self, _tsr_project_update_by_id (self, "UPDATE attributes SET name = ? WHERE id = ?",
                                                               attribute_id, clean, 0, TSR_KIND_ATTRIBUTE, error),
                              error);
}

static void
free_int64 (gpointer data)
{
  g_free (data);
}

/**
 * tsr_project_list_attribute_values:
 *
 * Every value of an attribute, read at once: for a sheet or a comparison
 * over many documents or cases.
 *
 * Returns: (transfer full) (element-type gint64 utf8): the values in
 *   canonical form by document or case id (keys point to #gint64)
 */
GHashTable *
tsr_project_list_attribute_values (TsrProject *self,
                                   gint64      attribute_id)
{
  GHashTable *values = g_hash_table_new_full (g_int64_hash, g_int64_equal, free_int64, g_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TSR_IS_PROJECT (self), values);

  stmt = _tsr_project_prepare (self, "SELECT document_id, value FROM document_attribute_values v JOIN attributes a"
                                     " ON a.id = v.attribute_id WHERE a.target = 'document' AND v.attribute_id = ?1"
                                     " UNION ALL"
                                     " SELECT case_id, value FROM case_attribute_values v JOIN attributes a"
                                     " ON a.id = v.attribute_id WHERE a.target = 'case' AND v.attribute_id = ?1", NULL);
  if (stmt == NULL)
    return values;
  sqlite3_bind_int64 (stmt, 1, attribute_id);
  while (tsr_database_next_row (self->db, stmt))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (values, g_memdup2 (&id, sizeof id), _tsr_dup_column (stmt, 1));
    }
  sqlite3_reset (stmt);
  return values;
}
